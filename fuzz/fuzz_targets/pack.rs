//! Any bytes as a pack: parsing and validation must return Ok or a list of
//! messages, never panic, and every message must be free of control
//! characters (they are printed to the terminal).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let known = qprm::pack::Known::default();
    if let Err(messages) = qprm::pack::parse_bytes("fuzz.json", data, &known) {
        assert!(!messages.is_empty());
        for m in messages {
            assert!(!m.chars().any(char::is_control), "control character in {m:?}");
        }
    }
});
