//! privilege/non-human-privileged: an active grant of a privileged role to a
//! `service` or `agent` identity.

use super::{privilege_reason, privilege_span};
use crate::diagnostic::{Diagnostic, Severity};
use crate::graph::Graph;
use crate::model::{IdentityType, Kind};
use crate::rules::{Rule, RuleDocs, RuleMeta};

pub struct NonHumanPrivileged;

pub static META: RuleMeta = RuleMeta {
    code: "privilege/non-human-privileged",
    severity: Severity::Warning,
    docs: RuleDocs {
        summary: "An active grant of a privileged role (declared or effectively) to a `service` or `agent` identity. Applies whatever the identity's status; the detail is the role, and the finding points at the grant's `role` value.",
        why: "Non-human identities authenticate with long-lived secrets that leak into code, CI logs and laptops, cannot answer an MFA prompt, and are rarely watched by anyone. A privileged role on such an identity turns one leaked key into administrative access. Workloads and AI agents should hold narrowly scoped, non-privileged roles; where a privileged one is unavoidable, the accepted risk should be recorded with a suppression that expires.",
        failing: r#"apiVersion: rolelint/v1
kind: Application
id: okta
owner: carol
permissions:
  - id: user.read
  - id: user.manage
    privileged: true
---
apiVersion: rolelint/v1
kind: Role
id: okta-provisioning
owner: carol
permissions: [okta:user.read, okta:user.manage]
privileged: true
requires_mfa: true
review:
  last_reviewed: 2026-10-01
  reviewer: carol
---
apiVersion: rolelint/v1
kind: Identity
id: carol
department: it
---
apiVersion: rolelint/v1
kind: Identity
id: svc-okta-workflows
type: service
owner: carol
grants:
  - role: okta-provisioning
    granted: 2026-11-02
    expires: 2026-12-31
    approved_by: carol
"#,
        passing: r#"apiVersion: rolelint/v1
kind: Application
id: okta
owner: carol
permissions:
  - id: user.read
  - id: user.manage
    privileged: true
---
apiVersion: rolelint/v1
kind: Role
id: okta-directory-reader
owner: carol
permissions: [okta:user.read]
---
apiVersion: rolelint/v1
kind: Identity
id: carol
department: it
---
apiVersion: rolelint/v1
kind: Identity
id: svc-okta-workflows
type: service
owner: carol
grants:
  - role: okta-directory-reader
    granted: 2026-11-02
    expires: 2026-12-31
    approved_by: carol
"#,
        controls: &[
            "OWASP Non-Human Identities Top 10: NHI5 Overprivileged NHI",
            "NIST CSF 2.0 PR.AA-05",
            "NIST SP 800-53 AC-6",
            "NIST SP 800-53 AC-2",
        ],
    },
};

impl Rule for NonHumanPrivileged {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, graph: &Graph, out: &mut Vec<Diagnostic>) {
        let catalogue = graph.catalogue;
        for (identity, facts) in catalogue.identities.iter().zip(&graph.identity_facts) {
            let kind = identity.kind.value;
            if kind == IdentityType::Human {
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
                if !graph.role_facts[role as usize].privileged {
                    continue;
                }
                let definition = &catalogue.roles[role as usize];
                let reason = privilege_reason(graph, role);
                out.push(
                    META.finding(format!(
                        "{kind} identity `{}` holds privileged role `{}` ({reason})",
                        identity.id.value, role_ref.value
                    ))
                    .on(Kind::Identity, &identity.id.value)
                    .detail(role_ref.as_str())
                    .at(role_ref.span)
                    .related(
                        privilege_span(definition),
                        format!("role `{}` is privileged", definition.id.value),
                    )
                    .help("grant the workload a role with only the non-privileged permissions it needs; if it must keep this one, record the accepted risk with a suppression (reason, approver, `until`)"),
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
    fn services_and_agents_whatever_their_status() {
        let yaml = r#"apiVersion: rolelint/v1
kind: Application
id: okta
owner: carol
permissions:
  - id: user.read
  - id: mfa.reset
    privileged: true
---
apiVersion: rolelint/v1
kind: Role
id: helpdesk
owner: carol
permissions: [okta:user.read]
privileged: true
requires_mfa: true
---
apiVersion: rolelint/v1
kind: Role
id: reader
owner: carol
permissions: [okta:user.read]
---
apiVersion: rolelint/v1
kind: Identity
id: carol
grants:
  - role: helpdesk
    granted: 2026-01-01
---
apiVersion: rolelint/v1
kind: Identity
id: bot
type: agent
status: suspended
owner: carol
grants:
  - role: helpdesk
    granted: 2026-11-01
    expires: 2026-12-01
  - role: helpdesk
    granted: 2026-01-01
    expires: 2026-11-25
  - role: reader
    granted: 2026-01-01
"#;
        let found = run(&NonHumanPrivileged, yaml, None);
        assert_eq!(summary(&found), vec![("bot".into(), "helpdesk".into(), 38)]);
        assert!(found[0].message.starts_with("agent identity `bot`"));
    }
}
