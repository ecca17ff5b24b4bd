//! The zip package a `.docx` is: its parts read with limits, its relationships, and
//! what to tell a person whose file is not one. It imports nothing else of the crate:
//! the Word reader (`ingest::docx`) and the picture store (which reads a document's
//! pictures out of it) both stand on it.
//!
//! Nothing here trusts the sizes a zip declares: every part is read through a limit, and
//! the whole document through another, so a zip bomb stops at the limit rather than
//! filling memory.

use std::collections::HashMap;
use std::io::{Cursor, Read};

/// Largest Word document read: its pictures are inside it, and a handout with a few
/// photos straight off a phone is tens of MiB. What it unpacks to is limited too
/// ([`MAX_PART_BYTES`], [`MAX_TOTAL_BYTES`]).
pub const MAX_DOCUMENT_BYTES: u64 = 64 * 1024 * 1024;

/// Most entries a Word document is allowed: a real one has tens (a few hundred with many
/// pictures).
pub const MAX_ENTRIES: usize = 10_000;
/// Largest part read (unpacked): `document.xml` of a 300-page report is a few MiB.
pub const MAX_PART_BYTES: u64 = 64 * 1024 * 1024;
/// Largest total unpacked, pictures included, over the whole document.
pub const MAX_TOTAL_BYTES: u64 = 256 * 1024 * 1024;

/// Why a file is not a Word document this reader can open. Each says what to do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PackageProblem {
    #[error(
        "this is an old Word document (.doc, Word 97-2003); open it in Word or LibreOffice and save it as .docx"
    )]
    OldWord,
    #[error(
        "the document is password-protected; open it in Word, remove the password (File > Info > Protect Document > Encrypt with Password) and save it again"
    )]
    Encrypted,
    #[error("this is an RTF file, not a .docx; open it in Word or LibreOffice and save it as .docx")]
    Rtf,
    #[error(
        "this is an OpenDocument file (.odt); open it in LibreOffice or Word and save it as .docx (Word Document)"
    )]
    OpenDocument,
    #[error(
        "not a Word document (a .docx file is a zip package, and this is not one); save it from Word as .docx"
    )]
    NotZip,
    #[error("the file is empty; save the document from Word again")]
    Empty,
    #[error("the document's zip package is damaged ({0}); open it in Word and save it again")]
    Damaged(String),
    #[error("the zip package holds {0} entries, more than the {MAX_ENTRIES} a Word document may have")]
    TooManyEntries(usize),
    #[error("{part} unpacks to more than {max} MiB, more than a Word document holds; save it again from Word", max = MAX_PART_BYTES / (1024 * 1024))]
    PartTooBig { part: String },
    #[error("the document unpacks to more than {} MiB, more than a Word document holds", MAX_TOTAL_BYTES / (1024 * 1024))]
    TooBig,
    #[error(
        "the zip package has no main document (word/document.xml), so it is not a Word document; save it from Word as .docx"
    )]
    NoDocument,
    #[error("{part} is not valid XML ({message}); open the document in Word and save it again")]
    BadXml { part: String, message: String },
}

/// The bytes that start an OLE compound file: Word 97-2003 documents, and every
/// password-protected Office document (the encrypted package sits inside one).
const OLE_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// An opened package: parts are read on demand, each at most once.
pub struct Package<'a> {
    archive: zip::ZipArchive<Cursor<&'a [u8]>>,
    unpacked: u64,
}

impl<'a> Package<'a> {
    /// Opens `bytes` as a Word document, or says what the file is instead.
    pub fn open(bytes: &'a [u8]) -> Result<Package<'a>, PackageProblem> {
        if bytes.is_empty() {
            return Err(PackageProblem::Empty);
        }
        if bytes.starts_with(OLE_MAGIC) {
            return Err(if holds_utf16(bytes, "EncryptedPackage") {
                PackageProblem::Encrypted
            } else {
                PackageProblem::OldWord
            });
        }
        if bytes.starts_with(b"{\\rtf") {
            return Err(PackageProblem::Rtf);
        }
        if !bytes.starts_with(b"PK") {
            return Err(PackageProblem::NotZip);
        }
        // It starts as a zip does: whatever is wrong, the zip is damaged (cut short, most
        // often, by a copy or a download that did not finish).
        let archive =
            zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| PackageProblem::Damaged(e.to_string()))?;
        if archive.len() > MAX_ENTRIES {
            return Err(PackageProblem::TooManyEntries(archive.len()));
        }
        let mut package = Package { archive, unpacked: 0 };
        if package.main_document().is_err() {
            let mimetype = package.bytes("mimetype")?.unwrap_or_default();
            return Err(if mimetype.starts_with(b"application/vnd.oasis.opendocument") {
                PackageProblem::OpenDocument
            } else {
                PackageProblem::NoDocument
            });
        }
        Ok(package)
    }

    /// The names of all entries, in the zip's order.
    pub fn names(&self) -> Vec<String> {
        self.archive.file_names().filter_map(|name| name.ok().map(|n| n.into_owned())).collect()
    }

    /// The unpacked bytes of part `name`, `None` when the package has no such part.
    pub fn bytes(&mut self, name: &str) -> Result<Option<Vec<u8>>, PackageProblem> {
        let Some(index) = self.archive.index_for_name(name) else { return Ok(None) };
        let entry = self.archive.by_index(index).map_err(|e| match e {
            zip::result::ZipError::UnsupportedArchive(_) => PackageProblem::Encrypted,
            other => PackageProblem::Damaged(other.to_string()),
        })?;
        let limit = MAX_PART_BYTES.min(MAX_TOTAL_BYTES - self.unpacked);
        let mut out = Vec::new();
        entry
            .take(limit + 1)
            .read_to_end(&mut out)
            .map_err(|e| PackageProblem::Damaged(format!("{name}: {e}")))?;
        if out.len() as u64 > limit {
            return Err(if limit < MAX_PART_BYTES {
                PackageProblem::TooBig
            } else {
                PackageProblem::PartTooBig { part: name.to_string() }
            });
        }
        self.unpacked += out.len() as u64;
        Ok(Some(out))
    }

    /// Part `name` as text (XML parts are UTF-8, or UTF-16 with a byte-order mark).
    pub fn text(&mut self, name: &str) -> Result<Option<String>, PackageProblem> {
        let Some(bytes) = self.bytes(name)? else { return Ok(None) };
        let (text, _, had_errors) = encoding_rs::UTF_8.decode(&bytes);
        if had_errors {
            return Err(PackageProblem::BadXml { part: name.to_string(), message: "not UTF-8".into() });
        }
        Ok(Some(text.into_owned()))
    }

    /// The relationships of part `name` (`word/document.xml` → its
    /// `word/_rels/document.xml.rels`): id → target, targets resolved to part names for
    /// internal ones and kept as written for external ones (web addresses).
    pub fn relationships(&mut self, name: &str) -> Result<HashMap<String, Target>, PackageProblem> {
        Ok(self.read_relationships(name)?.into_iter().map(|(id, _, target)| (id, target)).collect())
    }

    /// The parts `name` relates to with a relationship type ending in `/kind`
    /// (`styles`, `numbering`, `footnotes`, `header`…), in the order listed.
    pub fn related_parts(&mut self, name: &str, kind: &str) -> Result<Vec<String>, PackageProblem> {
        let suffix = format!("/{kind}");
        Ok(self
            .read_relationships(name)?
            .into_iter()
            .filter(|(_, ty, _)| ty.ends_with(&suffix))
            .filter_map(|(_, _, target)| match target {
                Target::Part(part) => Some(part),
                Target::External(_) => None,
            })
            .collect())
    }

    /// The main document part: what the package's relationships name
    /// (`officeDocument`), which is `word/document.xml` in every file Word writes but
    /// may be another name in files other programs write.
    pub fn main_document(&mut self) -> Result<String, PackageProblem> {
        let named = self.related_parts("", "officeDocument")?;
        let found = named
            .into_iter()
            .chain(["word/document.xml".to_string()])
            .find(|part| self.archive.index_for_name(part).is_some());
        found.ok_or(PackageProblem::NoDocument)
    }

    /// (id, type, target) of each relationship of part `name` (`""`: the package's own).
    fn read_relationships(&mut self, name: &str) -> Result<Vec<(String, String, Target)>, PackageProblem> {
        let (folder, file) = name.rsplit_once('/').unwrap_or(("", name));
        let rels_name = if folder.is_empty() {
            format!("_rels/{file}.rels")
        } else {
            format!("{folder}/_rels/{file}.rels")
        };
        let Some(text) = self.text(&rels_name)? else { return Ok(Vec::new()) };
        let doc = parse_xml(&rels_name, &text)?;
        let mut out = Vec::new();
        for rel in doc.descendants().filter(|n| n.tag_name().name() == "Relationship") {
            let (Some(id), Some(target)) = (rel.attribute("Id"), rel.attribute("Target")) else { continue };
            let target = if rel.attribute("TargetMode") == Some("External") {
                Target::External(target.to_string())
            } else {
                Target::Part(resolve_part(folder, target))
            };
            out.push((id.to_string(), rel.attribute("Type").unwrap_or("").to_string(), target));
        }
        Ok(out)
    }
}

/// A picture's `src` as the reader writes it (`sub/low-salt.docx/word/media/image1.png`)
/// → the document's path and the part inside it; `None` for any other path.
pub fn split_picture_src(src: &str) -> Option<(&str, &str)> {
    let mut offset = 0;
    for component in src.split('/') {
        offset += component.len();
        if component.len() > 5 && component.to_ascii_lowercase().ends_with(".docx") {
            // `offset` is at the end of this component, a char boundary (it ends in
            // ASCII), and the part after it is past the `/` that follows.
            let part = src.get(offset + 1..).filter(|p| !p.is_empty())?;
            return Some((&src[..offset], part));
        }
        offset += 1;
    }
    None
}

/// Part `part` of the Word document `bytes` (a picture), read with the package's limits.
pub fn read_part(bytes: &[u8], part: &str) -> std::result::Result<Vec<u8>, PackageProblem> {
    Package::open(bytes)?.bytes(part)?.ok_or_else(|| PackageProblem::Damaged(format!("{part} is missing")))
}

/// Where a relationship leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// Another part of the package, by its name (`word/media/image1.png`).
    Part(String),
    /// Outside the package, as written (a web address, a file on someone's disk).
    External(String),
}

/// Parses an XML part. DTDs are refused (roxmltree's default), so no entity can expand.
pub fn parse_xml<'x>(part: &str, text: &'x str) -> Result<roxmltree::Document<'x>, PackageProblem> {
    roxmltree::Document::parse(text)
        .map_err(|e| PackageProblem::BadXml { part: part.to_string(), message: e.to_string() })
}

/// `media/image1.png` relative to `word` → `word/media/image1.png`; `/word/x` is from
/// the package root; `..` steps up, never above the root.
fn resolve_part(folder: &str, target: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    let target = match target.strip_prefix('/') {
        Some(from_root) => from_root,
        None => {
            parts.extend(folder.split('/').filter(|p| !p.is_empty()));
            target
        }
    };
    for piece in target.split('/') {
        match piece {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    parts.join("/")
}

/// Whether `bytes` hold `name` in UTF-16LE, as an OLE directory stores stream names.
fn holds_utf16(bytes: &[u8], name: &str) -> bool {
    let needle: Vec<u8> = name.encode_utf16().flat_map(u16::to_le_bytes).collect();
    bytes.windows(needle.len()).any(|window| window == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relationship_targets_resolve_to_part_names() {
        assert_eq!(resolve_part("word", "media/image1.png"), "word/media/image1.png");
        assert_eq!(resolve_part("word", "/word/media/a.png"), "word/media/a.png");
        assert_eq!(resolve_part("word", "../customXml/item1.xml"), "customXml/item1.xml");
        assert_eq!(resolve_part("word", "../../../x"), "x");
        assert_eq!(resolve_part("", "word/document.xml"), "word/document.xml");
    }

    #[test]
    fn files_that_are_not_docx_are_named() {
        let old = [OLE_MAGIC, &[0; 600]].concat();
        assert_eq!(Package::open(&old).err(), Some(PackageProblem::OldWord));
        let name: Vec<u8> = "EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes).collect();
        let encrypted = [OLE_MAGIC, &[0; 100], &name].concat();
        assert_eq!(Package::open(&encrypted).err(), Some(PackageProblem::Encrypted));
        assert_eq!(Package::open(b"{\\rtf1\\ansi hello}").err(), Some(PackageProblem::Rtf));
        assert_eq!(Package::open(b"hello").err(), Some(PackageProblem::NotZip));
        assert!(matches!(Package::open(b"PK\x03\x04 broken").err(), Some(PackageProblem::Damaged(_))));
    }
}
