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

use std::io::{self, Write};
use std::sync::{Arc, Mutex};

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC};
use rayon::prelude::*;
use serde::Serialize;

use crate::diagnostic::{Diagnostic, Severity};
use crate::load::{Catalogue, SourceMap};
use crate::model::{Date, FileId};
use crate::rules::engine::Outcome;

/// What a `check` produced, ready to render.
pub struct Report<'a> {
    pub findings: &'a [Diagnostic],
    pub sources: &'a SourceMap,
    pub now: Date,
    pub files: usize,
    pub objects: usize,
    pub suppressed: usize,
}

impl<'a> Report<'a> {
    /// The report of a check of `catalogue` on `now` that gave `outcome`.
    pub fn of(catalogue: &'a Catalogue, outcome: &'a Outcome, now: Date) -> Self {
        Report {
            findings: &outcome.findings,
            sources: &catalogue.sources,
            now,
            files: catalogue.sources.len(),
            objects: catalogue.object_count(),
            suppressed: outcome.suppressed,
        }
    }
}

/// Bytes of text a [`SourceCache`] keeps read (at least one file).
const CACHED_BYTES: usize = 64 << 20;

/// The files with findings, read again for rendering (sources are not kept
/// during analysis), shared by the threads that render. Findings come sorted
/// by file, and their related locations mostly point into a few files (the
/// role files), so keeping the most recently used files up to a budget
/// means each file is read about once while memory stays bounded however
/// many files have findings.
pub(crate) struct SourceCache<'a> {
    sources: &'a SourceMap,
    recent: Mutex<RecentFiles>,
}

/// Texts by file, and the files by when they were last used.
#[derive(Default)]
struct RecentFiles {
    texts: rustc_hash::FxHashMap<FileId, (Option<Arc<str>>, u64)>,
    by_use: std::collections::BTreeMap<u64, FileId>,
    bytes: usize,
    clock: u64,
}

impl RecentFiles {
    /// The text of `file` if it is kept (`Some(None)`: kept as unreadable),
    /// marked as just used.
    fn touch(&mut self, file: FileId) -> Option<Option<Arc<str>>> {
        self.clock += 1;
        let (text, used) = self.texts.get_mut(&file)?;
        self.by_use.remove(used);
        *used = self.clock;
        self.by_use.insert(self.clock, file);
        Some(text.clone())
    }

    /// Keeps `file`'s text, then drops the least recently used files while
    /// over the budget.
    fn insert(&mut self, file: FileId, text: Option<Arc<str>>) {
        if self.texts.contains_key(&file) {
            return;
        }
        self.clock += 1;
        self.bytes += text.as_ref().map_or(0, |text| text.len());
        self.texts.insert(file, (text, self.clock));
        self.by_use.insert(self.clock, file);
        while self.bytes > CACHED_BYTES && self.texts.len() > 1 {
            let Some((_, oldest)) = self.by_use.pop_first() else {
                break;
            };
            if let Some((text, _)) = self.texts.remove(&oldest) {
                self.bytes -= text.as_ref().map_or(0, |text| text.len());
            }
        }
    }
}

impl<'a> SourceCache<'a> {
    pub(crate) fn new(sources: &'a SourceMap) -> Self {
        SourceCache {
            sources,
            recent: Mutex::new(RecentFiles::default()),
        }
    }

    /// The text of `file`; `None` if it cannot be read now.
    pub(crate) fn text(&self, file: FileId) -> Option<Arc<str>> {
        if let Ok(mut recent) = self.recent.lock()
            && let Some(text) = recent.touch(file)
        {
            return text;
        }
        // Read without holding the lock; two threads may read one file once
        // each, which costs time, never a wrong text.
        let text: Option<Arc<str>> = self.sources.text(file).map(Arc::from);
        if let Ok(mut recent) = self.recent.lock() {
            recent.insert(file, text.clone());
        }
        text
    }
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

/// Path characters kept as they are in a URI or link target: RFC 3986
/// unreserved ones and `/`. Everything else (`:` included, so a first
/// segment never reads as a scheme; `)` and blanks, which would end a
/// Markdown link) is percent-encoded.
pub(crate) const URI_PATH: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'/');

/// How many findings the human and Markdown outputs list unless
/// `--max-findings` says otherwise.
pub const DEFAULT_MAX_LISTED: usize = 1_000;
/// How many annotations `--format github` writes by default: GitHub keeps
/// at most 50 per job (and shows 10 errors and 10 warnings per step).
pub const DEFAULT_MAX_ANNOTATIONS: usize = 50;

/// The findings a display format lists when it shows at most `limit`: the
/// most severe ones (errors, then warnings, then infos; within a severity,
/// the first in report order), listed in report order. Also returns how
/// many were left out.
pub fn listed(findings: &[Diagnostic], limit: Option<usize>) -> (Vec<&Diagnostic>, usize) {
    let Some(limit) = limit.filter(|limit| *limit < findings.len()) else {
        return (findings.iter().collect(), 0);
    };
    let mut chosen: Vec<usize> = (0..findings.len()).collect();
    chosen.sort_by_key(|index| (std::cmp::Reverse(findings[*index].severity), *index));
    chosen.truncate(limit);
    chosen.sort_unstable();
    let listed = chosen.into_iter().map(|index| &findings[index]).collect();
    (listed, findings.len() - limit)
}

/// The last line of a display format that left `not_listed` findings out.
pub fn not_listed_line(not_listed: usize, limit: usize) -> String {
    let findings = if not_listed == 1 {
        "finding"
    } else {
        "findings"
    };
    format!(
        "rolelint: {not_listed} more {findings} not listed (at most {limit} are, the most severe first): \
         `--max-findings N` lists more, `--max-findings 0` all of them; `--format json` and \
         `--format sarif` always list all"
    )
}

/// Replaces control characters (ANSI escapes included) so that text from the
/// catalogue cannot move the cursor, recolour or rewrite a terminal or log.
pub fn neutralise_controls(text: &str) -> String {
    // Printable ASCII, nearly all text, is left as it is: one pass over the
    // bytes instead of a character-by-character rebuild.
    if text
        .bytes()
        .all(|byte| matches!(byte, b' '..=b'~' | b'\n' | b'\t'))
    {
        return text.to_owned();
    }
    neutralise_each(text)
}

/// [`neutralise_controls`] character by character.
fn neutralise_each(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\n' | '\t' => c,
            // C0 controls become their visible "control picture" (␛, ␍, ...).
            c if (c as u32) < 0x20 => char::from_u32(0x2400 + c as u32).unwrap_or('\u{fffd}'),
            '\u{7f}' => '\u{2421}',
            c if c.is_control() => '\u{fffd}',
            // Bidirectional overrides can reorder what a reader sees.
            '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => '\u{fffd}',
            // Line and paragraph separators break lines in some viewers
            // without being a line break anywhere else.
            '\u{2028}' | '\u{2029}' => ' ',
            c => c,
        })
        .collect()
}

/// Catalogue text on one line of a terminal or log: controls neutralised
/// and line breaks and tabs made spaces, so a value cannot start a line of
/// its own (a forged finding, or a `::command` a CI runner would obey).
pub fn one_line(text: &str) -> String {
    if text.bytes().all(|byte| matches!(byte, b' '..=b'~')) {
        return text.to_owned();
    }
    neutralise_controls(text).replace(['\n', '\t'], " ")
}

/// Multi-line text for a log (error messages on stderr) that may quote the
/// catalogue: controls neutralised, and a line that would begin, after its
/// indentation, with `::` (a GitHub Actions workflow command: the runner
/// reads them on stderr too) is marked with a leading `↳ ` so it cannot.
pub fn inert_lines(text: &str) -> String {
    let neutral = neutralise_controls(text);
    let mut out = String::with_capacity(neutral.len());
    for (index, line) in neutral.split('\n').enumerate() {
        if index > 0 {
            out.push('\n');
        }
        if line.trim_start().starts_with("::") {
            out.push_str("↳ ");
        }
        out.push_str(line);
    }
    out
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

/// Where [`write_with_array`] puts an array's elements: serialized as `[]`.
pub(crate) struct EmptyArray;

impl Serialize for EmptyArray {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(std::iter::empty::<()>())
    }
}

/// Writes `document` and a newline as `serde_json`'s pretty printer writes
/// them, but with the `count` elements of its array under `key` (an
/// [`EmptyArray`] in `document`, the only key of that name) serialized on
/// the thread pool: `values(range)` gives the elements in `range`, `batch`
/// of them a task, and `window` elements are serialized before they are
/// written, in order, so the whole array is never in memory at once.
pub(crate) fn write_with_array<V: Serialize>(
    out: &mut impl Write,
    document: &impl Serialize,
    key: &str,
    count: usize,
    (batch, window): (usize, usize),
    values: impl Fn(std::ops::Range<usize>) -> Vec<V> + Sync,
) -> io::Result<()> {
    let skeleton = serde_json::to_vec_pretty(document).map_err(io::Error::from)?;
    // Catalogue text cannot forge the marker: a quote in a string is escaped.
    let marker = format!("\"{key}\": []");
    let Some(at) = memchr::memmem::find(&skeleton, marker.as_bytes()) else {
        return Err(io::Error::other(format!(
            "the document has no `{key}` array"
        )));
    };
    let line_start = skeleton[..at]
        .iter()
        .rposition(|&byte| byte == b'\n')
        .map_or(0, |newline| newline + 1);
    // The key's indentation gives the array's depth; its elements are one
    // level deeper.
    let indent = at - line_start;
    let (head, tail) = skeleton.split_at(at + marker.len() - 1);
    out.write_all(head)?;
    if count > 0 {
        let element_start = format!(",\n{}", " ".repeat(indent + 2));
        let batch = batch.max(1);
        let ranges: Vec<std::ops::Range<usize>> = (0..count)
            .step_by(batch)
            .map(|start| start..(start + batch).min(count))
            .collect();
        let mut first = true;
        for window in ranges.chunks((window / batch).max(1)) {
            let rendered: Vec<io::Result<Vec<u8>>> = window
                .par_iter()
                .map(|range| {
                    let mut bytes = Vec::new();
                    for value in values(range.clone()) {
                        bytes.extend_from_slice(element_start.as_bytes());
                        write_pretty(&mut bytes, &value, indent / 2 + 1)?;
                    }
                    Ok(bytes)
                })
                .collect();
            for bytes in rendered {
                let bytes = bytes?;
                // Every element was written after a comma; the first has none.
                let skip = usize::from(std::mem::take(&mut first));
                out.write_all(&bytes[skip..])?;
            }
        }
        out.write_all(b"\n")?;
        out.write_all(&head[line_start..line_start + indent])?;
    }
    // The tail starts with the placeholder's closing bracket.
    out.write_all(tail)?;
    out.write_all(b"\n")
}

/// Writes `value` as `serde_json`'s pretty printer (two spaces a level)
/// does when the value sits `depth` levels deep in the document.
pub(crate) fn write_pretty(
    out: &mut impl Write,
    value: &impl Serialize,
    depth: usize,
) -> io::Result<()> {
    let mut serializer = serde_json::Serializer::with_formatter(out, Pretty::at(depth));
    value.serialize(&mut serializer).map_err(io::Error::from)
}

/// The pretty printer's layout, starting at a given depth: what
/// `serde_json::ser::PrettyFormatter` writes, which cannot start deeper
/// than the top level (the tests compare the two).
struct Pretty {
    depth: usize,
    /// Whether the innermost open array or object has an element yet.
    has_value: bool,
}

impl Pretty {
    fn at(depth: usize) -> Pretty {
        Pretty {
            depth,
            has_value: false,
        }
    }

    fn open(&mut self, writer: &mut (impl Write + ?Sized), bracket: &[u8]) -> io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        writer.write_all(bracket)
    }

    fn close(&mut self, writer: &mut (impl Write + ?Sized), bracket: &[u8]) -> io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            self.new_line(writer, b"\n")?;
        }
        writer.write_all(bracket)
    }

    /// A line break (after a comma unless `first`) and the indentation.
    fn element(&mut self, writer: &mut (impl Write + ?Sized), first: bool) -> io::Result<()> {
        self.new_line(writer, if first { b"\n" } else { b",\n" })
    }

    fn new_line(&self, writer: &mut (impl Write + ?Sized), separator: &[u8]) -> io::Result<()> {
        writer.write_all(separator)?;
        for _ in 0..self.depth {
            writer.write_all(b"  ")?;
        }
        Ok(())
    }
}

impl serde_json::ser::Formatter for Pretty {
    fn begin_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.open(writer, b"[")
    }

    fn end_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.close(writer, b"]")
    }

    fn begin_array_value<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.element(writer, first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, _writer: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.open(writer, b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.close(writer, b"}")
    }

    fn begin_object_key<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.element(writer, first)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        writer.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _writer: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// Catalogues analysed in memory, for the renderers' tests.
#[cfg(test)]
pub(crate) mod test_support {
    use super::Report;
    use crate::load::Catalogue;
    use crate::rules::engine::Outcome;

    /// Loads `files` (path, text) and analyses them on 2026-11-26.
    pub(crate) fn analysed(files: &[(&str, &str)]) -> (Catalogue, Outcome) {
        let options = crate::load::LoadOptions {
            rule_codes: crate::rules::codes(),
            ..Default::default()
        };
        let catalogue = crate::load::load_memory(files, None, &options).unwrap();
        let outcome = crate::analyse(&catalogue, now());
        (catalogue, outcome)
    }

    pub(crate) fn now() -> crate::model::Date {
        crate::model::Date::parse("2026-11-26").unwrap()
    }

    pub(crate) fn report<'a>(catalogue: &'a Catalogue, outcome: &'a Outcome) -> Report<'a> {
        Report::of(catalogue, outcome, now())
    }

    /// `count` identity files (path, text), each granted a privileged role
    /// approved by the identity itself, with a manager that does not exist:
    /// several findings each, some with related locations in the role file.
    pub(crate) fn people_holding_admin(count: usize) -> Vec<(String, String)> {
        (0..count)
            .map(|n| {
                let text = format!(
                    "apiVersion: rolelint/v1\nkind: Identity\nid: p{n}\nmanager: p{n}x\n\
                     grants:\n  - role: admin\n    approved_by: p{n}\n"
                );
                (format!("people/p{n:04}.yaml"), text)
            })
            .collect()
    }

    /// `people` and the role file they point into, as [`analysed`] takes them.
    pub(crate) fn with_roles(people: &[(String, String)]) -> Vec<(&str, &str)> {
        const ROLES: &str = "apiVersion: rolelint/v1\nkind: Role\nid: admin\nprivileged: true\n\
                             permissions: [app:x]\n";
        let mut files = vec![("roles.yaml", ROLES)];
        files.extend(
            people
                .iter()
                .map(|(path, text)| (path.as_str(), text.as_str())),
        );
        files
    }
}

#[cfg(test)]
mod tests {
    use super::{
        CACHED_BYTES, FileId, RecentFiles, escape_markdown, inert_lines, neutralise_controls,
        neutralise_each, one_line, write_pretty,
    };
    use std::sync::Arc;

    #[test]
    fn the_source_cache_keeps_the_most_recently_used_files_within_its_budget() {
        let text = |bytes: usize| Some(Arc::<str>::from("x".repeat(bytes)));
        let mut recent = RecentFiles::default();
        let third = CACHED_BYTES / 3;
        recent.insert(FileId(0), text(third));
        recent.insert(FileId(1), text(third));
        recent.insert(FileId(2), text(third));
        assert!(
            recent.touch(FileId(0)).is_some(),
            "used again: now the newest"
        );
        // Over the budget: the least recently used (1) goes first.
        recent.insert(FileId(3), text(third));
        assert!(recent.touch(FileId(1)).is_none());
        assert!(recent.touch(FileId(0)).is_some());
        assert!(recent.touch(FileId(2)).is_some());
        assert!(recent.bytes <= CACHED_BYTES, "{}", recent.bytes);
        // One file larger than the budget is still kept, alone.
        recent.insert(FileId(4), text(CACHED_BYTES + 1));
        assert_eq!(recent.texts.len(), 1);
        assert!(recent.touch(FileId(4)).is_some());
        // An unreadable file is remembered as such.
        recent.insert(FileId(5), None);
        assert_eq!(recent.touch(FileId(5)), Some(None));
    }

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
    fn the_most_severe_findings_are_listed_in_report_order() {
        use crate::diagnostic::{Diagnostic, Severity};
        let findings: Vec<Diagnostic> = [
            Severity::Info,
            Severity::Error,
            Severity::Warning,
            Severity::Error,
            Severity::Info,
        ]
        .iter()
        .enumerate()
        .map(|(index, severity)| Diagnostic::new("a/b", *severity, format!("{index}")))
        .collect();
        let messages = |limit| {
            let (listed, left_out) = super::listed(&findings, limit);
            let messages: Vec<&str> = listed.iter().map(|f| f.message.as_str()).collect();
            (messages.join(""), left_out)
        };
        assert_eq!(messages(None), ("01234".to_owned(), 0));
        assert_eq!(messages(Some(5)), ("01234".to_owned(), 0));
        assert_eq!(messages(Some(3)), ("123".to_owned(), 2));
        assert_eq!(messages(Some(1)), ("1".to_owned(), 4));
        assert_eq!(messages(Some(0)), (String::new(), 5));
    }

    #[test]
    fn one_line_and_inert_lines_cannot_start_a_command() {
        assert_eq!(one_line("a\n::error::x\tb\u{2028}c"), "a ::error::x b c");
        assert_eq!(
            inert_lines("error: bad `x\n  ::add-mask::y`\n::error::z\u{1b}"),
            "error: bad `x\n↳   ::add-mask::y`\n↳ ::error::z\u{241b}"
        );
        assert_eq!(inert_lines("a\n  b"), "a\n  b");
    }

    #[test]
    fn printable_ascii_is_left_as_it_is_as_the_character_rules_would() {
        let mut characters: Vec<char> = (0u8..=0x7f).map(char::from).collect();
        characters.extend(['\u{80}', '\u{9b}', 'é', '\u{2028}', '\u{202e}', '日']);
        for a in &characters {
            for b in &characters {
                let text = format!("x{a}{b}y");
                assert_eq!(
                    neutralise_controls(&text),
                    neutralise_each(&text),
                    "{text:?}"
                );
                assert_eq!(
                    one_line(&text),
                    neutralise_each(&text).replace(['\n', '\t'], " "),
                    "{text:?}"
                );
            }
        }
    }

    #[test]
    fn the_layout_at_depth_zero_is_serde_jsons_pretty_layout() {
        let value = serde_json::json!({
            "empty object": {},
            "empty list": [],
            "nested": [[1, [2, {}]], {"a": [], "b": {"c": null}}],
            "text": "two\nlines \"quoted\"",
        });
        let mut bytes = Vec::new();
        write_pretty(&mut bytes, &value, 0).unwrap();
        assert_eq!(
            String::from_utf8(bytes).unwrap(),
            serde_json::to_string_pretty(&value).unwrap()
        );
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
