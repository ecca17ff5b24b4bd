//! The article's printed text in composed form (NFC) before typst sees it.
//!
//! Decomposed text ("u" + horn + tilde for "ữ", as some editors and Macs save it) is
//! shaped with the body font when the font has the first letter, and typst drops a
//! mark that font lacks when another mark of the same letter follows (typst-layout
//! `inline/shaping.rs`, `shape_segment`: the fallback range of the missing glyph ends
//! where the next glyph's cluster starts, which is where it starts): "Những" printed as
//! "Nhũng". Composed, "ữ" is one character that Atkinson Hyperlegible lacks, so the
//! whole letter is set in the fallback font, as it is when the article was composed
//! to begin with (docs/upstream-text-layer.md).
//!
//! CJK compatibility ideographs (U+F900–U+FAFF, U+2F800–U+2FA1F) are kept as they are:
//! NFC would replace each with its unified ideograph, which some fonts draw differently.

use std::borrow::Cow;

use unicode_normalization::{UnicodeNormalization, is_nfc};

use crate::model::{Article, Block, Inline};

use super::Personal;

/// `article` with every text the template prints composed; borrowed when it already is.
pub fn composed_article(article: Cow<'_, Article>) -> Cow<'_, Article> {
    let mut composed = false;
    visit(&article, &mut |text| composed |= !is_nfc(text));
    if !composed {
        return article;
    }
    let mut article = article.into_owned();
    let Article { meta, blocks, .. } = &mut article;
    compose(&mut meta.title);
    meta.summary.iter_mut().for_each(compose);
    blocks.iter_mut().for_each(compose_block);
    Cow::Owned(article)
}

/// One patient's copy: the name, clinician and note composed.
pub fn composed_personal(personal: &Personal) -> Personal {
    let mut personal = personal.clone();
    for text in [&mut personal.patient, &mut personal.clinician, &mut personal.note] {
        compose(text);
    }
    personal
}

/// Calls `f` with every text of the article that [`composed_article`] composes.
fn visit(article: &Article, f: &mut impl FnMut(&str)) {
    f(&article.meta.title);
    article.meta.summary.iter().for_each(|s| f(s));
    fn inlines(nodes: &[Inline], f: &mut impl FnMut(&str)) {
        for node in nodes {
            match node {
                Inline::Text { text } | Inline::Code { text } => f(text),
                Inline::Strong { content } | Inline::Emphasis { content } | Inline::Link { content, .. } => {
                    inlines(content, f)
                }
                Inline::LineBreak => {}
            }
        }
    }
    fn blocks(nodes: &[Block], f: &mut impl FnMut(&str)) {
        for node in nodes {
            match node {
                Block::Heading { content, .. } | Block::Paragraph { content, .. } => inlines(content, f),
                Block::List { items, .. } => items.iter().for_each(|item| blocks(item, f)),
                Block::Quote { blocks: inner, .. } => blocks(inner, f),
                Block::Table { header, rows, .. } => {
                    header.iter().chain(rows.iter().flatten()).for_each(|cell| inlines(cell, f))
                }
                Block::Figure { alt, caption, .. } => {
                    f(alt);
                    caption.iter().for_each(|caption| inlines(caption, f));
                }
                Block::CodeBlock { text, .. } => f(text),
            }
        }
    }
    blocks(&article.blocks, f);
}

fn compose_inlines(nodes: &mut [Inline]) {
    for node in nodes {
        match node {
            Inline::Text { text } | Inline::Code { text } => compose(text),
            Inline::Strong { content } | Inline::Emphasis { content } | Inline::Link { content, .. } => {
                compose_inlines(content)
            }
            Inline::LineBreak => {}
        }
    }
}

fn compose_block(block: &mut Block) {
    match block {
        Block::Heading { content, .. } | Block::Paragraph { content, .. } => compose_inlines(content),
        Block::List { items, .. } => items.iter_mut().flatten().for_each(compose_block),
        Block::Quote { blocks, .. } => blocks.iter_mut().for_each(compose_block),
        Block::Table { header, rows, .. } => {
            header.iter_mut().chain(rows.iter_mut().flatten()).for_each(|cell| compose_inlines(cell))
        }
        // `src` names the picture's file and stays as the article wrote it.
        Block::Figure { alt, caption, .. } => {
            compose(alt);
            caption.iter_mut().for_each(|caption| compose_inlines(caption));
        }
        Block::CodeBlock { text, .. } => compose(text),
    }
}

fn is_cjk_compatibility(c: char) -> bool {
    matches!(c as u32, 0xF900..=0xFAFF | 0x2F800..=0x2FA1F)
}

/// NFC, except that CJK compatibility ideographs stay themselves (they are starters
/// that compose with nothing, so the text between them is composed on its own).
fn compose(text: &mut String) {
    if is_nfc(text) {
        return;
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(at) = rest.find(is_cjk_compatibility) {
        out.extend(rest[..at].nfc());
        let ideograph = rest[at..].chars().next().unwrap_or_default();
        out.push(ideograph);
        rest = &rest[at + ideograph.len_utf8()..];
    }
    out.extend(rest.nfc());
    *text = out;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decomposed_letters_are_composed_and_compatibility_ideographs_kept() {
        let mut text = "Nhu\u{31B}\u{303}ng \u{F900}e\u{302}\u{303}".to_string();
        compose(&mut text);
        assert_eq!(text, "Những \u{F900}ễ");
    }
}
