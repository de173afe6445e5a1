//! `--format json`: the stable, sorted document of CLI.md.

use serde::Serialize;

use super::Report;
use crate::diagnostic::{Diagnostic, ObjectRef, Severity};

#[derive(Serialize)]
struct Output<'a> {
    version: u32,
    tool: Tool,
    now: String,
    findings: Vec<Finding<'a>>,
    summary: Summary,
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
    let counts = report.counts();
    let output = Output {
        version: 1,
        tool: Tool {
            name: "rolelint",
            version: env!("CARGO_PKG_VERSION"),
        },
        now: report.now.to_string(),
        findings: report
            .findings
            .iter()
            .map(|diagnostic| finding(report, diagnostic))
            .collect(),
        summary: Summary {
            files: report.files,
            objects: report.objects,
            errors: counts.errors,
            warnings: counts.warnings,
            infos: counts.infos,
            suppressed: report.suppressed,
        },
    };
    // Serializing plain structs of strings and numbers cannot fail.
    let mut text = serde_json::to_string_pretty(&output).unwrap_or_default();
    text.push('\n');
    text
}
