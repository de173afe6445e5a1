//! The command line: arguments, output and exit codes (CLI.md).

use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;

fn rolelint() -> Command {
    Command::cargo_bin("rolelint").unwrap()
}

/// Writes `files` under a fresh directory that is its own catalogue root.
fn catalogue(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("rolelint.yaml"), "# test catalogue\n").unwrap();
    for (path, text) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

/// A small catalogue with no findings at 2026-11-26.
const CLEAN: &str = r#"apiVersion: rolelint/v1
kind: Identity
id: alice
name: Alice
department: engineering
---
apiVersion: rolelint/v1
kind: Application
id: github
owner: alice
permissions:
  - id: repo.read
---
apiVersion: rolelint/v1
kind: Role
id: developer
owner: alice
department: engineering
permissions: [github:repo.read]
review:
  last_reviewed: 2026-10-01
"#;

/// One warning (a wildcard permission) and nothing else.
fn warning_only() -> String {
    CLEAN.replace(
        "permissions: [github:repo.read]",
        "permissions: [\"github:*\"]",
    )
}

const BROKEN: &str = "apiVersion: rolelint/v1\nkind: Role\nid: x\nowner: alice\nprivileged: no\n";

fn json_of(output: &[u8]) -> Value {
    serde_json::from_slice(output)
        .unwrap_or_else(|error| panic!("not JSON ({error}): {}", String::from_utf8_lossy(output)))
}

fn check(dir: &Path, extra: &[&str]) -> assert_cmd::assert::Assert {
    rolelint()
        .arg("check")
        .arg(dir)
        .args(["--now", "2026-11-26"])
        .args(extra)
        .assert()
}

#[test]
fn clean_catalogue_exits_0() {
    let dir = catalogue(&[("access/all.yaml", CLEAN)]);
    let output = check(dir.path(), &["--format", "json"])
        .code(0)
        .get_output()
        .stdout
        .clone();
    let json = json_of(&output);
    assert_eq!(json["findings"], Value::Array(vec![]));
    assert_eq!(json["summary"]["objects"], 3);
    assert_eq!(json["summary"]["files"], 1);
}

#[test]
fn findings_at_or_above_fail_on_exit_1() {
    let dir = catalogue(&[("all.yaml", &warning_only())]);
    // Default --fail-on error: a warning alone passes.
    check(dir.path(), &[]).code(0);
    check(dir.path(), &["--fail-on", "warning"]).code(1);
    check(dir.path(), &["--fail-on", "info"]).code(1);
    let broken = catalogue(&[("all.yaml", BROKEN)]);
    check(broken.path(), &[]).code(1);
    check(broken.path(), &["--fail-on", "never"]).code(0);
}

#[test]
fn severity_overrides_and_off_come_from_the_config() {
    let dir = catalogue(&[("all.yaml", &warning_only())]);
    std::fs::write(
        dir.path().join("rolelint.yaml"),
        "rules:\n  privilege/wildcard-permission: error\n",
    )
    .unwrap();
    check(dir.path(), &[]).code(1);
    std::fs::write(
        dir.path().join("rolelint.yaml"),
        "rules:\n  privilege/wildcard-permission: 'off'\n",
    )
    .unwrap();
    check(dir.path(), &["--fail-on", "info"]).code(0);
}

#[test]
fn json_output_has_the_documented_shape_and_is_stable() {
    let dir = catalogue(&[("b.yaml", BROKEN), ("a.yaml", CLEAN)]);
    let first = check(dir.path(), &["--format", "json"])
        .code(1)
        .get_output()
        .stdout
        .clone();
    let second = check(dir.path(), &["--format", "json"])
        .code(1)
        .get_output()
        .stdout
        .clone();
    assert_eq!(
        first, second,
        "JSON output must be byte-identical across runs"
    );
    let json = json_of(&first);
    assert_eq!(json["version"], 1);
    assert_eq!(json["tool"]["name"], "rolelint");
    assert_eq!(json["now"], "2026-11-26");
    let finding = &json["findings"][0];
    assert_eq!(finding["rule"], "schema/invalid-document");
    assert_eq!(finding["severity"], "error");
    assert_eq!(
        finding["object"],
        serde_json::json!({"kind": "Role", "id": "x"})
    );
    assert_eq!(finding["path"], "b.yaml");
    assert_eq!(finding["line"], 5);
    assert_eq!(finding["column"], 13);
    assert!(finding["message"].as_str().unwrap().contains("\"no\""));
    for key in [
        "files",
        "objects",
        "errors",
        "warnings",
        "infos",
        "suppressed",
    ] {
        assert!(json["summary"][key].is_u64(), "summary.{key}");
    }
    assert_eq!(json["summary"]["errors"], 1);
}

#[test]
fn human_output_points_at_the_line_without_escape_codes() {
    let dir = catalogue(&[("roles.yaml", BROKEN)]);
    let output = check(dir.path(), &[]).code(1).get_output().stdout.clone();
    let text = String::from_utf8(output).unwrap();
    assert!(text.contains("schema/invalid-document"), "{text}");
    assert!(text.contains("roles.yaml:5:13"), "{text}");
    assert!(text.contains("privileged: no"), "{text}");
    assert!(
        !text.contains('\u{1b}'),
        "no ANSI escapes when stdout is not a terminal"
    );
    assert!(text.contains("1 error"), "{text}");
}

#[test]
fn problems_that_stop_the_run_exit_2() {
    let missing = tempfile::tempdir().unwrap().path().join("nowhere");
    rolelint().arg("check").arg(&missing).assert().code(2);
    let dir = catalogue(&[("all.yaml", CLEAN)]);
    check(dir.path(), &["--now", "26/11/2026"]).code(2);
    rolelint()
        .args(["check", "--format", "yaml"])
        .assert()
        .code(2);
    // An invalid configuration names the problem and shows its line,
    // whichever line breaks the file uses.
    for line_break in ["\n", "\r\n", "\r"] {
        let text = ["paths: [.]", "defualts: {}", ""].join(line_break);
        std::fs::write(dir.path().join("rolelint.yaml"), text).unwrap();
        let output = check(dir.path(), &[]).code(2).get_output().stderr.clone();
        let stderr = String::from_utf8(output).unwrap();
        assert!(
            stderr.contains("line 2")
                && stderr.contains("defaults")
                && stderr.contains("| defualts: {}"),
            "{line_break:?}: {stderr}"
        );
    }
    // A configured path that does not exist.
    std::fs::write(dir.path().join("rolelint.yaml"), "paths: [access]\n").unwrap();
    check(dir.path(), &[]).code(2);
    // An explicit configuration file that cannot be read.
    check(dir.path(), &["--config", "no-such-file.yaml"]).code(2);
}

#[test]
fn rules_rule_and_schema_commands() {
    let output = rolelint()
        .arg("rules")
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let list = String::from_utf8(output).unwrap();
    assert!(
        list.contains("graph/inheritance-cycle") && list.contains("error"),
        "{list}"
    );
    let output = rolelint()
        .args(["rule", "graph/duplicate-id"])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let page = String::from_utf8(output).unwrap();
    assert!(page.starts_with("# graph/duplicate-id"), "{page}");
    assert!(
        page.contains("## Fails") && page.contains("## Passes"),
        "{page}"
    );
    let output = rolelint()
        .args(["rule", "graph/duplicate-ids"])
        .assert()
        .code(2)
        .get_output()
        .stderr
        .clone();
    assert!(
        String::from_utf8(output)
            .unwrap()
            .contains("did you mean `graph/duplicate-id`")
    );
    let output = rolelint()
        .args(["schema", "role"])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let schema = json_of(&output);
    assert_eq!(schema["$schema"], "http://json-schema.org/draft-07/schema#");
    assert_eq!(schema["properties"]["kind"]["const"], "Role");
    rolelint().args(["schema", "widget"]).assert().code(2);
}

#[test]
fn the_configuration_is_found_upward_from_a_relative_path() {
    let dir = catalogue(&[("access/roles/all.yaml", BROKEN)]);
    std::fs::write(dir.path().join("rolelint.yaml"), "paths: [access]\n").unwrap();
    // From a sub-directory, with the default PATH `.`: the root is where
    // rolelint.yaml is, so paths are reported relative to it.
    let output = rolelint()
        .current_dir(dir.path().join("access/roles"))
        .args(["check", "--now", "2026-11-26", "--format", "json"])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let json = json_of(&output);
    assert_eq!(json["findings"][0]["path"], "access/roles/all.yaml");
}
