//! lifecycle/excessive-duration: a temporary grant that lasts longer than allowed.

use crate::diagnostic::{Diagnostic, Severity};
use crate::graph::Graph;
use crate::model::{GrantTarget, Kind, Span};
use crate::rules::lifecycle::{days, grant_phrase};
use crate::rules::{Rule, RuleDocs, RuleMeta};

pub struct ExcessiveDuration;

pub static META: RuleMeta = RuleMeta {
    code: "lifecycle/excessive-duration",
    severity: Severity::Error,
    docs: RuleDocs {
        summary: "A grant whose `expires` minus `granted` is more than allowed: the role's `max_grant_days`, or, for direct permission grants and roles without one, `defaults.max_grant_days` of rolelint.yaml. Only grants with both dates are checked, and revoked grants are skipped. Exactly the limit is allowed. The detail is the role or permission; the finding points at the `expires` value.",
        why: "A temporary grant is only as temporary as its end date. A one-year \"temporary\" grant is standing access that skips the scrutiny standing access gets; the limit forces a fresh approval at least that often, so access that is no longer needed lapses.",
        failing: r#"apiVersion: rolelint/v1
kind: Application
id: snowflake
owner: carol
permissions:
  - id: warehouse.read
---
apiVersion: rolelint/v1
kind: Role
id: auditor-readonly
owner: carol
permissions: [snowflake:warehouse.read]
---
apiVersion: rolelint/v1
kind: Identity
id: carol
department: risk
---
apiVersion: rolelint/v1
kind: Identity
id: grace
department: risk
grants:
  - role: auditor-readonly
    granted: 2026-10-01
    expires: 2027-03-31
    approved_by: carol
    ticket: AUDIT-88
"#,
        passing: r#"apiVersion: rolelint/v1
kind: Application
id: snowflake
owner: carol
permissions:
  - id: warehouse.read
---
apiVersion: rolelint/v1
kind: Role
id: auditor-readonly
owner: carol
permissions: [snowflake:warehouse.read]
---
apiVersion: rolelint/v1
kind: Identity
id: carol
department: risk
---
apiVersion: rolelint/v1
kind: Identity
id: grace
department: risk
grants:
  - role: auditor-readonly
    granted: 2026-10-01
    expires: 2026-12-30
    approved_by: carol
    ticket: AUDIT-88
"#,
        controls: &[
            "NIST CSF 2.0 PR.AA-05",
            "NIST SP 800-53 AC-2",
            "NIST SP 800-53 AC-6",
        ],
    },
};

impl Rule for ExcessiveDuration {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, graph: &Graph, out: &mut Vec<Diagnostic>) {
        let default_limit = graph.defaults().max_grant_days;
        for identity in &graph.catalogue.identities {
            for grant in &identity.grants {
                if grant.revoked.is_some() {
                    continue;
                }
                let (Some(granted), Some(expires)) = (&grant.granted, &grant.expires) else {
                    continue;
                };
                // The role's own limit wins; a direct grant, a role without
                // one, or a role that does not resolve falls back to the default.
                let role_limit = match grant.target() {
                    Some(GrantTarget::Role(role_ref)) => graph
                        .role(role_ref.as_str())
                        .and_then(|role| role.max_grant_days.as_ref().map(|max| (role, max))),
                    _ => None,
                };
                let (limit, source, limit_span): (u32, String, Option<Span>) = match role_limit {
                    Some((role, max)) => (
                        max.value,
                        format!("the `max_grant_days` of role `{}`", role.id.value),
                        Some(max.span),
                    ),
                    None => (default_limit, "`defaults.max_grant_days`".to_owned(), None),
                };
                let duration = granted.value.days_until(expires.value);
                if duration <= i64::from(limit) {
                    continue;
                }
                let mut finding = META
                    .finding(format!(
                        "{} lasts {} ({} to {}), more than the {} allowed by {}",
                        grant_phrase(grant),
                        days(duration),
                        granted.value,
                        expires.value,
                        days(i64::from(limit)),
                        source
                    ))
                    .on(Kind::Identity, &identity.id.value)
                    .detail(grant.target_text())
                    .at(expires.span)
                    .related(granted.span, "granted on this day");
                if let Some(span) = limit_span {
                    finding = finding.related(span, "the role's limit");
                }
                out.push(finding.help(format!(
                    "set `expires:` to {} or earlier ({} after `granted`), and renew with a fresh approval if the access is still needed then",
                    granted.value.plus_days(i64::from(limit)),
                    days(i64::from(limit))
                )));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::lifecycle::check_example;

    #[test]
    fn role_limit_default_limit_and_boundaries() {
        let catalogue = r#"apiVersion: rolelint/v1
kind: Application
id: app
owner: carol
permissions:
  - id: read
---
apiVersion: rolelint/v1
kind: Role
id: yearly
owner: carol
max_grant_days: 365
---
apiVersion: rolelint/v1
kind: Role
id: short
owner: carol
max_grant_days: 30
---
apiVersion: rolelint/v1
kind: Role
id: plain
owner: carol
---
apiVersion: rolelint/v1
kind: Identity
id: carol
grants:
  - role: yearly
    granted: 2026-01-01
    expires: 2026-12-31
  - role: short
    granted: 2026-11-01
    expires: 2026-12-01
  - role: short
    granted: 2026-11-01
    expires: 2026-12-02
  - role: plain
    granted: 2026-11-01
    expires: 2027-01-30
  - role: plain
    granted: 2026-11-01
    expires: 2027-01-31
  - permission: app:read
    granted: 2026-11-01
    expires: 2027-01-31
    justification: INC-9
  - role: plain
    granted: 2026-01-01
    expires: 2027-01-31
    revoked: 2026-02-01
  - role: plain
    expires: 2030-01-31
  - role: unknown-role
    granted: 2026-11-01
    expires: 2027-01-31
"#;
        let found = check_example(&ExcessiveDuration, catalogue, "2026-11-26");
        let summary: Vec<(Option<&str>, Option<u32>)> = found
            .iter()
            .map(|f| (f.detail.as_deref(), f.span.map(|s| s.line)))
            .collect();
        assert_eq!(
            summary,
            vec![
                (Some("short"), Some(37)),
                (Some("plain"), Some(43)),
                (Some("app:read"), Some(46)),
                (Some("unknown-role"), Some(56)),
            ]
        );
        assert!(found[0].message.contains("31 days"));
        assert!(found[0].message.contains("role `short`"));
        assert!(found[1].message.contains("`defaults.max_grant_days`"));
    }
}
