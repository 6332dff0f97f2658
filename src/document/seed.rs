//! Reading a data file's records with any serde format (RON, JSON): the
//! top level and its lists, handed over in batches as they are read. The
//! records are `records.rs`'; a format only supplies its deserializer.

use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::records::{EntityRecord, Key, LISTS, Misread, RelationRecord, SourceRecord};
use crate::error::Rule;

/// Records parsed but not yet checked, handed over in batches.
pub(crate) enum Batch<'t> {
    Sources(Vec<SourceRecord<'t>>),
    // Boxed: a record is several hundred bytes, and the loader moves it a
    // few times (into the check, into its parking place, back to be freed);
    // a box moves as a pointer, and is allocated and freed on this side.
    #[allow(clippy::vec_box)]
    Entities(Vec<Box<EntityRecord<'t>>>),
    #[allow(clippy::vec_box)]
    Relations(Vec<Box<RelationRecord<'t>>>),
    /// A problem of the file itself (a list given twice, an unknown list).
    Misread(Misread<'t>),
}

/// How many records travel together.
pub(crate) const BATCH: usize = 2048;

/// The top level of a data file: `(sources: [...], entities: [...], relations: [...])`
/// in RON, `{"sources": [...], ...}` in JSON.
pub(crate) struct DocSeed<S> {
    pub(crate) sink: S,
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
