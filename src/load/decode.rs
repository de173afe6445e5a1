//! Node tree → typed model, collecting every problem of a document.
//!
//! Each kind has one decoding function that reads its fields by name, parses
//! ids, references, dates and keywords into typed values, and reports, with
//! the exact span: wrong types, unknown fields (with "did you mean"),
//! duplicate keys, missing fields and malformed values. A document with any
//! problem yields no object; its problems become `schema/invalid-document`.

use std::collections::HashMap;
use std::fmt::Display;

use super::yaml::{DocumentSlice, Location, Node, Value};
use crate::model::{
    Action, Application, AppliesTo, Approver, Config, Credential, CredentialType, Criticality,
    Date, Defaults, FileId, Grant, Id, Identity, IdentityStatus, IdentityType, Kind, Labels,
    Object, Origin, PermissionDecl, PermissionRef, Playbook, Principal, Review, Role, RuleLevel,
    SodItem, SodRule, Span, Spanned, Step, Suppression, Team, Trigger, schema::API_VERSION,
};
use crate::suggest::did_you_mean;

/// One problem found while decoding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub span: Span,
    pub message: String,
    pub help: Option<String>,
}

/// What decoding found in a document.
#[derive(Debug)]
pub enum Decoded {
    /// Not a rolelint document (no `apiVersion: rolelint/...`): skipped silently.
    NotOurs,
    Object(Box<Object>),
    /// A rolelint document with problems: the object (if its kind and id were
    /// readable) is named in the findings, and left out of the analysis.
    Invalid(Option<(Kind, Id)>),
}

/// Decoding state for one document: where it is, and the problems so far.
pub struct Decoder<'a> {
    file: FileId,
    slice: DocumentSlice,
    /// Rule codes a suppression may name.
    rule_codes: &'a [&'a str],
    pub problems: Vec<Problem>,
}

impl<'a> Decoder<'a> {
    pub fn new(file: FileId, slice: DocumentSlice, rule_codes: &'a [&'a str]) -> Self {
        Decoder {
            file,
            slice,
            rule_codes,
            problems: Vec::new(),
        }
    }

    /// The absolute span of a node of this document.
    pub fn span(&self, node: &Node) -> Span {
        location_span(self.file, &self.slice, &node.location)
    }

    fn problem(&mut self, span: Span, message: impl Into<String>, help: Option<String>) {
        self.problems.push(Problem {
            span,
            message: message.into(),
            help,
        });
    }

    fn wrong_type(&mut self, node: &Node, expected: &str) {
        let help = match &node.value {
            Value::Int(_) | Value::Float(_) | Value::Bool(_) if expected.contains("string") => {
                Some("quote the value to make it a string".to_owned())
            }
            Value::Null if expected.contains("list") => {
                Some("write `[]` for an empty list".to_owned())
            }
            _ => None,
        };
        let message = format!("expected {expected}, found {}", node.value.describe());
        self.problem(self.span(node), message, help);
    }
}

/// Converts a location inside a document slice to a file span.
pub fn location_span(file: FileId, slice: &DocumentSlice, location: &Location) -> Span {
    let offset = u32::try_from(slice.start)
        .unwrap_or(u32::MAX)
        .saturating_add(location.offset);
    let line = slice.line.saturating_add(location.line.saturating_sub(1));
    Span {
        file,
        offset,
        len: location.len,
        line: line.max(1),
        column: location.column.max(1),
    }
}

/// A mapping being read field by field; whatever is left at the end is unknown.
struct Fields<'n> {
    span: Span,
    entries: Vec<(&'n str, &'n Node<'n>, &'n Node<'n>)>,
    taken: Vec<bool>,
}

fn fields<'n>(cx: &mut Decoder, node: &'n Node<'n>, what: &str) -> Option<Fields<'n>> {
    let Value::Map(pairs) = &node.value else {
        cx.wrong_type(node, &format!("{what} (a mapping)"));
        return None;
    };
    let mut entries: Vec<(&str, &Node, &Node)> = Vec::with_capacity(pairs.len());
    // Mappings of the format have a handful of keys: a scan finds a
    // duplicate faster than hashing; large ones (labels) get a map.
    let mut first_seen: Option<HashMap<&str, &Node>> =
        (pairs.len() > 16).then(|| HashMap::with_capacity(pairs.len()));
    for (key, value) in pairs {
        let Value::Str(name) = &key.value else {
            cx.wrong_type(key, "a field name (a string)");
            continue;
        };
        let first = match &first_seen {
            Some(seen) => seen.get(name.as_ref()).copied(),
            None => entries
                .iter()
                .find(|(seen, _, _)| *seen == name.as_ref())
                .map(|(_, first, _)| *first),
        };
        if let Some(first) = first {
            let first_line = cx.span(first).line;
            cx.problem(
                cx.span(key),
                format!("duplicate key `{name}` (first written on line {first_line})"),
                Some("a mapping may hold each key once; merge the two entries".to_owned()),
            );
            continue;
        }
        if let Some(seen) = &mut first_seen {
            seen.insert(name, key);
        }
        entries.push((name.as_ref(), key, value));
    }
    let taken = vec![false; entries.len()];
    Some(Fields {
        span: cx.span(node),
        entries,
        taken,
    })
}

impl<'n> Fields<'n> {
    fn take(&mut self, name: &str) -> Option<&'n Node<'n>> {
        let index = self.entries.iter().position(|(key, _, _)| *key == name)?;
        self.taken[index] = true;
        Some(self.entries[index].2)
    }

    fn key_span(&self, cx: &Decoder, name: &str) -> Option<Span> {
        self.entries
            .iter()
            .find(|(key, _, _)| *key == name)
            .map(|(_, key, _)| cx.span(key))
    }

    fn required(&mut self, cx: &mut Decoder, name: &str, what: &str) -> Option<&'n Node<'n>> {
        let node = self.take(name);
        if node.is_none() {
            cx.problem(self.span, format!("{what} needs `{name}`"), None);
        }
        node
    }

    /// Reports every field that was not read, with a suggestion from `known`.
    fn finish(self, cx: &mut Decoder, what: &str, known: &[&str]) {
        for ((name, key, _), taken) in self.entries.iter().zip(&self.taken) {
            if !taken {
                let help = match did_you_mean(name, known.iter().copied()) {
                    Some(suggestion) => format!("did you mean `{suggestion}`?"),
                    None => format!("{what} has the fields: {}", known.join(", ")),
                };
                cx.problem(
                    cx.span(key),
                    format!("unknown field `{name}` in {what}"),
                    Some(help),
                );
            }
        }
    }
}

// --- scalars -------------------------------------------------------------

fn string(cx: &mut Decoder, node: &Node) -> Option<String> {
    match &node.value {
        Value::Str(text) => Some(text.as_ref().to_owned()),
        _ => {
            cx.wrong_type(node, "a string");
            None
        }
    }
}

fn spanned_string(cx: &mut Decoder, node: &Node) -> Option<Spanned<String>> {
    let span = cx.span(node);
    string(cx, node).map(|text| Spanned::new(text, span))
}

fn non_empty_string(cx: &mut Decoder, node: &Node, what: &str) -> Option<String> {
    let text = string(cx, node)?;
    if text.trim().is_empty() {
        cx.problem(cx.span(node), format!("{what} must not be empty"), None);
        return None;
    }
    Some(text)
}

/// A string parsed by `parse` (ids, references, dates).
fn parsed<T, E: Display>(
    cx: &mut Decoder,
    node: &Node,
    parse: impl FnOnce(&str) -> Result<T, E>,
) -> Option<Spanned<T>> {
    let span = cx.span(node);
    let text = string(cx, node)?;
    match parse(&text) {
        Ok(value) => Some(Spanned::new(value, span)),
        Err(error) => {
            cx.problem(span, error.to_string(), None);
            None
        }
    }
}

fn id(cx: &mut Decoder, node: &Node) -> Option<Spanned<Id>> {
    parsed(cx, node, Id::parse)
}

fn principal(cx: &mut Decoder, node: &Node) -> Option<Spanned<Principal>> {
    parsed(cx, node, Principal::parse)
}

fn date(cx: &mut Decoder, node: &Node) -> Option<Spanned<Date>> {
    parsed(cx, node, Date::parse)
}

fn boolean(cx: &mut Decoder, node: &Node) -> Option<Spanned<bool>> {
    match &node.value {
        Value::Bool(value) => Some(Spanned::new(*value, cx.span(node))),
        Value::Str(text) => {
            let message = format!("expected true or false, found the string \"{text}\"");
            let help = "YAML 1.2 booleans are `true` and `false` only (`yes`, `no`, `on` and `off` are strings)";
            cx.problem(cx.span(node), message, Some(help.to_owned()));
            None
        }
        _ => {
            cx.wrong_type(node, "true or false");
            None
        }
    }
}

fn positive_u32(cx: &mut Decoder, node: &Node) -> Option<Spanned<u32>> {
    match &node.value {
        Value::Int(value) if *value >= 1 && *value <= i64::from(u32::MAX) => {
            Some(Spanned::new(*value as u32, cx.span(node)))
        }
        Value::Int(value) => {
            let message = format!("expected a whole number of at least 1, found {value}");
            cx.problem(cx.span(node), message, None);
            None
        }
        _ => {
            cx.wrong_type(node, "a whole number");
            None
        }
    }
}

fn fraction(cx: &mut Decoder, node: &Node) -> Option<f64> {
    let value = match &node.value {
        Value::Int(value) => *value as f64,
        Value::Float(value) => *value,
        _ => {
            cx.wrong_type(node, "a number between 0 and 1");
            return None;
        }
    };
    if !(0.0..=1.0).contains(&value) {
        let message = format!("expected a number between 0 and 1, found {value}");
        cx.problem(cx.span(node), message, None);
        return None;
    }
    Some(value)
}

fn keyword<T: Copy>(
    cx: &mut Decoder,
    node: &Node,
    keywords: &[&str],
    parse: impl Fn(&str) -> Option<T>,
) -> Option<Spanned<T>> {
    let span = cx.span(node);
    let text = string(cx, node)?;
    if let Some(value) = parse(&text) {
        return Some(Spanned::new(value, span));
    }
    let help = did_you_mean(&text, keywords.iter().copied())
        .map(|suggestion| format!("did you mean `{suggestion}`?"));
    let message = format!("`{text}` is not one of {}", keywords.join(", "));
    cx.problem(span, message, help);
    None
}

fn list<'n, T>(
    cx: &mut Decoder,
    node: &'n Node<'n>,
    mut item: impl FnMut(&mut Decoder, &'n Node<'n>) -> Option<T>,
) -> Vec<T> {
    match &node.value {
        Value::Seq(items) => {
            // Sized to the list: a collected `filter_map` would round the
            // capacity up, and a large catalogue holds millions of lists.
            let mut decoded = Vec::with_capacity(items.len());
            decoded.extend(items.iter().filter_map(|node| item(cx, node)));
            decoded
        }
        _ => {
            cx.wrong_type(node, "a list");
            Vec::new()
        }
    }
}

fn labels(cx: &mut Decoder, node: &Node) -> Labels {
    let Some(mut map) = fields(cx, node, "labels") else {
        return Labels::default();
    };
    let mut pairs = Vec::with_capacity(map.entries.len());
    for index in 0..map.entries.len() {
        map.taken[index] = true;
        let (name, _, value) = map.entries[index];
        if let Some(value) = string(cx, value) {
            pairs.push((name.to_owned(), value));
        }
    }
    Labels::from_pairs(pairs)
}

// --- documents -----------------------------------------------------------

/// Decodes one document of a catalogue file.
pub fn decode_document(cx: &mut Decoder, node: &Node) -> Decoded {
    let Value::Map(_) = &node.value else {
        return Decoded::NotOurs;
    };
    let Some(mut doc) = fields(cx, node, "a document") else {
        return Decoded::NotOurs;
    };
    let api_version = match doc.take("apiVersion").map(|node| (node, &node.value)) {
        Some((node, Value::Str(text))) if text.starts_with("rolelint/") => {
            (node, text.as_ref().to_owned())
        }
        _ => {
            // Someone else's YAML: forget anything noticed on the way.
            cx.problems.clear();
            return Decoded::NotOurs;
        }
    };
    if api_version.1 != API_VERSION {
        let message = format!("unsupported apiVersion `{}`", api_version.1);
        let help = format!("this version of rolelint reads `apiVersion: {API_VERSION}`");
        cx.problem(cx.span(api_version.0), message, Some(help));
    }
    let kind_node = doc.required(cx, "kind", "a rolelint document");
    let kind = kind_node.and_then(|node| keyword(cx, node, Kind::KEYWORDS, Kind::parse));
    let origin = Origin {
        file: cx.file,
        document: doc.span,
        kind: kind_node.map_or(doc.span, |node| cx.span(node)),
    };
    let object = match kind.map(|kind| kind.value) {
        Some(Kind::Application) => application(cx, &mut doc, origin).map(Object::Application),
        Some(Kind::Role) => role(cx, &mut doc, origin).map(|role| Object::Role(Box::new(role))),
        Some(Kind::Identity) => identity(cx, &mut doc, origin).map(Object::Identity),
        Some(Kind::Team) => team(cx, &mut doc, origin).map(Object::Team),
        Some(Kind::Playbook) => playbook(cx, &mut doc, origin).map(Object::Playbook),
        Some(Kind::SodRule) => sod_rule(cx, &mut doc, origin).map(Object::SodRule),
        // Without a known kind the object cannot be named: its id is in no namespace.
        None => return Decoded::Invalid(None),
    };
    match object {
        Some(object) if cx.problems.is_empty() => Decoded::Object(Box::new(object)),
        Some(object) => Decoded::Invalid(Some((object.kind(), object.id().value.clone()))),
        None => Decoded::Invalid(None),
    }
}

/// The header fields every kind has.
const COMMON_FIELDS: [&str; 5] = ["apiVersion", "kind", "id", "labels", "suppress"];

fn known_fields(specific: &[&'static str]) -> Vec<&'static str> {
    COMMON_FIELDS.iter().chain(specific).copied().collect()
}

struct Common {
    id: Option<Spanned<Id>>,
    labels: Labels,
    suppress: Vec<Suppression>,
}

fn common(cx: &mut Decoder, doc: &mut Fields, what: &str) -> Common {
    let id = doc.required(cx, "id", what).and_then(|node| id(cx, node));
    let labels = doc
        .take("labels")
        .map(|node| labels(cx, node))
        .unwrap_or_default();
    let suppress = doc
        .take("suppress")
        .map(|node| list(cx, node, suppression))
        .unwrap_or_default();
    Common {
        id,
        labels,
        suppress,
    }
}

fn opt<'n, T>(
    cx: &mut Decoder,
    doc: &mut Fields<'n>,
    name: &str,
    read: impl FnOnce(&mut Decoder, &'n Node<'n>) -> Option<T>,
) -> Option<T> {
    doc.take(name).and_then(|node| read(cx, node))
}

fn opt_list<'n, T>(
    cx: &mut Decoder,
    doc: &mut Fields<'n>,
    name: &str,
    item: impl FnMut(&mut Decoder, &'n Node<'n>) -> Option<T>,
) -> Vec<T> {
    doc.take(name)
        .map(|node| list(cx, node, item))
        .unwrap_or_default()
}

/// A flag defaults to `false`, spanned at the object's id when not written.
fn flag(cx: &mut Decoder, doc: &mut Fields, name: &str, fallback: Span) -> Spanned<bool> {
    opt(cx, doc, name, boolean).unwrap_or(Spanned::new(false, fallback))
}

fn suppression(cx: &mut Decoder, node: &Node) -> Option<Suppression> {
    const KNOWN: &[&str] = &["rule", "reason", "until", "approved_by", "ticket"];
    let mut map = fields(cx, node, "a suppression")?;
    let rule = map
        .required(cx, "rule", "a suppression")
        .and_then(|node| spanned_string(cx, node));
    if let Some(rule) = &rule {
        let known = cx.rule_codes.contains(&rule.value.as_str())
            || rule
                .value
                .strip_prefix("policy/")
                .is_some_and(|rest| !rest.is_empty());
        if !known {
            let help = did_you_mean(&rule.value, cx.rule_codes.iter().copied())
                .map(|suggestion| format!("did you mean `{suggestion}`?"))
                .unwrap_or_else(|| "`rolelint rules` lists the rule codes".to_owned());
            let message = format!("suppression names the unknown rule `{}`", rule.value);
            cx.problem(rule.span, message, Some(help));
        }
    }
    let reason = map
        .required(cx, "reason", "a suppression")
        .and_then(|node| non_empty_string(cx, node, "the reason"));
    let until = map
        .required(cx, "until", "a suppression")
        .and_then(|node| date(cx, node));
    let approved_by = opt(cx, &mut map, "approved_by", principal);
    let ticket = opt(cx, &mut map, "ticket", string);
    map.finish(cx, "a suppression", KNOWN);
    Some(Suppression {
        rule: rule?,
        reason: reason?,
        until: until?,
        approved_by,
        ticket,
    })
}

fn application(cx: &mut Decoder, doc: &mut Fields, origin: Origin) -> Option<Application> {
    const SPECIFIC: &[&str] = &["name", "owner", "criticality", "permissions"];
    let common = common(cx, doc, "an Application");
    let name = opt(cx, doc, "name", string);
    let owner = opt(cx, doc, "owner", principal);
    let criticality = opt(cx, doc, "criticality", |cx, node| {
        keyword(cx, node, Criticality::KEYWORDS, Criticality::parse)
    })
    .map_or(Criticality::Medium, |value| value.value);
    let permissions = opt_list(cx, doc, "permissions", permission_decl);
    let mut seen: HashMap<&Id, Span> = HashMap::new();
    for permission in &permissions {
        if let Some(first) = seen.insert(&permission.id.value, permission.id.span) {
            let message = format!(
                "permission `{}` is declared twice (first on line {})",
                permission.id.value, first.line
            );
            cx.problems.push(Problem {
                span: permission.id.span,
                message,
                help: None,
            });
        }
    }
    doc.finish_known(cx, "an Application", SPECIFIC);
    Some(Application {
        id: common.id?,
        name,
        owner,
        criticality,
        permissions,
        labels: common.labels,
        suppress: common.suppress,
        origin,
    })
}

fn permission_decl(cx: &mut Decoder, node: &Node) -> Option<PermissionDecl> {
    const KNOWN: &[&str] = &["id", "description", "privileged"];
    let mut map = fields(cx, node, "a permission")?;
    let id = map
        .required(cx, "id", "a permission")
        .and_then(|node| id(cx, node));
    let description = opt(cx, &mut map, "description", string);
    let privileged = opt(cx, &mut map, "privileged", boolean).is_some_and(|flag| flag.value);
    map.finish(cx, "a permission", KNOWN);
    Some(PermissionDecl {
        id: id?,
        description,
        privileged,
    })
}

fn role(cx: &mut Decoder, doc: &mut Fields, origin: Origin) -> Option<Role> {
    const SPECIFIC: &[&str] = &[
        "name",
        "description",
        "owner",
        "department",
        "inherits",
        "permissions",
        "privileged",
        "requires_mfa",
        "max_grant_days",
        "review",
    ];
    let common = common(cx, doc, "a Role");
    let fallback = common.id.as_ref().map_or(origin.kind, |id| id.span);
    let role = Role {
        name: opt(cx, doc, "name", string),
        description: opt(cx, doc, "description", string),
        owner: opt(cx, doc, "owner", principal),
        department: opt(cx, doc, "department", spanned_string),
        inherits: opt_list(cx, doc, "inherits", id),
        permissions: opt_list(cx, doc, "permissions", |cx, node| {
            parsed(cx, node, PermissionRef::parse)
        }),
        privileged: flag(cx, doc, "privileged", fallback),
        requires_mfa: flag(cx, doc, "requires_mfa", fallback),
        max_grant_days: opt(cx, doc, "max_grant_days", positive_u32),
        review: opt(cx, doc, "review", review),
        id: common.id?,
        labels: common.labels,
        suppress: common.suppress,
        origin,
    };
    doc.finish_known(cx, "a Role", SPECIFIC);
    Some(role)
}

fn review(cx: &mut Decoder, node: &Node) -> Option<Review> {
    const KNOWN: &[&str] = &["every_days", "last_reviewed", "reviewer"];
    let mut map = fields(cx, node, "a review")?;
    let review = Review {
        every_days: opt(cx, &mut map, "every_days", positive_u32),
        last_reviewed: opt(cx, &mut map, "last_reviewed", date),
        reviewer: opt(cx, &mut map, "reviewer", principal),
        span: map.span,
    };
    map.finish(cx, "a review", KNOWN);
    Some(review)
}

fn identity(cx: &mut Decoder, doc: &mut Fields, origin: Origin) -> Option<Identity> {
    const SPECIFIC: &[&str] = &[
        "name",
        "type",
        "status",
        "terminated_on",
        "department",
        "manager",
        "owner",
        "credentials",
        "grants",
    ];
    let common = common(cx, doc, "an Identity");
    let fallback = common.id.as_ref().map_or(origin.kind, |id| id.span);
    let kind = opt(cx, doc, "type", |cx, node| {
        keyword(cx, node, IdentityType::KEYWORDS, IdentityType::parse)
    })
    .unwrap_or(Spanned::new(IdentityType::Human, fallback));
    let status = opt(cx, doc, "status", |cx, node| {
        keyword(cx, node, IdentityStatus::KEYWORDS, IdentityStatus::parse)
    })
    .unwrap_or(Spanned::new(IdentityStatus::Active, fallback));
    let identity = Identity {
        name: opt(cx, doc, "name", string),
        kind,
        status,
        terminated_on: opt(cx, doc, "terminated_on", date),
        department: opt(cx, doc, "department", spanned_string),
        manager: opt(cx, doc, "manager", id),
        owner: opt(cx, doc, "owner", principal),
        credentials: opt_list(cx, doc, "credentials", credential),
        grants: opt_list(cx, doc, "grants", grant),
        id: common.id?,
        labels: common.labels,
        suppress: common.suppress,
        origin,
    };
    let mut seen: HashMap<&Id, Span> = HashMap::new();
    for credential in &identity.credentials {
        if let Some(first) = seen.insert(&credential.id.value, credential.id.span) {
            let message = format!(
                "credential `{}` is listed twice (first on line {})",
                credential.id.value, first.line
            );
            cx.problems.push(Problem {
                span: credential.id.span,
                message,
                help: None,
            });
        }
    }
    doc.finish_known(cx, "an Identity", SPECIFIC);
    Some(identity)
}

fn credential(cx: &mut Decoder, node: &Node) -> Option<Credential> {
    const KNOWN: &[&str] = &["id", "type", "created", "last_rotated", "expires"];
    let mut map = fields(cx, node, "a credential")?;
    let id = map
        .required(cx, "id", "a credential")
        .and_then(|node| id(cx, node));
    let kind = map
        .required(cx, "type", "a credential")
        .and_then(|node| keyword(cx, node, CredentialType::KEYWORDS, CredentialType::parse));
    let created = opt(cx, &mut map, "created", date);
    let last_rotated = opt(cx, &mut map, "last_rotated", date);
    let expires = opt(cx, &mut map, "expires", date);
    map.finish(cx, "a credential", KNOWN);
    Some(Credential {
        id: id?,
        kind: kind?.value,
        created,
        last_rotated,
        expires,
    })
}

fn grant(cx: &mut Decoder, node: &Node) -> Option<Grant> {
    const KNOWN: &[&str] = &[
        "role",
        "permission",
        "granted",
        "approved_by",
        "ticket",
        "via",
        "expires",
        "revoked",
        "justification",
    ];
    let mut map = fields(cx, node, "a grant")?;
    let role = opt(cx, &mut map, "role", id);
    let permission = opt(cx, &mut map, "permission", |cx, node| {
        parsed(cx, node, PermissionRef::parse)
    });
    match (&role, &permission, map.key_span(cx, "permission")) {
        (Some(_), _, Some(second)) => cx.problem(
            second,
            "a grant has either `role` or `permission`, not both",
            Some("split it into two grants".to_owned()),
        ),
        (None, None, None) if map.key_span(cx, "role").is_none() => {
            cx.problem(map.span, "a grant needs `role` or `permission`", None)
        }
        _ => {}
    }
    let grant = Grant {
        role,
        permission: permission.map(Box::new),
        granted: opt(cx, &mut map, "granted", date),
        approved_by: opt(cx, &mut map, "approved_by", principal),
        ticket: opt(cx, &mut map, "ticket", string),
        via: opt(cx, &mut map, "via", id),
        expires: opt(cx, &mut map, "expires", date),
        revoked: opt(cx, &mut map, "revoked", date),
        justification: opt(cx, &mut map, "justification", string),
        span: map.span,
    };
    map.finish(cx, "a grant", KNOWN);
    Some(grant)
}

fn team(cx: &mut Decoder, doc: &mut Fields, origin: Origin) -> Option<Team> {
    const SPECIFIC: &[&str] = &["name", "owner", "members"];
    let common = common(cx, doc, "a Team");
    let team = Team {
        name: opt(cx, doc, "name", string),
        owner: opt(cx, doc, "owner", principal),
        members: opt_list(cx, doc, "members", id),
        id: common.id?,
        labels: common.labels,
        suppress: common.suppress,
        origin,
    };
    doc.finish_known(cx, "a Team", SPECIFIC);
    Some(team)
}

fn playbook(cx: &mut Decoder, doc: &mut Fields, origin: Origin) -> Option<Playbook> {
    const SPECIFIC: &[&str] = &[
        "name",
        "description",
        "owner",
        "trigger",
        "applies_to",
        "steps",
    ];
    let common = common(cx, doc, "a Playbook");
    let name = opt(cx, doc, "name", string);
    let description = opt(cx, doc, "description", string);
    let owner = opt(cx, doc, "owner", principal);
    let trigger = doc
        .required(cx, "trigger", "a Playbook")
        .and_then(|node| keyword(cx, node, Trigger::KEYWORDS, Trigger::parse));
    let applies_to = opt(cx, doc, "applies_to", applies_to);
    let steps = doc
        .required(cx, "steps", "a Playbook")
        .map(|node| list(cx, node, step));
    let mut seen: HashMap<&Id, Span> = HashMap::new();
    for step in steps.iter().flatten() {
        if let Some(first) = seen.insert(&step.id.value, step.id.span) {
            let message = format!(
                "step id `{}` is used twice in this playbook (first on line {})",
                step.id.value, first.line
            );
            cx.problems.push(Problem {
                span: step.id.span,
                message,
                help: Some("step ids are unique within a playbook".to_owned()),
            });
        }
    }
    doc.finish_known(cx, "a Playbook", SPECIFIC);
    Some(Playbook {
        id: common.id?,
        name,
        description,
        owner,
        trigger: trigger?,
        applies_to,
        steps: steps?,
        labels: common.labels,
        suppress: common.suppress,
        origin,
    })
}

fn applies_to(cx: &mut Decoder, node: &Node) -> Option<AppliesTo> {
    const KNOWN: &[&str] = &["types", "departments"];
    let mut map = fields(cx, node, "applies_to")?;
    let types = opt_list(cx, &mut map, "types", |cx, node| {
        keyword(cx, node, IdentityType::KEYWORDS, IdentityType::parse).map(|kind| kind.value)
    });
    let departments = opt_list(cx, &mut map, "departments", string);
    map.finish(cx, "applies_to", KNOWN);
    Some(AppliesTo { types, departments })
}

fn step(cx: &mut Decoder, node: &Node) -> Option<Step> {
    const KNOWN: &[&str] = &[
        "id",
        "action",
        "approvers",
        "role",
        "expires_after_days",
        "description",
        "after",
    ];
    let mut map = fields(cx, node, "a step")?;
    let step_id = map
        .required(cx, "id", "a step")
        .and_then(|node| id(cx, node));
    let action = map
        .required(cx, "action", "a step")
        .and_then(|node| keyword(cx, node, Action::KEYWORDS, Action::parse));
    let approvers = opt_list(cx, &mut map, "approvers", |cx, node| {
        parsed(cx, node, Approver::parse)
    });
    let role = opt(cx, &mut map, "role", id);
    let expires_after_days = opt(cx, &mut map, "expires_after_days", positive_u32);
    let description = opt(cx, &mut map, "description", string);
    let after = map.take("after").map(|node| list(cx, node, id));
    if let Some(action) = &action {
        let takes_role = matches!(action.value, Action::Grant | Action::Revoke);
        let is_approve = action.value == Action::Approve;
        let name = action.value.as_str();
        if takes_role && role.is_none() && map.key_span(cx, "role").is_none() {
            cx.problem(map.span, format!("a `{name}` step needs `role`"), None);
        }
        if is_approve && approvers.is_empty() && map.key_span(cx, "approvers").is_none() {
            cx.problem(map.span, "an `approve` step needs `approvers`", None);
        }
        let misplaced = [
            ("role", !takes_role),
            ("approvers", !is_approve),
            ("expires_after_days", action.value != Action::Grant),
        ];
        for (field, not_allowed) in misplaced {
            if let (true, Some(span)) = (not_allowed, map.key_span(cx, field)) {
                cx.problem(
                    span,
                    format!("`{field}` does not apply to a `{name}` step"),
                    None,
                );
            }
        }
    }
    map.finish(cx, "a step", KNOWN);
    Some(Step {
        id: step_id?,
        action: action?,
        approvers,
        role,
        expires_after_days,
        description,
        after,
    })
}

fn sod_rule(cx: &mut Decoder, doc: &mut Fields, origin: Origin) -> Option<SodRule> {
    const SPECIFIC: &[&str] = &["name", "description", "owner", "sides"];
    let common = common(cx, doc, "a SodRule");
    let name = opt(cx, doc, "name", string);
    let description = opt(cx, doc, "description", string);
    let owner = opt(cx, doc, "owner", principal);
    let sides_node = doc.required(cx, "sides", "a SodRule");
    let sides = sides_node.map(|node| {
        list(cx, node, |cx, side| {
            Some(list(cx, side, |cx, item| parsed(cx, item, SodItem::parse)))
        })
    });
    if let (Some(node), Some(sides)) = (sides_node, &sides)
        && sides.len() < 2
    {
        let message = format!("a SodRule needs at least two sides, found {}", sides.len());
        cx.problem(cx.span(node), message, None);
    }
    doc.finish_known(cx, "a SodRule", SPECIFIC);
    Some(SodRule {
        id: common.id?,
        name,
        description,
        owner,
        sides: sides?,
        labels: common.labels,
        suppress: common.suppress,
        origin,
    })
}

impl Fields<'_> {
    fn finish_known(&mut self, cx: &mut Decoder, what: &str, specific: &[&'static str]) {
        let fields = Fields {
            span: self.span,
            entries: std::mem::take(&mut self.entries),
            taken: std::mem::take(&mut self.taken),
        };
        fields.finish(cx, what, &known_fields(specific));
    }
}

// --- configuration -------------------------------------------------------

/// Decodes `rolelint.yaml`. Any problem makes the configuration unusable.
pub fn decode_config(cx: &mut Decoder, node: &Node) -> Option<Config> {
    const KNOWN: &[&str] = &["paths", "exclude", "defaults", "rules", "policies"];
    if node.value == Value::Null {
        return Some(Config::default());
    }
    let mut map = fields(cx, node, "the configuration")?;
    let mut config = Config::default();
    if let Some(node) = map.take("paths") {
        config.paths = list(cx, node, string);
        if config.paths.is_empty() {
            cx.problem(
                cx.span(node),
                "`paths` must name at least one directory",
                None,
            );
        }
    }
    config.exclude = opt_list(cx, &mut map, "exclude", string);
    if let Some(defaults) = opt(cx, &mut map, "defaults", defaults) {
        config.defaults = defaults;
    }
    if let Some(node) = map.take("rules")
        && let Some(mut rules) = fields(cx, node, "rules")
    {
        for index in 0..rules.entries.len() {
            rules.taken[index] = true;
            let (code, key, value) = rules.entries[index];
            let level = keyword(cx, value, RuleLevel::KEYWORDS, RuleLevel::parse);
            let known = cx.rule_codes.contains(&code) || code.starts_with("policy/");
            if !known {
                let help = did_you_mean(code, cx.rule_codes.iter().copied())
                    .map(|suggestion| format!("did you mean `{suggestion}`?"));
                cx.problem(cx.span(key), format!("unknown rule `{code}`"), help);
            } else if let Some(level) = level {
                config.rules.insert(code.to_owned(), level.value);
            }
        }
    }
    config.policies = opt_list(cx, &mut map, "policies", string);
    map.finish(cx, "the configuration", KNOWN);
    cx.problems.is_empty().then_some(config)
}

fn defaults(cx: &mut Decoder, node: &Node) -> Option<Defaults> {
    const KNOWN: &[&str] = &[
        "max_grant_days",
        "credential_rotation_days",
        "review_every_days",
        "near_duplicate_threshold",
        "peer_outlier_ratio",
        "peer_group_min_size",
    ];
    let mut map = fields(cx, node, "defaults")?;
    let mut defaults = Defaults::default();
    let days = |cx: &mut Decoder, map: &mut Fields, name: &str, slot: &mut u32| {
        if let Some(value) = opt(cx, map, name, positive_u32) {
            *slot = value.value;
        }
    };
    days(cx, &mut map, "max_grant_days", &mut defaults.max_grant_days);
    days(
        cx,
        &mut map,
        "credential_rotation_days",
        &mut defaults.credential_rotation_days,
    );
    days(
        cx,
        &mut map,
        "review_every_days",
        &mut defaults.review_every_days,
    );
    days(
        cx,
        &mut map,
        "peer_group_min_size",
        &mut defaults.peer_group_min_size,
    );
    if let Some(value) = opt(cx, &mut map, "near_duplicate_threshold", fraction) {
        defaults.near_duplicate_threshold = value;
    }
    if let Some(value) = opt(cx, &mut map, "peer_outlier_ratio", fraction) {
        defaults.peer_outlier_ratio = value;
    }
    map.finish(cx, "defaults", KNOWN);
    Some(defaults)
}
