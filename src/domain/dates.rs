//! Due dates: strict `YYYY-MM-DD`, plus the friendly forms a minute-taker
//! types mid-meeting (`+2w`, `+10d`, `+1m`, `today`, `tomorrow`,
//! `end of march`, `end of month`, `end of next month`). "Today" can be fixed
//! with `QPRM_TODAY=YYYY-MM-DD` so overdue status is reproducible in tests.

use chrono::{Datelike, Days, Months, NaiveDate};

/// Strict ISO date, as packs and `--due` in scripts use.
pub fn parse_iso(s: &str) -> Result<NaiveDate, String> {
    let ok_shape = s.len() == 10
        && s.bytes().enumerate().all(|(i, c)| if i == 4 || i == 7 { c == b'-' } else { c.is_ascii_digit() });
    if !ok_shape {
        return Err(format!("'{}' is not a date: expected YYYY-MM-DD", super::sanitize::clean(s)));
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| format!("'{s}' is not a real calendar date"))
}

/// Today's date: `QPRM_TODAY` if set and valid, else the local date.
pub fn today() -> NaiveDate {
    std::env::var("QPRM_TODAY")
        .ok()
        .and_then(|s| parse_iso(&s).ok())
        .unwrap_or_else(|| chrono::Local::now().date_naive())
}

const MONTHS: [&str; 12] = [
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

/// Accepts an ISO date or a friendly form, relative to `today`.
pub fn parse_due(input: &str, today: NaiveDate) -> Result<NaiveDate, String> {
    let s = input.trim().to_lowercase();
    if s.is_empty() {
        return Err("a due date is needed, e.g. 2024-03-31, +2w or end of march".into());
    }
    if s.as_bytes()[0].is_ascii_digit() {
        return parse_iso(&s);
    }
    let unknown = || {
        format!(
            "'{}' is not a date I understand: use YYYY-MM-DD, +3d, +2w, +1m, today, tomorrow or end of <month>",
            super::sanitize::clean(input.trim())
        )
    };
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
        let idx =
            MONTHS.iter().position(|m| *m == name || (name.len() >= 3 && m.starts_with(name))).ok_or_else(unknown)?;
        let month = idx as u32 + 1;
        // "End of March" means the next March that has not ended yet.
        let year = if month < today.month() { today.year() + 1 } else { today.year() };
        return end_of_month(year, month).ok_or_else(unknown);
    }
    Err(unknown())
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
}
