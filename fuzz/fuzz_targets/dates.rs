//! Date parsing: `YYYY-MM-DD` and RFC 3339 date-times.
//!
//! Holds for every input: no panic; a parsed date prints as `YYYY-MM-DD`,
//! which parses back to the same date; a ten-character input parses only
//! when it is that form and then prints as itself; day arithmetic on any
//! parsed date does not panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rolelint::model::Date;

fuzz_target!(|input: (&str, i32)| {
    let (text, days) = input;
    let Ok(date) = Date::parse(text) else {
        return;
    };
    let printed = date.to_string();
    assert_eq!(Date::parse(&printed), Ok(date), "{printed} from {text:?}");
    if text.len() == 10 {
        assert_eq!(printed, text);
    }
    // Rules add day counts from the catalogue (max_grant_days, every_days).
    let later = date.plus_days(i64::from(days));
    let _ = date.days_until(later);
    let _ = later.days_until(date);
});
