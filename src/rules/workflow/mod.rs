//! workflow: playbooks, the provisioning workflows (joiner, mover, leaver,
//! request, schedule) and the order of their steps.
//!
//! Step order follows FORMAT.md: a step *is preceded by* another when that
//! one is among its transitive `after` ancestors. The graph computes this
//! once per step ([`crate::graph::PlaybookFacts::preceded_by`]); steps on one
//! `after` cycle precede each other (and themselves), and the cycle itself is
//! `graph/step-cycle`.

pub mod grant_without_approval;
pub mod leaver_incomplete;
pub mod mover_without_revoke;
pub mod privileged_birthright;
pub mod privileged_grant_without_mfa;
pub mod self_approval_allowed;
pub mod unbounded_request_grant;

use crate::graph::{Graph, PlaybookFacts};
use crate::model::{Action, Playbook, Role, Span, Step};

/// Why the role of a `grant` step is privileged, for the message and a
/// related location pointing at the reason.
pub(crate) struct PrivilegedRole<'c> {
    pub role: &'c Role,
    /// "declared `privileged: true`" or "reaches privileged permission `app:perm`".
    pub reason: String,
    /// The `privileged: true` value, or the role's id when the privilege
    /// comes from its effective permissions.
    pub span: Span,
}

/// The role a step names, when it resolves and is privileged (declared, or
/// effectively through its effective permissions). A reference that does not
/// resolve is not privileged: it contributes nothing, and
/// `graph/unknown-reference` reports it.
pub(crate) fn privileged_role<'c>(graph: &Graph<'c>, step: &Step) -> Option<PrivilegedRole<'c>> {
    let index = graph.roles.get(step.role.as_ref()?.as_str())?;
    let facts = graph.role_facts.get(index as usize)?;
    if !facts.privileged {
        return None;
    }
    let role = graph.catalogue.roles.get(index as usize)?;
    if role.privileged.value {
        return Some(PrivilegedRole {
            role,
            reason: "declared `privileged: true`".to_owned(),
            span: role.privileged.span,
        });
    }
    // Effectively privileged: name the first privileged permission it reaches.
    let permission = facts.effective.iter().copied().find(|permission| {
        graph
            .permissions
            .privileged
            .get(*permission as usize)
            .is_some_and(|privileged| *privileged)
    })?;
    Some(PrivilegedRole {
        role,
        reason: format!(
            "reaches privileged permission `{}`",
            graph.permissions.display(graph.catalogue, permission)
        ),
        span: role.id.span,
    })
}

/// The playbook's `grant` steps, with their index in `steps`.
pub(crate) fn grant_steps(playbook: &Playbook) -> impl Iterator<Item = (usize, &Step)> {
    playbook
        .steps
        .iter()
        .enumerate()
        .filter(|(_, step)| step.action.value == Action::Grant)
}

/// Whether a step of this action precedes step `index` (transitively).
pub(crate) fn is_preceded_by(facts: &PlaybookFacts, index: usize, action: Action) -> bool {
    facts
        .preceded_by
        .get(index)
        .is_some_and(|mask| mask.contains(action))
}

/// Whether step `earlier` is among the transitive `after` ancestors of step
/// `later` (so `later` runs after it).
pub(crate) fn runs_after(facts: &PlaybookFacts, later: usize, earlier: usize) -> bool {
    let mut seen = vec![false; facts.predecessors.len()];
    let mut stack = vec![later];
    while let Some(step) = stack.pop() {
        for &predecessor in facts.predecessors.get(step).into_iter().flatten() {
            let predecessor = predecessor as usize;
            if predecessor == earlier {
                return true;
            }
            if let Some(visited) = seen.get_mut(predecessor)
                && !*visited
            {
                *visited = true;
                stack.push(predecessor);
            }
        }
    }
    false
}

/// For step `index`, which no step of `action` precedes: the help (how to
/// order it) and related locations (the `action` steps that exist but do not
/// run first). `add` describes a new step to add when there is none.
pub(crate) fn ordering_advice(
    playbook: &Playbook,
    facts: &PlaybookFacts,
    index: usize,
    action: Action,
    add: &str,
) -> (String, Vec<(Span, String)>) {
    let Some(step) = playbook.steps.get(index) else {
        return (String::new(), Vec::new());
    };
    let name = &step.id.value;
    let existing: Vec<(usize, &Step)> = playbook
        .steps
        .iter()
        .enumerate()
        .filter(|(_, other)| other.action.value == action)
        .collect();
    let related = existing
        .iter()
        .map(|(other_index, other)| {
            let when = if runs_after(facts, *other_index, index) {
                "runs after"
            } else {
                "does not run before"
            };
            (
                other.id.span,
                format!("`{action}` step `{}` {when} `{name}`", other.id.value),
            )
        })
        .collect();
    let help = match existing.first() {
        None => format!("add {add} that runs before `{name}`"),
        Some((other_index, other)) if runs_after(facts, *other_index, index) => format!(
            "`{}` runs after `{name}`, too late: move it before `{name}` and make `{name}` run after it",
            other.id.value
        ),
        Some((_, other)) if step.after.as_ref().is_some_and(Vec::is_empty) => format!(
            "`after: []` makes `{name}` start with nothing before it: write `after: [{}]` so it waits for that step",
            other.id.value
        ),
        Some((_, other)) => {
            let wanted = &other.id.value;
            match (
                &step.after,
                index.checked_sub(1).and_then(|i| playbook.steps.get(i)),
            ) {
                // Without `after`, a step waits only for the one listed before it.
                (None, Some(previous)) => format!(
                    "make `{name}` run after `{wanted}`: write `after: [{}, {wanted}]` (without `after` it waits only for `{}`)",
                    previous.id.value, previous.id.value
                ),
                _ => format!("make `{name}` run after `{wanted}`: add `{wanted}` to its `after`"),
            }
        }
    };
    (help, related)
}

/// The role a step names, as written (empty when it names none).
pub(crate) fn role_of(step: &Step) -> &str {
    step.role.as_ref().map_or("", |role| role.as_str())
}

#[cfg(test)]
pub(crate) mod testing {
    //! Runs one rule over an in-memory catalogue at 2026-11-26.

    use crate::diagnostic::Diagnostic;
    use crate::graph::Graph;
    use crate::load::{LoadOptions, load_memory};
    use crate::model::Date;
    use crate::rules::{Rule, codes};

    pub fn findings(rule: &dyn Rule, yaml: &str) -> Vec<Diagnostic> {
        let options = LoadOptions {
            rule_codes: codes(),
            ..LoadOptions::default()
        };
        let catalogue = load_memory(&[("catalogue.yaml", yaml)], None, &options)
            .unwrap_or_else(|error| panic!("catalogue does not load: {error}"));
        assert!(
            catalogue.findings.is_empty(),
            "schema problems: {:#?}",
            catalogue.findings
        );
        let now = Date::parse("2026-11-26").unwrap_or_else(|e| panic!("{e}"));
        let graph = Graph::build(&catalogue, now);
        let mut out = Vec::new();
        rule.check(&graph, &mut out);
        out
    }

    /// The details of the findings, in order.
    pub fn details(findings: &[Diagnostic]) -> Vec<&str> {
        findings
            .iter()
            .map(|finding| finding.detail.as_deref().unwrap_or("-"))
            .collect()
    }
}
