//! The desk under load, over real sockets against the real server: connections that
//! send nothing or half a request are closed and do not lock the staff out; a flood of
//! prints gets copies or `503` with `Retry-After`, never a crash. The limits are made
//! small and short through `HANDOUTS_DESK_*`, so nothing here waits for minutes.

mod common;

use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::sync::{Arc, Barrier};
use std::time::Duration;

use common::desk::{Desk, form, get, project, request, start_with};

const PAGE: &str = "checking-your-feet-when-you-have-diabetes";

/// Reads until the desk closes the connection; what it sent before closing.
fn read_until_closed(stream: &mut TcpStream) -> Vec<u8> {
    stream.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    let mut got = Vec::new();
    let mut buffer = [0u8; 4096];
    loop {
        match stream.read(&mut buffer) {
            Ok(0) => return got,
            Ok(n) => got.extend_from_slice(&buffer[..n]),
            // A reset is a close too.
            Err(e) if e.kind() == ErrorKind::ConnectionReset => return got,
            Err(e) => panic!("the desk kept the connection open ({e}); it sent {got:?}"),
        }
    }
}

fn connect(desk: &Desk) -> TcpStream {
    TcpStream::connect(&desk.addr).unwrap()
}

#[test]
fn silent_and_half_sent_connections_are_closed_and_the_desk_still_answers() {
    // A one-second deadline and room for 32 connections: 200 silent sockets are more
    // than six times the cap.
    let limits = [("HANDOUTS_DESK_TIMEOUT", "1"), ("HANDOUTS_DESK_CONNECTIONS", "32")];
    let desk = start_with(project(), &["--listen", "127.0.0.1:0"], &limits);
    let token = desk.url.split("?token=").nth(1).expect("the address has the token").to_string();
    let cookie = format!("Cookie: handouts_token={token}");

    let mut silent: Vec<TcpStream> = (0..200).map(|_| connect(&desk)).collect();
    let mut half_heads: Vec<TcpStream> = (0..10)
        .map(|_| {
            let mut stream = connect(&desk);
            write!(stream, "GET / HTTP/1.1\r\nHost: {}\r\n", desk.addr).unwrap();
            stream
        })
        .collect();
    // A form that says 100 bytes and sends 9, from someone with the token.
    let mut half_body = connect(&desk);
    write!(
        half_body,
        "POST /print/{PAGE} HTTP/1.1\r\nHost: {}\r\n{cookie}\r\nContent-Type: application/x-www-form-urlencoded\r\n\
         Content-Length: 100\r\n\r\npatient=A",
        desk.addr
    )
    .unwrap();

    // The staff's requests are answered all the same: the desk closes the silent
    // connections as their deadline passes and takes the next ones.
    let health = request(&desk.addr, "GET", "/healthz", &[], b"");
    assert_eq!((health.status, health.text().trim()), (200, "ok"));
    let page = request(&desk.addr, "GET", "/", &[&cookie], b"");
    assert_eq!(page.status, 200);

    // Every one of them was closed by the desk.
    for stream in silent.iter_mut().chain(half_heads.iter_mut()) {
        read_until_closed(stream);
    }
    let answer = String::from_utf8_lossy(&read_until_closed(&mut half_body)).into_owned();
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");

    // A kept-alive connection that goes quiet after its answer is closed too.
    let mut idle = connect(&desk);
    write!(idle, "GET /healthz HTTP/1.1\r\nHost: {}\r\n\r\n", desk.addr).unwrap();
    let answer = String::from_utf8_lossy(&read_until_closed(&mut idle)).into_owned();
    assert!(answer.starts_with("HTTP/1.1 200") && answer.ends_with("ok\n"), "{answer}");

    assert!(get(&desk, "/healthz").status == 200);
    let log = std::fs::read_to_string(&desk.log).unwrap();
    assert!(!log.contains("panicked"), "{log}");
}

#[test]
fn a_flood_of_prints_gets_copies_or_503_with_retry_after() {
    // One copy at a time, four waiting at most two seconds: 40 at once must overflow.
    let limits = [("HANDOUTS_DESK_PRINTS", "1"), ("HANDOUTS_DESK_TIMEOUT", "2")];
    let mut desk = start_with(project(), &["--port", "0"], &limits);
    let clients = 40;
    let start = Arc::new(Barrier::new(clients));
    let answers: Vec<_> = (0..clients)
        .map(|i| {
            let (addr, start) = (desk.addr.clone(), start.clone());
            std::thread::spawn(move || {
                let body = form(&[("patient", &format!("Flood Patient {i}"))]);
                start.wait();
                request(&addr, "POST", &format!("/print/{PAGE}"), &[], &body)
            })
        })
        .collect();
    let answers: Vec<_> = answers.into_iter().map(|t| t.join().unwrap()).collect();

    let mut made = 0;
    let mut turned_away = 0;
    for answer in &answers {
        match answer.status {
            200 => {
                assert!(answer.body.starts_with(b"%PDF-"), "a copy is a PDF");
                assert_eq!(answer.header("cache-control"), Some("no-store"));
                made += 1;
            }
            503 => {
                let retry = answer.header("retry-after").expect("a 503 says when to retry");
                assert!(retry.parse::<u32>().is_ok_and(|s| s > 0), "{retry}");
                assert_eq!(answer.header("cache-control"), Some("no-store"));
                assert!(answer.text().contains("try again"), "{}", answer.text());
                turned_away += 1;
            }
            other => panic!("a print answered {other}: {}", answer.text()),
        }
    }
    assert!(made >= 1, "at least the first copy is made");
    assert!(turned_away >= 1, "40 at once overflow one slot and four waiting");

    // The desk is still there, prints again, and logged no name.
    assert_eq!(desk.child.try_wait().unwrap(), None, "the desk is running");
    let again = request(&desk.addr, "POST", &format!("/print/{PAGE}"), &[], &form(&[("patient", "A")]));
    assert_eq!(again.status, 200, "{}", again.text());
    let log = std::fs::read_to_string(&desk.log).unwrap();
    assert!(log.contains(&format!("POST /print/{PAGE} 503")), "{log}");
    assert!(!log.contains("Flood Patient") && !log.contains("panicked"), "{log}");
}
