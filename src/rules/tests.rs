//! Registry tests: codes, order, docs, and agreement with RULES.md.

use super::*;
use crate::load::{LoadOptions, load_memory};
use crate::model::Date;

fn spec_rules() -> Vec<(String, String)> {
    // The contract lives beside the repository (`../shared/spec/`).
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/spec/RULES.md");
    let spec = std::fs::read_to_string(path)
        .unwrap_or_else(|error| panic!("cannot read the rules contract {path}: {error}"));
    spec.lines()
        .filter_map(|line| {
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            (cells.len() > 3 && cells[1].contains('/') && !cells[1].starts_with("rule"))
                .then(|| (cells[1].trim_matches('`').to_owned(), cells[2].to_owned()))
        })
        .collect()
}

#[test]
fn codes_are_unique_and_alphabetical() {
    let codes = codes();
    let mut sorted = codes.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(
        codes, sorted,
        "the registry must be alphabetical without duplicates"
    );
}

#[test]
fn every_rule_is_documented() {
    for rule in RULES {
        let meta = rule.meta();
        let docs = &meta.docs;
        assert!(meta.code.contains('/'), "{}", meta.code);
        for (what, text) in [
            ("summary", docs.summary),
            ("why", docs.why),
            ("failing", docs.failing),
            ("passing", docs.passing),
        ] {
            assert!(text.trim().len() > 20, "{}: {what} is missing", meta.code);
        }
        assert!(!docs.controls.is_empty(), "{}: no controls", meta.code);
    }
}

#[test]
fn implemented_rules_are_in_rules_md_with_its_severities() {
    let spec = spec_rules();
    assert!(spec.len() >= 30, "RULES.md table not parsed: {spec:?}");
    for rule in RULES {
        let meta = rule.meta();
        let (_, severity) = spec
            .iter()
            .find(|(code, _)| code == meta.code)
            .unwrap_or_else(|| panic!("{} is not in RULES.md", meta.code));
        assert_eq!(severity, meta.severity.as_str(), "{}", meta.code);
    }
}

#[test]
fn every_rule_of_rules_md_is_implemented() {
    let implemented = codes();
    let missing: Vec<String> = spec_rules()
        .into_iter()
        .map(|(code, _)| code)
        .filter(|code| !implemented.contains(&code.as_str()))
        .collect();
    assert!(
        missing.is_empty(),
        "rules of RULES.md with no implementation: {missing:?}"
    );
}

/// Loads a rule's example and runs every rule over it.
fn findings_of(example: &str) -> Vec<crate::Diagnostic> {
    let options = LoadOptions {
        rule_codes: codes(),
        ..LoadOptions::default()
    };
    let catalogue = load_memory(&[("catalogue.yaml", example)], None, &options)
        .unwrap_or_else(|error| panic!("example does not load: {error}"));
    let now = Date::parse("2026-11-26").unwrap_or_else(|e| panic!("{e}"));
    let graph = crate::graph::Graph::build(&catalogue, now);
    engine::run(&graph).findings
}

#[test]
fn failing_examples_fire_and_passing_examples_do_not() {
    for rule in RULES {
        let meta = rule.meta();
        let failing = findings_of(meta.docs.failing);
        assert!(
            failing.iter().any(|finding| finding.rule == meta.code),
            "{}: the failing example does not fire: {failing:#?}",
            meta.code
        );
        let passing = findings_of(meta.docs.passing);
        assert!(
            !passing.iter().any(|finding| finding.rule == meta.code),
            "{}: the passing example fires: {passing:#?}",
            meta.code
        );
    }
}
