//! evidence: the audit trail of each grant shows an independent approval.

pub mod missing_approval;
pub mod self_approval;
