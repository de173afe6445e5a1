//! lifecycle/terminated-identity-access: a terminated identity that still
//! has active grants.

use crate::diagnostic::{Diagnostic, Severity};
use crate::graph::Graph;
use crate::model::{IdentityStatus, Kind};
use crate::rules::lifecycle::{ago, grant_phrase};
use crate::rules::{Rule, RuleDocs, RuleMeta};

pub struct TerminatedIdentityAccess;

pub static META: RuleMeta = RuleMeta {
    code: "lifecycle/terminated-identity-access",
    severity: Severity::Error,
    docs: RuleDocs {
        summary: "A `terminated` identity with an active grant (not revoked, and not past its `expires`). One finding per active grant; the detail is its role or permission, and the finding points at the grant's `role` or `permission` value. Suspended identities are not checked.",
        why: "When a person leaves or a workload is decommissioned, every access it had must be removed. A leaver's surviving grant is the classic orphaned account: nobody uses it legitimately, nobody watches it, and whoever gets hold of the credentials inherits the access. For machine identities this is improper offboarding.",
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
permissions: [zendesk:tickets.read, zendesk:tickets.write]
---
apiVersion: rolelint/v1
kind: Identity
id: carol
department: support
---
apiVersion: rolelint/v1
kind: Identity
id: hannah
department: support
status: terminated
terminated_on: 2026-10-15
grants:
  - role: support-agent
    granted: 2025-04-01
    approved_by: carol
    ticket: ACCESS-1010
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
permissions: [zendesk:tickets.read, zendesk:tickets.write]
---
apiVersion: rolelint/v1
kind: Identity
id: carol
department: support
---
apiVersion: rolelint/v1
kind: Identity
id: hannah
department: support
status: terminated
terminated_on: 2026-10-15
grants:
  - role: support-agent
    granted: 2025-04-01
    approved_by: carol
    ticket: ACCESS-1010
    revoked: 2026-10-15
"#,
        controls: &[
            "NIST CSF 2.0 PR.AA-01",
            "NIST CSF 2.0 PR.AA-05",
            "NIST SP 800-53 AC-2",
            "OWASP Non-Human Identities Top 10: NHI1 Improper Offboarding",
        ],
    },
};

impl Rule for TerminatedIdentityAccess {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, graph: &Graph, out: &mut Vec<Diagnostic>) {
        for (identity, facts) in graph.catalogue.identities.iter().zip(&graph.identity_facts) {
            if identity.status.value != IdentityStatus::Terminated {
                continue;
            }
            let since = match &identity.terminated_on {
                Some(day) => format!(
                    " on {} ({})",
                    day.value,
                    ago(day.value.days_until(graph.now))
                ),
                None => String::new(),
            };
            for &index in &facts.active_grants {
                let Some(grant) = identity.grants.get(index as usize) else {
                    continue;
                };
                let mut finding = META
                    .finding(format!(
                        "`{}` was terminated{since} but still has an active {}",
                        identity.id.value,
                        grant_phrase(grant)
                    ))
                    .on(Kind::Identity, &identity.id.value)
                    .detail(grant.target_text())
                    .at(grant.target_span())
                    .related(identity.status.span, "the identity is terminated");
                if let Some(day) = &identity.terminated_on {
                    finding = finding.related(day.span, "terminated on this day");
                }
                out.push(finding.help(
                    "remove the access in the target system and record the day with `revoked:` on this grant (a leaver playbook with `revoke_all` prevents this)",
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::lifecycle::check_example;

    #[test]
    fn only_active_grants_of_terminated_identities() {
        let catalogue = r#"apiVersion: rolelint/v1
kind: Role
id: base
owner: carol
---
apiVersion: rolelint/v1
kind: Identity
id: carol
---
apiVersion: rolelint/v1
kind: Identity
id: leaver
status: terminated
grants:
  - role: base
    granted: 2025-01-01
  - role: base
    granted: 2025-01-01
    revoked: 2026-10-01
  - role: base
    granted: 2026-10-01
    expires: 2026-11-25
  - role: base
    granted: 2026-10-01
    expires: 2026-11-26
---
apiVersion: rolelint/v1
kind: Identity
id: away
status: suspended
grants:
  - role: base
    granted: 2025-01-01
"#;
        let found = check_example(&TerminatedIdentityAccess, catalogue, "2026-11-26");
        let lines: Vec<Option<u32>> = found.iter().map(|f| f.span.map(|s| s.line)).collect();
        assert_eq!(lines, vec![Some(15), Some(23)], "{found:#?}");
        assert!(found[0].message.starts_with("`leaver` was terminated but"));
    }
}
