//! A book too large for one table of contents, in parts (issue 28).
//!
//! A nav that lists 50,000 chapters and their headings is 49 MB, which no reading system
//! opens. Above [`PART_SIZE`] chapters the book is divided, in reading order, into parts
//! of at most that many; each part opens with an index page (`part-N.xhtml`) titled by
//! its guide words, as a dictionary's page is ("Abdominal pain – Asthma"), which lists
//! its chapters, and the nav lists only the parts. A book of at most [`PART_SIZE`]
//! chapters has no parts and is exactly what it was before parts existed.

use super::package::ChapterFile;
use super::xhtml_head;
use super::xml::escape;

/// Chapters per part: the most a reader scrolls through on one index page, and few
/// enough parts (100 at 50,000 chapters) for the nav to stay a few kilobytes.
pub const PART_SIZE: usize = 500;

/// The text of a guide word and its language (validated).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct GuideWord {
    pub text: String,
    pub lang: String,
}

/// One part: where it starts among the chapters, and its index page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PartFile {
    /// File name relative to `OEBPS/`.
    pub file: String,
    pub manifest_id: String,
    /// The index of its first chapter; it holds those up to the next part's start.
    pub start: usize,
    /// Its first original's title, and its last original's when that is another.
    pub first: GuideWord,
    pub last: Option<GuideWord>,
}

/// The file stem of part `number` (from 1). No chapter takes it: the stems of all parts
/// are reserved before the chapters are named.
pub(crate) fn stem(number: usize) -> String {
    format!("part-{number}")
}

/// Where each part starts, as chapter indices, for chapters that are translations of the
/// chapter before them or not (`translations`): none when the book has at most `size`
/// chapters. A translation stays in its original's part: a part closes early rather
/// than split a group, and a group larger than `size` is a part of its own.
pub(crate) fn starts(translations: &[bool], size: usize) -> Vec<usize> {
    let size = size.max(1);
    if translations.len() <= size {
        return Vec::new();
    }
    let group_starts: Vec<usize> = (0..translations.len()).filter(|&i| i == 0 || !translations[i]).collect();
    let mut starts = vec![0];
    let mut part_start = 0;
    for (k, &group_start) in group_starts.iter().enumerate() {
        let group_end = group_starts.get(k + 1).copied().unwrap_or(translations.len());
        if group_start > part_start && group_end - part_start > size {
            starts.push(group_start);
            part_start = group_start;
        }
    }
    starts
}

/// The parts that start at `starts` (from [`starts`]), with their guide words: the
/// title of the part's first chapter and of the last original in it (a translation's
/// title would put "Asma" after "Asthma"), as `title_of(index)` gives them.
pub(crate) fn parts(
    starts: &[usize],
    translations: &[bool],
    title_of: &dyn Fn(usize) -> GuideWord,
) -> Vec<PartFile> {
    starts
        .iter()
        .enumerate()
        .map(|(k, &start)| {
            let end = starts.get(k + 1).copied().unwrap_or(translations.len());
            let last_original =
                (start..end).rev().find(|&i| !translations.get(i).copied().unwrap_or(false)).unwrap_or(start);
            let first = title_of(start);
            let last =
                (last_original != start).then(|| title_of(last_original)).filter(|last| *last != first);
            let stem = stem(k + 1);
            PartFile { file: format!("{stem}.xhtml"), manifest_id: stem, start, first, last }
        })
        .collect()
}

impl PartFile {
    /// "First – Last", plain, for a `<title>`.
    pub(crate) fn title(&self) -> String {
        match &self.last {
            Some(last) => format!("{} – {}", self.first.text, last.text),
            None => self.first.text.clone(),
        }
    }

    /// The guide words as XHTML on a page in `page_lang`: each marked with its own
    /// language when that differs, so a screen reader reads each in its voice.
    pub(crate) fn guide_words_html(&self, page_lang: &str) -> String {
        let word = |word: &GuideWord| {
            if word.lang == page_lang {
                escape(&word.text)
            } else {
                format!(
                    "<span lang=\"{0}\" xml:lang=\"{0}\">{1}</span>",
                    escape(&word.lang),
                    escape(&word.text)
                )
            }
        };
        match &self.last {
            Some(last) => format!("{} – {}", word(&self.first), word(last)),
            None => word(&self.first),
        }
    }
}

/// The index page of `part`, listing `chapters` (its own) as links; a translation names
/// its language, in that language, as the nav of an undivided book does.
pub(crate) fn page(part: &PartFile, chapters: &[ChapterFile], book_lang: &str) -> String {
    let mut out = xhtml_head(book_lang, &part.title());
    out.push_str(
        "<body>\n<section class=\"part\" epub:type=\"part\" role=\"doc-part\" aria-labelledby=\"part-title\">\n",
    );
    out.push_str(&format!("<h1 id=\"part-title\">{}</h1>\n<ol>\n", part.guide_words_html(book_lang)));
    for chapter in chapters {
        let lang_attrs = if chapter.lang == book_lang {
            String::new()
        } else {
            format!(" lang=\"{0}\" xml:lang=\"{0}\"", escape(&chapter.lang))
        };
        let language = chapter.language_name.as_deref().map(|name| format!(" ({})", escape(name)));
        out.push_str(&format!(
            "<li><a href=\"{}\"{lang_attrs}>{}{}</a></li>\n",
            escape(&chapter.file),
            escape(&chapter.title),
            language.unwrap_or_default()
        ));
    }
    out.push_str("</ol>\n</section>\n</body>\n</html>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `o` an original, `t` a translation of the chapter before.
    fn flags(pattern: &str) -> Vec<bool> {
        pattern.chars().map(|c| c == 't').collect()
    }

    #[test]
    fn a_book_of_at_most_one_part_is_not_divided() {
        assert_eq!(starts(&flags(""), 5), Vec::<usize>::new());
        assert_eq!(starts(&flags("ooooo"), 5), Vec::<usize>::new());
        assert_eq!(starts(&flags("ottto"), 5), Vec::<usize>::new());
    }

    #[test]
    fn parts_hold_at_most_the_size_and_keep_translations_with_their_original() {
        assert_eq!(starts(&flags("oooooo"), 5), [0, 5], "one over: a second part of one");
        assert_eq!(starts(&flags(&"o".repeat(12)), 5), [0, 5, 10]);
        // The group at 4 (an original and two translations) would make the first part
        // 7 long: the part closes early, and the group opens the next.
        assert_eq!(starts(&flags("oooootto"), 5), [0, 4]);
        // A group that ends exactly at the boundary stays.
        assert_eq!(starts(&flags("oootto"), 5), [0, 5]);
        // A group larger than a part is a part of its own, then the count goes on.
        assert_eq!(starts(&flags("oottttttoooo"), 5), [0, 1, 8]);
        // A size of zero is taken as one: every group a part.
        assert_eq!(starts(&flags("oto"), 0), [0, 2]);
        for (pattern, size) in [("otototototototototo", 4), ("ottottottottott", 5), ("oooottoooottoo", 3)] {
            let translations = flags(pattern);
            let starts = starts(&translations, size);
            for start in &starts {
                assert!(!translations[*start], "{pattern}/{size}: a part starts with a translation");
            }
            for pair in starts.windows(2) {
                assert!(pair[1] - pair[0] <= size, "{pattern}/{size}: {starts:?}");
            }
        }
    }

    #[test]
    fn guide_words_are_the_first_chapter_and_the_last_original() {
        let titles =
            ["Abdominal pain", "Dolor abdominal", "Asthma", "Asma", "Back pain", "Burns", "Quemaduras"];
        let langs = ["en", "es", "en", "es", "en", "en", "es"];
        let translations = flags("ototoot");
        let title_of = |i: usize| GuideWord { text: titles[i].to_string(), lang: langs[i].to_string() };
        let parts = parts(&starts(&translations, 4), &translations, &title_of);
        assert_eq!(parts.len(), 2);
        assert_eq!(
            (parts[0].start, parts[0].file.as_str(), parts[0].manifest_id.as_str()),
            (0, "part-1.xhtml", "part-1")
        );
        assert_eq!(parts[0].title(), "Abdominal pain – Asthma");
        assert_eq!(parts[1].start, 4);
        assert_eq!(parts[1].title(), "Back pain – Burns");
        // A part of one group has one guide word.
        let one = super::parts(&[0, 2], &flags("otot"), &title_of);
        assert_eq!(one[0].title(), "Abdominal pain");
        assert_eq!(one[0].guide_words_html("en"), "Abdominal pain");

        let spanish = PartFile {
            last: Some(GuideWord { text: "Quemaduras & <b>".into(), lang: "es".into() }),
            ..parts[1].clone()
        };
        assert_eq!(
            spanish.guide_words_html("en"),
            "Back pain – <span lang=\"es\" xml:lang=\"es\">Quemaduras &amp; &lt;b&gt;</span>"
        );
    }
}
