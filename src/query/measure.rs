//! Graph measures on a view: connected components, common partners, degree,
//! and betweenness centrality (who brokers between clusters).

use std::collections::{BTreeSet, HashMap, VecDeque};

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
        let mut seen: HashMap<Node, ()> = HashMap::new();
        let mut components = Vec::new();
        for start in self.graph.nodes() {
            if seen.contains_key(&start) || !self.node_passes(start) {
                continue;
            }
            seen.insert(start, ());
            let mut members = vec![start];
            let mut queue = VecDeque::from([start]);
            while let Some(node) = queue.pop_front() {
                for s in self.steps_towards(node, Direction::Both) {
                    if seen.insert(s.other, ()).is_none() {
                        members.push(s.other);
                        queue.push_back(s.other);
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
    /// Brandes' algorithm: O(n·m) time, O(n + m) space.
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
    // Dense arrays indexed by positions in `nodes`: every index comes from
    // `0..n` or from neighbour lists built over `0..n`, so none is out of range.
    #[allow(clippy::indexing_slicing)]
    pub fn betweenness(&self) -> Vec<(&'g Entity, f64)> {
        let nodes: Vec<Node> = self
            .graph
            .nodes()
            .filter(|n| self.node_passes(*n))
            .collect();
        let index: HashMap<Node, usize> = nodes.iter().enumerate().map(|(i, n)| (*n, i)).collect();
        // Neighbour lists of the simple graph behind the view.
        let neighbours: Vec<Vec<usize>> = nodes
            .iter()
            .map(|n| {
                let mut out: Vec<usize> = self
                    .steps(*n)
                    .filter_map(|s| index.get(&s.other).copied())
                    .collect();
                out.sort_unstable();
                out.dedup();
                out
            })
            .collect();
        let n = nodes.len();
        let mut score = vec![0.0f64; n];
        let mut sigma = vec![0.0f64; n];
        let mut dist = vec![usize::MAX; n];
        let mut delta = vec![0.0f64; n];
        let mut preds: Vec<Vec<usize>> = vec![Vec::new(); n];
        for s in 0..n {
            let mut stack = Vec::with_capacity(n);
            preds.iter_mut().for_each(Vec::clear);
            sigma.iter_mut().for_each(|x| *x = 0.0);
            dist.iter_mut().for_each(|x| *x = usize::MAX);
            delta.iter_mut().for_each(|x| *x = 0.0);
            sigma[s] = 1.0;
            dist[s] = 0;
            let mut queue = VecDeque::from([s]);
            while let Some(v) = queue.pop_front() {
                stack.push(v);
                for &w in &neighbours[v] {
                    if dist[w] == usize::MAX {
                        dist[w] = dist[v] + 1;
                        queue.push_back(w);
                    }
                    if dist[w] == dist[v] + 1 {
                        sigma[w] += sigma[v];
                        preds[w].push(v);
                    }
                }
            }
            while let Some(w) = stack.pop() {
                for &v in &preds[w] {
                    delta[v] += sigma[v] / sigma[w] * (1.0 + delta[w]);
                }
                if w != s {
                    score[w] += delta[w];
                }
            }
        }
        if self.filter.traversal() == Direction::Both {
            score.iter_mut().for_each(|x| *x /= 2.0);
        }
        let mut out: Vec<(&'g Entity, f64)> = nodes
            .iter()
            .zip(score)
            .filter_map(|(n, s)| Some((self.graph.entity_at(*n)?, s)))
            .collect();
        out.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.id.cmp(&b.0.id)));
        out
    }
}
