//! privilege/peer-outlier: an active human holds an effective permission that
//! few of the active humans of their department hold.

use std::collections::BTreeMap;

use super::is_active_human;
use crate::diagnostic::{Diagnostic, Severity};
use crate::graph::{Graph, PermId, Resolved};
use crate::model::{GrantTarget, Identity, Kind, Span};
use crate::rules::{Rule, RuleDocs, RuleMeta};

pub struct PeerOutlier;

pub static META: RuleMeta = RuleMeta {
    code: "privilege/peer-outlier",
    severity: Severity::Info,
    docs: RuleDocs {
        summary: "An active human holds an effective permission that fewer than `peer_outlier_ratio` (default 0.1) of the active humans of the same department hold, in a department of at least `peer_group_min_size` (default 5) active humans. The identity counts among its peers (1 holder of 10 is 0.1, not fewer than 0.1). The detail is the permission; the finding points at the grant that brings it in.",
        why: "Access that nobody else in a team has is often a leftover: a one-off exception never removed, a previous job's rights, or a grant made to the wrong person. Peer comparison finds these without anyone having to know what each job needs, and gives the reviewer a short list to confirm or revoke.",
        failing: r#"apiVersion: rolelint/v1
kind: Application
id: zendesk
owner: carol
permissions:
  - id: tickets.read
  - id: tickets.write
  - id: refunds.issue
---
apiVersion: rolelint/v1
kind: Role
id: support-agent
owner: carol
department: support
permissions: [zendesk:tickets.read, zendesk:tickets.write]
---
apiVersion: rolelint/v1
kind: Role
id: support-refunds
owner: carol
department: support
permissions: [zendesk:refunds.issue]
---
apiVersion: rolelint/v1
kind: Identity
id: rosa
department: leadership
---
apiVersion: rolelint/v1
kind: Identity
id: carol
department: support
manager: rosa
grants: [{role: support-agent, granted: 2026-01-05, approved_by: rosa}]
---
apiVersion: rolelint/v1
kind: Identity
id: tomas
department: support
manager: carol
grants:
  - role: support-agent
    granted: 2026-01-05
    approved_by: carol
  - role: support-refunds
    granted: 2026-02-10
    approved_by: carol
---
apiVersion: rolelint/v1
kind: Identity
id: ana
department: support
grants: [{role: support-agent, granted: 2026-01-05, approved_by: carol}]
---
apiVersion: rolelint/v1
kind: Identity
id: ben
department: support
grants: [{role: support-agent, granted: 2026-01-05, approved_by: carol}]
---
apiVersion: rolelint/v1
kind: Identity
id: chen
department: support
grants: [{role: support-agent, granted: 2026-01-05, approved_by: carol}]
---
apiVersion: rolelint/v1
kind: Identity
id: dara
department: support
grants: [{role: support-agent, granted: 2026-01-05, approved_by: carol}]
---
apiVersion: rolelint/v1
kind: Identity
id: emil
department: support
grants: [{role: support-agent, granted: 2026-01-05, approved_by: carol}]
---
apiVersion: rolelint/v1
kind: Identity
id: fay
department: support
grants: [{role: support-agent, granted: 2026-01-05, approved_by: carol}]
---
apiVersion: rolelint/v1
kind: Identity
id: gus
department: support
grants: [{role: support-agent, granted: 2026-01-05, approved_by: carol}]
---
apiVersion: rolelint/v1
kind: Identity
id: hana
department: support
grants: [{role: support-agent, granted: 2026-01-05, approved_by: carol}]
---
apiVersion: rolelint/v1
kind: Identity
id: ivo
department: support
grants: [{role: support-agent, granted: 2026-01-05, approved_by: carol}]
"#,
        passing: r#"# Ten active humans: Tomas is 1 of 10 = 0.1, not fewer than 0.1.
apiVersion: rolelint/v1
kind: Application
id: zendesk
owner: carol
permissions:
  - id: tickets.read
  - id: tickets.write
  - id: refunds.issue
---
apiVersion: rolelint/v1
kind: Role
id: support-agent
owner: carol
department: support
permissions: [zendesk:tickets.read, zendesk:tickets.write]
---
apiVersion: rolelint/v1
kind: Role
id: support-refunds
owner: carol
department: support
permissions: [zendesk:refunds.issue]
---
apiVersion: rolelint/v1
kind: Identity
id: rosa
department: leadership
---
apiVersion: rolelint/v1
kind: Identity
id: carol
department: support
manager: rosa
grants: [{role: support-agent, granted: 2026-01-05, approved_by: rosa}]
---
apiVersion: rolelint/v1
kind: Identity
id: tomas
department: support
manager: carol
grants:
  - role: support-agent
    granted: 2026-01-05
    approved_by: carol
  - role: support-refunds
    granted: 2026-02-10
    approved_by: carol
---
apiVersion: rolelint/v1
kind: Identity
id: ana
department: support
grants: [{role: support-agent, granted: 2026-01-05, approved_by: carol}]
---
apiVersion: rolelint/v1
kind: Identity
id: ben
department: support
grants: [{role: support-agent, granted: 2026-01-05, approved_by: carol}]
---
apiVersion: rolelint/v1
kind: Identity
id: chen
department: support
grants: [{role: support-agent, granted: 2026-01-05, approved_by: carol}]
---
apiVersion: rolelint/v1
kind: Identity
id: dara
department: support
grants: [{role: support-agent, granted: 2026-01-05, approved_by: carol}]
---
apiVersion: rolelint/v1
kind: Identity
id: emil
department: support
grants: [{role: support-agent, granted: 2026-01-05, approved_by: carol}]
---
apiVersion: rolelint/v1
kind: Identity
id: fay
department: support
grants: [{role: support-agent, granted: 2026-01-05, approved_by: carol}]
---
apiVersion: rolelint/v1
kind: Identity
id: gus
department: support
grants: [{role: support-agent, granted: 2026-01-05, approved_by: carol}]
---
apiVersion: rolelint/v1
kind: Identity
id: hana
department: support
grants: [{role: support-agent, granted: 2026-01-05, approved_by: carol}]
"#,
        controls: &[
            "NIST CSF 2.0 PR.AA-05",
            "NIST SP 800-53 AC-2",
            "NIST SP 800-53 AC-6",
        ],
    },
};

impl Rule for PeerOutlier {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, graph: &Graph, out: &mut Vec<Diagnostic>) {
        let catalogue = graph.catalogue;
        let defaults = graph.defaults();
        let ratio = defaults.peer_outlier_ratio;
        let min_size = defaults.peer_group_min_size as usize;

        // Peer groups: the active humans of each department (sorted by
        // department, members in catalogue order, for a stable output).
        let mut departments: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for (index, identity) in catalogue.identities.iter().enumerate() {
            if let Some(department) = &identity.department
                && is_active_human(identity)
            {
                departments
                    .entry(department.value.as_str())
                    .or_default()
                    .push(index);
            }
        }

        // Holders per permission (indexed by PermId), reused by every group.
        let mut holders = vec![0u32; graph.permissions.names.len()];
        for (department, members) in &departments {
            let size = members.len();
            if size < min_size {
                continue;
            }
            let group = PeerGroup {
                size,
                peers: format!("the {size} active humans of department `{department}`"),
                related: format!("peer group: the {size} active humans of `{department}`"),
                ratio: percent(ratio),
            };
            // One pass over the members' effective sets: holders per permission.
            for &member in members {
                for &permission in graph.identity_facts[member].effective.iter() {
                    holders[permission as usize] += 1;
                }
            }
            for &member in members {
                let identity = &catalogue.identities[member];
                for &permission in graph.identity_facts[member].effective.iter() {
                    let count = holders[permission as usize];
                    // Dividing (rather than multiplying the ratio) keeps a share
                    // exactly at the ratio equal to it: not fewer.
                    let share = f64::from(count) / size as f64;
                    if share >= ratio {
                        continue;
                    }
                    out.push(finding(graph, identity, member, permission, &group, count));
                }
            }
            // Back to zero for the next group, touching only what was counted.
            for &member in members {
                for &permission in graph.identity_facts[member].effective.iter() {
                    holders[permission as usize] = 0;
                }
            }
        }
    }
}

/// The texts shared by every finding of one peer group, written once.
struct PeerGroup {
    size: usize,
    /// "the N active humans of department `d`", for the message.
    peers: String,
    /// The related note on the identity's `department`.
    related: String,
    /// The configured ratio as a percentage.
    ratio: String,
}

fn finding(
    graph: &Graph,
    identity: &Identity,
    member: usize,
    permission: PermId,
    group: &PeerGroup,
    count: u32,
) -> Diagnostic {
    let size = group.size;
    let share = f64::from(count) / size as f64;
    let shown = graph.permissions.display(graph.catalogue, permission);
    let (span, through) = source_grant(graph, identity, member, permission)
        .unwrap_or((identity.id.span, String::new()));
    let peers = &group.peers;
    let share = format!(
        "{count} of {size} = {}, fewer than the `peer_outlier_ratio` of {}",
        percent(share),
        group.ratio
    );
    let message = if count == 1 {
        format!(
            "`{}` holds `{shown}`{through}, but no other of {peers} does ({share})",
            identity.id.value
        )
    } else {
        format!(
            "`{}` holds `{shown}`{through}, which only {count} of {peers} hold ({share})",
            identity.id.value
        )
    };
    let mut finding = META
        .finding(message)
        .on(Kind::Identity, &identity.id.value)
        .detail(&shown)
        .at(span)
        .help(format!(
            "confirm that `{}` still needs `{shown}` and revoke it if not; if the difference from their peers is intended, record why with a suppression",
            identity.id.value
        ));
    if let Some(department) = &identity.department {
        finding = finding.related(department.span, group.related.clone());
    }
    finding
}

/// The first active grant of the identity that brings `permission` in: the
/// span of its `role`/`permission` value, and a phrase for the message.
fn source_grant(
    graph: &Graph,
    identity: &Identity,
    member: usize,
    permission: PermId,
) -> Option<(Span, String)> {
    let facts = &graph.identity_facts[member];
    facts.active_grants.iter().find_map(|&index| {
        let grant = identity.grants.get(index as usize)?;
        match grant.target()? {
            GrantTarget::Role(role) => {
                let ix = facts.role_of(index as usize)?;
                let effective = &graph.role_facts[ix as usize].effective;
                effective.binary_search(&permission).ok()?;
                Some((role.span, format!(" (through role `{}`)", role.value)))
            }
            GrantTarget::Permission(reference) => {
                match graph
                    .permissions
                    .resolve(&graph.applications, &reference.value)
                {
                    Resolved::Permissions(range) if range.contains(&permission) => {
                        Some((reference.span, " (through a direct grant)".to_owned()))
                    }
                    _ => None,
                }
            }
        }
    })
}

/// A share as a percentage with at most one decimal: 16.7%, 20%.
fn percent(share: f64) -> String {
    let text = format!("{:.1}", share * 100.0);
    let text = text.strip_suffix(".0").unwrap_or(&text);
    format!("{text}%")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::privilege::testing::{run, summary};

    /// `count` active humans of `support`; the first `extra` of them also
    /// hold `stripe:refunds.write` directly.
    fn department(count: usize, extra: usize, more: &str) -> String {
        let mut yaml = String::from(
            "apiVersion: rolelint/v1\nkind: Application\nid: stripe\nowner: p0\npermissions:\n  - id: refunds.read\n  - id: refunds.write\n",
        );
        for i in 0..count {
            yaml.push_str(&format!(
                "---\napiVersion: rolelint/v1\nkind: Identity\nid: p{i}\ndepartment: support\ngrants:\n  - permission: stripe:refunds.read\n    granted: 2026-01-01\n"
            ));
            if i < extra {
                yaml.push_str("  - permission: stripe:refunds.write\n    granted: 2026-01-01\n");
            }
        }
        yaml.push_str(more);
        yaml
    }

    fn outliers(yaml: &str, config: Option<&str>) -> Vec<(String, String, u32)> {
        summary(&run(&PeerOutlier, yaml, config))
    }

    #[test]
    fn the_identity_counts_among_its_peers() {
        // 1 of 10 = 0.1: not fewer than 0.1.
        assert!(outliers(&department(10, 1, ""), None).is_empty());
        // 1 of 11 < 0.1.
        assert_eq!(
            outliers(&department(11, 1, ""), None),
            vec![("p0".into(), "stripe:refunds.write".into(), 16)]
        );
        // 2 of 11 ≥ 0.1.
        assert!(outliers(&department(11, 2, ""), None).is_empty());
    }

    #[test]
    fn ratio_boundary_with_configured_thresholds() {
        let config = "defaults:\n  peer_outlier_ratio: 0.2\n  peer_group_min_size: 5\n";
        // 1 of 5 = 0.2 is not fewer than 0.2; 1 of 6 is.
        assert!(outliers(&department(5, 1, ""), Some(config)).is_empty());
        assert_eq!(outliers(&department(6, 1, ""), Some(config)).len(), 1);
        // A group of 4 is below the minimum size.
        let small = "defaults:\n  peer_outlier_ratio: 0.5\n  peer_group_min_size: 5\n";
        assert!(outliers(&department(4, 1, ""), Some(small)).is_empty());
        // Exactly 5 is enough.
        assert_eq!(outliers(&department(5, 1, ""), Some(small)).len(), 1);
    }

    #[test]
    fn only_active_humans_are_peers() {
        let config = "defaults:\n  peer_outlier_ratio: 0.2\n";
        // Five active humans, 1 of 5 = 0.2; others do not join the group.
        let others = r#"---
apiVersion: rolelint/v1
kind: Identity
id: gone
status: terminated
department: support
grants: [{permission: "stripe:refunds.read", granted: 2026-01-01, revoked: 2026-02-01}]
---
apiVersion: rolelint/v1
kind: Identity
id: bot
type: agent
owner: p0
department: support
grants: [{permission: "stripe:refunds.read", granted: 2026-01-01}]
"#;
        assert!(outliers(&department(5, 1, others), Some(config)).is_empty());
    }

    #[test]
    fn percentages() {
        assert_eq!(percent(1.0 / 6.0), "16.7%");
        assert_eq!(percent(0.2), "20%");
        assert_eq!(percent(0.125), "12.5%");
    }
}
