//! ownership/non-human-owner: accountability that ends at a machine.

use crate::diagnostic::{Diagnostic, Severity};
use crate::graph::Graph;
use crate::model::{IdentityType, Principal};
use crate::rules::ownership::owners;
use crate::rules::{Rule, RuleDocs, RuleMeta};

pub struct NonHumanOwner;

pub static META: RuleMeta = RuleMeta {
    code: "ownership/non-human-owner",
    severity: Severity::Warning,
    docs: RuleDocs {
        summary: "The `owner` of an object (of any kind) is a `service` or `agent` identity. The finding points at the `owner` value; it has no detail.",
        why: "An owner approves, reviews and answers for access; a service account or an AI agent can do none of that. Ownership that ends at a machine identity hides who is really accountable, and when that machine identity is retired the object is left with no owner at all. Accountability must end at a human or at a team of humans.",
        failing: r#"apiVersion: rolelint/v1
kind: Identity
id: agent-finops-assistant
type: agent
owner: svc-ledger-recon
credentials:
  - id: oauth-client
    type: oauth_token
    created: 2026-11-02
    expires: 2027-02-02
---
apiVersion: rolelint/v1
kind: Identity
id: svc-ledger-recon
type: service
owner: team:finance
---
apiVersion: rolelint/v1
kind: Team
id: finance
owner: marta
members: [marta]
---
apiVersion: rolelint/v1
kind: Identity
id: marta
department: finance
"#,
        passing: r#"apiVersion: rolelint/v1
kind: Identity
id: agent-finops-assistant
type: agent
owner: team:finance
credentials:
  - id: oauth-client
    type: oauth_token
    created: 2026-11-02
    expires: 2027-02-02
---
apiVersion: rolelint/v1
kind: Identity
id: svc-ledger-recon
type: service
owner: team:finance
---
apiVersion: rolelint/v1
kind: Team
id: finance
owner: marta
members: [marta]
---
apiVersion: rolelint/v1
kind: Identity
id: marta
department: finance
"#,
        controls: &[
            "NIST CSF 2.0 PR.AA-05",
            "NIST SP 800-53 AC-2",
            "OWASP Non-Human Identities Top 10: NHI1 Improper Offboarding",
        ],
    },
};

impl Rule for NonHumanOwner {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, graph: &Graph, out: &mut Vec<Diagnostic>) {
        for owned in owners(graph) {
            // Teams are checked by ownership/orphaned-owner (accountable or not);
            // unknown identities are graph/unknown-reference.
            let Principal::Identity(id) = &owned.owner.value else {
                continue;
            };
            let Some(identity) = graph.identity(id.as_str()) else {
                continue;
            };
            let (what, a_what) = match identity.kind.value {
                IdentityType::Human => continue,
                IdentityType::Service => ("service", "a service"),
                IdentityType::Agent => ("agent", "an agent"),
            };
            let mut finding = META
                .finding(format!(
                    "{} `{}` is owned by the {what} identity `{id}`, which cannot be accountable",
                    owned.kind, owned.id
                ))
                .on(owned.kind, owned.id)
                .at(owned.owner.span)
                .related(identity.kind.span, format!("`{id}` is {a_what} identity"));
            // Suggest the machine's own owner when that one can be accountable.
            let suggestion = identity
                .owner
                .as_ref()
                .filter(|its_owner| match &its_owner.value {
                    Principal::Team(_) => true,
                    Principal::Identity(owner_id) => graph
                        .identity(owner_id.as_str())
                        .is_some_and(|owner| owner.kind.value == IdentityType::Human),
                });
            finding = match suggestion {
                Some(its_owner) => finding.help(format!(
                    "make a human or a team the owner, e.g. `{}`, the owner of `{id}`",
                    its_owner.value
                )),
                None => finding.help("make a human or a team (`team:<id>`) the owner"),
            };
            out.push(finding);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::ownership::check_example;

    #[test]
    fn service_and_agent_owners_fire_humans_and_teams_do_not() {
        let yaml = r#"apiVersion: rolelint/v1
kind: Identity
id: alice
---
apiVersion: rolelint/v1
kind: Identity
id: svc
type: service
owner: alice
---
apiVersion: rolelint/v1
kind: Identity
id: agent
type: agent
owner: svc
---
apiVersion: rolelint/v1
kind: Team
id: platform
owner: agent
members: [alice]
---
apiVersion: rolelint/v1
kind: Role
id: by-human
owner: alice
---
apiVersion: rolelint/v1
kind: Role
id: by-team
owner: team:platform
---
apiVersion: rolelint/v1
kind: Role
id: by-nobody
owner: ghost
"#;
        let found: Vec<(String, Option<String>)> =
            check_example(&NonHumanOwner, yaml, "2026-11-26")
                .into_iter()
                .map(|finding| {
                    let object = finding.object.unwrap_or_else(|| panic!("no object"));
                    (format!("{}:{}", object.kind, object.id), finding.help)
                })
                .collect();
        assert_eq!(found.len(), 2, "{found:#?}");
        assert_eq!(found[0].0, "Identity:agent");
        // The help suggests the machine's own owner.
        assert!(found[0].1.as_deref().is_some_and(|h| h.contains("`alice`")));
        assert_eq!(found[1].0, "Team:platform");
        // The agent's own owner is a service, so it is not suggested.
        assert!(found[1].1.as_deref().is_some_and(|h| !h.contains("`svc`")));
    }
}
