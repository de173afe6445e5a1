//! The shipped example catalogue against its answer key, EXPECTED.md,
//! worked out by hand from RULES.md: rolelint must find exactly those
//! findings (rule, object, detail, file), and point at the same lines.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use rolelint::report::Report;

/// (rule, object, detail, path) and the accepted lines (anchor and `id:`).
type Row = ((String, String, String, String), Vec<u32>);

fn expected_rows() -> Vec<Row> {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/example/EXPECTED.md"
    ))
    .unwrap();
    let mut rows = Vec::new();
    for line in text.lines() {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        // | # | rule | sev | object | detail | file:line | anchor | id: | why |
        if cells.len() < 10 || cells[1].parse::<u32>().is_err() {
            continue;
        }
        let object = cells[4].replace('`', "");
        let object = object
            .split_once(' ')
            .map(|(kind, id)| format!("{kind}:{id}"))
            .unwrap_or(object);
        let detail = match cells[5].trim_matches('`') {
            "—" => "-".to_owned(),
            other => other.to_owned(),
        };
        let (path, anchor_line) = cells[6].rsplit_once(':').unwrap();
        let mut lines = vec![anchor_line.parse().unwrap()];
        if let Ok(id_line) = cells[8].parse() {
            lines.push(id_line);
        }
        rows.push((
            (cells[2].to_owned(), object, detail, path.to_owned()),
            lines,
        ));
    }
    rows
}

#[test]
fn example_findings_match_the_answer_key() {
    let dir = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/example"));
    let (catalogue, outcome, now) = common::check(dir);
    let report = Report::of(&catalogue, &outcome, now);
    let expected = expected_rows();
    assert_eq!(expected.len(), 42, "EXPECTED.md parsed wrongly");
    let actual: Vec<((String, String, String, String), u32)> = common::finding_lines(&report)
        .into_iter()
        .map(|line| {
            let parts: Vec<&str> = line.split(' ').collect();
            let (path, line) = parts[3].rsplit_once(':').unwrap();
            (
                (
                    parts[0].to_owned(),
                    parts[1].to_owned(),
                    parts[2].to_owned(),
                    path.to_owned(),
                ),
                line.parse().unwrap(),
            )
        })
        .collect();
    let expected_keys: BTreeSet<_> = expected.iter().map(|(key, _)| key.clone()).collect();
    let actual_keys: BTreeSet<_> = actual.iter().map(|(key, _)| key.clone()).collect();
    let missed: Vec<_> = expected_keys.difference(&actual_keys).collect();
    let extra: Vec<_> = actual_keys.difference(&expected_keys).collect();
    assert!(
        missed.is_empty() && extra.is_empty(),
        "missed: {missed:#?}\nextra: {extra:#?}"
    );
    assert_eq!(actual.len(), expected.len(), "one finding per expected row");
    // Lines: the anchor EXPECTED.md names, or the object's id line.
    let mut off_line = Vec::new();
    for (key, lines) in &expected {
        let found = actual.iter().find(|(k, _)| k == key).map(|(_, line)| *line);
        if !found.is_some_and(|line| lines.contains(&line)) {
            off_line.push((key.clone(), found, lines.clone()));
        }
    }
    // Deliberate anchors (see each rule's docs): whole-playbook findings
    // point at the `trigger` value that makes the rule apply, and
    // self-approval at the `requester` approver item, not at an id.
    let deliberate = [
        ("workflow/leaver-incomplete", 7),
        ("workflow/mover-without-revoke", 7),
        ("workflow/self-approval-allowed", 17),
    ];
    off_line.retain(|(key, found, _)| !deliberate.contains(&(key.0.as_str(), found.unwrap_or(0))));
    assert!(
        off_line.is_empty(),
        "findings on other lines than EXPECTED.md: {off_line:#?}"
    );
    assert_eq!(outcome.suppressed, 1);
}
