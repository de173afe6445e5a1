//! `rolelint check [PATH]`: load, analyse, report.

use std::io::{IsTerminal, Write as _};
use std::path::PathBuf;

use anyhow::Context as _;
use clap::{Args, ValueEnum};

use super::{EXIT_FINDINGS, EXIT_OK, print};
use crate::baseline::{self, Baseline};
use crate::diagnostic::{Diagnostic, Severity};
use crate::load::Catalogue;
use crate::load::cache::CacheSettings;
use crate::load::{LoadError, LoadOptions};
use crate::model::Date;
use crate::report::{self, Report, human};
use crate::rules::{self, engine::Outcome};
use crate::timings;

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
    /// List at most N findings, the most severe first, in the human,
    /// github and markdown formats (default: 1000; github: 50); 0 lists
    /// all. JSON and SARIF always list all; the exit code counts all.
    #[arg(long, value_name = "N")]
    pub max_findings: Option<usize>,
    /// Keep parsed files in the on-disk cache, even in CI (default: on,
    /// off when the CI variable is set); see docs/cache.md.
    #[arg(long, overrides_with = "no_cache")]
    pub cache: bool,
    /// Do not read or write the cache.
    #[arg(long, overrides_with = "cache")]
    pub no_cache: bool,
    /// Where the cache lives (default: .git/rolelint/ of the repository,
    /// else the user cache directory; also ROLELINT_CACHE_DIR).
    #[arg(long, value_name = "DIR")]
    pub cache_dir: Option<PathBuf>,
    /// Print the time of each phase, and counts, to stderr after the run
    /// (docs/performance.md).
    #[arg(long)]
    pub timings: bool,
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
                // Lines as the parser counts them (a lone CR ends one too).
                let line = crate::lines::split_inclusive(&text)
                    .nth(problem.span.line.saturating_sub(1) as usize)
                    .map_or("", crate::lines::body);
                message.push_str(&format!(
                    "\n  line {}, column {}: {}\n    | {}",
                    problem.span.line,
                    problem.span.column,
                    report::one_line(&problem.message),
                    report::one_line(line)
                ));
                if let Some(help) = problem.help {
                    message.push_str(&format!("\n    help: {}", report::one_line(&help)));
                }
            }
            anyhow::anyhow!(message)
        }
        other => anyhow::Error::new(other),
    }
}

pub fn run(args: CheckArgs) -> anyhow::Result<u8> {
    let started = std::time::Instant::now();
    if args.timings {
        timings::enable();
    }
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
        cache: CacheSettings::from_command_line(
            (args.cache || args.no_cache).then_some(args.cache),
            args.cache_dir.clone(),
        ),
        limits: crate::load::yaml::YamlLimits::from_env()?,
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
    let rendering = timings::start(timings::Phase::Render);
    let report = Report::of(&catalogue, &outcome, now);
    let text = match args.format {
        // The formats that can be long are streamed, not built whole.
        Format::Json => {
            print_streamed(|out| report::json::write(&report, out))?;
            String::new()
        }
        Format::Sarif => {
            print_streamed(|out| report::sarif::write(&report, out))?;
            String::new()
        }
        Format::Github => report::github::render_limited(
            &report,
            max_listed(args.max_findings, report::DEFAULT_MAX_ANNOTATIONS),
        ),
        Format::Markdown => {
            let link_base = std::env::var(report::markdown::LINK_BASE_VAR).ok();
            report::markdown::render_limited(
                &report,
                link_base.as_deref().filter(|base| !base.is_empty()),
                max_listed(args.max_findings, report::DEFAULT_MAX_LISTED),
            )
        }
        Format::Human => {
            let stdout = std::io::stdout();
            let style = human::Style {
                color: stdout.is_terminal() && std::env::var_os("NO_COLOR").is_none(),
                width: terminal_width(),
            };
            let limit = max_listed(args.max_findings, report::DEFAULT_MAX_LISTED);
            print_streamed(|out| human::write_limited(&report, style, limit, out))?;
            String::new()
        }
    };
    if !text.is_empty() {
        print(&text)?;
    }
    if let Some(baselined) = baselined {
        let human = args.format == Format::Human;
        if human {
            print(&baselined.summary_line())?;
        }
        // Stale entries quote the baseline file, which a pull request can edit.
        let notes = report::inert_lines(&baselined.notes(!human));
        let _ = std::io::stderr().write_all(notes.as_bytes());
    }
    drop(rendering);
    if args.timings {
        print_timings(&catalogue, &outcome, started.elapsed());
    }
    let code = exit_code(&outcome.findings, args.fail_on);
    super::leave_to_exit(catalogue);
    super::leave_to_exit(outcome);
    Ok(code)
}

/// `--timings`: the phases recorded during the run, to stderr.
fn print_timings(catalogue: &Catalogue, outcome: &Outcome, total: std::time::Duration) {
    let is_policy = |code: &str| rules::find(code).is_none();
    timings::add(
        timings::Phase::Policies,
        outcome
            .timings
            .iter()
            .filter(|(code, _)| is_policy(code))
            .map(|(_, took)| *took)
            .sum(),
    );
    timings::rule_times(&outcome.timings);
    let counts = timings::Counts {
        files: catalogue.sources.len(),
        objects: catalogue.object_count(),
        findings: outcome.findings.len(),
        suppressed: outcome.suppressed,
    };
    let text = timings::render(&timings::snapshot(), &counts, total, |code| {
        rules::find(code).map(|rule| rule.meta().category())
    });
    let _ = std::io::stderr().write_all(text.as_bytes());
    if let Some(cache) = &catalogue.cache {
        let line = format!(
            "  cache {}: {} files reused, {} read and parsed{}\n",
            cache.file.display(),
            cache.reused,
            cache.parsed,
            if cache.written { "; rewritten" } else { "" }
        );
        let _ = std::io::stderr().write_all(line.as_bytes());
    }
}

/// Writes to stdout through a buffer; a closed pipe (`| head`) is not an error.
fn print_streamed(
    write: impl FnOnce(&mut std::io::BufWriter<std::io::StdoutLock<'static>>) -> std::io::Result<()>,
) -> anyhow::Result<()> {
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    match write(&mut out).and_then(|()| out.flush()) {
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}

/// `--max-findings`: the format's default when not given, no limit for 0.
fn max_listed(option: Option<usize>, default: usize) -> Option<usize> {
    match option {
        Some(0) => None,
        Some(limit) => Some(limit),
        None => Some(default),
    }
}

fn terminal_width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|columns| columns.parse().ok())
        .unwrap_or(100)
}
