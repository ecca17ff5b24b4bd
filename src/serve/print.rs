//! Print for one patient: the handout with the patient's name, the clinician and a note,
//! only the sections the care team ticked, typeset in memory; or several handouts as one
//! packet ([`typeset_packet`]). Shared by `handouts serve` (`POST /print/<id>`) and
//! `handouts print`.
//!
//! Nothing here writes, caches or logs the patient's data: it goes to the template as
//! data ([`Personal`]), the PDF's metadata comes from the article and the brand only,
//! and typst's memoized results are evicted after every compile
//! ([`Typesetter::typeset_personal`]).

use std::ops::Range;

use crate::config::Paper;
use crate::labels::{LabelTable, Labels};
use crate::model::{Article, Block, plain_text};
use crate::typeset::{PaperSides, Personal, Typesetter, Variant};

/// The longest patient name and clinician, in characters.
pub const MAX_NAME: usize = 100;
/// The longest note, in characters.
pub const MAX_NOTE: usize = 1000;

/// A top-level section of an article: a heading of the article's highest heading level
/// and everything up to the next one.
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    /// Its place among the sections, from 0: the form's field value. People see
    /// [`Section::number`] and the title.
    pub index: usize,
    pub title: String,
    /// A section with an action-step heading ("When to call"), or one inside it: it is
    /// always printed.
    pub safety: bool,
    blocks: Range<usize>,
}

impl Section {
    /// Its number as `handouts sections` lists it and `--section` takes it: from 1.
    pub fn number(&self) -> usize {
        self.index + 1
    }
}

/// The section `wanted` names, by its [`Section::number`] (from 1) or its title (case
/// and surrounding spaces aside): its [`Section::index`], or a message for clinic staff
/// that lists the sections.
pub fn find_section(sections: &[Section], wanted: &str) -> Result<usize, String> {
    let wanted = wanted.trim();
    let by_number = wanted.parse::<usize>().ok().and_then(|n| sections.iter().find(|s| s.number() == n));
    let by_title = || sections.iter().find(|s| s.title.trim().to_lowercase() == wanted.to_lowercase());
    if let Some(section) = by_number.or_else(by_title) {
        return Ok(section.index);
    }
    if sections.is_empty() {
        return Err(format!("there is no section \"{wanted}\": this handout has no sections"));
    }
    let list: Vec<String> = sections.iter().map(|s| format!("{} \"{}\"", s.number(), s.title)).collect();
    Err(format!("there is no section \"{wanted}\"; give a number or a name: {}", list.join(", ")))
}

/// The article's top-level sections. Blocks before the first heading are not a section:
/// they are always printed.
pub fn sections(article: &Article, labels: &LabelTable) -> Vec<Section> {
    let top = article
        .blocks
        .iter()
        .filter_map(|block| match block {
            Block::Heading { level, .. } => Some(*level),
            _ => None,
        })
        .min();
    let Some(top) = top else { return Vec::new() };
    let actions = crate::labels::action_sections(article, labels);
    let starts: Vec<usize> = article
        .blocks
        .iter()
        .enumerate()
        .filter(|(_, block)| matches!(block, Block::Heading { level, .. } if *level == top))
        .map(|(i, _)| i)
        .collect();
    starts
        .iter()
        .enumerate()
        .map(|(index, &start)| {
            let end = starts.get(index + 1).copied().unwrap_or(article.blocks.len());
            let title = match &article.blocks[start] {
                Block::Heading { content, .. } => crate::render::xml::one_line(&plain_text(content)),
                _ => String::new(),
            };
            Section {
                index,
                title,
                safety: actions.iter().any(|a| (start..end).contains(a)),
                blocks: start..end,
            }
        })
        .collect()
}

/// The version of `article` in the language `lang` (a checked tag): the article itself
/// or one of its translations in `articles`, the batch that linked them. The same tag
/// wins (case aside), else the first with the same primary language (`es` finds
/// `es-MX`). `None` when there is none.
pub fn in_language<'a>(article: &'a Article, articles: &'a [Article], lang: &str) -> Option<&'a Article> {
    let versions: Vec<&Article> = std::iter::once(article)
        .chain(
            article.meta.translations.iter().filter_map(|t| articles.iter().find(|other| other.id == t.id)),
        )
        .collect();
    let primary = |tag: &str| tag.split('-').next().unwrap_or(tag).to_ascii_lowercase();
    versions
        .iter()
        .find(|version| version.meta.lang.eq_ignore_ascii_case(lang))
        .or_else(|| versions.iter().find(|version| primary(&version.meta.lang) == primary(lang)))
        .copied()
}

/// The languages `article` can be printed in, as `en (its id), es (…)`, for an error.
pub fn languages_line(article: &Article) -> String {
    std::iter::once((&article.meta.lang, &article.id))
        .chain(article.meta.translations.iter().map(|t| (&t.lang, &t.id)))
        .map(|(lang, id)| format!("{lang} ({id})"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// What the care team asked for.
#[derive(Debug, Clone, Default)]
pub struct Request {
    pub personal: Personal,
    /// The sections to print, by [`Section::index`]; `None` prints them all. Safety
    /// sections are printed whether listed or not.
    pub sections: Option<Vec<usize>>,
    pub large_print: bool,
    /// `None` keeps the configured paper.
    pub paper: Option<Paper>,
}

/// A field the care team must change, and why, in plain words.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// The form field: `patient`, `clinician`, `note` or `section`.
    pub field: &'static str,
    pub message: String,
}

/// The request with its text cleaned (control characters dropped, line ends made
/// `\n`, the name and clinician on one line) and a print date (today's, in UTC, when
/// the request has none), or what is wrong with it, in the words of `labels` (the
/// handout's language). Lengths are counted in characters after cleaning.
pub fn check(mut request: Request, sections: &[Section], labels: &Labels) -> Result<Request, Vec<Problem>> {
    let personal = &mut request.personal;
    personal.printed = personal.printed.or_else(|| Some(time::OffsetDateTime::now_utc().date()));
    personal.patient = one_line(&personal.patient);
    personal.clinician = one_line(&personal.clinician);
    personal.note = note_text(&personal.note);
    let mut problems = Vec::new();
    for (field, text, max, label) in [
        ("patient", &personal.patient, MAX_NAME, "desk-patient"),
        ("clinician", &personal.clinician, MAX_NAME, "desk-clinician"),
        ("note", &personal.note, MAX_NOTE, "care-team-notes"),
    ] {
        let length = text.chars().count();
        if length > max {
            let message = labels
                .text("desk-too-long")
                .replace("{field}", labels.text(label))
                .replace("{length}", &length.to_string())
                .replace("{max}", &max.to_string());
            problems.push(Problem { field, message });
        }
    }
    if let Some(wanted) = &request.sections
        && let Some(unknown) = wanted.iter().find(|&&i| i >= sections.len())
    {
        let message = labels
            .text("desk-no-section")
            .replace("{number}", &(unknown + 1).to_string())
            .replace("{count}", &sections.len().to_string());
        problems.push(Problem { field: "section", message });
    }
    if problems.is_empty() { Ok(request) } else { Err(problems) }
}

fn one_line(text: &str) -> String {
    text.split(|c: char| c.is_whitespace() || c.is_control())
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn note_text(text: &str) -> String {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let lines: Vec<String> = text
        .split('\n')
        .map(|line| line.chars().filter(|c| !c.is_control() || *c == '\t').collect::<String>())
        .map(|line| line.trim_end().to_string())
        .collect();
    lines.join("\n").trim().to_string()
}

/// The article with only the wanted sections (and every safety section).
pub fn select(article: &Article, sections: &[Section], wanted: Option<&[usize]>) -> Article {
    let Some(wanted) = wanted else { return article.clone() };
    let dropped: Vec<&Range<usize>> =
        sections.iter().filter(|s| !s.safety && !wanted.contains(&s.index)).map(|s| &s.blocks).collect();
    let mut copy = article.clone();
    copy.blocks = article
        .blocks
        .iter()
        .enumerate()
        .filter(|(i, _)| !dropped.iter().any(|range| range.contains(i)))
        .map(|(_, block)| block.clone())
        .collect();
    copy
}

/// Typesets one patient's copy of `article`; the request must have passed [`check`].
/// `deliver` gets the PDF's bytes as soon as they are made; what it returns is returned
/// once typst has forgotten the patient ([`Typesetter::typeset_personal`]).
pub fn typeset<T>(
    typesetter: &Typesetter,
    labels: &LabelTable,
    article: &Article,
    request: &Request,
    deliver: impl FnOnce(crate::Result<Vec<u8>>) -> T,
) -> T {
    let sections = sections(article, labels);
    let article = select(article, &sections, request.sections.as_deref());
    let variant = if request.large_print { Variant::LargePrint } else { Variant::Regular };
    typesetter.typeset_personal(&article, variant, request.paper, &request.personal, |pdf| {
        deliver(pdf.map(|pdf| pdf.bytes))
    })
}

/// The most handouts in one packet: each place in a packet costs typst a name of the
/// template it keeps for the life of the process (`Typesetter::typeset_packet`).
pub const MAX_PACKET: usize = 20;

/// One handout of a packet, as the care team chose it.
#[derive(Debug, Clone)]
pub struct PacketItem<'a> {
    /// The article in the language to print (see [`in_language`]).
    pub article: &'a Article,
    /// As [`Request::sections`]: `None` prints them all, safety sections always.
    pub sections: Option<Vec<usize>>,
}

/// Typesets one patient's packet of `items` (see [`Typesetter::typeset_packet`]):
/// `request` gives the patient's fields, the print date, large print and paper (its
/// `sections` are ignored: each item has its own) and must have passed [`check`], as
/// must each item's sections against that article's. `deliver` gets the PDF's bytes as
/// soon as they are made; what it returns is returned once typst has forgotten the
/// patient.
pub fn typeset_packet<T>(
    typesetter: &Typesetter,
    labels: &LabelTable,
    items: &[PacketItem],
    request: &Request,
    sides: PaperSides,
    deliver: impl FnOnce(crate::Result<Vec<u8>>) -> T,
) -> T {
    if items.len() > MAX_PACKET {
        return deliver(Err(crate::Error::usage(format!(
            "a packet holds at most {MAX_PACKET} handouts; this one has {}: print it as two",
            items.len()
        ))));
    }
    let articles: Vec<Article> = items
        .iter()
        .map(|item| select(item.article, &sections(item.article, labels), item.sections.as_deref()))
        .collect();
    let variant = if request.large_print { Variant::LargePrint } else { Variant::Regular };
    typesetter.typeset_packet(&articles, variant, request.paper, &request.personal, sides, |packet| {
        deliver(packet.map(|packet| packet.bytes))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article() -> Article {
        let text = "---\ntitle: T\n---\nIntro.\n\n## Food\n\nEat well.\n\n### Fruit\n\nApples.\n\n\
                    ## When to call your doctor\n\nFever.\n\n## Rest\n\nSleep.\n";
        crate::ingest::ingest_bytes(std::path::Path::new("a.md"), text.as_bytes()).unwrap()
    }

    #[test]
    fn sections_are_top_level_headings_and_safety_ones_always_stay() {
        let labels = LabelTable::load(None).unwrap();
        let article = article();
        let sections = sections(&article, &labels);
        let titles: Vec<_> = sections.iter().map(|s| (s.title.as_str(), s.safety)).collect();
        assert_eq!(titles, [("Food", false), ("When to call your doctor", true), ("Rest", false)]);
        let only_rest = select(&article, &sections, Some(&[2]));
        let text: Vec<String> = only_rest
            .blocks
            .iter()
            .filter_map(|b| match b {
                Block::Paragraph { content, .. } | Block::Heading { content, .. } => {
                    Some(plain_text(content))
                }
                _ => None,
            })
            .collect();
        assert_eq!(text, ["Intro.", "When to call your doctor", "Fever.", "Rest", "Sleep."]);
        assert_eq!(select(&article, &sections, None), article);
    }

    /// The paste of issue 23: one line per paragraph, no blank lines, the safety heading
    /// right after an unmarked list. It must be a section the desk always prints.
    #[test]
    fn a_pasted_when_to_call_after_a_list_is_a_section_the_desk_always_prints() {
        let labels = LabelTable::load(None).unwrap();
        for (name, text, heading) in [
            (
                "a.txt",
                "Foot care\nCheck your feet every day after your bath, and look between your toes too.\nWatch for these signs:\nRedness\nSwelling\nA cut that does not heal\nNumbness\nWhen to call your doctor\nCall us the same day if you see any of these signs.",
                "When to call your doctor",
            ),
            (
                "b.txt",
                "Cuidado de los pies\nRevise sus pies todos los días después del baño y mire entre los dedos.\nFíjese en estas señales:\nEnrojecimiento\nHinchazón\nUna herida que no sana\nCUANDO LLAMAR AL 911\nLlame si tiene dolor en el pecho o le falta el aire.",
                "Cuando llamar al 911",
            ),
        ] {
            let article = crate::ingest::ingest_bytes(std::path::Path::new(name), text.as_bytes()).unwrap();
            let sections = sections(&article, &labels);
            let safety: Vec<&str> = sections.iter().filter(|s| s.safety).map(|s| s.title.as_str()).collect();
            assert_eq!(safety, [heading], "{name}");
            // Asking for no section at all still prints it.
            let none = select(&article, &sections, Some(&[]));
            assert!(
                none.blocks
                    .iter()
                    .any(|b| matches!(b, Block::Heading { content, .. } if plain_text(content) == heading)),
                "{name}"
            );
        }
    }

    #[test]
    fn a_section_is_found_by_its_number_from_one_or_its_name() {
        let labels = LabelTable::load(None).unwrap();
        let sections = sections(&article(), &labels);
        assert_eq!(find_section(&sections, "1"), Ok(0));
        assert_eq!(find_section(&sections, " rest "), Ok(2));
        assert_eq!(find_section(&sections, "WHEN TO CALL YOUR DOCTOR"), Ok(1));
        let unknown = find_section(&sections, "0").unwrap_err();
        assert_eq!(
            unknown,
            "there is no section \"0\"; give a number or a name: 1 \"Food\", 2 \"When to call your doctor\", 3 \"Rest\""
        );
        assert!(find_section(&[], "Food").unwrap_err().contains("no sections"));
    }

    #[test]
    fn a_request_without_a_date_is_printed_with_today() {
        let english = LabelTable::load(None).unwrap().for_lang("en");
        let checked = check(Request::default(), &[], &english).unwrap();
        assert_eq!(checked.personal.printed, Some(time::OffsetDateTime::now_utc().date()));
        let day = time::Date::from_calendar_date(2026, time::Month::December, 7).ok();
        let given =
            Request { personal: Personal { printed: day, ..Personal::default() }, ..Request::default() };
        assert_eq!(check(given, &[], &english).unwrap().personal.printed, day, "a date given is kept");
    }

    #[test]
    fn a_language_picks_the_article_or_one_of_its_translations() {
        let ingest = |path: &str, text: &str| {
            crate::ingest::ingest_bytes(std::path::Path::new(path), text.as_bytes()).unwrap()
        };
        let mut articles = vec![
            ingest("a.md", "---\ntitle: Feet\nlang: en\n---\nText."),
            ingest("b.md", "---\ntitle: Pies\nlang: es-MX\ntranslation-key: feet\n---\nTexto."),
            ingest("c.md", "---\ntitle: Other\nlang: fr\n---\nTexte."),
        ];
        crate::ingest::link_translations(&mut articles, true, |_| None);
        let english = &articles[0];
        let id = |lang: &str| in_language(english, &articles, lang).map(|a| a.id.as_str());
        assert_eq!(id("en"), Some("feet"));
        assert_eq!(id("es-mx"), Some("pies"));
        assert_eq!(id("es"), Some("pies"), "the primary language finds es-MX");
        assert_eq!(id("fr"), None, "a French article that is no translation is not one");
        assert_eq!(in_language(&articles[1], &articles, "en").map(|a| a.id.as_str()), Some("feet"));
        assert_eq!(languages_line(english), "en (feet), es-MX (pies)");
    }

    #[test]
    fn overlong_fields_and_unknown_sections_are_refused_in_plain_words() {
        let request = Request {
            personal: Personal {
                patient: "x".repeat(MAX_NAME + 1),
                clinician: "Dr A".into(),
                note: "n".into(),
                ..Personal::default()
            },
            sections: Some(vec![7]),
            ..Request::default()
        };
        let spanish = LabelTable::load(None).unwrap().for_lang("es");
        let problems = check(request.clone(), &[], &spanish).unwrap_err();
        assert!(
            problems[0].message.starts_with("Nombre del paciente: 101 caracteres"),
            "{}",
            problems[0].message
        );
        let problems = check(request, &[], &LabelTable::load(None).unwrap().for_lang("en")).unwrap_err();
        let fields: Vec<_> = problems.iter().map(|p| p.field).collect();
        assert_eq!(fields, ["patient", "section"]);
        assert!(problems[0].message.contains("at most 100"), "{}", problems[0].message);
    }

    #[test]
    fn text_is_cleaned_before_it_is_counted() {
        let request = Request {
            personal: Personal {
                patient: "  Ana\u{0}\n María ".into(),
                clinician: "Dr\tB".into(),
                note: "line one\r\nline two\u{7}  \n".into(),
                ..Personal::default()
            },
            ..Request::default()
        };
        let checked = check(request, &[], &LabelTable::load(None).unwrap().for_lang("en")).unwrap();
        assert_eq!(checked.personal.patient, "Ana María");
        assert_eq!(checked.personal.clinician, "Dr B");
        assert_eq!(checked.personal.note, "line one\nline two");
    }
}
