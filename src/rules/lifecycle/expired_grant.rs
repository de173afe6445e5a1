//! lifecycle/expired-grant: a temporary grant past its `expires` that was
//! never revoked.

use crate::diagnostic::{Diagnostic, Severity};
use crate::graph::{Graph, is_unrevoked_expired};
use crate::model::Kind;
use crate::rules::lifecycle::{ago, grant_phrase};
use crate::rules::{Rule, RuleDocs, RuleMeta};

pub struct ExpiredGrant;

pub static META: RuleMeta = RuleMeta {
    code: "lifecycle/expired-grant",
    severity: Severity::Error,
    docs: RuleDocs {
        summary: "An unrevoked temporary grant: its `expires` is before now and it has no `revoked` date. Checked on every identity, whatever its status. The detail is the grant's role or permission; the finding points at the `expires` value. A grant that expires today is still valid.",
        why: "A temporary grant is a promise that access ends. Past its `expires`, the grant no longer counts as access, but nothing shows that the access was actually removed in the target system: the catalogue and reality may have drifted, and an auditor cannot tell. Recording `revoked` closes the loop; if the access is still needed, it deserves a new, approved grant.",
        failing: r#"apiVersion: rolelint/v1
kind: Application
id: stripe
owner: carol
permissions:
  - id: refunds.read
  - id: refunds.write
---
apiVersion: rolelint/v1
kind: Role
id: refunds-agent
owner: carol
permissions: [stripe:refunds.read, stripe:refunds.write]
---
apiVersion: rolelint/v1
kind: Identity
id: carol
department: finance
---
apiVersion: rolelint/v1
kind: Identity
id: dave
department: support
grants:
  - role: refunds-agent
    granted: 2026-10-01
    expires: 2026-10-31
    approved_by: carol
    ticket: ACCESS-2101
"#,
        passing: r#"apiVersion: rolelint/v1
kind: Application
id: stripe
owner: carol
permissions:
  - id: refunds.read
  - id: refunds.write
---
apiVersion: rolelint/v1
kind: Role
id: refunds-agent
owner: carol
permissions: [stripe:refunds.read, stripe:refunds.write]
---
apiVersion: rolelint/v1
kind: Identity
id: carol
department: finance
---
apiVersion: rolelint/v1
kind: Identity
id: dave
department: support
grants:
  - role: refunds-agent
    granted: 2026-10-01
    expires: 2026-10-31
    revoked: 2026-10-31
    approved_by: carol
    ticket: ACCESS-2101
"#,
        controls: &[
            "NIST CSF 2.0 PR.AA-05",
            "NIST SP 800-53 AC-2",
            "NIST SP 800-53 AC-6",
        ],
    },
};

impl Rule for ExpiredGrant {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, graph: &Graph, out: &mut Vec<Diagnostic>) {
        let now = graph.now;
        for identity in &graph.catalogue.identities {
            for grant in &identity.grants {
                if !is_unrevoked_expired(grant, now) {
                    continue;
                }
                let Some(expires) = &grant.expires else {
                    continue;
                };
                let days_ago = expires.value.days_until(now);
                out.push(
                    META.finding(format!(
                        "temporary {} expired on {} ({}) and was never revoked",
                        grant_phrase(grant),
                        expires.value,
                        ago(days_ago)
                    ))
                    .on(Kind::Identity, &identity.id.value)
                    .detail(grant.target_text())
                    .at(expires.span)
                    .related(grant.target_span(), "the expired grant")
                    .help(format!(
                        "confirm the access was removed in the target system and record the day with `revoked:` on this grant; if `{}` still needs it, make a new, approved grant",
                        identity.id.value
                    )),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::lifecycle::check_example;

    const CATALOGUE: &str = r#"apiVersion: rolelint/v1
kind: Application
id: stripe
owner: carol
permissions:
  - id: refunds.read
---
apiVersion: rolelint/v1
kind: Identity
id: carol
grants:
  - permission: stripe:refunds.read
    granted: 2026-11-01
    expires: 2026-11-25
    justification: INC-1
  - permission: stripe:refunds.read
    granted: 2026-11-01
    expires: 2026-11-26
    justification: INC-2
  - permission: stripe:refunds.read
    granted: 2026-11-01
    expires: 2026-11-20
    revoked: 2026-11-20
    justification: INC-3
"#;

    #[test]
    fn expiring_today_is_still_valid_and_revoked_is_closed() {
        let found = check_example(&ExpiredGrant, CATALOGUE, "2026-11-26");
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(found[0].detail.as_deref(), Some("stripe:refunds.read"));
        assert!(
            found[0]
                .message
                .contains("expired on 2026-11-25 (1 day ago)")
        );
        assert!(found[0].message.contains("direct grant of permission"));
        assert_eq!(found[0].span.map(|s| s.line), Some(14));
    }

    #[test]
    fn one_day_later_the_boundary_grant_is_expired() {
        let found = check_example(&ExpiredGrant, CATALOGUE, "2026-11-27");
        assert_eq!(found.len(), 2, "{found:#?}");
    }
}
