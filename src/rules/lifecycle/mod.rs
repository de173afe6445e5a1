//! lifecycle rules.
