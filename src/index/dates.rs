//! The date index: each relation's start, end and first report, as day
//! spans sorted by their first day, so that "what falls in this window"
//! costs a binary search and the answer, not a scan of every relation.

use std::ops::Range;
use std::sync::OnceLock;

use crate::graph::HealthGraph;
use crate::index::adjacency::{Hot, OPEN_HI, OPEN_LO};
use crate::index::both;
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
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Spans {
    entries: Vec<Entry>,
    widest: i32,
}

impl Spans {
    /// The spans sorted in report order, from `entries` in id order.
    fn new(entries: Vec<Entry>) -> Spans {
        let entries = sort_by_days(entries, |e| (e.first, e.last));
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
#[derive(Debug, Clone, Default, PartialEq)]
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

    /// Sorts what was pushed (in id order, which breaks ties) and bounds
    /// each block of closed periods.
    fn sorted(mut self) -> Intervals {
        self.closed = sort_by_days(std::mem::take(&mut self.closed), |&(lo, hi, _)| (lo, hi));
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

/// The date lists of a graph's relations, each built on first use: a
/// question about agreements in force builds only the agreements' periods,
/// a change report only the spans.
#[derive(Debug, Clone, Default)]
pub(crate) struct DateIndex {
    spans: OnceLock<DateSpans>,
    /// Every relation's period.
    periods: OnceLock<Intervals>,
    /// The agreements' periods only, for the questions about force.
    agreements: OnceLock<Intervals>,
}

/// Each relation's start, end and first report, as spans of days.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct DateSpans {
    pub(crate) starts: Spans,
    pub(crate) ends: Spans,
    /// The earliest publication date among each relation's sources.
    pub(crate) reported: Spans,
}

/// From this many relations, a list is built on two threads.
const PARALLEL_FROM: usize = 1 << 16;

/// The spans of some relations, as they are collected, unsorted.
#[derive(Default)]
struct Lists {
    starts: Vec<Entry>,
    ends: Vec<Entry>,
    reported: Vec<Entry>,
}

impl Lists {
    /// The spans of the relations at places `ranks` in id order, with room
    /// for `room` relations (room never written costs address space, not
    /// memory: the first half makes room for the second's, which is then
    /// appended without growing a list by copying).
    fn collect(graph: &HealthGraph, hot: &[Hot], ranks: Range<usize>, room: usize) -> Lists {
        let mut lists = Lists {
            starts: Vec::with_capacity(room),
            ends: Vec::with_capacity(room),
            reported: Vec::with_capacity(room),
        };
        for (rank, e, r) in graph.relation_edges_ranked(ranks) {
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
            if let Some(s) = r.start() {
                lists.starts.push(entry(day_span(s)));
            }
            if let Some(d) = r.end() {
                lists.ends.push(entry(day_span(d)));
            }
            // The first report, as the query index keeps it.
            if let Some(h) = hot.get(e as usize).filter(|h| h.known != OPEN_HI) {
                lists
                    .reported
                    .push(entry((h.known, h.known + h.known_width())));
            }
        }
        lists
    }

    /// Adds the spans of other relations.
    fn append(&mut self, mut other: Lists) {
        self.starts.append(&mut other.starts);
        self.ends.append(&mut other.ends);
        self.reported.append(&mut other.reported);
    }
}

impl DateSpans {
    /// Walks the relations in id order to collect the spans (the first
    /// report of each read off the query index, which keeps it for
    /// `known_by`: no source is read), then sorts them by counting days
    /// ([`sort_by_days`]). Both steps run on two threads for a large graph,
    /// the walk split at the middle of the id order, the sorting by list.
    /// O(m + days spanned). The two halves are held
    /// together while the second is appended: at 1M entities that costs
    /// about 130 MB more at the peak, for about 0.4 s less.
    fn build(graph: &HealthGraph, parallel_from: usize) -> DateSpans {
        let hot = graph.adjacency().hot.as_slice();
        let m = graph.relation_count();
        let parallel = m >= parallel_from;
        let (mut lists, rest) = both(
            parallel,
            || Lists::collect(graph, hot, 0..m / 2, m),
            || Lists::collect(graph, hot, m / 2..m, m - m / 2),
        );
        lists.append(rest);
        let Lists {
            starts,
            ends,
            reported,
        } = lists;
        let ((starts, reported), ends) = both(
            parallel,
            move || (Spans::new(starts), Spans::new(reported)),
            move || Spans::new(ends),
        );
        DateSpans {
            starts,
            ends,
            reported,
        }
    }
}

impl DateIndex {
    /// The starts, ends and first reports, built on first use.
    pub(crate) fn spans(&self, graph: &HealthGraph) -> &DateSpans {
        self.spans
            .get_or_init(|| DateSpans::build(graph, PARALLEL_FROM))
    }

    /// Every relation's period, built on first use.
    pub(crate) fn periods(&self, graph: &HealthGraph) -> &Intervals {
        self.periods.get_or_init(|| periods(graph, |_| true))
    }

    /// The agreements' periods, built on first use.
    pub(crate) fn agreements(&self, graph: &HealthGraph) -> &Intervals {
        // The query index numbers a kind by its place in `ALL`.
        let agreement = |kind: u8| {
            crate::RelationKind::ALL
                .get(usize::from(kind))
                .is_some_and(|k| k.is_agreement())
        };
        self.agreements.get_or_init(|| periods(graph, agreement))
    }
}

/// The periods of the relations whose kind (as the query index numbers
/// it) is `wanted`, read off the query index's fields in id order: no
/// relation is touched. O(m + days spanned).
fn periods(graph: &HealthGraph, wanted: impl Fn(u8) -> bool) -> Intervals {
    let hot = &graph.adjacency().hot;
    let mut out = Intervals::default();
    for (rank, e) in graph.relation_numbers_in_id_order().enumerate() {
        let Some(h) = hot.get(e as usize).filter(|h| wanted(h.kind)) else {
            continue;
        };
        let lo = Some(h.lo).filter(|&d| d != OPEN_LO);
        let hi = Some(h.hi).filter(|&d| d != OPEN_HI);
        out.push(lo, hi, (u32::try_from(rank).unwrap_or(u32::MAX), e));
    }
    out.sorted()
}

/// `items`, given in the order that breaks ties, sorted by two day numbers
/// (then by that order): the same as sorting by the whole item when the
/// tie-breaking part comes last in it and ascends in `items`.
///
/// Two stable counting passes over the days (the second, then the first),
/// O(n + days spanned), instead of a comparison sort's O(n log n): at a
/// million entities, a list of 5M spans over some 16,000 days sorts several
/// times faster. Days spread too thin for counting (more distinct day
/// numbers than four per item) are sorted by comparison instead.
fn sort_by_days<T: Copy + Ord>(mut items: Vec<T>, days: impl Fn(&T) -> (i32, i32)) -> Vec<T> {
    let range = |key: &dyn Fn(&T) -> i32| {
        let (lo, hi) = items
            .iter()
            .map(key)
            .fold((i32::MAX, i32::MIN), |(lo, hi), d| (lo.min(d), hi.max(d)));
        (
            lo,
            usize::try_from(i64::from(hi) - i64::from(lo) + 1).unwrap_or(usize::MAX),
        )
    };
    let (first, second) = (range(&|x| days(x).0), range(&|x| days(x).1));
    let enough = items.len().saturating_mul(4).max(1024);
    if items.len() < 2 || first.1 > enough || second.1 > enough {
        items.sort_unstable();
        return items;
    }
    let mut other = items.clone();
    counting_pass(&items, &mut other, second, |x| days(x).1);
    counting_pass(&other, &mut items, first, |x| days(x).0);
    items
}

/// One stable counting pass: `from` into `to` by the day `key` gives, all
/// days within `lo..lo + span`.
fn counting_pass<T: Copy>(
    from: &[T],
    to: &mut [T],
    (lo, span): (i32, usize),
    key: impl Fn(&T) -> i32,
) {
    let bucket = |x: &T| usize::try_from(i64::from(key(x)) - i64::from(lo)).unwrap_or(0);
    // Where each day's items begin, found by counting them.
    let mut at = vec![0usize; span];
    for x in from {
        if let Some(n) = at.get_mut(bucket(x)) {
            *n += 1;
        }
    }
    let mut sum = 0;
    for n in &mut at {
        let count = *n;
        *n = sum;
        sum += count;
    }
    for x in from {
        if let Some(place) = at.get_mut(bucket(x)) {
            if let Some(slot) = to.get_mut(*place) {
                *slot = *x;
            }
            *place += 1;
        }
    }
}

/// The bit of a link kind in [`Entry::links`].
pub(crate) fn link_bit(link: crate::Link) -> u8 {
    1 << (link as u8)
}

/// The first and last day a date can mean, as day numbers: the span the
/// date index keeps. Ordered, these order publication dates as reports
/// are (by first day, the more precise first): a relation's first report
/// is the least of its sources' dates in this order.
pub(crate) fn day_span(d: Date) -> (i32, i32) {
    (d.days(), d.last_day().days())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Counting by days gives what sorting the whole items gives, for days
    /// dense enough to count and too sparse to, with ties broken by the
    /// order given.
    #[test]
    fn counting_by_days_sorts_as_comparing_does() {
        // A small linear congruential generator: the test needs no seed crate.
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = |below: u64| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1);
            i32::try_from((state >> 33) % below).unwrap()
        };
        for (n, spread) in [(0, 10), (1, 10), (5000, 40), (5000, 400), (3000, 3_000_000)] {
            let items: Vec<(i32, i32, u32)> = (0..n)
                .map(|rank| {
                    let first = next(spread) - i32::try_from(spread / 2).unwrap();
                    let last = first + [0, 30, 365][usize::try_from(next(3)).unwrap()];
                    (first, last, rank)
                })
                .collect();
            let mut expected = items.clone();
            expected.sort_unstable();
            assert_eq!(
                sort_by_days(items, |&(a, b, _)| (a, b)),
                expected,
                "{n} over {spread}"
            );
        }
    }

    /// Walking the relations in two halves on two threads gives the spans
    /// one walk gives: every relation once, at its place in id order; and
    /// the periods read off the query index are the relations' own.
    #[test]
    fn two_threads_build_the_spans_one_builds() {
        let graph = HealthGraph::load("data/hanoi.ron").unwrap();
        let one = DateSpans::build(&graph, usize::MAX);
        let two = DateSpans::build(&graph, 0);
        assert_eq!(one, two);
        assert!(!one.starts.entries.is_empty() && !one.reported.entries.is_empty());
        let index = DateIndex::default();
        let all = index.periods(&graph).overlapping(i32::MIN, i32::MAX, true);
        assert_eq!(all.len(), graph.relation_count());
        let mut by_walk = Intervals::default();
        let mut agreements = Intervals::default();
        for (rank, (e, r)) in graph.relation_edges().enumerate() {
            let (lo, hi) = (
                r.start().map(Date::days),
                r.end().map(|d| d.last_day().days()),
            );
            by_walk.push(lo, hi, (rank as u32, e));
            if r.kind().is_agreement() {
                agreements.push(lo, hi, (rank as u32, e));
            }
        }
        assert_eq!(index.periods(&graph), &by_walk.sorted());
        assert_eq!(index.agreements(&graph), &agreements.sorted());
    }
}
