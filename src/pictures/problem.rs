//! Why a picture cannot be used, in words for the person who wrote the article.
//!
//! This module imports nothing from the rest of the crate: [`crate::error`] holds a
//! [`PictureProblem`] in its `Error::Picture`, and the rest of [`crate::pictures`]
//! returns `Error`, so the two would otherwise import each other. [`Format`] is defined
//! here for the same reason (a problem names the format a file should have had); how a
//! format is recognized is in `format.rs`.

/// A picture file format handouts can show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Png,
    Jpeg,
    Svg,
}

impl Format {
    /// The name people know the format by.
    pub fn name(self) -> &'static str {
        match self {
            Format::Png => "PNG",
            Format::Jpeg => "JPEG",
            Format::Svg => "SVG",
        }
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Why a picture cannot be used (the article's file and line are in `Error::Picture`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PictureProblem {
    #[error("no file named; write the picture's path between the parentheses, like pictures/name.png")]
    Empty,
    #[error("the path is absolute; write it relative to the article's folder, like pictures/name.png")]
    Absolute,
    #[error(
        "picture path leads outside the content folder; copy the picture into content/pictures/ and point to it there"
    )]
    OutsideContent,
    #[error("file not found ({0} in the content folder); check the name, or save the picture there")]
    Missing(String),
    #[error("not a regular file; a picture must be a PNG, JPEG or SVG file")]
    NotAFile,
    #[error("pictures must be PNG, JPEG or SVG files (.png, .jpg, .jpeg or .svg)")]
    Extension,
    #[error(
        "the file is {} MiB, larger than the {} MiB limit for a picture; save a smaller version",
        size / (1024 * 1024),
        max / (1024 * 1024)
    )]
    TooBig { size: u64, max: u64 },
    #[error(
        "the file is named as a {expected} picture but {}; save it again as a real {expected} file",
        describe(found)
    )]
    WrongContent { expected: Format, found: Option<Format> },
    #[error("cannot read the file: {0}")]
    Unreadable(String),
    #[error("the typesetter cannot open a file of this name; rename it with letters, digits and dashes")]
    Unaddressable,
}

fn describe(found: &Option<Format>) -> String {
    match found {
        Some(format) => format!("holds a {format} picture"),
        None => "is not a PNG, JPEG or SVG picture".to_string(),
    }
}
