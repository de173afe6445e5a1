//! lifecycle/missing-expiry: a grant of a time-limited role without `expires`.

use crate::diagnostic::{Diagnostic, Severity};
use crate::graph::Graph;
use crate::model::{GrantTarget, Kind};
use crate::rules::lifecycle::days;
use crate::rules::{Rule, RuleDocs, RuleMeta};

pub struct MissingExpiry;

pub static META: RuleMeta = RuleMeta {
    code: "lifecycle/missing-expiry",
    severity: Severity::Error,
    docs: RuleDocs {
        summary: "A grant of a role that declares `max_grant_days`, without `expires`. Revoked grants are skipped; every other grant is checked, whatever the identity's status. The detail is the role; the finding points at the grant's `role` value.",
        why: "`max_grant_days` says that nobody may hold the role for longer than that: contractor access, break-glass and elevated roles. A grant without `expires` turns that temporary access into standing access that nobody will remember to remove, which is exactly what the limit exists to prevent.",
        failing: r#"apiVersion: rolelint/v1
kind: Application
id: github
owner: carol
permissions:
  - id: repo.read
  - id: repo.write
---
apiVersion: rolelint/v1
kind: Role
id: contractor-github
owner: carol
permissions: [github:repo.read, github:repo.write]
max_grant_days: 90
---
apiVersion: rolelint/v1
kind: Identity
id: carol
department: engineering
---
apiVersion: rolelint/v1
kind: Identity
id: marc
department: engineering
grants:
  - role: contractor-github
    granted: 2026-11-02
    approved_by: carol
    ticket: ACCESS-2120
"#,
        passing: r#"apiVersion: rolelint/v1
kind: Application
id: github
owner: carol
permissions:
  - id: repo.read
  - id: repo.write
---
apiVersion: rolelint/v1
kind: Role
id: contractor-github
owner: carol
permissions: [github:repo.read, github:repo.write]
max_grant_days: 90
---
apiVersion: rolelint/v1
kind: Identity
id: carol
department: engineering
---
apiVersion: rolelint/v1
kind: Identity
id: marc
department: engineering
grants:
  - role: contractor-github
    granted: 2026-11-02
    expires: 2027-01-31
    approved_by: carol
    ticket: ACCESS-2120
"#,
        controls: &[
            "NIST CSF 2.0 PR.AA-05",
            "NIST SP 800-53 AC-2",
            "NIST SP 800-53 AC-6",
        ],
    },
};

impl Rule for MissingExpiry {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, graph: &Graph, out: &mut Vec<Diagnostic>) {
        let catalogue = graph.catalogue;
        for (identity, facts) in catalogue.identities.iter().zip(&graph.identity_facts) {
            for (index, grant) in identity.grants.iter().enumerate() {
                if grant.revoked.is_some() || grant.expires.is_some() {
                    continue;
                }
                let Some(GrantTarget::Role(role_ref)) = grant.target() else {
                    continue;
                };
                let Some(role) = facts.role_of(index) else {
                    continue;
                };
                let role = &catalogue.roles[role as usize];
                let Some(max_days) = &role.max_grant_days else {
                    continue;
                };
                let limit = i64::from(max_days.value);
                let help = match &grant.granted {
                    // Already held longer than the role allows: an end date alone won't do.
                    Some(granted) if granted.value.plus_days(limit) < graph.now => format!(
                        "the grant is already older than {} (it should have ended on {}): revoke it, or replace it with a newly approved grant that has `expires:`",
                        days(limit),
                        granted.value.plus_days(limit)
                    ),
                    Some(granted) => format!(
                        "add `expires:` no later than {} ({} after `granted`), or revoke the grant",
                        granted.value.plus_days(limit),
                        days(limit)
                    ),
                    None => format!(
                        "add `granted:` and an `expires:` at most {} later, or revoke the grant",
                        days(limit)
                    ),
                };
                out.push(
                    META.finding(format!(
                        "grant of role `{}` has no `expires`, but the role may be held for at most {}",
                        role.id.value,
                        days(limit)
                    ))
                    .on(Kind::Identity, &identity.id.value)
                    .detail(grant.target_text())
                    .at(role_ref.span)
                    .related(
                        max_days.span,
                        format!("`{}` sets `max_grant_days` here", role.id.value),
                    )
                    .help(help),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::lifecycle::check_example;

    #[test]
    fn only_unrevoked_grants_of_limited_roles_without_expires() {
        let catalogue = r#"apiVersion: rolelint/v1
kind: Role
id: limited
owner: carol
max_grant_days: 30
---
apiVersion: rolelint/v1
kind: Role
id: unlimited
owner: carol
---
apiVersion: rolelint/v1
kind: Identity
id: carol
status: terminated
grants:
  - role: limited
    granted: 2026-11-01
  - role: limited
    granted: 2026-11-01
    revoked: 2026-11-02
  - role: limited
    granted: 2026-11-01
    expires: 2026-11-30
  - role: unlimited
    granted: 2026-11-01
  - role: unknown-role
    granted: 2026-11-01
"#;
        let found = check_example(&MissingExpiry, catalogue, "2026-11-26");
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(found[0].detail.as_deref(), Some("limited"));
        assert_eq!(found[0].span.map(|s| s.line), Some(17));
        assert!(
            found[0]
                .help
                .as_deref()
                .is_some_and(|h| h.contains("2026-12-01"))
        );
    }
}
