//! One article → one XHTML content document, plus the headings the nav lists.

use crate::model::{Article, Block, Inline, plain_text};

use super::labels::{self, Labels};
use super::xml::{escape, one_line, push_escaped, safe_href};
use super::{Date, xhtml_head};

/// A heading as the nav shows it.
pub(crate) struct TocEntry {
    /// 2..=4, never more than one deeper than the heading before it.
    pub level: u8,
    /// Fragment id of the heading in the chapter file.
    pub id: String,
    pub text: String,
}

/// The rendered chapter.
pub(crate) struct Chapter {
    pub xhtml: String,
    pub toc: Vec<TocEntry>,
}

/// Renders `article` as a complete XHTML document; `lang` is its (validated) language.
/// Like the handout, it carries the brand: the phone number after each action step
/// ("When should I call…?") and the disclaimer at the end.
pub(crate) fn render(article: &Article, title: &str, lang: &str, settings: &super::EpubSettings) -> Chapter {
    let labels = &labels::for_lang(settings.labels, lang);
    let mut writer = Writer { out: String::new(), toc: Vec::new(), last_level: 1, in_link: false };
    let out = &mut writer.out;
    out.push_str(&xhtml_head(lang, title));
    out.push_str("<body>\n<section class=\"article\" epub:type=\"chapter\" role=\"doc-chapter\" aria-labelledby=\"title\">\n");
    out.push_str("<h1 id=\"title\">");
    push_escaped(out, title);
    out.push_str("</h1>\n");
    reviewed_line(out, article.meta.reviewed.as_deref(), labels, lang);
    if let Some(summary) = article.meta.summary.as_deref() {
        key_points(out, summary, labels, lang);
    }
    let actions = crate::labels::action_sections(article, settings.labels);
    let phone = settings.brand.phone.as_deref().map(one_line).filter(|p| !p.is_empty());
    let call_us = |out: &mut String| {
        if let Some(phone) = &phone {
            out.push_str(&format!("<p class=\"call-us\"><strong><span{}>", labels.lang_attrs(lang)));
            push_escaped(out, &labels.call_us);
            out.push_str("</span> ");
            push_escaped(out, phone);
            out.push_str("</strong></p>\n");
        }
    };
    let mut in_action = false;
    for (index, block) in article.blocks.iter().enumerate() {
        if in_action && matches!(block, Block::Heading { .. }) {
            call_us(&mut writer.out);
            in_action = false;
        }
        writer.block(block);
        in_action |= actions.contains(&index);
    }
    if in_action {
        call_us(&mut writer.out);
    }
    let disclaimer = settings.brand.disclaimer.as_ref().and_then(|d| d.for_lang(lang).0).map(one_line);
    if let Some(disclaimer) = disclaimer.filter(|d| !d.is_empty()) {
        writer.out.push_str("<p class=\"disclaimer\">");
        push_escaped(&mut writer.out, &disclaimer);
        writer.out.push_str("</p>\n");
    }
    writer.out.push_str("</section>\n</body>\n</html>\n");
    Chapter { xhtml: writer.out, toc: writer.toc }
}

fn reviewed_line(out: &mut String, reviewed: Option<&str>, labels: &Labels, lang: &str) {
    let Some(reviewed) = reviewed.map(str::trim).filter(|r| !r.is_empty()) else {
        return;
    };
    out.push_str("<p class=\"reviewed\"><span");
    out.push_str(&labels.lang_attrs(lang));
    out.push('>');
    out.push_str(&labels.reviewed);
    out.push_str(":</span> ");
    match Date::parse(reviewed) {
        // A `<time>` with a malformed datetime would fail validation, so only
        // well-formed dates get one.
        Some(date) => {
            out.push_str(&format!("<time datetime=\"{}\"", date.iso()));
            out.push_str(&labels.lang_attrs(lang));
            out.push('>');
            push_escaped(out, &labels.human_date(&date));
            out.push_str("</time>");
        }
        None => push_escaped(out, reviewed),
    }
    out.push_str("</p>\n");
}

fn bullet(line: &str) -> Option<&str> {
    line.strip_prefix(['-', '*', '•', '–']).map(str::trim_start)
}

/// The summary, first on the page, as plain-language guidance asks. A summary written
/// as `- ` lines becomes a bulleted list; otherwise each line is a paragraph.
fn key_points(out: &mut String, summary: &str, labels: &Labels, lang: &str) {
    let lines: Vec<&str> = summary.lines().map(str::trim).filter(|line| !one_line(line).is_empty()).collect();
    if lines.is_empty() {
        return;
    }
    out.push_str("<section class=\"key-points\" aria-labelledby=\"key-points\">\n<h2 id=\"key-points\"");
    out.push_str(&labels.lang_attrs(lang));
    out.push('>');
    out.push_str(&labels.key_points);
    out.push_str("</h2>\n");
    if lines.iter().all(|line| bullet(line).is_some()) {
        out.push_str("<ul>\n");
        for line in &lines {
            out.push_str("<li>");
            push_escaped(out, bullet(line).unwrap_or(line));
            out.push_str("</li>\n");
        }
        out.push_str("</ul>\n");
    } else {
        for line in &lines {
            out.push_str("<p>");
            push_escaped(out, line);
            out.push_str("</p>\n");
        }
    }
    out.push_str("</section>\n");
}

struct Writer {
    out: String,
    toc: Vec<TocEntry>,
    /// Level of the previous heading; the title counts as 1.
    last_level: u8,
    /// Links cannot nest in HTML: inside one, inner links render as their text.
    in_link: bool,
}

impl Writer {
    fn blocks(&mut self, blocks: &[Block]) {
        for block in blocks {
            self.block(block);
        }
    }

    fn block(&mut self, block: &Block) {
        match block {
            Block::Heading { level, content, .. } => self.heading(*level, content),
            Block::Paragraph { content, .. } => {
                if has_text(content) {
                    self.out.push_str("<p>");
                    self.inlines(content);
                    self.out.push_str("</p>\n");
                }
            }
            Block::List { ordered, start, items, .. } => {
                if items.is_empty() {
                    return;
                }
                let tag = if *ordered { "ol" } else { "ul" };
                self.out.push('<');
                self.out.push_str(tag);
                if let Some(start) = start.filter(|&start| *ordered && start != 1) {
                    self.out.push_str(&format!(" start=\"{start}\""));
                }
                self.out.push_str(">\n");
                for item in items {
                    self.out.push_str("<li>");
                    match item.as_slice() {
                        // The common case: keep simple items free of an extra paragraph
                        // so lists stay compact in every reading system.
                        [Block::Paragraph { content, .. }] => self.inlines(content),
                        blocks => {
                            self.out.push('\n');
                            self.blocks(blocks);
                        }
                    }
                    self.out.push_str("</li>\n");
                }
                self.out.push_str("</");
                self.out.push_str(tag);
                self.out.push_str(">\n");
            }
            Block::Quote { blocks, .. } => {
                if !blocks.is_empty() {
                    self.out.push_str("<blockquote>\n");
                    self.blocks(blocks);
                    self.out.push_str("</blockquote>\n");
                }
            }
            Block::Table { header, rows, .. } => self.table(header, rows),
            Block::Figure { src, alt, caption, .. } => {
                self.out.push_str("<figure>\n<img src=\"");
                push_escaped(&mut self.out, &super::picture_href(src));
                self.out.push_str("\" alt=\"");
                push_escaped(&mut self.out, &one_line(alt));
                self.out.push_str(if alt.trim().is_empty() {
                    "\" role=\"presentation\"/>\n"
                } else {
                    "\"/>\n"
                });
                if let Some(caption) = caption.as_deref().filter(|c| has_text(c)) {
                    self.out.push_str("<figcaption>");
                    self.inlines(caption);
                    self.out.push_str("</figcaption>\n");
                }
                self.out.push_str("</figure>\n");
            }
            Block::CodeBlock { text, .. } => {
                self.out.push_str("<pre><code>");
                push_escaped(&mut self.out, text);
                self.out.push_str("</code></pre>\n");
            }
        }
    }

    fn heading(&mut self, level: u8, content: &[Inline]) {
        let text = one_line(&plain_text(content));
        // An empty heading is announced as "heading" with nothing after it; drop it.
        if text.is_empty() {
            return;
        }
        // Skipped levels (h2 → h4) confuse screen-reader navigation by heading level,
        // so a heading is never more than one level below the one before it.
        let level = level.clamp(2, 4).min(self.last_level + 1);
        self.last_level = level;
        let id = format!("h-{}", self.toc.len() + 1);
        self.out.push_str(&format!("<h{level} id=\"{id}\">"));
        self.inlines(content);
        self.out.push_str(&format!("</h{level}>\n"));
        self.toc.push(TocEntry { level, id, text });
    }

    fn table(&mut self, header: &[Vec<Inline>], rows: &[Vec<Vec<Inline>>]) {
        let rows: Vec<_> = rows.iter().filter(|row| !row.is_empty()).collect();
        if header.is_empty() && rows.is_empty() {
            return;
        }
        self.out.push_str("<table>\n");
        if !header.is_empty() {
            self.out.push_str("<thead>\n<tr>");
            for cell in header {
                self.out.push_str("<th scope=\"col\">");
                self.inlines(cell);
                self.out.push_str("</th>");
            }
            self.out.push_str("</tr>\n</thead>\n");
        }
        if !rows.is_empty() {
            self.out.push_str("<tbody>\n");
            for row in rows {
                self.out.push_str("<tr>");
                for cell in row {
                    self.out.push_str("<td>");
                    self.inlines(cell);
                    self.out.push_str("</td>");
                }
                self.out.push_str("</tr>\n");
            }
            self.out.push_str("</tbody>\n");
        }
        self.out.push_str("</table>\n");
    }

    fn inlines(&mut self, inlines: &[Inline]) {
        for inline in inlines {
            match inline {
                Inline::Text { text } => push_escaped(&mut self.out, text),
                Inline::Strong { content } => self.wrap("strong", content),
                Inline::Emphasis { content } => self.wrap("em", content),
                Inline::Code { text } => {
                    self.out.push_str("<code>");
                    push_escaped(&mut self.out, text);
                    self.out.push_str("</code>");
                }
                Inline::LineBreak => self.out.push_str("<br/>"),
                Inline::Link { url, content } => self.link(url, content),
            }
        }
    }

    fn wrap(&mut self, tag: &str, content: &[Inline]) {
        self.out.push_str(&format!("<{tag}>"));
        self.inlines(content);
        self.out.push_str(&format!("</{tag}>"));
    }

    fn link(&mut self, url: &str, content: &[Inline]) {
        let href = if self.in_link { None } else { safe_href(url) };
        let Some(href) = href else {
            // Not a link we will make: keep the words so nothing is lost, or the URL as
            // inert text when there are no words.
            if has_text(content) {
                self.inlines(content);
            } else {
                push_escaped(&mut self.out, url.trim());
            }
            return;
        };
        self.out.push_str("<a href=\"");
        self.out.push_str(&escape(&href));
        self.out.push_str("\">");
        self.in_link = true;
        if has_text(content) {
            self.inlines(content);
        } else {
            // A link with no text is unreadable to a screen reader; show where it goes.
            push_escaped(&mut self.out, url.trim());
        }
        self.in_link = false;
        self.out.push_str("</a>");
    }
}

fn has_text(inlines: &[Inline]) -> bool {
    !one_line(&plain_text(inlines)).is_empty()
}
