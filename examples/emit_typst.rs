//! Writes one typst project per article, for compiling with the typst CLI
//! (bench/run.sh compares that with `handouts build`):
//!
//! ```sh
//! cargo run --release --example emit_typst -- --content DIR --out DIR [--config FILE] [--large-print]
//! ```
//!
//! OUT/fonts/ holds the fonts (`typst compile --font-path OUT/fonts --ignore-system-fonts`),
//! OUT/projects/<id>/ one project per article; OUT/list.txt lists the project folders,
//! one a line, and OUT/main.txt names the main file inside each (e.g. `handout.typ`).

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use handouts::config::ConfigFile;
use handouts::typeset::{Typesetter, Variant, emit_fonts};
use handouts::{analyze, build, ingest};

struct Args {
    content: PathBuf,
    out: PathBuf,
    config: PathBuf,
    variant: Variant,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        content: "content".into(),
        out: "out-typst".into(),
        config: "handouts.toml".into(),
        variant: Variant::Regular,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = || it.next().ok_or_else(|| format!("{arg} needs a value"));
        match arg.as_str() {
            "--content" => args.content = value()?.into(),
            "--out" => args.out = value()?.into(),
            "--config" => args.config = value()?.into(),
            "--large-print" => args.variant = Variant::LargePrint,
            _ => return Err(format!("unknown argument {arg}")),
        }
    }
    Ok(args)
}

fn run() -> Result<usize, Box<dyn std::error::Error>> {
    let args = parse_args()?;
    let config =
        ConfigFile::load(&args.config)?.resolve(&args.config, args.content.clone(), args.out.clone(), None);
    let typesetter = Typesetter::new(&config)?;
    let words = build::plain_language(&config)?;
    let mut articles = Vec::new();
    for path in ingest::discover(&args.content)? {
        match ingest::ingest_file(&path) {
            Ok(article) => articles.push(article),
            Err(err) => eprintln!("error: {err}"),
        }
    }
    ingest::assign_unique_ids(&mut articles, |_| None);
    for article in &mut articles {
        analyze::analyze(article, &words);
    }
    emit_fonts(&args.out.join("fonts"))?;
    let mut list = std::io::BufWriter::new(std::fs::File::create(args.out.join("list.txt"))?);
    let mut main_name = String::new();
    for article in &articles {
        let dir = args.out.join("projects").join(format!("{}{}", article.id, args.variant.suffix()));
        let main = typesetter.emit_project(article, args.variant, &dir)?;
        main_name = main.strip_prefix(&dir).unwrap_or(&main).display().to_string();
        writeln!(list, "{}", dir.display())?;
    }
    list.flush()?;
    std::fs::write(args.out.join("main.txt"), format!("{main_name}\n"))?;
    Ok(articles.len())
}

fn main() -> ExitCode {
    match run() {
        Ok(n) => {
            eprintln!("{n} typst projects");
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::from(2)
        }
    }
}
