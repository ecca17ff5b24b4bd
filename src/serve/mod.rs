//! `handouts serve`: the handout desk. A local web server (axum on tokio) that serves
//! the site in `out/site/`, rebuilds what changed when an article, the config or a
//! template is saved, reloads open pages, and prints a handout for one patient.
//!
//! The rooms, each knowing only the ones after it in this list:
//! - here: the options, the runtime, the headers every answer gets, and the routing table;
//! - [`gate`]: `Host`, the access token, a form's `Origin`;
//! - [`desk`]: a handout's page with the print form, and the print route ([`print`]);
//! - [`files`]: the built site's files;
//! - [`live`]: the watcher and live reload;
//! - [`connections`]: the accept loop, with its deadline and cap ([`Limits`]);
//! - [`queue`]: how many personal copies are typeset at once;
//! - [`reply`]: the short answers they all give.
//!
//! Logs (`--verbose`) hold method, path, status and time: never a query, a header or
//! a body.

mod connections;
mod desk;
mod files;
mod gate;
mod infobutton;
mod live;
mod packet;
pub mod print;
mod queue;
mod reply;

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::Response;
use tokio::sync::broadcast;

pub use gate::{MIN_TOKEN_CHARS, given_token};

use crate::build::ProjectPaths;
use crate::error::{Error, Result};
use desk::Desk;

const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
                   img-src 'self' data:; font-src 'self'; connect-src 'self'; worker-src 'self'; \
                   object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// What `serve` needs from the command line.
pub struct Options {
    pub paths: ProjectPaths,
    /// 127.0.0.1 and this port, unless `listen` is set; 0 picks a free port.
    pub port: u16,
    /// Listen here (a clinic network) and require a token.
    pub listen: Option<SocketAddr>,
    /// The access token, when the operator gives one (`HANDOUTS_TOKEN` or
    /// `--token-file`): it stays the same across restarts and is never printed.
    pub token: Option<String>,
    pub verbose: bool,
    pub limits: Limits,
}

/// What the desk allows under load. The defaults suit a clinic; the environment changes
/// them (docs/serve.md), and the tests make them short.
#[derive(Debug, Clone, PartialEq)]
pub struct Limits {
    /// For a request's head (from the connection's start or its last answer, so an idle
    /// connection is closed too) and, again, for a form's body. `HANDOUTS_DESK_TIMEOUT`,
    /// in seconds.
    pub timeout: Duration,
    /// Connections open at once. `HANDOUTS_DESK_CONNECTIONS`.
    pub connections: usize,
    /// Personal copies typeset at once; four times as many may wait up to `timeout`.
    /// `HANDOUTS_DESK_PRINTS`.
    pub prints: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            timeout: Duration::from_secs(10),
            // Well under the usual 1024 open files, with room for the site's files and fonts.
            connections: 256,
            prints: std::thread::available_parallelism().map_or(2, usize::from),
        }
    }
}

impl Limits {
    /// The defaults, with what `HANDOUTS_DESK_*` variables set.
    pub fn from_env() -> Result<Limits> {
        Limits::from_vars(|name| std::env::var(name).ok())
    }

    fn from_vars(var: impl Fn(&str) -> Option<String>) -> Result<Limits> {
        let mut limits = Limits::default();
        if let Some(value) = var("HANDOUTS_DESK_TIMEOUT") {
            limits.timeout = value
                .trim()
                .parse::<f64>()
                .ok()
                .filter(|seconds| *seconds > 0.0 && *seconds <= 3600.0)
                .map(Duration::from_secs_f64)
                .ok_or_else(|| {
                    Error::usage(format!(
                        "HANDOUTS_DESK_TIMEOUT: `{value}` is not a number of seconds from 0 to 3600 (e.g. 10 or 2.5)"
                    ))
                })?;
        }
        for (name, field) in [
            ("HANDOUTS_DESK_CONNECTIONS", &mut limits.connections),
            ("HANDOUTS_DESK_PRINTS", &mut limits.prints),
        ] {
            if let Some(value) = var(name) {
                *field = value.trim().parse::<usize>().ok().filter(|n| *n > 0).ok_or_else(|| {
                    Error::usage(format!("{name}: `{value}` is not a whole number above 0"))
                })?;
            }
        }
        Ok(limits)
    }
}

struct Server {
    /// Replaced by the watcher after every rebuild, before pages are told to reload;
    /// `Some` from the first build on.
    desk: Arc<RwLock<Option<Arc<Desk>>>>,
    rebuilds: broadcast::Sender<()>,
    gate: gate::Gate,
    prints: queue::PrintQueue,
    limits: Limits,
    out: PathBuf,
    verbose: bool,
}

impl Server {
    fn desk(&self) -> Arc<Desk> {
        let desk = self.desk.read().unwrap_or_else(|p| p.into_inner()).clone();
        desk.expect("the desk is loaded before the server starts")
    }
}

/// Builds, then serves until interrupted. `rebuild` runs the normal build (it prints
/// its own summary); it is called once before the server answers and after every
/// burst of saves.
pub fn serve(options: Options, rebuild: impl Fn() + Send + 'static) -> Result<()> {
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
    let (rebuilds, _) = broadcast::channel(16);
    let (first_build, built) = std::sync::mpsc::channel::<()>();
    let first_build = Mutex::new(Some(first_build));
    let options = Arc::new(options);
    let desk = Arc::new(RwLock::new(None::<Arc<Desk>>));
    let load = {
        let options = options.clone();
        move || Desk::load(&options.paths)
    };
    {
        let rebuilds = rebuilds.clone();
        let desk = desk.clone();
        let load = load.clone();
        live::spawn_watcher(options.paths.clone(), move || {
            rebuild();
            match load() {
                Ok(new) => *desk.write().unwrap_or_else(|p| p.into_inner()) = Some(Arc::new(new)),
                // The last good desk stays; the build printed what is wrong.
                Err(err) => crate::build::log::error(&err.to_string()),
            }
            if let Some(sender) = first_build.lock().unwrap_or_else(|p| p.into_inner()).take() {
                let _ = sender.send(());
            }
            let _ = rebuilds.send(());
        });
    }
    let _ = built.recv();
    if desk.read().unwrap_or_else(|p| p.into_inner()).is_none() {
        return Err(load().err().unwrap_or_else(|| Error::usage("the first build failed")));
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
            (None, Some(_)) => Some(gate::new_token()?),
            (None, None) => None,
        };
        let server = Arc::new(Server {
            desk,
            rebuilds,
            gate: gate::Gate::new(bound, options.listen.is_some(), token.clone()),
            prints: queue::PrintQueue::new(options.limits.prints, options.limits.timeout),
            limits: options.limits.clone(),
            out: options.paths.out.clone(),
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
        let limits = options.limits.clone();
        let app = axum::Router::new().fallback(handle).with_state(server);
        tokio::select! {
            _ = connections::serve(listener, app, limits.timeout, limits.connections) => Ok(()),
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

/// Every answer: the route's, with the headers every answer gets, logged.
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
        crate::build::log::line(&format!(
            "{method} {path} {} {:.1} ms",
            response.status().as_u16(),
            started.elapsed().as_secs_f64() * 1000.0
        ));
    }
    response
}

/// The routing table: the gate first, then one line per route.
async fn route(server: &Arc<Server>, request: Request) -> Response {
    if let Some(refused) = server.gate.refuse_host(request.headers()) {
        return refused;
    }
    // For a container's or systemd's health check, which has no token: it says the desk
    // answers and nothing else.
    if request.method() == Method::GET && request.uri().path() == "/healthz" {
        return reply::text(StatusCode::OK, "ok");
    }
    if let Some(refused) = server.gate.refuse_token(request.uri(), request.headers()) {
        return refused;
    }
    let method = request.method().clone();
    let path = request.uri().path().to_string();
    if method == Method::POST {
        let packet = path == "/packet";
        let Some(id) = path.strip_prefix("/print/").or(packet.then_some("")) else {
            return reply::not_allowed();
        };
        if let Some(origin) = request.headers().get(header::ORIGIN).and_then(|o| o.to_str().ok())
            && !server.gate.origin_allowed(origin, request.headers())
        {
            return reply::text(StatusCode::FORBIDDEN, "A form from another site cannot print here.");
        }
        let body = request.into_body();
        if packet {
            return packet::print_packet(
                server.desk(),
                &server.out,
                body,
                &server.prints,
                server.limits.timeout,
            )
            .await;
        }
        return desk::print(server.desk(), &server.out, id, body, &server.prints, server.limits.timeout)
            .await;
    }
    if method != Method::GET && method != Method::HEAD {
        return reply::not_allowed();
    }
    // HEAD gets GET's answer: axum keeps its headers, `content-length` too, and drops
    // the body.
    match path.as_str() {
        "/_events" => live::events(&server.rebuilds),
        "/infobutton" => infobutton::respond(server, request.headers(), request.uri().query().unwrap_or("")),
        _ if path.starts_with("/_handouts/") => live::script(&path).unwrap_or_else(files::not_found),
        _ if path.starts_with("/print/") => desk::form_redirect(&path["/print/".len()..]),
        "/" | "/index.html" => match desk::catalogue(&server.desk()) {
            Some(html) => reply::html(StatusCode::OK, html),
            None => site_file(server, &path),
        },
        _ if let Some(number) = path.strip_prefix('/').and_then(crate::site::pages::page_number) => {
            match desk::catalogue_page(&server.desk(), number) {
                Some(html) => reply::html(StatusCode::OK, html),
                None => site_file(server, &path),
            }
        }
        _ => site_file(server, &path),
    }
}

/// A file of the site, or, for a handout's page, the page with the print form.
fn site_file(server: &Server, path: &str) -> Response {
    let Some(file) = files::SiteFile::find(&server.out, path) else { return files::not_found() };
    match file.handout_id().and_then(|id| desk::page(&server.desk(), &server.out, id, None)) {
        Some(html) => reply::html(StatusCode::OK, html),
        None => file.response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_come_from_the_environment_and_bad_values_are_refused() {
        let vars = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| pairs.iter().find(|(n, _)| *n == name).map(|(_, v)| v.to_string())
        };
        assert_eq!(Limits::from_vars(vars(&[])).unwrap(), Limits::default());
        let limits = Limits::from_vars(vars(&[
            ("HANDOUTS_DESK_TIMEOUT", "0.5"),
            ("HANDOUTS_DESK_CONNECTIONS", "16"),
            ("HANDOUTS_DESK_PRINTS", " 1 "),
        ]))
        .unwrap();
        assert_eq!(limits, Limits { timeout: Duration::from_millis(500), connections: 16, prints: 1 });
        for (name, value) in [
            ("HANDOUTS_DESK_TIMEOUT", "0"),
            ("HANDOUTS_DESK_TIMEOUT", "ten"),
            ("HANDOUTS_DESK_CONNECTIONS", "0"),
            ("HANDOUTS_DESK_PRINTS", "-1"),
        ] {
            let err = Limits::from_vars(|n: &str| (n == name).then(|| value.to_string())).unwrap_err();
            assert!(err.to_string().starts_with(name), "{err}");
        }
    }
}
