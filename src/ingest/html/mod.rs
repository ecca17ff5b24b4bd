//! A saved web page (`.html`, `.htm`) as an article.
//!
//! 1. [`charset::decode`]: the bytes' encoding (BOM, `<meta charset>`, else UTF-8, else
//!    windows-1252), then [`dom::parse`]: html5ever builds a small arena DOM that knows
//!    the source line of every node.
//! 2. [`word::prepare`]: a page written by Microsoft Word gets its lists, title,
//!    headings and captions as plain HTML (Word writes lists as paragraphs with the
//!    bullet typed in front); a page Word saved is all article, with no furniture.
//! 3. [`extract::analyse`]: what is never output (scripts, styles, forms, frames, hidden
//!    elements), what is page furniture and of which kind, and where the article is.
//! 4. [`blocks::Mapper`]: the article's elements → [`Block`]s, and everything else →
//!    `removed` with its kind and line.
//! 5. Metadata from the head: title (Word's `MsoTitle`, `og:title`, the first `<h1>`,
//!    `<title>`, with the site name split off), language (`<html lang>`, checked against the text), author,
//!    date published and canonical address.
//!
//! No address in the page is ever fetched here. Linear in the size of the page.

mod blocks;
mod charset;
mod dom;
mod extract;
mod word;

use std::path::Path;

use super::{Body, FrontMatter};
use crate::error::Result;
use crate::model::{Article, Block, Warning};

pub use blocks::{NOT_SAVED, local_path};
pub use dom::MAX_DEPTH;

/// How to read a page.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The page's own address (for `handouts add URL`), which relative links and
    /// pictures are resolved against; else the page's canonical address is used.
    pub url: Option<String>,
    /// Keep pictures that are on the web as figures with absolute `src` (`handouts add`
    /// downloads them); otherwise they become words and a `removed` entry.
    pub remote_pictures: bool,
}

/// Reads a saved web page as an article.
pub fn ingest(path: &Path, bytes: &[u8], options: &Options) -> Result<Article> {
    let (front, body) = parse(path, bytes, options)?;
    super::assemble(path, front, body)
}

/// What the head of the page says.
#[derive(Debug, Default)]
struct PageMeta {
    lang: Option<(String, usize)>,
    og_title: Option<String>,
    site_name: Option<String>,
    title: Option<String>,
    author: Option<String>,
    published: Option<String>,
    canonical: Option<String>,
    og_url: Option<String>,
    /// `<base href>`.
    base_href: Option<String>,
}

fn clean(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn page_meta(d: &dom::Dom) -> PageMeta {
    let mut meta = PageMeta::default();
    let set = |slot: &mut Option<String>, value: &str| {
        let value = clean(value);
        if slot.is_none() && !value.is_empty() && value.len() < 2000 {
            *slot = Some(value);
        }
    };
    for id in d.descendants(dom::Dom::ROOT) {
        match d.tag(id) {
            "html" | "body" if meta.lang.is_none() => {
                if let Some(lang) = d.attr(id, "lang").or_else(|| d.attr(id, "xml:lang")) {
                    let lang = lang.trim();
                    if !lang.is_empty() {
                        meta.lang = Some((lang.to_string(), d.line(id).max(1)));
                    }
                }
            }
            "title" => {
                let text: String = d.descendants(id).filter_map(|t| d.text(t)).collect();
                set(&mut meta.title, &text);
            }
            "meta" => {
                let key = d
                    .attr(id, "property")
                    .or_else(|| d.attr(id, "name"))
                    .or_else(|| d.attr(id, "itemprop"))
                    .unwrap_or("")
                    .trim()
                    .to_ascii_lowercase();
                let Some(content) = d.attr(id, "content") else { continue };
                match key.as_str() {
                    "og:title" => set(&mut meta.og_title, content),
                    "og:site_name" | "application-name" => set(&mut meta.site_name, content),
                    "author" | "article:author" | "dc.creator" | "dcterms.creator" | "citation_author"
                        if !content.trim_start().starts_with("http") =>
                    {
                        set(&mut meta.author, content)
                    }
                    "article:published_time"
                    | "datepublished"
                    | "date"
                    | "dc.date"
                    | "dc.date.issued"
                    | "dcterms.created"
                    | "dcterms.issued"
                    | "citation_publication_date"
                    | "pubdate"
                    | "publish-date"
                    | "og:published_time" => set(&mut meta.published, content),
                    "og:url" => set(&mut meta.og_url, content),
                    _ => {}
                }
            }
            "base" => {
                if let Some(href) = d.attr(id, "href") {
                    set(&mut meta.base_href, href);
                }
            }
            "link" => {
                let rel = d.attr(id, "rel").unwrap_or("").to_ascii_lowercase();
                if rel.split_whitespace().any(|r| r == "canonical")
                    && let Some(href) = d.attr(id, "href")
                {
                    set(&mut meta.canonical, href);
                }
            }
            "script" => {
                let kind = d.attr(id, "type").unwrap_or("").trim().to_ascii_lowercase();
                if kind == "application/ld+json" && (meta.published.is_none() || meta.author.is_none()) {
                    let text: String = d.children(id).filter_map(|t| d.text(t)).collect();
                    if text.len() <= 1 << 20
                        && let Ok(value) = serde_json::from_str::<serde_json::Value>(&text)
                    {
                        let (author, published) = json_ld(&value, 0);
                        if let Some(a) = author {
                            set(&mut meta.author, &a);
                        }
                        if let Some(p) = published {
                            set(&mut meta.published, &p);
                        }
                    }
                }
            }
            "time" => {
                let publish = d.attr(id, "itemprop").is_some_and(|p| p.eq_ignore_ascii_case("datePublished"))
                    || d.attr(id, "pubdate").is_some();
                if publish && let Some(when) = d.attr(id, "datetime") {
                    set(&mut meta.published, when);
                }
            }
            _ => {}
        }
    }
    meta
}

/// `author.name` and `datePublished` from JSON-LD (schema.org), looked for a few levels
/// deep (`@graph`, arrays).
fn json_ld(value: &serde_json::Value, depth: usize) -> (Option<String>, Option<String>) {
    use serde_json::Value;
    if depth > 4 {
        return (None, None);
    }
    match value {
        Value::Array(items) => {
            let mut found = (None, None);
            for item in items.iter().take(50) {
                let (a, p) = json_ld(item, depth + 1);
                found.0 = found.0.or(a);
                found.1 = found.1.or(p);
            }
            found
        }
        Value::Object(map) => {
            let published = map.get("datePublished").and_then(Value::as_str).map(str::to_string);
            let author = match map.get("author") {
                Some(Value::String(name)) => Some(name.clone()),
                Some(Value::Object(a)) => a.get("name").and_then(Value::as_str).map(str::to_string),
                Some(Value::Array(list)) => {
                    let names: Vec<&str> = list
                        .iter()
                        .filter_map(|a| a.get("name").and_then(Value::as_str).or_else(|| a.as_str()))
                        .take(10)
                        .collect();
                    (!names.is_empty()).then(|| names.join(", "))
                }
                _ => None,
            };
            let mut found = (author, published);
            if let Some(graph) = map.get("@graph") {
                let (a, p) = json_ld(graph, depth + 1);
                found.0 = found.0.or(a);
                found.1 = found.1.or(p);
            }
            found
        }
        _ => (None, None),
    }
}

/// "Foot care | Lakeside Health" → "Foot care": the site's name when the page gives
/// it, else [`super::furniture::split_site_name`].
fn without_site_name(title: &str, site: Option<&str>) -> String {
    if let Some(site) = site.map(str::trim).filter(|s| !s.is_empty()) {
        for sep in [" | ", " - ", " – ", " — ", " :: ", " · ", ": "] {
            if let Some(rest) = title.strip_suffix(&format!("{sep}{site}")) {
                return rest.trim().to_string();
            }
            if let Some(rest) = title.strip_prefix(&format!("{site}{sep}")) {
                return rest.trim().to_string();
            }
        }
    }
    // "Title - Section - Site": split as long as what is left still names a title.
    let mut title = title.trim();
    for _ in 0..3 {
        match super::furniture::split_site_name(title) {
            Some(rest) if rest != title => title = rest.trim(),
            _ => break,
        }
    }
    title.to_string()
}

/// The parts of a `<title>` between separators.
fn title_parts(title: &str) -> Vec<String> {
    let mut parts = vec![title.to_string()];
    for sep in [" | ", " - ", " – ", " — ", " :: ", " : ", " · "] {
        parts = parts.iter().flat_map(|p| p.split(sep).map(str::to_string).collect::<Vec<_>>()).collect();
    }
    parts
}

/// `2025-03-14T09:30:00-05:00` → `2025-03-14`, when it names a real day.
fn day(text: &str) -> Option<String> {
    let day = text.trim().get(..10)?;
    crate::validate::date(day).ok().map(|_| day.to_string())
}

pub(super) fn parse(path: &Path, bytes: &[u8], options: &Options) -> Result<(FrontMatter, Body)> {
    let (text, mut warnings) = charset::decode(path, bytes)?;
    let mut d = dom::parse(path, &text)?;
    drop(text);
    let word = word::prepare(&mut d).unwrap_or_default();
    let meta = page_meta(&d);
    let mut analysis = extract::analyse(&d);
    if let Some(body) = word.body {
        analysis.roots = vec![body];
    }

    // The page's address: given (add URL), else canonical, else og:url.
    let page_url = options
        .url
        .clone()
        .or_else(|| meta.canonical.clone().filter(|u| crate::validate::is_web_url(u)))
        .or_else(|| meta.og_url.clone().filter(|u| crate::validate::is_web_url(u)));
    // A `<base href>` on the web is what relative addresses in the page are relative to.
    let web_base = meta.base_href.as_deref().filter(|b| crate::validate::is_web_url(b));
    let base = web_base.or(page_url.as_deref()).and_then(|u| url::Url::parse(u).ok());

    // The first `<h1>` in the article, else the first outside furniture.
    let h1 = |id: usize| d.tag(id) == "h1" && !analysis.skipped[id] && analysis.chars[id] > 0;
    // One outside the article (a site's section name in its header) only when the
    // `<title>` agrees, or there is no `<title>`.
    let mapper_probe = blocks::Mapper::new(&d, &analysis, None, false, "");
    let agrees = |id: usize| match &meta.title {
        Some(head) => {
            let text = mapper_probe.subtree_text(id);
            title_parts(head).iter().any(|part| blocks::same_words(part, &text))
        }
        None => true,
    };
    // Of several `<h1>` in the article (a section's name above the story's headline),
    // the one the `<title>` agrees with.
    let article_h1s: Vec<usize> =
        analysis.roots.iter().flat_map(|&root| d.descendants(root).filter(|&id| h1(id))).collect();
    let first_h1 = article_h1s
        .iter()
        .copied()
        .find(|&id| meta.title.is_some() && agrees(id))
        .or_else(|| article_h1s.first().copied())
        .or_else(|| {
            d.descendants(dom::Dom::ROOT)
                .find(|&id| h1(id) && analysis.furniture[id].is_none())
                .filter(|&id| agrees(id))
        });
    let h1_text = first_h1.map(|id| mapper_probe.subtree_text(id)).filter(|t| !t.is_empty());
    drop(mapper_probe);
    let title = word
        .title
        .clone()
        .or_else(|| meta.og_title.as_deref().map(|t| without_site_name(t, meta.site_name.as_deref())))
        .or(h1_text)
        .or_else(|| meta.title.as_deref().map(|t| without_site_name(t, meta.site_name.as_deref())))
        .filter(|t| !t.is_empty());

    let mut mapper = blocks::Mapper::new(
        &d,
        &analysis,
        base.as_ref(),
        options.remote_pictures,
        title.as_deref().unwrap_or(""),
    );
    mapper.web_base = web_base.is_some();
    mapper.document = word.body.is_some();
    mapper.page_dir = std::fs::metadata(path)
        .ok()
        .filter(std::fs::Metadata::is_file)
        .map(|_| path.parent().map(Path::to_path_buf).unwrap_or_default());
    let mut blocks = mapper.article();
    mapper.outside();
    let mut removed = std::mem::take(&mut mapper.removed);
    removed.sort_by_key(|r| r.line);
    warnings.append(&mut mapper.warnings);
    // No `og:title` and no `<h1>`: the part of `<title>` that the page also shows at the
    // top of the article ("Clinic - Handouts - Low Back Pain") is the title.
    let title = match (&meta.og_title, first_h1, &meta.title) {
        (None, None, Some(head_title)) if word.title.is_none() => {
            let shown = blocks.iter().take(5).position(|b| match b {
                Block::Paragraph { content, .. } | Block::Heading { content, .. } => {
                    let text = crate::model::plain_text(content);
                    title_parts(head_title).iter().any(|part| blocks::same_words(part, &text))
                }
                _ => false,
            });
            match shown {
                Some(index) => {
                    let block = blocks.remove(index);
                    match block {
                        Block::Paragraph { content, .. } | Block::Heading { content, .. } => {
                            Some(crate::model::plain_text(&content))
                        }
                        _ => title,
                    }
                }
                None => title,
            }
        }
        _ => title,
    };

    heading_levels(&mut blocks);
    let lang = page_language(meta.lang.as_ref(), &blocks, &mut warnings);
    let published = meta.published.as_deref().and_then(day);
    let front =
        FrontMatter { title, lang, url: page_url, author: meta.author, published, ..FrontMatter::default() };
    Ok((front, Body { title: None, blocks, removed, warnings }))
}

/// Headings as an outline under the title: the page's highest level becomes 2, and no
/// heading is more than one level below the one before it (a page that uses `<h3>` for
/// its sections, or jumps from `<h2>` to `<h4>`, would otherwise skip a level, which
/// tagged PDF forbids).
fn heading_levels(blocks: &mut [Block]) {
    let top = blocks
        .iter()
        .filter_map(|b| match b {
            Block::Heading { level, .. } => Some(*level),
            _ => None,
        })
        .min();
    let Some(top) = top else { return };
    let mut previous = 1u8;
    for block in blocks.iter_mut() {
        if let Block::Heading { level, .. } = block {
            let shifted = (*level + 2).saturating_sub(top).clamp(2, 4);
            *level = shifted.min(previous + 1);
            previous = *level;
        }
    }
}

/// The page's language: `<html lang>` when the text agrees or is too short to tell; the
/// text's language, with a warning, when whatlang is sure of another one. `None` (no
/// `lang` on the page) leaves detection to [`super::assemble`].
fn page_language(
    declared: Option<&(String, usize)>,
    blocks: &[Block],
    warnings: &mut Vec<Warning>,
) -> Option<String> {
    let (declared, line) = declared?;
    let tag = match crate::validate::language_tag(declared) {
        Ok(tag) => tag,
        Err(problem) => {
            warnings.push(Warning::at(
                *line,
                format!("<html lang>: {problem}; the language is detected from the text"),
            ));
            return None;
        }
    };
    let primary = tag.split('-').next().unwrap_or(&tag).to_ascii_lowercase();
    match super::lang::detect(blocks).0 {
        super::lang::Detected::Sure(detected) if detected != primary => {
            warnings.push(Warning::at(
                *line,
                format!(
                    "the page says lang=\"{tag}\" but its text reads as \"{detected}\"; using \"{detected}\" (the text wins when it is clear; add `lang:` to say otherwise)"
                ),
            ));
            Some(detected)
        }
        _ => Some(tag),
    }
}

#[cfg(test)]
mod tests;
