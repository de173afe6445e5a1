//! Fixture catalogues: every directory `tests/fixtures/<case>/` with a
//! `rolelint.yaml` is checked (at 2026-11-26, or the date in its `now.txt`).
//!
//! For each case, the human and JSON outputs are insta snapshots, and when
//! the case has an `expected.txt` (one finding per line:
//! `<rule> <Kind>:<id> <detail or -> <path>:<line>`, in any order), the
//! findings must be exactly those. Cases are named `<category>-<rule>-fires`
//! and `<category>-<rule>-near-miss`.
//!
//! Update snapshots after reviewing them: `INSTA_UPDATE=always cargo test --test fixtures`.

mod common;

use rolelint::report::Report;

#[test]
fn fixture_catalogues() {
    insta::glob!("fixtures/*/rolelint.yaml", |config| {
        let dir = config
            .parent()
            .unwrap_or_else(|| panic!("{}", config.display()));
        let (catalogue, outcome, now) = common::check(dir);
        let report = Report::of(&catalogue, &outcome, now);
        let case = dir
            .file_name()
            .and_then(|name| name.to_str())
            .unwrap_or("case");
        insta::with_settings!({ snapshot_suffix => case }, {
            insta::assert_snapshot!("human", common::render_human(&report));
            insta::assert_snapshot!("json", common::render_json(&report));
        });
        if let Ok(expected) = std::fs::read_to_string(dir.join("expected.txt")) {
            let mut expected: Vec<String> = expected
                .lines()
                .map(|line| line.split_whitespace().collect::<Vec<_>>().join(" "))
                .filter(|line| !line.is_empty() && !line.starts_with('#'))
                .collect();
            expected.sort();
            assert_eq!(
                common::finding_lines(&report),
                expected,
                "findings of {} differ from its expected.txt",
                dir.display()
            );
        }
    });
}
