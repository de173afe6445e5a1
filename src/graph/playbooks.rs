//! Playbook step ordering: which actions precede each step.

use petgraph::algo::tarjan_scc;
use petgraph::graph::{DiGraph, NodeIndex};
use rustc_hash::FxHashMap;

use crate::model::{Action, Playbook};

/// A set of [`Action`]s, one bit each.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ActionMask(u16);

impl ActionMask {
    pub fn of(action: Action) -> ActionMask {
        let index = Action::ALL.iter().position(|a| *a == action).unwrap_or(0);
        ActionMask(1 << index)
    }

    pub fn contains(self, action: Action) -> bool {
        self.0 & ActionMask::of(action).0 != 0
    }

    pub fn union(self, other: ActionMask) -> ActionMask {
        ActionMask(self.0 | other.0)
    }
}

/// Derived facts of one playbook's steps (indices are positions in `steps`).
#[derive(Debug, Default, Clone)]
pub struct PlaybookFacts {
    /// The steps each step runs after: its resolved `after`, or the step
    /// listed just before it when `after` is missing.
    pub predecessors: Vec<Vec<u32>>,
    /// The actions of every step that transitively precedes each step.
    pub preceded_by: Vec<ActionMask>,
    /// Strongly connected sets of steps that form a cycle, each sorted by index.
    pub cycles: Vec<Vec<u32>>,
}

impl PlaybookFacts {
    pub fn build(playbook: &Playbook) -> PlaybookFacts {
        let steps = &playbook.steps;
        let mut index_of: FxHashMap<&str, u32> = FxHashMap::default();
        for (index, step) in steps.iter().enumerate() {
            index_of.entry(step.id.as_str()).or_insert(index as u32);
        }
        let predecessors: Vec<Vec<u32>> = steps
            .iter()
            .enumerate()
            .map(|(index, step)| match &step.after {
                Some(after) => {
                    let mut resolved: Vec<u32> = after
                        .iter()
                        .filter_map(|id| index_of.get(id.as_str()).copied())
                        .collect();
                    resolved.sort_unstable();
                    resolved.dedup();
                    resolved
                }
                None if index > 0 => vec![index as u32 - 1],
                None => Vec::new(),
            })
            .collect();

        // Edges run from a step to its predecessors, so Tarjan's reverse
        // topological order yields predecessors first.
        let mut graph = DiGraph::<(), ()>::with_capacity(steps.len(), steps.len());
        for _ in steps {
            graph.add_node(());
        }
        for (index, preds) in predecessors.iter().enumerate() {
            for pred in preds {
                graph.add_edge(NodeIndex::new(index), NodeIndex::new(*pred as usize), ());
            }
        }
        let mut component_of = vec![0usize; steps.len()];
        let components = tarjan_scc(&graph);
        for (number, component) in components.iter().enumerate() {
            for node in component {
                component_of[node.index()] = number;
            }
        }
        let mut preceded_by = vec![ActionMask::default(); steps.len()];
        let mut cycles = Vec::new();
        for (number, component) in components.iter().enumerate() {
            let members: Vec<usize> = component.iter().map(|node| node.index()).collect();
            let on_cycle =
                members.len() > 1 || predecessors[members[0]].contains(&(members[0] as u32));
            let mut mask = ActionMask::default();
            for &member in &members {
                for &pred in &predecessors[member] {
                    let pred = pred as usize;
                    if component_of[pred] != number {
                        mask = mask
                            .union(preceded_by[pred])
                            .union(ActionMask::of(steps[pred].action.value));
                    }
                }
                if on_cycle {
                    // On a cycle every member precedes every other, and itself.
                    mask = mask.union(ActionMask::of(steps[member].action.value));
                }
            }
            for &member in &members {
                preceded_by[member] = mask;
            }
            if on_cycle {
                let mut sorted: Vec<u32> = members.iter().map(|m| *m as u32).collect();
                sorted.sort_unstable();
                cycles.push(sorted);
            }
        }
        PlaybookFacts {
            predecessors,
            preceded_by,
            cycles,
        }
    }
}
