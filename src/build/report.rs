//! What the build tells people: the summary line, the reading-level table, warnings.

use std::sync::Arc;

use crate::config::Config;
use crate::model::{Article, ReadingLevel};
use crate::output::{ArticleReport, BuildReport};

/// One sentence on what a build did, for the end of the run.
pub fn summary_line(report: &BuildReport, config: &Config, elapsed: std::time::Duration) -> String {
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let mut parts = Vec::new();
    if report.pdfs.is_empty()
        && report.collections.is_empty()
        && report.removed.is_empty()
        && !report.failed()
    {
        parts.push("Nothing changed: every handout is up to date".to_string());
    } else {
        parts.push(format!("Typeset {}", plural(report.pdfs.len(), "PDF")));
    }
    if report.failed() {
        parts.push(format!("{} (listed below)", plural(report.failures.len(), "failure")));
    }
    if !report.unchanged.is_empty() && !report.pdfs.is_empty() {
        parts.push(format!("{} up to date", report.unchanged.len()));
    }
    // The site is many files (catalogue, data, assets): one mention, where to open it.
    let (site, others): (Vec<&String>, Vec<&String>) =
        report.collections.iter().partition(|written| written.starts_with("site/"));
    for written in others {
        parts.push(format!("wrote {}", config.out_dir.join(written).display()));
    }
    if !site.is_empty() {
        parts.push(format!("updated the site ({})", config.out_dir.join("site/index.html").display()));
    }
    if !report.removed.is_empty() {
        parts.push(format!(
            "removed {} of deleted or renamed articles and drafts",
            plural(report.removed.len(), "old output")
        ));
    }
    let drafts = report.articles.iter().filter(|a| !a.status.is_published()).count();
    if drafts > 0 {
        parts.push(match config.site.drafts {
            true => format!("{} on this preview site, marked (in no EPUB)", plural(drafts, "draft")),
            false => format!(
                "{} kept off the site and the EPUB (`handouts check` lists them)",
                plural(drafts, "draft")
            ),
        });
    }
    format!(
        "{} in {:.1} s (output in {}).",
        parts.join(", "),
        elapsed.as_secs_f64(),
        config.out_dir.display()
    )
}

/// Each article's warnings as `warning: file:line: message`.
pub fn print_warnings(articles: &[Article]) {
    for line in articles.iter().flat_map(warning_lines) {
        eprintln!("{line}");
    }
}

pub(crate) fn warning_lines(article: &Article) -> Vec<String> {
    article
        .warnings
        .iter()
        .map(|warning| {
            let at = warning.line.map(|l| format!(":{l}")).unwrap_or_default();
            format!("warning: {}{at}: {}", article.source, warning.message)
        })
        .collect()
}

/// The per-article table printed by `check` and at the end of `build`. A reading level
/// that misses the target (a grade above `max-grade`, an INFLESZ score below `min-inflesz`)
/// is marked `*`, and notes under the table say what the marks mean and where the warnings
/// are, so staff see which handouts need rewriting without reading JSON.
pub fn summary_table(
    rows: &[Arc<ArticleReport>],
    targets: &crate::config::Handout,
    warnings_hint: &str,
) -> String {
    let id_width = rows.iter().map(|r| r.id.len()).max().unwrap_or(2).max(2);
    let misses = |row: &ArticleReport| row.level.misses(targets.max_grade, targets.min_inflesz);
    let mut out = format!(
        "{:<id_width$}  {:>6}  {:>14}  {:>7}  {:>5}  {:>8}\n",
        "id", "words", "reading level", "removed", "pages", "warnings"
    );
    let limit = |row: &ArticleReport| row.max_pages.or(targets.max_pages.map(std::num::NonZeroUsize::get));
    let over = |row: &ArticleReport| row.pages.zip(limit(row)).is_some_and(|(pages, max)| pages > max);
    for row in rows {
        let pages = row.pages.map_or("-".to_string(), |p| format!("{p}{}", if over(row) { "!" } else { "" }));
        let mark = if misses(row) { "*" } else { " " };
        out.push_str(&format!(
            "{:<id_width$}  {:>6}  {:>13}{mark}  {:>7}  {:>5}  {:>8}\n",
            row.id,
            row.words,
            level_label(row.level),
            row.removed,
            pages,
            row.warnings
        ));
    }
    let count = |scale: fn(&ArticleReport) -> bool| rows.iter().filter(|r| scale(r) && misses(r)).count();
    let graded = count(|r| matches!(r.level, ReadingLevel::Grade(_)));
    if let Some(max) = targets.max_grade.filter(|_| graded > 0) {
        out.push_str(&format!(
            "* reads above grade {max} (max-grade in the config): {graded} of {}\n",
            rows.len()
        ));
    }
    let scored = count(|r| matches!(r.level, ReadingLevel::Inflesz(_)));
    if let Some(min) = targets.min_inflesz.filter(|_| scored > 0) {
        out.push_str(&format!(
            "* INFLESZ below {min} (min-inflesz in the config): {scored} of {}\n",
            rows.len()
        ));
    }
    let too_long: Vec<String> = rows
        .iter()
        .filter(|row| over(row))
        .map(|row| {
            format!("{} takes {} (max-pages {})", row.id, row.pages.unwrap_or(0), limit(row).unwrap_or(0))
        })
        .collect();
    if !too_long.is_empty() {
        out.push_str(&format!(
            "! more pages than max-pages even with tighter spacing and text down to 11 pt \
             (large print never shrinks): {}\n",
            too_long.join(", ")
        ));
    }
    if let Some(line) = paper_line(rows) {
        out.push_str(&line);
    }
    let removed: usize = rows.iter().map(|row| row.removed).sum();
    if removed > 0 {
        out.push_str(&format!(
            "{removed} passage{} left out (web-page menus, bylines and ads; Word headers, footers and comments): \
             each is listed with why under \"removed\" in out/json/<id>.json\n",
            if removed == 1 { "" } else { "s" }
        ));
    }
    let warnings: usize = rows.iter().map(|row| row.warnings).sum();
    if warnings > 0 {
        let plural = if warnings == 1 { "" } else { "s" };
        out.push_str(&format!("{warnings} warning{plural} in all: {warnings_hint}\n"));
    }
    out
}

/// The paper one copy of every handout takes, printed one-sided and on both sides.
fn paper_line(rows: &[Arc<ArticleReport>]) -> Option<String> {
    if rows.iter().all(|row| row.pages.is_none()) {
        return None;
    }
    let paper = crate::output::report::PaperUse::of(rows.iter().filter_map(|row| row.pages));
    let (total, duplex) = (paper.pages, paper.sheets_duplex);
    Some(format!(
        "One copy of each handout: {total} page{}, {total} sheet{} one-sided, {duplex} sheet{} printed on both sides\n",
        if total == 1 { "" } else { "s" },
        if total == 1 { "" } else { "s" },
        if duplex == 1 { "" } else { "s" },
    ))
}

/// Rows for `check`, where nothing is typeset.
pub fn check_rows(articles: &[Article]) -> Vec<Arc<ArticleReport>> {
    articles.iter().map(|a| Arc::new(ArticleReport::new(a, None))).collect()
}

/// A reading level for the table. Formulas go below zero for very short sentences;
/// a grade below 0 means nothing to a reader, so it is shown as 0.
fn level_label(level: ReadingLevel) -> String {
    match level {
        ReadingLevel::Grade(grade) if grade < 0.0 => ReadingLevel::Grade(0.0).label(),
        other => other.label(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: &str, grade: f64, warnings: usize) -> ArticleReport {
        ArticleReport {
            id: id.into(),
            source: format!("content/{id}.txt"),
            title: id.into(),
            words: 100,
            level: ReadingLevel::Grade(grade),
            removed: 0,
            pages: Some(2),
            max_pages: None,
            warnings,
            status: Default::default(),
            review_due: None,
            owner: None,
            codes: Vec::new(),
        }
    }

    #[test]
    fn summary_table_marks_handouts_over_max_pages_and_counts_the_paper() {
        let mut long = row("long", 6.0, 0);
        long.pages = Some(3);
        let mut short = row("short", 6.0, 0);
        short.pages = Some(1);
        short.max_pages = Some(1);
        let targets =
            crate::config::Handout { max_pages: std::num::NonZeroUsize::new(2), ..Default::default() };
        let table = summary_table(&[long.into(), short.into()], &targets, "see check.");
        assert!(table.contains("    3!"), "{table}");
        assert!(table.contains("long takes 3 (max-pages 2)"), "{table}");
        assert!(!table.contains("short takes"), "{table}");
        assert!(
            table.contains(
                "One copy of each handout: 4 pages, 4 sheets one-sided, 3 sheets printed on both sides"
            ),
            "{table}"
        );
    }

    #[test]
    fn summary_table_marks_grades_above_the_maximum_and_points_at_the_warnings() {
        let rows = [row("easy", 6.0, 0), row("hard", 11.5, 3), row("edge", 8.0, 1)].map(Arc::new);
        let targets = crate::config::Handout { max_grade: Some(8.0), ..Default::default() };
        let table = summary_table(&rows, &targets, "see check.");
        let lines: Vec<&str> = table.lines().collect();
        assert!(lines[1].starts_with("easy") && lines[1].contains(" 6.0 "), "{table}");
        assert!(lines[2].contains("11.5*"), "{table}");
        // At the maximum is not above it.
        assert!(lines[3].contains(" 8.0 "), "{table}");
        assert_eq!(lines[4], "* reads above grade 8 (max-grade in the config): 1 of 3");
        assert_eq!(
            lines[5],
            "One copy of each handout: 6 pages, 6 sheets one-sided, 3 sheets printed on both sides"
        );
        assert_eq!(lines[6], "4 warnings in all: see check.");
    }

    #[test]
    fn summary_table_marks_spanish_below_the_inflesz_minimum() {
        let mut spanish = row("es", 0.0, 1);
        spanish.level = ReadingLevel::Inflesz(48.2);
        let targets =
            crate::config::Handout { max_grade: Some(8.0), min_inflesz: Some(55.0), ..Default::default() };
        let table = summary_table(&[row("en", 6.0, 0).into(), spanish.into()], &targets, "see check.");
        assert!(table.contains("INFLESZ 48.2*"), "{table}");
        assert!(table.contains("* INFLESZ below 55 (min-inflesz in the config): 1 of 2"), "{table}");
        assert!(table.contains("1 warning in all"), "{table}");
    }

    #[test]
    fn negative_grades_show_as_zero() {
        let table = summary_table(&[row("tiny", -2.2, 0).into()], &Default::default(), "see check.");
        assert!(table.contains("grade 0.0") && !table.contains("-2.2"), "{table}");
    }

    #[test]
    fn summary_table_without_maximum_or_warnings_has_no_notes() {
        let mut untypeset = row("hard", 14.0, 0);
        untypeset.pages = None;
        let table = summary_table(&[untypeset.into()], &Default::default(), "see check.");
        assert_eq!(table.lines().count(), 2, "{table}");
        assert!(!table.contains('*'), "{table}");
    }
}
