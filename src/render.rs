//! Rendering query results: text for people (trees and aligned tables that
//! stay aligned with Vietnamese diacritics), JSON for programs (stable field
//! names, given on each function), and Graphviz DOT for pictures.
//!
//! The example binaries are thin programs over these functions.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;
use std::str::FromStr;

use serde_json::{Value, json};
use unicode_width::UnicodeWidthStr;

use crate::error::{Error, Rule};
use crate::graph::HealthGraph;
use crate::model::date::Date;
use crate::model::entity::{Entity, EntityKind};
use crate::model::relation::{Basis, Relation, RelationKind, Status};
use crate::query::agreement::{AgreementsOn, Expiring};
use crate::query::path::Path;
use crate::query::search::SearchHit;
use crate::query::view::{Neighbourhood, timeline_key};

mod svg;
pub use svg::agreements_svg;

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Format {
    /// Text for a person: trees and aligned tables.
    #[default]
    Text,
    /// JSON for a program.
    Json,
    /// Graphviz DOT for a picture.
    Dot,
}

impl FromStr for Format {
    type Err = Error;

    fn from_str(s: &str) -> Result<Format, Error> {
        match s {
            "text" => Ok(Format::Text),
            "json" => Ok(Format::Json),
            "dot" => Ok(Format::Dot),
            _ => Err(Error::new(
                Rule::UnknownTerm,
                format!(
                    "unknown format `{}`: expected text, json or dot",
                    crate::model::id::shorten(s)
                ),
            )),
        }
    }
}

fn no_format(what: &str, format: Format) -> Error {
    let name = match format {
        Format::Text => "text",
        Format::Json => "json",
        Format::Dot => "dot",
    };
    Error::new(
        Rule::UnknownTerm,
        format!("{what} cannot be shown as {name}"),
    )
}

/// `n` and the noun in the number it needs: "1 source", "2 sources".
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn pretty(value: &impl serde::Serialize) -> String {
    let mut out = serde_json::to_string_pretty(value).unwrap_or_default();
    out.push('\n');
    out
}

/// An entity as JSON: `{"id", "name", "name_en", "kind", "country"}`, plus
/// `"distance"` when given.
///
/// # Example
///
/// ```
/// let graph = healthgraph::HealthGraph::load("data/hanoi.ron")?;
/// let v = healthgraph::render::entity_json(graph.entity("hanoi").expect("in the data"), Some(1));
/// assert_eq!((v["name"].as_str(), v["distance"].as_u64()), (Some("Hà Nội"), Some(1)));
/// # Ok::<(), healthgraph::Error>(())
/// ```
pub fn entity_json(entity: &Entity, distance: Option<usize>) -> Value {
    let mut v = json!({
        "id": entity.id.as_str(),
        "name": entity.name,
        "name_en": entity.name_en(),
        "kind": entity.kind.as_str(),
        "country": entity.country.map(|c| c.as_str().to_owned()),
    });
    if let (Some(d), Some(map)) = (distance, v.as_object_mut()) {
        map.insert("distance".into(), json!(d));
    }
    v
}

/// A relation as JSON: `{"id", "kind", "from", "to", "start", "end",
/// "status", "basis", "sources"}`, dates as written in the data or null, and
/// `"contested": true` when sources disagree about it ([`Relation::is_contested`]).
///
/// # Example
///
/// ```
/// let graph = healthgraph::HealthGraph::load("data/hanoi.ron")?;
/// let r = graph.relation("mou-hanoi-peoples-committee-phi-2017").expect("R06");
/// let v = healthgraph::render::relation_json(r);
/// assert_eq!((v["start"].as_str(), v["end"].is_null()), (Some("2017-07"), true));
/// # Ok::<(), healthgraph::Error>(())
/// ```
pub fn relation_json(r: &Relation) -> Value {
    let mut v = relation_fields(r);
    if let (true, Value::Object(map)) = (r.is_contested(), &mut v) {
        map.insert("contested".into(), Value::Bool(true));
    }
    v
}

fn relation_fields(r: &Relation) -> Value {
    json!({
        "id": r.id.as_str(),
        "kind": r.kind.as_str(),
        "from": r.from.as_str(),
        "to": r.to.as_str(),
        "start": r.start().map(|d| d.to_string()),
        "end": r.end().map(|d| d.to_string()),
        "status": r.status.as_str(),
        "basis": r.basis.as_str(),
        "sources": r.sources.iter().map(|s| s.as_str()).collect::<Vec<_>>(),
    })
}

/// Dates for a person: one day, a period, or `undated`.
pub(crate) fn dates(r: &Relation) -> String {
    match (r.start(), r.end()) {
        (None, None) => "undated".to_owned(),
        (Some(s), Some(e)) if s == e => s.to_string(),
        _ => r.period().to_string(),
    }
}

/// Status for a person; what was not agreed is upper-cased so it stands out.
/// Borrowed when it is the status's own word, as it nearly always is.
fn status(r: &Relation) -> Cow<'static, str> {
    let s: Cow<'static, str> = match r.status {
        Status::Proposed | Status::Discussed | Status::Planned => {
            r.status.as_str().to_uppercase().into()
        }
        _ => r.status.as_str().into(),
    };
    let s = match r.basis {
        Basis::Implied => format!("{s} (implied)").into(),
        _ => s,
    };
    if r.is_contested() {
        format!("{s}, contested").into()
    } else {
        s
    }
}

/// `name (id · kind · country)`.
fn entity_line(e: &Entity) -> String {
    let country = e.country.map(|c| format!(" · {c}")).unwrap_or_default();
    format!("{}  ({} · {}{country})", e.name, e.id, e.kind)
}

/// Lays out rows as columns two spaces apart; the last column is not padded.
fn table<C: AsRef<str>>(header: &[&str], rows: &[Vec<C>], indent: &str) -> String {
    let mut out = String::new();
    table_into(&mut out, header, rows, indent);
    out
}

/// How many columns a terminal gives `text`: its length when it is plain
/// printable ASCII (nearly every cell; checked faster than measured).
fn columns(text: &str) -> usize {
    // A fold without an early exit, which the compiler vectorises.
    let plain = text
        .bytes()
        .fold(true, |plain, b| plain & (b' '..=b'~').contains(&b));
    if plain { text.len() } else { text.width() }
}

/// [`table`], appended to `out`, each line written in place: no string
/// per line, per cell's padding, or per table.
fn table_into<C: AsRef<str>>(out: &mut String, header: &[&str], rows: &[Vec<C>], indent: &str) {
    let mut widths: Vec<usize> = header.iter().map(|h| columns(h)).collect();
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            if let Some(w) = widths.get_mut(i) {
                *w = (*w).max(columns(cell.as_ref()));
            }
        }
    }
    let line_width = indent.len() + widths.iter().map(|w| w + 2).sum::<usize>();
    out.reserve(line_width.saturating_mul(rows.len() + 1));
    let line = |cells: &mut dyn ExactSizeIterator<Item = &str>, out: &mut String| {
        let start = out.len();
        out.push_str(indent);
        let last = cells.len().saturating_sub(1);
        for (i, cell) in cells.enumerate() {
            out.push_str(cell);
            if i != last {
                let width = widths.get(i).copied().unwrap_or(0);
                out.extend(std::iter::repeat_n(
                    ' ',
                    width.saturating_sub(columns(cell)) + 2,
                ));
            }
        }
        let kept = out.get(start..).map_or(0, |l| l.trim_end().len());
        out.truncate(start + kept);
        out.push('\n');
    };
    line(&mut header.iter().copied(), out);
    for row in rows {
        line(&mut row.iter().map(AsRef::as_ref), out);
    }
}

fn name_of<'g>(graph: &'g HealthGraph, id: &'g str) -> &'g str {
    graph.entity(id).map_or(id, |e| &*e.name)
}

/// The arrow of a relation seen from `here`: `→` if it goes out, `←` if it
/// comes in, `—` if symmetric.
fn arrow(r: &Relation, here: &str) -> &'static str {
    if r.kind.is_symmetric() {
        "—"
    } else if r.from == here {
        "→"
    } else {
        "←"
    }
}

/// An ego network as JSON `{"center", "entities", "relations"}` (the keys in
/// the order a `json!` object sorts them), serialized element by element.
struct PartnersJson<'a, 'g>(&'a Neighbourhood<'g>);

impl serde::Serialize for PartnersJson<'_, '_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let ego = self.0;
        let mut map = serializer.serialize_map(Some(3))?;
        map.serialize_entry("center", &entity_json(ego.center(), None))?;
        map.serialize_entry(
            "entities",
            &Lazy(std::cell::Cell::new(Some(
                ego.members()
                    .iter()
                    .skip(1)
                    .map(|(e, d)| entity_json(e, Some(*d))),
            ))),
        )?;
        map.serialize_entry(
            "relations",
            &Lazy(std::cell::Cell::new(Some(
                ego.relations().iter().map(|r| relation_json(r)),
            ))),
        )?;
        map.end()
    }
}

/// A sequence serialized from an iterator, one element at a time.
struct Lazy<I>(std::cell::Cell<Option<I>>);

impl<I: Iterator<Item = Value>> serde::Serialize for Lazy<I> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.0.take() {
            Some(items) => serializer.collect_seq(items),
            None => serializer.collect_seq(std::iter::empty::<Value>()),
        }
    }
}

/// The partner network of `center` within `depth` hops: as a tree (each
/// entity under the first, by id, of the nearer entities it is joined to,
/// with the relations that join them), as JSON `{"center", "entities",
/// "relations"}`, or as DOT.
///
/// # Example
///
/// ```
/// use healthgraph::{Filter, HealthGraph, render::{self, Format}};
///
/// let graph = HealthGraph::load("data/hanoi.ron")?;
/// let ego = graph.view(Filter::partnership()).neighbourhood("ajou-university-hospital", 1)?;
/// let text = render::partners(&ego, Format::Text);
/// assert!(text.starts_with("Bệnh viện Đại học Ajou  (ajou-university-hospital · hospital · KR)\n└─ Bệnh viện Ung bướu Hà Nội"));
/// # Ok::<(), healthgraph::Error>(())
/// ```
pub fn partners(ego: &Neighbourhood<'_>, format: Format) -> String {
    match format {
        // Each member and relation is made into a value only while it is
        // written: the whole answer is never held as a tree of values.
        Format::Json => pretty(&PartnersJson(ego)),
        Format::Dot => dot(
            &ego.members().iter().map(|(e, _)| *e).collect::<Vec<_>>(),
            ego.relations(),
            Some(ego.center().id.as_str()),
        ),
        Format::Text => {
            let distance: HashMap<&str, usize> = ego
                .members()
                .iter()
                .map(|(e, d)| (e.id.as_str(), *d))
                .collect();
            // Tree edges: each member under the first (by id) nearer member
            // joined to it, found in one pass over the relations.
            let mut joins: HashMap<&str, BTreeMap<&str, Vec<&Relation>>> = HashMap::new();
            for r in ego.relations() {
                let (a, b) = (r.from.as_str(), r.to.as_str());
                let (Some(&da), Some(&db)) = (distance.get(a), distance.get(b)) else {
                    continue;
                };
                let (parent, child) = match () {
                    () if db == da + 1 => (a, b),
                    () if da == db + 1 => (b, a),
                    () => continue,
                };
                joins
                    .entry(child)
                    .or_default()
                    .entry(parent)
                    .or_default()
                    .push(r);
            }
            let mut children: BTreeMap<&str, Vec<(&Entity, Vec<&Relation>)>> = BTreeMap::new();
            for (member, _) in ego.members().iter().skip(1) {
                let first = joins
                    .remove(member.id.as_str())
                    .and_then(|parents| parents.into_iter().next());
                if let Some((parent, mut rels)) = first {
                    rels.sort_by(|a, b| timeline_key(a).cmp(&timeline_key(b)));
                    children.entry(parent).or_default().push((member, rels));
                }
            }
            let mut out = format!("{}\n", entity_line(ego.center()));
            tree(&mut out, ego.center().id.as_str(), &children, "");
            if ego.members().len() == 1 {
                out.push_str("(no partners in this view)\n");
            }
            out
        }
    }
}

/// How many levels of a tree are drawn with their own indentation; deeper
/// levels keep that indentation and say their depth, so a line costs the
/// same however deep the tree goes.
const MAX_INDENT: usize = 24;

/// Draws the tree below `root`, depth first, without recursion.
fn tree(
    out: &mut String,
    root: &str,
    children: &BTreeMap<&str, Vec<(&Entity, Vec<&Relation>)>>,
    prefix: &str,
) {
    // Each frame: a parent, its next child, the prefix of its children's
    // lines, and their depth.
    let mut stack: Vec<(&str, usize, String, usize)> = vec![(root, 0, prefix.to_owned(), 1)];
    while let Some((parent, next, prefix, depth)) = stack.last_mut() {
        let Some(kids) = children.get(*parent) else {
            stack.pop();
            continue;
        };
        let Some((child, rels)) = kids.get(*next) else {
            stack.pop();
            continue;
        };
        *next += 1;
        let (parent, prefix, depth) = (*parent, prefix.clone(), *depth);
        let last = *next == kids.len();
        let label = if depth > MAX_INDENT {
            format!("[depth {depth}] ")
        } else {
            String::new()
        };
        let _ = writeln!(
            out,
            "{prefix}{label}{}{}",
            if last { "└─ " } else { "├─ " },
            entity_line(child)
        );
        let inner = if depth >= MAX_INDENT {
            prefix.clone()
        } else {
            format!("{prefix}{}", if last { "   " } else { "│  " })
        };
        let bar = if children.contains_key(child.id.as_str()) {
            "│ "
        } else {
            "  "
        };
        let rows: Vec<Vec<String>> = rels
            .iter()
            .map(|r| {
                vec![
                    format!("{} {}", arrow(r, parent), r.kind),
                    dates(r),
                    status(r).into_owned(),
                    r.id.to_string(),
                ]
            })
            .collect();
        let mut lines = table(&["", "", "", ""], &rows, "");
        // Drop the empty header line of the table.
        if let Some(pos) = lines.find('\n') {
            lines.drain(..=pos);
        }
        for line in lines.lines() {
            let _ = writeln!(out, "{inner}{bar}{line}");
        }
        stack.push((child.id.as_str(), 0, inner, depth + 1));
    }
}

/// Paths between two entities: hop by hop with the relations crossed and the
/// window in which the whole path holds, as JSON `{"from", "to", "paths":
/// [{"length", "hops": [{"from", "to", "relation"}]}]}`, or as DOT.
///
/// # Errors
///
/// Only for a format that cannot show paths (none today).
///
/// # Example
///
/// ```
/// use healthgraph::{Filter, HealthGraph, render::{self, Format}};
///
/// let graph = HealthGraph::load("data/hanoi.ron")?;
/// let view = graph.view(Filter::partnership());
/// let paths: Vec<_> = view.shortest_path("ap-hp", "karolinska-institute")?.into_iter().collect();
/// let (from, to) = (graph.entity("ap-hp").unwrap(), graph.entity("karolinska-institute").unwrap());
/// let json = render::paths(from, to, &paths, Format::Json)?;
/// assert!(json.contains("\"length\": 2"));
/// # Ok::<(), healthgraph::Error>(())
/// ```
pub fn paths(
    from: &Entity,
    to: &Entity,
    paths: &[Path<'_>],
    format: Format,
) -> Result<String, Error> {
    match format {
        Format::Json => Ok(pretty(&json!({
            "from": entity_json(from, None),
            "to": entity_json(to, None),
            "paths": paths.iter().map(|p| json!({
                "length": p.len(),
                "window": p.window().to_string(),
                "certainty": p.certainty().map(|c| c.as_str()),
                "chronological": p.is_chronological(),
                "hops": p.hops().iter().map(|h| json!({
                    "from": h.from().id.as_str(),
                    "to": h.to().id.as_str(),
                    "relation": relation_json(h.relation()),
                    "parallel": h.relations().iter().filter(|r| r.id != h.relation().id).map(|r| relation_json(r)).collect::<Vec<_>>(),
                })).collect::<Vec<_>>(),
                "sources": p.sources().iter().map(|s| s.id.as_str()).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
        }))),
        Format::Dot => {
            let mut entities: Vec<&Entity> = Vec::new();
            let mut relations: Vec<&Relation> = Vec::new();
            for p in paths {
                entities.extend(p.entities());
                relations.extend(p.hops().iter().flat_map(|h| h.relations().iter().copied()));
            }
            entities.sort_by(|a, b| a.id.cmp(&b.id));
            entities.dedup_by(|a, b| a.id == b.id);
            relations.sort_by(|a, b| a.id.cmp(&b.id));
            relations.dedup_by(|a, b| a.id == b.id);
            Ok(dot(&entities, &relations, Some(from.id.as_str())))
        }
        Format::Text => {
            let mut out = format!(
                "{} → {}: {}\n",
                from.name,
                to.name,
                match paths.len() {
                    0 => "no path in this view".to_owned(),
                    n => count(n, "path", "paths"),
                }
            );
            for (i, p) in paths.iter().enumerate() {
                let starts: Vec<String> = p
                    .hops()
                    .iter()
                    .filter_map(|h| h.relation().start())
                    .map(|d| d.to_string())
                    .collect();
                let when = if p.is_chronological() {
                    format!("in time order, starting {}", starts.join(", then "))
                } else if p.window().is_never() {
                    "its relations never hold at the same time".to_owned()
                } else if p.window().is_always() {
                    let dated = p
                        .hops()
                        .iter()
                        .flat_map(|h| h.relations())
                        .any(|r| r.start().is_some() || r.end().is_some());
                    if dated {
                        // Open bounds (an undated relation, or one without
                        // an end) beside the dated ones on every hop.
                        "its dates do not bound when it holds".to_owned()
                    } else {
                        "no relation on it is dated".to_owned()
                    }
                } else {
                    format!("every hop holds in {}", p.window())
                };
                if p.is_empty() {
                    let _ = writeln!(out, "\nPath {}: the two are the same entity", i + 1);
                    let _ = writeln!(out, "  {}", entity_line(from));
                    continue;
                }
                let hops = count(p.len(), "hop", "hops");
                let verdict = match p.certainty() {
                    Some(crate::Certainty::Surely) => "; surely, whatever day its dates mean",
                    Some(_) => "; maybe: a date on it is too coarse to be sure",
                    None => "",
                };
                let _ = writeln!(out, "\nPath {}: {hops}; {when}{verdict}", i + 1);
                let _ = writeln!(
                    out,
                    "  {}",
                    entity_line(p.entities().first().copied().unwrap_or(from))
                );
                for hop in p.hops() {
                    let r = hop.relation();
                    let _ = writeln!(
                        out,
                        "  │ {} {}  {}  {}  [{}]",
                        arrow(r, hop.from().id.as_str()),
                        r.kind,
                        dates(r),
                        status(r),
                        r.id
                    );
                    for other in hop.relations().iter().filter(|o| o.id != r.id) {
                        let _ = writeln!(
                            out,
                            "  │   also {} {}  {}  {}  [{}]",
                            arrow(other, hop.from().id.as_str()),
                            other.kind,
                            dates(other),
                            status(other),
                            other.id
                        );
                    }
                    let _ = writeln!(out, "  {}", entity_line(hop.to()));
                }
                let sources: Vec<&str> = p.sources().iter().map(|s| s.id.as_str()).collect();
                if !sources.is_empty() {
                    let _ = writeln!(out, "  sources: {}", sources.join(", "));
                }
            }
            Ok(out)
        }
    }
}

fn agreement_rows<'g>(
    graph: &'g HealthGraph,
    relations: &[&'g Relation],
) -> Vec<Vec<Cow<'g, str>>> {
    relations
        .iter()
        .map(|r| {
            vec![
                r.kind.as_str().into(),
                dates(r).into(),
                status(r),
                format!(
                    "{} — {}",
                    name_of(graph, r.from.as_str()),
                    name_of(graph, r.to.as_str())
                )
                .into(),
                r.id.as_str().into(),
            ]
        })
        .collect()
}

const AGREEMENT_HEADER: [&str; 5] = ["KIND", "PERIOD", "STATUS", "PARTIES", "ID"];

/// The agreements on a date: as two tables (in force; unknown), or as JSON
/// `{"on", "in_force", "unknown"}` (with `"truncated": true` when
/// [`AgreementsOn::truncate`] cut a list).
///
/// # Errors
///
/// For [`Format::Dot`], which a list of agreements has no picture for.
///
/// # Example
///
/// ```
/// use healthgraph::{Filter, HealthGraph, render::{self, Format}};
///
/// let graph = HealthGraph::load("data/hanoi.ron")?;
/// let on = graph.view(Filter::new()).in_force("2026-01-01".parse()?);
/// let text = render::agreements_on(&graph, &on, Format::Text)?;
/// assert!(text.contains("In force (2)"));
/// # Ok::<(), healthgraph::Error>(())
/// ```
pub fn agreements_on(
    graph: &HealthGraph,
    on: &AgreementsOn<'_>,
    format: Format,
) -> Result<String, Error> {
    match format {
        Format::Json => {
            let mut out = json!({
                "on": on.date().to_string(),
                "in_force": on.in_force().iter().map(|r| relation_json(r)).collect::<Vec<_>>(),
                "unknown": on.unknown().iter().map(|r| relation_json(r)).collect::<Vec<_>>(),
            });
            if let (true, Value::Object(fields)) = (on.is_truncated(), &mut out) {
                fields.insert("truncated".into(), Value::Bool(true));
            }
            Ok(pretty(&out))
        }
        Format::Dot => Err(no_format("agreements", format)),
        Format::Text => {
            let mut out = format!(
                "Agreements on {}\n\nIn force ({})\n",
                on.date(),
                on.in_force().len()
            );
            if !on.in_force().is_empty() {
                table_into(
                    &mut out,
                    &AGREEMENT_HEADER,
                    &agreement_rows(graph, on.in_force()),
                    "  ",
                );
            }
            let _ = write!(
                out,
                "\nUnknown ({}): signed or ongoing, but no stated term or dates too coarse to decide\n",
                on.unknown().len()
            );
            if !on.unknown().is_empty() {
                table_into(
                    &mut out,
                    &AGREEMENT_HEADER,
                    &agreement_rows(graph, on.unknown()),
                    "  ",
                );
            }
            Ok(out)
        }
    }
}

/// Agreements whose end falls in a window, with the renewal that follows
/// each: as a table, or as JSON `{"from", "to", "expiring": [{"relation",
/// "renewal"}]}`.
///
/// # Errors
///
/// For [`Format::Dot`].
///
/// # Example
///
/// ```
/// use healthgraph::{Filter, HealthGraph, render::{self, Format}};
///
/// let graph = HealthGraph::load("data/hanoi.ron")?;
/// let (from, to) = ("2029".parse()?, "2030".parse()?);
/// let list = graph.view(Filter::new()).expiring(from, to);
/// let text = render::expiring(&graph, from, to, &list, Format::Text)?;
/// assert!(text.starts_with("Agreements ending between 2029 and 2030: 2"));
/// # Ok::<(), healthgraph::Error>(())
/// ```
pub fn expiring(
    graph: &HealthGraph,
    from: Date,
    to: Date,
    list: &[Expiring<'_>],
    format: Format,
) -> Result<String, Error> {
    match format {
        Format::Json => Ok(pretty(&json!({
            "from": from.to_string(),
            "to": to.to_string(),
            "expiring": list.iter().map(|e| json!({
                "relation": relation_json(e.relation()),
                "renewal": e.renewal().map(relation_json),
            })).collect::<Vec<_>>(),
        }))),
        Format::Dot => Err(no_format("expiring agreements", format)),
        Format::Text => {
            let window = match (from == Date::MIN, to == Date::MAX) {
                (true, true) => "at any time".to_owned(),
                (true, false) => format!("by {to}"),
                (false, true) => format!("from {from} on"),
                (false, false) => format!("between {from} and {to}"),
            };
            let mut out = format!("Agreements ending {window}: {}\n", list.len());
            if !list.is_empty() {
                let relations: Vec<&Relation> = list.iter().map(|e| e.relation()).collect();
                let mut rows = agreement_rows(graph, &relations);
                for (row, e) in rows.iter_mut().zip(list) {
                    row.push(match e.renewal() {
                        Some(n) => format!("renewed by {} ({})", n.id, dates(n)).into(),
                        None => "no renewal recorded".into(),
                    });
                }
                out.push_str(&table(
                    &["KIND", "PERIOD", "STATUS", "PARTIES", "ID", "FOLLOWED BY"],
                    &rows,
                    "  ",
                ));
            }
            Ok(out)
        }
    }
}

/// A renewal chain, oldest first: as a table, or as JSON `{"lineage": [relation]}`.
///
/// # Errors
///
/// For [`Format::Dot`].
///
/// # Example
///
/// ```
/// use healthgraph::{HealthGraph, render::{self, Format}};
///
/// let graph = HealthGraph::load("data/hanoi.ron")?;
/// let chain = graph.lineage("mou-karolinska-institute-hanoi-obgyn-hospital")?;
/// let json = render::lineage(&graph, &chain, Format::Json)?;
/// assert_eq!(json.matches("\"kind\"").count(), 2);
/// # Ok::<(), healthgraph::Error>(())
/// ```
pub fn lineage(graph: &HealthGraph, chain: &[&Relation], format: Format) -> Result<String, Error> {
    match format {
        Format::Json => Ok(pretty(&json!({
            "lineage": chain.iter().map(|r| {
                let mut v = relation_json(r);
                if let Value::Object(map) = &mut v {
                    let links: Vec<Value> = r
                        .links()
                        .map(|(link, id)| json!({"link": link.as_str(), "relation": id.as_str()}))
                        .collect();
                    map.insert("links".into(), Value::Array(links));
                }
                v
            }).collect::<Vec<_>>(),
        }))),
        Format::Dot => Err(no_format("a lineage", format)),
        Format::Text => {
            let mut out = format!(
                "Lineage ({}, oldest first: what is continued before what continues it)\n",
                count(chain.len(), "agreement", "agreements")
            );
            let mut header = AGREEMENT_HEADER.to_vec();
            header.push("CONTINUES");
            let rows: Vec<Vec<Cow<'_, str>>> = agreement_rows(graph, chain)
                .into_iter()
                .zip(chain)
                .map(|(mut row, r)| {
                    let links: Vec<String> = r.links().map(|(l, id)| format!("{l} {id}")).collect();
                    row.push(if links.is_empty() {
                        "—".into()
                    } else {
                        links.join("; ").into()
                    });
                    row
                })
                .collect();
            out.push_str(&table(&header, &rows, "  "));
            Ok(out)
        }
    }
}

/// A change report: six tables (began, ended, renewed, amended, superseded,
/// first reported),
/// each row with its date and whether it surely falls in the window; or
/// JSON `{"from", "to", "began": [{"date", "certainty", "relation"}],
/// "ended", "renewed", "amended", "superseded", "reported"}`.
///
/// # Errors
///
/// For [`Format::Dot`].
///
/// # Example
///
/// ```
/// use healthgraph::{Filter, HealthGraph, render::{self, Format}};
///
/// let graph = HealthGraph::load("data/hanoi.ron")?;
/// let changes = graph.view(Filter::partnership()).changes("2025-01".parse()?, "2025-06".parse()?);
/// let text = render::changes(&graph, &changes, Format::Text)?;
/// assert!(text.starts_with("Changes from 2025-01 to 2025-06"));
/// # Ok::<(), healthgraph::Error>(())
/// ```
pub fn changes(
    graph: &HealthGraph,
    changes: &crate::Changes<'_>,
    format: Format,
) -> Result<String, Error> {
    let side = |d: Date, open: Date| {
        if d == open {
            "…".to_owned()
        } else {
            d.to_string()
        }
    };
    let (from, to) = (
        side(changes.from(), Date::MIN),
        side(changes.to(), Date::MAX),
    );
    let sections: [(&str, &str, &[crate::Change<'_>]); 6] = [
        ("began", "Began", changes.began()),
        ("ended", "Ended", changes.ended()),
        ("renewed", "Renewed", changes.renewed()),
        ("amended", "Amended", changes.amended()),
        ("superseded", "Superseded", changes.superseded()),
        (
            "reported",
            "First reported (the earliest source published)",
            changes.reported(),
        ),
    ];
    match format {
        Format::Json => {
            let mut out = serde_json::Map::new();
            out.insert("from".into(), json!(changes.from().to_string()));
            out.insert("to".into(), json!(changes.to().to_string()));
            if changes.is_truncated() {
                out.insert("truncated".into(), Value::Bool(true));
            }
            for (key, _, list) in sections {
                let rows: Vec<Value> = list
                    .iter()
                    .map(|c| {
                        json!({
                            "date": c.date().to_string(),
                            "certainty": c.certainty().as_str(),
                            "relation": relation_json(c.relation()),
                        })
                    })
                    .collect();
                out.insert(key.into(), Value::Array(rows));
            }
            Ok(pretty(&Value::Object(out)))
        }
        Format::Dot => Err(no_format("a change report", format)),
        Format::Text => {
            let mut out = format!(
                "Changes from {from} to {to}: surely within the window, or maybe when a date is too coarse to say\n"
            );
            for (_, heading, list) in sections {
                let _ = write!(out, "\n{heading} ({})\n", list.len());
                if list.is_empty() {
                    continue;
                }
                let rows: Vec<Vec<String>> = list
                    .iter()
                    .map(|c| {
                        let r = c.relation();
                        let links: Vec<String> =
                            r.links().map(|(l, t)| format!("{l} {t}")).collect();
                        let id = if links.is_empty() {
                            r.id.to_string()
                        } else {
                            format!("{} ({})", r.id, links.join("; "))
                        };
                        vec![
                            c.certainty().to_string(),
                            c.date().to_string(),
                            r.kind.to_string(),
                            status(r).into_owned(),
                            format!(
                                "{} — {}",
                                name_of(graph, r.from.as_str()),
                                name_of(graph, r.to.as_str())
                            ),
                            id,
                        ]
                    })
                    .collect();
                out.push_str(&table(
                    &["", "DATE", "KIND", "STATUS", "PARTIES", "ID"],
                    &rows,
                    "  ",
                ));
            }
            Ok(out)
        }
    }
}

/// The cooperation matrix: a table (a row per entity, a column per
/// partner country or entity, each cell its count and its kinds, and how
/// many surely held when the matrix has a window), JSON `{"columns",
/// "rows": [{"entity", "total", "cells": {column: {"total", "surely",
/// "by_kind"}}}]}`, or CSV with one line per row, column and kind
/// (`row,row_name,column,kind,count,surely`), for a spreadsheet's pivot.
///
/// # Errors
///
/// For [`Format::Dot`].
///
/// # Example
///
/// ```
/// use healthgraph::{Columns, Filter, HealthGraph, render::{self, Format}};
///
/// let graph = HealthGraph::load("data/hanoi.ron")?;
/// let matrix = graph.view(Filter::partnership()).matrix(&["hanoi"], Columns::Countries, None)?;
/// let text = render::matrix(&matrix, false, Format::Text)?;
/// assert!(text.lines().nth(1).expect("a header").contains("SE"));
/// let csv = render::matrix_csv(&matrix);
/// assert!(csv.starts_with("row,row_name,column,kind,count,surely\n"));
/// # Ok::<(), healthgraph::Error>(())
/// ```
pub fn matrix(matrix: &crate::Matrix<'_>, windowed: bool, format: Format) -> Result<String, Error> {
    match format {
        Format::Json => {
            let rows: Vec<Value> = matrix
                .rows()
                .iter()
                .map(|row| {
                    let cells: serde_json::Map<String, Value> = row
                        .cells()
                        .iter()
                        .map(|(column, cell)| {
                            let kinds: serde_json::Map<String, Value> = cell
                                .by_kind()
                                .iter()
                                .map(|(k, n)| (k.to_string(), json!(n)))
                                .collect();
                            (
                                column.clone(),
                                json!({"total": cell.total(), "surely": cell.surely(), "by_kind": kinds}),
                            )
                        })
                        .collect();
                    json!({
                        "entity": entity_json(row.entity(), None),
                        "total": row.total(),
                        "cells": cells,
                    })
                })
                .collect();
            Ok(pretty(&json!({"columns": matrix.columns(), "rows": rows})))
        }
        Format::Dot => Err(no_format("a matrix", format)),
        Format::Text => {
            let mut header: Vec<&str> = vec!["ENTITY"];
            header.extend(matrix.columns().iter().map(String::as_str));
            header.push("TOTAL");
            let rows: Vec<Vec<String>> = matrix
                .rows()
                .iter()
                .map(|row| {
                    let mut line = vec![format!("{} ({})", row.entity().name, row.entity().id)];
                    for column in matrix.columns() {
                        line.push(match row.cells().get(column) {
                            None => "·".to_owned(),
                            Some(cell) => {
                                let kinds: Vec<String> = cell
                                    .by_kind()
                                    .iter()
                                    .map(|(k, n)| format!("{k} {n}"))
                                    .collect();
                                let sure = if windowed && cell.surely() < cell.total() {
                                    format!(", {} sure", cell.surely())
                                } else {
                                    String::new()
                                };
                                format!("{}: {}{sure}", cell.total(), kinds.join(" "))
                            }
                        });
                    }
                    line.push(row.total().to_string());
                    line
                })
                .collect();
            let mut out = format!(
                "Relations counted upward (an entity's own and those of every entity part of or located in it), by partner{}\n",
                if windowed {
                    "; \"sure\" counts those that surely held in the window"
                } else {
                    ""
                }
            );
            out.push_str(&table(&header, &rows, ""));
            Ok(out)
        }
    }
}

/// The cooperation matrix as CSV, one line per row, column and kind:
/// `row,row_name,column,kind,count,surely` (RFC 4180 quoting).
pub fn matrix_csv(matrix: &crate::Matrix<'_>) -> String {
    let mut out = csv::Writer::from_writer(Vec::new());
    let _ = out.write_record(["row", "row_name", "column", "kind", "count", "surely"]);
    for row in matrix.rows() {
        for (column, cell) in row.cells() {
            for (kind, n) in cell.by_kind() {
                let surely = cell.surely_by_kind().get(kind).copied().unwrap_or(0);
                let _ = out.write_record([
                    row.entity().id.as_str(),
                    &row.entity().name,
                    column,
                    kind.as_str(),
                    &n.to_string(),
                    &surely.to_string(),
                ]);
            }
        }
    }
    String::from_utf8(out.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// Connected components, largest first: a table of the first `limit`
/// (size and up to ten members each), or JSON `{"count", "components":
/// [{"size", "members": [id]}]}` with at most 100 members each; the count
/// is of every component.
///
/// # Errors
///
/// For [`Format::Dot`].
///
/// # Example
///
/// ```
/// use healthgraph::{Filter, HealthGraph, render::{self, Format}};
///
/// let graph = HealthGraph::load("data/hanoi.ron")?;
/// let components = graph.view(Filter::partnership()).components();
/// let text = render::components(&components, 3, Format::Text)?;
/// assert!(text.starts_with(&format!("{} components", components.len())));
/// # Ok::<(), healthgraph::Error>(())
/// ```
pub fn components(
    components: &[Vec<&Entity>],
    limit: usize,
    format: Format,
) -> Result<String, Error> {
    let shown = components.iter().take(limit);
    match format {
        Format::Json => Ok(pretty(&json!({
            "count": components.len(),
            "components": shown.map(|c| json!({
                "size": c.len(),
                "members": c.iter().take(100).map(|e| e.id.as_str()).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
        }))),
        Format::Dot => Err(no_format("components", format)),
        Format::Text => {
            let mut out = format!(
                "{} components, largest first{}\n",
                components.len(),
                if components.len() > limit {
                    format!(" (the first {limit}; --limit N shows more)")
                } else {
                    String::new()
                }
            );
            let rows: Vec<Vec<String>> = shown
                .enumerate()
                .map(|(i, c)| {
                    let members: Vec<&str> = c.iter().take(10).map(|e| e.id.as_str()).collect();
                    let more = c.len().saturating_sub(10);
                    let mut text = members.join(", ");
                    if more > 0 {
                        text.push_str(&format!(" and {more} more"));
                    }
                    vec![(i + 1).to_string(), c.len().to_string(), text]
                })
                .collect();
            out.push_str(&table(&["#", "SIZE", "MEMBERS"], &rows, ""));
            Ok(out)
        }
    }
}

/// A list of entities under a heading: a table, or JSON `{"title",
/// "entities": [entity]}`.
///
/// # Errors
///
/// For [`Format::Dot`].
///
/// # Example
///
/// ```
/// use healthgraph::{Filter, HealthGraph, render::{self, Format}};
///
/// let graph = HealthGraph::load("data/hanoi.ron")?;
/// let view = graph.view(Filter::new().kinds_by_name("participation")?);
/// let common = view.common_partners("hanoi-heart-hospital", "hanoi-oncology-hospital")?;
/// let text = render::entities("Partners of both", &common, Format::Text)?;
/// assert!(text.contains("ap-hp"));
/// # Ok::<(), healthgraph::Error>(())
/// ```
pub fn entities(title: &str, entities: &[&Entity], format: Format) -> Result<String, Error> {
    match format {
        Format::Json => Ok(pretty(&json!({
            "title": title,
            "entities": entities.iter().map(|e| entity_json(e, None)).collect::<Vec<_>>(),
        }))),
        Format::Dot => Err(no_format("a list of entities", format)),
        Format::Text => {
            let mut out = format!("{title}: {}\n", count(entities.len(), "entity", "entities"));
            if !entities.is_empty() {
                let rows: Vec<Vec<String>> = entities
                    .iter()
                    .map(|e| vec![e.id.to_string(), e.kind.to_string(), e.name.to_string()])
                    .collect();
                out.push_str(&table(&["ID", "KIND", "NAME"], &rows, ""));
            }
            Ok(out)
        }
    }
}

/// Entities ranked by a measure (degree, betweenness), highest first: a
/// table of the first `limit`, or JSON `{"measure", "entities": [entity
/// with "score"]}`.
///
/// # Errors
///
/// For [`Format::Dot`].
///
/// # Example
///
/// ```
/// use healthgraph::{Filter, HealthGraph, render::{self, Format}};
///
/// let graph = HealthGraph::load("data/hanoi.ron")?;
/// let scores = graph.view(Filter::partnership()).betweenness();
/// let text = render::ranking("betweenness", &scores, 2, Format::Text)?;
/// assert!(text.lines().nth(2).expect("a row").contains("hanoi-peoples-committee"));
/// # Ok::<(), healthgraph::Error>(())
/// ```
pub fn ranking(
    measure: &str,
    scores: &[(&Entity, f64)],
    limit: usize,
    format: Format,
) -> Result<String, Error> {
    let shown = scores.iter().take(limit);
    let number = |x: f64| {
        if x.fract() == 0.0 && x.abs() < 1e15 {
            format!("{x:.0}")
        } else {
            format!("{x:.2}")
        }
    };
    match format {
        Format::Json => Ok(pretty(&json!({
            "measure": measure,
            "count": scores.len(),
            "entities": shown.map(|(e, score)| {
                let mut v = entity_json(e, None);
                if let Value::Object(map) = &mut v {
                    map.insert("score".into(), json!(score));
                }
                v
            }).collect::<Vec<_>>(),
        }))),
        Format::Dot => Err(no_format("a ranking", format)),
        Format::Text => {
            let mut out = format!(
                "{measure}, highest first: {}{}\n",
                count(scores.len(), "entity", "entities"),
                if scores.len() > limit {
                    format!(" (the first {limit}; --limit N shows more)")
                } else {
                    String::new()
                }
            );
            let rows: Vec<Vec<String>> = shown
                .enumerate()
                .map(|(i, (e, score))| {
                    vec![
                        (i + 1).to_string(),
                        number(*score),
                        e.id.to_string(),
                        e.kind.to_string(),
                        e.name.to_string(),
                    ]
                })
                .collect();
            out.push_str(&table(&["#", "SCORE", "ID", "KIND", "NAME"], &rows, ""));
            Ok(out)
        }
    }
}

/// Which relations a timeline's window kept, for its heading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Kept {
    /// Relations dated within the window: what happened then
    /// ([`View::dated_within`](crate::View::dated_within)).
    DatedWithin,
    /// Relations that may have held at some time in the window
    /// ([`View::between`](crate::View::between)).
    MayHold,
}

impl Kept {
    fn as_str(self) -> &'static str {
        match self {
            Kept::DatedWithin => "dated-within",
            Kept::MayHold => "may-hold",
        }
    }
}

/// Relations in date order: as a table, or as JSON `{"relations":
/// [relation]}`. With a window (`from`, `to` and what it kept), the table
/// starts with a line that says which relations it lists, and the JSON has
/// `"window": {"from", "to", "kept"}`.
///
/// # Errors
///
/// For [`Format::Dot`].
///
/// # Example
///
/// ```
/// use healthgraph::{Filter, HealthGraph, render::{self, Format, Kept}};
///
/// let graph = HealthGraph::load("data/hanoi.ron")?;
/// let visits = graph.view(Filter::new().kinds_by_name("visit")?).timeline("hanoi-doh")?;
/// let text = render::timeline(&graph, &visits, None, Format::Text)?;
/// assert_eq!(text.lines().count(), 4); // a header and three visits
/// let may: healthgraph::Date = "2025-05".parse()?;
/// let text = render::timeline(&graph, &visits, Some((may, may, Kept::DatedWithin)), Format::Text)?;
/// assert!(text.starts_with("Relations dated within 2025-05..2025-05"));
/// # Ok::<(), healthgraph::Error>(())
/// ```
pub fn timeline(
    graph: &HealthGraph,
    relations: &[&Relation],
    window: Option<(Date, Date, Kept)>,
    format: Format,
) -> Result<String, Error> {
    let span = |from: Date, to: Date| {
        let side = |d: Date, open: Date| {
            if d == open {
                String::new()
            } else {
                d.to_string()
            }
        };
        format!("{}..{}", side(from, Date::MIN), side(to, Date::MAX))
    };
    match format {
        Format::Json => {
            let mut v = json!({
                "relations": relations.iter().map(|r| relation_json(r)).collect::<Vec<_>>(),
            });
            if let (Some((from, to, kept)), Value::Object(fields)) = (window, &mut v) {
                fields.insert(
                    "window".into(),
                    json!({
                        "from": (from != Date::MIN).then(|| from.to_string()),
                        "to": (to != Date::MAX).then(|| to.to_string()),
                        "kept": kept.as_str(),
                    }),
                );
            }
            Ok(pretty(&v))
        }
        Format::Dot => Err(no_format("a timeline", format)),
        Format::Text => {
            let rows: Vec<Vec<String>> = relations
                .iter()
                .map(|r| {
                    vec![
                        dates(r),
                        r.kind.to_string(),
                        status(r).into_owned(),
                        name_of(graph, r.from.as_str()).to_owned(),
                        if r.kind.is_symmetric() { "—" } else { "→" }.to_owned(),
                        name_of(graph, r.to.as_str()).to_owned(),
                        r.id.to_string(),
                    ]
                })
                .collect();
            let heading = match window {
                Some((from, to, Kept::DatedWithin)) => format!(
                    "Relations dated within {} (what happened then; --overlapping for what may have held then): {}\n",
                    span(from, to),
                    relations.len()
                ),
                Some((from, to, Kept::MayHold)) => format!(
                    "Relations that may have held at some time in {}: {}\n",
                    span(from, to),
                    relations.len()
                ),
                None => String::new(),
            };
            Ok(heading
                + &table(
                    &["DATE", "KIND", "STATUS", "FROM", "", "TO", "ID"],
                    &rows,
                    "",
                ))
        }
    }
}

/// Search results, best first: a table of rank, id, kind, country, how the
/// text matched and the name it matched, or JSON `{"query", "hits": [entity
/// with "match" and "matched"]}`.
///
/// # Errors
///
/// For [`Format::Dot`].
///
/// # Example
///
/// ```
/// use healthgraph::{Filter, HealthGraph, render::{self, Format}};
///
/// let graph = HealthGraph::load("data/hanoi.ron")?;
/// let hits = graph.view(Filter::new()).search("phu san");
/// let text = render::search("phu san", &hits, Format::Text)?;
/// assert!(text.lines().nth(1).is_some_and(|l| l.contains("hanoi-obgyn-hospital")));
/// # Ok::<(), healthgraph::Error>(())
/// ```
pub fn search(query: &str, hits: &[SearchHit<'_>], format: Format) -> Result<String, Error> {
    match format {
        Format::Json => Ok(pretty(&json!({
            "query": query,
            "hits": hits.iter().map(|h| {
                let mut e = entity_json(h.entity(), None);
                if let Value::Object(fields) = &mut e {
                    fields.insert("match".into(), json!(h.kind().as_str()));
                    fields.insert("matched".into(), json!(h.matched()));
                    if let Some(f) = h.former_name() {
                        fields.insert(
                            "former_name".into(),
                            json!({"name": f.name(), "period": f.period().to_string()}),
                        );
                    }
                }
                e
            }).collect::<Vec<_>>(),
        }))),
        Format::Dot => Err(no_format("search results", format)),
        Format::Text => {
            let rows: Vec<Vec<String>> = hits
                .iter()
                .enumerate()
                .map(|(i, h)| {
                    let e = h.entity();
                    vec![
                        (i + 1).to_string(),
                        e.id.to_string(),
                        e.kind.to_string(),
                        e.country.map(|c| c.to_string()).unwrap_or_default(),
                        h.kind().as_str().to_owned(),
                        match h.former_name() {
                            Some(f) if f.period() != crate::Period::UNKNOWN => {
                                format!("{} (former name, {})", h.matched(), f.period())
                            }
                            Some(_) => format!("{} (former name)", h.matched()),
                            None => h.matched().to_owned(),
                        },
                    ]
                })
                .collect();
            Ok(table(
                &["#", "ID", "KIND", "COUNTRY", "MATCH", "MATCHED NAME"],
                &rows,
                "",
            ))
        }
    }
}

/// Entities and the relations among them (a whole view, or an ego
/// network, whose `center` is drawn apart), as JSON `{"entities",
/// "relations"}` or DOT.
///
/// # Errors
///
/// For [`Format::Text`] (use the other renderers).
///
/// # Example
///
/// ```
/// use healthgraph::{Filter, HealthGraph, render::{self, Format}};
///
/// let graph = HealthGraph::load("data/hanoi.ron")?;
/// let view = graph.view(Filter::new());
/// let entities: Vec<_> = view.entities().collect();
/// let relations: Vec<_> = view.relations().collect();
/// let dot = render::export(&entities, &relations, None, Format::Dot)?;
/// assert!(dot.starts_with("digraph healthgraph {"));
/// assert_eq!(dot.matches(" -> ").count(), 58);
/// # Ok::<(), healthgraph::Error>(())
/// ```
pub fn export(
    entities: &[&Entity],
    relations: &[&Relation],
    center: Option<&str>,
    format: Format,
) -> Result<String, Error> {
    match format {
        Format::Json => Ok(pretty(&json!({
            "entities": entities.iter().map(|e| entity_json(e, None)).collect::<Vec<_>>(),
            "relations": relations.iter().map(|r| relation_json(r)).collect::<Vec<_>>(),
        }))),
        Format::Dot => Ok(dot(entities, relations, center)),
        Format::Text => Err(no_format("an export", format)),
    }
}

/// A summary of a valid data set: `PATH: valid: N sources, N entities, N
/// relations`, or as JSON `{"valid": true, "sources", "entities", "relations"}`.
///
/// # Example
///
/// ```
/// use healthgraph::{HealthGraph, render::{self, Format}};
///
/// let graph = HealthGraph::load("data/hanoi.ron")?;
/// let line = render::valid(std::path::Path::new("data/hanoi.ron"), &graph, Format::Text);
/// assert_eq!(line, "data/hanoi.ron: valid: 18 sources, 35 entities, 58 relations\n");
/// # Ok::<(), healthgraph::Error>(())
/// ```
pub fn valid(path: &std::path::Path, graph: &HealthGraph, format: Format) -> String {
    match format {
        Format::Json => pretty(&json!({
            "valid": true,
            "sources": graph.source_count(),
            "entities": graph.entity_count(),
            "relations": graph.relation_count(),
        })),
        _ => format!(
            "{}: valid: {}, {}, {}\n",
            path.display(),
            count(graph.source_count(), "source", "sources"),
            count(graph.entity_count(), "entity", "entities"),
            count(graph.relation_count(), "relation", "relations"),
        ),
    }
}

/// Every problem of an error: one per line (`file:line:column: message`),
/// or as JSON `{"valid": false, "problems": [{"file", "line", "column",
/// "rule", "message"}]}`.
///
/// # Example
///
/// ```
/// use healthgraph::{HealthGraph, render::{self, Format}};
///
/// let err = HealthGraph::from_ron_str("(entities: [(id: \"X\")])").unwrap_err();
/// let json = render::problems(&err, Format::Json);
/// assert!(json.contains("\"rule\": \"missing-field\""));
/// ```
pub fn problems(error: &Error, format: Format) -> String {
    match format {
        Format::Json => pretty(&json!({
            "valid": false,
            "problems": error.problems().iter().map(|p| json!({
                "file": p.location().and_then(|l| l.file()).map(|f| f.display().to_string()),
                "line": p.location().map(|l| l.line()),
                "column": p.location().map(|l| l.column()),
                "rule": p.rule().as_str(),
                "record": p.record(),
                "field": p.field(),
                "message": p.message(),
            })).collect::<Vec<_>>(),
        })),
        _ => format!("{error}\n"),
    }
}

/// Escapes text for a double-quoted DOT string.
fn dot_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

pub(crate) fn node_style(kind: EntityKind) -> (&'static str, &'static str) {
    match kind {
        EntityKind::City => ("ellipse", "#e8e8e8"),
        EntityKind::Hospital => ("box", "#f4cccc"),
        EntityKind::Institute => ("box3d", "#cfe2f3"),
        EntityKind::Company => ("component", "#fff2cc"),
        EntityKind::Agency => ("house", "#d9ead3"),
        EntityKind::Ngo => ("hexagon", "#ead1dc"),
        EntityKind::Programme => ("note", "#fce5cd"),
    }
}

pub(crate) fn edge_style(kind: RelationKind) -> (&'static str, &'static str) {
    // (colour, base style); proposals are dashed whatever their kind.
    match kind {
        RelationKind::Mou => ("#1155cc", "bold"),
        RelationKind::Renewal => ("#1155cc", "bold"),
        RelationKind::Cooperation => ("#38761d", "solid"),
        RelationKind::Visit => ("#b45f06", "solid"),
        RelationKind::Training => ("#741b47", "solid"),
        RelationKind::Participation => ("#999999", "solid"),
        RelationKind::Membership => ("#666666", "solid"),
        RelationKind::Mandate => ("#666666", "solid"),
        RelationKind::PartOf => ("#888888", "dotted"),
        RelationKind::LocatedIn => ("#bbbbbb", "dotted"),
    }
}

/// Graphviz DOT of some entities and the relations among them. Node ids are
/// our ids; labels are names (escaped); shapes and colours by entity kind;
/// edge colours by relation kind; what was not agreed is dashed; symmetric
/// relations have no arrow head.
fn dot(entities: &[&Entity], relations: &[&Relation], center: Option<&str>) -> String {
    let mut out = String::from(
        "digraph healthgraph {\n  graph [rankdir=LR, overlap=false, fontname=\"DejaVu Sans\"];\n  node [style=filled, fontname=\"DejaVu Sans\", fontsize=10];\n  edge [fontname=\"DejaVu Sans\", fontsize=8];\n",
    );
    let shown: HashSet<&str> = entities.iter().map(|e| e.id.as_str()).collect();
    for e in entities {
        let (shape, fill) = node_style(e.kind);
        let label = match e.name_en() {
            Some(en) if en != &*e.name => format!("{}\n{}", e.name, en),
            _ => e.name.to_string(),
        };
        let pen = if center == Some(e.id.as_str()) {
            ", penwidth=3"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "  \"{}\" [label=\"{}\", shape={shape}, fillcolor=\"{fill}\", tooltip=\"{} ({})\"{pen}];",
            dot_escape(e.id.as_str()),
            dot_escape(&label),
            dot_escape(e.id.as_str()),
            e.kind
        );
    }
    for r in relations {
        if !shown.contains(r.from.as_str()) || !shown.contains(r.to.as_str()) {
            continue;
        }
        let (color, base) = edge_style(r.kind);
        let style = match r.status {
            Status::Proposed | Status::Discussed | Status::Planned => "dashed",
            _ => base,
        };
        let label = match dates(r).as_str() {
            "undated" => r.kind.to_string(),
            d => format!("{} {d}", r.kind),
        };
        let dir = if r.kind.is_symmetric() {
            ", dir=none"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "  \"{}\" -> \"{}\" [label=\"{}\", color=\"{color}\", fontcolor=\"{color}\", style={style}{dir}, tooltip=\"{} ({})\"];",
            dot_escape(r.from.as_str()),
            dot_escape(r.to.as_str()),
            dot_escape(&label),
            dot_escape(r.id.as_str()),
            status(r)
        );
    }
    out.push_str("}\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The plain-ASCII shortcut gives the columns the full measure gives,
    /// and only takes what it may.
    #[test]
    fn columns_are_the_terminal_width() {
        for text in [
            "",
            "mou",
            "2024-03-01..2029",
            "Hà Nội — Karolinska",
            "tab\there",
            "line\n",
            // Two bytes, one column.
            "a\r\nb",
            "\u{7f}",
            "東京大学",
            "e\u{301}",
        ] {
            assert_eq!(columns(text), text.width(), "{text:?}");
        }
    }

    #[test]
    fn padding_counts_columns_not_bytes() {
        // A decomposed "ộ" (o + two combining marks) is still one column.
        let t = table(
            &["A", "B"],
            &[
                vec!["Phụ sản", "x"],
                vec!["No\u{323}\u{302}i", "y"],
                vec!["ab", "z"],
            ],
            "",
        );
        let columns: Vec<usize> = t.lines().map(|l| l.width() - 1).collect();
        assert_eq!(columns, [9, 9, 9, 9]);
    }

    #[test]
    fn dot_strings_are_escaped() {
        assert_eq!(
            dot_escape("a \"quoted\" \\ name\nnext\u{7}"),
            "a \\\"quoted\\\" \\\\ name\\nnext"
        );
    }

    #[test]
    fn formats_parse_and_reject_unknown_names() {
        assert_eq!("json".parse::<Format>().unwrap(), Format::Json);
        assert!("svg".parse::<Format>().is_err());
    }
}
