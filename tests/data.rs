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
    // "Counts: 58 edges" in section 2 of the fact base, with R52 a cooperation (its
    // text does not say who trains whom); its 11 "other" rows map to
    // participation (R34-R40, R55), membership (R30) and mandate (R24, R48).
    let expected = BTreeMap::from([
        ("cooperation", 12),
        ("located-in", 12),
        ("mandate", 2),
        ("membership", 1),
        ("mou", 4),
        ("part-of", 7),
        ("participation", 8),
        ("renewal", 1),
        ("training", 2),
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
    // discussed: R07; signed: R06, R15, R16, R49, R53;
    // completed: R01-R05, R14, R32, R34-R40, R50, R54, R55;
    // ongoing: the rest, structural rows, the task R24 and the plan R48 included.
    let expected = BTreeMap::from([
        ("completed", 17),
        ("discussed", 1),
        ("ongoing", 28),
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

/// A relation's kind, direction and status, as `(kind, from, to, status)`.
fn shape(graph: &HealthGraph, id: &str) -> (String, String, String, Status) {
    let r = graph
        .relation(id)
        .unwrap_or_else(|| panic!("no relation `{id}`"));
    (
        r.kind().to_string(),
        r.from().to_string(),
        r.to().to_string(),
        r.status(),
    )
}

fn expect(kind: &str, from: &str, to: &str, status: Status) -> (String, String, String, Status) {
    (kind.into(), from.into(), to.into(), status)
}

#[test]
fn hanoi_training_goes_from_the_provider_to_the_beneficiary() {
    let graph = hanoi();
    // R08: Hanoi's wish that Harvard Medical School train its staff.
    let r08 = graph
        .relation("training-harvard-medical-school-hanoi-peoples-committee-2017")
        .expect("R08");
    assert_eq!(
        shape(&graph, r08.id().as_str()),
        expect(
            "training",
            "harvard-medical-school",
            "hanoi-peoples-committee",
            Status::Proposed
        )
    );
    // Who voiced the wish stays in the people and the note.
    assert_eq!(
        r08.people()[0].organisation().map(|o| o.as_str()),
        Some("hanoi-peoples-committee")
    );
    assert!(
        r08.note()
            .is_some_and(|n| n.contains("expressed by the Hanoi People's Committee"))
    );
    // R19: the Department's call for training with Karolinska.
    let r19 = graph
        .relation("training-karolinska-institute-hanoi-doh-phd-2025")
        .expect("R19");
    assert_eq!(
        shape(&graph, r19.id().as_str()),
        expect(
            "training",
            "karolinska-institute",
            "hanoi-doh",
            Status::Proposed
        )
    );
    assert_eq!(
        r19.people()[0].organisation().map(|o| o.as_str()),
        Some("hanoi-doh")
    );
    // The old ids, which named the parties the other way round, are gone.
    for old in [
        "training-hanoi-peoples-committee-harvard-medical-school-2017",
        "training-hanoi-doh-karolinska-institute-phd-2025",
    ] {
        assert!(graph.relation(old).is_none(), "{old} is still there");
    }
}

#[test]
fn hanoi_corrections_of_kind_direction_and_status() {
    let graph = hanoi();
    // R52: the text does not say who trains whom, so it is a cooperation.
    assert_eq!(
        shape(
            &graph,
            "cooperation-hanoi-oncology-hospital-ajou-university-hospital-training-technology"
        ),
        expect(
            "cooperation",
            "hanoi-oncology-hospital",
            "ajou-university-hospital",
            Status::Ongoing
        )
    );
    // R55: participation goes from the Hanoi side (the venue's host) to the counterpart.
    assert_eq!(
        shape(
            &graph,
            "participation-ha-dong-general-hospital-kobe-university-hospital-2025"
        ),
        expect(
            "participation",
            "ha-dong-general-hospital",
            "kobe-university-hospital",
            Status::Completed
        )
    );
    // R24: the task is assigned and under way.
    assert_eq!(
        shape(&graph, "mandate-hanoi-doh-training-centre-2025"),
        expect(
            "mandate",
            "hanoi-doh",
            "hanoi-medical-training-tech-transfer-centre",
            Status::Ongoing
        )
    );
    // R48: the plan is issued and runs to 2030; the note says the issuing is complete.
    let r48 = graph
        .relation("mandate-hanoi-peoples-committee-hanoi-plan-137")
        .expect("R48");
    assert_eq!(r48.status(), Status::Ongoing);
    assert_eq!(r48.period().to_string(), "..2030");
    assert!(
        r48.note()
            .is_some_and(|n| n.contains("the issuing is what is complete"))
    );
}

#[test]
fn hanoi_boston_is_named_as_paris_is() {
    let graph = hanoi();
    let boston = graph.entity("boston").expect("in the data");
    assert_eq!(boston.name(), "Boston");
    assert_eq!(boston.aliases(), ["thành phố Boston"]);
    // Search still finds it by the article's words.
    let hits = graph
        .view(healthgraph::Filter::new())
        .search("thanh pho boston");
    assert_eq!(
        hits.first().map(|h| h.entity().id().as_str()),
        Some("boston")
    );
}
