//! Finding the policy files that `rolelint.yaml` `policies:` names.
//!
//! Each entry is a glob relative to the catalogue root (`*` and `?` stay
//! within one directory, `**` crosses any number, `[abc]` and `{a,b}` as in
//! shells). Only the directory below the glob's literal prefix is walked, so a
//! glob like `policies/*.rego` never scans the whole catalogue.

use std::collections::BTreeSet;
use std::path::{Component, Path};

use globset::GlobBuilder;

use super::{PolicyError, PolicySource};

/// The extension policy files must have.
const REGO: &str = "rego";

/// Reads every `.rego` file the globs match, in path order, each once.
pub fn read(root: &Path, globs: &[String]) -> Result<Vec<PolicySource>, PolicyError> {
    let canonical_root = root.canonicalize().map_err(|source| PolicyError::Read {
        path: root.display().to_string(),
        source,
    })?;
    let mut paths = BTreeSet::new();
    for glob in globs {
        let matched = matching(&canonical_root, glob)?;
        if matched.is_empty() {
            return Err(PolicyError::NoMatch { glob: glob.clone() });
        }
        paths.extend(matched);
    }
    paths
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(canonical_root.join(&path)).map_err(|source| {
                PolicyError::Read {
                    path: path.clone(),
                    source,
                }
            })?;
            Ok(PolicySource { path, text })
        })
        .collect()
}

/// The `.rego` files (relative, `/`-separated) one glob matches.
fn matching(root: &Path, glob: &str) -> Result<BTreeSet<String>, PolicyError> {
    let bad = |reason: &str| PolicyError::Glob {
        glob: glob.to_owned(),
        reason: reason.to_owned(),
    };
    let relative = Path::new(glob);
    if glob.is_empty() {
        return Err(bad("the glob is empty"));
    }
    if glob.contains('\\') {
        return Err(bad("write paths with `/`"));
    }
    if relative
        .components()
        .any(|component| !matches!(component, Component::Normal(_) | Component::CurDir))
    {
        return Err(bad(
            "a policy glob must stay inside the catalogue root (no absolute paths, no `..`)",
        ));
    }
    let pattern = glob.trim_start_matches("./");
    let matcher = GlobBuilder::new(pattern)
        .literal_separator(true)
        .build()
        .map_err(|error| bad(&error.kind().to_string()))?
        .compile_matcher();

    // Walk only below the directories that hold no wildcard.
    let literal: Vec<&str> = pattern
        .split('/')
        .take_while(|part| !part.contains(['*', '?', '[', ']', '{', '}']))
        .collect();
    let base = root.join(literal.join("/"));
    let mut found = BTreeSet::new();
    if !base.exists() {
        return Ok(found);
    }
    // Hidden directories (`.git`) are skipped; ignore files are not
    // consulted, so a policy is never silently dropped by a `.gitignore`.
    let walk = ignore::WalkBuilder::new(&base)
        .standard_filters(false)
        .hidden(true)
        .follow_links(false)
        .build();
    for entry in walk {
        let entry = entry.map_err(|error| PolicyError::Glob {
            glob: glob.to_owned(),
            reason: error.to_string(),
        })?;
        let path = entry.path();
        if path.extension().and_then(|extension| extension.to_str()) != Some(REGO) {
            continue;
        }
        let Some(relative) = relative_path(root, path) else {
            continue;
        };
        if !matcher.is_match(&relative) {
            continue;
        }
        // A symbolic link may point anywhere: follow it only inside the root.
        let target = path.canonicalize().map_err(|source| PolicyError::Read {
            path: relative.clone(),
            source,
        })?;
        if !target.starts_with(root) {
            return Err(PolicyError::Outside { path: relative });
        }
        if target.is_file() {
            found.insert(relative);
        }
    }
    Ok(found)
}

fn relative_path(root: &Path, path: &Path) -> Option<String> {
    let relative = path.strip_prefix(root).ok()?;
    let parts: Vec<&str> = relative
        .components()
        .map(|component| component.as_os_str().to_str())
        .collect::<Option<_>>()?;
    Some(parts.join("/"))
}
