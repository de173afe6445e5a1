//! Running the rules: in parallel, then configuration (severity overrides,
//! `off`), suppressions, and a stable sort.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use rayon::prelude::*;
use rustc_hash::FxHashSet;

use super::{RULES, Rule, find};
use crate::diagnostic::{Diagnostic, ObjectRef, Severity};
use crate::graph::Graph;
use crate::model::{CatalogueObject, FileId, Id, Kind, RuleLevel, Suppression};
use crate::timings::{self, Phase};

/// The rule codes handled by the engine itself, after every other rule.
pub const SUPPRESSION_UNUSED: &str = "suppression/unused";

/// What a run of the rules produced.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Findings after configuration and suppressions, sorted by file, line,
    /// column and rule.
    pub findings: Vec<Diagnostic>,
    /// How many findings suppressions silenced.
    pub suppressed: usize,
    /// Time spent in each rule's check.
    pub timings: Vec<(&'static str, Duration)>,
}

/// The severity a rule runs at under the configuration, or `None` when off.
pub fn configured_severity(graph: &Graph, rule: &dyn Rule) -> Option<Severity> {
    let meta = rule.meta();
    configured_level(graph, meta.code, meta.severity)
}

/// The severity findings of `code` get under the configuration (their own
/// `default` when not configured), or `None` when off.
pub fn configured_level(graph: &Graph, code: &str, default: Severity) -> Option<Severity> {
    match graph.catalogue.config.rules.get(code) {
        None => Some(default),
        Some(RuleLevel::Off) => None,
        Some(RuleLevel::Error) => Some(Severity::Error),
        Some(RuleLevel::Warning) => Some(Severity::Warning),
        Some(RuleLevel::Info) => Some(Severity::Info),
    }
}

/// Every object's suppressions, with the object they are on.
pub fn suppressions<'c>(
    graph: &Graph<'c>,
) -> impl Iterator<Item = (Kind, &'c Id, &'c [Suppression])> + use<'c> {
    fn of<T: CatalogueObject>(objects: &[T]) -> impl Iterator<Item = (Kind, &Id, &[Suppression])> {
        objects
            .iter()
            .filter(|object| !object.suppressions().is_empty())
            .map(|object| (T::KIND, &object.id().value, object.suppressions()))
    }
    let catalogue = graph.catalogue;
    of(&catalogue.applications)
        .chain(of(&catalogue.roles))
        .chain(of(&catalogue.identities))
        .chain(of(&catalogue.teams))
        .chain(of(&catalogue.playbooks))
        .chain(of(&catalogue.sod_rules))
}

/// The stored id and suppressions of the object a finding names.
fn suppressions_of<'g>(
    graph: &'g Graph,
    object: &ObjectRef,
) -> Option<(&'g Id, &'g [Suppression])> {
    fn lookup<T: CatalogueObject>(
        objects: &[T],
        index: Option<u32>,
    ) -> Option<(&Id, &[Suppression])> {
        let object = objects.get(index? as usize)?;
        Some((&object.id().value, object.suppressions()))
    }
    let catalogue = graph.catalogue;
    let id = object.id.as_str();
    match object.kind {
        Kind::Application => lookup(&catalogue.applications, graph.applications.get(id)),
        Kind::Role => lookup(&catalogue.roles, graph.roles.get(id)),
        Kind::Identity => lookup(&catalogue.identities, graph.identities.get(id)),
        Kind::Team => lookup(&catalogue.teams, graph.teams.get(id)),
        Kind::Playbook => lookup(&catalogue.playbooks, graph.playbooks.get(id)),
        Kind::SodRule => lookup(&catalogue.sod_rules, graph.sod_rules.get(id)),
    }
}

/// Runs every enabled rule over the graph.
pub fn run(graph: &Graph) -> Outcome {
    run_with(graph, &[], Vec::new())
}

/// Runs every enabled rule, and takes `extra` findings of other rules (the
/// custom policies `extra_codes`, which ran) through the same configuration,
/// suppressions and unused-suppression check as the built-in ones.
pub fn run_with(graph: &Graph, extra_codes: &[&'static str], extra: Vec<Diagnostic>) -> Outcome {
    let enabled: Vec<(&dyn Rule, Severity)> = RULES
        .iter()
        .filter_map(|rule| configured_severity(graph, *rule).map(|severity| (*rule, severity)))
        .collect();
    let running = timings::start(Phase::Rules);
    let results: Vec<(Vec<Diagnostic>, Duration)> = enabled
        .par_iter()
        .map(|(rule, severity)| {
            let started = Instant::now();
            let mut out = Vec::new();
            rule.check(graph, &mut out);
            for finding in &mut out {
                finding.severity = *severity;
            }
            (out, started.elapsed())
        })
        .collect();
    drop(running);
    let _suppressing = timings::start(Phase::Suppressions);
    let mut outcome = Outcome::default();
    let total = results
        .iter()
        .map(|(findings, _)| findings.len())
        .sum::<usize>()
        + extra.len();
    outcome.findings.reserve(total);
    let mut found = Vec::with_capacity(results.len() + 1);
    for ((rule, _), (findings, elapsed)) in enabled.iter().zip(results) {
        outcome.timings.push((rule.meta().code, elapsed));
        found.push(findings);
    }
    found.push(
        extra
            .into_iter()
            .filter_map(|mut finding| {
                let severity = configured_level(graph, finding.rule, finding.severity)?;
                finding.severity = severity;
                Some(finding)
            })
            .collect(),
    );

    // Suppressions: a valid (unexpired) one on the object, or on the other
    // role of a pair, silences the finding. Suppression findings themselves
    // cannot be suppressed.
    let now = graph.now;
    let mut used: HashSet<(Kind, &Id, usize)> = HashSet::new();
    // The rules some valid suppression names: a finding of any other rule
    // needs no lookup of its objects.
    let suppressible: FxHashSet<&str> = suppressions(graph)
        .flat_map(|(_, _, list)| list)
        .filter(|suppression| suppression.until.value >= now)
        .map(|suppression| suppression.rule.value.as_str())
        .collect();
    // Each rule's findings go straight to the outcome (or are counted as
    // suppressed), in rule order: no intermediate copy of every finding.
    for finding in found.into_iter().flatten() {
        let silenced_by =
            if finding.rule.starts_with("suppression/") || !suppressible.contains(&finding.rule) {
                None
            } else {
                [finding.object.as_ref(), finding.partner.as_ref()]
                    .into_iter()
                    .flatten()
                    .find_map(|object| {
                        let (id, list) = suppressions_of(graph, object)?;
                        let index = list
                            .iter()
                            .position(|s| s.rule.value == finding.rule && s.until.value >= now)?;
                        Some((object.kind, id, index))
                    })
            };
        match silenced_by {
            Some(key) => {
                outcome.suppressed += 1;
                used.insert(key);
            }
            None => outcome.findings.push(finding),
        }
    }

    if let Some(unused) = find(SUPPRESSION_UNUSED)
        && let Some(severity) = configured_severity(graph, unused)
    {
        let enabled_codes: HashSet<&str> =
            enabled
                .iter()
                .map(|(rule, _)| rule.meta().code)
                .chain(extra_codes.iter().copied().filter(|code| {
                    graph.catalogue.config.rules.get(*code) != Some(&RuleLevel::Off)
                }))
                .collect();
        for (kind, id, list) in suppressions(graph) {
            for (index, suppression) in list.iter().enumerate() {
                let rule = suppression.rule.value.as_str();
                // An expired one is only `suppression/expired`; one for a rule
                // that is off or a custom policy that did not run cannot be
                // judged here.
                if suppression.until.value < now
                    || used.contains(&(kind, id, index))
                    || !enabled_codes.contains(rule)
                {
                    continue;
                }
                let mut finding = unused
                    .meta()
                    .finding(format!(
                        "suppression of `{rule}` on {kind} `{id}` silenced no finding"
                    ))
                    .on(kind, id)
                    .detail(rule)
                    .at(suppression.rule.span)
                    .help("remove the suppression: the problem it accepted is gone, or it is on the wrong object (a suppression silences findings on the object that carries it, or on either role of a pair)");
                finding.severity = severity;
                outcome.findings.push(finding);
            }
        }
    }

    sort(&mut outcome.findings);
    outcome
}

/// The stable order of findings: file (file ids follow path order), line,
/// column, rule, then message and detail; findings on no file last; equal
/// findings keep the order they came in.
pub fn sort(findings: &mut [Diagnostic]) {
    // Sorting the findings themselves moves each ~200-byte value many times;
    // sort small position keys (with the index as the final tie-break, which
    // makes the unstable sort stable) and move every finding once.
    let mut order: Vec<(u8, FileId, u32, u32, usize)> = findings
        .iter()
        .enumerate()
        .map(|(index, finding)| match finding.span {
            Some(span) => (0, span.file, span.line, span.column, index),
            None => (1, FileId::default(), 0, 0, index),
        })
        .collect();
    // The order is total (the index breaks ties), so sorting in parallel
    // gives the same order as sorting on one thread.
    let shared: &[Diagnostic] = findings;
    order.par_sort_unstable_by(|a, b| {
        let (first, second) = (&shared[a.4], &shared[b.4]);
        (a.0, a.1, a.2, a.3)
            .cmp(&(b.0, b.1, b.2, b.3))
            .then_with(|| first.rule.cmp(second.rule))
            .then_with(|| first.message.cmp(&second.message))
            .then_with(|| first.detail.cmp(&second.detail))
            .then_with(|| a.4.cmp(&b.4))
    });
    let mut source: Vec<usize> = order.into_iter().map(|key| key.4).collect();
    permute(findings, &mut source);
}

/// Rearranges `items` so that position `i` holds what was at `source[i]`,
/// one cycle of the permutation at a time; `source` is used up as the
/// record of positions already filled.
fn permute<T>(items: &mut [T], source: &mut [usize]) {
    for start in 0..items.len() {
        let mut position = start;
        loop {
            let from = source[position];
            source[position] = position;
            if from == start || from == position {
                break;
            }
            items.swap(position, from);
            position = from;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Span;

    fn finding(rule: &'static str, file: u32, line: u32, message: &str) -> Diagnostic {
        let finding = Diagnostic::new(rule, Severity::Warning, message);
        if file == u32::MAX {
            return finding;
        }
        finding.at(Span {
            file: FileId(file),
            offset: 0,
            len: 1,
            line,
            column: 1 + line % 3,
        })
    }

    /// The order `sort` promises, spelled out as a plain stable sort.
    fn reference_sort(findings: &mut [Diagnostic]) {
        findings.sort_by(|a, b| {
            let key = |d: &Diagnostic| {
                d.span
                    .map(|span| (0u8, span.file, span.line, span.column))
                    .unwrap_or((1, FileId::default(), 0, 0))
            };
            key(a)
                .cmp(&key(b))
                .then_with(|| a.rule.cmp(b.rule))
                .then_with(|| a.message.cmp(&b.message))
                .then_with(|| a.detail.cmp(&b.detail))
        });
    }

    #[test]
    fn sorts_like_a_stable_sort_on_the_documented_key() {
        // A fixed pseudo-random mix with many ties, including findings that
        // differ only in a field the key ignores (help), to check stability.
        let rules = ["b/rule", "a/rule", "c/rule"];
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut findings = Vec::new();
        for index in 0..2_000 {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            let pick = (state >> 33) as u32;
            let file = if pick.is_multiple_of(17) {
                u32::MAX
            } else {
                pick % 5
            };
            let mut f = finding(
                rules[(pick % 3) as usize],
                file,
                (pick >> 4) % 7,
                ["x", "y"][((pick >> 8) % 2) as usize],
            );
            if pick.is_multiple_of(4) {
                f = f.detail(["d1", "d0"][((pick >> 9) % 2) as usize]);
            }
            findings.push(f.help(format!("{index}")));
        }
        let mut expected = findings.clone();
        reference_sort(&mut expected);
        sort(&mut findings);
        assert_eq!(findings, expected);
    }

    #[test]
    fn permute_places_each_item_from_its_source() {
        let mut items = vec!['a', 'b', 'c', 'd', 'e', 'f'];
        let mut source = vec![3, 0, 4, 1, 2, 5];
        permute(&mut items, &mut source);
        assert_eq!(items, vec!['d', 'a', 'e', 'b', 'c', 'f']);
    }
}
