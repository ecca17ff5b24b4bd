//! The catalogue's pages (issue 28): `index.html` and, for a catalogue of more than
//! [`Site::page_size`] handouts, its pages `catalogue_<n>.html`.
//!
//! Up to the page size the index lists every handout and `search.js` hides and reorders
//! that list. Above it, a list of 50,000 `<li>` is a 27 MB page a browser takes 17 s to
//! open (bench/RESULTS.md), so the handouts are split, in the catalogue's order (by
//! title, [`catalogue::sorted`]), into pages of at most that many, each named by its
//! first and last title like a dictionary's guide words. The index lists the pages;
//! each page lists its handouts with the index's markup, and links to the previous and
//! next page. Without JavaScript one browses by page; with it, `search.js` renders the
//! results from the data (`assets/catalogue.js`, which then carries the ids) into
//! clones of the page's `<template id="result-template">`, the same markup again.
//!
//! A page's file name has an `_`, which no handout id has (ids are slugs of lowercase
//! ASCII letters, digits and `-`, [`crate::validate::slug`]), so a page never takes a
//! handout's `{id}.html`; and it sits beside the handouts' pages, so its relative links
//! (assets, pages, PDFs) resolve as the index's do.

use minijinja::Value;

use super::{Site, catalogue, primary_differs};
use crate::error::Result;
use crate::labels::Labels;
use crate::render::xml::{self, escape, one_line};

/// At most this many handouts on one catalogue page, unless `[site]
/// catalogue-page-size` says otherwise.
pub const CATALOGUE_PAGE_SIZE: usize = 1000;

/// One page of a split catalogue.
#[derive(Debug, Clone, PartialEq)]
pub struct CataloguePage {
    /// From 1.
    pub number: usize,
    /// Its handouts: indices into the catalogue's entries.
    pub range: std::ops::Range<usize>,
}

/// The pages of a catalogue of `count` handouts with at most `size` on a page, in the
/// catalogue's order; none when one page holds them all (the index lists them then).
pub fn split(count: usize, size: usize) -> Vec<CataloguePage> {
    let size = size.max(1);
    if count <= size {
        return Vec::new();
    }
    (0..count)
        .step_by(size)
        .enumerate()
        .map(|(n, start)| CataloguePage { number: n + 1, range: start..(start + size).min(count) })
        .collect()
}

/// Page `number`'s file, beside the index: `catalogue_<n>.html`.
pub fn file_name(number: usize) -> String {
    format!("catalogue_{number}.html")
}

/// The number of the page a file name names (`catalogue_2.html` → 2), if it is one's.
pub fn page_number(name: &str) -> Option<usize> {
    let digits = name.strip_prefix("catalogue_")?.strip_suffix(".html")?;
    let plain = !digits.is_empty() && !digits.starts_with('0') && digits.bytes().all(|b| b.is_ascii_digit());
    digits.parse().ok().filter(|_| plain)
}

/// For the desk: today (for the review marks) and the staff's language.
type Desk<'a> = Option<(time::Date, &'a str)>;

/// What every view of one catalogue shares, made once for all its pages.
struct Shared<'a> {
    desk: Desk<'a>,
    labels: Labels,
    staff: Labels,
    pages: Vec<CataloguePage>,
    /// The template's variables but the handouts and the page.
    context: Value,
}

impl Site {
    /// At most this many handouts on one catalogue page (`[site] catalogue-page-size`);
    /// no limit for a clinic's `index.html` made before there were pages (it lists no
    /// `pages`): split, its index would list nothing.
    pub fn page_size(&self) -> usize {
        let knows_pages = self
            .env
            .get_template("index.html")
            .is_ok_and(|template| template.undeclared_variables(false).contains("pages"));
        match knows_pages {
            true => self.config.site.catalogue_page_size.unwrap_or(CATALOGUE_PAGE_SIZE).max(1),
            false => usize::MAX,
        }
    }

    /// `out/site/index.html`: every handout of `entries` as a list, with the search
    /// form and filters that `search.js` brings to life; for a split catalogue, the
    /// list of its pages instead.
    pub fn index(&self, entries: &[catalogue::Entry]) -> Result<String> {
        self.view(&self.shared(entries, None), entries, None)
    }

    /// The catalogue as `handouts serve` shows it to the care team on `today`: each
    /// handout with a button to its print form, and a mark on those whose review is
    /// overdue or due soon (never on a patient's copy or the published site).
    /// The desk's own words (buttons, marks, the packet form) are in `staff_lang`.
    pub fn desk_index(
        &self,
        entries: &[catalogue::Entry],
        today: time::Date,
        staff_lang: &str,
    ) -> Result<String> {
        self.view(&self.shared(entries, Some((today, staff_lang))), entries, None)
    }

    /// The pages of a split catalogue as (file name, page); none when the index lists
    /// every handout.
    pub fn catalogue_pages(&self, entries: &[catalogue::Entry]) -> Result<Vec<(String, String)>> {
        let mut pages = Vec::new();
        self.each_catalogue_page(entries, |name, html| {
            pages.push((name, html));
            Ok(())
        })?;
        Ok(pages)
    }

    /// [`Self::catalogue_pages`] a page at a time, given to `visit` as it is made (a
    /// library of 50,000 has 50 pages of 0.6 MB); returns how many there are.
    pub fn each_catalogue_page(
        &self,
        entries: &[catalogue::Entry],
        mut visit: impl FnMut(String, String) -> Result<()>,
    ) -> Result<usize> {
        if split(entries.len(), self.page_size()).is_empty() {
            return Ok(0);
        }
        let shared = self.shared(entries, None);
        let numbers: Vec<usize> = shared.pages.iter().map(|page| page.number).collect();
        for &number in &numbers {
            visit(file_name(number), self.view(&shared, entries, Some(number))?)?;
        }
        Ok(numbers.len())
    }

    /// Page `number` of the catalogue as the desk shows it (see [`Self::desk_index`]);
    /// `None` when the catalogue has no such page.
    pub fn desk_catalogue_page(
        &self,
        entries: &[catalogue::Entry],
        number: usize,
        today: time::Date,
        staff_lang: &str,
    ) -> Result<Option<String>> {
        if number == 0 || number > split(entries.len(), self.page_size()).len() {
            return Ok(None);
        }
        self.view(&self.shared(entries, Some((today, staff_lang))), entries, Some(number)).map(Some)
    }

    fn shared<'a>(&self, entries: &[catalogue::Entry], desk: Desk<'a>) -> Shared<'a> {
        let lang = xml::lang_or(&self.config.collection.language, "en").to_string();
        let labels = self.labels.for_lang(&lang);
        let staff_lang = desk.map_or(lang.as_str(), |(_, staff)| staff);
        let staff = self.labels.for_lang(staff_lang);
        let pages = split(entries.len(), self.page_size());
        let mut languages: Vec<&str> = entries.iter().map(|e| e.lang.as_str()).collect();
        languages.sort();
        languages.dedup();
        let languages: Vec<Value> = languages
            .into_iter()
            .map(|l| minijinja::context! { value => l, label => self.language_name(l) })
            .collect();
        let topics: Vec<Value> = catalogue::topics(entries)
            .into_iter()
            .map(|t| minijinja::context! { value => t, label => t })
            .collect();
        let levels: Vec<Value> = (1..=3)
            .filter(|b| entries.iter().any(|e| e.bucket == *b))
            .map(|b| minijinja::context! { value => b, label => catalogue::level_name(&labels, b) })
            .collect();
        let books = self.books(None, &labels);
        let context = minijinja::context! {
            title => one_line(&self.config.collection.title),
            languages => languages,
            topics => topics,
            levels => levels,
            count => count_text(&labels, entries.len()),
            epub => match books.as_slice() {
                [one] if self.config.collections.is_empty() => Some(one.clone()),
                _ => None,
            },
            books => books,
            desk => desk.is_some(),
            // The desk's words, and a `lang` attribute for them when the staff's
            // language is not the page's.
            staff => Value::from_serialize(staff.to_json()),
            staff_lang => Value::from_safe_string(if primary_differs(staff_lang, &lang) {
                format!(" lang=\"{}\"", escape(staff_lang))
            } else {
                String::new()
            }),
            // Each book, to filter the list by (only when there are several).
            book_filter => {
                let books = self.built_books();
                if books.len() < 2 { Vec::new() } else {
                    books.iter().enumerate().map(|(n, book)| minijinja::context! { value => n, label => one_line(&book.title) }).collect::<Vec<_>>()
                }
            },
            ..self.common(&lang, &labels.lang)
        };
        Shared { desk, labels, staff, pages, context }
    }

    /// The index (`page` none) or page `page` of a split catalogue.
    fn view(&self, shared: &Shared, entries: &[catalogue::Entry], page: Option<usize>) -> Result<String> {
        let split = !shared.pages.is_empty();
        let shown = match page.and_then(|n| shared.pages.get(n - 1)) {
            Some(page) => &entries[page.range.clone()],
            None if split => &[],
            None => entries,
        };
        let handouts: Vec<Value> = shown.iter().map(|entry| self.item(shared, entry)).collect();
        let guide = |range: &std::ops::Range<usize>| {
            let (first, last) = (&entries[range.start], &entries[range.end - 1]);
            minijinja::context! {
                first => first.title, first_lang => first.lang,
                last => last.title, last_lang => last.lang,
            }
        };
        let page_list: Vec<Value> = if page.is_none() {
            shared
                .pages
                .iter()
                .map(|p| {
                    minijinja::context! {
                        href => file_name(p.number),
                        count => page_count_text(&shared.labels, p.range.len()),
                        ..guide(&p.range)
                    }
                })
                .collect()
        } else {
            Vec::new()
        };
        let this_page = page.and_then(|n| shared.pages.get(n - 1)).map(|p| {
            let total = shared.pages.len();
            minijinja::context! {
                label => shared.labels.text("catalogue-page")
                    .replace("{n}", &p.number.to_string())
                    .replace("{total}", &total.to_string()),
                count => page_count_text(&shared.labels, p.range.len()),
                previous => (p.number > 1).then(|| file_name(p.number - 1)),
                next => (p.number < total).then(|| file_name(p.number + 1)),
                ..guide(&p.range)
            }
        });
        let context = minijinja::context! {
            handouts => handouts,
            pages => page_list,
            page => this_page,
            // The markup of one handout for the results `search.js` makes from the data
            // (which has no summary), and at the desk the review marks of the whole
            // catalogue, which the data does not carry.
            result_template => split.then(|| self.result_template(shared)),
            review_marks => (split && shared.desk.is_some()).then(|| review_marks(shared, entries)),
            ..shared.context.clone()
        };
        self.render("index.html", context)
    }

    /// One handout of the list.
    fn item(&self, shared: &Shared, entry: &catalogue::Entry) -> Value {
        let labels = &shared.labels;
        minijinja::context! {
            id => entry.id,
            title => entry.title,
            summary => entry.summary,
            lang => entry.lang,
            lang_name => self.language_name(&entry.lang),
            level_name => catalogue::level_name(labels, entry.bucket),
            level_label => catalogue::level_label(labels, entry.reading),
            bucket => entry.bucket,
            tags => entry.tags,
            draft => entry.draft.then(|| labels.text("draft").to_string()),
            review => review_mark(shared, entry.review_due.as_deref()),
            downloads => self.pdf_downloads(&entry.id, labels),
        }
    }

    /// A handout of the list with placeholders `search.js` fills: `{id}`, `{title}`,
    /// `{lang}`, `{lang-name}`, `{level}`, `{grade}`, and at the desk `{review}`; every
    /// optional part is there (the draft mark, the reading level, the review mark) for
    /// it to drop.
    fn result_template(&self, shared: &Shared) -> Value {
        let labels = &shared.labels;
        minijinja::context! {
            id => "{id}",
            title => "{title}",
            lang => "{lang}",
            lang_name => "{lang-name}",
            level_name => "{level}",
            level_label => "{grade}",
            draft => labels.text("draft"),
            review => shared.desk.is_some().then_some("{review}"),
            downloads => self.pdf_downloads("{id}", labels),
        }
    }

    /// The links to the handout's PDFs the list shows.
    fn pdf_downloads(&self, id: &str, labels: &Labels) -> Vec<super::Download> {
        self.downloads(id, labels).into_iter().filter(|d| d.mime == "application/pdf").collect()
    }
}

/// The desk's marks of a split catalogue as JSON, `{"<id>": "<mark>"}`, for `search.js`
/// to put on the results it makes from the data: a handout whose review is overdue is
/// marked in a search result as it is in the list.
fn review_marks(shared: &Shared, entries: &[catalogue::Entry]) -> String {
    let marks: serde_json::Map<String, serde_json::Value> = entries
        .iter()
        .filter_map(|entry| {
            Some((entry.id.clone(), review_mark(shared, entry.review_due.as_deref())?.into()))
        })
        .collect();
    serde_json::Value::Object(marks).to_string()
}

/// The desk's mark on a handout whose review is overdue or due soon.
fn review_mark(shared: &Shared, due: Option<&str>) -> Option<String> {
    let (today, due) = (shared.desk.map(|(today, _)| today)?, due?);
    let key = match crate::review::standing(due, today) {
        crate::review::Standing::Overdue => "desk-review-overdue",
        crate::review::Standing::DueSoon => "desk-review-due",
        crate::review::Standing::Current => return None,
    };
    Some(shared.staff.text(key).replace("{date}", due))
}

/// "12 handouts" on a page of the catalogue ("1 handout").
fn page_count_text(labels: &Labels, n: usize) -> String {
    match n {
        1 => labels.text("catalogue-page-count-one").to_string(),
        n => labels.text("catalogue-page-count").replace("{n}", &labels.number(n)),
    }
}

/// "3 handouts found".
fn count_text(labels: &Labels, n: usize) -> String {
    match n {
        0 => labels.text("results-none").to_string(),
        1 => labels.text("results-one").to_string(),
        n => labels.text("results").replace("{n}", &labels.number(n)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_hold_at_most_the_page_size_in_order() {
        assert!(split(0, 10).is_empty());
        assert!(split(10, 10).is_empty(), "one page: the index lists them");
        let pages = split(25, 10);
        let ranges: Vec<_> = pages.iter().map(|p| (p.number, p.range.clone())).collect();
        assert_eq!(ranges, [(1, 0..10), (2, 10..20), (3, 20..25)]);
        assert_eq!(split(11, 10).last().map(|p| p.range.clone()), Some(10..11));
        assert_eq!(split(3, 0).len(), 3, "a page holds at least one");
    }

    #[test]
    fn page_names_never_take_a_handout_id() {
        assert_eq!(file_name(2), "catalogue_2.html");
        assert_eq!(page_number("catalogue_2.html"), Some(2));
        assert_eq!(page_number(&file_name(1234)), Some(1234));
        for other in
            ["catalogue_02.html", "catalogue_.html", "catalogue-2.html", "catalogue_2x.html", "index.html"]
        {
            assert_eq!(page_number(other), None, "{other}");
        }
        // A title that looks like a page's name gives an id that is not one.
        let id = crate::validate::slug("catalogue_2");
        assert_ne!(format!("{id}.html"), file_name(2));
    }

    fn entry(title: &str, lang: &str) -> catalogue::Entry {
        catalogue::Entry {
            id: crate::validate::slug(title),
            translation_key: crate::validate::slug(title),
            title: title.into(),
            summary: String::new(),
            headings: vec![],
            tags: vec![],
            lang: lang.into(),
            level: String::new(),
            reading: crate::model::ReadingLevel::None,
            bucket: 0,
            draft: false,
            review_due: None,
            codes: vec![],
        }
    }

    fn site_with_pages_of(page_size: usize) -> Site {
        let mut config = crate::config::ConfigFile::default().resolve(
            std::path::Path::new("/nonexistent/handouts.toml"),
            "content".into(),
            "out".into(),
            None,
        );
        config.site.catalogue_page_size = Some(page_size);
        Site::new(&config).unwrap()
    }

    #[test]
    fn a_split_index_lists_its_pages_by_guide_words_and_each_page_its_handouts() {
        let titles = ["Asthma", "Back pain", "Cough <b>", "Diabetes", "Eczema"];
        let entries = catalogue::sorted(
            titles.iter().map(|t| entry(t, if *t == "Diabetes" { "es" } else { "en" })).collect(),
        );
        let site = site_with_pages_of(2);
        let index = site.index(&entries).unwrap();
        assert!(index.contains("<li><a href=\"catalogue_1.html\"><span>Asthma</span> – <span>Back pain</span></a> <span class=\"page-count\">(2 handouts)</span></li>"), "{index}");
        assert!(index.contains("<a href=\"catalogue_2.html\"><span>Cough &lt;b&gt;</span> – <span lang=\"es\">Diabetes</span></a>"), "{index}");
        assert!(index.contains("<a href=\"catalogue_3.html\"><span>Eczema</span> – <span>Eczema</span></a> <span class=\"page-count\">(1 handout)</span>"), "{index}");
        assert!(!index.contains("<li data-id=\"asthma\">"), "the index lists pages, not handouts");
        assert!(index.contains("<template id=\"result-template\""), "{index}");

        let pages = site.catalogue_pages(&entries).unwrap();
        let names: Vec<&str> = pages.iter().map(|(name, _)| name.as_str()).collect();
        assert_eq!(names, ["catalogue_1.html", "catalogue_2.html", "catalogue_3.html"]);
        let second = &pages[1].1;
        assert!(second.contains("<title>Page 2 of 3 – "), "{second}");
        assert!(second.contains("<h2 id=\"page-title\" data-browse>Page 2 of 3: <span>Cough &lt;b&gt;</span> – <span lang=\"es\">Diabetes</span></h2>"), "{second}");
        assert!(
            second.contains("<a rel=\"prev\" href=\"catalogue_1.html\">")
                && second.contains("<a rel=\"next\" href=\"catalogue_3.html\">"),
            "{second}"
        );
        let list = second.split("<template").next().unwrap();
        let listed: Vec<&str> =
            list.split("<li data-id=\"").skip(1).filter_map(|rest| rest.split('"').next()).collect();
        assert_eq!(listed, ["cough-b", "diabetes"]);
        // The list's markup is the index's: the same entries on one page give the same items.
        let whole = site_with_pages_of(10).index(&entries).unwrap();
        let item = |html: &str, id: &str| {
            let start = html.find(&format!("<li data-id=\"{id}\">")).unwrap();
            html[start..][..html[start..].find("</li>").unwrap()].to_string()
        };
        assert_eq!(item(second, "diabetes"), item(&whole, "diabetes"));
        assert!(!pages[0].1.contains("rel=\"prev\"") && !pages[2].1.contains("rel=\"next\""));
        assert!(
            !whole.contains("result-template")
                && site_with_pages_of(10).catalogue_pages(&entries).unwrap().is_empty()
        );

        let today = time::Date::from_calendar_date(2026, time::Month::December, 7).unwrap();
        let desk = site.desk_catalogue_page(&entries, 3, today, "en").unwrap().unwrap();
        assert!(desk.contains("<a class=\"print-button\" href=\"/print/eczema\">"), "{desk}");
        assert!(site.desk_catalogue_page(&entries, 4, today, "en").unwrap().is_none());

        // The data names each handout only when no page lists them all.
        let data = |site: &Site| String::from_utf8(site.data(&entries)).unwrap();
        assert!(data(&site).contains("{\"i\":\"asthma\",\"t\":\"Asthma\""), "{}", data(&site));
        assert!(!data(&site_with_pages_of(10)).contains("\"i\":"));
    }
}
