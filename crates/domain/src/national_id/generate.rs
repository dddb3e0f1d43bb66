//! Synthetic Tenor numbers (month + 80) for seed data, demos and tests: we never use real
//! people's numbers.
//!
//! Generated numbers use the classic check-digit rule and an individnummer from the birth
//! year's century series, so `parse(.., SyntheticPolicy::Allow)` gives
//! `birth_date() == Some(birth)`: once the month offset is removed, a Tenor number is an
//! ordinary classic fødselsnummer, and [`super::ParsedId::birth_date`] is derived for it.

use super::NationalId;
use super::check::{self, Digits};
use time::Date;

/// Every individnummer; only a formal fallback, as [`series_for`] always finds a series.
const ALL_INDIVIDUALS: &[(u16, u16)] = &[(0, 999)];

/// The Tenor number for `birth` with this individnummer.
///
/// `None` when the individnummer is above 999, when it is outside the birth year's century
/// series (the number would not give back its birth date), when the year has no series
/// (before 1854 or after 2039), or when a check digit would be 10. Callers with a seeded
/// RNG can simply try the next individnummer, or use [`synthetic_tenor_next`].
pub fn synthetic_tenor(birth: Date, individual: u16) -> Option<NationalId> {
    let in_series = check::series(birth.year())?
        .iter()
        .any(|&(lo, hi)| (lo..=hi).contains(&individual));
    if !in_series {
        return None;
    }
    classic_digits(birth, individual).map(|d| NationalId::from_digits(&d))
}

/// The first valid Tenor number for `birth`, trying individnumre from `start_individual`
/// and wrapping around within the birth year's series (a start outside the series is
/// mapped into it, so different starts spread over the series).
///
/// For 1854–2039 the result always round-trips its birth date. Other years have no century
/// series: the number is still a valid Tenor number with the right day, month and two-digit
/// year, but `birth_date()` gives the same date in 1940–2039. Never panics: if no classic
/// number existed (it always does; see the tests), a 2032-rule number is returned.
pub fn synthetic_tenor_next(birth: Date, start_individual: u16) -> NationalId {
    let ranges = series_for(birth.year());
    let digits = candidates(ranges, start_individual)
        .find_map(|individual| classic_digits(birth, individual))
        .unwrap_or_else(|| check::with_any_check_digits(prefix(birth, start_individual % 1000)));
    NationalId::from_digits(&digits)
}

/// The birth year's series, or for years without one the series of the year in 1940–2039
/// with the same last two digits. That year has 29 February exactly when the real year
/// does (2000 is a leap year), so the generated number always parses.
fn series_for(year: i32) -> &'static [(u16, u16)] {
    let yy = year.rem_euclid(100);
    let stand_in = if yy < 40 { 2000 + yy } else { 1900 + yy };
    check::series(year)
        .or_else(|| check::series(stand_in))
        .unwrap_or(ALL_INDIVIDUALS)
}

/// Every individnummer in `ranges` once, starting at `start` (or at `start` modulo the
/// series size when it lies outside) and wrapping around.
fn candidates(ranges: &'static [(u16, u16)], start: u16) -> impl Iterator<Item = u16> {
    let all = move || ranges.iter().flat_map(|&(lo, hi)| lo..=hi);
    let len = all().count();
    let skip = all()
        .position(|i| i == start)
        .unwrap_or_else(|| usize::from(start) % len.max(1));
    all().skip(skip).chain(all().take(skip))
}

/// The first nine digits: DD, MM + 80, YY, individnummer.
fn prefix(birth: Date, individual: u16) -> [u8; 9] {
    let day = birth.day();
    let month = u8::from(birth.month()) + 80;
    // rem_euclid keeps years before 1 AD (allowed by `time`) within 0–99.
    let yy = birth.year().rem_euclid(100) as u8;
    let hundreds = (individual / 100 % 10) as u8;
    let tens = (individual / 10 % 10) as u8;
    let ones = (individual % 10) as u8;
    [
        day / 10,
        day % 10,
        month / 10,
        month % 10,
        yy / 10,
        yy % 10,
        hundreds,
        tens,
        ones,
    ]
}

fn classic_digits(birth: Date, individual: u16) -> Option<Digits> {
    if individual > 999 {
        return None;
    }
    check::with_check_digits(prefix(birth, individual), 0)
}

#[cfg(test)]
mod tests {
    use super::super::{CheckDigitRule, SyntheticKind, SyntheticPolicy, parse};
    use super::*;
    use time::macros::date;

    #[test]
    fn known_values() {
        // 01.01.2030 → 018130; individnummer 500.
        // k1: 0·3+1·7+8·6+1·1+3·8+0·9+5·4+0·5+0·2 = 100; 100 mod 11 = 1; k1 = 11−1 = 10 → none.
        assert_eq!(synthetic_tenor(date!(2030 - 01 - 01), 500), None);
        // individnummer 501: sum 102; 102 mod 11 = 3; k1 = 8.
        // k2: 0·5+1·4+8·3+1·2+3·7+0·6+5·5+0·4+1·3+8·2 = 95; 95 mod 11 = 7; k2 = 4.
        let id = synthetic_tenor(date!(2030 - 01 - 01), 501).expect("valid");
        assert_eq!(id.as_str(), "01813050184");
        // `next` skips the check digit 10 at 500 and lands on 501.
        assert_eq!(synthetic_tenor_next(date!(2030 - 01 - 01), 500), id);
    }

    #[test]
    fn refuses_what_would_not_round_trip() {
        assert_eq!(synthetic_tenor(date!(2030 - 01 - 01), 499), None, "1900s series");
        assert_eq!(synthetic_tenor(date!(2030 - 01 - 01), 1000), None);
        assert_eq!(synthetic_tenor(date!(1850 - 06 - 01), 600), None, "no series");
        assert_eq!(synthetic_tenor(date!(2040 - 06 - 01), 600), None, "no series");
    }

    #[test]
    fn start_outside_series_is_mapped_into_it() {
        // 2000s series is 500–999: start 123 maps to index 123, i.e. individnummer 623+.
        let id = synthetic_tenor_next(date!(2005 - 05 - 17), 123);
        let individual: u16 = id.as_str()[6..9].parse().expect("digits");
        assert!((623..=999).contains(&individual), "{individual}");
        // A start past the end wraps within the series.
        let id = synthetic_tenor_next(date!(2005 - 05 - 17), 65535);
        let individual: u16 = id.as_str()[6..9].parse().expect("digits");
        assert!((500..=999).contains(&individual), "{individual}");
    }

    #[test]
    fn every_date_in_the_series_years_has_a_number_that_round_trips() {
        // Exhaustive: proves the 2032-rule fallback is never needed for 1854–2039.
        let mut day = date!(1854 - 01 - 01);
        while day <= date!(2039 - 12 - 31) {
            let id = synthetic_tenor_next(day, 0);
            let parsed = parse(id.as_str(), SyntheticPolicy::Allow).expect("valid");
            assert_eq!(parsed.rule, CheckDigitRule::Classic);
            assert_eq!(parsed.synthetic, Some(SyntheticKind::Tenor));
            assert_eq!(parsed.birth_date(), Some(day), "{id}");
            match day.next_day() {
                Some(next) => day = next,
                None => break,
            }
        }
    }

    #[test]
    fn years_without_series_still_give_valid_numbers() {
        // 1600 and 2400 are leap years ending in 00, like 2000 but unlike 1900.
        for birth in [
            date!(1600 - 02 - 29),
            date!(2400 - 02 - 29),
            date!(1804 - 02 - 29),
            date!(2099 - 12 - 31),
            date!(1000 - 01 - 01),
        ] {
            for start in [0, 7, 499, 500, 999, u16::MAX] {
                let id = synthetic_tenor_next(birth, start);
                let parsed = parse(id.as_str(), SyntheticPolicy::Allow).expect("valid");
                assert_eq!(parsed.day_month(), (birth.day(), u8::from(birth.month())));
                let stand_in = parsed.birth_date().expect("stand-in century");
                assert_eq!(stand_in.year().rem_euclid(100), birth.year().rem_euclid(100));
            }
        }
    }
}
