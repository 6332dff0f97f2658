//! The RDF export: Turtle and N-Triples, read back with oxttl's parsers,
//! give the same triples; names, dates and escapes survive; every relation
//! has its resource and its direct triple.

use std::collections::{BTreeSet, HashMap, HashSet};

use healthgraph::export::{self, RdfSyntax};
use healthgraph::{Filter, HealthGraph};
use oxrdf::{Literal, Term, Triple};
use proptest::prelude::*;

const ENTITY: &str = "https://w3id.org/healthgraph/entity/";
const RELATION: &str = "https://w3id.org/healthgraph/relation/";
const HG: &str = "https://w3id.org/healthgraph/vocab#";
const XSD: &str = "http://www.w3.org/2001/XMLSchema#";

fn write(graph: &HealthGraph, syntax: RdfSyntax) -> Vec<u8> {
    let view = graph.view(Filter::new());
    let (entities, relations): (Vec<_>, Vec<_>) =
        (view.entities().collect(), view.relations().collect());
    let mut out = Vec::new();
    export::write_rdf(graph, &entities, &relations, syntax, &mut out).unwrap();
    out
}

/// The triples of both syntaxes, checked to be the same set.
fn triples(graph: &HealthGraph) -> HashSet<Triple> {
    let turtle: HashSet<Triple> = oxttl::TurtleParser::new()
        .for_slice(&write(graph, RdfSyntax::Turtle))
        .collect::<Result<_, _>>()
        .unwrap();
    let ntriples: HashSet<Triple> = oxttl::NTriplesParser::new()
        .for_slice(&write(graph, RdfSyntax::NTriples))
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(turtle, ntriples);
    turtle
}

/// The objects of `subject`'s `predicate`.
fn objects(triples: &HashSet<Triple>, subject: &str, predicate: &str) -> Vec<Term> {
    triples
        .iter()
        .filter(|t| {
            t.subject.to_string() == format!("<{subject}>") && t.predicate.as_str() == predicate
        })
        .map(|t| t.object.clone())
        .collect()
}

/// Every relation has its kind, parties, dates typed by their precision
/// (and the days they can mean), and one direct triple between its parties.
fn check_relations(graph: &HealthGraph, triples: &HashSet<Triple>) -> Result<(), TestCaseError> {
    let mut direct: HashMap<(String, String, String), usize> = HashMap::new();
    for t in triples {
        if let (Some(kind), Term::NamedNode(o)) = (t.predicate.as_str().strip_prefix(HG), &t.object)
        {
            if o.as_str().starts_with(ENTITY)
                && t.subject.to_string().starts_with(&format!("<{ENTITY}"))
            {
                *direct
                    .entry((t.subject.to_string(), kind.to_owned(), o.to_string()))
                    .or_default() += 1;
            }
        }
    }
    let mut expected: HashMap<(String, String, String), usize> = HashMap::new();
    for r in graph.relations() {
        let s = format!("{RELATION}{}", r.id());
        let kind = objects(triples, &s, &format!("{HG}kind"));
        prop_assert_eq!(
            kind,
            vec![Term::from(Literal::new_simple_literal(r.kind().as_str()))]
        );
        for (field, date) in [("start", r.start()), ("end", r.end())] {
            let written = objects(triples, &s, &format!("http://schema.org/{field}Date"));
            let first = objects(triples, &s, &format!("{HG}{field}FirstDay"));
            let last = objects(triples, &s, &format!("{HG}{field}LastDay"));
            match date {
                None => prop_assert!(written.is_empty() && first.is_empty() && last.is_empty()),
                Some(d) => {
                    let text = d.to_string();
                    let datatype = match text.len() {
                        4 => "gYear",
                        7 => "gYearMonth",
                        _ => "date",
                    };
                    let typed = |v: String, t: &str| {
                        Term::from(Literal::new_typed_literal(
                            v,
                            oxrdf::NamedNode::new_unchecked(format!("{XSD}{t}")),
                        ))
                    };
                    prop_assert_eq!(written, vec![typed(text, datatype)]);
                    prop_assert_eq!(first, vec![typed(d.first_day().to_string(), "date")]);
                    prop_assert_eq!(last, vec![typed(d.last_day().to_string(), "date")]);
                }
            }
        }
        *expected
            .entry((
                format!("<{ENTITY}{}>", r.from()),
                r.kind().as_str().to_owned(),
                format!("<{ENTITY}{}>", r.to()),
            ))
            .or_default() += 1;
    }
    // Direct triples are a set: parallel relations of one kind give one.
    let expected: HashMap<_, usize> = expected.into_keys().map(|k| (k, 1)).collect();
    prop_assert_eq!(direct, expected);
    Ok(())
}

#[test]
fn the_hanoi_export_reads_back_with_names_dates_and_direct_triples() {
    let graph = HealthGraph::load("data/hanoi.ron").unwrap();
    let triples = triples(&graph);
    check_relations(&graph, &triples).unwrap();
    let karolinska = format!("{ENTITY}karolinska-institute");
    let labels: BTreeSet<String> = objects(
        &triples,
        &karolinska,
        "http://www.w3.org/2000/01/rdf-schema#label",
    )
    .iter()
    .map(ToString::to_string)
    .collect();
    assert_eq!(
        labels,
        BTreeSet::from([
            "\"Karolinska Institutet (Karolinska Institute)\"@en".to_owned(),
            "\"Viện Karolinska\"@vi".to_owned()
        ])
    );
    // Every entity and every cited source is a resource.
    for e in graph.entities() {
        assert!(
            !objects(
                &triples,
                &format!("{ENTITY}{}", e.id()),
                &format!("{HG}kind")
            )
            .is_empty(),
            "{}",
            e.id()
        );
    }
    for s in graph.sources() {
        let cited = graph.entities().any(|e| e.sources().contains(s.id()))
            || graph.relations().any(|r| r.sources().contains(s.id()));
        let headline = objects(
            &triples,
            &format!("https://w3id.org/healthgraph/source/{}", s.id()),
            "http://schema.org/headline",
        );
        assert_eq!(headline.len(), usize::from(cited), "{}", s.id());
    }
}

#[test]
fn the_same_graph_gives_the_same_bytes() {
    let graph = HealthGraph::load("data/hanoi.ron").unwrap();
    for syntax in [RdfSyntax::Turtle, RdfSyntax::NTriples] {
        assert_eq!(write(&graph, syntax), write(&graph, syntax));
    }
}

#[test]
fn names_with_quotes_line_breaks_and_markup_survive() {
    let name = "A \"q\" 'y' <x> & \\ b\nz\tč";
    let graph = HealthGraph::from_ron_str(&format!(
        r#"(sources: [(id: "s", title: "T \"t\"", published: "2025-02", language: "vi")],
            entities: [(id: "a", kind: "city", name: {name:?}, aliases: ["a\nb"], sources: ["s"]),
                       (id: "b", kind: "hospital", name: "B", note: "n \"o\" \\", sources: ["s"])],
            relations: [(id: "r", kind: "located-in", from: "b", to: "a", start: "2025-02", status: "ongoing", basis: "stated", sources: ["s"])])"#
    ))
    .unwrap();
    let triples = triples(&graph);
    let label = objects(
        &triples,
        &format!("{ENTITY}a"),
        "http://www.w3.org/2000/01/rdf-schema#label",
    );
    assert_eq!(
        label,
        vec![Term::from(
            Literal::new_language_tagged_literal(name, "vi").unwrap()
        )]
    );
    let alias = objects(
        &triples,
        &format!("{ENTITY}a"),
        "http://schema.org/alternateName",
    );
    assert_eq!(alias, vec![Term::from(Literal::new_simple_literal("a\nb"))]);
    let note = objects(
        &triples,
        &format!("{ENTITY}b"),
        "http://www.w3.org/2000/01/rdf-schema#comment",
    );
    assert_eq!(
        note,
        vec![Term::from(Literal::new_simple_literal("n \"o\" \\"))]
    );
}

proptest! {
    #![proptest_config(crate::properties::config())]

    #[test]
    fn generated_graphs_read_back_with_every_relation(data in crate::properties::dataset()) {
        let graph = data.graph();
        let triples = triples(&graph);
        check_relations(&graph, &triples)?;
    }
}
