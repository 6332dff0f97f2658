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

/// The three date lists of a graph's relations.
#[derive(Debug, Clone, Default)]
pub(crate) struct DateIndex {
    pub(crate) starts: Spans,
    pub(crate) ends: Spans,
    /// The earliest publication date among each relation's sources.
    pub(crate) reported: Spans,
}

impl DateIndex {
    pub(crate) fn build(graph: &HealthGraph) -> DateIndex {
        let (mut starts, mut ends, mut reported) = (Vec::new(), Vec::new(), Vec::new());
        for (rank, (e, r)) in graph.relation_edges().enumerate() {
            let links = r.links().fold(0u8, |bits, (link, _)| bits | link_bit(link));
            let rank = u32::try_from(rank).unwrap_or(u32::MAX);
            let entry = |d: Date, edge: u32| Entry {
                first: d.days(),
                last: d.last_day().days(),
                rank,
                edge,
                links,
                kind: r.kind() as u8,
                status: r.status() as u8,
            };
            if let Some(s) = r.start() {
                starts.push(entry(s, e));
            }
            if let Some(d) = r.end() {
                ends.push(entry(d, e));
            }
            if let Some(d) = first_report(graph, r) {
                reported.push(entry(d, e));
            }
        }
        DateIndex {
            starts: Spans::new(starts),
            ends: Spans::new(ends),
            reported: Spans::new(reported),
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
