//! Plain-text inference: structure recovered from text pasted out of a web page.
//!
//! Pasted articles lose their markup but keep its shadow: a title on the first line,
//! short unpunctuated lines as headings, dash or number prefixes as list items,
//! "Label: sentence" lead-ins, and the blog's footer ("Popular posts from this blog")
//! at the end. Every rule below is deliberately conservative: when unsure, a line
//! stays a paragraph, and nothing is ever dropped without an entry in `removed`.

use crate::ingest::Body;
use crate::model::{Block, Inline, Removed, Warning};

/// Lines at most this many words long may be titles or headings.
const HEADING_MAX_WORDS: usize = 10;
/// Titles may run a little longer than section headings.
const TITLE_MAX_WORDS: usize = 14;
/// A lead-in label ("Targeted Therapy:") has at most this many words.
const LEAD_IN_MAX_WORDS: usize = 5;
/// After a boilerplate marker, lines up to this long count as footer links.
const FOOTER_LINE_MAX_WORDS: usize = 15;

/// Lines that start a web page's footer rather than the article.
const BOILERPLATE_MARKERS: &[&str] = &[
    "popular posts from this blog",
    "popular posts",
    "share this article",
    "share this post",
    "share this",
    "related articles",
    "related posts",
    "related stories",
    "you may also like",
    "you might also like",
    "recommended for you",
    "read more",
    "more from this blog",
    "leave a comment",
    "leave a reply",
    "post a comment",
    "comments",
    "subscribe to our newsletter",
    "sign up for our newsletter",
];

/// One non-empty source line.
#[derive(Debug, Clone)]
struct Line {
    /// 1-based line number in the source file.
    number: usize,
    text: String,
    /// A blank line comes before it (or it is the first line).
    blank_before: bool,
    /// A blank line comes after it (or it is the last line).
    blank_after: bool,
}

/// Parses a plain-text body whose first line is source line `first_line`.
pub fn parse(body: &str, first_line: usize) -> Body {
    let lines = collect_lines(body, first_line);
    let mut out = Body::default();
    let (lines, removed) = split_off_boilerplate(lines);
    out.removed = removed;

    let mut rest = lines.as_slice();
    if let Some(first) = rest.first()
        && is_title_line(&first.text)
    {
        out.title = Some(first.text.clone());
        rest = &rest[1..];
    }

    let mut index = 0;
    while index < rest.len() {
        let line = &rest[index];
        if let Some(marker) = list_marker(&line.text) {
            let (list, used) = collect_list(&rest[index..], marker.kind);
            out.blocks.push(list);
            index += used;
            continue;
        }
        let next = rest.get(index + 1);
        if is_heading(line, next) {
            out.blocks.push(Block::Heading {
                level: 2,
                content: vec![Inline::text(&line.text)],
                line: line.number,
            });
        } else {
            out.blocks.push(Block::Paragraph { content: paragraph_inlines(&line.text), line: line.number });
        }
        index += 1;
    }

    out.warnings.extend(bidi_override_warnings(body, first_line));
    if let Some(Block::Paragraph { content, line }) = out.blocks.last() {
        let text = crate::model::plain_text(content);
        if ends_mid_sentence(&text) {
            let tail: String = text.chars().rev().take(30).collect::<Vec<_>>().into_iter().rev().collect();
            out.warnings.push(Warning::at(
                *line,
                format!("text ends mid-sentence (\"…{}\"); the article may be truncated", tail.trim_start()),
            ));
        }
    }
    out
}

/// A warning for each line with a bidirectional override (U+202D, U+202E). Overrides force
/// the display order of the characters after them, so `Take \u{202E}01\u{202C} mg` prints
/// as "Take 10 mg": the handout would say something other than the text. They have no use
/// in ordinary right-to-left text, which the letters themselves order, so one in a pasted
/// article is a mistake or a trick. The text is kept as typed; a person decides.
pub(crate) fn bidi_override_warnings(body: &str, first_line: usize) -> Vec<Warning> {
    body.split('\n')
        .enumerate()
        .filter_map(|(offset, line)| {
            let c = line.chars().find(|c| matches!(c, '\u{202D}' | '\u{202E}'))?;
            Some(Warning::at(
                first_line + offset,
                format!(
                    "bidirectional override (U+{:04X}) makes this line display in a different order \
                     than it was typed; check it, or retype the line",
                    u32::from(c)
                ),
            ))
        })
        .collect()
}

/// Non-empty lines with whitespace tidied. Lines of a hard-wrapped paragraph (a line
/// that stops without punctuation, followed by one starting in lower case) are joined.
fn collect_lines(body: &str, first_line: usize) -> Vec<Line> {
    let mut lines: Vec<Line> = Vec::new();
    let mut blank_before = true;
    for (offset, raw) in body.split('\n').enumerate() {
        let text = tidy_whitespace(raw);
        if text.is_empty() {
            blank_before = true;
            if let Some(last) = lines.last_mut() {
                last.blank_after = true;
            }
            continue;
        }
        if let Some(last) = lines.last_mut()
            && !blank_before
            && continues_wrapped_line(&last.text, &text)
        {
            last.text.push(' ');
            last.text.push_str(&text);
            continue;
        }
        lines.push(Line { number: first_line + offset, text, blank_before, blank_after: false });
        blank_before = false;
    }
    if let Some(last) = lines.last_mut() {
        last.blank_after = true;
    }
    lines
}

/// Collapses runs of spaces, tabs and control characters to one space, trims both ends.
/// A control character counts as a space rather than nothing: pasted text uses form
/// feeds, vertical tabs and NEL as line or word breaks, and deleting them would glue
/// two words into one.
fn tidy_whitespace(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for word in raw.split(|c: char| c == ' ' || c.is_control()).filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out.trim().to_string()
}

fn continues_wrapped_line(previous: &str, next: &str) -> bool {
    let previous_open = !previous.ends_with(['.', '!', '?', ':', ';', '"', '”', ')']);
    let next_lower = next.chars().next().is_some_and(char::is_lowercase);
    previous_open
        && next_lower
        && list_marker(next).is_none()
        && previous.split_whitespace().count() > HEADING_MAX_WORDS
}

/// Finds the first boilerplate marker after the article has begun and moves it, and the
/// run of short footer lines after it, into `removed`. A long paragraph after the marker
/// means the marker was part of the article, so the search stops there.
fn split_off_boilerplate(lines: Vec<Line>) -> (Vec<Line>, Vec<Removed>) {
    let start = lines.iter().enumerate().skip(1).find_map(|(index, line)| {
        let normalized = line.text.trim_end_matches([':', '.', '!']).to_lowercase();
        let is_marker = BOILERPLATE_MARKERS.contains(&normalized.as_str());
        let footer_follows = lines[index + 1..]
            .iter()
            .all(|after| after.text.split_whitespace().count() <= FOOTER_LINE_MAX_WORDS);
        (is_marker && footer_follows).then_some(index)
    });
    let Some(start) = start else { return (lines, Vec::new()) };
    let mut kept = lines;
    let removed = kept
        .split_off(start)
        .into_iter()
        .map(|line| Removed { reason: "web boilerplate".to_string(), line: line.number, text: line.text })
        .collect();
    (kept, removed)
}

fn word_count(text: &str) -> usize {
    text.split_whitespace().count()
}

/// A short first line with no sentence-ending period is the title.
fn is_title_line(text: &str) -> bool {
    word_count(text) <= TITLE_MAX_WORDS
        && !text.ends_with(['.', ',', ';', ':', '。', '，', '；', '：'])
        && list_marker(text).is_none()
        && starts_like_a_sentence(text)
}

/// Starts with a capital letter or digit, after opening marks such as `¿`, `¡` or quotes.
/// Scripts without case (Arabic, Hebrew, Chinese, Japanese, Korean, ...) have no capitals,
/// so any letter of theirs counts: otherwise such an article could never have a title
/// or a heading.
fn starts_like_a_sentence(text: &str) -> bool {
    text.trim_start_matches(['¿', '¡', '"', '“', '\'', '‘', '(', '「', '『', '（'])
        .chars()
        .next()
        .is_some_and(|c| c.is_uppercase() || c.is_numeric() || (c.is_alphabetic() && !c.is_lowercase()))
}

/// A short line, no final period, that stands apart (blank lines around it) or heads the
/// paragraph below it. Questions ("What is kidney cancer?") count.
fn is_heading(line: &Line, next: Option<&Line>) -> bool {
    let text = &line.text;
    let short = word_count(text) <= HEADING_MAX_WORDS && text.chars().count() <= 90;
    let unpunctuated =
        !text.ends_with(['.', ',', ';', ':', '!', '"', '”', '…', '。', '，', '；', '：', '！']);
    let starts_upper = starts_like_a_sentence(text);
    let Some(next) = next else { return false };
    let stands_apart = line.blank_before && line.blank_after;
    let heads_paragraph = word_count(&next.text) > HEADING_MAX_WORDS || list_marker(&next.text).is_some();
    short && unpunctuated && starts_upper && (stands_apart || heads_paragraph)
}

/// `Targeted Therapy: This form of treatment …` → strong "Targeted Therapy:" + the rest.
fn paragraph_inlines(text: &str) -> Vec<Inline> {
    if let Some((label, rest)) = text.split_once(": ") {
        let label_words = word_count(label);
        let label_is_name = (1..=LEAD_IN_MAX_WORDS).contains(&label_words)
            && label.chars().next().is_some_and(char::is_uppercase)
            && !label.contains(['.', ',', ';', '?', '!', '(', '"', '“']);
        let rest_is_sentence = rest.chars().next().is_some_and(char::is_uppercase) && word_count(rest) > 3;
        if label_is_name && rest_is_sentence {
            return vec![
                Inline::Strong { content: vec![Inline::text(format!("{label}:"))] },
                Inline::text(format!(" {rest}")),
            ];
        }
    }
    vec![Inline::text(text)]
}

fn ends_mid_sentence(text: &str) -> bool {
    let trimmed = text.trim_end();
    !trimmed.ends_with([
        '.', '!', '?', '…', '"', '”', '’', '\'', ')', ']', '。', '！', '？', '」', '』', '）', '؟', '۔',
    ])
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum MarkerKind {
    Bullet,
    Number,
    Letter,
}

struct ListMarker<'a> {
    kind: MarkerKind,
    /// The number of a numbered item.
    number: Option<u64>,
    rest: &'a str,
}

/// `- x`, `– x`, `— x`, `• x`, `* x`, `1. x`, `1) x`, `a) x`.
fn list_marker(text: &str) -> Option<ListMarker<'_>> {
    for bullet in ['-', '–', '—', '•', '*', '·', '▪', '◦'] {
        if let Some(rest) = text.strip_prefix(bullet)
            && let Some(rest) = rest.strip_prefix(' ')
            && !rest.trim().is_empty()
        {
            return Some(ListMarker { kind: MarkerKind::Bullet, number: None, rest: rest.trim_start() });
        }
    }
    let digits: String = text.chars().take_while(char::is_ascii_digit).collect();
    if !digits.is_empty() && digits.len() <= 3 {
        let after = &text[digits.len()..];
        if let Some(rest) = after.strip_prefix(". ").or_else(|| after.strip_prefix(") "))
            && !rest.trim().is_empty()
        {
            return Some(ListMarker {
                kind: MarkerKind::Number,
                number: digits.parse().ok(),
                rest: rest.trim_start(),
            });
        }
    }
    let mut chars = text.chars();
    if let (Some(letter), Some(')'), Some(' ')) = (chars.next(), chars.next(), chars.next())
        && letter.is_ascii_lowercase()
    {
        let rest = chars.as_str();
        if !rest.trim().is_empty() {
            return Some(ListMarker { kind: MarkerKind::Letter, number: None, rest: rest.trim_start() });
        }
    }
    None
}

/// Consecutive items with the same kind of marker form one list. Returns the list and
/// the number of lines it used.
fn collect_list(lines: &[Line], kind: MarkerKind) -> (Block, usize) {
    let mut items = Vec::new();
    let mut start = None;
    let mut used = 0;
    for line in lines {
        let Some(marker) = list_marker(&line.text).filter(|m| m.kind == kind) else { break };
        if start.is_none() {
            start = marker.number;
        }
        items.push(vec![Block::Paragraph { content: paragraph_inlines(marker.rest), line: line.number }]);
        used += 1;
    }
    let ordered = kind != MarkerKind::Bullet;
    let start = if kind == MarkerKind::Number { start.filter(|&n| n != 1) } else { None };
    (Block::List { ordered, start, items, line: lines[0].number }, used)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(blocks: &[Block]) -> Vec<String> {
        blocks
            .iter()
            .map(|block| match block {
                Block::Heading { content, .. } => format!("H: {}", crate::model::plain_text(content)),
                Block::Paragraph { content, .. } => format!("P: {}", crate::model::plain_text(content)),
                Block::List { items, .. } => format!("L: {} items", items.len()),
                other => format!("{other:?}"),
            })
            .collect()
    }

    #[test]
    fn title_is_a_short_first_line_without_period() {
        assert_eq!(
            parse("Can it be cured?\n\nYes, sometimes it can.", 1).title.as_deref(),
            Some("Can it be cured?")
        );
        assert_eq!(parse("This is a sentence.\nMore.", 1).title, None);
        assert_eq!(parse("¿Qué es?\n\nUn texto.", 1).title.as_deref(), Some("¿Qué es?"));
        let long = "A first line that is far too long to be the title of anything at all really";
        assert_eq!(parse(long, 1).title, None);
    }

    #[test]
    fn headings_stand_apart_or_head_a_paragraph() {
        let body = parse(
            "Title\n\nIntro paragraph that runs on for quite a number of words indeed.\n\nThe Goals of Treatment\n\nSome text that is long enough to be a paragraph for sure here.\nWhat should I ask?\nAnother paragraph that is long enough to be a paragraph for sure here.",
            1,
        );
        assert_eq!(
            texts(&body.blocks),
            [
                "P: Intro paragraph that runs on for quite a number of words indeed.",
                "H: The Goals of Treatment",
                "P: Some text that is long enough to be a paragraph for sure here.",
                "H: What should I ask?",
                "P: Another paragraph that is long enough to be a paragraph for sure here.",
            ]
        );
        assert_eq!(body.blocks[1].line(), 5);
    }

    #[test]
    fn short_line_ending_with_colon_introduces_a_list() {
        let body = parse(
            "Title\nFor example:\n– one thing\n– another thing\n— a third\nAfter the list, a paragraph.",
            1,
        );
        assert_eq!(texts(&body.blocks), ["P: For example:", "L: 3 items", "P: After the list, a paragraph."]);
    }

    #[test]
    fn list_markers() {
        for (text, kind) in [
            ("- a", MarkerKind::Bullet),
            ("• a", MarkerKind::Bullet),
            ("* a", MarkerKind::Bullet),
            ("1. a", MarkerKind::Number),
            ("12) a", MarkerKind::Number),
            ("a) a", MarkerKind::Letter),
        ] {
            assert_eq!(list_marker(text).map(|m| m.kind), Some(kind), "{text}");
        }
        for text in ["-a", "2026. Year", "1.5 mg daily", "-"] {
            assert!(list_marker(text).is_none(), "{text}");
        }
        let body = parse("Steps\n\n3. third\n4. fourth", 1);
        assert!(matches!(&body.blocks[0], Block::List { ordered: true, start: Some(3), .. }));
    }

    #[test]
    fn lead_ins_become_strong() {
        assert_eq!(
            paragraph_inlines("Targeted Therapy: This form of treatment uses drugs."),
            vec![
                Inline::Strong { content: vec![Inline::text("Targeted Therapy:")] },
                Inline::text(" This form of treatment uses drugs."),
            ]
        );
        // A lower-case continuation or a long label is an ordinary sentence.
        assert_eq!(
            paragraph_inlines("In summary: while there is hope."),
            vec![Inline::text("In summary: while there is hope.")]
        );
        assert_eq!(
            paragraph_inlines("It depends on a great many different things: Age and health."),
            vec![Inline::text("It depends on a great many different things: Age and health.")]
        );
    }

    #[test]
    fn footer_boilerplate_is_removed_with_reason() {
        let body = parse(
            "Title\n\nA real paragraph of the article that says something useful.\n\nPopular posts from this blog\n\nWhat Is Kidney Cancer?\n\nProstate Cancer: An Overview",
            1,
        );
        assert_eq!(texts(&body.blocks), ["P: A real paragraph of the article that says something useful."]);
        let removed: Vec<(usize, &str)> = body.removed.iter().map(|r| (r.line, r.text.as_str())).collect();
        assert_eq!(
            removed,
            [
                (5, "Popular posts from this blog"),
                (7, "What Is Kidney Cancer?"),
                (9, "Prostate Cancer: An Overview")
            ]
        );
        assert!(body.removed.iter().all(|r| r.reason == "web boilerplate"));
    }

    #[test]
    fn marker_followed_by_long_text_is_kept() {
        let body = parse(
            "Title\n\nFirst paragraph here with enough words to count.\n\nComments\n\nThis paragraph is long and is part of the article, so it must stay where it is.",
            1,
        );
        assert!(body.removed.is_empty());
        assert_eq!(body.blocks.len(), 3);
    }

    #[test]
    fn truncated_text_warns() {
        let body = parse("Title\n\nIt depends on multiple factors: th", 1);
        assert_eq!(body.warnings.len(), 1);
        assert_eq!(body.warnings[0].line, Some(3));
        assert!(body.warnings[0].message.contains("ends mid-sentence"));
        assert!(parse("Title\n\nA finished sentence.", 1).warnings.is_empty());
    }

    #[test]
    fn titles_and_headings_in_scripts_without_capitals() {
        let body = parse(
            "化疗指南\n\n化疗可以帮助控制癌症。\n\n常见问题\n\n化疗会掉头发吗？这取决于所用的药物和剂量。",
            1,
        );
        assert_eq!(body.title.as_deref(), Some("化疗指南"));
        assert_eq!(
            texts(&body.blocks),
            ["P: 化疗可以帮助控制癌症。", "H: 常见问题", "P: 化疗会掉头发吗？这取决于所用的药物和剂量。"]
        );
        assert!(body.warnings.is_empty(), "{:?}", body.warnings);
        let body =
            parse("العلاج الكيميائي\n\nيساعد العلاج الكيميائي على السيطرة على السرطان في كثير من الحالات.", 1);
        assert_eq!(body.title.as_deref(), Some("العلاج الكيميائي"));
    }

    #[test]
    fn control_characters_separate_words() {
        assert_eq!(tidy_whitespace("one\u{c}two\u{85}three\u{7}  four\u{1b}"), "one two three four");
    }

    #[test]
    fn bidi_overrides_warn_with_their_line() {
        let body = parse("Title\n\nTake \u{202E}01\u{202C} mg daily.\n\nشكرا.", 4);
        assert_eq!(body.warnings.len(), 1, "{:?}", body.warnings);
        assert_eq!(body.warnings[0].line, Some(6));
        assert!(body.warnings[0].message.starts_with("bidirectional override (U+202E)"));
    }

    #[test]
    fn whitespace_is_tidied_and_wrapped_lines_joined() {
        let body = parse(
            "Title\n\n  This   paragraph was\thard wrapped by an email client at some\nnarrow width and continues here.  ",
            1,
        );
        assert_eq!(
            texts(&body.blocks),
            [
                "P: This paragraph was hard wrapped by an email client at some narrow width and continues here."
            ]
        );
    }
}
