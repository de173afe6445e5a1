//! privilege/privileged-role-without-mfa: a privileged role (declared or
//! effectively) without `requires_mfa: true`.

use super::{PrivilegePaths, with_path};
use crate::diagnostic::{Diagnostic, Severity};
use crate::graph::Graph;
use crate::model::Kind;
use crate::rules::{Rule, RuleDocs, RuleMeta};

pub struct PrivilegedRoleWithoutMfa;

pub static META: RuleMeta = RuleMeta {
    code: "privilege/privileged-role-without-mfa",
    severity: Severity::Error,
    docs: RuleDocs {
        summary: "A privileged role (declared `privileged: true`, or effectively privileged because one of its effective permissions is marked privileged) does not set `requires_mfa: true`. The finding points at `requires_mfa: false` when written, else at the role's id.",
        why: "Privileged access is what attackers go for first, and a password alone is the weakest way to guard it. Requiring multi-factor authentication for every privileged role means a phished or reused password is not enough to release payouts, reset someone's MFA or take over production.",
        failing: r#"apiVersion: rolelint/v1
kind: Application
id: okta
owner: carol
permissions:
  - id: user.read
  - id: mfa.reset
    privileged: true
---
apiVersion: rolelint/v1
kind: Role
id: okta-helpdesk
owner: carol
permissions: [okta:user.read, okta:mfa.reset]
privileged: true
review:
  last_reviewed: 2026-10-01
  reviewer: carol
---
apiVersion: rolelint/v1
kind: Identity
id: carol
department: it
"#,
        passing: r#"apiVersion: rolelint/v1
kind: Application
id: okta
owner: carol
permissions:
  - id: user.read
  - id: mfa.reset
    privileged: true
---
apiVersion: rolelint/v1
kind: Role
id: okta-helpdesk
owner: carol
permissions: [okta:user.read, okta:mfa.reset]
privileged: true
requires_mfa: true
review:
  last_reviewed: 2026-10-01
  reviewer: carol
---
apiVersion: rolelint/v1
kind: Identity
id: carol
department: it
"#,
        controls: &[
            "NIST CSF 2.0 PR.AA-01",
            "NIST CSF 2.0 PR.AA-05",
            "NIST SP 800-53 IA-2",
            "NIST SP 800-53 AC-6",
        ],
    },
};

impl Rule for PrivilegedRoleWithoutMfa {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, graph: &Graph, out: &mut Vec<Diagnostic>) {
        let catalogue = graph.catalogue;
        // Only needed to explain roles privileged through their permissions.
        let mut paths: Option<PrivilegePaths> = None;
        for (index, (role, facts)) in catalogue.roles.iter().zip(&graph.role_facts).enumerate() {
            if !facts.privileged || role.requires_mfa.value {
                continue;
            }
            let help = "add `requires_mfa: true`, so that holding this role takes a second factor";
            if role.privileged.value {
                out.push(
                    META.finding(format!(
                        "role `{}` is declared `privileged: true` but does not set `requires_mfa: true`",
                        role.id.value
                    ))
                    .on(Kind::Role, &role.id.value)
                    .at(role.requires_mfa.span)
                    .related(role.privileged.span, "declared privileged here")
                    .help(help),
                );
                continue;
            }
            let paths = paths.get_or_insert_with(|| PrivilegePaths::build(graph));
            let Some((permission, path)) = paths.path(index as u32) else {
                continue;
            };
            let shown = graph.permissions.display(catalogue, permission);
            let how = if path.len() > 1 {
                let names: Vec<&str> = path[1..]
                    .iter()
                    .map(|ix| catalogue.roles[*ix as usize].id.as_str())
                    .collect();
                format!("it inherits {}, which grants {shown}", names.join(" → "))
            } else {
                format!("it grants {shown}")
            };
            let finding = META
                .finding(format!(
                    "role `{}` is privileged ({how}, marked privileged by its application) but does not set `requires_mfa: true`",
                    role.id.value
                ))
                .on(Kind::Role, &role.id.value)
                .at(role.requires_mfa.span)
                .help(help);
            out.push(with_path(finding, graph, permission, &path));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::privilege::testing::{run, summary};

    #[test]
    fn declared_and_effective_privilege_both_need_mfa() {
        let yaml = r#"apiVersion: rolelint/v1
kind: Application
id: okta
owner: carol
permissions:
  - id: user.read
  - id: mfa.reset
    privileged: true
---
apiVersion: rolelint/v1
kind: Identity
id: carol
---
apiVersion: rolelint/v1
kind: Role
id: declared
owner: carol
permissions: [okta:user.read]
privileged: true
requires_mfa: false
---
apiVersion: rolelint/v1
kind: Role
id: inherited
owner: carol
inherits: [helpdesk]
---
apiVersion: rolelint/v1
kind: Role
id: helpdesk
owner: carol
permissions: [okta:mfa.reset]
privileged: true
requires_mfa: true
---
apiVersion: rolelint/v1
kind: Role
id: reader
owner: carol
permissions: [okta:user.read]
"#;
        let found = run(&PrivilegedRoleWithoutMfa, yaml, None);
        assert_eq!(
            summary(&found),
            vec![
                ("declared".into(), String::new(), 20),
                ("inherited".into(), String::new(), 24),
            ]
        );
        let inherited = found
            .iter()
            .find(|f| f.message.contains("`inherited`"))
            .unwrap_or_else(|| panic!("{found:#?}"));
        assert!(
            inherited
                .message
                .contains("it inherits helpdesk, which grants okta:mfa.reset")
        );
        assert_eq!(inherited.related.len(), 3);
    }
}
