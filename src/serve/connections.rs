//! The desk's accept loop: hyper's HTTP/1.1 with a deadline for a request's headers and
//! a cap on open connections. `axum::serve` sets neither, so a few hundred sockets that
//! send nothing (or half a request) used to hold the desk shut for everyone.
//!
//! - **Headers:** a connection must send a whole request head within the timeout,
//!   counted from when it opens or from its last answer. hyper's `header_read_timeout`
//!   runs whenever a connection waits for a request line, so the same deadline closes
//!   silent sockets, half-sent heads and idle keep-alive connections. A connection in
//!   the middle of an answer (a PDF, the live-reload stream) is never cut by it.
//! - **Cap:** at most `max` connections are open; beyond it the desk stops accepting, and
//!   the kernel queues newcomers until a slot frees (at the latest when the deadline
//!   closes a silent one), so a flood delays the staff's pages instead of locking them out.

use std::sync::Arc;
use std::time::Duration;

use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

/// Serves `app` on `listener` for ever.
pub async fn serve(listener: TcpListener, app: axum::Router, header_timeout: Duration, max: usize) {
    let slots = Arc::new(Semaphore::new(max.max(1)));
    loop {
        // Never closed, so never an error.
        let Ok(slot) = slots.clone().acquire_owned().await else { return };
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(err) => {
                // Out of file descriptors, or a connection reset before it was accepted:
                // neither ends the desk. A short pause lets descriptors free up.
                if !matches!(
                    err.kind(),
                    std::io::ErrorKind::ConnectionAborted | std::io::ErrorKind::ConnectionReset
                ) {
                    crate::build::log::note(&format!("a connection could not be accepted: {err}"));
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                continue;
            }
        };
        let service = TowerToHyperService::new(app.clone());
        tokio::spawn(async move {
            let connection = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(header_timeout)
                .serve_connection(TokioIo::new(stream), service);
            // A client that went away or timed out is no error of the desk's.
            let _ = connection.await;
            drop(slot);
        });
    }
}
