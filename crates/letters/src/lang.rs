//! Language data that is not a sentence: month names and counted weeks.

use time::Date;

use crate::Language;

pub(crate) const MONTHS_NO: [&str; 12] = [
    "januar",
    "februar",
    "mars",
    "april",
    "mai",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "desember",
];
pub(crate) const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// "4. februar 2026" (bokmål and nynorsk alike), "4 February 2026".
pub(crate) fn long_date(language: Language, date: Date) -> String {
    let month = usize::from(u8::from(date.month())) - 1;
    match language {
        Language::Nb | Language::Nn => format!("{}. {} {}", date.day(), MONTHS_NO[month], date.year()),
        Language::En => format!("{} {} {}", date.day(), MONTHS_EN[month], date.year()),
    }
}

/// "én gang", "éin gong", "once"; "to ganger", "to gonger", "twice": how many times, small
/// numbers in words.
pub(crate) fn times(language: Language, count: u32) -> String {
    let word = |words: &[&str; 11]| match count {
        2..=12 => words[count as usize - 2].to_owned(),
        _ => count.to_string(),
    };
    match (language, count) {
        (Language::Nb, 1) => "én gang".to_owned(),
        (Language::Nn, 1) => "éin gong".to_owned(),
        (Language::En, 1) => "once".to_owned(),
        (Language::En, 2) => "twice".to_owned(),
        (Language::Nb, _) => format!("{} ganger", word(&NUMBERS_NO)),
        (Language::Nn, _) => format!("{} gonger", word(&NUMBERS_NO)),
        (Language::En, _) => format!("{} times", word(&NUMBERS_EN)),
    }
}

const NUMBERS_NO: [&str; 11] = [
    "to", "tre", "fire", "fem", "seks", "sju", "åtte", "ni", "ti", "elleve", "tolv",
];
const NUMBERS_EN: [&str; 11] = [
    "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
];

/// An amount in øre as a letter writes it: "9 850 kroner" (bokmål and nynorsk), "NOK 9 850"
/// (English), thousands apart with no-break spaces and øre only when there are some
/// ("9 850,50 kroner", "NOK 9 850.50").
pub(crate) fn kroner(language: Language, ore: i64) -> String {
    let (kr, rest) = (ore.unsigned_abs() / 100, ore.unsigned_abs() % 100);
    let digits = kr.to_string();
    let mut grouped = String::with_capacity(digits.len() + 4);
    for (at, digit) in digits.chars().enumerate() {
        if at > 0 && (digits.len() - at).is_multiple_of(3) {
            grouped.push('\u{a0}');
        }
        grouped.push(digit);
    }
    let sign = if ore < 0 { "−" } else { "" };
    match (language, rest) {
        (Language::Nb | Language::Nn, 0) => format!("{sign}{grouped}\u{a0}kroner"),
        (Language::Nb | Language::Nn, _) => format!("{sign}{grouped},{rest:02}\u{a0}kroner"),
        (Language::En, 0) => format!("{sign}NOK\u{a0}{grouped}"),
        (Language::En, _) => format!("{sign}NOK\u{a0}{grouped}.{rest:02}"),
    }
}

/// "tre uker", "tre veker", "three weeks": letters write small numbers in words.
pub(crate) fn weeks(language: Language, count: u8) -> String {
    let word = |words: &[&str; 11]| match count {
        2..=12 => words[usize::from(count) - 2].to_owned(),
        _ => count.to_string(),
    };
    match (language, count) {
        (Language::Nb, 1) => "én uke".to_owned(),
        (Language::Nn, 1) => "éi veke".to_owned(),
        (Language::En, 1) => "one week".to_owned(),
        (Language::Nb, _) => format!("{} uker", word(&NUMBERS_NO)),
        (Language::Nn, _) => format!("{} veker", word(&NUMBERS_NO)),
        (Language::En, _) => format!("{} weeks", word(&NUMBERS_EN)),
    }
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    #[test]
    fn dates_read_as_in_a_letter() {
        assert_eq!(long_date(Language::Nb, date!(2026 - 02 - 04)), "4. februar 2026");
        assert_eq!(long_date(Language::Nn, date!(2026 - 12 - 31)), "31. desember 2026");
        assert_eq!(long_date(Language::En, date!(2026 - 05 - 17)), "17 May 2026");
    }

    #[test]
    fn times_are_counted_in_words() {
        assert_eq!(times(Language::Nb, 1), "én gang");
        assert_eq!(times(Language::Nn, 1), "éin gong");
        assert_eq!(times(Language::En, 1), "once");
        assert_eq!(times(Language::Nb, 2), "to ganger");
        assert_eq!(times(Language::Nn, 3), "tre gonger");
        assert_eq!(times(Language::En, 2), "twice");
        assert_eq!(times(Language::En, 3), "three times");
        assert_eq!(times(Language::Nb, 14), "14 ganger");
    }

    #[test]
    fn kroner_are_shown_from_ore() {
        assert_eq!(kroner(Language::Nb, 985_000), "9\u{a0}850\u{a0}kroner");
        assert_eq!(
            kroner(Language::Nn, 1_234_567_850),
            "12\u{a0}345\u{a0}678,50\u{a0}kroner"
        );
        assert_eq!(kroner(Language::En, 985_000), "NOK\u{a0}9\u{a0}850");
        assert_eq!(kroner(Language::En, 985_005), "NOK\u{a0}9\u{a0}850.05");
        assert_eq!(kroner(Language::Nb, 99), "0,99\u{a0}kroner");
        assert_eq!(kroner(Language::Nb, 0), "0\u{a0}kroner");
        assert_eq!(kroner(Language::Nb, 100_000), "1\u{a0}000\u{a0}kroner");
    }

    #[test]
    fn weeks_are_counted_in_words() {
        assert_eq!(weeks(Language::Nb, 3), "tre uker");
        assert_eq!(weeks(Language::Nn, 3), "tre veker");
        assert_eq!(weeks(Language::En, 3), "three weeks");
        assert_eq!(weeks(Language::Nb, 1), "én uke");
        assert_eq!(weeks(Language::En, 13), "13 weeks");
    }
}
