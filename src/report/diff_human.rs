//! `rolelint diff --format human`: the access changes grouped by permission
//! (privileged first), the findings introduced (as `check` shows them, with
//! source snippets from the head), the findings resolved (one line each),
//! and a summary line.

use super::human::{self, Style};
use super::{Report, one_line};
use crate::diagnostic::Diagnostic;
use crate::diff::{DiffReport, Direction, PermissionImpact, SeverityCounts};
use crate::load::SourceMap;

/// Subjects listed per permission; the rest are counted (JSON lists them all).
const SUBJECTS_SHOWN: usize = 50;

/// `1 role`, `3 identities`.
pub(crate) fn counted(count: usize, one: &str, many: &str) -> String {
    format!("{count} {}", if count == 1 { one } else { many })
}

fn plural(count: usize, word: &str) -> String {
    counted(count, word, &format!("{word}s"))
}

fn impact(out: &mut String, impact: &PermissionImpact) {
    let (sign, verb) = match impact.direction {
        Direction::Gained => ('+', "gained"),
        Direction::Lost => ('-', "lost"),
    };
    let privileged = if impact.privileged {
        " [privileged]"
    } else {
        ""
    };
    out.push_str(&format!(
        "  {sign} {}{privileged} {verb} by {}, {}\n",
        one_line(impact.permission),
        plural(impact.roles.len(), "role"),
        counted(impact.identities.len(), "identity", "identities"),
    ));
    let subjects = impact.roles.iter().map(|subject| ("role", subject)).chain(
        impact
            .identities
            .iter()
            .map(|subject| ("identity", subject)),
    );
    let total = impact.roles.len() + impact.identities.len();
    for (kind, (subject, change)) in subjects.take(SUBJECTS_SHOWN) {
        let route = change
            .routes
            .first()
            .map_or_else(String::new, |route| route.describe());
        let more = match change.routes.len() {
            0 | 1 => String::new(),
            count => format!(" (+{} more)", plural(count - 1, "path")),
        };
        out.push_str(&format!(
            "      {kind} {}: {}{more}\n",
            one_line(&subject.id),
            one_line(&route)
        ));
    }
    if total > SUBJECTS_SHOWN {
        out.push_str(&format!(
            "      … and {} more (--format json lists them all)\n",
            total - SUBJECTS_SHOWN
        ));
    }
}

fn resolved_line(sources: &SourceMap, finding: &Diagnostic) -> String {
    let mut line = format!("  {} {}", finding.severity, finding.rule);
    if let Some(object) = &finding.object {
        line.push_str(&format!(" {}", one_line(&object.to_string())));
    }
    if let Some(detail) = &finding.detail {
        line.push_str(&format!(" · {}", one_line(detail)));
    }
    line.push_str(&format!(": {}", one_line(&finding.message)));
    if let Some(span) = finding.span {
        line.push_str(&format!(
            " ({}:{})",
            one_line(sources.path(span.file)),
            span.line
        ));
    }
    line.push('\n');
    line
}

fn counts_text(counts: SeverityCounts) -> String {
    format!(
        "{}, {}, {}",
        plural(counts.errors, "error"),
        plural(counts.warnings, "warning"),
        plural(counts.infos, "info")
    )
}

/// "rolelint diff: 2 roles and 3 identities changed access (…); 2 findings introduced (…), 1 resolved"
pub fn summary(report: &DiffReport) -> String {
    let access = &report.diff.access;
    let findings = &report.diff.findings;
    let changed = if access.is_empty() {
        "no access changed".to_owned()
    } else {
        let privileged = match access.identities_gaining_privileged() {
            0 => String::new(),
            count => format!(
                " ({} privileged access)",
                if count == 1 {
                    "1 identity gains".to_owned()
                } else {
                    format!("{count} identities gain")
                }
            ),
        };
        format!(
            "{} and {} changed access{privileged}",
            plural(access.roles.len(), "role"),
            counted(access.identities.len(), "identity", "identities"),
        )
    };
    let introduced = if findings.introduced.is_empty() {
        "no findings introduced".to_owned()
    } else {
        format!(
            "{} introduced ({})",
            plural(findings.introduced.len(), "finding"),
            counts_text(SeverityCounts::of(&findings.introduced))
        )
    };
    format!(
        "rolelint diff: {changed}; {introduced}, {} resolved (evaluated on {})",
        findings.resolved.len(),
        report.now
    )
}

/// Renders the comparison for a terminal.
pub fn render(report: &DiffReport, style: Style) -> String {
    let diff = report.diff;
    let mut out = format!(
        "rolelint diff: {} → {}\n\n",
        one_line(&report.base.describe()),
        one_line(&report.head.describe())
    );
    if !diff.access.is_empty() {
        out.push_str("Access changes:\n");
        for group in diff.access.by_permission() {
            impact(&mut out, &group);
        }
        out.push('\n');
    }
    if !diff.findings.introduced.is_empty() {
        out.push_str(&format!(
            "Findings introduced ({}):\n\n",
            diff.findings.introduced.len()
        ));
        let introduced: Vec<Diagnostic> = diff
            .findings
            .introduced
            .iter()
            .map(|f| (*f).clone())
            .collect();
        let findings = Report {
            findings: &introduced,
            sources: report.head_sources,
            now: report.now,
            files: report.head_sources.len(),
            objects: 0,
            suppressed: 0,
        };
        // `check`'s rendering, without its summary line: the diff has its own.
        let rendered = human::render(&findings, style);
        let summary = format!("{}\n", human::summary(&findings));
        out.push_str(rendered.strip_suffix(&summary).unwrap_or(&rendered));
    }
    if !diff.findings.resolved.is_empty() {
        out.push_str(&format!(
            "Findings resolved ({}):\n",
            diff.findings.resolved.len()
        ));
        for finding in &diff.findings.resolved {
            out.push_str(&resolved_line(report.base_sources, finding));
        }
        out.push('\n');
    }
    out.push_str(&summary(report));
    out.push('\n');
    out
}
