//! [`View`]: a graph seen through a [`Filter`], and the queries that walk it
//! one entity at a time: partners, neighbourhoods, timelines.

use std::collections::BTreeMap;

use crate::error::{Error, Rule};
use crate::graph::{HealthGraph, Incident, Node};
use crate::index::Side;
use crate::model::date::Date;
use crate::model::entity::Entity;
use crate::model::relation::Relation;
use crate::query::filter::{Compiled, Direction, Filter};

/// A graph seen through a filter. It borrows the graph and copies nothing;
/// making one costs only the filter. Every query runs on a view.
///
/// # Example
///
/// ```
/// use healthgraph::{Filter, HealthGraph};
///
/// let graph = HealthGraph::load("data/hanoi.ron")?;
/// let everything = graph.view(Filter::new());
/// let partnerships = graph.view(Filter::partnership());
/// assert_eq!(everything.relations().count(), 58);
/// assert_eq!(partnerships.relations().count(), 28);
/// # Ok::<(), healthgraph::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct View<'g> {
    pub(crate) graph: &'g HealthGraph,
    pub(crate) filter: Filter,
    pub(crate) compiled: Compiled,
    /// The steps the filter allows, listed once ([`View::indexed`]).
    steps: Option<std::sync::Arc<StepIndex>>,
    /// The dated steps in time order, the view's way and the other, listed
    /// by the first search in time order that needs them ([`TimedSteps`]).
    timed: [std::sync::OnceLock<std::sync::Arc<TimedSteps>>; 2],
}

/// A view that owns a share of its graph: it can be stored beside the
/// graph, kept in a struct, or sent to another thread, where a [`View`]
/// borrows. [`OwnedView::view`] lends the view that queries run on.
///
/// `HealthGraph`, `View` and `OwnedView` are all `Send` and `Sync`: a graph
/// behind an `Arc` can be queried from many threads at once (queries take
/// their scratch space from a pool behind a mutex, and the lazily built
/// indexes are `OnceLock`s).
///
/// # Example
///
/// ```
/// use std::sync::Arc;
/// use healthgraph::{Filter, HealthGraph, OwnedView};
///
/// let graph = Arc::new(HealthGraph::load("data/hanoi.ron")?);
/// let partnerships = OwnedView::new(Arc::clone(&graph), Filter::partnership());
/// let counted = std::thread::spawn(move || partnerships.view().relations().count())
///     .join()
///     .expect("the thread ran");
/// assert_eq!(counted, 28);
/// # Ok::<(), healthgraph::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct OwnedView {
    graph: std::sync::Arc<HealthGraph>,
    filter: Filter,
}

impl OwnedView {
    /// A view of `graph` through `filter`. O(1).
    pub fn new(graph: std::sync::Arc<HealthGraph>, filter: Filter) -> OwnedView {
        OwnedView { graph, filter }
    }

    /// The graph.
    pub fn graph(&self) -> &std::sync::Arc<HealthGraph> {
        &self.graph
    }

    /// The filter.
    pub fn filter(&self) -> &Filter {
        &self.filter
    }

    /// The view to run queries on, borrowing from this one. O(1) (the
    /// filter is compiled again, a few words).
    pub fn view(&self) -> View<'_> {
        self.graph.view(self.filter.clone())
    }
}

// HealthGraph and its views can cross threads: a program that shares one
// graph between threads relies on it, so a change that lost it must not
// compile.
const _: () = {
    const fn send_and_sync<T: Send + Sync>() {}
    send_and_sync::<HealthGraph>();
    send_and_sync::<View<'static>>();
    send_and_sync::<OwnedView>();
    send_and_sync::<crate::Error>();
};

impl HealthGraph {
    /// The graph seen through `filter`. O(1), plus building the query index
    /// once after a change to the graph (O(n + m)).
    pub fn view(&self, filter: Filter) -> View<'_> {
        let compiled = filter.compile();
        View {
            graph: self,
            filter,
            compiled,
            steps: None,
            timed: Default::default(),
        }
    }
}

/// A view's dated steps in one direction, each node's in order of the
/// first day its start can mean: a search in time order reads only the
/// steps that can follow the day it reached a node on (a hub's whole list
/// only when its every relation can), one after another in memory, with
/// the start's days beside the other end. 16 bytes per dated step.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct TimedSteps {
    offsets: Vec<u32>,
    steps: Vec<TimedStep>,
    /// The most days any listed start can mean after its first.
    pub(crate) widest: i32,
}

/// One dated step: the first and last day its start can mean, the other
/// end and the relation's number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct TimedStep {
    pub(crate) first: i32,
    pub(crate) last: i32,
    pub(crate) other: u32,
    pub(crate) edge: u32,
}

impl TimedSteps {
    /// Node `v`'s dated steps, by first day, then last.
    pub(crate) fn of(&self, v: usize) -> &[TimedStep] {
        let start = self.offsets.get(v).copied().unwrap_or(0) as usize;
        let end = self.offsets.get(v + 1).copied().unwrap_or(0) as usize;
        self.steps.get(start..end).unwrap_or_default()
    }
}

/// The steps a view's filter allows in its direction, as compressed sparse
/// rows: the other ends of node `v`'s allowed steps are
/// `others[offsets[v]..offsets[v + 1]]`, in the query index's order.
#[derive(Debug)]
struct StepIndex {
    direction: Direction,
    offsets: Vec<u32>,
    others: Vec<u32>,
}

impl StepIndex {
    /// The other ends of node `v`'s allowed steps.
    fn of(&self, v: usize) -> &[u32] {
        let start = self.offsets.get(v).copied().unwrap_or(0) as usize;
        let end = self.offsets.get(v + 1).copied().unwrap_or(0) as usize;
        self.others.get(start..end).unwrap_or_default()
    }
}

impl<'g> View<'g> {
    /// The same view, with the steps its filter allows listed once: every
    /// traversal after this (neighbourhoods, paths, measures) walks that
    /// list, not the whole graph's incidences with a test for each. This is
    /// what igraph's `subgraph_edges` or a filtered copy of a rustworkx
    /// graph gives, without the copy: O(n + m) time once, and 4 bytes per
    /// allowed step (plus 4 per entity). For a view asked many traversals: a
    /// view asked once is faster without it, and a view whose filter allows
    /// every step gains nothing (it is returned as it is). A search in the
    /// other direction than the view's (the backward half of a one-way
    /// view's path) still tests each step.
    ///
    /// # Example
    ///
    /// ```
    /// use healthgraph::{Filter, HealthGraph};
    ///
    /// let graph = HealthGraph::load("data/hanoi.ron")?;
    /// let view = graph.view(Filter::partnership());
    /// let indexed = view.clone().indexed();
    /// let near = |v: &healthgraph::View<'_>| -> Vec<String> {
    ///     v.within("hanoi-obgyn-hospital", 2).unwrap().iter().map(|(e, _)| e.id().to_string()).collect()
    /// };
    /// assert_eq!(near(&indexed), near(&view));
    /// # Ok::<(), healthgraph::Error>(())
    /// ```
    pub fn indexed(mut self) -> View<'g> {
        let direction = self.filter.traversal();
        if self.compiled.passes_every_step(direction) {
            return self;
        }
        self.steps = None;
        let n = self.graph.node_bound();
        let mut offsets = Vec::with_capacity(n + 1);
        let mut others = Vec::new();
        offsets.push(0);
        for v in 0..n {
            others.extend(
                self.step_nodes(Node::from_index(v as u32), direction)
                    .map(|o| o as u32),
            );
            offsets.push(others.len() as u32);
        }
        others.shrink_to_fit();
        self.steps = Some(std::sync::Arc::new(StepIndex {
            direction,
            offsets,
            others,
        }));
        self
    }
}

/// An entity one hop away, with every relation of the view that joins it to
/// the centre, parallel relations kept, in date order.
#[derive(Debug, Clone)]
pub struct Partner<'g> {
    entity: &'g Entity,
    relations: Vec<&'g Relation>,
}

impl<'g> Partner<'g> {
    /// The partner.
    pub fn entity(&self) -> &'g Entity {
        self.entity
    }

    /// The relations that join it to the centre, in date order.
    pub fn relations(&self) -> &[&'g Relation] {
        &self.relations
    }
}

/// The ego network of an entity: every entity within some hops, with its
/// distance, and the relations of the view among them.
#[derive(Debug, Clone)]
pub struct Neighbourhood<'g> {
    center: &'g Entity,
    members: Vec<(&'g Entity, usize)>,
    relations: Vec<&'g Relation>,
}

impl<'g> Neighbourhood<'g> {
    /// The entity at the centre.
    pub fn center(&self) -> &'g Entity {
        self.center
    }

    /// Every entity within the depth, the centre first, then by distance and id.
    pub fn members(&self) -> &[(&'g Entity, usize)] {
        &self.members
    }

    /// The distance of an entity from the centre, if it is a member.
    pub fn distance(&self, id: &str) -> Option<usize> {
        self.members
            .iter()
            .find(|(e, _)| e.id == id)
            .map(|(_, d)| *d)
    }

    /// The relations of the view among the members, in id order.
    pub fn relations(&self) -> &[&'g Relation] {
        &self.relations
    }
}

/// The order of a timeline: by what is known of when a relation happened
/// (its start, or its end when the start is not known), then by end, then
/// id; undated relations after dated ones, a coarse date before the finer
/// dates it contains.
pub(crate) fn timeline_key(r: &Relation) -> (bool, Option<Date>, bool, Option<Date>, &str) {
    let when = r.start().or(r.end());
    (
        when.is_none(),
        when,
        r.end().is_none(),
        r.end(),
        r.id.as_str(),
    )
}

impl Relation {
    /// Whether what is known of when the relation happened (its start, or
    /// its end when the start is not known) lies surely within `from..to`:
    /// a start of `2025-05-23` is within May 2025; a start of `2025` may or
    /// may not be, and is not; an undated relation is not.
    ///
    /// # Example
    ///
    /// ```
    /// let graph = healthgraph::HealthGraph::load("data/hanoi.ron")?;
    /// let visit = graph.relation("visit-karolinska-institute-hanoi-doh-2025").expect("R14");
    /// let may: healthgraph::Date = "2025-05".parse()?;
    /// assert!(visit.is_dated_within(may, may));
    /// let renewal = graph.relation("renewal-karolinska-institute-hanoi-obgyn-hospital-2025").expect("R16");
    /// assert!(!renewal.is_dated_within(may, may)); // starts in "2025": perhaps in May, perhaps not
    /// # Ok::<(), healthgraph::Error>(())
    /// ```
    pub fn is_dated_within(&self, from: Date, to: Date) -> bool {
        self.start()
            .or(self.end())
            .is_some_and(|d| d.first_day() >= from.first_day() && d.last_day() <= to.last_day())
    }
}

impl<'g> View<'g> {
    /// The graph under the view.
    pub fn graph(&self) -> &'g HealthGraph {
        self.graph
    }

    /// The filter of the view.
    pub fn filter(&self) -> &Filter {
        &self.filter
    }

    /// Whether the entity exists and passes the filter. O(1) expected.
    pub fn contains_entity(&self, id: &str) -> bool {
        self.graph
            .node(id)
            .is_some_and(|n| self.compiled.node(self.graph.adjacency(), n.index()))
    }

    /// Whether the relation is one of the graph's, passes the filter, and
    /// both its ends are in the view. O(1) expected.
    pub fn contains_relation(&self, relation: &Relation) -> bool {
        self.graph
            .edge_of(relation.id.as_str())
            .is_some_and(|e| self.passes(e, relation))
    }

    /// Whether relation number `e`, `relation`, passes the filter and both
    /// its ends are in the view: the filter's one evaluator, on the query
    /// index's hot arrays (the ends are looked up only if the filter has
    /// entity conditions).
    pub(crate) fn passes(&self, e: u32, relation: &Relation) -> bool {
        self.compiled.edge(self.graph.adjacency(), e as usize)
            && (self.compiled.all_nodes()
                || (self.contains_entity(relation.from.as_str())
                    && self.contains_entity(relation.to.as_str())))
    }

    /// The entities of the view, in id order. O(n).
    pub fn entities(&self) -> impl Iterator<Item = &'g Entity> + '_ {
        let graph: &'g HealthGraph = self.graph;
        let adj = graph.adjacency();
        graph
            .nodes()
            .filter(move |n| self.compiled.node(adj, n.index()))
            .filter_map(move |n| graph.entity_at(n))
    }

    /// The relations of the view, in id order. O(m), reading the query
    /// index's hot arrays; a relation is touched only when it passes (and
    /// its ends are looked up only if the filter has entity conditions).
    pub fn relations(&self) -> impl Iterator<Item = &'g Relation> + '_ {
        self.numbered_relations().map(|(_, r)| r)
    }

    /// The relations of the view with their numbers, in id order.
    fn numbered_relations(&self) -> impl Iterator<Item = (u32, &'g Relation)> + '_ {
        let graph: &'g HealthGraph = self.graph;
        graph
            .relation_edges()
            .filter(move |&(e, r)| self.passes(e, r))
    }

    /// The node of an entity of the view. Every query answers the same way
    /// for an entity it cannot use: [`Rule::UnknownEntity`] if there is no
    /// such entity, [`Rule::HiddenEntity`] if the filter hides it.
    pub(crate) fn resolve(&self, id: &str) -> Result<Node, Error> {
        let node = self.graph.node(id).ok_or_else(|| unknown_entity(id))?;
        if self.node_passes(node) {
            Ok(node)
        } else {
            Err(hidden_entity(id))
        }
    }

    pub(crate) fn node_passes(&self, node: Node) -> bool {
        self.compiled.node(self.graph.adjacency(), node.index())
    }

    /// The relations a traversal may follow from `node`: they pass the
    /// filter, lead to an entity of the view, and go the way the filter's
    /// direction allows (symmetric relations go both ways).
    pub(crate) fn steps(&self, node: Node) -> impl Iterator<Item = Incident<'g>> + '_ {
        self.steps_towards(node, self.filter.traversal())
    }

    /// As [`View::steps`], for a given direction. Reads the index's hot
    /// arrays; a relation is touched only when it passes.
    pub(crate) fn steps_towards(
        &self,
        node: Node,
        direction: Direction,
    ) -> impl Iterator<Item = Incident<'g>> + '_ {
        let graph: &'g HealthGraph = self.graph;
        self.passing(node, direction)
            .filter_map(move |(other, edge)| {
                Some(Incident {
                    other: Node::from_index(other),
                    relation: graph.relation_at(edge)?,
                })
            })
    }

    /// The incidences of `node` the view allows in `direction`, as (other
    /// end, relation number), testing the index's hot fields only.
    fn passing(&self, node: Node, direction: Direction) -> impl Iterator<Item = (u32, u32)> + '_ {
        let adj = self.graph.adjacency();
        adj.incidences(node.index())
            .filter(move |&(other, edge, outgoing)| {
                let e = edge as usize;
                self.compiled.way(adj, e, outgoing, direction)
                    && self.compiled.edge(adj, e)
                    && self.compiled.node(adj, other as usize)
            })
            .map(|(other, edge, _)| (other, edge))
    }

    /// As [`View::steps_towards`], only the steps whose relation has a
    /// start, as the other end, the relation's number and the first and
    /// last day the start can mean, read from the index without touching
    /// the relation.
    fn timed_steps_towards(
        &self,
        node: Node,
        direction: Direction,
    ) -> impl Iterator<Item = TimedStep> + '_ {
        let adj = self.graph.adjacency();
        self.passing(node, direction)
            .filter_map(move |(other, edge)| {
                let (first, last) = adj.hot.get(edge as usize)?.start_days()?;
                Some(TimedStep {
                    first,
                    last,
                    other,
                    edge,
                })
            })
    }

    /// The view's dated steps in `direction` in time order, listed the
    /// first time they are asked for: O(m log d) once.
    pub(crate) fn timed_steps(&self, direction: Direction) -> &TimedSteps {
        let slot = usize::from(direction != self.filter.traversal());
        let cell = self.timed.get(slot).unwrap_or(&self.timed[0]);
        cell.get_or_init(|| std::sync::Arc::new(self.list_timed_steps(direction, 1 << 16)))
    }

    /// Lists the view's dated steps in `direction` ([`TimedSteps`]): the
    /// nodes in two halves of the incidences, on two threads when there
    /// are more than `parallel_above` incidences.
    fn list_timed_steps(&self, direction: Direction, parallel_above: usize) -> TimedSteps {
        // Each node's steps, sorted, with how many there are, and the
        // widest start among them, for a range of nodes.
        let list = |nodes: std::ops::Range<usize>| {
            let mut counts = Vec::with_capacity(nodes.len());
            let mut steps: Vec<TimedStep> = Vec::new();
            let mut widest = 0;
            for v in nodes {
                let from = steps.len();
                steps.extend(self.timed_steps_towards(Node::from_index(v as u32), direction));
                if let Some(mine) = steps.get_mut(from..) {
                    mine.sort_unstable();
                    widest = mine.iter().map(|s| s.last - s.first).fold(widest, i32::max);
                    counts.push(u32::try_from(mine.len()).unwrap_or(u32::MAX));
                }
            }
            (counts, steps, widest)
        };
        let adj = self.graph.adjacency();
        let n = self.graph.node_bound();
        let total: usize = (0..n).map(|v| adj.degree(v)).sum();
        let mut seen = 0;
        let middle = (0..n)
            .find(|&v| {
                seen += adj.degree(v);
                seen > total / 2
            })
            .unwrap_or(n);
        let ((counts, mut steps, widest), (more_counts, more, more_widest)) = crate::index::both(
            total > parallel_above,
            || list(0..middle),
            || list(middle..n),
        );
        steps.extend_from_slice(&more);
        drop(more);
        steps.shrink_to_fit();
        let mut offsets = Vec::with_capacity(n + 1);
        let mut at = 0u32;
        offsets.push(at);
        for count in counts.into_iter().chain(more_counts) {
            at = at.saturating_add(count);
            offsets.push(at);
        }
        TimedSteps {
            offsets,
            steps,
            widest: widest.max(more_widest),
        }
    }

    /// The relations a traversal may follow from `from` to `to`: as
    /// [`View::steps`], but reading the incidences of whichever end has
    /// fewer (a hub may have many thousands) and comparing the far end
    /// before touching a relation.
    pub(crate) fn steps_to(&self, from: Node, to: Node) -> impl Iterator<Item = &'g Relation> + '_ {
        let graph: &'g HealthGraph = self.graph;
        let adj = graph.adjacency();
        let direction = self.filter.traversal();
        // Seen from `to`, the same incidence points the other way.
        let from_near = adj.degree(from.index()) <= adj.degree(to.index());
        let (near, far) = if from_near { (from, to) } else { (to, from) };
        let far_index = far.index() as u32;
        let ends_pass =
            self.compiled.node(adj, from.index()) && self.compiled.node(adj, to.index());
        adj.incidences(near.index())
            .filter_map(move |(other, edge, outgoing)| {
                let e = edge as usize;
                let outgoing_from_source = if from_near { outgoing } else { !outgoing };
                let pass = other == far_index
                    && ends_pass
                    && self.compiled.way(adj, e, outgoing_from_source, direction)
                    && self.compiled.edge(adj, e);
                if pass { graph.relation_at(edge) } else { None }
            })
    }

    /// The nodes a traversal may step to from `node` (as [`View::steps`]),
    /// without touching the relations: what breadth-first searches need.
    pub(crate) fn step_nodes(
        &self,
        node: Node,
        direction: Direction,
    ) -> impl Iterator<Item = usize> + '_ {
        let adj = self.graph.adjacency();
        let v = node.index();
        if self.compiled.passes_every_step(direction) {
            // Nothing to test: every other end.
            return Steps::All(adj.incidences(v).map(|(o, _, _)| o as usize));
        }
        if let Some(steps) = self.steps.as_deref().filter(|s| s.direction == direction) {
            return Steps::Listed(steps.of(v).iter().map(|&o| o as usize));
        }
        Steps::Tested(
            adj.incidences(v)
                .filter_map(move |(other, edge, outgoing)| {
                    let e = edge as usize;
                    (self.compiled.way(adj, e, outgoing, direction)
                        && self.compiled.edge(adj, e)
                        && self.compiled.node(adj, other as usize))
                    .then_some(other as usize)
                }),
        )
    }

    /// Every entity within `depth` hops of `entity`, with its distance, in
    /// breadth-first order (the entity itself first) — the members of
    /// [`View::neighbourhood`] without the relations among them.
    ///
    /// Breadth-first on the query index with reusable scratch space:
    /// O(V + E) for the V entities it returns and the E relations at the
    /// entities nearer than `depth`; nothing else of the graph is touched.
    ///
    /// # Errors
    ///
    /// As [`View::neighbourhood`].
    ///
    /// # Example
    ///
    /// ```
    /// use healthgraph::{Filter, HealthGraph};
    ///
    /// let graph = HealthGraph::load("data/hanoi.ron")?;
    /// let near = graph.view(Filter::partnership()).within("hanoi-obgyn-hospital", 2)?;
    /// let ids: Vec<(&str, usize)> = near.iter().map(|(e, d)| (e.id().as_str(), *d)).collect();
    /// assert_eq!(ids, [("hanoi-obgyn-hospital", 0), ("karolinska-institute", 1), ("hanoi-doh", 2)]);
    /// # Ok::<(), healthgraph::Error>(())
    /// ```
    pub fn within(&self, entity: &str, depth: usize) -> Result<Vec<(&'g Entity, usize)>, Error> {
        let center = self.resolve(entity)?;
        let mut scratch = self.graph.take_scratch();
        let reached = self.breadth_first(center, depth, &mut scratch);
        self.graph.give_back(scratch);
        Ok(self.members(&reached))
    }

    /// The entities reached, with their distances.
    fn members(&self, reached: &Reached) -> Vec<(&'g Entity, usize)> {
        let mut out = Vec::with_capacity(reached.order.len());
        for (d, nodes) in reached.levels().enumerate() {
            let entities = nodes
                .iter()
                .filter_map(|&v| self.graph.entity_at(Node::from_index(v as u32)));
            out.extend(entities.map(|e| (e, d)));
        }
        out
    }

    /// Breadth-first from `center` up to `depth`, a level at a time, marking
    /// what it reaches in `scratch`. Each level's distance is known while it
    /// is walked, so no node's distance is read back from the marks (a read
    /// each, all over an array of the graph's size).
    fn breadth_first(
        &self,
        center: Node,
        depth: usize,
        scratch: &mut crate::index::Scratch,
    ) -> Reached {
        let c = center.index();
        scratch.reach(Side::Forward, c, 0, c as u32);
        let mut reached = Reached {
            order: vec![c],
            starts: vec![0],
        };
        let direction = self.filter.traversal();
        let mut head = 0;
        for d in 1..=depth {
            let end = reached.order.len();
            if head == end {
                break;
            }
            reached.starts.push(end);
            while let Some(&v) = reached.order.get(head).filter(|_| head < end) {
                head += 1;
                for o in self.step_nodes(Node::from_index(v as u32), direction) {
                    if !scratch.seen(Side::Forward, o) {
                        scratch.reach(Side::Forward, o, d as u32, v as u32);
                        reached.order.push(o);
                    }
                }
            }
        }
        reached
    }

    /// The entities one hop away from `entity`, each with every relation of
    /// the view that joins them (parallel relations kept, in date order),
    /// in id order.
    ///
    /// O(d log d) for an entity with d relations.
    ///
    /// # Errors
    ///
    /// [`Rule::UnknownEntity`] if the graph has no such entity;
    /// [`Rule::HiddenEntity`] if the view's filter hides it (every query
    /// answers so).
    ///
    /// # Example
    ///
    /// ```
    /// use healthgraph::{Filter, HealthGraph};
    ///
    /// let graph = HealthGraph::load("data/hanoi.ron")?;
    /// let partners = graph.view(Filter::partnership()).partners("karolinska-institute")?;
    /// let ids: Vec<&str> = partners.iter().map(|p| p.entity().id().as_str()).collect();
    /// assert_eq!(ids, ["hanoi-doh", "hanoi-obgyn-hospital"]);
    /// assert_eq!(partners[1].relations().len(), 3); // MOU, its renewal, research cooperation
    /// # Ok::<(), healthgraph::Error>(())
    /// ```
    pub fn partners(&self, entity: &str) -> Result<Vec<Partner<'g>>, Error> {
        let node = self.resolve(entity)?;
        let mut by_partner: BTreeMap<&'g str, Partner<'g>> = BTreeMap::new();
        for step in self.steps(node) {
            let Some(other) = self.graph.entity_at(step.other) else {
                continue;
            };
            by_partner
                .entry(other.id.as_str())
                .or_insert_with(|| Partner {
                    entity: other,
                    relations: Vec::new(),
                })
                .relations
                .push(step.relation);
        }
        Ok(by_partner
            .into_values()
            .map(|mut p| {
                p.relations
                    .sort_by(|a, b| timeline_key(a).cmp(&timeline_key(b)));
                p
            })
            .collect())
    }

    /// The ego network of `entity`: every entity within `depth` hops, with
    /// its distance, and the relations of the view among them. Depth 0 gives
    /// the entity alone.
    ///
    /// Breadth-first; touches only the entities within `depth` hops and
    /// their relations: O(V + E log E) for the V entities and E relations it
    /// returns or looks at.
    ///
    /// # Errors
    ///
    /// [`Rule::UnknownEntity`] if the graph has no such entity;
    /// [`Rule::HiddenEntity`] if the view's filter hides it (every query
    /// answers so).
    ///
    /// # Example
    ///
    /// ```
    /// use healthgraph::{Filter, HealthGraph};
    ///
    /// let graph = HealthGraph::load("data/hanoi.ron")?;
    /// let ego = graph.view(Filter::partnership()).neighbourhood("ajou-university-hospital", 2)?;
    /// assert_eq!(ego.distance("hanoi-oncology-hospital"), Some(1));
    /// assert_eq!(ego.distance("astrazeneca-vietnam"), Some(2));
    /// # Ok::<(), healthgraph::Error>(())
    /// ```
    pub fn neighbourhood(&self, entity: &str, depth: usize) -> Result<Neighbourhood<'g>, Error> {
        let center_node = self.resolve(entity)?;
        let center = self
            .graph
            .entity_at(center_node)
            .ok_or_else(|| unknown_entity(entity))?;
        let adj = self.graph.adjacency();
        let mut scratch = self.graph.take_scratch();
        let reached = self.breadth_first(center_node, depth, &mut scratch);
        // Every relation is an outgoing incidence of exactly one node, so
        // walking each member's outgoing incidences and keeping those that
        // end at a member lists each relation among members once.
        let mut relations: Vec<&'g Relation> = Vec::new();
        for &v in &reached.order {
            for (other, edge, outgoing) in adj.incidences(v) {
                if outgoing
                    && scratch.seen(Side::Forward, other as usize)
                    && self.compiled.edge(adj, edge as usize)
                {
                    if let Some(r) = self.graph.relation_at(edge) {
                        relations.push(r);
                    }
                }
            }
        }
        relations.sort_unstable_by(|a, b| a.id.cmp(&b.id));
        self.graph.give_back(scratch);
        let mut members = self.members(&reached);
        members.sort_by(|a, b| (a.1, &a.0.id).cmp(&(b.1, &b.0.id)));
        Ok(Neighbourhood {
            center,
            members,
            relations,
        })
    }

    /// The relations of the view at `entity`, in date order (by start, then
    /// end, then id; undated relations last).
    ///
    /// O(d log d) for an entity with d relations.
    ///
    /// # Errors
    ///
    /// [`Rule::UnknownEntity`] if the graph has no such entity;
    /// [`Rule::HiddenEntity`] if the view's filter hides it (every query
    /// answers so).
    ///
    /// # Example
    ///
    /// ```
    /// use healthgraph::{Filter, HealthGraph};
    ///
    /// let graph = HealthGraph::load("data/hanoi.ron")?;
    /// let timeline = graph.view(Filter::new().kinds_by_name("visit")?).timeline("hanoi-doh")?;
    /// let dates: Vec<String> = timeline.iter().map(|r| r.period().to_string()).collect();
    /// assert_eq!(dates, ["2025-01-17..2025-01-17", "2025-05-23..2025-05-23", "2025-05-26..2025-05-26"]);
    /// # Ok::<(), healthgraph::Error>(())
    /// ```
    pub fn timeline(&self, entity: &str) -> Result<Vec<&'g Relation>, Error> {
        let node = self.resolve(entity)?;
        // Direction does not apply: a timeline lists what happened to the
        // entity, whichever end it was.
        let mut out: Vec<&'g Relation> = self
            .steps_towards(node, Direction::Both)
            .map(|i| i.relation)
            .collect();
        out.sort_by(|a, b| timeline_key(a).cmp(&timeline_key(b)));
        Ok(out)
    }

    /// The dated relations of the view whose period overlaps the window from
    /// the first day of `from` to the last day of `to`, in date order. A
    /// relation with no known date is left out (it has no place on a time
    /// line); an unknown bound of a dated one is open.
    ///
    /// O(m log m).
    ///
    /// # Example
    ///
    /// ```
    /// use healthgraph::{Filter, HealthGraph};
    ///
    /// let graph = HealthGraph::load("data/hanoi.ron")?;
    /// let may = graph.view(Filter::new().kinds_by_name("visit")?).between("2025-05".parse()?, "2025-05".parse()?);
    /// let ids: Vec<&str> = may.iter().map(|r| r.id().as_str()).collect();
    /// assert_eq!(ids, ["visit-karolinska-institute-hanoi-doh-2025", "visit-ap-hp-hanoi-doh-2025"]);
    /// # Ok::<(), healthgraph::Error>(())
    /// ```
    pub fn between(&self, from: Date, to: Date) -> Vec<&'g Relation> {
        let window = self.filter.clone().during(from, to).compile();
        let adj = self.graph.adjacency();
        let mut candidates = self.graph.date_index().periods(self.graph).overlapping(
            from.days(),
            to.last_day().days(),
            false,
        );
        // In id order: the relations are then read as a scan would read them.
        candidates.sort_unstable();
        let mut out: Vec<&'g Relation> = candidates
            .into_iter()
            .map(|(_, e)| e)
            .filter(|&e| window.edge(adj, e as usize))
            .filter_map(|e| {
                let r = self.graph.relation_at(e)?;
                self.passes(e, r).then_some(r)
            })
            .collect();
        out.sort_by(|a, b| timeline_key(a).cmp(&timeline_key(b)));
        out
    }
}

impl<'g> View<'g> {
    /// The relations of the view dated within `from..to` (see
    /// [`Relation::is_dated_within`]), in date order: what happened in a
    /// window, as against [`View::between`], which lists what may have held
    /// at some time in it. O(m log m).
    ///
    /// # Example
    ///
    /// ```
    /// use healthgraph::{Filter, HealthGraph};
    ///
    /// let graph = HealthGraph::load("data/hanoi.ron")?;
    /// let may: healthgraph::Date = "2025-05".parse()?;
    /// let view = graph.view(Filter::partnership());
    /// let happened = view.dated_within(may, may);
    /// assert!(happened.iter().all(|r| r.start().is_some_and(|d| d.to_string().starts_with("2025-05"))));
    /// // The 2017 MOU, open-ended, may hold in May 2025, but did not happen then.
    /// assert!(view.between(may, may).len() > happened.len());
    /// # Ok::<(), healthgraph::Error>(())
    /// ```
    pub fn dated_within(&self, from: Date, to: Date) -> Vec<&'g Relation> {
        // Dated by the start, or by the end when there is none: the date
        // index's starts and ends in the window.
        let index = self.graph.date_index().spans(self.graph);
        let (a, b) = (from.days(), to.last_day().days());
        let by_start = index.starts.overlapping(a, b);
        let by_end = index.ends.overlapping(a, b);
        let mut out: Vec<&'g Relation> = by_start
            .chain(by_end)
            .filter_map(|entry| {
                let r = self.graph.relation_at(entry.edge)?;
                (r.is_dated_within(from, to) && self.passes(entry.edge, r)).then_some(r)
            })
            .collect();
        // A relation dated by its start was found once by it; one dated
        // by its end, once by that; one with both, possibly twice.
        out.sort_by(|x, y| x.id.cmp(&y.id));
        out.dedup_by(|x, y| x.id == y.id);
        out.sort_by(|a, b| timeline_key(a).cmp(&timeline_key(b)));
        out
    }

    /// Every relation of the view in date order (by start, or end when the start is
    /// not known, then end, then id; undated relations last). O(m log m).
    ///
    /// # Example
    ///
    /// ```
    /// use healthgraph::{Filter, HealthGraph};
    ///
    /// let graph = HealthGraph::load("data/hanoi.ron")?;
    /// let all = graph.view(Filter::partnership()).chronological();
    /// assert_eq!(all[0].start().map(|d| d.to_string()).as_deref(), Some("2017-07"));
    /// assert!(all.last().is_some_and(|r| r.start().is_none()));
    /// # Ok::<(), healthgraph::Error>(())
    /// ```
    pub fn chronological(&self) -> Vec<&'g Relation> {
        let mut out: Vec<&'g Relation> = self.relations().collect();
        out.sort_by(|a, b| timeline_key(a).cmp(&timeline_key(b)));
        out
    }
}

pub(crate) fn unknown_entity(id: &str) -> Error {
    Error::new(
        Rule::UnknownEntity,
        format!("there is no entity `{}`", crate::model::id::shorten(id)),
    )
}

fn hidden_entity(id: &str) -> Error {
    Error::new(
        Rule::HiddenEntity,
        format!(
            "entity `{}` is not in the view: the filter hides it",
            crate::model::id::shorten(id)
        ),
    )
}

/// The nodes a traversal may step to: every other end, those listed for
/// the view ([`View::indexed`]), or those that pass the filter's tests (see
/// [`View::step_nodes`]).
enum Steps<A, L, B> {
    All(A),
    Listed(L),
    Tested(B),
}

impl<A, L, B> Iterator for Steps<A, L, B>
where
    A: Iterator<Item = usize>,
    L: Iterator<Item = usize>,
    B: Iterator<Item = usize>,
{
    type Item = usize;

    #[inline]
    fn next(&mut self) -> Option<usize> {
        match self {
            Steps::All(a) => a.next(),
            Steps::Listed(l) => l.next(),
            Steps::Tested(b) => b.next(),
        }
    }
}

/// The nodes a breadth-first walk reached, in the order reached, and where
/// each distance's nodes begin among them.
struct Reached {
    order: Vec<usize>,
    /// `starts[d]` is where the nodes at distance `d` begin in `order`.
    starts: Vec<usize>,
}

impl Reached {
    /// The nodes at each distance, nearest first.
    fn levels(&self) -> impl Iterator<Item = &[usize]> + '_ {
        self.starts.iter().enumerate().map(|(d, &start)| {
            let end = self.starts.get(d + 1).copied().unwrap_or(self.order.len());
            self.order.get(start..end).unwrap_or_default()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The dated steps listed on two threads are those listed on one, each
    /// node's in time order, and every dated step of the view is listed.
    #[test]
    fn timed_steps_on_two_threads_are_those_on_one() -> Result<(), crate::Error> {
        let graph = HealthGraph::load("data/hanoi.ron")?;
        for direction in [Direction::Both, Direction::Outgoing, Direction::Incoming] {
            let view = graph.view(Filter::new().direction(direction));
            let one = view.list_timed_steps(direction, usize::MAX);
            let two = view.list_timed_steps(direction, 0);
            assert_eq!(one, two);
            let mut listed = 0;
            for v in 0..graph.node_bound() {
                let steps = one.of(v);
                assert!(steps.windows(2).all(|w| w.first() <= w.get(1)));
                let mut expected: Vec<TimedStep> = view
                    .timed_steps_towards(Node::from_index(v as u32), direction)
                    .collect();
                expected.sort_unstable();
                assert_eq!(steps, &expected[..]);
                listed += steps.len();
            }
            assert!(listed > 0, "{direction:?}");
        }
        Ok(())
    }
}
