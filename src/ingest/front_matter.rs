//! Front matter: YAML between `---` lines or TOML between `+++` lines, at the very top.

use std::path::Path;

use serde::Deserialize;

use crate::error::{Error, Result};

/// The keys an article may set. Unknown keys are errors: a misspelt `reviewd:` must not
/// silently leave a handout without its review date.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    pub title: Option<String>,
    pub id: Option<String>,
    pub summary: Option<String>,
    pub lang: Option<String>,
    pub reviewed: Option<String>,
    pub audience: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    pub url: Option<String>,
    /// Who wrote the article (a saved page's `<meta name="author">`).
    pub author: Option<String>,
    /// When the article was first published, `YYYY-MM-DD`.
    pub published: Option<String>,
    /// When `handouts add` fetched the page, `YYYY-MM-DD`.
    pub retrieved: Option<String>,
    /// `keep`: print the whole paste, without looking for the article in a web page.
    pub boilerplate: Option<Boilerplate>,
    /// Fit this handout on at most this many pages (overrides `[handout] max-pages`).
    #[serde(rename = "max-pages")]
    pub max_pages: Option<std::num::NonZeroUsize>,
    /// Articles with the same key are translations of each other (Hugo's
    /// `translationKey`); without one, an article's key is its own id. Written as an id
    /// once checked, so `Diabetes Foot Check` and `diabetes-foot-check` are one key.
    #[serde(rename = "translation-key")]
    pub translation_key: Option<String>,
    /// `draft` or `published` (the default): a draft is marked on paper and left out
    /// of the site, the EPUB and the desk until it is reviewed.
    pub status: Option<String>,
    /// Who reviews the article, named in `check`'s list of reviews due.
    pub owner: Option<String>,
    /// `YYYY-MM-DD`: the next review is due then (overrides `[handout] review-every`).
    #[serde(rename = "review-by")]
    pub review_by: Option<String>,
}

impl FrontMatter {
    /// The `status:` it sets, checked by [`split`] (anything else was an error there).
    pub fn status(&self) -> crate::model::Status {
        self.status.as_deref().and_then(crate::model::Status::parse).unwrap_or_default()
    }
}

/// Front matter `boilerplate:`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Boilerplate {
    /// Keep every line of the paste in the handout.
    Keep,
    /// Leave out the site around the article (the default).
    Remove,
}

/// Splits `text` into front matter, the body, and the 1-based source line the body
/// starts on.
pub fn split(path: &Path, text: &str) -> Result<(Option<FrontMatter>, String, usize)> {
    let first_line = text.lines().next().unwrap_or("").trim_end();
    let fence = match first_line {
        "---" => "---",
        "+++" => "+++",
        _ => return Ok((None, text.to_string(), 1)),
    };
    let lines: Vec<&str> = text.split('\n').collect();
    let close = lines
        .iter()
        .enumerate()
        .skip(1)
        .find(|(_, line)| line.trim_end() == fence || (fence == "---" && line.trim_end() == "..."))
        .map(|(index, _)| index)
        .ok_or_else(|| {
            Error::input(
                path,
                Some(1),
                format!("front matter opened with `{fence}` on line 1 is never closed"),
            )
        })?;
    let raw = lines[1..close].join("\n");
    let mut front = if fence == "---" { parse_yaml(path, &raw)? } else { parse_toml(path, &raw)? };
    let body = lines[close + 1..].join("\n");
    front.check(path, &raw)?;
    Ok((Some(front), body, close + 2))
}

fn parse_yaml(path: &Path, raw: &str) -> Result<FrontMatter> {
    if raw.trim().is_empty() {
        return Ok(FrontMatter::default());
    }
    serde_norway::from_str(raw).map_err(|e| {
        // A quote opened and never closed runs to the end of the front matter, where the
        // parser then stops: point at the line that opened it.
        if let Some((index, quote)) = unclosed_quote(raw) {
            return Error::input(
                path,
                Some(index + 2),
                format!("malformed front matter: the {quote} opened on this line is never closed; close it at the end of the value"),
            );
        }
        // +1: the YAML starts on the line after the opening fence.
        let line = e.location().map(|l| l.line() + 1);
        Error::input(
            path,
            line,
            format!("malformed front matter: {}", plain_words(&first_sentence(&e.to_string()))),
        )
    })
}

fn parse_toml(path: &Path, raw: &str) -> Result<FrontMatter> {
    let value: toml::Table = toml::from_str(raw).map_err(|e| {
        let line = e.span().map(|s| raw[..s.start.min(raw.len())].matches('\n').count() + 2);
        Error::input(path, line, format!("malformed front matter: {}", e.message().trim()))
    })?;
    // TOML has a native date type; the model keeps dates as `YYYY-MM-DD` strings.
    let value = toml::Value::Table(value.into_iter().map(|(k, v)| (k, dates_to_strings(v))).collect());
    FrontMatter::deserialize(value)
        .map_err(|e| Error::input(path, None, format!("malformed front matter: {}", e.message().trim())))
}

fn dates_to_strings(value: toml::Value) -> toml::Value {
    match value {
        toml::Value::Datetime(date) => toml::Value::String(date.to_string()),
        other => other,
    }
}

/// The first line (0-based) whose value opens a quote it does not close, and the
/// quote's name: `title: "How to…` with no closing `"`.
fn unclosed_quote(raw: &str) -> Option<(usize, &'static str)> {
    raw.lines().enumerate().find_map(|(index, line)| {
        let value = line.split_once(':').map_or(line, |(_, value)| value).trim_start();
        let value = value.strip_prefix("- ").unwrap_or(value);
        let (quote, name) = match value.chars().next()? {
            '"' => ('"', "double quote (\")"),
            '\'' => ('\'', "single quote (')"),
            _ => return None,
        };
        let rest = &value[1..];
        // A quote is closed by the same quote, not escaped (`\"` in double quotes, `''`
        // in single ones).
        let closed = if quote == '"' {
            let mut escaped = false;
            rest.chars().any(|c| {
                let close = c == '"' && !escaped;
                escaped = c == '\\' && !escaped;
                close
            })
        } else {
            rest.replace("''", "").contains('\'')
        };
        (!closed).then_some((index, name))
    })
}

/// The parser's words, with the fix added where we know it.
fn plain_words(message: &str) -> String {
    let fix = if message.contains("expected a sequence") {
        "; write a list, like `tags: [kidney, treatment]`"
    } else if message.contains("expected a string") {
        "; put the text in quotes"
    } else if message.starts_with("unknown field") {
        "; check the spelling (README.md lists the keys)"
    } else {
        ""
    };
    format!("{message}{fix}")
}

/// serde_norway appends "at line N column M" to its messages; the line is reported apart.
fn first_sentence(message: &str) -> String {
    match message.find(" at line ") {
        Some(index) => message[..index].to_string(),
        None => message.to_string(),
    }
}

impl FrontMatter {
    /// Checks the values serde cannot (a real date, a real language tag) and writes the
    /// language tag in its canonical case; each error names the key's line.
    fn check(&mut self, path: &Path, raw: &str) -> Result<()> {
        for (key, value) in [
            ("reviewed", &self.reviewed),
            ("published", &self.published),
            ("retrieved", &self.retrieved),
            ("review-by", &self.review_by),
        ] {
            if let Some(date) = value
                && let Err(problem) = crate::validate::date(date)
            {
                return Err(Error::input(path, key_line(raw, key), format!("{key}: {problem}")));
            }
        }
        if let Some(status) = &self.status
            && crate::model::Status::parse(status).is_none()
        {
            return Err(Error::input(
                path,
                key_line(raw, "status"),
                format!(
                    "status: \"{status}\" is not a status: write `status: draft` (not yet reviewed: \
                     kept off the site, the EPUB and the desk) or `status: published`"
                ),
            ));
        }
        if let Some(key) = &self.translation_key {
            // Only an id can be compared with the ids of other articles: a key is
            // written as one, the way a front-matter `id` is.
            if !key.chars().any(char::is_alphanumeric) {
                return Err(Error::input(
                    path,
                    key_line(raw, "translation-key"),
                    format!(
                        "translation-key: \"{key}\" has no letters or digits; write the id of the \
                         article this one translates, like `translation-key: foot-care`"
                    ),
                ));
            }
            self.translation_key = Some(super::slugify(key));
        }
        if let Some(lang) = &self.lang {
            match crate::validate::language_tag(lang) {
                Ok(tag) => self.lang = Some(tag),
                Err(problem) => {
                    return Err(Error::input(
                        path,
                        key_line(raw, "lang"),
                        format!("lang: {problem}; write `lang: {}`", problem.suggestion()),
                    ));
                }
            }
        }
        Ok(())
    }
}

/// The file line of `key` in the front matter at the top of `text` (a whole article
/// file), if it has front matter that sets the key.
pub fn line_of_key(text: &str, key: &str) -> Option<usize> {
    let mut lines = text.lines();
    let fence = lines.next()?.trim_start_matches('\u{FEFF}').trim_end();
    if fence != "---" && fence != "+++" {
        return None;
    }
    let raw: Vec<&str> = lines.take_while(|line| line.trim_end() != fence).collect();
    key_line(&raw.join("\n"), key)
}

/// The file line of `key` in front matter `raw` (which starts on line 2, after the fence).
fn key_line(raw: &str, key: &str) -> Option<usize> {
    raw.lines()
        .position(|line| {
            let line = line.trim_start();
            line.strip_prefix(key).is_some_and(|rest| rest.trim_start().starts_with([':', '=']))
        })
        .map(|index| index + 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split_ok(text: &str) -> (FrontMatter, String, usize) {
        let (front, body, line) = split(Path::new("a.md"), text).unwrap();
        (front.unwrap(), body, line)
    }

    fn split_err(text: &str) -> String {
        split(Path::new("a.md"), text).unwrap_err().to_string()
    }

    #[test]
    fn yaml_and_toml_front_matter() {
        let (front, body, line) =
            split_ok("---\ntitle: Hello\nreviewed: 2026-09-14\ntags: [a, b]\n---\nBody");
        assert_eq!(front.title.as_deref(), Some("Hello"));
        assert_eq!(front.reviewed.as_deref(), Some("2026-09-14"));
        assert_eq!(front.tags, ["a", "b"]);
        assert_eq!((body.as_str(), line), ("Body", 6));

        let (front, body, line) = split_ok("+++\ntitle = \"Hi\"\nreviewed = 2026-09-14\n+++\nBody");
        assert_eq!(front.title.as_deref(), Some("Hi"));
        assert_eq!(front.reviewed.as_deref(), Some("2026-09-14"));
        assert_eq!((body.as_str(), line), ("Body", 5));
    }

    #[test]
    fn page_dates_are_checked_like_reviewed() {
        let (front, _, _) =
            split_ok("---\nauthor: Ana Ruiz\npublished: 2025-03-14\nretrieved: 2026-12-02\n---\nBody");
        assert_eq!(front.author.as_deref(), Some("Ana Ruiz"));
        assert_eq!(front.published.as_deref(), Some("2025-03-14"));
        assert!(
            split_err("---\ntitle: x\npublished: 2025-02-30\n---\nBody").starts_with("a.md:3: published:")
        );
    }

    #[test]
    fn no_front_matter() {
        let (front, body, line) = split(Path::new("a.txt"), "Title\n---\nx").unwrap();
        assert!(front.is_none());
        assert_eq!((body.as_str(), line), ("Title\n---\nx", 1));
    }

    #[test]
    fn an_unclosed_quote_is_found_on_its_own_line() {
        assert_eq!(
            split_err("---\ntitle: \"How to use your inhaler\nlang: en\nreviewed: 2026-01-01\n---\nx\n"),
            "a.md:2: malformed front matter: the double quote (\") opened on this line is never closed; close it at the end of the value"
        );
        assert_eq!(unclosed_quote("title: \"ok\"\nsummary: 'it''s'\n"), None);
        assert_eq!(unclosed_quote("title: \"a \\\" b\"\n"), None);
    }

    #[test]
    fn malformed_front_matter_names_the_line() {
        assert_eq!(
            split_err("---\ntitle: ok\ntags: [a\n---\n"),
            "a.md:4: malformed front matter: did not find expected ',' or ']'"
        );
        assert!(
            split_err("---\ntitle: x\n")
                .starts_with("a.md:1: front matter opened with `---` on line 1 is never closed")
        );
        assert!(
            split_err("---\ntitel: x\n---\n").contains("unknown field `titel`"),
            "{}",
            split_err("---\ntitel: x\n---\n")
        );
        assert!(split_err("+++\ntitle = \n+++\n").starts_with("a.md:2: malformed front matter"));
        assert!(split_err("---\nreviewed: last week\n---\n").contains("YYYY-MM-DD"));
    }

    #[test]
    fn parser_words_come_with_the_fix() {
        let err = split_err("---\ntitle: x\ntags: kidney\n---\nBody");
        assert!(err.starts_with("a.md:3: malformed front matter: tags: invalid type"), "{err}");
        assert!(err.ends_with("write a list, like `tags: [kidney, treatment]`"), "{err}");
    }

    #[test]
    fn impossible_dates_and_language_names_are_errors_on_their_line() {
        assert_eq!(
            split_err("---\ntitle: x\nreviewed: 2026-02-31\n---\nBody"),
            "a.md:3: reviewed: \"2026-02-31\" is not a date: February 2026 has 28 days"
        );
        assert_eq!(
            split_err("+++\ntitle = \"x\"\nlang = \"english\"\n+++\nBody"),
            "a.md:3: lang: \"english\" is not a language tag like \"en\" or \"es-MX\"; write `lang: en`"
        );
        let (front, _, _) = split_ok("---\nlang: es-mx\n---\nBody");
        assert_eq!(front.lang.as_deref(), Some("es-MX"));
    }

    #[test]
    fn status_owner_and_review_by() {
        let (front, _, _) =
            split_ok("---\ntitle: x\nstatus: draft\nowner: Dr. Ana Ruiz\nreview-by: 2027-06-30\n---\nBody");
        assert_eq!(front.status(), crate::model::Status::Draft);
        assert_eq!(front.owner.as_deref(), Some("Dr. Ana Ruiz"));
        assert_eq!(front.review_by.as_deref(), Some("2027-06-30"));
        let (front, _, _) = split_ok("+++\nstatus = \"Published\"\n+++\nBody");
        assert_eq!(front.status(), crate::model::Status::Published);
        let (front, _, _) = split_ok("---\ntitle: x\n---\nBody");
        assert_eq!(front.status(), crate::model::Status::Published, "published unless it says");
    }

    #[test]
    fn a_bad_status_or_review_by_is_an_error_on_its_line() {
        let err = split_err("---\ntitle: x\nowner: Ana\nstatus: drfat\n---\nBody");
        assert!(err.starts_with("a.md:4: status: \"drfat\" is not a status: write `status: draft`"), "{err}");
        let err = split_err("+++\ntitle = \"x\"\nstatus = \"review\"\n+++\nBody");
        assert!(err.starts_with("a.md:3: status: \"review\""), "{err}");
        assert_eq!(
            split_err("---\ntitle: x\nreview-by: 2027-02-30\n---\nBody"),
            "a.md:3: review-by: \"2027-02-30\" is not a date: February 2027 has 28 days"
        );
        assert!(split_err("---\nreview-by: next year\n---\nBody").starts_with("a.md:2: review-by:"));
    }

    #[test]
    fn a_translation_key_is_written_as_an_id() {
        let (front, _, _) = split_ok("---\nlang: es\ntranslation-key: diabetes-foot-check\n---\nCuerpo");
        assert_eq!(front.translation_key.as_deref(), Some("diabetes-foot-check"));
        // The key is compared with ids: case, spaces and accents do not matter.
        let (front, _, _) = split_ok("+++\ntranslation-key = \"Cuidado de los Pies\"\n+++\nCuerpo");
        assert_eq!(front.translation_key.as_deref(), Some("cuidado-de-los-pies"));
        let (front, _, _) = split_ok("---\ntitle: x\n---\nBody");
        assert_eq!(front.translation_key, None, "no key: the article's id is its key");
    }

    #[test]
    fn a_translation_key_without_letters_or_of_the_wrong_type_is_an_error_on_its_line() {
        assert_eq!(
            split_err("---\ntitle: x\ntranslation-key: \"--\"\n---\nBody"),
            "a.md:3: translation-key: \"--\" has no letters or digits; write the id of the article \
             this one translates, like `translation-key: foot-care`"
        );
        let err = split_err("---\ntitle: x\ntranslation-key: [a, b]\n---\nBody");
        assert!(err.starts_with("a.md:3: malformed front matter: translation-key: invalid type"), "{err}");
        assert!(split_err("---\ntranslation_key: x\n---\nBody").contains("unknown field `translation_key`"));
    }

    #[test]
    fn the_line_of_a_key_is_found_in_a_whole_file() {
        let text = "---\ntitle: x\ntranslation-key: y\n---\ntranslation-key: not front matter\n";
        assert_eq!(line_of_key(text, "translation-key"), Some(3));
        assert_eq!(line_of_key("+++\ntranslation-key = \"y\"\n+++\n", "translation-key"), Some(2));
        assert_eq!(line_of_key("---\ntitle: x\n---\ntranslation-key: y\n", "translation-key"), None);
        assert_eq!(line_of_key("Title\n\ntranslation-key: y\n", "translation-key"), None);
    }
}
