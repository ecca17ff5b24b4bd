//! Recognizing a picture format: by a file's extension (what it promises) and by its
//! bytes (what it is). The [`Format`] type itself lives in `problem.rs`, which must
//! import nothing from the crate and names formats in its messages.

use std::path::Path;

use super::problem::Format;

/// File extensions of pictures (any case). Files with them in the content folder are
/// not articles, and discovery passes them over without a note.
pub const PICTURE_EXTENSIONS: &[&str] = &["png", "jpg", "jpeg", "svg"];

impl Format {
    /// The format a file name promises, by its extension (any case).
    pub fn from_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "png" => Some(Format::Png),
            "jpg" | "jpeg" => Some(Format::Jpeg),
            "svg" => Some(Format::Svg),
            _ => None,
        }
    }

    /// The format the bytes are in: PNG and JPEG by their signature, SVG by starting
    /// with `<svg`, `<?xml` or `<!DOCTYPE svg` after whitespace or a byte-order mark.
    pub fn sniff(bytes: &[u8]) -> Option<Format> {
        if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            return Some(Format::Png);
        }
        if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            return Some(Format::Jpeg);
        }
        let text = bytes.strip_prefix("\u{FEFF}".as_bytes()).unwrap_or(bytes);
        let start = text.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(text.len());
        let text = &text[start..];
        let starts =
            |prefix: &[u8]| text.len() >= prefix.len() && text[..prefix.len()].eq_ignore_ascii_case(prefix);
        (starts(b"<svg") || starts(b"<?xml") || starts(b"<!DOCTYPE svg")).then_some(Format::Svg)
    }

    /// The media type, as the EPUB manifest and HTML need it.
    pub fn media_type(self) -> &'static str {
        match self {
            Format::Png => "image/png",
            Format::Jpeg => "image/jpeg",
            Format::Svg => "image/svg+xml",
        }
    }
}

/// Whether `path` names a picture file (by extension).
pub fn is_picture_path(path: &Path) -> bool {
    Format::from_path(path).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_sniffed() {
        assert_eq!(Format::sniff(b"\x89PNG\r\n\x1a\nrest"), Some(Format::Png));
        assert_eq!(Format::sniff(&[0xFF, 0xD8, 0xFF, 0xE0]), Some(Format::Jpeg));
        assert_eq!(Format::sniff(b"\xEF\xBB\xBF\n  <svg xmlns=''/>"), Some(Format::Svg));
        assert_eq!(Format::sniff(b"<?xml version='1.0'?><svg/>"), Some(Format::Svg));
        assert_eq!(Format::sniff(b"GIF89a"), None);
        assert_eq!(Format::sniff(b"<html>"), None);
        assert_eq!(Format::from_path(Path::new("a/B.JPG")), Some(Format::Jpeg));
        assert_eq!(Format::from_path(Path::new("a/b.gif")), None);
    }
}
