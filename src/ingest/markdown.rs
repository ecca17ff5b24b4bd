//! Markdown articles via pulldown-cmark (CommonMark + tables).
//!
//! Raw HTML in Markdown is kept as literal text: handouts never pass markup through,
//! so `<script>` in an article prints as the characters `<script>`.

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::ingest::Body;
use crate::model::{Block, Inline, Warning};
use crate::pictures::{self, PictureSyntax};

/// Quotes, lists and list items nested deeper than this are flattened into the container
/// at this depth (their text kept, only the extra indentation lost). Without a cap, a
/// line of 100 `>` made an article whose JSON serde_json will not read back (recursion
/// limit 128) and that typst refuses to lay out (layout depth 72); found by `fuzz/`.
const MAX_BLOCK_NESTING: usize = 12;
/// Bold, italic, links and images nested deeper than this are flattened likewise.
const MAX_INLINE_NESTING: usize = 6;

/// Parses a Markdown body whose first line is source line `first_line`.
pub fn parse(body: &str, first_line: usize) -> Body {
    let line_starts: Vec<usize> =
        std::iter::once(0).chain(body.match_indices('\n').map(|(i, _)| i + 1)).collect();
    let line_at = |offset: usize| first_line + line_starts.partition_point(|&start| start <= offset) - 1;

    let mut builder = Builder::default();
    let parser = Parser::new_ext(body, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH);
    for (event, range) in parser.into_offset_iter() {
        builder.event(event, line_at(range.start));
    }
    let warnings = std::mem::take(&mut builder.warnings);
    let mut blocks = builder.finish();

    let mut out = Body::default();
    // A leading level-1 heading is the title; later ones become sections.
    if let Some(Block::Heading { level: 1, content, .. }) = blocks.first() {
        out.title = Some(crate::model::plain_text(content));
        blocks.remove(0);
    }
    for block in &mut blocks {
        if let Block::Heading { level, .. } = block {
            *level = (*level).clamp(2, 4);
        }
    }
    out.blocks = blocks;
    out.warnings = warnings;
    out.warnings.extend(crate::ingest::text::bidi_override_warnings(body, first_line));
    out
}

/// An open container while events stream in.
#[derive(Debug)]
enum Frame {
    /// The document, a block quote or a list item: holds blocks. A `flat` frame stands
    /// for a container nested too deeply: its blocks go to the parent when it ends.
    Blocks {
        blocks: Vec<Block>,
        line: usize,
        flat: bool,
    },
    List {
        ordered: bool,
        start: Option<u64>,
        items: Vec<Vec<Block>>,
        line: usize,
    },
    Table {
        header: Vec<Vec<Inline>>,
        rows: Vec<Vec<Vec<Inline>>>,
        in_head: bool,
        line: usize,
    },
    TableRow {
        cells: Vec<Vec<Inline>>,
    },
    /// Paragraph, heading, table cell, code block, or an inline span: holds inlines.
    Inlines {
        kind: InlineKind,
        content: Vec<Inline>,
        line: usize,
    },
}

#[derive(Debug, Clone)]
enum InlineKind {
    Paragraph,
    /// Inline content that arrived outside any paragraph (tight list items, raw HTML).
    ImplicitParagraph,
    Heading(u8),
    Cell,
    CodeBlock,
    Strong,
    Emphasis,
    Link(String),
    /// An image's alt text, kept as text so no words are lost: an image that cannot be
    /// a figure where it stands (in a link, heading, table cell or alt text).
    Image,
    /// An image in a paragraph: a figure after the paragraph, its content the alt text.
    Figure {
        dest: String,
        title: String,
    },
    /// A span nested too deeply: its content goes to the parent as it is.
    Flat,
}

#[derive(Debug)]
struct Builder {
    stack: Vec<Frame>,
    /// Figures met in the open paragraph: they follow it when it closes.
    figures: Vec<Block>,
    warnings: Vec<Warning>,
}

impl Default for Builder {
    fn default() -> Self {
        Builder {
            stack: vec![Frame::Blocks { blocks: Vec::new(), line: 1, flat: false }],
            figures: Vec::new(),
            warnings: Vec::new(),
        }
    }
}

impl Builder {
    fn event(&mut self, event: Event<'_>, line: usize) {
        match event {
            Event::Start(tag) => self.start(tag, line),
            Event::End(tag) => self.end(tag),
            Event::Text(text) => self.push_text(&without_controls(&text), line),
            Event::Code(text) => self.push_inline(Inline::Code { text: without_controls(&text) }, line),
            Event::Html(html) | Event::InlineHtml(html) => self.push_text(&without_controls(&html), line),
            Event::SoftBreak => self.push_text(" ", line),
            Event::HardBreak => self.push_inline(Inline::LineBreak, line),
            Event::FootnoteReference(name) => self.push_text(&format!("[^{name}]"), line),
            Event::TaskListMarker(done) => self.push_text(if done { "[x] " } else { "[ ] " }, line),
            Event::InlineMath(math) | Event::DisplayMath(math) => self.push_text(&math, line),
            Event::Rule => {}
        }
    }

    fn start(&mut self, tag: Tag<'_>, line: usize) {
        // An item is flattened with its list, never on its own: a list frame holds items,
        // not blocks.
        let flat_item =
            matches!(tag, Tag::Item) && matches!(self.stack.last(), Some(Frame::Blocks { flat: true, .. }));
        let nests_blocks = matches!(tag, Tag::BlockQuote(_) | Tag::List(_));
        let nests_inlines = matches!(
            tag,
            Tag::Strong | Tag::Emphasis | Tag::Strikethrough | Tag::Link { .. } | Tag::Image { .. }
        );
        if flat_item || (nests_blocks && self.block_depth() >= MAX_BLOCK_NESTING) {
            self.stack.push(Frame::Blocks { blocks: vec![], line, flat: true });
            return;
        }
        if nests_inlines && self.inline_depth() >= MAX_INLINE_NESTING {
            if matches!(tag, Tag::Image { .. }) {
                self.warn_inline_picture("nested too deeply in bold, italic or links", line);
            }
            self.stack.push(Frame::Inlines { kind: InlineKind::Flat, content: vec![], line });
            return;
        }
        let frame = match tag {
            Tag::Paragraph => Frame::Inlines { kind: InlineKind::Paragraph, content: vec![], line },
            Tag::Heading { level, .. } => {
                Frame::Inlines { kind: InlineKind::Heading(heading_level(level)), content: vec![], line }
            }
            Tag::CodeBlock(_) => Frame::Inlines { kind: InlineKind::CodeBlock, content: vec![], line },
            Tag::Strong => Frame::Inlines { kind: InlineKind::Strong, content: vec![], line },
            Tag::Emphasis | Tag::Strikethrough | Tag::Superscript | Tag::Subscript => {
                Frame::Inlines { kind: InlineKind::Emphasis, content: vec![], line }
            }
            Tag::Link { dest_url, .. } => {
                Frame::Inlines { kind: InlineKind::Link(dest_url.to_string()), content: vec![], line }
            }
            Tag::Image { dest_url, title, .. } => {
                let kind = match self.picture_blocked_by() {
                    Some(place) => {
                        self.warn_inline_picture(place, line);
                        InlineKind::Image
                    }
                    None => InlineKind::Figure { dest: dest_url.to_string(), title: title.to_string() },
                };
                Frame::Inlines { kind, content: vec![], line }
            }
            Tag::BlockQuote(_) | Tag::Item | Tag::FootnoteDefinition(_) | Tag::HtmlBlock => {
                Frame::Blocks { blocks: vec![], line, flat: false }
            }
            Tag::List(start) => Frame::List {
                ordered: start.is_some(),
                start: start.filter(|&n| n != 1),
                items: vec![],
                line,
            },
            Tag::Table(_) => Frame::Table { header: vec![], rows: vec![], in_head: false, line },
            Tag::TableHead => {
                if let Some(Frame::Table { in_head, .. }) = self.stack.last_mut() {
                    *in_head = true;
                }
                Frame::TableRow { cells: vec![] }
            }
            Tag::TableRow => Frame::TableRow { cells: vec![] },
            Tag::TableCell => Frame::Inlines { kind: InlineKind::Cell, content: vec![], line },
            // Definition lists, metadata blocks and the like are not enabled; their text
            // arrives as ordinary events, so a plain container keeps it.
            _ => Frame::Blocks { blocks: vec![], line, flat: false },
        };
        self.stack.push(frame);
    }

    fn end(&mut self, tag: TagEnd) {
        self.close_implicit_paragraph();
        let Some(frame) = self.stack.pop() else { return };
        match frame {
            Frame::Inlines { kind, content, line } => match kind {
                InlineKind::Paragraph | InlineKind::ImplicitParagraph => self.push_paragraph(content, line),
                InlineKind::Heading(level) => {
                    self.push_block(Block::Heading { level, content: merge_text(content), line })
                }
                InlineKind::CodeBlock => {
                    let text = crate::model::plain_text(&content).trim_end_matches('\n').to_string();
                    self.push_block(Block::CodeBlock { text, line })
                }
                InlineKind::Cell => {
                    if let Some(Frame::TableRow { cells }) = self.stack.last_mut() {
                        cells.push(merge_text(content));
                    }
                }
                InlineKind::Strong => self.push_inline(Inline::Strong { content: merge_text(content) }, line),
                InlineKind::Emphasis => {
                    self.push_inline(Inline::Emphasis { content: merge_text(content) }, line)
                }
                InlineKind::Link(url) => {
                    self.push_inline(Inline::Link { url, content: merge_text(content) }, line)
                }
                InlineKind::Figure { dest, title } => {
                    let alt = crate::model::plain_text(&content);
                    match pictures::figure(PictureSyntax { alt, dest, title }, line, &mut self.warnings) {
                        // In a tight list item no paragraph is open: the figure is a block.
                        Ok(figure) if !matches!(self.stack.last(), Some(Frame::Inlines { .. })) => {
                            self.push_block(figure)
                        }
                        Ok(figure) => self.figures.push(figure),
                        // A web address: its alt text stays, as text.
                        Err(_) => content.into_iter().for_each(|inline| self.push_inline(inline, line)),
                    }
                }
                InlineKind::Image | InlineKind::Flat => {
                    for inline in content {
                        self.push_inline(inline, line);
                    }
                }
            },
            Frame::Blocks { blocks, flat: true, .. } => {
                for block in blocks {
                    self.push_block(block);
                }
            }
            Frame::Blocks { blocks, line, .. } => match tag {
                TagEnd::Item => {
                    if let Some(Frame::List { items, .. }) = self.stack.last_mut() {
                        items.push(blocks);
                    }
                }
                TagEnd::BlockQuote(_) => self.push_block(Block::Quote { blocks, line }),
                _ => {
                    for block in blocks {
                        self.push_block(block);
                    }
                }
            },
            Frame::List { ordered, start, items, line } => {
                self.push_block(Block::List { ordered, start, items, line })
            }
            Frame::TableRow { cells } => {
                if let Some(Frame::Table { header, rows, in_head, .. }) = self.stack.last_mut() {
                    if *in_head {
                        *header = cells;
                        *in_head = false;
                    } else {
                        rows.push(cells);
                    }
                }
            }
            Frame::Table { header, rows, line, .. } => self.push_block(Block::Table { header, rows, line }),
        }
    }

    /// Open quotes, lists and list items.
    fn block_depth(&self) -> usize {
        self.stack
            .iter()
            .filter(|frame| matches!(frame, Frame::List { .. } | Frame::Blocks { flat: false, .. }))
            .count()
            .saturating_sub(1)
    }

    /// Where an image starting now cannot be a figure: inside a link, heading, table
    /// cell or another image's alt text. `None` in a paragraph (also in bold or italic).
    fn picture_blocked_by(&self) -> Option<&'static str> {
        for frame in self.stack.iter().rev() {
            let Frame::Inlines { kind, .. } = frame else { return None };
            match kind {
                InlineKind::Paragraph | InlineKind::ImplicitParagraph => return None,
                InlineKind::Strong | InlineKind::Emphasis => continue,
                InlineKind::Link(_) => return Some("link"),
                InlineKind::Heading(_) => return Some("heading"),
                InlineKind::Cell => return Some("table"),
                InlineKind::Image | InlineKind::Figure { .. } => return Some("picture's description"),
                InlineKind::CodeBlock | InlineKind::Flat => {
                    return Some("nested too deeply in bold, italic or links");
                }
            }
        }
        None
    }

    fn warn_inline_picture(&mut self, place: &str, line: usize) {
        let place = if place.starts_with("nested") {
            format!("a picture {place}")
        } else {
            format!("a picture inside a {place}")
        };
        self.warnings.push(Warning::at(
            line,
            format!("{place} is printed as its alt text; put the picture on a line of its own to show it"),
        ));
    }

    /// A closed paragraph, then the figures met in it. A paragraph that held only
    /// pictures is just the figures.
    fn push_paragraph(&mut self, content: Vec<Inline>, line: usize) {
        let figures = std::mem::take(&mut self.figures);
        let content = merge_text(content);
        let has_text = !crate::model::plain_text(&content).trim().is_empty();
        if figures.is_empty() {
            self.push_block(Block::Paragraph { content, line });
        } else if has_text {
            self.push_block(Block::Paragraph { content: trim_ends(content), line });
        }
        for figure in figures {
            self.push_block(figure);
        }
    }

    /// Open bold, italic, link and image spans.
    fn inline_depth(&self) -> usize {
        self.stack
            .iter()
            .filter(|frame| {
                matches!(
                    frame,
                    Frame::Inlines {
                        kind: InlineKind::Strong
                            | InlineKind::Emphasis
                            | InlineKind::Link(_)
                            | InlineKind::Image
                            | InlineKind::Figure { .. },
                        ..
                    }
                )
            })
            .count()
    }

    fn push_text(&mut self, text: &str, line: usize) {
        self.push_inline(Inline::text(text), line);
    }

    /// Inline content outside any inline container (a tight list item, raw HTML)
    /// opens an implicit paragraph.
    fn push_inline(&mut self, inline: Inline, line: usize) {
        if !matches!(self.stack.last(), Some(Frame::Inlines { .. })) {
            self.stack.push(Frame::Inlines { kind: InlineKind::ImplicitParagraph, content: vec![], line });
        }
        if let Some(Frame::Inlines { content, .. }) = self.stack.last_mut() {
            content.push(inline);
        }
    }

    fn push_block(&mut self, block: Block) {
        self.close_implicit_paragraph();
        if let Some(Frame::Blocks { blocks, .. }) = self.stack.last_mut() {
            blocks.push(block);
        }
    }

    /// Closes an implicit paragraph opened by [`Self::push_inline`] before a block
    /// arrives or its container ends.
    fn close_implicit_paragraph(&mut self) {
        if let Some(Frame::Inlines { kind: InlineKind::ImplicitParagraph, .. }) = self.stack.last()
            && let Some(Frame::Inlines { content, line, .. }) = self.stack.pop()
        {
            // The stack top is now a container of blocks, so this cannot come back here.
            self.push_paragraph(content, line);
        }
    }

    fn finish(mut self) -> Vec<Block> {
        self.close_implicit_paragraph();
        match self.stack.pop() {
            Some(Frame::Blocks { blocks, .. }) => blocks,
            _ => Vec::new(),
        }
    }
}

/// Control characters other than line feed and tab become spaces. No font has a glyph
/// for them, and the PDF/UA export fails the whole handout on a character it cannot
/// show; a space rather than nothing keeps the words on either side apart.
fn without_controls(text: &str) -> String {
    text.chars().map(|c| if c.is_control() && c != '\n' && c != '\t' { ' ' } else { c }).collect()
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        _ => 4,
    }
}

/// A paragraph whose picture was taken out keeps no space where it stood at either end.
fn trim_ends(mut content: Vec<Inline>) -> Vec<Inline> {
    if let Some(Inline::Text { text }) = content.first_mut() {
        *text = text.trim_start().to_string();
    }
    if let Some(Inline::Text { text }) = content.last_mut() {
        *text = text.trim_end().to_string();
    }
    content.retain(|inline| !matches!(inline, Inline::Text { text } if text.is_empty()));
    content
}

/// Adjacent text runs (pulldown-cmark splits text at entities and breaks) become one.
fn merge_text(content: Vec<Inline>) -> Vec<Inline> {
    let mut merged: Vec<Inline> = Vec::with_capacity(content.len());
    for inline in content {
        if let (Some(Inline::Text { text: previous }), Inline::Text { text }) = (merged.last_mut(), &inline) {
            previous.push_str(text);
            continue;
        }
        merged.push(inline);
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_paragraphs_and_inlines() {
        let body = parse(
            "# Title\n\nSome **bold** and *em* and [a link](https://x.org) and `code`.\n\n## Section\n",
            5,
        );
        assert_eq!(body.title.as_deref(), Some("Title"));
        assert_eq!(
            body.blocks,
            vec![
                Block::Paragraph {
                    content: vec![
                        Inline::text("Some "),
                        Inline::Strong { content: vec![Inline::text("bold")] },
                        Inline::text(" and "),
                        Inline::Emphasis { content: vec![Inline::text("em")] },
                        Inline::text(" and "),
                        Inline::Link { url: "https://x.org".into(), content: vec![Inline::text("a link")] },
                        Inline::text(" and "),
                        Inline::Code { text: "code".into() },
                        Inline::text("."),
                    ],
                    line: 7,
                },
                Block::Heading { level: 2, content: vec![Inline::text("Section")], line: 9 },
            ]
        );
    }

    #[test]
    fn nested_lists_quotes_tables_code() {
        let body = parse(
            "1. one\n2. two\n   - nested\n\n> quoted\n\n| A | B |\n|---|---|\n| 1 | 2 |\n\n```\nx = 1\n```\n",
            1,
        );
        let Block::List { ordered: true, items, .. } = &body.blocks[0] else { panic!("{:?}", body.blocks) };
        assert_eq!(items.len(), 2);
        assert!(matches!(items[1][1], Block::List { ordered: false, .. }));
        assert!(matches!(&body.blocks[1], Block::Quote { blocks, line: 5 } if blocks.len() == 1));
        let Block::Table { header, rows, .. } = &body.blocks[2] else { panic!() };
        assert_eq!(header.len(), 2);
        assert_eq!(rows, &vec![vec![vec![Inline::text("1")], vec![Inline::text("2")]]]);
        assert_eq!(body.blocks[3], Block::CodeBlock { text: "x = 1".into(), line: 11 });
    }

    #[test]
    fn control_characters_become_spaces() {
        let body = parse("Bell\u{7}here `a\u{1b}b`\n\n```\nx\ty\u{c}z\n```\n", 1);
        assert_eq!(
            body.blocks,
            vec![
                Block::Paragraph {
                    content: vec![Inline::text("Bell here "), Inline::Code { text: "a b".into() }],
                    line: 1
                },
                Block::CodeBlock { text: "x\ty z".into(), line: 3 },
            ]
        );
    }

    #[test]
    fn deep_nesting_is_flattened_without_losing_text() {
        fn depth(blocks: &[Block]) -> usize {
            blocks
                .iter()
                .map(|block| match block {
                    Block::Quote { blocks, .. } => 1 + depth(blocks),
                    Block::List { items, .. } => 1 + items.iter().map(|item| depth(item)).max().unwrap_or(0),
                    _ => 0,
                })
                .max()
                .unwrap_or(0)
        }
        let quotes = format!("{} deep quote", ">".repeat(100));
        let lists: String = (0..40).map(|n| format!("{}- level{n}\n", "  ".repeat(n))).collect();
        let spans = format!("{}core{}", "*_".repeat(20), "_*".repeat(20));
        for source in [quotes, lists, spans, format!("- a\n\n  > b\n  >\n  > - c\n{}", ">".repeat(30))] {
            let body = parse(&source, 1);
            assert!(depth(&body.blocks) <= MAX_BLOCK_NESTING, "{source}");
            let json = serde_json::to_string(&body.blocks).unwrap();
            assert!(serde_json::from_str::<Vec<Block>>(&json).is_ok(), "{source}");
            let text = format!("{:?}", body.blocks);
            for word in ["deep", "level39", "core"] {
                if source.contains(word) {
                    assert!(text.contains(word), "{word} lost from {source}");
                }
            }
        }
    }

    fn figure(src: &str, alt: &str, caption: Option<&str>, line: usize) -> Block {
        Block::Figure {
            src: src.into(),
            alt: alt.into(),
            caption: caption.map(|c| vec![Inline::text(c)]),
            line,
        }
    }

    #[test]
    fn a_paragraph_holding_a_picture_is_a_figure() {
        let body = parse(
            "Intro.\n\n![A person checks the sole of their foot](pictures/foot%20check.svg \"Check both feet.\")\n",
            3,
        );
        assert_eq!(
            body.blocks,
            vec![
                Block::Paragraph { content: vec![Inline::text("Intro.")], line: 3 },
                figure(
                    "pictures/foot check.svg",
                    "A person checks the sole of their foot",
                    Some("Check both feet."),
                    5
                ),
            ]
        );
        assert!(body.warnings.is_empty(), "{:?}", body.warnings);
    }

    #[test]
    fn text_around_a_picture_stays_and_the_figure_follows() {
        let body = parse("Look at this ![a *red* foot](a.png) and that.\n\n- ![b](b.jpg)\n", 1);
        assert_eq!(
            body.blocks,
            vec![
                Block::Paragraph { content: vec![Inline::text("Look at this  and that.")], line: 1 },
                figure("a.png", "a red foot", None, 1),
                Block::List {
                    ordered: false,
                    start: None,
                    items: vec![vec![figure("b.jpg", "b", None, 3)]],
                    line: 3
                },
            ]
        );
    }

    #[test]
    fn pictures_that_cannot_be_figures_keep_their_alt_text_and_warn() {
        let body = parse(
            "# T\n\n[![logo](l.png)](https://x.org)\n\n## A ![icon](i.png) heading\n\n| a |\n|---|\n| ![cell](c.png) |\n\n![web](https://x.org/a.png)\n",
            1,
        );
        let text = format!("{:?}", body.blocks);
        assert!(!text.contains("Figure"), "{text}");
        for word in ["logo", "icon", "cell", "web"] {
            assert!(text.contains(word), "{word} lost: {text}");
        }
        let warnings: Vec<(Option<usize>, &str)> =
            body.warnings.iter().map(|w| (w.line, w.message.as_str())).collect();
        assert_eq!(warnings.len(), 4, "{warnings:?}");
        assert!(
            warnings[0].1.starts_with("a picture inside a link is printed as its alt text"),
            "{warnings:?}"
        );
        assert_eq!(warnings[0].0, Some(3));
        assert!(warnings[1].1.starts_with("a picture inside a heading"), "{warnings:?}");
        assert!(warnings[2].1.starts_with("a picture inside a table"), "{warnings:?}");
        assert_eq!((warnings[3].0, warnings[3].1), (Some(11), crate::pictures::WEB_ADDRESS_WARNING));
    }

    #[test]
    fn a_picture_without_alt_text_is_decoration_with_a_warning() {
        let body = parse("![](x.png)\n", 9);
        assert_eq!(body.blocks, vec![figure("x.png", "", None, 9)]);
        assert_eq!(body.warnings, vec![Warning::at(9, crate::pictures::NO_ALT_WARNING)]);
    }

    #[test]
    fn raw_html_stays_literal_text() {
        let body = parse("Hello <b>there</b>\n\n<script>alert(1)</script>\n", 1);
        let all: String = body
            .blocks
            .iter()
            .map(|b| match b {
                Block::Paragraph { content, .. } => crate::model::plain_text(content),
                _ => String::new(),
            })
            .collect();
        assert!(all.contains("<b>there</b>"), "{all}");
        assert!(all.contains("<script>alert(1)</script>"), "{all}");
    }
}
