//! The desk (`handouts serve`) as a process, and a plain HTTP/1.1 client over real
//! sockets: shared by tests/serve.rs and tests/serve_load.rs.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// A copy of the repository's handouts folder, a private temp folder for the server,
/// and the running server.
pub struct Desk {
    pub dir: tempfile::TempDir,
    pub tmp: PathBuf,
    pub log: PathBuf,
    pub child: Child,
    /// `host:port`.
    pub addr: String,
    /// The printed address (with `?token=` under `--listen`).
    pub url: String,
}

impl Drop for Desk {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

pub fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for folder in ["content", "templates"] {
        copy_dir(&super::root().join(folder), &dir.path().join(folder));
    }
    std::fs::copy(super::root().join("handouts.toml"), dir.path().join("handouts.toml")).unwrap();
    dir
}

pub fn start(extra: &[&str]) -> Desk {
    start_in(project(), extra)
}

/// Starts the desk in `dir`, a project the test may have changed.
pub fn start_in(dir: tempfile::TempDir, extra: &[&str]) -> Desk {
    start_with(dir, extra, &[])
}

/// [`start_in`], with `env` set for the desk (its limits, `HANDOUTS_DESK_*`).
pub fn start_with(dir: tempfile::TempDir, extra: &[&str], env: &[(&str, &str)]) -> Desk {
    let tmp = dir.path().join("tmp");
    std::fs::create_dir(&tmp).unwrap();
    let log = dir.path().join("serve.log");
    let mut child = Command::new(env!("CARGO_BIN_EXE_handouts"))
        .arg("serve")
        .args(extra)
        .arg("--verbose")
        .current_dir(dir.path())
        .env("TMPDIR", &tmp)
        .envs(env.iter().copied())
        .stdout(Stdio::piped())
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let url = line.trim().to_string();
    assert!(
        url.starts_with("http://"),
        "serve printed {url:?}; log:\n{}",
        std::fs::read_to_string(&log).unwrap()
    );
    let addr = url.trim_start_matches("http://").split('/').next().unwrap().to_string();
    Desk { dir, tmp, log, child, addr, url }
}

pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// One request on its own connection; `headers` are extra header lines.
pub fn request(addr: &str, method: &str, path: &str, headers: &[&str], body: &[u8]) -> Response {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    let mut head = format!("{method} {path} HTTP/1.1\r\nConnection: close\r\n");
    if !headers.iter().any(|h| h.to_ascii_lowercase().starts_with("host:")) {
        head.push_str(&format!("Host: {addr}\r\n"));
    }
    for header in headers {
        head.push_str(&format!("{header}\r\n"));
    }
    if !body.is_empty() || method == "POST" {
        head.push_str(&format!(
            "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n",
            body.len()
        ));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all(body).unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").expect("a complete response");
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.lines();
    let status = lines.next().unwrap().split(' ').nth(1).unwrap().parse().unwrap();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        .collect();
    let mut body = raw[split + 4..].to_vec();
    if headers.iter().any(|(n, v)| n.eq_ignore_ascii_case("transfer-encoding") && v == "chunked") {
        body = dechunk(&body);
    }
    Response { status, headers, body }
}

pub fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let end = data.windows(2).position(|w| w == b"\r\n").unwrap();
        let size = usize::from_str_radix(std::str::from_utf8(&data[..end]).unwrap().trim(), 16).unwrap();
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&data[end + 2..end + 2 + size]);
        data = &data[end + 2 + size + 2..];
    }
}

pub fn get(desk: &Desk, path: &str) -> Response {
    request(&desk.addr, "GET", path, &[], b"")
}

pub fn form(fields: &[(&str, &str)]) -> Vec<u8> {
    let mut out = String::new();
    for (i, (k, v)) in fields.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.push_str(k);
        out.push('=');
        for b in v.bytes() {
            match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => out.push(b as char),
                b' ' => out.push('+'),
                _ => out.push_str(&format!("%{b:02X}")),
            }
        }
    }
    out.into_bytes()
}
