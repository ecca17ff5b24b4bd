//! Words and sentences in one unit of text (a paragraph, heading, list item or cell).
//!
//! Sentences end at `.`, `!` and `?`, looking through closing quotes and brackets
//! (`stop.”`, `(see below.)`). A period does not end one after a title or Latin
//! abbreviation ("Dr.", "e.g.", "vs."), after a middle initial ("John F. Kennedy"), after
//! a list number at the start ("1. Take…"), or when the next word starts in lower case,
//! which catches unlisted abbreviations ("approx. five", "etc. and"). Decimals never end
//! one because "2.5" has no period at its end. An ellipsis ends a sentence only before a
//! capital. Whatever is left at the end of the unit is a sentence too, so a heading or
//! list item without a final period still counts as one.

/// One sentence: its text (a slice of the unit) and its words.
#[derive(Debug, Clone, PartialEq)]
pub struct Sentence<'a> {
    pub text: &'a str,
    /// Byte offset of `text` in the unit, to find its source line.
    pub start: usize,
    /// Words with surrounding punctuation trimmed: `(ccRCC),` → `ccRCC`.
    pub words: Vec<&'a str>,
}

/// Abbreviations that are followed by a name, a number or more of the sentence, so the
/// period never ends the sentence (unless it is the last thing in the unit). Lowercase,
/// without the final period.
const NEVER_END: &[&str] = &[
    "approx", "apr", "aug", "cf", "dec", "dept", "dr", "e.g", "eg", "feb", "fig", "i.e", "ie", "jan", "jun",
    "jul", "mr", "mrs", "ms", "nov", "oct", "prof", "sep", "sept", "st", "u.k", "u.s", "v", "vs",
    // Spanish: "Dra. Ruiz", "Ud. puede", "p. ej. la", "EE. UU. y", "núm. 3", "aprox. 5".
    "dra", "sr", "sra", "srta", "ud", "uds", "ej", "ee", "uu", "núm", "pág", "tel", "lic", "ing", "av",
    // French and Portuguese: "M. Dupont", "Mme Roy", "p. ex.", "Sr. Silva".
    "mme", "mlle", "ex", "env", "sras",
];

const CLOSERS: &[char] = &['"', '\'', '”', '’', ')', ']', '}', '»'];
const OPENERS: &[char] = &['"', '\'', '“', '‘', '(', '[', '{', '«'];

/// Word separators besides white space: dashes set off with no spaces ("body—a stage").
fn is_separator(c: char) -> bool {
    c.is_whitespace() || matches!(c, '—' | '–' | '―')
}

/// Byte ranges of the white-space separated tokens of `text`.
fn tokens(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (is_separator(c), start) {
            (true, Some(s)) => {
                out.push((s, i));
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, text.len()));
    }
    out
}

/// The word in a token, punctuation trimmed from both ends; `None` for pure punctuation.
pub fn word(token: &str) -> Option<&str> {
    let w = token.trim_matches(|c: char| !c.is_alphanumeric());
    (!w.is_empty()).then_some(w)
}

fn first_alnum(token: &str) -> Option<char> {
    token.chars().find(|c| c.is_alphanumeric())
}

fn starts_lower(token: &str) -> bool {
    first_alnum(token).is_some_and(char::is_lowercase)
}

fn starts_upper(token: &str) -> bool {
    first_alnum(token).is_some_and(char::is_uppercase)
}

/// Whether `tok` ends the sentence, given its neighbours.
fn ends_sentence(tok: &str, prev: Option<&str>, next: Option<&str>, first: bool) -> bool {
    let t = tok.trim_end_matches(CLOSERS);
    if t.ends_with('?') || t.ends_with('!') {
        return true;
    }
    if t.ends_with("...") || t.ends_with('…') {
        // "and so on… then" trails off mid-sentence; "it spread… The next" does not.
        return next.is_none_or(starts_upper);
    }
    let Some(core) = t.strip_suffix('.') else {
        return false;
    };
    let Some(next) = next else {
        return true;
    };
    let core = core.trim_start_matches(OPENERS);
    if NEVER_END.contains(&core.to_lowercase().as_str()) {
        return false;
    }
    if first && !core.is_empty() && core.chars().all(|c| c.is_ascii_digit()) {
        return false;
    }
    if starts_lower(next) {
        return false;
    }
    let mut chars = core.chars();
    if let (Some(c), None) = (chars.next(), chars.next())
        && c.is_uppercase()
    {
        // An initial follows a name or starts one ("John F. Kennedy", "J. Smith"); a
        // letter after a common noun ends the sentence ("hepatitis C. Most people").
        return !first && prev.is_some_and(starts_lower);
    }
    true
}

/// Splits one unit of text into sentences. Sentences without words (stray punctuation)
/// are dropped.
pub fn split(text: &str) -> Vec<Sentence<'_>> {
    let toks = tokens(text);
    let mut out = Vec::new();
    let mut first = 0;
    for i in 0..toks.len() {
        let tok = &text[toks[i].0..toks[i].1];
        let prev = i.checked_sub(1).map(|p| &text[toks[p].0..toks[p].1]);
        let next = toks.get(i + 1).map(|&(s, e)| &text[s..e]);
        let last = i + 1 == toks.len();
        if last || ends_sentence(tok, prev, next, i == first) {
            let words: Vec<&str> = toks[first..=i].iter().filter_map(|&(s, e)| word(&text[s..e])).collect();
            if !words.is_empty() {
                let start = toks[first].0;
                out.push(Sentence { text: &text[start..toks[i].1], start, words });
            }
            first = i + 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str) -> Vec<&str> {
        split(text).into_iter().map(|s| s.text).collect()
    }

    #[test]
    fn plain_sentences() {
        assert_eq!(
            texts("Rest often. Drink water! Ask questions?"),
            ["Rest often.", "Drink water!", "Ask questions?"]
        );
        assert_eq!(texts("  "), Vec::<&str>::new());
        assert_eq!(texts("No final period"), ["No final period"]);
    }

    #[test]
    fn abbreviations_do_not_end_sentences() {
        assert_eq!(
            texts(
                "Dr. Smith and Mrs. Jones agree. Eat greens, e.g. kale, i.e. leafy ones. Surgery vs. radiation is a choice."
            ),
            [
                "Dr. Smith and Mrs. Jones agree.",
                "Eat greens, e.g. kale, i.e. leafy ones.",
                "Surgery vs. radiation is a choice."
            ]
        );
        assert_eq!(
            texts("It is approved in the U.S. by the FDA. The U.S. Food and Drug Administration agrees."),
            ["It is approved in the U.S. by the FDA.", "The U.S. Food and Drug Administration agrees."]
        );
        // "etc." mid-sentence, then at a sentence end.
        assert_eq!(
            texts("Pain, nausea, etc. are common. Call us about fever, chills, etc. We can help."),
            ["Pain, nausea, etc. are common.", "Call us about fever, chills, etc.", "We can help."]
        );
        // Unlisted abbreviations: the next word is in lower case.
        assert_eq!(
            texts("It takes approx. five days. Then rest."),
            ["It takes approx. five days.", "Then rest."]
        );
    }

    #[test]
    fn initials() {
        assert_eq!(
            texts("John F. Kennedy spoke. J. Smith wrote it."),
            ["John F. Kennedy spoke.", "J. Smith wrote it."]
        );
        assert_eq!(
            texts("People with hepatitis C. Most of them recover."),
            ["People with hepatitis C.", "Most of them recover."]
        );
    }

    #[test]
    fn decimals_and_numbers() {
        assert_eq!(
            texts("Take 2.5 mg twice a day. The dose is 10 mg."),
            ["Take 2.5 mg twice a day.", "The dose is 10 mg."]
        );
        assert_eq!(texts("1. Take your pills. 2. Rest."), ["1. Take your pills.", "2. Rest."]);
        assert_eq!(
            texts("Survival rose to 45%. Most patients did well."),
            ["Survival rose to 45%.", "Most patients did well."]
        );
    }

    #[test]
    fn quotes_brackets_and_ellipses() {
        assert_eq!(
            texts("She said “stop.” Then she left. Rest (see below.) Then walk."),
            ["She said “stop.”", "Then she left.", "Rest (see below.)", "Then walk."]
        );
        assert_eq!(
            texts("It spread… The next scan was clear. Wait... and see."),
            ["It spread…", "The next scan was clear.", "Wait... and see."]
        );
        assert_eq!(texts("Really?! Yes."), ["Really?!", "Yes."]);
    }

    #[test]
    fn words_are_trimmed_and_dashes_split() {
        let s = split("the body—a stage known as (ccRCC), “off-the-shelf” – yes");
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].words, ["the", "body", "a", "stage", "known", "as", "ccRCC", "off-the-shelf", "yes"]);
        assert_eq!(split("— … –"), vec![]);
    }

    #[test]
    fn offsets() {
        let s = split("One. Two three.");
        assert_eq!(s[1].start, 5);
        assert_eq!(s[1].text, "Two three.");
    }
}
