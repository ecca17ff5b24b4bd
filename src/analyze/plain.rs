//! The plain-language word list: complex words and phrases with plainer alternatives.
//!
//! The file has two tables, both `"word or phrase" = "alternative"`:
//!
//! ```toml
//! [words]            # replace: "utilize" → "use"
//! utilize = "use"
//! "prior to" = "before"
//!
//! [terms]            # medical terms a patient may need to learn: explain on first use
//! metastatic = "has spread to other parts of the body"
//! ```
//!
//! The split matters to the people fixing a handout: a handout about metastatic cancer
//! cannot drop the word "metastatic", but it should say once what it means. Keys are
//! matched case-insensitively, as whole words, and also in simple inflected forms
//! ("administered", "medications", "therapies"); list irregular forms separately
//! ("metastases"). A plural key matches only the plural, which keeps "individual
//! patient" from matching `individuals = "people"`.

use std::collections::BTreeMap;

use serde::Deserialize;

/// Whether an entry's alternative replaces the word or explains it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// `[words]`: use the alternative instead.
    Replace,
    /// `[terms]`: keep the term, explain it the first time.
    Explain,
}

/// One word or phrase from the list.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Entry {
    /// The key as written in the file, lowercased: "prior to".
    pub key: String,
    pub alternative: String,
    pub kind: Kind,
    words: Vec<String>,
    /// Phrases holding the entry where it does not apply ("oral health" for `oral`).
    not_in: Vec<Vec<String>>,
}

/// A parsed word list. Cheap to clone; share one across articles.
#[derive(Debug, Clone, Default, PartialEq, Hash)]
pub struct PlainLanguage {
    /// By the entry's first word; longest phrase first, so "prior to" wins over "prior".
    by_first: BTreeMap<String, Vec<Entry>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    words: BTreeMap<String, Value>,
    #[serde(default)]
    terms: BTreeMap<String, Value>,
}

/// `key = "alternative"`, or `key = { use = "alternative", not-in = ["phrase", …] }`.
#[derive(Deserialize)]
#[serde(untagged)]
enum Value {
    Alternative(String),
    InContext(InContext),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct InContext {
    #[serde(rename = "use")]
    alternative: String,
    #[serde(default)]
    not_in: Vec<String>,
}

impl PlainLanguage {
    /// Parses the TOML form described in the module docs. Errors name the problem and,
    /// for TOML syntax, the line and column.
    pub fn parse(text: &str) -> Result<Self, String> {
        let file: File = toml::from_str(text).map_err(|e| e.to_string())?;
        let mut list = PlainLanguage::default();
        let tables = [(&file.words, Kind::Replace, "words"), (&file.terms, Kind::Explain, "terms")];
        for (table, kind, name) in tables {
            for (key, value) in table {
                let (alternative, not_in) = match value {
                    Value::Alternative(alternative) => (alternative, &[][..]),
                    Value::InContext(c) => (&c.alternative, c.not_in.as_slice()),
                };
                let words: Vec<String> = key.split_whitespace().map(normalize).collect();
                if words.is_empty() || words.iter().any(|w| w.is_empty()) {
                    return Err(format!("[{name}]: the key {key:?} has no word in it"));
                }
                if alternative.trim().is_empty() {
                    return Err(format!("[{name}] {key:?}: the alternative is empty"));
                }
                let key = words.join(" ");
                if list.lookup(&key).is_some() {
                    return Err(format!("[{name}] {key:?}: listed twice"));
                }
                let not_in: Vec<Vec<String>> =
                    not_in.iter().map(|phrase| phrase.split_whitespace().map(normalize).collect()).collect();
                let entry = Entry { key, alternative: alternative.trim().to_string(), kind, words, not_in };
                if let Some(phrase) = entry.not_in.iter().find(|p| entry.offsets_in(p).next().is_none()) {
                    return Err(format!(
                        "[{name}] {:?}: not-in phrase {:?} does not contain the key",
                        entry.key,
                        phrase.join(" ")
                    ));
                }
                let bucket = list.by_first.entry(entry.words[0].clone()).or_default();
                bucket.push(entry);
                bucket.sort_by_key(|e| std::cmp::Reverse(e.words.len()));
            }
        }
        Ok(list)
    }

    /// The list shipped in `templates/plain-language.toml`.
    pub fn builtin() -> Self {
        // The file is compiled in and a unit test parses it, so failure here is a bug
        // in this crate, not bad input.
        Self::parse(BUILTIN).expect("templates/plain-language.toml is valid")
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.by_first.values().map(Vec::len).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.by_first.is_empty()
    }

    /// The entry for an exact key (lowercase words separated by single spaces).
    pub fn lookup(&self, key: &str) -> Option<&Entry> {
        let first = key.split(' ').next()?;
        self.by_first.get(first)?.iter().find(|e| e.key == key)
    }

    /// The longest entry matching `words` (normalized with [`normalize`]) at `at`, and
    /// how many words it covers.
    pub(crate) fn match_at(&self, words: &[String], at: usize) -> Option<(&Entry, usize)> {
        let first = words.get(at)?;
        let mut best: Option<(&Entry, usize)> = None;
        for form in forms(first) {
            for entry in self.by_first.get(&form).into_iter().flatten() {
                let n = entry.words.len();
                let fits = words.len() >= at + n
                    && entry.words[1..]
                        .iter()
                        .zip(&words[at + 1..])
                        .all(|(want, have)| forms(have).contains(want));
                if fits && !entry.excluded_at(words, at) && best.is_none_or(|(_, m)| n > m) {
                    best = Some((entry, n));
                }
            }
        }
        best
    }
}

impl Entry {
    /// Where in `phrase` the entry's words stand (as written or inflected).
    fn offsets_in<'p>(&'p self, phrase: &'p [String]) -> impl Iterator<Item = usize> + 'p {
        let n = self.words.len();
        (0..phrase.len().saturating_sub(n) + 1).filter(move |&offset| {
            phrase.len() >= offset + n
                && self.words.iter().zip(&phrase[offset..]).all(|(key, word)| forms(word).contains(key))
        })
    }

    /// Whether the words at `at` sit inside one of the entry's `not-in` phrases.
    fn excluded_at(&self, words: &[String], at: usize) -> bool {
        self.not_in.iter().any(|phrase| {
            self.offsets_in(phrase).filter(|&offset| offset <= at).any(|offset| {
                let start = at - offset;
                words.len() >= start + phrase.len()
                    && phrase.iter().zip(&words[start..]).all(|(want, have)| forms(have).contains(want))
            })
        })
    }
}

const BUILTIN: &str = include_str!("../../templates/plain-language.toml");
const BUILTIN_ES: &str = include_str!("../../templates/plain-language.es.toml");

/// The plain-language lists, one per language (BCP 47 primary subtag: `en`, `es`).
#[derive(Debug, Clone, Default, PartialEq, Hash)]
pub struct WordLists {
    by_lang: BTreeMap<String, PlainLanguage>,
}

impl WordLists {
    /// The lists shipped in `templates/`: `plain-language.toml` (English) and
    /// `plain-language.<lang>.toml` for each other language.
    pub fn builtin() -> Self {
        let mut lists = WordLists::default();
        lists.insert("en", PlainLanguage::builtin());
        // Compiled in and parsed by a unit test, like the English list.
        lists.insert(
            "es",
            PlainLanguage::parse(BUILTIN_ES).expect("templates/plain-language.es.toml is valid"),
        );
        lists
    }

    /// Sets the list for `lang`, replacing the built-in one.
    pub fn insert(&mut self, lang: &str, list: PlainLanguage) {
        self.by_lang.insert(primary_subtag(lang), list);
    }

    /// The list for a language tag (`es-MX` uses `es`).
    pub fn get(&self, lang: &str) -> Option<&PlainLanguage> {
        self.by_lang.get(&primary_subtag(lang))
    }
}

/// `es-MX` → `es`.
pub fn primary_subtag(tag: &str) -> String {
    tag.split(['-', '_']).next().unwrap_or("").to_ascii_lowercase()
}

/// Lowercase, with typographic apostrophes made straight and a possessive dropped, so
/// "Patient’s" and "patient's" and "patient" compare equal.
pub(crate) fn normalize(word: &str) -> String {
    let w = word.to_lowercase().replace(['’', 'ʼ'], "'");
    let w = w.trim_matches(|c: char| !c.is_alphanumeric());
    w.strip_suffix("'s").unwrap_or(w).to_string()
}

/// The word itself and the stems it may be an inflection of: "therapies" → "therapy",
/// "administered" → "administer", "alleviating" → "alleviate". Over-generating is
/// harmless: a stem only matters if the list has it.
fn forms(word: &str) -> Vec<String> {
    let mut out = vec![word.to_string()];
    let mut add = |stem: Option<&str>, tail: &str| {
        if let Some(stem) = stem
            && stem.len() >= 3
        {
            out.push(format!("{stem}{tail}"));
        }
    };
    add(word.strip_suffix('s'), "");
    add(word.strip_suffix("es"), "");
    add(word.strip_suffix("ies"), "y");
    add(word.strip_suffix("ied"), "y");
    add(word.strip_suffix("ed"), "");
    add(word.strip_suffix('d'), "");
    add(word.strip_suffix("ing"), "");
    add(word.strip_suffix("ing"), "e");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        text.split_whitespace().map(normalize).collect()
    }

    #[test]
    fn builtin_parses_and_is_substantial() {
        let list = PlainLanguage::builtin();
        assert!(list.len() >= 60, "only {} entries", list.len());
        assert_eq!(list.lookup("utilize").map(|e| e.alternative.as_str()), Some("use"));
        assert_eq!(list.lookup("metastatic").map(|e| e.kind), Some(Kind::Explain));
        assert_eq!(list.lookup("malignant").map(|e| e.kind), Some(Kind::Replace));
    }

    #[test]
    fn parse_shape_and_errors() {
        let list = PlainLanguage::parse("[words]\nUtilize = \"use\"\n\"prior  to\" = \"before\"\n").unwrap();
        assert_eq!(list.len(), 2);
        assert!(list.lookup("prior to").is_some());
        assert!(list.lookup("utilize").is_some());
        assert!(PlainLanguage::parse("").unwrap().is_empty());

        let err = PlainLanguage::parse("[word]\na = \"b\"\n").unwrap_err();
        assert!(err.contains("word"), "{err}");
        let err = PlainLanguage::parse("[words]\nutilize = \n").unwrap_err();
        assert!(err.contains("line 2"), "{err}");
        let err = PlainLanguage::parse("[words]\na = \"\"\n").unwrap_err();
        assert!(err.contains("empty"), "{err}");
        let err = PlainLanguage::parse("[words]\nfoo = \"x\"\n[terms]\nFoo = \"y\"\n").unwrap_err();
        assert!(err.contains("twice"), "{err}");
    }

    #[test]
    fn not_in_phrases_keep_advice_in_context() {
        let list = PlainLanguage::parse(
            "[words]\noral = { use = \"by mouth\", not-in = [\"oral health\", \"oral cancer\"] }\n\
             assist = { use = \"help\", not-in = [\"assisted suicide\", \"assisted living\"] }\n",
        )
        .unwrap();
        assert!(list.match_at(&words("Good oral health matters"), 1).is_none());
        assert!(list.match_at(&words("Oral cancer screening"), 0).is_none());
        assert_eq!(
            list.match_at(&words("Take this oral medicine"), 2).map(|(e, _)| e.key.as_str()),
            Some("oral")
        );
        assert!(list.match_at(&words("She moved to assisted living"), 3).is_none());
        assert!(list.match_at(&words("Nurses assisted her"), 1).is_some());
        let err = PlainLanguage::parse("[words]\noral = { use = \"x\", not-in = [\"dental care\"] }\n")
            .unwrap_err();
        assert!(err.contains("does not contain the key"), "{err}");
    }

    #[test]
    fn spanish_list_parses() {
        let lists = WordLists::builtin();
        let es = lists.get("es-MX").expect("Spanish list");
        assert!(es.len() >= 50, "only {} entries", es.len());
        assert_eq!(es.lookup("utilizar").map(|e| e.alternative.as_str()), Some("usar"));
        assert!(es.match_at(&words("las vías respiratorias"), 1).is_none());
    }

    #[test]
    fn matching_inflections_and_phrases() {
        let list = PlainLanguage::parse(
            "[words]\nadminister = \"give\"\ntherapy = \"treatment\"\nprior = \"earlier\"\n\"prior to\" = \"before\"\nindividuals = \"people\"\nalleviate = \"ease\"\n",
        )
        .unwrap();
        let w = words("Administered therapies prior to surgery, prior visits, alleviating pain");
        assert_eq!(list.match_at(&w, 0).map(|(e, n)| (e.key.as_str(), n)), Some(("administer", 1)));
        assert_eq!(list.match_at(&w, 1).map(|(e, _)| e.key.as_str()), Some("therapy"));
        assert_eq!(list.match_at(&w, 2).map(|(e, n)| (e.key.as_str(), n)), Some(("prior to", 2)));
        assert_eq!(list.match_at(&w, 5).map(|(e, n)| (e.key.as_str(), n)), Some(("prior", 1)));
        assert_eq!(list.match_at(&w, 7).map(|(e, _)| e.key.as_str()), Some("alleviate"));
        assert!(list.match_at(&w, 4).is_none());
        // A plural key does not match the singular.
        assert!(list.match_at(&words("individual"), 0).is_none());
        assert!(list.match_at(&words("Individuals’"), 0).is_some());
    }
}
