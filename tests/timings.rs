//! `rolelint check --timings`: every phase on stderr, stdout unchanged.

use std::path::Path;

use assert_cmd::Command;

fn check(extra: &[&str]) -> std::process::Output {
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/example");
    Command::cargo_bin("rolelint")
        .unwrap()
        .args([
            "check",
            "--format",
            "json",
            "--now",
            "2026-11-26",
            "--no-cache",
        ])
        .args(extra)
        .arg(example)
        .output()
        .unwrap()
}

#[test]
fn timings_go_to_stderr_and_leave_stdout_unchanged() {
    let plain = check(&[]);
    let timed = check(&["--timings"]);
    assert_eq!(plain.status.code(), timed.status.code());
    assert!(
        plain.stdout == timed.stdout,
        "stdout differs with --timings"
    );
    assert!(
        plain.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&plain.stderr)
    );

    let stderr = String::from_utf8(timed.stderr).unwrap();
    for phase in [
        "discover",
        "read+parse+decode",
        "assemble",
        "graph",
        "policies",
        "rules",
        "suppressions+sort",
        "render",
        "total",
    ] {
        assert!(
            stderr
                .lines()
                .any(|line| line.trim_start().starts_with(phase) && line.contains(" ms")),
            "no timed line for `{phase}`:\n{stderr}"
        );
    }
    // Every rule family of RULES.md, and the counts of the run.
    for family in [
        "evidence",
        "lifecycle",
        "overlap",
        "ownership",
        "privilege",
        "sod",
    ] {
        assert!(
            stderr
                .lines()
                .any(|line| line.trim_start().starts_with(family)),
            "no line for rule family `{family}`:\n{stderr}"
        );
    }
    let json: serde_json::Value = serde_json::from_slice(&plain.stdout).unwrap();
    let files = json["summary"]["files"].as_u64().unwrap();
    let findings = json["findings"].as_array().unwrap().len();
    assert!(
        stderr.contains(&format!("files {files}, ")),
        "file count {files} missing:\n{stderr}"
    );
    assert!(
        stderr.contains(&format!("findings {findings} ")),
        "finding count {findings} missing:\n{stderr}"
    );
    assert!(stderr.contains("files read and parsed"), "{stderr}");
}
