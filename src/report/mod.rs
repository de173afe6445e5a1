//! Rendering findings: one module per output format. Everything that comes
//! from the catalogue is escaped for its destination here, at the edge.

pub mod diff_human;
pub mod diff_json;
pub mod diff_markdown;
pub mod github;
pub mod human;
pub mod json;
pub mod markdown;
pub mod sarif;

use crate::diagnostic::{Diagnostic, Severity};
use crate::load::SourceMap;
use crate::model::Date;

/// What a `check` produced, ready to render.
pub struct Report<'a> {
    pub findings: &'a [Diagnostic],
    pub sources: &'a SourceMap,
    pub now: Date,
    pub files: usize,
    pub objects: usize,
    pub suppressed: usize,
}

/// Findings per severity.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

impl Report<'_> {
    pub fn counts(&self) -> Counts {
        let mut counts = Counts::default();
        for finding in self.findings {
            match finding.severity {
                Severity::Error => counts.errors += 1,
                Severity::Warning => counts.warnings += 1,
                Severity::Info => counts.infos += 1,
            }
        }
        counts
    }
}

/// Replaces control characters (ANSI escapes included) so that text from the
/// catalogue cannot move the cursor, recolour or rewrite a terminal or log.
pub fn neutralise_controls(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\n' | '\t' => c,
            // C0 controls become their visible "control picture" (␛, ␍, ...).
            c if (c as u32) < 0x20 => char::from_u32(0x2400 + c as u32).unwrap_or('\u{fffd}'),
            '\u{7f}' => '\u{2421}',
            c if c.is_control() => '\u{fffd}',
            // Bidirectional overrides can reorder what a reader sees.
            '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => '\u{fffd}',
            c => c,
        })
        .collect()
}

/// Escapes text from the catalogue for Markdown (GitHub-flavoured, tables
/// included): it cannot add links, images, HTML, emphasis or `@` mentions,
/// or break out of a table cell or a line.
pub fn escape_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in neutralise_controls(text).chars() {
        match c {
            // GitHub links `#123`, `@name` and `https://…` after entities are
            // decoded, so these also get an invisible word joiner after them.
            '#' | ':' | '$' => {
                out.push_str(&format!("&#{};\u{2060}", c as u32));
            }
            '@' => out.push_str("@\u{2060}"),
            '\\' | '`' | '*' | '_' | '{' | '}' | '[' | ']' | '(' | ')' | '+' | '-' | '.' | '!'
            | '|' | '~' | '>' | '<' | '&' | '"' | '\'' | '=' => {
                // Entities survive inside table cells and code-free text alike.
                out.push_str(&format!("&#{};", c as u32));
            }
            '\n' | '\t' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{escape_markdown, neutralise_controls};

    /// What a Markdown renderer sees once it has decoded the entities.
    fn decoded(text: &str) -> String {
        let mut out = String::new();
        let mut rest = text;
        while let Some(start) = rest.find("&#") {
            out.push_str(&rest[..start]);
            let after = &rest[start + 2..];
            let end = after.find(';').unwrap();
            out.push(char::from_u32(after[..end].parse().unwrap()).unwrap());
            rest = &after[end + 1..];
        }
        out.push_str(rest);
        out
    }

    #[test]
    fn markdown_escaping_defuses_links_html_mentions_and_tables() {
        let text = "[x](https://evil) ![i](y) <img src=x> @admins a|b\nrow #12 $x$";
        let escaped = escape_markdown(text);
        // Markdown syntax is gone before decoding...
        for forbidden in ["[", "](", "<img", "|", "\n"] {
            assert!(!escaped.contains(forbidden), "{forbidden} in {escaped}");
        }
        // ...and what GitHub links after decoding is broken by a word joiner.
        let decoded = decoded(&escaped);
        for forbidden in ["@admins", "#12", "https://", "$x"] {
            assert!(!decoded.contains(forbidden), "{forbidden} in {decoded}");
        }
        assert_eq!(decoded.replace('\u{2060}', ""), text.replace('\n', " "));
    }

    #[test]
    fn control_characters_are_made_visible() {
        assert_eq!(neutralise_controls("a\u{1b}[31mb"), "a\u{241b}[31mb");
        assert_eq!(neutralise_controls("x\ry"), "x\u{240d}y");
        assert_eq!(neutralise_controls("line\nnext"), "line\nnext");
        assert_eq!(neutralise_controls("\u{202e}abc"), "\u{fffd}abc");
        assert_eq!(neutralise_controls("\u{9b}"), "\u{fffd}");
    }
}
