//! YAML ends a line at LF, CR LF or a CR alone, and numbers lines that way:
//! the example catalogue written with each gives the same findings at the
//! same lines and columns, in every output format.

use std::path::Path;

use assert_cmd::Command;

/// Copies the catalogue under `from` to `to`, every line break of its YAML
/// files (and its configuration) written as `line_break`.
fn copy_with_line_breaks(from: &Path, to: &Path, line_break: &str) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_with_line_breaks(&entry.path(), &target, line_break);
        } else if entry.path().extension().is_some_and(|ext| ext == "yaml") {
            let text = std::fs::read_to_string(entry.path()).unwrap();
            assert!(!text.contains('\r'), "{}", entry.path().display());
            std::fs::write(target, text.replace('\n', line_break)).unwrap();
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Output and exit code of `check` in `format` on the catalogue at `root`.
fn check(root: &Path, format: &str) -> (String, Option<i32>) {
    let output = Command::cargo_bin("rolelint")
        .unwrap()
        .current_dir(root)
        .args([
            "check",
            "--no-cache",
            "--now",
            "2026-11-26",
            "--format",
            format,
        ])
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        .output()
        .unwrap();
    (
        String::from_utf8(output.stdout).unwrap(),
        output.status.code(),
    )
}

#[test]
fn every_kind_of_line_break_gives_the_same_findings() {
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/example");
    let dir = tempfile::tempdir().unwrap();
    let written: Vec<(&str, std::path::PathBuf)> = [("LF", "\n"), ("CR LF", "\r\n"), ("CR", "\r")]
        .into_iter()
        .map(|(name, line_break)| {
            let root = dir.path().join(name.replace(' ', ""));
            copy_with_line_breaks(&example, &root, line_break);
            (name, root)
        })
        .collect();
    for format in ["json", "human", "sarif"] {
        let (expected, code) = check(&written[0].1, format);
        assert_eq!(code, Some(1), "the example has error findings");
        assert!(expected.contains("access/"), "{format}: {expected}");
        for (name, root) in &written[1..] {
            assert_eq!(
                check(root, format),
                (expected.clone(), code),
                "{format}, {name}"
            );
        }
    }
}
