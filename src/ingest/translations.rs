//! Translations: articles with the same translation key are one handout in several
//! languages (the convention of Hugo's `translationKey`). An article's key is its front
//! matter `translation-key`, else its own id, so a translation only has to name the id
//! of the article it translates.
//!
//! Linking needs each article's id, key and language and nothing else, for the whole
//! batch at once: the build finds them in its first pass over the files (from the
//! manifest for a file it has already seen), links, and hands every article its
//! translations before any output is made, so a page can link to a translation that is
//! built after it, on another thread.

use std::sync::Arc;

use crate::model::Translation;

/// What linking needs to know of one article of the batch.
#[derive(Debug, Clone, Copy)]
pub struct Member<'a> {
    /// Its unique id.
    pub id: &'a str,
    /// Front matter `translation-key` (an id), if any.
    pub key: Option<&'a str>,
    /// Its language tag.
    pub lang: &'a str,
}

impl Member<'_> {
    fn key(&self) -> &str {
        self.key.unwrap_or(self.id)
    }
}

/// What linking made of one article.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Linked {
    /// Its group: the articles with its key, itself included.
    pub group: Group,
    pub problem: Option<Problem>,
}

impl Linked {
    /// The other articles with its key (its id is `id`), in language-tag order.
    pub fn translations(&self, id: &str) -> Vec<Translation> {
        self.group.others(id)
    }
}

/// The linked articles of one translation group, in language-tag order, held once for
/// all of them: a list of the others per article was about 1 KB each for a library in
/// ten languages (50 MB at 50,000 articles, bench/RESULTS.md). Empty for an article
/// without translations.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Group(Arc<[Translation]>);

impl Group {
    /// The group's articles but the one whose id is `id`: that article's translations.
    pub fn others(&self, id: &str) -> Vec<Translation> {
        self.0.iter().filter(|t| t.id != id).cloned().collect()
    }

    /// The group without the articles `leave_out` picks; `self` when it picks none.
    pub fn without(&self, leave_out: impl Fn(&Translation) -> bool) -> Group {
        if !self.0.iter().any(&leave_out) {
            return self.clone();
        }
        Group(self.0.iter().filter(|t| !leave_out(t)).cloned().collect())
    }

    /// The same group (one allocation) for every member: its address.
    pub fn address(&self) -> *const Translation {
        self.0.as_ptr()
    }
}

/// Why an article's `translation-key` links it to nothing, for a warning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Problem {
    /// Another article (its index in the batch) has the same key and language: a page
    /// cannot offer two Spanish versions, so that one is linked and this one is not.
    SameLanguage { linked: usize },
    /// No other article has the key: a misspelt id, most likely.
    NoOther,
}

/// Links every member of the batch (in batch order) to the others with its key.
///
/// When two have the same key and language, one is left out of the group: the one
/// whose key is its own id (the article the others translate), else the later in the
/// batch. `whole_batch` is false when the batch is some files only, whose missing
/// translations may well be among the others: a key matching nothing is then no problem.
pub fn link(members: &[Member], whole_batch: bool) -> Vec<Linked> {
    let mut groups: std::collections::BTreeMap<&str, Vec<usize>> = Default::default();
    // The article a key names comes first, so it is the one a clash leaves linked.
    let mut order: Vec<usize> = (0..members.len()).collect();
    order.sort_by_key(|&i| (members[i].key.is_some(), i));
    for i in order {
        groups.entry(members[i].key()).or_default().push(i);
    }
    let mut linked = vec![Linked::default(); members.len()];
    for group in groups.values() {
        let mut kept: Vec<usize> = Vec::new();
        for &i in group {
            match kept.iter().find(|&&k| members[k].lang.eq_ignore_ascii_case(members[i].lang)) {
                Some(&other) => linked[i].problem = Some(Problem::SameLanguage { linked: other }),
                None => kept.push(i),
            }
        }
        kept.sort_by_key(|&i| (members[i].lang.to_ascii_lowercase(), members[i].id));
        if kept.len() > 1 {
            let group = Group(
                kept.iter()
                    .map(|&i| Translation { id: members[i].id.into(), lang: members[i].lang.into() })
                    .collect(),
            );
            for &i in &kept {
                linked[i].group = group.clone();
            }
        }
        if let [only] = group.as_slice() {
            let member = &members[*only];
            if whole_batch && member.key.is_some_and(|key| key != member.id) {
                linked[*only].problem = Some(Problem::NoOther);
            }
        }
    }
    linked
}

/// The warning for `problem` of the member `index`, in plain words; `place` names an
/// article of the batch as `file` or `file:line` (the line of its `translation-key`).
pub fn warning(
    members: &[Member],
    index: usize,
    problem: Problem,
    place: impl Fn(usize) -> String,
) -> String {
    let member = &members[index];
    match problem {
        Problem::SameLanguage { linked } => format!(
            "{} is already the \"{}\" article with the translation key \"{}\": this one is linked to no \
             translation (change its lang or translation-key)",
            place(linked),
            members[linked].lang,
            member.key()
        ),
        Problem::NoOther => format!(
            "translation-key \"{}\" is neither the id nor the translation-key of another article: this one \
             is linked to no translation (the ids are the names of the files in out/json/)",
            member.key()
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn member<'a>(id: &'a str, key: Option<&'a str>, lang: &'a str) -> Member<'a> {
        Member { id, key, lang }
    }

    fn ids(linked: &Linked, own: &str) -> Vec<(String, String)> {
        linked.translations(own).into_iter().map(|t| (t.id, t.lang)).collect()
    }

    fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
        expected.iter().map(|(id, lang)| (id.to_string(), lang.to_string())).collect()
    }

    #[test]
    fn a_key_names_the_id_of_the_article_it_translates() {
        let members = [
            member("foot-care", None, "en"),
            member("kidney", None, "en"),
            member("cuidado-de-los-pies", Some("foot-care"), "es"),
            member("soins-des-pieds", Some("foot-care"), "fr"),
        ];
        let linked = link(&members, true);
        assert_eq!(
            ids(&linked[0], members[0].id),
            pairs(&[("cuidado-de-los-pies", "es"), ("soins-des-pieds", "fr")])
        );
        assert_eq!(ids(&linked[2], members[2].id), pairs(&[("foot-care", "en"), ("soins-des-pieds", "fr")]));
        assert_eq!(
            ids(&linked[3], members[3].id),
            pairs(&[("foot-care", "en"), ("cuidado-de-los-pies", "es")])
        );
        assert_eq!(linked[1], Linked::default(), "an article without translations has none");
        // One group for its three articles, not a list for each.
        assert!(linked[0].group.address() == linked[2].group.address() && linked[2].group == linked[3].group);
        assert!(linked.iter().all(|l| l.problem.is_none()));
    }

    #[test]
    fn a_shared_key_that_is_no_article_s_id_links_too() {
        let members = [member("a", Some("pair"), "en"), member("b", Some("pair"), "es-MX")];
        let linked = link(&members, true);
        assert_eq!(ids(&linked[0], members[0].id), pairs(&[("b", "es-MX")]));
        assert_eq!(ids(&linked[1], members[1].id), pairs(&[("a", "en")]));
    }

    #[test]
    fn two_articles_in_one_language_with_one_key_link_only_the_first() {
        // The copy sorts first, but the article the key names keeps its place.
        let members = [
            member("a-copy", Some("original"), "EN"),
            member("original", None, "en"),
            member("traduccion", Some("original"), "es"),
        ];
        let linked = link(&members, true);
        assert_eq!(linked[0].problem, Some(Problem::SameLanguage { linked: 1 }));
        assert!(linked[0].translations(members[0].id).is_empty());
        assert_eq!(ids(&linked[1], members[1].id), pairs(&[("traduccion", "es")]));
        assert_eq!(ids(&linked[2], members[2].id), pairs(&[("original", "en")]));
        let message = warning(&members, 0, Problem::SameLanguage { linked: 1 }, |i| format!("{i}.md:3"));
        assert_eq!(
            message,
            "1.md:3 is already the \"en\" article with the translation key \"original\": this one is \
             linked to no translation (change its lang or translation-key)"
        );
        // Between two that both name the key, the earlier in the batch stays linked.
        let members = [member("x", Some("k"), "es"), member("y", Some("k"), "es"), member("k", None, "en")];
        assert_eq!(link(&members, true)[1].problem, Some(Problem::SameLanguage { linked: 0 }));
    }

    #[test]
    fn a_key_that_matches_nothing_is_a_problem_only_in_a_whole_batch() {
        let members = [member("pies", Some("foot-cair"), "es"), member("foot-care", None, "en")];
        let linked = link(&members, true);
        assert_eq!(linked[0].problem, Some(Problem::NoOther));
        assert!(warning(&members, 0, Problem::NoOther, |_| String::new()).contains("\"foot-cair\""));
        assert_eq!(link(&members, false)[0].problem, None);
        // An article naming its own id, or without a key, is alone without a problem.
        let members = [member("a", Some("a"), "en"), member("b", None, "en")];
        assert!(link(&members, true).iter().all(|l| l.problem.is_none()));
    }
}
