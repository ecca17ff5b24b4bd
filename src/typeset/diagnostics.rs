//! Template errors as a person reads them: file:line:column, the line, a caret.

use super::*;

impl Typesetter {
    /// typst diagnostics as `file:line:column: error: message` lines: a [`Error::Font`]
    /// when every error is a character no font has (the article must change), else a
    /// template error met while typesetting `article`.
    pub(super) fn template_error(
        &self,
        world: &HandoutWorld,
        diagnostics: &[SourceDiagnostic],
        article: &Path,
    ) -> Error {
        let errors: Vec<&SourceDiagnostic> =
            diagnostics.iter().filter(|d| d.severity == Severity::Error).collect();
        let lines: Vec<String> = errors.iter().map(|d| self.format_diagnostic(world, d)).collect();
        let message = lines.join("\n");
        if !errors.is_empty() && errors.iter().all(|d| d.message.contains("could not be displayed")) {
            return Error::Font { article: article.to_path_buf(), message };
        }
        Error::Template { article: Some(article.to_path_buf()), message }
    }

    pub(super) fn format_diagnostic(&self, world: &HandoutWorld, diagnostic: &SourceDiagnostic) -> String {
        let id = match diagnostic.span.get() {
            DiagSpanKind::Detached => None,
            DiagSpanKind::Number { id, .. } | DiagSpanKind::Range { id, .. } => Some(id),
        };
        let location = id.map(|id| {
            let path = self.shared.display_path(id);
            let position = world.range(diagnostic.span).and_then(|range| {
                world.source(id).ok().and_then(|source| source.lines().byte_to_line_column(range.start))
            });
            match position {
                Some((line, column)) => format!("{path}:{}:{}: ", line + 1, column + 1),
                None => format!("{path}: "),
            }
        });
        let mut text = format!("{}error: {}", location.unwrap_or_default(), diagnostic.message);
        for hint in &diagnostic.hints {
            text.push_str(&format!(" (hint: {})", hint.v));
        }
        text
    }
}
