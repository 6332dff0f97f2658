//! What was known on a date: the graph as its sources told it by then,
//! each relation with the claim about its period and status that the
//! record held at that time.

use std::collections::{HashMap, HashSet};

use crate::graph::HealthGraph;
use crate::model::date::Date;
use crate::model::entity::Entity;
use crate::model::id::SourceId;
use crate::model::relation::{Claim, Rank, Relation};

impl HealthGraph {
    /// The graph as its sources told it by `date` (by the last day it can
    /// mean): only the sources published by then; the entities that cite
    /// one of them; and the relations that do, each with the claim about
    /// its period and status that was known then: the preferred claim if
    /// its sources were out, else the relation's own statement if its
    /// sources were, else the most recently published of its other known
    /// claims (a deprecated claim never). "What did we know in March 2025?"
    /// gives the status reported then, even if a later report changed it.
    ///
    /// An agreement that a known one renews, amends or supersedes is kept
    /// with it (the later one implies it), citing its own sources; the
    /// people of a relation keep their names if their organisation was not
    /// known yet. Citations of later sources are left out, but for a
    /// relation's own statement when none of its sources was out (it is
    /// then kept for the record, and a claim known then is preferred over
    /// it). Each relation's other known claims are kept as claims, so the
    /// answer still says "contested" where the sources of that time
    /// disagreed.
    ///
    /// O(n + m) to build.
    ///
    /// # Example
    ///
    /// ```
    /// use healthgraph::HealthGraph;
    ///
    /// let graph = HealthGraph::load("data/hanoi.ron")?;
    /// // Before May 2025, the Karolinska renewal (reported on 2025-05-26) was unknown.
    /// let then = graph.known_by("2025-04".parse()?);
    /// assert!(then.relation("renewal-karolinska-institute-hanoi-obgyn-hospital-2025").is_none());
    /// assert!(then.relation("mou-hanoi-oncology-hospital-astrazeneca-vietnam-2025").is_some());
    /// assert!(then.source_count() < graph.source_count());
    /// # Ok::<(), healthgraph::Error>(())
    /// ```
    pub fn known_by(&self, date: Date) -> HealthGraph {
        let day = date.last_day();
        let out_by = |id: &SourceId| {
            self.source(id.as_str())
                .is_some_and(|s| s.published().first_day() <= day)
        };
        let known = |ids: &[SourceId]| -> Vec<SourceId> {
            ids.iter().filter(|s| out_by(s)).cloned().collect()
        };
        // The claim known then of each relation reported by then (`None`:
        // its own statement), chosen once.
        let used: HashMap<&str, Option<usize>> = self
            .relations()
            .filter_map(|r| Some((r.id.as_str(), chosen(self, r, &known)?)))
            .collect();
        // Relations known by then, and what they continue.
        let mut keep: HashSet<&str> = HashSet::new();
        let mut stack: Vec<&Relation> = self
            .relations()
            .filter(|r| used.contains_key(r.id.as_str()))
            .collect();
        while let Some(r) = stack.pop() {
            if keep.insert(r.id.as_str()) {
                stack.extend(r.links().filter_map(|(_, t)| self.relation(t.as_str())));
            }
        }
        let mut entities: HashSet<&str> = self
            .entities()
            .filter(|e| !known(&e.sources).is_empty())
            .map(|e| e.id.as_str())
            .collect();
        for r in self.relations().filter(|r| keep.contains(r.id.as_str())) {
            entities.insert(r.from.as_str());
            entities.insert(r.to.as_str());
        }
        let mut out = HealthGraph::new();
        // Sources: those out by then, and those of the entities and
        // relations kept only by implication.
        let mut cited: HashSet<&str> = self
            .sources()
            .filter(|s| s.published().first_day() <= day)
            .map(|s| s.id.as_str())
            .collect();
        for e in self.entities().filter(|e| entities.contains(e.id.as_str())) {
            if known(&e.sources).is_empty() {
                cited.extend(e.sources.iter().map(|s| s.as_str()));
            }
        }
        for r in self.relations().filter(|r| keep.contains(r.id.as_str())) {
            if known(&r.sources).is_empty() {
                cited.extend(r.sources.iter().map(|s| s.as_str()));
            }
        }
        for s in self.sources().filter(|s| cited.contains(s.id.as_str())) {
            let _ = out.insert_source(s.clone());
        }
        for e in self.entities().filter(|e| entities.contains(e.id.as_str())) {
            let mut e: Entity = e.clone();
            let sources = known(&e.sources);
            if !sources.is_empty() {
                e.sources = sources;
            }
            let _ = out.insert_entity(e);
        }
        // Relations after what they continue, so that each link has its target.
        for r in crate::document::relation_order(self) {
            if !keep.contains(r.id.as_str()) {
                continue;
            }
            let claim = used.get(r.id.as_str()).copied().flatten();
            let _ = out.insert_relation(as_known(r, claim, &known, &entities));
        }
        out
    }
}

/// Which claim about `r` was known by then: `Some(None)` for the relation's
/// own statement, `Some(Some(i))` for its claim `i`, `None` if nothing
/// about it was out.
fn chosen(
    graph: &HealthGraph,
    r: &Relation,
    known: &dyn Fn(&[SourceId]) -> Vec<SourceId>,
) -> Option<Option<usize>> {
    let claims = r.claims();
    let known_claim = |c: &Claim| {
        (c.rank != Rank::Deprecated)
            .then(|| known(&c.sources))
            .filter(|s| !s.is_empty())
    };
    if let Some((i, c)) = claims
        .iter()
        .enumerate()
        .find(|(_, c)| c.rank == Rank::Preferred)
    {
        if known_claim(c).is_some() {
            return Some(Some(i));
        }
    }
    if !known(&r.sources).is_empty() {
        return Some(None);
    }
    // The most recently published of the other known claims.
    let published = |sources: &[SourceId]| {
        sources
            .iter()
            .filter_map(|s| graph.source(s.as_str()))
            .map(|s| s.published().first_day())
            .min()
    };
    claims
        .iter()
        .enumerate()
        .filter_map(|(i, c)| Some((i, known_claim(c)?)))
        .max_by_key(|(i, sources)| (published(sources), std::cmp::Reverse(*i)))
        .map(|(i, _)| Some(i))
}

/// `r` as known then: its own statement as written (citing only the
/// sources out by then, or all of its own if none was: the statement is then
/// kept for the record but not used), the claim known then ranked
/// preferred when it is not the relation's own, its other known claims
/// kept (ranked normal, or deprecated as they were).
fn as_known(
    r: &Relation,
    used: Option<usize>,
    known: &dyn Fn(&[SourceId]) -> Vec<SourceId>,
    entities: &HashSet<&str>,
) -> Relation {
    let (period, status) = r.stated();
    let own = known(&r.sources);
    let sources = if own.is_empty() {
        r.sources.to_vec()
    } else {
        own
    };
    let mut b = Relation::builder(r.id.clone(), r.kind, r.from.clone(), r.to.clone())
        .status(status)
        .basis(r.basis)
        .with_sources(sources);
    if let Some(s) = period.start() {
        b = b.start(s);
    }
    if let Some(e) = period.end() {
        b = b.end(e);
    }
    for (link, target) in r.links() {
        b = match link {
            crate::Link::Renews => b.renews(target.clone()),
            crate::Link::Amends => b.amends(target.clone()),
            _ => b.supersedes(target.clone()),
        };
    }
    for (i, c) in r.claims().iter().enumerate() {
        let sources = known(&c.sources);
        if sources.is_empty() {
            continue;
        }
        let rank = if Some(i) == used {
            Rank::Preferred
        } else if c.rank == Rank::Deprecated {
            Rank::Deprecated
        } else {
            Rank::Normal
        };
        let mut claim = Claim::new(c.period, c.status, sources).with_rank(rank);
        if let Some(note) = &c.note {
            claim = claim.with_note(note.clone());
        }
        b = b.add_claim(claim);
    }
    for area in r.scope() {
        b = b.add_scope(area.clone());
    }
    for p in r.people() {
        let mut p = p.clone();
        if p.organisation
            .as_ref()
            .is_some_and(|o| !entities.contains(o.as_str()))
        {
            p.organisation = None;
        }
        b = b.add_person(p);
    }
    for f in r.figures() {
        b = b.add_figure(f.clone());
    }
    if let Some(note) = r.note() {
        b = b.note(note);
    }
    b.build_unchecked()
}
