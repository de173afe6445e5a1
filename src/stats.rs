//! `rolelint stats`: the catalogue's governance posture in numbers.
//!
//! Three signals show whether provisioning enforces policy: entitlement
//! quality (accountable owners, MFA on privileged roles, duplicate, near-
//! duplicate and empty roles, peer outliers), revocation timeliness
//! (unrevoked expired grants, terminated identities still holding access,
//! stale non-human credentials) and review accuracy (roles reviewed within
//! their cadence, privileged roles never reviewed), overall, per department
//! and per application.
//!
//! Every definition is a rule's (RULES.md). Metrics that count findings of a
//! rule whose logic is more than a predicate (duplicate and near-duplicate
//! pairs, peer outliers) count the findings of the analysis after
//! configuration and suppressions, and are `None` (JSON `null`) when the rule
//! is off; the others are facts computed from the graph with the rule's
//! predicate, which a suppression does not change. Shares are kept as
//! numerator and denominator, so trends over commits are exact.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

use crate::diagnostic::Diagnostic;
use crate::graph::{Graph, IdentityFacts, Ix, PermId, Resolved, RoleFacts, is_unrevoked_expired};
use crate::model::{
    Credential, Date, Grant, GrantTarget, Identity, IdentityStatus, IdentityType, Kind, Principal,
    Role, Spanned,
};
use crate::report::{escape_markdown, neutralise_controls};
use crate::rules::engine::configured_severity;

/// The version of the JSON document; bumped when a key changes meaning or goes away.
pub const STATS_VERSION: u32 = 1;

const DUPLICATE_ROLES: &str = "overlap/duplicate-roles";
const NEAR_DUPLICATE_ROLES: &str = "overlap/near-duplicate-roles";
const PEER_OUTLIER: &str = "privilege/peer-outlier";

/// A share, exact: `numerator` of `denominator` (`0/0` when nothing is measured).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Share {
    pub numerator: u64,
    pub denominator: u64,
}

impl Share {
    fn count(&mut self, counts: bool) {
        self.denominator += 1;
        if counts {
            self.numerator += 1;
        }
    }

    /// "21/25 (84.0%)", or "0/0" when there is nothing to measure.
    fn describe(self) -> String {
        match self.percent() {
            Some(percent) => format!("{}/{} ({percent})", self.numerator, self.denominator),
            None => "0/0".to_owned(),
        }
    }

    fn fraction(self) -> String {
        format!("{}/{}", self.numerator, self.denominator)
    }

    fn percent(self) -> Option<String> {
        (self.denominator > 0).then(|| {
            format!(
                "{:.1}%",
                self.numerator as f64 * 100.0 / self.denominator as f64
            )
        })
    }
}

/// How many things are late, and by how many days.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Overdue {
    pub count: u64,
    pub days_overdue: DaysOverdue,
}

/// Median and maximum of days overdue; `null` when nothing is overdue.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct DaysOverdue {
    /// The middle value, or the mean of the two middle values (so it may end in .5).
    pub median: Option<f64>,
    pub max: Option<i64>,
}

impl Overdue {
    fn from_days(mut days: Vec<i64>) -> Overdue {
        days.sort_unstable();
        let median = match days.len() {
            0 => None,
            n if n % 2 == 1 => Some(days[n / 2] as f64),
            n => Some((days[n / 2 - 1] + days[n / 2]) as f64 / 2.0),
        };
        Overdue {
            count: days.len() as u64,
            days_overdue: DaysOverdue {
                median,
                max: days.last().copied(),
            },
        }
    }

    fn describe(&self) -> String {
        match (&self.days_overdue.median, self.days_overdue.max) {
            (Some(median), Some(max)) => format!(
                "{} (days overdue: median {}, max {max})",
                self.count,
                format_days(*median)
            ),
            _ => self.count.to_string(),
        }
    }

    /// "1 (max 26d)" for tables.
    fn short(&self) -> String {
        match self.days_overdue.max {
            Some(max) => format!("{} (max {max}d)", self.count),
            None => self.count.to_string(),
        }
    }
}

fn format_days(days: f64) -> String {
    if days.fract() == 0.0 {
        format!("{days:.0}")
    } else {
        format!("{days:.1}")
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct Tool {
    pub name: &'static str,
    pub version: &'static str,
}

/// The whole document (`--format json`).
#[derive(Clone, Debug, Serialize)]
pub struct Stats {
    pub version: u32,
    pub tool: Tool,
    pub now: Date,
    pub catalogue: CatalogueCounts,
    pub entitlement_quality: EntitlementQuality,
    pub revocation_timeliness: RevocationTimeliness,
    pub review_accuracy: ReviewAccuracy,
    /// Sorted by department; objects without one last (`department: null`).
    pub by_department: Vec<DepartmentStats>,
    /// In catalogue order of applications (by path).
    pub by_application: Vec<ApplicationStats>,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct CatalogueCounts {
    pub applications: u64,
    pub roles: u64,
    pub privileged_roles: u64,
    pub identities: u64,
    pub active_humans: u64,
    pub non_human_identities: u64,
    pub terminated_identities: u64,
    pub active_grants: u64,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct EntitlementQuality {
    pub roles_with_accountable_owner: Share,
    pub applications_with_accountable_owner: Share,
    pub privileged_roles_requiring_mfa: Share,
    pub empty_roles: Share,
    pub duplicate_role_pairs: Option<u64>,
    pub near_duplicate_role_pairs: Option<u64>,
    pub peer_outliers: PeerOutliers,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct PeerOutliers {
    /// Active humans with at least one peer-outlier finding, of the active
    /// humans in departments large enough to be compared.
    pub identities: Option<Share>,
    /// Peer-outlier findings: one per identity and unusual permission.
    pub permissions: Option<u64>,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct RevocationTimeliness {
    pub unrevoked_expired_grants: Overdue,
    pub terminated_identities_with_access: Share,
    pub active_grants_of_terminated_identities: u64,
    pub stale_credentials: Share,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct ReviewAccuracy {
    pub roles_reviewed_within_cadence: Share,
    pub privileged_roles_never_reviewed: Share,
    pub overdue_reviews: Overdue,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct DepartmentStats {
    /// `null` for roles and identities that name no department.
    pub department: Option<String>,
    pub roles: u64,
    pub roles_with_accountable_owner: Share,
    pub privileged_roles_requiring_mfa: Share,
    pub empty_roles: Share,
    pub roles_reviewed_within_cadence: Share,
    pub privileged_roles_never_reviewed: Share,
    pub identities: u64,
    pub active_humans: u64,
    /// The department's active humans with a peer-outlier finding, of its
    /// active humans when it was compared (`0/0` when too small).
    pub peer_outliers: Option<Share>,
    pub unrevoked_expired_grants: Overdue,
    pub terminated_identities_with_access: Share,
    pub stale_credentials: Share,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct ApplicationStats {
    pub application: String,
    pub owner_accountable: bool,
    /// Roles whose effective permissions include one of the application's.
    pub roles: u64,
    pub roles_with_accountable_owner: Share,
    pub privileged_roles_requiring_mfa: Share,
    pub roles_reviewed_within_cadence: Share,
    pub privileged_roles_never_reviewed: Share,
    /// Identities whose effective permissions (active grants) include one of the application's.
    pub identities_with_access: u64,
    pub unrevoked_expired_grants: Overdue,
    /// Terminated identities with active access to the application, of all terminated identities.
    pub terminated_identities_with_access: Share,
    pub peer_outlier_permissions: Option<u64>,
}

/// Whether an owner is accountable: present, and an active human or an
/// accountable team. Its opposite is what ownership/missing-owner,
/// ownership/orphaned-owner, ownership/non-human-owner and an unknown
/// reference report.
fn is_accountable(graph: &Graph, owner: Option<&Spanned<Principal>>) -> bool {
    match owner.map(|owner| &owner.value) {
        None => false,
        Some(Principal::Identity(id)) => graph.identity(id.as_str()).is_some_and(|identity| {
            identity.kind.value == IdentityType::Human
                && identity.status.value == IdentityStatus::Active
        }),
        Some(Principal::Team(id)) => graph
            .teams
            .get(id.as_str())
            .and_then(|team| graph.team_accountable.get(team as usize).copied())
            .unwrap_or(false),
    }
}

/// A role's review, as lifecycle/overdue-review sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ReviewState {
    Never,
    WithinCadence,
    /// Days since the review fell due.
    Overdue(i64),
}

fn review_state(role: &Role, default_cadence: u32, now: Date) -> ReviewState {
    let Some(review) = &role.review else {
        return ReviewState::Never;
    };
    let Some(last) = &review.last_reviewed else {
        return ReviewState::Never;
    };
    let cadence = review
        .every_days
        .as_ref()
        .map_or(default_cadence, |every| every.value);
    let due = last.value.plus_days(i64::from(cadence));
    if due >= now {
        ReviewState::WithinCadence
    } else {
        ReviewState::Overdue(due.days_until(now))
    }
}

/// lifecycle/stale-credential's predicate: expired, rotated (or created)
/// more than the rotation period ago, or with neither date.
fn is_stale(credential: &Credential, rotation_days: u32, now: Date) -> bool {
    let expired = credential
        .expires
        .as_ref()
        .is_some_and(|expires| expires.value < now);
    let age = credential
        .last_rotated
        .as_ref()
        .or(credential.created.as_ref())
        .map(|day| day.value.days_until(now));
    expired || age.is_none_or(|age| age > i64::from(rotation_days))
}

/// The applications (sorted, unique) of a sorted set of permissions.
fn applications_of(graph: &Graph, permissions: &[PermId]) -> Vec<Ix> {
    let mut applications: Vec<Ix> = permissions
        .iter()
        .map(|permission| graph.permissions.names[*permission as usize].0)
        .collect();
    applications.dedup();
    applications
}

/// Role facts the statistics need, computed once per role.
struct RoleRow {
    accountable: bool,
    privileged: bool,
    mfa: bool,
    empty: bool,
    review: ReviewState,
}

impl RoleRow {
    fn add_to(&self, owner: &mut Share, mfa: &mut Share, reviewed: &mut Share, never: &mut Share) {
        owner.count(self.accountable);
        if self.privileged {
            mfa.count(self.mfa);
            never.count(self.review == ReviewState::Never);
        }
        reviewed.count(self.review == ReviewState::WithinCadence);
    }
}

/// Department rows by name; `None` (no department) sorts last.
#[derive(Default)]
struct Departments<'c> {
    named: BTreeMap<&'c str, DepartmentStats>,
    none: DepartmentStats,
    none_used: bool,
}

impl<'c> Departments<'c> {
    fn row(&mut self, department: Option<&'c Spanned<String>>) -> &mut DepartmentStats {
        match department {
            Some(name) => {
                self.named
                    .entry(name.value.as_str())
                    .or_insert_with(|| DepartmentStats {
                        department: Some(name.value.clone()),
                        ..DepartmentStats::default()
                    })
            }
            None => {
                self.none_used = true;
                &mut self.none
            }
        }
    }

    fn into_rows(self) -> Vec<DepartmentStats> {
        let mut rows: Vec<DepartmentStats> = self.named.into_values().collect();
        if self.none_used {
            rows.push(self.none);
        }
        rows
    }
}

/// Counts the findings of one rule, or `None` when the configuration turns it off.
fn finding_count(graph: &Graph, findings: &[Diagnostic], rule: &str) -> Option<u64> {
    rule_enabled(graph, rule).then(|| {
        findings
            .iter()
            .filter(|finding| finding.rule == rule)
            .count() as u64
    })
}

fn rule_enabled(graph: &Graph, rule: &str) -> bool {
    crate::rules::find(rule).is_some_and(|rule| configured_severity(graph, rule).is_some())
}

/// Computes the statistics of a resolved catalogue; `findings` are the
/// analysis's findings after configuration and suppressions. One pass over
/// roles and one over identities, each touching only precomputed facts.
pub fn compute(graph: &Graph, findings: &[Diagnostic]) -> Stats {
    let catalogue = graph.catalogue;
    let mut tally = Tally::new(graph);
    for (role, facts) in catalogue.roles.iter().zip(&graph.role_facts) {
        tally.add_role(role, facts);
    }
    for (identity, facts) in catalogue.identities.iter().zip(&graph.identity_facts) {
        tally.add_identity(identity, facts);
    }
    tally.finish(findings)
}

/// The running totals of [`compute`].
struct Tally<'g, 'c> {
    graph: &'g Graph<'c>,
    counts: CatalogueCounts,
    quality: EntitlementQuality,
    revocation: RevocationTimeliness,
    review: ReviewAccuracy,
    departments: Departments<'c>,
    applications: Vec<ApplicationStats>,
    overdue_review_days: Vec<i64>,
    /// Days overdue of unrevoked expired grants: all, by the identity's
    /// department, by application reached.
    expired_days: Vec<i64>,
    expired_days_by_department: BTreeMap<Option<&'c str>, Vec<i64>>,
    expired_days_by_application: Vec<Vec<i64>>,
}

impl<'g, 'c> Tally<'g, 'c> {
    fn new(graph: &'g Graph<'c>) -> Self {
        let catalogue = graph.catalogue;
        let applications: Vec<ApplicationStats> = catalogue
            .applications
            .iter()
            .map(|application| ApplicationStats {
                application: application.id.value.to_string(),
                owner_accountable: is_accountable(graph, application.owner.as_ref()),
                ..ApplicationStats::default()
            })
            .collect();
        let mut quality = EntitlementQuality::default();
        for application in &applications {
            quality
                .applications_with_accountable_owner
                .count(application.owner_accountable);
        }
        Tally {
            graph,
            counts: CatalogueCounts {
                applications: catalogue.applications.len() as u64,
                roles: catalogue.roles.len() as u64,
                identities: catalogue.identities.len() as u64,
                ..CatalogueCounts::default()
            },
            quality,
            revocation: RevocationTimeliness::default(),
            review: ReviewAccuracy::default(),
            departments: Departments::default(),
            expired_days_by_application: vec![Vec::new(); applications.len()],
            applications,
            overdue_review_days: Vec::new(),
            expired_days: Vec::new(),
            expired_days_by_department: BTreeMap::new(),
        }
    }

    fn add_role(&mut self, role: &'c Role, facts: &RoleFacts) {
        let graph = self.graph;
        let row = RoleRow {
            accountable: is_accountable(graph, role.owner.as_ref()),
            privileged: facts.privileged,
            mfa: role.requires_mfa.value,
            empty: facts.effective.is_empty(),
            review: review_state(role, graph.defaults().review_every_days, graph.now),
        };
        self.counts.privileged_roles += u64::from(row.privileged);
        if let ReviewState::Overdue(days) = row.review {
            self.overdue_review_days.push(days);
        }
        row.add_to(
            &mut self.quality.roles_with_accountable_owner,
            &mut self.quality.privileged_roles_requiring_mfa,
            &mut self.review.roles_reviewed_within_cadence,
            &mut self.review.privileged_roles_never_reviewed,
        );
        self.quality.empty_roles.count(row.empty);

        let department = self.departments.row(role.department.as_ref());
        department.roles += 1;
        department.empty_roles.count(row.empty);
        row.add_to(
            &mut department.roles_with_accountable_owner,
            &mut department.privileged_roles_requiring_mfa,
            &mut department.roles_reviewed_within_cadence,
            &mut department.privileged_roles_never_reviewed,
        );

        for app in applications_of(graph, &facts.effective) {
            if let Some(application) = self.applications.get_mut(app as usize) {
                application.roles += 1;
                row.add_to(
                    &mut application.roles_with_accountable_owner,
                    &mut application.privileged_roles_requiring_mfa,
                    &mut application.roles_reviewed_within_cadence,
                    &mut application.privileged_roles_never_reviewed,
                );
            }
        }
    }

    fn add_identity(&mut self, identity: &'c Identity, facts: &IdentityFacts) {
        let graph = self.graph;
        let human = identity.kind.value == IdentityType::Human;
        let active_human = human && identity.status.value == IdentityStatus::Active;
        let terminated = identity.status.value == IdentityStatus::Terminated;
        let holds_access = !facts.active_grants.is_empty();
        let active_grants = facts.active_grants.len() as u64;
        self.counts.active_humans += u64::from(active_human);
        self.counts.non_human_identities += u64::from(!human);
        self.counts.terminated_identities += u64::from(terminated);
        self.counts.active_grants += active_grants;
        if terminated {
            self.revocation
                .terminated_identities_with_access
                .count(holds_access);
            self.revocation.active_grants_of_terminated_identities += active_grants;
        }

        let department = self.departments.row(identity.department.as_ref());
        department.identities += 1;
        department.active_humans += u64::from(active_human);
        if terminated {
            department
                .terminated_identities_with_access
                .count(holds_access);
        }
        // Human credentials are the identity provider's business (as the rule says).
        if !human {
            let rotation_days = graph.defaults().credential_rotation_days;
            for credential in &identity.credentials {
                let stale = is_stale(credential, rotation_days, graph.now);
                self.revocation.stale_credentials.count(stale);
                department.stale_credentials.count(stale);
            }
        }

        for app in applications_of(graph, &facts.effective) {
            if let Some(application) = self.applications.get_mut(app as usize) {
                application.identities_with_access += 1;
                if terminated {
                    application.terminated_identities_with_access.numerator += 1;
                }
            }
        }

        for grant in &identity.grants {
            if !is_unrevoked_expired(grant, graph.now) {
                continue;
            }
            let Some(expires) = &grant.expires else {
                continue;
            };
            let days = expires.value.days_until(graph.now);
            self.expired_days.push(days);
            self.expired_days_by_department
                .entry(identity.department.as_ref().map(|d| d.value.as_str()))
                .or_default()
                .push(days);
            for app in grant_applications(graph, grant) {
                if let Some(days_of_app) = self.expired_days_by_application.get_mut(app as usize) {
                    days_of_app.push(days);
                }
            }
        }
    }

    fn finish(mut self, findings: &[Diagnostic]) -> Stats {
        let graph = self.graph;
        self.review.overdue_reviews = Overdue::from_days(self.overdue_review_days);
        self.revocation.unrevoked_expired_grants = Overdue::from_days(self.expired_days);
        for (key, days) in self.expired_days_by_department {
            let row = match key {
                Some(name) => self.departments.named.get_mut(name),
                None => Some(&mut self.departments.none),
            };
            if let Some(row) = row {
                row.unrevoked_expired_grants = Overdue::from_days(days);
            }
        }
        let terminated = self.counts.terminated_identities;
        for (application, days) in self
            .applications
            .iter_mut()
            .zip(self.expired_days_by_application)
        {
            application.unrevoked_expired_grants = Overdue::from_days(days);
            application.terminated_identities_with_access.denominator = terminated;
        }

        // Findings-based metrics.
        self.quality.duplicate_role_pairs = finding_count(graph, findings, DUPLICATE_ROLES);
        self.quality.near_duplicate_role_pairs =
            finding_count(graph, findings, NEAR_DUPLICATE_ROLES);
        peer_outliers(
            graph,
            findings,
            &mut self.quality,
            &mut self.departments,
            &mut self.applications,
        );

        Stats {
            version: STATS_VERSION,
            tool: Tool {
                name: "rolelint",
                version: env!("CARGO_PKG_VERSION"),
            },
            now: graph.now,
            catalogue: self.counts,
            entitlement_quality: self.quality,
            revocation_timeliness: self.revocation,
            review_accuracy: self.review,
            by_department: self.departments.into_rows(),
            by_application: self.applications,
        }
    }
}

/// The applications a grant's role or permission reaches, when it resolves.
fn grant_applications(graph: &Graph, grant: &Grant) -> Vec<Ix> {
    match grant.target() {
        Some(GrantTarget::Role(role)) => graph
            .roles
            .get(role.as_str())
            .map(|role| applications_of(graph, &graph.role_facts[role as usize].effective))
            .unwrap_or_default(),
        // A permission reference is one application's (one permission, or all for `app:*`).
        Some(GrantTarget::Permission(reference)) => match graph
            .permissions
            .resolve(&graph.applications, &reference.value)
        {
            Resolved::Permissions(range) if !range.is_empty() => graph
                .applications
                .get(reference.value.application.as_str())
                .into_iter()
                .collect(),
            _ => Vec::new(),
        },
        None => Vec::new(),
    }
}

/// privilege/peer-outlier findings: identities over their peer group, per
/// department (of the identity) and per application (of the permission).
fn peer_outliers(
    graph: &Graph,
    findings: &[Diagnostic],
    quality: &mut EntitlementQuality,
    departments: &mut Departments,
    applications: &mut [ApplicationStats],
) {
    if !rule_enabled(graph, PEER_OUTLIER) {
        return;
    }
    let catalogue = graph.catalogue;
    let min_size = u64::from(graph.defaults().peer_group_min_size);
    // The peer groups the rule compares: departments with enough active humans.
    let mut compared = Share::default();
    for row in departments.named.values_mut() {
        let size = if row.active_humans >= min_size {
            row.active_humans
        } else {
            0
        };
        row.peer_outliers = Some(Share {
            numerator: 0,
            denominator: size,
        });
        compared.denominator += size;
    }
    departments.none.peer_outliers = Some(Share::default());

    let mut outliers: Vec<bool> = vec![false; catalogue.identities.len()];
    let mut permissions = 0u64;
    for finding in findings
        .iter()
        .filter(|finding| finding.rule == PEER_OUTLIER)
    {
        permissions += 1;
        let Some(object) = finding.object.as_ref().filter(|o| o.kind == Kind::Identity) else {
            continue;
        };
        if let Some(detail) = &finding.detail
            && let Some((app, _)) = detail.split_once(':')
            && let Some(app) = graph.applications.get(app)
            && let Some(row) = applications.get_mut(app as usize)
        {
            *row.peer_outlier_permissions.get_or_insert(0) += 1;
        }
        let Some(index) = graph.identities.get(object.id.as_str()) else {
            continue;
        };
        if std::mem::replace(&mut outliers[index as usize], true) {
            continue;
        }
        compared.numerator += 1;
        let identity = &catalogue.identities[index as usize];
        if let Some(department) = &identity.department
            && let Some(row) = departments.named.get_mut(department.value.as_str())
            && let Some(share) = &mut row.peer_outliers
        {
            share.numerator += 1;
        }
    }
    for row in applications.iter_mut() {
        row.peer_outlier_permissions.get_or_insert(0);
    }
    quality.peer_outliers = PeerOutliers {
        identities: Some(compared),
        permissions: Some(permissions),
    };
}

impl Stats {
    /// The JSON document: stable keys, pretty-printed, with a final newline.
    pub fn to_json(&self) -> Result<String, serde_json::Error> {
        let mut text = serde_json::to_string_pretty(self)?;
        text.push('\n');
        Ok(text)
    }

    /// The overall lines: (section, [(label, value)]).
    fn summary_lines(&self) -> Vec<(&'static str, Vec<(&'static str, String)>)> {
        let quality = &self.entitlement_quality;
        let revocation = &self.revocation_timeliness;
        let review = &self.review_accuracy;
        let optional = |count: Option<u64>| {
            count.map_or("not measured (rule off)".to_owned(), |n| n.to_string())
        };
        let outliers = match (
            &quality.peer_outliers.identities,
            quality.peer_outliers.permissions,
        ) {
            (Some(share), Some(permissions)) => format!(
                "{}, {}",
                share.describe(),
                count_noun(permissions, "unusual permission")
            ),
            _ => "not measured (rule off)".to_owned(),
        };
        vec![
            (
                "Entitlement quality",
                vec![
                    (
                        "roles with an accountable owner",
                        quality.roles_with_accountable_owner.describe(),
                    ),
                    (
                        "applications with an accountable owner",
                        quality.applications_with_accountable_owner.describe(),
                    ),
                    (
                        "privileged roles that require MFA",
                        quality.privileged_roles_requiring_mfa.describe(),
                    ),
                    ("empty roles", quality.empty_roles.describe()),
                    (
                        "duplicate role pairs",
                        optional(quality.duplicate_role_pairs),
                    ),
                    (
                        "near-duplicate role pairs",
                        optional(quality.near_duplicate_role_pairs),
                    ),
                    ("identities over their peer group", outliers),
                ],
            ),
            (
                "Revocation timeliness",
                vec![
                    (
                        "unrevoked expired grants",
                        revocation.unrevoked_expired_grants.describe(),
                    ),
                    (
                        "terminated identities still holding access",
                        format!(
                            "{}, {}",
                            revocation.terminated_identities_with_access.describe(),
                            count_noun(
                                revocation.active_grants_of_terminated_identities,
                                "active grant"
                            )
                        ),
                    ),
                    (
                        "non-human credentials stale or expired",
                        revocation.stale_credentials.describe(),
                    ),
                ],
            ),
            (
                "Review accuracy",
                vec![
                    (
                        "roles reviewed within their cadence",
                        review.roles_reviewed_within_cadence.describe(),
                    ),
                    (
                        "privileged roles never reviewed",
                        review.privileged_roles_never_reviewed.describe(),
                    ),
                    ("overdue reviews", review.overdue_reviews.describe()),
                ],
            ),
        ]
    }

    /// The breakdowns, each a titled table: what roles and identities of
    /// each department, and of each application, look like. Departments
    /// without roles (or identities) are left out of the role (identity) table.
    fn tables(&self) -> Vec<(&'static str, Table)> {
        let department_cell = |row: &DepartmentStats| {
            row.department
                .clone()
                .map_or(Cell::Text(NO_DEPARTMENT.to_owned()), Cell::Catalogue)
        };
        let mut roles_by_department = Table::new(&[
            "department",
            "roles",
            "accountable owner",
            "privileged with MFA",
            "empty",
            "reviewed in cadence",
            "privileged never reviewed",
        ]);
        let mut identities_by_department = Table::new(&[
            "department",
            "identities",
            "active humans",
            "peer outliers",
            "expired grants",
            "terminated with access",
            "stale credentials",
        ]);
        for row in &self.by_department {
            if row.roles > 0 {
                roles_by_department.rows.push(vec![
                    department_cell(row),
                    Cell::Text(row.roles.to_string()),
                    Cell::share(row.roles_with_accountable_owner),
                    Cell::share(row.privileged_roles_requiring_mfa),
                    Cell::share(row.empty_roles),
                    Cell::share(row.roles_reviewed_within_cadence),
                    Cell::share(row.privileged_roles_never_reviewed),
                ]);
            }
            if row.identities > 0 {
                identities_by_department.rows.push(vec![
                    department_cell(row),
                    Cell::Text(row.identities.to_string()),
                    Cell::Text(row.active_humans.to_string()),
                    row.peer_outliers.map_or(Cell::not_measured(), Cell::share),
                    Cell::Text(row.unrevoked_expired_grants.short()),
                    Cell::share(row.terminated_identities_with_access),
                    Cell::share(row.stale_credentials),
                ]);
            }
        }
        let mut roles_by_application = Table::new(&[
            "application",
            "owner accountable",
            "roles",
            "accountable owner",
            "privileged with MFA",
            "reviewed in cadence",
            "privileged never reviewed",
        ]);
        let mut identities_by_application = Table::new(&[
            "application",
            "identities with access",
            "expired grants",
            "terminated with access",
            "peer outliers",
        ]);
        for row in &self.by_application {
            roles_by_application.rows.push(vec![
                Cell::Catalogue(row.application.clone()),
                Cell::Text(if row.owner_accountable { "yes" } else { "no" }.to_owned()),
                Cell::Text(row.roles.to_string()),
                Cell::share(row.roles_with_accountable_owner),
                Cell::share(row.privileged_roles_requiring_mfa),
                Cell::share(row.roles_reviewed_within_cadence),
                Cell::share(row.privileged_roles_never_reviewed),
            ]);
            identities_by_application.rows.push(vec![
                Cell::Catalogue(row.application.clone()),
                Cell::Text(row.identities_with_access.to_string()),
                Cell::Text(row.unrevoked_expired_grants.short()),
                Cell::share(row.terminated_identities_with_access),
                row.peer_outlier_permissions
                    .map_or(Cell::not_measured(), |n| Cell::Text(n.to_string())),
            ]);
        }
        vec![
            ("Roles by department", roles_by_department),
            ("Identities by department", identities_by_department),
            ("Roles by application", roles_by_application),
            ("Identities by application", identities_by_application),
        ]
    }

    /// Plain text for a terminal; catalogue text has its control characters neutralised.
    pub fn render_human(&self) -> String {
        let mut out = format!(
            "rolelint stats on {}: {} roles ({} privileged), {} identities ({} active humans), {} applications\n",
            self.now,
            self.catalogue.roles,
            self.catalogue.privileged_roles,
            self.catalogue.identities,
            self.catalogue.active_humans,
            self.catalogue.applications
        );
        let sections = self.summary_lines();
        let width = sections
            .iter()
            .flat_map(|(_, lines)| lines.iter().map(|(label, _)| label.len()))
            .max()
            .unwrap_or(0);
        for (section, lines) in sections {
            let _ = writeln!(out, "\n{section}");
            for (label, value) in lines {
                let _ = writeln!(out, "  {label:width$}  {value}");
            }
        }
        for (title, table) in self.tables() {
            let _ = writeln!(out, "\n{title}");
            out.push_str(&table.human());
        }
        out
    }

    /// GitHub-flavoured Markdown; catalogue text is escaped with [`escape_markdown`].
    pub fn render_markdown(&self) -> String {
        let mut out = format!(
            "## rolelint stats on {}\n\n{} roles ({} privileged), {} identities ({} active humans), {} applications.\n",
            self.now,
            self.catalogue.roles,
            self.catalogue.privileged_roles,
            self.catalogue.identities,
            self.catalogue.active_humans,
            self.catalogue.applications
        );
        for (section, lines) in self.summary_lines() {
            let _ = writeln!(out, "\n### {section}\n\n| metric | value |\n| --- | --- |");
            for (label, value) in lines {
                let _ = writeln!(out, "| {label} | {value} |");
            }
        }
        for (title, table) in self.tables() {
            let _ = writeln!(out, "\n### {title}\n");
            out.push_str(&table.markdown());
        }
        out
    }
}

/// How the department of objects without one is shown in tables.
const NO_DEPARTMENT: &str = "(none)";

fn count_noun(n: u64, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// A table cell: rolelint's own text, or catalogue text (escaped per format).
#[derive(Clone, Debug)]
enum Cell {
    Text(String),
    Catalogue(String),
}

impl Cell {
    /// "3/4"; "-" when there is nothing to measure (0/0).
    fn share(share: Share) -> Cell {
        Cell::Text(if share.denominator == 0 {
            "-".to_owned()
        } else {
            share.fraction()
        })
    }

    /// A metric whose rule is off in the configuration.
    fn not_measured() -> Cell {
        Cell::Text("off".to_owned())
    }
}

struct Table {
    header: Vec<&'static str>,
    rows: Vec<Vec<Cell>>,
}

impl Table {
    fn new(header: &[&'static str]) -> Self {
        Table {
            header: header.to_vec(),
            rows: Vec::new(),
        }
    }

    fn human(&self) -> String {
        let render = |cell: &Cell| match cell {
            Cell::Text(text) => text.clone(),
            Cell::Catalogue(text) => neutralise_controls(text).replace(['\n', '\t'], " "),
        };
        let rows: Vec<Vec<String>> = self
            .rows
            .iter()
            .map(|row| row.iter().map(render).collect())
            .collect();
        let mut widths: Vec<usize> = self.header.iter().map(|h| h.chars().count()).collect();
        for row in &rows {
            for (width, cell) in widths.iter_mut().zip(row) {
                *width = (*width).max(cell.chars().count());
            }
        }
        let line = |cells: Vec<&str>| {
            let mut text = String::from(" ");
            for (index, (cell, width)) in cells.iter().zip(&widths).enumerate() {
                let pad = width.saturating_sub(cell.chars().count());
                // The first column is a name: left-aligned; numbers right-aligned.
                if index == 0 {
                    let _ = write!(text, " {cell}{}", " ".repeat(pad));
                } else {
                    let _ = write!(text, "  {}{cell}", " ".repeat(pad));
                }
            }
            format!("{}\n", text.trim_end())
        };
        let mut out = line(self.header.clone());
        for row in &rows {
            out.push_str(&line(row.iter().map(String::as_str).collect()));
        }
        out
    }

    fn markdown(&self) -> String {
        let mut out = format!(
            "| {} |\n|{}\n",
            self.header.join(" | "),
            self.header
                .iter()
                .enumerate()
                .map(|(index, _)| if index == 0 { " --- |" } else { " ---: |" })
                .collect::<String>()
        );
        for row in &self.rows {
            let cells: Vec<String> = row
                .iter()
                .map(|cell| match cell {
                    Cell::Text(text) => text.clone(),
                    Cell::Catalogue(text) => escape_markdown(text),
                })
                .collect();
            let _ = writeln!(out, "| {} |", cells.join(" | "));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_an_even_count_is_the_mean_of_the_middle_two() {
        let overdue = Overdue::from_days(vec![30, 10, 20, 40]);
        assert_eq!(overdue.count, 4);
        assert_eq!(overdue.days_overdue.median, Some(25.0));
        assert_eq!(overdue.days_overdue.max, Some(40));
        assert_eq!(
            Overdue::from_days(vec![3, 1, 2]).days_overdue.median,
            Some(2.0)
        );
        assert_eq!(
            Overdue::from_days(vec![]).days_overdue,
            DaysOverdue::default()
        );
    }

    #[test]
    fn shares_describe_themselves_exactly() {
        let share = Share {
            numerator: 1,
            denominator: 6,
        };
        assert_eq!(share.describe(), "1/6 (16.7%)");
        assert_eq!(Share::default().describe(), "0/0");
    }

    #[test]
    fn markdown_tables_escape_catalogue_text() {
        let mut table = Table::new(&["department", "roles"]);
        table.rows.push(vec![
            Cell::Catalogue("a|b [x](y)".to_owned()),
            Cell::Text("3".to_owned()),
        ]);
        let markdown = table.markdown();
        let row = markdown.lines().nth(2).unwrap_or_default();
        assert_eq!(row.matches('|').count(), 3, "{row}");
        assert!(!row.contains("]("), "{row}");
    }
}
