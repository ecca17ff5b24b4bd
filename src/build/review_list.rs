//! What `check` says about drafts and reviews: the drafts, the handouts whose review is
//! overdue or due within [`DUE_SOON_DAYS`] days, each with its owner, and (for
//! `--strict`) a failure per overdue handout, at the line of the date it was counted
//! from. The only part of the program whose result depends on today's date.

use crate::error::{Failure, Kind};
use crate::model::Article;
use crate::review::{DUE_SOON_DAYS, Standing, standing};

/// What a list says of a handout whose front matter names no `owner:`.
const NO_OWNER: &str = "none";

/// The lists, ready to print; empty when there is nothing to say.
#[derive(Debug, Default)]
pub struct ReviewLists {
    pub drafts: Vec<String>,
    pub overdue: Vec<String>,
    pub due_soon: Vec<String>,
    /// One per overdue handout, for `check --strict`.
    pub failures: Vec<Failure>,
}

impl ReviewLists {
    /// The lists for `articles` (drafts and due dates already decided by the build's
    /// rules) on `today`; handouts soonest due first.
    pub fn new(articles: &[Article], today: time::Date) -> ReviewLists {
        let mut lists = ReviewLists::default();
        for article in articles.iter().filter(|a| a.is_draft()) {
            let why = if article.meta.reviewed.is_some() { "status: draft" } else { "no reviewed: date" };
            lists.drafts.push(format!("{}  {}  ({why})", article.source, article.id));
        }
        let mut due: Vec<(&str, &Article)> = articles
            .iter()
            .filter(|a| !a.is_draft())
            .filter_map(|a| Some((a.meta.review_due.as_deref()?, a)))
            .collect();
        due.sort_by(|a, b| (a.0, &a.1.source).cmp(&(b.0, &b.1.source)));
        for (date, article) in due {
            let owner = article.meta.owner.as_deref().map(crate::render::xml::one_line);
            let entry = format!(
                "{}  due {date}  owner: {}  {}",
                article.id,
                owner.as_deref().unwrap_or(NO_OWNER),
                article.source
            );
            match standing(date, today) {
                Standing::Overdue => {
                    let line = date_line(article);
                    let place = match line {
                        Some(line) => format!("{}:{line}", article.source),
                        None => article.source.clone(),
                    };
                    lists.failures.push(Failure {
                        kind: Kind::Input,
                        file: Some(article.source.clone()),
                        line,
                        message: format!(
                            "{place}: review overdue since {date} (owner: {}): review it, then update `reviewed:`",
                            owner.as_deref().unwrap_or("none")
                        ),
                    });
                    lists.overdue.push(entry);
                }
                Standing::DueSoon => lists.due_soon.push(entry),
                Standing::Current => {}
            }
        }
        lists
    }

    /// The text `check` prints (after the reading-level table); empty for none.
    pub fn text(&self, today: time::Date) -> String {
        let mut text = String::new();
        let mut section = |title: String, lines: &[String]| {
            if lines.is_empty() {
                return;
            }
            text.push_str(&format!("\n{title}\n"));
            for line in lines {
                text.push_str(&format!("  {line}\n"));
            }
        };
        let plural = |n: usize| if n == 1 { "" } else { "s" };
        let day = crate::review::format_date(today);
        section(
            format!(
                "{} draft{}, not on the site, in the EPUB or at the desk until reviewed (`handouts build --drafts` previews them):",
                self.drafts.len(),
                plural(self.drafts.len())
            ),
            &self.drafts,
        );
        section(format!("Review overdue on {day} ({}):", self.overdue.len()), &self.overdue);
        section(
            format!("Review due within {DUE_SOON_DAYS} days of {day} ({}):", self.due_soon.len()),
            &self.due_soon,
        );
        let unowned = format!("  owner: {NO_OWNER}  ");
        if self.overdue.iter().chain(&self.due_soon).any(|line| line.contains(&unowned)) {
            text.push_str("(`owner: Name` in an article's front matter says who reviews it.)\n");
        }
        text
    }
}

/// The line of the date the due date was counted from (`review-by:`, else `reviewed:`)
/// in the article's front matter, read again: only for overdue handouts, which are few.
fn date_line(article: &Article) -> Option<usize> {
    let text = std::fs::read_to_string(&article.source).ok()?;
    let key = if article.meta.review_by.is_some() { "review-by" } else { "reviewed" };
    crate::ingest::line_of_key(&text, key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Meta, Status};

    fn article(
        id: &str,
        status: Status,
        reviewed: Option<&str>,
        due: Option<&str>,
        owner: Option<&str>,
    ) -> Article {
        Article {
            schema: crate::model::SCHEMA_VERSION,
            id: id.into(),
            source: format!("content/{id}.md"),
            meta: Meta {
                title: id.into(),
                lang: "en".into(),
                status,
                reviewed: reviewed.map(Into::into),
                review_due: due.map(Into::into),
                owner: owner.map(Into::into),
                ..Meta::default()
            },
            blocks: Vec::new(),
            removed: Vec::new(),
            stats: None,
            warnings: Vec::new(),
        }
    }

    #[test]
    fn drafts_overdue_and_due_soon_with_their_owners() {
        let today = crate::validate::date("2026-12-07").unwrap();
        let articles = [
            article("soon", Status::Published, Some("2025-01-20"), Some("2027-01-20"), None),
            article("late", Status::Published, Some("2024-09-14"), Some("2026-09-14"), Some("Dr. Ana Ruiz")),
            article("later", Status::Published, Some("2026-01-01"), Some("2028-01-01"), None),
            article("new", Status::Draft, None, None, None),
            article("old-draft", Status::Draft, Some("2020-01-01"), Some("2022-01-01"), None),
        ];
        let lists = ReviewLists::new(&articles, today);
        assert_eq!(
            lists.drafts,
            ["content/new.md  new  (no reviewed: date)", "content/old-draft.md  old-draft  (status: draft)"]
        );
        assert_eq!(lists.overdue, ["late  due 2026-09-14  owner: Dr. Ana Ruiz  content/late.md"]);
        assert_eq!(lists.due_soon.len(), 1);
        assert!(lists.due_soon[0].starts_with("soon  due 2027-01-20  owner: none"), "{:?}", lists.due_soon);
        // A draft is not published: its review is not overdue.
        assert_eq!(lists.failures.len(), 1);
        assert_eq!(lists.failures[0].file.as_deref(), Some("content/late.md"));
        assert!(
            lists.failures[0]
                .message
                .starts_with("content/late.md: review overdue since 2026-09-14 (owner: Dr. Ana Ruiz)"),
            "{}",
            lists.failures[0].message
        );
        let text = lists.text(today);
        assert!(text.contains("\nReview overdue on 2026-12-07 (1):\n  late  due 2026-09-14"), "{text}");
        assert!(text.contains("Review due within 60 days of 2026-12-07 (1):"), "{text}");
        assert!(
            text.ends_with("(`owner: Name` in an article's front matter says who reviews it.)\n"),
            "{text}"
        );
        assert!(ReviewLists::new(&articles[2..3], today).text(today).is_empty());
    }
}
