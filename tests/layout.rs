//! Page layout, checked on real PDFs: every shipped article, the pasted web pages of
//! `tests/web/`, and generated articles that end at every height of a page, each on
//! Letter and A4, regular and large print. The text of each page is extracted back out of
//! the PDF; a page that holds only the closing parts (questions box, call line, web
//! address, disclaimer) or that ends in a heading fails.

mod common;

use std::path::{Path, PathBuf};

use handouts::config::{Config, Paper};
use handouts::model::{Article, Block, plain_text};
use handouts::typeset::{Typesetter, Variant};

/// What one handout's pages look like.
struct Checked {
    name: String,
    paper: Paper,
    variant: Variant,
    pages: usize,
    /// Pages (1-based) that hold nothing of the article but the closing parts.
    closing_only: Vec<usize>,
    /// Pages (1-based) whose last line of body text is a heading, and that heading.
    heading_last: Vec<(usize, String)>,
}

fn config(paper: Paper) -> Config {
    let mut config = common::repo_config(Path::new("content"), Path::new("out"));
    config.handout.paper = paper;
    config
}

/// Texts printed on every page or in the closing parts, never the article's own words.
fn furniture(config: &Config, article: &Article) -> Vec<String> {
    let labels = handouts::labels::LabelTable::load(config.template_dir()).expect("labels load");
    let labels = labels.for_lang(&article.meta.lang);
    let phone = config.brand.phone.clone().unwrap_or_default();
    let mut texts = vec![
        article.meta.title.clone(),
        config.brand.name.clone(),
        format!("{} {phone}", labels.text("call")),
        format!("{} {phone}", labels.text("call-us")),
        labels.text("questions").to_string(),
        labels.text("website").to_string(),
        labels.text("online").to_string(),
        labels.text("reviewed").to_string(),
        article.id.clone(),
        phone,
    ];
    texts.extend(config.brand.website.clone());
    texts.extend(article.meta.url.clone());
    texts.extend(article.meta.reviewed.clone());
    if let Some(disclaimer) = &config.brand.disclaimer {
        texts.extend(disclaimer.for_lang(&article.meta.lang).0.map(str::to_string));
    }
    // Longest first, so a title that contains the brand name goes as a whole.
    texts.retain(|t| !t.trim().is_empty());
    texts.sort_by_key(|t| std::cmp::Reverse(t.len()));
    texts.iter().map(|t| common::collapse_whitespace(t)).collect()
}

fn headings(blocks: &[Block], out: &mut Vec<String>) {
    for block in blocks {
        match block {
            Block::Heading { content, .. } => out.push(common::collapse_whitespace(&plain_text(content))),
            Block::List { items, .. } => items.iter().for_each(|item| headings(item, out)),
            Block::Quote { blocks, .. } => headings(blocks, out),
            _ => {}
        }
    }
}

fn check(typesetter: &Typesetter, config: &Config, article: &Article, variant: Variant) -> Checked {
    let pdf = typesetter.typeset_pdf(article, variant).expect("typesets");
    let pages = pdf_extract::extract_text_from_mem_by_pages(&pdf.bytes).expect("PDF text extracts");
    let furniture = furniture(config, article);
    let mut heads = Vec::new();
    headings(&article.blocks, &mut heads);
    let page_number = regex_lite_page_number();
    let mut closing_only = Vec::new();
    let mut heading_last = Vec::new();
    for (i, text) in pages.iter().enumerate() {
        let mut rest = common::collapse_whitespace(text);
        for text in &furniture {
            rest = rest.replace(text.as_str(), " ");
        }
        let rest = page_number(&rest);
        let words: Vec<&str> =
            rest.split_whitespace().filter(|w| w.chars().any(char::is_alphanumeric)).collect();
        if words.len() < 3 {
            closing_only.push(i + 1);
        }
        // The body ends where the footer starts: the footer's first text is the call line.
        let page = common::collapse_whitespace(text);
        let body = page.rsplit_once(&furniture_call(config, article)).map_or(page.as_str(), |(body, _)| body);
        let body = body.trim_end();
        for heading in &heads {
            if !heading.is_empty() && body.ends_with(heading.as_str()) && i + 1 < pages.len() {
                heading_last.push((i + 1, heading.clone()));
            }
        }
    }
    Checked {
        name: article.id.clone(),
        paper: config.handout.paper,
        variant,
        pages: pdf.pages,
        closing_only,
        heading_last,
    }
}

fn furniture_call(config: &Config, article: &Article) -> String {
    let labels = handouts::labels::LabelTable::load(config.template_dir()).expect("labels load");
    let labels = labels.for_lang(&article.meta.lang);
    common::collapse_whitespace(&format!(
        "{} {}",
        labels.text("call"),
        config.brand.phone.clone().unwrap_or_default()
    ))
}

/// Drops "Page 2 of 3" and "Página 2 de 3".
fn regex_lite_page_number() -> impl Fn(&str) -> String {
    |text: &str| {
        let words: Vec<&str> = text.split_whitespace().collect();
        let mut out = Vec::new();
        let mut i = 0;
        while i < words.len() {
            let is_number = |w: &str| w.chars().all(|c| c.is_ascii_digit()) && !w.is_empty();
            if i + 3 < words.len()
                && ["Page", "Página"].contains(&words[i])
                && is_number(words[i + 1])
                && ["of", "de"].contains(&words[i + 2])
                && is_number(words[i + 3])
            {
                i += 4;
                continue;
            }
            out.push(words[i]);
            i += 1;
        }
        out.join(" ")
    }
}

/// Articles that end at every height of a page: `filler` short paragraphs, then a
/// section with a heading, a lead-in and a list, then a last paragraph.
fn generated(filler: usize, list_items: usize) -> Article {
    let mut text = String::from("# Caring for your skin during treatment\n\n");
    for i in 0..filler {
        text.push_str(&format!(
            "Paragraph {i} tells you one thing about skin care. Use a mild soap and pat your skin dry.\n\n"
        ));
    }
    text.push_str("## Things that help\n\nFor example:\n\n");
    for i in 0..list_items {
        text.push_str(&format!("- Item {i}: drink water and use lotion twice a day\n"));
    }
    text.push_str("\nAsk your nurse which lotion is right for you.\n");
    let path = PathBuf::from(format!("generated-{filler:02}-{list_items:02}.md"));
    handouts::ingest::ingest_bytes(&path, text.as_bytes()).expect("generated article ingests")
}

fn articles() -> Vec<Article> {
    let mut articles = Vec::new();
    for dir in ["content", "tests/web"] {
        for path in handouts::ingest::discover(Path::new(dir)).expect("folder lists") {
            articles.push(handouts::ingest::ingest_file(&path).expect("article ingests"));
        }
    }
    for filler in 0..24 {
        articles.push(generated(filler, 3));
    }
    for items in [8, 14, 20] {
        articles.push(generated(6, items));
    }
    articles
}

#[test]
fn no_page_holds_only_closing_parts_and_no_page_ends_in_a_heading() {
    let articles = articles();
    let mut checked = Vec::new();
    for paper in [Paper::UsLetter, Paper::A4] {
        let config = config(paper);
        let typesetter = Typesetter::new(&config).expect("typesetter loads");
        for article in &articles {
            for variant in [Variant::Regular, Variant::LargePrint] {
                checked.push(check(&typesetter, &config, article, variant));
            }
        }
    }
    let orphans: Vec<&Checked> = checked.iter().filter(|c| !c.closing_only.is_empty()).collect();
    let heading_ends: Vec<&Checked> = checked.iter().filter(|c| !c.heading_last.is_empty()).collect();
    println!("{:<48} {:<9} {:<7} {:>5}  problems", "handout", "paper", "print", "pages");
    for c in &checked {
        let mut problems = Vec::new();
        if !c.closing_only.is_empty() {
            problems.push(format!("closing parts alone on page {:?}", c.closing_only));
        }
        for (page, heading) in &c.heading_last {
            problems.push(format!("page {page} ends in heading {heading:?}"));
        }
        println!(
            "{:<48} {:<9} {:<7} {:>5}  {}",
            c.name,
            c.paper.typst_name(),
            if c.variant == Variant::Regular { "regular" } else { "large" },
            c.pages,
            problems.join("; ")
        );
    }
    println!(
        "{} PDFs: {} end in a page of closing parts only, {} have a page ending in a heading",
        checked.len(),
        orphans.len(),
        heading_ends.len()
    );
    assert!(orphans.is_empty() && heading_ends.is_empty(), "layout problems: see the table above");
}
