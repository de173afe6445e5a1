//! graph/duplicate-id: two objects of one kind share an id.

use crate::diagnostic::{Diagnostic, Severity};
use crate::graph::Graph;
use crate::rules::{Rule, RuleDocs, RuleMeta};

pub struct DuplicateId;

pub static META: RuleMeta = RuleMeta {
    code: "graph/duplicate-id",
    severity: Severity::Error,
    docs: RuleDocs {
        summary: "Two objects of one kind share an id. The first in path order is analysed; the finding is on the second, with the first as a related location.",
        why: "References resolve by id. With two definitions, which permissions a role grants depends on file order, and a reviewer reading one file sees a role that is not the one in force.",
        failing: r#"apiVersion: rolelint/v1
kind: Team
id: payments
owner: carol
members: [carol]
---
apiVersion: rolelint/v1
kind: Team
id: payments
owner: dave
members: [dave]
"#,
        passing: r#"apiVersion: rolelint/v1
kind: Team
id: payments
owner: carol
members: [carol]
---
apiVersion: rolelint/v1
kind: Team
id: payments-oncall
owner: dave
members: [dave]
"#,
        controls: &["NIST CSF 2.0 PR.AA-05", "NIST SP 800-53 AC-2"],
    },
};

impl Rule for DuplicateId {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, graph: &Graph, out: &mut Vec<Diagnostic>) {
        for duplicate in &graph.catalogue.duplicates {
            out.push(
                META.finding(format!(
                    "{} `{}` is defined twice; this later definition is ignored",
                    duplicate.kind, duplicate.id
                ))
                .on(duplicate.kind, &duplicate.id)
                .at(duplicate.second)
                .related(duplicate.first, "first defined here")
                .help("give one of them another id, or remove the copy"),
            );
        }
    }
}
