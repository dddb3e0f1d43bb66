//! Property tests for parsing and generation.

use super::check::{self, Digits};
use super::*;
use proptest::prelude::*;
use time::Date;
use time::macros::date;

const POLICIES: [SyntheticPolicy; 2] = [SyntheticPolicy::Allow, SyntheticPolicy::Reject];

/// Any date in `from..=to`.
fn date_between(from: Date, to: Date) -> impl Strategy<Value = Date> {
    (from.to_julian_day()..=to.to_julian_day()).prop_map(move |day| Date::from_julian_day(day).unwrap_or(from))
}

/// A valid number: a Tenor number from the generator, or a real-shaped number for any date
/// 1854–2039 with either check-digit rule (k1 remainder 0–3).
fn valid_digits() -> impl Strategy<Value = Digits> {
    let tenor = (date_between(date!(1854 - 01 - 01), date!(2039 - 12 - 31)), any::<u16>())
        .prop_map(|(birth, start)| to_digits(synthetic_tenor_next(birth, start).as_str()));
    let any_rule = (
        date_between(date!(1854 - 01 - 01), date!(2039 - 12 - 31)),
        0..=999u16,
        0..=3u32,
        any::<bool>(),
    )
        .prop_filter_map("check digit 10", |(birth, individual, remainder, d_number)| {
            let day = birth.day() + if d_number { 40 } else { 0 };
            let month = u8::from(birth.month());
            let yy = (birth.year() % 100) as u8;
            let [h, t, o] = [individual / 100, individual / 10 % 10, individual % 10].map(|x| x as u8);
            let prefix = [day / 10, day % 10, month / 10, month % 10, yy / 10, yy % 10, h, t, o];
            check::with_check_digits(prefix, remainder)
        })
        // 29 February in 1900 etc. is refused by design; keep only numbers that parse.
        .prop_filter("valid date for its century", |d| {
            parse(&to_string(d), SyntheticPolicy::Allow).is_ok()
        });
    prop_oneof![tenor, any_rule]
}

fn to_digits(s: &str) -> Digits {
    let mut d = [0; 11];
    for (slot, b) in d.iter_mut().zip(s.bytes()) {
        *slot = b.wrapping_sub(b'0');
    }
    d
}

fn to_string(d: &Digits) -> String {
    d.iter().map(|&x| char::from(b'0' + x)).collect()
}

/// A run of 0–3 separator characters, as people type them between digit groups.
fn separator_run() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop::sample::select(vec![' ', '-', '.', '\u{a0}', '\t', '\u{2013}']),
        0..=3,
    )
    .prop_map(|chars| chars.into_iter().collect())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// (1) Arbitrary Unicode never panics (and never yields a non-digit id).
    #[test]
    fn parse_never_panics(input in any::<String>()) {
        for policy in POLICIES {
            if let Ok(parsed) = parse(&input, policy) {
                prop_assert!(parsed.id.as_str().bytes().all(|b| b.is_ascii_digit()));
            }
        }
    }

    /// (1b) Near-misses: digits, separators and a few odd characters in any mix.
    #[test]
    fn parse_never_panics_on_near_misses(input in "[0-9 .\\-\u{a0}x😀\u{300}]{0,80}") {
        for policy in POLICIES {
            let _ = parse(&input, policy);
        }
    }

    /// (2) Every generated Tenor number parses and gives back its birth date.
    #[test]
    fn generated_tenor_numbers_round_trip(
        birth in date_between(date!(1900 - 01 - 01), date!(2039 - 12 - 31)),
        start in any::<u16>(),
    ) {
        let id = synthetic_tenor_next(birth, start);
        let parsed = parse(id.as_str(), SyntheticPolicy::Allow);
        let parsed = parsed.map_err(|e| TestCaseError::fail(format!("{id}: {e}")))?;
        prop_assert_eq!(parsed.synthetic, Some(SyntheticKind::Tenor));
        prop_assert_eq!(parsed.kind, IdKind::Fodselsnummer);
        prop_assert_eq!(parsed.birth_date(), Some(birth));
        prop_assert_eq!(&parsed.id, &id);
        prop_assert_eq!(
            parse(id.as_str(), SyntheticPolicy::Reject),
            Err(IdError::SyntheticNotAllowed { kind: SyntheticKind::Tenor })
        );
        if let Some(direct) = synthetic_tenor(birth, start) {
            prop_assert_eq!(direct, id);
        }
    }

    /// (3) Changing any single digit of a valid number makes it invalid.
    ///
    /// Classic mod 11 detects every single-digit error because every weight is non-zero
    /// mod 11 and 11 is prime. With the 2032 rule, k1 accepts four remainders, so a change
    /// in digits 1–9 can still pass k1. But k2 still demands remainder 0 and weighs all of
    /// digits 1–10 (weights 5 4 3 2 7 6 5 4 3 2) plus itself (weight 1), so the k2 check
    /// alone fails for every single-digit change. That is the property asserted.
    #[test]
    fn single_digit_changes_are_detected(
        digits in valid_digits(),
        position in 0..11usize,
        delta in 1..=9u8,
    ) {
        let mut changed = digits;
        if let Some(d) = changed.get_mut(position) {
            *d = (*d + delta) % 10;
        }
        prop_assert!(!check::second_check_ok(&changed));
        prop_assert!(parse(&to_string(&changed), SyntheticPolicy::Allow).is_err());
    }

    /// (4) Separators between digits never change the result, valid or not.
    #[test]
    fn separators_do_not_change_the_result(
        digits in prop_oneof![
            valid_digits().prop_map(|d| to_string(&d)),
            "[0-9]{1,15}",
        ],
        runs in proptest::collection::vec(separator_run(), 14),
        leading in "[ \t]{0,2}",
        trailing in "[ \t\n]{0,2}",
    ) {
        let mut typed = leading;
        for (i, ch) in digits.chars().enumerate() {
            if i > 0 {
                typed.push_str(runs.get(i - 1).map_or("", String::as_str));
            }
            typed.push(ch);
        }
        typed.push_str(&trailing);
        for policy in POLICIES {
            prop_assert_eq!(parse(&typed, policy), parse(&digits, policy), "{:?}", typed);
        }
    }
}
