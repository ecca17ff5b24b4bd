//! Fetching one web page or picture for `handouts add`: ureq with rustls, `http` and
//! `https` only, timeouts, a size cap, at most [`MAX_REDIRECTS`] redirects (each hop
//! checked like the first), and no loopback, private, link-local or unspecified address
//! unless the caller allows it.
//!
//! The address check sits in the resolver ureq connects with, so the addresses checked
//! are the addresses used: a name that resolves to a public address when checked and a
//! private one when connecting (DNS rebinding) cannot slip through.

use std::io::Read;
use std::net::IpAddr;
use std::time::Duration;

use crate::error::{Error, Result};

/// Redirects followed at most.
pub const MAX_REDIRECTS: u32 = 5;
/// Largest page or picture read, by default.
pub const DEFAULT_MAX_BYTES: u64 = 10 * 1024 * 1024;

/// How to fetch.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Let loopback and private addresses through (a test server, an intranet).
    pub allow_private: bool,
    pub connect_timeout: Duration,
    /// For the whole answer, headers and body.
    pub read_timeout: Duration,
    pub max_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            allow_private: false,
            connect_timeout: Duration::from_secs(10),
            read_timeout: Duration::from_secs(30),
            max_bytes: DEFAULT_MAX_BYTES,
        }
    }
}

/// What the server answered.
#[derive(Debug)]
pub struct Fetched {
    /// The address after redirects.
    pub url: String,
    /// The `Content-Type` without parameters, lowercase; empty when missing.
    pub content_type: String,
    pub bytes: Vec<u8>,
}

/// Whether an address is one a web page has no business sending us to: loopback,
/// private (RFC 1918, unique local), link-local, unspecified, carrier-grade NAT,
/// multicast or broadcast.
pub fn is_private(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_multicast()
                || v4.is_broadcast()
                || a == 0
                || (a == 100 && (64..128).contains(&b))
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_private(IpAddr::V4(v4));
            }
            let first = v6.segments()[0];
            v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfe80
        }
    }
}

/// The resolver ureq connects with: the default one, refusing private addresses.
#[derive(Debug)]
struct Guarded {
    allow_private: bool,
}

impl ureq::unversioned::resolver::Resolver for Guarded {
    fn resolve(
        &self,
        uri: &ureq::http::Uri,
        config: &ureq::config::Config,
        timeout: ureq::unversioned::transport::NextTimeout,
    ) -> std::result::Result<ureq::unversioned::resolver::ResolvedSocketAddrs, ureq::Error> {
        let addrs = ureq::unversioned::resolver::DefaultResolver::default().resolve(uri, config, timeout)?;
        if !self.allow_private
            && let Some(bad) = addrs.iter().find(|a| is_private(a.ip()))
        {
            return Err(ureq::Error::Io(std::io::Error::new(
                std::io::ErrorKind::PermissionDenied,
                format!(
                    "{} is at {}, a private or local address; pass --allow-private to fetch from your own network",
                    uri.host().unwrap_or("the host"),
                    bad.ip()
                ),
            )));
        }
        Ok(addrs)
    }
}

fn agent(limits: &Limits) -> ureq::Agent {
    let config = ureq::Agent::config_builder()
        // No proxy from the environment: through one, the resolver below would check
        // the proxy's address instead of the page's.
        .proxy(None)
        .max_redirects(0)
        .http_status_as_error(false)
        .timeout_resolve(Some(limits.connect_timeout))
        .timeout_connect(Some(limits.connect_timeout))
        .timeout_recv_response(Some(limits.read_timeout))
        .timeout_recv_body(Some(limits.read_timeout))
        .user_agent(concat!(
            "handouts/",
            env!("CARGO_PKG_VERSION"),
            " (saving a health article for patient handouts)"
        ))
        .build();
    ureq::Agent::with_parts(
        config,
        ureq::unversioned::transport::DefaultConnector::new(),
        Guarded { allow_private: limits.allow_private },
    )
}

fn fail(url: &str, message: impl Into<String>) -> Error {
    Error::input(url, None, message)
}

/// Checks that `url` is an `http` or `https` address with a host.
pub fn check_url(url: &str) -> Result<url::Url> {
    let parsed = url::Url::parse(url).map_err(|e| fail(url, format!("not a web address: {e}")))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(fail(
            url,
            format!("only http:// and https:// addresses are fetched, not {}:", parsed.scheme()),
        ));
    }
    if parsed.host_str().is_none_or(str::is_empty) {
        return Err(fail(url, "the address has no host"));
    }
    Ok(parsed)
}

/// GETs `url`, following at most [`MAX_REDIRECTS`] redirects; refuses an answer that is
/// not 2xx, or larger than `limits.max_bytes`.
pub fn get(url: &str, limits: &Limits) -> Result<Fetched> {
    let agent = agent(limits);
    let mut current = check_url(url)?;
    for _ in 0..=MAX_REDIRECTS {
        let response = agent
            .get(current.as_str())
            .header("Accept", "text/html,application/xhtml+xml,image/*;q=0.9,*/*;q=0.5")
            .call()
            .map_err(|e| transport_error(current.as_str(), e, limits))?;
        let status = response.status();
        if status.is_redirection() {
            let location =
                response.headers().get("location").and_then(|l| l.to_str().ok()).ok_or_else(|| {
                    fail(current.as_str(), format!("HTTP {status} without a Location to go to"))
                })?;
            let next = current
                .join(location)
                .map_err(|e| fail(current.as_str(), format!("bad redirect to {location}: {e}")))?;
            current = check_url(next.as_str())?;
            continue;
        }
        if !status.is_success() {
            let reason = status.canonical_reason().unwrap_or("");
            return Err(fail(
                current.as_str(),
                format!("the server answered HTTP {} {reason}", status.as_u16()),
            ));
        }
        let content_type = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        let too_big = || {
            fail(current.as_str(), format!("the answer is larger than the {} limit", size(limits.max_bytes)))
        };
        if let Some(length) = response
            .headers()
            .get("content-length")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
            && length > limits.max_bytes
        {
            return Err(too_big());
        }
        let mut bytes = Vec::new();
        let reader = response.into_body().into_reader();
        reader
            .take(limits.max_bytes + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| read_error(current.as_str(), e, limits))?;
        if bytes.len() as u64 > limits.max_bytes {
            return Err(too_big());
        }
        return Ok(Fetched { url: current.to_string(), content_type, bytes });
    }
    Err(fail(url, format!("more than {MAX_REDIRECTS} redirects")))
}

/// `10 MiB`, `97 KiB`, `512 bytes`.
fn size(bytes: u64) -> String {
    match bytes {
        b if b >= 1 << 20 && b % (1 << 20) == 0 => format!("{} MiB", b >> 20),
        b if b >= 1 << 20 => format!("{:.1} MiB", b as f64 / f64::from(1 << 20)),
        b if b >= 1 << 10 => format!("{} KiB", b >> 10),
        b => format!("{b} bytes"),
    }
}

fn transport_error(url: &str, err: ureq::Error, limits: &Limits) -> Error {
    let message = match err {
        ureq::Error::Timeout(_) => format!(
            "no answer within {} s (connect) / {} s (read)",
            limits.connect_timeout.as_secs_f64(),
            limits.read_timeout.as_secs_f64()
        ),
        ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::PermissionDenied => io.to_string(),
        ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::TimedOut => {
            format!("timed out after {} s", limits.read_timeout.as_secs_f64())
        }
        ureq::Error::HostNotFound => "no such host".to_string(),
        ureq::Error::ConnectionFailed => "could not connect".to_string(),
        other => other.to_string(),
    };
    fail(url, message)
}

fn read_error(url: &str, err: std::io::Error, limits: &Limits) -> Error {
    let text = err.to_string();
    if err.kind() == std::io::ErrorKind::TimedOut || text.contains("timeout") || text.contains("timed out") {
        return fail(
            url,
            format!("the answer did not arrive within {} s", limits.read_timeout.as_secs_f64()),
        );
    }
    fail(url, format!("reading the answer failed: {text}"))
}

/// Whether an answer is a web page: by its `Content-Type`, or when it has none, by its
/// first bytes.
pub fn is_html(fetched: &Fetched) -> bool {
    match fetched.content_type.as_str() {
        "text/html" | "application/xhtml+xml" => true,
        "" => {
            let head =
                String::from_utf8_lossy(&fetched.bytes[..fetched.bytes.len().min(512)]).to_ascii_lowercase();
            let head = head.trim_start_matches('\u{feff}').trim_start();
            head.starts_with("<!doctype html") || head.starts_with("<html") || head.starts_with("<head")
        }
        _ => false,
    }
}

/// The kind of picture `bytes` hold, by their first bytes (never by name or header):
/// `png`, `jpg` or `svg`; `None` for anything else.
pub fn picture_kind(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Some("png");
    }
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Some("jpg");
    }
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(1024)]).to_ascii_lowercase();
    let head = head.trim_start_matches('\u{feff}').trim_start();
    if head.starts_with("<svg")
        || ((head.starts_with("<?xml") || head.starts_with("<!--") || head.starts_with("<!doctype svg"))
            && head.contains("<svg"))
    {
        return Some("svg");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_addresses() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "192.168.0.1",
            "172.16.5.5",
            "169.254.1.1",
            "0.0.0.0",
            "100.64.0.1",
            "::1",
            "fe80::1",
            "fd00::1",
            "::ffff:127.0.0.1",
        ] {
            assert!(is_private(ip.parse().unwrap()), "{ip}");
        }
        for ip in ["93.184.216.34", "2606:4700::1111", "8.8.8.8"] {
            assert!(!is_private(ip.parse().unwrap()), "{ip}");
        }
    }

    #[test]
    fn only_web_addresses() {
        assert!(check_url("https://example.org/a").is_ok());
        assert!(check_url("file:///etc/passwd").unwrap_err().to_string().contains("only http"));
        assert!(check_url("ftp://x.org/").is_err());
        assert!(check_url("not a url").is_err());
    }

    #[test]
    fn pictures_sniffed() {
        assert_eq!(picture_kind(b"\x89PNG\r\n\x1a\n...."), Some("png"));
        assert_eq!(picture_kind(&[0xFF, 0xD8, 0xFF, 0xE0]), Some("jpg"));
        assert_eq!(
            picture_kind(b"<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"/>"),
            Some("svg")
        );
        assert_eq!(picture_kind(b"GIF89a"), None);
        assert_eq!(picture_kind(b"<html>"), None);
    }
}
