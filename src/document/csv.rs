//! The CSV format: a data set as the tables a spreadsheet keeps, one file
//! each in a folder.
//!
//! | file | one row per | columns |
//! |---|---|---|
//! | `sources.csv` | source | the source record's fields |
//! | `entities.csv` | entity | the entity record's fields but `former_names` |
//! | `relations.csv` | relation | the relation record's fields but `people`, `figures` and `claims` |
//! | `people.csv` | person named in a relation | `relation`, then the person's fields |
//! | `figures.csv` | figure of a relation | `relation`, then the figure's fields |
//! | `claims.csv` | claim about a relation | `relation`, then the claim's fields (`start`, `end`, `status`, `rank`, `sources`, `note`) |
//! | `former_names.csv` | former name of an entity | `entity`, then `name`, `start`, `end` |
//!
//! Headers are the field names, in any order; an empty cell is an absent
//! field; a list (aliases, sources, scope) is one cell of items joined by
//! `;` (a `;` or `\` inside an item written `\;` or `\\`). UTF-8, with or
//! without the byte-order mark spreadsheets write; quoted cells may hold
//! commas, quotes and line breaks. Rows are read with the `csv` crate into
//! the same records as RON and JSON (`records.rs`), so the same rules check
//! them, every problem in one pass, each at `file:line:column` with the
//! column's header named.

use std::collections::HashMap;
use std::path::Path;

use super::convert::{Document, entity_record, relation_record, source_record};
use super::locate::Origin;
use super::records::{
    At, ClaimRecord, EntityRecord, FigureRecord, FormerNameRecord, Misread, PersonRecord,
    RelationRecord, SourceRecord,
};
use super::seed::{BATCH, Batch};
use crate::error::{Error, Problem, Rule};
use crate::model::entity::Entity;
use crate::model::relation::Relation;
use crate::model::source::Source;

/// The tables of a CSV data set, in the order they are read.
pub(crate) const TABLES: [&str; 7] = [
    "sources.csv",
    "entities.csv",
    "relations.csv",
    "people.csv",
    "figures.csv",
    "former_names.csv",
    "claims.csv",
];
const SOURCES: usize = 0;
const ENTITIES: usize = 1;
const RELATIONS: usize = 2;
const PEOPLE: usize = 3;
const FIGURES: usize = 4;
const FORMER_NAMES: usize = 5;
const CLAIMS: usize = 6;

/// The column that names a person's or figure's relation.
const RELATION: &str = "relation";
/// The column that names a former name's entity.
const ENTITY: &str = "entity";

/// Whether `dir` holds a CSV data set: one of its tables.
pub(crate) fn is_csv_folder(dir: &Path) -> bool {
    TABLES.iter().any(|t| dir.join(t).is_file())
}

/// A cell of table `table` at `line`, column `column` (from 1).
fn cell(table: usize, line: u64, column: usize, header: &'static str) -> At<'static> {
    At::Cell {
        table: u8::try_from(table).unwrap_or(u8::MAX),
        line: u32::try_from(line).unwrap_or(u32::MAX),
        column: u32::try_from(column).unwrap_or(u32::MAX),
        header,
    }
}

/// One table's rows, each as (line, cells by header): problems with the
/// header or a row's length go to `misread`; a table that lacks a required
/// column is not read at all (an error).
/// The cells of one row: each field, its text and where it is.
type Cells<'r, 't> = dyn Iterator<Item = (&'static str, &'r str, At<'t>)> + 'r;

fn read_table<'t>(
    origin: &Origin<'_>,
    table: usize,
    columns: &[&'static str],
    required: &[&'static str],
    misread: &mut dyn FnMut(Misread<'t>),
    row: &mut dyn FnMut(u64, &mut Cells<'_, 't>) -> bool,
) -> Result<(), Problem> {
    let name = TABLES.get(table).copied().unwrap_or("table");
    let text = origin.text.strip_prefix('\u{feff}').unwrap_or(origin.text);
    if text.trim().is_empty() {
        return Ok(());
    }
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let located = |line: u64, column: usize| origin.locate(cell(table, line, column, ""));
    let headers = reader.headers().map_err(|e| {
        Problem::new(
            Rule::Syntax,
            format!("invalid CSV in the header of {name}: {e}"),
        )
        .at(located(1, 1))
    })?;
    // Each column's field, or None for a column to skip.
    let mut fields: Vec<Option<&'static str>> = Vec::with_capacity(headers.len());
    for (i, h) in headers.iter().enumerate() {
        let h = h.trim();
        let known = columns.iter().copied().find(|c| *c == h);
        let at = cell(table, 1, i + 1, known.unwrap_or(""));
        match known {
            Some(f) if fields.contains(&Some(f)) => {
                misread(Misread {
                    rule: Rule::RepeatedField,
                    message: format!("column `{f}` appears twice in {name}; the first is kept"),
                    at,
                });
                fields.push(None);
            }
            Some(f) => fields.push(Some(f)),
            None => {
                misread(Misread {
                    rule: Rule::UnknownField,
                    message: format!(
                        "unknown column `{}` in {name}: expected one of {}",
                        crate::model::id::shorten(h),
                        columns.join(", ")
                    ),
                    at,
                });
                fields.push(None);
            }
        }
    }
    if let Some(absent) = required.iter().find(|r| !fields.contains(&Some(**r))) {
        return Err(Problem::new(
            Rule::MissingField,
            format!(
                "{name} has no column `{absent}`, which every row needs; the table is not read"
            ),
        )
        .at(located(1, 1)));
    }
    // One record, read into again and again: a row costs no allocation of
    // its own, only its cells' copies into the records.
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                let line = e.position().map_or(1, csv::Position::line);
                return Err(Problem::new(
                    Rule::Syntax,
                    format!("invalid CSV: {e}; the rest of {name} is not read"),
                )
                .at(located(line, 1)));
            }
        }
        let line = record.position().map_or(1, csv::Position::line);
        if record.len() != fields.len() {
            misread(Misread {
                rule: Rule::Syntax,
                message: format!(
                    "this row of {name} has {} cells where the header has {}; the row is not read",
                    record.len(),
                    fields.len()
                ),
                at: cell(table, line, 1, ""),
            });
            continue;
        }
        let mut cells = record
            .iter()
            .zip(&fields)
            .enumerate()
            .filter_map(|(i, (value, field))| {
                let field = (*field)?;
                Some((field, value, cell(table, line, i + 1, field)))
            });
        if !row(line, &mut cells) {
            break;
        }
    }
    Ok(())
}

/// Reads table `table` of a CSV folder (`origins` are all its tables, in
/// the order of [`TABLES`]), handing its records to `sink` in batches; the
/// people and figures tables are read with the relations.
pub(crate) fn read<'t>(
    origins: &[Origin<'_>],
    table: usize,
    sink: &mut dyn FnMut(Batch<'t>) -> bool,
) -> Result<(), Problem> {
    let Some(origin) = origins.get(table) else {
        return Ok(());
    };
    let mut misreads: Vec<Misread<'t>> = Vec::new();
    let result = match table {
        SOURCES => {
            let mut batch = Vec::with_capacity(BATCH);
            let result = read_table(
                origin,
                table,
                SourceRecord::FIELDS,
                &["id", "title", "published", "language"],
                &mut |m| misreads.push(m),
                &mut |line, cells| {
                    let mut rec = SourceRecord {
                        at: cell(table, line, 1, ""),
                        ..SourceRecord::default()
                    };
                    for (field, value, at) in cells {
                        rec.set_cell(field, value, at);
                    }
                    batch.push(rec);
                    batch.len() < BATCH || sink(Batch::Sources(std::mem::take(&mut batch)))
                },
            );
            if !batch.is_empty() {
                sink(Batch::Sources(batch));
            }
            result
        }
        ENTITIES => {
            let mut former = nested(
                origins,
                FORMER_NAMES,
                ENTITY,
                FormerNameRecord::FIELDS,
                &["name"],
                &mut misreads,
                |x: &mut FormerNameRecord<'t>, f, v, at| x.set_cell(f, v, at),
                |x, at| x.at = at,
            )?;
            let mut batch = Vec::with_capacity(BATCH);
            let result = read_table(
                origin,
                table,
                &EntityRecord::columns(),
                &["id", "kind", "name", "sources"],
                &mut |m| misreads.push(m),
                &mut |line, cells| {
                    let mut rec = EntityRecord {
                        at: cell(table, line, 1, ""),
                        ..EntityRecord::default()
                    };
                    for (field, value, at) in cells {
                        rec.set_cell(field, value, at);
                    }
                    if let Some(id) = rec.id.as_ref().map(|t| t.as_str().to_owned()) {
                        rec.former_names = former
                            .remove(&id)
                            .unwrap_or_default()
                            .into_iter()
                            .map(|(x, _)| x)
                            .collect();
                    }
                    batch.push(Box::new(rec));
                    batch.len() < BATCH || sink(Batch::Entities(std::mem::take(&mut batch)))
                },
            );
            if !batch.is_empty() {
                sink(Batch::Entities(batch));
            }
            // Rows of former names whose entity is not in entities.csv.
            for (entity, rows) in former {
                for (_, at) in rows {
                    misreads.push(Misread {
                        rule: Rule::UnknownEntity,
                        message: format!(
                            "a row of former_names.csv names entity `{}`, which entities.csv does not have",
                            crate::model::id::shorten(&entity)
                        ),
                        at,
                    });
                }
            }
            result
        }
        RELATIONS => read_relations(origins, &mut misreads, sink),
        _ => Ok(()),
    };
    for m in misreads {
        sink(Batch::Misread(m));
    }
    result
}

/// The rows of a nested table (people, figures, former names) by the
/// relation or entity they name,
/// in file order, each with where its relation id is.
type Nested<'t, T> = HashMap<String, Vec<(T, At<'t>)>>;

#[allow(clippy::too_many_arguments)]
fn nested<'t, T: Default>(
    origins: &[Origin<'_>],
    table: usize,
    key: &'static str,
    fields: &[&'static str],
    required: &[&'static str],
    misreads: &mut Vec<Misread<'t>>,
    make: impl Fn(&mut T, &str, &str, At<'t>) -> bool,
    at: impl Fn(&mut T, At<'t>),
) -> Result<Nested<'t, T>, Problem> {
    let mut out: Nested<'t, T> = HashMap::new();
    let Some(origin) = origins.get(table) else {
        return Ok(out);
    };
    let mut columns = vec![key];
    columns.extend_from_slice(fields);
    let mut required_columns = vec![key];
    required_columns.extend_from_slice(required);
    read_table(
        origin,
        table,
        &columns,
        &required_columns,
        &mut |m| misreads.push(m),
        &mut |line, cells| {
            let mut item = T::default();
            at(&mut item, cell(table, line, 1, ""));
            let mut owner = None;
            for (field, value, place) in cells {
                if field == key {
                    owner = Some((value.to_owned(), place));
                } else {
                    make(&mut item, field, value, place);
                }
            }
            if let Some((owner, place)) = owner.filter(|(r, _)| !r.is_empty()) {
                out.entry(owner).or_default().push((item, place));
            }
            true
        },
    )?;
    Ok(out)
}

fn read_relations<'t>(
    origins: &[Origin<'_>],
    misreads: &mut Vec<Misread<'t>>,
    sink: &mut dyn FnMut(Batch<'t>) -> bool,
) -> Result<(), Problem> {
    let mut people = nested(
        origins,
        PEOPLE,
        RELATION,
        PersonRecord::FIELDS,
        &["name"],
        misreads,
        |p: &mut PersonRecord<'t>, f, v, at| p.set_cell(f, v, at),
        |p, at| p.at = at,
    )?;
    let mut figures = nested(
        origins,
        FIGURES,
        RELATION,
        FigureRecord::FIELDS,
        &["value", "unit"],
        misreads,
        |x: &mut FigureRecord<'t>, f, v, at| x.set_cell(f, v, at),
        |x, at| x.at = at,
    )?;
    let mut claims = nested(
        origins,
        CLAIMS,
        RELATION,
        ClaimRecord::FIELDS,
        &["sources"],
        misreads,
        |x: &mut ClaimRecord<'t>, f, v, at| x.set_cell(f, v, at),
        |x, at| x.at = at,
    )?;
    let Some(origin) = origins.get(RELATIONS) else {
        return Ok(());
    };
    let mut batch = Vec::with_capacity(BATCH);
    let result = read_table(
        origin,
        RELATIONS,
        &RelationRecord::columns(),
        &["id", "kind", "from", "to", "status", "basis", "sources"],
        &mut |m| misreads.push(m),
        &mut |line, cells| {
            let mut rec = RelationRecord {
                at: cell(RELATIONS, line, 1, ""),
                ..RelationRecord::default()
            };
            for (field, value, at) in cells {
                rec.set_cell(field, value, at);
            }
            if let Some(id) = rec.id.as_ref().map(|t| t.as_str().to_owned()) {
                rec.people = people
                    .remove(&id)
                    .unwrap_or_default()
                    .into_iter()
                    .map(|(p, _)| p)
                    .collect();
                rec.figures = figures
                    .remove(&id)
                    .unwrap_or_default()
                    .into_iter()
                    .map(|(f, _)| f)
                    .collect();
                rec.claims = claims
                    .remove(&id)
                    .unwrap_or_default()
                    .into_iter()
                    .map(|(c, _)| c)
                    .collect();
            }
            batch.push(Box::new(rec));
            batch.len() < BATCH || sink(Batch::Relations(std::mem::take(&mut batch)))
        },
    );
    if !batch.is_empty() {
        sink(Batch::Relations(batch));
    }
    // Rows of people and figures whose relation is not in relations.csv.
    for (table, left) in [
        (
            PEOPLE,
            people
                .into_iter()
                .map(|(k, v)| (k, v.into_iter().map(|(_, at)| at).collect::<Vec<_>>()))
                .collect::<Vec<_>>(),
        ),
        (
            FIGURES,
            figures
                .into_iter()
                .map(|(k, v)| (k, v.into_iter().map(|(_, at)| at).collect::<Vec<_>>()))
                .collect::<Vec<_>>(),
        ),
        (
            CLAIMS,
            claims
                .into_iter()
                .map(|(k, v)| (k, v.into_iter().map(|(_, at)| at).collect::<Vec<_>>()))
                .collect::<Vec<_>>(),
        ),
    ] {
        let name = TABLES.get(table).copied().unwrap_or("table");
        for (relation, places) in left {
            for at in places {
                misreads.push(Misread {
                    rule: Rule::UnknownRelation,
                    message: format!(
                        "a row of {name} names relation `{}`, which relations.csv does not have",
                        crate::model::id::shorten(&relation)
                    ),
                    at,
                });
            }
        }
    }
    result
}

/// Writes `document` as the tables of a CSV data set into `dir` (made if
/// missing), each table saved atomically and written a row at a time.
pub(crate) fn write<'g>(
    document: &Document<
        impl Iterator<Item = &'g Source> + Clone,
        impl Iterator<Item = &'g Entity> + Clone,
        impl Iterator<Item = &'g Relation> + Clone,
    >,
    dir: &Path,
) -> Result<(), Error> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, "make folder", e))?;
    let fail = |e: csv::Error| std::io::Error::other(e.to_string());
    let table = |name: &str, header: Vec<&str>, rows: &mut dyn Iterator<Item = Vec<String>>| {
        super::save::atomically(&dir.join(name), |out| {
            let mut w = csv::Writer::from_writer(out);
            w.write_record(&header).map_err(fail)?;
            for row in rows {
                w.write_record(&row).map_err(fail)?;
            }
            w.flush()
        })
    };
    table(
        "sources.csv",
        SourceRecord::columns(),
        &mut document.sources.clone().map(|s| source_record(s).cells()),
    )?;
    table(
        "entities.csv",
        EntityRecord::columns(),
        &mut document.entities.clone().map(|e| entity_record(e).cells()),
    )?;
    table(
        "former_names.csv",
        keyed(ENTITY, FormerNameRecord::columns()),
        &mut nested_rows(
            document
                .entities
                .clone()
                .filter(|e| !e.former_names().is_empty()),
            |e| (e.id.as_str(), entity_record(e).former_names),
            FormerNameRecord::cells,
        ),
    )?;
    table(
        "relations.csv",
        RelationRecord::columns(),
        &mut document
            .relations
            .clone()
            .map(|r| relation_record(r).cells()),
    )?;
    // Most relations have no people, claims or figures: only those that do
    // are made into records.
    table(
        "people.csv",
        keyed(RELATION, PersonRecord::columns()),
        &mut nested_rows(
            document
                .relations
                .clone()
                .filter(|r| !r.people().is_empty()),
            |r| (r.id.as_str(), relation_record(r).people),
            PersonRecord::cells,
        ),
    )?;
    table(
        "claims.csv",
        keyed(RELATION, ClaimRecord::columns()),
        &mut nested_rows(
            document
                .relations
                .clone()
                .filter(|r| !r.claims().is_empty()),
            |r| (r.id.as_str(), relation_record(r).claims),
            ClaimRecord::cells,
        ),
    )?;
    table(
        "figures.csv",
        keyed(RELATION, FigureRecord::columns()),
        &mut nested_rows(
            document
                .relations
                .clone()
                .filter(|r| !r.figures().is_empty()),
            |r| (r.id.as_str(), relation_record(r).figures),
            FigureRecord::cells,
        ),
    )
}

/// A nested table's header: the column of its owner's id, then the part's.
fn keyed(key: &'static str, columns: Vec<&'static str>) -> Vec<&'static str> {
    std::iter::once(key).chain(columns).collect()
}

/// A nested table's rows: for each owner, its id then each part's cells.
fn nested_rows<'g, O: 'g, R>(
    owners: impl Iterator<Item = &'g O>,
    parts: impl Fn(&'g O) -> (&'g str, Vec<R>),
    cells: impl Fn(&R) -> Vec<String>,
) -> impl Iterator<Item = Vec<String>> {
    owners.flat_map(move |owner| {
        let (id, records) = parts(owner);
        records
            .iter()
            .map(|r| std::iter::once(id.to_owned()).chain(cells(r)).collect())
            .collect::<Vec<_>>()
    })
}
