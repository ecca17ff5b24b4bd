//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use handouts::config::{Config, ConfigFile};
use handouts::model::{Article, Block, plain_text};

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The repository's own handouts.toml, with `content` and `out` set.
pub fn repo_config(content: &Path, out: &Path) -> Config {
    let config_path = root().join("handouts.toml");
    ConfigFile::load(&config_path).expect("handouts.toml parses").resolve(
        &config_path,
        content.to_path_buf(),
        out.to_path_buf(),
        None,
    )
}

/// The text of a PDF, extracted back out of it, with whitespace collapsed.
pub fn pdf_text(pdf: &[u8]) -> String {
    let text = pdf_extract::extract_text_from_mem(pdf).expect("PDF text extracts");
    collapse_whitespace(&text)
}

pub fn collapse_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// BaseFont names of every font in a PDF.
pub fn pdf_fonts(pdf: &[u8]) -> Vec<String> {
    let document = lopdf::Document::load_mem(pdf).expect("PDF parses");
    let mut fonts: Vec<String> = document
        .objects
        .values()
        .filter_map(|object| object.as_dict().ok())
        .filter(|dict| dict.get(b"Type").and_then(|t| t.as_name()).is_ok_and(|t| t == b"Font"))
        .filter_map(|dict| dict.get(b"BaseFont").and_then(|n| n.as_name()).ok())
        .map(|name| String::from_utf8_lossy(name).into_owned())
        .collect();
    fonts.sort();
    fonts.dedup();
    fonts
}

/// The font size (from `Tf`) used for the most text-showing operations in the PDF:
/// the body text size.
pub fn pdf_body_font_size(pdf: &[u8]) -> f32 {
    let document = lopdf::Document::load_mem(pdf).expect("PDF parses");
    let mut counts: std::collections::BTreeMap<i64, usize> = Default::default();
    for page in document.get_pages().values() {
        let content = document.get_and_decode_page_content(*page).expect("page content decodes");
        let mut size = 0.0_f32;
        for op in content.operations {
            match op.operator.as_str() {
                "Tf" => {
                    size = op.operands.get(1).and_then(|o| o.as_float().ok()).unwrap_or(0.0);
                }
                "Tj" | "TJ" => *counts.entry((size * 10.0).round() as i64).or_default() += 1,
                _ => {}
            }
        }
    }
    let (size, _) = counts.into_iter().max_by_key(|&(_, n)| n).expect("the PDF shows text");
    size as f32 / 10.0
}

/// Every word of an article as the handout sees it: title, blocks, and removed text.
pub fn article_words(article: &Article) -> Vec<String> {
    let mut text = article.meta.title.clone();
    for block in &article.blocks {
        text.push(' ');
        push_block_text(block, &mut text);
    }
    for removed in &article.removed {
        text.push(' ');
        text.push_str(&removed.text);
    }
    words(&text)
}

fn push_block_text(block: &Block, out: &mut String) {
    match block {
        Block::Heading { content, .. } | Block::Paragraph { content, .. } => {
            out.push_str(&plain_text(content))
        }
        Block::List { items, .. } => {
            for item in items {
                for block in item {
                    out.push(' ');
                    push_block_text(block, out);
                }
            }
        }
        Block::Quote { blocks, .. } => {
            for block in blocks {
                out.push(' ');
                push_block_text(block, out);
            }
        }
        Block::Figure { alt, caption, .. } => {
            out.push_str(alt);
            if let Some(caption) = caption {
                out.push(' ');
                out.push_str(&plain_text(caption));
            }
        }
        Block::Table { header, rows, .. } => {
            for cell in header.iter().chain(rows.iter().flatten()) {
                out.push(' ');
                out.push_str(&plain_text(cell));
            }
        }
        Block::CodeBlock { text, .. } => out.push_str(text),
    }
}

/// Words as runs of letters and digits, lower-cased: punctuation and list markers are
/// not words.
pub fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect()
}

/// Asserts that every word of `source` (counted with multiplicity) is in `article`.
pub fn assert_no_word_lost(source: &str, article: &Article) {
    let mut available: std::collections::HashMap<String, usize> = Default::default();
    for word in article_words(article) {
        *available.entry(word).or_default() += 1;
    }
    for word in words(source) {
        let count = available.get_mut(&word);
        match count {
            Some(n) if *n > 0 => *n -= 1,
            _ => panic!(
                "{}: the word {word:?} of the source is neither in blocks nor in removed",
                article.source
            ),
        }
    }
}

/// The article text after its front matter, for word comparisons.
pub fn body_after_front_matter(text: &str) -> &str {
    for fence in ["---\n", "+++\n"] {
        if let Some(rest) = text.strip_prefix(fence)
            && let Some(end) = rest.find(&format!("\n{fence}"))
        {
            return &rest[end + fence.len() + 1..];
        }
    }
    text
}

/// Every font size (from `Tf`) that shows text somewhere in the PDF, in tenths of a point.
pub fn pdf_font_sizes(pdf: &[u8]) -> std::collections::BTreeSet<i64> {
    let document = lopdf::Document::load_mem(pdf).expect("PDF parses");
    let mut sizes = std::collections::BTreeSet::new();
    for page in document.get_pages().values() {
        let content = document.get_and_decode_page_content(*page).expect("page content decodes");
        let mut size = 0.0_f32;
        for op in content.operations {
            match op.operator.as_str() {
                "Tf" => size = op.operands.get(1).and_then(|o| o.as_float().ok()).unwrap_or(0.0),
                "Tj" | "TJ" => {
                    sizes.insert((size * 10.0).round() as i64);
                }
                _ => {}
            }
        }
    }
    sizes
}
