//! The healthgraph side of `benches/compare.py`: loads a data set, runs a list
//! of queries, and prints per-query times (seconds) and answer sizes as JSON.
//!
//! ```text
//! cargo bench --bench runner -- --data synth.ron --queries queries.json
//! ```
//!
//! The query file is written by `compare.py`:
//! `{"date": "2020-06-15", "kinds": ["mou", ...], "starts": ["e1", ...], "pairs": [["e1", "e2"], ...]}`.

// A benchmark harness: bad input should stop it loudly.
#![allow(clippy::expect_used, clippy::indexing_slicing)]

use std::time::Instant;

use healthgraph::{Filter, HealthGraph, RelationKind};
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

/// The plain-array reference: the graph as CSR over both directions, the
/// filter's fields in parallel arrays, generation-stamped marks. Built from
/// the TSV edge list, without the library.
struct Reference {
    index: std::collections::HashMap<String, u32>,
    offsets: Vec<u32>,
    targets: Vec<u32>,
    edges: Vec<u32>,
    kind: Vec<u8>,
    lo: Vec<i32>,
    hi: Vec<i32>,
    mark: Vec<u32>,
    dist: Vec<u32>,
    mark_back: Vec<u32>,
    generation: u32,
}

impl Reference {
    fn load(tsv: &str, kinds: &[&str]) -> Reference {
        let text = std::fs::read_to_string(tsv).expect("TSV");
        let mut index = std::collections::HashMap::new();
        let (mut ends, mut kind, mut lo, mut hi) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for line in text.lines().skip(1) {
            let f: Vec<&str> = line.split('\t').collect();
            let mut id = |name: &str| {
                let n = index.len() as u32;
                *index.entry(name.to_owned()).or_insert(n)
            };
            ends.push((id(f[0]), id(f[1])));
            kind.push(u8::from(kinds.contains(&f[2])));
            lo.push(f[3].parse::<i32>().expect("day"));
            hi.push(f[4].parse::<i32>().expect("day"));
        }
        let n = index.len();
        let mut degree = vec![0u32; n + 1];
        for &(a, b) in &ends {
            degree[a as usize + 1] += 1;
            degree[b as usize + 1] += 1;
        }
        for i in 1..=n {
            degree[i] += degree[i - 1];
        }
        let offsets = degree.clone();
        let mut fill = degree;
        let mut targets = vec![0u32; 2 * ends.len()];
        let mut edges = vec![0u32; 2 * ends.len()];
        for (e, &(a, b)) in ends.iter().enumerate() {
            for (x, y) in [(a, b), (b, a)] {
                let at = fill[x as usize] as usize;
                targets[at] = y;
                edges[at] = e as u32;
                fill[x as usize] += 1;
            }
        }
        Reference {
            index,
            offsets,
            targets,
            edges,
            kind,
            lo,
            hi,
            mark: vec![0; n],
            dist: vec![0; n],
            mark_back: vec![0; n],
            generation: 0,
        }
    }

    fn next<'a>(&'a self, v: u32, filter: Option<i32>) -> impl Iterator<Item = u32> + 'a {
        let (a, b) = (
            self.offsets[v as usize] as usize,
            self.offsets[v as usize + 1] as usize,
        );
        (a..b).filter_map(move |i| {
            let e = self.edges[i] as usize;
            let pass = filter
                .is_none_or(|day| self.kind[e] == 1 && self.lo[e] <= day && self.hi[e] >= day);
            pass.then_some(self.targets[i])
        })
    }

    /// Entities within two hops, with their distances: the count.
    fn within(&mut self, s: &str, depth: u32, filter: Option<i32>) -> usize {
        self.generation += 1;
        let g = self.generation;
        let s = self.index[s];
        self.mark[s as usize] = g;
        self.dist[s as usize] = 0;
        let mut order = vec![s];
        let mut head = 0;
        while head < order.len() {
            let v = order[head];
            head += 1;
            let d = self.dist[v as usize];
            if d >= depth {
                continue;
            }
            let next: Vec<u32> = self.next(v, filter).collect();
            for o in next {
                if self.mark[o as usize] != g {
                    self.mark[o as usize] = g;
                    self.dist[o as usize] = d + 1;
                    order.push(o);
                }
            }
        }
        order.len()
    }

    /// Bidirectional BFS: the length of a shortest path, or -1.
    fn path(&mut self, a: &str, b: &str, filter: Option<i32>) -> i64 {
        self.generation += 1;
        let g = self.generation;
        let (a, b) = (self.index[a], self.index[b]);
        if a == b {
            return 0;
        }
        self.mark[a as usize] = g;
        self.dist[a as usize] = 0;
        self.mark_back[b as usize] = g;
        let mut back_dist = std::collections::HashMap::from([(b, 0u32)]);
        let (mut fwd, mut bwd) = (vec![a], vec![b]);
        while !fwd.is_empty() && !bwd.is_empty() {
            let forward = fwd.len() <= bwd.len();
            let frontier = if forward {
                std::mem::take(&mut fwd)
            } else {
                std::mem::take(&mut bwd)
            };
            let mut next = Vec::new();
            for &u in &frontier {
                let du = if forward {
                    self.dist[u as usize]
                } else {
                    back_dist[&u]
                };
                let steps: Vec<u32> = self.next(u, filter).collect();
                for v in steps {
                    let (other, this) = if forward {
                        (&self.mark_back, &self.mark)
                    } else {
                        (&self.mark, &self.mark_back)
                    };
                    if other[v as usize] == g {
                        let dv = if forward {
                            back_dist[&v]
                        } else {
                            self.dist[v as usize]
                        };
                        return i64::from(du + 1 + dv);
                    }
                    if this[v as usize] != g {
                        if forward {
                            self.mark[v as usize] = g;
                            self.dist[v as usize] = du + 1;
                        } else {
                            self.mark_back[v as usize] = g;
                            back_dist.insert(v, du + 1);
                        }
                        next.push(v);
                    }
                }
            }
            if forward { fwd = next } else { bwd = next }
        }
        -1
    }
}

fn main() {
    let (Some(data), Some(queries)) = (arg("--data"), arg("--queries")) else {
        eprintln!("usage: cargo bench --bench runner -- --data FILE.ron --queries QUERIES.json");
        std::process::exit(2);
    };
    let q: Value = serde_json::from_str(&std::fs::read_to_string(queries).expect("queries file"))
        .expect("queries JSON");
    let (load_s, graph) = time(|| HealthGraph::load(&data).expect("a valid data set"));
    let date = q["date"].as_str().expect("date").parse().expect("a date");
    let kinds: Vec<RelationKind> = q["kinds"]
        .as_array()
        .expect("kinds")
        .iter()
        .map(|k| k.as_str().expect("kind").parse().expect("a kind"))
        .collect();
    let filtered = graph.view(Filter::new().kinds(kinds).on(date));
    let all = graph.view(Filter::new());
    let starts: Vec<&str> = q["starts"]
        .as_array()
        .expect("starts")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    let pairs: Vec<(&str, &str)> = q["pairs"]
        .as_array()
        .expect("pairs")
        .iter()
        .filter_map(|p| Some((p[0].as_str()?, p[1].as_str()?)))
        .collect();
    let mut results = serde_json::Map::new();
    for (name, view) in [("filtered", &filtered), ("unfiltered", &all)] {
        let (mut times, mut sizes) = (Vec::new(), Vec::new());
        for s in &starts {
            let (t, n) = time(|| view.within(s, 2).map(|n| n.len()).unwrap_or(0));
            times.push(t);
            sizes.push(n);
        }
        results.insert(
            format!("neighbourhood_{name}"),
            json!({"times": times, "sizes": sizes}),
        );
        // The full ego network, with the relations among its members (which
        // the peer tools do not compute), for the record.
        let mut times = Vec::new();
        for s in &starts {
            let (t, _) = time(|| {
                view.neighbourhood(s, 2)
                    .map(|n| n.relations().len())
                    .unwrap_or(0)
            });
            times.push(t);
        }
        results.insert(format!("ego_network_{name}"), json!({"times": times}));
        let (mut times, mut sizes) = (Vec::new(), Vec::new());
        for (a, b) in &pairs {
            let (t, n) = time(|| {
                view.shortest_path(a, b)
                    .ok()
                    .flatten()
                    .map(|p| p.len() as i64)
                    .unwrap_or(-1)
            });
            times.push(t);
            sizes.push(n);
        }
        results.insert(
            format!("path_{name}"),
            json!({"times": times, "sizes": sizes}),
        );
    }
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
        let names: Vec<&str> = q["kinds"]
            .as_array()
            .expect("kinds")
            .iter()
            .filter_map(Value::as_str)
            .collect();
        let day = q["day"].as_i64().expect("day") as i32;
        let (load_s, mut r) = time(|| Reference::load(&tsv, &names));
        let mut results = serde_json::Map::new();
        for (name, filter) in [("filtered", Some(day)), ("unfiltered", None)] {
            let (mut times, mut sizes) = (Vec::new(), Vec::new());
            for s in &starts {
                let (t, n) = time(|| r.within(s, 2, filter));
                times.push(t);
                sizes.push(n);
            }
            results.insert(
                format!("neighbourhood_{name}"),
                json!({"times": times, "sizes": sizes}),
            );
            let (mut times, mut sizes) = (Vec::new(), Vec::new());
            for (a, b) in &pairs {
                let (t, n) = time(|| r.path(a, b, filter));
                times.push(t);
                sizes.push(n);
            }
            results.insert(
                format!("path_{name}"),
                json!({"times": times, "sizes": sizes}),
            );
        }
        println!(
            "{}",
            json!({"tool": "reference", "load_s": load_s, "results": results})
        );
    }
}
