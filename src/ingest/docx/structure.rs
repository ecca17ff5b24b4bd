//! Items in reading order → the article's blocks: list items gathered into nested
//! lists with Word's numbering, captions joined to their pictures, heading levels
//! fitted to the handout's (the title is level 1, so Heading 1 is level 2).

use std::collections::HashMap;

use super::body::Item;
use super::styles::{Numbering, NumberingRef};
use crate::model::{Block, Inline};

/// The title, if the document marks one, and the blocks.
pub struct Structure {
    pub title: Option<Vec<Inline>>,
    pub blocks: Vec<Block>,
}

/// Word's outline level 0 (Heading 1) → 2; the handout has levels 2 to 4.
fn level(outline: u8) -> u8 {
    (outline + 2).min(4)
}

pub fn build(items: Vec<Item>, numbering: &Numbering) -> Structure {
    let mut title = None;
    let mut blocks: Vec<Block> = Vec::new();
    let mut list = ListBuilder::new(numbering);
    let starts_with_heading = matches!(items.first(), Some(Item::Heading { .. }));
    let has_title = items.iter().any(|item| matches!(item, Item::Title { .. }));
    for (index, item) in items.into_iter().enumerate() {
        if let Item::ListEntry { reference, ordered, indent, content, line } = item {
            list.push(reference, ordered, indent, content, line);
            continue;
        }
        blocks.extend(list.finish());
        match item {
            Item::Title { content, line } => {
                if title.is_none() {
                    title = Some(content);
                } else {
                    blocks.push(Block::Heading { level: 2, content, line });
                }
            }
            // Without a Title style, a document that opens with a heading is titled by it.
            Item::Heading { content, .. } if index == 0 && !has_title && starts_with_heading => {
                title = Some(content)
            }
            Item::Heading { outline, content, line } => {
                blocks.push(Block::Heading { level: level(outline), content, line })
            }
            Item::Paragraph { content, line } => blocks.push(Block::Paragraph { content, line }),
            Item::Caption { content, line } => match blocks.last_mut() {
                Some(Block::Figure { caption: caption @ None, .. }) => *caption = Some(content),
                _ => blocks.push(Block::Paragraph { content, line }),
            },
            Item::Block(block) => blocks.push(block),
            Item::ListEntry { .. } => {}
        }
    }
    blocks.extend(list.finish());
    Structure { title, blocks }
}

/// An open list at one depth.
struct Open {
    /// Which of Word's counters numbers it: another counter is another list.
    key: (bool, u32),
    /// How far in its items are set, in twips.
    indent: i64,
    ordered: bool,
    start: Option<u64>,
    line: usize,
    items: Vec<Vec<Block>>,
}

/// Gathers consecutive list paragraphs into one nested list.
struct ListBuilder<'a> {
    numbering: &'a Numbering,
    /// Each counter's current number at each level, as Word counts them.
    counters: HashMap<(bool, u32), [u64; 9]>,
    /// Which levels of each counter have started.
    started: HashMap<(bool, u32), [bool; 9]>,
    open: Vec<Open>,
    /// Outermost lists closed so far.
    finished: Vec<Block>,
}

impl<'a> ListBuilder<'a> {
    fn new(numbering: &'a Numbering) -> Self {
        ListBuilder {
            numbering,
            counters: HashMap::new(),
            started: HashMap::new(),
            open: Vec::new(),
            finished: Vec::new(),
        }
    }

    fn push(
        &mut self,
        reference: NumberingRef,
        ordered: bool,
        indent: i64,
        content: Vec<Inline>,
        line: usize,
    ) {
        let number = self.count(reference);
        let key = self.numbering.counter_key(reference);
        while self.open.last().is_some_and(|top| top.indent > indent) {
            self.close_top();
        }
        let same = self
            .open
            .last()
            .is_some_and(|top| top.indent == indent && top.ordered == ordered && top.key == key);
        if !same {
            if self.open.last().is_some_and(|top| top.indent == indent) {
                self.close_top();
            }
            let start = ordered.then_some(number).filter(|&n| n != 1);
            self.open.push(Open { key, indent, ordered, start, line, items: Vec::new() });
        }
        if let Some(top) = self.open.last_mut() {
            top.items.push(vec![Block::Paragraph { content, line }]);
        }
    }

    /// The number Word shows for this item, and deeper levels reset.
    fn count(&mut self, reference: NumberingRef) -> u64 {
        let key = self.numbering.counter_key(reference);
        let level = usize::from(reference.level.min(8));
        let counters = self.counters.entry(key).or_insert([0; 9]);
        let started = self.started.entry(key).or_insert([false; 9]);
        if started[level] {
            counters[level] += 1;
        } else {
            counters[level] = self.numbering.start(reference);
            started[level] = true;
        }
        started[level + 1..].fill(false);
        counters[level]
    }

    /// Closes the innermost open list: into the last item of the list around it, or
    /// out as a finished block.
    fn close_top(&mut self) {
        let Some(top) = self.open.pop() else { return };
        let block = Block::List { ordered: top.ordered, start: top.start, items: top.items, line: top.line };
        match self.open.last_mut() {
            Some(parent) => match parent.items.last_mut() {
                Some(item) => item.push(block),
                None => parent.items.push(vec![block]),
            },
            None => self.finished.push(block),
        }
    }

    /// Every open list closed; the outermost as blocks.
    fn finish(&mut self) -> Vec<Block> {
        while !self.open.is_empty() {
            self.close_top();
        }
        std::mem::take(&mut self.finished)
    }
}
