//! The language of an article body, when front matter does not say.
//!
//! `whatlang` (trigram profiles, MIT, small) is reliable from about twenty words and runs
//! in well under a millisecond on a long article. Only body prose is given to it: menus
//! and headings are short and often English on sites in any language. Below
//! [`MIN_WORDS`] words, or when whatlang is not sure, the answer is "unsure" and the
//! caller falls back to the collection's language with a warning.

use crate::model::{Block, plain_text};

/// Fewer words than this of prose give no reliable answer.
pub const MIN_WORDS: usize = 20;
/// A paragraph this long gets its own vote when looking for a second language.
const PARAGRAPH_WORDS: usize = 15;

/// What detection found.
#[derive(Debug, Clone, PartialEq)]
pub enum Detected {
    /// A BCP 47 primary language subtag (`en`, `es`).
    Sure(String),
    /// Too little text, or no clear winner; the best guess, if any, for the warning.
    Unsure { guess: Option<String>, words: usize },
}

/// The language of the prose in `blocks`, and, for a bilingual paste, the other language
/// with the number of paragraphs written in it.
pub fn detect(blocks: &[Block]) -> (Detected, Option<(String, usize)>) {
    let paragraphs = prose(blocks);
    let all = paragraphs.join("\n");
    let words = all.split_whitespace().count();
    // Each paragraph votes for its language with its words. whatlang's confidence is not
    // comparable across languages (a plain English sentence can score 0.36 where a
    // Spanish one scores 1.0), so it does not weigh the votes.
    let mut weight: std::collections::BTreeMap<&'static str, f64> = Default::default();
    let mut votes: std::collections::BTreeMap<&'static str, usize> = Default::default();
    for paragraph in &paragraphs {
        let n = paragraph.split_whitespace().count();
        if let Some(info) = whatlang::detect(paragraph) {
            *weight.entry(tag(info.lang())).or_default() += n as f64;
            if n >= PARAGRAPH_WORDS && info.is_reliable() {
                *votes.entry(tag(info.lang())).or_default() += 1;
            }
        }
    }
    let whole = whatlang::detect(&all);
    let total: f64 = weight.values().sum();
    let best = weight.iter().max_by(|a, b| a.1.total_cmp(b.1)).map(|(&lang, &w)| (lang, w));
    let main = match best {
        _ if words < MIN_WORDS => None,
        Some((lang, w)) if w > 0.5 * total => Some(lang),
        Some((lang, _)) if whole.as_ref().is_some_and(|i| i.is_reliable() && tag(i.lang()) == lang) => {
            Some(lang)
        }
        _ => None,
    };
    let Some(main) = main else {
        return (Detected::Unsure { guess: whole.map(|i| tag(i.lang()).to_string()), words }, None);
    };
    let voting = paragraphs.iter().filter(|p| p.split_whitespace().count() >= PARAGRAPH_WORDS).count();
    let second = votes
        .iter()
        .filter(|&(&lang, _)| lang != main)
        .max_by_key(|&(_, &count)| count)
        .filter(|&(_, &count)| count >= 2 && count * 5 >= voting)
        .map(|(&lang, &count)| (lang.to_string(), count));
    (Detected::Sure(main.to_string()), second)
}

/// The text of paragraphs and list items, which carry the article's language.
fn prose(blocks: &[Block]) -> Vec<String> {
    let mut out = Vec::new();
    for block in blocks {
        match block {
            Block::Paragraph { content, .. } => out.push(plain_text(content)),
            Block::List { items, .. } => items.iter().for_each(|item| out.extend(prose(item))),
            Block::Quote { blocks, .. } => out.extend(prose(blocks)),
            _ => {}
        }
    }
    out
}

/// whatlang's ISO 639-3 code → the shortest BCP 47 tag (ISO 639-1 where one exists).
fn tag(lang: whatlang::Lang) -> &'static str {
    use whatlang::Lang::*;
    match lang {
        Eng => "en",
        Spa => "es",
        Fra => "fr",
        Por => "pt",
        Deu => "de",
        Ita => "it",
        Nld => "nl",
        Pol => "pl",
        Rus => "ru",
        Ukr => "uk",
        Ara => "ar",
        Cmn => "zh",
        Jpn => "ja",
        Kor => "ko",
        Vie => "vi",
        Tgl => "tl",
        Hin => "hi",
        Ben => "bn",
        Urd => "ur",
        Pes => "fa",
        Tur => "tr",
        Heb => "he",
        Ell => "el",
        Ron => "ro",
        Swe => "sv",
        Dan => "da",
        Nob => "nb",
        Fin => "fi",
        Hun => "hu",
        Ces => "cs",
        Slk => "sk",
        Hrv => "hr",
        Srp => "sr",
        Bul => "bg",
        Tha => "th",
        Ind => "id",
        Cat => "ca",
        Amh => "am",
        other => other.code(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Inline;

    fn para(text: &str) -> Block {
        Block::Paragraph { content: vec![Inline::text(text)], line: 1 }
    }

    #[test]
    fn spanish_prose_is_spanish() {
        let blocks = [para(
            "La diabetes puede dañar los nervios de los pies. Revise sus pies todos los días y \
             llame a su médico si ve una herida que no se cura en unos días.",
        )];
        assert_eq!(detect(&blocks).0, Detected::Sure("es".into()));
    }

    #[test]
    fn short_text_is_unsure() {
        assert!(matches!(detect(&[para("Wash your hands.")]).0, Detected::Unsure { words: 3, .. }));
    }

    #[test]
    fn a_second_language_is_reported() {
        let en = "Check your feet every day for cuts, blisters, redness or swelling, and call your doctor if a sore does not heal.";
        let es = "Revise sus pies todos los días para ver si tiene cortes, ampollas o hinchazón, y llame a su médico si una herida no sana.";
        let blocks = [para(en), para(en), para(en), para(es), para(es)];
        let (main, second) = detect(&blocks);
        assert_eq!(main, Detected::Sure("en".into()));
        assert_eq!(second, Some(("es".into(), 2)));
    }
}
