//! privilege: privileged roles, who holds them, and access that escapes the
//! role model (wildcards, direct grants, access left behind by a move, access
//! no peer has).
//!
//! The helpers below are shared by several rules of the category: why a role
//! is privileged, the shortest inheritance path to a privileged permission,
//! and the YAML locations of the hops of such a path.

pub mod department_mismatch;
pub mod direct_permission_grant;
pub mod non_human_privileged;
pub mod peer_outlier;
pub mod privileged_role_without_mfa;
pub mod standing_privileged_access;
pub mod undeclared_privileged_role;
pub mod wildcard_permission;

use std::collections::VecDeque;

use crate::diagnostic::Diagnostic;
use crate::graph::{Graph, Ix, PermId, Resolved};
use crate::model::{Identity, IdentityStatus, IdentityType, PermissionRef, Role, Span, Spanned};

/// Whether the identity is an active human: the population of the rules that
/// say "active human" (department-mismatch, peer-outlier).
pub fn is_active_human(identity: &Identity) -> bool {
    identity.kind.value == IdentityType::Human && identity.status.value == IdentityStatus::Active
}

/// The shortest way each role reaches a privileged permission through
/// `inherits`, found by one breadth-first search from every role that lists a
/// privileged permission itself, along reversed `inherits` edges (linear in
/// roles plus `inherits` entries).
///
/// Among the privileged permissions reached at the shortest distance, the
/// first in permission order (applications in path order, then declaration
/// order) is chosen, and of the parents that reach it, the first in the
/// role's `inherits` list, so the result is deterministic.
pub struct PrivilegePaths {
    /// Number of `inherits` hops to the nearest role that lists a privileged
    /// permission itself; `None` when the role reaches none.
    distance: Vec<Option<u32>>,
    /// The privileged permission reached at that distance.
    permission: Vec<PermId>,
    /// The next role on the path (the role itself when the distance is 0).
    next: Vec<Ix>,
}

/// Where `parent` stands in `role`'s `inherits` list: of two parents that
/// reach the same permission equally fast, the one listed first is named, so
/// the path does not depend on the order of files and documents.
fn parent_rank(graph: &Graph, role: usize, parent: Ix) -> usize {
    graph.role_facts[role]
        .parents
        .iter()
        .position(|candidate| *candidate == parent)
        .unwrap_or(usize::MAX)
}

impl PrivilegePaths {
    pub fn build(graph: &Graph) -> Self {
        let count = graph.role_facts.len();
        let privileged = &graph.permissions.privileged;
        let mut paths = PrivilegePaths {
            distance: vec![None; count],
            permission: vec![0; count],
            next: (0..count as Ix).collect(),
        };
        // Who inherits each role: the reversed `inherits` edges.
        let mut heirs: Vec<Vec<Ix>> = vec![Vec::new(); count];
        for (role, facts) in graph.role_facts.iter().enumerate() {
            for &parent in &facts.parents {
                heirs[parent as usize].push(role as Ix);
            }
        }
        let mut queue = VecDeque::new();
        for (role, facts) in graph.role_facts.iter().enumerate() {
            // `direct` is sorted, so the first privileged one is the smallest.
            if let Some(&own) = facts
                .direct
                .iter()
                .find(|permission| privileged[**permission as usize])
            {
                paths.distance[role] = Some(0);
                paths.permission[role] = own;
                queue.push_back(role as Ix);
            }
        }
        // Every role of one distance leaves the queue before any role of the
        // next, so a role's permission is final before it is propagated.
        while let Some(role) = queue.pop_front() {
            let Some(distance) = paths.distance[role as usize] else {
                continue;
            };
            let permission = paths.permission[role as usize];
            for &heir in &heirs[role as usize] {
                let heir = heir as usize;
                match paths.distance[heir] {
                    None => {
                        paths.distance[heir] = Some(distance + 1);
                        paths.permission[heir] = permission;
                        paths.next[heir] = role;
                        queue.push_back(heir as Ix);
                    }
                    Some(found)
                        if found == distance + 1
                            && (permission, parent_rank(graph, heir, role))
                                < (
                                    paths.permission[heir],
                                    parent_rank(graph, heir, paths.next[heir]),
                                ) =>
                    {
                        paths.permission[heir] = permission;
                        paths.next[heir] = role;
                    }
                    Some(_) => {}
                }
            }
        }
        paths
    }

    /// The privileged permission `role` reaches, and the roles of the path to
    /// it: `role` itself first, the role that lists the permission last.
    pub fn path(&self, role: Ix) -> Option<(PermId, Vec<Ix>)> {
        let distance = self.distance.get(role as usize).copied().flatten()?;
        let mut roles = Vec::with_capacity(distance as usize + 1);
        let mut current = role;
        roles.push(current);
        for _ in 0..distance {
            current = self.next[current as usize];
            roles.push(current);
        }
        Some((self.permission[role as usize], roles))
    }
}

/// The `inherits` entry of `role` that names `parent` (or the role's id).
pub fn inherits_entry(role: &Role, parent: &Role) -> Span {
    role.inherits
        .iter()
        .find(|entry| entry.value == parent.id.value)
        .map_or(role.id.span, |entry| entry.span)
}

/// The entry of `role`'s own `permissions:` that brings `permission` in: the
/// permission itself or a wildcard of its application.
pub fn granting_entry<'c>(
    graph: &Graph,
    role: &'c Role,
    permission: PermId,
) -> Option<&'c Spanned<PermissionRef>> {
    role.permissions.iter().find(|entry| {
        matches!(
            graph.permissions.resolve(&graph.applications, &entry.value),
            Resolved::Permissions(range) if range.contains(&permission)
        )
    })
}

/// The `id` of the application's declaration of `permission`.
pub fn declaration(graph: &Graph, permission: PermId) -> Option<Span> {
    let (application, name) = *graph.permissions.names.get(permission as usize)?;
    graph
        .catalogue
        .applications
        .get(application as usize)?
        .permissions
        .iter()
        .find(|declared| declared.id.as_str() == name)
        .map(|declared| declared.id.span)
}

/// Adds the hops of a privilege path as related locations: each `inherits`
/// entry, the `permissions:` entry of the last role, and the application's
/// declaration of the permission (the steps of a code flow).
pub fn with_path(
    mut finding: Diagnostic,
    graph: &Graph,
    permission: PermId,
    path: &[Ix],
) -> Diagnostic {
    let roles = &graph.catalogue.roles;
    for hop in path.windows(2) {
        let (from, to) = (&roles[hop[0] as usize], &roles[hop[1] as usize]);
        finding = finding.related(
            inherits_entry(from, to),
            format!("`{}` inherits `{}`", from.id.value, to.id.value),
        );
    }
    let shown = graph.permissions.display(graph.catalogue, permission);
    if let Some(&last) = path.last() {
        let last = &roles[last as usize];
        if let Some(entry) = granting_entry(graph, last, permission) {
            let message = if entry.value.is_wildcard() {
                format!(
                    "`{}` grants `{shown}` through `{}`",
                    last.id.value, entry.value
                )
            } else {
                format!("`{}` grants `{shown}`", last.id.value)
            };
            finding = finding.related(entry.span, message);
        }
    }
    if let Some(span) = declaration(graph, permission) {
        finding = finding.related(span, format!("`{shown}` is declared `privileged: true`"));
    }
    finding
}

/// Why a privileged role is privileged, for messages about its grants:
/// its declaration, or the first privileged permission it reaches.
pub fn privilege_reason(graph: &Graph, role: Ix) -> String {
    let definition = &graph.catalogue.roles[role as usize];
    if definition.privileged.value {
        return "declared `privileged: true`".to_owned();
    }
    let privileged = &graph.permissions.privileged;
    match graph.role_facts[role as usize]
        .effective
        .iter()
        .find(|permission| privileged[**permission as usize])
    {
        Some(&permission) => format!(
            "it reaches `{}`, which its application marks privileged",
            graph.permissions.display(graph.catalogue, permission)
        ),
        None => "privileged".to_owned(),
    }
}

/// Where a role's privilege shows: its `privileged: true` value when
/// declared, else its id.
pub fn privilege_span(role: &Role) -> Span {
    if role.privileged.value {
        role.privileged.span
    } else {
        role.id.span
    }
}

#[cfg(test)]
pub(crate) mod testing {
    //! Loading small catalogues for the unit tests of this category.

    use crate::diagnostic::Diagnostic;
    use crate::graph::Graph;
    use crate::load::{Catalogue, LoadOptions, load_memory};
    use crate::model::Date;
    use crate::rules::Rule;

    pub fn catalogue(files: &[(&str, &str)], config: Option<&str>) -> Catalogue {
        let options = LoadOptions {
            rule_codes: crate::rules::codes(),
            ..LoadOptions::default()
        };
        load_memory(files, config, &options).unwrap_or_else(|error| panic!("{error}"))
    }

    /// Runs one rule (without the engine) over a one-file catalogue at 2026-11-26.
    pub fn run(rule: &dyn Rule, yaml: &str, config: Option<&str>) -> Vec<Diagnostic> {
        let catalogue = catalogue(&[("catalogue.yaml", yaml)], config);
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

    /// `(object id, detail, line)` of each finding, sorted.
    pub fn summary(findings: &[Diagnostic]) -> Vec<(String, String, u32)> {
        let mut lines: Vec<_> = findings
            .iter()
            .map(|finding| {
                (
                    finding
                        .object
                        .as_ref()
                        .map_or(String::new(), |o| o.id.to_string()),
                    finding.detail.clone().unwrap_or_default(),
                    finding.span.map_or(0, |span| span.line),
                )
            })
            .collect();
        lines.sort();
        lines
    }
}
