//! Any text as a due date: a date or a message, never a panic; ISO dates
//! round-trip; messages are printable.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let today = chrono::NaiveDate::from_ymd_opt(2023, 11, 14).unwrap();
    match qprm::domain::dates::parse_due(text, today) {
        Ok(d) => {
            let again = qprm::domain::dates::parse_due(&d.to_string(), today);
            assert_eq!(again, Ok(d));
        }
        Err(m) => assert!(!m.chars().any(char::is_control), "{m:?}"),
    }
});
