//! Live reload: the watcher of `handouts watch` rebuilds what changed, then every open
//! page reloads. Pages served here get `/_handouts/live.js`, which listens to
//! `/_events` (Server-Sent Events) through one SharedWorker per browser, so any number
//! of tabs share one connection and never use up the browser's six per host.

use std::convert::Infallible;

use axum::http::{HeaderValue, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use tokio::sync::broadcast;

use crate::build::ProjectPaths;

const LIVE_JS: &str = include_str!("live.js");
const LIVE_WORKER_JS: &str = include_str!("live-worker.js");
/// How long a burst of saves may last before the rebuild starts (`watch` waits 300 ms).
const SETTLE: std::time::Duration = std::time::Duration::from_millis(60);

/// Runs the watcher on its own thread: `rebuilt` is called once at once, then after
/// every burst of saves; it rebuilds, then tells the pages (see [`events`]).
pub fn spawn_watcher(paths: ProjectPaths, rebuilt: impl Fn() + Send + 'static) {
    std::thread::spawn(move || {
        if let Err(err) = crate::watch::watch_settling(&paths, SETTLE, rebuilt) {
            crate::build::log::error(&err.to_string());
        }
    });
}

/// The script a page loads (`/_handouts/…`), if `path` names one.
pub fn script(path: &str) -> Option<Response> {
    let text = match path {
        "/_handouts/live.js" => LIVE_JS,
        "/_handouts/live-worker.js" => LIVE_WORKER_JS,
        _ => return None,
    };
    Some(([(header::CONTENT_TYPE, "text/javascript; charset=utf-8")], text).into_response())
}

/// `/_events`: a `reload` event after every rebuild.
pub fn events(rebuilds: &broadcast::Sender<()>) -> Response {
    let receiver = rebuilds.subscribe();
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

/// The page with the live-reload script before `</body>`.
pub fn with_live_reload(html: &str) -> String {
    const SCRIPT: &str = "<script src=\"/_handouts/live.js\"></script>\n";
    match html.rfind("</body>") {
        Some(at) => format!("{}{SCRIPT}{}", &html[..at], &html[at..]),
        None => format!("{html}{SCRIPT}"),
    }
}
