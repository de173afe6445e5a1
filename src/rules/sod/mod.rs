//! sod: separation of duties.
//!
//! A SodRule's side lists permission references (`app:perm`, `app:*`) and
//! roles (`role:<id>`). A holder, a single role or an identity, *touches* a
//! side when one of its effective permissions is one the side names (for
//! `app:*`: any permission of the app), or when it holds a role the side
//! names: for a role, itself and every role it inherits; for an identity,
//! the roles of its active grants and everything they inherit. Items that
//! do not resolve touch nothing (they are `graph/unknown-reference`).
//!
//! The SodRules are resolved once into permission ranges and role indices;
//! each role or identity is then tested against every rule by binary search
//! in its sorted sets, so the cost is linear in roles and identities. The
//! explanation of a conflict (which grant and inheritance path brings each
//! side in) is only computed for holders that conflict.

pub mod identity_conflict;
pub mod toxic_role;

use std::collections::VecDeque;
use std::ops::Range;

use rustc_hash::FxHashMap;

use crate::diagnostic::Diagnostic;
use crate::graph::{Graph, Ix, PermId, Resolved};
use crate::model::{SodItem, SodRule, Span, Spanned};

/// What one item of a side stands for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum ItemTarget {
    /// One permission, or a whole application for `app:*`.
    Permissions(Range<PermId>),
    Role(Ix),
}

/// One resolved item of a side, with the item as written.
#[derive(Debug)]
pub(crate) struct SideItem<'c> {
    pub written: &'c Spanned<SodItem>,
    pub target: ItemTarget,
}

/// A SodRule with its items resolved; unresolved items are left out.
#[derive(Debug)]
pub(crate) struct ResolvedSodRule<'c> {
    pub rule: &'c SodRule,
    pub sides: Vec<Vec<SideItem<'c>>>,
}

/// What a holder has that an item names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Matched {
    Permission(PermId),
    Role(Ix),
}

/// A side a holder touches: the first item of it (in written order) the
/// holder has, and what matched.
#[derive(Debug)]
pub(crate) struct Touch<'r, 'c> {
    /// 0-based index of the side.
    pub side: usize,
    pub item: &'r SideItem<'c>,
    pub matched: Matched,
}

/// Resolves every SodRule's items.
pub(crate) fn resolve_sod_rules<'c>(graph: &Graph<'c>) -> Vec<ResolvedSodRule<'c>> {
    graph
        .catalogue
        .sod_rules
        .iter()
        .map(|rule| ResolvedSodRule {
            rule,
            sides: rule
                .sides
                .iter()
                .map(|side| {
                    side.iter()
                        .filter_map(|written| {
                            let target = match &written.value {
                                SodItem::Role(role) => {
                                    ItemTarget::Role(graph.roles.get(role.as_str())?)
                                }
                                SodItem::Permission(permission) => {
                                    match graph.permissions.resolve(&graph.applications, permission)
                                    {
                                        Resolved::Permissions(range) if !range.is_empty() => {
                                            ItemTarget::Permissions(range)
                                        }
                                        _ => return None,
                                    }
                                }
                            };
                            Some(SideItem { written, target })
                        })
                        .collect()
                })
                .collect(),
        })
        .collect()
}

/// The first permission of sorted set `held` inside `range`.
pub(crate) fn first_in_range(held: &[PermId], range: &Range<PermId>) -> Option<PermId> {
    let index = held.partition_point(|permission| *permission < range.start);
    held.get(index)
        .copied()
        .filter(|permission| *permission < range.end)
}

/// The first item of `side` the holder has.
fn touch_of<'r, 'c>(
    side: &'r [SideItem<'c>],
    effective: &[PermId],
    holds_role: &dyn Fn(Ix) -> bool,
) -> Option<(&'r SideItem<'c>, Matched)> {
    side.iter().find_map(|item| {
        let matched = match &item.target {
            ItemTarget::Permissions(range) => {
                Matched::Permission(first_in_range(effective, range)?)
            }
            ItemTarget::Role(role) => holds_role(*role).then_some(Matched::Role(*role))?,
        };
        Some((item, matched))
    })
}

/// A side of a SodRule: (index of the rule, index of the side).
pub(crate) type SideRef = (u32, u32);

/// The sides each role touches on its own, through its effective
/// permissions or by being (or inheriting) a role a side names, by role
/// index; each list sorted. An identity's effective permissions and held
/// roles are the unions of those of its active grants, and a side is
/// touched when any one item matches, so the sides an identity touches are
/// the union of its grants' sides: one lookup per grant instead of testing
/// every rule against every identity.
pub(crate) fn sides_touched_by_roles(
    graph: &Graph,
    rules: &[ResolvedSodRule],
) -> Vec<Vec<SideRef>> {
    (0..graph.role_facts.len())
        .map(|role| {
            let role = role as Ix;
            let effective = &graph.role_facts[role as usize].effective;
            let holds_role = |wanted: Ix| role_holds(graph, role, wanted);
            sides_touched(rules, effective, &holds_role)
        })
        .collect()
}

/// The sides of `rules` that a holder of the sorted permissions `effective`
/// (and of the roles `holds_role` accepts) touches, sorted.
pub(crate) fn sides_touched(
    rules: &[ResolvedSodRule],
    effective: &[PermId],
    holds_role: &dyn Fn(Ix) -> bool,
) -> Vec<SideRef> {
    let mut touched = Vec::new();
    for (rule_index, rule) in rules.iter().enumerate() {
        for (side_index, side) in rule.sides.iter().enumerate() {
            if touch_of(side, effective, holds_role).is_some() {
                touched.push((rule_index as u32, side_index as u32));
            }
        }
    }
    touched
}

/// The rules of which `touched` (sorted, duplicates allowed) holds at least
/// two distinct sides, in order.
pub(crate) fn rules_with_two_sides(touched: &[SideRef], into: &mut Vec<u32>) {
    into.clear();
    let mut previous: Option<SideRef> = None;
    for &(rule, side) in touched {
        if let Some((previous_rule, previous_side)) = previous
            && previous_rule == rule
            && previous_side != side
            && into.last() != Some(&rule)
        {
            into.push(rule);
        }
        previous = Some((rule, side));
    }
}

/// The sides of `rule` a holder touches, when they are at least two; `None`
/// otherwise. `effective` is sorted; `holds_role` says whether the holder
/// holds a role.
pub(crate) fn conflict<'r, 'c>(
    rule: &'r ResolvedSodRule<'c>,
    effective: &[PermId],
    holds_role: &dyn Fn(Ix) -> bool,
) -> Option<Vec<Touch<'r, 'c>>> {
    // Count first, without allocating: almost every holder conflicts with nothing.
    let touched = rule
        .sides
        .iter()
        .filter(|side| touch_of(side, effective, holds_role).is_some())
        .take(2)
        .count();
    if touched < 2 {
        return None;
    }
    Some(
        rule.sides
            .iter()
            .enumerate()
            .filter_map(|(side, items)| {
                let (item, matched) = touch_of(items, effective, holds_role)?;
                Some(Touch {
                    side,
                    item,
                    matched,
                })
            })
            .collect(),
    )
}

/// Whether role `role` (with what it inherits) holds role `wanted`.
pub(crate) fn role_holds(graph: &Graph, role: Ix, wanted: Ix) -> bool {
    role == wanted
        || graph.role_facts[role as usize]
            .ancestors
            .binary_search(&wanted)
            .is_ok()
}

/// A shortest inheritance path from `from` to a role that brings `matched`
/// in: one whose own permissions include the permission, or the role itself.
/// Starts with `from`; just `[from]` when `from` brings it in itself.
pub(crate) fn inheritance_path(graph: &Graph, from: Ix, matched: Matched) -> Vec<Ix> {
    let brings = |role: Ix| match matched {
        Matched::Permission(permission) => graph.role_facts[role as usize]
            .direct
            .binary_search(&permission)
            .is_ok(),
        Matched::Role(wanted) => role == wanted,
    };
    let mut previous: FxHashMap<Ix, Ix> = FxHashMap::default();
    let mut queue = VecDeque::from([from]);
    previous.insert(from, from);
    while let Some(role) = queue.pop_front() {
        if brings(role) {
            let mut path = vec![role];
            let mut current = role;
            while current != from {
                let Some(&before) = previous.get(&current) else {
                    break;
                };
                current = before;
                path.push(current);
            }
            path.reverse();
            return path;
        }
        for &parent in &graph.role_facts[role as usize].parents {
            if let std::collections::hash_map::Entry::Vacant(entry) = previous.entry(parent) {
                entry.insert(role);
                queue.push_back(parent);
            }
        }
    }
    vec![from]
}

/// `payments-operator`, or `payments-operator`, which inherits `payments-viewer`.
pub(crate) fn inherits_phrase(graph: &Graph, roles: &[Ix]) -> String {
    roles
        .iter()
        .map(|role| format!("`{}`", graph.catalogue.roles[*role as usize].id.value))
        .collect::<Vec<_>>()
        .join(", which inherits ")
}

/// The matched item, for messages, with a note when a wildcard matched it:
/// (`stripe:payouts.create`, None), (`aws-prod:iam.admin`, "matches `aws-prod:*`"),
/// or (`role:auditor`, None).
pub(crate) fn matched_item(graph: &Graph, touch: &Touch) -> (String, Option<String>) {
    let written = touch.item.written.value.to_string();
    match touch.matched {
        Matched::Permission(permission) => {
            let shown = graph.permissions.display(graph.catalogue, permission);
            if written == shown {
                (format!("`{shown}`"), None)
            } else {
                (format!("`{shown}`"), Some(format!("matches `{written}`")))
            }
        }
        Matched::Role(_) => (format!("`{written}`"), None),
    }
}

/// Related locations that walk an inheritance path: each `inherits` entry,
/// then the permission entry of the last role that grants the permission.
pub(crate) fn path_related(
    graph: &Graph,
    path: &[Ix],
    matched: Matched,
    mut finding: Diagnostic,
) -> Diagnostic {
    let roles = &graph.catalogue.roles;
    for pair in path.windows(2) {
        let (from, to) = (&roles[pair[0] as usize], &roles[pair[1] as usize]);
        let span = from
            .inherits
            .iter()
            .find(|entry| entry.value == to.id.value)
            .map_or(from.id.span, |entry| entry.span);
        finding = finding.related(
            span,
            format!("`{}` inherits `{}`", from.id.value, to.id.value),
        );
    }
    if let (Matched::Permission(permission), Some(&last)) = (matched, path.last()) {
        let role = &roles[last as usize];
        if let Some((entry, span)) = permission_entry(graph, last, permission) {
            let shown = graph.permissions.display(graph.catalogue, permission);
            let message = if entry == shown {
                format!("`{}` grants `{shown}`", role.id.value)
            } else {
                format!(
                    "`{}` grants `{entry}`, which includes `{shown}`",
                    role.id.value
                )
            };
            finding = finding.related(span, message);
        }
    }
    finding
}

/// The first entry of a role's `permissions` that resolves to include `permission`.
fn permission_entry(graph: &Graph, role: Ix, permission: PermId) -> Option<(String, Span)> {
    graph.catalogue.roles[role as usize]
        .permissions
        .iter()
        .find(|entry| {
            matches!(
                graph.permissions.resolve(&graph.applications, &entry.value),
                Resolved::Permissions(range) if range.contains(&permission)
            )
        })
        .map(|entry| (entry.value.to_string(), entry.span))
}

/// The related location of the SodRule item a side was touched through.
pub(crate) fn item_related(rule: &SodRule, touch: &Touch, finding: Diagnostic) -> Diagnostic {
    finding.related(
        touch.item.written.span,
        format!(
            "side {} of `{}` names `{}`",
            touch.side + 1,
            rule.id.value,
            touch.item.written.value
        ),
    )
}

/// Loads a one-file catalogue and runs one rule on it, for the unit tests.
#[cfg(test)]
pub(crate) fn check_example(rule: &dyn crate::rules::Rule, yaml: &str) -> Vec<Diagnostic> {
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
    let now = crate::model::Date::parse("2026-11-26").unwrap_or_else(|e| panic!("{e}"));
    let graph = Graph::build(&catalogue, now);
    let mut out = Vec::new();
    rule.check(&graph, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_match_sorted_sets() {
        assert_eq!(first_in_range(&[1, 4, 9], &(2..5)), Some(4));
        assert_eq!(first_in_range(&[1, 4, 9], &(5..9)), None);
        assert_eq!(first_in_range(&[1, 4, 9], &(9..10)), Some(9));
        assert_eq!(first_in_range(&[], &(0..10)), None);
    }
}
