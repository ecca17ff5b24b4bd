//! The desk's gate: who may ask anything at all.
//!
//! - `Host` must name this server (127.0.0.1, localhost, [::1] or the `--listen`
//!   address, with the port), so a web page cannot reach the desk through DNS
//!   rebinding. A POST whose `Origin` is another site is refused.
//! - `--listen ADDR`: every request needs the token `serve` prints, once in the address
//!   (`?token=`), then in an HttpOnly SameSite=Strict cookie; else 401.

use std::net::SocketAddr;

use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::Response;

use super::reply;
use crate::error::{Error, Result};

const COOKIE: &str = "handouts_token";

/// Shortest token accepted from the operator: as hard to guess as 128 random bits
/// written in hex.
pub const MIN_TOKEN_CHARS: usize = 32;

/// The operator's token from `HANDOUTS_TOKEN` or `file` (first line, trimmed), checked.
pub fn given_token(file: Option<&std::path::Path>) -> Result<Option<String>> {
    let (token, from) = match file {
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|e| Error::read(path, e))?;
            (text.lines().next().unwrap_or("").trim().to_string(), path.display().to_string())
        }
        None => match std::env::var("HANDOUTS_TOKEN") {
            Ok(value) => (value.trim().to_string(), "HANDOUTS_TOKEN".to_string()),
            Err(_) => return Ok(None),
        },
    };
    if token.chars().count() < MIN_TOKEN_CHARS
        || !token.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '~'))
    {
        return Err(Error::usage(format!(
            "{from}: the access token must be at least {MIN_TOKEN_CHARS} letters, digits, `-`, `_`, `.` or `~` \
             (for example the output of `openssl rand -hex 32`)"
        )));
    }
    Ok(Some(token))
}

/// 32 random bytes as hex.
pub fn new_token() -> Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)
        .map_err(|e| Error::usage(format!("no randomness for the access token: {e}")))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

pub struct Gate {
    token: Option<String>,
    /// `Host` values accepted; `None` accepts any (`--listen` on every interface, where
    /// the token guards the desk).
    hosts: Option<Vec<String>>,
}

impl Gate {
    /// The gate of a desk bound to `bound`; `listen` when it was asked to listen on a
    /// network rather than on this machine only.
    pub fn new(bound: SocketAddr, listen: bool, token: Option<String>) -> Gate {
        let hosts = if listen && bound.ip().is_unspecified() {
            None
        } else {
            let port = bound.port();
            Some(vec![
                format!("127.0.0.1:{port}"),
                format!("localhost:{port}"),
                format!("[::1]:{port}"),
                bound.to_string(),
            ])
        };
        Gate { token, hosts }
    }

    /// `Some(403)` when the request names another host.
    pub fn refuse_host(&self, headers: &HeaderMap) -> Option<Response> {
        let hosts = self.hosts.as_ref()?;
        let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("");
        if hosts.iter().any(|allowed| allowed.eq_ignore_ascii_case(host)) {
            None
        } else {
            Some(reply::text(StatusCode::FORBIDDEN, "This server answers only to its own address."))
        }
    }

    /// `None` when the request may go on: no token is needed, or its cookie holds it.
    /// Else a 401, or, for the token in the address, a redirect that moves it into a
    /// cookie.
    pub fn refuse_token(&self, uri: &Uri, headers: &HeaderMap) -> Option<Response> {
        let token = self.token.as_ref()?;
        let from_query = uri.query().and_then(|q| {
            form_urlencoded::parse(q.as_bytes()).find(|(k, _)| k == "token").map(|(_, v)| v.into_owned())
        });
        if let Some(given) = from_query {
            if !same(given.as_bytes(), token.as_bytes()) {
                return Some(unauthorized());
            }
            // Into a cookie, and out of the address bar and the history.
            let mut response = reply::redirect(&on_site(uri.path()));
            let cookie = format!("{COOKIE}={token}; HttpOnly; SameSite=Strict; Path=/");
            if let Ok(value) = HeaderValue::from_str(&cookie) {
                response.headers_mut().insert(header::SET_COOKIE, value);
            }
            return Some(response);
        }
        if cookie_holds(headers, token) { None } else { Some(unauthorized()) }
    }

    /// Whether a form posted from `origin` comes from this desk's own pages.
    pub fn origin_allowed(&self, origin: &str, headers: &HeaderMap) -> bool {
        let Some(host) = origin.strip_prefix("http://") else { return false };
        match &self.hosts {
            Some(hosts) => hosts.iter().any(|allowed| allowed.eq_ignore_ascii_case(host)),
            None => headers
                .get(header::HOST)
                .and_then(|h| h.to_str().ok())
                .is_some_and(|h| h.eq_ignore_ascii_case(host)),
        }
    }
}

/// `path` as an address on this site. To a browser `//host/…` is another site, and so is
/// `/\host/…` (it reads `\` as `/`): the leading slashes and backslashes become one `/`.
/// Encoded ones (`/%2F…`, `%5C`) stay encoded, which browsers read as a path.
fn on_site(path: &str) -> String {
    format!("/{}", path.trim_start_matches(['/', '\\']))
}

fn cookie_holds(headers: &HeaderMap, token: &str) -> bool {
    headers.get_all(header::COOKIE).iter().filter_map(|v| v.to_str().ok()).any(|cookies| {
        cookies
            .split(';')
            .filter_map(|c| c.trim().split_once('='))
            .any(|(name, value)| name == COOKIE && same(value.as_bytes(), token.as_bytes()))
    })
}

/// Compares without stopping at the first difference.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn unauthorized() -> Response {
    reply::text(
        StatusCode::UNAUTHORIZED,
        "This handout desk needs its access token: open the address with ?token= that `handouts serve` printed.",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_compare_whole() {
        assert!(same(b"abc", b"abc"));
        assert!(!same(b"abc", b"abd"));
        assert!(!same(b"abc", b"ab"));
        assert_eq!(new_token().unwrap().len(), 64);
    }

    #[test]
    fn the_redirect_that_removes_the_token_stays_on_the_site() {
        for (path, location) in [
            ("/", "/"),
            ("/a/b.html", "/a/b.html"),
            ("//evil.example/", "/evil.example/"),
            ("/\\evil.example/", "/evil.example/"),
            ("/\\/evil.example", "/evil.example"),
            ("///\\evil.example", "/evil.example"),
            ("/%2F/evil.example", "/%2F/evil.example"),
            ("", "/"),
        ] {
            assert_eq!(on_site(path), location, "{path}");
        }
    }
}
