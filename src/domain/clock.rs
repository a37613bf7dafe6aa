//! What time it is, as the caller decides: the store and the rules never
//! read the system clock themselves. A command reads the time once at its
//! start (so everything it records and prints agrees), a meeting screen
//! lets it run, and a test fixes it.

use chrono::{DateTime, NaiveDate, Utc};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clock {
    /// Real time, for a screen that stays open while minutes pass. `today`
    /// pins the date (`QPRM_TODAY`) without stopping the time of day.
    Running { today: Option<NaiveDate> },
    /// One moment: a command's start, or a test's.
    Fixed { now: DateTime<Utc>, today: NaiveDate },
}

impl Clock {
    /// The running clock with the date `QPRM_TODAY` pins, if any.
    pub fn running() -> Clock {
        Clock::Running { today: super::dates::pinned_today() }
    }

    /// This moment, held: what a command records and prints.
    pub fn fixed_now() -> Clock {
        Clock::running().held()
    }

    /// The clock stopped at its current reading.
    pub fn held(self) -> Clock {
        Clock::Fixed { now: self.now(), today: self.today() }
    }

    pub fn now(&self) -> DateTime<Utc> {
        match self {
            Clock::Running { .. } => Utc::now(),
            Clock::Fixed { now, .. } => *now,
        }
    }

    /// The date overdue status is judged by (the local date, as people
    /// in the meeting room read a due date).
    pub fn today(&self) -> NaiveDate {
        match self {
            Clock::Running { today } => today.unwrap_or_else(|| chrono::Local::now().date_naive()),
            Clock::Fixed { today, .. } => *today,
        }
    }

    /// `now` as history rows store it: UTC, second precision.
    pub fn stamp(&self) -> String {
        self.now().format("%Y-%m-%dT%H:%M:%SZ").to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn a_fixed_clock_says_the_same_moment_every_time() {
        let at = Utc.with_ymd_and_hms(2023, 11, 14, 10, 0, 5).unwrap();
        let today = NaiveDate::from_ymd_opt(2023, 11, 14).unwrap();
        let c = Clock::Fixed { now: at, today };
        assert_eq!(c.stamp(), "2023-11-14T10:00:05Z");
        assert_eq!(c.stamp(), c.stamp());
        assert_eq!(c.today(), today);
    }

    #[test]
    fn a_running_clock_keeps_a_pinned_date() {
        let pinned = NaiveDate::from_ymd_opt(2024, 3, 31).unwrap();
        let c = Clock::Running { today: Some(pinned) };
        assert_eq!(c.today(), pinned);
        assert_eq!(c.held().today(), pinned);
    }
}
