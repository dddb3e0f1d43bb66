//! A calendar month (`2023-06`): the unit in which Husbanken's rules change and bostøtte is paid.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use time::{Date, Month};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct YearMonth {
    year: i32,
    month: u8,
}

impl YearMonth {
    pub fn new(year: i32, month: u8) -> Option<Self> {
        ((1..=12).contains(&month) && (1900..=2200).contains(&year)).then_some(Self { year, month })
    }

    pub fn of(date: Date) -> Self {
        Self {
            year: date.year(),
            month: date.month() as u8,
        }
    }

    pub fn year(self) -> i32 {
        self.year
    }

    pub fn month(self) -> u8 {
        self.month
    }

    /// The first day of the month: bostøtte's reference date (*situasjonsdato*).
    /// The month as forms show it, `mm.yyyy` (`12.2026`), like a date written `dd.mm.yyyy`.
    pub fn written(self) -> String {
        format!("{:02}.{}", self.month(), self.year())
    }

    pub fn first_day(self) -> Date {
        let month = Month::try_from(self.month).expect("month is validated on construction");
        Date::from_calendar_date(self.year, month, 1).expect("the first of a valid month exists")
    }

    pub fn next(self) -> Self {
        if self.month == 12 {
            Self {
                year: self.year + 1,
                month: 1,
            }
        } else {
            Self {
                year: self.year,
                month: self.month + 1,
            }
        }
    }

    pub fn previous(self) -> Self {
        if self.month == 1 {
            Self {
                year: self.year - 1,
                month: 12,
            }
        } else {
            Self {
                year: self.year,
                month: self.month - 1,
            }
        }
    }
}

impl fmt::Display for YearMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonthParseError;

impl fmt::Display for MonthParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("expected a month written as YYYY-MM, for example 2023-06")
    }
}

impl FromStr for YearMonth {
    type Err = MonthParseError;

    /// `yyyy-mm` (ISO, as the API and the rule files write it) or `mm.yyyy` (as Norwegians write a
    /// month, like their dates; also `m.yyyy`).
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let text = text.trim();
        let (year, month) = match text.split_once('-') {
            Some((year, month)) if month.len() == 2 => (year, month),
            Some(_) => return Err(MonthParseError),
            None => {
                let (month, year) = text.split_once('.').ok_or(MonthParseError)?;
                if !(1..=2).contains(&month.len()) {
                    return Err(MonthParseError);
                }
                (year, month)
            }
        };
        if year.len() != 4 || !year.bytes().chain(month.bytes()).all(|b| b.is_ascii_digit()) {
            return Err(MonthParseError);
        }
        let year: i32 = year.parse().map_err(|_| MonthParseError)?;
        let month: u8 = month.parse().map_err(|_| MonthParseError)?;
        Self::new(year, month).ok_or(MonthParseError)
    }
}

impl Serialize for YearMonth {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for YearMonth {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_months_before_and_after_cross_the_new_year() {
        let january: YearMonth = "2027-01".parse().unwrap();
        assert_eq!(january.previous().to_string(), "2026-12");
        assert_eq!(january.previous().next(), january);
        assert_eq!(january.next().previous(), january);
        assert_eq!(
            "2026-07".parse::<YearMonth>().unwrap().previous().to_string(),
            "2026-06"
        );
    }

    #[test]
    fn a_month_is_read_as_iso_or_as_norwegians_write_it() {
        let december: YearMonth = "2026-12".parse().unwrap();
        assert_eq!("12.2026".parse::<YearMonth>().unwrap(), december);
        assert_eq!(" 3.2027 ".parse::<YearMonth>().unwrap().to_string(), "2027-03");
        assert_eq!(december.written(), "12.2026");
        assert_eq!(december.to_string(), "2026-12");
        for bad in [
            "2026-1",
            "13.2026",
            "12.26",
            "122026",
            "12.2026.1",
            "desember 2026",
            "0.2026",
            ".2026",
        ] {
            assert!(bad.parse::<YearMonth>().is_err(), "{bad}");
        }
    }

    #[test]
    fn parses_and_prints_months() {
        let month: YearMonth = "2023-06".parse().unwrap();
        assert_eq!(month.to_string(), "2023-06");
        assert_eq!(month.first_day(), time::macros::date!(2023 - 06 - 01));
        assert_eq!("2023-12".parse::<YearMonth>().unwrap().next().to_string(), "2024-01");
        for bad in [
            "2023-13",
            "2023-00",
            "23-06",
            "2023-6",
            "2023/06",
            "",
            "abcd-ef",
            "2023-06-01",
        ] {
            assert!(bad.parse::<YearMonth>().is_err(), "{bad}");
        }
    }

    #[test]
    fn months_order_by_time() {
        let a: YearMonth = "2022-12".parse().unwrap();
        let b: YearMonth = "2023-01".parse().unwrap();
        assert!(a < b);
    }
}
