//! Records to typed values and back.
//!
//! Reading, each field is parsed on its own: a field that does not parse is
//! reported and left out of the *draft*, and the draft keeps everything else,
//! so that the rules that do not need the bad field still run (`rules.rs`).
//! Only a draft with no problem at all becomes a typed value.
//!
//! Writing, a graph becomes records borrowing its strings, in id order.

use super::records::{
    At, ClaimRecord, EntityRecord, FigureRecord, FormerNameRecord, LISTS, PersonRecord,
    RelationRecord, SourceRecord, Text,
};
use crate::error::{Error, Problem, Rule};
use crate::graph::HealthGraph;
use crate::model::date::{Date, Period};
use crate::model::entity::{
    Country, Entity, EntityDetails, EntityKind, FormerName, check_ror, check_wikidata,
};
use crate::model::id::{EntityId, RelationId, SourceId};
use crate::model::relation::{
    Basis, Claim, Figure, Person, Qualifier, Rank, Relation, RelationKind, Status,
};
use crate::model::source::{Source, check_language};
use crate::rules::{Cited, EntityFacts, RelationFacts, Slot};
use serde::ser::{Serialize, SerializeStruct, Serializer};

/// Where conversion problems go: each with the place it is about.
pub(crate) trait Report<'t> {
    fn problem(&mut self, problem: Problem, at: At<'t>);
}

/// Parses fields of one record, reporting what does not parse.
struct Fields<'r, 'a, 't, R: Report<'t>> {
    report: &'r mut R,
    record: &'static str,
    /// The record's id as written, for the problems' `record`.
    id: Option<&'a str>,
    at: At<'t>,
    clean: bool,
}

impl<'t, R: Report<'t>> Fields<'_, '_, 't, R> {
    /// The value of `result` for `field`, or `Bad` with its problems
    /// reported at `text`.
    fn parse<T>(
        &mut self,
        field: &'static str,
        text: &Text<'t>,
        result: Result<T, Error>,
    ) -> Slot<T> {
        match result {
            Ok(value) => Slot::Set(value),
            Err(e) => {
                for p in e.problems() {
                    let p = p.clone().about(self.id, Some(field));
                    self.report.problem(p, text.at.or(self.at));
                }
                self.clean = false;
                Slot::Bad
            }
        }
    }

    /// An optional field, parsed when given.
    fn optional<T>(
        &mut self,
        field: &'static str,
        text: Option<&Text<'t>>,
        parse: impl FnOnce(&str) -> Result<T, Error>,
    ) -> Slot<T> {
        match text {
            None => Slot::Empty,
            Some(t) => self.parse(field, t, parse(t.as_str())),
        }
    }

    /// A required field, parsed; reported missing when not given.
    fn required<T>(
        &mut self,
        name: &'static str,
        text: Option<&Text<'t>>,
        parse: impl FnOnce(&str) -> Result<T, Error>,
    ) -> Option<T> {
        match text {
            Some(t) => self.parse(name, t, parse(t.as_str())).get(),
            None => {
                self.missing(name);
                None
            }
        }
    }

    /// Reports a required field that is not given.
    fn missing(&mut self, name: &'static str) {
        let problem = Problem::new(
            Rule::MissingField,
            format!("missing field `{name}` in {}", self.record),
        )
        .about(self.id, Some(name));
        self.report.problem(problem, self.at);
        self.clean = false;
    }

    /// Reports what the reader noted (unknown and repeated fields).
    fn misread(&mut self, misread: &[super::records::Misread<'t>]) {
        for m in misread {
            let problem = Problem::new(m.rule, m.message.clone()).about(self.id, None);
            self.report.problem(problem, m.at.or(self.at));
            self.clean = false;
        }
    }

    /// Cited sources: `None` where an id does not parse.
    fn sources(&mut self, texts: &[Text<'t>]) -> Vec<Option<SourceId>> {
        texts
            .iter()
            .map(|t| self.parse("sources", t, SourceId::new(t.as_str())).get())
            .collect()
    }
}

fn owned(text: Option<&Text<'_>>) -> Option<String> {
    text.map(|t| t.as_str().to_owned())
}

/// The id of a record as written, for messages ("?" when it has none).
pub(crate) fn id_text<'a>(id: Option<&'a Text<'_>>) -> &'a str {
    id.map_or("?", Text::as_str)
}

/// A source, when every field of its record is good.
pub(crate) fn source<'t>(rec: &SourceRecord<'t>, report: &mut impl Report<'t>) -> Option<Source> {
    let mut f = Fields {
        report,
        record: SourceRecord::NAME,
        id: rec.id.as_ref().map(Text::as_str),
        at: rec.at,
        clean: true,
    };
    f.misread(&rec.misread);
    let id = f.required("id", rec.id.as_ref(), SourceId::new);
    let published = f.required("published", rec.published.as_ref(), str::parse::<Date>);
    let language = f.required("language", rec.language.as_ref(), |l| {
        check_language(l).map(|()| l.to_owned())
    });
    let Some(title) = &rec.title else {
        f.missing("title");
        return None;
    };
    let (id, published, language) = (id?, published?, language?);
    let source = f.parse(
        "title",
        title,
        Source::new(id, title.as_str(), published, &language),
    );
    let source = source.get().filter(|_| f.clean)?;
    Some(Source {
        publisher: owned(rec.publisher.as_ref()),
        author: owned(rec.author.as_ref()),
        url: owned(rec.url.as_ref()),
        seed: owned(rec.seed.as_ref()),
        section: owned(rec.section.as_ref()),
        note: owned(rec.note.as_ref()),
        ..source
    })
}

/// What `make` makes of `draft` (reading its list of sources, not taking
/// it), leaving the draft at its default but for that list, which goes back
/// in: its memory is reused, and freed with the draft where it was made (a
/// loader sends drafts back to the reading thread to be filled again).
fn take_keeping_sources<D: Default, T>(
    draft: &mut D,
    sources: impl Fn(&mut D) -> &mut Vec<Option<SourceId>>,
    make: impl FnOnce(D, &[Option<SourceId>]) -> Option<T>,
) -> Option<T> {
    let listed = std::mem::take(sources(draft));
    let taken = std::mem::take(draft);
    let made = make(taken, &listed);
    *sources(draft) = listed;
    made
}

/// What could be read of an entity record.
#[derive(Default)]
pub(crate) struct EntityDraft {
    id: Option<EntityId>,
    kind: Option<EntityKind>,
    name: Option<Box<str>>,
    country: Option<Country>,
    pub(crate) sources: Vec<Option<SourceId>>,
    details: EntityDetails,
    /// Whether every field was read without a problem.
    pub(crate) clean: bool,
}

impl EntityDraft {
    /// What the rules need, with `id` the id as written.
    pub(crate) fn facts<'a>(&'a self, id: &'a str) -> EntityFacts<'a> {
        EntityFacts {
            id,
            name: self.name.as_deref(),
            sources: Cited::Some(&self.sources),
        }
    }

    /// The entity, when every field was read; the draft is left empty but
    /// for its list of sources (see [`take_keeping_sources`]).
    pub(crate) fn take_entity(&mut self) -> Option<Entity> {
        take_keeping_sources(self, |d| &mut d.sources, EntityDraft::into_entity)
    }

    fn into_entity(self, sources: &[Option<SourceId>]) -> Option<Entity> {
        if !self.clean {
            return None;
        }
        let sources = every(sources)?;
        Some(Entity {
            id: self.id?,
            kind: self.kind?,
            name: self.name?,
            details: (self.details != EntityDetails::default()).then(|| Box::new(self.details)),
            country: self.country,
            sources,
        })
    }
}

/// Every item, if none is missing: a vector exactly as long as `items`
/// (collecting into an `Option` starts small and grows, and a relation's
/// sources are then shrunk into their box: two reallocations a record).
fn every<T: Clone>(items: &[Option<T>]) -> Option<Vec<T>> {
    let mut all = Vec::with_capacity(items.len());
    for item in items {
        all.push(item.clone()?);
    }
    Some(all)
}

/// Reads an entity record into a draft.
pub(crate) fn entity<'t>(rec: &EntityRecord<'t>, report: &mut impl Report<'t>) -> EntityDraft {
    let mut f = Fields {
        report,
        record: EntityRecord::NAME,
        id: rec.id.as_ref().map(Text::as_str),
        at: rec.at,
        clean: true,
    };
    f.misread(&rec.misread);
    let id = f.required("id", rec.id.as_ref(), EntityId::new);
    let kind = f.required("kind", rec.kind.as_ref(), str::parse::<EntityKind>);
    let name = match &rec.name {
        Some(n) => Some(Box::from(n.as_str())),
        None => {
            f.missing("name");
            None
        }
    };
    let country = f
        .optional("country", rec.country.as_ref(), Country::new)
        .get();
    f.optional("wikidata", rec.wikidata.as_ref(), check_wikidata);
    f.optional("ror", rec.ror.as_ref(), check_ror);
    let sources = f.sources(&rec.sources);
    let former_names = rec
        .former_names
        .iter()
        .filter_map(|x| former_name(x, &mut f))
        .collect();
    EntityDraft {
        id,
        kind,
        name,
        country,
        sources,
        details: EntityDetails {
            name_en: owned(rec.name_en.as_ref()),
            aliases: rec.aliases.iter().map(|a| a.as_str().to_owned()).collect(),
            former_names,
            wikidata: owned(rec.wikidata.as_ref()),
            ror: owned(rec.ror.as_ref()),
            note: owned(rec.note.as_ref()),
        },
        clean: f.clean,
    }
}

/// What could be read of a relation record.
#[derive(Default)]
pub(crate) struct RelationDraft {
    id: Option<RelationId>,
    pub(crate) kind: Option<RelationKind>,
    pub(crate) from: Option<EntityId>,
    pub(crate) to: Option<EntityId>,
    start: Slot<Date>,
    end: Slot<Date>,
    status: Option<Status>,
    basis: Option<Basis>,
    pub(crate) renews: Slot<RelationId>,
    pub(crate) amends: Slot<RelationId>,
    pub(crate) supersedes: Slot<RelationId>,
    pub(crate) sources: Vec<Option<SourceId>>,
    pub(crate) people: Vec<Person>,
    figures: Vec<Figure>,
    pub(crate) claims: Vec<ClaimDraft>,
    scope: Vec<String>,
    note: Option<String>,
    /// Whether every field was read without a problem.
    pub(crate) clean: bool,
}

/// What could be read of a claim: its sources as read (a malformed id left
/// out as `None`, reported already).
pub(crate) struct ClaimDraft {
    period: Period,
    status: Option<Status>,
    rank: Rank,
    pub(crate) sources: Vec<Option<SourceId>>,
    note: Option<String>,
}

/// A link's target as text, keeping whether it was given and readable.
fn as_str(slot: &Slot<RelationId>) -> Slot<&str> {
    match slot {
        Slot::Set(t) => Slot::Set(t.as_str()),
        Slot::Bad => Slot::Bad,
        Slot::Empty => Slot::Empty,
    }
}

impl RelationDraft {
    /// What the rules need, with `id` the id as written.
    pub(crate) fn facts<'a>(&'a self, id: &'a str) -> RelationFacts<'a> {
        RelationFacts {
            id,
            kind: self.kind,
            from: self.from.as_ref().map(EntityId::as_str),
            to: self.to.as_ref().map(EntityId::as_str),
            start: self.start,
            end: self.end,
            renews: as_str(&self.renews),
            amends: as_str(&self.amends),
            supersedes: as_str(&self.supersedes),
            sources: Cited::Some(&self.sources),
            people: &self.people,
            claims: self
                .claims
                .iter()
                .map(|c| (c.rank, Cited::Some(&c.sources)))
                .collect(),
        }
    }

    /// The relation, if the draft is clean (its rules are the caller's to
    /// have checked); the draft is left empty but for its list of sources
    /// (see [`take_keeping_sources`]).
    pub(crate) fn take_relation(&mut self) -> Option<Relation> {
        take_keeping_sources(self, |d| &mut d.sources, RelationDraft::into_relation)
    }

    fn into_relation(self, sources: &[Option<SourceId>]) -> Option<Relation> {
        if !self.clean {
            return None;
        }
        let mut b = Relation::builder(self.id?, self.kind?, self.from?, self.to?)
            .status(self.status?)
            .basis(self.basis?)
            .with_sources(every(sources)?);
        if let Slot::Set(start) = self.start {
            b = b.start(start);
        }
        if let Slot::Set(end) = self.end {
            b = b.end(end);
        }
        if let Slot::Set(renews) = self.renews {
            b = b.renews(renews);
        }
        if let Slot::Set(amends) = self.amends {
            b = b.amends(amends);
        }
        if let Slot::Set(supersedes) = self.supersedes {
            b = b.supersedes(supersedes);
        }
        for area in self.scope {
            b = b.add_scope(area);
        }
        for person in self.people {
            b = b.add_person(person);
        }
        for figure in self.figures {
            b = b.add_figure(figure);
        }
        for c in self.claims {
            let mut claim = Claim::new(c.period, c.status, every(&c.sources)?).with_rank(c.rank);
            if let Some(note) = c.note {
                claim = claim.with_note(note);
            }
            b = b.add_claim(claim);
        }
        if let Some(note) = self.note {
            b = b.note(note);
        }
        Some(b.build_unchecked())
    }
}

/// Reads a relation record into a draft.
pub(crate) fn relation<'t>(
    rec: &RelationRecord<'t>,
    report: &mut impl Report<'t>,
) -> RelationDraft {
    let mut f = Fields {
        report,
        record: RelationRecord::NAME,
        id: rec.id.as_ref().map(Text::as_str),
        at: rec.at,
        clean: true,
    };
    f.misread(&rec.misread);
    let id = f.required("id", rec.id.as_ref(), RelationId::new);
    let kind = f.required("kind", rec.kind.as_ref(), str::parse::<RelationKind>);
    let from = f.required("from", rec.from.as_ref(), EntityId::new);
    let to = f.required("to", rec.to.as_ref(), EntityId::new);
    let start = f.optional("start", rec.start.as_ref(), str::parse::<Date>);
    let end = f.optional("end", rec.end.as_ref(), str::parse::<Date>);
    let status = f.required("status", rec.status.as_ref(), str::parse::<Status>);
    let basis = f.required("basis", rec.basis.as_ref(), str::parse::<Basis>);
    let renews = f.optional("renews", rec.renews.as_ref(), RelationId::new);
    let amends = f.optional("amends", rec.amends.as_ref(), RelationId::new);
    let supersedes = f.optional("supersedes", rec.supersedes.as_ref(), RelationId::new);
    let sources = f.sources(&rec.sources);
    let people = rec
        .people
        .iter()
        .filter_map(|p| person(p, &mut f))
        .collect();
    let figures = rec
        .figures
        .iter()
        .filter_map(|x| figure(x, &mut f))
        .collect();
    let claims = rec.claims.iter().filter_map(|x| claim(x, &mut f)).collect();
    RelationDraft {
        id,
        kind,
        from,
        to,
        start,
        end,
        status,
        basis,
        renews,
        amends,
        supersedes,
        sources,
        people,
        figures,
        claims,
        scope: rec.scope.iter().map(|a| a.as_str().to_owned()).collect(),
        note: owned(rec.note.as_ref()),
        clean: f.clean,
    }
}

/// A person of a relation; one whose organisation does not parse keeps its
/// name (the problem is reported).
fn person<'t, R: Report<'t>>(
    rec: &PersonRecord<'t>,
    f: &mut Fields<'_, '_, 't, R>,
) -> Option<Person> {
    f.misread(&rec.misread);
    let organisation = f
        .optional("people", rec.organisation.as_ref(), EntityId::new)
        .get();
    let Some(name) = &rec.name else {
        f.report.problem(
            Problem::new(
                Rule::MissingField,
                format!("missing field `name` in {}", PersonRecord::NAME),
            )
            .about(f.id, Some("people")),
            rec.at.or(f.at),
        );
        f.clean = false;
        return None;
    };
    Some(Person {
        name: name.as_str().to_owned(),
        role: owned(rec.role.as_ref()),
        organisation,
    })
}

/// A former name of an entity: a name, and dates that parse and are in
/// order (each problem reported at its own text).
fn former_name<'t, R: Report<'t>>(
    rec: &FormerNameRecord<'t>,
    f: &mut Fields<'_, '_, 't, R>,
) -> Option<FormerName> {
    f.misread(&rec.misread);
    let start = f.optional("former_names", rec.start.as_ref(), str::parse::<Date>);
    let end = f.optional("former_names", rec.end.as_ref(), str::parse::<Date>);
    let Some(name) = rec.name.as_ref().filter(|n| !n.as_str().trim().is_empty()) else {
        let (rule, what) = match &rec.name {
            None => (
                Rule::MissingField,
                format!("missing field `name` in {}", FormerNameRecord::NAME),
            ),
            Some(_) => (
                Rule::EmptyField,
                format!("entity `{}` has an empty former name", f.id.unwrap_or("?")),
            ),
        };
        f.report.problem(
            Problem::new(rule, what).about(f.id, Some("former_names")),
            rec.name
                .as_ref()
                .map_or(rec.at, |n| n.at.or(rec.at))
                .or(f.at),
        );
        f.clean = false;
        return None;
    };
    if start == Slot::Bad || end == Slot::Bad {
        return None;
    }
    let what = format!("former name `{}`", name.as_str());
    let period = period(
        f,
        "former_names",
        &what,
        (start, end),
        rec.start.as_ref(),
        rec.at,
    )?;
    Some(FormerName::new(name.as_str(), period))
}

/// The period of a nested part's dates (`what` names the part in the
/// message): `None`, with the problem reported at the start and the draft
/// not clean, if the start comes after the end.
fn period<'t, R: Report<'t>>(
    f: &mut Fields<'_, '_, 't, R>,
    field: &'static str,
    what: &str,
    (start, end): (Slot<Date>, Slot<Date>),
    start_text: Option<&Text<'t>>,
    at: At<'t>,
) -> Option<Period> {
    match Period::new(start.get(), end.get()) {
        Ok(period) => Some(period),
        Err(e) => {
            for p in e.problems() {
                let message = format!("{what}: {}", p.message());
                f.report.problem(
                    p.clone().reworded(message).about(f.id, Some(field)),
                    start_text.map_or(at, |t| t.at.or(at)).or(f.at),
                );
            }
            f.clean = false;
            None
        }
    }
}

/// A claim of a relation: its dates in order, its status and rank known
/// terms, its sources read (each problem reported at its own text).
fn claim<'t, R: Report<'t>>(
    rec: &ClaimRecord<'t>,
    f: &mut Fields<'_, '_, 't, R>,
) -> Option<ClaimDraft> {
    f.misread(&rec.misread);
    let start = f.optional("claims", rec.start.as_ref(), str::parse::<Date>);
    let end = f.optional("claims", rec.end.as_ref(), str::parse::<Date>);
    let status = f.optional("claims", rec.status.as_ref(), str::parse::<Status>);
    let rank = f.optional("claims", rec.rank.as_ref(), str::parse::<Rank>);
    let sources = f.sources(&rec.sources);
    // A claim with a bad field is kept (the draft is not clean, so no
    // relation is made of it) so that the claims keep their numbers.
    let what = format!("a {}", ClaimRecord::NAME);
    let period = period(f, "claims", &what, (start, end), rec.start.as_ref(), rec.at)
        .unwrap_or(Period::UNKNOWN);
    Some(ClaimDraft {
        period,
        status: status.get(),
        rank: rank.get().unwrap_or(Rank::Normal),
        sources,
        note: owned(rec.note.as_ref()),
    })
}

/// A figure of a relation.
fn figure<'t, R: Report<'t>>(
    rec: &FigureRecord<'t>,
    f: &mut Fields<'_, '_, 't, R>,
) -> Option<Figure> {
    f.misread(&rec.misread);
    let qualifier = f.optional("figures", rec.qualifier.as_ref(), str::parse::<Qualifier>);
    let mut missing = |name: &str| {
        f.report.problem(
            Problem::new(
                Rule::MissingField,
                format!("missing field `{name}` in {}", FigureRecord::NAME),
            )
            .about(f.id, Some("figures")),
            rec.at.or(f.at),
        );
        f.clean = false;
    };
    let Some(value) = rec.value else {
        // A cell that was not a number is reported already (misread).
        let unreadable = rec.misread.iter().any(|m| {
            matches!(
                m.at,
                At::Cell {
                    header: "value",
                    ..
                }
            )
        });
        if !unreadable {
            missing("value");
        }
        return None;
    };
    let Some(unit) = &rec.unit else {
        missing("unit");
        return None;
    };
    Some(Figure {
        value,
        unit: unit.as_str().to_owned(),
        qualifier: qualifier.get().unwrap_or(Qualifier::Exact),
    })
}

/// A data set to write: its sources, entities and relations, each an
/// iterator that can start again, made into records one at a time as they
/// are written (never all at once, so writing takes no more memory than
/// one record).
pub(crate) struct Document<S, E, R> {
    pub(crate) sources: S,
    pub(crate) entities: E,
    pub(crate) relations: R,
}

/// A whole graph to write, in id order, borrowing from it.
pub(crate) fn document(
    graph: &HealthGraph,
) -> Document<
    impl Iterator<Item = &Source> + Clone,
    impl Iterator<Item = &Entity> + Clone,
    impl Iterator<Item = &Relation> + Clone,
> {
    Document {
        sources: graph.sources(),
        entities: graph.entities(),
        relations: graph.relations(),
    }
}

impl<'g, S, E, R> Serialize for Document<S, E, R>
where
    S: Iterator<Item = &'g Source> + Clone,
    E: Iterator<Item = &'g Entity> + Clone,
    R: Iterator<Item = &'g Relation> + Clone,
{
    fn serialize<Z: Serializer>(&self, serializer: Z) -> Result<Z::Ok, Z::Error> {
        let mut st = serializer.serialize_struct("dataset", LISTS.len())?;
        list(&mut st, "sources", self.sources.clone().map(source_record))?;
        list(
            &mut st,
            "entities",
            self.entities.clone().map(entity_record),
        )?;
        list(
            &mut st,
            "relations",
            self.relations.clone().map(relation_record),
        )?;
        st.end()
    }
}

/// A list field, left out when empty, written as a stream.
fn list<St: SerializeStruct, I>(st: &mut St, name: &'static str, items: I) -> Result<(), St::Error>
where
    I: Iterator + Clone,
    I::Item: Serialize,
{
    if items.clone().next().is_none() {
        st.skip_field(name)
    } else {
        st.serialize_field(name, &Seq(items))
    }
}

/// A sequence written from an iterator that can start again.
struct Seq<I>(I);

impl<I> Serialize for Seq<I>
where
    I: Iterator + Clone,
    I::Item: Serialize,
{
    fn serialize<Z: Serializer>(&self, serializer: Z) -> Result<Z::Ok, Z::Error> {
        serializer.collect_seq(self.0.clone())
    }
}

fn t(s: &str) -> Option<Text<'_>> {
    Some(Text::new(s))
}

fn ot(s: Option<&str>) -> Option<Text<'_>> {
    s.map(Text::new)
}

fn date<'a>(d: Option<Date>) -> Option<Text<'a>> {
    d.map(|d| Text::owned(d.to_string()))
}

/// The record of one source, borrowing its strings.
pub(crate) fn source_record<'g>(s: &'g Source) -> SourceRecord<'g> {
    SourceRecord {
        id: t(s.id.as_str()),
        title: t(&s.title),
        publisher: ot(s.publisher.as_deref()),
        author: ot(s.author.as_deref()),
        published: date(Some(s.published)),
        language: t(&s.language),
        url: ot(s.url.as_deref()),
        seed: ot(s.seed.as_deref()),
        section: ot(s.section.as_deref()),
        note: ot(s.note.as_deref()),
        ..SourceRecord::default()
    }
}

/// The record of one entity, borrowing its strings.
pub(crate) fn entity_record<'g>(e: &'g Entity) -> EntityRecord<'g> {
    EntityRecord {
        id: t(e.id.as_str()),
        kind: t(e.kind.as_str()),
        name: t(&e.name),
        name_en: ot(e.name_en()),
        aliases: e.aliases().iter().map(|a| Text::new(a)).collect(),
        former_names: e
            .former_names()
            .iter()
            .map(|x| FormerNameRecord {
                name: t(&x.name),
                start: date(x.period.start()),
                end: date(x.period.end()),
                ..FormerNameRecord::default()
            })
            .collect(),
        country: e.country.as_ref().and_then(|c| t(c.as_str())),
        wikidata: ot(e.wikidata()),
        ror: ot(e.ror()),
        sources: e.sources.iter().map(|s| Text::new(s.as_str())).collect(),
        note: ot(e.note()),
        ..EntityRecord::default()
    }
}

/// The record of one relation, borrowing its strings.
pub(crate) fn relation_record<'g>(r: &'g Relation) -> RelationRecord<'g> {
    RelationRecord {
        id: t(r.id.as_str()),
        kind: t(r.kind.as_str()),
        from: t(r.from.as_str()),
        to: t(r.to.as_str()),
        start: date(r.stated().0.start()),
        end: date(r.stated().0.end()),
        status: t(r.stated().1.as_str()),
        basis: t(r.basis.as_str()),
        renews: r.renews().and_then(|id| t(id.as_str())),
        amends: r.amends().and_then(|id| t(id.as_str())),
        supersedes: r.supersedes().and_then(|id| t(id.as_str())),
        scope: r.scope().iter().map(|a| Text::new(a)).collect(),
        claims: r
            .claims()
            .iter()
            .map(|c| ClaimRecord {
                start: date(c.period.start()),
                end: date(c.period.end()),
                status: c.status.map(|s| Text::new(s.as_str())),
                rank: (c.rank != Rank::Normal).then(|| Text::new(c.rank.as_str())),
                sources: c.sources.iter().map(|s| Text::new(s.as_str())).collect(),
                note: ot(c.note.as_deref()),
                ..ClaimRecord::default()
            })
            .collect(),
        people: r
            .people()
            .iter()
            .map(|p| PersonRecord {
                name: t(&p.name),
                role: ot(p.role.as_deref()),
                organisation: p.organisation.as_ref().and_then(|o| t(o.as_str())),
                ..PersonRecord::default()
            })
            .collect(),
        figures: r
            .figures()
            .iter()
            .map(|f| FigureRecord {
                value: Some(f.value),
                unit: t(&f.unit),
                qualifier: (f.qualifier != Qualifier::Exact)
                    .then(|| Text::new(f.qualifier.as_str())),
                ..FigureRecord::default()
            })
            .collect(),
        sources: r.sources.iter().map(|s| Text::new(s.as_str())).collect(),
        note: ot(r.note()),
        ..RelationRecord::default()
    }
}
