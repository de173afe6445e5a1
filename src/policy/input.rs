//! The policy input: the resolved catalogue as one JSON document, and its
//! JSON Schema (`schemas/policy-input.schema.json`).
//!
//! Each object is its model type serialized (the shape users write, defaults
//! filled in), plus `kind`, `location` and the derived facts the graph has
//! already computed. Objects are converted in parallel; every derived list
//! costs what the object holds (its grants, its effective permissions), so
//! building the input is linear in the catalogue. Permission and role names
//! are shared strings, not copies per identity.

use rayon::prelude::*;
use regorus::Value;
use regorus::value::Object;
use serde::Serialize;
use serde_json::{Map, json};

use super::PolicyError;
use super::value::{Interner, to_value};
use crate::graph::{Graph, PermId, is_active, is_unrevoked_expired};
use crate::model::schema::{API_VERSION, kind_schema};
use crate::model::{CatalogueObject, IdentityStatus, IdentityType, Kind, Span};

/// The name of each kind's array in the input.
pub fn array_name(kind: Kind) -> &'static str {
    match kind {
        Kind::Application => "applications",
        Kind::Role => "roles",
        Kind::Identity => "identities",
        Kind::Team => "teams",
        Kind::Playbook => "playbooks",
        Kind::SodRule => "sod_rules",
    }
}

/// Names shared by every object that lists them, with their rank in string
/// order, so that each list is sorted by name without comparing strings.
struct Names {
    permissions: Vec<Value>,
    permission_rank: Vec<u32>,
    roles: Vec<Value>,
    role_rank: Vec<u32>,
}

fn ranks(names: &[String]) -> Vec<u32> {
    let mut order: Vec<u32> = (0..names.len() as u32).collect();
    order.sort_by(|a, b| names[*a as usize].cmp(&names[*b as usize]));
    let mut rank = vec![0; names.len()];
    for (position, index) in order.into_iter().enumerate() {
        rank[index as usize] = position as u32;
    }
    rank
}

impl Names {
    fn new(graph: &Graph) -> Names {
        let catalogue = graph.catalogue;
        let permissions: Vec<String> = (0..graph.permissions.names.len() as PermId)
            .map(|permission| graph.permissions.display(catalogue, permission))
            .collect();
        let roles: Vec<String> = catalogue
            .roles
            .iter()
            .map(|role| role.id.value.to_string())
            .collect();
        Names {
            permission_rank: ranks(&permissions),
            permissions: permissions.into_iter().map(Value::from).collect(),
            role_rank: ranks(&roles),
            roles: roles.into_iter().map(Value::from).collect(),
        }
    }

    fn permission_list(&self, permissions: &[PermId]) -> Value {
        let mut sorted = permissions.to_vec();
        sorted.sort_by_key(|permission| self.permission_rank[*permission as usize]);
        Value::from(
            sorted
                .into_iter()
                .map(|permission| self.permissions[permission as usize].clone())
                .collect::<Vec<_>>(),
        )
    }

    fn role_list(&self, roles: &[u32]) -> Value {
        let mut sorted = roles.to_vec();
        sorted.sort_by_key(|role| self.role_rank[*role as usize]);
        Value::from(
            sorted
                .into_iter()
                .map(|role| self.roles[role as usize].clone())
                .collect::<Vec<_>>(),
        )
    }
}

fn internal(error: impl std::fmt::Display) -> PolicyError {
    PolicyError::Input(error.to_string())
}

/// Objects converted by one worker, sharing one [`Interner`].
const CHUNK: usize = 4096;

fn location(graph: &Graph, span: Span, interner: &mut Interner) -> Value {
    let mut fields = Object::new();
    fields.insert(
        interner.string("path"),
        interner.string(graph.catalogue.sources.path(span.file)),
    );
    fields.insert(interner.string("line"), Value::from(u64::from(span.line)));
    fields.insert(
        interner.string("column"),
        Value::from(u64::from(span.column)),
    );
    Value::from(fields)
}

/// Inserting into a converted object makes it mutable again; this turns it
/// back into compact storage.
fn refreeze(value: &mut Value) -> Result<(), PolicyError> {
    let fields = std::mem::take(value.as_object_mut().map_err(internal)?);
    *value = Value::from(fields);
    Ok(())
}

/// One kind's array: each object as written, with `kind`, `location`, and
/// what `derive` adds from the graph (given the object's index).
fn objects<T, F>(graph: &Graph, objects: &[T], derive: F) -> Result<Value, PolicyError>
where
    T: Serialize + CatalogueObject + Sync,
    F: Fn(usize, &T, &mut Object, &mut Interner) -> Result<(), PolicyError> + Sync,
{
    let chunks = objects
        .par_chunks(CHUNK)
        .enumerate()
        .map(|(chunk, objects)| {
            let mut interner = Interner::default();
            objects
                .iter()
                .enumerate()
                .map(|(offset, object)| {
                    let mut value = to_value(object, &mut interner).map_err(internal)?;
                    let fields = value.as_object_mut().map_err(internal)?;
                    fields.insert(interner.string("kind"), interner.string(T::KIND.as_str()));
                    let location = location(graph, object.id().span, &mut interner);
                    fields.insert(interner.string("location"), location);
                    derive(chunk * CHUNK + offset, object, fields, &mut interner)?;
                    refreeze(&mut value)?;
                    Ok(value)
                })
                .collect::<Result<Vec<Value>, PolicyError>>()
        })
        .collect::<Result<Vec<Vec<Value>>, PolicyError>>()?;
    Ok(Value::from(
        chunks.into_iter().flatten().collect::<Vec<_>>(),
    ))
}

/// Builds the input of every policy from the resolved catalogue.
pub fn build(graph: &Graph) -> Result<Value, PolicyError> {
    let catalogue = graph.catalogue;
    let names = Names::new(graph);
    let now = graph.now;

    let applications = objects(graph, &catalogue.applications, |_, _, _, _| Ok(()))?;
    let roles = objects(graph, &catalogue.roles, |index, role, fields, interner| {
        let facts = &graph.role_facts[index];
        fields.insert(
            interner.string("effective_permissions"),
            names.permission_list(&facts.effective),
        );
        fields.insert(
            interner.string("ancestors"),
            names.role_list(&facts.ancestors),
        );
        fields.insert(
            interner.string("privileged_declared"),
            Value::from(role.privileged.value),
        );
        fields.insert(
            interner.string("privileged_effective"),
            Value::from(facts.effectively_privileged),
        );
        // Replaces the written flag: what the built-in rules call privileged.
        fields.insert(interner.string("privileged"), Value::from(facts.privileged));
        Ok(())
    })?;
    let identities = objects(
        graph,
        &catalogue.identities,
        |index, identity, fields, interner| {
            let facts = &graph.identity_facts[index];
            fields.insert(
                interner.string("effective_permissions"),
                names.permission_list(&facts.effective),
            );
            fields.insert(interner.string("roles"), names.role_list(&facts.held_roles));
            let (active, expired_unrevoked) = (
                interner.string("active"),
                interner.string("expired_unrevoked"),
            );
            if let Some(grants) = fields.get_mut(&interner.string("grants")) {
                let grants = grants.as_array_mut().map_err(internal)?;
                for (grant, value) in identity.grants.iter().zip(grants.iter_mut()) {
                    let grant_fields = value.as_object_mut().map_err(internal)?;
                    grant_fields.insert(active.clone(), Value::from(is_active(grant, now)));
                    grant_fields.insert(
                        expired_unrevoked.clone(),
                        Value::from(is_unrevoked_expired(grant, now)),
                    );
                    refreeze(value)?;
                }
            }
            Ok(())
        },
    )?;
    let teams = objects(graph, &catalogue.teams, |index, team, fields, interner| {
        fields.insert(
            interner.string("accountable"),
            Value::from(graph.team_accountable[index]),
        );
        let mut active_humans: Vec<Value> = Vec::new();
        for member in &team.members {
            let is_active_human = graph.identity(member.as_str()).is_some_and(|identity| {
                identity.kind.value == IdentityType::Human
                    && identity.status.value == IdentityStatus::Active
            });
            let member = interner.string(member.as_str());
            if is_active_human && !active_humans.contains(&member) {
                active_humans.push(member);
            }
        }
        fields.insert(
            interner.string("active_human_members"),
            Value::from(active_humans),
        );
        Ok(())
    })?;
    let playbooks = objects(graph, &catalogue.playbooks, |_, _, _, _| Ok(()))?;
    let sod_rules = objects(graph, &catalogue.sod_rules, |_, _, _, _| Ok(()))?;

    let mut input = Object::new();
    input.insert(Value::from("now"), Value::from(now.to_string()));
    input.insert(Value::from(array_name(Kind::Application)), applications);
    input.insert(Value::from(array_name(Kind::Role)), roles);
    input.insert(Value::from(array_name(Kind::Identity)), identities);
    input.insert(Value::from(array_name(Kind::Team)), teams);
    input.insert(Value::from(array_name(Kind::Playbook)), playbooks);
    input.insert(Value::from(array_name(Kind::SodRule)), sod_rules);
    Ok(Value::from(input))
}

/// Derived fields of each kind: name → (schema, description).
fn derived(kind: Kind) -> Vec<(&'static str, serde_json::Value)> {
    let strings = |description: &str| json!({ "type": "array", "items": { "type": "string" }, "description": description });
    let flag = |description: &str| json!({ "type": "boolean", "description": description });
    match kind {
        Kind::Role => vec![
            (
                "effective_permissions",
                strings(
                    "Every permission the role gives, its own and inherited, wildcards expanded, as sorted `app:perm` strings. Unknown references contribute nothing.",
                ),
            ),
            (
                "ancestors",
                strings(
                    "Ids of every role reachable through `inherits`, sorted; the role itself only when it is on an inheritance cycle.",
                ),
            ),
            (
                "privileged_declared",
                flag("`privileged` as written in YAML (default false)."),
            ),
            (
                "privileged_effective",
                flag(
                    "Some effective permission is declared `privileged: true` by its application.",
                ),
            ),
            (
                "privileged",
                flag(
                    "Declared or effectively privileged (`privileged_declared || privileged_effective`): what the built-in rules call a privileged role. Replaces the written flag.",
                ),
            ),
        ],
        Kind::Identity => vec![
            (
                "effective_permissions",
                strings(
                    "Permissions held through active grants (roles with what they inherit, and direct grants), as sorted `app:perm` strings.",
                ),
            ),
            (
                "roles",
                strings(
                    "Ids of the roles held through active grants, including the roles those inherit, sorted.",
                ),
            ),
        ],
        Kind::Team => vec![
            (
                "accountable",
                flag("At least one member is an active human identity."),
            ),
            (
                "active_human_members",
                strings(
                    "Member ids that are active human identities, in the order written, each once.",
                ),
            ),
        ],
        Kind::Application | Kind::Playbook | Kind::SodRule => Vec::new(),
    }
}

/// One kind's object in the input: the kind's schema without `apiVersion`,
/// fields with defaults always present, plus `location` and derived fields.
fn object_schema(
    kind: Kind,
    definitions: &mut Map<String, serde_json::Value>,
) -> serde_json::Value {
    let mut schema = kind_schema(kind);
    let Some(object) = schema.as_object_mut() else {
        return schema;
    };
    object.remove("$schema");
    if let Some(serde_json::Value::Object(local)) = object.remove("definitions") {
        definitions.extend(local);
    }
    object.insert(
        "title".into(),
        json!(format!("{} in the policy input", kind.as_str())),
    );
    let mut required: Vec<String> = object
        .get("required")
        .and_then(serde_json::Value::as_array)
        .map(|names| {
            names
                .iter()
                .filter_map(serde_json::Value::as_str)
                .filter(|name| *name != "apiVersion")
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    required.push("location".into());
    if let Some(serde_json::Value::Object(properties)) = object.get_mut("properties") {
        properties.remove("apiVersion");
        for (name, property) in properties.iter() {
            // Written or not, a field with a default is always in the input.
            if property.get("default").is_some() && !required.contains(name) {
                required.push(name.clone());
            }
        }
        properties.insert(
            "location".into(),
            json!({ "$ref": "#/definitions/Location" }),
        );
        for (name, property) in derived(kind) {
            // `privileged` keeps its place but changes meaning (see above).
            properties.insert(name.into(), property);
            if !required.iter().any(|known| known == name) {
                required.push(name.into());
            }
        }
    }
    object.insert("required".into(), json!(required));
    schema
}

/// The JSON Schema (draft-07) of the policy input.
pub fn schema() -> serde_json::Value {
    let mut definitions = Map::new();
    let mut properties = Map::new();
    properties.insert(
        "now".into(),
        json!({
            "$ref": "#/definitions/Date",
            "description": "The evaluation date (`--now`, default today UTC), YYYY-MM-DD.",
        }),
    );
    for kind in Kind::ALL {
        let object = object_schema(*kind, &mut definitions);
        definitions.insert(format!("{}Input", kind.as_str()), object);
        properties.insert(
            array_name(*kind).into(),
            json!({
                "type": "array",
                "description": format!("Every valid {} of the catalogue, in catalogue order (path, then position in the file).", kind.as_str()),
                "items": { "$ref": format!("#/definitions/{}Input", kind.as_str()) },
            }),
        );
    }
    definitions.insert(
        "Location".into(),
        json!({
            "type": "object",
            "description": "Where the object's `id` value is: the place its findings point at.",
            "additionalProperties": false,
            "required": ["path", "line", "column"],
            "properties": {
                "path": { "type": "string", "description": "Relative to the catalogue root, with `/` separators." },
                "line": { "type": "integer", "minimum": 1 },
                "column": { "type": "integer", "minimum": 1, "description": "In characters, 1-based." },
            },
        }),
    );
    // Grants say whether they count on `now`.
    if let Some(serde_json::Value::Object(grant)) = definitions.get_mut("Grant") {
        if let Some(serde_json::Value::Object(grant_properties)) = grant.get_mut("properties") {
            grant_properties.insert(
                "active".into(),
                json!({ "type": "boolean", "description": "Not revoked, and `expires` (if any) is not before now." }),
            );
            grant_properties.insert(
                "expired_unrevoked".into(),
                json!({ "type": "boolean", "description": "`expires` is before now and the grant was never revoked." }),
            );
        }
        grant.insert("required".into(), json!(["active", "expired_unrevoked"]));
    }
    json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": format!("rolelint policy input ({API_VERSION})"),
        "description": "The `input` document of custom Rego policies (docs/policies.md).",
        "type": "object",
        "additionalProperties": false,
        "required": ["now", "applications", "roles", "identities", "teams", "playbooks", "sod_rules"],
        "properties": properties,
        "definitions": definitions,
    })
}
