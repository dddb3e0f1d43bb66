//! Writes a synthetic allocation round (see `benches/allocation_instance.rs`) and Husly's optimal
//! assignment of it, for `bench/allocation.sh` to compare with scipy.
//!
//! `cargo run --release -p husly-domain --example allocation_round -- HOUSEHOLDS DWELLINGS DIR`
//!
//! Writes `DIR/edges.bin` (little-endian i64 triples: household, dwelling, weight) and prints one
//! JSON line: the size, the number of edges, Husly's total and pair count, and the solve time
//! (best and median of several runs; generation and file writing not included).

#[path = "../benches/allocation_instance.rs"]
mod allocation_instance;

use husly_domain::allocation::matching::assign;
use std::io::Write;
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let [_, households, dwellings, dir] = args.as_slice() else {
        eprintln!("usage: allocation_round HOUSEHOLDS DWELLINGS DIR");
        std::process::exit(2);
    };
    let households: u32 = households.parse().expect("HOUSEHOLDS is a number");
    let dwellings: u32 = dwellings.parse().expect("DWELLINGS is a number");
    let problem = allocation_instance::round(households, dwellings);

    let mut file =
        std::io::BufWriter::new(std::fs::File::create(format!("{dir}/edges.bin")).expect("create edges.bin"));
    for e in &problem.edges {
        for value in [i64::from(e.household), i64::from(e.dwelling), e.weight] {
            file.write_all(&value.to_le_bytes()).expect("write edges.bin");
        }
    }
    file.flush().expect("write edges.bin");
    drop(file);

    let runs = if problem.edges.len() > 1_000_000 { 3 } else { 9 };
    let mut seconds = Vec::new();
    let mut result = None;
    for _ in 0..runs {
        let start = Instant::now();
        let assignment = assign(&problem).expect("a valid round");
        seconds.push(start.elapsed().as_secs_f64());
        if let Some(previous) = &result {
            assert_eq!(previous, &assignment, "the same round gives the same assignment");
        }
        result = Some(assignment);
    }
    let assignment = result.expect("at least one run");
    seconds.sort_by(f64::total_cmp);
    println!(
        "{{\"households\": {households}, \"dwellings\": {dwellings}, \"edges\": {}, \"total\": {}, \"pairs\": {}, \"runs\": {runs}, \"best_s\": {:.6}, \"median_s\": {:.6}}}",
        problem.edges.len(),
        assignment.total,
        assignment.pairs.len(),
        seconds[0],
        seconds[seconds.len() / 2],
    );
}
