//! `rolelint graph` and `rolelint stats` on the example catalogue
//! (`fixtures/example`, at 2026-11-26) and on small hostile catalogues:
//! arguments, output and exit codes.

mod common;

use std::path::PathBuf;
use std::process::{Command as Process, Stdio};

use assert_cmd::Command;
use serde_json::{Value, json};

const NOW: &str = "2026-11-26";

fn rolelint() -> Command {
    Command::cargo_bin("rolelint").unwrap()
}

fn example() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/example")
}

/// Runs `rolelint <command> fixtures/example --now 2026-11-26 <extra>`,
/// asserts exit code 0 and an empty stderr, and returns stdout.
fn run_example(command: &str, extra: &[&str]) -> String {
    let output = rolelint()
        .arg(command)
        .arg(example())
        .args(["--now", NOW])
        .args(extra)
        .assert()
        .code(0)
        .stderr("")
        .get_output()
        .stdout
        .clone();
    String::from_utf8(output).unwrap()
}

/// Writes `files` under a fresh directory that is its own catalogue root.
fn catalogue(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("rolelint.yaml"), "# test catalogue\n").unwrap();
    for (path, text) in files {
        std::fs::write(dir.path().join(path), text).unwrap();
    }
    dir
}

/// Graphviz's `dot`, or `None` when it is missing and the environment allows
/// skipping (`ROLELINT_SKIP_GRAPHVIZ=1`); `scripts/test` installs it.
fn graphviz() -> Option<&'static str> {
    let found = Process::new("dot")
        .arg("-V")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success());
    if found {
        return Some("dot");
    }
    if std::env::var("ROLELINT_SKIP_GRAPHVIZ").as_deref() == Ok("1") {
        eprintln!("Graphviz `dot` is not on PATH; skipped because ROLELINT_SKIP_GRAPHVIZ=1");
        return None;
    }
    panic!(
        "Graphviz `dot` is not on PATH, so the DOT output cannot be proved valid. \
         Install Graphviz (`apt-get install graphviz`; `scripts/test` does it), \
         or set ROLELINT_SKIP_GRAPHVIZ=1 to skip this check"
    );
}

/// Renders DOT source with Graphviz in `format` (`svg`, `plain`); panics
/// with Graphviz's complaint when the source is not valid.
fn render(dot: &str, source: &str, format: &str) -> String {
    let output = common::run_graphviz(dot, format, source);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "Graphviz rejected the DOT output: {stderr}\n{source}"
    );
    assert!(
        stderr.trim().is_empty(),
        "Graphviz warned about the DOT output: {stderr}"
    );
    String::from_utf8(output.stdout).unwrap()
}

/// The node names of `dot -Tplain` output.
fn plain_nodes(plain: &str) -> Vec<String> {
    plain
        .lines()
        .filter_map(|line| line.strip_prefix("node "))
        .map(|rest| {
            // The name is a word, or a quoted string when it has other characters.
            match rest.strip_prefix('"') {
                Some(quoted) => quoted.split('"').next().unwrap_or_default().to_owned(),
                None => rest.split(' ').next().unwrap_or_default().to_owned(),
            }
        })
        .collect()
}

// ---------------------------------------------------------------- graph

#[test]
fn graph_dot_of_the_example_renders_with_graphviz() {
    let Some(dot) = graphviz() else {
        return;
    };
    for extra in [
        &[][..],
        &["--identities"][..],
        &["--identities", "--permissions"][..],
        &["--focus", "payments-operator"][..],
        &["--focus", "jonas.weber", "--depth", "3", "--permissions"][..],
    ] {
        let source = run_example("graph", extra);
        let svg = render(dot, &source, "svg");
        assert!(svg.contains("<svg"), "{extra:?}: not an SVG");
        // Every role of the example is drawn in the whole picture.
        if extra.is_empty() {
            let nodes = plain_nodes(&render(dot, &source, "plain"));
            assert_eq!(
                nodes.iter().filter(|n| n.starts_with("role:")).count(),
                25,
                "{nodes:?}"
            );
            assert_eq!(
                nodes.iter().filter(|n| n.starts_with("app:")).count(),
                6,
                "{nodes:?}"
            );
        }
    }
}

#[test]
fn graph_dot_focused_on_a_role_snapshot() {
    let source = run_example("graph", &["--focus", "payments-operator"]);
    // payments-operator: its parent (viewer), its heirs (admin, finance-ops-lead)
    // and their holders within two hops (priya directly, ravi through admin).
    for expected in [
        "\"role:payments-viewer\"",
        "\"role:payments-admin\"",
        "\"role:finance-ops-lead\"",
        "\"identity:priya.nair\"",
        "\"identity:ravi.shah\"",
    ] {
        assert!(source.contains(expected), "{expected} missing:\n{source}");
    }
    assert!(!source.contains("role:treasury-approver"), "{source}");
    insta::assert_snapshot!("graph_dot_focus_payments_operator", source);
    // One hop: direct holders only; ravi holds it through payments-admin.
    let one_hop = run_example("graph", &["--focus", "payments-operator", "--depth", "1"]);
    assert!(one_hop.contains("\"identity:priya.nair\" -> \"role:payments-operator\""));
    assert!(!one_hop.contains("identity:ravi.shah"), "{one_hop}");
    assert!(one_hop.contains("\"role:payments-admin\" -> \"role:payments-operator\""));
}

#[test]
fn graph_dot_highlights_privileged_roles_findings_and_expired_grants() {
    let source = run_example("graph", &["--identities"]);
    let line = |key: &str| {
        source
            .lines()
            .find(|line| line.trim_start().starts_with(&format!("\"{key}\" [")))
            .unwrap_or_else(|| panic!("no node {key}:\n{source}"))
            .to_owned()
    };
    // Privileged and with four findings (EXPECTED.md #13, #15, #22, #26).
    let lead = line("role:finance-ops-lead");
    assert!(lead.contains("privileged\\n⚠ 4 findings"), "{lead}");
    assert!(lead.contains("color=\"#c00000\""), "{lead}");
    assert!(
        lead.contains("sod/toxic-role"),
        "tooltip lists the rules: {lead}"
    );
    // Privileged, no findings: red, not filled.
    let admin = line("role:payments-admin");
    assert!(
        admin.contains("penwidth=2") && !admin.contains("filled"),
        "{admin}"
    );
    // Not privileged, no findings.
    let viewer = line("role:payments-viewer");
    assert!(
        !viewer.contains("color=") && !viewer.contains('⚠'),
        "{viewer}"
    );
    // Suspended and terminated identities are dashed.
    assert!(line("identity:peter.novak").contains("dashed"));
    // Jonas's unrevoked expired grant of platform-admin (EXPECTED.md #24).
    let expired = "\"identity:jonas.weber\" -> \"role:platform-admin\" [style=dashed, color=\"#c00000\", fontcolor=\"#c00000\", label=\"expired 2026-10-31\"];";
    assert!(source.contains(expired), "{source}");
    // A revoked grant is not drawn: Lena's grants were all revoked.
    assert!(!source.contains("\"identity:lena.fischer\" ->"), "{source}");
}

#[test]
fn graph_summarises_permissions_per_application_unless_asked() {
    let summary = run_example("graph", &["--focus", "payments-admin", "--depth", "0"]);
    assert!(
        summary.contains("\"role:payments-admin\" -> \"app:stripe\" [color=\"#c00000\", fontcolor=\"#c00000\", label=\"2 permissions, 2 privileged\"];"),
        "{summary}"
    );
    assert!(!summary.contains("perm:"), "{summary}");
    let detailed = run_example(
        "graph",
        &["--focus", "payments-admin", "--depth", "0", "--permissions"],
    );
    assert!(
        detailed.contains("subgraph \"cluster_app:stripe\""),
        "{detailed}"
    );
    assert!(
        detailed.contains("\"role:payments-admin\" -> \"perm:stripe:api-keys.manage\""),
        "{detailed}"
    );
    // Depth 0: the role alone, no inherited role.
    assert!(!detailed.contains("role:payments-operator"), "{detailed}");
}

#[test]
fn graph_mermaid_of_the_example_snapshot() {
    let source = run_example("graph", &["--format", "mermaid"]);
    assert!(source.starts_with("flowchart LR\n"), "{source}");
    let safe_id = |id: &str| {
        id.len() > 1
            && id.starts_with(['r', 'i', 'a', 'p'])
            && id[1..].chars().all(|c| c.is_ascii_digit())
    };
    let mut nodes = 0;
    for line in source.lines().skip(1).map(str::trim) {
        let first = line.split([' ', '[', '(']).next().unwrap_or_default();
        match first {
            "classDef" | "class" | "linkStyle" | "subgraph" | "end" => continue,
            _ => assert!(safe_id(first), "unsafe node id `{first}` in `{line}`"),
        }
        if let Some(label) = line
            .strip_prefix(first)
            .filter(|rest| rest.starts_with('['))
        {
            nodes += 1;
            // One quoted label: no quote inside it.
            let inner = label
                .trim_start_matches(['[', '('])
                .trim_end_matches([']', ')']);
            assert!(inner.starts_with('"') && inner.ends_with('"'), "{line}");
            assert!(!inner[1..inner.len() - 1].contains('"'), "{line}");
        } else {
            // An edge: `from arrow[|"label"|] to`, both ends safe.
            let to = line.rsplit(' ').next().unwrap_or_default();
            assert!(safe_id(to), "unsafe edge end `{to}` in `{line}`");
        }
    }
    assert_eq!(nodes, 25 + 6, "25 roles and 6 applications");
    assert!(
        source.contains("\n  class r"),
        "privileged roles get a class"
    );
    insta::assert_snapshot!("graph_mermaid_example", source);
}

#[test]
fn graph_focus_on_an_identity_follows_its_grants_and_what_they_inherit() {
    let depth_1 = run_example("graph", &["--focus", "identity:ravi.shah", "--depth", "1"]);
    assert!(depth_1.contains("\"identity:ravi.shah\" -> \"role:payments-admin\""));
    assert!(!depth_1.contains("\"role:payments-operator\""), "{depth_1}");
    let depth_2 = run_example("graph", &["--focus", "ravi.shah"]);
    assert!(depth_2.contains("\"role:payments-admin\" -> \"role:payments-operator\""));
    // Two hops from Ravi: the viewer is three.
    assert!(!depth_2.contains("\"role:payments-viewer\""), "{depth_2}");
    assert!(depth_2.contains("peripheries=2"), "the focus is marked");
}

#[test]
fn graph_unknown_focus_exits_2_with_a_suggestion() {
    rolelint()
        .arg("graph")
        .arg(example())
        .args(["--now", NOW, "--focus", "payments-operater"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(
            "rolelint: error: there is no role or identity `payments-operater` in the catalogue (did you mean `payments-operator`?)\n",
        );
    // --depth only means something with --focus.
    rolelint()
        .arg("graph")
        .arg(example())
        .args(["--depth", "1"])
        .assert()
        .code(2)
        .stdout("");
}

#[test]
fn graph_focus_on_an_id_that_is_both_a_role_and_an_identity_must_say_which() {
    let dir = catalogue(&[(
        "all.yaml",
        "apiVersion: rolelint/v1\nkind: Role\nid: ops\nowner: ops\n---\napiVersion: rolelint/v1\nkind: Identity\nid: ops\n",
    )]);
    rolelint()
        .arg("graph")
        .arg(dir.path())
        .args(["--now", NOW, "--focus", "ops"])
        .assert()
        .code(2)
        .stderr(
            "rolelint: error: `ops` is both a role and an identity: write `--focus role:ops` or `--focus identity:ops`\n",
        );
    let output = rolelint()
        .arg("graph")
        .arg(dir.path())
        .args(["--now", NOW, "--focus", "role:ops", "--format", "mermaid"])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(output).unwrap();
    // The role (empty: overlap/empty-role), not the identity.
    assert!(text.contains("  r0[\"ops<br/>⚠ 1 finding\"]\n"), "{text}");
    assert!(!text.contains("i0"), "{text}");
}

/// Names and descriptions are free text: quotes, backslashes, DOT escapes,
/// HTML, Mermaid entities and terminal escapes must not change the picture.
const HOSTILE: &str = r#"apiVersion: rolelint/v1
kind: Application
id: app
name: "App\" ]; \"evil\" -> \"x\" [label=\"pwned"
owner: alice
permissions:
  - id: read
---
apiVersion: rolelint/v1
kind: Role
id: reader
name: "Reader \\l \\N <script>alert(1)</script> #quot; a;b"
description: "line one\nline two \e[31mred\e[0m"
owner: alice
permissions: [app:read]
review:
  last_reviewed: 2026-10-01
---
apiVersion: rolelint/v1
kind: Identity
id: alice
name: "Alice \"the admin\" \\"
department: "sales | ops [x](https://evil.example) @everyone <b>\e[2J"
grants:
  - role: reader
    granted: 2026-01-01
    approved_by: alice
"#;

#[test]
fn graph_escapes_catalogue_text_for_dot_and_mermaid() {
    let dir = catalogue(&[("all.yaml", HOSTILE)]);
    let run = |format: &str| {
        let output = rolelint()
            .arg("graph")
            .arg(dir.path())
            .args(["--now", NOW, "--identities", "--format", format])
            .assert()
            .code(0)
            .get_output()
            .stdout
            .clone();
        String::from_utf8(output).unwrap()
    };
    let dot_source = run("dot");
    assert!(!dot_source.contains('\u{1b}'), "no raw escape code");
    assert!(
        dot_source.contains(r#"tooltip="App\" ]; \"evil\" -> \"x\" [label=\"pwned""#),
        "{dot_source}"
    );
    assert!(dot_source.contains(r"Reader \\l \\N"), "{dot_source}");
    if let Some(dot) = graphviz() {
        let nodes = plain_nodes(&render(dot, &dot_source, "plain"));
        assert_eq!(
            nodes,
            ["identity:alice", "role:reader", "app:app"],
            "no injected node"
        );
    }
    let mermaid = run("mermaid");
    assert!(mermaid.starts_with("flowchart LR\n"));
    for forbidden in ["<script", "evil", "\u{1b}"] {
        assert!(!mermaid.contains(forbidden), "{forbidden}: {mermaid}");
    }
}

// ---------------------------------------------------------------- stats

#[test]
fn stats_json_of_the_example_matches_the_rules() {
    let text = run_example("stats", &["--format", "json"]);
    let stats: Value = serde_json::from_str(&text).unwrap();
    let share = |n: u64, d: u64| json!({"numerator": n, "denominator": d});
    assert_eq!(stats["version"], 1);
    assert_eq!(stats["now"], NOW);
    let quality = &stats["entitlement_quality"];
    // data-engineer's owner lena.fischer is terminated (EXPECTED.md #8).
    assert_eq!(quality["roles_with_accountable_owner"], share(24, 25));
    // snowflake's team:data is not accountable (#7).
    assert_eq!(quality["applications_with_accountable_owner"], share(5, 6));
    // finance-ops-lead is the one privileged role without MFA (#13).
    assert_eq!(quality["privileged_roles_requiring_mfa"], share(7, 8));
    assert_eq!(quality["empty_roles"], share(1, 25)); // #18
    assert_eq!(quality["duplicate_role_pairs"], 1); // #17
    assert_eq!(quality["near_duplicate_role_pairs"], 1); // #19
    // tomas.berg, of the 6 active support humans (#12).
    assert_eq!(quality["peer_outliers"]["identities"], share(1, 6));
    assert_eq!(quality["peer_outliers"]["permissions"], 1);
    let revocation = &stats["revocation_timeliness"];
    // jonas.weber's platform-admin expired 2026-10-31: 26 days (#24).
    assert_eq!(
        revocation["unrevoked_expired_grants"],
        json!({"count": 1, "days_overdue": {"median": 26.0, "max": 26}})
    );
    assert_eq!(revocation["terminated_identities_with_access"], share(1, 2)); // #30
    assert_eq!(revocation["active_grants_of_terminated_identities"], 1);
    assert_eq!(revocation["stale_credentials"], share(2, 8)); // #28, #29
    let review = &stats["review_accuracy"];
    assert_eq!(review["privileged_roles_never_reviewed"], share(1, 8)); // #26
    // zendesk-admin was due 2026-09-13 (#27).
    assert_eq!(
        review["overdue_reviews"],
        json!({"count": 1, "days_overdue": {"median": 74.0, "max": 74}})
    );
    let support = stats["by_department"]
        .as_array()
        .unwrap()
        .iter()
        .find(|row| row["department"] == "support")
        .unwrap();
    assert_eq!(support["peer_outliers"], share(1, 6));
    assert_eq!(support["terminated_identities_with_access"], share(1, 1));
    let stripe = &stats["by_application"][4];
    assert_eq!(stripe["application"], "stripe");
    assert_eq!(stripe["peer_outlier_permissions"], 1);
    insta::assert_snapshot!("stats_json_example", text);
}

#[test]
fn stats_json_is_byte_identical_across_runs_and_thread_counts() {
    let once = run_example("stats", &["--format", "json"]);
    let output = rolelint()
        .env("RAYON_NUM_THREADS", "1")
        .arg("stats")
        .arg(example())
        .args(["--now", NOW, "--format", "json"])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    assert_eq!(once, String::from_utf8(output).unwrap());
}

#[test]
fn stats_human_and_markdown_of_the_example_snapshots() {
    let human = run_example("stats", &[]);
    assert!(human.starts_with("rolelint stats on 2026-11-26: 25 roles (8 privileged)"));
    assert!(human.contains("  roles with an accountable owner             24/25 (96.0%)\n"));
    insta::assert_snapshot!("stats_human_example", human);
    let markdown = run_example("stats", &["--format", "markdown"]);
    assert!(
        markdown.contains("| unrevoked expired grants | 1 (days overdue: median 26, max 26) |")
    );
    insta::assert_snapshot!("stats_markdown_example", markdown);
}

#[test]
fn stats_one_day_later_takes_the_median_of_two_grants() {
    // At 2026-11-27 grace.obi's snowflake:pii.read (expires 2026-11-26) is
    // 1 day overdue, jonas.weber's grant 27: median (1 + 27) / 2 = 14.
    let output = rolelint()
        .arg("stats")
        .arg(example())
        .args(["--now", "2026-11-27", "--format", "json"])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let stats: Value = serde_json::from_slice(&output).unwrap();
    assert_eq!(
        stats["revocation_timeliness"]["unrevoked_expired_grants"],
        json!({"count": 2, "days_overdue": {"median": 14.0, "max": 27}})
    );
    // payments-operator's review fell due on 2026-11-26 (N3).
    assert_eq!(stats["review_accuracy"]["overdue_reviews"]["count"], 2);
    // s3-export-key is now both past rotation and expired: one credential (N2).
    assert_eq!(
        stats["revocation_timeliness"]["stale_credentials"],
        json!({"numerator": 3, "denominator": 8})
    );
}

#[test]
fn stats_metrics_of_rules_turned_off_are_null() {
    let config = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(
        config.path(),
        "paths: [access]\nexclude: [\"access/drafts/**\"]\nrules:\n  overlap/near-duplicate-roles: 'off'\n  privilege/peer-outlier: 'off'\n",
    )
    .unwrap();
    let output = rolelint()
        .arg("stats")
        .arg(example())
        .args(["--now", NOW, "--format", "json", "--config"])
        .arg(config.path())
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let stats: Value = serde_json::from_slice(&output).unwrap();
    let quality = &stats["entitlement_quality"];
    assert_eq!(quality["near_duplicate_role_pairs"], Value::Null);
    assert_eq!(quality["peer_outliers"]["identities"], Value::Null);
    assert_eq!(quality["duplicate_role_pairs"], 1, "still on");
    assert_eq!(
        stats["by_application"][0]["peer_outlier_permissions"],
        Value::Null
    );
}

#[test]
fn stats_escapes_department_names_for_markdown_and_terminals() {
    let dir = catalogue(&[("all.yaml", HOSTILE)]);
    let run = |format: &str| {
        let output = rolelint()
            .arg("stats")
            .arg(dir.path())
            .args(["--now", NOW, "--format", format])
            .assert()
            .code(0)
            .get_output()
            .stdout
            .clone();
        String::from_utf8(output).unwrap()
    };
    let markdown = run("markdown");
    let row = markdown
        .lines()
        .find(|line| line.starts_with("| sales"))
        .unwrap_or_else(|| panic!("no department row:\n{markdown}"));
    // Seven columns: eight pipes; no link, HTML, mention or escape code.
    assert_eq!(row.matches('|').count(), 8, "{row}");
    for forbidden in ["](", "<b>", "@everyone", "\u{1b}"] {
        assert!(!row.contains(forbidden), "{forbidden} in {row}");
    }
    let human = run("human");
    assert!(!human.contains('\u{1b}'), "{human}");
    assert!(
        human.contains("<b>\u{241b}[2J"),
        "controls are made visible: {human}"
    );
    let json_text = run("json");
    let stats: Value = serde_json::from_str(&json_text).unwrap();
    assert_eq!(
        stats["by_department"][0]["department"],
        "sales | ops [x](https://evil.example) @everyone <b>\u{1b}[2J",
        "JSON keeps the text as written"
    );
}

#[test]
fn stats_of_a_missing_path_exits_2() {
    rolelint()
        .args(["stats", "/nonexistent/catalogue", "--now", NOW])
        .assert()
        .code(2)
        .stdout("")
        .stderr("rolelint: error: path `/nonexistent/catalogue` does not exist\n");
    rolelint()
        .args(["stats", "--now", "26/11/2026"])
        .arg(example())
        .assert()
        .code(2);
}
