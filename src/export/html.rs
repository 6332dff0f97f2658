//! A self-contained, offline HTML page of a graph: the network drawn with
//! Cytoscape.js (vendored from npm, inlined), a time control that shows
//! what held on a date or in a window with the library's three-valued
//! answers, search that ignores case and diacritics, filters, and details
//! of every entity and relation on a click.
//!
//! The page's data is the lossless JSON of the entities and relations
//! shown ([`HealthGraph::write_json_of`]), plus what the library computes
//! and the page only looks up: each relation's possible and sure days
//! ([`Period::possible_days`](crate::Period::possible_days),
//! [`Period::sure_days`](crate::Period::sure_days)), each agreement's
//! listing by [`View::in_force`](crate::View::in_force) as steps over time,
//! each entity's names folded for search as the library folds them, and the
//! styles of the DOT picture. The page makes no rule of its own about time.

use std::io::Write;

use serde_json::{Map, Value, json};

use crate::error::Error;
use crate::graph::HealthGraph;
use crate::model::date::Date;
use crate::model::entity::{Entity, EntityKind};
use crate::model::relation::{Relation, RelationKind, Status};
use crate::query::agreement::Force;
use crate::query::filter::Filter;

/// Cytoscape.js 3.35.0 from npm (MIT); see `vendor/cytoscape/README.md`.
const CYTOSCAPE: &str = include_str!("../../vendor/cytoscape/cytoscape.min.js");
/// The page's markup between `<body>` and the scripts.
const BODY: &str = include_str!("page/body.html");
/// The page's style sheet.
const STYLE: &str = include_str!("page/page.css");
/// The page's script: drawing, the time control, search, details.
const SCRIPT: &str = include_str!("page/page.js");

/// The most entities a page draws. A larger view gets a page that says how
/// large it is and how to ask for an ego network instead: drawing tens of
/// thousands of entities would freeze the browser and show nothing legible.
pub const PAGE_LIMIT: usize = 2500;

/// Writes a self-contained HTML page of these entities and the relations
/// among them (a whole graph, a view, an ego network around `center`) that
/// works offline: every script and style inlined, a content security policy
/// that forbids any request, every name escaped.
///
/// Open it in a browser: entities are shaped and coloured by kind as in the
/// DOT picture; a time control shows what surely held on a date or in a
/// window (solid), what may have held (faded) and hides the rest, with the
/// agreements in force beside the picture; search ignores case and
/// diacritics; clicking an entity or a relation shows all it holds. More
/// than [`PAGE_LIMIT`] entities give a page that suggests an ego network.
///
/// # Errors
///
/// An I/O error from `out`.
///
/// # Example
///
/// ```
/// use healthgraph::{Filter, HealthGraph, export};
///
/// let graph = HealthGraph::load("data/hanoi.ron")?;
/// let view = graph.view(Filter::new());
/// let (entities, relations): (Vec<_>, Vec<_>) = (view.entities().collect(), view.relations().collect());
/// let mut page = Vec::new();
/// export::write_html(&graph, &entities, &relations, None, &mut page)?;
/// let page = String::from_utf8(page).expect("UTF-8");
/// assert!(page.starts_with("<!DOCTYPE html>"));
/// assert!(page.contains("\"hanoi-obgyn-hospital\""));
/// assert!(!page.contains("<script src")); // nothing to fetch
/// # Ok::<(), healthgraph::Error>(())
/// ```
pub fn write_html(
    graph: &HealthGraph,
    entities: &[&Entity],
    relations: &[&Relation],
    center: Option<&str>,
    out: &mut dyn Write,
) -> Result<(), Error> {
    let mut out = std::io::BufWriter::new(out);
    let title = match center.and_then(|id| graph.entity(id)) {
        Some(e) => format!("healthgraph: around {}", e.name()),
        None => format!(
            "healthgraph: {} entities, {} relations",
            entities.len(),
            relations.len()
        ),
    };
    write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; \
         script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n{BODY}",
        crate::export::xml::escape(&title)
    )?;
    out.write_all(b"<script type=\"application/json\" id=\"healthgraph-data\">")?;
    {
        let mut data = ScriptSafe(&mut out);
        write_data(graph, entities, relations, center, &title, &mut data)?;
    }
    out.write_all(b"</script>\n<script>\n")?;
    out.write_all(script_safe(CYTOSCAPE).as_bytes())?;
    out.write_all(b"\n</script>\n<script>\n")?;
    out.write_all(script_safe(SCRIPT).as_bytes())?;
    out.write_all(b"\n</script>\n</body>\n</html>\n")?;
    out.flush()?;
    Ok(())
}

/// The page's data, as JSON: `{"title", "today", "center", "limit",
/// "too_many", "counts", "styles", "graph", "time", "folded"}`.
fn write_data(
    graph: &HealthGraph,
    entities: &[&Entity],
    relations: &[&Relation],
    center: Option<&str>,
    title: &str,
    out: &mut dyn Write,
) -> Result<(), Error> {
    let too_many = entities.len() > PAGE_LIMIT;
    let head = json!({
        "title": title,
        "today": Date::today().to_string(),
        "center": center,
        "limit": PAGE_LIMIT,
        "too_many": too_many,
        "counts": {"entities": entities.len(), "relations": relations.len()},
        "styles": styles(),
    });
    let Value::Object(head) = head else {
        unreachable!("json! of an object is an object")
    };
    out.write_all(b"{")?;
    for (key, value) in &head {
        serde_json::to_writer(&mut *out, key).map_err(json_error)?;
        out.write_all(b":")?;
        serde_json::to_writer(&mut *out, value).map_err(json_error)?;
        out.write_all(b",")?;
    }
    out.write_all(b"\"graph\":")?;
    if too_many {
        out.write_all(b"null")?;
    } else {
        graph.write_json_of(entities, relations, &mut *out)?;
    }
    out.write_all(b",\"time\":")?;
    let time = if too_many {
        Value::Null
    } else {
        time(graph, relations)
    };
    serde_json::to_writer(&mut *out, &time).map_err(json_error)?;
    out.write_all(b",\"folded\":")?;
    let folded = if too_many {
        Value::Null
    } else {
        Value::Object(
            entities
                .iter()
                .map(|e| {
                    let names = std::iter::once(e.name())
                        .chain(e.name_en())
                        .chain(e.aliases().iter().map(String::as_str))
                        .chain(e.former_names().iter().map(crate::FormerName::name))
                        .chain(std::iter::once(e.id().as_str()))
                        .map(|n| Value::String(crate::query::search::fold_words(n).join(" ")))
                        .collect();
                    (e.id().to_string(), Value::Array(names))
                })
                .collect(),
        )
    };
    serde_json::to_writer(&mut *out, &folded).map_err(json_error)?;
    out.write_all(b"}")?;
    Ok(())
}

/// Per relation: the days it may hold and surely holds, and for an
/// agreement how `agreements --on` lists it, as steps over time.
fn time(graph: &HealthGraph, relations: &[&Relation]) -> Value {
    // The view `healthgraph agreements` asks: every agreement of the graph.
    let agreements = graph.view(
        Filter::new().kinds(
            RelationKind::ALL
                .iter()
                .copied()
                .filter(|k| k.is_agreement()),
        ),
    );
    let day = |d: Option<Date>| d.map_or(Value::Null, |d| Value::String(d.to_string()));
    let mut out = Map::new();
    for r in relations {
        let (from, to) = r.period().possible_days();
        let mut entry = Map::new();
        entry.insert("may".into(), json!([day(from), day(to)]));
        entry.insert(
            "sure".into(),
            r.period()
                .sure_days()
                .map_or(Value::Null, |(f, t)| json!([f.to_string(), t.to_string()])),
        );
        if r.kind().is_agreement() {
            let steps: Vec<Value> = agreements
                .listing_changes(r)
                .into_iter()
                .map(|(from, listed)| {
                    let listed = match listed {
                        Some(Force::InForce) => Value::from("in force"),
                        Some(_) => Value::from("unknown"),
                        None => Value::Null,
                    };
                    json!([day(from), listed])
                })
                .collect();
            entry.insert("listed".into(), Value::Array(steps));
        }
        out.insert(r.id().to_string(), Value::Object(entry));
    }
    Value::Object(out)
}

/// The DOT picture's shapes and colours, in Cytoscape's terms.
fn styles() -> Value {
    let entity: Map<String, Value> = EntityKind::ALL
        .iter()
        .map(|&k| {
            let (shape, fill) = crate::render::node_style(k);
            let shape = match shape {
                "box" => "rectangle",
                "box3d" => "cut-rectangle",
                "component" => "barrel",
                "house" => "pentagon",
                "hexagon" => "hexagon",
                "note" => "tag",
                _ => "ellipse",
            };
            (k.to_string(), json!({"shape": shape, "fill": fill}))
        })
        .collect();
    let relation: Map<String, Value> = RelationKind::ALL
        .iter()
        .map(|&k| {
            let (color, base) = crate::render::edge_style(k);
            let (line, width) = match base {
                "bold" => ("solid", 3.0),
                "dotted" => ("dotted", 1.5),
                _ => ("solid", 1.5),
            };
            let symmetric = k.is_symmetric();
            (
                k.to_string(),
                json!({"color": color, "line": line, "width": width, "symmetric": symmetric,
                       "structural": k.is_structural(), "agreement": k.is_agreement()}),
            )
        })
        .collect();
    let dashed: Vec<&str> = [Status::Proposed, Status::Discussed, Status::Planned]
        .iter()
        .map(|s| s.as_str())
        .collect();
    json!({"entity": entity, "relation": relation, "dashed": dashed})
}

/// A serde_json error as ours: an I/O error stays one (a reader that stops
/// early is then known as a broken pipe).
fn json_error(e: serde_json::Error) -> Error {
    if e.is_io() {
        Error::from(std::io::Error::from(e))
    } else {
        Error::from(std::io::Error::other(e))
    }
}

/// A script's text made safe inside `<script>`: `</` could end the element
/// (`</script>`), and `<!--` could start an HTML comment state in it. In
/// JavaScript, `<\/` means the same as `</` inside a string or a regular
/// expression, the only places the vendored and our own scripts have it.
fn script_safe(script: &str) -> std::borrow::Cow<'_, str> {
    if script.contains("</") || script.contains("<!--") {
        std::borrow::Cow::Owned(script.replace("</", "<\\/").replace("<!--", "<\\!--"))
    } else {
        std::borrow::Cow::Borrowed(script)
    }
}

/// A writer of JSON into a `<script>` element: `<`, `>` and `&` are
/// written as JSON's `\u003c`, `\u003e` and `\u0026` (they can only occur in
/// strings), so no name can end the element or open a comment, and the
/// text still parses to the same values.
struct ScriptSafe<'a, W: Write>(&'a mut W);

impl<W: Write> Write for ScriptSafe<'_, W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        for chunk in buf.split_inclusive(|b| matches!(b, b'<' | b'>' | b'&')) {
            let escaped: &[u8] = match chunk.split_last() {
                Some((b'<', _)) => b"\\u003c",
                Some((b'>', _)) => b"\\u003e",
                Some((b'&', _)) => b"\\u0026",
                _ => {
                    self.0.write_all(chunk)?;
                    continue;
                }
            };
            if let Some((_, before)) = chunk.split_last() {
                self.0.write_all(before)?;
            }
            self.0.write_all(escaped)?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_in_a_script_cannot_end_it_and_parses_to_the_same_value() {
        let value = json!({"name": "</script><script>alert(1)</script> & <!-- \"q\""});
        let mut out = Vec::new();
        serde_json::to_writer(ScriptSafe(&mut out), &value).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(
            !text.contains('<') && !text.contains('>') && !text.contains('&'),
            "{text}"
        );
        assert_eq!(serde_json::from_str::<Value>(&text).unwrap(), value);
    }

    #[test]
    fn scripts_cannot_end_their_element() {
        assert_eq!(
            script_safe("a = '</script>'; // <!--"),
            "a = '<\\/script>'; // <\\!--"
        );
        assert!(!script_safe(CYTOSCAPE).contains("</"));
        assert!(!script_safe(SCRIPT).contains("</"));
    }
}
