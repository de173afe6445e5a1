//! overlap/duplicate-roles: two roles that grant exactly the same permissions.

use super::{count_permissions, group_by_effective_set, list_permissions, pairs_across_cycles};
use crate::diagnostic::{Diagnostic, Severity};
use crate::graph::Graph;
use crate::model::Kind;
use crate::rules::{Rule, RuleDocs, RuleMeta};

pub struct DuplicateRoles;

pub static META: RuleMeta = RuleMeta {
    code: "overlap/duplicate-roles",
    severity: Severity::Warning,
    docs: RuleDocs {
        summary: "Two roles whose effective permissions (own plus inherited, wildcards expanded) are identical and not empty. Reported once per pair, on the role whose id sorts first, with the other role as detail; when several roles are identical, every pair is reported. Roles on one inheritance cycle are not compared with each other.",
        why: "Two names for the same access split its review, ownership and approval between two places: one copy gets reviewed and tightened, the other keeps the old access, and auditors cannot tell which one people were meant to hold. Role sprawl of this kind is what role-mining clean-ups remove first; one role per job function keeps least privilege reviewable.",
        failing: r#"apiVersion: rolelint/v1
kind: Application
id: stripe
owner: carol
permissions:
  - id: balance.read
  - id: charges.read
  - id: payouts.read
---
apiVersion: rolelint/v1
kind: Role
id: auditor-readonly
owner: carol
permissions: [stripe:charges.read, stripe:balance.read]
---
apiVersion: rolelint/v1
kind: Role
id: finance-analyst
owner: carol
permissions: [stripe:balance.read, stripe:charges.read]
---
apiVersion: rolelint/v1
kind: Identity
id: carol
"#,
        passing: r#"apiVersion: rolelint/v1
kind: Application
id: stripe
owner: carol
permissions:
  - id: balance.read
  - id: charges.read
  - id: payouts.read
---
apiVersion: rolelint/v1
kind: Role
id: auditor-readonly
owner: carol
permissions: [stripe:charges.read, stripe:balance.read]
---
apiVersion: rolelint/v1
kind: Role
id: finance-analyst
owner: carol
permissions: [stripe:balance.read, stripe:charges.read, stripe:payouts.read]
---
apiVersion: rolelint/v1
kind: Identity
id: carol
"#,
        controls: &[
            "NIST CSF 2.0 PR.AA-05",
            "NIST SP 800-53 AC-2",
            "NIST SP 800-53 AC-6",
        ],
    },
};

impl Rule for DuplicateRoles {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, graph: &Graph, out: &mut Vec<Diagnostic>) {
        let roles = &graph.catalogue.roles;
        let groups = group_by_effective_set(graph);
        for (set, members) in groups.sets.iter().zip(&groups.roles) {
            if members.len() < 2 {
                continue;
            }
            let listed = list_permissions(graph, set);
            let count = count_permissions(set.len());
            for (first, second) in pairs_across_cycles(graph, members) {
                let (role, other) = (&roles[first as usize], &roles[second as usize]);
                let mut message = format!(
                    "roles `{}` and `{}` grant exactly the same {count}: {listed}",
                    role.id.value, other.id.value
                );
                if members.len() > 2 {
                    message.push_str(&format!(
                        " ({} roles in all grant this same set)",
                        members.len()
                    ));
                }
                out.push(
                    META.finding(message)
                        .on(Kind::Role, &role.id.value)
                        .detail(other.id.as_str())
                        .at(role.id.span)
                        .related(
                            other.id.span,
                            format!("`{}` grants the same permissions", other.id.value),
                        )
                        .partner(Kind::Role, &other.id.value)
                        .help(format!(
                            "keep one role: move the grants of `{}` to `{}` (or the other way round) and delete the copy; if both must exist, suppress this finding on one of them with the reason",
                            other.id.value, role.id.value
                        )),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::overlap::{check_example, objects_and_details};

    const HEADER: &str = r#"apiVersion: rolelint/v1
kind: Identity
id: carol
---
apiVersion: rolelint/v1
kind: Application
id: app
owner: carol
permissions:
  - id: a
  - id: b
  - id: c
"#;

    fn role(id: &str, inherits: &str, permissions: &str) -> String {
        format!(
            "---\napiVersion: rolelint/v1\nkind: Role\nid: {id}\nowner: carol\ninherits: [{inherits}]\npermissions: [{permissions}]\n"
        )
    }

    fn findings(roles: &[String]) -> Vec<(String, String)> {
        let yaml = format!("{HEADER}{}", roles.concat());
        objects_and_details(&check_example(&DuplicateRoles, &yaml, "2026-11-26"))
    }

    fn pair(a: &str, b: &str) -> (String, String) {
        (a.to_owned(), b.to_owned())
    }

    #[test]
    fn every_pair_of_identical_roles_once_on_the_first_id() {
        let found = findings(&[
            role("zeta", "", "app:a, app:b"),
            role("alpha", "", "app:b, app:a"),
            role("mid", "base", "app:a"),
            role("base", "", "app:b, app:c"),
        ]);
        // Written in another order, still identical; `mid` inherits `base`,
        // so it has {a, b, c} and matches no one.
        assert_eq!(found, vec![pair("alpha", "zeta")]);
        let found = findings(&[
            role("zeta", "", "app:a, app:b"),
            role("alpha", "", "app:b, app:a"),
            role("mid", "", "app:*"),
            role("wild", "", "app:a, app:b, app:c"),
            role("copy", "", "app:a, app:b"),
        ]);
        assert_eq!(
            found,
            vec![
                pair("alpha", "copy"),
                pair("alpha", "zeta"),
                pair("copy", "zeta"),
                pair("mid", "wild")
            ]
        );
    }

    #[test]
    fn roles_on_one_cycle_are_not_paired_but_others_with_their_set_are() {
        let found = findings(&[
            role("analyst", "engineer", "app:a"),
            role("engineer", "analyst", "app:b"),
            role("copy", "", "app:a, app:b"),
        ]);
        assert_eq!(
            found,
            vec![pair("analyst", "copy"), pair("copy", "engineer")]
        );
    }

    #[test]
    fn empty_roles_and_unresolved_references() {
        // Two empty roles are not duplicates (that is overlap/empty-role);
        // an unknown permission contributes nothing.
        let found = findings(&[
            role("empty-one", "", ""),
            role("empty-two", "missing-role", ""),
            role("real", "", "app:a"),
            role("typo", "", "app:a, app:nope"),
        ]);
        assert_eq!(found, vec![pair("real", "typo")]);
    }
}
