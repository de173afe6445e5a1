//! Reference parsing: ids, permission references, principals, approvers and
//! separation-of-duties items.
//!
//! Holds for every input: no panic; whatever parses prints back as exactly
//! the text it was parsed from (references are canonical), and that text
//! parses to the same value.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rolelint::model::{Approver, Id, PermissionRef, Principal, SodItem};

fn round_trips<T, E>(text: &str, parse: fn(&str) -> Result<T, E>)
where
    T: std::fmt::Display + PartialEq + std::fmt::Debug,
{
    if let Ok(value) = parse(text) {
        let printed = value.to_string();
        assert_eq!(printed, text, "{value:?} prints differently");
        assert!(
            parse(&printed).is_ok_and(|again| again == value),
            "{printed} does not parse back to {value:?}"
        );
    }
}

fuzz_target!(|text: &str| {
    round_trips(text, Id::parse);
    round_trips(text, PermissionRef::parse);
    round_trips(text, Principal::parse);
    round_trips(text, Approver::parse);
    round_trips(text, SodItem::parse);

    // An id never contains the separators that references are split at.
    if let Ok(id) = Id::parse(text) {
        assert!(!id.as_str().contains([':', '*', ' ']), "{id:?}");
    }
});
