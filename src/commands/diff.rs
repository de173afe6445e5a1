//! `rolelint diff BASE [HEAD]`: compare the catalogue at two Git revisions
//! (HEAD default: the work tree): the findings introduced and resolved, and
//! every change of effective access. Also the loader `check --rev` uses.

use std::io::{IsTerminal, Write as _};
use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};

use super::check::{FailOn, describe_load_error, evaluation_date};
use super::{EXIT_FINDINGS, EXIT_OK, leave_to_exit, print};
use crate::baseline::{Applied, Baseline};
use crate::diagnostic::Diagnostic;
use crate::diff::{self as compare, DiffReport, Side, SideLabel};
use crate::graph::Graph;
use crate::load::git::{self, GitError};
use crate::load::{self, Catalogue, LoadOptions, ParsedBlobs, Sharing};
use crate::model::Date;
use crate::policy::{Limits, PolicySet, PolicySource};
use crate::report::{diff_human, diff_json, diff_markdown, human};
use crate::rules::{self, engine::Outcome};

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    /// The access changes, then the findings introduced (with source snippets) and resolved.
    Human,
    /// A stable JSON document with every change and every path.
    Json,
    /// A pull-request comment.
    Markdown,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The revision to compare from: anything `git rev-parse` accepts (a branch, a tag, `HEAD~1`, a commit id).
    pub base: String,
    /// The revision to compare to (default: the work tree).
    pub head: Option<String>,
    /// Where to start looking for the catalogue, as `check [PATH]` (default:
    /// the current directory).
    #[arg(long, value_name = "DIR")]
    pub path: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = DiffFormat::Human)]
    pub format: DiffFormat,
    /// Evaluation date for both sides, YYYY-MM-DD (default: today, UTC).
    #[arg(long, value_name = "DATE")]
    pub now: Option<String>,
    /// Exit 1 when an introduced finding is at or above this severity.
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    pub fail_on: FailOn,
    /// Configuration file for both sides, read from the file system
    /// (default: rolelint.yaml of each side, found upward from --path).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Leave out (and do not fail on) introduced findings that this baseline
    /// file records.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Record every finding of HEAD in this baseline file; without
    /// --baseline, introduced findings are then compared with it.
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,
}

/// One loaded catalogue, from the work tree or a revision.
pub struct Loaded {
    pub catalogue: Catalogue,
    /// The revision as given and the object it names; `None` for the work tree.
    pub revision: Option<(String, String)>,
    /// Policies read from the revision; for the work tree they are read from
    /// the catalogue root when compiled.
    policies: Option<Vec<PolicySource>>,
}

impl Loaded {
    pub fn label(&self) -> SideLabel<'_> {
        SideLabel {
            revision: self
                .revision
                .as_ref()
                .map(|(revision, _)| revision.as_str()),
            object: self.revision.as_ref().map(|(_, object)| object.as_str()),
        }
    }

    fn policies(&self) -> anyhow::Result<PolicySet> {
        Ok(match &self.policies {
            Some(sources) => PolicySet::compile(sources.clone())?,
            None => PolicySet::load(&self.catalogue)?,
        })
    }

    /// Resolves the catalogue and runs every rule and custom policy on it,
    /// as `check` does.
    pub fn analyse(&self, now: Date) -> anyhow::Result<(Graph<'_>, Outcome)> {
        let mut policies = self.policies()?;
        let graph = Graph::build(&self.catalogue, now);
        let evaluation = policies.evaluate(&graph, &Limits::from_env()?)?;
        let mut outcome = rules::engine::run_with(&graph, &evaluation.codes, evaluation.findings);
        outcome.timings.extend(evaluation.timings);
        Ok((graph, outcome))
    }
}

/// `--write-baseline` records every finding of HEAD; `--baseline` (or, alone,
/// the baseline just written) then removes the introduced findings it
/// records. Resolved findings are all kept: fixing a baselined finding is
/// still news. Stale entries are `check`'s business, so none are listed.
fn apply_baseline<'a>(
    diff: &mut compare::CatalogueDiff<'a>,
    head_findings: &[Diagnostic],
    accepted: Option<(PathBuf, Baseline)>,
    write: Option<&Path>,
    now: Date,
) -> anyhow::Result<Option<Applied>> {
    let written = match write {
        Some(path) => {
            let baseline = Baseline::of_findings(head_findings);
            baseline.write(path, now)?;
            Some((path.to_path_buf(), baseline))
        }
        None => None,
    };
    let written_summary = written
        .as_ref()
        .map(|(path, baseline)| (path.clone(), baseline.len()));
    let Some((compared_with, baseline)) = accepted.or(written) else {
        return Ok(None);
    };
    let filtered = baseline.filter(std::mem::take(&mut diff.findings.introduced));
    diff.findings.introduced = filtered.findings;
    Ok(Some(Applied {
        compared_with,
        written: written_summary,
        baselined: filtered.baselined,
        stale: Vec::new(),
    }))
}

fn describe_git_error(error: GitError) -> anyhow::Error {
    match error {
        GitError::Load(error) => describe_load_error(error),
        other => anyhow::Error::new(other),
    }
}

/// Loads the catalogue from the work tree, or from `revision` when given.
pub fn load_side(options: &LoadOptions, revision: Option<&str>) -> anyhow::Result<Loaded> {
    load_side_sharing(options, revision, Sharing::Off)
}

/// [`load_side`], lending or borrowing parsed files ([`load::ParsedBlobs`]).
fn load_side_sharing(
    options: &LoadOptions,
    revision: Option<&str>,
    sharing: Sharing<'_>,
) -> anyhow::Result<Loaded> {
    match revision {
        None => Ok(Loaded {
            catalogue: load::load_sharing(options, sharing).map_err(describe_load_error)?,
            revision: None,
            policies: None,
        }),
        Some(revision) => {
            let loaded = git::load_revision_sharing(options, revision, sharing)
                .map_err(describe_git_error)?;
            Ok(Loaded {
                catalogue: loaded.catalogue,
                revision: Some((revision.to_owned(), loaded.object)),
                policies: Some(loaded.policies),
            })
        }
    }
}

/// `check`'s load and analysis, from the work tree or `--rev`. The graph is
/// left to the end of the process (`check` exits after rendering).
pub(crate) fn load_and_analyse(
    options: &LoadOptions,
    revision: Option<&str>,
    now: Date,
) -> anyhow::Result<(Catalogue, Outcome)> {
    let loaded = load_side(options, revision)?;
    let (graph, outcome) = loaded.analyse(now)?;
    leave_to_exit(graph);
    Ok((loaded.catalogue, outcome))
}

pub fn run(args: DiffArgs) -> anyhow::Result<u8> {
    let now = evaluation_date(args.now.as_deref())?;
    // Read first, as `check` does: fail fast, and compare with the file as it
    // was when it is also the one written.
    let accepted = match &args.baseline {
        Some(path) => Some((path.clone(), Baseline::read(path)?)),
        None => None,
    };
    let options = LoadOptions {
        start: args.path.clone().unwrap_or_else(|| PathBuf::from(".")),
        config: args.config.clone(),
        rule_codes: rules::codes(),
        limits: crate::load::yaml::YamlLimits::from_env()?,
        ..LoadOptions::default()
    };
    // The head's files that the base holds too are not parsed again.
    let mut parsed = ParsedBlobs::default();
    let base = load_side_sharing(&options, Some(&args.base), Sharing::Lend(&mut parsed))?;
    let head = load_side_sharing(&options, args.head.as_deref(), Sharing::Borrow(&parsed))?;
    drop(parsed);
    let (base_graph, base_outcome) = base.analyse(now)?;
    let (head_graph, head_outcome) = head.analyse(now)?;
    let mut diff = compare::diff(
        Side {
            graph: &base_graph,
            findings: &base_outcome.findings,
        },
        Side {
            graph: &head_graph,
            findings: &head_outcome.findings,
        },
    );
    let baselined = apply_baseline(
        &mut diff,
        &head_outcome.findings,
        accepted,
        args.write_baseline.as_deref(),
        now,
    )?;
    let report = DiffReport {
        base: base.label(),
        head: head.label(),
        base_sources: &base.catalogue.sources,
        head_sources: &head.catalogue.sources,
        now,
        diff: &diff,
    };
    let text = match args.format {
        DiffFormat::Json => diff_json::render(&report),
        DiffFormat::Markdown => diff_markdown::render(&report),
        DiffFormat::Human => {
            let style = human::Style {
                color: std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
                width: std::env::var("COLUMNS")
                    .ok()
                    .and_then(|columns| columns.parse().ok())
                    .unwrap_or(100),
            };
            diff_human::render(&report, style)
        }
    };
    print(&text)?;
    if let Some(baselined) = baselined {
        if args.format == DiffFormat::Human {
            print(&baselined.summary_line())?;
        }
        let notes = baselined.notes(args.format != DiffFormat::Human);
        let _ = std::io::stderr().write_all(notes.as_bytes());
    }
    let fails = diff
        .findings
        .introduced
        .iter()
        .any(|finding| args.fail_on.fails(finding.severity));
    leave_to_exit(diff);
    leave_to_exit((base_graph, base_outcome, head_graph, head_outcome));
    leave_to_exit((base, head));
    Ok(if fails { EXIT_FINDINGS } else { EXIT_OK })
}
