//! `--format json`: the stable, sorted document of CLI.md.

use std::io::{self, Write};

use serde::Serialize;

use super::{EmptyArray, Report, write_with_array};
use crate::diagnostic::{Diagnostic, ObjectRef, Severity};

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

const TOOL: Tool = Tool {
    name: "rolelint",
    version: env!("CARGO_PKG_VERSION"),
};

#[derive(Serialize)]
struct Finding<'a> {
    rule: &'static str,
    severity: Severity,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    object: Option<&'a ObjectRef>,
    #[serde(skip_serializing_if = "Option::is_none")]
    detail: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    path: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    column: Option<u32>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related: Vec<Related<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<&'a str>,
}

#[derive(Serialize)]
struct Related<'a> {
    path: &'a str,
    line: u32,
    column: u32,
    message: &'a str,
}

#[derive(Serialize)]
struct Summary {
    files: usize,
    objects: usize,
    errors: usize,
    warnings: usize,
    infos: usize,
    suppressed: usize,
}

fn finding<'a>(report: &'a Report, diagnostic: &'a Diagnostic) -> Finding<'a> {
    Finding {
        rule: diagnostic.rule,
        severity: diagnostic.severity,
        message: &diagnostic.message,
        object: diagnostic.object.as_ref(),
        detail: diagnostic.detail.as_deref(),
        path: diagnostic.span.map(|span| report.sources.path(span.file)),
        line: diagnostic.span.map(|span| span.line),
        column: diagnostic.span.map(|span| span.column),
        related: diagnostic
            .related
            .iter()
            .map(|related| Related {
                path: report.sources.path(related.span.file),
                line: related.span.line,
                column: related.span.column,
                message: &related.message,
            })
            .collect(),
        help: diagnostic.help.as_deref(),
    }
}

/// Renders the report as pretty JSON with a trailing newline.
pub fn render(report: &Report) -> String {
    let mut bytes = Vec::new();
    // Writing to a Vec cannot fail, and serde_json writes UTF-8 only.
    let _ = write(report, &mut bytes);
    String::from_utf8(bytes).unwrap_or_default()
}

/// Writes the report as [`render`] does, streaming into `out` (give it a
/// buffered writer): the findings, nearly all of the document, are
/// serialized on the thread pool a window at a time and written in order.
pub fn write(report: &Report, out: &mut impl Write) -> io::Result<()> {
    let findings = report.findings;
    write_with_array(
        out,
        &output(report, EmptyArray),
        "findings",
        findings.len(),
        (BATCH, WINDOW),
        |range| {
            findings[range]
                .iter()
                .map(|diagnostic| finding(report, diagnostic))
                .collect()
        },
    )
}

#[derive(Serialize)]
struct Output<F> {
    version: u32,
    tool: Tool,
    now: String,
    findings: F,
    summary: Summary,
}

/// The document around the findings.
fn output<F>(report: &Report, findings: F) -> Output<F> {
    Output {
        version: 1,
        tool: TOOL,
        now: report.now.to_string(),
        findings,
        summary: summary(report),
    }
}

fn summary(report: &Report) -> Summary {
    let counts = report.counts();
    Summary {
        files: report.files,
        objects: report.objects,
        errors: counts.errors,
        warnings: counts.warnings,
        infos: counts.infos,
        suppressed: report.suppressed,
    }
}

/// Findings serialized by one task: enough that a task outweighs its
/// scheduling, few enough that a window of them stays small in memory.
const BATCH: usize = 1024;
/// Findings serialized before they are written.
const WINDOW: usize = 16 * BATCH;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::test_support::{analysed, people_holding_admin, report, with_roles};

    /// The document as `serde_json` pretty-prints it in one piece: what
    /// [`write`] must produce.
    fn reference(report: &Report) -> String {
        let findings: Vec<Finding> = report
            .findings
            .iter()
            .map(|diagnostic| finding(report, diagnostic))
            .collect();
        serde_json::to_string_pretty(&output(report, findings)).unwrap() + "\n"
    }

    #[test]
    fn findings_rendered_in_parallel_batches_make_the_pretty_printed_document() {
        // More findings than a window of batches, with related locations.
        let people = people_holding_admin(6000);
        let files = with_roles(&people);
        let (catalogue, outcome) = analysed(&files);
        assert!(
            outcome.findings.len() > WINDOW,
            "{}",
            outcome.findings.len()
        );
        assert!(
            outcome
                .findings
                .iter()
                .any(|finding| !finding.related.is_empty())
        );
        let report = report(&catalogue, &outcome);
        assert_eq!(render(&report), reference(&report));
    }

    #[test]
    fn a_report_without_findings_has_an_empty_array() {
        let (catalogue, outcome) = analysed(&[(
            "roles.yaml",
            "apiVersion: rolelint/v1\nkind: Role\nid: viewer\ndescription: Reads.\nowner: team:x\n\
             permissions: [app:read]\n",
        )]);
        let report = Report {
            findings: &[],
            ..report(&catalogue, &outcome)
        };
        let rendered = render(&report);
        assert!(rendered.contains("\"findings\": [],"), "{rendered}");
        assert_eq!(rendered, reference(&report));
    }
}
