//! Typed library errors. Every variant names the file it is about (and the line where
//! one applies) and has a [`Kind`], so the binary can print one clear line per problem
//! and the build can decide on the kind (exit code, what to keep) without reading text.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// What a failure is about: which part of the project a person must fix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// An article file: unreadable, not text, malformed front matter.
    Input,
    /// The typst template (or a file it reads).
    Template,
    /// A character in an article that no embedded font can print.
    Font,
    /// Writing to the output folder.
    Output,
    /// `handouts.toml` or a file it names (the logo, the word list).
    Config,
    /// The command line asked for something that is not there.
    Usage,
    /// A bug in `handouts` met while working on one article: that article fails, the
    /// rest of the batch builds.
    Internal,
}

/// `path:line` or just `path`.
fn at(path: &Path, line: &Option<usize>) -> String {
    match line {
        Some(line) => format!("{}:{line}", path.display()),
        None => path.display().to_string(),
    }
}

/// `path:line:column: message`, then the offending line with a caret under it and the
/// fix, the way cargo and typst show a problem in a file.
fn config_message(e: &ConfigError) -> String {
    let mut out = match (e.line, e.column) {
        (Some(line), Some(column)) => format!("{}:{line}:{column}: {}", e.path.display(), e.message),
        (Some(line), None) => format!("{}:{line}: {}", e.path.display(), e.message),
        _ => format!("{}: {}", e.path.display(), e.message),
    };
    if let (Some(line), Some(snippet)) = (e.line, &e.snippet) {
        let number = line.to_string();
        let pad = " ".repeat(number.len());
        let column = e.column.unwrap_or(1).max(1);
        let caret_at = snippet.chars().take(column - 1).map(|c| if c == '\t' { '\t' } else { ' ' });
        let width = e.width.max(1);
        out.push_str(&format!(
            "\n{pad} |\n{number} | {snippet}\n{pad} | {}{}",
            caret_at.collect::<String>(),
            "^".repeat(width)
        ));
    }
    if let Some(help) = &e.help {
        out.push_str(&format!("\n  = help: {help}"));
    }
    out
}

/// A problem in a configuration file, with where it is and how to fix it.
#[derive(Debug, Clone, Default)]
pub struct ConfigError {
    pub path: PathBuf,
    /// 1-based.
    pub line: Option<usize>,
    /// 1-based, in characters.
    pub column: Option<usize>,
    /// Characters to underline from `column`.
    pub width: usize,
    pub message: String,
    /// The text of `line`, shown under the message.
    pub snippet: Option<String>,
    /// The fix, in plain words ("write `large-print = true`").
    pub help: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file could not be read or written; `kind` says whose file it is.
    #[error("{}: {source}", path.display())]
    Io { kind: Kind, path: PathBuf, source: std::io::Error },

    #[error("{}", config_message(.0))]
    Config(Box<ConfigError>),

    /// An article that cannot be read as an article.
    #[error("{}: {message}", at(path, line))]
    Input { path: PathBuf, line: Option<usize>, message: String },

    /// A picture an article shows cannot be used: its path leaves the content folder,
    /// the file is missing, too big, or not the PNG, JPEG or SVG it claims to be.
    /// `path` is the article, `line` the line of the picture in it.
    #[error("{}: picture \"{src}\": {problem}", at(path, line))]
    Picture {
        path: PathBuf,
        line: Option<usize>,
        src: String,
        problem: crate::pictures::problem::PictureProblem,
    },

    /// The template failed to compile; `message` holds typst's diagnostics, each as
    /// `file:line:column: error: text`. `article` is the handout it failed on, when the
    /// failure was not found by checking the template on its own.
    #[error("{}{message}", article.as_ref().map(|a| format!("{}: ", a.display())).unwrap_or_default())]
    Template { article: Option<PathBuf>, message: String },

    /// An article holds a character no embedded font has; the PDF/UA export refuses to
    /// print it as an empty box.
    #[error("{}: {message}", article.display())]
    Font { article: PathBuf, message: String },

    /// An output could not be made (other than by the file system).
    #[error("{}: {message}", path.display())]
    Output { path: PathBuf, message: String },

    /// The command line named something that does not exist.
    #[error("{message}")]
    Usage { message: String },

    /// `handouts` itself failed (a panic) while working on the article at `path`.
    #[error("internal error while {during} {}; please report it ({detail})", path.display())]
    Internal { path: PathBuf, during: &'static str, detail: String },
}

impl Error {
    pub fn input(path: impl Into<PathBuf>, line: Option<usize>, message: impl Into<String>) -> Self {
        Error::Input { path: path.into(), line, message: message.into() }
    }

    /// Reading an article (or the content folder) failed.
    pub fn read(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io { kind: Kind::Input, path: path.into(), source }
    }

    /// Writing into the output folder (or a new project folder) failed.
    pub fn write(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io { kind: Kind::Output, path: path.into(), source }
    }

    /// Reading the template folder failed.
    pub fn template_io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io { kind: Kind::Template, path: path.into(), source }
    }

    pub fn config(path: impl Into<PathBuf>, line: Option<usize>, message: impl Into<String>) -> Self {
        Error::Config(Box::new(ConfigError {
            path: path.into(),
            line,
            message: message.into(),
            ..ConfigError::default()
        }))
    }

    pub fn usage(message: impl Into<String>) -> Self {
        Error::Usage { message: message.into() }
    }

    /// A panic caught while `during` ("reading", "building") the article at `path`,
    /// with the panic's message when it has one.
    pub fn internal(
        path: impl Into<PathBuf>,
        during: &'static str,
        panic: &(dyn std::any::Any + Send),
    ) -> Self {
        let detail = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic without a message".into());
        Error::Internal { path: path.into(), during, detail }
    }

    pub fn kind(&self) -> Kind {
        match self {
            Error::Io { kind, .. } => *kind,
            Error::Config(_) => Kind::Config,
            Error::Input { .. } | Error::Picture { .. } => Kind::Input,
            Error::Template { .. } => Kind::Template,
            Error::Font { .. } => Kind::Font,
            Error::Output { .. } => Kind::Output,
            Error::Usage { .. } => Kind::Usage,
            Error::Internal { .. } => Kind::Internal,
        }
    }

    /// The file the problem is in, when there is one.
    pub fn file(&self) -> Option<&Path> {
        match self {
            Error::Io { path, .. }
            | Error::Input { path, .. }
            | Error::Picture { path, .. }
            | Error::Output { path, .. }
            | Error::Internal { path, .. } => Some(path),
            Error::Config(e) => Some(&e.path),
            Error::Template { article, .. } => article.as_deref(),
            Error::Font { article, .. } => Some(article),
            Error::Usage { .. } => None,
        }
    }

    /// When writing an output failed because the disk is full, over its quota or
    /// read-only: what no later write in the build can escape, so the build stops.
    pub fn disk_full(&self) -> Option<std::io::ErrorKind> {
        use std::io::ErrorKind::{QuotaExceeded, ReadOnlyFilesystem, StorageFull};
        match self {
            Error::Io { kind: Kind::Output, source, .. }
                if matches!(source.kind(), StorageFull | QuotaExceeded | ReadOnlyFilesystem) =>
            {
                Some(source.kind())
            }
            _ => None,
        }
    }

    /// The one error of a build stopped by [`Error::disk_full`] of `kind` in `out`,
    /// after `done` of `total` handouts were in place.
    pub fn disk_stopped(out: &Path, kind: std::io::ErrorKind, done: usize, total: usize) -> Self {
        let (what, fix) = match kind {
            std::io::ErrorKind::ReadOnlyFilesystem => ("the file system is read-only", "make it writable"),
            std::io::ErrorKind::QuotaExceeded => ("disk quota exceeded", "free space (or raise the quota)"),
            _ => ("no space left on device", "free space"),
        };
        Error::Output {
            path: out.to_path_buf(),
            message: format!(
                "{what} after {done} of {total} handouts; {fix} and run `handouts build` again: \
                 finished handouts are kept"
            ),
        }
    }

    /// The 1-based line in [`Error::file`], when known.
    pub fn line(&self) -> Option<usize> {
        match self {
            Error::Input { line, .. } | Error::Picture { line, .. } => *line,
            Error::Config(e) => e.line,
            _ => None,
        }
    }
}

/// A failure as `out/report.json` lists it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Failure {
    pub kind: Kind,
    pub file: Option<String>,
    pub line: Option<usize>,
    pub message: String,
}

impl From<&Error> for Failure {
    fn from(err: &Error) -> Self {
        Failure {
            kind: err.kind(),
            file: err.file().map(|p| p.display().to_string()),
            line: err.line(),
            message: err.to_string(),
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::ErrorKind;

    #[test]
    fn a_full_or_read_only_disk_is_told_from_other_write_errors_and_named_in_one_line() {
        for kind in [ErrorKind::StorageFull, ErrorKind::QuotaExceeded, ErrorKind::ReadOnlyFilesystem] {
            assert_eq!(Error::write("out/pdf/a.pdf", kind.into()).disk_full(), Some(kind));
        }
        // Another write error, or a full disk met reading an article, stops nothing.
        assert_eq!(Error::write("out/pdf/a.pdf", ErrorKind::PermissionDenied.into()).disk_full(), None);
        assert_eq!(Error::read("content/a.txt", ErrorKind::StorageFull.into()).disk_full(), None);

        let full = Error::disk_stopped(Path::new("out"), ErrorKind::StorageFull, 53, 600).to_string();
        assert_eq!(
            full,
            "out: no space left on device after 53 of 600 handouts; free space and run `handouts build` again: \
             finished handouts are kept"
        );
        let read_only =
            Error::disk_stopped(Path::new("out"), ErrorKind::ReadOnlyFilesystem, 0, 2).to_string();
        assert!(
            read_only
                .starts_with("out: the file system is read-only after 0 of 2 handouts; make it writable")
        );
    }
}
