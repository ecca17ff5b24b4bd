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

/// Files written by `init`, relative to the new folder.
const FILES: &[(&str, &str)] = &[
    ("handouts.toml", include_str!("../handouts.toml")),
    ("templates/handout.typ", include_str!("../templates/handout.typ")),
    ("templates/logo.svg", include_str!("../templates/logo.svg")),
    ("templates/plain-language.toml", include_str!("../templates/plain-language.toml")),
    ("content/welcome.txt", EXAMPLE_ARTICLE),
];

/// Writes the scaffold into `dir`, never overwriting a file that exists.
pub fn init(dir: &Path) -> Result<()> {
    for (relative, text) in FILES {
        let path = dir.join(relative);
        if path.exists() {
            eprintln!("kept     {} (already exists)", path.display());
            continue;
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        std::fs::write(&path, text).map_err(|e| Error::io(&path, e))?;
        eprintln!("created  {}", path.display());
    }
    eprintln!("\nNext: cd {} && handouts build", dir.display());
    Ok(())
}
