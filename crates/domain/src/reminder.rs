//! Reminders: the nightly job telling the person who must act that something is due — a
//! fixed-term contract run out without being ended or renewed, a follow-up plan's review day
//! coming up, an approval on the waiting list about to lapse. A reminder is raised once per
//! thing and day; who it is for, and whether it still matters, follow from the thing itself
//! (see `docs/architecture.md`, "Reminders").

use time::Date;

use crate::allocation::coded;
use crate::authz::Role;

/// How many days before a follow-up plan's review day its worker is reminded, so the visit can
/// be booked. Husly's choice, not a rule of law.
pub const PLAN_REVIEW_LEAD_DAYS: i64 = 7;

coded! {
    /// What a reminder is about.
    ReminderKind {
        /// A fixed-term contract's term has run out, and it is neither ended nor renewed.
        ContractPastTerm => "contract_past_term",
        /// A follow-up plan's review day is coming up.
        PlanReview => "plan_review",
        /// An approval on the waiting list lapses soon unless it is renewed.
        ApprovalRenewal => "approval_renewal",
    }
}

impl ReminderKind {
    /// The catalogue key of the kind's sentence.
    pub fn key(self) -> String {
        format!("reminder.kind.{}", self.code())
    }

    /// Whom a reminder of this kind is for: the holders of a role in the municipality, or the
    /// one worker the thing names (the plan's responsible worker, the case's caseworker).
    pub fn addressed_to(self) -> Addressee {
        match self {
            ReminderKind::ContractPastTerm => Addressee::Role(Role::HousingManager),
            ReminderKind::PlanReview => Addressee::Responsible,
            // Every caseworker while the case has none of its own.
            ReminderKind::ApprovalRenewal => Addressee::AssignedOr(Role::Caseworker),
        }
    }
}

/// Whom a reminder is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Addressee {
    /// Everyone with this role in the municipality.
    Role(Role),
    /// The worker responsible for the thing.
    Responsible,
    /// The worker assigned to the thing, or everyone with this role while no one is.
    AssignedOr(Role),
}

coded! {
    /// Where a reminder stands for those it is for.
    ReminderState {
        Open => "open",
        Done => "done",
    }
}

/// Something that may call for a reminder, as the job reads it: its kind, what it is, and the
/// day it is about (the term's last day, the review day, the day the approval lapses).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate<S> {
    pub kind: ReminderKind,
    pub subject: S,
    pub due_on: Date,
    /// For an approval: the day its renewal reminder is due (`cases::deadlines::validity`).
    pub remind_on: Option<Date>,
}

/// The first day a reminder about `candidate` is due, or `None` when it never is.
pub fn first_day<S>(candidate: &Candidate<S>) -> Option<Date> {
    match candidate.kind {
        // The day after the term's last day: until then the contract still runs.
        ReminderKind::ContractPastTerm => candidate.due_on.next_day(),
        ReminderKind::PlanReview => candidate
            .due_on
            .checked_sub(time::Duration::days(PLAN_REVIEW_LEAD_DAYS)),
        ReminderKind::ApprovalRenewal => candidate.remind_on,
    }
}

/// Whether a reminder about `candidate` is due on `today`: from its first day on, and — for a
/// review day or an approval — not after the day it is about has passed (a plan whose review day
/// has passed shows as overdue on the caseload; an approval past its day has lapsed).
pub fn is_due<S>(candidate: &Candidate<S>, today: Date) -> bool {
    let Some(first) = first_day(candidate) else {
        return false;
    };
    match candidate.kind {
        ReminderKind::ContractPastTerm => first <= today,
        ReminderKind::PlanReview | ReminderKind::ApprovalRenewal => first <= today && today <= candidate.due_on,
    }
}

/// The candidates a reminder is due for today, in the order given.
pub fn due<S>(candidates: Vec<Candidate<S>>, today: Date) -> Vec<Candidate<S>> {
    candidates.into_iter().filter(|c| is_due(c, today)).collect()
}

/// The state a reminder moves to when someone marks it, or why it cannot.
pub fn mark(current: ReminderState, to: ReminderState) -> Result<ReminderState, &'static str> {
    if current == to {
        Err("error.reminder.already")
    } else {
        Ok(to)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn candidate(kind: ReminderKind, due_on: Date, remind_on: Option<Date>) -> Candidate<u32> {
        Candidate {
            kind,
            subject: 1,
            due_on,
            remind_on,
        }
    }

    #[test]
    fn each_kind_is_due_from_its_first_day() {
        use ReminderKind::*;
        // (kind, the day it is about, remind_on, today, due?)
        let table = [
            // A contract whose term ends on the last day of February runs that day.
            (
                ContractPastTerm,
                date!(2028 - 02 - 29),
                None,
                date!(2028 - 02 - 29),
                false,
            ),
            (
                ContractPastTerm,
                date!(2028 - 02 - 29),
                None,
                date!(2028 - 03 - 01),
                true,
            ),
            // ... and stays due until it is ended or renewed.
            (
                ContractPastTerm,
                date!(2026 - 12 - 31),
                None,
                date!(2027 - 06 - 30),
                true,
            ),
            // A review day: a week before, on the day, not after.
            (PlanReview, date!(2027 - 01 - 08), None, date!(2026 - 12 - 31), false),
            (PlanReview, date!(2027 - 01 - 08), None, date!(2027 - 01 - 01), true),
            (PlanReview, date!(2027 - 01 - 08), None, date!(2027 - 01 - 08), true),
            (PlanReview, date!(2027 - 01 - 08), None, date!(2027 - 01 - 09), false),
            // An approval: from its reminder day until it lapses.
            (
                ApprovalRenewal,
                date!(2027 - 03 - 31),
                Some(date!(2027 - 02 - 28)),
                date!(2027 - 02 - 27),
                false,
            ),
            (
                ApprovalRenewal,
                date!(2027 - 03 - 31),
                Some(date!(2027 - 02 - 28)),
                date!(2027 - 02 - 28),
                true,
            ),
            (
                ApprovalRenewal,
                date!(2027 - 03 - 31),
                Some(date!(2027 - 02 - 28)),
                date!(2027 - 03 - 31),
                true,
            ),
            (
                ApprovalRenewal,
                date!(2027 - 03 - 31),
                Some(date!(2027 - 02 - 28)),
                date!(2027 - 04 - 01),
                false,
            ),
            // An approval without a reminder day never reminds.
            (
                ApprovalRenewal,
                date!(2027 - 03 - 31),
                None,
                date!(2027 - 03 - 30),
                false,
            ),
        ];
        for (kind, due_on, remind_on, today, expected) in table {
            assert_eq!(
                is_due(&candidate(kind, due_on, remind_on), today),
                expected,
                "{kind:?} about {due_on} on {today}"
            );
        }
    }

    #[test]
    fn due_keeps_only_the_due_in_their_order() {
        let today = date!(2027 - 01 - 05);
        let candidates = [
            Candidate {
                kind: ReminderKind::PlanReview,
                subject: 1,
                due_on: date!(2027 - 01 - 10),
                remind_on: None,
            },
            Candidate {
                kind: ReminderKind::PlanReview,
                subject: 2,
                due_on: date!(2027 - 02 - 10),
                remind_on: None,
            },
            Candidate {
                kind: ReminderKind::ContractPastTerm,
                subject: 3,
                due_on: date!(2027 - 01 - 04),
                remind_on: None,
            },
        ];
        let subjects: Vec<u32> = due(candidates.to_vec(), today).iter().map(|c| c.subject).collect();
        assert_eq!(subjects, [1, 3]);
    }

    #[test]
    fn a_reminder_is_marked_only_to_the_other_state() {
        assert_eq!(mark(ReminderState::Open, ReminderState::Done), Ok(ReminderState::Done));
        assert_eq!(mark(ReminderState::Done, ReminderState::Open), Ok(ReminderState::Open));
        assert_eq!(
            mark(ReminderState::Done, ReminderState::Done),
            Err("error.reminder.already")
        );
        assert_eq!(
            mark(ReminderState::Open, ReminderState::Open),
            Err("error.reminder.already")
        );
    }

    #[test]
    fn each_kind_says_whom_it_is_for() {
        assert_eq!(
            ReminderKind::ContractPastTerm.addressed_to(),
            Addressee::Role(Role::HousingManager)
        );
        assert_eq!(ReminderKind::PlanReview.addressed_to(), Addressee::Responsible);
        assert_eq!(
            ReminderKind::ApprovalRenewal.addressed_to(),
            Addressee::AssignedOr(Role::Caseworker)
        );
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        fn day(offset: i64) -> Date {
            date!(2027 - 01 - 01) + time::Duration::days(offset)
        }

        proptest! {
            /// Never before its first day; a contract past its term stays due every day after,
            /// a review or an approval reminder never after the day it is about.
            #[test]
            fn due_from_the_first_day_and_within_its_window(
                kind in prop::sample::select(ReminderKind::ALL),
                about in -400i64..400,
                lead in 0i64..60,
                today in -400i64..800,
            ) {
                let c = candidate(kind, day(about), Some(day(about - lead)));
                let first = first_day(&c).expect("every kind here has a first day");
                let due_today = is_due(&c, day(today));
                prop_assert!(!due_today || day(today) >= first);
                if kind == ReminderKind::ContractPastTerm && due_today {
                    prop_assert!(is_due(&c, day(today + 1)));
                }
                if kind != ReminderKind::ContractPastTerm && due_today {
                    prop_assert!(day(today) <= c.due_on);
                }
            }
        }
    }
}
