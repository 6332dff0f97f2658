//! Criterion benchmarks at 10k, 100k and 1M entities (five relations per
//! entity): loading per megabyte (RON, and the binary snapshot of the same
//! graph), partners, depth-2 neighbourhoods and
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
//!
//! The `shapes` group loads the input shapes that once cost more than their
//! size (a renewal chain written newest-first, the same chain without its
//! root, 80,000 duplicate ids on one line, a whole data set on one line), each
//! at two sizes: linear loading shows as equal time per byte.

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
        let graph = HealthGraph::from_ron_str(&case.ron).expect("valid");
        let mut snapshot = Vec::new();
        graph.write_snapshot(&mut snapshot).expect("snapshot");
        load.throughput(Throughput::Bytes(snapshot.len() as u64));
        load.bench_function(BenchmarkId::new("snapshot", n), |b| {
            b.iter(|| HealthGraph::from_snapshot(black_box(&snapshot)).expect("valid"))
        });
        load.finish();

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

        // Time as the question: a month's change report (its cost should
        // follow what it reports, not the graph), and chronological paths
        // against shortest paths of the same view between the same pairs.
        let partnership = graph.view(Filter::partnership());
        let (from, to) = (
            "2020-06".parse().expect("date"),
            "2020-06".parse().expect("date"),
        );
        let report = partnership.changes(from, to);
        let reported = report.began().len()
            + report.ended().len()
            + report.renewed().len()
            + report.amended().len()
            + report.superseded().len()
            + report.reported().len();
        eprintln!("time/{n}: the 2020-06 report lists {reported} changes");
        // Counting the pairs with a chronological path costs 64 searches
        // (minutes at 1M): only when asked.
        if std::env::var_os("HEALTHGRAPH_BENCH_COUNT_PATHS").is_some() {
            let found = case
                .pairs
                .iter()
                .filter(|(a, z)| {
                    partnership
                        .chronological_path(a, z, None)
                        .ok()
                        .flatten()
                        .is_some()
                })
                .count();
            eprintln!("time/{n}: {found} of 64 pairs have a chronological path");
        }
        let mut time = c.benchmark_group(format!("time/{n}"));
        time.bench_function("between-one-month", |b| {
            b.iter(|| partnership.between(black_box(from), black_box(to)).len())
        });
        time.bench_function("dated-within-one-month", |b| {
            b.iter(|| {
                partnership
                    .dated_within(black_box(from), black_box(to))
                    .len()
            })
        });
        time.bench_function("changes-one-month", |b| {
            b.iter(|| {
                partnership
                    .changes(black_box(from), black_box(to))
                    .began()
                    .len()
            })
        });
        time.bench_function("shortest-path/partnership", |b| {
            b.iter(|| {
                let (a, z) = &case.pairs[next(64)];
                partnership
                    .shortest_path(a, z)
                    .expect("known")
                    .map(|p| p.len())
            })
        });
        time.bench_function("chronological-path/partnership", |b| {
            b.iter(|| {
                let (a, z) = &case.pairs[next(64)];
                partnership
                    .chronological_path(a, z, None)
                    .expect("known")
                    .map(|p| p.len())
            })
        });
        // The first chronological path on a new view also lists the view's
        // dated steps in time order, which later ones reuse.
        time.bench_function("chronological-path/first-on-a-view", |b| {
            b.iter(|| {
                let (a, z) = &case.pairs[next(64)];
                graph
                    .view(Filter::partnership())
                    .chronological_path(a, z, None)
                    .expect("known")
                    .map(|p| p.len())
            })
        });
        time.finish();
    }
}

/// A renewal chain of `n` links after a root MOU, written newest-first;
/// without the root when `root` is false.
fn chain(n: usize, root: bool) -> String {
    let mut text = String::from(
        "(sources: [(id: \"s\", title: \"T\", published: \"2020\", language: \"en\")],\n\
         entities: [(id: \"a\", kind: \"city\", name: \"A\", sources: [\"s\"]),\n\
         (id: \"b\", kind: \"hospital\", name: \"B\", sources: [\"s\"])],\nrelations: [\n",
    );
    for i in (1..=n).rev() {
        text.push_str(&format!(
            "(id: \"r{i}\", kind: \"renewal\", from: \"a\", to: \"b\", status: \"signed\", basis: \"stated\", renews: \"r{}\", sources: [\"s\"]),\n",
            i - 1
        ));
    }
    if root {
        text.push_str("(id: \"r0\", kind: \"mou\", from: \"a\", to: \"b\", status: \"signed\", basis: \"stated\", sources: [\"s\"]),\n");
    }
    text.push_str("])");
    text
}

/// `n` entities that all have the same id, on one line.
fn duplicates(n: usize) -> String {
    let entity = "(id: \"x\", kind: \"city\", name: \"X\", sources: [\"s\"])";
    format!(
        "(sources: [(id: \"s\", title: \"T\", published: \"2025\", language: \"en\")], entities: [{}])",
        vec![entity; n].join(",")
    )
}

/// A synthetic data set of `n` entities, written on one line.
fn one_line(n: usize) -> String {
    let mut ron = Vec::new();
    synth::Synth::generate(n, 42)
        .write_ron(&mut ron)
        .expect("RON");
    let text = String::from_utf8(ron).expect("UTF-8");
    text.lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .map(str::trim)
        .collect::<Vec<_>>()
        .join(" ")
}

fn shapes(c: &mut Criterion) {
    let mut group = c.benchmark_group("shapes");
    group.sample_size(10);
    for n in [20_000, 40_000] {
        let cases = [
            ("chain-newest-first", chain(n, true), true),
            ("chain-without-root", chain(n, false), false),
            ("duplicates-on-one-line", duplicates(2 * n), false),
            ("data-set-on-one-line", one_line(n / 8), true),
        ];
        for (name, text, valid) in cases {
            group.throughput(Throughput::Bytes(text.len() as u64));
            group.bench_function(BenchmarkId::new(name, n), |b| {
                b.iter(|| {
                    let loaded = HealthGraph::from_ron_str(black_box(&text));
                    assert_eq!(loaded.is_ok(), valid, "{name}");
                })
            });
        }
    }
    group.finish();
}

criterion_group!(name = all; config = Criterion::default().sample_size(20); targets = benches, shapes);
criterion_main!(all);
