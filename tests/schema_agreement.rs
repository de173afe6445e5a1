//! The committed JSON Schemas and rolelint's own decoder agree: every
//! document rolelint accepts validates against the schema of its kind, and
//! documents rolelint rejects for their shape are rejected by the schema too.

use rolelint::load::yaml::{self, Node, Value, YamlLimits};
use serde_json::Value as Json;

fn to_json(node: &Node) -> Json {
    match &node.value {
        Value::Null => Json::Null,
        Value::Bool(b) => Json::Bool(*b),
        Value::Int(i) => serde_json::json!(*i),
        Value::Float(x) => serde_json::json!(*x),
        Value::Str(s) => Json::String(s.to_string()),
        Value::Seq(items) => Json::Array(items.iter().map(to_json).collect()),
        Value::Map(entries) => Json::Object(
            entries
                .iter()
                .map(|(key, value)| match &key.value {
                    Value::Str(key) => (key.to_string(), to_json(value)),
                    other => (format!("{other:?}"), to_json(value)),
                })
                .collect(),
        ),
    }
}

fn catalogue_validator() -> jsonschema::Validator {
    let schema: Json = serde_json::from_str(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/schemas/catalogue.schema.json"
        ))
        .unwrap(),
    )
    .unwrap();
    jsonschema::draft7::new(&schema).unwrap()
}

fn documents(text: &str) -> Vec<Json> {
    yaml::split_documents(text)
        .into_iter()
        .map(|slice| {
            to_json(
                &yaml::parse_document(&text[slice.start..slice.end], &YamlLimits::default())
                    .unwrap(),
            )
        })
        .filter(|doc| {
            doc.get("apiVersion")
                .and_then(Json::as_str)
                .is_some_and(|v| v.starts_with("rolelint/"))
        })
        .collect()
}

#[test]
fn example_catalogue_validates_against_the_schema() {
    let validator = catalogue_validator();
    let mut checked = 0;
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/example/access");
    let mut stack = vec![std::path::PathBuf::from(root)];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "yaml") {
                for doc in documents(&std::fs::read_to_string(&path).unwrap()) {
                    let errors: Vec<String> =
                        validator.iter_errors(&doc).map(|e| e.to_string()).collect();
                    assert!(errors.is_empty(), "{}: {errors:?}\n{doc}", path.display());
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 50, "only {checked} documents checked");
}

#[test]
fn shape_errors_are_rejected_by_both() {
    let validator = catalogue_validator();
    let cases = [
        "apiVersion: rolelint/v1\nkind: Role\nid: r\npermisions: []\n",
        "apiVersion: rolelint/v1\nkind: Role\nid: r\nprivileged: no\n",
        "apiVersion: rolelint/v1\nkind: Role\nid: 'bad id'\n",
        "apiVersion: rolelint/v1\nkind: Identity\nid: a\ngrants:\n  - granted: 2026-01-01\n",
        "apiVersion: rolelint/v1\nkind: Identity\nid: a\ngrants:\n  - role: r\n    expires: 31/01/2026\n",
        "apiVersion: rolelint/v1\nkind: Identity\nid: a\ntype: robot\n",
        "apiVersion: rolelint/v1\nkind: Team\nid: t\nmembers: bob\n",
        "apiVersion: rolelint/v1\nkind: Role\nid: r\npermissions: [stripe]\n",
        "apiVersion: rolelint/v1\nkind: SodRule\nid: s\nsides: [[a:b]]\n",
        "apiVersion: rolelint/v1\nkind: Playbook\nid: p\ntrigger: leaver\n",
        "apiVersion: rolelint/v1\nkind: Widget\nid: w\n",
        "apiVersion: rolelint/v1\nkind: Role\nid: r\nmax_grant_days: 0\n",
    ];
    let options = rolelint::load::LoadOptions {
        rule_codes: rolelint::rules::codes(),
        ..Default::default()
    };
    for case in cases {
        let doc = documents(case).remove(0);
        assert!(!validator.is_valid(&doc), "schema accepts:\n{case}");
        let catalogue =
            rolelint::load::load_memory(&[("case.yaml", case)], None, &options).unwrap();
        assert!(
            !catalogue.findings.is_empty() && catalogue.object_count() == 0,
            "rolelint accepts:\n{case}"
        );
    }
}
