//! Custom Rego policies (RULES.md, *policy*; docs/policies.md): the shipped
//! example policies, configuration and suppression of their findings, the
//! published input schema, and the errors that stop a run (exit code 2).

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::{Value, json};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn rolelint() -> Command {
    Command::cargo_bin("rolelint").unwrap()
}

/// Writes `files` under a fresh catalogue root with `config` as rolelint.yaml.
fn catalogue(config: &str, files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("rolelint.yaml"), config).unwrap();
    for (path, text) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

/// The shipped example policy `policies/<name>.rego`.
fn shipped(name: &str) -> String {
    std::fs::read_to_string(root().join("policies").join(format!("{name}.rego"))).unwrap()
}

fn check(dir: &Path, extra: &[&str]) -> assert_cmd::assert::Assert {
    rolelint()
        .arg("check")
        .arg(dir)
        .args(["--now", "2026-11-26"])
        .args(extra)
        .env_remove("ROLELINT_POLICY_TIME_LIMIT")
        .assert()
}

fn json_of(output: &[u8]) -> Value {
    serde_json::from_slice(output)
        .unwrap_or_else(|error| panic!("not JSON ({error}): {}", String::from_utf8_lossy(output)))
}

/// The policy findings of a JSON report, as `rule severity Kind:id detail path:line:column`.
fn policy_findings(report: &Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|finding| finding["rule"].as_str().unwrap().starts_with("policy/"))
        .map(|finding| {
            let object = if finding["object"].is_null() {
                "-".to_owned()
            } else {
                format!(
                    "{}:{}",
                    finding["object"]["kind"].as_str().unwrap(),
                    finding["object"]["id"].as_str().unwrap()
                )
            };
            let location = if finding["path"].is_null() {
                "-".to_owned()
            } else {
                format!(
                    "{}:{}:{}",
                    finding["path"].as_str().unwrap(),
                    finding["line"],
                    finding["column"]
                )
            };
            format!(
                "{} {} {} {} {}",
                finding["rule"].as_str().unwrap(),
                finding["severity"].as_str().unwrap(),
                object,
                finding["detail"].as_str().unwrap_or("-"),
                location
            )
        })
        .collect()
}

fn stderr_of(assert: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&assert.get_output().stderr).into_owned()
}

const APPLICATIONS: &str = r#"apiVersion: rolelint/v1
kind: Application
id: aws-prod
owner: team:platform
criticality: critical
permissions:
  - id: s3.read
  - id: s3.write
  - id: iam.admin
    privileged: true
---
apiVersion: rolelint/v1
kind: Application
id: warehouse
owner: alice
criticality: critical
labels:
  environment: production
permissions:
  - id: tables.read
  - id: tables.update
---
apiVersion: rolelint/v1
kind: Application
id: ledger
owner: team:finance
criticality: critical
permissions:
  - id: entries.read
"#;

const ROLES: &str = r#"apiVersion: rolelint/v1
kind: Role
id: cloud-admin
owner: team:platform
permissions: [aws-prod:iam.admin]
---
apiVersion: rolelint/v1
kind: Role
id: cloud-operator
owner: team:platform
inherits: [cloud-admin]
---
apiVersion: rolelint/v1
kind: Role
id: s3-reader
owner: team:platform
permissions: [aws-prod:s3.read]
---
apiVersion: rolelint/v1
kind: Role
id: s3-writer
owner: team:platform
permissions: [aws-prod:s3.write]
"#;

const IDENTITIES: &str = r#"apiVersion: rolelint/v1
kind: Identity
id: alice
---
apiVersion: rolelint/v1
kind: Identity
id: bob
---
apiVersion: rolelint/v1
kind: Identity
id: carol
status: terminated
---
apiVersion: rolelint/v1
kind: Identity
id: marc
labels:
  employment: contractor
grants:
  - role: cloud-operator
    granted: 2026-11-01
    expires: 2026-12-01
---
apiVersion: rolelint/v1
kind: Identity
id: nina
labels:
  employment: contractor
grants:
  - role: cloud-admin
    granted: 2026-01-01
    revoked: 2026-02-01
  - role: s3-reader
    granted: 2026-01-01
---
apiVersion: rolelint/v1
kind: Identity
id: agent-writer
type: agent
owner: team:platform
grants:
  - role: s3-writer
    granted: 2026-11-01
  - permission: warehouse:tables.update
    granted: 2026-11-01
---
apiVersion: rolelint/v1
kind: Identity
id: agent-reader
type: agent
owner: team:platform
grants:
  - role: s3-reader
    granted: 2026-11-01
  - permission: warehouse:tables.read
    granted: 2026-11-01
---
apiVersion: rolelint/v1
kind: Identity
id: dev
grants:
  - role: s3-writer
    granted: 2026-11-01
"#;

const TEAMS: &str = r#"apiVersion: rolelint/v1
kind: Team
id: platform
owner: alice
members: [alice, carol, agent-reader]
---
apiVersion: rolelint/v1
kind: Team
id: finance
owner: alice
members: [alice, bob]
"#;

const EXAMPLE_CONFIG: &str = "policies: [\"policies/*.rego\"]\n";

/// The test catalogue with the three shipped policies.
fn example_catalogue(config: &str) -> tempfile::TempDir {
    catalogue(
        config,
        &[
            ("access/applications.yaml", APPLICATIONS),
            ("access/roles.yaml", ROLES),
            ("access/identities.yaml", IDENTITIES),
            ("access/teams.yaml", TEAMS),
            ("policies/agents.rego", &shipped("agents")),
            ("policies/contractors.rego", &shipped("contractors")),
            ("policies/critical-apps.rego", &shipped("critical-apps")),
        ],
    )
}

#[test]
fn shipped_policies_find_what_they_describe_at_the_objects_ids() {
    let dir = example_catalogue(EXAMPLE_CONFIG);
    let output = check(dir.path(), &["--format", "json"])
        .code(1)
        .get_output()
        .stdout
        .clone();
    let report = json_of(&output);
    assert_eq!(
        policy_findings(&report),
        vec![
            // aws-prod: team platform has one active human (carol is
            // terminated, agent-reader is no person).
            "policy/rolelint.critical_apps warning Application:aws-prod - access/applications.yaml:3:5",
            // warehouse: owned by one person. ledger (team of two) passes.
            "policy/rolelint.critical_apps warning Application:warehouse - access/applications.yaml:14:5",
            // marc holds cloud-operator, privileged through what it inherits,
            // and so also cloud-admin; nina's privileged grant is revoked.
            "policy/rolelint.contractors error Identity:marc cloud-admin access/identities.yaml:16:5",
            "policy/rolelint.contractors error Identity:marc cloud-operator access/identities.yaml:16:5",
            // agent-writer writes to production by name (s3.write) and by
            // label (warehouse is labelled production); agent-reader only
            // reads, and dev, who writes, is a human.
            "policy/rolelint.agents error Identity:agent-writer aws-prod:s3.write access/identities.yaml:38:5",
            "policy/rolelint.agents error Identity:agent-writer warehouse:tables.update access/identities.yaml:38:5",
        ]
    );
    let marc = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|finding| finding["rule"] == "policy/rolelint.contractors")
        .unwrap();
    assert_eq!(
        marc["message"],
        "contractor marc holds the privileged role cloud-admin"
    );
    assert_eq!(
        marc["help"],
        "contractors get time-boxed, non-privileged access: revoke the grant or move the work to an employee"
    );
}

#[test]
fn a_policy_finding_renders_like_any_other_in_human_output() {
    let dir = example_catalogue(EXAMPLE_CONFIG);
    let output = check(dir.path(), &[]).code(1).get_output().stdout.clone();
    let text = String::from_utf8(output).unwrap();
    assert!(text.contains("policy/rolelint.agents"), "{text}");
    assert!(
        text.contains("AI agent agent-writer can change production: it holds aws-prod:s3.write"),
        "{text}"
    );
    assert!(text.contains("access/identities.yaml:38:5"), "{text}");
    assert!(
        text.contains("give agents read-only access to production"),
        "{text}"
    );
}

#[test]
fn example_catalogue_with_the_shipped_policies() {
    // fixtures/example as shipped, plus `policies:`: only aws-prod lacks a
    // second accountable owner (platform's other members are a leaver on
    // notice and a service account); no contractor or agent is privileged.
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&root().join("fixtures/example"), dir.path());
    copy_dir(&root().join("policies"), &dir.path().join("policies"));
    let config = std::fs::read_to_string(dir.path().join("rolelint.yaml")).unwrap();
    std::fs::write(
        dir.path().join("rolelint.yaml"),
        format!("{config}\npolicies: [\"policies/*.rego\"]\n"),
    )
    .unwrap();
    let output = check(dir.path(), &["--format", "json"])
        .code(1)
        .get_output()
        .stdout
        .clone();
    assert_eq!(
        policy_findings(&json_of(&output)),
        vec![
            "policy/rolelint.critical_apps warning Application:aws-prod - access/applications/aws-prod.yaml:3:5"
        ]
    );
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

#[test]
fn severity_overrides_and_off_apply_to_policy_codes() {
    let dir = example_catalogue(
        "policies: [\"policies/*.rego\"]\nrules:\n  policy/rolelint.contractors: info\n  policy/rolelint.agents: 'off'\n",
    );
    let output = check(dir.path(), &["--format", "json"])
        .code(1)
        .get_output()
        .stdout
        .clone();
    assert_eq!(
        policy_findings(&json_of(&output)),
        vec![
            "policy/rolelint.critical_apps warning Application:aws-prod - access/applications.yaml:3:5",
            "policy/rolelint.critical_apps warning Application:warehouse - access/applications.yaml:14:5",
            "policy/rolelint.contractors info Identity:marc cloud-admin access/identities.yaml:16:5",
            "policy/rolelint.contractors info Identity:marc cloud-operator access/identities.yaml:16:5",
        ]
    );
}

#[test]
fn a_policy_that_is_off_is_not_evaluated() {
    // It would fail (no network), but it is off, so it never runs.
    let dir = catalogue(
        "policies: [\"policies/*.rego\"]\nrules:\n  policy/rolelint.net: 'off'\n",
        &[
            (
                "access/all.yaml",
                "apiVersion: rolelint/v1\nkind: Identity\nid: alice\n",
            ),
            (
                "policies/net.rego",
                "package rolelint.net\n\ndeny contains \"x\" if {\n\thttp.send({\"method\": \"get\", \"url\": \"https://example.com\"})\n}\n",
            ),
        ],
    );
    check(dir.path(), &["--format", "json"]).code(0);
}

/// marc's identity with a suppression of `rule` appended to its document.
fn identities_with_suppression(rule: &str) -> String {
    IDENTITIES.replace(
        "    expires: 2026-12-01\n",
        &format!(
            "    expires: 2026-12-01\nsuppress:\n  - rule: {rule}\n    reason: migration project, access ends with the contract\n    until: 2026-12-31\n"
        ),
    )
}

#[test]
fn policy_findings_are_suppressible_on_their_object() {
    let identities = identities_with_suppression("policy/rolelint.contractors");
    let dir = catalogue(
        EXAMPLE_CONFIG,
        &[
            ("access/applications.yaml", APPLICATIONS),
            ("access/roles.yaml", ROLES),
            ("access/identities.yaml", &identities),
            ("access/teams.yaml", TEAMS),
            ("policies/contractors.rego", &shipped("contractors")),
        ],
    );
    let output = check(dir.path(), &["--format", "json"])
        .code(1)
        .get_output()
        .stdout
        .clone();
    let report = json_of(&output);
    assert_eq!(policy_findings(&report), Vec::<String>::new());
    // Both of marc's findings were silenced by the one suppression.
    assert!(report["summary"]["suppressed"].as_u64().unwrap() >= 2);
    let unused: Vec<&Value> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|finding| finding["rule"] == "suppression/unused")
        .collect();
    assert_eq!(unused, Vec::<&Value>::new());
}

#[test]
fn an_unused_policy_suppression_is_reported() {
    // agents.rego runs and finds nothing on marc: the suppression is unused.
    let identities = identities_with_suppression("policy/rolelint.agents");
    let dir = catalogue(
        EXAMPLE_CONFIG,
        &[
            ("access/applications.yaml", APPLICATIONS),
            ("access/roles.yaml", ROLES),
            ("access/identities.yaml", &identities),
            ("access/teams.yaml", TEAMS),
            ("policies/agents.rego", &shipped("agents")),
        ],
    );
    let output = check(dir.path(), &["--format", "json"])
        .code(1)
        .get_output()
        .stdout
        .clone();
    let report = json_of(&output);
    let unused: Vec<(String, u64)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|finding| finding["rule"] == "suppression/unused")
        .map(|finding| {
            (
                finding["detail"].as_str().unwrap().to_owned(),
                finding["line"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(unused, vec![("policy/rolelint.agents".to_owned(), 24)]);
}

const ALICE: &str = "apiVersion: rolelint/v1\nkind: Identity\nid: alice\n";

/// A catalogue of one identity and one policy file.
fn one_policy(name: &str, rego: &str) -> tempfile::TempDir {
    catalogue(
        EXAMPLE_CONFIG,
        &[
            ("access/all.yaml", ALICE),
            (&format!("policies/{name}"), rego),
        ],
    )
}

#[test]
fn bare_strings_are_findings_on_no_object_and_warn_is_a_warning() {
    let dir = one_policy(
        "naming.rego",
        "package naming\n\nwarn contains \"the catalogue has fewer than two identities\" if {\n\tcount(input.identities) < 2\n}\n\ndeny contains {\"msg\": \"alice is here\", \"kind\": \"identity\", \"id\": \"alice\"} if {\n\tprint(\"debug output must not reach the report\")\n\tsome identity in input.identities\n\tidentity.id == \"alice\"\n}\n",
    );
    let output = check(dir.path(), &["--format", "json"])
        .code(1)
        .get_output()
        .stdout
        .clone();
    let report = json_of(&output);
    assert_eq!(
        policy_findings(&report),
        vec![
            "policy/naming error Identity:alice - access/all.yaml:3:5",
            "policy/naming warning - - -",
        ]
    );
    let bare = &report["findings"][1];
    assert_eq!(
        bare["message"],
        "the catalogue has fewer than two identities"
    );
    assert_eq!(bare["help"], "custom policy: see `policies/naming.rego`");
    assert!(bare.get("path").is_none());
}

#[test]
fn a_rego_syntax_error_exits_2_naming_the_file_and_line() {
    let dir = one_policy(
        "broken.rego",
        "package rolelint.broken\n\ndeny contains msg if {\n\tmsg := \n}\n",
    );
    let assert = check(dir.path(), &["--format", "json"]).code(2);
    assert!(assert.get_output().stdout.is_empty());
    let stderr = stderr_of(&assert);
    assert!(
        stderr.starts_with("rolelint: error: policies/broken.rego:4:"),
        "{stderr}"
    );
    assert!(stderr.contains("Rego syntax error"), "{stderr}");
}

#[test]
fn rego_v0_syntax_is_a_syntax_error_with_a_hint() {
    let dir = one_policy(
        "old.rego",
        "package rolelint.old\n\ndeny[msg] {\n\tmsg := \"x\"\n}\n",
    );
    let stderr = stderr_of(&check(dir.path(), &[]).code(2));
    assert!(stderr.contains("policies/old.rego:3:"), "{stderr}");
    assert!(stderr.contains("`if` keyword is required"), "{stderr}");
}

/// The stderr of a run whose one policy's `deny` is `rule_body`.
fn malformed(rule: &str) -> String {
    let dir = one_policy("bad.rego", &format!("package rolelint.bad\n\n{rule}\n"));
    let assert = check(dir.path(), &[]).code(2);
    stderr_of(&assert)
}

#[test]
fn malformed_elements_are_reported_with_the_rule_and_the_problem() {
    let cases = [
        (
            "deny contains {\"msg\": 42, \"kind\": \"Identity\", \"id\": \"alice\"} if { true }",
            "`msg` must be a string, not 42",
        ),
        (
            "deny contains {\"message\": \"x\"} if { true }",
            "unknown key \"message\"; the keys are msg, kind, id, detail, help",
        ),
        (
            "deny contains {\"msg\": \"x\", \"kind\": \"User\", \"id\": \"alice\"} if { true }",
            "unknown kind `User`; the kinds are Application, Role, Identity, Team, Playbook, SodRule",
        ),
        (
            "deny contains {\"msg\": \"x\", \"kind\": \"Identity\", \"id\": \"bob\"} if { true }",
            "there is no Identity `bob` in the input",
        ),
        (
            "deny contains {\"msg\": \"x\", \"id\": \"alice\"} if { true }",
            "`id` is given without `kind`",
        ),
        (
            "deny contains 7 if { true }",
            "an element must be an object or a string",
        ),
        (
            "deny if { true }",
            "`deny` must be a set of findings (write `deny contains {\"msg\": ...} if { ... }`)",
        ),
    ];
    for (rule, problem) in cases {
        let stderr = malformed(rule);
        assert!(
            stderr.starts_with(
                "rolelint: error: policies/bad.rego:3:1: `deny` of `policy/rolelint.bad` produced a malformed element: "
            ),
            "{rule}: {stderr}"
        );
        assert!(
            stderr.contains(problem),
            "{rule}: expected `{problem}` in {stderr}"
        );
        assert!(stderr.contains("expected: {\"msg\": string"), "{stderr}");
    }
}

#[test]
fn network_file_system_and_runtime_builtins_do_not_exist() {
    for (call, name) in [
        (
            "http.send({\"method\": \"get\", \"url\": \"https://example.com\"})",
            "http.send",
        ),
        ("opa.runtime()", "opa.runtime"),
        ("time.now_ns()", "time.now_ns"),
        ("regex.match(\"a\", \"a\")", "regex.match"),
    ] {
        let dir = one_policy(
            "reach.rego",
            &format!(
                "package rolelint.reach\n\ndeny contains msg if {{\n\tx := {call}\n\tmsg := sprintf(\"%v\", [x])\n}}\n"
            ),
        );
        let stderr = stderr_of(&check(dir.path(), &[]).code(2));
        assert!(
            stderr.starts_with("rolelint: error: policies/reach.rego:4:"),
            "{name}: {stderr}"
        );
        assert!(
            stderr.contains(&format!("could not find function {name}")),
            "{name}: {stderr}"
        );
        assert!(stderr.contains("without network, file-system"), "{stderr}");
    }
}

#[test]
fn a_runaway_policy_is_stopped_by_the_time_limit() {
    let dir = one_policy(
        "slow.rego",
        "package rolelint.slow\n\ndeny contains msg if {\n\tsome a in numbers.range(1, 100000)\n\tsome b in numbers.range(1, 100000)\n\ta == b + 100000\n\tmsg := \"never\"\n}\n",
    );
    let started = std::time::Instant::now();
    let assert = rolelint()
        .arg("check")
        .arg(dir.path())
        .args(["--now", "2026-11-26"])
        .env("ROLELINT_POLICY_TIME_LIMIT", "0.5")
        .assert()
        .code(2);
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
    let stderr = stderr_of(&assert);
    assert!(
        stderr.starts_with(
            "rolelint: error: policies/slow.rego:3:1: `policy/rolelint.slow` was stopped after 500ms, its time limit"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("ROLELINT_POLICY_TIME_LIMIT=SECONDS"),
        "{stderr}"
    );
}

#[test]
fn a_bad_time_limit_exits_2() {
    let dir = one_policy(
        "ok.rego",
        "package ok\n\ndeny contains \"x\" if { false }\n",
    );
    let assert = rolelint()
        .arg("check")
        .arg(dir.path())
        .env("ROLELINT_POLICY_TIME_LIMIT", "soon")
        .assert()
        .code(2);
    assert!(
        stderr_of(&assert)
            .contains("ROLELINT_POLICY_TIME_LIMIT=`soon` is not a positive number of seconds")
    );
}

#[test]
fn memory_hungry_and_random_builtins_are_refused() {
    let dir = one_policy(
        "bomb.rego",
        "package rolelint.bomb\n\ndeny contains msg if {\n\tx := numbers.range(1, 1000000000000)\n\tmsg := sprintf(\"%d\", [count(x)])\n}\n",
    );
    let stderr = stderr_of(&check(dir.path(), &[]).code(2));
    assert!(stderr.contains("policies/bomb.rego:4:"), "{stderr}");
    assert!(
        stderr.contains("numbers.range: the range would hold 1000000000000 numbers, more than rolelint's limit of 1000000"),
        "{stderr}"
    );
    let dir = one_policy(
        "dice.rego",
        "package rolelint.dice\n\ndeny contains msg if {\n\trand.intn(\"x\", 6) == 3\n\tmsg := \"unlucky\"\n}\n",
    );
    let stderr = stderr_of(&check(dir.path(), &[]).code(2));
    assert!(stderr.contains("rand.intn is not available"), "{stderr}");
    // Small ranges still work.
    let dir = one_policy(
        "small.rego",
        "package rolelint.small\n\nwarn contains msg if {\n\tcount(numbers.range(1, 10)) == 10\n\tcount(numbers.range_step(10, 0, 5)) == 3\n\tmsg := \"ranges work\"\n}\n",
    );
    let output = check(dir.path(), &["--format", "json"])
        .code(0)
        .get_output()
        .stdout
        .clone();
    assert_eq!(
        policy_findings(&json_of(&output)),
        vec!["policy/rolelint.small warning - - -"]
    );
}

#[test]
fn packages_may_span_files_and_import_helpers() {
    let dir = catalogue(
        "policies: [\"policies/**/*.rego\"]\n",
        &[
            ("access/all.yaml", ALICE),
            (
                "policies/lib/people.rego",
                "package lib.people\n\nhumans contains identity.id if {\n\tsome identity in input.identities\n\tidentity.type == \"human\"\n}\n",
            ),
            (
                "policies/humans.rego",
                "package rolelint.humans\n\nimport data.lib.people\n\nwarn contains {\"msg\": sprintf(\"%s is human\", [id]), \"kind\": \"Identity\", \"id\": id} if {\n\tsome id in people.humans\n}\n",
            ),
            (
                "policies/humans-more.rego",
                "package rolelint.humans\n\ndeny contains {\"msg\": \"too few people\", \"kind\": \"Identity\", \"id\": \"alice\"} if {\n\tcount(input.identities) < 3\n}\n",
            ),
        ],
    );
    let output = check(dir.path(), &["--format", "json"])
        .code(1)
        .get_output()
        .stdout
        .clone();
    assert_eq!(
        policy_findings(&json_of(&output)),
        vec![
            // Same place and rule: sorted by message.
            "policy/rolelint.humans warning Identity:alice - access/all.yaml:3:5",
            "policy/rolelint.humans error Identity:alice - access/all.yaml:3:5",
        ]
    );
}

#[test]
fn globs_that_match_nothing_or_leave_the_root_exit_2() {
    let dir = catalogue(
        "policies: [\"rules/*.rego\"]\n",
        &[("access/all.yaml", ALICE)],
    );
    let stderr = stderr_of(&check(dir.path(), &[]).code(2));
    assert!(
        stderr.contains("policy glob `rules/*.rego` in rolelint.yaml matches no .rego file"),
        "{stderr}"
    );
    let dir = catalogue("policies: [\"../*.rego\"]\n", &[("access/all.yaml", ALICE)]);
    let stderr = stderr_of(&check(dir.path(), &[]).code(2));
    assert!(
        stderr.contains("must stay inside the catalogue root"),
        "{stderr}"
    );
}

#[test]
fn policy_output_is_deterministic() {
    let dir = example_catalogue(EXAMPLE_CONFIG);
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
    assert_eq!(first, second);
}

#[test]
fn schema_command_prints_the_committed_policy_input_schema() {
    let output = rolelint()
        .args(["schema", "policy-input"])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let committed =
        std::fs::read_to_string(root().join("schemas/policy-input.schema.json")).unwrap();
    assert_eq!(String::from_utf8(output).unwrap(), committed);
}

/// The input of the test catalogue, as policies see it.
fn input_of(dir: &Path) -> Value {
    let options = rolelint::load::LoadOptions {
        start: dir.to_path_buf(),
        rule_codes: rolelint::rules::codes(),
        ..Default::default()
    };
    let catalogue = rolelint::load::load(&options).unwrap();
    let now = rolelint::model::Date::parse("2026-11-26").unwrap();
    let graph = rolelint::graph::Graph::build(&catalogue, now);
    serde_json::to_value(rolelint::policy::input::build(&graph).unwrap()).unwrap()
}

fn find<'a>(input: &'a Value, array: &str, id: &str) -> &'a Value {
    input[array]
        .as_array()
        .unwrap()
        .iter()
        .find(|object| object["id"] == id)
        .unwrap_or_else(|| panic!("no {id} in {array}"))
}

#[test]
fn the_input_carries_the_documented_derived_fields() {
    let dir = example_catalogue("# no policies\n");
    let input = input_of(dir.path());
    assert_eq!(input["now"], "2026-11-26");
    let operator = find(&input, "roles", "cloud-operator");
    assert_eq!(operator["kind"], "Role");
    assert_eq!(
        operator["location"],
        json!({"path": "access/roles.yaml", "line": 9, "column": 5})
    );
    assert_eq!(
        operator["effective_permissions"],
        json!(["aws-prod:iam.admin"])
    );
    assert_eq!(operator["ancestors"], json!(["cloud-admin"]));
    assert_eq!(operator["privileged_declared"], false);
    assert_eq!(operator["privileged_effective"], true);
    assert_eq!(operator["privileged"], true);
    assert_eq!(operator["requires_mfa"], false);
    let writer = find(&input, "identities", "agent-writer");
    assert_eq!(
        writer["effective_permissions"],
        json!(["aws-prod:s3.write", "warehouse:tables.update"])
    );
    assert_eq!(writer["roles"], json!(["s3-writer"]));
    assert_eq!(writer["status"], "active");
    let nina = find(&input, "identities", "nina");
    assert_eq!(nina["type"], "human");
    assert_eq!(nina["labels"], json!({"employment": "contractor"}));
    assert_eq!(nina["grants"][0]["active"], false);
    assert_eq!(nina["grants"][0]["expired_unrevoked"], false);
    assert_eq!(nina["grants"][1]["active"], true);
    assert_eq!(nina["roles"], json!(["s3-reader"]));
    let marc = find(&input, "identities", "marc");
    assert_eq!(marc["roles"], json!(["cloud-admin", "cloud-operator"]));
    let platform = find(&input, "teams", "platform");
    assert_eq!(platform["accountable"], true);
    assert_eq!(platform["active_human_members"], json!(["alice"]));
    let warehouse = find(&input, "applications", "warehouse");
    assert_eq!(warehouse["criticality"], "critical");
    assert_eq!(
        warehouse["permissions"][1],
        json!({"id": "tables.update", "privileged": false})
    );
}

#[test]
fn the_input_of_the_example_catalogue_validates_against_the_published_schema() {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("schemas/policy-input.schema.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::draft7::new(&schema).unwrap();
    let written = example_catalogue("");
    for dir in [
        root().join("fixtures/example"),
        written.path().to_path_buf(),
    ] {
        let input = input_of(&dir);
        let errors: Vec<String> = validator
            .iter_errors(&input)
            .map(|error| format!("{} at {}", error, error.instance_path()))
            .collect();
        assert_eq!(errors, Vec::<String>::new(), "{}", dir.display());
    }
    // A field the schema does not know is refused, so the test can fail.
    let mut input = input_of(&root().join("fixtures/example"));
    input["roles"][0]["undocumented"] = json!(true);
    assert!(!validator.is_valid(&input));
}

#[test]
fn input_objects_are_their_yaml_fields_plus_the_derived_ones() {
    let options = rolelint::load::LoadOptions {
        start: root().join("fixtures/example"),
        rule_codes: rolelint::rules::codes(),
        ..Default::default()
    };
    let catalogue = rolelint::load::load(&options).unwrap();
    let now = rolelint::model::Date::parse("2026-11-26").unwrap();
    let graph = rolelint::graph::Graph::build(&catalogue, now);
    let input = serde_json::to_value(rolelint::policy::input::build(&graph).unwrap()).unwrap();

    /// The object as written: without what the input adds.
    fn written(object: &Value, derived: &[&str]) -> Value {
        let mut object = object.as_object().unwrap().clone();
        for name in ["kind", "location"].iter().chain(derived) {
            assert!(object.remove(*name).is_some(), "{name} missing");
        }
        if let Some(declared) = object.remove("privileged_declared") {
            object.insert("privileged".into(), declared);
        }
        if let Some(Value::Array(grants)) = object.get_mut("grants") {
            for grant in grants {
                let grant = grant.as_object_mut().unwrap();
                assert!(grant.remove("active").unwrap().is_boolean());
                assert!(grant.remove("expired_unrevoked").unwrap().is_boolean());
            }
        }
        Value::Object(object)
    }
    fn compare<T: serde::Serialize>(input: &Value, array: &str, objects: &[T], derived: &[&str]) {
        let values = input[array].as_array().unwrap();
        assert_eq!(values.len(), objects.len(), "{array}");
        assert!(!values.is_empty(), "{array}");
        for (value, object) in values.iter().zip(objects) {
            assert_eq!(
                written(value, derived),
                serde_json::to_value(object).unwrap(),
                "{array}"
            );
        }
    }
    compare(&input, "applications", &catalogue.applications, &[]);
    compare(
        &input,
        "roles",
        &catalogue.roles,
        &[
            "effective_permissions",
            "ancestors",
            "privileged_effective",
            "privileged",
        ],
    );
    compare(
        &input,
        "identities",
        &catalogue.identities,
        &["effective_permissions", "roles"],
    );
    compare(
        &input,
        "teams",
        &catalogue.teams,
        &["accountable", "active_human_members"],
    );
    compare(&input, "playbooks", &catalogue.playbooks, &[]);
    compare(&input, "sod_rules", &catalogue.sod_rules, &[]);
}
