//! `--format sarif`: SARIF 2.1.0 for GitHub code scanning and other SARIF
//! viewers (docs/cli.md, "SARIF output").
//!
//! One run; `tool.driver.rules` lists every built-in rule in registry order,
//! so a `ruleIndex` never changes with the findings. Paths are relative to
//! the catalogue root, under the `%SRCROOT%` base. Findings that come through
//! a chain (inheritance, separation of duties, a grant and what it grants)
//! also get a code flow that walks the chain through the YAML files.

use std::collections::{BTreeMap, HashMap};

use percent_encoding::utf8_percent_encode;

use super::URI_PATH;
use serde::Serialize;

use super::{EmptyArray, Report, SourceCache, write_with_array};
use crate::diagnostic::{Diagnostic, Severity};
use crate::lines;
use crate::model::Span;
use crate::rules::{RULES, RuleMeta};

const SARIF_VERSION: &str = "2.1.0";
const SARIF_SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
/// The base every artifact URI is relative to: the catalogue root.
const SRCROOT: &str = "%SRCROOT%";
/// The name (and version) of rolelint's partial fingerprint.
const FINGERPRINT_NAME: &str = "rolelintFinding/v1";

/// Rules whose related locations form a chain from the finding to its cause
/// (in the order the rules list them), so they also get a code flow. All
/// `sod/` rules are chains too.
const CHAIN_RULES: &[&str] = &[
    "evidence/missing-approval",
    "evidence/self-approval",
    "lifecycle/excessive-duration",
    "lifecycle/expired-grant",
    "lifecycle/missing-expiry",
    "lifecycle/terminated-identity-access",
    "overlap/redundant-grant",
    "privilege/department-mismatch",
    "privilege/direct-permission-grant",
    "privilege/non-human-privileged",
    "privilege/privileged-role-without-mfa",
    "privilege/standing-privileged-access",
    "privilege/undeclared-privileged-role",
];

#[derive(Serialize)]
struct Log<R> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<R>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<R> {
    tool: Tool,
    invocations: [Invocation; 1],
    original_uri_base_ids: BTreeMap<&'static str, BaseUri>,
    column_kind: &'static str,
    /// An [`EmptyArray`] as [`write`] serializes the log; the tests
    /// serialize [`Results`] in its place, in one piece, to compare.
    results: R,
    properties: RunProperties,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    rules: Vec<RuleDescriptor>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation {
    execution_successful: bool,
}

#[derive(Serialize)]
struct BaseUri {
    description: Text,
}

#[derive(Serialize)]
struct RunProperties {
    now: String,
    files: usize,
    objects: usize,
    suppressed: usize,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

impl Text {
    fn new(text: impl Into<String>) -> Self {
        Text { text: text.into() }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RuleDescriptor {
    id: &'static str,
    name: String,
    short_description: Text,
    full_description: Text,
    default_configuration: Configuration,
    help: Help,
    properties: RuleProperties,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
struct RuleProperties {
    tags: Vec<String>,
    #[serde(rename = "security-severity", skip_serializing_if = "Option::is_none")]
    security_severity: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule_index: Option<usize>,
    level: &'static str,
    message: Text,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    locations: Vec<Location>,
    partial_fingerprints: BTreeMap<&'static str, String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<Location>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    code_flows: Vec<CodeFlow>,
    properties: ResultProperties,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    logical_locations: Vec<LogicalLocation>,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Text>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    uri_base_id: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: u32,
    start_column: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_line: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_column: Option<u32>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LogicalLocation {
    name: String,
    fully_qualified_name: String,
    kind: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CodeFlow {
    thread_flows: [ThreadFlow; 1],
}

#[derive(Serialize)]
struct ThreadFlow {
    locations: Vec<ThreadFlowLocation>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ThreadFlowLocation {
    location: Location,
    execution_order: usize,
}

#[derive(Serialize)]
struct ResultProperties {
    #[serde(skip_serializing_if = "Option::is_none")]
    object: Option<ObjectProperty>,
    #[serde(skip_serializing_if = "Option::is_none")]
    detail: Option<String>,
}

#[derive(Serialize)]
struct ObjectProperty {
    kind: &'static str,
    id: String,
}

/// SARIF's level for a severity.
fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// GitHub's `security-severity` (0.1–10): error-level rules rate "high"
/// (7.0–8.9), the others have none and keep GitHub's error/warning/note.
fn security_severity(severity: Severity) -> Option<&'static str> {
    match severity {
        Severity::Error => Some("8.0"),
        Severity::Warning | Severity::Info => None,
    }
}

/// `lifecycle/expired-grant` → `LifecycleExpiredGrant`: SARIF's `name` is an
/// identifier without the `/` and `-` of the code.
fn pascal_case(code: &str) -> String {
    code.split(['/', '-'])
        .flat_map(|word| {
            let mut chars = word.chars();
            chars
                .next()
                .map(|first| first.to_ascii_uppercase())
                .into_iter()
                .chain(chars)
        })
        .collect()
}

/// The first sentence of a rule's summary.
fn first_sentence(text: &str) -> &str {
    match text.find(". ") {
        Some(end) => &text[..=end],
        None => text,
    }
}

fn rule_descriptor(meta: &RuleMeta) -> RuleDescriptor {
    let help = meta.markdown();
    let mut tags = vec!["security".to_owned(), meta.category().to_owned()];
    tags.extend(
        meta.docs
            .controls
            .iter()
            .map(|control| (*control).to_owned()),
    );
    RuleDescriptor {
        id: meta.code,
        name: pascal_case(meta.code),
        short_description: Text::new(first_sentence(meta.docs.summary)),
        full_description: Text::new(meta.docs.summary),
        default_configuration: Configuration {
            level: level(meta.severity),
        },
        help: Help {
            text: help.clone(),
            markdown: help,
        },
        properties: RuleProperties {
            tags,
            security_severity: security_severity(meta.severity),
        },
    }
}

/// Escapes text from the catalogue for a SARIF message: viewers read
/// `[text](target)` in a message as a link, so literal brackets (and the
/// backslash that escapes them) are escaped with a backslash (SARIF 3.11.6).
fn escape_message(text: &str) -> String {
    // Copied a stretch at a time: most messages have no bracket at all.
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(index) = memchr::memchr3(b'\\', b'[', b']', rest.as_bytes()) {
        out.push_str(&rest[..index]);
        out.push('\\');
        // The character found is one byte (ASCII).
        out.push_str(&rest[index..=index]);
        rest = &rest[index + 1..];
    }
    out.push_str(rest);
    out
}

/// A catalogue-relative path as a URI reference.
fn uri(path: &str) -> String {
    utf8_percent_encode(path, URI_PATH).to_string()
}

/// The line and column just after a span (SARIF ends are exclusive), from
/// the file's text; `None` for an empty span or when the text is not at hand.
fn span_end(text: &str, span: Span) -> Option<(u32, u32)> {
    let start = span.offset as usize;
    let covered = text
        .get(start..start.checked_add(span.len as usize)?)?
        .trim_end_matches(['\n', '\r']);
    // One pass: the number of line breaks inside the span, and its last
    // line (which has none: the trailing ones were trimmed).
    let mut lines = lines::split_inclusive(covered);
    let first = lines.next()?;
    let (breaks, last_line) = lines.fold((0usize, first), |(breaks, _), line| (breaks + 1, line));
    let last_width = u32::try_from(last_line.chars().count()).ok()?;
    let end = match breaks {
        0 => (span.line, span.column.checked_add(last_width)?),
        _ => (
            span.line.checked_add(u32::try_from(breaks).ok()?)?,
            last_width.checked_add(1)?,
        ),
    };
    Some(end)
}

/// Builds locations, reading the files with findings for region ends.
struct Locator<'a> {
    report: &'a Report<'a>,
    sources: &'a SourceCache<'a>,
}

impl Locator<'_> {
    fn physical(&self, span: Span) -> PhysicalLocation {
        let report = self.report;
        let text = self.sources.text(span.file);
        let end = text.as_deref().and_then(|text| span_end(text, span));
        PhysicalLocation {
            artifact_location: ArtifactLocation {
                uri: uri(report.sources.path(span.file)),
                uri_base_id: SRCROOT,
            },
            region: Region {
                start_line: span.line,
                start_column: span.column,
                end_line: end.map(|(line, _)| line),
                end_column: end.map(|(_, column)| column),
            },
        }
    }

    fn location(&self, span: Span, id: Option<usize>, message: Option<String>) -> Location {
        Location {
            id,
            physical_location: self.physical(span),
            logical_locations: Vec::new(),
            message: message.map(|message| Text::new(escape_message(&message))),
        }
    }
}

/// What a finding is about, for the primary location of its code flow.
fn label(finding: &Diagnostic) -> Option<String> {
    match (&finding.object, &finding.detail) {
        (Some(object), Some(detail)) => Some(format!("{object} · {detail}")),
        (Some(object), None) => Some(object.to_string()),
        (None, Some(detail)) => Some(detail.clone()),
        (None, None) => None,
    }
}

fn is_chain(rule: &str) -> bool {
    rule.starts_with("sod/") || CHAIN_RULES.contains(&rule)
}

/// FNV-1a, 64 bits: tiny, fast and fixed forever, which is what a
/// fingerprint needs (it is not a defence against collisions on purpose).
fn fnv1a(fields: &[Option<&str>]) -> u64 {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    let mut hash = OFFSET;
    let mut eat = |byte: u8| {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(PRIME);
    };
    for field in fields {
        // 0xFF never occurs in UTF-8, so fields cannot run into each other;
        // 0xFE marks an absent field.
        match field {
            Some(text) => text.bytes().for_each(&mut eat),
            None => eat(0xfe),
        }
        eat(0xff);
    }
    hash
}

/// The hash of what identifies a finding regardless of where it sits in the
/// file: rule, object kind and id, detail (the file's path when the finding
/// is on no object). Line numbers and the message are left out, so editing
/// other parts of the file, or the passing of days, keeps it.
fn identity_hash(report: &Report, finding: &Diagnostic) -> u64 {
    let path = match &finding.object {
        Some(_) => None,
        None => finding.span.map(|span| report.sources.path(span.file)),
    };
    fnv1a(&[
        Some(finding.rule),
        finding.object.as_ref().map(|object| object.kind.as_str()),
        finding.object.as_ref().map(|object| object.id.as_str()),
        finding.detail.as_deref(),
        path,
    ])
}

fn result(
    locator: &Locator,
    rule_indexes: &HashMap<&str, usize>,
    finding: &Diagnostic,
    fingerprint: String,
) -> SarifResult {
    let logical_locations: Vec<LogicalLocation> = finding
        .object
        .iter()
        .map(|object| LogicalLocation {
            name: object.id.to_string(),
            fully_qualified_name: format!("{}/{}", object.kind, object.id),
            kind: "resource",
        })
        .collect();
    let locations: Vec<Location> = finding
        .span
        .map(|span| Location {
            logical_locations,
            ..locator.location(span, None, None)
        })
        .into_iter()
        .collect();
    let related_locations: Vec<Location> = finding
        .related
        .iter()
        .enumerate()
        .map(|(index, related)| {
            locator.location(related.span, Some(index + 1), Some(related.message.clone()))
        })
        .collect();
    let code_flows = match finding.span {
        Some(span) if is_chain(finding.rule) && !finding.related.is_empty() => {
            let steps = std::iter::once((span, label(finding)))
                .chain(
                    finding
                        .related
                        .iter()
                        .map(|related| (related.span, Some(related.message.clone()))),
                )
                .enumerate()
                .map(|(index, (span, message))| ThreadFlowLocation {
                    location: locator.location(span, None, message),
                    execution_order: index + 1,
                })
                .collect();
            vec![CodeFlow {
                thread_flows: [ThreadFlow { locations: steps }],
            }]
        }
        _ => Vec::new(),
    };
    let mut message = escape_message(&finding.message);
    if let Some(help) = &finding.help {
        message.push_str("\n\nHelp: ");
        message.push_str(&escape_message(help));
    }
    SarifResult {
        rule_id: finding.rule,
        rule_index: rule_indexes.get(finding.rule).copied(),
        level: level(finding.severity),
        message: Text::new(message),
        locations,
        partial_fingerprints: BTreeMap::from([(FINGERPRINT_NAME, fingerprint)]),
        related_locations,
        code_flows,
        properties: ResultProperties {
            object: finding.object.as_ref().map(|object| ObjectProperty {
                kind: object.kind.as_str(),
                id: object.id.to_string(),
            }),
            detail: finding.detail.clone(),
        },
    }
}

/// Findings turned into results by one task, and by all tasks before they
/// are serialized.
const RESULTS_BATCH: usize = 128;
const RESULTS_WINDOW: usize = 4096;

/// What building results needs. [`write`] builds and serializes them a
/// batch at a time on the thread pool (each batch reading its own files), a
/// window at a time, so the whole list is never in memory at once.
struct Results<'a> {
    report: &'a Report<'a>,
    sources: SourceCache<'a>,
    rule_indexes: HashMap<&'static str, usize>,
    /// Per finding, its partial fingerprint.
    fingerprints: Vec<String>,
}

impl Results<'_> {
    fn batch(&self, findings: &[Diagnostic], fingerprints: &[String]) -> Vec<SarifResult> {
        let locator = Locator {
            report: self.report,
            sources: &self.sources,
        };
        findings
            .iter()
            .zip(fingerprints)
            .map(|(finding, fingerprint)| {
                result(&locator, &self.rule_indexes, finding, fingerprint.clone())
            })
            .collect()
    }
}

/// All results in one piece: the tests' reference for [`write`].
#[cfg(test)]
impl Serialize for Results<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.batch(self.report.findings, &self.fingerprints))
    }
}

/// The partial fingerprint of every finding. Findings with the same
/// identity (two problems of one kind in one object) are told apart by
/// their order, as GitHub's own fingerprints do.
fn fingerprints(report: &Report) -> Vec<String> {
    let mut occurrences: HashMap<u64, usize> = HashMap::new();
    report
        .findings
        .iter()
        .map(|finding| {
            let hash = identity_hash(report, finding);
            let occurrence = occurrences.entry(hash).or_insert(0);
            *occurrence += 1;
            format!("{hash:016x}:{occurrence}")
        })
        .collect()
}

/// Renders the report as a pretty SARIF 2.1.0 log with a trailing newline.
pub fn render(report: &Report) -> String {
    let mut bytes = Vec::new();
    // Writing to a Vec cannot fail, and serde_json writes UTF-8 only.
    let _ = write(report, &mut bytes);
    String::from_utf8(bytes).unwrap_or_default()
}

/// Writes what [`render`] returns into `out` (give it a buffered writer),
/// streaming the results.
pub fn write(report: &Report, out: &mut impl std::io::Write) -> std::io::Result<()> {
    let results = results(report);
    write_with_array(
        out,
        &log(report, EmptyArray),
        "results",
        report.findings.len(),
        (RESULTS_BATCH, RESULTS_WINDOW),
        |range| {
            results.batch(
                &report.findings[range.clone()],
                &results.fingerprints[range],
            )
        },
    )
}

fn results<'a>(report: &'a Report<'a>) -> Results<'a> {
    Results {
        report,
        sources: SourceCache::new(report.sources),
        rule_indexes: RULES
            .iter()
            .enumerate()
            .map(|(index, rule)| (rule.meta().code, index))
            .collect(),
        fingerprints: fingerprints(report),
    }
}

/// The log around the results.
fn log<R>(report: &Report, results: R) -> Log<R> {
    Log {
        schema: SARIF_SCHEMA,
        version: SARIF_VERSION,
        runs: [Run {
            tool: Tool {
                driver: Driver {
                    name: "rolelint",
                    version: env!("CARGO_PKG_VERSION"),
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    rules: RULES
                        .iter()
                        .map(|rule| rule_descriptor(rule.meta()))
                        .collect(),
                },
            },
            invocations: [Invocation {
                execution_successful: true,
            }],
            original_uri_base_ids: BTreeMap::from([(
                SRCROOT,
                BaseUri {
                    description: Text::new(
                        "The catalogue root: the directory of rolelint.yaml (or PATH without one). Keep it at the repository root, and run rolelint there, so that paths are repository-relative.",
                    ),
                },
            )]),
            column_kind: "unicodeCodePoints",
            results,
            properties: RunProperties {
                now: report.now.to_string(),
                files: report.files,
                objects: report.objects,
                suppressed: report.suppressed,
            },
        }],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::FileId;

    /// The log as `serde_json` pretty-prints it in one piece, results
    /// included: what [`write`] must produce.
    fn reference(report: &Report) -> String {
        serde_json::to_string_pretty(&log(report, results(report))).unwrap() + "\n"
    }

    #[test]
    fn results_rendered_in_parallel_make_the_pretty_printed_log() {
        let people = crate::report::test_support::people_holding_admin(1500);
        let files = crate::report::test_support::with_roles(&people);
        let (catalogue, outcome) = crate::report::test_support::analysed(&files);
        assert!(outcome.findings.len() > RESULTS_WINDOW);
        let report = crate::report::test_support::report(&catalogue, &outcome);
        assert_eq!(render(&report), reference(&report));
        let without = Report {
            findings: &[],
            ..crate::report::test_support::report(&catalogue, &outcome)
        };
        let rendered = render(&without);
        assert!(rendered.contains("\"results\": [],"), "{rendered}");
        assert_eq!(rendered, reference(&without));
    }

    #[test]
    fn results_built_in_parallel_windows_keep_the_findings_order() {
        // More findings than a window, in many files, with related
        // locations in the role file.
        let people = crate::report::test_support::people_holding_admin(3000);
        let files = crate::report::test_support::with_roles(&people);
        let (catalogue, outcome) = crate::report::test_support::analysed(&files);
        assert!(
            outcome.findings.len() > 2 * RESULTS_WINDOW,
            "{}",
            outcome.findings.len()
        );
        let report = crate::report::test_support::report(&catalogue, &outcome);
        let log: serde_json::Value = serde_json::from_str(&render(&report)).unwrap();
        let results = log["runs"][0]["results"].as_array().unwrap();
        assert_eq!(results.len(), outcome.findings.len());
        let expected = fingerprints(&report);
        for ((result, finding), fingerprint) in results.iter().zip(&outcome.findings).zip(&expected)
        {
            assert_eq!(result["ruleId"], finding.rule);
            assert_eq!(
                result["partialFingerprints"][FINGERPRINT_NAME],
                fingerprint.as_str()
            );
            let line = finding.span.map(|span| span.line);
            let shown = result["locations"][0]["physicalLocation"]["region"]["startLine"].as_u64();
            assert_eq!(shown, line.map(u64::from));
        }
        let with_related = results
            .iter()
            .filter(|result| result.get("relatedLocations").is_some())
            .count();
        assert!(with_related > RESULTS_WINDOW, "{with_related}");
    }

    fn span(offset: u32, len: u32, line: u32, column: u32) -> Span {
        Span {
            file: FileId(0),
            offset,
            len,
            line,
            column,
        }
    }

    #[test]
    fn region_ends_are_exclusive_and_count_characters() {
        let text = "id: café\nname: |\n  two\n  lines\n";
        assert_eq!(span_end(text, span(4, 5, 1, 5)), Some((1, 9)));
        // A block scalar spanning lines ends after its last character.
        let block = text.find('|').unwrap() as u32;
        let len = text.len() as u32 - block;
        assert_eq!(span_end(text, span(block, len, 2, 7)), Some((4, 8)));
        assert_eq!(span_end(text, span(0, 0, 1, 1)), None);
        assert_eq!(
            span_end(text, span(8, 1, 1, 8)),
            None,
            "not a char boundary"
        );
        assert_eq!(span_end(text, span(4, 500, 1, 5)), None, "past the end");
        // Every kind of line break counts, CR LF once.
        for text in [
            "name: |\r\n  two\r\n  lines\r\n",
            "name: |\r  two\r  lines\r",
        ] {
            let block = text.find('|').unwrap() as u32;
            let len = text.len() as u32 - block;
            assert_eq!(
                span_end(text, span(block, len, 1, 7)),
                Some((3, 8)),
                "{text:?}"
            );
        }
    }

    #[test]
    fn names_and_uris() {
        assert_eq!(
            pascal_case("lifecycle/expired-grant"),
            "LifecycleExpiredGrant"
        );
        assert_eq!(
            uri("access/a b/c:d,é.yaml"),
            "access/a%20b/c%3Ad%2C%C3%A9.yaml"
        );
        assert_eq!(escape_message(r"[x](https://e) \"), r"\[x\](https://e) \\");
        for text in ["", "plain", "]]", "é[ü]\\日", "[a][b](c)\\"] {
            let by_character: String = text
                .chars()
                .flat_map(|c| match c {
                    '\\' | '[' | ']' => vec!['\\', c],
                    c => vec![c],
                })
                .collect();
            assert_eq!(escape_message(text), by_character, "{text}");
        }
    }

    #[test]
    fn rule_names_are_unique_and_chain_rules_exist() {
        let mut names: Vec<String> = RULES.iter().map(|r| pascal_case(r.meta().code)).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), RULES.len());
        for code in CHAIN_RULES {
            assert!(crate::rules::find(code).is_some(), "{code} is not a rule");
        }
    }

    #[test]
    fn fingerprint_fields_cannot_run_into_each_other() {
        assert_ne!(
            fnv1a(&[Some("ab"), Some("c")]),
            fnv1a(&[Some("a"), Some("bc")])
        );
        assert_ne!(fnv1a(&[Some(""), None]), fnv1a(&[None, Some("")]));
        // Fixed forever: changing it would reopen every alert.
        assert_eq!(
            fnv1a(&[Some("lifecycle/expired-grant"), None]),
            0x9309_5738_d372_4e94
        );
    }
}
