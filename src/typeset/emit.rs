//! A handout as a plain typst project on disk, so the typst CLI can compile exactly
//! what [`Typesetter`](super::Typesetter) compiles in memory (for benchmarks and for
//! debugging a template with typst's own tools):
//!
//! ```text
//! DIR/handout.typ …              a copy of the template folder (the project root)
//! DIR/_handouts/article.json     the data the World serves at /_handouts/…
//! DIR/_handouts/brand.json
//! DIR/_handouts/options.json
//! DIR/_handouts/qr.svg           when the article has a url
//! DIR/_handouts/logo.svg         when the brand has a logo
//! ```
//!
//! compiled with `typst compile --root DIR --font-path FONTS --ignore-system-fonts
//! --pdf-standard ua-1 DIR/handout.typ`, where FONTS is written by [`emit_fonts`].

use std::path::Path;

use typst::foundations::Bytes;
use typst::text::Font;

use crate::error::{Error, Result};

/// Writes a self-contained typst project into `dir`: every file of the template folder
/// `template_root` (hidden entries skipped), then each `(virtual path, bytes)` of `data`
/// at that path under `dir`. Virtual paths must start with `/_handouts/`.
pub fn emit_typst_project(template_root: &Path, data: &[(&str, Bytes)], dir: &Path) -> Result<()> {
    copy_tree(template_root, dir)?;
    for (vpath, bytes) in data {
        let relative = vpath
            .strip_prefix("/_handouts/")
            .filter(|rest| !rest.is_empty() && !rest.contains(".."))
            .ok_or_else(|| Error::Output {
                path: vpath.into(),
                message: "not a /_handouts/ data path".into(),
            })?;
        let path = dir.join("_handouts").join(relative);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::write(parent, e))?;
        }
        std::fs::write(&path, bytes.as_slice()).map_err(|e| Error::write(&path, e))?;
    }
    Ok(())
}

/// Writes the fonts a handout compile sees (the embedded Atkinson Hyperlegible faces
/// and DejaVu Sans Mono from typst's assets) into `dir`, for `typst --font-path`.
pub fn emit_fonts(dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(|e| Error::write(dir, e))?;
    let dejavu = typst_assets::fonts().filter(|data| {
        Font::iter(Bytes::new(*data)).any(|font| font.info().family.starts_with("DejaVu Sans Mono"))
    });
    for (i, data) in super::world::EMBEDDED_FONTS.iter().copied().chain(dejavu).enumerate() {
        let path = dir.join(format!("font-{i:02}.ttf"));
        std::fs::write(&path, data).map_err(|e| Error::write(&path, e))?;
    }
    Ok(())
}

/// Copies the files under `from` into `to`, recursively, skipping hidden entries.
fn copy_tree(from: &Path, to: &Path) -> Result<()> {
    let hidden = |e: &walkdir::DirEntry| e.depth() > 0 && e.file_name().to_string_lossy().starts_with('.');
    for entry in walkdir::WalkDir::new(from).into_iter().filter_entry(|e| !hidden(e)) {
        let entry = entry.map_err(|e| {
            let path = e.path().unwrap_or(from).to_path_buf();
            Error::write(path, e.into_io_error().unwrap_or_else(|| std::io::Error::other("file system loop")))
        })?;
        let Ok(relative) = entry.path().strip_prefix(from) else { continue };
        let target = to.join(relative);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).map_err(|e| Error::write(&target, e))?;
        } else if entry.file_type().is_file() {
            std::fs::copy(entry.path(), &target).map_err(|e| Error::write(entry.path(), e))?;
        }
    }
    Ok(())
}
