//! Pages written by Microsoft Word ("Save as Web Page", filtered or not), and Word text
//! pasted into a site, made into the HTML the rest of the reader knows.
//!
//! Word keeps its own model in HTML that browsers can show. A bulleted item is a
//! paragraph with the bullet typed in front of it:
//!
//! ```html
//! <p class=MsoListParagraphCxSpFirst style='text-indent:-.25in;mso-list:l0 level1 lfo1'>
//! <![if !supportLists]><span style='font-family:Symbol'><span style='mso-list:Ignore'>·<span
//! style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp;&nbsp; </span></span></span><![endif]>Eat more fruit</p>
//! ```
//!
//! `mso-list: l0 level1 lfo1` says which list (`l0`, and `lfo1`, the list's instance) and
//! which level; the part between `<![if !supportLists]>` and `<![endif]>` (a browser
//! re-saving the page writes `<!--[if !supportLists]-->`) is the marker Word drew for
//! browsers: a Symbol-font `·`, a Courier `o` on level 2, a Wingdings `§`, or `1.`, `a.`,
//! `i.`, then a 7-point "Times New Roman" span of spaces standing in for the tab. The
//! filtered save drops the conditional comments and the `mso-` styles, so there the
//! marker is found by that spacer, and the level by the indent (`margin-left`).
//!
//! [`prepare`] edits the tree before the article is looked for:
//! - the markers are taken out, and each run of list paragraphs becomes `<ul>`/`<ol>`
//!   with `<li>`s nested by level (`start` kept when the first number is not 1); an
//!   indented paragraph between items belongs to the item above it;
//! - the parts Word wrote only for browsers that lack a feature it used, and that repeat
//!   something (`!supportLineBreakNewLine`: a second `<br>`; `!supportMisalignedColumns`:
//!   an empty sizing row), are taken out; the `!vml` part stays, because it is the one
//!   copy of a picture left in the tree (the VML drawing of the same picture sits in a
//!   `<!--[if gte vml 1]>` comment, which is never read), and so does `!supportEmptyParas`;
//! - `MsoTitle` becomes the article's title (on a page Word saved; else the first `<h1>`
//!   is, as on any page) or an `<h1>` (in Word text pasted into a site, whose own
//!   headline may be the title); `MsoHeadingN` becomes `<hN>`; on a page Word saved, the
//!   headings then move one level down, since its `<h1>` are sections, not the title;
//! - an `MsoCaption` beside a picture becomes the `<figcaption>` of a `<figure>`.
//!
//! `MsoSubtitle` stays a paragraph, printed under the title: a handout's subtitle ("For
//! patients going home after heart surgery") is part of what the writer means the reader
//! to see, but it opens no section, and a heading with nothing under it would put an
//! empty entry in the outline. `<o:p>` is an unknown inline element, read through.

pub(super) mod lists;

use super::dom::{Data, Dom, NodeId};

/// What [`prepare`] found.
#[derive(Debug, Default)]
pub struct Word {
    /// Saved by Word (its generator `<meta>` or the Office namespaces on `<html>`): the
    /// page is a document, with no site around it, so all of its `<body>` is the article.
    /// `None` for Word text pasted into a site.
    pub body: Option<NodeId>,
    /// The `MsoTitle` paragraph's words, taken out of the body (on a page Word saved).
    pub title: Option<String>,
}

/// More than this many characters in a part for old browsers is not a marker or a
/// spacer, and is left alone.
const MAX_MARKER_CHARS: usize = 16;

/// Makes a Word page's lists, title, headings and captions plain HTML; `None` (and the
/// tree untouched) when the page holds nothing from Word.
pub fn prepare(dom: &mut Dom) -> Option<Word> {
    let saved = detect(dom)?;
    let mut markers = vec![None; dom.nodes.len()];
    conditional_parts(dom, &mut markers);
    typed_markers(dom, &mut markers);
    lists::make_lists(dom, &markers);
    let title = styles(dom, saved);
    captions(dom);
    let body = saved.then(|| dom.descendants(Dom::ROOT).find(|&id| dom.tag(id) == "body")).flatten();
    Some(Word { body, title })
}

/// `Some(true)` for a page Word saved, `Some(false)` for a page with Word's classes in it,
/// `None` for any other page.
fn detect(dom: &Dom) -> Option<bool> {
    let mut seen = false;
    for id in dom.descendants(Dom::ROOT) {
        match dom.tag(id) {
            "html" => {
                let office = ["xmlns:o", "xmlns:w", "xmlns:v"].iter().any(|key| {
                    dom.attr(id, key)
                        .is_some_and(|ns| ns.trim().starts_with("urn:schemas-microsoft-com:office"))
                });
                if office {
                    return Some(true);
                }
            }
            "meta" => {
                let name = dom.attr(id, "name").unwrap_or("").trim().to_ascii_lowercase();
                let content = dom.attr(id, "content").unwrap_or("").to_ascii_lowercase();
                if (name == "generator" || name == "originator") && content.contains("microsoft word")
                    || name == "progid" && content.contains("word.document")
                {
                    return Some(true);
                }
            }
            _ => {}
        }
        seen = seen
            || dom.attr(id, "class").is_some_and(|c| c.split_whitespace().any(|c| c.starts_with("Mso")))
            || matches!(&dom.nodes[id].data, Data::If(c) if c.eq_ignore_ascii_case("!supportLists"));
    }
    seen.then_some(false)
}

fn class(dom: &Dom, id: NodeId) -> &str {
    dom.attr(id, "class").unwrap_or("").trim()
}

/// The value of one property in the element's `style`, by its lowercase name.
fn style<'a>(dom: &'a Dom, id: NodeId, key: &str) -> Option<&'a str> {
    dom.attr(id, "style")?.split(';').find_map(|declaration| {
        let (name, value) = declaration.split_once(':')?;
        name.trim().eq_ignore_ascii_case(key).then(|| value.trim())
    })
}

/// The words under a node (text nodes only, so nothing of comments or marker parts).
fn text(dom: &Dom, id: NodeId) -> String {
    let all: String = dom.descendants(id).filter_map(|d| dom.text(d)).collect();
    all.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn is_heading(tag: &str) -> bool {
    matches!(tag, "h1" | "h2" | "h3" | "h4" | "h5" | "h6")
}

/// The span Word puts after a list marker in place of the tab: 7-point "Times New Roman"
/// (`font:7.0pt "Times New Roman"`, or spelled out by a browser that saved the page
/// again), holding only spaces.
fn is_spacer(dom: &Dom, id: NodeId) -> bool {
    if dom.tag(id) != "span" || !text(dom, id).is_empty() {
        return false;
    }
    let squeezed: String = dom
        .attr(id, "style")
        .unwrap_or("")
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_lowercase();
    ["font:7.0pt", "font:7pt", "font-size:7.0pt", "font-size:7pt"].iter().any(|f| squeezed.contains(f))
}

/// The block a node is in (`p`, a heading, `li`, `div`, a cell).
fn block_of(dom: &Dom, id: NodeId) -> Option<NodeId> {
    let mut at = dom.parent(id);
    while let Some(node) = at {
        if matches!(dom.tag(node), "p" | "li" | "div" | "td" | "th" | "body") || is_heading(dom.tag(node)) {
            return Some(node);
        }
        at = dom.parent(node);
    }
    None
}

/// The conditional parts: a list marker is taken out and remembered for its paragraph
/// (in a heading, a numbered heading's number stays, with a space for the tab); a
/// repeated line break and an empty sizing row are taken out; the rest stays.
fn conditional_parts(dom: &mut Dom, markers: &mut [Option<String>]) {
    let opens: Vec<(NodeId, String)> = dom
        .descendants(Dom::ROOT)
        .filter_map(|id| match &dom.nodes[id].data {
            Data::If(condition) => Some((id, condition.to_ascii_lowercase())),
            _ => None,
        })
        .collect();
    for (open, condition) in opens {
        match condition.as_str() {
            "!supportlists" => {
                let block = block_of(dom, open);
                if block.is_some_and(|b| is_heading(dom.tag(b))) {
                    let spacers: Vec<NodeId> = part(dom, open)
                        .map(|(nodes, _)| nodes)
                        .unwrap_or_default()
                        .into_iter()
                        .flat_map(|node| dom.descendants(node).collect::<Vec<_>>())
                        .filter(|&node| is_spacer(dom, node))
                        .collect();
                    spacers.into_iter().for_each(|spacer| to_one_space(dom, spacer));
                } else if let Some(marker) = take_part(dom, open)
                    && let Some(block) = block
                {
                    markers[block] = Some(marker);
                }
            }
            "!supportlinebreaknewline" | "!supportmisalignedcolumns" => {
                take_part(dom, open);
            }
            _ => {}
        }
    }
}

/// The siblings after the `If` node `open`, and its `EndIf`; `None` when it has no end
/// among them.
fn part(dom: &Dom, open: NodeId) -> Option<(Vec<NodeId>, NodeId)> {
    let mut nodes = Vec::new();
    let mut at = dom.nodes[open].next;
    while let Some(node) = at {
        match dom.nodes[node].data {
            Data::EndIf => return Some((nodes, node)),
            Data::If(_) => return None,
            _ => nodes.push(node),
        }
        at = dom.nodes[node].next;
    }
    None
}

/// Takes a short conditional part out of the tree, with its comments; its words, or
/// `None` (and the tree as it was) when there is no end or the part is more than a
/// marker.
fn take_part(dom: &mut Dom, open: NodeId) -> Option<String> {
    let (nodes, close) = part(dom, open)?;
    let words: Vec<String> = nodes.iter().map(|&n| text(dom, n)).filter(|t| !t.is_empty()).collect();
    let words = words.join(" ");
    let pictures = nodes.iter().any(|&n| dom.descendants(n).any(|d| dom.tag(d) == "img"));
    if pictures || words.chars().filter(|c| !c.is_whitespace()).count() > MAX_MARKER_CHARS {
        return None;
    }
    for node in nodes.into_iter().chain([open, close]) {
        dom.detach(node);
    }
    Some(words)
}

fn to_one_space(dom: &mut Dom, spacer: NodeId) {
    let texts: Vec<NodeId> = dom.descendants(spacer).filter(|&d| dom.text(d).is_some()).collect();
    for (i, node) in texts.into_iter().enumerate() {
        if let Data::Text(text) = &mut dom.nodes[node].data {
            *text = if i == 0 { " ".into() } else { "".into() };
        }
    }
}

/// Markers without conditional comments around them: in a `mso-list:Ignore` span, or
/// (the filtered save) a short text before the spacer at the start of a paragraph.
fn typed_markers(dom: &mut Dom, markers: &mut [Option<String>]) {
    let blocks: Vec<NodeId> =
        dom.descendants(Dom::ROOT).filter(|&id| dom.tag(id) == "p" || is_heading(dom.tag(id))).collect();
    for block in blocks {
        if markers[block].is_some() {
            continue;
        }
        let heading = is_heading(dom.tag(block));
        let ignore = dom.descendants(block).skip(1).find(|&d| {
            style(dom, d, "mso-list").is_some_and(|v| v.eq_ignore_ascii_case("ignore"))
                && block_of(dom, d) == Some(block)
        });
        if let Some(span) = ignore {
            if heading {
                let spacers: Vec<NodeId> = dom.descendants(span).filter(|&d| is_spacer(dom, d)).collect();
                spacers.into_iter().for_each(|s| to_one_space(dom, s));
            } else {
                markers[block] = Some(text(dom, span));
                dom.detach(span);
            }
            continue;
        }
        // The filtered save: text, then the spacer, before any other words. A number
        // set flush right (`ii.`) has a spacer before it too; a bullet whose glyph Word
        // did not write is a spacer alone.
        let mut marker = Vec::new();
        let mut spacers = Vec::new();
        let mut closed = false;
        for node in dom.descendants(block).skip(1) {
            if let Some(t) = dom.text(node) {
                if !t.trim().is_empty() {
                    marker.push(node);
                }
            } else if is_spacer(dom, node) {
                spacers.push(node);
                closed = !marker.is_empty();
                if closed || spacers.len() > 1 {
                    break;
                }
            } else if matches!(dom.tag(node), "img" | "br") || super::extract::is_block(dom.tag(node)) {
                break;
            }
            let chars: usize =
                marker.iter().filter_map(|&m| dom.text(m)).map(|t| t.trim().chars().count()).sum();
            if chars > MAX_MARKER_CHARS / 2 {
                break;
            }
        }
        if !closed {
            marker.clear();
        }
        if spacers.is_empty() {
            continue;
        }
        if heading {
            spacers.into_iter().for_each(|s| to_one_space(dom, s));
            continue;
        }
        let words: Vec<String> =
            marker.iter().filter_map(|&m| dom.text(m)).map(|t| t.trim().to_string()).collect();
        markers[block] = Some(words.join(""));
        for node in marker.into_iter().chain(spacers) {
            dom.detach(node);
        }
    }
}

/// Word's paragraph styles: the title, and headings named `MsoHeadingN`. Returns the
/// title of a page Word saved (its `MsoTitle` lines, else its first `<h1>`), taken out of
/// the body; the headings left move one level down.
fn styles(dom: &mut Dom, saved: bool) -> Option<String> {
    let paragraphs: Vec<NodeId> = dom.descendants(Dom::ROOT).filter(|&id| dom.tag(id) == "p").collect();
    let mut title: Vec<NodeId> = Vec::new();
    for id in paragraphs {
        let class = class(dom, id).to_string();
        if let Some(level) = class.strip_prefix("MsoHeading").and_then(|n| n.parse::<u8>().ok()) {
            dom.rename(id, &format!("h{}", level.clamp(1, 6)));
        } else if class.starts_with("MsoTitle") {
            // The title's next line (`MsoTitleCxSpLast` after `MsoTitleCxSpFirst`).
            let next_line = title.last().is_some_and(|&last| next_element(dom, last) == Some(id));
            if saved && (title.is_empty() && !text(dom, id).is_empty() || next_line) {
                title.push(id);
            } else {
                dom.rename(id, "h1");
            }
        }
    }
    if !saved {
        return None;
    }
    // No title paragraph: the first `<h1>`, as on any page.
    if title.is_empty()
        && let Some(h1) =
            dom.descendants(Dom::ROOT).find(|&id| dom.tag(id) == "h1" && !text(dom, id).is_empty())
    {
        title.push(h1);
    }
    let words: Vec<String> = title.iter().map(|&id| text(dom, id)).filter(|t| !t.is_empty()).collect();
    title.into_iter().for_each(|id| dom.detach(id));
    // Word's `<h1>` are the sections under the title, `<h2>` their parts: one level
    // down, so that they do not all print as one level as a site's `<h1>` and `<h2>` do.
    let headings: Vec<(NodeId, u8)> = dom
        .descendants(Dom::ROOT)
        .filter_map(|id| {
            Some((id, dom.tag(id).strip_prefix('h')?.parse::<u8>().ok().filter(|n| (1..=6).contains(n))?))
        })
        .collect();
    for (id, level) in headings {
        dom.rename(id, &format!("h{}", (level + 1).min(6)));
    }
    (!words.is_empty()).then(|| words.join(" "))
}

/// The next element after `id` among its siblings, over spaces and comments.
fn next_element(dom: &Dom, id: NodeId) -> Option<NodeId> {
    let mut at = dom.nodes[id].next;
    while let Some(node) = at {
        match &dom.nodes[node].data {
            Data::Element { .. } => return Some(node),
            Data::Text(t) if !t.trim().is_empty() => return None,
            _ => at = dom.nodes[node].next,
        }
    }
    None
}

/// The one picture in a paragraph that holds nothing else to read.
fn lone_picture(dom: &Dom, id: NodeId) -> Option<NodeId> {
    if !matches!(dom.tag(id), "p" | "div") || !text(dom, id).is_empty() {
        return None;
    }
    let mut pictures = dom.descendants(id).filter(|&d| dom.tag(d) == "img");
    let picture = pictures.next()?;
    pictures.next().is_none().then_some(picture)
}

/// `<p><img></p><p class=MsoCaption>Figure 1. …</p>` (or the caption above) →
/// `<figure><img><figcaption>Figure 1. …</figcaption></figure>`.
fn captions(dom: &mut Dom) {
    let captions: Vec<NodeId> = dom
        .descendants(Dom::ROOT)
        .filter(|&id| dom.tag(id) == "p" && class(dom, id).starts_with("MsoCaption"))
        .collect();
    for caption in captions {
        if text(dom, caption).is_empty() {
            continue;
        }
        let previous = {
            let mut at = dom.nodes[caption].prev;
            while let Some(node) = at.filter(|&n| !matches!(dom.nodes[n].data, Data::Element { .. })) {
                if dom.text(node).is_some_and(|t| !t.trim().is_empty()) {
                    break;
                }
                at = dom.nodes[node].prev;
            }
            at.filter(|&n| matches!(dom.nodes[n].data, Data::Element { .. }))
        };
        let holder = [previous, next_element(dom, caption)]
            .into_iter()
            .flatten()
            .find_map(|p| lone_picture(dom, p).map(|img| (p, img)));
        let Some((paragraph, picture)) = holder else { continue };
        let figure = dom.new_element("figure", &[], dom.line(picture));
        dom.insert_before(paragraph, figure);
        dom.append(figure, picture);
        dom.rename(caption, "figcaption");
        dom.append(figure, caption);
        dom.detach(paragraph);
    }
}
