//! Property tests over random catalogues (proptest).
//!
//! The generator writes valid-ish YAML for every kind over small pools of
//! ids (so references resolve, inheritance forms chains and cycles, and most
//! rules have something to find), and sometimes corrupts the text. Set
//! `PROPTEST_CASES` to run more cases than CI does.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::FileFailurePersistence;
use rolelint::diff::{Side, diff};
use rolelint::graph::Graph;
use rolelint::load::{Catalogue, LoadOptions, load_memory};
use rolelint::model::Date;
use rolelint::report::{Report, json};

// ------------------------------------------------------------ the generator

const DEPARTMENTS: &[&str] = &["eng", "finance", "sales"];

/// Evaluation date of every property.
fn now() -> Date {
    Date::parse("2026-06-01").expect("a valid literal date")
}

/// A day between 2025-01-01 and mid-2027, written `YYYY-MM-DD`.
fn day() -> impl Strategy<Value = String> {
    (0i64..900).prop_map(|offset| {
        Date::parse("2025-01-01")
            .expect("a valid literal date")
            .plus_days(offset)
            .to_string()
    })
}

/// Sizes of the pools that references pick from.
#[derive(Clone, Copy, Debug)]
struct Pools {
    applications: usize,
    roles: usize,
    identities: usize,
    teams: usize,
}

fn application_id(index: usize) -> String {
    format!("app{index}")
}
fn role_id(index: usize) -> String {
    format!("role{index}")
}
fn identity_id(index: usize) -> String {
    format!("user{index}")
}
fn team_id(index: usize) -> String {
    format!("team{index}")
}

/// Permissions per application: `p0` … `p3`.
const PERMISSIONS_PER_APPLICATION: usize = 4;

/// A permission reference: a declared permission, a wildcard, or (rarely)
/// one that does not resolve.
fn permission_ref(pools: Pools) -> impl Strategy<Value = String> {
    (any::<Index>(), 0..PERMISSIONS_PER_APPLICATION + 2).prop_map(move |(app, permission)| {
        let app = application_id(app.index(pools.applications));
        match permission {
            p if p < PERMISSIONS_PER_APPLICATION => format!("{app}:p{p}"),
            p if p == PERMISSIONS_PER_APPLICATION => format!("{app}:*"),
            _ => format!("{app}:missing"),
        }
    })
}

/// An owner, approver or reviewer: an identity, a team, or nobody.
fn principal(pools: Pools) -> impl Strategy<Value = Option<String>> {
    prop_oneof![
        3 => any::<Index>().prop_map(move |i| Some(identity_id(i.index(pools.identities)))),
        1 => any::<Index>().prop_map(move |i| Some(format!("team:{}", team_id(i.index(pools.teams))))),
        1 => Just(None),
    ]
}

fn application(index: usize, pools: Pools) -> impl Strategy<Value = String> {
    (
        principal(pools),
        proptest::collection::vec(any::<bool>(), 1..=PERMISSIONS_PER_APPLICATION),
    )
        .prop_map(move |(owner, privileged)| {
            let mut out = format!(
                "apiVersion: rolelint/v1\nkind: Application\nid: {}\n",
                application_id(index)
            );
            if let Some(owner) = owner {
                let _ = writeln!(out, "owner: {owner}");
            }
            out.push_str("permissions:\n");
            for (permission, privileged) in privileged.iter().enumerate() {
                let _ = writeln!(out, "  - id: p{permission}\n    privileged: {privileged}");
            }
            out
        })
}

fn role(index: usize, pools: Pools) -> impl Strategy<Value = String> {
    (
        principal(pools),
        proptest::collection::vec(any::<Index>(), 0..3),
        proptest::collection::vec(permission_ref(pools), 0..6),
        any::<bool>(),
        proptest::option::of(0..DEPARTMENTS.len()),
        proptest::option::of(1u32..120),
    )
        .prop_map(
            move |(owner, inherits, permissions, privileged, department, max_days)| {
                let mut out = format!(
                    "apiVersion: rolelint/v1\nkind: Role\nid: {}\n",
                    role_id(index)
                );
                if let Some(owner) = owner {
                    let _ = writeln!(out, "owner: {owner}");
                }
                let inherits: Vec<String> = inherits
                    .iter()
                    .map(|parent| role_id(parent.index(pools.roles)))
                    .collect();
                let _ = writeln!(out, "inherits: [{}]", inherits.join(", "));
                let _ = writeln!(out, "permissions: [{}]", permissions.join(", "));
                let _ = writeln!(out, "privileged: {privileged}");
                if let Some(department) = department {
                    let _ = writeln!(out, "department: {}", DEPARTMENTS[department]);
                }
                if let Some(days) = max_days {
                    let _ = writeln!(out, "max_grant_days: {days}");
                }
                out
            },
        )
}

/// One grant, as a YAML list item.
fn grant(pools: Pools) -> impl Strategy<Value = String> {
    (
        prop_oneof![
            3 => any::<Index>().prop_map(move |i| format!("role: {}", role_id(i.index(pools.roles)))),
            1 => permission_ref(pools).prop_map(|p| format!("permission: {p}")),
        ],
        day(),
        proptest::option::of(day()),
        proptest::option::of(day()),
        principal(pools),
    )
        .prop_map(|(target, granted, expires, revoked, approver)| {
            let mut out = format!("  - {target}\n    granted: {granted}\n");
            if let Some(expires) = expires {
                let _ = writeln!(out, "    expires: {expires}");
            }
            if let Some(revoked) = revoked {
                let _ = writeln!(out, "    revoked: {revoked}");
            }
            if let Some(approver) = approver {
                let _ = writeln!(out, "    approved_by: {approver}");
            }
            out
        })
}

fn identity(index: usize, pools: Pools) -> impl Strategy<Value = String> {
    (
        prop_oneof![4 => Just("human"), 1 => Just("service"), 1 => Just("agent")],
        prop_oneof![4 => Just("active"), 1 => Just("suspended"), 1 => Just("terminated")],
        proptest::option::of(0..DEPARTMENTS.len()),
        proptest::option::of(any::<Index>()),
        principal(pools),
        proptest::collection::vec(grant(pools), 0..4),
    )
        .prop_map(move |(kind, status, department, manager, owner, grants)| {
            let mut out = format!(
                "apiVersion: rolelint/v1\nkind: Identity\nid: {}\ntype: {kind}\nstatus: {status}\n",
                identity_id(index)
            );
            if let Some(department) = department {
                let _ = writeln!(out, "department: {}", DEPARTMENTS[department]);
            }
            if let Some(manager) = manager {
                let _ = writeln!(
                    out,
                    "manager: {}",
                    identity_id(manager.index(pools.identities))
                );
            }
            if kind != "human"
                && let Some(owner) = owner
            {
                let _ = writeln!(out, "owner: {owner}");
            }
            if !grants.is_empty() {
                out.push_str("grants:\n");
                for grant in grants {
                    out.push_str(&grant);
                }
            }
            out
        })
}

fn team(index: usize, pools: Pools) -> impl Strategy<Value = String> {
    (
        principal(pools),
        proptest::collection::vec(any::<Index>(), 0..4),
    )
        .prop_map(move |(owner, members)| {
            let mut out = format!(
                "apiVersion: rolelint/v1\nkind: Team\nid: {}\n",
                team_id(index)
            );
            if let Some(owner) = owner {
                let _ = writeln!(out, "owner: {owner}");
            }
            let members: Vec<String> = members
                .iter()
                .map(|member| identity_id(member.index(pools.identities)))
                .collect();
            let _ = writeln!(out, "members: [{}]", members.join(", "));
            out
        })
}

fn sod_item(pools: Pools) -> impl Strategy<Value = String> {
    prop_oneof![
        permission_ref(pools),
        any::<Index>().prop_map(move |i| format!("role:{}", role_id(i.index(pools.roles)))),
    ]
}

fn sod_rule(index: usize, pools: Pools) -> impl Strategy<Value = String> {
    (
        principal(pools),
        proptest::collection::vec(proptest::collection::vec(sod_item(pools), 1..3), 2..4),
    )
        .prop_map(move |(owner, sides)| {
            let mut out = format!("apiVersion: rolelint/v1\nkind: SodRule\nid: sod{index}\n");
            if let Some(owner) = owner {
                let _ = writeln!(out, "owner: {owner}");
            }
            out.push_str("sides:\n");
            for side in sides {
                let _ = writeln!(out, "  - [{}]", side.join(", "));
            }
            out
        })
}

fn playbook(index: usize, pools: Pools) -> impl Strategy<Value = String> {
    (
        principal(pools),
        prop_oneof![Just("joiner"), Just("leaver"), Just("request")],
        proptest::collection::vec(
            (
                prop_oneof![
                    Just("approve"),
                    Just("grant"),
                    Just("revoke_all"),
                    Just("notify")
                ],
                any::<Index>(),
            ),
            1..4,
        ),
    )
        .prop_map(move |(owner, trigger, steps)| {
            let mut out = format!(
                "apiVersion: rolelint/v1\nkind: Playbook\nid: playbook{index}\ntrigger: {trigger}\n"
            );
            if let Some(owner) = owner {
                let _ = writeln!(out, "owner: {owner}");
            }
            out.push_str("steps:\n");
            for (step, (action, role)) in steps.iter().enumerate() {
                let _ = writeln!(out, "  - id: s{step}\n    action: {action}");
                match *action {
                    "approve" => out.push_str("    approvers: [manager]\n"),
                    "grant" => {
                        let _ = writeln!(out, "    role: {}", role_id(role.index(pools.roles)));
                    }
                    _ => {}
                }
            }
            out
        })
}

/// The documents of one random catalogue, each object once.
fn documents() -> impl Strategy<Value = Vec<String>> {
    (
        1usize..4,
        1usize..8,
        1usize..10,
        1usize..3,
        0usize..3,
        0usize..2,
    )
        .prop_flat_map(
            |(applications, roles, identities, teams, sod_rules, playbooks)| {
                let pools = Pools {
                    applications,
                    roles,
                    identities,
                    teams,
                };
                let mut all: Vec<BoxedStrategy<String>> = Vec::new();
                all.extend((0..applications).map(|i| application(i, pools).boxed()));
                all.extend((0..roles).map(|i| role(i, pools).boxed()));
                all.extend((0..identities).map(|i| identity(i, pools).boxed()));
                all.extend((0..teams).map(|i| team(i, pools).boxed()));
                all.extend((0..sod_rules).map(|i| sod_rule(i, pools).boxed()));
                all.extend((0..playbooks).map(|i| playbook(i, pools).boxed()));
                all
            },
        )
}

/// An optional rolelint.yaml with thresholds that make overlap and
/// peer-group rules fire on small catalogues.
fn config() -> impl Strategy<Value = Option<String>> {
    proptest::option::of((0u32..=10, 1u32..4, 0u32..=5).prop_map(
        |(threshold, group, ratio)| {
            format!(
                "defaults:\n  near_duplicate_threshold: {}\n  peer_group_min_size: {group}\n  peer_outlier_ratio: {}\n",
                f64::from(threshold) / 10.0,
                f64::from(ratio) / 10.0
            )
        },
    ))
}

/// Lines that break documents in the ways users and attackers do.
const NASTY_LINES: &[&str] = &[
    "  - [",
    "permissions: {a: 1}",
    "inherits: *nowhere",
    "x: &a [*a]",
    "\t- tab",
    "apiVersion: rolelint/v2",
    "kind: Nope",
    "id: bad id!",
    "---",
    "...",
    "%YAML 1.1",
    "? [complex, key]\n: value",
    "!!binary aGVsbG8=",
    "\u{feff}kind: Role",
    "privileged: yes",
    "max_grant_days: 99999999999999999999999",
    "max_grant_days: -5",
    "granted: 2026-02-30",
    "owner: team:",
    "permissions: [\"app0:\", \":p0\", \"app0:p0:x\"]",
    "\u{1b}[31mred: \u{202e}evil",
    "suppress: [{rule: overlap/empty-role, reason: x, until: 2020-01-01}]",
];

#[derive(Clone, Debug)]
enum Corruption {
    Truncate(Index),
    DeleteLine(Index),
    DuplicateLine(Index),
    InsertLine(Index, Index),
}

fn corruption() -> impl Strategy<Value = Corruption> {
    prop_oneof![
        any::<Index>().prop_map(Corruption::Truncate),
        any::<Index>().prop_map(Corruption::DeleteLine),
        any::<Index>().prop_map(Corruption::DuplicateLine),
        (any::<Index>(), any::<Index>()).prop_map(|(at, line)| Corruption::InsertLine(at, line)),
    ]
}

impl Corruption {
    fn apply(&self, text: &str) -> String {
        let mut lines: Vec<&str> = text.lines().collect();
        match self {
            Corruption::Truncate(at) => {
                let mut end = at.index(text.len() + 1);
                while !text.is_char_boundary(end) {
                    end -= 1;
                }
                return text[..end].to_owned();
            }
            Corruption::DeleteLine(at) if !lines.is_empty() => {
                lines.remove(at.index(lines.len()));
            }
            Corruption::DuplicateLine(at) if !lines.is_empty() => {
                let line = lines[at.index(lines.len())];
                lines.insert(at.index(lines.len()), line);
            }
            Corruption::InsertLine(at, line) => {
                lines.insert(
                    at.index(lines.len() + 1),
                    NASTY_LINES[line.index(NASTY_LINES.len())],
                );
            }
            _ => {}
        }
        lines.join("\n") + "\n"
    }
}

/// Which file each document goes to, as `(path, text)` pairs: `layout[i]`
/// names document `i`'s file; documents keep their order within a file.
fn split(documents: &[String], layout: &[usize], names: &[String]) -> Vec<(String, String)> {
    let mut files: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for (document, file) in documents.iter().zip(layout) {
        files
            .entry(names[*file % names.len()].clone())
            .or_default()
            .push(document);
    }
    files
        .into_iter()
        .map(|(path, documents)| (path, documents.join("---\n")))
        .collect()
}

// ------------------------------------------------------------ running a check

fn options() -> LoadOptions {
    LoadOptions {
        rule_codes: rolelint::rules::codes(),
        ..LoadOptions::default()
    }
}

fn load(files: &[(String, String)], config: Option<&str>) -> Option<Catalogue> {
    let files: Vec<(&str, &str)> = files
        .iter()
        .map(|(path, text)| (path.as_str(), text.as_str()))
        .collect();
    // An invalid rolelint.yaml is an error for the user, not a finding.
    load_memory(&files, config, &options()).ok()
}

/// The JSON report of a check.
fn check_json(files: &[(String, String)], config: Option<&str>) -> String {
    let Some(catalogue) = load(files, config) else {
        return "invalid configuration".to_owned();
    };
    let outcome = rolelint::analyse(&catalogue, now());
    json::render(&Report::of(&catalogue, &outcome, now()))
}

/// The findings of a JSON report without where they are (path, line,
/// column, related locations), sorted.
fn findings_modulo_location(report: &str) -> Vec<String> {
    findings_without(report, &["path", "line", "column", "related"])
}

/// The findings of a JSON report, each without `fields`, sorted.
fn findings_without(report: &str, fields: &[&str]) -> Vec<String> {
    let document: serde_json::Value =
        serde_json::from_str(report).expect("the JSON report is JSON");
    let mut findings: Vec<String> = document["findings"]
        .as_array()
        .expect("the JSON report lists findings")
        .iter()
        .map(|finding| {
            let mut finding = finding.clone();
            if let Some(fields_of) = finding.as_object_mut() {
                for field in fields {
                    fields_of.remove(*field);
                }
            }
            finding.to_string()
        })
        .collect();
    findings.sort();
    findings
}

fn in_pool<T: Send>(threads: usize, work: impl FnOnce() -> T + Send) -> T {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("a thread pool")
        .install(work)
}

/// `PROPTEST_CASES` if set, else `default`: CI runs few cases, a local
/// search can run many.
fn cases(default: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|cases| cases.parse().ok())
        .unwrap_or(default);
    ProptestConfig {
        cases,
        // Failing seeds go to tests/properties.proptest-regressions and run
        // first from then on (the default looks for src/lib.rs, not tests/).
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource("regressions"))),
        ..ProptestConfig::default()
    }
}

/// `layout` with every application moved to one more file, appended to `names`.
fn applications_together(
    documents: &[String],
    mut layout: Vec<usize>,
    names: &mut Vec<String>,
) -> Vec<usize> {
    names.push("access/applications.yaml".to_owned());
    for (file, document) in layout.iter_mut().zip(documents) {
        if document.contains("\nkind: Application\n") {
            *file = names.len() - 1;
        }
    }
    layout
}

fn one_file(documents: &[String]) -> Vec<(String, String)> {
    vec![("access/all.yaml".to_owned(), documents.join("---\n"))]
}

// ------------------------------------------------------------ properties

proptest! {
    #![proptest_config(cases(64))]

    /// Corrupted catalogues never panic, and the report is the same on
    /// every run and with one thread or four.
    #[test]
    fn output_is_identical_across_runs_and_thread_counts(
        documents in documents(),
        config in config(),
        corruptions in proptest::collection::vec((any::<Index>(), corruption()), 0..4),
        layout in proptest::collection::vec(0usize..3, 40),
    ) {
        let mut documents = documents;
        for (target, corruption) in &corruptions {
            let target = target.index(documents.len());
            documents[target] = corruption.apply(&documents[target]);
        }
        let names = ["access/a.yaml", "access/b.yaml", "c.yml"].map(str::to_owned);
        let files = split(&documents, &layout, &names);
        let first = in_pool(1, || check_json(&files, config.as_deref()));
        let again = in_pool(1, || check_json(&files, config.as_deref()));
        let parallel = in_pool(4, || check_json(&files, config.as_deref()));
        prop_assert_eq!(&first, &again, "two runs differ");
        prop_assert_eq!(&first, &parallel, "one thread and four differ");
    }

    /// The same objects split into files differently, with the files named
    /// in a different order, give the same findings: the same rule, severity,
    /// object and detail.
    ///
    /// Not compared: locations, and the message and help, which cite one
    /// example path where several are equally short (the privileged
    /// permission a role reaches, the role it inherits it through), picked
    /// in catalogue order. Applications stay in one file, in one order:
    /// permissions are numbered in path order and
    /// privilege/undeclared-privileged-role documents that its detail is the
    /// first privileged permission in that order.
    #[test]
    fn findings_do_not_depend_on_file_layout(
        documents in documents(),
        config in config(),
        layout in proptest::collection::vec(0usize..4, 40),
        order in any::<u64>(),
    ) {
        let together = check_json(&one_file(&documents), config.as_deref());
        // One file per document, named so that path order is a shuffle.
        let mut names: Vec<String> = (0..documents.len())
            .map(|i| format!("access/{:016x}-{i}.yaml", (i as u64 + 1).wrapping_mul(order | 1).rotate_left(17)))
            .collect();
        let each = applications_together(&documents, (0..documents.len()).collect(), &mut names);
        let apart = check_json(&split(&documents, &each, &names), config.as_deref());
        let mut names = ["z/last.yaml", "a/first.yaml", "m.yml", "b.yaml"].map(str::to_owned).to_vec();
        let layout = applications_together(&documents, layout, &mut names);
        let grouped = check_json(&split(&documents, &layout, &names), config.as_deref());
        let compared = |report: &str| {
            findings_without(report, &["path", "line", "column", "related", "message", "help"])
        };
        let expected = compared(&together);
        for (layout, report) in [("one file per document", &apart), ("four files", &grouped)] {
            let found = compared(report);
            let missing: Vec<&String> = expected.iter().filter(|f| !found.contains(f)).collect();
            let extra: Vec<&String> = found.iter().filter(|f| !expected.contains(f)).collect();
            prop_assert!(
                expected == found,
                "{}: only in one file: {:#?}\nonly in the split: {:#?}", layout, missing, extra
            );
        }
    }

    /// A new application nobody refers to, or an identity with no grants
    /// and no department, adds findings at most.
    #[test]
    fn an_unrelated_object_never_removes_a_finding(
        documents in documents(),
        config in config(),
        extra in prop_oneof![
            Just("apiVersion: rolelint/v1\nkind: Application\nid: unrelated-app\nowner: user0\npermissions:\n  - id: unused\n"),
            Just("apiVersion: rolelint/v1\nkind: Identity\nid: unrelated-user\ntype: human\n"),
        ],
    ) {
        let mut files = one_file(&documents);
        let before = findings_modulo_location(&check_json(&files, config.as_deref()));
        files.push(("access/zz-extra.yaml".to_owned(), extra.to_owned()));
        let after = findings_modulo_location(&check_json(&files, config.as_deref()));
        // Both sorted: every finding before is matched by one after.
        let mut remaining = after.iter().peekable();
        for finding in &before {
            while remaining.next_if(|other| *other < finding).is_some() {}
            prop_assert!(
                remaining.next_if(|other| *other == finding).is_some(),
                "lost {} after adding\n{}", finding, extra
            );
        }
    }

    /// Comparing a catalogue with itself (loaded twice) shows no change.
    #[test]
    fn diff_of_a_catalogue_with_itself_is_empty(
        documents in documents(),
        config in config(),
    ) {
        let files = one_file(&documents);
        let (Some(base), Some(head)) = (load(&files, config.as_deref()), load(&files, config.as_deref())) else {
            return Ok(());
        };
        let (base_graph, head_graph) = (Graph::build(&base, now()), Graph::build(&head, now()));
        let base_outcome = rolelint::rules::engine::run(&base_graph);
        let head_outcome = rolelint::rules::engine::run(&head_graph);
        let changes = diff(
            Side { graph: &base_graph, findings: &base_outcome.findings },
            Side { graph: &head_graph, findings: &head_outcome.findings },
        );
        prop_assert!(changes.findings.introduced.is_empty(), "introduced {:?}", changes.findings.introduced);
        prop_assert!(changes.findings.resolved.is_empty(), "resolved {:?}", changes.findings.resolved);
        prop_assert!(changes.access.is_empty(), "access changed: {:?}", changes.access);
    }

    /// A role's effective permissions hold its own and those of every role
    /// it inherits, directly or not.
    #[test]
    fn effective_permissions_include_every_inherited_role(
        documents in documents(),
    ) {
        let Some(catalogue) = load(&one_file(&documents), None) else {
            return Ok(());
        };
        let graph = Graph::build(&catalogue, now());
        for (role, facts) in graph.role_facts.iter().enumerate() {
            let id = &catalogue.roles[role].id.value;
            let effective = &facts.effective;
            prop_assert!(
                facts.direct.iter().all(|p| effective.binary_search(p).is_ok()),
                "{} lacks its own permissions", id
            );
            for &ancestor in facts.parents.iter().chain(facts.ancestors.iter()) {
                let inherited = &graph.role_facts[ancestor as usize].effective;
                prop_assert!(
                    inherited.iter().all(|p| effective.binary_search(p).is_ok()),
                    "{} lacks permissions of {}", id, catalogue.roles[ancestor as usize].id.value
                );
            }
        }
    }
}
