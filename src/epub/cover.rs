//! `OEBPS/cover.svg`, the package's `cover-image`: what an e-reader shows as the book's
//! thumbnail. Made from the brand: the logo and the collection's title on a band of the
//! brand colour (darkened for contrast with white text), the clinic's name below.
//!
//! An SVG is a core media type and allowed as `cover-image` in EPUB 3. The logo is
//! embedded as a `data:` URL so the image stands alone wherever a reading system copies
//! it. Title and clinic are data: escaped, one line each, wrapped here by characters
//! (no font metrics), so the same settings always give the same bytes.

use crate::config::accessible_color;

use super::xml::escape;

/// The logo as the cover shows it: its media type and bytes.
#[derive(Debug, Clone, Copy)]
pub struct Logo<'a> {
    pub media_type: &'static str,
    pub bytes: &'a [u8],
}

impl<'a> Logo<'a> {
    /// The logo in `bytes`, read from a file with this extension (`svg`, `png`, `jpg`),
    /// or `None` for a format the cover cannot show.
    pub fn from_extension(extension: &str, bytes: &'a [u8]) -> Option<Logo<'a>> {
        let media_type = match extension.to_ascii_lowercase().as_str() {
            "svg" => "image/svg+xml",
            "png" => "image/png",
            "jpg" | "jpeg" => "image/jpeg",
            _ => return None,
        };
        Some(Logo { media_type, bytes })
    }
}

const WIDTH: u32 = 600;
const HEIGHT: u32 = 900;
/// Where the colour band ends.
const BAND: u32 = 600;

/// The cover for a book called `title` from `clinic`, in `lang`.
pub(crate) fn svg(title: &str, clinic: &str, lang: &str, primary_color: &str, logo: Option<Logo>) -> String {
    let band = accessible_color(primary_color);
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" \
         width=\"{WIDTH}\" height=\"{HEIGHT}\" role=\"img\" aria-labelledby=\"cover-title\" \
         xml:lang=\"{lang}\">\n<title id=\"cover-title\">{label}</title>\n\
         <rect width=\"{WIDTH}\" height=\"{HEIGHT}\" fill=\"#FFFFFF\"/>\n\
         <rect width=\"{WIDTH}\" height=\"{BAND}\" fill=\"{band}\"/>\n\
         <rect y=\"{stripe}\" width=\"{WIDTH}\" height=\"24\" fill=\"{band}\"/>\n",
        lang = escape(lang),
        label = escape(&if clinic.is_empty() { title.to_string() } else { format!("{title} — {clinic}") }),
        stripe = HEIGHT - 24,
    );
    let title_top = match logo {
        Some(logo) => {
            out.push_str(&format!(
                "<image x=\"220\" y=\"64\" width=\"160\" height=\"160\" \
                 preserveAspectRatio=\"xMidYMid meet\" href=\"data:{};base64,{}\"/>\n",
                logo.media_type,
                base64(logo.bytes)
            ));
            300
        }
        None => 150,
    };
    // No white space between the lines: it would be drawn, and shift them off centre.
    // Bigger type for a short title; always within the band.
    let (size, per_line, max_lines) =
        if title.chars().count() <= 60 { (48, 20, 5) } else { (38, 26, (BAND - title_top) / 46) };
    let lines = wrap(title, per_line, max_lines as usize);
    out.push_str(&format!(
        "<text x=\"300\" text-anchor=\"middle\" fill=\"#FFFFFF\" font-family=\"'Atkinson Hyperlegible', \
         Verdana, sans-serif\" font-weight=\"bold\" font-size=\"{size}\">"
    ));
    for (i, line) in lines.iter().enumerate() {
        let y = title_top + size + i as u32 * (size * 6 / 5);
        out.push_str(&format!("<tspan x=\"300\" y=\"{y}\">{}</tspan>", escape(line)));
    }
    out.push_str("</text>\n");
    if !clinic.is_empty() {
        out.push_str(&format!(
            "<text x=\"300\" text-anchor=\"middle\" fill=\"{band}\" font-family=\"'Atkinson Hyperlegible', \
             Verdana, sans-serif\" font-size=\"32\">"
        ));
        for (i, line) in wrap(clinic, 30, 3).iter().enumerate() {
            out.push_str(&format!(
                "<tspan x=\"300\" y=\"{}\">{}</tspan>",
                BAND + 110 + i as u32 * 42,
                escape(line)
            ));
        }
        out.push_str("</text>\n");
    }
    out.push_str("</svg>\n");
    out
}

/// `text` in lines of at most `width` characters, broken at spaces (a longer word is cut),
/// at most `max_lines` of them, the last ending in `…` when text was left out.
fn wrap(text: &str, width: usize, max_lines: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let mut word: Vec<char> = word.chars().collect();
        loop {
            let used = line.chars().count();
            let room = if used == 0 { width } else { width.saturating_sub(used + 1) };
            if word.len() <= room {
                if used > 0 {
                    line.push(' ');
                }
                line.extend(&word);
                break;
            }
            if used > 0 {
                lines.push(std::mem::take(&mut line));
                continue;
            }
            line.extend(&word[..width]);
            lines.push(std::mem::take(&mut line));
            word.drain(..width);
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    if lines.len() > max_lines {
        lines.truncate(max_lines);
        let last = lines.last_mut().expect("max_lines > 0");
        let kept: String = last.chars().take(width.saturating_sub(1)).collect();
        *last = format!("{}…", kept.trim_end());
    }
    lines
}

/// Standard base64 with padding (RFC 4648), for the `data:` URL.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc_4648() {
        for (input, expected) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
        ] {
            assert_eq!(base64(input.as_bytes()), expected);
        }
    }

    #[test]
    fn titles_wrap_at_spaces_and_end_with_an_ellipsis_when_cut() {
        assert_eq!(wrap("Understanding Metastatic Cancer", 20, 5), ["Understanding", "Metastatic Cancer"]);
        assert_eq!(wrap("abcdefghij", 4, 5), ["abcd", "efgh", "ij"]);
        assert_eq!(wrap("one two three four", 7, 2), ["one two", "three…"]);
        assert!(wrap("   ", 10, 3).is_empty());
    }

    #[test]
    fn text_is_escaped_and_the_band_readable() {
        let svg = svg("<b>&</b> \"x\"", "A & B", "en", "#FFD700", None);
        assert!(svg.contains("&lt;b&gt;&amp;&lt;/b&gt; &quot;x&quot;"), "{svg}");
        assert!(!svg.contains("<b>"), "{svg}");
        assert!(svg.contains(&format!("fill=\"{}\"", accessible_color("#FFD700"))), "{svg}");
        let logo = Logo::from_extension("SVG", b"<svg/>").unwrap();
        assert!(svg_with(logo).contains("href=\"data:image/svg+xml;base64,PHN2Zy8+\""));
    }

    fn svg_with(logo: Logo) -> String {
        svg("T", "C", "en", "#0B5394", Some(logo))
    }
}
