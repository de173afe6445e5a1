//! Baselines: the findings a team has accepted for now, so that a large
//! existing catalogue can adopt rolelint and fail only on new findings
//! (`rolelint check --write-baseline FILE`, then `--baseline FILE`).
//!
//! A finding matches a baseline entry by its *key*: rule, object (kind and
//! id) and detail, never its path or line, so moving a document to another
//! file or adding lines above it keeps the entry. The message is part of the
//! key only where rule, object and detail cannot tell two findings apart
//! (see [`message_identifies`]); it is then normalised so that line numbers
//! and dates in it do not matter. Keys are counted: two identical findings
//! need two entries. The file format is documented in `docs/ci.md`.

use std::borrow::Borrow;
use std::collections::HashMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::diagnostic::{Diagnostic, ObjectRef, Severity};
use crate::load::INVALID_DOCUMENT;
use crate::model::{Date, Id, Kind, RefError};
use crate::report::neutralise_controls;

/// The version of the baseline file format this rolelint reads and writes.
pub const FORMAT_VERSION: u64 = 1;

/// At most this many stale entries are listed on stderr; the rest are counted.
const STALE_LISTED: usize = 10;

/// Why a baseline file's contents cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum FormatError {
    #[error(transparent)]
    Json(#[from] serde_json::Error),
    #[error(
        "it is not a JSON object (a rolelint baseline is `{{\"version\": 1, \"findings\": [...]}}`)"
    )]
    NotAnObject,
    #[error("it has no `version` (a rolelint baseline starts with `\"version\": 1`)")]
    MissingVersion,
    #[error("its `version` is not a whole number")]
    BadVersion,
    #[error(
        "it is in format version {0}, but this rolelint reads version {FORMAT_VERSION}; write it again with `--write-baseline`"
    )]
    UnsupportedVersion(u64),
    #[error("`date` is not a date: `{0}`")]
    BadDate(String),
    #[error("findings[{index}]: unknown object kind `{kind}` (one of {})", Kind::KEYWORDS.join(", "))]
    UnknownKind { index: usize, kind: String },
    #[error("findings[{index}]: {source}")]
    BadId {
        index: usize,
        #[source]
        source: RefError,
    },
}

/// A baseline that cannot be read or written: rolelint cannot do its job
/// (exit code 2).
#[derive(Debug, thiserror::Error)]
pub enum BaselineError {
    #[error("cannot read baseline `{}`", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("baseline `{}` is invalid", path.display())]
    Invalid {
        path: PathBuf,
        #[source]
        source: FormatError,
    },
    #[error(
        "cannot write baseline `{}`: directory `{}` does not exist",
        path.display(),
        directory.display()
    )]
    NoDirectory { path: PathBuf, directory: PathBuf },
    #[error("cannot write baseline `{}`", path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// One accepted finding. `severity` and (where it is not part of the key)
/// `message` are there for the people who review the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub rule: String,
    pub severity: Severity,
    pub object: Option<ObjectRef>,
    pub detail: Option<String>,
    pub message: String,
}

/// What tells findings apart across runs: never a path or a line.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Key {
    rule: String,
    object: Option<ObjectRef>,
    detail: Option<String>,
    /// The normalised message, only where it is needed (see [`message_identifies`]).
    message: Option<String>,
}

impl Key {
    fn new(rule: &str, object: Option<&ObjectRef>, detail: Option<&str>, message: &str) -> Key {
        Key {
            rule: rule.to_owned(),
            object: object.cloned(),
            detail: detail.map(str::to_owned),
            message: message_identifies(rule, object).then(|| normalise_message(message)),
        }
    }

    fn of_finding(finding: &Diagnostic) -> Key {
        Key::new(
            finding.rule,
            finding.object.as_ref(),
            finding.detail.as_deref(),
            &finding.message,
        )
    }

    fn of_entry(entry: &Entry) -> Key {
        Key::new(
            &entry.rule,
            entry.object.as_ref(),
            entry.detail.as_deref(),
            &entry.message,
        )
    }
}

/// Whether the message is needed to tell findings of `rule` apart.
///
/// The built-in rules name the sub-item a finding is about in its detail
/// (RULES.md), so rule, object and detail identify it, and their messages,
/// which say how many days ago something happened, change from day to day.
/// But one document can have many schema problems, a custom policy can deny
/// one object for several reasons, and a finding on no object has nothing
/// else to go by.
pub fn message_identifies(rule: &str, object: Option<&ObjectRef>) -> bool {
    rule == INVALID_DOCUMENT || rule.starts_with("policy/") || object.is_none()
}

/// The message as matched: every run of digits becomes `#` and every run of
/// white space one space, so line numbers, counts and dates do not matter.
pub fn normalise_message(message: &str) -> String {
    let mut normalised = String::with_capacity(message.len());
    let mut previous: Option<char> = None;
    for c in message.trim().chars() {
        let c = if c.is_ascii_digit() {
            '#'
        } else if c.is_whitespace() {
            ' '
        } else {
            c
        };
        if (c == '#' || c == ' ') && previous == Some(c) {
            continue;
        }
        normalised.push(c);
        previous = Some(c);
    }
    normalised
}

/// The accepted findings, sorted by rule, object kind and id, detail and message.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Baseline {
    entries: Vec<Entry>,
}

/// The findings of a run compared with a baseline: owned findings for
/// `check`, borrowed ones for the introduced findings of `diff`.
#[derive(Debug)]
pub struct Filtered<T = Diagnostic> {
    /// The findings the baseline does not account for, in their order.
    pub findings: Vec<T>,
    /// How many findings the baseline accounted for.
    pub baselined: usize,
    /// Entries that matched no finding: fixed, or changed beyond recognition.
    pub stale: Vec<Entry>,
}

impl Baseline {
    /// Accepts every one of `findings`.
    pub fn of_findings(findings: &[Diagnostic]) -> Baseline {
        let mut entries: Vec<Entry> = findings
            .iter()
            .map(|finding| Entry {
                rule: finding.rule.to_owned(),
                severity: finding.severity,
                object: finding.object.clone(),
                detail: finding.detail.clone(),
                message: finding.message.clone(),
            })
            .collect();
        sort(&mut entries);
        Baseline { entries }
    }

    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Parses a baseline file's text.
    pub fn from_json(text: &str) -> Result<Baseline, FormatError> {
        // The version first, so that a file from another version says so
        // instead of failing on a field this version does not know.
        let header: serde_json::Value = serde_json::from_str(text)?;
        let Some(header) = header.as_object() else {
            return Err(FormatError::NotAnObject);
        };
        match header.get("version").map(serde_json::Value::as_u64) {
            None => return Err(FormatError::MissingVersion),
            Some(Some(FORMAT_VERSION)) => {}
            Some(Some(other)) => return Err(FormatError::UnsupportedVersion(other)),
            Some(None) => return Err(FormatError::BadVersion),
        }
        // Parsed again from the text, so that errors say where they are.
        let file: FileV1 = serde_json::from_str(text)?;
        if let Some(date) = &file.date
            && Date::parse(date).is_err()
        {
            return Err(FormatError::BadDate(date.clone()));
        }
        let mut entries = file
            .findings
            .into_iter()
            .enumerate()
            .map(|(index, recorded)| {
                let object = match recorded.object {
                    None => None,
                    Some(object) => {
                        let kind =
                            Kind::parse(&object.kind).ok_or_else(|| FormatError::UnknownKind {
                                index,
                                kind: object.kind.clone(),
                            })?;
                        let id = Id::parse(&object.id)
                            .map_err(|source| FormatError::BadId { index, source })?;
                        Some(ObjectRef { kind, id })
                    }
                };
                Ok(Entry {
                    rule: recorded.rule,
                    severity: recorded.severity.into(),
                    object,
                    detail: recorded.detail,
                    message: recorded.message,
                })
            })
            .collect::<Result<Vec<Entry>, FormatError>>()?;
        // A file edited by hand still lists its stale entries in order.
        sort(&mut entries);
        Ok(Baseline { entries })
    }

    /// Reads a baseline file.
    pub fn read(path: &Path) -> Result<Baseline, BaselineError> {
        let text = std::fs::read_to_string(path).map_err(|source| BaselineError::Read {
            path: path.to_owned(),
            source,
        })?;
        Baseline::from_json(&text).map_err(|source| BaselineError::Invalid {
            path: path.to_owned(),
            source,
        })
    }

    /// The file's text: versioned, sorted, pretty JSON with a trailing newline.
    /// `date` is the evaluation date of the run that wrote it.
    pub fn to_json(&self, date: Date) -> String {
        let file = FileV1 {
            version: FORMAT_VERSION,
            tool: Some(Tool {
                name: "rolelint".to_owned(),
                version: env!("CARGO_PKG_VERSION").to_owned(),
            }),
            date: Some(date.to_string()),
            findings: self
                .entries
                .iter()
                .map(|entry| RecordedEntry {
                    rule: entry.rule.clone(),
                    severity: entry.severity.into(),
                    object: entry.object.as_ref().map(|object| RecordedObject {
                        kind: object.kind.as_str().to_owned(),
                        id: object.id.as_str().to_owned(),
                    }),
                    detail: entry.detail.clone(),
                    message: entry.message.clone(),
                })
                .collect(),
        };
        // Plain structs of strings and numbers always serialize.
        let mut text = serde_json::to_string_pretty(&file).unwrap_or_default();
        text.push('\n');
        text
    }

    /// Writes the baseline atomically: to a temporary file in the target's
    /// directory, flushed to disk, then renamed over the target, so that a
    /// failed or interrupted write never leaves a partial baseline.
    pub fn write(&self, path: &Path, date: Date) -> Result<(), BaselineError> {
        let error = |source| BaselineError::Write {
            path: path.to_owned(),
            source,
        };
        let directory = match path.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent,
            _ => Path::new("."),
        };
        // Said plainly: the error of creating the temporary file would name
        // that file, which the user never asked for.
        if !directory.is_dir() {
            return Err(BaselineError::NoDirectory {
                path: path.to_owned(),
                directory: directory.to_owned(),
            });
        }
        let mut builder = tempfile::Builder::new();
        builder.prefix(".rolelint-baseline-").suffix(".tmp");
        // A baseline is a file to commit and share, not a secret: the usual
        // mode of a new file (the umask applies), not a temporary file's 0600.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            builder.permissions(std::fs::Permissions::from_mode(0o666));
        }
        let mut temporary = builder.tempfile_in(directory).map_err(error)?;
        temporary
            .write_all(self.to_json(date).as_bytes())
            .and_then(|()| temporary.as_file().sync_all())
            .map_err(error)?;
        // On failure the temporary file is dropped, which deletes it.
        temporary
            .persist(path)
            .map_err(|persist| error(persist.error))?;
        Ok(())
    }

    /// Compares the findings of a run with the baseline. Of several findings
    /// with one key, the first ones in output order are the baselined ones.
    pub fn filter<T: Borrow<Diagnostic>>(&self, findings: Vec<T>) -> Filtered<T> {
        let keys: Vec<Key> = self.entries.iter().map(Key::of_entry).collect();
        let mut unmatched: HashMap<&Key, usize> = HashMap::with_capacity(keys.len());
        for key in &keys {
            *unmatched.entry(key).or_default() += 1;
        }
        let mut filtered = Filtered {
            findings: Vec::new(),
            baselined: 0,
            stale: Vec::new(),
        };
        for finding in findings {
            match unmatched.get_mut(&Key::of_finding(finding.borrow())) {
                Some(count) if *count > 0 => {
                    *count -= 1;
                    filtered.baselined += 1;
                }
                _ => filtered.findings.push(finding),
            }
        }
        for (entry, key) in self.entries.iter().zip(&keys) {
            if let Some(count) = unmatched.get_mut(key)
                && *count > 0
            {
                *count -= 1;
                filtered.stale.push(entry.clone());
            }
        }
        filtered
    }
}

/// What `--baseline` and `--write-baseline` did in one run.
#[derive(Debug)]
pub struct Applied {
    /// The file the findings were compared with.
    pub compared_with: PathBuf,
    /// The file written, and how many entries it holds.
    pub written: Option<(PathBuf, usize)>,
    pub baselined: usize,
    pub stale: Vec<Entry>,
}

/// Applies the baseline options to the findings of a run and returns the
/// findings left to report. With `write`, every finding is written there
/// first; the findings are then compared with `read` (read before anything
/// was written, so it may be the same file) or, when only writing, with
/// what was just written, so that run reports nothing.
pub fn apply(
    findings: Vec<Diagnostic>,
    read: Option<(&Path, Baseline)>,
    write: Option<&Path>,
    date: Date,
) -> Result<(Vec<Diagnostic>, Option<Applied>), BaselineError> {
    let written = match write {
        Some(path) => {
            let baseline = Baseline::of_findings(&findings);
            baseline.write(path, date)?;
            Some((path, baseline))
        }
        None => None,
    };
    let written_summary = written
        .as_ref()
        .map(|(path, baseline)| (path.to_path_buf(), baseline.len()));
    let (compared_with, baseline) = match (read, written) {
        (Some((path, baseline)), _) | (None, Some((path, baseline))) => (path, baseline),
        (None, None) => return Ok((findings, None)),
    };
    let filtered = baseline.filter(findings);
    Ok((
        filtered.findings,
        Some(Applied {
            compared_with: compared_with.to_path_buf(),
            written: written_summary,
            baselined: filtered.baselined,
            stale: filtered.stale,
        }),
    ))
}

fn plural(count: usize, one: &str, many: &str) -> String {
    format!("{count} {}", if count == 1 { one } else { many })
}

fn shown(path: &Path) -> String {
    neutralise_controls(&path.display().to_string())
}

impl Applied {
    /// One line for the human output, below its summary.
    pub fn summary_line(&self) -> String {
        let mut line = format!(
            "rolelint: {} in the baseline `{}` not shown",
            plural(self.baselined, "finding", "findings"),
            shown(&self.compared_with),
        );
        if !self.stale.is_empty() {
            line.push_str(&format!(
                "; {} no longer found",
                plural(self.stale.len(), "baseline entry", "baseline entries")
            ));
        }
        line.push('\n');
        line
    }

    /// Notes for stderr: what was written, the stale entries, and (for the
    /// formats whose stdout is a document) the counts of [`Self::summary_line`].
    pub fn notes(&self, with_counts: bool) -> String {
        let mut notes = String::new();
        if let Some((path, count)) = &self.written {
            notes.push_str(&format!(
                "rolelint: wrote {} to the baseline `{}`\n",
                plural(*count, "finding", "findings"),
                shown(path)
            ));
        }
        if with_counts {
            notes.push_str(&self.summary_line());
        }
        if !self.stale.is_empty() {
            notes.push_str(&format!(
                "rolelint: note: {} of `{}` matched no finding (fixed, or changed); write the baseline again with `--write-baseline` to drop {}:\n",
                plural(self.stale.len(), "entry", "entries"),
                shown(&self.compared_with),
                if self.stale.len() == 1 { "it" } else { "them" },
            ));
            for entry in self.stale.iter().take(STALE_LISTED) {
                notes.push_str(&format!("  - {}\n", describe(entry)));
            }
            if self.stale.len() > STALE_LISTED {
                notes.push_str(&format!(
                    "  … and {} more\n",
                    self.stale.len() - STALE_LISTED
                ));
            }
        }
        notes
    }
}

/// The order of a baseline file: by rule, object kind and id, detail, message.
fn sort(entries: &mut [Entry]) {
    entries.sort_by(|a, b| {
        a.rule
            .cmp(&b.rule)
            .then_with(|| object_order(a).cmp(&object_order(b)))
            .then_with(|| a.detail.cmp(&b.detail))
            .then_with(|| a.message.cmp(&b.message))
            .then_with(|| a.severity.cmp(&b.severity))
    });
}

/// Objects sort by kind name, then id, so the file reads alphabetically.
fn object_order(entry: &Entry) -> Option<(&str, &str)> {
    entry
        .object
        .as_ref()
        .map(|object| (object.kind.as_str(), object.id.as_str()))
}

/// `rule on Kind id · detail`, or the message for findings on no object.
fn describe(entry: &Entry) -> String {
    let mut text = entry.rule.clone();
    match &entry.object {
        Some(object) => text.push_str(&format!(" on {object}")),
        None => text.push_str(&format!(": {}", entry.message)),
    }
    if let Some(detail) = &entry.detail {
        text.push_str(&format!(" · {detail}"));
    }
    neutralise_controls(&text)
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileV1 {
    version: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    tool: Option<Tool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    date: Option<String>,
    findings: Vec<RecordedEntry>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Tool {
    name: String,
    version: String,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RecordedEntry {
    rule: String,
    severity: RecordedSeverity,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    object: Option<RecordedObject>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    detail: Option<String>,
    message: String,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RecordedObject {
    kind: String,
    id: String,
}

#[derive(Clone, Copy, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
enum RecordedSeverity {
    Error,
    Warning,
    Info,
}

impl From<Severity> for RecordedSeverity {
    fn from(severity: Severity) -> Self {
        match severity {
            Severity::Error => RecordedSeverity::Error,
            Severity::Warning => RecordedSeverity::Warning,
            Severity::Info => RecordedSeverity::Info,
        }
    }
}

impl From<RecordedSeverity> for Severity {
    fn from(severity: RecordedSeverity) -> Self {
        match severity {
            RecordedSeverity::Error => Severity::Error,
            RecordedSeverity::Warning => Severity::Warning,
            RecordedSeverity::Info => Severity::Info,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date() -> Date {
        Date::parse("2026-11-26").unwrap()
    }

    fn finding(rule: &'static str, id: &str, detail: Option<&str>, message: &str) -> Diagnostic {
        let mut finding = Diagnostic::new(rule, Severity::Error, message)
            .on(Kind::Identity, &Id::parse(id).unwrap());
        finding.detail = detail.map(str::to_owned);
        finding
    }

    #[test]
    fn messages_are_normalised_for_lines_dates_and_spacing() {
        assert_eq!(
            normalise_message("  permission `a` is declared twice (first on line 12)\n"),
            "permission `a` is declared twice (first on line #)"
        );
        assert_eq!(
            normalise_message("due on 2026-10-31  (3 days ago)"),
            "due on #-#-# (# days ago)"
        );
        // Idempotent, so a stored message may be normalised again.
        let once = normalise_message("x 12  y");
        assert_eq!(normalise_message(&once), once);
    }

    #[test]
    fn messages_of_built_in_rules_with_an_object_are_not_part_of_the_key() {
        let yesterday = finding(
            "lifecycle/expired-grant",
            "alice",
            Some("admin"),
            "expired (1 day ago)",
        );
        let today = finding(
            "lifecycle/expired-grant",
            "alice",
            Some("admin"),
            "expired (yesterday)",
        );
        assert_eq!(Key::of_finding(&yesterday), Key::of_finding(&today));
        let schema_a = finding(INVALID_DOCUMENT, "alice", None, "unknown field `nmae`");
        let schema_b = finding(INVALID_DOCUMENT, "alice", None, "duplicate key `grants`");
        assert_ne!(Key::of_finding(&schema_a), Key::of_finding(&schema_b));
        let policy_a = finding("policy/acme.naming", "alice", None, "name too long");
        let policy_b = finding("policy/acme.naming", "alice", None, "name has spaces");
        assert_ne!(Key::of_finding(&policy_a), Key::of_finding(&policy_b));
    }

    #[test]
    fn keys_are_counted_and_leftover_entries_are_stale() {
        let twice = finding("lifecycle/expired-grant", "alice", Some("admin"), "expired");
        let other = finding("lifecycle/expired-grant", "bob", Some("admin"), "expired");
        let baseline = Baseline::of_findings(&[twice.clone(), twice.clone(), other.clone()]);

        // Three of the same now: the baseline accounts for two.
        let filtered = baseline.filter(vec![twice.clone(), twice.clone(), twice.clone()]);
        assert_eq!(filtered.baselined, 2);
        assert_eq!(filtered.findings, vec![twice.clone()]);
        assert_eq!(filtered.stale.len(), 1);
        assert_eq!(
            filtered.stale[0].object.as_ref().unwrap().id.as_str(),
            "bob"
        );

        // One of them fixed: one entry is stale.
        let filtered = baseline.filter(vec![twice.clone(), other]);
        assert!(filtered.findings.is_empty());
        assert_eq!(filtered.baselined, 2);
        assert_eq!(filtered.stale.len(), 1);
        assert_eq!(
            filtered.stale[0].object.as_ref().unwrap().id.as_str(),
            "alice"
        );
    }

    #[test]
    fn the_file_round_trips_and_is_sorted() {
        let findings = vec![
            finding("ownership/missing-owner", "zed", None, "no owner"),
            finding("lifecycle/expired-grant", "bob", Some("admin"), "expired"),
            finding("lifecycle/expired-grant", "alice", Some("admin"), "expired"),
            Diagnostic::new(INVALID_DOCUMENT, Severity::Error, "YAML syntax error: bad"),
        ];
        let baseline = Baseline::of_findings(&findings);
        let text = baseline.to_json(date());
        assert!(
            text.starts_with("{\n  \"version\": 1,\n  \"tool\": {"),
            "{text}"
        );
        assert!(text.contains("\"date\": \"2026-11-26\""));
        let ids: Vec<String> = baseline
            .entries()
            .iter()
            .map(|entry| {
                format!(
                    "{} {:?}",
                    entry.rule,
                    entry.object.as_ref().map(|o| o.id.as_str())
                )
            })
            .collect();
        assert_eq!(
            ids,
            [
                "lifecycle/expired-grant Some(\"alice\")",
                "lifecycle/expired-grant Some(\"bob\")",
                "ownership/missing-owner Some(\"zed\")",
                "schema/invalid-document None",
            ]
        );
        assert_eq!(Baseline::from_json(&text).unwrap(), baseline);
    }

    #[test]
    fn bad_files_say_what_is_wrong() {
        let error = |text: &str| Baseline::from_json(text).unwrap_err().to_string();
        assert!(error("{").contains("EOF"));
        assert!(error("{\"findings\": []}").contains("no `version`"));
        assert!(error("{\"version\": 2, \"findings\": []}").contains("format version 2"));
        assert!(
            error("{\"version\": 1, \"findings\": [], \"extra\": 1}")
                .contains("unknown field `extra`")
        );
        assert!(error("{\"version\": 1, \"date\": \"soon\", \"findings\": []}").contains("`soon`"));
        let unknown_kind = r#"{"version": 1, "findings": [
            {"rule": "r/x", "severity": "error", "object": {"kind": "Rol", "id": "a"}, "message": "m"}]}"#;
        assert!(error(unknown_kind).contains("findings[0]: unknown object kind `Rol`"));
        let bad_severity =
            r#"{"version": 1, "findings": [{"rule": "r/x", "severity": "fatal", "message": "m"}]}"#;
        assert!(error(bad_severity).contains("unknown variant `fatal`"));
    }
}
