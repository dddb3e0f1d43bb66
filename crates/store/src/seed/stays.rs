//! Stays in temporary accommodation for a few seeded households (about one in 25): some ended,
//! some going on, with children when the household has any, so the `/stays` figures and the
//! household page have something to show. One stay per household, so none overlap.

use super::cases::{Composition, SeedStaff, compositions};
use super::{Generated, SplitMix64};
use crate::date_text;
use crate::municipalities::Municipality;
use husly_domain::stays::EndReason;
use serde_json::{Value, json};
use time::{Date, Duration};

/// Places with who runs them, the price per night in kroner, and a quality remark.
const PLACES: [(&str, &str, i64, Option<&str>); 4] = [
    (
        "Hospitset i sentrum",
        "Sentrum Hospits AS",
        650,
        Some("Felles bad og kjøkken; ikke egnet for barn."),
    ),
    ("Campinghytte, Elvebredden", "Elvebredden Camping", 900, None),
    (
        "Pensjonatet",
        "Pensjonat Drift AS",
        1_100,
        Some("Eget bad, tilsyn på dagtid."),
    ),
    ("Kommunens akuttleilighet", "Kommunen (Boligkontoret)", 450, None),
];

/// Rows for `temporary_stay` and their events on the households' timelines, in archive order.
pub(super) fn generate_stays(
    rng: &mut SplitMix64,
    municipality: &Municipality,
    generated: &Generated,
    today: Date,
    history_years: u8,
    staff: SeedStaff,
) -> (Vec<Vec<Value>>, Vec<Vec<Value>>) {
    // With years of history, stays begin over those years and the old ones have ended.
    let span = 300.max(365 * u64::from(history_years));
    let households = compositions(generated, today);
    let (mut stays, mut events) = (Vec::new(), Vec::new());
    let by = staff.caseworker.to_string();
    for household in &generated.households {
        if rng.below(25) != 0 {
            continue;
        }
        let household_id = household[0].as_str().unwrap_or_default().to_string();
        let from = today - Duration::days(rng.below(span) as i64);
        let nights = 1 + rng.below(150) as i64;
        let long_ago = history_years > 0 && from + Duration::days(nights + 60) < today;
        let to = ((rng.below(10) < 6 || long_ago) && from + Duration::days(nights) <= today)
            .then(|| from + Duration::days(nights));
        let reason = to.map(|_| *rng.pick(&EndReason::ALL));
        let children = households
            .get(&household_id)
            .is_some_and(|c: &Composition| c.has_children());
        let id = uuid::Uuid::now_v7().to_string();
        let now = crate::now_micros();
        let place = *rng.pick(&PLACES);
        stays.push(vec![
            json!(id),
            json!(municipality.id.to_string()),
            json!(household_id),
            json!(place.0),
            json!(date_text(from)),
            to.map_or(Value::Null, |d| json!(date_text(d))),
            json!(i64::from(children)),
            reason.map_or(Value::Null, |r| json!(r.code())),
            json!(by),
            json!(now),
            to.map_or(Value::Null, |_| json!(by)),
            to.map_or(Value::Null, |_| json!(now)),
            json!(place.1),
            json!(place.2 * 100),
            place.3.map_or(Value::Null, |r| json!(r)),
        ]);
        let details = json!({
            "stay": id,
            "from": date_text(from),
            "to": to.map(date_text),
            "end_reason": reason.map(EndReason::code),
            "with_children": children,
            "nightly_cost_ore": place.2 * 100,
        });
        events.push(vec![
            json!(uuid::Uuid::now_v7().to_string()),
            json!(municipality.id.to_string()),
            json!(household_id),
            json!("household.stay_recorded"),
            json!(by),
            Value::Null,
            json!(details.to_string()),
            json!(now),
            Value::Null,
        ]);
    }
    (stays, events)
}
