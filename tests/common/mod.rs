//! Shared helpers of the integration tests.
#![allow(dead_code)]

use std::path::Path;

use rolelint::load::{self, Catalogue, LoadOptions};
use rolelint::model::Date;
use rolelint::report::{Report, human, json};
use rolelint::rules::engine::Outcome;

/// The evaluation date of every fixture, unless a case has a `now.txt`.
pub const NOW: &str = "2026-11-26";

pub fn now_for(dir: &Path) -> Date {
    let text = std::fs::read_to_string(dir.join("now.txt")).unwrap_or_else(|_| NOW.to_owned());
    Date::parse(text.trim())
        .unwrap_or_else(|error| panic!("bad now.txt in {}: {error}", dir.display()))
}

/// The files under `dir` (none if it does not exist), in no particular order.
pub fn files_under(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries {
            let path = entry.unwrap().path();
            if path.is_dir() {
                files.extend(files_under(&path));
            } else {
                files.push(path);
            }
        }
    }
    files
}

/// Loads and analyses the catalogue rooted at `dir`.
pub fn check(dir: &Path) -> (Catalogue, Outcome, Date) {
    let options = LoadOptions {
        start: dir.to_path_buf(),
        rule_codes: rolelint::rules::codes(),
        ..LoadOptions::default()
    };
    let catalogue =
        load::load(&options).unwrap_or_else(|error| panic!("{}: {error}", dir.display()));
    let now = now_for(dir);
    let outcome = rolelint::analyse(&catalogue, now);
    (catalogue, outcome, now)
}

pub fn render_human(report: &Report) -> String {
    human::render(
        report,
        human::Style {
            color: false,
            width: 100,
        },
    )
}

pub fn render_json(report: &Report) -> String {
    json::render(report)
}

/// One line per finding, as `expected.txt` files write them:
/// `<rule> <Kind>:<id>|- <detail>|- <path>:<line>`.
pub fn finding_lines(report: &Report) -> Vec<String> {
    let mut lines: Vec<String> = report
        .findings
        .iter()
        .map(|finding| {
            let object = finding.object.as_ref().map_or("-".to_owned(), |object| {
                format!("{}:{}", object.kind, object.id)
            });
            let location = finding.span.map_or("-".to_owned(), |span| {
                format!("{}:{}", report.sources.path(span.file), span.line)
            });
            format!(
                "{} {} {} {}",
                finding.rule,
                object,
                finding.detail.as_deref().unwrap_or("-"),
                location
            )
        })
        .collect();
    lines.sort();
    lines
}

/// Runs Graphviz (`dot`, the executable to run) on `source` with
/// `-T{format}` and returns what it printed and how it exited.
pub fn run_graphviz(dot: &str, format: &str, source: &str) -> std::process::Output {
    use std::io::Write as _;
    use std::process::{Command, Stdio};
    let mut child = Command::new(dot)
        .arg(format!("-T{format}"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(source.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}
