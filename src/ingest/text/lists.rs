//! Lists in a paste: runs of marked items, with the nesting a paste keeps only as
//! indentation ("  •  signs of infection:" over "    1.  swelling") or as a colon
//! (an item that ends in ":" over a run of another kind of marker).

use super::paragraph_inlines;
use crate::ingest::lines::{Line, MarkerKind, list_marker};
use crate::model::Block;

/// An item set at least this many columns further in than its list's first item is in
/// a list nested in the item before it. One column is noise: pastes often indent the
/// first item by one space less or more than the rest.
const NESTED_INDENT_MIN: usize = 2;
/// Lists nest at most this deep; deeper items stay in the deepest list. Besides being
/// as deep as a printed handout can show, it bounds the recursion below on input that
/// indents every line one step further.
const MAX_DEPTH: usize = 3;

/// Consecutive items with the same kind of marker form one list; items further in, or
/// of another kind after an item that ends in a colon, form a list nested in the item
/// before them. Returns the list and the number of lines it used. `lines` is never
/// empty and its first line has a marker of `kind`: the caller found it.
pub(super) fn collect_list(lines: &[Line], kind: MarkerKind) -> (Block, usize) {
    collect_at_depth(lines, kind, 1)
}

fn collect_at_depth(lines: &[Line], kind: MarkerKind, depth: usize) -> (Block, usize) {
    let indent = lines.first().map_or(0, |line| line.indent);
    let mut items: Vec<Vec<Block>> = Vec::new();
    let mut start = None;
    let mut used = 0;
    while let Some(line) = lines.get(used) {
        let Some(marker) = list_marker(&line.text) else { break };
        let after_colon = items.last().is_some_and(|item| ends_with_colon(item));
        let nests = depth < MAX_DEPTH
            && !items.is_empty()
            && (line.indent >= indent + NESTED_INDENT_MIN
                || (marker.kind != kind && line.indent >= indent && after_colon && depth == 1));
        if nests {
            let (nested, nested_used) = collect_at_depth(&lines[used..], marker.kind, depth + 1);
            if let Some(item) = items.last_mut() {
                item.push(nested);
            }
            used += nested_used;
            continue;
        }
        if marker.kind != kind || line.indent + NESTED_INDENT_MIN <= indent {
            break;
        }
        if start.is_none() {
            start = marker.number;
        }
        items.push(vec![Block::Paragraph { content: paragraph_inlines(marker.rest), line: line.number }]);
        used += 1;
    }
    let ordered = kind != MarkerKind::Bullet;
    let start = if kind == MarkerKind::Number { start.filter(|&n| n != 1) } else { None };
    (Block::List { ordered, start, items, line: lines.first().map_or(0, |line| line.number) }, used)
}

/// Whether an item's own text (its first paragraph) ends in a colon, as a label over
/// sub-items does ("signs of infection:").
fn ends_with_colon(item: &[Block]) -> bool {
    match item {
        [Block::Paragraph { content, .. }] => {
            crate::model::plain_text(content).trim_end().ends_with([':', '：'])
        }
        _ => false,
    }
}

/// Lines without markers as one bulleted list, an item each. `lines` is never empty:
/// callers pass at least two.
pub(super) fn unmarked_list(lines: &[Line]) -> Block {
    Block::List {
        ordered: false,
        start: None,
        items: lines
            .iter()
            .map(|l| vec![Block::Paragraph { content: paragraph_inlines(&l.text), line: l.number }])
            .collect(),
        line: lines.first().map_or(0, |l| l.number),
    }
}
