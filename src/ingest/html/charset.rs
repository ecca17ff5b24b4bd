//! Bytes → text: the page's encoding from a byte-order mark, a `<meta charset>`, or the
//! bytes themselves, as browsers find it.

use std::path::Path;

use crate::error::{Error, Result};
use crate::model::Warning;

/// Bytes → text: a byte-order mark wins, then a `<meta charset>` (or `http-equiv`) in
/// the first 1,024 bytes, then UTF-8 if the bytes are valid UTF-8, else windows-1252 as
/// browsers do. An unknown label is read as UTF-8 when the bytes are UTF-8 (with a
/// warning), and refused otherwise.
pub fn decode(path: &Path, bytes: &[u8]) -> Result<(String, Vec<Warning>)> {
    let mut warnings = Vec::new();
    if bytes.is_empty() {
        return Err(Error::input(path, None, "file is empty"));
    }
    if let Some((encoding, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, had_errors) = encoding.decode_without_bom_handling(&bytes[bom..]);
        if had_errors {
            warnings.push(Warning::general(format!(
                "some bytes are not valid {}; they show as \u{FFFD}",
                encoding.name()
            )));
        }
        return Ok((text.into_owned(), warnings));
    }
    let head = &bytes[..bytes.len().min(1024)];
    if let Some(offset) = head.iter().position(|&b| b == 0) {
        return Err(Error::input(
            path,
            None,
            format!("binary data (NUL byte at byte offset {offset}); a saved web page is text"),
        ));
    }
    let utf8 = std::str::from_utf8(bytes).ok();
    let (encoding, line) = match declared_charset(head) {
        Some((label, offset)) => {
            let line = head[..offset].iter().filter(|&&b| b == b'\n').count() + 1;
            match encoding_rs::Encoding::for_label(label.as_bytes()) {
                // The HTML standard: a page that says UTF-16 in ASCII is not UTF-16.
                Some(e) if e == encoding_rs::UTF_16LE || e == encoding_rs::UTF_16BE => {
                    (encoding_rs::UTF_8, line)
                }
                Some(e) if e == encoding_rs::X_USER_DEFINED => (encoding_rs::WINDOWS_1252, line),
                Some(e) => (e, line),
                None => match utf8 {
                    Some(text) => {
                        warnings.push(Warning::at(
                            line,
                            format!("the page declares charset \"{label}\", which is not an encoding; read as UTF-8"),
                        ));
                        return Ok((text.to_string(), warnings));
                    }
                    None => {
                        return Err(Error::input(
                            path,
                            Some(line),
                            format!(
                                "the page declares charset \"{label}\", which is not an encoding, and it is not UTF-8; save the page as UTF-8"
                            ),
                        ));
                    }
                },
            }
        }
        None => match utf8 {
            Some(text) => return Ok((text.to_string(), warnings)),
            None => {
                warnings.push(Warning::general(
                    "the page declares no charset and is not UTF-8; read as windows-1252, as browsers do",
                ));
                (encoding_rs::WINDOWS_1252, 1)
            }
        },
    };
    if encoding == encoding_rs::UTF_8
        && let Some(text) = utf8
    {
        return Ok((text.to_string(), warnings));
    }
    let (text, had_errors) = encoding.decode_without_bom_handling(bytes);
    if had_errors {
        warnings.push(Warning::at(
            line,
            format!(
                "some bytes are not valid {} as the page declares; they show as \u{FFFD}",
                encoding.name()
            ),
        ));
    }
    Ok((text.into_owned(), warnings))
}

/// The charset label a `<meta>` in `head` declares, and its byte offset: a simplified
/// form of the HTML standard's prescan (`charset=` inside a `<meta` tag, quoted or not).
fn declared_charset(head: &[u8]) -> Option<(String, usize)> {
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    let mut from = 0;
    while let Some(start) = find(&lower[from..], b"<meta").map(|i| i + from) {
        let end = lower[start..].iter().position(|&b| b == b'>').map_or(lower.len(), |i| i + start);
        let tag = &lower[start..end];
        if let Some(at) = find(tag, b"charset") {
            let mut i = at + "charset".len();
            while i < tag.len() && tag[i].is_ascii_whitespace() {
                i += 1;
            }
            if tag.get(i) == Some(&b'=') {
                i += 1;
                while i < tag.len() && (tag[i].is_ascii_whitespace() || tag[i] == b'"' || tag[i] == b'\'') {
                    i += 1;
                }
                let value_end = tag[i..]
                    .iter()
                    .position(|&b| b.is_ascii_whitespace() || b"\"';/>".contains(&b))
                    .map_or(tag.len(), |j| i + j);
                let label = String::from_utf8_lossy(&head[start + i..start + value_end]).into_owned();
                if !label.is_empty() {
                    return Some((label, start));
                }
            }
        }
        from = end.max(start + 1);
        if from >= lower.len() {
            break;
        }
    }
    None
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}
