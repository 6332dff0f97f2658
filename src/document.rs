//! The RON file format: serde records that mirror the file, loading (one file
//! or a folder of them) through validation that reports every problem with
//! its `file:line:column`, and saving in a stable order, atomically.
//!
//! This is the only module that knows the file format; the format itself is
//! documented in the crate docs (`lib.rs`, "Data files").

use std::borrow::Cow;
use std::collections::{BTreeMap, HashSet};
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::date::Date;
use crate::entity::{Country, Entity, EntityKind, check_ror, check_wikidata};
use crate::error::{Error, Location, Problem, Rule, path_arc};
use crate::graph::HealthGraph;
use crate::id::{EntityId, RelationId, SourceId};
use crate::relation::{Basis, Field, Figure, Person, Qualifier, Relation, RelationKind, Status};
use crate::source::{Source, check_language};

/// A string of the file, borrowed from the file's text whenever it has no
/// escapes, so that its position in the file can be recovered.
#[derive(Debug, Clone)]
struct Text<'a>(Cow<'a, str>);

impl<'a> Text<'a> {
    fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Text<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> serde::de::Visitor<'de> for Visitor<'a> {
            type Value = Text<'a>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Text<'a>, E> {
                Ok(Text(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Text<'a>, E> {
                Ok(Text(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E>(self, v: String) -> Result<Text<'a>, E> {
                Ok(Text(Cow::Owned(v)))
            }
        }
        deserializer.deserialize_str(Visitor(std::marker::PhantomData))
    }
}

impl Serialize for Text<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

/// The first of `texts` that is borrowed from the input (and so can be
/// located), or the first one.
fn anchor<'r, 'a>(texts: &[&'r Text<'a>]) -> Option<&'r Text<'a>> {
    texts
        .iter()
        .find(|t| matches!(t.0, Cow::Borrowed(_)))
        .or(texts.first())
        .copied()
}

impl<'a> RawSource<'a> {
    /// A string of the record to locate its problems at when their own field
    /// cannot be located (it had escapes).
    fn anchor(&self) -> &Text<'a> {
        anchor(&[&self.id, &self.published, &self.language, &self.title]).unwrap_or(&self.id)
    }
}

impl<'a> RawEntity<'a> {
    /// See [`RawSource::anchor`].
    fn anchor(&self) -> &Text<'a> {
        anchor(&[&self.id, &self.kind, &self.name]).unwrap_or(&self.id)
    }
}

impl<'a> RawRelation<'a> {
    /// See [`RawSource::anchor`].
    fn anchor(&self) -> &Text<'a> {
        anchor(&[
            &self.id,
            &self.kind,
            &self.from,
            &self.to,
            &self.status,
            &self.basis,
        ])
        .unwrap_or(&self.id)
    }
}

fn t(s: &str) -> Text<'_> {
    Text(Cow::Borrowed(s))
}

fn ot(s: Option<&str>) -> Option<Text<'_>> {
    s.map(t)
}

#[derive(Deserialize, Serialize)]
#[serde(rename = "dataset", deny_unknown_fields)]
struct RawDocument<'a> {
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    sources: Vec<RawSource<'a>>,
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    entities: Vec<RawEntity<'a>>,
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    relations: Vec<RawRelation<'a>>,
}

#[derive(Deserialize, Serialize)]
#[serde(rename = "source", deny_unknown_fields)]
struct RawSource<'a> {
    #[serde(borrow)]
    id: Text<'a>,
    #[serde(borrow)]
    title: Text<'a>,
    #[serde(borrow, default, skip_serializing_if = "Option::is_none")]
    publisher: Option<Text<'a>>,
    #[serde(borrow, default, skip_serializing_if = "Option::is_none")]
    author: Option<Text<'a>>,
    #[serde(borrow)]
    published: Text<'a>,
    #[serde(borrow)]
    language: Text<'a>,
    #[serde(borrow, default, skip_serializing_if = "Option::is_none")]
    url: Option<Text<'a>>,
    #[serde(borrow, default, skip_serializing_if = "Option::is_none")]
    seed: Option<Text<'a>>,
    #[serde(borrow, default, skip_serializing_if = "Option::is_none")]
    section: Option<Text<'a>>,
    #[serde(borrow, default, skip_serializing_if = "Option::is_none")]
    note: Option<Text<'a>>,
}

#[derive(Deserialize, Serialize)]
#[serde(rename = "entity", deny_unknown_fields)]
struct RawEntity<'a> {
    #[serde(borrow)]
    id: Text<'a>,
    #[serde(borrow)]
    kind: Text<'a>,
    #[serde(borrow)]
    name: Text<'a>,
    #[serde(borrow, default, skip_serializing_if = "Option::is_none")]
    name_en: Option<Text<'a>>,
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    aliases: Vec<Text<'a>>,
    #[serde(borrow, default, skip_serializing_if = "Option::is_none")]
    country: Option<Text<'a>>,
    #[serde(borrow, default, skip_serializing_if = "Option::is_none")]
    wikidata: Option<Text<'a>>,
    #[serde(borrow, default, skip_serializing_if = "Option::is_none")]
    ror: Option<Text<'a>>,
    #[serde(borrow, default)]
    sources: Vec<Text<'a>>,
    #[serde(borrow, default, skip_serializing_if = "Option::is_none")]
    note: Option<Text<'a>>,
}

#[derive(Deserialize, Serialize)]
#[serde(rename = "relation", deny_unknown_fields)]
struct RawRelation<'a> {
    #[serde(borrow)]
    id: Text<'a>,
    #[serde(borrow)]
    kind: Text<'a>,
    #[serde(borrow)]
    from: Text<'a>,
    #[serde(borrow)]
    to: Text<'a>,
    #[serde(borrow, default, skip_serializing_if = "Option::is_none")]
    start: Option<Text<'a>>,
    #[serde(borrow, default, skip_serializing_if = "Option::is_none")]
    end: Option<Text<'a>>,
    #[serde(borrow)]
    status: Text<'a>,
    #[serde(borrow)]
    basis: Text<'a>,
    #[serde(borrow, default, skip_serializing_if = "Option::is_none")]
    renews: Option<Text<'a>>,
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    scope: Vec<Text<'a>>,
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    people: Vec<RawPerson<'a>>,
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    figures: Vec<RawFigure<'a>>,
    #[serde(borrow, default)]
    sources: Vec<Text<'a>>,
    #[serde(borrow, default, skip_serializing_if = "Option::is_none")]
    note: Option<Text<'a>>,
}

#[derive(Deserialize, Serialize)]
#[serde(rename = "person", deny_unknown_fields)]
struct RawPerson<'a> {
    #[serde(borrow)]
    name: Text<'a>,
    #[serde(borrow, default, skip_serializing_if = "Option::is_none")]
    role: Option<Text<'a>>,
    #[serde(borrow, default, skip_serializing_if = "Option::is_none")]
    organisation: Option<Text<'a>>,
}

#[derive(Deserialize, Serialize)]
#[serde(rename = "figure", deny_unknown_fields)]
struct RawFigure<'a> {
    value: u64,
    #[serde(borrow)]
    unit: Text<'a>,
    #[serde(borrow, default, skip_serializing_if = "Option::is_none")]
    qualifier: Option<Text<'a>>,
}

fn ron_options() -> ron::Options {
    ron::Options::default().with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
}

/// One input text and where it came from.
struct Origin<'t> {
    file: Option<Arc<Path>>,
    text: &'t str,
    line_starts: std::cell::OnceCell<Vec<usize>>,
}

impl<'t> Origin<'t> {
    fn new(file: Option<Arc<Path>>, text: &'t str) -> Self {
        Origin {
            file,
            text,
            line_starts: std::cell::OnceCell::new(),
        }
    }

    /// The location of a byte offset of the text.
    fn location_of_offset(&self, offset: usize) -> Location {
        let starts = self.line_starts.get_or_init(|| {
            std::iter::once(0)
                .chain(self.text.match_indices('\n').map(|(i, _)| i + 1))
                .collect()
        });
        let line = starts.partition_point(|&s| s <= offset).max(1);
        let start = starts.get(line - 1).copied().unwrap_or(0);
        let column = self
            .text
            .get(start..offset)
            .map_or(1, |s| s.chars().count() + 1);
        Location::new(self.file.clone(), line, column)
    }

    /// The location of a string borrowed from this text: its opening quote.
    fn locate(&self, text: &Text<'_>) -> Option<Location> {
        let Cow::Borrowed(s) = &text.0 else {
            return None;
        };
        let base = self.text.as_ptr() as usize;
        let offset = (s.as_ptr() as usize).checked_sub(base)?;
        if offset > self.text.len() {
            return None;
        }
        let quoted = offset > 0 && self.text.as_bytes().get(offset - 1) == Some(&b'"');
        Some(self.location_of_offset(if quoted { offset - 1 } else { offset }))
    }
}

/// Collects problems, each located at a string of some input.
struct Report<'o, 't> {
    origins: &'o [Origin<'t>],
    problems: Vec<(usize, Problem)>,
}

impl<'o, 't> Report<'o, 't> {
    /// Records each problem of `error` at `text` (or `fallback`) in input `file`.
    fn add(&mut self, file: usize, error: Error, text: &Text<'_>, fallback: &Text<'_>) {
        let location = self
            .origins
            .get(file)
            .and_then(|o| o.locate(text).or_else(|| o.locate(fallback)));
        for problem in error.problems() {
            self.problems
                .push((file, problem.clone().at(location.clone())));
        }
    }

    fn push(&mut self, file: usize, problem: Problem, text: &Text<'_>, fallback: &Text<'_>) {
        let location = self
            .origins
            .get(file)
            .and_then(|o| o.locate(text).or_else(|| o.locate(fallback)));
        self.problems.push((file, problem.at(location)));
    }

    /// The value of `result`, or `None` with its problems recorded at `text`
    /// (or at `fallback` if `text` cannot be located).
    fn check<T>(
        &mut self,
        file: usize,
        result: Result<T, Error>,
        text: &Text<'_>,
        fallback: &Text<'_>,
    ) -> Option<T> {
        match result {
            Ok(v) => Some(v),
            Err(e) => {
                self.add(file, e, text, fallback);
                None
            }
        }
    }

    fn into_error(mut self) -> Option<Error> {
        if self.problems.is_empty() {
            return None;
        }
        // File order: by input, then line and column; the sort is stable, so
        // problems found at one place keep the order they were found in.
        self.problems.sort_by_key(|(file, p)| {
            (
                *file,
                p.location()
                    .map_or((usize::MAX, usize::MAX), |l| (l.line(), l.column())),
            )
        });
        Some(Error::from_problems(
            self.problems.into_iter().map(|(_, p)| p).collect(),
        ))
    }
}

/// Turns a ron error into a located problem.
fn syntax_problem(origin: &Origin<'_>, err: &ron::error::SpannedError) -> Problem {
    use ron::error::Error as E;
    let (rule, message) = match &err.code {
        E::NoSuchStructField {
            expected,
            found,
            outer,
        } => (
            Rule::UnknownField,
            format!(
                "unknown field `{}`{}: expected one of {}",
                crate::id::shorten(found),
                outer
                    .as_deref()
                    .map(|o| format!(" in {o}"))
                    .unwrap_or_default(),
                expected.join(", ")
            ),
        ),
        E::MissingStructField { field, outer } => (
            Rule::MissingField,
            format!(
                "missing field `{field}`{}",
                outer
                    .as_deref()
                    .map(|o| format!(" in {o}"))
                    .unwrap_or_default()
            ),
        ),
        E::DuplicateStructField { field, outer } => (
            Rule::Syntax,
            format!(
                "field `{field}` appears twice{}",
                outer
                    .as_deref()
                    .map(|o| format!(" in {o}"))
                    .unwrap_or_default()
            ),
        ),
        other => {
            let text = other.to_string();
            let mut chars = text.chars();
            let lowered: String = chars
                .next()
                .map(|c| c.to_lowercase().chain(chars).collect())
                .unwrap_or_default();
            (
                Rule::Syntax,
                format!("invalid RON: {}", lowered.trim_end_matches('.')),
            )
        }
    };
    let location = Location::new(
        origin.file.clone(),
        err.span.start.line.max(1),
        err.span.start.col.max(1),
    );
    Problem::new(rule, message).at(Some(location))
}

/// Ids seen in the input whose records had problems; references to them are
/// not reported again as unknown.
#[derive(Default)]
struct Broken {
    sources: HashSet<String>,
    entities: HashSet<String>,
    relations: HashSet<String>,
}

/// Where each id was first defined, so that a duplicate can point at it.
#[derive(Default)]
struct FirstSeen {
    at: std::collections::HashMap<(&'static str, String), Location>,
}

impl FirstSeen {
    fn record(&mut self, origins: &[Origin<'_>], what: &'static str, file: usize, id: &Text<'_>) {
        if let Some(location) = origins.get(file).and_then(|o| o.locate(id)) {
            self.at
                .entry((what, id.as_str().to_owned()))
                .or_insert(location);
        }
    }

    /// The problem, with the first definition added to a duplicate-id message.
    fn explain(&self, what: &'static str, id: &Text<'_>, problem: Problem) -> Problem {
        match self.at.get(&(what, id.as_str().to_owned())) {
            Some(first) if problem.rule() == Rule::DuplicateId => Problem::new(
                Rule::DuplicateId,
                format!("{} (first defined at {first})", problem.message()),
            ),
            _ => problem,
        }
    }
}

/// Parses and validates the given inputs into one graph.
fn build(origins: &[Origin<'_>]) -> Result<HealthGraph, Error> {
    let mut report = Report {
        origins,
        problems: Vec::new(),
    };
    let mut documents = Vec::with_capacity(origins.len());
    for (file, origin) in origins.iter().enumerate() {
        match ron_options().from_str::<RawDocument<'_>>(origin.text) {
            Ok(doc) => documents.push((file, doc)),
            Err(e) => report.problems.push((file, syntax_problem(origin, &e))),
        }
    }
    // A file that does not parse defines nothing we can know, so references
    // into it would all look broken: report the syntax first.
    if let Some(error) = report.into_error() {
        return Err(error);
    }
    let mut report = Report {
        origins,
        problems: Vec::new(),
    };
    let mut graph = HealthGraph::new();
    let mut broken = Broken::default();
    let mut first = FirstSeen::default();

    for (file, doc) in &documents {
        for raw in &doc.sources {
            match source_from_raw(&mut report, *file, raw) {
                Some(source) => {
                    let problems = graph.check_source(&source);
                    if problems.is_empty() {
                        // Checked just above, so this cannot fail.
                        let _ = graph.insert_source(source);
                        first.record(origins, "source", *file, &raw.id);
                    } else {
                        for (_, p) in problems {
                            let p = first.explain("source", &raw.id, p);
                            report.push(*file, p, &raw.id, raw.anchor());
                        }
                    }
                }
                None => {
                    broken.sources.insert(raw.id.as_str().to_owned());
                }
            }
        }
    }
    for (file, doc) in &documents {
        for raw in &doc.entities {
            let Some(entity) = entity_from_raw(&mut report, *file, raw) else {
                broken.entities.insert(raw.id.as_str().to_owned());
                continue;
            };
            let problems = graph.check_entity(&entity);
            if problems.is_empty() {
                let _ = graph.insert_entity(entity);
                first.record(origins, "entity", *file, &raw.id);
                continue;
            }
            let duplicate_only = problems.iter().all(|(_, p)| p.rule() == Rule::DuplicateId);
            for (field, p) in problems {
                if p.rule() == Rule::UnknownSource
                    && entity_field(raw, field).is_some_and(|t| broken.sources.contains(t.as_str()))
                {
                    continue;
                }
                let at = entity_field(raw, field).unwrap_or(&raw.id);
                let p = first.explain("entity", &raw.id, p);
                report.push(*file, p, at, raw.anchor());
            }
            if !duplicate_only {
                broken.entities.insert(raw.id.as_str().to_owned());
            }
        }
    }

    // Relations: everything that renews nothing first, then renewals once
    // what they renew is in, so that a file may list them in any order.
    let mut pending: Vec<(usize, &RawRelation<'_>, Relation)> = Vec::new();
    for (file, doc) in &documents {
        for raw in &doc.relations {
            match relation_from_raw(&mut report, *file, raw) {
                Some(relation) => pending.push((*file, raw, relation)),
                None => {
                    broken.relations.insert(raw.id.as_str().to_owned());
                }
            }
        }
    }
    let mut inserted_any = true;
    while inserted_any && !pending.is_empty() {
        inserted_any = false;
        let mut waiting = Vec::new();
        for (file, raw, relation) in pending {
            let ready = relation.renews().is_none_or(|target| {
                graph.relation(target.as_str()).is_some()
                    || !waiting_ids_contain(&documents, target.as_str())
            });
            if !ready {
                waiting.push((file, raw, relation));
                continue;
            }
            inserted_any = true;
            insert_relation(
                &mut graph,
                &mut report,
                &mut broken,
                &mut first,
                file,
                raw,
                relation,
            );
        }
        pending = waiting;
    }
    // What is left renews something that was never inserted: a relation with
    // problems of its own (already reported), or a cycle of renewals.
    let left: BTreeMap<&str, &RelationId> = pending
        .iter()
        .filter_map(|(_, _, r)| r.renews().map(|t| (r.id().as_str(), t)))
        .collect();
    let mut reported: HashSet<&str> = HashSet::new();
    for (file, raw, relation) in &pending {
        let id = relation.id().as_str();
        if reported.contains(id) {
            continue;
        }
        let mut chain = vec![id];
        let mut next = left.get(id).map(|t| t.as_str());
        while let Some(n) = next {
            if n == id {
                chain.push(n);
                let message = format!(
                    "renewals form a cycle: {}",
                    chain
                        .iter()
                        .map(|c| format!("`{c}`"))
                        .collect::<Vec<_>>()
                        .join(" renews ")
                );
                let at = raw.renews.as_ref().unwrap_or(&raw.id);
                report.push(
                    *file,
                    Problem::new(Rule::RenewalCycle, message),
                    at,
                    &raw.id,
                );
                reported.extend(chain.iter().copied());
                break;
            }
            if chain.contains(&n) {
                break;
            }
            chain.push(n);
            next = left.get(n).map(|t| t.as_str());
        }
    }
    match report.into_error() {
        Some(error) => Err(error),
        None => Ok(graph),
    }
}

/// Whether some relation of the input has this id (and may still be inserted).
fn waiting_ids_contain(documents: &[(usize, RawDocument<'_>)], id: &str) -> bool {
    documents
        .iter()
        .any(|(_, d)| d.relations.iter().any(|r| r.id.as_str() == id))
}

fn insert_relation(
    graph: &mut HealthGraph,
    report: &mut Report<'_, '_>,
    broken: &mut Broken,
    first: &mut FirstSeen,
    file: usize,
    raw: &RawRelation<'_>,
    relation: Relation,
) {
    let problems = graph.check_relation(&relation);
    if problems.is_empty() {
        let _ = graph.insert_relation(relation);
        first.record(report.origins, "relation", file, &raw.id);
        return;
    }
    let duplicate_only = problems.iter().all(|(_, p)| p.rule() == Rule::DuplicateId);
    for (field, p) in problems {
        let at = relation_field(raw, field);
        let about_broken = match p.rule() {
            Rule::UnknownEntity => at.is_some_and(|t| broken.entities.contains(t.as_str())),
            Rule::UnknownSource => at.is_some_and(|t| broken.sources.contains(t.as_str())),
            Rule::UnknownRelation => at.is_some_and(|t| broken.relations.contains(t.as_str())),
            _ => false,
        };
        if !about_broken {
            let p = first.explain("relation", &raw.id, p);
            report.push(file, p, at.unwrap_or(&raw.id), raw.anchor());
        }
    }
    if !duplicate_only {
        broken.relations.insert(raw.id.as_str().to_owned());
    }
}

fn entity_field<'r, 'a>(raw: &'r RawEntity<'a>, field: Field) -> Option<&'r Text<'a>> {
    match field {
        Field::Id => Some(&raw.id),
        Field::Kind => Some(&raw.kind),
        Field::Name => Some(&raw.name),
        Field::Source(i) => raw.sources.get(i),
        _ => None,
    }
}

fn relation_field<'r, 'a>(raw: &'r RawRelation<'a>, field: Field) -> Option<&'r Text<'a>> {
    match field {
        Field::Id => Some(&raw.id),
        Field::Kind => Some(&raw.kind),
        Field::Name => None,
        Field::From => Some(&raw.from),
        Field::To => Some(&raw.to),
        Field::Start => raw.start.as_ref().or(raw.end.as_ref()),
        Field::Renews => raw.renews.as_ref(),
        Field::Source(i) => raw.sources.get(i),
        Field::Person(i) => raw
            .people
            .get(i)
            .map(|p| p.organisation.as_ref().unwrap_or(&p.name)),
    }
}

fn optional<T>(
    report: &mut Report<'_, '_>,
    (file, fallback): (usize, &Text<'_>),
    text: Option<&Text<'_>>,
    parse: impl FnOnce(&str) -> Result<T, Error>,
    ok: &mut bool,
) -> Option<T> {
    let text = text?;
    let value = report.check(file, parse(text.as_str()), text, fallback);
    *ok &= value.is_some();
    value
}

fn owned(text: Option<&Text<'_>>) -> Option<String> {
    text.map(|t| t.as_str().to_owned())
}

fn source_from_raw(
    report: &mut Report<'_, '_>,
    file: usize,
    raw: &RawSource<'_>,
) -> Option<Source> {
    let id = report.check(file, SourceId::new(raw.id.as_str()), &raw.id, raw.anchor());
    let published = report.check(
        file,
        raw.published.as_str().parse::<Date>(),
        &raw.published,
        raw.anchor(),
    );
    let language_ok = report
        .check(
            file,
            check_language(raw.language.as_str()),
            &raw.language,
            raw.anchor(),
        )
        .is_some();
    let (id, published) = (id?, published?);
    if !language_ok {
        return None;
    }
    let source = report.check(
        file,
        Source::new(id, raw.title.as_str(), published, raw.language.as_str()),
        &raw.title,
        raw.anchor(),
    )?;
    Some(Source {
        publisher: owned(raw.publisher.as_ref()),
        author: owned(raw.author.as_ref()),
        url: owned(raw.url.as_ref()),
        seed: owned(raw.seed.as_ref()),
        section: owned(raw.section.as_ref()),
        note: owned(raw.note.as_ref()),
        ..source
    })
}

fn entity_from_raw(
    report: &mut Report<'_, '_>,
    file: usize,
    raw: &RawEntity<'_>,
) -> Option<Entity> {
    let mut ok = true;
    let id = report.check(file, EntityId::new(raw.id.as_str()), &raw.id, raw.anchor());
    let kind = report.check(
        file,
        raw.kind.as_str().parse::<EntityKind>(),
        &raw.kind,
        raw.anchor(),
    );
    let country = optional(
        report,
        (file, raw.anchor()),
        raw.country.as_ref(),
        Country::new,
        &mut ok,
    );
    optional(
        report,
        (file, raw.anchor()),
        raw.wikidata.as_ref(),
        check_wikidata,
        &mut ok,
    );
    optional(
        report,
        (file, raw.anchor()),
        raw.ror.as_ref(),
        check_ror,
        &mut ok,
    );
    let mut sources = Vec::with_capacity(raw.sources.len());
    for s in &raw.sources {
        match report.check(file, SourceId::new(s.as_str()), s, raw.anchor()) {
            Some(id) => sources.push(id),
            None => ok = false,
        }
    }
    let (id, kind) = (id?, kind?);
    if !ok {
        return None;
    }
    Some(Entity {
        id,
        kind,
        name: raw.name.as_str().to_owned(),
        name_en: owned(raw.name_en.as_ref()),
        aliases: raw.aliases.iter().map(|a| a.as_str().to_owned()).collect(),
        country,
        wikidata: owned(raw.wikidata.as_ref()),
        ror: owned(raw.ror.as_ref()),
        sources,
        note: owned(raw.note.as_ref()),
    })
}

fn relation_from_raw(
    report: &mut Report<'_, '_>,
    file: usize,
    raw: &RawRelation<'_>,
) -> Option<Relation> {
    let mut ok = true;
    let id = report.check(
        file,
        RelationId::new(raw.id.as_str()),
        &raw.id,
        raw.anchor(),
    );
    let kind = report.check(
        file,
        raw.kind.as_str().parse::<RelationKind>(),
        &raw.kind,
        raw.anchor(),
    );
    let from = report.check(
        file,
        EntityId::new(raw.from.as_str()),
        &raw.from,
        raw.anchor(),
    );
    let to = report.check(file, EntityId::new(raw.to.as_str()), &raw.to, raw.anchor());
    let status = report.check(
        file,
        raw.status.as_str().parse::<Status>(),
        &raw.status,
        raw.anchor(),
    );
    let basis = report.check(
        file,
        raw.basis.as_str().parse::<Basis>(),
        &raw.basis,
        raw.anchor(),
    );
    let start = optional(
        report,
        (file, raw.anchor()),
        raw.start.as_ref(),
        str::parse::<Date>,
        &mut ok,
    );
    let end = optional(
        report,
        (file, raw.anchor()),
        raw.end.as_ref(),
        str::parse::<Date>,
        &mut ok,
    );
    let renews = optional(
        report,
        (file, raw.anchor()),
        raw.renews.as_ref(),
        RelationId::new,
        &mut ok,
    );
    let mut sources = Vec::with_capacity(raw.sources.len());
    for s in &raw.sources {
        match report.check(file, SourceId::new(s.as_str()), s, raw.anchor()) {
            Some(id) => sources.push(id),
            None => ok = false,
        }
    }
    let mut people = Vec::with_capacity(raw.people.len());
    for p in &raw.people {
        let organisation = optional(
            report,
            (file, raw.anchor()),
            p.organisation.as_ref(),
            EntityId::new,
            &mut ok,
        );
        people.push(Person {
            name: p.name.as_str().to_owned(),
            role: owned(p.role.as_ref()),
            organisation,
        });
    }
    let mut figures = Vec::with_capacity(raw.figures.len());
    for f in &raw.figures {
        let qualifier = optional(
            report,
            (file, raw.anchor()),
            f.qualifier.as_ref(),
            str::parse::<Qualifier>,
            &mut ok,
        );
        figures.push(Figure {
            value: f.value,
            unit: f.unit.as_str().to_owned(),
            qualifier: qualifier.unwrap_or(Qualifier::Exact),
        });
    }
    let (id, kind, from, to, status, basis) = (id?, kind?, from?, to?, status?, basis?);
    if !ok {
        return None;
    }
    let mut builder = Relation::builder(id, kind, from, to)
        .status(status)
        .basis(basis);
    if let Some(start) = start {
        builder = builder.start(start);
    }
    if let Some(end) = end {
        builder = builder.end(end);
    }
    if let Some(renews) = renews {
        builder = builder.renews(renews);
    }
    for area in &raw.scope {
        builder = builder.scope(area.as_str());
    }
    for person in people {
        builder = builder.person(person);
    }
    for figure in figures {
        builder = builder.figure(figure);
    }
    for source in sources {
        builder = builder.source(source);
    }
    if let Some(note) = &raw.note {
        builder = builder.note(note.as_str());
    }
    let (relation, problems) = builder.build_checked();
    if problems.is_empty() {
        return Some(relation);
    }
    for (field, p) in problems {
        let at = relation_field(raw, field).unwrap_or(&raw.id);
        report.push(file, p, at, raw.anchor());
    }
    None
}

/// The serde records of a whole graph, in id order, borrowing from it.
fn to_raw(graph: &HealthGraph) -> RawDocument<'_> {
    let date = |d: Option<Date>| d.map(|d| Text(Cow::Owned(d.to_string())));
    RawDocument {
        sources: graph
            .sources()
            .map(|s| RawSource {
                id: t(s.id.as_str()),
                title: t(&s.title),
                publisher: ot(s.publisher.as_deref()),
                author: ot(s.author.as_deref()),
                published: Text(Cow::Owned(s.published.to_string())),
                language: t(&s.language),
                url: ot(s.url.as_deref()),
                seed: ot(s.seed.as_deref()),
                section: ot(s.section.as_deref()),
                note: ot(s.note.as_deref()),
            })
            .collect(),
        entities: graph
            .entities()
            .map(|e| RawEntity {
                id: t(e.id.as_str()),
                kind: t(e.kind.as_str()),
                name: t(&e.name),
                name_en: ot(e.name_en.as_deref()),
                aliases: e.aliases.iter().map(|a| t(a)).collect(),
                country: e.country.as_ref().map(|c| t(c.as_str())),
                wikidata: ot(e.wikidata.as_deref()),
                ror: ot(e.ror.as_deref()),
                sources: e.sources.iter().map(|s| t(s.as_str())).collect(),
                note: ot(e.note.as_deref()),
            })
            .collect(),
        relations: graph
            .relations()
            .map(|r| RawRelation {
                id: t(r.id.as_str()),
                kind: t(r.kind.as_str()),
                from: t(r.from.as_str()),
                to: t(r.to.as_str()),
                start: date(r.start()),
                end: date(r.end()),
                status: t(r.status.as_str()),
                basis: t(r.basis.as_str()),
                renews: r.renews.as_ref().map(|id| t(id.as_str())),
                scope: r.scope.iter().map(|a| t(a)).collect(),
                people: r
                    .people
                    .iter()
                    .map(|p| RawPerson {
                        name: t(&p.name),
                        role: ot(p.role.as_deref()),
                        organisation: p.organisation.as_ref().map(|o| t(o.as_str())),
                    })
                    .collect(),
                figures: r
                    .figures
                    .iter()
                    .map(|f| RawFigure {
                        value: f.value,
                        unit: t(&f.unit),
                        qualifier: (f.qualifier != Qualifier::Exact)
                            .then(|| t(f.qualifier.as_str())),
                    })
                    .collect(),
                sources: r.sources.iter().map(|s| t(s.as_str())).collect(),
                note: ot(r.note.as_deref()),
            })
            .collect(),
    }
}

impl HealthGraph {
    /// Loads a data set from RON text, checking every rule.
    ///
    /// # Errors
    ///
    /// Every problem found, each located by line and column: syntax first
    /// (a text that does not parse is not checked further), then ids, dates,
    /// vocabulary, duplicates, references, endpoint kinds and renewals.
    ///
    /// # Example
    ///
    /// ```
    /// use healthgraph::{HealthGraph, Rule};
    ///
    /// let err = HealthGraph::from_ron_str(r#"(
    ///     sources: [(id: "s", title: "T", published: "2025-02-30", language: "vi")],
    ///     entities: [(id: "x", kind: "spaceport", name: "X", sources: ["s"])],
    /// )"#).unwrap_err();
    /// let rules: Vec<Rule> = err.problems().iter().map(|p| p.rule()).collect();
    /// assert_eq!(rules, [Rule::InvalidDate, Rule::UnknownTerm]);
    /// assert_eq!(err.problems()[0].to_string(), "2:48: invalid date `2025-02-30`: no such day in that month");
    /// ```
    pub fn from_ron_str(text: &str) -> Result<HealthGraph, Error> {
        build(&[Origin::new(None, text)])
    }

    /// Loads a data set from a RON file, or from every `.ron` file of a
    /// folder (merged, in file-name order; ids must be unique across files).
    ///
    /// # Errors
    ///
    /// An I/O error if the path cannot be read or a folder holds no `.ron`
    /// file; otherwise every problem of every file, as for
    /// [`HealthGraph::from_ron_str`], with the file in each location.
    ///
    /// # Example
    ///
    /// ```
    /// let graph = healthgraph::HealthGraph::load("data/hanoi.ron")?;
    /// assert_eq!(graph.entity_count(), 35);
    /// # Ok::<(), healthgraph::Error>(())
    /// ```
    pub fn load(path: impl AsRef<Path>) -> Result<HealthGraph, Error> {
        let path = path.as_ref();
        let meta = fs::metadata(path).map_err(|e| Error::io(path, "read", e))?;
        let files: Vec<PathBuf> = if meta.is_dir() {
            let mut files = Vec::new();
            for entry in fs::read_dir(path).map_err(|e| Error::io(path, "read folder", e))? {
                let entry = entry.map_err(|e| Error::io(path, "read folder", e))?;
                let p = entry.path();
                if p.extension().is_some_and(|x| x == "ron") && p.is_file() {
                    files.push(p);
                }
            }
            files.sort();
            if files.is_empty() {
                return Err(Error::io(
                    path,
                    "load",
                    std::io::Error::new(
                        std::io::ErrorKind::NotFound,
                        "the folder holds no .ron file",
                    ),
                ));
            }
            files
        } else {
            vec![path.to_path_buf()]
        };
        let mut texts = Vec::with_capacity(files.len());
        for file in &files {
            let bytes = fs::read(file).map_err(|e| Error::io(file, "read", e))?;
            match String::from_utf8(bytes) {
                Ok(text) => texts.push((file, text)),
                Err(e) => {
                    let valid = e.utf8_error().valid_up_to();
                    let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
                    let origin = Origin::new(Some(path_arc(file)), &text);
                    let location = origin.location_of_offset(valid);
                    return Err(Error::from_problems(vec![
                        Problem::new(Rule::Syntax, "the file is not valid UTF-8")
                            .at(Some(location)),
                    ]));
                }
            }
        }
        let origins: Vec<Origin<'_>> = texts
            .iter()
            .map(|(file, text)| Origin::new(Some(path_arc(file)), text))
            .collect();
        build(&origins)
    }

    /// The graph as RON text: sources, entities and relations in id order,
    /// fields in a fixed order, so equal graphs give identical text.
    ///
    /// # Errors
    ///
    /// Only if the RON serializer fails, which does not happen for the
    /// values a graph can hold.
    ///
    /// # Example
    ///
    /// ```
    /// use healthgraph::HealthGraph;
    ///
    /// let graph = HealthGraph::load("data/hanoi.ron")?;
    /// let text = graph.to_ron_string()?;
    /// assert_eq!(HealthGraph::from_ron_str(&text)?, graph);
    /// # Ok::<(), healthgraph::Error>(())
    /// ```
    pub fn to_ron_string(&self) -> Result<String, Error> {
        let config = ron::ser::PrettyConfig::new()
            .indentor("    ")
            .extensions(ron::extensions::Extensions::IMPLICIT_SOME);
        ron::Options::default()
            .to_string_pretty(&to_raw(self), config)
            .map(|mut s| {
                s.push('\n');
                s
            })
            .map_err(|e| Error::new(Rule::Syntax, format!("cannot write RON: {e}")))
    }

    /// Saves the graph as RON, atomically: the text goes to a temporary file
    /// beside `path`, is flushed to disk, and then replaces `path`, so a
    /// crash leaves either the old file or the new one, never half of one.
    ///
    /// # Errors
    ///
    /// An I/O error if the file cannot be written or renamed; the temporary
    /// file is removed then.
    ///
    /// # Example
    ///
    /// ```
    /// use healthgraph::HealthGraph;
    ///
    /// let graph = HealthGraph::load("data/hanoi.ron")?;
    /// let path = std::env::temp_dir().join(format!("healthgraph-doc-{}.ron", std::process::id()));
    /// graph.save(&path)?;
    /// assert_eq!(HealthGraph::load(&path)?, graph);
    /// # std::fs::remove_file(&path).ok();
    /// # Ok::<(), healthgraph::Error>(())
    /// ```
    pub fn save(&self, path: impl AsRef<Path>) -> Result<(), Error> {
        let path = path.as_ref();
        let text = self.to_ron_string()?;
        let name = path
            .file_name()
            .map_or_else(|| "data.ron".into(), |n| n.to_string_lossy().into_owned());
        let tmp = path.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
        let write = || -> std::io::Result<()> {
            let mut file = fs::File::create(&tmp)?;
            file.write_all(text.as_bytes())?;
            file.sync_all()?;
            fs::rename(&tmp, path)
        };
        write().map_err(|e| {
            let _ = fs::remove_file(&tmp);
            Error::io(path, "save", e)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_count_lines_and_characters() {
        let text = "ab\nđc \"x\"\n";
        let origin = Origin::new(None, text);
        let x = text.find('x').unwrap();
        let loc = origin
            .locate(&Text(Cow::Borrowed(&text[x..x + 1])))
            .unwrap();
        assert_eq!((loc.line(), loc.column()), (2, 4));
        assert!(origin.locate(&Text(Cow::Owned("x".into()))).is_none());
        let elsewhere = String::from("x");
        assert!(origin.locate(&Text(Cow::Borrowed(&elsewhere))).is_none());
    }

    #[test]
    fn strings_without_escapes_are_borrowed() {
        let text = r#"(sources: [(id: "a", title: "T\"q", published: "2025", language: "vi")])"#;
        let doc: RawDocument<'_> = ron_options().from_str(text).unwrap();
        let s = &doc.sources[0];
        assert!(matches!(s.id.0, Cow::Borrowed(_)));
        assert!(matches!(s.title.0, Cow::Owned(_)));
    }

    #[test]
    fn an_empty_document_is_an_empty_graph() {
        assert!(HealthGraph::from_ron_str("()").unwrap().is_empty());
    }

    #[test]
    fn saving_keeps_diacritics_readable() {
        let text = r#"(sources: [(id: "a", title: "Bệnh viện Phụ sản Hà Nội", published: "2025", language: "vi")])"#;
        let out = HealthGraph::from_ron_str(text)
            .unwrap()
            .to_ron_string()
            .unwrap();
        assert!(out.contains("Bệnh viện Phụ sản Hà Nội"), "{out}");
    }
}
