//! Generators for the property tests: valid data sets of every shape the
//! model allows, their RON text with the position of every field, and a
//! checker of the graph's invariants.
//!
//! A [`Spec`] is a few small vectors of indices and vocabulary values, so it
//! shrinks to short, readable cases; [`Dataset::resolve`] turns it into a
//! valid data set by mapping the indices onto entities that the endpoint rules
//! allow, ordering dates, and pointing renewals at earlier agreements.

use std::collections::{BTreeMap, HashSet};
use std::fmt::Write as _;

use healthgraph::{
    Basis, Date, Direction, Entity, EntityKind, Filter, HealthGraph, Rank, Relation, RelationKind,
    Source, Status,
};
use proptest::prelude::*;

/// Names with Vietnamese and other diacritics; an index suffix makes each unique.
pub(crate) const NAMES: &[&str] = &[
    "Bệnh viện Phụ sản Hà Nội",
    "Sở Y tế Hà Nội",
    "Viện Karolinska",
    "Đại học Y Hà Nội",
    "Trung tâm Kiểm soát bệnh tật",
    "Công ty Dược Đông Á",
    "Hôpital Saint-Louis",
    "Universität Heidelberg",
    "Tổ chức Nụ cười",
    "Kế hoạch 137/KH-UBND",
];

pub(crate) const COUNTRIES: &[&str] = &["VN", "SE", "FR", "US", "JP", "KR"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct DateSpec {
    pub(crate) year: i16,
    pub(crate) month: Option<u8>,
    pub(crate) day: Option<u8>,
}

impl DateSpec {
    pub(crate) fn date(self) -> Date {
        match (self.month, self.day) {
            (Some(m), Some(d)) => Date::from_ymd(self.year, m, d),
            (Some(m), None) => Date::from_year_month(self.year, m),
            _ => Date::from_year(self.year),
        }
        .unwrap()
    }
}

pub(crate) fn date_spec() -> impl Strategy<Value = DateSpec> {
    // Days up to 28 exist in every month; precision is mixed.
    (
        1990i16..=2035,
        prop::option::of((1u8..=12, prop::option::of(1u8..=28))),
    )
        .prop_map(|(year, md)| DateSpec {
            year,
            month: md.map(|(m, _)| m),
            day: md.and_then(|(_, d)| d),
        })
}

#[derive(Debug, Clone)]
pub(crate) struct EntitySpec {
    pub(crate) kind: EntityKind,
    pub(crate) name: usize,
    pub(crate) country: Option<usize>,
    pub(crate) source: usize,
    pub(crate) former: Option<(usize, Option<DateSpec>, Option<DateSpec>)>,
}

#[derive(Debug, Clone)]
pub(crate) struct RelationSpec {
    pub(crate) kind: RelationKind,
    pub(crate) from: usize,
    pub(crate) to: usize,
    pub(crate) start: Option<DateSpec>,
    pub(crate) end: Option<DateSpec>,
    pub(crate) status: Status,
    pub(crate) basis: Basis,
    pub(crate) sources: Vec<usize>,
    /// For an MOU or cooperation: amend (`true`) or supersede an earlier
    /// agreement, the `usize`th that qualifies.
    pub(crate) link: Option<(bool, usize)>,
    /// A claim of another source: its dates, status, rank and source.
    pub(crate) claim: Option<ClaimSpec>,
}

/// A generated claim: start, end, status, rank, and which source.
pub(crate) type ClaimSpec = (
    Option<DateSpec>,
    Option<DateSpec>,
    Option<Status>,
    Rank,
    usize,
);

/// A claim as written: start, end, status, rank, source id.
pub(crate) type ClaimRow = (Option<String>, Option<String>, Option<Status>, Rank, String);

#[derive(Debug, Clone)]
pub(crate) struct Spec {
    pub(crate) sources: Vec<DateSpec>,
    pub(crate) entities: Vec<EntitySpec>,
    pub(crate) relations: Vec<RelationSpec>,
}

pub(crate) fn entity_spec() -> impl Strategy<Value = EntitySpec> {
    (
        prop::sample::select(EntityKind::ALL),
        0..NAMES.len(),
        prop::option::of(0..COUNTRIES.len()),
        0usize..4,
        prop::option::weighted(
            0.2,
            (
                0..NAMES.len(),
                prop::option::of(date_spec()),
                prop::option::of(date_spec()),
            ),
        ),
    )
        .prop_map(|(kind, name, country, source, former)| EntitySpec {
            kind,
            name,
            country,
            source,
            former,
        })
}

pub(crate) fn relation_spec() -> impl Strategy<Value = RelationSpec> {
    (
        prop::sample::select(RelationKind::ALL),
        0usize..64,
        0usize..64,
        prop::option::of(date_spec()),
        prop::option::of(date_spec()),
        prop::sample::select(Status::ALL),
        prop::sample::select(Basis::ALL),
        prop::collection::vec(0usize..4, 1..3),
        prop::option::weighted(0.3, (any::<bool>(), 0usize..8)),
        prop::option::weighted(
            0.2,
            (
                prop::option::of(date_spec()),
                prop::option::of(date_spec()),
                prop::option::of(prop::sample::select(Status::ALL)),
                prop::sample::select(Rank::ALL),
                0usize..4,
            ),
        ),
    )
        .prop_map(
            |(kind, from, to, start, end, status, basis, sources, link, claim)| RelationSpec {
                kind,
                from,
                to,
                start,
                end,
                status,
                basis,
                sources,
                link,
                claim,
            },
        )
}

/// Data sets of up to `max_entities` entities and `max_relations` relations.
pub(crate) fn spec(max_entities: usize, max_relations: usize) -> impl Strategy<Value = Spec> {
    (
        prop::collection::vec(date_spec(), 1..4),
        prop::collection::vec(entity_spec(), 1..=max_entities),
        prop::collection::vec(relation_spec(), 0..=max_relations),
    )
        .prop_map(|(sources, entities, relations)| Spec {
            sources,
            entities,
            relations,
        })
}

/// A concrete, valid data set.
#[derive(Debug, Clone)]
pub(crate) struct Dataset {
    pub(crate) sources: Vec<(String, DateSpec)>,
    pub(crate) entities: Vec<EntityRow>,
    pub(crate) relations: Vec<RelationRow>,
}

#[derive(Debug, Clone)]
pub(crate) struct EntityRow {
    pub(crate) id: String,
    pub(crate) kind: EntityKind,
    pub(crate) name: String,
    pub(crate) country: Option<&'static str>,
    pub(crate) source: String,
    /// A former name and the period it was used, as written.
    pub(crate) former: Option<(String, Option<String>, Option<String>)>,
}

#[derive(Debug, Clone)]
pub(crate) struct RelationRow {
    pub(crate) id: String,
    pub(crate) kind: String,
    pub(crate) from: String,
    pub(crate) to: String,
    pub(crate) start: Option<String>,
    pub(crate) end: Option<String>,
    pub(crate) status: Status,
    pub(crate) basis: Basis,
    pub(crate) renews: Option<String>,
    pub(crate) amends: Option<String>,
    pub(crate) supersedes: Option<String>,
    pub(crate) sources: Vec<String>,
    /// A claim: start, end, status, rank, source.
    pub(crate) claim: Option<ClaimRow>,
}

impl Dataset {
    pub(crate) fn resolve(spec: &Spec) -> Dataset {
        let sources: Vec<(String, DateSpec)> = spec
            .sources
            .iter()
            .enumerate()
            .map(|(i, d)| (format!("s{i}"), *d))
            .collect();
        let entities: Vec<EntityRow> = spec
            .entities
            .iter()
            .enumerate()
            .map(|(i, e)| EntityRow {
                id: format!("e{i}"),
                kind: e.kind,
                name: format!("{} {i}", NAMES[e.name]),
                country: e.country.map(|c| COUNTRIES[c]),
                source: format!("s{}", e.source % sources.len()),
                former: e.former.map(|(n, start, end)| {
                    // In order: the earlier date first.
                    let (mut start, mut end) = (start, end);
                    if let (Some(a), Some(b)) = (start, end) {
                        if a.date().first_day() > b.date().last_day() {
                            (start, end) = (Some(b), Some(a));
                        }
                    }
                    (
                        format!("{} cũ {i}", NAMES[n]),
                        start.map(|d| d.date().to_string()),
                        end.map(|d| d.date().to_string()),
                    )
                }),
            })
            .collect();
        let mut relations: Vec<RelationRow> = Vec::new();
        for (i, r) in spec.relations.iter().enumerate() {
            let (froms, tos) = r.kind.endpoints();
            let from_pool: Vec<&EntityRow> = entities
                .iter()
                .filter(|e| froms.contains(&e.kind))
                .collect();
            let to_pool: Vec<&EntityRow> =
                entities.iter().filter(|e| tos.contains(&e.kind)).collect();
            if from_pool.is_empty() || to_pool.is_empty() {
                continue;
            }
            let from = from_pool[r.from % from_pool.len()];
            let mut to = to_pool[r.to % to_pool.len()];
            if to.id == from.id {
                if to_pool.len() < 2 {
                    continue;
                }
                to = to_pool[(r.to + 1) % to_pool.len()];
            }
            let (mut start, mut end) = (r.start, r.end);
            if let (Some(s), Some(e)) = (start, end) {
                if s.date().first_day() > e.date().last_day() {
                    (start, end) = (Some(e), Some(s));
                }
            }
            let mut kind = r.kind;
            let mut renews = None;
            if kind == RelationKind::Renewal {
                // Renew the latest earlier agreement between the same parties
                // that starts no later; without one, this is a plain MOU.
                let target = relations.iter().rev().find(|t| {
                    let agreement = ["mou", "renewal", "cooperation"].contains(&t.kind.as_str());
                    let same = (t.from == from.id && t.to == to.id)
                        || (t.from == to.id && t.to == from.id);
                    let earlier = match (&t.start, start) {
                        (Some(ts), Some(s)) => {
                            ts.parse::<Date>().unwrap().first_day() <= s.date().last_day()
                        }
                        _ => true,
                    };
                    agreement && same && earlier
                });
                match target {
                    Some(t) => renews = Some(t.id.clone()),
                    None => kind = RelationKind::Mou,
                }
            }
            // An MOU or cooperation may amend an earlier agreement between
            // the same parties, or supersede any earlier agreement, that
            // starts no later.
            let (mut amends, mut supersedes) = (None, None);
            if let (Some((amend, pick)), true) = (
                r.link,
                matches!(kind, RelationKind::Mou | RelationKind::Cooperation),
            ) {
                let candidates: Vec<&RelationRow> = relations
                    .iter()
                    .filter(|t| {
                        let agreement =
                            ["mou", "renewal", "cooperation"].contains(&t.kind.as_str());
                        let same = (t.from == from.id && t.to == to.id)
                            || (t.from == to.id && t.to == from.id);
                        let earlier = match (&t.start, start) {
                            (Some(ts), Some(s)) => {
                                ts.parse::<Date>().unwrap().first_day() <= s.date().last_day()
                            }
                            _ => true,
                        };
                        agreement && earlier && (same || !amend)
                    })
                    .collect();
                if !candidates.is_empty() {
                    let t = candidates[pick % candidates.len()].id.clone();
                    if amend {
                        amends = Some(t);
                    } else {
                        supersedes = Some(t);
                    }
                }
            }
            let mut srcs: Vec<String> = r
                .sources
                .iter()
                .map(|s| format!("s{}", s % sources.len()))
                .collect();
            srcs.dedup();
            relations.push(RelationRow {
                id: format!("r{i}"),
                kind: kind.as_str().to_owned(),
                from: from.id.clone(),
                to: to.id.clone(),
                start: start.map(|d| d.date().to_string()),
                end: end.map(|d| d.date().to_string()),
                status: r.status,
                basis: r.basis,
                renews,
                amends,
                supersedes,
                sources: srcs,
                claim: r.claim.map(|(a, b, status, rank, source)| {
                    let (mut a, mut b) = (a, b);
                    if let (Some(x), Some(y)) = (a, b) {
                        if x.date().first_day() > y.date().last_day() {
                            (a, b) = (Some(y), Some(x));
                        }
                    }
                    (
                        a.map(|d| d.date().to_string()),
                        b.map(|d| d.date().to_string()),
                        status,
                        rank,
                        format!("s{}", source % sources.len()),
                    )
                }),
            });
        }
        Dataset {
            sources,
            entities,
            relations,
        }
    }

    /// The graph, built through the insertion API.
    pub(crate) fn graph(&self) -> HealthGraph {
        let mut g = HealthGraph::new();
        for (id, published) in &self.sources {
            g.insert_source(
                Source::new(
                    id.parse().unwrap(),
                    format!("Source {id}"),
                    published.date(),
                    "vi",
                )
                .unwrap(),
            )
            .unwrap();
        }
        for e in &self.entities {
            let mut entity = Entity::new(e.id.parse().unwrap(), e.kind, e.name.clone())
                .add_source(e.source.parse().unwrap());
            if let Some(c) = e.country {
                entity = entity.with_country(c.parse().unwrap());
            }
            if let Some(f) = former_of(e) {
                entity = entity.add_former_name(f);
            }
            g.insert_entity(entity).unwrap();
        }
        for r in &self.relations {
            g.insert_relation(relation_of(r)).unwrap();
        }
        g
    }

    /// The RON text of the data set, one field per line, and the position
    /// (line, column of the value's first character) of every field.
    pub(crate) fn ron(&self) -> (String, Positions) {
        let mut w = Writer::default();
        w.line("#![enable(implicit_some)]");
        w.line("(");
        w.line("    sources: [");
        for (i, (id, published)) in self.sources.iter().enumerate() {
            w.line("        (");
            w.field(("source", i, "id"), &format!("\"{id}\""));
            w.field(("source", i, "title"), &format!("\"Source {id}\""));
            w.field(
                ("source", i, "published"),
                &format!("\"{}\"", published.date()),
            );
            w.field(("source", i, "language"), "\"vi\"");
            w.line("        ),");
        }
        w.line("    ],");
        w.line("    entities: [");
        for (i, e) in self.entities.iter().enumerate() {
            w.line("        (");
            w.field(("entity", i, "id"), &format!("\"{}\"", e.id));
            w.field(("entity", i, "kind"), &format!("\"{}\"", e.kind));
            w.field(("entity", i, "name"), &format!("\"{}\"", e.name));
            if let Some(c) = e.country {
                w.field(("entity", i, "country"), &format!("\"{c}\""));
            }
            if let Some((name, start, end)) = &e.former {
                let mut parts = vec![format!("name: \"{name}\"")];
                if let Some(d) = start {
                    parts.push(format!("start: \"{d}\""));
                }
                if let Some(d) = end {
                    parts.push(format!("end: \"{d}\""));
                }
                w.field(
                    ("entity", i, "former_names"),
                    &format!("[({})]", parts.join(", ")),
                );
            }
            w.field(("entity", i, "sources"), &format!("[\"{}\"]", e.source));
            w.line("        ),");
        }
        w.line("    ],");
        w.line("    relations: [");
        for (i, r) in self.relations.iter().enumerate() {
            w.line("        (");
            w.field(("relation", i, "id"), &format!("\"{}\"", r.id));
            w.field(("relation", i, "kind"), &format!("\"{}\"", r.kind));
            w.field(("relation", i, "from"), &format!("\"{}\"", r.from));
            w.field(("relation", i, "to"), &format!("\"{}\"", r.to));
            if let Some(s) = &r.start {
                w.field(("relation", i, "start"), &format!("\"{s}\""));
            }
            if let Some(e) = &r.end {
                w.field(("relation", i, "end"), &format!("\"{e}\""));
            }
            w.field(("relation", i, "status"), &format!("\"{}\"", r.status));
            w.field(("relation", i, "basis"), &format!("\"{}\"", r.basis));
            if let Some(t) = &r.renews {
                w.field(("relation", i, "renews"), &format!("\"{t}\""));
            }
            if let Some(t) = &r.amends {
                w.field(("relation", i, "amends"), &format!("\"{t}\""));
            }
            if let Some(t) = &r.supersedes {
                w.field(("relation", i, "supersedes"), &format!("\"{t}\""));
            }
            if let Some((start, end, status, rank, source)) = &r.claim {
                let mut parts = Vec::new();
                if let Some(d) = start {
                    parts.push(format!("start: \"{d}\""));
                }
                if let Some(d) = end {
                    parts.push(format!("end: \"{d}\""));
                }
                if let Some(x) = status {
                    parts.push(format!("status: \"{x}\""));
                }
                parts.push(format!("rank: \"{rank}\""));
                parts.push(format!("sources: [\"{source}\"]"));
                w.field(
                    ("relation", i, "claims"),
                    &format!("[({})]", parts.join(", ")),
                );
            }
            let list: Vec<String> = r.sources.iter().map(|s| format!("\"{s}\"")).collect();
            w.field(
                ("relation", i, "sources"),
                &format!("[{}]", list.join(", ")),
            );
            // The first element sits just after the bracket.
            if let Some(&(line, column)) = w.positions.get(&("relation", i, "sources")) {
                w.positions
                    .insert(("relation", i, "sources[0]"), (line, column + 1));
            }
            w.line("        ),");
        }
        w.line("    ],");
        w.line(")");
        (w.text, w.positions)
    }
}

/// The claim of a generated relation, if it has one.
pub(crate) fn claim_of(r: &RelationRow) -> Option<healthgraph::Claim> {
    let (start, end, status, rank, source) = r.claim.as_ref()?;
    let date = |d: &Option<String>| d.as_ref().map(|d| d.parse::<Date>().unwrap());
    let period = healthgraph::Period::new(date(start), date(end)).unwrap();
    Some(healthgraph::Claim::new(period, *status, [source.as_str()]).with_rank(*rank))
}

/// The former name of a generated entity, if it has one.
pub(crate) fn former_of(e: &EntityRow) -> Option<healthgraph::FormerName> {
    let (name, start, end) = e.former.as_ref()?;
    let date = |d: &Option<String>| d.as_ref().map(|d| d.parse::<Date>().unwrap());
    let period = healthgraph::Period::new(date(start), date(end)).unwrap();
    Some(healthgraph::FormerName::new(name.clone(), period))
}

pub(crate) fn relation_of(r: &RelationRow) -> Relation {
    let mut b = Relation::builder(
        r.id.as_str(),
        r.kind.parse().unwrap(),
        r.from.as_str(),
        r.to.as_str(),
    )
    .status(r.status)
    .basis(r.basis);
    if let Some(s) = &r.start {
        b = b.start(s.parse().unwrap());
    }
    if let Some(e) = &r.end {
        b = b.end(e.parse().unwrap());
    }
    if let Some(t) = &r.renews {
        b = b.renews(t.as_str());
    }
    if let Some(t) = &r.amends {
        b = b.amends(t.as_str());
    }
    if let Some(t) = &r.supersedes {
        b = b.supersedes(t.as_str());
    }
    if let Some(c) = claim_of(r) {
        b = b.add_claim(c);
    }
    for s in &r.sources {
        b = b.add_source(s.as_str());
    }
    b.build().unwrap()
}

pub(crate) type Positions = BTreeMap<(&'static str, usize, &'static str), (usize, usize)>;

#[derive(Default)]
struct Writer {
    text: String,
    lines: usize,
    positions: Positions,
}

impl Writer {
    fn line(&mut self, s: &str) {
        self.text.push_str(s);
        self.text.push('\n');
        self.lines += 1;
    }

    fn field(&mut self, key: (&'static str, usize, &'static str), value: &str) {
        let prefix = format!("            {}: ", key.2);
        self.positions
            .insert(key, (self.lines + 1, prefix.chars().count() + 1));
        let _ = writeln!(self.text, "{prefix}{value},");
        self.lines += 1;
    }
}

/// A filter drawn at random.
#[derive(Debug, Clone)]
pub(crate) struct FilterSpec {
    pub(crate) kinds: Option<Vec<RelationKind>>,
    pub(crate) entity_kinds: Option<Vec<EntityKind>>,
    pub(crate) statuses: Option<Vec<Status>>,
    pub(crate) on: Option<DateSpec>,
    pub(crate) direction: Direction,
}

impl FilterSpec {
    pub(crate) fn filter(&self) -> Filter {
        let mut f = Filter::new().direction(self.direction);
        if let Some(k) = &self.kinds {
            f = f.kinds(k.iter().copied());
        }
        if let Some(k) = &self.entity_kinds {
            f = f.entity_kinds(k.iter().copied());
        }
        if let Some(s) = &self.statuses {
            f = f.statuses(s.iter().copied());
        }
        if let Some(d) = self.on {
            f = f.on(d.date());
        }
        f
    }
}

pub(crate) fn filter_spec() -> impl Strategy<Value = FilterSpec> {
    (
        prop::option::of(prop::sample::subsequence(
            RelationKind::ALL,
            1..=RelationKind::ALL.len(),
        )),
        prop::option::of(prop::sample::subsequence(
            EntityKind::ALL,
            1..=EntityKind::ALL.len(),
        )),
        prop::option::of(prop::sample::subsequence(
            Status::ALL,
            1..=Status::ALL.len(),
        )),
        prop::option::of(date_spec()),
        prop::sample::select(&[Direction::Both, Direction::Outgoing, Direction::Incoming][..]),
    )
        .prop_map(
            |(kinds, entity_kinds, statuses, on, direction)| FilterSpec {
                kinds,
                entity_kinds,
                statuses,
                on,
                direction,
            },
        )
}

/// Checks every invariant of DESIGN.md on a graph; the error names the broken one.
pub(crate) fn check_invariants(g: &HealthGraph) -> Result<(), String> {
    let ids: Vec<&str> = g.entities().map(|e| e.id().as_str()).collect();
    if ids.windows(2).any(|w| w[0] >= w[1]) || ids.len() != g.entity_count() {
        return Err("entity ids are not unique and in order".into());
    }
    for e in g.entities() {
        if g.entity(e.id().as_str()).map(|x| x.id()) != Some(e.id()) {
            return Err(format!("the id index does not find {}", e.id()));
        }
        if e.sources().is_empty() || e.sources().iter().any(|s| g.source(s.as_str()).is_none()) {
            return Err(format!("entity {} cites no or unknown sources", e.id()));
        }
    }
    let rids: Vec<&str> = g.relations().map(|r| r.id().as_str()).collect();
    if rids.windows(2).any(|w| w[0] >= w[1]) || rids.len() != g.relation_count() {
        return Err("relation ids are not unique and in order".into());
    }
    let mut incident = 0;
    for e in g.entities() {
        for r in g.relations_of(e.id().as_str()) {
            incident += 1;
            if r.other(e.id().as_str()).is_none() {
                return Err(format!(
                    "relations_of({}) lists {}, which does not touch it",
                    e.id(),
                    r.id()
                ));
            }
        }
    }
    if incident != 2 * g.relation_count() {
        return Err(format!(
            "{incident} incidences for {} relations",
            g.relation_count()
        ));
    }
    for r in g.relations() {
        let (Some(from), Some(to)) = (g.entity(r.from().as_str()), g.entity(r.to().as_str()))
        else {
            return Err(format!("relation {} dangles", r.id()));
        };
        if from.id() == to.id() {
            return Err(format!("relation {} is a self-relation", r.id()));
        }
        if !r.kind().allows(from.kind(), to.kind()) {
            return Err(format!("relation {} breaks the endpoint rules", r.id()));
        }
        if r.sources().is_empty() || r.sources().iter().any(|s| g.source(s.as_str()).is_none()) {
            return Err(format!("relation {} cites no or unknown sources", r.id()));
        }
        if let (Some(s), Some(e)) = (r.stated().0.start(), r.stated().0.end()) {
            if s.first_day() > e.last_day() {
                return Err(format!("relation {} starts after it ends", r.id()));
            }
        }
        if (r.kind() == RelationKind::Renewal) != r.renews().is_some() {
            return Err(format!("relation {}: renews and kind disagree", r.id()));
        }
        // Every link: to an agreement that exists, from an agreement; a
        // renewal or an amendment between the same parties; the earlier one
        // starting no later. (Cycles: below, along every link.)
        for (link, t) in r.links() {
            let Some(target) = g.relation(t.as_str()) else {
                return Err(format!("relation {} {link} a missing relation", r.id()));
            };
            if !r.kind().is_agreement() || !target.kind().is_agreement() {
                return Err(format!("relation {} {link} across a non-agreement", r.id()));
            }
            let same_parties =
                matches!(link, healthgraph::Link::Renews | healthgraph::Link::Amends);
            if same_parties && !target.joins(r.from().as_str(), r.to().as_str()) {
                return Err(format!(
                    "relation {} {link} an agreement of other parties",
                    r.id()
                ));
            }
            if let (Some(ts), Some(rs)) = (target.stated().0.start(), r.stated().0.start()) {
                if ts.first_day() > rs.last_day() {
                    return Err(format!("relation {} {link} a later agreement", r.id()));
                }
            }
        }
        // No cycle along any links.
        let mut stack: Vec<&str> = r.links().map(|(_, t)| t.as_str()).collect();
        let mut seen = HashSet::new();
        while let Some(at) = stack.pop() {
            if at == r.id().as_str() {
                return Err(format!("relation {} continues itself", r.id()));
            }
            if seen.insert(at) {
                if let Some(n) = g.relation(at) {
                    stack.extend(n.links().map(|(_, t)| t.as_str()));
                }
            }
        }
        for p in r.people() {
            if p.organisation()
                .is_some_and(|o| g.entity(o.as_str()).is_none())
            {
                return Err(format!(
                    "relation {} names a person of a missing entity",
                    r.id()
                ));
            }
        }
    }
    Ok(())
}
