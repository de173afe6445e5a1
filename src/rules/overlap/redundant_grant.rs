//! overlap/redundant-grant: a grant that gives nothing the identity's other
//! grants do not already give.

use std::collections::VecDeque;

use rustc_hash::FxHashMap;

use super::on_same_cycle;
use crate::diagnostic::{Diagnostic, Severity};
use crate::graph::{Graph, Ix};
use crate::model::{Identity, Kind};
use crate::rules::{Rule, RuleDocs, RuleMeta};

pub struct RedundantGrant;

pub static META: RuleMeta = RuleMeta {
    code: "overlap/redundant-grant",
    severity: Severity::Warning,
    docs: RuleDocs {
        summary: "An identity's active grant of a role that another of its active grants already includes through inheritance (the grant of the inherited role is the redundant one), or a second active grant of a role it already holds (the later grant in the file is the redundant one). The detail is the redundant role; the finding points at its grant's `role` value. Grants of roles on one inheritance cycle do not make each other redundant, and grants of unknown roles count for nothing.",
        why: "A redundant grant hides how someone really holds access: revoking it changes nothing, and revoking the grant that includes it silently takes away what the redundant one seemed to keep. Access reviews see the same access twice, and leftover grants like this are how access accumulates when people change jobs. One grant per role, and no grant of a role already held through a larger one, keeps every grant meaningful.",
        failing: r#"apiVersion: rolelint/v1
kind: Application
id: zendesk
owner: carol
permissions:
  - id: tickets.read
  - id: macros.manage
---
apiVersion: rolelint/v1
kind: Role
id: support-agent
owner: carol
permissions: [zendesk:tickets.read]
---
apiVersion: rolelint/v1
kind: Role
id: support-lead
owner: carol
inherits: [support-agent]
permissions: [zendesk:macros.manage]
---
apiVersion: rolelint/v1
kind: Identity
id: carol
---
apiVersion: rolelint/v1
kind: Identity
id: sofia.alvarez
grants:
  - role: support-agent
    granted: 2023-04-03
    approved_by: carol
  - role: support-lead
    granted: 2025-02-10
    approved_by: carol
"#,
        passing: r#"apiVersion: rolelint/v1
kind: Application
id: zendesk
owner: carol
permissions:
  - id: tickets.read
  - id: macros.manage
---
apiVersion: rolelint/v1
kind: Role
id: support-agent
owner: carol
permissions: [zendesk:tickets.read]
---
apiVersion: rolelint/v1
kind: Role
id: support-lead
owner: carol
inherits: [support-agent]
permissions: [zendesk:macros.manage]
---
apiVersion: rolelint/v1
kind: Identity
id: carol
---
apiVersion: rolelint/v1
kind: Identity
id: sofia.alvarez
grants:
  - role: support-agent
    granted: 2023-04-03
    approved_by: carol
    revoked: 2025-02-10
  - role: support-lead
    granted: 2025-02-10
    approved_by: carol
"#,
        controls: &[
            "NIST CSF 2.0 PR.AA-05",
            "NIST SP 800-53 AC-2",
            "NIST SP 800-53 AC-6",
        ],
    },
};

impl Rule for RedundantGrant {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, graph: &Graph, out: &mut Vec<Diagnostic>) {
        let mut held: Vec<(usize, Ix)> = Vec::new();
        let mut roles: Vec<Ix> = Vec::new();
        for (identity, facts) in graph.catalogue.identities.iter().zip(&graph.identity_facts) {
            // Active grants of roles that exist, in file order.
            held.clear();
            held.extend(
                facts
                    .active_grants
                    .iter()
                    .filter_map(|&index| Some((index as usize, facts.role_of(index as usize)?))),
            );
            if held.len() >= 2 && may_overlap(graph, &held, &mut roles) {
                check_identity(graph, identity, &held, out);
            }
        }
    }
}

/// Whether some held role is granted twice or inherited by another held
/// role: the cheap test that lets most identities, which hold neither, skip
/// [`check_identity`]. `roles` is scratch space.
fn may_overlap(graph: &Graph, held: &[(usize, Ix)], roles: &mut Vec<Ix>) -> bool {
    roles.clear();
    roles.extend(held.iter().map(|&(_, role)| role));
    roles.sort_unstable();
    if roles.windows(2).any(|pair| pair[0] == pair[1]) {
        return true;
    }
    roles.iter().any(|&including| {
        let ancestors = &graph.role_facts[including as usize].ancestors;
        roles
            .iter()
            .any(|&role| role != including && ancestors.binary_search(&role).is_ok())
    })
}

/// Reports the redundant grants among one identity's active role grants
/// `held` (grant index, role), in file order.
fn check_identity(
    graph: &Graph,
    identity: &Identity,
    held: &[(usize, Ix)],
    out: &mut Vec<Diagnostic>,
) {
    // The first active grant of each role: the one that counts.
    let mut first_grant: FxHashMap<Ix, usize> = FxHashMap::default();
    let mut distinct: Vec<Ix> = Vec::new();
    for &(grant, role) in held {
        first_grant.entry(role).or_insert_with(|| {
            distinct.push(role);
            grant
        });
    }
    let mut sorted = distinct.clone();
    sorted.sort_unstable();

    // Held role → the other held roles that include it through inheritance,
    // in file order. Per held role, walk whichever is shorter: its ancestors
    // or the identity's held roles.
    let mut included_by: FxHashMap<Ix, Vec<Ix>> = FxHashMap::default();
    for &including in &distinct {
        let ancestors = &graph.role_facts[including as usize].ancestors;
        let mut note = |included: Ix| {
            if included != including && !on_same_cycle(graph, including, included) {
                included_by.entry(included).or_default().push(including);
            }
        };
        if ancestors.len() <= sorted.len() {
            for &ancestor in ancestors.iter() {
                if sorted.binary_search(&ancestor).is_ok() {
                    note(ancestor);
                }
            }
        } else {
            for &role in &sorted {
                if ancestors.binary_search(&role).is_ok() {
                    note(role);
                }
            }
        }
    }

    let roles = &graph.catalogue.roles;
    for &(index, role) in held {
        let Some(grant) = identity.grants.get(index) else {
            continue;
        };
        let name = &roles[role as usize].id.value;
        let finding = if let Some(including) = included_by.get(&role) {
            let names: Vec<String> = including
                .iter()
                .map(|r| format!("`{}`", roles[*r as usize].id.value))
                .collect();
            let (grants, include) = if names.len() == 1 {
                ("grant", "includes")
            } else {
                ("grants", "include")
            };
            let path = inheritance_path(graph, including[0], role)
                .iter()
                .map(|r| roles[*r as usize].id.as_str())
                .collect::<Vec<_>>()
                .join(" → ");
            let mut finding = META
                .finding(format!(
                    "`{}`'s grant of `{name}` is redundant: the active {grants} of {} already {include} it through inheritance ({path})",
                    identity.id.value,
                    join_names(&names),
                ))
                .help(format!(
                    "revoke this grant (set `revoked:`): the access stays through {}. If it must outlast that grant, suppress this finding with the reason",
                    join_names(&names)
                ));
            for &by in including {
                if let Some(by_grant) = first_grant
                    .get(&by)
                    .and_then(|index| identity.grants.get(*index))
                {
                    finding = finding.related(
                        by_grant.target_span(),
                        format!(
                            "`{}`, granted here, inherits `{name}`",
                            roles[by as usize].id.value
                        ),
                    );
                }
            }
            finding
        } else {
            match first_grant
                .get(&role)
                .filter(|first| **first != index)
                .and_then(|first| identity.grants.get(*first))
            {
                Some(first) => META
                    .finding(format!(
                        "`{}`'s grant of `{name}` is redundant: an earlier active grant already gives the same role",
                        identity.id.value
                    ))
                    .related(first.target_span(), format!("`{name}` is first granted here"))
                    .help(
                        "revoke one of the two grants (set `revoked:`), keeping the one whose approval and expiry are right",
                    ),
                None => continue,
            }
        };
        out.push(
            finding
                .on(Kind::Identity, &identity.id.value)
                .detail(name.as_str())
                .at(grant.target_span()),
        );
    }
}

/// "`a`", "`a` and `b`", "`a`, `b` and `c`".
fn join_names(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// A shortest chain of `inherits` from role `from` to role `to` (both
/// included), by breadth-first search over `from`'s ancestors.
fn inheritance_path(graph: &Graph, from: Ix, to: Ix) -> Vec<Ix> {
    let mut previous: FxHashMap<Ix, Ix> = FxHashMap::default();
    let mut queue = VecDeque::from([from]);
    while let Some(role) = queue.pop_front() {
        if role == to {
            let mut path = vec![to];
            let mut current = to;
            while let Some(&before) = previous.get(&current) {
                path.push(before);
                current = before;
            }
            path.reverse();
            return path;
        }
        for &parent in &graph.role_facts[role as usize].parents {
            if parent != from && !previous.contains_key(&parent) {
                previous.insert(parent, role);
                queue.push_back(parent);
            }
        }
    }
    vec![from, to]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::overlap::{check_example, objects_and_details};

    const ROLES: &str = r#"apiVersion: rolelint/v1
kind: Identity
id: carol
---
apiVersion: rolelint/v1
kind: Application
id: zendesk
owner: carol
permissions:
  - id: tickets.read
  - id: macros.manage
  - id: users.manage
---
apiVersion: rolelint/v1
kind: Role
id: agent
owner: carol
permissions: [zendesk:tickets.read]
---
apiVersion: rolelint/v1
kind: Role
id: lead
owner: carol
inherits: [agent]
permissions: [zendesk:macros.manage]
---
apiVersion: rolelint/v1
kind: Role
id: admin
owner: carol
inherits: [lead]
permissions: [zendesk:users.manage]
---
apiVersion: rolelint/v1
kind: Role
id: loop-a
owner: carol
inherits: [loop-b]
---
apiVersion: rolelint/v1
kind: Role
id: loop-b
owner: carol
inherits: [loop-a]
permissions: [zendesk:tickets.read]
"#;

    fn run(grants: &str) -> Vec<Diagnostic> {
        let yaml = format!(
            "{ROLES}---\napiVersion: rolelint/v1\nkind: Identity\nid: sofia\ngrants:\n{grants}"
        );
        check_example(&RedundantGrant, &yaml, "2026-11-26")
    }

    fn grant(role: &str, extra: &str) -> String {
        format!("  - role: {role}\n    approved_by: carol\n{extra}")
    }

    fn details(findings: &[Diagnostic]) -> Vec<String> {
        objects_and_details(findings)
            .into_iter()
            .map(|(_, detail)| detail)
            .collect()
    }

    #[test]
    fn the_inherited_role_is_the_redundant_one_at_any_depth() {
        let found = run(&[grant("agent", ""), grant("admin", ""), grant("lead", "")].concat());
        assert_eq!(details(&found), vec!["agent", "lead"]);
        let agent = &found[0];
        assert!(
            agent
                .message
                .contains("the active grants of `admin` and `lead` already include it through inheritance (admin → lead → agent)"),
            "{}",
            agent.message
        );
        assert_eq!(agent.related.len(), 2);
    }

    #[test]
    fn the_later_of_two_grants_of_one_role_is_redundant() {
        let found = run(&[grant("agent", ""), grant("agent", "")].concat());
        assert_eq!(details(&found), vec!["agent"]);
        // The second grant's `role` value, related to the first's.
        let line = found[0].span.map_or(0, |span| span.line);
        assert_eq!(found[0].related[0].span.line + 2, line);
        assert!(found[0].message.contains("earlier active grant"));
    }

    #[test]
    fn inactive_unknown_and_cyclic_grants_make_nothing_redundant() {
        let found = run(&[
            grant("agent", "    revoked: 2026-01-01\n"),
            grant("lead", ""),
            grant("agent", "    expires: 2026-11-25\n"),
            grant("admn", ""),
            grant("loop-a", ""),
            grant("loop-b", ""),
        ]
        .concat());
        assert!(found.is_empty(), "{found:#?}");
        // Expiring today is still active.
        let found = run(&[
            grant("lead", ""),
            grant("agent", "    expires: 2026-11-26\n"),
        ]
        .concat());
        assert_eq!(details(&found), vec!["agent"]);
    }

    #[test]
    fn a_repeated_grant_of_an_included_role_is_reported_once_per_grant() {
        let found = run(&[grant("agent", ""), grant("lead", ""), grant("agent", "")].concat());
        assert_eq!(details(&found), vec!["agent", "agent"]);
        assert!(
            found
                .iter()
                .all(|f| f.message.contains("through inheritance"))
        );
    }
}
