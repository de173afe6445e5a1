//! workflow/grant-without-approval: a `grant` step no `approve` step precedes,
//! in a `request` playbook, or of a privileged role in any playbook.

use crate::diagnostic::{Diagnostic, Severity};
use crate::graph::Graph;
use crate::model::{Action, Kind, Trigger};
use crate::rules::workflow::{grant_steps, is_preceded_by, ordering_advice, privileged_role};
use crate::rules::{Rule, RuleDocs, RuleMeta};

pub struct GrantWithoutApproval;

pub static META: RuleMeta = RuleMeta {
    code: "workflow/grant-without-approval",
    severity: Severity::Error,
    docs: RuleDocs {
        summary: "A `grant` step that no `approve` step precedes, in a `request` playbook (any role), or of a privileged role in a playbook of any trigger. One finding per step; the detail is the step id. \"Precedes\" is transitive over `after` (a step without `after` runs after the one listed before it; `after: []` means nothing runs before it). Steps on one `after` cycle precede each other, so an `approve` step on the grant's cycle counts (the cycle itself is `graph/step-cycle`). A grant of a role that does not resolve is not privileged (that is `graph/unknown-reference`).",
        why: "Access that someone asks for, and privileged access however it is given, must be approved by someone accountable before it exists. A grant that can run before (or without) its approval makes the approval decorative: the access is live while the approver is still deciding, and the audit trail shows an approval that authorised nothing.",
        failing: r#"apiVersion: rolelint/v1
kind: Playbook
id: request-support-access
name: Request support tooling
owner: carol
trigger: request
steps:
  - id: manager-approval
    action: approve
    approvers: [manager]
  - id: grant-agent
    action: grant
    role: support-agent
    expires_after_days: 30
    after: []
---
apiVersion: rolelint/v1
kind: Role
id: support-agent
owner: carol
permissions: [zendesk:tickets.write]
---
apiVersion: rolelint/v1
kind: Application
id: zendesk
owner: carol
permissions:
  - id: tickets.read
  - id: tickets.write
---
apiVersion: rolelint/v1
kind: Identity
id: carol
department: support
"#,
        passing: r#"apiVersion: rolelint/v1
kind: Playbook
id: request-support-access
name: Request support tooling
owner: carol
trigger: request
steps:
  - id: manager-approval
    action: approve
    approvers: [manager]
  - id: grant-agent
    action: grant
    role: support-agent
    expires_after_days: 30
---
apiVersion: rolelint/v1
kind: Role
id: support-agent
owner: carol
permissions: [zendesk:tickets.write]
---
apiVersion: rolelint/v1
kind: Application
id: zendesk
owner: carol
permissions:
  - id: tickets.read
  - id: tickets.write
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

impl Rule for GrantWithoutApproval {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, graph: &Graph, out: &mut Vec<Diagnostic>) {
        for (playbook, facts) in graph.catalogue.playbooks.iter().zip(&graph.playbook_facts) {
            let is_request = playbook.trigger.value == Trigger::Request;
            for (index, step) in grant_steps(playbook) {
                if is_preceded_by(facts, index, Action::Approve) {
                    continue;
                }
                let privileged = privileged_role(graph, step);
                if !is_request && privileged.is_none() {
                    continue;
                }
                let role = step
                    .role
                    .as_ref()
                    .map_or_else(String::new, |role| role.value.to_string());
                let what = match (&privileged, role.is_empty()) {
                    (Some(_), _) => format!("privileged role `{role}`"),
                    (None, false) => format!("role `{role}`"),
                    (None, true) => "access".to_owned(),
                };
                let playbook_kind = if is_request {
                    "request playbook"
                } else {
                    "playbook"
                };
                let message = format!(
                    "step `{}` of {playbook_kind} `{}` grants {what} with no `approve` step before it",
                    step.id.value, playbook.id.value
                );
                let (help, related) = ordering_advice(
                    playbook,
                    facts,
                    index,
                    Action::Approve,
                    "an `approve` step (e.g. `approvers: [manager, role-owner]`)",
                );
                let mut finding = META
                    .finding(message)
                    .on(Kind::Playbook, &playbook.id.value)
                    .detail(step.id.as_str())
                    .at(step.id.span)
                    .help(help);
                if let Some(privileged) = &privileged {
                    finding = finding.related(
                        privileged.span,
                        format!(
                            "role `{}` is privileged: {}",
                            privileged.role.id.value, privileged.reason
                        ),
                    );
                } else {
                    finding = finding.related(
                        playbook.trigger.span,
                        "a `request` playbook: every grant needs an approval first",
                    );
                }
                for (span, message) in related {
                    finding = finding.related(span, message);
                }
                out.push(finding);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::workflow::testing::{details, findings};

    const ROLES: &str = r#"
apiVersion: rolelint/v1
kind: Application
id: aws
owner: carol
permissions:
  - id: read
  - id: admin
    privileged: true
---
apiVersion: rolelint/v1
kind: Role
id: viewer
owner: carol
permissions: [aws:read]
---
apiVersion: rolelint/v1
kind: Role
id: admin-by-permission
owner: carol
permissions: [aws:admin]
---
apiVersion: rolelint/v1
kind: Role
id: admin-by-inheritance
owner: carol
inherits: [admin-by-permission]
---
apiVersion: rolelint/v1
kind: Role
id: declared
owner: carol
privileged: true
permissions: [aws:read]
---
apiVersion: rolelint/v1
kind: Role
id: inherits-declared
owner: carol
inherits: [declared]
---
apiVersion: rolelint/v1
kind: Identity
id: carol
"#;

    fn run(playbook: &str) -> Vec<Diagnostic> {
        findings(&GrantWithoutApproval, &format!("{playbook}---{ROLES}"))
    }

    #[test]
    fn request_playbooks_need_approval_for_every_grant() {
        let found = run(r#"apiVersion: rolelint/v1
kind: Playbook
id: p
owner: carol
trigger: request
steps:
  - id: early
    action: grant
    role: viewer
  - id: approve
    action: approve
    approvers: [manager]
  - id: late
    action: grant
    role: viewer
  - id: parallel
    action: grant
    role: nonexistent
    after: []
"#);
        assert_eq!(details(&found), ["early", "parallel"]);
        assert!(found[0].message.contains("role `viewer`"));
        assert!(
            found[1]
                .help
                .as_deref()
                .unwrap_or("")
                .contains("after: [approve]")
        );
    }

    #[test]
    fn other_triggers_need_approval_for_privileged_roles_only() {
        let found = run(r#"apiVersion: rolelint/v1
kind: Playbook
id: p
owner: carol
trigger: joiner
steps:
  - id: viewer
    action: grant
    role: viewer
  - id: by-permission
    action: grant
    role: admin-by-permission
  - id: by-inheritance
    action: grant
    role: admin-by-inheritance
  - id: declared
    action: grant
    role: declared
  - id: inherits-declared
    action: grant
    role: inherits-declared
  - id: unknown
    action: grant
    role: nonexistent
"#);
        // Declaring a role privileged is not inherited; unknown roles are not privileged.
        assert_eq!(
            details(&found),
            ["by-permission", "by-inheritance", "declared"]
        );
        assert!(found[1].related[0].message.contains("aws:admin"));
    }

    #[test]
    fn approval_counts_transitively_and_on_a_cycle() {
        let found = run(r#"apiVersion: rolelint/v1
kind: Playbook
id: p
owner: carol
trigger: request
steps:
  - id: approve
    action: approve
    approvers: [manager]
  - id: notify
    action: notify
  - id: transitive
    action: grant
    role: viewer
    after: [notify]
  - id: cycle-approve
    action: approve
    approvers: [manager]
    after: [cycle-grant]
  - id: cycle-grant
    action: grant
    role: viewer
    after: [cycle-approve]
  - id: self-loop
    action: grant
    role: viewer
    after: [self-loop]
"#);
        assert_eq!(details(&found), ["self-loop"]);
    }

    #[test]
    fn an_approval_after_the_grant_is_too_late() {
        let found = run(r#"apiVersion: rolelint/v1
kind: Playbook
id: p
owner: carol
trigger: schedule
steps:
  - id: grant
    action: grant
    role: declared
  - id: approve
    action: approve
    approvers: [manager]
"#);
        assert_eq!(details(&found), ["grant"]);
        let help = found[0].help.as_deref().unwrap_or("");
        assert!(help.contains("runs after `grant`, too late"), "{help}");
        assert_eq!(found[0].related.len(), 2);
    }
}
