//! The same catalogue gives byte-identical JSON whatever the number of
//! threads (`RAYON_NUM_THREADS`): files are parsed and rules run in
//! parallel, and nothing may depend on which thread finished first.

use std::fmt::Write as _;
use std::path::Path;

use assert_cmd::Command;

/// `rolelint check --format json` of `dir` with `threads` worker threads.
fn check_json(dir: &Path, threads: usize) -> Vec<u8> {
    let output = Command::cargo_bin("rolelint")
        .unwrap()
        .env("RAYON_NUM_THREADS", threads.to_string())
        .args([
            "check",
            "--format",
            "json",
            "--now",
            "2026-11-26",
            "--no-cache",
        ])
        .arg(dir)
        .output()
        .unwrap();
    // 0: no error findings; 1: some. Anything else is a failed run.
    assert!(
        matches!(output.status.code(), Some(0 | 1)),
        "{}: {}",
        dir.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    output.stdout
}

fn assert_same_with_1_and_4_threads(dir: &Path) -> serde_json::Value {
    let one = check_json(dir, 1);
    let four = check_json(dir, 4);
    assert!(
        one == four,
        "{}: output differs between 1 and 4 threads",
        dir.display()
    );
    serde_json::from_slice(&one).unwrap()
}

#[test]
fn the_example_and_fixtures_give_the_same_json_with_1_and_4_threads() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let example = assert_same_with_1_and_4_threads(&root.join("fixtures/example"));
    assert!(!example["findings"].as_array().unwrap().is_empty());
    for case in [
        "graph-unknown-reference-fires",
        "overlap-near-duplicate-roles-fires",
        "privilege-peer-outlier-fires",
        "schema-invalid-document-fires",
        "suppression-unused-fires",
    ] {
        assert_same_with_1_and_4_threads(&root.join("tests/fixtures").join(case));
    }
}

/// A deterministic catalogue of `identities` identities over departments with
/// role chains, grants (some temporary, expired or revoked), service accounts
/// with credentials, a separation-of-duties rule and a sprinkle of defects
/// (typos, near-duplicate roles, missing approvals), spread over many files.
fn write_generated_catalogue(dir: &Path, identities: usize) {
    let mut rng = fastrand::Rng::with_seed(7);
    let write = |path: &str, text: &str| {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write("rolelint.yaml", "paths: [access]\n");
    let departments = ["engineering", "finance", "support", "sales"];
    let apps = ["github", "stripe", "zendesk", "okta", "snowflake"];
    let mut text = String::new();
    for app in apps {
        let _ = write!(
            text,
            "---\napiVersion: rolelint/v1\nkind: Application\nid: {app}\nowner: {d}-0\npermissions:\n",
            d = departments[0]
        );
        for n in 0..12 {
            let privileged = if n >= 10 {
                "\n    privileged: true"
            } else {
                ""
            };
            let _ = writeln!(text, "  - id: p{n}{privileged}");
        }
    }
    write("access/applications.yaml", &text);

    // Per department, a chain viewer → editor → admin per application,
    // and a near-duplicate of each admin with one permission left out.
    let mut roles: Vec<String> = Vec::new();
    for department in departments {
        let mut text = String::new();
        for app in apps {
            let mut previous: Option<String> = None;
            for (level, range) in [("viewer", 0..3), ("editor", 3..7), ("admin", 7..12)] {
                let id = format!("{department}-{app}-{level}");
                let inherits = previous
                    .as_ref()
                    .map(|p| format!("inherits: [{p}]\n"))
                    .unwrap_or_default();
                let permissions: Vec<String> = range.map(|n| format!("{app}:p{n}")).collect();
                let privileged = if level == "admin" {
                    "privileged: true\nrequires_mfa: true\n"
                } else {
                    ""
                };
                let _ = write!(
                    text,
                    "---\napiVersion: rolelint/v1\nkind: Role\nid: {id}\nowner: {department}-0\ndepartment: {department}\n{inherits}{privileged}permissions: [{}]\n",
                    permissions.join(", ")
                );
                roles.push(id.clone());
                previous = Some(id);
            }
            let _ = write!(
                text,
                "---\napiVersion: rolelint/v1\nkind: Role\nid: {department}-{app}-admin-copy\nowner: {department}-0\ndepartment: {department}\nprivileged: true\nrequires_mfa: true\npermissions: [{}]\n",
                (0..12)
                    .filter(|n| *n != 10)
                    .map(|n| format!("{app}:p{n}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
        write(&format!("access/roles/{department}.yaml"), &text);
    }
    write(
        "access/sod.yaml",
        "apiVersion: rolelint/v1\nkind: SodRule\nid: stripe-maker-checker\nowner: finance-0\nsides:\n  - [stripe:p2]\n  - [github:p5]\n",
    );

    for index in 0..identities {
        let department = departments[index % departments.len()];
        let id = format!("{department}-{}", index / departments.len());
        let service = index % 5 == 4;
        let mut text = format!(
            "apiVersion: rolelint/v1\nkind: Identity\nid: {id}\ndepartment: {department}\n"
        );
        if service {
            let _ = write!(
                text,
                "type: service\nowner: {department}-0\ncredentials:\n  - id: key\n    type: api_key\n    created: 2025-{:02}-01\n",
                rng.u32(1..=12)
            );
        } else if index >= departments.len() {
            let _ = writeln!(text, "manager: {department}-0");
        }
        text.push_str("grants:\n");
        for _ in 0..rng.usize(2..=5) {
            let mut role = roles[rng.usize(..roles.len())].clone();
            if rng.u32(..100) < 2 {
                role.push('x'); // graph/unknown-reference, with a suggestion
            }
            let _ = write!(
                text,
                "  - role: {role}\n    granted: 2026-{:02}-{:02}\n",
                rng.u32(1..=10),
                rng.u32(1..=28)
            );
            if rng.u32(..100) < 90 {
                let _ = writeln!(text, "    approved_by: {department}-0");
            }
            match rng.u32(..100) {
                0..10 => {
                    let _ = writeln!(text, "    expires: 2026-{:02}-15", rng.u32(1..=12));
                }
                10..15 => {
                    let _ = writeln!(text, "    revoked: 2026-11-{:02}", rng.u32(1..=20));
                }
                _ => {}
            }
        }
        let path = if service {
            format!("access/services/{department}/{id}.yaml")
        } else {
            format!("access/people/{department}/{id}.yaml")
        };
        write(&path, &text);
    }
}

#[test]
fn a_generated_catalogue_gives_the_same_json_with_1_and_4_threads() {
    let dir = tempfile::tempdir().unwrap();
    write_generated_catalogue(dir.path(), 400);
    let json = assert_same_with_1_and_4_threads(dir.path());
    let findings = json["findings"].as_array().unwrap();
    assert!(json["summary"]["objects"].as_u64().unwrap() > 400, "{json}");
    // Enough going on for the order of findings to matter.
    assert!(findings.len() > 50, "{json}");
    let rules: std::collections::BTreeSet<&str> = findings
        .iter()
        .filter_map(|finding| finding["rule"].as_str())
        .collect();
    assert!(!rules.contains("schema/invalid-document"), "{json}");
    for rule in [
        "graph/unknown-reference",
        "overlap/near-duplicate-roles",
        "evidence/missing-approval",
        "sod/identity-conflict",
    ] {
        assert!(rules.contains(rule), "{rule} missing from {rules:?}");
    }
}
