//! `rolelint diff --format markdown`: the pull-request comment. Access
//! changes come first (a table by permission, privileged ones first with 🔒
//! and in bold, then who gains or loses each and through which path), then
//! the new findings, then the resolved ones.
//!
//! Everything from the catalogue, and the revision names, go through
//! [`escape_markdown`]. Long lists fold into `<details>`, and each section
//! has a byte budget, so the comment stays under GitHub's 65,536 characters
//! however large the change: what does not fit is counted, not listed.

use super::escape_markdown;
use crate::diagnostic::Diagnostic;
use crate::diff::{DiffReport, Direction, PermissionImpact, SeverityCounts, SideLabel};
use crate::load::SourceMap;

/// First line of the comment: lets a workflow find (and update) its previous comment.
pub const MARKER: &str = "<!-- rolelint diff -->";
/// Rows of the permission table, and permissions described below it.
const PERMISSIONS_SHOWN: usize = 25;
/// Roles and identities listed per permission.
const SUBJECTS_SHOWN: usize = 10;
/// A list longer than this is folded in `<details>`.
const COLLAPSE_OVER: usize = 5;
/// Most bytes of the whole comment; bytes are at least characters, so it
/// stays under GitHub's 65,536. The access section gets at most
/// `ACCESS_BUDGET`, resolved findings at most `RESOLVED_BUDGET`, new
/// findings what is left.
const BUDGET_BYTES: usize = 60_000;
const ACCESS_BUDGET: usize = 32_000;
const RESOLVED_BUDGET: usize = 6_000;

fn counted(count: usize, one: &str, many: &str) -> String {
    format!("{count} {}", if count == 1 { one } else { many })
}

/// A rule code as inline code when it is plain, escaped text otherwise
/// (policy codes come from users' Rego package paths).
fn rule_code(code: &str) -> String {
    if !code.is_empty()
        && code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '-' | '_' | '.'))
    {
        format!("`{code}`")
    } else {
        escape_markdown(code)
    }
}

/// `**main** (`1a2b3c4d`)` or `the work tree`.
fn side(label: &SideLabel) -> String {
    match label.revision {
        None => "the work tree".to_owned(),
        Some(revision) => {
            let mut text = format!("**{}**", escape_markdown(revision));
            if let Some(object) = label
                .object
                .filter(|object| object.chars().all(|c| c.is_ascii_hexdigit()))
            {
                text.push_str(&format!(" (`{}`)", object.get(..8).unwrap_or(object)));
            }
            text
        }
    }
}

/// Appends lines to a section while they fit its budget; counts the rest.
struct Budgeted {
    text: String,
    left: usize,
    omitted: usize,
}

impl Budgeted {
    fn new(budget: usize) -> Self {
        Budgeted {
            text: String::new(),
            left: budget,
            omitted: 0,
        }
    }

    /// Adds `line` if it fits; returns whether it did.
    fn push(&mut self, line: &str) -> bool {
        if self.omitted > 0 || line.len() > self.left {
            self.omitted += 1;
            return false;
        }
        self.left -= line.len();
        self.text.push_str(line);
        true
    }
}

fn permission_cell(impact: &PermissionImpact) -> String {
    let name = escape_markdown(impact.permission);
    if impact.privileged {
        format!("🔒 **{name}**")
    } else {
        name
    }
}

fn direction(direction: Direction) -> &'static str {
    match direction {
        Direction::Gained => "gained",
        Direction::Lost => "lost",
    }
}

fn access_section(report: &DiffReport) -> String {
    let impacts = report.diff.access.by_permission();
    let mut section = Budgeted::new(ACCESS_BUDGET);
    section.push("### Access changes\n\n");
    if impacts.is_empty() {
        section.push("No role or identity gains or loses any permission.\n\n");
        return section.text;
    }
    section.push("| permission | change | roles | identities |\n| --- | --- | ---: | ---: |\n");
    for impact in impacts.iter().take(PERMISSIONS_SHOWN) {
        section.push(&format!(
            "| {} | {} | {} | {} |\n",
            permission_cell(impact),
            direction(impact.direction),
            impact.roles.len(),
            impact.identities.len()
        ));
    }
    if impacts.len() > PERMISSIONS_SHOWN {
        section.push(&format!(
            "\n… and {} more, not listed to keep this comment short: run `rolelint diff --format json` to see them all.\n",
            counted(impacts.len() - PERMISSIONS_SHOWN, "permission change", "permission changes")
        ));
    }
    section.push("\n");
    for impact in impacts.iter().take(PERMISSIONS_SHOWN) {
        let total = impact.roles.len() + impact.identities.len();
        let mut block = format!(
            "**{}** {} by {} and {}",
            if impact.privileged {
                format!("🔒 {}", escape_markdown(impact.permission))
            } else {
                escape_markdown(impact.permission)
            },
            direction(impact.direction),
            counted(impact.roles.len(), "role", "roles"),
            counted(impact.identities.len(), "identity", "identities"),
        );
        let folded = total > COLLAPSE_OVER;
        if folded {
            block.push_str("\n\n<details><summary>Show how</summary>\n\n");
        } else {
            block.push_str(":\n\n");
        }
        let subjects = impact.roles.iter().map(|subject| ("role", subject)).chain(
            impact
                .identities
                .iter()
                .map(|subject| ("identity", subject)),
        );
        for (kind, (subject, change)) in subjects.take(SUBJECTS_SHOWN) {
            let route = change
                .routes
                .first()
                .map_or_else(String::new, |route| escape_markdown(&route.describe()));
            let more = match change.routes.len() {
                0 | 1 => String::new(),
                count => format!(" (and {})", counted(count - 1, "other path", "other paths")),
            };
            block.push_str(&format!(
                "- {kind} **{}**: {route}{more}\n",
                escape_markdown(&subject.id)
            ));
        }
        if total > SUBJECTS_SHOWN {
            block.push_str(&format!("- … and {} more\n", total - SUBJECTS_SHOWN));
        }
        if folded {
            block.push_str("\n</details>\n");
        }
        block.push('\n');
        section.push(&block);
    }
    if section.omitted > 0 {
        section.text.push_str(
            "… more access changes, not described to keep this comment short: run `rolelint diff --format json` to see them all.\n\n",
        );
    }
    section.text
}

fn finding_item(sources: &SourceMap, finding: &Diagnostic) -> String {
    let mut line = format!("- **{}** {}", finding.severity, rule_code(finding.rule));
    if let Some(object) = &finding.object {
        line.push_str(&format!(
            " {} **{}**",
            object.kind,
            escape_markdown(object.id.as_str())
        ));
    }
    if let Some(detail) = &finding.detail {
        line.push_str(&format!(" · {}", escape_markdown(detail)));
    }
    line.push_str(&format!(": {}", escape_markdown(&finding.message)));
    if let Some(span) = finding.span {
        line.push_str(&format!(
            " ({})",
            escape_markdown(&format!("{}:{}", sources.path(span.file), span.line))
        ));
    }
    line.push('\n');
    line
}

fn findings_section(
    title: &str,
    findings: &[&Diagnostic],
    sources: &SourceMap,
    budget: usize,
    fold: bool,
) -> String {
    if findings.is_empty() {
        return String::new();
    }
    // Most severe first; otherwise in catalogue order (the sort is stable).
    let mut findings = findings.to_vec();
    findings.sort_by_key(|finding| std::cmp::Reverse(finding.severity));
    let mut section = Budgeted::new(budget);
    let folded = fold || findings.len() > COLLAPSE_OVER;
    let heading = format!("### {title} ({})\n\n", findings.len());
    section.push(&heading);
    if folded {
        section.push(&format!(
            "<details><summary>Show {}</summary>\n\n",
            counted(findings.len(), "finding", "findings")
        ));
    }
    let mut listed = 0;
    for finding in &findings {
        if section.push(&finding_item(sources, finding)) {
            listed += 1;
        }
    }
    let mut text = section.text;
    if listed < findings.len() {
        text.push_str(&format!(
            "- … and {} more, not listed to keep this comment short\n",
            findings.len() - listed
        ));
    }
    if folded {
        text.push_str("\n</details>\n");
    }
    text.push('\n');
    text
}

/// Renders the pull-request comment.
pub fn render(report: &DiffReport) -> String {
    let diff = report.diff;
    let access = &diff.access;
    let introduced = SeverityCounts::of(&diff.findings.introduced);
    let mut out = format!("{MARKER}\n## rolelint diff\n\n");
    out.push_str(&format!(
        "{} → {}, evaluated on {}.\n\n",
        side(&report.base),
        side(&report.head),
        report.now
    ));
    let privileged = access.identities_gaining_privileged();
    out.push_str("| change | count |\n| --- | ---: |\n");
    out.push_str(&format!(
        "| roles with changed access | {} |\n",
        access.roles.len()
    ));
    out.push_str(&format!(
        "| identities with changed access | {} |\n",
        access.identities.len()
    ));
    out.push_str(&format!(
        "| {}identities gaining privileged access | {privileged} |\n",
        if privileged > 0 { "🔒 " } else { "" }
    ));
    out.push_str(&format!(
        "| new findings | {} ({}, {}, {}) |\n",
        diff.findings.introduced.len(),
        counted(introduced.errors, "error", "errors"),
        counted(introduced.warnings, "warning", "warnings"),
        counted(introduced.infos, "info", "infos")
    ));
    out.push_str(&format!(
        "| resolved findings | {} |\n\n",
        diff.findings.resolved.len()
    ));
    out.push_str(&access_section(report));
    let resolved_budget = if diff.findings.resolved.is_empty() {
        0
    } else {
        RESOLVED_BUDGET
    };
    out.push_str(&findings_section(
        "New findings",
        &diff.findings.introduced,
        report.head_sources,
        BUDGET_BYTES.saturating_sub(out.len() + resolved_budget),
        false,
    ));
    out.push_str(&findings_section(
        "Resolved findings",
        &diff.findings.resolved,
        report.base_sources,
        BUDGET_BYTES.saturating_sub(out.len()).min(RESOLVED_BUDGET),
        true,
    ));
    out
}
