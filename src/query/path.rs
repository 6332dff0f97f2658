//! Paths that explain themselves: which relation each hop crosses, when the
//! whole path holds, and the sources it rests on.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::fmt;

use crate::error::Error;
use crate::graph::{Incident, Node};
use crate::index::{Scratch, Side};
use crate::model::date::{Date, Period};
use crate::model::entity::Entity;
use crate::model::relation::{Relation, Status};
use crate::model::source::Source;
use crate::query::changes::Certainty;
use crate::query::filter::Direction;
use crate::query::view::{TimedStep, TimedSteps, View, timeline_key};

/// When a set of relations can all hold at once: a list of disjoint spans
/// in date order, empty when they never do. An unknown bound of a relation
/// is open, so a span may have no start or no end.
///
/// # Example
///
/// ```
/// use healthgraph::{Filter, HealthGraph};
///
/// let graph = HealthGraph::load("data/hanoi.ron")?;
/// // Kobe visited the DoH on 2025-01-17, Karolinska on 2025-05-23: never at once.
/// let visits = graph.view(Filter::new().kinds_by_name("visit")?);
/// let path = visits.shortest_path("kobe-university-hospital", "karolinska-institute")?.expect("both visited the DoH");
/// assert!(path.window().is_never());
/// // Through agreements: the ObGyn hospital's first hop holds whenever its undated research
/// // cooperation does (always, as far as the data says); the AP-HP cooperation bounds the rest.
/// let agreements = graph.view(Filter::new().kinds_by_name("renewal,cooperation")?);
/// let path = agreements.shortest_path("hanoi-obgyn-hospital", "ap-hp")?.expect("through Karolinska and the DoH");
/// assert_eq!(path.window().to_string(), "2024..2029");
/// # Ok::<(), healthgraph::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Window {
    spans: Vec<Period>,
}

/// A span with open bounds, compared by first and last days.
#[derive(Clone, Copy)]
struct Span {
    start: Option<Date>,
    end: Option<Date>,
}

impl Span {
    fn of(r: &Relation) -> Span {
        Span {
            start: r.start(),
            end: r.end(),
        }
    }

    fn lo(self) -> Option<Date> {
        self.start.map(Date::first_day)
    }

    fn hi(self) -> Option<Date> {
        self.end.map(Date::last_day)
    }

    /// Whether `self` starts no later than `other` ends (open bounds never fail).
    fn starts_by_end_of(self, other: Span) -> bool {
        match (self.lo(), other.hi()) {
            (Some(a), Some(b)) => a <= b,
            _ => true,
        }
    }

    fn overlaps(self, other: Span) -> bool {
        self.starts_by_end_of(other) && other.starts_by_end_of(self)
    }
}

fn earlier_start(a: Option<Date>, b: Option<Date>) -> Option<Date> {
    match (a, b) {
        (Some(x), Some(y)) => Some(if x.first_day() <= y.first_day() { x } else { y }),
        _ => None,
    }
}

fn later_start(a: Option<Date>, b: Option<Date>) -> Option<Date> {
    match (a, b) {
        (Some(x), Some(y)) => Some(if x.first_day() >= y.first_day() { x } else { y }),
        (x, None) => x,
        (None, y) => y,
    }
}

fn later_end(a: Option<Date>, b: Option<Date>) -> Option<Date> {
    match (a, b) {
        (Some(x), Some(y)) => Some(if x.last_day() >= y.last_day() { x } else { y }),
        _ => None,
    }
}

fn earlier_end(a: Option<Date>, b: Option<Date>) -> Option<Date> {
    match (a, b) {
        (Some(x), Some(y)) => Some(if x.last_day() <= y.last_day() { x } else { y }),
        (x, None) => x,
        (None, y) => y,
    }
}

/// Sorts spans by start and merges the overlapping ones.
fn union(mut spans: Vec<Span>) -> Vec<Span> {
    spans.sort_by_key(|s| (s.lo().is_some(), s.lo()));
    let mut out: Vec<Span> = Vec::with_capacity(spans.len());
    for s in spans {
        match out.last_mut() {
            Some(last) if last.overlaps(s) => {
                last.start = earlier_start(last.start, s.start);
                last.end = later_end(last.end, s.end);
            }
            _ => out.push(s),
        }
    }
    out
}

fn intersect(a: &[Span], b: &[Span]) -> Vec<Span> {
    let mut out = Vec::new();
    for x in a {
        for y in b {
            if x.overlaps(*y) {
                out.push(Span {
                    start: later_start(x.start, y.start),
                    end: earlier_end(x.end, y.end),
                });
            }
        }
    }
    union(out)
}

impl Window {
    /// The window of a sequence of hops, each given by its relations: each
    /// hop holds while any of its relations holds, the path while every hop
    /// holds.
    fn of_hops(hops: &[Vec<&Relation>]) -> Window {
        let mut current = vec![Span {
            start: None,
            end: None,
        }];
        for hop in hops {
            let hop_spans = union(hop.iter().map(|r| Span::of(r)).collect());
            current = intersect(&current, &hop_spans);
        }
        Window {
            spans: current
                .into_iter()
                .map(|s| Period::new(s.start, s.end).unwrap_or(Period::UNKNOWN))
                .collect(),
        }
    }

    /// The disjoint spans in date order.
    pub fn spans(&self) -> &[Period] {
        &self.spans
    }

    /// Whether the relations never hold at once.
    pub fn is_never(&self) -> bool {
        self.spans.is_empty()
    }

    /// Whether the window is unbounded: nothing in it is dated.
    pub fn is_always(&self) -> bool {
        matches!(self.spans.as_slice(), [p] if p.start().is_none() && p.end().is_none())
    }
}

impl fmt::Display for Window {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.spans.is_empty() {
            return f.write_str("never");
        }
        for (i, span) in self.spans.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{span}")?;
        }
        Ok(())
    }
}

/// One hop of a path: two entities and every relation of the view that
/// joins them the way the path goes (parallel relations are all named).
#[derive(Debug, Clone)]
pub struct Hop<'g> {
    from: &'g Entity,
    to: &'g Entity,
    relations: Vec<&'g Relation>,
    relation: &'g Relation,
}

impl<'g> Hop<'g> {
    /// The entity the hop leaves.
    pub fn from(&self) -> &'g Entity {
        self.from
    }

    /// The entity the hop reaches.
    pub fn to(&self) -> &'g Entity {
        self.to
    }

    /// Every relation of the view joining the two, in date order.
    pub fn relations(&self) -> &[&'g Relation] {
        &self.relations
    }

    /// The relation to name for the hop: one that holds during the path's
    /// window if any does, agreed rather than only proposed if possible,
    /// and first in date order among those.
    pub fn relation(&self) -> &'g Relation {
        self.relation
    }
}

/// A path between two entities that names every relation it crosses.
#[derive(Debug, Clone)]
pub struct Path<'g> {
    start: &'g Entity,
    hops: Vec<Hop<'g>>,
    window: Window,
    sources: Vec<&'g Source>,
    certainty: Option<Certainty>,
    chronological: bool,
}

/// A path iterates its hops, in order.
///
/// # Example
///
/// ```
/// use healthgraph::{Filter, HealthGraph};
///
/// let graph = HealthGraph::load("data/hanoi.ron")?;
/// let view = graph.view(Filter::partnership());
/// let path = view.shortest_path("ap-hp", "karolinska-institute")?.expect("a path");
/// let stops: Vec<&str> = (&path).into_iter().map(|hop| hop.to().id().as_str()).collect();
/// assert_eq!(stops, ["hanoi-doh", "karolinska-institute"]);
/// for hop in &path {
///     assert!(!hop.relations().is_empty());
/// }
/// # Ok::<(), healthgraph::Error>(())
/// ```
impl<'a, 'g> IntoIterator for &'a Path<'g> {
    type Item = &'a Hop<'g>;
    type IntoIter = std::slice::Iter<'a, Hop<'g>>;

    fn into_iter(self) -> Self::IntoIter {
        self.hops.iter()
    }
}

impl<'g> Path<'g> {
    /// The number of hops.
    pub fn len(&self) -> usize {
        self.hops.len()
    }

    /// Whether the path has no hop (it starts where it ends).
    pub fn is_empty(&self) -> bool {
        self.hops.is_empty()
    }

    /// The hops, in order.
    pub fn hops(&self) -> &[Hop<'g>] {
        &self.hops
    }

    /// The entities along the path, both ends included.
    pub fn entities(&self) -> Vec<&'g Entity> {
        std::iter::once(self.start)
            .chain(self.hops.iter().map(|h| h.to))
            .collect()
    }

    /// When all its hops hold at once.
    pub fn window(&self) -> &Window {
        &self.window
    }

    /// The sources of every relation on the path, in id order.
    pub fn sources(&self) -> &[&'g Source] {
        &self.sources
    }

    /// Whether the path was found in time order
    /// ([`View::chronological_path`]): each hop crosses one relation, each
    /// starting no earlier than the one before.
    pub fn is_chronological(&self) -> bool {
        self.chronological
    }

    /// The path's verdict in time, when it was asked for: for a
    /// [chronological](View::chronological_path) path, whether its hops
    /// surely follow one another in time (and within the gap) or only may,
    /// given the precision of their dates; for a path
    /// [judged](Path::judged_during) in a window, whether every hop surely
    /// holds at some time in it. `None` for a path found without a time
    /// question.
    pub fn certainty(&self) -> Option<Certainty> {
        self.certainty
    }

    /// The path with its verdict for the window from the first day of
    /// `from` to the last day of `to`: [`Certainty::Surely`] if every hop has
    /// a relation that surely holds on some day of the window
    /// ([`Period::sure_days`]), [`Certainty::Maybe`] if some hop's relations
    /// only may (a coarse or missing date). Give `from` and `to` the same
    /// day for "on that day": then every hop surely holds on that day.
    ///
    /// # Example
    ///
    /// ```
    /// use healthgraph::{Certainty, Filter, HealthGraph};
    ///
    /// let graph = HealthGraph::load("data/hanoi.ron")?;
    /// let on = |d: &str| d.parse::<healthgraph::Date>();
    /// let view = graph.view(Filter::new().kinds_by_name("agreement")?.on(on("2026-01-01")?));
    /// let path = view.shortest_path("hanoi-obgyn-hospital", "karolinska-institute")?.expect("the renewal");
    /// let judged = path.judged_during(on("2026-01-01")?, on("2026-01-01")?);
    /// assert_eq!(judged.certainty(), Some(Certainty::Surely)); // 2025..2030 surely holds then
    /// let judged = judged.judged_during(on("2025-03-01")?, on("2025-03-01")?);
    /// assert_eq!(judged.certainty(), Some(Certainty::Maybe)); // "2025" may not have begun
    /// # Ok::<(), healthgraph::Error>(())
    /// ```
    pub fn judged_during(mut self, from: Date, to: Date) -> Path<'g> {
        let (a, b) = (from.first_day(), to.last_day());
        let surely = self.hops.iter().all(|hop| {
            hop.relations.iter().any(|r| {
                r.period()
                    .sure_days()
                    .is_some_and(|(f, t)| f <= b && a <= t)
            })
        });
        self.certainty = Some(if surely {
            Certainty::Surely
        } else {
            Certainty::Maybe
        });
        self
    }
}

/// The first and last day relation `r`'s start can mean; `None` without a
/// start.
fn start_days(r: &Relation) -> Option<(i32, i32)> {
    r.start().map(|s| (s.days(), s.last_day().days()))
}

/// The days, first and last, a hop's start can be read as, given a reading
/// of the hops before it in time order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Reading {
    lo: i32,
    hi: i32,
}

impl Reading {
    /// Before the first hop: any day.
    const ANY: Reading = Reading {
        lo: i32::MIN,
        hi: i32::MAX,
    };

    /// The reading of a start meaning the days `first..=last` after a hop
    /// read as `before` ([`Reading::ANY`] before the first hop): no earlier
    /// than it, and with a gap at most that many days after it; `None`
    /// when no day fits.
    fn follow(before: Reading, (first, last): (i32, i32), gap: Option<i32>) -> Option<Reading> {
        let lo = before.lo.max(first);
        let hi = gap.map_or(last, |g| last.min(before.hi.saturating_add(g)));
        (lo <= hi).then_some(Reading { lo, hi })
    }
}

/// Sets of days as sorted, disjoint (first, last) ranges.
type Days = Vec<(i32, i32)>;

/// `ranges` sorted, overlapping ones merged.
fn merge(mut ranges: Days) -> Days {
    ranges.sort_unstable();
    let mut out: Days = Vec::with_capacity(ranges.len());
    for (lo, hi) in ranges {
        match out.last_mut() {
            Some(last) if lo <= last.1 => last.1 = last.1.max(hi),
            _ => out.push((lo, hi)),
        }
    }
    out
}

/// The days in both `a` and `b`.
fn overlap(a: &[(i32, i32)], b: &[(i32, i32)]) -> Days {
    let mut out = Vec::new();
    let (mut i, mut j) = (0, 0);
    while let (Some(&(x0, x1)), Some(&(y0, y1))) = (a.get(i), b.get(j)) {
        let (lo, hi) = (x0.max(y0), x1.min(y1));
        if lo <= hi {
            out.push((lo, hi));
        }
        if x1 < y1 {
            i += 1;
        } else {
            j += 1;
        }
    }
    out
}

/// The steps of `list` (an entity's dated steps in time order, none wider
/// than `widest` days) that the fewest-hops search reads from a state with
/// `day`: forward, those whose start can be read as `day` or later;
/// backward, those that can begin by `day`. With `cut` (once the other
/// side has grown a level), not those the search in time order rules out:
/// forward, one beginning after the latest day any entity but the end can
/// be left on (a step straight to the end joins the other side's first
/// level as well); backward, one whose start ends before the earliest day
/// any entity but the start can be reached on.
fn readable<'l>(
    list: &'l [TimedStep],
    widest: i32,
    day: i32,
    forward: bool,
    cut: bool,
    reach: &Reach,
) -> &'l [TimedStep] {
    let (from, to) = if forward {
        let from = list.partition_point(|s| s.first < day.saturating_sub(widest));
        let to = if cut {
            let latest = reach.latest_useful();
            list.partition_point(|s| s.first <= latest)
        } else {
            list.len()
        };
        (from, to)
    } else {
        let from = if cut {
            let earliest = reach.earliest_useful();
            list.partition_point(|s| s.first < earliest.saturating_sub(widest))
        } else {
            0
        };
        (from, list.partition_point(|s| s.first <= day))
    };
    list.get(from..to).unwrap_or_default()
}

/// Whether the relations of `chain` are in time order (and within `gap`)
/// whatever day their coarse starts mean: each starts surely no earlier
/// than the one before.
fn surely_in_order(chain: &[(Node, &Relation)], gap: Option<i32>) -> bool {
    chain
        .windows(2)
        .all(|pair| match (pair.first(), pair.get(1)) {
            (Some(&(_, x)), Some(&(_, y))) => match (start_days(x), start_days(y)) {
                (Some((xf, xl)), Some((yf, yl))) => {
                    yf >= xl && gap.is_none_or(|g| yl.saturating_sub(xf) <= g)
                }
                _ => false,
            },
            _ => true,
        })
}

/// How many equally short walks a chronological search weighs, to give
/// one surely in time order when there is one.
const TIES: usize = 32;

/// Records a join (total hops, forward state, backward state): a shorter
/// one replaces the best and its ties, one as short joins the ties.
fn record(
    best: &mut Option<(usize, usize, usize)>,
    ties: &mut Vec<(usize, usize)>,
    (total, f, g): (usize, usize, usize),
) {
    match *best {
        Some((t, _, _)) if total == t => {
            if ties.len() < TIES {
                ties.push((f, g));
            }
        }
        Some((t, _, _)) if total > t => {}
        _ => {
            *best = Some((total, f, g));
            ties.clear();
            ties.push((f, g));
        }
    }
}

/// What the search in time order from both ends learnt
/// ([`View::chronological_path`]): forward, the earliest day found for
/// each entity reached (final once settled) and the entity it was reached
/// from; backward, the latest day it can be left on and still arrive, and
/// the entity it leads to; where the two searches stopped (every entity
/// not settled forward is reached no earlier than `front_early`; every one
/// not settled backward is left no later than `front_late`); and the
/// entities of the walk they found, from the start to the end. The days
/// are kept in scratch marks borrowed from the graph.
struct Reach {
    marks: Scratch,
    front_early: i32,
    front_late: i32,
    /// The earliest day of an entity settled forward other than the
    /// start, and the latest of one settled backward other than the end.
    settled_early: i32,
    settled_late: i32,
    walk: Vec<Node>,
}

/// The flags of an entity in [`Reach`]'s scratch: reached and settled,
/// forward and backward.
const FLAG_REACHED: [u8; 2] = [1, 2];
const FLAG_SETTLED: [u8; 2] = [4, 8];
/// The flag, in the fewest-hops search's scratch, of an entity with a
/// state on the forward or the backward side.
const FLAG_STATES: [u8; 2] = [1, 2];

/// Which of a pair of flags is `side`'s.
fn of_side([forward, backward]: [u8; 2], side: Side) -> u8 {
    match side {
        Side::Forward => forward,
        Side::Backward => backward,
    }
}

impl Reach {
    /// The day found for `node` on `side`, and whether it is settled. The
    /// flags are asked first: most entities a search looks at were never
    /// reached, and the flags stay in cache where the marks do not.
    fn day(&self, side: Side, node: usize) -> Option<(i32, bool)> {
        let flags = self.marks.flags(node);
        if flags & of_side(FLAG_REACHED, side) == 0 {
            return None;
        }
        Some((
            i32::from_ne_bytes(self.marks.dist(side, node).to_ne_bytes()),
            flags & of_side(FLAG_SETTLED, side) != 0,
        ))
    }

    /// The entity `node` was reached from on `side` (itself for an end).
    fn parent(&self, side: Side, node: usize) -> Option<Node> {
        if self.marks.flags(node) & of_side(FLAG_REACHED, side) == 0 {
            return None;
        }
        self.marks.parent(side, node).map(Node::from_index)
    }

    /// Sets the day found for `node` on `side`, reached from `parent`.
    fn set(&mut self, side: Side, node: usize, day: i32, parent: Node, settled: bool) {
        let day = u32::from_ne_bytes(day.to_ne_bytes());
        let parent = u32::try_from(parent.index()).unwrap_or(u32::MAX);
        self.marks.reach(side, node, day, parent);
        let settled = if settled {
            of_side(FLAG_SETTLED, side)
        } else {
            0
        };
        self.marks.flag(node, of_side(FLAG_REACHED, side) | settled);
    }

    /// Settles `node` on `side` with `day`, its final day there, and
    /// keeps the earliest (forward) or latest (backward) day settled of an
    /// entity other than that side's `end`.
    fn settle(&mut self, side: Side, node: Node, day: i32, end: bool) {
        let parent = self.parent(side, node.index()).unwrap_or(node);
        self.set(side, node.index(), day, parent, true);
        if !end {
            match side {
                Side::Forward => self.settled_early = self.settled_early.min(day),
                Side::Backward => self.settled_late = self.settled_late.max(day),
            }
        }
    }

    /// The entities of the walk through `node`: forward to it, backward
    /// from it.
    fn walk_through(&self, node: Node) -> Vec<Node> {
        let mut walk = vec![node];
        let mut at = node;
        while let Some(p) = self.parent(Side::Forward, at.index()).filter(|&p| p != at) {
            walk.push(p);
            at = p;
        }
        walk.reverse();
        at = node;
        while let Some(p) = self.parent(Side::Backward, at.index()).filter(|&p| p != at) {
            walk.push(p);
            at = p;
        }
        walk
    }

    /// Whether `node` is settled on `side`.
    fn settled(&self, side: Side, node: usize) -> bool {
        self.marks.flags(node) & of_side(FLAG_SETTLED, side) != 0
    }

    /// No walk that reaches an entity other than the end with its last
    /// start read as after this day can still arrive.
    fn latest_useful(&self) -> i32 {
        self.front_late.max(self.settled_late)
    }

    /// No walk can reach an entity other than the start in time to leave
    /// it by a start read as before this day.
    fn earliest_useful(&self) -> i32 {
        self.front_early.min(self.settled_early)
    }

    /// The day `node` is settled with on `side`, else `front`: a bound for
    /// every entity not settled.
    fn settled_or(&self, side: Side, node: usize, front: i32) -> i32 {
        match self.day(side, node) {
            Some((day, true)) => day,
            _ => front,
        }
    }

    /// Whether a walk that reaches `node` with its last start read as
    /// `day` can still arrive.
    fn may_leave(&self, node: Node, day: i32) -> bool {
        day <= self.settled_or(Side::Backward, node.index(), self.front_late)
    }

    /// Whether a walk can reach `node` in time to leave it by a start read
    /// as `day`.
    fn may_arrive(&self, node: Node, day: i32) -> bool {
        self.settled_or(Side::Forward, node.index(), self.front_early) <= day
    }
}

fn reverse(direction: Direction) -> Direction {
    match direction {
        Direction::Outgoing => Direction::Incoming,
        Direction::Incoming => Direction::Outgoing,
        _ => Direction::Both,
    }
}

/// What a constrained search may not use: entities, and steps between two
/// entities (in the direction of the search).
#[derive(Default)]
struct Bans {
    nodes: HashSet<Node>,
    steps: HashSet<(Node, Node)>,
}

impl<'g> View<'g> {
    /// A shortest path from `from` to `to` in the view (fewest hops), or
    /// `None` if there is none. Each hop names every relation of the view
    /// that joins its two entities.
    ///
    /// Bidirectional breadth-first search: it stops when the two searches
    /// meet, so it touches about the entities within half the distance of
    /// each end. O(b^(d/2)) for branching b and distance d.
    ///
    /// # Errors
    ///
    /// [`Rule::UnknownEntity`](crate::Rule::UnknownEntity) if the graph has
    /// no entity `from` or `to`; [`Rule::HiddenEntity`](crate::Rule::HiddenEntity)
    /// if the view's filter hides one.
    ///
    /// # Example
    ///
    /// ```
    /// use healthgraph::{Filter, HealthGraph};
    ///
    /// let graph = HealthGraph::load("data/hanoi.ron")?;
    /// let view = graph.view(Filter::partnership());
    /// let path = view.shortest_path("ap-hp", "karolinska-institute")?.expect("both work with the DoH");
    /// let ids: Vec<&str> = path.entities().iter().map(|e| e.id().as_str()).collect();
    /// assert_eq!(ids, ["ap-hp", "hanoi-doh", "karolinska-institute"]);
    /// assert_eq!(path.hops()[0].relations().len(), 2); // the 2024-2029 cooperation and the 2025 visit
    /// # Ok::<(), healthgraph::Error>(())
    /// ```
    pub fn shortest_path(&self, from: &str, to: &str) -> Result<Option<Path<'g>>, Error> {
        let (a, b) = (self.resolve(from)?, self.resolve(to)?);
        Ok(self
            .bfs_path(a, b, &Bans::default())
            .and_then(|nodes| self.materialize(&nodes)))
    }

    /// Up to `k` shortest simple paths from `from` to `to`, shortest first,
    /// all distinct (as sequences of entities; parallel relations are named
    /// in the hops, not spread over several paths).
    ///
    /// Yen's algorithm over the bidirectional search: O(k·L) searches for
    /// paths of length up to L.
    ///
    /// # Errors
    ///
    /// As [`View::shortest_path`].
    ///
    /// # Example
    ///
    /// ```
    /// use healthgraph::{Filter, HealthGraph};
    ///
    /// let graph = HealthGraph::load("data/hanoi.ron")?;
    /// let paths = graph.view(Filter::new()).shortest_paths("hanoi-heart-hospital", "hanoi-doh", 3)?;
    /// let via: Vec<&str> = paths.iter().map(|p| p.entities()[1].id().as_str()).collect();
    /// // Two hops through AP-HP (the reception) or through the city, then three hops.
    /// assert_eq!(via, ["ap-hp", "hanoi", via[2]]);
    /// assert_eq!(paths.iter().map(|p| p.len()).collect::<Vec<_>>(), [2, 2, 3]);
    /// # Ok::<(), healthgraph::Error>(())
    /// ```
    pub fn shortest_paths(&self, from: &str, to: &str, k: usize) -> Result<Vec<Path<'g>>, Error> {
        let (a, b) = (self.resolve(from)?, self.resolve(to)?);
        let mut found: Vec<(usize, Vec<&str>, Vec<Node>)> = self
            .yen(a, b, k)
            .into_iter()
            .map(|p| (p.len(), self.ids(&p), p))
            .collect();
        // Yen's order is by length; among equal lengths, order by the ids
        // along the path so that equal data gives equal answers.
        found.sort();
        Ok(found
            .iter()
            .filter_map(|(_, _, nodes)| self.materialize(nodes))
            .collect())
    }

    /// The simple paths from `from` to `to`, shortest first, found one at a
    /// time as they are asked for (Yen's algorithm, as NetworkX's
    /// `shortest_simple_paths`): take as many as wanted, and the rest are
    /// never searched for. Paths of equal length come in the order Yen's
    /// algorithm accepts them (the first is the shortest path the plain
    /// search finds); [`View::shortest_paths`] sorts them by the ids along
    /// them.
    ///
    /// Each path after the first costs one search per entity of the path
    /// before it, and the paths found so far are kept.
    ///
    /// # Errors
    ///
    /// As [`View::shortest_path`].
    ///
    /// # Example
    ///
    /// ```
    /// use healthgraph::{Filter, HealthGraph};
    ///
    /// let graph = HealthGraph::load("data/hanoi.ron")?;
    /// let view = graph.view(Filter::new());
    /// let mut paths = view.shortest_simple_paths("hanoi-heart-hospital", "hanoi-doh")?;
    /// assert_eq!(paths.next().map(|p| p.len()), Some(2));
    /// // Ask for more only while they are wanted: here, until one is longer than two hops.
    /// let short = paths.take_while(|p| p.len() <= 2).count();
    /// assert_eq!(short, 1); // the other two-hop path; the next has three
    /// # Ok::<(), healthgraph::Error>(())
    /// ```
    pub fn shortest_simple_paths(
        &self,
        from: &str,
        to: &str,
    ) -> Result<ShortestSimplePaths<'_, 'g>, Error> {
        let (a, b) = (self.resolve(from)?, self.resolve(to)?);
        Ok(ShortestSimplePaths {
            view: self,
            a,
            b,
            yen: Yen::default(),
        })
    }

    /// Every simple path from `from` to `to` of at most `max_hops` hops,
    /// shortest first, then in order of the entity ids along them.
    ///
    /// Depth-first search pruned by the distance to `to` (a breadth-first
    /// search from `to` first): it never extends a path that cannot reach
    /// `to` within the bound. The number of paths can grow exponentially
    /// with `max_hops`.
    ///
    /// # Errors
    ///
    /// As [`View::shortest_path`].
    ///
    /// # Example
    ///
    /// ```
    /// use healthgraph::{Filter, HealthGraph};
    ///
    /// let graph = HealthGraph::load("data/hanoi.ron")?;
    /// let view = graph.view(Filter::partnership());
    /// let paths = view.paths("hanoi-obgyn-hospital", "hanoi-doh", 2)?;
    /// assert_eq!(paths.len(), 1); // through Karolinska
    /// assert!(view.paths("hanoi-obgyn-hospital", "hanoi-doh", 1)?.is_empty());
    /// # Ok::<(), healthgraph::Error>(())
    /// ```
    pub fn paths(&self, from: &str, to: &str, max_hops: usize) -> Result<Vec<Path<'g>>, Error> {
        self.paths_limited(from, to, max_hops, usize::MAX)
    }

    /// The first `limit` of [`View::paths`], in the same order, found
    /// without finding the rest: paths are searched one length at a time
    /// (iterative deepening), and within a length depth first with
    /// neighbours in id order, which is the order of the answer, so the
    /// search stops at the `limit`th path. Memory is the current path and
    /// the distances to `to`; no recursion, whatever `max_hops`.
    ///
    /// # Errors
    ///
    /// As [`View::shortest_path`].
    ///
    /// # Example
    ///
    /// ```
    /// use healthgraph::{Filter, HealthGraph};
    ///
    /// let graph = HealthGraph::load("data/hanoi.ron")?;
    /// let view = graph.view(Filter::new());
    /// let all = view.paths("hanoi-obgyn-hospital", "ap-hp", 4)?;
    /// let first = view.paths_limited("hanoi-obgyn-hospital", "ap-hp", 4, 2)?;
    /// assert!(all.len() > 2);
    /// assert_eq!(first.len(), 2);
    /// for (a, b) in first.iter().zip(&all) {
    ///     assert_eq!(a.entities(), b.entities());
    /// }
    /// # Ok::<(), healthgraph::Error>(())
    /// ```
    pub fn paths_limited(
        &self,
        from: &str,
        to: &str,
        max_hops: usize,
        limit: usize,
    ) -> Result<Vec<Path<'g>>, Error> {
        Ok(self.simple_paths(from, to, max_hops)?.take(limit).collect())
    }

    /// The simple paths from `from` to `to` of at most `max_hops` hops, as
    /// an iterator that finds each path when it is asked for the next, in
    /// the order of [`View::paths`]: shortest first, then by the ids along
    /// them. Searched one length at a time, depth first with neighbours in
    /// id order; memory is the current path, the distances to `to`, and a
    /// list of next steps per hop; no recursion.
    ///
    /// # Errors
    ///
    /// As [`View::shortest_path`].
    ///
    /// # Example
    ///
    /// ```
    /// use healthgraph::{Filter, HealthGraph};
    ///
    /// let graph = HealthGraph::load("data/hanoi.ron")?;
    /// let view = graph.view(Filter::new());
    /// let mut paths = view.simple_paths("hanoi-obgyn-hospital", "ap-hp", 6)?;
    /// let first = paths.next().expect("a path");
    /// assert_eq!(first.len(), 1); // the hospital attended the AP-HP reception
    /// // Ask for as many as wanted, shortest first; the rest are never searched for.
    /// let next: Vec<usize> = paths.take(5).map(|p| p.len()).collect();
    /// assert_eq!(next, [3, 3, 3, 3, 3]);
    /// # Ok::<(), healthgraph::Error>(())
    /// ```
    pub fn simple_paths(
        &self,
        from: &str,
        to: &str,
        max_hops: usize,
    ) -> Result<SimplePaths<'_, 'g>, Error> {
        let (a, b) = (self.resolve(from)?, self.resolve(to)?);
        let to_target = self.distances(b, reverse(self.filter.traversal()), max_hops);
        let length = to_target.get(&a).copied();
        Ok(SimplePaths {
            view: self,
            a,
            b,
            max_hops,
            to_target,
            length,
            started: false,
            path: vec![a],
            on_path: HashSet::from([a]),
            stack: Vec::new(),
        })
    }

    /// The next steps from `here` that can still end at `b` after exactly
    /// `length` hops in all, `hops` made so far, in id order.
    fn steps_for(
        &self,
        (here, b): (Node, Node),
        (length, hops): (usize, usize),
        to_target: &HashMap<Node, usize>,
        on_path: &HashSet<Node>,
    ) -> Vec<Node> {
        let left = length - hops - 1;
        let mut next: Vec<Node> = self
            .steps(here)
            .map(|s| s.other)
            .filter(|n| !on_path.contains(n))
            .filter(|n| to_target.get(n).is_some_and(|d| *d <= left))
            .filter(|n| (*n == b) == (left == 0))
            .collect();
        // In id order (one node, one id: parallel relations dedup).
        next.sort_by_key(|n| self.graph.entity_at(*n).map(|e| e.id.as_str()));
        next.dedup();
        next
    }

    /// Breadth-first distances from `start` following `direction`, up to `limit`.
    fn distances(&self, start: Node, direction: Direction, limit: usize) -> HashMap<Node, usize> {
        let mut dist = HashMap::from([(start, 0)]);
        let mut frontier = vec![start];
        for d in 1..=limit {
            let mut next = Vec::new();
            for node in frontier {
                for s in self.steps_towards(node, direction) {
                    if let std::collections::hash_map::Entry::Vacant(v) = dist.entry(s.other) {
                        v.insert(d);
                        next.push(s.other);
                    }
                }
            }
            if next.is_empty() {
                break;
            }
            frontier = next;
        }
        dist
    }

    fn ids(&self, nodes: &[Node]) -> Vec<&'g str> {
        nodes
            .iter()
            .filter_map(|n| self.graph.entity_at(*n).map(|e| e.id.as_str()))
            .collect()
    }

    /// Bidirectional breadth-first search avoiding `bans`; the nodes of a
    /// shortest path from `a` to `b`, both included. Marks live in scratch
    /// space borrowed from the graph, so a search costs what it touches.
    fn bfs_path(&self, a: Node, b: Node, bans: &Bans) -> Option<Vec<Node>> {
        if bans.nodes.contains(&a) || bans.nodes.contains(&b) {
            return None;
        }
        if a == b {
            return Some(vec![a]);
        }
        let mut s = self.graph.take_scratch();
        let found = self.meet(a, b, bans, &mut s);
        let path = found.map(|(u, v)| {
            // u was reached forward, v backward; follow both parent chains.
            let mut forward = vec![u];
            let mut at = u;
            while at != a.index() {
                at = s.parent(Side::Forward, at).unwrap_or(a.index() as u32) as usize;
                forward.push(at);
            }
            forward.reverse();
            let mut at = v;
            forward.push(v);
            while at != b.index() {
                at = s.parent(Side::Backward, at).unwrap_or(b.index() as u32) as usize;
                forward.push(at);
            }
            forward
                .into_iter()
                .map(|i| Node::from_index(i as u32))
                .collect()
        });
        self.graph.give_back(s);
        path
    }

    /// Expands the smaller frontier one level at a time until the two
    /// searches meet; returns the meeting step (forward node, backward node)
    /// of a shortest path.
    ///
    /// The first meeting is a shortest path: a frontier node is never seen by
    /// the other side (that would have been a meeting already), so none of
    /// its neighbours lies nearer than the other side's current depth (the
    /// other side would have stepped from that neighbour to it). Every
    /// meeting of a level therefore has the same length.
    fn meet(&self, a: Node, b: Node, bans: &Bans, s: &mut Scratch) -> Option<(usize, usize)> {
        let forward_dir = self.filter.traversal();
        let backward_dir = reverse(forward_dir);
        let check_bans = !bans.nodes.is_empty() || !bans.steps.is_empty();
        s.reach(Side::Forward, a.index(), 0, a.index() as u32);
        s.reach(Side::Backward, b.index(), 0, b.index() as u32);
        let mut fwd = vec![a.index()];
        let mut bwd = vec![b.index()];
        while !fwd.is_empty() && !bwd.is_empty() {
            let forward = fwd.len() <= bwd.len();
            let (this, other, direction) = if forward {
                (Side::Forward, Side::Backward, forward_dir)
            } else {
                (Side::Backward, Side::Forward, backward_dir)
            };
            let frontier = if forward {
                std::mem::take(&mut fwd)
            } else {
                std::mem::take(&mut bwd)
            };
            let mut next = Vec::new();
            for &u in &frontier {
                let du = s.dist(this, u);
                for v in self.step_nodes(Node::from_index(u as u32), direction) {
                    if check_bans {
                        let (x, y) = if forward { (u, v) } else { (v, u) };
                        if bans.nodes.contains(&Node::from_index(v as u32))
                            || bans
                                .steps
                                .contains(&(Node::from_index(x as u32), Node::from_index(y as u32)))
                        {
                            continue;
                        }
                    }
                    if s.seen(other, v) {
                        return Some(if forward { (u, v) } else { (v, u) });
                    }
                    if !s.seen(this, v) {
                        s.reach(this, v, du + 1, u as u32);
                        next.push(v);
                    }
                }
            }
            if forward {
                fwd = next;
            } else {
                bwd = next;
            }
        }
        None
    }

    /// Yen's k shortest simple paths, as node sequences.
    fn yen(&self, a: Node, b: Node, k: usize) -> Vec<Vec<Node>> {
        let mut state = Yen::default();
        while state.accepted.len() < k && self.yen_next(a, b, &mut state).is_some() {}
        state.accepted
    }

    /// The next of Yen's shortest simple paths from `a` to `b`: the first is
    /// a shortest path; each later one the best candidate found by spurring
    /// off the last accepted path. `None` once there is no other.
    fn yen_next(&self, a: Node, b: Node, state: &mut Yen<'g>) -> Option<Vec<Node>> {
        if state.done {
            return None;
        }
        let Some(last) = state.accepted.last().cloned() else {
            let first = self.bfs_path(a, b, &Bans::default());
            state.done = first.is_none();
            state.accepted.extend(first.clone());
            return first;
        };
        // Spur at each node of the last path in turn. The root before the
        // spur is banned, and grows by one node per step; the accepted
        // paths that share the root are narrowed as it grows, so a step
        // costs what it changes, not the root's length.
        let mut bans = Bans::default();
        let mut sharing: Vec<&Vec<Node>> = state.accepted.iter().collect();
        for i in 0..last.len().saturating_sub(1) {
            let (Some(&spur), Some(root)) = (last.get(i), last.get(..=i)) else {
                continue;
            };
            if let Some(&before) = i.checked_sub(1).and_then(|j| last.get(j)) {
                bans.nodes.insert(before);
            }
            sharing.retain(|p| p.get(i) == Some(&spur));
            bans.steps.clear();
            for p in &sharing {
                if let Some(&y) = p.get(i + 1) {
                    bans.steps.insert((spur, y));
                }
            }
            if let Some(spur_path) = self.bfs_path(spur, b, &bans) {
                let mut total: Vec<Node> = Vec::with_capacity(i + spur_path.len());
                total.extend_from_slice(root.get(..i).unwrap_or_default());
                total.extend(spur_path);
                if !state.accepted.contains(&total) {
                    state
                        .candidates
                        .insert((total.len(), self.ids(&total), total));
                }
            }
        }
        match state.candidates.pop_first() {
            Some((_, _, best)) => {
                state.accepted.push(best.clone());
                Some(best)
            }
            None => {
                state.done = true;
                None
            }
        }
    }

    /// A shortest time-respecting path from `from` to `to` (fewest hops):
    /// each hop crosses one relation that starts no earlier than the
    /// previous hop's (a visit, then an MOU, then a training), and, with
    /// `max_gap`, at most that many days after it. Relations without a
    /// start cannot be placed in time and are not crossed.
    ///
    /// A coarse start ("2020") may mean any day it covers. The search
    /// accepts a path when there is a reading of its starts, one day each,
    /// in which every hop follows the one before (and within the gap): a
    /// visit on 2020-06-15, an MOU in "2020" and a training on 2020-03-01
    /// do not, though each pair might. The path's [`Path::certainty`] says
    /// whether the order (and the gaps) hold whatever day the coarse dates
    /// mean, or only may; of the equally short paths it meets (up to 32),
    /// it gives one that is surely in order when there is one. Each hop
    /// names only the relation it crosses.
    ///
    /// Without a gap, the search first runs in time order from both ends
    /// (the earliest day each entity can be reached on, the latest it can
    /// be left on and still arrive) until the two meet or prove that
    /// nothing arrives, then looks for fewer hops from both ends among the
    /// steps that can still arrive in time; a pair with no such path costs
    /// what reaching it in time costs, not the whole graph. Both read each
    /// entity's dated steps in time order: the first chronological path
    /// on a view lists them (O(m log d), on two threads for a large graph;
    /// about 0.35 s and 16 bytes per dated step at a million entities), and
    /// the view and its clones keep the list. With a gap, the search goes
    /// one way, breadth first, over (entity, days its last start can be
    /// read as), keeping at an entity only a reading that no reading kept
    /// there before (with no more hops) covers, and reading of each entity's
    /// list only the steps within the gap.
    ///
    /// # Errors
    ///
    /// As [`View::shortest_path`].
    ///
    /// # Example
    ///
    /// ```
    /// use healthgraph::{Certainty, Filter, HealthGraph};
    ///
    /// let graph = HealthGraph::load("data/hanoi.ron")?;
    /// let view = graph.view(Filter::partnership());
    /// // Kobe visited the DoH on 2025-01-17, Karolinska on 2025-05-23: in that order.
    /// let path = view.chronological_path("kobe-university-hospital", "karolinska-institute", None)?.expect("through the DoH");
    /// let crossed: Vec<&str> = path.hops().iter().map(|h| h.relation().id().as_str()).collect();
    /// assert_eq!(crossed[0], "visit-kobe-university-hospital-hanoi-doh-2025");
    /// assert_eq!(path.certainty(), Some(Certainty::Surely));
    /// // The other way round the visits come in the wrong order.
    /// let back = view.chronological_path("karolinska-institute", "kobe-university-hospital", None)?;
    /// assert!(back.is_none());
    /// # Ok::<(), healthgraph::Error>(())
    /// ```
    pub fn chronological_path(
        &self,
        from: &str,
        to: &str,
        max_gap: Option<u32>,
    ) -> Result<Option<Path<'g>>, Error> {
        let (a, b) = (self.resolve(from)?, self.resolve(to)?);
        if a == b {
            return Ok(self.materialize(&[a]));
        }
        let gap = max_gap.map(|g| i32::try_from(g).unwrap_or(i32::MAX));
        if gap.is_none() {
            let Some(reach) = self.chronological_reach(a, b) else {
                return Ok(None);
            };
            // The walk found in time order, unless halfway from both ends
            // among the entities a path can use finds a shorter one. A walk
            // with the fewest hops never meets itself (it would be shorter
            // without the loop); the one-way search below is kept for one
            // that does.
            // The walks the second search found, then the first search's
            // when none was shorter.
            let mut walks = self.chronological_meet(a, b, &reach);
            if walks
                .first()
                .is_none_or(|w| w.len() + 1 >= reach.walk.len())
            {
                walks.extend(self.chain_along(&reach.walk));
            }
            self.graph.give_back(reach.marks);
            if let Some(path) = self.surest(a, walks, None) {
                return Ok(Some(path));
            }
        }
        /// A search state: where, by which relation, the days its start can
        /// be read as, and the state it came from.
        struct State<'g> {
            node: Node,
            relation: Option<&'g Relation>,
            reading: Reading,
            parent: usize,
            hops: usize,
        }
        let mut states: Vec<State<'g>> = vec![State {
            node: a,
            relation: None,
            reading: Reading::ANY,
            parent: usize::MAX,
            hops: 0,
        }];
        // The walks that arrive with the fewest hops, the first `TIES`,
        // and how many hops that is.
        let mut arrived: Vec<Vec<(Node, &'g Relation)>> = Vec::new();
        let mut fewest: Option<usize> = None;
        // Per entity, the readings it was reached with, each by no more
        // hops than any later one: a reading that starts no later and ends
        // no earlier (only the start counts without a gap) allows every
        // continuation a later one does.
        let covers = |k: &Reading, r: &Reading| k.lo <= r.lo && (gap.is_none() || k.hi >= r.hi);
        // Whether `node` is on the chain of states that ends at `at`.
        let on_chain = |states: &[State<'g>], at: usize, node: Node| {
            let mut i = at;
            while let Some(s) = states.get(i) {
                if s.node == node {
                    return true;
                }
                i = s.parent;
            }
            false
        };
        let mut kept: HashMap<Node, Vec<Reading>> = HashMap::new();
        let ahead = self.timed_steps(self.filter.traversal());
        let mut queue = std::collections::VecDeque::from([0usize]);
        while let Some(at) = queue.pop_front() {
            let (node, before, hops) = match states.get(at) {
                Some(s) => (s.node, s.reading, s.hops),
                None => break,
            };
            if fewest.is_some_and(|f| hops + 1 > f) || arrived.len() >= TIES {
                // Every walk as short as the first to arrive is seen, or
                // as many as are weighed.
                break;
            }
            // The steps whose start can be read as after `before` (and,
            // with a gap, within it), from the entity's list in time order.
            let list = ahead.of(node.index());
            let from = list.partition_point(|s| s.first < before.lo.saturating_sub(ahead.widest));
            let to = gap.map_or(list.len(), |g| {
                list.partition_point(|s| s.first <= before.hi.saturating_add(g))
            });
            let steps = list.get(from..to).unwrap_or_default();
            for &TimedStep {
                first,
                last,
                other,
                edge,
            } in steps
            {
                let Some(reading) = Reading::follow(before, (first, last), gap) else {
                    continue;
                };
                let Some(relation) = self.graph.relation_at(edge) else {
                    continue;
                };
                let other = Node::from_index(other);
                if other == a || on_chain(&states, at, other) {
                    continue;
                }
                // The end keeps every arrival (up to `TIES`), to weigh
                // them; it is not left again.
                if other != b {
                    let list = kept.entry(other).or_default();
                    if list.iter().any(|k| covers(k, &reading)) {
                        continue;
                    }
                    list.push(reading);
                } else if arrived.len() >= TIES {
                    continue;
                }
                states.push(State {
                    node: other,
                    relation: Some(relation),
                    reading,
                    parent: at,
                    hops: hops + 1,
                });
                let here = states.len() - 1;
                if other == b {
                    let mut chain: Vec<(Node, &'g Relation)> = Vec::new();
                    let mut i = here;
                    while let Some(s) = states.get(i) {
                        if let Some(r) = s.relation {
                            chain.push((s.node, r));
                        }
                        i = s.parent;
                    }
                    chain.reverse();
                    arrived.push(chain);
                    fewest = Some(hops + 1);
                } else if fewest.is_none() {
                    queue.push_back(here);
                }
            }
        }
        Ok(self.surest(a, arrived, gap))
    }

    /// The same entities in time order, each hop crossing, among the
    /// relations of the view that join its two entities, what was agreed
    /// rather than only proposed, then the earliest, so that the chosen
    /// starts still have a reading in time order: the days each relation
    /// can be read as with a reading of the hops after it are worked out
    /// backward, the choice made forward.
    fn prefer_agreed(
        &self,
        start: Node,
        chain: Vec<(Node, &'g Relation)>,
        gap: Option<i32>,
    ) -> Vec<(Node, &'g Relation)> {
        let mut previous = start;
        let mut hops: Vec<Vec<(&'g Relation, (i32, i32))>> = Vec::with_capacity(chain.len());
        for &(node, _) in &chain {
            hops.push(
                self.steps_to(previous, node)
                    .filter_map(|r| Some((r, start_days(r)?)))
                    .collect(),
            );
            previous = node;
        }
        // Backward: per hop and relation, the days its start can be read
        // as so that the hops after it can follow.
        let mut can_be: Vec<Vec<Days>> = Vec::with_capacity(hops.len());
        let mut next: Option<Days> = None;
        for hop in hops.iter().rev() {
            let here: Vec<Days> = hop
                .iter()
                .map(|&(_, (f, l))| match &next {
                    None => vec![(f, l)],
                    Some(after) => after
                        .iter()
                        .filter_map(|&(p, q)| {
                            // Read as d, it may be followed on p..=q if d <= q
                            // and, with a gap, d >= p - gap.
                            let lo = gap.map_or(f, |g| f.max(p.saturating_sub(g)));
                            let hi = l.min(q);
                            (lo <= hi).then_some((lo, hi))
                        })
                        .collect(),
                })
                .collect();
            next = Some(merge(here.iter().flatten().copied().collect()));
            can_be.push(here);
        }
        can_be.reverse();
        let rank = |r: &Relation| {
            let proposal = matches!(
                r.status,
                Status::Proposed | Status::Discussed | Status::Planned
            );
            (proposal, start_days(r), r.id.as_str().to_owned())
        };
        // Forward: the best relation per hop that can follow the ones chosen.
        let mut chosen: Vec<&'g Relation> = Vec::with_capacity(chain.len());
        let mut read_as: Option<Days> = None;
        for (hop, can_be) in hops.iter().zip(&can_be) {
            let pick = hop
                .iter()
                .zip(can_be)
                .filter_map(|(&(r, _), days)| {
                    let days = match &read_as {
                        None => days.clone(),
                        Some(before) => {
                            let reach: Days = before
                                .iter()
                                .map(|&(p, q)| (p, gap.map_or(i32::MAX, |g| q.saturating_add(g))))
                                .collect();
                            overlap(days, &merge(reach))
                        }
                    };
                    (!days.is_empty()).then_some((r, days))
                })
                .min_by_key(|(r, _)| rank(r));
            match pick {
                Some((r, days)) => {
                    chosen.push(r);
                    read_as = Some(days);
                }
                // Cannot happen (the search found this chain); keep its choice.
                None => return chain,
            }
        }
        chain.iter().map(|&(node, _)| node).zip(chosen).collect()
    }

    /// The search in time order from both ends that tells whether `b` can
    /// be reached from `a` at all, finds a walk when it can, and bounds
    /// when each entity can be reached and left; `None` when no walk
    /// arrives.
    ///
    /// Forward, Dijkstra's order over the earliest day each entity can be
    /// reached on (the reading of its arriving start: a walk's readings
    /// never go back, so the earliest arrival allows every continuation a
    /// later one does); backward, over the latest day each entity can be
    /// left on and still reach `b`. An entity's steps are read from its
    /// list in time order ([`View::timed_steps`]) one at a time, each when
    /// the search's day comes to it, so a hub costs the steps the search
    /// reaches, not its degree. The two sides take turns; the search stops
    /// when an entity is reached no later than it can be left (a walk), or
    /// when the forward front has passed the backward one: then every
    /// entity of a time-respecting walk would have been settled on one side
    /// or the other (where the walk's readings are before the forward
    /// front, forward; after it, backward) and met.
    fn chronological_reach(&self, a: Node, b: Node) -> Option<Reach> {
        use std::cmp::Reverse;
        use std::collections::BinaryHeap;
        /// In a heap entry: the entity itself, not the next of its steps.
        const ITSELF: u32 = u32::MAX;
        let forward_dir = self.filter.traversal();
        let ahead = self.timed_steps(forward_dir);
        let behind = self.timed_steps(reverse(forward_dir));
        let mut reach = Reach {
            marks: self.graph.take_scratch(),
            front_early: i32::MIN,
            front_late: i32::MAX,
            settled_early: i32::MAX,
            settled_late: i32::MIN,
            walk: Vec::new(),
        };
        let index = |n: Node| u32::try_from(n.index()).unwrap_or(u32::MAX);
        reach.set(Side::Forward, a.index(), i32::MIN, a, false);
        reach.set(Side::Backward, b.index(), i32::MAX, b, false);
        // Entries: (day, entity, ITSELF) for an entity reached on that
        // day; (day, entity, position) for the next of its steps to read,
        // which reaches its other end on that day (forward) or no later
        // (backward).
        let mut early_heap = BinaryHeap::from([Reverse((i32::MIN, index(a), ITSELF))]);
        let mut late_heap = BinaryHeap::from([(i32::MAX, index(b), ITSELF)]);
        let (mut turns_early, mut turns_late) = (0usize, 0usize);
        let mut met: Option<Node> = None;
        while met.is_none() {
            // Drop entries for entities settled since they were pushed.
            while early_heap.peek().is_some_and(|&Reverse((_, n, at))| {
                at == ITSELF && reach.settled(Side::Forward, n as usize)
            }) {
                early_heap.pop();
            }
            while late_heap.peek().is_some_and(|&(_, n, at)| {
                at == ITSELF && reach.settled(Side::Backward, n as usize)
            }) {
                late_heap.pop();
            }
            reach.front_early = early_heap.peek().map_or(i32::MAX, |Reverse((d, _, _))| *d);
            reach.front_late = late_heap.peek().map_or(i32::MIN, |(d, _, _)| *d);
            if reach.front_early > reach.front_late {
                break;
            }
            if turns_early <= turns_late {
                turns_early += 1;
                let Some(Reverse((day, v, at))) = early_heap.pop() else {
                    break;
                };
                let node = Node::from_index(v);
                let steps = ahead.of(node.index());
                let (arrived, next) = if at == ITSELF {
                    reach.settle(Side::Forward, node, day, node == a);
                    // A start read as this day or later can follow: no step
                    // whose start begins more than the widest span before.
                    let from =
                        steps.partition_point(|s| s.first < day.saturating_sub(ahead.widest));
                    (day, from)
                } else {
                    let arrived = reach
                        .day(Side::Forward, node.index())
                        .map_or(day, |(d, _)| d);
                    if let Some(step) = steps.get(at as usize).filter(|s| s.last >= arrived) {
                        let other = step.other as usize;
                        let known = reach.day(Side::Forward, other);
                        if known.is_none_or(|(best, settled)| !settled && day < best) {
                            reach.set(Side::Forward, other, day, node, false);
                            early_heap.push(Reverse((day, step.other, ITSELF)));
                            // A walk arrives at `other` no later than one leaves it.
                            if reach
                                .day(Side::Backward, other)
                                .is_some_and(|(leave, _)| day <= leave)
                            {
                                met = Some(Node::from_index(step.other));
                            }
                        }
                    }
                    (arrived, at as usize + 1)
                };
                if let Some(step) = steps.get(next) {
                    let position = u32::try_from(next).unwrap_or(ITSELF);
                    early_heap.push(Reverse((arrived.max(step.first), v, position)));
                }
            } else {
                turns_late += 1;
                let Some((day, v, at)) = late_heap.pop() else {
                    break;
                };
                let node = Node::from_index(v);
                let steps = behind.of(node.index());
                let (left, next) = if at == ITSELF {
                    reach.settle(Side::Backward, node, day, node == b);
                    // A start that may begin by this day can come before.
                    (
                        day,
                        steps.partition_point(|s| s.first <= day).checked_sub(1),
                    )
                } else {
                    let left = reach
                        .day(Side::Backward, node.index())
                        .map_or(day, |(d, _)| d);
                    if let Some(step) = steps.get(at as usize) {
                        let other = step.other as usize;
                        let leave = left.min(step.last);
                        let known = reach.day(Side::Backward, other);
                        if known.is_none_or(|(best, settled)| !settled && leave > best) {
                            reach.set(Side::Backward, other, leave, node, false);
                            late_heap.push((leave, step.other, ITSELF));
                            if reach
                                .day(Side::Forward, other)
                                .is_some_and(|(arrive, _)| arrive <= leave)
                            {
                                met = Some(Node::from_index(step.other));
                            }
                        }
                    }
                    (left, (at as usize).checked_sub(1))
                };
                if let Some((next, step)) = next.and_then(|i| Some((i, steps.get(i)?))) {
                    // No step at or before this one can be left later than
                    // its first day and the widest span: an upper bound, so
                    // nothing is settled before a step could beat it.
                    let position = u32::try_from(next).unwrap_or(ITSELF);
                    let bound = left.min(step.first.saturating_add(behind.widest));
                    late_heap.push((bound, v, position));
                }
            }
        }
        match met {
            Some(node) => {
                reach.walk = reach.walk_through(node);
                Some(reach)
            }
            None => {
                self.graph.give_back(reach.marks);
                None
            }
        }
    }

    /// Time-respecting walks from `a` to `b` with no more hops than the one
    /// `reach` found, as (entity reached, relation crossed) per hop: the
    /// fewest hops there are, and the first [`TIES`] as short it meets;
    /// none when none is shorter or as short. Searched from both ends at
    /// once among the steps `reach` allows.
    ///
    /// Forward, a state is an entity reached and the first day the
    /// arriving start can be read as (the earlier, the more can follow);
    /// backward, an entity to leave and the last day the leaving start can
    /// be read as (the later, the more can come before). A state another
    /// at the same entity beats on both hops and day is not kept, nor one
    /// from which, by `reach`, the other end cannot be reached in time. A
    /// forward and a backward state at one entity join when the one to
    /// leave by may start no earlier than the one that arrived. The side
    /// whose next level reads fewer steps grows a level at a time; the
    /// search stops when no walk still unseen can be shorter than the best
    /// join (every walk of at most the two depths together has been joined,
    /// or beaten, by then), as the plain shortest path does, so the last
    /// level keeps a state only when it joins.
    fn chronological_meet(
        &self,
        a: Node,
        b: Node,
        reach: &Reach,
    ) -> Vec<Vec<(Node, &'g Relation)>> {
        /// A search state of one side, with the state before it at the
        /// same entity on that side (`usize::MAX` for none).
        struct State<'g> {
            node: Node,
            day: i32,
            hops: usize,
            via: Option<&'g Relation>,
            parent: usize,
            same_node: usize,
        }
        /// One side of the search: its states, its frontier and depth, and
        /// which side of `marks` holds the last state at each entity.
        struct Half<'g> {
            states: Vec<State<'g>>,
            frontier: Vec<usize>,
            depth: usize,
            side: Side,
            /// The flag set on an entity that has a state on this side.
            flag: u8,
        }
        impl Half<'_> {
            /// The states at `node`, newest first.
            fn at<'s>(
                &'s self,
                marks: &Scratch,
                node: Node,
            ) -> impl Iterator<Item = (usize, &'s State<'s>)> + 's {
                let mut next = if marks.flags(node.index()) & self.flag != 0 {
                    marks.dist(self.side, node.index()) as usize
                } else {
                    usize::MAX
                };
                std::iter::from_fn(move || {
                    let i = next;
                    let s = self.states.get(i)?;
                    next = s.same_node;
                    Some((i, s))
                })
            }
        }
        let mut marks = self.graph.take_scratch();
        let root = |node: Node, day: i32, side: Side, marks: &mut Scratch| {
            let flag = of_side(FLAG_STATES, side);
            marks.reach(side, node.index(), 0, 0);
            marks.flag(node.index(), flag);
            Half {
                states: vec![State {
                    node,
                    day,
                    hops: 0,
                    via: None,
                    parent: usize::MAX,
                    same_node: usize::MAX,
                }],
                frontier: vec![0],
                depth: 0,
                side,
                flag,
            }
        };
        let mut fwd = root(a, i32::MIN, Side::Forward, &mut marks);
        let mut bwd = root(b, i32::MAX, Side::Backward, &mut marks);
        let forward_dir = self.filter.traversal();
        let ahead = self.timed_steps(forward_dir);
        let behind = self.timed_steps(reverse(forward_dir));
        // The best join: total hops, forward state, backward state; only
        // walks no longer than the one `reach` found count.
        let mut best: Option<(usize, usize, usize)> = None;
        // The joins as short as the best, as (forward state, backward
        // state), the first [`TIES`] found.
        let mut ties: Vec<(usize, usize)> = Vec::new();
        let found = reach.walk.len().saturating_sub(1);
        while !fwd.frontier.is_empty() && !bwd.frontier.is_empty() {
            // Every walk of at most the two depths together has been
            // joined (or beaten) by now.
            let wanted = best.map_or(found, |(total, _, _)| total);
            if wanted.saturating_sub(1) <= fwd.depth + bwd.depth {
                break;
            }
            // The side whose next level has fewer steps to read grows (the
            // whole lists: an estimate that costs no search).
            let work = |half: &Half<'_>, steps: &TimedSteps| -> usize {
                half.frontier
                    .iter()
                    .filter_map(|&i| half.states.get(i))
                    .map(|s| steps.of(s.node.index()).len())
                    .sum()
            };
            let forward = work(&fwd, ahead) <= work(&bwd, behind);
            let (this, other) = if forward {
                (&mut fwd, &bwd)
            } else {
                (&mut bwd, &fwd)
            };
            let frontier = std::mem::take(&mut this.frontier);
            this.depth += 1;
            for i in frontier {
                let Some(&State {
                    node, day, hops, ..
                }) = this.states.get(i)
                else {
                    continue;
                };
                let steps = if forward {
                    readable(
                        ahead.of(node.index()),
                        ahead.widest,
                        day,
                        true,
                        other.depth > 0,
                        reach,
                    )
                } else {
                    readable(
                        behind.of(node.index()),
                        behind.widest,
                        day,
                        false,
                        other.depth > 0,
                        reach,
                    )
                };
                for &TimedStep {
                    first,
                    last,
                    other: far,
                    edge,
                } in steps
                {
                    let Some(relation) = self.graph.relation_at(edge) else {
                        continue;
                    };
                    let step = Incident {
                        other: Node::from_index(far),
                        relation,
                    };
                    // Forward: the next may be read as no earlier than what
                    // arrived (`day`, the first day it can be read as).
                    // Backward: what arrives may be read as no later than
                    // the next (`day`, the last day it can be read as).
                    let (allowed, new_day) = if forward {
                        (last >= day, day.max(first))
                    } else {
                        (first <= day, day.min(last))
                    };
                    if !allowed {
                        continue;
                    }
                    let joins = |o: &State<'_>| {
                        if forward {
                            o.day >= new_day
                        } else {
                            new_day >= o.day
                        }
                    };
                    // The state this step reaches, after `same_node` at
                    // its entity; a join of it (`id`) with the other side's
                    // state `j`, as (total, forward state, backward state).
                    let reached = |same_node| State {
                        node: step.other,
                        day: new_day,
                        hops: hops + 1,
                        via: Some(step.relation),
                        parent: i,
                        same_node,
                    };
                    let join = |total, id, j| {
                        if forward {
                            (total, id, j)
                        } else {
                            (total, j, id)
                        }
                    };
                    let cap = best.map_or(found, |(t, _, _)| t);
                    // A join counts when it is shorter than the best (or the
                    // first search's walk), or as short while there is room
                    // among the ties.
                    let counts =
                        |best: Option<(usize, usize, usize)>, tied: usize, total: usize| {
                            let cap = best.map_or(found, |(t, _, _)| t);
                            total < cap || (total == cap && tied < TIES)
                        };
                    if cap.saturating_sub(1) <= this.depth + other.depth {
                        // The last level: the search stops after it, so a
                        // state is kept only for a join that counts.
                        let shortest = other
                            .at(&marks, step.other)
                            .filter(|(_, o)| {
                                joins(o) && counts(best, ties.len(), hops + 1 + o.hops)
                            })
                            .min_by_key(|(_, o)| o.hops);
                        if let Some((j, o)) = shortest {
                            let id = this.states.len();
                            this.states.push(reached(usize::MAX));
                            record(&mut best, &mut ties, join(hops + 1 + o.hops, id, j));
                        }
                        continue;
                    }
                    let useful = if forward {
                        reach.may_leave(step.other, new_day)
                    } else {
                        reach.may_arrive(step.other, new_day)
                    };
                    if !useful {
                        continue;
                    }
                    let beaten = this.at(&marks, step.other).any(|(_, s)| {
                        s.hops <= hops + 1
                            && if forward {
                                s.day <= new_day
                            } else {
                                s.day >= new_day
                            }
                    });
                    if beaten {
                        continue;
                    }
                    let id = this.states.len();
                    let same_node = this
                        .at(&marks, step.other)
                        .next()
                        .map_or(usize::MAX, |(j, _)| j);
                    this.states.push(reached(same_node));
                    marks.reach(this.side, step.other.index(), id as u32, 0);
                    marks.flag(step.other.index(), this.flag);
                    this.frontier.push(id);
                    // Join with the other side's states at this entity.
                    for (j, o) in other.at(&marks, step.other) {
                        let total = hops + 1 + o.hops;
                        if joins(o) && counts(best, ties.len(), total) {
                            record(&mut best, &mut ties, join(total, id, j));
                        }
                    }
                }
            }
        }
        self.graph.give_back(marks);
        ties.into_iter()
            .map(|(f, g)| {
                // Forward: from a to the meeting entity.
                let mut chain: Vec<(Node, &'g Relation)> = Vec::new();
                let mut i = f;
                while let Some(s) = fwd.states.get(i) {
                    if let Some(r) = s.via {
                        chain.push((s.node, r));
                    }
                    i = s.parent;
                }
                chain.reverse();
                // Backward: from the meeting entity to b, each state's
                // relation leading to its parent's entity.
                let mut i = g;
                while let Some(s) = bwd.states.get(i) {
                    let (Some(r), Some(p)) = (s.via, bwd.states.get(s.parent)) else {
                        break;
                    };
                    chain.push((p.node, r));
                    i = s.parent;
                }
                chain
            })
            .collect()
    }

    /// Of equally short `chains` from `start`, the first simple one whose
    /// relations (as [`View::prefer_agreed`] chooses them) are surely in
    /// time order, else the first simple one, as a path; `None` when none
    /// is simple.
    fn surest(
        &self,
        start: Node,
        chains: Vec<Vec<(Node, &'g Relation)>>,
        gap: Option<i32>,
    ) -> Option<Path<'g>> {
        let mut first = None;
        for chain in chains {
            let mut seen = HashSet::from([start]);
            if !chain.iter().all(|&(n, _)| seen.insert(n)) {
                continue;
            }
            let chain = self.prefer_agreed(start, chain, gap);
            if surely_in_order(&chain, gap) {
                return self.materialize_chain(start, &chain, gap);
            }
            first.get_or_insert(chain);
        }
        first.and_then(|chain| self.materialize_chain(start, &chain, gap))
    }

    /// The walk along `nodes` as (entity reached, relation crossed) per
    /// hop, each hop crossing a relation of the view with a start (the
    /// choice among several is [`View::prefer_agreed`]'s).
    fn chain_along(&self, nodes: &[Node]) -> Option<Vec<(Node, &'g Relation)>> {
        nodes
            .windows(2)
            .map(|pair| match *pair {
                [u, v] => Some((v, self.steps_to(u, v).find(|r| r.start().is_some())?)),
                _ => None,
            })
            .collect()
    }

    /// A path along a chain of relations, one per hop, with its verdict:
    /// surely time-respecting when each start surely comes no earlier than
    /// the one before (and surely within the gap), else maybe.
    fn materialize_chain(
        &self,
        start: Node,
        chain: &[(Node, &'g Relation)],
        gap: Option<i32>,
    ) -> Option<Path<'g>> {
        let mut ends = Vec::with_capacity(chain.len());
        let mut previous = start;
        for &(node, _) in chain {
            ends.push((self.graph.entity_at(previous)?, self.graph.entity_at(node)?));
            previous = node;
        }
        let lists: Vec<Vec<&'g Relation>> = chain.iter().map(|&(_, r)| vec![r]).collect();
        let window = Window::of_hops(&lists);
        let surely = surely_in_order(chain, gap);
        let hops: Vec<Hop<'g>> = ends
            .into_iter()
            .zip(chain)
            .map(|((from, to), &(_, relation))| Hop {
                from,
                to,
                relations: vec![relation],
                relation,
            })
            .collect();
        let mut sources: Vec<&'g Source> = chain
            .iter()
            .flat_map(|(_, r)| r.sources.iter())
            .filter_map(|s| self.graph.source(s.as_str()))
            .collect();
        sources.sort_by(|x, y| x.id.cmp(&y.id));
        sources.dedup_by(|x, y| x.id == y.id);
        Some(Path {
            start: self.graph.entity_at(start)?,
            hops,
            window,
            sources,
            certainty: Some(if surely {
                Certainty::Surely
            } else {
                Certainty::Maybe
            }),
            chronological: true,
        })
    }

    /// Turns a node sequence into a path with hops, window and sources.
    fn materialize(&self, nodes: &[Node]) -> Option<Path<'g>> {
        let start = self.graph.entity_at(*nodes.first()?)?;
        let mut ends = Vec::with_capacity(nodes.len().saturating_sub(1));
        let mut lists = Vec::with_capacity(nodes.len().saturating_sub(1));
        for pair in nodes.windows(2) {
            let (&u, &v) = (pair.first()?, pair.get(1)?);
            let mut relations: Vec<&'g Relation> = self.steps_to(u, v).collect();
            relations.sort_by(|x, y| timeline_key(x).cmp(&timeline_key(y)));
            ends.push((self.graph.entity_at(u)?, self.graph.entity_at(v)?));
            lists.push(relations);
        }
        let window = Window::of_hops(&lists);
        let spans: Vec<Span> = window
            .spans
            .iter()
            .map(|p| Span {
                start: p.start(),
                end: p.end(),
            })
            .collect();
        let mut hops = Vec::with_capacity(lists.len());
        for ((from, to), relations) in ends.into_iter().zip(lists) {
            // Name what was agreed before what was only proposed, and what
            // holds in the window before what does not; then date order.
            let proposal = |r: &Relation| {
                matches!(
                    r.status,
                    Status::Proposed | Status::Discussed | Status::Planned
                )
            };
            let relation = relations
                .iter()
                .enumerate()
                .min_by_key(|(i, r)| {
                    let holds = spans.iter().any(|s| s.overlaps(Span::of(r)));
                    (!holds, proposal(r), *i)
                })
                .map(|(_, r)| *r)?;
            hops.push(Hop {
                from,
                to,
                relations,
                relation,
            });
        }
        let mut sources: Vec<&'g Source> = hops
            .iter()
            .flat_map(|h| h.relations.iter())
            .flat_map(|r| r.sources.iter())
            .filter_map(|s| self.graph.source(s.as_str()))
            .collect();
        sources.sort_by(|x, y| x.id.cmp(&y.id));
        sources.dedup_by(|x, y| x.id == y.id);
        Some(Path {
            start,
            hops,
            window,
            sources,
            certainty: None,
            chronological: false,
        })
    }
}

/// Yen's algorithm between two calls: the paths accepted so far, and the
/// candidates for the next, by length and then the ids along them.
#[derive(Debug, Default)]
struct Yen<'g> {
    accepted: Vec<Vec<Node>>,
    candidates: BTreeSet<(usize, Vec<&'g str>, Vec<Node>)>,
    /// No other path exists.
    done: bool,
}

/// The simple paths between two entities, shortest first, found one at a
/// time; see [`View::shortest_simple_paths`].
#[derive(Debug)]
pub struct ShortestSimplePaths<'v, 'g> {
    view: &'v View<'g>,
    a: Node,
    b: Node,
    yen: Yen<'g>,
}

impl<'g> Iterator for ShortestSimplePaths<'_, 'g> {
    type Item = Path<'g>;

    fn next(&mut self) -> Option<Path<'g>> {
        loop {
            let nodes = self.view.yen_next(self.a, self.b, &mut self.yen)?;
            if let Some(path) = self.view.materialize(&nodes) {
                return Some(path);
            }
        }
    }
}

impl std::iter::FusedIterator for ShortestSimplePaths<'_, '_> {}

/// The simple paths between two entities, found one at a time; see
/// [`View::simple_paths`].
#[derive(Debug)]
pub struct SimplePaths<'v, 'g> {
    view: &'v View<'g>,
    a: Node,
    b: Node,
    max_hops: usize,
    to_target: HashMap<Node, usize>,
    /// The length being searched; `None` when done.
    length: Option<usize>,
    /// Whether the search of `length` has begun.
    started: bool,
    path: Vec<Node>,
    on_path: HashSet<Node>,
    /// Per hop: the next steps, and how many were taken.
    stack: Vec<(Vec<Node>, usize)>,
}

impl<'g> Iterator for SimplePaths<'_, 'g> {
    type Item = Path<'g>;

    fn next(&mut self) -> Option<Path<'g>> {
        loop {
            let length = self.length?;
            if self.a == self.b {
                // The one path of no hop.
                self.length = None;
                return self.view.materialize(&[self.a]);
            }
            if !self.started {
                self.started = true;
                let first = self.view.steps_for(
                    (self.a, self.b),
                    (length, 0),
                    &self.to_target,
                    &self.on_path,
                );
                self.stack.push((first, 0));
            }
            let Some((next, i)) = self.stack.last_mut() else {
                // This length is done: the next one, or the end.
                self.length = (length < self.max_hops).then_some(length + 1);
                self.started = false;
                continue;
            };
            let Some(&n) = next.get(*i) else {
                self.stack.pop();
                if self.path.len() > 1 {
                    if let Some(left) = self.path.pop() {
                        self.on_path.remove(&left);
                    }
                }
                continue;
            };
            *i += 1;
            if n == self.b {
                self.path.push(n);
                let found = self.view.materialize(&self.path);
                self.path.pop();
                if found.is_some() {
                    return found;
                }
                continue;
            }
            self.path.push(n);
            self.on_path.insert(n);
            let hops = self.path.len() - 1;
            let steps =
                self.view
                    .steps_for((n, self.b), (length, hops), &self.to_target, &self.on_path);
            self.stack.push((steps, 0));
        }
    }
}

impl std::iter::FusedIterator for SimplePaths<'_, '_> {}
