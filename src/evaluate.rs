//! Questions about access, answered from the resolved [`Graph`]: why does an
//! identity (or a role) hold a permission, and who holds one.
//!
//! `rolelint explain` and `rolelint who-can` render these answers; they are
//! plain data (ids as written, dates, file locations) so that the JSON output
//! is their serde form and tests can check them without the command line.
//!
//! Cost: `who_can` is one pass over the identities (a binary search in each
//! one's sorted effective set, and a look at its unrevoked expired grants),
//! then paths only for the holders. `explain` walks the paths of one
//! identity or role, plus one pass over the roles for the nearest ones.

use std::ops::Range;

use serde::Serialize;

use crate::graph::{Graph, Ix, MAX_PATHS, PermId, Resolved, is_active, is_unrevoked_expired};
use crate::model::{
    GrantTarget, Id, Identity, IdentityStatus, IdentityType, Kind, PermissionRef, RefError, Span,
};
use crate::report::neutralise_controls;
use crate::suggest::did_you_mean;

/// Roles suggested when an identity or role lacks a permission.
pub const NEAREST_ROLES: usize = 3;

/// Why a query cannot be answered: the command exits 2 with this message.
#[derive(Debug, thiserror::Error)]
pub enum QueryError {
    #[error("no identity `{}` in the catalogue{}", neutralise_controls(.id), .hint)]
    UnknownIdentity { id: String, hint: Hint },
    #[error("no role `{}` in the catalogue{}", neutralise_controls(.id), .hint)]
    UnknownRole { id: String, hint: Hint },
    #[error(
        "{} `{id}` is left out of the analysis: its document has schema problems (`rolelint check` shows them)",
        .kind.as_str()
    )]
    LeftOut { kind: Kind, id: Id },
    #[error(transparent)]
    BadPermission(#[from] RefError),
    #[error("no application `{application}` in the catalogue{hint}")]
    UnknownApplication { application: Id, hint: Hint },
    #[error("no permission `{permission}`: application `{application}` does not declare it{hint}")]
    UnknownPermission {
        application: Id,
        permission: PermissionRef,
        hint: Hint,
    },
}

/// The end of an error message: a "did you mean" suggestion or a pointer.
#[derive(Debug, Default)]
pub struct Hint(String);

impl Hint {
    fn suggest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Hint {
        match did_you_mean(word, candidates) {
            Some(candidate) => Hint(format!("; did you mean `{candidate}`?")),
            None => Hint::default(),
        }
    }

    fn text(text: impl Into<String>) -> Hint {
        Hint(text.into())
    }
}

impl std::fmt::Display for Hint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A place in the catalogue, relative to its root.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Location {
    pub path: String,
    pub line: u32,
    pub column: u32,
}

impl Location {
    fn of(graph: &Graph, span: Span) -> Location {
        Location {
            path: graph.catalogue.sources.path(span.file).to_owned(),
            line: span.line,
            column: span.column,
        }
    }
}

/// Whether a grant counts on the evaluation date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum GrantStatus {
    Active,
    /// Past its `expires` and never revoked: not active, but never shown removed.
    Expired,
    Revoked,
}

/// One grant of an identity, with its evidence.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct GrantView {
    /// 1-based position in the identity's `grants:` list.
    pub number: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub permission: Option<String>,
    pub status: GrantStatus,
    /// Whether the role or permission exists; an unknown one grants nothing.
    pub resolved: bool,
    /// Has an `expires` date.
    pub temporary: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub granted: Option<crate::model::Date>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires: Option<crate::model::Date>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revoked: Option<crate::model::Date>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub approved_by: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ticket: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub via: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub justification: Option<String>,
    pub location: Location,
}

/// One way to a permission: a grant (for identities), the chain of roles,
/// and the `permissions:` entry that brings it in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PathView {
    /// The grant's number (identities only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub grant: Option<usize>,
    /// Whether the grant is active (identities only); `false` is an
    /// unrevoked expired grant, shown but not counted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub active: Option<bool>,
    /// The granted role first, then each inherited role; the last lists the
    /// permission. Empty for a direct permission grant.
    pub roles: Vec<String>,
    /// The entry as written (`stripe:charges.read`, or a wildcard `stripe:*`).
    pub entry: String,
    /// Where that entry is written.
    pub listed_at: Location,
}

/// One permission and every way to it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PermissionView {
    /// `app:perm`.
    pub permission: String,
    /// Marked `privileged: true` by its application.
    pub privileged: bool,
    /// Counted as held: reached through an active grant (always true for a role).
    pub held: bool,
    pub paths: Vec<PathView>,
    /// Some grant or role has more than [`MAX_PATHS`] ways to it; the
    /// shortest are shown.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub truncated: bool,
}

/// The permissions of one application.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ApplicationView {
    pub application: String,
    pub permissions: Vec<PermissionView>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct IdentityView {
    pub id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(rename = "type")]
    pub kind: IdentityType,
    pub status: IdentityStatus,
    pub location: Location,
}

impl IdentityView {
    fn of(graph: &Graph, identity: &Identity) -> IdentityView {
        IdentityView {
            id: identity.id.value.to_string(),
            name: identity.name.clone(),
            kind: identity.kind.value,
            status: identity.status.value,
            location: Location::of(graph, identity.id.span),
        }
    }
}

/// A role that would grant a missing permission.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NearRole {
    pub role: String,
    /// Permissions it would add that the identity (or role) does not have yet.
    pub adds: usize,
    /// Its effective permissions.
    pub permissions: usize,
    pub privileged: bool,
    /// The shortest way from it to the permission.
    pub path: Vec<String>,
}

/// Counts of what an explanation shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Permissions held (through active grants).
    pub held: usize,
    /// Of those, marked privileged.
    pub privileged: usize,
    /// Permissions reached only through unrevoked expired grants.
    pub expired_only: usize,
    /// Applications with a permission shown.
    pub applications: usize,
}

/// `rolelint explain IDENTITY [PERMISSION]`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct IdentityExplanation {
    pub identity: IdentityView,
    /// The PERMISSION asked about, as given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub query: Option<String>,
    pub counts: Counts,
    /// Every grant without PERMISSION; with it, the grants on a path shown.
    pub grants: Vec<GrantView>,
    pub applications: Vec<ApplicationView>,
    /// With a single PERMISSION the identity does not hold: roles that would
    /// grant it, fewest new permissions first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub nearest_roles: Vec<NearRole>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RoleView {
    pub id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Declared `privileged: true`.
    pub declared_privileged: bool,
    /// Some effective permission is marked privileged.
    pub effectively_privileged: bool,
    pub requires_mfa: bool,
    pub on_cycle: bool,
    /// Every role it inherits, transitively (sorted).
    pub inherits: Vec<String>,
    pub location: Location,
}

/// Identities holding a role through active grants.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct RoleHolders {
    /// Granted the role itself, or a role that inherits it.
    pub total: usize,
    /// Granted the role itself.
    pub direct: usize,
}

/// `rolelint explain --role ROLE [PERMISSION]`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RoleExplanation {
    pub role: RoleView,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub query: Option<String>,
    pub holders: RoleHolders,
    pub counts: Counts,
    pub applications: Vec<ApplicationView>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub nearest_roles: Vec<NearRole>,
}

/// One identity that holds (or, with expired grants included, held) a permission.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Holder {
    pub identity: IdentityView,
    /// Holds it through an active grant; `false`: only through unrevoked
    /// expired grants.
    pub held: bool,
    /// The earliest `granted` date written on an active grant that gives it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub since: Option<crate::model::Date>,
    /// The grants on the paths shown.
    pub grants: Vec<GrantView>,
    pub permissions: Vec<PermissionView>,
}

/// A role that reaches the permission, and how many identities hold it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RoleReach {
    pub role: String,
    pub privileged: bool,
    /// Identities holding the role (granted it, or a role inheriting it).
    pub holders: usize,
}

/// `rolelint who-can PERMISSION`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct WhoCan {
    /// The PERMISSION asked about, as given (`app:perm` or `app:*`).
    pub query: String,
    /// Some permission asked about is marked privileged.
    pub privileged: bool,
    pub include_expired: bool,
    /// Identities, by id.
    pub holders: Vec<Holder>,
    /// Roles that reach any permission asked about, by id.
    pub roles: Vec<RoleReach>,
}

/// Finds an identity by id, or says why it is not there.
pub fn find_identity(graph: &Graph, id: &str) -> Result<Ix, QueryError> {
    if let Some(ix) = graph.identities.get(id) {
        return Ok(ix);
    }
    if let Some(error) = left_out(graph, Kind::Identity, id) {
        return Err(error);
    }
    let hint = if graph.roles.contains(id) {
        Hint::text(format!(
            "; `{id}` is a role: `rolelint explain --role {id}`"
        ))
    } else {
        Hint::suggest(id, graph.identities.ids())
    };
    Err(QueryError::UnknownIdentity {
        id: id.to_owned(),
        hint,
    })
}

/// Finds a role by id, or says why it is not there.
pub fn find_role(graph: &Graph, id: &str) -> Result<Ix, QueryError> {
    if let Some(ix) = graph.roles.get(id) {
        return Ok(ix);
    }
    if let Some(error) = left_out(graph, Kind::Role, id) {
        return Err(error);
    }
    let hint = if graph.identities.contains(id) {
        Hint::text(format!("; `{id}` is an identity: `rolelint explain {id}`"))
    } else {
        Hint::suggest(id, graph.roles.ids())
    };
    Err(QueryError::UnknownRole {
        id: id.to_owned(),
        hint,
    })
}

fn left_out(graph: &Graph, kind: Kind, id: &str) -> Option<QueryError> {
    let id = Id::parse(id).ok()?;
    graph
        .catalogue
        .invalid
        .contains(&(kind, id.clone()))
        .then_some(QueryError::LeftOut { kind, id })
}

/// Resolves `app:perm` or `app:*` to the permissions it stands for.
pub fn resolve_permission(graph: &Graph, text: &str) -> Result<Range<PermId>, QueryError> {
    let reference = PermissionRef::parse(text)?;
    match graph.permissions.resolve(&graph.applications, &reference) {
        Resolved::Permissions(range) => Ok(range),
        Resolved::UnknownApplication => {
            let application = reference.application.as_str();
            let applications = graph
                .catalogue
                .applications
                .iter()
                .map(|app| app.id.as_str());
            let hint = match did_you_mean(application, applications) {
                // Keep the permission part when the corrected application has it.
                Some(fixed) => {
                    let corrected = PermissionRef {
                        application: Id::parse(fixed)?,
                        permission: reference.permission.clone(),
                    };
                    match graph.permissions.resolve(&graph.applications, &corrected) {
                        Resolved::Permissions(_) => {
                            Hint::text(format!("; did you mean `{corrected}`?"))
                        }
                        _ => Hint::text(format!("; did you mean application `{fixed}`?")),
                    }
                }
                None => Hint::default(),
            };
            Err(QueryError::UnknownApplication {
                application: reference.application,
                hint,
            })
        }
        Resolved::UnknownPermission(app) => {
            let range = graph.permissions.by_application[app as usize].clone();
            let declared = graph.permissions.names[range.start as usize..range.end as usize]
                .iter()
                .map(|(_, name)| *name);
            let wanted = reference.permission.as_ref().map_or("", Id::as_str);
            let hint = match did_you_mean(wanted, declared) {
                Some(fixed) => Hint::text(format!(
                    "; did you mean `{}:{fixed}`?",
                    reference.application
                )),
                None => Hint::default(),
            };
            Err(QueryError::UnknownPermission {
                application: reference.application.clone(),
                permission: reference,
                hint,
            })
        }
    }
}

/// Explains an identity's access: every permission it holds (or, with
/// `query`, the ones asked about) with every path, unrevoked expired grants
/// included and marked.
pub fn explain_identity(
    graph: &Graph,
    identity: Ix,
    query: Option<(&str, Range<PermId>)>,
) -> IdentityExplanation {
    let record = &graph.catalogue.identities[identity as usize];
    let facts = &graph.identity_facts[identity as usize];
    let range = match &query {
        Some((_, range)) => range.clone(),
        None => 0..graph.permissions.names.len() as PermId,
    };
    let mut reached: Vec<PermId> = in_range(&facts.effective, &range).to_vec();
    reached.extend(expired_permissions(graph, record, &range));
    reached.sort_unstable();
    reached.dedup();
    let permissions: Vec<PermissionView> = reached
        .iter()
        .filter_map(|&permission| identity_permission(graph, identity, permission, true))
        .collect();
    let grants = match query {
        None => (0..record.grants.len())
            .map(|index| grant_view(graph, record, index))
            .collect(),
        Some(_) => referenced_grants(graph, record, &permissions),
    };
    let nearest_roles = match &query {
        Some((_, range)) if range.len() == 1 && !permissions.iter().any(|p| p.held) => {
            nearest_roles(graph, range.start, &facts.effective, None)
        }
        _ => Vec::new(),
    };
    let counts = count(&permissions);
    let applications = group_by_application(permissions);
    IdentityExplanation {
        identity: IdentityView::of(graph, record),
        query: query.map(|(text, _)| text.to_owned()),
        counts: Counts {
            applications: applications.len(),
            ..counts
        },
        grants,
        applications,
        nearest_roles,
    }
}

/// Explains a role: its effective permissions (or the ones asked about) with
/// their inheritance paths, and how many identities hold it.
pub fn explain_role(
    graph: &Graph,
    role: Ix,
    query: Option<(&str, Range<PermId>)>,
) -> RoleExplanation {
    let record = &graph.catalogue.roles[role as usize];
    let facts = &graph.role_facts[role as usize];
    let permissions: Vec<PermissionView> = facts
        .effective
        .iter()
        .copied()
        .filter(|permission| {
            query
                .as_ref()
                .is_none_or(|(_, range)| range.contains(permission))
        })
        .map(|permission| {
            let paths = graph.role_paths(role, permission);
            PermissionView {
                permission: graph.permissions.display(graph.catalogue, permission),
                privileged: graph.permissions.privileged[permission as usize],
                held: true,
                truncated: paths.len() >= MAX_PATHS,
                paths: paths
                    .iter()
                    .map(|path| PathView {
                        grant: None,
                        active: None,
                        roles: role_ids(graph, &path.roles),
                        entry: entry_text(graph, permission, path.wildcard),
                        listed_at: Location::of(graph, path.entry),
                    })
                    .collect(),
            }
        })
        .collect();
    let nearest_roles = match &query {
        Some((_, range)) if range.len() == 1 && permissions.is_empty() => {
            nearest_roles(graph, range.start, &facts.effective, Some(role))
        }
        _ => Vec::new(),
    };
    let mut holders = RoleHolders::default();
    for (index, identity_facts) in graph.identity_facts.iter().enumerate() {
        if identity_facts.held_roles.binary_search(&role).is_err() {
            continue;
        }
        holders.total += 1;
        let grants = &graph.catalogue.identities[index].grants;
        let direct = identity_facts.active_grants.iter().any(|&grant| {
            matches!(
                grants[grant as usize].target(),
                Some(GrantTarget::Role(id)) if graph.roles.get(id.as_str()) == Some(role)
            )
        });
        holders.direct += usize::from(direct);
    }
    let counts = count(&permissions);
    let applications = group_by_application(permissions);
    RoleExplanation {
        role: RoleView {
            id: record.id.value.to_string(),
            name: record.name.clone(),
            declared_privileged: record.privileged.value,
            effectively_privileged: facts.effectively_privileged,
            requires_mfa: record.requires_mfa.value,
            on_cycle: facts.on_cycle,
            inherits: {
                // A role on a cycle is its own ancestor; `on_cycle` says so.
                let ancestors: Vec<Ix> = facts
                    .ancestors
                    .iter()
                    .copied()
                    .filter(|a| *a != role)
                    .collect();
                let mut ids = role_ids(graph, &ancestors);
                ids.sort();
                ids
            },
            location: Location::of(graph, record.id.span),
        },
        query: query.map(|(text, _)| text.to_owned()),
        holders,
        counts: Counts {
            applications: applications.len(),
            ..counts
        },
        applications,
        nearest_roles,
    }
}

/// Every identity holding a permission of `range` through an active grant
/// (and, with `include_expired`, through an unrevoked expired one), how, and
/// since when; and the roles that reach it, with their holder counts.
pub fn who_can(graph: &Graph, query: &str, range: Range<PermId>, include_expired: bool) -> WhoCan {
    let mut holders = Vec::new();
    for (index, facts) in graph.identity_facts.iter().enumerate() {
        let record = &graph.catalogue.identities[index];
        let mut reached = in_range(&facts.effective, &range).to_vec();
        if include_expired {
            reached.extend(expired_permissions(graph, record, &range));
            reached.sort_unstable();
            reached.dedup();
        }
        if reached.is_empty() {
            continue;
        }
        let identity = index as Ix;
        let mut permissions: Vec<PermissionView> = reached
            .iter()
            .filter_map(|&permission| {
                identity_permission(graph, identity, permission, include_expired)
            })
            .collect();
        permissions.sort_by(|a, b| a.permission.cmp(&b.permission));
        let since = permissions
            .iter()
            .flat_map(|permission| &permission.paths)
            .filter(|path| path.active == Some(true))
            .filter_map(|path| path.grant)
            .filter_map(|number| record.grants[number - 1].granted.as_ref().map(|d| d.value))
            .min();
        holders.push(Holder {
            identity: IdentityView::of(graph, record),
            held: permissions.iter().any(|permission| permission.held),
            since,
            grants: referenced_grants(graph, record, &permissions),
            permissions,
        });
    }
    holders.sort_by(|a, b| a.identity.id.cmp(&b.identity.id));

    // One pass over the held roles counts every role's holders.
    let mut role_holders = vec![0usize; graph.role_facts.len()];
    for facts in &graph.identity_facts {
        for &role in facts.held_roles.iter() {
            role_holders[role as usize] += 1;
        }
    }
    let mut roles: Vec<RoleReach> = graph
        .role_facts
        .iter()
        .enumerate()
        .filter(|(_, facts)| !in_range(&facts.effective, &range).is_empty())
        .map(|(role, facts)| RoleReach {
            role: graph.catalogue.roles[role].id.value.to_string(),
            privileged: facts.privileged,
            holders: role_holders[role],
        })
        .collect();
    roles.sort_by(|a, b| a.role.cmp(&b.role));

    WhoCan {
        query: query.to_owned(),
        privileged: range
            .clone()
            .any(|permission| graph.permissions.privileged[permission as usize]),
        include_expired,
        holders,
        roles,
    }
}

/// The part of a sorted set inside `range`.
fn in_range<'a>(set: &'a [PermId], range: &Range<PermId>) -> &'a [PermId] {
    let start = set.partition_point(|permission| *permission < range.start);
    let end = set.partition_point(|permission| *permission < range.end);
    &set[start..end]
}

/// Permissions of `range` reached through an identity's unrevoked expired
/// grants (the graph's facts count active grants only).
fn expired_permissions(graph: &Graph, identity: &Identity, range: &Range<PermId>) -> Vec<PermId> {
    let mut reached = Vec::new();
    for grant in &identity.grants {
        if !is_unrevoked_expired(grant, graph.now) {
            continue;
        }
        match grant.target() {
            Some(GrantTarget::Role(role)) => {
                if let Some(role) = graph.roles.get(role.as_str()) {
                    reached.extend_from_slice(in_range(
                        &graph.role_facts[role as usize].effective,
                        range,
                    ));
                }
            }
            Some(GrantTarget::Permission(reference)) => {
                if let Resolved::Permissions(granted) =
                    graph.permissions.resolve(&graph.applications, reference)
                {
                    reached.extend(granted.start.max(range.start)..granted.end.min(range.end));
                }
            }
            None => {}
        }
    }
    reached
}

/// Paths of an identity to one permission: active grants, and unrevoked
/// expired ones when `include_expired` (revoked grants never).
fn identity_permission(
    graph: &Graph,
    identity: Ix,
    permission: PermId,
    include_expired: bool,
) -> Option<PermissionView> {
    let record = &graph.catalogue.identities[identity as usize];
    let mut truncated = false;
    let mut per_grant = (usize::MAX, 0usize);
    let paths: Vec<PathView> = graph
        .access_paths(identity, permission, include_expired)
        .into_iter()
        .filter(|path| path.active || is_unrevoked_expired(&record.grants[path.grant], graph.now))
        .map(|path| {
            per_grant = match per_grant {
                (grant, count) if grant == path.grant => (grant, count + 1),
                _ => (path.grant, 1),
            };
            truncated |= per_grant.1 >= MAX_PATHS;
            let grant = &record.grants[path.grant];
            let (roles, entry, listed_at) = match (&path.role_path, grant.target()) {
                (Some(role_path), _) => (
                    role_ids(graph, &role_path.roles),
                    entry_text(graph, permission, role_path.wildcard),
                    role_path.entry,
                ),
                (None, Some(GrantTarget::Permission(reference))) => {
                    (Vec::new(), reference.value.to_string(), reference.span)
                }
                (None, _) => (Vec::new(), String::new(), grant.span),
            };
            PathView {
                grant: Some(path.grant + 1),
                active: Some(path.active),
                roles,
                entry,
                listed_at: Location::of(graph, listed_at),
            }
        })
        .collect();
    if paths.is_empty() {
        return None;
    }
    let held = graph.identity_facts[identity as usize]
        .effective
        .binary_search(&permission)
        .is_ok();
    Some(PermissionView {
        permission: graph.permissions.display(graph.catalogue, permission),
        privileged: graph.permissions.privileged[permission as usize],
        held,
        paths,
        truncated,
    })
}

fn grant_view(graph: &Graph, identity: &Identity, index: usize) -> GrantView {
    let grant = &identity.grants[index];
    let status = if is_active(grant, graph.now) {
        GrantStatus::Active
    } else if is_unrevoked_expired(grant, graph.now) {
        GrantStatus::Expired
    } else {
        GrantStatus::Revoked
    };
    let (role, permission, resolved) = match grant.target() {
        Some(GrantTarget::Role(role)) => (
            Some(role.value.to_string()),
            None,
            graph.roles.contains(role.as_str()),
        ),
        Some(GrantTarget::Permission(reference)) => (
            None,
            Some(reference.value.to_string()),
            matches!(
                graph.permissions.resolve(&graph.applications, reference),
                Resolved::Permissions(_)
            ),
        ),
        None => (None, None, false),
    };
    GrantView {
        number: index + 1,
        role,
        permission,
        status,
        resolved,
        temporary: grant.expires.is_some(),
        granted: grant.granted.as_ref().map(|date| date.value),
        expires: grant.expires.as_ref().map(|date| date.value),
        revoked: grant.revoked.as_ref().map(|date| date.value),
        approved_by: grant.approved_by.as_ref().map(|p| p.value.to_string()),
        ticket: grant.ticket.clone(),
        via: grant.via.as_ref().map(|id| id.value.to_string()),
        justification: grant.justification.clone(),
        location: Location::of(graph, grant.span),
    }
}

/// The grants that appear on some path, in `grants:` order.
fn referenced_grants(
    graph: &Graph,
    identity: &Identity,
    permissions: &[PermissionView],
) -> Vec<GrantView> {
    let mut numbers: Vec<usize> = permissions
        .iter()
        .flat_map(|permission| &permission.paths)
        .filter_map(|path| path.grant)
        .collect();
    numbers.sort_unstable();
    numbers.dedup();
    numbers
        .into_iter()
        .map(|number| grant_view(graph, identity, number - 1))
        .collect()
}

/// Roles that reach `permission`, fewest permissions beyond `base` first
/// (least privilege), then smallest, then by id. One pass over the roles,
/// with a merge per candidate.
fn nearest_roles(
    graph: &Graph,
    permission: PermId,
    base: &[PermId],
    exclude: Option<Ix>,
) -> Vec<NearRole> {
    let mut candidates: Vec<(usize, usize, &str, Ix)> = graph
        .role_facts
        .iter()
        .enumerate()
        .filter(|(role, facts)| {
            Some(*role as Ix) != exclude && facts.effective.binary_search(&permission).is_ok()
        })
        .map(|(role, facts)| {
            (
                missing_from(&facts.effective, base),
                facts.effective.len(),
                graph.catalogue.roles[role].id.as_str(),
                role as Ix,
            )
        })
        .collect();
    candidates.sort_unstable();
    candidates.truncate(NEAREST_ROLES);
    candidates
        .into_iter()
        .map(|(adds, permissions, id, role)| NearRole {
            role: id.to_owned(),
            adds,
            permissions,
            privileged: graph.role_facts[role as usize].privileged,
            path: graph
                .role_paths(role, permission)
                .first()
                .map(|path| role_ids(graph, &path.roles))
                .unwrap_or_default(),
        })
        .collect()
}

/// How many of sorted `set` are not in sorted `base`.
fn missing_from(set: &[PermId], base: &[PermId]) -> usize {
    let mut j = 0;
    let mut missing = 0;
    for &x in set {
        while j < base.len() && base[j] < x {
            j += 1;
        }
        if j == base.len() || base[j] != x {
            missing += 1;
        }
    }
    missing
}

fn role_ids(graph: &Graph, roles: &[Ix]) -> Vec<String> {
    roles
        .iter()
        .map(|role| graph.catalogue.roles[*role as usize].id.value.to_string())
        .collect()
}

/// The `permissions:` entry that brings `permission` in, as written.
fn entry_text(graph: &Graph, permission: PermId, wildcard: bool) -> String {
    if wildcard {
        let (app, _) = graph.permissions.names[permission as usize];
        format!("{}:*", graph.catalogue.applications[app as usize].id.value)
    } else {
        graph.permissions.display(graph.catalogue, permission)
    }
}

fn count(permissions: &[PermissionView]) -> Counts {
    let held = permissions.iter().filter(|p| p.held);
    Counts {
        held: held.clone().count(),
        privileged: held.filter(|p| p.privileged).count(),
        expired_only: permissions.iter().filter(|p| !p.held).count(),
        applications: 0,
    }
}

/// `app:perm` split at the first `:` (application ids have none).
fn split_name(name: &str) -> (&str, &str) {
    name.split_once(':').unwrap_or((name, ""))
}

/// Groups permissions by application, both sorted by id.
fn group_by_application(mut permissions: Vec<PermissionView>) -> Vec<ApplicationView> {
    permissions.sort_by(|a, b| split_name(&a.permission).cmp(&split_name(&b.permission)));
    let mut applications: Vec<ApplicationView> = Vec::new();
    for permission in permissions {
        let application = split_name(&permission.permission).0.to_owned();
        match applications.last_mut() {
            Some(last) if last.application == application => last.permissions.push(permission),
            _ => applications.push(ApplicationView {
                application,
                permissions: vec![permission],
            }),
        }
    }
    applications
}
