//! Finding the catalogue: the root directory, its configuration, and the YAML
//! files under the configured paths (a parallel walk with the `ignore` crate).

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::time::SystemTime;

use ignore::WalkState;
use ignore::overrides::OverrideBuilder;

use super::stamp::{Observed, nanos_since_epoch};
use crate::model::Config;

/// The configuration file name looked for upward from the start path.
pub const CONFIG_FILE: &str = "rolelint.yaml";

/// Where a catalogue lives.
#[derive(Clone, Debug)]
pub struct Root {
    /// The directory paths are reported relative to.
    pub dir: PathBuf,
    /// The configuration file, if one was found or given.
    pub config: Option<PathBuf>,
}

/// Locates the root: the nearest directory at or above `start` that holds
/// `rolelint.yaml`, not looking above the Git repository root; without one,
/// `start` itself. An explicit `--config` makes `start` the root.
pub fn find_root(start: &Path, explicit_config: Option<&Path>) -> Root {
    if let Some(config) = explicit_config {
        return Root {
            dir: start.to_path_buf(),
            config: Some(config.to_path_buf()),
        };
    }
    let mut dir = Some(start);
    while let Some(current) = dir {
        let candidate = current.join(CONFIG_FILE);
        if candidate.is_file() {
            return Root {
                dir: current.to_path_buf(),
                config: Some(candidate),
            };
        }
        if current.join(".git").exists() {
            break;
        }
        dir = current.parent();
    }
    Root {
        dir: start.to_path_buf(),
        config: None,
    }
}

/// A file the walk found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    /// A YAML file to read: its path relative to the root with `/`
    /// separators, and its stat data when it was found on disk (`None` for
    /// files from Git or memory, or when the stat failed).
    File {
        path: String,
        observed: Option<Observed>,
    },
    /// A YAML path rolelint will not read, and why.
    Refused { path: String, reason: String },
}

impl Found {
    pub fn path(&self) -> &str {
        match self {
            Found::File { path, .. } | Found::Refused { path, .. } => path,
        }
    }

    /// The path, taken out of the entry (no copy).
    pub fn into_path(self) -> String {
        match self {
            Found::File { path, .. } | Found::Refused { path, .. } => path,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DiscoverError {
    #[error("configured path `{0}` does not exist under the catalogue root")]
    MissingPath(String),
    #[error("invalid exclude glob `{glob}`: {source}")]
    BadGlob {
        glob: String,
        #[source]
        source: ignore::Error,
    },
    #[error("cannot resolve the catalogue root: {0}")]
    Root(#[source] std::io::Error),
    #[error(
        "the catalogue has more than {limit} YAML files, rolelint's limit; nothing was analysed. \
         If the catalogue really is that large, raise the limit with the environment variable \
         {MAX_FILES_ENV} (e.g. {MAX_FILES_ENV}={suggested})",
        suggested = limit.saturating_mul(2)
    )]
    TooManyFiles { limit: usize },
    #[error(
        "the catalogue's YAML files hold more than {limit} bytes, rolelint's limit; nothing was \
         analysed. If the catalogue really is that large, raise the limit with the environment \
         variable {MAX_TOTAL_BYTES_ENV} (e.g. {MAX_TOTAL_BYTES_ENV}={suggested})",
        suggested = limit.saturating_mul(2)
    )]
    TooManyBytes { limit: u64 },
    #[error("{variable} must be a whole number greater than 0, not `{value}`")]
    BadLimit {
        variable: &'static str,
        value: String,
    },
}

/// The environment variable that sets [`CatalogueLimits::max_files`].
pub const MAX_FILES_ENV: &str = "ROLELINT_MAX_FILES";
/// The environment variable that sets [`CatalogueLimits::max_total_bytes`].
pub const MAX_TOTAL_BYTES_ENV: &str = "ROLELINT_MAX_TOTAL_BYTES";

/// Bounds on the whole catalogue, so that the per-file limits cannot be
/// sidestepped by splitting a hostile input across many files.
///
/// The defaults are about three times what a catalogue of a million
/// identities needs (some 700,000 files and 3 GB).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CatalogueLimits {
    /// Most YAML files under the configured paths (refused ones included).
    pub max_files: usize,
    /// Most bytes in those files together.
    pub max_total_bytes: u64,
}

impl Default for CatalogueLimits {
    fn default() -> Self {
        CatalogueLimits {
            max_files: 2_000_000,
            max_total_bytes: 10 * 1024 * 1024 * 1024,
        }
    }
}

impl CatalogueLimits {
    /// The defaults, overridden by [`MAX_FILES_ENV`] and [`MAX_TOTAL_BYTES_ENV`].
    pub fn from_env() -> Result<Self, DiscoverError> {
        let mut limits = CatalogueLimits::default();
        if let Some(value) = positive_from_env(MAX_FILES_ENV)? {
            limits.max_files = usize::try_from(value).unwrap_or(usize::MAX);
        }
        if let Some(value) = positive_from_env(MAX_TOTAL_BYTES_ENV)? {
            limits.max_total_bytes = value;
        }
        Ok(limits)
    }

    /// Checks totals found some other way (the files of a Git revision).
    pub fn check(&self, files: usize, total_bytes: u64) -> Result<(), DiscoverError> {
        if files > self.max_files {
            return Err(DiscoverError::TooManyFiles {
                limit: self.max_files,
            });
        }
        if total_bytes > self.max_total_bytes {
            return Err(DiscoverError::TooManyBytes {
                limit: self.max_total_bytes,
            });
        }
        Ok(())
    }
}

pub(crate) fn positive_from_env(variable: &'static str) -> Result<Option<u64>, DiscoverError> {
    let Some(value) = std::env::var_os(variable) else {
        return Ok(None);
    };
    let value = value.to_string_lossy();
    match value.trim().parse::<u64>() {
        Ok(number) if number > 0 => Ok(Some(number)),
        _ => Err(DiscoverError::BadLimit {
            variable,
            value: value.into_owned(),
        }),
    }
}

fn is_yaml(path: &Path) -> bool {
    // The name from the path's bytes: `Path::extension` parses components
    // from the end, a visible cost over hundreds of thousands of files.
    let bytes = path.as_os_str().as_encoded_bytes();
    let name = match bytes
        .iter()
        .rposition(|&byte| std::path::is_separator(char::from(byte)))
    {
        Some(separator) => &bytes[separator + 1..],
        None => bytes,
    };
    is_yaml_name(name)
}

/// Whether a file name has the extension `yaml` or `yml` as
/// `Path::extension` reads it: after the last dot, unless that dot starts
/// the name (`.yaml` is a hidden file without an extension).
pub(super) fn is_yaml_name(name: &[u8]) -> bool {
    match name.iter().rposition(|&byte| byte == b'.') {
        Some(dot) if dot > 0 => matches!(&name[dot + 1..], b"yaml" | b"yml"),
        _ => false,
    }
}

/// `path` relative to `root`, with `/` separators; `None` if it is not
/// under `root` or not UTF-8.
fn relative(root: &Path, path: &Path) -> Option<String> {
    // Every walked path is the root's bytes, a separator and a plain relative
    // path: taken as it is, without splitting it into components (a quarter
    // of the walk's instructions on a large catalogue).
    #[cfg(unix)]
    {
        let rest = path
            .as_os_str()
            .as_encoded_bytes()
            .strip_prefix(root.as_os_str().as_encoded_bytes())
            .and_then(|rest| rest.strip_prefix(b"/"));
        if let Some(rest) = rest
            && rest
                .split(|byte| *byte == b'/')
                .all(|part| !part.is_empty() && part != b".")
            && let Ok(rest) = std::str::from_utf8(rest)
        {
            return Some(rest.to_owned());
        }
    }
    relative_by_components(root, path)
}

fn relative_by_components(root: &Path, path: &Path) -> Option<String> {
    let relative = path.strip_prefix(root).ok()?;
    let parts: Vec<&str> = relative
        .components()
        .map(|component| component.as_os_str().to_str())
        .collect::<Option<_>>()?;
    Some(parts.join("/"))
}

/// Walks the configured paths in parallel and returns the YAML files in
/// plain byte order of their relative paths, which is the catalogue's order.
/// The catalogue-wide limits come from the environment ([`CatalogueLimits::from_env`]).
pub fn discover(root: &Path, config: &Config) -> Result<Vec<Found>, DiscoverError> {
    discover_with_limits(root, config, &CatalogueLimits::from_env()?)
}

/// [`discover`] with explicit catalogue-wide limits. The walk stops as soon
/// as one is exceeded, so a tree of ten million files costs no more than
/// one just over the limit.
pub fn discover_with_limits(
    root: &Path,
    config: &Config,
    limits: &CatalogueLimits,
) -> Result<Vec<Found>, DiscoverError> {
    let canonical_root = root.canonicalize().map_err(DiscoverError::Root)?;
    let mut overrides = OverrideBuilder::new(&canonical_root);
    for glob in &config.exclude {
        overrides
            .add(&format!("!{glob}"))
            .map_err(|source| DiscoverError::BadGlob {
                glob: glob.clone(),
                source,
            })?;
    }
    let overrides = overrides.build().map_err(|source| DiscoverError::BadGlob {
        glob: config.exclude.join(", "),
        source,
    })?;
    let mut starts = Vec::new();
    for path in &config.paths {
        let start = canonical_root.join(path);
        if !start.exists() {
            return Err(DiscoverError::MissingPath(path.clone()));
        }
        starts.push(start);
    }
    let Some((first, rest)) = starts.split_first() else {
        return Ok(Vec::new());
    };
    let mut builder = ignore::WalkBuilder::new(first);
    for start in rest {
        builder.add(start);
    }
    builder
        .overrides(overrides)
        .follow_links(false)
        .require_git(false)
        .git_global(false)
        .git_exclude(false)
        .ignore(false)
        .parents(true);

    let found = Mutex::new(Vec::new());
    let files = AtomicUsize::new(0);
    let bytes = AtomicU64::new(0);
    let exceeded = AtomicBool::new(false);
    builder.build_parallel().run(|| {
        let found = &found;
        let canonical_root = &canonical_root;
        let (files, bytes, exceeded) = (&files, &bytes, &exceeded);
        Box::new(move |entry| {
            let Ok(entry) = entry else {
                return WalkState::Continue;
            };
            let Some(mut item) = classify(canonical_root, &entry) else {
                return WalkState::Continue;
            };
            let size = match &mut item {
                // The one stat of the file in a run (the read and the cache
                // use it). A symbolic link was resolved inside the root:
                // count its target.
                Found::File { observed, .. } => {
                    // No clock reading, no stamp: nothing is cached then.
                    let taken_at = nanos_since_epoch(SystemTime::now());
                    match std::fs::metadata(entry.path()) {
                        Ok(metadata) => {
                            *observed = taken_at.and_then(|at| Observed::of(&metadata, at));
                            metadata.len()
                        }
                        Err(_) => 0,
                    }
                }
                Found::Refused { .. } => 0,
            };
            let files = files.fetch_add(1, Ordering::Relaxed) + 1;
            let bytes = bytes.fetch_add(size, Ordering::Relaxed) + size;
            if files > limits.max_files || bytes > limits.max_total_bytes {
                exceeded.store(true, Ordering::Relaxed);
                return WalkState::Quit;
            }
            if let Ok(mut found) = found.lock() {
                found.push(item);
            }
            WalkState::Continue
        })
    });
    if exceeded.into_inner() {
        limits.check(files.into_inner(), bytes.into_inner())?;
    }
    let mut found = found.into_inner().unwrap_or_default();
    // The configuration is not part of the catalogue.
    found.retain(|item| item.path() != CONFIG_FILE);
    // Unstable: it moves these large entries less. Paths are unique but
    // for a file walked twice, whose entries differ at most in when they
    // were stat-ed, and which of them came first was up to the walk anyway.
    found.sort_unstable_by(|a, b| a.path().as_bytes().cmp(b.path().as_bytes()));
    // A file under two configured paths is walked twice.
    found.dedup_by(|a, b| a.path() == b.path());
    Ok(found)
}

/// Decides what to do with one walked entry: read it, refuse it, or skip it.
fn classify(root: &Path, entry: &ignore::DirEntry) -> Option<Found> {
    let path = entry.path();
    if !is_yaml(path) {
        return None;
    }
    let file_type = entry.file_type()?;
    if file_type.is_dir() {
        return None;
    }
    let Some(relative) = relative(root, path) else {
        // Not silently skipped: a file that cannot be named is still there.
        let shown = path.strip_prefix(root).unwrap_or(path);
        return Some(Found::Refused {
            path: shown.to_string_lossy().replace('\\', "/"),
            reason: "file name is not valid UTF-8; not read".to_owned(),
        });
    };
    if file_type.is_symlink() {
        let refuse = |reason: &str| Found::Refused {
            path: relative.clone(),
            reason: reason.to_owned(),
        };
        return Some(match path.canonicalize() {
            Err(_) => refuse("symbolic link that cannot be resolved (broken, or a loop); not read"),
            Ok(target) if !target.starts_with(root) => {
                refuse("symbolic link that points outside the repository root; not read")
            }
            Ok(target) if !target.is_file() => {
                refuse("symbolic link to something that is not a regular file; not read")
            }
            Ok(_) => Found::File {
                path: relative,
                observed: None,
            },
        });
    }
    if !file_type.is_file() {
        return Some(Found::Refused {
            path: relative,
            reason: "not a regular file (a FIFO, socket or device); not read".to_owned(),
        });
    }
    Some(Found::File {
        path: relative,
        observed: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(files: usize, bytes_each: usize) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for index in 0..files {
            let path = dir.path().join(format!("part-{}/f{index}.yaml", index % 3));
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "x".repeat(bytes_each)).unwrap();
        }
        dir
    }

    #[test]
    fn yaml_names_are_what_path_extension_reads() {
        for name in [
            "a.yaml",
            "a.yml",
            "a.YAML",
            ".yaml",
            ".a.yaml",
            "..yaml",
            "a.yaml.bak",
            "yaml",
            "a.",
            "..",
            "a..yml",
            "日本.yaml",
            "a.yamll",
        ] {
            let expected = matches!(
                Path::new(name).extension().and_then(|e| e.to_str()),
                Some("yaml" | "yml")
            );
            assert_eq!(is_yaml_name(name.as_bytes()), expected, "{name}");
            assert_eq!(
                is_yaml(&Path::new("dir/sub").join(name)),
                expected,
                "{name}"
            );
        }
    }

    #[test]
    fn relative_paths_are_those_of_the_components() {
        let root = Path::new("/repo/catalogue");
        for path in [
            "/repo/catalogue/access/roles/a.yaml",
            "/repo/catalogue/a.yaml",
            "/repo/catalogue//access/./b.yaml",
            "/repo/catalogue/access/",
            "/repo/catalogue/../x.yaml",
            "/repo/catalogue",
            "/repo/catalogue-2/a.yaml",
            "/repo/other/a.yaml",
            "/repo/catalogue/é/ü.yaml",
        ] {
            let path = Path::new(path);
            assert_eq!(
                relative(root, path),
                relative_by_components(root, path),
                "{}",
                path.display()
            );
        }
        assert_eq!(
            relative(root, Path::new("/repo/catalogue/access/roles/a.yaml")).as_deref(),
            Some("access/roles/a.yaml")
        );
    }

    #[test]
    fn splitting_across_files_does_not_escape_the_catalogue_limits() {
        let dir = tree(12, 100);
        let config = Config::default();
        let limits = CatalogueLimits {
            max_files: 12,
            max_total_bytes: 1_200,
        };
        let found = discover_with_limits(dir.path(), &config, &limits).unwrap();
        assert_eq!(found.len(), 12);
        // Each file's one stat is kept for the read and the cache.
        for item in &found {
            let Found::File {
                observed: Some(observed),
                ..
            } = item
            else {
                panic!("no stat data for {item:?}");
            };
            assert_eq!(observed.stamp.size(), 100);
        }

        let fewer_files = CatalogueLimits {
            max_files: 11,
            ..limits
        };
        let error = discover_with_limits(dir.path(), &config, &fewer_files).unwrap_err();
        assert!(matches!(error, DiscoverError::TooManyFiles { limit: 11 }));
        let message = error.to_string();
        assert!(
            message.contains("more than 11 YAML files") && message.contains(MAX_FILES_ENV),
            "{message}"
        );

        let fewer_bytes = CatalogueLimits {
            max_total_bytes: 1_199,
            ..limits
        };
        let error = discover_with_limits(dir.path(), &config, &fewer_bytes).unwrap_err();
        assert!(matches!(
            error,
            DiscoverError::TooManyBytes { limit: 1_199 }
        ));
        assert!(error.to_string().contains(MAX_TOTAL_BYTES_ENV));
    }

    #[cfg(unix)]
    #[test]
    fn a_file_name_that_is_not_utf8_is_refused_not_skipped() {
        use std::os::unix::ffi::OsStrExt as _;
        let dir = tempfile::tempdir().unwrap();
        let name = std::ffi::OsStr::from_bytes(b"caf\xe9.yaml");
        std::fs::write(dir.path().join(name), "id: x\n").unwrap();
        let found =
            discover_with_limits(dir.path(), &Config::default(), &CatalogueLimits::default())
                .unwrap();
        assert_eq!(
            found,
            vec![Found::Refused {
                path: "caf\u{fffd}.yaml".to_owned(),
                reason: "file name is not valid UTF-8; not read".to_owned(),
            }]
        );
    }

    #[test]
    fn totals_from_elsewhere_are_checked_alike() {
        let limits = CatalogueLimits {
            max_files: 2,
            max_total_bytes: 10,
        };
        assert!(limits.check(2, 10).is_ok());
        assert!(matches!(
            limits.check(3, 0),
            Err(DiscoverError::TooManyFiles { .. })
        ));
        assert!(matches!(
            limits.check(1, 11),
            Err(DiscoverError::TooManyBytes { .. })
        ));
    }

    #[test]
    fn defaults_hold_a_million_identities() {
        let limits = CatalogueLimits::default();
        assert!(limits.max_files >= 2 * 700_000);
        assert!(limits.max_total_bytes >= 2 * 3_000_000_000);
    }
}
