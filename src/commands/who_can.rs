//! `rolelint who-can PERMISSION`: every identity that holds a permission
//! (or any permission of an application, `app:*`), how, and since when.

use std::fmt::Write as _;

use clap::Args;

use super::explain::{
    CatalogueArgs, QueryFormat, grant_lines, identity_heading, load_catalogue, one_line, path_line,
    render_json,
};
use super::{EXIT_OK, print};
use crate::evaluate::{self, WhoCan};
use crate::graph::Graph;
use crate::model::Date;

#[derive(Debug, Args)]
pub struct WhoCanArgs {
    /// The permission (`app:perm`), or every permission of an application (`app:*`).
    pub permission: String,
    /// Also show identities reaching it through unrevoked expired grants
    /// (marked; they do not count as holding it).
    #[arg(long)]
    pub include_expired: bool,
    #[command(flatten)]
    pub catalogue: CatalogueArgs,
}

pub fn run(args: WhoCanArgs) -> anyhow::Result<u8> {
    let (catalogue, now) = load_catalogue(&args.catalogue)?;
    let graph = Graph::build(&catalogue, now);
    let range = evaluate::resolve_permission(&graph, &args.permission)?;
    let answer = evaluate::who_can(&graph, &args.permission, range, args.include_expired);
    let text = match args.catalogue.format {
        QueryFormat::Json => render_json(now, &answer)?,
        QueryFormat::Human => render_human(&answer, now),
    };
    print(&text)?;
    Ok(EXIT_OK)
}

fn render_human(answer: &WhoCan, now: Date) -> String {
    let wildcard = answer.query.ends_with(":*");
    let held = answer.holders.iter().filter(|holder| holder.held).count();
    let mut text = one_line(&answer.query);
    if answer.privileged {
        text.push_str(if wildcard {
            " (some privileged)"
        } else {
            " (privileged)"
        });
    }
    let _ = write!(
        text,
        ": {} {} {}",
        held,
        if held == 1 {
            "identity holds"
        } else {
            "identities hold"
        },
        if wildcard { "some of it" } else { "it" }
    );
    let expired_only = answer.holders.len() - held;
    if expired_only > 0 {
        let _ = write!(
            text,
            ", {expired_only} more only through unrevoked expired grants"
        );
    }
    let _ = writeln!(text, " (on {now})");

    for holder in &answer.holders {
        let mut heading = identity_heading(&holder.identity);
        if let Some(since) = holder.since {
            let _ = write!(heading, ", since {since}");
        }
        if !holder.held {
            heading.push_str("  [not held: only through an expired grant]");
        }
        let _ = writeln!(text, "\n{heading}");
        for permission in &holder.permissions {
            for path in &permission.paths {
                let _ = writeln!(
                    text,
                    "  {}",
                    path_line(path, permission, &holder.grants, wildcard)
                );
            }
        }
        for grant in &holder.grants {
            text.push_str(&grant_lines(grant, "  ", "grant "));
        }
    }

    if answer.roles.is_empty() {
        text.push_str("\nno role grants it\n");
    } else {
        text.push_str(if wildcard {
            "\nroles that reach any of it\n"
        } else {
            "\nroles that reach it\n"
        });
        let width = answer
            .roles
            .iter()
            .map(|role| one_line(&role.role).chars().count())
            .max()
            .unwrap_or(0);
        for role in &answer.roles {
            let _ = writeln!(
                text,
                "  {:width$}  {}{}",
                one_line(&role.role),
                if role.holders == 1 {
                    "1 holder".to_owned()
                } else {
                    format!("{} holders", role.holders)
                },
                if role.privileged { ", privileged" } else { "" }
            );
        }
    }
    text
}
