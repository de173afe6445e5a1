//! privilege/wildcard-permission: a role lists a wildcard permission (`app:*`).

use std::collections::HashSet;

use crate::diagnostic::{Diagnostic, Severity};
use crate::graph::{Graph, Resolved};
use crate::model::Kind;
use crate::rules::{Rule, RuleDocs, RuleMeta};

pub struct WildcardPermission;

pub static META: RuleMeta = RuleMeta {
    code: "privilege/wildcard-permission",
    severity: Severity::Warning,
    docs: RuleDocs {
        summary: "A role lists a wildcard permission (`app:*`), which stands for every permission the application declares, now and in the future. The detail is the wildcard as written; each distinct wildcard of a role is reported once, at its entry.",
        why: "A wildcard grants more than anyone reviewed: every permission the application declares today, including privileged ones, and every one it declares tomorrow, silently. Least privilege needs the role to name what it actually needs, so that reviewers see the real scope and new permissions are granted on purpose.",
        failing: r#"apiVersion: rolelint/v1
kind: Application
id: aws-prod
owner: carol
permissions:
  - id: console.read
  - id: ec2.operate
  - id: s3.write
---
apiVersion: rolelint/v1
kind: Role
id: platform-operator
owner: carol
permissions:
  - aws-prod:*
---
apiVersion: rolelint/v1
kind: Identity
id: carol
department: engineering
"#,
        passing: r#"apiVersion: rolelint/v1
kind: Application
id: aws-prod
owner: carol
permissions:
  - id: console.read
  - id: ec2.operate
  - id: s3.write
---
apiVersion: rolelint/v1
kind: Role
id: platform-operator
owner: carol
permissions:
  - aws-prod:console.read
  - aws-prod:ec2.operate
---
apiVersion: rolelint/v1
kind: Identity
id: carol
department: engineering
"#,
        controls: &["NIST CSF 2.0 PR.AA-05", "NIST SP 800-53 AC-6"],
    },
};

impl Rule for WildcardPermission {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, graph: &Graph, out: &mut Vec<Diagnostic>) {
        let catalogue = graph.catalogue;
        for role in &catalogue.roles {
            let mut seen = HashSet::new();
            for entry in role.permissions.iter().filter(|p| p.value.is_wildcard()) {
                let written = entry.value.to_string();
                if !seen.insert(&entry.value) {
                    continue; // the same wildcard listed twice: reported once
                }
                let application = &entry.value.application;
                let scope = match graph.permissions.resolve(&graph.applications, &entry.value) {
                    Resolved::Permissions(range) => {
                        let privileged = range
                            .clone()
                            .filter(|p| graph.permissions.privileged[*p as usize])
                            .count();
                        let mut scope = format!(
                            "every permission application `{application}` declares ({} today",
                            range.len()
                        );
                        if privileged > 0 {
                            scope.push_str(&format!(", {privileged} of them privileged"));
                        }
                        scope.push_str(", and any it declares later)");
                        scope
                    }
                    _ => format!("every permission application `{application}` declares"),
                };
                out.push(
                    META.finding(format!(
                        "role `{}` lists the wildcard `{written}`, which grants {scope}",
                        role.id.value
                    ))
                    .on(Kind::Role, &role.id.value)
                    .detail(&written)
                    .at(entry.span)
                    .help(format!(
                        "list the `{application}` permissions the role needs instead of `{written}`"
                    )),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::privilege::testing::{run, summary};

    #[test]
    fn each_distinct_wildcard_once() {
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
id: wide
owner: carol
permissions:
  - okta:user.read
  - okta:*
  - okta:*
  - zendesk:*
"#;
        let found = run(&WildcardPermission, yaml, None);
        assert_eq!(
            summary(&found),
            vec![
                ("wide".into(), "okta:*".into(), 20),
                ("wide".into(), "zendesk:*".into(), 22),
            ]
        );
        assert!(found[0].message.contains("(2 today, 1 of them privileged"));
    }
}
