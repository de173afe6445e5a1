//! `--format json`: the stable, sorted document of CLI.md.

use std::io::{self, Write};

use rayon::prelude::*;
use serde::Serialize;

use super::{Report, write_pretty};
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
/// buffered writer).
///
/// The document is what `serde_json::to_writer_pretty` writes for
/// `{version, tool, now, findings, summary}` (the tests compare them byte
/// for byte), but the findings, which are nearly all of it, are rendered in
/// parallel, a window of batches at a time, and written in order.
pub fn write(report: &Report, out: &mut impl Write) -> io::Result<()> {
    out.write_all(b"{\n  \"version\": 1,\n  \"tool\": ")?;
    write_pretty(out, &TOOL, 1)?;
    out.write_all(b",\n  \"now\": ")?;
    serde_json::to_writer(&mut *out, &report.now.to_string()).map_err(io::Error::from)?;
    out.write_all(b",\n  \"findings\": [")?;
    write_findings(report, out)?;
    out.write_all(b",\n  \"summary\": ")?;
    write_pretty(out, &summary(report), 1)?;
    out.write_all(b"\n}\n")
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

/// Findings rendered by one task: enough that a task outweighs its
/// scheduling, few enough that a window of them stays small in memory.
const BATCH: usize = 1024;
/// Batches rendered at once before they are written.
const WINDOW: usize = 16;

/// The elements of the findings array and its closing bracket, as the pretty
/// printer writes them at depth 2 (an empty array is `[]`).
fn write_findings(report: &Report, out: &mut impl Write) -> io::Result<()> {
    if report.findings.is_empty() {
        return out.write_all(b"]");
    }
    let batches: Vec<(usize, &[Diagnostic])> = report
        .findings
        .chunks(BATCH)
        .enumerate()
        .map(|(index, batch)| (index * BATCH, batch))
        .collect();
    for window in batches.chunks(WINDOW) {
        let rendered: Vec<io::Result<Vec<u8>>> = window
            .par_iter()
            .map(|&(first, batch)| {
                let mut bytes = Vec::with_capacity(batch.len() * 1024);
                for (index, diagnostic) in (first..).zip(batch) {
                    if index > 0 {
                        bytes.push(b',');
                    }
                    bytes.extend_from_slice(b"\n    ");
                    write_pretty(&mut bytes, &finding(report, diagnostic), 2)?;
                }
                Ok(bytes)
            })
            .collect();
        for bytes in rendered {
            out.write_all(&bytes?)?;
        }
    }
    out.write_all(b"\n  ]")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::test_support::{analysed, people_holding_admin, report, with_roles};

    /// The document as `serde_json` pretty-prints it in one piece: what
    /// [`write`] must produce.
    fn reference(report: &Report) -> String {
        #[derive(Serialize)]
        struct Output<'a> {
            version: u32,
            tool: Tool,
            now: String,
            findings: Vec<Finding<'a>>,
            summary: Summary,
        }
        let output = Output {
            version: 1,
            tool: TOOL,
            now: report.now.to_string(),
            findings: report
                .findings
                .iter()
                .map(|diagnostic| finding(report, diagnostic))
                .collect(),
            summary: summary(report),
        };
        serde_json::to_string_pretty(&output).unwrap() + "\n"
    }

    #[test]
    fn findings_rendered_in_parallel_batches_make_the_pretty_printed_document() {
        // More findings than a window of batches, with related locations.
        let people = people_holding_admin(6000);
        let files = with_roles(&people);
        let (catalogue, outcome) = analysed(&files);
        assert!(
            outcome.findings.len() > BATCH * WINDOW,
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
