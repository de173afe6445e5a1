//! Rendering findings: one module per output format. Everything that comes
//! from the catalogue is escaped for its destination here, at the edge.

pub mod human;
pub mod json;

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

#[cfg(test)]
mod tests {
    use super::neutralise_controls;

    #[test]
    fn control_characters_are_made_visible() {
        assert_eq!(neutralise_controls("a\u{1b}[31mb"), "a\u{241b}[31mb");
        assert_eq!(neutralise_controls("x\ry"), "x\u{240d}y");
        assert_eq!(neutralise_controls("line\nnext"), "line\nnext");
        assert_eq!(neutralise_controls("\u{202e}abc"), "\u{fffd}abc");
        assert_eq!(neutralise_controls("\u{9b}"), "\u{fffd}");
    }
}
