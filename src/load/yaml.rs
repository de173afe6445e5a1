//! YAML → a tree of spanned nodes, one document at a time.
//!
//! Files are split at document markers first, so a syntax error or an alias
//! bomb in one document never costs the others. Each document is then read
//! from granit-parser's event stream by a small stack builder into [`Node`]s
//! that keep every key's and value's location, and borrow scalar text from
//! the source wherever the parser could (no escapes, no folding). Duplicate
//! keys are kept in source order, so the decoder can report every one of
//! them instead of failing on the first.
//!
//! Plain scalars resolve by the YAML 1.2 core schema: `null`, `~` and the
//! empty scalar are null; `true`/`false` (also `True`, `TRUE`, ...) are the
//! only booleans, so `yes`, `no`, `on` and `off` stay strings; integers are
//! decimal, `0o`, `0x` or `0b`; floats include `.inf` and `.nan`. Quoted and
//! block scalars are strings. The core tags `!!str`, `!!int`, `!!float`,
//! `!!bool`, `!!null`, `!!seq` and `!!map` are honoured (`!` forces a
//! string), other tags are ignored. Merge keys (`<<`) are expanded: merged
//! entries come after the mapping's own, and a key the mapping already has
//! is not merged again.

use std::borrow::Cow;

use granit_parser::{ErrorKind, Event, Parser, ScalarStyle, ScanError, Span as ParserSpan, Tag};

use crate::lines;

/// Where a node's text is, relative to the start of its document slice: byte
/// offset and length, and the 1-based line and column (in characters) of its
/// first character.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Location {
    pub offset: u32,
    pub len: u32,
    pub line: u32,
    pub column: u32,
}

impl Location {
    fn of(span: &ParserSpan) -> Location {
        let start = span.start.byte_offset().unwrap_or(0);
        let end = span.end.byte_offset().unwrap_or(start);
        Location {
            offset: to_u32(start),
            len: to_u32(end.saturating_sub(start)),
            line: to_u32(span.start.line()).max(1),
            column: to_u32(span.start.col().saturating_add(1)),
        }
    }

    fn of_error(error: &ScanError) -> Location {
        let marker = error.marker();
        Location {
            offset: to_u32(marker.byte_offset().unwrap_or(0)),
            len: 0,
            line: to_u32(marker.line()).max(1),
            column: to_u32(marker.col().saturating_add(1)),
        }
    }
}

fn depth_message(max_depth: usize) -> String {
    format!("the document nests lists and mappings deeper than {max_depth} levels, the limit")
}

fn to_u32(value: usize) -> u32 {
    u32::try_from(value).unwrap_or(u32::MAX)
}

/// A YAML node with the location of its source text. Scalar text borrows
/// from the document wherever it can (`'a`).
#[derive(Debug, Clone, PartialEq)]
pub struct Node<'a> {
    pub value: Value<'a>,
    pub location: Location,
}

/// A YAML value (YAML 1.2 core schema: `no` is a string).
#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    Null,
    Bool(bool),
    /// Integers that fit 64 signed bits; larger ones are floats.
    Int(i64),
    Float(f64),
    Str(Cow<'a, str>),
    Seq(Vec<Node<'a>>),
    /// Entries in source order, duplicates included.
    Map(Vec<(Node<'a>, Node<'a>)>),
}

impl Value<'_> {
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
    /// Most nodes (scalars, lists, mappings) in one document, aliases expanded.
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

/// Environment variables that raise (or lower) the per-file and
/// per-document limits, for a trusted catalogue that needs it.
pub const MAX_FILE_BYTES_ENV: &str = "ROLELINT_MAX_FILE_BYTES";
pub const MAX_DOCUMENTS_ENV: &str = "ROLELINT_MAX_DOCUMENTS";
pub const MAX_DEPTH_ENV: &str = "ROLELINT_MAX_DEPTH";
pub const MAX_NODES_ENV: &str = "ROLELINT_MAX_NODES";
pub const ALIAS_EVENTS_PER_BYTE_ENV: &str = "ROLELINT_ALIAS_EVENTS_PER_BYTE";

/// The nesting depth can be raised this far and no further: the decoder
/// walks a document recursively, and each level costs stack.
pub const DEPTH_CEILING: usize = 1_000;

impl YamlLimits {
    /// The defaults, overridden by the `ROLELINT_MAX_*` environment variables
    /// (whole numbers above 0; the depth is capped at [`DEPTH_CEILING`]).
    pub fn from_env() -> Result<Self, super::discover::DiscoverError> {
        use super::discover::positive_from_env;
        let as_usize = |value: u64| usize::try_from(value).unwrap_or(usize::MAX);
        let mut limits = YamlLimits::default();
        if let Some(value) = positive_from_env(MAX_FILE_BYTES_ENV)? {
            limits.max_file_bytes = value;
        }
        if let Some(value) = positive_from_env(MAX_DOCUMENTS_ENV)? {
            limits.max_documents = as_usize(value);
        }
        if let Some(value) = positive_from_env(MAX_DEPTH_ENV)? {
            limits.max_depth = as_usize(value).min(DEPTH_CEILING);
        }
        if let Some(value) = positive_from_env(MAX_NODES_ENV)? {
            limits.max_nodes = as_usize(value);
        }
        if let Some(value) = positive_from_env(ALIAS_EVENTS_PER_BYTE_ENV)? {
            limits.alias_replay_per_byte = as_usize(value);
        }
        Ok(limits)
    }

    /// How many events (a scalar is one, a list or mapping two plus its
    /// children) aliases may replay in a document of this size.
    pub fn alias_replay_budget(&self, document_bytes: usize) -> usize {
        document_bytes
            .saturating_mul(self.alias_replay_per_byte)
            .clamp(1_000, 1_000_000)
    }
}

/// Why a document could not be read: a syntax error, or a resource limit.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct YamlError {
    pub message: String,
    pub location: Location,
    /// Whether a resource limit (depth, nodes, alias expansion) refused the
    /// document, rather than a syntax error.
    pub limit: bool,
}

impl YamlError {
    fn syntax(message: impl Into<String>, location: Location) -> Self {
        YamlError {
            message: message.into(),
            location,
            limit: false,
        }
    }

    fn limit(message: String, location: Location) -> Self {
        YamlError {
            message,
            location,
            limit: true,
        }
    }

    fn scan(error: &ScanError, limits: &YamlLimits) -> Self {
        let location = Location::of_error(error);
        match error.kind() {
            ErrorKind::RecursionLimitExceeded => {
                YamlError::limit(depth_message(limits.max_depth), location)
            }
            ErrorKind::UnknownAnchor => YamlError::syntax(
                "an alias names an anchor that is not defined before it in this document",
                location,
            ),
            _ => YamlError::syntax(error.info(), location),
        }
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
    // Most files hold one document and no line starting like a marker: one
    // slice, after a substring search (far cheaper than visiting every
    // line).
    let bytes = text.as_bytes();
    let at_line_start = |marker: &str| {
        memchr::memmem::find_iter(bytes, marker)
            .any(|at| at == 0 || matches!(bytes[at - 1], b'\n' | b'\r'))
    };
    let marker_at_line_start = at_line_start("---") || at_line_start("...");
    if !marker_at_line_start {
        push_slice(&mut slices, text, 0, text.len(), 1);
        return slices;
    }
    let mut start = 0usize;
    let mut start_line = 1u32;
    // Whether the current slice holds anything but comments, blanks and directives.
    let mut has_content = false;
    let mut has_marker = false;
    let mut after_end_marker = false;
    let mut line_number = 1u32;
    let mut offset = 0usize;
    for line in lines::split_inclusive(text) {
        let is_marker = |prefix: &str| {
            line.strip_prefix(prefix)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t', '\r', '\n']))
        };
        // Most lines start with neither marker: skip the checks for them.
        let first = line.as_bytes().first().copied();
        let maybe_marker = matches!(first, Some(b'-' | b'.'));
        if maybe_marker && is_marker("---") {
            if has_content || has_marker {
                push_slice(&mut slices, text, start, offset, start_line);
                start = offset;
                start_line = line_number;
            }
            has_content = false;
            has_marker = true;
            after_end_marker = false;
        } else if maybe_marker && is_marker("...") {
            // The document ends after this line.
            let end = offset + line.len();
            push_slice(&mut slices, text, start, end, start_line);
            start = end;
            start_line = line_number + 1;
            has_content = false;
            has_marker = false;
            after_end_marker = true;
        } else if has_content && !after_end_marker {
            // Nothing this line holds changes the state.
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
    let has_node = lines::split_inclusive(&text[start..end]).any(|line| {
        let line = lines::body(line);
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
pub fn parse_document<'a>(text: &'a str, limits: &YamlLimits) -> Result<Node<'a>, YamlError> {
    let mut options = granit_parser::Options::default();
    // One more than our own depth limit: the builder reports the limit by
    // name before the parser's own guard trips.
    options.flow_nesting_limit = limits.max_depth.saturating_add(1);
    options.block_nesting_limit = limits.max_depth.saturating_add(1);
    let mut builder = Builder {
        stack: Vec::new(),
        anchors: Vec::new(),
        limits,
        nodes: 0,
        replay_budget: limits.alias_replay_budget(text.len()),
        replay_left: limits.alias_replay_budget(text.len()),
        root: None,
    };
    let mut parser = Parser::new_from_str_with_options(text, options);
    let mut documents = 0usize;
    for item in &mut parser {
        let (event, span) = item.map_err(|error| YamlError::scan(&error, limits))?;
        let location = Location::of(&span);
        match event {
            Event::StreamStart | Event::StreamEnd | Event::DocumentEnd => {}
            Event::DocumentStart(..) => {
                documents += 1;
                if documents > 1 {
                    return Err(YamlError::syntax(
                        "a second YAML document where one was expected",
                        location,
                    ));
                }
            }
            Event::Scalar(text, style, anchor, tag) => {
                builder.scalar(text, style, anchor, tag.as_deref(), location)?;
            }
            Event::SequenceStart(_, anchor, tag) => {
                builder.start(false, anchor, tag.as_deref(), location)?;
            }
            Event::MappingStart(_, anchor, tag) => {
                builder.start(true, anchor, tag.as_deref(), location)?;
            }
            Event::SequenceEnd | Event::MappingEnd => builder.end()?,
            Event::Alias(anchor) => builder.alias(anchor, location)?,
            // Only emitted when asked for (comments, anchor names, unresolved aliases).
            _ => {}
        }
    }
    Ok(builder.root.unwrap_or(Node {
        value: Value::Null,
        location: Location {
            line: 1,
            column: 1,
            ..Location::default()
        },
    }))
}

/// A list or mapping being built.
struct Frame<'a> {
    node: Node<'a>,
    anchor: usize,
    /// Mappings: the key read, waiting for its value, and whether it is `<<`.
    key: Option<(Node<'a>, bool)>,
    /// Mappings: the values of `<<` keys, merged when the mapping ends.
    merges: Vec<Node<'a>>,
}

/// A node an anchor defined, with its cost to replay.
struct Anchored<'a> {
    node: Node<'a>,
    /// Events an alias to it replays (scalar 1, collection 2 + children).
    events: usize,
    /// Nesting levels it adds where an alias places it.
    depth: usize,
}

struct Builder<'a, 'l> {
    stack: Vec<Frame<'a>>,
    /// By the parser's anchor id; `None` while the anchored node is open.
    anchors: Vec<Option<Anchored<'a>>>,
    limits: &'l YamlLimits,
    nodes: usize,
    /// Events aliases may replay in this document, and what is left of it.
    replay_budget: usize,
    replay_left: usize,
    root: Option<Node<'a>>,
}

/// How a tag changes the resolution of a node.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum TagKind {
    /// No tag, or one rolelint ignores (local tags, `!!binary`, ...).
    None,
    /// `!!str`: a string, whatever it looks like.
    Str,
    /// `!`: a string on a scalar; on a list or mapping, nothing.
    NonSpecific,
    Null,
    Bool,
    Int,
    Float,
    Seq,
    Map,
    /// `!!merge`, only meaningful on a `<<` key.
    Merge,
}

impl TagKind {
    fn of(tag: Option<&Tag>) -> TagKind {
        let Some(tag) = tag else {
            return TagKind::None;
        };
        match tag.core_suffix() {
            Some("str") => return TagKind::Str,
            Some("null") => return TagKind::Null,
            Some("bool") => return TagKind::Bool,
            Some("int") => return TagKind::Int,
            Some("float") => return TagKind::Float,
            Some("seq") => return TagKind::Seq,
            Some("map") => return TagKind::Map,
            _ => {}
        }
        if tag.is_yaml_core_schema_tag("merge") {
            TagKind::Merge
        } else if tag
            .suffix_in_namespace("!")
            .is_some_and(|suffix| suffix.is_empty() || suffix == "!")
        {
            TagKind::NonSpecific
        } else {
            TagKind::None
        }
    }
}

impl<'a> Builder<'a, '_> {
    fn count_node(&mut self, location: Location) -> Result<(), YamlError> {
        self.nodes += 1;
        if self.nodes > self.limits.max_nodes {
            return Err(YamlError::limit(
                format!(
                    "the document has more than {} nodes, the limit per document",
                    self.limits.max_nodes
                ),
                location,
            ));
        }
        Ok(())
    }

    fn check_depth(&self, depth: usize, location: Location) -> Result<(), YamlError> {
        if depth > self.limits.max_depth {
            return Err(YamlError::limit(
                depth_message(self.limits.max_depth),
                location,
            ));
        }
        Ok(())
    }

    fn scalar(
        &mut self,
        text: Cow<'a, str>,
        style: ScalarStyle,
        anchor: usize,
        tag: Option<&Tag>,
        location: Location,
    ) -> Result<(), YamlError> {
        self.count_node(location)?;
        let kind = TagKind::of(tag);
        let is_merge_key = text == "<<"
            && (kind == TagKind::Merge || kind == TagKind::None && style == ScalarStyle::Plain);
        let value = resolve_scalar(text, style, kind, tag, location)?;
        let node = Node { value, location };
        if anchor != 0 {
            self.define(
                anchor,
                Anchored {
                    node: node.clone(),
                    events: 1,
                    depth: 0,
                },
            );
        }
        self.attach(node, is_merge_key)
    }

    fn start(
        &mut self,
        is_map: bool,
        anchor: usize,
        tag: Option<&Tag>,
        location: Location,
    ) -> Result<(), YamlError> {
        self.count_node(location)?;
        self.check_depth(self.stack.len() + 1, location)?;
        let kind = TagKind::of(tag);
        let fits = match kind {
            TagKind::None | TagKind::NonSpecific => true,
            TagKind::Seq => !is_map,
            TagKind::Map => is_map,
            TagKind::Str | TagKind::Null | TagKind::Bool | TagKind::Int | TagKind::Float => false,
            TagKind::Merge => false,
        };
        if !fits {
            let what = if is_map { "a mapping" } else { "a list" };
            let tag = tag.map_or_else(String::new, Tag::original);
            return Err(YamlError::syntax(
                format!("the tag `{tag}` cannot be put on {what}"),
                location,
            ));
        }
        if anchor != 0 {
            // An alias inside the node it names would be infinite.
            self.reserve_anchor(anchor);
        }
        let value = if is_map {
            Value::Map(Vec::new())
        } else {
            Value::Seq(Vec::new())
        };
        self.stack.push(Frame {
            node: Node { value, location },
            anchor,
            key: None,
            merges: Vec::new(),
        });
        Ok(())
    }

    fn end(&mut self) -> Result<(), YamlError> {
        let Some(mut frame) = self.stack.pop() else {
            return Err(YamlError::syntax(
                "the end of a list or mapping that was never opened",
                Location {
                    line: 1,
                    column: 1,
                    ..Location::default()
                },
            ));
        };
        if let Some((key, _)) = frame.key.take() {
            // The parser always gives a value (an empty scalar at least); be safe anyway.
            let location = key.location;
            push_entry(
                &mut frame.node,
                key,
                Node {
                    value: Value::Null,
                    location,
                },
            );
        }
        if !frame.merges.is_empty() {
            merge(&mut frame.node, std::mem::take(&mut frame.merges))?;
        }
        if frame.anchor != 0 {
            let (events, depth) = cost(&frame.node);
            self.define(
                frame.anchor,
                Anchored {
                    node: frame.node.clone(),
                    events,
                    depth,
                },
            );
        }
        self.attach(frame.node, false)
    }

    fn alias(&mut self, anchor: usize, location: Location) -> Result<(), YamlError> {
        let Some(Some(anchored)) = self.anchors.get(anchor) else {
            return Err(YamlError::syntax(
                "an alias refers to a list or mapping that contains it (a recursive alias)",
                location,
            ));
        };
        let (events, depth) = (anchored.events, anchored.depth);
        // Check the budgets before copying: the copy is what an alias bomb costs.
        if events > self.replay_left {
            return Err(YamlError::limit(
                format!(
                    "aliases expand to more than this document's limit of events ({}: {} per byte of the document, at least 1,000, at most 1,000,000)",
                    self.replay_budget, self.limits.alias_replay_per_byte
                ),
                location,
            ));
        }
        self.replay_left -= events;
        self.check_depth(self.stack.len() + depth, location)?;
        self.nodes = self.nodes.saturating_add(events.saturating_sub(1));
        self.count_node(location)?;
        let Some(Some(anchored)) = self.anchors.get(anchor) else {
            return Ok(());
        };
        let mut node = anchored.node.clone();
        // Like the old replay: everything an alias brings in is located at the alias.
        relocate(&mut node, location);
        self.attach(node, false)
    }

    fn reserve_anchor(&mut self, anchor: usize) {
        if self.anchors.len() <= anchor {
            self.anchors.resize_with(anchor + 1, || None);
        }
        self.anchors[anchor] = None;
    }

    fn define(&mut self, anchor: usize, anchored: Anchored<'a>) {
        self.reserve_anchor(anchor);
        self.anchors[anchor] = Some(anchored);
    }

    /// Places a finished node in its parent (or makes it the document).
    fn attach(&mut self, node: Node<'a>, is_merge_key: bool) -> Result<(), YamlError> {
        let Some(parent) = self.stack.last_mut() else {
            self.root = Some(node);
            return Ok(());
        };
        match &mut parent.node.value {
            Value::Seq(items) => items.push(node),
            Value::Map(_) => match parent.key.take() {
                None => parent.key = Some((node, is_merge_key)),
                Some((_, true)) => parent.merges.push(node),
                Some((key, false)) => push_entry(&mut parent.node, key, node),
            },
            _ => {}
        }
        Ok(())
    }
}

fn push_entry<'a>(map: &mut Node<'a>, key: Node<'a>, value: Node<'a>) {
    if let Value::Map(entries) = &mut map.value {
        entries.push((key, value));
    }
}

/// Events to replay a node (scalar 1, collection 2 + children) and the
/// nesting levels it adds.
fn cost(node: &Node) -> (usize, usize) {
    match &node.value {
        Value::Seq(items) => items.iter().fold((2, 1), |(events, depth), item| {
            let (e, d) = cost(item);
            (events.saturating_add(e), depth.max(d + 1))
        }),
        Value::Map(entries) => entries
            .iter()
            .fold((2, 1), |(events, depth), (key, value)| {
                let (ke, kd) = cost(key);
                let (ve, vd) = cost(value);
                (
                    events.saturating_add(ke).saturating_add(ve),
                    depth.max(kd + 1).max(vd + 1),
                )
            }),
        _ => (1, 0),
    }
}

fn relocate(node: &mut Node, location: Location) {
    node.location = location;
    match &mut node.value {
        Value::Seq(items) => items.iter_mut().for_each(|item| relocate(item, location)),
        Value::Map(entries) => entries.iter_mut().for_each(|(key, value)| {
            relocate(key, location);
            relocate(value, location);
        }),
        _ => {}
    }
}

/// Appends the entries of `<<` values to a mapping: mappings, or lists of
/// them, earlier ones first; a key already there is not merged again.
fn merge<'a>(map: &mut Node<'a>, sources: Vec<Node<'a>>) -> Result<(), YamlError> {
    let mut merged = Vec::new();
    for source in sources {
        flatten_merge(source, &mut merged)?;
    }
    let Value::Map(entries) = &mut map.value else {
        return Ok(());
    };
    for (key, value) in merged {
        if !entries
            .iter()
            .any(|(existing, _)| existing.value == key.value)
        {
            entries.push((key, value));
        }
    }
    Ok(())
}

fn flatten_merge<'a>(
    source: Node<'a>,
    into: &mut Vec<(Node<'a>, Node<'a>)>,
) -> Result<(), YamlError> {
    match source.value {
        Value::Null => Ok(()),
        Value::Map(entries) => {
            into.extend(entries);
            Ok(())
        }
        Value::Seq(items) => items
            .into_iter()
            .try_for_each(|item| flatten_merge(item, into)),
        _ => Err(YamlError::syntax(
            "the value of a merge key `<<` must be a mapping or a list of mappings",
            source.location,
        )),
    }
}

/// Resolves a scalar's text to a value by its style and tag.
fn resolve_scalar<'a>(
    text: Cow<'a, str>,
    style: ScalarStyle,
    kind: TagKind,
    tag: Option<&Tag>,
    location: Location,
) -> Result<Value<'a>, YamlError> {
    let invalid = |what: &str| {
        let tag = tag.map_or_else(String::new, Tag::original);
        YamlError::syntax(format!("`{text}` is not {what} (tag `{tag}`)"), location)
    };
    match kind {
        TagKind::Str | TagKind::NonSpecific => Ok(Value::Str(text)),
        TagKind::Null => Ok(Value::Null),
        TagKind::Bool => bool_of(&text)
            .map(Value::Bool)
            .ok_or_else(|| invalid("a boolean")),
        TagKind::Int => int_of(trim(&text))
            .map(|value| i64::try_from(value).map_or(Value::Float(value as f64), Value::Int))
            .ok_or_else(|| invalid("an integer")),
        TagKind::Float => float_of(trim(&text), true)
            .map(Value::Float)
            .ok_or_else(|| invalid("a number")),
        TagKind::Seq | TagKind::Map => {
            let tag = tag.map_or_else(String::new, Tag::original);
            Err(YamlError::syntax(
                format!("the tag `{tag}` cannot be put on a scalar"),
                location,
            ))
        }
        TagKind::None | TagKind::Merge if style != ScalarStyle::Plain => Ok(Value::Str(text)),
        TagKind::None | TagKind::Merge => Ok(resolve_plain(text)),
    }
}

/// YAML 1.2 core schema for an untagged plain scalar.
fn resolve_plain(text: Cow<'_, str>) -> Value<'_> {
    match text.as_ref() {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        _ => {}
    }
    if let Some(value) = bool_of(&text) {
        return Value::Bool(value);
    }
    let trimmed = trim(&text);
    // Only plausible numbers go through the number parsers.
    let first = trimmed.as_bytes().first().copied().unwrap_or(b' ');
    if !(first.is_ascii_digit() || matches!(first, b'+' | b'-' | b'.')) {
        return Value::Str(text);
    }
    let unsigned = trimmed.strip_prefix(['+', '-']).unwrap_or(trimmed);
    // `0X1F`, `0O17` and signed NaN are strings in the core schema.
    let upper_radix = matches!(unsigned.as_bytes(), [b'0', b'X' | b'O' | b'B', ..]);
    if upper_radix || matches!(unsigned, ".nan" | ".NaN" | ".NAN") && unsigned != trimmed {
        return Value::Str(text);
    }
    // Dates (`2026-01-15`) are the commonest plain scalars that start with
    // a digit; they skip both number parsers.
    if has_inner_hyphen(unsigned) {
        return Value::Str(text);
    }
    let negative_leading_zero = trimmed.starts_with('-') && leading_zero_decimal(unsigned);
    if !negative_leading_zero && let Some(value) = int_of(trimmed) {
        // Beyond 64 signed bits (never a valid rolelint value), keep the magnitude.
        return i64::try_from(value).map_or(Value::Float(value as f64), Value::Int);
    }
    match float_of(trimmed, false) {
        Some(value) => Value::Float(value),
        None => Value::Str(text),
    }
}

/// Whether a scalar, its sign taken off, has a `-` that no number has:
/// after the sign, a number holds one only right after its exponent's `e`.
fn has_inner_hyphen(unsigned: &str) -> bool {
    unsigned.starts_with('-')
        || unsigned
            .as_bytes()
            .windows(2)
            .any(|pair| pair[1] == b'-' && !matches!(pair[0], b'e' | b'E'))
}

fn trim(text: &str) -> &str {
    let blank = |byte: &u8| matches!(byte, b' ' | b'\t' | b'\r' | b'\n');
    // Plain scalars rarely have blanks around them: two byte tests, then
    // the general trim only when one is there (1.5% of a cold run's
    // instructions went to the general trim of every plain scalar).
    match (text.as_bytes().first(), text.as_bytes().last()) {
        (Some(first), Some(last)) if !blank(first) && !blank(last) => text,
        _ => text.trim_matches([' ', '\t', '\r', '\n']),
    }
}

fn bool_of(text: &str) -> Option<bool> {
    // Untrimmed first: plain scalars never have surrounding blanks.
    match text {
        "true" | "True" | "TRUE" => return Some(true),
        "false" | "False" | "FALSE" => return Some(false),
        _ if text.len() < 4
            || !text.starts_with([' ', '\t', '\r', '\n'])
                && !text.ends_with([' ', '\t', '\r', '\n']) =>
        {
            return None;
        }
        _ => {}
    }
    match trim(text) {
        "true" | "True" | "TRUE" => Some(true),
        "false" | "False" | "FALSE" => Some(false),
        _ => None,
    }
}

fn leading_zero_decimal(digits: &str) -> bool {
    digits.len() > 1 && digits.starts_with('0') && digits.bytes().all(|b| b.is_ascii_digit())
}

/// Decimal without leading zeros, or `0x`/`0o`/`0b`; `_` may separate
/// digits. At most 64 bits of magnitude.
fn int_of(text: &str) -> Option<i128> {
    let (negative, rest) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    let (radix, digits) = if let Some(digits) = rest.strip_prefix("0x") {
        (16, digits)
    } else if let Some(digits) = rest.strip_prefix("0o") {
        (8, digits)
    } else if let Some(digits) = rest.strip_prefix("0b") {
        (2, digits)
    } else {
        if rest.starts_with('0') && rest != "0" {
            return None;
        }
        (10, rest)
    };
    let bytes = digits.as_bytes();
    let mut magnitude: i128 = 0;
    let mut any_digit = false;
    for (index, &byte) in bytes.iter().enumerate() {
        if byte == b'_' {
            let between_digits = index > 0
                && bytes[index - 1] != b'_'
                && bytes.get(index + 1).is_some_and(|next| *next != b'_');
            if !between_digits {
                return None;
            }
            continue;
        }
        let digit = char::from(byte).to_digit(radix)?;
        magnitude = magnitude
            .checked_mul(i128::from(radix))?
            .checked_add(i128::from(digit))?;
        if magnitude > i128::from(u64::MAX) {
            return None;
        }
        any_digit = true;
    }
    if !any_digit {
        return None;
    }
    Some(if negative { -magnitude } else { magnitude })
}

/// `.inf`, `-.inf`, `.nan` (`tagged`: also `-.nan`), or a decimal float. A
/// literal too large for 64 bits is infinite.
fn float_of(text: &str, tagged: bool) -> Option<f64> {
    let (negative, unsigned) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    match unsigned {
        ".nan" | ".NaN" | ".NAN" if tagged || unsigned == text => return Some(f64::NAN),
        ".inf" | ".Inf" | ".INF" if negative => return Some(f64::NEG_INFINITY),
        ".inf" | ".Inf" | ".INF" => return Some(f64::INFINITY),
        _ => {}
    }
    // Rust also reads `inf`, `nan` and `infinity`, which YAML keeps as strings.
    let numeral = unsigned
        .as_bytes()
        .first()
        .is_some_and(|b| b.is_ascii_digit() || *b == b'.');
    if !numeral {
        return None;
    }
    let value = text.parse::<f64>().ok()?;
    // An overflowing literal is infinite only when it starts with a digit.
    (value.is_finite() || unsigned.as_bytes()[0].is_ascii_digit()).then_some(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trim_removes_exactly_the_blanks_around_a_scalar() {
        for text in [
            "",
            " ",
            "a",
            " a",
            "a ",
            "\ta\n",
            "a b",
            " \r\n",
            "\u{a0}a\u{a0}",
            "é ",
        ] {
            assert_eq!(
                trim(text),
                text.trim_matches([' ', '\t', '\r', '\n']),
                "{text:?}"
            );
        }
    }

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

    fn parse(text: &str) -> Node<'_> {
        parse_document(text, &YamlLimits::default()).expect("valid YAML")
    }

    fn entries<'n, 'a>(node: &'n Node<'a>) -> &'n [(Node<'a>, Node<'a>)] {
        match &node.value {
            Value::Map(entries) => entries,
            other => panic!("expected a mapping, found {other:?}"),
        }
    }

    fn items<'n, 'a>(node: &'n Node<'a>) -> &'n [Node<'a>] {
        match &node.value {
            Value::Seq(items) => items,
            other => panic!("expected a list, found {other:?}"),
        }
    }

    /// The value of the first entry with this key.
    fn get<'n, 'a>(node: &'n Node<'a>, key: &str) -> &'n Node<'a> {
        entries(node)
            .iter()
            .find(|(k, _)| k.value == Value::Str(key.into()))
            .map(|(_, v)| v)
            .unwrap_or_else(|| panic!("no key {key}"))
    }

    fn at(node: &Node) -> (u32, u32) {
        (node.location.line, node.location.column)
    }

    /// The source text a node's location covers.
    fn text_of<'t>(text: &'t str, node: &Node) -> &'t str {
        let start = node.location.offset as usize;
        &text[start..start + node.location.len as usize]
    }

    #[test]
    fn parses_with_spans_and_yaml_1_2_booleans() {
        let node = parse("a: no\nb: true\na: 3\n");
        let entries = entries(&node);
        assert_eq!(entries.len(), 3, "duplicate keys are kept");
        assert_eq!(entries[0].1.value, Value::Str("no".into()));
        assert_eq!(entries[1].1.value, Value::Bool(true));
        assert_eq!(entries[2].0.location.line, 3);
        assert_eq!(entries[2].1.location.column, 4);
    }

    #[test]
    fn plain_scalars_follow_the_core_schema() {
        let node = parse(
            "bools: [true, True, TRUE, false, FALSE, yes, no, on, off, y, tRue]\n\
             nulls: [~, null, Null, NULL, '', nULL]\n\
             empty:\n\
             ints: [0, -7, +3, 0o17, 0x1F, 0b101, 1_000, 0X1F, 012]\n\
             floats: [1.5, 1e3, .5, .inf, -.inf, .nan, -.nan, inf, 1e999]\n",
        );
        let bools: Vec<&Value> = items(get(&node, "bools"))
            .iter()
            .map(|n| &n.value)
            .collect();
        let expected_bools = [true, true, true, false, false].map(Value::Bool);
        assert_eq!(&bools[..5], expected_bools.iter().collect::<Vec<_>>());
        for (node, text) in items(get(&node, "bools"))[5..]
            .iter()
            .zip(["yes", "no", "on", "off", "y", "tRue"])
        {
            assert_eq!(
                node.value,
                Value::Str(text.into()),
                "YAML 1.1 spellings are strings"
            );
        }
        let nulls = items(get(&node, "nulls"));
        assert!(nulls[..4].iter().all(|n| n.value == Value::Null));
        assert_eq!(
            nulls[4].value,
            Value::Str("".into()),
            "a quoted empty string is a string"
        );
        assert_eq!(nulls[5].value, Value::Str("nULL".into()));
        assert_eq!(get(&node, "empty").value, Value::Null);
        let ints: Vec<&Value> = items(get(&node, "ints")).iter().map(|n| &n.value).collect();
        let expected_ints = [0, -7, 3, 15, 31, 5, 1000].map(Value::Int);
        assert_eq!(&ints[..7], expected_ints.iter().collect::<Vec<_>>());
        assert_eq!(
            *ints[7],
            Value::Str("0X1F".into()),
            "upper-case radix is a string"
        );
        assert_eq!(
            *ints[8],
            Value::Float(12.0),
            "a leading zero is not an integer"
        );
        let floats: Vec<&Value> = items(get(&node, "floats"))
            .iter()
            .map(|n| &n.value)
            .collect();
        assert_eq!(*floats[0], Value::Float(1.5));
        assert_eq!(*floats[1], Value::Float(1000.0));
        assert_eq!(*floats[2], Value::Float(0.5));
        assert_eq!(*floats[3], Value::Float(f64::INFINITY));
        assert_eq!(*floats[4], Value::Float(f64::NEG_INFINITY));
        assert!(matches!(floats[5], Value::Float(x) if x.is_nan()));
        assert_eq!(*floats[6], Value::Str("-.nan".into()));
        assert_eq!(*floats[7], Value::Str("inf".into()));
        assert_eq!(*floats[8], Value::Float(f64::INFINITY));
    }

    #[test]
    fn dates_and_inner_hyphens_are_strings_and_exponents_are_not() {
        let node = parse("values: [2026-01-15, 1e-3, -1E-3, 1-2, --5, 0x1-, 1_0-0]\n");
        let values: Vec<&Value> = items(get(&node, "values"))
            .iter()
            .map(|n| &n.value)
            .collect();
        assert_eq!(*values[0], Value::Str("2026-01-15".into()));
        assert_eq!(*values[1], Value::Float(0.001));
        assert_eq!(*values[2], Value::Float(-0.001));
        for (value, text) in values[3..].iter().zip(["1-2", "--5", "0x1-", "1_0-0"]) {
            assert_eq!(**value, Value::Str(text.into()));
        }
    }

    /// [`has_inner_hyphen`] only rules out what both number parsers reject.
    #[test]
    fn scalars_with_an_inner_hyphen_are_no_numbers() {
        let alphabet = b"0123456789-+._eExob";
        let mut rng = fastrand::Rng::with_seed(11);
        let mut checked = 0;
        for _ in 0..200_000 {
            let len = rng.usize(2..8);
            let text: String = (0..len)
                .map(|_| char::from(alphabet[rng.usize(..alphabet.len())]))
                .collect();
            let unsigned = text.strip_prefix(['+', '-']).unwrap_or(&text);
            if has_inner_hyphen(unsigned) {
                checked += 1;
                assert_eq!(int_of(&text), None, "{text}");
                assert_eq!(float_of(&text, false), None, "{text}");
            }
        }
        assert!(checked > 10_000, "{checked}");
    }

    #[test]
    fn quoted_and_block_scalars_are_strings() {
        let text = "a: 'true'\nb: \"12\"\nc: |\n  line one\n  line two\nd: >\n  folded\n  text\ne: 'it''s'\n";
        let node = parse(text);
        assert_eq!(get(&node, "a").value, Value::Str("true".into()));
        assert_eq!(get(&node, "b").value, Value::Str("12".into()));
        assert_eq!(
            get(&node, "c").value,
            Value::Str("line one\nline two\n".into())
        );
        assert_eq!(get(&node, "d").value, Value::Str("folded text\n".into()));
        assert_eq!(get(&node, "e").value, Value::Str("it's".into()));
        // A block scalar is located at its first line of content.
        assert_eq!(at(get(&node, "c")), (4, 3));
        // Plain text is borrowed from the source; unescaped text is not.
        assert!(matches!(
            &entries(&node)[0].0.value,
            Value::Str(Cow::Borrowed("a"))
        ));
        assert!(matches!(&get(&node, "e").value, Value::Str(Cow::Owned(_))));
    }

    #[test]
    fn locations_count_characters_and_bytes() {
        let text = "ü: é\nnäme: 日本語\nk: [a, {x: 'ü'}]\n";
        let node = parse(text);
        let entries = entries(&node);
        assert_eq!(at(&entries[0].1), (1, 4), "columns count characters");
        assert_eq!(text_of(text, &entries[0].1), "é");
        assert_eq!(at(&entries[1].0), (2, 1));
        assert_eq!(at(&entries[1].1), (2, 7));
        assert_eq!(text_of(text, &entries[1].1), "日本語");
        let flow = items(&entries[2].1);
        assert_eq!(at(&flow[0]), (3, 5));
        let inner = get(&flow[1], "x");
        assert_eq!(at(inner), (3, 12));
        assert_eq!(
            text_of(text, inner),
            "'ü'",
            "a quoted scalar's span has its quotes"
        );
    }

    #[test]
    fn crlf_line_ends_keep_lines_and_columns() {
        let text = "a: 1\r\nb:\r\n  - x\r\n  - 'y'\r\n";
        let node = parse(text);
        let list = items(get(&node, "b"));
        assert_eq!(at(&list[0]), (3, 5));
        assert_eq!(at(&list[1]), (4, 5));
        assert_eq!(list[1].value, Value::Str("y".into()));
        assert_eq!(text_of(text, &list[0]), "x");
    }

    #[test]
    fn aliases_copy_the_anchored_node_located_at_the_alias() {
        let text = "base: &b {x: 1, y: [2]}\nuse: *b\ns: &s word\nt: *s\n";
        let node = parse(text);
        let copy = get(&node, "use");
        let unlocated = |node: &Node<'static>| {
            let mut node = node.clone();
            relocate(&mut node, Location::default());
            node
        };
        assert_eq!(
            unlocated(copy),
            unlocated(get(&node, "base")),
            "a mapping used as a value"
        );
        assert_eq!(at(copy), (2, 6));
        assert!(
            entries(copy)
                .iter()
                .all(|(k, v)| at(k) == (2, 6) && at(v) == (2, 6))
        );
        assert_eq!(get(&node, "t").value, Value::Str("word".into()));
        assert_eq!(at(get(&node, "t")), (4, 4));
    }

    #[test]
    fn merge_keys_add_missing_entries_after_the_mappings_own() {
        let node = parse(
            "a: &a {p: 1, q: 1}\nb: &b {q: 2, r: 2}\nm:\n  <<: [*a, *b]\n  p: 0\nn:\n  <<: *a\nquoted:\n  '<<': 1\n",
        );
        let merged: Vec<(String, Value)> = entries(get(&node, "m"))
            .iter()
            .map(|(k, v)| (format!("{:?}", k.value), v.value.clone()))
            .collect();
        assert_eq!(
            merged,
            vec![
                (format!("{:?}", Value::Str("p".into())), Value::Int(0)),
                (format!("{:?}", Value::Str("q".into())), Value::Int(1)),
                (format!("{:?}", Value::Str("r".into())), Value::Int(2)),
            ],
            "own keys win, then earlier merged mappings"
        );
        assert_eq!(entries(get(&node, "n")).len(), 2);
        assert_eq!(
            get(get(&node, "quoted"), "<<").value,
            Value::Int(1),
            "a quoted `<<` is a key"
        );
        let error = parse_document("m:\n  <<: 5\n", &YamlLimits::default()).unwrap_err();
        assert!(!error.limit);
        assert_eq!((error.location.line, error.location.column), (2, 7));
    }

    #[test]
    fn core_tags_are_honoured_and_others_ignored() {
        let node = parse(
            "a: !!str 123\nb: !!int '42'\nc: !!float 1\nd: !!null x\ne: ! 12\nf: !local 7\ng: !!str\n",
        );
        assert_eq!(get(&node, "a").value, Value::Str("123".into()));
        assert_eq!(get(&node, "b").value, Value::Int(42));
        assert_eq!(get(&node, "c").value, Value::Float(1.0));
        assert_eq!(get(&node, "d").value, Value::Null);
        assert_eq!(get(&node, "e").value, Value::Str("12".into()));
        assert_eq!(get(&node, "f").value, Value::Int(7));
        assert_eq!(get(&node, "g").value, Value::Str("".into()));
        for bad in [
            "a: !!int abc\n",
            "a: !!bool yes\n",
            "a: !!map [1]\n",
            "a: !!str {b: 1}\n",
        ] {
            let error = parse_document(bad, &YamlLimits::default()).unwrap_err();
            assert!(!error.limit, "{bad}");
            assert_eq!(error.location.line, 1, "{bad}");
        }
    }

    #[test]
    fn syntax_errors_have_line_and_column() {
        for (text, line, column) in [
            ("a: [b\n", 1, 4),
            ("a: b\n c: d\n", 2, 3),
            ("k: \"open\n", 1, 4),
            ("a: *nowhere\n", 1, 4),
            ("a: &x [1, *x]\n", 1, 11),
        ] {
            let error = parse_document(text, &YamlLimits::default()).unwrap_err();
            assert!(!error.limit, "{text}: {error}");
            assert!(!error.message.is_empty());
            assert_eq!(
                (error.location.line, error.location.column),
                (line, column),
                "{text}: {error}"
            );
        }
    }

    #[test]
    fn rejects_deep_nesting_and_alias_bombs() {
        let limits = YamlLimits::default();
        let deep = format!("a: {}{}", "[".repeat(100_000), "]".repeat(100_000));
        let error = parse_document(&deep, &limits).unwrap_err();
        assert!(error.limit && error.message.contains("64"), "{error}");
        let block = (0..70).fold(String::new(), |text, level| {
            format!("{text}{}k{level}:\n", "  ".repeat(level))
        });
        assert!(parse_document(&block, &limits).unwrap_err().limit);
        let fits = format!("a: {}{}", "[".repeat(63), "]".repeat(63));
        assert!(parse_document(&fits, &limits).is_ok());

        let mut bomb = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for level in 1..9 {
            let previous = format!("*a{}", level - 1);
            let list = [previous.as_str(); 10].join(", ");
            bomb.push_str(&format!("a{level}: &a{level} [{list}]\n"));
        }
        let error = parse_document(&bomb, &limits).unwrap_err();
        assert!(error.limit && error.message.contains("aliases"), "{error}");
        // Alias use in proportion to the text is fine.
        let modest = "base: &b {x: 1}\nuses: [*b, *b, *b, *b]\n";
        assert_eq!(items(get(&parse(modest), "uses")).len(), 4);
    }

    #[test]
    fn node_budget_is_enforced() {
        let limits = YamlLimits {
            max_nodes: 10,
            ..YamlLimits::default()
        };
        assert!(parse_document("[1, 2, 3]", &limits).is_ok());
        let error = parse_document("[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]", &limits).unwrap_err();
        assert!(error.limit && error.message.contains("10 nodes"), "{error}");
    }

    #[test]
    fn nodes_stay_small() {
        // 32 bytes of value (a borrowed-or-owned string, or a vector) and 16 of location.
        assert!(
            std::mem::size_of::<Node>() <= 48,
            "{}",
            std::mem::size_of::<Node>()
        );
    }
}
