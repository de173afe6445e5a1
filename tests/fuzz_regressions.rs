//! Inputs the fuzz targets (`fuzz/`) found, kept as regression tests: each
//! runs the path its target runs and asserts what the target asserts. See
//! docs/fuzzing.md for how a crash becomes one of these.

use rolelint::load::discover::Found;
use rolelint::load::{Catalogue, LoadOptions, MemoryTree, assemble};
use rolelint::model::{Config, Date};

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
        vec![Found::File {
            path: PATH.to_owned(),
            observed: None,
        }],
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

/// What the `dates` target asserts: a parsed date prints as `YYYY-MM-DD`
/// and parses back to itself.
fn assert_date_round_trips(text: &str) {
    if let Ok(date) = Date::parse(text) {
        let printed = date.to_string();
        assert_eq!(Date::parse(&printed), Ok(date), "{printed} from {text:?}");
    }
}

/// dates, 2026-11-26: jiff alone parses ISO 8601 beyond RFC 3339, here a
/// signed six-digit year, a comma fraction and an offset without a colon;
/// the date, in year -206, printed as `-000206-11-26`, which is no date
/// rolelint reads. Date-times are now RFC 3339 in shape (the JSON Schema's
/// pattern) and on a UTC date in year 0 or later.
#[test]
fn dates_outside_rfc_3339_are_rejected_and_every_date_round_trips() {
    for text in [
        "-000206-11-25T23:30:01,13-2000",
        "+002026-11-25T23:30:01Z",
        "0000-01-01T00:00:00+01:00",
        "0000-01-01T00:00:00-01:00",
        "9999-12-30T00:00:00Z",
    ] {
        assert_date_round_trips(text);
    }
    assert!(Date::parse("-000206-11-25T23:30:01,13-2000").is_err());
    assert!(Date::parse("0000-01-01T00:00:00+01:00").is_err());
    assert_eq!(
        Date::parse("2026-11-25T23:30:01-02:00").map(|date| date.to_string()),
        Ok("2026-11-26".to_owned())
    );
}
