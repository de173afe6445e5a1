//! workflow/privileged-grant-without-mfa: a `grant` step of a privileged role
//! that no `require_mfa` step precedes.

use crate::diagnostic::{Diagnostic, Severity};
use crate::graph::Graph;
use crate::model::{Action, Kind};
use crate::rules::workflow::{grant_steps, is_preceded_by, ordering_advice, privileged_role};
use crate::rules::{Rule, RuleDocs, RuleMeta};

pub struct PrivilegedGrantWithoutMfa;

pub static META: RuleMeta = RuleMeta {
    code: "workflow/privileged-grant-without-mfa",
    severity: Severity::Error,
    docs: RuleDocs {
        summary: "A `grant` step of a privileged role (declared `privileged: true`, or reaching a permission its application marks privileged) that no `require_mfa` step precedes, in a playbook of any trigger. One finding per step; the detail is the step id. \"Precedes\" is transitive over `after`; steps on one `after` cycle precede each other, so a `require_mfa` step on the grant's cycle counts (the cycle itself is `graph/step-cycle`). A grant of a role that does not resolve is not privileged.",
        why: "Privileged access must only ever be usable with a strong, phishing-resistant second factor. If the playbook grants it before MFA is enrolled, the account holds admin rights protected by a password alone, which is exactly the window attackers use after a credential phish.",
        failing: r#"apiVersion: rolelint/v1
kind: Playbook
id: request-aws-admin
name: Request AWS administrator access
owner: carol
trigger: request
steps:
  - id: owner-approval
    action: approve
    approvers: [role-owner]
  - id: grant-admin
    action: grant
    role: aws-admin
    expires_after_days: 7
  - id: enrol-mfa
    action: require_mfa
---
apiVersion: rolelint/v1
kind: Role
id: aws-admin
owner: carol
permissions: [aws-prod:iam.admin]
privileged: true
requires_mfa: true
review:
  last_reviewed: 2026-10-01
  reviewer: carol
---
apiVersion: rolelint/v1
kind: Application
id: aws-prod
owner: carol
permissions:
  - id: console.read
  - id: iam.admin
    privileged: true
---
apiVersion: rolelint/v1
kind: Identity
id: carol
department: it
"#,
        passing: r#"apiVersion: rolelint/v1
kind: Playbook
id: request-aws-admin
name: Request AWS administrator access
owner: carol
trigger: request
steps:
  - id: owner-approval
    action: approve
    approvers: [role-owner]
  - id: enrol-mfa
    action: require_mfa
  - id: grant-admin
    action: grant
    role: aws-admin
    expires_after_days: 7
---
apiVersion: rolelint/v1
kind: Role
id: aws-admin
owner: carol
permissions: [aws-prod:iam.admin]
privileged: true
requires_mfa: true
review:
  last_reviewed: 2026-10-01
  reviewer: carol
---
apiVersion: rolelint/v1
kind: Application
id: aws-prod
owner: carol
permissions:
  - id: console.read
  - id: iam.admin
    privileged: true
---
apiVersion: rolelint/v1
kind: Identity
id: carol
department: it
"#,
        controls: &[
            "NIST CSF 2.0 PR.AA-05",
            "NIST SP 800-53 IA-2",
            "NIST SP 800-53 AC-6",
        ],
    },
};

impl Rule for PrivilegedGrantWithoutMfa {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, graph: &Graph, out: &mut Vec<Diagnostic>) {
        for (playbook, facts) in graph.catalogue.playbooks.iter().zip(&graph.playbook_facts) {
            for (index, step) in grant_steps(playbook) {
                if is_preceded_by(facts, index, Action::RequireMfa) {
                    continue;
                }
                let Some(privileged) = privileged_role(graph, step) else {
                    continue;
                };
                let message = format!(
                    "step `{}` of playbook `{}` grants privileged role `{}` with no `require_mfa` step before it",
                    step.id.value, playbook.id.value, privileged.role.id.value
                );
                let (help, related) = ordering_advice(
                    playbook,
                    facts,
                    index,
                    Action::RequireMfa,
                    "a `require_mfa` step",
                );
                let mut finding = META
                    .finding(message)
                    .on(Kind::Playbook, &playbook.id.value)
                    .detail(step.id.as_str())
                    .at(step.id.span)
                    .help(help)
                    .related(
                        privileged.span,
                        format!(
                            "role `{}` is privileged: {}",
                            privileged.role.id.value, privileged.reason
                        ),
                    );
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
id: admin
owner: carol
inherits: [viewer]
permissions: [aws:admin]
---
apiVersion: rolelint/v1
kind: Identity
id: carol
"#;

    #[test]
    fn only_privileged_grants_without_earlier_mfa() {
        let found = findings(
            &PrivilegedGrantWithoutMfa,
            &format!(
                r#"apiVersion: rolelint/v1
kind: Playbook
id: p
owner: carol
trigger: mover
steps:
  - id: approve
    action: approve
    approvers: [manager]
  - id: viewer
    action: grant
    role: viewer
  - id: unknown
    action: grant
    role: adnim
  - id: early-admin
    action: grant
    role: admin
  - id: mfa
    action: require_mfa
  - id: late-admin
    action: grant
    role: admin
  - id: parallel-admin
    action: grant
    role: admin
    after: [approve]
---{ROLES}"#
            ),
        );
        assert_eq!(details(&found), ["early-admin", "parallel-admin"]);
        let early = &found[0];
        assert!(
            early.related[0]
                .message
                .contains("reaches privileged permission `aws:admin`")
        );
        assert!(early.help.as_deref().unwrap_or("").contains("too late"));
        let parallel = &found[1];
        assert_eq!(
            parallel.help.as_deref(),
            Some("make `parallel-admin` run after `mfa`: add `mfa` to its `after`")
        );
    }

    #[test]
    fn help_keeps_the_implicit_predecessor() {
        let found = findings(
            &PrivilegedGrantWithoutMfa,
            &format!(
                r#"apiVersion: rolelint/v1
kind: Playbook
id: p
owner: carol
trigger: request
steps:
  - id: approve
    action: approve
    approvers: [manager]
  - id: mfa
    action: require_mfa
    after: []
  - id: notify
    action: notify
    after: [approve]
  - id: grant-admin
    action: grant
    role: admin
    expires_after_days: 1
---{ROLES}"#
            ),
        );
        assert_eq!(details(&found), ["grant-admin"]);
        assert_eq!(
            found[0].help.as_deref(),
            Some(
                "make `grant-admin` run after `mfa`: write `after: [notify, mfa]` (without `after` it waits only for `notify`)"
            )
        );
        assert_eq!(
            found[0].related[1].message,
            "`require_mfa` step `mfa` does not run before `grant-admin`"
        );
    }
}
