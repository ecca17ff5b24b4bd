//! Word documents (`.docx`): the package's parts → an [`Article`].
//!
//! Why a reader of our own rather than a crate: the Rust `.docx` crates are writers
//! first (`docx-rs`'s reader returns its writer's model, with no outline levels, no
//! numbering resolved into nested lists and no tracked changes kept apart), while the
//! structure a handout needs is small: paragraphs, their style and numbering, runs,
//! tables, pictures. This is `zip` (already a dependency) and `roxmltree` (already
//! built for typst's SVG) and about a thousand lines.
//!
//! - `crate::docx_package`: the zip, read with limits, and what a file is when it is not
//!   a `.docx` (outside this module, as the picture store reads pictures through it);
//! - `styles`: what a style or a list level makes a paragraph;
//! - `body`: paragraphs and tables → items; `structure`: items → blocks;
//! - this file: notes, headers, footers, comments and properties, and the front matter.
//!
//! What Word keeps around the text goes to `removed` with a reason: page headers and
//! footers (the form number), comments, hidden text, text deleted in tracked changes
//! and the table of contents. Footnotes are printed in brackets where they are cited.

mod body;
mod inlines;
mod structure;
mod styles;
mod xml;

use std::collections::HashMap;
use std::path::Path;

use super::{Body, FrontMatter};
use crate::docx_package::{self as package, Package, PackageProblem};
pub use crate::docx_package::{read_part, split_picture_src};
use crate::error::{Error, Result};
use crate::model::{Article, Removed, Warning};
use xml::{attr, local};

/// File extensions read by this module: `.docx`, and the formats it names to say
/// "save it as .docx" (`.doc`, `.odt`, `.rtf`).
pub const EXTENSIONS: &[&str] = &["docx", "doc", "odt", "rtf"];

/// What Word's document properties say, beyond the article.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Properties {
    /// `dcterms:modified`, `YYYY-MM-DD`: when someone last saved the file, which is
    /// information only and never a clinical review date.
    pub modified: Option<String>,
}

/// Reads a Word document into an article.
pub fn ingest(path: &Path, bytes: &[u8]) -> Result<Article> {
    Ok(ingest_with_properties(path, bytes)?.0)
}

/// Reads a Word document into an article, with the properties the article has no
/// place for.
pub fn ingest_with_properties(path: &Path, bytes: &[u8]) -> Result<(Article, Properties)> {
    let (front, body, properties) = parse(path, bytes)?;
    Ok((super::assemble(path, front, body)?, properties))
}

/// The document's front matter (from its properties), body and other properties.
pub fn parse(path: &Path, bytes: &[u8]) -> Result<(FrontMatter, Body, Properties)> {
    let problem = |problem: PackageProblem| Error::input(path, None, problem.to_string());
    let mut package = Package::open(bytes).map_err(problem)?;
    let file_name = path.file_name().and_then(|n| n.to_str()).unwrap_or("document.docx").to_string();
    let xml = |package: &mut Package, name: &str| package.text(name).map_err(problem);

    let main = package.main_document().map_err(problem)?;
    // Each part the main document names, else where Word puts it.
    let part_of = |package: &mut Package, kind: &str| -> Result<String> {
        let named = package.related_parts(&main, kind).map_err(problem)?;
        Ok(named.into_iter().next().unwrap_or_else(|| format!("word/{kind}.xml")))
    };
    let (styles_part, numbering_part) =
        (part_of(&mut package, "styles")?, part_of(&mut package, "numbering")?);
    let notes_parts =
        [(part_of(&mut package, "footnotes")?, true), (part_of(&mut package, "endnotes")?, false)];
    let comments_part = part_of(&mut package, "comments")?;
    let mut around_parts: Vec<(String, &str)> = Vec::new();
    for (kind, reason) in [("header", "page header in Word"), ("footer", "page footer in Word")] {
        for part in package.related_parts(&main, kind).map_err(problem)? {
            around_parts.push((part, reason));
        }
    }
    around_parts.push((comments_part, "comment in Word"));

    let styles_text = xml(&mut package, &styles_part)?.unwrap_or_default();
    let styles = match styles_text.is_empty() {
        true => styles::Styles::default(),
        false => styles::Styles::parse(&package::parse_xml(&styles_part, &styles_text).map_err(problem)?),
    };
    let numbering_text = xml(&mut package, &numbering_part)?.unwrap_or_default();
    let numbering = match numbering_text.is_empty() {
        true => styles::Numbering::default(),
        false => {
            styles::Numbering::parse(&package::parse_xml(&numbering_part, &numbering_text).map_err(problem)?)
        }
    };
    let relationships = package.relationships(&main).map_err(problem)?;
    let no_notes = HashMap::new();
    let no_relationships = HashMap::new();
    let context = |notes| body::Context {
        styles: &styles,
        numbering: &numbering,
        relationships: &relationships,
        notes,
        file_name: &file_name,
    };

    // Notes first: the body prints each where it is cited.
    let mut notes = HashMap::new();
    for (part, is_footnote) in notes_parts {
        let Some(text) = xml(&mut package, &part)? else { continue };
        let doc = package::parse_xml(&part, &text).map_err(problem)?;
        let mut reader = body::Reader::new(context(&no_notes));
        for note in doc.root_element().children().filter(|n| matches!(local(*n), "footnote" | "endnote")) {
            if attr(note, "type").is_some_and(|t| t != "normal") {
                continue;
            }
            let text = reader.texts(note).join(" ");
            if let (Some(id), false) = (attr(note, "id"), text.is_empty()) {
                notes.insert((is_footnote, id.to_string()), text);
            }
        }
    }

    let document_text = xml(&mut package, &main)?.ok_or_else(|| problem(PackageProblem::NoDocument))?;
    let document = package::parse_xml(&main, &document_text).map_err(problem)?;
    let mut reader = body::Reader::new(context(&notes));
    let items = match document.root_element().children().find(|n| local(*n) == "body") {
        Some(body) => reader.blocks(body),
        None => Vec::new(),
    };
    let structure = structure::build(items, &numbering);
    let mut removed = std::mem::take(&mut reader.removed);
    let mut warnings = std::mem::take(&mut reader.warnings);
    if reader.insertions + reader.deletions > 0 {
        warnings.insert(
            0,
            Warning::general(format!(
                "the document has changes nobody accepted yet (tracked changes: {} insertions, {} deletions): \
                 insertions are printed, deletions left out; accept or reject them in Word (Review > Accept)",
                reader.insertions, reader.deletions
            )),
        );
    }
    let languages = std::mem::take(&mut reader.languages);

    // Around the text: headers, footers and comments, each to `removed` once.
    let mut around =
        body::Reader::new(body::Context { relationships: &no_relationships, ..context(&no_notes) });
    let mut seen = std::collections::HashSet::new();
    for (part, reason) in around_parts {
        // Nothing of these is printed: a damaged one is a warning, as its words cannot
        // be listed in `removed`.
        let parsed = package.text(&part).and_then(|text| {
            let text = text.unwrap_or_default();
            package::parse_xml(&part, &text).map(|doc| around.texts(doc.root_element()))
        });
        let texts = match parsed {
            Ok(texts) => texts,
            Err(damaged) => {
                warnings.push(Warning::general(format!("{damaged}; its text is not printed and not listed")));
                continue;
            }
        };
        for text in texts {
            if seen.insert((reason, text.clone())) {
                removed.push(Removed { reason: reason.to_string(), line: 1, text });
            }
        }
    }

    // The properties only fill in front matter: a damaged part costs them, not the text.
    let core = read_core(&mut package).unwrap_or_else(|damaged| {
        warnings.push(Warning::general(format!(
            "{damaged}; the document's title and author are not read from it"
        )));
        Core::default()
    });
    if structure.blocks.is_empty() && structure.title.is_none() {
        return Err(Error::input(
            path,
            None,
            "the document has no text; write the handout in it and save it again",
        ));
    }
    let title = structure.title.as_deref().map(crate::model::plain_text);
    let front = FrontMatter {
        title: if title.is_some() { None } else { core.title.clone() },
        author: core.author.clone(),
        lang: language(&languages, styles.lang.as_deref(), &structure.blocks, &mut warnings),
        ..FrontMatter::default()
    };
    let body = Body { title, blocks: structure.blocks, removed, warnings };
    Ok((front, body, Properties { modified: core.modified }))
}

/// `docProps/core.xml`.
#[derive(Default)]
struct Core {
    title: Option<String>,
    author: Option<String>,
    modified: Option<String>,
}

fn read_core(package: &mut Package) -> std::result::Result<Core, PackageProblem> {
    let Some(text) = package.text("docProps/core.xml")? else { return Ok(Core::default()) };
    let doc = package::parse_xml("docProps/core.xml", &text)?;
    let field = |name: &str| {
        doc.root_element()
            .children()
            .find(|n| local(*n) == name)
            .and_then(|n| n.text())
            .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|t| !t.is_empty())
    };
    // Word fills the author from the computer's account: these say nothing about who
    // wrote the handout.
    let author = field("creator").filter(|name| {
        let name = name.to_lowercase();
        !["windows user", "microsoft office user", "user", "admin", "administrator", "python-docx"]
            .contains(&name.as_str())
            && name.chars().any(char::is_alphabetic)
    });
    let modified = field("modified").and_then(|date| {
        let day = date.get(..10)?;
        crate::validate::date(day).is_ok().then(|| day.to_string())
    });
    Ok(Core { title: field("title"), author, modified })
}

/// The article's language: what Word marks most of the text as (or the document's
/// default), unless the text plainly reads as another language. Word marks text with
/// the language of the computer it was typed on, so a Spanish handout typed on an
/// English Windows says `en-US` throughout.
fn language(
    runs: &HashMap<String, usize>,
    default: Option<&str>,
    blocks: &[crate::model::Block],
    warnings: &mut Vec<Warning>,
) -> Option<String> {
    let mut marked: Vec<(&String, &usize)> = runs.iter().collect();
    marked.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    let word = marked.first().map(|(tag, _)| tag.as_str()).or(default)?;
    let primary = word.split(['-', '_']).next().unwrap_or(word).to_ascii_lowercase();
    let word = crate::validate::language_tag(&primary).ok()?;
    if let (super::lang::Detected::Sure(read), _) = super::lang::detect(blocks)
        && read != word
    {
        warnings.push(Warning::general(format!(
            "Word marks the text as \"{word}\" but it reads as \"{read}\"; using \"{read}\" \
             (set the language in Word: Review > Language)"
        )));
        return Some(read);
    }
    Some(word)
}

#[cfg(test)]
mod tests;
