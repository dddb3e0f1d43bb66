//! The waiting list under a priority policy (docs/benchmarks.md): ranking 5 000 households,
//! their places among households competing for the same dwellings, a draft-policy simulation
//! over the same list, and the whole proposal for 500 vacancies (ranking, every household ×
//! vacancy compatibility check, the optimal assignment); and the proposal at the scale of the
//! 1 000 000-household seed, 20 000 households × 20 000 vacancies.
//!
//! `cargo bench -p husly-domain --bench priority`

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use husly_domain::allocation::dwelling::{DwellingStatus, DwellingType};
use husly_domain::allocation::needs::DwellingFacts;
use husly_domain::allocation::policy::PriorityPolicy;
use husly_domain::allocation::priority::{WaitingHousehold, WaitingMember, peer_positions, rank};
use husly_domain::allocation::proposal::{Vacancy, propose};
use husly_domain::allocation::simulation::simulate;
use husly_domain::cases::{CurrentHousing, Reason};
use husly_domain::household::Relation;
use husly_domain::kostra::KostraCategory;
use time::{Date, Duration};

const HOUSEHOLDS: usize = 5_000;

/// A small deterministic generator, so every run measures the same households.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        (z ^ (z >> 31)) % n
    }
}

fn waiting_list(today: Date, households: usize) -> Vec<WaitingHousehold> {
    let mut rng = Rng(7);
    (0..households)
        .map(|i| {
            let born = |years: u64, rng: &mut Rng| today - Duration::days((years * 365 + rng.below(365)) as i64);
            let mut members = vec![WaitingMember {
                relation: Relation::MainApplicant,
                birth_date: born(18 + rng.below(60), &mut rng),
            }];
            if rng.below(3) == 0 {
                members.push(WaitingMember {
                    relation: Relation::Spouse,
                    birth_date: born(20 + rng.below(50), &mut rng),
                });
            }
            for _ in 0..rng.below(4) {
                members.push(WaitingMember {
                    relation: Relation::Child,
                    birth_date: born(rng.below(18), &mut rng),
                });
            }
            let approved_on = today - Duration::days(rng.below(1_500) as i64);
            WaitingHousehold {
                entry_id: format!("entry-{i:05}"),
                members,
                current_housing: Some(CurrentHousing::ALL[rng.below(8) as usize]),
                reasons: vec![Reason::ALL[rng.below(8) as usize]],
                kostra: (rng.below(2) == 0).then(|| KostraCategory::ALL[rng.below(4) as usize]),
                wheelchair_need: rng.below(20) == 0,
                ground_floor_or_lift: rng.below(10) == 0,
                pets: rng.below(10) == 0,
                preferred_areas: vec![],
                areas_to_avoid: vec![],
                received_on: approved_on - Duration::days(rng.below(60) as i64),
                approved_on,
            }
        })
        .collect()
}

/// Vacancies sized like a municipal stock: mostly small, some accessible, in six districts.
fn vacancies(count: usize) -> Vec<Vacancy> {
    let mut rng = Rng(11);
    let districts = ["Bragernes", "Strømsø", "Konnerud", "Fjell", "Åssiden", "Gulskogen"];
    (0..count)
        .map(|i| {
            let floor = rng.below(6) as i64;
            let lift = floor <= 1 || rng.below(2) == 0;
            Vacancy {
                id: format!("d{i}"),
                facts: DwellingFacts {
                    dwelling_type: match rng.below(20) {
                        0 => DwellingType::CareDwelling,
                        1 => DwellingType::YouthDwelling,
                        _ => DwellingType::OrdinaryRental,
                    },
                    status: DwellingStatus::Vacant,
                    bedrooms: [0, 1, 1, 1, 2, 2, 2, 3, 3, 4][rng.below(10) as usize],
                    floor: Some(floor),
                    lift,
                    wheelchair_accessible: lift && rng.below(3) == 0,
                    pets_allowed: rng.below(3) == 0,
                    district: Some(districts[rng.below(6) as usize].to_string()),
                },
            }
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let today = Date::from_calendar_date(2027, time::Month::March, 15).unwrap();
    let list = waiting_list(today, HOUSEHOLDS);
    let policy = PriorityPolicy::embedded();
    let draft = PriorityPolicy::parse(&PriorityPolicy::embedded_text().replace(
        "points_per_month = 1\nmax_points = 36",
        "points_per_month = 2\nmax_points = 48",
    ))
    .unwrap();
    let draw: Vec<String> = list.iter().rev().map(|h| h.entry_id.clone()).collect();
    let mut group = c.benchmark_group("priority");
    group.sample_size(10);
    group.bench_function("rank 5 000 households", |b| {
        b.iter(|| rank(policy, black_box(&list), today, Some(&draw)))
    });
    let ranking = rank(policy, &list, today, Some(&draw));
    group.bench_function("peer positions, 5 000 households", |b| {
        b.iter(|| peer_positions(policy, black_box(&list), &ranking))
    });
    group.bench_function("simulate a draft, 5 000 households", |b| {
        b.iter(|| simulate(policy, &draft, black_box(&list), today, Some(&draw)))
    });
    let vacant = vacancies(500);
    group.bench_function("proposal, 5 000 households x 500 vacancies", |b| {
        b.iter(|| {
            let ranking = rank(policy, black_box(&list), today, Some(&draw));
            propose(policy, &list, &ranking, black_box(&vacant), today).unwrap()
        })
    });
    let (list, vacant) = (waiting_list(today, 20_000), vacancies(20_000));
    group.bench_function("proposal, 20 000 households x 20 000 vacancies", |b| {
        b.iter(|| {
            let ranking = rank(policy, black_box(&list), today, None);
            propose(policy, &list, &ranking, black_box(&vacant), today).unwrap()
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
