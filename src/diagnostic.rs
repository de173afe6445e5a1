//! rolelint's own finding type. Rules produce [`Diagnostic`]s; the report
//! modules render them (miette, JSON, ...) only at the edge.

use std::fmt;

use serde::Serialize;

use crate::model::{Id, Kind, Span};

/// How serious a finding is. Ordered: `Info < Warning < Error`.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    bitcode::Encode,
    bitcode::Decode,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The object a finding is about.
#[derive(
    Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, bitcode::Encode, bitcode::Decode,
)]
pub struct ObjectRef {
    pub kind: Kind,
    pub id: Id,
}

impl ObjectRef {
    pub fn new(kind: Kind, id: &Id) -> Self {
        ObjectRef {
            kind,
            id: id.clone(),
        }
    }
}

impl fmt::Display for ObjectRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.kind, self.id)
    }
}

/// Another place that matters to a finding (the other duplicate, the next role of a cycle).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Related {
    pub span: Span,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// The rule code, `category/name`.
    pub rule: &'static str,
    pub severity: Severity,
    pub message: String,
    /// `None` only for findings about no object (e.g. an unreadable file).
    pub object: Option<ObjectRef>,
    /// The sub-item inside the object (RULES.md says which, per rule).
    pub detail: Option<String>,
    /// The exact YAML key or value; `None` only for findings on no file.
    pub span: Option<Span>,
    pub related: Vec<Related>,
    pub help: Option<String>,
    /// The other object of a pair finding: a suppression on it also silences the finding.
    pub partner: Option<ObjectRef>,
}

impl Diagnostic {
    /// A finding of `rule` at its default severity; the engine applies overrides.
    pub fn new(rule: &'static str, severity: Severity, message: impl Into<String>) -> Self {
        Diagnostic {
            rule,
            severity,
            message: message.into(),
            object: None,
            detail: None,
            span: None,
            related: Vec::new(),
            help: None,
            partner: None,
        }
    }

    pub fn on(mut self, kind: Kind, id: &Id) -> Self {
        self.object = Some(ObjectRef::new(kind, id));
        self
    }

    pub fn at(mut self, span: Span) -> Self {
        self.span = Some(span);
        self
    }

    pub fn detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }

    pub fn related(mut self, span: Span, message: impl Into<String>) -> Self {
        self.related.push(Related {
            span,
            message: message.into(),
        });
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn partner(mut self, kind: Kind, id: &Id) -> Self {
        self.partner = Some(ObjectRef::new(kind, id));
        self
    }
}
