//! Any bytes as a saved web page: the HTML reader may refuse them, never panic (a panic
//! would be caught and reported as an internal error, which is a bug all the same).
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(err) = handouts::ingest::ingest_bytes(Path::new("content/fuzz.html"), data) {
        assert!(err.kind() != handouts::error::Kind::Internal, "{err}");
    }
});
