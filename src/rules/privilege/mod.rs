//! privilege rules.
