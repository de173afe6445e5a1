//! graph/inheritance-cycle: roles that inherit each other.

use std::collections::VecDeque;

use crate::diagnostic::{Diagnostic, Severity};
use crate::graph::{Graph, Ix};
use crate::model::Kind;
use crate::rules::{Rule, RuleDocs, RuleMeta};

pub struct InheritanceCycle;

pub static META: RuleMeta = RuleMeta {
    code: "graph/inheritance-cycle",
    severity: Severity::Error,
    docs: RuleDocs {
        summary: "Roles that inherit each other, directly or through others. One finding per strongly connected set of roles, on the role whose id sorts first; the message shows one cycle.",
        why: "A cycle makes every role on it hold the permissions of all the others, so a grant of the smallest role on the loop is a grant of the largest. It is almost always a mistake in the hierarchy, and it makes the hierarchy impossible to reason about.",
        failing: r#"apiVersion: rolelint/v1
kind: Role
id: support-agent
owner: carol
inherits: [support-lead]
---
apiVersion: rolelint/v1
kind: Role
id: support-lead
owner: carol
inherits: [support-agent]
---
apiVersion: rolelint/v1
kind: Identity
id: carol
"#,
        passing: r#"apiVersion: rolelint/v1
kind: Role
id: support-agent
owner: carol
---
apiVersion: rolelint/v1
kind: Role
id: support-lead
owner: carol
inherits: [support-agent]
---
apiVersion: rolelint/v1
kind: Identity
id: carol
"#,
        controls: &["NIST CSF 2.0 PR.AA-05", "NIST SP 800-53 AC-6"],
    },
};

impl Rule for InheritanceCycle {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, graph: &Graph, out: &mut Vec<Diagnostic>) {
        let roles = &graph.catalogue.roles;
        for component in &graph.components {
            let first = component[0] as usize;
            if !graph.role_facts[first].on_cycle {
                continue;
            }
            let Some(&start) = component.iter().min_by(|a, b| {
                roles[**a as usize]
                    .id
                    .value
                    .cmp(&roles[**b as usize].id.value)
            }) else {
                continue;
            };
            let cycle = shortest_cycle(graph, start);
            let names: Vec<&str> = cycle
                .iter()
                .chain(std::iter::once(&start))
                .map(|role| roles[*role as usize].id.as_str())
                .collect();
            let role = &roles[start as usize];
            // Each edge of the cycle is an `inherits` entry: the first is the
            // primary location, the others related ones.
            let mut edges = cycle
                .iter()
                .zip(cycle.iter().skip(1).chain(std::iter::once(&start)));
            let entry_span = |from: Ix, to: Ix| {
                let from_role = &roles[from as usize];
                let to_id = &roles[to as usize].id.value;
                from_role
                    .inherits
                    .iter()
                    .find(|parent| &parent.value == to_id)
                    .map_or(from_role.id.span, |parent| parent.span)
            };
            let primary = edges
                .next()
                .map_or(role.id.span, |(from, to)| entry_span(*from, *to));
            let mut finding = META
                .finding(format!(
                    "roles inherit each other in a cycle: {}",
                    names.join(" → ")
                ))
                .on(Kind::Role, &role.id.value)
                .at(primary)
                .help("remove one `inherits` entry on the cycle so the hierarchy runs one way");
            if component.len() > cycle.len() {
                finding.message.push_str(&format!(
                    " ({} roles in all are tangled in this set)",
                    component.len()
                ));
            }
            for (from, to) in edges {
                let message = format!(
                    "`{}` inherits `{}` here",
                    roles[*from as usize].id.value, roles[*to as usize].id.value
                );
                finding = finding.related(entry_span(*from, *to), message);
            }
            out.push(finding);
        }
    }
}

/// The roles of a shortest cycle through `start` (starting with it), by
/// breadth-first search along `inherits` edges inside its component.
fn shortest_cycle(graph: &Graph, start: Ix) -> Vec<Ix> {
    let component = graph.role_facts[start as usize].component;
    let mut previous: std::collections::HashMap<Ix, Ix> = std::collections::HashMap::new();
    let mut seen = std::collections::HashSet::from([start]);
    let mut queue = VecDeque::from([start]);
    while let Some(role) = queue.pop_front() {
        for &parent in &graph.role_facts[role as usize].parents {
            if graph.role_facts[parent as usize].component != component {
                continue;
            }
            if parent == start {
                let mut path = vec![role];
                let mut current = role;
                while current != start {
                    let Some(before) = previous.get(&current) else {
                        break;
                    };
                    current = *before;
                    path.push(current);
                }
                path.reverse();
                return path;
            }
            if seen.insert(parent) {
                previous.insert(parent, role);
                queue.push_back(parent);
            }
        }
    }
    vec![start]
}
