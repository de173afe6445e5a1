//! suppression/unused: a suppression that silenced no finding.
//!
//! Whether a suppression silenced anything is only known once every other
//! rule has run and the engine has applied the suppressions, so the engine
//! reports this rule itself (`rules::engine::run`, after the suppression pass)
//! and this rule's `check` does nothing. The rule still lives here for its
//! code, severity and docs, and so that configuration can turn it off.

use crate::diagnostic::{Diagnostic, Severity};
use crate::graph::Graph;
use crate::rules::{Rule, RuleDocs, RuleMeta};

pub struct Unused;

pub static META: RuleMeta = RuleMeta {
    code: crate::rules::engine::SUPPRESSION_UNUSED,
    severity: Severity::Warning,
    docs: RuleDocs {
        summary: "A valid (unexpired) suppression that silenced no finding of its rule on its object (for a pair finding, on either role of the pair). The detail is the suppressed rule; the finding points at the suppression's `rule` value. Expired suppressions are only `suppression/expired`, and suppressions of a rule that is turned `off` or of a custom `policy/` rule are not judged.",
        why: "A suppression that no longer matches anything is a standing, pre-approved exception waiting for the problem to come back: if the finding reappears (a new grant, a changed role) it is silenced without anyone looking at it again. Removing unused suppressions keeps every accepted risk tied to a problem that actually exists, and catches suppressions written on the wrong object.",
        failing: r#"apiVersion: rolelint/v1
kind: Application
id: stripe
owner: carol
permissions:
  - id: refunds.read
---
apiVersion: rolelint/v1
kind: Role
id: refunds-viewer
owner: carol
permissions: [stripe:refunds.read]
---
apiVersion: rolelint/v1
kind: Identity
id: carol
department: finance
---
apiVersion: rolelint/v1
kind: Identity
id: dave
department: finance
manager: carol
grants:
  - role: refunds-viewer
    granted: 2026-09-01
    approved_by: carol
    ticket: ACCESS-2101
suppress:
  - rule: evidence/missing-approval
    reason: The approval is being copied over from the old ticketing system
    until: 2027-01-31
    approved_by: carol
    ticket: RISK-288
"#,
        passing: r#"apiVersion: rolelint/v1
kind: Application
id: stripe
owner: carol
permissions:
  - id: refunds.read
---
apiVersion: rolelint/v1
kind: Role
id: refunds-viewer
owner: carol
permissions: [stripe:refunds.read]
---
apiVersion: rolelint/v1
kind: Identity
id: carol
department: finance
---
apiVersion: rolelint/v1
kind: Identity
id: dave
department: finance
manager: carol
grants:
  - role: refunds-viewer
    granted: 2026-09-01
    ticket: ACCESS-2101
suppress:
  - rule: evidence/missing-approval
    reason: The approval is being copied over from the old ticketing system
    until: 2027-01-31
    approved_by: carol
    ticket: RISK-288
"#,
        controls: &[
            "NIST CSF 2.0 PR.AA-05",
            "NIST SP 800-53 AC-2",
            "NIST SP 800-53 AC-6",
        ],
    },
};

impl Rule for Unused {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    /// Nothing to do here: the engine reports unused suppressions after
    /// every other rule ran (see the module docs).
    fn check(&self, _graph: &Graph, _out: &mut Vec<Diagnostic>) {}
}

#[cfg(test)]
mod tests {
    use crate::load::{LoadOptions, load_memory};
    use crate::model::Date;
    use crate::rules::engine;

    /// The engine's `suppression/unused` findings (their details) on a catalogue.
    fn unused(yaml: &str) -> Vec<String> {
        let options = LoadOptions {
            rule_codes: crate::rules::codes(),
            ..LoadOptions::default()
        };
        let catalogue = load_memory(&[("catalogue.yaml", yaml)], None, &options)
            .unwrap_or_else(|error| panic!("example does not load: {error}"));
        let now = Date::parse("2026-11-26").unwrap_or_else(|e| panic!("{e}"));
        let graph = crate::graph::Graph::build(&catalogue, now);
        engine::run(&graph)
            .findings
            .into_iter()
            .filter(|finding| finding.rule == super::META.code)
            .filter_map(|finding| finding.detail)
            .collect()
    }

    #[test]
    fn the_engine_reports_unexpired_suppressions_that_silenced_nothing() {
        // Carol is a human without owner: missing-owner does not fire, so
        // the valid suppression is unused; the expired one is only expired.
        let found = unused(
            r#"apiVersion: rolelint/v1
kind: Identity
id: carol
suppress:
  - rule: ownership/missing-owner
    reason: valid through today, silences nothing
    until: 2026-11-26
  - rule: ownership/non-human-owner
    reason: expired yesterday
    until: 2026-11-25
"#,
        );
        assert_eq!(found, ["ownership/missing-owner"]);
    }

    #[test]
    fn a_suppression_that_silenced_a_finding_is_used() {
        let found = unused(
            r#"apiVersion: rolelint/v1
kind: Identity
id: svc-export
type: service
suppress:
  - rule: ownership/missing-owner
    reason: the owning team is being created
    until: 2026-12-31
"#,
        );
        assert!(found.is_empty(), "{found:?}");
    }
}
