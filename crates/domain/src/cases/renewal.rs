//! Renewal reviews of fixed-term tenancy contracts.
//!
//! A municipal dwelling is let on a fixed term (husleieloven § 9-3; § 11-1 for dwellings for the
//! disadvantaged). Before the term ends the municipality reassesses the household against its
//! allocation rules and decides: a new term (a renewal: the next period of the same tenancy), or
//! no renewal, with a plan for where the household goes next — another rented home, or a home of
//! its own with a startlån. Either way the decision is an enkeltvedtak with appeal rights (the
//! allocation rules apply, forvaltningsloven §§ 2 and 28), so it is a case of its own
//! (`CaseType::TenancyRenewal`) with the four-eyes decision and letter of every case.
//!
//! How early the review opens and how long a new term runs are the municipality's practice
//! (`AllocationRules::renewal_*` in `rules/eligibility.toml`, versioned with the allocation rules).

use crate::validation::{FieldError, parse_date};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use time::Date;

use super::Outcome;
use super::deadlines::add_months;

/// Longest transition plan accepted, in characters.
pub const MAX_TRANSITION_PLAN: usize = 4_000;
/// The longest new term a decision may give, in months: further out is taken to be a typing error.
pub const MAX_TERM_MONTHS: u32 = 120;
/// Husleieloven § 9-3: a fixed term shorter than three years needs the written § 11-1 notice.
const SHORTEST_ORDINARY_TERM_MONTHS: u32 = 36;

/// What a renewal decision decides, kept with the decision and written in its letter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RenewalTerms {
    /// A new period of the same tenancy, from the day after the present term ends to `until`
    /// (`yyyy-mm-dd`).
    Renew {
        #[schemars(with = "String")]
        until: Date,
    },
    /// The contract is not renewed: it ends with its term. The plan says what the municipality
    /// will do so the household is not left without a home; a startlån referral means the
    /// household is advised and helped to buy (the move-on to ownership).
    End {
        transition_plan: String,
        startlan_referral: bool,
    },
}

/// The renewal part of a proposed decision, as asked for (page form or API JSON).
#[derive(Debug, Clone, Copy)]
pub struct RenewalRequest<'a> {
    /// The new term's last day (granted), `dd.mm.åååå` or `yyyy-mm-dd`.
    pub renew_until: &'a str,
    /// What happens next (refused).
    pub transition_plan: &'a str,
    pub startlan_referral: bool,
    /// The last day of the contract's present term.
    pub term_end: Date,
    /// The household was told in writing that this is a § 11-1 dwelling (so a term under three
    /// years is lawful).
    pub notice_11_1_given: bool,
}

/// Checks the renewal part of a proposal against its outcome. Fields that belong to the other
/// outcome are ignored (the page's form carries both).
pub fn check_renewal(
    outcome: Option<Outcome>,
    request: &RenewalRequest<'_>,
    errors: &mut Vec<FieldError>,
) -> Option<RenewalTerms> {
    match outcome? {
        Outcome::PartlyGranted => {
            errors.push(FieldError::new(
                "outcome",
                "renewal_partly_granted",
                "error.renewal.partly_granted",
            ));
            None
        }
        Outcome::Granted => {
            let text = request.renew_until.trim();
            if text.is_empty() {
                errors.push(FieldError::new(
                    "renew_until",
                    "required",
                    "error.renewal.until_required",
                ));
                return None;
            }
            let Some(until) = parse_date(text) else {
                errors.push(FieldError::invalid_date("renew_until"));
                return None;
            };
            let from = request.term_end.next_day()?;
            if until < from {
                errors.push(
                    FieldError::new(
                        "renew_until",
                        "not_after_term_end",
                        "error.renewal.until_not_after_term_end",
                    )
                    .arg("term_end", crate::validation::format_date(request.term_end)),
                );
                return None;
            }
            if until > term_until(from, MAX_TERM_MONTHS) {
                errors.push(
                    FieldError::new("renew_until", "too_far", "error.renewal.until_too_far")
                        .arg("years", MAX_TERM_MONTHS / 12),
                );
                return None;
            }
            if until < term_until(from, SHORTEST_ORDINARY_TERM_MONTHS) && !request.notice_11_1_given {
                errors.push(FieldError::new(
                    "renew_until",
                    "short_term_without_notice",
                    "error.renewal.short_term_without_notice",
                ));
                return None;
            }
            Some(RenewalTerms::Renew { until })
        }
        Outcome::Refused => {
            let plan = request.transition_plan.trim();
            if plan.is_empty() {
                errors.push(FieldError::new(
                    "transition_plan",
                    "required",
                    "error.renewal.transition_plan_required",
                ));
                return None;
            }
            if plan.chars().count() > MAX_TRANSITION_PLAN {
                errors.push(FieldError::too_long("transition_plan", MAX_TRANSITION_PLAN));
                return None;
            }
            Some(RenewalTerms::End {
                transition_plan: plan.to_string(),
                startlan_referral: request.startlan_referral,
            })
        }
    }
}

/// The last day of a term of `months` months starting on `from`: the day before the same date
/// `months` later, and the last day of a month when the term starts on the first.
pub fn term_until(from: Date, months: u32) -> Date {
    let Some(last) = from.previous_day() else {
        return from;
    };
    let until = add_months(last, months);
    if last.next_day().is_some_and(|d| d.month() != last.month()) {
        month_end(until)
    } else {
        until
    }
}

/// `day` minus `months` calendar months; the 31st becomes the last day of a shorter month.
fn months_before(day: Date, months: u32) -> Date {
    let total = day.year() * 12 + (day.month() as i32 - 1) - months as i32;
    let (year, month) = (total.div_euclid(12), total.rem_euclid(12) + 1);
    let month = time::Month::try_from(month as u8).expect("1..=12");
    Date::from_calendar_date(year, month, day.day().min(month.length(year))).expect("clamped to the month")
}

fn month_end(day: Date) -> Date {
    day.replace_day(day.month().length(day.year())).unwrap_or(day)
}

/// The municipality's practice for renewals.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RenewalPractice {
    /// A review opens this many months before the term ends.
    pub lead_time_months: u32,
    /// The usual new term.
    pub term_months: u32,
    /// The new term for a household with children under 18.
    pub term_months_children: u32,
    /// The decision should be sent this many months before the term ends.
    pub decide_months_before: u32,
}

impl RenewalPractice {
    /// Whether a contract whose term ends on `term_end` is due for its review on `today`.
    pub fn review_due(&self, term_end: Date, today: Date) -> bool {
        term_end <= add_months(today, self.lead_time_months)
    }

    /// The day a review's decision should be sent by: `decide_months_before` months before the
    /// term ends (the same day of the month, or the month's last day when shorter), never before
    /// `today` (a review opened late is due at once).
    pub fn decide_by(&self, term_end: Date, today: Date) -> Date {
        months_before(term_end, self.decide_months_before).max(today)
    }

    /// The new term's last day a caseworker is offered: the usual term, longer with children.
    pub fn suggested_until(&self, term_end: Date, with_children: bool) -> Date {
        let months = if with_children {
            self.term_months_children
        } else {
            self.term_months
        };
        term_until(term_end.next_day().unwrap_or(term_end), months)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn request<'a>(until: &'a str, plan: &'a str) -> RenewalRequest<'a> {
        RenewalRequest {
            renew_until: until,
            transition_plan: plan,
            startlan_referral: false,
            term_end: date!(2027 - 02 - 28),
            notice_11_1_given: false,
        }
    }

    fn check(outcome: Outcome, request: RenewalRequest<'_>) -> Result<RenewalTerms, Vec<String>> {
        let mut errors = Vec::new();
        match check_renewal(Some(outcome), &request, &mut errors) {
            Some(terms) if errors.is_empty() => Ok(terms),
            _ => Err(errors.into_iter().map(|e| format!("{}:{}", e.field, e.code)).collect()),
        }
    }

    #[test]
    fn term_until_table() {
        // (from, months, until)
        let cases = [
            (date!(2027 - 03 - 01), 36, date!(2030 - 02 - 28)),
            (date!(2027 - 03 - 01), 1, date!(2027 - 03 - 31)),
            (date!(2027 - 05 - 01), 36, date!(2030 - 04 - 30)),
            (date!(2027 - 03 - 15), 12, date!(2028 - 03 - 14)),
            // Leap years: a term from 1 March 2028 ends on the last day of February.
            (date!(2028 - 03 - 01), 36, date!(2031 - 02 - 28)),
            (date!(2031 - 03 - 01), 12, date!(2032 - 02 - 29)),
            // From 29 February: the day before 29 February three years on is 28 February.
            (date!(2028 - 02 - 29), 36, date!(2031 - 02 - 28)),
            (date!(2027 - 03 - 31), 36, date!(2030 - 03 - 30)),
            (date!(2027 - 01 - 01), 60, date!(2031 - 12 - 31)),
        ];
        for (from, months, until) in cases {
            assert_eq!(term_until(from, months), until, "{from} + {months} months");
        }
    }

    #[test]
    fn a_renewal_needs_a_day_after_the_term() {
        assert_eq!(
            check(Outcome::Granted, request("", "")),
            Err(vec!["renew_until:required".into()])
        );
        assert_eq!(
            check(Outcome::Granted, request("31.02.2030", "")),
            Err(vec!["renew_until:invalid_date".into()])
        );
        assert_eq!(
            check(Outcome::Granted, request("28.02.2027", "")),
            Err(vec!["renew_until:not_after_term_end".into()])
        );
        assert_eq!(
            check(Outcome::Granted, request("28.02.2040", "")),
            Err(vec!["renew_until:too_far".into()])
        );
        assert_eq!(
            check(Outcome::Granted, request("28.02.2030", "a plan is ignored")),
            Ok(RenewalTerms::Renew {
                until: date!(2030 - 02 - 28)
            })
        );
        assert_eq!(
            check(Outcome::Granted, request("2030-02-28", "")),
            Ok(RenewalTerms::Renew {
                until: date!(2030 - 02 - 28)
            })
        );
    }

    #[test]
    fn a_term_under_three_years_needs_the_11_1_notice() {
        assert_eq!(
            check(Outcome::Granted, request("28.02.2029", "")),
            Err(vec!["renew_until:short_term_without_notice".into()])
        );
        let noticed = RenewalRequest {
            notice_11_1_given: true,
            ..request("28.02.2029", "")
        };
        assert_eq!(
            check(Outcome::Granted, noticed),
            Ok(RenewalTerms::Renew {
                until: date!(2029 - 02 - 28)
            })
        );
    }

    #[test]
    fn no_renewal_needs_a_plan_and_no_partial_renewal() {
        assert_eq!(
            check(Outcome::Refused, request("28.02.2030", " ")),
            Err(vec!["transition_plan:required".into()])
        );
        let long = "x".repeat(MAX_TRANSITION_PLAN + 1);
        assert_eq!(
            check(Outcome::Refused, request("", &long)),
            Err(vec!["transition_plan:too_long".into()])
        );
        let referral = RenewalRequest {
            startlan_referral: true,
            ..request("", " Hjelp til å søke startlån. ")
        };
        assert_eq!(
            check(Outcome::Refused, referral),
            Ok(RenewalTerms::End {
                transition_plan: "Hjelp til å søke startlån.".into(),
                startlan_referral: true
            })
        );
        assert_eq!(
            check(Outcome::PartlyGranted, request("28.02.2030", "plan")),
            Err(vec!["outcome:renewal_partly_granted".into()])
        );
    }

    #[test]
    fn practice_opens_reviews_ahead_and_suggests_longer_terms_for_children() {
        let practice = RenewalPractice {
            lead_time_months: 6,
            term_months: 36,
            term_months_children: 60,
            decide_months_before: 3,
        };
        assert!(practice.review_due(date!(2027 - 06 - 03), date!(2026 - 12 - 03)));
        assert!(!practice.review_due(date!(2027 - 06 - 04), date!(2026 - 12 - 03)));
        // Already past its term (a review never opened): still due.
        assert!(practice.review_due(date!(2026 - 11 - 30), date!(2026 - 12 - 03)));
        assert_eq!(
            practice.suggested_until(date!(2027 - 02 - 28), false),
            date!(2030 - 02 - 28)
        );
        assert_eq!(
            practice.suggested_until(date!(2027 - 02 - 28), true),
            date!(2032 - 02 - 29)
        );
        // Three months ahead of the term's end, the month's last day when shorter; never past.
        let today = date!(2026 - 12 - 03);
        assert_eq!(practice.decide_by(date!(2027 - 06 - 03), today), date!(2027 - 03 - 03));
        assert_eq!(practice.decide_by(date!(2027 - 05 - 31), today), date!(2027 - 02 - 28));
        assert_eq!(practice.decide_by(date!(2028 - 05 - 31), today), date!(2028 - 02 - 29));
        assert_eq!(practice.decide_by(date!(2027 - 01 - 15), today), today);
    }
}
