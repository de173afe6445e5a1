//! overlap: roles that duplicate each other, roles that grant nothing, and
//! grants that add nothing.
//!
//! All four rules work on effective permission sets (own permissions plus
//! everything inherited, wildcards expanded, unresolved references
//! contributing nothing). Roles on one inheritance cycle share one effective
//! set (the union over the cycle), so pairs of roles on the same cycle are
//! skipped: that problem is `graph/inheritance-cycle`'s.
//!
//! Pair findings (duplicate and near-duplicate roles) are reported once per
//! pair, on the role whose id sorts first, with the other role as detail,
//! as related location and as partner (a suppression on either role silences
//! the pair). When k roles are alike, every one of the k·(k−1)/2 pairs is
//! reported: each pair is a separate decision (merge, or suppress with a
//! reason), and suppressing one role of the group must not hide the others.

pub mod duplicate_roles;
pub mod empty_role;
pub mod near_duplicate_roles;
pub mod redundant_grant;
pub mod similarity;

use rustc_hash::FxHashMap;

use crate::graph::{Graph, Ix, PermId};

/// The roles with a non-empty effective permission set, grouped by that set.
pub(crate) struct SameSetGroups<'g> {
    /// Each group's effective set (sorted, distinct between groups).
    pub sets: Vec<&'g [PermId]>,
    /// Each group's roles, sorted by id.
    pub roles: Vec<Vec<Ix>>,
}

/// Groups roles by hashing their effective sets: one pass, no comparison of
/// pairs. Groups come in the order of their first role in the catalogue.
pub(crate) fn group_by_effective_set<'g>(graph: &'g Graph) -> SameSetGroups<'g> {
    let mut group_of: FxHashMap<&'g [PermId], usize> = FxHashMap::default();
    let mut groups = SameSetGroups {
        sets: Vec::new(),
        roles: Vec::new(),
    };
    for (role, facts) in graph.role_facts.iter().enumerate() {
        let set: &[PermId] = &facts.effective;
        if set.is_empty() {
            continue;
        }
        let next = groups.sets.len();
        let group = *group_of.entry(set).or_insert(next);
        if group == next {
            groups.sets.push(set);
            groups.roles.push(Vec::new());
        }
        groups.roles[group].push(role as Ix);
    }
    let roles = &graph.catalogue.roles;
    for members in &mut groups.roles {
        members.sort_by(|a, b| {
            roles[*a as usize]
                .id
                .value
                .cmp(&roles[*b as usize].id.value)
        });
    }
    groups
}

/// Whether two roles are on the same inheritance cycle (and so share their
/// effective set by construction).
pub(crate) fn on_same_cycle(graph: &Graph, a: Ix, b: Ix) -> bool {
    let (a, b) = (&graph.role_facts[a as usize], &graph.role_facts[b as usize]);
    a.on_cycle && a.component == b.component
}

/// The pairs of roles of one group of identical effective sets, each as
/// `(role whose id sorts first, the other)`, without pairs on the same
/// inheritance cycle. The work is proportional to the pairs returned: roles
/// of one cycle are kept together and only pairs across clusters are formed.
pub(crate) fn pairs_across_cycles(graph: &Graph, members: &[Ix]) -> Vec<(Ix, Ix)> {
    // Clusters: the roles of one cycle together, every other role alone.
    let mut cluster_of_component: FxHashMap<u32, usize> = FxHashMap::default();
    let mut clusters: Vec<Vec<Ix>> = Vec::new();
    for &role in members {
        let facts = &graph.role_facts[role as usize];
        if facts.on_cycle {
            let next = clusters.len();
            let cluster = *cluster_of_component.entry(facts.component).or_insert(next);
            if cluster == next {
                clusters.push(Vec::new());
            }
            clusters[cluster].push(role);
        } else {
            clusters.push(vec![role]);
        }
    }
    let roles = &graph.catalogue.roles;
    let id = |role: Ix| &roles[role as usize].id.value;
    let mut pairs = Vec::new();
    for (position, cluster) in clusters.iter().enumerate() {
        for other in &clusters[position + 1..] {
            for &a in cluster {
                for &b in other {
                    pairs.push(if id(a) <= id(b) { (a, b) } else { (b, a) });
                }
            }
        }
    }
    pairs.sort_by(|x, y| (id(x.0), id(x.1)).cmp(&(id(y.0), id(y.1))));
    pairs
}

/// How many permissions a message lists before "and N more".
const LISTED_PERMISSIONS: usize = 8;

/// `app:perm` names of some permissions, for messages: at most
/// [`LISTED_PERMISSIONS`], then "and N more".
pub(crate) fn list_permissions(graph: &Graph, permissions: &[PermId]) -> String {
    let mut names: Vec<String> = permissions
        .iter()
        .map(|permission| graph.permissions.display(graph.catalogue, *permission))
        .collect();
    names.sort();
    names.truncate(LISTED_PERMISSIONS);
    let mut text = names.join(", ");
    if permissions.len() > LISTED_PERMISSIONS {
        text.push_str(&format!(
            " and {} more",
            permissions.len() - LISTED_PERMISSIONS
        ));
    }
    text
}

/// `1 permission`, `3 permissions`.
pub(crate) fn count_permissions(count: usize) -> String {
    if count == 1 {
        "1 permission".to_owned()
    } else {
        format!("{count} permissions")
    }
}

/// Loads a one-file catalogue and runs one rule on it at `now`, for the unit tests.
#[cfg(test)]
pub(crate) fn check_example(
    rule: &dyn crate::rules::Rule,
    yaml: &str,
    now: &str,
) -> Vec<crate::Diagnostic> {
    check_example_with_config(rule, yaml, None, now)
}

/// [`check_example`] with a `rolelint.yaml`.
#[cfg(test)]
pub(crate) fn check_example_with_config(
    rule: &dyn crate::rules::Rule,
    yaml: &str,
    config: Option<&str>,
    now: &str,
) -> Vec<crate::Diagnostic> {
    let options = crate::load::LoadOptions {
        rule_codes: crate::rules::codes(),
        ..Default::default()
    };
    let catalogue = crate::load::load_memory(&[("catalogue.yaml", yaml)], config, &options)
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

/// `(object id, detail)` of each finding, sorted, for the unit tests.
#[cfg(test)]
pub(crate) fn objects_and_details(findings: &[crate::Diagnostic]) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = findings
        .iter()
        .map(|finding| {
            (
                finding
                    .object
                    .as_ref()
                    .map_or(String::new(), |object| object.id.to_string()),
                finding.detail.clone().unwrap_or_default(),
            )
        })
        .collect();
    pairs.sort();
    pairs
}
