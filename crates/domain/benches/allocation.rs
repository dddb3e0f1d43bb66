//! Allocation rounds (docs/benchmarks.md, issue 15): the optimal assignment for 5 000 waiting
//! households × 500 vacancies and 50 000 × 5 000, on the synthetic rounds described in
//! `allocation_instance.rs`. `bench/allocation.sh` compares the same rounds with scipy.
//!
//! `cargo bench -p husly-domain --bench allocation`

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use husly_domain::allocation::matching::assign;

mod allocation_instance;

fn allocation(c: &mut Criterion) {
    let mut group = c.benchmark_group("allocation");
    group.sample_size(10);
    for (households, dwellings) in [(5_000, 500), (50_000, 5_000)] {
        let problem = allocation_instance::round(households, dwellings);
        group.bench_function(format!("{households}x{dwellings}"), |b| {
            b.iter(|| assign(black_box(&problem)).expect("a valid round"))
        });
    }
    group.finish();
}

criterion_group!(benches, allocation);
criterion_main!(benches);
