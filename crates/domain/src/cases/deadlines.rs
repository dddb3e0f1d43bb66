//! Deadlines of a case, computed from dates only (the caller supplies "today").
//!
//! - Interim answer: forvaltningsloven § 11 a — when a case cannot be decided within one month of
//!   receipt, the applicant gets a written interim answer.
//! - Appeal: fvl § 29 — three weeks from the day the decision reached the party; by fvl § 30 and
//!   domstolloven § 148 a deadline ending on a Saturday, Sunday or public holiday runs to the
//!   next working day.
//! - Validity: an approval on the waiting list lapses after the municipality's validity period;
//!   a renewal reminder is due one month before.

use time::{Date, Duration, Month, Weekday};

/// `date` plus `months` calendar months; the 31st becomes the last day of a shorter month.
pub fn add_months(date: Date, months: u32) -> Date {
    let total = date.year() * 12 + (date.month() as i32 - 1) + months as i32;
    let (year, month) = (total.div_euclid(12), total.rem_euclid(12) + 1);
    let month = Month::try_from(month as u8).expect("1..=12");
    let day = date.day().min(month.length(year));
    Date::from_calendar_date(year, month, day).expect("the day is clamped to the month")
}

/// Easter Sunday (anonymous Gregorian algorithm).
pub fn easter_sunday(year: i32) -> Date {
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    Date::from_calendar_date(year, Month::try_from(month as u8).expect("March or April"), day as u8)
        .expect("a valid Easter date")
}

/// Norwegian public holidays (lov om 1. og 17. mai som høgtidsdagar; helligdagsfredloven).
pub fn is_public_holiday(date: Date) -> bool {
    let fixed = matches!(
        (date.month(), date.day()),
        (Month::January, 1) | (Month::May, 1) | (Month::May, 17) | (Month::December, 25) | (Month::December, 26)
    );
    let easter = easter_sunday(date.year());
    let offset = (date - easter).whole_days();
    // Maundy Thursday, Good Friday, Easter Sunday and Monday, Ascension Day, Whit Sunday and Monday.
    fixed || matches!(offset, -3 | -2 | 0 | 1 | 39 | 49 | 50)
}

pub fn is_working_day(date: Date) -> bool {
    !matches!(date.weekday(), Weekday::Saturday | Weekday::Sunday) && !is_public_holiday(date)
}

/// Moves a deadline that ends on a non-working day to the next working day.
pub fn next_working_day_from(mut date: Date) -> Date {
    while !is_working_day(date) {
        date = date.next_day().expect("dates stay far from the end of time");
    }
    date
}

/// When the interim answer is due if the case is still undecided (one month after receipt).
pub fn interim_answer_due(received: Date) -> Date {
    add_months(received, 1)
}

/// The last day to appeal a decision that reached the party on `delivered`.
pub fn appeal_deadline(delivered: Date) -> Date {
    next_working_day_from(delivered + Duration::weeks(3))
}

/// When an approval on the waiting list lapses, and when the renewal reminder is due.
pub fn validity(approved: Date, months: u32) -> (Date, Date) {
    let expires = add_months(approved, months);
    let reminder = add_months(approved, months.saturating_sub(1));
    (expires, reminder)
}

/// The deadlines a case may have open.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OpenDeadlines {
    pub interim_due: Option<Date>,
    pub interim_sent: bool,
    pub information_due: Option<Date>,
    pub renewal_reminder: Option<Date>,
    /// A renewal review's decision is due (a case the office opened itself).
    pub decide_by: Option<Date>,
}

/// The earliest deadline the municipality has to act on in this state (the work queue's order).
pub fn next_due(state: super::workflow::CaseState, d: OpenDeadlines) -> Option<Date> {
    use super::workflow::CaseState as S;
    let interim = d.interim_due.filter(|_| !d.interim_sent);
    match state {
        S::WaitingForInformation => [interim, d.information_due, d.decide_by].into_iter().flatten().min(),
        s if s.awaits_decision() => [interim, d.decide_by].into_iter().flatten().min(),
        // An approved renewal decision is still to be sent by its day.
        S::Approved => d.decide_by,
        S::OnWaitingList => d.renewal_reminder,
        _ => None,
    }
}

/// How a deadline looks from today.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Urgency {
    Overdue,
    /// Within the next `DUE_SOON_DAYS` days.
    DueSoon,
    Later,
}

pub const DUE_SOON_DAYS: i64 = 7;

pub fn urgency(due: Date, today: Date) -> Urgency {
    let days = (due - today).whole_days();
    if days < 0 {
        Urgency::Overdue
    } else if days <= DUE_SOON_DAYS {
        Urgency::DueSoon
    } else {
        Urgency::Later
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn months_are_calendar_months() {
        assert_eq!(add_months(date!(2026 - 01 - 15), 1), date!(2026 - 02 - 15));
        assert_eq!(add_months(date!(2026 - 01 - 31), 1), date!(2026 - 02 - 28));
        assert_eq!(add_months(date!(2028 - 01 - 31), 1), date!(2028 - 02 - 29));
        assert_eq!(add_months(date!(2026 - 11 - 30), 2), date!(2027 - 01 - 30));
        assert_eq!(add_months(date!(2026 - 03 - 31), 12), date!(2027 - 03 - 31));
    }

    #[test]
    fn easter_dates() {
        for (year, expected) in [
            (2024, date!(2024 - 03 - 31)),
            (2025, date!(2025 - 04 - 20)),
            (2026, date!(2026 - 04 - 05)),
            (2027, date!(2027 - 03 - 28)),
            (2038, date!(2038 - 04 - 25)),
        ] {
            assert_eq!(easter_sunday(year), expected);
        }
    }

    #[test]
    fn holidays_of_2026() {
        for day in [
            date!(2026 - 01 - 01),
            date!(2026 - 04 - 02),
            date!(2026 - 04 - 03),
            date!(2026 - 04 - 06),
            date!(2026 - 05 - 01),
            date!(2026 - 05 - 14),
            date!(2026 - 05 - 17),
            date!(2026 - 05 - 25),
            date!(2026 - 12 - 25),
            date!(2026 - 12 - 26),
        ] {
            assert!(is_public_holiday(day), "{day}");
        }
        assert!(!is_public_holiday(date!(2026 - 04 - 07)));
        assert!(
            !is_public_holiday(date!(2026 - 12 - 24)),
            "Christmas Eve is not a public holiday"
        );
    }

    #[test]
    fn appeal_deadline_is_three_weeks_to_a_working_day() {
        // Delivered Tuesday 3 November 2026: deadline Tuesday 24 November.
        assert_eq!(appeal_deadline(date!(2026 - 11 - 03)), date!(2026 - 11 - 24));
        // Delivered Saturday 7 November: three weeks is a Saturday, so Monday 30 November.
        assert_eq!(appeal_deadline(date!(2026 - 11 - 07)), date!(2026 - 11 - 30));
        // Delivered 4 December: 25 December and 26 (Saturday), 27 (Sunday) → Monday 28 December.
        assert_eq!(appeal_deadline(date!(2026 - 12 - 04)), date!(2026 - 12 - 28));
    }

    #[test]
    fn interim_answer_and_validity() {
        assert_eq!(interim_answer_due(date!(2026 - 10 - 31)), date!(2026 - 11 - 30));
        assert_eq!(
            validity(date!(2026 - 01 - 15), 12),
            (date!(2027 - 01 - 15), date!(2026 - 12 - 15))
        );
    }

    #[test]
    fn the_next_deadline_depends_on_the_state() {
        use crate::cases::workflow::CaseState as S;
        let d = OpenDeadlines {
            interim_due: Some(date!(2026 - 12 - 01)),
            interim_sent: false,
            information_due: Some(date!(2026 - 11 - 28)),
            renewal_reminder: Some(date!(2027 - 10 - 01)),
            decide_by: None,
        };
        assert_eq!(next_due(S::UnderAssessment, d), Some(date!(2026 - 12 - 01)));
        // A renewal review has no interim answer; its decision is due by its own day.
        let review = OpenDeadlines {
            interim_due: None,
            information_due: None,
            decide_by: Some(date!(2027 - 03 - 02)),
            ..d
        };
        for state in [
            S::Received,
            S::UnderAssessment,
            S::DecisionProposed,
            S::Approved,
            S::WaitingForInformation,
        ] {
            assert_eq!(next_due(state, review), Some(date!(2027 - 03 - 02)), "{state:?}");
        }
        assert_eq!(next_due(S::Granted, review), None, "decided");
        assert_eq!(next_due(S::WaitingForInformation, d), Some(date!(2026 - 11 - 28)));
        assert_eq!(next_due(S::OnWaitingList, d), Some(date!(2027 - 10 - 01)));
        assert_eq!(next_due(S::Refused, d), None);
        let sent = OpenDeadlines {
            interim_sent: true,
            ..d
        };
        assert_eq!(next_due(S::UnderAssessment, sent), None, "the interim answer is sent");
    }

    #[test]
    fn urgency_from_today() {
        let today = date!(2026 - 11 - 26);
        assert_eq!(urgency(date!(2026 - 11 - 25), today), Urgency::Overdue);
        assert_eq!(urgency(today, today), Urgency::DueSoon);
        assert_eq!(urgency(date!(2026 - 12 - 03), today), Urgency::DueSoon);
        assert_eq!(urgency(date!(2026 - 12 - 04), today), Urgency::Later);
    }
}
