//! Readability metrics and plain-language lint (issue 5).
