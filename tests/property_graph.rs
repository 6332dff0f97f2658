//! The Neo4j and Kuzu exports: headers and types as Neo4j's bulk importer
//! documents them (no Neo4j server can run here), every row as wide as its
//! header, and the graph read back from the files.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use healthgraph::{Filter, HealthGraph, export};
use proptest::prelude::*;

/// The property types `neo4j-admin database import` accepts, each also as
/// an array (`type[]`): Neo4j Operations Manual, "Import", header format.
const NEO4J_TYPES: &[&str] = &[
    "int",
    "long",
    "float",
    "double",
    "boolean",
    "byte",
    "short",
    "char",
    "string",
    "point",
    "date",
    "localtime",
    "time",
    "localdatetime",
    "datetime",
    "duration",
];

/// A parsed header field: `name:type`, or a special `:ID(space)` etc.
#[derive(Debug, PartialEq)]
enum Field {
    Property {
        name: String,
        ty: String,
        array: bool,
    },
    Id {
        name: String,
        space: String,
    },
    StartId(String),
    EndId(String),
    Label,
    Type,
}

fn parse_field(text: &str) -> Result<Field, String> {
    let (name, ty) = match text.split_once(':') {
        Some((n, t)) => (n, t),
        None => (text, "string"),
    };
    let space = |t: &str, kw: &str| {
        t.strip_prefix(kw)
            .and_then(|r| r.strip_prefix('('))
            .and_then(|r| r.strip_suffix(')'))
            .map(str::to_owned)
    };
    if let Some(s) = space(ty, "ID") {
        return Ok(Field::Id {
            name: name.to_owned(),
            space: s,
        });
    }
    if let Some(s) = space(ty, "START_ID") {
        return if name.is_empty() {
            Ok(Field::StartId(s))
        } else {
            Err(format!("`{text}`: a START_ID has no name"))
        };
    }
    if let Some(s) = space(ty, "END_ID") {
        return if name.is_empty() {
            Ok(Field::EndId(s))
        } else {
            Err(format!("`{text}`: an END_ID has no name"))
        };
    }
    match (name, ty) {
        ("", "LABEL") => return Ok(Field::Label),
        ("", "TYPE") => return Ok(Field::Type),
        ("", _) => return Err(format!("`{text}`: a property needs a name")),
        _ => {}
    }
    let (base, array) = match ty.strip_suffix("[]") {
        Some(b) => (b, true),
        None => (ty, false),
    };
    if !NEO4J_TYPES.contains(&base) {
        return Err(format!("`{text}`: `{base}` is not a type Neo4j imports"));
    }
    Ok(Field::Property {
        name: name.to_owned(),
        ty: base.to_owned(),
        array,
    })
}

/// The rows of one file, each as a map from header field to cell, after
/// checking the header and each row's width and typed cells.
fn read_table(path: &Path) -> (Vec<Field>, Vec<Vec<String>>) {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_path(path)
        .unwrap();
    let header: Vec<Field> = reader
        .headers()
        .unwrap()
        .iter()
        .map(|h| parse_field(h).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
        .collect();
    let mut rows = Vec::new();
    for (i, row) in reader.records().enumerate() {
        let row = row.unwrap();
        assert_eq!(
            row.len(),
            header.len(),
            "{}: row {} is not as wide as the header",
            path.display(),
            i + 2
        );
        for (field, cell) in header.iter().zip(row.iter()) {
            if let Field::Property { ty, array, .. } = field {
                let items: Vec<&str> = if *array {
                    cell.split(';').collect()
                } else {
                    vec![cell]
                };
                if ty == "date" && !cell.is_empty() {
                    for d in items {
                        assert!(
                            jiff::civil::Date::strptime("%Y-%m-%d", d).is_ok(),
                            "{}: `{d}` is not a date",
                            path.display()
                        );
                    }
                }
            }
        }
        rows.push(row.iter().map(str::to_owned).collect());
    }
    (header, rows)
}

fn neo4j_folder(graph: &HealthGraph, tag: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("healthgraph-neo4j-{tag}-{}", std::process::id()));
    let view = graph.view(Filter::new());
    let (entities, relations): (Vec<_>, Vec<_>) =
        (view.entities().collect(), view.relations().collect());
    export::write_neo4j(graph, &entities, &relations, &dir).unwrap();
    dir
}

/// Reads the Neo4j files back: the node ids by id space and label set, the
/// edges as (start, end, type, id, start as written, end as written).
type Edge = (String, String, String, String, String, String);
/// Each node's `space/id` and its labels.
type Nodes = BTreeMap<String, BTreeSet<String>>;

fn read_neo4j(dir: &Path) -> Result<(Nodes, BTreeSet<Edge>), TestCaseError> {
    let mut nodes: Nodes = BTreeMap::new();
    let mut spaces = BTreeSet::new();
    for file in ["entities.csv", "sources.csv"] {
        let (header, rows) = read_table(&dir.join(file));
        let ids: Vec<usize> = (0..header.len())
            .filter(|&i| matches!(header[i], Field::Id { .. }))
            .collect();
        prop_assert_eq!(ids.len(), 1, "{}: one :ID column", file);
        let Field::Id { space, .. } = &header[ids[0]] else {
            unreachable!()
        };
        spaces.insert(space.clone());
        let label = header.iter().position(|f| *f == Field::Label);
        prop_assert!(label.is_some(), "{}: a :LABEL column", file);
        for row in rows {
            let labels = row[label.unwrap()].split(';').map(str::to_owned).collect();
            prop_assert!(
                nodes
                    .insert(format!("{space}/{}", row[ids[0]]), labels)
                    .is_none(),
                "{}: an id twice",
                file
            );
        }
    }
    let (header, rows) = read_table(&dir.join("relations.csv"));
    let at = |f: &Field| header.iter().position(|h| h == f);
    let (start, end, ty) = (
        at(&Field::StartId("Entity".into())),
        at(&Field::EndId("Entity".into())),
        at(&Field::Type),
    );
    prop_assert!(
        start.is_some() && end.is_some() && ty.is_some(),
        "relations.csv: :START_ID(Entity), :END_ID(Entity), :TYPE"
    );
    prop_assert!(
        spaces.contains("Entity"),
        "the edges' id space is a node file's"
    );
    let prop = |name: &str| {
        header
            .iter()
            .position(|h| matches!(h, Field::Property { name: n, .. } if n == name))
            .unwrap()
    };
    let (id, start_text, end_text) = (prop("id"), prop("start_text"), prop("end_text"));
    let mut edges = BTreeSet::new();
    for row in rows {
        for end_id in [&row[start.unwrap()], &row[end.unwrap()]] {
            prop_assert!(
                nodes.contains_key(&format!("Entity/{end_id}")),
                "an edge to unknown node {}",
                end_id
            );
        }
        let t = &row[ty.unwrap()];
        prop_assert!(
            !t.is_empty() && t.chars().all(|c| c.is_ascii_uppercase() || c == '_'),
            "type `{}`",
            t
        );
        edges.insert((
            row[start.unwrap()].clone(),
            row[end.unwrap()].clone(),
            t.clone(),
            row[id].clone(),
            row[start_text].clone(),
            row[end_text].clone(),
        ));
    }
    Ok((nodes, edges))
}

fn expected_edges(graph: &HealthGraph) -> BTreeSet<Edge> {
    graph
        .relations()
        .map(|r| {
            let text = |d: Option<healthgraph::Date>| d.map(|d| d.to_string()).unwrap_or_default();
            (
                r.from().to_string(),
                r.to().to_string(),
                r.kind().as_str().to_ascii_uppercase().replace('-', "_"),
                r.id().to_string(),
                text(r.start()),
                text(r.end()),
            )
        })
        .collect()
}

#[test]
fn the_neo4j_export_follows_the_import_format_and_gives_back_the_graph() {
    let graph = HealthGraph::load("data/hanoi.ron").unwrap();
    let dir = neo4j_folder(&graph, "hanoi");
    let (nodes, edges) = read_neo4j(&dir).unwrap();
    assert_eq!(edges, expected_edges(&graph));
    assert_eq!(
        nodes.get("Entity/karolinska-institute"),
        Some(&BTreeSet::from([
            "Entity".to_owned(),
            "Institute".to_owned()
        ]))
    );
    assert_eq!(
        nodes.keys().filter(|k| k.starts_with("Entity/")).count(),
        graph.entities().len()
    );
    // The header types, as the importer reads them.
    let (header, _) = read_table(&dir.join("relations.csv"));
    assert!(header.contains(&Field::Property {
        name: "start_first_day".into(),
        ty: "date".into(),
        array: false
    }));
    assert!(header.contains(&Field::Property {
        name: "sources".into(),
        ty: "string".into(),
        array: true
    }));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_header_outside_the_import_format_is_caught() {
    assert!(parse_field("start:datetime").is_ok());
    assert!(parse_field("start:calendar").is_err());
    assert!(parse_field("x:START_ID(Entity)").is_err());
    assert!(parse_field(":wrong").is_err());
}

#[test]
fn a_list_element_with_the_array_delimiter_stays_one_element() {
    let graph = HealthGraph::from_ron_str(
        r#"(sources: [(id: "s", title: "T", published: "2025", language: "en")],
            entities: [(id: "a", kind: "city", name: "A", aliases: ["x; y", "z"], sources: ["s"])])"#,
    )
    .unwrap();
    let dir = neo4j_folder(&graph, "delimiter");
    let (header, rows) = read_table(&dir.join("entities.csv"));
    let aliases = header
        .iter()
        .position(|h| matches!(h, Field::Property { name, .. } if name == "aliases"))
        .unwrap();
    assert_eq!(
        rows[0][aliases].split(';').collect::<Vec<_>>(),
        ["x； y", "z"]
    );
    std::fs::remove_dir_all(&dir).ok();
}

proptest! {
    #![proptest_config(crate::properties::config())]

    #[test]
    fn generated_graphs_read_back_from_the_neo4j_files(data in crate::properties::dataset()) {
        let graph = data.graph();
        let dir = neo4j_folder(&graph, &format!("prop-{:?}", std::thread::current().id()).replace(['(', ')'], ""));
        let (nodes, edges) = read_neo4j(&dir)?;
        std::fs::remove_dir_all(&dir).ok();
        prop_assert_eq!(edges, expected_edges(&graph));
        prop_assert_eq!(nodes.keys().filter(|k| k.starts_with("Entity/")).count(), graph.entities().len());
    }
}
