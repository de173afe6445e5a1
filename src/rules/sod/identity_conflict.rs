//! sod/identity-conflict: an identity whose active access spans two sides of
//! a SodRule.

use crate::diagnostic::{Diagnostic, Severity};
use crate::graph::{Graph, IdentityFacts, Ix, PermId, Resolved};
use crate::model::{Grant, GrantTarget, Identity, Kind};
use crate::rules::sod::{
    Matched, ResolvedSodRule, SideRef, Touch, conflict, inheritance_path, inherits_phrase,
    item_related, matched_item, path_related, resolve_sod_rules, role_holds, rules_with_two_sides,
    sides_touched, sides_touched_by_roles,
};
use crate::rules::{Rule, RuleDocs, RuleMeta};

pub struct IdentityConflict;

pub static META: RuleMeta = RuleMeta {
    code: "sod/identity-conflict",
    severity: Severity::Error,
    docs: RuleDocs {
        summary: "An identity whose active access touches at least two sides of a SodRule: an effective permission of its active grants that a side names (any permission of the app for `app:*`), or a role a side names (`role:<id>`) that it holds through an active grant, directly or by inheritance. Revoked and expired grants do not count. One finding per identity and SodRule, on the identity's `id`; the detail is the SodRule id, and the message shows, for each side, which grant and inheritance path brings the conflicting item in.",
        why: "Separation of duties is a control auditors test person by person: whoever can create a payout must not be able to approve it, whoever merges code must not administer production IAM. Conflicts usually arise from two separately reasonable grants, such as a backup approver who already had operator access, so they are invisible when each grant is reviewed on its own.",
        failing: r#"apiVersion: rolelint/v1
kind: Application
id: stripe
owner: carol
permissions:
  - id: payouts.create
  - id: payouts.approve
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
---
apiVersion: rolelint/v1
kind: Identity
id: priya
department: finance
grants:
  - role: payments-operator
    granted: 2026-03-02
    approved_by: carol
  - role: treasury-approver
    granted: 2026-09-01
    approved_by: carol
"#,
        passing: r#"apiVersion: rolelint/v1
kind: Application
id: stripe
owner: carol
permissions:
  - id: payouts.create
  - id: payouts.approve
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
---
apiVersion: rolelint/v1
kind: Identity
id: priya
department: finance
grants:
  - role: payments-operator
    granted: 2026-03-02
    approved_by: carol
  - role: treasury-approver
    granted: 2026-09-01
    approved_by: carol
    revoked: 2026-10-01
"#,
        controls: &[
            "NIST CSF 2.0 PR.AA-05",
            "NIST SP 800-53 AC-5",
            "NIST SP 800-53 AC-6",
        ],
    },
};

/// The active grant that brings a matched item in, and for a role grant the
/// inheritance path from the granted role to the role that has the item.
struct Source<'c> {
    grant: &'c Grant,
    path: Option<Vec<Ix>>,
}

/// The first active grant (in written order) that brings `matched` in.
fn source_of<'c>(
    graph: &Graph,
    identity: &'c Identity,
    facts: &IdentityFacts,
    matched: Matched,
) -> Option<Source<'c>> {
    facts.active_grants.iter().find_map(|&index| {
        let grant = identity.grants.get(index as usize)?;
        match (grant.target()?, matched) {
            (GrantTarget::Role(_), _) => {
                let role = facts.role_of(index as usize)?;
                let brings = match matched {
                    Matched::Permission(permission) => graph.role_facts[role as usize]
                        .effective
                        .binary_search(&permission)
                        .is_ok(),
                    Matched::Role(wanted) => role_holds(graph, role, wanted),
                };
                brings.then(|| Source {
                    grant,
                    path: Some(inheritance_path(graph, role, matched)),
                })
            }
            (GrantTarget::Permission(reference), Matched::Permission(permission)) => {
                match graph.permissions.resolve(&graph.applications, reference) {
                    Resolved::Permissions(range) if range.contains(&permission) => {
                        Some(Source { grant, path: None })
                    }
                    _ => None,
                }
            }
            (GrantTarget::Permission(_), Matched::Role(_)) => None,
        }
    })
}

/// How the identity gets one side's item.
fn side_phrase(graph: &Graph, touch: &Touch, source: Option<&Source>) -> String {
    let (item, wildcard) = matched_item(graph, touch);
    let item = match wildcard {
        Some(note) => format!("{item} ({note})"),
        None => item,
    };
    let how = match source {
        Some(Source {
            grant,
            path: Some(path),
        }) => {
            let inherited = if path.len() > 1 {
                format!(" (inherits {})", inherits_phrase(graph, &path[1..]))
            } else {
                String::new()
            };
            format!(" via grant of `{}`{inherited}", grant.target_text())
        }
        Some(Source { grant, path: None }) => {
            let granted = grant.target_text();
            if matches!(touch.matched, Matched::Permission(p) if graph.permissions.display(graph.catalogue, p) == granted)
            {
                " via direct grant".to_owned()
            } else {
                format!(" via direct grant of `{granted}`")
            }
        }
        None => String::new(),
    };
    format!("side {}: {item}{how}", touch.side + 1)
}

/// The sides of `rules` that the active grants of `identity` touch, sorted
/// (with duplicates), into `touched`: each role grant's from `by_role`, each
/// direct permission grant's from the permissions it grants.
fn sides_of_active_grants(
    graph: &Graph,
    rules: &[ResolvedSodRule],
    by_role: &[Vec<SideRef>],
    identity: &Identity,
    facts: &IdentityFacts,
    touched: &mut Vec<SideRef>,
) {
    touched.clear();
    for &index in &facts.active_grants {
        let Some(grant) = identity.grants.get(index as usize) else {
            continue;
        };
        match grant.target() {
            Some(GrantTarget::Role(_)) => {
                if let Some(role) = facts.role_of(index as usize) {
                    touched.extend_from_slice(&by_role[role as usize]);
                }
            }
            Some(GrantTarget::Permission(reference)) => {
                if let Resolved::Permissions(range) =
                    graph.permissions.resolve(&graph.applications, reference)
                {
                    let granted: Vec<PermId> = range.collect();
                    touched.extend(sides_touched(rules, &granted, &|_| false));
                }
            }
            None => {}
        }
    }
    touched.sort_unstable();
}

impl Rule for IdentityConflict {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, graph: &Graph, out: &mut Vec<Diagnostic>) {
        let sod_rules = resolve_sod_rules(graph);
        if sod_rules.is_empty() {
            return;
        }
        let by_role = sides_touched_by_roles(graph, &sod_rules);
        let mut touched = Vec::new();
        let mut candidates = Vec::new();
        for (identity, facts) in graph.catalogue.identities.iter().zip(&graph.identity_facts) {
            if facts.active_grants.is_empty() {
                continue;
            }
            sides_of_active_grants(graph, &sod_rules, &by_role, identity, facts, &mut touched);
            rules_with_two_sides(&touched, &mut candidates);
            let holds_role = |wanted: Ix| facts.held_roles.binary_search(&wanted).is_ok();
            for &candidate in &candidates {
                let sod_rule = &sod_rules[candidate as usize];
                let Some(touches) = conflict(sod_rule, &facts.effective, &holds_role) else {
                    continue;
                };
                let sources: Vec<Option<Source>> = touches
                    .iter()
                    .map(|touch| source_of(graph, identity, facts, touch.matched))
                    .collect();
                let sides: Vec<String> = touches
                    .iter()
                    .zip(&sources)
                    .map(|(touch, source)| side_phrase(graph, touch, source.as_ref()))
                    .collect();
                let rule = sod_rule.rule;
                let mut finding = META
                    .finding(format!(
                        "the active access of `{}` touches {} sides of separation-of-duties rule `{}`: {}",
                        identity.id.value,
                        touches.len(),
                        rule.id.value,
                        sides.join("; ")
                    ))
                    .on(Kind::Identity, &identity.id.value)
                    .detail(rule.id.as_str())
                    .at(identity.id.span);
                // Related locations walk each side: grant, inheritance, permission entry, SodRule item.
                for (touch, source) in touches.iter().zip(&sources) {
                    if let Some(source) = source {
                        let what = match source.path {
                            Some(_) => format!("grant of role `{}`", source.grant.target_text()),
                            None => format!("direct grant of `{}`", source.grant.target_text()),
                        };
                        finding = finding.related(
                            source.grant.target_span(),
                            format!("side {}: {what}", touch.side + 1),
                        );
                        if let Some(path) = &source.path {
                            finding = path_related(graph, path, touch.matched, finding);
                        }
                    }
                    finding = item_related(rule, touch, finding);
                }
                out.push(finding.help(
                    "revoke the grants that bring in all but one side, so that different people hold them; if this is an accepted, temporary exception, suppress the finding on this identity with a reason, an `until` date and the approval of the SodRule's owner",
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
id: stripe
owner: carol
permissions:
  - id: payouts.create
  - id: payouts.approve
  - id: balance.read
---
apiVersion: rolelint/v1
kind: Role
id: payments-base
owner: carol
permissions: [stripe:payouts.create]
---
apiVersion: rolelint/v1
kind: Role
id: payments-initiator
owner: carol
inherits: [payments-base]
---
apiVersion: rolelint/v1
kind: Role
id: auditor
owner: carol
permissions: [stripe:balance.read]
---
apiVersion: rolelint/v1
kind: SodRule
id: maker-checker
owner: carol
sides:
  - [stripe:payouts.create, role:payments-initiator]
  - [stripe:payouts.approve]
  - [role:auditor]
---
apiVersion: rolelint/v1
kind: Identity
id: carol
---
apiVersion: rolelint/v1
kind: Identity
id: conflicted
grants:
  - role: payments-initiator
    granted: 2026-01-01
  - permission: stripe:payouts.approve
    granted: 2026-11-01
    expires: 2026-11-26
    justification: INC-1
---
apiVersion: rolelint/v1
kind: Identity
id: three-sides
grants:
  - role: auditor
    granted: 2026-01-01
  - role: payments-initiator
    granted: 2026-01-01
  - permission: "stripe:*"
    granted: 2026-11-01
    expires: 2026-11-30
    justification: INC-2
---
apiVersion: rolelint/v1
kind: Identity
id: expired
grants:
  - role: payments-initiator
    granted: 2026-01-01
  - permission: stripe:payouts.approve
    granted: 2026-11-01
    expires: 2026-11-25
    justification: INC-3
---
apiVersion: rolelint/v1
kind: Identity
id: auditor-only-revoked-maker
grants:
  - role: auditor
    granted: 2026-01-01
  - role: payments-base
    granted: 2026-01-01
    revoked: 2026-02-01
"#;

    /// The sides index only skips work: for every identity it picks exactly
    /// the rules that testing every rule against the identity's effective
    /// access finds in conflict.
    #[test]
    fn the_sides_index_picks_the_rules_a_full_evaluation_finds() {
        // A second rule that some identities touch on one side only, and a
        // third that a role item and a wildcard grant bring in together.
        let catalogue = format!(
            "{CATALOGUE}---
apiVersion: rolelint/v1
kind: SodRule
id: read-and-approve
owner: carol
sides:
  - [stripe:balance.read]
  - [stripe:payouts.approve]
---
apiVersion: rolelint/v1
kind: SodRule
id: base-and-anything
owner: carol
sides:
  - [role:payments-base]
  - [\"stripe:*\"]
"
        );
        let options = crate::load::LoadOptions {
            rule_codes: crate::rules::codes(),
            ..Default::default()
        };
        let catalogue = crate::load::load_memory(&[("catalogue.yaml", &catalogue)], None, &options)
            .unwrap_or_else(|error| panic!("{error}"));
        let now = crate::model::Date::parse("2026-11-26").unwrap_or_else(|e| panic!("{e}"));
        let graph = Graph::build(&catalogue, now);
        let rules = resolve_sod_rules(&graph);
        assert_eq!(rules.len(), 3);
        let by_role = sides_touched_by_roles(&graph, &rules);
        let (mut touched, mut candidates) = (Vec::new(), Vec::new());
        let mut conflicts = 0;
        for (identity, facts) in catalogue.identities.iter().zip(&graph.identity_facts) {
            sides_of_active_grants(&graph, &rules, &by_role, identity, facts, &mut touched);
            rules_with_two_sides(&touched, &mut candidates);
            let holds_role = |wanted: Ix| facts.held_roles.binary_search(&wanted).is_ok();
            let in_conflict: Vec<u32> = (0..rules.len() as u32)
                .filter(|&rule| {
                    conflict(&rules[rule as usize], &facts.effective, &holds_role).is_some()
                })
                .collect();
            assert_eq!(candidates, in_conflict, "identity {}", identity.id.value);
            conflicts += in_conflict.len();
        }
        // conflicted: 1st and 3rd; three-sides: all three; expired (whose
        // role alone holds `payments-base` and a stripe permission): 3rd.
        assert_eq!(conflicts, 6);
    }

    #[test]
    fn two_distinct_sides_of_a_rule_make_it_a_candidate() {
        let mut candidates = Vec::new();
        rules_with_two_sides(
            &[(0, 0), (0, 0), (1, 0), (1, 1), (1, 1), (2, 1)],
            &mut candidates,
        );
        assert_eq!(candidates, vec![1]);
        rules_with_two_sides(&[(0, 1), (3, 0), (3, 2), (3, 4)], &mut candidates);
        assert_eq!(candidates, vec![3]);
        rules_with_two_sides(&[], &mut candidates);
        assert!(candidates.is_empty());
    }

    #[test]
    fn active_grants_inheritance_and_direct_grants() {
        let found = check_example(&IdentityConflict, CATALOGUE);
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
                ("conflicted", Some("maker-checker")),
                ("three-sides", Some("maker-checker")),
            ],
            "{found:#?}"
        );
        assert!(
            found[0].message.contains(
                "side 1: `stripe:payouts.create` via grant of `payments-initiator` (inherits `payments-base`); side 2: `stripe:payouts.approve` via direct grant"
            ),
            "{}",
            found[0].message
        );
        // Side 1: grant, inherits, permission entry, item; side 2: grant, item.
        assert_eq!(found[0].related.len(), 6, "{:#?}", found[0].related);
        assert!(found[1].message.contains("touches 3 sides"));
        assert!(
            found[1].message.contains(
                "side 2: `stripe:payouts.approve` via direct grant of `stripe:*`; side 3: `role:auditor` via grant of `auditor`"
            ),
            "{}",
            found[1].message
        );
    }
}
