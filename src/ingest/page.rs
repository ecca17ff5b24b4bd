//! Finding the article in a whole pasted web page.
//!
//! Staff select a page in the browser (Ctrl-A, Ctrl-C) and paste it, so the text holds the
//! site around the article: skip links, menus, breadcrumbs, bylines, share bars, cookie
//! and newsletter boxes, ads, related links, author bios, footers. Reader modes
//! (Readability, trafilatura, jusText, boilerpipe) find the article in HTML by the density
//! of sentence text against short link-like blocks; a paste has only lines, so the same
//! idea is applied to them:
//!
//! 1. Each line is tagged when it is a known kind of page furniture ([`classify`]): a
//!    table of phrases per language plus shapes such as breadcrumbs (`A > B > C`), pipe
//!    menus, bylines and dates. Some tags open a *run* ("Related articles", a newsletter
//!    box) that covers the short lines after them until prose resumes.
//! 2. Each line gets a score: prose (a long line ending a sentence) counts for, tagged and
//!    menu-like lines count against. The article body is the stretch with the highest
//!    total (the maximum-sum subarray, one pass), which is how a menu of forty short
//!    links loses to a body of ten paragraphs however they are laid out.
//! 3. The stretch is widened to take in its title and headings above it, and a closing
//!    list or sentence below it. The title is the candidate above the body that shares
//!    the most words with it, so a site's slogan loses to the article's own heading.
//!
//! Every line outside the article, and every tagged line inside it, is reported with the
//! kind of thing it was; nothing is dropped silently. Linear in the number of lines.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use super::furniture::{Furniture, classify, is_exact, split_site_name};
use super::lines::{Line, has_list_marker, looks_like_heading, word_count};

/// Where the article is in a list of lines.
#[derive(Debug, Default)]
pub struct Found {
    /// For each line: `None` when it belongs to the article, else why it was left out.
    pub removed: Vec<Option<Furniture>>,
    /// Index of the title line, when the page has one.
    pub title: Option<usize>,
    /// The title text when it differs from its line (a `Title | Site` line).
    pub title_text: Option<String>,
}

/// Words too common to tell a title from a slogan, in the languages the tables cover.
static STOP_WORDS: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    [
        "about", "after", "also", "been", "before", "being", "could", "does", "from", "have", "help", "here",
        "into", "know", "more", "most", "much", "need", "only", "other", "over", "should", "some", "such",
        "than", "that", "their", "them", "then", "there", "these", "they", "this", "those", "what", "when",
        "where", "which", "while", "will", "with", "would", "your", "yours", "para", "como", "sobre", "esta",
        "este", "estos", "estas", "pero", "puede", "cuando", "donde", "desde", "hasta", "entre", "tiene",
        "todo", "todos", "usted", "ustedes", "pour", "avec", "dans", "vous", "votre", "vos", "plus", "sont",
        "cette", "mais", "comment", "quoi", "pelo", "pela", "mais", "você", "isso", "essa", "esse", "muito",
    ]
    .into_iter()
    .collect()
});

/// A long line that reads as sentences: the body of an article.
pub(crate) fn is_prose_line(text: &str) -> bool {
    is_prose(text)
}

fn is_prose(text: &str) -> bool {
    // Words of two letters or more: "8:00 a. m. a 5:00 p. m." is not a sentence.
    let words =
        text.split_whitespace().filter(|w| w.chars().filter(|c| c.is_alphabetic()).count() >= 2).count();
    let ends_sentence =
        text.trim_end_matches(['"', '”', '’', ')', '»']).ends_with(['.', '!', '?', '…', '。']);
    (words >= 10 && ends_sentence) || words >= 20
}

/// A short line that looks like a menu entry or a headline link: one or two words, or
/// every longer word capitalised.
fn is_menu_like(text: &str) -> bool {
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.len() > 8
        || text.trim_end().ends_with(['.', ':', '!', '?', ',', ';', '。', '！', '？', '…', '：'])
    {
        return false;
    }
    if words.len() <= 2 {
        return true;
    }
    let long: Vec<&&str> = words.iter().skip(1).filter(|w| w.chars().count() >= 4).collect();
    !long.is_empty()
        && long.iter().all(|w| w.chars().next().is_some_and(|c| c.is_uppercase() || !c.is_alphabetic()))
}

fn score(text: &str, tag: Option<Furniture>, prose_words: usize) -> f64 {
    if tag.is_some() {
        // A tagged disclaimer or cookie notice is long: it must cost more than the prose
        // of its length would earn.
        return -8.0 - word_count(text).min(60) as f64;
    }
    if prose_words > 0 {
        return prose_words.min(60) as f64;
    }
    if is_menu_like(text) {
        return -2.0;
    }
    if text.trim_end().ends_with(['.', '!', '?']) && word_count(text) >= 4 {
        return 1.0;
    }
    -0.5
}

/// The start and end (inclusive) of the maximum-sum run of `scores`.
fn best_stretch(scores: &[f64]) -> Option<(usize, usize)> {
    let mut best: Option<(f64, usize, usize)> = None;
    let (mut sum, mut start) = (0.0, 0);
    for (index, &value) in scores.iter().enumerate() {
        if sum <= 0.0 {
            sum = 0.0;
            start = index;
        }
        sum += value;
        if sum > 0.0 && best.is_none_or(|(b, _, _)| sum > b) {
            best = Some((sum, start, index));
        }
    }
    best.map(|(_, start, end)| (start, end))
}

/// Finds the article in `lines`: which lines are page furniture, and which is the title.
pub(crate) fn find_article(lines: &[Line]) -> Found {
    let mut tags: Vec<Option<Furniture>> = lines.iter().map(|line| classify(&line.text)).collect();
    // Words of each prose line (0 for other lines), computed once: several passes ask.
    let prose_words: Vec<usize> =
        lines.iter().map(|line| if is_prose(&line.text) { word_count(&line.text) } else { 0 }).collect();
    extend_runs(lines, &prose_words, &mut tags);
    let scores: Vec<f64> = lines
        .iter()
        .zip(&tags)
        .zip(&prose_words)
        .map(|((line, tag), &prose)| score(&line.text, *tag, prose))
        .collect();
    let mut found = Found { removed: vec![None; lines.len()], title: None, title_text: None };
    let Some((mut start, mut end)) = best_stretch(&scores) else {
        // No prose at all: a list-only handout or a stub. Keep it whole, less what is tagged.
        found.removed = tags;
        return found;
    };
    // Untagged lines outside the body are only left out on a side of it where the page
    // shows furniture: an article pasted on its own keeps its opening and closing lines.
    let menus = menu_runs(lines);
    // A run of short lines is a site's menu only on a page that shows some other
    // furniture: in a file staff wrote, it is a list without a colon ("Medicines to
    // avoid" / "Aspirin" / "Ibuprofen"), and it stays.
    let tagged = |i: usize| tags[i].is_some_and(|tag| tag != Furniture::Separator);
    let any_tagged = (0..lines.len()).any(tagged);
    let shows_page = |i: usize| tagged(i) || (menus[i] && any_tagged);
    let tagged_before = (0..start).rev().find(|&i| shows_page(i));
    let tagged_after = (end + 1..lines.len()).any(shows_page);
    if tagged_after {
        end = extend_end(lines, &tags, end);
    } else {
        end = lines.len() - 1;
    }
    match tagged_before {
        None => start = 0,
        Some(last_tagged) => {
            let (title, body_start) = find_title(lines, &tags, start, end);
            found.title = title;
            start = match title {
                Some(_) => body_start,
                None => last_tagged + 1,
            };
        }
    }
    if let Some(title) = found.title {
        found.title_text = split_site_name(&lines[title].text).map(str::to_string);
    }
    for (index, tag) in tags.iter().enumerate() {
        found.removed[index] = if Some(index) == found.title {
            None
        } else if index < start && tag.is_none() && split_site_name(&lines[index].text).is_some() {
            Some(Furniture::PageTitle)
        } else if index < start || index > end {
            Some(tag.unwrap_or(Furniture::OutsideArticle))
        } else {
            *tag
        };
    }
    found
}

/// Lines in runs of three or more menu-like lines (a site's menu pasted one entry per
/// line, a footer's link list), unless a lead-in introduces them as a list. They are
/// evidence that the paste holds a whole page.
fn menu_runs(lines: &[Line]) -> Vec<bool> {
    let mut marks = vec![false; lines.len()];
    let mut run_start = 0;
    for index in 0..=lines.len() {
        // A separator ("* * *", a code fence) is no menu entry: it has no words.
        let menu = lines.get(index).is_some_and(|line| {
            is_menu_like(&line.text)
                && word_count(&line.text) <= 4
                && line.text.chars().any(char::is_alphanumeric)
        });
        if menu {
            continue;
        }
        let introduced = run_start > 0 && lines[run_start - 1].text.trim_end().ends_with(':');
        if index - run_start >= 3 && !introduced {
            marks[run_start..index].iter_mut().for_each(|m| *m = true);
        }
        run_start = index + 1;
    }
    marks
}

/// Tags the short lines after a run-opening tag with the same kind, until prose resumes.
/// The last line before the prose is left untagged when it could be the heading of what
/// follows.
fn extend_runs(lines: &[Line], prose_words: &[usize], tags: &mut [Option<Furniture>]) {
    // Prose words from each line to the end: a comment section or bio runs through prose
    // only when more of the page's prose stands above it than below, so a "Comments"
    // link at the top can never swallow the article.
    let mut prose_after = vec![0usize; lines.len() + 1];
    for index in (0..lines.len()).rev() {
        prose_after[index] = prose_after[index + 1] + prose_words[index];
    }
    // The open run's kind, the index of the line that opened it, and whether it goes on
    // through prose.
    let mut open: Option<(Furniture, usize, bool)> = None;
    for index in 0..lines.len() {
        let text = &lines[index].text;
        match tags[index] {
            // A header line ("Related articles", "Sign up for our newsletter") opens a run;
            // an inline "Read more: <title>" or a "Subscribe" button does not.
            Some(kind)
                if kind.opens_run()
                    && if kind.opens_run_alone() { is_exact(text) } else { word_count(text) >= 3 } =>
            {
                let before = prose_after[0] - prose_after[index];
                let through = kind.runs_through_prose() && before > prose_after[index];
                open = Some((kind, index, through));
            }
            Some(_) => {}
            None => {
                let Some((kind, opener, through)) = open else { continue };
                if let Some(max) = kind.max_run()
                    && (index - opener > max || lines[index].blank_before || has_list_marker(text))
                {
                    open = None;
                    continue;
                }
                // A box's pitch ("Join 20,000 readers and get…") is a sentence of its own.
                let pitch = kind.max_run().is_some() && word_count(text) < 20;
                if prose_words[index] > 0 && !through && !pitch {
                    open = None;
                    // A heading right before the prose belongs to the article again.
                    let previous = index - 1;
                    if previous > opener
                        && tags[previous] == Some(kind)
                        && looks_like_heading(&lines[previous].text)
                    {
                        tags[previous] = None;
                    }
                    continue;
                }
                tags[index] = Some(kind);
            }
        }
    }
}

/// Widens the end of the body over a closing list or sentence that scored below zero,
/// and over a closing section's heading with its lead-in or list: "When to call your
/// surgeon" over "Call us if you have:" and a list of short items scores below zero, yet
/// it is the part of the handout a patient needs most.
fn extend_end(lines: &[Line], tags: &[Option<Furniture>], mut end: usize) -> usize {
    let mut in_list = lines[end].text.trim_end().ends_with(':');
    while let Some(next) = lines.get(end + 1) {
        if tags[end + 1].is_some() {
            break;
        }
        let text = next.text.trim();
        let marked = has_list_marker(text);
        let item = in_list && !is_menu_like(text) && text.split_whitespace().count() <= 25;
        let lead_in = is_lead_in_line(text);
        let heads_section = looks_like_heading(text)
            && !marked
            && lines.get(end + 2).is_some_and(|after| {
                tags[end + 2].is_none()
                    && (has_list_marker(&after.text)
                        || is_lead_in_line(&after.text)
                        || is_closing_sentence(&after.text))
            });
        if !(marked || is_closing_sentence(text) || item || lead_in || heads_section) {
            break;
        }
        in_list = (in_list && !heads_section) || lead_in || marked;
        end += 1;
    }
    end
}

/// A line that introduces what follows it: "Call us if you have:".
fn is_lead_in_line(text: &str) -> bool {
    let text = text.trim();
    text.ends_with([':', '：']) && text.split_whitespace().count() <= 25
}

/// A sentence that may close an article although it scored below zero.
fn is_closing_sentence(text: &str) -> bool {
    let text = text.trim();
    text.ends_with(['.', '!', '?']) && text.split_whitespace().count() >= 3 && !is_menu_like(text)
}

/// How far above the body a title is looked for when none stands next to it.
const MAX_TITLE_SEARCH: usize = 40;
/// The shared-word weight a distant title needs: two of the article's main words.
const STRONG_TITLE_WEIGHT: f64 = 4.0;

/// The candidate sharing the most (frequency-weighted) words with the body, above
/// `min_weight`; on a tie, the one nearest the body. Words the body repeats weigh more:
/// the article's subject ("asthma" twenty times) beats a breadcrumb's or slogan's words
/// that the body happens to use once.
fn best_title(
    lines: &[Line],
    candidates: &[usize],
    body_words: &HashMap<String, usize>,
    min_weight: f64,
) -> Option<(f64, usize)> {
    candidates
        .iter()
        .map(|&index| {
            let text = split_site_name(&lines[index].text).unwrap_or(&lines[index].text);
            let shared: f64 = content_words(std::iter::once(text))
                .keys()
                .map(|word| body_words.get(word).map_or(0.0, |&n| (1.0 + n as f64).ln()))
                .sum();
            (shared, index)
        })
        .filter(|&(shared, _)| shared > min_weight)
        .max_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)))
}

/// The title above the body and where the body then starts. Walks up from the first
/// body line over tagged lines (bylines, share bars) and candidate lines, stopping at
/// navigation; the candidate sharing most words with the body is the title, and the
/// candidates after it open the body as its first headings.
fn find_title(
    lines: &[Line],
    tags: &[Option<Furniture>],
    start: usize,
    end: usize,
) -> (Option<usize>, usize) {
    let mut candidates = Vec::new();
    let mut index = start;
    // A standfirst (one or two sentences under the title, above the byline) is passed
    // over once: it belongs to the body, and the title is above it.
    let mut standfirst = false;
    while index > 0 && candidates.len() < 6 {
        index -= 1;
        let text = &lines[index].text;
        match tags[index] {
            Some(Furniture::PageTitle) => candidates.push(index),
            Some(Furniture::Navigation | Furniture::Breadcrumbs | Furniture::CookieNotice) => break,
            Some(_) => continue,
            None if !is_title_like(text)
                && !standfirst
                && candidates.is_empty()
                && word_count(text) <= 40 =>
            {
                standfirst = true;
            }
            None if !is_title_like(text) => break,
            None if is_menu_like(text) && !candidates.is_empty() && text.split_whitespace().count() <= 2 => {
                break;
            }
            None => candidates.push(index),
        }
    }
    let body_words = content_words(lines[start..=end].iter().map(|line| line.text.as_str()));
    let best = best_title(lines, &candidates, &body_words, 0.0);
    if best.is_none() {
        // Nothing next to the body: the page's own heading may stand higher, above a
        // review widget or a disclaimer box (an <h1> pasted as the first line). It must
        // share the article's subject clearly, and the body still starts where it did.
        let above: Vec<usize> = (start.saturating_sub(MAX_TITLE_SEARCH)..start)
            .filter(|&i| tags[i].is_none() && is_title_like(&lines[i].text) && !is_menu_like(&lines[i].text))
            .collect();
        if let Some((_, title)) = best_title(lines, &above, &body_words, STRONG_TITLE_WEIGHT) {
            return (Some(title), start);
        }
    }
    match best {
        Some((_, title)) => (Some(title), title + 1),
        None => {
            // No title above the body: the first body line may itself be the title.
            (None, start)
        }
    }
}

fn is_title_like(text: &str) -> bool {
    let words = text.split_whitespace().count();
    (1..=16).contains(&words) && !text.trim_end().ends_with(['.', ',', ';', ':'])
}

/// Content words (four letters or more, not stop words) with how often each occurs.
fn content_words<'a>(texts: impl Iterator<Item = &'a str>) -> HashMap<String, usize> {
    let mut words = HashMap::new();
    for text in texts {
        for word in text.split(|c: char| !c.is_alphanumeric()) {
            if word.chars().count() >= 4 {
                let lower = word.to_lowercase();
                if !STOP_WORDS.contains(lower.as_str()) {
                    *words.entry(stem(&lower)).or_insert(0) += 1;
                }
            }
        }
    }
    words
}

/// A crude shared stem so "feet"/"foot" do not matter but "burns"/"burn" do.
fn stem(word: &str) -> String {
    word.trim_end_matches('s').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stretch_is_the_maximum_sum_run() {
        assert_eq!(best_stretch(&[-2.0, -2.0, 30.0, -1.0, 20.0, -8.0, -8.0]), Some((2, 4)));
        assert_eq!(best_stretch(&[-1.0, -1.0]), None);
    }
}
