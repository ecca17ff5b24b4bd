//! Which handouts answer a request.
//!
//! Codes first: each criterion's code, then (ICD-10-CM) each of its parents, most
//! specific first (E11.65, E11.6, E11), through the library's index by code. Only when
//! no code of the request matches anything do the display names count: handouts whose
//! title shares words with one, those sharing the most first. A handout and its
//! translations are one answer, in the language asked for when there is such a
//! translation (else English, else the language it was found in).

use std::collections::{HashMap, HashSet};

use super::Library;
use super::request::{Request, Wanted};
use crate::codes::Code;

/// The most handouts a display name alone brings: a word like "cancer" must not list a
/// whole library.
pub const MAX_BY_NAME: usize = 10;

/// A display-name word found in more titles than this (or a tenth of the library, if
/// more) is left out of matching.
pub const COMMON_WORD_TITLES: usize = 100;

/// One handout in an answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    /// Index into [`Library::handouts`]: the translation chosen.
    pub handout: usize,
    /// The code that matched (the handout's own, maybe a parent of the one asked
    /// for); `None` when the display name found it.
    pub matched: Option<Code>,
}

/// The words of a title as the index holds them: folded like the catalogue's search,
/// without stop words and words shorter than three letters ("2", "of").
pub fn title_words(title: &str) -> impl Iterator<Item = String> + '_ {
    crate::site::catalogue::words(title).filter(|word| {
        word.chars().count() >= 3 && !crate::site::catalogue::STOP_WORDS.contains(&word.as_str())
    })
}

/// The handouts that answer `request`, best first, each translation group once.
pub fn find(library: &Library, request: &Request) -> Vec<Found> {
    let lang = request.lang.as_deref();
    let mut found = Vec::new();
    let mut keys: HashSet<&str> = HashSet::new();
    let mut push = |index: usize, matched: Option<Code>, found: &mut Vec<Found>| {
        let key = library.handouts[index].translation_key.as_str();
        if keys.insert(key) {
            found.push(Found { handout: in_language(library, index, lang), matched });
        }
    };
    for criterion in &request.criteria {
        if let Some(Wanted::Known(code)) = &criterion.code {
            for level in code.with_parents() {
                for &index in library.by_code.get(&level).into_iter().flatten() {
                    push(index, Some(level.clone()), &mut found);
                }
            }
        }
    }
    if !found.is_empty() {
        return found;
    }
    for display in request.criteria.iter().filter_map(|c| c.display.as_deref()) {
        let mut shared: HashMap<usize, usize> = HashMap::new();
        let mut words: Vec<String> = title_words(display).collect();
        words.sort();
        words.dedup();
        for word in &words {
            let titles = library.by_title_word.get(word).map(Vec::as_slice).unwrap_or_default();
            // A word in a large share of the titles ("condition", "your") tells nothing
            // and would cost a pass over them.
            if titles.len() > COMMON_WORD_TITLES.max(library.len() / 10) {
                continue;
            }
            for &index in titles {
                *shared.entry(index).or_default() += 1;
            }
        }
        let mut ranked: Vec<(usize, usize)> = shared.into_iter().collect();
        ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let before = found.len();
        for (index, _) in ranked {
            if found.len() - before >= MAX_BY_NAME {
                break;
            }
            push(index, None, &mut found);
        }
    }
    found
}

/// The translation of handout `index` in `lang` (the same tag, else the same primary
/// language: `es` finds `es-MX`); without `lang`, English; else the handout itself.
fn in_language(library: &Library, index: usize, lang: Option<&str>) -> usize {
    let wanted = lang.unwrap_or(crate::ingest::FALLBACK_LANG);
    let primary = |tag: &str| tag.split('-').next().unwrap_or(tag).to_ascii_lowercase();
    let group = library.by_key.get(&library.handouts[index].translation_key);
    let group = group.map(Vec::as_slice).unwrap_or_default();
    let own = &library.handouts[index].lang;
    if own.eq_ignore_ascii_case(wanted) {
        return index;
    }
    group
        .iter()
        .copied()
        .find(|&i| library.handouts[i].lang.eq_ignore_ascii_case(wanted))
        .or_else(|| {
            if primary(own) == primary(wanted) {
                return Some(index);
            }
            group.iter().copied().find(|&i| primary(&library.handouts[i].lang) == primary(wanted))
        })
        .unwrap_or(index)
}

/// What was asked, for the log: the codes (`icd10cm:E11.9`), other systems' codes as
/// `OID|code`, and how many criteria were display names only. Never the names
/// themselves: they are free text from a patient's record.
pub fn asked(request: &Request) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut names = 0;
    for criterion in &request.criteria {
        match &criterion.code {
            Some(Wanted::Known(code)) => parts.push(code.to_string()),
            Some(Wanted::Other { system, value }) => parts.push(format!("{system}|{value}")),
            None => names += 1,
        }
    }
    if names > 0 {
        parts.push(format!("{names} display name(s)"));
    }
    parts.join(", ")
}

#[cfg(test)]
mod tests {
    use super::super::Handout;
    use super::super::request::parse;
    use super::*;

    fn handout(id: &str, lang: &str, key: &str, title: &str, codes: &[&str]) -> Handout {
        Handout {
            id: id.into(),
            title: title.into(),
            summary: None,
            lang: lang.into(),
            translation_key: key.into(),
            codes: codes.iter().map(|c| crate::codes::parse(c).unwrap()).collect(),
            reviewed: None,
        }
    }

    fn library() -> Library {
        Library::new(vec![
            handout(
                "diabetes",
                "en",
                "diabetes",
                "Living with type 2 diabetes",
                &["icd10cm:E11", "snomed:44054006"],
            ),
            handout(
                "diabetes-es",
                "es",
                "diabetes",
                "Vivir con diabetes tipo 2",
                &["icd10cm:E11", "snomed:44054006"],
            ),
            handout("foot-ulcer", "en", "foot-ulcer", "Caring for a foot ulcer", &["icd10cm:E11.621"]),
            handout("hyperglycemia", "en", "hyperglycemia", "High blood sugar", &["icd10cm:E11.65"]),
            handout("a1c", "en", "a1c", "Your A1C test", &["loinc:4548-4"]),
            handout("metformin", "en", "metformin", "Taking metformin", &["rxnorm:860975"]),
            handout("asthma", "en", "asthma", "Asthma action plan", &[]),
        ])
    }

    fn ids(library: &Library, query: &str) -> Vec<String> {
        let request = parse(query).unwrap();
        find(library, &request)
            .iter()
            .map(|f| {
                let code = f.matched.as_ref().map_or("name".to_string(), |c| c.value.clone());
                format!("{}={code}", library.handouts()[f.handout].id)
            })
            .collect()
    }

    const ICD: &str = "mainSearchCriteria.v.cs=2.16.840.1.113883.6.90";

    #[test]
    fn icd10cm_parents_most_specific_first() {
        let library = library();
        assert_eq!(
            ids(&library, &format!("{ICD}&mainSearchCriteria.v.c=E11.65")),
            ["hyperglycemia=E11.65", "diabetes=E11"]
        );
        assert_eq!(
            ids(&library, &format!("{ICD}&mainSearchCriteria.v.c=E11.621")),
            ["foot-ulcer=E11.621", "diabetes=E11"]
        );
        // A child of a coded handout's code does not reach the parent's children.
        assert_eq!(ids(&library, &format!("{ICD}&mainSearchCriteria.v.c=E11.9")), ["diabetes=E11"]);
        assert!(ids(&library, &format!("{ICD}&mainSearchCriteria.v.c=E10.9")).is_empty());
    }

    #[test]
    fn the_translation_in_the_language_asked_for() {
        let library = library();
        let snomed = "mainSearchCriteria.v.cs=2.16.840.1.113883.6.96&mainSearchCriteria.v.c=44054006";
        assert_eq!(ids(&library, snomed), ["diabetes=44054006"], "English by default, each group once");
        assert_eq!(
            ids(&library, &format!("{snomed}&informationRecipient.languageCode.c=es")),
            ["diabetes-es=44054006"]
        );
        // No Spanish A1C handout: the English one rather than nothing.
        let lab = "mainSearchCriteria.v.cs=2.16.840.1.113883.6.1&mainSearchCriteria.v.c=4548-4&informationRecipient.languageCode.c=es";
        assert_eq!(ids(&library, lab), ["a1c=4548-4"]);
    }

    #[test]
    fn several_criteria_and_systems_in_one_request() {
        let library = library();
        let query = "mainSearchCriteria.v.c=860975&mainSearchCriteria.v.cs=2.16.840.1.113883.6.88\
                     &mainSearchCriteria.v.c1=4548-4&mainSearchCriteria.v.cs1=2.16.840.1.113883.6.1\
                     &mainSearchCriteria.v.c2=E11.9&mainSearchCriteria.v.cs2=2.16.840.1.113883.6.90";
        assert_eq!(ids(&library, query), ["metformin=860975", "a1c=4548-4", "diabetes=E11"]);
    }

    #[test]
    fn display_names_count_only_when_no_code_matches() {
        let library = library();
        // ICD-9-CM is not a system handouts codes in: the name finds the handouts.
        let query = "mainSearchCriteria.v.c=493.12&mainSearchCriteria.v.cs=2.16.840.1.113883.6.103\
                     &mainSearchCriteria.v.dn=Extrinsic+asthma+with+exacerbation";
        assert_eq!(ids(&library, query), ["asthma=name"]);
        let query = format!("{ICD}&mainSearchCriteria.v.c=E11.9&mainSearchCriteria.v.dn=Asthma");
        assert_eq!(ids(&library, &query), ["diabetes=E11"], "a code match: the name is not used");
        assert!(ids(&library, "mainSearchCriteria.v.dn=Broken+arm").is_empty());
    }

    #[test]
    fn a_word_in_most_titles_finds_nothing_by_itself() {
        let mut handouts: Vec<Handout> = (0..=COMMON_WORD_TITLES)
            .map(|n| handout(&format!("c{n:03}"), "en", &format!("c{n:03}"), &format!("Condition {n}"), &[]))
            .collect();
        handouts.push(handout("gout", "en", "gout", "Condition: gout", &[]));
        let library = Library::new(handouts);
        assert!(ids(&library, "mainSearchCriteria.v.dn=Condition").is_empty());
        assert_eq!(ids(&library, "mainSearchCriteria.v.dn=Gout+condition"), ["gout=name"]);
    }

    #[test]
    fn the_log_holds_codes_and_never_a_name() {
        let request = parse(&format!(
            "{ICD}&mainSearchCriteria.v.c=E11.9&mainSearchCriteria.v.dn1=Zelda+Quixotewright"
        ))
        .unwrap();
        assert_eq!(asked(&request), "icd10cm:E11.9, 1 display name(s)");
    }
}
