//! Any bytes as a Markdown article: ingest may refuse them, never panic. Valid UTF-8
//! also goes through the JSON round trip that `content/*.json` relies on.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    check(Path::new("content/fuzz.md"), data);
});

fn check(path: &Path, data: &[u8]) {
    let article = match handouts::ingest::ingest_bytes(path, data) {
        Ok(article) => article,
        // A panic inside is caught and reported as an internal error: still a bug.
        Err(err) => {
            assert!(err.kind() != handouts::error::Kind::Internal, "{err}");
            return;
        }
    };
    let json = serde_json::to_vec(&article).expect("an ingested article serializes");
    let again = handouts::ingest::ingest_bytes(Path::new("content/fuzz.json"), &json)
        .expect("the JSON of an ingested article reads back");
    assert_eq!(article, again, "ingest → JSON → ingest changed the article");
}
