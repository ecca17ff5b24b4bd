//! `handouts init`: a new handouts folder with the default configuration, template,
//! logo, word list and one example article, ready to `build`.

use std::path::Path;

use crate::error::{Error, Result};

const EXAMPLE_ARTICLE: &str = "\
---
title: \"Welcome to Your Handouts\"
summary: \"Put your articles in the content folder. Run handouts build. Print the PDFs.\"
lang: en
reviewed: 2026-01-01
---
This is an example article. Replace it with your own.

How do I add an article?

Save the text as a .txt file in the content folder. You can paste it straight from a web page. Markdown (.md) works too.

- A short first line becomes the title.
- Short lines without a period become headings.
- Lines that start with a dash become a list.

When should I call my care team?

Call if you have a fever, if you cannot keep fluids down, or if you are worried.
";

/// `handouts.toml` for a new folder: a general clinic, named after the folder unless
/// `--name` says otherwise. Kept apart from the repository's own handouts.toml, which
/// describes the sample articles, not a clinic starting out.
const CONFIG: &str = r##"# handouts configuration. Paths are relative to this file.

[brand]
name = "{name}"                           # printed in the header band; the EPUB's publisher
logo = "templates/logo.svg"               # SVG, PNG or JPEG; omit for no logo
primary-color = "#0B5394"                 # darkened automatically if white text on it would be hard to read
# phone = "(555) 010-0100"                # footer and "When should I call?" boxes
# website = "https://example.org"         # printed on the cover of the EPUB
disclaimer = "This handout does not replace advice from your care team."

[handout]
template = "templates/handout.typ"
paper = "us-letter"                       # or "a4"
large-print = false                       # true also writes out/pdf/<id>-large.pdf with 18 pt text
questions-box = true                      # end with "Questions for my care team" and lines to write on
max-grade = 8                             # `handouts check --strict` fails above this reading grade
# review-every = "2 years"                # `handouts check` lists handouts due for review, 2 years after `reviewed:`
# unreviewed-are-drafts = true            # an article without `reviewed:` stays a draft: marked, off the site and the EPUB

[collection]                              # the EPUB holding every article
title = "{title}"
language = "en"

[site]                                    # out/site/: a page per handout and a searchable catalogue
enabled = true
# base-url = "https://example.org/handouts"  # where out/site/ is published: QR codes of articles without a url open their page
"##;

/// Files written by `init`, relative to the new folder (handouts.toml apart).
const FILES: &[(&str, &str)] = &[
    ("templates/handout.typ", include_str!("../templates/handout.typ")),
    ("templates/labels.toml", include_str!("../templates/labels.toml")),
    ("templates/logo.svg", include_str!("../templates/logo.svg")),
    ("templates/plain-language.toml", include_str!("../templates/plain-language.toml")),
    ("templates/site/base.html", include_str!("../templates/site/base.html")),
    ("templates/site/handout.html", include_str!("../templates/site/handout.html")),
    ("templates/site/index.html", include_str!("../templates/site/index.html")),
    ("templates/site/site.css", include_str!("../templates/site/site.css")),
    ("templates/site/search.js", include_str!("../templates/site/search.js")),
    ("templates/site/print-form.html", include_str!("../templates/site/print-form.html")),
    ("content/welcome.txt", EXAMPLE_ARTICLE),
];

/// "my-clinic" → "My Clinic".
fn name_from_folder(dir: &Path) -> String {
    let folder = std::fs::canonicalize(dir)
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .or_else(|| dir.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_default();
    let words: Vec<String> = folder
        .split(['-', '_', ' ', '.'])
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut chars = w.chars();
            chars.next().map(|c| c.to_uppercase().collect::<String>() + chars.as_str()).unwrap_or_default()
        })
        .collect();
    if words.is_empty() { "Our Clinic".to_string() } else { words.join(" ") }
}

/// A TOML basic string's content: quotes and backslashes escaped.
fn toml_text(text: &str) -> String {
    text.replace('\\', "\\\\").replace('"', "\\\"")
}

/// `text` with XML's special characters escaped.
fn xml_text(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// Writes the scaffold into `dir`, never overwriting a file that exists. The clinic's
/// name is `name`, else taken from the folder's name.
pub fn init(dir: &Path, name: Option<&str>) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(|e| Error::write(dir, e))?;
    let name = name.map(str::to_string).unwrap_or_else(|| name_from_folder(dir));
    let config = CONFIG
        .replace("{name}", &toml_text(&name))
        .replace("{title}", &toml_text(&format!("{name} Patient Handouts")));
    // The starter logo names the clinic (its <title> is what a screen reader says).
    let logo = include_str!("../templates/logo.svg")
        .replace("<title>Riverside Cancer Center</title>", &format!("<title>{}</title>", xml_text(&name)));
    // A folder that has articles already gets no example: it would be published to
    // patients beside them.
    let has_articles = crate::ingest::discover(&dir.join("content")).is_ok_and(|found| !found.is_empty());
    let files = std::iter::once(("handouts.toml", config.as_str())).chain(FILES.iter().copied());
    for (relative, text) in files {
        let path = dir.join(relative);
        if path.exists() {
            eprintln!("kept     {} (already exists)", path.display());
            continue;
        }
        if relative == "content/welcome.txt" && has_articles {
            eprintln!("skipped  {} (content/ has articles already)", path.display());
            continue;
        }
        let text = if relative == "templates/logo.svg" { logo.as_str() } else { text };
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::write(parent, e))?;
        }
        std::fs::write(&path, text).map_err(|e| Error::write(&path, e))?;
        eprintln!("created  {}", path.display());
    }
    eprintln!("\nNext: cd {} && handouts build", dir.display());
    Ok(())
}
