//! `rolelint check --rev REV`: the catalogue as committed, read from Git
//! objects (docs/git-and-diff.md). Every repository is built by the test.

mod common;
mod git_repo;

use std::path::Path;

use assert_cmd::Command;
use git_repo::{Repo, fingerprint};
use rolelint::load::{self, LoadOptions, git::load_revision};
use rolelint::report::Report;
use serde_json::Value;

fn rolelint() -> Command {
    let mut command = Command::cargo_bin("rolelint").unwrap();
    // The repository is found from the path, not from a surrounding hook's environment.
    command.env_remove("GIT_DIR").env_remove("GIT_WORK_TREE");
    command
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

/// CLEAN with one warning: a wildcard permission.
fn with_wildcard() -> String {
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

/// `check --rev REV PATH --format json` (no `--rev` when `rev` is empty).
/// Work-tree runs skip the cache (docs/cache.md), which would write into
/// `.git/`: the tests check that `--rev` runs write nothing at all.
fn check_json(path: &Path, rev: &str, code: i32) -> Value {
    let mut command = rolelint();
    command
        .arg("check")
        .arg(path)
        .args(["--now", "2026-11-26", "--format", "json"]);
    if rev.is_empty() {
        command.arg("--no-cache");
    } else {
        command.args(["--rev", rev]);
    }
    let output = command.assert().code(code).get_output().stdout.clone();
    json_of(&output)
}

/// `rule Kind:id path` of every finding.
fn findings(report: &Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|finding| {
            format!(
                "{} {}:{} {}",
                finding["rule"].as_str().unwrap(),
                finding["object"]["kind"].as_str().unwrap_or("-"),
                finding["object"]["id"].as_str().unwrap_or("-"),
                finding["path"].as_str().unwrap_or("-"),
            )
        })
        .collect()
}

/// Two commits (clean, then a wildcard warning), and a work tree that
/// differs from both (a broken file, an edited one).
fn two_commits() -> Repo {
    let mut repo = Repo::new();
    repo.write(&[
        ("rolelint.yaml", "paths: [access]\n"),
        ("access/all.yaml", CLEAN),
    ]);
    repo.commit("clean catalogue");
    repo.write(&[("access/all.yaml", &with_wildcard())]);
    repo.commit("wildcard");
    let edited = format!("# WORK TREE EDIT\n# WORK TREE EDIT\n{}", with_wildcard());
    repo.write(&[("access/all.yaml", &edited), ("access/broken.yaml", BROKEN)]);
    repo
}

#[test]
fn check_rev_reads_the_revision_and_never_touches_the_work_tree() {
    let repo = two_commits();
    // `git status` refreshes the index's stat data: run it before the fingerprint.
    let status_before = repo.git(&["status", "--porcelain"]);
    let before = fingerprint(repo.path());

    let first = check_json(repo.path(), "HEAD~1", 0);
    assert_eq!(findings(&first), Vec::<String>::new());
    assert_eq!(first["summary"]["files"], 1);
    assert_eq!(first["summary"]["objects"], 3);

    let second = check_json(repo.path(), "HEAD", 0);
    assert_eq!(
        findings(&second),
        ["privilege/wildcard-permission Role:developer access/all.yaml"]
    );
    // Lines are the committed file's, not the edited work tree's (2 lines lower).
    assert_eq!(second["findings"][0]["line"], 20);
    // A branch name and a full commit id name the same revision.
    assert_eq!(check_json(repo.path(), "main", 0), second);
    let id = repo.git(&["rev-parse", "HEAD"]);
    assert_eq!(check_json(repo.path(), id.trim(), 0), second);

    // The work tree itself has the broken file: an error, exit 1.
    let work_tree = check_json(repo.path(), "", 1);
    assert!(
        findings(&work_tree)
            .contains(&"schema/invalid-document Role:x access/broken.yaml".to_owned()),
        "{work_tree}"
    );

    let after = fingerprint(repo.path());
    let written: Vec<String> = after
        .iter()
        .filter(|file| !before.contains(file))
        .map(|file| file.0.display().to_string())
        .collect();
    assert!(
        written.is_empty() && after.len() == before.len(),
        "written: {written:?}"
    );
    assert_eq!(repo.git(&["status", "--porcelain"]), status_before);
}

#[test]
fn human_output_shows_the_committed_source() {
    let repo = two_commits();
    let output = rolelint()
        .arg("check")
        .arg(repo.path())
        .args(["--now", "2026-11-26", "--rev", "HEAD"])
        .env("NO_COLOR", "1")
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(output).unwrap();
    assert!(text.contains("privilege/wildcard-permission"), "{text}");
    assert!(text.contains(r#"permissions: ["github:*"]"#), "{text}");
    assert!(text.contains("access/all.yaml:20:"), "{text}");
    assert!(!text.contains("WORK TREE EDIT"), "{text}");
}

#[test]
fn catalogue_wide_limits_apply_to_a_revision() {
    let mut repo = two_commits();
    // The work tree's second file, committed: HEAD has two YAML files.
    repo.commit("two files");
    let run = |variable: &str, value: &str| {
        let output = rolelint()
            .arg("check")
            .arg(repo.path())
            .args(["--now", "2026-11-26", "--rev", "HEAD"])
            .env(variable, value)
            .assert()
            .code(2)
            .get_output()
            .clone();
        String::from_utf8(output.stderr).unwrap()
    };
    let files = run("ROLELINT_MAX_FILES", "1");
    assert!(
        files.contains("more than 1 YAML files") && files.contains("ROLELINT_MAX_FILES"),
        "{files}"
    );
    let bytes = run("ROLELINT_MAX_TOTAL_BYTES", "100");
    assert!(
        bytes.contains("more than 100 bytes") && bytes.contains("ROLELINT_MAX_TOTAL_BYTES"),
        "{bytes}"
    );
    // Within the limits, the revision is checked.
    rolelint()
        .arg("check")
        .arg(repo.path())
        .args(["--now", "2026-11-26", "--rev", "HEAD~1"])
        .env("ROLELINT_MAX_FILES", "1")
        .assert()
        .code(0);
}

#[test]
fn a_revision_that_does_not_exist_exits_2() {
    let repo = two_commits();
    let assert = rolelint()
        .arg("check")
        .arg(repo.path())
        .args(["--rev", "no-such-branch"])
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(
        stderr.contains("revision `no-such-branch` not found"),
        "{stderr}"
    );
    assert!(assert.get_output().stdout.is_empty());

    // Too far back in history.
    rolelint()
        .arg("check")
        .arg(repo.path())
        .args(["--rev", "HEAD~5"])
        .assert()
        .code(2);

    // A blob is not a catalogue.
    let assert = rolelint()
        .arg("check")
        .arg(repo.path())
        .args(["--rev", "HEAD:rolelint.yaml"])
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(
        stderr.contains("names a blob, not a commit or a tree"),
        "{stderr}"
    );
}

#[test]
fn outside_a_repository_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("rolelint.yaml"), "").unwrap();
    let assert = rolelint()
        .arg("check")
        .arg(dir.path())
        .args(["--rev", "HEAD"])
        .env("GIT_CEILING_DIRECTORIES", dir.path().parent().unwrap())
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(
        stderr.contains("is not inside a Git repository"),
        "{stderr}"
    );
}

#[test]
fn configuration_paths_and_excludes_come_from_the_revision() {
    let mut repo = Repo::new();
    repo.write(&[
        (
            "rolelint.yaml",
            "paths: [access]\nexclude: [\"access/drafts/**\"]\nrules:\n  privilege/wildcard-permission: \"off\"\n",
        ),
        ("access/all.yaml", &with_wildcard()),
        ("access/drafts/broken.yaml", BROKEN),
        ("access/.hidden/broken.yaml", BROKEN),
        ("access/notes.txt", "not YAML"),
        ("outside/broken.yaml", BROKEN),
        ("access/.gitignore", "ignored.yaml\n"),
        (
            "access/ignored.yaml",
            "apiVersion: rolelint/v1\nkind: Identity\nid: carol\nname: Carol\ndepartment: engineering\n",
        ),
    ]);
    repo.git(&["add", "--force", "access/ignored.yaml"]);
    std::os::unix::fs::symlink("all.yaml", repo.join("access/link.yaml")).unwrap();
    repo.commit("catalogue");
    // The work tree's configuration would report the wildcard and read the drafts.
    repo.write(&[("rolelint.yaml", "paths: [access]\n")]);

    let report = check_json(repo.path(), "HEAD", 1);
    assert_eq!(
        findings(&report),
        ["schema/invalid-document -:- access/link.yaml"],
        "{report}"
    );
    let message = report["findings"][0]["message"].as_str().unwrap();
    assert!(message.contains("symbolic link"), "{message}");
    // all.yaml, ignored.yaml (committed: .gitignore does not apply), link.yaml.
    assert_eq!(report["summary"]["files"], 3);
    assert_eq!(report["summary"]["objects"], 4);
}

#[test]
fn the_root_is_found_upward_in_the_revision() {
    let mut repo = Repo::new();
    repo.write(&[
        ("catalogue/rolelint.yaml", "paths: [access]\n"),
        ("catalogue/access/all.yaml", &with_wildcard()),
        ("catalogue/access/more/empty.yaml", "# nothing yet\n"),
    ]);
    repo.commit("sub-project");
    // Gone from the work tree, still committed: the revision decides.
    repo.remove("catalogue/rolelint.yaml");

    let report = check_json(&repo.join("catalogue/access/more"), "HEAD", 0);
    assert_eq!(
        findings(&report),
        ["privilege/wildcard-permission Role:developer access/all.yaml"]
    );
    assert_eq!(report["summary"]["files"], 2);
}

#[test]
fn policies_come_from_the_revision() {
    let mut repo = Repo::new();
    let policy = |message: &str| {
        format!(
            "package rolelint.team\n\nwarn contains {{\"msg\": \"{message}\", \"kind\": \"Role\", \"id\": \"developer\"}} if {{ true }}\n"
        )
    };
    repo.write(&[
        (
            "rolelint.yaml",
            "paths: [access]\npolicies: [\"policies/*.rego\"]\n",
        ),
        ("access/all.yaml", CLEAN),
        ("policies/team.rego", &policy("committed policy")),
    ]);
    repo.commit("policy");
    repo.write(&[("policies/team.rego", &policy("work tree policy"))]);

    let report = check_json(repo.path(), "HEAD", 0);
    let messages: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|finding| finding["message"].as_str().unwrap())
        .collect();
    assert_eq!(messages, ["committed policy"]);
    let report = check_json(repo.path(), "", 0);
    assert_eq!(report["findings"][0]["message"], "work tree policy");
}

/// Every fixture catalogue, committed, gives byte for byte the report of
/// its work tree: the revision walk mirrors the work-tree walk.
#[test]
fn revisions_and_work_trees_agree_on_every_fixture() {
    let mut repo = Repo::new();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut cases = Vec::new();
    for case in std::fs::read_dir(&fixtures).unwrap() {
        let case = case.unwrap().path();
        if !case.join("rolelint.yaml").is_file() {
            continue;
        }
        let name = case.file_name().unwrap().to_str().unwrap().to_owned();
        for file in common::files_under(&case) {
            let relative = file
                .strip_prefix(&case)
                .unwrap()
                .to_str()
                .unwrap()
                .to_owned();
            let target = repo.join(&format!("fixtures/{name}/{relative}"));
            std::fs::create_dir_all(target.parent().unwrap()).unwrap();
            std::fs::copy(&file, target).unwrap();
        }
        cases.push(name);
    }
    cases.sort();
    assert!(cases.len() > 20, "{cases:?}");
    repo.commit("fixtures");

    for name in cases {
        let dir = repo.join(&format!("fixtures/{name}"));
        let options = LoadOptions {
            start: dir.clone(),
            rule_codes: rolelint::rules::codes(),
            ..LoadOptions::default()
        };
        let now = common::now_for(&dir);
        let work_tree = load::load(&options).unwrap();
        let revision = load_revision(&options, "HEAD").unwrap();
        assert_eq!(revision.root, format!("fixtures/{name}"));
        let work_tree_outcome = rolelint::analyse(&work_tree, now);
        let revision_outcome = rolelint::analyse(&revision.catalogue, now);
        let expected = Report::of(&work_tree, &work_tree_outcome, now);
        let actual = Report::of(&revision.catalogue, &revision_outcome, now);
        assert_eq!(
            common::render_json(&actual),
            common::render_json(&expected),
            "{name}"
        );
        assert_eq!(
            common::render_human(&actual),
            common::render_human(&expected),
            "{name}"
        );
    }
}
