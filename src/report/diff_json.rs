//! `rolelint diff --format json`: the access changes and the findings
//! introduced and resolved, stable and sorted (docs/git-and-diff.md).

use serde::Serialize;

use crate::diagnostic::{Diagnostic, ObjectRef, Severity};
use crate::diff::{
    DiffReport, GrantKind, Location, PermissionChange, Presence, Route, SeverityCounts, SideLabel,
    SubjectChange,
};
use crate::load::SourceMap;

#[derive(Serialize)]
struct Output<'a> {
    version: u32,
    tool: Tool,
    now: String,
    base: Side<'a>,
    head: Side<'a>,
    access: Access<'a>,
    findings: Findings<'a>,
    summary: Summary,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct Side<'a> {
    /// The revision as given; absent for the work tree.
    #[serde(skip_serializing_if = "Option::is_none")]
    revision: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    object: Option<&'a str>,
    work_tree: bool,
}

#[derive(Serialize)]
struct Access<'a> {
    roles: Vec<Subject<'a>>,
    identities: Vec<Subject<'a>>,
}

#[derive(Serialize)]
struct Subject<'a> {
    id: &'a str,
    /// `changed`, `added` (only in the head) or `removed` (only in the base).
    status: &'static str,
    gained: Vec<Change<'a>>,
    lost: Vec<Change<'a>>,
}

#[derive(Serialize)]
struct Change<'a> {
    permission: &'a str,
    privileged: bool,
    routes: Vec<RouteOut<'a>>,
}

#[derive(Serialize)]
struct RouteOut<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    grant: Option<Grant<'a>>,
    roles: &'a [String],
    listed_as: &'a str,
    listed_at: &'a Location,
}

#[derive(Serialize)]
struct Grant<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    role: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    permission: Option<&'a str>,
    at: &'a Location,
}

#[derive(Serialize)]
struct Findings<'a> {
    introduced: Vec<Finding<'a>>,
    resolved: Vec<Finding<'a>>,
}

/// A finding as `check --format json` writes it.
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
    roles_changed: usize,
    identities_changed: usize,
    identities_gaining_privileged: usize,
    introduced: Counts,
    resolved: Counts,
}

#[derive(Serialize)]
struct Counts {
    errors: usize,
    warnings: usize,
    infos: usize,
}

impl From<SeverityCounts> for Counts {
    fn from(counts: SeverityCounts) -> Self {
        Counts {
            errors: counts.errors,
            warnings: counts.warnings,
            infos: counts.infos,
        }
    }
}

fn side<'a>(label: &SideLabel<'a>) -> Side<'a> {
    Side {
        revision: label.revision,
        object: label.object,
        work_tree: label.revision.is_none(),
    }
}

fn route(route: &Route) -> RouteOut<'_> {
    RouteOut {
        grant: route.grant.as_ref().map(|grant| Grant {
            role: (grant.kind == GrantKind::Role).then_some(grant.target.as_str()),
            permission: (grant.kind == GrantKind::Permission).then_some(grant.target.as_str()),
            at: &grant.at,
        }),
        roles: &route.roles,
        listed_as: &route.listed_as,
        listed_at: &route.listed_at,
    }
}

fn changes(changes: &[PermissionChange]) -> Vec<Change<'_>> {
    changes
        .iter()
        .map(|change| Change {
            permission: &change.permission,
            privileged: change.privileged,
            routes: change.routes.iter().map(route).collect(),
        })
        .collect()
}

fn subjects(subjects: &[SubjectChange]) -> Vec<Subject<'_>> {
    subjects
        .iter()
        .map(|subject| Subject {
            id: &subject.id,
            status: match subject.presence {
                Presence::Both => "changed",
                Presence::Added => "added",
                Presence::Removed => "removed",
            },
            gained: changes(&subject.gained),
            lost: changes(&subject.lost),
        })
        .collect()
}

fn finding<'a>(sources: &'a SourceMap, diagnostic: &'a Diagnostic) -> Finding<'a> {
    Finding {
        rule: diagnostic.rule,
        severity: diagnostic.severity,
        message: &diagnostic.message,
        object: diagnostic.object.as_ref(),
        detail: diagnostic.detail.as_deref(),
        path: diagnostic.span.map(|span| sources.path(span.file)),
        line: diagnostic.span.map(|span| span.line),
        column: diagnostic.span.map(|span| span.column),
        related: diagnostic
            .related
            .iter()
            .map(|related| Related {
                path: sources.path(related.span.file),
                line: related.span.line,
                column: related.span.column,
                message: &related.message,
            })
            .collect(),
        help: diagnostic.help.as_deref(),
    }
}

/// Renders the comparison as pretty JSON with a trailing newline.
pub fn render(report: &DiffReport) -> String {
    let diff = report.diff;
    let output = Output {
        version: 1,
        tool: Tool {
            name: "rolelint",
            version: env!("CARGO_PKG_VERSION"),
        },
        now: report.now.to_string(),
        base: side(&report.base),
        head: side(&report.head),
        access: Access {
            roles: subjects(&diff.access.roles),
            identities: subjects(&diff.access.identities),
        },
        findings: Findings {
            introduced: diff
                .findings
                .introduced
                .iter()
                .map(|diagnostic| finding(report.head_sources, diagnostic))
                .collect(),
            resolved: diff
                .findings
                .resolved
                .iter()
                .map(|diagnostic| finding(report.base_sources, diagnostic))
                .collect(),
        },
        summary: Summary {
            roles_changed: diff.access.roles.len(),
            identities_changed: diff.access.identities.len(),
            identities_gaining_privileged: diff.access.identities_gaining_privileged(),
            introduced: SeverityCounts::of(&diff.findings.introduced).into(),
            resolved: SeverityCounts::of(&diff.findings.resolved).into(),
        },
    };
    // Serializing plain structs of strings and numbers cannot fail.
    let mut text = serde_json::to_string_pretty(&output).unwrap_or_default();
    text.push('\n');
    text
}
