//! RDF (Turtle and N-Triples, written by oxttl): entities, relations and
//! sources as resources under [`BASE`], for SPARQL stores.
//!
//! The vocabulary, term by term (`hg:` is `https://w3id.org/healthgraph/vocab#`):
//!
//! | What | Triples | Terms reused |
//! |------|---------|--------------|
//! | entity | `entity:ID a schema:Hospital; hg:kind "hospital"` (the class by kind: city `schema:City`, hospital `schema:Hospital`, institute `schema:ResearchOrganization`, company `schema:Corporation`, agency `schema:GovernmentOrganization`, ngo `schema:NGO`, programme `schema:Project`) | schema.org |
//! | names | `rdfs:label "Viện Karolinska"@vi, "Karolinska Institutet"@en`; the name's tag is the language of the entity's first source (untagged if it cites none); aliases and former names `schema:alternateName` (untagged: a source may spell a name in any language; a former name's period is kept by the lossless formats only) | RDFS, as Wikidata labels |
//! | country, ids | `schema:addressCountry "SE"` (ISO 3166-1 alpha-2); `owl:sameAs wd:Q…` and `owl:sameAs <https://ror.org/…>` | schema.org, OWL, Wikidata |
//! | relation | `relation:ID a hg:Relation; hg:kind "mou"; hg:from entity:A; hg:to entity:B; hg:status "signed"; hg:basis "stated"; hg:renews relation:X` (and `hg:amends`, `hg:supersedes`) | — |
//! | dates | `schema:startDate`, `schema:endDate` as `xsd:gYear`, `xsd:gYearMonth` or `xsd:date`, so the precision survives; `hg:startFirstDay`, `hg:startLastDay`, `hg:endFirstDay`, `hg:endLastDay` (`xsd:date`): the days each can mean, to compare with | schema.org, XSD |
//! | evidence | `prov:wasDerivedFrom source:ID` on entities and relations; a source is `a schema:CreativeWork` with `schema:headline`, `schema:datePublished`, `schema:inLanguage`, `schema:publisher`, `schema:author`, `schema:url` | PROV-O, schema.org |
//! | details | `hg:scope "…"`; `hg:person <relation/ID#person-1>` (`schema:Person`, `schema:name`, `schema:jobTitle`, `schema:affiliation`); `hg:figure <relation/ID#figure-1>` (`rdf:value`, `hg:unit`, `hg:qualifier`); notes `rdfs:comment` | schema.org, RDF |
//! | traversal | one direct triple per relation, `entity:A hg:KIND entity:B` (`hg:mou`, `hg:part-of`, …) | — |
//!
//! Vocabulary values (kind, status, basis, qualifier) are the strings of
//! the data files, so a query reads like the data: `?r hg:kind "renewal"`.
//! Nested parts get IRIs, not blank nodes, so the same graph gives the same
//! bytes.

use std::collections::BTreeSet;
use std::io::Write;

use oxrdf::vocab::{rdf, rdfs, xsd};
use oxrdf::{Literal, NamedNode, NamedNodeRef, TripleRef};

use crate::error::Error;
use crate::graph::HealthGraph;
use crate::model::date::{Date, Precision};
use crate::model::entity::{Entity, EntityKind};
use crate::model::relation::{Relation, RelationKind};

/// The base of every IRI the export makes: entities under `entity/`,
/// relations under `relation/`, sources under `source/`, the vocabulary at
/// `vocab#`.
///
/// # Example
///
/// ```
/// assert_eq!(format!("{}entity/hanoi", healthgraph::export::BASE), "https://w3id.org/healthgraph/entity/hanoi");
/// ```
pub const BASE: &str = "https://w3id.org/healthgraph/";

const HG: &str = "https://w3id.org/healthgraph/vocab#";
const SCHEMA: &str = "http://schema.org/";
const PROV_DERIVED: NamedNodeRef<'static> =
    NamedNodeRef::new_unchecked("http://www.w3.org/ns/prov#wasDerivedFrom");
const OWL_SAME_AS: NamedNodeRef<'static> =
    NamedNodeRef::new_unchecked("http://www.w3.org/2002/07/owl#sameAs");

/// The prefixes a Turtle file declares.
const PREFIXES: &[(&str, &str)] = &[
    ("hg", HG),
    ("entity", "https://w3id.org/healthgraph/entity/"),
    ("relation", "https://w3id.org/healthgraph/relation/"),
    ("source", "https://w3id.org/healthgraph/source/"),
    ("schema", SCHEMA),
    ("prov", "http://www.w3.org/ns/prov#"),
    ("owl", "http://www.w3.org/2002/07/owl#"),
    ("wd", "http://www.wikidata.org/entity/"),
    ("rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"),
    ("rdfs", "http://www.w3.org/2000/01/rdf-schema#"),
    ("xsd", "http://www.w3.org/2001/XMLSchema#"),
];

/// The RDF syntax to write.
///
/// # Example
///
/// ```
/// use healthgraph::{HealthGraph, export::{self, RdfSyntax}};
///
/// let graph = HealthGraph::load("data/hanoi.ron")?;
/// let entities: Vec<_> = graph.entities().take(1).collect();
/// let mut turtle = Vec::new();
/// export::write_rdf(&graph, &entities, &[], RdfSyntax::Turtle, &mut turtle)?;
/// assert!(String::from_utf8(turtle).expect("UTF-8").contains("@prefix hg: <https://w3id.org/healthgraph/vocab#>"));
/// # Ok::<(), healthgraph::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RdfSyntax {
    /// Turtle, with prefixes, a subject's triples grouped.
    Turtle,
    /// N-Triples: one triple per line, full IRIs.
    NTriples,
}

fn io(e: std::io::Error) -> Error {
    Error::io(std::path::Path::new("the RDF output"), "write", e)
}

/// One of oxttl's serializers.
enum Serializer<W: Write> {
    // Boxed: one serializer per export, and the enum stays small.
    Turtle(Box<oxttl::turtle::WriterTurtleSerializer<W>>),
    NTriples(oxttl::ntriples::WriterNTriplesSerializer<W>),
}

/// Writes triples, each subject or object a node the writer names.
struct Triples<W: Write> {
    out: Serializer<W>,
}

impl<W: Write> Triples<W> {
    fn put<'a>(
        &mut self,
        s: NamedNodeRef<'a>,
        p: NamedNodeRef<'a>,
        o: impl Into<oxrdf::TermRef<'a>>,
    ) -> Result<(), Error> {
        let t = TripleRef::new(s, p, o);
        match &mut self.out {
            Serializer::Turtle(w) => w.serialize_triple(t),
            Serializer::NTriples(w) => w.serialize_triple(t),
        }
        .map_err(io)
    }

    fn text(&mut self, s: NamedNodeRef<'_>, p: NamedNodeRef<'_>, v: &str) -> Result<(), Error> {
        self.put(s, p, &Literal::new_simple_literal(v))
    }

    fn finish(self) -> Result<(), Error> {
        let mut w = match self.out {
            Serializer::Turtle(w) => w.finish().map_err(io)?,
            Serializer::NTriples(w) => w.finish(),
        };
        w.flush().map_err(io)
    }
}

fn iri(text: String) -> NamedNode {
    // Ids are lowercase ASCII letters, digits and hyphens (checked when they
    // were made), and the bases are absolute: every IRI made here is valid.
    NamedNode::new_unchecked(text)
}

fn hg(term: &str) -> NamedNode {
    iri(format!("{HG}{term}"))
}

fn schema(term: &str) -> NamedNode {
    iri(format!("{SCHEMA}{term}"))
}

/// The date as written, typed by its precision.
fn date_literal(d: Date) -> Literal {
    let datatype = match d.precision() {
        Precision::Year => xsd::G_YEAR,
        Precision::Month => xsd::G_YEAR_MONTH,
        Precision::Day => xsd::DATE,
    };
    Literal::new_typed_literal(d.to_string(), datatype)
}

fn day_literal(d: Date) -> Literal {
    Literal::new_typed_literal(d.to_string(), xsd::DATE)
}

/// The schema.org class of an entity kind.
fn class_of(kind: EntityKind) -> &'static str {
    match kind {
        EntityKind::City => "City",
        EntityKind::Hospital => "Hospital",
        EntityKind::Institute => "ResearchOrganization",
        EntityKind::Company => "Corporation",
        EntityKind::Agency => "GovernmentOrganization",
        EntityKind::Ngo => "NGO",
        EntityKind::Programme => "Project",
    }
}

/// Writes `entities`, `relations` (in the order given) and the sources they
/// cite (in id order) as RDF to `out`, as a stream, with the vocabulary of
/// this module's table; only the set of cited source ids is held.
///
/// # Errors
///
/// An I/O error if `out` fails.
///
/// # Example
///
/// ```
/// use healthgraph::{Filter, HealthGraph, export::{self, RdfSyntax}};
///
/// let graph = HealthGraph::load("data/hanoi.ron")?;
/// let view = graph.view(Filter::new());
/// let (entities, relations): (Vec<_>, Vec<_>) = (view.entities().collect(), view.relations().collect());
/// let mut out = Vec::new();
/// export::write_rdf(&graph, &entities, &relations, RdfSyntax::NTriples, &mut out)?;
/// let text = String::from_utf8(out).expect("UTF-8");
/// assert!(text.contains(concat!(
///     "<https://w3id.org/healthgraph/relation/renewal-karolinska-institute-hanoi-obgyn-hospital-2025> ",
///     "<http://schema.org/endDate> \"2030\"^^<http://www.w3.org/2001/XMLSchema#gYear> .",
/// )));
/// assert!(text.contains(concat!(
///     "<https://w3id.org/healthgraph/entity/karolinska-institute> ",
///     "<http://www.w3.org/2000/01/rdf-schema#label> \"Viện Karolinska\"@vi .",
/// )));
/// # Ok::<(), healthgraph::Error>(())
/// ```
pub fn write_rdf(
    graph: &HealthGraph,
    entities: &[&Entity],
    relations: &[&Relation],
    syntax: RdfSyntax,
    out: &mut dyn Write,
) -> Result<(), Error> {
    let out = std::io::BufWriter::new(out);
    let out = match syntax {
        RdfSyntax::Turtle => {
            let mut s = oxttl::TurtleSerializer::new();
            for (name, base) in PREFIXES {
                s = s
                    .with_prefix(*name, *base)
                    .map_err(|e| io(std::io::Error::new(std::io::ErrorKind::InvalidInput, e)))?;
            }
            Serializer::Turtle(Box::new(s.for_writer(out)))
        }
        RdfSyntax::NTriples => {
            Serializer::NTriples(oxttl::NTriplesSerializer::new().for_writer(out))
        }
    };
    let mut w = Triples { out };
    let (kind, from, to) = (hg("kind"), hg("from"), hg("to"));
    let (status, basis, renews) = (hg("status"), hg("basis"), hg("renews"));
    let (amends, supersedes) = (hg("amends"), hg("supersedes"));
    let (start_date, end_date) = (schema("startDate"), schema("endDate"));
    let bounds = [
        hg("startFirstDay"),
        hg("startLastDay"),
        hg("endFirstDay"),
        hg("endLastDay"),
    ];
    let (alternate, country) = (schema("alternateName"), schema("addressCountry"));
    // The terms every record uses, made once rather than per record.
    let relation_class = hg("Relation");
    let class: Vec<(EntityKind, NamedNode)> = EntityKind::ALL
        .iter()
        .map(|k| (*k, schema(class_of(*k))))
        .collect();
    let direct: Vec<(RelationKind, NamedNode)> = RelationKind::ALL
        .iter()
        .map(|k| (*k, hg(k.as_str())))
        .collect();
    let mut cited: BTreeSet<&str> = BTreeSet::new();

    for e in entities {
        let s = iri(format!("{BASE}entity/{}", e.id.as_str()));
        let s = s.as_ref();
        if let Some((_, c)) = class.iter().find(|(k, _)| *k == e.kind) {
            w.put(s, rdf::TYPE, c)?;
        }
        w.text(s, kind.as_ref(), e.kind.as_str())?;
        let language = e
            .sources
            .first()
            .and_then(|id| graph.source(id.as_str()))
            .map(|source| source.language());
        let name = language
            .and_then(|l| Literal::new_language_tagged_literal(e.name(), l).ok())
            .unwrap_or_else(|| Literal::new_simple_literal(e.name()));
        w.put(s, rdfs::LABEL, &name)?;
        if let Some(en) = e.name_en() {
            w.put(
                s,
                rdfs::LABEL,
                &Literal::new_language_tagged_literal_unchecked(en, "en"),
            )?;
        }
        // Former names are other names too (their periods are in the
        // lossless formats only).
        for alias in e
            .aliases()
            .iter()
            .map(String::as_str)
            .chain(e.former_names().iter().map(crate::FormerName::name))
        {
            w.text(s, alternate.as_ref(), alias)?;
        }
        if let Some(c) = e.country() {
            w.text(s, country.as_ref(), c.as_str())?;
        }
        if let Some(q) = e.wikidata() {
            w.put(
                s,
                OWL_SAME_AS,
                &iri(format!("http://www.wikidata.org/entity/{q}")),
            )?;
        }
        if let Some(r) = e.ror() {
            w.put(s, OWL_SAME_AS, &iri(format!("https://ror.org/{r}")))?;
        }
        if let Some(note) = e.note() {
            w.text(s, rdfs::COMMENT, note)?;
        }
        for source in e.sources() {
            w.put(
                s,
                PROV_DERIVED,
                &iri(format!("{BASE}source/{}", source.as_str())),
            )?;
            cited.insert(source.as_str());
        }
    }

    for r in relations {
        let id = r.id.as_str();
        let subject = iri(format!("{BASE}relation/{id}"));
        let s = subject.as_ref();
        let a = iri(format!("{BASE}entity/{}", r.from.as_str()));
        let b = iri(format!("{BASE}entity/{}", r.to.as_str()));
        w.put(s, rdf::TYPE, &relation_class)?;
        w.text(s, kind.as_ref(), r.kind.as_str())?;
        w.put(s, from.as_ref(), &a)?;
        w.put(s, to.as_ref(), &b)?;
        w.text(s, status.as_ref(), r.status.as_str())?;
        w.text(s, basis.as_ref(), r.basis.as_str())?;
        if let Some(d) = r.start() {
            w.put(s, start_date.as_ref(), &date_literal(d))?;
            w.put(s, bounds[0].as_ref(), &day_literal(d.first_day()))?;
            w.put(s, bounds[1].as_ref(), &day_literal(d.last_day()))?;
        }
        if let Some(d) = r.end() {
            w.put(s, end_date.as_ref(), &date_literal(d))?;
            w.put(s, bounds[2].as_ref(), &day_literal(d.first_day()))?;
            w.put(s, bounds[3].as_ref(), &day_literal(d.last_day()))?;
        }
        for (link, old) in r.links() {
            let predicate = match link {
                crate::Link::Renews => renews.as_ref(),
                crate::Link::Amends => amends.as_ref(),
                _ => supersedes.as_ref(),
            };
            w.put(
                s,
                predicate,
                &iri(format!("{BASE}relation/{}", old.as_str())),
            )?;
        }
        for area in r.scope() {
            w.text(s, hg("scope").as_ref(), area)?;
        }
        for (i, p) in r.people().iter().enumerate() {
            let node = iri(format!("{BASE}relation/{id}#person-{}", i + 1));
            w.put(s, hg("person").as_ref(), &node)?;
            w.put(node.as_ref(), rdf::TYPE, &schema("Person"))?;
            w.text(node.as_ref(), schema("name").as_ref(), p.name())?;
            if let Some(role) = p.role() {
                w.text(node.as_ref(), schema("jobTitle").as_ref(), role)?;
            }
            if let Some(org) = p.organisation() {
                let org = iri(format!("{BASE}entity/{}", org.as_str()));
                w.put(node.as_ref(), schema("affiliation").as_ref(), &org)?;
            }
        }
        for (i, f) in r.figures().iter().enumerate() {
            let node = iri(format!("{BASE}relation/{id}#figure-{}", i + 1));
            w.put(s, hg("figure").as_ref(), &node)?;
            let value =
                Literal::new_typed_literal(f.value().to_string(), xsd::NON_NEGATIVE_INTEGER);
            w.put(node.as_ref(), rdf::VALUE, &value)?;
            w.text(node.as_ref(), hg("unit").as_ref(), f.unit())?;
            w.text(
                node.as_ref(),
                hg("qualifier").as_ref(),
                f.qualifier().as_str(),
            )?;
        }
        if let Some(note) = r.note() {
            w.text(s, rdfs::COMMENT, note)?;
        }
        for source in r.sources() {
            w.put(
                s,
                PROV_DERIVED,
                &iri(format!("{BASE}source/{}", source.as_str())),
            )?;
            cited.insert(source.as_str());
        }
        // The direct triple, for simple traversal.
        if let Some((_, p)) = direct.iter().find(|(k, _)| *k == r.kind) {
            w.put(a.as_ref(), p.as_ref(), &b)?;
        }
    }

    for id in cited {
        let Some(source) = graph.source(id) else {
            continue;
        };
        let node = iri(format!("{BASE}source/{id}"));
        let s = node.as_ref();
        w.put(s, rdf::TYPE, &schema("CreativeWork"))?;
        w.text(s, schema("headline").as_ref(), source.title())?;
        w.put(
            s,
            schema("datePublished").as_ref(),
            &date_literal(source.published()),
        )?;
        w.text(s, schema("inLanguage").as_ref(), source.language())?;
        if let Some(p) = source.publisher() {
            w.text(s, schema("publisher").as_ref(), p)?;
        }
        if let Some(a) = source.author() {
            w.text(s, schema("author").as_ref(), a)?;
        }
        if let Some(url) = source.url() {
            match NamedNode::new(url) {
                Ok(u) => w.put(s, schema("url").as_ref(), &u)?,
                Err(_) => w.text(s, schema("url").as_ref(), url)?,
            }
        }
        if let Some(seed) = source.seed() {
            w.text(s, hg("seed").as_ref(), seed)?;
        }
        if let Some(section) = source.section() {
            w.text(s, hg("section").as_ref(), section)?;
        }
        if let Some(note) = source.note() {
            w.text(s, rdfs::COMMENT, note)?;
        }
    }
    w.finish()
}
