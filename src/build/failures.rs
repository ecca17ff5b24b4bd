//! Failures as a person reads them: one line each, and one template error met on many
//! articles as one line naming them.

use std::collections::HashSet;

use crate::error::{Error, Failure};

/// Prints each failure as `error: …` (unless `quiet`: a quiet run lists them once, at
/// its end) and returns them for the summary.
pub(crate) fn print_failures(failures: &[Error], quiet: bool) -> Vec<Failure> {
    let failures: Vec<Failure> = failures.iter().map(Failure::from).collect();
    if !quiet {
        super::log::failures(&failures);
    }
    failures
}

/// One line per failure, except that the same template error met on several articles
/// is one line naming them: a template bug is one problem, not one per handout.
pub fn failure_lines(failures: &[Failure]) -> Vec<String> {
    let core = |failure: &Failure| -> Option<String> {
        let file = failure.file.as_deref()?;
        (failure.kind == crate::error::Kind::Template)
            .then(|| failure.message.strip_prefix(&format!("{file}: ")).map(str::to_string))
            .flatten()
    };
    let mut lines = Vec::new();
    let mut printed: HashSet<String> = HashSet::new();
    for failure in failures {
        let Some(message) = core(failure) else {
            lines.push(failure.message.clone());
            continue;
        };
        if !printed.insert(message.clone()) {
            continue;
        }
        let mut files: Vec<&str> = failures
            .iter()
            .filter(|f| core(f).as_ref() == Some(&message))
            .filter_map(|f| f.file.as_deref())
            .collect();
        // Both handouts of an article (regular and large print) fail alike.
        files.dedup();
        if files.len() == 1 {
            lines.push(failure.message.clone());
        } else {
            lines.push(format!(
                "{message}\n  (the same template error in {} handouts: {})",
                files.len(),
                files.join(", ")
            ));
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Kind;

    fn template(file: &str, message: &str) -> Failure {
        Failure {
            kind: Kind::Template,
            file: Some(file.into()),
            line: None,
            message: format!("{file}: {message}"),
        }
    }

    #[test]
    fn one_template_error_on_many_articles_is_one_line() {
        let failures = [
            template("a.txt", "handout.typ:3:1: error: boom"),
            Failure {
                kind: Kind::Input,
                file: Some("b.txt".into()),
                line: Some(2),
                message: "b.txt:2: bad".into(),
            },
            template("c.txt", "handout.typ:3:1: error: boom"),
            template("d.txt", "handout.typ:9:1: error: other"),
            template("d.txt", "handout.typ:9:1: error: other"),
        ];
        assert_eq!(
            failure_lines(&failures),
            [
                "handout.typ:3:1: error: boom\n  (the same template error in 2 handouts: a.txt, c.txt)",
                "b.txt:2: bad",
                "d.txt: handout.typ:9:1: error: other",
            ]
        );
    }
}
