//! `[[collections]]`: the books for patients, checked as the rest of the file is, each
//! error at its line.

use std::path::Path;

use super::Collection;
use crate::error::{ConfigError, Error};

/// Each collection's language is a language tag, no tag is empty, and no two
/// collections make the same EPUB file.
pub(super) fn validate(collections: &[Collection], path: &Path, text: &str) -> Result<(), Error> {
    let bad = |nth: usize, key: &str, message: String, help: String| {
        let mut error =
            ConfigError { path: path.to_path_buf(), message, help: Some(help), ..Default::default() };
        if let Some(found) = super::locate_nth(text, "[collections", nth, key) {
            (error.line, error.column, error.width, error.snippet) =
                (Some(found.line), Some(found.column), found.width, Some(found.snippet));
        }
        Error::Config(Box::new(error))
    };
    let mut stems: Vec<String> = Vec::new();
    for (nth, collection) in collections.iter().enumerate() {
        let name = format!("[[collections]] \"{}\"", collection.title.trim());
        if let Err(problem) = crate::validate::language_tag(&collection.language) {
            return Err(bad(
                nth,
                "language",
                format!("{name}: language {problem}"),
                format!("write a language tag, e.g. `language = \"{}\"`", problem.suggestion()),
            ));
        }
        if collection.tags.iter().any(|tag| tag.trim().is_empty()) {
            return Err(bad(
                nth,
                "tags",
                format!("{name}: a tag is empty"),
                "write the tags the handouts have, e.g. `tags = [\"diabetes\", \"foot care\"]`".into(),
            ));
        }
        let stem = collection.file_stem();
        if stems.contains(&stem) {
            let key = if collection.id.is_some() { "id" } else { "title" };
            return Err(bad(
                nth,
                key,
                format!("{name} would be written to {stem}.epub, as an earlier collection is"),
                "give each collection its own `id` (it names the EPUB file)".into(),
            ));
        }
        stems.push(stem);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::config::ConfigFile;
    use std::path::Path;

    fn parse(text: &str) -> Result<ConfigFile, String> {
        ConfigFile::parse(Path::new("handouts.toml"), text).map_err(|err| err.to_string())
    }

    #[test]
    fn collections_parse_with_their_tags_and_order() {
        let file = parse(
            "[[collections]]\ntitle = \"Diabetes\"\nlanguage = \"en\"\ntags = [\"diabetes\"]\n\
             order = [\"foot-care\"]\n\n[[collections]]\nid = \"kidney\"\ntitle = \"Kidney cancer\"\n",
        )
        .unwrap();
        assert_eq!(file.collections.len(), 2);
        assert_eq!(file.collections[0].tags, ["diabetes"]);
        assert_eq!(file.collections[0].order, ["foot-care"]);
        assert_eq!(file.collections[0].file_stem(), "diabetes");
        assert_eq!(file.collections[1].file_stem(), "kidney");
        assert!(file.collections[1].tags.is_empty());
    }

    #[test]
    fn mistakes_in_a_collection_point_at_their_line() {
        let two = "[[collections]]\ntitle = \"A\"\n[[collections]]\ntitle = \"B\"\n";
        let err = parse(&format!("{two}language = \"english\"\n")).unwrap_err();
        assert!(err.starts_with("handouts.toml:5:12: [[collections]] \"B\": language"), "{err}");
        let err = parse(&format!("{two}tagz = [\"x\"]\n")).unwrap_err();
        assert!(err.starts_with("handouts.toml:5:1:") && err.contains("tagz"), "{err}");
        let err = parse(&format!("{two}tags = \"diabetes\"\n")).unwrap_err();
        assert!(err.starts_with("handouts.toml:5:"), "{err}");
        let err = parse(&format!("{two}tags = [\" \"]\n")).unwrap_err();
        assert!(err.starts_with("handouts.toml:5:8: [[collections]] \"B\": a tag is empty"), "{err}");
        let err = parse(&format!("{two}[[collections]]\ntitle = \"a\"\n")).unwrap_err();
        assert!(err.starts_with("handouts.toml:6:9:") && err.contains("a.epub"), "{err}");
    }
}
