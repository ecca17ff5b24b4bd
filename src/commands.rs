//! The commands behind [`crate::run`]: each resolves the config, calls the stages and
//! prints what a person needs; the stages themselves print nothing but progress.

use crate::build::{self, BuildOptions, load_batch, load_named_config, summary_table};
use crate::cli::{self, Cli, Command};
use crate::error::{self, Failure, Kind, Result};
use crate::model::{ReadingLevel, Stats};
use crate::typeset::Typesetter;
use crate::{Outcome, infobutton, output, scaffold, serve, watch};

/// The grade table's hint when every warning was already printed above it.
const WARNINGS_LISTED_ABOVE: &str = "listed above, each with its line.";

pub fn run(cli: Cli) -> Result<Outcome> {
    match cli.command {
        Command::Build(args) => build_command(&args),
        Command::Merge(args) => merge_command(&args),
        Command::Watch(args) => {
            // Held while watching, so no other run writes the folder between rebuilds.
            let _lock = build::lock_out(&args.paths.out)?;
            watch::watch(&args.paths.project(), || {
                // A broken config or template is what watch is for: keep watching.
                if let Err(err) = build_command(&args) {
                    build::log::error(&err.to_string());
                }
            })?;
            Ok(Outcome::Success)
        }
        Command::Add(args) => add_command(&args),
        Command::Serve(args) => {
            let build_args = cli::BuildArgs {
                files: Vec::new(),
                paths: args.paths.clone(),
                only: Vec::new(),
                force: false,
                jobs: args.jobs,
                paper: None,
                large_print: false,
                no_large_print: false,
                no_epub: false,
                drafts: false,
                shard: None,
                max_removals: build::DEFAULT_MAX_REMOVALS,
                max_warnings: None,
                quiet: false,
                verbose: false,
                table: false,
                no_table: false,
                log_format: cli::LogFormat::Human,
            };
            let options = serve::Options {
                paths: args.paths.project(),
                port: args.port,
                listen: args.listen,
                token: serve::given_token(args.token_file.as_deref())?,
                verbose: args.verbose,
                limits: serve::Limits::from_env()?,
            };
            // Held while serving: a cron build into the folder the desk serves would
            // mix another config's handouts into it.
            let _lock = build::lock_out(&args.paths.out)?;
            serve::serve(options, move || {
                if let Err(err) = build_command(&build_args) {
                    build::log::error(&err.to_string());
                }
            })?;
            Ok(Outcome::Success)
        }
        Command::Print(args) => print_command(&args),
        Command::Find(args) => find_command(&args),
        Command::Codes(args) => codes_command(&args),
        Command::Sections(args) => sections_command(&args),
        Command::Init(args) => {
            scaffold::init(&args.dir, args.name.as_deref())?;
            Ok(Outcome::Success)
        }
        Command::Completions(args) => {
            use clap::CommandFactory;
            clap_complete::generate(args.shell, &mut Cli::command(), "handouts", &mut std::io::stdout());
            Ok(Outcome::Success)
        }
        Command::Check(args) => check_command(&args),
        Command::Inspect(args) => {
            let config = load_named_config(args.config.as_deref(), "content".into(), "out".into(), None)?;
            let batch = load_batch(&config, Some(std::slice::from_ref(&args.file)))?;
            if let Some(failure) = batch.failures.into_iter().next() {
                return Err(failure);
            }
            for article in &batch.articles {
                use std::io::Write;
                let _ = std::io::stdout().write_all(&output::to_json(article));
            }
            Ok(Outcome::Success)
        }
        Command::Epub(args) => {
            let config =
                load_named_config(args.paths.config.as_deref(), args.paths.content, args.paths.out, None)?;
            let _lock = build::lock_out(&config.out_dir)?;
            let batch = load_batch(&config, None)?;
            let mut failures = batch.report_failures();
            match output::write_epubs(&config, &batch.articles) {
                Ok(paths) if !args.quiet => {
                    paths.iter().for_each(|path| eprintln!("EPUB {}", path.display()))
                }
                Ok(_) => {}
                Err(err) => {
                    eprintln!("error: {err}");
                    failures.push(Failure::from(&err));
                }
            }
            finish(&failures)
        }
    }
}

/// Everything `build` reads and checks, and nothing it writes: whatever would fail the
/// build fails here, with the same exit code.
fn check_command(args: &cli::CheckArgs) -> Result<Outcome> {
    let paths = &args.paths;
    let config = load_named_config(paths.config.as_deref(), paths.content.clone(), paths.out.clone(), None)?;
    for note in config.notes() {
        eprintln!("note: {note}");
    }
    let typesetter = Typesetter::new(&config)?;
    for output in output::article_outputs(&config, &typesetter) {
        output.check()?;
    }
    let found = build::article_paths(&config, None)?;
    build::print_skipped(&found.skipped);
    let batch = load_batch(&config, None)?;
    let mut failures = batch.report_failures();
    build::print_warnings(&batch.articles);
    let rows = build::check_rows(&batch.articles);
    if !args.json {
        // On stdout, unlike build's: the table is what `check` is run for (a build's is
        // a by-product of its log), so `handouts check > levels.txt` keeps it alone.
        println!("{}", summary_table(&rows, &config.handout, WARNINGS_LISTED_ABOVE));
    }
    if args.strict {
        let (max_grade, min_inflesz) = (config.handout.max_grade, config.handout.min_inflesz);
        for article in &batch.articles {
            let level = article.stats.as_ref().map_or(ReadingLevel::None, Stats::level);
            if !level.misses(max_grade, min_inflesz) {
                continue;
            }
            let message = match level {
                ReadingLevel::Grade(grade) => format!(
                    "{}: reads at grade {grade:.1}, above max-grade {}",
                    article.source,
                    max_grade.unwrap_or_default()
                ),
                _ => format!(
                    "{}: reads at {}, below min-inflesz {}",
                    article.source,
                    level.label(),
                    min_inflesz.unwrap_or_default()
                ),
            };
            eprintln!("error: {message}");
            failures.push(Failure {
                kind: Kind::Input,
                file: Some(article.source.clone()),
                line: None,
                message,
            });
        }
    }
    // Drafts, and reviews overdue or due soon: the one thing `check` says that depends
    // on today's date (HANDOUTS_TODAY, else the clock).
    let today = crate::review::today().map_err(error::Error::usage)?;
    let lists = build::ReviewLists::new(&batch.articles, today);
    if !args.json {
        print!("{}", lists.text(today));
    }
    if args.strict {
        for line in build::failure_lines(&lists.failures) {
            eprintln!("error: {line}");
        }
        failures.extend(lists.failures);
    }
    if args.json {
        use std::io::Write;
        let report = output::BuildReport { articles: rows, failures: failures.clone(), ..Default::default() };
        let _ = std::io::stdout().write_all(&output::to_json(&report));
    }
    finish(&failures)
}

fn build_command(args: &cli::BuildArgs) -> Result<Outcome> {
    recorded(args, "build", build::build)
}

/// `handouts merge`: the end of a `--shard` build, printed like a build.
fn merge_command(args: &cli::BuildArgs) -> Result<Outcome> {
    if !args.files.is_empty() || !args.only.is_empty() || args.shard.is_some() {
        return Err(error::Error::usage(
            "merge writes the whole collection: it takes no article files, --only or --shard",
        ));
    }
    recorded(args, "merge", build::merge)
}

type Builder = fn(&crate::config::Config, &BuildOptions) -> Result<output::BuildReport>;

/// A build or merge, with `out/run.json` written at its end whatever the outcome.
fn recorded(args: &cli::BuildArgs, command: &str, run: Builder) -> Result<Outcome> {
    use build::run_record::{self, Outcome as Recorded};
    build::log::init(args.log_format.into());
    let started = (run_record::now(), std::time::Instant::now());
    let out = args.paths.out.clone();
    match run_build(args, run) {
        Ok((outcome, report, line)) => {
            let failed = outcome != Outcome::Success;
            let finished = Recorded::Finished { report: &report, failed };
            run_record::write(&out, command, started, finished, Some(&line));
            Ok(outcome)
        }
        Err(err) => {
            run_record::write(&out, command, started, Recorded::Stopped(&err), None);
            Err(err)
        }
    }
}

/// A build or merge and what it prints: in a log (stderr not a terminal), only what
/// changed or failed and the summary; on a terminal, the table as well. Returns the
/// summary line with the outcome.
fn run_build(args: &cli::BuildArgs, run: Builder) -> Result<(Outcome, output::BuildReport, String)> {
    let paths = args.paths.clone();
    let mut config = load_named_config(paths.config.as_deref(), paths.content, paths.out, args.jobs)?;
    if let Some(paper) = args.paper {
        config.handout.paper = paper.into();
    }
    config.handout.large_print = (config.handout.large_print || args.large_print) && !args.no_large_print;
    config.site.epub = !args.no_epub;
    config.site.drafts = args.drafts;
    if !args.quiet {
        for note in config.notes() {
            build::log::note(&note);
        }
    }
    let options = BuildOptions {
        epub: !args.no_epub,
        quiet: args.quiet,
        verbose: args.verbose,
        force: args.force,
        files: args.files.clone(),
        only: args.only.clone(),
        max_removals: args.max_removals,
        shard: args.shard,
        drafts: args.drafts,
    };
    let started = std::time::Instant::now();
    let mut report = run(&config, &options)?;
    let warnings: usize = report.articles.iter().map(|a| a.warnings).sum();
    // A quiet run printed no failure yet; any other, all but the one added below.
    let printed = if args.quiet { 0 } else { report.failures.len() };
    if let Some(max) = args.max_warnings.filter(|&max| warnings > max) {
        let err = error::Error::usage(format!(
            "{warnings} warnings in all, more than --max-warnings {max}: `handouts check` lists them; \
             everything was built"
        ));
        report.failures.push(Failure::from(&err));
    }
    let line = build::summary_line(&report, &config, started.elapsed());
    if build::log::json() {
        if !args.quiet {
            for path in &report.removed {
                build::log::event(&build::log::Event::Removed { event: "removed", path });
            }
        }
        // The other failures were `failed` events; the summary event follows (run_record).
        build::log::failures(&report.failures[printed..]);
        let outcome = if report.failures.is_empty() { Outcome::Success } else { Outcome::SomeFailed };
        return Ok((outcome, report, line));
    }
    if args.quiet && !report.failures.is_empty() {
        // A quiet run that failed: one summary line, then each problem once.
        build::log::text(&line);
        return Ok((finish(&report.failures)?, report, line));
    }
    if !args.quiet {
        let terminal = build::log::on_terminal();
        if !terminal {
            for path in &report.removed {
                build::log::text(&format!("removed {}", config.out_dir.join(path).display()));
            }
        }
        let table = if args.table { true } else { terminal && !args.no_table };
        if table && !report.articles.is_empty() {
            let hint = if args.verbose {
                WARNINGS_LISTED_ABOVE
            } else {
                "`handouts check` (or `build --verbose`) lists each with its line."
            };
            build::log::text(&format!("\n{}", summary_table(&report.articles, &config.handout, hint)));
        }
        let mut printed = line.clone();
        if !table && warnings > 0 {
            // The table's last note, which a log without the table would lose.
            let plural = if warnings == 1 { "" } else { "s" };
            printed.push_str(&format!(" {warnings} warning{plural} in all: `handouts check` lists them."));
        }
        build::log::text(&format!("\n{printed}"));
    }
    Ok((finish(&report.failures)?, report, line))
}

fn add_command(args: &cli::AddArgs) -> Result<Outcome> {
    // The `retrieved:` date of every article written comes from it.
    crate::validate::source_date_epoch().map_err(error::Error::usage)?;
    let mut limits = crate::fetch::Limits { allow_private: args.allow_private, ..Default::default() };
    if let Some(seconds) = args.timeout.filter(|s| s.is_finite() && *s > 0.0) {
        limits.connect_timeout = std::time::Duration::from_secs_f64(seconds);
        limits.read_timeout = std::time::Duration::from_secs_f64(seconds);
    }
    if let Some(max) = args.max_bytes {
        limits.max_bytes = max;
    }
    let options = crate::add::AddOptions {
        content: args.content.clone(),
        force: args.force,
        no_pictures: args.no_pictures,
        limits,
    };
    let mut failures = Vec::new();
    for source in &args.sources {
        match crate::add::add(source, &options) {
            Ok(added) => {
                let pictures = match added.pictures {
                    0 => String::new(),
                    1 => " and 1 picture".to_string(),
                    n => format!(" and {n} pictures"),
                };
                eprintln!("wrote {}{pictures}", added.path.display());
                for note in &added.notes {
                    eprintln!("  warning: {note}");
                }
            }
            Err(err) => {
                eprintln!("error: {err}");
                failures.push(Failure::from(&err));
            }
        }
    }
    Ok(if failures.is_empty() { Outcome::Success } else { Outcome::SomeFailed })
}

fn finish(failures: &[error::Failure]) -> Result<Outcome> {
    if failures.is_empty() {
        Ok(Outcome::Success)
    } else {
        let lines = build::failure_lines(failures);
        let mut text = format!("\n{} problem{}:", lines.len(), if lines.len() == 1 { "" } else { "s" });
        for line in lines {
            text.push_str(&format!("\n  {line}"));
        }
        build::log::text(&text);
        Ok(Outcome::SomeFailed)
    }
}

/// `--lang TAG`, checked.
fn language_arg(lang: Option<&str>) -> Result<Option<String>> {
    lang.map(|lang| {
        crate::validate::language_tag(lang).map_err(|problem| {
            error::Error::usage(format!("--lang: {problem}; write `--lang {}`", problem.suggestion()))
        })
    })
    .transpose()
}

/// The article `id` names in `articles`, in `lang` when given, or a usage error that
/// lists what there is.
fn find_article<'a>(
    articles: &'a [crate::model::Article],
    id: &str,
    lang: Option<&str>,
) -> Result<&'a crate::model::Article> {
    let Some(article) = articles.iter().find(|a| a.id == id) else {
        let ids: Vec<&str> = articles.iter().map(|a| a.id.as_str()).collect();
        return Err(error::Error::usage(format!(
            "no handout has the id `{id}` (the ids are: {})",
            ids.join(", ")
        )));
    };
    match lang {
        None => Ok(article),
        Some(lang) => serve::print::in_language(article, articles, lang).ok_or_else(|| {
            error::Error::usage(format!(
                "`{id}` has no translation in \"{lang}\"; it is in: {}",
                serve::print::languages_line(article)
            ))
        }),
    }
}

/// `handouts sections`: a handout's sections, numbered as `print --section` takes them.
fn sections_command(args: &cli::SectionsArgs) -> Result<Outcome> {
    let config = load_named_config(args.config.as_deref(), args.content.clone(), "out".into(), None)?;
    let lang = language_arg(args.lang.as_deref())?;
    let batch = load_batch(&config, None)?;
    let article = find_article(&batch.articles, &args.id, lang.as_deref())?;
    let labels = crate::labels::LabelTable::load(config.template_dir())?;
    let sections = serve::print::sections(article, &labels);
    if args.json {
        let list: Vec<serde_json::Value> = sections
            .iter()
            .map(
                |s| serde_json::json!({ "number": s.number(), "title": s.title, "always_printed": s.safety }),
            )
            .collect();
        let json = serde_json::json!({ "id": article.id, "lang": article.meta.lang, "sections": list });
        println!("{}", serde_json::to_string_pretty(&json).unwrap_or_default());
        return Ok(Outcome::Success);
    }
    println!("{} ({}): {}", article.id, article.meta.lang, article.meta.title);
    if sections.is_empty() {
        println!("  no sections: the handout has no headings, so it is always printed whole");
    }
    let width = sections.iter().map(|s| s.title.chars().count()).max().unwrap_or(0);
    for section in &sections {
        let always = if section.safety { "  (always printed)" } else { "" };
        let title = format!("{:<width$}", section.title);
        println!(
            "  {:>2}  {}{always}",
            section.number(),
            if always.is_empty() { title.trim_end() } else { &title }
        );
    }
    Ok(Outcome::Success)
}

/// `handouts print`: one patient's copy of one handout, or a packet of several, by the
/// code `serve`'s print form uses.
fn print_command(args: &cli::PrintArgs) -> Result<Outcome> {
    use std::io::{IsTerminal, Read, Write};

    let to_stdout = args.out.as_os_str() == "-";
    if to_stdout && std::io::stdout().is_terminal() {
        return Err(error::Error::usage("will not write a PDF to the terminal: give --out FILE, or pipe it"));
    }
    if args.ids.len() > 1 && !args.sections.is_empty() {
        return Err(error::Error::usage(
            "--section chooses sections of one handout: print a packet of several handouts whole, \
             or print that handout on its own",
        ));
    }
    let printed = args
        .date
        .as_deref()
        .map(|date| {
            crate::validate::date(date).map_err(|problem| error::Error::usage(format!("--date: {problem}")))
        })
        .transpose()?;
    let config = load_named_config(args.config.as_deref(), args.content.clone(), "out".into(), None)?;
    let note = match &args.note_file {
        Some(path) if path.as_os_str() == "-" => {
            let mut note = String::new();
            std::io::stdin()
                .take(64 * 1024)
                .read_to_string(&mut note)
                .map_err(|e| error::Error::usage(format!("cannot read the note from stdin: {e}")))?;
            note
        }
        Some(path) => std::fs::read_to_string(path)
            .map_err(|e| error::Error::usage(format!("{}: cannot read the note: {e}", path.display())))?,
        None => args.note.clone(),
    };
    let lang = language_arg(args.lang.as_deref())?;
    let batch = load_batch(&config, None)?;
    let articles = args
        .ids
        .iter()
        .map(|id| find_article(&batch.articles, id, lang.as_deref()))
        .collect::<Result<Vec<_>>>()?;
    let labels = crate::labels::LabelTable::load(config.template_dir())?;
    let sections = serve::print::sections(articles[0], &labels);
    let chosen = args
        .sections
        .iter()
        .map(|wanted| serve::print::find_section(&sections, wanted))
        .collect::<std::result::Result<Vec<usize>, String>>()
        .map_err(|problem| error::Error::usage(format!("--section: {problem}")))?;
    let request = serve::print::Request {
        personal: crate::typeset::Personal {
            patient: args.patient.clone(),
            clinician: args.clinician.clone(),
            note,
            printed,
        },
        sections: (!chosen.is_empty()).then_some(chosen),
        large_print: args.large_print,
        paper: args.paper.map(Into::into),
    };
    // The command's own words are English, like its options.
    let request = serve::print::check(request, &sections, &labels.for_lang("en")).map_err(|problems| {
        let lines: Vec<String> =
            problems.into_iter().map(|p| format!("--{}: {}", p.field, p.message)).collect();
        error::Error::usage(lines.join("\n"))
    })?;
    let typesetter = Typesetter::new(&config)?;
    let pdf = if let [article] = articles.as_slice() {
        serve::print::typeset(&typesetter, &labels, article, &request, |pdf| pdf)?
    } else {
        let items: Vec<serve::print::PacketItem> =
            articles.iter().map(|article| serve::print::PacketItem { article, sections: None }).collect();
        let sides =
            if args.two_sided { crate::typeset::PaperSides::Both } else { crate::typeset::PaperSides::One };
        serve::print::typeset_packet(&typesetter, &labels, &items, &request, sides, |pdf| pdf)?
    };
    if to_stdout {
        std::io::stdout()
            .write_all(&pdf)
            .and_then(|()| std::io::stdout().flush())
            .map_err(|e| error::Error::usage(format!("cannot write the PDF to stdout: {e}")))?;
    } else {
        crate::fsx::write_atomic(&args.out, &pdf)?;
    }
    Ok(Outcome::Success)
}

/// The articles of `paths` as an infobutton library; failed articles are reported (they
/// cannot be found) and left out.
fn coded_library(paths: &cli::Paths) -> Result<(crate::config::Config, infobutton::Library)> {
    let config = load_named_config(paths.config.as_deref(), paths.content.clone(), paths.out.clone(), None)?;
    let batch = load_batch(&config, None)?;
    batch.report_failures();
    let library = infobutton::Library::from_articles(&batch.articles);
    Ok((config, library))
}

/// `handouts find`: the infobutton's matching, from the command line.
fn find_command(args: &cli::FindArgs) -> Result<Outcome> {
    use infobutton::request::{Criterion, Request, ResponseType, Wanted};
    let criteria = args
        .codes
        .iter()
        .map(|text| {
            crate::codes::parse(text)
                .map(|code| Criterion { code: Some(Wanted::Known(code)), display: None })
                .map_err(|problem| error::Error::usage(format!("--code {problem}")))
        })
        .collect::<Result<Vec<_>>>()?;
    let lang = args
        .lang
        .as_deref()
        .map(|lang| {
            crate::validate::language_tag(lang).map_err(|problem| {
                error::Error::usage(format!("--lang: {problem}; write `--lang {}`", problem.suggestion()))
            })
        })
        .transpose()?;
    let (config, library) = coded_library(&args.paths)?;
    let request = Request { criteria, lang, response: ResponseType::Json };
    let found = infobutton::matching::find(&library, &request);
    let site = infobutton::feed::Site::of(&config);
    if args.json {
        print!("{}", infobutton::feed::json(&library, &request, &found, &site));
    } else if found.is_empty() {
        eprintln!("No handout has {} (or a code above it).", args.codes.join(" or "));
    } else {
        for entry in infobutton::feed::entries(&library, &found, &site) {
            let code = entry.code.as_ref().map_or("-", |c| c.code.as_str());
            println!("{code}\t{}\t{}\t{}", entry.lang, entry.id, entry.title);
        }
    }
    Ok(Outcome::Success)
}

/// `handouts codes`: what an EHR can reach, code by code, and what it cannot.
fn codes_command(args: &cli::CodesArgs) -> Result<Outcome> {
    let (_, library) = coded_library(&args.paths)?;
    let (codes, uncoded) = library.code_list();
    let id = |index: &usize| library.handouts()[*index].id.as_str();
    if args.json {
        let value = serde_json::json!({
            "codes": codes.iter().map(|(code, handouts)| serde_json::json!({
                "code": code.to_string(),
                "system": code.system.name(),
                "handouts": handouts.iter().map(id).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
            "uncoded": uncoded.iter().map(id).collect::<Vec<_>>(),
        });
        println!("{}", serde_json::to_string_pretty(&value).unwrap_or_default());
        return Ok(Outcome::Success);
    }
    for (code, handouts) in &codes {
        println!("{code}\t{}", handouts.iter().map(id).collect::<Vec<_>>().join(" "));
    }
    if !uncoded.is_empty() {
        println!(
            "\n{} handout(s) without codes (an EHR cannot find them; add `codes:` to their front matter):",
            uncoded.len()
        );
        for index in &uncoded {
            println!("  {}", id(index));
        }
    }
    Ok(Outcome::Success)
}
