//! `rolelint rules` and `rolelint rule CODE`: the rules and their docs.

use clap::{Args, ValueEnum};
use serde_json::json;

use super::{EXIT_OK, print};
use crate::rules::{RULES, find};
use crate::suggest::did_you_mean;

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Human,
    Json,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    #[arg(long, value_enum, default_value_t = ListFormat::Human)]
    pub format: ListFormat,
}

#[derive(Debug, Args)]
pub struct RuleArgs {
    /// The rule code, e.g. `lifecycle/expired-grant`.
    pub code: String,
}

pub fn run_list(args: RulesArgs) -> anyhow::Result<u8> {
    let text = match args.format {
        ListFormat::Human => {
            let width = RULES.iter().map(|r| r.meta().code.len()).max().unwrap_or(0);
            let mut text = String::new();
            for rule in RULES {
                let meta = rule.meta();
                text.push_str(&format!(
                    "{:width$}  {:7}  {}\n",
                    meta.code,
                    meta.severity.as_str(),
                    first_sentence(meta.docs.summary)
                ));
            }
            text
        }
        ListFormat::Json => {
            let rules: Vec<_> = RULES
                .iter()
                .map(|rule| {
                    let meta = rule.meta();
                    json!({
                        "code": meta.code,
                        "severity": meta.severity,
                        "summary": meta.docs.summary,
                        "controls": meta.docs.controls,
                    })
                })
                .collect();
            let mut text = serde_json::to_string_pretty(&rules)?;
            text.push('\n');
            text
        }
    };
    print(&text)?;
    Ok(EXIT_OK)
}

fn first_sentence(text: &str) -> &str {
    match text.find(". ") {
        Some(end) => &text[..=end],
        None => text,
    }
}

pub fn run_one(args: RuleArgs) -> anyhow::Result<u8> {
    let Some(rule) = find(&args.code) else {
        let codes = RULES.iter().map(|rule| rule.meta().code);
        let hint = did_you_mean(&args.code, codes)
            .map(|code| format!("; did you mean `{code}`?"))
            .unwrap_or_else(|| "; `rolelint rules` lists them".to_owned());
        anyhow::bail!("no rule `{}`{hint}", args.code);
    };
    print(&rule.meta().markdown())?;
    Ok(EXIT_OK)
}
