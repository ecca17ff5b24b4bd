//! `handouts serve`: the handout desk. A local web server (axum on tokio) that serves
//! the site in `out/site/`, rebuilds what changed when an article, the config or a
//! template is saved (the watcher of `handouts watch`, the normal incremental build),
//! reloads open pages, and prints a handout for one patient ([`print`]).
//!
//! - Files: only GET and HEAD, only under `out/site/` (plus the handouts' PDFs in
//!   `out/pdf/` and the EPUB, which the pages link to); `..`, encoded or not, hidden
//!   files and symlinks leading out are refused.
//! - `Host` must name this server (127.0.0.1, localhost, [::1] or the `--listen`
//!   address, with the port), so a web page cannot reach the desk through DNS
//!   rebinding. A POST whose `Origin` is another site is refused.
//! - `--listen ADDR`: every request needs the token `serve` prints, once in the address
//!   (`?token=`), then in an HttpOnly SameSite=Strict cookie; else 401.
//! - Live reload: pages served here get `/_handouts/live.js`, which listens to
//!   `/_events` (Server-Sent Events) through one SharedWorker per browser, so any number
//!   of tabs share one connection and never use up the browser's six per host.
//! - Logs (`--verbose`) hold method, path, status and time: never a query, a header or
//!   a body.

mod infobutton;
pub mod print;

use std::collections::BTreeMap;
use std::convert::Infallible;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Instant;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use tokio::sync::broadcast;

use crate::config::{Config, Paper};
use crate::error::{Error, Result};
use crate::labels::LabelTable;
use crate::model::Article;
use crate::site::Site;
use crate::typeset::{Personal, Typesetter};

/// The largest request body: the form's fields at their longest, four bytes a
/// character and percent-encoded, fit well within it.
const MAX_BODY: usize = 64 * 1024;

const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
                   img-src 'self' data:; font-src 'self'; connect-src 'self'; worker-src 'self'; \
                   object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

const LIVE_JS: &str = include_str!("live.js");
const LIVE_WORKER_JS: &str = include_str!("live-worker.js");
/// How long a burst of saves may last before the rebuild starts (`watch` waits 300 ms).
const SETTLE: std::time::Duration = std::time::Duration::from_millis(60);
const COOKIE: &str = "handouts_token";

/// What `serve` needs from the command line.
pub struct Options {
    pub config_path: PathBuf,
    pub content: PathBuf,
    pub out: PathBuf,
    /// 127.0.0.1 and this port, unless `listen` is set; 0 picks a free port.
    pub port: u16,
    /// Listen here (a clinic network) and require a token.
    pub listen: Option<SocketAddr>,
    /// The access token, when the operator gives one (`HANDOUTS_TOKEN` or
    /// `--token-file`): it stays the same across restarts and is never printed.
    pub token: Option<String>,
    pub verbose: bool,
}

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

/// Everything a print or a page needs, made again after every rebuild (the config or
/// a template may have changed).
struct Desk {
    config: Config,
    typesetter: Typesetter,
    site: Site,
    labels: LabelTable,
    /// The built handouts by code, for `/infobutton`, and where they are.
    library: crate::infobutton::Library,
    infobutton_site: crate::infobutton::feed::Site,
}

impl Desk {
    fn load(options: &Options) -> Result<Desk> {
        let config = crate::build::load_config(
            &options.config_path,
            options.content.clone(),
            options.out.clone(),
            None,
        )?;
        Ok(Desk {
            typesetter: Typesetter::new(&config)?,
            site: Site::new(&config)?,
            labels: LabelTable::load(config.template_dir())?,
            library: infobutton::library(&config.out_dir),
            infobutton_site: crate::infobutton::feed::Site::of(&config),
            config,
        })
    }
}

struct Server {
    /// Replaced by the watcher after every rebuild, before pages are told to reload;
    /// `Some` from the first build on.
    desk: Arc<RwLock<Option<Arc<Desk>>>>,
    events: broadcast::Sender<()>,
    token: Option<String>,
    /// `Host` values accepted; `None` accepts any (`--listen` on every interface, where
    /// the token guards the desk).
    hosts: Option<Vec<String>>,
    out: PathBuf,
    verbose: bool,
}

/// Builds, then serves until interrupted. `rebuild` runs the normal build (it prints
/// its own summary); it is called once before the server answers and after every
/// burst of saves.
pub fn serve(
    options: Options,
    build_args: crate::cli::BuildArgs,
    rebuild: impl Fn() + Send + 'static,
) -> Result<()> {
    // The port is taken before the first build, so a port in use is said at once,
    // not after minutes of typesetting.
    let addr = options.listen.unwrap_or(SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), options.port));
    let std_listener = std::net::TcpListener::bind(addr).map_err(|e| {
        let hint = if e.kind() == std::io::ErrorKind::AddrInUse {
            " (another program, or another `handouts serve`, uses it; choose another with --port)"
        } else {
            ""
        };
        Error::usage(format!("cannot listen on {addr}: {e}{hint}"))
    })?;
    std_listener.set_nonblocking(true).map_err(|e| Error::usage(format!("{addr}: {e}")))?;
    let (events, _) = broadcast::channel(16);
    let (first_build, built) = std::sync::mpsc::channel::<()>();
    let first_build = Mutex::new(Some(first_build));
    let options = Arc::new(options);
    let desk = Arc::new(RwLock::new(None::<Arc<Desk>>));
    {
        let events = events.clone();
        let desk = desk.clone();
        let options = options.clone();
        std::thread::spawn(move || {
            let result = crate::watch::watch_settling(&build_args, SETTLE, || {
                rebuild();
                match Desk::load(&options) {
                    Ok(new) => *desk.write().unwrap_or_else(|p| p.into_inner()) = Some(Arc::new(new)),
                    // The last good desk stays; the build printed what is wrong.
                    Err(err) => eprintln!("error: {err}"),
                }
                if let Some(sender) = first_build.lock().unwrap_or_else(|p| p.into_inner()).take() {
                    let _ = sender.send(());
                }
                let _ = events.send(());
            });
            if let Err(err) = result {
                eprintln!("error: {err}");
            }
        });
    }
    let _ = built.recv();
    if desk.read().unwrap_or_else(|p| p.into_inner()).is_none() {
        return Err(Desk::load(&options).err().unwrap_or_else(|| Error::usage("the first build failed")));
    }

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Error::usage(format!("cannot start the server: {e}")))?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::from_std(std_listener)
            .map_err(|e| Error::usage(format!("cannot listen on {addr}: {e}")))?;
        let bound = listener.local_addr().map_err(|e| Error::usage(format!("{addr}: {e}")))?;
        let given = options.token.is_some();
        let token = match (&options.token, options.listen) {
            (Some(token), _) => Some(token.clone()),
            (None, Some(_)) => Some(new_token()?),
            (None, None) => None,
        };
        let server = Arc::new(Server {
            desk,
            events: events.clone(),
            token: token.clone(),
            hosts: allowed_hosts(bound, options.listen.is_some()),
            out: options.out.clone(),
            verbose: options.verbose,
        });
        let shown = if bound.ip().is_unspecified() {
            format!("http://{}:{}/", local_name(), bound.port())
        } else {
            format!("http://{bound}/")
        };
        // A token the operator gave is theirs to share: it never reaches the log.
        let url = match &token {
            Some(token) if !given => format!("{shown}?token={token}"),
            _ => shown,
        };
        {
            use std::io::Write;
            let mut stdout = std::io::stdout();
            let _ = writeln!(stdout, "{url}");
            let _ = stdout.flush();
        }
        eprintln!("The handout desk is open at {url} (Ctrl-C to stop)");
        if given {
            eprintln!("Every request needs the access token you gave (open the address with ?token=…).");
        } else if token.is_some() {
            eprintln!("Anyone with this address can print handouts: share it only with the care team.");
        }
        let app = axum::Router::new().fallback(handle).with_state(server);
        tokio::select! {
            result = axum::serve(listener, app) => {
                result.map_err(|e| Error::usage(format!("the server stopped: {e}")))
            }
            _ = tokio::signal::ctrl_c() => Ok(()),
        }
    })
}

/// The machine's name for the printed address when listening on every interface.
fn local_name() -> String {
    std::fs::read_to_string("/etc/hostname")
        .ok()
        .map(|name| name.trim().to_string())
        .filter(|name| !name.is_empty())
        .unwrap_or_else(|| "localhost".into())
}

/// 32 random bytes as hex.
fn new_token() -> Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)
        .map_err(|e| Error::usage(format!("no randomness for the access token: {e}")))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

fn allowed_hosts(bound: SocketAddr, listen: bool) -> Option<Vec<String>> {
    if listen && bound.ip().is_unspecified() {
        return None;
    }
    let port = bound.port();
    let mut hosts = vec![format!("127.0.0.1:{port}"), format!("localhost:{port}"), format!("[::1]:{port}")];
    hosts.push(bound.to_string());
    Some(hosts)
}

/// Compares without stopping at the first difference.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

async fn handle(State(server): State<Arc<Server>>, request: Request) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let path = request.uri().path().to_string();
    let mut response = route(&server, request).await;
    let headers = response.headers_mut();
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    headers.entry(header::CACHE_CONTROL).or_insert(HeaderValue::from_static("no-cache"));
    if server.verbose {
        // Never the query (the token) nor the body (the patient).
        eprintln!(
            "{method} {path} {} {:.1} ms",
            response.status().as_u16(),
            started.elapsed().as_secs_f64() * 1000.0
        );
    }
    response
}

async fn route(server: &Arc<Server>, request: Request) -> Response {
    let headers = request.headers();
    if let Some(hosts) = &server.hosts {
        let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("");
        if !hosts.iter().any(|allowed| allowed.eq_ignore_ascii_case(host)) {
            return text(StatusCode::FORBIDDEN, "This server answers only to its own address.");
        }
    }
    // For a container's or systemd's health check, which has no token: it says the desk
    // answers and nothing else.
    if request.method() == Method::GET && request.uri().path() == "/healthz" {
        return text(StatusCode::OK, "ok");
    }
    if let Some(token) = &server.token {
        let from_query = request.uri().query().and_then(|q| {
            form_urlencoded::parse(q.as_bytes()).find(|(k, _)| k == "token").map(|(_, v)| v.into_owned())
        });
        if let Some(given) = from_query {
            if !same(given.as_bytes(), token.as_bytes()) {
                return unauthorized();
            }
            // An EHR's infobutton link holds the token; the rest of its query is the question.
            if request.uri().path() != "/infobutton" {
                // Into a cookie, and out of the address bar and the history.
                let mut response = redirect(request.uri().path());
                let cookie = format!("{COOKIE}={token}; HttpOnly; SameSite=Strict; Path=/");
                if let Ok(value) = HeaderValue::from_str(&cookie) {
                    response.headers_mut().insert(header::SET_COOKIE, value);
                }
                return response;
            }
        } else if !cookie_holds(headers, token) {
            return unauthorized();
        }
    }
    let method = request.method().clone();
    let path = request.uri().path().to_string();
    if method == Method::POST {
        let Some(id) = path.strip_prefix("/print/") else {
            return not_allowed();
        };
        if let Some(origin) = headers.get(header::ORIGIN).and_then(|o| o.to_str().ok())
            && !origin_allowed(server, origin, headers)
        {
            return text(StatusCode::FORBIDDEN, "A form from another site cannot print here.");
        }
        let id = id.to_string();
        let body = match axum::body::to_bytes(request.into_body(), MAX_BODY).await {
            Ok(body) => body,
            Err(_) => {
                return text(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "The form is too long: the name and clinician take at most 100 characters, the note 1000.",
                );
            }
        };
        return print_route(server, id, body).await;
    }
    if method != Method::GET && method != Method::HEAD {
        return not_allowed();
    }
    let head = method == Method::HEAD;
    let response = match path.as_str() {
        "/_events" => return events(server),
        "/infobutton" => infobutton::respond(server, request.headers(), request.uri().query().unwrap_or("")),
        "/_handouts/live.js" => asset(LIVE_JS, "text/javascript; charset=utf-8"),
        "/_handouts/live-worker.js" => asset(LIVE_WORKER_JS, "text/javascript; charset=utf-8"),
        // The form is on the handout's page. Only an id goes into the address: never
        // `//host` (a redirect off the desk).
        _ if path.starts_with("/print/") => match &path["/print/".len()..] {
            id if is_id(id) => redirect(&format!("/{id}.html#desk")),
            _ => text(StatusCode::NOT_FOUND, "There is no such handout."),
        },
        _ => file(server, &path),
    };
    if head { strip_body(response) } else { response }
}

impl Server {
    fn desk(&self) -> Arc<Desk> {
        let desk = self.desk.read().unwrap_or_else(|p| p.into_inner()).clone();
        desk.expect("the desk is loaded before the server starts")
    }
}

fn cookie_holds(headers: &HeaderMap, token: &str) -> bool {
    headers.get_all(header::COOKIE).iter().filter_map(|v| v.to_str().ok()).any(|cookies| {
        cookies
            .split(';')
            .filter_map(|c| c.trim().split_once('='))
            .any(|(name, value)| name == COOKIE && same(value.as_bytes(), token.as_bytes()))
    })
}

fn origin_allowed(server: &Server, origin: &str, headers: &HeaderMap) -> bool {
    let Some(host) = origin.strip_prefix("http://") else { return false };
    match &server.hosts {
        Some(hosts) => hosts.iter().any(|allowed| allowed.eq_ignore_ascii_case(host)),
        None => headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .is_some_and(|h| h.eq_ignore_ascii_case(host)),
    }
}

fn text(status: StatusCode, message: &str) -> Response {
    let mut response = (status, format!("{message}\n")).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=utf-8"));
    response
}

fn unauthorized() -> Response {
    text(
        StatusCode::UNAUTHORIZED,
        "This handout desk needs its access token: open the address with ?token= that `handouts serve` printed.",
    )
}

fn not_allowed() -> Response {
    let mut response =
        text(StatusCode::METHOD_NOT_ALLOWED, "Only GET and HEAD here (POST only to /print/<id>).");
    response.headers_mut().insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
    response
}

fn redirect(location: &str) -> Response {
    let mut response = StatusCode::SEE_OTHER.into_response();
    if let Ok(value) = HeaderValue::from_str(location) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    response
}

fn strip_body(response: Response) -> Response {
    let (parts, _) = response.into_parts();
    Response::from_parts(parts, Body::empty())
}

fn asset(text: &'static str, mime: &'static str) -> Response {
    ([(header::CONTENT_TYPE, mime)], text).into_response()
}

fn events(server: &Server) -> Response {
    let receiver = server.events.subscribe();
    // Each connection reads the shared ring at its own pace; one that falls behind
    // just reloads (Lagged), so a slow tab never holds up another.
    let stream = futures_util::stream::unfold(receiver, |mut receiver| async move {
        match receiver.recv().await {
            Ok(()) | Err(broadcast::error::RecvError::Lagged(_)) => {
                Some((Ok::<_, Infallible>(Event::default().event("reload").data("reload")), receiver))
            }
            Err(broadcast::error::RecvError::Closed) => None,
        }
    });
    let mut response = Sse::new(stream).keep_alive(KeepAlive::default()).into_response();
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// The part of a URL path after `/`, percent-decoded, as safe relative segments: none
/// empty, `.`, `..` or hidden, no backslash or NUL. `None` for anything else.
fn segments(path: &str) -> Option<Vec<String>> {
    let decoded = percent_decode(path.strip_prefix('/')?)?;
    if decoded.is_empty() {
        return Some(vec!["index.html".into()]);
    }
    let parts: Vec<String> = decoded.split('/').map(str::to_string).collect();
    let safe = parts
        .iter()
        .all(|part| !part.is_empty() && !part.starts_with('.') && !part.contains(['\\', '\0', ':']));
    safe.then_some(parts)
}

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// A file of the site (the PDFs and the EPUB it links to are in it), or a handout's
/// page with the print form.
fn file(server: &Server, path: &str) -> Response {
    let not_found = || text(StatusCode::NOT_FOUND, "There is no such page.");
    let Some(parts) = segments(path) else { return not_found() };
    // The site holds the PDFs and the EPUB it links to (`build::site_files`).
    let root = server.out.join("site");
    let Ok(root) = std::fs::canonicalize(&root) else { return not_found() };
    let joined = parts.iter().fold(root.clone(), |path, part| path.join(part));
    // Symlinks may not lead out of the folder.
    let Ok(real) = std::fs::canonicalize(&joined) else { return not_found() };
    if !real.starts_with(&root) || !real.is_file() {
        return not_found();
    }
    let mime = content_type(&real);
    if let [page] = parts.as_slice()
        && root.ends_with("site")
        && let Some(id) = page.strip_suffix(".html")
        && id != "index"
        && let Some(html) = desk_page(server, id, None)
    {
        return html_response(StatusCode::OK, html);
    }
    match std::fs::read(&real) {
        Ok(bytes) if mime.starts_with("text/html") => {
            html_response(StatusCode::OK, with_live_reload(&String::from_utf8_lossy(&bytes)))
        }
        Ok(bytes) => ([(header::CONTENT_TYPE, mime)], bytes).into_response(),
        Err(_) => not_found(),
    }
}

fn html_response(status: StatusCode, html: String) -> Response {
    (status, [(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response()
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
        Some("html") => "text/html; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("json") => "application/json",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("woff2") => "font/woff2",
        Some("woff") => "font/woff",
        Some("ttf") => "font/ttf",
        Some("otf") => "font/otf",
        Some("pdf") => "application/pdf",
        Some("epub") => "application/epub+zip",
        Some("txt") => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

fn with_live_reload(html: &str) -> String {
    const SCRIPT: &str = "<script src=\"/_handouts/live.js\"></script>\n";
    match html.rfind("</body>") {
        Some(at) => format!("{}{SCRIPT}{}", &html[..at], &html[at..]),
        None => format!("{html}{SCRIPT}"),
    }
}

/// Whether `text` can be a handout's id (letters, digits, `-`, `_`).
fn is_id(text: &str) -> bool {
    !text.is_empty() && text.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '_')
}

/// The article as the last build left it (`out/json/<id>.json`).
fn built_article(out: &Path, id: &str) -> Option<Article> {
    if !is_id(id) {
        return None;
    }
    crate::output::read_intermediate(&out.join("json").join(format!("{id}.json"))).ok()
}

/// What the form shows: the values sent back after a problem, and the problems.
#[derive(Default)]
struct FormState {
    request: Option<print::Request>,
    problems: Vec<print::Problem>,
}

/// The handout's page with the print form, or `None` when the article is not built.
fn desk_page(server: &Server, id: &str, state: Option<&FormState>) -> Option<String> {
    let article = built_article(&server.out, id)?;
    let desk = server.desk();
    let page = match desk.site.page(&article, true) {
        Ok(page) => page,
        Err(err) => {
            eprintln!("error: {err}");
            return None;
        }
    };
    let form = render_form(&desk, &article, state.unwrap_or(&FormState::default()))?;
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
    Some(with_live_reload(&page))
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
    let labels = desk.labels.for_lang(&article.meta.lang);
    let context = minijinja::context! {
        id => article.id,
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
            eprintln!("error: the print form: {err}");
            None
        }
    }
}

/// The form's fields as a [`print::Request`]. Unknown fields are ignored; a `section`
/// that is not a number is a problem.
fn parse_form(body: &[u8]) -> std::result::Result<print::Request, print::Problem> {
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

async fn print_route(server: &Arc<Server>, id: String, body: Bytes) -> Response {
    let Some(article) = built_article(&server.out, &id) else {
        return text(StatusCode::NOT_FOUND, "There is no such handout.");
    };
    let desk = server.desk();
    let sections = print::sections(&article, &desk.labels);
    let checked = match parse_form(&body) {
        Ok(request) => print::check(request.clone(), &sections, &desk.labels.for_lang(&article.meta.lang))
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
            let mut response = match desk_page(server, &id, Some(&state)) {
                Some(html) => html_response(status, html),
                None => text(status, &state.problems[0].message),
            };
            response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            return response;
        }
    };
    // The PDF comes back as soon as it is made; the blocking task goes on to make typst
    // forget the patient while the response is on its way.
    let (send, made) = tokio::sync::oneshot::channel();
    tokio::task::spawn_blocking(move || {
        print::typeset(&desk.typesetter, &desk.labels, &article, &request, |pdf| {
            let _ = send.send(pdf);
        })
    });
    let mut response = match made.await {
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
            eprintln!(
                "error: printing {id} failed ({:?} error); `handouts check` shows the template's problems",
                err.kind()
            );
            text(
                StatusCode::INTERNAL_SERVER_ERROR,
                "The handout could not be typeset; the desk's log says why.",
            )
        }
        Err(_) => text(StatusCode::INTERNAL_SERVER_ERROR, "The handout could not be typeset."),
    };
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_leaving_the_site_are_refused() {
        assert_eq!(segments("/"), Some(vec!["index.html".to_string()]));
        assert_eq!(segments("/a/b.html"), Some(vec!["a".to_string(), "b.html".to_string()]));
        for bad in ["/../x", "/%2e%2e/x", "/a/..%2fb", "/a//b", "/.hidden", "/a%5cb", "/a%00", "/%zz", "/c:x"]
        {
            assert_eq!(segments(bad), None, "{bad}");
        }
    }

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

    #[test]
    fn tokens_compare_whole() {
        assert!(same(b"abc", b"abc"));
        assert!(!same(b"abc", b"abd"));
        assert!(!same(b"abc", b"ab"));
        assert_eq!(new_token().unwrap().len(), 64);
    }
}
