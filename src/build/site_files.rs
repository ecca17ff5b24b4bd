//! `out/site/` on its own: the PDFs and the EPUB its pages link to are inside it
//! (`site/pdf/<id>.pdf`, `site/<book>.epub`), so the folder can be published anywhere
//! (at `[site] base-url`) and every link in it still leads somewhere.
//!
//! They are hard links to the build's own files (a copy where the file system has
//! none), made again after every build from the manifest: a file in `site/` is never
//! older than the one it mirrors, and one whose handout is gone is removed with it.

use std::collections::BTreeSet;
use std::path::Path;

use super::manifest::Manifest;
use crate::error::{Error, Result};

/// The site folder inside the output folder.
const SITE: &str = "site";

/// Whether `relative` (an output's path in the manifest) is linked from the site's
/// pages: the PDFs and the EPUB.
fn is_linked(relative: &str) -> bool {
    (relative.starts_with("pdf/") && relative.ends_with(".pdf"))
        || (!relative.contains('/') && relative.ends_with(".epub"))
}

/// Makes `out/site/` hold exactly the linked outputs `manifest` records, each the same
/// file as in `out/`, but a draft's PDFs only with `drafts` (`build --drafts`): a
/// published site must not serve what nobody reviewed. Does nothing when there is no
/// site.
pub fn mirror(out: &Path, manifest: &Manifest, drafts: bool) -> Result<()> {
    let site = out.join(SITE);
    if !site.is_dir() {
        return Ok(());
    }
    let unpublished: BTreeSet<&str> = manifest
        .articles
        .values()
        .filter(|entry| !drafts && entry.report.status == crate::model::Status::Draft)
        .flat_map(|entry| entry.outputs.iter().map(|relative| &**relative))
        .collect();
    let wanted: BTreeSet<&str> = manifest
        .outputs
        .keys()
        .map(|relative| &**relative)
        .filter(|r| is_linked(r) && !unpublished.contains(r))
        .collect();
    for relative in &wanted {
        let (source, target) = (out.join(relative), site.join(relative));
        if !source.is_file() || same_file(&source, &target) {
            continue;
        }
        place(&source, &target)?;
    }
    // What no handout links any more: PDFs of removed articles, an EPUB renamed.
    let mut present = Vec::new();
    if let Ok(entries) = std::fs::read_dir(site.join("pdf")) {
        present.extend(
            entries.filter_map(|e| e.ok()).map(|e| format!("pdf/{}", e.file_name().to_string_lossy())),
        );
    }
    if let Ok(entries) = std::fs::read_dir(&site) {
        present.extend(entries.filter_map(|e| e.ok()).map(|e| e.file_name().to_string_lossy().into_owned()));
    }
    for relative in present.iter().filter(|r| is_linked(r) && !wanted.contains(r.as_str())) {
        let path = site.join(relative);
        std::fs::remove_file(&path).map_err(|e| Error::write(&path, e))?;
    }
    Ok(())
}

#[cfg(unix)]
fn same_file(a: &Path, b: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (std::fs::metadata(a), std::fs::metadata(b)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_file(a: &Path, b: &Path) -> bool {
    matches!((std::fs::read(a), std::fs::read(b)), (Ok(a), Ok(b)) if a == b)
}

/// `target` becomes `source`: a hard link made beside it and renamed over it (so a
/// reader never sees it missing or half-written), else an atomic copy.
fn place(source: &Path, target: &Path) -> Result<()> {
    let dir = target.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| Error::write(dir, e))?;
    let name = target.file_name().and_then(|n| n.to_str()).unwrap_or("output");
    let temp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let _ = std::fs::remove_file(&temp);
    if std::fs::hard_link(source, &temp).is_ok() {
        return std::fs::rename(&temp, target).map_err(|e| {
            let _ = std::fs::remove_file(&temp);
            Error::write(target, e)
        });
    }
    let bytes = std::fs::read(source).map_err(|e| Error::read(source, e))?;
    crate::fsx::write_atomic(target, &bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_handouts_and_the_book_are_mirrored() {
        assert!(is_linked("pdf/a.pdf") && is_linked("pdf/a-large.pdf") && is_linked("book.epub"));
        assert!(!is_linked("json/a.json") && !is_linked("site/a.html") && !is_linked("report.json"));
        assert!(!is_linked("site/book.epub"));
    }
}
