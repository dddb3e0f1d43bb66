//! The program's one clock.
//!
//! Instants (timestamps of events, sessions, audit entries) are UTC. Dates a person reads —
//! "today", the day an application was received, a deadline, the month of a calculation, the
//! budget year — are Norwegian dates: the calendar day in Europe/Oslo, with its summer time. A
//! server whose system clock is UTC would otherwise date everything between midnight and 01:00
//! (02:00 in summer) Oslo time to the day before. The conversion is the domain's
//! ([`husly_domain::oslo`]); reading the system's time is this module's.

use husly_domain::oslo;
use husly_domain::rules::YearMonth;
use time::{Date, Duration, OffsetDateTime};

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
        oslo::date_at(self.now())
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
