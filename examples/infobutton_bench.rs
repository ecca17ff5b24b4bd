//! How fast the desk answers an EHR's infobutton (issue 29; target: p95 under 5 ms):
//! a generated library of 10,000 coded handouts (a fifth with a Spanish translation),
//! then thousands of requests as EHRs send them — ICD-10-CM codes more specific than
//! the handouts' (so parents are looked up), SNOMED CT, RxNorm and LOINC codes, several
//! criteria at once, English and Spanish, Atom and JSON, some matching nothing — each
//! answered whole: the query parsed, the handouts found, the feed written.
//!
//! `cargo run --release --example infobutton_bench [-- HANDOUTS [REQUESTS]]`

use std::time::{Duration, Instant};

use handouts::codes::{self, Code, CodeSystem};
use handouts::infobutton::{Handout, Library, answer, feed};

/// A small deterministic generator (xorshift), so every run measures the same data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// A valid code of `system`: the check digit found by trying each.
fn code(rng: &mut Rng, system: CodeSystem) -> Code {
    loop {
        let value = match system {
            CodeSystem::Icd10Cm => {
                let letter = char::from(b'A' + rng.below(26) as u8);
                format!("{letter}{:02}", rng.below(100))
            }
            CodeSystem::Snomed => format!("{}{}", 100_000 + rng.below(900_000), rng.below(10)),
            CodeSystem::RxNorm => (1 + rng.below(2_000_000)).to_string(),
            CodeSystem::Loinc => format!("{}-{}", 1 + rng.below(99_999), rng.below(10)),
        };
        if let Ok(code) = codes::code(system, &value) {
            return code;
        }
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let count: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(10_000);
    let requests: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(20_000);
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    // Codes are shared: many handouts on one diagnosis, as a clinic's library has.
    let pools: Vec<(CodeSystem, Vec<Code>)> = CodeSystem::ALL
        .into_iter()
        .map(|system| (system, (0..count / 4).map(|_| code(&mut rng, system)).collect()))
        .collect();
    let mut handouts = Vec::with_capacity(count + count / 5);
    for n in 0..count {
        let codes: Vec<Code> = (0..1 + rng.below(4))
            .map(|_| {
                let (_, pool) = &pools[rng.below(pools.len())];
                pool[rng.below(pool.len())].clone()
            })
            .collect();
        let id = format!("handout-{n:05}");
        let handout = Handout {
            id: id.clone(),
            title: format!("Living with condition number {n} and its treatment"),
            summary: Some("Take your medicines, move every day, and call us when something changes.".into()),
            lang: "en".into(),
            translation_key: id.clone(),
            codes,
            reviewed: Some("2026-09-14".into()),
        };
        if n % 5 == 0 {
            handouts.push(Handout {
                id: format!("{id}-es"),
                title: format!("Vivir con la afección número {n}"),
                lang: "es".into(),
                ..handout.clone()
            });
        }
        handouts.push(handout);
    }
    let built = Instant::now();
    let library = Library::new(handouts);
    let build_time = built.elapsed();

    let queries: Vec<String> = (0..requests)
        .map(|_| {
            let mut query = form_urlencoded::Serializer::new(String::new());
            for index in 0..1 + rng.below(3) {
                let suffix = if index == 0 { String::new() } else { index.to_string() };
                let (system, pool) = &pools[rng.below(pools.len())];
                let value = match system {
                    // More specific than the handouts' codes: the parents are looked up.
                    CodeSystem::Icd10Cm => {
                        format!("{}.{}{}", pool[rng.below(pool.len())].value, rng.below(10), rng.below(10))
                    }
                    // One in four asks for a code no handout has.
                    _ if rng.below(4) == 0 => code(&mut rng, *system).value,
                    _ => pool[rng.below(pool.len())].value.clone(),
                };
                query.append_pair(&format!("mainSearchCriteria.v.c{suffix}"), &value);
                query.append_pair(&format!("mainSearchCriteria.v.cs{suffix}"), system.oid());
                query.append_pair(
                    &format!("mainSearchCriteria.v.dn{suffix}"),
                    "Condition as the EHR names it",
                );
            }
            if rng.below(3) == 0 {
                query.append_pair("informationRecipient.languageCode.c", "es");
            }
            if rng.below(2) == 0 {
                query.append_pair("knowledgeResponseType", "application/json");
            }
            query.finish()
        })
        .collect();

    let site = feed::Site {
        base: "http://desk.example:8000/".into(),
        large_print: true,
        publisher: "Riverside Cancer Center".into(),
        updated: "2026-12-07T10:00:00Z".into(),
    };
    let labels = handouts::labels::LabelTable::builtin();
    let mut times: Vec<Duration> = Vec::with_capacity(queries.len());
    let (mut entries, mut bytes, mut empty) = (0usize, 0usize, 0usize);
    for query in &queries {
        let started = Instant::now();
        let answer = answer(&library, query, &site, &labels);
        times.push(started.elapsed());
        assert_eq!(answer.status, 200, "{query}: {}", answer.body);
        let found = answer.body.matches("<entry").count() + answer.body.matches("\"id\": \"handout-").count();
        entries += found;
        empty += usize::from(found == 0);
        bytes += answer.body.len();
    }
    times.sort();
    let at = |q: f64| times[((times.len() as f64 * q) as usize).min(times.len() - 1)];
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "library: {} handouts ({count} coded, the rest Spanish translations), {} distinct codes, indexed in {:.1} ms",
        library.len(),
        library.code_list().0.len(),
        ms(build_time)
    );
    println!(
        "{} requests: {:.1} handouts per answer on average, {empty} empty, {:.1} KB per answer",
        times.len(),
        entries as f64 / times.len() as f64,
        bytes as f64 / times.len() as f64 / 1024.0
    );
    println!(
        "per request: p50 {:.3} ms, p95 {:.3} ms, p99 {:.3} ms, max {:.3} ms (target: p95 < 5 ms)",
        ms(at(0.50)),
        ms(at(0.95)),
        ms(at(0.99)),
        ms(*times.last().unwrap_or(&Duration::ZERO))
    );
}
