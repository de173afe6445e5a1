//! sod/toxic-role: a single role that spans two sides of a SodRule.

use crate::diagnostic::{Diagnostic, Severity};
use crate::graph::{Graph, Ix};
use crate::model::Kind;
use crate::rules::sod::{
    Matched, Touch, conflict, inheritance_path, inherits_phrase, item_related, matched_item,
    path_related, resolve_sod_rules, role_holds,
};
use crate::rules::{Rule, RuleDocs, RuleMeta};

pub struct ToxicRole;

pub static META: RuleMeta = RuleMeta {
    code: "sod/toxic-role",
    severity: Severity::Error,
    docs: RuleDocs {
        summary: "A single role that, with everything it inherits, touches at least two sides of a SodRule: it has an effective permission a side names (any permission of the app for `app:*`), or it is, or inherits, a role a side names (`role:<id>`). One finding per role and SodRule, on the role's `id`; the detail is the SodRule id, and the message shows, for each side, the item and the inheritance path that brings it in.",
        why: "Separation of duties means no one person can both do and approve (or hide) a sensitive action. A role that combines both sides breaks the rule for everyone it is ever granted to, usually by accident: a convenience role that inherits two others. Fixing the role fixes every grant at once; the identity-level rule only catches the people who already hold it.",
        failing: r#"apiVersion: rolelint/v1
kind: Application
id: stripe
owner: carol
permissions:
  - id: payouts.create
  - id: payouts.approve
  - id: balance.read
---
apiVersion: rolelint/v1
kind: Role
id: payments-operator
owner: carol
permissions: [stripe:payouts.create]
---
apiVersion: rolelint/v1
kind: Role
id: treasury-approver
owner: carol
permissions: [stripe:payouts.approve]
---
apiVersion: rolelint/v1
kind: Role
id: finance-ops-lead
owner: carol
inherits: [payments-operator, treasury-approver]
permissions: [stripe:balance.read]
---
apiVersion: rolelint/v1
kind: SodRule
id: payments-maker-checker
description: Whoever drafts a payout must not be able to release it
owner: carol
sides:
  - [stripe:payouts.create]
  - [stripe:payouts.approve]
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
  - id: balance.read
---
apiVersion: rolelint/v1
kind: Role
id: payments-operator
owner: carol
permissions: [stripe:payouts.create]
---
apiVersion: rolelint/v1
kind: Role
id: treasury-approver
owner: carol
permissions: [stripe:payouts.approve]
---
apiVersion: rolelint/v1
kind: Role
id: finance-ops-lead
owner: carol
inherits: [payments-operator]
permissions: [stripe:balance.read]
---
apiVersion: rolelint/v1
kind: SodRule
id: payments-maker-checker
description: Whoever drafts a payout must not be able to release it
owner: carol
sides:
  - [stripe:payouts.create]
  - [stripe:payouts.approve]
---
apiVersion: rolelint/v1
kind: Identity
id: carol
department: finance
"#,
        controls: &[
            "NIST CSF 2.0 PR.AA-05",
            "NIST SP 800-53 AC-5",
            "NIST SP 800-53 AC-6",
        ],
    },
};

/// How the role itself brings in one side's item.
fn side_phrase(graph: &Graph, touch: &Touch, path: &[Ix]) -> String {
    let (item, wildcard) = matched_item(graph, touch);
    let how = match (path.len(), touch.matched) {
        (0 | 1, Matched::Permission(_)) => "own permission".to_owned(),
        (0 | 1, Matched::Role(_)) => "the role itself".to_owned(),
        _ => format!("inherits {}", inherits_phrase(graph, &path[1..])),
    };
    let notes: Vec<String> = wildcard.into_iter().chain([how]).collect();
    format!("side {}: {item} ({})", touch.side + 1, notes.join("; "))
}

impl Rule for ToxicRole {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, graph: &Graph, out: &mut Vec<Diagnostic>) {
        let sod_rules = resolve_sod_rules(graph);
        if sod_rules.is_empty() {
            return;
        }
        for (index, (role, facts)) in graph
            .catalogue
            .roles
            .iter()
            .zip(&graph.role_facts)
            .enumerate()
        {
            let role_ix = index as Ix;
            let holds_role = |wanted: Ix| role_holds(graph, role_ix, wanted);
            for sod_rule in &sod_rules {
                let Some(touches) = conflict(sod_rule, &facts.effective, &holds_role) else {
                    continue;
                };
                let paths: Vec<Vec<Ix>> = touches
                    .iter()
                    .map(|touch| inheritance_path(graph, role_ix, touch.matched))
                    .collect();
                let sides: Vec<String> = touches
                    .iter()
                    .zip(&paths)
                    .map(|(touch, path)| side_phrase(graph, touch, path))
                    .collect();
                let rule = sod_rule.rule;
                let mut finding = META
                    .finding(format!(
                        "role `{}` combines {} sides of separation-of-duties rule `{}`, so anyone granted it breaks the rule: {}",
                        role.id.value,
                        touches.len(),
                        rule.id.value,
                        sides.join("; ")
                    ))
                    .on(Kind::Role, &role.id.value)
                    .detail(rule.id.as_str())
                    .at(role.id.span);
                for (touch, path) in touches.iter().zip(&paths) {
                    finding = path_related(graph, path, touch.matched, finding);
                    finding = item_related(rule, touch, finding);
                }
                out.push(finding.help(
                    "split the role so that no single role spans two sides (stop inheriting, or drop the permissions of, all but one side), and grant the other sides through separate roles to different people",
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::sod::check_example;

    const CATALOGUE: &str = r#"apiVersion: rolelint/v1
kind: Application
id: aws
owner: carol
permissions:
  - id: iam.admin
  - id: s3.read
---
apiVersion: rolelint/v1
kind: Application
id: github
owner: carol
permissions:
  - id: repo.write
---
apiVersion: rolelint/v1
kind: Role
id: base
owner: carol
permissions: [github:repo.write]
---
apiVersion: rolelint/v1
kind: Role
id: middle
owner: carol
inherits: [base]
---
apiVersion: rolelint/v1
kind: Role
id: deep
owner: carol
inherits: [middle]
permissions: ["aws:*"]
---
apiVersion: rolelint/v1
kind: Role
id: reviewer
owner: carol
permissions: [aws:s3.read]
---
apiVersion: rolelint/v1
kind: Role
id: reviewer-plus
owner: carol
inherits: [reviewer]
permissions: [aws:iam.admin]
---
apiVersion: rolelint/v1
kind: SodRule
id: change-separation
owner: carol
sides:
  - [github:repo.write]
  - [aws:iam.admin, "aws:*"]
  - [unknown:thing, role:nobody]
---
apiVersion: rolelint/v1
kind: SodRule
id: admin-vs-reviewer
owner: carol
sides:
  - [aws:iam.admin]
  - [role:reviewer]
---
apiVersion: rolelint/v1
kind: Identity
id: carol
"#;

    #[test]
    fn inherited_wildcard_and_role_items() {
        let found = check_example(&ToxicRole, CATALOGUE);
        let summary: Vec<(&str, Option<&str>)> = found
            .iter()
            .map(|f| {
                (
                    f.object.as_ref().map_or("", |o| o.id.as_str()),
                    f.detail.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            summary,
            vec![
                ("deep", Some("change-separation")),
                ("reviewer-plus", Some("admin-vs-reviewer")),
            ],
            "{found:#?}"
        );
        assert!(
            found[0].message.contains(
                "side 1: `github:repo.write` (inherits `middle`, which inherits `base`); side 2: `aws:iam.admin` (own permission)"
            ),
            "{}",
            found[0].message
        );
        // inherits middle, inherits base, base grants, side item; own permission, side item.
        assert_eq!(found[0].related.len(), 6, "{:#?}", found[0].related);
        assert!(
            found[1]
                .message
                .contains("side 2: `role:reviewer` (inherits `reviewer`)"),
            "{}",
            found[1].message
        );
    }

    #[test]
    fn roles_on_a_cycle_share_their_sides() {
        let catalogue = r#"apiVersion: rolelint/v1
kind: Application
id: app
owner: carol
permissions:
  - id: create
  - id: approve
---
apiVersion: rolelint/v1
kind: Role
id: maker
owner: carol
inherits: [checker]
permissions: [app:create]
---
apiVersion: rolelint/v1
kind: Role
id: checker
owner: carol
inherits: [maker]
permissions: [app:approve]
---
apiVersion: rolelint/v1
kind: SodRule
id: maker-checker
owner: carol
sides:
  - [app:create]
  - [app:approve]
---
apiVersion: rolelint/v1
kind: Identity
id: carol
"#;
        let found = check_example(&ToxicRole, catalogue);
        let messages: Vec<&str> = found.iter().map(|f| f.message.as_str()).collect();
        assert_eq!(found.len(), 2, "{messages:#?}");
        assert!(messages[0].contains(
            "side 1: `app:create` (own permission); side 2: `app:approve` (inherits `checker`)"
        ));
        assert!(messages[1].contains(
            "side 1: `app:create` (inherits `maker`); side 2: `app:approve` (own permission)"
        ));
    }
}
