//! The date index: each relation's start, end and first report, as day
//! spans sorted by their first day, so that "what falls in this window"
//! costs a binary search and the answer, not a scan of every relation.

use crate::graph::HealthGraph;
use crate::model::date::Date;

/// One relation's date as the days it can mean. Ordered by first day,
/// last day, then the relation's place in id order, which is the order a
/// report lists them in: read in index order, a report needs no sort and
/// touches no relation to order it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Entry {
    /// The first day the date can mean (a day number).
    pub(crate) first: i32,
    /// The last day it can mean.
    pub(crate) last: i32,
    /// The relation's place in id order.
    pub(crate) rank: u32,
    /// The relation's number.
    pub(crate) edge: u32,
    /// Which links the relation has, one bit per [`Link`](crate::Link) in
    /// declaration order: a report sorts renewals from other starts
    /// without reading the relation.
    pub(crate) links: u8,
    /// The relation's kind and status, as the query index numbers them: a
    /// report under a filter of kinds and statuses only decides without
    /// reading the index or the relation.
    pub(crate) kind: u8,
    pub(crate) status: u8,
}

/// Spans sorted by first day; `widest` bounds how far before a window a
/// span that reaches into it can begin.
#[derive(Debug, Clone, Default)]
pub(crate) struct Spans {
    entries: Vec<Entry>,
    widest: i32,
}

impl Spans {
    fn new(mut entries: Vec<Entry>) -> Spans {
        entries.sort_unstable();
        let widest = entries.iter().map(|e| e.last - e.first).max().unwrap_or(0);
        Spans { entries, widest }
    }

    /// The spans that share a day with `from..=to` (day numbers): a binary
    /// search to the first that can, then only the spans that begin within
    /// the window or at most the widest span before it. O(log m + k + w)
    /// for k answers and the w spans that begin within one widest span
    /// before the window.
    pub(crate) fn overlapping(&self, from: i32, to: i32) -> impl Iterator<Item = Entry> + '_ {
        let earliest = from.saturating_sub(self.widest);
        let at = self.entries.partition_point(|e| e.first < earliest);
        self.entries
            .get(at..)
            .unwrap_or_default()
            .iter()
            .take_while(move |e| e.first <= to)
            .filter(move |e| e.last >= from)
            .copied()
    }
}

/// Relations' periods as day intervals, for "what may hold at some time in
/// this window": the closed ones sorted by first day with the latest last
/// day of each block of them (a block that ends before the window is
/// skipped whole), and apart those open at the end, those open at the
/// start, and the undated (each of which may hold whenever it is asked).
#[derive(Debug, Clone, Default)]
pub(crate) struct Intervals {
    closed: Vec<(i32, i32, Key)>,
    block_last: Vec<i32>,
    open_end: Vec<(i32, Key)>,
    open_start: Vec<(i32, Key)>,
    undated: Vec<Key>,
}

/// A relation in [`Intervals`]: its place in id order, then its number.
/// Sorting keys puts relations in id order without reading them.
pub(crate) type Key = (u32, u32);

/// Closed intervals per block of [`Intervals`].
const BLOCK: usize = 64;

impl Intervals {
    /// Adds a relation's period: its first and last day, each `None` where
    /// open. [`Intervals::sorted`] makes the lists ready to ask.
    fn push(&mut self, lo: Option<i32>, hi: Option<i32>, key: Key) {
        match (lo, hi) {
            (Some(lo), Some(hi)) => self.closed.push((lo, hi, key)),
            (Some(lo), None) => self.open_end.push((lo, key)),
            (None, Some(hi)) => self.open_start.push((hi, key)),
            (None, None) => self.undated.push(key),
        }
    }

    /// Sorts what was pushed and bounds each block of closed periods.
    fn sorted(mut self) -> Intervals {
        self.closed.sort_unstable();
        self.open_end.sort_unstable();
        // Latest end first, so that those reaching a day are a prefix.
        self.open_start.sort_unstable_by(|a, b| b.cmp(a));
        self.block_last = self
            .closed
            .chunks(BLOCK)
            .map(|c| c.iter().map(|&(_, hi, _)| hi).max().unwrap_or(i32::MIN))
            .collect();
        self
    }

    /// The relations whose period may share a day with `from..=to` (day
    /// numbers), undated ones included when `undated` is set. In no order.
    /// Cost: the answer, the blocks of closed periods that begin by `to`
    /// (skipped whole when they end before `from`), and the partly
    /// matching blocks.
    pub(crate) fn overlapping(&self, from: i32, to: i32, undated: bool) -> Vec<Key> {
        let mut out = Vec::new();
        let begun = self.closed.partition_point(|&(lo, _, _)| lo <= to);
        for (b, &last) in self.block_last.iter().enumerate() {
            let start = b * BLOCK;
            if start >= begun {
                break;
            }
            if last < from {
                continue;
            }
            let end = (start + BLOCK).min(begun);
            out.extend(
                self.closed
                    .get(start..end)
                    .unwrap_or_default()
                    .iter()
                    .filter(|&&(_, hi, _)| hi >= from)
                    .map(|&(_, _, e)| e),
            );
        }
        let open = self.open_end.partition_point(|&(lo, _)| lo <= to);
        out.extend(
            self.open_end
                .get(..open)
                .unwrap_or_default()
                .iter()
                .map(|&(_, e)| e),
        );
        let reach = self.open_start.partition_point(|&(hi, _)| hi >= from);
        out.extend(
            self.open_start
                .get(..reach)
                .unwrap_or_default()
                .iter()
                .map(|&(_, e)| e),
        );
        if undated {
            out.extend_from_slice(&self.undated);
        }
        out
    }
}

/// The date lists of a graph's relations.
#[derive(Debug, Clone, Default)]
pub(crate) struct DateIndex {
    pub(crate) starts: Spans,
    pub(crate) ends: Spans,
    /// The earliest publication date among each relation's sources.
    pub(crate) reported: Spans,
    /// Every relation's period.
    pub(crate) periods: Intervals,
    /// The agreements' periods only, for the questions about force.
    pub(crate) agreements: Intervals,
}

/// From this many relations, the index's lists are sorted on two threads.
const PARALLEL_FROM: usize = 1 << 16;

impl DateIndex {
    /// One walk over the relations in id order collects every list; the
    /// first report of each is found in a table of the sources' days (no
    /// source is looked up in the graph's map); then the lists are sorted,
    /// on two threads for a large graph. O(m log m).
    pub(crate) fn build(graph: &HealthGraph) -> DateIndex {
        let published = crate::index::adjacency::Published::new(graph);
        let (mut starts, mut ends, mut reported) = (Vec::new(), Vec::new(), Vec::new());
        let (mut periods, mut agreements) = (Intervals::default(), Intervals::default());
        for (rank, (e, r)) in graph.relation_edges().enumerate() {
            let links = r.links().fold(0u8, |bits, (link, _)| bits | link_bit(link));
            let rank = u32::try_from(rank).unwrap_or(u32::MAX);
            let entry = |(first, last): (i32, i32)| Entry {
                first,
                last,
                rank,
                edge: e,
                links,
                kind: r.kind() as u8,
                status: r.status() as u8,
            };
            let days = |d: Date| (d.days(), d.last_day().days());
            if let Some(s) = r.start() {
                starts.push(entry(days(s)));
            }
            if let Some(d) = r.end() {
                ends.push(entry(days(d)));
            }
            if let Some(d) = published.earliest(r.sources()) {
                reported.push(entry(d));
            }
            let (lo, hi) = (
                r.start().map(Date::days),
                r.end().map(|d| d.last_day().days()),
            );
            periods.push(lo, hi, (rank, e));
            if r.kind().is_agreement() {
                agreements.push(lo, hi, (rank, e));
            }
        }
        let left = move || (Spans::new(starts), Spans::new(reported));
        let right = move || (Spans::new(ends), periods.sorted(), agreements.sorted());
        let ((starts, reported), (ends, periods, agreements)) =
            if graph.relation_count() < PARALLEL_FROM {
                (left(), right())
            } else {
                std::thread::scope(|scope| {
                    let other = scope.spawn(right);
                    let mine = left();
                    // Sorting these panics on nothing; were it to, the
                    // panic goes on as it would have on one thread.
                    let theirs = other
                        .join()
                        .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
                    (mine, theirs)
                })
            };
        DateIndex {
            starts,
            ends,
            reported,
            periods,
            agreements,
        }
    }
}

/// The bit of a link kind in [`Entry::links`].
pub(crate) fn link_bit(link: crate::Link) -> u8 {
    1 << (link as u8)
}

/// The earliest publication date among a relation's sources (the most
/// precise of those that begin on the same day).
pub(crate) fn first_report(graph: &HealthGraph, r: &crate::Relation) -> Option<Date> {
    r.sources()
        .iter()
        .filter_map(|s| graph.source(s.as_str()))
        .map(|s| s.published())
        .min_by_key(|d| (d.first_day(), d.last_day()))
}
