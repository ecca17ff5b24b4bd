//! Escaping and sanitizing for everything that goes into the EPUB's XML files.
//!
//! Article text comes from pasted web pages and is hostile by assumption: every string
//! that reaches a file passes through [`escape`], URLs through [`safe_href`], and
//! language tags through [`lang_or`]. Nothing here is allowed to produce XML that a
//! reading system or EPUBCheck would reject.

use std::fmt::Write as _;

/// Whether `c` may appear in our XML output.
///
/// XML 1.0 forbids most C0 controls and U+FFFE/U+FFFF outright; C1 controls are legal
/// XML but HTML forbids them in text, so they go too. Tab and newline are kept because
/// code blocks need them. Carriage returns are dropped (they would be normalized away by
/// any XML parser anyway).
pub(crate) fn is_allowed_char(c: char) -> bool {
    match c {
        '\t' | '\n' => true,
        '\u{FFFE}' | '\u{FFFF}' => false,
        c => !c.is_control(),
    }
}

/// `text` with the characters XML cannot carry removed; nothing else changes.
pub(crate) fn clean(text: &str) -> String {
    text.chars().filter(|&c| is_allowed_char(c)).collect()
}

/// Escapes `text` for use both as element content and inside a `"`-quoted attribute.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    push_escaped(&mut out, text);
    out
}

/// Appends `text`, escaped as by [`escape`], to `out`.
pub(crate) fn push_escaped(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if is_allowed_char(c) => out.push(c),
            _ => {}
        }
    }
}

/// The text with runs of whitespace collapsed to one space and the ends trimmed: for
/// titles and TOC labels, where a stray newline would otherwise show up.
pub(crate) fn one_line(text: &str) -> String {
    clean(text).split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether `tag` is a well-formed BCP 47 tag in the simple shape we accept
/// (`en`, `es`, `pt-BR`, `zh-Hant-TW`, `sr-Latn`…).
///
/// Not a full BCP 47 parser: just strict enough that EPUBCheck and reading systems will
/// never see a malformed `xml:lang`.
pub(crate) fn is_lang_tag(tag: &str) -> bool {
    crate::validate::language_tag(tag).is_ok()
}

/// `tag` trimmed if it is a usable language tag, else `fallback`.
pub(crate) fn lang_or<'a>(tag: &'a str, fallback: &'a str) -> &'a str {
    let tag = tag.trim();
    if is_lang_tag(tag) { tag } else { fallback }
}

/// `tel:` and the digits of a phone number as written (`(555) 010-0199` →
/// `tel:5550100199`, `+1 555…` → `tel:+1555…`), so a patient can tap it; `None` when it
/// has no digit. The one rule every output uses.
pub(crate) fn tel_href(phone: &str) -> Option<String> {
    let trimmed = phone.trim_start();
    let plus = if trimmed.starts_with('+') { "+" } else { "" };
    let digits: String = trimmed.chars().filter(char::is_ascii_digit).collect();
    (!digits.is_empty()).then(|| format!("tel:{plus}{digits}"))
}

/// The `href` for a link to `url`, or `None` when it must not become a link.
///
/// Only `http`, `https` and `mailto` URLs become links: anything else (`javascript:`,
/// `data:`, relative paths that point nowhere inside the EPUB) is rendered as plain text
/// by the caller. The returned string is still unescaped for XML; characters that a URL
/// cannot contain unencoded are percent-encoded so that EPUBCheck's URL check passes.
pub(crate) fn safe_href(url: &str) -> Option<String> {
    let url = clean(url);
    let url = url.trim();
    if !crate::validate::is_link_url(url) {
        return None;
    }
    let lower = url.to_ascii_lowercase();
    if lower.starts_with("mailto:") {
        let address = &url["mailto:".len()..];
        if address.trim().is_empty() {
            return None;
        }
        return Some(format!("mailto:{}", percent_encode(address)));
    }
    let scheme_len = if lower.starts_with("https://") {
        "https://".len()
    } else if lower.starts_with("http://") {
        "http://".len()
    } else {
        return None;
    };
    let rest = &url[scheme_len..];
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    if !is_plain_authority(authority) {
        return None;
    }
    Some(format!("{}{}{}", &lower[..scheme_len], authority.to_ascii_lowercase(), percent_encode(tail)))
}

/// `host[:port]` with an ASCII host name or a bracketed IPv6 address. User info and
/// internationalized hosts are refused rather than guessed at: a link that might be
/// misparsed is worse than plain text.
fn is_plain_authority(authority: &str) -> bool {
    let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
        match v6.split_once(']') {
            Some((addr, port))
                if !addr.is_empty()
                    && addr.bytes().all(|b| b.is_ascii_hexdigit() || b == b':' || b == b'.') =>
            {
                (None, port)
            }
            _ => return false,
        }
    } else {
        match authority.split_once(':') {
            Some((host, port)) => (Some(host), port),
            None => (Some(authority), ""),
        }
    };
    let port = match port {
        "" => true,
        port => port.strip_prefix(':').unwrap_or(port).bytes().all(|b| b.is_ascii_digit()),
    };
    let host = match host {
        None => true,
        Some(host) => {
            !host.is_empty()
                && host.split('.').all(|label| {
                    !label.is_empty() && label.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                })
        }
    };
    port && host
}

/// Percent-encodes what may not appear literally in a URL's path, query or fragment.
fn percent_encode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    for (i, &b) in bytes.iter().enumerate() {
        let keep = b.is_ascii_alphanumeric()
            || b"-._~:/?#@!$&'()*+,;=".contains(&b)
            || (b == b'%'
                && bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit));
        if keep {
            out.push(b as char);
        } else {
            // Writing to a String cannot fail.
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_numbers_become_tel_links() {
        assert_eq!(tel_href("(555) 010-0199").as_deref(), Some("tel:5550100199"));
        assert_eq!(tel_href(" +34 91 123 45 67").as_deref(), Some("tel:+34911234567"));
        assert_eq!(tel_href("ask the desk"), None);
    }

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(escape(r#"<a href="x">&'"#), "&lt;a href=&quot;x&quot;&gt;&amp;&#39;");
        assert_eq!(escape("]]>"), "]]&gt;");
    }

    #[test]
    fn strips_only_illegal_characters() {
        assert_eq!(escape("a\u{0}b\u{1b}c\u{7f}\u{85}d\u{FFFF}\te\nf\r"), "abcd\te\nf");
        assert_eq!(escape("ñ – 𝒳 😀"), "ñ – 𝒳 😀");
    }

    #[test]
    fn only_web_and_mail_links() {
        assert_eq!(
            safe_href("https://Example.org/a b?q=ü#x").as_deref(),
            Some("https://example.org/a%20b?q=%C3%BC#x")
        );
        assert_eq!(safe_href("HTTP://example.org:8080").as_deref(), Some("http://example.org:8080"));
        assert_eq!(safe_href("mailto:care@example.org").as_deref(), Some("mailto:care@example.org"));
        assert_eq!(safe_href("http://[::1]/x").as_deref(), Some("http://[::1]/x"));
        assert_eq!(safe_href("50%25 off").as_deref(), None);
        for bad in [
            "javascript:alert(1)",
            " JaVaScRiPt:alert(1)",
            "data:text/html,x",
            "/etc/passwd",
            "https://",
            "mailto:",
            "https://user@evil.example/",
            "https://ex ample.org",
            "https://exämple.org",
        ] {
            assert_eq!(safe_href(bad), None, "{bad}");
        }
        assert_eq!(safe_href("https://example.org/100%").as_deref(), Some("https://example.org/100%25"));
    }

    #[test]
    fn language_tags() {
        assert!(is_lang_tag("en") && is_lang_tag("es-419") && is_lang_tag("zh-Hant-TW"));
        assert!(
            !is_lang_tag("")
                && !is_lang_tag("e")
                && !is_lang_tag("en_US")
                && !is_lang_tag("en-")
                && !is_lang_tag("\"><x")
        );
        assert_eq!(lang_or(" es ", "en"), "es");
        assert_eq!(lang_or("??", "en"), "en");
    }
}
