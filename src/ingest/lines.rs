//! The shape of a line of plain text, which both finding the article in a page
//! (`page.rs`) and recovering its structure (`text.rs`) read: its words, whether it
//! starts like a sentence, looks like a heading, or starts with a list marker. Shapes
//! only: no vocabulary of page furniture, and no decision about blocks.

/// Lines at most this many words long may be titles or headings.
pub(crate) const HEADING_MAX_WORDS: usize = 12;

/// One non-empty source line.
#[derive(Debug, Clone)]
pub(crate) struct Line {
    /// 1-based line number in the source file.
    pub number: usize,
    pub text: String,
    /// How far in the line is set as written, in columns.
    pub indent: usize,
    /// A blank line comes before it (or it is the first line).
    pub blank_before: bool,
    /// A blank line comes after it (or it is the last line).
    pub blank_after: bool,
}

/// A line that reads as a heading in shape: short, no final sentence punctuation, starts
/// like a sentence.
pub(crate) fn looks_like_heading(text: &str) -> bool {
    word_count(text) <= HEADING_MAX_WORDS
        && text.chars().count() <= 100
        && !text.ends_with(['.', ',', ';', ':', '!', '"', '”', '…', '。', '，', '；', '：', '！'])
        && starts_like_a_sentence(text)
}

pub(crate) fn word_count(text: &str) -> usize {
    text.split_whitespace().count()
}

/// Starts with a capital letter or digit, after opening marks such as `¿`, `¡` or quotes.
/// Scripts without case (Arabic, Hebrew, Chinese, Japanese, Korean, ...) have no capitals,
/// so any letter of theirs counts: otherwise such an article could never have a title
/// or a heading.
pub(crate) fn starts_like_a_sentence(text: &str) -> bool {
    text.trim_start_matches(['¿', '¡', '"', '“', '\'', '‘', '(', '「', '『', '（'])
        .chars()
        .next()
        .is_some_and(|c| c.is_uppercase() || c.is_numeric() || (c.is_alphabetic() && !c.is_lowercase()))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MarkerKind {
    Bullet,
    Number,
    Letter,
}

pub(crate) struct ListMarker<'a> {
    pub kind: MarkerKind,
    /// The number of a numbered item.
    pub number: Option<u64>,
    pub rest: &'a str,
}

/// Whether `text` starts with a list marker ([`list_marker`]).
pub(crate) fn has_list_marker(text: &str) -> bool {
    list_marker(text).is_some()
}

/// Bullet glyphs that start a list item, with or without a space after them.
const BULLETS: &[char] = &[
    '-', '–', '—', '•', '*', '·', '▪', '◦', '●', '○', '■', '□', '▫', '►', '▸', '‣', '⁃', '✓', '✔', '☐', '☑',
    '➢', '➤', '→', '⇒', '❖', '◆', '◇', '♦',
];

/// `- x`, `• x`, `●x`, `✓ x`, `1. x`, `1) x`, `1.Avoid`, `a) x`, `A. x`, `A.Raise`.
pub(crate) fn list_marker(text: &str) -> Option<ListMarker<'_>> {
    let first = text.chars().next()?;
    if BULLETS.contains(&first) {
        let after = &text[first.len_utf8()..];
        let rest = after.trim_start();
        // ASCII dashes and stars need a space ("-5 °C", "*note"); the glyphs do not.
        let spaced = after.starts_with(' ');
        let needs_space = first.is_ascii() || matches!(first, '–' | '—' | '·');
        if !rest.is_empty()
            && (spaced || !needs_space)
            && rest.chars().next().is_some_and(|c| !BULLETS.contains(&c))
        {
            return Some(ListMarker { kind: MarkerKind::Bullet, number: None, rest });
        }
        return None;
    }
    let digits: String = text.chars().take_while(char::is_ascii_digit).collect();
    if !digits.is_empty() && digits.len() <= 3 {
        let after = &text[digits.len()..];
        if let Some(rest) = after.strip_prefix(['.', ')'])
            && let Some(rest) = glued_or_spaced(rest)
        {
            return Some(ListMarker { kind: MarkerKind::Number, number: digits.parse().ok(), rest });
        }
    }
    let mut chars = text.chars();
    if let (Some(letter), Some(mark)) = (chars.next(), chars.next())
        && letter.is_ascii_alphabetic()
        && matches!(mark, ')' | '.')
        && let Some(rest) = glued_or_spaced(chars.as_str())
    {
        // "U.S. adults" and "e. coli" are not items: after "A." the item starts a word.
        let dotted_ok = mark == ')' || rest.chars().nth(1).is_some_and(char::is_lowercase);
        if dotted_ok && (mark == ')' || letter.is_ascii_uppercase() || text[2..].starts_with(' ')) {
            return Some(ListMarker { kind: MarkerKind::Letter, number: None, rest });
        }
    }
    None
}

/// The item text after a number or letter marker: after a space, or glued to a capital
/// ("1.Avoid"), never a decimal or a date ("1.5 mg", "2026. Year" is caught by length).
fn glued_or_spaced(after_mark: &str) -> Option<&str> {
    if let Some(rest) = after_mark.strip_prefix(' ') {
        let rest = rest.trim_start();
        return (!rest.is_empty()).then_some(rest);
    }
    let mut chars = after_mark.chars();
    let (first, second) = (chars.next()?, chars.next()?);
    (first.is_uppercase() && second.is_lowercase()).then_some(after_mark)
}
