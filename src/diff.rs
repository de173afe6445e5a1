//! Comparing two analysed catalogues, a base and a head (`rolelint diff`):
//! the findings introduced and resolved, and every change of effective
//! access, each with the path that grants it.
//!
//! Everything is compared by the ids users write (role and identity ids,
//! `app:perm`), never by interned indices, which differ between catalogues.
//! Effective sets are compared per id with sorted merges; access paths are
//! computed only for the (subject, permission) pairs that changed, on the
//! side where the permission is held.

use std::collections::{HashMap, VecDeque};

use rayon::prelude::*;

use crate::diagnostic::{Diagnostic, ObjectRef, Severity};
use crate::graph::{AccessPath, Graph, Ix, PermId, RolePath};
use crate::load::SourceMap;
use crate::model::{GrantTarget, Span};

/// One analysed catalogue.
#[derive(Clone, Copy)]
pub struct Side<'a> {
    pub graph: &'a Graph<'a>,
    /// Its findings after configuration and suppressions, sorted.
    pub findings: &'a [Diagnostic],
}

impl<'a> Side<'a> {
    pub fn sources(&self) -> &'a SourceMap {
        &self.graph.catalogue.sources
    }
}

/// Everything that changed from the base to the head.
pub struct CatalogueDiff<'a> {
    pub findings: FindingsDiff<'a>,
    pub access: AccessDiff,
}

/// Compares two analysed catalogues.
pub fn diff<'a>(base: Side<'a>, head: Side<'a>) -> CatalogueDiff<'a> {
    CatalogueDiff {
        findings: diff_findings(base, head),
        access: diff_access(base.graph, head.graph),
    }
}

/// Which catalogue a side is.
#[derive(Clone, Copy, Debug)]
pub struct SideLabel<'a> {
    /// The revision as given; `None` for the work tree.
    pub revision: Option<&'a str>,
    /// The full id of the commit (or tree) the revision resolved to.
    pub object: Option<&'a str>,
}

impl SideLabel<'_> {
    /// `main (1a2b3c4d)` or `work tree`, unescaped.
    pub fn describe(&self) -> String {
        match (self.revision, self.object) {
            (Some(revision), Some(object)) => {
                format!("{revision} ({})", object.get(..8).unwrap_or(object))
            }
            (Some(revision), None) => revision.to_owned(),
            (None, _) => "work tree".to_owned(),
        }
    }
}

/// A comparison, ready to render.
pub struct DiffReport<'a> {
    pub base: SideLabel<'a>,
    pub head: SideLabel<'a>,
    pub base_sources: &'a SourceMap,
    pub head_sources: &'a SourceMap,
    pub now: crate::model::Date,
    pub diff: &'a CatalogueDiff<'a>,
}

// ---------------------------------------------------------------- findings

/// Findings matched between the two sides by rule, object and detail (not
/// by line, which moves with every edit), counting multiplicity.
#[derive(Debug, Default)]
pub struct FindingsDiff<'a> {
    /// Head findings without a counterpart in the base, in the head's order.
    pub introduced: Vec<&'a Diagnostic>,
    /// Base findings without a counterpart in the head, in the base's order.
    pub resolved: Vec<&'a Diagnostic>,
}

/// Findings per severity.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SeverityCounts {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

impl SeverityCounts {
    pub fn of(findings: &[&Diagnostic]) -> Self {
        let mut counts = SeverityCounts::default();
        for finding in findings {
            match finding.severity {
                Severity::Error => counts.errors += 1,
                Severity::Warning => counts.warnings += 1,
                Severity::Info => counts.infos += 1,
            }
        }
        counts
    }
}

/// What makes two findings the same finding on both sides.
#[derive(Debug, PartialEq, Eq, Hash)]
struct FindingKey<'a> {
    rule: &'static str,
    object: Option<&'a ObjectRef>,
    detail: Option<&'a str>,
    /// Only for findings on no object (about a file as a whole): the file,
    /// or two different broken files would stand for each other.
    file: Option<&'a str>,
}

fn finding_key<'a>(finding: &'a Diagnostic, sources: &'a SourceMap) -> FindingKey<'a> {
    FindingKey {
        rule: finding.rule,
        object: finding.object.as_ref(),
        detail: finding.detail.as_deref(),
        file: match (&finding.object, finding.span) {
            (None, Some(span)) => Some(sources.path(span.file)),
            _ => None,
        },
    }
}

/// Matches findings first by key and message, then by key alone, so that of
/// several findings with one key the ones whose text changed are reported.
pub fn diff_findings<'a>(base: Side<'a>, head: Side<'a>) -> FindingsDiff<'a> {
    let (base_sources, head_sources) = (base.sources(), head.sources());
    let mut base_open = vec![true; base.findings.len()];

    let mut by_message: HashMap<(FindingKey, &str), VecDeque<usize>> = HashMap::new();
    for (index, finding) in base.findings.iter().enumerate() {
        by_message
            .entry((finding_key(finding, base_sources), finding.message.as_str()))
            .or_default()
            .push_back(index);
    }
    let mut head_open = Vec::new();
    for (index, finding) in head.findings.iter().enumerate() {
        let key = (finding_key(finding, head_sources), finding.message.as_str());
        match by_message.get_mut(&key).and_then(VecDeque::pop_front) {
            Some(matched) => base_open[matched] = false,
            None => head_open.push(index),
        }
    }

    let mut by_key: HashMap<FindingKey, VecDeque<usize>> = HashMap::new();
    for (index, finding) in base.findings.iter().enumerate() {
        if base_open[index] {
            by_key
                .entry(finding_key(finding, base_sources))
                .or_default()
                .push_back(index);
        }
    }
    let mut introduced = Vec::new();
    for index in head_open {
        let finding = &head.findings[index];
        match by_key
            .get_mut(&finding_key(finding, head_sources))
            .and_then(VecDeque::pop_front)
        {
            Some(matched) => base_open[matched] = false,
            None => introduced.push(finding),
        }
    }
    let resolved = base
        .findings
        .iter()
        .zip(&base_open)
        .filter_map(|(finding, open)| open.then_some(finding))
        .collect();
    FindingsDiff {
        introduced,
        resolved,
    }
}

// ------------------------------------------------------------------ access

/// A place in a catalogue file (of the side the route belongs to).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Location {
    pub path: String,
    pub line: u32,
    pub column: u32,
}

impl Location {
    fn of(sources: &SourceMap, span: Span) -> Location {
        Location {
            path: sources.path(span.file).to_owned(),
            line: span.line,
            column: span.column,
        }
    }
}

/// What an identity's grant names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GrantKind {
    Role,
    Permission,
}

/// The grant an identity's route starts with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GrantStep {
    pub kind: GrantKind,
    /// The role id or permission reference, as written.
    pub target: String,
    /// Where the grant's `role:` or `permission:` value is.
    pub at: Location,
}

/// One way a subject holds a permission: grant → role → inherited role → … →
/// the entry that lists the permission.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Route {
    /// For identities: the (active) grant. `None` for roles.
    pub grant: Option<GrantStep>,
    /// The granted role (for a role: the role itself), then each inherited
    /// role down to the one that lists the permission; empty for a direct
    /// permission grant.
    pub roles: Vec<String>,
    /// The entry that brings the permission in, as written (`stripe:*` for
    /// a wildcard; the grant's permission for a direct grant).
    pub listed_as: String,
    pub listed_at: Location,
}

impl Route {
    /// `grant payments-operator → payments-approver → stripe:payouts.approve`,
    /// `direct grant → stripe:refunds.write`, or for a role
    /// `payments-operator → payments-approver → stripe:*`; unescaped.
    pub fn describe(&self) -> String {
        let mut parts: Vec<String> = Vec::with_capacity(self.roles.len() + 1);
        match &self.grant {
            Some(GrantStep {
                kind: GrantKind::Permission,
                ..
            }) => parts.push("direct grant".to_owned()),
            Some(GrantStep {
                kind: GrantKind::Role,
                target,
                ..
            }) => {
                parts.push(format!("grant {target}"));
                parts.extend(self.roles.iter().skip(1).cloned());
            }
            None => parts.extend(self.roles.iter().cloned()),
        }
        parts.push(self.listed_as.clone());
        parts.join(" → ")
    }
}

/// A permission a subject gained or lost.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PermissionChange {
    /// `app:perm`.
    pub permission: String,
    /// Marked `privileged: true` by its application (on the side that holds it).
    pub privileged: bool,
    /// How it is held: in the head for a gain, in the base for a loss.
    /// Shortest first per grant, at most [`crate::graph::MAX_PATHS`] per grant.
    pub routes: Vec<Route>,
}

/// A role or identity whose effective permissions changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SubjectChange {
    pub id: String,
    pub presence: Presence,
    /// Sorted by permission.
    pub gained: Vec<PermissionChange>,
    /// Sorted by permission.
    pub lost: Vec<PermissionChange>,
}

/// On which sides a subject exists.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Presence {
    Both,
    /// New in the head: everything it holds is gained.
    Added,
    /// Gone from the head: everything it held is lost.
    Removed,
}

/// Every change of effective access, by subject id.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AccessDiff {
    /// Sorted by id.
    pub roles: Vec<SubjectChange>,
    /// Sorted by id.
    pub identities: Vec<SubjectChange>,
}

/// Gained or lost.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Direction {
    Gained,
    Lost,
}

/// Who gained (or lost) one permission: the blast radius of a change.
#[derive(Debug)]
pub struct PermissionImpact<'d> {
    pub permission: &'d str,
    pub direction: Direction,
    pub privileged: bool,
    /// Sorted by id.
    pub roles: Vec<(&'d SubjectChange, &'d PermissionChange)>,
    /// Sorted by id.
    pub identities: Vec<(&'d SubjectChange, &'d PermissionChange)>,
}

impl AccessDiff {
    pub fn is_empty(&self) -> bool {
        self.roles.is_empty() && self.identities.is_empty()
    }

    /// The changes grouped by permission and direction: privileged first,
    /// then gains before losses, then by permission.
    pub fn by_permission(&self) -> Vec<PermissionImpact<'_>> {
        let mut groups: HashMap<(&str, Direction), PermissionImpact> = HashMap::new();
        for (subjects, is_role) in [(&self.roles, true), (&self.identities, false)] {
            for subject in subjects {
                for (changes, direction) in [
                    (&subject.gained, Direction::Gained),
                    (&subject.lost, Direction::Lost),
                ] {
                    for change in changes {
                        let group = groups
                            .entry((change.permission.as_str(), direction))
                            .or_insert_with(|| PermissionImpact {
                                permission: &change.permission,
                                direction,
                                privileged: false,
                                roles: Vec::new(),
                                identities: Vec::new(),
                            });
                        group.privileged |= change.privileged;
                        if is_role {
                            group.roles.push((subject, change));
                        } else {
                            group.identities.push((subject, change));
                        }
                    }
                }
            }
        }
        let mut impacts: Vec<PermissionImpact> = groups.into_values().collect();
        impacts.sort_by(|a, b| {
            (!a.privileged, a.direction, a.permission).cmp(&(
                !b.privileged,
                b.direction,
                b.permission,
            ))
        });
        impacts
    }

    /// Identities that gain at least one privileged permission.
    pub fn identities_gaining_privileged(&self) -> usize {
        self.identities
            .iter()
            .filter(|subject| subject.gained.iter().any(|change| change.privileged))
            .count()
    }
}

/// Both sides' permissions in one id space: the `app:perm` texts, sorted,
/// so that unified ids sort like the texts.
struct PermissionSpace {
    names: Vec<String>,
    base_to_unified: Vec<u32>,
    head_to_unified: Vec<u32>,
    unified_to_base: Vec<Option<PermId>>,
    unified_to_head: Vec<Option<PermId>>,
    /// Both sides intern the same permissions in the same order, so their
    /// sets can be compared without translation (the usual case).
    identical: bool,
}

fn permission_names(graph: &Graph) -> Vec<String> {
    (0..graph.permissions.names.len())
        .map(|permission| {
            graph
                .permissions
                .display(graph.catalogue, permission as PermId)
        })
        .collect()
}

impl PermissionSpace {
    fn build(base: &Graph, head: &Graph) -> Self {
        let base_names = permission_names(base);
        let head_names = permission_names(head);
        let identical = base_names == head_names;
        let mut names: Vec<String> = base_names.iter().chain(&head_names).cloned().collect();
        names.sort_unstable();
        names.dedup();
        let to_unified = |side: &[String]| -> Vec<u32> {
            side.iter()
                .map(|name| names.binary_search(name).unwrap_or_default() as u32)
                .collect()
        };
        let base_to_unified = to_unified(&base_names);
        let head_to_unified = to_unified(&head_names);
        let from_unified = |to: &[u32]| {
            let mut from = vec![None; names.len()];
            for (permission, unified) in to.iter().enumerate() {
                from[*unified as usize] = Some(permission as PermId);
            }
            from
        };
        PermissionSpace {
            unified_to_base: from_unified(&base_to_unified),
            unified_to_head: from_unified(&head_to_unified),
            base_to_unified,
            head_to_unified,
            names,
            identical,
        }
    }

    /// The permissions only in `head` and only in `base`, as unified ids, sorted.
    fn changes(&self, base: &[PermId], head: &[PermId]) -> (Vec<u32>, Vec<u32>) {
        if self.identical {
            if base == head {
                return (Vec::new(), Vec::new());
            }
            let (gained, lost) = sorted_differences(head, base);
            let mut gained: Vec<u32> = gained
                .iter()
                .map(|p| self.head_to_unified[*p as usize])
                .collect();
            let mut lost: Vec<u32> = lost
                .iter()
                .map(|p| self.base_to_unified[*p as usize])
                .collect();
            gained.sort_unstable();
            lost.sort_unstable();
            return (gained, lost);
        }
        let translate = |set: &[PermId], to: &[u32]| {
            let mut unified: Vec<u32> = set.iter().map(|p| to[*p as usize]).collect();
            unified.sort_unstable();
            unified
        };
        let base = translate(base, &self.base_to_unified);
        let head = translate(head, &self.head_to_unified);
        sorted_differences(&head, &base)
    }
}

/// `(a − b, b − a)` of two sorted, duplicate-free sets, in one merge.
fn sorted_differences(a: &[u32], b: &[u32]) -> (Vec<u32>, Vec<u32>) {
    let (mut only_a, mut only_b) = (Vec::new(), Vec::new());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => {
                only_a.push(a[i]);
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                only_b.push(b[j]);
                j += 1;
            }
            std::cmp::Ordering::Equal => {
                i += 1;
                j += 1;
            }
        }
    }
    only_a.extend_from_slice(&a[i..]);
    only_b.extend_from_slice(&b[j..]);
    (only_a, only_b)
}

fn sorted_ids<'a>(ids: impl Iterator<Item = &'a str>) -> Vec<(&'a str, Ix)> {
    let mut ids: Vec<(&'a str, Ix)> = ids
        .enumerate()
        .map(|(index, id)| (id, index as Ix))
        .collect();
    ids.sort_unstable_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    ids
}

/// Pairs the objects of two sides by id: `(id, base index, head index)`, sorted by id.
fn pair_by_id<'a>(
    base: impl Iterator<Item = &'a str>,
    head: impl Iterator<Item = &'a str>,
) -> Vec<(&'a str, Option<Ix>, Option<Ix>)> {
    let (base, head) = (sorted_ids(base), sorted_ids(head));
    let mut pairs = Vec::with_capacity(base.len().max(head.len()));
    let (mut i, mut j) = (0, 0);
    while i < base.len() || j < head.len() {
        let order = match (base.get(i), head.get(j)) {
            (Some(a), Some(b)) => a.0.as_bytes().cmp(b.0.as_bytes()),
            (Some(_), None) => std::cmp::Ordering::Less,
            _ => std::cmp::Ordering::Greater,
        };
        match order {
            std::cmp::Ordering::Less => {
                pairs.push((base[i].0, Some(base[i].1), None));
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                pairs.push((head[j].0, None, Some(head[j].1)));
                j += 1;
            }
            std::cmp::Ordering::Equal => {
                pairs.push((base[i].0, Some(base[i].1), Some(head[j].1)));
                i += 1;
                j += 1;
            }
        }
    }
    pairs
}

#[derive(Clone, Copy)]
enum SubjectKind {
    Role,
    Identity,
}

/// Compares the effective permissions of every role and identity.
pub fn diff_access(base: &Graph, head: &Graph) -> AccessDiff {
    let space = PermissionSpace::build(base, head);
    let roles = pair_by_id(
        base.catalogue
            .roles
            .iter()
            .map(|role| role.id.value.as_str()),
        head.catalogue
            .roles
            .iter()
            .map(|role| role.id.value.as_str()),
    );
    let identities = pair_by_id(
        base.catalogue
            .identities
            .iter()
            .map(|identity| identity.id.value.as_str()),
        head.catalogue
            .identities
            .iter()
            .map(|identity| identity.id.value.as_str()),
    );
    let changed = |pairs: &[(&str, Option<Ix>, Option<Ix>)],
                   kind: SubjectKind|
     -> Vec<SubjectChange> {
        pairs
            .par_iter()
            .filter_map(|(id, base_ix, head_ix)| {
                let (gained, lost) = space.changes(
                    effective_of(base, kind, *base_ix),
                    effective_of(head, kind, *head_ix),
                );
                if gained.is_empty() && lost.is_empty() {
                    return None;
                }
                let describe =
                    |graph: &Graph, ix: Option<Ix>, from: &[Option<PermId>], unified: u32| {
                        let permission = from[unified as usize].unwrap_or_default();
                        PermissionChange {
                            permission: space.names[unified as usize].clone(),
                            privileged: graph
                                .permissions
                                .privileged
                                .get(permission as usize)
                                .copied()
                                .unwrap_or(false),
                            routes: match (kind, ix) {
                                (_, None) => Vec::new(),
                                (SubjectKind::Role, Some(ix)) => role_routes(graph, ix, permission),
                                (SubjectKind::Identity, Some(ix)) => {
                                    identity_routes(graph, ix, permission)
                                }
                            },
                        }
                    };
                Some(SubjectChange {
                    id: (*id).to_owned(),
                    presence: match (base_ix, head_ix) {
                        (None, Some(_)) => Presence::Added,
                        (Some(_), None) => Presence::Removed,
                        _ => Presence::Both,
                    },
                    gained: gained
                        .iter()
                        .map(|unified| describe(head, *head_ix, &space.unified_to_head, *unified))
                        .collect(),
                    lost: lost
                        .iter()
                        .map(|unified| describe(base, *base_ix, &space.unified_to_base, *unified))
                        .collect(),
                })
            })
            .collect()
    };
    AccessDiff {
        roles: changed(&roles, SubjectKind::Role),
        identities: changed(&identities, SubjectKind::Identity),
    }
}

fn effective_of<'g>(graph: &'g Graph, kind: SubjectKind, ix: Option<Ix>) -> &'g [PermId] {
    match (kind, ix) {
        (_, None) => &[],
        (SubjectKind::Role, Some(ix)) => &graph.role_facts[ix as usize].effective,
        (SubjectKind::Identity, Some(ix)) => &graph.identity_facts[ix as usize].effective,
    }
}

/// The text of the `permissions:` entry a role path ends at.
fn listed_as(graph: &Graph, path: &RolePath) -> String {
    path.roles
        .last()
        .and_then(|role| {
            graph.catalogue.roles[*role as usize]
                .permissions
                .iter()
                .find(|entry| entry.span == path.entry)
        })
        .map(|entry| entry.value.to_string())
        .unwrap_or_default()
}

fn role_route(graph: &Graph, path: &RolePath, grant: Option<GrantStep>) -> Route {
    Route {
        grant,
        roles: path
            .roles
            .iter()
            .map(|role| graph.catalogue.roles[*role as usize].id.value.to_string())
            .collect(),
        listed_as: listed_as(graph, path),
        listed_at: Location::of(&graph.catalogue.sources, path.entry),
    }
}

fn role_routes(graph: &Graph, role: Ix, permission: PermId) -> Vec<Route> {
    graph
        .role_paths(role, permission)
        .iter()
        .map(|path| role_route(graph, path, None))
        .collect()
}

fn identity_routes(graph: &Graph, identity: Ix, permission: PermId) -> Vec<Route> {
    let grants = &graph.catalogue.identities[identity as usize].grants;
    let sources = &graph.catalogue.sources;
    graph
        .access_paths(identity, permission, false)
        .iter()
        .filter_map(
            |AccessPath {
                 grant, role_path, ..
             }| {
                let grant = grants.get(*grant)?;
                let step = GrantStep {
                    kind: match grant.target() {
                        Some(GrantTarget::Permission(_)) => GrantKind::Permission,
                        _ => GrantKind::Role,
                    },
                    target: grant.target_text(),
                    at: Location::of(sources, grant.target_span()),
                };
                Some(match role_path {
                    Some(path) => role_route(graph, path, Some(step)),
                    None => Route {
                        grant: Some(step.clone()),
                        roles: Vec::new(),
                        listed_as: step.target,
                        listed_at: step.at,
                    },
                })
            },
        )
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::{Catalogue, LoadOptions, load_memory};
    use crate::model::Date;

    fn catalogue(files: &[(&str, &str)]) -> Catalogue {
        load_memory(files, None, &LoadOptions::default()).unwrap()
    }

    #[test]
    fn findings_on_no_object_are_matched_by_file() {
        // The same syntax error in two files; the head fixes a.yaml only.
        let broken = "apiVersion: rolelint/v1\nkind: [Role\n";
        let fixed = "# fixed\n";
        let base = catalogue(&[("a.yaml", broken), ("b.yaml", broken)]);
        let head = catalogue(&[("a.yaml", fixed), ("b.yaml", broken)]);
        let now = Date::parse("2026-11-26").unwrap();
        let (base_graph, head_graph) = (Graph::build(&base, now), Graph::build(&head, now));
        let (base_outcome, head_outcome) = (
            crate::rules::engine::run(&base_graph),
            crate::rules::engine::run(&head_graph),
        );
        assert_eq!(base_outcome.findings.len(), 2);
        assert!(
            base_outcome
                .findings
                .iter()
                .all(|finding| finding.object.is_none())
        );
        let findings = diff_findings(
            Side {
                graph: &base_graph,
                findings: &base_outcome.findings,
            },
            Side {
                graph: &head_graph,
                findings: &head_outcome.findings,
            },
        );
        assert!(findings.introduced.is_empty());
        let resolved: Vec<&str> = findings
            .resolved
            .iter()
            .map(|finding| base.sources.path(finding.span.unwrap().file))
            .collect();
        assert_eq!(resolved, ["a.yaml"]);
    }

    #[test]
    fn differences_of_sorted_sets() {
        assert_eq!(
            sorted_differences(&[1, 3, 5, 7], &[2, 3, 7, 9]),
            (vec![1, 5], vec![2, 9])
        );
        assert_eq!(sorted_differences(&[], &[4]), (vec![], vec![4]));
        assert_eq!(sorted_differences(&[4], &[4]), (vec![], vec![]));
    }

    #[test]
    fn ids_are_paired_by_text_not_position() {
        let pairs = pair_by_id(["b", "a", "c"].into_iter(), ["c", "d", "a"].into_iter());
        assert_eq!(
            pairs,
            vec![
                ("a", Some(1), Some(2)),
                ("b", Some(0), None),
                ("c", Some(2), Some(0)),
                ("d", None, Some(1)),
            ]
        );
    }
}
