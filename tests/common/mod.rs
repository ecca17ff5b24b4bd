//! Helpers shared by the integration tests.
#![allow(dead_code)]

pub mod desk;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use handouts::config::{Config, ConfigFile};
use handouts::model::{Article, Block, plain_text};

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The repository's own handouts.toml, with `content` and `out` set.
pub fn repo_config(content: &Path, out: &Path) -> Config {
    let config_path = root().join("handouts.toml");
    ConfigFile::load(&config_path).expect("handouts.toml parses").resolve(
        &config_path,
        content.to_path_buf(),
        out.to_path_buf(),
        None,
    )
}

/// The text of a PDF, extracted back out of it, with whitespace collapsed.
pub fn pdf_text(pdf: &[u8]) -> String {
    let text = pdf_extract::extract_text_from_mem(pdf).expect("PDF text extracts");
    collapse_whitespace(&text)
}

pub fn collapse_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// BaseFont names of every font in a PDF.
pub fn pdf_fonts(pdf: &[u8]) -> Vec<String> {
    let document = lopdf::Document::load_mem(pdf).expect("PDF parses");
    let mut fonts: Vec<String> = document
        .objects
        .values()
        .filter_map(|object| object.as_dict().ok())
        .filter(|dict| dict.get(b"Type").and_then(|t| t.as_name()).is_ok_and(|t| t == b"Font"))
        .filter_map(|dict| dict.get(b"BaseFont").and_then(|n| n.as_name()).ok())
        .map(|name| String::from_utf8_lossy(name).into_owned())
        .collect();
    fonts.sort();
    fonts.dedup();
    fonts
}

/// The font size (from `Tf`) used for the most text-showing operations in the PDF:
/// the body text size.
pub fn pdf_body_font_size(pdf: &[u8]) -> f32 {
    let document = lopdf::Document::load_mem(pdf).expect("PDF parses");
    let mut counts: std::collections::BTreeMap<i64, usize> = Default::default();
    for page in document.get_pages().values() {
        let content = document.get_and_decode_page_content(*page).expect("page content decodes");
        let mut size = 0.0_f32;
        for op in content.operations {
            match op.operator.as_str() {
                "Tf" => {
                    size = op.operands.get(1).and_then(|o| o.as_float().ok()).unwrap_or(0.0);
                }
                "Tj" | "TJ" => *counts.entry((size * 10.0).round() as i64).or_default() += 1,
                _ => {}
            }
        }
    }
    let (size, _) = counts.into_iter().max_by_key(|&(_, n)| n).expect("the PDF shows text");
    size as f32 / 10.0
}

/// Every word of an article as the handout sees it: title, blocks, and removed text.
pub fn article_words(article: &Article) -> Vec<String> {
    let mut text = article.meta.title.clone();
    for block in &article.blocks {
        text.push(' ');
        push_block_text(block, &mut text);
    }
    for removed in &article.removed {
        text.push(' ');
        text.push_str(&removed.text);
    }
    words(&text)
}

fn push_block_text(block: &Block, out: &mut String) {
    match block {
        Block::Heading { content, .. } | Block::Paragraph { content, .. } => {
            out.push_str(&plain_text(content))
        }
        Block::List { items, .. } => {
            for item in items {
                for block in item {
                    out.push(' ');
                    push_block_text(block, out);
                }
            }
        }
        Block::Quote { blocks, .. } => {
            for block in blocks {
                out.push(' ');
                push_block_text(block, out);
            }
        }
        Block::Figure { alt, caption, .. } => {
            out.push_str(alt);
            if let Some(caption) = caption {
                out.push(' ');
                out.push_str(&plain_text(caption));
            }
        }
        Block::Table { header, rows, .. } => {
            for cell in header.iter().chain(rows.iter().flatten()) {
                out.push(' ');
                out.push_str(&plain_text(cell));
            }
        }
        Block::CodeBlock { text, .. } => out.push_str(text),
    }
}

/// Words as runs of letters and digits, lower-cased: punctuation and list markers are
/// not words.
pub fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect()
}

/// Asserts that every word of `source` (counted with multiplicity) is in `article`.
pub fn assert_no_word_lost(source: &str, article: &Article) {
    let mut available: std::collections::HashMap<String, usize> = Default::default();
    for word in article_words(article) {
        *available.entry(word).or_default() += 1;
    }
    for word in words(source) {
        let count = available.get_mut(&word);
        match count {
            Some(n) if *n > 0 => *n -= 1,
            _ => panic!(
                "{}: the word {word:?} of the source is neither in blocks nor in removed",
                article.source
            ),
        }
    }
}

/// The article text after its front matter, for word comparisons.
pub fn body_after_front_matter(text: &str) -> &str {
    for fence in ["---\n", "+++\n"] {
        if let Some(rest) = text.strip_prefix(fence)
            && let Some(end) = rest.find(&format!("\n{fence}"))
        {
            return &rest[end + fence.len() + 1..];
        }
    }
    text
}

/// Every font size (from `Tf`) that shows text somewhere in the PDF, in tenths of a point.
pub fn pdf_font_sizes(pdf: &[u8]) -> std::collections::BTreeSet<i64> {
    let document = lopdf::Document::load_mem(pdf).expect("PDF parses");
    let mut sizes = std::collections::BTreeSet::new();
    for page in document.get_pages().values() {
        let content = document.get_and_decode_page_content(*page).expect("page content decodes");
        let mut size = 0.0_f32;
        for op in content.operations {
            match op.operator.as_str() {
                "Tf" => size = op.operands.get(1).and_then(|o| o.as_float().ok()).unwrap_or(0.0),
                "Tj" | "TJ" => {
                    sizes.insert((size * 10.0).round() as i64);
                }
                _ => {}
            }
        }
    }
    sizes
}

// Generated libraries and what a build leaves in `out/`, for tests/crash.rs and
// tests/disk_full.rs.

/// xorshift64*: the same numbers on every run, without a dependency.
pub struct Rng(pub u64);

impl Rng {
    pub fn unit(&mut self) -> f64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// A folder with `content/` holding `articles` small generated articles of 2–3 paragraphs.
pub fn generated_folder(articles: usize) -> tempfile::TempDir {
    let words = [
        "rest", "water", "sleep", "walk", "heart", "lungs", "blood", "sugar", "doctor", "nurse", "medicine",
        "dose", "morning", "evening", "pain", "fever", "cough", "hands", "food", "fruit", "salt", "breathe",
    ];
    let dir = tempfile::tempdir().expect("temp dir");
    let content = dir.path().join("content");
    std::fs::create_dir(&content).expect("content");
    let mut rng = Rng(0x00c0_ffee);
    for n in 0..articles {
        let mut text = format!("Handout {n} about {}\n", words[n % words.len()]);
        for _ in 0..2 + n % 2 {
            text.push('\n');
            for _ in 0..3 {
                let sentence: Vec<&str> = (0..10)
                    .map(|_| words[(rng.unit() * words.len() as f64) as usize % words.len()])
                    .collect();
                text.push_str(&format!("Take care of your {}. ", sentence.join(" ")));
            }
            text.push('\n');
        }
        std::fs::write(content.join(format!("a{n:02}.txt")), text).expect("write");
    }
    dir
}

/// Every file under `dir`, by path relative to it.
pub fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    for entry in walkdir::WalkDir::new(dir).into_iter().map(|e| e.expect("walk")) {
        // `run.json` records the last run (its times, its exit status), not the library:
        // it is the one file meant to differ between runs.
        if entry.file_type().is_file() && entry.depth() == 1 && entry.file_name() == "run.json" {
            continue;
        }
        if entry.file_type().is_file() {
            let relative = entry.path().strip_prefix(dir).expect("inside").display().to_string();
            files.insert(relative, std::fs::read(entry.path()).expect("read"));
        }
    }
    files
}

/// The handouts the manifest and the journal's complete lines hold (what the next
/// build may reuse), as `pdf/…` paths.
pub fn held_pdfs(out: &Path) -> BTreeSet<String> {
    let mut held = BTreeSet::new();
    let mut take = |value: &serde_json::Value| {
        if let Some(outputs) = value.get("outputs").and_then(|o| o.as_object()) {
            held.extend(outputs.keys().filter(|k| k.starts_with("pdf/")).cloned());
        }
    };
    if let Ok(bytes) = std::fs::read(out.join(".handouts-manifest.json")) {
        take(&serde_json::from_slice(&bytes).expect("the manifest is whole: it is written atomically"));
    }
    let journal = std::fs::read(out.join(".handouts-journal.jsonl")).unwrap_or_default();
    let complete = journal.iter().rposition(|&b| b == b'\n').map_or(&[][..], |end| &journal[..end]);
    for line in complete.split(|&b| b == b'\n') {
        if let Ok(line) = serde_json::from_slice::<serde_json::Value>(line) {
            take(&line);
        }
    }
    held
}

/// Every PDF in `out/pdf` is a whole PDF.
pub fn assert_whole_pdfs(out: &Path, when: &str) {
    let Ok(entries) = std::fs::read_dir(out.join("pdf")) else { return };
    for entry in entries {
        let path = entry.expect("entry").path();
        let name = path.file_name().expect("name").to_string_lossy().into_owned();
        if name.ends_with(".tmp") {
            continue;
        }
        let bytes = std::fs::read(&path).expect("read");
        let end = String::from_utf8_lossy(&bytes[bytes.len().saturating_sub(16)..]).trim_end().to_string();
        assert!(bytes.starts_with(b"%PDF-") && end.ends_with("%%EOF"), "{when}: {name} is not a whole PDF");
        lopdf::Document::load_mem(&bytes).unwrap_or_else(|e| panic!("{when}: {name} does not parse: {e}"));
    }
}

/// The temporary files (`*.tmp`) anywhere under `out`.
pub fn temp_files(out: &Path) -> Vec<String> {
    files(out).into_keys().filter(|path| path.ends_with(".tmp")).collect()
}

/// Copies a folder with its subfolders (the shipped content has `pictures/`).
pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_tree(&path, &target);
        } else {
            std::fs::copy(&path, &target).unwrap();
        }
    }
}

/// A log line without the UTC time stamp a build puts in front of it when stderr is
/// not a terminal (`2026-12-07T08:01:02Z `).
pub fn unstamped(line: &str) -> &str {
    let stamped = line.len() > 21
        && line.as_bytes()[20] == b' '
        && line.as_bytes()[19] == b'Z'
        && line.as_bytes()[10] == b'T'
        && line[..4].bytes().all(|b| b.is_ascii_digit());
    if stamped { &line[21..] } else { line }
}
