//! sod rules.
