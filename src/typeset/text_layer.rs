//! The PDF's text layer: each glyph of a handout carries the characters it shows, once.
//!
//! Copy-paste, search and screen readers read a PDF's text from its glyphs, not from
//! the article. typst hands the PDF exporter one *text item* per run of glyphs, and
//! every glyph carries the text of its whole *cluster* (a letter with its marks). When
//! a cluster has several glyphs, that text is written more than once (issue 24,
//! docs/upstream-text-layer.md):
//!
//! - Atkinson Hyperlegible has no precomposed "ễ", so the shaper draws it as "ê" and a
//!   combining tilde raised above the circumflex; Arabic and Hebrew draw every vowel
//!   mark as a glyph of its own. typst puts glyphs with a different vertical offset in
//!   separate text items (typst-layout `inline/shaping.rs`, `ShapedText::build`), each
//!   with the whole cluster's text, so "Nguyễn" came back as "Nguyễễn", "مُ" as "مُمُ".
//! - Within one item, krilla wraps the cluster in an `/ActualText` span but, for
//!   PDF/UA, also maps every glyph of it to the whole cluster in the font's ToUnicode
//!   CMap (krilla `text/group.rs`), so readers that ignore `/ActualText` double it.
//!   And a right-to-left item holding such a cluster is not marked `/ReversedChars`
//!   (krilla `content.rs` wants strictly falling ranges), so readers that take the
//!   text in drawing order read its word backwards.
//!
//! [`repair`] rewrites the laid-out pages before export so that every glyph of a
//! cluster of several glyphs stands for its own characters: the "ê" glyph for "ê", the
//! tilde glyph for U+0303, an Arabic letter for its letter and each vowel mark for its
//! mark. The glyphs, their positions and so the printed page are untouched; the text
//! comes back canonically equivalent to the article's (the same after NFC), as "ê" and
//! a combining tilde rather than one "ễ". A cluster whose glyphs cannot each be given
//! their characters with certainty (see [`assign`]) is left as typst made it.

use std::ops::Range;

use typst::layout::{Abs, Frame, FrameItem, Point};
use typst::model::Document;
use typst::syntax::Span;
use typst::text::{FontInstance, TextItem};
use typst_layout::PagedDocument;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::{canonical_combining_class, compose, is_combining_mark};

/// The document with the text of every cluster of several glyphs shared out among its
/// glyphs. Returns `document` itself when no cluster needed it (most Latin handouts).
pub fn repair(document: PagedDocument) -> PagedDocument {
    let mut changed = false;
    let pages: Vec<_> = document
        .pages()
        .iter()
        .map(|page| {
            let mut page = page.clone();
            if let Some(frame) = repair_frame(&page.frame) {
                page.frame = frame;
                changed = true;
            }
            page
        })
        .collect();
    if !changed {
        return document;
    }
    PagedDocument::new(pages.into_iter().collect(), document.info().clone())
}

/// The frame with repaired text items (in it and in its groups), if any changed.
fn repair_frame(frame: &Frame) -> Option<Frame> {
    let items: Vec<&(Point, FrameItem)> = frame.items().collect();
    let mut replaced: Vec<Option<FrameItem>> = vec![None; items.len()];
    for (index, (_, item)) in items.iter().enumerate() {
        if let FrameItem::Group(group) = item
            && let Some(inner) = repair_frame(&group.frame)
        {
            let mut group = group.clone();
            group.frame = inner;
            replaced[index] = Some(FrameItem::Group(group));
        }
    }
    for (index, text) in repaired_texts(&items) {
        replaced[index] = Some(FrameItem::Text(text));
    }
    if replaced.iter().all(Option::is_none) {
        return None;
    }
    let mut repaired = frame.clone();
    repaired.clear();
    repaired.push_multiple(
        items.iter().zip(replaced).map(|((pos, item), new)| (*pos, new.unwrap_or_else(|| item.clone()))),
    );
    Some(repaired)
}

/// One cluster's glyphs in one text item: the item's place in its chain and the
/// glyphs' indexes in the item.
struct Part {
    item: usize,
    glyphs: Vec<usize>,
}

/// One cluster's glyphs, which may lie in several text items of a chain.
struct Cluster {
    parts: Vec<Part>,
}

/// The text items among `items` (by index) whose text changes.
fn repaired_texts(items: &[&(Point, FrameItem)]) -> Vec<(usize, TextItem)> {
    // The items one shaped run was split into follow each other, each starting where
    // the one before ends (decoration lines may lie between them).
    let mut chains: Vec<Vec<(usize, &TextItem)>> = Vec::new();
    let mut end: Option<Point> = None;
    for (index, (pos, item)) in items.iter().enumerate() {
        let FrameItem::Text(text) = item else { continue };
        let follows = end.is_some_and(|end| (end.x - pos.x).abs() < Abs::pt(0.01));
        match chains.last_mut() {
            Some(chain) if follows => chain.push((index, text)),
            _ => chains.push(vec![(index, text)]),
        }
        end = Some(Point::new(pos.x + text.width(), pos.y));
    }

    let mut out = Vec::new();
    for chain in &chains {
        let mut texts: Vec<Vec<Option<String>>> =
            chain.iter().map(|(_, item)| vec![None; item.glyphs.len()]).collect();
        for cluster in clusters(chain) {
            let glyphs: Vec<(usize, usize)> =
                cluster.parts.iter().flat_map(|p| p.glyphs.iter().map(|&g| (p.item, g))).collect();
            if glyphs.len() < 2 {
                continue;
            }
            let first = &cluster.parts[0];
            let item = chain[first.item].1;
            let text = &item.text[item.glyphs[first.glyphs[0]].range()];
            let ids: Vec<u16> = glyphs.iter().map(|&(i, g)| chain[i].1.glyphs[g].id).collect();
            if let Some(shares) = assign(&FontGlyphs(&item.font), text, &ids) {
                for ((i, g), share) in glyphs.into_iter().zip(shares) {
                    texts[i][g] = Some(share);
                }
            }
        }
        // All or nothing: a cluster's base rewritten without its marks would say less.
        let rewritten: Option<Vec<(usize, TextItem)>> = chain
            .iter()
            .zip(texts)
            .filter(|(_, texts)| texts.iter().any(Option::is_some))
            .map(|((index, item), texts)| Some((*index, rewrite(item, &texts)?)))
            .collect();
        out.extend(rewritten.unwrap_or_default());
    }
    out
}

/// What makes glyphs in two neighbouring items one cluster: font, source position, text.
type ClusterKey<'a> = (&'a FontInstance, (Span, u16), &'a str);

/// The clusters of a chain of text items. Within an item a cluster is the glyphs with
/// the same text range; a cluster continues into the next item when that item's
/// glyphs have the same font, source position and text.
fn clusters<'a>(chain: &[(usize, &'a TextItem)]) -> Vec<Cluster> {
    let mut clusters: Vec<Cluster> = Vec::new();
    // The clusters of the previous item: (key, index into `clusters`).
    let mut previous: Vec<(ClusterKey<'a>, usize)> = Vec::new();
    for (i, (_, item)) in chain.iter().enumerate() {
        let mut current = Vec::new();
        let mut g = 0;
        while g < item.glyphs.len() {
            let range = item.glyphs[g].range.clone();
            let mut part = Part { item: i, glyphs: vec![g] };
            while item.glyphs.get(part.glyphs.len() + g).is_some_and(|next| next.range == range) {
                part.glyphs.push(g + part.glyphs.len());
            }
            g += part.glyphs.len();
            let glyph = &item.glyphs[part.glyphs[0]];
            let key = (&item.font, glyph.span, &item.text[glyph.range()]);
            match previous.iter().find(|(k, _)| *k == key) {
                Some(&(_, index)) => {
                    clusters[index].parts.push(part);
                    current.push((key, index));
                }
                None => {
                    clusters.push(Cluster { parts: vec![part] });
                    current.push((key, clusters.len() - 1));
                }
            }
        }
        previous = current;
    }
    clusters
}

/// The item with each glyph that has a share of text standing for that share alone,
/// in the text's order; `None` when the text would outgrow the glyph ranges.
fn rewrite(item: &TextItem, shares: &[Option<String>]) -> Option<TextItem> {
    let mut runs: Vec<(Range<usize>, Vec<usize>)> = Vec::new();
    for (g, glyph) in item.glyphs.iter().enumerate() {
        match runs.last_mut() {
            Some((range, glyphs)) if *range == glyph.range() => glyphs.push(g),
            _ => runs.push((glyph.range(), vec![g])),
        }
    }
    let rtl = right_to_left(item, &runs);
    runs.sort_by_key(|(range, _)| range.start);
    let mut text = String::with_capacity(item.text.len());
    let mut glyphs = item.glyphs.clone();
    let mut cursor = 0;
    for (range, mut members) in runs {
        if range.start < cursor {
            return None; // overlapping ranges: not a shape typst makes
        }
        text.push_str(&item.text[cursor..range.start]);
        if members.iter().all(|&g| shares[g].is_some()) {
            if rtl {
                members.reverse();
            }
            for g in members {
                let start = text.len();
                text.push_str(shares[g].as_deref().unwrap_or_default());
                glyphs[g].range = u16::try_from(start).ok()?..u16::try_from(text.len()).ok()?;
            }
        } else {
            let start = text.len();
            text.push_str(&item.text[range.clone()]);
            let new = u16::try_from(start).ok()?..u16::try_from(text.len()).ok()?;
            for g in members {
                glyphs[g].range = new.clone();
            }
        }
        cursor = range.end;
    }
    text.push_str(&item.text[cursor..]);
    Some(TextItem { text: text.into(), glyphs, ..item.clone() })
}

/// Whether the item's glyphs run right to left (their text ranges fall); an item of
/// one cluster is right to left when its first letter is Hebrew, Arabic or another
/// right-to-left script.
fn right_to_left(item: &TextItem, runs: &[(Range<usize>, Vec<usize>)]) -> bool {
    match (runs.first(), runs.last()) {
        (Some((first, _)), Some((last, _))) if runs.len() > 1 => first.start > last.start,
        _ => item.text.chars().next().is_some_and(|c| {
            matches!(c as u32, 0x0590..=0x08FF | 0xFB1D..=0xFDFF | 0xFE70..=0xFEFF | 0x10800..=0x10FFF | 0x1E800..=0x1EFFF)
        }),
    }
}

/// What [`assign`] needs to know about a font.
pub(crate) trait Glyphs {
    /// The glyph the font maps `c` to, if any (its `cmap`).
    fn glyph(&self, c: char) -> Option<u16>;
    /// Whether the font's `GDEF` table says the glyph is a mark.
    fn is_mark(&self, glyph: u16) -> bool;
}

struct FontGlyphs<'a>(&'a FontInstance);

impl Glyphs for FontGlyphs<'_> {
    fn glyph(&self, c: char) -> Option<u16> {
        self.0.ttf().glyph_index(c).map(|id| id.0)
    }

    fn is_mark(&self, glyph: u16) -> bool {
        let class = self.0.ttf().tables().gdef.and_then(|gdef| gdef.glyph_class(ttf_parser::GlyphId(glyph)));
        class == Some(ttf_parser::gdef::GlyphClass::Mark)
    }
}

fn is_mark_char(c: char) -> bool {
    canonical_combining_class(c) != 0 || is_combining_mark(c)
}

/// Shares the cluster `text` among its `glyphs` (glyph ids, in their order): which
/// characters each glyph shows, composed where they compose ("e" and U+0302 as "ê").
///
/// The cluster is decomposed (a precomposed letter the font lacks, like "ễ", into "e",
/// U+0302, U+0303), then
/// 1. a glyph takes the characters the font maps to it: one character, or a letter
///    with some of its marks that compose to a character the font maps to it;
/// 2. if one mark glyph (`GDEF`) is left, it takes the marks left (a ligature of two
///    Arabic vowel marks); if one other glyph is left, it takes what is left (a
///    letter in a contextual form);
/// 3. characters no glyph took (a joiner, a variation selector) go with the glyph of
///    the character before them.
///
/// `None` (leave the cluster as it is) when a glyph would stand for nothing or two
/// glyphs are left without characters: no guess is written into the PDF.
pub(crate) fn assign(font: &impl Glyphs, text: &str, glyphs: &[u16]) -> Option<Vec<String>> {
    // Decompose only letters with marks: a singleton decomposition (CJK compatibility
    // ideographs) would change the character, not split it.
    let chars: Vec<char> = text
        .chars()
        .flat_map(|c| {
            let nfd: Vec<char> = std::iter::once(c).nfd().collect();
            if nfd.len() > 1 { nfd } else { vec![c] }
        })
        .collect();
    let mut owner: Vec<Option<usize>> = vec![None; chars.len()];
    let mut matched = vec![false; glyphs.len()];

    // 1. What the font maps to each glyph.
    for (g, &glyph) in glyphs.iter().enumerate() {
        if let Some(taken) = mapped(font, &chars, &owner, glyph) {
            for i in taken {
                owner[i] = Some(g);
            }
            matched[g] = true;
        }
    }
    // 2. One mark glyph left takes the marks left; one other glyph, all that is left.
    for marks in [true, false] {
        let left: Vec<usize> =
            (0..glyphs.len()).filter(|&g| !matched[g] && font.is_mark(glyphs[g]) == marks).collect();
        if let [g] = left[..] {
            for i in 0..chars.len() {
                if owner[i].is_none() && (!marks || is_mark_char(chars[i])) {
                    owner[i] = Some(g);
                    matched[g] = true;
                }
            }
        }
    }
    // 3. Characters no glyph shows go with the one before them (or after, at the start).
    for i in 0..chars.len() {
        if owner[i].is_none() {
            owner[i] = owner[..i].iter().rev().chain(&owner[i + 1..]).find_map(|o| *o);
        }
    }
    let mut shares = vec![Vec::new(); glyphs.len()];
    for (c, g) in chars.iter().zip(owner) {
        shares[g?].push(*c);
    }
    if shares.iter().any(Vec::is_empty) {
        return None;
    }
    Some(shares.iter().map(|share| composed(share)).collect())
}

/// The characters (indexes into `chars`, none owned yet) that the font maps to
/// `glyph`: a single character, or a letter with the most of its marks that compose
/// to one character the font maps to it.
fn mapped(font: &impl Glyphs, chars: &[char], owner: &[Option<usize>], glyph: u16) -> Option<Vec<usize>> {
    for (i, &c) in chars.iter().enumerate() {
        if owner[i].is_some() {
            continue;
        }
        if is_mark_char(c) {
            if font.glyph(c) == Some(glyph) {
                return Some(vec![i]);
            }
            continue;
        }
        let marks: Vec<usize> = (i + 1..chars.len())
            .take_while(|&j| is_mark_char(chars[j]))
            .filter(|&j| owner[j].is_none())
            .collect();
        // Every subset of the marks, the largest first (a letter has few marks).
        let mut subsets: Vec<Vec<usize>> = (0..1u32 << marks.len().min(6))
            .map(|bits| {
                marks.iter().enumerate().filter(|(k, _)| bits & (1 << k) != 0).map(|(_, &j)| j).collect()
            })
            .collect();
        subsets.sort_by_key(|subset: &Vec<usize>| std::cmp::Reverse(subset.len()));
        for subset in subsets {
            let candidate: Vec<char> = std::iter::once(c).chain(subset.iter().map(|&j| chars[j])).collect();
            let candidate = composed(&candidate);
            let mut one = candidate.chars();
            if let (Some(single), None) = (one.next(), one.next())
                && font.glyph(single) == Some(glyph)
            {
                return Some(std::iter::once(i).chain(subset).collect());
            }
        }
    }
    None
}

/// Canonical composition (the "C" of NFC) without decomposing first, so that only
/// what [`assign`] decomposed is put back together.
fn composed(chars: &[char]) -> String {
    let mut out: Vec<char> = Vec::with_capacity(chars.len());
    let mut starter: Option<usize> = None;
    let mut last_class: Option<u8> = None;
    for &c in chars {
        let class = canonical_combining_class(c);
        if let Some(s) = starter {
            let blocked = last_class.is_some_and(|last| last == 0 || last >= class);
            if !blocked && let Some(composite) = compose(out[s], c) {
                out[s] = composite;
                continue;
            }
        }
        out.push(c);
        if class == 0 {
            starter = Some(out.len() - 1);
            last_class = None;
        } else {
            last_class = Some(class);
        }
    }
    out.into_iter().collect()
}

#[cfg(test)]
#[path = "text_layer_tests.rs"]
mod tests;
