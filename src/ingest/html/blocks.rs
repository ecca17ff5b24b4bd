//! The article's DOM → [`Block`]s: headings with their levels, paragraphs, nested and
//! numbered lists, tables with a header row, quotes, pictures with alt text and caption,
//! code, and inline emphasis and links. Furniture found inside the article, and
//! everything outside it, goes to `removed` with its kind.

use super::dom::{Dom, NodeId};
use super::extract::{Analysis, classify_in, is_block, is_img, is_link_list};
use crate::ingest::furniture::{Furniture, classify};
use crate::model::{Block, Inline, Removed, Warning, plain_text};

/// Why an `<img>` that only the web has is left out of the handout.
pub const NOT_SAVED: &str = "picture not saved with the page";

pub struct Mapper<'a> {
    pub dom: &'a Dom,
    pub an: &'a Analysis,
    /// The page's address, for making relative links absolute.
    pub base: Option<&'a url::Url>,
    /// Keep pictures at web addresses as figures (for `handouts add`, which downloads
    /// them); otherwise they become their alt text and a `removed` entry.
    pub remote_pictures: bool,
    /// The page has a `<base href>` on the web: its relative addresses are on the web
    /// too, not files saved beside it.
    pub web_base: bool,
    /// The article's title: an `<h1>` that repeats it is not printed again.
    pub title: &'a str,
    /// The page is a document (saved by Word), not a site: nothing in it is page
    /// furniture, so no box, heading or short line is taken for a menu or a byline.
    pub document: bool,
    pub removed: Vec<Removed>,
    pub warnings: Vec<Warning>,
    /// Pictures met inside a paragraph, placed after it.
    pending: Vec<Block>,
    /// Text in the article's roots, all together.
    root_chars: u32,
    /// The folder of the page, when it was read from a file: pictures it names must be
    /// there to be pictures.
    pub page_dir: Option<std::path::PathBuf>,
}

/// Words compared without case or punctuation.
pub fn same_words(a: &str, b: &str) -> bool {
    let words = |s: &str| {
        s.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect::<Vec<_>>()
    };
    let (a, b) = (words(a), words(b));
    !a.is_empty() && a == b
}

#[derive(Default)]
struct Para {
    inlines: Vec<Inline>,
    line: usize,
}

impl<'a> Mapper<'a> {
    pub fn new(
        dom: &'a Dom,
        an: &'a Analysis,
        base: Option<&'a url::Url>,
        remote_pictures: bool,
        title: &'a str,
    ) -> Self {
        Mapper {
            dom,
            an,
            base,
            remote_pictures,
            web_base: false,
            title,
            document: false,
            removed: Vec::new(),
            warnings: Vec::new(),
            pending: Vec::new(),
            root_chars: an.roots.iter().fold(0u32, |sum, &r| sum.saturating_add(an.chars[r])).max(1),
            page_dir: None,
        }
    }

    /// The article's blocks from its root subtrees.
    pub fn article(&mut self) -> Vec<Block> {
        let mut out = Vec::new();
        for &root in &self.an.roots {
            if self.dom.tag(root) == "p" || !self.container_like(root) {
                self.blocks_of_children_or_self(root, &mut out);
            } else {
                self.blocks(root, &mut out);
            }
        }
        out
    }

    fn container_like(&self, id: NodeId) -> bool {
        matches!(
            self.dom.tag(id),
            "div" | "section" | "article" | "main" | "body" | "html" | "td" | "form" | "center"
        )
    }

    /// A root that is itself a block (a `<p>`, a list) maps as one.
    fn blocks_of_children_or_self(&mut self, id: NodeId, out: &mut Vec<Block>) {
        let parent = self.dom.parent(id).unwrap_or(id);
        let mut para = Para::default();
        self.child(parent, id, &mut para, out, &mut None);
        self.flush(&mut para, out);
    }

    /// Everything outside the article, as `removed` entries: one per labelled region
    /// (a whole menu), one per block elsewhere.
    pub fn outside(&mut self) {
        let mut contains_root = vec![false; self.dom.nodes.len()];
        for &root in &self.an.roots {
            let mut at = Some(root);
            while let Some(id) = at {
                contains_root[id] = true;
                at = self.dom.parent(id);
            }
        }
        let mut is_root = vec![false; self.dom.nodes.len()];
        for &root in &self.an.roots {
            is_root[root] = true;
        }
        let mut stack = vec![super::dom::Dom::ROOT];
        while let Some(id) = stack.pop() {
            if self.an.skipped[id] || is_root[id] {
                continue;
            }
            let tag = self.dom.tag(id);
            if contains_root[id] || (self.an.furniture[id].is_none() && self.an.has_block[id] && tag != "p") {
                let children: Vec<NodeId> = self.dom.children(id).collect();
                stack.extend(children.into_iter().rev());
                continue;
            }
            if self.an.chars[id] == 0 {
                continue;
            }
            if matches!(tag, "h1" | "h2") && same_words(&self.subtree_text(id), self.title) {
                continue;
            }
            let reason = self.an.furniture[id].unwrap_or("outside the article");
            self.remove(id, reason);
        }
    }

    pub fn remove(&mut self, id: NodeId, reason: &'static str) {
        let text = self.subtree_text(id);
        if !text.is_empty() {
            self.removed.push(Removed { reason: reason.to_string(), line: self.line_of(id), text });
        }
    }

    /// The line of a node: its own, or for a text node its parent's when unknown.
    fn line_of(&self, id: NodeId) -> usize {
        self.dom.line(id).max(1)
    }

    /// The visible text of a subtree, blocks and links separated by " · ".
    pub fn subtree_text(&self, id: NodeId) -> String {
        let mut parts: Vec<String> = Vec::new();
        let mut current = String::new();
        let mut stack = vec![(id, false)];
        while let Some((node, leaving)) = stack.pop() {
            if leaving {
                let piece = current.split_whitespace().collect::<Vec<_>>().join(" ");
                if !piece.is_empty() {
                    parts.push(piece);
                }
                current.clear();
                continue;
            }
            if self.an.skipped[node] {
                continue;
            }
            if let Some(text) = self.dom.text(node) {
                current.push_str(text);
                continue;
            }
            let tag = self.dom.tag(node);
            let separates = is_block(tag) || matches!(tag, "a" | "br" | "img");
            if separates {
                let piece = current.split_whitespace().collect::<Vec<_>>().join(" ");
                if !piece.is_empty() {
                    parts.push(piece);
                }
                current.clear();
                stack.push((node, true));
            }
            if tag == "img"
                && let Some(alt) = self.dom.attr(node, "alt")
                && !alt.trim().is_empty()
            {
                parts.push(alt.split_whitespace().collect::<Vec<_>>().join(" "));
            }
            let children: Vec<NodeId> = self.dom.children(node).collect();
            stack.extend(children.into_iter().rev().map(|c| (c, false)));
        }
        let piece = current.split_whitespace().collect::<Vec<_>>().join(" ");
        if !piece.is_empty() {
            parts.push(piece);
        }
        parts.join(" · ")
    }

    /// The blocks made from the children of `parent`.
    pub fn blocks(&mut self, parent: NodeId, out: &mut Vec<Block>) {
        let mut para = Para::default();
        // A heading such as "Related articles" opens a run of furniture up to the next
        // heading of its level or above.
        let mut run: Option<(u8, &'static str)> = None;
        let children: Vec<NodeId> = self.dom.children(parent).collect();
        for child in children {
            self.child(parent, child, &mut para, out, &mut run);
        }
        self.flush(&mut para, out);
    }

    fn child(
        &mut self,
        parent: NodeId,
        child: NodeId,
        para: &mut Para,
        out: &mut Vec<Block>,
        run: &mut Option<(u8, &'static str)>,
    ) {
        let dom = self.dom;
        if self.an.skipped[child] {
            return;
        }
        let tag = dom.tag(child);
        if let Some((level, reason)) = *run {
            let ends = heading_level(tag).is_some_and(|l| l <= level);
            if !ends {
                if dom.text(child).is_some_and(|t| !t.trim().is_empty()) {
                    self.removed.push(Removed {
                        reason: reason.to_string(),
                        line: self.line_of(child).max(self.line_of(parent)),
                        text: dom.text(child).unwrap_or("").split_whitespace().collect::<Vec<_>>().join(" "),
                    });
                } else if dom.text(child).is_none() {
                    self.remove(child, reason);
                }
                return;
            }
            *run = None;
        }
        if let Some(text) = dom.text(child) {
            if para.inlines.is_empty() {
                if text.trim().is_empty() {
                    return;
                }
                para.line = self.line_of(child);
            }
            para.inlines.push(Inline::text(text));
            return;
        }
        if tag.is_empty() {
            return;
        }
        // Furniture inside the article (a share bar, a related-links box), unless it
        // holds most of the article's text.
        if !self.document
            && self.an.chars[child] > 0
            && self.an.chars[child].saturating_mul(2) < self.root_chars
            && let Some(reason) = classify_in(dom, child, true, self.an.in_article_element[child])
                .or_else(|| self.labelled_furniture(child))
                .or_else(|| is_link_list(dom, self.an, child).then_some("list of links"))
        {
            self.flush(para, out);
            self.remove(child, reason);
            return;
        }
        let block_here =
            is_block(tag) || (self.an.has_block[child] && !matches!(tag, "img" | "amp-img" | "picture"));
        if !block_here {
            if para.inlines.is_empty() {
                para.line = self.line_of(child);
            }
            // Pictures met here wait in `pending` for the end of the paragraph.
            self.inline(child, &mut para.inlines);
            return;
        }
        self.flush(para, out);
        let line = self.line_of(child);
        match tag {
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                let content = tidy(self.inlines_of(child));
                let text = plain_text(&content);
                if text.trim().is_empty() {
                    return;
                }
                if tag == "h1" && same_words(&text, self.title) {
                    return;
                }
                let level = heading_level(tag).unwrap_or(2);
                if !self.document
                    && let Some(kind) = classify(&text)
                    && !matches!(kind, Furniture::OutsideArticle | Furniture::PageTitle)
                    && text.split_whitespace().count() <= 6
                {
                    self.removed.push(Removed { reason: kind.reason().to_string(), line, text });
                    // "Related articles" heads a box of them; "Posted on Tue, Jan. 8" heads
                    // nothing but itself, and the story below it stays.
                    if kind.opens_run() {
                        *run = Some((level, kind.reason()));
                    }
                    return;
                }
                out.push(Block::Heading { level: level.clamp(2, 4), content, line });
            }
            "p" => {
                let mut p = Para { inlines: Vec::new(), line };
                self.inline_children(child, &mut p.inlines);
                self.flush_short_checked(&mut p, out, child);
            }
            "ul" | "ol" | "menu" => self.list(child, tag == "ol", out),
            "dl" => {
                for item in dom.children(child).collect::<Vec<_>>() {
                    if self.an.skipped[item] {
                        continue;
                    }
                    match dom.tag(item) {
                        "dt" => {
                            let content = tidy(self.inlines_of(item));
                            if !content.is_empty() {
                                out.push(Block::Paragraph {
                                    content: vec![Inline::Strong { content }],
                                    line: self.line_of(item),
                                });
                            }
                        }
                        "dd" | "div" => self.blocks(item, out),
                        _ => {}
                    }
                }
            }
            "blockquote" => {
                let mut inner = Vec::new();
                self.blocks(child, &mut inner);
                if !inner.is_empty() {
                    out.push(Block::Quote { blocks: inner, line });
                }
            }
            "pre" => {
                let mut text = String::new();
                for d in dom.descendants(child) {
                    if !self.an.skipped[d]
                        && let Some(t) = dom.text(d)
                    {
                        text.push_str(t);
                    }
                    if dom.tag(d) == "br" {
                        text.push('\n');
                    }
                }
                let text = text.trim_matches('\n').trim_end().to_string();
                if !text.is_empty() {
                    out.push(Block::CodeBlock { text, line });
                }
            }
            "table" => self.table(child, out),
            "figure" => self.figure(child, out),
            "details" => {
                for part in dom.children(child).collect::<Vec<_>>() {
                    if dom.tag(part) == "summary" {
                        let content = tidy(self.inlines_of(part));
                        if !content.is_empty() {
                            out.push(Block::Paragraph {
                                content: vec![Inline::Strong { content }],
                                line: self.line_of(part),
                            });
                        }
                    } else {
                        let mut p = Para::default();
                        self.child(child, part, &mut p, out, &mut None);
                        self.flush(&mut p, out);
                    }
                }
            }
            "hr" => {}
            "img" | "amp-img" | "picture" => self.picture_in(child, None, out),
            _ => self.blocks(child, out),
        }
    }

    /// A small box whose first words say what it is ("Te puede interesar", "Leia também",
    /// "Page reviewed", "Next in this series"), by the phrase tables of pasted pages.
    fn labelled_furniture(&self, node: NodeId) -> Option<&'static str> {
        // A site's footer that an unclosed `<article>` swallowed.
        if self.dom.tag(node) == "footer" {
            let text = self.subtree_text(node).to_lowercase();
            if text.contains('©') || text.contains("all rights reserved") || text.contains("copyright") {
                return Some("page footer");
            }
        }
        if !matches!(
            self.dom.tag(node),
            "div" | "section" | "aside" | "footer" | "header" | "article" | "p" | "span"
        ) || self.an.chars[node] > 600
        {
            return None;
        }
        // The first words: a text of signs alone (a bullet "•" in its own span) labels
        // nothing.
        let lead = self
            .dom
            .descendants(node)
            .filter(|&d| !self.an.skipped[d])
            .filter_map(|d| self.dom.text(d))
            .find(|t| t.chars().any(char::is_alphanumeric))?;
        let lead = lead.trim().trim_end_matches(':').trim();
        if let Some(reason) = extra_label(lead) {
            return Some(reason);
        }
        if lead.split_whitespace().count() > 6 {
            return None;
        }
        match classify(lead) {
            // A post that opens with its comment count or "Related" link ("Comments ·
            // Tweet · More") and then tells its story: the story is the article.
            Some(Furniture::Comments | Furniture::RelatedLinks)
                if self.an.chars[node].saturating_sub(self.an.link_chars[node]) >= STORY_MIN_PLAIN_CHARS =>
            {
                None
            }
            Some(kind) if !matches!(kind, Furniture::OutsideArticle | Furniture::PageTitle) => {
                Some(kind.reason())
            }
            _ => None,
        }
    }

    /// A short paragraph that reads like page furniture ("By Jane Doe, RN", "Updated
    /// May 2, 2025") goes to `removed`, by the same phrase tables as pasted pages.
    fn flush_short_checked(&mut self, p: &mut Para, out: &mut Vec<Block>, node: NodeId) {
        let content = tidy(std::mem::take(&mut p.inlines));
        let text = plain_text(&content);
        if text.trim().is_empty() {
            // An empty `<p>` (a spacer): nothing to print, nothing to list.
            out.append(&mut self.pending);
            return;
        }
        if !self.document
            && text.split_whitespace().count() <= 12
            && let Some(kind) = classify(&text)
            && !matches!(kind, Furniture::OutsideArticle | Furniture::PageTitle)
        {
            self.removed.push(Removed { reason: kind.reason().to_string(), line: self.line_of(node), text });
            out.append(&mut self.pending);
            return;
        }
        if has_words(&content) {
            out.push(Block::Paragraph { content, line: p.line });
        }
        out.append(&mut self.pending);
    }

    fn flush(&mut self, para: &mut Para, out: &mut Vec<Block>) {
        // Two `<br>` in a row (text between them only spaces) start a new paragraph.
        let raw = std::mem::take(&mut para.inlines);
        let mut piece = Vec::new();
        let mut breaks = 0;
        for inline in raw {
            match &inline {
                Inline::LineBreak => breaks += 1,
                Inline::Text { text } if text.trim().is_empty() => {}
                _ => {
                    if breaks >= 2 {
                        let content = tidy(std::mem::take(&mut piece));
                        if has_words(&content) {
                            out.push(Block::Paragraph { content, line: para.line.max(1) });
                        }
                    } else if breaks == 1 {
                        piece.push(Inline::LineBreak);
                    }
                    breaks = 0;
                }
            }
            if !matches!(inline, Inline::LineBreak) {
                piece.push(inline);
            }
        }
        let content = tidy(piece);
        if has_words(&content) {
            out.push(Block::Paragraph { content, line: para.line.max(1) });
        }
        out.append(&mut self.pending);
    }

    fn list(&mut self, list: NodeId, ordered: bool, out: &mut Vec<Block>) {
        let dom = self.dom;
        let mut items = Vec::new();
        for item in dom.children(list).collect::<Vec<_>>() {
            if self.an.skipped[item] {
                continue;
            }
            let mut blocks = Vec::new();
            if dom.tag(item) == "li" {
                self.blocks(item, &mut blocks);
            } else {
                let mut p = Para::default();
                self.child(list, item, &mut p, &mut blocks, &mut None);
                self.flush(&mut p, &mut blocks);
            }
            if !blocks.is_empty() {
                items.push(blocks);
            }
        }
        if items.is_empty() {
            return;
        }
        let start = if ordered {
            dom.attr(list, "start").and_then(|s| s.trim().parse::<u64>().ok()).filter(|&s| s != 1)
        } else {
            None
        };
        out.push(Block::List { ordered, start, items, line: self.line_of(list) });
    }

    fn rows(&self, table: NodeId) -> Vec<(NodeId, bool)> {
        let mut rows = Vec::new();
        for child in self.dom.children(table) {
            match self.dom.tag(child) {
                "tr" => rows.push((child, false)),
                "thead" | "tbody" | "tfoot" => {
                    let head = self.dom.tag(child) == "thead";
                    rows.extend(
                        self.dom.children(child).filter(|&r| self.dom.tag(r) == "tr").map(|r| (r, head)),
                    );
                }
                _ => {}
            }
        }
        rows
    }

    fn table(&mut self, table: NodeId, out: &mut Vec<Block>) {
        let dom = self.dom;
        let rows = self.rows(table);
        let cells = |row: NodeId| -> Vec<NodeId> {
            dom.children(row).filter(|&c| matches!(dom.tag(c), "td" | "th")).collect()
        };
        let columns = rows.iter().map(|&(r, _)| cells(r).len()).max().unwrap_or(0);
        // A table used for layout: one column, or cells that hold headings, lists of
        // paragraphs or other tables. Read it as the blocks in its cells.
        let layout = columns <= 1
            || rows.iter().flat_map(|&(r, _)| cells(r)).any(|c| {
                dom.descendants(c).skip(1).any(|d| {
                    matches!(dom.tag(d), "table" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "blockquote")
                }) || dom.children(c).filter(|&d| dom.tag(d) == "p").count() > 2
            });
        if layout {
            for (row, _) in rows {
                for cell in cells(row) {
                    self.blocks(cell, out);
                }
            }
            return;
        }
        for caption in dom.children(table).filter(|&c| dom.tag(c) == "caption").collect::<Vec<_>>() {
            let content = tidy(self.inlines_of(caption));
            if has_words(&content) {
                out.push(Block::Paragraph { content, line: self.line_of(caption) });
            }
        }
        let mut header = Vec::new();
        let mut body = Vec::new();
        for (index, (row, in_head)) in rows.into_iter().enumerate() {
            let row_cells = cells(row);
            let all_th = !row_cells.is_empty() && row_cells.iter().all(|&c| dom.tag(c) == "th");
            let mut texts: Vec<Vec<Inline>> = row_cells.iter().map(|&c| tidy(self.inlines_of(c))).collect();
            texts.resize(columns, Vec::new());
            if header.is_empty() && index == 0 && (in_head || all_th) {
                header = texts;
            } else if in_head && body.is_empty() && !header.is_empty() {
                // A second header row: read as a row.
                body.push(texts);
            } else {
                body.push(texts);
            }
        }
        if header.is_empty() && body.is_empty() {
            return;
        }
        out.append(&mut self.pending);
        out.push(Block::Table { header, rows: body, line: self.line_of(table) });
    }

    fn figure(&mut self, figure: NodeId, out: &mut Vec<Block>) {
        let dom = self.dom;
        let img = dom.descendants(figure).find(|&d| is_img(dom.tag(d)) && !self.an.skipped[d]);
        let other_blocks = dom.descendants(figure).skip(1).any(|d| {
            matches!(dom.tag(d), "table" | "blockquote" | "p" | "ul" | "ol" | "pre") && !self.an.skipped[d]
        });
        let caption_node = dom.children(figure).find(|&c| dom.tag(c) == "figcaption");
        match img {
            Some(img) if !other_blocks => {
                let caption = caption_node.map(|c| tidy(self.inlines_of(c))).filter(|c| has_words(c));
                self.picture_in(img, caption, out);
            }
            _ => self.blocks(figure, out),
        }
    }

    /// A picture (an `<img>`, or the `<img>` in a `<picture>`).
    fn picture_in(&mut self, node: NodeId, caption: Option<Vec<Inline>>, out: &mut Vec<Block>) {
        let img = if is_img(self.dom.tag(node)) {
            Some(node)
        } else {
            self.dom.descendants(node).find(|&d| is_img(self.dom.tag(d)))
        };
        if let Some(img) = img
            && let Some(block) = self.picture(img, caption)
        {
            out.push(block);
        }
    }

    /// The block for one `<img>`: a figure when the picture is saved with the page (or
    /// `remote_pictures`), else its words as a paragraph and the picture in `removed`.
    fn picture(&mut self, img: NodeId, caption: Option<Vec<Inline>>) -> Option<Block> {
        let dom = self.dom;
        let line = self.line_of(img);
        let alt = dom.attr(img, "alt").unwrap_or("").split_whitespace().collect::<Vec<_>>().join(" ");
        let tiny = |key: &str| {
            dom.attr(img, key)
                .and_then(|v| v.trim().trim_end_matches("px").parse::<u32>().ok())
                .is_some_and(|v| v <= 2)
        };
        if tiny("width") || tiny("height") {
            return None;
        }
        let src = picture_source(dom, img)?;
        // A fetched page's relative pictures are on the web, next to the page.
        let local = if (self.remote_pictures && self.base.is_some()) || self.web_base {
            None
        } else {
            local_path(&src)
        };
        match local {
            // A page read from disk whose picture is not beside it was saved without
            // its pictures ("HTML only"): the picture was not saved with the page.
            Some(path) if self.page_dir.as_ref().is_some_and(|dir| !dir.join(&path).exists()) => {
                self.warnings.push(Warning::at(
                    line,
                    format!(
                        "picture {path} is not beside the page, so its alt text is printed instead; \
                         save the page as \"Web page, complete\" to keep its pictures"
                    ),
                ));
                self.not_saved(path, alt, caption, line)
            }
            Some(path) => {
                if alt.is_empty() {
                    self.warnings.push(Warning::at(
                        line,
                        format!(
                            "picture {path} has no alt text: it is printed as decoration; describe it in alt"
                        ),
                    ));
                }
                Some(Block::Figure { src: path, alt, caption, line })
            }
            None => {
                let absolute = match self.base {
                    Some(base) => base.join(&src).ok().map(|u| u.to_string()),
                    None => url::Url::parse(&src).ok().map(|u| u.to_string()),
                };
                if self.remote_pictures
                    && let Some(absolute) = absolute.filter(|u| crate::validate::is_web_url(u))
                {
                    return Some(Block::Figure { src: absolute, alt, caption, line });
                }
                let shown = if src.starts_with("data:") {
                    "an embedded picture (data: URL)".to_string()
                } else {
                    src.clone()
                };
                self.not_saved(shown, alt, caption, line)
            }
        }
    }

    /// A picture the handout cannot show: listed in `removed`, its words kept (the alt
    /// text, then the caption).
    fn not_saved(
        &mut self,
        shown: String,
        alt: String,
        caption: Option<Vec<Inline>>,
        line: usize,
    ) -> Option<Block> {
        self.removed.push(Removed {
            reason: NOT_SAVED.to_string(),
            line,
            text: if alt.is_empty() { shown } else { alt.clone() },
        });
        if let Some(caption) = caption {
            if !alt.is_empty() {
                self.pending.push(Block::Paragraph { content: caption, line });
                return Some(Block::Paragraph { content: vec![Inline::text(alt)], line });
            }
            return Some(Block::Paragraph { content: caption, line });
        }
        (!alt.is_empty()).then(|| Block::Paragraph { content: vec![Inline::text(alt)], line })
    }

    fn inlines_of(&mut self, node: NodeId) -> Vec<Inline> {
        let mut out = Vec::new();
        self.inline_children(node, &mut out);
        out
    }

    fn inline_children(&mut self, node: NodeId, out: &mut Vec<Inline>) {
        let children: Vec<NodeId> = self.dom.children(node).collect();
        for child in children {
            self.inline(child, out);
        }
    }

    /// Inline content of one node, appended to `out`. Block elements met here (a `<div>`
    /// in a link, a list in a table cell) are read as inline text with a space or a line
    /// break around them.
    fn inline(&mut self, node: NodeId, out: &mut Vec<Inline>) {
        let dom = self.dom;
        if self.an.skipped[node] {
            return;
        }
        if let Some(text) = dom.text(node) {
            out.push(Inline::text(text));
            return;
        }
        let tag = dom.tag(node);
        match tag {
            "br" => out.push(Inline::LineBreak),
            "img" | "amp-img" | "picture" => {
                let mut figures = Vec::new();
                self.picture_in(node, None, &mut figures);
                self.pending.extend(figures);
            }
            "strong" | "b" => {
                let content = self.inlines_of(node);
                out.push(Inline::Strong { content });
            }
            "em" | "i" | "cite" | "dfn" | "var" => {
                let content = self.inlines_of(node);
                out.push(Inline::Emphasis { content });
            }
            "code" | "kbd" | "samp" | "tt" => {
                let text: String = dom
                    .descendants(node)
                    .filter(|&d| !self.an.skipped[d])
                    .filter_map(|d| dom.text(d))
                    .collect();
                out.push(Inline::Code { text });
            }
            "a" => {
                let content = self.inlines_of(node);
                match dom.attr(node, "href").and_then(|h| self.link_url(h)) {
                    Some(url) if has_words(&content) => out.push(Inline::Link { url, content }),
                    _ => out.extend(content),
                }
            }
            "q" => {
                out.push(Inline::text("“"));
                self.inline_children(node, out);
                out.push(Inline::text("”"));
            }
            _ if is_block(tag) => {
                if matches!(tag, "p" | "div" | "li" | "tr" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6")
                    && !out.is_empty()
                {
                    out.push(Inline::LineBreak);
                } else {
                    out.push(Inline::text(" "));
                }
                self.inline_children(node, out);
                out.push(Inline::text(" "));
            }
            _ => self.inline_children(node, out),
        }
    }

    /// A link's address as printed: web and `mailto:` addresses, relative ones made
    /// absolute against the page's address when known; others (`#top`, `javascript:`)
    /// are not links.
    fn link_url(&self, href: &str) -> Option<String> {
        let href = href.trim();
        if href.is_empty() || href.starts_with('#') {
            return None;
        }
        if crate::validate::is_link_url(href) {
            return Some(href.to_string());
        }
        let joined = self.base?.join(href).ok()?;
        matches!(joined.scheme(), "http" | "https").then(|| joined.to_string())
    }
}

/// Labels of boxes that pasted text does not show the same way, so the paste tables lack
/// them.
/// Text outside links that makes a small box labelled "Comments" or "Related" a story
/// rather than a list of them (about 40 words).
const STORY_MIN_PLAIN_CHARS: u32 = 250;

fn extra_label(lead: &str) -> Option<&'static str> {
    let lower = lead.to_lowercase();
    const LABELS: &[(&str, &str)] = &[
        ("next in this series", "related links"),
        ("keep reading", "related links"),
        ("posted in", "tags"),
        ("posted on", "byline"),
        ("sommaire", "table of contents"),
        ("table of contents", "table of contents"),
        ("page reviewed", "review date"),
        ("page last reviewed", "review date"),
        ("last reviewed", "review date"),
        ("elaborado por", "byline"),
        ("document id", "review date"),
    ];
    LABELS.iter().find(|(label, _)| lower.starts_with(label)).map(|&(_, reason)| reason)
}

fn heading_level(tag: &str) -> Option<u8> {
    match tag {
        "h1" | "h2" => Some(2),
        "h3" => Some(3),
        "h4" | "h5" | "h6" => Some(4),
        _ => None,
    }
}

/// The address of a picture: `src`, or a lazy-loading attribute when `src` is a
/// placeholder.
fn picture_source(dom: &Dom, img: NodeId) -> Option<String> {
    let src = dom.attr(img, "src").map(str::trim).unwrap_or("");
    let placeholder = src.is_empty() || (src.starts_with("data:") && src.len() < 200);
    let lazy =
        ["data-src", "data-lazy-src", "data-original"].iter().find_map(|k| dom.attr(img, k)).map(str::trim);
    let chosen = match lazy {
        Some(lazy) if placeholder && !lazy.is_empty() => lazy,
        _ if src.is_empty() => {
            let srcset = dom.attr(img, "srcset")?;
            srcset.split(',').next()?.split_whitespace().next()?
        }
        _ => src,
    };
    (!chosen.is_empty()).then(|| chosen.to_string())
}

/// The path of a picture saved with the page (`page_files/foot.png`), URL-decoded, with
/// any query or fragment cut off; `None` for web, root-relative and `data:` addresses.
pub fn local_path(src: &str) -> Option<String> {
    let src = src.trim();
    let scheme = src.find(':').is_some_and(|colon| {
        let before = &src[..colon];
        !before.is_empty()
            && !before.contains('/')
            && before.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    });
    if scheme || src.starts_with('/') || src.starts_with('\\') || src.is_empty() {
        return None;
    }
    let cut = src.find(['?', '#']).unwrap_or(src.len());
    let path = percent_encoding::percent_decode_str(&src[..cut]).decode_utf8_lossy().replace('\\', "/");
    let path = path.strip_prefix("./").unwrap_or(&path).to_string();
    (!path.is_empty()).then_some(path)
}

fn has_words(inlines: &[Inline]) -> bool {
    plain_text(inlines).chars().any(char::is_alphanumeric)
}

/// Whitespace collapsed as a browser shows it (runs to one space, none at the ends),
/// empty wrappers dropped, neighbouring text merged.
pub fn tidy(inlines: Vec<Inline>) -> Vec<Inline> {
    let mut space = true;
    let mut out = collapse(inlines, &mut space);
    trim_end(&mut out);
    out
}

fn collapse(inlines: Vec<Inline>, space: &mut bool) -> Vec<Inline> {
    let mut out: Vec<Inline> = Vec::new();
    for inline in inlines {
        match inline {
            Inline::Text { text } => {
                let mut collapsed = String::new();
                for c in text.chars() {
                    if c.is_whitespace() && c != '\u{a0}' {
                        if !*space {
                            collapsed.push(' ');
                            *space = true;
                        }
                    } else {
                        collapsed.push(c);
                        *space = false;
                    }
                }
                if collapsed.is_empty() {
                    continue;
                }
                if let Some(Inline::Text { text }) = out.last_mut() {
                    text.push_str(&collapsed);
                } else {
                    out.push(Inline::Text { text: collapsed });
                }
            }
            Inline::Code { text } => {
                let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
                if !text.is_empty() {
                    out.push(Inline::Code { text });
                    *space = false;
                }
            }
            Inline::LineBreak => {
                trim_end(&mut out);
                if !out.is_empty() && !matches!(out.last(), Some(Inline::LineBreak)) {
                    out.push(Inline::LineBreak);
                }
                *space = true;
            }
            Inline::Strong { content } => {
                let content = collapse(content, space);
                if !content.is_empty() {
                    out.push(Inline::Strong { content });
                }
            }
            Inline::Emphasis { content } => {
                let content = collapse(content, space);
                if !content.is_empty() {
                    out.push(Inline::Emphasis { content });
                }
            }
            Inline::Link { url, content } => {
                let content = collapse(content, space);
                if !content.is_empty() {
                    out.push(Inline::Link { url, content });
                }
            }
        }
    }
    out
}

fn trim_end(inlines: &mut Vec<Inline>) {
    loop {
        match inlines.last_mut() {
            Some(Inline::LineBreak) => {
                inlines.pop();
            }
            Some(Inline::Text { text }) => {
                let trimmed = text.trim_end_matches(' ').len();
                text.truncate(trimmed);
                if text.is_empty() {
                    inlines.pop();
                } else {
                    return;
                }
            }
            Some(
                Inline::Strong { content } | Inline::Emphasis { content } | Inline::Link { content, .. },
            ) => {
                trim_end(content);
                if content.is_empty() {
                    inlines.pop();
                } else {
                    return;
                }
            }
            _ => return,
        }
    }
}
