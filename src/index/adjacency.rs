//! The read-optimised query index: compressed sparse rows of incidences
//! with the fields filters test in compact arrays, built from the graph's
//! storage after loading or on the first query after a change.

use std::collections::HashMap;
use std::ops::Range;

use crate::graph::{Hasher, HealthGraph};
use crate::index::both;
use crate::model::date::{Date, Precision};
use crate::model::id::SourceId;
use crate::model::relation::{Link, Relation};

/// Unknown bounds in the hot arrays: open on that side.
pub(crate) const OPEN_LO: i32 = i32::MIN;
pub(crate) const OPEN_HI: i32 = i32::MAX;

/// A publication date's days as one number, for tables of millions: the
/// first day times 512 plus the days from the first to the last (a date
/// spans at most a year), so that the least number is the earliest date,
/// the more precise first, as
/// [`day_span`](crate::index::dates::day_span) orders them, in a
/// table no larger than one of first days. `OPEN_HI` packs none.
pub(crate) fn pack_days((first, last): (i32, i32)) -> i32 {
    if first == OPEN_HI {
        return OPEN_HI;
    }
    // Day numbers of the years 0000..=9999 times 512 stay within an i32.
    first
        .saturating_mul(512)
        .saturating_add(last.saturating_sub(first).clamp(0, 511))
}

/// The first and last day packed by [`pack_days`].
pub(crate) fn unpack_days(packed: i32) -> (i32, i32) {
    if packed == OPEN_HI {
        return (OPEN_HI, OPEN_HI);
    }
    let first = packed.div_euclid(512);
    (first, first + packed.rem_euclid(512))
}

/// A compressed-sparse-row adjacency with the fields filters test most in
/// compact arrays, so that a traversal reads a few contiguous arrays and
/// touches a relation only when it passes.
///
/// Incidences of node `v` are `incidences[offsets[v]..offsets[v + 1]]`:
/// the other node, and the relation's number with its direction (the top
/// bit set when `v` is the relation's `from`). Per relation, in one record:
/// kind, status, the first day of its start and last day of its end (open
/// bounds as `OPEN_LO`, `OPEN_HI`) and the first day its earliest source was
/// published. Per node: kind, country and first-published day.
#[derive(Debug, Clone, Default)]
pub(crate) struct Adjacency {
    offsets: Vec<u32>,
    /// (other node, relation number with the direction bit) per incidence.
    incidences: Vec<[u32; 2]>,
    /// The hot fields of each relation, together: a step reads all of them,
    /// so one record costs one cache line where five arrays would cost five.
    pub(crate) hot: Vec<Hot>,
    pub(crate) node_kind: Vec<u8>,
    pub(crate) node_country: Vec<u16>,
    pub(crate) node_known: Vec<i32>,
    pub(crate) node_present: Vec<bool>,
    /// The days each relation surely holds (`Period::sure_days`), or an
    /// empty span; read only by a filter that asks for them.
    pub(crate) sure: Vec<(i32, i32)>,
    /// What continues each relation (renews, amends or supersedes it), as
    /// CSR over relation numbers: the continuing relation and the link.
    link_offsets: Vec<u32>,
    links: Vec<(u32, Link)>,
}

const OUTGOING: u32 = 1 << 31;

/// What the relation half of the build gives: the hot fields, the sure
/// days, and the renewals as CSR.
type RelationHalf = (Vec<Hot>, Vec<(i32, i32)>, Vec<u32>, Vec<(u32, Link)>);

/// What the node half of the build gives: the incidences as CSR (offsets,
/// then other end and relation number), and per node its kind, country,
/// first-published day and presence.
type NodeHalf = (
    Vec<u32>,
    Vec<[u32; 2]>,
    Vec<u8>,
    Vec<u16>,
    Vec<i32>,
    Vec<bool>,
);

/// The fields of a relation that filters test, in 16 bytes.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Hot {
    pub(crate) lo: i32,
    pub(crate) hi: i32,
    pub(crate) known: i32,
    /// In the low 14 bits, how many days after `known` the earliest
    /// publication date can still mean (0 for a day, or when none is
    /// known): the date index reads each relation's first report here,
    /// without its sources. In the top two, the start's precision
    /// ([`START_DAY`], [`START_MONTH`], [`START_YEAR`]): listing a view's
    /// dated steps reads each start here, without the relation. Held in
    /// what would be padding, so that the record stays 16 bytes.
    widths: u16,
    pub(crate) kind: u8,
    pub(crate) status: u8,
}

// One record a relation, read by every filtered step: kept at 16 bytes.
const _: () = assert!(std::mem::size_of::<Hot>() == 16);

/// The precision of a start, in [`Hot`]'s top two bits of widths.
const START_DAY: u16 = 0;
const START_MONTH: u16 = 1 << 14;
const START_YEAR: u16 = 2 << 14;
const KNOWN_WIDTH: u16 = (1 << 14) - 1;

impl Hot {
    /// The hot fields of relation `r`, the earliest publication date of its
    /// sources meaning the days `known..=known_last` (`OPEN_HI` for both
    /// when none is known).
    pub(crate) fn of(r: &Relation, (known, known_last): (i32, i32)) -> Hot {
        // A date spans at most a year.
        let known_width = u16::try_from(known_last.saturating_sub(known))
            .unwrap_or(0)
            .min(KNOWN_WIDTH);
        let start = match r.start().map(Date::precision) {
            Some(Precision::Month) => START_MONTH,
            Some(Precision::Year) => START_YEAR,
            _ => START_DAY,
        };
        Hot {
            kind: r.kind as u8,
            status: r.status as u8,
            lo: r.start().map_or(OPEN_LO, |d| d.days()),
            hi: r.end().map_or(OPEN_HI, |d| d.last_day().days()),
            known,
            widths: known_width | start,
        }
    }

    /// How many days after `known` the earliest publication date can still
    /// mean.
    pub(crate) fn known_width(&self) -> i32 {
        i32::from(self.widths & KNOWN_WIDTH)
    }

    /// The first and last day the relation's start can mean; `None`
    /// without a start.
    pub(crate) fn start_days(&self) -> Option<(i32, i32)> {
        if self.lo == OPEN_LO {
            return None;
        }
        let precision = self.widths & !KNOWN_WIDTH;
        if precision == START_DAY {
            return Some((self.lo, self.lo));
        }
        let first = Date::from_days(self.lo)?;
        let start = if precision == START_MONTH {
            Date::from_year_month(first.year(), first.month()?).ok()?
        } else {
            Date::from_year(first.year()).ok()?
        };
        Some((self.lo, start.last_day().days()))
    }
}

/// The days relation `r` surely holds, first and last (`(i32::MAX,
/// i32::MIN)`, an empty range, when none is sure).
pub(crate) fn sure_days(r: &Relation) -> (i32, i32) {
    r.period()
        .sure_days()
        .map_or((i32::MAX, i32::MIN), |(from, to)| (from.days(), to.days()))
}

impl Default for Hot {
    fn default() -> Hot {
        Hot {
            lo: OPEN_LO,
            hi: OPEN_HI,
            known: OPEN_HI,
            widths: 0,
            kind: 0,
            status: 0,
        }
    }
}

/// The days each source's publication date can mean (its first and last
/// day), by id. Ids of up to sixteen bytes (nearly all) are keyed by their
/// bytes as one number, so that a lookup hashes and compares a number, not
/// a string; and the table holds two days per source, not the source, so
/// it stays in cache where the map of sources would not.
struct Published<'g> {
    short: HashMap<u128, (i32, i32), Hasher>,
    long: HashMap<&'g str, (i32, i32), Hasher>,
}

/// An id of up to sixteen bytes as one number, zero-padded (ids hold no
/// zero byte, so two ids give two numbers).
fn packed(id: &str) -> Option<u128> {
    if id.len() > 16 {
        return None;
    }
    let mut bytes = [0u8; 16];
    for (b, &c) in bytes.iter_mut().zip(id.as_bytes()) {
        *b = c;
    }
    Some(u128::from_le_bytes(bytes))
}

impl<'g> Published<'g> {
    fn new(graph: &'g HealthGraph) -> Self {
        let mut published = Published {
            short: HashMap::default(),
            long: HashMap::default(),
        };
        for s in graph.sources() {
            let id = s.id.as_str();
            let days = crate::index::dates::day_span(s.published);
            match packed(id) {
                Some(key) => published.short.insert(key, days),
                None => published.long.insert(id, days),
            };
        }
        published
    }

    /// The days of the earliest publication date among `sources` (the
    /// most precise of those that begin on the same day, by
    /// [`day_span`](crate::index::dates::day_span)), as the first
    /// and last day it can mean; `None` when none is known.
    fn earliest(&self, sources: &[SourceId]) -> Option<(i32, i32)> {
        sources
            .iter()
            .filter_map(|s| match packed(s.as_str()) {
                Some(key) => self.short.get(&key).copied(),
                None => self.long.get(s.as_str()).copied(),
            })
            .min()
    }

    /// The first day, as a day number, on which any of `sources` was published.
    fn first(&self, sources: &[SourceId]) -> i32 {
        self.earliest(sources).map_or(OPEN_HI, |(first, _)| first)
    }

    /// The days of the earliest publication date among `sources`, first
    /// and last (`OPEN_HI` for both when none is known).
    fn days(&self, sources: &[SourceId]) -> (i32, i32) {
        self.earliest(sources).unwrap_or((OPEN_HI, OPEN_HI))
    }
}

/// What a loader that knows entities and relations by number can give the
/// index, so that building it looks nothing up by id and reads no relation:
/// the links, as (what is continued, what continues it, the link); the
/// first day any source of each entity was published, by node number
/// (`OPEN_HI` when none is known); and each relation's fields, by relation
/// number.
#[derive(Debug, Default)]
pub(crate) struct Given {
    pub(crate) links: Vec<(u32, u32, Link)>,
    pub(crate) entity_known: Vec<i32>,
    /// Each relation's hot fields ([`Hot::of`]) and sure days
    /// ([`sure_days`]), made with the relation while its record was in
    /// cache, rather than read back from 5M relations afterwards.
    pub(crate) relation_hot: Vec<Hot>,
    pub(crate) relation_sure: Vec<(i32, i32)>,
}

/// Places the incidences of the nodes in `nodes` into `incidences`, the
/// run of the index's incidences that starts at `base` and holds exactly
/// theirs; `out_next` and `in_next` hold, per node of the range, where its
/// next outgoing and next incoming incidence go. Relations newest (highest
/// number) first.
// Every number used comes from the same graph the arrays were sized by.
#[allow(clippy::indexing_slicing)]
fn place(
    graph: &HealthGraph,
    nodes: Range<usize>,
    incidences: &mut [[u32; 2]],
    base: usize,
    [out_next, in_next]: [&mut [u32]; 2],
) {
    for (e, s, t, _) in graph.numbered_relations().rev() {
        let e = e as u32;
        if nodes.contains(&s) {
            let next = &mut out_next[s - nodes.start];
            incidences[*next as usize - base] = [t as u32, e | OUTGOING];
            *next += 1;
        }
        if nodes.contains(&t) {
            let next = &mut in_next[t - nodes.start];
            incidences[*next as usize - base] = [s as u32, e];
            *next += 1;
        }
    }
}

/// How the index finds first-published days: by the sources' ids, or
/// given by number.
enum Known<'g> {
    Find(&'g Published<'g>),
    Given(Vec<i32>),
}

impl Known<'_> {
    fn entity(&self, v: usize, sources: &[SourceId]) -> i32 {
        match self {
            Known::Find(published) => published.first(sources),
            Known::Given(entities) => entities.get(v).copied().unwrap_or(OPEN_HI),
        }
    }
}

pub(crate) fn country_code(c: Option<crate::model::entity::Country>) -> u16 {
    c.map_or(0, |c| {
        let b = c.as_str().as_bytes();
        u16::from(b.first().copied().unwrap_or(0)) << 8 | u16::from(b.get(1).copied().unwrap_or(0))
    })
}

/// A thread costs more than a small graph's whole index.
pub(crate) const PARALLEL_FROM: usize = 1 << 16;

impl Adjacency {
    /// Builds the index on two threads: one thread reads most relations'
    /// fields, the other the nodes and incidences and then the rest of the
    /// relations (the node half is the smaller). Each part is a few
    /// sequential scans of the graph's storage: O(n + m).
    pub(crate) fn build(graph: &HealthGraph) -> Adjacency {
        Self::build_with(graph, PARALLEL_FROM, None)
    }

    /// Builds the index of a graph whose links, entities' first-published
    /// days and relations' fields are `given` by number: nothing is looked
    /// up by id, and only the node half is left to build.
    pub(crate) fn build_given(graph: &HealthGraph, given: Given) -> Adjacency {
        Self::build_with(graph, PARALLEL_FROM, Some(given))
    }

    /// Builds the index, on two threads from `parallel_from` relations,
    /// finding links and first-published days by id unless `given`.
    fn build_with(graph: &HealthGraph, parallel_from: usize, given: Option<Given>) -> Adjacency {
        let m = graph.edge_bound();
        if let Some(g) = given {
            if g.relation_hot.len() == m && g.relation_sure.len() == m {
                // The relations' fields came with them: only the node half
                // is left to build.
                let parallel = graph.relation_count() >= parallel_from;
                let nodes = Self::node_half(graph, &Known::Given(g.entity_known), parallel);
                let fields = RelationFields {
                    hot: g.relation_hot,
                    sure: g.relation_sure,
                    links: g.links,
                };
                return Self::assemble(nodes, fields.finish());
            }
            // Not one per relation: found by id instead, as for any graph.
        }
        let published = &Published::new(graph);
        let mut fields = RelationFields::new(m);
        // Measured at 1M: the node half costs about a quarter of all.
        let split = m / 8 * 5;
        let (mut first, mut rest) = fields.split(split);
        let ((nodes, rest_links), first_links) = both(
            graph.relation_count() >= parallel_from,
            move || {
                // The other thread reads the relations meanwhile.
                let nodes = Self::node_half(graph, &Known::Find(published), false);
                rest.read(graph, published, split..m);
                (nodes, rest.links)
            },
            move || {
                first.read(graph, published, 0..split);
                first.links
            },
        );
        fields.links.extend(first_links);
        fields.links.extend(rest_links);
        Self::assemble(nodes, fields.finish())
    }

    /// The index from its node half and its relation half.
    fn assemble(nodes: NodeHalf, relations: RelationHalf) -> Adjacency {
        let (offsets, incidences, node_kind, node_country, node_known, node_present) = nodes;
        let (hot, sure, link_offsets, links) = relations;
        Adjacency {
            offsets,
            incidences,
            hot,
            sure,
            node_kind,
            node_country,
            node_known,
            node_present,
            link_offsets,
            links,
        }
    }

    /// Per node: kind, country, first-published day, presence; and the
    /// incidences as CSR, built by counting, placed on two threads when
    /// `parallel`. Each node lists its outgoing relations, then its
    /// incoming ones, newest (highest number) first.
    // The arrays are sized by the graph's node and relation bounds, and every
    // number used here comes from a node or relation of that same graph.
    #[allow(clippy::indexing_slicing)]
    fn node_half(graph: &HealthGraph, published: &Known<'_>, parallel: bool) -> NodeHalf {
        let n = graph.node_bound();
        let mut node_kind = vec![0; n];
        let mut node_country = vec![0; n];
        let mut node_known = vec![OPEN_HI; n];
        let mut node_present = vec![false; n];
        for (v, e) in graph.numbered_entities() {
            node_kind[v] = e.kind as u8;
            node_country[v] = country_code(e.country);
            node_known[v] = published.entity(v, &e.sources);
            node_present[v] = true;
        }
        // Count, then place: outgoing incidences fill each node's slice
        // from its start, incoming ones from where the outgoing end.
        let mut out_next = vec![0u32; n];
        let mut in_next = vec![0u32; n];
        for (_, s, t, _) in graph.numbered_relations() {
            out_next[s] += 1;
            in_next[t] += 1;
        }
        let mut offsets = Vec::with_capacity(n + 1);
        let mut total = 0u32;
        offsets.push(0);
        for v in 0..n {
            let (outs, ins) = (out_next[v], in_next[v]);
            out_next[v] = total;
            in_next[v] = total + outs;
            total += outs + ins;
            offsets.push(total);
        }
        let mut incidences = vec![[0u32; 2]; total as usize];
        // Placing is most of the node half (random writes into the
        // incidences): the nodes are split in two, and each thread places
        // the incidences of its own, whose slices are one run of the array.
        let split = n / 2;
        let cut = offsets[split] as usize;
        let (low, high) = incidences.split_at_mut(cut);
        let (out_low, out_high) = out_next.split_at_mut(split);
        let (in_low, in_high) = in_next.split_at_mut(split);
        both(
            parallel,
            || place(graph, 0..split, low, 0, [out_low, in_low]),
            || place(graph, split..n, high, cut, [out_high, in_high]),
        );
        (
            offsets,
            incidences,
            node_kind,
            node_country,
            node_known,
            node_present,
        )
    }
}

/// The per-relation fields of the index while it is built: the hot fields
/// and sure days by relation number, and the links found.
struct RelationFields {
    hot: Vec<Hot>,
    sure: Vec<(i32, i32)>,
    /// (what is continued, what continues it, the link).
    links: Vec<(u32, u32, Link)>,
}

/// The fields of the relations of one range of numbers, filled by one thread.
struct FieldsPart<'a> {
    hot: &'a mut [Hot],
    sure: &'a mut [(i32, i32)],
    /// The first relation number of the range.
    start: usize,
    links: Vec<(u32, u32, Link)>,
}

impl RelationFields {
    /// Room for `m` relations' fields, to be read from the graph.
    fn new(m: usize) -> RelationFields {
        RelationFields {
            hot: vec![Hot::default(); m],
            sure: vec![(i32::MAX, i32::MIN); m],
            links: Vec::new(),
        }
    }

    /// Two parts: the relations numbered below `at`, and the others.
    fn split(&mut self, at: usize) -> (FieldsPart<'_>, FieldsPart<'_>) {
        let at = at.min(self.hot.len());
        let (hot_a, hot_b) = self.hot.split_at_mut(at);
        let (sure_a, sure_b) = self.sure.split_at_mut(at);
        let part = |hot, sure, start| FieldsPart {
            hot,
            sure,
            start,
            links: Vec::new(),
        };
        (part(hot_a, sure_a, 0), part(hot_b, sure_b, at))
    }

    /// The relation half of the index: hot fields, sure days, and what
    /// continues each relation as CSR.
    #[allow(clippy::indexing_slicing)]
    fn finish(self) -> RelationHalf {
        let RelationFields {
            hot,
            sure,
            links: mut link_pairs,
            ..
        } = self;
        let mut link_offsets = vec![0u32; hot.len() + 1];
        link_pairs.sort_unstable();
        for &(target, _, _) in &link_pairs {
            link_offsets[target as usize + 1] += 1;
        }
        for i in 1..link_offsets.len() {
            link_offsets[i] += link_offsets[i - 1];
        }
        let links = link_pairs.into_iter().map(|(_, r, l)| (r, l)).collect();
        (hot, sure, link_offsets, links)
    }
}

impl FieldsPart<'_> {
    /// Per relation numbered within `numbers` (inside this part's range):
    /// the hot fields, the sure days, and its links.
    fn read(&mut self, graph: &HealthGraph, published: &Published<'_>, numbers: Range<usize>) {
        for (e, _, _, r) in graph.numbered_relations_in(numbers) {
            for (link, target) in r.links() {
                if let Some(target) = graph.edge_of(target.as_str()) {
                    self.links.push((target, e as u32, link));
                }
            }
            let at = e - self.start;
            if let Some(slot) = self.sure.get_mut(at) {
                *slot = sure_days(r);
            }
            if let Some(slot) = self.hot.get_mut(at) {
                *slot = Hot::of(r, published.days(&r.sources));
            }
        }
    }
}

impl Adjacency {
    /// The relations that continue relation number `e` (renew, amend or
    /// supersede it), by number, with the link.
    pub(crate) fn links_to(&self, e: usize) -> &[(u32, Link)] {
        let start = self.link_offsets.get(e).copied().unwrap_or(0) as usize;
        let end = self.link_offsets.get(e + 1).copied().unwrap_or(0) as usize;
        self.links.get(start..end).unwrap_or_default()
    }

    /// How many relations node `v` has.
    pub(crate) fn degree(&self, v: usize) -> usize {
        let start = self.offsets.get(v).copied().unwrap_or(0);
        let end = self.offsets.get(v + 1).copied().unwrap_or(0);
        end.saturating_sub(start) as usize
    }

    /// The incidences of node `v`: (other node, relation number, whether `v`
    /// is its `from`).
    pub(crate) fn incidences(&self, v: usize) -> impl Iterator<Item = (u32, u32, bool)> + '_ {
        let start = self.offsets.get(v).copied().unwrap_or(0) as usize;
        let end = self.offsets.get(v + 1).copied().unwrap_or(0) as usize;
        self.incidences
            .get(start..end)
            .unwrap_or_default()
            .iter()
            .map(|&[t, e]| (t, e & !OUTGOING, e & OUTGOING != 0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::dates::day_span;
    use crate::{Entity, EntityId, EntityKind, Relation, RelationKind, Source, SourceId};

    /// The hot record gives back a start's first and last day at each
    /// precision, and the earliest publication's width beside it.
    #[test]
    fn the_hot_record_gives_the_start_back() -> Result<(), crate::Error> {
        for (start, last) in [
            ("2024-02-29", "2024-02-29"),
            ("2024-02", "2024-02-29"),
            ("2023-02", "2023-02-28"),
            ("2025-12", "2025-12-31"),
            ("2024", "2024-12-31"),
            ("0000", "0000-12-31"),
            ("9999-12", "9999-12-31"),
        ] {
            let date: Date = start.parse()?;
            let r = Relation::builder("r", RelationKind::Mou, "a", "b")
                .start(date)
                .add_source("s")
                .build_unchecked();
            let hot = Hot::of(&r, (100, 130));
            let last: Date = last.parse()?;
            assert_eq!(
                hot.start_days(),
                Some((date.days(), last.days())),
                "{start}"
            );
            assert_eq!(hot.known_width(), 30, "{start}");
        }
        let undated = Relation::builder("r", RelationKind::Mou, "a", "b")
            .add_source("s")
            .build_unchecked();
        assert_eq!(Hot::of(&undated, (OPEN_HI, OPEN_HI)).start_days(), None);
        Ok(())
    }

    /// Packed publication days give back their days and order dates as
    /// reports do: by first day, then the more precise first.
    #[test]
    fn packed_days_keep_the_day_span() {
        let mut dates: Vec<Date> = Vec::new();
        for year in [0, 1, 1969, 1970, 2024, 2025, 9999] {
            dates.push(Date::from_year(year).unwrap());
            for month in [1, 2, 12] {
                dates.push(Date::from_year_month(year, month).unwrap());
                for day in [1, 28] {
                    dates.push(Date::from_ymd(year, month, day).unwrap());
                }
            }
        }
        for d in &dates {
            assert_eq!(unpack_days(pack_days(day_span(*d))), day_span(*d), "{d}");
        }
        let mut by_days = dates.clone();
        by_days.sort_by_key(|&d| day_span(d));
        let mut packed = dates;
        packed.sort_by_key(|&d| pack_days(day_span(d)));
        assert_eq!(packed, by_days);
        assert_eq!(
            unpack_days(pack_days((OPEN_HI, OPEN_HI))),
            (OPEN_HI, OPEN_HI)
        );
    }

    /// Building on two threads gives the index one thread gives: a graph of
    /// renewal chains, whose links cross the line between the two parts.
    #[test]
    fn two_threads_build_what_one_builds() {
        let mut g = HealthGraph::new();
        for (i, date) in ["2009", "2010-02", "2011-03-04"].iter().enumerate() {
            let id = SourceId::new(&format!("s{i}")).unwrap();
            g.insert_source(Source::new(id, "A report", date.parse().unwrap(), "en").unwrap())
                .unwrap();
        }
        let hospital = |i: usize| EntityId::new(&format!("h{i}")).unwrap();
        for i in 0..100 {
            let e = Entity::new(hospital(i), EntityKind::Hospital, format!("H {i}"))
                .add_source(SourceId::new(&format!("s{}", i % 3)).unwrap());
            g.insert_entity(e).unwrap();
        }
        for pair in 0..99 {
            for k in 0..20 {
                let id = format!("r{pair}-{k:02}");
                let kind = if k == 0 {
                    RelationKind::Mou
                } else {
                    RelationKind::Renewal
                };
                let mut b =
                    Relation::builder(id.as_str(), kind, hospital(pair), hospital(pair + 1))
                        .add_source(SourceId::new(&format!("s{}", (pair + k) % 3)).unwrap())
                        .start(format!("{}", 2011 + k).parse().unwrap());
                if k > 0 {
                    b = b.renews(format!("r{pair}-{:02}", k - 1).as_str());
                }
                if k % 3 == 0 {
                    b = b.end(format!("{}-06", 2012 + k).parse().unwrap());
                }
                g.insert_relation(b.build().unwrap()).unwrap();
            }
        }
        let one = Adjacency::build_with(&g, usize::MAX, None);
        let two = Adjacency::build_with(&g, 0, None);
        // The same, given by number, each relation's fields made as the
        // snapshot makes them.
        let entity_known = one.node_known.clone();
        let published = Published::new(&g);
        let (relation_hot, relation_sure) = g
            .numbered_relations()
            .map(|(_, _, _, r)| (Hot::of(r, published.days(&r.sources)), sure_days(r)))
            .unzip();
        let mut links = Vec::new();
        for (e, _, _, r) in g.numbered_relations() {
            for (link, target) in r.links() {
                links.push((g.edge_of(target.as_str()).unwrap(), e as u32, link));
            }
        }
        let given = Given {
            links,
            entity_known,
            relation_hot,
            relation_sure,
        };
        let three = Adjacency::build_with(&g, 0, Some(given));
        assert_eq!(format!("{one:?}"), format!("{three:?}"));
        assert_eq!(one.links.len(), 99 * 19);
        assert_eq!(format!("{one:?}"), format!("{two:?}"));
    }
}
