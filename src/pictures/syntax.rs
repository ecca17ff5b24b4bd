//! The one picture syntax both article formats share, `![alt](path "caption")`, and
//! what an article wrote for a picture → a [`Block::Figure`]: the caption, the warning
//! for a missing description, and a web address kept as its alt text (nothing is
//! fetched). Whether the path is allowed and the file is there is the store's business
//! ([`super::PictureStore::resolve`]).

use crate::model::{Block, Inline, Warning};

/// The warning for a picture given as a web address.
pub const WEB_ADDRESS_WARNING: &str = "pictures must be files in content/; web addresses are not downloaded \
     — save the picture under content/pictures/ (the picture is printed as its alt text)";

/// The warning for a picture without a description.
pub const NO_ALT_WARNING: &str = "describe the picture for readers who cannot see it: write what it shows \
     between the brackets, ![like this](pictures/name.png); until then it is treated as decoration";

/// What an article wrote for a picture: `![alt](dest "title")`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PictureSyntax {
    /// The text between the brackets, as plain text.
    pub alt: String,
    /// The path between the parentheses, as written (not yet percent-decoded).
    pub dest: String,
    /// The quoted text after the path: the caption. Empty when there is none.
    pub title: String,
}

/// The plain-text rule: a line holding only `![alt](path "caption")` (the caption
/// optional) is a picture. It is read by the Markdown parser itself, so escapes,
/// `<path with spaces.png>` and quoting work exactly as in a Markdown article.
pub fn parse_line(line: &str) -> Option<PictureSyntax> {
    use pulldown_cmark::{Event, Parser, Tag, TagEnd};

    let trimmed = line.trim();
    // Cheap tests first: this runs on every line of a pasted page.
    if !trimmed.starts_with("![") || !trimmed.ends_with(')') {
        return None;
    }
    let mut events = Parser::new(trimmed);
    if !matches!(events.next(), Some(Event::Start(Tag::Paragraph))) {
        return None;
    }
    let Some(Event::Start(Tag::Image { dest_url, title, .. })) = events.next() else { return None };
    let mut alt = String::new();
    let mut depth = 0;
    loop {
        match events.next()? {
            Event::End(TagEnd::Image) if depth == 0 => break,
            Event::Start(_) => depth += 1,
            Event::End(_) => depth -= 1,
            Event::Text(text) | Event::Code(text) => alt.push_str(&text),
            Event::SoftBreak | Event::HardBreak => alt.push(' '),
            _ => {}
        }
    }
    if !matches!(events.next(), Some(Event::End(TagEnd::Paragraph))) || events.next().is_some() {
        return None;
    }
    Some(PictureSyntax { alt, dest: dest_url.to_string(), title: title.to_string() })
}

/// What an article wrote for a picture → a [`Block::Figure`] at `line` (its `src`
/// percent-decoded, still as written: [`super::PictureStore::resolve`] checks it). Warns when
/// the alt text is missing (the figure is then decoration). A web address (`http:`,
/// `https:`, `data:` or any other scheme) cannot be shown, since nothing is fetched
/// while building: it warns and returns `Err` with the alt text, for the caller to
/// keep as text.
pub fn figure(
    syntax: PictureSyntax,
    line: usize,
    warnings: &mut Vec<Warning>,
) -> std::result::Result<Block, String> {
    let alt = syntax.alt.split_whitespace().collect::<Vec<_>>().join(" ");
    if is_web_address(&syntax.dest) {
        warnings.push(Warning::at(line, WEB_ADDRESS_WARNING));
        return Err(alt);
    }
    if alt.is_empty() {
        warnings.push(Warning::at(line, NO_ALT_WARNING));
    }
    let title = syntax.title.trim();
    let caption = (!title.is_empty()).then(|| vec![Inline::text(title)]);
    Ok(Block::Figure { src: percent_decode(&syntax.dest), alt, caption, line })
}

/// `scheme:` (two letters or more, so `C:\x.png` is a path) or `//host`.
fn is_web_address(dest: &str) -> bool {
    if dest.starts_with("//") {
        return true;
    }
    match dest.split_once(':') {
        Some((scheme, _)) => {
            scheme.len() >= 2
                && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        }
        None => false,
    }
}

/// `%20` → space, and so on; text that does not decode to UTF-8 is kept as written.
fn percent_decode(text: &str) -> String {
    match percent_encoding::percent_decode_str(text).decode_utf8() {
        Ok(decoded) => decoded.into_owned(),
        Err(_) => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn syntax(alt: &str, dest: &str, title: &str) -> PictureSyntax {
        PictureSyntax { alt: alt.into(), dest: dest.into(), title: title.into() }
    }

    #[test]
    fn a_line_of_its_own_is_a_picture() {
        assert_eq!(
            parse_line(r#"![A foot](pictures/foot.svg "Check daily.")"#),
            Some(syntax("A foot", "pictures/foot.svg", "Check daily."))
        );
        assert_eq!(parse_line("  ![](x.png)  "), Some(syntax("", "x.png", "")));
        assert_eq!(
            parse_line("![A *bold* foot](<my pictures/foot 1.png>)"),
            Some(syntax("A bold foot", "my pictures/foot 1.png", ""))
        );
        // Text around it, two pictures, or a link: not a picture line.
        assert_eq!(parse_line("See ![a](x.png)"), None);
        assert_eq!(parse_line("![a](x.png) and more"), None);
        assert_eq!(parse_line("![a](x.png) ![b](y.png)"), None);
        assert_eq!(parse_line("[a](x.png)"), None);
        assert_eq!(parse_line("![not closed(x.png)"), None);
        assert_eq!(parse_line("Wash your hands (often)"), None);
    }

    #[test]
    fn figures_from_syntax() {
        let mut warnings = Vec::new();
        let block =
            figure(syntax("A  foot", "pictures/my%20foot.png", " Daily. "), 4, &mut warnings).unwrap();
        assert_eq!(
            block,
            Block::Figure {
                src: "pictures/my foot.png".into(),
                alt: "A foot".into(),
                caption: Some(vec![Inline::text("Daily.")]),
                line: 4
            }
        );
        assert!(warnings.is_empty());
        let Block::Figure { alt, caption, .. } = figure(syntax("", "x.png", ""), 7, &mut warnings).unwrap()
        else {
            panic!()
        };
        assert_eq!((alt.as_str(), caption), ("", None));
        assert_eq!(warnings, vec![Warning::at(7, NO_ALT_WARNING)]);
        for web in
            ["https://example.org/a.png", "http://x/a.png", "data:image/png;base64,AAAA", "//cdn/x.png"]
        {
            let mut warnings = Vec::new();
            assert_eq!(
                figure(syntax("A foot", web, ""), 2, &mut warnings),
                Err("A foot".to_string()),
                "{web}"
            );
            assert_eq!(warnings, vec![Warning::at(2, WEB_ADDRESS_WARNING)]);
        }
    }

    #[test]
    fn percent_decoding() {
        assert_eq!(percent_decode("a%20b%2Fc"), "a b/c");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%ff"), "%ff");
        assert_eq!(percent_decode("caf%C3%A9"), "café");
    }
}
