//! lifecycle/stale-credential: a machine credential that is overdue for
//! rotation or past its expiry.

use crate::diagnostic::{Diagnostic, Severity};
use crate::graph::Graph;
use crate::model::{Credential, Date, IdentityType, Kind, Span};
use crate::rules::lifecycle::{ago, days};
use crate::rules::{Rule, RuleDocs, RuleMeta};

pub struct StaleCredential;

pub static META: RuleMeta = RuleMeta {
    code: "lifecycle/stale-credential",
    severity: Severity::Error,
    docs: RuleDocs {
        summary: "A credential of a `service` or `agent` identity that was last rotated (or, if never rotated, created) more than `defaults.credential_rotation_days` before now, or whose `expires` is before now. One finding per credential, even when both hold; the message says which. A credential with neither `created` nor `last_rotated` is reported too, because its age cannot be shown to be within the policy. The detail is the credential id; the finding points at the `expires` value when the credential has expired, otherwise at the `last_rotated` (or `created`) value. Exactly the rotation period, or an `expires` of today, is still fine.",
        why: "Long-lived secrets are the most common way machine identities are compromised: an API key or token that never changes keeps working for whoever copied it from a log, a laptop or a repository. Rotation bounds how long a leaked secret is useful. An expired credential that is still listed is either broken automation or, worse, a secret that was replaced out of band while the catalogue no longer says what is really in use.",
        failing: r#"apiVersion: rolelint/v1
kind: Identity
id: carol
department: finance
---
apiVersion: rolelint/v1
kind: Identity
id: svc-billing-export
name: Nightly billing export
type: service
owner: carol
department: finance
credentials:
  - id: export-key
    type: api_key
    created: 2026-01-10
    last_rotated: 2026-03-01
    expires: 2027-01-10
"#,
        passing: r#"apiVersion: rolelint/v1
kind: Identity
id: carol
department: finance
---
apiVersion: rolelint/v1
kind: Identity
id: svc-billing-export
name: Nightly billing export
type: service
owner: carol
department: finance
credentials:
  - id: export-key
    type: api_key
    created: 2026-01-10
    last_rotated: 2026-10-01
    expires: 2027-01-10
"#,
        controls: &[
            "NIST CSF 2.0 PR.AA-01",
            "NIST SP 800-53 IA-5",
            "OWASP Non-Human Identities Top 10: NHI7 Long-Lived Secrets",
        ],
    },
};

/// Why a credential is reported, with the place to point at.
struct Verdict {
    reasons: Vec<String>,
    help: &'static str,
    span: Span,
    related: Vec<(Span, String)>,
}

/// The verdict on one credential, or `None` when it is fine.
fn judge(credential: &Credential, now: Date, rotation_days: u32, source: &str) -> Option<Verdict> {
    let limit = i64::from(rotation_days);
    let expired = credential
        .expires
        .as_ref()
        .filter(|expires| expires.value < now);
    // Rotation age counts from `last_rotated`, or from `created` when it was never rotated.
    let rotation = match (&credential.last_rotated, &credential.created) {
        (Some(rotated), _) => Some((rotated, "last rotated")),
        (None, Some(created)) => Some((created, "created")),
        (None, None) => None,
    };
    let mut reasons = Vec::new();
    let mut related = Vec::new();
    let mut span = None;
    let mut help = "";
    if let Some(expires) = expired {
        reasons.push(format!(
            "expired on {} ({})",
            expires.value,
            ago(expires.value.days_until(now))
        ));
        span = Some(expires.span);
        help = "replace the credential and record its new `expires:` and `last_rotated:`, or remove it from the identity if it is no longer used";
    }
    match rotation {
        Some((day, what)) => {
            let age = day.value.days_until(now);
            if age > limit {
                let when = if what == "created" {
                    "has not been rotated since it was created"
                } else {
                    "was last rotated"
                };
                reasons.push(format!(
                    "{when} on {} ({}), more than the {} allowed by {source}",
                    day.value,
                    ago(age),
                    days(limit)
                ));
                match span {
                    None => {
                        span = Some(day.span);
                        help = "rotate the credential and record the day in `last_rotated:`";
                    }
                    Some(_) => related.push((day.span, format!("{what} on this day"))),
                }
            }
        }
        None => {
            reasons.push(format!(
                "has neither `created` nor `last_rotated`, so nothing shows it was rotated within the {} allowed by {source}",
                days(limit)
            ));
            if span.is_none() {
                span = Some(credential.id.span);
                help = "record when the credential was issued (`created:`) and last rotated (`last_rotated:`); if nobody knows, rotate it now and record today";
            }
        }
    }
    Some(Verdict {
        reasons,
        help,
        span: span?,
        related,
    })
}

impl Rule for StaleCredential {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, graph: &Graph, out: &mut Vec<Diagnostic>) {
        let rotation_days = graph.defaults().credential_rotation_days;
        let source = "`defaults.credential_rotation_days`";
        for identity in &graph.catalogue.identities {
            // Human credentials are the identity provider's business, not the catalogue's.
            if identity.kind.value == IdentityType::Human {
                continue;
            }
            for credential in &identity.credentials {
                let Some(verdict) = judge(credential, graph.now, rotation_days, source) else {
                    continue;
                };
                let mut finding = META
                    .finding(format!(
                        "{} credential `{}` of {} `{}` {}",
                        credential.kind,
                        credential.id.value,
                        identity.kind.value,
                        identity.id.value,
                        verdict.reasons.join(" and ")
                    ))
                    .on(Kind::Identity, &identity.id.value)
                    .detail(credential.id.as_str())
                    .at(verdict.span);
                for (span, message) in verdict.related {
                    finding = finding.related(span, message);
                }
                out.push(finding.help(verdict.help));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::lifecycle::check_example;

    const CATALOGUE: &str = r#"apiVersion: rolelint/v1
kind: Identity
id: svc
type: service
credentials:
  - id: rotated-exactly-90-days-ago
    type: api_key
    created: 2026-01-01
    last_rotated: 2026-08-28
  - id: rotated-91-days-ago
    type: api_key
    created: 2026-01-01
    last_rotated: 2026-08-27
  - id: never-rotated
    type: ssh_key
    created: 2026-01-01
  - id: expires-today
    type: certificate
    created: 2026-11-01
    expires: 2026-11-26
  - id: expired
    type: certificate
    created: 2026-11-01
    expires: 2026-11-25
  - id: both
    type: password
    created: 2025-01-01
    expires: 2026-01-01
  - id: undated
    type: oauth_token
---
apiVersion: rolelint/v1
kind: Identity
id: person
credentials:
  - id: old-password
    type: password
    created: 2020-01-01
"#;

    #[test]
    fn rotation_age_expiry_and_undated_credentials() {
        let found = check_example(&StaleCredential, CATALOGUE, "2026-11-26");
        let summary: Vec<(Option<&str>, Option<u32>)> = found
            .iter()
            .map(|f| (f.detail.as_deref(), f.span.map(|s| s.line)))
            .collect();
        assert_eq!(
            summary,
            vec![
                (Some("rotated-91-days-ago"), Some(13)),
                (Some("never-rotated"), Some(16)),
                (Some("expired"), Some(24)),
                (Some("both"), Some(28)),
                (Some("undated"), Some(29)),
            ],
            "{found:#?}"
        );
        assert!(
            found[0]
                .message
                .contains("last rotated on 2026-08-27 (91 days ago)")
        );
        assert!(
            found[1]
                .message
                .contains("has not been rotated since it was created on 2026-01-01")
        );
        assert!(
            found[2]
                .message
                .contains("expired on 2026-11-25 (1 day ago)")
        );
        assert!(!found[2].message.contains("rotated"));
        // Both reasons, one finding, pointing at `expires`, with the rotation date related.
        assert!(found[3].message.contains("expired on 2026-01-01"));
        assert!(found[3].message.contains("created on 2025-01-01"));
        assert!(
            found[3]
                .message
                .contains("(329 days ago) and has not been rotated")
        );
        assert_eq!(found[3].related.len(), 1);
        assert!(
            found[4]
                .message
                .contains("neither `created` nor `last_rotated`")
        );
    }
}
