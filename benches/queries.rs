//! Criterion benchmarks at 10k, 100k and 1M entities (five relations per
//! entity): loading per megabyte, partners, depth-2 neighbourhoods and
//! shortest paths with and without a date-and-kind filter, agreements in
//! force, search; and beside them the plain-array reference of the same
//! neighbourhood and path queries (`benches/reference.rs`).
//!
//! ```text
//! cargo bench --bench queries
//! HEALTHGRAPH_BENCH_SIZES=10000,100000 cargo bench --bench queries
//! ```
//!
//! Each query benchmark cycles through 64 start entities (or pairs) drawn
//! with a fixed seed, so a measurement is the mean over that mix.

// A benchmark: bad input should stop it loudly.
#![allow(clippy::expect_used, clippy::indexing_slicing)]

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use healthgraph::{Filter, HealthGraph, RelationKind};

mod reference;
mod synth;

const KINDS: [RelationKind; 3] = [
    RelationKind::Mou,
    RelationKind::Renewal,
    RelationKind::Cooperation,
];
const KIND_NAMES: [&str; 3] = ["mou", "renewal", "cooperation"];
const DATE: &str = "2020-06-15";

fn sizes() -> Vec<usize> {
    std::env::var("HEALTHGRAPH_BENCH_SIZES")
        .unwrap_or_else(|_| "10000,100000,1000000".into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect()
}

struct Case {
    ron: String,
    tsv: String,
    starts: Vec<String>,
    pairs: Vec<(String, String)>,
}

fn case(n: usize) -> Case {
    let data = synth::Synth::generate(n, 42);
    let (mut ron, mut tsv) = (Vec::new(), Vec::new());
    data.write_ron(&mut ron).expect("RON");
    data.write_tsv(&mut tsv).expect("TSV");
    // Start entities and pairs among those with a relation, with a fixed seed.
    let mut with_relations: Vec<u32> = data.relations.iter().flat_map(|r| [r.from, r.to]).collect();
    with_relations.sort_unstable();
    with_relations.dedup();
    let mut rng = synth::Rng::new(7);
    let mut pick = || format!("e{}", with_relations[rng.below(with_relations.len())]);
    let starts = (0..64).map(|_| pick()).collect();
    let pairs = (0..64).map(|_| (pick(), pick())).collect();
    Case {
        ron: String::from_utf8(ron).expect("UTF-8"),
        tsv: String::from_utf8(tsv).expect("UTF-8"),
        starts,
        pairs,
    }
}

fn benches(c: &mut Criterion) {
    let date = DATE.parse().expect("date");
    let day = DATE.parse::<healthgraph::Date>().expect("date");
    let day_number = {
        // Day number of the date, as the TSV writes them.
        let (y, m, d) = (
            i32::from(day.year()),
            u32::from(day.month().unwrap_or(1)),
            u32::from(day.day().unwrap_or(1)),
        );
        synth::days(y, m, d) as i32
    };
    for n in sizes() {
        let case = case(n);
        let mut load = c.benchmark_group("load");
        load.sample_size(10);
        load.throughput(Throughput::Bytes(case.ron.len() as u64));
        load.bench_function(BenchmarkId::from_parameter(n), |b| {
            b.iter(|| HealthGraph::from_ron_str(black_box(&case.ron)).expect("valid"))
        });
        load.finish();

        let graph = HealthGraph::from_ron_str(&case.ron).expect("valid");
        let all = graph.view(Filter::new());
        let filtered = graph.view(Filter::new().kinds(KINDS).on(date));
        let mut reference = reference::Reference::from_tsv(&case.tsv, &KIND_NAMES);
        let mut group = c.benchmark_group(format!("queries/{n}"));
        let mut i = 0usize;
        let mut next = |len: usize| {
            i = (i + 1) % len;
            i
        };
        group.bench_function("partners", |b| {
            b.iter(|| all.partners(&case.starts[next(64)]).expect("known").len())
        });
        for (name, view, filter) in [
            ("unfiltered", &all, None),
            ("filtered", &filtered, Some(day_number)),
        ] {
            group.bench_function(format!("neighbourhood-2/{name}"), |b| {
                b.iter(|| {
                    view.neighbourhood(&case.starts[next(64)], 2)
                        .expect("known")
                        .relations()
                        .len()
                })
            });
            group.bench_function(format!("within-2/{name}"), |b| {
                b.iter(|| view.within(&case.starts[next(64)], 2).expect("known").len())
            });
            group.bench_function(format!("reference-within-2/{name}"), |b| {
                b.iter(|| reference.within(&case.starts[next(64)], 2, filter))
            });
            group.bench_function(format!("shortest-path/{name}"), |b| {
                b.iter(|| {
                    let (a, z) = &case.pairs[next(64)];
                    view.shortest_path(a, z).expect("known").map(|p| p.len())
                })
            });
            group.bench_function(format!("reference-shortest-path/{name}"), |b| {
                b.iter(|| {
                    let (a, z) = &case.pairs[next(64)];
                    reference.path(a, z, filter)
                })
            });
        }
        group.bench_function("in-force", |b| {
            b.iter(|| filtered.in_force(date).in_force().len())
        });
        group.bench_function("search", |b| {
            b.iter(|| all.search(black_box("benh vien ha noi")).len())
        });
        group.finish();
    }
}

criterion_group!(name = all; config = Criterion::default().sample_size(20); targets = benches);
criterion_main!(all);
