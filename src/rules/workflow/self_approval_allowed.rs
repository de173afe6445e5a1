//! workflow/self-approval-allowed: an `approve` step whose approvers include
//! `requester`.

use crate::diagnostic::{Diagnostic, Severity};
use crate::graph::Graph;
use crate::model::{Action, Approver, Kind};
use crate::rules::{Rule, RuleDocs, RuleMeta};

pub struct SelfApprovalAllowed;

pub static META: RuleMeta = RuleMeta {
    code: "workflow/self-approval-allowed",
    severity: Severity::Error,
    docs: RuleDocs {
        summary: "An `approve` step whose `approvers` include the keyword `requester`, in a playbook of any trigger. One finding per step, at the (first) `requester` item; the detail is the step id. Other approvers on the same step do not help: any one approver may approve.",
        why: "If the person asking for access may approve it, the approval proves nothing: separation of duties requires that whoever benefits from a grant is not the one who authorises it. The grants such a playbook produces also carry an approval that auditors cannot rely on.",
        failing: r#"apiVersion: rolelint/v1
kind: Playbook
id: request-support-access
name: Request support tooling
owner: carol
trigger: request
steps:
  - id: approval
    action: approve
    approvers: [manager, requester]
  - id: grant-agent
    action: grant
    role: support-agent
    expires_after_days: 30
---
apiVersion: rolelint/v1
kind: Role
id: support-agent
owner: carol
permissions: [zendesk:tickets.write]
---
apiVersion: rolelint/v1
kind: Application
id: zendesk
owner: carol
permissions:
  - id: tickets.read
  - id: tickets.write
---
apiVersion: rolelint/v1
kind: Identity
id: carol
department: support
"#,
        passing: r#"apiVersion: rolelint/v1
kind: Playbook
id: request-support-access
name: Request support tooling
owner: carol
trigger: request
steps:
  - id: approval
    action: approve
    approvers: [manager, role-owner]
  - id: grant-agent
    action: grant
    role: support-agent
    expires_after_days: 30
---
apiVersion: rolelint/v1
kind: Role
id: support-agent
owner: carol
permissions: [zendesk:tickets.write]
---
apiVersion: rolelint/v1
kind: Application
id: zendesk
owner: carol
permissions:
  - id: tickets.read
  - id: tickets.write
---
apiVersion: rolelint/v1
kind: Identity
id: carol
department: support
"#,
        controls: &[
            "NIST CSF 2.0 PR.AA-05",
            "NIST SP 800-53 AC-5",
            "NIST SP 800-53 AC-2",
        ],
    },
};

impl Rule for SelfApprovalAllowed {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, graph: &Graph, out: &mut Vec<Diagnostic>) {
        for playbook in &graph.catalogue.playbooks {
            for step in &playbook.steps {
                if step.action.value != Action::Approve {
                    continue;
                }
                let mut requesters = step
                    .approvers
                    .iter()
                    .filter(|approver| approver.value == Approver::Requester);
                let Some(first) = requesters.next() else {
                    continue;
                };
                let others: Vec<String> = step
                    .approvers
                    .iter()
                    .filter(|approver| approver.value != Approver::Requester)
                    .map(|approver| format!("`{}`", approver.value))
                    .collect();
                let help = if others.is_empty() {
                    "replace `requester` with an approver independent of the request, such as `manager` or `role-owner`".to_owned()
                } else {
                    format!(
                        "remove `requester` from `approvers`; {} still approve{}",
                        others.join(", "),
                        if others.len() == 1 { "s" } else { "" }
                    )
                };
                let mut finding = META
                    .finding(format!(
                        "step `{}` of playbook `{}` lets the requester approve their own access",
                        step.id.value, playbook.id.value
                    ))
                    .on(Kind::Playbook, &playbook.id.value)
                    .detail(step.id.as_str())
                    .at(first.span)
                    .help(help)
                    .related(step.id.span, "in this `approve` step");
                for again in requesters {
                    finding = finding.related(again.span, "`requester` listed again");
                }
                out.push(finding);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::workflow::testing::{details, findings};

    #[test]
    fn one_finding_per_step_at_the_requester_item() {
        let found = findings(
            &SelfApprovalAllowed,
            r#"apiVersion: rolelint/v1
kind: Playbook
id: p
owner: carol
trigger: joiner
steps:
  - id: independent
    action: approve
    approvers: [manager, role-owner, app-owner, team:risk, carol]
  - id: twice
    action: approve
    approvers: [requester, manager, requester]
  - id: alone
    action: approve
    approvers:
      - requester
---
apiVersion: rolelint/v1
kind: Team
id: risk
owner: carol
members: [carol]
---
apiVersion: rolelint/v1
kind: Identity
id: carol
"#,
        );
        assert_eq!(details(&found), ["twice", "alone"]);
        let twice = &found[0];
        assert_eq!(twice.span.map(|s| (s.line, s.column)), Some((12, 17)));
        assert_eq!(twice.related.len(), 2);
        assert_eq!(
            twice.help.as_deref(),
            Some("remove `requester` from `approvers`; `manager` still approves")
        );
        assert_eq!(found[1].span.map(|s| s.line), Some(16));
    }
}
