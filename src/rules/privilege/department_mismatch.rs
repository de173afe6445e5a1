//! privilege/department-mismatch: an active human holds a role meant for
//! another department, typically access left behind by a move.

use super::is_active_human;
use crate::diagnostic::{Diagnostic, Severity};
use crate::graph::Graph;
use crate::model::Kind;
use crate::rules::{Rule, RuleDocs, RuleMeta};

pub struct DepartmentMismatch;

pub static META: RuleMeta = RuleMeta {
    code: "privilege/department-mismatch",
    severity: Severity::Warning,
    docs: RuleDocs {
        summary: "An active `human` identity holds, through an active grant, a role whose `department` is set and differs from the identity's `department`. The detail is the role; the finding points at the grant's `role` value. Only roles granted directly are compared (a role's inherited roles are part of its design, not of the person's history), and an identity without a `department` is not compared. Departments are compared exactly, case included.",
        why: "When people move between teams they collect access: the new department's roles are granted, the old ones are rarely taken away. Over a few moves a person accumulates the union of every job they have had, which breaks least privilege and separation of duties. A role scoped to another department is the tell-tale sign of a mover whose old access was never revoked.",
        failing: r#"apiVersion: rolelint/v1
kind: Application
id: zendesk
owner: carol
permissions:
  - id: tickets.read
  - id: tickets.write
---
apiVersion: rolelint/v1
kind: Role
id: support-agent
owner: carol
department: support
permissions: [zendesk:tickets.read, zendesk:tickets.write]
---
apiVersion: rolelint/v1
kind: Identity
id: carol
department: support
---
apiVersion: rolelint/v1
kind: Identity
id: noah
department: finance
manager: carol
grants:
  - role: support-agent
    granted: 2025-04-01
    approved_by: carol
"#,
        passing: r#"apiVersion: rolelint/v1
kind: Application
id: zendesk
owner: carol
permissions:
  - id: tickets.read
  - id: tickets.write
---
apiVersion: rolelint/v1
kind: Role
id: support-agent
owner: carol
department: support
permissions: [zendesk:tickets.read, zendesk:tickets.write]
---
apiVersion: rolelint/v1
kind: Identity
id: carol
department: support
---
apiVersion: rolelint/v1
kind: Identity
id: noah
department: support
manager: carol
grants:
  - role: support-agent
    granted: 2025-04-01
    approved_by: carol
"#,
        controls: &[
            "NIST CSF 2.0 PR.AA-05",
            "NIST SP 800-53 AC-2",
            "NIST SP 800-53 AC-6",
        ],
    },
};

impl Rule for DepartmentMismatch {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, graph: &Graph, out: &mut Vec<Diagnostic>) {
        let catalogue = graph.catalogue;
        for (identity, facts) in catalogue.identities.iter().zip(&graph.identity_facts) {
            let Some(department) = &identity.department else {
                continue; // nothing to compare with
            };
            if !is_active_human(identity) {
                continue;
            }
            for &index in &facts.active_grants {
                let Some(role_ref) = identity
                    .grants
                    .get(index as usize)
                    .and_then(|grant| grant.role.as_ref())
                else {
                    continue;
                };
                let Some(role) = facts.role_of(index as usize) else {
                    continue;
                };
                let role = &catalogue.roles[role as usize];
                let Some(role_department) = &role.department else {
                    continue;
                };
                if role_department.value == department.value {
                    continue;
                }
                // Departments are free text: a difference in case only is
                // still a mismatch, but more likely a spelling to align.
                let (why, fix) = if role_department
                    .value
                    .eq_ignore_ascii_case(&department.value)
                {
                    (
                        "the two names differ only in case",
                        "write the department the same way on the identity and the role",
                    )
                } else {
                    (
                        "access left behind by a move?",
                        "revoke the grant if it is no longer needed; if the access is still right, correct the role's `department` or record why with a suppression",
                    )
                };
                out.push(
                    META.finding(format!(
                        "`{}` is in department `{}` but holds role `{}`, which is meant for department `{}`: {why}",
                        identity.id.value, department.value, role_ref.value, role_department.value
                    ))
                    .on(Kind::Identity, &identity.id.value)
                    .detail(role_ref.as_str())
                    .at(role_ref.span)
                    .related(
                        role_department.span,
                        format!("role `{}` is meant for `{}`", role.id.value, role_department.value),
                    )
                    .related(
                        department.span,
                        format!("`{}` is in `{}`", identity.id.value, department.value),
                    )
                    .help(fix),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::privilege::testing::{run, summary};

    #[test]
    fn only_active_humans_with_a_department_and_directly_granted_roles() {
        let yaml = r#"apiVersion: rolelint/v1
kind: Role
id: support-agent
owner: carol
department: support
---
apiVersion: rolelint/v1
kind: Role
id: finance-lead
owner: carol
department: finance
inherits: [support-agent]
---
apiVersion: rolelint/v1
kind: Role
id: anyone
owner: carol
---
apiVersion: rolelint/v1
kind: Identity
id: carol
department: finance
grants:
  - role: finance-lead
    granted: 2026-01-01
  - role: anyone
    granted: 2026-01-01
  - role: support-agent
    granted: 2026-01-01
  - role: support-agent
    granted: 2026-01-01
    revoked: 2026-02-01
  - role: Support-Agent
    granted: 2026-01-01
---
apiVersion: rolelint/v1
kind: Identity
id: noah
status: suspended
department: finance
grants:
  - role: support-agent
    granted: 2026-01-01
---
apiVersion: rolelint/v1
kind: Identity
id: bot
type: agent
owner: carol
department: finance
grants:
  - role: support-agent
    granted: 2026-01-01
---
apiVersion: rolelint/v1
kind: Identity
id: dana
grants:
  - role: support-agent
    granted: 2026-01-01
---
apiVersion: rolelint/v1
kind: Identity
id: ed
department: Support
grants:
  - role: support-agent
    granted: 2026-01-01
"#;
        let found = run(&DepartmentMismatch, yaml, None);
        assert_eq!(
            summary(&found),
            vec![
                ("carol".into(), "support-agent".into(), 28),
                ("ed".into(), "support-agent".into(), 67),
            ]
        );
        assert_eq!(found[0].related.len(), 2);
        assert!(found[0].message.ends_with("access left behind by a move?"));
        assert!(found[1].message.ends_with("differ only in case"));
    }
}
