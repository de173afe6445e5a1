//! The whole check: a small catalogue of a few files, generated from
//! structured input (mostly well-formed objects over a small pool of ids, so
//! that references resolve and rules fire; sometimes raw text) → load →
//! graph → rules → every report format.
//!
//! Holds for every input: no panic; JSON and SARIF parse as JSON, and the
//! JSON lists exactly the findings; every GitHub line is one workflow
//! command (`::` first, no raw CR); human output without colour holds no
//! escape or carriage-return character.
#![no_main]

use std::fmt::Write as _;

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use rolelint::load::{LoadOptions, load_memory};
use rolelint::model::Date;
use rolelint::report::{Report, github, human, json, markdown, sarif};

/// Ids that documents share, so references often resolve.
const IDS: &[&str] = &[
    "a", "b", "c", "alice", "bob", "ops", "admin", "x.y", "team", "manager",
];
const PERMISSIONS: &[&str] = &["read", "write", "admin", "*", "x.y"];

#[derive(Arbitrary, Debug)]
enum Text {
    Pool(u8),
    /// Anything: quoted, so it is one scalar (and may hold payloads).
    Raw(String),
}

impl Text {
    fn render(&self) -> String {
        match self {
            Text::Pool(index) => IDS[*index as usize % IDS.len()].to_owned(),
            Text::Raw(text) => quoted(text),
        }
    }
}

/// A JSON string is a YAML double-quoted scalar.
fn quoted(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_default()
}

#[derive(Arbitrary, Debug)]
enum Reference {
    Permission(u8, u8),
    Team(Text),
    Role(Text),
    Plain(Text),
}

impl Reference {
    fn render(&self) -> String {
        match self {
            Reference::Permission(app, permission) => format!(
                "\"{}:{}\"",
                IDS[*app as usize % IDS.len()],
                PERMISSIONS[*permission as usize % PERMISSIONS.len()]
            ),
            Reference::Team(id) => format!("\"team:{}\"", id.render().trim_matches('"')),
            Reference::Role(id) => format!("\"role:{}\"", id.render().trim_matches('"')),
            Reference::Plain(text) => text.render(),
        }
    }
}

#[derive(Arbitrary, Debug)]
enum Day {
    /// Days after 2025-06-01.
    Offset(u16),
    Raw(String),
}

impl Day {
    fn render(&self) -> String {
        match self {
            Day::Offset(days) => Date::from_ymd(2025, 6, 1)
                .map(|date| date.plus_days(i64::from(*days % 1200)).to_string())
                .unwrap_or_default(),
            Day::Raw(text) => quoted(text),
        }
    }
}

#[derive(Arbitrary, Debug)]
struct Permission {
    id: Text,
    privileged: bool,
}

#[derive(Arbitrary, Debug)]
struct Grant {
    target: Reference,
    granted: Option<Day>,
    expires: Option<Day>,
    revoked: Option<Day>,
    approved_by: Option<Text>,
    via: Option<Text>,
}

#[derive(Arbitrary, Debug)]
struct Step {
    id: Text,
    action: u8,
    role: Option<Text>,
    approvers: Vec<Text>,
    after: Option<Vec<Text>>,
    expires_after_days: Option<u16>,
}

#[derive(Arbitrary, Debug)]
struct Suppression {
    rule: u8,
    until: Day,
}

#[derive(Arbitrary, Debug)]
enum Body {
    Application {
        permissions: Vec<Permission>,
        criticality: u8,
    },
    Role {
        inherits: Vec<Text>,
        permissions: Vec<Reference>,
        privileged: bool,
        department: Option<Text>,
        max_grant_days: Option<u16>,
        review: Option<(Option<u16>, Option<Day>, Option<Text>)>,
    },
    Identity {
        kind: u8,
        status: u8,
        terminated_on: Option<Day>,
        department: Option<Text>,
        manager: Option<Text>,
        grants: Vec<Grant>,
        credentials: Vec<(Text, u8, Day, Option<Day>)>,
    },
    Team {
        members: Vec<Text>,
    },
    Playbook {
        trigger: u8,
        steps: Vec<Step>,
    },
    SodRule {
        sides: Vec<Vec<Reference>>,
    },
}

#[derive(Arbitrary, Debug)]
struct Object {
    id: Text,
    owner: Option<Reference>,
    body: Body,
    suppress: Vec<Suppression>,
    /// A field that does not belong, to exercise the decoder's errors.
    extra: Option<(Text, Text)>,
}

#[derive(Arbitrary, Debug)]
enum Document {
    Object(Box<Object>),
    Raw(String),
}

impl Document {
    fn render(&self, codes: &[&str]) -> String {
        match self {
            Document::Object(object) => object.render(codes),
            Document::Raw(text) => text.clone(),
        }
    }
}

fn pick<'a>(choices: &[&'a str], index: u8) -> &'a str {
    choices[index as usize % choices.len()]
}

fn list(items: impl IntoIterator<Item = String>) -> String {
    format!("[{}]", items.into_iter().collect::<Vec<_>>().join(", "))
}

impl Object {
    fn render(&self, codes: &[&str]) -> String {
        let Object {
            id,
            owner,
            body,
            suppress,
            extra,
        } = self;
        let mut out = String::from("apiVersion: rolelint/v1\n");
        let kind = match body {
            Body::Application { .. } => "Application",
            Body::Role { .. } => "Role",
            Body::Identity { .. } => "Identity",
            Body::Team { .. } => "Team",
            Body::Playbook { .. } => "Playbook",
            Body::SodRule { .. } => "SodRule",
        };
        let _ = writeln!(out, "kind: {kind}\nid: {}", id.render());
        if let Some(owner) = owner {
            let _ = writeln!(out, "owner: {}", owner.render());
        }
        match body {
            Body::Application {
                permissions,
                criticality,
            } => {
                let _ = writeln!(
                    out,
                    "criticality: {}",
                    pick(&["low", "medium", "high", "critical"], *criticality)
                );
                out.push_str("permissions:\n");
                for permission in permissions {
                    let _ = writeln!(
                        out,
                        "  - id: {}\n    privileged: {}",
                        permission.id.render(),
                        permission.privileged
                    );
                }
            }
            Body::Role {
                inherits,
                permissions,
                privileged,
                department,
                max_grant_days,
                review,
            } => {
                let _ = writeln!(out, "inherits: {}", list(inherits.iter().map(Text::render)));
                let _ = writeln!(
                    out,
                    "permissions: {}",
                    list(permissions.iter().map(Reference::render))
                );
                let _ = writeln!(out, "privileged: {privileged}");
                if let Some(department) = department {
                    let _ = writeln!(out, "department: {}", department.render());
                }
                if let Some(days) = max_grant_days {
                    let _ = writeln!(out, "max_grant_days: {days}");
                }
                if let Some((every, last, reviewer)) = review {
                    out.push_str("review:\n");
                    if let Some(every) = every {
                        let _ = writeln!(out, "  every_days: {every}");
                    }
                    if let Some(last) = last {
                        let _ = writeln!(out, "  last_reviewed: {}", last.render());
                    }
                    if let Some(reviewer) = reviewer {
                        let _ = writeln!(out, "  reviewer: {}", reviewer.render());
                    }
                }
            }
            Body::Identity {
                kind,
                status,
                terminated_on,
                department,
                manager,
                grants,
                credentials,
            } => {
                let _ = writeln!(out, "type: {}", pick(&["human", "service", "agent"], *kind));
                let _ = writeln!(
                    out,
                    "status: {}",
                    pick(&["active", "suspended", "terminated"], *status)
                );
                if let Some(day) = terminated_on {
                    let _ = writeln!(out, "terminated_on: {}", day.render());
                }
                if let Some(department) = department {
                    let _ = writeln!(out, "department: {}", department.render());
                }
                if let Some(manager) = manager {
                    let _ = writeln!(out, "manager: {}", manager.render());
                }
                out.push_str("grants:\n");
                for grant in grants {
                    let field = match grant.target {
                        Reference::Permission(..) => "permission",
                        _ => "role",
                    };
                    let _ = writeln!(out, "  - {field}: {}", grant.target.render());
                    let days = [
                        ("granted", &grant.granted),
                        ("expires", &grant.expires),
                        ("revoked", &grant.revoked),
                    ];
                    for (key, day) in days {
                        if let Some(day) = day {
                            let _ = writeln!(out, "    {key}: {}", day.render());
                        }
                    }
                    if let Some(approver) = &grant.approved_by {
                        let _ = writeln!(out, "    approved_by: {}", approver.render());
                    }
                    if let Some(via) = &grant.via {
                        let _ = writeln!(out, "    via: {}", via.render());
                    }
                }
                out.push_str("credentials:\n");
                for (id, kind, created, rotated) in credentials {
                    let kind = pick(
                        &[
                            "api_key",
                            "password",
                            "certificate",
                            "oauth_token",
                            "ssh_key",
                        ],
                        *kind,
                    );
                    let _ = writeln!(
                        out,
                        "  - id: {}\n    type: {kind}\n    created: {}",
                        id.render(),
                        created.render()
                    );
                    if let Some(rotated) = rotated {
                        let _ = writeln!(out, "    last_rotated: {}", rotated.render());
                    }
                }
            }
            Body::Team { members } => {
                let _ = writeln!(out, "members: {}", list(members.iter().map(Text::render)));
            }
            Body::Playbook { trigger, steps } => {
                let _ = writeln!(
                    out,
                    "trigger: {}",
                    pick(
                        &["joiner", "mover", "leaver", "request", "schedule"],
                        *trigger
                    )
                );
                out.push_str("steps:\n");
                for step in steps {
                    let action = pick(
                        &[
                            "approve",
                            "require_mfa",
                            "grant",
                            "revoke",
                            "revoke_all",
                            "disable_identity",
                            "transfer_ownership",
                            "rotate_credentials",
                            "notify",
                        ],
                        step.action,
                    );
                    let _ = writeln!(out, "  - id: {}\n    action: {action}", step.id.render());
                    if let Some(role) = &step.role {
                        let _ = writeln!(out, "    role: {}", role.render());
                    }
                    if !step.approvers.is_empty() {
                        let _ = writeln!(
                            out,
                            "    approvers: {}",
                            list(step.approvers.iter().map(Text::render))
                        );
                    }
                    if let Some(after) = &step.after {
                        let _ =
                            writeln!(out, "    after: {}", list(after.iter().map(Text::render)));
                    }
                    if let Some(days) = step.expires_after_days {
                        let _ = writeln!(out, "    expires_after_days: {days}");
                    }
                }
            }
            Body::SodRule { sides } => {
                out.push_str("sides:\n");
                for side in sides {
                    let _ = writeln!(out, "  - {}", list(side.iter().map(Reference::render)));
                }
            }
        }
        if !suppress.is_empty() {
            out.push_str("suppress:\n");
            for suppression in suppress {
                let rule = codes
                    .get(suppression.rule as usize % codes.len().max(1))
                    .copied()
                    .unwrap_or("overlap/empty-role");
                let _ = writeln!(
                    out,
                    "  - rule: {rule}\n    reason: fuzz\n    until: {}",
                    suppression.until.render()
                );
            }
        }
        if let Some((key, value)) = extra {
            let _ = writeln!(out, "{}: {}", key.render(), value.render());
        }
        out
    }
}

#[derive(Arbitrary, Debug)]
enum ConfigInput {
    Defaults {
        max_grant_days: Option<u16>,
        near_duplicate_threshold: Option<u8>,
        peer_outlier_ratio: Option<u8>,
        peer_group_min_size: Option<u8>,
        levels: Vec<(u8, u8)>,
    },
    Raw(String),
}

impl ConfigInput {
    fn render(&self, codes: &[&str]) -> String {
        match self {
            ConfigInput::Raw(text) => text.clone(),
            ConfigInput::Defaults {
                max_grant_days,
                near_duplicate_threshold,
                peer_outlier_ratio,
                peer_group_min_size,
                levels,
            } => {
                let mut out = String::from("defaults:\n");
                if let Some(days) = max_grant_days {
                    let _ = writeln!(out, "  max_grant_days: {days}");
                }
                if let Some(percent) = near_duplicate_threshold {
                    let _ = writeln!(
                        out,
                        "  near_duplicate_threshold: {}",
                        f64::from(*percent % 101) / 100.0
                    );
                }
                if let Some(percent) = peer_outlier_ratio {
                    let _ = writeln!(
                        out,
                        "  peer_outlier_ratio: {}",
                        f64::from(*percent % 101) / 100.0
                    );
                }
                if let Some(size) = peer_group_min_size {
                    let _ = writeln!(out, "  peer_group_min_size: {size}");
                }
                if !levels.is_empty() && !codes.is_empty() {
                    out.push_str("rules:\n");
                    for (code, level) in levels {
                        let _ = writeln!(
                            out,
                            "  {}: {}",
                            codes[*code as usize % codes.len()],
                            pick(&["error", "warning", "info", "off"], *level)
                        );
                    }
                }
                out
            }
        }
    }
}

#[derive(Arbitrary, Debug)]
struct Input {
    config: Option<ConfigInput>,
    /// Days after 2025-06-01.
    now: u16,
    files: Vec<Vec<Document>>,
    color: bool,
    width: u8,
}

fuzz_target!(|input: Input| {
    let codes = rolelint::rules::codes();
    let config = input.config.as_ref().map(|config| config.render(&codes));
    let texts: Vec<(String, String)> = input
        .files
        .iter()
        .take(4)
        .enumerate()
        .map(|(index, documents)| {
            let text = documents
                .iter()
                .take(12)
                .map(|document| document.render(&codes))
                .collect::<Vec<_>>()
                .join("---\n");
            (format!("access/file-{index}.yaml"), text)
        })
        .collect();
    let files: Vec<(&str, &str)> = texts
        .iter()
        .map(|(path, text)| (path.as_str(), text.as_str()))
        .collect();
    let options = LoadOptions {
        rule_codes: codes.clone(),
        ..LoadOptions::default()
    };
    let Ok(catalogue) = load_memory(&files, config.as_deref(), &options) else {
        // An invalid rolelint.yaml stops the run with an error: fine.
        return;
    };
    let Some(now) =
        Date::from_ymd(2025, 6, 1).map(|day| day.plus_days(i64::from(input.now % 1200)))
    else {
        return;
    };
    let outcome = rolelint::analyse(&catalogue, now);
    let report = Report::of(&catalogue, &outcome, now);

    let rendered = json::render(&report);
    let document: serde_json::Value = match serde_json::from_str(&rendered) {
        Ok(document) => document,
        Err(error) => panic!("JSON output does not parse: {error}\n{rendered}"),
    };
    let listed = document["findings"].as_array().map(Vec::len);
    assert_eq!(listed, Some(outcome.findings.len()), "JSON findings");

    let rendered = sarif::render(&report);
    if let Err(error) = serde_json::from_str::<serde_json::Value>(&rendered) {
        panic!("SARIF output does not parse: {error}\n{rendered}");
    }

    let rendered = github::render(&report);
    assert!(
        !rendered.contains('\r'),
        "raw CR in GitHub output: {rendered:?}"
    );
    for line in rendered.lines() {
        assert!(
            line.starts_with("::"),
            "GitHub line is not a command: {line:?}"
        );
    }

    let plain = human::Style {
        color: false,
        width: usize::from(input.width).max(20),
    };
    let rendered = human::render(&report, plain);
    assert!(
        !rendered.contains(['\u{1b}', '\r', '\u{9b}']),
        "control character in human output: {rendered:?}"
    );
    let coloured = human::Style {
        color: input.color,
        width: 100,
    };
    let _ = human::render(&report, coloured);
    let _ = human::summary(&report);

    let _ = markdown::render(&report, None);
    let _ = markdown::render(&report, Some("https://example.com/blob/main"));
});
