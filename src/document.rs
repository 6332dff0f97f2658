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
use crate::entity::{Country, Entity, EntityDetails, EntityKind, check_ror, check_wikidata};
use crate::error::{Error, Location, Problem, Rule, path_arc};
use crate::graph::HealthGraph;
use crate::id::{EntityId, RelationId, SourceId};
use crate::relation::{Basis, Field, Figure, Person, Qualifier, Relation, RelationKind, Status};
use crate::source::{Source, check_language};

mod fast;

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

/// How many duplicate ids get a search for their first definition; the
/// search reads the text, so a file full of duplicates stays fast.
const DUPLICATE_LOOKUPS: usize = 20;

/// A record that refers to something not (yet) defined: kept until every
/// input is read, with the locations of the fields that may be at fault.
struct Deferred {
    file: usize,
    item: Pending,
    fields: Vec<(Field, Location)>,
    anchor: Option<Location>,
}

enum Pending {
    Entity(Entity),
    Relation(Relation),
}

impl Pending {
    fn id(&self) -> &str {
        match self {
            Pending::Entity(e) => e.id.as_str(),
            Pending::Relation(r) => r.id.as_str(),
        }
    }
}

/// Whether a problem is about a reference that a later record may satisfy.
fn is_reference(rule: Rule) -> bool {
    matches!(
        rule,
        Rule::UnknownEntity | Rule::UnknownSource | Rule::UnknownRelation
    )
}

/// The id a reference problem is about, read from the typed record.
fn referenced(item: &Pending, field: Field) -> Option<&str> {
    match (item, field) {
        (Pending::Entity(e), Field::Source(i)) => e.sources.get(i).map(|s| s.as_str()),
        (Pending::Relation(r), Field::From) => Some(r.from.as_str()),
        (Pending::Relation(r), Field::To) => Some(r.to.as_str()),
        (Pending::Relation(r), Field::Renews) => r.renews.as_ref().map(|t| t.as_str()),
        (Pending::Relation(r), Field::Source(i)) => r.sources.get(i).map(|s| s.as_str()),
        (Pending::Relation(r), Field::Person(i)) => r
            .people()
            .get(i)
            .and_then(|p| p.organisation.as_ref())
            .map(|o| o.as_str()),
        _ => None,
    }
}

/// Builds a graph from records as the parser hands them over: each record is
/// checked and inserted at once, so the whole input never exists as records.
struct Loader<'o, 't> {
    report: Report<'o, 't>,
    graph: HealthGraph,
    broken: Broken,
    deferred: Vec<Deferred>,
    duplicate_lookups: usize,
}

impl<'o, 't> Loader<'o, 't> {
    fn origin(&self, file: usize) -> Option<&'o Origin<'t>> {
        self.report.origins.get(file)
    }

    /// Adds " (first defined at …)" to a duplicate-id problem, by finding the
    /// first `id: "…"` for that id in the inputs read so far.
    fn explain_duplicate(&mut self, problem: Problem, file: usize, id: &str) -> Problem {
        if problem.rule() != Rule::DuplicateId || self.duplicate_lookups >= DUPLICATE_LOOKUPS {
            return problem;
        }
        self.duplicate_lookups += 1;
        let needle = format!("\"{id}\"");
        let origins = self.report.origins;
        for origin in origins.iter().take(file + 1) {
            for (at, _) in origin.text.match_indices(&needle) {
                let before = origin.text.get(..at).unwrap_or("").trim_end();
                let key = before.strip_suffix(':').map(str::trim_end);
                let is_id = key.is_some_and(|k| {
                    k.ends_with("id")
                        && !k[..k.len() - 2]
                            .chars()
                            .next_back()
                            .is_some_and(|c| c.is_alphanumeric() || c == '_')
                });
                if is_id {
                    let first = origin.location_of_offset(at);
                    return Problem::new(
                        Rule::DuplicateId,
                        format!("{} (first defined at {first})", problem.message()),
                    );
                }
            }
        }
        problem
    }

    fn add_source(&mut self, file: usize, raw: &RawSource<'_>) {
        let Some(source) = source_from_raw(&mut self.report, file, raw) else {
            self.broken.sources.insert(raw.id.as_str().to_owned());
            return;
        };
        let problems = self.graph.check_source(&source);
        if problems.is_empty() {
            // Checked just above, so this cannot fail.
            let _ = self.graph.insert_source(source);
            return;
        }
        for (_, p) in problems {
            let p = self.explain_duplicate(p, file, raw.id.as_str());
            self.report.push(file, p, &raw.id, raw.anchor());
        }
    }

    fn add_entity(&mut self, file: usize, raw: &RawEntity<'_>) {
        let Some(entity) = entity_from_raw(&mut self.report, file, raw, &mut Fresh) else {
            self.broken.entities.insert(raw.id.as_str().to_owned());
            return;
        };
        let problems = self.graph.check_entity(&entity);
        if problems.is_empty() {
            self.graph.insert_checked_entity(entity);
            return;
        }
        if problems.iter().all(|(_, p)| is_reference(p.rule())) {
            let origin = self.origin(file);
            let mut fields = Vec::new();
            for (i, s) in raw.sources.iter().enumerate() {
                if let Some(l) = origin.and_then(|o| o.locate(s)) {
                    fields.push((Field::Source(i), l));
                }
            }
            let anchor = origin.and_then(|o| o.locate(raw.anchor()));
            self.deferred.push(Deferred {
                file,
                item: Pending::Entity(entity),
                fields,
                anchor,
            });
            return;
        }
        let duplicate_only = problems.iter().all(|(_, p)| p.rule() == Rule::DuplicateId);
        for (field, p) in problems {
            let at = entity_field(raw, field);
            if p.rule() == Rule::UnknownSource
                && at.is_some_and(|t| self.broken.sources.contains(t.as_str()))
            {
                continue;
            }
            let p = self.explain_duplicate(p, file, raw.id.as_str());
            self.report
                .push(file, p, at.unwrap_or(&raw.id), raw.anchor());
        }
        if !duplicate_only {
            self.broken.entities.insert(raw.id.as_str().to_owned());
        }
    }

    fn add_relation(&mut self, file: usize, raw: &RawRelation<'_>) {
        let Some(relation) = relation_from_raw(&mut self.report, file, raw, &mut Fresh) else {
            self.broken.relations.insert(raw.id.as_str().to_owned());
            return;
        };
        let problems = self.graph.check_relation(&relation);
        if problems.is_empty() {
            let _ = self.graph.insert_checked_relation(relation);
            return;
        }
        if problems.iter().all(|(_, p)| is_reference(p.rule())) {
            // Defined later, perhaps: keep it, with where its fields are.
            let origin = self.origin(file);
            let mut fields = Vec::new();
            let mut keep = |field: Field| {
                if let Some(l) =
                    relation_field(raw, field).and_then(|t| origin.and_then(|o| o.locate(t)))
                {
                    fields.push((field, l));
                }
            };
            for field in [
                Field::Id,
                Field::Kind,
                Field::From,
                Field::To,
                Field::Renews,
            ] {
                keep(field);
            }
            for i in 0..raw.sources.len() {
                keep(Field::Source(i));
            }
            for i in 0..raw.people.len() {
                keep(Field::Person(i));
            }
            let anchor = origin.and_then(|o| o.locate(raw.anchor()));
            self.deferred.push(Deferred {
                file,
                item: Pending::Relation(relation),
                fields,
                anchor,
            });
            return;
        }
        let duplicate_only = problems.iter().all(|(_, p)| p.rule() == Rule::DuplicateId);
        for (field, p) in problems {
            let at = relation_field(raw, field);
            let id = at.map(Text::as_str).unwrap_or_default();
            if self.about_broken(p.rule(), id) {
                continue;
            }
            let p = self.explain_duplicate(p, file, raw.id.as_str());
            self.report
                .push(file, p, at.unwrap_or(&raw.id), raw.anchor());
        }
        if !duplicate_only {
            self.broken.relations.insert(raw.id.as_str().to_owned());
        }
    }

    /// Whether a reference problem is about a record already reported broken.
    fn about_broken(&self, rule: Rule, id: &str) -> bool {
        match rule {
            Rule::UnknownEntity => self.broken.entities.contains(id),
            Rule::UnknownSource => self.broken.sources.contains(id),
            Rule::UnknownRelation => self.broken.relations.contains(id),
            _ => false,
        }
    }

    fn check(&self, item: &Pending) -> Vec<(Field, Problem)> {
        match item {
            Pending::Entity(e) => self.graph.check_entity(e),
            Pending::Relation(r) => self.graph.check_relation(r),
        }
    }

    /// Inserts deferred records whose references now resolve (renewals after
    /// what they renew, whatever the order of the inputs), and reports the
    /// rest: unknown references, and renewals that renew each other in a cycle.
    fn finish(mut self) -> Result<HealthGraph, Error> {
        let mut deferred = std::mem::take(&mut self.deferred);
        loop {
            let before = deferred.len();
            let mut waiting = Vec::new();
            for d in deferred {
                if self.check(&d.item).is_empty() {
                    match d.item {
                        Pending::Entity(e) => self.graph.insert_checked_entity(e),
                        Pending::Relation(r) => {
                            let _ = self.graph.insert_checked_relation(r);
                        }
                    }
                } else {
                    waiting.push(d);
                }
            }
            deferred = waiting;
            if deferred.len() == before {
                break;
            }
        }
        let left: HashSet<&str> = deferred.iter().map(|d| d.item.id()).collect();
        let renews: BTreeMap<&str, &str> = deferred
            .iter()
            .filter_map(|d| match &d.item {
                Pending::Relation(r) => r.renews.as_ref().map(|t| (r.id.as_str(), t.as_str())),
                Pending::Entity(_) => None,
            })
            .collect();
        let mut in_cycle: HashSet<&str> = HashSet::new();
        let mut problems: Vec<(usize, Problem)> = Vec::new();
        for d in &deferred {
            let id = d.item.id();
            if in_cycle.contains(id) || !renews.contains_key(id) {
                continue;
            }
            let mut chain = vec![id];
            let mut next = renews.get(id).copied();
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
                    let at = d
                        .fields
                        .iter()
                        .find(|(f, _)| *f == Field::Renews)
                        .map(|(_, l)| l.clone())
                        .or_else(|| d.anchor.clone());
                    problems.push((d.file, Problem::new(Rule::RenewalCycle, message).at(at)));
                    in_cycle.extend(chain.iter().copied());
                    break;
                }
                if chain.contains(&n) {
                    break;
                }
                chain.push(n);
                next = renews.get(n).copied();
            }
        }
        for d in &deferred {
            for (field, p) in self.check(&d.item) {
                let target = referenced(&d.item, field).unwrap_or_default();
                // A renewal of something that is itself left over (broken or
                // in a cycle) is not reported again.
                if self.about_broken(p.rule(), target)
                    || (p.rule() == Rule::UnknownRelation && left.contains(target))
                {
                    continue;
                }
                let at = d
                    .fields
                    .iter()
                    .find(|(f, _)| *f == field)
                    .map(|(_, l)| l.clone())
                    .or_else(|| d.anchor.clone());
                problems.push((d.file, p.at(at)));
            }
        }
        self.report.problems.extend(problems);
        match self.report.into_error() {
            Some(error) => Err(error),
            None => Ok(self.graph),
        }
    }
}

/// The top-level fields of a data file.
#[derive(Deserialize)]
#[serde(field_identifier, rename_all = "lowercase")]
enum DocField {
    Sources,
    Entities,
    Relations,
}

/// Records parsed but not yet checked, handed from the parsing thread to the
/// loading thread in batches.
enum Batch<'t> {
    Sources(Vec<RawSource<'t>>),
    Entities(Vec<RawEntity<'t>>),
    Relations(Vec<RawRelation<'t>>),
}

/// How many records travel together between the two threads.
const BATCH: usize = 2048;

/// Parses one data file, sending its records to the loading thread.
struct DocSeed<'t> {
    to_loader: std::sync::mpsc::SyncSender<Batch<'t>>,
}

impl<'t> serde::de::DeserializeSeed<'t> for DocSeed<'t> {
    type Value = ();

    fn deserialize<D: Deserializer<'t>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_struct("dataset", &["sources", "entities", "relations"], self)
    }
}

impl<'t> serde::de::Visitor<'t> for DocSeed<'t> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a data set: (sources: [...], entities: [...], relations: [...])")
    }

    fn visit_map<A: serde::de::MapAccess<'t>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(field) = map.next_key::<DocField>()? {
            map.next_value_seed(ListSeed {
                to_loader: &self.to_loader,
                field,
            })?;
        }
        Ok(())
    }
}

/// Parses one list of records, sending them in batches.
struct ListSeed<'s, 't> {
    to_loader: &'s std::sync::mpsc::SyncSender<Batch<'t>>,
    field: DocField,
}

impl<'t> serde::de::DeserializeSeed<'t> for ListSeed<'_, 't> {
    type Value = ();

    fn deserialize<D: Deserializer<'t>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(self)
    }
}

/// Reads a list in batches; a closed channel (the loader has stopped) ends it.
fn send_all<'t, A, T>(
    seq: &mut A,
    to_loader: &std::sync::mpsc::SyncSender<Batch<'t>>,
    wrap: fn(Vec<T>) -> Batch<'t>,
) -> Result<(), A::Error>
where
    A: serde::de::SeqAccess<'t>,
    T: Deserialize<'t>,
{
    let mut batch = Vec::with_capacity(BATCH);
    while let Some(raw) = seq.next_element::<T>()? {
        batch.push(raw);
        if batch.len() == BATCH {
            let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH));
            if to_loader.send(wrap(full)).is_err() {
                return Ok(());
            }
        }
    }
    if !batch.is_empty() {
        let _ = to_loader.send(wrap(batch));
    }
    Ok(())
}

impl<'t> serde::de::Visitor<'t> for ListSeed<'_, 't> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a list of records")
    }

    fn visit_seq<A: serde::de::SeqAccess<'t>>(self, mut seq: A) -> Result<(), A::Error> {
        match self.field {
            DocField::Sources => send_all(&mut seq, self.to_loader, Batch::Sources),
            DocField::Entities => send_all(&mut seq, self.to_loader, Batch::Entities),
            DocField::Relations => send_all(&mut seq, self.to_loader, Batch::Relations),
        }
    }
}

/// Parses and validates the given inputs into one graph.
fn build(origins: &[Origin<'_>]) -> Result<HealthGraph, Error> {
    let mut loader = Loader {
        report: Report {
            origins,
            problems: Vec::new(),
        },
        graph: HealthGraph::new(),
        broken: Broken::default(),
        deferred: Vec::new(),
        duplicate_lookups: 0,
    };
    let mut syntax = Vec::new();
    for (file, origin) in origins.iter().enumerate() {
        // One thread parses, this one checks and inserts: the two halves of
        // loading overlap. Records borrow the text, which outlives both.
        let parsed = std::thread::scope(|scope| {
            let (to_loader, batches) = std::sync::mpsc::sync_channel::<Batch<'_>>(8);
            let text: &str = origin.text;
            let parser =
                scope.spawn(move || ron_options().from_str_seed(text, DocSeed { to_loader }));
            for batch in batches {
                match batch {
                    Batch::Sources(raws) => {
                        raws.iter().for_each(|raw| loader.add_source(file, raw))
                    }
                    Batch::Entities(raws) => {
                        raws.iter().for_each(|raw| loader.add_entity(file, raw))
                    }
                    Batch::Relations(raws) => {
                        raws.iter().for_each(|raw| loader.add_relation(file, raw))
                    }
                }
            }
            parser.join()
        });
        match parsed {
            Ok(Ok(())) => {}
            Ok(Err(e)) => syntax.push((file, syntax_problem(origin, &e))),
            Err(_) => syntax.push((
                file,
                Problem::new(Rule::Syntax, "the parser stopped unexpectedly")
                    .at(Some(origin.location_of_offset(0))),
            )),
        }
    }
    // A file that does not parse defines nothing we can know, so references
    // into it would all look broken: report the syntax alone.
    if !syntax.is_empty() {
        let report = Report {
            origins,
            problems: syntax,
        };
        return Err(report
            .into_error()
            .unwrap_or_else(|| Error::new(Rule::Syntax, "invalid RON")));
    }
    loader.finish()
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

/// How a conversion makes the ids that a record refers to. The full path
/// makes fresh ones ([`Fresh`]); the fast path's reader shares what it can.
trait Refs {
    /// The id of the entity at a relation's `from` end (`to` if `to`).
    fn end(&mut self, to: bool, text: &str) -> Result<EntityId, Error>;
    /// The id of a cited source.
    fn source(&mut self, text: &str) -> Result<SourceId, Error>;
}

/// Fresh ids for every reference.
struct Fresh;

impl Refs for Fresh {
    fn end(&mut self, _: bool, text: &str) -> Result<EntityId, Error> {
        EntityId::new(text)
    }

    fn source(&mut self, text: &str) -> Result<SourceId, Error> {
        SourceId::new(text)
    }
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
    refs: &mut impl Refs,
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
        match report.check(file, refs.source(s.as_str()), s, raw.anchor()) {
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
        name: raw.name.as_str().into(),
        details: {
            let details = EntityDetails {
                name_en: owned(raw.name_en.as_ref()),
                aliases: raw.aliases.iter().map(|a| a.as_str().to_owned()).collect(),
                wikidata: owned(raw.wikidata.as_ref()),
                ror: owned(raw.ror.as_ref()),
                note: owned(raw.note.as_ref()),
            };
            (details != EntityDetails::default()).then(|| Box::new(details))
        },
        country,
        sources,
    })
}

fn relation_from_raw(
    report: &mut Report<'_, '_>,
    file: usize,
    raw: &RawRelation<'_>,
    refs: &mut impl Refs,
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
        refs.end(false, raw.from.as_str()),
        &raw.from,
        raw.anchor(),
    );
    let to = report.check(file, refs.end(true, raw.to.as_str()), &raw.to, raw.anchor());
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
        match report.check(file, refs.source(s.as_str()), s, raw.anchor()) {
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
                name_en: ot(e.name_en()),
                aliases: e.aliases().iter().map(|a| t(a)).collect(),
                country: e.country.as_ref().map(|c| t(c.as_str())),
                wikidata: ot(e.wikidata()),
                ror: ot(e.ror()),
                sources: e.sources.iter().map(|s| t(s.as_str())).collect(),
                note: ot(e.note()),
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
                scope: r.scope().iter().map(|a| t(a)).collect(),
                people: r
                    .people()
                    .iter()
                    .map(|p| RawPerson {
                        name: t(&p.name),
                        role: ot(p.role.as_deref()),
                        organisation: p.organisation.as_ref().map(|o| t(o.as_str())),
                    })
                    .collect(),
                figures: r
                    .figures()
                    .iter()
                    .map(|f| RawFigure {
                        value: f.value,
                        unit: t(&f.unit),
                        qualifier: (f.qualifier != Qualifier::Exact)
                            .then(|| t(f.qualifier.as_str())),
                    })
                    .collect(),
                sources: r.sources.iter().map(|s| t(s.as_str())).collect(),
                note: ot(r.note()),
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
        // A valid text in the usual form loads on the fast path; anything
        // else is read again with `ron`, which locates every problem.
        let graph = match fast::load_str(text) {
            Some(graph) => graph,
            None => build(&[Origin::new(None, text)])?,
        };
        graph.adjacency();
        Ok(graph)
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
        // The fast path streams valid files in the usual form; if it gives
        // up, the files are read whole and checked with every location.
        if let Some(graph) = fast::load_files(&files) {
            graph.adjacency();
            return Ok(graph);
        }
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
        let graph = build(&origins)?;
        // The texts go before the query index is built, so that the two are
        // never in memory together.
        drop(origins);
        drop(texts);
        graph.adjacency();
        Ok(graph)
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
