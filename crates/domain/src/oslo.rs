//! Norway's time: the calendar day and the wall-clock offset in Europe/Oslo at an instant, and
//! the instant a Norwegian day begins. Summer time follows the time-zone database bundled into the
//! program (jiff), not a rule written here. Pure conversions; reading the clock is the caller's.

use jiff::tz::TimeZone;
use std::sync::LazyLock;
use time::{Date, OffsetDateTime, UtcOffset};

/// `None` only if the bundled database lacked the zone, which its own test would show.
static OSLO: LazyLock<Option<TimeZone>> = LazyLock::new(|| TimeZone::get("Europe/Oslo").ok());

fn timestamp(at: OffsetDateTime) -> Option<jiff::Timestamp> {
    jiff::Timestamp::from_second(at.unix_timestamp()).ok()
}

/// Norway's offset from UTC at an instant: +1 in winter, +2 in summer.
pub fn offset_at(at: OffsetDateTime) -> UtcOffset {
    OSLO.as_ref()
        .zip(timestamp(at))
        .and_then(|(zone, instant)| UtcOffset::from_whole_seconds(zone.to_offset(instant).seconds()).ok())
        // Only an instant outside years 1–9999 has no Norwegian offset.
        .unwrap_or(UtcOffset::UTC)
}

/// The calendar date in Norway at an instant.
pub fn date_at(at: OffsetDateTime) -> Date {
    at.to_offset(offset_at(at)).date()
}

/// The instant a Norwegian day begins (midnight in Oslo).
pub fn start_of_day(date: Date) -> OffsetDateTime {
    let naive = date.midnight().assume_utc();
    let civil = jiff::civil::date(
        i16::try_from(date.year()).unwrap_or(i16::MAX),
        i8::try_from(u8::from(date.month())).unwrap_or(1),
        i8::try_from(date.day()).unwrap_or(1),
    );
    OSLO.as_ref()
        .and_then(|zone| civil.to_zoned(zone.clone()).ok())
        .and_then(|zoned| OffsetDateTime::from_unix_timestamp(zoned.timestamp().as_second()).ok())
        .unwrap_or(naive)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    /// (instant, Norwegian date): half an hour either side of midnight Oslo time, in winter
    /// (UTC+1) and summer (UTC+2), around the changes to and from summer time, a month's end,
    /// a leap day and New Year. A fixed offset gets at least one of them wrong.
    #[test]
    fn the_date_is_the_date_in_norway() {
        let cases = [
            (datetime!(2026-12-31 22:30 UTC), date!(2026 - 12 - 31)),
            (datetime!(2026-12-31 23:30 UTC), date!(2027 - 01 - 01)),
            (datetime!(2026-06-30 21:30 UTC), date!(2026 - 06 - 30)),
            (datetime!(2026-06-30 22:30 UTC), date!(2026 - 07 - 01)),
            // Summer time begins on Sunday 29 March 2026 at 02:00: that night is still UTC+1 ...
            (datetime!(2026-03-28 22:30 UTC), date!(2026 - 03 - 28)),
            (datetime!(2026-03-28 23:30 UTC), date!(2026 - 03 - 29)),
            // ... and the next night is UTC+2.
            (datetime!(2026-03-29 21:30 UTC), date!(2026 - 03 - 29)),
            (datetime!(2026-03-29 22:30 UTC), date!(2026 - 03 - 30)),
            // Summer time ends on Sunday 25 October 2026 at 03:00: that night is UTC+2 ...
            (datetime!(2026-10-24 21:30 UTC), date!(2026 - 10 - 24)),
            (datetime!(2026-10-24 22:30 UTC), date!(2026 - 10 - 25)),
            // ... and the next night UTC+1 again.
            (datetime!(2026-10-25 22:30 UTC), date!(2026 - 10 - 25)),
            (datetime!(2026-10-25 23:30 UTC), date!(2026 - 10 - 26)),
            (datetime!(2028-02-29 22:30 UTC), date!(2028 - 02 - 29)),
            (datetime!(2028-02-29 23:30 UTC), date!(2028 - 03 - 01)),
        ];
        for (instant, expected) in cases {
            assert_eq!(date_at(instant), expected, "at {instant}");
        }
    }

    #[test]
    fn the_offset_changes_at_one_in_the_morning_utc() {
        assert_eq!(offset_at(datetime!(2026-03-29 00:59 UTC)).whole_hours(), 1);
        assert_eq!(offset_at(datetime!(2026-03-29 01:00 UTC)).whole_hours(), 2);
        assert_eq!(offset_at(datetime!(2026-10-25 00:59 UTC)).whole_hours(), 2);
        assert_eq!(offset_at(datetime!(2026-10-25 01:00 UTC)).whole_hours(), 1);
    }

    #[test]
    fn a_day_begins_at_midnight_in_oslo() {
        assert_eq!(start_of_day(date!(2026 - 01 - 15)), datetime!(2026-01-14 23:00 UTC));
        assert_eq!(start_of_day(date!(2026 - 07 - 15)), datetime!(2026-07-14 22:00 UTC));
        // The day summer time begins still starts at UTC+1; the day it ends, at UTC+2.
        assert_eq!(start_of_day(date!(2026 - 03 - 29)), datetime!(2026-03-28 23:00 UTC));
        assert_eq!(start_of_day(date!(2026 - 10 - 25)), datetime!(2026-10-24 22:00 UTC));
    }
}
