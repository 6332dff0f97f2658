//! Loading: records into a graph, every problem in one pass.
//!
//! Each record is read into a draft (`convert.rs`), checked against the
//! rules (`rules.rs`) and inserted at once when it breaks none. A record that
//! refers to something not yet defined waits for that one id; when the id is
//! defined (or turns out broken) the record is checked again. So a chain
//! written newest-first costs one check per link, not one per link per pass:
//! loading is linear in the input whatever its order.
//!
//! Problems that only follow from others are not reported: a reference to a
//! record that is itself broken, or to one left waiting in a renewal cycle.

use std::collections::HashMap;

use super::convert::{self, EntityDraft, RelationDraft, Report};
use super::locate::Origin;
use super::records::{At, EntityRecord, Misread, RelationRecord, SourceRecord, Text};
use crate::error::{Error, Problem, Rule};
use crate::graph::HealthGraph;
use crate::rules::{self, Field};

/// The three id spaces of a data set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Space {
    Source,
    Entity,
    Relation,
}

impl Space {
    /// The space's slot in per-space arrays.
    fn slot(self) -> usize {
        self as usize
    }

    fn name(self) -> &'static str {
        match self {
            Space::Source => "source",
            Space::Entity => "entity",
            Space::Relation => "relation",
        }
    }
}

/// What became of an id that is not (yet) in the graph.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Its record waits for something it refers to.
    Waiting,
    /// Its record has a problem and will not be inserted.
    Broken,
}

/// A record on its way into the graph, kept while what it refers to is not
/// defined yet.
struct Parked<'t> {
    file: usize,
    /// Its id was defined before: it is checked, but changes nothing.
    duplicate: bool,
    record: Record<'t>,
}

// The records come boxed from the parser, and their drafts (a few hundred
// bytes each) boxed from where they are prepared: a record moves as two
// pointers on its way to its check, its parking place and its insertion.
enum Record<'t> {
    Entity(Box<EntityRecord<'t>>, Box<EntityDraft>),
    Relation(Box<RelationRecord<'t>>, Box<RelationDraft>),
}

/// A record the loader is done with, handed back so that its memory can be
/// freed on the thread that allocated it (freeing on another thread makes
/// the allocator's arenas contend). Its records are held only to be dropped.
#[allow(dead_code, clippy::large_enum_variant)]
pub(crate) enum Spent<'t> {
    Source(SourceRecord<'t>),
    Entity(Box<EntityRecord<'t>>, Box<EntityDraft>),
    Relation(Box<RelationRecord<'t>>, Box<RelationDraft>),
}

/// A record whose id was already defined: reported once every file is read,
/// with where the first definition is.
struct Duplicate {
    problem: usize,
    space: Space,
    id: String,
}

/// Builds a graph from records as a reader hands them over.
pub(crate) struct Loader<'o, 't> {
    origins: &'o [Origin<'t>],
    graph: HealthGraph,
    problems: Vec<(usize, Problem)>,
    /// By space: ids not in the graph whose records wait or are broken
    /// (records that go straight in are never listed).
    states: [HashMap<String, State>; 3],
    parked: Vec<Option<Parked<'t>>>,
    /// By space: the parked records that wait for each id.
    waiting: [HashMap<String, Vec<usize>>; 3],
    duplicates: Vec<Duplicate>,
    /// Some input could not be read to its end: what it defined after that
    /// point is unknown, so references to undefined ids are not reported.
    incomplete: bool,
    /// How many times a record was checked against the graph (for tests
    /// that loading is linear).
    checks: usize,
}

/// Reports conversion problems of one record into the loader's list.
struct Sink<'l, 'o, 't> {
    origins: &'o [Origin<'t>],
    problems: &'l mut Vec<(usize, Problem)>,
    file: usize,
}

impl<'t> Sink<'_, '_, 't> {
    /// Reports the problems a record with id `id` has alone, each at its
    /// field; whether it has none.
    fn alone(
        &mut self,
        id: Option<&Text<'t>>,
        found: Vec<(Field, Problem)>,
        at: impl Fn(Field) -> At<'t>,
    ) -> bool {
        let clean = found.is_empty();
        for (field, p) in found {
            let p = p.about(id.map(Text::as_str), Some(field.name()));
            self.problem(p, at(field));
        }
        clean
    }
}

impl<'t> Report<'t> for Sink<'_, '_, 't> {
    fn problem(&mut self, problem: Problem, at: At<'t>) {
        // A table's cell belongs to its own table (a person's row to the
        // people table, say), whichever table's record it was read into.
        let file = match at {
            At::Cell { table, .. } => usize::from(table),
            _ => self.file,
        };
        let location = self.origins.get(file).and_then(|o| o.locate(at));
        // A table's column is a number: the message names its header too.
        let problem = match at {
            At::Cell { header, .. } if !header.is_empty() => {
                let message = format!("{} (column `{header}`)", problem.message());
                problem.reworded(message)
            }
            _ => problem,
        };
        self.problems.push((file, problem.at(location)));
    }
}

/// Whether a rule is about a reference that another record may satisfy, and
/// in which id space.
fn reference(rule: Rule) -> Option<Space> {
    match rule {
        Rule::UnknownEntity => Some(Space::Entity),
        Rule::UnknownSource => Some(Space::Source),
        Rule::UnknownRelation => Some(Space::Relation),
        _ => None,
    }
}

/// The id a reference problem is about.
fn referenced(draft: &RelationDraft, field: Field) -> Option<&str> {
    match field {
        Field::From => draft.from.as_ref().map(|e| e.as_str()),
        Field::To => draft.to.as_ref().map(|e| e.as_str()),
        Field::Renews => draft.renews.as_ref_set(),
        Field::Amends => draft.amends.as_ref_set(),
        Field::Supersedes => draft.supersedes.as_ref_set(),
        Field::Source(i) => draft.sources.get(i)?.as_ref().map(|s| s.as_str()),
        Field::Person(i) => draft
            .people
            .get(i)?
            .organisation
            .as_ref()
            .map(|o| o.as_str()),
        Field::ClaimSource(c, i) => draft
            .claims
            .get(c)?
            .sources
            .get(i)?
            .as_ref()
            .map(|s| s.as_str()),
        _ => None,
    }
}

/// Where a rule's problem about `field` is in an entity record.
fn entity_at<'t>(rec: &EntityRecord<'t>, field: Field) -> At<'t> {
    let text = match field {
        Field::Id => rec.id.as_ref(),
        Field::Kind => rec.kind.as_ref(),
        Field::Name => rec.name.as_ref(),
        Field::Source(i) => rec.sources.get(i),
        _ => None,
    };
    text.map_or(rec.at, |t| t.at.or(rec.at))
}

/// Where a rule's problem about `field` is in a relation record.
fn relation_at<'t>(rec: &RelationRecord<'t>, field: Field) -> At<'t> {
    let text = match field {
        Field::Id => rec.id.as_ref(),
        Field::Kind => rec.kind.as_ref(),
        Field::Name => None,
        Field::From => rec.from.as_ref(),
        Field::To => rec.to.as_ref(),
        Field::Start => rec.start.as_ref().or(rec.end.as_ref()),
        Field::Renews => rec.renews.as_ref(),
        Field::Amends => rec.amends.as_ref(),
        Field::Supersedes => rec.supersedes.as_ref(),
        Field::Source(i) => rec.sources.get(i),
        Field::ClaimSource(c, i) => rec.claims.get(c).and_then(|x| x.sources.get(i)),
        Field::Claim(c) => {
            return rec.claims.get(c).map_or(rec.at, |x| x.at).or(rec.at);
        }
        Field::Person(i) => {
            return rec
                .people
                .get(i)
                .map_or(rec.at, |p| {
                    p.organisation
                        .as_ref()
                        .or(p.name.as_ref())
                        .map_or(p.at, |t| t.at.or(p.at))
                })
                .or(rec.at);
        }
    };
    text.map_or(rec.at, |t| t.at.or(rec.at))
}

/// An entity or relation record read and checked alone: its draft and the
/// problems found so far. Preparing needs no graph, so the reading thread
/// does it while the loading one checks the records before against the
/// graph.
pub(crate) struct Prepared<'t> {
    file: usize,
    record: Record<'t>,
    problems: Vec<(usize, Problem)>,
}

impl<'t> Prepared<'t> {
    /// Reads entity record `rec` of input `file` into a draft and checks
    /// the rules it keeps alone.
    pub(crate) fn entity(
        origins: &[Origin<'t>],
        file: usize,
        rec: Box<EntityRecord<'t>>,
        mut into: Box<EntityDraft>,
    ) -> Prepared<'t> {
        Prepared::with(origins, file, |sink| {
            *into = convert::entity(&rec, sink);
            let mut found = Vec::new();
            rules::entity_alone(&into.facts(convert::id_text(rec.id.as_ref())), &mut found);
            into.clean &= sink.alone(rec.id.as_ref(), found, |field| entity_at(&rec, field));
            Record::Entity(rec, into)
        })
    }

    /// Reads relation record `rec` of input `file` into a draft and checks
    /// the rules it keeps alone.
    pub(crate) fn relation(
        origins: &[Origin<'t>],
        file: usize,
        rec: Box<RelationRecord<'t>>,
        mut into: Box<RelationDraft>,
    ) -> Prepared<'t> {
        Prepared::with(origins, file, |sink| {
            *into = convert::relation(&rec, sink);
            let mut found = Vec::new();
            rules::relation_alone(&into.facts(convert::id_text(rec.id.as_ref())), &mut found);
            into.clean &= sink.alone(rec.id.as_ref(), found, |field| relation_at(&rec, field));
            Record::Relation(rec, into)
        })
    }

    /// The record `make` gives, with the problems it reported to its sink.
    fn with(
        origins: &[Origin<'t>],
        file: usize,
        make: impl FnOnce(&mut Sink<'_, '_, 't>) -> Record<'t>,
    ) -> Prepared<'t> {
        let mut problems = Vec::new();
        let record = make(&mut Sink {
            origins,
            problems: &mut problems,
            file,
        });
        Prepared {
            file,
            record,
            problems,
        }
    }
}

impl<'o, 't> Loader<'o, 't> {
    pub(crate) fn new(origins: &'o [Origin<'t>]) -> Self {
        Loader {
            origins,
            graph: HealthGraph::new(),
            problems: Vec::new(),
            states: Default::default(),
            parked: Vec::new(),
            waiting: Default::default(),
            duplicates: Vec::new(),
            incomplete: false,
            checks: 0,
        }
    }

    fn sink(&mut self, file: usize) -> Sink<'_, 'o, 't> {
        Sink {
            origins: self.origins,
            problems: &mut self.problems,
            file,
        }
    }

    fn report(&mut self, file: usize, problem: Problem, at: At<'t>) {
        self.sink(file).problem(problem, at);
    }

    /// A problem of the input that is not about a record (a list given twice).
    pub(crate) fn misread(&mut self, file: usize, m: Misread<'t>) {
        self.report(file, Problem::new(m.rule, m.message), m.at);
    }

    /// Notes that input `file` ended early, with `problem`.
    pub(crate) fn unreadable(&mut self, file: usize, problem: Problem) {
        self.incomplete = true;
        self.problems.push((file, problem));
    }

    /// Whether `id` is defined in `space` (in the graph, waiting or broken).
    fn defined(&self, space: Space, id: &str) -> bool {
        let in_graph = match space {
            Space::Source => self.graph.source(id).is_some(),
            Space::Entity => self.graph.contains_entity(id),
            Space::Relation => self.graph.relation(id).is_some(),
        };
        in_graph || self.state(space, id).is_some()
    }

    /// What became of `id`, if it is not in the graph.
    fn state(&self, space: Space, id: &str) -> Option<State> {
        let states = self.states.get(space.slot())?;
        if states.is_empty() {
            return None;
        }
        states.get(id).copied()
    }

    /// Takes the records that wait for `id`.
    fn waiters(&mut self, space: Space, id: &str, queue: &mut Vec<usize>) {
        if let Some(waiting) = self.waiting.get_mut(space.slot()) {
            if !waiting.is_empty() {
                queue.extend(waiting.remove(id).into_iter().flatten());
            }
        }
    }

    /// Takes note of a record's id: `false` (and the duplicate reported) if
    /// it is already defined.
    fn declare(&mut self, file: usize, space: Space, id: Option<&Text<'t>>, at: At<'t>) -> bool {
        let Some(id) = id else { return true };
        let mut found = Vec::new();
        rules::unique(
            space.name(),
            id.as_str(),
            self.defined(space, id.as_str()),
            &mut found,
        );
        let Some((_, problem)) = found.pop() else {
            return true;
        };
        self.duplicates.push(Duplicate {
            problem: self.problems.len(),
            space,
            id: id.as_str().to_owned(),
        });
        let problem = problem.about(Some(id.as_str()), Some(Field::Id.name()));
        self.report(file, problem, id.at.or(at));
        false
    }

    /// Marks a record's id as broken and wakes what waits for it.
    fn broken(&mut self, space: Space, id: Option<&Text<'t>>, queue: &mut Vec<usize>) {
        if let Some(id) = id {
            self.waiters(space, id.as_str(), queue);
            if let Some(states) = self.states.get_mut(space.slot()) {
                states.insert(id.as_str().to_owned(), State::Broken);
            }
        }
    }

    /// Marks an id as in the graph and wakes what waits for it.
    fn defined_now(&mut self, space: Space, id: &str, queue: &mut Vec<usize>) {
        if let Some(states) = self.states.get_mut(space.slot()) {
            if !states.is_empty() {
                states.remove(id);
            }
        }
        self.waiters(space, id, queue);
    }

    /// Checks a source and inserts it if it has no problem; the record back.
    pub(crate) fn add_source(&mut self, file: usize, rec: SourceRecord<'t>) -> Option<Spent<'t>> {
        let mut sink = self.sink(file);
        let source = convert::source(&rec, &mut sink);
        if !self.declare(file, Space::Source, rec.id.as_ref(), rec.at) {
            return Some(Spent::Source(rec));
        }
        let mut queue = Vec::new();
        match source {
            Some(source) => {
                let id = source.id.clone();
                // Declared just above, so this cannot fail.
                let _ = self.graph.insert_source(source);
                self.defined_now(Space::Source, id.as_str(), &mut queue);
            }
            None => self.broken(Space::Source, rec.id.as_ref(), &mut queue),
        }
        self.wake(queue);
        Some(Spent::Source(rec))
    }

    /// Checks a prepared entity or relation against the graph and inserts
    /// it if it has no problem, or keeps it until what it refers to is
    /// defined; the record back if not kept.
    pub(crate) fn add_prepared(&mut self, prepared: Prepared<'t>) -> Option<Spent<'t>> {
        let Prepared {
            file,
            record,
            problems,
        } = prepared;
        self.problems.extend(problems);
        let (space, id, at) = match &record {
            Record::Entity(rec, _) => (Space::Entity, rec.id.as_ref(), rec.at),
            Record::Relation(rec, _) => (Space::Relation, rec.id.as_ref(), rec.at),
        };
        let duplicate = !self.declare(file, space, id, at);
        self.settle(Parked {
            file,
            duplicate,
            record,
        })
    }

    /// Checks a record against the graph, and then what that wakes.
    fn settle(&mut self, item: Parked<'t>) -> Option<Spent<'t>> {
        let mut queue = Vec::new();
        let spent = self.settle_one(item, false, &mut queue);
        self.wake(queue);
        spent
    }

    /// Settles the records in `queue` and those they wake in turn, without
    /// recursion (a chain may be millions of links long).
    fn wake(&mut self, mut queue: Vec<usize>) {
        while let Some(i) = queue.pop() {
            if let Some(item) = self.parked.get_mut(i).and_then(Option::take) {
                self.settle_one(item, false, &mut queue);
            }
        }
    }

    /// Checks a record against the graph: it waits if it refers to something
    /// not defined yet (unless `last`, when nothing more will come);
    /// otherwise its problems are reported and it is inserted if it has none.
    fn settle_one(
        &mut self,
        item: Parked<'t>,
        last: bool,
        queue: &mut Vec<usize>,
    ) -> Option<Spent<'t>> {
        self.checks += 1;
        let (file, duplicate) = (item.file, item.duplicate);
        let space = match &item.record {
            Record::Entity(..) => Space::Entity,
            Record::Relation(..) => Space::Relation,
        };
        let mut found = Vec::new();
        match &item.record {
            Record::Entity(rec, draft) => {
                rules::entity_in(
                    &self.graph,
                    &draft.facts(convert::id_text(rec.id.as_ref())),
                    &mut found,
                );
            }
            Record::Relation(rec, draft) => {
                rules::relation_in(
                    &self.graph,
                    &draft.facts(convert::id_text(rec.id.as_ref())),
                    &mut found,
                );
            }
        }
        // References: wait for the first one not defined yet; say nothing of
        // those to broken records (their problem is reported already).
        let mut wait_for = None;
        let mut follows = false;
        found.retain(|(field, p)| {
            let Some(target_space) = reference(p.rule()) else {
                return true;
            };
            let target = match &item.record {
                Record::Entity(_, d) => match field {
                    Field::Source(i) => d
                        .sources
                        .get(*i)
                        .and_then(|s| s.as_ref())
                        .map(|s| s.as_str()),
                    _ => None,
                },
                Record::Relation(_, d) => referenced(d, *field),
            };
            let Some(target) = target else { return true };
            match self.state(target_space, target) {
                Some(State::Broken) => {
                    follows = true;
                    false
                }
                Some(State::Waiting) if last => {
                    // Left waiting itself: in a cycle, or waiting in turn.
                    follows = true;
                    false
                }
                _ if last && self.incomplete => {
                    follows = true;
                    false
                }
                _ => {
                    if wait_for.is_none() {
                        wait_for = Some((target_space, target.to_owned()));
                    }
                    true
                }
            }
        });
        if let (Some((target_space, target)), false) = (wait_for, last) {
            let id = match &item.record {
                Record::Entity(rec, _) => rec.id.as_ref(),
                Record::Relation(rec, _) => rec.id.as_ref(),
            };
            if let (Some(id), false, Some(states)) =
                (id, duplicate, self.states.get_mut(space.slot()))
            {
                states.insert(id.as_str().to_owned(), State::Waiting);
            }
            let i = self.parked.len();
            self.parked.push(Some(item));
            if let Some(waiting) = self.waiting.get_mut(target_space.slot()) {
                waiting.entry(target).or_default().push(i);
            }
            return None;
        }
        let clean = found.is_empty() && !follows;
        for (field, p) in found {
            let (at, id) = match &item.record {
                Record::Entity(rec, _) => (entity_at(rec, field), rec.id.as_ref()),
                Record::Relation(rec, _) => (relation_at(rec, field), rec.id.as_ref()),
            };
            let p = p.about(id.map(Text::as_str), Some(field.name()));
            self.report(file, p, at);
        }
        if duplicate {
            return Some(match item.record {
                Record::Entity(rec, draft) => Spent::Entity(rec, draft),
                Record::Relation(rec, draft) => Spent::Relation(rec, draft),
            });
        }
        Some(match item.record {
            Record::Entity(rec, mut draft) => {
                let entity = if clean { draft.take_entity() } else { None };
                match entity {
                    Some(entity) => {
                        let id = entity.id.clone();
                        self.graph.insert_checked_entity(entity);
                        self.defined_now(space, id.as_str(), queue);
                    }
                    None => self.broken(space, rec.id.as_ref(), queue),
                }
                Spent::Entity(rec, draft)
            }
            Record::Relation(rec, mut draft) => {
                let relation = if clean { draft.take_relation() } else { None };
                match relation {
                    Some(relation) => {
                        let id = relation.id.clone();
                        match self.graph.insert_checked_relation(relation) {
                            Ok(()) => self.defined_now(space, id.as_str(), queue),
                            Err(_) => self.broken(space, rec.id.as_ref(), queue),
                        }
                    }
                    None => self.broken(space, rec.id.as_ref(), queue),
                }
                Spent::Relation(rec, draft)
            }
        })
    }

    /// Reports the cycles of renewals, amendments and supersessions among
    /// the relations left waiting, each once, at the member where the walk
    /// closes it. Linear: depth first over the links, each waiting relation
    /// entered once.
    fn cycles(&mut self) {
        /// A waiting relation's position and its links (field, target).
        type Links<'a> = HashMap<&'a str, (usize, Vec<(Field, &'a str)>)>;
        let mut links: Links<'_> = HashMap::new();
        for (i, item) in self.parked.iter().enumerate() {
            if let Some(Parked {
                record: Record::Relation(rec, draft),
                ..
            }) = item
            {
                let Some(id) = &rec.id else { continue };
                let out: Vec<(Field, &str)> = [Field::Renews, Field::Amends, Field::Supersedes]
                    .into_iter()
                    .filter_map(|f| Some((f, referenced(draft, f)?)))
                    .collect();
                if !out.is_empty() {
                    links.insert(id.as_str(), (i, out));
                }
            }
        }
        // 1: on the walk under way; 2: walked.
        let mut mark: HashMap<&str, u8> = HashMap::new();
        let mut found: Vec<(usize, Field, Rule, String)> = Vec::new();
        for item in self.parked.iter().flatten() {
            let Record::Relation(rec, _) = &item.record else {
                continue;
            };
            let Some(root) = rec.id.as_ref().map(Text::as_str) else {
                continue;
            };
            if mark.contains_key(root) {
                continue;
            }
            // The walk: each entry a relation and the next of its links to follow.
            let mut walk: Vec<(&str, usize)> = vec![(root, 0)];
            mark.insert(root, 1);
            while let Some(&(at, at_next)) = walk.last() {
                let out = links.get(at).map_or(&[][..], |(_, o)| o.as_slice());
                let Some(&(_, target)) = out.get(at_next) else {
                    mark.insert(at, 2);
                    walk.pop();
                    continue;
                };
                if let Some(top) = walk.last_mut() {
                    top.1 += 1;
                }
                match mark.get(target) {
                    None => {
                        mark.insert(target, 1);
                        walk.push((target, 0));
                    }
                    Some(1) => {
                        // A cycle: from `target` on the walk to `at`, then back.
                        let Some(first) = walk.iter().position(|(w, _)| *w == target) else {
                            continue;
                        };
                        let members = walk.get(first..).unwrap_or_default();
                        let mut text = String::new();
                        let mut renewals_only = true;
                        for &(w, n) in members {
                            let link = links
                                .get(w)
                                .and_then(|(_, o)| o.get(n.saturating_sub(1)))
                                .map_or(Field::Renews, |(f, _)| *f);
                            renewals_only &= link == Field::Renews;
                            text.push_str(&format!("`{w}` {} ", link.name()));
                        }
                        text.push_str(&format!("`{target}`"));
                        let (rule, what) = if renewals_only {
                            (Rule::RenewalCycle, "renewals")
                        } else {
                            (Rule::LinkCycle, "agreements")
                        };
                        // Reported at the cycle's first member on the walk
                        // (the first in input order), at the link followed.
                        let opening = members.first().and_then(|&(w, n)| {
                            let (i, o) = links.get(w)?;
                            Some((*i, o.get(n.saturating_sub(1))?.0))
                        });
                        if let Some((i, field)) = opening {
                            found.push((i, field, rule, format!("{what} form a cycle: {text}")));
                        }
                    }
                    _ => {}
                }
            }
        }
        for (i, field, rule, message) in found {
            if let Some(Some(Parked {
                file,
                record: Record::Relation(rec, _),
                ..
            })) = self.parked.get(i)
            {
                let (file, at) = (*file, relation_at(rec, field));
                self.report(
                    file,
                    Problem::new(rule, message)
                        .about(rec.id.as_ref().map(Text::as_str), Some(field.name())),
                    at,
                );
            }
        }
    }

    /// The ids whose first definition the duplicates need, by space.
    pub(crate) fn duplicated(&self) -> Vec<(&'static str, &str)> {
        self.duplicates
            .iter()
            .map(|d| (d.space.name(), d.id.as_str()))
            .collect()
    }

    /// Adds where each duplicate's id was first defined, from `first`
    /// (record kind and id to location).
    pub(crate) fn explain_duplicates(
        &mut self,
        first: &HashMap<(&'static str, String), crate::error::Location>,
    ) {
        for d in &self.duplicates {
            let Some(location) = first.get(&(d.space.name(), d.id.clone())) else {
                continue;
            };
            if let Some((_, p)) = self.problems.get_mut(d.problem) {
                let message = format!("{} (first defined at {location})", p.message());
                *p = p.clone().reworded(message);
            }
        }
    }

    /// Settles what still waits, reports every problem in file order, and
    /// gives the graph if there was none. `checks` is told how many times a
    /// record was checked against the graph (tests show loading is linear
    /// with it).
    pub(crate) fn finish(mut self, checks: &mut usize) -> Result<HealthGraph, Error> {
        self.cycles();
        let left: Vec<Parked<'t>> = self.parked.iter_mut().filter_map(Option::take).collect();
        for item in left {
            let mut queue = Vec::new();
            self.settle_one(item, true, &mut queue);
        }
        *checks = self.checks;
        if self.problems.is_empty() {
            return Ok(self.graph);
        }
        // File order: by input, then line and column; the sort is stable, so
        // problems found at one place keep the order they were found in.
        self.problems.sort_by_key(|(file, p)| {
            (
                *file,
                p.location()
                    .map_or((usize::MAX, usize::MAX), |l| (l.line(), l.column())),
            )
        });
        Err(Error::from_problems(
            self.problems.into_iter().map(|(_, p)| p).collect(),
        ))
    }
}
