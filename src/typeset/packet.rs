//! A packet: several handouts for one patient in one PDF (issue 26). A cover page lists
//! what is inside, then each handout follows on a new sheet (on a right-hand page when
//! printed on both sides), each with the patient's name and the print date on every
//! page.
//!
//! Each part is laid out alone, exactly as a single patient's copy is (the same
//! template, the same fitting), and the pages are then put together into one document
//! that is exported once, as one tagged PDF. Each part is compiled from its own name of
//! the main template ([`world::Shared::packet_main`]) so that no two parts share the
//! names typst gives what it lays out.

use typst::foundations::Content;
use typst::layout::{Abs, Frame, Sides};
use typst::model::Document;
use typst_layout::Page;

use super::*;

/// What a packet looks like on paper: each handout starts on a new sheet; printed on
/// both sides, a new sheet is the next right-hand (odd) page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PaperSides {
    /// One side of each sheet: each handout starts on the next page.
    #[default]
    One,
    /// Both sides: a blank left-hand page comes before a handout that would start on one.
    Both,
}

/// A typeset packet.
#[derive(Debug)]
pub struct Packet {
    pub bytes: Vec<u8>,
    pub pages: usize,
    /// The page (from 1) each handout starts on, in the order given; the cover starts
    /// on page 1.
    pub starts: Vec<usize>,
}

impl Typesetter {
    /// Typesets one patient's packet: a cover listing the handouts' titles (in the first
    /// handout's language, with the patient's name, clinician and note), then every
    /// article in `articles` as that patient's copy (the name and print date on every
    /// page; the note only on the cover). `articles` are as they are to be printed:
    /// sections already chosen (`serve::print::select`), translations already picked.
    ///
    /// Like [`Typesetter::typeset_personal`], `deliver` gets the PDF as soon as it is
    /// made, and typst then forgets everything that held the patient's fields.
    pub fn typeset_packet<T>(
        &self,
        articles: &[Article],
        variant: Variant,
        paper: Option<Paper>,
        personal: &Personal,
        sides: PaperSides,
        deliver: impl FnOnce(Result<Packet>) -> T,
    ) -> T {
        let delivered = {
            let _compiling = FORGETTING.read().unwrap_or_else(std::sync::PoisonError::into_inner);
            let packet = self.packet_document(articles, variant, paper, personal, sides).and_then(
                |(document, starts, cover)| {
                    let pages = document.pages().len();
                    self.export_packet(&document, articles, &cover).map(|bytes| Packet {
                        bytes,
                        pages,
                        starts,
                    })
                },
            );
            deliver(packet)
        };
        let placeholder = placeholder(personal);
        let _forgetting = FORGETTING.write().unwrap_or_else(std::sync::PoisonError::into_inner);
        typst::comemo::evict(usize::MAX);
        // As for a single copy: the placeholder's hits keep what every packet of these
        // handouts shares warm, and whatever held the patient's fields ages out.
        let _ = self.packet_document(articles, variant, paper, &placeholder, sides);
        typst::comemo::evict(1);
        delivered
    }

    /// The packet's pages, where each handout starts, and the cover's inputs.
    fn packet_document(
        &self,
        articles: &[Article],
        variant: Variant,
        paper: Option<Paper>,
        personal: &Personal,
        sides: PaperSides,
    ) -> Result<(PagedDocument, Vec<usize>, HandoutInputs)> {
        let Some(first) = articles.first() else {
            return Err(Error::usage("a packet needs at least one handout"));
        };
        // The note is the care team's word to the patient: once, on the cover.
        let in_handouts = Personal { note: String::new(), ..personal.clone() };
        let mut parts = Vec::with_capacity(articles.len());
        for (slot, article) in articles.iter().enumerate() {
            let mut inputs = self.prepare_personal(article, variant, paper, &in_handouts)?;
            inputs.main = self.shared.packet_main(slot);
            parts.push(self.layout(&inputs)?);
        }
        let cover_article = cover(articles, &self.labels.for_lang(&first.meta.lang), &first.meta.lang);
        let mut cover_inputs = self.prepare_personal(&cover_article, variant, paper, personal)?;
        cover_inputs.main = self.shared.packet_main(articles.len());
        cover_inputs.qr_svg = None;
        for (option, value) in [("questions_box", false), ("qr", false)] {
            cover_inputs.options[option] = serde_json::json!(value);
        }
        let cover = self.layout(&cover_inputs)?;

        let mut pages: Vec<Page> = cover.pages().to_vec();
        let mut starts = Vec::with_capacity(parts.len());
        for part in &parts {
            if sides == PaperSides::Both && pages.len() % 2 == 1 {
                pages.push(blank_after(pages.last()));
            }
            starts.push(pages.len() + 1);
            pages.extend(part.pages().iter().cloned());
        }
        let document = PagedDocument::new(pages.into_iter().collect(), cover.info().clone());
        Ok((text_layer::repair(document), starts, cover_inputs))
    }

    /// The PDF of the packet's pages: tagged like a single handout, its metadata the
    /// cover's (its title "Your handouts", the clinic) and nothing of the patient.
    fn export_packet(
        &self,
        document: &PagedDocument,
        articles: &[Article],
        cover: &HandoutInputs,
    ) -> Result<Vec<u8>> {
        let ids: Vec<&str> = articles.iter().map(|article| article.id.as_str()).collect();
        let date = articles.first().and_then(|article| self.creation_date(article));
        let options = PdfOptions {
            ident: Smart::Custom(format!("handouts/packet/{:032x}", typst::utils::hash128(&ids))),
            creator: Smart::Custom(Some(format!("handouts {}", env!("CARGO_PKG_VERSION")))),
            timestamp: date.map(Timestamp::new_utc),
            page_ranges: None,
            standards: pdf_standards(),
            tagged: true,
            pretty: false,
        };
        typst_pdf::pdf(document, &options).map_err(|errors| {
            let world = HandoutWorld {
                shared: &self.shared,
                article_json: cover.article_json.clone(),
                options_json: cover.options_json.clone(),
                qr_svg: None,
                personal_json: None,
                pictures: &[],
                today: date,
                main: cover.main,
            };
            self.template_error(&world, &errors, &cover.source)
        })
    }
}

/// A fresh placeholder in place of the patient's fields (see
/// [`Typesetter::typeset_personal`]).
fn placeholder(personal: &Personal) -> Personal {
    static PLACEHOLDERS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = PLACEHOLDERS.fetch_add(1, std::sync::atomic::Ordering::Relaxed).to_string();
    let note = if personal.note.is_empty() { String::new() } else { n.clone() };
    Personal { patient: n.clone(), clinician: n, note, printed: personal.printed }
}

/// The cover as an article the template lays out like any handout: the title "Your
/// handouts" and the list of the handouts' titles, in `lang` with `labels`.
fn cover(articles: &[Article], labels: &crate::labels::Labels, lang: &str) -> Article {
    use crate::model::Block;
    let paragraph = |text: &str| Block::Paragraph { content: vec![Inline::text(text)], line: 0 };
    let items = articles.iter().map(|article| vec![paragraph(&article.meta.title)]).collect();
    Article {
        schema: crate::model::SCHEMA_VERSION,
        // No id: the footer prints none, and the cover has no page on the site.
        id: String::new(),
        source: "(the packet's cover)".into(),
        meta: crate::model::Meta {
            title: labels.text("packet-title").to_string(),
            lang: lang.to_string(),
            ..Default::default()
        },
        blocks: vec![
            paragraph(labels.text("packet-contents")),
            Block::List { ordered: true, start: None, items, line: 0 },
        ],
        removed: Vec::new(),
        stats: None,
        warnings: Vec::new(),
    }
}

/// An empty page the size of `before`: the back of a sheet, so the next handout starts
/// on a right-hand page.
fn blank_after(before: Option<&Page>) -> Page {
    let size = before.map(|page| page.frame.size()).unwrap_or_default();
    Page {
        frame: Frame::hard(size),
        bleed: Sides::splat(Abs::zero()),
        fill: Smart::Auto,
        numbering: None,
        supplement: Content::empty(),
        number: before.map_or(1, |page| page.number + 1),
    }
}
