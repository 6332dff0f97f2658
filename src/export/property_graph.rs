//! Property-graph databases: Neo4j's `neo4j-admin database import` CSV, and
//! Kuzu's (and its maintained fork Ladybug's) CSV with a `schema.cypher`
//! that creates the tables and copies the files in.
//!
//! Both are written from one table of columns per record, so the two
//! cannot drift apart: entities are nodes, sources are nodes, relations are
//! edges between entities. A partial date keeps its text as written
//! (`start_text`, `end_text`: `end` is a Cypher keyword) and adds the first
//! and last day it can mean as `DATE` columns to query on. People and
//! figures stay in the JSON and CSV exports.

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::io::Write;
use std::path::Path;

use crate::error::Error;
use crate::graph::HealthGraph;
use crate::model::date::Date;
use crate::model::entity::{Entity, EntityKind};
use crate::model::relation::Relation;
use crate::model::source::Source;

/// What a column holds, which decides its type in each database.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Ty {
    Text,
    Date,
    /// A list of ids: `string[]` (Neo4j), `STRING[]` (Kuzu).
    Ids,
    /// A list of free text: `string[]` (Neo4j); one `STRING` joined by `; `
    /// in Kuzu, whose CSV list reader has no quoting for an element that
    /// holds a comma.
    Texts,
}

/// One cell.
enum Value<'a> {
    Null,
    Text(Cow<'a, str>),
    List(Vec<&'a str>),
}

struct Column<T: ?Sized> {
    name: &'static str,
    ty: Ty,
    get: fn(&T) -> Value<'_>,
}

fn text(s: &str) -> Value<'_> {
    Value::Text(Cow::Borrowed(s))
}

fn maybe(s: Option<&str>) -> Value<'_> {
    s.map_or(Value::Null, text)
}

fn day(d: Option<Date>, last: bool) -> Value<'static> {
    d.map_or(Value::Null, |d| {
        let d = if last { d.last_day() } else { d.first_day() };
        Value::Text(Cow::Owned(d.to_string()))
    })
}

fn written(d: Option<Date>) -> Value<'static> {
    d.map_or(Value::Null, |d| Value::Text(Cow::Owned(d.to_string())))
}

const ENTITY_COLUMNS: &[Column<Entity>] = &[
    Column {
        name: "id",
        ty: Ty::Text,
        get: |e| text(e.id.as_str()),
    },
    Column {
        name: "kind",
        ty: Ty::Text,
        get: |e| text(e.kind.as_str()),
    },
    Column {
        name: "name",
        ty: Ty::Text,
        get: |e| text(e.name()),
    },
    Column {
        name: "name_en",
        ty: Ty::Text,
        get: |e| maybe(e.name_en()),
    },
    Column {
        name: "aliases",
        ty: Ty::Texts,
        get: |e| Value::List(e.aliases().iter().map(String::as_str).collect()),
    },
    Column {
        name: "former_names",
        ty: Ty::Texts,
        get: |e| {
            Value::List(
                e.former_names()
                    .iter()
                    .map(crate::FormerName::name)
                    .collect(),
            )
        },
    },
    Column {
        name: "country",
        ty: Ty::Text,
        get: |e| e.country.as_ref().map_or(Value::Null, |c| text(c.as_str())),
    },
    Column {
        name: "wikidata",
        ty: Ty::Text,
        get: |e| maybe(e.wikidata()),
    },
    Column {
        name: "ror",
        ty: Ty::Text,
        get: |e| maybe(e.ror()),
    },
    Column {
        name: "note",
        ty: Ty::Text,
        get: |e| maybe(e.note()),
    },
    Column {
        name: "sources",
        ty: Ty::Ids,
        get: |e| Value::List(e.sources().iter().map(|s| s.as_str()).collect()),
    },
];

const SOURCE_COLUMNS: &[Column<Source>] = &[
    Column {
        name: "id",
        ty: Ty::Text,
        get: |s| text(s.id().as_str()),
    },
    Column {
        name: "title",
        ty: Ty::Text,
        get: |s| text(s.title()),
    },
    Column {
        name: "published",
        ty: Ty::Text,
        get: |s| written(Some(s.published())),
    },
    Column {
        name: "published_first_day",
        ty: Ty::Date,
        get: |s| day(Some(s.published()), false),
    },
    Column {
        name: "published_last_day",
        ty: Ty::Date,
        get: |s| day(Some(s.published()), true),
    },
    Column {
        name: "language",
        ty: Ty::Text,
        get: |s| text(s.language()),
    },
    Column {
        name: "publisher",
        ty: Ty::Text,
        get: |s| maybe(s.publisher()),
    },
    Column {
        name: "author",
        ty: Ty::Text,
        get: |s| maybe(s.author()),
    },
    Column {
        name: "url",
        ty: Ty::Text,
        get: |s| maybe(s.url()),
    },
    Column {
        name: "seed",
        ty: Ty::Text,
        get: |s| maybe(s.seed()),
    },
    Column {
        name: "section",
        ty: Ty::Text,
        get: |s| maybe(s.section()),
    },
    Column {
        name: "note",
        ty: Ty::Text,
        get: |s| maybe(s.note()),
    },
];

/// The columns of an edge after its two ends (and, for Neo4j, its type).
const RELATION_COLUMNS: &[Column<Relation>] = &[
    Column {
        name: "id",
        ty: Ty::Text,
        get: |r| text(r.id.as_str()),
    },
    Column {
        name: "kind",
        ty: Ty::Text,
        get: |r| text(r.kind.as_str()),
    },
    Column {
        name: "status",
        ty: Ty::Text,
        get: |r| text(r.status.as_str()),
    },
    Column {
        name: "basis",
        ty: Ty::Text,
        get: |r| text(r.basis.as_str()),
    },
    Column {
        name: "start_text",
        ty: Ty::Text,
        get: |r| written(r.start()),
    },
    Column {
        name: "start_first_day",
        ty: Ty::Date,
        get: |r| day(r.start(), false),
    },
    Column {
        name: "start_last_day",
        ty: Ty::Date,
        get: |r| day(r.start(), true),
    },
    Column {
        name: "end_text",
        ty: Ty::Text,
        get: |r| written(r.end()),
    },
    Column {
        name: "end_first_day",
        ty: Ty::Date,
        get: |r| day(r.end(), false),
    },
    Column {
        name: "end_last_day",
        ty: Ty::Date,
        get: |r| day(r.end(), true),
    },
    Column {
        name: "renews",
        ty: Ty::Text,
        get: |r| r.renews().map_or(Value::Null, |id| text(id.as_str())),
    },
    Column {
        name: "amends",
        ty: Ty::Text,
        get: |r| r.amends().map_or(Value::Null, |id| text(id.as_str())),
    },
    Column {
        name: "supersedes",
        ty: Ty::Text,
        get: |r| r.supersedes().map_or(Value::Null, |id| text(id.as_str())),
    },
    Column {
        name: "scope",
        ty: Ty::Texts,
        get: |r| Value::List(r.scope().iter().map(String::as_str).collect()),
    },
    Column {
        name: "sources",
        ty: Ty::Ids,
        get: |r| Value::List(r.sources().iter().map(|s| s.as_str()).collect()),
    },
    Column {
        name: "note",
        ty: Ty::Text,
        get: |r| maybe(r.note()),
    },
];

/// The database a folder is for.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Db {
    Neo4j,
    Kuzu,
}

impl Db {
    /// The cell of `value` in a column of type `ty`.
    fn cell(self, ty: Ty, value: Value<'_>) -> Cow<'_, str> {
        match value {
            Value::Null => Cow::Borrowed(""),
            Value::Text(t) => t,
            Value::List(items) => match (self, ty) {
                // Neo4j's array reader has no escape for its delimiter: a
                // `;` inside an element becomes the full-width `；`.
                (Db::Neo4j, _) => Cow::Owned(
                    items
                        .iter()
                        .map(|i| i.replace(';', "；"))
                        .collect::<Vec<_>>()
                        .join(";"),
                ),
                (Db::Kuzu, Ty::Ids) => Cow::Owned(format!("[{}]", items.join(","))),
                (Db::Kuzu, _) if items.is_empty() => Cow::Borrowed(""),
                (Db::Kuzu, _) => Cow::Owned(items.join("; ")),
            },
        }
    }

    /// The header of a column.
    fn header(self, c_name: &str, ty: Ty) -> String {
        match (self, ty) {
            (Db::Kuzu, _) | (Db::Neo4j, Ty::Text) => c_name.to_owned(),
            (Db::Neo4j, Ty::Date) => format!("{c_name}:date"),
            (Db::Neo4j, Ty::Ids | Ty::Texts) => format!("{c_name}:string[]"),
        }
    }

    /// The Kuzu type of a column.
    fn kuzu_type(ty: Ty) -> &'static str {
        match ty {
            Ty::Text | Ty::Texts => "STRING",
            Ty::Date => "DATE",
            Ty::Ids => "STRING[]",
        }
    }
}

/// The Neo4j label of an entity kind (a second label beside `Entity`).
fn label(kind: EntityKind) -> &'static str {
    match kind {
        EntityKind::City => "City",
        EntityKind::Hospital => "Hospital",
        EntityKind::Institute => "Institute",
        EntityKind::Company => "Company",
        EntityKind::Agency => "Agency",
        EntityKind::Ngo => "NGO",
        EntityKind::Programme => "Programme",
    }
}

fn csv_error(e: csv::Error) -> Error {
    Error::from(std::io::Error::other(e.to_string()))
}

/// Writes one table to `path`, atomically, as a stream of rows.
fn table<'a, T: 'a + ?Sized>(
    db: Db,
    path: &Path,
    lead: &[&str],
    columns: &[Column<T>],
    rows: impl IntoIterator<Item = (&'a T, Vec<Cow<'a, str>>)>,
) -> Result<(), Error> {
    super::save(path, |out: &mut dyn Write| {
        let mut w = csv::Writer::from_writer(out);
        let mut header: Vec<String> = lead.iter().map(|h| (*h).to_owned()).collect();
        header.extend(columns.iter().map(|c| db.header(c.name, c.ty)));
        w.write_record(&header).map_err(csv_error)?;
        for (record, mut cells) in rows {
            for c in columns {
                cells.push(db.cell(c.ty, (c.get)(record)));
            }
            w.write_record(cells.iter().map(|c| c.as_bytes()))
                .map_err(csv_error)?;
        }
        w.flush().map_err(Error::from)
    })
}

/// The sources `entities` and `relations` cite, in id order.
fn cited<'g>(
    graph: &'g HealthGraph,
    entities: &[&Entity],
    relations: &[&Relation],
) -> Vec<&'g Source> {
    let ids: BTreeSet<&str> = entities
        .iter()
        .flat_map(|e| e.sources())
        .chain(relations.iter().flat_map(|r| r.sources()))
        .map(|s| s.as_str())
        .collect();
    ids.into_iter().filter_map(|id| graph.source(id)).collect()
}

/// The columns after the id, which Neo4j's files lead with as `:ID`.
fn after_id<T: ?Sized>(columns: &[Column<T>]) -> &[Column<T>] {
    columns.split_first().map_or(columns, |(_, rest)| rest)
}

fn folder(dir: &Path) -> Result<(), Error> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, "make folder", e))
}

/// Writes `entities`, `relations` and the sources they cite as the CSV
/// files of Neo4j's bulk importer into `dir` (made if missing), each saved
/// atomically and written as a stream: `entities.csv` (`id:ID(Entity)`,
/// `:LABEL` `Entity;Hospital`, …), `sources.csv` (`id:ID(Source)`,
/// `:LABEL` `Source`, …) and `relations.csv` (`:START_ID(Entity)`,
/// `:END_ID(Entity)`, `:TYPE` the kind in upper case, `MOU`, `PART_OF`, …).
/// Dates as written are strings; their first and last days are `date`
/// columns; lists are `string[]` separated by `;`. Import with
///
/// ```text
/// neo4j-admin database import full --nodes=entities.csv --nodes=sources.csv \
///     --relationships=relations.csv --array-delimiter=';' neo4j
/// ```
///
/// # Errors
///
/// An I/O error if a file cannot be written.
///
/// # Example
///
/// ```
/// use healthgraph::{Filter, HealthGraph, export};
///
/// let graph = HealthGraph::load("data/hanoi.ron")?;
/// let view = graph.view(Filter::new());
/// let (entities, relations): (Vec<_>, Vec<_>) = (view.entities().collect(), view.relations().collect());
/// let dir = tempfile::tempdir().expect("a temporary folder");
/// export::write_neo4j(&graph, &entities, &relations, dir.path())?;
/// let relations = std::fs::read_to_string(dir.path().join("relations.csv")).expect("written");
/// assert!(relations.starts_with(":START_ID(Entity),:END_ID(Entity),:TYPE,id,kind,"));
/// # Ok::<(), healthgraph::Error>(())
/// ```
pub fn write_neo4j(
    graph: &HealthGraph,
    entities: &[&Entity],
    relations: &[&Relation],
    dir: &Path,
) -> Result<(), Error> {
    let db = Db::Neo4j;
    folder(dir)?;
    let id = |s: &str| Cow::Owned(s.to_owned());
    table(
        db,
        &dir.join("entities.csv"),
        &["id:ID(Entity)", ":LABEL"],
        after_id(ENTITY_COLUMNS),
        entities.iter().map(|e| {
            let labels = format!("Entity;{}", label(e.kind));
            (*e, vec![id(e.id.as_str()), Cow::Owned(labels)])
        }),
    )?;
    table(
        db,
        &dir.join("sources.csv"),
        &["id:ID(Source)", ":LABEL"],
        after_id(SOURCE_COLUMNS),
        cited(graph, entities, relations)
            .into_iter()
            .map(|s| (s, vec![id(s.id().as_str()), Cow::Borrowed("Source")])),
    )?;
    table(
        db,
        &dir.join("relations.csv"),
        &[":START_ID(Entity)", ":END_ID(Entity)", ":TYPE"],
        RELATION_COLUMNS,
        relations.iter().map(|r| {
            let kind = r.kind.as_str().to_ascii_uppercase().replace('-', "_");
            (
                *r,
                vec![id(r.from.as_str()), id(r.to.as_str()), Cow::Owned(kind)],
            )
        }),
    )
}

/// Writes `entities`, `relations` and the sources they cite for Kuzu (and
/// its maintained fork Ladybug) into `dir` (made if missing): the CSV files
/// `entities.csv`, `sources.csv`, `relations.csv`, and `schema.cypher`,
/// which creates the node tables `Entity` and `Source` and the edge table
/// `Relation` with typed columns (`DATE` for the first and last days of a
/// date, `STRING[]` for lists of ids) and copies the files in. Run it from
/// the folder, as it is.
///
/// # Errors
///
/// An I/O error if a file cannot be written.
///
/// # Example
///
/// ```
/// use healthgraph::{Filter, HealthGraph, export};
///
/// let graph = HealthGraph::load("data/hanoi.ron")?;
/// let view = graph.view(Filter::new());
/// let (entities, relations): (Vec<_>, Vec<_>) = (view.entities().collect(), view.relations().collect());
/// let dir = tempfile::tempdir().expect("a temporary folder");
/// export::write_kuzu(&graph, &entities, &relations, dir.path())?;
/// let schema = std::fs::read_to_string(dir.path().join("schema.cypher")).expect("written");
/// assert!(schema.contains("CREATE REL TABLE Relation(FROM Entity TO Entity, id STRING, kind STRING,"));
/// # Ok::<(), healthgraph::Error>(())
/// ```
pub fn write_kuzu(
    graph: &HealthGraph,
    entities: &[&Entity],
    relations: &[&Relation],
    dir: &Path,
) -> Result<(), Error> {
    let db = Db::Kuzu;
    folder(dir)?;
    table(
        db,
        &dir.join("entities.csv"),
        &[],
        ENTITY_COLUMNS,
        entities.iter().map(|e| (*e, Vec::new())),
    )?;
    table(
        db,
        &dir.join("sources.csv"),
        &[],
        SOURCE_COLUMNS,
        cited(graph, entities, relations)
            .into_iter()
            .map(|s| (s, Vec::new())),
    )?;
    table(
        db,
        &dir.join("relations.csv"),
        &["from", "to"],
        RELATION_COLUMNS,
        relations.iter().map(|r| {
            let ends = vec![Cow::Borrowed(r.from.as_str()), Cow::Borrowed(r.to.as_str())];
            (*r, ends)
        }),
    )?;
    super::save(&dir.join("schema.cypher"), |out| {
        out.write_all(kuzu_schema().as_bytes()).map_err(Error::from)
    })
}

/// The Kuzu script: the tables, then the copies (without the parallel
/// reader, which cannot read a quoted line break).
fn kuzu_schema() -> String {
    fn columns<T: ?Sized>(columns: &[Column<T>]) -> String {
        columns
            .iter()
            .map(|c| format!("{} {}", c.name, Db::kuzu_type(c.ty)))
            .collect::<Vec<_>>()
            .join(", ")
    }
    let options = "(HEADER=true, PARALLEL=false)";
    format!(
        "// Made by healthgraph for Kuzu and Ladybug: run from this folder.\n\
         CREATE NODE TABLE Entity({}, PRIMARY KEY (id));\n\
         CREATE NODE TABLE Source({}, PRIMARY KEY (id));\n\
         CREATE REL TABLE Relation(FROM Entity TO Entity, {});\n\
         COPY Entity FROM 'entities.csv' {options};\n\
         COPY Source FROM 'sources.csv' {options};\n\
         COPY Relation FROM 'relations.csv' {options};\n",
        columns(ENTITY_COLUMNS),
        columns(SOURCE_COLUMNS),
        columns(RELATION_COLUMNS),
    )
}
