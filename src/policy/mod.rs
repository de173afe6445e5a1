//! Custom policies in Rego (RULES.md, *policy*; docs/policies.md).
//!
//! `rolelint.yaml` `policies:` globs name `.rego` files. They are compiled
//! together into one regorus engine (so packages may span files and import
//! helper packages), then every package that declares `deny` or `warn` is
//! evaluated over the input of [`input::build`]. Each element of those sets
//! becomes a finding of rule `policy/<package path>` at severity error or
//! warning, which the rule engine then configures and suppresses like the
//! findings of built-in rules.
//!
//! regorus is built without its network, file-system, time, regex, glob and
//! runtime builtins, so a policy cannot reach outside its input. A wall-clock
//! limit per package stops a runaway policy, and the two builtins whose
//! memory grows with an argument (`numbers.range`, `numbers.range_step`) are
//! replaced by bounded versions. `rand.intn` is refused: results must not
//! change between runs.

mod files;
pub mod input;
mod value;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::num::NonZeroU32;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use regorus::Value;
use regorus::utils::limits::ExecutionTimerConfig;

use crate::diagnostic::{Diagnostic, Severity};
use crate::graph::Graph;
use crate::load::Catalogue;
use crate::model::{CatalogueObject, Id, Kind, RuleLevel, Spanned};
use crate::report::neutralise_controls;

/// The prefix of every policy rule code.
pub const CODE_PREFIX: &str = "policy/";

/// The environment variable that sets the time limit, in seconds.
pub const TIME_LIMIT_ENV: &str = "ROLELINT_POLICY_TIME_LIMIT";

/// How long one package's `deny` and `warn` may run together by default.
pub const DEFAULT_TIME_LIMIT: Duration = Duration::from_secs(60);

/// The most elements `numbers.range` and `numbers.range_step` may produce.
pub const MAX_RANGE: u64 = 1_000_000;

/// Work units between two reads of the clock: cheap, and still checked
/// thousands of times a second.
const TIMER_CHECK_INTERVAL: u32 = 256;

/// Elements of `deny` and `warn` may have these keys.
const ELEMENT_KEYS: &[&str] = &["msg", "kind", "id", "detail", "help"];

/// The shape an element must have, for error messages.
const ELEMENT_SHAPE: &str =
    r#"{"msg": string, "kind": string, "id": string} (optional "detail", "help"), or a string"#;

/// A policy file: its path relative to the catalogue root, and its text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicySource {
    pub path: String,
    pub text: String,
}

/// Bounds on evaluation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Wall-clock time one package's `deny` and `warn` may take together.
    pub time_limit: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            time_limit: DEFAULT_TIME_LIMIT,
        }
    }
}

impl Limits {
    /// The defaults, with the time limit from `ROLELINT_POLICY_TIME_LIMIT`
    /// (seconds, e.g. `120` or `2.5`) when it is set.
    pub fn from_env() -> Result<Limits, PolicyError> {
        match std::env::var(TIME_LIMIT_ENV) {
            Err(std::env::VarError::NotPresent) => Ok(Limits::default()),
            Err(std::env::VarError::NotUnicode(value)) => Err(PolicyError::BadTimeLimit {
                value: value.to_string_lossy().into_owned(),
            }),
            Ok(value) => Limits::parse_time_limit(&value),
        }
    }

    /// Parses a time limit in seconds.
    pub fn parse_time_limit(text: &str) -> Result<Limits, PolicyError> {
        let bad = || PolicyError::BadTimeLimit {
            value: text.to_owned(),
        };
        let seconds: f64 = text.trim().parse().map_err(|_| bad())?;
        let time_limit = Duration::try_from_secs_f64(seconds).map_err(|_| bad())?;
        if time_limit.is_zero() {
            return Err(bad());
        }
        Ok(Limits { time_limit })
    }
}

/// A place in a policy file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicyLocation {
    pub path: String,
    pub line: u32,
    pub column: u32,
}

impl fmt::Display for PolicyLocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.path, self.line, self.column)
    }
}

/// Why policies could not be loaded or evaluated: rolelint cannot do its job
/// (exit code 2). Every message names the policy file and line where known.
#[derive(Debug, thiserror::Error)]
pub enum PolicyError {
    #[error("invalid policy glob `{glob}` in rolelint.yaml: {reason}")]
    Glob { glob: String, reason: String },
    #[error("policy glob `{glob}` in rolelint.yaml matches no .rego file under the catalogue root")]
    NoMatch { glob: String },
    #[error(
        "policy file `{path}` is a symbolic link to something outside the catalogue root; not read"
    )]
    Outside { path: String },
    #[error("cannot read policy file `{path}`")]
    Read {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "`policies` in rolelint.yaml needs a catalogue on disk, but this one was loaded from memory"
    )]
    NoRoot,
    #[error("{location}: Rego syntax error: {message}{snippet}")]
    Syntax {
        location: PolicyLocation,
        message: String,
        snippet: String,
    },
    #[error("{location}: Rego error in `{code}`: {message}{snippet}{hint}")]
    Evaluation {
        code: &'static str,
        location: PolicyLocation,
        message: String,
        snippet: String,
        hint: String,
    },
    #[error(
        "{location}: `{code}` was stopped after {limit:?}, its time limit; a policy that compares every object with every other (each identity with each role) takes quadratic time: look objects up by id in an object built once instead. Set {TIME_LIMIT_ENV}=SECONDS to change the limit."
    )]
    TimeLimit {
        code: &'static str,
        location: PolicyLocation,
        limit: Duration,
    },
    #[error(
        "{location}: `{rule}` of `{code}` produced a malformed element: {problem}\n  element: {element}\n  expected: {ELEMENT_SHAPE}"
    )]
    Malformed {
        code: &'static str,
        location: PolicyLocation,
        rule: &'static str,
        element: String,
        problem: String,
    },
    #[error("{TIME_LIMIT_ENV}=`{value}` is not a positive number of seconds")]
    BadTimeLimit { value: String },
    #[error("internal error while building the policy input: {0}")]
    Input(String),
    #[error("{path}: `{code}` cannot be evaluated: {message}")]
    Engine {
        code: String,
        path: String,
        message: String,
    },
}

/// Rule codes live as long as the process: one leaked string per distinct
/// package name, however many times catalogues are analysed.
fn intern(code: String) -> &'static str {
    static CODES: Mutex<BTreeSet<&'static str>> = Mutex::new(BTreeSet::new());
    let mut codes = CODES.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(known) = codes.get(code.as_str()) {
        return known;
    }
    let leaked: &'static str = Box::leak(code.into_boxed_str());
    codes.insert(leaked);
    leaked
}

/// Where a `deny` or `warn` rule of a package is first defined.
#[derive(Clone, Debug)]
struct RuleSite {
    name: &'static str,
    severity: Severity,
    location: PolicyLocation,
}

/// One Rego package: the unit that becomes a rule code.
#[derive(Clone, Debug)]
struct Package {
    code: &'static str,
    /// `data.a.b` (components that are not identifiers are quoted).
    path: String,
    /// The file that declares the package first.
    file: String,
    rules: Vec<RuleSite>,
}

/// Compiled policies, ready to evaluate.
pub struct PolicySet {
    engine: regorus::Engine,
    packages: Vec<Package>,
}

/// What evaluating the policies produced, for the rule engine.
#[derive(Debug, Default)]
pub struct Evaluation {
    /// The codes of the packages evaluated (not `off`), so that suppressions
    /// of them can be judged unused.
    pub codes: Vec<&'static str>,
    /// Findings at the severity of their set (`deny` error, `warn` warning),
    /// before configuration and suppressions.
    pub findings: Vec<Diagnostic>,
    /// Time spent in each package.
    pub timings: Vec<(&'static str, Duration)>,
}

/// Parts of a regorus error message: `\n--> file:line:col\n<snippet>\nerror: text`.
struct RegoMessage {
    location: Option<PolicyLocation>,
    snippet: String,
    message: String,
}

fn parse_rego_message(text: &str) -> RegoMessage {
    let lines: Vec<&str> = text.lines().collect();
    let arrow = lines.iter().position(|line| line.starts_with("--> "));
    let location = arrow.and_then(|index| {
        let place = lines[index].strip_prefix("--> ")?;
        let (rest, column) = place.rsplit_once(':')?;
        let (path, line) = rest.rsplit_once(':')?;
        Some(PolicyLocation {
            path: path.to_owned(),
            line: line.trim().parse().ok()?,
            column: column.trim().parse().ok()?,
        })
    });
    let error_line = lines.iter().rposition(|line| line.starts_with("error: "));
    match (arrow, error_line, &location) {
        (Some(arrow), Some(error_line), Some(_)) if error_line > arrow => {
            let snippet: String = lines[arrow + 1..error_line]
                .iter()
                .map(|line| format!("\n{}", neutralise_controls(line)))
                .collect();
            let message = lines[error_line..].join("\n");
            let message = message.strip_prefix("error: ").unwrap_or(&message);
            RegoMessage {
                location,
                snippet,
                message: neutralise_controls(message.trim()),
            }
        }
        _ => RegoMessage {
            location: None,
            snippet: String::new(),
            message: neutralise_controls(text.trim()),
        },
    }
}

/// The name a rule's text defines: `deny` of `deny contains msg if {`.
fn head_name(text: &str) -> &str {
    let text = text.trim_start();
    let text = text
        .strip_prefix("default")
        .filter(|rest| rest.starts_with(char::is_whitespace))
        .map_or(text, str::trim_start);
    let end = text
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(text.len());
    &text[..end]
}

fn is_identifier(text: &str) -> bool {
    let mut chars = text.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// `data.a.b`, quoting components that are not identifiers.
fn rule_path(components: &[String]) -> String {
    let mut path = String::from("data");
    for component in components {
        if is_identifier(component) {
            path.push('.');
            path.push_str(component);
        } else {
            path.push('[');
            path.push_str(&serde_json::Value::from(component.as_str()).to_string());
            path.push(']');
        }
    }
    path
}

/// Why a builtin call was refused.
#[derive(Debug, thiserror::Error)]
enum BuiltinRefused {
    #[error("{0}: operands must be integers")]
    NotInteger(&'static str),
    #[error("{0}: the step must be a positive integer")]
    BadStep(&'static str),
    #[error(
        "{name}: the range would hold {count} numbers, more than rolelint's limit of {MAX_RANGE}"
    )]
    TooLarge { name: &'static str, count: u128 },
    #[error(
        "rand.intn is not available: rolelint's findings must be the same on every run (use the input instead)"
    )]
    Random,
}

/// `numbers.range(a, b)` and `numbers.range_step(a, b, step)`, bounded.
fn bounded_range(name: &'static str, args: &[Value]) -> Result<Value, BuiltinRefused> {
    let integer = |index: usize| {
        args.get(index)
            .and_then(|value| value.as_i64().ok())
            .ok_or(BuiltinRefused::NotInteger(name))
    };
    let (start, end) = (integer(0)?, integer(1)?);
    let step = if args.len() > 2 {
        match integer(2) {
            Ok(step) if step > 0 => step,
            _ => return Err(BuiltinRefused::BadStep(name)),
        }
    } else {
        1
    };
    let span = u128::from(start.abs_diff(end));
    let count = span / u128::from(step.unsigned_abs()) + 1;
    if count > u128::from(MAX_RANGE) {
        return Err(BuiltinRefused::TooLarge { name, count });
    }
    let step = if end < start { -step } else { step };
    let mut values = Vec::new();
    let mut current = start;
    for _ in 0..count {
        values.push(Value::from(current));
        current = current.saturating_add(step);
    }
    Ok(Value::from(values))
}

/// Installs rolelint's replacements of builtins (extensions are looked up
/// before builtins).
fn install_guards(engine: &mut regorus::Engine) -> Result<(), String> {
    engine
        .add_extension(
            "numbers.range".into(),
            2,
            Box::new(|args: Vec<Value>| bounded_range("numbers.range", &args).map_err(Into::into)),
        )
        .map_err(|error| error.to_string())?;
    engine
        .add_extension(
            "numbers.range_step".into(),
            3,
            Box::new(|args: Vec<Value>| {
                bounded_range("numbers.range_step", &args).map_err(Into::into)
            }),
        )
        .map_err(|error| error.to_string())?;
    engine
        .add_extension(
            "rand.intn".into(),
            2,
            Box::new(|_: Vec<Value>| Err(BuiltinRefused::Random.into())),
        )
        .map_err(|error| error.to_string())?;
    Ok(())
}

impl PolicySet {
    /// Compiles the policies that the catalogue's configuration names; an
    /// empty set when it names none.
    pub fn load(catalogue: &Catalogue) -> Result<PolicySet, PolicyError> {
        let globs = &catalogue.config.policies;
        if globs.is_empty() {
            return PolicySet::compile(Vec::new());
        }
        let root = catalogue.root.as_deref().ok_or(PolicyError::NoRoot)?;
        PolicySet::compile(files::read(root, globs)?)
    }

    /// Compiles policy texts (in the order given; paths are only names).
    pub fn compile(sources: Vec<PolicySource>) -> Result<PolicySet, PolicyError> {
        let mut engine = regorus::Engine::new();
        // `print` would otherwise write into the report on stdout.
        engine.set_gather_prints(true);
        install_guards(&mut engine).map_err(|message| PolicyError::Engine {
            code: String::new(),
            path: String::new(),
            message,
        })?;
        for source in sources {
            let path = source.path.clone();
            engine
                .add_policy(source.path, source.text)
                .map_err(|error| {
                    let parsed = parse_rego_message(&format!("{error:#}"));
                    PolicyError::Syntax {
                        location: parsed.location.unwrap_or(PolicyLocation {
                            path,
                            line: 1,
                            column: 1,
                        }),
                        message: parsed.message,
                        snippet: parsed.snippet,
                    }
                })?;
        }
        let components =
            engine
                .get_policy_package_components()
                .map_err(|error| PolicyError::Engine {
                    code: String::new(),
                    path: String::new(),
                    message: error.to_string(),
                })?;
        // Rule heads per module, in the same (load) order as `components`.
        let heads: Vec<Vec<(String, u32, u32)>> = engine
            .get_modules()
            .iter()
            .map(|module| {
                module
                    .policy
                    .iter()
                    .map(|rule| {
                        let span = rule.span();
                        (head_name(span.text()).to_owned(), span.line, span.col)
                    })
                    .collect()
            })
            .collect();

        let mut packages: BTreeMap<Vec<String>, Package> = BTreeMap::new();
        for (module, heads) in components.into_iter().zip(heads) {
            let package = packages
                .entry(module.components.clone())
                .or_insert_with(|| Package {
                    code: intern(format!("{CODE_PREFIX}{}", module.components.join("."))),
                    path: rule_path(&module.components),
                    file: module.source_file.clone(),
                    rules: Vec::new(),
                });
            for (name, line, column) in heads {
                let (name, severity) = match name.as_str() {
                    "deny" => ("deny", Severity::Error),
                    "warn" => ("warn", Severity::Warning),
                    _ => continue,
                };
                if package.rules.iter().all(|site| site.name != name) {
                    package.rules.push(RuleSite {
                        name,
                        severity,
                        location: PolicyLocation {
                            path: module.source_file.clone(),
                            line,
                            column,
                        },
                    });
                }
            }
        }
        let mut packages: Vec<Package> = packages.into_values().collect();
        for package in &mut packages {
            package.rules.sort_by_key(|site| site.name);
        }
        Ok(PolicySet { engine, packages })
    }

    /// Whether no package declares `deny` or `warn`.
    pub fn is_empty(&self) -> bool {
        self.packages.iter().all(|package| package.rules.is_empty())
    }

    /// The rule codes of the packages that declare `deny` or `warn`.
    pub fn codes(&self) -> Vec<&'static str> {
        self.packages
            .iter()
            .filter(|package| !package.rules.is_empty())
            .map(|package| package.code)
            .collect()
    }

    /// Evaluates every package that is not configured `off`.
    pub fn evaluate(&mut self, graph: &Graph, limits: &Limits) -> Result<Evaluation, PolicyError> {
        let config = &graph.catalogue.config;
        let packages: Vec<Package> = self
            .packages
            .iter()
            .filter(|package| {
                !package.rules.is_empty() && config.rules.get(package.code) != Some(&RuleLevel::Off)
            })
            .cloned()
            .collect();
        let mut evaluation = Evaluation::default();
        if packages.is_empty() {
            return Ok(evaluation);
        }
        self.engine.set_input(input::build(graph)?);
        for package in &packages {
            let started = Instant::now();
            for site in &package.rules {
                let remaining = limits.time_limit.saturating_sub(started.elapsed());
                let timeout = || PolicyError::TimeLimit {
                    code: package.code,
                    location: site.location.clone(),
                    limit: limits.time_limit,
                };
                if remaining.is_zero() {
                    return Err(timeout());
                }
                self.engine
                    .set_execution_timer_config(ExecutionTimerConfig {
                        limit: remaining,
                        check_interval: NonZeroU32::new(TIMER_CHECK_INTERVAL)
                            .unwrap_or(NonZeroU32::MIN),
                    });
                let value = self
                    .engine
                    .eval_rule(format!("{}.{}", package.path, site.name))
                    .map_err(|error| {
                        if error.downcast_ref::<regorus::LimitError>().is_some()
                            || error.to_string().contains("exceeded time limit")
                        {
                            return timeout();
                        }
                        evaluation_error(package, site, &format!("{error:#}"))
                    })?;
                elements(graph, package, site, &value, &mut evaluation.findings)?;
            }
            // What `print` gathered is not ours to show.
            let _ = self.engine.take_prints();
            evaluation.codes.push(package.code);
            evaluation.timings.push((package.code, started.elapsed()));
        }
        Ok(evaluation)
    }
}

fn evaluation_error(package: &Package, site: &RuleSite, text: &str) -> PolicyError {
    let parsed = parse_rego_message(text);
    let hint = if parsed.message.contains("could not find function") {
        "\n  help: rolelint evaluates Rego without network, file-system, time, regex, glob and runtime builtins (http.send, opa.runtime, time.now_ns, regex.match, ...); the input holds everything a policy may use (docs/policies.md)".to_owned()
    } else {
        String::new()
    };
    PolicyError::Evaluation {
        code: package.code,
        location: parsed.location.unwrap_or_else(|| site.location.clone()),
        message: parsed.message,
        snippet: parsed.snippet,
        hint,
    }
}

/// The object of a kind with an id, as stored in the catalogue.
fn object_id<'c>(graph: &Graph<'c>, kind: Kind, id: &str) -> Option<&'c Spanned<Id>> {
    fn lookup<T: CatalogueObject>(objects: &[T], index: Option<u32>) -> Option<&Spanned<Id>> {
        objects.get(index? as usize).map(CatalogueObject::id)
    }
    let catalogue = graph.catalogue;
    match kind {
        Kind::Application => lookup(&catalogue.applications, graph.applications.get(id)),
        Kind::Role => lookup(&catalogue.roles, graph.roles.get(id)),
        Kind::Identity => lookup(&catalogue.identities, graph.identities.get(id)),
        Kind::Team => lookup(&catalogue.teams, graph.teams.get(id)),
        Kind::Playbook => lookup(&catalogue.playbooks, graph.playbooks.get(id)),
        Kind::SodRule => lookup(&catalogue.sod_rules, graph.sod_rules.get(id)),
    }
}

/// An element as shown in error messages: JSON, cut short.
fn shown(value: &Value) -> String {
    const MAX: usize = 200;
    let text = neutralise_controls(&value.to_string());
    match text.char_indices().nth(MAX) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text,
    }
}

/// Turns the value of one `deny` or `warn` rule into findings.
fn elements(
    graph: &Graph,
    package: &Package,
    site: &RuleSite,
    value: &Value,
    findings: &mut Vec<Diagnostic>,
) -> Result<(), PolicyError> {
    let malformed = |element: &Value, problem: String| PolicyError::Malformed {
        code: package.code,
        location: site.location.clone(),
        rule: site.name,
        element: shown(element),
        problem,
    };
    let items: Vec<&Value> = match value {
        Value::Undefined => return Ok(()),
        Value::Set(set) => set.iter().collect(),
        Value::Array(array) => array.iter().collect(),
        other => {
            return Err(malformed(
                other,
                format!(
                    "`{}` must be a set of findings (write `{} contains {{\"msg\": ...}} if {{ ... }}`)",
                    site.name, site.name
                ),
            ));
        }
    };
    for item in items {
        let finding =
            element(graph, package, site, item).map_err(|problem| malformed(item, problem))?;
        findings.push(finding);
    }
    Ok(())
}

/// One element: `{"msg", "kind", "id"}` (optional `detail`, `help`) or a string.
fn element(
    graph: &Graph,
    package: &Package,
    site: &RuleSite,
    item: &Value,
) -> Result<Diagnostic, String> {
    let fields = match item {
        Value::String(message) if !message.trim().is_empty() => {
            return Ok(
                Diagnostic::new(package.code, site.severity, message.as_ref())
                    .help(default_help(package)),
            );
        }
        Value::String(_) => return Err("the message is empty".to_owned()),
        Value::Object(fields) => fields,
        _ => return Err("an element must be an object or a string".to_owned()),
    };
    let text_of = |name: &str| -> Result<Option<String>, String> {
        match fields.get(&Value::from(name)) {
            None => Ok(None),
            Some(Value::String(text)) => Ok(Some(text.as_ref().to_owned())),
            Some(other) => Err(format!("`{name}` must be a string, not {}", shown(other))),
        }
    };
    for key in fields.keys() {
        let known = key
            .as_string()
            .is_ok_and(|key| ELEMENT_KEYS.contains(&key.as_ref()));
        if !known {
            return Err(format!(
                "unknown key {}; the keys are {}",
                shown(key),
                ELEMENT_KEYS.join(", ")
            ));
        }
    }
    let message = text_of("msg")?.ok_or("`msg` is missing")?;
    if message.trim().is_empty() {
        return Err("`msg` is empty".to_owned());
    }
    let mut finding = Diagnostic::new(package.code, site.severity, message);
    match (text_of("kind")?, text_of("id")?) {
        (None, None) => {}
        (Some(_), None) => return Err("`kind` is given without `id`".to_owned()),
        (None, Some(_)) => return Err("`id` is given without `kind`".to_owned()),
        (Some(kind_text), Some(id_text)) => {
            let kind = Kind::ALL
                .iter()
                .copied()
                .find(|kind| kind.as_str().eq_ignore_ascii_case(&kind_text))
                .ok_or_else(|| {
                    format!(
                        "unknown kind `{}`; the kinds are {}",
                        neutralise_controls(&kind_text),
                        Kind::KEYWORDS.join(", ")
                    )
                })?;
            let id = object_id(graph, kind, &id_text).ok_or_else(|| {
                format!(
                    "there is no {kind} `{}` in the input",
                    neutralise_controls(&id_text)
                )
            })?;
            finding = finding.on(kind, &id.value).at(id.span);
        }
    }
    if let Some(detail) = text_of("detail")? {
        finding = finding.detail(detail);
    }
    finding = finding.help(text_of("help")?.unwrap_or_else(|| default_help(package)));
    Ok(finding)
}

fn default_help(package: &Package) -> String {
    format!("custom policy: see `{}`", package.file)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regorus_messages_are_split_into_place_snippet_and_text() {
        let parsed = parse_rego_message(
            "\n--> policies/a:b.rego:4:7\n  |\n4 |   msg := \n  |       ^\nerror: expecting `}`",
        );
        assert_eq!(
            parsed.location,
            Some(PolicyLocation {
                path: "policies/a:b.rego".into(),
                line: 4,
                column: 7
            })
        );
        assert_eq!(parsed.message, "expecting `}`");
        assert_eq!(parsed.snippet, "\n  |\n4 |   msg := \n  |       ^");
        let plain = parse_rego_message("not a valid rule path");
        assert_eq!(plain.location, None);
        assert_eq!(plain.message, "not a valid rule path");
    }

    #[test]
    fn rule_heads_and_paths() {
        assert_eq!(head_name("deny contains msg if {"), "deny");
        assert_eq!(head_name("default warn := set()"), "warn");
        assert_eq!(head_name("deny_all := true"), "deny_all");
        assert_eq!(head_name("defaults := 1"), "defaults");
        assert_eq!(
            rule_path(&["rolelint".into(), "a.b".into()]),
            r#"data.rolelint["a.b"]"#
        );
        assert_eq!(rule_path(&["x1".into(), "_y".into()]), "data.x1._y");
    }

    #[test]
    fn ranges_are_bounded_and_follow_opa() {
        let range = |args: &[i64]| {
            let args: Vec<Value> = args.iter().map(|n| Value::from(*n)).collect();
            let name = if args.len() == 2 {
                "numbers.range"
            } else {
                "numbers.range_step"
            };
            bounded_range(name, &args).map(|value| value.to_string())
        };
        assert_eq!(range(&[1, 3]).unwrap(), "[1,2,3]");
        assert_eq!(range(&[3, 1]).unwrap(), "[3,2,1]");
        assert_eq!(range(&[0, 10, 4]).unwrap(), "[0,4,8]");
        assert_eq!(range(&[10, 0, 5]).unwrap(), "[10,5,0]");
        assert!(matches!(
            range(&[0, 10, 0]),
            Err(BuiltinRefused::BadStep(_))
        ));
        assert!(matches!(
            range(&[i64::MIN, i64::MAX]),
            Err(BuiltinRefused::TooLarge { .. })
        ));
        assert!(range(&[1, MAX_RANGE as i64]).is_ok());
        assert!(range(&[0, MAX_RANGE as i64]).is_err());
    }

    #[test]
    fn time_limits_parse_as_positive_seconds() {
        assert_eq!(
            Limits::parse_time_limit("2.5").unwrap().time_limit,
            Duration::from_millis(2500)
        );
        for bad in ["0", "-1", "soon", "NaN", "inf", ""] {
            assert!(Limits::parse_time_limit(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn codes_are_interned_once() {
        let first = intern("policy/test.interned".to_owned());
        let second = intern("policy/test.interned".to_owned());
        assert!(std::ptr::eq(first, second));
    }
}
