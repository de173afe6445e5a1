//! `rolelint schema [KIND]`: the JSON Schemas of the catalogue format.

use std::path::PathBuf;

use anyhow::Context as _;
use clap::Args;

use super::{EXIT_OK, print};
use crate::model::schema::{SchemaName, to_pretty_json};

#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// A kind (Role, Identity, ...), `catalogue` (any document; the default) or `config`.
    pub kind: Option<String>,
    /// Write every schema into this directory instead (as committed under `schemas/`).
    #[arg(long, value_name = "DIR", conflicts_with = "kind")]
    pub write: Option<PathBuf>,
}

pub fn run(args: SchemaArgs) -> anyhow::Result<u8> {
    if let Some(dir) = args.write {
        std::fs::create_dir_all(&dir)
            .with_context(|| format!("cannot create {}", dir.display()))?;
        for name in SchemaName::all() {
            let path = dir.join(name.file_name());
            std::fs::write(&path, to_pretty_json(&name.generate()))
                .with_context(|| format!("cannot write {}", path.display()))?;
        }
        return Ok(EXIT_OK);
    }
    let name = match args.kind.as_deref() {
        None => SchemaName::Catalogue,
        Some(text) => SchemaName::parse(text).with_context(|| {
            format!(
                "unknown schema `{text}`: name a kind (Application, Role, Identity, Team, Playbook, SodRule), `catalogue` or `config`"
            )
        })?,
    };
    print(&to_pretty_json(&name.generate()))?;
    Ok(EXIT_OK)
}
