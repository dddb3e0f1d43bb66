//! Synthetic dwellings: the dwellings seeded tenants rent, and a vacant stock that fits the
//! households on the waiting list (bedrooms, accessibility), with a few under repair. Addresses
//! are invented; districts are Drammen's real ones for the demo municipality, neutral names
//! elsewhere.

use serde_json::{Value, json};

use super::{STREETS, SplitMix64};
use crate::date_text;
use husly_domain::postal::PostalPlace;

fn districts(municipality_number: &str) -> &'static [&'static str] {
    match municipality_number {
        "3301" => &[
            "Bragernes",
            "Strømsø",
            "Konnerud",
            "Fjell",
            "Åssiden",
            "Gulskogen",
            "Danvik",
            "Austad",
        ],
        _ => &["Sentrum", "Nord", "Sør", "Øst", "Vest"],
    }
}

/// The facts a seeded dwelling is drawn from.
pub(super) struct DwellingSeed<'a> {
    pub id: &'a str,
    pub municipality: &'a str,
    pub municipality_number: &'a str,
    pub address: (Value, Value, Value),
    pub bedrooms: i64,
    pub adapted: bool,
    pub monthly_rent_ore: i64,
    /// An elderly main tenant: more often a care dwelling with a lift.
    pub elderly: bool,
    pub status: &'a str,
    pub status_from: &'a str,
    pub now: i64,
}

/// A `dwelling` row in the export's column order; the rest of the facts drawn from `rng`.
pub(super) fn dwelling_row(rng: &mut SplitMix64, seed: DwellingSeed<'_>) -> Vec<Value> {
    let floor = rng.below(6) as i64;
    let lift = floor == 0 || rng.below(100) < 55;
    let wheelchair = seed.adapted || (lift && rng.below(100) < 45);
    let dwelling_type = match rng.below(100) {
        _ if seed.elderly && wheelchair => "care_dwelling",
        0..4 if seed.bedrooms == 1 => "youth_dwelling",
        4..8 if seed.bedrooms == 1 => "shared_housing_unit",
        _ => "ordinary_rental",
    };
    let ownership = match rng.below(100) {
        0..75 => "municipal",
        75..95 => "leased_in",
        _ => "private_with_allocation_right",
    };
    let area = 28 + 17 * seed.bedrooms + rng.below(15) as i64;
    let (address_line, postal_code, postal_city) = seed.address;
    vec![
        json!(seed.id),
        json!(seed.municipality),
        address_line,
        postal_code,
        postal_city,
        json!(seed.bedrooms),
        json!(seed.adapted),
        json!(seed.now),
        json!(format!("SYN-{}", &seed.id[seed.id.len() - 12..])),
        json!(*rng.pick(districts(seed.municipality_number))),
        json!(1 + rng.below(300)),
        json!(1 + rng.below(900)),
        Value::Null,
        Value::Null,
        json!(format!("H{:02}{:02}", floor + 1, 1 + rng.below(4))),
        json!(dwelling_type),
        json!(ownership),
        json!(area),
        json!(floor),
        json!(lift),
        json!(wheelchair),
        json!(rng.below(100) < 30),
        json!(seed.monthly_rent_ore),
        json!(seed.status),
        json!(seed.status_from),
        json!(1),
        json!(seed.now),
        Value::Null,
    ]
}

/// Vacant dwellings (and a few under repair) for `households` seeded households: about one
/// vacancy per 40 households, sized like the households that wait (more small ones).
pub(super) fn vacant_stock(
    rng: &mut SplitMix64,
    municipality: &str,
    municipality_number: &str,
    households: u64,
    street_codes: &[&PostalPlace],
    today: time::Date,
    now: i64,
) -> Vec<Vec<Value>> {
    let count = households.div_ceil(40);
    (0..count)
        .map(|_| {
            let id = uuid::Uuid::now_v7().to_string();
            let postal = *rng.pick(street_codes);
            let bedrooms = *rng.pick(&[1, 1, 1, 2, 2, 2, 3, 3, 4, 5]);
            let (status, days_ago) = if rng.below(100) < 12 {
                ("under_repair", rng.below(60))
            } else {
                ("vacant", rng.below(45))
            };
            let from = date_text(today - time::Duration::days(days_ago as i64));
            let rent = (5_500 + 1_800 * bedrooms + rng.below(2_500) as i64) * 100;
            let adapted = rng.below(100) < 8;
            let address = (
                json!(format!("{} {}", rng.pick(STREETS), 1 + rng.below(120))),
                json!(postal.code),
                json!(postal.place_name()),
            );
            dwelling_row(
                rng,
                DwellingSeed {
                    id: &id,
                    municipality,
                    municipality_number,
                    address,
                    bedrooms,
                    adapted,
                    monthly_rent_ore: rent,
                    elderly: false,
                    status,
                    status_from: &from,
                    now,
                },
            )
        })
        .collect()
}
