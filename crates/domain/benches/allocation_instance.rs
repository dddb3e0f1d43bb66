//! Synthetic allocation rounds for the benchmarks (shared by `benches/allocation.rs` and
//! `examples/allocation_round.rs`), deterministic for a given size.
//!
//! The municipality has 20 areas. A waiting household needs 1–5 bedrooms (35 %, 30 %, 20 %,
//! 10 %, 5 %: small households dominate waiting lists), needs a wheelchair-accessible dwelling in
//! 10 % of cases, accepts 1–3 areas (the first is its first choice), and has 1–120 priority
//! points. A vacant dwelling has 1–5 bedrooms (same spread), is accessible in 30 % of cases and
//! lies in one area. A pair is compatible when the dwelling is in an accepted area, has between
//! the needed number of bedrooms and one more, and is accessible if the household needs it.
//! Weight = points × 1000 + fit bonus (200 for the exact number of bedrooms, 100 for the first
//! choice area, 0–99 for how well the dwelling's rent suits the household's income), so weights
//! differ per pair, not only per household. About 20 compatible dwellings per household for
//! 5 000 × 500, about 200 for 50 000 × 5 000.

use husly_domain::allocation::matching::{AssignmentProblem, Edge};

/// SplitMix64: a small deterministic generator.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        (z ^ (z >> 31)) % n
    }

    fn bedrooms(&mut self) -> u8 {
        match self.below(100) {
            0..35 => 1,
            35..65 => 2,
            65..85 => 3,
            85..95 => 4,
            _ => 5,
        }
    }
}

const AREAS: usize = 20;

struct Dwelling {
    bedrooms: u8,
    accessible: bool,
    area: usize,
    rent_level: i64,
}

/// The round with `households` waiting households and `dwellings` vacancies.
pub fn round(households: u32, dwellings: u32) -> AssignmentProblem {
    let mut rng = Rng(15);
    let stock: Vec<Dwelling> = (0..dwellings)
        .map(|_| Dwelling {
            bedrooms: rng.bedrooms(),
            accessible: rng.below(100) < 30,
            area: rng.below(AREAS as u64) as usize,
            rent_level: rng.below(100) as i64,
        })
        .collect();
    // Dwellings by area, so each household looks only at the areas it accepts.
    let mut by_area: Vec<Vec<u32>> = vec![Vec::new(); AREAS];
    for (index, d) in stock.iter().enumerate() {
        by_area[d.area].push(index as u32);
    }
    let mut edges = Vec::new();
    for household in 0..households {
        let need = rng.bedrooms();
        let wheelchair = rng.below(100) < 10;
        let points = 1 + rng.below(120) as i64;
        let income_level = rng.below(100) as i64;
        let mut areas = Vec::new();
        for _ in 0..1 + rng.below(3) {
            let area = rng.below(AREAS as u64) as usize;
            if !areas.contains(&area) {
                areas.push(area);
            }
        }
        for (choice, &area) in areas.iter().enumerate() {
            for &dwelling in &by_area[area] {
                let d = &stock[dwelling as usize];
                if d.bedrooms < need || d.bedrooms > need + 1 || (wheelchair && !d.accessible) {
                    continue;
                }
                let exact = if d.bedrooms == need { 200 } else { 0 };
                let first_choice = if choice == 0 { 100 } else { 0 };
                let rent_fit = 99 - (d.rent_level - income_level).abs();
                edges.push(Edge {
                    household,
                    dwelling,
                    weight: points * 1000 + exact + first_choice + rent_fit,
                });
            }
        }
    }
    AssignmentProblem {
        households,
        dwellings,
        edges,
    }
}
