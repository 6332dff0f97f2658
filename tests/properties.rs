//! Property tests: the invariants of DESIGN.md on generated graphs, the
//! rejection of data sets that break one rule, the RON round trip, and the
//! properties of the queries on random graphs and random filters.
//!
//! Each property runs `PROPTEST_CASES` cases (64 by default, so that the whole
//! suite stays within a few minutes on 2 cores); run them longer with, e.g.,
//! `PROPTEST_CASES=5000 cargo test --release --test lib properties`.
//! Failures found are kept as regressions in `proptest-regressions/`.

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};

use healthgraph::{
    Certainty, Direction, Entity, EntityKind, Filter, Force, HealthGraph, Rank, Relation,
    RelationKind, Rule, Status, View,
};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::Config;

use crate::strategies::{
    Dataset, FilterSpec, RelationSpec, check_invariants, entity_spec, filter_spec, relation_spec,
    spec,
};

pub(crate) fn config() -> Config {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(64);
    Config {
        cases,
        ..Config::default()
    }
}

pub(crate) fn dataset() -> impl Strategy<Value = Dataset> {
    spec(12, 30).prop_map(|s| Dataset::resolve(&s))
}

/// A change to apply to a graph.
#[derive(Debug, Clone)]
enum Op {
    RemoveEntity(usize),
    RemoveRelation(usize),
    InsertEntity(crate::strategies::EntitySpec),
    InsertRelation(RelationSpec),
    ReplaceEntity(usize, crate::strategies::EntitySpec),
    ReplaceRelation(usize, RelationSpec),
    /// A batch that removes an entity and a relation, then fails.
    FailedBatch(usize, usize),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0usize..64).prop_map(Op::RemoveEntity),
        (0usize..64).prop_map(Op::RemoveRelation),
        entity_spec().prop_map(Op::InsertEntity),
        relation_spec().prop_map(Op::InsertRelation),
        (0usize..64, entity_spec()).prop_map(|(i, s)| Op::ReplaceEntity(i, s)),
        (0usize..64, relation_spec()).prop_map(|(i, s)| Op::ReplaceRelation(i, s)),
        (0usize..64, 0usize..64).prop_map(|(i, j)| Op::FailedBatch(i, j)),
    ]
}

/// One rule to break in a valid data set.
#[derive(Debug, Clone, Copy)]
enum Break {
    MalformedEntityId,
    InvalidStartDate,
    UnknownRelationKind,
    DuplicateRelationId,
    UnknownTo,
    UnknownSource,
    StartAfterEnd,
    SelfRelation,
    MissingSource,
    EndpointKind,
    RenewsUnknown,
}

fn a_break() -> impl Strategy<Value = Break> {
    prop::sample::select(
        &[
            Break::MalformedEntityId,
            Break::InvalidStartDate,
            Break::UnknownRelationKind,
            Break::DuplicateRelationId,
            Break::UnknownTo,
            Break::UnknownSource,
            Break::StartAfterEnd,
            Break::SelfRelation,
            Break::MissingSource,
            Break::EndpointKind,
            Break::RenewsUnknown,
        ][..],
    )
}

/// Breaks one rule in `data`; returns the rule and which field the error
/// must point at, or `None` if the data set has nothing to break it on.
fn apply(
    data: &mut Dataset,
    b: Break,
    i: usize,
) -> Option<(Rule, (&'static str, usize, &'static str))> {
    if let Break::MalformedEntityId = b {
        let i = i % data.entities.len();
        data.entities[i].id = "Bad Id".into();
        return Some((Rule::MalformedId, ("entity", i, "id")));
    }
    if data.relations.is_empty() {
        return None;
    }
    let i = i % data.relations.len();
    let r = &mut data.relations[i];
    Some(match b {
        Break::MalformedEntityId => return None,
        Break::InvalidStartDate => {
            r.start = Some("2023-02-29".into());
            (Rule::InvalidDate, ("relation", i, "start"))
        }
        Break::UnknownRelationKind => {
            r.kind = "memorandum".into();
            (Rule::UnknownTerm, ("relation", i, "kind"))
        }
        Break::DuplicateRelationId => {
            if i == 0 {
                return None;
            }
            data.relations[i].id = data.relations[0].id.clone();
            (Rule::DuplicateId, ("relation", i, "id"))
        }
        Break::UnknownTo => {
            r.to = "nobody".into();
            (Rule::UnknownEntity, ("relation", i, "to"))
        }
        Break::UnknownSource => {
            r.sources[0] = "s-missing".into();
            (Rule::UnknownSource, ("relation", i, "sources[0]"))
        }
        Break::StartAfterEnd => {
            r.start = Some("2031".into());
            r.end = Some("2030-12-31".into());
            (Rule::StartAfterEnd, ("relation", i, "start"))
        }
        Break::SelfRelation => {
            r.to = r.from.clone();
            (Rule::SelfRelation, ("relation", i, "to"))
        }
        Break::MissingSource => {
            r.sources.clear();
            (Rule::MissingSource, ("relation", i, "id"))
        }
        Break::EndpointKind => {
            let to_kind = data
                .entities
                .iter()
                .find(|e| e.id == data.relations[i].to)
                .map(|e| e.kind);
            if to_kind == Some(EntityKind::City) {
                return None;
            }
            let r = &mut data.relations[i];
            r.kind = "located-in".into();
            r.renews = None;
            (Rule::EndpointKind, ("relation", i, "kind"))
        }
        Break::RenewsUnknown => {
            r.kind = "renewal".into();
            r.renews = Some("r-missing".into());
            (Rule::UnknownRelation, ("relation", i, "renews"))
        }
    })
}

/// The graph built from `data` with the public insert methods, or `None`
/// if any value or insertion is refused.
fn inserted(data: &crate::strategies::Dataset) -> Option<HealthGraph> {
    use healthgraph::Source;
    let mut g = HealthGraph::new();
    for (id, published) in &data.sources {
        let source = Source::new(
            id.parse().ok()?,
            format!("Source {id}"),
            published.date(),
            "vi",
        );
        g.insert_source(source.ok()?).ok()?;
    }
    for e in &data.entities {
        let mut entity = Entity::new(e.id.parse().ok()?, e.kind, e.name.clone())
            .add_source(e.source.parse().ok()?);
        if let Some(c) = e.country {
            entity = entity.with_country(c.parse().ok()?);
        }
        if let Some(f) = crate::strategies::former_of(e) {
            entity = entity.add_former_name(f);
        }
        g.insert_entity(entity).ok()?;
    }
    for r in &data.relations {
        let mut b = Relation::builder(
            r.id.as_str(),
            r.kind.parse().ok()?,
            r.from.as_str(),
            r.to.as_str(),
        )
        .status(r.status)
        .basis(r.basis);
        if let Some(s) = &r.start {
            b = b.start(s.parse().ok()?);
        }
        if let Some(e) = &r.end {
            b = b.end(e.parse().ok()?);
        }
        if let Some(t) = &r.renews {
            b = b.renews(t.as_str());
        }
        if let Some(t) = &r.amends {
            b = b.amends(t.as_str());
        }
        if let Some(t) = &r.supersedes {
            b = b.supersedes(t.as_str());
        }
        if let Some(c) = crate::strategies::claim_of(r) {
            b = b.add_claim(c);
        }
        for s in &r.sources {
            b = b.add_source(s.as_str());
        }
        g.insert_relation(b.build().ok()?).ok()?;
    }
    Some(g)
}

/// Breadth-first distances over the view's relations, written plainly,
/// following relations the way `dir` allows (symmetric ones both ways).
fn bfs(view: &View<'_>, dir: Direction, from: &str, limit: usize) -> HashMap<String, usize> {
    let mut adjacency: HashMap<String, Vec<String>> = HashMap::new();
    for r in view.relations() {
        let (a, b) = (r.from().to_string(), r.to().to_string());
        let forward = dir != Direction::Incoming || r.kind().is_symmetric();
        let backward = dir != Direction::Outgoing || r.kind().is_symmetric();
        if forward {
            adjacency.entry(a.clone()).or_default().push(b.clone());
        }
        if backward {
            adjacency.entry(b).or_default().push(a);
        }
    }
    let mut dist = HashMap::new();
    if !view.contains_entity(from) {
        return dist;
    }
    dist.insert(from.to_owned(), 0);
    let mut queue = VecDeque::from([from.to_owned()]);
    while let Some(u) = queue.pop_front() {
        let d = dist[&u];
        if d == limit {
            continue;
        }
        for v in adjacency.get(&u).cloned().unwrap_or_default() {
            if !dist.contains_key(&v) {
                dist.insert(v.clone(), d + 1);
                queue.push_back(v);
            }
        }
    }
    dist
}

fn with_filter<'g>(graph: &'g HealthGraph, f: &FilterSpec) -> View<'g> {
    graph.view(f.filter())
}

fn ids(entities: &[&Entity]) -> Vec<String> {
    entities.iter().map(|e| e.id().to_string()).collect()
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn invariants_hold_after_building(data in dataset()) {
        let graph = data.graph();
        prop_assert_eq!(check_invariants(&graph), Ok(()));
        prop_assert_eq!(graph.relation_count(), data.relations.len());
    }

    #[test]
    fn invariants_hold_after_any_sequence_of_insertions_removals_replacements_and_failed_batches(
        data in dataset(),
        ops in prop::collection::vec(op(), 1..20),
    ) {
        let mut graph = data.graph();
        let mut fresh = 0;
        for op in ops {
            match op {
                Op::RemoveEntity(i) => {
                    let Some(id) = graph.entities().nth(i % graph.entity_count().max(1)).map(|e| e.id().to_string()) else { continue };
                    let before = graph.relation_count();
                    // Refused exactly when an agreement of other parties
                    // supersedes one of its agreements; then nothing changes.
                    let blocked = graph.relations_of(&id).any(|r| {
                        graph.relations().any(|n| {
                            n.supersedes() == Some(r.id()) && n.other(&id).is_none()
                        })
                    });
                    let (removed, relations) = match graph.remove_entity(&id) {
                        Ok(done) => done,
                        Err(e) => {
                            prop_assert!(blocked && e.has(Rule::StillReferenced), "{}", e);
                            prop_assert_eq!(graph.relation_count(), before);
                            continue;
                        }
                    };
                    prop_assert!(!blocked);
                    prop_assert_eq!(removed.id().as_str(), id.as_str());
                    prop_assert!(relations.iter().all(|r| r.other(&id).is_some()));
                    prop_assert_eq!(graph.relation_count(), before - relations.len());
                    prop_assert!(graph.relations().all(|r| r.other(&id).is_none()));
                }
                Op::RemoveRelation(i) => {
                    let Some(id) = graph.relations().nth(i % graph.relation_count().max(1)).map(|r| r.id().to_string()) else { continue };
                    let before = graph.relation_count();
                    match graph.remove_relation(&id) {
                        Ok(r) => prop_assert_eq!(r.id().as_str(), id.as_str()),
                        Err(e) => {
                            prop_assert_eq!(e.problems()[0].rule(), Rule::StillReferenced);
                            prop_assert!(graph.relations().any(|r| r.links().any(|(_, t)| t == id.as_str())));
                            prop_assert_eq!(graph.relation_count(), before);
                        }
                    }
                }
                Op::InsertEntity(spec) => {
                    fresh += 1;
                    let source = graph.sources().next().unwrap().id().clone();
                    let e = Entity::new(format!("n{fresh}").parse().unwrap(), spec.kind, format!("New {fresh}")).add_source(source);
                    graph.insert_entity(e).unwrap();
                }
                Op::ReplaceEntity(i, spec) => {
                    let Some(old) = graph.entities().nth(i % graph.entity_count().max(1)).cloned() else { continue };
                    let new = Entity::new(old.id().clone(), spec.kind, format!("Renamed {i}"))
                        .add_source(old.sources()[0].clone());
                    match graph.replace_entity(new) {
                        Ok(previous) => prop_assert!(previous == old),
                        Err(e) => {
                            prop_assert!(e.has(Rule::EndpointKind), "{}", e);
                            prop_assert!(graph.entity(old.id().as_str()) == Some(&old));
                        }
                    }
                }
                Op::ReplaceRelation(i, spec) => {
                    let Some(old) = graph.relations().nth(i % graph.relation_count().max(1)).cloned() else { continue };
                    let entities: Vec<String> = graph.entities().map(|e| e.id().to_string()).collect();
                    let mut b = Relation::builder(
                        old.id().clone(),
                        spec.kind,
                        entities[spec.from % entities.len()].as_str(),
                        entities[spec.to % entities.len()].as_str(),
                    ).status(spec.status).add_source(old.sources()[0].clone());
                    if spec.kind == RelationKind::Renewal {
                        if let Some(t) = graph.relations().find(|r| r.id() != old.id()) { b = b.renews(t.id().clone()); }
                    }
                    let Ok(new) = b.build() else { continue };
                    let before = graph.relation_count();
                    match graph.replace_relation(new) {
                        Ok(previous) => prop_assert!(previous == old),
                        Err(_) => prop_assert!(graph.relation(old.id().as_str()) == Some(&old)),
                    }
                    prop_assert_eq!(graph.relation_count(), before);
                }
                Op::FailedBatch(i, j) => {
                    let before = graph.clone();
                    let entity = graph.entities().nth(i % graph.entity_count().max(1)).map(|e| e.id().to_string());
                    let relation = graph.relations().nth(j % graph.relation_count().max(1)).map(|r| r.id().to_string());
                    let result = graph.edit(|edits| {
                        if let Some(r) = &relation {
                            // May be refused (a renewal renews it): the batch goes on.
                            let _ = edits.remove_relation(r);
                        }
                        if let Some(e) = &entity {
                            edits.remove_entity(e)?;
                        }
                        edits.remove_entity("no-such-entity-at-all")
                    });
                    prop_assert!(result.is_err());
                    prop_assert!(graph == before, "the failed batch left changes");
                }
                Op::InsertRelation(spec) => {
                    // Endpoints drawn from the current entities; the graph decides.
                    let entities: Vec<String> = graph.entities().map(|e| e.id().to_string()).collect();
                    if entities.is_empty() { continue }
                    fresh += 1;
                    let mut b = Relation::builder(
                        format!("n{fresh}"),
                        spec.kind,
                        entities[spec.from % entities.len()].as_str(),
                        entities[spec.to % entities.len()].as_str(),
                    ).status(spec.status).add_source(graph.sources().next().unwrap().id().clone());
                    if spec.kind == RelationKind::Renewal {
                        if let Some(t) = graph.relations().next() { b = b.renews(t.id().clone()); }
                    }
                    let before = graph.relation_count();
                    match b.build().and_then(|r| graph.insert_relation(r)) {
                        Ok(()) => prop_assert_eq!(graph.relation_count(), before + 1),
                        Err(_) => prop_assert_eq!(graph.relation_count(), before),
                    }
                }
            }
            prop_assert_eq!(check_invariants(&graph), Ok(()));
        }
    }

    #[test]
    fn a_data_set_that_breaks_one_rule_is_rejected_with_that_rule_and_location(
        mut data in dataset(),
        b in a_break(),
        i in 0usize..64,
    ) {
        let Some((rule, field)) = apply(&mut data, b, i) else { return Ok(()) };
        let (text, positions) = data.ron();
        let err = match HealthGraph::from_ron_str(&text) {
            Ok(_) => return Err(TestCaseError::fail(format!("{b:?} was accepted:\n{text}"))),
            Err(e) => e,
        };
        let (line, column) = positions[&field];
        let found = err.problems().iter().any(|p| {
            p.rule() == rule && p.location().is_some_and(|l| (l.line(), l.column()) == (line, column))
        });
        prop_assert!(found, "{:?}: expected {:?} at {}:{}, got:\n{}", b, rule, line, column, err);
    }

    #[test]
    fn save_then_load_gives_an_equal_graph_and_saving_twice_gives_identical_bytes(data in dataset()) {
        let graph = data.graph();
        let text = graph.to_ron_string().unwrap();
        let again = HealthGraph::from_ron_str(&text).unwrap();
        prop_assert!(again == graph);
        prop_assert_eq!(again.to_ron_string().unwrap(), text);
        // The test's own writer and the library's agree on what the data is.
        let (ours, _) = data.ron();
        prop_assert!(HealthGraph::from_ron_str(&ours).unwrap() == graph);
    }

    #[test]
    fn ron_then_snapshot_then_graph_gives_an_equal_graph(data in dataset()) {
        let (text, _) = data.ron();
        let graph = HealthGraph::from_ron_str(&text).unwrap();
        let mut bytes = Vec::new();
        graph.write_snapshot(&mut bytes).unwrap();
        let again = HealthGraph::from_snapshot(&bytes).unwrap();
        prop_assert!(again == graph);
        // The snapshot lays out the relations' id order from the order it
        // wrote them in, sorting nothing: the same order as sorting the ids.
        let ids = |g: &HealthGraph| -> Vec<String> { g.relations().map(|r| r.id().to_string()).collect() };
        prop_assert_eq!(ids(&again), ids(&graph));
        // The snapshot hands its query index the links by number: the same
        // links as found by id.
        for r in graph.relations() {
            let next = |g: &HealthGraph| -> Vec<(healthgraph::Link, String)> {
                g.continued_by(r.id().as_str())
                    .into_iter()
                    .map(|(link, n)| (link, n.id().to_string()))
                    .collect()
            };
            prop_assert_eq!(next(&again), next(&graph), "{}", r.id());
        }
        let mut twice = Vec::new();
        again.write_snapshot(&mut twice).unwrap();
        prop_assert!(twice == bytes, "the same graph gives the same bytes");
    }

    #[test]
    fn ron_then_json_then_graph_gives_an_equal_graph_and_json_that_validates(data in dataset()) {
        let (text, _) = data.ron();
        let graph = HealthGraph::from_ron_str(&text).unwrap();
        let mut json = Vec::new();
        graph.write_json(&mut json).unwrap();
        let json = String::from_utf8(json).unwrap();
        prop_assert_eq!(crate::json::check_schema(&serde_json::from_str(&json).unwrap()), Ok(()));
        let again = HealthGraph::from_json_str(&json).unwrap();
        prop_assert!(again == graph);
    }

    #[test]
    fn ron_then_csv_then_graph_gives_an_equal_graph(data in dataset()) {
        let (text, _) = data.ron();
        let graph = HealthGraph::from_ron_str(&text).unwrap();
        let dir = std::env::temp_dir().join(format!(
            "healthgraph-prop-csv-{}-{:?}",
            std::process::id(),
            std::thread::current().id()
        ));
        graph.write_csv(&dir).unwrap();
        let again = HealthGraph::load(&dir);
        std::fs::remove_dir_all(&dir).ok();
        prop_assert!(again.unwrap() == graph);
    }

    #[test]
    fn changing_one_byte_of_a_snapshot_gives_an_error_or_the_same_graph(
        data in dataset(),
        at in any::<prop::sample::Index>(),
        to in any::<u8>(),
    ) {
        let graph = data.graph();
        let mut bytes = Vec::new();
        graph.write_snapshot(&mut bytes).unwrap();
        let i = at.index(bytes.len());
        bytes[i] = to;
        match HealthGraph::from_snapshot(&bytes) {
            Ok(again) => prop_assert!(again == graph, "byte {} changed to {}: a different graph", i, to),
            Err(e) => prop_assert!(e.has(Rule::Snapshot), "{}", e),
        }
    }

    #[test]
    fn the_loader_accepts_exactly_what_the_insert_methods_accept(
        mut data in dataset(),
        b in a_break(),
        i in 0usize..64,
        broken in any::<bool>(),
    ) {
        if broken {
            apply(&mut data, b, i);
        }
        let (text, _) = data.ron();
        let loaded = HealthGraph::from_ron_str(&text).ok();
        let inserted = inserted(&data);
        prop_assert_eq!(loaded.is_some(), inserted.is_some(), "{:?}:\n{}", b, text);
        if let (Some(l), Some(i)) = (loaded, inserted) {
            prop_assert!(l == i);
        }
    }

    #[test]
    fn every_relation_in_a_result_passes_the_filter_and_is_in_the_unfiltered_result(
        data in dataset(),
        f in filter_spec(),
        at in 0usize..64,
    ) {
        let graph = data.graph();
        let view = with_filter(&graph, &f);
        let all = graph.view(healthgraph::Filter::new());
        let id = graph.entities().nth(at % graph.entity_count()).unwrap().id().to_string();
        let unfiltered: HashSet<&str> = all.partners(&id).unwrap().iter().flat_map(|p| p.relations().iter().map(|r| r.id().as_str())).collect();
        if !view.contains_entity(&id) {
            // One answer from every query about an entity the filter hides.
            let hidden = |e: Result<(), healthgraph::Error>| e.is_err_and(|e| e.has(Rule::HiddenEntity));
            prop_assert!(hidden(view.partners(&id).map(|_| ())));
            prop_assert!(hidden(view.timeline(&id).map(|_| ())));
            prop_assert!(hidden(view.neighbourhood(&id, 1).map(|_| ())));
            prop_assert!(hidden(view.within(&id, 1).map(|_| ())));
            prop_assert!(hidden(view.degree(&id).map(|_| ())));
            prop_assert!(hidden(view.shortest_path(&id, &id).map(|_| ())));
            return Ok(());
        }
        for p in view.partners(&id).unwrap() {
            prop_assert!(view.contains_entity(p.entity().id().as_str()));
            for r in p.relations() {
                prop_assert!(view.contains_relation(r));
                prop_assert!(unfiltered.contains(r.id().as_str()));
            }
        }
        for r in view.timeline(&id).unwrap() {
            prop_assert!(view.contains_relation(r));
        }
        {
            let ego = view.neighbourhood(&id, 2).unwrap();
            let big = all.neighbourhood(&id, 2).unwrap();
            for r in ego.relations() {
                prop_assert!(view.contains_relation(r));
                prop_assert!(big.relations().iter().any(|x| x.id() == r.id()));
            }
        }
    }

    #[test]
    fn neighbourhoods_grow_with_depth_and_distances_agree_with_bfs(
        data in dataset(),
        f in filter_spec(),
        at in 0usize..64,
        depth in 0usize..4,
    ) {
        let graph = data.graph();
        let view = with_filter(&graph, &f);
        let visible: Vec<String> = view.entities().map(|e| e.id().to_string()).collect();
        if visible.is_empty() {
            return Ok(());
        }
        let id = visible[at % visible.len()].clone();
        let small = view.neighbourhood(&id, depth).unwrap();
        let large = view.neighbourhood(&id, depth + 1).unwrap();
        for (e, d) in small.members() {
            prop_assert_eq!(large.distance(e.id().as_str()), Some(*d));
        }
        let expected = bfs(&view, f.direction, &id, depth);
        let got: HashMap<String, usize> = small.members().iter().map(|(e, d)| (e.id().to_string(), *d)).collect();
        prop_assert_eq!(&got, &expected);
        let within: HashMap<String, usize> = view.within(&id, depth).unwrap().iter().map(|(e, d)| (e.id().to_string(), *d)).collect();
        prop_assert_eq!(&within, &expected);
        // A view with its steps listed once walks the same graph.
        let indexed = view.clone().indexed();
        let listed: HashMap<String, usize> = indexed.within(&id, depth).unwrap().iter().map(|(e, d)| (e.id().to_string(), *d)).collect();
        prop_assert_eq!(listed, expected);
    }

    #[test]
    fn shortest_paths_are_breadth_first_distances_made_of_view_relations(
        data in dataset(),
        f in filter_spec(),
        a in 0usize..64,
        b in 0usize..64,
    ) {
        let graph = data.graph();
        let view = with_filter(&graph, &f);
        let n = graph.entity_count();
        let from = graph.entities().nth(a % n).unwrap().id().to_string();
        let to = graph.entities().nth(b % n).unwrap().id().to_string();
        if !view.contains_entity(&from) || !view.contains_entity(&to) {
            let err = view.shortest_path(&from, &to).unwrap_err();
            prop_assert!(err.has(Rule::HiddenEntity));
            return Ok(());
        }
        let dist = bfs(&view, f.direction, &from, usize::MAX);
        let path = view.shortest_path(&from, &to).unwrap();
        prop_assert_eq!(path.as_ref().map(|p| p.len()), dist.get(&to).copied());
        let indexed = view.clone().indexed().shortest_path(&from, &to).unwrap();
        prop_assert_eq!(indexed.map(|p| p.len()), dist.get(&to).copied());
        if let Some(p) = &path {
            let entities = ids(&p.entities());
            prop_assert_eq!(entities.first(), Some(&from));
            prop_assert_eq!(entities.last(), Some(&to));
            for (hop, pair) in p.hops().iter().zip(entities.windows(2)) {
                prop_assert!(!hop.relations().is_empty());
                for r in hop.relations() {
                    prop_assert!(view.contains_relation(r));
                    prop_assert!(r.joins(&pair[0], &pair[1]));
                    // The hop goes the way the filter's direction allows.
                    let forward = r.from() == pair[0].as_str();
                    let allowed = r.kind().is_symmetric() || match f.direction {
                        Direction::Outgoing => forward,
                        Direction::Incoming => !forward,
                        _ => true,
                    };
                    prop_assert!(allowed, "{} crossed the wrong way", r.id());
                }
            }
        }
        // With both directions, a path exists exactly when both are in one component.
        if f.direction == Direction::Both && view.contains_entity(&from) && view.contains_entity(&to) {
            let same = view.components().iter().any(|c| {
                c.iter().any(|e| e.id() == from.as_str()) && c.iter().any(|e| e.id() == to.as_str())
            });
            prop_assert_eq!(same, path.is_some());
        }
        let k = view.shortest_paths(&from, &to, 4).unwrap();
        prop_assert_eq!(k.first().map(|p| p.len()), dist.get(&to).copied());
        let routes: Vec<Vec<String>> = k.iter().map(|p| ids(&p.entities())).collect();
        prop_assert!(k.windows(2).all(|w| w[0].len() <= w[1].len()), "not in order: {:?}", routes);
        let distinct: HashSet<&Vec<String>> = routes.iter().collect();
        prop_assert_eq!(distinct.len(), routes.len());
        for r in &routes {
            let unique: HashSet<&String> = r.iter().collect();
            prop_assert_eq!(unique.len(), r.len(), "not simple: {:?}", r);
        }
        let bounded = view.paths(&from, &to, 3).unwrap();
        for p in &bounded {
            let r = ids(&p.entities());
            prop_assert!(p.len() <= 3);
            prop_assert_eq!(r.iter().collect::<HashSet<_>>().len(), r.len());
        }
        match dist.get(&to) {
            Some(&d) if d <= 3 => prop_assert_eq!(bounded.first().map(|p| p.len()), Some(d)),
            _ => prop_assert!(bounded.is_empty()),
        }
        // In order (length, then the ids along the path), each once, and a
        // limit gives the first ones of that order.
        let keys: Vec<(usize, Vec<String>)> =
            bounded.iter().map(|p| (p.len(), ids(&p.entities()))).collect();
        prop_assert!(keys.windows(2).all(|w| w[0] < w[1]), "not in order: {:?}", keys);
        // Yen's k shortest have the lengths of the k shortest simple paths.
        let every = view.paths_limited(&from, &to, view.entities().count(), 64).unwrap();
        let want: Vec<usize> = every.iter().take(4).map(|p| p.len()).collect();
        prop_assert_eq!(k.iter().map(|p| p.len()).collect::<Vec<_>>(), want);
        // Found one at a time, the first four are the same four paths.
        let mut one_by_one: Vec<(usize, Vec<String>)> = view
            .shortest_simple_paths(&from, &to)
            .unwrap()
            .take(4)
            .map(|p| (p.len(), ids(&p.entities())))
            .collect();
        prop_assert!(one_by_one.windows(2).all(|w| w[0].0 <= w[1].0), "not shortest first: {:?}", one_by_one);
        one_by_one.sort();
        let sorted: Vec<(usize, Vec<String>)> = k.iter().map(|p| (p.len(), ids(&p.entities()))).collect();
        prop_assert_eq!(one_by_one, sorted);
        for limit in [0, 1, 2, 5] {
            let first = view.paths_limited(&from, &to, 3, limit).unwrap();
            let first: Vec<(usize, Vec<String>)> =
                first.iter().map(|p| (p.len(), ids(&p.entities()))).collect();
            prop_assert_eq!(&first[..], &keys[..limit.min(keys.len())]);
        }
    }

    #[test]
    fn partners_are_symmetric_when_direction_is_ignored(data in dataset(), mut f in filter_spec()) {
        f.direction = Direction::Both;
        let graph = data.graph();
        let view = with_filter(&graph, &f);
        for e in view.entities() {
            for p in view.partners(e.id().as_str()).unwrap() {
                let back = view.partners(p.entity().id().as_str()).unwrap();
                let mirror = back.iter().find(|q| q.entity().id() == e.id());
                prop_assert!(mirror.is_some());
                let there: Vec<&str> = p.relations().iter().map(|r| r.id().as_str()).collect();
                let mut back_ids: Vec<&str> = mirror.unwrap().relations().iter().map(|r| r.id().as_str()).collect();
                let mut there_sorted = there.clone();
                there_sorted.sort_unstable();
                back_ids.sort_unstable();
                prop_assert_eq!(there_sorted, back_ids);
            }
        }
    }

    #[test]
    fn in_force_agrees_with_period_bounds_and_statuses(data in dataset(), on in crate::strategies::date_spec()) {
        let graph = data.graph();
        let view = graph.view(healthgraph::Filter::new());
        let date = on.date();
        for r in graph.relations() {
            let force = view.force(r, date);
            if !matches!(r.status(), Status::Signed | Status::Ongoing) || !r.kind().is_agreement() {
                prop_assert_eq!(force, Force::NotInForce, "{} is a {} {}", r.id(), r.status(), r.kind());
            }
            if force == Force::InForce {
                let (s, e) = (r.start().unwrap(), r.end().unwrap());
                prop_assert!(s.last_day() <= date.first_day() && date.last_day() <= e.first_day());
            }
            if r.start().is_some_and(|s| date.last_day() < s.first_day()) || r.end().is_some_and(|e| date.first_day() > e.last_day()) {
                prop_assert_eq!(force, Force::NotInForce);
            }
        }
        let listed = view.in_force(date);
        for r in listed.in_force() {
            prop_assert_eq!(view.force(r, date), Force::InForce);
        }
        for r in listed.unknown() {
            prop_assert_eq!(view.force(r, date), Force::Unknown);
            prop_assert!(r.status() != Status::Proposed);
        }
    }

    #[test]
    fn force_changes_give_the_force_of_every_day(data in dataset(), on in crate::strategies::date_spec()) {
        let graph = data.graph();
        let view = graph.view(healthgraph::Filter::new());
        // Every day of the date asked about (a year, a month or one day).
        let (mut day, last) = (on.date().first_day(), on.date().last_day());
        loop {
            for r in graph.relations().filter(|r| r.kind().is_agreement()) {
                let steps = view.force_changes(r);
                let at = steps.iter().rev().find(|(from, _)| from.is_none_or(|f| f <= day)).map(|(_, f)| *f);
                prop_assert_eq!(at, Some(view.force(r, day)), "{} on {}: {:?}", r.id(), day, steps);
            }
            if day == last { break; }
            day = next(day);
        }
    }

    #[test]
    fn changes_are_what_a_scan_finds_and_adjacent_windows_add_up(
        data in dataset(),
        dates in [crate::strategies::date_spec(), crate::strategies::date_spec(), crate::strategies::date_spec()],
        f in filter_spec(),
    ) {
        let graph = data.graph();
        let view = with_filter(&graph, &f);
        let mut days: Vec<healthgraph::Date> = dates.iter().map(|d| d.date().first_day()).collect();
        days.sort();
        let (a, middle, b) = (days[0], days[1], days[2]);
        let whole = view.changes(a, b);
        // Against a scan of every relation of the view.
        let within = |d: Option<healthgraph::Date>| {
            d.filter(|d| d.last_day() >= a && d.first_day() <= b)
                .map(|d| if d.first_day() >= a && d.last_day() <= b { Certainty::Surely } else { Certainty::Maybe })
        };
        // Each change with its date: the relation's start, its end, or the
        // earliest (then the most precise) publication date of its sources.
        type Listed = Vec<(String, healthgraph::Date, Certainty)>;
        let (mut began, mut ended, mut reported): (Listed, Listed, Listed) = Default::default();
        for r in view.relations() {
            let first_report = r
                .sources()
                .iter()
                .filter_map(|s| graph.source(s.as_str()))
                .map(|s| s.published())
                .min_by_key(|d| (d.first_day(), d.last_day()));
            for (date, list) in [(r.start(), &mut began), (r.end(), &mut ended), (first_report, &mut reported)] {
                if let Some((d, c)) = date.and_then(|d| Some((d, within(Some(d))?))) {
                    list.push((r.id().to_string(), d, c));
                }
            }
        }
        let found = |lists: &[&[healthgraph::Change<'_>]]| {
            let mut v: Listed = lists
                .iter()
                .flat_map(|l| l.iter())
                .map(|c| (c.relation().id().to_string(), c.date(), c.certainty()))
                .collect();
            v.sort();
            // An agreement that both renews and supersedes is in two lists.
            v.dedup();
            v
        };
        began.sort();
        ended.sort();
        reported.sort();
        prop_assert_eq!(found(&[whole.began(), whole.renewed(), whole.amended(), whole.superseded()]), began);
        prop_assert_eq!(found(&[whole.ended()]), ended);
        prop_assert_eq!(found(&[whole.reported()]), reported);
        // Two adjacent windows: their day-precise changes are the whole's,
        // each in exactly one of them; nothing in a half is missing from the whole.
        let (left, right) = (view.changes(a, middle), view.changes(next(middle), b));
        let day_precise = |list: &[healthgraph::Change<'_>]| -> Vec<String> {
            let mut v: Vec<String> = list
                .iter()
                .filter(|c| c.date().precision() == healthgraph::Precision::Day)
                .map(|c| c.relation().id().to_string())
                .collect();
            v.sort();
            v
        };
        if middle < b {
            for (l, r, w) in [
                (left.began(), right.began(), whole.began()),
                (left.ended(), right.ended(), whole.ended()),
                (left.renewed(), right.renewed(), whole.renewed()),
                (left.amended(), right.amended(), whole.amended()),
                (left.superseded(), right.superseded(), whole.superseded()),
                (left.reported(), right.reported(), whole.reported()),
            ] {
                let mut halves = day_precise(l);
                halves.extend(day_precise(r));
                halves.sort();
                prop_assert_eq!(halves, day_precise(w));
            }
        }
    }

    #[test]
    fn chronological_paths_are_time_respecting_and_shortest_among_those(
        data in dataset(),
        f in filter_spec(),
        window in prop::option::of((crate::strategies::date_spec(), crate::strategies::date_spec())),
        gap in prop::option::of(0u32..800),
        a in 0usize..64,
        b in 0usize..64,
    ) {
        let graph = data.graph();
        let mut filter = f.filter();
        let window = window.map(|(x, y)| {
            let (x, y) = (x.date().first_day(), y.date().first_day());
            if x <= y { (x, y) } else { (y, x) }
        });
        if let Some((x, y)) = window {
            filter = filter.during(x, y);
        }
        let view = graph.view(filter);
        let n = graph.entity_count();
        let from = graph.entities().nth(a % n).unwrap().id().to_string();
        let to = graph.entities().nth(b % n).unwrap().id().to_string();
        if !view.contains_entity(&from) || !view.contains_entity(&to) || from == to {
            return Ok(());
        }
        let days = |r: &Relation| r.start().map(|s| (s.first_day(), s.last_day()));
        // A date as a day number, by jiff rather than by the library.
        let number = |d: healthgraph::Date| -> i32 {
            let j = jiff::civil::Date::new(d.year(), d.month().unwrap() as i8, d.day().unwrap() as i8).unwrap();
            j.since((jiff::Unit::Day, jiff::civil::date(1970, 1, 1))).unwrap().get_days()
        };
        // The days relation `y` can be read as starting on after a hop read
        // as one of the days `before` (any day for the first hop): no
        // earlier, and within the gap.
        let follow = |before: Option<(i32, i32)>, y: &Relation| -> Option<(i32, i32)> {
            let (f, l) = days(y).map(|(f, l)| (number(f), number(l)))?;
            let (lo, hi) = match before {
                None => (f, l),
                Some((p, q)) => (p.max(f), gap.map_or(l, |g| l.min(q + g as i32))),
            };
            (lo <= hi).then_some((lo, hi))
        };
        // Whether one relation per hop, from `hops`, has a reading of its
        // starts (one day each) in time order.
        let in_order = |hops: &[Vec<&Relation>]| -> bool {
            let mut readings: Vec<Option<(i32, i32)>> = vec![None];
            for hop in hops {
                readings = readings
                    .iter()
                    .flat_map(|&b| hop.iter().filter_map(move |y| follow(b, y)))
                    .map(Some)
                    .collect();
                readings.sort();
                readings.dedup();
            }
            !readings.is_empty()
        };
        let found = view.chronological_path(&from, &to, gap).unwrap();
        // Without a gap the search runs from both ends in time order; with
        // a gap no wait can exceed, one way over readings: the same length.
        if gap.is_none() {
            let one_way = view.chronological_path(&from, &to, Some(u32::MAX)).unwrap();
            prop_assert_eq!(found.as_ref().map(|p| p.len()), one_way.map(|p| p.len()));
        }
        if let Some(p) = &found {
            prop_assert!(p.is_chronological());
            let crossed: Vec<&Relation> = p.hops().iter().map(|h| h.relation()).collect();
            for r in &crossed {
                prop_assert!(r.start().is_some());
                prop_assert!(view.contains_relation(r));
                // A chronological path under a window is a `during` path of it.
                if let Some((x, y)) = window {
                    prop_assert!(graph.view(Filter::new().during(x, y)).contains_relation(r));
                }
            }
            let one_each: Vec<Vec<&Relation>> = crossed.iter().map(|r| vec![*r]).collect();
            prop_assert!(in_order(&one_each), "{:?}", crossed.iter().map(|r| r.id()).collect::<Vec<_>>());
            for pair in crossed.windows(2) {
                if p.certainty() == Some(Certainty::Surely) {
                    let (x, y) = (days(pair[0]).unwrap(), days(pair[1]).unwrap());
                    prop_assert!(y.0 >= x.1);
                }
            }
        }
        // Against every simple path of up to 5 hops: the fewest hops of any
        // that has a time-respecting choice of relations.
        let mut fewest: Option<usize> = None;
        for p in view.paths(&from, &to, 5).unwrap() {
            let hops: Vec<Vec<&Relation>> = p.hops().iter().map(|h| h.relations().to_vec()).collect();
            if in_order(&hops) {
                fewest = Some(fewest.map_or(p.len(), |f| f.min(p.len())));
            }
        }
        match found {
            Some(p) if p.len() <= 5 => prop_assert_eq!(Some(p.len()), fewest),
            _ => prop_assert_eq!(fewest, None),
        }
    }

    #[test]
    fn chronological_paths_from_both_ends_match_the_one_way_search(
        spec in crate::strategies::spec(40, 160),
        f in filter_spec(),
        pairs in prop::collection::vec((0usize..64, 0usize..64), 8),
    ) {
        // Larger graphs than the exhaustive check above can enumerate: the
        // search from both ends in time order (no gap) must find paths
        // exactly as long as the one-way search over readings does (a gap
        // no wait can exceed), and each must have one reading in order.
        let data = Dataset::resolve(&spec);
        let graph = data.graph();
        let view = with_filter(&graph, &f);
        let n = graph.entity_count();
        let number = |d: healthgraph::Date| -> i32 {
            let j = jiff::civil::Date::new(d.year(), d.month().unwrap() as i8, d.day().unwrap() as i8).unwrap();
            j.since((jiff::Unit::Day, jiff::civil::date(1970, 1, 1))).unwrap().get_days()
        };
        for (a, b) in pairs {
            let from = graph.entities().nth(a % n).unwrap().id().to_string();
            let to = graph.entities().nth(b % n).unwrap().id().to_string();
            if !view.contains_entity(&from) || !view.contains_entity(&to) {
                continue;
            }
            let both = view.chronological_path(&from, &to, None).unwrap();
            let one_way = view.chronological_path(&from, &to, Some(u32::MAX)).unwrap();
            prop_assert_eq!(both.as_ref().map(|p| p.len()), one_way.map(|p| p.len()), "{} to {}", from, to);
            if let Some(p) = both {
                let mut earliest = i32::MIN;
                for hop in p.hops() {
                    let start = hop.relation().start().unwrap();
                    earliest = earliest.max(number(start.first_day()));
                    prop_assert!(earliest <= number(start.last_day()), "{} out of order", hop.relation().id());
                }
            }
        }
    }

    #[test]
    fn a_throughout_path_is_a_during_path(
        data in dataset(),
        x in crate::strategies::date_spec(),
        y in crate::strategies::date_spec(),
        a in 0usize..64,
        b in 0usize..64,
    ) {
        let graph = data.graph();
        let (x, y) = { let (p, q) = (x.date(), y.date()); if p.first_day() <= q.first_day() { (p, q) } else { (q, p) } };
        let n = graph.entity_count();
        let from = graph.entities().nth(a % n).unwrap().id().to_string();
        let to = graph.entities().nth(b % n).unwrap().id().to_string();
        let through = graph.view(Filter::new().throughout(x, y));
        let during = graph.view(Filter::new().during(x, y));
        if let Some(p) = through.shortest_path(&from, &to).unwrap() {
            for hop in p.hops() {
                for r in hop.relations() {
                    prop_assert!(during.contains_relation(r));
                    let (f, t) = r.period().sure_days().unwrap();
                    prop_assert!(f <= x.first_day() && y.last_day() <= t);
                }
            }
            let len = p.len();
            prop_assert_eq!(p.judged_during(x, y).certainty(), Some(Certainty::Surely));
            // And a path exists in the `during` view, no longer.
            let d = during.shortest_path(&from, &to).unwrap().unwrap();
            prop_assert!(d.len() <= len);
        }
    }

    #[test]
    fn roll_up_at_a_parent_is_the_union_of_its_own_and_its_childrens(data in dataset(), f in filter_spec()) {
        let graph = data.graph();
        let view = with_filter(&graph, &f);
        for parent in graph.entities() {
            let id = parent.id().as_str();
            let up: Vec<String> = view.rolled_up(id).unwrap().iter().map(|r| r.id().to_string()).collect();
            let mut union: Vec<String> = graph
                .relations_of(id)
                .filter(|r| view.contains_relation(r))
                .map(|r| r.id().to_string())
                .collect();
            for child in graph.children(id) {
                union.extend(view.rolled_up(child.id().as_str()).unwrap().iter().map(|r| r.id().to_string()));
            }
            union.sort();
            union.dedup();
            prop_assert_eq!(&up, &union, "{}", id);
            // Each rolled-up relation with one end outside the parent's
            // subtree counted once, in the cell of that end, by its kind.
            let mut inside: HashSet<String> = HashSet::from([id.to_owned()]);
            let mut queue = vec![id.to_owned()];
            while let Some(e) = queue.pop() {
                for child in graph.children(&e) {
                    if inside.insert(child.id().to_string()) {
                        queue.push(child.id().to_string());
                    }
                }
            }
            let mut want: BTreeMap<String, BTreeMap<healthgraph::RelationKind, usize>> = BTreeMap::new();
            for r in view.rolled_up(id).unwrap() {
                let partner = match (inside.contains(r.from().as_str()), inside.contains(r.to().as_str())) {
                    (true, false) => r.to(),
                    (false, true) => r.from(),
                    _ => continue,
                };
                *want.entry(partner.to_string()).or_default().entry(r.kind()).or_default() += 1;
            }
            let matrix = view.matrix(&[id], healthgraph::Columns::Entities, None).unwrap();
            let got: BTreeMap<String, BTreeMap<healthgraph::RelationKind, usize>> = matrix.rows()[0]
                .cells()
                .iter()
                .map(|(k, c)| (k.clone(), c.by_kind().clone()))
                .collect();
            prop_assert_eq!(got, want, "{}", id);
        }
    }

    #[test]
    fn what_was_known_by_a_date_is_a_valid_graph_of_what_was_published_by_then(
        data in dataset(),
        on in crate::strategies::date_spec(),
    ) {
        let graph = data.graph();
        let date = on.date();
        let then = graph.known_by(date);
        prop_assert_eq!(check_invariants(&then), Ok(()));
        let out = |s: &healthgraph::SourceId| graph.source(s.as_str()).is_some_and(|x| x.published().first_day() <= date.last_day());
        for r in graph.relations() {
            let reported = r.sources().iter().any(out)
                || r.claims().iter().any(|c| c.rank() != Rank::Deprecated && c.sources().iter().any(out));
            if reported {
                prop_assert!(then.relation(r.id().as_str()).is_some(), "{} was reported by {}", r.id(), date);
            }
        }
        // Asking again of what was known changes nothing.
        prop_assert!(then.known_by(date) == then);
    }

    #[test]
    fn lineage_never_loops_and_puts_what_is_continued_first(data in dataset()) {
        let graph = data.graph();
        for r in graph.relations().filter(|r| r.kind().is_agreement()) {
            let family = graph.lineage(r.id().as_str()).unwrap();
            let ids: Vec<&str> = family.iter().map(|x| x.id().as_str()).collect();
            let unique: HashSet<&str> = ids.iter().copied().collect();
            prop_assert_eq!(unique.len(), ids.len(), "{} repeats in {:?}", r.id(), ids);
            prop_assert!(unique.contains(r.id().as_str()));
            // Closed under links both ways, each target before what continues it.
            for (at, x) in family.iter().enumerate() {
                for (_, t) in x.links() {
                    let Some(pos) = ids.iter().position(|i| *i == t.as_str()) else {
                        return Err(TestCaseError::fail(format!("{} continues {} outside the family", x.id(), t)));
                    };
                    prop_assert!(pos < at, "{} before {}", t, x.id());
                }
                for (_, n) in graph.continued_by(x.id().as_str()) {
                    prop_assert!(unique.contains(n.id().as_str()));
                }
            }
            // The same family from any member.
            for x in &family {
                let again: Vec<&str> = graph.lineage(x.id().as_str()).unwrap().iter().map(|y| y.id().as_str()).collect();
                prop_assert_eq!(&again, &ids);
            }
        }
    }

    #[test]
    fn betweenness_counts_the_shortest_paths_through_each_entity(
        data in dataset(),
        kinds in filter_spec(),
        directed in any::<bool>(),
    ) {
        let graph = data.graph();
        // Both directions: unordered pairs, as the reference counts them;
        // one way (symmetric relations still both ways): ordered pairs.
        let mut filter = Filter::new();
        if let Some(k) = &kinds.kinds {
            filter = filter.kinds(k.iter().copied());
        }
        if directed {
            filter = filter.direction(Direction::Outgoing);
        }
        let view = graph.view(filter);
        let ids: Vec<String> = view.entities().map(|e| e.id().to_string()).collect();
        let at: HashMap<&str, usize> = ids.iter().enumerate().map(|(i, id)| (id.as_str(), i)).collect();
        let n = ids.len();
        let mut adj: Vec<HashSet<usize>> = vec![HashSet::new(); n];
        for r in view.relations() {
            let (a, b) = (at[r.from().as_str()], at[r.to().as_str()]);
            adj[a].insert(b);
            if !directed || r.kind().is_symmetric() {
                adj[b].insert(a);
            }
        }
        // Distances and path counts from every entity, by plain BFS.
        let mut dist = vec![vec![usize::MAX; n]; n];
        let mut count = vec![vec![0.0f64; n]; n];
        for s in 0..n {
            dist[s][s] = 0;
            count[s][s] = 1.0;
            let mut queue = VecDeque::from([s]);
            while let Some(v) = queue.pop_front() {
                for &w in &adj[v] {
                    if dist[s][w] == usize::MAX {
                        dist[s][w] = dist[s][v] + 1;
                        queue.push_back(w);
                    }
                    if dist[s][w] == dist[s][v] + 1 {
                        count[s][w] += count[s][v];
                    }
                }
            }
        }
        let mut want = vec![0.0f64; n];
        for s in 0..n {
            for t in (0..n).filter(|&t| if directed { t != s } else { t > s }) {
                if dist[s][t] == usize::MAX {
                    continue;
                }
                for v in 0..n {
                    if v != s && v != t && dist[s][v] != usize::MAX && dist[v][t] != usize::MAX
                        && dist[s][v] + dist[v][t] == dist[s][t]
                    {
                        want[v] += count[s][v] * count[v][t] / count[s][t];
                    }
                }
            }
        }
        let got = view.betweenness();
        prop_assert_eq!(got.len(), n);
        for (e, score) in &got {
            let w = want[at[e.id().as_str()]];
            prop_assert!((score - w).abs() < 1e-6 * (1.0 + w), "{}: {} against {}", e.id(), score, w);
        }
        // Every entity as a source is the exact score.
        prop_assert_eq!(view.betweenness_sampled(n, 3), got);
    }

    #[test]
    fn date_queries_from_the_index_are_what_a_scan_finds(
        data in dataset(),
        f in filter_spec(),
        x in crate::strategies::date_spec(),
        y in crate::strategies::date_spec(),
    ) {
        let graph = data.graph();
        let view = with_filter(&graph, &f);
        let (from, to) = {
            let (p, q) = (x.date(), y.date());
            if p.first_day() <= q.first_day() { (p, q) } else { (q, p) }
        };
        let ids = |list: &[&Relation]| -> Vec<String> {
            let mut v: Vec<String> = list.iter().map(|r| r.id().to_string()).collect();
            v.sort();
            v
        };
        let all: Vec<&Relation> = view.relations().collect();
        // In force: exactly the agreements whose force is in force.
        let on = view.in_force(from);
        let scanned: Vec<&Relation> = all.iter().copied()
            .filter(|r| r.kind().is_agreement() && view.force(r, from) == Force::InForce)
            .collect();
        prop_assert_eq!(ids(on.in_force()), ids(&scanned));
        for r in all.iter().filter(|r| r.kind().is_agreement() && view.force(r, from) == Force::Unknown) {
            let listed = on.unknown().iter().any(|u| u.id() == r.id());
            // Or shown through what continues it (a chain counts once).
            let mut stack = vec![r.id().to_string()];
            let mut seen = HashSet::new();
            let mut through = false;
            while let Some(at) = stack.pop() {
                if !seen.insert(at.clone()) {
                    continue;
                }
                for (_, n) in graph.continued_by(&at) {
                    through |= on.in_force().iter().chain(on.unknown()).any(|u| u.id() == n.id());
                    stack.push(n.id().to_string());
                }
            }
            prop_assert!(listed || through, "{} unknown but not listed", r.id());
        }
        // Between: what may hold in the window, dated.
        let window = graph.view(f.filter().during(from, to));
        let scanned: Vec<&Relation> = all.iter().copied()
            .filter(|r| (r.start().is_some() || r.end().is_some()) && window.contains_relation(r))
            .collect();
        prop_assert_eq!(ids(&view.between(from, to)), ids(&scanned));
        // Dated within.
        let scanned: Vec<&Relation> = all.iter().copied().filter(|r| r.is_dated_within(from, to)).collect();
        prop_assert_eq!(ids(&view.dated_within(from, to)), ids(&scanned));
        // Expiring: signed or ongoing agreements whose end overlaps the window.
        let scanned: Vec<&Relation> = all.iter().copied()
            .filter(|r| r.kind().is_agreement() && matches!(r.status(), Status::Signed | Status::Ongoing))
            .filter(|r| r.end().is_some_and(|e| e.last_day() >= from.first_day() && e.first_day() <= to.last_day()))
            .collect();
        let expiring: Vec<&Relation> = view.expiring(from, to).iter().map(|e| e.relation()).collect();
        prop_assert_eq!(ids(&expiring), ids(&scanned));
    }

    #[test]
    fn search_finds_every_entity_by_its_own_name_without_diacritics_in_another_case(data in dataset()) {
        let graph = data.graph();
        let view = graph.view(healthgraph::Filter::new());
        for e in graph.entities() {
            let plain = deunicode::deunicode(e.name());
            for text in [plain.to_uppercase(), plain.to_lowercase(), e.name().to_uppercase()] {
                let hits = view.search(&text);
                prop_assert!(hits.iter().any(|h| h.entity().id() == e.id()), "{:?} does not find {}", text, e.id());
            }
        }
    }

    #[test]
    fn removing_an_entity_leaves_no_relation_that_mentions_it(data in dataset(), at in 0usize..64) {
        let mut graph = data.graph();
        let id = graph.entities().nth(at % graph.entity_count()).unwrap().id().to_string();
        if let Err(e) = graph.remove_entity(&id) {
            // Only an agreement of other parties superseding one of its own holds it.
            prop_assert!(e.has(Rule::StillReferenced), "{}", e);
            prop_assert!(graph.entity(&id).is_some());
            return Ok(());
        }
        prop_assert!(graph.entity(&id).is_none());
        prop_assert!(graph.relations().all(|r| r.from() != id.as_str() && r.to() != id.as_str()));
        prop_assert!(graph.relations().flat_map(|r| r.people()).all(|p| p.organisation().is_none_or(|o| o != id.as_str())));
        prop_assert_eq!(check_invariants(&graph), Ok(()));
    }
}

/// The day after a day-precise date, by the calendar in jiff.
fn next(d: healthgraph::Date) -> healthgraph::Date {
    let j =
        jiff::civil::Date::new(d.year(), d.month().unwrap() as i8, d.day().unwrap() as i8).unwrap();
    let n = j.tomorrow().unwrap();
    healthgraph::Date::from_ymd(n.year(), n.month() as u8, n.day() as u8).unwrap()
}

#[test]
fn generated_data_sets_cover_every_kind() {
    // The generators must reach every entity and relation kind, renewals that
    // renew, and partial dates, or the properties above prove less than they say.
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let mut entity_kinds = HashSet::new();
    let mut relation_kinds = HashSet::new();
    let mut renewals = 0;
    let (mut amendments, mut supersessions, mut former, mut claims) = (0, 0, 0, 0);
    let mut partial = 0;
    for _ in 0..200 {
        let data = dataset().new_tree(&mut runner).unwrap().current();
        entity_kinds.extend(data.entities.iter().map(|e| e.kind));
        relation_kinds.extend(data.relations.iter().map(|r| r.kind.clone()));
        renewals += data.relations.iter().filter(|r| r.renews.is_some()).count();
        amendments += data.relations.iter().filter(|r| r.amends.is_some()).count();
        supersessions += data
            .relations
            .iter()
            .filter(|r| r.supersedes.is_some())
            .count();
        former += data.entities.iter().filter(|e| e.former.is_some()).count();
        claims += data.relations.iter().filter(|r| r.claim.is_some()).count();
        partial += data
            .relations
            .iter()
            .filter(|r| r.start.as_ref().is_some_and(|s| s.len() < 10))
            .count();
    }
    assert_eq!(entity_kinds.len(), EntityKind::ALL.len());
    assert_eq!(relation_kinds.len(), RelationKind::ALL.len());
    assert!(renewals > 0 && partial > 0);
    assert!(
        amendments > 0 && supersessions > 0,
        "{amendments} amendments, {supersessions} supersessions"
    );
    assert!(former > 0, "no former names generated");
    assert!(claims > 0, "no claims generated");
}
