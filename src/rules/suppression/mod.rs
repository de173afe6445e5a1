//! suppression rules.
