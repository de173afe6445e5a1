//! rolelint: a policy-as-code evaluator and linter for identity-and-access
//! catalogues kept in Git.
//!
//! The pipeline: [`load`] (discover, parse with spans, decode into [`model`]
//! types) → [`graph`] (resolve references, intern ids, compute effective
//! permissions once) → [`rules`] (analysers producing [`Diagnostic`]s) →
//! [`report`] (render to human, JSON, ...). [`commands`] wires them to the CLI.

pub mod baseline;
pub mod commands;
pub mod diagnostic;
pub mod diff;
pub mod evaluate;
pub mod graph;
pub mod lines;
pub mod load;
pub mod model;
pub mod picture;
pub mod policy;
pub mod report;
pub mod rules;
pub mod stats;
pub mod suggest;
pub mod timings;

pub use diagnostic::{Diagnostic, ObjectRef, Related, Severity};

/// Resolves a loaded catalogue and runs every enabled rule on it. Custom
/// policies (`policies:`) are not run: see [`analyse_with_policies`].
pub fn analyse(catalogue: &load::Catalogue, now: model::Date) -> rules::engine::Outcome {
    let graph = graph::Graph::build(catalogue, now);
    rules::engine::run(&graph)
}

/// Like [`analyse`], and also evaluates the custom Rego policies the
/// configuration names; their findings are configured and suppressed like
/// the built-in rules'. A policy that does not compile or fails at run time
/// is an error (exit code 2), not a finding.
pub fn analyse_with_policies(
    catalogue: &load::Catalogue,
    now: model::Date,
    limits: &policy::Limits,
) -> Result<rules::engine::Outcome, policy::PolicyError> {
    // Compile first: a syntax error should not wait for the graph.
    let mut policies = policy::PolicySet::load(catalogue)?;
    let graph = graph::Graph::build(catalogue, now);
    let evaluation = policies.evaluate(&graph, limits)?;
    let mut outcome = rules::engine::run_with(&graph, &evaluation.codes, evaluation.findings);
    outcome.timings.extend(evaluation.timings);
    Ok(outcome)
}
