//! schema/invalid-document: the file or document cannot be read as written.

use crate::diagnostic::{Diagnostic, Severity};
use crate::graph::Graph;
use crate::rules::{Rule, RuleDocs, RuleMeta};

pub struct InvalidDocument;

pub static META: RuleMeta = RuleMeta {
    code: crate::load::INVALID_DOCUMENT,
    severity: Severity::Error,
    docs: RuleDocs {
        summary: "A file or document that rolelint cannot use as written: YAML syntax errors, wrong types, unknown fields, duplicate keys, missing `kind` or `id`, an unknown kind or apiVersion, or a malformed id, date or reference.",
        why: "A catalogue that does not say what its author meant is worse than none: a typo such as `permisions:` or `privileged: no` (a string in YAML 1.2) silently changes who can do what. rolelint reports every problem of a document in one run, with its exact line, and leaves the document out of the analysis so nothing is guessed.",
        failing: r#"apiVersion: rolelint/v1
kind: Role
id: payments-viewer
owner: team:payments
privileged: no
permisions:
  - stripe:refunds.read
"#,
        passing: r#"apiVersion: rolelint/v1
kind: Application
id: stripe
owner: team:payments
permissions:
  - id: refunds.read
---
apiVersion: rolelint/v1
kind: Team
id: payments
owner: carol
members: [carol]
---
apiVersion: rolelint/v1
kind: Identity
id: carol
department: finance
---
apiVersion: rolelint/v1
kind: Role
id: payments-viewer
owner: team:payments
privileged: false
permissions:
  - stripe:refunds.read
"#,
        controls: &["NIST CSF 2.0 GV.PO-01", "NIST SP 800-53 CM-3"],
    },
};

impl Rule for InvalidDocument {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    /// The loader found these; the rule makes them subject to configuration.
    fn check(&self, graph: &Graph, out: &mut Vec<Diagnostic>) {
        out.extend(graph.catalogue.findings.iter().cloned());
    }
}
