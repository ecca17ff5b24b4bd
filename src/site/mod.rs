//! The HTML site (issue 16): one page per handout (`out/site/<id>.html`) and a
//! catalogue (`out/site/index.html`), from the intermediate form.
//!
//! The article's parts are rendered by the renderer the EPUB uses
//! ([`crate::render::xhtml`]); the page around them comes from minijinja templates a
//! clinic can edit (`templates/site/*.html`, else the ones built into the binary), with
//! HTML auto-escaping on: article text and config values are always data. Only our
//! renderer's output, already escaped, is passed as safe HTML.
//!
//! The catalogue's search data (`assets/catalogue.js`, see [`catalogue`]) is a script
//! assigning `window.HANDOUTS`, so search works from `file://` where `fetch()` of a
//! JSON file does not.

pub mod catalogue;
pub mod pages;

use std::path::{Path, PathBuf};

use minijinja::{AutoEscape, Environment, Value};
use serde::Serialize;

use crate::config::Config;
use crate::error::{Error, Result};
use crate::labels::LabelTable;
use crate::model::{Article, Stats};
use crate::render::xml::{self, escape, one_line};
use crate::render::{labels, xhtml};

/// The site's template files: name, then the built-in text used when the template
/// folder has no `site/<name>`.
const TEMPLATES: [(&str, &str); 6] = [
    ("base.html", include_str!("../../templates/site/base.html")),
    ("handout.html", include_str!("../../templates/site/handout.html")),
    ("index.html", include_str!("../../templates/site/index.html")),
    ("site.css", include_str!("../../templates/site/site.css")),
    ("search.js", include_str!("../../templates/site/search.js")),
    (PRINT_FORM, include_str!("../../templates/site/print-form.html")),
];

/// The "print for one patient" form, which only `handouts serve` shows (in the
/// handout's page): never part of a built file.
pub const PRINT_FORM: &str = "print-form.html";

/// Everything the site needs besides the articles, loaded once per build.
pub struct Site {
    env: Environment<'static>,
    /// The template files' texts, by name (the CSS and script are copied as they are).
    files: Vec<(String, String)>,
    labels: LabelTable,
    config: Config,
    /// The logo's file name in `assets/` and its bytes.
    logo: Option<(String, Vec<u8>)>,
    /// The logo's own size, for `<img width height>`: the header keeps its space
    /// before the logo arrives.
    logo_size: Option<(u32, u32)>,
    /// A hash of everything besides the articles that decides the site's files.
    settings: u128,
}

/// The handout in one of its languages: a link to its page.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LanguageLink {
    pub id: String,
    /// Its page, relative to the handout's (`<id>.html`).
    pub href: String,
    /// Its language tag, for `lang` and `hreflang`.
    pub lang: String,
    /// The language's own name ("Español"), from `labels.toml`.
    pub name: String,
    /// Whether it is the page's own language.
    pub current: bool,
}

/// A link to one of a handout's files.
#[derive(Debug, Clone, Serialize)]
pub struct Download {
    pub href: String,
    pub label: String,
    /// A short label for the catalogue's list ("PDF").
    pub short: String,
    #[serde(rename = "type")]
    pub mime: &'static str,
}

impl Site {
    pub fn new(config: &Config) -> Result<Site> {
        let dir = config.template_dir().map(|dir| dir.join("site"));
        let mut files = Vec::new();
        for (name, builtin) in TEMPLATES {
            let text = match dir.as_ref().map(|dir| dir.join(name)).filter(|path| path.is_file()) {
                Some(path) => std::fs::read_to_string(&path).map_err(|source| Error::Io {
                    kind: crate::error::Kind::Template,
                    path,
                    source,
                })?,
                None => builtin.to_string(),
            };
            files.push((name.to_string(), text));
        }
        let mut env = Environment::new();
        env.set_auto_escape_callback(|_| AutoEscape::Html);
        env.set_undefined_behavior(minijinja::UndefinedBehavior::SemiStrict);
        env.set_formatter(format_value);
        for (name, text) in &files {
            if name.ends_with(".html") {
                env.add_template_owned(name.clone(), text.clone())
                    .map_err(|err| template_error(dir.as_deref(), &err))?;
            }
        }
        let logo = match &config.logo {
            Some(path) => {
                let bytes = std::fs::read(path).map_err(|e| {
                    Error::config(path, None, format!("cannot read the logo set in brand.logo: {e}"))
                })?;
                let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("svg").to_ascii_lowercase();
                Some((format!("logo.{ext}"), bytes))
            }
            None => None,
        };
        let labels = LabelTable::load(config.template_dir())?;
        // The print form is on no built page: editing it rebuilds nothing.
        let built_files: Vec<&(String, String)> =
            files.iter().filter(|(name, _)| name != PRINT_FORM).collect();
        let settings = typst::utils::hash128(&(
            env!("CARGO_PKG_VERSION"),
            &built_files,
            format!(
                "{:?}{:?}{:?}{:?}{:?}",
                config.brand, config.collection, config.collections, config.site, labels
            ),
            config.handout.large_print,
            &logo,
        ));
        let logo_size = logo.as_ref().and_then(|(_, bytes)| {
            crate::pictures::Format::sniff(bytes)
                .and_then(|format| crate::pictures::sizing::natural_size(bytes, format))
        });
        Ok(Site { env, files, labels, config: config.clone(), logo, logo_size, settings })
    }

    /// A hash of everything besides the articles that decides the site's files.
    pub fn settings(&self) -> u128 {
        self.settings
    }

    /// A template file's text (`site.css`, `search.js`).
    pub fn file(&self, name: &str) -> &str {
        self.files.iter().find(|(n, _)| n == name).map_or("", |(_, text)| text.as_str())
    }

    /// The logo's file name in `assets/` and its bytes.
    pub fn logo(&self) -> Option<&(String, Vec<u8>)> {
        self.logo.as_ref()
    }

    /// The handout's page. `desk` is true only when `handouts serve` shows it (the
    /// "print for one patient" form); static builds pass false.
    pub fn page(&self, article: &Article, desk: bool) -> Result<String> {
        let lang = self.lang(article);
        let page_labels = labels::for_lang(&self.labels, &lang);
        let table = self.labels.for_lang(&lang);
        let title = title(article);
        let mut reviewed = String::new();
        xhtml::reviewed_line(&mut reviewed, article.meta.reviewed.as_deref(), &page_labels, &lang);
        let mut key_points = String::new();
        if let Some(summary) = article.meta.summary.as_deref() {
            xhtml::key_points(&mut key_points, summary, &page_labels, &lang);
        }
        let body = xhtml::body(article, &page_labels, &lang, &self.labels, &self.config.brand);
        let level = article.stats.as_ref().map(Stats::level).unwrap_or(crate::model::ReadingLevel::None);
        let bucket = catalogue::bucket(level);
        let languages = self.languages(article);
        let translations: Vec<&LanguageLink> = languages.iter().filter(|l| !l.current).collect();
        // Search engines are told of every language's page, this one's too, at the
        // address it is published at when `base-url` says.
        let alternates: Vec<_> = if translations.is_empty() {
            Vec::new()
        } else {
            // Search engines ignore relative `hreflang` links: without `base-url` there
            // is no address to give, and the links are left out.
            languages
                .iter()
                .filter_map(|l| {
                    let href = self.config.site.page_url(&l.id)?;
                    Some(minijinja::context! { lang => l.lang, href => href })
                })
                .collect()
        };
        let toc: Vec<_> = body
            .toc
            .iter()
            .map(|entry| minijinja::context! { level => entry.level, id => entry.id, text => entry.text })
            .collect();
        let context = minijinja::context! {
            id => article.id,
            title => title,
            summary => catalogue::summary_line(article),
            reviewed => Value::from_safe_string(reviewed),
            key_points => Value::from_safe_string(key_points),
            body => Value::from_safe_string(body.html),
            toc => toc,
            disclaimer => xhtml::disclaimer(&self.config.brand, &lang),
            tags => catalogue::tags(article),
            codes => article.meta.codes.iter().map(ToString::to_string).collect::<Vec<_>>(),
            level => minijinja::context! {
                name => catalogue::level_name(&table, bucket),
                label => catalogue::level_label(&table, level),
            },
            downloads => { let mut d = self.downloads(&article.id, &table); d.extend(self.books(Some(article), &table)); d },
            translations => translations,
            alternates => alternates,
            draft => article.is_draft().then(|| table.text("draft").to_string()),
            desk => desk,
            ..self.common(&lang, &page_labels.lang)
        };
        self.render("handout.html", context)
    }

    /// The handout in each of its languages, its own among them, in language-tag order;
    /// empty without translations. Two languages with one name ("Español" for es and
    /// es-MX) are told apart by their tags.
    pub fn languages(&self, article: &Article) -> Vec<LanguageLink> {
        if article.meta.translations.is_empty() {
            return Vec::new();
        }
        let own = crate::model::Translation { id: article.id.clone(), lang: self.lang(article) };
        let mut all: Vec<&crate::model::Translation> =
            article.meta.translations.iter().chain(std::iter::once(&own)).collect();
        all.sort_by_key(|t| (t.lang.to_ascii_lowercase(), t.id.as_str()));
        let mut links: Vec<LanguageLink> = all
            .into_iter()
            .map(|t| {
                let lang = xml::lang_or(&t.lang, "und").to_string();
                LanguageLink {
                    id: t.id.clone(),
                    href: format!("{}.html", t.id),
                    name: self.language_name(&lang),
                    current: t.id == article.id,
                    lang,
                }
            })
            .collect();
        let names: Vec<String> = links.iter().map(|l| l.name.clone()).collect();
        for link in &mut links {
            if names.iter().filter(|name| **name == link.name).count() > 1 && link.name != link.lang {
                link.name = format!("{} ({})", link.name, link.lang);
            }
        }
        links
    }

    /// The print form for `handouts serve` (`print-form.html`), with `context` (the
    /// form's fields and labels, which `serve` knows). An error names the template's
    /// line and the kind of error only: its detail could quote what the form holds,
    /// and errors are logged.
    pub fn print_form(&self, context: Value) -> Result<String> {
        let dir = self.config.template_dir().map(|dir| dir.join("site"));
        self.env.get_template(PRINT_FORM).and_then(|template| template.render(context)).map_err(|err| {
            Error::Template {
                article: None,
                message: format!("{}: error: {}", template_place(dir.as_deref(), &err), err.kind()),
            }
        })
    }

    /// The variables every page has: lang, labels, labels_lang, brand.
    fn common(&self, lang: &str, labels_lang: &str) -> Value {
        let primary = lang.split('-').next().unwrap_or(lang);
        let labels_attr = if primary.eq_ignore_ascii_case(labels_lang) {
            String::new()
        } else {
            format!(" lang=\"{}\"", escape(labels_lang))
        };
        let brand = &self.config.brand;
        let phone = brand.phone.as_deref().map(one_line).filter(|p| !p.is_empty());
        // Templates write `tel:{{ brand.tel }}` (a clinic's copy too): the digits only.
        let tel =
            phone.as_deref().and_then(xml::tel_href).map(|href| href.trim_start_matches("tel:").to_string());
        minijinja::context! {
            lang => lang,
            labels => Value::from_serialize(self.labels.for_lang(lang).to_json()),
            labels_lang => Value::from_safe_string(labels_attr),
            brand => minijinja::context! {
                name => one_line(&brand.name),
                color => crate::config::accessible_color(&brand.primary_color),
                phone => phone,
                tel => tel,
                website => brand.website.as_deref().and_then(xml::safe_href),
                logo => self.logo.as_ref().map(|(name, _)| name.clone()),
                logo_size => self.logo_size.map(|(width, height)| minijinja::context! { width => width, height => height }),
            },
            // Where the catalogue is published (`[site] base-url`), for "More handouts".
            catalogue => self.config.site.base_url.as_deref().map(|base| format!("{}/", one_line(base).trim_end_matches('/'))),
        }
    }

    /// The page's language: the article's when it is a well-formed tag, else the
    /// collection's.
    fn lang(&self, article: &Article) -> String {
        let fallback = xml::lang_or(&self.config.collection.language, "en");
        xml::lang_or(&article.meta.lang, fallback).to_string()
    }

    /// Links to the handout's PDF and large-print PDF (when built), relative to the
    /// page: out/site/ holds them (`build::site_files`), so it can be published on its own.
    pub fn downloads(&self, id: &str, labels: &crate::labels::Labels) -> Vec<Download> {
        let mut downloads = vec![Download {
            href: format!("pdf/{id}.pdf"),
            label: labels.text("download-pdf").to_string(),
            short: "PDF".into(),
            mime: "application/pdf",
        }];
        if self.config.handout.large_print {
            downloads.push(Download {
                href: format!("pdf/{id}-large.pdf"),
                label: labels.text("download-large").to_string(),
                short: labels.text("download-large").to_string(),
                mime: "application/pdf",
            });
        }
        downloads
    }

    /// The links to the EPUBs this build writes (none when it writes none): those that
    /// hold `article` ([`crate::epub::books::holds`]), or all of them. out/site/ holds
    /// them too (`build::site_files` mirrors every top-level `*.epub`).
    fn books(&self, article: Option<&Article>, labels: &crate::labels::Labels) -> Vec<Download> {
        if !self.config.site.epub {
            return Vec::new();
        }
        // `[collection]` is every handout; `[[collections]]` are named by their titles.
        let named = !self.config.collections.is_empty();
        self.config
            .books()
            .into_iter()
            .filter(|book| article.is_none_or(|article| crate::epub::books::holds(book, article)))
            .map(|book| Download {
                href: format!("{}.epub", book.file_stem()),
                label: if named {
                    labels.text("download-book").replace("{title}", &one_line(&book.title))
                } else {
                    labels.text("download-epub").to_string()
                },
                short: "EPUB".into(),
                mime: "application/epub+zip",
            })
            .collect()
    }

    /// A language's own name ("Español") when the label table has the language, else
    /// its tag.
    fn language_name(&self, lang: &str) -> String {
        let labels = self.labels.for_lang(lang);
        let primary = lang.split('-').next().unwrap_or(lang).to_ascii_lowercase();
        if labels.lang == primary { labels.text("language-name").to_string() } else { lang.to_string() }
    }

    /// The books this build makes (none without the EPUB).
    fn built_books(&self) -> Vec<&crate::config::Collection> {
        if self.config.site.epub { self.config.books() } else { Vec::new() }
    }

    /// The search data file, `assets/catalogue.js`.
    pub fn data(&self, entries: &[catalogue::Entry]) -> Vec<u8> {
        let collections = self.built_books();
        let in_books = self.in_books(entries);
        let books = collections
            .into_iter()
            .map(|book| catalogue::Book { file: format!("{}.epub", book.file_stem()), title: &book.title })
            .collect();
        let split = !pages::split(entries.len(), self.page_size()).is_empty();
        catalogue::data_file(entries, self.config.handout.large_print, books, &in_books, split)
    }

    /// For each entry, the books that hold it (indices into `config.books()`), when the
    /// catalogue has several books to filter by; else nothing.
    fn in_books(&self, entries: &[catalogue::Entry]) -> Vec<Vec<usize>> {
        let books = self.built_books();
        if books.len() < 2 {
            return Vec::new();
        }
        entries
            .iter()
            .map(|entry| {
                (0..books.len())
                    .filter(|&n| {
                        crate::epub::books::holds_handout(
                            books[n],
                            &entry.id,
                            &entry.translation_key,
                            &entry.tags,
                        )
                    })
                    .collect()
            })
            .collect()
    }

    fn render(&self, name: &str, context: Value) -> Result<String> {
        let dir = self.config.template_dir().map(|dir| dir.join("site"));
        let template = self.env.get_template(name).map_err(|err| template_error(dir.as_deref(), &err))?;
        let mut html = template.render(context).map_err(|err| template_error(dir.as_deref(), &err))?;
        if !html.ends_with('\n') {
            html.push('\n');
        }
        Ok(html)
    }
}

/// The page title: the article's on one line, else its id.
fn title(article: &Article) -> String {
    match one_line(&article.meta.title) {
        title if title.is_empty() => article.id.clone(),
        title => title,
    }
}

/// Prints a value into a page: strings escaped by [`escape`] (which also drops the
/// characters HTML forbids, and leaves `/` alone), everything else as minijinja does.
fn format_value(
    out: &mut minijinja::Output,
    state: &minijinja::State,
    value: &Value,
) -> std::result::Result<(), minijinja::Error> {
    match value.as_str() {
        Some(text) if !value.is_safe() && state.auto_escape() == AutoEscape::Html => out
            .write_str(&escape(text))
            .map_err(|_| minijinja::Error::new(minijinja::ErrorKind::WriteFailure, "cannot write the page")),
        _ => minijinja::escape_formatter(out, state, value),
    }
}

/// A template error as `templates/site/name.html:line: error: …`.
fn template_error(dir: Option<&Path>, err: &minijinja::Error) -> Error {
    let detail = err.detail().map(|d| format!(": {d}")).unwrap_or_default();
    Error::Template {
        article: None,
        message: format!("{}: error: {}{detail}", template_place(dir, err), err.kind()),
    }
}

/// Where a template error is: `templates/site/name.html:line`, or the built-in copy.
fn template_place(dir: Option<&Path>, err: &minijinja::Error) -> String {
    let name = err.name().unwrap_or("template");
    let path = match dir {
        Some(dir) if dir.join(name).is_file() => dir.join(name),
        _ => PathBuf::from(format!("(built-in site/{name})")),
    };
    let line = err.line().map(|line| format!(":{line}")).unwrap_or_default();
    format!("{}{line}", path.display())
}

/// Whether two language tags name different languages (`es` and `es-MX` do not).
fn primary_differs(a: &str, b: &str) -> bool {
    let primary = |tag: &str| tag.split('-').next().unwrap_or(tag).to_ascii_lowercase();
    primary(a) != primary(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> Config {
        crate::config::ConfigFile::default().resolve(
            Path::new("/nonexistent/handouts.toml"),
            "content".into(),
            "out".into(),
            None,
        )
    }

    fn article() -> Article {
        crate::ingest::ingest_bytes(
            Path::new("a.md"),
            b"---\ntitle: Vermoeidheid\nlang: nl\nsummary: Rust uit.\n---\nTekst.\n\n| A | B |\n|---|---|\n| 1 | 2 |\n",
        )
        .unwrap()
    }

    #[test]
    fn the_desk_form_is_only_on_served_pages() {
        let site = Site::new(&config()).unwrap();
        let article = article();
        assert!(!site.page(&article, false).unwrap().contains("id=\"desk\""));
        assert!(site.page(&article, true).unwrap().contains("<section id=\"desk\""));
    }

    #[test]
    fn labels_in_another_language_say_so() {
        // Dutch: a language the built-in labels do not have.
        let site = Site::new(&config()).unwrap();
        let page = site.page(&article(), false).unwrap();
        assert!(page.starts_with("<!DOCTYPE html>\n<html lang=\"nl\">"), "{page}");
        assert!(page.contains("<a class=\"skip-link\" href=\"#main\" lang=\"en\">"), "{page}");
        assert!(page.contains("<th scope=\"col\">A</th>"), "{page}");
        assert!(page.ends_with("</html>\n"));
    }
}
