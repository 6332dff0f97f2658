//! GEXF 1.3 with time, for Gephi: each relation an edge that lives from the
//! first day its start can mean to the last day its end can mean.

use std::io::Write;

use super::xml::escape;
use crate::error::Error;
use crate::model::date::Date;
use crate::model::entity::Entity;
use crate::model::relation::Relation;

fn io(e: std::io::Error) -> Error {
    Error::io(std::path::Path::new("the GEXF output"), "write", e)
}

/// Writes `entities` and `relations` (in the order given) as a dynamic GEXF
/// 1.3 document to `out`, as a stream. Each relation is an edge whose
/// interval runs from its start's first day to its end's last day (`2025`
/// to `2030` is 2025-01-01 to 2030-12-31; an unknown bound is left open),
/// with the relation kind as the edge's `kind`, so that parallel relations
/// stay apart, and kind, status, basis and the dates as written as
/// attributes. Gephi's timeline plays it.
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
/// export::write_gexf(&entities, &relations, &mut out)?;
/// let text = String::from_utf8(out).expect("UTF-8");
/// assert!(text.contains(r#"id="renewal-karolinska-institute-hanoi-obgyn-hospital-2025" source="karolinska-institute" target="hanoi-obgyn-hospital" kind="renewal" start="2025-01-01" end="2030-12-31""#));
/// # Ok::<(), healthgraph::Error>(())
/// ```
pub fn write_gexf(
    entities: &[&Entity],
    relations: &[&Relation],
    out: &mut dyn Write,
) -> Result<(), Error> {
    let mut out = std::io::BufWriter::new(out);
    let w = &mut out;
    writeln!(w, r#"<?xml version="1.0" encoding="UTF-8"?>"#).map_err(io)?;
    writeln!(
        w,
        r#"<gexf xmlns="http://gexf.net/1.3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd" version="1.3">"#
    )
    .map_err(io)?;
    writeln!(w, r#"  <meta><creator>healthgraph</creator></meta>"#).map_err(io)?;
    writeln!(
        w,
        r#"  <graph defaultedgetype="directed" mode="dynamic" timeformat="date">"#
    )
    .map_err(io)?;
    writeln!(w, r#"    <attributes class="node">"#).map_err(io)?;
    for name in ["kind", "name_en", "country"] {
        writeln!(
            w,
            r#"      <attribute id="{name}" title="{name}" type="string"/>"#
        )
        .map_err(io)?;
    }
    writeln!(w, "    </attributes>").map_err(io)?;
    writeln!(w, r#"    <attributes class="edge">"#).map_err(io)?;
    for name in [
        "relation_kind",
        "status",
        "basis",
        "start_text",
        "end_text",
        "sources",
    ] {
        writeln!(
            w,
            r#"      <attribute id="{name}" title="{name}" type="string"/>"#
        )
        .map_err(io)?;
    }
    writeln!(w, "    </attributes>").map_err(io)?;
    writeln!(w, "    <nodes>").map_err(io)?;
    for e in entities {
        writeln!(
            w,
            r#"      <node id="{}" label="{}">"#,
            escape(e.id.as_str()),
            escape(&e.name)
        )
        .map_err(io)?;
        attvalues(
            w,
            &[
                ("kind", Some(e.kind.as_str())),
                ("name_en", e.name_en()),
                ("country", e.country.as_ref().map(|c| c.as_str())),
            ],
        )?;
        writeln!(w, "      </node>").map_err(io)?;
    }
    writeln!(w, "    </nodes>\n    <edges>").map_err(io)?;
    for r in relations {
        let mut interval = String::new();
        if let Some(start) = r.start() {
            interval.push_str(&format!(r#" start="{}""#, start.first_day()));
        }
        if let Some(end) = r.end() {
            interval.push_str(&format!(r#" end="{}""#, end.last_day()));
        }
        writeln!(
            w,
            r#"      <edge id="{}" source="{}" target="{}" kind="{}"{interval}>"#,
            escape(r.id.as_str()),
            escape(r.from.as_str()),
            escape(r.to.as_str()),
            r.kind.as_str()
        )
        .map_err(io)?;
        let text = |d: Option<Date>| d.map(|d| d.to_string());
        let (start, end) = (text(r.start()), text(r.end()));
        let sources: Vec<&str> = r.sources.iter().map(|s| s.as_str()).collect();
        let sources = sources.join(";");
        attvalues(
            w,
            &[
                ("relation_kind", Some(r.kind.as_str())),
                ("status", Some(r.status.as_str())),
                ("basis", Some(r.basis.as_str())),
                ("start_text", start.as_deref()),
                ("end_text", end.as_deref()),
                ("sources", Some(&sources)),
            ],
        )?;
        writeln!(w, "      </edge>").map_err(io)?;
    }
    writeln!(w, "    </edges>\n  </graph>\n</gexf>").map_err(io)?;
    out.flush().map_err(io)
}

/// The `<attvalues>` of the values there are.
fn attvalues(w: &mut dyn Write, values: &[(&str, Option<&str>)]) -> Result<(), Error> {
    writeln!(w, "        <attvalues>").map_err(io)?;
    for (name, value) in values {
        if let Some(v) = value {
            writeln!(
                w,
                r#"          <attvalue for="{name}" value="{}"/>"#,
                escape(v)
            )
            .map_err(io)?;
        }
    }
    writeln!(w, "        </attvalues>").map_err(io)
}
