//! The six kinds of catalogue object, as written in YAML (FORMAT.md), with
//! spans on every value a finding can point at.
//!
//! These types serialize to the shape users write (defaults filled in), which
//! is also what custom Rego policies see, and generate the JSON Schemas under
//! `schemas/`. Reading YAML into them is `load::decode`'s job, which collects
//! every problem of a document instead of stopping at the first.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::Serialize;

use super::keyword::keyword_enum;
use super::{Approver, Date, FileId, Id, PermissionRef, Principal, SodItem, Span, Spanned};

/// Where an object came from. Not part of the YAML shape.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Origin {
    pub file: FileId,
    /// The whole document's mapping.
    pub document: Span,
    /// The `kind:` value.
    pub kind: Span,
}

keyword_enum! {
    #[derive(bitcode::Encode, bitcode::Decode)]
    /// The kinds of catalogue object. Each has its own id namespace.
    pub enum Kind {
        Application = "Application",
        Role = "Role",
        Identity = "Identity",
        Team = "Team",
        Playbook = "Playbook",
        SodRule = "SodRule",
    }
}

keyword_enum! {
    #[derive(bitcode::Encode, bitcode::Decode)]
    pub enum Criticality { Low = "low", Medium = "medium", High = "high", Critical = "critical" }
}

keyword_enum! {
    #[derive(bitcode::Encode, bitcode::Decode)]
    pub enum IdentityType { Human = "human", Service = "service", Agent = "agent" }
}

keyword_enum! {
    #[derive(bitcode::Encode, bitcode::Decode)]
    pub enum IdentityStatus { Active = "active", Suspended = "suspended", Terminated = "terminated" }
}

keyword_enum! {
    #[derive(bitcode::Encode, bitcode::Decode)]
    pub enum CredentialType {
        ApiKey = "api_key",
        Password = "password",
        Certificate = "certificate",
        OauthToken = "oauth_token",
        SshKey = "ssh_key",
    }
}

keyword_enum! {
    #[derive(bitcode::Encode, bitcode::Decode)]
    pub enum Trigger { Joiner = "joiner", Mover = "mover", Leaver = "leaver", Request = "request", Schedule = "schedule" }
}

keyword_enum! {
    #[derive(bitcode::Encode, bitcode::Decode)]
    pub enum Action {
        Approve = "approve",
        RequireMfa = "require_mfa",
        Grant = "grant",
        Revoke = "revoke",
        RevokeAll = "revoke_all",
        DisableIdentity = "disable_identity",
        TransferOwnership = "transfer_ownership",
        RotateCredentials = "rotate_credentials",
        Notify = "notify",
    }
}

/// `suppress:` entry: silences one rule's findings on the object that carries it.
#[derive(Clone, Debug, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Suppression {
    /// The rule code, e.g. `overlap/near-duplicate-roles`.
    pub rule: Spanned<String>,
    /// Why the finding is accepted.
    pub reason: String,
    /// The last day the suppression applies; suppressions expire.
    pub until: Spanned<Date>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub approved_by: Option<Spanned<Principal>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ticket: Option<String>,
}

/// `labels:`, free-form name/value pairs every kind may carry, in name order.
///
/// A sorted vector, not a `BTreeMap`: most objects carry one to three labels,
/// and a map's first node has room for eleven (half a kilobyte per labelled
/// identity). Serializes, and describes itself in JSON Schema, as the map.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Labels(Vec<(String, String)>);

impl Labels {
    /// The labels of `pairs`; of pairs with the same name the last counts,
    /// as in a map built by inserting them in order.
    pub fn from_pairs(mut pairs: Vec<(String, String)>) -> Labels {
        if !pairs.is_sorted_by(|a, b| a.0 < b.0) {
            // Stable: equal names keep their order, so the last is kept below.
            pairs.sort_by(|a, b| a.0.cmp(&b.0));
            let mut deduplicated: Vec<(String, String)> = Vec::with_capacity(pairs.len());
            for pair in pairs {
                match deduplicated.last_mut() {
                    Some(last) if last.0 == pair.0 => *last = pair,
                    _ => deduplicated.push(pair),
                }
            }
            deduplicated.shrink_to_fit();
            pairs = deduplicated;
        }
        Labels(pairs)
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        let index = self
            .0
            .binary_search_by(|(key, _)| key.as_str().cmp(name))
            .ok()?;
        Some(self.0[index].1.as_str())
    }

    /// Name/value pairs in name order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&str, &str)> {
        self.0
            .iter()
            .map(|(name, value)| (name.as_str(), value.as_str()))
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The pairs, for the cache, which restores them with [`Labels::from_pairs`].
    pub(crate) fn pairs(&self) -> &[(String, String)] {
        &self.0
    }
}

impl Serialize for Labels {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.iter())
    }
}

impl JsonSchema for Labels {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        <BTreeMap<String, String>>::schema_name()
    }

    fn schema_id() -> std::borrow::Cow<'static, str> {
        <BTreeMap<String, String>>::schema_id()
    }

    fn inline_schema() -> bool {
        <BTreeMap<String, String>>::inline_schema()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        <BTreeMap<String, String>>::json_schema(generator)
    }
}

#[derive(Clone, Debug, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Application {
    pub id: Spanned<Id>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner: Option<Spanned<Principal>>,
    #[schemars(default = "default_criticality")]
    pub criticality: Criticality,
    #[serde(default)]
    pub permissions: Vec<PermissionDecl>,
    #[serde(default)]
    pub labels: Labels,
    #[serde(default)]
    pub suppress: Vec<Suppression>,
    #[serde(skip)]
    #[schemars(skip)]
    pub origin: Origin,
}

fn default_criticality() -> Criticality {
    Criticality::Medium
}

/// A permission an application declares.
#[derive(Clone, Debug, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PermissionDecl {
    pub id: Spanned<Id>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default)]
    pub privileged: bool,
}

fn default_false() -> bool {
    false
}

/// A boolean flag with the span of its value, or of the object's id when the
/// flag is not written (so a finding about a missing flag still has a place).
pub type Flag = Spanned<bool>;

#[derive(Clone, Debug, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Role {
    pub id: Spanned<Id>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// May be missing: that is a finding, not a parse error.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner: Option<Spanned<Principal>>,
    /// The department this role is meant for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub department: Option<Spanned<String>>,
    /// Roles whose permissions this role includes, transitively.
    #[serde(default)]
    pub inherits: Vec<Spanned<Id>>,
    #[serde(default)]
    pub permissions: Vec<Spanned<PermissionRef>>,
    /// The role's declared tier.
    #[schemars(with = "bool", default = "default_false")]
    pub privileged: Flag,
    #[schemars(with = "bool", default = "default_false")]
    pub requires_mfa: Flag,
    /// Every grant of this role must expire within this many days.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1))]
    pub max_grant_days: Option<Spanned<u32>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub review: Option<Review>,
    #[serde(default)]
    pub labels: Labels,
    #[serde(default)]
    pub suppress: Vec<Suppression>,
    #[serde(skip)]
    #[schemars(skip)]
    pub origin: Origin,
}

#[derive(Clone, Debug, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Review {
    /// Falls back to `defaults.review_every_days` of rolelint.yaml.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1))]
    pub every_days: Option<Spanned<u32>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_reviewed: Option<Spanned<Date>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reviewer: Option<Spanned<Principal>>,
    #[serde(skip)]
    #[schemars(skip)]
    pub span: Span,
}

#[derive(Clone, Debug, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Identity {
    pub id: Spanned<Id>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(rename = "type")]
    #[schemars(with = "IdentityType", default = "default_identity_type")]
    pub kind: Spanned<IdentityType>,
    #[schemars(with = "IdentityStatus", default = "default_identity_status")]
    pub status: Spanned<IdentityStatus>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub terminated_on: Option<Spanned<Date>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub department: Option<Spanned<String>>,
    /// An identity id (humans).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub manager: Option<Spanned<Id>>,
    /// Required in practice for service and agent identities.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner: Option<Spanned<Principal>>,
    #[serde(default)]
    pub credentials: Vec<Credential>,
    #[serde(default)]
    pub grants: Vec<Grant>,
    #[serde(default)]
    pub labels: Labels,
    #[serde(default)]
    pub suppress: Vec<Suppression>,
    #[serde(skip)]
    #[schemars(skip)]
    pub origin: Origin,
}

fn default_identity_type() -> IdentityType {
    IdentityType::Human
}

fn default_identity_status() -> IdentityStatus {
    IdentityStatus::Active
}

#[derive(Clone, Debug, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Credential {
    pub id: Spanned<Id>,
    #[serde(rename = "type")]
    pub kind: CredentialType,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created: Option<Spanned<Date>>,
    /// Missing: rotation age counts from `created`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_rotated: Option<Spanned<Date>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires: Option<Spanned<Date>>,
}

/// What a grant gives: exactly one of `role` and `permission`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GrantTarget<'a> {
    Role(&'a Spanned<Id>),
    Permission(&'a Spanned<PermissionRef>),
}

#[derive(Clone, Debug, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(extend("oneOf" = [{ "required": ["role"] }, { "required": ["permission"] }]))]
pub struct Grant {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<Spanned<Id>>,
    // Boxed: most grants are of roles, and grants are the most numerous objects.
    /// A direct ("exception") grant that bypasses roles.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub permission: Option<Box<Spanned<PermissionRef>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub granted: Option<Spanned<Date>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub approved_by: Option<Spanned<Principal>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ticket: Option<String>,
    /// The playbook that made the grant.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub via: Option<Spanned<Id>>,
    /// A temporary grant is valid through this day.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires: Option<Spanned<Date>>,
    /// Kept as evidence; a revoked grant is inactive.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revoked: Option<Spanned<Date>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub justification: Option<String>,
    /// The grant's mapping in the `grants:` list.
    #[serde(skip)]
    #[schemars(skip)]
    pub span: Span,
}

impl Grant {
    /// The decoder guarantees exactly one of `role` / `permission`.
    pub fn target(&self) -> Option<GrantTarget<'_>> {
        match (&self.role, &self.permission) {
            (Some(role), _) => Some(GrantTarget::Role(role)),
            (None, Some(permission)) => Some(GrantTarget::Permission(permission)),
            (None, None) => None,
        }
    }

    /// The role or permission as written: the `detail` of grant findings.
    pub fn target_text(&self) -> String {
        match self.target() {
            Some(GrantTarget::Role(role)) => role.value.to_string(),
            Some(GrantTarget::Permission(permission)) => permission.value.to_string(),
            None => String::new(),
        }
    }

    /// The span of the `role:` / `permission:` value.
    pub fn target_span(&self) -> Span {
        match self.target() {
            Some(GrantTarget::Role(role)) => role.span,
            Some(GrantTarget::Permission(permission)) => permission.span,
            None => self.span,
        }
    }
}

#[derive(Clone, Debug, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Team {
    pub id: Spanned<Id>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner: Option<Spanned<Principal>>,
    /// Identity ids.
    #[serde(default)]
    pub members: Vec<Spanned<Id>>,
    #[serde(default)]
    pub labels: Labels,
    #[serde(default)]
    pub suppress: Vec<Suppression>,
    #[serde(skip)]
    #[schemars(skip)]
    pub origin: Origin,
}

#[derive(Clone, Debug, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Playbook {
    pub id: Spanned<Id>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner: Option<Spanned<Principal>>,
    #[schemars(with = "Trigger")]
    pub trigger: Spanned<Trigger>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub applies_to: Option<AppliesTo>,
    pub steps: Vec<Step>,
    #[serde(default)]
    pub labels: Labels,
    #[serde(default)]
    pub suppress: Vec<Suppression>,
    #[serde(skip)]
    #[schemars(skip)]
    pub origin: Origin,
}

/// Which identities a playbook is for.
#[derive(Clone, Debug, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AppliesTo {
    #[serde(default)]
    pub types: Vec<IdentityType>,
    #[serde(default)]
    pub departments: Vec<String>,
}

#[derive(Clone, Debug, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// Unique within the playbook.
    pub id: Spanned<Id>,
    #[schemars(with = "Action")]
    pub action: Spanned<Action>,
    /// `approve` steps: principals, or manager | role-owner | app-owner | requester.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub approvers: Vec<Spanned<Approver>>,
    /// `grant` and `revoke` steps.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<Spanned<Id>>,
    /// `grant` steps: the grant is temporary.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1))]
    pub expires_after_days: Option<Spanned<u32>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Steps this one runs after. Missing: the step listed just before; `[]`: none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub after: Option<Vec<Spanned<Id>>>,
}

/// Separation of duties: nobody may hold items from two different sides.
#[derive(Clone, Debug, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SodRule {
    pub id: Spanned<Id>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner: Option<Spanned<Principal>>,
    /// At least two sides, each a list of `app:perm` or `role:<id>` items.
    #[schemars(length(min = 2))]
    pub sides: Vec<Vec<Spanned<SodItem>>>,
    #[serde(default)]
    pub labels: Labels,
    #[serde(default)]
    pub suppress: Vec<Suppression>,
    #[serde(skip)]
    #[schemars(skip)]
    pub origin: Origin,
}

/// Any catalogue object, as loaded.
///
/// Identities are most of a catalogue's objects, so no variant is larger
/// than an identity: bigger ones are boxed (each file's objects are held in
/// a vector of these until the catalogue is assembled).
#[derive(Clone, Debug)]
pub enum Object {
    Application(Application),
    Role(Box<Role>),
    Identity(Identity),
    Team(Team),
    Playbook(Playbook),
    SodRule(SodRule),
}

/// What every kind of object shares, for code that handles any of them.
pub trait CatalogueObject {
    const KIND: Kind;
    fn id(&self) -> &Spanned<Id>;
    fn origin(&self) -> &Origin;
    fn owner(&self) -> Option<&Spanned<Principal>>;
    fn suppressions(&self) -> &[Suppression];
}

macro_rules! catalogue_object {
    ($($type:ident),+) => {$(
        impl CatalogueObject for $type {
            const KIND: Kind = Kind::$type;
            fn id(&self) -> &Spanned<Id> { &self.id }
            fn origin(&self) -> &Origin { &self.origin }
            fn owner(&self) -> Option<&Spanned<Principal>> { self.owner.as_ref() }
            fn suppressions(&self) -> &[Suppression] { &self.suppress }
        }
    )+};
}

catalogue_object!(Application, Role, Identity, Team, Playbook, SodRule);

impl Object {
    pub fn kind(&self) -> Kind {
        match self {
            Object::Application(_) => Kind::Application,
            Object::Role(_) => Kind::Role,
            Object::Identity(_) => Kind::Identity,
            Object::Team(_) => Kind::Team,
            Object::Playbook(_) => Kind::Playbook,
            Object::SodRule(_) => Kind::SodRule,
        }
    }

    pub fn id(&self) -> &Spanned<Id> {
        match self {
            Object::Application(o) => &o.id,
            Object::Role(o) => &o.id,
            Object::Identity(o) => &o.id,
            Object::Team(o) => &o.id,
            Object::Playbook(o) => &o.id,
            Object::SodRule(o) => &o.id,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
        items
            .iter()
            .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
            .collect()
    }

    #[test]
    fn no_kind_of_object_takes_more_room_than_an_identity() {
        assert!(size_of::<Object>() <= size_of::<Identity>() + 8);
    }

    #[test]
    fn labels_are_in_name_order_and_the_last_of_a_name_counts() {
        let written = [("b", "1"), ("a", "2"), ("b", "3"), ("c", "4"), ("a", "5")];
        let labels = Labels::from_pairs(pairs(&written));
        // What a map built by inserting the pairs in order holds.
        let mut map = BTreeMap::new();
        for (name, value) in written {
            map.insert(name, value);
        }
        assert_eq!(
            labels.iter().collect::<Vec<_>>(),
            map.into_iter().collect::<Vec<_>>()
        );
        assert_eq!(labels.get("b"), Some("3"));
        assert_eq!(labels.get("z"), None);
        assert_eq!(labels.len(), 3);
    }

    #[test]
    fn labels_serialize_and_describe_themselves_as_a_map() {
        let labels = Labels::from_pairs(pairs(&[("team", "payments"), ("cost-center", "42")]));
        assert_eq!(
            serde_json::to_string(&labels).ok().as_deref(),
            Some(r#"{"cost-center":"42","team":"payments"}"#)
        );
        assert_eq!(
            schemars::schema_for!(Labels),
            schemars::schema_for!(BTreeMap<String, String>)
        );
    }
}
