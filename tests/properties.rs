//! Properties of ingest over generated input (issue 7): it never panics, plain text never
//! loses a word, Markdown never loses text the parser saw, and the JSON it writes reads
//! back as the same article. Longer runs of the first property live in `fuzz/`.
//!
//! The generators lean towards what the plain-text inference looks at (short lines, list
//! markers, "Label: Sentence", blank lines, footer markers, CRLF, tabs, control
//! characters and typst/HTML syntax), because random Unicode almost never hits a rule.

mod common;

use std::path::Path;

use handouts::analyze::{WordLists, analyze};
use handouts::ingest::ingest_bytes;
use handouts::model::Article;
use proptest::prelude::*;
use pulldown_cmark::{Event, Options, Parser};

/// Enough to find the bugs these properties found, and the whole file stays a few seconds
/// in a debug build; `fuzz/` is the place for long runs.
fn config() -> ProptestConfig {
    ProptestConfig { cases: 256, max_shrink_iters: 2_000, ..ProptestConfig::default() }
}

/// One "word" of a generated line: mostly ordinary words, sometimes something hostile.
fn token() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => "[A-Za-z]{1,9}",
        2 => "[0-9]{1,4}",
        2 => "[A-Z][a-z]{0,7}[.,:;?!]",
        1 => "\\PC{1,6}",
        1 => prop::sample::select(vec![
            "#set", "$x$", "<script>", "</b>", "]]>", "&amp;", "&", "#", "$", "<", ">", "]", "[",
            "`", "\\", "*", "_", "@label", "<!--", "-->", "{", "}", "|", "~", "^", "%",
            "\u{202E}", "\u{202C}", "\u{200D}", "\u{200B}", "\u{FEFF}", "\u{00A0}", "😀", "👨‍👩‍👧",
            "癌症", "がん", "암", "السرطان", "καρκίνος", "рак", "ﷺ", "e\u{301}",
            // What browsers copy from real pages: a byline's no-break space, soft
            // hyphens, joiners, direction marks, combining accents.
            "By\u{a0}Dana", "Por\u{a0}la", "Dr.\u{a0}Ruiz", "\u{ad}", "care\u{ad}giver", "\u{200c}",
            "\u{200e}", "\u{200f}", "\u{2060}", "a\u{308}\u{301}", "\u{a0}\u{a0}", "İstanbul", "ẞ",
        ])
        .prop_map(str::to_string),
        1 => "[\u{1}-\u{8}\u{b}\u{c}\u{e}-\u{1f}\u{7f}-\u{9f}]{1,2}",
    ]
}

/// How a generated line starts: the list and lead-in shapes `ingest/text.rs` looks for.
fn line_prefix() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => Just(String::new()),
        4 => prop::sample::select(vec![
            "- ", "– ", "— ", "• ", "* ", "· ", "1. ", "2. ", "10) ", "999. ", "1000. ", "a) ", "b) ",
            "-", "1.", "a)", "  - ", "\t• ", "# ", "## ", "> ", "---", "+++", "| ", "```",
        ])
        .prop_map(str::to_string),
        2 => "[A-Z][a-z]{1,8}( [A-Z][a-z]{1,8}){0,2}: ",
    ]
}

/// Between tokens: mostly a space, sometimes nothing (tokens run together) or a control
/// character that pasted text uses as a break.
fn separator() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        " ", " ", " ", " ", "  ", "\t", "", "\u{b}", "\u{c}", "\u{85}", "\u{1b}", "\u{a0}", "\u{2009}",
        "\u{202f}", "\u{3000}",
    ])
}

fn line_end() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec!["", "", "", ".", ".", ":", "?", "!", ",", ";", "…", "\"", ")"])
}

/// Lines a web page's footer starts with.
fn boilerplate() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "Popular posts from this blog",
        "Share this article",
        "Related articles",
        "Comments",
        "Read more",
        "Leave a reply:",
    ])
    .prop_map(str::to_string)
}

fn line() -> impl Strategy<Value = String> {
    prop_oneof![
        12 => (
            line_prefix(),
            prop::collection::vec((token(), separator()), 0..14),
            line_end(),
        )
            .prop_map(|(prefix, words, end)| {
                let mut line = prefix;
                for (index, (word, space)) in words.iter().enumerate() {
                    if index > 0 {
                        line.push_str(space);
                    }
                    line.push_str(word);
                }
                line.push_str(end);
                line
            }),
        1 => boilerplate(),
        1 => Just(String::new()),
    ]
}

fn line_break() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "\n", "\n", "\n", "\n\n", "\n\n", "\r\n", "\r\n\r\n", "\r", "\n \t\n", "\u{c}\n",
    ])
}

/// A whole pasted article.
fn article_text() -> impl Strategy<Value = String> {
    prop::collection::vec((line(), line_break()), 1..30).prop_map(|lines| {
        let mut text = String::new();
        for (line, end) in lines {
            text.push_str(&line);
            text.push_str(end);
        }
        text
    })
}

/// The source text as ingest sees it once decoded: BOM gone, line ends normalized.
fn normalized(text: &str) -> String {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    text.replace("\r\n", "\n").replace('\r', "\n")
}

/// Whether ingest would read the start of `text` as front matter; such cases belong to
/// the front-matter tests, not to "no word lost" (front matter is metadata, not words).
fn opens_front_matter(text: &str) -> bool {
    matches!(normalized(text).lines().next().map(str::trim_end), Some("---" | "+++"))
}

/// The words of a plain-text source, without list numbers and letters: `1.` and `a)` are
/// structure (an ordered list), not words. Removing every line-initial number or letter
/// followed by `.` or `)` may remove more than ingest does, which only weakens the check.
fn plain_source_words(text: &str) -> String {
    let mut out = String::new();
    for line in normalized(text).split('\n') {
        let line = line.trim_start_matches(|c: char| c.is_whitespace() || c.is_control());
        let marker_len = line.chars().take_while(char::is_ascii_digit).count();
        let marker_len = if (1..=3).contains(&marker_len) {
            marker_len
        } else if line.starts_with(|c: char| c.is_ascii_alphabetic()) {
            // "A." and "a)" open lettered list items; the letter is structure, like "1.".
            1
        } else {
            0
        };
        let rest = match line.get(marker_len..) {
            Some(rest) if marker_len > 0 && rest.starts_with(['.', ')']) => &rest[1..],
            _ => line,
        };
        out.push_str(rest);
        out.push('\n');
    }
    out
}

/// Every piece of text pulldown-cmark reports for `body`, with the options ingest uses.
fn markdown_event_text(body: &str) -> String {
    let mut out = String::new();
    for event in Parser::new_ext(body, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH) {
        match event {
            Event::Text(text)
            | Event::Code(text)
            | Event::Html(text)
            | Event::InlineHtml(text)
            | Event::InlineMath(text)
            | Event::DisplayMath(text)
            | Event::FootnoteReference(text) => {
                out.push_str(&text);
                out.push(' ');
            }
            _ => {}
        }
    }
    out
}

fn ingest(name: &str, text: &str) -> Result<Article, handouts::Error> {
    ingest_bytes(Path::new(name), text.as_bytes())
}

/// The JSON of `article` read back through a `.json` path, as `content/*.json` is.
fn json_round_trip(article: &Article) -> Article {
    let json = serde_json::to_vec_pretty(article).expect("an article serializes");
    ingest_bytes(Path::new("content/edited.json"), &json)
        .unwrap_or_else(|err| panic!("the JSON of an article does not read back: {err}"))
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..2_000)) {
        for name in ["content/a.txt", "content/a.md", "content/a.json", "content/a.html"] {
            // A panic is caught and becomes an internal error: that is a bug all the same.
            if let Err(err) = ingest_bytes(Path::new(name), &bytes) {
                prop_assert!(err.kind() != handouts::error::Kind::Internal, "{err}");
            }
        }
    }

    /// Mostly-valid UTF-8 with stray bytes: reaches deeper than uniform random bytes,
    /// which nearly always fail the UTF-8 check at once.
    #[test]
    fn text_with_stray_bytes_never_panics(
        text in article_text(),
        stray in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..3),
    ) {
        let mut bytes = text.into_bytes();
        for (index, byte) in stray {
            if !bytes.is_empty() {
                let at = index.index(bytes.len());
                bytes[at] = byte;
            }
        }
        for name in ["content/a.txt", "content/a.md"] {
            if let Err(err) = ingest_bytes(Path::new(name), &bytes) {
                let message = err.to_string();
                prop_assert!(message.starts_with(name), "{message}");
            }
        }
    }

    /// A saved page made of the same lines, each in a tag a page would use: the HTML
    /// reader may refuse it, never fail inside.
    #[test]
    fn saved_pages_never_fail_inside(
        text in article_text(),
        tags in prop::collection::vec(prop::sample::select(vec![
            "p", "h1", "h2", "li", "nav", "header", "footer", "figcaption", "div", "span", "td", "article",
        ]), 1..8),
    ) {
        let mut page = String::from("<!doctype html><html><head><title>T\u{a0}| Site</title></head><body>");
        for (index, line) in text.lines().enumerate() {
            let tag = tags[index % tags.len()];
            page.push_str(&format!("<{tag}>{line}</{tag}>"));
        }
        page.push_str("</body></html>");
        if let Err(err) = ingest_bytes(Path::new("content/page.html"), page.as_bytes()) {
            prop_assert!(err.kind() != handouts::error::Kind::Internal, "{err}");
        }
    }

    /// Plain text without NUL bytes or front matter is always an article, and every word
    /// of it is in `blocks`, the title, or `removed`.
    #[test]
    fn plain_text_never_loses_a_word(text in article_text()) {
        prop_assume!(!opens_front_matter(&text));
        match ingest("content/pasted.txt", &text) {
            Ok(article) => common::assert_no_word_lost(&plain_source_words(&text), &article),
            Err(err) => {
                prop_assert!(
                    text.contains('\0') || normalized(&text).trim().is_empty(),
                    "refused: {err}"
                );
            }
        }
    }

    /// Markdown drops syntax by design (URLs, entity names like the `amp` of `&amp;`,
    /// link reference definitions), so "a word of the file" is not the right measure.
    /// What must hold is that no text pulldown-cmark reports is lost on the way to the
    /// model: every word of every text, code and HTML event is in the article's text.
    #[test]
    fn markdown_never_loses_text_the_parser_saw(text in article_text()) {
        prop_assume!(!opens_front_matter(&text));
        let Ok(article) = ingest("content/pasted.md", &text) else {
            prop_assert!(text.contains('\0') || normalized(&text).trim().is_empty());
            return Ok(());
        };
        // Adjacent inlines join in the model's plain text (`code`text → "codetext"), so each
        // word the parser reported is looked for in the article's text, not as a whole word.
        let article_text = common::article_words(&article).join(" ");
        let article_text: String = article_text.chars().filter(|c| !c.is_whitespace()).collect();
        for word in common::words(&markdown_event_text(&normalized(&text))) {
            prop_assert!(article_text.contains(&word), "{word:?} was lost: {article:#?}");
        }
    }

    #[test]
    fn json_of_an_ingested_article_reads_back_identically(text in article_text()) {
        for name in ["content/a.txt", "content/a.md"] {
            let Ok(mut article) = ingest(name, &text) else { continue };
            prop_assert_eq!(&json_round_trip(&article), &article);
            // out/json/<id>.json is written after analyze: that form must read back too.
            analyze(&mut article, &WordLists::builtin());
            prop_assert_eq!(&json_round_trip(&article), &article);
        }
    }
}

/// Cases the properties found, kept as plain tests so they stay fixed.
#[test]
fn control_characters_separate_words() {
    let text = "Title\n\nTake one\u{c}tablet\u{b}daily with\u{85}water.\n";
    let article = ingest("content/a.txt", text).unwrap();
    common::assert_no_word_lost(text, &article);
}

#[test]
fn list_numbers_are_structure_not_words() {
    let text = "Steps\n\n3. Wash your hands.\n4. Take the pill.\n\na) first\nb) second\n";
    let article = ingest("content/a.txt", text).unwrap();
    common::assert_no_word_lost(&plain_source_words(text), &article);
    assert!(plain_source_words(text).contains(" Wash your hands."));
}

/// Found by CI: two lines with lettered markers, the first upper case, became a list
/// whose letters are numbering; every word after the markers is kept.
#[test]
fn upper_case_letter_markers_are_structure_not_words() {
    let text = "A. Aa,\na) .\n";
    let article = ingest("content/pasted.txt", text).unwrap();
    common::assert_no_word_lost(&plain_source_words(text), &article);
    assert!(plain_source_words(text).starts_with(" Aa,\n"));
}
