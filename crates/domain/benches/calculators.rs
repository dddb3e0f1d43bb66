//! Calculator throughput (docs/benchmarks.md): the bostøtte outreach estimate over one million
//! synthetic tenancies, and startlån affordability for 10 000 cases.
//!
//! `cargo bench -p husly-domain --bench calculators`

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use husly_domain::bostotte::{BostotteRules, MonthRules, QuickHousehold, QuickMember};
use husly_domain::rules::YearMonth;
use husly_domain::startlan::{
    AffordabilityInput, HouseholdComposition, LoanKind, Loans, StartlanLoan, StartlanRules, assess,
};
use time::Date;

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

/// Members of all households in one vector, and each household's range in it.
struct Tenancies {
    members: Vec<QuickMember>,
    households: Vec<(usize, usize, i64, u8, bool)>,
}

fn tenancies(count: usize) -> Tenancies {
    let mut rng = Rng(7);
    let mut members = Vec::with_capacity(count * 2);
    let mut households = Vec::with_capacity(count);
    for _ in 0..count {
        let start = members.len();
        let size = 1 + rng.below(4) as usize;
        for i in 0..size {
            let year = if i == 0 {
                1940 + rng.below(65)
            } else {
                1950 + rng.below(75)
            } as i32;
            let birth = Date::from_ordinal_date(year, 1 + rng.below(365) as u16).expect("valid date");
            members.push(QuickMember {
                birth_date: birth,
                income_ore: rng.below(500_000) as i64 * 100,
                old_age_pensioner: year < 1958,
            });
        }
        let rent_ore = (6_000 + rng.below(12_000) as i64) * 12 * 100;
        households.push((start, size, rent_ore, 1 + rng.below(4) as u8, rng.below(2) == 0));
    }
    Tenancies { members, households }
}

fn bostotte_outreach(c: &mut Criterion) {
    const COUNT: usize = 1_000_000;
    let data = tenancies(COUNT);
    let month: YearMonth = "2026-07".parse().expect("month");
    let rules = MonthRules::new(BostotteRules::embedded(), month).expect("rules in force");
    let mut group = c.benchmark_group("bostotte");
    group.throughput(Throughput::Elements(COUNT as u64));
    group.sample_size(10);
    group.bench_function("outreach estimate, 1 000 000 tenancies, one core", |b| {
        b.iter(|| {
            let mut total = 0i64;
            for &(start, size, rent, municipality_group, heating_included) in &data.households {
                total += rules.quick_monthly(&QuickHousehold {
                    members: &data.members[start..start + size],
                    municipality_group,
                    annual_rent_ore: rent,
                    heating_included,
                    adapted_dwelling: false,
                });
            }
            black_box(total)
        })
    });
    group.finish();
}

fn startlan_affordability(c: &mut Criterion) {
    const COUNT: usize = 10_000;
    let mut rng = Rng(11);
    let cases: Vec<AffordabilityInput> = (0..COUNT)
        .map(|_| {
            let couple = rng.below(2) == 0;
            AffordabilityInput {
                month: "2026-01".parse().expect("month"),
                household: HouseholdComposition {
                    adults: if couple { 2 } else { 1 },
                    couple,
                    children_ages: (0..rng.below(4)).map(|_| rng.below(18) as u32).collect(),
                    ..Default::default()
                },
                income_after_tax_kr: 20_000 + rng.below(50_000) as i64,
                fixed_costs: Vec::new(),
                maintenance_kr: 1_500,
                own_living_cost_estimate_kr: None,
                loans: Loans {
                    startlan: StartlanLoan {
                        principal_kr: 1_000_000 + rng.below(3_000_000) as i64,
                        term_years: 30,
                        instalment_free_years: 0,
                        kind: if rng.below(4) == 0 {
                            LoanKind::Serial
                        } else {
                            LoanKind::Annuity
                        },
                        extended_term_reason: None,
                        extended_term_conditions: None,
                    },
                    bank: None,
                },
                financing: None,
            }
        })
        .collect();
    let rules = StartlanRules::embedded();
    let mut group = c.benchmark_group("startlan");
    group.throughput(Throughput::Elements(COUNT as u64));
    group.sample_size(10);
    group.bench_function("affordability, 10 000 cases", |b| {
        b.iter(|| {
            let mut affordable = 0usize;
            for case in &cases {
                if assess(case, rules).is_ok_and(|r| r.affordable) {
                    affordable += 1;
                }
            }
            black_box(affordable)
        })
    });
    group.finish();
}

criterion_group!(benches, bostotte_outreach, startlan_affordability);
criterion_main!(benches);
