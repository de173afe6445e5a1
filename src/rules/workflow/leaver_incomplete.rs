//! workflow/leaver-incomplete: a `leaver` playbook without all of
//! `revoke_all`, `disable_identity` and `transfer_ownership`.

use crate::diagnostic::{Diagnostic, Severity};
use crate::graph::Graph;
use crate::model::{Action, Kind, Trigger};
use crate::rules::{Rule, RuleDocs, RuleMeta};

pub struct LeaverIncomplete;

pub static META: RuleMeta = RuleMeta {
    code: "workflow/leaver-incomplete",
    severity: Severity::Error,
    docs: RuleDocs {
        summary: "A `leaver` playbook that lacks a `revoke_all`, a `disable_identity` or a `transfer_ownership` step. One finding per playbook, at its `trigger`, without detail; the message lists every missing action. Only presence counts (step order does not), and a `revoke` of one role does not replace `revoke_all`.",
        why: "Offboarding is where access most often outlives employment. Unless the leaver playbook disables the account, removes every grant, and hands over what the leaver owned (roles, applications, teams, service accounts and agents), accounts stay usable, access lingers on other systems, and owned objects become orphans nobody reviews or rotates.",
        failing: r#"apiVersion: rolelint/v1
kind: Playbook
id: offboarding
name: Leaver
owner: carol
trigger: leaver
steps:
  - id: disable-account
    action: disable_identity
  - id: revoke-access
    action: revoke_all
  - id: tell-it
    action: notify
---
apiVersion: rolelint/v1
kind: Identity
id: carol
department: it
"#,
        passing: r#"apiVersion: rolelint/v1
kind: Playbook
id: offboarding
name: Leaver
owner: carol
trigger: leaver
steps:
  - id: disable-account
    action: disable_identity
  - id: revoke-access
    action: revoke_all
  - id: hand-over
    action: transfer_ownership
    description: Roles, applications and service accounts go to the manager
  - id: tell-it
    action: notify
---
apiVersion: rolelint/v1
kind: Identity
id: carol
department: it
"#,
        controls: &[
            "NIST CSF 2.0 PR.AA-01",
            "NIST CSF 2.0 PR.AA-05",
            "NIST SP 800-53 AC-2",
            "OWASP Non-Human Identities Top 10 (NHI1: Improper Offboarding)",
        ],
    },
};

/// What a leaver playbook must do, and why, in the order of RULES.md.
const REQUIRED: [(Action, &str); 3] = [
    (
        Action::RevokeAll,
        "`revoke_all` removes every grant the leaver holds",
    ),
    (
        Action::DisableIdentity,
        "`disable_identity` stops the account from signing in",
    ),
    (
        Action::TransferOwnership,
        "`transfer_ownership` hands the roles, applications, teams and non-human identities they own to an accountable owner",
    ),
];

/// `a`, `a or b`, `a, b or c`.
fn or_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [only] => only.clone(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

impl Rule for LeaverIncomplete {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, graph: &Graph, out: &mut Vec<Diagnostic>) {
        for playbook in &graph.catalogue.playbooks {
            if playbook.trigger.value != Trigger::Leaver {
                continue;
            }
            let missing: Vec<&(Action, &str)> = REQUIRED
                .iter()
                .filter(|(action, _)| {
                    !playbook
                        .steps
                        .iter()
                        .any(|step| step.action.value == *action)
                })
                .collect();
            if missing.is_empty() {
                continue;
            }
            let names: Vec<String> = missing
                .iter()
                .map(|(action, _)| format!("`{action}`"))
                .collect();
            let steps = if missing.len() == 1 { "step" } else { "steps" };
            let reasons: Vec<&str> = missing.iter().map(|(_, why)| *why).collect();
            out.push(
                META.finding(format!(
                    "leaver playbook `{}` has no {} {steps}",
                    playbook.id.value,
                    or_list(&names),
                ))
                .on(Kind::Playbook, &playbook.id.value)
                .at(playbook.trigger.span)
                .help(format!("add the missing {steps}: {}", reasons.join("; "))),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::workflow::testing::findings;

    fn leaver(trigger: &str, actions: &[&str]) -> String {
        let mut yaml = format!(
            "apiVersion: rolelint/v1\nkind: Playbook\nid: p\nowner: carol\ntrigger: {trigger}\nsteps:\n"
        );
        for (index, action) in actions.iter().enumerate() {
            let role = if *action == "revoke" {
                "\n    role: r"
            } else {
                ""
            };
            yaml.push_str(&format!("  - id: s{index}\n    action: {action}{role}\n"));
        }
        yaml.push_str("---\napiVersion: rolelint/v1\nkind: Identity\nid: carol\n---\napiVersion: rolelint/v1\nkind: Role\nid: r\nowner: carol\n");
        yaml
    }

    fn messages(trigger: &str, actions: &[&str]) -> Vec<String> {
        findings(&LeaverIncomplete, &leaver(trigger, actions))
            .into_iter()
            .map(|finding| finding.message)
            .collect()
    }

    #[test]
    fn lists_what_is_missing() {
        assert_eq!(
            messages("leaver", &["disable_identity", "revoke_all", "notify"]),
            ["leaver playbook `p` has no `transfer_ownership` step"]
        );
        assert_eq!(
            messages("leaver", &["revoke", "notify"]),
            [
                "leaver playbook `p` has no `revoke_all`, `disable_identity` or `transfer_ownership` steps"
            ]
        );
        assert_eq!(
            messages("leaver", &["transfer_ownership", "revoke"]),
            ["leaver playbook `p` has no `revoke_all` or `disable_identity` steps"]
        );
    }

    #[test]
    fn complete_leavers_and_other_triggers_pass() {
        let complete = ["transfer_ownership", "disable_identity", "revoke_all"];
        assert!(messages("leaver", &complete).is_empty());
        assert!(messages("mover", &["notify"]).is_empty());
    }

    #[test]
    fn points_at_the_trigger() {
        let found = findings(&LeaverIncomplete, &leaver("leaver", &["notify"]));
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].span.map(|s| (s.line, s.column)), Some((5, 10)));
        assert_eq!(found[0].detail, None);
    }
}
