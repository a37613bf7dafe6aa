//! The fuzz targets' properties (see fuzz/) as ordinary tests, over inputs
//! that are hard cases by construction plus any the fuzzers turned up, so
//! `cargo test` guards them without a fuzzer installed.

use chrono::NaiveDate;
use qprm::domain::dates::parse_due;
use qprm::domain::sanitize::clean;
use qprm::pack::{Known, parse_bytes};

const PACKS: &[&[u8]] = &[
    b"",
    b"\xEF\xBB\xBF",
    b"{",
    b"{}",
    b"[]",
    b"null",
    b"{\"format\":\"qprm-pack/1\",\"period\":\"2023-01\"}",
    b"{\"format\":\"qprm-pack/1\",\"period\":\"\x1b]0;x\x07\"}",
    b"{\"format\":\"qprm-pack/1\",\"period\":\"2023-01\",\"services\":[{\"id\":\"a\",\"name\":\"\\u001b[2J\",\"audits\":{\"completed\":4294967295,\"ratings\":{\"outstanding\":4294967295,\"good\":4294967295,\"requires_improvement\":4294967295,\"inadequate\":4294967295},\"with_family_feedback\":0}}]}",
    b"{\"format\":\"qprm-pack/1\",\"period\":\"2023-01\",\"indicators\":[{\"code\":\"X\",\"name\":\"n\",\"unit\":\"percent\",\"target\":{\"value\":1e309}}]}",
    b"{\"format\":\"qprm-pack/1\",\"period\":\"2023-01\",\"actions\":[{\"ref\":\"\xc3\xa9\",\"text\":\"t\",\"owner\":\"o\",\"due\":\"9999-12-31\"}]}",
    b"{\"a\":\"\\ud800\"}",
    b"{\"format\":1e999999}",
    b"\"\\u0000\"",
];

#[test]
fn packs_never_panic_and_messages_are_printable() {
    let mut inputs: Vec<Vec<u8>> = PACKS.iter().map(|p| p.to_vec()).collect();
    inputs.push(format!("{}{}", "{\"a\":".repeat(200_000), "1").into_bytes());
    inputs.push(vec![0xff; 1024]);
    for input in inputs {
        if let Err(messages) = parse_bytes("fuzz.json", &input, &Known::default()) {
            assert!(!messages.is_empty());
            for m in messages {
                assert!(!m.chars().any(char::is_control), "control character in {m:?}");
            }
        }
    }
}

#[test]
fn due_dates_never_panic_and_iso_round_trips() {
    let today = NaiveDate::from_ymd_opt(2023, 11, 14).unwrap();
    let cases = [
        "",
        " ",
        "+",
        "+0d",
        "+4294967296d",
        "+99999999999999999999w",
        "+3650m",
        "end of ",
        "end of m",
        "end of \u{1b}",
        "9999-12-31",
        "0000-01-01",
        "2023-02-29",
        "１２３４-05-06",
        "+2ｗ",
        "end of marchmarch",
        "\u{0}",
        "tomorrow\n",
    ];
    for c in cases {
        match parse_due(c, today) {
            Ok(d) => assert_eq!(parse_due(&d.to_string(), today), Ok(d), "{c:?}"),
            Err(m) => assert!(!m.chars().any(char::is_control), "{c:?}: {m:?}"),
        }
    }
    let far = NaiveDate::from_ymd_opt(262_000, 1, 1).unwrap_or(NaiveDate::MAX);
    assert!(parse_due("+3650m", far).is_err(), "overflow is an error, not a panic");
}

#[test]
fn sanitiser_leaves_nothing_a_terminal_would_interpret() {
    let cases = [
        "\u{1b}[",
        "\u{1b}]",
        "\u{1b}]8;;",
        "\u{1b}P",
        "\u{9b}",
        "\u{9d}x\u{9c}y",
        "\u{1b}\u{1b}[31m",
        "a\u{1b}(",
        "\u{1b}#",
        "\u{202e}\u{2066}x",
        "\r\n\t",
        "\u{7f}\u{85}",
        "Siân Zoë “quotes”",
        "\u{1b}[?1049h\u{1b}[2J",
        "\u{200b}\u{200c}\u{200d}\u{200e}\u{200f}",
        "\u{1b}\u{200b}[31m",
        "a\u{2028}\u{2029}b\u{feff}",
        "\u{61c}\u{2068}👩\u{200d}👩\u{200d}👧🇬🇧e\u{301}",
        "\u{2028}\u{1b}[2J\u{2029}",
    ];
    for c in cases {
        let out = clean(c);
        assert!(!out.chars().any(char::is_control), "{c:?} -> {out:?}");
        assert!(!out.chars().any(invisible), "{c:?} -> {out:?}");
        assert_eq!(clean(&out), out, "idempotent for {c:?}");
    }
}

/// The bidi and zero-width controls the sanitiser removes: none may reach a
/// terminal, whatever surrounds them.
fn invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200b}'..='\u{200f}'
            | '\u{202a}'..='\u{202e}'
            | '\u{2066}'..='\u{2069}'
            | '\u{061c}'
            | '\u{feff}'
            | '\u{2028}'
            | '\u{2029}'
    )
}
