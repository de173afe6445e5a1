//! Access paths: why an identity or a role holds a permission.
//!
//! A path runs grant → role → inherited role → … → the role (or direct
//! grant) that lists the permission. `explain`, `who-can` and `diff` show
//! them; rules use them to name the chain in a message.

use super::{Graph, Ix, PermId, Resolved, is_active};
use crate::model::{GrantTarget, PermissionRef, Span};

/// Most paths collected per (role or grant, permission): diamond-shaped
/// hierarchies have exponentially many, and the first few, shortest first,
/// are the ones a reader needs.
pub const MAX_PATHS: usize = 16;

/// One way a role reaches a permission: the chain of roles from the role
/// itself to the one that lists it, and the entry that lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RolePath {
    /// The role first, then each inherited role; the last lists the permission.
    pub roles: Vec<Ix>,
    /// The `permissions:` entry of the last role that brings the permission in.
    pub entry: Span,
    /// Whether that entry is a wildcard (`app:*`).
    pub wildcard: bool,
}

/// One way an identity holds a permission.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccessPath {
    /// Index of the grant in `identity.grants`.
    pub grant: usize,
    /// Whether the grant is active on the evaluation date.
    pub active: bool,
    /// Empty for a direct permission grant.
    pub role_path: Option<RolePath>,
}

fn covers(graph: &Graph, reference: &PermissionRef, permission: PermId) -> bool {
    matches!(
        graph.permissions.resolve(&graph.applications, reference),
        Resolved::Permissions(range) if range.contains(&permission)
    )
}

impl Graph<'_> {
    /// Ways `role` reaches `permission`, shortest first, at most [`MAX_PATHS`].
    pub fn role_paths(&self, role: Ix, permission: PermId) -> Vec<RolePath> {
        let mut found = Vec::new();
        let mut stack = vec![role];
        self.walk_role(&mut stack, permission, &mut found);
        found.sort_by_key(|path| path.roles.len());
        found.truncate(MAX_PATHS);
        found
    }

    fn walk_role(&self, stack: &mut Vec<Ix>, permission: PermId, found: &mut Vec<RolePath>) {
        if found.len() >= MAX_PATHS * 4 {
            return;
        }
        let Some(&current) = stack.last() else {
            return;
        };
        let role = &self.catalogue.roles[current as usize];
        let facts = &self.role_facts[current as usize];
        if facts.direct.binary_search(&permission).is_ok()
            && let Some(entry) = role
                .permissions
                .iter()
                .find(|p| covers(self, &p.value, permission))
        {
            found.push(RolePath {
                roles: stack.clone(),
                entry: entry.span,
                wildcard: entry.value.is_wildcard(),
            });
        }
        for &parent in &facts.parents {
            // Only parents that hold the permission can lead to it; a role
            // already on this path would be a cycle.
            if self.role_facts[parent as usize]
                .effective
                .binary_search(&permission)
                .is_ok()
                && !stack.contains(&parent)
            {
                stack.push(parent);
                self.walk_role(stack, permission, found);
                stack.pop();
            }
        }
    }

    /// Ways an identity holds `permission` through its grants (active ones,
    /// and inactive ones too when `include_inactive`), in grant order.
    pub fn access_paths(
        &self,
        identity: Ix,
        permission: PermId,
        include_inactive: bool,
    ) -> Vec<AccessPath> {
        let identity = &self.catalogue.identities[identity as usize];
        let mut paths = Vec::new();
        for (index, grant) in identity.grants.iter().enumerate() {
            let active = is_active(grant, self.now);
            if !active && !include_inactive {
                continue;
            }
            match grant.target() {
                Some(GrantTarget::Permission(reference))
                    if covers(self, &reference.value, permission) =>
                {
                    paths.push(AccessPath {
                        grant: index,
                        active,
                        role_path: None,
                    });
                }
                Some(GrantTarget::Role(role)) => {
                    let Some(role) = self.roles.get(role.as_str()) else {
                        continue;
                    };
                    for role_path in self.role_paths(role, permission) {
                        paths.push(AccessPath {
                            grant: index,
                            active,
                            role_path: Some(role_path),
                        });
                    }
                }
                Some(GrantTarget::Permission(_)) | None => {}
            }
        }
        paths
    }

    /// `role-a → role-b → role-c` for a path.
    pub fn describe_roles(&self, roles: &[Ix]) -> String {
        roles
            .iter()
            .map(|role| self.catalogue.roles[*role as usize].id.as_str())
            .collect::<Vec<_>>()
            .join(" → ")
    }

    /// The interned id of `app:perm`, if the application declares it.
    pub fn permission_id(&self, reference: &PermissionRef) -> Option<PermId> {
        match self.permissions.resolve(&self.applications, reference) {
            Resolved::Permissions(range) if range.len() == 1 => Some(range.start),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::graph::Graph;
    use crate::load::{LoadOptions, load_memory};
    use crate::model::{Date, PermissionRef};

    const CATALOGUE: &str = r#"apiVersion: rolelint/v1
kind: Application
id: stripe
permissions:
  - id: charges.read
  - id: refunds.write
---
apiVersion: rolelint/v1
kind: Role
id: viewer
permissions: [stripe:charges.read]
---
apiVersion: rolelint/v1
kind: Role
id: operator
inherits: [viewer]
permissions: ["stripe:*"]
---
apiVersion: rolelint/v1
kind: Role
id: admin
inherits: [operator, viewer]
---
apiVersion: rolelint/v1
kind: Identity
id: ravi
grants:
  - role: admin
  - permission: stripe:charges.read
  - role: viewer
    revoked: 2026-01-01
"#;

    #[test]
    fn every_path_shortest_first() {
        let catalogue =
            load_memory(&[("c.yaml", CATALOGUE)], None, &LoadOptions::default()).unwrap();
        let now = Date::parse("2026-11-26").unwrap();
        let graph = Graph::build(&catalogue, now);
        let charges = graph
            .permission_id(&PermissionRef::parse("stripe:charges.read").unwrap())
            .unwrap();
        let admin = graph.roles.get("admin").unwrap();
        let paths: Vec<String> = graph
            .role_paths(admin, charges)
            .iter()
            .map(|path| format!("{} {}", graph.describe_roles(&path.roles), path.wildcard))
            .collect();
        assert_eq!(
            paths,
            vec![
                "admin → operator true",
                "admin → viewer false",
                "admin → operator → viewer false",
            ]
        );
        let ravi = graph.identities.get("ravi").unwrap();
        let active = graph.access_paths(ravi, charges, false);
        assert_eq!(
            active.iter().map(|p| p.grant).collect::<Vec<_>>(),
            vec![0, 0, 0, 1]
        );
        assert!(active[3].role_path.is_none());
        let all = graph.access_paths(ravi, charges, true);
        assert_eq!(all.len(), 5);
        assert!(!all[4].active);
    }
}
