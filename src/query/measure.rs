//! Graph measures on a view: connected components, common partners, degree,
//! and betweenness centrality (who brokers between clusters).

use std::collections::{BTreeSet, VecDeque};

use crate::error::Error;
use crate::graph::Node;
use crate::model::entity::Entity;
use crate::query::filter::Direction;
use crate::query::view::View;

impl<'g> View<'g> {
    /// The connected components of the view, relations taken both ways:
    /// each component's entities in id order, the largest component first
    /// (ties by first id). Isolated entities form components of one.
    ///
    /// O(n log n + m).
    ///
    /// # Example
    ///
    /// ```
    /// use healthgraph::{Filter, HealthGraph};
    ///
    /// let graph = HealthGraph::load("data/hanoi.ron")?;
    /// let components = graph.view(Filter::partnership()).components();
    /// let smile: Vec<&str> = components
    ///     .iter()
    ///     .find(|c| c.iter().any(|e| e.id() == "operation-smile-vietnam"))
    ///     .map(|c| c.iter().map(|e| e.id().as_str()).collect())
    ///     .unwrap_or_default();
    /// assert_eq!(smile, ["operation-smile-vietnam", "vietnam-cuba-friendship-hospital"]);
    /// # Ok::<(), healthgraph::Error>(())
    /// ```
    pub fn components(&self) -> Vec<Vec<&'g Entity>> {
        // Seen, by node number; the steps read off the query index.
        let mut seen = vec![false; self.graph.node_bound()];
        let mut components = Vec::new();
        for start in self.graph.nodes() {
            match seen.get_mut(start.index()) {
                Some(s) if !*s && self.node_passes(start) => *s = true,
                _ => continue,
            }
            let mut members = vec![start];
            let mut queue = VecDeque::from([start]);
            while let Some(node) = queue.pop_front() {
                for other in self.step_nodes(node, Direction::Both) {
                    if let Some(s) = seen.get_mut(other).filter(|s| !**s) {
                        *s = true;
                        let other = Node::from_index(other as u32);
                        members.push(other);
                        queue.push_back(other);
                    }
                }
            }
            let mut entities: Vec<&'g Entity> = members
                .iter()
                .filter_map(|n| self.graph.entity_at(*n))
                .collect();
            entities.sort_by(|a, b| a.id.cmp(&b.id));
            components.push(entities);
        }
        components.sort_by(|a, b| {
            b.len()
                .cmp(&a.len())
                .then_with(|| a.first().map(|e| &e.id).cmp(&b.first().map(|e| &e.id)))
        });
        components
    }

    /// The entities that are partners of both `a` and `b`, in id order.
    ///
    /// O(d log d) for the relations of the two.
    ///
    /// # Errors
    ///
    /// [`Rule::UnknownEntity`](crate::Rule::UnknownEntity) if the graph has
    /// no entity `a` or `b`.
    ///
    /// # Example
    ///
    /// ```
    /// use healthgraph::{Filter, HealthGraph};
    ///
    /// let graph = HealthGraph::load("data/hanoi.ron")?;
    /// let view = graph.view(Filter::new().kinds_by_name("participation")?);
    /// let common = view.common_partners("hanoi-heart-hospital", "hanoi-oncology-hospital")?;
    /// let ids: Vec<&str> = common.iter().map(|e| e.id().as_str()).collect();
    /// assert_eq!(ids, ["ap-hp"]); // both attended the AP-HP reception
    /// # Ok::<(), healthgraph::Error>(())
    /// ```
    pub fn common_partners(&self, a: &str, b: &str) -> Result<Vec<&'g Entity>, Error> {
        let of = |id: &str| -> Result<BTreeSet<&'g str>, Error> {
            Ok(self
                .partners(id)?
                .iter()
                .map(|p| p.entity().id.as_str())
                .collect())
        };
        let (pa, pb) = (of(a)?, of(b)?);
        Ok(pa
            .intersection(&pb)
            .filter_map(|id| self.graph.entity(id))
            .collect())
    }

    /// The number of relations of the view a traversal may follow from
    /// `entity` (parallel relations count one each).
    ///
    /// # Errors
    ///
    /// As [`View::partners`].
    ///
    /// O(d) for an entity with d relations.
    ///
    /// # Errors
    ///
    /// [`Rule::UnknownEntity`](crate::Rule::UnknownEntity) if the graph has
    /// no such entity.
    ///
    /// # Example
    ///
    /// ```
    /// use healthgraph::{Filter, HealthGraph};
    ///
    /// let graph = HealthGraph::load("data/hanoi.ron")?;
    /// assert_eq!(graph.view(Filter::new().kinds_by_name("located-in")?).degree("hanoi")?, 10);
    /// # Ok::<(), healthgraph::Error>(())
    /// ```
    pub fn degree(&self, entity: &str) -> Result<usize, Error> {
        Ok(self.steps(self.resolve(entity)?).count())
    }

    /// Betweenness centrality of every entity of the view: for each entity,
    /// the sum over pairs of other entities of the share of their shortest
    /// paths that pass through it. High scores mark brokers between clusters.
    /// Parallel relations count as one link; paths follow the view's
    /// direction, and with both directions each unordered pair counts once.
    /// Sorted by score, highest first, then by id.
    ///
    /// Brandes' algorithm, with up to 64 sources searched together level by
    /// level (a multi-source breadth-first search) and the sources split
    /// between the cores: O(n·m) time; O(n + m) space plus, per core, 16
    /// bytes per entity and source searched together (at most 1 GiB a
    /// core: fewer sources together on graphs over a million entities, and
    /// no more than a core's share of the sources).
    ///
    /// # Example
    ///
    /// ```
    /// use healthgraph::{Filter, HealthGraph};
    ///
    /// let graph = HealthGraph::load("data/hanoi.ron")?;
    /// let scores = graph.view(Filter::partnership()).betweenness();
    /// // The People's Committee is the hub of the six US partners of 2017: 15 pairs.
    /// assert_eq!((scores[0].0.id().as_str(), scores[0].1), ("hanoi-peoples-committee", 15.0));
    /// // The Department links Karolinska (with the ObGyn hospital), AP-HP, JIMCA and Kobe: 9 pairs.
    /// assert_eq!((scores[1].0.id().as_str(), scores[1].1), ("hanoi-doh", 9.0));
    /// # Ok::<(), healthgraph::Error>(())
    /// ```
    pub fn betweenness(&self) -> Vec<(&'g Entity, f64)> {
        let simple = self.simple_graph();
        let sources: Vec<usize> = (0..simple.nodes.len()).collect();
        let score = simple.dependencies(&sources);
        self.ranked(&simple.nodes, score, 1.0)
    }

    /// Betweenness estimated from `k` source entities drawn at random
    /// (Brandes and Pich, 2007): the dependencies of the sampled sources,
    /// scaled by n/k. The estimate is unbiased, and with k sources, for any
    /// one entity and any ε > 0,
    /// P(|estimate − exact| ≥ ε·n·(n − 2)) ≤ 2·e^(−2kε²) (Hoeffding: each
    /// source's dependency on an entity lies between 0 and n − 2); halve
    /// both for a view in both directions, which counts each pair once. So
    /// k ≥ ln(2/δ) / (2ε²) sources bound one entity's error by ε·n·(n − 2)
    /// with probability 1 − δ, and k ≥ ln(2n/δ) / (2ε²) every entity's at
    /// once. With `k` at least the number of entities it is the exact
    /// betweenness. `seed` makes the draw repeatable. Both cores are used, as
    /// for [`View::betweenness`].
    ///
    /// O(k·m) time; space as for [`View::betweenness`].
    ///
    /// # Example
    ///
    /// ```
    /// use healthgraph::{Filter, HealthGraph};
    ///
    /// let graph = HealthGraph::load("data/hanoi.ron")?;
    /// let view = graph.view(Filter::partnership());
    /// let exact = view.betweenness();
    /// // Every entity as a source: the exact scores.
    /// assert_eq!(view.betweenness_sampled(1000, 7), exact);
    /// // Ten sources: an estimate, the same entities ranked.
    /// assert_eq!(view.betweenness_sampled(10, 7).len(), exact.len());
    /// # Ok::<(), healthgraph::Error>(())
    /// ```
    pub fn betweenness_sampled(&self, k: usize, seed: u64) -> Vec<(&'g Entity, f64)> {
        let simple = self.simple_graph();
        let n = simple.nodes.len();
        if k >= n {
            return self.betweenness();
        }
        // k distinct sources: a partial Fisher-Yates shuffle with xorshift64*.
        let mut order: Vec<usize> = (0..n).collect();
        let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
        let mut next = move |bound: usize| {
            state ^= state >> 12;
            state ^= state << 25;
            state ^= state >> 27;
            (state.wrapping_mul(0x2545_F491_4F6C_DD1D) % bound as u64) as usize
        };
        for i in 0..k {
            let j = i + next(n - i);
            order.swap(i, j);
        }
        order.truncate(k);
        // The same entities whatever their positions: drawn in id order.
        let mut order: Vec<usize> = order
            .iter()
            .filter_map(|&i| simple.of_rank.get(i).map(|&p| p as usize))
            .collect();
        order.sort_unstable();
        let score = simple.dependencies(&order);
        self.ranked(&simple.nodes, score, n as f64 / k as f64)
    }

    /// The simple graph behind the view: its entities and, for each, the
    /// positions of the entities a traversal may step to (parallel
    /// relations as one); for a view that goes one way, also the positions
    /// each is stepped to from.
    fn simple_graph(&self) -> Simple {
        let by_id: Vec<Node> = self
            .graph
            .nodes()
            .filter(|n| self.node_passes(*n))
            .collect();
        let n = by_id.len();
        // Positions by degree, highest first (then in id order): the hubs
        // that every search reaches over and over share cache lines. At 1M
        // entities a sampled source's search takes about a tenth less time,
        // at 10k the exact scores 7% less.
        let adj = self.graph.adjacency();
        let degree: Vec<usize> = by_id.iter().map(|v| adj.degree(v.index())).collect();
        let mut place: Vec<u32> = (0..u32::try_from(n).unwrap_or(u32::MAX)).collect();
        place.sort_by_key(|&i| std::cmp::Reverse(degree.get(i as usize).copied().unwrap_or(0)));
        // The position of the entity at each place in id order, and of each
        // node by node number: no hashing per step.
        const OUTSIDE: u32 = u32::MAX;
        let mut of_rank = vec![0u32; n];
        let mut position = vec![OUTSIDE; self.graph.node_bound()];
        for (p, &i) in place.iter().enumerate() {
            let Ok(p) = u32::try_from(p) else { continue };
            if let Some(slot) = of_rank.get_mut(i as usize) {
                *slot = p;
            }
            if let Some(slot) = by_id
                .get(i as usize)
                .and_then(|v| position.get_mut(v.index()))
            {
                *slot = p;
            }
        }
        // The rows, read in id order (the query index's order), then laid
        // out by position.
        let direction = self.filter.traversal();
        let mut rows = Csr {
            offsets: Vec::with_capacity(n + 1),
            targets: Vec::new(),
        };
        rows.offsets.push(0);
        let mut list: Vec<u32> = Vec::new();
        for v in &by_id {
            list.clear();
            // The far ends only, read off the query index: no relation is touched.
            list.extend(
                self.step_nodes(*v, direction)
                    .filter_map(|other| position.get(other).copied())
                    .filter(|&p| p != OUTSIDE),
            );
            list.sort_unstable();
            list.dedup();
            rows.targets.extend_from_slice(&list);
            rows.offsets.push(rows.targets.len());
        }
        let mut out = Csr {
            offsets: Vec::with_capacity(n + 1),
            targets: Vec::with_capacity(rows.targets.len()),
        };
        out.offsets.push(0);
        for &i in &place {
            out.targets.extend_from_slice(rows.row(i as usize));
            out.offsets.push(out.targets.len());
        }
        drop(rows);
        let nodes: Vec<Node> = place
            .iter()
            .filter_map(|&i| by_id.get(i as usize).copied())
            .collect();
        let both = direction == Direction::Both;
        let into = (!both).then(|| out.reversed());
        Simple {
            nodes,
            of_rank,
            out,
            into,
            halve: both,
        }
    }

    /// Scores scaled and paired with their entities, highest first, then by id.
    fn ranked(&self, nodes: &[Node], score: Vec<f64>, scale: f64) -> Vec<(&'g Entity, f64)> {
        let mut out: Vec<(&'g Entity, f64)> = nodes
            .iter()
            .zip(score)
            .filter_map(|(n, s)| Some((self.graph.entity_at(*n)?, s * scale)))
            .collect();
        out.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.id.cmp(&b.0.id)));
        out
    }
}

/// Adjacency as compressed rows over positions: row `v` is
/// `targets[offsets[v]..offsets[v + 1]]`.
struct Csr {
    offsets: Vec<usize>,
    targets: Vec<u32>,
}

impl Csr {
    fn row(&self, v: usize) -> &[u32] {
        let (start, end) = (
            self.offsets.get(v).copied().unwrap_or(0),
            self.offsets.get(v + 1).copied().unwrap_or(0),
        );
        self.targets.get(start..end).unwrap_or_default()
    }

    /// The same arcs the other way round, each row sorted.
    fn reversed(&self) -> Csr {
        let n = self.offsets.len().saturating_sub(1);
        let mut count = vec![0usize; n + 1];
        for &w in &self.targets {
            if let Some(c) = count.get_mut(w as usize + 1) {
                *c += 1;
            }
        }
        for i in 1..count.len() {
            let before = count.get(i - 1).copied().unwrap_or(0);
            if let Some(c) = count.get_mut(i) {
                *c += before;
            }
        }
        let offsets = count.clone();
        let mut targets = vec![0u32; self.targets.len()];
        for v in 0..n {
            for &w in self.row(v) {
                if let Some(at) = count.get_mut(w as usize) {
                    if let Some(slot) = targets.get_mut(*at) {
                        *slot = u32::try_from(v).unwrap_or(u32::MAX);
                    }
                    *at += 1;
                }
            }
        }
        Csr { offsets, targets }
    }
}

/// A view's simple graph as CSR over positions.
struct Simple {
    /// The entity at each position.
    nodes: Vec<Node>,
    /// The position of the entity at each place in id order.
    of_rank: Vec<u32>,
    /// The positions each entity steps to.
    out: Csr,
    /// The positions each entity is stepped to from, for a view that goes
    /// one way (`None`: the same as `out`).
    into: Option<Csr>,
    /// Both directions: each unordered pair was counted twice.
    halve: bool,
}

impl Simple {
    /// The summed dependencies of every entity on `sources` (Brandes'
    /// accumulation), the sources split between the machine's cores, each
    /// thread with its own arrays; only what a search touched is reset.
    fn dependencies(&self, sources: &[usize]) -> Vec<f64> {
        let n = self.nodes.len();
        let threads = std::thread::available_parallelism()
            .map_or(1, std::num::NonZeroUsize::get)
            .min(sources.len().max(1));
        let chunk = sources.len().div_ceil(threads.max(1)).max(1);
        // No wider than a thread's share: a few sampled sources need rows
        // of a few.
        let lanes = lanes_for(n).min(chunk);
        let mut total = vec![0.0f64; n];
        // A thread that could not finish has its share done here.
        let parts: Vec<Vec<f64>> = std::thread::scope(|scope| {
            let handles: Vec<_> = sources
                .chunks(chunk)
                .map(|part| (part, scope.spawn(move || self.accumulate(part, lanes))))
                .collect();
            handles
                .into_iter()
                .map(|(part, h)| h.join().unwrap_or_else(|_| self.accumulate(part, lanes)))
                .collect()
        });
        for part in parts {
            for (t, x) in total.iter_mut().zip(part) {
                *t += x;
            }
        }
        if self.halve {
            total.iter_mut().for_each(|x| *x /= 2.0);
        }
        total
    }

    /// Brandes' dependencies from each of `sources`, summed (an empty
    /// vector for no sources), searched `lanes` sources at a time (1 to 64).
    ///
    /// The sources of a batch are searched together, level by level
    /// (multi-source breadth-first search, as in Then et al., "The More the
    /// Merrier", 2014, here carrying Brandes' path counts): each entity
    /// holds a 64-bit mask of the sources that have reached it, and an
    /// entity reached at the same distance from several sources of the
    /// batch is stepped from once for all of them, its row read once. In
    /// the small-world graphs of cooperation an entity lies at only a few
    /// distinct distances from many sources, so a batch of 64 reads each
    /// row a few times instead of 64 times. Going back, the entities of
    /// each level, with their masks, are what the levels hold: no
    /// predecessor lists. Per entity, one row holds the paths from each
    /// source of the batch and then the dependency on each, so that a step
    /// touches one row of each end; a row is cleared when the batch first
    /// reaches its entity, just before it is written.
    // Dense arrays indexed by positions: every index comes from `0..n` or
    // from the rows built over `0..n`, and lanes are below `lanes`.
    #[allow(clippy::indexing_slicing)]
    fn accumulate(&self, sources: &[usize], lanes: usize) -> Vec<f64> {
        let lanes = lanes.clamp(1, 64);
        if sources.is_empty() {
            return Vec::new();
        }
        let n = self.out.offsets.len().saturating_sub(1);
        let into = self.into.as_ref().unwrap_or(&self.out);
        let mut score = vec![0.0f64; n];
        // Per entity: the sources that have reached it (up to the level
        // being stepped from), those that reach it at the next level, and
        // (going back) those for which it is at the level before.
        let mut visit = vec![0u64; n];
        let mut next = vec![0u64; n];
        let mut before = vec![0u64; n];
        // Per entity, a row: the paths from each source, then the
        // dependency on each source.
        let row = 2 * lanes;
        let mut paths = vec![0.0f64; n * row];
        // Each level's entities with the sources reaching them there.
        let mut reached: Vec<(u32, u64)> = Vec::new();
        let mut levels: Vec<usize> = Vec::new();
        let mut found: Vec<u32> = Vec::new();
        let mut share = [0.0f64; 64];
        for batch in sources.chunks(lanes) {
            reached.clear();
            levels.clear();
            levels.push(0);
            for (b, &s) in batch.iter().enumerate() {
                if visit[s] == 0 {
                    reached.push((s as u32, 0));
                    paths[s * row..(s + 1) * row].fill(0.0);
                }
                visit[s] |= 1u64 << b;
                paths[s * row + b] = 1.0;
            }
            for r in reached.iter_mut() {
                r.1 = visit[r.0 as usize];
            }
            // Forward, a level at a time.
            loop {
                let start = *levels.last().unwrap_or(&0);
                let end = reached.len();
                if start == end {
                    break;
                }
                levels.push(end);
                found.clear();
                for &(v, m) in &reached[start..end] {
                    let v = v as usize;
                    for &w in self.out.row(v) {
                        let w = w as usize;
                        let d = m & !visit[w];
                        if d == 0 {
                            continue;
                        }
                        if next[w] == 0 {
                            found.push(w as u32);
                            // First reached in this batch: its row is
                            // cleared now, while it is about to be written.
                            if visit[w] == 0 {
                                paths[w * row..(w + 1) * row].fill(0.0);
                            }
                        }
                        next[w] |= d;
                        let mut bits = d;
                        while bits != 0 {
                            let b = bits.trailing_zeros() as usize;
                            bits &= bits - 1;
                            paths[w * row + b] += paths[v * row + b];
                        }
                    }
                }
                for &w in &found {
                    let w = w as usize;
                    reached.push((w as u32, next[w]));
                    visit[w] |= next[w];
                    next[w] = 0;
                }
            }
            // Backward, from the farthest level to the first.
            for l in (1..levels.len().saturating_sub(1)).rev() {
                let (lo, hi) = (levels[l - 1], levels[l]);
                for &(v, m) in &reached[lo..hi] {
                    before[v as usize] = m;
                }
                for &(w, m) in &reached[hi..levels[l + 1]] {
                    let w = w as usize;
                    let mut bits = m;
                    while bits != 0 {
                        let b = bits.trailing_zeros() as usize;
                        bits &= bits - 1;
                        let delta = paths[w * row + lanes + b];
                        share[b] = (1.0 + delta) / paths[w * row + b];
                        score[w] += delta;
                    }
                    for &v in into.row(w) {
                        let v = v as usize;
                        let mut bits = m & before[v];
                        while bits != 0 {
                            let b = bits.trailing_zeros() as usize;
                            bits &= bits - 1;
                            paths[v * row + lanes + b] += paths[v * row + b] * share[b];
                        }
                    }
                }
                for &(v, _) in &reached[lo..hi] {
                    before[v as usize] = 0;
                }
            }
            for &(v, _) in &reached {
                visit[v as usize] = 0;
            }
        }
        score
    }
}

/// The sources searched together: 64 (a mask's bits) while their rows,
/// 16 bytes an entity and source, stay within 1 GiB a thread (up to about
/// a million entities); fewer, a power of two, on larger graphs. Measured
/// at 1M entities, 258 sampled sources: 16.9 s whole process with 64
/// together, 18.1 s with 32 (BENCHMARKS.md).
fn lanes_for(n: usize) -> usize {
    const BUDGET: usize = 1 << 30;
    let mut lanes = 64;
    while lanes > 1 && n.saturating_mul(lanes * 16) > BUDGET {
        lanes /= 2;
    }
    lanes
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A random simple graph of `n` positions, its arcs both ways or one way.
    fn random(n: usize, arcs: usize, seed: u64, both: bool) -> Simple {
        let mut state = seed | 1;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut rows: Vec<Vec<u32>> = vec![Vec::new(); n];
        for _ in 0..arcs {
            let (a, b) = ((next() % n as u64) as usize, (next() % n as u64) as u32);
            if a as u32 == b {
                continue;
            }
            rows[a].push(b);
            if both {
                rows[b as usize].push(a as u32);
            }
        }
        let mut out = Csr {
            offsets: vec![0],
            targets: Vec::new(),
        };
        for mut row in rows {
            row.sort_unstable();
            row.dedup();
            out.targets.extend(row);
            out.offsets.push(out.targets.len());
        }
        let into = (!both).then(|| out.reversed());
        Simple {
            nodes: Vec::new(),
            of_rank: Vec::new(),
            out,
            into,
            halve: both,
        }
    }

    #[test]
    fn lanes_give_the_same_dependencies_as_one_source_at_a_time() {
        for (seed, both) in [(3, true), (5, false), (7, true), (11, false)] {
            let simple = random(300, 700, seed, both);
            let sources: Vec<usize> = (0..300).step_by(2).collect();
            let one = simple.accumulate(&sources, 1);
            assert!(one.iter().any(|&x| x > 0.0));
            for lanes in [2, 7, 64] {
                let many = simple.accumulate(&sources, lanes);
                for (v, (a, b)) in one.iter().zip(&many).enumerate() {
                    assert!(
                        (a - b).abs() <= 1e-9 * (1.0 + a.abs()),
                        "entity {v}, {lanes} lanes: {b} against {a}"
                    );
                }
            }
        }
    }

    #[test]
    fn lanes_stay_within_the_budget() {
        assert_eq!(lanes_for(10), 64);
        assert_eq!(lanes_for(1_000_000), 64);
        assert_eq!(lanes_for(2_000_000), 32);
        assert_eq!(lanes_for(usize::MAX), 1);
    }
}
