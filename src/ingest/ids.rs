//! Article ids: the slug a title gives, made unique over a batch, each article keeping
//! the id it was published under.

use crate::model::{Article, Warning};

/// The id a title (or a front-matter id) gives: [`crate::validate::slug`], or, for text
/// with nothing that transliterates, `article-` and a hash of the text, so the id still
/// depends only on the article itself and not on which other files exist.
pub fn slugify(text: &str) -> String {
    let slug = crate::validate::slug(text);
    if !slug.is_empty() {
        return slug;
    }
    let trimmed = text.trim();
    if !trimmed.chars().any(|c| !c.is_ascii_punctuation() && !c.is_whitespace()) {
        return "article".to_string();
    }
    format!("article-{:08x}", typst::utils::hash128(&trimmed) as u32)
}

/// Makes ids unique within a batch, each article keeping the id it was last published
/// under (`previous`, by source file) when that id still belongs to its title (see
/// [`stable_unique_ids`]); the warning names the article that got a new suffix.
pub fn assign_unique_ids(articles: &mut [Article], previous: impl Fn(&str) -> Option<String>) {
    let bases: Vec<&str> = articles.iter().map(|a| a.id.as_str()).collect();
    let before: Vec<Option<String>> = articles.iter().map(|a| previous(&a.source)).collect();
    let unique = stable_unique_ids(&bases, &before);
    let holders = id_holders(articles.iter().map(|a| a.source.as_str()), &unique);
    for (article, id) in articles.iter_mut().zip(unique) {
        let earlier = holders.get(&article.id).cloned().unwrap_or_default();
        set_id(article, id, &earlier);
    }
}

/// Which source holds each id.
pub fn id_holders<'a>(
    sources: impl Iterator<Item = &'a str>,
    ids: &[String],
) -> std::collections::HashMap<String, String> {
    sources.zip(ids).map(|(source, id)| (id.clone(), source.to_string())).collect()
}

/// Unique ids for articles whose titles (or front matter) give `bases`, in batch order.
/// An article keeps its `previous` id (the one it was published under) while that id is
/// still its base or its base with a suffix (`-2`), so a new file with the same title
/// never takes over a published handout's id, its QR codes and bookmarks: the new file
/// gets the suffix. The others are given ids in batch order: the first keeps its base,
/// later ones get `-2`, `-3`, … (skipping ids taken).
pub fn stable_unique_ids(bases: &[&str], previous: &[Option<String>]) -> Vec<String> {
    let fits = |id: &str, base: &str| {
        id == base
            || id.strip_prefix(base).and_then(|rest| rest.strip_prefix('-')).is_some_and(|n| {
                !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) && !n.starts_with('0')
            })
    };
    let mut taken = std::collections::HashSet::new();
    let mut out: Vec<Option<String>> = bases
        .iter()
        .zip(previous.iter().chain(std::iter::repeat(&None)))
        .map(|(base, previous)| {
            previous.as_ref().filter(|id| fits(id, base) && taken.insert(id.to_string())).cloned()
        })
        .collect();
    for (slot, base) in out.iter_mut().zip(bases) {
        if slot.is_some() {
            continue;
        }
        let mut id = base.to_string();
        let mut n = 2;
        while !taken.insert(id.clone()) {
            id = format!("{base}-{n}");
            n += 1;
        }
        *slot = Some(id);
    }
    out.into_iter().map(Option::unwrap_or_default).collect()
}

/// Gives `article` the id the batch chose for it, with a warning naming `earlier`, the
/// file that has the id its title or file name gave, when that is not the id it gets.
pub fn set_id(article: &mut Article, id: String, earlier: &str) {
    if article.id != id {
        article.warnings.push(Warning::general(format!(
            "id \"{}\" is already the id of {earlier} (same title?); this one is \"{id}\"",
            article.id
        )));
        article.id = id;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_published_id_stays_with_its_article() {
        // a.md was published as "inhaler"; a draft with the same title comes first.
        let ids = stable_unique_ids(&["inhaler", "inhaler", "b"], &[None, Some("inhaler".into()), None]);
        assert_eq!(ids, ["inhaler-2", "inhaler", "b"]);
        // A previous id that no longer belongs to the title is not kept.
        assert_eq!(stable_unique_ids(&["new-title"], &[Some("old-title".into())]), ["new-title"]);
        // A suffix keeps its number, and nobody else takes the freed base.
        assert_eq!(stable_unique_ids(&["x", "x"], &[Some("x-3".into()), None]), ["x-3", "x"]);
        assert_eq!(stable_unique_ids(&["x", "x"], &[Some("x-3".into()), Some("x-3".into())]), ["x-3", "x"]);
        // Without a past: batch order; the third "a" cannot be "a-2", an article's own id.
        assert_eq!(stable_unique_ids(&["a", "a-2", "a", "b", "a"], &[]), ["a", "a-2", "a-3", "b", "a-4"]);
    }
}
