//! workflow/mover-without-revoke: a `mover` playbook that grants but never
//! revokes.

use crate::diagnostic::{Diagnostic, Severity};
use crate::graph::Graph;
use crate::model::{Action, Kind, Trigger};
use crate::rules::workflow::{grant_steps, role_of};
use crate::rules::{Rule, RuleDocs, RuleMeta};

pub struct MoverWithoutRevoke;

pub static META: RuleMeta = RuleMeta {
    code: "workflow/mover-without-revoke",
    severity: Severity::Error,
    docs: RuleDocs {
        summary: "A `mover` playbook with at least one `grant` step and no `revoke` or `revoke_all` step. One finding per playbook, at its `trigger`, without detail; its `grant` steps are related locations. Only presence counts (step order does not). A mover playbook that grants nothing is not a finding.",
        why: "When people change teams they collect the access of the new position; unless the old access is taken away in the same workflow, every move adds to it. This privilege creep is how long-serving employees end up holding toxic combinations of rights nobody would grant on purpose.",
        failing: r#"apiVersion: rolelint/v1
kind: Playbook
id: department-move
name: Mover
owner: carol
trigger: mover
steps:
  - id: new-manager-approval
    action: approve
    approvers: [manager]
  - id: grant-base
    action: grant
    role: employee-base
  - id: tell-old-manager
    action: notify
---
apiVersion: rolelint/v1
kind: Role
id: employee-base
owner: carol
permissions: [okta:sso.login]
---
apiVersion: rolelint/v1
kind: Application
id: okta
owner: carol
permissions:
  - id: sso.login
---
apiVersion: rolelint/v1
kind: Identity
id: carol
department: it
"#,
        passing: r#"apiVersion: rolelint/v1
kind: Playbook
id: department-move
name: Mover
owner: carol
trigger: mover
steps:
  - id: new-manager-approval
    action: approve
    approvers: [manager]
  - id: revoke-previous
    action: revoke_all
    description: Remove the access of the previous position
  - id: grant-base
    action: grant
    role: employee-base
  - id: tell-old-manager
    action: notify
---
apiVersion: rolelint/v1
kind: Role
id: employee-base
owner: carol
permissions: [okta:sso.login]
---
apiVersion: rolelint/v1
kind: Application
id: okta
owner: carol
permissions:
  - id: sso.login
---
apiVersion: rolelint/v1
kind: Identity
id: carol
department: it
"#,
        controls: &[
            "NIST CSF 2.0 PR.AA-05",
            "NIST SP 800-53 AC-2",
            "NIST SP 800-53 AC-6",
        ],
    },
};

impl Rule for MoverWithoutRevoke {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, graph: &Graph, out: &mut Vec<Diagnostic>) {
        for playbook in &graph.catalogue.playbooks {
            if playbook.trigger.value != Trigger::Mover {
                continue;
            }
            let revokes = playbook
                .steps
                .iter()
                .any(|step| matches!(step.action.value, Action::Revoke | Action::RevokeAll));
            let grants: Vec<_> = grant_steps(playbook).map(|(_, step)| step).collect();
            if revokes || grants.is_empty() {
                continue;
            }
            let mut finding = META
                .finding(format!(
                    "mover playbook `{}` grants new access but has no `revoke` or `revoke_all` step, so access of the previous position is kept",
                    playbook.id.value
                ))
                .on(Kind::Playbook, &playbook.id.value)
                .at(playbook.trigger.span)
                .help("add a `revoke_all` step (or `revoke` steps for the roles of the previous position) so that a move does not add up access");
            for step in grants {
                finding = finding.related(
                    step.id.span,
                    format!("step `{}` grants `{}`", step.id.value, role_of(step)),
                );
            }
            out.push(finding);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::workflow::testing::findings;

    fn mover(trigger: &str, actions: &[&str]) -> usize {
        let mut yaml = format!(
            "apiVersion: rolelint/v1\nkind: Playbook\nid: p\nowner: carol\ntrigger: {trigger}\nsteps:\n"
        );
        for (index, action) in actions.iter().enumerate() {
            let role = if matches!(*action, "grant" | "revoke") {
                "\n    role: r"
            } else {
                ""
            };
            yaml.push_str(&format!("  - id: s{index}\n    action: {action}{role}\n"));
        }
        yaml.push_str("---\napiVersion: rolelint/v1\nkind: Identity\nid: carol\n---\napiVersion: rolelint/v1\nkind: Role\nid: r\nowner: carol\n");
        findings(&MoverWithoutRevoke, &yaml).len()
    }

    #[test]
    fn movers_that_grant_must_revoke() {
        assert_eq!(mover("mover", &["notify", "grant", "grant"]), 1);
        // A revoke after the grant still removes the old access.
        assert_eq!(mover("mover", &["grant", "revoke"]), 0);
        assert_eq!(mover("mover", &["revoke_all", "grant"]), 0);
        assert_eq!(mover("mover", &["notify", "disable_identity"]), 0);
        assert_eq!(mover("joiner", &["grant"]), 0);
    }
}
