//! Mod-11 check digits and the individnummer century series.

use super::CheckDigitRule;

/// The eleven digits of a number, each 0–9.
pub(super) type Digits = [u8; 11];

/// k1 weights (digits 1–9).
const K1_WEIGHTS: [u32; 9] = [3, 7, 6, 1, 8, 9, 4, 5, 2];
/// k2 weights (digits 1–10, i.e. including k1).
const K2_WEIGHTS: [u32; 10] = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2];

/// `Σ w·d mod 11`; `zip` stops at the shorter side, so any prefix length is safe.
fn weighted_mod11(digits: &[u8], weights: &[u32]) -> u32 {
    let sum: u32 = digits.iter().zip(weights).map(|(&d, &w)| u32::from(d) * w).sum();
    sum % 11
}

/// `(Σ w·d + k) mod 11` for a check digit `k` over `prefix`.
fn remainder(prefix: &[u8], weights: &[u32], check: u8) -> u32 {
    (weighted_mod11(prefix, weights) + u32::from(check)) % 11
}

/// Which rule the first check digit satisfies, if any.
pub(super) fn first_check_rule(d: &Digits) -> Option<CheckDigitRule> {
    let [prefix @ .., k1, _] = *d;
    match remainder(&prefix, &K1_WEIGHTS, k1) {
        0 => Some(CheckDigitRule::Classic),
        1..=3 => Some(CheckDigitRule::From2032),
        _ => None,
    }
}

/// The second check digit has a single rule: remainder 0.
pub(super) fn second_check_ok(d: &Digits) -> bool {
    let [prefix @ .., k2] = *d;
    remainder(&prefix, &K2_WEIGHTS, k2) == 0
}

/// The digit `k` that gives `(Σ w·d + k) mod 11 == target`: 0–10, where 10 means "none".
fn raw_digit(prefix: &[u8], weights: &[u32], target: u32) -> u8 {
    // Below 11, so the narrowing is lossless.
    ((target % 11 + 11 - weighted_mod11(prefix, weights)) % 11) as u8
}

fn digit_for_remainder(prefix: &[u8], weights: &[u32], target: u32) -> Option<u8> {
    Some(raw_digit(prefix, weights, target)).filter(|&k| k < 10)
}

fn append_k1(prefix: [u8; 9], k1: u8) -> [u8; 10] {
    let [a, b, c, d, e, f, g, h, i] = prefix;
    [a, b, c, d, e, f, g, h, i, k1]
}

fn append_k2(first_ten: [u8; 10], k2: u8) -> Digits {
    let [a, b, c, d, e, f, g, h, i, k1] = first_ten;
    [a, b, c, d, e, f, g, h, i, k1, k2]
}

/// Appends k1 (with the given k1 remainder: 0 classic, 1–3 the 2032 rule) and k2 to the
/// first nine digits, or `None` when either check digit would have to be 10.
pub(super) fn with_check_digits(prefix: [u8; 9], k1_remainder: u32) -> Option<Digits> {
    let first_ten = append_k1(prefix, digit_for_remainder(&prefix, &K1_WEIGHTS, k1_remainder)?);
    let k2 = digit_for_remainder(&first_ten, &K2_WEIGHTS, 0)?;
    Some(append_k2(first_ten, k2))
}

/// Check digits that always exist, so generators need neither `Option` nor a panic.
///
/// With the 2032 rule k1 may have remainder 0–3. At most one remainder gives k1 = 10, and
/// distinct k1 give distinct k2 (k1's weight 2 is invertible mod 11), so at most one more
/// gives k2 = 10. Of the remainders 0, 1 and 2 at least one therefore works: if 0 and 1
/// fail, 2 succeeds. `check_digits_exist_for_every_residue_pair` verifies this exhaustively.
pub(super) fn with_any_check_digits(prefix: [u8; 9]) -> Digits {
    with_check_digits(prefix, 0)
        .or_else(|| with_check_digits(prefix, 1))
        .unwrap_or_else(|| {
            let first_ten = append_k1(prefix, raw_digit(&prefix, &K1_WEIGHTS, 2));
            append_k2(first_ten, raw_digit(&first_ten, &K2_WEIGHTS, 0))
        })
}

/// The century from the individnummer series (the standard pre-2032 algorithm).
/// `None` when the individnummer is outside every series for that two-digit year.
pub(super) fn century(individual: u16, yy: u8) -> Option<i32> {
    match (individual, yy) {
        (0..=499, _) => Some(1900),
        (500..=749, 54..) => Some(1800),
        (500..=999, ..=39) => Some(2000),
        (900..=999, 40..) => Some(1900),
        _ => None,
    }
}

/// The individnummer ranges for a birth year, in which [`century`] recovers that year.
/// `None` before 1854 and after 2039, where no series exists.
pub(super) fn series(year: i32) -> Option<&'static [(u16, u16)]> {
    match year {
        1854..=1899 => Some(&[(500, 749)]),
        1900..=1939 => Some(&[(0, 499)]),
        1940..=1999 => Some(&[(0, 499), (900, 999)]),
        2000..=2039 => Some(&[(500, 999)]),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn digits(s: &str) -> Digits {
        let mut d = [0; 11];
        for (slot, b) in d.iter_mut().zip(s.bytes()) {
            *slot = b - b'0';
        }
        d
    }

    #[test]
    fn skatteetaten_example_2032() {
        // From nyttfnr2032.md: born 02.01.2032, individnummer 999.
        // k1 = 11 - (0·3+2·7+0·6+1·1+3·8+2·9+9·4+9·5+9·2 = 156; 156 mod 11 = 2) = 9
        // k2 = 11 - (0·5+2·4+0·3+1·2+3·7+2·6+9·5+9·4+9·3+9·2 = 169; 169 mod 11 = 4) = 7
        let d = digits("02013299997");
        assert_eq!(first_check_rule(&d), Some(CheckDigitRule::Classic));
        assert!(second_check_ok(&d));
        assert_eq!(with_check_digits([0, 2, 0, 1, 3, 2, 9, 9, 9], 0), Some(d));
    }

    #[test]
    fn remainders_one_to_three_are_the_2032_rule() {
        // Same prefix, remainder (156 + k1) mod 11: k1 = 9 → 0 (classic), k1 = 0 → 2 and
        // k1 = 1 → 3 (2032 rule), k1 = 2 → 4 and k1 = 8 → 10 (invalid). Remainder 1 would
        // need k1 = 10, so this prefix has only three valid k1.
        for (k1, expected) in [
            (9, Some(CheckDigitRule::Classic)),
            (0, Some(CheckDigitRule::From2032)),
            (1, Some(CheckDigitRule::From2032)),
            (2, None),
            (3, None),
            (8, None),
        ] {
            let mut d = digits("02013299900");
            d[9] = k1;
            assert_eq!(first_check_rule(&d), expected, "k1 = {k1}");
        }
    }

    #[test]
    fn check_digits_exist_for_every_residue_pair() {
        // The check digits depend on the first nine digits only through
        // (Σ k1-weights mod 11, Σ k2-weights mod 11). Walk prefixes until all 121 pairs have
        // been seen, and check that `with_any_check_digits` is valid for each.
        let mut seen = std::collections::HashSet::new();
        for date in ["010100", "290200", "311299", "150654", "010139"] {
            for individual in 0..1000u16 {
                let mut prefix = [0u8; 9];
                for (slot, b) in prefix.iter_mut().zip(date.bytes()) {
                    *slot = b - b'0';
                }
                prefix[6] = (individual / 100) as u8;
                prefix[7] = (individual / 10 % 10) as u8;
                prefix[8] = (individual % 10) as u8;
                seen.insert((
                    weighted_mod11(&prefix, &K1_WEIGHTS),
                    weighted_mod11(&prefix, &K2_WEIGHTS),
                ));
                let d = with_any_check_digits(prefix);
                assert!(d.iter().all(|&x| x < 10), "{d:?}");
                assert!(first_check_rule(&d).is_some() && second_check_ok(&d), "{d:?}");
            }
        }
        assert_eq!(seen.len(), 121);
    }

    #[test]
    fn century_series() {
        assert_eq!(century(0, 0), Some(1900));
        assert_eq!(century(499, 99), Some(1900));
        assert_eq!(century(500, 54), Some(1800));
        assert_eq!(century(749, 99), Some(1800));
        assert_eq!(century(500, 39), Some(2000));
        assert_eq!(century(999, 0), Some(2000));
        assert_eq!(century(900, 40), Some(1900));
        assert_eq!(century(750, 40), None);
        assert_eq!(century(600, 45), None);
    }

    #[test]
    fn every_series_year_round_trips_its_century() {
        for year in 1854..=2039 {
            let yy = (year % 100) as u8;
            for &(lo, hi) in series(year).expect("series") {
                for individual in lo..=hi {
                    assert_eq!(century(individual, yy).map(|c| c + i32::from(yy)), Some(year));
                }
            }
        }
        assert_eq!(series(1853), None);
        assert_eq!(series(2040), None);
    }
}
