//! The desk itself: a handout's page with the print form, and `POST /print/<id>`, which
//! typesets one patient's copy in memory ([`print`]).

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::queue::PrintQueue;
use super::{live, print, reply};
use crate::build::ProjectPaths;
use crate::config::{Config, Paper};
use crate::error::Result;
use crate::labels::LabelTable;
use crate::model::Article;
use crate::site::Site;
use crate::typeset::{Personal, Typesetter};

/// The largest request body: the form's fields at their longest, four bytes a
/// character and percent-encoded, fit well within it.
const MAX_BODY: usize = 64 * 1024;
/// When a turned-away copy may be asked for again: a copy takes well under a second.
const RETRY_AFTER_SECONDS: &str = "2";

/// Everything a print or a page needs, made again after every rebuild (the config or
/// a template may have changed).
pub struct Desk {
    config: Config,
    pub(super) typesetter: Typesetter,
    site: Site,
    pub(super) labels: LabelTable,
    /// The catalogue's entries as the last build left them, drafts left out.
    entries: Vec<crate::site::catalogue::Entry>,
    /// The built handouts by code, for `/infobutton`, and where they are.
    pub(super) library: crate::infobutton::Library,
    pub(super) infobutton_site: crate::infobutton::feed::Site,
}

impl Desk {
    pub fn load(paths: &ProjectPaths) -> Result<Desk> {
        let config =
            crate::build::load_config(&paths.config, paths.content.clone(), paths.out.clone(), None)?;
        let published = built_articles(&paths.out);
        Ok(Desk {
            typesetter: Typesetter::new(&config)?,
            site: Site::new(&config)?,
            labels: LabelTable::load(config.template_dir())?,
            entries: crate::site::catalogue::entries(&published, &config.collection.language),
            library: crate::infobutton::Library::from_articles(&published),
            infobutton_site: crate::infobutton::feed::Site::of(&config),
            config,
        })
    }
}

impl Desk {
    /// The language of the desk's own words: `[site] staff-language`, else the
    /// collection's (a malformed tag counts as English, as elsewhere).
    pub(super) fn staff_lang(&self) -> &str {
        let tag = self.config.site.staff_language.as_deref().unwrap_or(&self.config.collection.language);
        crate::render::xml::lang_or(tag, "en")
    }
}

/// Every built handout (`out/json/`) but the drafts, read once per build, not per
/// request: the catalogue's entries and the infobutton's index are made from them. A
/// file that cannot be read is left out: the build reported it.
fn built_articles(out: &Path) -> Vec<Article> {
    let Ok(folder) = std::fs::read_dir(out.join("json")) else { return Vec::new() };
    let mut paths: Vec<_> = folder
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    paths.sort();
    paths
        .iter()
        .filter_map(|path| crate::output::read_intermediate(path).ok())
        .filter(|article| !article.is_draft())
        .collect()
}

/// `GET /` at the desk: the catalogue with a print button on every handout and, for
/// staff, a mark on reviews overdue or due soon. `None` (the published catalogue is
/// served instead) when today's date cannot be read or the template fails (logged).
pub fn catalogue(desk: &Desk) -> Option<String> {
    let today = match crate::review::today() {
        Ok(today) => today,
        Err(err) => {
            crate::build::log::error(&err.to_string());
            return None;
        }
    };
    match desk.site.desk_index(&desk.entries, today, desk.staff_lang()) {
        Ok(html) => Some(live::with_live_reload(&html)),
        Err(err) => {
            crate::build::log::error(&format!("the desk's catalogue: {err}"));
            None
        }
    }
}

/// `GET /catalogue_<n>.html` at the desk: page `number` of a catalogue split into
/// pages, with the desk's buttons and marks as on [`catalogue`]; `None` (the built file
/// or "no such page" is served instead) when there is no such page or it fails (logged).
pub fn catalogue_page(desk: &Desk, number: usize) -> Option<String> {
    let today = crate::review::today().map_err(|err| crate::build::log::error(&err.to_string())).ok()?;
    match desk.site.desk_catalogue_page(&desk.entries, number, today, desk.staff_lang()) {
        Ok(page) => page.map(|html| live::with_live_reload(&html)),
        Err(err) => {
            crate::build::log::error(&format!("the desk's catalogue page {number}: {err}"));
            None
        }
    }
}

/// `GET /print/<id>`: the form is on the handout's page. Only an id goes into the
/// address: never `//host` (a redirect off the desk).
pub fn form_redirect(id: &str) -> Response {
    if is_id(id) {
        reply::redirect(&format!("/{id}.html#desk"))
    } else {
        reply::text(StatusCode::NOT_FOUND, "There is no such handout.")
    }
}

/// Whether `text` can be a handout's id (letters, digits, `-`, `_`).
fn is_id(text: &str) -> bool {
    !text.is_empty() && text.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '_')
}

/// The article as the last build left it (`out/json/<id>.json`); a draft only when the
/// desk shows drafts (`serve --drafts`): the site has no page for it, and the desk must
/// not print a copy of what nobody has reviewed.
pub(super) fn built_article(desk: &Desk, out: &Path, id: &str) -> Option<Article> {
    if !is_id(id) {
        return None;
    }
    let article = crate::output::read_intermediate(&out.join("json").join(format!("{id}.json"))).ok()?;
    (article.meta.status != crate::model::Status::Draft || desk.config.site.drafts).then_some(article)
}

/// What the form shows: the values sent back after a problem, and the problems.
#[derive(Default)]
pub struct FormState {
    request: Option<print::Request>,
    problems: Vec<print::Problem>,
}

/// The handout's page with the print form, or `None` when the article is not built.
pub fn page(desk: &Desk, out: &Path, id: &str, state: Option<&FormState>) -> Option<String> {
    let article = built_article(desk, out, id)?;
    let page = match desk.site.page(&article, true) {
        Ok(page) => page,
        Err(err) => {
            crate::build::log::error(&err.to_string());
            return None;
        }
    };
    let form = render_form(desk, &article, state.unwrap_or(&FormState::default()))?;
    let page =
        match page.find("<section id=\"desk\"").and_then(|at| page[at..].find('>').map(|end| at + end + 1)) {
            Some(at) => format!("{}\n{form}{}", &page[..at], &page[at..]),
            None => match page.rfind("</main>") {
                Some(at) => format!(
                    "{}<section id=\"desk\" aria-labelledby=\"desk-title\">\n{form}</section>\n{}",
                    &page[..at],
                    &page[at..]
                ),
                None => format!("{page}{form}"),
            },
        };
    Some(live::with_live_reload(&page))
}

/// The form (`templates/site/print-form.html`, else the built-in one, loaded with the
/// site's templates after every rebuild), or `None` when it fails to render (logged).
fn render_form(desk: &Desk, article: &Article, state: &FormState) -> Option<String> {
    let sections = print::sections(article, &desk.labels);
    let request = state.request.clone().unwrap_or_default();
    let paper = match request.paper.unwrap_or(desk.config.handout.paper) {
        Paper::UsLetter => "letter",
        Paper::A4 => "a4",
    };
    let chosen = request.sections.as_deref();
    let sections: Vec<_> = sections
        .iter()
        .map(|s| {
            minijinja::context! {
                index => s.index,
                title => s.title,
                safety => s.safety,
                checked => chosen.is_none_or(|c| c.contains(&s.index)),
            }
        })
        .collect();
    let errors: BTreeMap<&str, &str> = state.problems.iter().map(|p| (p.field, p.message.as_str())).collect();
    let error_list: Vec<_> = state
        .problems
        .iter()
        .map(|p| minijinja::context! { field => p.field, message => p.message })
        .collect();
    let labels = desk.labels.for_lang(desk.staff_lang());
    let context = minijinja::context! {
        id => article.id,
        staff_lang => desk.staff_lang(),
        handout_lang => crate::render::xml::lang_or(&article.meta.lang, desk.staff_lang()),
        languages => desk.site.languages(article),
        t => labels.to_json(),
        note_hint => labels.text("desk-note-hint").replace("{max}", &print::MAX_NOTE.to_string()),
        sections => sections,
        values => minijinja::context! {
            patient => request.personal.patient,
            clinician => request.personal.clinician,
            note => request.personal.note,
            large => request.large_print,
            paper => paper,
        },
        errors => errors,
        error_list => error_list,
        max_name => print::MAX_NAME,
        max_note => print::MAX_NOTE,
    };
    match desk.site.print_form(context) {
        Ok(html) => Some(html),
        Err(err) => {
            // The template's place and the kind of error: never what the form held.
            crate::build::log::error(&format!("the print form: {err}"));
            None
        }
    }
}

/// The form's fields as a [`print::Request`]. Unknown fields are ignored; a `section`
/// that is not a number is a problem.
pub(super) fn parse_form(body: &[u8]) -> std::result::Result<print::Request, print::Problem> {
    let mut request = print::Request::default();
    let mut personal = Personal::default();
    let mut chosen = Vec::new();
    let mut choose = false;
    for (key, value) in form_urlencoded::parse(body) {
        match key.as_ref() {
            "patient" => personal.patient = value.into_owned(),
            "clinician" => personal.clinician = value.into_owned(),
            "note" => personal.note = value.into_owned(),
            "choose" => choose = true,
            "section" => match value.parse::<usize>() {
                Ok(index) => chosen.push(index),
                Err(_) => {
                    return Err(print::Problem {
                        field: "section",
                        message: "A section must be given by its number.".into(),
                    });
                }
            },
            "large" => request.large_print = !value.is_empty() && value != "0",
            "paper" => {
                request.paper = match value.as_ref() {
                    "letter" | "us-letter" => Some(Paper::UsLetter),
                    "a4" => Some(Paper::A4),
                    _ => None,
                }
            }
            _ => {}
        }
    }
    request.personal = personal;
    request.sections = choose.then_some(chosen);
    Ok(request)
}

/// `POST /print/<id>`: the PDF, or the page again with what to change. The form's body
/// must arrive within `timeout`, and the copy waits its turn in `queue`.
pub async fn print(
    desk: Arc<Desk>,
    out: &Path,
    id: &str,
    body: Body,
    queue: &PrintQueue,
    timeout: Duration,
) -> Response {
    match read_form(body, timeout).await {
        Ok(body) => print_form(desk, out, id, body, queue).await,
        Err(refused) => refused,
    }
}

/// A posted form's body, read within `timeout` and at most [`MAX_BODY`] long.
pub(super) async fn read_form(body: Body, timeout: Duration) -> std::result::Result<Bytes, Response> {
    match tokio::time::timeout(timeout, axum::body::to_bytes(body, MAX_BODY)).await {
        Ok(Ok(body)) => Ok(body),
        Err(_) => {
            Err(reply::text(StatusCode::REQUEST_TIMEOUT, "The form did not arrive in time: send it again."))
        }
        Ok(Err(_)) => Err(reply::text(
            StatusCode::PAYLOAD_TOO_LARGE,
            "The form is too long: the name and clinician take at most 100 characters, the note 1000.",
        )),
    }
}

async fn print_form(desk: Arc<Desk>, out: &Path, id: &str, body: Bytes, queue: &PrintQueue) -> Response {
    let Some(article) = built_article(&desk, out, id) else {
        return reply::text(StatusCode::NOT_FOUND, "There is no such handout.");
    };
    let sections = print::sections(&article, &desk.labels);
    let checked = match parse_form(&body) {
        Ok(request) => print::check(request.clone(), &sections, &desk.labels.for_lang(desk.staff_lang()))
            .map_err(|problems| (request, problems)),
        Err(problem) => Err((print::Request::default(), vec![problem])),
    };
    let request = match checked {
        Ok(request) => request,
        Err((request, problems)) => {
            let too_long = problems.iter().any(|p| p.field != "section");
            let status =
                if too_long { StatusCode::PAYLOAD_TOO_LARGE } else { StatusCode::UNPROCESSABLE_ENTITY };
            let state = FormState { request: Some(request), problems };
            return reply::no_store(match page(&desk, out, id, Some(&state)) {
                Some(html) => reply::html(status, html),
                None => reply::text(status, &state.problems[0].message),
            });
        }
    };
    let Some(turn) = queue.turn().await else { return busy() };
    // The PDF comes back as soon as it is made; the blocking task goes on to make typst
    // forget the patient while the response is on its way, and only then gives up its turn.
    let (send, made) = tokio::sync::oneshot::channel();
    tokio::task::spawn_blocking(move || {
        print::typeset(&desk.typesetter, &desk.labels, &article, &request, |pdf| {
            let _ = send.send(pdf);
        });
        drop(turn);
    });
    let response = match made.await {
        Ok(Ok(pdf)) => {
            let disposition = format!("inline; filename=\"{id}.pdf\"");
            let mut response = ([(header::CONTENT_TYPE, "application/pdf")], pdf).into_response();
            if let Ok(value) = HeaderValue::from_str(&disposition) {
                response.headers_mut().insert(header::CONTENT_DISPOSITION, value);
            }
            response
        }
        Ok(Err(err)) => {
            // The kind only: a message could quote what was typeset.
            crate::build::log::error(&format!(
                "printing {id} failed ({:?} error); `handouts check` shows the template's problems",
                err.kind()
            ));
            reply::text(
                StatusCode::INTERNAL_SERVER_ERROR,
                "The handout could not be typeset; the desk's log says why.",
            )
        }
        Err(_) => reply::text(StatusCode::INTERNAL_SERVER_ERROR, "The handout could not be typeset."),
    };
    reply::no_store(response)
}

/// `503` with `Retry-After`: more copies are asked for than the desk makes at once.
pub(super) fn busy() -> Response {
    let mut response = reply::text(
        StatusCode::SERVICE_UNAVAILABLE,
        "The desk is printing many copies at once: try again in a few seconds.",
    );
    response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static(RETRY_AFTER_SECONDS));
    reply::no_store(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_form_is_parsed_and_sections_are_exact_only_when_chosen() {
        let request =
            parse_form(b"patient=Ana+Mar%C3%ADa&note=a%0Ab&choose=1&section=0&section=2&large=1&paper=a4")
                .unwrap();
        assert_eq!(request.personal.patient, "Ana María");
        assert_eq!(request.personal.note, "a\nb");
        assert_eq!(request.sections, Some(vec![0, 2]));
        assert!(request.large_print);
        assert_eq!(request.paper, Some(Paper::A4));
        assert_eq!(parse_form(b"patient=A").unwrap().sections, None);
        assert!(parse_form(b"section=x").is_err());
    }
}
