//! JSON Schemas (draft-07, for yaml-language-server and other editors) of the
//! catalogue format, generated from the model types. The committed copies
//! under `schemas/` are checked against these by a test.

use schemars::JsonSchema;
use schemars::generate::SchemaSettings;
use serde_json::{Map, Value, json};

use super::{Application, Config, Identity, Kind, Playbook, Role, SodRule, Team};

/// The `apiVersion` of catalogue format version 1.
pub const API_VERSION: &str = "rolelint/v1";

/// One schema that `rolelint schema` can print: a kind, the whole catalogue, or the config.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SchemaName {
    Catalogue,
    Config,
    Kind(Kind),
    /// The `input` of custom Rego policies (built in `crate::policy::input`).
    PolicyInput,
}

impl SchemaName {
    /// Every schema, in the order `schemas/` lists them.
    pub fn all() -> Vec<SchemaName> {
        let mut all = vec![SchemaName::Catalogue, SchemaName::Config];
        all.extend(Kind::ALL.iter().map(|kind| SchemaName::Kind(*kind)));
        all.push(SchemaName::PolicyInput);
        all
    }

    /// Accepts a kind (any case), `catalogue` or `config`.
    pub fn parse(text: &str) -> Option<SchemaName> {
        match text.to_ascii_lowercase().as_str() {
            "catalogue" | "catalog" => Some(SchemaName::Catalogue),
            "config" | "rolelint.yaml" => Some(SchemaName::Config),
            "policy-input" => Some(SchemaName::PolicyInput),
            lower => Kind::ALL
                .iter()
                .find(|kind| kind.as_str().to_ascii_lowercase() == lower)
                .map(|kind| SchemaName::Kind(*kind)),
        }
    }

    /// The file name under `schemas/`.
    pub fn file_name(self) -> String {
        match self {
            SchemaName::Catalogue => "catalogue.schema.json".to_owned(),
            SchemaName::Config => "config.schema.json".to_owned(),
            SchemaName::Kind(kind) => format!("{}.schema.json", kind.as_str().to_ascii_lowercase()),
            SchemaName::PolicyInput => "policy-input.schema.json".to_owned(),
        }
    }

    pub fn generate(self) -> Value {
        match self {
            SchemaName::Catalogue => catalogue_schema(),
            SchemaName::Config => root_schema::<Config>(),
            SchemaName::Kind(kind) => kind_schema(kind),
            SchemaName::PolicyInput => crate::policy::input::schema(),
        }
    }
}

fn root_schema<T: JsonSchema>() -> Value {
    let mut schema = SchemaSettings::draft07()
        .into_generator()
        .into_root_schema_for::<T>()
        .to_value();
    strip_null(&mut schema);
    schema
}

/// Optional fields may be left out, but never written as `null` (rolelint
/// reports `expires:` with no value): drop the `null` alternatives schemars
/// adds for `Option` fields.
fn strip_null(schema: &mut Value) {
    match schema {
        Value::Object(object) => {
            if let Some(Value::Array(types)) = object.get_mut("type") {
                types.retain(|t| t != "null");
                if types.len() == 1 {
                    let single = types[0].clone();
                    object.insert("type".into(), single);
                }
            }
            if let Some(Value::Array(alternatives)) = object.get("anyOf") {
                let rest: Vec<Value> = alternatives
                    .iter()
                    .filter(|alternative| alternative.get("type") != Some(&json!("null")))
                    .cloned()
                    .collect();
                if rest.len() == 1
                    && let Some(Value::Object(only)) = rest.into_iter().next()
                {
                    object.remove("anyOf");
                    for (key, value) in only {
                        object.entry(key).or_insert(value);
                    }
                }
            }
            for value in object.values_mut() {
                strip_null(value);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(strip_null),
        _ => {}
    }
}

/// A kind's schema: its fields, plus the `apiVersion` and `kind` header.
pub fn kind_schema(kind: Kind) -> Value {
    let mut schema = match kind {
        Kind::Application => root_schema::<Application>(),
        Kind::Role => root_schema::<Role>(),
        Kind::Identity => root_schema::<Identity>(),
        Kind::Team => root_schema::<Team>(),
        Kind::Playbook => root_schema::<Playbook>(),
        Kind::SodRule => root_schema::<SodRule>(),
    };
    if let Some(object) = schema.as_object_mut() {
        object.insert(
            "title".into(),
            json!(format!("rolelint {} ({API_VERSION})", kind.as_str())),
        );
        if let Some(Value::Object(properties)) = object.get_mut("properties") {
            let mut header = Map::new();
            header.insert("apiVersion".into(), json!({ "const": API_VERSION }));
            header.insert("kind".into(), json!({ "const": kind.as_str() }));
            header.append(properties);
            *properties = header;
        }
        let required = object.entry("required").or_insert_with(|| json!([]));
        if let Value::Array(required) = required {
            required.insert(0, json!("kind"));
            required.insert(0, json!("apiVersion"));
        }
    }
    schema
}

/// One schema for any catalogue document, dispatching on `kind`.
fn catalogue_schema() -> Value {
    let mut definitions = Map::new();
    let mut branches = Vec::new();
    for kind in Kind::ALL {
        let mut schema = kind_schema(*kind);
        if let Some(Value::Object(local)) = schema
            .as_object_mut()
            .and_then(|object| object.remove("definitions"))
        {
            definitions.extend(local);
        }
        if let Some(object) = schema.as_object_mut() {
            object.remove("$schema");
        }
        definitions.insert(kind.as_str().into(), schema);
        branches.push(json!({
            "if": { "properties": { "kind": { "const": kind.as_str() } }, "required": ["kind"] },
            "then": { "$ref": format!("#/definitions/{}", kind.as_str()) }
        }));
    }
    json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": format!("rolelint catalogue document ({API_VERSION})"),
        "type": "object",
        "required": ["apiVersion", "kind", "id"],
        "properties": {
            "apiVersion": { "const": API_VERSION },
            "kind": { "enum": Kind::KEYWORDS },
        },
        "allOf": branches,
        "definitions": definitions,
    })
}

/// Pretty JSON with a trailing newline, as committed under `schemas/`.
pub fn to_pretty_json(schema: &Value) -> String {
    let mut text = serde_json::to_string_pretty(schema).unwrap_or_default();
    text.push('\n');
    text
}
