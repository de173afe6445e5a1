//! ownership: every object has an accountable owner, and accountability ends
//! at an active human or an accountable team.
//!
//! These findings name no `detail`: an object has one owner, so the object
//! alone identifies the finding (RULES.md reserves `detail` for sub-items such
//! as a grant or a step). The owner as written is in the message, and the
//! finding points at the `owner` value (or, when it is missing, at the `id`).

pub mod missing_owner;
pub mod non_human_owner;
pub mod orphaned_owner;

use crate::graph::Graph;
use crate::model::{CatalogueObject, Id, Kind, Principal, Spanned};

/// An object's `owner`, with the object it is on.
pub(crate) struct Owned<'c> {
    pub kind: Kind,
    pub id: &'c Id,
    pub owner: &'c Spanned<Principal>,
}

/// Every written `owner`, of every kind (human identities included), in
/// catalogue order.
pub(crate) fn owners<'c>(graph: &Graph<'c>) -> impl Iterator<Item = Owned<'c>> + use<'c> {
    fn of<T: CatalogueObject>(objects: &[T]) -> impl Iterator<Item = Owned<'_>> {
        objects.iter().filter_map(|object| {
            Some(Owned {
                kind: T::KIND,
                id: &object.id().value,
                owner: object.owner()?,
            })
        })
    }
    let catalogue = graph.catalogue;
    of(&catalogue.applications)
        .chain(of(&catalogue.roles))
        .chain(of(&catalogue.identities))
        .chain(of(&catalogue.teams))
        .chain(of(&catalogue.playbooks))
        .chain(of(&catalogue.sod_rules))
}

/// Loads a one-file catalogue and runs one rule on it at `now`, for the unit tests.
#[cfg(test)]
pub(crate) fn check_example(
    rule: &dyn crate::rules::Rule,
    yaml: &str,
    now: &str,
) -> Vec<crate::Diagnostic> {
    let options = crate::load::LoadOptions {
        rule_codes: crate::rules::codes(),
        ..Default::default()
    };
    let catalogue = crate::load::load_memory(&[("catalogue.yaml", yaml)], None, &options)
        .unwrap_or_else(|error| panic!("example does not load: {error}"));
    assert!(
        catalogue.findings.is_empty(),
        "example has schema problems: {:#?}",
        catalogue.findings
    );
    let now = crate::model::Date::parse(now).unwrap_or_else(|e| panic!("{e}"));
    let graph = Graph::build(&catalogue, now);
    let mut out = Vec::new();
    rule.check(&graph, &mut out);
    out
}
