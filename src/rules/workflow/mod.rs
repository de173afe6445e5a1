//! workflow rules.
