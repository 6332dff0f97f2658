//! Agreements in time: which are in force on a date (three-valued), which
//! expire in a window and whether a renewal follows, and renewal chains.

use std::collections::HashSet;

use crate::error::{Error, Rule};
use crate::graph::HealthGraph;
use crate::model::date::Date;
use crate::model::relation::{Link, Relation, Status};
use crate::query::view::{View, timeline_key};

/// Whether an agreement is in force on a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Force {
    /// Signed or ongoing, and the date lies within its stated period.
    InForce,
    /// Not an agreement, not signed or ongoing (a proposal never is), outside
    /// its period, or handed over to a renewal that had started.
    NotInForce,
    /// Signed or ongoing, but with no stated term or with dates too coarse
    /// to decide: the data cannot say, so this does not guess.
    Unknown,
}

impl Force {
    /// The answer in words: `in force`, `not in force` or `unknown`.
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(healthgraph::Force::Unknown.to_string(), "unknown");
    /// assert_eq!(healthgraph::Force::InForce.as_str(), "in force");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Force::InForce => "in force",
            Force::NotInForce => "not in force",
            Force::Unknown => "unknown",
        }
    }
}

impl std::fmt::Display for Force {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The agreements of a view on one date, sorted into in force and unknown.
#[derive(Debug, Clone)]
pub struct AgreementsOn<'g> {
    date: Date,
    in_force: Vec<&'g Relation>,
    unknown: Vec<&'g Relation>,
    truncated: bool,
}

impl<'g> AgreementsOn<'g> {
    /// The date asked about.
    pub fn date(&self) -> Date {
        self.date
    }

    /// The agreements in force on the date, in id order.
    pub fn in_force(&self) -> &[&'g Relation] {
        &self.in_force
    }

    /// The agreements whose force on the date cannot be decided, in id
    /// order. A renewal chain appears once, as its latest member that is
    /// not known to be out of force.
    pub fn unknown(&self) -> &[&'g Relation] {
        &self.unknown
    }

    /// Keeps only the agreements for which `keep` is true, in both lists
    /// (say, the agreements of one party).
    ///
    /// # Example
    ///
    /// ```
    /// use healthgraph::{Filter, HealthGraph};
    ///
    /// let graph = HealthGraph::load("data/hanoi.ron")?;
    /// let mut on = graph.view(Filter::new()).in_force("2026-01-01".parse()?);
    /// on.retain(|r| r.from() == "karolinska-institute" || r.to() == "karolinska-institute");
    /// assert_eq!(on.in_force().len(), 1);
    /// # Ok::<(), healthgraph::Error>(())
    /// ```
    pub fn retain(&mut self, mut keep: impl FnMut(&Relation) -> bool) {
        self.in_force.retain(|r| keep(r));
        self.unknown.retain(|r| keep(r));
    }

    /// Keeps at most `n` agreements in each list (the first in id order);
    /// whether either list was cut. For output a person reads: on a large
    /// graph, hundreds of thousands of agreements can hold on one date.
    ///
    /// # Example
    ///
    /// ```
    /// use healthgraph::{Filter, HealthGraph};
    ///
    /// let graph = HealthGraph::load("data/hanoi.ron")?;
    /// let mut on = graph.view(Filter::new()).in_force("2025-06-01".parse()?);
    /// assert!(on.unknown().len() > 1);
    /// assert!(on.truncate(1) && on.is_truncated());
    /// assert_eq!(on.unknown().len(), 1);
    /// # Ok::<(), healthgraph::Error>(())
    /// ```
    pub fn truncate(&mut self, n: usize) -> bool {
        let cut = super::truncate_each([&mut self.in_force, &mut self.unknown], n);
        self.truncated |= cut;
        cut
    }

    /// Whether [`AgreementsOn::truncate`] cut either list.
    ///
    /// # Example
    ///
    /// ```
    /// use healthgraph::{Filter, HealthGraph};
    ///
    /// let graph = HealthGraph::load("data/hanoi.ron")?;
    /// let mut on = graph.view(Filter::new()).in_force("2025-06-01".parse()?);
    /// // Every list within the limit: nothing cut.
    /// assert!(!on.truncate(1000) && !on.is_truncated());
    /// # Ok::<(), healthgraph::Error>(())
    /// ```
    pub fn is_truncated(&self) -> bool {
        self.truncated
    }
}

/// An agreement whose end falls in a window, and the renewal that follows
/// it, if any.
#[derive(Debug, Clone)]
pub struct Expiring<'g> {
    relation: &'g Relation,
    renewal: Option<&'g Relation>,
}

impl<'g> Expiring<'g> {
    /// The agreement.
    pub fn relation(&self) -> &'g Relation {
        self.relation
    }

    /// The first renewal of it (of any status), if one is recorded.
    pub fn renewal(&self) -> Option<&'g Relation> {
        self.renewal
    }
}

fn can_be_in_force(r: &Relation) -> bool {
    r.kind.is_agreement() && matches!(r.status, Status::Signed | Status::Ongoing)
}

/// The force of one agreement on its own, renewals aside.
fn own_force(r: &Relation, d: Date) -> Force {
    if !can_be_in_force(r) {
        return Force::NotInForce;
    }
    let (start, end) = (r.start(), r.end());
    if start.is_some_and(|s| d.last_day() < s.first_day())
        || end.is_some_and(|e| d.first_day() > e.last_day())
    {
        return Force::NotInForce;
    }
    match r.period().sure_days() {
        Some((from, to)) if from <= d.first_day() && d.last_day() <= to => Force::InForce,
        _ => Force::Unknown,
    }
}

impl HealthGraph {
    /// The renewals that renew `relation`, in date order. O(1) to find them
    /// (the query index keeps them), O(r log r) to order r renewals.
    pub fn renewals_of(&self, relation: &str) -> Vec<&Relation> {
        self.continued_by(relation)
            .into_iter()
            .filter(|(link, _)| *link == Link::Renews)
            .map(|(_, r)| r)
            .collect()
    }

    /// What continues `relation`: the agreements that renew, amend or
    /// supersede it, with the link, in date order. O(1) to find them (the
    /// query index keeps them), O(c log c) to order c of them.
    ///
    /// # Example
    ///
    /// ```
    /// use healthgraph::{HealthGraph, Link};
    ///
    /// let graph = HealthGraph::load("data/hanoi.ron")?;
    /// let next = graph.continued_by("mou-karolinska-institute-hanoi-obgyn-hospital");
    /// assert_eq!(next.len(), 1);
    /// assert_eq!(next[0].0, Link::Renews);
    /// # Ok::<(), healthgraph::Error>(())
    /// ```
    pub fn continued_by(&self, relation: &str) -> Vec<(Link, &Relation)> {
        let Some(e) = self.edge_of(relation) else {
            return Vec::new();
        };
        let mut out: Vec<(Link, &Relation)> = self
            .adjacency()
            .links_to(e as usize)
            .iter()
            .filter_map(|&(n, link)| Some((link, self.relation_at(n)?)))
            .collect();
        out.sort_by(|(_, a), (_, b)| timeline_key(a).cmp(&timeline_key(b)));
        out
    }

    /// The error for `id` given where a relation was expected: an entity's
    /// id says so and lists that entity's agreements.
    fn not_a_relation(&self, id: &str) -> Error {
        let shown = crate::model::id::shorten(id);
        if self.entity(id).is_none() {
            return Error::new(
                Rule::UnknownRelation,
                format!("there is no relation `{shown}`"),
            );
        }
        let agreements: Vec<String> = self
            .relations_of(id)
            .filter(|r| r.kind.is_agreement())
            .map(|r| format!("`{}`", r.id))
            .collect();
        let list = match agreements.as_slice() {
            [] => "it has no agreement".to_owned(),
            some => format!("its agreements: {}", some.join(", ")),
        };
        Error::new(
            Rule::UnknownRelation,
            format!("`{shown}` is an entity, not a relation; {list}"),
        )
    }

    /// The family of an agreement, oldest first: every agreement joined to
    /// it by renewals, amendments and supersessions, whichever way (what it
    /// continues, what continues that, and so on). Each member's
    /// [`Relation::links`] say how it continues which; members are in date
    /// order ([`Relation::start`], the undated first), then by id. A
    /// lineage is a fact of the data, so no filter applies.
    ///
    /// O(F·c log c) for a family of F agreements each continued by c.
    ///
    /// # Errors
    ///
    /// [`Rule::UnknownRelation`] if there is no such relation.
    ///
    /// # Example
    ///
    /// ```
    /// let graph = healthgraph::HealthGraph::load("data/hanoi.ron")?;
    /// let chain = graph.lineage("renewal-karolinska-institute-hanoi-obgyn-hospital-2025")?;
    /// let ids: Vec<&str> = chain.iter().map(|r| r.id().as_str()).collect();
    /// assert_eq!(ids, ["mou-karolinska-institute-hanoi-obgyn-hospital", "renewal-karolinska-institute-hanoi-obgyn-hospital-2025"]);
    /// # Ok::<(), healthgraph::Error>(())
    /// ```
    pub fn lineage(&self, relation: &str) -> Result<Vec<&Relation>, Error> {
        let first = self
            .relation(relation)
            .ok_or_else(|| self.not_a_relation(relation))?;
        // Both ways along every link; the seen set makes a cycle harmless
        // even though the graph's invariants rule one out.
        let mut family = vec![first];
        let mut seen: HashSet<&str> = HashSet::from([first.id.as_str()]);
        let mut i = 0;
        while let Some(r) = family.get(i).copied() {
            let earlier = r.links().filter_map(|(_, t)| self.relation(t.as_str()));
            let later = self.continued_by(r.id.as_str()).into_iter().map(|(_, n)| n);
            for n in earlier.chain(later) {
                if seen.insert(n.id.as_str()) {
                    family.push(n);
                }
            }
            i += 1;
        }
        // Oldest first: what is continued before what continues it (an
        // undated MOU before its dated renewal), then by date and id.
        let ids: HashSet<&str> = family.iter().map(|r| r.id.as_str()).collect();
        let mut waiting: std::collections::HashMap<&str, usize> = family
            .iter()
            .map(|r| {
                let n = r.links().filter(|(_, t)| ids.contains(t.as_str())).count();
                (r.id.as_str(), n)
            })
            .collect();
        let mut ready: std::collections::BTreeSet<_> = family
            .iter()
            .filter(|r| waiting.get(r.id.as_str()) == Some(&0))
            .map(|r| (timeline_key(r), r.id.as_str()))
            .collect();
        let by_id: std::collections::HashMap<&str, &Relation> =
            family.iter().map(|r| (r.id.as_str(), *r)).collect();
        let mut ordered = Vec::with_capacity(family.len());
        while let Some(next) = ready.pop_first() {
            let Some(&r) = by_id.get(next.1) else {
                continue;
            };
            ordered.push(r);
            for (_, n) in self.continued_by(r.id.as_str()) {
                if let Some(w) = waiting.get_mut(n.id.as_str()) {
                    *w = w.saturating_sub(1);
                    if *w == 0 {
                        ready.insert((timeline_key(n), n.id.as_str()));
                    }
                }
            }
        }
        // A cycle cannot be (the graph refuses one); were it there, its
        // members follow in date order rather than go missing.
        if ordered.len() < family.len() {
            let placed: HashSet<&str> = ordered.iter().map(|r| r.id.as_str()).collect();
            let mut rest: Vec<&Relation> = family
                .into_iter()
                .filter(|r| !placed.contains(r.id.as_str()))
                .collect();
            rest.sort_by(|a, b| timeline_key(a).cmp(&timeline_key(b)));
            ordered.extend(rest);
        }
        Ok(ordered)
    }
}

impl<'g> View<'g> {
    /// Whether `relation` is in force on `date`: in force only if it is a
    /// signed or ongoing agreement whose stated period surely contains the
    /// date (a partial date must lie wholly inside); unknown when it has no
    /// stated term or the dates are too coarse; not in force once a renewal
    /// of it, or an agreement that supersedes it, in the view has surely
    /// started, since the chain counts as one partnership (an amendment does
    /// not end it: both stay in force together). O(c log c) for the c
    /// agreements that continue it.
    ///
    /// # Example
    ///
    /// ```
    /// use healthgraph::{Filter, Force, HealthGraph};
    ///
    /// let graph = HealthGraph::load("data/hanoi.ron")?;
    /// let view = graph.view(Filter::new());
    /// let renewal = graph.relation("renewal-karolinska-institute-hanoi-obgyn-hospital-2025").expect("R16");
    /// assert_eq!(view.force(renewal, "2026-01-01".parse()?), Force::InForce);
    /// assert_eq!(view.force(renewal, "2025-03".parse()?), Force::Unknown); // 2025 may not have started by March
    /// assert_eq!(view.force(renewal, "2031-01-01".parse()?), Force::NotInForce);
    /// # Ok::<(), healthgraph::Error>(())
    /// ```
    pub fn force(&self, relation: &Relation, date: Date) -> Force {
        self.force_of(self.graph.edge_of(relation.id.as_str()), relation, date)
    }

    /// [`View::force`] of `relation`, the graph's relation number `e` (none
    /// if it is not the graph's).
    fn force_of(&self, e: Option<u32>, relation: &Relation, date: Date) -> Force {
        let mut force = own_force(relation, date);
        if force == Force::NotInForce {
            return force;
        }
        for (n, renewal) in self.successors(e) {
            if !self.passes(n, renewal) || !can_be_in_force(renewal) {
                continue;
            }
            match renewal.start() {
                Some(s) if s.last_day() <= date.first_day() => return Force::NotInForce,
                Some(s) if s.first_day() > date.last_day() => {}
                _ => force = Force::Unknown,
            }
        }
        force
    }

    /// The agreements of the view (mou, renewal, cooperation) in force on
    /// `date`, and those whose force cannot be decided; see [`View::force`].
    ///
    /// Cost: the agreements that may hold on the date (found in the graph's
    /// date index), each with what continues it.
    ///
    /// # Example
    ///
    /// ```
    /// use healthgraph::{Filter, HealthGraph};
    ///
    /// let graph = HealthGraph::load("data/hanoi.ron")?;
    /// let on = graph.view(Filter::new()).in_force("2026-01-01".parse()?);
    /// let ids: Vec<&str> = on.in_force().iter().map(|r| r.id().as_str()).collect();
    /// assert_eq!(ids, ["cooperation-hanoi-doh-ap-hp-2024-2029", "renewal-karolinska-institute-hanoi-obgyn-hospital-2025"]);
    /// assert!(on.unknown().iter().any(|r| r.id() == "mou-hanoi-peoples-committee-phi-2017"));
    /// # Ok::<(), healthgraph::Error>(())
    /// ```
    pub fn in_force(&self, date: Date) -> AgreementsOn<'g> {
        let mut in_force = Vec::new();
        let mut unknown = Vec::new();
        // Only an agreement that may hold on the date can be in force or
        // unknown: the date index gives those.
        let (from, to) = (date.days(), date.last_day().days());
        let mut candidates = self
            .graph
            .date_index()
            .agreements(self.graph)
            .overlapping(from, to, true);
        // In id order, which is the order of the answer.
        candidates.sort_unstable();
        for (_, e) in candidates {
            let Some(r) = self.graph.relation_at(e) else {
                continue;
            };
            if !self.passes(e, r) {
                continue;
            }
            match self.listing(Some(e), r, date) {
                Some(Force::InForce) => in_force.push(r),
                Some(_) => unknown.push(r),
                None => {}
            }
        }
        AgreementsOn {
            date,
            in_force,
            unknown,
            truncated: false,
        }
    }

    /// How [`View::in_force`] lists `relation` on `date`: in force, unknown,
    /// or not at all (not in force, or unknown but shown through a renewal
    /// of it that is itself listed: a chain counts once).
    pub(crate) fn listing(&self, e: Option<u32>, relation: &Relation, date: Date) -> Option<Force> {
        match self.force_of(e, relation, date) {
            Force::InForce => Some(Force::InForce),
            Force::Unknown => {
                let renewed = self.successors(e).any(|(n, r)| {
                    self.passes(n, r) && self.force_of(Some(n), r, date) != Force::NotInForce
                });
                (!renewed).then_some(Force::Unknown)
            }
            _ => None,
        }
    }

    /// What takes over from relation number `e` once it surely starts, with
    /// their numbers: its renewals and the agreements that supersede it (an
    /// amendment does not: both stay in force together). Read from the
    /// query index by number, in no particular order.
    fn successors(&self, e: Option<u32>) -> impl Iterator<Item = (u32, &'g Relation)> + '_ {
        let graph: &'g HealthGraph = self.graph;
        let links = e.map_or(&[][..], |e| graph.adjacency().links_to(e as usize));
        links
            .iter()
            .filter(|(_, link)| *link != Link::Amends)
            .filter_map(move |&(n, _)| Some((n, graph.relation_at(n)?)))
    }

    /// The force of `relation` over time, day by day, as steps: each
    /// `(from, force)` holds from the day `from` (from the beginning of time
    /// for the first, `None`) until the next step. Asked on any day, the
    /// answer is [`View::force`]'s on that day; a page or a chart can show
    /// any date without asking again. O(L·d log d) for a renewal chain of L
    /// relations.
    ///
    /// # Example
    ///
    /// ```
    /// use healthgraph::{Filter, Force, HealthGraph};
    ///
    /// let graph = HealthGraph::load("data/hanoi.ron")?;
    /// let view = graph.view(Filter::new());
    /// let renewal = graph.relation("renewal-karolinska-institute-hanoi-obgyn-hospital-2025").expect("R16");
    /// let steps: Vec<(Option<String>, Force)> = view
    ///     .force_changes(renewal)
    ///     .into_iter()
    ///     .map(|(from, force)| (from.map(|d| d.to_string()), force))
    ///     .collect();
    /// assert_eq!(steps, [
    ///     (None, Force::NotInForce),
    ///     (Some("2025-01-01".into()), Force::Unknown),     // 2025 may have begun
    ///     (Some("2025-12-31".into()), Force::InForce),     // surely begun
    ///     (Some("2030-01-02".into()), Force::Unknown),     // 2030 may have ended by now
    ///     (Some("2031-01-01".into()), Force::NotInForce),
    /// ]);
    /// # Ok::<(), healthgraph::Error>(())
    /// ```
    pub fn force_changes(&self, relation: &Relation) -> Vec<(Option<Date>, Force)> {
        let e = self.graph.edge_of(relation.id.as_str());
        self.over_time(relation, |d| self.force_of(e, relation, d))
    }

    /// [`View::listing`] over time, as [`View::force_changes`] gives force.
    pub(crate) fn listing_changes(
        &self,
        relation: &Relation,
    ) -> Vec<(Option<Date>, Option<Force>)> {
        let e = self.graph.edge_of(relation.id.as_str());
        self.over_time(relation, |d| self.listing(e, relation, d))
    }

    /// The steps of `answer`, a function of the day that can change only
    /// where a date of `relation`'s renewal chain begins or ends: on each
    /// date's first and last day and on the day after each.
    fn over_time<T: PartialEq>(
        &self,
        relation: &Relation,
        answer: impl Fn(Date) -> T,
    ) -> Vec<(Option<Date>, T)> {
        let chain = self
            .graph
            .lineage(relation.id.as_str())
            .unwrap_or_else(|_| vec![relation]);
        let mut days: Vec<Date> = chain
            .iter()
            .flat_map(|r| r.start().into_iter().chain(r.end()))
            .flat_map(|d| {
                let (first, last) = (d.first_day(), d.last_day());
                [Some(first), first.next_day(), Some(last), last.next_day()]
            })
            .flatten()
            .collect();
        days.sort_unstable();
        days.dedup();
        let mut out: Vec<(Option<Date>, T)> = vec![(None, answer(Date::MIN.first_day()))];
        for day in days {
            let now = answer(day);
            if out.last().is_none_or(|(_, before)| *before != now) {
                out.push((Some(day), now));
            }
        }
        out
    }

    /// The signed or ongoing agreements of the view whose end falls in the
    /// window from the first day of `from` to the last day of `to` (a
    /// partial end counts if it overlaps), by end date, each with the
    /// renewal that follows it, if any. Cost: the ends in the window (found
    /// in the graph's date index), sorted.
    ///
    /// # Example
    ///
    /// ```
    /// use healthgraph::{Filter, HealthGraph};
    ///
    /// let graph = HealthGraph::load("data/hanoi.ron")?;
    /// let soon = graph.view(Filter::new()).expiring("2029".parse()?, "2030".parse()?);
    /// let ids: Vec<&str> = soon.iter().map(|e| e.relation().id().as_str()).collect();
    /// assert_eq!(ids, ["cooperation-hanoi-doh-ap-hp-2024-2029", "renewal-karolinska-institute-hanoi-obgyn-hospital-2025"]);
    /// assert!(soon.iter().all(|e| e.renewal().is_none()));
    /// # Ok::<(), healthgraph::Error>(())
    /// ```
    pub fn expiring(&self, from: Date, to: Date) -> Vec<Expiring<'g>> {
        let ends = &self.graph.date_index().spans(self.graph).ends;
        let mut out: Vec<Expiring<'g>> = ends
            .overlapping(from.days(), to.last_day().days())
            .filter_map(|entry| {
                let r = self.graph.relation_at(entry.edge)?;
                self.passes(entry.edge, r).then_some(r)
            })
            .filter(|r| can_be_in_force(r))
            .map(|r| Expiring {
                relation: r,
                renewal: self
                    .graph
                    .renewals_of(r.id.as_str())
                    .into_iter()
                    .find(|n| self.contains_relation(n)),
            })
            .collect();
        out.sort_by(|a, b| {
            (a.relation.end(), a.relation.id.as_str())
                .cmp(&(b.relation.end(), b.relation.id.as_str()))
        });
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{EntityId, RelationId, RelationKind, SourceId};

    fn agreement(status: Status, start: Option<&str>, end: Option<&str>) -> Relation {
        let mut b = Relation::builder(
            RelationId::new("r").unwrap(),
            RelationKind::Mou,
            EntityId::new("a").unwrap(),
            EntityId::new("b").unwrap(),
        )
        .status(status)
        .add_source(SourceId::new("s").unwrap());
        if let Some(s) = start {
            b = b.start(s.parse().unwrap());
        }
        if let Some(e) = end {
            b = b.end(e.parse().unwrap());
        }
        b.build().unwrap()
    }

    fn on(r: &Relation, d: &str) -> Force {
        own_force(r, d.parse().unwrap())
    }

    #[test]
    fn proposals_are_never_in_force() {
        for status in [
            Status::Proposed,
            Status::Discussed,
            Status::Planned,
            Status::Completed,
            Status::Ended,
        ] {
            assert_eq!(
                on(&agreement(status, Some("2020"), Some("2030")), "2025-01-01"),
                Force::NotInForce
            );
        }
    }

    #[test]
    fn partial_bounds_decide_only_when_they_can() {
        let r = agreement(Status::Signed, Some("2025"), Some("2030"));
        assert_eq!(on(&r, "2025-12-31"), Force::InForce);
        assert_eq!(on(&r, "2026"), Force::InForce);
        assert_eq!(on(&r, "2025-06"), Force::Unknown); // the year's start is not a day
        assert_eq!(on(&r, "2030-06-30"), Force::Unknown);
        assert_eq!(on(&r, "2024-12-31"), Force::NotInForce);
        assert_eq!(on(&r, "2031-01-01"), Force::NotInForce);
        let exact = agreement(Status::Ongoing, Some("2025-01-01"), Some("2030-12-31"));
        assert_eq!(on(&exact, "2025-01-01"), Force::InForce);
        assert_eq!(on(&exact, "2030-12-31"), Force::InForce);
    }

    #[test]
    fn no_stated_term_is_unknown_but_a_known_bound_still_excludes() {
        assert_eq!(
            on(
                &agreement(Status::Signed, Some("2017-07"), None),
                "2026-01-01"
            ),
            Force::Unknown
        );
        assert_eq!(
            on(&agreement(Status::Signed, Some("2017-07"), None), "2016"),
            Force::NotInForce
        );
        assert_eq!(
            on(&agreement(Status::Signed, None, Some("2020")), "2021-01-01"),
            Force::NotInForce
        );
        assert_eq!(
            on(&agreement(Status::Signed, None, None), "2021-01-01"),
            Force::Unknown
        );
    }
}
