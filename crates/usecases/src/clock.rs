//! The program's one clock.
//!
//! Instants (timestamps of events, sessions, audit entries) are UTC. Dates a person reads —
//! "today", the day an application was received, a deadline, the month of a calculation, the
//! budget year — are Norwegian dates: the calendar day in Europe/Oslo, with its summer time. A
//! server whose system clock is UTC would otherwise date everything between midnight and 01:00
//! (02:00 in summer) Oslo time to the day before.

use husly_domain::rules::YearMonth;
use jiff::tz::TimeZone;
use std::sync::LazyLock;
use time::{Date, Duration, Month, OffsetDateTime};

/// The zone of every date Husly writes: Norway's, from the time-zone database bundled into the
/// program (the server's own may be missing or old).
static OSLO: LazyLock<Option<TimeZone>> = LazyLock::new(|| TimeZone::get("Europe/Oslo").ok());

/// The calendar date in Norway at an instant.
pub fn oslo_date(at: OffsetDateTime) -> Date {
    let civil = OSLO.as_ref().and_then(|zone| {
        let instant = jiff::Timestamp::from_second(at.unix_timestamp()).ok()?;
        let date = zone.to_datetime(instant).date();
        let month = Month::try_from(u8::try_from(date.month()).ok()?).ok()?;
        Date::from_calendar_date(i32::from(date.year()), month, u8::try_from(date.day()).ok()?).ok()
    });
    // Only an instant outside years 1–9999 has no Norwegian date; it keeps its UTC one.
    civil.unwrap_or_else(|| at.date())
}

/// The time now, from the system or, for tests and training installations, started at a chosen
/// instant and running on from there.
#[derive(Debug, Clone, Copy, Default)]
pub struct Clock {
    shift: Duration,
}

impl Clock {
    /// The system's clock.
    pub fn system() -> Clock {
        Clock::default()
    }

    /// A clock that reads `at` now and runs on at the normal pace.
    pub fn starting_at(at: OffsetDateTime) -> Clock {
        Clock {
            shift: at - OffsetDateTime::now_utc(),
        }
    }

    pub fn now(&self) -> OffsetDateTime {
        OffsetDateTime::now_utc() + self.shift
    }

    /// Today's date in Norway.
    pub fn today(&self) -> Date {
        oslo_date(self.now())
    }

    /// This month in Norway.
    pub fn this_month(&self) -> YearMonth {
        YearMonth::of(self.today())
    }

    /// This year in Norway.
    pub fn this_year(&self) -> i32 {
        self.today().year()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    /// (instant, Norwegian date): half an hour either side of midnight Oslo time, in winter
    /// (UTC+1) and summer (UTC+2), around the changes to and from summer time, a month's end and
    /// New Year. A fixed offset gets at least one of them wrong.
    #[test]
    fn the_date_is_the_date_in_norway() {
        let cases = [
            // New Year: 23:30 and 00:30 Oslo time (UTC+1).
            (datetime!(2026-12-31 22:30 UTC), "2026-12-31"),
            (datetime!(2026-12-31 23:30 UTC), "2027-01-01"),
            // A month's end in summer time (UTC+2): 23:30 and 00:30.
            (datetime!(2026-06-30 21:30 UTC), "2026-06-30"),
            (datetime!(2026-06-30 22:30 UTC), "2026-07-01"),
            // Summer time begins on Sunday 29 March 2026 at 02:00: that night is still UTC+1 ...
            (datetime!(2026-03-28 22:30 UTC), "2026-03-28"),
            (datetime!(2026-03-28 23:30 UTC), "2026-03-29"),
            // ... and the next night is UTC+2.
            (datetime!(2026-03-29 21:30 UTC), "2026-03-29"),
            (datetime!(2026-03-29 22:30 UTC), "2026-03-30"),
            // Summer time ends on Sunday 25 October 2026 at 03:00: that night is UTC+2 ...
            (datetime!(2026-10-24 21:30 UTC), "2026-10-24"),
            (datetime!(2026-10-24 22:30 UTC), "2026-10-25"),
            // ... and the next night UTC+1 again.
            (datetime!(2026-10-25 22:30 UTC), "2026-10-25"),
            (datetime!(2026-10-25 23:30 UTC), "2026-10-26"),
            // A leap day's end (2028): 23:30 and 00:30.
            (datetime!(2028-02-29 22:30 UTC), "2028-02-29"),
            (datetime!(2028-02-29 23:30 UTC), "2028-03-01"),
        ];
        for (instant, expected) in cases {
            assert_eq!(oslo_date(instant).to_string(), expected, "at {instant}");
        }
    }

    #[test]
    fn a_clock_started_at_an_instant_reads_it_and_runs_on() {
        let clock = Clock::starting_at(datetime!(2026-12-31 23:30 UTC));
        assert_eq!(clock.today().to_string(), "2027-01-01");
        assert_eq!(clock.this_year(), 2027);
        assert_eq!(clock.this_month().to_string(), "2027-01");
        let elapsed = clock.now() - datetime!(2026-12-31 23:30 UTC);
        assert!(elapsed >= Duration::ZERO && elapsed < Duration::minutes(5), "{elapsed}");
    }
}
