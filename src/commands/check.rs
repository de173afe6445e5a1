//! `rolelint check [PATH]`: load, analyse, report.

use std::io::{IsTerminal, Write as _};
use std::path::PathBuf;

use anyhow::Context as _;
use clap::{Args, ValueEnum};

use super::{EXIT_FINDINGS, EXIT_OK, print};
use crate::baseline::{self, Baseline};
use crate::diagnostic::{Diagnostic, Severity};
use crate::load::{LoadError, LoadOptions};
use crate::model::Date;
use crate::report::{self, Report, human};
use crate::rules;

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// miette reports with source snippets.
    Human,
    /// The stable JSON document of CLI.md.
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
    Sarif,
    /// GitHub Actions workflow commands: one annotation per finding.
    Github,
    /// A summary for a pull-request comment.
    Markdown,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Info,
    Never,
}

impl FailOn {
    /// Whether a finding of this severity makes the run fail.
    pub fn fails(self, severity: Severity) -> bool {
        match self {
            FailOn::Error => severity >= Severity::Error,
            FailOn::Warning => severity >= Severity::Warning,
            FailOn::Info => true,
            FailOn::Never => false,
        }
    }
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Where to start looking for the catalogue (default: the current directory).
    pub path: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Evaluation date, YYYY-MM-DD (default: today, UTC).
    #[arg(long, value_name = "DATE")]
    pub now: Option<String>,
    /// Exit 1 when a finding at or above this severity remains.
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    pub fail_on: FailOn,
    /// Configuration file (default: rolelint.yaml found upward from PATH).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Check the catalogue as committed at this Git revision (anything
    /// `git rev-parse` accepts), read from Git objects, not the work tree.
    #[arg(long, value_name = "REV")]
    pub rev: Option<String>,
    /// Report only findings that this baseline file does not record.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Record every current finding in this baseline file, then report only
    /// findings not in the --baseline (nothing, without --baseline).
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,
}

/// Parses `--now`, defaulting to today in UTC.
pub fn evaluation_date(now: Option<&str>) -> anyhow::Result<Date> {
    match now {
        Some(text) => Date::parse(text).context("invalid --now"),
        None => Ok(Date::today_utc()),
    }
}

/// The exit code for findings under `--fail-on`.
pub fn exit_code(findings: &[Diagnostic], fail_on: FailOn) -> u8 {
    if findings
        .iter()
        .any(|finding| fail_on.fails(finding.severity))
    {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}

/// Renders the problems of an invalid configuration, which stop the run.
pub fn describe_load_error(error: LoadError) -> anyhow::Error {
    match error {
        LoadError::ConfigInvalid {
            path,
            text,
            problems,
        } => {
            let mut message = format!("configuration `{}` is invalid:", path.display());
            for problem in problems {
                let line = text
                    .lines()
                    .nth(problem.span.line.saturating_sub(1) as usize)
                    .unwrap_or("");
                message.push_str(&format!(
                    "\n  line {}, column {}: {}\n    | {}",
                    problem.span.line,
                    problem.span.column,
                    problem.message,
                    report::neutralise_controls(line)
                ));
                if let Some(help) = problem.help {
                    message.push_str(&format!("\n    help: {help}"));
                }
            }
            anyhow::anyhow!(message)
        }
        other => anyhow::Error::new(other),
    }
}

pub fn run(args: CheckArgs) -> anyhow::Result<u8> {
    let now = evaluation_date(args.now.as_deref())?;
    // Read before the analysis, to fail fast, and before anything is written,
    // so `--baseline F --write-baseline F` compares with F as it was.
    let accepted = match &args.baseline {
        Some(path) => Some((path.as_path(), Baseline::read(path)?)),
        None => None,
    };
    let options = LoadOptions {
        start: args.path.clone().unwrap_or_else(|| PathBuf::from(".")),
        config: args.config.clone(),
        rule_codes: rules::codes(),
        ..LoadOptions::default()
    };
    let (catalogue, mut outcome) =
        super::diff::load_and_analyse(&options, args.rev.as_deref(), now)?;
    let (findings, baselined) = baseline::apply(
        std::mem::take(&mut outcome.findings),
        accepted,
        args.write_baseline.as_deref(),
        now,
    )?;
    outcome.findings = findings;
    let report = Report {
        findings: &outcome.findings,
        sources: &catalogue.sources,
        now,
        files: catalogue.sources.len(),
        objects: catalogue.object_count(),
        suppressed: outcome.suppressed,
    };
    let text = match args.format {
        Format::Json => report::json::render(&report),
        Format::Sarif => report::sarif::render(&report),
        Format::Github => report::github::render(&report),
        Format::Markdown => {
            let link_base = std::env::var(report::markdown::LINK_BASE_VAR).ok();
            report::markdown::render(
                &report,
                link_base.as_deref().filter(|base| !base.is_empty()),
            )
        }
        Format::Human => {
            let stdout = std::io::stdout();
            let style = human::Style {
                color: stdout.is_terminal() && std::env::var_os("NO_COLOR").is_none(),
                width: terminal_width(),
            };
            human::render(&report, style)
        }
    };
    print(&text)?;
    if let Some(baselined) = baselined {
        let human = args.format == Format::Human;
        if human {
            print(&baselined.summary_line())?;
        }
        let _ = std::io::stderr().write_all(baselined.notes(!human).as_bytes());
    }
    Ok(exit_code(&outcome.findings, args.fail_on))
}

fn terminal_width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|columns| columns.parse().ok())
        .unwrap_or(100)
}
