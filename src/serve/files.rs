//! The built site's files: only under `out/site/` (which holds the handouts' PDFs and
//! the EPUB the pages link to, `build::site_files`); `..`, encoded or not, hidden files
//! and symlinks leading out are refused.

use std::path::{Path, PathBuf};

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::{live, reply};

/// A file of the site that exists, found from a request's path.
pub struct SiteFile {
    /// The path's segments, decoded.
    parts: Vec<String>,
    /// Where it is, symlinks resolved.
    real: PathBuf,
}

impl SiteFile {
    /// The file `path` names under `out/site/`, or `None` when there is none, or when
    /// the path would lead out of the folder.
    pub fn find(out: &Path, path: &str) -> Option<SiteFile> {
        let parts = segments(path)?;
        let root = std::fs::canonicalize(out.join("site")).ok()?;
        let joined = parts.iter().fold(root.clone(), |path, part| path.join(part));
        // Symlinks may not lead out of the folder.
        let real = std::fs::canonicalize(&joined).ok()?;
        (real.starts_with(&root) && real.is_file()).then_some(SiteFile { parts, real })
    }

    /// The id of the handout whose page this is (`/<id>.html`), if it is one.
    pub fn handout_id(&self) -> Option<&str> {
        match self.parts.as_slice() {
            [page] => page.strip_suffix(".html").filter(|id| *id != "index"),
            _ => None,
        }
    }

    /// The file's bytes; pages get the live-reload script.
    pub fn response(&self) -> Response {
        let mime = content_type(&self.real);
        match std::fs::read(&self.real) {
            Ok(bytes) if mime.starts_with("text/html") => {
                reply::html(StatusCode::OK, live::with_live_reload(&String::from_utf8_lossy(&bytes)))
            }
            Ok(bytes) => ([(header::CONTENT_TYPE, mime)], bytes).into_response(),
            Err(_) => not_found(),
        }
    }
}

pub fn not_found() -> Response {
    reply::text(StatusCode::NOT_FOUND, "There is no such page.")
}

/// The part of a URL path after `/`, percent-decoded, as safe relative segments: none
/// empty, `.`, `..` or hidden, no backslash or NUL. `None` for anything else.
fn segments(path: &str) -> Option<Vec<String>> {
    let decoded = percent_decode(path.strip_prefix('/')?)?;
    if decoded.is_empty() {
        return Some(vec!["index.html".into()]);
    }
    let parts: Vec<String> = decoded.split('/').map(str::to_string).collect();
    let safe = parts
        .iter()
        .all(|part| !part.is_empty() && !part.starts_with('.') && !part.contains(['\\', '\0', ':']));
    safe.then_some(parts)
}

/// `text` percent-decoded, or `None` when it is not UTF-8 or a `%` is not followed by
/// two hex digits (a malformed path is refused, not taken literally).
fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let malformed = bytes.iter().enumerate().any(|(i, &b)| {
        b == b'%'
            && !(bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit))
    });
    if malformed {
        return None;
    }
    percent_encoding::percent_decode_str(text).decode_utf8().ok().map(|text| text.into_owned())
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
        Some("html") => "text/html; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("json") => "application/json",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("ico") => "image/x-icon",
        Some("woff2") => "font/woff2",
        Some("woff") => "font/woff",
        Some("ttf") => "font/ttf",
        Some("otf") => "font/otf",
        Some("pdf") => "application/pdf",
        Some("epub") => "application/epub+zip",
        Some("txt") => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_leaving_the_site_are_refused() {
        assert_eq!(segments("/"), Some(vec!["index.html".to_string()]));
        assert_eq!(segments("/a/b.html"), Some(vec!["a".to_string(), "b.html".to_string()]));
        for bad in ["/../x", "/%2e%2e/x", "/a/..%2fb", "/a//b", "/.hidden", "/a%5cb", "/a%00", "/%zz", "/c:x"]
        {
            assert_eq!(segments(bad), None, "{bad}");
        }
    }
}
