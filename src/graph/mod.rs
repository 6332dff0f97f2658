//! [`HealthGraph`]: the structure in a petgraph `StableGraph`, the entities
//! and relations in tables by number beside it (`slots.rs`), and id indexes.
//! This is the only module that touches petgraph indices; none of them
//! leave it.

use std::borrow::Borrow;
use std::collections::HashMap;
use std::fmt;
use std::hash::Hash;
use std::sync::OnceLock;

use petgraph::Direction;
use petgraph::stable_graph::{EdgeIndex, NodeIndex, StableDiGraph};
use petgraph::visit::{EdgeIndexable, EdgeRef, NodeIndexable};

use crate::error::{Error, Problem, Rule};
use crate::index::{Adjacency, Scratch, ScratchPool};

mod edit;
mod ids;
mod slots;

use crate::model::entity::Entity;
use crate::model::id::{EntityId, RelationId, SourceId};
use crate::model::relation::Relation;
use crate::model::source::Source;
use crate::rules::{self, Cited, EntityFacts, Field, RelationFacts};
pub use edit::Edits;

/// A knowledge graph of health-sector entities and the relations between them.
///
/// Every way to build one checks the invariants: ids are unique, relations
/// join entities of the graph with kinds the endpoint table allows, every
/// relation and entity cites sources of the graph, renewals renew an earlier
/// agreement between the same parties. Iteration is in id order, so output is
/// stable from run to run.
///
/// It implements neither `FromIterator` nor `Extend`: adding a record can
/// fail, and those traits have no way to say so. Insert records one by one
/// (`insert_*`), or a batch whole or not at all ([`HealthGraph::edit`]).
///
/// # Example
///
/// ```
/// use healthgraph::HealthGraph;
///
/// let graph = HealthGraph::load("data/hanoi.ron")?;
/// let karolinska = graph.entity("karolinska-institute").expect("in the data");
/// assert_eq!(karolinska.name(), "Viện Karolinska");
/// let partners: Vec<&str> = graph
///     .relations_of("karolinska-institute")
///     .filter_map(|r| r.other("karolinska-institute"))
///     .map(|id| id.as_str())
///     .collect();
/// assert!(partners.contains(&"hanoi-obgyn-hospital"));
/// # Ok::<(), healthgraph::Error>(())
/// ```
#[derive(Clone, Default)]
pub struct HealthGraph {
    // The structure: nodes and edges without weights.
    graph: StableDiGraph<(), ()>,
    // The entities by node number (see `slots.rs` for why they are not
    // petgraph's weights).
    entity_slots: slots::Slots<Entity>,
    // The relations by edge number, likewise.
    relation_slots: slots::Slots<Relation>,
    // Id indexes: hash tables for O(1) lookups, of node and relation
    // numbers only (the ids are read where the graph holds them; see
    // `ids.rs`). The hasher is foldhash, which is fast and seeded per
    // process, so crafted ids in an untrusted file cannot force collisions.
    entities: ids::Numbers,
    // Relations by id: kept by every edit, or built on first use when the
    // graph was opened from a snapshot (which proves its ids distinct by
    // their order, so opening one needs no map of millions of ids).
    relations: RelationIndex,
    // Boxed: the table stays small (a slot is the id and a pointer, not
    // the whole record), so that the lookups of every citation hit cache.
    sources: HashMap<SourceId, Box<Source>, Hasher>,
    // Id order for iteration, computed on first use after a change.
    entity_order: OnceLock<Vec<NodeIndex>>,
    relation_order: OnceLock<Vec<EdgeIndex>>,
    // How the relations' id order follows from their numbers, when the
    // loader knows it (a snapshot): see `give_relation_order`.
    relation_order_given: Option<Vec<(u32, u32)>>,
    source_order: OnceLock<Vec<SourceId>>,
    // The read-optimised adjacency that queries walk, built on first use
    // after a change (and at the end of loading).
    adjacency: OnceLock<Adjacency>,
    // Folded names for search, built on the first search after a change.
    search_index: OnceLock<crate::query::search::SearchIndex>,
    // Relations by their dates, built on the first date query after a change.
    date_index: OnceLock<crate::index::DateIndex>,
    // Reusable per-query scratch space, so that a query does not pay O(n)
    // to allocate or clear its visited marks.
    scratch: ScratchPool,
}

/// The values of `items` in the order of their ids. Sorting millions of ids
/// spread over the heap is bound by cache misses, so each is keyed by its
/// first eight bytes as one number, and `id` reads the whole id again only
/// when two keys tie (zero-padded, the keys order as the ids do).
fn in_id_order<'a, T: Copy>(
    items: impl Iterator<Item = (&'a str, T)>,
    id: impl Fn(T) -> &'a str,
) -> Vec<T> {
    let mut keyed: Vec<(u64, T)> = items.map(|(s, t)| (id_prefix(s), t)).collect();
    keyed.sort_unstable_by(|a, b| a.0.cmp(&b.0).then_with(|| id(a.1).cmp(id(b.1))));
    keyed.into_iter().map(|(_, t)| t).collect()
}

/// The first eight bytes of `id`, zero-padded, as a big-endian number.
fn id_prefix(id: &str) -> u64 {
    let mut bytes = [0u8; 8];
    for (b, &c) in bytes.iter_mut().zip(id.as_bytes()) {
        *b = c;
    }
    u64::from_be_bytes(bytes)
}

pub(crate) type Hasher = foldhash::fast::RandomState;

type RelationMap = ids::Numbers;

/// The map of relations by id, present or built on first use.
#[derive(Clone, Default)]
struct RelationIndex {
    /// The map edits keep up to date.
    kept: Option<RelationMap>,
    /// The map built by a lookup through a shared reference while `kept`
    /// was absent.
    built: OnceLock<RelationMap>,
}

/// Every relation of `relations` by id.
fn map_relations(relations: &slots::Slots<Relation>) -> RelationMap {
    let mut map = RelationMap::default();
    map.reserve(relations.len());
    for (e, r) in relations.iter() {
        map.insert_new(r.id.as_str(), e as u32);
    }
    map
}

impl RelationIndex {
    fn get<'a>(&'a self, relations: &slots::Slots<Relation>) -> &'a RelationMap {
        match &self.kept {
            Some(map) => map,
            None => self.built.get_or_init(|| map_relations(relations)),
        }
    }

    fn get_mut(&mut self, relations: &slots::Slots<Relation>) -> &mut RelationMap {
        let built = &mut self.built;
        self.kept
            .get_or_insert_with(|| built.take().unwrap_or_else(|| map_relations(relations)))
    }
}

/// Replaces `id` by the map's own copy of it when its text is long enough to
/// live on the heap, so that the graph holds each such text once; a short id
/// is held inline, and looking it up would share nothing.
pub(crate) fn share<K, V>(map: &HashMap<K, V, Hasher>, id: &mut K)
where
    K: Borrow<str> + Clone + Eq + Hash,
{
    let text: &str = (*id).borrow();
    if text.len() > crate::model::id::INLINE_ID_LEN {
        if let Some((k, _)) = map.get_key_value(text) {
            *id = k.clone();
        }
    }
}

impl HealthGraph {
    /// An empty graph.
    pub fn new() -> HealthGraph {
        HealthGraph::default()
    }

    /// The number of entities.
    pub fn entity_count(&self) -> usize {
        self.entities.len()
    }

    /// The number of relations.
    pub fn relation_count(&self) -> usize {
        self.graph.edge_count()
    }

    /// The number of sources.
    pub fn source_count(&self) -> usize {
        self.sources.len()
    }

    /// Whether the graph holds nothing at all.
    pub fn is_empty(&self) -> bool {
        self.entities.is_empty() && self.sources.is_empty()
    }

    /// The entity with this id. O(1) expected (one hash lookup).
    pub fn entity(&self, id: &str) -> Option<&Entity> {
        self.node_index(id)
            .and_then(|n| self.entity_slots.get(n.index()))
    }

    /// Whether an entity has this id. O(1) expected.
    pub fn contains_entity(&self, id: &str) -> bool {
        self.node_index(id).is_some()
    }

    /// The relation with this id. O(1) expected, except that in a graph opened
    /// from a snapshot the first lookup or edit by relation id builds the
    /// map of relations by id, O(m) once.
    pub fn relation(&self, id: &str) -> Option<&Relation> {
        self.edge_index(id)
            .and_then(|e| self.relation_slots.get(e.index()))
    }

    /// The source with this id. O(1) expected.
    pub fn source(&self, id: &str) -> Option<&Source> {
        self.sources.get(id).map(|s| &**s)
    }

    /// Every entity, in id order. The order is sorted once after a change,
    /// O(n log n), then iteration is O(1) per entity. The iterator knows
    /// its length and runs both ways.
    ///
    /// # Example
    ///
    /// ```
    /// let graph = healthgraph::HealthGraph::load("data/hanoi.ron")?;
    /// let entities = graph.entities();
    /// assert_eq!(entities.len(), graph.entity_count());
    /// assert_eq!(graph.entities().next_back().map(|e| e.id().as_str()), Some("xanh-pon-general-hospital"));
    /// assert_eq!(graph.relations().len(), 58);
    /// assert_eq!(graph.sources().rev().len(), 18);
    /// assert_eq!(graph.relations_of("ap-hp").len(), 10);
    /// # Ok::<(), healthgraph::Error>(())
    /// ```
    pub fn entities(&self) -> Entities<'_> {
        Entities {
            ids: self.nodes_in_id_order().iter(),
            store: &self.entity_slots,
        }
    }

    /// The nodes in their entities' id order, sorted once after a change.
    fn nodes_in_id_order(&self) -> &[NodeIndex] {
        self.entity_order.get_or_init(|| {
            let ids = self
                .entity_slots
                .iter()
                .map(|(i, e)| (e.id.as_str(), NodeIndex::new(i)));
            in_id_order(ids, |n| {
                self.entity_slots
                    .get(n.index())
                    .map_or("", |e| e.id.as_str())
            })
        })
    }

    /// Every relation, in id order (sorted once after a change, as for
    /// [`HealthGraph::entities`]).
    pub fn relations(&self) -> Relations<'_> {
        Relations {
            ids: self.edges_in_id_order().iter(),
            store: &self.relation_slots,
        }
    }

    /// Tells the graph how its relations' id order follows from their
    /// numbers, so that the order is built without reading or sorting an
    /// id: the relations numbered below `m - continuing.len()` are in id
    /// order, and each `(place, number)` of `continuing` goes just before
    /// the in-order relation at that place (places ascending, ties in id
    /// order). Forgotten at the next change.
    pub(crate) fn give_relation_order(&mut self, continuing: Vec<(u32, u32)>) {
        self.relation_order_given = Some(continuing);
    }

    /// The id order from [`HealthGraph::give_relation_order`], if one was
    /// given and the graph has every relation it was given for: O(m).
    fn given_relation_order(&self) -> Option<Vec<EdgeIndex>> {
        let continuing = self.relation_order_given.as_ref()?;
        let m = self.graph.edge_count();
        if self.graph.edge_bound() != m {
            return None;
        }
        let in_order = m.checked_sub(continuing.len())?;
        let mut order = Vec::with_capacity(m);
        let mut next = continuing.iter().peekable();
        for place in 0..=in_order {
            while let Some(&(_, number)) = next.next_if(|&&(p, _)| p as usize == place) {
                order.push(EdgeIndex::new(number as usize));
            }
            if place < in_order {
                order.push(EdgeIndex::new(place));
            }
        }
        (order.len() == m).then_some(order)
    }

    /// The edges in their relations' id order, sorted once after a change
    /// (or laid out as a loader said, without sorting).
    fn edges_in_id_order(&self) -> &[EdgeIndex] {
        self.relation_order.get_or_init(|| {
            if let Some(order) = self.given_relation_order() {
                return order;
            }
            let edges = self.graph.edge_indices();
            let ids =
                edges.filter_map(|e| Some((self.relation_slots.get(e.index())?.id.as_str(), e)));
            in_id_order(ids, |e| {
                self.relation_slots
                    .get(e.index())
                    .map_or("", |r| r.id.as_str())
            })
        })
    }

    /// Every source, in id order.
    pub fn sources(&self) -> Sources<'_> {
        let order = self.source_order.get_or_init(|| {
            let mut v: Vec<SourceId> = self.sources.keys().cloned().collect();
            v.sort_unstable();
            v
        });
        Sources {
            ids: order.iter(),
            store: &self.sources,
        }
    }

    /// The node of an entity id.
    fn node_index(&self, id: &str) -> Option<NodeIndex> {
        let slots = &self.entity_slots;
        let id_at = |n: u32| Some(slots.get(n as usize)?.id.as_str());
        self.entities
            .find(id, id_at)
            .map(|n| NodeIndex::new(n as usize))
    }

    /// The edge of a relation id.
    fn edge_index(&self, id: &str) -> Option<EdgeIndex> {
        let relations = &self.relation_slots;
        let id_at = |e: u32| Some(relations.get(e as usize)?.id.as_str());
        let map = self.relations.get(relations);
        map.find(id, id_at).map(|e| EdgeIndex::new(e as usize))
    }

    /// Notes that relation `id` is at `edge`, which did not hold it before.
    fn note_relation_id(&mut self, id: &str, edge: EdgeIndex) {
        let map = self.relations.get_mut(&self.relation_slots);
        map.insert_new(id, edge.index() as u32);
    }

    /// Forgets that relation `id` is at `edge` (the edge may be gone).
    fn forget_relation_id(&mut self, id: &str, edge: EdgeIndex) {
        let map = self.relations.get_mut(&self.relation_slots);
        map.remove(id, edge.index() as u32);
    }

    /// Removes the entity at `node` from the graph and from the map of
    /// entities by id (its relations are gone already); the entity, if
    /// there was one.
    fn take_entity(&mut self, node: NodeIndex) -> Option<Entity> {
        self.graph.remove_node(node)?;
        let entity = self.entity_slots.take(node.index())?;
        self.entities
            .remove(entity.id.as_str(), node.index() as u32);
        Some(entity)
    }

    /// Removes the relation at `edge` from the graph and from the map of
    /// relations by id; the relation, if there was one.
    fn take_relation(&mut self, edge: EdgeIndex) -> Option<Relation> {
        self.graph.remove_edge(edge)?;
        let relation = self.relation_slots.take(edge.index())?;
        self.forget_relation_id(relation.id.as_str(), edge);
        Some(relation)
    }

    /// Replaces a relation id by the graph's own copy of it when its text
    /// lives on the heap (as [`share`] does for sources).
    fn share_relation_id(&self, id: &mut RelationId) {
        if id.as_str().len() > crate::model::id::INLINE_ID_LEN {
            if let Some(r) = self
                .edge_index(id.as_str())
                .and_then(|e| self.relation_slots.get(e.index()))
            {
                *id = r.id.clone();
            }
        }
    }

    /// Forgets the cached orders and index after a change.
    fn changed(&mut self) {
        self.entity_order = OnceLock::new();
        self.relation_order = OnceLock::new();
        self.relation_order_given = None;
        self.source_order = OnceLock::new();
        self.adjacency = OnceLock::new();
        self.search_index = OnceLock::new();
        self.date_index = OnceLock::new();
    }

    /// The relations by their dates, each list built on first use after a
    /// change: O(m + days spanned) once.
    pub(crate) fn date_index(&self) -> &crate::index::DateIndex {
        self.date_index
            .get_or_init(crate::index::DateIndex::default)
    }

    /// The folded names, built on first use after a change: O(n·c) once.
    pub(crate) fn search_index(&self) -> &crate::query::search::SearchIndex {
        self.search_index
            .get_or_init(|| crate::query::search::SearchIndex::build(self))
    }

    /// The read-optimised adjacency, built on first use after a change:
    /// O(n + m) once.
    pub(crate) fn adjacency(&self) -> &Adjacency {
        self.adjacency.get_or_init(|| Adjacency::build(self))
    }

    /// Builds the query index now, with the links, the entities'
    /// first-published days and the relations' fields given by number:
    /// nothing is looked up by id.
    pub(crate) fn index_given(&mut self, given: crate::index::Given) {
        self.adjacency = OnceLock::from(Adjacency::build_given(self, given));
    }

    /// Borrows per-query scratch space for `n` nodes; return it with
    /// [`HealthGraph::give_back`].
    pub(crate) fn take_scratch(&self) -> Scratch {
        let mut s = self
            .scratch
            .0
            .lock()
            .ok()
            .and_then(|mut pool| pool.pop())
            .unwrap_or_default();
        s.begin(self.graph.node_bound());
        s
    }

    /// Returns scratch space to the pool.
    pub(crate) fn give_back(&self, scratch: Scratch) {
        if let Ok(mut pool) = self.scratch.0.lock() {
            if pool.len() < 8 {
                pool.push(scratch);
            }
        }
    }

    /// The relation number of a relation id.
    pub(crate) fn edge_of(&self, id: &str) -> Option<u32> {
        self.edge_index(id).map(|e| e.index() as u32)
    }

    /// The relations from place `ranks.start` to `ranks.end` in id order
    /// (clamped to the relations there are), each with its place and its
    /// number: part of [`HealthGraph::relation_edges`], for walking the
    /// relations on several threads.
    pub(crate) fn relation_edges_ranked(
        &self,
        ranks: std::ops::Range<usize>,
    ) -> impl Iterator<Item = (usize, u32, &Relation)> + '_ {
        let order = self.edges_in_id_order();
        let end = ranks.end.min(order.len());
        let start = ranks.start.min(end);
        order
            .get(start..end)
            .unwrap_or_default()
            .iter()
            .zip(start..)
            .filter_map(|(e, rank)| {
                Some((rank, e.index() as u32, self.relation_slots.get(e.index())?))
            })
    }

    /// Every relation's number, in id order.
    pub(crate) fn relation_numbers_in_id_order(&self) -> impl Iterator<Item = u32> + '_ {
        self.edges_in_id_order().iter().map(|e| e.index() as u32)
    }

    /// Every relation with its number, in id order.
    pub(crate) fn relation_edges(&self) -> impl Iterator<Item = (u32, &Relation)> + '_ {
        self.relation_edges_ranked(0..usize::MAX)
            .map(|(_, e, r)| (e, r))
    }

    /// The relation at an edge number of the adjacency.
    pub(crate) fn relation_at(&self, edge: u32) -> Option<&Relation> {
        self.relation_slots.get(edge as usize)
    }

    /// The relations that have `entity` at either end, in id order; empty if
    /// there is no such entity. O(d log d) for an entity with d relations.
    ///
    /// # Example
    ///
    /// ```
    /// let graph = healthgraph::HealthGraph::load("data/hanoi.ron")?;
    /// let kinds: Vec<String> = graph.relations_of("ajou-university-hospital").map(|r| r.kind().to_string()).collect();
    /// assert_eq!(kinds, ["cooperation", "cooperation", "visit"]);
    /// # Ok::<(), healthgraph::Error>(())
    /// ```
    pub fn relations_of(&self, entity: &str) -> RelationsOf<'_> {
        let mut found: Vec<&Relation> = match self.node_index(entity) {
            Some(n) => self
                .graph
                .edges_directed(n, Direction::Outgoing)
                .chain(self.graph.edges_directed(n, Direction::Incoming))
                .filter_map(|e| self.relation_slots.get(e.id().index()))
                .collect(),
            None => Vec::new(),
        };
        found.sort_unstable_by(|a, b| a.id.cmp(&b.id));
        RelationsOf {
            inner: found.into_iter(),
        }
    }

    /// Adds a source.
    ///
    /// # Errors
    ///
    /// [`Rule::DuplicateId`] if a source already has its id.
    pub fn insert_source(&mut self, source: Source) -> Result<(), Error> {
        into_result(source.id.as_str(), self.check_source(&source))?;
        self.sources.insert(source.id.clone(), Box::new(source));
        self.changed();
        Ok(())
    }

    /// Adds an entity.
    ///
    /// # Errors
    ///
    /// Every problem among [`Rule::DuplicateId`], [`Rule::EmptyField`] (no
    /// name), [`Rule::MissingSource`] and [`Rule::UnknownSource`].
    ///
    /// # Example
    ///
    /// ```
    /// use healthgraph::{Entity, EntityKind, HealthGraph, Rule, Source};
    ///
    /// let mut graph = HealthGraph::new();
    /// graph.insert_source(Source::new("s1".parse()?, "A report", "2025".parse()?, "en")?)?;
    /// graph.insert_entity(Entity::new("hanoi".parse()?, EntityKind::City, "Hà Nội").add_source("s1".parse()?))?;
    /// let again = Entity::new("hanoi".parse()?, EntityKind::City, "Hà Nội").add_source("s1".parse()?);
    /// let err = graph.insert_entity(again).unwrap_err();
    /// assert!(err.has(Rule::DuplicateId));
    /// assert_eq!((err.problems()[0].record(), err.problems()[0].field()), (Some("hanoi"), Some("id")));
    /// # Ok::<(), healthgraph::Error>(())
    /// ```
    pub fn insert_entity(&mut self, entity: Entity) -> Result<(), Error> {
        into_result(entity.id.as_str(), self.check_entity(&entity))?;
        self.insert_checked_entity(entity);
        Ok(())
    }

    /// Inserts an entity that [`HealthGraph::check_entity`] has just accepted.
    pub(crate) fn insert_checked_entity(&mut self, mut entity: Entity) {
        for s in entity.sources.iter_mut() {
            share(&self.sources, s);
        }
        let node = self.graph.add_node(());
        self.entities
            .insert_new(entity.id.as_str(), node.index() as u32);
        self.entity_slots.put(node.index(), entity);
        self.changed();
    }

    /// Adds an entity whose sources are already the graph's own ids and
    /// whose rules the caller has checked, unless its id is taken; its node.
    /// The snapshot's path.
    pub(crate) fn push_entity(&mut self, entity: Entity) -> Option<Node> {
        if self.node_index(entity.id.as_str()).is_some() {
            return None;
        }
        let node = self.graph.add_node(());
        self.entities
            .insert_new(entity.id.as_str(), node.index() as u32);
        self.entity_slots.put(node.index(), entity);
        self.changed();
        Some(Node(node))
    }

    /// Adds a relation between two nodes, its ids already the graph's own,
    /// and its rules and the uniqueness of its id checked by the caller: the
    /// snapshot's path (a snapshot proves its ids distinct by their order).
    /// No map is kept: the map of relations by id is built on first use.
    /// Gives the relation's number.
    pub(crate) fn push_relation_unindexed(
        &mut self,
        relation: Relation,
        from: Node,
        to: Node,
    ) -> usize {
        self.relations = RelationIndex::default();
        let edge = self.graph.add_edge(from.0, to.0, ());
        self.relation_slots.put(edge.index(), relation);
        self.changed();
        edge.index()
    }

    /// Makes room for `entities` more.
    pub(crate) fn reserve_entities(&mut self, entities: usize) {
        self.entities.reserve(entities);
        self.graph.reserve_nodes(entities);
        self.entity_slots.reserve(entities);
    }

    /// Makes room for `relations` more, to be added by
    /// [`Self::push_relation_unindexed`].
    pub(crate) fn reserve_unindexed(&mut self, relations: usize) {
        self.graph.reserve_edges(relations);
        self.relation_slots.reserve(relations);
    }

    /// Adds a relation.
    ///
    /// # Errors
    ///
    /// Every problem among [`Rule::DuplicateId`], [`Rule::UnknownEntity`] (an
    /// endpoint or a person's organisation), [`Rule::EndpointKind`],
    /// [`Rule::UnknownSource`], [`Rule::UnknownRelation`],
    /// [`Rule::RenewsNonAgreement`], [`Rule::RenewsOtherParties`],
    /// [`Rule::RenewsLater`], [`Rule::LinksNonAgreement`],
    /// [`Rule::AmendsOtherParties`] and [`Rule::LinksLater`].
    pub fn insert_relation(&mut self, relation: Relation) -> Result<(), Error> {
        into_result(relation.id.as_str(), self.check_relation(&relation))?;
        self.insert_checked_relation(relation)
    }

    /// Inserts a relation that [`HealthGraph::check_relation`] has just
    /// accepted (the loader checks each record once, itself).
    pub(crate) fn insert_checked_relation(&mut self, mut relation: Relation) -> Result<(), Error> {
        // Share the id strings the graph already holds, finding each end's
        // node by the same lookup.
        let end = |id: &EntityId| {
            let node = self.node_index(id.as_str())?;
            Some((&self.entity_slots.get(node.index())?.id, node))
        };
        let (Some((from_id, from)), Some((to_id, to))) = (end(&relation.from), end(&relation.to))
        else {
            // check_relation has just confirmed both endpoints exist.
            return Err(Error::new(
                Rule::UnknownEntity,
                "relation endpoint vanished",
            ));
        };
        relation.from = from_id.clone();
        relation.to = to_id.clone();
        for s in relation.sources.iter_mut() {
            share(&self.sources, s);
        }
        if let Some(d) = relation.details.as_mut() {
            for t in [d.renews.as_mut(), d.amends.as_mut(), d.supersedes.as_mut()]
                .into_iter()
                .flatten()
            {
                self.share_relation_id(t);
            }
        }
        let edge = self.graph.add_edge(from, to, ());
        self.note_relation_id(relation.id.as_str(), edge);
        self.relation_slots.put(edge.index(), relation);
        self.changed();
        Ok(())
    }

    /// Removes an entity with every relation that joins it, and unlinks the
    /// people of other relations who were said to act for it (they keep their
    /// names). Returns the entity and its relations, in id order.
    ///
    /// Renewal chains stay whole: a renewal (and an amendment) joins the same
    /// two parties as what it continues, so both go together.
    ///
    /// # Errors
    ///
    /// [`Rule::UnknownEntity`] if there is no such entity;
    /// [`Rule::StillReferenced`] if an agreement of other parties supersedes
    /// one of its agreements (remove or change that one first).
    ///
    /// # Example
    ///
    /// ```
    /// let mut graph = healthgraph::HealthGraph::load("data/hanoi.ron")?;
    /// let before = graph.relation_count();
    /// let (entity, relations) = graph.remove_entity("ap-hp")?;
    /// assert_eq!(entity.name_en(), Some("Assistance Publique – Hôpitaux de Paris (AP-HP)"));
    /// assert_eq!(graph.relation_count(), before - relations.len());
    /// assert_eq!(graph.relations_of("ap-hp").count(), 0);
    /// # Ok::<(), healthgraph::Error>(())
    /// ```
    pub fn remove_entity(&mut self, id: &str) -> Result<(Entity, Vec<Relation>), Error> {
        self.remove_entity_recorded(id)
            .map(|(entity, relations, _)| (entity, relations))
    }

    /// [`HealthGraph::remove_entity`], also telling which people of other
    /// relations were unlinked from it (so that a batch can undo it).
    pub(crate) fn remove_entity_recorded(
        &mut self,
        id: &str,
    ) -> Result<(Entity, Vec<Relation>, Vec<edit::Unlinked>), Error> {
        // An agreement of another pair of parties may supersede one of its
        // agreements: that link would be left pointing at nothing.
        let own: std::collections::HashSet<&str> =
            self.relations_of(id).map(|r| r.id.as_str()).collect();
        for r in self.relations_of(id).filter(|r| r.kind.is_agreement()) {
            if let Some((link, next)) = self
                .continued_by(r.id.as_str())
                .into_iter()
                .find(|(_, n)| !own.contains(n.id.as_str()))
            {
                return Err(Error::new(
                    Rule::StillReferenced,
                    format!(
                        "entity `{id}` cannot be removed: `{}` {link} its agreement `{}` (remove that first)",
                        next.id, r.id
                    ),
                ));
            }
        }
        let Some(node) = self.node_index(id) else {
            return Err(Error::new(
                Rule::UnknownEntity,
                format!("there is no entity `{}`", crate::model::id::shorten(id)),
            ));
        };
        self.changed();
        let edges: Vec<EdgeIndex> = self
            .graph
            .edges_directed(node, Direction::Outgoing)
            .chain(self.graph.edges_directed(node, Direction::Incoming))
            .map(|e| e.id())
            .collect();
        let mut removed = Vec::with_capacity(edges.len());
        for edge in edges {
            if let Some(relation) = self.take_relation(edge) {
                removed.push(relation);
            }
        }
        removed.sort_unstable_by(|a, b| a.id.cmp(&b.id));
        let mut unlinked = Vec::new();
        let edges: Vec<EdgeIndex> = self.graph.edge_indices().collect();
        for edge in edges {
            let Some(details) = self
                .relation_slots
                .get_mut(edge.index())
                .and_then(|r| r.details.as_mut())
            else {
                continue;
            };
            for (i, person) in details.people.iter_mut().enumerate() {
                if person.organisation.as_ref().is_some_and(|o| o == id) {
                    if let Some(org) = person.organisation.take() {
                        unlinked.push(edit::Unlinked::new(edge, i, org));
                    }
                }
            }
        }
        let entity = self
            .take_entity(node)
            .ok_or_else(|| Error::new(Rule::UnknownEntity, format!("there is no entity `{id}`")))?;
        Ok((entity, removed, unlinked))
    }

    /// The problems `source` would have if inserted.
    pub(crate) fn check_source(&self, source: &Source) -> Vec<(Field, Problem)> {
        let mut out = Vec::new();
        let id = source.id.as_str();
        rules::unique("source", id, self.sources.contains_key(id), &mut out);
        out
    }

    /// The problems `entity` would have if inserted (its own rules included:
    /// an `Entity` can be built with an empty name or no source).
    pub(crate) fn check_entity(&self, entity: &Entity) -> Vec<(Field, Problem)> {
        let facts = EntityFacts {
            id: entity.id.as_str(),
            name: Some(&entity.name),
            sources: Cited::All(&entity.sources),
        };
        let mut out = Vec::new();
        let taken = self.contains_entity(facts.id);
        rules::unique("entity", facts.id, taken, &mut out);
        rules::entity_in(self, &facts, &mut out);
        rules::entity_alone(&facts, &mut out);
        out
    }

    /// The problems `relation` would have if inserted, beyond those it has
    /// alone (its builder checked those).
    pub(crate) fn check_relation(&self, relation: &Relation) -> Vec<(Field, Problem)> {
        let mut out = Vec::new();
        let id = relation.id.as_str();
        rules::unique("relation", id, self.edge_index(id).is_some(), &mut out);
        rules::relation_in(self, &RelationFacts::of(relation), &mut out);
        out
    }

    /// One more than the highest node number: the size of per-node arrays.
    pub(crate) fn node_bound(&self) -> usize {
        self.graph.node_bound()
    }

    /// One more than the highest relation number: the size of per-relation
    /// arrays.
    pub(crate) fn edge_bound(&self) -> usize {
        self.graph.edge_bound()
    }

    /// Every entity with its node number, in node order.
    pub(crate) fn numbered_entities(&self) -> impl Iterator<Item = (usize, &Entity)> + '_ {
        self.entity_slots.iter()
    }

    /// Every relation as (its number, its `from` node, its `to` node, the
    /// relation), in number order.
    pub(crate) fn numbered_relations(
        &self,
    ) -> impl DoubleEndedIterator<Item = (usize, usize, usize, &Relation)> + '_ {
        self.numbered_relations_in(0..self.edge_bound())
    }

    /// The relations numbered within `numbers`, as [`Self::numbered_relations`].
    pub(crate) fn numbered_relations_in(
        &self,
        numbers: std::ops::Range<usize>,
    ) -> impl DoubleEndedIterator<Item = (usize, usize, usize, &Relation)> + '_ {
        numbers.filter_map(|e| {
            let e = EdgeIndex::new(e);
            let (s, t) = self.graph.edge_endpoints(e)?;
            Some((
                e.index(),
                s.index(),
                t.index(),
                self.relation_slots.get(e.index())?,
            ))
        })
    }

    /// The node of an entity, for the crate's own algorithms. O(1) expected.
    pub(crate) fn node(&self, id: &str) -> Option<Node> {
        self.node_index(id).map(Node)
    }

    /// The entity at a node.
    pub(crate) fn entity_at(&self, node: Node) -> Option<&Entity> {
        self.entity_slots.get(node.0.index())
    }

    /// Whether the graph has a node: reads the node's links, which adding a
    /// relation at it reads and writes.
    pub(crate) fn has_node(&self, node: Node) -> bool {
        self.graph.contains_node(node.0)
    }

    /// Every node, in id order.
    pub(crate) fn nodes(&self) -> impl Iterator<Item = Node> + '_ {
        self.nodes_in_id_order().iter().map(|&n| Node(n))
    }
}

/// A handle on an entity's node, for the crate's algorithms; opaque outside
/// this module, so that petgraph indices do not spread.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct Node(NodeIndex);

impl Node {
    /// The node's number, below the graph's node bound.
    pub(crate) fn index(self) -> usize {
        self.0.index()
    }

    pub(crate) fn from_index(i: u32) -> Node {
        Node(NodeIndex::new(i as usize))
    }
}

/// A relation seen from one of its ends.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Incident<'g> {
    /// The entity at the other end.
    pub(crate) other: Node,
    /// The relation.
    pub(crate) relation: &'g Relation,
}

/// The problems of `renewal` renewing `target`, both known to exist.
/// The problems of the record with id `record`, as an error (each said to
/// be about its field), or nothing.
fn into_result(record: &str, problems: Vec<(Field, Problem)>) -> Result<(), Error> {
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::from_problems(
            problems
                .into_iter()
                .map(|(field, p)| p.about(Some(record), Some(field.name())))
                .collect(),
        ))
    }
}

impl PartialEq for HealthGraph {
    /// Two graphs are equal when they hold equal sources, entities and
    /// relations; petgraph's internal indices do not matter.
    fn eq(&self, other: &HealthGraph) -> bool {
        self.source_count() == other.source_count()
            && self.sources().eq(other.sources())
            && self.entity_count() == other.entity_count()
            && self.relation_count() == other.relation_count()
            && self.entities().eq(other.entities())
            && self.relations().eq(other.relations())
    }
}

impl Eq for HealthGraph {}

impl fmt::Debug for HealthGraph {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HealthGraph")
            .field("sources", &self.source_count())
            .field("entities", &self.entity_count())
            .field("relations", &self.relation_count())
            .finish()
    }
}

/// An iterator over a graph's items in id order: a cached list of their
/// keys, each looked up as it is reached. The id order lists exactly the
/// items of the graph, so the iterator knows its length; it runs both ways.
macro_rules! in_id_order {
    ($(#[$meta:meta])* $name:ident, $item:ty, $key:ty, $store:ty, |$at:ident, $k:ident| $get:expr) => {
        $(#[$meta])*
        #[derive(Clone)]
        pub struct $name<'a> {
            ids: std::slice::Iter<'a, $key>,
            store: &'a $store,
        }

        impl<'a> Iterator for $name<'a> {
            type Item = &'a $item;

            fn next(&mut self) -> Option<&'a $item> {
                let $at: &'a $store = self.store;
                self.ids.next().and_then(|$k| $get)
            }

            fn size_hint(&self) -> (usize, Option<usize>) {
                self.ids.size_hint()
            }
        }

        impl<'a> DoubleEndedIterator for $name<'a> {
            fn next_back(&mut self) -> Option<&'a $item> {
                let $at: &'a $store = self.store;
                self.ids.next_back().and_then(|$k| $get)
            }
        }

        impl ExactSizeIterator for $name<'_> {}

        impl std::iter::FusedIterator for $name<'_> {}

        impl fmt::Debug for $name<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_struct(stringify!($name)).finish_non_exhaustive()
            }
        }
    };
}

in_id_order!(
    /// The entities of a graph in id order; see [`HealthGraph::entities`].
    Entities, Entity, NodeIndex, slots::Slots<Entity>,
    |store, n| store.get(n.index())
);

in_id_order!(
    /// The relations of a graph in id order; see [`HealthGraph::relations`].
    Relations, Relation, EdgeIndex, slots::Slots<Relation>,
    |store, e| store.get(e.index())
);

in_id_order!(
    /// The sources of a graph in id order; see [`HealthGraph::sources`].
    Sources, Source, SourceId, HashMap<SourceId, Box<Source>, Hasher>,
    |store, id| store.get(id.as_str()).map(|s| &**s)
);

/// The relations of one entity in id order; see [`HealthGraph::relations_of`].
#[derive(Debug, Clone)]
pub struct RelationsOf<'a> {
    inner: std::vec::IntoIter<&'a Relation>,
}

impl<'a> Iterator for RelationsOf<'a> {
    type Item = &'a Relation;

    fn next(&mut self) -> Option<&'a Relation> {
        self.inner.next()
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.inner.size_hint()
    }
}

impl DoubleEndedIterator for RelationsOf<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        self.inner.next_back()
    }
}

impl ExactSizeIterator for RelationsOf<'_> {}

impl std::iter::FusedIterator for RelationsOf<'_> {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{EntityKind, Person, RelationKind, Status};

    fn source(id: &str) -> Source {
        Source::new(
            SourceId::new(id).unwrap(),
            "A report",
            "2025".parse().unwrap(),
            "en",
        )
        .unwrap()
    }

    fn entity(id: &str, kind: EntityKind) -> Entity {
        Entity::new(EntityId::new(id).unwrap(), kind, id.to_uppercase())
            .add_source(SourceId::new("s").unwrap())
    }

    fn relation(id: &str, kind: RelationKind, from: &str, to: &str) -> crate::RelationBuilder {
        Relation::builder(
            RelationId::new(id).unwrap(),
            kind,
            EntityId::new(from).unwrap(),
            EntityId::new(to).unwrap(),
        )
        .add_source(SourceId::new("s").unwrap())
    }

    /// Two hospitals and a city, and an MOU between the hospitals.
    fn small() -> HealthGraph {
        let mut g = HealthGraph::new();
        g.insert_source(source("s")).unwrap();
        g.insert_entity(entity("b-hospital", EntityKind::Hospital))
            .unwrap();
        g.insert_entity(entity("a-hospital", EntityKind::Hospital))
            .unwrap();
        g.insert_entity(entity("city", EntityKind::City)).unwrap();
        g.insert_relation(
            relation("mou", RelationKind::Mou, "a-hospital", "b-hospital")
                .status(Status::Signed)
                .build()
                .unwrap(),
        )
        .unwrap();
        g
    }

    /// The index finds each relation's first-published day by its sources'
    /// ids, whether an id is held inline, fills sixteen bytes, or is long
    /// enough to be shared.
    #[test]
    fn first_published_day_is_found_for_short_and_long_source_ids() {
        let mut g = small();
        let dated = |id: &str, date: &str| {
            Source::new(
                SourceId::new(id).unwrap(),
                "A report",
                date.parse().unwrap(),
                "en",
            )
            .unwrap()
        };
        let (sixteen, long) = ("sixteen-bytes-id", "a-source-id-longer-than-sixteen-bytes");
        assert_eq!(sixteen.len(), 16);
        g.insert_source(dated(sixteen, "2019-03-04")).unwrap();
        g.insert_source(dated(long, "2018-05-06")).unwrap();
        for (id, cited, first) in [
            ("r-long", vec![long, "s"], "2018-05-06"),
            ("r-sixteen", vec!["s", sixteen], "2019-03-04"),
            ("r-short", vec!["s"], "2025"),
        ] {
            let mut b = relation(id, RelationKind::Mou, "a-hospital", "city");
            for s in cited {
                b = b.add_source(SourceId::new(s).unwrap());
            }
            g.insert_relation(b.build().unwrap()).unwrap();
            let e = g.edge_of(id).unwrap() as usize;
            let day: crate::model::date::Date = first.parse().unwrap();
            assert_eq!(g.adjacency().hot[e].known, day.days(), "{id}");
        }
    }

    fn rules(err: Error) -> Vec<Rule> {
        err.problems().iter().map(Problem::rule).collect()
    }

    #[test]
    fn iteration_is_in_id_order_whatever_the_insertion_order() {
        let g = small();
        let ids: Vec<&str> = g.entities().map(|e| e.id().as_str()).collect();
        assert_eq!(ids, ["a-hospital", "b-hospital", "city"]);
    }

    #[test]
    fn inserting_checks_references_and_endpoint_kinds() {
        let mut g = small();
        let bad = relation("x", RelationKind::LocatedIn, "a-hospital", "nowhere")
            .build()
            .unwrap();
        assert_eq!(
            rules(g.insert_relation(bad).unwrap_err()),
            [Rule::UnknownEntity]
        );
        let bad = relation("x", RelationKind::LocatedIn, "a-hospital", "b-hospital")
            .build()
            .unwrap();
        assert_eq!(
            rules(g.insert_relation(bad).unwrap_err()),
            [Rule::EndpointKind]
        );
        let bad = relation("mou", RelationKind::Visit, "a-hospital", "b-hospital")
            .add_source(SourceId::new("missing").unwrap())
            .add_person(Person::new("X").with_organisation(EntityId::new("ghost").unwrap()))
            .build()
            .unwrap();
        assert_eq!(
            rules(g.insert_relation(bad).unwrap_err()),
            [Rule::DuplicateId, Rule::UnknownSource, Rule::UnknownEntity]
        );
        assert_eq!(g.relation_count(), 1, "nothing was inserted");
    }

    #[test]
    fn inserting_checks_renewals() {
        let mut g = small();
        g.insert_relation(
            relation("visit", RelationKind::Visit, "a-hospital", "b-hospital")
                .build()
                .unwrap(),
        )
        .unwrap();
        let renew = |target: &str| {
            relation("renewal", RelationKind::Renewal, "b-hospital", "a-hospital")
                .start("2025".parse().unwrap())
                .renews(RelationId::new(target).unwrap())
                .build()
                .unwrap()
        };
        assert_eq!(
            rules(g.insert_relation(renew("nothing")).unwrap_err()),
            [Rule::UnknownRelation]
        );
        assert_eq!(
            rules(g.insert_relation(renew("visit")).unwrap_err()),
            [Rule::RenewsNonAgreement]
        );
        // Direction does not matter: the renewal joins the same two parties.
        g.insert_relation(renew("mou")).unwrap();
        assert_eq!(g.relation("renewal").unwrap().renews().unwrap(), "mou");
    }

    /// The loader's one-lookup inserts accept exactly what the checks accept.
    #[test]
    fn keys_of_id_prefixes_sort_as_the_ids_do() {
        let ids = [
            "",
            "a",
            "a-1",
            "a-10",
            "a-2",
            "abcdefgh",
            "abcdefgh-1",
            "abcdefgh0",
            "abcdefg",
            "b",
            "r1",
            "r10",
            "r100",
            "r1000000",
            "r10000000",
            "r9999999",
            "z-z",
            "0",
            "9-a",
        ];
        let mut expected: Vec<&str> = ids.to_vec();
        expected.sort_unstable();
        let mut reversed = ids.to_vec();
        reversed.reverse();
        for items in [ids.to_vec(), reversed] {
            let order = in_id_order(items.iter().map(|&s| (s, s)), |s| s);
            assert_eq!(order, expected);
        }
    }

    #[test]
    fn inserting_refuses_what_breaks_a_rule() {
        let mut g = small();
        let mou_start = |b: crate::RelationBuilder| b.start("2020".parse().unwrap());
        let people = |org: &str| Person {
            name: "P".into(),
            role: None,
            organisation: Some(EntityId::new(org).unwrap()),
        };
        let relations = [
            relation("ok", RelationKind::Cooperation, "a-hospital", "city"),
            relation("mou", RelationKind::Cooperation, "a-hospital", "city"),
            relation("r1", RelationKind::Cooperation, "nobody", "city"),
            relation("r2", RelationKind::Cooperation, "a-hospital", "nobody"),
            relation("r3", RelationKind::PartOf, "city", "a-hospital"),
            relation("r4", RelationKind::Cooperation, "a-hospital", "city")
                .add_source(SourceId::new("unknown").unwrap()),
            relation("r5", RelationKind::Cooperation, "a-hospital", "city")
                .add_person(people("nobody")),
            relation("r6", RelationKind::Cooperation, "a-hospital", "city")
                .add_person(people("city")),
            mou_start(relation(
                "r7",
                RelationKind::Renewal,
                "b-hospital",
                "a-hospital",
            ))
            .renews(RelationId::new("mou").unwrap()),
            mou_start(relation("r8", RelationKind::Renewal, "city", "a-hospital"))
                .renews(RelationId::new("mou").unwrap()),
            mou_start(relation(
                "r9",
                RelationKind::Renewal,
                "b-hospital",
                "a-hospital",
            ))
            .renews(RelationId::new("nothing").unwrap()),
        ];
        let mut accepted = Vec::new();
        for builder in relations {
            let r = builder.build().unwrap();
            let id = r.id.clone();
            if g.insert_relation(r).is_ok() {
                accepted.push(id.to_string());
            }
        }
        assert_eq!(accepted, ["ok", "r6", "r7"]);
        let entities = [
            entity("new", EntityKind::City),
            entity("city", EntityKind::City),
            Entity::new(EntityId::new("nameless").unwrap(), EntityKind::City, " ")
                .add_source(SourceId::new("s").unwrap()),
            Entity::new(EntityId::new("unsourced").unwrap(), EntityKind::City, "U"),
            entity("badsource", EntityKind::City).add_source(SourceId::new("unknown").unwrap()),
        ];
        let accepted: Vec<String> = entities
            .into_iter()
            .filter_map(|e| {
                let id = e.id.to_string();
                g.insert_entity(e).is_ok().then_some(id)
            })
            .collect();
        assert_eq!(accepted, ["new"]);
        assert!(g.insert_source(source("s")).is_err());
        assert!(g.insert_source(source("t")).is_ok());
        assert!(g.source("t").is_some());
    }

    #[test]
    fn a_renewed_relation_cannot_be_removed_before_its_renewal() {
        let mut g = small();
        let renewal = relation("renewal", RelationKind::Renewal, "a-hospital", "b-hospital")
            .renews(RelationId::new("mou").unwrap())
            .build()
            .unwrap();
        g.insert_relation(renewal).unwrap();
        assert_eq!(
            rules(g.remove_relation("mou").unwrap_err()),
            [Rule::StillReferenced]
        );
        assert_eq!(g.remove_relation("renewal").unwrap().id(), "renewal");
        assert_eq!(g.remove_relation("mou").unwrap().id(), "mou");
        assert_eq!(
            rules(g.remove_relation("mou").unwrap_err()),
            [Rule::UnknownRelation]
        );
        assert_eq!(g.relation_count(), 0);
    }

    #[test]
    fn removing_an_entity_removes_its_relations_and_unlinks_its_people() {
        let mut g = small();
        g.insert_entity(entity("c-hospital", EntityKind::Hospital))
            .unwrap();
        let visit = relation("visit", RelationKind::Visit, "c-hospital", "b-hospital")
            .add_person(Person::new("Dr A").with_organisation(EntityId::new("a-hospital").unwrap()))
            .build()
            .unwrap();
        g.insert_relation(visit).unwrap();
        g.insert_relation(
            relation("in", RelationKind::LocatedIn, "a-hospital", "city")
                .build()
                .unwrap(),
        )
        .unwrap();
        let (removed, relations) = g.remove_entity("a-hospital").unwrap();
        assert_eq!(removed.id(), "a-hospital");
        let ids: Vec<&str> = relations.iter().map(|r| r.id().as_str()).collect();
        assert_eq!(ids, ["in", "mou"]);
        assert!(g.relation("mou").is_none() && g.relation("in").is_none());
        assert_eq!(g.relations_of("city").count(), 0);
        let person = &g.relation("visit").unwrap().people()[0];
        assert_eq!((person.name(), person.organisation()), ("Dr A", None));
        assert_eq!(
            rules(g.remove_entity("a-hospital").unwrap_err()),
            [Rule::UnknownEntity]
        );
        // The freed id can be used again.
        g.insert_entity(entity("a-hospital", EntityKind::Hospital))
            .unwrap();
        assert_eq!(g.relations_of("a-hospital").count(), 0);
    }

    #[test]
    fn iteration_after_a_removal_forgets_the_removed() {
        // Regression (found by the property tests): the cached id order must
        // be dropped when a relation is removed, or iteration still sees it.
        let mut g = small();
        g.insert_relation(
            relation("visit", RelationKind::Visit, "a-hospital", "b-hospital")
                .build()
                .unwrap(),
        )
        .unwrap();
        assert_eq!(g.relations().count(), 2);
        g.remove_relation("mou").unwrap();
        let ids: Vec<&str> = g.relations().map(|r| r.id().as_str()).collect();
        assert_eq!(ids, ["visit"]);
        assert_eq!(g.entities().count(), 3);
        g.remove_entity("city").unwrap();
        assert_eq!(g.entities().count(), 2);
    }

    #[test]
    fn equality_ignores_petgraph_indices() {
        let mut a = small();
        let mut b = small();
        // Same content reached through different insertions and removals.
        a.insert_entity(entity("tmp", EntityKind::Agency)).unwrap();
        a.remove_entity("tmp").unwrap();
        b.remove_entity("city").unwrap();
        b.insert_entity(entity("city", EntityKind::City)).unwrap();
        assert_eq!(a, b);
        b.remove_relation("mou").unwrap();
        assert_ne!(a, b);
    }

    #[test]
    fn entities_need_a_name_and_a_known_source() {
        let mut g = small();
        let nameless = Entity::new(EntityId::new("x").unwrap(), EntityKind::Ngo, " ");
        assert_eq!(
            rules(g.insert_entity(nameless).unwrap_err()),
            [Rule::EmptyField, Rule::MissingSource]
        );
        let unsourced = entity("x", EntityKind::Ngo).add_source(SourceId::new("nope").unwrap());
        assert_eq!(
            rules(g.insert_entity(unsourced).unwrap_err()),
            [Rule::UnknownSource]
        );
    }
}
