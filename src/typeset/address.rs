//! Web addresses on paper.
//!
//! A reader types a printed address, or scans its QR code. Both must open the page, so
//! both are the article's address without the parameters that only tell a site where a
//! visitor came from (`utm_*`, `fbclid`, `gclid`, …): they make the address long, the QR
//! code dense, and mean nothing to the patient. Nothing else changes: `www.` stays
//! (some sites answer only with it), and so do the path, the other parameters and the
//! fragment. The QR code encodes this address; the template prints it without the
//! scheme and without a final `/` (see `short-url` in templates/handout.typ), so what is
//! printed beside the code is what it opens, minus `https://`.

use std::borrow::Cow;

use crate::model::{Article, Block, Inline};

/// Query parameters that only track where a visitor came from (matched without case;
/// every `utm_…` parameter too).
const TRACKING: &[&str] = &[
    "fbclid", "gclid", "gclsrc", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid", "igshid",
    "mc_cid", "mc_eid", "_ga", "_gl", "_hsenc", "_hsmi", "mkt_tok", "ref_src",
];

fn is_tracking(parameter: &str) -> bool {
    let key = parameter.split('=').next().unwrap_or("").to_ascii_lowercase();
    key.starts_with("utm_") || TRACKING.contains(&key.as_str())
}

/// `url` without its tracking parameters (and without an empty `?` left behind).
pub fn without_tracking(url: &str) -> Cow<'_, str> {
    let (rest, fragment) = url.find('#').map_or((url, ""), |at| url.split_at(at));
    let Some((base, query)) = rest.split_once('?') else { return Cow::Borrowed(url) };
    let parameters: Vec<&str> = query.split('&').filter(|p| !p.is_empty()).collect();
    if !parameters.iter().any(|p| is_tracking(p)) {
        return Cow::Borrowed(url);
    }
    let kept: Vec<&str> = parameters.into_iter().filter(|p| !is_tracking(p)).collect();
    let mut out = base.to_string();
    if !kept.is_empty() {
        out.push('?');
        out.push_str(&kept.join("&"));
    }
    out.push_str(fragment);
    Cow::Owned(out)
}

/// The article as the template sees it: its own address and every link's without
/// tracking parameters. `None` when nothing changes.
pub fn for_print(article: &Article) -> Option<Article> {
    let mut changed = article.meta.url.as_deref().is_some_and(|url| without_tracking(url) != url);
    let mut blocks_changed = false;
    crate::model::for_each_inlines(&article.blocks, 0, &mut |inlines, _| {
        blocks_changed = blocks_changed || inlines_track(inlines);
    });
    changed |= blocks_changed;
    if !changed {
        return None;
    }
    let mut article = article.clone();
    if let Some(url) = &mut article.meta.url {
        *url = without_tracking(url).into_owned();
    }
    article.blocks.iter_mut().for_each(clean_block);
    Some(article)
}

fn inlines_track(inlines: &[Inline]) -> bool {
    inlines.iter().any(|inline| match inline {
        Inline::Link { url, content } => without_tracking(url) != url.as_str() || inlines_track(content),
        Inline::Strong { content } | Inline::Emphasis { content } => inlines_track(content),
        _ => false,
    })
}

fn clean_inlines(inlines: &mut [Inline]) {
    for inline in inlines {
        match inline {
            Inline::Link { url, content } => {
                *url = without_tracking(url).into_owned();
                clean_inlines(content);
            }
            Inline::Strong { content } | Inline::Emphasis { content } => clean_inlines(content),
            _ => {}
        }
    }
}

fn clean_block(block: &mut Block) {
    match block {
        Block::Heading { content, .. } | Block::Paragraph { content, .. } => clean_inlines(content),
        Block::List { items, .. } => items.iter_mut().flatten().for_each(clean_block),
        Block::Quote { blocks, .. } => blocks.iter_mut().for_each(clean_block),
        Block::Table { header, rows, .. } => {
            header.iter_mut().for_each(|cell| clean_inlines(cell));
            rows.iter_mut().flatten().for_each(|cell| clean_inlines(cell));
        }
        Block::Figure { caption: Some(caption), .. } => clean_inlines(caption),
        Block::Figure { .. } | Block::CodeBlock { .. } => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tracking_parameters_go_and_everything_else_stays() {
        let cases = [
            (
                "https://www.example.org/a?utm_source=x&utm_medium=print&id=42",
                "https://www.example.org/a?id=42",
            ),
            (
                "https://www.example.org/a?id=42&fbclid=IwAR0&UTM_Campaign=f",
                "https://www.example.org/a?id=42",
            ),
            ("http://example.org/a?gclid=1&utm_term=2#part", "http://example.org/a#part"),
            ("https://www.example.org/a/?q=feet&lang=es", "https://www.example.org/a/?q=feet&lang=es"),
            ("https://www.example.org/a", "https://www.example.org/a"),
            ("https://example.org/utm_source/?utmost=1", "https://example.org/utm_source/?utmost=1"),
        ];
        for (url, expected) in cases {
            assert_eq!(without_tracking(url), expected, "{url}");
        }
    }

    #[test]
    fn links_and_the_articles_address_lose_tracking_only_in_the_printed_copy() {
        let mut article = Article {
            schema: crate::model::SCHEMA_VERSION,
            id: "a".into(),
            source: "a.md".into(),
            meta: Default::default(),
            blocks: Vec::new(),
            removed: Vec::new(),
            stats: None,
            warnings: Vec::new(),
        };
        article.meta.url = Some("https://www.example.org/a?utm_source=x&id=42".into());
        article.blocks = vec![Block::List {
            ordered: false,
            start: None,
            items: vec![vec![Block::Paragraph {
                content: vec![Inline::Strong {
                    content: vec![Inline::Link {
                        url: "https://b.example/?fbclid=1".into(),
                        content: vec![],
                    }],
                }],
                line: 1,
            }]],
            line: 1,
        }];
        let printed = for_print(&article).expect("changed");
        assert_eq!(printed.meta.url.as_deref(), Some("https://www.example.org/a?id=42"));
        let Block::List { items, .. } = &printed.blocks[0] else { panic!() };
        let Block::Paragraph { content, .. } = &items[0][0] else { panic!() };
        let Inline::Strong { content } = &content[0] else { panic!() };
        assert_eq!(content[0], Inline::Link { url: "https://b.example/".into(), content: vec![] });
        assert!(for_print(&printed).is_none(), "nothing left to clean");
    }
}
