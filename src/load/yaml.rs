//! YAML → a tree of spanned nodes, one document at a time.
//!
//! Files are split at document markers first, so a syntax error or an alias
//! bomb in one document never costs the others, and each document is parsed
//! with serde-saphyr into [`Node`]s that keep every key's and value's span.
//! Duplicate keys are passed through to the tree, so the decoder can report
//! every one of them instead of failing on the first.

use std::fmt;

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::options::{AliasLimits, DuplicateKeyPolicy};
use serde_saphyr::{Budget, Options};

/// A YAML node with the location of its source text.
pub type Node = serde_saphyr::Spanned<Value>;

/// A YAML value (YAML 1.2 core schema: `no` is a string).
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i128),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    /// Entries in source order, duplicates included.
    Map(Vec<(Node, Node)>),
}

impl Value {
    /// How a type error names what was found, e.g. "a list".
    pub fn describe(&self) -> String {
        match self {
            Value::Null => "nothing (null)".to_owned(),
            Value::Bool(b) => format!("the boolean {b}"),
            Value::Int(i) => format!("the number {i}"),
            Value::Float(x) => format!("the number {x}"),
            Value::Str(_) => "a string".to_owned(),
            Value::Seq(_) => "a list".to_owned(),
            Value::Map(_) => "a mapping".to_owned(),
        }
    }
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ValueVisitor)
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(ValueVisitor)
    }
    fn visit_bool<E>(self, value: bool) -> Result<Value, E> {
        Ok(Value::Bool(value))
    }
    fn visit_i64<E>(self, value: i64) -> Result<Value, E> {
        Ok(Value::Int(value.into()))
    }
    fn visit_u64<E>(self, value: u64) -> Result<Value, E> {
        Ok(Value::Int(value.into()))
    }
    fn visit_i128<E>(self, value: i128) -> Result<Value, E> {
        Ok(Value::Int(value))
    }
    fn visit_u128<E>(self, value: u128) -> Result<Value, E> {
        Ok(i128::try_from(value).map_or(Value::Float(value as f64), Value::Int))
    }
    fn visit_f64<E>(self, value: f64) -> Result<Value, E> {
        Ok(Value::Float(value))
    }
    fn visit_str<E>(self, value: &str) -> Result<Value, E> {
        Ok(Value::Str(value.to_owned()))
    }
    fn visit_string<E>(self, value: String) -> Result<Value, E> {
        Ok(Value::Str(value))
    }
    fn visit_bytes<E: serde::de::Error>(self, value: &[u8]) -> Result<Value, E> {
        Ok(Value::Str(String::from_utf8_lossy(value).into_owned()))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
        while let Some(item) = seq.next_element::<Node>()? {
            items.push(item);
        }
        Ok(Value::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(0).min(64));
        while let Some(key) = map.next_key::<Node>()? {
            let value = map.next_value::<Node>()?;
            entries.push((key, value));
        }
        Ok(Value::Map(entries))
    }
}

/// Resource limits of the YAML reader. Each is per document unless it says
/// otherwise; the file size bounds the sum.
#[derive(Clone, Copy, Debug)]
pub struct YamlLimits {
    /// Largest file read, in bytes (per file).
    pub max_file_bytes: u64,
    /// Most documents in one file.
    pub max_documents: usize,
    /// Deepest nesting of lists and mappings.
    pub max_depth: usize,
    /// Most nodes (scalars, lists, mappings) in one document.
    pub max_nodes: usize,
    /// Most events replayed through aliases, per byte of the document: keeps
    /// alias expansion proportional to what the author actually wrote.
    pub alias_replay_per_byte: usize,
}

impl Default for YamlLimits {
    fn default() -> Self {
        YamlLimits {
            max_file_bytes: 256 * 1024 * 1024,
            max_documents: 1_000_000,
            max_depth: 64,
            max_nodes: 2_000_000,
            alias_replay_per_byte: 4,
        }
    }
}

impl YamlLimits {
    fn options(&self, document_bytes: usize) -> Options {
        let mut budget = Budget::default();
        budget.max_depth = self.max_depth;
        budget.max_nodes = self.max_nodes;
        budget.max_events = self.max_nodes.saturating_mul(2);
        budget.max_documents = 1;
        budget.max_total_scalar_bytes = usize::try_from(self.max_file_bytes).unwrap_or(usize::MAX);
        budget.max_reader_input_bytes = None;
        let mut alias_limits = AliasLimits::default();
        alias_limits.max_total_replayed_events = document_bytes
            .saturating_mul(self.alias_replay_per_byte)
            .clamp(1_000, 1_000_000);
        alias_limits.max_replay_stack_depth = 16;
        let mut options = Options::default();
        options.budget = Some(budget);
        options.alias_limits = alias_limits;
        options.strict_booleans = true;
        options.duplicate_keys = DuplicateKeyPolicy::PassThrough;
        options.with_snippet = false;
        options
    }
}

/// Where one document of a file starts: its byte offset and 1-based line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DocumentSlice {
    pub start: usize,
    pub end: usize,
    pub line: u32,
}

/// Splits a file at `---` document markers (and after `...` end markers).
///
/// YAML forbids a line starting with `---` or `...` followed by a blank or the
/// end of line inside any scalar, so a marker at the start of a line always
/// separates documents. Directives (`%YAML`) and comments before a `---`
/// belong to the document that marker starts. Slices with nothing but
/// comments and blanks are dropped.
pub fn split_documents(text: &str) -> Vec<DocumentSlice> {
    let mut slices = Vec::new();
    let mut start = 0usize;
    let mut start_line = 1u32;
    // Whether the current slice holds anything but comments, blanks and directives.
    let mut has_content = false;
    let mut has_marker = false;
    let mut after_end_marker = false;
    let mut line_number = 1u32;
    let mut offset = 0usize;
    for line in text.split_inclusive('\n') {
        let is_marker = |prefix: &str| {
            line.strip_prefix(prefix)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t', '\r', '\n']))
        };
        if is_marker("---") {
            if has_content || has_marker {
                push_slice(&mut slices, text, start, offset, start_line);
                start = offset;
                start_line = line_number;
            }
            has_content = false;
            has_marker = true;
            after_end_marker = false;
        } else if is_marker("...") {
            // The document ends after this line.
            let end = offset + line.len();
            push_slice(&mut slices, text, start, end, start_line);
            start = end;
            start_line = line_number + 1;
            has_content = false;
            has_marker = false;
            after_end_marker = true;
        } else {
            let trimmed = line.trim_start();
            let is_filler = trimmed.is_empty() || trimmed.starts_with('#');
            let is_directive = line.starts_with('%');
            if !is_filler && !is_directive {
                has_content = true;
            }
            if after_end_marker && !is_filler && !is_directive {
                after_end_marker = false;
            }
        }
        offset += line.len();
        line_number = line_number.saturating_add(1);
    }
    push_slice(&mut slices, text, start, text.len(), start_line);
    slices
}

fn push_slice(slices: &mut Vec<DocumentSlice>, text: &str, start: usize, end: usize, line: u32) {
    if start >= end {
        return;
    }
    // Skip slices that hold no node at all (only comments, blanks, markers, directives).
    let has_node = text[start..end].lines().any(|line| {
        let trimmed = line.trim();
        !(trimmed.is_empty()
            || trimmed.starts_with('#')
            || line.starts_with('%')
            || trimmed == "---"
            || trimmed == "..."
            || (line.starts_with("--- ") && trimmed[3..].trim_start().starts_with('#')))
    });
    if has_node {
        slices.push(DocumentSlice { start, end, line });
    }
}

/// Parses one document slice into a node tree.
pub fn parse_document(text: &str, limits: &YamlLimits) -> Result<Node, serde_saphyr::Error> {
    serde_saphyr::from_str_with_options::<Node>(text, limits.options(text.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str) -> Vec<(&str, u32)> {
        split_documents(text)
            .into_iter()
            .map(|slice| (&text[slice.start..slice.end], slice.line))
            .collect()
    }

    #[test]
    fn splits_at_markers_and_keeps_lines() {
        let text = "# header\na: 1\n---\nb: 2\n--- \nc: 3\n";
        assert_eq!(
            texts(text),
            vec![
                ("# header\na: 1\n", 1),
                ("---\nb: 2\n", 3),
                ("--- \nc: 3\n", 5)
            ]
        );
    }

    #[test]
    fn leading_marker_and_directives_belong_to_the_document() {
        let text = "%YAML 1.2\n---\na: 1\n...\n# trailing\n";
        assert_eq!(texts(text), vec![("%YAML 1.2\n---\na: 1\n...\n", 1)]);
    }

    #[test]
    fn markers_must_stand_alone() {
        // `---x` and an indented `---` are content, not markers.
        let text = "a: |\n  ---\nb: ---x\n";
        assert_eq!(texts(text).len(), 1);
    }

    #[test]
    fn parses_with_spans_and_yaml_1_2_booleans() {
        let node = parse_document("a: no\nb: true\na: 3\n", &YamlLimits::default()).unwrap();
        let Value::Map(entries) = &node.value else {
            panic!("expected a mapping")
        };
        assert_eq!(entries.len(), 3, "duplicate keys are kept");
        assert_eq!(entries[0].1.value, Value::Str("no".into()));
        assert_eq!(entries[1].1.value, Value::Bool(true));
        assert_eq!(entries[2].0.referenced.line(), 3);
        assert_eq!(entries[2].1.referenced.column(), 4);
    }

    #[test]
    fn rejects_deep_nesting_and_alias_bombs() {
        let deep = format!("a: {}{}", "[".repeat(100_000), "]".repeat(100_000));
        assert!(parse_document(&deep, &YamlLimits::default()).is_err());
        let mut bomb = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for level in 1..9 {
            let previous = format!("*a{}", level - 1);
            let list = [previous.as_str(); 10].join(", ");
            bomb.push_str(&format!("a{level}: &a{level} [{list}]\n"));
        }
        assert!(parse_document(&bomb, &YamlLimits::default()).is_err());
    }
}
