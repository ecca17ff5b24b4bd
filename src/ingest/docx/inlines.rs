//! Runs of text with their formatting → [`Inline`]s.
//!
//! Word splits text into runs wherever anything changes (spell-check marks, revision
//! ids, a font nobody sees), so a bold word can be five runs. Runs are collected flat,
//! then merged: neighbours with the same bold, italic and link become one, and spaces
//! at the edge of a bold or italic run move outside it (`**bold** text`, not
//! `**bold **text`).

use crate::model::Inline;

/// How a run looks and where it links.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Format {
    pub bold: bool,
    pub italic: bool,
    pub link: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
enum Piece {
    Text(String),
    Break,
}

/// A paragraph's runs, collected in order.
#[derive(Debug, Default)]
pub struct Runs {
    pieces: Vec<(Format, Piece)>,
}

impl Runs {
    pub fn push_text(&mut self, format: &Format, text: &str) {
        if text.is_empty() {
            return;
        }
        if let Some((last, Piece::Text(existing))) = self.pieces.last_mut()
            && last == format
        {
            existing.push_str(text);
            return;
        }
        self.pieces.push((format.clone(), Piece::Text(text.to_string())));
    }

    pub fn push_break(&mut self, format: &Format) {
        self.pieces.push((format.clone(), Piece::Break));
    }

    /// The text, formatting dropped, whitespace collapsed.
    pub fn plain(&self) -> String {
        let mut out = String::new();
        for (_, piece) in &self.pieces {
            match piece {
                Piece::Text(text) => out.push_str(text),
                Piece::Break => out.push(' '),
            }
        }
        out.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    /// Whether every letter is in bold runs (a "heading" typed as bold body text).
    pub fn all_bold(&self) -> bool {
        let mut any = false;
        for (format, piece) in &self.pieces {
            if let Piece::Text(text) = piece
                && text.chars().any(char::is_alphanumeric)
            {
                if !format.bold {
                    return false;
                }
                any = true;
            }
        }
        any
    }

    /// The runs as inlines: whitespace collapsed to single spaces, trimmed at both
    /// ends, line breaks kept (but not at either end).
    pub fn into_inlines(self) -> Vec<Inline> {
        // Split each text piece into its edge spaces (plain, keeping the link) and its
        // core (formatted), collapsing whitespace as we go.
        let mut flat: Vec<(Format, Piece)> = Vec::new();
        let mut push = |format: Format, piece: Piece| match (flat.last_mut(), &piece) {
            (Some((last, Piece::Text(existing))), Piece::Text(text)) if *last == format => {
                let text = if existing.ends_with(' ') { text.trim_start() } else { text };
                existing.push_str(text)
            }
            _ => flat.push((format, piece)),
        };
        for (format, piece) in self.pieces {
            let Piece::Text(text) = piece else {
                push(format, Piece::Break);
                continue;
            };
            let plain = Format { bold: false, italic: false, link: format.link.clone() };
            let collapsed = collapse(&text);
            let core = collapsed.trim();
            if collapsed.starts_with(' ') {
                push(plain.clone(), Piece::Text(" ".into()));
            }
            if !core.is_empty() {
                push(format, Piece::Text(core.to_string()));
            }
            if collapsed.ends_with(' ') && !core.is_empty() {
                push(plain, Piece::Text(" ".into()));
            }
        }
        // Collapse spaces across pieces, drop those at the ends and around breaks.
        let mut cleaned: Vec<(Format, Piece)> = Vec::with_capacity(flat.len());
        for (format, piece) in flat {
            match piece {
                Piece::Text(text) => {
                    let after_space = match cleaned.last() {
                        None | Some((_, Piece::Break)) => true,
                        Some((_, Piece::Text(t))) => t.ends_with(' '),
                    };
                    let text = if after_space { text.trim_start().to_string() } else { text };
                    if !text.is_empty() {
                        cleaned.push((format, Piece::Text(text)));
                    }
                }
                Piece::Break => {
                    trim_end(&mut cleaned);
                    if !cleaned.is_empty() {
                        cleaned.push((format, Piece::Break));
                    }
                }
            }
        }
        trim_end(&mut cleaned);
        while matches!(cleaned.last(), Some((_, Piece::Break))) {
            cleaned.pop();
            trim_end(&mut cleaned);
        }
        group(cleaned)
    }
}

fn collapse(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        if c.is_whitespace() && c != '\u{A0}' {
            space = true;
        } else {
            if space {
                out.push(' ');
                space = false;
            }
            out.push(c);
        }
    }
    if space {
        out.push(' ');
    }
    out
}

fn trim_end(pieces: &mut Vec<(Format, Piece)>) {
    while let Some((_, Piece::Text(text))) = pieces.last_mut() {
        let trimmed = text.trim_end().len();
        if trimmed == 0 {
            pieces.pop();
        } else {
            text.truncate(trimmed);
            return;
        }
    }
}

/// Flat formatted pieces → nested inlines: links outermost, then bold, then italic.
fn group(pieces: Vec<(Format, Piece)>) -> Vec<Inline> {
    let mut out: Vec<Inline> = Vec::new();
    let mut index = 0;
    while index < pieces.len() {
        let link = pieces[index].0.link.clone();
        let end = (index..pieces.len()).find(|&i| pieces[i].0.link != link).unwrap_or(pieces.len());
        let styled = styled(&pieces[index..end]);
        match link {
            Some(url) => out.push(Inline::Link { url, content: styled }),
            None => out.extend(styled),
        }
        index = end;
    }
    out
}

fn styled(pieces: &[(Format, Piece)]) -> Vec<Inline> {
    let mut out: Vec<Inline> = Vec::new();
    for (format, piece) in pieces {
        let inline = match piece {
            Piece::Text(text) => Inline::text(text.clone()),
            Piece::Break => Inline::LineBreak,
        };
        let inline = if format.italic { Inline::Emphasis { content: vec![inline] } } else { inline };
        let inline = if format.bold { Inline::Strong { content: vec![inline] } } else { inline };
        // Neighbours with the same formatting were merged when collected, except
        // across a line break; join them here.
        match (out.last_mut(), inline) {
            (Some(Inline::Strong { content: a }), Inline::Strong { content: b }) => a.extend(b),
            (Some(Inline::Emphasis { content: a }), Inline::Emphasis { content: b }) => a.extend(b),
            (Some(Inline::Text { text: a }), Inline::Text { text: b }) => a.push_str(&b),
            (_, inline) => out.push(inline),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn format(bold: bool, italic: bool, link: Option<&str>) -> Format {
        Format { bold, italic, link: link.map(str::to_string) }
    }

    #[test]
    fn spaces_leave_bold_runs_and_runs_merge() {
        let mut runs = Runs::default();
        runs.push_text(&format(false, false, None), "  Eat ");
        runs.push_text(&format(true, false, None), "less ");
        runs.push_text(&format(true, false, None), "salt ");
        runs.push_text(&format(false, false, None), " every   day. ");
        assert_eq!(
            runs.into_inlines(),
            vec![
                Inline::text("Eat "),
                Inline::Strong { content: vec![Inline::text("less salt")] },
                Inline::text(" every day.")
            ]
        );
    }

    #[test]
    fn links_hold_their_formatting_and_breaks_are_trimmed() {
        let mut runs = Runs::default();
        let link = Some("https://example.org");
        runs.push_break(&format(false, false, None));
        runs.push_text(&format(false, false, link), "See ");
        runs.push_text(&format(false, true, link), "our page");
        runs.push_break(&format(false, false, None));
        runs.push_text(&format(false, false, None), "Thanks ");
        runs.push_break(&format(false, false, None));
        assert_eq!(
            runs.into_inlines(),
            vec![
                Inline::Link {
                    url: "https://example.org".into(),
                    content: vec![
                        Inline::text("See "),
                        Inline::Emphasis { content: vec![Inline::text("our page")] }
                    ]
                },
                Inline::LineBreak,
                Inline::text("Thanks"),
            ]
        );
    }

    #[test]
    fn a_paragraph_of_only_bold_letters_is_all_bold() {
        let mut runs = Runs::default();
        runs.push_text(&format(true, false, None), "When to call");
        runs.push_text(&format(false, false, None), " :");
        assert!(runs.all_bold());
        runs.push_text(&format(false, false, None), "now");
        assert!(!runs.all_bold());
    }
}
