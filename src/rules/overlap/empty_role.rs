//! overlap/empty-role: a role that grants nothing.

use crate::diagnostic::{Diagnostic, Severity};
use crate::graph::{Graph, Resolved};
use crate::model::{Kind, Role};
use crate::rules::{Rule, RuleDocs, RuleMeta};

pub struct EmptyRole;

pub static META: RuleMeta = RuleMeta {
    code: "overlap/empty-role",
    severity: Severity::Warning,
    docs: RuleDocs {
        summary: "A role with no effective permissions: it lists none (or only references that do not resolve, or wildcards of applications that declare none), and the roles it inherits grant none either. The finding points at the role's `id`; it has no detail.",
        why: "An empty role is either a placeholder nobody finished or a role whose permissions were removed and whose grants were not. Its grants show up in access reviews as meaningful access and are approved as such, and the day someone adds a permission to it, every forgotten holder gets that permission without any new approval.",
        failing: r#"apiVersion: rolelint/v1
kind: Application
id: okta
owner: carol
permissions:
  - id: sso.login
---
apiVersion: rolelint/v1
kind: Role
id: contractor-base
description: To replace employee-base for contractors
owner: carol
permissions: []
---
apiVersion: rolelint/v1
kind: Identity
id: carol
"#,
        passing: r#"apiVersion: rolelint/v1
kind: Application
id: okta
owner: carol
permissions:
  - id: sso.login
---
apiVersion: rolelint/v1
kind: Role
id: contractor-base
description: To replace employee-base for contractors
owner: carol
permissions: [okta:sso.login]
---
apiVersion: rolelint/v1
kind: Identity
id: carol
"#,
        controls: &["NIST CSF 2.0 PR.AA-05", "NIST SP 800-53 AC-2"],
    },
};

impl Rule for EmptyRole {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, graph: &Graph, out: &mut Vec<Diagnostic>) {
        for (role, facts) in graph.catalogue.roles.iter().zip(&graph.role_facts) {
            if !facts.effective.is_empty() {
                continue;
            }
            // Say why it is empty, so the fix is obvious.
            let own = if role.permissions.is_empty() {
                "it lists no permissions".to_owned()
            } else {
                format!(
                    "the permissions it lists grant nothing ({})",
                    why_listed_permissions_grant_nothing(graph, role)
                )
            };
            let inherited = if role.inherits.is_empty() {
                "inherits no role"
            } else if facts.parents.is_empty() {
                "the roles it inherits do not exist"
            } else {
                "the roles it inherits grant nothing either"
            };
            let reason = if role.permissions.is_empty() && role.inherits.is_empty() {
                format!("{own} and {inherited}")
            } else if role.inherits.is_empty() {
                format!("{own}, and it {inherited}")
            } else {
                format!("{own}, and {inherited}")
            };
            let message = format!("role `{}` grants no permissions: {reason}", role.id.value);
            out.push(
                META.finding(message)
                    .on(Kind::Role, &role.id.value)
                    .at(role.id.span)
                    .help(
                        "add the permissions the role is meant to grant (or the role it should inherit); if it is no longer needed, revoke its grants and delete it",
                    ),
            );
        }
    }
}

/// How many listed permissions the message explains before "and N more".
const EXPLAINED: usize = 3;

/// Why each permission a role lists resolves to nothing: a reference to
/// nothing declared, or a wildcard over an application that declares none.
fn why_listed_permissions_grant_nothing(graph: &Graph, role: &Role) -> String {
    let reasons: Vec<String> = role
        .permissions
        .iter()
        .map(|permission| {
            let resolved = graph
                .permissions
                .resolve(&graph.applications, &permission.value);
            match resolved {
                Resolved::Permissions(_) => format!(
                    "`{}` covers an application that declares no permissions",
                    permission.value
                ),
                Resolved::UnknownApplication => {
                    format!("`{}` names an unknown application", permission.value)
                }
                Resolved::UnknownPermission(_) => {
                    format!("`{}` is not declared by its application", permission.value)
                }
            }
        })
        .collect();
    let mut text = reasons
        .iter()
        .take(EXPLAINED)
        .cloned()
        .collect::<Vec<_>>()
        .join("; ");
    if reasons.len() > EXPLAINED {
        text.push_str(&format!("; and {} more", reasons.len() - EXPLAINED));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::overlap::check_example;

    #[test]
    fn why_a_role_is_empty() {
        let yaml = r#"apiVersion: rolelint/v1
kind: Identity
id: carol
---
apiVersion: rolelint/v1
kind: Application
id: okta
owner: carol
permissions:
  - id: sso.login
---
apiVersion: rolelint/v1
kind: Application
id: legacy
owner: carol
---
apiVersion: rolelint/v1
kind: Role
id: blank
owner: carol
---
apiVersion: rolelint/v1
kind: Role
id: typo
owner: carol
permissions: [okta:sso.logon, legacy:*]
---
apiVersion: rolelint/v1
kind: Role
id: ghost
owner: carol
inherits: [blank]
permissions: [crm:read]
---
apiVersion: rolelint/v1
kind: Role
id: hollow
owner: carol
inherits: [blank]
---
apiVersion: rolelint/v1
kind: Role
id: dangling
owner: carol
inherits: [nowhere]
---
apiVersion: rolelint/v1
kind: Role
id: inherited
owner: carol
inherits: [login]
---
apiVersion: rolelint/v1
kind: Role
id: login
owner: carol
permissions: [okta:*]
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
permissions: [okta:sso.login]
"#;
        let found = check_example(&EmptyRole, yaml, "2026-11-26");
        let messages: Vec<&str> = found.iter().map(|f| f.message.as_str()).collect();
        assert_eq!(
            messages,
            vec![
                "role `blank` grants no permissions: it lists no permissions and inherits no role",
                "role `typo` grants no permissions: the permissions it lists grant nothing (`okta:sso.logon` is not declared by its application; `legacy:*` covers an application that declares no permissions), and it inherits no role",
                "role `ghost` grants no permissions: the permissions it lists grant nothing (`crm:read` names an unknown application), and the roles it inherits grant nothing either",
                "role `hollow` grants no permissions: it lists no permissions, and the roles it inherits grant nothing either",
                "role `dangling` grants no permissions: it lists no permissions, and the roles it inherits do not exist",
            ]
        );
    }
}
