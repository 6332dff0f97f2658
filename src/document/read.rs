//! Reading inputs into a graph, whatever their format: each input is read
//! on its own thread by its format's reader (`ron.rs`, `json.rs`, `csv.rs`),
//! which also reads each entity and relation record into its draft and checks what it
//! can alone, while this one checks the records against the graph and
//! inserts them (`load.rs`).

use std::collections::{HashMap, HashSet};

use super::convert::{EntityDraft, RelationDraft};
use super::load::{Loader, Prepared, Spent};
use super::locate::{Origin, Syntax};
use super::records::{EntityRecord, RelationRecord, SourceRecord};
use super::seed::{BATCH, Batch};
use crate::error::{Error, Location, Problem, Rule};
use crate::graph::HealthGraph;

/// What travels from the reading thread to the loading one.
enum Read<'t> {
    /// Records as read.
    Batch(Batch<'t>),
    /// Entities or relations read into drafts and checked alone.
    Prepared(Vec<Prepared<'t>>),
}

/// Drafts the loader is done with, to be filled again: a draft is a few
/// hundred bytes, and allocating one per record and freeing it in batches
/// sends the allocator searching its free lists.
// Boxes on purpose: they are the allocations that travel to the loader and back.
#[allow(clippy::vec_box)]
#[derive(Default)]
struct Drafts {
    entities: Vec<Box<EntityDraft>>,
    relations: Vec<Box<RelationDraft>>,
}

impl Drafts {
    /// As many as a few batches in flight.
    const KEPT: usize = 16 * BATCH;

    /// Keeps the drafts of records the loader is done with; frees the rest.
    fn keep(&mut self, done: Vec<Spent<'_>>) {
        for spent in done {
            match spent {
                Spent::Entity(_, draft) if self.entities.len() < Self::KEPT => {
                    self.entities.push(draft)
                }
                Spent::Relation(_, draft) if self.relations.len() < Self::KEPT => {
                    self.relations.push(draft)
                }
                _ => {}
            }
        }
    }

    fn entity(&mut self) -> Box<EntityDraft> {
        self.entities.pop().unwrap_or_default()
    }

    fn relation(&mut self) -> Box<RelationDraft> {
        self.relations.pop().unwrap_or_default()
    }
}

/// Reads input `file` of `origins` with its format's reader.
fn read<'t>(
    origins: &[Origin<'t>],
    file: usize,
    mut sink: impl FnMut(Batch<'t>) -> bool,
) -> Result<(), Problem> {
    let Some(origin) = origins.get(file) else {
        return Ok(());
    };
    match origin.syntax {
        Syntax::Ron => super::ron::read(origin, sink),
        Syntax::Json => super::json::read(origin, sink),
        Syntax::Csv => super::csv::read(origins, file, &mut sink),
    }
}

/// Reads and checks the given inputs into one graph, every problem of every
/// input in one pass.
pub(crate) fn build(origins: &[Origin<'_>]) -> Result<HealthGraph, Error> {
    build_counting(origins, &mut 0)
}

/// [`build`], telling `checks` how many times a record was checked against
/// the graph.
fn build_counting(origins: &[Origin<'_>], checks: &mut usize) -> Result<HealthGraph, Error> {
    let mut loader = Loader::new(origins);
    for (file, origin) in origins.iter().enumerate() {
        // One thread parses, this one checks and inserts: the two halves of
        // loading overlap. Records borrow the text, which outlives both.
        let parsed = std::thread::scope(|scope| {
            let (to_loader, batches) = std::sync::mpsc::sync_channel::<Read<'_>>(8);
            // Records the loader is done with go back to be freed where they
            // were made.
            let (to_parser, spent) = std::sync::mpsc::channel::<Vec<Spent<'_>>>();
            let parser = scope.spawn(move || {
                let mut drafts = Drafts::default();
                read(origins, file, |b| {
                    spent.try_iter().for_each(|done| drafts.keep(done));
                    let read = match b {
                        Batch::Entities(v) => Read::Prepared(
                            v.into_iter()
                                .map(|r| Prepared::entity(origins, file, r, drafts.entity()))
                                .collect(),
                        ),
                        Batch::Relations(v) => Read::Prepared(
                            v.into_iter()
                                .map(|r| Prepared::relation(origins, file, r, drafts.relation()))
                                .collect(),
                        ),
                        b => Read::Batch(b),
                    };
                    to_loader.send(read).is_ok()
                })
            });
            for batch in batches {
                let mut done = Vec::with_capacity(BATCH);
                match batch {
                    Read::Batch(Batch::Sources(v)) => {
                        done.extend(v.into_iter().filter_map(|r| loader.add_source(file, r)))
                    }
                    // The reading thread prepares these itself; were they
                    // sent as read, they would be prepared here, the same way.
                    Read::Batch(Batch::Entities(v)) => done.extend(
                        v.into_iter()
                            .map(|r| Prepared::entity(origins, file, r, Box::default()))
                            .filter_map(|p| loader.add_prepared(p)),
                    ),
                    Read::Batch(Batch::Relations(v)) => done.extend(
                        v.into_iter()
                            .map(|r| Prepared::relation(origins, file, r, Box::default()))
                            .filter_map(|p| loader.add_prepared(p)),
                    ),
                    Read::Prepared(v) => {
                        done.extend(v.into_iter().filter_map(|p| loader.add_prepared(p)))
                    }
                    Read::Batch(Batch::Misread(m)) => loader.misread(file, m),
                }
                // If the parser has finished, what is left is freed here.
                let _ = to_parser.send(done);
            }
            parser.join()
        });
        match parsed {
            Ok(Ok(())) => {}
            Ok(Err(problem)) => loader.unreadable(file, problem),
            Err(_) => loader.unreadable(
                file,
                Problem::new(Rule::Syntax, "the parser stopped unexpectedly")
                    .at(Some(origin.location_of_offset(0))),
            ),
        }
    }
    let wanted: HashSet<(&'static str, String)> = loader
        .duplicated()
        .into_iter()
        .map(|(space, id)| (space, id.to_owned()))
        .collect();
    if !wanted.is_empty() {
        loader.explain_duplicates(&first_definitions(origins, &wanted));
    }
    loader.finish(checks)
}

/// Where each of `wanted` (record kind and id) is first defined: a second
/// reading of the inputs, made only when some id is defined twice.
fn first_definitions(
    origins: &[Origin<'_>],
    wanted: &HashSet<(&'static str, String)>,
) -> HashMap<(&'static str, String), Location> {
    let mut first = HashMap::new();
    for (file, origin) in origins.iter().enumerate() {
        let mut note = |kind: &'static str, id: Option<&super::records::Text<'_>>| {
            let Some(id) = id else { return };
            let key = (kind, id.as_str().to_owned());
            if wanted.contains(&key) && !first.contains_key(&key) {
                if let Some(location) = origin.locate(id.at) {
                    first.insert(key, location);
                }
            }
        };
        let _ = read(origins, file, |batch| {
            match &batch {
                Batch::Sources(v) => v
                    .iter()
                    .for_each(|r| note(SourceRecord::NAME, r.id.as_ref())),
                Batch::Entities(v) => v
                    .iter()
                    .for_each(|r| note(EntityRecord::NAME, r.id.as_ref())),
                Batch::Relations(v) => v
                    .iter()
                    .for_each(|r| note(RelationRecord::NAME, r.id.as_ref())),
                Batch::Misread(_) => {}
            }
            true
        });
    }
    first
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A data set of one source, two entities and a renewal chain of `n`
    /// links after a root MOU, written newest-first; `root` leaves the MOU out.
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

    fn checks(text: &str) -> (Result<HealthGraph, Error>, usize) {
        let mut checks = 0;
        let result = build_counting(&[Origin::new(None, text, Syntax::Ron)], &mut checks);
        (result, checks)
    }

    #[test]
    fn a_chain_written_newest_first_is_checked_a_constant_number_of_times_per_link() {
        for n in [1_000, 4_000] {
            let (graph, count) = checks(&chain(n, true));
            let graph = graph.unwrap();
            assert_eq!(graph.relation_count(), n + 1);
            // The two entities and the root once; each link when read and
            // once more when what it renews arrives: 2n + 3, not n² / 2.
            assert_eq!(count, 2 * n + 3, "n = {n}");
        }
    }

    #[test]
    fn a_chain_without_its_root_reports_one_problem_in_linear_work() {
        for n in [1_000, 4_000] {
            let (result, count) = checks(&chain(n, false));
            let err = result.unwrap_err();
            let rules: Vec<Rule> = err.problems().iter().map(|p| p.rule()).collect();
            // Only the link that renews the missing root is reported; the
            // others wait for a broken link and say nothing more.
            assert_eq!(rules, [Rule::UnknownRelation], "n = {n}");
            assert!(err.problems()[0].message().contains("`r0`"));
            assert!(count <= 3 * n, "n = {n}: {count} checks");
        }
    }

    #[test]
    fn a_cycle_is_reported_once_however_long() {
        let mut text = chain(3_000, false);
        // Close the chain: r1 renews r3000 instead of the missing r0.
        text = text.replace("renews: \"r0\"", "renews: \"r3000\"");
        let (result, count) = checks(&text);
        let err = result.unwrap_err();
        let rules: Vec<Rule> = err.problems().iter().map(|p| p.rule()).collect();
        assert_eq!(rules, [Rule::RenewalCycle]);
        // Each link when read and once at the end, and the two entities.
        assert_eq!(count, 2 * 3_000 + 2);
    }
}
