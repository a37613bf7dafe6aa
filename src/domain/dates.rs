//! Dates: the strict `YYYY-MM-DD` that packs use, and every form a person
//! types at the command line or in a screen form, read the UK way (day
//! first, never month first): `31/03/2024`, `31/3/24`, `31-03-2024`,
//! `31 Mar 2024`, `31 March`, ISO, and the friendly forms a minute-taker
//! types mid-meeting (`+2w`, `+10d`, `+1m`, `today`, `tomorrow`,
//! `end of march`, `end of month`, `end of next month`). Parsing is plain
//! code with "today" passed in; `today()` reads it once, and `QPRM_TODAY`
//! fixes it so overdue status is reproducible in tests.

use chrono::{Datelike, Days, Months, NaiveDate};

/// The years a typed date may fall in: anything else is a slip of the keys
/// (`0024`, `20244`), not a plan.
const YEARS: std::ops::RangeInclusive<i32> = 1900..=2999;

/// What every "not a date" message offers, so a person can copy a form.
const FORMS: &str = "write 31/03/2024, 31/3/24, 31 Mar 2024, 31 March, 2024-03-31, +3d, +2w, +1m, \
today, tomorrow or end of march";

/// Strict ISO date, as packs use. A pack written the UK way is told the ISO
/// form to write instead.
pub fn parse_iso(s: &str) -> Result<NaiveDate, String> {
    let ok_shape = s.len() == 10
        && s.bytes().enumerate().all(|(i, c)| if i == 4 || i == 7 { c == b'-' } else { c.is_ascii_digit() });
    if !ok_shape {
        if let Some(Ok(d)) = written_with_year(&s.trim().to_lowercase()) {
            return Err(format!("\"{}\" is not YYYY-MM-DD: write {d}", super::sanitize::clean(s)));
        }
        return Err(format!("'{}' is not a date: expected YYYY-MM-DD", super::sanitize::clean(s)));
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| format!("'{s}' is not a real calendar date"))
}

/// Today's date: `QPRM_TODAY` if set and valid, else the local date.
pub fn today() -> NaiveDate {
    pinned_today().unwrap_or_else(|| chrono::Local::now().date_naive())
}

/// The date `QPRM_TODAY` pins, if set and valid.
pub fn pinned_today() -> Option<NaiveDate> {
    std::env::var("QPRM_TODAY").ok().and_then(|s| parse_iso(&s).ok())
}

/// Month names in lower case, January first; also how spreadsheets'
/// month words are recognised (`report::export`).
pub const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// A month named in full or by its first three or more letters (`mar`,
/// `sept`), as 1–12.
fn month_named(name: &str) -> Option<u32> {
    let idx = MONTHS.iter().position(|m| *m == name || (name.len() >= 3 && m.starts_with(name)))?;
    Some(idx as u32 + 1)
}

/// Any date a person types (CLI options, screen forms), relative to `today`.
/// Named for its first use; `--due-before` and the forms use it too.
pub fn parse_due(input: &str, today: NaiveDate) -> Result<NaiveDate, String> {
    let date = parse_typed(input, today)?;
    if !YEARS.contains(&date.year()) {
        return Err(format!("'{}' is {date}: dates from 1900 to 2999 only", shown(input)));
    }
    Ok(date)
}

/// A calendar day with its year given (ISO or written the UK way), for a
/// meeting's date: "14 Nov" must not silently mean next year's meeting.
pub fn parse_day(input: &str) -> Result<NaiveDate, String> {
    let s = normalise(input);
    if s.is_empty() {
        return Err("a date is needed, e.g. 14/11/2023 or 2023-11-14".into());
    }
    match written_with_year(&s) {
        Some(result) => result.map_err(|e| format!("'{}' {e}", shown(input))),
        None if matches!(read_written(&s), Some(Ok(_))) => {
            Err(format!("'{}' needs its year, as 14/11/2023 or 14 Nov 2023", shown(input)))
        }
        None => Err(format!(
            "'{}' is not a date I understand: write 14/11/2023, 14/11/23, 14 Nov 2023 or 2023-11-14",
            shown(input)
        )),
    }
}

/// Input as it may appear in a message: trimmed and free of control
/// characters and escape sequences.
fn shown(input: &str) -> String {
    super::sanitize::clean(input.trim())
}

/// Lower case, trimmed, runs of spaces as one, so `31  Mar 2024` reads.
fn normalise(input: &str) -> String {
    input.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

fn parse_typed(input: &str, today: NaiveDate) -> Result<NaiveDate, String> {
    let s = normalise(input);
    if s.is_empty() {
        return Err(format!("a date is needed: {FORMS}"));
    }
    let unknown = || format!("'{}' is not a date I understand: {FORMS}", shown(input));
    match s.as_str() {
        "today" => return Ok(today),
        "tomorrow" => return today.checked_add_days(Days::new(1)).ok_or_else(unknown),
        "end of month" | "eom" => {
            return end_of_month(today.year(), today.month()).ok_or_else(unknown);
        }
        "end of next month" => {
            let next = today.checked_add_months(Months::new(1)).ok_or_else(unknown)?;
            return end_of_month(next.year(), next.month()).ok_or_else(unknown);
        }
        _ => {}
    }
    if let Some(rest) = s.strip_prefix('+') {
        let (num, unit) = rest.split_at(rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len()));
        let n: u32 = num.parse().map_err(|_| unknown())?;
        if n > 3650 {
            return Err(format!("{n} is too far ahead for a due date"));
        }
        return match unit.trim() {
            "d" | "day" | "days" => today.checked_add_days(Days::new(n.into())),
            "w" | "wk" | "week" | "weeks" => today.checked_add_days(Days::new(u64::from(n) * 7)),
            "m" | "month" | "months" => today.checked_add_months(Months::new(n)),
            _ => None,
        }
        .ok_or_else(unknown);
    }
    if let Some(name) = s.strip_prefix("end of ") {
        let month = month_named(name).ok_or_else(unknown)?;
        // "End of March" means the next March that has not ended yet.
        let year = if month < today.month() { today.year() + 1 } else { today.year() };
        return end_of_month(year, month).ok_or_else(unknown);
    }
    if let Some(result) = written_with_year(&s) {
        return result.map_err(|e| format!("'{}' {e}", shown(input)));
    }
    if let Some(result) = written_without_year(&s, today) {
        return result.map_err(|e| format!("'{}' {e}", shown(input)));
    }
    Err(unknown())
}

/// A date as written: the day and month, and the year if one was given.
struct Written {
    day: u32,
    month: u32,
    year: Option<i32>,
}

/// Reads the shape of a written date. `None` means "not a written date at
/// all" (the caller lists the forms); `Some(Err)` means the shape is known
/// but would be misread, and says how to write it.
fn read_written(s: &str) -> Option<Result<Written, String>> {
    if s.bytes().any(|b| b.is_ascii_alphabetic()) { read_named(s) } else { read_numeric(s) }
}

/// `31/03/2024`, `31/3/24`, `31/3`, `31-03-2024`, and ISO `2024-03-31`.
fn read_numeric(s: &str) -> Option<Result<Written, String>> {
    let sep = if s.contains('/') { '/' } else { '-' };
    let parts: Vec<&str> = s.split(sep).collect();
    let digits = |p: &str, lens: std::ops::RangeInclusive<usize>| {
        (lens.contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit())).then(|| p.parse::<u32>().ok()).flatten()
    };
    // Year first, four digits: ISO, the one order that is never day first.
    if let [y, m, d] = parts.as_slice()
        && y.len() == 4
    {
        let (year, month, day) = (digits(y, 4..=4)?, digits(m, 1..=2)?, digits(d, 1..=2)?);
        if sep == '/' {
            return Some(Err(format!(
                "puts the year first: write {year}-{month:02}-{day:02} or {day:02}/{month:02}/{year}"
            )));
        }
        return Some(Ok(Written { day, month, year: Some(year as i32) }));
    }
    match parts.as_slice() {
        [d, m] if sep == '/' => Some(Ok(Written { day: digits(d, 1..=2)?, month: digits(m, 1..=2)?, year: None })),
        [d, m, y] => {
            let (day, month) = (digits(d, 1..=2)?, digits(m, 1..=2)?);
            let year = digits(y, 1..=9)?;
            match y.len() {
                // `24-03-31` could be a short ISO date as easily as 24 March 2031.
                2 if sep == '-' => Some(Err(format!(
                    "is ambiguous: with dashes give the year in full ({day:02}-{month:02}-20{y}) or write {day:02}/{month:02}/{y}"
                ))),
                2 => Some(Ok(Written { day, month, year: Some(2000 + year as i32) })),
                4 => Some(Ok(Written { day, month, year: Some(year as i32) })),
                _ => Some(Err(format!("has a {}-digit year: write it as 24 or 2024", y.len()))),
            }
        }
        _ => None,
    }
}

/// `31 Mar 2024`, `31 March 2024`, `31st March`, `1st of April`, and the
/// `31-Mar-24` that spreadsheets write.
fn read_named(s: &str) -> Option<Result<Written, String>> {
    let spaced: String = s.chars().map(|c| if matches!(c, '-' | '/' | ',') { ' ' } else { c }).collect();
    let mut words: Vec<&str> = spaced.split_whitespace().collect();
    if words.get(1) == Some(&"of") {
        words.remove(1);
    }
    let day = |w: &str| {
        let n = ["st", "nd", "rd", "th"].iter().find_map(|sfx| w.strip_suffix(sfx)).unwrap_or(w);
        ((1..=2).contains(&n.len()) && n.bytes().all(|b| b.is_ascii_digit())).then(|| n.parse::<u32>().ok()).flatten()
    };
    let (first, second) = (*words.first()?, *words.get(1)?);
    if month_named(first).is_some() && day(second).is_some() {
        return Some(Err("puts the month first: write the day first, as 31 March 2024".into()));
    }
    let (day, month) = (day(first)?, month_named(second)?);
    match words.get(2..)? {
        [] => Some(Ok(Written { day, month, year: None })),
        [y] if y.bytes().all(|b| b.is_ascii_digit()) => match (y.len(), y.parse::<i32>().ok()?) {
            (2, n) => Some(Ok(Written { day, month, year: Some(2000 + n) })),
            (4, n) => Some(Ok(Written { day, month, year: Some(n) })),
            (len, _) => Some(Err(format!("has a {len}-digit year: write it as 24 or 2024"))),
        },
        _ => None,
    }
}

/// A written date that names its year, checked against the calendar;
/// `None` if it is not a written date or has no year.
fn written_with_year(s: &str) -> Option<Result<NaiveDate, String>> {
    match read_written(s)? {
        Ok(Written { day, month, year: Some(year) }) => Some(calendar(year, month, day)),
        Ok(_) => None,
        Err(e) => Some(Err(e)),
    }
}

/// `31 March` or `31/3` with no year: the next 31 March on or after today,
/// because a date typed in a meeting is a deadline, and "31 March" said in
/// November means the coming March.
fn written_without_year(s: &str, today: NaiveDate) -> Option<Result<NaiveDate, String>> {
    let w = match read_written(s)? {
        Ok(w) if w.year.is_none() => w,
        Ok(_) => return None,
        Err(e) => return Some(Err(e)),
    };
    // Eight years always reach a 29 February (1900 and 2100 skip one).
    let next = (today.year()..=today.year() + 8)
        .filter_map(|y| NaiveDate::from_ymd_opt(y, w.month, w.day))
        .find(|d| *d >= today);
    if let Some(d) = next {
        return Some(Ok(d));
    }
    // No year has that day: a bad month or day 0, or 31 April, 30 February.
    Some(month_and_day(w.month, w.day).and_then(|()| {
        Err(format!("is not a real date: {} has {} days", month_title(w.month), days_in(2023, w.month)))
    }))
}

/// A day, month and year as a date, or what is wrong with them in words.
fn calendar(year: i32, month: u32, day: u32) -> Result<NaiveDate, String> {
    month_and_day(month, day)?;
    if !YEARS.contains(&year) {
        return Err(format!("has year {year}: dates from 1900 to 2999 only"));
    }
    NaiveDate::from_ymd_opt(year, month, day)
        .ok_or_else(|| format!("is not a real date: {} {year} has {} days", month_title(month), days_in(year, month)))
}

/// The checks that need no year. A month over 12 is most often a US date
/// (03/31/2024), so the message says which way round qprm reads.
fn month_and_day(month: u32, day: u32) -> Result<(), String> {
    if !(1..=12).contains(&month) {
        return Err(format!("has no month {month}: dates are read day first, as 31/03/2024"));
    }
    if day == 0 {
        return Err("has no day 0".into());
    }
    Ok(())
}

/// `March` for 3; only called with a month already checked to be 1–12.
fn month_title(month: u32) -> String {
    let name = MONTHS.get(month.wrapping_sub(1) as usize).copied().unwrap_or("?");
    let mut chars = name.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

fn days_in(year: i32, month: u32) -> u32 {
    end_of_month(year, month).map_or(0, |d| d.day())
}

fn end_of_month(year: i32, month: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, month, 1)?.checked_add_months(Months::new(1))?.pred_opt()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        parse_iso(s).unwrap()
    }

    #[test]
    fn iso_strict() {
        assert_eq!(d("2024-02-29").to_string(), "2024-02-29");
        for bad in ["2023-02-29", "2023-2-01", "2023-13-01", "31/03/2024", "2024-03-31T00:00", ""] {
            assert!(parse_iso(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn packs_written_the_uk_way_are_told_the_iso_form() {
        assert_eq!(parse_iso("31/03/2024").unwrap_err(), "\"31/03/2024\" is not YYYY-MM-DD: write 2024-03-31");
        assert_eq!(parse_iso("31 Mar 2024").unwrap_err(), "\"31 Mar 2024\" is not YYYY-MM-DD: write 2024-03-31");
        assert_eq!(parse_iso("1/4/24").unwrap_err(), "\"1/4/24\" is not YYYY-MM-DD: write 2024-04-01");
        // Without a year, or not a real date, there is no ISO form to offer.
        assert_eq!(parse_iso("31 March").unwrap_err(), "'31 March' is not a date: expected YYYY-MM-DD");
        assert_eq!(parse_iso("31/02/2024").unwrap_err(), "'31/02/2024' is not a date: expected YYYY-MM-DD");
    }

    #[test]
    fn friendly_forms() {
        let today = d("2023-11-15");
        let cases = [
            ("2024-03-31", "2024-03-31"),
            ("+2w", "2023-11-29"),
            ("+10d", "2023-11-25"),
            ("+1m", "2023-12-15"),
            ("today", "2023-11-15"),
            ("Tomorrow", "2023-11-16"),
            ("end of march", "2024-03-31"),
            ("end of Nov", "2023-11-30"),
            ("end of february", "2024-02-29"),
            ("end of month", "2023-11-30"),
            ("end of next month", "2023-12-31"),
        ];
        for (input, want) in cases {
            assert_eq!(parse_due(input, today).unwrap().to_string(), want, "{input}");
        }
        for bad in ["", "soon", "+2x", "end of smarch", "+99999d", "2023-02-30"] {
            assert!(parse_due(bad, today).is_err(), "{bad}");
        }
    }

    #[test]
    fn uk_forms_are_read_day_first() {
        let today = d("2023-11-14");
        let cases = [
            ("31/03/2024", "2024-03-31"),
            ("31/3/24", "2024-03-31"),
            ("1/4/24", "2024-04-01"),
            ("01/04/2024", "2024-04-01"),
            ("31-03-2024", "2024-03-31"),
            ("2024-3-31", "2024-03-31"),
            ("31 Mar 2024", "2024-03-31"),
            ("31 March 2024", "2024-03-31"),
            ("31 MARCH 2024", "2024-03-31"),
            ("  31   mar   24 ", "2024-03-31"),
            ("31-Mar-24", "2024-03-31"),
            ("31st March 2024", "2024-03-31"),
            ("1st of April 2024", "2024-04-01"),
            ("2 Sept 2024", "2024-09-02"),
            ("31 March, 2024", "2024-03-31"),
            ("29/02/2024", "2024-02-29"),
            ("1/1/1900", "1900-01-01"),
            ("31/12/2999", "2999-12-31"),
            ("5/6/00", "2000-06-05"),
        ];
        for (input, want) in cases {
            assert_eq!(parse_due(input, today).map(|d| d.to_string()), Ok(want.to_string()), "{input}");
        }
    }

    /// A date with no year is the next such day on or after today: a due
    /// date typed in November for "31 March" is the coming March.
    #[test]
    fn a_date_without_a_year_is_the_next_one() {
        let today = d("2023-11-14");
        let cases = [
            ("31 March", "2024-03-31"),
            ("31 Mar", "2024-03-31"),
            ("31/3", "2024-03-31"),
            ("14 November", "2023-11-14"),
            ("13 Nov", "2024-11-13"),
            ("30 Nov", "2023-11-30"),
            ("1 Jan", "2024-01-01"),
            ("29 Feb", "2024-02-29"),
        ];
        for (input, want) in cases {
            assert_eq!(parse_due(input, today).map(|d| d.to_string()), Ok(want.to_string()), "{input}");
        }
        assert_eq!(parse_due("29 Feb", d("2024-03-01")).unwrap().to_string(), "2028-02-29");
    }

    #[test]
    fn impossible_and_ambiguous_dates_are_refused_with_the_reason() {
        let today = d("2023-11-14");
        let cases = [
            ("31/02/2024", "'31/02/2024' is not a real date: February 2024 has 29 days"),
            ("29/02/2023", "'29/02/2023' is not a real date: February 2023 has 28 days"),
            ("31 April", "'31 April' is not a real date: April has 30 days"),
            ("30 Feb", "'30 Feb' is not a real date: February has 28 days"),
            ("13/13/2024", "'13/13/2024' has no month 13: dates are read day first, as 31/03/2024"),
            ("03/31/2024", "'03/31/2024' has no month 31: dates are read day first, as 31/03/2024"),
            ("00/01/2024", "'00/01/2024' has no day 0"),
            ("0 March", "'0 March' has no day 0"),
            ("31/03/0000", "'31/03/0000' has year 0: dates from 1900 to 2999 only"),
            ("1/1/1899", "'1/1/1899' has year 1899: dates from 1900 to 2999 only"),
            ("0000-01-01", "'0000-01-01' has year 0: dates from 1900 to 2999 only"),
            ("9999-12-31", "'9999-12-31' has year 9999: dates from 1900 to 2999 only"),
            ("31/03/0", "'31/03/0' has a 1-digit year: write it as 24 or 2024"),
            ("31/03/202", "'31/03/202' has a 3-digit year: write it as 24 or 2024"),
            ("31-03-24", "'31-03-24' is ambiguous: with dashes give the year in full (31-03-2024) or write 31/03/24"),
            ("2024/03/31", "'2024/03/31' puts the year first: write 2024-03-31 or 31/03/2024"),
            ("March 31 2024", "'March 31 2024' puts the month first: write the day first, as 31 March 2024"),
            ("Mar 31", "'Mar 31' puts the month first: write the day first, as 31 March 2024"),
        ];
        for (input, want) in cases {
            assert_eq!(parse_due(input, today), Err(want.to_string()), "{input}");
        }
        for junk in ["31/03/2024/1", "1/2/3/4", "31//2024", "/3/24", "31/03/", "31 Smarch 2024", "31 March 2024 9am"] {
            let e = parse_due(junk, today).unwrap_err();
            assert!(e.contains("not a date I understand") && e.contains("31/03/2024, 31/3/24"), "{junk}: {e}");
        }
        // Relative forms are held to the same years as written ones.
        assert!(parse_due("+3650m", d("2999-01-01")).unwrap_err().contains("1900 to 2999"));
    }

    #[test]
    fn errors_list_the_accepted_forms() {
        let e = parse_due("someday", d("2023-11-14")).unwrap_err();
        for form in ["31/03/2024", "31/3/24", "31 Mar 2024", "31 March", "2024-03-31", "+2w", "end of march"] {
            assert!(e.contains(form), "{form} in {e}");
        }
    }

    #[test]
    fn a_meeting_day_needs_its_year() {
        assert_eq!(parse_day("14/11/2023").unwrap().to_string(), "2023-11-14");
        assert_eq!(parse_day("14 Nov 23").unwrap().to_string(), "2023-11-14");
        assert_eq!(parse_day("2023-11-14").unwrap().to_string(), "2023-11-14");
        assert_eq!(parse_day("14 Nov").unwrap_err(), "'14 Nov' needs its year, as 14/11/2023 or 14 Nov 2023");
        assert!(parse_day("31/02/2024").unwrap_err().contains("February 2024 has 29 days"));
        assert!(parse_day("next week").unwrap_err().contains("not a date I understand"));
    }
}
