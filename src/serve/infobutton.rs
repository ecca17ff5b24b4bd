//! `GET /infobutton`: the desk answers an EHR's infobutton (see `crate::infobutton`)
//! from the handouts of the last build.
//!
//! Under `--listen` the token is required like everywhere else; an infobutton link
//! carries it as the `token` parameter on every request, so here it is checked and the
//! request answered, without the redirect that moves it into a cookie. The log has the
//! codes asked for and how many handouts answered: never the query (the token, a
//! display name from a patient's record).

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::infobutton::{answer, feed};

/// The site's address as this request reached it: `http://<Host>/`. A Host with
/// anything but a host name's characters gives addresses relative to the site.
fn base(headers: &HeaderMap) -> String {
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("");
    let plain = !host.is_empty()
        && host.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
    if plain { format!("http://{host}/") } else { String::new() }
}

pub(super) fn respond(server: &super::Server, headers: &HeaderMap, query: &str) -> Response {
    let desk = server.desk();
    let site = feed::Site { base: base(headers), ..desk.infobutton_site.clone() };
    let answer = answer(&desk.library, query, &site, &desk.labels);
    if server.verbose {
        crate::build::log::line(&format!("infobutton: {}", answer.log));
    }
    let status = StatusCode::from_u16(answer.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = (status, answer.body).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(answer.content_type));
    if let Some(location) = answer.location.and_then(|l| HeaderValue::from_str(&l).ok()) {
        headers.insert(header::LOCATION, location);
    }
    response
}
