//! Finding the catalogue: the root directory, its configuration, and the YAML
//! files under the configured paths (a parallel walk with the `ignore` crate).

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use ignore::WalkState;
use ignore::overrides::OverrideBuilder;

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
    /// A YAML file to read, relative to the root with `/` separators.
    File(String),
    /// A YAML path rolelint will not read, and why.
    Refused { path: String, reason: String },
}

impl Found {
    pub fn path(&self) -> &str {
        match self {
            Found::File(path) | Found::Refused { path, .. } => path,
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
}

fn is_yaml(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|extension| extension.to_str()),
        Some("yaml" | "yml")
    )
}

fn relative(root: &Path, path: &Path) -> Option<String> {
    let relative = path.strip_prefix(root).ok()?;
    let parts: Vec<&str> = relative
        .components()
        .map(|component| component.as_os_str().to_str())
        .collect::<Option<_>>()?;
    Some(parts.join("/"))
}

/// Walks the configured paths in parallel and returns the YAML files in
/// plain byte order of their relative paths, which is the catalogue's order.
pub fn discover(root: &Path, config: &Config) -> Result<Vec<Found>, DiscoverError> {
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
    builder.build_parallel().run(|| {
        let found = &found;
        let canonical_root = &canonical_root;
        Box::new(move |entry| {
            let Ok(entry) = entry else {
                return WalkState::Continue;
            };
            if let Some(item) = classify(canonical_root, &entry)
                && let Ok(mut found) = found.lock()
            {
                found.push(item);
            }
            WalkState::Continue
        })
    });
    let mut found = found.into_inner().unwrap_or_default();
    // The configuration is not part of the catalogue.
    found.retain(|item| item.path() != CONFIG_FILE);
    found.sort_by(|a, b| a.path().as_bytes().cmp(b.path().as_bytes()));
    found.dedup();
    Ok(found)
}

/// Decides what to do with one walked entry: read it, refuse it, or skip it.
fn classify(root: &Path, entry: &ignore::DirEntry) -> Option<Found> {
    let path = entry.path();
    if !is_yaml(path) {
        return None;
    }
    let file_type = entry.file_type()?;
    let relative = relative(root, path)?;
    if file_type.is_dir() {
        return None;
    }
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
            Ok(_) => Found::File(relative),
        });
    }
    if !file_type.is_file() {
        return Some(Found::Refused {
            path: relative,
            reason: "not a regular file (a FIFO, socket or device); not read".to_owned(),
        });
    }
    Some(Found::File(relative))
}
