//! `rolelint check --format sarif|github|markdown`: the output of each format,
//! SARIF schema validity, escaping of crafted catalogue text, exit codes.

use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;

const NOW: &str = "2026-11-26";
const FORMATS: &[&str] = &["human", "json", "sarif", "github", "markdown"];

fn rolelint() -> Command {
    let mut command = Command::cargo_bin("rolelint").unwrap();
    command.env_remove("ROLELINT_LINK_BASE");
    command
}

/// Writes `files` under a fresh directory that is its own catalogue root.
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

/// Runs `check` at [`NOW`]; returns stdout and the exit code.
fn check(dir: &Path, format: &str, extra: &[&str]) -> (String, i32) {
    let output = rolelint()
        .arg("check")
        .arg(dir)
        .args(["--now", NOW, "--format", format])
        .args(extra)
        .output()
        .unwrap();
    let code = output.status.code().unwrap();
    assert!(
        code == 0 || code == 1,
        "exit {code}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    (String::from_utf8(output.stdout).unwrap(), code)
}

fn example() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/example"))
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|error| panic!("not JSON ({error}): {text}"))
}

const APPS: &str = r#"apiVersion: rolelint/v1
kind: Application
id: stripe
owner: alice
permissions:
  - id: payouts.read
  - id: payouts.approve
    privileged: true
"#;

const PEOPLE: &str = r#"apiVersion: rolelint/v1
kind: Identity
id: alice
name: Alice
department: finance
---
apiVersion: rolelint/v1
kind: Identity
id: bob
name: Bob
department: finance
grants:
  - role: viewer
    granted: 2026-09-01
    expires: 2026-10-31
    approved_by: alice
"#;

const ROLES: &str = r#"apiVersion: rolelint/v1
kind: Role
id: approver
owner: alice
permissions: [stripe:payouts.approve]
privileged: true
requires_mfa: true
review:
  last_reviewed: 2026-10-01
---
apiVersion: rolelint/v1
kind: Role
id: lead
owner: alice
inherits: [approver]
review:
  last_reviewed: 2026-10-01
---
apiVersion: rolelint/v1
kind: Role
id: viewer
owner: alice
permissions: ["stripe:*"]
review:
  last_reviewed: 2026-10-01
"#;

/// Errors (one through inheritance, one on a grant), a warning, and an info
/// (by a severity override).
fn small() -> tempfile::TempDir {
    catalogue(
        "rules:\n  privilege/wildcard-permission: info\n",
        &[
            ("access/apps.yaml", APPS),
            ("access/people.yaml", PEOPLE),
            ("access/roles.yaml", ROLES),
        ],
    )
}

#[test]
fn sarif_of_a_small_catalogue() {
    let dir = small();
    let (text, code) = check(dir.path(), "sarif", &[]);
    assert_eq!(code, 1);
    let mut log = json(&text);
    // Snapshots of the results and the run, and of one rule descriptor (each
    // carries its rule's whole documentation); insta sorts the keys.
    let rules = log["runs"][0]["tool"]["driver"]["rules"].take();
    assert_eq!(rules.as_array().unwrap().len(), rule_count());
    insta::assert_json_snapshot!("sarif_small", log);
    let expired_grant = rules
        .as_array()
        .unwrap()
        .iter()
        .find(|rule| rule["id"] == "lifecycle/expired-grant")
        .unwrap();
    insta::assert_json_snapshot!("sarif_rule_descriptor", expired_grant);
}

#[test]
fn github_of_a_small_catalogue() {
    let dir = small();
    let (text, code) = check(dir.path(), "github", &[]);
    assert_eq!(code, 1);
    insta::assert_snapshot!("github_small", text);
}

#[test]
fn markdown_of_a_small_catalogue() {
    let dir = small();
    let (text, code) = check(dir.path(), "markdown", &[]);
    assert_eq!(code, 1);
    insta::assert_snapshot!("markdown_small", text);
}

#[test]
fn markdown_links_are_absolute_under_a_link_base() {
    let dir = small();
    let output = rolelint()
        .arg("check")
        .arg(dir.path())
        .args(["--now", NOW, "--format", "markdown"])
        .env("ROLELINT_LINK_BASE", "https://github.com/o/r/blob/0123abc/")
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(output).unwrap();
    assert!(
        text.contains("](https://github.com/o/r/blob/0123abc/access/people.yaml#L15)"),
        "{text}"
    );
    assert!(!text.contains("](access/"), "{text}");
}

#[test]
fn clean_catalogue_in_every_format() {
    let dir = warning_only();
    let (github, code) = check(dir.path(), "github", &[]);
    // Only the duplicate roles `approver` and `lead` remain (a warning).
    assert_eq!(code, 0);
    assert_eq!(github.lines().count(), 1, "{github}");
    assert!(
        github.starts_with("::warning file=access/roles.yaml,"),
        "{github}"
    );

    let only_alice = catalogue(
        "",
        &[("access/people.yaml", &PEOPLE[..PEOPLE.find("---").unwrap()])],
    );
    let (github, code) = check(only_alice.path(), "github", &[]);
    assert_eq!(
        (github.as_str(), code),
        ("", 0),
        "no findings: nothing at all"
    );
    let (markdown, _) = check(only_alice.path(), "markdown", &[]);
    assert_eq!(
        markdown,
        "<!-- rolelint -->\n## rolelint: no findings\n\nEvaluated on 2026-11-26 over 1 file and 1 object.\n\n"
    );
    let (sarif, _) = check(only_alice.path(), "sarif", &[]);
    assert_eq!(json(&sarif)["runs"][0]["results"], Value::Array(vec![]));
}

fn rule_count() -> usize {
    let output = rolelint()
        .args(["rules", "--format", "json"])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    json(std::str::from_utf8(&output).unwrap())
        .as_array()
        .unwrap()
        .len()
}

#[test]
fn sarif_of_the_example_validates_against_the_schema() {
    let schema_text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/data/sarif-schema-2.1.0.json"
    ))
    .unwrap();
    let schema = json(&schema_text);
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap();
    let (text, code) = check(example(), "sarif", &[]);
    assert_eq!(code, 1);
    let log = json(&text);
    let errors: Vec<String> = validator
        .iter_errors(&log)
        .map(|error| format!("{} at {}", error, error.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");

    // What GitHub code scanning needs beyond the schema.
    let run = &log["runs"][0];
    assert_eq!(run["invocations"][0]["executionSuccessful"], true);
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(rules.len(), rule_count());
    for rule in rules {
        for field in [
            "name",
            "shortDescription",
            "fullDescription",
            "help",
            "defaultConfiguration",
        ] {
            assert!(!rule[field].is_null(), "{field} missing in {rule}");
        }
        let markdown = rule["help"]["markdown"].as_str().unwrap();
        assert!(markdown.starts_with(&format!("# {}\n", rule["id"].as_str().unwrap())));
        let tags = rule["properties"]["tags"].as_array().unwrap();
        assert!(tags.len() >= 3, "category and controls: {tags:?}");
    }
    let results = run["results"].as_array().unwrap();
    let mut fingerprints = Vec::new();
    for result in results {
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
        let location = &result["locations"][0]["physicalLocation"];
        let uri = location["artifactLocation"]["uri"].as_str().unwrap();
        assert!(uri.starts_with("access/"), "repo-relative: {uri}");
        assert_eq!(location["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        assert!(location["region"]["startLine"].as_u64().unwrap() >= 1);
        assert!(location["region"]["startColumn"].as_u64().unwrap() >= 1);
        fingerprints.push(result["partialFingerprints"]["rolelintFinding/v1"].clone());
    }
    let count = fingerprints.len();
    fingerprints.sort_by_key(|f| f.to_string());
    fingerprints.dedup();
    assert_eq!(fingerprints.len(), count, "fingerprints are unique");

    // Severity overrides show in the level: near-duplicates are `info` in its config.
    let near = results
        .iter()
        .find(|r| r["ruleId"] == "overlap/near-duplicate-roles")
        .unwrap();
    assert_eq!(near["level"], "note");
    let near_rule = &rules[near["ruleIndex"].as_u64().unwrap() as usize];
    assert_eq!(near_rule["defaultConfiguration"]["level"], "warning");

    // A separation-of-duties conflict walks its chain through the files.
    let conflict = results
        .iter()
        .find(|r| r["ruleId"] == "sod/identity-conflict")
        .unwrap();
    let steps = conflict["codeFlows"][0]["threadFlows"][0]["locations"]
        .as_array()
        .unwrap();
    let related = conflict["relatedLocations"].as_array().unwrap();
    assert_eq!(steps.len(), 1 + related.len());
    assert_eq!(
        steps[0]["location"]["physicalLocation"],
        conflict["locations"][0]["physicalLocation"]
    );
    for (step, related) in steps[1..].iter().zip(related) {
        assert_eq!(
            step["location"]["physicalLocation"],
            related["physicalLocation"]
        );
        assert_eq!(step["location"]["message"], related["message"]);
    }
    let uris: Vec<&str> = steps
        .iter()
        .map(|s| {
            s["location"]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .unwrap()
        })
        .collect();
    assert!(
        uris.contains(&"access/sod.yaml") && uris.contains(&"access/roles/payments.yaml"),
        "{uris:?}"
    );
    // A finding that is not a chain has related locations but no flow.
    let duplicate = results
        .iter()
        .find(|r| r["ruleId"] == "graph/duplicate-id")
        .unwrap();
    assert!(duplicate["codeFlows"].is_null() && !duplicate["relatedLocations"].is_null());
}

/// The fingerprint of each result, by rule and object.
fn fingerprints(text: &str) -> Vec<(String, String, u64)> {
    let log = json(text);
    let mut out: Vec<(String, String, u64)> = log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                format!("{} {}", r["ruleId"], r["properties"]["object"]["id"]),
                r["partialFingerprints"]["rolelintFinding/v1"]
                    .as_str()
                    .unwrap()
                    .to_owned(),
                r["locations"][0]["physicalLocation"]["region"]["startLine"]
                    .as_u64()
                    .unwrap(),
            )
        })
        .collect();
    out.sort();
    out
}

#[test]
fn sarif_fingerprints_survive_unrelated_edits() {
    let before = check(small().path(), "sarif", &[]).0;
    // Comments and another object above every finding move all of them down.
    let padded_roles = format!(
        "# Roles of the finance team.\n# Reviewed quarterly.\napiVersion: rolelint/v1\nkind: Role\nid: auditor\nowner: alice\npermissions: [stripe:payouts.read]\nreview:\n  last_reviewed: 2026-10-01\n---\n{ROLES}"
    );
    let padded_people = format!("# People\n\n{PEOPLE}");
    let dir = catalogue(
        "rules:\n  privilege/wildcard-permission: info\n",
        &[
            ("access/apps.yaml", APPS),
            ("access/people.yaml", &padded_people),
            ("access/roles.yaml", &padded_roles),
        ],
    );
    let after = check(dir.path(), "sarif", &[]).0;
    let (before, after) = (fingerprints(&before), fingerprints(&after));
    assert_eq!(before.len(), after.len());
    for (old, new) in before.iter().zip(&after) {
        assert_eq!((&old.0, &old.1), (&new.0, &new.1));
        assert_ne!(old.2, new.2, "the line moved, the fingerprint did not");
    }
}

/// Only a warning: the roles `approver` and `lead` are duplicates.
fn warning_only() -> tempfile::TempDir {
    let roles = ROLES
        .replace(
            "permissions: [\"stripe:*\"]",
            "permissions: [stripe:payouts.read]",
        )
        .replace(
            "inherits: [approver]\n",
            "inherits: [approver]\nprivileged: true\nrequires_mfa: true\n",
        );
    let alice = &PEOPLE[..PEOPLE.find("---").unwrap()];
    catalogue(
        "",
        &[
            ("access/apps.yaml", APPS),
            ("access/people.yaml", alice),
            ("access/roles.yaml", &roles),
        ],
    )
}

#[test]
fn exit_codes_do_not_depend_on_the_format() {
    let errors = small();
    let warning = warning_only();
    for format in FORMATS {
        assert_eq!(check(errors.path(), format, &[]).1, 1, "{format}");
        assert_eq!(
            check(errors.path(), format, &["--fail-on", "never"]).1,
            0,
            "{format}"
        );
        assert_eq!(check(warning.path(), format, &[]).1, 0, "{format}");
        assert_eq!(
            check(warning.path(), format, &["--fail-on", "warning"]).1,
            1,
            "{format}"
        );
    }
    // A path that does not exist is exit 2 whatever the format, with nothing on stdout.
    for format in FORMATS {
        rolelint()
            .args(["check", "/nonexistent/rolelint", "--format", format])
            .assert()
            .code(2)
            .stdout("");
    }
}

/// Text that tries to forge workflow commands, links, HTML and mentions.
const CRAFTED: &str = r#"apiVersion: rolelint/v1
kind: Identity
id: mallory
name: "Mallory\n::add-mask::secret [x](https://evil.example) <img src=x> @org/admins"
department: finance
grants:
  - permission: stripe:payouts.read
    granted: 2026-01-01
    justification: "%0A::error::j <b>@team</b> [j](https://evil.example)"
suppress:
  - rule: lifecycle/expired-grant
    reason: "r\n::error::reason [a](https://evil.example) <i>@here</i>"
    until: 2027-01-01
---
apiVersion: rolelint/v1
kind: Identity
id: eve
name: Eve
"x::error file=a::pwned": 1
"[click](https://evil.example)\n::warning::k <script>@org/admins": 2
grants:
  - role: "bad\n::error file=x,line=1::r"
    granted: 2026-01-01
---
apiVersion: rolelint/v1
kind: Role
id: dev
owner: "bob\r::warning title=x::cr"
description: "<script>alert(1)</script> @here [d](https://evil.example)"
permissions: ["stripe:payouts.read"]
privileged: "no\n::error::priv](https://evil.example) <b>"
---
apiVersion: rolelint/v1
kind: Team
id: ops
owner: mallory
members: [mallory, "zed@corp"]
"#;

fn crafted() -> tempfile::TempDir {
    catalogue(
        "",
        &[
            ("access/apps.yaml", APPS),
            ("access/crafted.yaml", CRAFTED),
            // The file name is catalogue text too.
            ("access/we,ird:[x](y) <b>@org.yaml", CRAFTED),
        ],
    )
}

/// Splits a workflow command line as the Actions runner does: `::`, the
/// command, a space and `,`-separated `key=value` properties up to the
/// next `::`, then the message.
fn parse_command(line: &str) -> (&str, Vec<(&str, &str)>, &str) {
    let rest = line
        .strip_prefix("::")
        .unwrap_or_else(|| panic!("not a command: {line}"));
    let end = rest
        .find("::")
        .unwrap_or_else(|| panic!("no end of properties: {line}"));
    let (head, message) = (&rest[..end], &rest[end + 2..]);
    let (command, properties) = head.split_once(' ').unwrap_or((head, ""));
    let properties = properties
        .split(',')
        .filter(|p| !p.is_empty())
        .map(|p| {
            p.split_once('=')
                .unwrap_or_else(|| panic!("bad property {p:?} in {line}"))
        })
        .collect();
    (command, properties, message)
}

fn unescape_property(text: &str) -> String {
    text.replace("%0D", "\r")
        .replace("%0A", "\n")
        .replace("%3A", ":")
        .replace("%2C", ",")
        .replace("%25", "%")
}

#[test]
fn crafted_text_cannot_forge_workflow_commands() {
    let dir = crafted();
    let (json_text, json_code) = check(dir.path(), "json", &[]);
    let findings = json(&json_text)["findings"].as_array().unwrap().clone();
    assert!(findings.len() >= 8, "{json_text}");
    let quoted = findings
        .iter()
        .filter(|f| f["message"].as_str().unwrap().contains("::"))
        .count();
    assert!(quoted >= 4, "the payloads reach the messages: {json_text}");

    let (text, code) = check(dir.path(), "github", &[]);
    assert_eq!(code, json_code);
    assert!(!text.contains('\r'));
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), findings.len(), "one line per finding:\n{text}");
    for (line, finding) in lines.iter().zip(&findings) {
        let (command, properties, message) = parse_command(line);
        let expected_command = match finding["severity"].as_str().unwrap() {
            "error" => "error",
            "warning" => "warning",
            _ => "notice",
        };
        assert_eq!(command, expected_command, "{line}");
        let keys: Vec<&str> = properties.iter().map(|(key, _)| *key).collect();
        assert_eq!(keys, ["file", "line", "col", "title"], "{line}");
        let property = |key: &str| {
            let (_, value) = properties.iter().find(|(k, _)| *k == key).unwrap();
            unescape_property(value)
        };
        assert_eq!(
            property("file"),
            finding["path"].as_str().unwrap(),
            "{line}"
        );
        assert_eq!(property("line"), finding["line"].to_string());
        assert!(property("title").starts_with(finding["rule"].as_str().unwrap()));
        // The message is the finding's, with line breaks escaped.
        let message = message.split("%0Ahelp: ").next().unwrap();
        let expected = finding["message"].as_str().unwrap();
        assert_eq!(
            message
                .replace("%0A", "\n")
                .replace("%0D", "\r")
                .replace("%25", "%"),
            expected,
        );
    }
}

#[test]
fn crafted_text_cannot_add_links_html_or_mentions_in_markdown() {
    let dir = crafted();
    let (json_text, json_code) = check(dir.path(), "json", &[]);
    let findings = json(&json_text)["findings"].as_array().unwrap().len();
    let (text, code) = check(dir.path(), "markdown", &[]);
    assert_eq!(code, json_code);
    assert!(!text.contains("::"), "{text}");
    assert!(!text.contains('\r'));
    // Our own links only: one per finding, each to a percent-encoded path.
    assert_eq!(text.matches("](").count(), findings, "{text}");
    for target in text.split("](").skip(1) {
        let target = &target[..target.find(')').unwrap()];
        assert!(
            target
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "/-._~%#".contains(c)),
            "{target}"
        );
    }
    // Our own HTML only.
    let html: Vec<&str> = text
        .split('<')
        .skip(1)
        .map(|tag| &tag[..tag.find('>').unwrap()])
        .collect();
    assert!(
        html.iter().all(|tag| [
            "!-- rolelint --",
            "details",
            "summary",
            "/summary",
            "/details"
        ]
        .contains(tag)),
        "{html:?}"
    );
    // No mention: every `@` is followed by a word joiner.
    assert!(
        text.match_indices('@')
            .all(|(i, _)| text[i + 1..].starts_with('\u{2060}')),
        "{text}"
    );
    // Every line is one of the comment's own shapes; catalogue text never
    // starts a line.
    let items = text.lines().filter(|line| line.starts_with("- ")).count();
    assert_eq!(items, findings, "one line per finding:\n{text}");
    for line in text.lines() {
        let known = line.is_empty()
            || line == "<!-- rolelint -->"
            || line.starts_with("## rolelint: ")
            || line.starts_with("| ")
            || line.starts_with("Evaluated on ")
            || line.starts_with("### `")
            || line.starts_with("<details><summary>Show ")
            || line == "</details>"
            || line.starts_with("- [access/")
            || line.starts_with("`rolelint rule CODE`");
        assert!(known, "unexpected line: {line}");
    }
}

#[test]
fn crafted_text_cannot_add_links_in_sarif_messages() {
    let dir = crafted();
    let (text, _) = check(dir.path(), "sarif", &[]);
    let log = json(&text);
    let mut messages = Vec::new();
    for result in log["runs"][0]["results"].as_array().unwrap() {
        messages.push(result["message"]["text"].as_str().unwrap().to_owned());
        for related in result["relatedLocations"].as_array().into_iter().flatten() {
            messages.push(related["message"]["text"].as_str().unwrap().to_owned());
        }
    }
    assert!(
        messages.iter().any(|m| m.contains(r"\[click\](https")),
        "{messages:#?}"
    );
    for message in &messages {
        // Every bracket is escaped, so no viewer reads `[text](target)` as a link.
        let unescaped = message
            .replace(r"\\", "")
            .replace(r"\[", "")
            .replace(r"\]", "");
        assert!(!unescaped.contains(['[', ']']), "{message}");
    }
    for result in log["runs"][0]["results"].as_array().unwrap() {
        let uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .unwrap();
        assert!(
            uri.chars()
                .all(|c| c.is_ascii_alphanumeric() || "/-._~%".contains(c)),
            "{uri}"
        );
    }
}

#[test]
fn markdown_folds_big_groups_and_stays_under_the_comment_limit() {
    let mut roles = String::new();
    for index in 0..3000 {
        roles.push_str(&format!(
            "---\napiVersion: rolelint/v1\nkind: Role\nid: role-{index:04}\n"
        ));
    }
    let dir = catalogue("", &[("access/roles.yaml", &roles)]);
    let (json_text, _) = check(dir.path(), "json", &[]);
    let total = json(&json_text)["findings"].as_array().unwrap().len();
    let (text, code) = check(dir.path(), "markdown", &[]);
    assert_eq!(code, 1);
    assert!(
        text.chars().count() < 65_536,
        "{} characters",
        text.chars().count()
    );
    assert!(
        text.contains("<details><summary>Show 3000 findings</summary>"),
        "{}",
        &text[..2000]
    );
    let listed = text.lines().filter(|line| line.starts_with("- ")).count();
    assert!(listed > 50 && listed < total, "{listed} of {total}");
    // Errors come first: missing owners are listed, the rest is counted.
    assert!(text.contains("### `ownership/missing-owner` · error · 3000 findings"));
    let not_listed = total - listed;
    assert!(
        text.contains(&format!("… and {not_listed} more findings, not listed")),
        "{}",
        &text[text.len() - 500..]
    );
    // Folded groups are closed before the note.
    assert_eq!(
        text.matches("<details>").count(),
        text.matches("</details>").count()
    );
}

/// A finding on no file has no `file=` (and no link in Markdown).
#[test]
fn findings_on_no_file() {
    use rolelint::diagnostic::{Diagnostic, Severity};
    use rolelint::load::{LoadOptions, load_memory};
    use rolelint::report::{Report, github, markdown, sarif};

    let options = LoadOptions {
        rule_codes: rolelint::rules::codes(),
        ..LoadOptions::default()
    };
    let catalogue = load_memory(&[], None, &options).unwrap();
    let findings = [Diagnostic::new(
        "policy/acme.naming",
        Severity::Warning,
        "a policy finding, on no object",
    )];
    let report = Report {
        findings: &findings,
        sources: &catalogue.sources,
        now: rolelint::model::Date::parse(NOW).unwrap(),
        files: 0,
        objects: 0,
        suppressed: 0,
    };
    assert_eq!(
        github::render(&report),
        "::warning title=policy/acme.naming::a policy finding, on no object\n"
    );
    let text = markdown::render(&report, None);
    assert!(
        text.contains("\n- a policy finding, on no object\n"),
        "{text}"
    );
    let log = json(&sarif::render(&report));
    let result = &log["runs"][0]["results"][0];
    assert!(
        result["locations"].is_null() && result["ruleIndex"].is_null(),
        "{result}"
    );
    assert_eq!(result["ruleId"], "policy/acme.naming");
}
