//! Editing a graph in place: replacing an entity or a relation under the
//! same rules as inserting one, removing a source no fact cites, and a batch
//! of edits applied whole or not at all.
//!
//! Every edit costs in proportion to what it touches (the entity's or the
//! relation's own relations), not to the graph: caches are only dropped,
//! and rebuilt on the next query, so several edits in a row rebuild nothing.

use petgraph::Direction;
use petgraph::stable_graph::{EdgeIndex, NodeIndex};
use petgraph::visit::EdgeRef;

use super::HealthGraph;
use crate::error::{Error, Problem, Rule};
use crate::model::entity::Entity;
use crate::model::id::RelationId;
use crate::model::relation::{Link, Relation};
use crate::model::source::Source;
use crate::rules::{self, Field, RelationFacts};

/// An error of one rule about record `id`.
fn refuse(rule: Rule, id: &str, field: Field, message: String) -> Error {
    Error::from_problems(vec![
        Problem::new(rule, message).about(Some(id), Some(field.name())),
    ])
}

fn no_relation(id: &str) -> Error {
    Error::new(
        Rule::UnknownRelation,
        format!("there is no relation `{}`", crate::model::id::shorten(id)),
    )
}

fn no_entity(id: &str) -> Error {
    Error::new(
        Rule::UnknownEntity,
        format!("there is no entity `{}`", crate::model::id::shorten(id)),
    )
}

/// What undoes one edit of a batch.
enum Undo {
    Source(String),
    Entity(String),
    Relation(String),
    ReplacedEntity(Entity),
    ReplacedRelation(Relation),
    RemovedSource(Source),
    RemovedRelation(Relation),
    RemovedEntity(Entity, Vec<Relation>, Vec<Unlinked>),
}

/// A person of another relation who was unlinked from a removed entity.
pub(crate) struct Unlinked {
    relation: EdgeIndex,
    person: usize,
    organisation: crate::model::id::EntityId,
}

impl HealthGraph {
    /// The relations that continue relation `id` (renew, amend or
    /// supersede it), with the link. Only agreements are continued, so for
    /// any other relation this is empty at once; for an agreement it reads
    /// the query index (built again first if the graph changed, O(n + m)).
    fn linked_to(&self, id: &str) -> Vec<(Link, &Relation)> {
        if !self.relation(id).is_some_and(|r| r.kind.is_agreement()) {
            return Vec::new();
        }
        self.continued_by(id)
    }

    /// Removes a relation and returns it. O(d) for a `from` entity with d
    /// relations.
    ///
    /// # Errors
    ///
    /// [`Rule::UnknownRelation`] if there is no such relation;
    /// [`Rule::StillReferenced`] if an agreement renews, amends or
    /// supersedes it (remove that one first).
    pub fn remove_relation(&mut self, id: &str) -> Result<Relation, Error> {
        let Some(edge) = self.edge_index(id) else {
            return Err(no_relation(id));
        };
        if let Some((link, next)) = self.linked_to(id).first() {
            return Err(refuse(
                Rule::StillReferenced,
                id,
                Field::Id,
                format!("relation `{id}` cannot be removed: `{}` {link} it", next.id),
            ));
        }
        self.changed();
        self.take_relation(edge).ok_or_else(|| no_relation(id))
    }

    /// Replaces the entity with the same id, under the rules of
    /// [`HealthGraph::insert_entity`], and keeping every relation of the
    /// entity valid (its kind must still be one the endpoint table allows
    /// for each). Returns the entity it replaced. O(d) for d relations.
    ///
    /// # Errors
    ///
    /// [`Rule::UnknownEntity`] if there is no entity with that id; the
    /// problems of the new entity ([`Rule::EmptyField`], sources); and
    /// [`Rule::EndpointKind`] for each relation its new kind would break.
    ///
    /// # Example
    ///
    /// ```
    /// use healthgraph::{EntityKind, HealthGraph, Rule};
    ///
    /// let mut graph = HealthGraph::load("data/hanoi.ron")?;
    /// let renamed = graph.entity("boston").expect("in the data").clone().with_name_en("Boston, MA");
    /// let old = graph.replace_entity(renamed)?;
    /// assert_eq!(old.name_en(), Some("Boston"));
    /// assert_eq!(graph.entity("boston").and_then(|e| e.name_en()), Some("Boston, MA"));
    ///
    /// // Harvard University is located in Boston: a city cannot become a hospital.
    /// let wrong = healthgraph::Entity::new("boston".parse()?, EntityKind::Hospital, "Boston")
    ///     .add_source("a0".parse()?);
    /// assert!(graph.replace_entity(wrong).unwrap_err().has(Rule::EndpointKind));
    /// # Ok::<(), healthgraph::Error>(())
    /// ```
    pub fn replace_entity(&mut self, entity: Entity) -> Result<Entity, Error> {
        let id = entity.id.clone();
        let Some(node) = self.node_index(id.as_str()) else {
            return Err(no_entity(id.as_str()));
        };
        let mut problems: Vec<(Field, Problem)> = self
            .check_entity(&entity)
            .into_iter()
            .filter(|(_, p)| p.rule() != Rule::DuplicateId)
            .collect();
        for e in self
            .graph
            .edges_directed(node, Direction::Outgoing)
            .chain(self.graph.edges_directed(node, Direction::Incoming))
        {
            let Some(r) = self.relation_slots.get(e.id().index()) else {
                continue;
            };
            let kind_of = |n: NodeIndex| {
                if n == node {
                    Some(entity.kind)
                } else {
                    self.entity_slots.get(n.index()).map(|x| x.kind)
                }
            };
            if let (Some(from), Some(to)) = (kind_of(e.source()), kind_of(e.target())) {
                let mut found = Vec::new();
                rules::endpoint_kinds(
                    r.id.as_str(),
                    r.kind,
                    (&r.from, from),
                    (&r.to, to),
                    &mut found,
                );
                problems.extend(found);
            }
        }
        if !problems.is_empty() {
            return Err(Error::from_problems(
                problems
                    .into_iter()
                    .map(|(f, p)| p.about(Some(id.as_str()), Some(f.name())))
                    .collect(),
            ));
        }
        Ok(self.swap_entity(node, entity))
    }

    /// Puts `entity` at `node`, sharing the graph's source ids; the old one back.
    fn swap_entity(&mut self, node: NodeIndex, mut entity: Entity) -> Entity {
        for s in entity.sources.iter_mut() {
            super::share(&self.sources, s);
        }
        if let Some(slot) = self.entity_slots.get_mut(node.index()) {
            // Keep the graph's own copy of the id (relations share it).
            entity.id = slot.id.clone();
            std::mem::swap(slot, &mut entity);
        }
        self.changed();
        entity
    }

    /// Replaces the relation with the same id, under the rules of
    /// [`HealthGraph::insert_relation`], and keeping valid every renewal
    /// that renews it; its ends may change. Returns the relation it
    /// replaced. O(d) for ends with d relations (plus the length of its
    /// renewal chain).
    ///
    /// # Errors
    ///
    /// [`Rule::UnknownRelation`] if there is no relation with that id; the
    /// problems the new relation would have if inserted; the problems of
    /// each renewal of it against the new version ([`Rule::RenewsOtherParties`],
    /// [`Rule::RenewsLater`], [`Rule::RenewsNonAgreement`]); and
    /// [`Rule::RenewalCycle`] if it would renew, through a chain, itself.
    ///
    /// # Example
    ///
    /// ```
    /// use healthgraph::{HealthGraph, Relation, Rule};
    ///
    /// let mut graph = HealthGraph::load("data/hanoi.ron")?;
    /// let id = "renewal-karolinska-institute-hanoi-obgyn-hospital-2025";
    /// let old = graph.relation(id).expect("R16").clone();
    /// // A renewal whose term becomes 2025-2031.
    /// let longer = Relation::builder(old.id().clone(), old.kind(), old.from().clone(), old.to().clone())
    ///     .status(old.status()).basis(old.basis())
    ///     .start("2025".parse()?).end("2031".parse()?)
    ///     .renews(old.renews().expect("a renewal").clone())
    ///     .add_source("a1")
    ///     .build()?;
    /// graph.replace_relation(longer)?;
    /// assert_eq!(graph.relation(id).map(|r| r.period().to_string()).as_deref(), Some("2025..2031"));
    ///
    /// // The MOU it renews cannot start after its renewal.
    /// let mou = graph.relation("mou-karolinska-institute-hanoi-obgyn-hospital").expect("R15").clone();
    /// let late = Relation::builder(mou.id().clone(), mou.kind(), mou.from().clone(), mou.to().clone())
    ///     .status(mou.status()).start("2027".parse()?).add_source("a1")
    ///     .build()?;
    /// assert!(graph.replace_relation(late).unwrap_err().has(Rule::RenewsLater));
    /// # Ok::<(), healthgraph::Error>(())
    /// ```
    pub fn replace_relation(&mut self, relation: Relation) -> Result<Relation, Error> {
        let id = relation.id.clone();
        if self.edge_index(id.as_str()).is_none() {
            return Err(no_relation(id.as_str()));
        }
        let mut problems = Vec::new();
        rules::relation_in(self, &RelationFacts::of(&relation), &mut problems);
        // Everything that continues it must still do so validly.
        for (link, next) in self.linked_to(id.as_str()) {
            let mut found = Vec::new();
            let facts = RelationFacts::of(next);
            match link {
                Link::Renews => rules::renews(&facts, &relation, &mut found),
                Link::Amends => rules::continues(&facts, Field::Amends, &relation, &mut found),
                _ => rules::continues(&facts, Field::Supersedes, &relation, &mut found),
            }
            problems.extend(found.into_iter().map(|(f, p)| {
                let message = format!("{} (after replacing `{id}`)", p.message());
                (f, p.reworded(message))
            }));
        }
        // Continuing, through a chain of links, itself.
        for (link, target) in relation.links() {
            let mut stack = vec![target.clone()];
            let mut seen: std::collections::HashSet<RelationId> = std::collections::HashSet::new();
            while let Some(at) = stack.pop() {
                if at == id {
                    let (rule, field) = match link {
                        Link::Renews => (Rule::RenewalCycle, Field::Renews),
                        Link::Amends => (Rule::LinkCycle, Field::Amends),
                        _ => (Rule::LinkCycle, Field::Supersedes),
                    };
                    problems.push((
                        field,
                        Problem::new(
                            rule,
                            format!("relation `{id}` would continue itself through `{target}`"),
                        ),
                    ));
                    break;
                }
                if !seen.insert(at.clone()) {
                    continue;
                }
                if let Some(r) = self.relation(at.as_str()) {
                    stack.extend(r.links().map(|(_, t)| t.clone()));
                }
            }
        }
        if !problems.is_empty() {
            return Err(Error::from_problems(
                problems
                    .into_iter()
                    .map(|(f, p)| p.about(Some(id.as_str()), Some(f.name())))
                    .collect(),
            ));
        }
        self.swap_relation(relation)
            .ok_or_else(|| no_relation(id.as_str()))
    }

    /// Puts `relation` in place of the one with its id (moving the edge if
    /// its ends change); the old one back, if there was one. The caller has
    /// checked it.
    fn swap_relation(&mut self, relation: Relation) -> Option<Relation> {
        let id = relation.id.clone();
        let edge = self.edge_index(id.as_str())?;
        let same_ends = self
            .relation_slots
            .get(edge.index())
            .is_some_and(|old| old.from == relation.from && old.to == relation.to);
        if same_ends {
            let mut relation = relation;
            let slot = self.relation_slots.get_mut(edge.index())?;
            relation.id = slot.id.clone();
            std::mem::swap(slot, &mut relation);
            self.changed();
            return Some(relation);
        }
        let old = self.take_relation(edge);
        self.changed();
        // Checked by the caller: both ends exist.
        let _ = self.insert_checked_relation(relation);
        old
    }

    /// Removes a source that no entity or relation cites, and returns it.
    /// O(n + m): every citation is looked at.
    ///
    /// # Errors
    ///
    /// [`Rule::UnknownSource`] if there is no such source;
    /// [`Rule::StillReferenced`] if a fact cites it (the first few named).
    ///
    /// # Example
    ///
    /// ```
    /// use healthgraph::{HealthGraph, Rule, Source};
    ///
    /// let mut graph = HealthGraph::load("data/hanoi.ron")?;
    /// assert!(graph.remove_source("a1").unwrap_err().has(Rule::StillReferenced));
    /// graph.insert_source(Source::new("spare".parse()?, "Unused", "2025".parse()?, "en")?)?;
    /// assert_eq!(graph.remove_source("spare")?.title(), "Unused");
    /// # Ok::<(), healthgraph::Error>(())
    /// ```
    pub fn remove_source(&mut self, id: &str) -> Result<Source, Error> {
        if !self.sources.contains_key(id) {
            return Err(Error::new(
                Rule::UnknownSource,
                format!("there is no source `{}`", crate::model::id::shorten(id)),
            ));
        }
        let citing: Vec<&str> = self
            .entity_slots
            .iter()
            .map(|(_, e)| e)
            .filter(|e| e.sources.iter().any(|s| s == id))
            .map(|e| e.id.as_str())
            .chain(
                self.relation_slots
                    .iter()
                    .map(|(_, r)| r)
                    .filter(|r| r.sources.iter().any(|s| s == id))
                    .map(|r| r.id.as_str()),
            )
            .take(4)
            .collect();
        if !citing.is_empty() {
            let named: Vec<String> = citing.iter().take(3).map(|c| format!("`{c}`")).collect();
            let more = if citing.len() > 3 { " and more" } else { "" };
            return Err(refuse(
                Rule::StillReferenced,
                id,
                Field::Id,
                format!(
                    "source `{id}` cannot be removed: {} cite{} it{more}",
                    named.join(", "),
                    if citing.len() == 1 { "s" } else { "" }
                ),
            ));
        }
        self.changed();
        self.sources
            .remove(id)
            .map(|s| *s)
            .ok_or_else(|| Error::new(Rule::UnknownSource, format!("there is no source `{id}`")))
    }

    /// Applies a batch of edits whole or not at all: `edits` makes them on
    /// an [`Edits`]; if it returns an error, every edit it made is undone
    /// (in reverse order) and the graph is as it was.
    ///
    /// # Errors
    ///
    /// The first error of the batch, as `edits` returns it.
    ///
    /// # Example
    ///
    /// ```
    /// use healthgraph::{Entity, EntityKind, HealthGraph};
    ///
    /// let mut graph = HealthGraph::load("data/hanoi.ron")?;
    /// let before = graph.clone();
    /// let result = graph.edit(|edits| {
    ///     edits.remove_relation("visit-ap-hp-hanoi-doh-2025")?;
    ///     edits.insert_entity(Entity::new("lyon".parse()?, EntityKind::City, "Lyon").add_source("a1-n2".parse()?))?;
    ///     edits.remove_entity("no-such-entity")?; // fails: the whole batch is undone
    ///     Ok(())
    /// });
    /// assert!(result.is_err());
    /// assert_eq!(graph, before);
    /// # Ok::<(), healthgraph::Error>(())
    /// ```
    pub fn edit<F>(&mut self, edits: F) -> Result<(), Error>
    where
        F: FnOnce(&mut Edits<'_>) -> Result<(), Error>,
    {
        let mut batch = Edits {
            graph: self,
            undo: Vec::new(),
        };
        match edits(&mut batch) {
            Ok(()) => Ok(()),
            Err(e) => {
                let Edits { graph, undo } = batch;
                for step in undo.into_iter().rev() {
                    graph.undo(step);
                }
                Err(e)
            }
        }
    }

    /// Undoes one edit; the state it restores was valid, so nothing is checked.
    fn undo(&mut self, step: Undo) {
        match step {
            Undo::Source(id) => {
                self.sources.remove(id.as_str());
            }
            Undo::Entity(id) => {
                if let Some(node) = self.node_index(id.as_str()) {
                    self.take_entity(node);
                }
            }
            Undo::Relation(id) => {
                if let Some(edge) = self.edge_index(id.as_str()) {
                    self.take_relation(edge);
                }
            }
            Undo::ReplacedEntity(old) => {
                if let Some(node) = self.node_index(old.id.as_str()) {
                    self.swap_entity(node, old);
                }
            }
            Undo::ReplacedRelation(old) => {
                self.swap_relation(old);
            }
            Undo::RemovedSource(source) => {
                self.sources.insert(source.id.clone(), Box::new(source));
            }
            Undo::RemovedRelation(relation) => {
                let _ = self.insert_checked_relation(relation);
            }
            Undo::RemovedEntity(entity, relations, unlinked) => {
                self.insert_checked_entity(entity);
                for r in relations {
                    let _ = self.insert_checked_relation(r);
                }
                for u in unlinked {
                    let person = self
                        .relation_slots
                        .get_mut(u.relation.index())
                        .and_then(|r| r.details.as_mut())
                        .and_then(|d| d.people.get_mut(u.person));
                    if let Some(person) = person {
                        person.organisation = Some(u.organisation);
                    }
                }
            }
        }
        self.changed();
    }
}

/// A batch of edits on a graph; see [`HealthGraph::edit`]. Each method is
/// the graph's own, recorded so that the batch can be undone.
pub struct Edits<'g> {
    graph: &'g mut HealthGraph,
    undo: Vec<Undo>,
}

impl std::fmt::Debug for Edits<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Edits")
            .field("edits", &self.undo.len())
            .finish_non_exhaustive()
    }
}

impl Edits<'_> {
    /// The graph as the batch has left it so far.
    pub fn graph(&self) -> &HealthGraph {
        self.graph
    }

    /// [`HealthGraph::insert_source`], in the batch.
    ///
    /// # Errors
    ///
    /// As [`HealthGraph::insert_source`].
    pub fn insert_source(&mut self, source: Source) -> Result<(), Error> {
        let id = source.id.to_string();
        self.graph.insert_source(source)?;
        self.undo.push(Undo::Source(id));
        Ok(())
    }

    /// [`HealthGraph::insert_entity`], in the batch.
    ///
    /// # Errors
    ///
    /// As [`HealthGraph::insert_entity`].
    pub fn insert_entity(&mut self, entity: Entity) -> Result<(), Error> {
        let id = entity.id.to_string();
        self.graph.insert_entity(entity)?;
        self.undo.push(Undo::Entity(id));
        Ok(())
    }

    /// [`HealthGraph::insert_relation`], in the batch.
    ///
    /// # Errors
    ///
    /// As [`HealthGraph::insert_relation`].
    pub fn insert_relation(&mut self, relation: Relation) -> Result<(), Error> {
        let id = relation.id.to_string();
        self.graph.insert_relation(relation)?;
        self.undo.push(Undo::Relation(id));
        Ok(())
    }

    /// [`HealthGraph::replace_entity`], in the batch.
    ///
    /// # Errors
    ///
    /// As [`HealthGraph::replace_entity`].
    pub fn replace_entity(&mut self, entity: Entity) -> Result<(), Error> {
        let old = self.graph.replace_entity(entity)?;
        self.undo.push(Undo::ReplacedEntity(old));
        Ok(())
    }

    /// [`HealthGraph::replace_relation`], in the batch.
    ///
    /// # Errors
    ///
    /// As [`HealthGraph::replace_relation`].
    pub fn replace_relation(&mut self, relation: Relation) -> Result<(), Error> {
        let old = self.graph.replace_relation(relation)?;
        self.undo.push(Undo::ReplacedRelation(old));
        Ok(())
    }

    /// [`HealthGraph::remove_source`], in the batch.
    ///
    /// # Errors
    ///
    /// As [`HealthGraph::remove_source`].
    pub fn remove_source(&mut self, id: &str) -> Result<(), Error> {
        let old = self.graph.remove_source(id)?;
        self.undo.push(Undo::RemovedSource(old));
        Ok(())
    }

    /// [`HealthGraph::remove_relation`], in the batch.
    ///
    /// # Errors
    ///
    /// As [`HealthGraph::remove_relation`].
    pub fn remove_relation(&mut self, id: &str) -> Result<(), Error> {
        let old = self.graph.remove_relation(id)?;
        self.undo.push(Undo::RemovedRelation(old));
        Ok(())
    }

    /// [`HealthGraph::remove_entity`], in the batch.
    ///
    /// # Errors
    ///
    /// As [`HealthGraph::remove_entity`].
    pub fn remove_entity(&mut self, id: &str) -> Result<(), Error> {
        let (entity, relations, unlinked) = self.graph.remove_entity_recorded(id)?;
        self.undo
            .push(Undo::RemovedEntity(entity, relations, unlinked));
        Ok(())
    }
}

impl Unlinked {
    pub(crate) fn new(
        relation: EdgeIndex,
        person: usize,
        organisation: crate::model::id::EntityId,
    ) -> Unlinked {
        Unlinked {
            relation,
            person,
            organisation,
        }
    }
}
