//! Git repositories built inside a test: a temporary directory and the `git`
//! command line, isolated from the user's and the system's configuration,
//! with fixed identities and dates so that commit ids are reproducible.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// A scratch repository with a work tree.
pub struct Repo {
    dir: tempfile::TempDir,
    commits: u32,
}

impl Repo {
    /// `git init` in a fresh temporary directory, on branch `main`.
    pub fn new() -> Repo {
        let repo = Repo {
            dir: tempfile::tempdir().unwrap(),
            commits: 0,
        };
        repo.git(&["init", "--quiet", "--initial-branch=main"]);
        repo
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn join(&self, path: &str) -> PathBuf {
        self.dir.path().join(path)
    }

    /// Runs `git` in the work tree and returns its stdout; panics on failure.
    pub fn git(&self, args: &[&str]) -> String {
        // Every commit one day after the previous: reproducible ids, and an
        // order that `HEAD~1` follows.
        let date = format!("2026-11-{:02}T12:00:00Z", 1 + self.commits);
        let output = Command::new("git")
            .args([
                "-c",
                "user.name=Rolelint Test",
                "-c",
                "user.email=test@example.com",
            ])
            .args(["-c", "commit.gpgsign=false", "-c", "core.autocrlf=false"])
            .args(["-c", "gc.auto=0", "-c", "maintenance.auto=false"])
            .args(args)
            .current_dir(self.dir.path())
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_AUTHOR_DATE", &date)
            .env("GIT_COMMITTER_DATE", &date)
            .env_remove("GIT_DIR")
            .env_remove("GIT_WORK_TREE")
            .env_remove("GIT_INDEX_FILE")
            .output()
            .expect("git runs");
        assert!(
            output.status.success(),
            "git {args:?} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).unwrap()
    }

    /// Writes files (creating directories) in the work tree.
    pub fn write(&self, files: &[(&str, &str)]) {
        for (path, text) in files {
            let path = self.join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
    }

    pub fn remove(&self, path: &str) {
        std::fs::remove_file(self.join(path)).unwrap();
    }

    /// Stages everything and commits; returns the new commit's id.
    pub fn commit(&mut self, message: &str) -> String {
        self.git(&["add", "--all"]);
        self.git(&["commit", "--quiet", "--message", message]);
        self.commits += 1;
        self.git(&["rev-parse", "HEAD"]).trim().to_owned()
    }
}

/// Every file under `dir` (the `.git` directory included) with its bytes and
/// modification time: equal before and after a command that must not write.
pub fn fingerprint(dir: &Path) -> Vec<(PathBuf, Vec<u8>, std::time::SystemTime)> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        for entry in std::fs::read_dir(&current).unwrap() {
            let entry = entry.unwrap();
            let kind = entry.file_type().unwrap();
            if kind.is_dir() {
                pending.push(entry.path());
            } else if kind.is_file() {
                let metadata = entry.metadata().unwrap();
                files.push((
                    entry.path(),
                    std::fs::read(entry.path()).unwrap(),
                    metadata.modified().unwrap(),
                ));
            }
        }
    }
    files.sort_by(|a, b| a.0.cmp(&b.0));
    files
}
