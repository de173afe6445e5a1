//! `--format markdown`: a summary for a pull-request comment (docs/cli.md,
//! "Markdown output"): a heading, the counts by severity, then the findings
//! grouped by rule, errors first, each with a link to its file and line.
//!
//! Everything from the catalogue goes through [`escape_markdown`]; paths in
//! link targets are percent-encoded. The comment stays under GitHub's limit
//! of 65,536 characters: past a budget, the remaining (least severe)
//! findings are counted instead of listed.

use std::cmp::Reverse;
use std::collections::BTreeMap;

use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};

use super::URI_PATH;

use super::{Report, escape_markdown};
use crate::diagnostic::{Diagnostic, Severity};

/// The environment variable whose value, when set, makes file links
/// absolute: `$GITHUB_SERVER_URL/$GITHUB_REPOSITORY/blob/$GITHUB_SHA`.
pub const LINK_BASE_VAR: &str = "ROLELINT_LINK_BASE";
/// First line of the comment: lets a workflow find (and update) its previous comment.
pub const MARKER: &str = "<!-- rolelint -->";
/// A rule with more findings than this has them folded in `<details>`.
const COLLAPSE_OVER: usize = 5;
/// Most bytes of findings listed; what does not fit is counted. Bytes are at
/// least characters, so the comment stays below GitHub's 65,536 characters.
const BUDGET_BYTES: usize = 60_000;

/// Characters of a base URL that would end or break a Markdown link target.
const LINK_BASE: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'<')
    .add(b'>')
    .add(b'`')
    .add(b'(')
    .add(b')')
    .add(b'[')
    .add(b']')
    .add(b'{')
    .add(b'}')
    .add(b'|')
    .add(b'\\')
    .add(b'^');

fn plural(count: usize, word: &str) -> String {
    if count == 1 {
        format!("{count} {word}")
    } else {
        format!("{count} {word}s")
    }
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

/// The link target of a line of a catalogue file: relative to where the
/// comment is read, or under `link_base`.
fn link(link_base: Option<&str>, path: &str, line: u32) -> String {
    let path = utf8_percent_encode(path, URI_PATH);
    match link_base {
        Some(base) => {
            let base = utf8_percent_encode(base.trim_end_matches('/'), LINK_BASE);
            format!("{base}/{path}#L{line}")
        }
        None => format!("{path}#L{line}"),
    }
}

/// `- [path:line](target) Identity alice: message`
fn item(report: &Report, link_base: Option<&str>, finding: &Diagnostic) -> String {
    let mut line = String::from("- ");
    if let Some(span) = finding.span {
        let path = report.sources.path(span.file);
        line.push_str(&format!(
            "[{}]({}) ",
            escape_markdown(&format!("{path}:{}", span.line)),
            link(link_base, path, span.line)
        ));
    }
    if let Some(object) = &finding.object {
        line.push_str(&format!(
            "{} {}: ",
            object.kind,
            escape_markdown(object.id.as_str())
        ));
    }
    line.push_str(&escape_markdown(&finding.message));
    line.push('\n');
    line
}

fn header(report: &Report) -> String {
    let counts = report.counts();
    let mut out = format!("{MARKER}\n");
    if report.findings.is_empty() {
        out.push_str("## rolelint: no findings\n\n");
    } else {
        out.push_str(&format!(
            "## rolelint: {}, {}, {}\n\n",
            plural(counts.errors, "error"),
            plural(counts.warnings, "warning"),
            plural(counts.infos, "info")
        ));
        out.push_str("| severity | findings |\n| --- | ---: |\n");
        out.push_str(&format!("| error | {} |\n", counts.errors));
        out.push_str(&format!("| warning | {} |\n", counts.warnings));
        out.push_str(&format!("| info | {} |\n\n", counts.infos));
    }
    out.push_str(&format!(
        "Evaluated on {} over {} and {}",
        report.now,
        plural(report.files, "file"),
        plural(report.objects, "object")
    ));
    if report.suppressed > 0 {
        out.push_str(&format!(
            "; {} suppressed",
            plural(report.suppressed, "finding")
        ));
    }
    out.push_str(".\n\n");
    out
}

/// Renders the comment. `link_base` (e.g. `https://github.com/o/r/blob/<sha>`)
/// makes the file links absolute; without it they are relative.
pub fn render(report: &Report, link_base: Option<&str>) -> String {
    render_limited(report, link_base, None)
}

/// [`render`], listing at most `limit` findings (the most severe, see
/// [`super::listed`]); the counts in the heading still include them all.
pub fn render_limited(report: &Report, link_base: Option<&str>, limit: Option<usize>) -> String {
    let (chosen, not_listed) = super::listed(report.findings, limit);
    let chosen: std::collections::HashSet<*const Diagnostic> =
        chosen.into_iter().map(std::ptr::from_ref).collect();
    let mut out = header(report);
    // Rules by severity (errors first), then code; findings in report order.
    let mut groups: BTreeMap<(Reverse<Severity>, &str), Vec<&Diagnostic>> = BTreeMap::new();
    for finding in report.findings {
        groups
            .entry((Reverse(finding.severity), finding.rule))
            .or_default()
            .push(finding);
    }
    let budget_end = out.len() + BUDGET_BYTES;
    let mut omitted = 0;
    for ((Reverse(severity), rule), findings) in groups {
        if omitted > 0 {
            // Something more severe did not fit: list nothing less severe.
            omitted += findings.len();
            continue;
        }
        let collapsed = findings.len() > COLLAPSE_OVER;
        let mut section = format!(
            "### {} · {severity} · {}\n\n",
            rule_code(rule),
            plural(findings.len(), "finding")
        );
        if collapsed {
            section.push_str(&format!(
                "<details><summary>Show {}</summary>\n\n",
                plural(findings.len(), "finding")
            ));
        }
        let mut listed = 0;
        for finding in &findings {
            if !chosen.contains(&std::ptr::from_ref(*finding)) {
                continue;
            }
            let line = item(report, link_base, finding);
            if out.len() + section.len() + line.len() > budget_end {
                break;
            }
            section.push_str(&line);
            listed += 1;
        }
        omitted += findings.len() - listed;
        if listed == 0 {
            continue;
        }
        if collapsed {
            section.push_str("\n</details>\n");
        }
        section.push('\n');
        out.push_str(&section);
    }
    if omitted > 0 {
        let more = if omitted == 1 { "finding" } else { "findings" };
        let why = match limit {
            Some(limit) if not_listed > 0 => format!(
                "not listed (at most {limit} are, the most severe first; `--max-findings N` lists more)"
            ),
            _ => "not listed to keep this comment short".to_owned(),
        };
        out.push_str(&format!(
            "… and {omitted} more {more}, {why}: run `rolelint check` to see them all.\n\n"
        ));
    }
    if !report.findings.is_empty() {
        out.push_str("`rolelint rule CODE` explains a rule and how to fix its findings.\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_targets_cannot_leave_the_link() {
        assert_eq!(
            link(None, "access/a b)(<x>.yaml", 3),
            "access/a%20b%29%28%3Cx%3E.yaml#L3"
        );
        assert_eq!(
            link(Some("https://github.com/o/r/blob/abc/"), "access/x.yaml", 7),
            "https://github.com/o/r/blob/abc/access/x.yaml#L7"
        );
        assert_eq!(
            link(Some("https://h/a b)(x"), "x.yaml", 1),
            "https://h/a%20b%29%28x/x.yaml#L1"
        );
        // `javascript:` cannot become a scheme: the colon is encoded.
        assert_eq!(
            link(None, "javascript:alert(1)", 1),
            "javascript%3Aalert%281%29#L1"
        );
    }

    #[test]
    fn rule_codes_are_code_only_when_plain() {
        assert_eq!(
            rule_code("lifecycle/expired-grant"),
            "`lifecycle/expired-grant`"
        );
        assert!(!rule_code("policy/a`b").contains('`'));
    }
}
