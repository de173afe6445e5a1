//! rolelint: a policy-as-code evaluator and linter for identity-and-access
//! catalogues kept in Git.
//!
//! The pipeline: [`load`] (discover, parse with spans, decode into [`model`]
//! types) → [`graph`] (resolve references, intern ids, compute effective
//! permissions once) → [`rules`] (analysers producing [`Diagnostic`]s) →
//! [`report`] (render to human, JSON, ...). [`commands`] wires them to the CLI.

pub mod commands;
pub mod diagnostic;
pub mod graph;
pub mod load;
pub mod model;
pub mod report;
pub mod rules;
pub mod suggest;

pub use diagnostic::{Diagnostic, ObjectRef, Related, Severity};

/// Resolves a loaded catalogue and runs every enabled rule on it.
pub fn analyse(catalogue: &load::Catalogue, now: model::Date) -> rules::engine::Outcome {
    let graph = graph::Graph::build(catalogue, now);
    rules::engine::run(&graph)
}
