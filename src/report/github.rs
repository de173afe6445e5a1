//! `--format github`: one GitHub Actions workflow command per finding, which
//! the runner turns into an annotation on the file and line
//! (docs/cli.md, "GitHub annotations").
//!
//! Nothing else is printed: a summary line in the log could be mistaken for
//! a finding, and the exit code already says whether the run failed.

use super::{Report, neutralise_controls};
use crate::diagnostic::{Diagnostic, Severity};

/// The workflow command for a severity.
fn command(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    }
}

/// Escapes text for the message of a workflow command: the runner reads one
/// command per line, so a line break in catalogue text must not start a new
/// one (`%0A` and `%0D`, which the runner turns back into line breaks inside
/// the annotation). The Unicode line and paragraph separators become spaces
/// so no reader sees a new line either, and other control characters are
/// made visible so they cannot rewrite the log.
fn escape_message(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            '\u{2028}' | '\u{2029}' => out.push(' '),
            c => out.push(c),
        }
    }
    neutralise_controls(&out)
}

/// Escapes text for a property value: as a message, and also `:` and `,`,
/// which end the properties and separate them.
fn escape_property(text: &str) -> String {
    escape_message(text).replace(':', "%3A").replace(',', "%2C")
}

/// `::error file=…,line=…,col=…,title=…::message`
fn annotation(report: &Report, finding: &Diagnostic) -> String {
    let mut properties = Vec::new();
    if let Some(span) = finding.span {
        properties.push(format!(
            "file={}",
            escape_property(report.sources.path(span.file))
        ));
        properties.push(format!("line={}", span.line));
        properties.push(format!("col={}", span.column));
    }
    let title = match &finding.object {
        Some(object) => format!("{} ({object})", finding.rule),
        None => finding.rule.to_owned(),
    };
    properties.push(format!("title={}", escape_property(&title)));
    let mut message = escape_message(&finding.message);
    if let Some(help) = &finding.help {
        message.push_str("%0Ahelp: ");
        message.push_str(&escape_message(help));
    }
    format!(
        "::{} {}::{message}\n",
        command(finding.severity),
        properties.join(",")
    )
}

/// Renders one workflow command per finding, in report order, and nothing else.
pub fn render(report: &Report) -> String {
    render_limited(report, None)
}

/// Renders at most `limit` workflow commands (the most severe findings, see
/// [`super::listed`]); when some are left out, a last plain line (not a
/// command) says how many.
pub fn render_limited(report: &Report, limit: Option<usize>) -> String {
    let (listed, not_listed) = super::listed(report.findings, limit);
    let mut out: String = listed
        .into_iter()
        .map(|finding| annotation(report, finding))
        .collect();
    if let (Some(limit), 1..) = (limit, not_listed) {
        out.push_str(&super::not_listed_line(not_listed, limit));
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_cannot_start_a_new_command() {
        let escaped = escape_message("a\n::add-mask::x\r\n%0A\u{2028}::error::y\u{1b}[2J");
        assert!(
            !escaped.contains(['\n', '\r', '\u{2028}', '\u{1b}']),
            "{escaped}"
        );
        assert_eq!(
            escaped,
            "a%0A::add-mask::x%0D%0A%250A ::error::y\u{241b}[2J"
        );
    }

    #[test]
    fn properties_cannot_end_early_or_add_properties() {
        assert_eq!(escape_property("a::b,line=1\n%"), "a%3A%3Ab%2Cline=1%0A%25");
    }
}
