//! The resolved catalogue: ids interned to integers, references resolved,
//! and every derived fact the rules need computed once.
//!
//! - Permissions are interned application by application, so `app:*` is a
//!   contiguous range of [`PermId`]s.
//! - Role inheritance is a petgraph graph; effective permissions are sorted
//!   integer sets computed once per strongly connected component, in
//!   topological order (roles on a cycle share the union over the cycle).
//! - Identities' effective permissions and held roles come from their active
//!   grants, computed in parallel.
//! - Playbook steps know which actions precede them (a bitmask), computed in
//!   topological order over the step graph's components.

mod paths;
mod playbooks;
mod sets;

use std::ops::Range;

use petgraph::algo::tarjan_scc;
use petgraph::graph::{DiGraph, NodeIndex};
use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::load::Catalogue;
use crate::model::{
    CatalogueObject, Date, Grant, GrantTarget, IdentityStatus, IdentityType, PermissionRef,
    Principal,
};
pub use paths::{AccessPath, MAX_PATHS, RolePath};
pub use playbooks::{ActionMask, PlaybookFacts};
pub use sets::{is_subset, union_sorted};

/// A permission, interned: an index into [`Permissions`].
pub type PermId = u32;

/// An object's index in its kind's vector of the [`Catalogue`].
pub type Ix = u32;

/// Ids of one kind → their index in the catalogue.
#[derive(Debug, Default)]
pub struct IdIndex<'c> {
    map: FxHashMap<&'c str, Ix>,
    /// Every id in catalogue order: what "did you mean" suggestions scan.
    in_order: Vec<&'c str>,
}

impl<'c> IdIndex<'c> {
    fn build<T: CatalogueObject>(objects: &'c [T]) -> Self {
        let mut map = FxHashMap::with_capacity_and_hasher(objects.len(), Default::default());
        let mut in_order = Vec::with_capacity(objects.len());
        for (index, object) in objects.iter().enumerate() {
            let id = object.id().value.as_str();
            map.insert(id, index as Ix);
            in_order.push(id);
        }
        IdIndex { map, in_order }
    }

    pub fn get(&self, id: &str) -> Option<Ix> {
        self.map.get(id).copied()
    }

    pub fn contains(&self, id: &str) -> bool {
        self.map.contains_key(id)
    }

    /// Every id, for "did you mean" suggestions.
    pub fn ids(&self) -> impl Iterator<Item = &'c str> + '_ {
        self.in_order.iter().copied()
    }
}

/// Every permission declared by an application.
#[derive(Debug, Default)]
pub struct Permissions<'c> {
    /// (application index, permission id) of each [`PermId`].
    pub names: Vec<(Ix, &'c str)>,
    pub privileged: Vec<bool>,
    /// The [`PermId`]s of each application.
    pub by_application: Vec<Range<PermId>>,
    lookup: FxHashMap<(Ix, &'c str), PermId>,
}

/// How a permission reference resolves.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Resolved {
    /// The permissions it stands for (one, or a whole application for `app:*`).
    Permissions(Range<PermId>),
    UnknownApplication,
    UnknownPermission(Ix),
}

impl<'c> Permissions<'c> {
    fn build(catalogue: &'c Catalogue) -> Self {
        let mut permissions = Permissions::default();
        for (app_index, application) in catalogue.applications.iter().enumerate() {
            let start = permissions.names.len() as PermId;
            for declared in &application.permissions {
                let key = (app_index as Ix, declared.id.value.as_str());
                if permissions.lookup.contains_key(&key) {
                    continue; // a schema finding already; the first declaration counts
                }
                permissions
                    .lookup
                    .insert(key, permissions.names.len() as PermId);
                permissions.names.push(key);
                permissions.privileged.push(declared.privileged);
            }
            permissions
                .by_application
                .push(start..permissions.names.len() as PermId);
        }
        permissions
    }

    pub fn resolve(&self, applications: &IdIndex, reference: &PermissionRef) -> Resolved {
        let Some(app) = applications.get(reference.application.as_str()) else {
            return Resolved::UnknownApplication;
        };
        match &reference.permission {
            None => Resolved::Permissions(self.by_application[app as usize].clone()),
            Some(permission) => match self.lookup.get(&(app, permission.as_str())) {
                Some(id) => Resolved::Permissions(*id..*id + 1),
                None => Resolved::UnknownPermission(app),
            },
        }
    }

    /// `app:perm` of an interned permission.
    pub fn display(&self, catalogue: &Catalogue, permission: PermId) -> String {
        let (app, name) = self.names[permission as usize];
        format!("{}:{}", catalogue.applications[app as usize].id.value, name)
    }
}

/// Derived facts of one role.
#[derive(Debug, Default, Clone)]
pub struct RoleFacts {
    /// Resolved `inherits`, in written order, without duplicates.
    pub parents: Vec<Ix>,
    /// The role's own permissions, wildcards expanded (sorted, unique).
    pub direct: Vec<PermId>,
    /// Own plus inherited permissions (sorted, unique).
    pub effective: Box<[PermId]>,
    /// Every role reachable through `inherits` (sorted, unique); includes the
    /// role itself only when it is on a cycle.
    pub ancestors: Box<[Ix]>,
    /// The strongly connected component of the inheritance graph.
    pub component: u32,
    /// Whether the role is on an inheritance cycle (its component has more
    /// than one role, or it inherits itself).
    pub on_cycle: bool,
    /// Some effective permission is marked privileged by its application.
    pub effectively_privileged: bool,
    /// Declared `privileged: true`, or effectively privileged.
    pub privileged: bool,
}

/// Derived facts of one identity.
#[derive(Debug, Default, Clone)]
pub struct IdentityFacts {
    /// Indices (into `grants`) of the active grants.
    pub active_grants: Vec<u32>,
    /// Union of the effective permissions of the active grants (sorted, unique).
    pub effective: Box<[PermId]>,
    /// Roles held through active grants, with everything they inherit (sorted, unique).
    pub held_roles: Box<[Ix]>,
    /// The role each grant names, by grant index, looked up once for every
    /// rule: `None` for a permission grant or a role that does not exist.
    pub grant_roles: Box<[Option<Ix>]>,
}

impl IdentityFacts {
    /// The existing role that grant `index` names.
    pub fn role_of(&self, index: usize) -> Option<Ix> {
        self.grant_roles.get(index).copied().flatten()
    }
}

/// The resolved catalogue.
pub struct Graph<'c> {
    pub catalogue: &'c Catalogue,
    /// The evaluation date.
    pub now: Date,
    pub applications: IdIndex<'c>,
    pub roles: IdIndex<'c>,
    pub identities: IdIndex<'c>,
    pub teams: IdIndex<'c>,
    pub playbooks: IdIndex<'c>,
    pub sod_rules: IdIndex<'c>,
    pub permissions: Permissions<'c>,
    pub role_facts: Vec<RoleFacts>,
    pub identity_facts: Vec<IdentityFacts>,
    /// A team is accountable when at least one member is an active human.
    pub team_accountable: Vec<bool>,
    pub playbook_facts: Vec<PlaybookFacts>,
    /// The role inheritance graph: node `i` is role `i`, edges point from a
    /// role to the roles it inherits.
    pub inheritance: DiGraph<Ix, ()>,
    /// Components of the inheritance graph, in topological order (inherited first).
    pub components: Vec<Vec<Ix>>,
}

/// Whether a grant is active on `now`: not revoked, and not past its `expires`.
pub fn is_active(grant: &Grant, now: Date) -> bool {
    grant.revoked.is_none()
        && grant
            .expires
            .as_ref()
            .is_none_or(|expires| expires.value >= now)
}

/// An unrevoked temporary grant: past its `expires`, never revoked.
pub fn is_unrevoked_expired(grant: &Grant, now: Date) -> bool {
    grant.revoked.is_none()
        && grant
            .expires
            .as_ref()
            .is_some_and(|expires| expires.value < now)
}

impl<'c> Graph<'c> {
    pub fn build(catalogue: &'c Catalogue, now: Date) -> Graph<'c> {
        let _timing = crate::timings::start(crate::timings::Phase::Graph);
        let applications = IdIndex::build(&catalogue.applications);
        let roles = IdIndex::build(&catalogue.roles);
        let identities = IdIndex::build(&catalogue.identities);
        let teams = IdIndex::build(&catalogue.teams);
        let playbooks = IdIndex::build(&catalogue.playbooks);
        let sod_rules = IdIndex::build(&catalogue.sod_rules);
        let permissions = Permissions::build(catalogue);

        let mut graph = Graph {
            catalogue,
            now,
            applications,
            roles,
            identities,
            teams,
            playbooks,
            sod_rules,
            permissions,
            role_facts: Vec::new(),
            identity_facts: Vec::new(),
            team_accountable: Vec::new(),
            playbook_facts: Vec::new(),
            inheritance: DiGraph::new(),
            components: Vec::new(),
        };
        graph.resolve_roles();
        graph.identity_facts = catalogue
            .identities
            .par_iter()
            .map(|identity| graph.identity_facts_of(&identity.grants))
            .collect();
        graph.team_accountable = catalogue
            .teams
            .iter()
            .map(|team| {
                team.members.iter().any(|member| {
                    graph.identity(member.as_str()).is_some_and(|identity| {
                        identity.kind.value == IdentityType::Human
                            && identity.status.value == IdentityStatus::Active
                    })
                })
            })
            .collect();
        graph.playbook_facts = catalogue
            .playbooks
            .iter()
            .map(PlaybookFacts::build)
            .collect();
        graph
    }

    fn expand(&self, reference: &PermissionRef, into: &mut Vec<PermId>) {
        if let Resolved::Permissions(range) =
            self.permissions.resolve(&self.applications, reference)
        {
            into.extend(range);
        }
    }

    fn resolve_roles(&mut self) {
        let catalogue = self.catalogue;
        let count = catalogue.roles.len();
        let mut facts = vec![RoleFacts::default(); count];
        let mut inheritance = DiGraph::<Ix, ()>::with_capacity(count, count);
        for index in 0..count {
            inheritance.add_node(index as Ix);
        }
        for (index, role) in catalogue.roles.iter().enumerate() {
            let fact = &mut facts[index];
            for parent in &role.inherits {
                if let Some(parent) = self.roles.get(parent.as_str())
                    && !fact.parents.contains(&parent)
                {
                    fact.parents.push(parent);
                    inheritance.add_edge(
                        NodeIndex::new(index),
                        NodeIndex::new(parent as usize),
                        (),
                    );
                }
            }
            let mut direct = Vec::new();
            for permission in &role.permissions {
                self.expand(permission, &mut direct);
            }
            direct.sort_unstable();
            direct.dedup();
            fact.direct = direct;
        }

        // Tarjan yields components in reverse topological order of the edges
        // role → inherited role: inherited roles come first.
        let components: Vec<Vec<Ix>> = tarjan_scc(&inheritance)
            .into_iter()
            .map(|component| {
                let mut roles: Vec<Ix> = component.into_iter().map(|n| n.index() as Ix).collect();
                roles.sort_unstable();
                roles
            })
            .collect();
        for (number, component) in components.iter().enumerate() {
            for &role in component {
                facts[role as usize].component = number as u32;
            }
        }
        for (number, component) in components.iter().enumerate() {
            let number = number as u32;
            let on_cycle =
                component.len() > 1 || facts[component[0] as usize].parents.contains(&component[0]);
            let mut effective = Vec::new();
            let mut ancestors = Vec::new();
            for &role in component {
                effective.extend_from_slice(&facts[role as usize].direct);
                for &parent in &facts[role as usize].parents {
                    ancestors.push(parent);
                    // Parents in earlier components are complete already;
                    // those in this one contribute through `direct`.
                    if facts[parent as usize].component != number {
                        effective.extend_from_slice(&facts[parent as usize].effective);
                        ancestors.extend_from_slice(&facts[parent as usize].ancestors);
                    }
                }
            }
            if on_cycle {
                ancestors.extend_from_slice(component);
            }
            effective.sort_unstable();
            effective.dedup();
            ancestors.sort_unstable();
            ancestors.dedup();
            let effectively_privileged = effective
                .iter()
                .any(|permission| self.permissions.privileged[*permission as usize]);
            let effective: Box<[PermId]> = effective.into();
            let ancestors: Box<[Ix]> = ancestors.into();
            for &role in component {
                let fact = &mut facts[role as usize];
                fact.on_cycle = on_cycle;
                fact.effective = effective.clone();
                fact.effectively_privileged = effectively_privileged;
                fact.privileged =
                    effectively_privileged || catalogue.roles[role as usize].privileged.value;
                // A role on no cycle is not its own ancestor.
                fact.ancestors = if on_cycle {
                    ancestors.clone()
                } else {
                    ancestors.iter().copied().filter(|a| *a != role).collect()
                };
            }
        }
        self.role_facts = facts;
        self.inheritance = inheritance;
        self.components = components;
    }

    fn identity_facts_of(&self, grants: &[Grant]) -> IdentityFacts {
        let mut active_grants = Vec::new();
        let mut effective = Vec::new();
        let mut held_roles = Vec::new();
        let grant_roles: Box<[Option<Ix>]> = grants
            .iter()
            .map(|grant| self.roles.get(grant.role.as_ref()?.as_str()))
            .collect();
        for (index, grant) in grants.iter().enumerate() {
            if !is_active(grant, self.now) {
                continue;
            }
            active_grants.push(index as u32);
            match grant.target() {
                Some(GrantTarget::Role(_)) => {
                    if let Some(role) = grant_roles[index] {
                        let facts = &self.role_facts[role as usize];
                        effective.extend_from_slice(&facts.effective);
                        held_roles.push(role);
                        held_roles.extend_from_slice(&facts.ancestors);
                    }
                }
                Some(GrantTarget::Permission(permission)) => {
                    self.expand(permission, &mut effective)
                }
                None => {}
            }
        }
        effective.sort_unstable();
        effective.dedup();
        held_roles.sort_unstable();
        held_roles.dedup();
        IdentityFacts {
            active_grants,
            effective: effective.into(),
            held_roles: held_roles.into(),
            grant_roles,
        }
    }

    pub fn role(&self, id: &str) -> Option<&'c crate::model::Role> {
        self.roles
            .get(id)
            .map(|ix| &self.catalogue.roles[ix as usize])
    }

    pub fn identity(&self, id: &str) -> Option<&'c crate::model::Identity> {
        self.identities
            .get(id)
            .map(|ix| &self.catalogue.identities[ix as usize])
    }

    pub fn team(&self, id: &str) -> Option<&'c crate::model::Team> {
        self.teams
            .get(id)
            .map(|ix| &self.catalogue.teams[ix as usize])
    }

    /// Whether a principal refers to an existing identity or team.
    pub fn principal_exists(&self, principal: &Principal) -> bool {
        match principal {
            Principal::Identity(id) => self.identities.contains(id.as_str()),
            Principal::Team(id) => self.teams.contains(id.as_str()),
        }
    }

    /// The defaults of rolelint.yaml.
    pub fn defaults(&self) -> &'c crate::model::Defaults {
        &self.catalogue.config.defaults
    }
}
