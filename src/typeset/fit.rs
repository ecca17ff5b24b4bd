//! The fitting policy: the layouts tried until a handout fits its pages (`Fit`), what
//! text stays together on a page (`KeepTogether`), the closing parts' height, and the
//! layout loop that tries them.

use super::*;

/// How far a handout's layout is tightened: a spacing factor (1 is the template's
/// design) and a body size in points (`None` keeps the design's size). The template
/// reads it as `options.fit`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub(super) struct Fit {
    spacing: f64,
    size: Option<f64>,
    /// `false` leaves out the questions box: the last resort when even a squeezed box
    /// would stand alone on a page.
    questions: bool,
    /// The QR code, the web address, the website (and the disclaimer without a QR
    /// code) in a column beside the questions box, not under it.
    side_column: bool,
}

impl Fit {
    pub(super) const DESIGNED: Fit = Fit { spacing: 1.0, size: None, questions: true, side_column: false };
    const fn tighter(spacing: f64, size: Option<f64>) -> Fit {
        Fit { spacing, size, questions: true, side_column: false }
    }
    const fn without_questions(spacing: f64) -> Fit {
        Fit { spacing, size: None, questions: false, side_column: false }
    }
    const fn side_column(self) -> Fit {
        Fit { side_column: true, ..self }
    }
}

/// The layouts tried, in order, until a handout fits its `max-pages` with no page that
/// holds only the closing parts: tighter spacing first, then smaller body text down
/// to 11 pt, then the closing parts in two columns. Large print is never made
/// smaller (nor set in two columns): it gets more pages instead.
pub(super) const REGULAR_FITS: &[Fit] = &[
    Fit::DESIGNED,
    Fit::tighter(0.9, None),
    Fit::tighter(0.8, None),
    Fit::tighter(0.8, Some(12.0)),
    Fit::tighter(0.8, Some(11.5)),
    Fit::tighter(0.8, Some(11.0)),
    Fit::tighter(0.8, Some(11.0)).side_column(),
    Fit::without_questions(0.9),
];

pub(super) const LARGE_PRINT_FITS: &[Fit] =
    &[Fit::DESIGNED, Fit::tighter(0.9, None), Fit::tighter(0.8, None), Fit::without_questions(0.9)];

/// Changes when the choice of layout changes, so handouts made by an older policy are
/// made again (it is in every handout's fingerprint).
pub(super) const FIT_POLICY: u32 = 4;

/// A tightening tried to set a handout on one page fewer, with how much of its height
/// it typically leaves: the share of the article's flowed height at the designed layout
/// (the median over the bench corpus and tests/layout's handouts, bench/RESULTS.md).
/// From the first layout, that tells which tightening can save the page without
/// compiling the others to find out.
#[derive(Debug, Clone, Copy)]
pub(super) struct OnePageFit {
    pub(super) fit: Fit,
    flowed: f64,
}

/// Tightenings a short two-page handout may take to fit one page: spacing down to 0.8
/// and body text down to 11.5 pt in regular print (the designer's floor); large print
/// keeps its 18 pt and only tightens its spacing.
/// The last try also sets the closing parts in two columns (`Fit::side_column`), which
/// saves their height rather than the article's.
pub(super) const ONE_PAGE_FITS_REGULAR: &[OnePageFit] = &[
    OnePageFit { fit: Fit::tighter(0.9, None), flowed: 0.957 },
    OnePageFit { fit: Fit::tighter(0.8, None), flowed: 0.923 },
    OnePageFit { fit: Fit::tighter(0.8, Some(11.5)), flowed: 0.855 },
    OnePageFit { fit: Fit::tighter(0.8, Some(11.5)).side_column(), flowed: 0.855 },
];
/// Large print has no room for two columns: its questions box would be too narrow to
/// write in, its heading on two lines.
pub(super) const ONE_PAGE_FITS_LARGE: &[OnePageFit] = &[
    OnePageFit { fit: Fit::tighter(0.9, None), flowed: 0.952 },
    OnePageFit { fit: Fit::tighter(0.8, None), flowed: 0.919 },
];
/// How much more a tightening may shrink a handout than it typically does, as a share
/// of the flowed height: a try whose page the typical shrinking misses by less is
/// compiled all the same (short articles and ones with much spacing shrink more; on the
/// measured handouts no page was lost with this margin, bench/RESULTS.md).
pub(super) const ONE_PAGE_MARGIN: f64 = 0.03;

/// Whether `fit` may set a handout laid out as `flow` on one page fewer: its article,
/// shrunk as `fit` typically shrinks it, and its shortest closing parts (`closing`, in
/// points, with `fit`) within the pages before the last. Page breaks waste some of
/// that room, so a `true` is only worth a compile; a `false` is a try not made.
pub(super) fn may_save_page(flow: &super::flow::Flow, fit: &OnePageFit, closing: f64) -> bool {
    let pages = flow.filled.len();
    let total = flow.total();
    if pages < 2 || total <= 0.0 {
        return true;
    }
    let room = (pages - 1) as f64 * flow.body - closing;
    room / total >= fit.flowed - ONE_PAGE_MARGIN
}

/// A last page whose article ends this far down (a share of the page's height, with
/// the top margin: about five lines of body text) is tried on one page fewer: the
/// tightenings gain about a tenth of each page, room for those lines and the closing
/// parts once there are two pages or more before it.
pub(super) const LITTLE_ON_LAST_PAGE: f64 = 0.2;
/// Longest article tried on one page: a page holds about 450 words of body text in
/// regular print and 200 in large print with the closing parts, so longer ones cannot
/// fit and are not compiled again.
pub(super) const ONE_PAGE_WORDS_REGULAR: usize = 320;
pub(super) const ONE_PAGE_WORDS_LARGE: usize = 140;

/// How much text the template keeps on one page, in words: deciding it here from the
/// article costs nothing, where measuring the laid-out blocks in the template cost a
/// tenth of every compile (bench/RESULTS.md). About half a page may move to the next
/// page with the closing parts; a "when to call" box longer than about two thirds of a
/// page may break.
#[derive(Debug, Clone, Copy)]
pub(super) struct KeepTogether {
    glue_words: usize,
    unbroken_words: usize,
}

impl KeepTogether {
    pub(super) fn for_variant(variant: Variant) -> KeepTogether {
        match variant {
            Variant::Regular => KeepTogether { glue_words: 220, unbroken_words: 300 },
            Variant::LargePrint => KeepTogether { glue_words: 110, unbroken_words: 120 },
        }
    }

    /// The last top-level block, or the whole last section when it is an action box.
    pub(super) fn glues_last(self, article: &Article, actions: &[usize]) -> bool {
        let last_heading =
            article.blocks.iter().rposition(|b| matches!(b, crate::model::Block::Heading { .. }));
        let last = match last_heading.filter(|index| actions.contains(index)) {
            Some(start) => &article.blocks[start..],
            None => article.blocks.last().map(std::slice::from_ref).unwrap_or_default(),
        };
        words_in(last) <= self.glue_words
    }

    pub(super) fn long_actions(self, article: &Article, actions: &[usize]) -> Vec<usize> {
        actions
            .iter()
            .copied()
            .filter(|&start| {
                let end = article.blocks[start + 1..]
                    .iter()
                    .position(|b| matches!(b, crate::model::Block::Heading { .. }))
                    .map_or(article.blocks.len(), |offset| start + 1 + offset);
                words_in(&article.blocks[start..end]) > self.unbroken_words
            })
            .collect()
    }
}

pub(super) fn words_in(blocks: &[crate::model::Block]) -> usize {
    let mut words = 0;
    for_each_inlines(blocks, 0, &mut |inlines, _| {
        words += crate::model::plain_text(inlines).split_whitespace().count();
    });
    words
}

/// Where the template marks the end of the article, before the closing parts.
pub(super) const ARTICLE_END_LABEL: &str = "article-end";

/// The template's label for the closing parts' height when `measure_closing` is set.
pub(super) const CLOSING_SHORTEST_LABEL: &str = "closing-shortest";

/// How far down its page the article ends (0 at the top, 1 at the foot), when it ends on
/// the document's last page; `None` otherwise or when the template does not say.
pub(super) fn article_end_on_last_page(document: &PagedDocument) -> Option<f64> {
    let last = document.pages().last()?;
    article_end_y(document).map(|y| y / last.frame.height().to_pt())
}

/// Where the article ends on the document's last page, in points from the page's top.
pub(super) fn article_end_y(document: &PagedDocument) -> Option<f64> {
    let location = labelled(document, ARTICLE_END_LABEL)?.location()?;
    let position = document.introspector().position(location)?;
    (position.page.get() == document.pages().len()).then(|| position.point.y.to_pt())
}

/// Whether the closing parts (everything after the template's `<article-end>` label)
/// start on a page after the article's last: a page holding nothing of the article. A
/// template without the label is not checked.
pub(super) fn closing_parts_alone(document: &PagedDocument) -> bool {
    use typst::introspection::Introspector;
    let Some(location) = labelled(document, ARTICLE_END_LABEL).and_then(|end| end.location()) else {
        return false;
    };
    document.introspector().page(location).is_some_and(|page| page.get() < document.pages().len())
}

/// The element the template marked with `<name>`, if there is exactly one.
pub(super) fn labelled<'a>(
    document: &'a PagedDocument,
    name: &str,
) -> Option<&'a typst::foundations::Content> {
    use typst::introspection::Introspector;
    let label = typst::foundations::Label::new(typst::utils::PicoStr::intern(name))?;
    let introspector: &dyn Introspector = document.introspector().as_ref();
    introspector.query_label(label).ok()
}

/// Whether any text the template makes breakable (title, summary, body text) has a
/// run of [`LONG_RUN`] or more characters without whitespace. The template's own test is
/// narrower (letters, marks and digits), so this never misses a run it would break.
pub(super) fn has_long_run(article: &Article) -> bool {
    fn long(text: &str) -> bool {
        text.split(char::is_whitespace).any(|word| word.len() >= LONG_RUN && word.chars().count() >= LONG_RUN)
    }
    fn in_inlines(inlines: &[Inline]) -> bool {
        inlines.iter().any(|inline| match inline {
            Inline::Text { text } => long(text),
            Inline::Strong { content } | Inline::Emphasis { content } | Inline::Link { content, .. } => {
                in_inlines(content)
            }
            Inline::Code { .. } | Inline::LineBreak => false,
        })
    }
    let mut found = false;
    for_each_inlines(&article.blocks, 0, &mut |inlines, _| found = found || in_inlines(inlines));
    long(&article.meta.title) || article.meta.summary.as_deref().is_some_and(long) || found
}

/// The shortest run the template breaks (`long-run` in templates/handout.typ).
pub(super) const LONG_RUN: usize = 30;

impl Typesetter {
    /// The height in points of the shortest closing parts (the questions box with its
    /// fewest writing lines, the QR code, the website and the disclaimer), which the template
    /// needs twice per compile (bench/RESULTS.md: measuring it was 5 % of a build).
    /// It is the same for every handout with the same options, language and kind of
    /// web address, so it is measured once per build for each: by compiling the
    /// template with an empty article (and a made-up short address, or the long one),
    /// so that the value depends on nothing else and every build gives the same PDFs
    /// whichever handout comes first. `None` (the template then measures) if that
    /// compile fails.
    pub(super) fn closing_height(&self, inputs: &HandoutInputs, options: &serde_json::Value) -> Option<f64> {
        #[cfg(test)]
        if !self.share_closing_height {
            return None;
        }
        let mut measured = options.clone();
        for per_article in ["actions", "long_actions", "glue_last", "max_pages", "personal", "reviewed"] {
            if let Some(fields) = measured.as_object_mut() {
                fields.remove(per_article);
            }
        }
        measured["measure_closing"] = serde_json::json!(true);
        let measured = measured.to_string();
        let key = typst::utils::hash128(&(&measured, &inputs.closing_key));
        let mut heights = self.closing_heights.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(height) = heights.get(&key) {
            return *height;
        }
        let (lang, url) = &inputs.closing_key;
        let url = match url {
            ClosingUrl::None => None,
            ClosingUrl::Short => Some(format!("https://example.org/{}", "m".repeat(SHORT_URL - 20))),
            ClosingUrl::Long(url) => Some(url.clone()),
        };
        let article = Article {
            schema: crate::model::SCHEMA_VERSION,
            id: "closing-parts".into(),
            source: "(closing parts)".into(),
            meta: crate::model::Meta {
                title: "Closing parts".into(),
                lang: lang.clone(),
                url,
                ..Default::default()
            },
            blocks: Vec::new(),
            removed: Vec::new(),
            stats: None,
            warnings: Vec::new(),
        };
        let qr = article.meta.url.as_deref().and_then(qr_svg).map(|(svg, _)| Bytes::new(svg.into_bytes()));
        let height = serde_json::to_vec(&article).ok().and_then(|article_json| {
            let world = HandoutWorld {
                shared: &self.shared,
                article_json: Bytes::new(article_json),
                options_json: Bytes::new(measured.into_bytes()),
                qr_svg: qr,
                personal_json: None,
                pictures: &[],
                today: None,
                main: self.shared.main,
            };
            let document = typst::compile::<PagedDocument>(&world).output.ok()?;
            let element = labelled(&document, CLOSING_SHORTEST_LABEL)?;
            match &element.to_packed::<typst::introspection::MetadataElem>()?.value {
                typst::foundations::Value::Float(points) => Some(*points),
                _ => None,
            }
        });
        heights.insert(key, height);
        height
    }

    /// Lays out one handout: the designed layout, then tighter ones while it is over its
    /// `max-pages` or its closing parts stand alone (see [`Typesetter::typeset`]).
    pub(super) fn layout(&self, inputs: &HandoutInputs) -> Result<PagedDocument> {
        let fits = match inputs.variant {
            Variant::Regular => REGULAR_FITS,
            Variant::LargePrint => LARGE_PRINT_FITS,
        };
        let mut best: Option<(PagedDocument, (usize, bool))> = None;
        for &fit in fits {
            // Smaller text is only for keeping within max-pages.
            if fit.size.is_some() && inputs.max_pages.is_none() {
                continue;
            }
            let document = self.compile_with(inputs, fit)?;
            let pages = document.pages().len();
            let over = inputs.max_pages.is_some_and(|max| pages > max);
            let alone = closing_parts_alone(&document);
            // Fewer pages over the limit first, then no loose last page; the least
            // tightened layout wins a tie.
            let badness = (if over { pages } else { 0 }, alone);
            let better = best.as_ref().is_none_or(|(_, best)| badness < *best);
            if better {
                best = Some((document, badness));
            }
            if badness == (0, false) {
                break;
            }
        }
        let best = best.map(|(document, _)| document).ok_or_else(|| Error::Template {
            article: Some(inputs.source.clone()),
            message: "no layout to try".into(),
        })?;
        self.on_fewer_pages(inputs, best)
    }

    /// Fewest sheets first: a handout the layout above sets on one page more than it
    /// might is set on one page fewer when tightening within what a designer accepts
    /// gets it there (see [`ONE_PAGE_FITS_REGULAR`]): a short handout on two pages, or
    /// one whose last page holds only a few lines of the article before the closing
    /// parts ([`LITTLE_ON_LAST_PAGE`]). Others are not compiled again, nor is a
    /// tightening the first layout shows cannot save the page ([`may_save_page`]). A
    /// `max-pages` article has had its say already.
    fn on_fewer_pages(&self, inputs: &HandoutInputs, document: PagedDocument) -> Result<PagedDocument> {
        let (fits, short) = match inputs.variant {
            Variant::Regular => (ONE_PAGE_FITS_REGULAR, ONE_PAGE_WORDS_REGULAR),
            Variant::LargePrint => (ONE_PAGE_FITS_LARGE, ONE_PAGE_WORDS_LARGE),
        };
        let pages = document.pages().len();
        let short_on_two = pages == 2 && inputs.words <= short;
        let little_on_last = pages >= 2
            && article_end_on_last_page(&document).is_some_and(|share| share <= LITTLE_ON_LAST_PAGE);
        if inputs.max_pages.is_some() || !(short_on_two || little_on_last) {
            return Ok(document);
        }
        // What the first layout fills of its pages: each tightening is tried only if it
        // may save the page, the least tightened first. A layout that cannot be measured
        // tries them all.
        let flow = article_end_y(&document).and_then(|end| super::flow::Flow::of(&document, end));
        for one_page in fits {
            let options = self.options_with(inputs, one_page.fit);
            if let (Some(flow), Some(closing)) = (&flow, options["closing_shortest"].as_f64())
                && !may_save_page(flow, one_page, closing)
            {
                continue;
            }
            let tighter = self.compile_options(inputs, options)?;
            if tighter.pages().len() < pages && !closing_parts_alone(&tighter) {
                return Ok(tighter);
            }
        }
        Ok(document)
    }

    /// The handout's options with `fit`, and the closing parts' height for them when
    /// it can be measured (`closing_shortest`).
    pub(super) fn options_with(&self, inputs: &HandoutInputs, fit: Fit) -> serde_json::Value {
        let mut options = inputs.options.clone();
        options["fit"] = serde_json::json!(fit);
        if let Some(height) = self.closing_height(inputs, &options) {
            options["closing_shortest"] = serde_json::json!(height);
        }
        options
    }

    /// One compile of the handout with `fit`.
    pub(super) fn compile_with(&self, inputs: &HandoutInputs, fit: Fit) -> Result<PagedDocument> {
        self.compile_options(inputs, self.options_with(inputs, fit))
    }

    /// One compile of the handout with `options` (see [`Typesetter::options_with`]).
    fn compile_options(&self, inputs: &HandoutInputs, options: serde_json::Value) -> Result<PagedDocument> {
        let options_json = Bytes::new(serde_json::to_vec(&options).unwrap_or_default());
        let world = HandoutWorld {
            shared: &self.shared,
            article_json: inputs.article_json.clone(),
            options_json,
            qr_svg: inputs.qr_svg.clone(),
            personal_json: inputs.personal_json.clone(),
            pictures: &inputs.pictures,
            today: inputs.date,
            main: inputs.main,
        };
        let warned = typst::compile::<PagedDocument>(&world);
        warned.output.map_err(|errors| self.template_error(&world, &errors, &inputs.source))
    }
}
