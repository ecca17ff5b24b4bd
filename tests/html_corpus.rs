//! Scores HTML ingest against the saved-page corpus in `tests/html/` (see its README):
//! for each page, the title and language against the expected front matter, and the
//! body text against the expected article as F1 over runs of 4 words. Prints one row per
//! page and fails below a mean F1 of 0.95 (issue 17). Also checks that nothing visible
//! is lost: every word of the page's visible text is in the title, the body or `removed`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use handouts::model::{Article, Block, for_each_inlines, plain_text};

const MIN_MEAN_F1: f64 = 0.95;
/// Share of a page's visible words that may be missing from title + body + removed
/// (list markers and words glued differently by tag-stripping in this test).
const MAX_LOST: f64 = 0.02;

fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect()
}

fn shingles(text: &str) -> HashMap<String, usize> {
    let w = words(text);
    let mut map = HashMap::new();
    if w.len() < 4 {
        if !w.is_empty() {
            *map.entry(w.join(" ")).or_default() += 1;
        }
        return map;
    }
    for run in w.windows(4) {
        *map.entry(run.join(" ")).or_default() += 1;
    }
    map
}

/// Precision, recall and F1 of `got` against `want` over 4-word runs.
pub fn f1(got: &str, want: &str) -> (f64, f64, f64) {
    let (g, w) = (shingles(got), shingles(want));
    let common: usize = g.iter().map(|(k, n)| (*n).min(*w.get(k).unwrap_or(&0))).sum();
    let (gn, wn): (usize, usize) = (g.values().sum(), w.values().sum());
    let p = if gn == 0 { 0.0 } else { common as f64 / gn as f64 };
    let r = if wn == 0 { 1.0 } else { common as f64 / wn as f64 };
    let f = if p + r == 0.0 { 0.0 } else { 2.0 * p * r / (p + r) };
    (p, r, f)
}

struct Expected {
    title: String,
    lang: String,
    /// Empty when the page names none.
    author: String,
    published: String,
    url: String,
    body: String,
}

/// The README's format: `key: value` lines between `---`, split at the first ": ".
fn expected(path: &Path) -> Expected {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let rest = text.strip_prefix("---\n").expect("front matter");
    let (front, body) = rest.split_once("\n---\n").expect("front matter closes");
    let field = |key: &str| {
        front
            .lines()
            .find_map(|l| l.split_once(": ").filter(|(k, _)| *k == key).map(|(_, v)| v.trim().to_string()))
            .unwrap_or_default()
    };
    Expected {
        title: field("title"),
        lang: field("lang"),
        author: field("author"),
        published: field("published"),
        url: field("url"),
        body: markdown_text(body),
    }
}

/// Markdown → its text: link text and image alt kept, syntax dropped.
fn markdown_text(md: &str) -> String {
    use pulldown_cmark::{Event, Options, Parser};
    let mut out = String::new();
    let mut titles = Vec::new();
    for event in Parser::new_ext(md, Options::ENABLE_TABLES) {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::Start(pulldown_cmark::Tag::Image { title, .. }) => {
                out.push(' ');
                titles.push(title);
            }
            Event::End(pulldown_cmark::TagEnd::Image) => {
                out.push(' ');
                out.push_str(titles.pop().as_deref().unwrap_or(""));
                out.push(' ');
            }
            // A nested list starts right after its parent item's last word.
            Event::SoftBreak
            | Event::HardBreak
            | Event::End(_)
            | Event::Start(pulldown_cmark::Tag::List(_) | pulldown_cmark::Tag::Item) => out.push(' '),
            _ => {}
        }
    }
    out
}

/// The article's body text: every inline run, pictures' alt text, code.
fn body_text(article: &Article) -> String {
    let mut out = String::new();
    fn walk(blocks: &[Block], out: &mut String) {
        for block in blocks {
            match block {
                Block::Figure { alt, caption, .. } => {
                    out.push_str(alt);
                    out.push(' ');
                    if let Some(caption) = caption {
                        out.push_str(&plain_text(caption));
                        out.push(' ');
                    }
                }
                Block::CodeBlock { text, .. } => {
                    out.push_str(text);
                    out.push(' ');
                }
                Block::List { items, .. } => items.iter().for_each(|item| walk(item, out)),
                Block::Quote { blocks, .. } => walk(blocks, out),
                other => for_each_inlines(std::slice::from_ref(other), 0, &mut |inlines, _| {
                    out.push_str(&plain_text(inlines));
                    out.push(' ');
                }),
            }
        }
    }
    walk(&article.blocks, &mut out);
    out
}

/// The stretches of `a` whose 4-word runs are not in `b`, for reading a failure.
fn unmatched(a: &str, b: &str) -> String {
    let (wa, sb) = (words(a), shingles(b));
    let mut out = String::new();
    let mut last = None;
    for i in 0..wa.len().saturating_sub(3) {
        let key = wa[i..i + 4].join(" ");
        if !sb.contains_key(&key) {
            if last != Some(i.wrapping_sub(1)) {
                out.push_str("\n  … ");
                out.push_str(&wa[i..i + 3].join(" "));
                out.push(' ');
            }
            out.push_str(&wa[i + 3]);
            out.push(' ');
            last = Some(i);
        }
    }
    out
}

/// The page's visible text, crudely: tags stripped, the content of elements that never
/// show (scripts, styles, forms, frames, templates) left out, entities decoded.
fn visible_text(html: &str) -> String {
    let lower = html.to_ascii_lowercase();
    let mut out = String::new();
    let mut i = 0;
    let bytes = html.as_bytes();
    'outer: while i < bytes.len() {
        if bytes[i] == b'<' {
            if lower[i..].starts_with("<!--") {
                i = lower[i..].find("-->").map_or(bytes.len(), |j| i + j + 3);
                continue;
            }
            for tag in [
                "script", "style", "template", "noscript", "iframe", "svg", "form", "button", "select",
                "textarea", "title", "option",
            ] {
                let open = format!("<{tag}");
                if lower[i..].starts_with(&open)
                    && lower[i + open.len()..]
                        .starts_with(|c: char| c == '>' || c.is_whitespace() || c == '/')
                {
                    let close = format!("</{tag}");
                    i = lower[i..].find(&close).map_or(bytes.len(), |j| i + j + close.len());
                    continue 'outer;
                }
            }
            let end = lower[i..].find('>').map_or(bytes.len(), |j| i + j + 1);
            out.push(' ');
            i = end;
            continue;
        }
        let next = html[i..].find('<').map_or(html.len(), |j| i + j);
        out.push_str(&html[i..next]);
        i = next;
    }
    decode_entities(&out)
}

fn decode_entities(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let end = after.find(';').filter(|&e| e <= 10);
        match end {
            Some(end) => {
                let name = &after[..end];
                let decoded = if let Some(num) = name.strip_prefix("#x").or_else(|| name.strip_prefix("#X")) {
                    u32::from_str_radix(num, 16).ok().and_then(char::from_u32).map(String::from)
                } else if let Some(num) = name.strip_prefix('#') {
                    num.parse().ok().and_then(char::from_u32).map(String::from)
                } else {
                    Some(
                        match name {
                            "amp" => "&",
                            "lt" => "<",
                            "gt" => ">",
                            "quot" => "\"",
                            "apos" => "'",
                            _ => " ",
                        }
                        .to_string(),
                    )
                };
                out.push_str(&decoded.unwrap_or_default());
                rest = &after[end + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn decode_page(bytes: &[u8]) -> String {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(1024)]).to_ascii_lowercase();
    let label = head.split("charset=").nth(1).map(|s| {
        s.trim_start_matches(['"', '\''])
            .split(|c: char| !(c.is_alphanumeric() || c == '-' || c == '_'))
            .next()
            .unwrap_or("")
    });
    let encoding =
        label.and_then(|l| encoding_rs::Encoding::for_label(l.as_bytes())).unwrap_or(encoding_rs::UTF_8);
    encoding.decode(bytes).0.into_owned()
}

/// The numbers a handout prints in front of the items of its numbered lists (a page
/// that types them, as Word does, shows them as words).
fn list_numbers(blocks: &[Block], out: &mut Vec<String>) {
    for block in blocks {
        match block {
            Block::List { ordered, start, items, .. } => {
                let first = start.unwrap_or(1);
                for (i, item) in items.iter().enumerate() {
                    if *ordered {
                        out.push((first + i as u64).to_string());
                    }
                    list_numbers(item, out);
                }
            }
            Block::Quote { blocks, .. } => list_numbers(blocks, out),
            _ => {}
        }
    }
}

/// Visible words missing from the title, the body (with its list numbers) and `removed`
/// (as a multiset).
fn lost_words(html: &str, article: &Article) -> (usize, usize, Vec<String>) {
    let mut have: HashMap<String, usize> = HashMap::new();
    let mut printed = words(&article.meta.title);
    printed.extend(words(&body_text(article)));
    list_numbers(&article.blocks, &mut printed);
    for removed in &article.removed {
        printed.extend(words(&removed.text));
    }
    for w in printed {
        *have.entry(w).or_default() += 1;
    }
    let visible = words(&visible_text(html));
    let mut lost = Vec::new();
    for w in &visible {
        match have.get_mut(w) {
            Some(n) if *n > 0 => *n -= 1,
            _ => lost.push(w.clone()),
        }
    }
    (visible.len(), lost.len(), lost)
}

fn cases() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/html");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/html exists")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "html") && p.with_extension("expected.md").exists())
        .collect();
    cases.sort();
    cases
}

#[test]
fn html_corpus_scores() {
    let cases = cases();
    assert!(cases.len() >= 20, "the corpus needs at least 20 pages, has {}", cases.len());
    let only = std::env::var("HTML_CASE").ok();
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    let (mut sum_f1, mut titles, mut langs, mut n) = (0.0, 0, 0, 0);
    // Metadata found right, of pages whose expected article has it (reported, not
    // required: issue 17 asks for them in `meta`, and the corpus says when a page has them).
    let mut meta_right = [(0usize, 0usize); 3];
    for path in &cases {
        let name = path.file_stem().and_then(|s| s.to_str()).unwrap_or("?").to_string();
        if only.as_deref().is_some_and(|o| !name.contains(o)) {
            continue;
        }
        let bytes = std::fs::read(path).expect("readable");
        let want = expected(&path.with_extension("expected.md"));
        let article = match handouts::ingest::ingest_bytes(path, &bytes) {
            Ok(a) => a,
            Err(e) => {
                problems.push(format!("{name}: {e}"));
                rows.push(format!("| {name} | error | | | | |"));
                n += 1;
                continue;
            }
        };
        n += 1;
        let got = body_text(&article);
        let (p, r, f) = f1(&got, &want.body);
        sum_f1 += f;
        let title_ok = words(&article.meta.title) == words(&want.title);
        let lang_ok = article.meta.lang.split('-').next() == Some(want.lang.as_str());
        titles += usize::from(title_ok);
        langs += usize::from(lang_ok);
        if !title_ok {
            problems.push(format!("{name}: title {:?}, expected {:?}", article.meta.title, want.title));
        }
        if !lang_ok {
            problems.push(format!("{name}: lang {:?}, expected {:?}", article.meta.lang, want.lang));
        }
        for (i, (want_value, got_value)) in [
            (&want.author, article.meta.author.as_deref()),
            (&want.published, article.meta.published.as_deref()),
            (&want.url, article.meta.url.as_deref()),
        ]
        .into_iter()
        .enumerate()
        {
            if !want_value.is_empty() {
                meta_right[i].1 += 1;
                if got_value == Some(want_value.as_str()) {
                    meta_right[i].0 += 1;
                } else {
                    problems.push(format!("{name}: meta {got_value:?}, expected {want_value:?}"));
                }
            }
        }
        let (visible, lost, lost_list) = lost_words(&decode_page(&bytes), &article);
        let lost_share = lost as f64 / visible.max(1) as f64;
        if lost_share > MAX_LOST {
            problems.push(format!(
                "{name}: {lost} of {visible} visible words neither printed nor in removed: {:?}",
                &lost_list[..lost_list.len().min(30)]
            ));
        }
        if std::env::var("HTML_DEBUG").is_ok() {
            eprintln!(
                "=== {name}\n--- extra:\n{}\n--- missing:\n{}\n",
                unmatched(&got, &want.body),
                unmatched(&want.body, &got)
            );
        }
        rows.push(format!(
            "| {name} | {f:.3} | {p:.3} | {r:.3} | {} | {} | {lost}/{visible} |",
            if title_ok { "ok" } else { "no" },
            if lang_ok { "ok" } else { "no" }
        ));
    }
    let mean = sum_f1 / n.max(1) as f64;
    println!("| page | F1 | precision | recall | title | lang | lost words |");
    println!("|---|---:|---:|---:|---|---|---:|");
    for row in &rows {
        println!("{row}");
    }
    println!("| **mean of {n}** | **{mean:.3}** | | | {titles}/{n} | {langs}/{n} | |");
    println!(
        "metadata right: author {}/{}, published {}/{}, canonical url {}/{}",
        meta_right[0].0, meta_right[0].1, meta_right[1].0, meta_right[1].1, meta_right[2].0, meta_right[2].1
    );
    for p in &problems {
        println!("  {p}");
    }
    assert!(mean >= MIN_MEAN_F1, "mean F1 {mean:.3} is below {MIN_MEAN_F1}; see the table above");
    assert!(
        problems.iter().all(|p| !p.contains("visible words") && !p.contains(": error")),
        "pages lose words or fail; see above"
    );
}

/// A small picture file of the kind `path` names by its extension.
fn picture_bytes(path: &str) -> Vec<u8> {
    let (width, height) = (40u32, 30u32);
    let data: Vec<u8> =
        (0..width * height).flat_map(|i| if i % 7 == 0 { [11, 83, 148] } else { [255, 255, 255] }).collect();
    let mut bytes = Vec::new();
    if path.ends_with(".png") {
        let mut encoder = png::Encoder::new(&mut bytes, width, height);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header().unwrap();
        writer.write_image_data(&data).unwrap();
    } else if path.ends_with(".svg") {
        bytes = b"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"40\" height=\"30\"><rect width=\"40\" height=\"30\" fill=\"#0B5394\"/></svg>".to_vec();
    } else {
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, 85)
            .encode(&data, width, height, image::ExtendedColorType::Rgb8)
            .unwrap();
    }
    bytes
}

/// Every figure in `blocks`, with its line.
fn figures(blocks: &[Block], out: &mut Vec<(String, usize)>) {
    for block in blocks {
        match block {
            Block::Figure { src, line, .. } => out.push((src.clone(), *line)),
            Block::List { items, .. } => items.iter().for_each(|i| figures(i, out)),
            Block::Quote { blocks, .. } => figures(blocks, out),
            _ => {}
        }
    }
}

fn build(content: &Path, out: &Path) -> std::process::Output {
    assert_cmd::Command::cargo_bin("handouts")
        .unwrap()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["build", "--no-large-print", "--no-epub", "--content"])
        .arg(content)
        .arg("--out")
        .arg(out)
        .output()
        .unwrap()
}

/// Every saved page in the corpus builds into a handout (`handouts build` on a folder of
/// them): saved without the pictures it shows (`page_files/…`), each picture is its alt
/// text and a `removed` entry at its `<img>`'s line; with them saved, they are printed.
#[test]
fn every_saved_page_builds() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    std::fs::create_dir_all(&content).unwrap();
    let cases = cases();
    let mut pictures = Vec::new();
    for case in &cases {
        let name = case.file_name().unwrap();
        std::fs::copy(case, content.join(name)).unwrap();
        // Read as bytes from nowhere on disk, a page's pictures are figures whether or
        // not they were saved: the list of pictures it shows.
        let nowhere = Path::new("not-on-disk").join(name);
        let article = handouts::ingest::ingest_bytes(&nowhere, &std::fs::read(case).unwrap()).unwrap();
        let mut found = Vec::new();
        figures(&article.blocks, &mut found);
        pictures
            .extend(found.into_iter().map(|(src, line)| (name.to_string_lossy().into_owned(), src, line)));
    }
    assert!(!pictures.is_empty(), "the corpus has pages with pictures saved beside them");
    let out = dir.path().join("out");
    // Saved "HTML only": each picture is its alt text, listed as not saved with the page.
    let without = build(&content, &out);
    let err = String::from_utf8_lossy(&without.stderr);
    assert_eq!(without.status.code(), Some(0), "{err}");
    assert_eq!(std::fs::read_dir(out.join("pdf")).unwrap().count(), cases.len(), "{err}");
    for (page, src, line) in &pictures {
        let path = content.join(page);
        let article = handouts::ingest::ingest_bytes(&path, &std::fs::read(&path).unwrap()).unwrap();
        assert!(
            article.removed.iter().any(|r| r.reason == "picture not saved with the page" && r.line == *line),
            "{page}:{line} {src}: {:?}",
            article.removed
        );
    }
    // "Web page, complete": the pictures beside the page are printed.
    for (_, src, _) in &pictures {
        let path = content.join(src);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, picture_bytes(src)).unwrap();
    }
    let output = build(&content, &out);
    let err = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{err}");
    let pdfs = std::fs::read_dir(out.join("pdf")).unwrap().count();
    assert_eq!(pdfs, cases.len(), "{err}");
    for (page, src, _) in &pictures {
        let path = content.join(page);
        let article = handouts::ingest::ingest_bytes(&path, &std::fs::read(&path).unwrap()).unwrap();
        let mut found = Vec::new();
        figures(&article.blocks, &mut found);
        assert!(found.iter().any(|(s, _)| s == src), "{page}: {src} is a picture now");
    }
}
