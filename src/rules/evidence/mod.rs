//! evidence rules.
