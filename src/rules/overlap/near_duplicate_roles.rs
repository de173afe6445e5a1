//! overlap/near-duplicate-roles: two roles whose permissions almost coincide.

use super::similarity::{SimilarPair, Threshold, similar_pairs};
use super::{count_permissions, group_by_effective_set, list_permissions};
use crate::diagnostic::{Diagnostic, Severity};
use crate::graph::{Graph, Ix, PermId};
use crate::model::Kind;
use crate::rules::{Rule, RuleDocs, RuleMeta};

pub struct NearDuplicateRoles;

pub static META: RuleMeta = RuleMeta {
    code: "overlap/near-duplicate-roles",
    severity: Severity::Warning,
    docs: RuleDocs {
        summary: "Two roles whose effective permission sets have a Jaccard similarity (shared permissions over all permissions of the two) of at least `defaults.near_duplicate_threshold` (default 0.8; a similarity equal to the threshold counts), but are not identical (that is overlap/duplicate-roles). Reported once per pair, on the role whose id sorts first, with the other role as detail. Roles that share no permission are never similar, even at threshold 0.",
        why: "Roles that differ by a permission or two are usually copies that drifted apart: every holder of one is a request away from the other, reviews happen twice, and the one extra permission is easy to miss. Merging them, or moving the shared part into one role that both inherit, keeps the role model small enough to review and every permission granted for a reason (least privilege).",
        failing: r#"apiVersion: rolelint/v1
kind: Application
id: aws-prod
owner: carol
permissions:
  - id: console.read
  - id: rds.read
  - id: s3.read
  - id: ec2.operate
---
apiVersion: rolelint/v1
kind: Application
id: stripe
owner: carol
permissions:
  - id: charges.read
  - id: refunds.read
---
apiVersion: rolelint/v1
kind: Role
id: platform-oncall
owner: carol
permissions: [aws-prod:console.read, aws-prod:rds.read, aws-prod:s3.read, aws-prod:ec2.operate]
---
apiVersion: rolelint/v1
kind: Role
id: payments-oncall
owner: carol
permissions: [aws-prod:console.read, aws-prod:rds.read, aws-prod:s3.read, aws-prod:ec2.operate, stripe:charges.read]
---
apiVersion: rolelint/v1
kind: Identity
id: carol
"#,
        passing: r#"apiVersion: rolelint/v1
kind: Application
id: aws-prod
owner: carol
permissions:
  - id: console.read
  - id: rds.read
  - id: s3.read
  - id: ec2.operate
---
apiVersion: rolelint/v1
kind: Application
id: stripe
owner: carol
permissions:
  - id: charges.read
  - id: refunds.read
---
apiVersion: rolelint/v1
kind: Role
id: platform-oncall
owner: carol
permissions: [aws-prod:console.read, aws-prod:rds.read, aws-prod:s3.read, aws-prod:ec2.operate]
---
apiVersion: rolelint/v1
kind: Role
id: payments-oncall
owner: carol
permissions: [aws-prod:console.read, aws-prod:rds.read, aws-prod:s3.read, aws-prod:ec2.operate, stripe:charges.read, stripe:refunds.read]
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

impl Rule for NearDuplicateRoles {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, graph: &Graph, out: &mut Vec<Diagnostic>) {
        let written = graph.defaults().near_duplicate_threshold;
        let threshold = Threshold::new(written);
        // Identical roles form one group; comparing the groups' distinct sets
        // leaves identical pairs (and so pairs on one cycle) out.
        let groups = group_by_effective_set(graph);
        for pair in similar_pairs(&groups.sets, threshold) {
            let (first, second) = (pair.first as usize, pair.second as usize);
            let report = Report {
                graph,
                pair,
                only_in: (
                    difference(groups.sets[first], groups.sets[second]),
                    difference(groups.sets[second], groups.sets[first]),
                ),
                written,
            };
            for &a in &groups.roles[first] {
                for &b in &groups.roles[second] {
                    out.push(report.finding(a, b));
                }
            }
        }
    }
}

/// One similar pair of effective sets, and what its findings say.
struct Report<'g, 'c> {
    graph: &'g Graph<'c>,
    pair: SimilarPair,
    /// The permissions only the first set has, and only the second.
    only_in: (Vec<PermId>, Vec<PermId>),
    /// The threshold as configured, for the message.
    written: f64,
}

impl Report<'_, '_> {
    /// The finding for roles `a` (of the pair's first set) and `b` (second).
    fn finding(&self, a: Ix, b: Ix) -> Diagnostic {
        let graph = self.graph;
        let roles = &graph.catalogue.roles;
        // Reported on the role whose id sorts first.
        let ((role_ix, role_only), (other_ix, other_only)) =
            if roles[a as usize].id.value <= roles[b as usize].id.value {
                ((a, &self.only_in.0), (b, &self.only_in.1))
            } else {
                ((b, &self.only_in.1), (a, &self.only_in.0))
            };
        let (role, other) = (&roles[role_ix as usize], &roles[other_ix as usize]);
        let (shared, union) = (self.pair.intersection, self.pair.union);
        let similarity = f64::from(shared) / f64::from(union);
        // "=" only when two decimals are exact.
        let relation = if (u64::from(shared) * 100) % u64::from(union) == 0 {
            "="
        } else {
            "≈"
        };
        let mut message = format!(
            "roles `{}` and `{}` are near-duplicates: they share {} of the {} they grant between them (Jaccard similarity {shared}/{union} {relation} {similarity:.2}, threshold {})",
            role.id.value,
            other.id.value,
            shared,
            count_permissions(union as usize),
            self.written,
        );
        for (owner, only) in [(role, role_only), (other, other_only)] {
            if !only.is_empty() {
                message.push_str(&format!(
                    "; only `{}` grants {}",
                    owner.id.value,
                    list_permissions(graph, only)
                ));
            }
        }
        let inherits = |from: Ix, to: Ix| {
            graph.role_facts[from as usize]
                .ancestors
                .binary_search(&to)
                .is_ok()
        };
        let help = if inherits(role_ix, other_ix) || inherits(other_ix, role_ix) {
            let (larger, smaller) = if inherits(role_ix, other_ix) {
                (role, other)
            } else {
                (other, role)
            };
            format!(
                "`{}` inherits `{}` and adds little to it: grant `{}` instead where that is enough, or merge the two; if the difference must stay a separate role, suppress this finding with the reason",
                larger.id.value, smaller.id.value, smaller.id.value
            )
        } else {
            format!(
                "merge `{}` and `{}`, or move the permissions they share into one role that both inherit, so each keeps only what sets it apart",
                role.id.value, other.id.value
            )
        };
        META.finding(message)
            .on(Kind::Role, &role.id.value)
            .detail(other.id.as_str())
            .at(role.id.span)
            .related(
                other.id.span,
                format!("`{}` is defined here", other.id.value),
            )
            .partner(Kind::Role, &other.id.value)
            .help(help)
    }
}

/// The elements of sorted set `a` that are not in sorted set `b`.
fn difference(a: &[PermId], b: &[PermId]) -> Vec<PermId> {
    a.iter()
        .copied()
        .filter(|permission| b.binary_search(permission).is_err())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::overlap::{check_example, check_example_with_config, objects_and_details};

    fn catalogue(roles: &[(&str, &str, &str)]) -> String {
        let mut yaml = String::from(
            "apiVersion: rolelint/v1\nkind: Identity\nid: carol\n---\napiVersion: rolelint/v1\nkind: Application\nid: app\nowner: carol\npermissions:\n",
        );
        for permission in 1..=12 {
            yaml.push_str(&format!("  - id: p{permission}\n"));
        }
        for (id, inherits, permissions) in roles {
            yaml.push_str(&format!(
                "---\napiVersion: rolelint/v1\nkind: Role\nid: {id}\nowner: carol\ninherits: [{inherits}]\npermissions: [{permissions}]\n"
            ));
        }
        yaml
    }

    fn perms(range: std::ops::RangeInclusive<u32>) -> String {
        range
            .map(|p| format!("app:p{p}"))
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn findings(yaml: &str) -> Vec<(String, String)> {
        objects_and_details(&check_example(&NearDuplicateRoles, yaml, "2026-11-26"))
    }

    fn findings_at(threshold: &str, yaml: &str) -> Vec<(String, String)> {
        let config = format!("defaults:\n  near_duplicate_threshold: {threshold}\n");
        objects_and_details(&check_example_with_config(
            &NearDuplicateRoles,
            yaml,
            Some(&config),
            "2026-11-26",
        ))
    }

    fn pair(a: &str, b: &str) -> (String, String) {
        (a.to_owned(), b.to_owned())
    }

    #[test]
    fn similarity_at_the_threshold_fires_and_just_below_does_not() {
        let at = perms(1..=4);
        let five = perms(1..=5);
        // 7 of 9: 0.78 < 0.8.
        let seven_a = perms(1..=8);
        let seven_b = format!("{}, app:p9", perms(2..=8));
        let yaml = catalogue(&[
            ("b-four", "", &at),
            ("a-five", "", &five),
            ("x-eight", "", &seven_a),
            ("y-eight", "", &seven_b),
        ]);
        let found = findings(&yaml);
        // a-five/b-four 4/5; a-five/x-eight 5/8; nothing else reaches 0.8.
        assert_eq!(found, vec![pair("a-five", "b-four")]);
    }

    #[test]
    fn the_configured_threshold_applies() {
        // 7 of 9 shared.
        let yaml = catalogue(&[
            ("x-eight", "", &perms(1..=8)),
            ("y-eight", "", &format!("{}, app:p9", perms(2..=8))),
        ]);
        assert!(findings_at("0.78", &yaml).is_empty());
        assert_eq!(findings_at("0.7", &yaml), vec![pair("x-eight", "y-eight")]);
        // Threshold 1: only identical sets would qualify, and those are duplicates.
        assert!(findings_at("1", &yaml).is_empty());
        // Threshold 0: any two roles sharing a permission.
        let yaml = catalogue(&[
            ("one", "", "app:p1"),
            ("two", "", "app:p1, app:p2, app:p3"),
            ("apart", "", "app:p4"),
        ]);
        assert_eq!(findings_at("0", &yaml), vec![pair("one", "two")]);
    }

    #[test]
    fn every_role_of_an_identical_group_pairs_with_its_near_duplicate() {
        let yaml = catalogue(&[
            ("copy-one", "", &perms(1..=5)),
            ("copy-two", "", &perms(1..=5)),
            ("near", "", &perms(1..=4)),
            ("cycle-a", "cycle-b", "app:p1, app:p2"),
            ("cycle-b", "cycle-a", "app:p3, app:p4"),
        ]);
        // cycle-a = cycle-b = near = {p1..p4}; identical pairs are not near
        // duplicates, and the cycle's roles are not paired with each other.
        assert_eq!(
            findings(&yaml),
            vec![
                pair("copy-one", "cycle-a"),
                pair("copy-one", "cycle-b"),
                pair("copy-one", "near"),
                pair("copy-two", "cycle-a"),
                pair("copy-two", "cycle-b"),
                pair("copy-two", "near"),
            ]
        );
    }

    #[test]
    fn the_message_explains_the_difference() {
        let yaml = catalogue(&[("lower", "", &perms(1..=5)), ("upper", "lower", "app:p6")]);
        let found = check_example(&NearDuplicateRoles, &yaml, "2026-11-26");
        assert_eq!(found.len(), 1);
        let finding = &found[0];
        assert!(
            finding.message.contains("share 5 of the 6 permissions")
                && finding.message.contains("5/6 ≈ 0.83, threshold 0.8")
                && finding.message.contains("only `upper` grants app:p6"),
            "{}",
            finding.message
        );
        assert!(
            finding
                .help
                .as_deref()
                .is_some_and(|help| help.starts_with("`upper` inherits `lower`")),
            "{:?}",
            finding.help
        );
    }
}
