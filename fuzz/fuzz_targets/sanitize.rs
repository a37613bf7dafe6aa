//! Any text through the sanitiser: nothing that a terminal interprets may
//! survive, cleaning is idempotent, and plain text passes unchanged.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let clean = qprm::domain::sanitize::clean(&text);
    assert!(!clean.chars().any(|c| c.is_control()), "{clean:?}");
    // Bidi and zero-width controls, and the Unicode line separators.
    assert!(
        !clean.chars().any(|c| matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}'
        | '\u{2066}'..='\u{2069}' | '\u{061c}' | '\u{feff}' | '\u{2028}' | '\u{2029}')),
        "{clean:?}"
    );
    assert_eq!(qprm::domain::sanitize::clean(&clean), clean, "idempotent");
    if text.chars().all(|c| c.is_alphanumeric() || c == ' ') && !text.contains("  ") {
        assert_eq!(clean, text.as_ref());
    }
});
