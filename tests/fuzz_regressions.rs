//! Inputs the fuzz targets (`fuzz/`) found, kept as regression tests: each
//! runs the path its target runs and asserts what the target asserts. See
//! docs/fuzzing.md for how a crash becomes one of these.

use rolelint::load::discover::Found;
use rolelint::load::{Catalogue, LoadOptions, MemoryTree, assemble};
use rolelint::model::Config;

const PATH: &str = "catalogue.yaml";

/// The `load_document` target: raw bytes as one catalogue file.
fn load_bytes(data: &[u8]) -> Catalogue {
    let options = LoadOptions {
        rule_codes: rolelint::rules::codes(),
        ..LoadOptions::default()
    };
    let tree = MemoryTree {
        files: [(PATH.to_owned(), data.to_vec())].into_iter().collect(),
    };
    assemble(
        Config::default(),
        vec![Found::File(PATH.to_owned())],
        Box::new(tree),
        &options,
    )
}

/// Lines as YAML counts them: LF, CRLF and a lone CR each end one.
fn yaml_lines(data: &[u8]) -> u32 {
    let breaks = data.iter().enumerate().filter(|&(at, &byte)| {
        byte == b'\n' || (byte == b'\r' && data.get(at + 1) != Some(&b'\n'))
    });
    1 + breaks.count() as u32
}

/// What `load_document` asserts: every finding's span lies inside the file.
fn assert_spans_inside(data: &[u8]) -> Catalogue {
    let catalogue = load_bytes(data);
    let lines = yaml_lines(data);
    for finding in &catalogue.findings {
        if let Some(span) = finding.span {
            assert!(
                (1..=lines).contains(&span.line),
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
    catalogue
}

/// load_document, 2026-11-26: a CRLF file whose last line follows a lone CR.
/// The syntax error is on line 10 although the file has nine LF-ended lines:
/// YAML (and rolelint) count the lone CR as a line break. The first version
/// of the target counted LF only; this pins that line numbers follow YAML.
#[test]
fn a_lone_carriage_return_is_a_line_break() {
    let data: &[u8] = b"apiVersion: rolelint/v1\r\nkind: Identity\r\nid: \"erin\"\r\n\
type: human\r\ndepartment: payments\r\nmanager: carol\r\n\
labels: {employment: \"contractor\", cost-center: \"1432\"}\r\ngrants:\r\n  \
- {role: viewer,z granted: G/052-11-01T09:30:00+02:00\", approved_by: carol, tickft: \"1432\"}\re";
    let catalogue = assert_spans_inside(data);
    let lines: Vec<u32> = catalogue
        .findings
        .iter()
        .filter_map(|finding| finding.span.map(|span| span.line))
        .collect();
    assert!(!lines.is_empty(), "the broken document is a finding");
    assert!(lines.iter().all(|&line| line <= 10), "{lines:?}");

    // The smallest form: the text after a lone CR is on line 2.
    let catalogue = assert_spans_inside(b"apiVersion: rolelint/v1\rkind: [");
    assert!(
        catalogue
            .findings
            .iter()
            .any(|finding| finding.span.is_some_and(|span| span.line == 2)),
        "{:?}",
        catalogue.findings
    );
}
