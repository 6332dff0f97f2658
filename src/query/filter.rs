//! Filters: which relations and entities a [`View`](crate::View) shows.

use std::collections::BTreeSet;

use crate::error::{Error, Rule};
use crate::model::date::Date;
use crate::model::entity::{Country, EntityKind};
use crate::model::relation::{RelationKind, Status};

/// Which way a traversal may follow a relation.
///
/// Symmetric relations (mou, renewal, cooperation) are followed both ways
/// whatever the direction: their `from` is only the first-named party.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Direction {
    /// Both ways (the default).
    #[default]
    Both,
    /// From `from` to `to`: visitor to host, provider to beneficiary, child to parent.
    Outgoing,
    /// From `to` back to `from`.
    Incoming,
}

impl Direction {
    /// The direction's name: `both`, `outgoing` or `incoming`.
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(healthgraph::Direction::Outgoing.to_string(), "outgoing");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Both => "both",
            Direction::Outgoing => "outgoing",
            Direction::Incoming => "incoming",
        }
    }
}

impl std::fmt::Display for Direction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A set of values of a small enum, as a bit mask over its declaration order.
fn mask<T: Copy>(items: impl IntoIterator<Item = T>, index: impl Fn(T) -> u32) -> u32 {
    items.into_iter().fold(0, |m, k| m | (1 << index(k)))
}

fn relation_bit(kind: RelationKind) -> u32 {
    kind as u32
}

fn entity_bit(kind: EntityKind) -> u32 {
    kind as u32
}

fn status_bit(status: Status) -> u32 {
    status as u32
}

/// What a view shows: relations by kind, status and time, entities by kind,
/// country and time, and the direction traversals follow.
///
/// Built by chaining; the empty filter ([`Filter::new`]) shows everything.
/// Time filters treat an unknown bound as open: a relation with no end is
/// taken to go on, one with no start to have always held, so structural
/// relations (which have no dates) pass every time filter. For the strict,
/// three-valued answer about agreements use
/// [`View::in_force`](crate::View::in_force).
///
/// # Example
///
/// ```
/// use healthgraph::{Filter, HealthGraph, Status};
///
/// let graph = HealthGraph::load("data/hanoi.ron")?;
/// let filter = Filter::new()
///     .kinds_by_name("agreement,visit")?
///     .statuses([Status::Signed, Status::Ongoing, Status::Completed])
///     .on("2025-05-26".parse()?);
/// let view = graph.view(filter);
/// let kinds: Vec<String> = view.relations().map(|r| r.kind().to_string()).collect();
/// assert!(kinds.iter().all(|k| ["mou", "renewal", "cooperation", "visit"].contains(&k.as_str())));
/// # Ok::<(), healthgraph::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    relation_kinds: Option<u32>,
    entity_kinds: Option<u32>,
    statuses: Option<u32>,
    countries: Option<BTreeSet<Country>>,
    direction: Direction,
    window: Option<(Date, Date)>,
    throughout: Option<(Date, Date)>,
    known_by: Option<Date>,
}

impl Filter {
    /// A filter that shows everything, in both directions.
    pub fn new() -> Filter {
        Filter::default()
    }

    /// The *partnership* group: mou, renewal, visit, training, cooperation.
    /// This is what the example binaries show by default.
    pub fn partnership() -> Filter {
        Filter::new().kinds(
            RelationKind::ALL
                .iter()
                .copied()
                .filter(|k| k.is_partnership()),
        )
    }

    /// Keeps only relations of these kinds (replacing any earlier kind choice).
    pub fn kinds(mut self, kinds: impl IntoIterator<Item = RelationKind>) -> Filter {
        self.relation_kinds = Some(mask(kinds, relation_bit));
        self
    }

    /// Keeps relations of the kinds named in a comma-separated list of kind
    /// names and the groups `partnership`, `agreement`, `structural` and
    /// `all`, in any case.
    ///
    /// # Errors
    ///
    /// [`Rule::UnknownTerm`] for a name that is neither a kind nor a group.
    ///
    /// # Example
    ///
    /// ```
    /// use healthgraph::{Filter, RelationKind};
    ///
    /// let f = Filter::new().kinds_by_name("structural, visit")?;
    /// assert!(f.allows_kind(RelationKind::PartOf) && f.allows_kind(RelationKind::Visit));
    /// assert!(!f.allows_kind(RelationKind::Mou));
    /// assert!(Filter::new().kinds_by_name("MOU")?.allows_kind(RelationKind::Mou));
    /// assert!(Filter::new().kinds_by_name("visits").is_err());
    /// # Ok::<(), healthgraph::Error>(())
    /// ```
    pub fn kinds_by_name(self, names: &str) -> Result<Filter, Error> {
        Ok(self.kinds(parse_kinds(names)?))
    }

    /// Keeps only entities of these kinds, and the relations between them.
    pub fn entity_kinds(mut self, kinds: impl IntoIterator<Item = EntityKind>) -> Filter {
        self.entity_kinds = Some(mask(kinds, entity_bit));
        self
    }

    /// Keeps relations with the statuses named in a comma-separated list, in
    /// any case.
    ///
    /// # Errors
    ///
    /// [`Rule::UnknownTerm`] for a name that is not a status.
    ///
    /// # Example
    ///
    /// ```
    /// let f = healthgraph::Filter::new().statuses_by_name("signed, Ongoing")?;
    /// assert!(healthgraph::Filter::new().statuses_by_name("SIGNED").is_ok());
    /// assert!(healthgraph::Filter::new().statuses_by_name("agreed").is_err());
    /// # Ok::<(), healthgraph::Error>(())
    /// ```
    pub fn statuses_by_name(self, names: &str) -> Result<Filter, Error> {
        let statuses = names
            .split(',')
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(|n| n.to_ascii_lowercase().parse::<Status>())
            .collect::<Result<Vec<_>, _>>()?;
        if statuses.is_empty() {
            return Err(Error::new(Rule::UnknownTerm, "no status given"));
        }
        Ok(self.statuses(statuses))
    }

    /// Keeps only relations with these statuses.
    pub fn statuses(mut self, statuses: impl IntoIterator<Item = Status>) -> Filter {
        self.statuses = Some(mask(statuses, status_bit));
        self
    }

    /// Keeps only entities of these countries (an entity with no known
    /// country is then left out), and the relations between them.
    pub fn countries(mut self, countries: impl IntoIterator<Item = Country>) -> Filter {
        self.countries = Some(countries.into_iter().collect());
        self
    }

    /// Sets the direction traversals follow.
    pub fn direction(mut self, direction: Direction) -> Filter {
        self.direction = direction;
        self
    }

    /// Keeps relations whose period may contain `date` (or, for a partial
    /// date, overlap it); the same as `during(date, date)`.
    pub fn on(self, date: Date) -> Filter {
        self.during(date, date)
    }

    /// Keeps relations whose period may overlap the window from the first day
    /// of `from` to the last day of `to`. A window that ends before it starts
    /// keeps nothing.
    pub fn during(mut self, from: Date, to: Date) -> Filter {
        self.window = Some((from, to));
        self
    }

    /// Keeps relations that surely hold on every day from the first day of
    /// `from` to the last day of `to`: both ends stated, the start's last
    /// day no later and the end's first day no earlier than the window
    /// ([`Period::sure_days`](crate::Period::sure_days) covers it). A path
    /// of such a view holds throughout the window, whatever day the coarse
    /// dates mean.
    ///
    /// # Example
    ///
    /// ```
    /// use healthgraph::{Filter, HealthGraph};
    ///
    /// let graph = HealthGraph::load("data/hanoi.ron")?;
    /// let (from, to) = ("2026".parse()?, "2028".parse()?);
    /// let view = graph.view(Filter::new().throughout(from, to));
    /// let ids: Vec<&str> = view.relations().map(|r| r.id().as_str()).collect();
    /// assert_eq!(ids, ["cooperation-hanoi-doh-ap-hp-2024-2029", "renewal-karolinska-institute-hanoi-obgyn-hospital-2025"]);
    /// # Ok::<(), healthgraph::Error>(())
    /// ```
    pub fn throughout(mut self, from: Date, to: Date) -> Filter {
        self.throughout = Some((from, to));
        self
    }

    /// Keeps only facts known by `date`: relations and entities that cite a
    /// source published by then ("what did we know in 2020?").
    pub fn known_by(mut self, date: Date) -> Filter {
        self.known_by = Some(date);
        self
    }

    /// The direction traversals follow.
    pub(crate) fn traversal(&self) -> Direction {
        self.direction
    }

    /// Whether relations of this kind pass.
    pub fn allows_kind(&self, kind: RelationKind) -> bool {
        self.relation_kinds
            .is_none_or(|m| m & (1 << relation_bit(kind)) != 0)
    }
}

/// A filter compiled to bit masks and day numbers, tested against the
/// index's hot arrays without touching relations or entities.
#[derive(Debug, Clone)]
pub(crate) struct Compiled {
    kinds: u32,
    entity_kinds: u32,
    statuses: u32,
    countries: Option<Vec<u16>>,
    window: Option<(i32, i32)>,
    throughout: Option<(i32, i32)>,
    known_by: Option<i32>,
    /// No condition on entities: every present node passes.
    all_nodes: bool,
    /// No condition on relations: every present relation passes, and a
    /// traversal need not read the index's array of relations at all.
    all_edges: bool,
}

/// Bit mask of the symmetric relation kinds, by kind number.
pub(crate) const SYMMETRIC: u32 = (1 << RelationKind::Mou as u32)
    | (1 << RelationKind::Renewal as u32)
    | (1 << RelationKind::Cooperation as u32);

impl Filter {
    pub(crate) fn compile(&self) -> Compiled {
        Compiled {
            kinds: self.relation_kinds.unwrap_or(u32::MAX),
            entity_kinds: self.entity_kinds.unwrap_or(u32::MAX),
            statuses: self.statuses.unwrap_or(u32::MAX),
            countries: self.countries.as_ref().map(|set| {
                set.iter()
                    .map(|c| crate::index::country_code(Some(*c)))
                    .collect()
            }),
            window: self
                .window
                .map(|(from, to)| (from.days(), to.last_day().days())),
            throughout: self
                .throughout
                .map(|(from, to)| (from.days(), to.last_day().days())),
            known_by: self.known_by.map(|d| d.last_day().days()),
            all_nodes: self.entity_kinds.is_none()
                && self.countries.is_none()
                && self.known_by.is_none(),
            all_edges: {
                let every = |mask: Option<u32>, terms: u32| {
                    let all = 1u32.checked_shl(terms).map_or(u32::MAX, |b| b - 1);
                    mask.is_none_or(|m| m & all == all)
                };
                every(self.relation_kinds, RelationKind::ALL.len() as u32)
                    && every(self.statuses, Status::ALL.len() as u32)
                    && self.window.is_none()
                    && self.throughout.is_none()
                    && self.known_by.is_none()
            },
        }
    }
}

impl Compiled {
    /// Whether a relation of this kind and status passes, when the filter
    /// asks nothing else of relations or entities; `None` when it does
    /// (then [`Compiled::edge`] and the entity checks decide).
    #[inline]
    pub(crate) fn by_kind_and_status(&self, kind: u8, status: u8) -> Option<bool> {
        let only = self.window.is_none()
            && self.known_by.is_none()
            && self.throughout.is_none()
            && self.all_nodes;
        only.then(|| self.kinds & (1 << kind) != 0 && self.statuses & (1 << status) != 0)
    }

    /// Whether every step a traversal in `direction` could take passes: no
    /// condition on relations or entities, and both directions followed.
    pub(crate) fn passes_every_step(&self, direction: Direction) -> bool {
        self.all_edges && self.all_nodes && direction == Direction::Both
    }

    /// Whether relation number `e` passes (kind, status, time, sources).
    #[inline]
    pub(crate) fn edge(&self, a: &crate::index::Adjacency, e: usize) -> bool {
        if self.all_edges {
            // Every relation the index lists passes.
            return e < a.hot.len();
        }
        let Some(h) = a.hot.get(e) else {
            return false;
        };
        self.kinds & (1 << h.kind) != 0
            && self.statuses & (1 << h.status) != 0
            && self
                .window
                .is_none_or(|(f, t)| h.lo <= t && h.hi >= f && f <= t)
            && self.known_by.is_none_or(|d| h.known <= d)
            && self.throughout.is_none_or(|(f, t)| {
                a.sure
                    .get(e)
                    .is_some_and(|&(from, to)| from <= f && t <= to)
            })
    }

    /// Whether the filter has no condition on entities.
    pub(crate) fn all_nodes(&self) -> bool {
        self.all_nodes
    }

    /// Whether node `v` holds an entity that passes (kind, country, sources).
    #[inline]
    pub(crate) fn node(&self, a: &crate::index::Adjacency, v: usize) -> bool {
        if self.all_nodes {
            // Incidences only lead to present nodes.
            return true;
        }
        let (Some(&present), Some(&kind), Some(&country), Some(&known)) = (
            a.node_present.get(v),
            a.node_kind.get(v),
            a.node_country.get(v),
            a.node_known.get(v),
        ) else {
            return false;
        };
        present
            && self.entity_kinds & (1 << kind) != 0
            && self
                .countries
                .as_ref()
                .is_none_or(|cs| cs.contains(&country))
            && self.known_by.is_none_or(|d| known <= d)
    }

    /// Whether a step along relation number `e` may go the way it goes.
    #[inline]
    pub(crate) fn way(
        &self,
        a: &crate::index::Adjacency,
        e: usize,
        outgoing: bool,
        direction: Direction,
    ) -> bool {
        let symmetric = || a.hot.get(e).is_some_and(|h| SYMMETRIC & (1 << h.kind) != 0);
        match direction {
            Direction::Both => true,
            Direction::Outgoing => outgoing || symmetric(),
            Direction::Incoming => !outgoing || symmetric(),
        }
    }
}

/// Parses a comma-separated list of relation kind names and group names.
pub(crate) fn parse_kinds(names: &str) -> Result<Vec<RelationKind>, Error> {
    let mut kinds = Vec::new();
    for original in names.split(',').map(str::trim).filter(|n| !n.is_empty()) {
        // Names are kebab-case; a person may type them in any case.
        let lowered = original.to_ascii_lowercase();
        let name = lowered.as_str();
        let group: Option<fn(RelationKind) -> bool> = match name {
            "all" => Some(|_| true),
            "partnership" => Some(RelationKind::is_partnership),
            "agreement" => Some(RelationKind::is_agreement),
            "structural" => Some(RelationKind::is_structural),
            _ => None,
        };
        match group {
            Some(member) => kinds.extend(RelationKind::ALL.iter().copied().filter(|k| member(*k))),
            None => kinds.push(name.parse::<RelationKind>().map_err(|_| {
                Error::new(
                    Rule::UnknownTerm,
                    format!(
                        "unknown relation kind or group `{}`: expected partnership, agreement, structural, all or one of {}",
                        crate::model::id::shorten(original),
                        RelationKind::ALL.iter().map(|k| k.as_str()).collect::<Vec<_>>().join(", ")
                    ),
                )
            })?),
        }
    }
    if kinds.is_empty() {
        return Err(Error::new(Rule::UnknownTerm, "no relation kind given"));
    }
    Ok(kinds)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::HealthGraph;
    use crate::{Entity, EntityId, Relation, RelationId, Source, SourceId};

    /// Whether `relation` (between hospitals `a` and `b`) passes the filter,
    /// asked through a view of a graph that holds it: the filter's one
    /// evaluator.
    trait Passes {
        fn passes_relation(&self, relation: &Relation, graph: &HealthGraph) -> bool;
    }

    impl Passes for Filter {
        fn passes_relation(&self, relation: &Relation, _: &HealthGraph) -> bool {
            let s = SourceId::new("s").unwrap();
            let mut g = HealthGraph::new();
            g.insert_source(Source::new(s.clone(), "S", "2000".parse().unwrap(), "en").unwrap())
                .unwrap();
            for id in ["a", "b"] {
                let e = Entity::new(EntityId::new(id).unwrap(), EntityKind::Hospital, id)
                    .add_source(s.clone());
                g.insert_entity(e).unwrap();
            }
            g.insert_relation(relation.clone()).unwrap();
            g.view(self.clone()).contains_relation(relation)
        }
    }

    fn relation(kind: RelationKind, start: Option<&str>, end: Option<&str>) -> Relation {
        let mut b = Relation::builder(
            RelationId::new("r").unwrap(),
            kind,
            EntityId::new("a").unwrap(),
            EntityId::new("b").unwrap(),
        )
        .add_source(SourceId::new("s").unwrap());
        if let Some(s) = start {
            b = b.start(s.parse().unwrap());
        }
        if let Some(e) = end {
            b = b.end(e.parse().unwrap());
        }
        b.build().unwrap()
    }

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn groups_expand_to_their_kinds() {
        assert_eq!(
            parse_kinds("agreement").unwrap(),
            [
                RelationKind::Mou,
                RelationKind::Renewal,
                RelationKind::Cooperation
            ]
        );
        assert_eq!(parse_kinds("all").unwrap().len(), RelationKind::ALL.len());
        assert_eq!(
            parse_kinds(" visit , part-of ").unwrap(),
            [RelationKind::Visit, RelationKind::PartOf]
        );
        assert!(parse_kinds("").is_err());
        let err = parse_kinds("visit,meeting").unwrap_err();
        assert!(
            err.to_string()
                .starts_with("unknown relation kind or group `meeting`"),
            "{err}"
        );
    }

    #[test]
    fn time_filters_treat_unknown_bounds_as_open() {
        let g = HealthGraph::new();
        let on = |date: &str, r: &Relation| Filter::new().on(d(date)).passes_relation(r, &g);
        let term = relation(RelationKind::Mou, Some("2025"), Some("2030"));
        assert!(on("2025-01-01", &term) && on("2030-12-31", &term) && on("2028-06", &term));
        assert!(!on("2024-12-31", &term) && !on("2031-01-01", &term));
        let open_end = relation(RelationKind::Mou, Some("2025-03-26"), None);
        assert!(on("2040", &open_end) && !on("2025-03-25", &open_end));
        let undated = relation(RelationKind::PartOf, None, None);
        assert!(on("1900", &undated));
    }

    #[test]
    fn partial_query_dates_overlap_periods() {
        let g = HealthGraph::new();
        let visit = relation(RelationKind::Visit, Some("2025-05-23"), Some("2025-05-23"));
        assert!(Filter::new().on(d("2025-05")).passes_relation(&visit, &g));
        assert!(
            Filter::new()
                .during(d("2025-01"), d("2025-05"))
                .passes_relation(&visit, &g)
        );
        assert!(
            !Filter::new()
                .during(d("2025-06"), d("2025-12"))
                .passes_relation(&visit, &g)
        );
        assert!(
            !Filter::new()
                .during(d("2026"), d("2025"))
                .passes_relation(&visit, &g)
        );
    }

    #[test]
    fn kinds_and_statuses_combine() {
        let g = HealthGraph::new();
        let visit = relation(RelationKind::Visit, None, None);
        assert!(Filter::partnership().passes_relation(&visit, &g));
        assert!(
            !Filter::new()
                .kinds([RelationKind::Mou])
                .passes_relation(&visit, &g)
        );
        assert!(
            !Filter::new()
                .statuses([Status::Signed])
                .passes_relation(&visit, &g)
        );
        assert!(
            Filter::new()
                .statuses([Status::Ongoing])
                .passes_relation(&visit, &g)
        );
    }
}
