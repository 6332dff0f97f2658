//! Queries over `data/hanoi.ron`, with answers worked out by hand from the
//! fact base (`../shared/facts/seed-facts.md`; rows R01-R58 are cited).

use healthgraph::{Direction, Filter, HealthGraph, MatchKind, Relation, RelationKind, Status};

fn hanoi() -> HealthGraph {
    HealthGraph::load("data/hanoi.ron").unwrap()
}

fn ids<'a>(relations: impl IntoIterator<Item = &'a &'a Relation>) -> Vec<&'a str> {
    relations.into_iter().map(|r| r.id().as_str()).collect()
}

fn date(s: &str) -> healthgraph::Date {
    s.parse().unwrap()
}

#[test]
fn karolinska_partners_under_the_partnership_filter() {
    let graph = hanoi();
    let partners = graph
        .view(Filter::partnership())
        .partners("karolinska-institute")
        .unwrap();
    let names: Vec<&str> = partners.iter().map(|p| p.entity().id().as_str()).collect();
    assert_eq!(names, ["hanoi-doh", "hanoi-obgyn-hospital"]);
    // With the DoH: the visit R14 and the statements R19-R23, all on 2025-05-23 (by id),
    // then the undated support R18.
    assert_eq!(
        ids(partners[0].relations()),
        [
            "cooperation-hanoi-doh-karolinska-institute-advisory-2025",
            "cooperation-hanoi-doh-karolinska-institute-training-research-2025",
            "cooperation-karolinska-institute-hanoi-doh-2025",
            "cooperation-karolinska-institute-hanoi-doh-events-2025",
            "training-karolinska-institute-hanoi-doh-phd-2025",
            "visit-karolinska-institute-hanoi-doh-2025",
            "cooperation-karolinska-institute-hanoi-doh-support",
        ]
    );
    // With the hospital: the dated renewal R16 first, then the undated R17 and R15.
    assert_eq!(
        ids(partners[1].relations()),
        [
            "renewal-karolinska-institute-hanoi-obgyn-hospital-2025",
            "cooperation-karolinska-institute-hanoi-obgyn-hospital-research",
            "mou-karolinska-institute-hanoi-obgyn-hospital",
        ]
    );
}

#[test]
fn karolinska_partners_unfiltered_include_structure_and_membership() {
    let graph = hanoi();
    let partners = graph
        .view(Filter::new())
        .partners("karolinska-institute")
        .unwrap();
    let names: Vec<&str> = partners.iter().map(|p| p.entity().id().as_str()).collect();
    // R29 (part-of, the research group) and R30 (membership of LERU) join the two above.
    assert_eq!(
        names,
        [
            "hanoi-doh",
            "hanoi-obgyn-hospital",
            "karolinska-global-child-health-sdg-group",
            "leru"
        ]
    );
}

#[test]
fn two_hop_neighbourhood_of_the_obgyn_hospital() {
    let graph = hanoi();
    let ego = graph
        .view(Filter::new())
        .neighbourhood("hanoi-obgyn-hospital", 2)
        .unwrap();
    let at = |d: usize| -> Vec<&str> {
        ego.members()
            .iter()
            .filter(|(_, x)| *x == d)
            .map(|(e, _)| e.id().as_str())
            .collect()
    };
    assert_eq!(at(0), ["hanoi-obgyn-hospital"]);
    // R15-R17 (Karolinska), R27 (located in Hanoi), R35 (AP-HP reception).
    assert_eq!(at(1), ["ap-hp", "hanoi", "karolinska-institute"]);
    // Karolinska's partners, everything located in Hanoi, and AP-HP's partners.
    assert_eq!(
        at(2),
        [
            "hanoi-115-emergency-centre",
            "hanoi-cdc",
            "hanoi-doh",
            "hanoi-doh-medical-affairs-division",
            "hanoi-doh-office",
            "hanoi-heart-hospital",
            "hanoi-medical-training-tech-transfer-centre",
            "hanoi-mental-hospital",
            "hanoi-oncology-hospital",
            "hanoi-peoples-committee",
            "karolinska-global-child-health-sdg-group",
            "leru",
            "paris",
            "xanh-pon-general-hospital",
        ]
    );
    assert_eq!(ego.members().len(), 18);
    // Relations among the members: none leaves the ego network.
    for r in ego.relations() {
        assert!(
            ego.distance(r.from().as_str()).is_some() && ego.distance(r.to().as_str()).is_some()
        );
    }
}

#[test]
fn two_hop_partnership_neighbourhood_of_the_obgyn_hospital() {
    let graph = hanoi();
    let ego = graph
        .view(Filter::partnership())
        .neighbourhood("hanoi-obgyn-hospital", 2)
        .unwrap();
    let members: Vec<(&str, usize)> = ego
        .members()
        .iter()
        .map(|(e, d)| (e.id().as_str(), *d))
        .collect();
    assert_eq!(
        members,
        [
            ("hanoi-obgyn-hospital", 0),
            ("karolinska-institute", 1),
            ("hanoi-doh", 2)
        ]
    );
    // R14-R23 join these three: R15, R16, R17 with the hospital, R14, R18-R23 with the DoH.
    assert_eq!(ego.relations().len(), 10);
}

#[test]
fn depth_zero_is_the_centre_alone() {
    let graph = hanoi();
    let ego = graph.view(Filter::new()).neighbourhood("hanoi", 0).unwrap();
    assert_eq!(ego.members().len(), 1);
    assert!(ego.relations().is_empty());
}

#[test]
fn shortest_paths_under_different_filters() {
    let graph = hanoi();
    let hops = |filter: Filter, a: &str, b: &str| -> Option<Vec<String>> {
        graph
            .view(filter)
            .shortest_path(a, b)
            .unwrap()
            .map(|p| p.entities().iter().map(|e| e.id().to_string()).collect())
    };
    // Unfiltered: the hospital's leaders attended the AP-HP reception (R35).
    assert_eq!(
        hops(Filter::new(), "hanoi-obgyn-hospital", "ap-hp").unwrap(),
        ["hanoi-obgyn-hospital", "ap-hp"]
    );
    // Partnerships only: through Karolinska (R15-R17) and the DoH (R14.., R32/R33).
    assert_eq!(
        hops(Filter::partnership(), "hanoi-obgyn-hospital", "ap-hp").unwrap(),
        [
            "hanoi-obgyn-hospital",
            "karolinska-institute",
            "hanoi-doh",
            "ap-hp"
        ]
    );
    // Operation Smile works only with the Vietnam-Cuba hospital (R31): no path.
    assert!(
        hops(
            Filter::partnership(),
            "hanoi-obgyn-hospital",
            "operation-smile-vietnam"
        )
        .is_none()
    );
    assert!(
        hops(
            Filter::new(),
            "hanoi-obgyn-hospital",
            "operation-smile-vietnam"
        )
        .is_none()
    );
    // Structure: My Duc is under the DoH (R56), which is located in Hanoi (R26).
    let structural = || Filter::new().kinds_by_name("structural").unwrap();
    assert_eq!(
        hops(structural(), "my-duc-general-hospital", "hanoi").unwrap(),
        ["my-duc-general-hospital", "hanoi-doh", "hanoi"]
    );
    // Direction: up the hierarchy from My Duc to the People's Committee (R56, R25), not down.
    let up = || structural().direction(Direction::Outgoing);
    assert_eq!(
        hops(up(), "my-duc-general-hospital", "hanoi-peoples-committee").unwrap(),
        [
            "my-duc-general-hospital",
            "hanoi-doh",
            "hanoi-peoples-committee"
        ]
    );
    assert!(hops(up(), "hanoi-peoples-committee", "my-duc-general-hospital").is_none());
    let down = structural().direction(Direction::Incoming);
    assert!(hops(down, "hanoi-peoples-committee", "my-duc-general-hospital").is_some());
}

#[test]
fn a_path_names_its_relations_and_sources() {
    let graph = hanoi();
    let view = graph.view(Filter::partnership());
    let path = view
        .shortest_path("ap-hp", "karolinska-institute")
        .unwrap()
        .unwrap();
    let hop = &path.hops()[0];
    // Two parallel relations join AP-HP and the DoH: the 2024-2029 cooperation (R33)
    // and the 2025-05-26 visit (R32); both are named.
    assert_eq!(
        ids(hop.relations()),
        [
            "cooperation-hanoi-doh-ap-hp-2024-2029",
            "visit-ap-hp-hanoi-doh-2025"
        ]
    );
    let sources: Vec<&str> = path.sources().iter().map(|s| s.id().as_str()).collect();
    assert_eq!(sources, ["a1", "a1-n2"]);
    // The visit R32 (2025-05-26) and the statements of 2025-05-23 never hold together,
    // but the undated support R18 and the 2024-2029 cooperation do: 2024..2029.
    assert_eq!(path.window().to_string(), "2024..2029");
}

#[test]
fn k_shortest_and_bounded_paths() {
    let graph = hanoi();
    let view = graph.view(Filter::new());
    let paths = view
        .shortest_paths("hanoi-heart-hospital", "hanoi-doh", 4)
        .unwrap();
    let lengths: Vec<usize> = paths.iter().map(|p| p.len()).collect();
    // Through AP-HP (R34, R32/R33) or the city (R43, R26); then three hops: through the
    // People's Committee (R43, R13, R25) or AP-HP's DoH units (R34, R39/R40, R41/R42).
    assert_eq!(lengths, [2, 2, 3, 3]);
    let all = view.paths("hanoi-heart-hospital", "hanoi-doh", 3).unwrap();
    let routes: Vec<Vec<&str>> = all
        .iter()
        .map(|p| p.entities().iter().map(|e| e.id().as_str()).collect())
        .collect();
    // Three hops: AP-HP then one of the DoH units that attended (R39/R41, R40/R42), or
    // the city then the training centre the DoH is tasked with (R28, R24) or the People's
    // Committee (R13, R25). AP-HP is in Paris (R47), so there is no AP-HP-Hanoi hop.
    assert_eq!(
        routes,
        [
            vec!["hanoi-heart-hospital", "ap-hp", "hanoi-doh"],
            vec!["hanoi-heart-hospital", "hanoi", "hanoi-doh"],
            vec![
                "hanoi-heart-hospital",
                "ap-hp",
                "hanoi-doh-medical-affairs-division",
                "hanoi-doh"
            ],
            vec![
                "hanoi-heart-hospital",
                "ap-hp",
                "hanoi-doh-office",
                "hanoi-doh"
            ],
            vec![
                "hanoi-heart-hospital",
                "hanoi",
                "hanoi-medical-training-tech-transfer-centre",
                "hanoi-doh"
            ],
            vec![
                "hanoi-heart-hospital",
                "hanoi",
                "hanoi-peoples-committee",
                "hanoi-doh"
            ],
        ]
    );
}

const UNKNOWN_ANY_TIME_AFTER_2025: [&str; 8] = [
    "cooperation-hanoi-oncology-hospital-ajou-university-hospital-2020", // R51, from 2020, no end
    "cooperation-hanoi-oncology-hospital-ajou-university-hospital-training-technology", // R52, undated
    "cooperation-karolinska-institute-hanoi-doh-support", // R18, undated
    "cooperation-karolinska-institute-hanoi-obgyn-hospital-research", // R17, undated
    "cooperation-vietnam-cuba-friendship-hospital-operation-smile-vietnam", // R31, no dates
    "mou-hanoi-doh-jimca",                                // R53, term not stated
    "mou-hanoi-oncology-hospital-astrazeneca-vietnam-2025", // R49, signed, no term
    "mou-hanoi-peoples-committee-phi-2017",               // R06, signed, no term
];

#[test]
fn agreements_in_force_on_2026_01_01() {
    let graph = hanoi();
    let on = graph.view(Filter::new()).in_force(date("2026-01-01"));
    // R33 (2024-2029, ongoing) and R16 (2025-2030, signed); R15 was handed over to R16.
    assert_eq!(
        ids(on.in_force()),
        [
            "cooperation-hanoi-doh-ap-hp-2024-2029",
            "renewal-karolinska-institute-hanoi-obgyn-hospital-2025"
        ]
    );
    assert_eq!(ids(on.unknown()), UNKNOWN_ANY_TIME_AFTER_2025);
}

#[test]
fn agreements_in_force_on_2031_01_01() {
    let graph = hanoi();
    let on = graph.view(Filter::new()).in_force(date("2031-01-01"));
    // Both stated terms have ended; what has no term stays unknown, not guessed.
    assert!(on.in_force().is_empty());
    assert_eq!(ids(on.unknown()), UNKNOWN_ANY_TIME_AFTER_2025);
}

#[test]
fn a_renewal_chain_counts_once_while_its_handover_is_undecided() {
    let graph = hanoi();
    let on = graph.view(Filter::new()).in_force(date("2025-06-01"));
    assert_eq!(
        ids(on.in_force()),
        ["cooperation-hanoi-doh-ap-hp-2024-2029"]
    );
    // The renewal's start ("2025") may or may not have come by June: unknown, and the
    // chain shows as the renewal alone, not also as the MOU it renews.
    let unknown = ids(on.unknown());
    assert!(unknown.contains(&"renewal-karolinska-institute-hanoi-obgyn-hospital-2025"));
    assert!(!unknown.contains(&"mou-karolinska-institute-hanoi-obgyn-hospital"));
    assert_eq!(unknown.len(), 9);
}

#[test]
fn proposals_are_never_in_force() {
    let graph = hanoi();
    let view = graph.view(Filter::new());
    for day in ["2017-07-13", "2025-05-23", "2026-01-01"] {
        let on = view.in_force(date(day));
        for r in on.in_force().iter().chain(on.unknown()) {
            assert!(
                matches!(r.status(), Status::Signed | Status::Ongoing),
                "{} on {day}",
                r.id()
            );
        }
    }
}

#[test]
fn what_we_knew_in_2020() {
    let graph = hanoi();
    // Only the 2017 article (A0) was published by then: the PHI MOU is all there was.
    let on = graph
        .view(Filter::new().known_by(date("2020")))
        .in_force(date("2020-01-01"));
    assert!(on.in_force().is_empty());
    assert_eq!(ids(on.unknown()), ["mou-hanoi-peoples-committee-phi-2017"]);
    let known = graph.view(Filter::new().known_by(date("2020")));
    // The A0 entities: Hanoi, Boston, the People's Committee, and Harvard University,
    // Harvard Medical School, MGH, Simches, PHI and the Vietnam Program.
    assert_eq!(known.entities().count(), 9);
    assert_eq!(known.relations().count(), 13); // R01-R13
}

#[test]
fn expiring_agreements_and_what_follows_them() {
    let graph = hanoi();
    let view = graph.view(Filter::new());
    let soon = view.expiring(date("2029"), date("2030"));
    let found: Vec<(&str, Option<&str>)> = soon
        .iter()
        .map(|e| {
            (
                e.relation().id().as_str(),
                e.renewal().map(|r| r.id().as_str()),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            ("cooperation-hanoi-doh-ap-hp-2024-2029", None),
            (
                "renewal-karolinska-institute-hanoi-obgyn-hospital-2025",
                None
            ),
        ]
    );
    assert!(view.expiring(date("2026"), date("2028")).is_empty());
}

#[test]
fn renewal_lineage_from_either_end() {
    let graph = hanoi();
    let expected = [
        "mou-karolinska-institute-hanoi-obgyn-hospital",
        "renewal-karolinska-institute-hanoi-obgyn-hospital-2025",
    ];
    assert_eq!(
        ids(&graph
            .lineage("mou-karolinska-institute-hanoi-obgyn-hospital")
            .unwrap()),
        expected
    );
    assert_eq!(
        ids(&graph
            .lineage("renewal-karolinska-institute-hanoi-obgyn-hospital-2025")
            .unwrap()),
        expected
    );
    assert_eq!(
        ids(&graph
            .lineage("mou-hanoi-oncology-hospital-astrazeneca-vietnam-2025")
            .unwrap()),
        ["mou-hanoi-oncology-hospital-astrazeneca-vietnam-2025"]
    );
    assert!(graph.lineage("no-such-relation").is_err());
}

#[test]
fn visits_of_a_month() {
    let graph = hanoi();
    let visits = graph.view(Filter::new().kinds([RelationKind::Visit]));
    // May 2025: Karolinska (R14, 23rd) and AP-HP (R32, 26th).
    assert_eq!(
        ids(&visits.between(date("2025-05"), date("2025-05"))),
        [
            "visit-karolinska-institute-hanoi-doh-2025",
            "visit-ap-hp-hanoi-doh-2025"
        ]
    );
    // July 2017: the five visits of the US trip (R01-R05), all 12-14 July, by id.
    assert_eq!(visits.between(date("2017-07"), date("2017-07")).len(), 5);
    assert!(visits.between(date("2025-03"), date("2025-04")).is_empty());
}

#[test]
fn timeline_of_the_oncology_hospital() {
    let graph = hanoi();
    let timeline = graph
        .view(Filter::new())
        .timeline("hanoi-oncology-hospital")
        .unwrap();
    assert_eq!(
        ids(&timeline),
        [
            "cooperation-hanoi-oncology-hospital-ajou-university-hospital-2020", // 2020..
            "visit-ajou-university-hospital-hanoi-oncology-hospital-2025",       // 2025-02-07
            "mou-hanoi-oncology-hospital-astrazeneca-vietnam-2025",              // 2025-03-26..
            "participation-hanoi-oncology-hospital-ap-hp-2025",                  // 2025-05-26
            "cooperation-hanoi-oncology-hospital-ajou-university-hospital-training-technology", // undated, by id
            "located-in-hanoi-oncology-hospital-hanoi",
        ]
    );
}

#[test]
fn search_with_and_without_diacritics() {
    let graph = hanoi();
    let view = graph.view(Filter::new());
    let first = |text: &str| {
        view.search(text)
            .first()
            .map(|h| (h.entity().id().to_string(), h.kind()))
    };
    let obgyn = |kind| Some(("hanoi-obgyn-hospital".to_string(), kind));
    assert_eq!(first("phu san ha noi"), obgyn(MatchKind::Name));
    assert_eq!(first("Phụ sản Hà Nội"), obgyn(MatchKind::Name));
    assert_eq!(
        first("PHỤ SẢN"),
        obgyn(MatchKind::Name.max(MatchKind::Words))
    );
    assert_eq!(first("Hanoi Obstetrics"), obgyn(MatchKind::Words));
    assert_eq!(first("hanoi-obgyn-hospital"), obgyn(MatchKind::Id));
    assert_eq!(
        first("dong anh").map(|h| h.0),
        Some("dong-anh-general-hospital".into())
    );
    assert_eq!(
        first("Đông Anh").map(|h| h.0),
        Some("dong-anh-general-hospital".into())
    );
    // Viện Karolinska (two words) before the research group found through its long id.
    let karolinska: Vec<String> = view
        .search("karolinska")
        .iter()
        .map(|h| h.entity().id().to_string())
        .collect();
    assert_eq!(
        karolinska,
        [
            "karolinska-institute",
            "karolinska-global-child-health-sdg-group"
        ]
    );
    assert!(view.search("zzz").is_empty());
    assert!(view.search("  ").is_empty());
}

#[test]
fn components_common_partners_and_degree() {
    let graph = hanoi();
    let all = graph.view(Filter::new());
    let sizes: Vec<usize> = all.components().iter().map(Vec::len).collect();
    // Everything is linked but Operation Smile with its hospital (R31 only) and
    // Dong Anh General Hospital, which has no relation at all.
    assert_eq!(sizes, [32, 2, 1]);
    let partnership = graph.view(Filter::partnership());
    let sizes: Vec<usize> = partnership
        .components()
        .iter()
        .take(4)
        .map(Vec::len)
        .collect();
    // The 2017 US trip (PC + 6), the DoH's partners (DoH, Karolinska, ObGyn, AP-HP,
    // JIMCA, Kobe), the oncology hospital's (Ajou, AstraZeneca), Operation Smile's.
    assert_eq!(sizes, [7, 6, 3, 2]);
    let common: Vec<String> = all
        .common_partners("hanoi-heart-hospital", "hanoi-oncology-hospital")
        .unwrap()
        .iter()
        .map(|e| e.id().to_string())
        .collect();
    assert_eq!(common, ["ap-hp", "hanoi"]);
    // R14, R18-R26, R32, R33, R41, R42, R53, R54, R56.
    assert_eq!(all.degree("hanoi-doh").unwrap(), 17);
    assert!(all.degree("nobody").is_err());
}

#[test]
fn a_relation_without_a_start_sorts_by_its_end() {
    let graph = hanoi();
    let timeline = graph.view(Filter::new()).timeline("hanoi-doh").unwrap();
    let at = |id: &str| timeline.iter().position(|r| r.id() == id).unwrap();
    // R24 ends "2025" and has no start: it sorts with 2025, after the 2024
    // cooperation and before what happened on 2025-05-23, not with the undated.
    let task = at("mandate-hanoi-doh-training-centre-2025");
    assert!(at("cooperation-hanoi-doh-ap-hp-2024-2029") < task);
    assert!(task < at("visit-karolinska-institute-hanoi-doh-2025"));
    assert!(timeline[task + 1..].iter().any(|r| r.start().is_some()));
}

/// A list of changes as (relation id, date as written, certainty), to
/// compare with what was worked out by hand.
pub(crate) fn listed(
    list: &[healthgraph::Change<'_>],
) -> Vec<(String, String, healthgraph::Certainty)> {
    list.iter()
        .map(|c| {
            (
                c.relation().id().to_string(),
                c.date().to_string(),
                c.certainty(),
            )
        })
        .collect()
}

/// The changes in the Hanoi data from 2025-01 to 2025-06, worked out from
/// `data/hanoi.ron` by hand: every partnership relation dated in the first
/// half of 2025 is day-precise (sure), except the Karolinska renewal, dated
/// "2025" (only maybe); and with every kind, the Department's mandate over
/// the training centre, which ends in "2025".
#[test]
fn changes_in_the_first_half_of_2025() {
    use healthgraph::Certainty::{Maybe, Surely};
    let graph = hanoi();
    let row = |id: &str, d: &str, c| (id.to_owned(), d.to_owned(), c);
    let changes = graph
        .view(Filter::partnership())
        .changes(date("2025-01"), date("2025-06"));
    let may_23 = [
        "cooperation-hanoi-doh-karolinska-institute-advisory-2025",
        "cooperation-hanoi-doh-karolinska-institute-training-research-2025",
        "cooperation-karolinska-institute-hanoi-doh-2025",
        "cooperation-karolinska-institute-hanoi-doh-events-2025",
        "training-karolinska-institute-hanoi-doh-phd-2025",
        "visit-karolinska-institute-hanoi-doh-2025",
    ];
    let mut began = vec![
        row(
            "visit-kobe-university-hospital-hanoi-doh-2025",
            "2025-01-17",
            Surely,
        ),
        row(
            "visit-ajou-university-hospital-hanoi-oncology-hospital-2025",
            "2025-02-07",
            Surely,
        ),
        row(
            "mou-hanoi-oncology-hospital-astrazeneca-vietnam-2025",
            "2025-03-26",
            Surely,
        ),
    ];
    began.extend(may_23.iter().map(|id| row(id, "2025-05-23", Surely)));
    began.push(row("visit-ap-hp-hanoi-doh-2025", "2025-05-26", Surely));
    assert_eq!(listed(changes.began()), began);
    // Visits and the proposals of 23 May end the day they begin; the MOU
    // with AstraZeneca has no stated end.
    let ended: Vec<_> = began
        .iter()
        .filter(|(id, _, _)| !id.starts_with("mou-"))
        .cloned()
        .collect();
    assert_eq!(listed(changes.ended()), ended);
    assert_eq!(
        listed(changes.renewed()),
        [row(
            "renewal-karolinska-institute-hanoi-obgyn-hospital-2025",
            "2025",
            Maybe
        )]
    );
    assert_eq!(
        changes.renewed()[0].relation().renews().unwrap(),
        "mou-karolinska-institute-hanoi-obgyn-hospital"
    );
    // First reported: everything whose earliest source is a1-n6 (2025-01-20),
    // a1-n5 (2025-02-10), a1-n4 (2025-03-27), a1 (2025-05-26) or a1-n2
    // (2025-05-27); the 2017 article and the later teasers fall outside.
    let reported = changes.reported();
    assert_eq!(reported.len(), 18);
    assert!(reported.iter().all(|c| c.certainty() == Surely));
    assert_eq!(reported.first().unwrap().date(), date("2025-01-20"));
    assert_eq!(reported.last().unwrap().date(), date("2025-05-27"));
    assert!(
        !reported
            .iter()
            .any(|c| c.relation().id() == "mou-hanoi-peoples-committee-phi-2017")
    );

    let all = graph
        .view(Filter::new())
        .changes(date("2025-01"), date("2025-06"));
    let maybe_ended: Vec<_> = listed(all.ended())
        .into_iter()
        .filter(|(_, _, c)| *c == Maybe)
        .collect();
    assert_eq!(
        maybe_ended,
        [row("mandate-hanoi-doh-training-centre-2025", "2025", Maybe)]
    );
    // A window that holds the whole year makes the renewal sure.
    let year = graph
        .view(Filter::partnership())
        .changes(date("2025"), date("2025"));
    assert_eq!(year.renewed()[0].certainty(), Surely);
}

/// Hanoi's bodies (the entities located in the city) against partner
/// countries on 2025-06-01, counting what may hold that day, worked out
/// from `data/hanoi.ron` by hand: the Department has the AP-HP cooperation
/// (2024..2029, surely in force), the undated JIMCA MOU and the undated
/// Karolinska support; the People's Committee counts the Department's
/// three (the Department is part of it) and its own open-ended PHI MOU; the
/// ObGyn hospital its three Karolinska agreements (the 2025 renewal only
/// maybe begun by June); the Oncology hospital the two Ajou cooperations
/// and the AstraZeneca MOU. The visits of 2025 were over by then.
#[test]
fn the_matrix_of_hanois_bodies_on_2025_06_01() {
    use healthgraph::Columns;
    let graph = hanoi();
    let on = date("2025-06-01");
    let view = graph.view(Filter::partnership().on(on));
    let bodies: Vec<&str> = graph
        .children("hanoi")
        .iter()
        .map(|e| e.id().as_str())
        .collect();
    assert_eq!(bodies.len(), 10);
    let matrix = view
        .matrix(&bodies, Columns::Countries, Some((on, on)))
        .unwrap();
    assert_eq!(matrix.columns(), ["FR", "JP", "KR", "SE", "US", "VN"]);
    /// A cell: its column, total, how many surely held, and the counts by kind.
    type Seen = (String, usize, usize, Vec<(String, usize)>);
    let cells = |id: &str| -> Vec<Seen> {
        let row = matrix
            .rows()
            .iter()
            .find(|r| r.entity().id() == id)
            .unwrap();
        row.cells()
            .iter()
            .map(|(c, cell)| {
                let kinds = cell
                    .by_kind()
                    .iter()
                    .map(|(k, n)| (k.to_string(), *n))
                    .collect();
                (c.clone(), cell.total(), cell.surely(), kinds)
            })
            .collect()
    };
    let cell = |c: &str, total, surely, kinds: &[(&str, usize)]| {
        (
            c.to_owned(),
            total,
            surely,
            kinds
                .iter()
                .map(|(k, n)| (k.to_string(), *n))
                .collect::<Vec<_>>(),
        )
    };
    let doh = vec![
        cell("FR", 1, 1, &[("cooperation", 1)]),
        cell("JP", 1, 0, &[("mou", 1)]),
        cell("SE", 1, 0, &[("cooperation", 1)]),
    ];
    assert_eq!(cells("hanoi-doh"), doh);
    let mut committee = doh.clone();
    committee.push(cell("US", 1, 0, &[("mou", 1)]));
    assert_eq!(cells("hanoi-peoples-committee"), committee);
    assert_eq!(
        cells("hanoi-obgyn-hospital"),
        [cell(
            "SE",
            3,
            0,
            &[("mou", 1), ("renewal", 1), ("cooperation", 1)]
        )]
    );
    assert_eq!(
        cells("hanoi-oncology-hospital"),
        [
            cell("KR", 2, 0, &[("cooperation", 2)]),
            cell("VN", 1, 0, &[("mou", 1)])
        ]
    );
    for quiet in [
        "hanoi-115-emergency-centre",
        "hanoi-cdc",
        "hanoi-heart-hospital",
        "hanoi-mental-hospital",
        "xanh-pon-general-hospital",
    ] {
        assert!(cells(quiet).is_empty(), "{quiet}");
    }
}

/// A relation is first reported on the earliest publication date of its
/// sources; of two that begin on the same day, the more precise one: a
/// relation cited by a report of "2025" and one of 2025-01-01 was surely
/// first reported in January 2025, on 2025-01-01.
#[test]
fn first_report_takes_the_more_precise_of_two_dates_beginning_the_same_day() {
    use healthgraph::{Certainty, Entity, EntityKind, Source};
    let mut graph = HealthGraph::new();
    for (id, published) in [
        ("year", "2025"),
        ("day", "2025-01-01"),
        ("later", "2025-01-02"),
    ] {
        graph
            .insert_source(Source::new(id.parse().unwrap(), id, date(published), "en").unwrap())
            .unwrap();
    }
    for id in ["a", "b"] {
        let entity = Entity::new(id.parse().unwrap(), EntityKind::Hospital, id)
            .add_source("year".parse().unwrap());
        graph.insert_entity(entity).unwrap();
    }
    // The sources in every order: the answer is not the first or last cited.
    for (i, cited) in [["year", "day", "later"], ["later", "day", "year"]]
        .iter()
        .enumerate()
    {
        let mut relation = Relation::builder(
            format!("cooperation-{i}"),
            RelationKind::Cooperation,
            "a",
            "b",
        );
        for s in cited {
            relation = relation.add_source(*s);
        }
        graph.insert_relation(relation.build().unwrap()).unwrap();
    }
    let changes = graph
        .view(Filter::new())
        .changes(date("2025-01"), date("2025-01"));
    let reported: Vec<_> = changes
        .reported()
        .iter()
        .map(|c| {
            (
                c.relation().id().as_str(),
                c.date().to_string(),
                c.certainty(),
            )
        })
        .collect();
    assert_eq!(
        reported,
        [
            ("cooperation-0", "2025-01-01".to_owned(), Certainty::Surely),
            ("cooperation-1", "2025-01-01".to_owned(), Certainty::Surely),
        ]
    );
}
