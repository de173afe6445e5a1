//! workflow/privileged-birthright: a `joiner` playbook grants a privileged role.

use crate::diagnostic::{Diagnostic, Severity};
use crate::graph::Graph;
use crate::model::{Kind, Trigger};
use crate::rules::workflow::{grant_steps, privileged_role};
use crate::rules::{Rule, RuleDocs, RuleMeta};

pub struct PrivilegedBirthright;

pub static META: RuleMeta = RuleMeta {
    code: "workflow/privileged-birthright",
    severity: Severity::Warning,
    docs: RuleDocs {
        summary: "A `grant` step of a privileged role (declared `privileged: true`, or reaching a permission its application marks privileged) in a `joiner` playbook, whatever approval or MFA precedes it. One finding per step; the detail is the step id. Declaring a role privileged is not inherited: a role that inherits a declared-privileged role is privileged only if it reaches a privileged permission. A grant of a role that does not resolve is not privileged.",
        why: "Birthright access is given to everyone the playbook applies to on their first day, before anyone knows whether they need it. Privileged access must be asked for by the few who need it, approved, and time-bound; as a birthright it becomes standing admin access for every new hire and the first target of an attacker who phishes one.",
        failing: r#"apiVersion: rolelint/v1
kind: Playbook
id: engineering-joiner
name: Engineering joiner
owner: carol
trigger: joiner
steps:
  - id: manager-approval
    action: approve
    approvers: [manager]
  - id: enrol-mfa
    action: require_mfa
  - id: grant-base
    action: grant
    role: employee-base
  - id: grant-admin
    action: grant
    role: aws-admin
---
apiVersion: rolelint/v1
kind: Role
id: employee-base
owner: carol
permissions: [aws-prod:console.read]
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
id: engineering-joiner
name: Engineering joiner
owner: carol
trigger: joiner
steps:
  - id: manager-approval
    action: approve
    approvers: [manager]
  - id: enrol-mfa
    action: require_mfa
  - id: grant-base
    action: grant
    role: employee-base
---
apiVersion: rolelint/v1
kind: Role
id: employee-base
owner: carol
permissions: [aws-prod:console.read]
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
            "NIST SP 800-53 AC-6",
            "NIST SP 800-53 AC-2",
        ],
    },
};

impl Rule for PrivilegedBirthright {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, graph: &Graph, out: &mut Vec<Diagnostic>) {
        for playbook in &graph.catalogue.playbooks {
            if playbook.trigger.value != Trigger::Joiner {
                continue;
            }
            for (_, step) in grant_steps(playbook) {
                let Some(privileged) = privileged_role(graph, step) else {
                    continue;
                };
                let role = &privileged.role.id.value;
                out.push(
                    META.finding(format!(
                        "step `{}` of joiner playbook `{}` gives privileged role `{role}` to every joiner",
                        step.id.value, playbook.id.value
                    ))
                    .on(Kind::Playbook, &playbook.id.value)
                    .detail(step.id.as_str())
                    .at(step.id.span)
                    .related(
                        privileged.span,
                        format!("role `{role}` is privileged: {}", privileged.reason),
                    )
                    .help(format!(
                        "remove `{}` from the joiner playbook; let those who need `{role}` ask for it through a `request` playbook with approval, MFA and `expires_after_days`",
                        step.id.value
                    )),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::workflow::testing::{details, findings};

    #[test]
    fn joiner_grants_of_privileged_roles_only() {
        let catalogue = r#"apiVersion: rolelint/v1
kind: Playbook
id: joiner
owner: carol
trigger: joiner
steps:
  - id: approve
    action: approve
    approvers: [manager]
  - id: mfa
    action: require_mfa
  - id: base
    action: grant
    role: base
  - id: declared
    action: grant
    role: declared
  - id: inherits-declared
    action: grant
    role: inherits-declared
  - id: effective
    action: grant
    role: effective
  - id: unknown
    action: grant
    role: nonexistent
  - id: revoke
    action: revoke
    role: declared
---
apiVersion: rolelint/v1
kind: Playbook
id: request
owner: carol
trigger: request
steps:
  - id: approve
    action: approve
    approvers: [manager]
  - id: mfa
    action: require_mfa
  - id: declared
    action: grant
    role: declared
    expires_after_days: 7
---
apiVersion: rolelint/v1
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
id: base
owner: carol
permissions: [app:read]
---
apiVersion: rolelint/v1
kind: Role
id: declared
owner: carol
privileged: true
permissions: [app:read]
---
apiVersion: rolelint/v1
kind: Role
id: inherits-declared
owner: carol
inherits: [declared]
---
apiVersion: rolelint/v1
kind: Role
id: effective
owner: carol
permissions: ["app:*"]
---
apiVersion: rolelint/v1
kind: Identity
id: carol
"#;
        let found = findings(&PrivilegedBirthright, catalogue);
        assert_eq!(details(&found), ["declared", "effective"]);
        assert!(
            found
                .iter()
                .all(|f| f.object.as_ref().is_some_and(|o| o.id.as_str() == "joiner"))
        );
        assert_eq!(
            found[1].related[0].message,
            "role `effective` is privileged: reaches privileged permission `app:admin`"
        );
    }
}
