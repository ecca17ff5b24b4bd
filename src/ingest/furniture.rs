//! Page furniture: the lines of a web page around an article (menus, bylines, share
//! bars, cookie and newsletter boxes, related links, footers), told apart one line at a
//! time. Both readers use it: pastes line by line (`page.rs`), saved pages block by
//! block (`html/`), so each kind and its reason are written once.
//!
//! The vocabulary is data, `templates/furniture.toml`, one table per kind; the shapes
//! (breadcrumbs `A > B > C`, pipe menus, bylines "By Name", date lines, a writer's bio)
//! are rules here.

use std::collections::HashMap;
use std::sync::LazyLock;

use serde::Deserialize;

/// What a line of page furniture was, reported as the reason it was left out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Furniture {
    Navigation,
    Breadcrumbs,
    Byline,
    ReviewDate,
    ShareButtons,
    Advertising,
    CookieNotice,
    Newsletter,
    RelatedLinks,
    AuthorBio,
    Comments,
    Footer,
    PageTitle,
    ImageCredit,
    Feedback,
    /// A line with no letters or digits ("* * *", a code fence): a writer's separator as
    /// often as a site's, so it is no sign of a page around the article.
    Separator,
    /// Untagged, but outside the stretch that holds the article.
    OutsideArticle,
}

impl Furniture {
    pub fn reason(self) -> &'static str {
        match self {
            Furniture::Navigation => "site navigation",
            Furniture::Breadcrumbs => "breadcrumbs",
            Furniture::Byline => "byline",
            Furniture::ReviewDate => "review date",
            Furniture::ShareButtons => "share buttons",
            Furniture::Advertising => "advertising",
            Furniture::CookieNotice => "cookie notice",
            Furniture::Newsletter => "newsletter sign-up",
            Furniture::RelatedLinks => "related links",
            Furniture::AuthorBio => "author bio",
            Furniture::Comments => "comments",
            Furniture::Footer => "page footer",
            Furniture::PageTitle => "page title",
            Furniture::ImageCredit => "image credit",
            Furniture::Feedback => "feedback prompt",
            Furniture::Separator => "separator line without words",
            Furniture::OutsideArticle => "outside the article",
        }
    }

    /// Blocks that hold sentences of their own (comments, an author's bio): prose does
    /// not end them, when they come after most of the article.
    pub(crate) fn runs_through_prose(self) -> bool {
        matches!(self, Furniture::Comments | Furniture::AuthorBio)
    }

    /// Whether a one- or two-word line of this kind opens a run: "Related articles" does,
    /// a "Subscribe" or "Accept" button does not.
    pub(crate) fn opens_run_alone(self) -> bool {
        !matches!(self, Furniture::Newsletter | Furniture::CookieNotice)
    }

    /// How many lines after its opener a run of this kind covers at most: a newsletter
    /// box or cookie notice is a few lines, a list of related links can be long.
    pub(crate) fn max_run(self) -> Option<usize> {
        match self {
            Furniture::Newsletter | Furniture::CookieNotice => Some(4),
            _ => None,
        }
    }

    /// Tags whose line starts a block of furniture: the short lines after it belong to it.
    pub(crate) fn opens_run(self) -> bool {
        matches!(
            self,
            Furniture::RelatedLinks
                | Furniture::Newsletter
                | Furniture::CookieNotice
                | Furniture::Comments
                | Furniture::AuthorBio
        )
    }
}

/// The vocabulary shipped in the binary.
const BUILTIN: &str = include_str!("../../templates/furniture.toml");

/// `templates/furniture.toml` as written.
#[derive(Debug, Deserialize)]
struct Vocabulary {
    limits: Limits,
    #[serde(flatten)]
    kinds: std::collections::BTreeMap<Furniture, Phrases>,
}

/// How long a line may be for each kind of phrase to count.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Limits {
    /// A line's beginning ("written by") marks it only up to this many words.
    starts_max_words: usize,
    /// A phrase anywhere ("all rights reserved") marks a line only up to this many words:
    /// a paragraph that mentions one is still the article.
    contains_max_words: usize,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Phrases {
    #[serde(default)]
    lines: Vec<String>,
    #[serde(default)]
    starts: Vec<String>,
    #[serde(default)]
    contains: Vec<String>,
    /// Cookie notices only: words that, with "cookie", make a line a notice rather than
    /// a recipe.
    #[serde(default)]
    context: Vec<String>,
}

/// The vocabulary compiled once: a hash map for whole lines, and Aho-Corasick automata
/// for beginnings and phrases anywhere, so a line is scanned once however many phrases
/// there are (a 1 MiB paste stays linear and fast).
struct Tables {
    limits: Limits,
    exact: HashMap<String, Furniture>,
    prefixes: aho_corasick::AhoCorasick,
    prefix_kinds: Vec<Furniture>,
    contains: aho_corasick::AhoCorasick,
    contains_kinds: Vec<Furniture>,
    cookie_context: Vec<String>,
}

impl Tables {
    fn compile(vocabulary: Vocabulary) -> Result<Tables, String> {
        use aho_corasick::{AhoCorasick, MatchKind, StartKind};
        let mut exact = HashMap::new();
        let (mut prefixes, mut prefix_kinds, mut contains, mut contains_kinds) =
            (vec![], vec![], vec![], vec![]);
        let mut cookie_context = Vec::new();
        for (kind, phrases) in vocabulary.kinds {
            for line in phrases.lines {
                exact.insert(line, kind);
            }
            prefix_kinds.extend(std::iter::repeat_n(kind, phrases.starts.len()));
            prefixes.extend(phrases.starts);
            contains_kinds.extend(std::iter::repeat_n(kind, phrases.contains.len()));
            contains.extend(phrases.contains);
            cookie_context.extend(phrases.context);
        }
        // The longest phrase wins, so the order of kinds in the file does not matter.
        let prefixes = AhoCorasick::builder()
            .start_kind(StartKind::Anchored)
            .match_kind(MatchKind::LeftmostLongest)
            .build(&prefixes)
            .map_err(|e| e.to_string())?;
        let contains = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&contains)
            .map_err(|e| e.to_string())?;
        Ok(Tables {
            limits: vocabulary.limits,
            exact,
            prefixes,
            prefix_kinds,
            contains,
            contains_kinds,
            cookie_context,
        })
    }

    fn builtin() -> Result<Tables, String> {
        Tables::compile(toml::from_str(BUILTIN).map_err(|e| e.to_string())?)
    }
}

/// `None` only if the built-in file were broken, which a unit test rules out; the
/// readers then find no furniture and keep every line.
static TABLES: LazyLock<Option<Tables>> = LazyLock::new(|| Tables::builtin().ok());

/// The tag of one line, from the tables and the shapes of page furniture.
pub fn classify(text: &str) -> Option<Furniture> {
    let words = text.split_whitespace().count();
    let key = normalize(text);
    if key.is_empty() {
        // Only punctuation or symbols: a separator, an icon, a bullet with nothing after it.
        return Some(Furniture::Separator);
    }
    let tables = TABLES.as_ref()?;
    if let Some(&kind) = tables.exact.get(key.as_str()) {
        return Some(kind);
    }
    if words <= tables.limits.starts_max_words {
        let anchored = aho_corasick::Input::new(&key).anchored(aho_corasick::Anchored::Yes);
        if let Some(found) = tables.prefixes.find(anchored) {
            return tables.prefix_kinds.get(found.pattern().as_usize()).copied();
        }
        if is_byline(text, &key) {
            return Some(Furniture::Byline);
        }
        if is_date_line(&key) {
            return Some(Furniture::Byline);
        }
        if is_breadcrumb(text) {
            return Some(Furniture::Breadcrumbs);
        }
        if is_pipe_menu(text) {
            return Some(Furniture::ShareButtons);
        }
        if is_comment_count(&key) {
            return Some(Furniture::Comments);
        }
    }
    if words <= tables.limits.contains_max_words {
        if let Some(found) = tables.contains.find(&key) {
            return tables.contains_kinds.get(found.pattern().as_usize()).copied();
        }
        if key.contains("cookie") && tables.cookie_context.iter().any(|w| key.contains(w.as_str())) {
            return Some(Furniture::CookieNotice);
        }
        if is_author_bio(&key) {
            return Some(Furniture::AuthorBio);
        }
    }
    None
}

/// Whether the whole line is one of the `lines` phrases of the vocabulary.
pub(crate) fn is_exact(text: &str) -> bool {
    TABLES.as_ref().is_some_and(|tables| tables.exact.contains_key(&normalize(text)))
}

/// Lowercase, whitespace collapsed, punctuation and symbols trimmed from both ends.
fn normalize(text: &str) -> String {
    let lower = text.to_lowercase();
    let trimmed = lower.trim_matches(|c: char| !c.is_alphanumeric() && c != '©');
    trimmed.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// "By Dana Ortiz, RN", "By Dana Ortiz | May 3, 2024", "Por la Dra. Ana Ruiz", "Par Marie Dupont".
fn is_byline(text: &str, key: &str) -> bool {
    // Words come from `text` alone: `key` is lowercased and its spaces normalised, so its
    // byte offsets do not hold in `text` (a no-break space is two bytes there, one here).
    if !["by ", "por ", "par ", "von "].iter().any(|p| key.starts_with(p)) {
        return false;
    }
    let names: Vec<&str> =
        text.trim_start_matches(|c: char| !c.is_alphanumeric()).split_whitespace().skip(1).collect();
    // A name: short, and its words capitalised ("Dr.", "la Dra." allowed), unlike "By the way, ...".
    let capitalised = names.iter().filter(|w| w.chars().next().is_some_and(char::is_uppercase)).count();
    !names.is_empty() && names.len() <= 24 && capitalised >= 2 && !text.trim_end().ends_with(['?', '!'])
}

const MONTHS: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "setiembre",
    "octubre",
    "noviembre",
    "diciembre",
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
    "janeiro",
    "fevereiro",
    "março",
    "maio",
    "junho",
    "julho",
    "setembro",
    "outubro",
    "novembro",
    "dezembro",
];

/// A line that is only a date, perhaps with "Updated" or a weekday: "May 3, 2024",
/// "03/12/2024", "12 de marzo de 2024".
fn is_date_line(key: &str) -> bool {
    // Cheap test first: every date line holds a year (four digits in a row).
    let mut run = 0;
    if !key.bytes().any(|b| {
        run = if b.is_ascii_digit() { run + 1 } else { 0 };
        run >= 4
    }) {
        return false;
    }
    let words: Vec<&str> = key
        .split(|c: char| c.is_whitespace() || c == ',' || c == '|' || c == '·' || c == '•')
        .filter(|w| !w.is_empty())
        .collect();
    if words.is_empty() || words.len() > 8 {
        return false;
    }
    let has_year = words.iter().any(|w| {
        let digits: String = w.chars().filter(char::is_ascii_digit).collect();
        digits.len() >= 4 && (digits.starts_with("19") || digits.starts_with("20"))
    });
    let filler =
        ["updated", "published", "posted", "de", "del", "le", "em", "on", "actualizado", "publicado"];
    has_year
        && words.iter().all(|w| {
            w.chars().all(|c| c.is_ascii_digit() || matches!(c, '/' | '-' | '.'))
                || MONTHS.contains(&w.trim_end_matches('.'))
                || filler.contains(w)
        })
}

/// `Home > Health A-Z > Asthma`, `Inicio / Salud / Asma`, `Home » Blog`, and one step of
/// a trail pasted one per line, ending with its separator (`- Accueil /`, `Health A-Z ›`).
fn is_breadcrumb(text: &str) -> bool {
    let step = text.trim_end();
    if [" /", " >", " »", " ›", " →"].iter().any(|sep| step.ends_with(sep))
        && (1..=5).contains(&step.split_whitespace().count().saturating_sub(1))
    {
        return true;
    }
    let separators = [" > ", " / ", " » ", " › ", " → ", " >> "];
    separators.iter().filter(|sep| text.contains(*sep)).any(|sep| {
        let parts: Vec<&str> = text.split(sep).collect();
        parts.len() >= 2
            && parts.iter().all(|p| {
                let words = p.split_whitespace().count();
                (1..=6).contains(&words) && !p.trim_end().ends_with(['.', '?', '!'])
            })
    })
}

/// "Comments (5 of 12)", "12 Comments", "Comentarios (3)", "Leave a reply": the head of a
/// comment section, whatever its count.
fn is_comment_count(key: &str) -> bool {
    const COMMENT_WORDS: &[&str] = &[
        "comment",
        "comments",
        "response",
        "responses",
        "reply",
        "replies",
        "comentario",
        "comentarios",
        "commentaire",
        "commentaires",
        "comentário",
        "comentários",
        "kommentare",
    ];
    const FILLER: &[&str] =
        &["of", "de", "a", "all", "view", "show", "read", "leave", "add", "your", "los", "les", "todos"];
    let words: Vec<&str> = key
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && !w.chars().all(|c| c.is_ascii_digit()))
        .collect();
    words.iter().any(|w| COMMENT_WORDS.contains(w))
        && words.iter().all(|w| COMMENT_WORDS.contains(w) || FILLER.contains(w))
}

/// `Print | Email | Share`, `Facebook · X · Email`: three or more short parts.
fn is_pipe_menu(text: &str) -> bool {
    ['|', '·', '•'].iter().filter(|&&sep| text.contains(sep)).any(|&sep| {
        let parts: Vec<&str> = text.split(sep).map(str::trim).filter(|p| !p.is_empty()).collect();
        parts.len() >= 3 && parts.iter().all(|p| p.split_whitespace().count() <= 3)
    })
}

/// "Jamie Lee is a registered nurse who writes about …": a bio sentence about a writer.
fn is_author_bio(key: &str) -> bool {
    if ![" is a", " es ", " est ", " é "].iter().any(|verb| key.contains(verb)) {
        return false;
    }
    let roles = [
        " is a registered nurse",
        " is a health writer",
        " is a freelance",
        " is a medical writer",
        " is a writer",
        " is a journalist",
        " is a board-certified",
        " is a certified",
        " is a staff writer",
        " is an editor",
        " is a health editor",
        " is a science writer",
        " es periodista",
        " es enfermera",
        " es redactora",
        " es redactor",
        " est journaliste",
        " é jornalista",
    ];
    let writes =
        ["writes", "writer", "editor", "journalist", "periodista", "redact", "journaliste", "jornalista"];
    roles.iter().any(|role| key.contains(role)) && writes.iter().any(|w| key.contains(w))
}

/// "How to Treat a Burn | Lakeside Health" → "How to Treat a Burn". A dash splits only
/// when what follows names a site ("– Lakeside Health"), since headings use dashes too
/// ("Asthma – what to do").
pub fn split_site_name(text: &str) -> Option<&str> {
    const SITE_WORDS: &[&str] = &[
        "health",
        "clinic",
        "hospital",
        "center",
        "centre",
        "society",
        "foundation",
        "association",
        "institute",
        "nhs",
        "medicine",
        "medical",
        "care",
        ".com",
        ".org",
        ".gov",
        "salud",
        "clínica",
        "hospital",
        "santé",
        "saúde",
        "magazine",
        "blog",
        "news",
    ];
    for sep in [" | ", " :: ", " – ", " — ", " - "] {
        if let Some((title, site)) = text.rsplit_once(sep) {
            let site_words = site.split_whitespace().count();
            // "– Summit Orthopedic Associates": every word capitalised, like a name.
            let capitalised =
                site.split_whitespace().all(|w| w.chars().next().is_some_and(char::is_uppercase));
            let names_site = sep.contains(['|', ':'])
                || capitalised
                || SITE_WORDS.iter().any(|w| site.to_lowercase().contains(w));
            if (1..=6).contains(&site_words) && title.split_whitespace().count() >= 2 && names_site {
                return Some(title.trim());
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_vocabulary_compiles_with_every_kind() {
        let tables = Tables::builtin().unwrap();
        assert!(tables.exact.len() > 300 && tables.prefix_kinds.len() > 100, "{}", tables.exact.len());
        assert_eq!((tables.limits.starts_max_words, tables.limits.contains_max_words), (16, 60));
    }

    #[test]
    fn furniture_lines_are_tagged() {
        for (text, kind) in [
            ("Skip to main content", Furniture::Navigation),
            ("Home", Furniture::Navigation),
            ("Home > Health A-Z > Asthma", Furniture::Breadcrumbs),
            ("Inicio / Salud / Asma", Furniture::Breadcrumbs),
            ("- Conseils santé /", Furniture::Breadcrumbs),
            ("Heart and lungs ›", Furniture::Breadcrumbs),
            ("- Rédaction faite par le Centre de chirurgie", Furniture::Byline),
            ("- Date de mise à jour le 23/12/2024", Furniture::ReviewDate),
            ("By Dana Ortiz, RN | Updated May 3, 2024", Furniture::Byline),
            ("Medically reviewed by Sam Lee, MD", Furniture::Byline),
            ("Last Reviewed: 03/2024", Furniture::ReviewDate),
            ("Última revisión: marzo de 2024", Furniture::ReviewDate),
            ("Print | Email | Share", Furniture::ShareButtons),
            ("Advertisement", Furniture::Advertising),
            ("We use cookies to give you the best experience on our website.", Furniture::CookieNotice),
            ("© 2025 Lakeside Health. All rights reserved.", Furniture::Footer),
            ("May 3, 2024", Furniture::Byline),
            ("12 de marzo de 2024", Furniture::Byline),
            ("5 min read", Furniture::Byline),
            ("Jamie Lee is a registered nurse who writes about heart health.", Furniture::AuthorBio),
            ("Artículos relacionados", Furniture::RelatedLinks),
            ("Comments (5 of 12)", Furniture::Comments),
            ("12 Comments", Furniture::Comments),
            ("Comentarios (3)", Furniture::Comments),
        ] {
            assert_eq!(classify(text), Some(kind), "{text}");
        }
        for text in [
            "Wash your feet every day.",
            "By the way, walking helps too.",
            "Eat fewer cookies and cakes.",
            "Symptoms include:",
            "When to call your doctor",
            "Home care after surgery",
            "Add your comments to the chart below.",
        ] {
            assert_eq!(classify(text), None, "{text}");
        }
    }

    #[test]
    fn site_name_is_split_off_titles() {
        assert_eq!(split_site_name("How to Treat a Burn | Lakeside Health"), Some("How to Treat a Burn"));
        // One word before the separator is more likely a heading with a dash than a title.
        assert_eq!(split_site_name("Asthma - NHS"), None);
        assert_eq!(
            split_site_name("Caring for your feet – Diabetes Care Society"),
            Some("Caring for your feet")
        );
    }
}
