//! overlap rules.
