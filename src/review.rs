//! Drafts and the review cycle: which articles are published, and when each is due for
//! its next clinical review.
//!
//! An article is a draft when its front matter says `status: draft`, or, with
//! `[handout] unreviewed-are-drafts = true`, when it has no `reviewed:` date. A draft's
//! PDFs are marked on every page, and it is left out of the site, the EPUB and the desk
//! (`build --drafts` puts it on the site, still marked). Its due date for review is its
//! `review-by:`, else its `reviewed:` date plus `[handout] review-every`.
//!
//! Everything here is a pure function of the article and the config, except
//! [`today`]: the due date is written into outputs, which stay byte-identical from one
//! day to the next; only `check`'s lists of what is overdue read the clock.

use std::fmt;

use serde::{Deserialize, Deserializer};

use crate::model::{Article, Status};

/// How many days ahead `check` lists handouts as "due for review soon".
pub const DUE_SOON_DAYS: i64 = 60;

/// The environment variable that sets "today" for `check` (`YYYY-MM-DD`), for tests and
/// for planning ahead ("what will be overdue on 2027-01-01?").
pub const TODAY_VARIABLE: &str = "HANDOUTS_TODAY";

/// `[handout] review-every`: a number of years or months.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Period {
    /// Length in months (a year is 12).
    pub months: u32,
}

impl Period {
    /// `"2 years"`, `"18 months"`, `"1 year"`; case and extra spaces aside.
    pub fn parse(text: &str) -> Result<Period, String> {
        let refuse = || {
            format!(
                "review-every = \"{text}\" is not a period: write a whole number and \"years\" or \
                 \"months\", like \"2 years\" or \"18 months\""
            )
        };
        let mut words = text.split_whitespace();
        let (Some(number), Some(unit), None) = (words.next(), words.next(), words.next()) else {
            return Err(refuse());
        };
        let number: u32 = number.parse().map_err(|_| refuse())?;
        let per_unit = match unit.to_ascii_lowercase().as_str() {
            "year" | "years" => 12,
            "month" | "months" => 1,
            _ => return Err(refuse()),
        };
        // A review every 0 months, or every 1,000 years, is a typo, not a policy.
        match number.checked_mul(per_unit) {
            Some(months) if (1..=50 * 12).contains(&months) => Ok(Period { months }),
            _ => Err(format!("review-every = \"{text}\": the period must be between 1 month and 50 years")),
        }
    }

    /// `date` plus this period; a day the month lacks becomes its last day (2024-02-29
    /// plus a year is 2025-02-28).
    pub fn after(self, date: time::Date) -> time::Date {
        let months = i64::from(date.month() as u8 - 1) + i64::from(self.months);
        let year = date.year() + (months / 12) as i32;
        // `months % 12` is 0..=11, so the month number is 1..=12.
        let month = time::Month::try_from((months % 12) as u8 + 1).unwrap_or(time::Month::December);
        let day = date.day().min(month.length(year));
        time::Date::from_calendar_date(year, month, day).unwrap_or(date)
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.months {
            months if months % 12 == 0 && months / 12 == 1 => write!(f, "1 year"),
            months if months % 12 == 0 => write!(f, "{} years", months / 12),
            1 => write!(f, "1 month"),
            months => write!(f, "{months} months"),
        }
    }
}

impl<'de> Deserialize<'de> for Period {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Period, D::Error> {
        let text = String::deserialize(deserializer)?;
        Period::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// What decides drafts and due dates besides the article: the config and `--drafts`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Rules {
    /// `[handout] unreviewed-are-drafts`: an article without `reviewed:` is a draft.
    pub unreviewed_are_drafts: bool,
    /// `[handout] review-every`.
    pub review_every: Option<Period>,
    /// `build --drafts`: drafts go on the site too (still marked).
    pub include_drafts: bool,
}

impl Rules {
    /// Whether these rules leave every article as it was before drafts and reviews
    /// existed: then they add nothing to any hash, so outputs made before are reused.
    pub fn is_default(&self) -> bool {
        *self == Rules::default()
    }

    /// Whether an article with this front-matter status and `reviewed:` date (present or
    /// not) is a draft.
    pub fn is_draft(&self, status: Status, reviewed: bool) -> bool {
        status == Status::Draft || (self.unreviewed_are_drafts && !reviewed)
    }

    /// Gives `article` its status under these rules and its due date for review.
    pub fn apply(&self, article: &mut Article) {
        let meta = &mut article.meta;
        if self.is_draft(meta.status, meta.reviewed.is_some()) {
            meta.status = Status::Draft;
        }
        meta.review_due = due_date(meta.review_by.as_deref(), meta.reviewed.as_deref(), self.review_every);
    }
}

/// `review_by`, else `reviewed` plus `every`, as `YYYY-MM-DD`. The dates were checked
/// where they entered (front matter, JSON); one that does not parse gives no due date.
pub fn due_date(review_by: Option<&str>, reviewed: Option<&str>, every: Option<Period>) -> Option<String> {
    if let Some(date) = review_by {
        return Some(date.to_string());
    }
    let reviewed = crate::validate::date(reviewed?).ok()?;
    Some(format_date(every?.after(reviewed)))
}

/// `YYYY-MM-DD`.
pub fn format_date(date: time::Date) -> String {
    format!("{:04}-{:02}-{:02}", date.year(), date.month() as u8, date.day())
}

/// Today's date: [`TODAY_VARIABLE`] when set, else the clock's (UTC). A value that is
/// not a date is an error naming the variable.
pub fn today() -> Result<time::Date, String> {
    match std::env::var_os(TODAY_VARIABLE) {
        Some(value) => {
            let text = value.to_string_lossy();
            crate::validate::date(text.trim()).map_err(|problem| {
                format!("{TODAY_VARIABLE}: {problem}; set it to a date like 2026-12-07, or unset it")
            })
        }
        None => Ok(time::OffsetDateTime::now_utc().date()),
    }
}

/// Where a published handout stands in its review cycle on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// The due date has passed.
    Overdue,
    /// Due within [`DUE_SOON_DAYS`] days (today included).
    DueSoon,
    /// Due later, or no due date.
    Current,
}

/// How a handout due on `due` (`YYYY-MM-DD`) stands on `today`.
pub fn standing(due: &str, today: time::Date) -> Standing {
    let Ok(due) = crate::validate::date(due) else { return Standing::Current };
    if due < today {
        Standing::Overdue
    } else if (due - today).whole_days() <= DUE_SOON_DAYS {
        Standing::DueSoon
    } else {
        Standing::Current
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> time::Date {
        crate::validate::date(text).unwrap()
    }

    #[test]
    fn periods_are_years_or_months() {
        assert_eq!(Period::parse("2 years"), Ok(Period { months: 24 }));
        assert_eq!(Period::parse(" 1 Year "), Ok(Period { months: 12 }));
        assert_eq!(Period::parse("18 months"), Ok(Period { months: 18 }));
        assert_eq!(Period::parse("1 month"), Ok(Period { months: 1 }));
        for bad in ["2", "two years", "2 yeers", "2years", "2 years ago", "", "-1 years", "1.5 years"] {
            let err = Period::parse(bad).unwrap_err();
            assert!(err.contains("like \"2 years\""), "{bad}: {err}");
        }
        assert!(Period::parse("0 months").unwrap_err().contains("between 1 month and 50 years"));
        assert!(Period::parse("51 years").is_err());
        assert_eq!(Period { months: 24 }.to_string(), "2 years");
        assert_eq!(Period { months: 18 }.to_string(), "18 months");
    }

    #[test]
    fn a_period_after_a_date_keeps_the_day_or_takes_the_month_s_last() {
        let two_years = Period { months: 24 };
        assert_eq!(two_years.after(date("2025-03-14")), date("2027-03-14"));
        assert_eq!(Period { months: 12 }.after(date("2024-02-29")), date("2025-02-28"));
        assert_eq!(Period { months: 1 }.after(date("2026-01-31")), date("2026-02-28"));
        assert_eq!(Period { months: 11 }.after(date("2026-02-10")), date("2027-01-10"));
        assert_eq!(Period { months: 18 }.after(date("2026-12-01")), date("2028-06-01"));
    }

    #[test]
    fn the_due_date_is_review_by_else_reviewed_plus_the_period() {
        let every = Some(Period { months: 24 });
        assert_eq!(due_date(Some("2026-05-01"), Some("2020-01-01"), every).as_deref(), Some("2026-05-01"));
        assert_eq!(due_date(None, Some("2025-03-14"), every).as_deref(), Some("2027-03-14"));
        assert_eq!(due_date(None, Some("2025-03-14"), None), None);
        assert_eq!(due_date(None, None, every), None);
    }

    #[test]
    fn standing_on_a_day() {
        let today = date("2026-12-07");
        assert_eq!(standing("2026-12-06", today), Standing::Overdue);
        assert_eq!(standing("2026-12-07", today), Standing::DueSoon);
        assert_eq!(standing("2027-02-05", today), Standing::DueSoon);
        assert_eq!(standing("2027-02-06", today), Standing::Current);
    }

    #[test]
    fn drafts_by_status_or_by_a_missing_review_when_the_config_says() {
        let rules = Rules::default();
        assert!(rules.is_draft(Status::Draft, true));
        assert!(!rules.is_draft(Status::Published, false));
        let strict = Rules { unreviewed_are_drafts: true, ..Rules::default() };
        assert!(strict.is_draft(Status::Published, false));
        assert!(!strict.is_draft(Status::Published, true));
        assert!(Rules::default().is_default() && !strict.is_default());
    }
}
