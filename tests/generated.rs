//! Generated files committed to the repository must be current: the JSON
//! Schemas under `schemas/` and the rule pages under `docs/rules/`.
//!
//! After a change to the model or a rule's docs, regenerate them with
//! `ROLELINT_BLESS=1 cargo test --test generated` and commit the result.

use std::path::{Path, PathBuf};

use rolelint::model::schema::{SchemaName, to_pretty_json};
use rolelint::rules::RULES;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Compares a committed file with its generated content (or rewrites it when blessing).
fn check_file(path: &Path, generated: &str, stale: &mut Vec<String>) {
    if std::env::var_os("ROLELINT_BLESS").is_some() {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(path, generated).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    if committed != generated {
        stale.push(path.display().to_string());
    }
}

#[test]
fn committed_schemas_are_current() {
    let mut stale = Vec::new();
    for name in SchemaName::all() {
        let path = root().join("schemas").join(name.file_name());
        check_file(&path, &to_pretty_json(&name.generate()), &mut stale);
    }
    assert!(
        stale.is_empty(),
        "stale schemas (run `ROLELINT_BLESS=1 cargo test --test generated`): {stale:?}"
    );
}

fn rule_page(code: &str) -> PathBuf {
    root().join("docs/rules").join(format!("{code}.md"))
}

#[test]
fn rule_pages_are_current() {
    let mut stale = Vec::new();
    let mut index = String::from(
        "# Rules\n\nEvery built-in rule, with its default severity. Each page says what the rule finds, why it matters, the controls it supports, and a failing and a passing example. `rolelint rule CODE` prints the same page.\n\n| rule | severity | finds |\n| --- | --- | --- |\n",
    );
    for rule in RULES {
        let meta = rule.meta();
        check_file(&rule_page(meta.code), &meta.markdown(), &mut stale);
        let summary = meta
            .docs
            .summary
            .split(". ")
            .next()
            .unwrap_or("")
            .trim_end_matches('.');
        index.push_str(&format!(
            "| [`{code}`]({code}.md) | {severity} | {summary}. |\n",
            code = meta.code,
            severity = meta.severity,
        ));
    }
    check_file(&root().join("docs/rules/README.md"), &index, &mut stale);
    assert!(
        stale.is_empty(),
        "stale rule pages (run `ROLELINT_BLESS=1 cargo test --test generated`): {stale:?}"
    );
}
