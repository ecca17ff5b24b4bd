//! The user's four articles, as pasted from the web (verbatim copies in tests/seeds/):
//! what ingest must make of them, that no word is lost, and snapshots of their JSON;
//! and a snapshot of the shipped Spanish translation's JSON, linked to its English one.

mod common;

use std::path::Path;

use handouts::analyze::{WordLists, analyze};
use handouts::ingest::ingest_file;
use handouts::model::{Article, Block, Inline, plain_text};

const SEEDS: [&str; 4] = [
    "tests/seeds/000_599ddf2e71b05133.txt",
    "tests/seeds/001_17ae7784a389bc4a.txt",
    "tests/seeds/002_c498833ed1b98829.txt",
    "tests/seeds/003_e24520bccb21e291.txt",
];

fn seed(index: usize) -> Article {
    ingest_file(Path::new(SEEDS[index])).expect("seed ingests")
}

fn headings(article: &Article) -> Vec<String> {
    article
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Heading { content, .. } => Some(plain_text(content)),
            _ => None,
        })
        .collect()
}

#[test]
fn seed_000_has_a_fallback_title_and_one_list_of_three() {
    let article = seed(0);
    assert!(!article.meta.title.is_empty());
    assert!(
        article.warnings.iter().any(|w| w.message.starts_with("no title line found")),
        "{:?}",
        article.warnings
    );
    let lists: Vec<&Block> = article.blocks.iter().filter(|b| matches!(b, Block::List { .. })).collect();
    assert_eq!(lists.len(), 1);
    let Block::List { ordered: false, items, .. } = lists[0] else { panic!("{:?}", lists[0]) };
    assert_eq!(items.len(), 3);
    let Block::Paragraph { content, .. } = &items[0][0] else { panic!() };
    assert!(plain_text(content).starts_with("In kidney cancers like metastatic clear cell"));
    // The list follows "For example:".
    let index = article.blocks.iter().position(|b| matches!(b, Block::List { .. })).unwrap();
    let Block::Paragraph { content, .. } = &article.blocks[index - 1] else { panic!() };
    assert_eq!(plain_text(content), "For example:");
}

#[test]
fn seed_001_title_and_truncation_warning() {
    let article = seed(1);
    assert_eq!(article.meta.title, "Can immunotherapy cure advanced cancer?");
    let warning = article.warnings.iter().find(|w| w.message.contains("ends mid-sentence")).expect("warning");
    assert_eq!(warning.line, Some(17));
}

#[test]
fn seed_002_headings_lead_ins_and_boilerplate() {
    let article = seed(2);
    assert_eq!(article.meta.title, "Treatment of Metastatic Kidney Cancer");
    assert_eq!(article.id, "treatment-of-metastatic-kidney-cancer");
    assert_eq!(
        headings(&article),
        [
            "Understanding Metastatic Kidney Cancer",
            "The Goals of Treatment",
            "Available Treatment Options",
            "Navigating Treatment Decisions",
            "Support and Palliative Care",
        ]
    );
    let lead_ins: Vec<String> = article
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Paragraph { content, .. } => match content.first() {
                Some(Inline::Strong { content }) => Some(plain_text(content)),
                _ => None,
            },
            _ => None,
        })
        .collect();
    assert_eq!(
        lead_ins,
        [
            "Targeted Therapy:",
            "Immunotherapy:",
            "Radiation Therapy:",
            "Surgical Intervention:",
            "Clinical Trials:"
        ]
    );
    let removed: Vec<&str> = article.removed.iter().map(|r| r.text.as_str()).collect();
    assert_eq!(removed.first(), Some(&"Popular posts from this blog"));
    assert!(removed.contains(&"Pembrolizumab for Renal Cell Carcinoma"));
    assert!(removed.contains(&"What are the Risk Factors for Bladder Cancer?"));
    assert_eq!(removed.len(), 9);
    assert!(article.removed.iter().all(|r| r.reason == "related links"));
    let body = serde_json::to_string(&article.blocks).unwrap();
    assert!(!body.contains("Popular posts"));
    assert!(!body.contains("Pembrolizumab"));
}

#[test]
fn seed_003_title_is_first_line() {
    let article = seed(3);
    assert_eq!(article.meta.title, "The Role of Stem Cell Therapy in the Fight Against Cancer Metastasis");
    assert!(headings(&article).is_empty());
    assert_eq!(article.blocks.len(), 8);
}

#[test]
fn no_word_of_any_seed_or_fixture_is_lost() {
    let mut files: Vec<String> = SEEDS.iter().map(|s| s.to_string()).collect();
    for dir in ["content", "tests/fixtures/hostile", "tests/fixtures/mixed"] {
        for path in handouts::ingest::discover(Path::new(dir)).unwrap() {
            if path.extension().is_some_and(|e| e == "txt") {
                files.push(path.display().to_string());
            }
        }
    }
    assert!(files.len() >= 8, "{files:?}");
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let article = ingest_file(Path::new(&file)).unwrap();
        common::assert_no_word_lost(common::body_after_front_matter(&text), &article);
    }
}

#[test]
fn content_folder_holds_the_seeds_verbatim() {
    let seed_texts: Vec<String> = SEEDS.iter().map(|s| std::fs::read_to_string(s).unwrap()).collect();
    // The pasted seeds are the .txt files; content/ also holds a Markdown example.
    let content: Vec<_> = handouts::ingest::discover(Path::new("content"))
        .unwrap()
        .into_iter()
        .filter(|path| path.extension().is_some_and(|e| e == "txt"))
        .collect();
    assert_eq!(content.len(), 4);
    for path in content {
        let text = std::fs::read_to_string(&path).unwrap();
        let body = common::body_after_front_matter(&text);
        assert!(seed_texts.iter().any(|s| s == body), "{} is not a verbatim seed", path.display());
    }
}

/// The intermediate form of each seed, snapshotted: a change in inference or in the
/// readability figures is a visible diff. Update with `SNAPSHOTS=overwrite cargo test`.
#[test]
fn seed_json_snapshots() {
    let words = WordLists::builtin();
    for (index, path) in SEEDS.iter().enumerate() {
        let mut article = seed(index);
        analyze(&mut article, &words);
        let json = serde_json::to_string_pretty(&article).unwrap() + "\n";
        let name = Path::new(path).file_stem().unwrap().to_string_lossy().to_string();
        snapbox::assert_data_eq!(
            json,
            snapbox::Data::read_from(&common::root().join(format!("tests/snapshots/{name}.json")), None)
                .raw()
        );
    }
}

/// The shipped Spanish handout as the batch makes it: its `translation_key` and the
/// English article it is linked to in `meta.translations`, snapshotted like the seeds.
#[test]
fn shipped_translation_json_snapshot() {
    let root = common::root();
    let config = common::repo_config(&root.join("content"), &root.join("out"));
    let batch = handouts::build::load_batch(&config, None).expect("the shipped articles load");
    let mut spanish = batch
        .articles
        .into_iter()
        .find(|a| a.source.ends_with("diabetes-foot-check.es.md"))
        .expect("the Spanish translation is shipped");
    // The source path depends on where the repository is checked out.
    spanish.source = "content/diabetes-foot-check.es.md".into();
    let json = serde_json::to_string_pretty(&spanish).unwrap() + "\n";
    snapbox::assert_data_eq!(
        json,
        snapbox::Data::read_from(&root.join("tests/snapshots/diabetes-foot-check.es.json"), None).raw()
    );
}
