//! `word/document.xml` → what each paragraph is ([`Item`]s, in reading order).
//!
//! A paragraph's role comes from its style and numbering (see `styles.rs`), never
//! from how it looks, with one exception kept for safety: a short paragraph that says
//! when to get help ("When to call your doctor") is a heading even when typed as body
//! text, so it always prints as the call box.
//!
//! "Line" numbers of a `.docx` are paragraph numbers: the first paragraph of the body
//! is 1, counting paragraphs in tables and text boxes in reading order.

use std::collections::HashMap;

use roxmltree::Node;

use super::inlines::{Format, Runs};
use super::styles::{LevelKind, Numbering, NumberingRef, Styles};
use super::xml::{attr, child, is_on, local, rel_attr};
use crate::docx_package::Target;
use crate::model::{Block, Inline, Removed, Warning};

/// What one paragraph (or table) of the document is.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    Title {
        content: Vec<Inline>,
        line: usize,
    },
    Heading {
        outline: u8,
        content: Vec<Inline>,
        line: usize,
    },
    Paragraph {
        content: Vec<Inline>,
        line: usize,
    },
    /// `indent` orders nesting: Word nests by level (`w:ilvl`) and also by style
    /// (`List Bullet 2` is its own list, set further in), so items nest by how far in
    /// they are set, in twips.
    ListEntry {
        reference: NumberingRef,
        ordered: bool,
        indent: i64,
        content: Vec<Inline>,
        line: usize,
    },
    Caption {
        content: Vec<Inline>,
        line: usize,
    },
    /// A figure or a table, finished.
    Block(Block),
}

/// What the body reader needs from the rest of the package.
pub struct Context<'a> {
    pub styles: &'a Styles,
    pub numbering: &'a Numbering,
    pub relationships: &'a HashMap<String, Target>,
    /// Footnote and endnote id → its text.
    pub notes: &'a HashMap<(bool, String), String>,
    /// The document's file name, which picture paths start with:
    /// `low-salt.docx/word/media/image1.png`.
    pub file_name: &'a str,
}

/// The body reader's state and findings.
pub struct Reader<'a> {
    cx: Context<'a>,
    line: usize,
    /// Open complex fields (`w:fldChar`), which may span paragraphs: for each, its
    /// instruction and whether its result is being read.
    fields: Vec<(String, bool)>,
    pub removed: Vec<Removed>,
    pub warnings: Vec<Warning>,
    pub insertions: usize,
    pub deletions: usize,
    /// Characters of text per `w:lang` of their runs.
    pub languages: HashMap<String, usize>,
}

/// Where a run is: what formatting and tracked change surround it.
#[derive(Clone, Default)]
struct Surround {
    format: Format,
    deleted: bool,
}

/// One paragraph's collected content.
#[derive(Default)]
struct Paragraph {
    runs: Runs,
    /// Figures and text-box paragraphs found in the paragraph, placed after it.
    after: Vec<Item>,
    hidden: String,
    deleted: String,
}

impl<'a> Reader<'a> {
    pub fn new(cx: Context<'a>) -> Reader<'a> {
        Reader {
            cx,
            line: 0,
            fields: Vec::new(),
            removed: Vec::new(),
            warnings: Vec::new(),
            insertions: 0,
            deletions: 0,
            languages: HashMap::new(),
        }
    }

    /// The block-level children of `parent` (the body, a cell, a text box) as items.
    pub fn blocks(&mut self, parent: Node) -> Vec<Item> {
        let mut out = Vec::new();
        for node in parent.children() {
            match local(node) {
                "p" => self.paragraph(node, &mut out),
                "tbl" => out.extend(self.table(node)),
                "sdt" => {
                    if let Some(content) = child(node, "sdtContent") {
                        out.extend(self.blocks(content));
                    }
                }
                "customXml" | "ins" | "moveTo" => out.extend(self.blocks(node)),
                "AlternateContent" => {
                    if let Some(choice) = child(node, "Choice") {
                        out.extend(self.blocks(choice));
                    }
                }
                _ => {}
            }
        }
        out
    }

    /// The text of every paragraph under `parent`, one string each (headers, footers,
    /// comments), for `removed`.
    pub fn texts(&mut self, parent: Node) -> Vec<String> {
        parent
            .descendants()
            .filter(|n| local(*n) == "p")
            .map(|p| {
                let mut paragraph = Paragraph::default();
                self.inline_children(p, &Surround::default(), &mut paragraph);
                paragraph.runs.plain()
            })
            .filter(|t| !t.is_empty())
            .collect()
    }

    fn paragraph(&mut self, p: Node, out: &mut Vec<Item>) {
        self.line += 1;
        let line = self.line;
        let ppr = child(p, "pPr");
        let style_id = ppr.and_then(|ppr| child(ppr, "pStyle")).and_then(|s| attr(s, "val"));
        let style = self.cx.styles.get(style_id);
        let mut paragraph = Paragraph::default();
        self.inline_children(p, &Surround::default(), &mut paragraph);
        if !paragraph.hidden.trim().is_empty() {
            self.remove(line, "hidden text in Word", &paragraph.hidden);
        }
        if !paragraph.deleted.trim().is_empty() {
            self.remove(line, "deleted in Word's tracked changes", &paragraph.deleted);
        }
        let plain = paragraph.runs.plain();
        if style.toc {
            self.remove(line, "table of contents in Word", &plain);
            out.extend(paragraph.after);
            return;
        }
        if plain.is_empty() {
            out.extend(paragraph.after);
            return;
        }
        let outline = ppr.and_then(super::styles::outline_level).or(style.outline);
        let numbering = ppr
            .and_then(super::styles::numbering_ref)
            .or(style.numbering)
            .filter(|r| r.num_id != 0)
            .and_then(|r| self.cx.numbering.level(r).map(|level| (r, level)));
        let all_bold = paragraph.runs.all_bold();
        let content = paragraph.runs.into_inlines();
        let item = if style.title {
            Item::Title { content, line }
        } else if let Some(outline) = outline {
            Item::Heading { outline, content, line }
        } else if let Some((reference, level)) = numbering.filter(|(_, l)| l.kind != LevelKind::Plain) {
            let indent = ppr
                .and_then(super::styles::left_indent)
                .or(level.indent)
                .unwrap_or(360 + 720 * i64::from(reference.level));
            // A checklist's box is the item's bullet: whether it is ticked is what it says.
            let content = match level.checkbox {
                Some(mark) => [vec![Inline::text(format!("{mark} "))], content].concat(),
                None => content,
            };
            Item::ListEntry { reference, ordered: level.kind == LevelKind::Numbered, indent, content, line }
        } else if style.caption {
            Item::Caption { content, line }
        } else if crate::ingest::text::is_safety_heading(&plain) && (all_bold || style.bold) {
            Item::Heading { outline: 0, content, line }
        } else {
            Item::Paragraph { content, line }
        };
        out.push(item);
        out.extend(paragraph.after);
    }

    /// Runs and what holds runs (links, fields, tracked changes, content controls).
    fn inline_children(&mut self, parent: Node, surround: &Surround, paragraph: &mut Paragraph) {
        for node in parent.children() {
            match local(node) {
                "r" => self.run(node, surround, paragraph),
                "hyperlink" => {
                    let url = rel_attr(node, "id").and_then(|id| match self.cx.relationships.get(id) {
                        Some(Target::External(url)) => Some(url.clone()),
                        _ => None,
                    });
                    let mut inner = surround.clone();
                    if url.is_some() {
                        inner.format.link = url;
                    }
                    self.inline_children(node, &inner, paragraph);
                }
                "fldSimple" => {
                    let mut inner = surround.clone();
                    if let Some(url) = attr(node, "instr").and_then(hyperlink_target) {
                        inner.format.link = Some(url);
                    }
                    self.inline_children(node, &inner, paragraph);
                }
                "ins" | "moveTo" => {
                    self.insertions += 1;
                    self.inline_children(node, surround, paragraph);
                }
                "del" | "moveFrom" => {
                    self.deletions += 1;
                    let inner = Surround { deleted: true, ..surround.clone() };
                    self.inline_children(node, &inner, paragraph);
                }
                "smartTag" | "customXml" | "dir" | "bdo" => self.inline_children(node, surround, paragraph),
                "sdt" => {
                    if let Some(content) = child(node, "sdtContent") {
                        self.inline_children(content, surround, paragraph);
                    }
                }
                "AlternateContent" => {
                    if let Some(choice) = child(node, "Choice") {
                        self.inline_children(choice, surround, paragraph);
                    }
                }
                _ => {}
            }
        }
    }

    fn run(&mut self, r: Node, surround: &Surround, paragraph: &mut Paragraph) {
        let rpr = child(r, "rPr");
        let on = |name: &str| rpr.and_then(|rpr| child(rpr, name)).is_some_and(is_on);
        let char_style = rpr.and_then(|rpr| child(rpr, "rStyle")).and_then(|s| attr(s, "val"));
        let (style_bold, style_italic) = self.cx.styles.character(char_style);
        let mut format = surround.format.clone();
        format.bold |= on("b") || style_bold;
        format.italic |= on("i") || style_italic;
        let hidden = on("vanish") && !on("specVanish");
        let lang = rpr.and_then(|rpr| child(rpr, "lang")).and_then(|l| attr(l, "val"));
        for node in r.children() {
            let text: Option<&str> = match local(node) {
                "t" => node.text(),
                "delText" => {
                    paragraph.deleted.push_str(node.text().unwrap_or(""));
                    continue;
                }
                "tab" | "ptab" => Some(" "),
                "noBreakHyphen" => Some("-"),
                "br" if matches!(attr(node, "type"), Some("page" | "column")) => Some(" "),
                "br" | "cr" => {
                    if !surround.deleted && !hidden && self.field_shows_text() {
                        paragraph.runs.push_break(&format);
                    }
                    continue;
                }
                "fldChar" => {
                    self.field_char(attr(node, "fldCharType").unwrap_or(""));
                    continue;
                }
                "instrText" => {
                    if let Some((instruction, false)) = self.fields.last_mut() {
                        instruction.push_str(node.text().unwrap_or(""));
                    }
                    continue;
                }
                "footnoteReference" | "endnoteReference" => {
                    let key =
                        (local(node) == "footnoteReference", attr(node, "id").unwrap_or("").to_string());
                    if let Some(note) = self.cx.notes.get(&key) {
                        paragraph
                            .runs
                            .push_text(&Format { link: None, ..format.clone() }, &format!(" ({note})"));
                    }
                    continue;
                }
                "drawing" | "pict" => {
                    if !surround.deleted {
                        self.picture(node, paragraph);
                    }
                    continue;
                }
                "object" => {
                    self.warnings.push(Warning::at(
                        self.line,
                        "an embedded object (a chart, equation or spreadsheet) cannot be printed; \
                         paste it into Word as a picture with alt text",
                    ));
                    continue;
                }
                "AlternateContent" => {
                    if let Some(choice) = child(node, "Choice") {
                        let inner = child(choice, "drawing").or_else(|| child(choice, "pict"));
                        if let Some(drawing) = inner.filter(|_| !surround.deleted) {
                            self.picture(drawing, paragraph);
                        }
                    }
                    continue;
                }
                _ => continue,
            };
            let Some(text) = text else { continue };
            if surround.deleted {
                paragraph.deleted.push_str(text);
            } else if !self.field_shows_text() {
            } else if hidden {
                paragraph.hidden.push_str(text);
            } else {
                let mut format = format.clone();
                if format.link.is_none() {
                    format.link = self.field_link();
                }
                if let Some(lang) = lang {
                    *self.languages.entry(lang.to_string()).or_default() += text.chars().count();
                }
                paragraph.runs.push_text(&format, text);
            }
        }
    }

    fn field_char(&mut self, kind: &str) {
        match kind {
            "begin" => self.fields.push((String::new(), false)),
            "separate" => {
                if let Some(field) = self.fields.last_mut() {
                    field.1 = true;
                }
            }
            "end" => {
                self.fields.pop();
            }
            _ => {}
        }
    }

    /// Text between a field's `begin` and `separate` is its instruction, never shown.
    fn field_shows_text(&self) -> bool {
        self.fields.iter().all(|(_, result)| *result)
    }

    /// The address of the innermost open `HYPERLINK` field whose result is being read.
    fn field_link(&self) -> Option<String> {
        self.fields.iter().rev().find_map(|(instruction, _)| hyperlink_target(instruction))
    }

    /// A drawing (`w:drawing`, DrawingML) or VML picture (`w:pict`): its picture, and
    /// the paragraphs of any text box in it.
    fn picture(&mut self, node: Node, paragraph: &mut Paragraph) {
        for text_box in node.descendants().filter(|n| local(*n) == "txbxContent") {
            let items = self.blocks(text_box);
            paragraph.after.extend(items);
        }
        // What belongs to this drawing, not to a picture inside its text box (read above).
        let own = |n: &Node| !n.ancestors().take_while(|a| *a != node).any(|a| local(a) == "txbxContent");
        let doc_pr = node.descendants().filter(own).find(|n| local(*n) == "docPr");
        let shape = node.descendants().filter(own).find(|n| local(*n) == "shape");
        let alt = doc_pr
            .and_then(|d| attr(d, "descr").filter(|a| !a.trim().is_empty()).or_else(|| attr(d, "title")))
            .or_else(|| shape.and_then(|s| attr(s, "alt")))
            .unwrap_or("")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let blip = node.descendants().filter(own).find(|n| matches!(local(*n), "blip" | "imagedata"));
        let Some(blip) = blip else {
            // A chart, a diagram or a drawn shape: nothing to print but what it says.
            if !alt.is_empty() {
                paragraph.after.push(Item::Paragraph { content: vec![Inline::text(alt)], line: self.line });
            }
            return;
        };
        let target = rel_attr(blip, "embed")
            .or_else(|| rel_attr(blip, "id"))
            .and_then(|id| self.cx.relationships.get(id));
        let part = match target {
            Some(Target::Part(part)) => part.clone(),
            _ => {
                self.warnings.push(Warning::at(
                    self.line,
                    "a picture is linked to a file outside the document, not stored in it; \
                     in Word, insert the picture itself (Insert > Pictures > This Device)",
                ));
                return self.keep_alt(alt, paragraph);
            }
        };
        if crate::pictures::Format::from_path(std::path::Path::new(&part)).is_none() {
            let kind = part.rsplit('.').next().unwrap_or("").to_uppercase();
            self.warnings.push(Warning::at(
                self.line,
                format!(
                    "a picture is a {kind} file, which handouts cannot print; in Word, right-click it, \
                     choose Save as Picture, save it as PNG, and insert that instead (its alt text is printed meanwhile)"
                ),
            ));
            return self.keep_alt(alt, paragraph);
        }
        if alt.is_empty() {
            self.warnings.push(Warning::at(
                self.line,
                "describe the picture for readers who cannot see it: in Word, right-click it, choose \
                 View Alt Text and write what it shows; until then it is treated as decoration",
            ));
        }
        let src = format!("{}/{part}", self.cx.file_name);
        paragraph.after.push(Item::Block(Block::Figure { src, alt, caption: None, line: self.line }));
    }

    fn keep_alt(&mut self, alt: String, paragraph: &mut Paragraph) {
        if !alt.is_empty() {
            paragraph.after.push(Item::Paragraph { content: vec![Inline::text(alt)], line: self.line });
        }
    }

    fn remove(&mut self, line: usize, reason: &str, text: &str) {
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        if !text.is_empty() {
            self.removed.push(Removed { reason: reason.to_string(), line, text });
        }
    }

    /// A table: a data table with its header row, or, when it only lays out a page (one
    /// cell, or cells holding headings, lists or pictures), its contents in reading order.
    fn table(&mut self, tbl: Node) -> Vec<Item> {
        let first_row_header = child(tbl, "tblPr").and_then(|p| child(p, "tblLook")).is_some_and(|look| {
            match attr(look, "firstRow") {
                Some(value) => value == "1" || value == "true",
                None => attr(look, "val")
                    .and_then(|v| u32::from_str_radix(v, 16).ok())
                    .is_some_and(|v| v & 0x20 != 0),
            }
        });
        let line = self.line + 1;
        let mut rows: Vec<(bool, Vec<Vec<Item>>)> = Vec::new();
        for tr in rows_of(tbl) {
            let header = child(tr, "trPr").and_then(|p| child(p, "tblHeader")).is_some_and(is_on);
            let mut cells = Vec::new();
            for tc in cells_of(tr) {
                let span = child(tc, "tcPr")
                    .and_then(|p| child(p, "gridSpan"))
                    .and_then(|g| attr(g, "val"))
                    .and_then(|v| v.parse::<usize>().ok())
                    .unwrap_or(1)
                    .clamp(1, 64);
                cells.push(self.blocks(tc));
                cells.extend((1..span).map(|_| Vec::new()));
            }
            rows.push((header, cells));
        }
        let cell_count: usize = rows.iter().map(|(_, cells)| cells.len()).sum();
        let layout = cell_count <= 1
            || rows.iter().flat_map(|(_, cells)| cells).flatten().any(|item| {
                !matches!(item, Item::Paragraph { .. } | Item::Caption { .. } | Item::ListEntry { .. })
            });
        if layout {
            return rows.into_iter().flat_map(|(_, cells)| cells).flatten().collect();
        }
        let width = rows.iter().map(|(_, cells)| cells.len()).max().unwrap_or(0);
        let mut header = Vec::new();
        let mut body = Vec::new();
        for (index, (is_header, cells)) in rows.into_iter().enumerate() {
            let mut cells: Vec<Vec<Inline>> = cells.into_iter().map(cell_inlines).collect();
            cells.resize(width, Vec::new());
            if index == 0 && (is_header || first_row_header) {
                header = cells;
            } else {
                body.push(cells);
            }
        }
        vec![Item::Block(Block::Table { header, rows: body, line })]
    }
}

/// `HYPERLINK "https://…" \o "tip"` → the address (an internal `\l` bookmark has none).
fn hyperlink_target(instruction: &str) -> Option<String> {
    let rest = instruction.trim().strip_prefix("HYPERLINK")?.trim();
    if rest.starts_with("\\l") {
        return None;
    }
    let url = match rest.strip_prefix('"') {
        Some(quoted) => quoted.split('"').next()?,
        None => rest.split_whitespace().next()?,
    };
    crate::model::is_web_url(url).then(|| url.to_string())
}

fn rows_of<'a, 'i>(tbl: Node<'a, 'i>) -> Vec<Node<'a, 'i>> {
    let mut out = Vec::new();
    for node in tbl.children() {
        match local(node) {
            "tr" => out.push(node),
            "sdt" | "customXml" => {
                let inner = child(node, "sdtContent").unwrap_or(node);
                out.extend(inner.children().filter(|n| local(*n) == "tr"));
            }
            _ => {}
        }
    }
    out
}

fn cells_of<'a, 'i>(tr: Node<'a, 'i>) -> Vec<Node<'a, 'i>> {
    let mut out = Vec::new();
    for node in tr.children() {
        match local(node) {
            "tc" => out.push(node),
            "sdt" | "customXml" => {
                let inner = child(node, "sdtContent").unwrap_or(node);
                out.extend(inner.children().filter(|n| local(*n) == "tc"));
            }
            _ => {}
        }
    }
    out
}

/// A data table's cell: its paragraphs joined by line breaks.
fn cell_inlines(items: Vec<Item>) -> Vec<Inline> {
    let mut out = Vec::new();
    let mut number = 0;
    for item in items {
        let (marker, content) = match item {
            Item::Paragraph { content, .. } | Item::Caption { content, .. } => (None, content),
            // A list in a cell: its items on lines of their own, marked as printed.
            Item::ListEntry { ordered, content, .. } => {
                number = if ordered { number + 1 } else { 0 };
                (Some(if ordered { format!("{number}. ") } else { "• ".to_string() }), content)
            }
            _ => continue,
        };
        if marker.is_none() {
            number = 0;
        }
        if !out.is_empty() {
            out.push(Inline::LineBreak);
        }
        out.extend(marker.map(Inline::text));
        out.extend(content);
    }
    out
}
