//! `rolelint check --baseline FILE` / `--write-baseline FILE` (docs/ci.md).

use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;

const NOW: &str = "2026-11-26";

/// No findings at 2026-11-26.
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
  - id: repo.write
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

/// `ownership/missing-owner` on Role ops.
const OPS: &str = r#"apiVersion: rolelint/v1
kind: Role
id: ops
department: engineering
permissions: [github:repo.write]
review:
  last_reviewed: 2026-10-01
"#;

/// A new `ownership/missing-owner`, on Role release.
const RELEASE: &str = r#"apiVersion: rolelint/v1
kind: Role
id: release
department: engineering
permissions: [github:repo.read, github:repo.write]
review:
  last_reviewed: 2026-10-01
"#;

/// Two `lifecycle/expired-grant` findings with the same key (Identity bob, detail developer).
const BOB: &str = r#"apiVersion: rolelint/v1
kind: Identity
id: bob
name: Bob
department: engineering
grants:
  - role: developer
    granted: 2026-01-01
    expires: 2026-02-01
    approved_by: alice
  - role: developer
    granted: 2026-03-01
    expires: 2026-04-01
    approved_by: alice
"#;

/// A schema problem whose message names a line: "declared twice (first on line N)".
const JIRA: &str = r#"apiVersion: rolelint/v1
kind: Application
id: jira
owner: alice
permissions:
  - id: read
  - id: read
"#;

/// A third expired grant of the same role for bob: the same key once more.
const BOB_THIRD_GRANT: &str = r#"  - role: developer
    granted: 2026-05-01
    expires: 2026-06-01
    approved_by: alice
"#;

fn rolelint() -> Command {
    Command::cargo_bin("rolelint").unwrap()
}

/// Writes `files` under a fresh directory that is its own catalogue root.
fn catalogue(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("rolelint.yaml"), "# test catalogue\n").unwrap();
    write_files(dir.path(), files);
    dir
}

fn write_files(root: &Path, files: &[(&str, &str)]) {
    for (path, text) in files {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
}

/// The catalogue with four findings: ops (1), bob (2, one key), jira (1).
fn with_known_findings() -> tempfile::TempDir {
    let all = [CLEAN, OPS, BOB, JIRA].join("---\n");
    catalogue(&[("access/all.yaml", &all)])
}

fn check(root: &Path, extra: &[&str]) -> assert_cmd::assert::Assert {
    rolelint()
        .arg("check")
        .arg(root)
        .args(["--now", NOW])
        .args(extra)
        .assert()
}

fn path_arg(path: &Path) -> &str {
    path.to_str().unwrap()
}

fn stdout(assert: &assert_cmd::assert::Assert) -> String {
    String::from_utf8(assert.get_output().stdout.clone()).unwrap()
}

fn stderr(assert: &assert_cmd::assert::Assert) -> String {
    String::from_utf8(assert.get_output().stderr.clone()).unwrap()
}

fn json_of(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|error| panic!("not JSON ({error}): {text}"))
}

/// `rule Kind:id` of each finding of a `--format json` run.
fn reported(assert: &assert_cmd::assert::Assert) -> Vec<String> {
    json_of(&stdout(assert))["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|finding| {
            format!(
                "{} {}:{}",
                finding["rule"].as_str().unwrap(),
                finding["object"]["kind"].as_str().unwrap_or("-"),
                finding["object"]["id"].as_str().unwrap_or("-")
            )
        })
        .collect()
}

/// Writes the baseline of `root` to `<root>/rolelint-baseline.json`.
fn write_baseline(root: &Path) -> std::path::PathBuf {
    let file = root.join("rolelint-baseline.json");
    check(root, &["--write-baseline", path_arg(&file)]).code(0);
    file
}

#[test]
fn writing_a_baseline_records_every_finding_sorted_and_versioned() {
    let dir = with_known_findings();
    let file = dir.path().join("rolelint-baseline.json");
    let assert = check(dir.path(), &["--write-baseline", path_arg(&file)]).code(0);
    // Writing alone compares with what it wrote: nothing is left to report.
    assert!(
        stdout(&assert).contains("rolelint: no findings in 1 file"),
        "{}",
        stdout(&assert)
    );
    assert!(
        stdout(&assert).contains("rolelint: 4 findings in the baseline `"),
        "{}",
        stdout(&assert)
    );
    assert!(
        stderr(&assert).contains("rolelint: wrote 4 findings to the baseline `"),
        "{}",
        stderr(&assert)
    );

    let text = std::fs::read_to_string(&file).unwrap();
    let json = json_of(&text);
    assert_eq!(json["version"], 1);
    assert_eq!(json["tool"]["name"], "rolelint");
    assert_eq!(json["tool"]["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(json["date"], NOW);
    let entries: Vec<(String, String, String)> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| {
            (
                entry["rule"].as_str().unwrap().to_owned(),
                entry["object"]["id"].as_str().unwrap().to_owned(),
                entry["detail"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect();
    let expected = [
        ("lifecycle/expired-grant", "bob", "developer"),
        ("lifecycle/expired-grant", "bob", "developer"),
        ("ownership/missing-owner", "ops", ""),
        ("schema/invalid-document", "jira", ""),
    ]
    .map(|(rule, id, detail)| (rule.to_owned(), id.to_owned(), detail.to_owned()));
    assert_eq!(entries, expected);
    // No paths or lines: they must not matter.
    assert!(
        !text.contains("\"path\"") && !text.contains("\"line\""),
        "{text}"
    );

    // The same catalogue writes the same bytes.
    check(dir.path(), &["--write-baseline", path_arg(&file)]).code(0);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), text);
}

#[test]
fn a_run_with_the_baseline_reports_only_new_findings_and_exits_by_them() {
    let dir = with_known_findings();
    let file = write_baseline(dir.path());
    check(dir.path(), &["--baseline", path_arg(&file)]).code(0);
    // Without the baseline the known findings fail the run.
    check(dir.path(), &[]).code(1);

    // One new finding: a role without owner, in a new file.
    write_files(dir.path(), &[("access/new.yaml", RELEASE)]);
    let assert = check(
        dir.path(),
        &["--baseline", path_arg(&file), "--format", "json"],
    )
    .code(1);
    assert_eq!(reported(&assert), ["ownership/missing-owner Role:release"]);
    let json = json_of(&stdout(&assert));
    // The summary counts what is reported; CLI.md's keys are unchanged.
    assert_eq!(json["summary"]["errors"], 1);
    let keys: Vec<&String> = json["summary"].as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "errors",
            "files",
            "infos",
            "objects",
            "suppressed",
            "warnings"
        ]
    );
    // Machine formats keep stdout a document; the counts go to stderr.
    assert!(
        stderr(&assert).contains("rolelint: 4 findings in the baseline `"),
        "{}",
        stderr(&assert)
    );

    let human = check(dir.path(), &["--baseline", path_arg(&file)]).code(1);
    let out = stdout(&human);
    assert!(out.contains("ownership/missing-owner"), "{out}");
    assert!(out.contains("Role `release` has no owner"), "{out}");
    assert!(!out.contains("Role `ops` has no owner"), "{out}");
    assert!(
        out.contains("rolelint: 1 error, 0 warnings, 0 infos"),
        "{out}"
    );
    assert!(
        out.contains("rolelint: 4 findings in the baseline `"),
        "{out}"
    );
}

#[test]
fn identical_findings_need_one_entry_each() {
    let dir = with_known_findings();
    let file = write_baseline(dir.path());
    // A third expired grant of the same role: same rule, object and detail.
    let all = [CLEAN, OPS, &format!("{BOB}{BOB_THIRD_GRANT}"), JIRA].join("---\n");
    write_files(dir.path(), &[("access/all.yaml", &all)]);
    let assert = check(
        dir.path(),
        &["--baseline", path_arg(&file), "--format", "json"],
    )
    .code(1);
    assert_eq!(reported(&assert), ["lifecycle/expired-grant Identity:bob"]);
}

#[test]
fn fail_on_applies_to_what_the_baseline_leaves() {
    let dir = with_known_findings();
    let file = write_baseline(dir.path());
    // A new warning only: a wildcard permission.
    let all = [
        &CLEAN.replace("[github:repo.read]", "[\"github:*\"]"),
        OPS,
        BOB,
        JIRA,
    ]
    .join("---\n");
    write_files(dir.path(), &[("access/all.yaml", &all)]);
    let baseline = ["--baseline", path_arg(&file), "--format", "json"];
    let assert = check(dir.path(), &baseline).code(0);
    assert_eq!(
        reported(&assert),
        ["privilege/wildcard-permission Role:developer"]
    );
    check(
        dir.path(),
        &[&baseline[..], &["--fail-on", "warning"]].concat(),
    )
    .code(1);
    check(
        dir.path(),
        &[&baseline[..], &["--fail-on", "never"]].concat(),
    )
    .code(0);
}

#[test]
fn moving_documents_and_adding_lines_keeps_the_baseline_matching() {
    let dir = with_known_findings();
    let file = write_baseline(dir.path());
    // Every document in its own file, in other directories, with comments
    // and blank lines that renumber everything (including the line number
    // in the jira finding's message).
    std::fs::remove_file(dir.path().join("access/all.yaml")).unwrap();
    let padded = |text: &str| format!("# moved here\n\n\n\n{text}\n\n");
    write_files(
        dir.path(),
        &[
            ("access/base.yaml", &padded(CLEAN)),
            ("access/roles/ops.yaml", &padded(OPS)),
            ("access/people/bob.yml", &padded(BOB)),
            (
                "apps/jira.yaml",
                &padded(&JIRA.replace("  - id: read\n", "  - id: read\n\n\n")),
            ),
        ],
    );
    // The move is real: without the baseline, the same four findings, elsewhere.
    let moved = check(dir.path(), &["--format", "json"]).code(1);
    assert_eq!(reported(&moved).len(), 4);
    let before_and_after = json_of(&stdout(&moved));
    let jira = before_and_after["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|finding| finding["object"]["id"] == "jira")
        .unwrap();
    assert_eq!(jira["path"], "apps/jira.yaml");
    assert_ne!(jira["message"].as_str().unwrap(), "");

    let assert = check(
        dir.path(),
        &["--baseline", path_arg(&file), "--format", "json"],
    )
    .code(0);
    assert_eq!(reported(&assert), Vec::<String>::new());
    assert!(
        !stderr(&assert).contains("matched no finding"),
        "{}",
        stderr(&assert)
    );
}

#[test]
fn a_later_day_keeps_the_baseline_matching() {
    let dir = with_known_findings();
    let file = write_baseline(dir.path());
    // The expired-grant messages now say "(299 days ago)" instead of "(298 days ago)".
    let assert = rolelint()
        .arg("check")
        .arg(dir.path())
        .args(["--now", "2026-11-27", "--baseline", path_arg(&file)])
        .args(["--format", "json"])
        .assert()
        .code(0);
    assert_eq!(reported(&assert), Vec::<String>::new());
}

#[test]
fn stale_entries_are_reported_without_changing_the_exit_code() {
    let dir = with_known_findings();
    let file = write_baseline(dir.path());
    // ops gets an owner and one of bob's expired grants is revoked.
    let fixed_ops = OPS.replace("id: ops\n", "id: ops\nowner: alice\n");
    let fixed_bob = BOB.replacen(
        "    expires: 2026-02-01\n",
        "    expires: 2026-02-01\n    revoked: 2026-01-20\n",
        1,
    );
    let all = [CLEAN, &fixed_ops, &fixed_bob, JIRA].join("---\n");
    write_files(dir.path(), &[("access/all.yaml", &all)]);

    let assert = check(dir.path(), &["--baseline", path_arg(&file)]).code(0);
    let out = stdout(&assert);
    assert!(
        out.contains("rolelint: 2 findings in the baseline `")
            && out.contains("; 2 baseline entries no longer found"),
        "{out}"
    );
    let err = stderr(&assert);
    assert!(err.contains("rolelint: note: 2 entries of `"), "{err}");
    assert!(
        err.contains("  - lifecycle/expired-grant on Identity bob · developer\n"),
        "{err}"
    );
    assert!(
        err.contains("  - ownership/missing-owner on Role ops\n"),
        "{err}"
    );
    assert!(!err.contains("schema/invalid-document"), "{err}");

    // Still exit 0 with a failing threshold, and JSON stays a clean document.
    let assert = check(
        dir.path(),
        &[
            "--baseline",
            path_arg(&file),
            "--format",
            "json",
            "--fail-on",
            "info",
        ],
    )
    .code(0);
    assert_eq!(reported(&assert), Vec::<String>::new());
    assert!(
        stderr(&assert).contains("; 2 baseline entries no longer found"),
        "{}",
        stderr(&assert)
    );
}

#[test]
fn both_options_write_every_finding_and_compare_with_the_old_baseline() {
    let dir = with_known_findings();
    let file = write_baseline(dir.path());
    write_files(dir.path(), &[("access/new.yaml", RELEASE)]);
    // The same file for both: compared with it as it was, then replaced.
    let assert = check(
        dir.path(),
        &[
            "--baseline",
            path_arg(&file),
            "--write-baseline",
            path_arg(&file),
            "--format",
            "json",
        ],
    )
    .code(1);
    assert_eq!(reported(&assert), ["ownership/missing-owner Role:release"]);
    assert!(
        stderr(&assert).contains("rolelint: wrote 5 findings to the baseline `"),
        "{}",
        stderr(&assert)
    );
    let written = json_of(&std::fs::read_to_string(&file).unwrap());
    assert_eq!(written["findings"].as_array().unwrap().len(), 5);
    // The refreshed baseline now accounts for it.
    check(dir.path(), &["--baseline", path_arg(&file)]).code(0);
}

#[test]
fn writing_into_a_missing_directory_exits_2_and_creates_nothing() {
    let dir = with_known_findings();
    let missing = dir.path().join("no-such-dir");
    let target = missing.join("baseline.json");
    let assert = check(dir.path(), &["--write-baseline", path_arg(&target)]).code(2);
    assert_eq!(stdout(&assert), "");
    let err = stderr(&assert);
    assert!(
        err.contains("rolelint: error: cannot write baseline `")
            && err.contains("no-such-dir` does not exist"),
        "{err}"
    );
    assert!(!missing.exists());
}

#[test]
fn a_failed_rename_leaves_no_temporary_file() {
    let dir = with_known_findings();
    // The target is a directory: the temporary file is written, the rename fails.
    let target = dir.path().join("baseline.json");
    std::fs::create_dir(&target).unwrap();
    let assert = check(dir.path(), &["--write-baseline", path_arg(&target)]).code(2);
    assert_eq!(stdout(&assert), "");
    assert!(
        stderr(&assert).contains("cannot write baseline `"),
        "{}",
        stderr(&assert)
    );
    assert!(target.is_dir());
    let mut left: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .collect();
    left.sort();
    assert_eq!(left, ["access", "baseline.json", "rolelint.yaml"]);
}

#[test]
fn an_unreadable_or_malformed_baseline_exits_2() {
    let dir = with_known_findings();
    let file = dir.path().join("baseline.json");
    let cases: &[(&str, &str)] = &[
        ("{\"version\": 1, \"findings\": [", "EOF while parsing"),
        ("[]", "it is not a JSON object"),
        (
            "{\"version\": \"1\", \"findings\": []}",
            "`version` is not a whole number",
        ),
        ("{\"findings\": []}", "no `version`"),
        (
            "{\"version\": 7, \"findings\": []}",
            "format version 7, but this rolelint reads version 1",
        ),
        (
            "{\"version\": 1, \"findings\": [{\"rule\": \"ownership/missing-owner\", \"severity\": \"error\", \"object\": {\"kind\": \"Rol\", \"id\": \"ops\"}, \"message\": \"m\"}]}",
            "findings[0]: unknown object kind `Rol`",
        ),
        (
            "{\"version\": 1, \"findings\": [{\"rule\": \"x/y\", \"severity\": \"error\"}]}",
            "missing field `message`",
        ),
    ];
    for (text, expected) in cases {
        std::fs::write(&file, text).unwrap();
        let assert = check(dir.path(), &["--baseline", path_arg(&file)]).code(2);
        assert_eq!(stdout(&assert), "", "{text}");
        let err = stderr(&assert);
        assert!(
            err.contains("rolelint: error: baseline `") && err.contains(expected),
            "{text}: {err}"
        );
    }

    let missing = dir.path().join("absent.json");
    let assert = check(dir.path(), &["--baseline", path_arg(&missing)]).code(2);
    assert!(
        stderr(&assert).contains("rolelint: error: cannot read baseline `"),
        "{}",
        stderr(&assert)
    );
}

#[test]
fn help_documents_both_options() {
    let assert = rolelint().args(["check", "--help"]).assert().code(0);
    let out = stdout(&assert);
    assert!(out.contains("--baseline <FILE>"), "{out}");
    assert!(out.contains("--write-baseline <FILE>"), "{out}");
}
