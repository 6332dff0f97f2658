//! The Hanoi data set against the fact base it was taken from.

use std::collections::BTreeMap;

use healthgraph::{Basis, HealthGraph, Status};

fn hanoi() -> HealthGraph {
    match HealthGraph::load("data/hanoi.ron") {
        Ok(graph) => graph,
        Err(e) => panic!("data/hanoi.ron does not load:\n{e}"),
    }
}

fn counts<'a>(names: impl Iterator<Item = &'a str>) -> BTreeMap<&'a str, usize> {
    let mut out = BTreeMap::new();
    for name in names {
        *out.entry(name).or_insert(0) += 1;
    }
    out
}

#[test]
fn hanoi_has_the_entities_of_the_fact_base_by_kind() {
    let graph = hanoi();
    let by_kind = counts(graph.entities().map(|e| e.kind().as_str()));
    // Section 1.1 of the fact base, with its mapping: research-centre -> institute,
    // association -> ngo, agency sub-units -> agency.
    let expected = BTreeMap::from([
        ("agency", 6),
        ("city", 3),
        ("company", 2),
        ("hospital", 13),
        ("institute", 6),
        ("ngo", 3),
        ("programme", 2),
    ]);
    assert_eq!(by_kind, expected);
    assert_eq!(graph.entity_count(), 35);
}

#[test]
fn hanoi_has_the_relations_of_the_fact_base_by_kind() {
    let graph = hanoi();
    let by_kind = counts(graph.relations().map(|r| r.kind().as_str()));
    // "Counts: 58 edges" in section 2 of the fact base; its 11 "other" rows map to
    // participation (R34-R40, R55), membership (R30) and mandate (R24, R48).
    let expected = BTreeMap::from([
        ("cooperation", 11),
        ("located-in", 12),
        ("mandate", 2),
        ("membership", 1),
        ("mou", 4),
        ("part-of", 7),
        ("participation", 8),
        ("renewal", 1),
        ("training", 3),
        ("visit", 9),
    ]);
    assert_eq!(by_kind, expected);
    assert_eq!(graph.relation_count(), 58);
}

#[test]
fn hanoi_has_every_source_of_the_fact_base() {
    let graph = hanoi();
    assert_eq!(graph.source_count(), 18);
    let a1 = graph.source("a1").expect("the main article of seed 001");
    assert_eq!(a1.published().to_string(), "2025-05-26");
    assert_eq!(a1.seed(), Some("001_41900c021be4c692.txt"));
}

#[test]
fn hanoi_statuses_and_basis_follow_the_fact_base() {
    let graph = hanoi();
    let by_status = counts(graph.relations().map(|r| r.status().as_str()));
    // proposed: R08, R09, R19-R23 (wished-for, offer, advocated, suggestion);
    // discussed: R07; planned: R24; signed: R06, R15, R16, R49, R53;
    // completed: R01-R05, R14, R32, R34-R40, R48, R50, R54, R55;
    // ongoing: the rest, structural rows included.
    let expected = BTreeMap::from([
        ("completed", 18),
        ("discussed", 1),
        ("ongoing", 26),
        ("planned", 1),
        ("proposed", 7),
        ("signed", 5),
    ]);
    assert_eq!(by_status, expected);
    let implied: Vec<&str> = graph
        .relations()
        .filter(|r| r.basis() == Basis::Implied)
        .map(|r| r.id().as_str())
        .collect();
    // D rows: R11, R13, R15, R16, R25-R28, R41-R47, R57, R58.
    assert_eq!(implied.len(), 17, "{implied:#?}");
    let renewal = graph
        .relation("renewal-karolinska-institute-hanoi-obgyn-hospital-2025")
        .expect("R16");
    assert_eq!(renewal.status(), Status::Signed);
    assert_eq!(renewal.basis(), Basis::Implied);
    assert_eq!(
        renewal.renews().map(|r| r.as_str()),
        Some("mou-karolinska-institute-hanoi-obgyn-hospital")
    );
}

#[test]
fn hanoi_keeps_names_with_diacritics_people_and_figures() {
    let graph = hanoi();
    let obgyn = graph.entity("hanoi-obgyn-hospital").expect("in the data");
    assert_eq!(obgyn.name(), "Bệnh viện Phụ sản Hà Nội");
    assert_eq!(obgyn.aliases(), ["Phụ sản Hà Nội"]);
    let smile = graph
        .relation("cooperation-vietnam-cuba-friendship-hospital-operation-smile-vietnam")
        .expect("R31");
    assert_eq!(
        smile.figures()[0].to_string(),
        "more than 18000 humanitarian operations on children"
    );
    let visit = graph
        .relation("visit-karolinska-institute-hanoi-doh-2025")
        .expect("R14");
    let names: Vec<&str> = visit.people().iter().map(|p| p.name()).collect();
    assert_eq!(
        names,
        ["Tobias Afvén", "Mariam Eva Claeson", "Nguyễn Đình Hưng"]
    );
}

#[test]
fn hanoi_round_trips_through_ron() {
    let graph = hanoi();
    let text = graph.to_ron_string().expect("serializes");
    let again = HealthGraph::from_ron_str(&text).expect("what was saved loads");
    assert_eq!(again, graph);
    assert_eq!(
        again.to_ron_string().expect("serializes"),
        text,
        "saving is stable"
    );
}

#[test]
fn hanoi_round_trips_through_a_saved_file() {
    let graph = hanoi();
    let dir = std::env::temp_dir().join(format!("healthgraph-save-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("hanoi.ron");
    graph.save(&path).expect("saves");
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .expect("lists")
        .filter_map(Result::ok)
        .map(|e| e.file_name())
        .filter(|n| n != "hanoi.ron")
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
    assert_eq!(HealthGraph::load(&path).expect("loads"), graph);
    std::fs::remove_dir_all(&dir).ok();
}
