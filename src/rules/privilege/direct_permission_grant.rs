//! privilege/direct-permission-grant: an active direct permission grant (not
//! through a role) without `justification` or without `expires`.

use crate::diagnostic::{Diagnostic, Severity};
use crate::graph::Graph;
use crate::model::{Grant, Kind};
use crate::rules::{Rule, RuleDocs, RuleMeta};

pub struct DirectPermissionGrant;

pub static META: RuleMeta = RuleMeta {
    code: "privilege/direct-permission-grant",
    severity: Severity::Warning,
    docs: RuleDocs {
        summary: "An active direct permission grant (`permission:` rather than `role:`) has no `justification` or no `expires`. Applies whatever the identity's status and type; a blank justification counts as none. The detail is the permission as written; the finding points at the grant's `permission` value.",
        why: "Direct grants bypass the role model: nobody designed, owns or reviews them as part of a role, so they are where exceptions quietly become permanent. An exception is acceptable when it says why it exists and when it ends; without both it is unreviewable, standing access.",
        failing: r#"apiVersion: rolelint/v1
kind: Application
id: aws-prod
owner: carol
permissions:
  - id: s3.read
  - id: s3.write
---
apiVersion: rolelint/v1
kind: Identity
id: carol
department: engineering
---
apiVersion: rolelint/v1
kind: Identity
id: aisha
department: engineering
manager: carol
grants:
  - permission: aws-prod:s3.write
    granted: 2026-09-14
    approved_by: carol
"#,
        passing: r#"apiVersion: rolelint/v1
kind: Application
id: aws-prod
owner: carol
permissions:
  - id: s3.read
  - id: s3.write
---
apiVersion: rolelint/v1
kind: Identity
id: carol
department: engineering
---
apiVersion: rolelint/v1
kind: Identity
id: aisha
department: engineering
manager: carol
grants:
  - permission: aws-prod:s3.write
    granted: 2026-11-14
    expires: 2026-12-14
    approved_by: carol
    justification: Backfill of the 2026 ledger exports (INC-2291)
"#,
        controls: &[
            "NIST CSF 2.0 PR.AA-05",
            "NIST SP 800-53 AC-2",
            "NIST SP 800-53 AC-6",
        ],
    },
};

/// What a direct grant lacks, as written in the message.
fn missing(grant: &Grant) -> Option<&'static str> {
    let justified = grant
        .justification
        .as_deref()
        .is_some_and(|text| !text.trim().is_empty());
    match (justified, grant.expires.is_some()) {
        (true, true) => None,
        (false, true) => Some("no `justification`"),
        (true, false) => Some("no `expires`"),
        (false, false) => Some("no `justification` and no `expires`"),
    }
}

impl Rule for DirectPermissionGrant {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, graph: &Graph, out: &mut Vec<Diagnostic>) {
        let catalogue = graph.catalogue;
        for (identity, facts) in catalogue.identities.iter().zip(&graph.identity_facts) {
            for &index in &facts.active_grants {
                let Some(grant) = identity.grants.get(index as usize) else {
                    continue;
                };
                let (Some(permission), None) = (&grant.permission, &grant.role) else {
                    continue;
                };
                let Some(lacking) = missing(grant) else {
                    continue;
                };
                let written = permission.value.to_string();
                out.push(
                    META.finding(format!(
                        "`{}` has a direct grant of `{written}`, outside any role, with {lacking}",
                        identity.id.value
                    ))
                    .on(Kind::Identity, &identity.id.value)
                    .detail(&written)
                    .at(permission.span)
                    .help("grant the access through a role; if it must stay an exception, say why (`justification`) and when it ends (`expires`)"),
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
    fn active_direct_grants_lacking_justification_or_expiry() {
        let yaml = r#"apiVersion: rolelint/v1
kind: Application
id: s3
owner: carol
permissions:
  - id: read
---
apiVersion: rolelint/v1
kind: Identity
id: carol
status: terminated
grants:
  - permission: s3:read
    granted: 2026-01-01
  - permission: s3:*
    granted: 2026-11-01
    expires: 2026-11-30
  - permission: s3:read
    granted: 2026-11-01
    expires: 2026-11-30
    justification: "  "
  - permission: s3:read
    granted: 2026-11-01
    justification: Incident
  - permission: s3:read
    granted: 2026-11-01
    expires: 2026-11-26
    justification: Incident
  - permission: s3:read
    granted: 2026-11-01
    expires: 2026-11-25
  - permission: s3:read
    granted: 2026-11-01
    revoked: 2026-11-02
"#;
        let found = run(&DirectPermissionGrant, yaml, None);
        assert_eq!(
            summary(&found),
            vec![
                ("carol".into(), "s3:*".into(), 15),
                ("carol".into(), "s3:read".into(), 13),
                ("carol".into(), "s3:read".into(), 18),
                ("carol".into(), "s3:read".into(), 22),
            ]
        );
        let messages: Vec<&str> = found.iter().map(|f| f.message.as_str()).collect();
        assert!(messages[0].ends_with("no `justification` and no `expires`"));
        assert!(messages[1].ends_with("with no `justification`"));
        assert!(messages[3].ends_with("with no `expires`"));
    }
}
