//! `handouts merge`: after the shards of a `--shard K/N` build ([`super::shard`]), writes
//! what needs the whole collection — the EPUB, the site's catalogue and assets, the
//! manifest (the shards' parts folded into one) and `report.json` — and removes the
//! outputs of articles that are gone, within `--max-removals`, exactly as the end of a
//! full build does ([`super::publish`]): the folder it leaves is byte for byte the one
//! one `handouts build` makes. Nothing is typeset; the EPUB and the catalogue read the
//! articles back from the JSON the shards wrote.
//!
//! It plans the batch again (ids, translations: the files' ids come from the parts, so
//! no file is parsed twice), hashes the inputs as each shard did ([`shard::inputs`]),
//! and refuses, before writing or removing anything, when a shard of N is missing or
//! was made from other inputs (another config or template, other article files, or a
//! folder another build changed since). Once the manifest is written, the parts it
//! folded are removed.

use std::collections::{BTreeSet, HashMap, HashSet};

use super::manifest::Manifest;
use super::shard::{self, Part, Shard};
use super::{BuildOptions, Gathered, gather, guard, in_pool, journal, plan, print_failures};
use crate::config::Config;
use crate::error::{Error, Result};
use crate::output::{self, BuildReport};
use crate::typeset::Typesetter;

/// Merges the shards' work in `config.out_dir` (see the module docs).
pub fn merge(config: &Config, options: &BuildOptions) -> Result<BuildReport> {
    guard::refuse_out_inside_content(config)?;
    if options.partial() || options.shard.is_some() {
        return Err(Error::usage(
            "merge writes the whole collection: it takes no article files, --only or --shard",
        ));
    }
    // Exclusive: no shard runs while the parts are read and the collection written.
    let lock = super::lock_out(&config.out_dir)?;
    lock.tidy(&config.out_dir);
    let mut typesetter = Typesetter::new(config)?;
    crate::fsx::ensure_writable_dir(&config.out_dir)?;
    in_pool(config.jobs, || merge_in_pool(&mut typesetter, config, options))
}

fn merge_in_pool(
    typesetter: &mut Typesetter,
    config: &Config,
    options: &BuildOptions,
) -> Result<BuildReport> {
    let out = &config.out_dir;
    let pictures = typesetter.picture_store().clone();
    let collections = output::collection_outputs(config, options.epub, true, &pictures)?;
    let mut old = Manifest::load(out);
    journal::fold(out, &mut old);
    let parts = read_parts(out);

    let found = plan::article_paths(config, None)?;
    if !options.quiet {
        plan::print_skipped(&found.skipped);
    }
    let words = plan::plain_language(config)?;
    let mut failures = found.refused;
    let mut present: HashSet<String> = found.files.iter().map(|p| p.display().to_string()).collect();
    present.extend(failures.iter().filter_map(|f| f.file()).map(|p| p.display().to_string()));
    // The ids the shards found, from their parts: no file is parsed again.
    let mut known = Manifest { articles: old.articles.clone(), ..Manifest::default() };
    for part in &parts {
        known.articles.extend(part.manifest.articles.iter().map(|(k, v)| (k.clone(), v.clone())));
    }
    let (planned, unreadable) =
        plan::plan_ids(found.files, &known, config.max_file_bytes, true, true, &config.review_rules());
    failures.extend(unreadable);

    // The settings as the shards hashed them: with the template files they pinned.
    if let Some(part) = parts.first() {
        typesetter.pin_template_files(&part.pinned);
    }
    let outputs = output::article_outputs(config, typesetter);
    let settings = super::settings_hash(&outputs, &words, config);
    let inputs = shard::inputs(settings, out, &planned, &present);
    let count = complete_set(out, &parts, &inputs)?;
    let parts: Vec<&Part> = parts.iter().filter(|p| p.shard.count == count && p.inputs == inputs).collect();

    let mut report = BuildReport { failures: print_failures(&failures, options.quiet), ..Default::default() };
    let mut failed: HashSet<String> =
        failures.iter().filter_map(|f| f.file()).map(|p| p.display().to_string()).collect();
    let mut new = Manifest::default();
    let (mut checked, mut template_files) = (BTreeSet::new(), BTreeSet::new());
    let mut members = Vec::new();
    let mut records = Vec::new();
    for part in &parts {
        checked.extend(part.manifest.checked.iter().cloned());
        template_files.extend(part.manifest.template_files.iter().cloned());
        new.outputs.extend(part.manifest.outputs.iter().map(|(k, v)| (k.clone(), v.clone())));
        new.articles.extend(part.manifest.articles.iter().map(|(k, v)| (k.clone(), v.clone())));
        members.extend(part.members.iter().cloned());
        failed.extend(part.failed.iter().cloned());
        records.extend(part.articles.iter());
    }
    new.checked = checked;
    new.template_files = template_files.into_iter().collect();
    // In batch order, as one build reports them.
    let order: HashMap<String, usize> =
        planned.iter().enumerate().map(|(n, p)| (p.path.display().to_string(), n)).collect();
    records.sort_by_key(|record| order.get(&*record.source).copied().unwrap_or(usize::MAX));
    let mut article_failures = Vec::new();
    for record in records {
        article_failures.extend(record.failures.iter().cloned());
        report.articles.extend(record.report.clone());
        report.pdfs.extend(record.typeset.iter().cloned());
        report.unchanged.extend(record.unchanged.iter().cloned());
    }
    if !options.quiet {
        super::log::failures(&article_failures);
    }
    report.failures.extend(article_failures);
    gather::keep_failed(&old, out, &present, &failed, &mut members, &mut new);
    gather::sort_members(&mut members);
    members.dedup_by(|a, b| a.0 == b.0);

    let names: Vec<Shard> = parts.iter().map(|p| p.shard).collect();
    let gathered = Gathered { new, report, members, present, failed };
    let report = super::publish(out, options, &collections, &old, gathered, false)?;
    // Folded into the manifest: the parts are done with.
    for shard in names {
        let _ = std::fs::remove_file(shard::part_path(out, shard));
        let _ = std::fs::remove_file(out.join(shard::SHARDS).join(format!("{}.lock", shard.name())));
    }
    let _ = std::fs::remove_dir(out.join(shard::SHARDS));
    Ok(report)
}

/// Every part in the folder that can be read.
fn read_parts(out: &std::path::Path) -> Vec<Part> {
    let Ok(entries) = std::fs::read_dir(out.join(shard::SHARDS)) else { return Vec::new() };
    let mut paths: Vec<_> = entries
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    paths.sort();
    paths.iter().filter_map(|path| shard::load_part(path)).collect()
}

/// The number of shards whose parts, all made from `inputs`, are all there; else the
/// error that says which are missing or were made from other inputs.
fn complete_set(out: &std::path::Path, parts: &[Part], inputs: &str) -> Result<u32> {
    let folder = out.join(shard::SHARDS);
    let counts: BTreeSet<u32> = parts.iter().filter(|p| p.inputs == inputs).map(|p| p.shard.count).collect();
    let refuse = |problem: String| {
        Err(Error::usage(format!("{}: {problem}; nothing was merged or removed", folder.display())))
    };
    let count = match counts.len() {
        1 => counts.into_iter().next().unwrap_or(1),
        0 if parts.is_empty() => {
            return refuse(
                "no shard parts to merge: run `handouts build --shard K/N` for every K from 1 to N first"
                    .into(),
            );
        }
        0 => {
            let names: Vec<String> = parts.iter().map(|p| p.shard.to_string()).collect();
            return refuse(format!(
                "the parts here (shard {}) were made from other inputs than these (another config, template or \
                 set of articles, or the folder changed since); run the shards again",
                names.join(", ")
            ));
        }
        _ => {
            let counts: Vec<String> = counts.iter().map(u32::to_string).collect();
            return refuse(format!(
                "parts of builds in {} shards are here; remove the folder's parts and run the shards again",
                counts.join(" and ")
            ));
        }
    };
    let mut problems = Vec::new();
    for index in 1..=count {
        let shard = Shard { index, count };
        if parts.iter().any(|p| p.shard == shard && p.inputs == inputs) {
            continue;
        }
        if parts.iter().any(|p| p.shard == shard) {
            problems.push(format!(
                "shard {shard} was made from other inputs (another config, template or set of articles, or the \
                 folder changed since)"
            ));
        } else {
            problems.push(format!("shard {shard} is missing (run `handouts build --shard {shard}`)"));
        }
    }
    if problems.is_empty() { Ok(count) } else { refuse(problems.join("; ")) }
}
