//! `rolelint stats [PATH]`: the catalogue's governance posture in numbers
//! (entitlement quality, revocation timeliness, review accuracy), overall,
//! per department and per application.

use clap::{Args, ValueEnum};

use super::graph_picture::{CatalogueLocation, load_catalogue};
use super::{EXIT_OK, print};
use crate::graph::Graph;
use crate::rules;
use crate::stats;

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum StatsFormat {
    /// Aligned text for a terminal.
    Human,
    /// A stable document for trending over commits (docs/graph-and-stats.md).
    Json,
    /// GitHub-flavoured Markdown tables, e.g. for a pull-request comment.
    Markdown,
}

#[derive(Debug, Args)]
pub struct StatsArgs {
    #[command(flatten)]
    pub location: CatalogueLocation,
    /// Output format.
    #[arg(long, value_enum, default_value_t = StatsFormat::Human)]
    pub format: StatsFormat,
}

pub fn run(args: StatsArgs) -> anyhow::Result<u8> {
    let (catalogue, now) = load_catalogue(&args.location)?;
    let graph = Graph::build(&catalogue, now);
    // Metrics that count findings count what `check` reports from the
    // built-in rules: after configuration and suppressions.
    let outcome = rules::engine::run(&graph);
    let stats = stats::compute(&graph, &outcome.findings);
    let text = match args.format {
        StatsFormat::Human => stats.render_human(),
        StatsFormat::Json => stats.to_json()?,
        StatsFormat::Markdown => stats.render_markdown(),
    };
    print(&text)?;
    Ok(EXIT_OK)
}
