//! Which handouts a book holds, and in what order (issue 27).
//!
//! A collection with `tags` holds the handouts with one of them (compared as the site's
//! search folds text: no case, no accents) and those its `order` names by id or
//! translation key (so naming an original brings its translations); one without holds
//! every handout. Each handout is decided on its own, so a page can link to every book
//! that holds it. Chapters follow `order`, then the title; a translation (same
//! [`Article::translation_key`]) follows its original, the others in language-tag order.

use crate::config::Collection;
use crate::model::Article;

/// Whether `collection` holds `article`: the one rule the EPUB and the site's links use.
pub fn holds(collection: &Collection, article: &Article) -> bool {
    holds_handout(collection, &article.id, article.translation_key(), &article.meta.tags)
}

/// [`holds`] for a handout known by its id, translation key and tags (a catalogue entry).
pub fn holds_handout(collection: &Collection, id: &str, key: &str, tags: &[String]) -> bool {
    collection.tags.is_empty()
        || collection.order.iter().any(|wanted| wanted == id || wanted == key)
        || tags.iter().any(|tag| collection.tags.iter().any(|wanted| same_tag(tag, wanted)))
}

fn same_tag(a: &str, b: &str) -> bool {
    fold(a) == fold(b)
}

/// As the catalogue's search folds text: decomposed, accents dropped, lower case.
fn fold(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    text.nfd().filter(|c| !('\u{300}'..='\u{36f}').contains(c)).collect::<String>().to_lowercase()
}

/// What a book needs to know of a handout to place it: an [`Article`], or a
/// [`Shelf`] entry when the articles are read one at a time.
pub trait Shelved {
    fn id(&self) -> &str;
    fn translation_key(&self) -> &str;
    fn title(&self) -> &str;
    fn lang(&self) -> &str;
    fn tags(&self) -> &[String];
}

impl Shelved for Article {
    fn id(&self) -> &str {
        &self.id
    }
    fn translation_key(&self) -> &str {
        Article::translation_key(self)
    }
    fn title(&self) -> &str {
        &self.meta.title
    }
    fn lang(&self) -> &str {
        &self.meta.lang
    }
    fn tags(&self) -> &[String] {
        &self.meta.tags
    }
}

/// A handout as a book places it, without its text: a book of 100,000 handouts is
/// ordered from these and each chapter read only when it is written.
#[derive(Debug, Clone)]
pub struct Shelf {
    /// Where the article is in the batch.
    pub index: usize,
    pub id: String,
    pub translation_key: String,
    pub title: String,
    pub lang: String,
    pub tags: Vec<String>,
    pub reviewed: Option<String>,
}

impl Shelf {
    pub fn of(index: usize, article: &Article) -> Shelf {
        Shelf {
            index,
            id: article.id.clone(),
            translation_key: article.translation_key().to_string(),
            title: article.meta.title.clone(),
            lang: article.meta.lang.clone(),
            tags: article.meta.tags.clone(),
            reviewed: article.meta.reviewed.clone(),
        }
    }
}

impl Shelved for Shelf {
    fn id(&self) -> &str {
        &self.id
    }
    fn translation_key(&self) -> &str {
        &self.translation_key
    }
    fn title(&self) -> &str {
        &self.title
    }
    fn lang(&self) -> &str {
        &self.lang
    }
    fn tags(&self) -> &[String] {
        &self.tags
    }
}

/// One chapter of a book: the handout, and whether it translates the chapter before it.
pub(crate) struct Placed<'a, T> {
    pub article: &'a T,
    pub translation: bool,
}

/// The handouts of `articles` that `collection` holds, in reading order.
pub(crate) fn chapters<'a, T: Shelved>(collection: &Collection, articles: &'a [T]) -> Vec<Placed<'a, T>> {
    // Groups of translations, in batch order of their first article; found by key
    // through an index, so 100,000 handouts are grouped in one pass.
    let mut groups: Vec<(&str, Vec<&T>)> = Vec::new();
    let mut group_of: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for article in
        articles.iter().filter(|a| holds_handout(collection, a.id(), a.translation_key(), a.tags()))
    {
        let key = article.translation_key();
        match group_of.get(key) {
            Some(&at) => groups[at].1.push(article),
            None => {
                group_of.insert(key, groups.len());
                groups.push((key, vec![article]));
            }
        }
    }
    let book_lang = collection.language.as_str();
    for (key, members) in &mut groups {
        // The original: the article whose id is the key, else the one in the book's
        // language, else the first by language tag; then the rest by language tag.
        members.sort_by_cached_key(|a| {
            (
                a.id() != *key,
                !primary_lang_is(a.lang(), book_lang),
                a.lang().to_ascii_lowercase(),
                a.id().to_string(),
            )
        });
    }
    let position = |key: &str, members: &[&T]| {
        collection
            .order
            .iter()
            .position(|id| id == key || members.iter().any(|a| a.id() == id))
            .unwrap_or(usize::MAX)
    };
    // Stable and total: by `order`, then the original's title as the catalogue sorts it;
    // its id only breaks a tie between equal titles.
    groups.sort_by_cached_key(|(key, members)| {
        let original = members[0];
        (
            position(key, members),
            fold(original.title()),
            original.title().to_string(),
            original.id().to_string(),
        )
    });
    groups
        .into_iter()
        .flat_map(|(_, members)| {
            members.into_iter().enumerate().map(|(i, article)| Placed { article, translation: i > 0 })
        })
        .collect()
}

fn primary_lang_is(lang: &str, book: &str) -> bool {
    let primary = |tag: &str| tag.split('-').next().unwrap_or(tag).to_ascii_lowercase();
    primary(lang) == primary(book)
}

/// What in `collection` matches nothing in `articles`, one sentence each, for a warning:
/// a tag no handout has, an id in `order` no handout has.
pub fn unmatched<T: Shelved>(collection: &Collection, articles: &[T]) -> Vec<String> {
    let mut out = Vec::new();
    for tag in &collection.tags {
        if !articles.iter().any(|a| a.tags().iter().any(|t| same_tag(t, tag))) {
            out.push(format!("collection \"{}\": no handout has the tag \"{tag}\"", collection.title));
        }
    }
    for id in &collection.order {
        if !articles.iter().any(|a| a.id() == id || a.translation_key() == id) {
            out.push(format!(
                "collection \"{}\": no handout has the id \"{id}\" its order lists",
                collection.title
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Meta, SCHEMA_VERSION};

    fn article(id: &str, title: &str, lang: &str, tags: &[&str], key: Option<&str>) -> Article {
        Article {
            schema: SCHEMA_VERSION,
            id: id.into(),
            source: format!("content/{id}.md"),
            meta: Meta {
                title: title.into(),
                lang: lang.into(),
                tags: tags.iter().map(|t| t.to_string()).collect(),
                translation_key: key.map(String::from),
                ..Meta::default()
            },
            blocks: vec![],
            removed: vec![],
            stats: None,
            warnings: vec![],
        }
    }

    #[test]
    fn tags_and_order_choose_translations_follow_titles_sort() {
        let articles = vec![
            article("z-first", "Zinc", "en", &[], None),
            article("pies", "Cuidado de los pies", "es", &["diabetes"], Some("foot-care")),
            article("pieds", "Soins des pieds", "fr", &[], Some("foot-care")),
            article("foot-care", "Foot care", "en", &["Diabetes"], None),
            article("a-sugar", "Blood sugar", "en", &["diabétes"], None),
            article("kidney", "Kidney cancer", "en", &["cancer"], None),
        ];
        let collection = Collection {
            tags: vec!["DIABETES".into()],
            order: vec!["z-first".into(), "missing".into()],
            ..Collection::default()
        };
        let placed: Vec<(&str, bool)> =
            chapters(&collection, &articles).iter().map(|p| (p.article.id.as_str(), p.translation)).collect();
        assert_eq!(placed, [("z-first", false), ("a-sugar", false), ("foot-care", false), ("pies", true)]);
        assert_eq!(
            unmatched(&collection, &articles),
            ["collection \"Patient Handouts\": no handout has the id \"missing\" its order lists"]
        );
        let every = chapters(&Collection::default(), &articles);
        let every: Vec<&str> = every.iter().map(|p| p.article.id.as_str()).collect();
        assert_eq!(every, ["a-sugar", "foot-care", "pies", "pieds", "kidney", "z-first"], "by title, not id");
        assert!(!holds(&collection, &articles[2]), "without the tag, a translation is not held");
        let named =
            Collection { tags: vec!["x".into()], order: vec!["foot-care".into()], ..Collection::default() };
        let placed: Vec<&str> = chapters(&named, &articles).iter().map(|p| p.article.id.as_str()).collect();
        assert_eq!(placed, ["foot-care", "pies", "pieds"], "order names the original: its translations come");
    }
}
