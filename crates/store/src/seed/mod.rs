//! Deterministic synthetic data at scale, for the demo, tests and benchmarks.
//!
//! Everyone generated here is invented: identity numbers are synthetic Test-Norge numbers
//! (month + 80, valid check digits, never issued to a real person), family names are invented
//! compounds of nature words and farm-name endings, and street addresses are made up (their postal
//! codes are real ones of the municipality, from Posten's register, so an address validates when
//! a caseworker edits it).
//! The same seed gives the same people, households and addresses (ids and timestamps differ).
//! The generator is a SplitMix64 written here rather than a crate's RNG, whose output may change
//! between versions: a seed must give the same data for as long as Husly exists.

mod cases;
mod consents;
mod dwellings;
mod follow_up;
mod meetings;
mod plan;
mod protection;
mod referrals;
mod reminders;
mod stays;

use crate::audit::{Actor, Event};
use crate::error::StoreResult;
use crate::export::insert_rows;
use crate::municipalities::Municipality;
use crate::{Store, date_text};
use husly_domain::household::Relation;
use husly_domain::national_id::synthetic_tenor_next;
use husly_domain::postal::{PostalPlace, PostalRegister, PostalUse};
use husly_domain::{HouseholdId, PersonId};
use serde_json::{Value, json};
use std::collections::HashSet;

/// Households written per transaction: big enough to be fast, small enough to keep the SQLite
/// writer lock short.
const HOUSEHOLDS_PER_TX: usize = 2_000;

pub struct SplitMix64(u64);

impl SplitMix64 {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0); the tiny modulo bias is irrelevant for test data.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

const GIVEN_NAMES: &[&str] = &[
    "Ola",
    "Kari",
    "Per",
    "Anne",
    "Jon",
    "Ingrid",
    "Lars",
    "Sofie",
    "Ahmed",
    "Fatima",
    "Nora",
    "Emil",
    "Mari",
    "Jakob",
    "Aisha",
    "Tor",
    "Liv",
    "Magnus",
    "Sara",
    "Ali",
    "Hanne",
    "Even",
    "Maja",
    "Yusuf",
    "Ida",
    "Sindre",
    "Amina",
    "Geir",
    "Tuva",
    "Oskar",
    "Leah",
    "Piotr",
    "Agnieszka",
    "Noah",
    "Ella",
    "Filip",
    "Selma",
    "Aleksander",
    "Astrid",
    "Bjørn",
    "Camilla",
    "Dag",
    "Eirik",
    "Frida",
    "Gunnar",
    "Hilde",
    "Ivar",
    "Janne",
    "Knut",
    "Linnea",
    "Mohammed",
    "Nils",
    "Olga",
    "Pål",
    "Randi",
    "Sigrid",
    "Trond",
    "Ulrik",
    "Vilde",
    "Wenche",
    "Yasmin",
    "Zainab",
    "Åse",
    "Øystein",
    "Hamza",
    "Mustafa",
    "Layla",
    "Omar",
    "Huda",
    "Abdi",
    "Hodan",
    "Tesfay",
    "Senait",
    "Ewa",
    "Tomasz",
    "Marta",
    "Jonas",
    "Elias",
    "Henrik",
    "Tobias",
    "Olivia",
    "Emma",
    "Ingeborg",
    "Sana",
    "Anders",
    "Hege",
    "Rune",
];
/// Family names are compounds of two invented parts in the style of Norwegian farm names, so
/// that a municipality's people spread over several hundred names, as real ones do.
const FAMILY_FIRST: &[&str] = &[
    "Blomster",
    "Fjellrev",
    "Solsikke",
    "Havørn",
    "Bjørke",
    "Lyng",
    "Sølvmåke",
    "Tyttebær",
    "Nordlys",
    "Elve",
    "Furu",
    "Multe",
    "Snøugle",
    "Lauv",
    "Skjær",
    "Vinter",
    "Bekke",
    "Kveld",
    "Rype",
    "Sand",
    "Mose",
    "Rogn",
    "Einer",
    "Hegre",
    "Lomme",
    "Marikåpe",
    "Nype",
    "Osp",
    "Selje",
    "Tiur",
    "Ulv",
    "Vier",
    "Ørret",
    "Åker",
];
const FAMILY_LAST: &[&str] = &[
    "li", "mo", "dal", "vik", "haug", "strand", "berg", "rud", "lund", "bakken", "stad", "heim", "nes", "myr", "voll",
    "eng", "tun", "åsen", "holm", "sletta",
];
const STREETS: &[&str] = &[
    "Demoveien",
    "Eksempelgata",
    "Prøvestien",
    "Testlia",
    "Oppdiktet allé",
    "Fiktivbakken",
    "Modellveien",
    "Øvingsgata",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SeedSummary {
    pub households: u64,
    pub people: u64,
}

struct Generated {
    households: Vec<Vec<Value>>,
    people: Vec<Vec<Value>>,
    person_index: Vec<crate::search::IndexRow>,
    household_index: Vec<crate::search::IndexRow>,
    members: Vec<Vec<Value>>,
    events: Vec<Vec<Value>>,
    dwellings: Vec<Vec<Value>>,
    tenancies: Vec<Vec<Value>>,
    periods: Vec<Vec<Value>>,
    incomes: Vec<Vec<Value>>,
    benefits: Vec<Vec<Value>>,
}

impl Store {
    /// Adds `count` synthetic households to a municipality, with the usual economy shares.
    pub async fn seed_households(
        &self,
        municipality: &Municipality,
        count: u64,
        seed: u64,
        actor: &Actor,
    ) -> StoreResult<SeedSummary> {
        self.seed_households_with(municipality, count, seed, EconomyShares::default(), actor)
            .await
    }

    /// Adds `count` synthetic households with chosen shares of tenants and bostøtte recipients
    /// (load tests shape their data with this).
    pub async fn seed_households_with(
        &self,
        municipality: &Municipality,
        count: u64,
        seed: u64,
        shares: EconomyShares,
        actor: &Actor,
    ) -> StoreResult<SeedSummary> {
        // One generator per municipality so that adding municipalities does not change the others.
        let mut rng = SplitMix64::new(
            seed ^ municipality
                .number
                .parse::<u64>()
                .unwrap_or(0)
                .wrapping_mul(0x1000_0000_01b3),
        );
        // Tenancies and incomes draw from their own generator, so households stay as before.
        let mut economy_rng = SplitMix64::new(rng.next_u64() ^ 0xEC0_0000_0001);
        let mut case_rng = SplitMix64::new(economy_rng.next_u64() ^ 0xCA5E_0000_0001);
        // Stays draw from a generator of their own, so everything seeded before them stays as it was.
        let mut stay_rng = SplitMix64::new(seed ^ 0x57A7_0000_0001);
        let mut follow_up_rng = SplitMix64::new(seed ^ 0xF011_0000_0001);
        let mut consent_rng = SplitMix64::new(seed ^ 0xC025_0000_0001);
        // So does the vacant stock.
        let mut stock_rng = SplitMix64::new(seed ^ 0xD3E1_0000_0001);
        let mut counters = self.reference_counters(municipality).await?;
        let staff = self.seed_staff(municipality, actor).await?;
        let organisations = self
            .seed_partner_organisations(municipality, staff.caseworker, actor)
            .await?;
        let today = husly_domain::oslo::date_at(time::OffsetDateTime::now_utc());
        let mut used_ids = HashSet::new();
        let mut summary = SeedSummary {
            households: 0,
            people: 0,
        };
        let mut remaining = count;
        let mut batches: u64 = 0;
        while remaining > 0 {
            let n = remaining.min(HOUSEHOLDS_PER_TX as u64);
            let generated = generate(&mut rng, &mut economy_rng, shares, municipality, n, &mut used_ids);
            summary.households += n;
            summary.people += generated.people.len() as u64;
            let mut tx = self.write().await?;
            insert_rows(&mut tx, "person", &generated.people).await?;
            crate::search::insert_person_rows(&mut tx, &generated.person_index).await?;
            insert_rows(&mut tx, "household", &generated.households).await?;
            crate::search::insert_household_rows(&mut tx, &generated.household_index).await?;
            insert_rows(&mut tx, "household_member", &generated.members).await?;
            insert_rows(&mut tx, "dwelling", &generated.dwellings).await?;
            insert_rows(&mut tx, "tenancy", &generated.tenancies).await?;
            insert_rows(&mut tx, "tenancy_period", &generated.periods).await?;
            insert_rows(&mut tx, "household_income", &generated.incomes).await?;
            insert_rows(&mut tx, "household_benefit", &generated.benefits).await?;
            let seeded = cases::generate_cases(
                &mut case_rng,
                shares,
                municipality,
                &generated,
                &mut counters,
                today,
                staff,
            );
            insert_rows(&mut tx, "application_case", &seeded.cases).await?;
            insert_rows(&mut tx, "case_decision", &seeded.decisions).await?;
            insert_rows(&mut tx, "grant_ledger", &seeded.ledger).await?;
            insert_rows(&mut tx, "case_event", &generated.events).await?;
            insert_rows(&mut tx, "case_event", &seeded.events).await?;
            let (stays, stay_events) = stays::generate_stays(
                &mut stay_rng,
                municipality,
                &generated,
                today,
                shares.history_years,
                staff,
            );
            insert_rows(&mut tx, "temporary_stay", &stays).await?;
            insert_rows(&mut tx, "case_event", &stay_events).await?;
            let followed =
                follow_up::generate_follow_up(&mut follow_up_rng, municipality, &generated.tenancies, today, staff);
            insert_rows(&mut tx, "rent_ledger_import", &followed.ledger_imports).await?;
            insert_rows(&mut tx, "rent_ledger_entry", &followed.ledger).await?;
            insert_rows(&mut tx, "follow_up_plan", &followed.plans).await?;
            insert_rows(&mut tx, "follow_up_measure", &followed.measures).await?;
            insert_rows(&mut tx, "follow_up_entry", &followed.entries).await?;
            insert_rows(&mut tx, "case_event", &followed.events).await?;
            // (household, person, the person's sort name: family name, a space, given name)
            let names: std::collections::HashMap<&str, String> = generated
                .people
                .iter()
                .filter_map(|row| {
                    let name = format!("{} {}", row[5].as_str()?, row[4].as_str()?);
                    Some((row[0].as_str()?, name))
                })
                .collect();
            let main_applicants: Vec<(String, String, String)> = generated
                .members
                .iter()
                .filter(|row| row[3] == "main_applicant")
                .filter_map(|row| {
                    let person = row[1].as_str()?;
                    Some((
                        row[0].as_str()?.to_string(),
                        person.to_string(),
                        names.get(person)?.clone(),
                    ))
                })
                .collect();
            let consented = consents::generate_consents(
                &mut consent_rng,
                &municipality.id.to_string(),
                &main_applicants,
                &organisations,
                today,
                &staff.caseworker.to_string(),
            );
            insert_rows(&mut tx, "consent", &consented.consents).await?;
            insert_rows(&mut tx, "case_event", &consented.events).await?;
            let vacancies = dwellings::vacant_stock(
                &mut stock_rng,
                &municipality.id.to_string(),
                &municipality.number,
                n,
                &street_postal_codes(&municipality.number),
                today,
                crate::now_micros(),
            );
            insert_rows(&mut tx, "dwelling", &vacancies).await?;
            tx.commit().await?;
            remaining -= n;
            batches += 1;
            if batches.is_power_of_two() {
                self.refresh_plans_while_loading().await?;
            }
        }
        self.save_reference_counters(municipality, &counters).await?;
        self.seed_address_protections(municipality, staff.caseworker, actor)
            .await?;
        self.seed_referrals(municipality, staff.caseworker, today, actor)
            .await?;
        self.seed_meetings(municipality, staff.caseworker, today, actor).await?;
        self.seed_reminder_matters(municipality, today).await?;
        self.analyze().await?;
        self.audit(
            actor,
            Event {
                municipality: Some(municipality.id),
                action: "seed.households",
                resource_kind: "municipality",
                resource_id: municipality.id.to_string(),
                details: json!({ "households": summary.households, "people": summary.people, "seed": seed }),
            },
        )
        .await?;
        Ok(summary)
    }
}

impl Store {
    /// The seeded partner organisations' ids, registered once per municipality (by name).
    async fn seed_partner_organisations(
        &self,
        municipality: &Municipality,
        by: husly_domain::UserId,
        actor: &Actor,
    ) -> StoreResult<Vec<String>> {
        let known = self.partner_organisations(municipality.id).await?;
        let mut ids = Vec::new();
        for (name, kind) in consents::ORGANISATIONS {
            let id = match known.iter().find(|o| o.name == name) {
                Some(o) => o.id.clone(),
                None => {
                    self.add_partner_organisation(municipality.id, name, kind, (actor, by))
                        .await?
                }
            };
            ids.push(id);
        }
        Ok(ids)
    }

    /// The two synthetic staff members seeded cases are attributed to: accounts that cannot sign
    /// in and hold no role, made once per municipality.
    async fn seed_staff(&self, municipality: &Municipality, actor: &Actor) -> StoreResult<cases::SeedStaff> {
        let mut ids = Vec::new();
        for (kind, name) in [
            ("saksbehandler", "Syntetisk saksbehandler"),
            ("attestant", "Syntetisk attestant"),
        ] {
            let email = format!("{kind}.{}@syntetisk.husly.invalid", municipality.number);
            let id = match self.user_by_email(&email).await {
                Ok(user) => user.id,
                Err(crate::StoreError::NotFound) => {
                    let password = crate::accounts::new_secret("");
                    let id = self.create_user(&email, name, &password, actor).await?;
                    self.set_user_disabled(id, true, Some(municipality.id), actor).await?;
                    id
                }
                Err(e) => return Err(e),
            };
            ids.push(id);
        }
        Ok(cases::SeedStaff {
            caseworker: ids[0],
            approver: ids[1],
        })
    }
}

fn generate(
    rng: &mut SplitMix64,
    economy: &mut SplitMix64,
    shares: EconomyShares,
    municipality: &Municipality,
    count: u64,
    used_ids: &mut HashSet<String>,
) -> Generated {
    let now = crate::now_micros();
    let m = municipality.id.to_string();
    let mut out = Generated {
        households: vec![],
        people: vec![],
        person_index: vec![],
        household_index: vec![],
        members: vec![],
        events: vec![],
        dwellings: vec![],
        tenancies: vec![],
        periods: vec![],
        incomes: vec![],
        benefits: vec![],
    };
    let street_codes = street_postal_codes(&municipality.number);
    for _ in 0..count {
        let household = HouseholdId::new();
        let family = format!("{}{}", rng.pick(FAMILY_FIRST), rng.pick(FAMILY_LAST));
        let postal = *rng.pick(&street_codes);
        let from = date_text(random_date(rng, 2015, 2026));
        let address_line = format!("{} {}", rng.pick(STREETS), 1 + rng.below(120));
        out.household_index.push(crate::search::household_row(
            m.clone(),
            household.to_string(),
            (&address_line, &postal.code, &postal.place_name()),
        ));
        out.households.push(vec![
            json!(household.to_string()),
            json!(m),
            json!(address_line),
            json!(postal.code),
            json!(postal.place_name()),
            json!(from),
            Value::Null,
            json!(1),
            json!(now),
            json!(now),
        ]);
        let mut member_ids = Vec::new();
        let shape = household_shape(rng);
        let address = out
            .households
            .last()
            .map(|h| (h[2].clone(), h[3].clone(), h[4].clone()));
        for (position, (relation, birth)) in shape.iter().copied().enumerate() {
            let person = PersonId::new();
            let given = *rng.pick(GIVEN_NAMES);
            let national_id = unique_id(rng, birth, used_ids);
            out.people.push(vec![
                json!(person.to_string()),
                json!(m),
                json!(national_id),
                json!("fodselsnummer"),
                json!(given),
                json!(family.as_str()),
                json!(date_text(birth)),
                if relation == Relation::Child {
                    Value::Null
                } else {
                    json!(format!("+47 9{:07}", rng.below(10_000_000)))
                },
                Value::Null,
                json!("nb"),
                json!(now),
                json!(now),
            ]);
            out.person_index
                .push(crate::search::person_row(m.clone(), person.to_string(), given, &family));
            out.members.push(vec![
                json!(household.to_string()),
                json!(person.to_string()),
                json!(m),
                json!(relation.code()),
                json!(position as i64),
            ]);
            member_ids.push(person);
        }
        if let Some(address) = address {
            generate_economy(
                economy,
                shares,
                &mut out,
                (&m, &municipality.number),
                household,
                &shape,
                &member_ids,
                &from,
                address,
                now,
            );
        }
        out.events.push(vec![
            json!(uuid::Uuid::now_v7().to_string()),
            json!(m),
            json!(household.to_string()),
            json!("household.registered"),
            Value::Null,
            json!("Syntetiske demodata"),
            json!({ "members": member_ids }).to_string().into(),
            json!(now),
            Value::Null,
        ]);
    }
    out
}

/// How much of the generated population rents a municipal dwelling, and how many of those
/// tenants have bostøtte, in per cent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EconomyShares {
    pub tenant_percent: u8,
    pub bostotte_percent: u8,
    /// Per cent of households with an application case (in a spread of states).
    pub case_percent: u8,
    /// Years of history: cases received and stays begun over this many years, those older than
    /// the open caseload decided (and housing applications mostly closed on moving in). Zero:
    /// the last four months only.
    pub history_years: u8,
}

impl Default for EconomyShares {
    /// Roughly a housing office's own caseload: many of its households rent from the
    /// municipality, and about a third of those have bostøtte.
    fn default() -> Self {
        Self {
            tenant_percent: 45,
            bostotte_percent: 35,
            case_percent: 20,
            history_years: 0,
        }
    }
}

/// A municipal dwelling, tenancy, incomes and sometimes bostøtte for a generated household.
#[allow(clippy::too_many_arguments)]
fn generate_economy(
    rng: &mut SplitMix64,
    shares: EconomyShares,
    out: &mut Generated,
    (municipality, municipality_number): (&str, &str),
    household: HouseholdId,
    shape: &[(Relation, time::Date)],
    members: &[PersonId],
    from: &str,
    (address_line, postal_code, postal_city): (Value, Value, Value),
    now: i64,
) {
    let h = household.to_string();
    let children = shape.iter().filter(|(r, _)| *r == Relation::Child).count() as u64;
    for (i, ((relation, birth), person)) in shape.iter().zip(members).enumerate() {
        let income: Option<(&str, u64, u64)> = match relation {
            Relation::MainApplicant if birth.year() <= 1958 => Some(("pension", 190_000, 380_000)),
            Relation::MainApplicant => Some(match rng.below(100) {
                0..45 => ("wages", 200_000, 650_000),
                45..65 => ("disability_benefit", 250_000, 340_000),
                65..80 => ("aap", 200_000, 300_000),
                _ => ("sosialhjelp", 90_000, 150_000),
            }),
            Relation::Spouse | Relation::Cohabitant | Relation::OtherAdult if rng.below(100) < 60 => {
                Some(("wages", 150_000, 500_000))
            }
            _ => None,
        };
        if let Some((kind, low_kr, high_kr)) = income {
            let kr = low_kr + rng.below(high_kr - low_kr);
            out.incomes.push(vec![
                json!(municipality),
                json!(h),
                json!(person.to_string()),
                json!(kind),
                json!((kr * 100) as i64),
                json!(now),
            ]);
        }
        if i == 0 && children > 0 {
            let kr = (1_766 * 12 * children) as i64;
            out.incomes.push(vec![
                json!(municipality),
                json!(h),
                json!(person.to_string()),
                json!("barnetrygd"),
                json!(kr * 100),
                json!(now),
            ]);
        }
    }
    if rng.below(100) >= u64::from(shares.tenant_percent) {
        return;
    }
    let dwelling = uuid::Uuid::now_v7().to_string();
    let bedrooms = (1 + children.div_ceil(2) + u64::from(shape.len() > 1 && children == 0)).min(5) as i64;
    let adapted = rng.below(100) < 5;
    let rent_kr = 5_500 + 1_800 * bedrooms + rng.below(2_500) as i64;
    // The register's other facts come from a generator of their own, so that everything drawn
    // after them (tenancies, incomes, cases) is as before.
    let mut facts_rng = SplitMix64::new((out.dwellings.len() as u64) << 32 ^ rent_kr as u64 ^ 0xD3E1);
    out.dwellings.push(dwellings::dwelling_row(
        &mut facts_rng,
        dwellings::DwellingSeed {
            id: &dwelling,
            municipality,
            municipality_number,
            address: (address_line, postal_code, postal_city),
            bedrooms,
            adapted,
            monthly_rent_ore: rent_kr * 100,
            elderly: shape.first().is_some_and(|(_, born)| born.year() <= 1958),
            status: "let",
            status_from: from,
            now,
        },
    ));
    // Contracts from 2022 on are fixed-term for five years (municipal contracts mostly are,
    // and some then run out within the coming months); older ones run indefinitely. Decided by
    // the start, not drawn, so everything drawn after stays as before.
    let term_end = husly_domain::validation::parse_date(from)
        .filter(|start| start.year() >= 2022)
        .map(|start| husly_domain::tenancy::ordinary_term_end(husly_domain::stays::add_months(start, 24)))
        .map(date_text);
    let tenancy = uuid::Uuid::now_v7().to_string();
    out.tenancies.push(vec![
        json!(tenancy),
        json!(municipality),
        json!(dwelling),
        json!(h),
        json!(from),
        json!(term_end),
        json!(rent_kr * 100),
        json!(rng.below(100) < 70),
        json!(now),
        Value::Null,
        Value::Null,
        json!(if term_end.is_some() { "fixed" } else { "indefinite" }),
        json!(term_end),
        json!("none"),
        json!(0),
        Value::Null,
        Value::Null,
        Value::Null,
        Value::Null,
        json!(1),
        Value::Null,
        // The reference: numbered by the database as the row is written.
        Value::Null,
        // No move-on case: seeded tenancies are running.
        Value::Null,
    ]);
    out.periods.push(vec![
        json!(tenancy),
        json!(1),
        json!(municipality),
        json!(from),
        json!(term_end),
        json!(rent_kr * 100),
        Value::Null,
        json!(now),
        Value::Null,
    ]);
    if rng.below(100) < u64::from(shares.bostotte_percent) {
        out.benefits.push(vec![
            json!(uuid::Uuid::now_v7().to_string()),
            json!(municipality),
            json!(h),
            json!(crate::tenancies::BOSTOTTE),
            json!(from),
            Value::Null,
            json!(now),
        ]);
    }
}

/// A plausible household: a main applicant, sometimes a partner, sometimes children.
fn household_shape(rng: &mut SplitMix64) -> Vec<(Relation, time::Date)> {
    let adult_year = 1940 + rng.below(66) as i32;
    let mut members = vec![(Relation::MainApplicant, random_date(rng, adult_year, adult_year))];
    if rng.below(100) < 35 {
        let relation = if rng.below(2) == 0 {
            Relation::Spouse
        } else {
            Relation::Cohabitant
        };
        let year = (adult_year - 5 + rng.below(11) as i32).clamp(1935, 2006);
        members.push((relation, random_date(rng, year, year)));
    }
    if adult_year >= 1970 {
        for _ in 0..rng.below(4) {
            members.push((Relation::Child, random_date(rng, 2009, 2025)));
        }
    }
    members
}

fn random_date(rng: &mut SplitMix64, from_year: i32, to_year: i32) -> time::Date {
    let year = from_year + rng.below((to_year - from_year + 1) as u64) as i32;
    let ordinal = 1 + rng.below(365) as u16;
    time::Date::from_ordinal_date(year, ordinal).unwrap_or(time::Date::MIN)
}

fn unique_id(rng: &mut SplitMix64, birth: time::Date, used: &mut HashSet<String>) -> String {
    let mut start = rng.below(1000) as u16;
    loop {
        let id = synthetic_tenor_next(birth, start).to_string();
        if used.insert(id.clone()) {
            return id;
        }
        start = (start + 1) % 1000;
    }
}

/// The postal codes for street addresses in the municipality numbered `number`, from Posten's
/// register; Drammen's for a municipality the register does not know (the demo's 9999).
fn street_postal_codes(number: &str) -> Vec<&'static PostalPlace> {
    let register = PostalRegister::embedded();
    let of = |number: &str| -> Vec<&'static PostalPlace> {
        register
            .places()
            .filter(|p| {
                p.municipality_number == number && matches!(p.used_for, PostalUse::Street | PostalUse::StreetAndBox)
            })
            .collect()
    };
    let codes = of(number);
    if codes.is_empty() { of("3301") } else { codes }
}

/// The demo municipality that `husly serve --demo` creates.
pub const DEMO_MUNICIPALITY: (&str, &str) = ("9999", "Demo kommune");

/// A few real municipalities (SSB's 2024 numbers) for multi-municipality seeds.
pub const SEED_MUNICIPALITIES: &[(&str, &str)] = &[
    ("3301", "Drammen"),
    ("0301", "Oslo"),
    ("4601", "Bergen"),
    ("5001", "Trondheim"),
    ("1103", "Stavanger"),
    ("3107", "Fredrikstad"),
    ("5501", "Tromsø"),
    ("4204", "Kristiansand"),
    ("3205", "Lillestrøm"),
    ("3201", "Bærum"),
];

impl Store {
    async fn reference_counters(
        &self,
        municipality: &Municipality,
    ) -> StoreResult<std::collections::BTreeMap<i32, i64>> {
        use sqlx::Row;
        let rows = sqlx::query("SELECT year, last FROM case_reference_counter WHERE municipality_id = $1")
            .bind(municipality.id.to_string())
            .fetch_all(&mut *self.conn().await?)
            .await?;
        rows.iter()
            .map(|r| Ok((r.try_get::<i64, _>("year")? as i32, r.try_get::<i64, _>("last")?)))
            .collect()
    }

    async fn save_reference_counters(
        &self,
        municipality: &Municipality,
        counters: &std::collections::BTreeMap<i32, i64>,
    ) -> StoreResult<()> {
        let mut tx = self.write().await?;
        for (year, last) in counters {
            let updated =
                sqlx::query("UPDATE case_reference_counter SET last = $1 WHERE municipality_id = $2 AND year = $3")
                    .bind(last)
                    .bind(municipality.id.to_string())
                    .bind(i64::from(*year))
                    .execute(tx.conn())
                    .await?;
            if updated.rows_affected() == 0 {
                sqlx::query("INSERT INTO case_reference_counter (municipality_id, year, last) VALUES ($1, $2, $3)")
                    .bind(municipality.id.to_string())
                    .bind(i64::from(*year))
                    .bind(last)
                    .execute(tx.conn())
                    .await?;
            }
        }
        tx.commit().await
    }
}
