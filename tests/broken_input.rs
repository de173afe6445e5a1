//! Broken input gives findings with locations and exit code 1, never a
//! panic, and never stops the other files or documents from being analysed.

use assert_cmd::Command;
use serde_json::Value;

const GOOD: &str = "apiVersion: rolelint/v1\nkind: Identity\nid: alice\n";

/// Runs `check --format json` on a catalogue holding `files` (bytes) plus a
/// good file, and returns the JSON output after asserting exit code 1.
fn run(files: &[(&str, &[u8])]) -> Value {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("rolelint.yaml"), "# test\n").unwrap();
    std::fs::write(dir.path().join("good.yaml"), GOOD).unwrap();
    for (path, bytes) in files {
        std::fs::write(dir.path().join(path), bytes).unwrap();
    }
    let output = Command::cargo_bin("rolelint")
        .unwrap()
        .arg("check")
        .arg(dir.path())
        .args(["--now", "2026-11-26", "--format", "json"])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    serde_json::from_slice(&output).unwrap()
}

/// `(path, line, message)` of the schema findings.
fn schema_findings(json: &Value) -> Vec<(String, u64, String)> {
    json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "schema/invalid-document")
        .map(|f| {
            (
                f["path"].as_str().unwrap_or("").to_owned(),
                f["line"].as_u64().unwrap_or(0),
                f["message"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect()
}

fn assert_good_file_still_loaded(json: &Value) {
    assert!(json["summary"]["objects"].as_u64().unwrap() >= 1, "{json}");
}

#[test]
fn syntax_error_is_located_and_other_documents_survive() {
    let text = b"apiVersion: rolelint/v1\nkind: Identity\nid: bob\n---\napiVersion: rolelint/v1\nkind: Identity\nid: [carol\n---\napiVersion: rolelint/v1\nkind: Identity\nid: dave\n";
    let json = run(&[("people.yaml", text)]);
    let findings = schema_findings(&json);
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert_eq!(findings[0].0, "people.yaml");
    assert!((7..=8).contains(&findings[0].1), "{findings:?}");
    assert!(
        findings[0].2.starts_with("YAML syntax error"),
        "{findings:?}"
    );
    // alice (good.yaml), bob and dave.
    assert_eq!(json["summary"]["objects"], 3, "{json}");
}

#[test]
fn every_problem_of_a_document_is_reported() {
    let text = b"apiVersion: rolelint/v1\nkind: Role\nid: r\nowner: alice\nprivileged: no\npermisions: []\ninherits: x\nmax_grant_days: -3\nreview:\n  last_reviewed: 2026-13-01\nowner: bob\n";
    let json = run(&[("role.yaml", text)]);
    let lines: Vec<u64> = schema_findings(&json).iter().map(|f| f.1).collect();
    // `no` (5), unknown field (6), not a list (7), negative (8), bad date (10), duplicate key (11).
    assert_eq!(lines, vec![5, 6, 7, 8, 10, 11], "{json}");
    let messages: Vec<String> = schema_findings(&json).into_iter().map(|f| f.2).collect();
    assert!(
        messages.iter().any(|m| m.contains("duplicate key `owner`")),
        "{messages:?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.contains("unknown field `permisions`")),
        "{messages:?}"
    );
    let finding = &json["findings"][0];
    assert_eq!(finding["object"]["id"], "r");
    assert_good_file_still_loaded(&json);
}

#[test]
fn bad_dates_ids_and_references_are_findings() {
    let text = b"apiVersion: rolelint/v1\nkind: Identity\nid: a\ngrants:\n  - role: 'has space'\n    granted: 01/02/2026\n  - permission: stripe\n    expires: 2026-02-30\n";
    let json = run(&[("a.yaml", text)]);
    let lines: Vec<u64> = schema_findings(&json).iter().map(|f| f.1).collect();
    assert_eq!(lines, vec![5, 6, 7, 8], "{json}");
}

#[test]
fn alias_bomb_is_rejected_as_a_finding() {
    let mut text = String::from(
        "apiVersion: rolelint/v1\nkind: Team\nid: t\nlabels:\n  a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n",
    );
    for level in 1..10 {
        let list = vec![format!("*a{}", level - 1); 10].join(", ");
        text.push_str(&format!("  a{level}: &a{level} [{list}]\n"));
    }
    let json = run(&[("bomb.yaml", text.as_bytes())]);
    let findings = schema_findings(&json);
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert_eq!(findings[0].0, "bomb.yaml");
    assert_good_file_still_loaded(&json);
}

#[test]
fn deep_nesting_is_rejected_as_a_finding() {
    let text = format!(
        "apiVersion: rolelint/v1\nkind: Team\nid: t\nmembers: {}{}\n",
        "[".repeat(200_000),
        "]".repeat(200_000)
    );
    let json = run(&[("deep.yaml", text.as_bytes())]);
    let findings = schema_findings(&json);
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert_eq!(findings[0].1, 4);
}

#[test]
fn invalid_utf8_is_located() {
    // Lines as YAML counts them: LF, CR LF or a lone CR each end one.
    for line_break in ["\n", "\r\n", "\r"] {
        let text = ["apiVersion: rolelint/v1", "kind: Identity", "id: jos"].join(line_break);
        let mut bytes = text.into_bytes();
        // Latin-1's é: not UTF-8.
        bytes.push(0xe9);
        let json = run(&[("latin1.yaml", &bytes)]);
        let findings = schema_findings(&json);
        assert_eq!(findings.len(), 1, "{findings:?}");
        assert_eq!((findings[0].0.as_str(), findings[0].1), ("latin1.yaml", 3));
        assert!(
            findings[0].2.contains("not valid UTF-8 (line 3, column 8)"),
            "{line_break:?}: {}",
            findings[0].2
        );
    }
}

#[test]
fn yaml_1_1_booleans_and_wrong_types_are_findings() {
    let text = b"apiVersion: rolelint/v1\nkind: Role\nid: r\nowner: alice\nrequires_mfa: yes\nmax_grant_days: thirty\n";
    let json = run(&[("r.yaml", text)]);
    let lines: Vec<u64> = schema_findings(&json).iter().map(|f| f.1).collect();
    assert_eq!(lines, vec![5, 6]);
}

#[test]
fn unknown_kind_and_api_version_are_findings_but_other_yaml_is_skipped() {
    let text = b"apiVersion: rolelint/v2\nkind: Role\nid: r\n---\napiVersion: rolelint/v1\nkind: Rolle\nid: r\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n---\n{{ if .Values.enabled }}\n";
    let json = run(&[("mixed.yaml", text)]);
    let findings = schema_findings(&json);
    assert_eq!(findings.len(), 2, "{findings:?}");
    assert!(findings[0].2.contains("unsupported apiVersion"));
    assert!(findings[1].2.contains("`Rolle`"));
}

#[cfg(unix)]
#[test]
fn symlink_outside_the_root_is_not_followed() {
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("secret.yaml");
    std::fs::write(
        &secret,
        "apiVersion: rolelint/v1\nkind: Identity\nid: mallory\n",
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("rolelint.yaml"), "# test\n").unwrap();
    std::fs::write(dir.path().join("good.yaml"), GOOD).unwrap();
    std::os::unix::fs::symlink(&secret, dir.path().join("link.yaml")).unwrap();
    let output = Command::cargo_bin("rolelint")
        .unwrap()
        .arg("check")
        .arg(dir.path())
        .args(["--now", "2026-11-26", "--format", "json"])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let json: Value = serde_json::from_slice(&output).unwrap();
    let findings = schema_findings(&json);
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert_eq!((findings[0].0.as_str(), findings[0].1), ("link.yaml", 1));
    assert!(findings[0].2.contains("outside the repository root"));
    assert_eq!(json["summary"]["objects"], 1, "mallory must not be loaded");
}

#[test]
fn per_document_and_per_file_limits_can_be_raised_for_a_trusted_catalogue() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("rolelint.yaml"), "# test\n").unwrap();
    // 80 levels of nesting under a valid identity: over the default of 64.
    let deep = format!(
        "{GOOD}labels:\n  nested: {}1{}\n",
        "[".repeat(80),
        "]".repeat(80)
    );
    std::fs::write(dir.path().join("deep.yaml"), deep).unwrap();
    let check = |variables: &[(&str, &str)], code: i32| {
        let mut command = Command::cargo_bin("rolelint").unwrap();
        command.arg("check").arg(dir.path()).args([
            "--now",
            "2026-11-26",
            "--format",
            "json",
            "--no-cache",
        ]);
        for (name, value) in variables {
            command.env(name, value);
        }
        let output = command.assert().code(code).get_output().clone();
        (
            String::from_utf8(output.stdout).unwrap(),
            String::from_utf8(output.stderr).unwrap(),
        )
    };
    let (refused, _) = check(&[], 1);
    let refused: Value = serde_json::from_str(&refused).unwrap();
    let help = refused["findings"][0]["help"].as_str().unwrap_or("");
    assert!(help.contains("ROLELINT_MAX_DEPTH"), "{refused}");
    // Raised, the document is read: the labels are then a schema problem of
    // their own (a label is a string), not a refused document.
    let (raised, _) = check(&[("ROLELINT_MAX_DEPTH", "100")], 1);
    assert!(!raised.contains("YAML document refused"), "{raised}");
    assert!(raised.contains("expected a string"), "{raised}");
    // A file over a lowered size limit names the variable that raises it.
    let (small, _) = check(&[("ROLELINT_MAX_FILE_BYTES", "10")], 1);
    assert!(
        small.contains("ROLELINT_MAX_FILE_BYTES raises it"),
        "{small}"
    );
    // A value that is not a positive whole number stops the run.
    let (_, error) = check(&[("ROLELINT_MAX_NODES", "lots")], 2);
    assert!(error.contains("ROLELINT_MAX_NODES"), "{error}");
}
