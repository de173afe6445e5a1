//! graph/step-cycle: playbook steps whose `after` form a cycle.

use crate::diagnostic::{Diagnostic, Severity};
use crate::graph::Graph;
use crate::model::Kind;
use crate::rules::{Rule, RuleDocs, RuleMeta};

pub struct StepCycle;

pub static META: RuleMeta = RuleMeta {
    code: "graph/step-cycle",
    severity: Severity::Error,
    docs: RuleDocs {
        summary: "Playbook steps whose `after` lists form a cycle, so none of them can ever run first. One finding per strongly connected set of steps; the detail is its step id that sorts first.",
        why: "A provisioning workflow with a cycle cannot be executed as written, and any claim that an approval or MFA step precedes a grant inside the cycle is meaningless. Auditors need a well-defined order of approval, MFA and grant.",
        failing: r#"apiVersion: rolelint/v1
kind: Playbook
id: access-request
owner: carol
trigger: request
steps:
  - id: approve
    action: approve
    approvers: [manager]
    after: [notify]
  - id: notify
    action: notify
    after: [approve]
---
apiVersion: rolelint/v1
kind: Identity
id: carol
"#,
        passing: r#"apiVersion: rolelint/v1
kind: Playbook
id: access-request
owner: carol
trigger: request
steps:
  - id: approve
    action: approve
    approvers: [manager]
  - id: notify
    action: notify
    after: [approve]
---
apiVersion: rolelint/v1
kind: Identity
id: carol
"#,
        controls: &["NIST CSF 2.0 PR.AA-05", "NIST SP 800-53 AC-2"],
    },
};

impl Rule for StepCycle {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, graph: &Graph, out: &mut Vec<Diagnostic>) {
        for (playbook, facts) in graph.catalogue.playbooks.iter().zip(&graph.playbook_facts) {
            for cycle in &facts.cycles {
                let steps = &playbook.steps;
                let Some(&first) = cycle.iter().min_by(|a, b| {
                    steps[**a as usize]
                        .id
                        .value
                        .cmp(&steps[**b as usize].id.value)
                }) else {
                    continue;
                };
                let step = &steps[first as usize];
                let mut names: Vec<&str> = cycle
                    .iter()
                    .map(|i| steps[*i as usize].id.as_str())
                    .collect();
                names.sort_unstable();
                // Point at the `after` entry that keeps the first step waiting
                // on another step of the cycle, or at the step itself.
                let span = step
                    .after
                    .iter()
                    .flatten()
                    .find(|after| names.contains(&after.as_str()))
                    .map_or(step.id.span, |after| after.span);
                let mut finding = META
                    .finding(format!(
                        "steps of playbook `{}` wait on each other in a cycle: {}",
                        playbook.id.value,
                        names
                            .iter()
                            .map(|n| format!("`{n}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ))
                    .on(Kind::Playbook, &playbook.id.value)
                    .detail(step.id.as_str())
                    .at(span)
                    .help("make the `after` lists run one way, so some step can start");
                for &other in cycle.iter().filter(|i| **i != first) {
                    let other = &steps[other as usize];
                    finding = finding.related(other.id.span, format!("step `{}`", other.id.value));
                }
                out.push(finding);
            }
        }
    }
}
