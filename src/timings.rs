//! `--timings`: where a run's time goes, printed to stderr after the run.
//!
//! One process-wide recorder, off unless [`enable`]d, so that the load, graph
//! and rule stages need no extra parameter: while off, every probe costs one
//! relaxed atomic load. Phases that run twice (the two sides of `diff`) add
//! up. CPU time is the whole process's (user + system, every thread), read
//! where the platform offers a CPU clock; resident memory is read from
//! `/proc/self/status` where it exists.

use std::fmt::Write as _;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// A stage of a run, in pipeline order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Phase {
    /// Finding the root, reading `rolelint.yaml`, walking the paths.
    Discover,
    /// Reading, splitting, parsing and decoding every file (in parallel).
    Parse,
    /// Merging the files' objects in path order, leaving out duplicates.
    Assemble,
    /// Interning ids, resolving references, effective permissions.
    Graph,
    /// Custom Rego policies (summed per policy, one after another).
    Policies,
    /// The built-in rules (in parallel).
    Rules,
    /// Severity overrides, suppressions, unused suppressions, sorting.
    Suppressions,
    /// Writing the report to stdout.
    Render,
}

impl Phase {
    pub const ALL: [Phase; 8] = [
        Phase::Discover,
        Phase::Parse,
        Phase::Assemble,
        Phase::Graph,
        Phase::Policies,
        Phase::Rules,
        Phase::Suppressions,
        Phase::Render,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Phase::Discover => "discover",
            Phase::Parse => "read+parse+decode",
            Phase::Assemble => "assemble",
            Phase::Graph => "graph",
            Phase::Policies => "policies",
            Phase::Rules => "rules",
            Phase::Suppressions => "suppressions+sort",
            Phase::Render => "render",
        }
    }
}

/// What one phase cost, summed over its runs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Cost {
    pub wall: Duration,
    /// Process CPU time (all threads) during the phase, when measurable.
    pub cpu: Option<Duration>,
    /// Resident memory at the end of the phase's last run, in KiB.
    pub rss_kib: Option<u64>,
    pub runs: u32,
}

/// Everything recorded in a run.
#[derive(Clone, Debug, Default)]
pub struct Record {
    pub phases: Vec<(Phase, Cost)>,
    /// Files read and parsed (not those served from the cache), their
    /// bytes, and the YAML documents in them.
    pub files_read: u64,
    pub documents_read: u64,
    pub bytes_read: u64,
    /// Time spent in `read` calls, summed over threads.
    pub read_time: Duration,
    /// Wall time of each rule's check (summed over runs).
    pub rules: Vec<(&'static str, Duration)>,
}

static ENABLED: AtomicBool = AtomicBool::new(false);
static RECORD: Mutex<Option<Record>> = Mutex::new(None);
/// Whether the parse phase is running, so that reads count as the loader's.
static PARSING: AtomicBool = AtomicBool::new(false);

/// Turns recording on for the rest of the process.
pub fn enable() {
    ENABLED.store(true, Ordering::Relaxed);
}

pub fn enabled() -> bool {
    ENABLED.load(Ordering::Relaxed)
}

fn with_record(change: impl FnOnce(&mut Record)) {
    // A poisoned lock only means a panic elsewhere; the figures stay usable.
    let mut guard = RECORD.lock().unwrap_or_else(|poison| poison.into_inner());
    change(guard.get_or_insert_with(Record::default));
}

/// The phase's entry, added when first seen.
fn cost_of(record: &mut Record, phase: Phase) -> &mut Cost {
    let index = match record.phases.iter().position(|(p, _)| *p == phase) {
        Some(index) => index,
        None => {
            record.phases.push((phase, Cost::default()));
            record.phases.len() - 1
        }
    };
    &mut record.phases[index].1
}

/// A phase being timed; recorded when [`finish`](Self::finish)ed or dropped.
#[must_use = "a phase is recorded when the guard is dropped"]
pub struct Running {
    phase: Phase,
    started: Instant,
    cpu_started: Option<Duration>,
}

/// Starts timing `phase`, or does nothing while recording is off.
pub fn start(phase: Phase) -> Option<Running> {
    if phase == Phase::Parse && enabled() {
        PARSING.store(true, Ordering::Relaxed);
    }
    enabled().then(|| Running {
        phase,
        started: Instant::now(),
        cpu_started: process_cpu_time(),
    })
}

impl Running {
    pub fn finish(self) {}
}

impl Drop for Running {
    fn drop(&mut self) {
        let wall = self.started.elapsed();
        let cpu = process_cpu_time()
            .zip(self.cpu_started)
            .map(|(now, then)| now.saturating_sub(then));
        let rss_kib = memory_kib("VmRSS:");
        let phase = self.phase;
        if phase == Phase::Parse {
            PARSING.store(false, Ordering::Relaxed);
        }
        with_record(|record| {
            let cost = cost_of(record, phase);
            cost.wall += wall;
            cost.cpu = match (cost.cpu, cpu) {
                (Some(sum), Some(more)) => Some(sum + more),
                (None, more) if cost.runs == 0 => more,
                _ => None,
            };
            cost.rss_kib = rss_kib;
            cost.runs += 1;
        });
    }
}

/// Records one file read by the loader: its size and how long the read
/// took. Reads outside the parse phase (renderers showing snippets) are not
/// counted.
pub fn file_read(bytes: &[u8], took: Duration) {
    if PARSING.load(Ordering::Relaxed) {
        // Split again only to count: this costs a scan per file, and only
        // under --timings.
        let documents = std::str::from_utf8(bytes)
            .map_or(0, |text| crate::load::yaml::split_documents(text).len());
        with_record(|record| {
            record.files_read += 1;
            record.documents_read += documents as u64;
            record.bytes_read += bytes.len() as u64;
            record.read_time += took;
        });
    }
}

/// Records each rule's (or custom policy's) own wall time.
pub fn rule_times(times: &[(&'static str, Duration)]) {
    if enabled() {
        with_record(|record| {
            for (code, took) in times {
                match record.rules.iter_mut().find(|(c, _)| c == code) {
                    Some((_, sum)) => *sum += *took,
                    None => record.rules.push((code, *took)),
                }
            }
        });
    }
}

/// Adds time to a phase measured elsewhere (the custom policies report
/// their own time per policy).
pub fn add(phase: Phase, wall: Duration) {
    if enabled() {
        with_record(|record| {
            let cost = cost_of(record, phase);
            cost.wall += wall;
            cost.cpu = None;
            cost.runs += 1;
        });
    }
}

/// What has been recorded so far (empty while recording is off).
pub fn snapshot() -> Record {
    let guard = RECORD.lock().unwrap_or_else(|poison| poison.into_inner());
    guard.clone().unwrap_or_default()
}

/// The counts printed under the phases.
#[derive(Clone, Copy, Debug, Default)]
pub struct Counts {
    pub files: usize,
    pub objects: usize,
    pub findings: usize,
    pub suppressed: usize,
}

/// Renders the record as the `--timings` text: one line per phase in
/// pipeline order (`-` for a phase that did not run), the rule families,
/// then counts and memory. `total` is the wall time since the command started.
pub fn render(
    record: &Record,
    counts: &Counts,
    total: Duration,
    family_of: impl Fn(&str) -> Option<&'static str>,
) -> String {
    let mut text = String::from("rolelint timings (wall time; CPU = all threads of the process)\n");
    for phase in Phase::ALL {
        let name = phase.name();
        match record.phases.iter().find(|(p, _)| *p == phase) {
            Some((_, cost)) => {
                let _ = write!(text, "  {name:<28} {:>10}", millis(cost.wall));
                if let Some(cpu) = cost.cpu {
                    let _ = write!(text, "   CPU {:>10}", millis(cpu));
                }
                if let Some(rss) = cost.rss_kib {
                    let _ = write!(text, "   RSS after {:>7.1} MiB", rss as f64 / 1024.0);
                }
                if cost.runs > 1 {
                    let _ = write!(text, "   ({} runs)", cost.runs);
                }
                text.push('\n');
            }
            None => {
                let _ = writeln!(text, "  {name:<28} {:>10}", "-");
            }
        }
        if phase == Phase::Parse && record.files_read > 0 {
            let _ = writeln!(
                text,
                "    {} files read and parsed ({} YAML documents, {:.1} MiB); read calls {} (summed over threads)",
                record.files_read,
                record.documents_read,
                record.bytes_read as f64 / (1024.0 * 1024.0),
                millis(record.read_time),
            );
        }
        if phase == Phase::Rules {
            for (family, took) in families(record, &family_of) {
                let _ = writeln!(text, "    {family:<26} {:>10}", millis(took));
            }
            let slowest = slowest_rules(record, &family_of);
            if !slowest.is_empty() {
                let listed: Vec<String> = slowest
                    .iter()
                    .map(|(code, took)| format!("{code} {}", millis(*took)))
                    .collect();
                let _ = writeln!(text, "    slowest rules: {}", listed.join(", "));
                text.push_str("    (rules run in parallel: family times are summed over their rules and add up to more than the phase)\n");
            }
        }
    }
    let _ = writeln!(text, "  {:<28} {:>10}", "total", millis(total));
    let _ = writeln!(
        text,
        "  files {}, objects {}, findings {} ({} suppressed)",
        counts.files, counts.objects, counts.findings, counts.suppressed
    );
    if let Some(peak) = memory_kib("VmHWM:") {
        let _ = writeln!(text, "  peak RSS {:.1} MiB", peak as f64 / 1024.0);
    }
    text
}

/// Rules listed by name under the rules phase, slowest first.
const SLOWEST_RULES: usize = 5;

/// The [`SLOWEST_RULES`] built-in rules that took longest: the one that
/// takes longest bounds the phase, however many threads run the rest.
fn slowest_rules(
    record: &Record,
    family_of: &impl Fn(&str) -> Option<&'static str>,
) -> Vec<(&'static str, Duration)> {
    let mut rules: Vec<(&'static str, Duration)> = record
        .rules
        .iter()
        .filter(|(code, _)| family_of(code).is_some())
        .copied()
        .collect();
    rules.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    rules.truncate(SLOWEST_RULES);
    rules
}

/// Summed rule time per family (RULES.md category), in category order;
/// codes `family_of` does not know are custom policies, shown under the
/// `policies` phase instead.
fn families(
    record: &Record,
    family_of: &impl Fn(&str) -> Option<&'static str>,
) -> Vec<(&'static str, Duration)> {
    let mut sums: Vec<(&'static str, Duration)> = Vec::new();
    for (code, took) in &record.rules {
        let Some(family) = family_of(code) else {
            continue;
        };
        match sums.iter_mut().find(|(f, _)| *f == family) {
            Some((_, sum)) => *sum += *took,
            None => sums.push((family, *took)),
        }
    }
    sums.sort_by_key(|(family, _)| *family);
    sums
}

fn millis(duration: Duration) -> String {
    format!("{:.1} ms", duration.as_secs_f64() * 1000.0)
}

/// CPU time of the whole process, all threads.
fn process_cpu_time() -> Option<Duration> {
    #[cfg(unix)]
    {
        let time = rustix::time::clock_gettime(rustix::time::ClockId::ProcessCPUTime);
        let seconds = u64::try_from(time.tv_sec).ok()?;
        let nanos = u32::try_from(time.tv_nsec).ok()?;
        Some(Duration::new(seconds, nanos))
    }
    #[cfg(not(unix))]
    {
        None
    }
}

/// A memory figure of `/proc/self/status` (`VmRSS:` now, `VmHWM:` peak), in KiB.
fn memory_kib(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with(field))?;
    line[field.len()..]
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn family(code: &str) -> Option<&'static str> {
        match code {
            "graph/unknown-reference" | "graph/step-cycle" => Some("graph"),
            "sod/toxic-role" => Some("sod"),
            _ => None,
        }
    }

    #[test]
    fn every_phase_is_listed_and_families_are_summed() {
        let record = Record {
            phases: vec![(
                Phase::Graph,
                Cost {
                    wall: Duration::from_millis(12),
                    cpu: Some(Duration::from_millis(20)),
                    rss_kib: Some(2048),
                    runs: 1,
                },
            )],
            rules: vec![
                ("graph/unknown-reference", Duration::from_millis(3)),
                ("sod/toxic-role", Duration::from_millis(1)),
                ("graph/step-cycle", Duration::from_millis(4)),
                ("policy/custom", Duration::from_millis(50)),
            ],
            ..Record::default()
        };
        let record = Record {
            files_read: 3,
            documents_read: 5,
            bytes_read: 1024 * 1024,
            ..record
        };
        let counts = Counts {
            files: 3,
            objects: 4,
            findings: 2,
            suppressed: 1,
        };
        let text = render(&record, &counts, Duration::from_millis(40), family);
        for phase in Phase::ALL {
            assert!(text.contains(phase.name()), "{phase:?} missing:\n{text}");
        }
        // Lines as words: the phase line, then the family line of `graph`.
        let lines: Vec<Vec<&str>> = text
            .lines()
            .map(|line| line.split_whitespace().collect())
            .collect();
        let graph: Vec<&Vec<&str>> = lines.iter().filter(|words| words[0] == "graph").collect();
        assert_eq!(graph.len(), 2, "{text}");
        assert_eq!(graph[0][1..5], ["12.0", "ms", "CPU", "20.0"], "{text}");
        assert!(graph[0].join(" ").contains("RSS after 2.0 MiB"), "{text}");
        // graph/unknown-reference + graph/step-cycle
        assert_eq!(graph[1][1..], ["7.0", "ms"], "{text}");
        assert!(!text.contains("policy/custom"), "{text}");
        assert!(
            text.contains(
                "slowest rules: graph/step-cycle 4.0 ms, graph/unknown-reference 3.0 ms, sod/toxic-role 1.0 ms\n"
            ),
            "{text}"
        );
        assert!(
            text.contains("3 files read and parsed (5 YAML documents, 1.0 MiB)"),
            "{text}"
        );
        assert!(
            text.contains("files 3, objects 4, findings 2 (1 suppressed)"),
            "{text}"
        );
    }

    #[test]
    fn a_phase_that_did_not_run_shows_a_dash() {
        let text = render(
            &Record::default(),
            &Counts::default(),
            Duration::ZERO,
            family,
        );
        let render = text
            .lines()
            .find(|line| line.trim_start().starts_with("render"))
            .unwrap();
        assert_eq!(
            render.split_whitespace().collect::<Vec<_>>(),
            ["render", "-"]
        );
    }
}
