//! Page layout, checked on real PDFs: every shipped article, the pasted web pages of
//! `tests/web/` and `tests/html/`, the short handouts of `tests/fixtures/short` and
//! generated articles that end at every height of a page (`articles.rs`), each on
//! Letter and A4, regular and large print, typeset once for all the checks (`matrix`).
//! The text of each page is extracted back out of the PDF; a page that holds only the
//! closing parts (questions box, call line, web address, disclaimer), that ends in a
//! heading, or that is left more than a third blank before its time fails.

#[path = "layout/articles.rs"]
mod articles;
mod common;
#[path = "layout/space.rs"]
mod space;
#[path = "layout/structure.rs"]
mod structure;

use std::path::Path;
use std::sync::OnceLock;

use rayon::prelude::*;

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

fn check(config: &Config, article: &Article, set: &Typeset) -> Checked {
    let (pdf, variant) = (&set.pdf, set.variant);
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

/// Drops "Page 2 of 3", "Página 2 de 3", "Page 2 sur 3" and "Seite 2 von 3" (labels.toml).
fn regex_lite_page_number() -> impl Fn(&str) -> String {
    |text: &str| {
        let words: Vec<&str> = text.split_whitespace().collect();
        let mut out = Vec::new();
        let mut i = 0;
        while i < words.len() {
            let is_number = |w: &str| w.chars().all(|c| c.is_ascii_digit()) && !w.is_empty();
            if i + 3 < words.len()
                && ["Page", "Página", "Seite"].contains(&words[i])
                && is_number(words[i + 1])
                && ["of", "de", "sur", "von"].contains(&words[i + 2])
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

/// One handout of the matrix.
struct Typeset {
    article: usize,
    paper: Paper,
    variant: Variant,
    pdf: handouts::typeset::Pdf,
}

/// Every article of [`articles`] typeset on Letter and A4, regular and large print, once
/// for every test here, in parallel.
fn matrix() -> &'static (Vec<Article>, Vec<Typeset>) {
    static MATRIX: OnceLock<(Vec<Article>, Vec<Typeset>)> = OnceLock::new();
    MATRIX.get_or_init(|| {
        let articles = articles::articles();
        let papers = [Paper::UsLetter, Paper::A4];
        let typesetters: Vec<Typesetter> =
            papers.iter().map(|&paper| Typesetter::new(&config(paper)).expect("typesetter loads")).collect();
        let jobs: Vec<(usize, usize, Variant)> = (0..articles.len())
            .flat_map(|a| {
                (0..papers.len()).flat_map(move |p| [(a, p, Variant::Regular), (a, p, Variant::LargePrint)])
            })
            .collect();
        let sets = pool().install(|| {
            jobs.into_par_iter()
                .map(|(article, paper, variant)| Typeset {
                    article,
                    paper: papers[paper],
                    variant,
                    pdf: typesetters[paper].typeset_pdf(&articles[article], variant).expect("typesets"),
                })
                .collect()
        });
        (articles, sets)
    })
}

/// Threads with room for typst's deep layout in a debug build (a test thread's 2 MiB
/// overflows), one per core.
fn pool() -> &'static rayon::ThreadPool {
    static POOL: OnceLock<rayon::ThreadPool> = OnceLock::new();
    POOL.get_or_init(|| {
        rayon::ThreadPoolBuilder::new().stack_size(64 << 20).build().expect("thread pool starts")
    })
}

#[test]
fn no_page_holds_only_closing_parts_and_no_page_ends_in_a_heading() {
    let (articles, sets) = matrix();
    let configs = [config(Paper::UsLetter), config(Paper::A4)];
    let checked: Vec<Checked> = pool().install(|| {
        sets.par_iter()
            .map(|set| {
                check(&configs[usize::from(set.paper != Paper::UsLetter)], &articles[set.article], set)
            })
            .collect()
    });
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

/// A page (not the last) with more than this share of its body blank below its last line
/// ends early (issue 24).
const MOST_BLANK: f64 = 1.0 / 3.0;

/// What [`space`] found on one handout.
struct Space {
    name: String,
    paper: Paper,
    variant: Variant,
    /// Blank share of each page's body.
    blank: Vec<f64>,
    /// Pages (0-based) more than [`MOST_BLANK`] blank that are not the last, with the
    /// part that must not split that caused it, or else what the next page starts with.
    early: Vec<(usize, Result<String, String>)>,
    outside: Vec<String>,
    short_headings: Vec<(usize, String)>,
}

fn measure_space(article: &Article, set: &Typeset, labels: &handouts::labels::LabelTable) -> Space {
    let large = set.variant == Variant::LargePrint;
    let pages = space::read_pages(&set.pdf.bytes);
    let lines = space::body_lines(&pages, large);
    let blank = space::blank_below(&pages, &lines, large);
    let units = space::units(article, &handouts::labels::action_sections(article, labels));
    let per_line = space::units_per_line(&units, &lines);
    let early = (0..pages.len().saturating_sub(1))
        .filter(|&page| blank[page] > MOST_BLANK)
        .map(|page| {
            let cause = space::must_not_split(&units, &per_line, page);
            (page, cause.ok_or_else(|| space::starts_with(&units, &per_line, page + 1)))
        })
        .collect();
    Space {
        name: Path::new(&article.source)
            .file_name()
            .map_or(article.id.clone(), |f| f.to_string_lossy().into_owned()),
        paper: set.paper,
        variant: set.variant,
        blank,
        early,
        outside: space::words_outside(&pages, large),
        short_headings: if large {
            space::headings_short_of_two_lines(&units, &per_line)
        } else {
            Vec::new()
        },
    }
}

#[test]
fn no_page_but_the_last_is_a_third_blank_and_no_word_leaves_its_margins() {
    let started = std::time::Instant::now();
    let (articles, sets) = matrix();
    let typeset = started.elapsed();
    let labels =
        handouts::labels::LabelTable::load(config(Paper::UsLetter).template_dir()).expect("labels load");
    let measured: Vec<Space> = pool()
        .install(|| sets.par_iter().map(|set| measure_space(&articles[set.article], set, &labels)).collect());
    println!("{:<48} {:<9} {:<7}  blank share per page; what ends a page early", "handout", "paper", "print");
    for space in &measured {
        let blank: Vec<String> = space.blank.iter().map(|b| format!("{b:.2}")).collect();
        let mut notes: Vec<String> = space
            .early
            .iter()
            .map(|(page, cause)| match cause {
                Ok(cause) => format!("page {} early for {cause}", page + 1),
                Err(next) => format!("PAGE {} EARLY: the next starts with {next}", page + 1),
            })
            .collect();
        notes.extend(
            space.short_headings.iter().map(|(page, h)| format!("page {}: {h:?} keeps < 2 lines", page + 1)),
        );
        notes.extend(space.outside.iter().map(|w| format!("outside: {w}")));
        println!(
            "{:<48} {:<9} {:<7}  {}  {}",
            space.name,
            space.paper.typst_name(),
            if space.variant == Variant::Regular { "regular" } else { "large" },
            blank.join(" "),
            notes.join("; ")
        );
    }
    let count = |f: &dyn Fn(&Space) -> usize| measured.iter().map(f).sum::<usize>();
    let pages = count(&|s| s.blank.len());
    let early = count(&|s| s.early.len());
    let unexplained = count(&|s| s.early.iter().filter(|(_, cause)| cause.is_err()).count());
    let outside = count(&|s| s.outside.len());
    let short = count(&|s| s.short_headings.len());
    println!(
        "{} PDFs, {pages} pages: {early} pages before the last more than a third blank ({unexplained} not \
         explained by a part that must not split), {short} large-print headings with fewer than two lines, \
         {outside} words outside the margins; typeset in {:.1} s, measured in {:.1} s",
        measured.len(),
        typeset.as_secs_f64(),
        (started.elapsed() - typeset).as_secs_f64()
    );
    assert_eq!(unexplained, 0, "pages that end early: see PAGE … EARLY in the table above");
    assert_eq!(short, 0, "large-print headings kept with fewer than two lines: see the table above");
    assert_eq!(outside, 0, "words outside the margins: see the table above");
}

/// Fewest sheets first (issue 24): a short handout (under 250 words) with a "when to
/// call" box is set on one sheet in regular print, with the shipped brand's closing
/// parts (questions box, QR code, website and disclaimer), on Letter and A4.
#[test]
fn short_handouts_with_a_call_box_fit_one_sheet() {
    let (articles, sets) = matrix();
    let labels =
        handouts::labels::LabelTable::load(config(Paper::UsLetter).template_dir()).expect("labels load");
    let mut short = Vec::new();
    for set in sets.iter().filter(|set| set.variant == Variant::Regular) {
        let article = &articles[set.article];
        let words = common::article_words(article).len();
        if words >= 250 || handouts::labels::action_sections(article, &labels).is_empty() {
            continue;
        }
        println!(
            "{:<40} {:<9} {words:>4} words  {} pages",
            article.id,
            set.paper.typst_name(),
            set.pdf.pages
        );
        short.push((article.id.clone(), set.pdf.pages));
    }
    assert!(short.iter().any(|(id, _)| id == "your-flu-shot"), "the flu sheet is among them");
    let long: Vec<_> = short.iter().filter(|(_, pages)| *pages > 1).collect();
    assert!(long.is_empty(), "short handouts on more than one sheet: {long:?}");
}

#[test]
fn the_title_is_the_one_top_heading_and_sections_nest_under_it() {
    let config = config(Paper::UsLetter);
    let typesetter = Typesetter::new(&config).expect("typesetter loads");
    let mut checked = 0;
    for path in handouts::ingest::discover(Path::new("content")).expect("content lists") {
        let article = handouts::ingest::ingest_file(&path).expect("article ingests");
        for variant in [Variant::Regular, Variant::LargePrint] {
            let pdf = typesetter.typeset_pdf(&article, variant).expect("typesets");
            let headings: Vec<(u32, Option<String>)> = structure::structure(&pdf.bytes)
                .into_iter()
                .filter_map(|(kind, title)| {
                    let level = kind.strip_prefix('H')?.parse::<u32>().ok()?;
                    Some((level, title))
                })
                .collect();
            assert!(headings.len() >= 2, "{}: headings {headings:?}", article.id);
            println!("{} {variant:?}: {headings:?}", article.id);
            let (first_level, first_title) = &headings[0];
            assert_eq!(*first_level, 1, "{}: the first heading is the title: {headings:?}", article.id);
            assert_eq!(first_title.as_deref(), Some(article.meta.title.as_str()), "{}", article.id);
            let mut last = 1;
            for (level, title) in &headings[1..] {
                assert!((2..=4).contains(level), "{}: {title:?} is H{level}: {headings:?}", article.id);
                assert!(*level <= last + 1, "{}: {title:?} skips from H{last} to H{level}", article.id);
                last = *level;
            }
            checked += 1;
        }
    }
    assert!(checked >= 8, "every shipped article in both prints: {checked}");
}

#[test]
fn each_box_is_one_group_with_its_heading() {
    let config = config(Paper::UsLetter);
    let typesetter = Typesetter::new(&config).expect("typesets");
    let article =
        handouts::ingest::ingest_file(Path::new("content/diabetes-foot-check.md")).expect("article ingests");
    for variant in [Variant::Regular, Variant::LargePrint] {
        let pdf = typesetter.typeset_pdf(&article, variant).expect("typesets");
        let tree = structure::structure_tree(&pdf.bytes);
        let parent = |heading: &str| {
            tree.iter().find(|(_, title, _)| title.as_deref() == Some(heading)).map(|(_, _, p)| p.as_str())
        };
        for boxed in ["Key points", "When should I call my care team?"] {
            assert_eq!(parent(boxed), Some("Div"), "{variant:?}: {boxed:?} is not grouped with its box");
        }
        // The box's content is in the same group: the paragraph after the heading.
        let at = tree.iter().position(|(_, title, _)| title.as_deref() == Some("Key points")).unwrap();
        assert_eq!((tree[at + 1].0.as_str(), tree[at + 1].2.as_str()), ("P", "Div"), "{variant:?}");
        // Section headings outside boxes stay directly under the document.
        assert_eq!(parent("How to check your feet"), Some("Document"), "{variant:?}");
    }
}

fn eating_article(parts: usize, sentences: usize, max_pages: usize) -> Article {
    let mut text = format!("---\ntitle: Eating well during treatment\nmax-pages: {max_pages}\n---\n");
    for i in 0..parts {
        // Long parts, so a few of them pass the words up to which any handout is tried
        // on fewer pages.
        let sentence = "Small meals every few hours are easier than three big ones. Keep snacks \
             you like close by, and drink between meals rather than with them. ";
        text.push_str(&format!("## Part {i}\n\n{}\n\n", sentence.repeat(sentences)));
    }
    handouts::ingest::ingest_bytes(Path::new("eating.md"), text.as_bytes()).expect("ingests")
}

#[test]
fn max_pages_tightens_a_handout_onto_one_page_or_leaves_it_longer() {
    let config = config(Paper::UsLetter);
    let typesetter = Typesetter::new(&config).expect("typesetter loads");
    // An article the layout sets on two pages even after the tightening every short
    // handout may get (down to 11.5 pt, see a_short_handout_fits_one_sheet in
    // print_fit.rs), which max-pages 1 tightens further, onto one page.
    let (article, fitted, designed) = (3..7)
        .flat_map(|parts| (2..5).map(move |sentences| (parts, sentences)))
        .find_map(|(parts, sentences)| {
            let article = eating_article(parts, sentences, 1);
            let mut unlimited = article.clone();
            unlimited.meta.max_pages = None;
            let designed = typesetter.typeset_pdf(&unlimited, Variant::Regular).expect("typesets");
            let fitted = typesetter.typeset_pdf(&article, Variant::Regular).expect("typesets");
            if designed.pages != 2 {
                return None;
            }
            (fitted.pages == 1).then_some((article, fitted, designed))
        })
        .expect("an article that needs a second page as designed fits one with max-pages 1");
    assert_eq!(article.meta.max_pages, Some(1));
    assert_eq!(fitted.pages, 1, "tightened onto one page");
    let (fitted_size, designed_size) =
        (common::pdf_body_font_size(&fitted.bytes), common::pdf_body_font_size(&designed.bytes));
    assert!((11.0..=designed_size).contains(&fitted_size), "{fitted_size} pt vs {designed_size} pt");
    // Too long for one page even at 11 pt: it keeps its pages (the build's table marks it).
    let long = typesetter.typeset_pdf(&eating_article(9, 3, 1), Variant::Regular).expect("typesets");
    assert!(long.pages > 1);
    // Large print never shrinks: it keeps 18 pt and takes the pages it needs.
    let large = typesetter.typeset_pdf(&article, Variant::LargePrint).expect("typesets");
    assert!(large.pages > 1);
    assert!(common::pdf_body_font_size(&large.bytes) >= 18.0);
}

#[test]
fn large_print_is_16_pt_or_more_everywhere() {
    let config = config(Paper::UsLetter);
    let typesetter = Typesetter::new(&config).expect("typesetter loads");
    // A long link becomes a footnote, whose number is a superscript.
    let footnoted = handouts::ingest::ingest_bytes(
        Path::new("footnoted.md"),
        b"# Foot care\n\nRead [the foot care guide](https://example.org/guides/feet/daily-checks-for-people-with-diabetes) \
          every week.\n",
    )
    .expect("ingests");
    let shipped = handouts::ingest::discover(Path::new("content")).expect("content lists");
    let articles = shipped.iter().map(|path| handouts::ingest::ingest_file(path).expect("article ingests"));
    for article in articles.chain([footnoted]) {
        let large = typesetter.typeset_pdf(&article, Variant::LargePrint).expect("typesets");
        let sizes = common::pdf_font_sizes(&large.bytes);
        let smallest = sizes.first().copied().unwrap_or(0);
        assert!(smallest >= 160, "{}: text at {} pt in large print", article.id, smallest as f64 / 10.0);
    }
}

#[test]
fn links_print_their_address_on_paper() {
    let text = "# Heart health\n\nRead more from the [American Heart Association](https://www.heart.org/en/health-topics/heart-failure/what-is-heart-failure) \
                or the [stroke page](https://heart.org/stroke/). Our site is [example.org/care](https://example.org/care).\n";
    let article = handouts::ingest::ingest_bytes(Path::new("links.md"), text.as_bytes()).expect("ingests");
    let config = config(Paper::UsLetter);
    let typesetter = Typesetter::new(&config).expect("typesetter loads");
    let pdf = typesetter.typeset_pdf(&article, Variant::Regular).expect("typesets");
    let text = common::pdf_text(&pdf.bytes).replace("( ", "(").replace(" )", ")");
    // A short address follows the text; a long one is a footnote at the foot of the page.
    assert!(text.contains("stroke page (heart.org/stroke)"), "{text}");
    // It keeps "www." (some sites answer only with it); it may break after a "/" or "-",
    // where a text extractor may see a gap.
    let joined: String = text.split_whitespace().collect();
    assert!(joined.contains("www.heart.org/en/health-topics/heart-failure/what-is-heart-failure"), "{text}");
    // Text that already is the address gets nothing more.
    assert_eq!(text.matches("example.org/care").count(), 1, "{text}");
}
