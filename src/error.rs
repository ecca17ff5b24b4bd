//! Typed library errors. Every variant names the file it is about (and the line where
//! one applies), so the binary can print one clear line per problem.

use std::path::PathBuf;

/// `path:line` or just `path`.
fn at(path: &std::path::Path, line: &Option<usize>) -> String {
    match line {
        Some(line) => format!("{}:{line}", path.display()),
        None => path.display().to_string(),
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{}: {source}", path.display())]
    Io { path: PathBuf, source: std::io::Error },

    #[error("{}: {message}", at(path, line))]
    Config { path: PathBuf, line: Option<usize>, message: String },

    /// An article that cannot be read as an article.
    #[error("{}: {message}", at(path, line))]
    Input { path: PathBuf, line: Option<usize>, message: String },

    /// The template failed to compile; `message` holds typst's diagnostics, each as
    /// `file:line:column: error: text`.
    #[error("{message}")]
    Template { message: String },

    #[error("{0}")]
    Other(String),
}

impl Error {
    pub fn input(path: impl Into<PathBuf>, line: Option<usize>, message: impl Into<String>) -> Self {
        Error::Input { path: path.into(), line, message: message.into() }
    }

    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io { path: path.into(), source }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
