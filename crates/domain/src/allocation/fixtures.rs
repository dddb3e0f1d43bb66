//! Households for the allocation tests.

use proptest::prelude::*;
use time::Date;
use time::macros::date;

use super::priority::{WaitingHousehold, WaitingMember};
use crate::cases::{CurrentHousing, Reason};
use crate::household::Relation;
use crate::kostra::KostraCategory;

pub const TODAY: Date = date!(2027 - 03 - 15);

pub fn member(relation: Relation, age: i32) -> WaitingMember {
    WaitingMember {
        relation,
        birth_date: Date::from_calendar_date(TODAY.year() - age, time::Month::January, 1).unwrap(),
    }
}

/// A single adult of 40, approved and received on the same day a year before [`TODAY`].
pub fn single(id: &str) -> WaitingHousehold {
    WaitingHousehold {
        entry_id: id.to_string(),
        members: vec![member(Relation::MainApplicant, 40)],
        current_housing: Some(CurrentHousing::PrivateRental),
        reasons: vec![],
        kostra: None,
        wheelchair_need: false,
        ground_floor_or_lift: false,
        pets: false,
        preferred_areas: vec![],
        areas_to_avoid: vec![],
        received_on: date!(2026 - 02 - 01),
        approved_on: date!(2026 - 03 - 15),
    }
}

pub fn with_children(mut h: WaitingHousehold, ages: &[i32]) -> WaitingHousehold {
    h.members.extend(ages.iter().map(|a| member(Relation::Child, *a)));
    h
}

pub fn with_partner(mut h: WaitingHousehold) -> WaitingHousehold {
    h.members.push(member(Relation::Spouse, 38));
    h
}

pub fn housed(mut h: WaitingHousehold, housing: CurrentHousing) -> WaitingHousehold {
    h.current_housing = Some(housing);
    h
}

pub fn because(mut h: WaitingHousehold, reasons: &[Reason]) -> WaitingHousehold {
    h.reasons = reasons.to_vec();
    h
}

pub fn approved(mut h: WaitingHousehold, on: Date) -> WaitingHousehold {
    h.approved_on = on;
    h
}

pub fn arb_household(id: usize) -> impl Strategy<Value = WaitingHousehold> {
    (
        prop::collection::vec(0i32..20, 0..4),
        any::<bool>(),
        0usize..CurrentHousing::ALL.len(),
        prop::collection::vec(0usize..Reason::ALL.len(), 0..3),
        prop::option::of(0usize..KostraCategory::ALL.len()),
        (18i32..80, any::<bool>(), any::<bool>()),
        (0i64..2_000, 0i64..60),
    )
        .prop_map(
            move |(
                children,
                partner,
                housing,
                reasons,
                kostra,
                (age, wheelchair, ground),
                (approved_ago, received_before),
            )| {
                let mut h = with_children(single(&format!("h{id}")), &children);
                h.members[0] = member(Relation::MainApplicant, age);
                if partner {
                    h = with_partner(h);
                }
                h.current_housing = Some(CurrentHousing::ALL[housing]);
                h.reasons = reasons.into_iter().map(|r| Reason::ALL[r]).collect();
                h.kostra = kostra.map(|k| KostraCategory::ALL[k]);
                h.wheelchair_need = wheelchair;
                h.ground_floor_or_lift = ground;
                h.approved_on = TODAY - time::Duration::days(approved_ago);
                h.received_on = h.approved_on - time::Duration::days(received_before);
                h
            },
        )
}

pub fn arb_list() -> impl Strategy<Value = Vec<WaitingHousehold>> {
    (1usize..25).prop_flat_map(|n| (0..n).map(arb_household).collect::<Vec<_>>())
}
