//! Every rule of the data model that joins more than one value, each written
//! once, beside the endpoint table: the insert methods, every loader and every
//! importer call these functions and nothing else.
//!
//! A value's own grammar (an id, a date, a country code, a vocabulary term)
//! is checked where the value is made (`EntityId::new`, `Date::from_str`, …);
//! the rules here take *facts*: what is known of a record. A reader that could
//! not read a field leaves it out ([`Slot::Bad`]), and the rules that depend on
//! it do not run, so one bad field never hides the problems of the others and
//! never causes false ones.

use crate::error::{Problem, Rule};
use crate::graph::HealthGraph;
use crate::model::date::{Date, Period};
use crate::model::entity::EntityKind;
use crate::model::id::{EntityId, SourceId};
use crate::model::relation::{Person, Rank, Relation, RelationKind};

/// Entity kinds that act as organisations.
const ACTORS: &[EntityKind] = &[
    EntityKind::City,
    EntityKind::Hospital,
    EntityKind::Institute,
    EntityKind::Company,
    EntityKind::Agency,
    EntityKind::Ngo,
];
/// Actors, plus programmes, which can themselves propose, sign or train (the
/// Vietnam Program offers help in the Hanoi data).
const PARTIES: &[EntityKind] = &[
    EntityKind::City,
    EntityKind::Hospital,
    EntityKind::Institute,
    EntityKind::Company,
    EntityKind::Agency,
    EntityKind::Ngo,
    EntityKind::Programme,
];
/// Everything but a city: what can sit inside a hierarchy or in a place.
const NOT_CITY: &[EntityKind] = &[
    EntityKind::Hospital,
    EntityKind::Institute,
    EntityKind::Company,
    EntityKind::Agency,
    EntityKind::Ngo,
    EntityKind::Programme,
];
/// Bodies that have members.
const BODIES: &[EntityKind] = &[EntityKind::Ngo, EntityKind::Agency, EntityKind::Institute];
/// What a mandate points at: a programme, or a body being set up (a planned
/// centre in the Hanoi data).
const MANDATED: &[EntityKind] = &[
    EntityKind::Programme,
    EntityKind::Hospital,
    EntityKind::Institute,
    EntityKind::Agency,
];
const CITIES: &[EntityKind] = &[EntityKind::City];

/// The endpoint rules: which entity kinds each relation kind may join, as
/// (`from` kinds, `to` kinds). This is the one place that says so.
const ENDPOINTS: &[(RelationKind, &[EntityKind], &[EntityKind])] = &[
    (RelationKind::Mou, PARTIES, PARTIES),
    (RelationKind::Renewal, PARTIES, PARTIES),
    (RelationKind::Visit, ACTORS, ACTORS),
    (RelationKind::Training, PARTIES, PARTIES),
    (RelationKind::Cooperation, PARTIES, PARTIES),
    (RelationKind::Participation, ACTORS, ACTORS),
    (RelationKind::Membership, NOT_CITY, BODIES),
    (RelationKind::Mandate, ACTORS, MANDATED),
    (RelationKind::PartOf, NOT_CITY, NOT_CITY),
    (RelationKind::LocatedIn, NOT_CITY, CITIES),
];

/// The entity kinds a relation of `kind` may have at `from` and at `to`.
pub(crate) fn endpoints(kind: RelationKind) -> (&'static [EntityKind], &'static [EntityKind]) {
    ENDPOINTS
        .iter()
        .find(|(k, _, _)| *k == kind)
        .map_or((&[], &[]), |(_, from, to)| (*from, *to))
}

/// A field of a record, so that a problem found by a rule can be located in
/// the file the record came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Field {
    Id,
    Kind,
    Name,
    From,
    To,
    Start,
    Renews,
    Amends,
    Supersedes,
    Source(usize),
    Person(usize),
    /// A claim of a relation.
    Claim(usize),
    /// A source a claim of a relation cites: the claim, the source.
    ClaimSource(usize, usize),
}

impl Field {
    /// The field's name in the data files.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Field::Id => "id",
            Field::Kind => "kind",
            Field::Name => "name",
            Field::From => "from",
            Field::To => "to",
            Field::Start => "start",
            Field::Renews => "renews",
            Field::Amends => "amends",
            Field::Supersedes => "supersedes",
            Field::Source(_) => "sources",
            Field::Person(_) => "people",
            Field::Claim(_) | Field::ClaimSource(..) => "claims",
        }
    }
}

/// A fact that may be missing: not given (`Empty`), given but unreadable
/// (`Bad`, its problem already reported), or known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum Slot<T> {
    #[default]
    Empty,
    Bad,
    Set(T),
}

impl Slot<crate::model::id::RelationId> {
    /// The id, when known.
    pub(crate) fn as_ref_set(&self) -> Option<&str> {
        match self {
            Slot::Set(id) => Some(id.as_str()),
            Slot::Empty | Slot::Bad => None,
        }
    }
}

impl<T> Slot<T> {
    /// The value, when known.
    pub(crate) fn get(self) -> Option<T> {
        match self {
            Slot::Set(v) => Some(v),
            Slot::Empty | Slot::Bad => None,
        }
    }

    /// A slot from an optional value, which is always readable.
    pub(crate) fn from_option(value: Option<T>) -> Slot<T> {
        value.map_or(Slot::Empty, Slot::Set)
    }
}

/// The sources a record cites: all readable (a typed value), or some not
/// (`None` where a reader could not read the id).
#[derive(Debug, Clone, Copy)]
pub(crate) enum Cited<'a> {
    All(&'a [SourceId]),
    Some(&'a [Option<SourceId>]),
}

impl<'a> Cited<'a> {
    /// Whether the record cites nothing at all (readable or not).
    fn is_empty(self) -> bool {
        match self {
            Cited::All(s) => s.is_empty(),
            Cited::Some(s) => s.is_empty(),
        }
    }

    /// The readable sources with their positions in the list.
    fn iter(self) -> impl Iterator<Item = (usize, &'a SourceId)> {
        let (all, some) = match self {
            Cited::All(s) => (s, &[][..]),
            Cited::Some(s) => (&[][..], s),
        };
        all.iter().enumerate().chain(
            some.iter()
                .enumerate()
                .filter_map(|(i, s)| Some((i, s.as_ref()?))),
        )
    }
}

/// What the rules need to know of an entity.
pub(crate) struct EntityFacts<'a> {
    /// The id as written (also when malformed), for messages.
    pub(crate) id: &'a str,
    pub(crate) name: Option<&'a str>,
    pub(crate) sources: Cited<'a>,
}

/// What the rules need to know of a relation.
pub(crate) struct RelationFacts<'a> {
    /// The id as written (also when malformed), for messages.
    pub(crate) id: &'a str,
    pub(crate) kind: Option<RelationKind>,
    pub(crate) from: Option<&'a str>,
    pub(crate) to: Option<&'a str>,
    pub(crate) start: Slot<Date>,
    pub(crate) end: Slot<Date>,
    pub(crate) renews: Slot<&'a str>,
    pub(crate) amends: Slot<&'a str>,
    pub(crate) supersedes: Slot<&'a str>,
    pub(crate) sources: Cited<'a>,
    pub(crate) people: &'a [Person],
    /// Each claim's rank and sources.
    pub(crate) claims: Vec<(Rank, Cited<'a>)>,
}

impl<'a> RelationFacts<'a> {
    /// Everything about a typed relation.
    pub(crate) fn of(r: &'a Relation) -> RelationFacts<'a> {
        RelationFacts {
            id: r.id.as_str(),
            kind: Some(r.kind),
            from: Some(r.from.as_str()),
            to: Some(r.to.as_str()),
            // The relation's own statement: a record is checked as written,
            // whichever claim queries use.
            start: Slot::from_option(r.stated().0.start()),
            end: Slot::from_option(r.stated().0.end()),
            renews: Slot::from_option(r.renews().map(|t| t.as_str())),
            amends: Slot::from_option(r.amends().map(|t| t.as_str())),
            supersedes: Slot::from_option(r.supersedes().map(|t| t.as_str())),
            sources: Cited::All(&r.sources),
            people: r.people(),
            claims: r
                .claims()
                .iter()
                .map(|c| (c.rank, Cited::All(&c.sources)))
                .collect(),
        }
    }
}

type Found = Vec<(Field, Problem)>;

/// The rules an entity must keep on its own.
pub(crate) fn entity_alone(e: &EntityFacts<'_>, out: &mut Found) {
    if e.name.is_some_and(|n| n.trim().is_empty()) {
        out.push((
            Field::Name,
            Problem::new(
                Rule::EmptyField,
                format!("entity `{}` has an empty name", e.id),
            ),
        ));
    }
    if e.sources.is_empty() {
        out.push((
            Field::Id,
            Problem::new(
                Rule::MissingSource,
                format!("entity `{}` cites no source", e.id),
            ),
        ));
    }
}

/// Ids are unique among the records of their kind (`what`: source, entity
/// or relation); `taken` says whether `id` is.
pub(crate) fn unique(what: &str, id: &str, taken: bool, out: &mut Found) {
    if taken {
        out.push((
            Field::Id,
            Problem::new(Rule::DuplicateId, format!("duplicate {what} id `{id}`")),
        ));
    }
}

/// The rules an entity must keep to join `graph`, beyond a unique id.
pub(crate) fn entity_in(graph: &HealthGraph, e: &EntityFacts<'_>, out: &mut Found) {
    cites(graph, "entity", e.id, e.sources, out);
}

/// Every cited source must be in the graph.
fn cites(graph: &HealthGraph, what: &str, id: &str, sources: Cited<'_>, out: &mut Found) {
    for (i, source) in sources.iter() {
        if graph.source(source.as_str()).is_none() {
            out.push((
                Field::Source(i),
                Problem::new(
                    Rule::UnknownSource,
                    format!("{what} `{id}` cites unknown source `{source}`"),
                ),
            ));
        }
    }
}

/// The rules a relation must keep on its own.
pub(crate) fn relation_alone(r: &RelationFacts<'_>, out: &mut Found) {
    let id = r.id;
    if let (Slot::Set(start), Slot::Set(end)) = (r.start, r.end) {
        if Period::new(Some(start), Some(end)).is_err() {
            out.push((
                Field::Start,
                Problem::new(
                    Rule::StartAfterEnd,
                    format!("relation `{id}` starts at {start} after it ends at {end}"),
                ),
            ));
        }
    }
    if let (Some(from), Some(to)) = (r.from, r.to) {
        if from == to {
            out.push((
                Field::To,
                Problem::new(
                    Rule::SelfRelation,
                    format!("relation `{id}` joins `{from}` to itself"),
                ),
            ));
        }
    }
    if r.sources.is_empty() {
        out.push((
            Field::Id,
            Problem::new(
                Rule::MissingSource,
                format!("relation `{id}` cites no source"),
            ),
        ));
    }
    match (r.kind, r.renews) {
        (Some(RelationKind::Renewal), Slot::Empty) => out.push((
            Field::Kind,
            Problem::new(
                Rule::RenewalWithoutTarget,
                format!("renewal `{id}` does not say which relation it renews"),
            ),
        )),
        (Some(kind), Slot::Set(target)) if kind != RelationKind::Renewal => out.push((
            Field::Renews,
            Problem::new(
                Rule::RenewsOnNonRenewal,
                format!("relation `{id}` is a {kind}, not a renewal, but renews `{target}`"),
            ),
        )),
        _ => {}
    }
    if let Some(kind) = r.kind.filter(|k| !k.is_agreement()) {
        for (field, slot) in [(Field::Amends, r.amends), (Field::Supersedes, r.supersedes)] {
            if let Slot::Set(target) = slot {
                out.push((
                    field,
                    Problem::new(
                        Rule::LinkOnNonAgreement,
                        format!(
                            "relation `{id}` is a {kind}, not an agreement, but {} `{target}`",
                            field.name()
                        ),
                    ),
                ));
            }
        }
    }
    let mut preferred = 0;
    for (i, (rank, sources)) in r.claims.iter().enumerate() {
        if sources.is_empty() {
            out.push((
                Field::Claim(i),
                Problem::new(
                    Rule::MissingSource,
                    format!("claim {} of relation `{id}` cites no source", i + 1),
                ),
            ));
        }
        if *rank == Rank::Preferred {
            preferred += 1;
            if preferred == 2 {
                out.push((
                    Field::Claim(i),
                    Problem::new(
                        Rule::SeveralPreferred,
                        format!("relation `{id}` has more than one preferred claim (claim {} is the second)", i + 1),
                    ),
                ));
            }
        }
    }
    for (i, person) in r.people.iter().enumerate() {
        if person.name.trim().is_empty() {
            out.push((
                Field::Person(i),
                Problem::new(
                    Rule::EmptyField,
                    format!("relation `{id}` names a person with an empty name"),
                ),
            ));
        }
    }
}

/// The rules a relation must keep to join `graph`, beyond a unique id.
pub(crate) fn relation_in(graph: &HealthGraph, r: &RelationFacts<'_>, out: &mut Found) {
    let id = r.id;
    let mut ends = [None, None];
    for (slot, (end, field)) in ends
        .iter_mut()
        .zip([(r.from, Field::From), (r.to, Field::To)])
    {
        let Some(end) = end else { continue };
        *slot = graph.entity(end);
        if slot.is_none() {
            out.push((
                field,
                Problem::new(
                    Rule::UnknownEntity,
                    format!("relation `{id}` points at unknown entity `{end}`"),
                ),
            ));
        }
    }
    if let ([Some(from), Some(to)], Some(kind)) = (ends, r.kind) {
        endpoint_kinds(id, kind, (&from.id, from.kind), (&to.id, to.kind), out);
    }
    cites(graph, "relation", id, r.sources, out);
    for (c, (_, sources)) in r.claims.iter().enumerate() {
        for (i, source) in sources.iter() {
            if graph.source(source.as_str()).is_none() {
                out.push((
                    Field::ClaimSource(c, i),
                    Problem::new(
                        Rule::UnknownSource,
                        format!(
                            "claim {} of relation `{id}` cites unknown source `{source}`",
                            c + 1
                        ),
                    ),
                ));
            }
        }
    }
    for (i, person) in r.people.iter().enumerate() {
        let Some(org) = &person.organisation else {
            continue;
        };
        if !graph.contains_entity(org.as_str()) {
            out.push((
                Field::Person(i),
                Problem::new(
                    Rule::UnknownEntity,
                    format!(
                        "relation `{id}` names `{}` as acting for unknown entity `{org}`",
                        person.name
                    ),
                ),
            ));
        }
    }
    if let Slot::Set(target_id) = r.renews {
        match graph.relation(target_id) {
            None => out.push((
                Field::Renews,
                Problem::new(
                    Rule::UnknownRelation,
                    format!("renewal `{id}` renews unknown relation `{target_id}`"),
                ),
            )),
            Some(target) => renews(r, target, out),
        }
    }
    // On a relation that is not an agreement the link is the problem
    // (reported on its own); its target is not checked too.
    let agreement = r.kind.is_none_or(RelationKind::is_agreement);
    for (field, slot) in [(Field::Amends, r.amends), (Field::Supersedes, r.supersedes)] {
        let Slot::Set(target_id) = slot else { continue };
        if !agreement {
            continue;
        }
        match graph.relation(target_id) {
            None => out.push((
                field,
                Problem::new(
                    Rule::UnknownRelation,
                    format!(
                        "relation `{id}` {} unknown relation `{target_id}`",
                        field.name()
                    ),
                ),
            )),
            Some(target) => continues(r, field, target, out),
        }
    }
}

/// An amendment or a supersession continues an agreement that starts no
/// later than it does; an amendment, between the same two parties.
pub(crate) fn continues(r: &RelationFacts<'_>, field: Field, target: &Relation, out: &mut Found) {
    let (id, tid, verb) = (r.id, &target.id, field.name());
    if !target.kind.is_agreement() {
        out.push((
            field,
            Problem::new(
                Rule::LinksNonAgreement,
                format!(
                    "relation `{id}` {verb} `{tid}`, a {}, which is not an agreement",
                    target.kind
                ),
            ),
        ));
    }
    if let (Field::Amends, Some(from), Some(to)) = (field, r.from, r.to) {
        if !target.joins(from, to) {
            out.push((
                field,
                Problem::new(
                    Rule::AmendsOtherParties,
                    format!(
                        "relation `{id}` joins `{from}` and `{to}` but amends `{tid}`, which joins `{}` and `{}`",
                        target.from, target.to
                    ),
                ),
            ));
        }
    }
    if let (Some(ts), Slot::Set(rs)) = (target.stated().0.start(), r.start) {
        if ts.first_day() > rs.last_day() {
            out.push((
                field,
                Problem::new(
                    Rule::LinksLater,
                    format!("relation `{id}` starts at {rs} but {verb} `{tid}`, which starts later, at {ts}"),
                ),
            ));
        }
    }
}

/// A relation joins kinds of entities that the endpoint table allows.
pub(crate) fn endpoint_kinds(
    id: &str,
    kind: RelationKind,
    (from, from_kind): (&EntityId, EntityKind),
    (to, to_kind): (&EntityId, EntityKind),
    out: &mut Found,
) {
    if !kind.allows(from_kind, to_kind) {
        out.push((
            Field::Kind,
            Problem::new(
                Rule::EndpointKind,
                format!(
                    "relation `{id}` of kind {kind} cannot go from {from_kind} `{from}` to {to_kind} `{to}`"
                ),
            ),
        ));
    }
}

/// A renewal renews an agreement between the same two parties that starts
/// no later than it does.
pub(crate) fn renews(r: &RelationFacts<'_>, target: &Relation, out: &mut Found) {
    let (id, tid) = (r.id, &target.id);
    if !target.kind.is_agreement() {
        out.push((
            Field::Renews,
            Problem::new(
                Rule::RenewsNonAgreement,
                format!(
                    "renewal `{id}` renews `{tid}`, a {}, which is not an agreement",
                    target.kind
                ),
            ),
        ));
    }
    if let (Some(from), Some(to)) = (r.from, r.to) {
        if !target.joins(from, to) {
            out.push((
                Field::Renews,
                Problem::new(
                    Rule::RenewsOtherParties,
                    format!(
                        "renewal `{id}` joins `{from}` and `{to}` but renews `{tid}`, which joins `{}` and `{}`",
                        target.from, target.to
                    ),
                ),
            ));
        }
    }
    if let (Some(ts), Slot::Set(rs)) = (target.stated().0.start(), r.start) {
        if ts.first_day() > rs.last_day() {
            out.push((
                Field::Renews,
                Problem::new(
                    Rule::RenewsLater,
                    format!("renewal `{id}` starts at {rs} but renews `{tid}`, which starts later, at {ts}"),
                ),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_an_endpoint_rule() {
        for kind in RelationKind::ALL {
            let (from, to) = endpoints(*kind);
            assert!(!from.is_empty() && !to.is_empty(), "{kind}");
        }
    }

    #[test]
    fn the_crate_docs_show_the_endpoint_table_as_it_is() {
        let docs = include_str!("lib.rs");
        let describe = |kinds: &[EntityKind]| -> String {
            let all = EntityKind::ALL;
            let missing: Vec<&EntityKind> = all.iter().filter(|k| !kinds.contains(k)).collect();
            match missing.as_slice() {
                [] => "any kind".to_owned(),
                [one] if kinds.len() > 1 => format!("any kind but {one}"),
                _ => kinds
                    .iter()
                    .map(|k| k.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            }
        };
        for kind in RelationKind::ALL {
            let (from, to) = endpoints(*kind);
            let row = format!("//! | `{kind}` | {} | {} |", describe(from), describe(to));
            assert!(docs.contains(&row), "the crate docs lack: {row}");
        }
    }

    #[test]
    fn unreadable_facts_silence_the_rules_that_need_them() {
        let facts = |kind, start, end, renews| RelationFacts {
            claims: Vec::new(),
            amends: Slot::Empty,
            supersedes: Slot::Empty,
            id: "r",
            kind,
            from: None,
            to: None,
            start,
            end,
            renews,
            sources: Cited::Some(&[None]),
            people: &[],
        };
        let rules = |f: RelationFacts<'_>| {
            let mut out = Vec::new();
            relation_alone(&f, &mut out);
            out.into_iter().map(|(_, p)| p.rule()).collect::<Vec<_>>()
        };
        let d = |s: &str| s.parse::<Date>().unwrap();
        // An unreadable source is still a citation: no "cites no source".
        assert!(rules(facts(None, Slot::Empty, Slot::Empty, Slot::Empty)).is_empty());
        // A renewal whose target could not be read does not lack one.
        let renewal = Some(RelationKind::Renewal);
        assert!(rules(facts(renewal, Slot::Empty, Slot::Empty, Slot::Bad)).is_empty());
        assert_eq!(
            rules(facts(renewal, Slot::Empty, Slot::Empty, Slot::Empty)),
            [Rule::RenewalWithoutTarget]
        );
        // The order of dates is checked only when both are read.
        let late = Slot::Set(d("2030"));
        assert!(rules(facts(None, late, Slot::Bad, Slot::Empty)).is_empty());
        assert_eq!(
            rules(facts(None, late, Slot::Set(d("2025")), Slot::Empty)),
            [Rule::StartAfterEnd]
        );
    }
}
