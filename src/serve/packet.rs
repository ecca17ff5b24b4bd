//! `POST /packet`: several handouts for one patient as one PDF, ticked in the desk's
//! catalogue (`handouts print ID ID …` does the same from a script). A cover lists what
//! is inside; each handout starts on a new sheet, on a right-hand page when the printer
//! prints both sides; the patient's name and the date are on every page. As for one
//! copy, nothing of the patient is kept: the PDF is made in memory and sent back.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::desk::{self, Desk};
use super::print::{self, PacketItem};
use super::queue::PrintQueue;
use super::reply;
use crate::typeset::PaperSides;

pub async fn print_packet(
    desk: Arc<Desk>,
    out: &Path,
    body: Body,
    queue: &PrintQueue,
    timeout: Duration,
) -> Response {
    match desk::read_form(body, timeout).await {
        Ok(body) => make(desk, out, &body, queue).await,
        Err(refused) => refused,
    }
}

/// The handouts ticked (`id`, in the catalogue's order, each once) and whether the
/// printer prints both sides (`two-sided`); the other fields are the single copy's.
fn picked(body: &[u8]) -> (Vec<String>, PaperSides) {
    let mut ids: Vec<String> = Vec::new();
    let mut sides = PaperSides::One;
    for (key, value) in form_urlencoded::parse(body) {
        match key.as_ref() {
            "id" if !ids.iter().any(|id| *id == value) => ids.push(value.into_owned()),
            "two-sided" if !value.is_empty() && value != "0" => sides = PaperSides::Both,
            _ => {}
        }
    }
    (ids, sides)
}

async fn make(desk: Arc<Desk>, out: &Path, body: &Bytes, queue: &PrintQueue) -> Response {
    let refuse = |status, message: &str| reply::no_store(reply::text(status, message));
    let (ids, sides) = picked(body);
    if ids.is_empty() {
        return refuse(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Tick at least one handout in the list, then print again.",
        );
    }
    if ids.len() > print::MAX_PACKET {
        return refuse(
            StatusCode::UNPROCESSABLE_ENTITY,
            &format!("A packet holds at most {} handouts: print them as two packets.", print::MAX_PACKET),
        );
    }
    let mut articles = Vec::with_capacity(ids.len());
    for id in &ids {
        match desk::built_article(&desk, out, id) {
            Some(article) => articles.push(article),
            None => {
                return refuse(
                    StatusCode::NOT_FOUND,
                    "One of the ticked handouts no longer exists: reload the list.",
                );
            }
        }
    }
    let labels = desk.labels.for_lang(desk.staff_lang());
    let request = match desk::parse_form(body) {
        // Sections are chosen for one handout at a time, on its own page.
        Ok(request) => print::check(print::Request { sections: None, ..request }, &[], &labels),
        Err(problem) => Err(vec![problem]),
    };
    let request = match request {
        Ok(request) => request,
        Err(problems) => {
            let message: Vec<String> = problems.into_iter().map(|p| p.message).collect();
            return refuse(StatusCode::UNPROCESSABLE_ENTITY, &message.join("\n"));
        }
    };
    let Some(turn) = queue.turn().await else { return desk::busy() };
    let (send, made) = tokio::sync::oneshot::channel();
    tokio::task::spawn_blocking(move || {
        let items: Vec<PacketItem> =
            articles.iter().map(|article| PacketItem { article, sections: None }).collect();
        print::typeset_packet(&desk.typesetter, &desk.labels, &items, &request, sides, |pdf| {
            let _ = send.send(pdf);
        });
        drop(turn);
    });
    let response = match made.await {
        Ok(Ok(pdf)) => {
            let mut response = ([(header::CONTENT_TYPE, "application/pdf")], pdf).into_response();
            response.headers_mut().insert(
                header::CONTENT_DISPOSITION,
                HeaderValue::from_static("inline; filename=\"handouts.pdf\""),
            );
            response
        }
        Ok(Err(err)) => {
            // The kind only: a message could quote what was typeset.
            crate::build::log::error(&format!(
                "a packet of {} handouts failed ({:?} error)",
                ids.len(),
                err.kind()
            ));
            reply::text(
                StatusCode::INTERNAL_SERVER_ERROR,
                "The packet could not be typeset; the desk's log says why.",
            )
        }
        Err(_) => reply::text(StatusCode::INTERNAL_SERVER_ERROR, "The packet could not be typeset."),
    };
    reply::no_store(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticked_handouts_are_taken_once_in_order_with_the_sides() {
        let (ids, sides) = picked(b"patient=A&id=b&id=a&id=b&two-sided=1");
        assert_eq!(ids, ["b", "a"]);
        assert_eq!(sides, PaperSides::Both);
        assert_eq!(picked(b"id=a").1, PaperSides::One);
    }
}
