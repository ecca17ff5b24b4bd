//! `handouts add URL|FILE.html…`: a web page (fetched, or saved earlier) becomes an
//! editable article `content/<id>.md`, with front matter and its pictures under
//! `content/pictures/`. The page is read by the same HTML ingest as `build` uses.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::fetch::{self, Limits};
use crate::ingest::html;
use crate::model::{Article, Block, Inline, plain_text};

/// What `add` was asked to do.
#[derive(Debug, Clone)]
pub struct AddOptions {
    pub content: PathBuf,
    pub force: bool,
    pub no_pictures: bool,
    pub limits: Limits,
}

/// What one `add` wrote.
#[derive(Debug)]
pub struct Added {
    pub path: PathBuf,
    pub pictures: usize,
    /// Things to tell the person (pictures that could not be saved, the review date).
    pub notes: Vec<String>,
}

/// Adds one page, a web address or a saved `.html` file.
pub fn add(source: &str, options: &AddOptions) -> Result<Added> {
    let is_url = source.starts_with("http://") || source.starts_with("https://") || source.contains("://");
    let (article, base_dir, page_url) = if is_url {
        let page = fetch::get(source, &options.limits)?;
        if !fetch::is_html(&page) {
            let kind = if page.content_type.is_empty() {
                "no Content-Type".to_string()
            } else {
                page.content_type.clone()
            };
            return Err(Error::input(
                &page.url,
                None,
                format!(
                    "the server answered with {kind}, not a web page (text/html); save the page or paste its text instead"
                ),
            ));
        }
        let html_options =
            html::Options { url: Some(page.url.clone()), remote_pictures: !options.no_pictures };
        let article = html::ingest(Path::new(&page.url), &page.bytes, &html_options)?;
        (article, None, Some(page.url))
    } else {
        let path = PathBuf::from(source);
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
        if crate::ingest::docx::EXTENSIONS.contains(&ext.as_str()) {
            return add_word(&path, options);
        }
        if ext != "html" && ext != "htm" {
            return Err(Error::usage(format!(
                "{source}: not a web address (https://…), a saved page (.html, .htm) or a Word document (.docx)"
            )));
        }
        let bytes = crate::ingest::read_limited(&path, options.limits.max_bytes)?;
        let article = html::ingest(&path, &bytes, &html::Options { url: None, remote_pictures: false })?;
        (article, path.parent().map(Path::to_path_buf), None)
    };
    write_article(article, Source::Folder(base_dir.as_deref()), page_url.as_deref(), options)
}

/// A Word document: its pictures come out of the document into `content/pictures/`.
fn add_word(path: &Path, options: &AddOptions) -> Result<Added> {
    let bytes = crate::ingest::read_limited(path, options.limits.max_bytes)?;
    let (article, properties) = crate::ingest::docx::ingest_with_properties(path, &bytes)?;
    let mut added = write_article(article, Source::Word(&bytes), None, options)?;
    if let Some(saved) = properties.modified {
        added.notes.push(format!(
            "Word last saved the document on {saved}: that is not a review date, so `reviewed:` stays empty"
        ));
    }
    Ok(added)
}

/// Where an article's pictures are read from when `add` saves them.
enum Source<'a> {
    /// A saved page's folder (`None` for a page fetched from the web).
    Folder(Option<&'a Path>),
    /// The bytes of the Word document that holds them.
    Word(&'a [u8]),
}

fn write_article(
    mut article: Article,
    source: Source,
    page_url: Option<&str>,
    options: &AddOptions,
) -> Result<Added> {
    if article.blocks.is_empty() {
        return Err(Error::input(
            &article.source,
            None,
            "found no article text in the page (is it a page that builds itself with JavaScript?); save the page from the browser, or paste its text into a .txt file",
        ));
    }
    let target = options.content.join(format!("{}.md", article.id));
    if target.exists() && !options.force {
        return Err(Error::input(
            &target,
            None,
            "an article with this id exists already; pass --force to replace it, or edit it by hand",
        ));
    }
    std::fs::create_dir_all(&options.content).map_err(|e| Error::write(&options.content, e))?;
    let mut notes = Vec::new();
    let from_word = matches!(source, Source::Word(_));
    let mut saver = Pictures { id: article.id.clone(), options, source, count: 0, notes: &mut notes };
    article.blocks = saver.blocks(std::mem::take(&mut article.blocks));
    let pictures = saver.count;
    let retrieved = page_url.map(|_| today());
    let markdown = to_markdown(&article, retrieved.as_deref());
    crate::fsx::write_atomic(&target, markdown.as_bytes())?;
    notes.push(format!(
        "{}: `reviewed:` is empty: have a clinician check the article, then write the date (YYYY-MM-DD)",
        target.display()
    ));
    if !article.removed.is_empty() {
        notes.push(format!(
            "{} passages were left out ({}); {}",
            article.removed.len(),
            if from_word { "headers, footers, comments…" } else { "menus, ads, related links…" },
            if from_word {
                "`handouts inspect` on the document lists them"
            } else if page_url.is_some() {
                "save the page from the browser and run `handouts inspect` on it to see them"
            } else {
                "`handouts inspect` on the saved page lists them"
            }
        ));
    }
    Ok(Added { path: target, pictures, notes })
}

/// Today's date (UTC), or `SOURCE_DATE_EPOCH`'s, as `YYYY-MM-DD`.
fn today() -> String {
    // `handouts add` refuses a bad value before fetching (`commands::add_command`).
    let date = crate::validate::source_date_epoch()
        .ok()
        .flatten()
        .and_then(crate::validate::from_unix)
        .map(|d| d.date())
        .unwrap_or_else(|| time::OffsetDateTime::now_utc().date());
    format!("{:04}-{:02}-{:02}", date.year(), u8::from(date.month()), date.day())
}

/// Pictures saved from one page at most: a gallery page must not turn into hundreds of
/// downloads.
const MAX_PICTURES: usize = 50;

struct Pictures<'a> {
    id: String,
    options: &'a AddOptions,
    source: Source<'a>,
    count: usize,
    notes: &'a mut Vec<String>,
}

impl Pictures<'_> {
    fn blocks(&mut self, blocks: Vec<Block>) -> Vec<Block> {
        blocks.into_iter().flat_map(|b| self.block(b)).collect()
    }

    fn block(&mut self, block: Block) -> Vec<Block> {
        match block {
            Block::Figure { src, alt, caption, line } => {
                if !self.options.no_pictures && self.count >= MAX_PICTURES {
                    self.notes.push(format!(
                        "picture {src} not saved: only the first {MAX_PICTURES} pictures of a page are; its alt text is kept"
                    ));
                } else if !self.options.no_pictures {
                    match self.save(&src) {
                        Ok(saved) => return vec![Block::Figure { src: saved, alt, caption, line }],
                        Err(problem) => self
                            .notes
                            .push(format!("picture {src} not saved: {problem}; its alt text is kept")),
                    }
                }
                let mut words = Vec::new();
                if !alt.is_empty() {
                    words.push(Block::Paragraph { content: vec![Inline::text(alt)], line });
                }
                if let Some(caption) = caption {
                    words.push(Block::Paragraph { content: caption, line });
                }
                words
            }
            Block::List { ordered, start, items, line } => {
                vec![Block::List {
                    ordered,
                    start,
                    items: items.into_iter().map(|i| self.blocks(i)).collect(),
                    line,
                }]
            }
            Block::Quote { blocks, line } => vec![Block::Quote { blocks: self.blocks(blocks), line }],
            other => vec![other],
        }
    }

    /// Downloads (or copies, for a saved page) one picture into `content/pictures/`,
    /// returning its `src` relative to the content folder.
    fn save(&mut self, src: &str) -> std::result::Result<String, String> {
        let bytes = if crate::validate::is_web_url(src) {
            let fetched = fetch::get(src, &self.options.limits).map_err(|e| e.to_string())?;
            fetched.bytes
        } else if let Source::Word(document) = self.source {
            let (_, part) = crate::ingest::docx::split_picture_src(src).ok_or("not in the document")?;
            crate::ingest::docx::read_part(document, part).map_err(|e| e.to_string())?
        } else {
            let Source::Folder(dir) = self.source else { return Err("no folder to find it in".into()) };
            let dir = dir.ok_or("no folder to find it in")?;
            let path = dir.join(src);
            if src.split('/').any(|part| part == "..") {
                return Err("it lies outside the page's folder".into());
            }
            crate::ingest::read_limited(&path, self.options.limits.max_bytes).map_err(|e| e.to_string())?
        };
        let kind = fetch::picture_kind(&bytes).ok_or("not a PNG, JPEG or SVG picture")?;
        self.count += 1;
        let name = format!("{}-{}.{kind}", self.id, self.count);
        let dir = self.options.content.join("pictures");
        std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let path = dir.join(&name);
        crate::fsx::write_atomic(&path, &bytes).map_err(|e| e.to_string())?;
        Ok(format!("pictures/{name}"))
    }
}

/// The article as Markdown with front matter, as `add` writes it: what `ingest` reads
/// back into the same blocks.
pub fn to_markdown(article: &Article, retrieved: Option<&str>) -> String {
    let meta = &article.meta;
    let mut out = String::from("---\n");
    let mut field = |key: &str, value: &str| {
        out.push_str(key);
        out.push_str(": ");
        out.push_str(&yaml_string(value));
        out.push('\n');
    };
    field("title", &meta.title);
    field("lang", &meta.lang);
    if let Some(url) = &meta.url {
        field("url", url);
    }
    if let Some(author) = &meta.author {
        field("author", author);
    }
    if let Some(published) = &meta.published {
        field("published", published);
    }
    if let Some(retrieved) = retrieved.or(meta.retrieved.as_deref()) {
        field("retrieved", retrieved);
    }
    out.push_str("# The date a clinician last checked this article, YYYY-MM-DD:\nreviewed:\n---\n\n");
    out.push_str(&blocks_md(&article.blocks));
    out
}

/// A YAML scalar in double quotes, so no title can be read as another type or a key.
fn yaml_string(value: &str) -> String {
    let mut out = String::from("\"");
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn blocks_md(blocks: &[Block]) -> String {
    let parts: Vec<String> = blocks.iter().map(block_md).filter(|s| !s.is_empty()).collect();
    let mut out = parts.join("\n\n");
    if !out.is_empty() {
        out.push('\n');
    }
    out
}

fn block_md(block: &Block) -> String {
    match block {
        Block::Heading { level, content, .. } => {
            format!(
                "{} {}",
                "#".repeat(usize::from(*level).clamp(2, 4)),
                inline_md(content).replace('\n', " ")
            )
        }
        Block::Paragraph { content, .. } => escape_line_start(&inline_md(content)),
        Block::List { ordered, start, items, .. } => {
            let first = start.unwrap_or(1);
            let mut lines = Vec::new();
            for (index, item) in items.iter().enumerate() {
                let marker = if *ordered { format!("{}. ", first + index as u64) } else { "- ".to_string() };
                let pad = " ".repeat(marker.len());
                let body =
                    item.iter().map(block_md).filter(|s| !s.is_empty()).collect::<Vec<_>>().join("\n\n");
                let body = if body.is_empty() { "\u{a0}".to_string() } else { body };
                let mut item_lines = body.lines();
                lines.push(format!("{marker}{}", item_lines.next().unwrap_or("")));
                for line in item_lines {
                    lines.push(if line.is_empty() { String::new() } else { format!("{pad}{line}") });
                }
            }
            lines.join("\n")
        }
        Block::Quote { blocks, .. } => blocks_md(blocks)
            .trim_end()
            .lines()
            .map(|l| if l.is_empty() { ">".to_string() } else { format!("> {l}") })
            .collect::<Vec<_>>()
            .join("\n"),
        Block::Table { header, rows, .. } => {
            let columns = header.len().max(rows.iter().map(Vec::len).max().unwrap_or(0)).max(1);
            let row = |cells: &[Vec<Inline>]| {
                let mut line = String::from("|");
                for i in 0..columns {
                    let cell = cells.get(i).map(|c| inline_md(c).replace('\n', " ")).unwrap_or_default();
                    line.push(' ');
                    line.push_str(&cell);
                    line.push_str(" |");
                }
                line
            };
            let mut lines = vec![row(header), format!("|{}", " --- |".repeat(columns))];
            lines.extend(rows.iter().map(|r| row(r)));
            lines.join("\n")
        }
        Block::Figure { src, alt, caption, .. } => {
            let title = caption
                .as_ref()
                .map(|c| format!(" \"{}\"", plain_text(c).replace('\\', "\\\\").replace('"', "\\\"")))
                .unwrap_or_default();
            format!("![{}](<{}>{title})", escape(alt), src.replace('<', "%3C").replace('>', "%3E"))
        }
        Block::CodeBlock { text, .. } => {
            let longest = longest_run(text, '`');
            let fence = "`".repeat(longest.max(2) + 1);
            format!("{fence}\n{text}\n{fence}")
        }
    }
}

fn longest_run(text: &str, c: char) -> usize {
    let (mut best, mut run) = (0, 0);
    for ch in text.chars() {
        run = if ch == c { run + 1 } else { 0 };
        best = best.max(run);
    }
    best
}

/// Characters that would start Markdown syntax, backslash-escaped.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\\' | '*' | '_' | '[' | ']' | '<' | '>' | '`' | '|' | '&' | '~' | '!') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A line that would read as a heading, list item or rule (`# 1`, `- x`, `1. x`).
fn escape_line_start(text: &str) -> String {
    text.split('\n')
        .map(|line| {
            let trimmed = line.trim_start();
            let digits = trimmed.chars().take_while(char::is_ascii_digit).count();
            if trimmed.starts_with(['#', '-', '+', '=']) {
                format!("\\{trimmed}")
            } else if digits > 0 && trimmed[digits..].starts_with(['.', ')']) {
                format!("{}\\{}", &trimmed[..digits], &trimmed[digits..])
            } else {
                trimmed.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn inline_md(inlines: &[Inline]) -> String {
    let mut out = String::new();
    for inline in inlines {
        match inline {
            Inline::Text { text } => out.push_str(&escape(text)),
            Inline::Strong { content } => wrap(&mut out, "**", &inline_md(content)),
            Inline::Emphasis { content } => wrap(&mut out, "*", &inline_md(content)),
            Inline::Link { url, content } => {
                let text = inline_md(content);
                out.push_str(&format!(
                    "[{text}](<{}>)",
                    url.replace('<', "%3C").replace('>', "%3E").replace(' ', "%20")
                ));
            }
            Inline::Code { text } => {
                let ticks = "`".repeat(longest_run(text, '`') + 1);
                let pad = if text.starts_with('`') || text.ends_with('`') { " " } else { "" };
                out.push_str(&format!("{ticks}{pad}{text}{pad}{ticks}"));
            }
            Inline::LineBreak => out.push_str("\\\n"),
        }
    }
    out
}

/// `**text**` with the spaces at either end moved outside the markers, which CommonMark
/// needs for them to count.
fn wrap(out: &mut String, marker: &str, text: &str) {
    let inner = text.trim();
    if inner.is_empty() {
        out.push_str(text);
        return;
    }
    let lead = &text[..text.len() - text.trim_start().len()];
    let trail = &text[text.trim_end().len()..];
    out.push_str(lead);
    out.push_str(marker);
    out.push_str(inner);
    out.push_str(marker);
    out.push_str(trail);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Meta;

    #[test]
    fn markdown_reads_back_to_the_same_text() {
        let page = "<html lang=\"en\"><head><title>Foot care</title></head><body><article><h1>Foot care</h1>\
            <p>Check your feet <strong>every day </strong>for cuts, blisters and *stars* or [brackets], because small wounds can turn into infections.</p>\
            <h2>Steps</h2><ol start=\"4\"><li>Look at <em>both</em> feet.<ul><li>Tops</li><li>Soles</li></ul></li><li>1. Not a list</li></ol>\
            <table><tr><th>What</th><th>Do | this</th></tr><tr><td>Cut</td><td>Call</td></tr></table>\
            <blockquote><p>Quoted # words.</p></blockquote><p># not a heading<br>second line</p><pre>code `x`</pre></article></body></html>";
        let article = html::ingest(Path::new("a.html"), page.as_bytes(), &html::Options::default()).unwrap();
        let md = to_markdown(&article, Some("2026-12-02"));
        let back = crate::ingest::ingest_bytes(Path::new("a.md"), md.as_bytes()).unwrap();
        assert_eq!(back.meta.title, "Foot care");
        assert_eq!(back.meta.retrieved.as_deref(), Some("2026-12-02"));
        let strip = |a: &Article| {
            let mut texts = Vec::new();
            crate::model::for_each_inlines(&a.blocks, 0, &mut |i, _| texts.push(plain_text(i)));
            texts
        };
        assert_eq!(strip(&back), strip(&article), "{md}");
        let kinds = |a: &Article| a.blocks.iter().map(std::mem::discriminant).collect::<Vec<_>>();
        assert_eq!(kinds(&back), kinds(&article), "{md}");
    }

    #[test]
    fn front_matter_is_quoted() {
        let article = Article {
            schema: crate::model::SCHEMA_VERSION,
            id: "x".into(),
            source: "x".into(),
            meta: Meta { title: "Yes: \"no\" #1".into(), lang: "en".into(), ..Meta::default() },
            blocks: vec![Block::Paragraph { content: vec![Inline::text("Body text.")], line: 1 }],
            removed: vec![],
            stats: None,
            warnings: vec![],
        };
        let md = to_markdown(&article, None);
        let back = crate::ingest::ingest_bytes(Path::new("x.md"), md.as_bytes()).unwrap();
        assert_eq!(back.meta.title, "Yes: \"no\" #1");
    }
}
