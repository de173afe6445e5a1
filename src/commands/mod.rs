//! The command line: one module per subcommand. This is the only layer that
//! uses `anyhow`; problems in users' files are findings, not errors.

pub mod check;
pub mod diff;
pub mod explain;
pub mod graph_picture;
pub mod rules;
pub mod schema;
pub mod stats;
pub mod who_can;

use std::io::Write;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Exit code: no finding at or above `--fail-on`.
pub const EXIT_OK: u8 = 0;
/// Exit code: findings at or above `--fail-on`.
pub const EXIT_FINDINGS: u8 = 1;
/// Exit code: rolelint could not do its job.
pub const EXIT_ERROR: u8 = 2;

#[derive(Debug, Parser)]
#[command(
    name = "rolelint",
    version,
    about = "Lint identity-and-access catalogues: roles, identities, grants and provisioning playbooks",
    long_about = None,
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Load, analyse and report findings.
    Check(check::CheckArgs),
    /// Compare two Git revisions (HEAD default: the work tree): findings
    /// introduced and resolved, and every change of effective access.
    Diff(diff::DiffArgs),
    /// List every rule.
    Rules(rules::RulesArgs),
    /// Show one rule's documentation, with a failing and a passing example.
    Rule(rules::RuleArgs),
    /// Print the JSON Schemas of the catalogue format.
    Schema(schema::SchemaArgs),
    /// Why an identity (or, with --role, a role) has its permissions: every path.
    Explain(explain::ExplainArgs),
    /// Every identity that holds a permission, how, and since when.
    WhoCan(who_can::WhoCanArgs),
    /// Draw the role inheritance and grant graph as Graphviz DOT or Mermaid.
    Graph(graph_picture::GraphArgs),
    /// The governance posture in numbers: entitlement quality, revocation
    /// timeliness, review accuracy.
    Stats(stats::StatsArgs),
}

/// Parses the command line and runs the command. Returns the exit code.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            // Help and version are not errors; clap's usage errors exit 2.
            let _ = error.print();
            return ExitCode::from(if error.use_stderr() {
                EXIT_ERROR
            } else {
                EXIT_OK
            });
        }
    };
    let result = match cli.command {
        Command::Check(args) => check::run(args),
        Command::Diff(args) => diff::run(args),
        Command::Rules(args) => rules::run_list(args),
        Command::Rule(args) => rules::run_one(args),
        Command::Schema(args) => schema::run(args),
        Command::Explain(args) => explain::run(args),
        Command::WhoCan(args) => who_can::run(args),
        Command::Graph(args) => graph_picture::run(args),
        Command::Stats(args) => stats::run(args),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(error) => {
            // Errors may quote the catalogue (paths, keys, policy source lines).
            let message = crate::report::inert_lines(&format!("rolelint: error: {error:#}"));
            let _ = writeln!(std::io::stderr(), "{message}");
            ExitCode::from(EXIT_ERROR)
        }
    }
}

/// Writes to stdout; a closed pipe (`rolelint check | head`) is not an error.
pub fn print(text: &str) -> anyhow::Result<()> {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}

/// Hands a large value to the end of the process instead of freeing it:
/// the operating system reclaims the memory at once, where dropping a
/// catalogue frees millions of allocations one by one (a tenth of a second
/// per 100,000 identities). Only for values a command is done with just
/// before it exits.
pub(crate) fn leave_to_exit<T>(value: T) {
    std::mem::forget(value);
}
