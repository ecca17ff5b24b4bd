//! The infobutton: an EHR asks for patient education by diagnosis, medicine or test
//! code (HL7 Context-Aware Knowledge Retrieval, URL-based, as MedlinePlus Connect
//! answers it) and gets the clinic's handouts coded so (front matter `codes`).
//!
//! [`request`] reads the query, [`matching`] finds the handouts through an index by
//! code, [`feed`] writes the answer (Atom, JSON or an HTML page). No I/O here: `serve`
//! answers `/infobutton` with [`answer`], and `handouts find` calls [`matching`].

pub mod feed;
pub mod matching;
pub mod request;

use std::collections::HashMap;

use crate::codes::Code;
use crate::model::Article;

/// A handout as the infobutton knows it: what an answer shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Handout {
    pub id: String,
    pub title: String,
    /// The summary on one line, when there is one.
    pub summary: Option<String>,
    pub lang: String,
    pub translation_key: String,
    pub codes: Vec<Code>,
    /// `YYYY-MM-DD`, the last clinical review.
    pub reviewed: Option<String>,
}

impl Handout {
    pub fn new(article: &Article) -> Handout {
        let summary = crate::site::catalogue::summary_line(article).filter(|s| !s.is_empty());
        Handout {
            id: article.id.clone(),
            title: crate::render::xml::one_line(&article.meta.title),
            summary,
            lang: article.meta.lang.clone(),
            translation_key: article.translation_key().to_string(),
            codes: article.meta.codes.clone(),
            reviewed: article.meta.reviewed.clone(),
        }
    }
}

/// The handouts, indexed by code, by translation key and by title word, so a request
/// costs a few hash lookups however large the library.
#[derive(Debug, Default)]
pub struct Library {
    handouts: Vec<Handout>,
    by_code: HashMap<Code, Vec<usize>>,
    by_key: HashMap<String, Vec<usize>>,
    by_title_word: HashMap<String, Vec<usize>>,
}

impl Library {
    /// `handouts` in a stable order (by id), so the same library answers the same way.
    pub fn new(mut handouts: Vec<Handout>) -> Library {
        handouts.sort_by(|a, b| a.id.cmp(&b.id));
        let mut library = Library { handouts, ..Library::default() };
        for (index, handout) in library.handouts.iter().enumerate() {
            for code in &handout.codes {
                library.by_code.entry(code.clone()).or_default().push(index);
            }
            library.by_key.entry(handout.translation_key.clone()).or_default().push(index);
            let mut words: Vec<String> = matching::title_words(&handout.title).collect();
            words.sort();
            words.dedup();
            for word in words {
                library.by_title_word.entry(word).or_default().push(index);
            }
        }
        library
    }

    pub fn from_articles(articles: &[Article]) -> Library {
        Library::new(articles.iter().map(Handout::new).collect())
    }

    /// Every code with the handouts coded so (indices into [`Library::handouts`]), in
    /// code order, and the handouts with no code, which no infobutton can reach.
    pub fn code_list(&self) -> (Vec<(&Code, &[usize])>, Vec<usize>) {
        let mut codes: Vec<(&Code, &[usize])> =
            self.by_code.iter().map(|(code, handouts)| (code, handouts.as_slice())).collect();
        codes.sort_by(|a, b| a.0.cmp(b.0));
        let uncoded = (0..self.handouts.len()).filter(|&i| self.handouts[i].codes.is_empty()).collect();
        (codes, uncoded)
    }

    pub fn handouts(&self) -> &[Handout] {
        &self.handouts
    }

    pub fn len(&self) -> usize {
        self.handouts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.handouts.is_empty()
    }
}

/// What the server sends back.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    pub status: u16,
    pub content_type: &'static str,
    pub body: String,
    /// For a 303 to the one handout's page.
    pub location: Option<String>,
    /// For the log: the codes asked for and how many handouts were found; nothing else
    /// (the query may hold the desk's token).
    pub log: String,
}

/// Answers the query string of an infobutton request.
pub fn answer(
    library: &Library,
    query: &str,
    site: &feed::Site,
    labels: &crate::labels::LabelTable,
) -> Answer {
    let request = match request::parse(query) {
        Ok(request) => request,
        Err(problem) => {
            return Answer {
                status: 400,
                content_type: "text/plain; charset=utf-8",
                body: format!("Bad infobutton request: {problem}\n"),
                location: None,
                log: format!("bad request ({})", problem.parameter),
            };
        }
    };
    let found = matching::find(library, &request);
    let log = format!("{} -> {} handout(s)", matching::asked(&request), found.len());
    let answer =
        |content_type, body| Answer { status: 200, content_type, body, location: None, log: log.clone() };
    match request.response {
        request::ResponseType::Atom => {
            answer("application/atom+xml; charset=utf-8", feed::atom(library, &request, &found, site))
        }
        request::ResponseType::Json => {
            answer("application/json", feed::json(library, &request, &found, site))
        }
        request::ResponseType::Html => match found.as_slice() {
            [one] => Answer {
                status: 303,
                content_type: "text/plain; charset=utf-8",
                body: String::new(),
                location: Some(site.page(&library.handouts[one.handout].id)),
                log,
            },
            _ => {
                let lang = request.lang.as_deref().unwrap_or(crate::ingest::FALLBACK_LANG);
                answer(
                    "text/html; charset=utf-8",
                    feed::html(library, &request, &found, site, &labels.for_lang(lang)),
                )
            }
        },
    }
}
