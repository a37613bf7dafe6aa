//! A reporting period: one calendar month, written `YYYY-MM`.

use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Period {
    year: i32,
    month: u32,
}

impl Period {
    pub fn new(year: i32, month: u32) -> Option<Self> {
        ((1900..=2999).contains(&year) && (1..=12).contains(&month)).then_some(Period { year, month })
    }

    pub fn year(self) -> i32 {
        self.year
    }

    pub fn month(self) -> u32 {
        self.month
    }

    pub fn next(self) -> Self {
        if self.month == 12 {
            Period { year: self.year + 1, month: 1 }
        } else {
            Period { year: self.year, month: self.month + 1 }
        }
    }

    pub fn prev(self) -> Self {
        if self.month == 1 {
            Period { year: self.year - 1, month: 12 }
        } else {
            Period { year: self.year, month: self.month - 1 }
        }
    }

    pub fn of_date(date: chrono::NaiveDate) -> Self {
        use chrono::Datelike;
        Period { year: date.year(), month: date.month() }
    }
}

impl FromStr for Period {
    type Err = String;

    /// Strict `YYYY-MM`: exactly four digits, a dash, two digits.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || format!("'{}' is not a period: expected YYYY-MM, e.g. 2023-07", super::sanitize::clean(s));
        let b = s.as_bytes();
        if b.len() != 7 || b[4] != b'-' || !b.iter().enumerate().all(|(i, c)| i == 4 || c.is_ascii_digit()) {
            return Err(bad());
        }
        let year: i32 = s[..4].parse().map_err(|_| bad())?;
        let month: u32 = s[5..].parse().map_err(|_| bad())?;
        Period::new(year, month).ok_or_else(bad)
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints() {
        let p: Period = "2023-07".parse().unwrap();
        assert_eq!(p.to_string(), "2023-07");
        assert_eq!(p.next().to_string(), "2023-08");
        assert_eq!("2023-12".parse::<Period>().unwrap().next().to_string(), "2024-01");
        assert_eq!("2024-01".parse::<Period>().unwrap().prev().to_string(), "2023-12");
    }

    #[test]
    fn rejects_malformed() {
        for bad in ["2023-7", "2023-13", "2023-00", "23-07", "2023/07", "2023-07-01", "", "abcd-ef", "0000-01"] {
            assert!(bad.parse::<Period>().is_err(), "{bad} should be rejected");
        }
    }
}
