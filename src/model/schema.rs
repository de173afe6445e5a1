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
}

impl SchemaName {
    /// Every schema, in the order `schemas/` lists them.
    pub fn all() -> Vec<SchemaName> {
        let mut all = vec![SchemaName::Catalogue, SchemaName::Config];
        all.extend(Kind::ALL.iter().map(|kind| SchemaName::Kind(*kind)));
        all
    }

    /// Accepts a kind (any case), `catalogue` or `config`.
    pub fn parse(text: &str) -> Option<SchemaName> {
        match text.to_ascii_lowercase().as_str() {
            "catalogue" | "catalog" => Some(SchemaName::Catalogue),
            "config" | "rolelint.yaml" => Some(SchemaName::Config),
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
        }
    }

    pub fn generate(self) -> Value {
        match self {
            SchemaName::Catalogue => catalogue_schema(),
            SchemaName::Config => root_schema::<Config>(),
            SchemaName::Kind(kind) => kind_schema(kind),
        }
    }
}

fn root_schema<T: JsonSchema>() -> Value {
    SchemaSettings::draft07()
        .into_generator()
        .into_root_schema_for::<T>()
        .to_value()
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
