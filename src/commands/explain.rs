//! `rolelint explain IDENTITY [PERMISSION]` and `rolelint explain --role
//! ROLE [PERMISSION]`: why an identity or a role has its permissions.
//!
//! The computation is [`crate::evaluate`]; this module loads the catalogue
//! and renders the answer. It also holds what `who-can` shares with it: the
//! catalogue options and the human rendering of grants and paths.

use std::fmt::Write as _;
use std::path::PathBuf;

use anyhow::Context as _;
use clap::{Args, ValueEnum};
use serde::Serialize;

use super::check::{describe_load_error, evaluation_date};
use super::{EXIT_OK, print};
use crate::evaluate::{
    self, ApplicationView, GrantStatus, GrantView, IdentityExplanation, IdentityView, NearRole,
    PathView, PermissionView, RoleExplanation,
};
use crate::graph::Graph;
use crate::load::{self, Catalogue, LoadOptions};
use crate::model::Date;
use crate::report::neutralise_controls;

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum QueryFormat {
    /// Text for people.
    Human,
    /// A stable JSON document (docs/evaluator.md).
    Json,
}

/// Where the catalogue is, and how to answer: shared by `explain` and `who-can`.
#[derive(Debug, Args)]
pub struct CatalogueArgs {
    /// Where to start looking for the catalogue (as `check [PATH]`).
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub path: PathBuf,
    /// Configuration file (default: rolelint.yaml found upward from --path).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Evaluation date, YYYY-MM-DD (default: today, UTC): which grants are active.
    #[arg(long, value_name = "DATE")]
    pub now: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = QueryFormat::Human)]
    pub format: QueryFormat,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The identity id (with --role: the role id).
    #[arg(value_name = "ID")]
    pub id: String,
    /// Only this permission (`app:perm`), or any of an application's (`app:*`).
    pub permission: Option<String>,
    /// Explain a role instead of an identity.
    #[arg(long)]
    pub role: bool,
    #[command(flatten)]
    pub catalogue: CatalogueArgs,
}

/// Loads the catalogue for a query. Problems in catalogue files do not stop
/// a query, but the documents that have them are left out, so say so.
pub(super) fn load_catalogue(args: &CatalogueArgs) -> anyhow::Result<(Catalogue, Date)> {
    let now = evaluation_date(args.now.as_deref())?;
    // Absolute, so the upward search for rolelint.yaml can leave a relative
    // start such as the default `.` (whose `parent()` is empty).
    let start = std::path::absolute(&args.path)
        .with_context(|| format!("cannot resolve --path `{}`", args.path.display()))?;
    let options = LoadOptions {
        start,
        config: args.config.clone(),
        rule_codes: crate::rules::codes(),
        limits: crate::load::yaml::YamlLimits::from_env()?,
        ..LoadOptions::default()
    };
    let catalogue = load::load(&options).map_err(describe_load_error)?;
    if !catalogue.findings.is_empty() {
        eprintln!(
            "rolelint: note: {} schema problem(s) in catalogue files; the documents with them are left out of this answer (`rolelint check` lists them)",
            catalogue.findings.len()
        );
    }
    Ok((catalogue, now))
}

/// `{"version": 1, "tool": …, "now": …, …}` around a query's answer.
#[derive(Serialize)]
struct Envelope<'a, T: Serialize> {
    version: u32,
    tool: Tool,
    now: String,
    #[serde(flatten)]
    answer: &'a T,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

/// The answer as pretty JSON with a trailing newline; catalogue text is
/// escaped by serde.
pub(super) fn render_json<T: Serialize>(now: Date, answer: &T) -> anyhow::Result<String> {
    let envelope = Envelope {
        version: 1,
        tool: Tool {
            name: "rolelint",
            version: env!("CARGO_PKG_VERSION"),
        },
        now: now.to_string(),
        answer,
    };
    let mut text = serde_json::to_string_pretty(&envelope)?;
    text.push('\n');
    Ok(text)
}

pub fn run(args: ExplainArgs) -> anyhow::Result<u8> {
    let (catalogue, now) = load_catalogue(&args.catalogue)?;
    let graph = Graph::build(&catalogue, now);
    let query = match &args.permission {
        Some(text) => Some((text.as_str(), evaluate::resolve_permission(&graph, text)?)),
        None => None,
    };
    let text = if args.role {
        let role = evaluate::find_role(&graph, &args.id)?;
        let explanation = evaluate::explain_role(&graph, role, query);
        match args.catalogue.format {
            QueryFormat::Json => render_json(now, &explanation)?,
            QueryFormat::Human => render_role(&explanation, now),
        }
    } else {
        let identity = evaluate::find_identity(&graph, &args.id)?;
        let explanation = evaluate::explain_identity(&graph, identity, query);
        match args.catalogue.format {
            QueryFormat::Json => render_json(now, &explanation)?,
            QueryFormat::Human => render_identity(&explanation, now),
        }
    };
    print(&text)?;
    Ok(EXIT_OK)
}

/// Catalogue text on one line of a terminal: controls neutralised, and no
/// line breaks, so a value cannot fake a line of output.
pub(super) fn one_line(text: &str) -> String {
    neutralise_controls(text).replace(['\n', '\t'], " ")
}

fn plural(count: usize, one: &str, many: &str) -> String {
    format!("{count} {}", if count == 1 { one } else { many })
}

/// `ravi.shah (Ravi Shah), human, active`.
pub(super) fn identity_heading(identity: &IdentityView) -> String {
    let mut text = one_line(&identity.id);
    if let Some(name) = &identity.name {
        let _ = write!(text, " ({})", one_line(name));
    }
    let _ = write!(text, ", {}, {}", identity.kind, identity.status);
    text
}

/// `#4 role payments-admin: granted …, temporary until …, approved by …,
/// ticket …, at file:line`, and the justification on a line of its own.
pub(super) fn grant_lines(grant: &GrantView, indent: &str, label: &str) -> String {
    let target = match (&grant.role, &grant.permission) {
        (Some(role), _) => format!("role {}", one_line(role)),
        (None, Some(permission)) => format!("permission {}", one_line(permission)),
        (None, None) => "nothing".to_owned(),
    };
    let mut facts = Vec::new();
    match grant.status {
        GrantStatus::Active => {}
        GrantStatus::Expired => facts.push(format!(
            "EXPIRED on {}, never revoked: not counted",
            grant.expires.map(|d| d.to_string()).unwrap_or_default()
        )),
        GrantStatus::Revoked => facts.push(format!(
            "revoked{}: inactive",
            grant
                .revoked
                .map(|d| format!(" on {d}"))
                .unwrap_or_default()
        )),
    }
    if !grant.resolved {
        facts.push(match grant.role {
            Some(_) => "unknown role: grants nothing".to_owned(),
            None => "unknown permission: grants nothing".to_owned(),
        });
    }
    if let Some(granted) = grant.granted {
        facts.push(format!("granted {granted}"));
    }
    if let (Some(expires), GrantStatus::Active) = (grant.expires, grant.status) {
        facts.push(format!("temporary until {expires}"));
    }
    if let Some(approver) = &grant.approved_by {
        facts.push(format!("approved by {}", one_line(approver)));
    }
    if let Some(ticket) = &grant.ticket {
        facts.push(format!("ticket {}", one_line(ticket)));
    }
    if let Some(via) = &grant.via {
        facts.push(format!("via {}", one_line(via)));
    }
    facts.push(format!(
        "at {}:{}",
        one_line(&grant.location.path),
        grant.location.line
    ));
    let mut text = format!(
        "{indent}{label}#{} {target}: {}\n",
        grant.number,
        facts.join(", ")
    );
    if let Some(justification) = &grant.justification {
        let _ = writeln!(
            text,
            "{indent}    justification: {}",
            one_line(justification)
        );
    }
    text
}

/// `#4 payments-admin → payments-operator → stripe:charges.read [markers]`.
pub(super) fn path_line(
    path: &PathView,
    permission: &PermissionView,
    grants: &[GrantView],
    mark_privileged: bool,
) -> String {
    let mut text = String::new();
    if let Some(number) = path.grant {
        let _ = write!(text, "#{number} ");
        if path.roles.is_empty() {
            text.push_str("direct grant → ");
        }
    }
    for role in &path.roles {
        let _ = write!(text, "{} → ", one_line(role));
    }
    text.push_str(&one_line(&permission.permission));
    if path.entry != permission.permission {
        let _ = write!(text, " (via {})", one_line(&path.entry));
    }
    if mark_privileged && permission.privileged {
        text.push_str("  [privileged]");
    }
    let grant = path
        .grant
        .and_then(|number| grants.iter().find(|grant| grant.number == number));
    match (path.active, grant) {
        (Some(false), Some(grant)) => {
            let expires = grant.expires.map(|d| d.to_string()).unwrap_or_default();
            let _ = write!(text, "  [EXPIRED {expires}, never revoked: not counted]");
        }
        (Some(true), Some(grant)) => {
            if let Some(expires) = grant.expires {
                let _ = write!(text, "  [temporary until {expires}]");
            }
        }
        _ => {}
    }
    text
}

/// Permissions grouped by application, each with its paths.
fn applications_block(applications: &[ApplicationView], grants: &[GrantView]) -> String {
    let mut text = String::new();
    for application in applications {
        let _ = writeln!(text, "{}", one_line(&application.application));
        for permission in &application.permissions {
            let mut marks = Vec::new();
            if permission.privileged {
                marks.push("privileged".to_owned());
            }
            if !permission.held {
                marks.push("not held: only through an expired grant".to_owned());
            }
            let marks = if marks.is_empty() {
                String::new()
            } else {
                format!("  [{}]", marks.join("; "))
            };
            let _ = writeln!(text, "  {}{marks}", one_line(&permission.permission));
            for path in &permission.paths {
                let _ = writeln!(text, "    {}", path_line(path, permission, grants, false));
            }
            if permission.truncated {
                let _ = writeln!(
                    text,
                    "    … more paths; the {} shortest per grant or role are shown",
                    crate::graph::MAX_PATHS
                );
            }
        }
    }
    text
}

fn nearest_block(nearest: &[NearRole], whose: &str) -> String {
    if nearest.is_empty() {
        return "no role grants it; only a direct permission grant could\n".to_owned();
    }
    let mut text = format!("roles that would grant it, fewest new permissions for {whose} first\n");
    let width = nearest
        .iter()
        .map(|role| one_line(&role.role).chars().count())
        .max()
        .unwrap_or(0);
    for role in nearest {
        let _ = writeln!(
            text,
            "  {:width$}  adds {} ({} in all){}: {}",
            one_line(&role.role),
            plural(role.adds, "permission", "permissions"),
            role.permissions,
            if role.privileged { ", privileged" } else { "" },
            role.path
                .iter()
                .map(|id| one_line(id))
                .collect::<Vec<_>>()
                .join(" → "),
        );
    }
    text
}

/// Whether the query asks about a whole application (`app:*`).
fn is_wildcard(query: &str) -> bool {
    query.ends_with(":*")
}

fn render_identity(explanation: &IdentityExplanation, now: Date) -> String {
    let counts = &explanation.counts;
    let mut text = identity_heading(&explanation.identity);
    match &explanation.query {
        None => {
            let _ = write!(
                text,
                ": {} in {}, {} privileged",
                plural(counts.held, "permission", "permissions"),
                plural(counts.applications, "application", "applications"),
                counts.privileged
            );
            if counts.expired_only > 0 {
                let _ = write!(
                    text,
                    "; {} more only through unrevoked expired grants, not counted",
                    counts.expired_only
                );
            }
        }
        Some(query) if counts.held > 0 => {
            let paths: usize = explanation
                .applications
                .iter()
                .flat_map(|app| &app.permissions)
                .filter(|permission| permission.held)
                .map(|permission| {
                    permission
                        .paths
                        .iter()
                        .filter(|p| p.active == Some(true))
                        .count()
                })
                .sum();
            if is_wildcard(query) {
                let _ = write!(
                    text,
                    ": has {} of {}",
                    plural(counts.held, "permission", "permissions"),
                    one_line(query)
                );
            } else {
                let _ = write!(
                    text,
                    ": has {} through {}",
                    one_line(query),
                    plural(paths, "path", "paths")
                );
            }
        }
        Some(query) if is_wildcard(query) => {
            let _ = write!(text, ": has no permission of {}", one_line(query));
            if counts.expired_only > 0 {
                text.push_str(" (only through unrevoked expired grants, not counted)");
            }
        }
        Some(query) => {
            let _ = write!(text, ": does not have {}", one_line(query));
            if counts.expired_only > 0 {
                text.push_str(" (only through an unrevoked expired grant, not counted)");
            }
        }
    }
    let _ = writeln!(text, " (on {now})");
    if !explanation.grants.is_empty() {
        text.push_str("\ngrants\n");
        for grant in &explanation.grants {
            text.push_str(&grant_lines(grant, "  ", ""));
        }
    }
    if !explanation.applications.is_empty() {
        text.push('\n');
        text.push_str(&applications_block(
            &explanation.applications,
            &explanation.grants,
        ));
    }
    if let Some(query) = &explanation.query
        && counts.held == 0
        && !is_wildcard(query)
    {
        text.push('\n');
        text.push_str(&nearest_block(
            &explanation.nearest_roles,
            &one_line(&explanation.identity.id),
        ));
    }
    text
}

fn render_role(explanation: &RoleExplanation, now: Date) -> String {
    let role = &explanation.role;
    let counts = &explanation.counts;
    let mut text = format!("role {}", one_line(&role.id));
    if let Some(name) = &role.name {
        let _ = write!(text, " ({})", one_line(name));
    }
    let tier = match (role.declared_privileged, role.effectively_privileged) {
        (true, true) => Some("privileged"),
        (true, false) => Some("declared privileged, but no permission is marked privileged"),
        (false, true) => Some("effectively privileged, not declared"),
        (false, false) => None,
    };
    let mut traits: Vec<&str> = tier.into_iter().collect();
    if role.requires_mfa {
        traits.push("requires MFA");
    }
    if role.on_cycle {
        traits.push("on an inheritance cycle");
    }
    if !traits.is_empty() {
        let _ = write!(text, ", {}", traits.join(", "));
    }
    let _ = writeln!(text, " (on {now})");
    if !role.inherits.is_empty() {
        let inherits: Vec<String> = role.inherits.iter().map(|id| one_line(id)).collect();
        let _ = writeln!(text, "inherits {}", inherits.join(", "));
    }
    let holders = &explanation.holders;
    let _ = writeln!(
        text,
        "held by {} ({} granted it, {} through a role that inherits it)",
        plural(holders.total, "identity", "identities"),
        holders.direct,
        holders.total - holders.direct
    );
    match &explanation.query {
        None => {
            let _ = writeln!(
                text,
                "{} in {}, {} privileged",
                plural(counts.held, "permission", "permissions"),
                plural(counts.applications, "application", "applications"),
                counts.privileged
            );
        }
        Some(query) if counts.held > 0 => {
            let _ = writeln!(text, "grants {}", one_line(query));
        }
        Some(query) => {
            let _ = writeln!(text, "does not grant {}", one_line(query));
        }
    }
    if !explanation.applications.is_empty() {
        text.push('\n');
        text.push_str(&applications_block(&explanation.applications, &[]));
    }
    if let Some(query) = &explanation.query
        && counts.held == 0
        && !is_wildcard(query)
    {
        text.push('\n');
        text.push_str(&nearest_block(
            &explanation.nearest_roles,
            &one_line(&role.id),
        ));
    }
    text
}
