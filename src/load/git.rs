//! Loading the catalogue as committed at a Git revision, straight from Git
//! objects: the work tree, the index and the repository are never written.
//!
//! The revision's files are found the way [`super::discover`] finds them in
//! the work tree (configured `paths`, `exclude` globs, hidden entries
//! skipped, the root's `rolelint.yaml` left out), with the differences a
//! committed tree implies:
//!
//! - `.gitignore` does not apply: every committed file is part of the revision.
//! - A symbolic link is never followed; a YAML path that is one is refused
//!   with a finding (`schema/invalid-document`), as a link leaving the root is
//!   in the work tree.
//! - Submodules are not read: their files are not in this repository's objects.
//!
//! Blobs are read lazily through [`GitTree`], so only the file being parsed
//! is in memory, and human output can read the files with findings again.
//! Custom policies (`policies:` globs) are read from the revision too.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use gix::bstr::ByteSlice;
use gix::objs::tree::EntryKind;
use ignore::Match;
use ignore::overrides::{Override, OverrideBuilder};

use super::discover::{CONFIG_FILE, CatalogueLimits, DiscoverError, Found};
use super::{
    Catalogue, FileSource, LoadError, LoadOptions, Sharing, assemble_sharing, parse_config,
    read_config,
};
use crate::model::Config;
use crate::policy::{PolicyError, PolicySource};

/// Why a revision could not be loaded (exit code 2).
#[derive(Debug, thiserror::Error)]
pub enum GitError {
    #[error("`{path}` is not inside a Git repository")]
    NotARepository {
        path: PathBuf,
        #[source]
        source: gix::Error,
    },
    #[error("`{path}` is not inside the work tree of the Git repository at `{repository}`")]
    OutsideWorkTree { path: PathBuf, repository: PathBuf },
    #[error("revision `{revision}` not found")]
    RevisionNotFound {
        revision: String,
        #[source]
        source: gix::Error,
    },
    #[error("revision `{revision}` names a {kind}, not a commit or a tree")]
    NotATree { revision: String, kind: String },
    #[error("the catalogue root `{root}` does not exist at revision `{revision}`")]
    RootMissing { revision: String, root: String },
    #[error("cannot read Git objects of revision `{revision}`")]
    Objects {
        revision: String,
        #[source]
        source: gix::Error,
    },
    #[error(transparent)]
    Load(#[from] LoadError),
    #[error(transparent)]
    Policy(#[from] PolicyError),
}

/// A catalogue loaded from a revision, with what the revision resolved to.
pub struct AtRevision {
    pub catalogue: Catalogue,
    /// The full hex id of the commit (or tree) the revision names.
    pub object: String,
    /// The catalogue root inside the repository, `/`-separated (empty: the repository root).
    pub root: String,
    /// The custom policies the configuration names, as committed.
    pub policies: Vec<PolicySource>,
}

/// Files of one revision: paths relative to the catalogue root → blob ids.
pub struct GitTree {
    repository: gix::ThreadSafeRepository,
    /// Idle thread-local handles: a `gix::Repository` is `Send` but not
    /// `Sync`, so each parallel reader borrows one and gives it back.
    handles: Mutex<Vec<gix::Repository>>,
    blobs: HashMap<String, gix::ObjectId>,
}

impl GitTree {
    fn read_blob(
        repository: &gix::Repository,
        id: gix::ObjectId,
        limit: u64,
    ) -> std::io::Result<Vec<u8>> {
        // The header gives the size without inflating the object, so an
        // oversized blob is refused before it is held in memory.
        let header = repository.find_header(id).map_err(std::io::Error::other)?;
        if header.size() > limit {
            return Err(std::io::Error::other(format!(
                "file is larger than the limit of {limit} bytes (the environment variable \
                 ROLELINT_MAX_FILE_BYTES raises it)"
            )));
        }
        let mut blob = repository.find_blob(id).map_err(std::io::Error::other)?;
        Ok(blob.take_data())
    }
}

impl FileSource for GitTree {
    fn read(&self, path: &str, limit: u64) -> std::io::Result<Vec<u8>> {
        let id = *self
            .blobs
            .get(path)
            .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::NotFound, path.to_owned()))?;
        let handle = self
            .handles
            .lock()
            .ok()
            .and_then(|mut handles| handles.pop())
            .unwrap_or_else(|| self.repository.to_thread_local());
        let result = Self::read_blob(&handle, id, limit);
        if let Ok(mut handles) = self.handles.lock() {
            handles.push(handle);
        }
        result
    }

    fn blob_id(&self, path: &str) -> Option<gix::ObjectId> {
        self.blobs.get(path).copied()
    }
}

/// Loads the catalogue under `options.start` as committed at `revision`
/// (anything `git rev-parse` accepts).
///
/// The repository is found upward from `options.start`; the catalogue root
/// is the nearest directory at or above it (inside the repository) whose
/// revision holds `rolelint.yaml`, else the start directory itself. An
/// explicit `--config` file is read from the file system and makes the start
/// directory the root.
pub fn load_revision(options: &LoadOptions, revision: &str) -> Result<AtRevision, GitError> {
    load_revision_sharing(options, revision, Sharing::Off)
}

/// [`load_revision`], lending its parsed files to a later load or borrowing
/// those of an earlier one ([`super::ParsedBlobs`]).
pub fn load_revision_sharing(
    options: &LoadOptions,
    revision: &str,
    sharing: Sharing<'_>,
) -> Result<AtRevision, GitError> {
    let start = start_directory(options)?;
    // As `git` does: GIT_DIR, GIT_CEILING_DIRECTORIES and the like apply.
    let repository = gix::discover_with_environment_overrides(&start).map_err(|source| {
        GitError::NotARepository {
            path: options.start.clone(),
            source,
        }
    })?;
    let start_in_repository = path_in_repository(&repository, &start, &options.start)?;

    let object = repository
        .rev_parse_single(revision)
        .map_err(|source| GitError::RevisionNotFound {
            revision: revision.to_owned(),
            source,
        })?
        .object()
        .map_err(|source| objects_error(revision, source))?;
    let object_id = object.id;
    let kind = object.kind;
    let tree = object.peel_to_tree().map_err(|_| GitError::NotATree {
        revision: revision.to_owned(),
        kind: kind.to_string(),
    })?;
    let objects = |source| objects_error(revision, source);

    // The root: upward from the start, the first directory whose revision
    // holds rolelint.yaml, as `discover::find_root` does in the work tree.
    let mut root = start_in_repository.clone();
    let mut config_blob = None;
    if options.config.is_none() {
        let mut candidate = Some(start_in_repository.as_str());
        while let Some(dir) = candidate {
            let config_path = join(dir, CONFIG_FILE);
            if let Some(entry) = tree.lookup_entry_by_path(&config_path).map_err(objects)?
                && entry.mode().is_blob()
            {
                root = dir.to_owned();
                config_blob = Some((config_path, entry.object_id()));
                break;
            }
            candidate = parent(dir);
        }
    }
    let root_tree = if root.is_empty() {
        tree.id
    } else {
        match tree.lookup_entry_by_path(&root).map_err(objects)? {
            Some(entry) if entry.mode().is_tree() => entry.object_id(),
            _ => {
                return Err(GitError::RootMissing {
                    revision: revision.to_owned(),
                    root,
                });
            }
        }
    };

    // Releases the borrow of the repository, which the source takes over.
    drop(tree);

    let config = match (&options.config, config_blob) {
        (Some(path), _) => read_config(path, &options.rule_codes)?,
        (None, Some((config_path, id))) => {
            let shown = PathBuf::from(format!("{revision}:{config_path}"));
            let bytes = GitTree::read_blob(&repository, id, options.limits.max_file_bytes)
                .map_err(|source| LoadError::ConfigUnreadable {
                    path: shown.clone(),
                    source,
                })?;
            let text = String::from_utf8(bytes).map_err(|error| LoadError::ConfigUnreadable {
                path: shown.clone(),
                source: std::io::Error::new(std::io::ErrorKind::InvalidData, error),
            })?;
            parse_config(&text, &options.rule_codes).map_err(|problems| {
                LoadError::ConfigInvalid {
                    path: shown,
                    text,
                    problems,
                }
            })?
        }
        (None, None) => Config::default(),
    };

    let walk = walk_revision(&repository, root_tree, &config).map_err(|error| match error {
        WalkError::Discover(error) => GitError::Load(LoadError::Discover(error)),
        WalkError::Objects(source) => objects_error(revision, source),
    })?;
    // The work-tree walk's catalogue-wide limits, on the revision's files:
    // a revision is as untrusted as a work tree.
    let limits = CatalogueLimits::from_env().map_err(LoadError::Discover)?;
    limits
        .check(walk.found.len(), 0)
        .map_err(LoadError::Discover)?;
    let mut total_bytes = 0u64;
    for id in walk.blobs.values() {
        let header = repository
            .find_header(*id)
            .map_err(|error| objects_error(revision, error))?;
        total_bytes = total_bytes.saturating_add(header.size());
    }
    limits
        .check(walk.found.len(), total_bytes)
        .map_err(LoadError::Discover)?;
    let policies = if config.policies.is_empty() {
        Vec::new()
    } else {
        policy_sources(
            &repository,
            root_tree,
            &config.policies,
            options.limits.max_file_bytes,
        )?
    };
    let source = GitTree {
        repository: repository.into_sync(),
        handles: Mutex::new(Vec::new()),
        blobs: walk.blobs,
    };
    Ok(AtRevision {
        catalogue: assemble_sharing(config, walk.found, Box::new(source), options, sharing),
        object: object_id.to_string(),
        root,
        policies,
    })
}

fn objects_error(revision: &str, source: gix::Error) -> GitError {
    GitError::Objects {
        revision: revision.to_owned(),
        source,
    }
}

/// The directory PATH names (its parent when PATH is a file), which must exist.
fn start_directory(options: &LoadOptions) -> Result<PathBuf, GitError> {
    let start = if options.start.is_file() {
        options
            .start
            .parent()
            .unwrap_or(Path::new("."))
            .to_path_buf()
    } else {
        options.start.clone()
    };
    if !start.exists() {
        return Err(LoadError::PathNotFound(options.start.clone()).into());
    }
    Ok(start)
}

/// `start`'s path inside the repository's work tree, `/`-separated.
fn path_in_repository(
    repository: &gix::Repository,
    start: &Path,
    shown: &Path,
) -> Result<String, GitError> {
    let outside = || GitError::OutsideWorkTree {
        path: shown.to_path_buf(),
        repository: repository.git_dir().to_path_buf(),
    };
    // A bare repository has no work tree: its catalogue is at the top.
    let Some(work_tree) = repository.workdir() else {
        return Ok(String::new());
    };
    let canonical = |path: &Path| {
        path.canonicalize()
            .map_err(|source| LoadError::Discover(DiscoverError::Root(source)))
    };
    let work_tree = canonical(work_tree)?;
    let start = canonical(start)?;
    let relative = start.strip_prefix(&work_tree).map_err(|_| outside())?;
    let parts: Vec<&str> = relative
        .components()
        .map(|component| component.as_os_str().to_str())
        .collect::<Option<_>>()
        .ok_or_else(outside)?;
    Ok(parts.join("/"))
}

fn join(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        name.to_owned()
    } else {
        format!("{dir}/{name}")
    }
}

/// The parent of a `/`-separated directory; `None` above the repository root.
fn parent(dir: &str) -> Option<&str> {
    if dir.is_empty() {
        None
    } else {
        Some(dir.rfind('/').map_or("", |slash| &dir[..slash]))
    }
}

/// A configured path, cleaned lexically (`.`, `..`, empty parts); `None`
/// when it leaves the catalogue root.
fn clean_path(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            part => parts.push(part),
        }
    }
    Some(parts.join("/"))
}

fn is_yaml(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    super::discover::is_yaml_name(name.as_bytes())
}

/// The `exclude` globs, matched like the work-tree walk matches them:
/// relative to the catalogue root.
fn exclude_matcher(config: &Config) -> Result<Override, DiscoverError> {
    // "." is the one root the matcher never strips, so relative paths match as given.
    let mut overrides = OverrideBuilder::new(".");
    for glob in &config.exclude {
        overrides
            .add(&format!("!{glob}"))
            .map_err(|source| DiscoverError::BadGlob {
                glob: glob.clone(),
                source,
            })?;
    }
    overrides.build().map_err(|source| DiscoverError::BadGlob {
        glob: config.exclude.join(", "),
        source,
    })
}

enum WalkError {
    Discover(DiscoverError),
    Objects(gix::Error),
}

impl From<gix::Error> for WalkError {
    fn from(error: gix::Error) -> Self {
        WalkError::Objects(error)
    }
}

struct Walked {
    found: Vec<Found>,
    blobs: HashMap<String, gix::ObjectId>,
}

/// Lists the YAML files under the configured paths of the tree `root`, in
/// plain byte order of their paths relative to it.
fn walk_revision(
    repository: &gix::Repository,
    root: gix::ObjectId,
    config: &Config,
) -> Result<Walked, WalkError> {
    let excludes = exclude_matcher(config).map_err(WalkError::Discover)?;
    let root_tree = repository.find_tree(root)?;
    let mut walked = Walked {
        found: Vec::new(),
        blobs: HashMap::new(),
    };
    let mut directories: Vec<(gix::ObjectId, String)> = Vec::new();
    for configured in &config.paths {
        let path = clean_path(configured)
            .ok_or_else(|| WalkError::Discover(DiscoverError::MissingPath(configured.clone())))?;
        if path.is_empty() {
            directories.push((root, path));
            continue;
        }
        let Some(entry) = root_tree.lookup_entry_by_path(&path)? else {
            return Err(WalkError::Discover(DiscoverError::MissingPath(
                configured.clone(),
            )));
        };
        // The configured path itself is not matched against `exclude` or
        // the hidden-name rule, as in the work-tree walk.
        match entry.mode().kind() {
            EntryKind::Tree => directories.push((entry.object_id(), path)),
            kind => walked.file(kind, path, entry.object_id()),
        }
    }
    // An explicit stack: a deeply nested tree cannot overflow the call stack.
    while let Some((tree_id, dir)) = directories.pop() {
        let tree = repository.find_tree(tree_id)?;
        for entry in tree.iter() {
            let entry = entry?;
            // A name that is not UTF-8 is skipped, as the work-tree walk does.
            let Ok(name) = entry.filename().to_str() else {
                continue;
            };
            let path = join(&dir, name);
            let kind = entry.mode().kind();
            match excludes.matched(&path, kind == EntryKind::Tree) {
                Match::Ignore(_) => continue,
                Match::None if name.starts_with('.') => continue,
                Match::None | Match::Whitelist(_) => {}
            }
            match kind {
                EntryKind::Tree => directories.push((entry.object_id(), path)),
                kind => walked.file(kind, path, entry.object_id()),
            }
        }
    }
    // The configuration is not part of the catalogue.
    walked.found.retain(|found| found.path() != CONFIG_FILE);
    walked
        .found
        .sort_by(|a, b| a.path().as_bytes().cmp(b.path().as_bytes()));
    walked.found.dedup();
    Ok(walked)
}

impl Walked {
    fn file(&mut self, kind: EntryKind, path: String, id: gix::ObjectId) {
        if !is_yaml(&path) {
            return;
        }
        match kind {
            EntryKind::Blob | EntryKind::BlobExecutable => {
                self.blobs.insert(path.clone(), id);
                self.found.push(Found::File {
                    path,
                    observed: None,
                });
            }
            EntryKind::Link => self.found.push(Found::Refused {
                path,
                reason: "symbolic link in a Git revision: rolelint does not follow links there; not read"
                    .to_owned(),
            }),
            // A submodule's files are not in this repository's objects.
            EntryKind::Commit | EntryKind::Tree => {}
        }
    }
}

/// The `.rego` files that `policies:` globs match in the tree `root`, in
/// path order, each once; the rules of the work tree's policy lookup apply
/// (globs relative to the root, hidden entries skipped), and a symbolic link
/// is refused rather than followed.
fn policy_sources(
    repository: &gix::Repository,
    root: gix::ObjectId,
    globs: &[String],
    limit: u64,
) -> Result<Vec<PolicySource>, PolicyError> {
    let unreadable = |path: &str, source: std::io::Error| PolicyError::Read {
        path: path.to_owned(),
        source,
    };
    let git = |path: &str| {
        let path = path.to_owned();
        move |error: gix::Error| PolicyError::Read {
            path,
            source: std::io::Error::other(error),
        }
    };
    let root_tree = repository.find_tree(root).map_err(git("."))?;
    let mut matched: std::collections::BTreeMap<String, gix::ObjectId> = Default::default();
    for glob in globs {
        let (pattern, matcher) = policy_matcher(glob)?;
        // Only below the directories that hold no wildcard, as on disk.
        let base = pattern
            .split('/')
            .take_while(|part| !part.contains(['*', '?', '[', ']', '{', '}']))
            .collect::<Vec<_>>()
            .join("/");
        let base_tree = if base.is_empty() {
            Some(root)
        } else {
            root_tree
                .lookup_entry_by_path(&base)
                .map_err(git(&base))?
                .filter(|entry| entry.mode().is_tree())
                .map(|entry| entry.object_id())
        };
        let files = match base_tree {
            Some(tree) => list_files(repository, tree, &base).map_err(git(&base))?,
            None => Vec::new(),
        };
        let mut any = false;
        for (path, kind, id) in files {
            if !path.ends_with(".rego") || !matcher.is_match(path.as_str()) {
                continue;
            }
            if kind == EntryKind::Link {
                return Err(unreadable(
                    &path,
                    std::io::Error::other(
                        "symbolic link in a Git revision: rolelint does not follow links there",
                    ),
                ));
            }
            any = true;
            matched.insert(path, id);
        }
        if !any {
            return Err(PolicyError::NoMatch { glob: glob.clone() });
        }
    }
    matched
        .into_iter()
        .map(|(path, id)| {
            let bytes = GitTree::read_blob(repository, id, limit)
                .map_err(|source| unreadable(&path, source))?;
            let text = String::from_utf8(bytes).map_err(|error| {
                unreadable(
                    &path,
                    std::io::Error::new(std::io::ErrorKind::InvalidData, error),
                )
            })?;
            Ok(PolicySource { path, text })
        })
        .collect()
}

/// A policy glob, validated and compiled as the work tree's policy lookup
/// does; with its pattern (the glob without a leading `./`).
fn policy_matcher(glob: &str) -> Result<(&str, globset::GlobMatcher), PolicyError> {
    let bad = |reason: &str| PolicyError::Glob {
        glob: glob.to_owned(),
        reason: reason.to_owned(),
    };
    if glob.is_empty() {
        return Err(bad("the glob is empty"));
    }
    if glob.contains('\\') {
        return Err(bad("write paths with `/`"));
    }
    if Path::new(glob).components().any(|component| {
        !matches!(
            component,
            std::path::Component::Normal(_) | std::path::Component::CurDir
        )
    }) {
        return Err(bad(
            "a policy glob must stay inside the catalogue root (no absolute paths, no `..`)",
        ));
    }
    let pattern = glob.trim_start_matches("./");
    let matcher = globset::GlobBuilder::new(pattern)
        .literal_separator(true)
        .build()
        .map_err(|error| bad(&error.kind().to_string()))?
        .compile_matcher();
    Ok((pattern, matcher))
}

/// Every file (blob or link) below the tree `start`, at `start_path`
/// inside the catalogue root, skipping hidden entries below it.
fn list_files(
    repository: &gix::Repository,
    start: gix::ObjectId,
    start_path: &str,
) -> Result<Vec<(String, EntryKind, gix::ObjectId)>, gix::Error> {
    let mut files = Vec::new();
    let mut directories = vec![(start, start_path.to_owned())];
    while let Some((tree_id, dir)) = directories.pop() {
        let tree = repository.find_tree(tree_id)?;
        for entry in tree.iter() {
            let entry = entry?;
            let Ok(name) = entry.filename().to_str() else {
                continue;
            };
            if name.starts_with('.') {
                continue;
            }
            let path = join(&dir, name);
            match entry.mode().kind() {
                EntryKind::Tree => directories.push((entry.object_id(), path)),
                EntryKind::Commit => {}
                kind => files.push((path, kind, entry.object_id())),
            }
        }
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn configured_paths_are_cleaned_and_cannot_leave_the_root() {
        assert_eq!(clean_path("access").as_deref(), Some("access"));
        assert_eq!(clean_path("./access/").as_deref(), Some("access"));
        assert_eq!(clean_path(".").as_deref(), Some(""));
        assert_eq!(clean_path("a/../b//c").as_deref(), Some("b/c"));
        assert_eq!(clean_path("../outside"), None);
        assert_eq!(clean_path("a/../../outside"), None);
    }

    #[test]
    fn parents_run_up_to_the_repository_root() {
        assert_eq!(parent("a/b/c"), Some("a/b"));
        assert_eq!(parent("a"), Some(""));
        assert_eq!(parent(""), None);
    }

    #[test]
    fn excludes_match_paths_relative_to_the_root() {
        let config = Config {
            exclude: vec!["access/drafts/**".to_owned(), "old/".to_owned()],
            ..Config::default()
        };
        let excludes = exclude_matcher(&config).unwrap();
        assert!(excludes.matched("access/drafts/x.yaml", false).is_ignore());
        assert!(excludes.matched("access/old", true).is_ignore());
        assert!(excludes.matched("access/old", false).is_none());
        assert!(excludes.matched("access/roles.yaml", false).is_none());
        assert!(
            excludes
                .matched("other/access/drafts/x.yaml", false)
                .is_none()
        );
    }
}
