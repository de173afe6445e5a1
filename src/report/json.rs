//! `--format json`: the stable, sorted document of CLI.md.

use std::io::{self, Write};

use serde::{Serialize, Serializer};

use super::Report;
use crate::diagnostic::{Diagnostic, ObjectRef, Severity};

#[derive(Serialize)]
struct Output<'a> {
    version: u32,
    tool: Tool,
    now: String,
    findings: Findings<'a>,
    summary: Summary,
}

/// The findings, serialized one by one as they are converted, so that no
/// copy of the whole list is built.
struct Findings<'a>(&'a Report<'a>);

impl Serialize for Findings<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let report = self.0;
        serializer.collect_seq(
            report
                .findings
                .iter()
                .map(|diagnostic| finding(report, diagnostic)),
        )
    }
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

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
pub fn write(report: &Report, out: &mut impl Write) -> io::Result<()> {
    let counts = report.counts();
    let output = Output {
        version: 1,
        tool: Tool {
            name: "rolelint",
            version: env!("CARGO_PKG_VERSION"),
        },
        now: report.now.to_string(),
        findings: Findings(report),
        summary: Summary {
            files: report.files,
            objects: report.objects,
            errors: counts.errors,
            warnings: counts.warnings,
            infos: counts.infos,
            suppressed: report.suppressed,
        },
    };
    // Plain structs of strings and numbers: only the writer can fail.
    serde_json::to_writer_pretty(&mut *out, &output).map_err(io::Error::from)?;
    out.write_all(b"\n")
}
