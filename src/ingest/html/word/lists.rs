//! Word's list paragraphs, their markers already taken out, → `<ul>`/`<ol>` and `<li>`.
//!
//! A run of list paragraphs under one parent (with indented paragraphs under items, and
//! empty paragraphs between them) becomes one list, nested by level: the level `mso-list`
//! names, or the style's (`MsoListBullet2`), or else the indent. A new list starts at the
//! outer level when `mso-list` names another list or instance (`l1`, `lfo2`), or when
//! numbers follow bullets. The marker Word drew says bullets or numbers, and the first
//! number (`3.`, `c)`, `iv.`) is the list's `start`.

use super::super::dom::{Data, Dom, MAX_DEPTH, NodeId};
use super::{class, style, text};

/// Levels a Word list can have.
const MAX_LEVEL: u8 = 9;
/// Indents closer than this (in points) are the same level.
const INDENT_SLACK: f32 = 2.0;
/// `margin-left` of Word's "List Paragraph" style, when a paragraph does not say.
const LIST_INDENT: f32 = 36.0;

/// One list paragraph.
struct Item {
    node: NodeId,
    /// From `mso-list` (`level2`), or the class (`MsoListBullet2`); else by indent.
    level: Option<u8>,
    /// `l0` and `lfo1` of `mso-list`: which list, and which instance of it.
    list: Option<(u32, u32)>,
    marker: String,
    indent: f32,
}

enum Entry {
    Item(Item),
    /// An indented paragraph under the item before it.
    More(NodeId),
}

/// `mso-list: l0 level2 lfo1` → (list, level, instance).
fn mso_list(value: &str) -> Option<(u32, u8, u32)> {
    let number = |prefix: &str| {
        value.split_whitespace().find_map(|w| {
            let rest = w.strip_prefix(prefix)?;
            rest.chars().all(|c| c.is_ascii_digit()).then(|| rest.parse::<u32>().ok()).flatten()
        })
    };
    let level = u8::try_from(number("level")?).ok()?.clamp(1, MAX_LEVEL);
    Some((number("l")?, level, number("lfo").unwrap_or(0)))
}

/// `margin-left` in points (`.5in`, `36.0pt`, `1.27cm`, `12.7mm`, `48px`).
fn indent(dom: &Dom, id: NodeId) -> Option<f32> {
    let value = style(dom, id, "margin-left")?.to_ascii_lowercase();
    let (number, factor) = [("in", 72.0), ("pt", 1.0), ("cm", 28.35), ("mm", 2.835), ("px", 0.75)]
        .iter()
        .find_map(|(unit, factor)| value.strip_suffix(unit).map(|n| (n.trim(), *factor)))?;
    number.parse::<f32>().ok().filter(|n| n.is_finite()).map(|n| n * factor)
}

fn list_item(dom: &Dom, id: NodeId, markers: &[Option<String>]) -> Option<Item> {
    if dom.tag(id) != "p" {
        return None;
    }
    let mso = style(dom, id, "mso-list").and_then(mso_list);
    let marker = markers.get(id).cloned().flatten();
    if mso.is_none() && marker.is_none() {
        return None;
    }
    // "List Bullet 2", "List Number 3": the level is in the style's name.
    let class = class(dom, id);
    let by_class = ["MsoListBullet", "MsoListNumber"].iter().find_map(|prefix| {
        let rest = class.strip_prefix(prefix)?;
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        Some(digits.parse::<u8>().unwrap_or(1).clamp(1, MAX_LEVEL))
    });
    Some(Item {
        node: id,
        level: mso.map(|(_, level, _)| level).or(by_class),
        list: mso.map(|(list, _, instance)| (list, instance)),
        marker: marker.unwrap_or_default(),
        indent: indent(dom, id).unwrap_or(LIST_INDENT),
    })
}

/// A paragraph with nothing to print (Word's `<p class=MsoNormal>&nbsp;</p>`).
fn is_empty_paragraph(dom: &Dom, id: NodeId) -> bool {
    dom.tag(id) == "p" && text(dom, id).is_empty() && !dom.descendants(id).any(|d| dom.tag(d) == "img")
}

/// A paragraph indented under a list item: the "List Paragraph" (or "List Continue")
/// style without a number, or any indent.
fn is_continuation(dom: &Dom, id: NodeId) -> bool {
    dom.tag(id) == "p"
        && (class(dom, id).starts_with("MsoListParagraph")
            || class(dom, id).starts_with("MsoListContinue")
            || indent(dom, id).is_some_and(|i| i > INDENT_SLACK))
}

pub(super) fn make_lists(dom: &mut Dom, markers: &[Option<String>]) {
    let mut parents: Vec<NodeId> = Vec::new();
    let mut seen = vec![false; dom.nodes.len()];
    for id in dom.descendants(Dom::ROOT) {
        if let Some(parent) = dom.parent(id)
            && !seen[parent]
            && dom.nodes[id].depth + 2 * usize::from(MAX_LEVEL) < MAX_DEPTH
            && list_item(dom, id, markers).is_some()
        {
            seen[parent] = true;
            parents.push(parent);
        }
    }
    for parent in parents {
        if in_cell(dom, parent) {
            marked_paragraphs(dom, parent, markers);
            continue;
        }
        let children: Vec<NodeId> = dom.children(parent).collect();
        let mut run: Vec<Entry> = Vec::new();
        let mut empty: Vec<NodeId> = Vec::new();
        for child in children {
            let blank = dom.text(child).is_some_and(|t| t.trim().is_empty())
                || matches!(dom.nodes[child].data, Data::Other | Data::If(_) | Data::EndIf);
            if blank {
                continue;
            }
            if let Some(item) = list_item(dom, child, markers) {
                empty.drain(..).for_each(|e| dom.detach(e));
                run.push(Entry::Item(item));
            } else if !run.is_empty() && is_empty_paragraph(dom, child) {
                empty.push(child);
            } else if !run.is_empty() && is_continuation(dom, child) {
                empty.drain(..).for_each(|e| dom.detach(e));
                run.push(Entry::More(child));
            } else {
                build(dom, std::mem::take(&mut run));
                empty.clear();
            }
        }
        build(dom, run);
    }
}

/// Inside a table cell, which the reader reads as a line of text.
fn in_cell(dom: &Dom, id: NodeId) -> bool {
    let mut at = Some(id);
    while let Some(node) = at {
        if matches!(dom.tag(node), "td" | "th") {
            return true;
        }
        at = dom.parent(node);
    }
    false
}

/// List paragraphs in a table cell stay paragraphs, with a plain marker in front (`•`,
/// or the number as Word wrote it): a cell holds text, not lists, and the marker is
/// what tells its lines apart.
fn marked_paragraphs(dom: &mut Dom, parent: NodeId, markers: &[Option<String>]) {
    let items: Vec<Item> = dom.children(parent).filter_map(|c| list_item(dom, c, markers)).collect();
    for item in items {
        let label = match number(&item.marker) {
            Some(_) => format!("{} ", item.marker.trim()),
            None => "• ".to_string(),
        };
        let text = dom.new_text(&label, dom.line(item.node));
        match dom.nodes[item.node].first_child {
            Some(first) => dom.insert_before(first, text),
            None => dom.append(item.node, text),
        }
    }
}

/// A list open while a run is built.
struct Open {
    list: NodeId,
    level: u8,
    /// The level its paragraphs name (`mso-list: … level2`).
    named: u8,
    ordered: bool,
    id: Option<(u32, u32)>,
    /// `margin-left` of its first item.
    indent: f32,
    last: Option<NodeId>,
}

/// The level of an item whose paragraph names one: counted from the open list of the
/// same `l` and `lfo` (which may itself sit under another list), else one below the open
/// list when the item is indented further and belongs to another list (Word nests lists
/// of different `l` by their indent alone).
fn nested_level(open: &[Open], item: &Item, named: u8) -> u8 {
    let same = open.iter().rev().find(|o| item.list.is_some() && o.id == item.list && o.named <= named);
    if let Some(o) = same {
        return (o.level + (named - o.named)).min(MAX_LEVEL);
    }
    match open.last() {
        Some(top) if top.id != item.list && item.indent > top.indent + INDENT_SLACK => {
            (top.level + 1).min(MAX_LEVEL)
        }
        _ => named,
    }
}

/// Turns a run of list paragraphs into nested lists, in place.
fn build(dom: &mut Dom, run: Vec<Entry>) {
    let mut open: Vec<Open> = Vec::new();
    // Indents of the levels met so far, for paragraphs that do not name their level.
    let mut indents: Vec<f32> = Vec::new();
    for entry in run {
        let item = match entry {
            Entry::More(node) => {
                // Under the item whose text it lines up with: a paragraph indented like
                // the outer items ends the inner list.
                let indent = indent(dom, node).unwrap_or(LIST_INDENT);
                while open.len() > 1 && open.last().is_some_and(|o| indent < o.indent - INDENT_SLACK) {
                    open.pop();
                }
                if let Some(li) = open.last().and_then(|o| o.last) {
                    dom.append(li, node);
                }
                continue;
            }
            Entry::Item(item) => item,
        };
        let level = match item.level {
            Some(named) => nested_level(&open, &item, named),
            None => {
                while indents.last().is_some_and(|&top| item.indent < top - INDENT_SLACK) {
                    indents.pop();
                }
                if indents.last().is_none_or(|&top| item.indent > top + INDENT_SLACK) {
                    indents.push(item.indent);
                }
                u8::try_from(indents.len()).unwrap_or(MAX_LEVEL).min(MAX_LEVEL)
            }
        };
        let numbered = number(&item.marker);
        while open.last().is_some_and(|o| o.level > level) {
            open.pop();
        }
        // Another list at the outer level: another `l`/`lfo`, or bullets after numbers.
        let same = open.last().is_some_and(|o| {
            o.level == level && (open.len() > 1 || (o.id == item.list && o.ordered == numbered.is_some()))
        });
        if !same {
            if open.last().is_some_and(|o| o.level == level) {
                open.pop();
            }
            let start = numbered.flatten().filter(|&n| n != 1).map(|n| n.to_string());
            let attrs: Vec<(&str, &str)> = start.iter().map(|s| ("start", s.as_str())).collect();
            let tag = if numbered.is_some() { "ol" } else { "ul" };
            let list = dom.new_element(tag, &attrs, dom.line(item.node));
            match open.last().and_then(|o| o.last) {
                Some(li) => dom.append(li, list),
                None => dom.insert_before(item.node, list),
            }
            open.push(Open {
                list,
                level,
                named: item.level.unwrap_or(level),
                ordered: numbered.is_some(),
                id: item.list,
                indent: item.indent,
                last: None,
            });
        }
        let Some(top) = open.last_mut() else { continue };
        dom.rename(item.node, "li");
        dom.append(top.list, item.node);
        top.last = Some(item.node);
    }
}

/// The number a list marker stands for: `Some(Some(3))` for `3.`, `c)`, `iii.`, `(3)`;
/// `Some(None)` for a numbered marker whose value is unclear; `None` for a bullet (`·`,
/// `o`, `§`, `-`, nothing).
pub(in super::super) fn number(marker: &str) -> Option<Option<u32>> {
    let marker = marker.trim().trim_start_matches('(');
    let core = marker.strip_suffix(['.', ')']).unwrap_or(marker);
    let punctuated = core.len() < marker.len();
    // "1.2." on the second level of a legal-style list: the last number.
    let last = core.rsplit('.').next().unwrap_or(core);
    if !last.is_empty() && last.len() <= 4 && last.chars().all(|c| c.is_ascii_digit()) {
        return Some(last.parse().ok());
    }
    if !punctuated || core.is_empty() || core.len() > 6 || !core.chars().all(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    let lower = core.to_ascii_lowercase();
    let letter = |c: char| u32::from(c) - u32::from('a') + 1;
    let first = lower.chars().next()?;
    if lower.len() == 1 && first != 'i' {
        return Some(Some(letter(first)));
    }
    if let Some(value) = roman(&lower) {
        return Some(Some(value));
    }
    // Word's letters after z: aa, bb, …
    let same = lower.chars().all(|c| c == first);
    let count = u32::try_from(lower.len()).unwrap_or(1);
    Some(same.then(|| 26 * (count - 1) + letter(first)))
}

/// `iv` → 4, when it is a well-formed Roman numeral.
fn roman(text: &str) -> Option<u32> {
    let value = |c| match c {
        'i' => Some(1),
        'v' => Some(5),
        'x' => Some(10),
        'l' => Some(50),
        'c' => Some(100),
        'd' => Some(500),
        'm' => Some(1000),
        _ => None,
    };
    let digits: Vec<i64> = text.chars().map(value).collect::<Option<_>>()?;
    let mut total = 0;
    for (i, &d) in digits.iter().enumerate() {
        if digits.get(i + 1).is_some_and(|&next| next > d) {
            total -= d;
        } else {
            total += d;
        }
    }
    let total = u32::try_from(total).ok().filter(|&t| t > 0)?;
    (to_roman(total) == text).then_some(total)
}

fn to_roman(mut n: u32) -> String {
    let mut out = String::new();
    for (value, digits) in
        [(1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl")]
            .into_iter()
            .chain([(10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")])
    {
        while n >= value {
            out.push_str(digits);
            n -= value;
        }
    }
    out
}
