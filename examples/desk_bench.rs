//! The handout desk's numbers (issue 16): personalised PDF latency over N requests with
//! two concurrent clients, the server's RSS before and after, and the time from saving
//! an article to the reload event reaching an open page. First (issue 26), a packet of
//! five handouts for one patient, typeset in this process as the desk does
//! (`serve::print::typeset_packet`): the median and slowest of `--packet-runs` (20).
//!
//! `cargo build --release && cargo run --release --example desk_bench -- [--requests 500]`
//! (`--packet-only` for the packet alone)
//!
//! It runs `handouts serve --port 0` (the binary beside this example) on a copy of the
//! repository's content/, templates/ and handouts.toml, and talks plain HTTP/1.1.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const PAGE: &str = "checking-your-feet-when-you-have-diabetes";

/// The same allocator as the `handouts` binary, so the packet's times compare.
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// The five handouts of the packet.
const PACKET: [&str; 5] = [
    "checking-your-feet-when-you-have-diabetes",
    "treatment-of-metastatic-kidney-cancer",
    "the-role-of-stem-cell-therapy-in-the-fight-against-cancer",
    "can-immunotherapy-cure-advanced-cancer",
    "is-there-a-cure-for-metastatic-cancer",
];

/// A packet of the five handouts for one patient, `runs` times with a new name each
/// time (after one to warm up, as the desk is warm from its build): the time until the
/// PDF is delivered, and until typst has forgotten the patient too.
fn packet_bench(dir: &Path, runs: usize) {
    use handouts::serve::print::{self, PacketItem, Request};
    let config_path = dir.join("handouts.toml");
    let config = handouts::config::ConfigFile::load(&config_path).unwrap().resolve(
        &config_path,
        dir.join("content"),
        dir.join("out"),
        None,
    );
    let batch = handouts::build::load_batch(&config, None).unwrap();
    let labels = handouts::labels::LabelTable::load(config.template_dir()).unwrap();
    let typesetter = handouts::typeset::Typesetter::new(&config).unwrap();
    let items: Vec<PacketItem> = PACKET
        .iter()
        .map(|id| PacketItem {
            article: batch.articles.iter().find(|a| a.id == *id).unwrap(),
            sections: None,
        })
        .collect();
    // The desk's build typeset every handout before the first print.
    for item in &items {
        typesetter.typeset_pdf(item.article, handouts::typeset::Variant::Regular).unwrap();
    }
    let (mut delivered, mut whole, mut pages) = (Vec::new(), Vec::new(), 0);
    for run in 0..=runs {
        let request = Request {
            personal: handouts::typeset::Personal {
                patient: format!("Patient {run}"),
                clinician: "Dr Ruiz".into(),
                note: format!("Walk every day, {run} minutes."),
                printed: time::Date::from_calendar_date(2026, time::Month::December, 7).ok(),
            },
            ..Request::default()
        };
        let started = Instant::now();
        let sides = handouts::typeset::PaperSides::Both;
        let (made, pdf) = print::typeset_packet(&typesetter, &labels, &items, &request, sides, |pdf| {
            (started.elapsed(), pdf.unwrap())
        });
        let all = started.elapsed();
        pages = pdf_pages(&pdf);
        if run > 0 {
            delivered.push(made);
            whole.push(all);
        }
    }
    delivered.sort();
    whole.sort();
    println!("packet of {} handouts for one patient ({pages} pages, two-sided), {runs} runs:", PACKET.len());
    println!(
        "  PDF delivered: median {:.1} ms, slowest {:.1} ms; with forgetting the patient: median {:.1} ms, slowest {:.1} ms",
        percentile(&delivered, 0.5),
        percentile(&delivered, 1.0),
        percentile(&whole, 0.5),
        percentile(&whole, 1.0)
    );
}

/// Pages in a PDF.
fn pdf_pages(pdf: &[u8]) -> usize {
    lopdf::Document::load_mem(pdf).map(|document| document.get_pages().len()).unwrap_or(0)
}

fn copy_dir(from: &Path, to: &Path) {
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

fn rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let line = status.lines().find(|l| l.starts_with("VmRSS:")).unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

fn print_once(addr: &str, i: usize) -> Duration {
    let body = format!(
        "patient=Patient+{i}&clinician=Dr+Ruiz&note=Walk+every+day%2C+{i}&choose=1&section=0&section=1&section=3"
    );
    let started = Instant::now();
    let mut stream = TcpStream::connect(addr).unwrap();
    write!(
        stream,
        "POST /print/{PAGE} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    let elapsed = started.elapsed();
    assert!(response.starts_with(b"HTTP/1.1 200"), "{}", String::from_utf8_lossy(&response[..200]));
    elapsed
}

/// `requests` personalised PDFs from `clients` clients at once, each waiting for its
/// answer before it asks again; the latency of each.
fn run_clients(addr: &str, clients: usize, requests: usize, first: usize) -> Vec<Duration> {
    let per_client = requests / clients;
    let clients: Vec<_> = (0..clients)
        .map(|c| {
            let addr = addr.to_string();
            std::thread::spawn(move || {
                (0..per_client).map(|i| print_once(&addr, first + c * per_client + i)).collect::<Vec<_>>()
            })
        })
        .collect();
    clients.into_iter().flat_map(|c| c.join().unwrap()).collect()
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index].as_secs_f64() * 1000.0
}

fn main() {
    let mut requests = 500;
    let mut clients = 2;
    let mut packet_runs = 20;
    let mut packet_only = false;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--requests" => requests = args.next().and_then(|n| n.parse().ok()).expect("--requests N"),
            "--clients" => clients = args.next().and_then(|n| n.parse().ok()).expect("--clients N"),
            "--packet-runs" => {
                packet_runs = args.next().and_then(|n| n.parse().ok()).expect("--packet-runs N")
            }
            "--packet-only" => packet_only = true,
            other => panic!(
                "unknown argument {other}; use --requests N, --clients N, --packet-runs N, --packet-only"
            ),
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    for folder in ["content", "templates"] {
        copy_dir(&root.join(folder), &dir.path().join(folder));
    }
    std::fs::copy(root.join("handouts.toml"), dir.path().join("handouts.toml")).unwrap();
    packet_bench(dir.path(), packet_runs);
    if packet_only {
        return;
    }
    let exe = std::env::current_exe().unwrap();
    let binary = exe.parent().unwrap().parent().unwrap().join("handouts");
    let mut child = Command::new(&binary)
        .args(["serve", "--port", "0"])
        .current_dir(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("{}: {e} (cargo build --release first)", binary.display()));
    let mut url = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut url).unwrap();
    let addr = url.trim().trim_start_matches("http://").trim_end_matches('/').to_string();
    let pid = child.id();

    // Warm up as the run goes on: the same clients at once, so the allocator's
    // per-thread caches exist before the first RSS reading.
    run_clients(&addr, clients, 40, 0);
    let rss_before = rss_kib(pid);
    let started = Instant::now();
    let mut times = run_clients(&addr, clients, requests, 1_000);
    let wall = started.elapsed();
    let rss_after = rss_kib(pid);
    // As many again: memory that keeps growing would show here.
    run_clients(&addr, clients, requests, 1_000 + requests);
    let rss_after_twice = rss_kib(pid);
    times.sort();
    println!(
        "personalised PDF, {} requests, {clients} concurrent clients, {:.1} s:",
        times.len(),
        wall.as_secs_f64()
    );
    println!(
        "  p50 {:.1} ms, p95 {:.1} ms, max {:.1} ms",
        percentile(&times, 0.5),
        percentile(&times, 0.95),
        percentile(&times, 1.0)
    );
    println!(
        "  RSS before {:.1} MiB, after {:.1} MiB, growth {:.1} MiB; after as many again {:.1} MiB",
        rss_before as f64 / 1024.0,
        rss_after as f64 / 1024.0,
        (rss_after as f64 - rss_before as f64) / 1024.0,
        rss_after_twice as f64 / 1024.0
    );

    // Save → reload, five saves.
    let article = dir.path().join("content/diabetes-foot-check.md");
    let original = std::fs::read_to_string(&article).unwrap();
    let mut reloads = Vec::new();
    for round in 0..5 {
        let mut stream = TcpStream::connect(&addr).unwrap();
        stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        write!(stream, "GET /_events HTTP/1.1\r\nHost: {addr}\r\n\r\n").unwrap();
        let mut events = BufReader::new(stream);
        let mut line = String::new();
        events.read_line(&mut line).unwrap();
        std::thread::sleep(Duration::from_millis(500));
        let saved = Instant::now();
        std::fs::write(&article, original.replace("Pick a time", &format!("Pick a moment {round}"))).unwrap();
        loop {
            line.clear();
            assert!(events.read_line(&mut line).unwrap() > 0);
            if line.trim() == "event: reload" {
                break;
            }
        }
        reloads.push(saved.elapsed());
    }
    reloads.sort();
    println!(
        "save -> reload event: median {:.0} ms, max {:.0} ms (5 saves)",
        percentile(&reloads, 0.5),
        percentile(&reloads, 1.0)
    );
    let _ = child.kill();
    let _ = child.wait();
}
