//! The articles the layout tests typeset: every shipped article, the pastes of
//! `tests/web/` and `tests/html/`, the short handouts of `tests/fixtures/short`, and
//! generated ones that end at every height of a page.

use std::path::{Path, PathBuf};

use handouts::model::Article;

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

pub fn articles() -> Vec<Article> {
    let mut articles = Vec::new();
    for dir in ["content", "tests/web", "tests/html", "tests/fixtures/short"] {
        for path in handouts::ingest::discover(Path::new(dir)).expect("folder lists") {
            // tests/html holds each page's expected text beside it; READMEs describe a folder.
            let name = path.to_string_lossy();
            if name.ends_with(".expected.md") || name.ends_with("README.md") {
                continue;
            }
            articles.push(handouts::ingest::ingest_file(&path).expect("article ingests"));
        }
    }
    for filler in 0..24 {
        articles.push(generated(filler, 3));
    }
    for items in [8, 14, 20] {
        articles.push(generated(6, items));
    }
    for filler in (0..20).step_by(2) {
        articles.push(edge_case(filler, EdgeCase::Picture));
        articles.push(edge_case(filler, EdgeCase::CallBox));
        articles.push(edge_case(filler, EdgeCase::LongList));
    }
    articles.push(edge_case(10, EdgeCase::LongTitleAndAddress));
    articles
}

#[derive(Clone, Copy, Debug)]
enum EdgeCase {
    /// A heading, then a picture with its caption.
    Picture,
    /// A "when to call" box in the middle of the article.
    CallBox,
    /// A heading, then a numbered list of 12 long steps.
    LongList,
    /// A title too long for the running header, an address too long for a line.
    LongTitleAndAddress,
}

/// Articles with a part that must not split (or a heading with a long list) at every
/// height of a page: `filler` paragraphs come first.
fn edge_case(filler: usize, case: EdgeCase) -> Article {
    let mut text = match case {
        EdgeCase::LongTitleAndAddress => {
            "---\ntitle: \"What to expect during and after radiation therapy to the head \
             and neck, and how to look after your mouth and skin\"\nurl: \"https://www.example-health.org/\
             patient-education/radiation-therapy/head-and-neck/what-to-expect-during-and-after-treatment?\
             utm_source=newsletter&id=42\"\nreviewed: 2026-10-01\n---\n\n"
                .to_string()
        }
        _ => "# Looking after your feet\n\n".to_string(),
    };
    for i in 0..filler {
        text.push_str(&format!(
            "Paragraph {i}: check your feet every evening. Look for cuts, blisters, red spots and swelling, \
             and call us if one does not heal.\n\n"
        ));
    }
    match case {
        EdgeCase::Picture => text.push_str(
            "## How to check\n\n![A person checks the sole of their foot with a hand mirror]\
             (pictures/foot-check.svg \"Check both feet every day, including the soles.\")\n\n",
        ),
        EdgeCase::CallBox => text.push_str(
            "## When should I call my care team?\n\nCall us the same day if you have:\n\n\
             - a cut or blister that does not heal in two days\n- redness, warmth or swelling\n\
             - a fever with a sore foot\n- pain that keeps you awake\n\n",
        ),
        EdgeCase::LongList => {
            text.push_str("## Washing your feet\n\n");
            for step in 1..=12 {
                text.push_str(&format!(
                    "{step}. Step {step}: wash with warm water and mild soap, then dry well between the toes.\n"
                ));
            }
            text.push('\n');
        }
        EdgeCase::LongTitleAndAddress => {}
    }
    text.push_str("## Shoes and socks\n\nWear shoes that fit, and clean socks every day.\n");
    let path = PathBuf::from(format!("content/edge-{case:?}-{filler:02}.md").to_lowercase());
    handouts::ingest::ingest_bytes(&path, text.as_bytes()).expect("edge case ingests")
}
