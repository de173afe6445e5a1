//! The cache of parsed files (docs/cache.md): whatever happens to the files
//! or to the cache, a run gives exactly what a run without the cache gives.

mod common;

use std::path::{Path, PathBuf};
use std::time::Duration;

use assert_cmd::Command;
use rolelint::load::cache::{CacheSettings, CacheUsage};
use rolelint::load::{self, LoadOptions};
use rolelint::report::Report;

/// Files older than this are "settled": the cache may store them (it does
/// not trust files changed within 2 s of a run, see `RACY_MARGIN_NANOS`).
const SETTLE: Duration = Duration::from_millis(2_100);

const ROLES: &str = r#"apiVersion: rolelint/v1
kind: Application
id: payments
owner: alice
permissions:
  - id: refunds.write
    privileged: true
  - id: refunds.read
---
apiVersion: rolelint/v1
kind: Role
id: payments-admin
owner: alice
privileged: true
requires_mfa: true
permissions: [payments:refunds.write, payments:refunds.read]
---
apiVersion: rolelint/v1
kind: Role
id: broken
owner: alice
inherits: [not an id]
"#;

const ALICE: &str = r#"apiVersion: rolelint/v1
kind: Identity
id: alice
name: Alice
department: payments
grants:
  - role: payments-admin
    granted: 2026-01-05
    approved_by: bob
    expires: 2026-06-30
"#;

const BOB: &str = r#"apiVersion: rolelint/v1
kind: Identity
id: bob
name: Bob
department: payments
manager: alice
grants:
  - role: payments-admin
    granted: 2026-02-01
    approved_by: alice
suppress:
  - rule: privilege/no-such-rule
    reason: a suppression of an unknown rule is a schema finding
    until: 2027-01-01
"#;

/// A catalogue with objects in several files, findings from rules and from
/// the schema, and an id defined twice.
fn catalogue() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "rolelint.yaml", "# test catalogue\n");
    write(dir.path(), "access/roles.yaml", ROLES);
    write(dir.path(), "access/people/alice.yaml", ALICE);
    write(dir.path(), "access/people/bob.yaml", BOB);
    write(
        dir.path(),
        "access/people/bob-again.yaml",
        &BOB.replace("name: Bob", "name: Bob Again"),
    );
    write(dir.path(), "access/ci.yaml", "on: [push]\njobs: {}\n");
    dir
}

fn write(root: &Path, path: &str, text: &str) {
    let path = root.join(path);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// Loads, analyses and renders as JSON in this process, with the cache in
/// `cache_dir` (or none).
fn check(root: &Path, cache_dir: Option<&Path>) -> (String, Option<CacheUsage>) {
    let options = LoadOptions {
        start: root.to_path_buf(),
        rule_codes: rolelint::rules::codes(),
        cache: cache_dir.map(|dir| CacheSettings {
            dir: Some(dir.to_path_buf()),
        }),
        ..LoadOptions::default()
    };
    let catalogue = load::load(&options).unwrap();
    let now = common::now_for(root);
    let outcome = rolelint::analyse(&catalogue, now);
    let json = common::render_json(&Report::of(&catalogue, &outcome, now));
    (json, catalogue.cache.clone())
}

fn uncached(root: &Path) -> String {
    check(root, None).0
}

fn the_cache_file(dir: &Path) -> PathBuf {
    let files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    files.into_iter().next().unwrap()
}

#[test]
fn a_warm_run_replays_every_file_and_equals_a_run_without_cache() {
    let root = catalogue();
    let cache = tempfile::tempdir().unwrap();
    std::thread::sleep(SETTLE);
    let expected = uncached(root.path());
    assert!(expected.contains("schema/invalid-document"), "{expected}");

    let (cold, usage) = check(root.path(), Some(cache.path()));
    assert_eq!(cold, expected);
    let usage = usage.unwrap();
    assert_eq!((usage.reused, usage.parsed, usage.written), (0, 5, true));
    assert_eq!(usage.file, the_cache_file(cache.path()));

    let (warm, usage) = check(root.path(), Some(cache.path()));
    assert_eq!(warm, expected);
    let usage = usage.unwrap();
    // Nothing read, nothing changed, so nothing written.
    assert_eq!((usage.reused, usage.parsed, usage.written), (5, 0, false));
}

/// Applies `change` to a settled, cached catalogue; the next run must equal
/// a run without cache, having parsed `parsed` files.
fn after_change(change: impl FnOnce(&Path), parsed: usize) {
    let root = catalogue();
    let cache = tempfile::tempdir().unwrap();
    std::thread::sleep(SETTLE);
    let (_, usage) = check(root.path(), Some(cache.path()));
    assert!(usage.unwrap().written);

    change(root.path());
    let expected = uncached(root.path());
    let (warm, usage) = check(root.path(), Some(cache.path()));
    assert_eq!(warm, expected);
    assert_eq!(usage.unwrap().parsed, parsed);
    // And again, once the cache has taken the change in.
    let (again, _) = check(root.path(), Some(cache.path()));
    assert_eq!(again, expected);
}

#[test]
fn an_edited_file_is_parsed_again() {
    after_change(
        |root| {
            write(
                root,
                "access/people/alice.yaml",
                &ALICE.replace("2026-06-30", "2027-06-30\n    ticket: CHG-1"),
            )
        },
        1,
    );
}

#[test]
fn an_edit_of_the_same_size_with_the_old_mtime_restored_is_parsed_again() {
    after_change(
        |root| {
            let path = root.join("access/people/alice.yaml");
            let modified = std::fs::metadata(&path).unwrap().modified().unwrap();
            let edited = ALICE.replace("2026-06-30", "2026-12-31");
            assert_eq!(edited.len(), ALICE.len());
            std::fs::write(&path, edited).unwrap();
            let file = std::fs::File::options().write(true).open(&path).unwrap();
            file.set_modified(modified).unwrap();
        },
        1,
    );
}

#[test]
fn a_touched_file_is_parsed_again() {
    after_change(
        |root| {
            let file = std::fs::File::options()
                .write(true)
                .open(root.join("access/roles.yaml"))
                .unwrap();
            file.set_modified(std::time::SystemTime::now()).unwrap();
        },
        1,
    );
}

#[test]
fn an_added_file_is_parsed_and_the_others_keep_their_places() {
    // Sorted first, so every other file moves up one place in the list.
    after_change(
        |root| {
            write(
                root,
                "access/aaa.yaml",
                "apiVersion: rolelint/v1\nkind: Identity\nid: carol\nmanager: nobody\n",
            )
        },
        1,
    );
}

#[test]
fn a_deleted_file_is_gone() {
    after_change(
        |root| std::fs::remove_file(root.join("access/people/bob.yaml")).unwrap(),
        0,
    );
}

#[test]
fn a_renamed_file_is_parsed_under_its_new_name() {
    // The same inode and stat data under another path: a new entry.
    after_change(
        |root| {
            std::fs::rename(
                root.join("access/people/bob.yaml"),
                root.join("access/bob.yaml"),
            )
            .unwrap()
        },
        1,
    );
}

/// A way of breaking the cache file's bytes.
type Damage = fn(&mut Vec<u8>);

#[test]
fn a_damaged_cache_is_ignored_and_rewritten() {
    let root = catalogue();
    std::thread::sleep(SETTLE);
    let expected = uncached(root.path());
    let damages: [(&str, Damage); 5] = [
        ("truncated", |bytes| bytes.truncate(bytes.len() / 2)),
        ("empty", Vec::clear),
        ("random bytes", |bytes| {
            let mut rng = fastrand::Rng::with_seed(7);
            bytes.iter_mut().for_each(|byte| *byte = rng.u8(..));
        }),
        ("one bit flipped", |bytes| {
            let middle = bytes.len() / 2;
            bytes[middle] ^= 0x10;
        }),
        ("another format version", |bytes| {
            bytes[8] = bytes[8].wrapping_add(1)
        }),
    ];
    for (damage, apply) in damages {
        let cache = tempfile::tempdir().unwrap();
        check(root.path(), Some(cache.path()));
        let file = the_cache_file(cache.path());
        let mut bytes = std::fs::read(&file).unwrap();
        apply(&mut bytes);
        std::fs::write(&file, &bytes).unwrap();

        let (json, usage) = check(root.path(), Some(cache.path()));
        assert_eq!(json, expected, "{damage}");
        let usage = usage.unwrap();
        assert_eq!((usage.reused, usage.written), (0, true), "{damage}");
        let (json, usage) = check(root.path(), Some(cache.path()));
        assert_eq!(json, expected, "{damage}");
        assert_eq!(usage.unwrap().reused, 5, "{damage}: rewritten");
    }
}

#[test]
fn an_unwritable_cache_directory_only_disables_writing() {
    let root = catalogue();
    std::thread::sleep(SETTLE);
    // A file where the directory should be: nothing can be created in it.
    let place = tempfile::NamedTempFile::new().unwrap();
    let (json, usage) = check(root.path(), Some(place.path()));
    assert_eq!(json, uncached(root.path()));
    assert!(!usage.unwrap().written);
}

#[test]
fn files_changed_just_now_are_not_stored() {
    let written = std::time::Instant::now();
    let root = catalogue();
    let cache = tempfile::tempdir().unwrap();
    let (_, usage) = check(root.path(), Some(cache.path()));
    assert_eq!(usage.unwrap().parsed, 5);
    // Within the margin, every file may still change without its stat data
    // changing, so none was stored (unless this machine is so slow that the
    // files had settled by the end of the first run).
    let (json, usage) = check(root.path(), Some(cache.path()));
    if written.elapsed() < Duration::from_millis(1_500) {
        assert_eq!(usage.unwrap().reused, 0);
    }
    assert_eq!(json, uncached(root.path()));

    std::thread::sleep(SETTLE);
    check(root.path(), Some(cache.path()));
    let (json, usage) = check(root.path(), Some(cache.path()));
    assert_eq!(usage.unwrap().reused, 5);
    assert_eq!(json, uncached(root.path()));
}

// The command line: where the cache goes and when it is off.

/// `rolelint check` with the user cache directory under `home`.
fn rolelint(home: &Path) -> Command {
    let mut command = Command::cargo_bin("rolelint").unwrap();
    command
        .arg("check")
        .env_remove("CI")
        .env_remove(rolelint::load::cache::DIR_VAR)
        .env("HOME", home)
        .env("XDG_CACHE_HOME", home.join("xdg-cache"));
    command
}

fn run(command: &mut Command, root: &Path) -> String {
    let output = command
        .arg(root)
        .args([
            "--now",
            common::NOW,
            "--format",
            "json",
            "--fail-on",
            "never",
        ])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn the_command_line_output_is_byte_identical_with_and_without_cache() {
    let root = catalogue();
    let home = tempfile::tempdir().unwrap();
    let cache = home.path().join("chosen");
    std::thread::sleep(SETTLE);
    let expected = run(rolelint(home.path()).arg("--no-cache"), root.path());
    assert!(common::files_under(home.path()).is_empty());

    let cold = run(
        rolelint(home.path()).arg("--cache-dir").arg(&cache),
        root.path(),
    );
    assert_eq!(cold, expected);
    let file = the_cache_file(&cache);
    let written = std::fs::metadata(&file).unwrap().modified().unwrap();

    let warm = run(
        rolelint(home.path()).arg("--cache-dir").arg(&cache),
        root.path(),
    );
    assert_eq!(warm, expected);
    // Every entry was valid, so the cache was used as it was, not rewritten.
    let unchanged = std::fs::metadata(&file).unwrap().modified().unwrap();
    assert_eq!(unchanged, written);
    assert_eq!(common::files_under(home.path()), vec![file]);
}

#[test]
fn ci_turns_the_cache_off_unless_asked_for() {
    let root = catalogue();
    let home = tempfile::tempdir().unwrap();
    let cache = home.path().join("chosen");
    let expected = run(rolelint(home.path()).arg("--no-cache"), root.path());

    let in_ci = run(
        rolelint(home.path())
            .env("CI", "true")
            .env(rolelint::load::cache::DIR_VAR, &cache),
        root.path(),
    );
    assert_eq!(in_ci, expected);
    assert!(
        common::files_under(home.path()).is_empty(),
        "CI=true wrote a cache"
    );

    let asked = run(
        rolelint(home.path())
            .env("CI", "true")
            .env(rolelint::load::cache::DIR_VAR, &cache)
            .arg("--cache"),
        root.path(),
    );
    assert_eq!(asked, expected);
    the_cache_file(&cache);

    // The last of --cache and --no-cache wins.
    let home = tempfile::tempdir().unwrap();
    run(
        rolelint(home.path()).args(["--cache", "--no-cache"]),
        root.path(),
    );
    assert!(common::files_under(home.path()).is_empty());
}

#[test]
fn the_default_place_is_the_git_directory_else_the_user_cache() {
    let home = tempfile::tempdir().unwrap();
    let root = catalogue();
    run(&mut rolelint(home.path()), root.path());
    let in_user_cache = common::files_under(home.path());
    assert_eq!(in_user_cache.len(), 1, "{in_user_cache:?}");
    assert!(in_user_cache[0].starts_with(home.path().join("xdg-cache/rolelint")));

    let repository = catalogue();
    std::fs::create_dir(repository.path().join(".git")).unwrap();
    let home = tempfile::tempdir().unwrap();
    run(
        &mut rolelint(home.path()),
        &repository.path().join("access"),
    );
    assert!(common::files_under(home.path()).is_empty());
    let in_git = common::files_under(&repository.path().join(".git"));
    assert_eq!(in_git.len(), 1, "{in_git:?}");
    assert!(in_git[0].starts_with(repository.path().join(".git/rolelint")));
}

/// Writes `count` more identities, `access/extra/{n:03}.yaml`.
fn add_identities(root: &Path, count: usize) {
    for n in 0..count {
        let text = ALICE
            .replace("id: alice", &format!("id: extra-{n}"))
            .replace("name: Alice", &format!("name: Extra {n}"));
        write(root, &format!("access/extra/{n:03}.yaml"), &text);
    }
}

#[test]
fn a_large_cache_is_rewritten_only_once_enough_files_changed() {
    let root = catalogue();
    // 64 more identity files: 69 cached files in all.
    add_identities(root.path(), 64);
    let cache = tempfile::tempdir().unwrap();
    std::thread::sleep(SETTLE);
    let (_, usage) = check(root.path(), Some(cache.path()));
    assert_eq!(usage.unwrap().parsed, 69);

    // One changed file of 69: parsed, its result right, the cache kept as it
    // was, so the next run parses it again (and only it).
    write(
        root.path(),
        "access/extra/007.yaml",
        &ALICE.replace("id: alice", "id: changed"),
    );
    std::thread::sleep(SETTLE);
    for _ in 0..2 {
        let expected = uncached(root.path());
        let (warm, usage) = check(root.path(), Some(cache.path()));
        assert_eq!(warm, expected);
        let usage = usage.unwrap();
        assert_eq!((usage.reused, usage.parsed, usage.written), (68, 1, false));
    }

    // Three changed files reach 1/32 of the entries: the cache takes them in.
    for n in [8, 9] {
        write(
            root.path(),
            &format!("access/extra/{n:03}.yaml"),
            &ALICE.replace("id: alice", &format!("id: changed-{n}")),
        );
    }
    std::thread::sleep(SETTLE);
    let expected = uncached(root.path());
    let (warm, usage) = check(root.path(), Some(cache.path()));
    assert_eq!(warm, expected);
    let usage = usage.unwrap();
    assert_eq!((usage.reused, usage.parsed, usage.written), (66, 3, true));
    let (again, usage) = check(root.path(), Some(cache.path()));
    assert_eq!(again, expected);
    assert_eq!(usage.unwrap().parsed, 0);
}

#[test]
fn files_of_a_cache_in_several_chunks_keep_their_results() {
    // 600 more identity files: the cache stores results in chunks of 256
    // files, so these span three chunks.
    let root = catalogue();
    add_identities(root.path(), 600);
    let cache = tempfile::tempdir().unwrap();
    std::thread::sleep(SETTLE);
    let (_, usage) = check(root.path(), Some(cache.path()));
    assert_eq!(usage.unwrap().parsed, 605);

    // A deletion in the first chunk shifts every later file's position in
    // this run; edits in the second and third chunks; a new file.
    std::fs::remove_file(root.path().join("access/extra/010.yaml")).unwrap();
    for n in [300, 550] {
        write(
            root.path(),
            &format!("access/extra/{n:03}.yaml"),
            &ALICE.replace("id: alice", &format!("id: changed-{n}")),
        );
    }
    write(
        root.path(),
        "access/extra/999.yaml",
        &ALICE.replace("id: alice", "id: added"),
    );
    let expected = uncached(root.path());
    assert!(expected.contains("changed-550"), "{expected}");
    let (warm, usage) = check(root.path(), Some(cache.path()));
    assert_eq!(warm, expected);
    let usage = usage.unwrap();
    assert_eq!((usage.reused, usage.parsed), (602, 3));
}
