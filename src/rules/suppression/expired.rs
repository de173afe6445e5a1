//! suppression/expired: a suppression past its `until` date.

use crate::diagnostic::{Diagnostic, Severity};
use crate::graph::Graph;
use crate::rules::engine::suppressions;
use crate::rules::{Rule, RuleDocs, RuleMeta};

pub struct Expired;

pub static META: RuleMeta = RuleMeta {
    code: "suppression/expired",
    severity: Severity::Warning,
    docs: RuleDocs {
        summary: "A suppression whose `until` is before now (a suppression is still valid on its `until` day). It no longer silences anything, so the finding it accepted is reported again. The detail is the suppressed rule; the finding points at the `until` value. An expired suppression is never also `suppression/unused`.",
        why: "A suppression is a risk someone accepted for a limited time, usually while a fix was on its way. When it expires the risk must be looked at again: either the fix landed, or the acceptance must be renewed with a current reason and approver. Expired exceptions left in the catalogue are stale paperwork that hides whether the risk was ever re-assessed.",
        failing: r#"apiVersion: rolelint/v1
kind: Application
id: stripe
owner: carol
permissions:
  - id: refunds.read
---
apiVersion: rolelint/v1
kind: Role
id: refunds-viewer
owner: carol
permissions: [stripe:refunds.read]
---
apiVersion: rolelint/v1
kind: Identity
id: carol
department: finance
---
apiVersion: rolelint/v1
kind: Identity
id: dave
department: finance
manager: carol
grants:
  - role: refunds-viewer
    granted: 2026-09-01
    ticket: ACCESS-2101
suppress:
  - rule: evidence/missing-approval
    reason: The approval is being copied over from the old ticketing system
    until: 2026-10-31
    approved_by: carol
    ticket: RISK-288
"#,
        passing: r#"apiVersion: rolelint/v1
kind: Application
id: stripe
owner: carol
permissions:
  - id: refunds.read
---
apiVersion: rolelint/v1
kind: Role
id: refunds-viewer
owner: carol
permissions: [stripe:refunds.read]
---
apiVersion: rolelint/v1
kind: Identity
id: carol
department: finance
---
apiVersion: rolelint/v1
kind: Identity
id: dave
department: finance
manager: carol
grants:
  - role: refunds-viewer
    granted: 2026-09-01
    ticket: ACCESS-2101
suppress:
  - rule: evidence/missing-approval
    reason: The approval is being copied over from the old ticketing system
    until: 2026-11-26
    approved_by: carol
    ticket: RISK-288
"#,
        controls: &[
            "NIST CSF 2.0 PR.AA-05",
            "NIST SP 800-53 AC-2",
            "NIST SP 800-53 AC-6",
        ],
    },
};

impl Rule for Expired {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, graph: &Graph, out: &mut Vec<Diagnostic>) {
        for (kind, id, list) in suppressions(graph) {
            for suppression in list {
                let until = &suppression.until;
                // Valid through its `until` day, like a grant's `expires`.
                if until.value >= graph.now {
                    continue;
                }
                let rule = suppression.rule.value.as_str();
                out.push(
                    META.finding(format!(
                        "suppression of `{rule}` on {kind} `{id}` expired on {}; it no longer silences anything",
                        until.value
                    ))
                    .on(kind, id)
                    .detail(rule)
                    .at(until.span)
                    .related(suppression.rule.span, "the suppressed rule")
                    .help(
                        "fix what it suppressed and remove the suppression; or, if the risk is still accepted, renew it with a new `until`, a current `reason` and who approved it",
                    ),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::ownership::check_example;

    fn expired_rules(until: &str, now: &str) -> Vec<String> {
        let yaml = format!(
            "apiVersion: rolelint/v1\nkind: Identity\nid: carol\nsuppress:\n  - rule: graph/unknown-reference\n    reason: accepted\n    until: {until}\n"
        );
        check_example(&Expired, &yaml, now)
            .into_iter()
            .filter_map(|finding| finding.detail)
            .collect()
    }

    #[test]
    fn valid_through_its_until_day() {
        assert_eq!(
            expired_rules("2026-11-25", "2026-11-26"),
            ["graph/unknown-reference"]
        );
        assert!(expired_rules("2026-11-26", "2026-11-26").is_empty());
        assert!(expired_rules("2026-11-27", "2026-11-26").is_empty());
    }

    #[test]
    fn date_times_compare_by_their_utc_date() {
        // 2026-11-27T00:30+02:00 is 2026-11-26 in UTC.
        assert!(expired_rules("2026-11-27T00:30:00+02:00", "2026-11-26").is_empty());
        assert_eq!(
            expired_rules("2026-11-27T00:30:00+02:00", "2026-11-27").len(),
            1
        );
    }
}
