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

/// "tre uker", "tre veker", "three weeks": letters write small numbers in words.
pub(crate) fn weeks(language: Language, count: u8) -> String {
    const NO: [&str; 11] = [
        "to", "tre", "fire", "fem", "seks", "sju", "åtte", "ni", "ti", "elleve", "tolv",
    ];
    const EN: [&str; 11] = [
        "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
    ];
    let word = |words: &[&str; 11]| match count {
        2..=12 => words[usize::from(count) - 2].to_owned(),
        _ => count.to_string(),
    };
    match (language, count) {
        (Language::Nb, 1) => "én uke".to_owned(),
        (Language::Nn, 1) => "éi veke".to_owned(),
        (Language::En, 1) => "one week".to_owned(),
        (Language::Nb, _) => format!("{} uker", word(&NO)),
        (Language::Nn, _) => format!("{} veker", word(&NO)),
        (Language::En, _) => format!("{} weeks", word(&EN)),
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
    fn weeks_are_counted_in_words() {
        assert_eq!(weeks(Language::Nb, 3), "tre uker");
        assert_eq!(weeks(Language::Nn, 3), "tre veker");
        assert_eq!(weeks(Language::En, 3), "three weeks");
        assert_eq!(weeks(Language::Nb, 1), "én uke");
        assert_eq!(weeks(Language::En, 13), "13 weeks");
    }
}
