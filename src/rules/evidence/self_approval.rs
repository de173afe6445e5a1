//! evidence/self-approval: a grant approved by the person who received it.

use crate::diagnostic::{Diagnostic, Severity};
use crate::graph::{Graph, is_active};
use crate::model::{GrantTarget, Kind, Principal};
use crate::rules::{Rule, RuleDocs, RuleMeta};

pub struct SelfApproval;

pub static META: RuleMeta = RuleMeta {
    code: "evidence/self-approval",
    severity: Severity::Error,
    docs: RuleDocs {
        summary: "A grant whose `approved_by` is the grantee itself. Every grant is checked, revoked and expired ones too: the record of a self-approved grant stays a finding. The detail is the role or permission; the finding points at the `approved_by` value. A team (`team:<id>`) is never the grantee, even when the grantee is a member.",
        why: "Approving your own access defeats the purpose of approval: separation of duties requires that whoever receives access is not the one who authorises it. A self-approved grant is evidence that the control was bypassed, even if the access has since been revoked, so it stays visible until someone independent confirms it or accepts the risk with a suppression.",
        failing: r#"apiVersion: rolelint/v1
kind: Application
id: zendesk
owner: olivia
permissions:
  - id: tickets.read
---
apiVersion: rolelint/v1
kind: Role
id: zendesk-reader
owner: olivia
permissions: [zendesk:tickets.read]
---
apiVersion: rolelint/v1
kind: Identity
id: olivia
department: it
---
apiVersion: rolelint/v1
kind: Identity
id: omar
department: it
manager: olivia
grants:
  - role: zendesk-reader
    granted: 2026-06-10
    expires: 2026-06-12
    revoked: 2026-06-12
    approved_by: omar
    ticket: INC-2144
"#,
        passing: r#"apiVersion: rolelint/v1
kind: Application
id: zendesk
owner: olivia
permissions:
  - id: tickets.read
---
apiVersion: rolelint/v1
kind: Role
id: zendesk-reader
owner: olivia
permissions: [zendesk:tickets.read]
---
apiVersion: rolelint/v1
kind: Identity
id: olivia
department: it
---
apiVersion: rolelint/v1
kind: Identity
id: omar
department: it
manager: olivia
grants:
  - role: zendesk-reader
    granted: 2026-06-10
    expires: 2026-06-12
    revoked: 2026-06-12
    approved_by: olivia
    ticket: INC-2144
"#,
        controls: &[
            "NIST CSF 2.0 PR.AA-05",
            "NIST SP 800-53 AC-5",
            "NIST SP 800-53 AC-2",
        ],
    },
};

impl Rule for SelfApproval {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, graph: &Graph, out: &mut Vec<Diagnostic>) {
        for identity in &graph.catalogue.identities {
            for grant in &identity.grants {
                let Some(approver) = &grant.approved_by else {
                    continue;
                };
                if approver.value != Principal::Identity(identity.id.value.clone()) {
                    continue;
                }
                let target = grant.target_text();
                let what = match grant.target() {
                    Some(GrantTarget::Permission(_)) => format!("direct grant of `{target}`"),
                    _ => format!("grant of role `{target}`"),
                };
                // Say why an inactive grant is still reported.
                let state = match (&grant.revoked, &grant.expires) {
                    (Some(revoked), _) => format!(" (revoked on {})", revoked.value),
                    (None, Some(expires)) if expires.value < graph.now => {
                        format!(" (expired on {})", expires.value)
                    }
                    _ => String::new(),
                };
                let help = if is_active(grant, graph.now) {
                    "have someone other than the grantee (the role owner or the manager) approve the grant and record them in `approved_by`, or revoke it"
                } else {
                    "the grant is no longer active, but its record shows no independent approval: record the independent approver if there was one, or accept the finding with a suppression that says who reviewed it"
                };
                out.push(
                    META.finding(format!(
                        "`{}` approved their own {what}{state}",
                        identity.id.value
                    ))
                    .on(Kind::Identity, &identity.id.value)
                    .detail(target)
                    .at(approver.span)
                    .related(grant.target_span(), "the self-approved grant")
                    .help(help),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::ownership::check_example;

    #[test]
    fn every_grant_is_checked_and_teams_are_never_the_grantee() {
        let yaml = r#"apiVersion: rolelint/v1
kind: Identity
id: omar
grants:
  - role: active
    approved_by: omar
  - role: revoked
    revoked: 2026-01-01
    approved_by: omar
  - role: expired
    expires: 2026-01-01
    approved_by: omar
  - permission: app:read
    approved_by: omar
  - role: by-team
    approved_by: team:omar
  - role: by-manager
    approved_by: olivia
  - role: unapproved
---
apiVersion: rolelint/v1
kind: Team
id: omar
owner: olivia
members: [omar]
---
apiVersion: rolelint/v1
kind: Identity
id: olivia
"#;
        let details: Vec<String> = check_example(&SelfApproval, yaml, "2026-11-26")
            .into_iter()
            .filter_map(|finding| finding.detail)
            .collect();
        assert_eq!(details, ["active", "revoked", "expired", "app:read"]);
    }
}
