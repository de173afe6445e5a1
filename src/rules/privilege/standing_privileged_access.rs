//! privilege/standing-privileged-access: an active grant of a privileged role
//! to a human, with no `expires`.

use super::{privilege_reason, privilege_span};
use crate::diagnostic::{Diagnostic, Severity};
use crate::graph::Graph;
use crate::model::{IdentityType, Kind};
use crate::rules::{Rule, RuleDocs, RuleMeta};

pub struct StandingPrivilegedAccess;

pub static META: RuleMeta = RuleMeta {
    code: "privilege/standing-privileged-access",
    severity: Severity::Warning,
    docs: RuleDocs {
        summary: "An active grant of a privileged role (declared or effectively) to a `human` identity has no `expires`: privileged access that stands until someone remembers to remove it. Applies whatever the identity's status; the detail is the role, and the finding points at the grant's `role` value.",
        why: "Standing privileged access is permanent attack surface: every day a human holds admin rights they do not use is a day a stolen session can use them. Time-bound grants (just-in-time access) make privileged access expire by default, so it is re-requested, re-approved and visible in the audit trail when it is really needed.",
        failing: r#"apiVersion: rolelint/v1
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
id: okta-helpdesk
owner: carol
permissions: [okta:user.read, okta:mfa.reset]
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
id: omar
department: it
manager: carol
grants:
  - role: okta-helpdesk
    granted: 2026-03-02
    approved_by: carol
"#,
        passing: r#"apiVersion: rolelint/v1
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
id: okta-helpdesk
owner: carol
permissions: [okta:user.read, okta:mfa.reset]
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
id: omar
department: it
manager: carol
grants:
  - role: okta-helpdesk
    granted: 2026-11-02
    expires: 2026-12-31
    approved_by: carol
"#,
        controls: &[
            "NIST CSF 2.0 PR.AA-05",
            "NIST SP 800-53 AC-2",
            "NIST SP 800-53 AC-6",
        ],
    },
};

impl Rule for StandingPrivilegedAccess {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, graph: &Graph, out: &mut Vec<Diagnostic>) {
        let catalogue = graph.catalogue;
        for (identity, facts) in catalogue.identities.iter().zip(&graph.identity_facts) {
            if identity.kind.value != IdentityType::Human {
                continue;
            }
            for &index in &facts.active_grants {
                let Some(grant) = identity.grants.get(index as usize) else {
                    continue;
                };
                let (Some(role_ref), None) = (&grant.role, &grant.expires) else {
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
                        "`{}` has a standing grant of privileged role `{}` ({reason}): the grant has no `expires`",
                        identity.id.value, role_ref.value
                    ))
                    .on(Kind::Identity, &identity.id.value)
                    .detail(role_ref.as_str())
                    .at(role_ref.span)
                    .related(
                        privilege_span(definition),
                        format!("role `{}` is privileged", definition.id.value),
                    )
                    .help("give the grant an `expires` date so privileged access is time-bound, and grant it again when it is needed"),
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
    fn only_active_unexpiring_grants_of_privileged_roles_to_humans() {
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
permissions: [okta:mfa.reset]
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
status: terminated
grants:
  - role: helpdesk
    granted: 2026-01-01
  - role: helpdesk
    granted: 2026-01-01
    revoked: 2026-02-01
  - role: helpdesk
    granted: 2026-11-01
    expires: 2026-11-26
  - role: reader
    granted: 2026-01-01
  - role: unknown
    granted: 2026-01-01
---
apiVersion: rolelint/v1
kind: Identity
id: svc
type: service
owner: carol
grants:
  - role: helpdesk
    granted: 2026-01-01
"#;
        let found = run(&StandingPrivilegedAccess, yaml, None);
        assert_eq!(
            summary(&found),
            vec![("carol".into(), "helpdesk".into(), 28)]
        );
        assert!(found[0].message.contains("it reaches `okta:mfa.reset`"));
    }
}
