//! The answer, written: an Atom feed (RFC 4287; what the infobutton guide and
//! MedlinePlus Connect send by default), JSON, or an HTML page for a person.
//!
//! Every entry has the handout's title, its page, its PDF and large-print PDF (when the
//! build makes them), its summary, its language and the code that matched. Everything
//! from an article or a request is escaped (XML by `render::xml`, JSON by serde_json).

use serde::Serialize;

use super::Library;
use super::matching::{Found, asked};
use super::request::{Request, Wanted};
use crate::labels::Labels;
use crate::render::xml::{escape, lang_or};

/// Where the site is and whose it is.
#[derive(Debug, Clone)]
pub struct Site {
    /// The site's address, ending in `/` (`http://desk:8000/`); empty for addresses
    /// relative to the site's folder. Atom needs an absolute one.
    pub base: String,
    /// Whether the build makes large-print PDFs.
    pub large_print: bool,
    /// The clinic (`[brand] name`): the feed's author.
    pub publisher: String,
    /// RFC 3339: the time of an entry whose handout has no review date, and of an
    /// empty feed (`serve` gives the time of the build it serves).
    pub updated: String,
}

/// `t` as RFC 3339 in UTC, to the second: [`Site::updated`].
pub fn rfc3339(t: time::OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

impl Site {
    /// The site of `config`: at `[site] base-url` when set, else addresses relative to
    /// the site's folder; `updated` is now.
    pub fn of(config: &crate::config::Config) -> Site {
        Site {
            base: config
                .site
                .base_url
                .as_deref()
                .map(|b| format!("{}/", b.trim_end_matches('/')))
                .unwrap_or_default(),
            large_print: config.handout.large_print,
            publisher: config.brand.name.clone(),
            updated: rfc3339(time::OffsetDateTime::now_utc()),
        }
    }

    pub fn page(&self, id: &str) -> String {
        format!("{}{id}.html", self.base)
    }
    pub fn pdf(&self, id: &str) -> String {
        format!("{}pdf/{id}.pdf", self.base)
    }
    pub fn large_pdf(&self, id: &str) -> Option<String> {
        self.large_print.then(|| format!("{}pdf/{id}-large.pdf", self.base))
    }
}

/// One entry, as JSON has it (and `handouts find --json`).
#[derive(Debug, Serialize)]
pub struct JsonEntry<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub lang: &'a str,
    pub page: String,
    pub pdf: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub large_print_pdf: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<&'a str>,
    /// The code that matched; absent when the display name found the handout.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<JsonCode>,
    pub updated: String,
}

#[derive(Debug, Serialize)]
pub struct JsonCode {
    /// `icd10cm:E11`.
    pub code: String,
    /// The system's name: `ICD-10-CM`.
    pub system: &'static str,
    /// The system's OID.
    pub oid: &'static str,
    pub value: String,
}

#[derive(Serialize)]
struct JsonFeed<'a> {
    feed: JsonFeedBody<'a>,
}

#[derive(Serialize)]
struct JsonFeedBody<'a> {
    title: String,
    updated: String,
    author: &'a str,
    /// The codes asked for, as `system:code` (or `OID|code` in another system).
    asked: Vec<String>,
    entry: Vec<JsonEntry<'a>>,
}

/// The entries of `found`, in order.
pub fn entries<'a>(library: &'a Library, found: &[Found], site: &Site) -> Vec<JsonEntry<'a>> {
    found
        .iter()
        .map(|f| {
            let handout = &library.handouts[f.handout];
            JsonEntry {
                id: &handout.id,
                title: &handout.title,
                lang: &handout.lang,
                page: site.page(&handout.id),
                pdf: site.pdf(&handout.id),
                large_print_pdf: site.large_pdf(&handout.id),
                summary: handout.summary.as_deref(),
                code: f.matched.as_ref().map(|code| JsonCode {
                    code: code.to_string(),
                    system: code.system.name(),
                    oid: code.system.oid(),
                    value: code.value.clone(),
                }),
                updated: updated(handout.reviewed.as_deref(), site),
            }
        })
        .collect()
}

/// A review date as an RFC 3339 time (midnight UTC), else the site's time.
fn updated(reviewed: Option<&str>, site: &Site) -> String {
    match reviewed {
        Some(date) if crate::validate::date(date).is_ok() => format!("{date}T00:00:00Z"),
        _ => site.updated.clone(),
    }
}

/// The codes of the request, each as `system:code` or `OID|code`.
fn asked_codes(request: &Request) -> Vec<String> {
    request
        .criteria
        .iter()
        .filter_map(|c| match &c.code {
            Some(Wanted::Known(code)) => Some(code.to_string()),
            Some(Wanted::Other { system, value }) => Some(format!("{system}|{value}")),
            None => None,
        })
        .collect()
}

fn feed_title(request: &Request) -> String {
    let asked = asked(request);
    format!("Handouts for {}", if asked.is_empty() { "this request".to_string() } else { asked })
}

/// The newest of the entries' times, else the site's.
fn feed_updated(entries: &[JsonEntry]) -> Option<String> {
    entries.iter().map(|e| e.updated.clone()).max()
}

pub fn json(library: &Library, request: &Request, found: &[Found], site: &Site) -> String {
    let entry = entries(library, found, site);
    let feed = JsonFeed {
        feed: JsonFeedBody {
            title: feed_title(request),
            updated: feed_updated(&entry).unwrap_or_else(|| site.updated.clone()),
            author: &site.publisher,
            asked: asked_codes(request),
            entry,
        },
    };
    serde_json::to_string_pretty(&feed).unwrap_or_else(|_| "{}".into()) + "\n"
}

/// The feed's id: the request's criteria as a query on the site's `/infobutton`, so
/// the same question has the same id (and the desk's token is never in it).
fn feed_id(request: &Request, site: &Site) -> String {
    let mut query = form_urlencoded::Serializer::new(String::new());
    for (index, criterion) in request.criteria.iter().enumerate() {
        let suffix = if index == 0 { String::new() } else { index.to_string() };
        match &criterion.code {
            Some(Wanted::Known(code)) => {
                query.append_pair(&format!("mainSearchCriteria.v.c{suffix}"), &code.value);
                query.append_pair(&format!("mainSearchCriteria.v.cs{suffix}"), code.system.oid());
            }
            Some(Wanted::Other { system, value }) => {
                query.append_pair(&format!("mainSearchCriteria.v.c{suffix}"), value);
                query.append_pair(&format!("mainSearchCriteria.v.cs{suffix}"), system);
            }
            None => {}
        }
        if let Some(display) = &criterion.display {
            query.append_pair(&format!("mainSearchCriteria.v.dn{suffix}"), display);
        }
    }
    if let Some(lang) = &request.lang {
        query.append_pair("informationRecipient.languageCode.c", lang);
    }
    format!("{}infobutton?{}", site.base, query.finish())
}

pub fn atom(library: &Library, request: &Request, found: &[Found], site: &Site) -> String {
    let entries = entries(library, found, site);
    let lang = lang_or(request.lang.as_deref().unwrap_or(""), crate::ingest::FALLBACK_LANG);
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    out.push_str(&format!("<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n", escape(lang)));
    out.push_str(&format!("<title>{}</title>\n", escape(&feed_title(request))));
    out.push_str(&format!("<id>{}</id>\n", escape(&feed_id(request, site))));
    let updated = feed_updated(&entries).unwrap_or_else(|| site.updated.clone());
    out.push_str(&format!("<updated>{}</updated>\n", escape(&updated)));
    out.push_str(&format!("<author><name>{}</name></author>\n", escape(&site.publisher)));
    for (index, criterion) in request.criteria.iter().enumerate() {
        let suffix = if index == 0 { String::new() } else { index.to_string() };
        let (system, value) = match &criterion.code {
            Some(Wanted::Known(code)) => (code.system.oid().to_string(), code.value.clone()),
            Some(Wanted::Other { system, value }) => (system.clone(), value.clone()),
            None => continue,
        };
        // As the infobutton guide's feeds say what was asked.
        out.push_str(&format!(
            "<category scheme=\"mainSearchCriteria.v.c{suffix}\" term=\"{}\"/>\n\
             <category scheme=\"mainSearchCriteria.v.cs{suffix}\" term=\"{}\"/>\n",
            escape(&value),
            escape(&system)
        ));
    }
    for entry in &entries {
        let lang = escape(lang_or(entry.lang, crate::ingest::FALLBACK_LANG));
        out.push_str(&format!("<entry xml:lang=\"{lang}\">\n"));
        out.push_str(&format!("<title type=\"text\">{}</title>\n", escape(entry.title)));
        out.push_str(&format!(
            "<link rel=\"alternate\" type=\"text/html\" hreflang=\"{lang}\" href=\"{}\"/>\n",
            escape(&entry.page)
        ));
        out.push_str(&format!(
            "<link rel=\"related\" type=\"application/pdf\" hreflang=\"{lang}\" title=\"PDF\" href=\"{}\"/>\n",
            escape(&entry.pdf)
        ));
        if let Some(large) = &entry.large_print_pdf {
            out.push_str(&format!(
                "<link rel=\"related\" type=\"application/pdf\" hreflang=\"{lang}\" title=\"Large print PDF\" href=\"{}\"/>\n",
                escape(large)
            ));
        }
        out.push_str(&format!("<id>{}</id>\n", escape(&entry.page)));
        out.push_str(&format!("<updated>{}</updated>\n", escape(&entry.updated)));
        if let Some(summary) = entry.summary {
            out.push_str(&format!("<summary type=\"text\">{}</summary>\n", escape(summary)));
        }
        if let Some(code) = &entry.code {
            out.push_str(&format!(
                "<category scheme=\"urn:oid:{}\" term=\"{}\" label=\"{}\"/>\n",
                code.oid,
                escape(&code.value),
                code.system
            ));
        }
        out.push_str("</entry>\n");
    }
    out.push_str("</feed>\n");
    out
}

/// A page listing the handouts, in the language asked for.
pub fn html(library: &Library, request: &Request, found: &[Found], site: &Site, labels: &Labels) -> String {
    let lang = escape(lang_or(request.lang.as_deref().unwrap_or(""), crate::ingest::FALLBACK_LANG));
    let title = escape(labels.text("infobutton-title"));
    let mut out = format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title} | {}</title>\n<link rel=\"stylesheet\" href=\"{}assets/site.css\">\n</head>\n\
         <body>\n<main id=\"main\">\n<h1>{title}</h1>\n",
        escape(&site.publisher),
        escape(&site.base)
    );
    let count = match found.len() {
        0 => labels.text("infobutton-none").to_string(),
        1 => labels.text("results-one").to_string(),
        n => labels.text("results").replace("{n}", &labels.number(n)),
    };
    out.push_str(&format!("<p>{}</p>\n", escape(&count)));
    if !found.is_empty() {
        out.push_str("<ul class=\"results\">\n");
        for entry in entries(library, found, site) {
            let entry_lang = escape(lang_or(entry.lang, crate::ingest::FALLBACK_LANG));
            out.push_str(&format!(
                "<li lang=\"{entry_lang}\"><a href=\"{}\">{}</a>",
                escape(&entry.page),
                escape(entry.title)
            ));
            if let Some(summary) = entry.summary {
                out.push_str(&format!("<p>{}</p>", escape(summary)));
            }
            out.push_str(&format!(
                "<p><a href=\"{}\" type=\"application/pdf\"><span lang=\"{lang}\">{}</span></a>",
                escape(&entry.pdf),
                escape(labels.text("download-pdf"))
            ));
            if let Some(large) = &entry.large_print_pdf {
                out.push_str(&format!(
                    " · <a href=\"{}\" type=\"application/pdf\"><span lang=\"{lang}\">{}</span></a>",
                    escape(large),
                    escape(labels.text("download-large"))
                ));
            }
            out.push_str("</p></li>\n");
        }
        out.push_str("</ul>\n");
    }
    out.push_str(&format!(
        "<p><a href=\"{}index.html\">{}</a></p>\n</main>\n</body>\n</html>\n",
        escape(&site.base),
        escape(labels.text("catalogue"))
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::super::{Handout, matching, request};
    use super::*;

    fn site() -> Site {
        Site {
            base: "http://desk.example:8000/".into(),
            large_print: true,
            publisher: "Riverside <Clinic> & Co".into(),
            updated: "2026-12-07T10:00:00Z".into(),
        }
    }

    fn library() -> Library {
        Library::new(vec![Handout {
            id: "diabetes".into(),
            title: "Diabetes & \"you\" <b>".into(),
            summary: Some("Check </summary> your feet".into()),
            lang: "en".into(),
            translation_key: "diabetes".into(),
            codes: vec![crate::codes::parse("icd10cm:E11").unwrap()],
            reviewed: Some("2026-09-14".into()),
        }])
    }

    const QUERY: &str = "mainSearchCriteria.v.c=E11.9&mainSearchCriteria.v.cs=2.16.840.1.113883.6.90\
                         &mainSearchCriteria.v.dn=%3Cscript%3E&token=secret";

    #[test]
    fn the_atom_feed_escapes_and_never_holds_the_token() {
        let (library, site) = (library(), site());
        let request = request::parse(QUERY).unwrap();
        let found = matching::find(&library, &request);
        let feed = atom(&library, &request, &found, &site);
        assert!(
            feed.contains("<title type=\"text\">Diabetes &amp; &quot;you&quot; &lt;b&gt;</title>"),
            "{feed}"
        );
        assert!(feed.contains("<summary type=\"text\">Check &lt;/summary&gt; your feet</summary>"), "{feed}");
        assert!(feed.contains("<author><name>Riverside &lt;Clinic&gt; &amp; Co</name></author>"), "{feed}");
        assert!(feed.contains("<updated>2026-09-14T00:00:00Z</updated>"), "{feed}");
        assert!(feed.contains("href=\"http://desk.example:8000/pdf/diabetes-large.pdf\""), "{feed}");
        assert!(feed.contains(
            "<category scheme=\"urn:oid:2.16.840.1.113883.6.90\" term=\"E11\" label=\"ICD-10-CM\"/>"
        ));
        assert!(
            feed.contains("mainSearchCriteria.v.dn=%3Cscript%3E"),
            "the display name, encoded, in the id"
        );
        assert!(!feed.contains("secret") && !feed.contains("<script"), "{feed}");
        roxmltree::Document::parse(&feed).expect("well-formed XML");
    }

    #[test]
    fn an_empty_answer_is_a_feed_with_no_entries() {
        let (library, site) = (library(), site());
        let request =
            request::parse("mainSearchCriteria.v.c=J45&mainSearchCriteria.v.cs=2.16.840.1.113883.6.90")
                .unwrap();
        let found = matching::find(&library, &request);
        assert!(found.is_empty());
        let feed = atom(&library, &request, &found, &site);
        assert!(
            !feed.contains("<entry") && feed.contains("<updated>2026-12-07T10:00:00Z</updated>"),
            "{feed}"
        );
        let value: serde_json::Value =
            serde_json::from_str(&json(&library, &request, &found, &site)).unwrap();
        assert_eq!(value["feed"]["entry"], serde_json::json!([]));
        assert_eq!(value["feed"]["asked"], serde_json::json!(["icd10cm:J45"]));
    }

    #[test]
    fn the_page_escapes_what_it_shows() {
        let (library, site) = (library(), site());
        let request = request::parse(QUERY).unwrap();
        let found = matching::find(&library, &request);
        let labels = crate::labels::LabelTable::builtin().for_lang("en");
        let page = html(&library, &request, &found, &site, &labels);
        assert!(page.contains(">Diabetes &amp; &quot;you&quot; &lt;b&gt;</a>"), "{page}");
        assert!(!page.contains("<b>") && !page.contains("secret"), "{page}");
    }
}
