//! privilege/undeclared-privileged-role: a role that reaches a privileged
//! permission (often through `inherits`) but is not declared privileged.

use super::{PrivilegePaths, with_path};
use crate::diagnostic::{Diagnostic, Severity};
use crate::graph::Graph;
use crate::model::Kind;
use crate::rules::{Rule, RuleDocs, RuleMeta};

pub struct UndeclaredPrivilegedRole;

pub static META: RuleMeta = RuleMeta {
    code: "privilege/undeclared-privileged-role",
    severity: Severity::Error,
    docs: RuleDocs {
        summary: "A role is effectively privileged (one of its effective permissions, often one it inherits, is marked `privileged: true` by its application) but is not declared `privileged: true`. The detail is the nearest privileged permission it reaches: of those reached over the fewest `inherits` hops, the first in permission order (applications in path order, then the order they declare permissions), reached through the parent listed first in `inherits`. The message names the inheritance path, and each hop (`inherits` entry, `permissions` entry, the application's declaration) is a related location.",
        why: "Privilege creeps in through inheritance: a role built from harmless-looking parents can end up releasing payouts or resetting MFA. Reviewers, approval workflows and dashboards go by the declared tier, so an undeclared privileged role escapes the controls meant for privileged access (MFA, time-bound grants, stricter review). Declaring the tier keeps what the catalogue says in line with what the role can do.",
        failing: r#"apiVersion: rolelint/v1
kind: Application
id: stripe
owner: carol
permissions:
  - id: payouts.create
  - id: payouts.approve
    privileged: true
---
apiVersion: rolelint/v1
kind: Role
id: treasury-approver
owner: carol
permissions: [stripe:payouts.approve]
privileged: true
requires_mfa: true
review:
  last_reviewed: 2026-10-01
  reviewer: carol
---
apiVersion: rolelint/v1
kind: Role
id: finance-ops-lead
owner: carol
inherits: [treasury-approver]
permissions: [stripe:payouts.create]
requires_mfa: true
review:
  last_reviewed: 2026-10-01
  reviewer: carol
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
  - id: payouts.create
  - id: payouts.approve
    privileged: true
---
apiVersion: rolelint/v1
kind: Role
id: treasury-approver
owner: carol
permissions: [stripe:payouts.approve]
privileged: true
requires_mfa: true
review:
  last_reviewed: 2026-10-01
  reviewer: carol
---
apiVersion: rolelint/v1
kind: Role
id: finance-ops-lead
owner: carol
inherits: [treasury-approver]
permissions: [stripe:payouts.create]
privileged: true
requires_mfa: true
review:
  last_reviewed: 2026-10-01
  reviewer: carol
---
apiVersion: rolelint/v1
kind: Identity
id: carol
department: finance
"#,
        controls: &[
            "NIST CSF 2.0 PR.AA-05",
            "NIST SP 800-53 AC-6",
            "NIST SP 800-53 AC-2",
        ],
    },
};

impl Rule for UndeclaredPrivilegedRole {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, graph: &Graph, out: &mut Vec<Diagnostic>) {
        let catalogue = graph.catalogue;
        let privileged = &graph.permissions.privileged;
        let paths = PrivilegePaths::build(graph);
        for (index, (role, facts)) in catalogue.roles.iter().zip(&graph.role_facts).enumerate() {
            if role.privileged.value || !facts.effectively_privileged {
                continue;
            }
            let Some((permission, path)) = paths.path(index as u32) else {
                continue;
            };
            let shown = graph.permissions.display(catalogue, permission);
            let (how, help) = match path.get(1..) {
                Some(inherited) if !inherited.is_empty() => {
                    let names: Vec<&str> = inherited
                        .iter()
                        .map(|ix| catalogue.roles[*ix as usize].id.as_str())
                        .collect();
                    (
                        format!(
                            "it inherits {}, which grants {shown} (privileged)",
                            names.join(" → ")
                        ),
                        format!(
                            "declare `privileged: true` (and `requires_mfa: true`) so the role gets the controls of privileged access, or stop inheriting `{}` if it should not carry that access",
                            names[0]
                        ),
                    )
                }
                _ => (
                    format!("it grants {shown} (privileged) itself"),
                    format!(
                        "declare `privileged: true` (and `requires_mfa: true`) so the role gets the controls of privileged access, or remove `{shown}` from its permissions"
                    ),
                ),
            };
            let mut message = format!(
                "role `{}` is not declared `privileged: true`, but {how}",
                role.id.value
            );
            let reached = facts
                .effective
                .iter()
                .filter(|p| privileged[**p as usize])
                .count();
            if reached > 1 {
                message.push_str(&format!(" ({reached} privileged permissions in all)"));
            }
            let finding = META
                .finding(message)
                .on(Kind::Role, &role.id.value)
                .detail(&shown)
                .at(role.privileged.span)
                .help(help);
            out.push(with_path(finding, graph, permission, &path));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::privilege::testing::{run, summary};

    const APPS: &str = r#"apiVersion: rolelint/v1
kind: Application
id: okta
owner: carol
permissions:
  - id: user.read
  - id: mfa.reset
    privileged: true
  - id: super-admin
    privileged: true
---
apiVersion: rolelint/v1
kind: Identity
id: carol
"#;

    fn role(id: &str, rest: &str) -> String {
        format!("---\napiVersion: rolelint/v1\nkind: Role\nid: {id}\nowner: carol\n{rest}")
    }

    fn findings(roles: &[String]) -> Vec<Diagnostic> {
        let yaml = format!("{APPS}{}", roles.concat());
        run(&UndeclaredPrivilegedRole, &yaml, None)
    }

    #[test]
    fn picks_the_nearest_privileged_permission_and_names_the_path() {
        let found = findings(&[
            // `super-admin` sorts after `mfa.reset` in permission order, but
            // it is one hop nearer, so it is the one reported.
            role("a", "inherits: [b, far]\n"),
            role("b", "permissions: [okta:super-admin]\n"),
            role("far", "inherits: [b2]\n"),
            role("b2", "permissions: [okta:mfa.reset]\nprivileged: true\n"),
        ]);
        let mut a: Vec<_> = found
            .iter()
            .filter(|f| f.object.as_ref().is_some_and(|o| o.id.as_str() == "a"))
            .collect();
        assert_eq!(a.len(), 1, "{found:#?}");
        let a = a.remove(0);
        assert_eq!(a.detail.as_deref(), Some("okta:super-admin"));
        assert!(
            a.message
                .contains("inherits b, which grants okta:super-admin")
        );
        assert!(a.message.contains("2 privileged permissions in all"));
        // inherits entry, permissions entry, application declaration
        assert_eq!(a.related.len(), 3, "{:#?}", a.related);
        // `far` inherits a declared role: it is itself undeclared.
        let ids: Vec<_> = summary(&found)
            .into_iter()
            .map(|(id, d, _)| (id, d))
            .collect();
        assert_eq!(
            ids,
            vec![
                ("a".into(), "okta:super-admin".into()),
                ("b".into(), "okta:super-admin".into()),
                ("far".into(), "okta:mfa.reset".into()),
            ]
        );
    }

    #[test]
    fn ties_at_one_distance_go_to_the_first_permission() {
        let found = findings(&[
            role("top", "inherits: [x, y]\nprivileged: false\n"),
            role("x", "permissions: [okta:super-admin]\nprivileged: true\n"),
            role("y", "permissions: [okta:mfa.reset]\nprivileged: true\n"),
        ]);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(found[0].detail.as_deref(), Some("okta:mfa.reset"));
        assert!(found[0].message.contains("inherits y, which grants"));
        // Points at the written `privileged: false`.
        assert_eq!(found[0].span.map(|s| s.line), Some(21));
    }

    #[test]
    fn long_paths_and_wildcards() {
        let found = findings(&[
            role("l1", "inherits: [l2]\n"),
            role("l2", "inherits: [l3]\nprivileged: true\n"),
            role("l3", "permissions: [okta:*]\nprivileged: true\n"),
        ]);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert!(
            found[0]
                .message
                .contains("inherits l2 → l3, which grants okta:mfa.reset (privileged)")
        );
        assert_eq!(found[0].related.len(), 4);
        assert!(found[0].related[2].message.contains("through `okta:*`"));
    }

    #[test]
    fn cycles_and_unprivileged_roles() {
        let found = findings(&[
            role("c1", "inherits: [c2]\n"),
            role("c2", "inherits: [c1]\npermissions: [okta:mfa.reset]\n"),
            role("plain", "permissions: [okta:user.read]\n"),
            role("declared-only", "inherits: [plain]\nprivileged: true\n"),
        ]);
        assert_eq!(
            summary(&found)
                .into_iter()
                .map(|(id, d, _)| (id, d))
                .collect::<Vec<_>>(),
            vec![
                ("c1".into(), "okta:mfa.reset".into()),
                ("c2".into(), "okta:mfa.reset".into()),
            ]
        );
        assert!(found.iter().any(|f| {
            f.message
                .contains("grants okta:mfa.reset (privileged) itself")
        }));
    }
}
