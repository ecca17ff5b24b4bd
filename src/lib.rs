//! `handouts`: a folder of health articles → branded PDF handouts and one EPUB.
//!
//! The pipeline (see DESIGN.md): `ingest` → `analyze` → `typeset` ∥ `epub` → report.
//! Each stage takes and returns the plain types in [`model`].

pub mod analyze;
pub mod config;
pub mod epub;
pub mod error;
pub mod model;

pub use error::{Error, Result};
