//! evidence/missing-approval: an active grant with no evidence that anyone
//! approved it.

use crate::diagnostic::{Diagnostic, Severity};
use crate::graph::Graph;
use crate::model::{Action, Grant, GrantTarget, Id, Kind, Playbook, Spanned, Step};
use crate::rules::{Rule, RuleDocs, RuleMeta};

pub struct MissingApproval;

pub static META: RuleMeta = RuleMeta {
    code: "evidence/missing-approval",
    severity: Severity::Warning,
    docs: RuleDocs {
        summary: "An active grant with no `approved_by`, and no `via` playbook that has an `approve` step preceding a `grant` step of that role. The detail is the role or permission; the finding points at the grant's `role`/`permission` value. A direct permission grant can only be evidenced by `approved_by` (playbook `grant` steps grant roles), and a `via` naming a playbook that does not exist counts for nothing.",
        why: "Access that nobody approved is the first thing an access review or an auditor asks about: without a named approver (or a workflow that provably requires approval before granting) there is no evidence the access was ever authorised, and no one to ask whether it is still needed. Recording the approver also makes self-approval and rubber-stamping visible.",
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
    granted: 2026-10-01
    ticket: ACCESS-2101
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
kind: Playbook
id: request-refunds-viewer
owner: carol
trigger: request
steps:
  - id: manager-approval
    action: approve
    approvers: [manager]
  - id: grant-viewer
    action: grant
    role: refunds-viewer
    expires_after_days: 30
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
    granted: 2026-10-01
    approved_by: carol
    ticket: ACCESS-2101
---
apiVersion: rolelint/v1
kind: Identity
id: erin
department: finance
manager: carol
grants:
  - role: refunds-viewer
    granted: 2026-11-02
    expires: 2026-12-01
    via: request-refunds-viewer
    ticket: ACCESS-2140
"#,
        controls: &[
            "NIST CSF 2.0 PR.AA-05",
            "NIST SP 800-53 AC-2",
            "NIST SP 800-53 AC-6",
        ],
    },
};

/// Why a grant's `via` does not evidence an approval.
enum Gap<'c> {
    /// No `via` at all.
    NoPlaybook,
    /// `via` names no playbook (also graph/unknown-reference).
    UnknownPlaybook(&'c Spanned<Id>),
    /// A direct permission grant: playbook `grant` steps grant roles only.
    DirectPermission(&'c Spanned<Id>),
    /// The playbook has no `grant` step of this role.
    NeverGrants(&'c Spanned<Id>, &'c Playbook),
    /// The playbook grants the role, but no `approve` step precedes that step.
    Unapproved(&'c Spanned<Id>, &'c Playbook, &'c Step),
}

/// What, if anything, is missing from the approval evidence of `grant`.
fn gap<'c>(graph: &Graph<'c>, grant: &'c Grant) -> Option<Gap<'c>> {
    if grant.approved_by.is_some() {
        return None;
    }
    let Some(via) = &grant.via else {
        return Some(Gap::NoPlaybook);
    };
    let Some(index) = graph.playbooks.get(via.as_str()) else {
        return Some(Gap::UnknownPlaybook(via));
    };
    let role = match grant.target() {
        Some(GrantTarget::Role(role)) => role,
        Some(GrantTarget::Permission(_)) | None => return Some(Gap::DirectPermission(via)),
    };
    let playbook = &graph.catalogue.playbooks[index as usize];
    let preceded_by = &graph.playbook_facts[index as usize].preceded_by;
    let mut first_unapproved = None;
    for (position, step) in playbook.steps.iter().enumerate() {
        if step.action.value != Action::Grant
            || step
                .role
                .as_ref()
                .is_none_or(|granted| granted.value != role.value)
        {
            continue;
        }
        let approved = preceded_by
            .get(position)
            .is_some_and(|actions| actions.contains(Action::Approve));
        if approved {
            return None;
        }
        first_unapproved.get_or_insert(step);
    }
    Some(match first_unapproved {
        Some(step) => Gap::Unapproved(via, playbook, step),
        None => Gap::NeverGrants(via, playbook),
    })
}

const RECORD_APPROVER: &str = "record who approved it in `approved_by` (with the `ticket`), or revoke the grant if nobody did";

impl Rule for MissingApproval {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, graph: &Graph, out: &mut Vec<Diagnostic>) {
        for (identity, facts) in graph.catalogue.identities.iter().zip(&graph.identity_facts) {
            for &grant_index in &facts.active_grants {
                let Some(grant) = identity.grants.get(grant_index as usize) else {
                    continue;
                };
                let Some(gap) = gap(graph, grant) else {
                    continue;
                };
                let target = grant.target_text();
                let what = match grant.target() {
                    Some(GrantTarget::Permission(_)) => {
                        format!("active direct grant of `{target}`")
                    }
                    _ => format!("active grant of role `{target}`"),
                };
                // The message, help and related locations depend on why `via` does not count.
                let (message, help, related) = match gap {
                    Gap::NoPlaybook => (
                        format!(
                            "{what} has no recorded approval: no `approved_by` and no `via` playbook"
                        ),
                        RECORD_APPROVER.to_owned(),
                        Vec::new(),
                    ),
                    Gap::UnknownPlaybook(via) => (
                        format!(
                            "{what} has no recorded approval: no `approved_by`, and `via` names unknown playbook `{}`",
                            via.value
                        ),
                        format!("{RECORD_APPROVER}; and fix the `via` reference"),
                        vec![(via.span, "no playbook has this id".to_owned())],
                    ),
                    Gap::DirectPermission(via) => (
                        format!(
                            "{what} has no `approved_by`; its `via` playbook `{}` cannot evidence approval, because playbook `grant` steps grant roles, not permissions",
                            via.value
                        ),
                        RECORD_APPROVER.to_owned(),
                        vec![(
                            via.span,
                            "playbooks grant roles, not direct permissions".to_owned(),
                        )],
                    ),
                    Gap::NeverGrants(via, playbook) => (
                        format!(
                            "{what} has no `approved_by`, and its `via` playbook `{}` never grants `{target}`",
                            via.value
                        ),
                        format!(
                            "{RECORD_APPROVER}; or, if another playbook made the grant, name that one in `via`"
                        ),
                        vec![
                            (via.span, format!("made via playbook `{}`", via.value)),
                            (
                                playbook.id.span,
                                format!(
                                    "playbook `{}` has no `grant` step of `{target}`",
                                    via.value
                                ),
                            ),
                        ],
                    ),
                    Gap::Unapproved(via, playbook, step) => (
                        format!(
                            "{what} has no `approved_by`, and in its `via` playbook `{}` no `approve` step precedes step `{}`, which grants it",
                            via.value, step.id.value
                        ),
                        format!(
                            "{RECORD_APPROVER}; and make an `approve` step precede step `{}` of playbook `{}`, so that future grants are approved",
                            step.id.value, playbook.id.value
                        ),
                        vec![
                            (via.span, format!("made via playbook `{}`", via.value)),
                            (
                                step.id.span,
                                format!(
                                    "step `{}` grants `{target}` with no `approve` step before it",
                                    step.id.value
                                ),
                            ),
                        ],
                    ),
                };
                let mut finding = META
                    .finding(message)
                    .on(Kind::Identity, &identity.id.value)
                    .detail(&target)
                    .at(grant.target_span())
                    .help(help);
                for (span, note) in related {
                    finding = finding.related(span, note);
                }
                out.push(finding);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::ownership::check_example;

    const PLAYBOOKS: &str = r#"apiVersion: rolelint/v1
kind: Application
id: app
owner: carol
permissions:
  - id: read
---
apiVersion: rolelint/v1
kind: Role
id: viewer
owner: carol
permissions: [app:read]
---
apiVersion: rolelint/v1
kind: Role
id: other
owner: carol
permissions: [app:read]
---
apiVersion: rolelint/v1
kind: Identity
id: carol
---
apiVersion: rolelint/v1
kind: Playbook
id: approved
owner: carol
trigger: request
steps:
  - id: approve
    action: approve
    approvers: [manager]
  - id: mfa
    action: require_mfa
  - id: grant
    action: grant
    role: viewer
---
apiVersion: rolelint/v1
kind: Playbook
id: unapproved
owner: carol
trigger: joiner
steps:
  - id: approve
    action: approve
    approvers: [manager]
  - id: grant
    action: grant
    role: viewer
    after: []
---
apiVersion: rolelint/v1
kind: Playbook
id: approved-later
owner: carol
trigger: joiner
steps:
  - id: grant
    action: grant
    role: viewer
  - id: approve
    action: approve
    approvers: [manager]
  - id: grant-again
    action: grant
    role: viewer
"#;

    /// The details and messages of the findings on one identity's grants.
    fn findings(grants: &str) -> Vec<(String, String)> {
        let yaml = format!(
            "{PLAYBOOKS}---\napiVersion: rolelint/v1\nkind: Identity\nid: dave\ngrants:\n{grants}"
        );
        check_example(&MissingApproval, &yaml, "2026-11-26")
            .into_iter()
            .map(|finding| (finding.detail.unwrap_or_default(), finding.message))
            .collect()
    }

    #[test]
    fn approved_by_or_an_approved_playbook_grant_is_evidence() {
        let found = findings(
            "  - role: viewer\n    approved_by: carol\n\
             \x20 - role: viewer\n    via: approved\n\
             \x20 - role: viewer\n    via: approved-later\n\
             \x20 - permission: app:read\n    approved_by: team:nobody\n",
        );
        assert!(found.is_empty(), "{found:#?}");
    }

    #[test]
    fn playbooks_that_do_not_approve_that_grant_are_no_evidence() {
        let found = findings(
            "  - role: viewer\n\
             \x20 - role: viewer\n    via: unapproved\n\
             \x20 - role: other\n    via: approved\n\
             \x20 - role: viewer\n    via: missing-playbook\n\
             \x20 - permission: app:read\n    via: approved\n",
        );
        let details: Vec<&str> = found.iter().map(|(detail, _)| detail.as_str()).collect();
        assert_eq!(details, ["viewer", "viewer", "other", "viewer", "app:read"]);
        assert!(found[1].1.contains("step `grant`"), "{}", found[1].1);
        assert!(
            found[2].1.contains("never grants `other`"),
            "{}",
            found[2].1
        );
        assert!(found[3].1.contains("unknown playbook"), "{}", found[3].1);
        assert!(found[4].1.contains("direct grant"), "{}", found[4].1);
    }

    #[test]
    fn only_active_grants_are_checked() {
        let found = findings(
            "  - role: viewer\n    expires: 2026-11-25\n\
             \x20 - role: viewer\n    revoked: 2026-11-01\n\
             \x20 - role: other\n    expires: 2026-11-26\n",
        );
        let details: Vec<&str> = found.iter().map(|(detail, _)| detail.as_str()).collect();
        assert_eq!(details, ["other"]);
    }
}
