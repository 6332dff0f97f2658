//! The RON format: reading a data file's records as ron parses them, and
//! writing a graph. ron is the only reader of RON here; the records and
//! their fields are those of `records.rs`.

use std::collections::{HashMap, HashSet};
use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::load::{Loader, Spent};
use super::locate::Origin;
use super::records::{EntityRecord, Key, LISTS, Misread, RelationRecord, SourceRecord};
use crate::error::{Error, Location, Problem, Rule};
use crate::graph::HealthGraph;

/// Records parsed but not yet checked, handed over in batches.
pub(crate) enum Batch<'t> {
    Sources(Vec<SourceRecord<'t>>),
    Entities(Vec<EntityRecord<'t>>),
    Relations(Vec<RelationRecord<'t>>),
    /// A problem of the file itself (a list given twice, an unknown list).
    Misread(Misread<'t>),
}

/// How many records travel together.
const BATCH: usize = 2048;

fn options() -> ron::Options {
    ron::Options::default().with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
}

/// Reads one data file, handing its records to `sink` in batches; `sink`
/// answers `false` to stop the reading.
pub(crate) fn read<'t>(
    text: &'t str,
    sink: impl FnMut(Batch<'t>) -> bool,
) -> Result<(), ron::error::SpannedError> {
    options().from_str_seed(text, DocSeed { sink })
}

/// The top level of a data file: `(sources: [...], entities: [...], relations: [...])`.
struct DocSeed<S> {
    sink: S,
}

impl<'t, S: FnMut(Batch<'t>) -> bool> DeserializeSeed<'t> for DocSeed<S> {
    type Value = ();

    fn deserialize<D: Deserializer<'t>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_struct("dataset", LISTS, self)
    }
}

impl<'t, S: FnMut(Batch<'t>) -> bool> Visitor<'t> for DocSeed<S> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a data set: (sources: [...], entities: [...], relations: [...])")
    }

    fn visit_map<A: MapAccess<'t>>(mut self, mut map: A) -> Result<(), A::Error> {
        let mut seen = [false; 3];
        while let Some(key) = map.next_key::<Key<'t>>()? {
            let Some(list) = LISTS.iter().position(|l| *l == key.name()) else {
                (self.sink)(Batch::Misread(Misread::unknown(
                    &key,
                    "the data set",
                    LISTS,
                )));
                map.next_value::<IgnoredAny>()?;
                continue;
            };
            if let Some(seen) = seen.get_mut(list) {
                if *seen {
                    (self.sink)(Batch::Misread(Misread {
                        rule: Rule::RepeatedField,
                        message: format!(
                            "the list `{}` appears twice in the data set; the records of both are read",
                            key.name()
                        ),
                        at: key.at(),
                    }));
                }
                *seen = true;
            }
            map.next_value_seed(ListSeed {
                sink: &mut self.sink,
                list,
            })?;
        }
        Ok(())
    }
}

/// One list of records, handed over in batches.
struct ListSeed<'s, S> {
    sink: &'s mut S,
    list: usize,
}

impl<'t, S: FnMut(Batch<'t>) -> bool> DeserializeSeed<'t> for ListSeed<'_, S> {
    type Value = ();

    fn deserialize<D: Deserializer<'t>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(self)
    }
}

/// Reads a list in batches; a sink that answers `false` ends it.
fn send_all<'t, A, T, S>(
    seq: &mut A,
    sink: &mut S,
    wrap: fn(Vec<T>) -> Batch<'t>,
) -> Result<(), A::Error>
where
    A: SeqAccess<'t>,
    T: serde::Deserialize<'t>,
    S: FnMut(Batch<'t>) -> bool,
{
    let mut batch = Vec::with_capacity(BATCH);
    while let Some(record) = seq.next_element::<T>()? {
        batch.push(record);
        if batch.len() == BATCH {
            let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH));
            if !sink(wrap(full)) {
                return Ok(());
            }
        }
    }
    if !batch.is_empty() {
        sink(wrap(batch));
    }
    Ok(())
}

impl<'t, S: FnMut(Batch<'t>) -> bool> Visitor<'t> for ListSeed<'_, S> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of records: [(...), (...)]")
    }

    fn visit_seq<A: SeqAccess<'t>>(self, mut seq: A) -> Result<(), A::Error> {
        match self.list {
            0 => send_all(&mut seq, self.sink, Batch::Sources),
            1 => send_all(&mut seq, self.sink, Batch::Entities),
            _ => send_all(&mut seq, self.sink, Batch::Relations),
        }
    }
}

/// Turns a ron error into a located problem that says the file was read
/// only up to there.
fn syntax_problem(origin: &Origin<'_>, err: &ron::error::SpannedError) -> Problem {
    use ron::error::Error as E;
    let location = Location::new(
        origin.file.clone(),
        err.span.start.line.max(1),
        err.span.start.col.max(1),
    );
    // At the very start, ron's words are about its own grammar; say what the
    // person should do instead.
    const SHAPE: &str = "a data set starts with `(` and holds lists of records: \
                         (sources: [...], entities: [...], relations: [...])";
    let at_start = !matches!(err.code, E::Eof)
        && err.span.start.line <= 1
        && origin
            .text
            .get(..err.span.start.col.saturating_sub(1))
            .is_some_and(|before| before.trim().is_empty());
    let message = match &err.code {
        _ if origin.text.trim().is_empty() || only_comments(origin.text) => {
            format!("the file is empty: {SHAPE}")
        }
        E::ExpectedStructLike
        | E::ExpectedNamedStructLike(_)
        | E::ExpectedDifferentStructName { .. }
        | E::ExpectedAttribute
            if at_start || matches!(err.code, E::ExpectedAttribute) =>
        {
            format!("this is not a data file: {SHAPE}")
        }
        other => {
            let text = other.to_string();
            let mut chars = text.chars();
            let lowered: String = chars
                .next()
                .map(|c| c.to_lowercase().chain(chars).collect())
                .unwrap_or_default();
            format!(
                "invalid RON: {}; the rest of this file is not read",
                lowered.trim_end_matches('.')
            )
        }
    };
    Problem::new(Rule::Syntax, message).at(Some(location))
}

/// Whether `text` holds nothing but white space and `//` comments.
fn only_comments(text: &str) -> bool {
    text.lines()
        .map(str::trim)
        .all(|l| l.is_empty() || l.starts_with("//"))
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
            let (to_loader, batches) = std::sync::mpsc::sync_channel::<Batch<'_>>(8);
            // Records the loader is done with go back to be freed where they
            // were made.
            let (to_parser, spent) = std::sync::mpsc::channel::<Vec<Spent<'_>>>();
            let text: &str = origin.text;
            let parser = scope.spawn(move || {
                read(text, |b| {
                    spent.try_iter().for_each(drop);
                    to_loader.send(b).is_ok()
                })
            });
            for batch in batches {
                let mut done = Vec::with_capacity(BATCH);
                match batch {
                    Batch::Sources(v) => {
                        done.extend(v.into_iter().filter_map(|r| loader.add_source(file, r)))
                    }
                    Batch::Entities(v) => {
                        done.extend(v.into_iter().filter_map(|r| loader.add_entity(file, r)))
                    }
                    Batch::Relations(v) => {
                        done.extend(v.into_iter().filter_map(|r| loader.add_relation(file, r)))
                    }
                    Batch::Misread(m) => loader.misread(file, m),
                }
                // If the parser has finished, what is left is freed here.
                let _ = to_parser.send(done);
            }
            parser.join()
        });
        match parsed {
            Ok(Ok(())) => {}
            Ok(Err(e)) => loader.unreadable(file, syntax_problem(origin, &e)),
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
    for origin in origins {
        let mut note = |kind: &'static str, id: Option<&super::records::Text<'_>>| {
            let Some(id) = id else { return };
            let key = (kind, id.as_str().to_owned());
            if wanted.contains(&key) && !first.contains_key(&key) {
                if let Some(location) = origin.locate(id.at) {
                    first.insert(key, location);
                }
            }
        };
        let _ = read(origin.text, |batch| {
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

/// The graph as RON text.
pub(crate) fn write(graph: &HealthGraph) -> Result<String, Error> {
    let config = ron::ser::PrettyConfig::new()
        .indentor("    ")
        .extensions(ron::extensions::Extensions::IMPLICIT_SOME);
    // Written with the extension named in the text (`#![enable(implicit_some)]`),
    // so that other RON readers read the file as we do.
    ron::Options::default()
        .to_string_pretty(&super::convert::document(graph), config)
        .map(|mut s| {
            s.push('\n');
            s
        })
        .map_err(|e| Error::new(Rule::Syntax, format!("cannot write RON: {e}")))
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
        let result = build_counting(&[Origin::new(None, text)], &mut checks);
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
