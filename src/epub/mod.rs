//! Article list → one EPUB 3 (issue 4).
