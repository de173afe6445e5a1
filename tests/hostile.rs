//! The hostile corpus (tests/hostile/README.md, docs/security.md): inputs
//! built to crash, hang, exhaust or mislead rolelint. Each case is generated
//! at run time into a temporary catalogue, run through `rolelint check
//! --format json` under a 2 GB address-space limit and a 3-minute guard
//! against hangs, and its expected outcome is checked: exit code, rule,
//! path, line, and "limit" in the message where a limit was hit.
//!
//! Outcomes are asserted, not parser wording, so the cases hold whichever
//! YAML parser is underneath.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

const NOW: &str = "2026-11-26";
/// A guard against hangs, not a benchmark. Generous because the tests run
/// a debug build, in parallel, on shared CI machines: the slowest case (10^5
/// documents) takes 10 s of CPU there, and over 30 s of wall clock when the
/// machine is busy.
const GUARD: Duration = Duration::from_secs(180);
/// The address-space limit of every run, in KiB (`ulimit -v`): 2 GB.
const ADDRESS_SPACE_KIB: u64 = 2 * 1024 * 1024;

const CONFIG: &str = "paths: [access]\n";

fn identity(id: &str) -> String {
    format!("apiVersion: rolelint/v1\nkind: Identity\nid: {id}\n")
}

/// A fresh catalogue root with `rolelint.yaml` and an empty `access/`.
fn root() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("rolelint.yaml"), CONFIG).unwrap();
    std::fs::create_dir(dir.path().join("access")).unwrap();
    dir
}

fn write(dir: &Path, path: &str, bytes: impl AsRef<[u8]>) {
    let path = dir.join("access").join(path);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

struct Outcome {
    code: i32,
    report: Option<Value>,
    stderr: String,
    took: Duration,
}

impl Outcome {
    fn findings(&self) -> Vec<&Value> {
        self.report
            .as_ref()
            .and_then(|report| report["findings"].as_array())
            .map(|findings| findings.iter().collect())
            .unwrap_or_default()
    }

    fn summary(&self, field: &str) -> u64 {
        self.report.as_ref().unwrap()["summary"][field]
            .as_u64()
            .unwrap()
    }

    /// The findings of `rule` on `path`.
    fn on(&self, rule: &str, path: &str) -> Vec<&Value> {
        self.findings()
            .into_iter()
            .filter(|finding| finding["rule"] == rule && finding["path"] == path)
            .collect()
    }
}

/// Runs `rolelint check --format json` on `dir` under the address-space
/// limit, killing it after [`GUARD`].
fn check(dir: &Path, env: &[(&str, &str)], extra: &[&str]) -> Outcome {
    let binary = assert_cmd::cargo::cargo_bin("rolelint");
    let mut command = Command::new("sh");
    command
        .arg("-c")
        .arg(format!(
            "ulimit -v {ADDRESS_SPACE_KIB} && exec \"$0\" \"$@\""
        ))
        .arg(&binary)
        .args(["check", "--now", NOW, "--format", "json"])
        .args(extra)
        .arg(dir)
        .env("CI", "true")
        .env_remove("ROLELINT_MAX_FILES")
        .env_remove("ROLELINT_MAX_TOTAL_BYTES")
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let started = Instant::now();
    let mut child = command.spawn().unwrap();
    // Read the pipes on threads so a large report cannot block the child.
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut stdout, &mut bytes).map(|_| bytes)
    });
    let err = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut stderr, &mut bytes).map(|_| bytes)
    });
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > GUARD {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "rolelint did not finish within {GUARD:?} on {}",
                dir.display()
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let took = started.elapsed();
    let stdout = out.join().unwrap().unwrap();
    let stderr = String::from_utf8_lossy(&err.join().unwrap().unwrap()).into_owned();
    let Some(code) = status.code() else {
        panic!("rolelint was killed by a signal ({status:?}): {stderr}");
    };
    assert!(
        !stderr.contains("panicked") && !stderr.contains("memory allocation"),
        "rolelint crashed: {stderr}"
    );
    let report = (!stdout.is_empty()).then(|| {
        serde_json::from_slice(&stdout).unwrap_or_else(|error| {
            panic!(
                "not JSON ({error}): {}",
                String::from_utf8_lossy(&stdout[..stdout.len().min(2000)])
            )
        })
    });
    Outcome {
        code,
        report,
        stderr,
        took,
    }
}

/// What a case must produce: the exit code and, when it is a finding, its
/// rule, path and line, and a word its message or help must contain.
struct Expected {
    code: i32,
    finding: Option<(
        &'static str,
        &'static str,
        Option<u64>,
        Option<&'static str>,
    )>,
}

const INVALID: &str = "schema/invalid-document";

fn assert_expected(case: &str, outcome: &Outcome, expected: &Expected) {
    assert_eq!(
        outcome.code,
        expected.code,
        "{case}: exit code; stderr: {}; findings: {:#?}",
        outcome.stderr,
        outcome.findings()
    );
    if let Some((rule, path, line, word)) = expected.finding {
        let path = format!("access/{path}");
        let found = outcome.on(rule, &path);
        assert!(
            !found.is_empty(),
            "{case}: no {rule} finding on {path}: {:#?}",
            outcome.findings()
        );
        if let Some(line) = line {
            assert!(
                found.iter().any(|finding| finding["line"] == line),
                "{case}: no {rule} finding at line {line}: {found:#?}"
            );
        }
        if let Some(word) = word {
            assert!(
                found.iter().any(|finding| {
                    let text = format!("{} {}", finding["message"], finding["help"]).to_lowercase();
                    text.contains(word)
                }),
                "{case}: no finding mentions {word:?}: {found:#?}"
            );
        }
    }
    eprintln!("{case}: exit {} in {:?}", outcome.code, outcome.took);
}

fn finding(
    rule: &'static str,
    path: &'static str,
    line: Option<u64>,
    word: Option<&'static str>,
) -> Expected {
    Expected {
        code: 1,
        finding: Some((rule, path, line, word)),
    }
}

/// One small case: files written into `access/`, and what must come out.
fn small_case(name: &str, files: &[(&str, Vec<u8>)], expected: Expected) {
    let dir = root();
    for (path, bytes) in files {
        write(dir.path(), path, bytes);
    }
    let outcome = check(dir.path(), &[], &[]);
    assert_expected(name, &outcome, &expected);
}

#[test]
fn alias_bomb_is_a_finding_naming_the_limit() {
    // Billion laughs: nine levels of nine aliases each.
    let mut text = String::from("apiVersion: rolelint/v1\nkind: Role\nid: bomb\nlabels:\n");
    text.push_str("  l0: &l0 [\"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\"]\n");
    for level in 1..=9 {
        let previous = format!("*l{}", level - 1);
        let items = [previous.as_str(); 9].join(", ");
        text.push_str(&format!("  l{level}: &l{level} [{items}]\n"));
    }
    small_case(
        "alias bomb",
        &[("bomb.yaml", text.into_bytes())],
        finding(INVALID, "bomb.yaml", None, Some("limit")),
    );
}

#[test]
fn deep_nesting_is_a_finding_naming_the_limit() {
    let depth = 100_000;
    let text = format!(
        "apiVersion: rolelint/v1\nkind: Role\nid: deep\nlabels: {}{}\n",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    small_case(
        "100k-deep flow nesting",
        &[("deep.yaml", text.into_bytes())],
        finding(INVALID, "deep.yaml", Some(4), Some("limit")),
    );
    let mut block = String::from("apiVersion: rolelint/v1\nkind: Role\nid: deep\nlabels:\n");
    for level in 0..100_000 {
        block.push_str(&" ".repeat(level + 2));
        block.push_str("- \n");
    }
    small_case(
        "100k-deep block nesting",
        &[("deep.yaml", block.into_bytes())],
        finding(INVALID, "deep.yaml", None, Some("limit")),
    );
}

#[test]
fn a_hundred_thousand_documents_in_one_file_load() {
    let count = 100_000;
    let text: String = (0..count)
        .map(|index| format!("---\n{}", identity(&format!("u{index}"))))
        .collect();
    let dir = root();
    write(dir.path(), "many.yaml", text);
    let outcome = check(dir.path(), &[], &[]);
    assert_ne!(outcome.code, 2, "{}", outcome.stderr);
    assert_eq!(outcome.summary("objects"), count);
    eprintln!(
        "10^5 documents: exit {} in {:?}",
        outcome.code, outcome.took
    );
}

#[test]
fn more_documents_than_the_limit_is_a_finding_naming_it() {
    // 1,000,001 one-line documents: six bytes each.
    let text = "--- 1\n".repeat(1_000_001);
    small_case(
        "documents over the per-file limit",
        &[("markers.yaml", text.into_bytes())],
        finding(INVALID, "markers.yaml", Some(1), Some("limit")),
    );
}

#[test]
fn a_fifty_megabyte_scalar_loads_within_bounds() {
    let mut text = identity("big").into_bytes();
    text.extend_from_slice(b"name: \"");
    text.extend(std::iter::repeat_n(b'x', 50 * 1024 * 1024));
    text.extend_from_slice(b"\"\n");
    let dir = root();
    write(dir.path(), "big.yaml", text);
    let outcome = check(dir.path(), &[], &[]);
    assert_ne!(outcome.code, 2, "{}", outcome.stderr);
    assert_eq!(outcome.summary("objects"), 1);
    eprintln!("50 MB scalar: exit {} in {:?}", outcome.code, outcome.took);
}

#[test]
fn encoding_and_whitespace_cases() {
    let mut invalid_utf8 = identity("a").into_bytes();
    invalid_utf8.extend_from_slice(b"name: caf\xe9\n");
    small_case(
        "invalid UTF-8",
        &[("latin1.yaml", invalid_utf8)],
        finding(INVALID, "latin1.yaml", Some(4), Some("utf-8")),
    );

    let bom = format!("\u{feff}{}name: [unclosed\n", identity("b"));
    small_case(
        "byte-order mark: read, and lines counted from the file's start",
        &[("bom.yaml", bom.into_bytes())],
        finding(INVALID, "bom.yaml", Some(4), None),
    );
    small_case(
        "byte-order mark on a valid file",
        &[(
            "bom.yaml",
            format!("\u{feff}{}", identity("b")).into_bytes(),
        )],
        Expected {
            code: 0,
            finding: None,
        },
    );

    let crlf = format!("{}unknown_field: 1\n", identity("c")).replace('\n', "\r\n");
    small_case(
        "CRLF line ends: lines still right",
        &[("crlf.yaml", crlf.into_bytes())],
        finding(INVALID, "crlf.yaml", Some(4), Some("unknown")),
    );

    let tabs = format!("{}grants:\n\t- role: x\n", identity("d"));
    small_case(
        "tab indentation",
        &[("tabs.yaml", tabs.into_bytes())],
        finding(INVALID, "tabs.yaml", Some(5), None),
    );

    let nul = format!("{}name: a\0b\n", identity("e"));
    small_case(
        "NUL byte",
        &[("nul.yaml", nul.into_bytes())],
        finding(INVALID, "nul.yaml", Some(4), None),
    );
}

#[test]
fn yaml_traps_are_findings() {
    let duplicate = "apiVersion: rolelint/v1\nkind: Role\nid: dup\nowner: alice\npermissions: [a:b]\npermissions: [a:c]\n";
    small_case(
        "duplicate keys",
        &[("dup.yaml", duplicate.into())],
        finding(INVALID, "dup.yaml", Some(6), Some("permissions")),
    );
    let yes = "apiVersion: rolelint/v1\nkind: Role\nid: yes-role\nowner: alice\nprivileged: yes\n";
    small_case(
        "YAML 1.1 boolean",
        &[("yes.yaml", yes.into())],
        finding(INVALID, "yes.yaml", Some(5), None),
    );
    // Cyrillic `а` (U+0430) in `аlice`: ids are ASCII, so the look-alike is
    // refused where it is written instead of becoming a second "alice".
    let homoglyph = format!("{}---\n{}", identity("alice"), identity("\u{430}lice"));
    small_case(
        "homoglyph id",
        &[("people.yaml", homoglyph.into_bytes())],
        finding(INVALID, "people.yaml", Some(7), None),
    );
    let approver = format!(
        "{}---\napiVersion: rolelint/v1\nkind: Identity\nid: bob\ngrants:\n  - role: r\n    granted: 2026-01-01\n    approved_by: \u{430}lice\n",
        identity("alice")
    );
    small_case(
        "homoglyph reference",
        &[("approver.yaml", approver.into_bytes())],
        finding(INVALID, "approver.yaml", Some(11), None),
    );
}

#[cfg(unix)]
#[test]
fn special_files_are_refused_not_followed() {
    use std::os::unix::fs::symlink;

    let dir = root();
    let access = dir.path().join("access");
    write(dir.path(), "ok.yaml", identity("ok"));
    symlink(access.join("loop-b.yaml"), access.join("loop-a.yaml")).unwrap();
    symlink(access.join("loop-a.yaml"), access.join("loop-b.yaml")).unwrap();
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.yaml"), identity("outsider")).unwrap();
    symlink(
        outside.path().join("secret.yaml"),
        access.join("escape.yaml"),
    )
    .unwrap();
    symlink(
        "../../../../../../../../etc/passwd",
        access.join("passwd.yaml"),
    )
    .unwrap();
    let status = Command::new("mkfifo")
        .arg(access.join("fifo.yaml"))
        .status()
        .unwrap();
    assert!(status.success());

    {
        use std::os::unix::ffi::OsStrExt as _;
        let name = std::ffi::OsStr::from_bytes(b"caf\xe9.yaml");
        std::fs::write(access.join(name), identity("latin1-name")).unwrap();
    }

    let outcome = check(dir.path(), &[], &[]);
    for (path, word) in [
        ("caf\u{fffd}.yaml", "not valid utf-8"),
        ("loop-a.yaml", "loop"),
        ("loop-b.yaml", "loop"),
        ("escape.yaml", "outside"),
        ("passwd.yaml", "outside"),
        ("fifo.yaml", "not a regular file"),
    ] {
        assert_expected(path, &outcome, &finding(INVALID, path, Some(1), Some(word)));
    }
    // What is outside the root was never read.
    let report = outcome.report.as_ref().unwrap().to_string();
    assert!(!report.contains("outsider") && !report.contains("root:"));
    assert_eq!(outcome.summary("objects"), 1);
}

#[cfg(unix)]
#[test]
fn an_unreadable_file_is_a_finding() {
    use std::os::unix::fs::PermissionsExt;

    let dir = root();
    write(dir.path(), "locked.yaml", identity("locked"));
    let path = dir.path().join("access/locked.yaml");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).unwrap();
    let outcome = check(dir.path(), &[], &[]);
    // root reads a mode-000 file anyway: then the file simply loads, and
    // the "cannot read" outcome cannot be observed.
    if std::fs::read(&path).is_ok() {
        eprintln!(
            "running as root: mode 000 does not stop reading; checked that the run completes"
        );
        assert_eq!(outcome.code, 0, "{}", outcome.stderr);
        return;
    }
    assert_expected(
        "unreadable file",
        &outcome,
        &finding(INVALID, "locked.yaml", Some(1), Some("cannot read")),
    );
}

#[test]
fn twenty_thousand_tiny_files_load() {
    let dir = root();
    for index in 0..20_000 {
        write(
            dir.path(),
            &format!("people/{:03}/u{index}.yaml", index % 100),
            identity(&format!("u{index}")),
        );
    }
    let outcome = check(dir.path(), &[], &[]);
    assert_eq!(outcome.code, 0, "{}", outcome.stderr);
    assert_eq!(outcome.summary("files"), 20_000);
    assert_eq!(outcome.summary("objects"), 20_000);
    eprintln!("20,000 files: exit {} in {:?}", outcome.code, outcome.took);
}

#[test]
fn catalogue_wide_limits_cannot_be_bypassed_by_splitting() {
    let dir = root();
    for index in 0..150 {
        write(
            dir.path(),
            &format!("u{index}.yaml"),
            identity(&format!("u{index}")),
        );
    }
    let outcome = check(dir.path(), &[("ROLELINT_MAX_FILES", "100")], &[]);
    assert_eq!(outcome.code, 2, "{}", outcome.stderr);
    assert!(outcome.report.is_none());
    assert!(
        outcome.stderr.contains("more than 100 YAML files")
            && outcome.stderr.contains("limit")
            && outcome.stderr.contains("ROLELINT_MAX_FILES"),
        "{}",
        outcome.stderr
    );

    let outcome = check(dir.path(), &[("ROLELINT_MAX_TOTAL_BYTES", "1000")], &[]);
    assert_eq!(outcome.code, 2, "{}", outcome.stderr);
    assert!(
        outcome.stderr.contains("more than 1000 bytes")
            && outcome.stderr.contains("ROLELINT_MAX_TOTAL_BYTES"),
        "{}",
        outcome.stderr
    );

    let outcome = check(dir.path(), &[("ROLELINT_MAX_FILES", "150")], &[]);
    assert_eq!(outcome.code, 0, "{}", outcome.stderr);

    let outcome = check(dir.path(), &[("ROLELINT_MAX_FILES", "lots")], &[]);
    assert_eq!(outcome.code, 2);
    assert!(
        outcome.stderr.contains("ROLELINT_MAX_FILES"),
        "{}",
        outcome.stderr
    );
}

/// `rolelint check` in another format, without the JSON plumbing.
fn check_text(dir: &Path, extra: &[&str]) -> (i32, String) {
    let output = Command::new(assert_cmd::cargo::cargo_bin("rolelint"))
        .args(["check", "--now", NOW])
        .args(extra)
        .arg(dir)
        .env("CI", "true")
        .output()
        .unwrap();
    (
        output.status.code().unwrap(),
        String::from_utf8(output.stdout).unwrap(),
    )
}

#[test]
fn findings_shown_are_limited_but_all_are_counted() {
    // 1,200 identities granted a role that does not exist: errors, and
    // whatever else the rules find (warnings, infos).
    let dir = root();
    let mut text = String::new();
    for index in 0..1_200 {
        text.push_str(&format!(
            "---\n{}grants:\n  - role: ghost\n    granted: 2026-01-01\n    approved_by: u0\n",
            identity(&format!("u{index}"))
        ));
    }
    write(dir.path(), "a.yaml", &text);
    let json = check(dir.path(), &[], &[]);
    let total = json.findings().len();
    let errors = json.summary("errors") as usize;
    assert!(errors >= 1_200, "{errors}");

    let (code, human) = check_text(dir.path(), &["--format", "human"]);
    assert_eq!(code, 1);
    // Each finding's report starts with its rule code on a line of its own.
    let shown = human
        .lines()
        .filter(|line| line.contains('/') && !line.contains(' '))
        .count();
    assert_eq!(shown, 1_000, "human lists 1,000 findings");
    let last = human.lines().last().unwrap();
    assert!(
        last.starts_with(&format!(
            "rolelint: {} more findings not listed",
            total - 1_000
        )) && last.contains("--max-findings"),
        "{last}"
    );
    assert!(
        human.contains(&format!("{errors} errors")),
        "the summary counts all"
    );

    let (code, github) = check_text(dir.path(), &["--format", "github"]);
    assert_eq!(code, 1);
    assert_eq!(
        github.lines().filter(|line| line.starts_with("::")).count(),
        50
    );
    assert!(
        github
            .lines()
            .last()
            .unwrap()
            .contains(&format!("{} more findings", total - 50))
    );

    let (_, markdown) = check_text(dir.path(), &["--format", "markdown", "--max-findings", "3"]);
    assert_eq!(
        markdown
            .lines()
            .filter(|line| line.starts_with("- ["))
            .count(),
        3
    );
    assert!(
        markdown.contains(&format!("and {} more findings", total - 3)),
        "{markdown}"
    );
    assert!(markdown.contains(&format!("{errors} errors")), "{markdown}");

    let (code, all) = check_text(dir.path(), &["--format", "github", "--max-findings", "0"]);
    assert_eq!(code, 1);
    assert_eq!(all.lines().count(), total);

    // Errors come before warnings and infos, whatever their order in the report.
    let (_, few) = check_text(dir.path(), &["--format", "github", "--max-findings", "5"]);
    assert!(
        few.lines().take(5).all(|line| line.starts_with("::error")),
        "{few}"
    );
}
