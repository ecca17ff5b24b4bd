//! The fixed wording outputs add to an article ("Key points", "Page 1 of 2", the words
//! that make a heading an action step), one table per language in
//! `templates/labels.toml`. Every output reads the same table: the PDF template gets an
//! article's labels as data, the EPUB renders them itself, and outputs to come do too.
//!
//! A Spanish handout with an English "Key points" heading would make a screen reader
//! switch voices mid-page, so labels follow the article's language; a language (or a
//! label) the table lacks falls back to English, and the article gets a warning.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::model::{Article, Block, Warning, plain_text};

/// The table shipped in the binary, for template folders without their own.
const BUILTIN: &str = include_str!("../templates/labels.toml");

/// The language every other falls back to.
const FALLBACK: &str = "en";

/// `labels.toml`: language → label → text (or a list of texts).
#[derive(Debug, Clone)]
pub struct LabelTable {
    languages: BTreeMap<String, toml::Table>,
    /// Where the table came from, for warnings.
    source: PathBuf,
}

/// One language's labels, with English for any it lacks.
#[derive(Debug, Clone)]
pub struct Labels {
    values: toml::Table,
    /// The language most labels are written in: the article's, or `en` when the table
    /// has no such language.
    pub lang: String,
    /// Labels that fell back to English (all of them when `lang` is not the article's).
    pub missing: Vec<String>,
}

impl LabelTable {
    /// `labels.toml` in the template folder when there is one, else the built-in table.
    /// A clinic's table written before a label existed gets that label in the built-in
    /// English: templates print every label, and a page must not fail for lack of one.
    pub fn load(template_dir: Option<&Path>) -> Result<LabelTable> {
        match template_dir.map(|dir| dir.join("labels.toml")) {
            Some(path) if path.is_file() => {
                let text = std::fs::read_to_string(&path).map_err(|source| Error::Io {
                    kind: crate::error::Kind::Config,
                    path: path.clone(),
                    source,
                })?;
                let mut table = LabelTable::parse(&path, &text)?;
                table.add_missing_english(&LabelTable::builtin());
                Ok(table)
            }
            _ => LabelTable::parse(Path::new("(built-in labels.toml)"), BUILTIN),
        }
    }

    /// Adds to this table's `[en]` every label of `builtin`'s `[en]` it lacks.
    fn add_missing_english(&mut self, builtin: &LabelTable) {
        let (Some(own), Some(english)) = (self.languages.get_mut(FALLBACK), builtin.languages.get(FALLBACK))
        else {
            return;
        };
        for (key, value) in english {
            own.entry(key.clone()).or_insert_with(|| value.clone());
        }
    }

    pub fn builtin() -> LabelTable {
        // The built-in table is tested below; an error here would be a build of a broken binary.
        LabelTable::parse(Path::new("(built-in labels.toml)"), BUILTIN)
            .unwrap_or(LabelTable { languages: BTreeMap::new(), source: PathBuf::new() })
    }

    fn parse(path: &Path, text: &str) -> Result<LabelTable> {
        let table: toml::Table = toml::from_str(text).map_err(|err| {
            let line = err.span().map(|span| text[..span.start.min(text.len())].matches('\n').count() + 1);
            Error::config(path, line, err.message().trim().to_string())
        })?;
        let mut languages = BTreeMap::new();
        for (lang, labels) in table {
            match labels {
                toml::Value::Table(labels) => {
                    languages.insert(lang.to_ascii_lowercase(), labels);
                }
                _ => {
                    return Err(Error::config(
                        path,
                        None,
                        format!("`{lang}` must be a table of labels, like [{lang}]"),
                    ));
                }
            }
        }
        if !languages.contains_key(FALLBACK) {
            return Err(Error::config(
                path,
                None,
                "the table needs an [en] section: every language falls back to it",
            ));
        }
        Ok(LabelTable { languages, source: path.to_path_buf() })
    }

    /// The labels for an article in `lang` (a BCP 47 tag; `es-MX` uses `[es]`).
    pub fn for_lang(&self, lang: &str) -> Labels {
        let primary = lang.split('-').next().unwrap_or(lang).to_ascii_lowercase();
        let english = self.languages.get(FALLBACK).cloned().unwrap_or_default();
        let Some(own) = self.languages.get(&primary) else {
            let missing = if primary == FALLBACK { Vec::new() } else { english.keys().cloned().collect() };
            return Labels { values: english, lang: FALLBACK.into(), missing };
        };
        let mut values = own.clone();
        let mut missing = Vec::new();
        for (key, value) in english {
            if !values.contains_key(&key) {
                missing.push(key.clone());
                values.insert(key, value);
            }
        }
        Labels { values, lang: primary, missing }
    }

    /// Adds a warning to `article` when its labels fall back to English.
    pub fn warn_missing(&self, article: &mut Article) {
        let labels = self.for_lang(&article.meta.lang);
        if labels.missing.is_empty() {
            return;
        }
        let message = if labels.lang != article.meta.lang.split('-').next().unwrap_or("").to_ascii_lowercase()
        {
            format!(
                "{} has no labels for language \"{}\"; the handout's fixed wording is in English, and \
                 its \"when to call\" headings are found only by the other languages' phrases: add a \
                 [{}] table with `safety-headings` so they print in a call box",
                self.source.display(),
                article.meta.lang,
                article.meta.lang.split('-').next().unwrap_or("").to_ascii_lowercase()
            )
        } else {
            format!(
                "{} has no \"{}\" label for [{}]; using English",
                self.source.display(),
                labels.missing.join("\", \""),
                labels.lang
            )
        };
        article.warnings.push(Warning::general(message));
    }
}

impl Labels {
    /// The label `key`, or the key itself when even English lacks it.
    pub fn text<'a>(&'a self, key: &'a str) -> &'a str {
        self.values.get(key).and_then(|v| v.as_str()).unwrap_or(key)
    }

    /// `n` as the language writes a count: groups of three digits joined by its
    /// `digit-group` label ("50,000", "50.000"); none when the label is missing.
    /// `search.js` groups the counts it writes with the same label.
    pub fn number(&self, n: usize) -> String {
        let separator = self.values.get("digit-group").and_then(|v| v.as_str()).unwrap_or("");
        let digits = n.to_string();
        let mut grouped = String::with_capacity(digits.len() + digits.len() / 3 * separator.len());
        for (i, digit) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                grouped.push_str(separator);
            }
            grouped.push(digit);
        }
        grouped
    }

    /// The list label `key` (e.g. `months`).
    pub fn list(&self, key: &str) -> Vec<&str> {
        self.values
            .get(key)
            .and_then(|v| v.as_array())
            .map(|items| items.iter().filter_map(|item| item.as_str()).collect())
            .unwrap_or_default()
    }

    /// "Page {page} of {total}" filled in.
    pub fn page(&self, page: usize, total: usize) -> String {
        self.text("page").replace("{page}", &page.to_string()).replace("{total}", &total.to_string())
    }

    /// `2026-09-14` → "September 14, 2026" (or the local equivalent).
    pub fn human_date(&self, year: i32, month: u32, day: u32) -> String {
        let months = self.list("months");
        let name = months.get(month.saturating_sub(1) as usize).copied().unwrap_or("");
        self.text("date")
            .replace("{month}", name)
            .replace("{day}", &day.to_string())
            .replace("{year}", &year.to_string())
    }

    /// Whether a heading reading `text` is an action step ("When should I call…?"),
    /// which every output sets apart with the clinic's phone number. The article's own
    /// language's phrases and English ones both count: pasted pages mix them.
    pub fn is_action_heading(&self, text: &str, english: &Labels) -> bool {
        // A safety phrase of any language counts: ingest made the line a heading by it,
        // whatever language the article was then found to be in.
        if starts_with_safety_phrase(text) {
            return true;
        }
        let text = fold(text);
        [self, english]
            .into_iter()
            .flat_map(|labels| {
                labels.list("action-headings").into_iter().chain(labels.list("safety-headings"))
            })
            .map(fold)
            .any(|start| !start.is_empty() && text.starts_with(&start))
    }

    /// The labels as JSON, for templates.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(&self.values).unwrap_or_default()
    }
}

/// How heading phrases are compared: lower case, accents and leading punctuation
/// ("¿", a bullet) dropped, so "¿Cuándo llamar?" and a paste's "CUANDO LLAMAR" match.
fn fold(text: &str) -> String {
    deunicode::deunicode(text.trim_start_matches(|c: char| !c.is_alphanumeric())).to_lowercase()
}

/// Every language's `safety-headings` in the built-in table, folded.
static SAFETY_PHRASES: std::sync::LazyLock<Vec<String>> = std::sync::LazyLock::new(|| {
    let table = LabelTable::builtin();
    let mut phrases: Vec<String> = table
        .languages
        .keys()
        .flat_map(|lang| {
            table.for_lang(lang).list("safety-headings").into_iter().map(fold).collect::<Vec<_>>()
        })
        .filter(|phrase| !phrase.is_empty())
        .collect();
    phrases.sort();
    phrases.dedup();
    phrases
});

/// Whether `text` starts with a phrase that says when to get help, in any language the
/// built-in labels know: a pasted article does not say its language line by line, and
/// a Spanish page quotes "Call 911".
pub fn starts_with_safety_phrase(text: &str) -> bool {
    let text = fold(text);
    SAFETY_PHRASES.iter().any(|phrase| {
        // Whole words: "cuándo ir" is not "cuándo irritar".
        text.strip_prefix(phrase.as_str()).is_some_and(|rest| !rest.starts_with(char::is_alphanumeric))
    })
}

/// Indices of the top-level blocks of `article` that are action-step headings.
pub fn action_sections(article: &Article, table: &LabelTable) -> Vec<usize> {
    let labels = table.for_lang(&article.meta.lang);
    let english = table.for_lang(FALLBACK);
    article
        .blocks
        .iter()
        .enumerate()
        .filter(|(_, block)| match block {
            Block::Heading { content, .. } => labels.is_action_heading(&plain_text(content), &english),
            _ => false,
        })
        .map(|(index, _)| index)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_grouped_as_each_language_writes_them() {
        let table = LabelTable::load(None).unwrap();
        let en = table.for_lang("en");
        assert_eq!(en.number(0), "0");
        assert_eq!(en.number(999), "999");
        assert_eq!(en.number(1000), "1,000");
        assert_eq!(en.number(50_000), "50,000");
        assert_eq!(en.number(1_234_567), "1,234,567");
        assert_eq!(table.for_lang("de").number(50_000), "50.000");
        assert_eq!(table.for_lang("fr").number(123_456), "123\u{202F}456");
    }

    #[test]
    fn builtin_table_has_english_and_spanish() {
        let table = LabelTable::load(None).unwrap();
        let es = table.for_lang("es-MX");
        assert_eq!(es.text("key-points"), "Puntos clave");
        assert_eq!(es.text("questions"), "Preguntas para mi equipo de atención");
        assert_eq!(es.page(1, 3), "Página 1 de 3");
        assert_eq!(es.human_date(2026, 9, 14), "14 de septiembre de 2026");
        assert!(es.missing.is_empty(), "{:?}", es.missing);
        let en = table.for_lang("en");
        assert_eq!(en.page(2, 2), "Page 2 of 2");
        assert_eq!(en.human_date(2026, 9, 14), "September 14, 2026");
        for (lang, questions, page, date) in [
            ("fr-CA", "Mes questions pour l'équipe soignante", "Page 1 sur 3", "14 septembre 2026"),
            ("de", "Meine Fragen an das Behandlungsteam", "Seite 1 von 3", "14. September 2026"),
            ("pt-BR", "Perguntas para a minha equipe de saúde", "Página 1 de 3", "14 de setembro de 2026"),
        ] {
            let labels = table.for_lang(lang);
            assert_eq!(labels.text("questions"), questions);
            assert_eq!(labels.page(1, 3), page);
            assert_eq!(labels.human_date(2026, 9, 14), date);
            assert!(labels.missing.is_empty(), "{lang}: {:?}", labels.missing);
        }
        // Every language has every English label.
        for (lang, labels) in &table.languages {
            for key in table.languages[FALLBACK].keys() {
                assert!(labels.contains_key(key), "[{lang}] lacks {key}");
            }
        }
    }

    #[test]
    fn missing_languages_and_labels_fall_back_to_english_with_a_warning() {
        let table = LabelTable::parse(
            Path::new("labels.toml"),
            "[en]\nkey-points = \"Key points\"\nreviewed = \"Reviewed\"\n[fr]\nkey-points = \"Points clés\"\n",
        )
        .unwrap();
        let fr = table.for_lang("fr");
        assert_eq!(fr.text("key-points"), "Points clés");
        assert_eq!(fr.text("reviewed"), "Reviewed");
        assert_eq!(fr.missing, ["reviewed"]);
        let de = table.for_lang("de");
        assert_eq!(de.lang, "en");
        let mut article =
            crate::ingest::ingest_bytes(Path::new("a.md"), b"---\nlang: de\n---\nTitel\n\nText.").unwrap();
        table.warn_missing(&mut article);
        assert!(article.warnings.iter().any(|w| w.message.contains("no labels for language \"de\"")));
    }

    #[test]
    fn a_clinic_table_without_a_new_label_gets_it_in_built_in_english() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("labels.toml"),
            "[en]\nkey-points = \"Main points\"\n[es]\nkey-points = \"Lo principal\"\n",
        )
        .unwrap();
        let table = LabelTable::load(Some(dir.path())).unwrap();
        let en = table.for_lang("en");
        assert_eq!(en.text("key-points"), "Main points", "the clinic's own words win");
        assert_eq!(en.text("desk-languages"), "Print in:");
        assert!(en.to_json()["translations"].is_string());
        // Spanish falls back to English for it, and says so as before.
        let es = table.for_lang("es");
        assert_eq!(es.text("translations"), "This handout in:");
        assert!(es.missing.iter().any(|m| m == "translations"));
    }

    #[test]
    fn action_headings_in_either_language() {
        let table = LabelTable::builtin();
        let (es, en) = (table.for_lang("es"), table.for_lang("en"));
        assert!(es.is_action_heading("¿Cuándo debo llamar al médico?", &en));
        assert!(es.is_action_heading("When should I call?", &en));
        assert!(!en.is_action_heading("What is cancer?", &en));
        // A Spanish safety heading in an article read as English still gets its box.
        assert!(en.is_action_heading("Cuando llamar al 911", &en));
    }

    /// Headings as real French, German and Portuguese pages write them, and the
    /// "9-1-1" spelling, are safety headings; a heading that only starts alike is not.
    #[test]
    fn safety_phrases_in_french_german_and_portuguese() {
        for heading in [
            "Quand consulter un médecin ?",
            "Quand consulter ?",
            "QUAND FAUT-IL CONSULTER EN URGENCE ?",
            "Quand dois-je appeler le médecin ?",
            "Appelez le 15 sans attendre",
            "Appelez le SAMU (15) si :",
            "Consultez un médecin si :",
            "Quand s\u{2019}inquiéter ?",
            "Wann zum Arzt?",
            "Wann sollten Sie einen Arzt aufsuchen?",
            "Wann müssen Sie zum Arzt?",
            "Wann Sie sofort Hilfe holen sollten",
            "Rufen Sie den Notruf 112, wenn:",
            "Sofort zum Arzt bei:",
            "Quando procurar o médico",
            "Quando procurar atendimento urgente",
            "Quando contactar o hospital",
            "Ligue 192 se tiver:",
            "Procure atendimento imediatamente se:",
            "Sinais de alarme",
            "Call 9-1-1 if:",
            "Llame al 9-1-1 si tiene:",
        ] {
            assert!(starts_with_safety_phrase(heading), "{heading}");
        }
        for heading in [
            "Quand on a du diabète",
            "Quand reprendre la marche",
            "Appelez le 150",
            "Wann sollten Sie die Tablette einnehmen?",
            "Wann zum Arztgespräch?",
            "Quando posso voltar ao trabalho?",
        ] {
            assert!(!starts_with_safety_phrase(heading), "{heading}");
        }
    }
}
