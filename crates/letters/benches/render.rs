//! Render time of a typical decision letter (bokmål, municipal housing, two pages).
//! `cargo bench -p husly-letters`

use criterion::{Criterion, criterion_group, criterion_main};
use husly_letters::{Templates, render_html, render_pdf};

#[path = "../tests/common/mod.rs"]
mod common;

fn render(c: &mut Criterion) {
    let letter = common::typical();
    let templates = Templates::builtin();
    let pdf = render_pdf(&letter, &templates).expect("the sample renders");
    println!(
        "typical decision: {} bytes, {} pages",
        pdf.len(),
        common::page_texts(&pdf).len()
    );
    c.bench_function("render_pdf typical decision", |b| {
        b.iter(|| render_pdf(&letter, &templates))
    });
    c.bench_function("render_html typical decision", |b| {
        b.iter(|| render_html(&letter, &templates))
    });
}

criterion_group!(benches, render);
criterion_main!(benches);
