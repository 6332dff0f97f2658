//! The healthgraph side of `benches/compare.py`: loads a data set, runs a list
//! of queries, and prints per-query times (seconds) and answer sizes as JSON.
//!
//! ```text
//! cargo bench --bench runner -- --data synth.ron --queries queries.json
//! ```
//!
//! The query file is written by `compare.py`:
//! `{"date": "2020-06-15", "kinds": ["mou", ...], "starts": ["e1", ...], "pairs": [["e1", "e2"], ...],
//! "linked_pairs": [...]}` (pairs with a path under the filter).

// A benchmark harness: bad input should stop it loudly.
#![allow(clippy::expect_used, clippy::indexing_slicing)]

use std::time::Instant;

use healthgraph::{Filter, HealthGraph, RelationKind, View};
use serde_json::{Value, json};

fn arg(name: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

fn time<T>(f: impl FnOnce() -> T) -> (f64, T) {
    let t = Instant::now();
    let v = f();
    (t.elapsed().as_secs_f64(), v)
}

/// Runs `f` on each query, timing each call:
/// `{"times": [seconds, ...], "sizes": [answer size, ...]}`.
fn each<Q, T: serde::Serialize>(queries: &[Q], mut f: impl FnMut(&Q) -> T) -> Value {
    let (mut times, mut sizes) = (Vec::new(), Vec::new());
    for q in queries {
        let (t, n) = time(|| f(q));
        times.push(t);
        sizes.push(json!(n));
    }
    json!({"times": times, "sizes": sizes})
}

/// The number of hops of the shortest path, or -1 if there is none.
fn path_len(view: &View<'_>, a: &str, b: &str) -> i64 {
    view.shortest_path(a, b)
        .ok()
        .flatten()
        .map(|p| p.len() as i64)
        .unwrap_or(-1)
}

mod reference;

use reference::Reference;

fn main() {
    let (Some(data), Some(queries)) = (arg("--data"), arg("--queries")) else {
        eprintln!("usage: cargo bench --bench runner -- --data FILE.ron --queries QUERIES.json");
        std::process::exit(2);
    };
    let q: Value = serde_json::from_str(&std::fs::read_to_string(queries).expect("queries file"))
        .expect("queries JSON");
    let (load_s, graph) = time(|| HealthGraph::load(&data).expect("a valid data set"));
    let date = q["date"].as_str().expect("date").parse().expect("a date");
    let names: Vec<&str> = q["kinds"]
        .as_array()
        .expect("kinds")
        .iter()
        .map(|k| k.as_str().expect("kind"))
        .collect();
    let kinds: Vec<RelationKind> = names.iter().map(|k| k.parse().expect("a kind")).collect();
    let filtered = graph.view(Filter::new().kinds(kinds).on(date));
    let all = graph.view(Filter::new());
    let starts: Vec<&str> = q["starts"]
        .as_array()
        .expect("starts")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    let pairs_of = |key: &str| -> Vec<(&str, &str)> {
        q[key]
            .as_array()
            .expect("pairs")
            .iter()
            .filter_map(|p| Some((p[0].as_str()?, p[1].as_str()?)))
            .collect()
    };
    let pairs = pairs_of("pairs");
    // Pairs that have a path under the filter.
    let linked = pairs_of("linked_pairs");
    let mut results = serde_json::Map::new();
    for (name, view) in [("filtered", &filtered), ("unfiltered", &all)] {
        results.insert(
            format!("neighbourhood_{name}"),
            each(&starts, |s| view.within(s, 2).map(|n| n.len()).unwrap_or(0)),
        );
        // The full ego network, with the relations among its members (which
        // the peer tools do not compute), for the record.
        results.insert(
            format!("ego_network_{name}"),
            each(&starts, |s| {
                view.neighbourhood(s, 2)
                    .map(|n| n.relations().len())
                    .unwrap_or(0)
            }),
        );
        results.insert(
            format!("path_{name}"),
            each(&pairs, |(a, b)| path_len(view, a, b)),
        );
    }
    results.insert(
        "path_linked".to_owned(),
        each(&linked, |(a, b)| path_len(&filtered, a, b)),
    );
    // The filtered view with its steps listed once (`View::indexed`), as
    // igraph and rustworkx build their filtered graphs once: the listing
    // timed on its own, the queries on it.
    let (index_s, indexed) = time(|| filtered.clone().indexed());
    results.insert(
        "index_filtered".to_owned(),
        json!({"times": [index_s], "sizes": [0]}),
    );
    results.insert(
        "neighbourhood_filtered_indexed".to_owned(),
        each(&starts, |s| {
            indexed.within(s, 2).map(|n| n.len()).unwrap_or(0)
        }),
    );
    results.insert(
        "path_filtered_indexed".to_owned(),
        each(&pairs, |(a, b)| path_len(&indexed, a, b)),
    );
    results.insert(
        "path_linked_indexed".to_owned(),
        each(&linked, |(a, b)| path_len(&indexed, a, b)),
    );
    // The first call builds caches (the id order, the folded names); the
    // second shows the steady state.
    for round in ["first", "again"] {
        let (t, on) = time(|| filtered.in_force(date));
        results.insert(
            format!("in_force_{round}"),
            json!({"times": [t], "sizes": [on.in_force().len()]}),
        );
        let (t, hits) = time(|| all.search("benh vien ha noi"));
        results.insert(
            format!("search_{round}"),
            json!({"times": [t], "sizes": [hits.len()]}),
        );
    }
    println!(
        "{}",
        json!({"tool": "healthgraph", "load_s": load_s, "results": results})
    );
    if let Some(tsv) = arg("--tsv") {
        let day = q["day"].as_i64().expect("day") as i32;
        let text = std::fs::read_to_string(&tsv).expect("TSV");
        let (load_s, mut r) = time(|| Reference::from_tsv(&text, &names));
        let mut results = serde_json::Map::new();
        for (name, filter) in [("filtered", Some(day)), ("unfiltered", None)] {
            results.insert(
                format!("neighbourhood_{name}"),
                each(&starts, |s| r.within(s, 2, filter)),
            );
            results.insert(
                format!("path_{name}"),
                each(&pairs, |(a, b)| r.path(a, b, filter)),
            );
        }
        results.insert(
            "path_linked".to_owned(),
            each(&linked, |(a, b)| r.path(a, b, Some(day))),
        );
        println!(
            "{}",
            json!({"tool": "reference", "load_s": load_s, "results": results})
        );
    }
}
