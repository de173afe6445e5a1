//! ownership rules.
