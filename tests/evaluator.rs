//! `rolelint explain` and `rolelint who-can` (docs/evaluator.md): the CLI on
//! the example catalogue at 2026-11-26, and the library answers on small
//! catalogues built for one point each.

use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;

use rolelint::evaluate::{self, GrantStatus};
use rolelint::graph::Graph;
use rolelint::load::{LoadOptions, load_memory};
use rolelint::model::Date;

const NOW: &str = "2026-11-26";

fn example() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/example"))
}

/// `rolelint <args> --path fixtures/example --now 2026-11-26`.
fn run(args: &[&str]) -> assert_cmd::assert::Assert {
    Command::cargo_bin("rolelint")
        .unwrap()
        .args(args)
        .arg("--path")
        .arg(example())
        .args(["--now", NOW])
        .env("NO_COLOR", "1")
        .assert()
}

/// Stdout of a run that must exit 0 (and print nothing on stderr).
fn stdout_of(args: &[&str]) -> String {
    let output = run(args).code(0).get_output().clone();
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "",
        "stderr of {args:?}"
    );
    String::from_utf8(output.stdout).unwrap()
}

fn json_of(args: &[&str]) -> Value {
    let mut args = args.to_vec();
    args.extend(["--format", "json"]);
    let text = stdout_of(&args);
    serde_json::from_str(&text).unwrap_or_else(|error| panic!("not JSON ({error}): {text}"))
}

/// Stderr of a run that must exit 2.
fn error_of(args: &[&str]) -> String {
    let output = run(args).code(2).get_output().clone();
    assert!(output.stdout.is_empty(), "stdout of {args:?}");
    String::from_utf8(output.stderr).unwrap()
}

/// Every permission entry of an explanation or a holder, flattened.
fn permissions(answer: &Value) -> Vec<&Value> {
    match answer.get("applications") {
        Some(applications) => applications
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|application| application["permissions"].as_array().unwrap())
            .collect(),
        None => answer["permissions"].as_array().unwrap().iter().collect(),
    }
}

fn permission<'a>(answer: &'a Value, name: &str) -> &'a Value {
    permissions(answer)
        .into_iter()
        .find(|permission| permission["permission"] == name)
        .unwrap_or_else(|| panic!("no {name} in {answer:#}"))
}

/// `grant#: role → role` of each path.
fn chains(permission: &Value) -> Vec<String> {
    permission["paths"]
        .as_array()
        .unwrap()
        .iter()
        .map(|path| {
            let roles: Vec<&str> = path["roles"]
                .as_array()
                .unwrap()
                .iter()
                .map(|role| role.as_str().unwrap())
                .collect();
            format!("{}: {}", path["grant"], roles.join(" → "))
        })
        .collect()
}

fn grant(answer: &Value, number: u64) -> &Value {
    answer["grants"]
        .as_array()
        .unwrap()
        .iter()
        .find(|grant| grant["number"] == number)
        .unwrap_or_else(|| panic!("no grant #{number} in {answer:#}"))
}

fn ids(values: &Value, key: &str) -> Vec<String> {
    values
        .as_array()
        .unwrap()
        .iter()
        .map(|value| {
            let value = &value[key];
            value
                .as_str()
                .map(str::to_owned)
                .unwrap_or_else(|| value["id"].as_str().unwrap().to_owned())
        })
        .collect()
}

// ---- explain IDENTITY ----------------------------------------------------

#[test]
fn explain_permission_shows_three_levels_of_inheritance_and_a_second_grant() {
    let text = stdout_of(&["explain", "ravi.shah", "stripe:charges.read"]);
    assert!(text.contains(
        "#4 payments-admin → payments-operator → payments-viewer → stripe:charges.read  [temporary until 2026-12-10]"
    ));
    assert!(text.contains("#3 payments-oncall → stripe:charges.read\n"));
    insta::assert_snapshot!("explain_ravi_charges_read", text);

    let json = json_of(&["explain", "ravi.shah", "stripe:charges.read"]);
    assert_eq!(json["version"], 1);
    assert_eq!(json["now"], NOW);
    assert_eq!(json["identity"]["id"], "ravi.shah");
    assert_eq!(json["query"], "stripe:charges.read");
    assert_eq!(json["counts"]["held"], 1);
    let charges = permission(&json, "stripe:charges.read");
    assert_eq!(charges["held"], true);
    assert_eq!(charges["privileged"], false);
    assert_eq!(
        chains(charges),
        vec![
            "3: payments-oncall",
            "4: payments-admin → payments-operator → payments-viewer",
        ]
    );
    assert!(
        charges["paths"]
            .as_array()
            .unwrap()
            .iter()
            .all(|path| path["active"] == true && path["entry"] == "stripe:charges.read")
    );
    // The viewer lists it at access/roles/payments.yaml:10.
    assert_eq!(
        charges["paths"][1]["listed_at"]["path"],
        "access/roles/payments.yaml"
    );
    assert_eq!(charges["paths"][1]["listed_at"]["line"], 10);

    // Only the grants on a path, with their evidence.
    assert_eq!(json["grants"].as_array().unwrap().len(), 2);
    let admin = grant(&json, 4);
    assert_eq!(admin["role"], "payments-admin");
    assert_eq!(admin["status"], "active");
    assert_eq!(admin["temporary"], true);
    assert_eq!(admin["granted"], "2026-11-10");
    assert_eq!(admin["expires"], "2026-12-10");
    assert_eq!(admin["approved_by"], "marta.kowalski");
    assert_eq!(admin["ticket"], "ACCESS-2071");
    assert_eq!(
        admin["location"]["path"],
        "access/identities/engineering.yaml"
    );
    assert_eq!(admin["location"]["line"], 22);
    let oncall = grant(&json, 3);
    assert_eq!(oncall["role"], "payments-oncall");
    assert_eq!(oncall["temporary"], false);
    assert_eq!(oncall["location"]["line"], 18);
    assert!(json.get("nearest_roles").is_none());
}

#[test]
fn explain_identity_lists_every_permission_by_application() {
    let text = stdout_of(&["explain", "ravi.shah"]);
    assert!(text.starts_with(
        "ravi.shah (Ravi Shah), human, active: 17 permissions in 4 applications, 2 privileged (on 2026-11-26)\n"
    ));
    assert!(text.contains("  stripe:account.manage  [privileged]\n"));
    insta::assert_snapshot!("explain_ravi", text);

    let json = json_of(&["explain", "ravi.shah"]);
    assert_eq!(json["counts"]["held"], 17);
    assert_eq!(json["counts"]["privileged"], 2);
    assert_eq!(json["counts"]["expired_only"], 0);
    assert_eq!(
        ids(&json["applications"], "application"),
        vec!["aws-prod", "github", "okta", "stripe"]
    );
    // Every grant is listed, numbered as written.
    assert_eq!(
        ids(&json["grants"], "role"),
        vec![
            "employee-base",
            "platform-engineer",
            "payments-oncall",
            "payments-admin"
        ]
    );
    // refunds.read has the same two paths as charges.read.
    assert_eq!(
        chains(permission(&json, "stripe:refunds.read")),
        vec![
            "3: payments-oncall",
            "4: payments-admin → payments-operator → payments-viewer",
        ]
    );
    let privileged: Vec<&str> = permissions(&json)
        .into_iter()
        .filter(|permission| permission["privileged"] == true)
        .map(|permission| permission["permission"].as_str().unwrap())
        .collect();
    assert_eq!(
        privileged,
        vec!["stripe:account.manage", "stripe:api-keys.manage"]
    );
}

#[test]
fn explain_missing_permission_suggests_the_nearest_roles() {
    let text = stdout_of(&["explain", "ravi.shah", "stripe:payouts.approve"]);
    assert!(text.contains("does not have stripe:payouts.approve"));
    insta::assert_snapshot!("explain_ravi_payouts_approve", text);

    let json = json_of(&["explain", "ravi.shah", "stripe:payouts.approve"]);
    assert_eq!(json["counts"]["held"], 0);
    assert_eq!(json["applications"], Value::Array(vec![]));
    let nearest = json["nearest_roles"].as_array().unwrap();
    // treasury-approver adds only payouts.approve (ravi already reads the balance).
    assert_eq!(nearest[0]["role"], "treasury-approver");
    assert_eq!(nearest[0]["adds"], 1);
    assert_eq!(nearest[0]["permissions"], 2);
    assert_eq!(nearest[0]["privileged"], true);
    assert_eq!(nearest[1]["role"], "finance-ops-lead");
    assert_eq!(
        nearest[1]["path"],
        serde_json::json!(["finance-ops-lead", "treasury-approver"])
    );
    assert_eq!(nearest.len(), 2);
}

#[test]
fn explain_shows_unrevoked_expired_grants_marked_and_not_counted() {
    let json = json_of(&["explain", "jonas.weber"]);
    assert_eq!(json["counts"]["held"], 10);
    assert_eq!(json["counts"]["expired_only"], 3);
    let admin = grant(&json, 4);
    assert_eq!(admin["status"], "expired");
    assert_eq!(admin["expires"], "2026-10-31");
    let iam = permission(&json, "aws-prod:iam.admin");
    assert_eq!(iam["held"], false);
    assert_eq!(iam["privileged"], true);
    assert_eq!(iam["paths"][0]["active"], false);
    assert_eq!(iam["paths"][0]["entry"], "aws-prod:*");
    // Held through active grants too: the expired path is shown beside them.
    let console = permission(&json, "aws-prod:console.read");
    assert_eq!(console["held"], true);
    assert_eq!(
        chains(console),
        vec![
            "2: platform-engineer → aws-readonly",
            "3: platform-oncall",
            "4: platform-admin"
        ]
    );
    assert_eq!(console["paths"][2]["active"], false);

    let text = stdout_of(&["explain", "jonas.weber", "aws-prod:iam.admin"]);
    assert!(text.contains(
        "does not have aws-prod:iam.admin (only through an unrevoked expired grant, not counted)"
    ));
    assert!(text.contains(
        "#4 platform-admin → aws-prod:iam.admin (via aws-prod:*)  [EXPIRED 2026-10-31, never revoked: not counted]"
    ));
    insta::assert_snapshot!("explain_jonas_iam_admin", text);
}

#[test]
fn explain_lists_revoked_grants_without_paths() {
    let json = json_of(&["explain", "lena.fischer"]);
    assert_eq!(json["identity"]["status"], "terminated");
    assert_eq!(json["counts"]["held"], 0);
    let statuses: Vec<&Value> = json["grants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|grant| &grant["status"])
        .collect();
    assert_eq!(statuses, vec!["revoked", "revoked"]);
    assert_eq!(json["applications"], Value::Array(vec![]));
}

#[test]
fn explain_marks_a_grant_of_an_unknown_role() {
    let json = json_of(&["explain", "elif.demir"]);
    let typo = grant(&json, 4);
    assert_eq!(typo["role"], "payments-operater");
    assert_eq!(typo["resolved"], false);
    let text = stdout_of(&["explain", "elif.demir"]);
    assert!(text.contains("#4 role payments-operater: unknown role: grants nothing,"));
}

#[test]
fn explain_an_application_wildcard() {
    let json = json_of(&["explain", "ravi.shah", "aws-prod:*"]);
    assert_eq!(json["counts"]["held"], 5);
    assert_eq!(ids(&json["applications"], "application"), vec!["aws-prod"]);
    let text = stdout_of(&["explain", "ravi.shah", "zendesk:*"]);
    assert_eq!(
        text,
        "ravi.shah (Ravi Shah), human, active: has no permission of zendesk:* (on 2026-11-26)\n"
    );
}

// ---- explain --role ------------------------------------------------------

#[test]
fn explain_role_shows_inheritance_paths_and_holders() {
    let text = stdout_of(&["explain", "--role", "payments-admin"]);
    assert!(text.contains("held by 1 identity (1 granted it, 0 through a role that inherits it)"));
    assert!(
        text.contains(
            "payments-admin → payments-operator → payments-viewer → stripe:charges.read\n"
        )
    );
    insta::assert_snapshot!("explain_role_payments_admin", text);

    let json = json_of(&["explain", "--role", "payments-admin"]);
    assert_eq!(json["role"]["id"], "payments-admin");
    assert_eq!(json["role"]["declared_privileged"], true);
    assert_eq!(json["role"]["effectively_privileged"], true);
    assert_eq!(json["role"]["requires_mfa"], true);
    assert_eq!(
        json["role"]["inherits"],
        serde_json::json!(["payments-operator", "payments-viewer"])
    );
    assert_eq!(
        json["holders"],
        serde_json::json!({"total": 1, "direct": 1})
    );
    assert_eq!(json["counts"]["held"], 8);
    let charges = permission(&json, "stripe:charges.read");
    assert!(charges["paths"][0].get("grant").is_none());
    assert_eq!(
        charges["paths"][0]["roles"],
        serde_json::json!(["payments-admin", "payments-operator", "payments-viewer"])
    );
}

#[test]
fn explain_role_counts_holders_through_inheriting_roles() {
    // elif.demir, olivia.hart and svc-zendesk-sync are granted payments-viewer;
    // priya.nair holds the operator and ravi.shah the admin, which inherit it.
    let json = json_of(&["explain", "--role", "payments-viewer"]);
    assert_eq!(
        json["holders"],
        serde_json::json!({"total": 5, "direct": 3})
    );
}

#[test]
fn explain_role_on_a_cycle() {
    let json = json_of(&["explain", "--role", "data-analyst"]);
    assert_eq!(json["role"]["on_cycle"], true);
    assert_eq!(
        json["role"]["inherits"],
        serde_json::json!(["data-engineer"])
    );
    assert_eq!(
        chains(permission(&json, "snowflake:warehouse.write")),
        vec!["null: data-analyst → data-engineer"]
    );
}

#[test]
fn explain_role_without_the_permission_suggests_roles() {
    let json = json_of(&[
        "explain",
        "--role",
        "payments-viewer",
        "stripe:payouts.create",
    ]);
    assert_eq!(json["counts"]["held"], 0);
    let nearest = json["nearest_roles"].as_array().unwrap();
    assert_eq!(nearest[0]["role"], "payments-operator");
    assert_eq!(nearest[0]["adds"], 3);
    let text = stdout_of(&[
        "explain",
        "--role",
        "payments-viewer",
        "stripe:payouts.create",
    ]);
    assert!(text.contains("does not grant stripe:payouts.create\n"));
    assert!(text.contains("roles that would grant it, fewest new permissions for payments-viewer first\n  payments-operator"));
}

// ---- who-can -------------------------------------------------------------

#[test]
fn who_can_lists_holders_paths_and_the_roles_that_reach_it() {
    let text = stdout_of(&["who-can", "stripe:payouts.approve"]);
    assert!(text.starts_with(
        "stripe:payouts.approve (privileged): 2 identities hold it (on 2026-11-26)\n"
    ));
    insta::assert_snapshot!("who_can_payouts_approve", text);

    let json = json_of(&["who-can", "stripe:payouts.approve"]);
    assert_eq!(json["query"], "stripe:payouts.approve");
    assert_eq!(json["privileged"], true);
    assert_eq!(json["include_expired"], false);
    let holders = json["holders"].as_array().unwrap();
    assert_eq!(
        ids(&json["holders"], "identity"),
        vec!["marta.kowalski", "priya.nair"]
    );
    for holder in holders {
        assert_eq!(holder["held"], true);
        let approve = permission(holder, "stripe:payouts.approve");
        assert_eq!(
            approve["paths"][0]["roles"],
            serde_json::json!(["treasury-approver"])
        );
    }
    assert_eq!(holders[0]["since"], "2026-04-01");
    assert_eq!(holders[1]["since"], "2026-09-01");
    assert_eq!(grant(&holders[1], 4)["ticket"], "ACCESS-1941");
    // finance-ops-lead reaches it too, but nobody holds it.
    assert_eq!(
        json["roles"],
        serde_json::json!([
            {"role": "finance-ops-lead", "privileged": true, "holders": 0},
            {"role": "treasury-approver", "privileged": true, "holders": 2},
        ])
    );
}

#[test]
fn who_can_follows_inheritance_through_a_cycle() {
    let json = json_of(&["who-can", "snowflake:warehouse.write"]);
    assert_eq!(ids(&json["holders"], "identity"), vec!["svc-ledger-recon"]);
    let holder = &json["holders"][0];
    assert_eq!(
        chains(permission(holder, "snowflake:warehouse.write")),
        vec!["1: data-analyst → data-engineer"]
    );
    assert_eq!(holder["identity"]["type"], "service");
}

#[test]
fn who_can_shows_expired_grants_only_when_asked() {
    let json = json_of(&["who-can", "aws-prod:iam.admin"]);
    assert_eq!(ids(&json["holders"], "identity"), vec!["svc-terraform"]);

    let json = json_of(&["who-can", "aws-prod:iam.admin", "--include-expired"]);
    assert_eq!(json["include_expired"], true);
    assert_eq!(
        ids(&json["holders"], "identity"),
        vec!["jonas.weber", "svc-terraform"]
    );
    let jonas = &json["holders"][0];
    assert_eq!(jonas["held"], false);
    assert!(jonas.get("since").is_none());
    assert_eq!(grant(jonas, 4)["status"], "expired");
    assert_eq!(
        permission(jonas, "aws-prod:iam.admin")["paths"][0]["active"],
        false
    );

    let text = stdout_of(&["who-can", "aws-prod:iam.admin", "--include-expired"]);
    assert!(text.contains(
        "jonas.weber (Jonas Weber), human, active  [not held: only through an expired grant]\n"
    ));
    insta::assert_snapshot!("who_can_iam_admin_include_expired", text);
}

#[test]
fn who_can_an_application_wildcard() {
    let json = json_of(&["who-can", "stripe:*"]);
    let holders = ids(&json["holders"], "identity");
    assert!(holders.contains(&"ravi.shah".to_owned()));
    assert!(holders.contains(&"olivia.hart".to_owned()));
    // Terminated but never revoked: still holds it (lifecycle/terminated-identity-access).
    assert!(holders.contains(&"hannah.schmidt".to_owned()));
    // Every grant revoked.
    assert!(!holders.contains(&"lena.fischer".to_owned()));
    let mut sorted = holders.clone();
    sorted.sort();
    assert_eq!(holders, sorted);
    for holder in json["holders"].as_array().unwrap() {
        for permission in permissions(holder) {
            assert!(
                permission["permission"]
                    .as_str()
                    .unwrap()
                    .starts_with("stripe:")
            );
        }
    }
    let ravi = json["holders"]
        .as_array()
        .unwrap()
        .iter()
        .find(|holder| holder["identity"]["id"] == "ravi.shah")
        .unwrap();
    assert_eq!(permissions(ravi).len(), 8);
    assert_eq!(ravi["since"], "2024-03-04");
    let text = stdout_of(&["who-can", "stripe:*"]);
    assert!(text.starts_with("stripe:* (some privileged): "));
    assert!(text.contains(
        "  #4 payments-admin → stripe:account.manage  [privileged]  [temporary until 2026-12-10]\n"
    ));
}

#[test]
fn json_is_byte_identical_across_runs() {
    let first = stdout_of(&["who-can", "stripe:*", "--format", "json"]);
    let second = stdout_of(&["who-can", "stripe:*", "--format", "json"]);
    assert_eq!(first, second);
    let first = stdout_of(&["explain", "ravi.shah", "--format", "json"]);
    let second = stdout_of(&["explain", "ravi.shah", "--format", "json"]);
    assert_eq!(first, second);
}

#[test]
fn path_defaults_to_the_current_directory() {
    let output = Command::cargo_bin("rolelint")
        .unwrap()
        .current_dir(example().join("access/identities"))
        .args(["who-can", "snowflake:warehouse.write", "--now", NOW])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(output).unwrap();
    assert!(text.contains("svc-ledger-recon (Ledger reconciliation job), service, active"));
}

// ---- errors: exit 2 ------------------------------------------------------

#[test]
fn unknown_identity_role_or_permission_is_exit_2_with_a_suggestion() {
    assert_eq!(
        error_of(&["explain", "ravi.sha"]),
        "rolelint: error: no identity `ravi.sha` in the catalogue; did you mean `ravi.shah`?\n"
    );
    assert_eq!(
        error_of(&["explain", "payments-admin"]),
        "rolelint: error: no identity `payments-admin` in the catalogue; `payments-admin` is a role: `rolelint explain --role payments-admin`\n"
    );
    assert_eq!(
        error_of(&["explain", "--role", "payments-admn"]),
        "rolelint: error: no role `payments-admn` in the catalogue; did you mean `payments-admin`?\n"
    );
    assert_eq!(
        error_of(&["explain", "--role", "ravi.shah"]),
        "rolelint: error: no role `ravi.shah` in the catalogue; `ravi.shah` is an identity: `rolelint explain ravi.shah`\n"
    );
    assert_eq!(
        error_of(&["explain", "ravi.shah", "stripe:charges.reed"]),
        "rolelint: error: no permission `stripe:charges.reed`: application `stripe` does not declare it; did you mean `stripe:charges.read`?\n"
    );
    assert_eq!(
        error_of(&["who-can", "strpe:charges.read"]),
        "rolelint: error: no application `strpe` in the catalogue; did you mean `stripe:charges.read`?\n"
    );
    assert_eq!(
        error_of(&["who-can", "strpe:*"]),
        "rolelint: error: no application `strpe` in the catalogue; did you mean `stripe:*`?\n"
    );
    assert_eq!(
        error_of(&["who-can", "stripe"]),
        "rolelint: error: `stripe` is not a permission reference: write `application:permission` or `application:*`\n"
    );
}

#[test]
fn a_missing_path_or_a_bad_date_is_exit_2() {
    let output = Command::cargo_bin("rolelint")
        .unwrap()
        .args([
            "who-can",
            "stripe:charges.read",
            "--path",
            "/nonexistent/rolelint",
        ])
        .assert()
        .code(2)
        .get_output()
        .stderr
        .clone();
    assert!(
        String::from_utf8(output)
            .unwrap()
            .contains("path `/nonexistent/rolelint` does not exist")
    );
    let output = Command::cargo_bin("rolelint")
        .unwrap()
        .args(["explain", "ravi.shah", "--now", "2026-13-01", "--path"])
        .arg(example())
        .assert()
        .code(2)
        .get_output()
        .stderr
        .clone();
    assert!(String::from_utf8(output).unwrap().contains("invalid --now"));
}

// ---- small catalogues ----------------------------------------------------

/// Writes `files` under a fresh catalogue root.
fn catalogue(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("rolelint.yaml"), "# test catalogue\n").unwrap();
    for (path, text) in files {
        std::fs::write(dir.path().join(path), text).unwrap();
    }
    dir
}

const HOSTILE: &str = "apiVersion: rolelint/v1
kind: Application
id: app
permissions:
  - id: read
---
apiVersion: rolelint/v1
kind: Identity
id: mallory
name: \"Mallory\\e[2J\\nroles that reach it\"
grants:
  - permission: app:read
    ticket: \"T-1\\r\\e]8;;http://evil\\a\"
    justification: \"line one\\nline two \\u202e\"
";

#[test]
fn catalogue_text_is_escaped_for_the_terminal_and_kept_in_json() {
    let dir = catalogue(&[("all.yaml", HOSTILE)]);
    let run = |format: &str| {
        Command::cargo_bin("rolelint")
            .unwrap()
            .args([
                "explain", "mallory", "--now", NOW, "--format", format, "--path",
            ])
            .arg(dir.path())
            .assert()
            .code(0)
            .get_output()
            .stdout
            .clone()
    };
    let text = String::from_utf8(run("human")).unwrap();
    assert!(!text.contains('\u{1b}'), "{text}");
    assert!(!text.contains('\r'), "{text}");
    assert!(!text.contains('\u{7}'), "{text}");
    assert!(!text.contains('\u{202e}'), "{text}");
    // A name or justification cannot start a line of its own.
    assert!(
        !text
            .lines()
            .any(|line| line.starts_with("roles that reach it"))
    );
    assert!(!text.lines().any(|line| line.starts_with("line two")));
    assert!(text.starts_with("mallory (Mallory␛[2J roles that reach it), human, active"));

    let json: Value = serde_json::from_slice(&run("json")).unwrap();
    assert_eq!(
        json["identity"]["name"],
        "Mallory\u{1b}[2J\nroles that reach it"
    );
    assert_eq!(
        json["grants"][0]["ticket"],
        "T-1\r\u{1b}]8;;http://evil\u{7}"
    );
    let direct = &permission(&json, "app:read")["paths"][0];
    assert_eq!(direct["roles"], serde_json::json!([]));
    assert_eq!(direct["entry"], "app:read");
}

#[test]
fn an_identity_left_out_for_schema_problems_says_so() {
    let broken = "apiVersion: rolelint/v1\nkind: Identity\nid: bob\ntype: robot\n";
    let dir = catalogue(&[("all.yaml", HOSTILE), ("bob.yaml", broken)]);
    let output = Command::cargo_bin("rolelint")
        .unwrap()
        .args(["explain", "bob", "--now", NOW, "--path"])
        .arg(dir.path())
        .assert()
        .code(2)
        .get_output()
        .stderr
        .clone();
    let stderr = String::from_utf8(output).unwrap();
    assert!(
        stderr.contains("schema problem(s) in catalogue files"),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "Identity `bob` is left out of the analysis: its document has schema problems"
        ),
        "{stderr}"
    );
}

const DIAMOND: &str = "apiVersion: rolelint/v1
kind: Application
id: app
permissions:
  - id: read
  - id: write
  - id: admin
    privileged: true
---
apiVersion: rolelint/v1
kind: Role
id: reader
permissions: [app:read]
---
apiVersion: rolelint/v1
kind: Role
id: writer
inherits: [reader]
permissions: [app:write]
---
apiVersion: rolelint/v1
kind: Role
id: everything
inherits: [writer, reader]
permissions: [\"app:*\"]
---
apiVersion: rolelint/v1
kind: Identity
id: ann
grants:
  - role: everything
    granted: 2025-01-01
  - permission: \"app:*\"
    granted: 2024-06-01
  - role: reader
    granted: 2020-01-01
    revoked: 2021-01-01
---
apiVersion: rolelint/v1
kind: Identity
id: ben
grants:
  - role: reader
  - role: writer
    granted: 2026-01-01
    expires: 2026-02-01
";

fn with_diamond<T>(check: impl FnOnce(&Graph) -> T) -> T {
    let catalogue = load_memory(&[("all.yaml", DIAMOND)], None, &LoadOptions::default()).unwrap();
    assert!(catalogue.findings.is_empty(), "{:?}", catalogue.findings);
    let graph = Graph::build(&catalogue, Date::parse(NOW).unwrap());
    check(&graph)
}

#[test]
fn every_path_of_a_diamond_and_a_direct_wildcard_grant() {
    with_diamond(|graph| {
        let ann = evaluate::find_identity(graph, "ann").unwrap();
        let read = evaluate::resolve_permission(graph, "app:read").unwrap();
        let answer = evaluate::explain_identity(graph, ann, Some(("app:read", read)));
        let paths: Vec<(Option<usize>, Vec<String>, String)> = answer.applications[0].permissions
            [0]
        .paths
        .iter()
        .map(|path| (path.grant, path.roles.clone(), path.entry.clone()))
        .collect();
        let roles = |ids: &[&str]| ids.iter().map(|id| id.to_string()).collect::<Vec<_>>();
        // The revoked grant #3 contributes no path.
        assert_eq!(
            paths,
            vec![
                (Some(1), roles(&["everything"]), "app:*".to_owned()),
                (
                    Some(1),
                    roles(&["everything", "reader"]),
                    "app:read".to_owned()
                ),
                (
                    Some(1),
                    roles(&["everything", "writer", "reader"]),
                    "app:read".to_owned()
                ),
                (Some(2), roles(&[]), "app:*".to_owned()),
            ]
        );
        assert_eq!(
            answer.grants.iter().map(|g| g.number).collect::<Vec<_>>(),
            vec![1, 2]
        );
    });
}

#[test]
fn who_can_since_is_the_earliest_written_grant_date() {
    with_diamond(|graph| {
        let range = evaluate::resolve_permission(graph, "app:read").unwrap();
        let answer = evaluate::who_can(graph, "app:read", range.clone(), false);
        assert_eq!(answer.holders.len(), 2);
        assert_eq!(answer.holders[0].identity.id, "ann");
        assert_eq!(answer.holders[0].since, Date::parse("2024-06-01").ok());
        // ben's active grant has no `granted` date.
        assert_eq!(answer.holders[1].identity.id, "ben");
        assert_eq!(answer.holders[1].since, None);
        assert_eq!(answer.holders[1].grants.len(), 1);

        let with_expired = evaluate::who_can(graph, "app:read", range, true);
        let ben = &with_expired.holders[1];
        assert_eq!(ben.grants.len(), 2);
        assert_eq!(ben.grants[1].status, GrantStatus::Expired);
        assert!(ben.held);
        // The holder counts: ann holds everything (and what it inherits), ben reader.
        let holders: Vec<(String, usize)> = with_expired
            .roles
            .iter()
            .map(|role| (role.role.clone(), role.holders))
            .collect();
        assert_eq!(
            holders,
            vec![
                ("everything".to_owned(), 1),
                ("reader".to_owned(), 2),
                ("writer".to_owned(), 1),
            ]
        );
    });
}

#[test]
fn nearest_roles_prefer_the_fewest_new_permissions() {
    with_diamond(|graph| {
        let ben = evaluate::find_identity(graph, "ben").unwrap();
        let admin = evaluate::resolve_permission(graph, "app:admin").unwrap();
        let answer = evaluate::explain_identity(graph, ben, Some(("app:admin", admin.clone())));
        assert!(answer.applications.is_empty());
        let nearest: Vec<(&str, usize)> = answer
            .nearest_roles
            .iter()
            .map(|role| (role.role.as_str(), role.adds))
            .collect();
        assert_eq!(nearest, vec![("everything", 2)]);

        let writer = evaluate::find_role(graph, "writer").unwrap();
        let write = evaluate::resolve_permission(graph, "app:write").unwrap();
        let read = evaluate::resolve_permission(graph, "app:read").unwrap();
        // reader lacks write: writer adds one permission, everything two.
        let reader = evaluate::find_role(graph, "reader").unwrap();
        let answer = evaluate::explain_role(graph, reader, Some(("app:write", write)));
        let nearest: Vec<(&str, usize)> = answer
            .nearest_roles
            .iter()
            .map(|role| (role.role.as_str(), role.adds))
            .collect();
        assert_eq!(nearest, vec![("writer", 1), ("everything", 2)]);
        let answer = evaluate::explain_role(graph, writer, Some(("app:read", read)));
        assert!(answer.nearest_roles.is_empty());
        // ann holds writer through everything; ben's writer grant has expired.
        assert_eq!(answer.holders.total, 1);
        assert_eq!(answer.holders.direct, 0);
    });
}
