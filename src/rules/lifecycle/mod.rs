//! lifecycle: access and credentials that outlive their purpose.
//!
//! Dates are whole UTC days. The boundaries follow FORMAT.md and RULES.md to
//! the letter: a grant or credential whose `expires` is today is still valid
//! (only a date *before* now has passed), and a limit of N days is exceeded
//! only by more than N days.

pub mod excessive_duration;
pub mod expired_grant;
pub mod missing_expiry;
pub mod overdue_review;
pub mod stale_credential;
pub mod terminated_identity_access;

use crate::model::{Grant, GrantTarget};

/// "1 day" / "26 days".
pub(crate) fn days(count: i64) -> String {
    if count.abs() == 1 {
        format!("{count} day")
    } else {
        format!("{count} days")
    }
}

/// How long ago a past day was, relative to now: "today", "1 day ago", "26 days ago".
pub(crate) fn ago(days_before_now: i64) -> String {
    match days_before_now {
        0 => "today".to_owned(),
        n if n < 0 => format!("in {}", days(-n)),
        n => format!("{} ago", days(n)),
    }
}

/// What a grant gives, for messages: "role `payments-admin`" or
/// "permission `stripe:refunds.write`".
pub(crate) fn grant_subject(grant: &Grant) -> String {
    match grant.target() {
        Some(GrantTarget::Role(role)) => format!("role `{}`", role.value),
        Some(GrantTarget::Permission(permission)) => {
            format!("permission `{}`", permission.value)
        }
        None => "nothing".to_owned(),
    }
}

/// "grant of role `x`" or "direct grant of permission `app:perm`".
pub(crate) fn grant_phrase(grant: &Grant) -> String {
    match grant.target() {
        Some(GrantTarget::Permission(_)) => format!("direct grant of {}", grant_subject(grant)),
        _ => format!("grant of {}", grant_subject(grant)),
    }
}

/// Loads a one-file catalogue and runs one rule on it at `now`, for the unit tests.
#[cfg(test)]
pub(crate) fn check_example(
    rule: &dyn crate::rules::Rule,
    yaml: &str,
    now: &str,
) -> Vec<crate::Diagnostic> {
    let options = crate::load::LoadOptions {
        rule_codes: crate::rules::codes(),
        ..Default::default()
    };
    let catalogue = crate::load::load_memory(&[("catalogue.yaml", yaml)], None, &options)
        .unwrap_or_else(|error| panic!("example does not load: {error}"));
    assert!(
        catalogue.findings.is_empty(),
        "example has schema problems: {:#?}",
        catalogue.findings
    );
    let now = crate::model::Date::parse(now).unwrap_or_else(|e| panic!("{e}"));
    let graph = crate::graph::Graph::build(&catalogue, now);
    let mut out = Vec::new();
    rule.check(&graph, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_phrases() {
        assert_eq!(days(1), "1 day");
        assert_eq!(days(26), "26 days");
        assert_eq!(ago(0), "today");
        assert_eq!(ago(1), "1 day ago");
        assert_eq!(ago(26), "26 days ago");
        assert_eq!(ago(-3), "in 3 days");
    }
}
