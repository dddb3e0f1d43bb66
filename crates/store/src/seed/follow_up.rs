//! Follow-up and the rent ledger for seeded tenancies, so the follow-up caseload, the arrears
//! list and a household's follow-up page have something real to show: the last three months of
//! the ledger for every running contract (most paid, a few behind), and for about one household
//! in six a follow-up plan with its measures and some months of contacts, visits (a few missed)
//! and the odd neighbour complaint. The plans' worker is the seeding's caseworker; the demo hands
//! some to its follow-up worker.

use super::SplitMix64;
use super::cases::SeedStaff;
use crate::date_text;
use crate::municipalities::Municipality;
use husly_domain::follow_up::{EntryKind, MeasureStatus, Outcome, PartnerKind};
use husly_domain::rules::YearMonth;
use serde_json::{Value, json};
use time::{Date, Duration};

const GOALS: [&str; 4] = [
    "Beholde boligen og betale husleien hver måned.",
    "Komme i gang med arbeid eller skole, og få en fast dagsrytme.",
    "Ha oversikt over økonomien og søke bostøtte hvert år.",
    "Trives i nabolaget og ha et godt forhold til naboene.",
];

const MEASURES: [(&str, &str); 5] = [
    ("Søke bostøtte", "Husstanden med bo-oppfølger"),
    ("Sette opp fast trekk av husleien", "NAV"),
    ("Gå gjennom budsjettet hver måned", "Bo-oppfølger"),
    ("Avtale tid hos fastlegen", "Husstanden"),
    ("Bli med på møte i borettslaget", "Husstanden"),
];

const VISIT_NOTES: [&str; 3] = [
    "Leiligheten er ryddig; vi gikk gjennom regningene sammen.",
    "Snakket om budsjettet og neste måneds husleie.",
    "Husstanden har søkt bostøtte og venter på svar.",
];
const CALL_NOTES: [&str; 2] = [
    "Ringte for å avtale neste besøk.",
    "Minnet om at husleien forfaller neste uke.",
];
const MEETING_NOTE: &str = "Møte på kontoret med NAV om fast trekk av husleien.";

const PARTNERS: [(Option<PartnerKind>, &str); 4] = [
    (None, ""),
    (Some(PartnerKind::Nav), "NAV-kontoret"),
    (Some(PartnerKind::VoluntaryTeam), "Bo-teamet i bymisjonen"),
    (Some(PartnerKind::HealthCare), "Psykisk helse og rus"),
];

/// Rows for the ledger and follow-up tables and the plans' timeline events, in archive order.
#[derive(Default)]
pub(super) struct SeededFollowUp {
    pub ledger_imports: Vec<Vec<Value>>,
    pub ledger: Vec<Vec<Value>>,
    pub plans: Vec<Vec<Value>>,
    pub measures: Vec<Vec<Value>>,
    pub entries: Vec<Vec<Value>>,
    pub events: Vec<Vec<Value>>,
}

/// The follow-up and ledger rows for the tenancies of one batch (`tenancies` in the archive's
/// column order: id, municipality, dwelling, household, from, …, monthly rent at 6).
pub(super) fn generate_follow_up(
    rng: &mut SplitMix64,
    municipality: &Municipality,
    tenancies: &[Vec<Value>],
    today: Date,
    staff: SeedStaff,
) -> SeededFollowUp {
    let mut out = SeededFollowUp::default();
    let m = municipality.id.to_string();
    let by = staff.caseworker.to_string();
    let now = crate::now_micros();
    let this_month = YearMonth::of(today);
    let months = [this_month.previous().previous(), this_month.previous(), this_month];
    let import_id = uuid::Uuid::now_v7().to_string();
    let mut ledger_tenancies = 0;
    for tenancy in tenancies {
        let (Some(id), Some(household), Some(from), Some(rent)) = (
            tenancy[0].as_str(),
            tenancy[3].as_str(),
            tenancy[4].as_str().and_then(|d| crate::parse_date_text(d).ok()),
            tenancy[6].as_i64(),
        ) else {
            continue;
        };
        // The ledger: most pay; about one in twenty is a month or two behind, a few part-pay.
        let behind = match rng.below(100) {
            0..=2 => 2,
            3..=5 => 1,
            _ => 0,
        };
        let part = rng.below(100) < 3;
        let mut wrote = false;
        for (i, month) in months.iter().enumerate() {
            if *month < YearMonth::of(from) {
                continue;
            }
            let unpaid = i >= months.len() - behind;
            let paid = if unpaid {
                0
            } else if part && i == months.len() - 1 {
                rent / 2
            } else {
                rent
            };
            out.ledger.push(vec![
                json!(uuid::Uuid::now_v7().to_string()),
                json!(m),
                json!(id),
                json!(date_text(month.first_day())),
                json!(rent),
                json!(paid),
                json!(import_id),
                json!(now),
                Value::Null,
            ]);
            wrote = true;
        }
        ledger_tenancies += usize::from(wrote);
        if rng.below(6) != 0 {
            continue;
        }
        // A follow-up plan, begun some weeks or months ago.
        let plan_id = uuid::Uuid::now_v7().to_string();
        let started = today - Duration::days(14 + rng.below(300) as i64);
        let review = started + Duration::days(180);
        let (partner_kind, partner_name) = *rng.pick(&PARTNERS);
        let closed = rng.below(10) == 0;
        out.plans.push(vec![
            json!(plan_id),
            json!(m),
            json!(household),
            json!(if closed { "closed" } else { "active" }),
            json!(*rng.pick(&GOALS)),
            json!(by),
            partner_kind.map_or(Value::Null, |k| json!(k.code())),
            partner_kind.map_or(Value::Null, |_| json!(partner_name)),
            json!(date_text(review)),
            json!(date_text(started)),
            if closed { json!(date_text(today)) } else { Value::Null },
            if closed { json!("goals_reached") } else { Value::Null },
            Value::Null,
            json!(by),
            json!(now),
            json!(now),
            json!(1),
        ]);
        for _ in 0..1 + rng.below(3) {
            let (text, owner) = *rng.pick(&MEASURES);
            let status = if rng.below(3) == 0 {
                MeasureStatus::Done
            } else {
                MeasureStatus::Agreed
            };
            out.measures.push(vec![
                json!(uuid::Uuid::now_v7().to_string()),
                json!(m),
                json!(plan_id),
                json!(text),
                json!(owner),
                json!(date_text(started + Duration::days(30 + rng.below(120) as i64))),
                json!(status.code()),
                json!(by),
                json!(now),
                Value::Null,
                json!(now),
            ]);
        }
        let span = (today - started).whole_days().max(1) as u64;
        for _ in 0..rng.below(6) {
            let day = started + Duration::days(rng.below(span) as i64);
            let (kind, outcome) = match rng.below(20) {
                0..=9 => (EntryKind::HomeVisit, Some(Outcome::Held)),
                10..=13 => (EntryKind::PhoneCall, None),
                14..=15 => (EntryKind::Meeting, Some(Outcome::Held)),
                16..=17 => (EntryKind::HomeVisit, Some(Outcome::Missed)),
                _ => (EntryKind::NeighbourComplaint, None),
            };
            let note = match (kind, outcome) {
                (_, Some(Outcome::Missed)) => Value::Null,
                (EntryKind::NeighbourComplaint, _) => json!("Nabo klaget på bråk sent på kvelden."),
                (EntryKind::PhoneCall, _) => json!(*rng.pick(&CALL_NOTES)),
                (EntryKind::Meeting, _) => json!(MEETING_NOTE),
                _ => json!(*rng.pick(&VISIT_NOTES)),
            };
            out.entries.push(vec![
                json!(uuid::Uuid::now_v7().to_string()),
                json!(m),
                json!(household),
                json!(plan_id),
                json!(kind.code()),
                outcome.map_or(Value::Null, |o| json!(o.code())),
                json!(date_text(day)),
                note,
                json!(by),
                json!(now),
            ]);
        }
        out.events.push(vec![
            json!(uuid::Uuid::now_v7().to_string()),
            json!(m),
            json!(household),
            json!("household.follow_up_plan_created"),
            json!(by),
            Value::Null,
            json!(json!({ "plan": plan_id, "responsible": by, "review_on": date_text(review) }).to_string()),
            json!(now),
            Value::Null,
        ]);
    }
    if !out.ledger.is_empty() {
        out.ledger_imports.push(vec![
            json!(import_id),
            json!(m),
            json!("husleiereskontro (generert)"),
            json!(out.ledger.len()),
            json!(months.len()),
            json!(ledger_tenancies),
            json!(date_text(months[0].first_day())),
            json!(date_text(this_month.first_day())),
            json!(out.ledger.len()),
            json!(0),
            json!(0),
            json!("cli"),
            Value::Null,
            json!(now),
        ]);
    }
    out
}
