//! lifecycle/overdue-review: a role whose access review is overdue, or a
//! privileged role that was never reviewed.

use crate::diagnostic::{Diagnostic, Severity};
use crate::graph::Graph;
use crate::model::Kind;
use crate::rules::lifecycle::{ago, days};
use crate::rules::{Rule, RuleDocs, RuleMeta};

pub struct OverdueReview;

pub static META: RuleMeta = RuleMeta {
    code: "lifecycle/overdue-review",
    severity: Severity::Warning,
    docs: RuleDocs {
        summary: "A role whose `review.last_reviewed` plus its cadence (`review.every_days`, or `defaults.review_every_days`) is before now, or a privileged role (declared, or effectively through a privileged permission) with no `review.last_reviewed`. A review due today is not yet overdue. The finding points at the `last_reviewed` value, or, for a role never reviewed, at its `review` mapping or its `id`; it has no detail.",
        why: "Roles drift: permissions are added for one urgent request and never removed, and holders change jobs. A periodic review by the role's owner is how excess privilege is found and taken away, and it is the evidence auditors ask for. Privileged roles matter most, so one that was never reviewed is reported even without a cadence having passed.",
        failing: r#"apiVersion: rolelint/v1
kind: Application
id: zendesk
owner: carol
permissions:
  - id: tickets.read
  - id: macros.manage
---
apiVersion: rolelint/v1
kind: Role
id: support-lead
owner: carol
permissions: [zendesk:tickets.read, zendesk:macros.manage]
review:
  every_days: 90
  last_reviewed: 2026-06-15
  reviewer: carol
---
apiVersion: rolelint/v1
kind: Identity
id: carol
department: support
"#,
        passing: r#"apiVersion: rolelint/v1
kind: Application
id: zendesk
owner: carol
permissions:
  - id: tickets.read
  - id: macros.manage
---
apiVersion: rolelint/v1
kind: Role
id: support-lead
owner: carol
permissions: [zendesk:tickets.read, zendesk:macros.manage]
review:
  every_days: 90
  last_reviewed: 2026-10-01
  reviewer: carol
---
apiVersion: rolelint/v1
kind: Identity
id: carol
department: support
"#,
        controls: &[
            "NIST CSF 2.0 PR.AA-05",
            "NIST SP 800-53 AC-2",
            "NIST SP 800-53 AC-6",
        ],
    },
};

impl Rule for OverdueReview {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, graph: &Graph, out: &mut Vec<Diagnostic>) {
        let now = graph.now;
        let default_cadence = graph.defaults().review_every_days;
        for (role, facts) in graph.catalogue.roles.iter().zip(&graph.role_facts) {
            let review = role.review.as_ref();
            let Some(last_reviewed) = review.and_then(|review| review.last_reviewed.as_ref())
            else {
                if !facts.privileged {
                    continue;
                }
                // Say why the role counts as privileged: declared, or one
                // privileged permission it reaches.
                let privileged_permission = facts
                    .effective
                    .iter()
                    .find(|permission| graph.permissions.privileged[**permission as usize]);
                let why = match (role.privileged.value, privileged_permission) {
                    (true, _) => "declared privileged".to_owned(),
                    (false, Some(permission)) => format!(
                        "privileged because it reaches `{}`",
                        graph.permissions.display(graph.catalogue, *permission)
                    ),
                    (false, None) => "privileged".to_owned(),
                };
                let mut finding = META
                    .finding(format!(
                        "role `{}` is {why} and has never been reviewed",
                        role.id.value
                    ))
                    .on(Kind::Role, &role.id.value)
                    .at(review.map_or(role.id.span, |review| review.span));
                if role.privileged.value {
                    finding = finding.related(role.privileged.span, "declared privileged here");
                }
                out.push(finding.help(
                    "have the role's owner review who holds it and what it grants, then record it under `review:` with `last_reviewed:` and `reviewer:`",
                ));
                continue;
            };
            let (cadence, source) = match review.and_then(|review| review.every_days.as_ref()) {
                Some(every) => (every.value, "`review.every_days`"),
                None => (default_cadence, "`defaults.review_every_days`"),
            };
            let due = last_reviewed.value.plus_days(i64::from(cadence));
            if due >= now {
                continue;
            }
            let mut finding = META
                .finding(format!(
                    "role `{}` was last reviewed on {}; with a review every {} ({source}) the next was due on {} ({})",
                    role.id.value,
                    last_reviewed.value,
                    days(i64::from(cadence)),
                    due,
                    ago(due.days_until(now))
                ))
                .on(Kind::Role, &role.id.value)
                .at(last_reviewed.span);
            if let Some(every) = review.and_then(|review| review.every_days.as_ref()) {
                finding = finding.related(every.span, "review cadence set here");
            }
            out.push(finding.help(
                "have the role's owner review who holds it and what it grants, remove what is no longer needed, and update `last_reviewed:`",
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::lifecycle::check_example;

    #[test]
    fn cadences_boundaries_and_never_reviewed_privileged_roles() {
        let catalogue = r#"apiVersion: rolelint/v1
kind: Application
id: app
owner: carol
permissions:
  - id: read
  - id: admin
    privileged: true
---
apiVersion: rolelint/v1
kind: Role
id: due-today
owner: carol
review:
  last_reviewed: 2026-05-30
---
apiVersion: rolelint/v1
kind: Role
id: due-yesterday
owner: carol
review:
  every_days: 30
  last_reviewed: 2026-10-26
---
apiVersion: rolelint/v1
kind: Role
id: plain-never-reviewed
owner: carol
permissions: [app:read]
---
apiVersion: rolelint/v1
kind: Role
id: declared-never-reviewed
owner: carol
privileged: true
requires_mfa: true
review:
  every_days: 30
---
apiVersion: rolelint/v1
kind: Role
id: inherits-admin
owner: carol
requires_mfa: true
inherits: [admin-holder]
---
apiVersion: rolelint/v1
kind: Role
id: admin-holder
owner: carol
privileged: true
requires_mfa: true
permissions: [app:admin]
review:
  last_reviewed: 2026-11-01
---
apiVersion: rolelint/v1
kind: Identity
id: carol
"#;
        let found = check_example(&OverdueReview, catalogue, "2026-11-26");
        let summary: Vec<(&str, Option<u32>)> = found
            .iter()
            .map(|f| {
                (
                    f.object.as_ref().map_or("", |o| o.id.as_str()),
                    f.span.map(|s| s.line),
                )
            })
            .collect();
        assert_eq!(
            summary,
            vec![
                ("due-yesterday", Some(23)),
                ("declared-never-reviewed", Some(38)),
                ("inherits-admin", Some(42)),
            ],
            "{found:#?}"
        );
        assert!(found[0].message.contains("due on 2026-11-25 (1 day ago)"));
        assert!(found[1].message.contains("declared privileged"));
        assert!(found[2].message.contains("reaches `app:admin`"));
    }
}
