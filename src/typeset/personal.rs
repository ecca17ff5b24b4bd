//! One patient's copy: the fields the care team adds, how the template gets them, and
//! forgetting everything typst built from them once the copy is sent.

use super::*;

/// Held shared while a patient's copy is made, exclusively while one is forgotten
/// ([`Typesetter::typeset_personal`]). Forgetting while another copy is half made would
/// evict that copy's own results before it uses them again (typst lays a document out
/// more than once), and the two then rebuild each other's work: with two copies at
/// once, each cost 65 % more CPU than alone (bench/RESULTS.md). A writer waiting here
/// holds new copies back, so forgetting is never put off by a steady stream of them.
pub(super) static FORGETTING: std::sync::RwLock<()> = std::sync::RwLock::new(());

/// How the template gets one patient's copy's fields.
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub(super) enum PersonalOption<'a> {
    /// `true`: the fields are in their own file, `/_handouts/personal.json`, which the
    /// template reads only inside a `context` while laying out. The template's evaluation
    /// and everything it builds are then the same for every patient and stay memoized
    /// between copies; only the layout reads the patient's text.
    InOwnFile(bool),
    /// The fields themselves, for a template written before that file existed (it reads
    /// `options.personal.patient`): its copies still print the patient, only slower.
    Inline(PersonalData<'a>),
}

/// What the care team adds to one patient's copy of a handout. It is data like the
/// article (the template prints it as text), typeset in memory and never stored.
#[derive(Clone, Default)]
pub struct Personal {
    pub patient: String,
    pub clinician: String,
    pub note: String,
    /// The day the copy is printed, printed on every page with the patient's name. It
    /// is part of the request (the desk and `handouts print` give today), never read
    /// from the clock here: the same request gives the same PDF.
    pub printed: Option<time::Date>,
}

/// What the template reads from `/_handouts/personal.json` (or `options.personal`):
/// the fields as typed, and the print date as the handout's language writes it
/// ("Printed December 7, 2026", `printed-on` in templates/labels.toml), or `""`.
#[derive(Serialize)]
pub(super) struct PersonalData<'a> {
    patient: &'a str,
    clinician: &'a str,
    note: &'a str,
    printed: String,
}

impl<'a> PersonalData<'a> {
    pub(super) fn new(personal: &'a Personal, labels: &crate::labels::Labels) -> PersonalData<'a> {
        let printed = personal.printed.map_or_else(String::new, |date| {
            let day =
                labels.human_date(date.year(), u32::from(u8::from(date.month())), u32::from(date.day()));
            labels.text("printed-on").replace("{date}", &day)
        });
        PersonalData {
            patient: &personal.patient,
            clinician: &personal.clinician,
            note: &personal.note,
            printed,
        }
    }
}

/// Never prints the values, as [`Personal`]'s.
impl std::fmt::Debug for PersonalData<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PersonalData { .. }")
    }
}

/// Never prints the values: a `{:?}` in a log line must not leak a patient's name.
impl std::fmt::Debug for Personal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Personal { .. }")
    }
}

impl Typesetter {
    /// [`Typesetter::prepare`] for one patient's copy: `personal` goes to the template
    /// as data, `paper` overrides the configured paper.
    pub(super) fn prepare_personal(
        &self,
        article: &Article,
        variant: Variant,
        paper: Option<Paper>,
        personal: &Personal,
    ) -> Result<HandoutInputs> {
        let pictures = self.pictures.pictures(article)?;
        self.prepare_with_logo(article, variant, self.logo_vpath.as_deref(), &pictures, paper, Some(personal))
    }

    /// Typesets one patient's copy of `article` (`paper` overrides the configured
    /// paper), then evicts from typst's memoized results everything that copy alone
    /// left there: comemo keeps them process-wide, and what holds the patient's text must
    /// not stay in memory, nor make it grow request after request.
    ///
    /// Clearing the whole cache would make every request a cold compile (the template,
    /// the fonts' shaping, every paragraph). Instead every result is aged by one, a copy
    /// with a placeholder in place of the patient's text is laid out, and what it did not
    /// use is evicted. A result built from the patient's text can only be hit by a
    /// compile that reads that same text, so the placeholder never keeps one alive; what
    /// both copies share (the template, the article, the paragraphs) is young again and
    /// stays warm for the next request. The placeholder differs every time: a copy equal
    /// to the last one would hit only its top-level result, and the results inside it
    /// would age out. With several requests at once, each request's own results are gone
    /// by the end of its own eviction, since nothing but its compile ever hits them.
    ///
    /// One copy forgets at a time, and while no other copy is being made
    /// ([`FORGETTING`]).
    ///
    /// The patient's fields reach typst in their own file, which the template reads only
    /// while laying out: evaluating the template (16 % of a copy's instructions before,
    /// bench/RESULTS.md) is the same for every patient and never repeated.
    ///
    /// `deliver` gets the PDF as soon as it is made, before the eviction (the desk sends
    /// it to the browser while this thread forgets the patient); what it returns is
    /// returned after the eviction.
    pub fn typeset_personal<T>(
        &self,
        article: &Article,
        variant: Variant,
        paper: Option<Paper>,
        personal: &Personal,
        deliver: impl FnOnce(Result<Pdf>) -> T,
    ) -> T {
        static PLACEHOLDERS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let delivered = {
            let _compiling = FORGETTING.read().unwrap_or_else(std::sync::PoisonError::into_inner);
            match self.prepare_personal(article, variant, paper, personal) {
                Ok(inputs) => {
                    let pdf = self.typeset(&inputs);
                    drop(inputs);
                    deliver(pdf)
                }
                Err(err) => deliver(Err(err)),
            }
        };
        let n = PLACEHOLDERS.fetch_add(1, std::sync::atomic::Ordering::Relaxed).to_string();
        let placeholder =
            Personal { patient: n.clone(), clinician: n.clone(), note: n, printed: personal.printed };
        let _forgetting = FORGETTING.write().unwrap_or_else(std::sync::PoisonError::into_inner);
        typst::comemo::evict(usize::MAX);
        // Should the placeholder fail, the patient's results are evicted all the same:
        // only the shared ones miss out on staying warm.
        if let Ok(inputs) = self.prepare_personal(article, variant, paper, &placeholder) {
            let _ = self.layout(&inputs);
        }
        typst::comemo::evict(1);
        delivered
    }
}
