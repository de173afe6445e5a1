//! graph/unknown-reference: a reference to something that does not exist.

use crate::diagnostic::{Diagnostic, Severity};
use crate::graph::{Graph, IdIndex, Resolved};
use crate::model::{
    Approver, CatalogueObject, Id, Kind, PermissionRef, Principal, SodItem, Span, Spanned,
    Suppression,
};
use crate::rules::{Rule, RuleDocs, RuleMeta};

use crate::suggest::{did_you_mean, suggest_all};

pub struct UnknownReference;

pub static META: RuleMeta = RuleMeta {
    code: "graph/unknown-reference",
    severity: Severity::Error,
    docs: RuleDocs {
        summary: "A reference to a role, application, permission, identity, team, playbook or playbook step that does not exist. The detail is the reference as written; the help suggests the closest existing id.",
        why: "A reference that does not resolve grants nothing, so a typo in `inherits` or a grant silently removes access someone was meant to have (or hides that an owner or approver left). Unresolved references contribute nothing to effective permissions; this rule makes them visible.",
        failing: r#"apiVersion: rolelint/v1
kind: Role
id: payments-admin
owner: carol
inherits: [payments-operater]
---
apiVersion: rolelint/v1
kind: Role
id: payments-operator
owner: carol
---
apiVersion: rolelint/v1
kind: Identity
id: carol
"#,
        passing: r#"apiVersion: rolelint/v1
kind: Role
id: payments-admin
owner: carol
inherits: [payments-operator]
---
apiVersion: rolelint/v1
kind: Role
id: payments-operator
owner: carol
---
apiVersion: rolelint/v1
kind: Identity
id: carol
"#,
        controls: &["NIST CSF 2.0 PR.AA-05", "NIST SP 800-53 AC-2"],
    },
};

/// A finding whose help waits for its suggestion: suggestions are computed
/// for all the unknown references to one namespace at once, in one pass over
/// its ids ([`suggest_all`]).
struct Pending {
    /// Index of the finding in the rule's output.
    finding: usize,
    target: Kind,
    word: String,
}

struct Walker<'g, 'c> {
    graph: &'g Graph<'c>,
    out: &'g mut Vec<Diagnostic>,
    pending: &'g mut Vec<Pending>,
    kind: Kind,
    id: &'c Id,
}

impl Walker<'_, '_> {
    fn report(&mut self, span: Span, written: &str, message: String, target: Kind) {
        let mut finding = META
            .finding(message)
            .on(self.kind, self.id)
            .detail(written)
            .at(span);
        let bare = written.rsplit(':').next().unwrap_or(written);
        let invalid =
            Id::parse(bare).is_ok_and(|id| self.graph.catalogue.invalid.contains(&(target, id)));
        if invalid {
            finding = finding.help(format!(
                "{target} `{bare}` is defined, but its document has schema problems (schema/invalid-document), so it is left out of the analysis"
            ));
        } else {
            self.suggest_later(target, bare);
        }
        self.out.push(finding);
    }

    /// Asks for a suggestion for the finding pushed next.
    fn suggest_later(&mut self, target: Kind, word: &str) {
        self.pending.push(Pending {
            finding: self.out.len(),
            target,
            word: word.to_owned(),
        });
    }

    fn role(&mut self, role: &Spanned<Id>, what: &str) {
        if !self.graph.roles.contains(role.as_str()) {
            let message = format!("{what} unknown role `{}`", role.value);
            self.report(role.span, role.as_str(), message, Kind::Role);
        }
    }

    fn identity(&mut self, identity: &Spanned<Id>, what: &str) {
        if !self.graph.identities.contains(identity.as_str()) {
            let message = format!("{what} unknown identity `{}`", identity.value);
            self.report(identity.span, identity.as_str(), message, Kind::Identity);
        }
    }

    fn principal(&mut self, principal: &Spanned<Principal>, what: &str) {
        if self.graph.principal_exists(&principal.value) {
            return;
        }
        let written = principal.value.to_string();
        let (message, target) = match &principal.value {
            Principal::Identity(id) => (format!("{what} unknown identity `{id}`"), Kind::Identity),
            Principal::Team(id) => (format!("{what} unknown team `{id}`"), Kind::Team),
        };
        self.report(principal.span, &written, message, target);
    }

    fn permission(&mut self, permission: &Spanned<PermissionRef>, what: &str) {
        let graph = self.graph;
        // Written out only for a finding: most references resolve.
        let resolved = graph
            .permissions
            .resolve(&graph.applications, &permission.value);
        if let Resolved::Permissions(_) = resolved {
            return;
        }
        let written = permission.value.to_string();
        match resolved {
            Resolved::Permissions(_) => {}
            Resolved::UnknownApplication => {
                let message = format!(
                    "{what} `{written}` of unknown application `{}`",
                    permission.application
                );
                let finding = META
                    .finding(message)
                    .on(self.kind, self.id)
                    .detail(&written)
                    .at(permission.span);
                self.suggest_later(Kind::Application, permission.application.as_str());
                self.out.push(finding);
            }
            Resolved::UnknownPermission(app) => {
                let application = &graph.catalogue.applications[app as usize];
                let name = permission.permission.as_ref().map_or("", Id::as_str);
                let message = format!(
                    "{what} `{written}`, but application `{}` declares no permission `{name}`",
                    application.id.value
                );
                let declared = application.permissions.iter().map(|p| p.id.as_str());
                let help = match did_you_mean(name, declared) {
                    Some(suggestion) => {
                        format!("did you mean `{}:{suggestion}`?", application.id.value)
                    }
                    None => format!(
                        "declare the permission in application `{}`, or fix the reference",
                        application.id.value
                    ),
                };
                self.out.push(
                    META.finding(message)
                        .on(self.kind, self.id)
                        .detail(&written)
                        .at(permission.span)
                        .related(application.id.span, "application defined here")
                        .help(help),
                );
            }
        }
    }

    fn owner_and_suppressions<T: CatalogueObject>(&mut self, object: &T) {
        if let Some(owner) = object.owner() {
            self.principal(owner, "owner is");
        }
        self.suppressions(object.suppressions());
    }

    fn suppressions(&mut self, suppressions: &[Suppression]) {
        for suppression in suppressions {
            if let Some(approver) = &suppression.approved_by {
                self.principal(approver, "suppression approved by");
            }
        }
    }
}

impl Rule for UnknownReference {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, graph: &Graph, out: &mut Vec<Diagnostic>) {
        let catalogue = graph.catalogue;
        let mut pending = Vec::new();
        for application in &catalogue.applications {
            let mut walk = Walker {
                graph,
                out,
                pending: &mut pending,
                kind: Kind::Application,
                id: &application.id.value,
            };
            walk.owner_and_suppressions(application);
        }
        for role in &catalogue.roles {
            let mut walk = Walker {
                graph,
                out,
                pending: &mut pending,
                kind: Kind::Role,
                id: &role.id.value,
            };
            walk.owner_and_suppressions(role);
            for parent in &role.inherits {
                walk.role(parent, "inherits");
            }
            for permission in &role.permissions {
                walk.permission(permission, "grants");
            }
            if let Some(reviewer) = role.review.as_ref().and_then(|r| r.reviewer.as_ref()) {
                walk.principal(reviewer, "reviewer is");
            }
        }
        for (identity, facts) in catalogue.identities.iter().zip(&graph.identity_facts) {
            let mut walk = Walker {
                graph,
                out,
                pending: &mut pending,
                kind: Kind::Identity,
                id: &identity.id.value,
            };
            walk.owner_and_suppressions(identity);
            if let Some(manager) = &identity.manager {
                walk.identity(manager, "manager is");
            }
            for (index, grant) in identity.grants.iter().enumerate() {
                // The graph looked every granted role up already.
                if let Some(role) = &grant.role
                    && facts.role_of(index).is_none()
                {
                    walk.role(role, "grant of");
                }
                if let Some(permission) = &grant.permission {
                    walk.permission(permission, "direct grant of");
                }
                if let Some(approver) = &grant.approved_by {
                    walk.principal(approver, "grant approved by");
                }
                if let Some(playbook) = &grant.via
                    && !graph.playbooks.contains(playbook.as_str())
                {
                    let message = format!("grant made via unknown playbook `{}`", playbook.value);
                    walk.report(playbook.span, playbook.as_str(), message, Kind::Playbook);
                }
            }
        }
        for team in &catalogue.teams {
            let mut walk = Walker {
                graph,
                out,
                pending: &mut pending,
                kind: Kind::Team,
                id: &team.id.value,
            };
            walk.owner_and_suppressions(team);
            for member in &team.members {
                walk.identity(member, "member is");
            }
        }
        for playbook in &catalogue.playbooks {
            let mut walk = Walker {
                graph,
                out,
                pending: &mut pending,
                kind: Kind::Playbook,
                id: &playbook.id.value,
            };
            walk.owner_and_suppressions(playbook);
            for step in &playbook.steps {
                for approver in &step.approvers {
                    if let Approver::Principal(principal) = &approver.value {
                        walk.principal(
                            &Spanned::new(principal.clone(), approver.span),
                            "approver is",
                        );
                    }
                }
                if let Some(role) = &step.role {
                    walk.role(role, &format!("step `{}` names", step.id.value));
                }
                for after in step.after.iter().flatten() {
                    if !playbook.steps.iter().any(|s| s.id.value == after.value) {
                        let message = format!(
                            "step `{}` runs after `{}`, which is not a step of this playbook",
                            step.id.value, after.value
                        );
                        let mut finding = META
                            .finding(message)
                            .on(Kind::Playbook, &playbook.id.value)
                            .detail(after.as_str())
                            .at(after.span);
                        let steps = playbook.steps.iter().map(|s| s.id.as_str());
                        if let Some(suggestion) = did_you_mean(after.as_str(), steps) {
                            finding = finding.help(format!("did you mean `{suggestion}`?"));
                        }
                        walk.out.push(finding);
                    }
                }
            }
        }
        for sod_rule in &catalogue.sod_rules {
            let mut walk = Walker {
                graph,
                out,
                pending: &mut pending,
                kind: Kind::SodRule,
                id: &sod_rule.id.value,
            };
            walk.owner_and_suppressions(sod_rule);
            for item in sod_rule.sides.iter().flatten() {
                match &item.value {
                    SodItem::Role(role) => {
                        if !graph.roles.contains(role.as_str()) {
                            let message = format!("side names unknown role `{role}`");
                            let written = item.value.to_string();
                            walk.report(item.span, &written, message, Kind::Role);
                        }
                    }
                    SodItem::Permission(permission) => {
                        walk.permission(&Spanned::new(permission.clone(), item.span), "side names");
                    }
                }
            }
        }
        add_suggestions(graph, &pending, out);
    }
}

/// Fills in the help of the pending findings, one namespace at a time.
fn add_suggestions(graph: &Graph, pending: &[Pending], out: &mut [Diagnostic]) {
    for kind in Kind::ALL.iter().copied() {
        let of_kind: Vec<&Pending> = pending.iter().filter(|p| p.target == kind).collect();
        if of_kind.is_empty() {
            continue;
        }
        let namespace: &IdIndex = match kind {
            Kind::Application => &graph.applications,
            Kind::Role => &graph.roles,
            Kind::Identity => &graph.identities,
            Kind::Team => &graph.teams,
            Kind::Playbook => &graph.playbooks,
            Kind::SodRule => &graph.sod_rules,
        };
        let mut words: Vec<&str> = of_kind.iter().map(|p| p.word.as_str()).collect();
        words.sort_unstable();
        words.dedup();
        let ids: Vec<&str> = namespace.ids().collect();
        let suggestions = suggest_all(&words, &ids);
        for pending in of_kind {
            let suggestion = words
                .binary_search(&pending.word.as_str())
                .ok()
                .and_then(|index| suggestions[index]);
            if let (Some(suggestion), Some(finding)) = (suggestion, out.get_mut(pending.finding)) {
                finding.help = Some(if kind == Kind::Application {
                    format!("did you mean application `{suggestion}`?")
                } else {
                    format!("did you mean `{suggestion}`?")
                });
            }
        }
    }
}
