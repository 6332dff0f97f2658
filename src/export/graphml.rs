//! GraphML with typed keys, for NetworkX, igraph, yEd and Cytoscape.

use std::io::Write;

use super::xml::escape;
use crate::error::Error;
use crate::model::date::Date;
use crate::model::entity::Entity;
use crate::model::relation::Relation;

/// The keys of the file: (id, for, type).
const KEYS: &[(&str, &str, &str)] = &[
    ("name", "node", "string"),
    ("name_en", "node", "string"),
    ("kind", "node", "string"),
    ("country", "node", "string"),
    ("kind", "edge", "string"),
    ("status", "edge", "string"),
    ("basis", "edge", "string"),
    ("start", "edge", "string"),
    ("end", "edge", "string"),
    ("first_day", "edge", "string"),
    ("last_day", "edge", "string"),
    ("renews", "edge", "string"),
    ("amends", "edge", "string"),
    ("supersedes", "edge", "string"),
    ("sources", "edge", "string"),
];

fn io(e: std::io::Error) -> Error {
    Error::io(std::path::Path::new("the GraphML output"), "write", e)
}

/// Writes `entities` and `relations` (in the order given) as a GraphML
/// document to `out`, as a stream: a node per entity (id, name, English
/// name, kind, country), an edge per relation (its id as the edge id; kind,
/// status, basis, start and end as written, the first and last day they can
/// mean, the relations it renews, amends and supersedes, its sources joined
/// by `;`).
///
/// # Errors
///
/// An I/O error if `out` fails.
///
/// # Example
///
/// ```
/// use healthgraph::{Filter, HealthGraph, export};
///
/// let graph = HealthGraph::load("data/hanoi.ron")?;
/// let view = graph.view(Filter::new());
/// let (entities, relations): (Vec<_>, Vec<_>) = (view.entities().collect(), view.relations().collect());
/// let mut out = Vec::new();
/// export::write_graphml(&entities, &relations, &mut out)?;
/// let text = String::from_utf8(out).expect("UTF-8");
/// assert_eq!(text.matches("<node ").count(), 35);
/// assert_eq!(text.matches("<edge ").count(), 58);
/// # Ok::<(), healthgraph::Error>(())
/// ```
pub fn write_graphml(
    entities: &[&Entity],
    relations: &[&Relation],
    out: &mut dyn Write,
) -> Result<(), Error> {
    let mut out = std::io::BufWriter::new(out);
    let w = &mut out;
    writeln!(w, r#"<?xml version="1.0" encoding="UTF-8"?>"#).map_err(io)?;
    writeln!(
        w,
        r#"<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">"#
    )
    .map_err(io)?;
    for (name, domain, ty) in KEYS {
        writeln!(
            w,
            r#"  <key id="{domain}_{name}" for="{domain}" attr.name="{name}" attr.type="{ty}"/>"#
        )
        .map_err(io)?;
    }
    writeln!(w, r#"  <graph id="healthgraph" edgedefault="directed">"#).map_err(io)?;
    for e in entities {
        writeln!(w, r#"    <node id="{}">"#, escape(e.id.as_str())).map_err(io)?;
        data(w, "node_name", Some(&e.name))?;
        data(w, "node_name_en", e.name_en())?;
        data(w, "node_kind", Some(e.kind.as_str()))?;
        data(w, "node_country", e.country.as_ref().map(|c| c.as_str()))?;
        writeln!(w, "    </node>").map_err(io)?;
    }
    for r in relations {
        writeln!(
            w,
            r#"    <edge id="{}" source="{}" target="{}">"#,
            escape(r.id.as_str()),
            escape(r.from.as_str()),
            escape(r.to.as_str())
        )
        .map_err(io)?;
        let text = |d: Option<Date>| d.map(|d| d.to_string());
        data(w, "edge_kind", Some(r.kind.as_str()))?;
        data(w, "edge_status", Some(r.status.as_str()))?;
        data(w, "edge_basis", Some(r.basis.as_str()))?;
        data(w, "edge_start", text(r.start()).as_deref())?;
        data(w, "edge_end", text(r.end()).as_deref())?;
        data(
            w,
            "edge_first_day",
            text(r.start().map(Date::first_day)).as_deref(),
        )?;
        data(
            w,
            "edge_last_day",
            text(r.end().map(Date::last_day)).as_deref(),
        )?;
        data(w, "edge_renews", r.renews().map(|t| t.as_str()))?;
        data(w, "edge_amends", r.amends().map(|t| t.as_str()))?;
        data(w, "edge_supersedes", r.supersedes().map(|t| t.as_str()))?;
        let sources: Vec<&str> = r.sources.iter().map(|s| s.as_str()).collect();
        data(w, "edge_sources", Some(&sources.join(";")))?;
        writeln!(w, "    </edge>").map_err(io)?;
    }
    writeln!(w, "  </graph>\n</graphml>").map_err(io)?;
    out.flush().map_err(io)
}

/// A `<data>` element, when there is a value.
fn data(w: &mut dyn Write, key: &str, value: Option<&str>) -> Result<(), Error> {
    match value {
        Some(v) => writeln!(w, r#"      <data key="{key}">{}</data>"#, escape(v)).map_err(io),
        None => Ok(()),
    }
}
