//! workflow/unbounded-request-grant: a `grant` step in a `request` playbook
//! without `expires_after_days`.

use crate::diagnostic::{Diagnostic, Severity};
use crate::graph::Graph;
use crate::model::{Kind, Trigger};
use crate::rules::workflow::{grant_steps, role_of};
use crate::rules::{Rule, RuleDocs, RuleMeta};

pub struct UnboundedRequestGrant;

pub static META: RuleMeta = RuleMeta {
    code: "workflow/unbounded-request-grant",
    severity: Severity::Warning,
    docs: RuleDocs {
        summary: "A `grant` step in a `request` playbook without `expires_after_days`, so access someone asked for is granted for good. One finding per step; the detail is the step id. Grants made by joiner, mover, leaver and schedule playbooks (birthright access) may be standing.",
        why: "Requested access answers a need of the moment: a project, an incident, a handover. Without an expiry it stays long after the need has gone, and only a review (if anyone does one) takes it away. Time-bound grants make least privilege the default instead of a clean-up task.",
        failing: r#"apiVersion: rolelint/v1
kind: Playbook
id: request-support-access
name: Request support tooling
owner: carol
trigger: request
steps:
  - id: manager-approval
    action: approve
    approvers: [manager]
  - id: grant-agent
    action: grant
    role: support-agent
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
  - id: manager-approval
    action: approve
    approvers: [manager]
  - id: grant-agent
    action: grant
    role: support-agent
    expires_after_days: 90
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
            "NIST SP 800-53 AC-2",
            "NIST SP 800-53 AC-6",
        ],
    },
};

impl Rule for UnboundedRequestGrant {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, graph: &Graph, out: &mut Vec<Diagnostic>) {
        for playbook in &graph.catalogue.playbooks {
            if playbook.trigger.value != Trigger::Request {
                continue;
            }
            for (_, step) in grant_steps(playbook) {
                if step.expires_after_days.is_some() {
                    continue;
                }
                // Suggest the limit a grant of this role must respect anyway.
                let role_limit = step
                    .role
                    .as_ref()
                    .and_then(|role| graph.role(role.as_str()))
                    .and_then(|role| role.max_grant_days.as_ref());
                let help = match role_limit {
                    Some(days) => format!(
                        "add `expires_after_days` (at most {}, the role's `max_grant_days`), so the access ends unless it is requested again",
                        days.value
                    ),
                    None => format!(
                        "add `expires_after_days` (at most {}, `defaults.max_grant_days`), so the access ends unless it is requested again",
                        graph.defaults().max_grant_days
                    ),
                };
                out.push(
                    META.finding(format!(
                        "step `{}` of request playbook `{}` grants `{}` with no `expires_after_days`: requested access never expires",
                        step.id.value,
                        playbook.id.value,
                        role_of(step)
                    ))
                    .on(Kind::Playbook, &playbook.id.value)
                    .detail(step.id.as_str())
                    .at(step.id.span)
                    .help(help),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::workflow::testing::{details, findings};

    #[test]
    fn only_request_grants_without_expiry() {
        let catalogue = r#"apiVersion: rolelint/v1
kind: Playbook
id: request
owner: carol
trigger: request
steps:
  - id: approve
    action: approve
    approvers: [manager]
  - id: bounded
    action: grant
    role: limited
    expires_after_days: 1
  - id: unbounded
    action: grant
    role: limited
  - id: unknown
    action: grant
    role: nonexistent
---
apiVersion: rolelint/v1
kind: Playbook
id: joiner
owner: carol
trigger: joiner
steps:
  - id: birthright
    action: grant
    role: limited
---
apiVersion: rolelint/v1
kind: Role
id: limited
owner: carol
max_grant_days: 14
---
apiVersion: rolelint/v1
kind: Identity
id: carol
"#;
        let found = findings(&UnboundedRequestGrant, catalogue);
        assert_eq!(details(&found), ["unbounded", "unknown"]);
        assert!(
            found[0]
                .help
                .as_deref()
                .unwrap_or("")
                .contains("at most 14")
        );
        assert!(
            found[1]
                .help
                .as_deref()
                .unwrap_or("")
                .contains("at most 90")
        );
    }
}
