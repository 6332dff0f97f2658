//! The binary snapshot: a validated graph written with postcard, for data
//! sets too large for RON to be quick.
//!
//! Layout:
//!
//! ```text
//! MAGIC "HGSNAP\r\n" | VERSION u32 LE | payload (postcard) | LENGTH u64 LE | CRC-32 u32 LE | END "\x1aEND"
//! ```
//!
//! The payload holds the sources, the entities and the relations, each id
//! once; a relation names its ends, sources, renewed relation and people's
//! organisations by their positions in those lists, so opening needs no id
//! lookup per relation, and dates as three numbers, so it parses no text.
//! Relations that renew come after what they renew, so a renewal's target
//! is always already built and chains cannot cycle.
//! The trailer comes last so that the file can be written as a stream.
//!
//! Opening checks the magic, the version, the length and the checksum before
//! decoding anything, so a truncated or corrupted file is refused before it
//! can be misread; then every value is checked as it is decoded (ids, terms,
//! dates, positions in range) and the rules run (`rules.rs`), so that even
//! a forged file with a good checksum cannot build a graph that breaks an
//! invariant. Nothing here panics on any input.

use std::cmp::Ordering;
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::fs::File;
use std::io::Write;
use std::path::Path;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering as AtomicOrdering};

use serde::de::{self, DeserializeSeed, Deserializer, SeqAccess, Visitor};
use serde::ser::{SerializeSeq, SerializeTuple, Serializer};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Problem, Rule};
use crate::graph::{HealthGraph, Node};
use crate::index::Given;
use crate::index::adjacency::{Hot, OPEN_HI, pack_days, sure_days, unpack_days};
use crate::model::date::{Date, Period};
use crate::model::entity::{
    Country, Entity, EntityDetails, EntityKind, FormerName, check_ror, check_wikidata,
};
use crate::model::id::{EntityId, RelationId, SourceId};
use crate::model::relation::{
    Basis, Claim, Details, Figure, Link, Person, Qualifier, Rank, Relation, RelationKind, Status,
};
use crate::model::source::Source;
use crate::rules::{self, Cited, EntityFacts, RelationFacts};

/// The first bytes of every snapshot.
pub(crate) const MAGIC: &[u8; 8] = b"HGSNAP\r\n";
/// The format version this build writes and reads.
/// 2: relations carry `amends` and `supersedes`.
/// 3: dates are numbers (year, month, day), not text.
const VERSION: u32 = 3;
/// The last bytes of every snapshot.
const END: &[u8; 4] = b"\x1aEND";
/// Length and checksum, then `END`.
const TRAILER: usize = 8 + 4 + END.len();
const HEADER: usize = MAGIC.len() + 4;

/// A date as its year, month and day, 0 for a month or day not known: two
/// to four bytes and no parsing, where its text would be up to eleven bytes
/// to parse.
#[derive(Serialize, Deserialize, Clone, Copy)]
struct SnapDate(i16, u8, u8);

impl From<Date> for SnapDate {
    fn from(d: Date) -> SnapDate {
        SnapDate(d.year(), d.month().unwrap_or(0), d.day().unwrap_or(0))
    }
}

impl SnapDate {
    /// The date, checked as any date is.
    fn date(self) -> Result<Date, String> {
        let SnapDate(year, month, day) = self;
        Date::from_parts(year, month, day).map_err(|e| text(&e))
    }
}

/// An optional date, checked.
fn date(d: Option<SnapDate>) -> Result<Option<Date>, String> {
    d.map(SnapDate::date).transpose()
}

#[derive(Serialize, Deserialize)]
struct SnapSource<'a> {
    #[serde(borrow)]
    id: &'a str,
    #[serde(borrow)]
    title: &'a str,
    #[serde(borrow)]
    publisher: Option<&'a str>,
    #[serde(borrow)]
    author: Option<&'a str>,
    published: SnapDate,
    #[serde(borrow)]
    language: &'a str,
    #[serde(borrow)]
    url: Option<&'a str>,
    #[serde(borrow)]
    seed: Option<&'a str>,
    #[serde(borrow)]
    section: Option<&'a str>,
    #[serde(borrow)]
    note: Option<&'a str>,
}

#[derive(Serialize, Deserialize)]
struct SnapEntity<'a> {
    #[serde(borrow)]
    id: &'a str,
    kind: u8,
    #[serde(borrow)]
    name: &'a str,
    #[serde(borrow)]
    name_en: Option<&'a str>,
    #[serde(borrow)]
    aliases: Vec<&'a str>,
    #[serde(borrow)]
    former_names: Vec<SnapFormerName<'a>>,
    #[serde(borrow)]
    country: Option<&'a str>,
    #[serde(borrow)]
    wikidata: Option<&'a str>,
    #[serde(borrow)]
    ror: Option<&'a str>,
    sources: Positions,
    #[serde(borrow)]
    note: Option<&'a str>,
}

#[derive(Serialize, Deserialize)]
struct SnapFormerName<'a> {
    #[serde(borrow)]
    name: &'a str,
    start: Option<SnapDate>,
    end: Option<SnapDate>,
}

#[derive(Serialize, Deserialize)]
struct SnapPerson<'a> {
    #[serde(borrow)]
    name: &'a str,
    #[serde(borrow)]
    role: Option<&'a str>,
    organisation: Option<u32>,
}

#[derive(Serialize, Deserialize)]
struct SnapFigure<'a> {
    value: u64,
    #[serde(borrow)]
    unit: &'a str,
    qualifier: u8,
}

#[derive(Serialize, Deserialize)]
struct SnapRelation<'a> {
    #[serde(borrow)]
    id: &'a str,
    kind: u8,
    from: u32,
    to: u32,
    start: Option<SnapDate>,
    end: Option<SnapDate>,
    status: u8,
    basis: u8,
    renews: Option<u32>,
    amends: Option<u32>,
    supersedes: Option<u32>,
    #[serde(borrow)]
    scope: Vec<&'a str>,
    #[serde(borrow)]
    people: Vec<SnapPerson<'a>>,
    #[serde(borrow)]
    figures: Vec<SnapFigure<'a>>,
    #[serde(borrow)]
    claims: Vec<SnapClaim<'a>>,
    sources: Positions,
    #[serde(borrow)]
    note: Option<&'a str>,
}

#[derive(Serialize, Deserialize)]
struct SnapClaim<'a> {
    start: Option<SnapDate>,
    end: Option<SnapDate>,
    /// The status's position, or `u8::MAX` when the claim says none.
    status: u8,
    rank: u8,
    sources: Positions,
    #[serde(borrow)]
    note: Option<&'a str>,
}

/// The positions of the sources a record cites: up to four held in place,
/// so that decoding the usual record allocates nothing for them. Written as
/// a plain sequence of numbers.
#[derive(Default)]
struct Positions {
    held: [u32; 4],
    len: usize,
    more: Vec<u32>,
}

impl Positions {
    fn push(&mut self, position: u32) {
        if self.more.is_empty() {
            if let Some(slot) = self.held.get_mut(self.len) {
                *slot = position;
                self.len += 1;
                return;
            }
            self.more.extend_from_slice(&self.held);
        }
        self.more.push(position);
    }
}

impl std::ops::Deref for Positions {
    type Target = [u32];

    fn deref(&self) -> &[u32] {
        if self.more.is_empty() {
            self.held.get(..self.len).unwrap_or_default()
        } else {
            &self.more
        }
    }
}

impl FromIterator<u32> for Positions {
    fn from_iter<I: IntoIterator<Item = u32>>(items: I) -> Positions {
        let mut positions = Positions::default();
        for p in items {
            positions.push(p);
        }
        positions
    }
}

impl Serialize for Positions {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

impl<'de> Deserialize<'de> for Positions {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Positions, D::Error> {
        struct Numbers;
        impl<'de> Visitor<'de> for Numbers {
            type Value = Positions;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a list of positions")
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Positions, A::Error> {
                let mut positions = Positions::default();
                while let Some(p) = seq.next_element()? {
                    positions.push(p);
                }
                Ok(positions)
            }
        }
        deserializer.deserialize_seq(Numbers)
    }
}

/// The position of a vocabulary term in its list.
fn term<T: PartialEq>(all: &[T], value: T) -> u8 {
    all.iter()
        .position(|v| *v == value)
        .and_then(|i| u8::try_from(i).ok())
        .unwrap_or(u8::MAX)
}

/// Positions of ids in the order they are written.
fn positions<'g>(ids: impl Iterator<Item = &'g str>) -> HashMap<&'g str, u32> {
    ids.enumerate()
        .map(|(i, id)| (id, u32::try_from(i).unwrap_or(u32::MAX)))
        .collect()
}

/// The relations in the order they are written: every relation that
/// continues none in id order, then the others, each after everything it
/// renews, amends or supersedes (depth first, no recursion).
pub(crate) fn relation_order(graph: &HealthGraph) -> Vec<&Relation> {
    let mut out: Vec<&Relation> = graph
        .relations()
        .filter(|r| r.links().next().is_none())
        .collect();
    let mut placed: HashSet<&str> = HashSet::new();
    for linked in graph.relations().filter(|r| r.links().next().is_some()) {
        let mut stack: Vec<(&Relation, bool)> = vec![(linked, false)];
        while let Some((r, ready)) = stack.pop() {
            if r.links().next().is_none() || placed.contains(r.id.as_str()) {
                continue;
            }
            if ready {
                placed.insert(r.id.as_str());
                out.push(r);
                continue;
            }
            stack.push((r, true));
            for (_, t) in r.links() {
                if let Some(target) = graph.relation(t.as_str()) {
                    if !placed.contains(target.id.as_str()) && stack.len() <= graph.relation_count()
                    {
                        stack.push((target, false));
                    }
                }
            }
        }
    }
    out
}

/// A list written as a postcard sequence, element by element.
struct List<I>(std::cell::RefCell<Option<I>>, usize);

impl<I: Iterator<Item = T>, T: Serialize> Serialize for List<I> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.1))?;
        if let Some(items) = self.0.borrow_mut().take() {
            for item in items {
                seq.serialize_element(&item)?;
            }
        }
        seq.end()
    }
}

fn list<I: Iterator>(items: I, len: usize) -> List<I> {
    List(std::cell::RefCell::new(Some(items)), len)
}

/// The whole graph as the payload: three lists.
struct Payload<'g>(&'g HealthGraph);

impl Serialize for Payload<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let graph = self.0;
        let source_at = positions(graph.sources().map(|s| s.id.as_str()));
        let entity_at = positions(graph.entities().map(|e| e.id.as_str()));
        let order = relation_order(graph);
        let relation_at = positions(order.iter().map(|r| r.id.as_str()));
        let sources_of = |ids: &[SourceId]| -> Positions {
            ids.iter()
                .map(|s| source_at.get(s.as_str()).copied().unwrap_or(u32::MAX))
                .collect()
        };
        let entity = |id: &str| entity_at.get(id).copied().unwrap_or(u32::MAX);
        let mut tuple = serializer.serialize_tuple(3)?;
        tuple.serialize_element(&list(
            graph.sources().map(|s| SnapSource {
                id: s.id.as_str(),
                title: &s.title,
                publisher: s.publisher.as_deref(),
                author: s.author.as_deref(),
                published: SnapDate::from(s.published),
                language: &s.language,
                url: s.url.as_deref(),
                seed: s.seed.as_deref(),
                section: s.section.as_deref(),
                note: s.note.as_deref(),
            }),
            graph.source_count(),
        ))?;
        tuple.serialize_element(&list(
            graph.entities().map(|e| SnapEntity {
                id: e.id.as_str(),
                kind: term(EntityKind::ALL, e.kind),
                name: &e.name,
                name_en: e.name_en(),
                aliases: e.aliases().iter().map(String::as_str).collect(),
                former_names: e
                    .former_names()
                    .iter()
                    .map(|x| SnapFormerName {
                        name: x.name(),
                        start: x.period().start().map(SnapDate::from),
                        end: x.period().end().map(SnapDate::from),
                    })
                    .collect(),
                country: e.country.as_ref().map(Country::as_str),
                wikidata: e.wikidata(),
                ror: e.ror(),
                sources: sources_of(&e.sources),
                note: e.note(),
            }),
            graph.entity_count(),
        ))?;
        tuple.serialize_element(&list(
            order.iter().map(|r| SnapRelation {
                id: r.id.as_str(),
                kind: term(RelationKind::ALL, r.kind),
                from: entity(r.from.as_str()),
                to: entity(r.to.as_str()),
                // The relation's own statement; a preferred claim is among the claims.
                start: r.stated().0.start().map(SnapDate::from),
                end: r.stated().0.end().map(SnapDate::from),
                status: term(Status::ALL, r.stated().1),
                basis: term(Basis::ALL, r.basis),
                renews: r
                    .renews()
                    .map(|t| relation_at.get(t.as_str()).copied().unwrap_or(u32::MAX)),
                amends: r
                    .amends()
                    .map(|t| relation_at.get(t.as_str()).copied().unwrap_or(u32::MAX)),
                supersedes: r
                    .supersedes()
                    .map(|t| relation_at.get(t.as_str()).copied().unwrap_or(u32::MAX)),
                scope: r.scope().iter().map(String::as_str).collect(),
                people: r
                    .people()
                    .iter()
                    .map(|p| SnapPerson {
                        name: &p.name,
                        role: p.role.as_deref(),
                        organisation: p.organisation.as_ref().map(|o| entity(o.as_str())),
                    })
                    .collect(),
                figures: r
                    .figures()
                    .iter()
                    .map(|f| SnapFigure {
                        value: f.value,
                        unit: &f.unit,
                        qualifier: term(Qualifier::ALL, f.qualifier),
                    })
                    .collect(),
                claims: r
                    .claims()
                    .iter()
                    .map(|c| SnapClaim {
                        start: c.period.start().map(SnapDate::from),
                        end: c.period.end().map(SnapDate::from),
                        status: c.status.map_or(u8::MAX, |x| term(Status::ALL, x)),
                        rank: term(Rank::ALL, c.rank),
                        sources: sources_of(&c.sources),
                        note: c.note.as_deref(),
                    })
                    .collect(),
                sources: sources_of(&r.sources),
                note: r.note(),
            }),
            order.len(),
        ))?;
        tuple.end()
    }
}

/// Counts and checksums the bytes written through it.
struct Summing<'w> {
    inner: &'w mut dyn Write,
    crc: crc32fast::Hasher,
    len: u64,
}

impl Write for Summing<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        let written = buf.get(..n).unwrap_or(buf);
        self.crc.update(written);
        self.len += written.len() as u64;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// Writes `graph` as a snapshot to `out`, as a stream.
pub(crate) fn write(graph: &HealthGraph, out: &mut dyn Write) -> std::io::Result<()> {
    out.write_all(MAGIC)?;
    out.write_all(&VERSION.to_le_bytes())?;
    let mut summing = Summing {
        inner: out,
        crc: crc32fast::Hasher::new(),
        len: 0,
    };
    postcard::to_io(&Payload(graph), &mut summing)
        .map_err(|e| std::io::Error::other(format!("cannot encode the snapshot: {e}")))?;
    let (len, crc) = (summing.len, summing.crc.finalize());
    out.write_all(&len.to_le_bytes())?;
    out.write_all(&crc.to_le_bytes())?;
    out.write_all(END)?;
    out.flush()
}

/// A snapshot problem, for `what` (a file name, or "the snapshot").
fn refused(what: &str, why: impl fmt::Display) -> Error {
    Error::new(Rule::Snapshot, format!("cannot open {what}: {why}"))
}

fn u32_at(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
}

fn u64_at(bytes: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_le_bytes(bytes.get(at..at + 8)?.try_into().ok()?))
}

/// Reads a snapshot file on two threads, each into its half of one buffer.
/// Copying from the page cache into fresh pages costs CPU (a page fault and
/// a copy per page: 0.13 s for the 1M graph's 250 MB), which two threads
/// share. A file that is not as long as it was when the read began (it is
/// being written) is read again whole, so that nothing is read half-new.
pub(crate) fn read_file(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::{Read, Seek, SeekFrom};
    let mut file = File::open(path)?;
    let len = usize::try_from(file.metadata()?.len()).unwrap_or(usize::MAX);
    // Small files are not worth a thread.
    if len < 1 << 22 {
        return std::fs::read(path);
    }
    let mut bytes = vec![0; len];
    let half = len / 2;
    let (first, second) = bytes.split_at_mut(half);
    let read_second = |second: &mut [u8]| -> std::io::Result<bool> {
        let mut file = File::open(path)?;
        file.seek(SeekFrom::Start(half as u64))?;
        file.read_exact(second)?;
        // At its end, as it was when measured.
        Ok(file.read(&mut [0])? == 0)
    };
    let (whole, first_read) = std::thread::scope(|scope| {
        let second = scope.spawn(move || read_second(second));
        let first_read = file.read_exact(first);
        (second.join(), first_read)
    });
    match (whole, first_read) {
        (Ok(Ok(true)), Ok(())) => Ok(bytes),
        // It changed, or a read failed: once more, on one thread, as any
        // file is read (an error is then its own).
        _ => std::fs::read(path),
    }
}

/// Opens a snapshot from its bytes; `what` names it in messages.
pub(crate) fn read(bytes: &[u8], what: &str) -> Result<HealthGraph, Error> {
    // Fewer than three batches on their way: the inserting thread is about
    // to run out of work. At two (it is on its last one) it still waited
    // for the decoder a tenth of the relations' time at 1M (an eprintln
    // probe: 130-150 ms of 1.35 s, against 5-30 ms at three); whole
    // process, six alternated runs each: 1.97 s at two, 1.88 s at three,
    // 1.85 s at four.
    read_handing_over(bytes, what, 3)
}

/// Opens a snapshot, the decoder handing relations over to be made when
/// fewer than `below` batches are on their way (0: never; `usize::MAX`:
/// always).
fn read_handing_over(bytes: &[u8], what: &str, below: usize) -> Result<HealthGraph, Error> {
    let payload = payload(bytes).map_err(|why| refused(what, why))?;
    // One thread decodes the payload and makes checked values, this one
    // inserts them: the two halves overlap, and each keeps its own memory
    // hot (the values' ids on one side, the graph's indexes on the other).
    // Making is the longer half: when this thread is about to run out of
    // work, the decoder hands it relations to make as well.
    //
    // What making a relation needs, shared once the relations begin.
    let tables = &OnceLock::new();
    // Batches sent and not yet done with, so that the decoder can tell when
    // this thread is about to run out of work.
    let in_flight = &AtomicUsize::new(0);
    let (mut graph, given, inserting, decoding) = std::thread::scope(|scope| {
        let (to_graph, batches) = std::sync::mpsc::sync_channel::<Batch<'_>>(8);
        // Emptied batches go back to be filled again, so that no batch is
        // allocated on one thread and freed on the other.
        let (to_decoder, empties) = std::sync::mpsc::channel::<Vec<Item>>();
        let decoder = scope.spawn(move || {
            let shared = Shared {
                tables,
                in_flight,
                below,
            };
            decode(payload, to_graph, empties, shared)
        });
        let mut graph = HealthGraph::new();
        let mut given = Given::default();
        let mut problem = None;
        for batch in batches {
            let done = match batch {
                Batch::Made(mut items) => {
                    let done = items.chunks_mut(TOUCHED).try_for_each(|window| {
                        let ends = window.iter().filter_map(|item| match item {
                            Item::Relation(_, from, to, ..) => Some([*from, *to]),
                            _ => None,
                        });
                        touch_ends(&graph, ends);
                        window.iter_mut().try_for_each(|item| {
                            // Taken out, a no-op left in its place: the batch
                            // is emptied as a whole and sent back.
                            let item = std::mem::replace(item, Item::Reserve(List3::Sources, 0));
                            insert(&mut graph, item, &mut given)
                        })
                    });
                    items.clear();
                    // The decoder may have finished: then the batch is simply freed.
                    let _ = to_decoder.send(items);
                    done
                }
                Batch::Pending(pending) => match tables.get() {
                    Some(t) => make_batch(
                        t,
                        pending,
                        &mut Inserting {
                            graph: &mut graph,
                            given: &mut given,
                        },
                    ),
                    None => Err("relations came before what they need".to_owned()),
                },
            };
            in_flight.fetch_sub(1, AtomicOrdering::Relaxed);
            if let Err(p) = done {
                problem = Some(p);
                // Dropping the channel tells the decoder to stop.
                break;
            }
        }
        let decoding = decoder
            .join()
            .unwrap_or_else(|_| Err("the decoder stopped unexpectedly".to_owned()));
        (graph, given, problem, decoding)
    });
    // A problem found while inserting comes first: the decoder only stopped
    // because of it.
    if let Some(problem) = inserting {
        return Err(refused(
            what,
            format!("it holds an invalid graph: {problem}"),
        ));
    }
    let continuing = decoding.map_err(|why| refused(what, why))?;
    // Links and first-published days are known by number: building the
    // index looks nothing up by id.
    graph.index_given(given);
    // Relations are numbered in the order written: the id order follows
    // from where the continuing ones go among the others.
    graph.give_relation_order(continuing);
    Ok(graph)
}

/// The payload of a snapshot, after its magic, version, length and
/// checksum are found good.
fn payload(bytes: &[u8]) -> Result<&[u8], String> {
    if bytes.get(..MAGIC.len()) != Some(&MAGIC[..]) {
        return Err("it is not a healthgraph snapshot".into());
    }
    let Some(version) = u32_at(bytes, MAGIC.len()) else {
        return Err("it is truncated (no format version)".into());
    };
    if version != VERSION {
        return Err(format!(
            "it is in snapshot format version {version}, and this build reads version {VERSION}: write it again with this build from the data it was made from, or export it to RON with the build that wrote it"
        ));
    }
    let truncated = || "it is truncated (its end is missing)".to_owned();
    let trailer_at = bytes.len().checked_sub(TRAILER).filter(|&t| t >= HEADER);
    let Some(trailer_at) = trailer_at else {
        return Err(truncated());
    };
    if bytes.get(trailer_at + 12..) != Some(&END[..]) {
        return Err(truncated());
    }
    let (Some(len), Some(crc)) = (u64_at(bytes, trailer_at), u32_at(bytes, trailer_at + 8)) else {
        return Err(truncated());
    };
    let payload = bytes.get(HEADER..trailer_at).unwrap_or_default();
    if payload.len() as u64 != len {
        return Err(format!(
            "it is truncated or padded ({} bytes of content where it says {len})",
            payload.len()
        ));
    }
    if crc32fast::hash(payload) != crc {
        return Err(
            "its checksum does not match its content (the file is corrupted or was edited)".into(),
        );
    }
    Ok(payload)
}

/// A checked value on its way into the graph.
enum Item {
    Source(Source),
    /// An entity, the node number it must get, and the first day any of
    /// its sources was published.
    Entity(Entity, usize, i32),
    /// A relation, its ends, the positions of what it renews, amends and
    /// supersedes (relation numbers, as relations are numbered in the order
    /// written), and what the query index keeps of it: its hot fields and
    /// sure days, made while it is in cache.
    Relation(Relation, Node, Node, [Option<u32>; 3], Hot, (i32, i32)),
    /// Room for this many entities or relations (as many as the list says,
    /// capped by what the payload could hold, so that a forged count cannot
    /// exhaust memory before anything is read).
    Reserve(List3, usize),
}

/// Where relations go once made.
trait Receive {
    /// The relations about to be made.
    fn ahead(&mut self, _pending: &[Pending<'_>]) {}

    /// A relation made.
    fn receive(&mut self, item: Item) -> Result<(), String>;
}

/// The inserting thread making relations itself: it reads the nodes at
/// the ends of each window of relations before they are made.
struct Inserting<'a> {
    graph: &'a mut HealthGraph,
    given: &'a mut Given,
}

impl Receive for Inserting<'_> {
    fn ahead(&mut self, pending: &[Pending<'_>]) {
        let ends = pending
            .iter()
            .map(|p| [p.relation.from, p.relation.to].map(Node::from_index));
        touch_ends(self.graph, ends);
    }

    fn receive(&mut self, item: Item) -> Result<(), String> {
        insert(self.graph, item, self.given)
    }
}

impl Receive for Maker<'_, '_> {
    fn receive(&mut self, item: Item) -> Result<(), String> {
        self.send(item)
    }
}

/// Reads the nodes at the ends of `items`' relations, so that the cache
/// misses of linking each relation to its ends overlap instead of coming one
/// after another.
fn touch_ends(graph: &HealthGraph, ends: impl Iterator<Item = [Node; 2]>) {
    let present = ends.flatten().filter(|&n| graph.has_node(n)).count();
    std::hint::black_box(present);
}

/// What travels from the decoder to the inserting thread, in order.
enum Batch<'p> {
    /// Checked values.
    Made(Vec<Item>),
    /// Relations for the inserting thread to make itself.
    Pending(Vec<Pending<'p>>),
}

/// A relation decoded, not yet made.
struct Pending<'p> {
    relation: SnapRelation<'p>,
    /// The position and id of what it renews, amends and supersedes,
    /// filled in once its place in the order is checked.
    targets: [Option<(u32, &'p str)>; 3],
}

/// What the decoder has read before the relations and making a relation
/// needs: read-only once the relations begin, and then shared.
#[derive(Default)]
struct Tables {
    sources: Vec<SourceId>,
    /// The days each source's publication date can mean, packed as the
    /// query index is given them.
    published: Vec<i32>,
    ids: Vec<EntityId>,
    kinds: Vec<EntityKind>,
}

/// What the two threads share.
#[derive(Clone, Copy)]
struct Shared<'t> {
    tables: &'t OnceLock<Tables>,
    in_flight: &'t AtomicUsize,
    /// Hand relations over when fewer batches than this are on their way.
    below: usize,
}

/// How many relations are read ahead of being made or inserted. A window
/// rather than the whole batch: what a batch of 1,024 relations touches in
/// the 1M graph's tables spans more pages than the TLB holds, so by the time
/// a relation was made its lines had to be found again. Measured on the 1M
/// snapshot (`path`, whole process, alternated runs): windows of 64 took 9%
/// less time than the whole batch.
const TOUCHED: usize = 64;

/// How many values travel together.
const BATCH: usize = 1024;

/// Inserts one value; a problem if its id is taken, or if a renewal does
/// not renew what the rules allow.
fn insert(graph: &mut HealthGraph, item: Item, given: &mut Given) -> Result<(), String> {
    match item {
        Item::Source(source) => graph.insert_source(source).map_err(|e| text(&e)),
        Item::Entity(entity, expected, known) => {
            let id = entity.id.clone();
            match graph.push_entity(entity) {
                Some(node) if node.index() == expected => {
                    given.entity_known.push(known);
                    Ok(())
                }
                Some(_) => Err(format!("entity `{id}` is not where it should be")),
                None => Err(format!("duplicate entity id `{id}`")),
            }
        }
        Item::Reserve(list, n) => {
            match list {
                List3::Entities => {
                    graph.reserve_entities(n);
                    given.entity_known.reserve(n);
                }
                List3::Relations => {
                    graph.reserve_unindexed(n);
                    given.relation_hot.reserve(n);
                    given.relation_sure.reserve(n);
                }
                List3::Sources => {}
            }
            Ok(())
        }
        Item::Relation(relation, from, to, [renews, amends, supersedes], hot, sure) => {
            let targets = [
                (Link::Renews, renews),
                (Link::Amends, amends),
                (Link::Supersedes, supersedes),
            ];
            let targets = targets.into_iter().filter_map(|(l, p)| Some((l, p?)));
            for (link, position) in targets.clone() {
                let Some(target) = graph.relation_at(position) else {
                    return Err(format!(
                        "relation `{}` {link} what is not there",
                        relation.id
                    ));
                };
                let mut found = Vec::new();
                let facts = RelationFacts::of(&relation);
                match link {
                    Link::Renews => rules::renews(&facts, target, &mut found),
                    Link::Amends => {
                        rules::continues(&facts, rules::Field::Amends, target, &mut found)
                    }
                    _ => rules::continues(&facts, rules::Field::Supersedes, target, &mut found),
                }
                first(found)?;
            }
            let number = graph.push_relation_unindexed(relation, from, to) as u32;
            given
                .links
                .extend(targets.map(|(link, position)| (position, number, link)));
            given.relation_hot.push(hot);
            given.relation_sure.push(sure);
            Ok(())
        }
    }
}

/// Decodes the payload into checked values, sent to `to_graph` in batches.
fn decode<'p>(
    payload: &'p [u8],
    to_graph: std::sync::mpsc::SyncSender<Batch<'p>>,
    empties: std::sync::mpsc::Receiver<Vec<Item>>,
    shared: Shared<'_>,
) -> Result<Vec<(u32, u32)>, String> {
    let mut maker = Maker {
        to_graph,
        empties,
        shared,
        batch: Vec::with_capacity(BATCH),
        tables: Tables::default(),
        written: WrittenOrder::default(),
        problem: None,
        payload_len: payload.len(),
    };
    let mut de = postcard::Deserializer::from_bytes(payload);
    let decoded = PayloadSeed(&mut maker).deserialize(&mut de);
    if let Some(problem) = maker.problem.take() {
        return Err(format!("it holds an invalid graph: {problem}"));
    }
    decoded.map_err(|e| format!("its content does not decode ({e})"))?;
    if !de.finalize().is_ok_and(<[u8]>::is_empty) {
        return Err("its content has bytes after the graph".into());
    }
    let places = maker
        .written
        .continuing_places()
        .map_err(|problem| format!("it holds an invalid graph: {problem}"))?;
    maker.flush();
    Ok(places)
}

/// Makes checked values from what is decoded.
struct Maker<'p, 't> {
    to_graph: std::sync::mpsc::SyncSender<Batch<'p>>,
    /// Batches the inserting side has emptied.
    empties: std::sync::mpsc::Receiver<Vec<Item>>,
    shared: Shared<'t>,
    batch: Vec<Item>,
    /// The tables while sources and entities are read (then shared).
    tables: Tables,
    /// Relation ids in the order written (renewals name their target by it).
    written: WrittenOrder<'p>,
    problem: Option<String>,
    /// The payload's length in bytes.
    payload_len: usize,
}

/// The `i`th of `items`, or a problem naming what it is.
fn nth<'a, T>(items: &'a [T], i: u32, what: &str) -> Result<&'a T, String> {
    usize::try_from(i)
        .ok()
        .and_then(|i| items.get(i))
        .ok_or_else(|| format!("{what} #{i} does not exist"))
}

/// A vocabulary term from its position.
fn word<T: Copy>(all: &[T], i: u8, what: &str) -> Result<T, String> {
    all.get(usize::from(i))
        .copied()
        .ok_or_else(|| format!("{what} #{i} is not in the vocabulary"))
}

fn text(e: &Error) -> String {
    e.problems()
        .first()
        .map_or_else(|| e.to_string(), |p| p.message().to_owned())
}

fn first(found: Vec<(rules::Field, Problem)>) -> Result<(), String> {
    match found.into_iter().next() {
        Some((_, p)) => Err(p.message().to_owned()),
        None => Ok(()),
    }
}

impl<'p> Maker<'p, '_> {
    /// Sends a value; `false` once the inserting side has stopped.
    fn send(&mut self, item: Item) -> Result<(), String> {
        self.batch.push(item);
        if self.batch.len() == BATCH {
            let empty = self
                .empties
                .try_recv()
                .unwrap_or_else(|_| Vec::with_capacity(BATCH));
            let full = std::mem::replace(&mut self.batch, empty);
            self.pass(Batch::Made(full))?;
        }
        Ok(())
    }

    /// Sends a batch; a problem once the inserting side has stopped.
    fn pass(&mut self, batch: Batch<'p>) -> Result<(), String> {
        self.shared.in_flight.fetch_add(1, AtomicOrdering::Relaxed);
        self.to_graph.send(batch).map_err(|_| "stopped".to_owned())
    }

    fn flush(&mut self) {
        let rest = std::mem::take(&mut self.batch);
        if !rest.is_empty() {
            let _ = self.pass(Batch::Made(rest));
        }
    }

    fn source(&mut self, s: SnapSource<'_>) -> Result<(), String> {
        let id = SourceId::new(s.id).map_err(|e| text(&e))?;
        let published = s.published.date()?;
        let source =
            Source::new(id.clone(), s.title, published, s.language).map_err(|e| text(&e))?;
        let owned = |t: Option<&str>| t.map(str::to_owned);
        self.tables.sources.push(id);
        self.tables
            .published
            .push(pack_days(crate::index::dates::day_span(published)));
        self.send(Item::Source(Source {
            publisher: owned(s.publisher),
            author: owned(s.author),
            url: owned(s.url),
            seed: owned(s.seed),
            section: owned(s.section),
            note: owned(s.note),
            ..source
        }))
    }

    fn entity(&mut self, e: SnapEntity<'_>) -> Result<(), String> {
        let id = EntityId::new(e.id).map_err(|x| text(&x))?;
        let kind = word(EntityKind::ALL, e.kind, "entity kind")?;
        let country = e
            .country
            .map(Country::new)
            .transpose()
            .map_err(|x| text(&x))?;
        if let Some(qid) = e.wikidata {
            check_wikidata(qid).map_err(|x| text(&x))?;
        }
        if let Some(ror) = e.ror {
            check_ror(ror).map_err(|x| text(&x))?;
        }
        let sources = cited(&self.tables, &e.sources)?;
        let mut found = Vec::new();
        rules::entity_alone(
            &EntityFacts {
                id: e.id,
                name: Some(e.name),
                sources: Cited::All(&sources),
            },
            &mut found,
        );
        first(found)?;
        let mut former_names = Vec::with_capacity(e.former_names.len());
        for x in e.former_names {
            let period = Period::new(date(x.start)?, date(x.end)?).map_err(|x| text(&x))?;
            if x.name.trim().is_empty() {
                return Err(format!("entity `{}` has an empty former name", e.id));
            }
            former_names.push(FormerName::new(x.name, period));
        }
        let details = EntityDetails {
            name_en: e.name_en.map(str::to_owned),
            aliases: e.aliases.into_iter().map(str::to_owned).collect(),
            former_names,
            wikidata: e.wikidata.map(str::to_owned),
            ror: e.ror.map(str::to_owned),
            note: e.note.map(str::to_owned),
        };
        let node = self.tables.ids.len();
        let (known, _) = unpack_days(first_published(&self.tables, &e.sources));
        self.tables.ids.push(id.clone());
        self.tables.kinds.push(kind);
        self.send(Item::Entity(
            Entity {
                id,
                kind,
                country,
                name: e.name.into(),
                sources,
                details: (details != EntityDetails::default()).then(|| Box::new(details)),
            },
            node,
            known,
        ))
    }

    /// Takes a batch of decoded relations: checks their order, finds what
    /// they continue, and makes them, unless the inserting thread is about
    /// to run out of work: then it makes them.
    fn relations_batch(&mut self, batch: &mut Vec<Pending<'p>>) -> Result<(), String> {
        if self.shared.tables.get().is_none() {
            // The relations begin: the tables are complete.
            let _ = self.shared.tables.set(std::mem::take(&mut self.tables));
        }
        for p in batch.iter_mut() {
            let r = &p.relation;
            let linked = r.renews.is_some() || r.amends.is_some() || r.supersedes.is_some();
            self.written.check(r.id, linked)?;
            let targets = &mut p.targets;
            for (slot, position) in targets.iter_mut().zip([r.renews, r.amends, r.supersedes]) {
                if let Some(i) = position {
                    // Relations come after what they continue: a position at
                    // or after this one does not exist yet, and is refused,
                    // so no cycle can be written.
                    *slot = Some((i, *nth(&self.written.ids, i, "relation")?));
                }
            }
            self.written.ids.push(r.id);
        }
        // Decoded in place, handed on whole.
        let pending = std::mem::replace(batch, Vec::with_capacity(BATCH));
        if self.shared.in_flight.load(AtomicOrdering::Relaxed) < self.shared.below {
            let made = std::mem::take(&mut self.batch);
            if !made.is_empty() {
                self.pass(Batch::Made(made))?;
            }
            return self.pass(Batch::Pending(pending));
        }
        let tables = self.shared.tables;
        let tables = tables.get().ok_or("the tables are missing")?;
        make_batch(tables, pending, self)
    }
}

/// The relation ids of a snapshot in the order they are written: those
/// that continue none in id order, then the others, each after what it
/// continues. Checking each id as it comes proves the ids distinct without
/// a map of them.
#[derive(Default)]
struct WrittenOrder<'p> {
    ids: Vec<&'p str>,
    /// The position of the first relation that continues another: those
    /// before it are in id order, those from it each continue one.
    linked_from: Option<usize>,
}

impl<'p> WrittenOrder<'p> {
    /// Checks that relation `id` may come next in the order relations are
    /// written (those that continue none in id order, then the others),
    /// which makes the ids before it distinct from it; the others are
    /// checked at the end by [`WrittenOrder::continuing_places`].
    fn check(&mut self, id: &'p str, linked: bool) -> Result<(), String> {
        match (linked, self.linked_from) {
            (true, None) => self.linked_from = Some(self.ids.len()),
            (true, Some(_)) => {}
            (false, Some(_)) => {
                return Err(format!(
                    "relation `{id}` continues none but comes after those that do (not the order a snapshot is written in)"
                ));
            }
            (false, None) => match self.ids.last().map(|last| (*last).cmp(id)) {
                None | Some(Ordering::Less) => {}
                Some(Ordering::Equal) => return Err(format!("duplicate relation id `{id}`")),
                Some(Ordering::Greater) => {
                    return Err(format!(
                        "relation `{id}` is out of id order (not the order a snapshot is written in)"
                    ));
                }
            },
        }
        Ok(())
    }

    /// Where each relation that continues another goes in id order: before
    /// the relation at that place among those that continue none; as
    /// (place, position written), places ascending, ties in id order. Also
    /// checks that their ids are distinct from each other and from those
    /// before them (which are in id order). The continuing ones are sorted,
    /// then merged with the others: O(m + c log c) for c continuing
    /// relations, reading the ids in order. (A binary search for each took
    /// 0.2 s at 1M, a cache miss per step.)
    fn continuing_places(&self) -> Result<Vec<(u32, u32)>, String> {
        let Some((sorted, linked)) = self
            .linked_from
            .and_then(|at| Some((self.ids.get(..at)?, self.ids.get(at..)?.iter().zip(at..))))
        else {
            return Ok(Vec::new());
        };
        let mut linked: Vec<(&str, usize)> = linked.map(|(&id, written)| (id, written)).collect();
        linked.sort_unstable();
        let duplicate = |id: &str| Err(format!("duplicate relation id `{id}`"));
        if let Some(pair) = linked
            .windows(2)
            .find(|w| w.first().map(|p| p.0) == w.last().map(|p| p.0))
        {
            return duplicate(pair.first().map(|p| p.0).unwrap_or_default());
        }
        let mut place = 0;
        let mut places = Vec::with_capacity(linked.len());
        for (id, written) in linked {
            while sorted.get(place).is_some_and(|&s| s < id) {
                place += 1;
            }
            if sorted.get(place) == Some(&id) {
                return duplicate(id);
            }
            places.push((place as u32, written as u32));
        }
        Ok(places)
    }
}

/// Makes a batch of relations, a window of [`TOUCHED`] at a time. What they
/// share with the graph (their ends' ids and kinds, their sources' ids and
/// publication days) lies all over the tables; one pass over the window reads
/// a byte of each first, so that the misses overlap instead of coming one
/// after another as each relation is made.
fn make_batch(t: &Tables, batch: Vec<Pending<'_>>, out: &mut dyn Receive) -> Result<(), String> {
    let first_byte = |id: Option<&str>| id.and_then(|s| s.as_bytes().first().copied());
    let mut pending = batch.into_iter();
    while !pending.as_slice().is_empty() {
        let ahead = pending
            .as_slice()
            .get(..TOUCHED)
            .unwrap_or(pending.as_slice());
        out.ahead(ahead);
        let mut touched = 0u8;
        for p in ahead {
            let r = &p.relation;
            for i in [r.from, r.to].map(|i| i as usize) {
                let id = t.ids.get(i).map(EntityId::as_str);
                let kind = t.kinds.get(i).map_or(0, |&k| k as u8);
                touched = touched.wrapping_add(first_byte(id).unwrap_or(0) ^ kind);
            }
            for s in r.sources.iter().map(|&s| s as usize) {
                let id = t.sources.get(s).map(SourceId::as_str);
                let day = t.published.get(s).map_or(0, |&d| d as u8);
                touched = touched.wrapping_add(first_byte(id).unwrap_or(0) ^ day);
            }
        }
        std::hint::black_box(touched);
        for p in pending.by_ref().take(TOUCHED) {
            out.receive(make_relation(t, p)?)?;
        }
    }
    Ok(())
}

/// The earliest publication date among the sources at `positions`, its
/// days packed (`OPEN_HI` for none), as the query index is given them.
fn first_published(t: &Tables, positions: &[u32]) -> i32 {
    positions
        .iter()
        .filter_map(|&i| t.published.get(i as usize).copied())
        .min()
        .unwrap_or(OPEN_HI)
}

/// The sources at `positions`, as ids.
fn cited(t: &Tables, positions: &[u32]) -> Result<Vec<SourceId>, String> {
    // Exactly as long as it will stay: collecting through a `Result`
    // would start at four and shrink, a reallocation per record.
    let mut cited = Vec::with_capacity(positions.len());
    for &i in positions {
        cited.push(nth(&t.sources, i, "source")?.clone());
    }
    Ok(cited)
}

/// Makes one relation, checked.
fn make_relation(t: &Tables, p: Pending<'_>) -> Result<Item, String> {
    let Pending {
        relation: r,
        targets,
    } = p;
    // Every field named, none skipped with `..`: a field added to the
    // record fails to compile here until it is made (and counted in
    // `described` below if it belongs in the details).
    let SnapRelation {
        id: raw_id,
        kind,
        from,
        to,
        start,
        end,
        status,
        basis,
        // Found as `targets` when the batch was decoded.
        renews: _,
        amends: _,
        supersedes: _,
        scope,
        people,
        figures,
        claims,
        sources,
        note,
    } = r;
    let id = RelationId::new(raw_id).map_err(|x| text(&x))?;
    let kind = word(RelationKind::ALL, kind, "relation kind")?;
    let from_id = nth(&t.ids, from, "entity")?.clone();
    let to_id = nth(&t.ids, to, "entity")?.clone();
    let (from_kind, to_kind) = (
        *nth(&t.kinds, from, "entity")?,
        *nth(&t.kinds, to, "entity")?,
    );
    let mut found = Vec::new();
    rules::endpoint_kinds(
        raw_id,
        kind,
        (&from_id, from_kind),
        (&to_id, to_kind),
        &mut found,
    );
    first(found)?;
    let (start, end) = (date(start)?, date(end)?);
    let [renews, amends, supersedes] =
        targets.map(|t| t.map(|(_, id)| RelationId::new(id).map_err(|x| text(&x))));
    // Made in place: a relation is moved whole as few times as can be.
    let mut relation = Relation {
        status: word(Status::ALL, status, "status")?,
        basis: word(Basis::ALL, basis, "basis")?,
        sources: cited(t, &sources)?.into(),
        ..Relation::bare(id, kind, from_id, to_id)
    };
    let described = renews.is_some()
        || amends.is_some()
        || supersedes.is_some()
        || !scope.is_empty()
        || !people.is_empty()
        || !figures.is_empty()
        || !claims.is_empty()
        || note.is_some();
    if described {
        relation.details = Some(Box::new(Details {
            renews: renews.transpose()?,
            amends: amends.transpose()?,
            supersedes: supersedes.transpose()?,
            ..details(t, scope, people, figures, claims, note)?
        }));
    }
    let relation = relation.settle(start, end);
    first(relation.check_alone(start, end))?;
    let (from, to) = (Node::from_index(from), Node::from_index(to));
    let positions = targets.map(|t| t.map(|(position, _)| position));
    let hot = Hot::of(&relation, unpack_days(first_published(t, &sources)));
    let sure = sure_days(&relation);
    Ok(Item::Relation(relation, from, to, positions, hot, sure))
}

/// A relation's descriptive fields, checked (no links: the caller knows them).
fn details(
    t: &Tables,
    scope: Vec<&str>,
    people: Vec<SnapPerson<'_>>,
    figures: Vec<SnapFigure<'_>>,
    claims: Vec<SnapClaim<'_>>,
    note: Option<&str>,
) -> Result<Details, String> {
    let mut d = Details {
        scope: scope.into_iter().map(str::to_owned).collect(),
        note: note.map(str::to_owned),
        ..Details::default()
    };
    for p in people {
        let mut person = Person::new(p.name);
        person.role = p.role.map(str::to_owned);
        person.organisation = match p.organisation {
            Some(i) => Some(nth(&t.ids, i, "entity")?.clone()),
            None => None,
        };
        d.people.push(person);
    }
    for f in figures {
        d.figures.push(Figure {
            value: f.value,
            unit: f.unit.to_owned(),
            qualifier: word(Qualifier::ALL, f.qualifier, "qualifier")?,
        });
    }
    for c in claims {
        let period = Period::new(date(c.start)?, date(c.end)?).map_err(|x| text(&x))?;
        let status = match c.status {
            u8::MAX => None,
            i => Some(word(Status::ALL, i, "status")?),
        };
        let mut claim = Claim::new(period, status, cited(t, &c.sources)?).with_rank(word(
            Rank::ALL,
            c.rank,
            "rank",
        )?);
        if let Some(note) = c.note {
            claim = claim.with_note(note);
        }
        d.claims.push(claim);
    }
    Ok(d)
}

/// Decodes the payload into the maker.
struct PayloadSeed<'b, 'p, 't>(&'b mut Maker<'p, 't>);

impl<'de> DeserializeSeed<'de> for PayloadSeed<'_, 'de, '_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_tuple(3, self)
    }
}

impl<'de> Visitor<'de> for PayloadSeed<'_, 'de, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("sources, entities and relations")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        for list in [List3::Sources, List3::Entities, List3::Relations] {
            seq.next_element_seed(ListSeed(&mut *self.0, list))?
                .ok_or_else(|| de::Error::custom("a list is missing"))?;
        }
        Ok(())
    }
}

#[derive(Clone, Copy)]
enum List3 {
    Sources,
    Entities,
    Relations,
}

struct ListSeed<'b, 'p, 't>(&'b mut Maker<'p, 't>, List3);

impl<'de> DeserializeSeed<'de> for ListSeed<'_, 'de, '_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for ListSeed<'_, 'de, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of records")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let m = self.0;
        // A record takes at least four bytes of the payload, so a forged
        // count cannot make room for more than the file could hold.
        let most = m.payload_len / 4;
        if let Some(n) = seq.size_hint().map(|n| n.min(most)) {
            // Growing one step at a time would copy (and rehash) each
            // table about twice over.
            match self.1 {
                List3::Entities => {
                    m.tables.ids.reserve(n);
                    m.tables.kinds.reserve(n);
                }
                List3::Relations => m.written.ids.reserve(n),
                List3::Sources => {}
            }
            m.send(Item::Reserve(self.1, n))
                .map_err(de::Error::custom)?;
        }
        // Relations are made a batch at a time (see `relations_batch`).
        let mut batch = Vec::new();
        loop {
            let step = match self.1 {
                List3::Sources => seq.next_element::<SnapSource<'de>>()?.map(|s| m.source(s)),
                List3::Entities => seq.next_element::<SnapEntity<'de>>()?.map(|e| m.entity(e)),
                List3::Relations => {
                    while batch.len() < BATCH {
                        match seq.next_element::<SnapRelation<'de>>()? {
                            Some(relation) => batch.push(Pending {
                                relation,
                                targets: [None; 3],
                            }),
                            None => break,
                        }
                    }
                    if batch.is_empty() {
                        None
                    } else {
                        Some(m.relations_batch(&mut batch))
                    }
                }
            };
            match step {
                None => return Ok(()),
                Some(Ok(())) => {}
                Some(Err(problem)) => {
                    m.problem = Some(problem);
                    return Err(de::Error::custom("invalid graph"));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file large enough to be read on two threads comes back byte for
    /// byte, an odd length included.
    #[test]
    fn a_large_file_is_read_whole_on_two_threads() {
        let len = (1 << 22) + 3;
        let bytes: Vec<u8> = (0..len).map(|i| (i * 7 % 251) as u8).collect();
        let mut file = tempfile::NamedTempFile::new().unwrap();
        file.write_all(&bytes).unwrap();
        assert_eq!(read_file(file.path()).unwrap(), bytes);
        let missing = file.path().with_extension("missing");
        assert!(read_file(&missing).is_err());
    }

    /// Positions are written as a plain list of numbers, and read back the
    /// same whether they fit in place or not.
    #[test]
    fn positions_read_back_as_written_in_place_or_not() {
        for n in [0u32, 1, 4, 5, 9] {
            let list: Vec<u32> = (0..n).map(|i| i * 1000).collect();
            let positions: Positions = list.iter().copied().collect();
            assert_eq!(&*positions, list.as_slice());
            let bytes = postcard::to_allocvec(&positions).unwrap();
            assert_eq!(bytes, postcard::to_allocvec(&list).unwrap());
            let back: Positions = postcard::from_bytes(&bytes).unwrap();
            assert_eq!(&*back, list.as_slice());
        }
    }

    /// The written order is checked as ids come: those that continue none
    /// in strictly ascending id order, then only those that continue
    /// another, whose ids are distinct from each other and from all before.
    #[test]
    fn the_written_order_of_relation_ids_is_checked() {
        let order = |ids: &[(&'static str, bool)]| -> Result<(), String> {
            let mut written = WrittenOrder::default();
            for &(id, linked) in ids {
                written.check(id, linked)?;
                written.ids.push(id);
            }
            written.continuing_places().map(|_| ())
        };
        assert_eq!(
            order(&[("a", false), ("b", false), ("c", true), ("d", true)]),
            Ok(())
        );
        // Those that continue another may come in any order of id.
        assert_eq!(order(&[("b", false), ("d", true), ("a0", true)]), Ok(()));
        let err = order(&[("a", false), ("c", true), ("b", false)]).unwrap_err();
        assert!(
            err.contains("relation `b` continues none but comes after those that do"),
            "{err}"
        );
        let err = order(&[("a", false), ("a", false)]).unwrap_err();
        assert!(err.contains("duplicate relation id `a`"), "{err}");
        let err = order(&[("b", false), ("a", false)]).unwrap_err();
        assert!(err.contains("relation `a` is out of id order"), "{err}");
        // A continuing relation given the id of one before it, or of another
        // continuing one.
        let err = order(&[("a", false), ("b", false), ("a", true)]).unwrap_err();
        assert!(err.contains("duplicate relation id `a`"), "{err}");
        let err = order(&[("a", false), ("c", true), ("c", true)]).unwrap_err();
        assert!(err.contains("duplicate relation id `c`"), "{err}");
        // Where the continuing ones go among the others: (place, written).
        let mut written = WrittenOrder::default();
        for (id, linked) in [
            ("b", false),
            ("d", false),
            ("c", true),
            ("a", true),
            ("e", true),
        ] {
            written.check(id, linked).unwrap();
            written.ids.push(id);
        }
        assert_eq!(
            written.continuing_places(),
            Ok(vec![(0, 3), (1, 2), (2, 4)])
        );
    }

    /// Relations made by the decoder, by the inserting thread, or by either
    /// as it goes give the same graph: a graph of several batches of
    /// relations, some continuing others.
    #[test]
    fn either_thread_makes_the_same_graph() {
        // Three sources published on different days, cited in turn.
        let mut text = String::from("#![enable(implicit_some)]\n(sources: [");
        for (id, day) in [("s", "2020"), ("s1", "2016-05"), ("s2", "2018-01-02")] {
            text +=
                &format!("(id: \"{id}\", title: \"T\", published: \"{day}\", language: \"en\"),");
        }
        text += "], entities: [";
        let cited = |i: usize| ["\"s\"", "\"s1\", \"s\"", "\"s2\""][i % 3];
        for i in 0..200 {
            let sources = cited(i);
            text += &format!(
                "(id: \"h{i:03}\", kind: \"hospital\", name: \"H\", sources: [{sources}]),"
            );
        }
        text += "], relations: [";
        for i in 0..3000 {
            let (a, b) = (i % 200, (i * 7 + 1) % 200);
            if a == b {
                continue;
            }
            let sources = cited(i + 1);
            text += &format!(
                "(id: \"r{i:04}\", kind: \"mou\", from: \"h{a:03}\", to: \"h{b:03}\", start: \"2015\", status: \"signed\", basis: \"stated\", sources: [{sources}]),"
            );
            if i % 10 == 0 {
                text += &format!(
                    "(id: \"r{i:04}-renewal\", kind: \"renewal\", from: \"h{a:03}\", to: \"h{b:03}\", start: \"2020\", status: \"signed\", basis: \"stated\", renews: \"r{i:04}\", sources: [\"s\"]),"
                );
            }
        }
        text += "])";
        let graph = HealthGraph::from_ron_str(&text).unwrap();
        assert!(graph.relation_count() > 3 * BATCH);
        let mut bytes = Vec::new();
        graph.write_snapshot(&mut bytes).unwrap();
        for below in [0, 2, usize::MAX] {
            let again = read_handing_over(&bytes, "it", below).unwrap();
            assert!(again == graph, "{below}");
            let renewed = again.continued_by("r0010");
            assert_eq!(renewed.len(), 1, "{below}");
            // The index built from what the snapshot gave by number is the
            // one found by ids.
            let found = crate::index::Adjacency::build(&again);
            assert_eq!(format!("{:?}", again.adjacency()), format!("{found:?}"));
        }
    }
}
