//! suppression: accepted risks stay current and meaningful.

pub mod expired;
pub mod unused;
