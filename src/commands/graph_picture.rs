//! `rolelint graph [PATH]`: the role inheritance and grant graph as Graphviz
//! DOT or Mermaid source (named `graph_picture` so as not to be confused
//! with [`crate::graph`], the resolved catalogue it draws).

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::check::{describe_load_error, evaluation_date};
use super::{EXIT_OK, print};
use crate::graph::Graph;
use crate::load::{self, Catalogue, LoadOptions};
use crate::model::Date;
use crate::picture::{self, DEFAULT_DEPTH};
use crate::rules;

/// Where the catalogue is and when it is evaluated: as `rolelint check`.
#[derive(Debug, Args)]
pub struct CatalogueLocation {
    /// Where to start looking for the catalogue (default: the current directory).
    pub path: Option<PathBuf>,
    /// Configuration file (default: rolelint.yaml found upward from PATH).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Evaluation date, YYYY-MM-DD (default: today, UTC).
    #[arg(long, value_name = "DATE")]
    pub now: Option<String>,
}

/// Loads the catalogue. Documents with schema problems are left out of the
/// analysis, as in `check`; a note on stderr says so, since neither the
/// picture nor the statistics show them.
pub(super) fn load_catalogue(location: &CatalogueLocation) -> anyhow::Result<(Catalogue, Date)> {
    let now = evaluation_date(location.now.as_deref())?;
    let options = LoadOptions {
        start: location.path.clone().unwrap_or_else(|| PathBuf::from(".")),
        config: location.config.clone(),
        rule_codes: rules::codes(),
        limits: crate::load::yaml::YamlLimits::from_env()?,
        ..LoadOptions::default()
    };
    let catalogue = load::load(&options).map_err(describe_load_error)?;
    if !catalogue.findings.is_empty() {
        eprintln!(
            "rolelint: note: {} schema problem(s) in catalogue files; the documents with them are left out (`rolelint check` lists them)",
            catalogue.findings.len()
        );
    }
    Ok((catalogue, now))
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum PictureFormat {
    /// Graphviz DOT: `rolelint graph | dot -Tsvg > roles.svg`.
    Dot,
    /// A Mermaid flowchart, for a ```mermaid block in Markdown.
    Mermaid,
}

#[derive(Debug, Args)]
pub struct GraphArgs {
    #[command(flatten)]
    pub location: CatalogueLocation,
    /// Output format.
    #[arg(long, value_enum, default_value_t = PictureFormat::Dot)]
    pub format: PictureFormat,
    /// Draw only what is connected to this role or identity (write `role:ID`
    /// or `identity:ID` when both kinds have the id).
    #[arg(long, value_name = "ID")]
    pub focus: Option<String>,
    /// With --focus: how many hops (inheritance or grant) from the focus to keep.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_DEPTH, requires = "focus")]
    pub depth: u32,
    /// Draw identities and their grants (a focused picture always shows the
    /// identities it reaches).
    #[arg(long)]
    pub identities: bool,
    /// Draw each permission, grouped by application, instead of one edge per
    /// role and application labelled with a count.
    #[arg(long)]
    pub permissions: bool,
}

pub fn run(args: GraphArgs) -> anyhow::Result<u8> {
    let (catalogue, now) = load_catalogue(&args.location)?;
    let graph = Graph::build(&catalogue, now);
    let options = picture::Options {
        focus: args.focus,
        depth: args.depth,
        identities: args.identities,
        permissions: args.permissions,
    };
    picture::check_focus(&graph, &options)?;
    // Objects with findings are marked: the built-in rules, as `check` runs them.
    let outcome = rules::engine::run(&graph);
    let picture = picture::build(&graph, &outcome.findings, &options)?;
    let text = match args.format {
        PictureFormat::Dot => picture::render_dot(&picture),
        PictureFormat::Mermaid => picture::render_mermaid(&picture),
    };
    print(&text)?;
    Ok(EXIT_OK)
}
