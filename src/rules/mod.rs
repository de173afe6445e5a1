//! The analysers. One file per rule, grouped by category; each holds its
//! documentation (what it finds, why it matters, a failing and a passing
//! example, the controls it supports) and its tests.
//!
//! To add a rule: write `src/rules/<category>/<name>.rs` with a unit struct
//! implementing [`Rule`] and a `static META: RuleMeta`, declare the module in
//! the category's `mod.rs`, and add it to [`registry!`] below (alphabetical by
//! code; a test checks the order, unique codes, docs and RULES.md coverage).

pub mod engine;
pub mod evidence;
pub mod graph;
pub mod lifecycle;
pub mod overlap;
pub mod ownership;
pub mod privilege;
pub mod schema;
pub mod sod;
pub mod suppression;
pub mod workflow;

use crate::diagnostic::{Diagnostic, Severity};
use crate::graph::Graph;

/// A rule's documentation, shown by `rolelint rule CODE` and in `docs/rules/`.
#[derive(Debug)]
pub struct RuleDocs {
    /// One sentence: what the rule finds.
    pub summary: &'static str,
    /// Why it matters, for the person who must fix it.
    pub why: &'static str,
    /// A catalogue (multi-document YAML) on which the rule fires.
    pub failing: &'static str,
    /// A catalogue close to `failing` on which it does not.
    pub passing: &'static str,
    /// Controls the rule supports, e.g. "NIST CSF 2.0 PR.AA-05".
    pub controls: &'static [&'static str],
}

/// What identifies a rule: its code, default severity and docs.
#[derive(Debug)]
pub struct RuleMeta {
    /// `category/name`, as in RULES.md.
    pub code: &'static str,
    pub severity: Severity,
    pub docs: RuleDocs,
}

impl RuleMeta {
    /// A finding of this rule at its default severity.
    pub fn finding(&self, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(self.code, self.severity, message)
    }

    pub fn category(&self) -> &'static str {
        self.code.split('/').next().unwrap_or(self.code)
    }

    /// The rule's documentation page (`rolelint rule CODE`, `docs/rules/`,
    /// SARIF `help.markdown`).
    pub fn markdown(&self) -> String {
        let docs = &self.docs;
        let controls: Vec<String> = docs.controls.iter().map(|c| format!("- {c}")).collect();
        format!(
            "# {code}\n\nDefault severity: **{severity}**\n\n{summary}\n\n## Why it matters\n\n{why}\n\n## Controls\n\n{controls}\n\n## Fails\n\n```yaml\n{failing}```\n\n## Passes\n\n```yaml\n{passing}```\n",
            code = self.code,
            severity = self.severity,
            summary = docs.summary,
            why = docs.why,
            controls = controls.join("\n"),
            failing = docs.failing,
            passing = docs.passing,
        )
    }
}

/// An analyser over the resolved catalogue.
pub trait Rule: Sync {
    fn meta(&self) -> &'static RuleMeta;

    /// Appends this rule's findings (at default severity; the engine applies
    /// configuration and suppressions).
    fn check(&self, graph: &Graph, out: &mut Vec<Diagnostic>);
}

/// Declares the registry: every rule, alphabetical by code.
macro_rules! registry {
    ($($rule:path),+ $(,)?) => {
        /// Every built-in rule, alphabetical by code.
        pub static RULES: &[&dyn Rule] = &[$(&$rule),+];
    };
}

registry! {
    // evidence
    evidence::missing_approval::MissingApproval,
    evidence::self_approval::SelfApproval,
    graph::duplicate_id::DuplicateId,
    graph::inheritance_cycle::InheritanceCycle,
    graph::step_cycle::StepCycle,
    graph::unknown_reference::UnknownReference,
    // lifecycle
    lifecycle::excessive_duration::ExcessiveDuration,
    lifecycle::expired_grant::ExpiredGrant,
    lifecycle::missing_expiry::MissingExpiry,
    lifecycle::overdue_review::OverdueReview,
    lifecycle::stale_credential::StaleCredential,
    lifecycle::terminated_identity_access::TerminatedIdentityAccess,
    // overlap
    overlap::duplicate_roles::DuplicateRoles,
    overlap::empty_role::EmptyRole,
    overlap::near_duplicate_roles::NearDuplicateRoles,
    overlap::redundant_grant::RedundantGrant,
    // ownership
    ownership::missing_owner::MissingOwner,
    ownership::non_human_owner::NonHumanOwner,
    ownership::orphaned_owner::OrphanedOwner,
    // privilege
    privilege::department_mismatch::DepartmentMismatch,
    privilege::direct_permission_grant::DirectPermissionGrant,
    privilege::non_human_privileged::NonHumanPrivileged,
    privilege::peer_outlier::PeerOutlier,
    privilege::privileged_role_without_mfa::PrivilegedRoleWithoutMfa,
    privilege::standing_privileged_access::StandingPrivilegedAccess,
    privilege::undeclared_privileged_role::UndeclaredPrivilegedRole,
    privilege::wildcard_permission::WildcardPermission,
    schema::invalid_document::InvalidDocument,
    // sod
    sod::identity_conflict::IdentityConflict,
    sod::toxic_role::ToxicRole,
    // suppression
    suppression::expired::Expired,
    suppression::unused::Unused,
    // workflow
    workflow::grant_without_approval::GrantWithoutApproval,
    workflow::leaver_incomplete::LeaverIncomplete,
    workflow::mover_without_revoke::MoverWithoutRevoke,
    workflow::privileged_birthright::PrivilegedBirthright,
    workflow::privileged_grant_without_mfa::PrivilegedGrantWithoutMfa,
    workflow::self_approval_allowed::SelfApprovalAllowed,
    workflow::unbounded_request_grant::UnboundedRequestGrant,
}

/// The rule with this code.
pub fn find(code: &str) -> Option<&'static dyn Rule> {
    RULES.iter().copied().find(|rule| rule.meta().code == code)
}

/// Every rule code, for validating suppressions and configuration.
pub fn codes() -> Vec<&'static str> {
    RULES.iter().map(|rule| rule.meta().code).collect()
}

#[cfg(test)]
mod tests;
