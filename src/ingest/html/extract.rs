//! Finding the article in the page: which elements are never output, which are page
//! furniture (and what kind), and which subtree holds the article.
//!
//! The article is found the way Readability does, in one pass over the tree: every
//! paragraph-like element of 25 characters or more scores `1 + commas + min(chars/100, 3)`
//! for its parent, half that for its grandparent and a third for the one above; an
//! element's total, weighted by its class and id and multiplied by `1 - link density`,
//! ranks it. The best one is widened to the `<article>`, `<main>` or `articleBody` around
//! it when there is one (sites mark their article up; the scoring finds it where they do
//! not), else joined by sibling elements that score nearly as well. Elements inside
//! navigation, headers, footers, sidebars and the like (by tag, ARIA role, class and id)
//! never score. Linear in the number of nodes.

use super::dom::{Data, Dom, NodeId};

/// Elements whose content never reaches any output (not even `removed`).
pub fn never_output(tag: &str) -> bool {
    matches!(
        tag,
        "script"
            | "style"
            | "noscript"
            | "template"
            | "iframe"
            | "frame"
            | "frameset"
            | "object"
            | "embed"
            | "applet"
            | "svg"
            | "math"
            | "canvas"
            | "video"
            | "audio"
            | "map"
            | "input"
            | "button"
            | "select"
            | "option"
            | "textarea"
            | "datalist"
            | "dialog"
            | "head"
            | "title"
            | "meta"
            | "link"
            | "base"
            | "#foreign"
    )
}

/// `<img>`, and AMP's `<amp-img>`.
pub fn is_img(tag: &str) -> bool {
    matches!(tag, "img" | "amp-img")
}

/// A footnote number (`<sup class="footnote">`, a `<sup>` linking to `#fn1`): left out.
fn footnote_marker(dom: &Dom, id: NodeId) -> bool {
    if dom.tag(id) != "sup" {
        return false;
    }
    let class = dom.attr(id, "class").unwrap_or("").to_ascii_lowercase();
    if class.contains("footnote") || class.contains("fn") || class.contains("cite") || class.contains("ref") {
        return true;
    }
    dom.children(id).any(|c| {
        dom.tag(c) == "a"
            && dom.attr(c, "href").is_some_and(|h| {
                h.starts_with("#fn")
                    || h.starts_with("#ref")
                    || h.starts_with("#cite")
                    || h.starts_with("#note")
            })
    })
}

/// Block-level elements: they end the paragraph around them.
pub fn is_block(tag: &str) -> bool {
    matches!(
        tag,
        "address"
            | "article"
            | "aside"
            | "blockquote"
            | "body"
            | "center"
            | "details"
            | "dd"
            | "div"
            | "dl"
            | "dt"
            | "fieldset"
            | "figcaption"
            | "figure"
            | "footer"
            | "form"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "header"
            | "hgroup"
            | "hr"
            | "html"
            | "legend"
            | "li"
            | "main"
            | "menu"
            | "nav"
            | "ol"
            | "p"
            | "pre"
            | "section"
            | "summary"
            | "table"
            | "tbody"
            | "td"
            | "tfoot"
            | "th"
            | "thead"
            | "tr"
            | "caption"
            | "ul"
    )
}

/// What [`analyse`] learnt about every node, indexed by node id.
pub struct Analysis {
    /// Never output (scripts, forms, …). Elements hidden until clicked (`hidden`, an
    /// accordion's answers) are read like the rest: they are part of the page.
    pub skipped: Vec<bool>,
    /// Non-space characters of visible text under the node.
    pub chars: Vec<u32>,
    /// Of those, the characters inside links.
    pub link_chars: Vec<u32>,
    /// Whether a block-level element is under the node.
    pub has_block: Vec<bool>,
    /// The kind of page furniture the node or an ancestor is, if any.
    pub furniture: Vec<Option<&'static str>>,
    /// Inside an `<article>` (or `articleBody`) element.
    pub in_article_element: Vec<bool>,
    /// The subtrees that hold the article, in document order.
    pub roots: Vec<NodeId>,
}

/// The words of an element's class and id, split at `-` and `_` too (`mega-nav__list`
/// → `mega`, `nav`, and the whole token).
fn class_words(dom: &Dom, id: NodeId) -> Vec<String> {
    let mut words = Vec::new();
    for key in ["class", "id"] {
        if let Some(value) = dom.attr(id, key) {
            for token in value.split_whitespace().take(32) {
                let token = token.to_ascii_lowercase();
                if token.len() > 80 {
                    continue;
                }
                // BEM: `layout--sidebar` is a layout (with a sidebar beside it), and
                // `share-tools__list` belongs to the share tools.
                // `has-sidebar`, `with-comments`, `no-ads`: a layout beside it, not the thing.
                if ["has-", "with-", "no-", "without-", "show-", "hide-"].iter().any(|p| token.starts_with(p))
                {
                    words.push(token);
                    continue;
                }
                let block = token.split("__").next().unwrap_or(&token);
                let block = block.split("--").next().unwrap_or(block);
                words.extend(block.split(['-', '_']).filter(|p| !p.is_empty()).map(str::to_string));
                words.push(token);
            }
        }
    }
    words
}

/// The kind of page furniture an element is by its tag, role, class or id. `strict`
/// (inside the article) leaves out the weak signs — a class named `header` or `author`
/// is often the article's own header.
///
/// `in_article_element`: inside an `<article>`, where an `<aside>` is the article's own
/// box (its key points), not a sidebar.
pub fn classify_in(dom: &Dom, id: NodeId, strict: bool, in_article_element: bool) -> Option<&'static str> {
    let tag = dom.tag(id);
    if !strict {
        match tag {
            "nav" => return Some("site navigation"),
            "aside" => return Some("sidebar"),
            "header" => return Some("page header"),
            "footer" => return Some("page footer"),
            _ => {}
        }
    } else if tag == "nav" {
        return Some("site navigation");
    } else if tag == "aside" && !in_article_element {
        return Some("sidebar");
    }
    if let Some(role) = dom.attr(id, "role") {
        let found = match role.trim().to_ascii_lowercase().as_str() {
            "navigation" | "menubar" | "menu" => Some("site navigation"),
            "banner" if !strict => Some("page header"),
            "contentinfo" if !strict => Some("page footer"),
            "complementary" => Some("sidebar"),
            "search" => Some("search"),
            "dialog" | "alertdialog" => Some("pop-up"),
            _ => None,
        };
        if found.is_some() {
            return found;
        }
    }
    if dom.attr(id, "aria-label").is_some_and(|l| l.to_ascii_lowercase().contains("breadcrumb")) {
        return Some("breadcrumbs");
    }
    for word in class_words(dom, id) {
        let w = word.as_str();
        let found = match w {
            _ if w.contains("visually-hidden")
                || w.contains("visuallyhidden")
                || w.contains("sr-only")
                || w.contains("screen-reader") =>
            {
                Some("screen-reader text")
            }
            _ if w == "toc" || w.contains("table-of-contents") || w == "sommaire" => {
                Some("table of contents")
            }
            _ if w.contains("call-to-action") || w == "cta" => Some("call to action"),
            _ if w.starts_with("author") && w.len() > "author".len() && w != "authors" => Some("author bio"),
            "meta" | "posted" | "postmeta" | "dateline" => Some("byline"),
            "alert" | "announcement" => Some("site alert"),
            _ if w.contains("cookie") || w == "consent" || w == "gdpr" => Some("cookie notice"),
            _ if w.contains("breadcrumb") => Some("breadcrumbs"),
            "share" | "sharing" | "social" | "addthis" | "sharethis" | "sharebar" | "shares" => {
                Some("share buttons")
            }
            "related" | "recommended" | "recirc" | "popular" | "trending" | "promo" | "promotion"
            | "promos" | "suggest" | "suggested" => Some("related links"),
            _ if w.contains("newsletter") || w == "subscribe" || w == "subscription" || w == "signup" => {
                Some("newsletter sign-up")
            }
            "comment" | "comments" | "disqus" | "respond" => Some("comments"),
            "ad" | "ads" | "advert" | "advertisement" | "adslot" | "sponsor" | "sponsored" | "dfp" => {
                Some("advertising")
            }
            "skip" | "skiplink" | "skiplinks" => Some("site navigation"),
            "sidebar" | "rail" => Some("sidebar"),
            "nav" | "navbar" | "navigation" | "menu" | "megamenu" | "subnav" => Some("site navigation"),
            "byline" => Some("byline"),
            "bio" | "authorbio" => Some("author bio"),
            "feedback" | "rating" | "helpful" | "survey" => Some("feedback prompt"),
            "modal" | "popup" | "overlay" => Some("pop-up"),
            "toolbar" | "pagination" | "pager" | "print" => Some("page tools"),
            "tags" | "taglist" | "cat" => Some("tags"),
            "footer" | "colophon" if !strict => Some("page footer"),
            "header" | "masthead" | "topbar" if !strict => Some("page header"),
            "author" if !strict => Some("byline"),
            _ => None,
        };
        if found.is_some() {
            return found;
        }
    }
    None
}

/// Class and id words that make an element more (positive) or less likely to hold the
/// article, as in Readability.
fn class_weight(dom: &Dom, id: NodeId) -> f64 {
    let mut weight: f64 = 0.0;
    for word in class_words(dom, id) {
        match word.as_str() {
            "article" | "body" | "content" | "entry" | "main" | "page" | "post" | "text" | "blog"
            | "story" | "prose" | "articlebody" | "rich" => weight += 25.0,
            "comment" | "comments" | "meta" | "footer" | "footnote" | "sidebar" | "related" | "share"
            | "nav" | "menu" | "widget" | "promo" | "ad" | "ads" | "social" | "banner" | "masthead"
            | "header" => weight -= 25.0,
            _ => {}
        }
    }
    weight.clamp(-50.0, 50.0)
}

fn marks_article(dom: &Dom, id: NodeId) -> bool {
    matches!(dom.tag(id), "article" | "main")
        || dom.attr(id, "role").is_some_and(|r| r.trim().eq_ignore_ascii_case("main"))
        || dom.attr(id, "itemprop").is_some_and(|p| p.trim().eq_ignore_ascii_case("articleBody"))
}

fn non_space_chars(text: &str) -> u32 {
    u32::try_from(text.chars().filter(|c| !c.is_whitespace()).count()).unwrap_or(u32::MAX)
}

/// Kinds of furniture that are a line or a short box: a byline, a writer's bio, tags, a
/// share bar. An element named so that holds pages of prose is the article itself with
/// a misleading class: blogs mark the whole post `entry-author-NAME`, `post-meta-…`.
fn is_short_kind(kind: &str) -> bool {
    matches!(
        kind,
        "byline"
            | "author bio"
            | "tags"
            | "page tools"
            | "share buttons"
            | "call to action"
            | "site alert"
            | "feedback prompt"
            | "breadcrumbs"
    )
}

/// Kinds of furniture a site's wrapper may be named for ("header" around the whole
/// page, a post inside `class="author-…"` or `meta`): when an element so named holds
/// most of the page's text, it holds the article (blogs put the post in a `sidebar`-named
/// column too). Never comments (a post with 150 replies holds more of them than of the
/// post), pop-ups, cookie notices or footers, which can outweigh a short article on
/// their own.
fn is_wrapper_kind(kind: &str) -> bool {
    is_short_kind(kind)
        || matches!(kind, "page header" | "sidebar" | "related links" | "table of contents" | "page tools")
}

/// At least this much text outside links (about 40 words) before an element's share
/// of the page's text says anything.
const MOST_OF_PAGE_MIN_CHARS: u32 = 250;

fn holds_most_of_page(chars: u32, link_chars: u32, page_plain: u32) -> bool {
    let plain = chars.saturating_sub(link_chars);
    plain >= MOST_OF_PAGE_MIN_CHARS && plain.saturating_mul(2) > page_plain
}

/// More text than any byline or share bar holds (about 270 words), mostly not links.
const SHORT_FURNITURE_MAX_CHARS: u32 = 1500;

fn holds_prose(chars: u32, link_chars: u32) -> bool {
    chars >= SHORT_FURNITURE_MAX_CHARS && link_chars.saturating_mul(4) < chars
}

/// Text outside links in a box that is mostly links: at most a label or two ("Most
/// recent", "1.", a comment count).
const LINK_LIST_MAX_PLAIN_CHARS: u32 = 150;

/// A box of links inside the article's part of the page (a blog's "Most recent" list,
/// a tag cloud, a list of other stories) rather than the article: mostly link text,
/// little else, as Readability's conditional cleaning finds it.
pub fn is_link_list(dom: &Dom, an: &Analysis, id: NodeId) -> bool {
    let (chars, links) = (an.chars[id], an.link_chars[id]);
    // Three links at least: a sentence that is one long link ("Learn more at …") is
    // the article's, and stays.
    matches!(dom.tag(id), "div" | "section" | "ul" | "ol" | "dl" | "table" | "aside" | "nav")
        && links >= 40
        && links.saturating_mul(10) >= chars.saturating_mul(6)
        && chars.saturating_sub(links) <= LINK_LIST_MAX_PLAIN_CHARS
        && dom.descendants(id).filter(|&d| dom.tag(d) == "a").nth(2).is_some()
}

/// A `<form>` holding at least this much prose is a page wrapped in a form (ASP.NET),
/// read like a `<div>`; a smaller one is a search box or a sign-up form, never output.
const FORM_PROSE: u32 = 400;

pub fn analyse(dom: &Dom) -> Analysis {
    let n = dom.nodes.len();
    let order: Vec<NodeId> = dom.descendants(Dom::ROOT).collect();
    let mut skipped = vec![false; n];
    let mut furniture: Vec<Option<&'static str>> = vec![None; n];
    let mut in_article = vec![false; n];
    let mut in_article_element = vec![false; n];
    // Top-down: skipping, furniture and article context come from ancestors.
    for &id in &order {
        let parent = dom.parent(id);
        let parent_skipped = parent.is_some_and(|p| skipped[p]);
        let tag = dom.tag(id);
        // A `<button>` in a heading is an accordion's question: its words are the heading.
        let in_heading =
            parent.is_some_and(|p| matches!(dom.tag(p), "h2" | "h3" | "h4" | "h5" | "h6" | "summary" | "dt"));
        skipped[id] = parent_skipped
            || matches!(dom.nodes[id].data, Data::Other | Data::If(_) | Data::EndIf)
            || (matches!(dom.nodes[id].data, Data::Element { .. })
                && ((never_output(tag) && !(tag == "button" && in_heading)) || footnote_marker(dom, id)));
        in_article[id] = parent.is_some_and(|p| in_article[p]) || marks_article(dom, id);
        in_article_element[id] = parent.is_some_and(|p| in_article_element[p])
            || tag == "article"
            || dom.attr(id, "itemprop").is_some_and(|p| p.trim().eq_ignore_ascii_case("articleBody"));
    }
    // Bottom-up: text, link text and block content.
    let mut chars = vec![0u32; n];
    let mut link_chars = vec![0u32; n];
    let mut has_block = vec![false; n];
    for &id in order.iter().rev() {
        if skipped[id] {
            continue;
        }
        let tag = dom.tag(id);
        if let Some(text) = dom.text(id) {
            chars[id] = non_space_chars(text);
        }
        if tag == "a" {
            link_chars[id] = chars[id];
        }
        if let Some(parent) = dom.parent(id) {
            chars[parent] = chars[parent].saturating_add(chars[id]);
            link_chars[parent] = link_chars[parent].saturating_add(link_chars[id]);
            has_block[parent] |= has_block[id] || is_block(tag) || is_img(tag);
        }
    }
    // Small forms are never output; a form around the whole page is read through.
    for &id in &order {
        if dom.tag(id) == "form" && chars[id] < FORM_PROSE && !skipped[id] {
            for sub in dom.descendants(id) {
                skipped[sub] = true;
            }
            let mut at = dom.parent(id);
            let removed = chars[id];
            while let Some(p) = at {
                chars[p] = chars[p].saturating_sub(removed);
                at = dom.parent(p);
            }
        }
    }
    // Top-down again, now that each element's text is known: furniture comes from
    // ancestors, and a weak sign is not trusted on an element that holds an article's
    // worth of prose, or most of the page's text outside links.
    let page_plain = chars[Dom::ROOT].saturating_sub(link_chars[Dom::ROOT]);
    for &id in &order {
        let parent = dom.parent(id);
        let inherited = parent.and_then(|p| furniture[p]);
        furniture[id] = inherited.or_else(|| {
            if matches!(dom.nodes[id].data, Data::Element { .. }) {
                let strict = parent.is_some_and(|p| in_article[p]);
                classify_in(dom, id, strict, parent.is_some_and(|p| in_article_element[p])).filter(|kind| {
                    !(is_short_kind(kind) && holds_prose(chars[id], link_chars[id]))
                        && !(is_wrapper_kind(kind)
                            && holds_most_of_page(chars[id], link_chars[id], page_plain))
                })
            } else {
                None
            }
        });
    }
    let roots = find_roots(dom, &order, &skipped, &chars, &link_chars, &furniture);
    Analysis { skipped, chars, link_chars, has_block, furniture, in_article_element, roots }
}

fn find_roots(
    dom: &Dom,
    order: &[NodeId],
    skipped: &[bool],
    chars: &[u32],
    link_chars: &[u32],
    furniture: &[Option<&'static str>],
) -> Vec<NodeId> {
    let n = dom.nodes.len();
    let mut score = vec![0.0f64; n];
    let mut scored = vec![false; n];
    let mut candidates = Vec::new();
    for &id in order {
        if skipped[id] || furniture[id].is_some() {
            continue;
        }
        let tag = dom.tag(id);
        let paragraph_like = matches!(tag, "p" | "pre" | "td" | "blockquote" | "li" | "dd")
            || (matches!(tag, "div" | "section") && has_direct_text(dom, id, skipped));
        if !paragraph_like || chars[id] < 25 {
            continue;
        }
        if tag == "li" && link_chars[id].saturating_mul(2) > chars[id] {
            continue;
        }
        let commas = paragraph_commas(dom, id, skipped);
        let points = 1.0 + commas as f64 + (f64::from(chars[id]) / 100.0).min(3.0);
        let mut at = dom.parent(id);
        for level in 0..3 {
            let Some(ancestor) = at else { break };
            if matches!(dom.nodes[ancestor].data, Data::Document) || furniture[ancestor].is_some() {
                break;
            }
            if !scored[ancestor] {
                scored[ancestor] = true;
                score[ancestor] = class_weight(dom, ancestor)
                    + match dom.tag(ancestor) {
                        "div" | "article" | "main" | "section" => 5.0,
                        "pre" | "td" | "blockquote" => 3.0,
                        "ol" | "ul" | "dl" | "dd" | "dt" | "li" | "form" => -3.0,
                        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "th" => -5.0,
                        _ => 0.0,
                    };
                candidates.push(ancestor);
            }
            let divider = match level {
                0 => 1.0,
                1 => 2.0,
                _ => 3.0 * level as f64,
            };
            score[ancestor] += points / divider;
            at = dom.parent(ancestor);
        }
    }
    let link_density = |id: NodeId| {
        if chars[id] == 0 { 1.0 } else { f64::from(link_chars[id]) / f64::from(chars[id]) }
    };
    let best = candidates
        .iter()
        .copied()
        .filter(|&id| dom.tag(id) != "html")
        .map(|id| (id, score[id] * (1.0 - link_density(id))))
        .max_by(|a, b| a.1.total_cmp(&b.1));
    let Some((top, top_score)) = best else {
        // Nothing scores (a page of a heading and a list): the body, furniture left out.
        let body = order.iter().copied().find(|&id| dom.tag(id) == "body").unwrap_or(Dom::ROOT);
        return vec![body];
    };
    // Readability: when three or more other candidates score nearly as well, the
    // article is split across them (page builders, widget stacks): take the nearest
    // ancestor that holds three of them.
    let mut ranked: Vec<(NodeId, f64)> =
        candidates.iter().map(|&id| (id, score[id] * (1.0 - link_density(id)))).collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1));
    let close: Vec<NodeId> =
        ranked.iter().skip(1).take(4).filter(|(_, s)| *s >= 0.75 * top_score).map(|&(id, _)| id).collect();
    let mut top = top;
    if close.len() >= 3 {
        let mut holds = vec![0usize; n];
        for &c in &close {
            let mut at = dom.parent(c);
            while let Some(a) = at {
                holds[a] += 1;
                at = dom.parent(a);
            }
        }
        let mut at = dom.parent(top);
        while let Some(a) = at {
            if dom.tag(a) == "html" || matches!(dom.nodes[a].data, Data::Document) {
                break;
            }
            if holds[a] >= 3 {
                top = a;
                break;
            }
            at = dom.parent(a);
        }
    }
    // The article's own markup, when the best element sits inside it.
    let mut at = Some(top);
    while let Some(id) = at {
        if marks_article(dom, id) && furniture[id].is_none() {
            // Schema.org's `articleBody` inside it, holding most of its text, is the
            // article without its header and tools.
            let body = dom.descendants(id).skip(1).find(|&d| {
                dom.attr(d, "itemprop").is_some_and(|p| p.trim().eq_ignore_ascii_case("articleBody"))
            });
            if let Some(body) = body
                && f64::from(chars[body]) >= 0.6 * f64::from(chars[id])
            {
                return vec![body];
            }
            return vec![id];
        }
        at = dom.parent(id);
    }
    // No article markup: the page's `<h1>` usually opens the article, so when it sits
    // outside the best element, the element holding both is the article (a page
    // builder puts the heading and each part of the text in widgets of their own).
    let h1 = order
        .iter()
        .copied()
        .find(|&id| dom.tag(id) == "h1" && !skipped[id] && furniture[id].is_none() && chars[id] > 0);
    if let Some(h1) = h1 {
        let mut ancestors_of_top = vec![false; n];
        let mut at = Some(top);
        while let Some(a) = at {
            ancestors_of_top[a] = true;
            at = dom.parent(a);
        }
        let mut at = Some(h1);
        while let Some(a) = at {
            if ancestors_of_top[a] {
                break;
            }
            at = dom.parent(a);
        }
        if let Some(common) = at
            && common != top
            && !matches!(dom.tag(common), "body" | "html")
            && !matches!(dom.nodes[common].data, Data::Document)
            && link_density(common) < 0.2
        {
            return vec![common];
        }
    }
    // Siblings that belong to the article too (Readability's sibling step).
    let Some(parent) = dom.parent(top) else { return vec![top] };
    let threshold = (top_score * 0.2).max(10.0);
    let mut roots = Vec::new();
    for sibling in dom.children(parent) {
        if sibling == top {
            roots.push(sibling);
            continue;
        }
        if skipped[sibling] || furniture[sibling].is_some() || chars[sibling] == 0 {
            continue;
        }
        let sibling_score =
            if scored[sibling] { score[sibling] * (1.0 - link_density(sibling)) } else { 0.0 };
        let prose = dom.tag(sibling) == "p" && chars[sibling] > 80 && link_density(sibling) < 0.25;
        if sibling_score >= threshold || prose {
            roots.push(sibling);
        }
    }
    // What lies between two parts of the article (its headings, lists, pictures) is
    // article too, unless it is furniture.
    let mut chosen = vec![false; n];
    for &root in &roots {
        chosen[root] = true;
    }
    let first = roots.first().copied();
    let last = roots.last().copied();
    let mut inside = false;
    let mut filled = Vec::new();
    for sibling in dom.children(parent) {
        if Some(sibling) == first {
            inside = true;
        }
        if inside && !skipped[sibling] && (chosen[sibling] || furniture[sibling].is_none()) {
            filled.push(sibling);
        }
        if Some(sibling) == last {
            break;
        }
    }
    filled
}

fn has_direct_text(dom: &Dom, id: NodeId, skipped: &[bool]) -> bool {
    dom.children(id).any(|c| !skipped[c] && dom.text(c).is_some_and(|t| t.trim().len() >= 25))
}

fn paragraph_commas(dom: &Dom, id: NodeId, skipped: &[bool]) -> usize {
    dom.descendants(id)
        .filter(|&d| !skipped[d])
        .filter_map(|d| dom.text(d))
        .map(|t| t.matches([',', '،', '、', '，']).count())
        .sum()
}
