//! Edge cases of the queries on small hand-built graphs: parallel relations,
//! direction, depth 0, entities outside the view, partial dates at bounds,
//! and the path searches against a plain breadth-first search.

use std::collections::{HashMap, VecDeque};

use healthgraph::{
    Direction, Entity, EntityKind, Filter, Force, HealthGraph, Relation, RelationKind, Rule,
    Source, Status,
};

struct Builder {
    graph: HealthGraph,
    next: usize,
}

impl Builder {
    fn new() -> Builder {
        let mut graph = HealthGraph::new();
        graph
            .insert_source(
                Source::new("s".parse().unwrap(), "Test", "2020".parse().unwrap(), "en").unwrap(),
            )
            .unwrap();
        Builder { graph, next: 0 }
    }

    fn entity(mut self, id: &str, kind: EntityKind) -> Builder {
        let e = Entity::new(id.parse().unwrap(), kind, id.to_uppercase())
            .add_source("s".parse().unwrap());
        self.graph.insert_entity(e).unwrap();
        self
    }

    fn hospitals(mut self, ids: &[&str]) -> Builder {
        for id in ids {
            self = self.entity(id, EntityKind::Hospital);
        }
        self
    }

    fn relation(
        mut self,
        kind: RelationKind,
        from: &str,
        to: &str,
        start: Option<&str>,
        end: Option<&str>,
    ) -> Builder {
        self.next += 1;
        let mut b = Relation::builder(format!("r{:03}", self.next), kind, from, to)
            .status(Status::Signed)
            .add_source("s");
        if let Some(s) = start {
            b = b.start(s.parse().unwrap());
        }
        if let Some(e) = end {
            b = b.end(e.parse().unwrap());
        }
        self.graph.insert_relation(b.build().unwrap()).unwrap();
        self
    }

    fn link(self, kind: RelationKind, from: &str, to: &str) -> Builder {
        self.relation(kind, from, to, None, None)
    }
}

#[test]
fn parallel_relations_are_kept_not_merged() {
    let g = Builder::new()
        .hospitals(&["a", "b"])
        .relation(RelationKind::Mou, "a", "b", Some("2020"), Some("2022"))
        .relation(
            RelationKind::Visit,
            "b",
            "a",
            Some("2021-03-01"),
            Some("2021-03-01"),
        )
        .relation(RelationKind::Training, "a", "b", None, None)
        .graph;
    let view = g.view(Filter::new());
    let partners = view.partners("a").unwrap();
    assert_eq!(partners.len(), 1);
    let kinds: Vec<RelationKind> = partners[0].relations().iter().map(|r| r.kind()).collect();
    // Date order: 2020.., 2021-03-01, then the undated training.
    assert_eq!(
        kinds,
        [
            RelationKind::Mou,
            RelationKind::Visit,
            RelationKind::Training
        ]
    );
    let path = view.shortest_path("a", "b").unwrap().unwrap();
    assert_eq!(path.len(), 1);
    assert_eq!(path.hops()[0].relations().len(), 3);
    assert_eq!(view.degree("a").unwrap(), 3);
    assert_eq!(
        view.shortest_paths("a", "b", 5).unwrap().len(),
        1,
        "parallel relations are one path"
    );
}

#[test]
fn direction_follows_visits_one_way_and_agreements_both_ways() {
    let g = Builder::new()
        .hospitals(&["a", "b", "c"])
        .link(RelationKind::Visit, "a", "b")
        .link(RelationKind::Mou, "c", "b")
        .graph;
    let out = g.view(Filter::new().direction(Direction::Outgoing));
    let inc = g.view(Filter::new().direction(Direction::Incoming));
    let ids = |v: &healthgraph::View<'_>, id: &str| -> Vec<String> {
        v.partners(id)
            .unwrap()
            .iter()
            .map(|p| p.entity().id().to_string())
            .collect()
    };
    assert_eq!(ids(&out, "a"), ["b"]);
    assert!(
        ids(&out, "b").contains(&"c".to_string()) && !ids(&out, "b").contains(&"a".to_string())
    );
    assert_eq!(ids(&inc, "b"), ["a", "c"]); // the visitor, and the symmetric MOU
    assert!(out.shortest_path("a", "c").unwrap().is_some()); // a visits b, b-c both ways
    assert!(out.shortest_path("c", "a").unwrap().is_none());
    assert!(inc.shortest_path("c", "a").unwrap().is_some());
}

#[test]
fn entities_outside_the_view() {
    let g = Builder::new()
        .hospitals(&["a", "b"])
        .entity("x", EntityKind::Company)
        .link(RelationKind::Mou, "a", "x")
        .link(RelationKind::Mou, "x", "b")
        .graph;
    let hospitals = g.view(Filter::new().entity_kinds([EntityKind::Hospital]));
    assert!(!hospitals.contains_entity("x"));
    assert!(hospitals.partners("a").unwrap().is_empty());
    assert!(
        hospitals.shortest_path("a", "b").unwrap().is_none(),
        "the only route is through x"
    );
    // Every query gives the same answer about an entity the filter hides.
    let errors = [
        hospitals.partners("x").map(|_| ()),
        hospitals.timeline("x").map(|_| ()),
        hospitals.neighbourhood("x", 1).map(|_| ()),
        hospitals.within("x", 1).map(|_| ()),
        hospitals.degree("x").map(|_| ()),
        hospitals.shortest_path("a", "x").map(|_| ()),
        hospitals.shortest_paths("x", "a", 2).map(|_| ()),
        hospitals.paths("a", "x", 3).map(|_| ()),
        hospitals.common_partners("a", "x").map(|_| ()),
    ];
    for err in errors {
        let err = err.unwrap_err();
        assert_eq!(err.problems()[0].rule(), Rule::HiddenEntity);
        assert_eq!(
            err.to_string(),
            "entity `x` is not in the view: the filter hides it"
        );
    }
    // Unknown ids are errors, not empty answers.
    assert!(hospitals.partners("nobody").is_err());
    assert!(hospitals.shortest_path("a", "nobody").is_err());
}

#[test]
fn depth_bounds_the_neighbourhood() {
    let g = Builder::new()
        .hospitals(&["a", "b", "c", "d"])
        .link(RelationKind::Mou, "a", "b")
        .link(RelationKind::Mou, "b", "c")
        .link(RelationKind::Mou, "c", "d")
        .link(RelationKind::Mou, "a", "c")
        .graph;
    let view = g.view(Filter::new());
    let members = |depth| -> Vec<(String, usize)> {
        view.neighbourhood("a", depth)
            .unwrap()
            .members()
            .iter()
            .map(|(e, d)| (e.id().to_string(), *d))
            .collect()
    };
    assert_eq!(members(0), [("a".to_string(), 0)]);
    assert_eq!(
        members(1),
        [("a".into(), 0), ("b".into(), 1), ("c".into(), 1)]
    );
    assert_eq!(members(2).last(), Some(&("d".to_string(), 2)));
    assert_eq!(members(9).len(), 4);
    // At depth 1 the b-c relation is among members; c-d is not.
    assert_eq!(view.neighbourhood("a", 1).unwrap().relations().len(), 3);
}

#[test]
fn partial_dates_at_period_bounds() {
    let g = Builder::new()
        .hospitals(&["a", "b", "c"])
        .relation(RelationKind::Mou, "a", "b", Some("2025"), Some("2030"))
        .relation(
            RelationKind::Mou,
            "b",
            "c",
            Some("2025-05"),
            Some("2025-05"),
        )
        .graph;
    let on = |d: &str| {
        g.view(Filter::new().on(d.parse().unwrap()))
            .relations()
            .count()
    };
    assert_eq!(on("2025-01-01"), 1); // the 2025-2030 MOU may hold; May 2025 has not come
    assert_eq!(on("2025-05-31"), 2);
    assert_eq!(on("2025-06-01"), 1);
    assert_eq!(on("2030-12-31"), 1);
    assert_eq!(on("2031-01-01"), 0);
    let view = g.view(Filter::new());
    let r = g.relation("r001").unwrap();
    // "2025" may mean any day of 2025, so only from 2026 is the MOU surely in force.
    assert_eq!(view.force(r, "2025-01-01".parse().unwrap()), Force::Unknown);
    assert_eq!(view.force(r, "2025".parse().unwrap()), Force::Unknown);
    assert_eq!(view.force(r, "2026".parse().unwrap()), Force::InForce);
    assert_eq!(view.force(r, "2030-01-01".parse().unwrap()), Force::InForce);
    assert_eq!(view.force(r, "2030-12-31".parse().unwrap()), Force::Unknown);
    let short = g.relation("r002").unwrap();
    assert_eq!(
        view.force(short, "2025-05-15".parse().unwrap()),
        Force::Unknown
    );
    // Starting and ending somewhere in May 2025, it is surely in force on no day.
    assert_eq!(
        view.force(short, "2025-05".parse().unwrap()),
        Force::Unknown
    );
    assert_eq!(
        view.force(short, "2025-06-01".parse().unwrap()),
        Force::NotInForce
    );
}

#[test]
fn windows_intersect_hops_and_union_parallel_relations() {
    let g = Builder::new()
        .hospitals(&["a", "b", "c"])
        .relation(RelationKind::Mou, "a", "b", Some("2020"), Some("2021"))
        .relation(RelationKind::Mou, "a", "b", Some("2024"), Some("2026"))
        .relation(
            RelationKind::Cooperation,
            "b",
            "c",
            Some("2021"),
            Some("2025"),
        )
        .graph;
    let path = g
        .view(Filter::new())
        .shortest_path("a", "c")
        .unwrap()
        .unwrap();
    assert_eq!(path.window().to_string(), "2021..2021, 2024..2025");
    // The relation named for the first hop is the first that holds in the window.
    assert_eq!(path.hops()[0].relation().id(), "r001");
    let g2 = Builder::new()
        .hospitals(&["a", "b", "c"])
        .relation(RelationKind::Mou, "a", "b", Some("2020"), Some("2021"))
        .relation(RelationKind::Cooperation, "b", "c", Some("2023"), None)
        .graph;
    let never = g2
        .view(Filter::new())
        .shortest_path("a", "c")
        .unwrap()
        .unwrap();
    assert!(never.window().is_never());
    assert_eq!(never.window().to_string(), "never");
}

#[test]
fn renewal_handover_ends_the_renewed_agreement() {
    let mut g = Builder::new()
        .hospitals(&["a", "b"])
        .relation(RelationKind::Mou, "a", "b", Some("2020-01-01"), None)
        .graph;
    let renewal = Relation::builder("renewal", RelationKind::Renewal, "b", "a")
        .start("2023-06-01".parse().unwrap())
        .end("2026-05-31".parse().unwrap())
        .status(Status::Signed)
        .renews("r001")
        .add_source("s")
        .build()
        .unwrap();
    g.insert_relation(renewal).unwrap();
    let view = g.view(Filter::new());
    let first = g.relation("r001").unwrap();
    assert_eq!(
        view.force(first, "2021-01-01".parse().unwrap()),
        Force::Unknown
    ); // no stated term
    assert_eq!(
        view.force(first, "2024-01-01".parse().unwrap()),
        Force::NotInForce
    ); // handed over
    let on = view.in_force("2024-01-01".parse().unwrap());
    let ids: Vec<&str> = on.in_force().iter().map(|r| r.id().as_str()).collect();
    assert_eq!(ids, ["renewal"]);
    assert!(on.unknown().is_empty());
    let expiring = view.expiring("2026".parse().unwrap(), "2026".parse().unwrap());
    assert_eq!(expiring.len(), 1);
    assert!(expiring[0].renewal().is_none());
}

/// Breadth-first distances written plainly, to check the library against.
fn bfs(adjacency: &HashMap<usize, Vec<usize>>, from: usize) -> HashMap<usize, usize> {
    let mut dist = HashMap::from([(from, 0)]);
    let mut queue = VecDeque::from([from]);
    while let Some(u) = queue.pop_front() {
        for &v in adjacency.get(&u).map(Vec::as_slice).unwrap_or_default() {
            if !dist.contains_key(&v) {
                dist.insert(v, dist[&u] + 1);
                queue.push_back(v);
            }
        }
    }
    dist
}

#[test]
fn path_searches_agree_with_a_plain_breadth_first_search() {
    // A fixed pseudo-random sequence, so that a failure can be reproduced.
    let mut seed = 0x9E37_79B9_7F4A_7C15u64;
    let mut next = move |n: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n as u64) as usize
    };
    for round in 0..60 {
        let n = 4 + next(16);
        let names: Vec<String> = (0..n).map(|i| format!("e{i:02}")).collect();
        let mut b = Builder::new();
        for name in &names {
            b = b.entity(name, EntityKind::Hospital);
        }
        let mut adjacency: HashMap<usize, Vec<usize>> = HashMap::new();
        for _ in 0..next(2 * n) {
            let (x, y) = (next(n), next(n));
            if x != y {
                b = b.link(RelationKind::Cooperation, &names[x], &names[y]);
                adjacency.entry(x).or_default().push(y);
                adjacency.entry(y).or_default().push(x);
            }
        }
        let g = b.graph;
        let view = g.view(Filter::new());
        for _ in 0..5 {
            let (x, y) = (next(n), next(n));
            let dist = bfs(&adjacency, x);
            let path = view.shortest_path(&names[x], &names[y]).unwrap();
            assert_eq!(
                path.as_ref().map(|p| p.len()),
                dist.get(&y).copied(),
                "round {round}: {x} to {y}"
            );
            let k = view.shortest_paths(&names[x], &names[y], 4).unwrap();
            assert_eq!(
                k.first().map(|p| p.len()),
                dist.get(&y).copied(),
                "round {round}: k-shortest"
            );
            assert!(
                k.windows(2).all(|w| w[0].len() <= w[1].len()),
                "round {round}: not in order"
            );
            for p in &k {
                let mut seen: Vec<&str> = p.entities().iter().map(|e| e.id().as_str()).collect();
                let len = seen.len();
                seen.sort_unstable();
                seen.dedup();
                assert_eq!(seen.len(), len, "round {round}: a path repeats an entity");
            }
            let bounded = view.paths(&names[x], &names[y], 3).unwrap();
            assert!(bounded.iter().all(|p| p.len() <= 3));
            if dist.get(&y).is_some_and(|d| *d <= 3) {
                assert_eq!(bounded.first().map(|p| p.len()), dist.get(&y).copied());
                // The k shortest paths within the bound are among all bounded paths.
                for p in k.iter().filter(|p| p.len() <= 3) {
                    let ids: Vec<&str> = p.entities().iter().map(|e| e.id().as_str()).collect();
                    assert!(bounded.iter().any(|q| {
                        q.entities()
                            .iter()
                            .map(|e| e.id().as_str())
                            .eq(ids.iter().copied())
                    }));
                }
            } else {
                assert!(bounded.is_empty());
            }
        }
    }
}

/// A hand-built graph whose shortest path goes back in time and whose
/// chronological path takes a longer way round: a — b (visit 2020), b — c
/// (MOU 2019), a — d (visit 2018-01-01), d — e (visit 2019-06-01), e — c
/// (MOU 2021-01-01).
fn time_detour() -> HealthGraph {
    Builder::new()
        .hospitals(&["a", "b", "c", "d", "e"])
        .relation(RelationKind::Visit, "a", "b", Some("2020"), Some("2020"))
        .relation(RelationKind::Mou, "b", "c", Some("2019"), None)
        .relation(
            RelationKind::Visit,
            "a",
            "d",
            Some("2018-01-01"),
            Some("2018-01-01"),
        )
        .relation(
            RelationKind::Visit,
            "d",
            "e",
            Some("2019-06-01"),
            Some("2019-06-01"),
        )
        .relation(RelationKind::Mou, "e", "c", Some("2021-01-01"), None)
        .graph
}

#[test]
fn the_chronological_path_differs_from_the_shortest() {
    use healthgraph::Certainty;
    let graph = time_detour();
    let view = graph.view(Filter::new());
    let ids = |p: &healthgraph::Path<'_>| -> Vec<String> {
        p.entities().iter().map(|e| e.id().to_string()).collect()
    };
    let shortest = view.shortest_path("a", "c").unwrap().unwrap();
    assert_eq!(ids(&shortest), ["a", "b", "c"]);
    let timed = view.chronological_path("a", "c", None).unwrap().unwrap();
    assert_eq!(ids(&timed), ["a", "d", "e", "c"]);
    assert!(timed.is_chronological());
    assert_eq!(timed.certainty(), Some(Certainty::Surely));
    let crossed: Vec<&str> = timed
        .hops()
        .iter()
        .map(|h| h.relation().id().as_str())
        .collect();
    assert_eq!(crossed, ["r003", "r004", "r005"]);
    // From d to e is 516 days: a gap of a year rules the detour out, and
    // the short way stays out of order.
    assert!(
        view.chronological_path("a", "c", Some(365))
            .unwrap()
            .is_none()
    );
    assert!(
        view.chronological_path("a", "c", Some(600))
            .unwrap()
            .is_some()
    );
    // From c the short way is in order (the 2019 MOU, then the 2020
    // visit); from e every way goes back in time.
    let back = view.chronological_path("c", "a", None).unwrap().unwrap();
    assert_eq!(ids(&back), ["c", "b", "a"]);
    assert!(view.chronological_path("e", "a", None).unwrap().is_none());
}

#[test]
fn coarse_dates_make_a_chronological_path_only_maybe() {
    use healthgraph::Certainty;
    // A visit in 2020-05 and an MOU in "2020": the MOU may come after.
    let graph = Builder::new()
        .hospitals(&["a", "b", "c"])
        .relation(
            RelationKind::Visit,
            "a",
            "b",
            Some("2020-05"),
            Some("2020-05"),
        )
        .relation(RelationKind::Mou, "b", "c", Some("2020"), None)
        .graph;
    let path = graph
        .view(Filter::new())
        .chronological_path("a", "c", None)
        .unwrap()
        .unwrap();
    assert_eq!(path.certainty(), Some(Certainty::Maybe));
}

/// A visit on 2020-06-15, an MOU in "2020", a training on 2020-03-01:
/// each pair may be in order, the three cannot (the MOU would have to
/// start both after June 15 and before March 1).
#[test]
fn a_chronological_path_needs_one_reading_of_all_its_dates() {
    let chain = |dates: [&str; 3]| {
        Builder::new()
            .hospitals(&["a", "b", "c", "d"])
            .relation(
                RelationKind::Visit,
                "a",
                "b",
                Some(dates[0]),
                Some(dates[0]),
            )
            .relation(RelationKind::Mou, "b", "c", Some(dates[1]), None)
            .relation(RelationKind::Training, "c", "d", Some(dates[2]), None)
            .graph
    };
    let found = |graph: &HealthGraph, gap: Option<u32>| {
        graph
            .view(Filter::new())
            .chronological_path("a", "d", gap)
            .unwrap()
            .map(|p| p.len())
    };
    assert_eq!(
        found(&chain(["2020-06-15", "2020", "2020-03-01"]), None),
        None
    );
    // A training in September leaves the MOU room between the two.
    let later = chain(["2020-06-15", "2020", "2020-09-01"]);
    assert_eq!(found(&later, None), Some(3));
    // With a gap of 30 days: February 10, then March ("2020-03" can be
    // March 1 to 11 to be within 30 days), then April 25, more than 30
    // days after March 11, though 25 after the last day of March.
    let gapped = chain(["2020-02-10", "2020-03", "2020-04-25"]);
    assert_eq!(found(&gapped, None), Some(3));
    assert_eq!(found(&gapped, Some(30)), None);
    assert_eq!(found(&gapped, Some(45)), Some(3));
}

/// Of two paths equally short, the one surely in time order is given: a
/// visit on 2020-06-15, then an MOU in "2020" (maybe after it) or an MOU
/// on 2021-01-01 (surely after it).
#[test]
fn of_the_shortest_the_surest_is_given() {
    use healthgraph::Certainty;
    // The middle entities named both ways round, so that either is met first.
    for (maybe, sure) in [("b", "c"), ("c", "b")] {
        let day = Some("2020-06-15");
        let graph = Builder::new()
            .hospitals(&["a", "b", "c", "d"])
            .relation(RelationKind::Visit, "a", maybe, day, day)
            .relation(RelationKind::Mou, maybe, "d", Some("2020"), None)
            .relation(RelationKind::Visit, "a", sure, day, day)
            .relation(RelationKind::Mou, sure, "d", Some("2021-01-01"), None)
            .graph;
        for gap in [None, Some(1000)] {
            let path = graph
                .view(Filter::new())
                .chronological_path("a", "d", gap)
                .unwrap()
                .unwrap();
            let ids: Vec<String> = path.entities().iter().map(|e| e.id().to_string()).collect();
            assert_eq!(ids, ["a", sure, "d"], "{gap:?}");
            assert_eq!(path.certainty(), Some(Certainty::Surely), "{gap:?}");
        }
    }
}

/// The gap bounds the wait exactly, and a coarse start that began before
/// the last hop's day can still be read as after it.
#[test]
fn a_gap_bounds_the_wait_to_the_day() {
    let graph = |second: &str| {
        Builder::new()
            .hospitals(&["a", "b", "c"])
            .relation(
                RelationKind::Visit,
                "a",
                "b",
                Some("2020-06-15"),
                Some("2020-06-15"),
            )
            .relation(RelationKind::Mou, "b", "c", Some(second), None)
            .graph
    };
    let found = |graph: &HealthGraph, gap: Option<u32>| {
        graph
            .view(Filter::new())
            .chronological_path("a", "c", gap)
            .unwrap()
            .map(|p| p.len())
    };
    // 2020-06-15 to 2020-08-14 is 60 days.
    let precise = graph("2020-08-14");
    assert_eq!(found(&precise, Some(60)), Some(2));
    assert_eq!(found(&precise, Some(59)), None);
    // "2020" begins before the visit, and may be read as any later day of 2020.
    let coarse = graph("2020");
    assert_eq!(found(&coarse, Some(0)), Some(2));
    assert_eq!(found(&coarse, None), Some(2));
    let earlier = graph("2020-05");
    assert_eq!(found(&earlier, Some(400)), None);
}

#[test]
fn throughout_keeps_only_what_surely_holds_for_the_whole_window() {
    let graph = Builder::new()
        .hospitals(&["a", "b", "c"])
        .relation(RelationKind::Mou, "a", "b", Some("2020"), Some("2030"))
        .relation(RelationKind::Mou, "b", "c", Some("2024-06"), Some("2026"))
        .graph;
    let d = |s: &str| s.parse::<healthgraph::Date>().unwrap();
    let through = |f: &str, t: &str| {
        graph
            .view(Filter::new().throughout(d(f), d(t)))
            .shortest_path("a", "c")
            .unwrap()
            .is_some()
    };
    assert!(through("2024-07-01", "2026-01-01"));
    // June 2024 may not yet have begun, and 2026 may already have ended by its last day.
    assert!(!through("2024-06-15", "2025-01-01"));
    assert!(!through("2025", "2026"));
    assert!(through("2025", "2025"));
}

/// A hospital's MOU with a foreign institute (2020..2030), taken over by the
/// department of health from mid-2024 (a supersession between other
/// parties), and amended by an addendum in 2022 (the same parties; both stay
/// in force together).
fn takeover() -> HealthGraph {
    let mut g = Builder::new()
        .hospitals(&["hospital", "institute"])
        .entity("doh", EntityKind::Agency)
        .relation(
            RelationKind::Mou,
            "hospital",
            "institute",
            Some("2020"),
            Some("2030"),
        )
        .graph;
    let signed =
        |b: healthgraph::RelationBuilder| b.status(Status::Signed).add_source("s").build().unwrap();
    g.insert_relation(signed(
        Relation::builder("addendum", RelationKind::Mou, "institute", "hospital")
            .start("2022-03".parse().unwrap())
            .end("2030".parse().unwrap())
            .amends("r001"),
    ))
    .unwrap();
    g.insert_relation(signed(
        Relation::builder("takeover", RelationKind::Cooperation, "doh", "institute")
            .start("2024-07-01".parse().unwrap())
            .end("2030-12-31".parse().unwrap())
            .supersedes("r001"),
    ))
    .unwrap();
    g
}

#[test]
fn a_superseded_agreement_is_out_of_force_once_its_successor_surely_starts() {
    let g = takeover();
    let view = g.view(Filter::new());
    let d = |s: &str| s.parse::<healthgraph::Date>().unwrap();
    let mou = g.relation("r001").unwrap();
    assert_eq!(view.force(mou, d("2024-06-30")), Force::InForce);
    assert_eq!(view.force(mou, d("2024-07-01")), Force::NotInForce);
    // July 2024 as a whole: the takeover surely starts on its first day.
    assert_eq!(view.force(mou, d("2024-07")), Force::NotInForce);
    assert_eq!(view.force(mou, d("2024")), Force::Unknown);
    // The amendment does not end what it amends: both in force in 2023.
    let ids = |on: &healthgraph::AgreementsOn<'_>| -> Vec<String> {
        on.in_force().iter().map(|r| r.id().to_string()).collect()
    };
    assert_eq!(ids(&view.in_force(d("2023-01-01"))), ["addendum", "r001"]);
    // After the takeover: the addendum (still in force by its own term) and the takeover.
    assert_eq!(
        ids(&view.in_force(d("2025-01-01"))),
        ["addendum", "takeover"]
    );
    // The family, oldest first, with each link.
    let family = g.lineage("takeover").unwrap();
    let shown: Vec<(String, Vec<String>)> = family
        .iter()
        .map(|r| {
            (
                r.id().to_string(),
                r.links().map(|(l, t)| format!("{l} {t}")).collect(),
            )
        })
        .collect();
    assert_eq!(
        shown,
        [
            ("r001".to_owned(), vec![]),
            ("addendum".to_owned(), vec!["amends r001".to_owned()]),
            ("takeover".to_owned(), vec!["supersedes r001".to_owned()]),
        ]
    );
}

#[test]
fn what_is_continued_cannot_be_removed_first() {
    let mut g = takeover();
    let err = g.remove_relation("r001").unwrap_err();
    assert!(err.has(Rule::StillReferenced), "{err}");
    // The hospital's MOU is superseded by the department's cooperation:
    // removing the hospital would leave that link pointing at nothing.
    let err = g.remove_entity("hospital").unwrap_err();
    assert!(
        err.to_string()
            .contains("`takeover` supersedes its agreement `r001`"),
        "{err}"
    );
    g.remove_relation("takeover").unwrap();
    g.remove_relation("addendum").unwrap();
    g.remove_entity("hospital").unwrap();
}

#[test]
fn replacing_an_agreement_keeps_what_continues_it_valid() {
    let mut g = takeover();
    // The MOU cannot move to start after the addendum that amends it.
    let late = Relation::builder("r001", RelationKind::Mou, "hospital", "institute")
        .start("2023".parse().unwrap())
        .status(Status::Signed)
        .add_source("s")
        .build()
        .unwrap();
    let err = g.replace_relation(late).unwrap_err();
    assert!(err.has(Rule::LinksLater), "{err}");
    // Nor amend the takeover that supersedes it (a cycle).
    let looped = Relation::builder("r001", RelationKind::Mou, "hospital", "institute")
        .start("2020".parse().unwrap())
        .status(Status::Signed)
        .amends("addendum")
        .add_source("s")
        .build()
        .unwrap();
    let err = g.replace_relation(looped).unwrap_err();
    assert!(err.has(Rule::LinkCycle), "{err}");
}

#[test]
fn the_timeline_links_amendments_and_supersessions_to_what_they_continue() {
    let g = takeover();
    let agreements: Vec<&Relation> = g.relations().collect();
    let svg =
        healthgraph::render::agreements_svg(&g, &agreements, "2026-11-30".parse().unwrap(), &[]);
    assert_eq!(svg.matches("data-amends=\"r001\"").count(), 1);
    assert_eq!(svg.matches("data-supersedes=\"r001\"").count(), 1);
    assert!(!svg.contains("data-renews="));
}

#[test]
fn change_reports_name_amendments_and_supersessions() {
    use healthgraph::Certainty;
    let g = takeover();
    let view = g.view(Filter::new());
    let d = |s: &str| s.parse::<healthgraph::Date>().unwrap();
    let ids = |list: &[healthgraph::Change<'_>]| -> Vec<(String, Certainty)> {
        list.iter()
            .map(|c| (c.relation().id().to_string(), c.certainty()))
            .collect()
    };
    let y2022 = view.changes(d("2022"), d("2022"));
    assert_eq!(
        ids(y2022.amended()),
        [("addendum".to_owned(), Certainty::Surely)]
    );
    assert!(y2022.began().is_empty() && y2022.superseded().is_empty());
    // The first half of 2024 misses the takeover of 1 July; the year has it.
    assert!(
        view.changes(d("2024-01"), d("2024-06"))
            .superseded()
            .is_empty()
    );
    assert_eq!(
        ids(view.changes(d("2024"), d("2024")).superseded()),
        [("takeover".to_owned(), Certainty::Surely)]
    );
    // The MOU of "2020" surely began in 2020, only maybe in its first half.
    assert_eq!(
        ids(view.changes(d("2020-01"), d("2020-06")).began()),
        [("r001".to_owned(), Certainty::Maybe)]
    );
}

/// Three starts that begin on one day, to the year, the month and the day:
/// the report gives each its own date, in report order (the more precise
/// first), and only the day surely falls in a window of that day.
#[test]
fn changes_beginning_on_one_day_keep_their_own_precision() {
    use crate::queries::listed;
    use healthgraph::Certainty::{Maybe, Surely};
    let g = Builder::new()
        .hospitals(&["a", "b"])
        .relation(RelationKind::Visit, "a", "b", Some("2025-01-01"), None)
        .relation(RelationKind::Visit, "a", "b", Some("2025-01"), None)
        .relation(RelationKind::Visit, "a", "b", Some("2025"), Some("2025-12"))
        .graph;
    let d = |s: &str| s.parse::<healthgraph::Date>().unwrap();
    let changes = g
        .view(Filter::new())
        .changes(d("2025-01-01"), d("2025-01-01"));
    let row = |id: &str, date: &str, c| (id.to_owned(), date.to_owned(), c);
    assert_eq!(
        listed(changes.began()),
        [
            row("r001", "2025-01-01", Surely),
            row("r002", "2025-01", Maybe),
            row("r003", "2025", Maybe),
        ]
    );
    // The end in "2025-12" is not in January; the year's last month is.
    assert!(changes.ended().is_empty());
    let december = g.view(Filter::new()).changes(d("2025-12"), d("2025-12"));
    assert_eq!(listed(december.ended()), [row("r003", "2025-12", Surely)]);
}

/// A cooperation reported in March 2024 as running 2024-01-01..2029-12-31;
/// a report of 26 May 2025 gives 2025-01-01..2030-12-31 instead, and the
/// data set prefers it.
fn contested() -> HealthGraph {
    let mut g = HealthGraph::new();
    for (id, published) in [("s1", "2024-03-01"), ("s2", "2025-05-26")] {
        g.insert_source(
            Source::new(
                id.parse().unwrap(),
                "Report",
                published.parse().unwrap(),
                "en",
            )
            .unwrap(),
        )
        .unwrap();
    }
    for id in ["a", "b"] {
        g.insert_entity(
            Entity::new(id.parse().unwrap(), EntityKind::Hospital, id)
                .add_source("s1".parse().unwrap()),
        )
        .unwrap();
    }
    let later = healthgraph::Claim::new(
        "2025-01-01..2030-12-31".parse().unwrap(),
        Some(Status::Signed),
        ["s2"],
    )
    .with_rank(healthgraph::Rank::Preferred);
    g.insert_relation(
        Relation::builder("coop", RelationKind::Cooperation, "a", "b")
            .start("2024-01-01".parse().unwrap())
            .end("2029-12-31".parse().unwrap())
            .status(Status::Ongoing)
            .add_source("s1")
            .add_claim(later)
            .build()
            .unwrap(),
    )
    .unwrap();
    g
}

#[test]
fn a_contested_relation_before_and_after_the_second_report() {
    let g = contested();
    let d = |s: &str| s.parse::<healthgraph::Date>().unwrap();
    let force = |g: &HealthGraph, on: &str| {
        let r = g.relation("coop").unwrap();
        g.view(Filter::new()).force(r, d(on))
    };
    // Now: the preferred claim, and it says so.
    let r = g.relation("coop").unwrap();
    assert_eq!(r.period().to_string(), "2025-01-01..2030-12-31");
    assert_eq!(r.status(), Status::Signed);
    assert!(r.is_contested());
    assert_eq!(r.stated().0.to_string(), "2024-01-01..2029-12-31");
    assert_eq!(force(&g, "2024-06-01"), Force::NotInForce);
    assert_eq!(force(&g, "2030-06-01"), Force::InForce);
    // What we knew in March 2025: only the first report.
    let march = g.known_by(d("2025-03"));
    let then = march.relation("coop").unwrap();
    assert_eq!(then.period().to_string(), "2024-01-01..2029-12-31");
    assert_eq!(then.status(), Status::Ongoing);
    assert!(!then.is_contested());
    assert!(march.source("s2").is_none());
    assert_eq!(force(&march, "2024-06-01"), Force::InForce);
    assert_eq!(force(&march, "2030-06-01"), Force::NotInForce);
    // After the second report: its claim, and the first kept as a claim, contested.
    let june = g.known_by(d("2025-06"));
    let then = june.relation("coop").unwrap();
    assert_eq!(then.period().to_string(), "2025-01-01..2030-12-31");
    assert!(then.is_contested());
    assert_eq!(then.claims().len(), 1);
    // Before anything was reported: nothing.
    assert_eq!(g.known_by(d("2023")).relation_count(), 0);
}
