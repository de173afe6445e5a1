//! ownership/orphaned-owner: the owner has left, or is a team with no one
//! left to answer for it.

use crate::diagnostic::{Diagnostic, Severity};
use crate::graph::Graph;
use crate::model::{Id, IdentityStatus, IdentityType, Principal};
use crate::rules::ownership::{Owned, owners};
use crate::rules::{Rule, RuleDocs, RuleMeta};

pub struct OrphanedOwner;

pub static META: RuleMeta = RuleMeta {
    code: "ownership/orphaned-owner",
    severity: Severity::Error,
    docs: RuleDocs {
        summary: "The `owner` of an object (of any kind, human identities included) is an identity that is `terminated` or `suspended`, or a team that is not accountable: no member is an active human. The finding points at the `owner` value; it has no detail. An owner that does not exist is only `graph/unknown-reference`.",
        why: "Ownership that ends at someone who has left, or at a team whose members have all left, is ownership on paper only: nobody approves or reviews the object's access, and nobody notices when it is misused. Leavers' responsibilities must be transferred when they leave (the leaver playbook's `transfer_ownership`); this rule finds the ones that were not.",
        failing: r#"apiVersion: rolelint/v1
kind: Application
id: snowflake
owner: team:data
permissions:
  - id: warehouse.read
---
apiVersion: rolelint/v1
kind: Team
id: data
owner: carol
members: [lena]
---
apiVersion: rolelint/v1
kind: Identity
id: lena
department: data
status: terminated
terminated_on: 2026-09-30
---
apiVersion: rolelint/v1
kind: Identity
id: carol
department: data
"#,
        passing: r#"apiVersion: rolelint/v1
kind: Application
id: snowflake
owner: team:data
permissions:
  - id: warehouse.read
---
apiVersion: rolelint/v1
kind: Team
id: data
owner: carol
members: [lena, carol]
---
apiVersion: rolelint/v1
kind: Identity
id: lena
department: data
status: terminated
terminated_on: 2026-09-30
---
apiVersion: rolelint/v1
kind: Identity
id: carol
department: data
"#,
        controls: &[
            "NIST CSF 2.0 PR.AA-05",
            "NIST CSF 2.0 PR.AA-01",
            "NIST SP 800-53 AC-2",
            "OWASP Non-Human Identities Top 10: NHI1 Improper Offboarding",
        ],
    },
};

/// Members shown as related locations of an unaccountable team; a team of
/// thousands of leavers needs no thousand notes.
const MAX_MEMBERS_SHOWN: usize = 5;

/// Why a member of a team does not make it accountable.
fn why_not_accountable(graph: &Graph, member: &Id) -> String {
    match graph.identity(member.as_str()) {
        None => format!("`{member}` is not a known identity"),
        Some(identity) if identity.kind.value == IdentityType::Service => {
            format!("`{member}` is a service identity")
        }
        Some(identity) if identity.kind.value == IdentityType::Agent => {
            format!("`{member}` is an agent identity")
        }
        Some(identity) => format!("`{member}` is {}", identity.status.value),
    }
}

/// The finding for an owner identity that is not active, if it is not.
fn inactive_identity(graph: &Graph, owned: &Owned, id: &Id) -> Option<Diagnostic> {
    let identity = graph.identity(id.as_str())?;
    let (state, help) = match identity.status.value {
        IdentityStatus::Active => return None,
        IdentityStatus::Suspended => (
            "suspended",
            format!(
                "transfer ownership to an active person or an accountable team (`team:<id>`), at least while `{id}` is suspended"
            ),
        ),
        IdentityStatus::Terminated => (
            "terminated",
            "transfer ownership to an active person or an accountable team (`team:<id>`): a leaver's objects must be handed over".to_owned(),
        ),
    };
    Some(
        META.finding(format!(
            "owner `{id}` of {} `{}` is {state}",
            owned.kind, owned.id
        ))
        .related(identity.status.span, format!("`{id}` is {state} here"))
        .help(help),
    )
}

/// The finding for an owner team that is not accountable, if it is not.
fn unaccountable_team(graph: &Graph, owned: &Owned, id: &Id) -> Option<Diagnostic> {
    let index = graph.teams.get(id.as_str())?;
    if graph.team_accountable.get(index as usize).copied() != Some(false) {
        return None;
    }
    let team = graph.catalogue.teams.get(index as usize)?;
    let why = if team.members.is_empty() {
        "it has no members"
    } else {
        "none of its members is an active human"
    };
    let mut finding = META
        .finding(format!(
            "owner `team:{id}` of {} `{}` is not accountable: {why}",
            owned.kind, owned.id
        ))
        .help(format!(
            "add an active human member to team `{id}`, or transfer ownership to an accountable team or an active person"
        ));
    if team.members.is_empty() {
        finding = finding.related(team.id.span, format!("team `{id}` has no `members`"));
    }
    for member in team.members.iter().take(MAX_MEMBERS_SHOWN) {
        finding = finding.related(member.span, why_not_accountable(graph, &member.value));
    }
    Some(finding)
}

impl Rule for OrphanedOwner {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, graph: &Graph, out: &mut Vec<Diagnostic>) {
        for owned in owners(graph) {
            // An owner that does not resolve is graph/unknown-reference only.
            let finding = match &owned.owner.value {
                Principal::Identity(id) => inactive_identity(graph, &owned, id),
                Principal::Team(id) => unaccountable_team(graph, &owned, id),
            };
            if let Some(finding) = finding {
                out.push(finding.on(owned.kind, owned.id).at(owned.owner.span));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::ownership::check_example;

    fn found(yaml: &str) -> Vec<String> {
        check_example(&OrphanedOwner, yaml, "2026-11-26")
            .into_iter()
            .map(|finding| {
                let object = finding.object.unwrap_or_else(|| panic!("no object"));
                format!("{}:{}", object.kind, object.id)
            })
            .collect()
    }

    const PEOPLE: &str = r#"apiVersion: rolelint/v1
kind: Identity
id: active-human
---
apiVersion: rolelint/v1
kind: Identity
id: suspended-human
status: suspended
---
apiVersion: rolelint/v1
kind: Identity
id: terminated-human
status: terminated
---
apiVersion: rolelint/v1
kind: Identity
id: active-service
type: service
owner: active-human
---
apiVersion: rolelint/v1
kind: Team
id: only-machines
owner: active-human
members: [active-service, suspended-human]
---
apiVersion: rolelint/v1
kind: Team
id: empty
owner: active-human
---
apiVersion: rolelint/v1
kind: Team
id: mixed
owner: active-human
members: [terminated-human, active-human]
"#;

    fn with_roles(roles: &[(&str, &str)]) -> String {
        let mut yaml = PEOPLE.to_owned();
        for (id, owner) in roles {
            yaml.push_str(&format!(
                "---\napiVersion: rolelint/v1\nkind: Role\nid: {id}\nowner: {owner}\n"
            ));
        }
        yaml
    }

    #[test]
    fn leavers_and_teams_without_active_humans_are_orphaned() {
        let yaml = with_roles(&[
            ("a", "suspended-human"),
            ("b", "terminated-human"),
            ("c", "team:only-machines"),
            ("d", "team:empty"),
        ]);
        assert_eq!(found(&yaml), ["Role:a", "Role:b", "Role:c", "Role:d"]);
    }

    #[test]
    fn active_owners_accountable_teams_and_unknown_owners_are_not() {
        // An active service owner is ownership/non-human-owner, an unknown
        // one graph/unknown-reference; neither is orphaned.
        let yaml = with_roles(&[
            ("a", "active-human"),
            ("b", "active-service"),
            ("c", "team:mixed"),
            ("d", "nobody"),
            ("e", "team:nobody"),
        ]);
        assert!(found(&yaml).is_empty());
    }

    #[test]
    fn human_identities_that_carry_an_owner_are_checked() {
        let yaml = format!(
            "{PEOPLE}---\napiVersion: rolelint/v1\nkind: Identity\nid: contractor\nowner: terminated-human\n"
        );
        assert_eq!(found(&yaml), ["Identity:contractor"]);
    }
}
