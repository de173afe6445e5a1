//! `rolelint diff BASE [HEAD]` (docs/git-and-diff.md): findings introduced
//! and resolved, and every change of effective access with its path, on
//! Git histories scripted by the tests.
//!
//! Update the snapshots after reviewing them: `INSTA_UPDATE=always cargo test --test diff`.

mod common;
mod git_repo;

use std::path::Path;

use assert_cmd::Command;
use git_repo::Repo;
use serde_json::Value;

const CONFIG: &str = "paths: [access]\n";

const APPLICATIONS: &str = r#"apiVersion: rolelint/v1
kind: Application
id: payments
owner: olivia
permissions:
  - id: refunds.read
  - id: refunds.write
  - id: payouts.approve
    privileged: true
---
apiVersion: rolelint/v1
kind: Application
id: github
owner: olivia
permissions:
  - id: repo.read
"#;

/// A chain payments-lead → payments-operator → payments-viewer, and an unrelated role.
const ROLES: &str = r#"apiVersion: rolelint/v1
kind: Role
id: payments-viewer
owner: olivia
permissions: [payments:refunds.read]
review:
  last_reviewed: 2026-10-01
---
apiVersion: rolelint/v1
kind: Role
id: payments-operator
owner: olivia
inherits: [payments-viewer]
permissions: [payments:refunds.write]
review:
  last_reviewed: 2026-10-01
---
apiVersion: rolelint/v1
kind: Role
id: payments-lead
owner: olivia
inherits: [payments-operator]
review:
  last_reviewed: 2026-10-01
---
apiVersion: rolelint/v1
kind: Role
id: developer
owner: olivia
permissions: [github:repo.read]
review:
  last_reviewed: 2026-10-01
"#;

fn identity(id: &str, grants: &str) -> String {
    format!("apiVersion: rolelint/v1\nkind: Identity\nid: {id}\nname: {id}\ngrants:\n{grants}---\n")
}

fn role_grant(role: &str) -> String {
    format!("  - role: {role}\n    granted: 2026-01-05\n    approved_by: olivia\n")
}

/// Who holds what: through each level of the chain, directly, not at all,
/// and through a revoked grant.
fn people() -> String {
    [
        identity("olivia", &role_grant("developer")),
        identity("alice", &role_grant("payments-operator")),
        identity("bob", &role_grant("payments-lead")),
        identity("carol", &role_grant("payments-viewer")),
        identity("dave", &role_grant("developer")),
        identity(
            "erin",
            "  - role: payments-viewer\n    granted: 2026-01-05\n    approved_by: olivia\n    revoked: 2026-03-01\n",
        ),
        identity(
            "frank",
            "  - permission: payments:refunds.read\n    granted: 2026-11-01\n    expires: 2026-12-01\n    justification: INC-12\n    approved_by: olivia\n",
        ),
        identity("eve@admins", &role_grant("payments-viewer")),
    ]
    .concat()
}

/// The one-line change: the parent role gains a privileged permission.
fn roles_with_privileged_parent() -> String {
    ROLES.replace(
        "permissions: [payments:refunds.read]",
        "permissions: [payments:refunds.read, payments:payouts.approve]",
    )
}

/// Base: the catalogue; HEAD: payments-viewer gains payouts.approve.
fn blast_radius_history() -> Repo {
    let mut repo = Repo::new();
    repo.write(&[
        ("rolelint.yaml", CONFIG),
        ("access/applications.yaml", APPLICATIONS),
        ("access/roles.yaml", ROLES),
        ("access/people.yaml", &people()),
    ]);
    repo.commit("catalogue");
    repo.write(&[("access/roles.yaml", &roles_with_privileged_parent())]);
    repo.commit("payments-viewer approves payouts");
    repo
}

fn rolelint() -> Command {
    let mut command = Command::cargo_bin("rolelint").unwrap();
    // The repository is found from the path, not from a surrounding hook's environment.
    command.env_remove("GIT_DIR").env_remove("GIT_WORK_TREE");
    command
}

fn diff(dir: &Path, args: &[&str], code: i32) -> String {
    let output = rolelint()
        .arg("diff")
        .args(args)
        .args(["--now", "2026-11-26"])
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("ROLELINT_POLICY_TIME_LIMIT")
        .assert()
        .code(code)
        .get_output()
        .stdout
        .clone();
    String::from_utf8(output).unwrap()
}

fn json_of(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|error| panic!("not JSON ({error}): {text}"))
}

/// `id: permission` of every gain (or loss) of a subject kind.
fn changes(report: &Value, kind: &str, direction: &str) -> Vec<String> {
    report["access"][kind]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|subject| {
            subject[direction]
                .as_array()
                .unwrap()
                .iter()
                .map(move |change| {
                    format!(
                        "{}: {}",
                        subject["id"].as_str().unwrap(),
                        change["permission"].as_str().unwrap()
                    )
                })
        })
        .collect()
}

/// `grant ROLE → role → role → entry @ path:line` of every route to a subject's change.
fn routes(report: &Value, kind: &str, id: &str, direction: &str) -> Vec<String> {
    let subject = report["access"][kind]
        .as_array()
        .unwrap()
        .iter()
        .find(|subject| subject["id"] == id)
        .unwrap_or_else(|| panic!("{id} not among the {kind}: {report}"));
    subject[direction]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|change| change["routes"].as_array().unwrap())
        .map(|route| {
            let grant = match &route["grant"] {
                Value::Null => String::new(),
                grant if grant["role"].is_string() => {
                    format!("grant role {} → ", grant["role"].as_str().unwrap())
                }
                grant => format!(
                    "grant permission {} → ",
                    grant["permission"].as_str().unwrap()
                ),
            };
            let roles: Vec<&str> = route["roles"]
                .as_array()
                .unwrap()
                .iter()
                .map(|role| role.as_str().unwrap())
                .collect();
            let chain = if roles.is_empty() {
                String::new()
            } else {
                format!("{} → ", roles.join(" → "))
            };
            format!(
                "{grant}{chain}{} @ {}:{}",
                route["listed_as"].as_str().unwrap(),
                route["listed_at"]["path"].as_str().unwrap(),
                route["listed_at"]["line"]
            )
        })
        .collect()
}

/// `rule Kind:id detail` of the introduced (or resolved) findings.
fn finding_keys(report: &Value, which: &str) -> Vec<String> {
    report["findings"][which]
        .as_array()
        .unwrap()
        .iter()
        .map(|finding| {
            format!(
                "{} {}:{} {}",
                finding["rule"].as_str().unwrap(),
                finding["object"]["kind"].as_str().unwrap_or("-"),
                finding["object"]["id"].as_str().unwrap_or("-"),
                finding["detail"].as_str().unwrap_or("-")
            )
        })
        .collect()
}

#[test]
fn a_parent_role_gaining_a_privileged_permission_shows_its_blast_radius() {
    let repo = blast_radius_history();
    let text = diff(repo.path(), &["HEAD~1", "HEAD", "--format", "json"], 1);
    let report = json_of(&text);

    assert_eq!(
        changes(&report, "identities", "gained"),
        [
            "alice: payments:payouts.approve",
            "bob: payments:payouts.approve",
            "carol: payments:payouts.approve",
            "eve@admins: payments:payouts.approve",
        ],
        "erin's grant is revoked, frank's is of another permission, dave and olivia hold other roles"
    );
    assert_eq!(changes(&report, "identities", "lost"), Vec::<String>::new());
    assert_eq!(
        changes(&report, "roles", "gained"),
        [
            "payments-lead: payments:payouts.approve",
            "payments-operator: payments:payouts.approve",
            "payments-viewer: payments:payouts.approve",
        ]
    );
    let gained = &report["access"]["identities"][0]["gained"][0];
    assert_eq!(gained["privileged"], true);
    assert_eq!(report["access"]["identities"][0]["status"], "changed");

    // Each identity through its own path, ending at the changed line.
    assert_eq!(
        routes(&report, "identities", "alice", "gained"),
        [
            "grant role payments-operator → payments-operator → payments-viewer → payments:payouts.approve @ access/roles.yaml:5"
        ]
    );
    assert_eq!(
        routes(&report, "identities", "bob", "gained"),
        [
            "grant role payments-lead → payments-lead → payments-operator → payments-viewer → payments:payouts.approve @ access/roles.yaml:5"
        ]
    );
    assert_eq!(
        routes(&report, "identities", "carol", "gained"),
        [
            "grant role payments-viewer → payments-viewer → payments:payouts.approve @ access/roles.yaml:5"
        ]
    );
    assert_eq!(
        routes(&report, "roles", "payments-lead", "gained"),
        [
            "payments-lead → payments-operator → payments-viewer → payments:payouts.approve @ access/roles.yaml:5"
        ]
    );
    let grant = &report["access"]["identities"][1]["gained"][0]["routes"][0]["grant"];
    assert_eq!(grant["at"]["path"], "access/people.yaml");

    assert_eq!(report["summary"]["identities_changed"], 4);
    assert_eq!(report["summary"]["identities_gaining_privileged"], 4);
    assert_eq!(report["base"]["revision"], "HEAD~1");
    assert_eq!(
        report["base"]["object"].as_str().unwrap(),
        repo.git(&["rev-parse", "HEAD~1"]).trim()
    );
    assert_eq!(report["head"]["work_tree"], false);
    let introduced = finding_keys(&report, "introduced");
    assert!(
        introduced.contains(
            &"privilege/undeclared-privileged-role Role:payments-lead payments:payouts.approve"
                .to_owned()
        ),
        "{introduced:?}"
    );
    assert!(
        introduced.contains(
            &"privilege/standing-privileged-access Identity:bob payments-lead".to_owned()
        ),
        "{introduced:?}"
    );
    assert_eq!(finding_keys(&report, "resolved"), Vec::<String>::new());

    // Byte-identical across runs; --fail-on applies to the introduced errors.
    assert_eq!(
        diff(repo.path(), &["HEAD~1", "HEAD", "--format", "json"], 1),
        text
    );
    diff(
        repo.path(),
        &["HEAD~1", "HEAD", "--format", "json", "--fail-on", "never"],
        0,
    );
}

/// Object ids depend on git's object format; the snapshot does not.
fn redact_objects(repo: &Repo, text: &str) -> String {
    let mut text = text.to_owned();
    for (revision, name) in [("HEAD~1", "base"), ("HEAD", "head")] {
        let id = repo.git(&["rev-parse", revision]);
        text = text.replace(&id.trim()[..8], &format!("<{name}>"));
    }
    text
}

#[test]
fn markdown_comment_of_the_blast_radius() {
    let repo = blast_radius_history();
    let markdown = diff(repo.path(), &["HEAD~1", "HEAD", "--format", "markdown"], 1);
    // Catalogue text is escaped: the `@` of an id cannot mention anyone.
    assert!(!markdown.contains("@admins"), "{markdown}");
    assert!(
        markdown.contains(&format!(
            "🔒 **{}**",
            rolelint::report::escape_markdown("payments:payouts.approve")
        )),
        "{markdown}"
    );
    insta::assert_snapshot!("blast_radius_markdown", redact_objects(&repo, &markdown));
}

#[test]
fn human_output_groups_the_blast_radius_by_permission() {
    let repo = blast_radius_history();
    let text = diff(repo.path(), &["HEAD~1", "HEAD"], 1);
    let access: Vec<&str> = text
        .lines()
        .skip_while(|line| *line != "Access changes:")
        .take_while(|line| !line.is_empty())
        .collect();
    assert_eq!(
        access,
        [
            "Access changes:",
            "  + payments:payouts.approve [privileged] gained by 3 roles, 4 identities",
            "      role payments-lead: payments-lead → payments-operator → payments-viewer → payments:payouts.approve",
            "      role payments-operator: payments-operator → payments-viewer → payments:payouts.approve",
            "      role payments-viewer: payments-viewer → payments:payouts.approve",
            "      identity alice: grant payments-operator → payments-viewer → payments:payouts.approve",
            "      identity bob: grant payments-lead → payments-operator → payments-viewer → payments:payouts.approve",
            "      identity carol: grant payments-viewer → payments:payouts.approve",
            "      identity eve@admins: grant payments-viewer → payments:payouts.approve",
        ]
    );
    let last = text.lines().last().unwrap();
    assert!(
        last.starts_with("rolelint diff: 3 roles and 4 identities changed access (4 identities gain privileged access); "),
        "{last}"
    );
}

#[test]
fn a_revision_compared_with_itself_is_empty() {
    let repo = blast_radius_history();
    // Findings in the catalogue (errors) do not count: none is introduced.
    let report = json_of(&diff(repo.path(), &["HEAD", "HEAD", "--format", "json"], 0));
    assert_eq!(report["access"]["roles"], Value::Array(vec![]));
    assert_eq!(report["access"]["identities"], Value::Array(vec![]));
    assert_eq!(report["findings"]["introduced"], Value::Array(vec![]));
    assert_eq!(report["findings"]["resolved"], Value::Array(vec![]));

    // The work tree (the default head) equal to HEAD: empty too.
    let markdown = diff(repo.path(), &["HEAD", "--format", "markdown"], 0);
    assert!(
        markdown.contains("No role or identity gains or loses any permission."),
        "{markdown}"
    );
    assert!(!markdown.contains("New findings"), "{markdown}");
    // --path: run from anywhere.
    let elsewhere = tempfile::tempdir().unwrap();
    let path = repo.path().to_str().unwrap();
    let report = json_of(&diff(
        elsewhere.path(),
        &["HEAD", "--path", path, "--format", "json"],
        0,
    ));
    assert_eq!(report["access"]["identities"], Value::Array(vec![]));
    let human = diff(repo.path(), &["main"], 0);
    assert!(
        human.ends_with("rolelint diff: no access changed; no findings introduced, 0 resolved (evaluated on 2026-11-26)\n"),
        "{human}"
    );
}

/// A self-approved grant: one `evidence/self-approval` finding (detail: the role).
fn self_approved(role: &str, who: &str) -> String {
    format!("  - role: {role}\n    granted: 2026-01-05\n    approved_by: {who}\n")
}

#[test]
fn findings_are_matched_by_rule_object_and_detail_not_by_line() {
    let mut repo = Repo::new();
    let base_people = [
        identity("olivia", &role_grant("developer")),
        identity(
            "mallory",
            &[
                self_approved("developer", "mallory"),
                self_approved("developer", "mallory"),
            ]
            .concat(),
        ),
        identity("trent", &self_approved("developer", "trent")),
    ]
    .concat();
    repo.write(&[
        ("rolelint.yaml", CONFIG),
        ("access/applications.yaml", APPLICATIONS),
        ("access/roles.yaml", ROLES),
        ("access/people.yaml", &base_people),
    ]);
    repo.commit("base");
    // The work tree: a new identity first (every line moves), mallory's
    // documents reordered with a third self-approval, trent fixed.
    let head_people = [
        identity("zoe", &role_grant("developer")),
        identity("trent", &role_grant("developer")),
        identity(
            "mallory",
            &[
                self_approved("developer", "mallory"),
                self_approved("developer", "mallory"),
                self_approved("developer", "mallory"),
            ]
            .concat(),
        ),
        identity("olivia", &role_grant("developer")),
    ]
    .concat();
    repo.write(&[("access/people.yaml", &head_people)]);

    let report = json_of(&diff(repo.path(), &["HEAD", "--format", "json"], 1));
    assert_eq!(
        finding_keys(&report, "introduced"),
        [
            "overlap/redundant-grant Identity:mallory developer",
            "evidence/self-approval Identity:mallory developer",
        ],
        "counted: mallory had two self-approvals and one redundant grant, has three and two, wherever they moved"
    );
    assert_eq!(
        finding_keys(&report, "resolved"),
        ["evidence/self-approval Identity:trent developer"]
    );
    // The resolved finding points into the base, the introduced one into the head.
    assert_eq!(report["findings"]["resolved"][0]["line"], 29);
    assert_eq!(report["head"]["work_tree"], true);
    // New identity zoe gains developer's permission.
    assert_eq!(
        changes(&report, "identities", "gained"),
        ["zoe: github:repo.read"]
    );
    assert_eq!(report["access"]["identities"][0]["status"], "added");

    // Only introduced findings count for --fail-on: the other way round,
    // trent's finding is introduced (an error) and mallory's third resolved.
    repo.commit("head");
    let reverse = json_of(&diff(
        repo.path(),
        &["HEAD", "HEAD~1", "--format", "json"],
        1,
    ));
    assert_eq!(
        finding_keys(&reverse, "introduced"),
        ["evidence/self-approval Identity:trent developer"]
    );
    diff(repo.path(), &["HEAD", "HEAD~1", "--fail-on", "never"], 0);
}

#[test]
fn losses_removed_identities_and_reordered_permissions() {
    let repo = blast_radius_history();
    // A permission declared first shifts every interned permission id: the
    // comparison is by `app:perm`, so nobody else changes.
    let applications = APPLICATIONS.replace(
        "permissions:\n  - id: refunds.read",
        "permissions:\n  - id: refunds.export\n  - id: refunds.read",
    );
    let people = people().replace(&identity("carol", &role_grant("payments-viewer")), "");
    repo.write(&[
        ("access/applications.yaml", &applications),
        ("access/people.yaml", &people),
    ]);

    let report = json_of(&diff(repo.path(), &["HEAD", "--format", "json"], 0));
    assert_eq!(changes(&report, "roles", "gained"), Vec::<String>::new());
    assert_eq!(
        changes(&report, "identities", "gained"),
        Vec::<String>::new()
    );
    assert_eq!(
        changes(&report, "identities", "lost"),
        [
            "carol: payments:payouts.approve",
            "carol: payments:refunds.read"
        ]
    );
    assert_eq!(report["access"]["identities"][0]["status"], "removed");
    // The path of a loss is the base's.
    assert_eq!(
        routes(&report, "identities", "carol", "lost"),
        [
            "grant role payments-viewer → payments-viewer → payments:payouts.approve @ access/roles.yaml:5",
            "grant role payments-viewer → payments-viewer → payments:refunds.read @ access/roles.yaml:5",
        ]
    );
    let resolved = finding_keys(&report, "resolved");
    assert_eq!(
        resolved,
        ["privilege/standing-privileged-access Identity:carol payments-viewer"],
    );
}

#[test]
fn a_base_that_does_not_exist_exits_2() {
    let repo = blast_radius_history();
    let assert = rolelint()
        .args(["diff", "no-such-base"])
        .current_dir(repo.path())
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(
        stderr.contains("revision `no-such-base` not found"),
        "{stderr}"
    );
    assert!(assert.get_output().stdout.is_empty());

    rolelint()
        .args(["diff", "HEAD", "--path"])
        .arg(repo.join("no-such-dir"))
        .assert()
        .code(2);
}

#[test]
fn a_large_change_keeps_the_markdown_comment_short() {
    let mut repo = Repo::new();
    let crowd: String = (0..300)
        .map(|n| identity(&format!("user{n:04}"), &role_grant("payments-viewer")))
        .collect();
    repo.write(&[
        ("rolelint.yaml", CONFIG),
        ("access/applications.yaml", APPLICATIONS),
        ("access/roles.yaml", ROLES),
        ("access/people.yaml", &crowd),
    ]);
    repo.commit("crowd");
    repo.write(&[("access/roles.yaml", &roles_with_privileged_parent())]);

    let markdown = diff(repo.path(), &["HEAD", "--format", "markdown"], 1);
    assert!(
        markdown.chars().count() < 65_536,
        "{} characters",
        markdown.chars().count()
    );
    assert!(
        markdown.contains("| 🔒 identities gaining privileged access | 300 |"),
        "{markdown}"
    );
    assert!(markdown.contains("- … and 293 more\n"), "{markdown}");
    assert!(
        markdown.contains("not listed to keep this comment short"),
        "{markdown}"
    );
    let report = json_of(&diff(repo.path(), &["HEAD", "--format", "json"], 1));
    assert_eq!(report["summary"]["identities_changed"], 300);
}

#[test]
fn a_baseline_hides_the_introduced_findings_it_records() {
    let mut repo = Repo::new();
    let base_people = identity("olivia", &role_grant("developer"));
    repo.write(&[
        ("rolelint.yaml", CONFIG),
        ("access/applications.yaml", APPLICATIONS),
        ("access/roles.yaml", ROLES),
        ("access/people.yaml", &base_people),
    ]);
    repo.commit("base");
    // Two self-approvals arrive; the team accepts mallory's in a baseline.
    let head_people = [
        base_people.as_str(),
        &identity("mallory", &self_approved("developer", "mallory")),
        &identity("trent", &self_approved("payments-viewer", "trent")),
    ]
    .concat();
    repo.write(&[("access/people.yaml", &head_people)]);
    let everything = json_of(&diff(repo.path(), &["HEAD", "--format", "json"], 1));
    assert_eq!(
        finding_keys(&everything, "introduced"),
        [
            "evidence/self-approval Identity:mallory developer",
            "evidence/self-approval Identity:trent payments-viewer",
        ]
    );

    // --write-baseline records every finding of HEAD; alone, nothing is introduced.
    let baseline = repo.join("baseline.json");
    let baseline_arg = baseline.to_str().unwrap();
    let output = rolelint()
        .args(["diff", "HEAD", "--format", "json", "--now", "2026-11-26"])
        .args(["--write-baseline", baseline_arg])
        .current_dir(repo.path())
        .assert()
        .code(0)
        .get_output()
        .clone();
    let written = json_of(&String::from_utf8(output.stdout).unwrap());
    assert_eq!(finding_keys(&written, "introduced"), Vec::<String>::new());
    let notes = String::from_utf8(output.stderr).unwrap();
    // Every finding of HEAD is recorded, the ones it shares with the base too.
    let head_findings = json_of(&rolelint_check_json(repo.path()));
    let recorded_count = head_findings["findings"].as_array().unwrap().len();
    assert!(recorded_count > 2, "{head_findings}");
    assert!(
        notes.contains(&format!("wrote {recorded_count} findings to the baseline")),
        "{notes}"
    );
    assert!(notes.contains("2 findings in the baseline"), "{notes}");

    // Drop trent's entry: his finding is the one reported, and fails.
    let mut recorded: Value =
        serde_json::from_str(&std::fs::read_to_string(&baseline).unwrap()).unwrap();
    let entries = recorded["findings"]
        .as_array_mut()
        .expect("a findings array");
    entries.retain(|entry| entry["object"]["id"] != "trent");
    assert_eq!(entries.len(), recorded_count - 1);
    std::fs::write(&baseline, serde_json::to_string_pretty(&recorded).unwrap()).unwrap();
    let filtered = json_of(&diff(
        repo.path(),
        &["HEAD", "--format", "json", "--baseline", baseline_arg],
        1,
    ));
    assert_eq!(
        finding_keys(&filtered, "introduced"),
        ["evidence/self-approval Identity:trent payments-viewer"]
    );
    // The access changes are untouched by a baseline.
    assert_eq!(filtered["access"], everything["access"]);
    let human = diff(repo.path(), &["HEAD", "--baseline", baseline_arg], 1);
    assert!(
        human.contains("rolelint: 1 finding in the baseline `") && human.ends_with("` not shown\n"),
        "{human}"
    );
}

fn rolelint_check_json(dir: &Path) -> String {
    let output = rolelint()
        .args(["check", "--format", "json", "--now", "2026-11-26"])
        .current_dir(dir)
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    String::from_utf8(output).unwrap()
}

/// `diff` parses a file the two sides share once: the head takes the
/// base's result (with its own file id) for every file whose bytes are the
/// base's, whether the head is a revision or the work tree, and is then
/// exactly what it is when loaded alone.
#[test]
fn the_head_reuses_the_files_of_the_base_and_is_what_it_is_alone() {
    use rolelint::load::git::{load_revision, load_revision_sharing};
    use rolelint::load::{self, Catalogue, LoadOptions, ParsedBlobs, Sharing};
    use rolelint::report::{Report, json};

    let mut repo = Repo::new();
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/example");
    for file in common::files_under(&example) {
        let relative = file.strip_prefix(&example).unwrap().to_str().unwrap();
        let target = repo.join(relative);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::copy(&file, target).unwrap();
    }
    // Schema findings of a shared file are reused too, with the new file id.
    let broken = "apiVersion: rolelint/v1\nkind: Role\nid: broken\nowner: [not, an, id]\n";
    repo.write(&[("access/roles/zz-broken.yaml", broken)]);
    repo.commit("base");
    // The head: a file added in front (every later file id moves) and one changed.
    let teams = std::fs::read_to_string(repo.join("access/teams.yaml")).unwrap();
    repo.write(&[
        (
            "access/aaa-team.yaml",
            "apiVersion: rolelint/v1\nkind: Team\nid: new-team\nowner: nobody-yet\n",
        ),
        ("access/teams.yaml", &format!("{teams}\n# reviewed\n")),
    ]);
    repo.commit("head");
    // The work tree: one more file changed, not committed.
    let risk = std::fs::read_to_string(repo.join("access/identities/risk.yaml")).unwrap();
    repo.write(&[(
        "access/identities/risk.yaml",
        &risk.replace("name:", "name:  "),
    )]);

    let options = LoadOptions {
        start: repo.path().to_path_buf(),
        rule_codes: rolelint::rules::codes(),
        ..LoadOptions::default()
    };
    let report = |catalogue: &Catalogue| {
        let now = rolelint::model::Date::parse("2026-11-26").unwrap();
        let outcome = rolelint::analyse(catalogue, now);
        json::render(&Report::of(catalogue, &outcome, now))
    };
    for (head, changed) in [(Some("HEAD"), 2), (None, 3)] {
        let mut parsed = ParsedBlobs::default();
        let base = load_revision_sharing(&options, "HEAD~1", Sharing::Lend(&mut parsed)).unwrap();
        let shared = match head {
            Some(revision) => {
                load_revision_sharing(&options, revision, Sharing::Borrow(&parsed))
                    .unwrap()
                    .catalogue
            }
            None => load::load_sharing(&options, Sharing::Borrow(&parsed)).unwrap(),
        };
        let alone = match head {
            Some(revision) => load_revision(&options, revision).unwrap().catalogue,
            None => load::load(&options).unwrap(),
        };
        assert_eq!(alone.sources.len(), base.catalogue.sources.len() + 1);
        assert_eq!(parsed.reused(), alone.sources.len() - changed, "{head:?}");
        assert!(
            alone
                .findings
                .iter()
                .any(|finding| finding.rule == "schema/invalid-document")
        );
        assert_eq!(report(&shared), report(&alone), "{head:?}");
    }
}
