//! The document loader: arbitrary bytes as one catalogue file (read, split,
//! parse with spans, decode), and the same text as `rolelint.yaml`.
//!
//! Holds for every input: no panic; every problem is a finding that points
//! into the file (a line within it).
#![no_main]

use libfuzzer_sys::fuzz_target;
use rolelint::load::discover::Found;
use rolelint::load::{LoadOptions, MemoryTree, assemble, parse_config};
use rolelint::model::Config;

const PATH: &str = "catalogue.yaml";

fuzz_target!(|data: &[u8]| {
    let options = LoadOptions {
        rule_codes: rolelint::rules::codes(),
        ..LoadOptions::default()
    };
    // Raw bytes, not `&str`: invalid UTF-8 must reach the loader too.
    let tree = MemoryTree {
        files: [(PATH.to_owned(), data.to_vec())].into_iter().collect(),
    };
    let catalogue = assemble(
        Config::default(),
        vec![Found::File {
            path: PATH.to_owned(),
            observed: None,
        }],
        Box::new(tree),
        &options,
    );
    // YAML breaks lines at LF, CRLF and a lone CR alike.
    let breaks = data.iter().enumerate().filter(|&(at, &byte)| {
        byte == b'\n' || (byte == b'\r' && data.get(at + 1) != Some(&b'\n'))
    });
    let lines = 1 + breaks.count() as u32;
    for finding in &catalogue.findings {
        if let Some(span) = finding.span {
            assert!(
                span.line >= 1 && span.line <= lines,
                "line {} outside a file of {lines} lines: {finding:?}",
                span.line
            );
            assert!(
                span.offset as usize + span.len as usize <= data.len(),
                "span past the end of a {}-byte file: {finding:?}",
                data.len()
            );
        }
    }

    if let Ok(text) = std::str::from_utf8(data) {
        let _ = parse_config(text, &options.rule_codes);
    }
});
