//! `--format human`: miette reports with a cropped source snippet, related
//! locations and help, then a one-line summary.
//!
//! Sources are read again only for files with findings, and only a window of
//! a few lines (each cropped to a readable width) is given to miette, so a
//! finding in a 57 MB file renders as quickly as one in a small file.

use std::fmt;

use rayon::prelude::*;

use miette::{
    Diagnostic as MietteDiagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan,
    MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents,
};

use super::{Report, SourceCache, neutralise_controls, one_line};
use crate::diagnostic::{Diagnostic, Severity};
use crate::lines;
use crate::model::Span;

/// Lines of context shown around a finding.
const CONTEXT_LINES: usize = 2;
/// Longest line shown; longer ones are cropped around the finding.
const MAX_LINE_BYTES: usize = 240;

/// How to draw.
#[derive(Clone, Copy, Debug)]
pub struct Style {
    pub color: bool,
    pub width: usize,
}

/// A few lines of a file, with the line number of the first.
#[derive(Debug)]
struct Window {
    name: String,
    text: String,
    /// 0-based line number of the window's first line in the file.
    first_line: usize,
}

impl SourceCode for Window {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let inner = self.text.as_str().read_span(span, before, after)?;
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            *inner.span(),
            inner.line() + self.first_line,
            inner.column(),
            inner.line_count(),
        )))
    }
}

fn floor_char_boundary(text: &str, mut index: usize) -> usize {
    index = index.min(text.len());
    while !text.is_char_boundary(index) {
        index -= 1;
    }
    index
}

/// Cuts the window of `CONTEXT_LINES` around `span` out of `text`, cropping
/// long lines; returns the window and the span's place in it.
fn window(name: String, text: &str, span: Span) -> (Window, SourceSpan) {
    let offset = floor_char_boundary(text, span.offset as usize);
    let line_start = lines::line_start(text, offset);
    let mut start = line_start;
    let mut before = 0;
    while before < CONTEXT_LINES && start > 0 {
        start = lines::previous_line_start(text, start);
        before += 1;
    }
    let end = line_start
        + lines::split_inclusive(&text[line_start..])
            .take(CONTEXT_LINES + 1)
            .map(str::len)
            .sum::<usize>();
    // Every line ends in LF here, whatever its line break in the file.
    let mut out = String::new();
    let mut label = SourceSpan::from((0, 0));
    let mut position = start;
    for line in lines::split_inclusive(&text[start..end]) {
        let line_end = position + line.len();
        let body = lines::body(line);
        if position <= offset && offset <= position + body.len() {
            // The finding's line: keep a stretch around the span.
            let column = offset - position;
            let keep_from = if body.len() > MAX_LINE_BYTES {
                floor_char_boundary(body, column.saturating_sub(MAX_LINE_BYTES / 3))
            } else {
                0
            };
            let keep_to = floor_char_boundary(body, keep_from + MAX_LINE_BYTES);
            if keep_from > 0 {
                out.push('…');
            }
            let shown = neutralise_controls(&body[keep_from..keep_to]);
            let shown_before =
                neutralise_controls(&body[keep_from..column.max(keep_from).min(keep_to)]);
            let label_start = out.len() + shown_before.len();
            let remaining = shown.len().saturating_sub(shown_before.len());
            label = SourceSpan::from((label_start, (span.len as usize).min(remaining)));
            out.push_str(&shown);
            if keep_to < body.len() {
                out.push('…');
            }
        } else {
            let cut = floor_char_boundary(body, MAX_LINE_BYTES);
            out.push_str(&neutralise_controls(&body[..cut]));
            if cut < body.len() {
                out.push('…');
            }
        }
        out.push('\n');
        position = line_end;
    }
    let first_line = (span.line as usize).saturating_sub(1 + before);
    (
        Window {
            name,
            text: out,
            first_line,
        },
        label,
    )
}

/// One finding (or related location) as miette sees it.
#[derive(Debug)]
struct Rendered {
    message: String,
    code: Option<String>,
    severity: miette::Severity,
    help: Option<String>,
    source: Option<Window>,
    label: Option<LabeledSpan>,
    related: Vec<Rendered>,
}

impl fmt::Display for Rendered {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Rendered {}

impl MietteDiagnostic for Rendered {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.code
            .as_ref()
            .map(|code| Box::new(code) as Box<dyn fmt::Display>)
    }
    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity)
    }
    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|help| Box::new(help) as Box<dyn fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|source| source as &dyn SourceCode)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.label
            .clone()
            .map(|label| Box::new(std::iter::once(label)) as Box<dyn Iterator<Item = LabeledSpan>>)
    }
    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn MietteDiagnostic> + 'a>> {
        if self.related.is_empty() {
            return None;
        }
        Some(Box::new(
            self.related.iter().map(|r| r as &dyn MietteDiagnostic),
        ))
    }
}

/// Reads files with findings for their snippets.
struct Sources<'a> {
    report: &'a Report<'a>,
    cache: &'a SourceCache<'a>,
}

impl Sources<'_> {
    fn snippet(&self, span: Span, label: Option<String>) -> (Option<Window>, Option<LabeledSpan>) {
        let report = self.report;
        let text = self.cache.text(span.file);
        let name = one_line(report.sources.path(span.file));
        match text {
            Some(text) => {
                let (window, place) = window(name, &text, span);
                let label = LabeledSpan::new_primary_with_span(label, place);
                (Some(window), Some(label))
            }
            None => (None, None),
        }
    }
}

fn severity(severity: Severity) -> miette::Severity {
    match severity {
        Severity::Error => miette::Severity::Error,
        Severity::Warning => miette::Severity::Warning,
        Severity::Info => miette::Severity::Advice,
    }
}

fn rendered(sources: &Sources, finding: &Diagnostic) -> Rendered {
    let label = match (&finding.object, &finding.detail) {
        (Some(object), Some(detail)) => Some(format!("{object} · {detail}")),
        (Some(object), None) => Some(object.to_string()),
        (None, Some(detail)) => Some(detail.clone()),
        (None, None) => None,
    }
    .map(|label| one_line(&label));
    let (source, label) = match finding.span {
        Some(span) => sources.snippet(span, label),
        None => (None, None),
    };
    let related = finding
        .related
        .iter()
        .map(|related| {
            let (source, label) = sources.snippet(related.span, None);
            Rendered {
                message: one_line(&related.message),
                code: None,
                severity: miette::Severity::Advice,
                help: None,
                source,
                label,
                related: Vec::new(),
            }
        })
        .collect();
    Rendered {
        message: one_line(&finding.message),
        code: Some(one_line(finding.rule)),
        severity: severity(finding.severity),
        help: finding.help.as_deref().map(one_line),
        source,
        label,
        related,
    }
}

/// Renders every finding, then the summary line.
pub fn render(report: &Report, style: Style) -> String {
    let mut bytes = Vec::new();
    // Writing to a Vec cannot fail; everything written is UTF-8.
    let _ = write(report, style, &mut bytes);
    String::from_utf8(bytes).unwrap_or_default()
}

/// Writes what [`render`] returns into `out` (give it a buffered writer),
/// one finding at a time.
pub fn write(report: &Report, style: Style, out: &mut impl std::io::Write) -> std::io::Result<()> {
    write_limited(report, style, None, out)
}

/// [`write`], listing at most `limit` findings (the most severe, see
/// [`super::listed`]); the summary line still counts them all, and a last
/// line says how many were left out.
pub fn write_limited(
    report: &Report,
    style: Style,
    limit: Option<usize>,
    out: &mut impl std::io::Write,
) -> std::io::Result<()> {
    let (listed, not_listed) = super::listed(report.findings, limit);
    // Rendered in parallel, a window at a time, in batches of consecutive
    // findings that share one source cache; the windows keep memory bounded
    // and the output streaming, in order.
    let cache = SourceCache::new(report.sources);
    for window in listed.chunks(RENDER_WINDOW) {
        let texts: Vec<String> = window
            .par_chunks(RENDER_BATCH)
            .map(|batch| render_batch(report, &cache, style, batch))
            .collect();
        for text in texts {
            out.write_all(text.as_bytes())?;
        }
    }
    out.write_all(summary(report).as_bytes())?;
    out.write_all(b"\n")?;
    if let (Some(limit), 1..) = (limit, not_listed) {
        out.write_all(super::not_listed_line(not_listed, limit).as_bytes())?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

/// Findings rendered by one task, and by all tasks before output is written.
const RENDER_BATCH: usize = 32;
const RENDER_WINDOW: usize = 1024;

/// The words lines are wrapped between: runs of text up to and including
/// the spaces after them, as textwrap's `AsciiSpace` finds them, except that
/// a space before `:` or `#` is no break, so a wrapped line never begins
/// with `::` or `##[` (commands to a CI runner reading the log; the Unicode
/// line-breaking rules, miette's default, keep this for `:` only). Those
/// rules cost far more: finding line breaks with them was a third of a
/// warm pre-commit run on S. On our texts, which are ASCII but for the ids
/// and values they quote, both give the same lines (checked on every
/// finding of the M benchmark catalogue, and on S at widths 40 to 100);
/// long words are still split after hyphens by textwrap's word splitter.
fn words(line: &str) -> Box<dyn Iterator<Item = textwrap::core::Word<'_>> + '_> {
    let bytes = line.as_bytes();
    let mut start = 0;
    Box::new(std::iter::from_fn(move || {
        if start >= bytes.len() {
            return None;
        }
        let mut end = start;
        loop {
            // The word's text, then the spaces after it.
            while end < bytes.len() && bytes[end] != b' ' {
                end += 1;
            }
            while end < bytes.len() && bytes[end] == b' ' {
                end += 1;
            }
            if end == bytes.len() || !matches!(bytes[end], b':' | b'#') {
                break;
            }
        }
        // Split at ASCII bytes only: `end` is a character boundary.
        let word = textwrap::core::Word::from(&line[start..end]);
        start = end;
        Some(word)
    }))
}

/// Renders `batch` in order, each finding followed by an empty line.
fn render_batch(
    report: &Report,
    cache: &SourceCache,
    style: Style,
    batch: &[&Diagnostic],
) -> String {
    let theme = if style.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_links(false)
        .with_width(style.width)
        .with_word_separator(textwrap::WordSeparator::Custom(words))
        .with_context_lines(CONTEXT_LINES);
    let sources = Sources { report, cache };
    let mut text = String::new();
    for finding in batch {
        let rendered = rendered(&sources, finding);
        let start = text.len();
        if handler.render_report(&mut text, &rendered).is_err() {
            text.truncate(start);
            text.push_str(&format!("{}: {}\n", finding.rule, rendered.message));
        }
        text.push('\n');
    }
    text
}

fn plural(count: usize, word: &str) -> String {
    if count == 1 {
        format!("{count} {word}")
    } else {
        format!("{count} {word}s")
    }
}

/// "3 errors, 1 warning, 0 infos (2 suppressed) in 12 files, 230 objects"
pub fn summary(report: &Report) -> String {
    let counts = report.counts();
    let found = if report.findings.is_empty() {
        "no findings".to_owned()
    } else {
        format!(
            "{}, {}, {}",
            plural(counts.errors, "error"),
            plural(counts.warnings, "warning"),
            plural(counts.infos, "info")
        )
    };
    let suppressed = if report.suppressed > 0 {
        format!(" ({} suppressed)", report.suppressed)
    } else {
        String::new()
    };
    format!(
        "rolelint: {found}{suppressed} in {}, {} (evaluated on {})",
        plural(report.files, "file"),
        plural(report.objects, "object"),
        report.now
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::FileId;

    fn texts(line: &str, separator: textwrap::WordSeparator) -> Vec<(String, String)> {
        separator
            .find_words(line)
            .map(|word| (word.word.to_owned(), word.whitespace.to_owned()))
            .collect()
    }

    #[test]
    fn words_are_ascii_space_words_but_for_colons_and_hashes() {
        for line in [
            "",
            "plain words  with two spaces ",
            "  leading spaces and `role-ids` with ünïcode",
            "trailing   ",
        ] {
            assert_eq!(
                texts(line, textwrap::WordSeparator::Custom(words)),
                texts(line, textwrap::WordSeparator::AsciiSpace),
                "{line:?}"
            );
        }
        let found = texts(
            "see ::error file=x::y and ##[warning]z #1 : ok",
            textwrap::WordSeparator::Custom(words),
        );
        let found: Vec<&str> = found.iter().map(|(word, _)| word.as_str()).collect();
        assert_eq!(
            found,
            ["see ::error", "file=x::y", "and ##[warning]z #1 :", "ok"]
        );
    }

    #[test]
    fn no_wrapped_line_starts_a_workflow_command() {
        let text = "`a` holds ::error::forged and ##[error]forged, ::add-mask::x \
                    # comment :: then more words to wrap ::notice::n";
        for width in 8..60 {
            let options = textwrap::Options::new(width)
                .word_separator(textwrap::WordSeparator::Custom(words))
                .break_words(false);
            for line in textwrap::wrap(text, options) {
                let line = line.trim_start();
                assert!(
                    !line.starts_with("::") && !line.starts_with("##["),
                    "width {width}: {line}"
                );
            }
        }
    }

    fn span_at(text: &str, needle: &str) -> Span {
        let offset = text.find(needle).unwrap();
        let line = text[..offset].matches('\n').count() + 1;
        Span {
            file: FileId(0),
            offset: offset as u32,
            len: needle.len() as u32,
            line: line as u32,
            column: 1,
        }
    }

    #[test]
    fn findings_rendered_in_parallel_come_out_in_order() {
        // Enough findings for several windows of several batches, spread
        // over several files.
        let files: Vec<(String, String)> = (0..12)
            .map(|file| {
                let identities: String = (0..100)
                    .map(|n| {
                        format!(
                            "---\napiVersion: rolelint/v1\nkind: Identity\nid: person-{file}-{n}\n\
                             grants:\n  - role: ghost-{n}\n  - role: phantom\n"
                        )
                    })
                    .collect();
                (format!("people/{file:02}.yaml"), identities)
            })
            .collect();
        let files: Vec<(&str, &str)> = files
            .iter()
            .map(|(path, text)| (path.as_str(), text.as_str()))
            .collect();
        let (catalogue, outcome) = crate::report::test_support::analysed(&files);
        assert!(
            outcome.findings.len() > 2 * RENDER_WINDOW,
            "{}",
            outcome.findings.len()
        );
        let report = crate::report::test_support::report(&catalogue, &outcome);
        let style = Style {
            color: false,
            width: 100,
        };
        let all: Vec<&Diagnostic> = outcome.findings.iter().collect();
        let cache = SourceCache::new(report.sources);
        let mut one_by_one = render_batch(&report, &cache, style, &all);
        one_by_one.push_str(&summary(&report));
        one_by_one.push('\n');
        assert_eq!(render(&report, style), one_by_one);
    }

    #[test]
    fn window_keeps_a_few_lines_around_the_span() {
        let text: String = (1..=100).map(|n| format!("line{n}: value{n}\n")).collect();
        let span = span_at(&text, "value50");
        let (window, label) = window("f.yaml".into(), &text, span);
        assert_eq!(window.first_line, 47);
        assert_eq!(window.text.lines().count(), 2 * CONTEXT_LINES + 1);
        let labelled = &window.text[label.offset()..label.offset() + label.len()];
        assert_eq!(labelled, "value50");
    }

    #[test]
    fn long_lines_are_cropped_around_the_span() {
        // A minified 5 MB line with the problem deep inside it.
        let mut text = "x".repeat(5_000_000);
        text.push_str("NEEDLE");
        text.push_str(&"y".repeat(1_000_000));
        text.push('\n');
        let span = span_at(&text, "NEEDLE");
        let (window, label) = window("big.yaml".into(), &text, span);
        assert!(
            window.text.len() < 2 * MAX_LINE_BYTES,
            "{}",
            window.text.len()
        );
        assert_eq!(
            &window.text[label.offset()..label.offset() + label.len()],
            "NEEDLE"
        );
        assert!(window.text.starts_with('…') && window.text.trim_end().ends_with('…'));
    }

    #[test]
    fn control_characters_in_the_source_are_neutralised() {
        let text = "id: \u{1b}[2Jevil\nnext: 1\n";
        let span = span_at(text, "evil");
        let (window, label) = window("f.yaml".into(), text, span);
        assert!(!window.text.contains('\u{1b}'));
        assert_eq!(
            &window.text[label.offset()..label.offset() + label.len()],
            "evil"
        );
    }
}
