//! The step after the batch: every article's result gathered, in batch order, into the
//! new manifest and the report, and the collection's members (what the EPUB and the
//! catalogue are made from). An article that failed keeps its last good entry, its
//! outputs and its place.

use std::collections::HashSet;
use std::path::Path;
use std::sync::Arc;

use super::article::Built;
use super::manifest::Manifest;
use super::plan::Planned;
use crate::digest::Digest;
use crate::output::BuildReport;

/// An article file, its intermediate form's fingerprint and its intermediate output:
/// what the collection outputs are made from.
pub type Member = (Arc<str>, Option<Digest>, Option<Arc<str>>);

/// Members in the order of their files' paths (as paths compare: a component at a time).
pub fn sort_members(members: &mut [Member]) {
    members.sort_by(|a, b| Path::new(&*a.0).cmp(Path::new(&*b.0)));
}

/// Puts back into the old manifest the last good entries of the articles that failed
/// or were not started (a build stopped by a full disk): they keep their outputs and
/// their place in the collection (see [`Planned::last`]).
pub fn give_back(planned: &[Planned], results: &mut [Built], old: &mut Manifest) {
    super::plan::take_back(planned, old);
    for built in results {
        if let Some(last) = built.last.take() {
            old.articles.insert(built.source.clone(), last);
        }
    }
}

/// What gathering the articles' results reads.
pub struct Gather<'a> {
    /// The last build's manifest, holding the entries of the articles that failed.
    pub old: &'a Manifest,
    pub out: &'a Path,
    pub quiet: bool,
}

impl Gather<'_> {
    /// Gathers the articles' results (in batch order) into `new` and `report`, printing
    /// each article's warnings and failures; adds to `failed` the files that failed.
    /// Returns the collection's members, sorted by file.
    ///
    /// `present` holds every article file that exists, read or not.
    pub fn collect(
        &self,
        results: Vec<Built>,
        present: &HashSet<String>,
        failed: &mut HashSet<String>,
        new: &mut Manifest,
        report: &mut BuildReport,
    ) -> Vec<Member> {
        let mut members: Vec<Member> = Vec::new();
        let mut article_failures = Vec::new();
        for built in results {
            for warning in &built.warnings {
                match warning.strip_prefix("warning: ") {
                    Some(message) => super::log::warning(message),
                    None => super::log::text(warning),
                }
            }
            if !built.failures.is_empty() {
                failed.insert(built.source.to_string());
            }
            article_failures.extend(built.failures);
            new.outputs.extend(built.outputs);
            report.pdfs.extend(built.typeset);
            report.unchanged.extend(built.unchanged);
            report.articles.extend(built.report);
            if built.fingerprint.is_some() || built.intermediate.is_some() {
                members.push((built.source.clone(), built.fingerprint, built.intermediate));
            }
            if let Some(entry) = built.entry {
                new.articles.insert(built.source, entry);
            }
        }
        report.failures.extend(super::print_failures(&article_failures, self.quiet));
        keep_failed(self.old, self.out, present, failed, &mut members, new);
        sort_members(&mut members);
        members
    }
}

/// An article that failed before its intermediate form was made (unreadable, not
/// UTF-8, a bad picture) stays in the collection outputs (catalogue, EPUB) as it last
/// built, in its place: a failed build must not take it out of them any more than it
/// deletes its PDFs. Its manifest entry stays for the next build.
pub fn keep_failed(
    old: &Manifest,
    out: &Path,
    present: &HashSet<String>,
    failed: &HashSet<String>,
    members: &mut Vec<Member>,
    new: &mut Manifest,
) {
    let made: HashSet<&str> = members.iter().map(|(path, _, _)| &**path).collect();
    let mut kept: Vec<Member> = Vec::new();
    for source in failed.iter() {
        if !present.contains(source) || made.contains(source.as_str()) {
            continue;
        }
        if let Some((source, entry)) = old.articles.get_key_value(source.as_str())
            && let Some(json) = entry.outputs.iter().find(|o| o.starts_with("json/"))
            && out.join(&**json).is_file()
        {
            kept.push((source.clone(), Some(entry.fingerprint), Some(json.clone())));
            new.articles.insert(source.clone(), entry.clone());
        }
    }
    members.extend(kept);
}
