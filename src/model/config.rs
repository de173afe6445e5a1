//! `rolelint.yaml`: where the catalogue is, thresholds, severity overrides.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::Serialize;

use super::keyword::keyword_enum;

keyword_enum! {
    /// A severity override: `off` disables the rule.
    pub enum RuleLevel { Error = "error", Warning = "warning", Info = "info", Off = "off" }
}

/// The configuration file. Every field is optional; the defaults are those of FORMAT.md.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "rolelint.yaml")]
pub struct Config {
    /// Directories (relative to this file) that hold the catalogue.
    #[schemars(default = "default_paths")]
    pub paths: Vec<String>,
    /// Globs (gitignore syntax, relative to this file) of files to skip.
    #[serde(default)]
    pub exclude: Vec<String>,
    #[serde(default)]
    pub defaults: Defaults,
    /// Severity override per rule code.
    #[serde(default)]
    pub rules: BTreeMap<String, RuleLevel>,
    /// Globs of custom Rego policy files.
    #[serde(default)]
    pub policies: Vec<String>,
}

fn default_paths() -> Vec<String> {
    vec![".".to_owned()]
}

impl Default for Config {
    fn default() -> Self {
        Config {
            paths: default_paths(),
            exclude: Vec::new(),
            defaults: Defaults::default(),
            rules: BTreeMap::new(),
            policies: Vec::new(),
        }
    }
}

/// Thresholds of the built-in rules.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct Defaults {
    /// No temporary grant or direct grant may last longer (days).
    #[schemars(range(min = 1))]
    pub max_grant_days: u32,
    #[schemars(range(min = 1))]
    pub credential_rotation_days: u32,
    #[schemars(range(min = 1))]
    pub review_every_days: u32,
    /// Jaccard similarity of effective permission sets, in (0, 1].
    #[schemars(range(min = 0.0, max = 1.0))]
    pub near_duplicate_threshold: f64,
    /// Share of a department's active humans, in [0, 1].
    #[schemars(range(min = 0.0, max = 1.0))]
    pub peer_outlier_ratio: f64,
    #[schemars(range(min = 1))]
    pub peer_group_min_size: u32,
}

impl Default for Defaults {
    fn default() -> Self {
        Defaults {
            max_grant_days: 90,
            credential_rotation_days: 90,
            review_every_days: 180,
            near_duplicate_threshold: 0.8,
            peer_outlier_ratio: 0.1,
            peer_group_min_size: 5,
        }
    }
}
