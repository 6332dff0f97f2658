//! The plain-array reference the benchmarks compare healthgraph with: the
//! graph as CSR over both directions, the filter's fields (kind, first and
//! last day) in parallel arrays, generation-stamped marks, breadth-first
//! search and bidirectional breadth-first search. Built from the TSV edge
//! list, without the library: the limit of what the same queries can cost.

// A benchmark helper: indices are bounded by construction, bad input should
// stop it loudly.
#![allow(clippy::expect_used, clippy::indexing_slicing, dead_code)]

/// The plain-array reference: the graph as CSR over both directions, the
/// filter's fields in parallel arrays, generation-stamped marks. Built from
/// the TSV edge list, without the library.
pub(crate) struct Reference {
    index: std::collections::HashMap<String, u32, foldhash::fast::RandomState>,
    offsets: Vec<u32>,
    targets: Vec<u32>,
    edges: Vec<u32>,
    kind: Vec<u8>,
    lo: Vec<i32>,
    hi: Vec<i32>,
    mark: Vec<u32>,
    dist: Vec<u32>,
    mark_back: Vec<u32>,
    dist_back: Vec<u32>,
    generation: u32,
}

impl Reference {
    pub(crate) fn from_tsv(text: &str, kinds: &[&str]) -> Reference {
        let mut index =
            std::collections::HashMap::with_hasher(foldhash::fast::RandomState::default());
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
            dist_back: vec![0; n],
            generation: 0,
        }
    }

    /// Whether incidence `i` passes the filter (none, or the day).
    #[inline]
    fn pass(&self, i: usize, filter: Option<i32>) -> bool {
        let e = self.edges[i] as usize;
        filter.is_none_or(|day| self.kind[e] == 1 && self.lo[e] <= day && self.hi[e] >= day)
    }

    /// Entities within `depth` hops: the count.
    pub(crate) fn within(&mut self, s: &str, depth: u32, filter: Option<i32>) -> usize {
        self.generation += 1;
        let g = self.generation;
        let s = self.index[s];
        self.mark[s as usize] = g;
        self.dist[s as usize] = 0;
        let mut order = vec![s];
        let mut head = 0;
        while head < order.len() {
            let v = order[head] as usize;
            head += 1;
            let d = self.dist[v];
            if d >= depth {
                continue;
            }
            for i in self.offsets[v] as usize..self.offsets[v + 1] as usize {
                let o = self.targets[i] as usize;
                if self.mark[o] != g && self.pass(i, filter) {
                    self.mark[o] = g;
                    self.dist[o] = d + 1;
                    order.push(o as u32);
                }
            }
        }
        order.len()
    }

    /// Bidirectional BFS, stopping at the first meeting: the length of a
    /// shortest path, or -1.
    pub(crate) fn path(&mut self, a: &str, b: &str, filter: Option<i32>) -> i64 {
        self.generation += 1;
        let g = self.generation;
        let (a, b) = (self.index[a] as usize, self.index[b] as usize);
        if a == b {
            return 0;
        }
        self.mark[a] = g;
        self.dist[a] = 0;
        self.mark_back[b] = g;
        self.dist_back[b] = 0;
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
                    self.dist[u]
                } else {
                    self.dist_back[u]
                };
                for i in self.offsets[u] as usize..self.offsets[u + 1] as usize {
                    if !self.pass(i, filter) {
                        continue;
                    }
                    let v = self.targets[i] as usize;
                    if forward {
                        if self.mark_back[v] == g {
                            return i64::from(du + 1 + self.dist_back[v]);
                        }
                        if self.mark[v] != g {
                            self.mark[v] = g;
                            self.dist[v] = du + 1;
                            next.push(v);
                        }
                    } else {
                        if self.mark[v] == g {
                            return i64::from(du + 1 + self.dist[v]);
                        }
                        if self.mark_back[v] != g {
                            self.mark_back[v] = g;
                            self.dist_back[v] = du + 1;
                            next.push(v);
                        }
                    }
                }
            }
            if forward {
                fwd = next;
            } else {
                bwd = next;
            }
        }
        -1
    }
}
