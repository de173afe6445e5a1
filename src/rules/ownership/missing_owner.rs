//! ownership/missing-owner: an object nobody is accountable for.

use crate::diagnostic::{Diagnostic, Severity};
use crate::graph::Graph;
use crate::model::{CatalogueObject, IdentityType};
use crate::rules::{Rule, RuleDocs, RuleMeta};

pub struct MissingOwner;

pub static META: RuleMeta = RuleMeta {
    code: "ownership/missing-owner",
    severity: Severity::Error,
    docs: RuleDocs {
        summary: "An Application, Role, Team, Playbook or SodRule, or a `service` or `agent` Identity, without `owner`. The finding points at the object's `id`; it has no detail.",
        why: "Every access decision needs someone who answers for it: the owner approves grants, reviews the role, and is asked when something looks wrong. An unowned role is never reviewed, and an unowned service account or AI agent outlives the project that created it, keeping its credentials and access with nobody to rotate or retire them (OWASP NHI: improper offboarding). Human identities are accountable for themselves and need no owner.",
        failing: r#"apiVersion: rolelint/v1
kind: Application
id: stripe
owner: carol
permissions:
  - id: refunds.read
---
apiVersion: rolelint/v1
kind: Role
id: refunds-viewer
permissions: [stripe:refunds.read]
---
apiVersion: rolelint/v1
kind: Identity
id: carol
department: finance
"#,
        passing: r#"apiVersion: rolelint/v1
kind: Application
id: stripe
owner: carol
permissions:
  - id: refunds.read
---
apiVersion: rolelint/v1
kind: Role
id: refunds-viewer
owner: carol
permissions: [stripe:refunds.read]
---
apiVersion: rolelint/v1
kind: Identity
id: carol
department: finance
"#,
        controls: &[
            "NIST CSF 2.0 PR.AA-05",
            "NIST CSF 2.0 PR.AA-01",
            "NIST SP 800-53 AC-2",
            "OWASP Non-Human Identities Top 10: NHI1 Improper Offboarding",
        ],
    },
};

/// Reports `object` when it has no `owner`; `note` qualifies it in the
/// message (e.g. " (type: service)"), `duties` says what its owner does.
fn check_one<T: CatalogueObject>(object: &T, note: &str, duties: &str, out: &mut Vec<Diagnostic>) {
    if object.owner().is_some() {
        return;
    }
    let id = object.id();
    out.push(
        META.finding(format!("{} `{}`{note} has no owner", T::KIND, id.value))
            .on(T::KIND, &id.value)
            .at(id.span)
            .help(format!(
                "add `owner:` naming the active person, or the team (`team:<id>`), who {duties}"
            )),
    );
}

impl Rule for MissingOwner {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, graph: &Graph, out: &mut Vec<Diagnostic>) {
        let catalogue = graph.catalogue;
        for application in &catalogue.applications {
            let duties = "decides who may use it and answers for its permissions";
            check_one(application, "", duties, out);
        }
        for role in &catalogue.roles {
            let duties = "approves its grants and reviews what it contains";
            check_one(role, "", duties, out);
        }
        for identity in &catalogue.identities {
            // Humans are accountable for themselves; only machine identities need an owner.
            let note = match identity.kind.value {
                IdentityType::Human => continue,
                IdentityType::Service => " (type: service)",
                IdentityType::Agent => " (type: agent)",
            };
            let duties = "answers for its access, rotates its credentials and retires it";
            check_one(identity, note, duties, out);
        }
        for team in &catalogue.teams {
            check_one(team, "", "keeps its membership current", out);
        }
        for playbook in &catalogue.playbooks {
            let duties = "maintains this workflow and answers for what it grants";
            check_one(playbook, "", duties, out);
        }
        for sod_rule in &catalogue.sod_rules {
            let duties = "keeps its sides current and decides on exceptions";
            check_one(sod_rule, "", duties, out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::ownership::check_example;

    fn ids(yaml: &str) -> Vec<String> {
        check_example(&MissingOwner, yaml, "2026-11-26")
            .into_iter()
            .map(|finding| {
                let object = finding.object.unwrap_or_else(|| panic!("no object"));
                format!("{}:{}", object.kind, object.id)
            })
            .collect()
    }

    #[test]
    fn humans_need_no_owner_but_machines_do() {
        let found = ids(r#"apiVersion: rolelint/v1
kind: Identity
id: alice
---
apiVersion: rolelint/v1
kind: Identity
id: svc-export
type: service
---
apiVersion: rolelint/v1
kind: Identity
id: agent-copilot
type: agent
---
apiVersion: rolelint/v1
kind: Identity
id: svc-owned
type: service
owner: alice
"#);
        assert_eq!(found, ["Identity:svc-export", "Identity:agent-copilot"]);
    }

    #[test]
    fn every_owned_kind_is_checked() {
        let found = ids(r#"apiVersion: rolelint/v1
kind: Application
id: stripe
---
apiVersion: rolelint/v1
kind: Role
id: viewer
---
apiVersion: rolelint/v1
kind: Team
id: payments
---
apiVersion: rolelint/v1
kind: Playbook
id: joiner
trigger: joiner
steps:
  - id: hello
    action: notify
---
apiVersion: rolelint/v1
kind: SodRule
id: maker-checker
sides:
  - [role:viewer]
  - [stripe:*]
"#);
        assert_eq!(
            found,
            [
                "Application:stripe",
                "Role:viewer",
                "Team:payments",
                "Playbook:joiner",
                "SodRule:maker-checker"
            ]
        );
    }
}
