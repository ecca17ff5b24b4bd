//! An article's parts as markup that is both XHTML (for the EPUB) and HTML5 (for the
//! site): the reviewed line, the key points, and the body with the clinic's phone after
//! each action step. Every string is escaped here; callers wrap the parts in their own
//! document shell.

use crate::config::Brand;
use crate::labels::LabelTable;
use crate::model::{Article, Block, Inline, plain_text};

use super::labels::Labels;
use super::xml::{escape, one_line, push_escaped, safe_href, tel_href};

/// A heading as a table of contents shows it.
pub(crate) struct TocEntry {
    /// 2..=4, never more than one deeper than the heading before it.
    pub level: u8,
    /// Fragment id of the heading in the page.
    pub id: String,
    pub text: String,
}

/// The rendered body of an article.
pub(crate) struct Body {
    pub html: String,
    pub toc: Vec<TocEntry>,
}

/// Where a picture (a [`Block::Figure`]'s `src`, relative to the content folder) lives,
/// relative to the page that shows it: `pictures/<src>` beside the EPUB's chapters and
/// beside the site's pages.
pub(crate) fn picture_href(src: &str) -> String {
    format!("pictures/{src}")
}

/// The article's blocks, in order; like the handout, each action step ("When should I
/// call…?") ends with the clinic's phone number when the brand has one.
pub(crate) fn body(
    article: &Article,
    labels: &Labels,
    lang: &str,
    table: &LabelTable,
    brand: &Brand,
) -> Body {
    let mut writer = Writer { out: String::new(), toc: Vec::new(), last_level: 1, in_link: false };
    let actions = crate::labels::action_sections(article, table);
    let phone = brand.phone.as_deref().map(one_line).filter(|p| !p.is_empty());
    // The action step in a box, as on paper, closed by the number to tap.
    let close_box = |out: &mut String| {
        if let Some(phone) = &phone {
            out.push_str(&format!("<p class=\"call-us\"><strong><span{}>", labels.lang_attrs(lang)));
            push_escaped(out, &labels.call_us);
            out.push_str("</span> ");
            phone_link(out, phone);
            out.push_str("</strong></p>\n");
        }
        out.push_str("</div>\n");
    };
    let mut in_action = false;
    for (index, block) in article.blocks.iter().enumerate() {
        if in_action && matches!(block, Block::Heading { .. }) {
            close_box(&mut writer.out);
            in_action = false;
        }
        if actions.contains(&index) {
            writer.out.push_str("<div class=\"call-box\">\n");
            in_action = true;
        }
        writer.block(block);
    }
    if in_action {
        close_box(&mut writer.out);
    }
    Body { html: writer.out, toc: writer.toc }
}

/// `phone` as a link a patient can tap (`tel:`), or as text when it has no digit.
pub(crate) fn phone_link(out: &mut String, phone: &str) {
    match tel_href(phone) {
        Some(href) => {
            out.push_str(&format!("<a href=\"{}\">", escape(&href)));
            push_escaped(out, phone);
            out.push_str("</a>");
        }
        None => push_escaped(out, phone),
    }
}

/// The clinic's name and "Questions? Call …" with the number to tap, in `lang`: what
/// ends every page a patient may hold on its own (an EPUB chapter).
pub(crate) fn clinic_footer(out: &mut String, brand: &Brand, labels: &Labels, lang: &str) {
    let name = one_line(&brand.name);
    let phone = brand.phone.as_deref().map(one_line).filter(|p| !p.is_empty());
    if name.is_empty() && phone.is_none() {
        return;
    }
    out.push_str("<footer class=\"clinic\">\n");
    if !name.is_empty() {
        out.push_str("<p class=\"clinic-name\">");
        push_escaped(out, &name);
        out.push_str("</p>\n");
    }
    if let Some(phone) = &phone {
        out.push_str(&format!("<p class=\"clinic-phone\"><span{}>", labels.lang_attrs(lang)));
        push_escaped(out, &labels.call);
        out.push_str("</span> ");
        phone_link(out, phone);
        out.push_str("</p>\n");
    }
    out.push_str("</footer>\n");
}

/// The brand's disclaimer in `lang`, on one line, when there is one.
pub(crate) fn disclaimer(brand: &Brand, lang: &str) -> Option<String> {
    brand.disclaimer.as_ref().and_then(|d| d.for_lang(lang).0).map(one_line).filter(|d| !d.is_empty())
}

/// `<p class="reviewed">…</p>` for the article's review date, when it has one.
pub(crate) fn reviewed_line(out: &mut String, reviewed: Option<&str>, labels: &Labels, lang: &str) {
    let Some(reviewed) = reviewed.map(str::trim).filter(|r| !r.is_empty()) else {
        return;
    };
    out.push_str("<p class=\"reviewed\"><span");
    out.push_str(&labels.lang_attrs(lang));
    out.push('>');
    out.push_str(&labels.reviewed);
    out.push_str(":</span> ");
    match parse_date(reviewed) {
        // A `<time>` with a malformed datetime would fail validation, so only
        // well-formed dates get one.
        Some((year, month, day)) => {
            out.push_str(&format!("<time datetime=\"{year:04}-{month:02}-{day:02}\""));
            out.push_str(&labels.lang_attrs(lang));
            out.push('>');
            push_escaped(out, &labels.human_date(year, month, day));
            out.push_str("</time>");
        }
        None => push_escaped(out, reviewed),
    }
    out.push_str("</p>\n");
}

/// Strictly `YYYY-MM-DD` with a real calendar date in years 1..=9999.
fn parse_date(text: &str) -> Option<(i32, u32, u32)> {
    let date = crate::validate::date(text).ok()?;
    (date.year() >= 1).then_some((date.year(), u32::from(u8::from(date.month())), u32::from(date.day())))
}

fn bullet(line: &str) -> Option<&str> {
    line.strip_prefix(['-', '*', '•', '–']).map(str::trim_start)
}

/// The lines of a summary, without empty ones; a summary written as `- ` lines has its
/// bullets removed.
pub(crate) fn summary_lines(summary: &str) -> Vec<&str> {
    let lines: Vec<&str> = summary.lines().map(str::trim).filter(|line| !one_line(line).is_empty()).collect();
    if lines.iter().all(|line| bullet(line).is_some()) {
        lines.iter().map(|line| bullet(line).unwrap_or(line)).collect()
    } else {
        lines
    }
}

/// The summary, first on the page, as plain-language guidance asks. A summary written
/// as `- ` lines becomes a bulleted list; otherwise each line is a paragraph.
pub(crate) fn key_points(out: &mut String, summary: &str, labels: &Labels, lang: &str) {
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
                push_escaped(&mut self.out, &picture_href(src));
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
        // A wide table scrolls in its own box on a phone at large text (focusable, so it
        // scrolls from the keyboard too) instead of running off the screen.
        self.out.push_str("<div class=\"table-wrap\" tabindex=\"0\">\n<table>\n");
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
        self.out.push_str("</table>\n</div>\n");
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
