//! The renderings of `data/hanoi.ron` that the example binaries print, against
//! reviewed golden files in `tests/golden/`; JSON is also checked for the field
//! names of DESIGN.md, DOT for its structure.
//!
//! After a deliberate change of output, regenerate the files with
//! `UPDATE_GOLDEN=1 cargo test --test lib render` and review the diff.

use healthgraph::render::{self, Format};
use healthgraph::{Filter, HealthGraph};
use serde_json::Value;
use serde_json::json;

fn hanoi() -> HealthGraph {
    HealthGraph::load("data/hanoi.ron").unwrap()
}

/// Compares `actual` with `tests/golden/{name}`, or rewrites the file when
/// `UPDATE_GOLDEN` is set.
fn golden(name: &str, actual: &str) {
    let path = format!("tests/golden/{name}");
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{path}: {e}; run with UPDATE_GOLDEN=1 to create it"));
    assert!(
        expected == actual,
        "{path} differs from the output; if the change is meant, run UPDATE_GOLDEN=1.\n--- expected\n{expected}\n--- actual\n{actual}"
    );
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap()
}

const ENTITY_FIELDS: [&str; 5] = ["country", "id", "kind", "name", "name_en"];
const RELATION_FIELDS: [&str; 9] = [
    "basis", "end", "from", "id", "kind", "sources", "start", "status", "to",
];

fn keys(v: &Value) -> Vec<&str> {
    let mut k: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    k.sort_unstable();
    k
}

#[test]
fn partners_as_a_tree() {
    let graph = hanoi();
    let view = graph.view(Filter::new());
    golden(
        "partners-obgyn-depth2-all.txt",
        &render::partners(
            &view.neighbourhood("hanoi-obgyn-hospital", 2).unwrap(),
            Format::Text,
        ),
    );
    let partnership = graph.view(Filter::partnership());
    golden(
        "partners-karolinska.txt",
        &render::partners(
            &partnership
                .neighbourhood("karolinska-institute", 1)
                .unwrap(),
            Format::Text,
        ),
    );
}

#[test]
fn partners_as_json_has_the_design_fields() {
    let graph = hanoi();
    let view = graph.view(Filter::partnership());
    let text = render::partners(
        &view.neighbourhood("karolinska-institute", 1).unwrap(),
        Format::Json,
    );
    golden("partners-karolinska.json", &text);
    let v = json(&text);
    assert_eq!(keys(&v), ["center", "entities", "relations"]);
    assert_eq!(keys(&v["center"]), ENTITY_FIELDS);
    let mut with_distance = ENTITY_FIELDS.to_vec();
    with_distance.push("distance");
    with_distance.sort_unstable();
    assert_eq!(keys(&v["entities"][0]), with_distance);
    assert_eq!(keys(&v["relations"][0]), RELATION_FIELDS);
    assert_eq!(v["relations"].as_array().unwrap().len(), 10);
}

#[test]
fn paths_hop_by_hop() {
    let graph = hanoi();
    let view = graph.view(Filter::partnership());
    let (from, to) = (
        graph.entity("hanoi-obgyn-hospital").unwrap(),
        graph.entity("ap-hp").unwrap(),
    );
    let paths = view
        .shortest_paths("hanoi-obgyn-hospital", "ap-hp", 2)
        .unwrap();
    golden(
        "path-obgyn-ap-hp.txt",
        &render::paths(from, to, &paths, Format::Text).unwrap(),
    );
    let text = render::paths(from, to, &paths, Format::Json).unwrap();
    golden("path-obgyn-ap-hp.json", &text);
    let v = json(&text);
    assert_eq!(v["from"]["id"], "hanoi-obgyn-hospital");
    let path = &v["paths"][0];
    assert_eq!(path["length"], 3);
    assert_eq!(keys(&path["hops"][0]["relation"]), RELATION_FIELDS);
    assert_eq!(path["hops"][0]["from"], "hanoi-obgyn-hospital");
    assert_eq!(path["hops"][2]["to"], "ap-hp");
    golden(
        "path-obgyn-ap-hp.dot",
        &render::paths(from, to, &paths, Format::Dot).unwrap(),
    );
    // No path: an empty list, which the example turns into exit status 1.
    let smile = graph.entity("operation-smile-vietnam").unwrap();
    let none = render::paths(from, smile, &[], Format::Json).unwrap();
    assert_eq!(json(&none)["paths"].as_array().unwrap().len(), 0);
}

#[test]
fn agreements_on_dates_expiring_and_lineage() {
    let graph = hanoi();
    let view = graph.view(Filter::new().kinds_by_name("agreement").unwrap());
    let on = view.in_force("2026-01-01".parse().unwrap());
    golden(
        "agreements-2026-01-01.txt",
        &render::agreements_on(&graph, &on, Format::Text).unwrap(),
    );
    let text = render::agreements_on(&graph, &on, Format::Json).unwrap();
    golden("agreements-2026-01-01.json", &text);
    let v = json(&text);
    assert_eq!(keys(&v), ["in_force", "on", "unknown"]);
    assert_eq!(v["on"], "2026-01-01");
    assert_eq!(v["in_force"].as_array().unwrap().len(), 2);
    assert!(render::agreements_on(&graph, &on, Format::Dot).is_err());
    let (from, to) = ("2029".parse().unwrap(), "2030".parse().unwrap());
    golden(
        "agreements-expiring-2029-2030.txt",
        &render::expiring(&graph, from, to, &view.expiring(from, to), Format::Text).unwrap(),
    );
    let chain = graph
        .lineage("mou-karolinska-institute-hanoi-obgyn-hospital")
        .unwrap();
    golden(
        "agreements-lineage.txt",
        &render::lineage(&graph, &chain, Format::Text).unwrap(),
    );
}

#[test]
fn timelines_as_aligned_tables() {
    let graph = hanoi();
    let view = graph.view(Filter::partnership());
    let relations = view.timeline("hanoi-doh").unwrap();
    let text = render::timeline(&graph, &relations, None, Format::Text).unwrap();
    golden("timeline-hanoi-doh.txt", &text);
    // Columns line up although names carry diacritics: every row puts its
    // status column at the header's position, counted in characters.
    let column = |line: &str| line.chars().position(|c| c == '→' || c == '—');
    let arrows: Vec<Option<usize>> = text.lines().skip(1).map(column).collect();
    assert!(arrows.windows(2).all(|w| w[0] == w[1]), "{text}");
    let v = json(&render::timeline(&graph, &relations, None, Format::Json).unwrap());
    assert_eq!(keys(&v), ["relations"]);
    assert_eq!(v["relations"].as_array().unwrap().len(), relations.len());
}

#[test]
fn exports_as_dot_and_json() {
    let graph = hanoi();
    let view = graph.view(Filter::partnership());
    let entities: Vec<_> = view.entities().collect();
    let relations: Vec<_> = view.relations().collect();
    let dot = render::export(&entities, &relations, None, Format::Dot).unwrap();
    golden("export-partnership.dot", &dot);
    assert_eq!(dot.matches(" -> ").count(), 28);
    // Proposals are dashed: R08, R09 and R19-R23 are the partnership proposals, R07 was discussed.
    assert_eq!(dot.matches("style=dashed").count(), 8);
    // Names are labels, escaped; ids are node ids.
    assert!(dot.contains("\"hanoi-obgyn-hospital\" [label=\"Bệnh viện Phụ sản Hà Nội\\nHanoi Obstetrics and Gynecology Hospital\""));
    let ego = view.neighbourhood("karolinska-institute", 1).unwrap();
    let members: Vec<_> = ego.members().iter().map(|(e, _)| *e).collect();
    let text = render::export(
        &members,
        ego.relations(),
        Some("karolinska-institute"),
        Format::Json,
    )
    .unwrap();
    let v = json(&text);
    assert_eq!(keys(&v), ["entities", "relations"]);
    assert_eq!(v["entities"].as_array().unwrap().len(), 3);
    assert!(render::export(&entities, &relations, None, Format::Text).is_err());
}

#[test]
fn validation_problems_as_json() {
    let err = HealthGraph::load("tests/fixtures/invalid/many-problems.ron").unwrap_err();
    let v = json(&render::problems(&err, Format::Json));
    assert_eq!(v["valid"], false);
    let first = &v["problems"][0];
    assert_eq!(first["file"], "tests/fixtures/invalid/many-problems.ron");
    assert_eq!(
        (first["line"].as_u64(), first["column"].as_u64()),
        (Some(11), Some(57))
    );
    assert_eq!(first["rule"], "invalid-country");
    assert_eq!(
        (&first["record"], &first["field"]),
        (&json!("x"), &json!("country"))
    );
    assert_eq!(v["problems"].as_array().unwrap().len(), 4);
    // Every problem names its record and field, from a file or from an insert.
    let about: Vec<(Option<&str>, Option<&str>)> = err
        .problems()
        .iter()
        .map(|p| (p.record(), p.field()))
        .collect();
    assert_eq!(
        about,
        [
            (Some("x"), Some("country")),
            (Some("mou-a"), Some("to")),
            (Some("mou-b"), Some("start")),
            (Some("visit-c"), Some("to")),
        ]
    );
}

/// A chain of `n` hospitals joined by cooperations, c0 to c(n-1).
fn chain(n: usize) -> HealthGraph {
    let mut text = String::from(
        r#"(sources: [(id: "s", title: "T", published: "2025", language: "en")], entities: ["#,
    );
    for i in 0..n {
        text.push_str(&format!(
            r#"(id: "c{i}", kind: "hospital", name: "C{i}", sources: ["s"]),"#
        ));
    }
    text.push_str("], relations: [");
    for i in 1..n {
        text.push_str(&format!(
            r#"(id: "r{i}", kind: "cooperation", from: "c{}", to: "c{i}", status: "ongoing", basis: "stated", sources: ["s"]),"#,
            i - 1
        ));
    }
    text.push_str("])");
    HealthGraph::from_ron_str(&text).unwrap()
}

#[test]
fn a_deep_partner_tree_keeps_every_member_and_a_bounded_indentation() {
    let graph = chain(100);
    let ego = graph.view(Filter::new()).neighbourhood("c0", 64).unwrap();
    let text = render::partners(&ego, Format::Text);
    // Every member once, in order down the chain.
    for i in 1..=64 {
        assert_eq!(
            text.matches(&format!("(c{i} · hospital)")).count(),
            1,
            "c{i}"
        );
    }
    assert!(!text.contains("(c65 "));
    // Below 24 levels the indentation stops growing and each line says its
    // depth, so a line costs the same however deep the tree is.
    let widest = text.lines().map(|l| l.chars().count()).max().unwrap();
    assert!(widest < 24 * 3 + 60, "a line of {widest} characters");
    assert!(
        text.contains("[depth 64] └─ C64  (c64 · hospital)"),
        "{text}"
    );
}

/// The `x` of the rectangles of one agreement's bar, and the mask of each.
fn bar_rects(svg: &str, id: &str) -> Vec<(f64, f64, Option<String>)> {
    let start = svg.find(&format!("<g data-agreement=\"{id}\">")).unwrap();
    let end = start + svg[start..].find("</g>").unwrap();
    svg[start..end]
        .split("<rect ")
        .skip(1)
        .map(|r| {
            let attr = |name: &str| {
                r.split(&format!(" {name}=\""))
                    .nth(1)
                    .map(|v| v.split('"').next().unwrap().to_owned())
            };
            let x: f64 = r
                .split("x=\"")
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap()
                .parse()
                .unwrap();
            let width: f64 = attr("width").unwrap().parse().unwrap();
            (x, x + width, attr("mask"))
        })
        .collect()
}

#[test]
fn the_timeline_draws_each_agreement_once_with_the_precision_of_its_dates() {
    let graph = hanoi();
    let agreements: Vec<_> = graph
        .relations()
        .filter(|r| r.kind().is_agreement())
        .collect();
    let svg = render::agreements_svg(&graph, &agreements, "2026-11-30".parse().unwrap(), &[]);
    assert_eq!(svg.matches("<g data-agreement=").count(), agreements.len());
    for r in &agreements {
        assert_eq!(
            svg.matches(&format!("data-agreement=\"{}\"", r.id()))
                .count(),
            1,
            "{}",
            r.id()
        );
    }
    // 2025..2030: the start year shaded in, the years between solid, the
    // end year shaded out, each a whole year wide.
    let renewal = bar_rects(
        &svg,
        "renewal-karolinska-institute-hanoi-obgyn-hospital-2025",
    );
    assert_eq!(renewal.len(), 3, "{renewal:?}");
    let year = |(from, to, _): &(f64, f64, Option<String>)| to - from;
    assert!(
        (year(&renewal[0]) - 72.0).abs() < 0.5 && renewal[0].2.as_deref() == Some("url(#mask-in)")
    );
    assert!((year(&renewal[1]) - 4.0 * 72.0).abs() < 1.0 && renewal[1].2.is_none());
    assert!(
        (year(&renewal[2]) - 72.0).abs() < 0.5 && renewal[2].2.as_deref() == Some("url(#mask-out)")
    );
    // 2017-07..: the start month shaded in, then open to the edge.
    let open = bar_rects(&svg, "mou-hanoi-peoples-committee-phi-2017");
    assert_eq!(open.len(), 2, "{open:?}");
    assert!((year(&open[0]) - 31.0 * 72.0 / 365.2425).abs() < 0.5);
    assert_eq!(open[1].2.as_deref(), Some("url(#mask-open)"));
    // The renewal is linked to the MOU it renews; today has its line.
    assert!(svg.contains("data-renews=\"mou-karolinska-institute-hanoi-obgyn-hospital\""));
    assert!(svg.contains("today 2026-11-30"));
    // A proposal is dashed.
    let proposal = "cooperation-hanoi-doh-karolinska-institute-advisory-2025";
    let at = svg.find(&format!("data-agreement=\"{proposal}\"")).unwrap();
    assert!(
        svg[at..]
            .split("</g>")
            .next()
            .unwrap()
            .contains("stroke-dasharray")
    );
}

#[test]
fn the_timeline_escapes_names() {
    let text = std::fs::read_to_string("data/hanoi.ron").unwrap().replace(
        "name: \"Viện Karolinska\"",
        "name: \"</text><script>alert(1)</script> & \\\"K\\\"\"",
    );
    let graph = HealthGraph::from_ron_str(&text).unwrap();
    let agreements: Vec<_> = graph
        .relations()
        .filter(|r| r.kind().is_agreement())
        .collect();
    let svg = render::agreements_svg(&graph, &agreements, "2026-11-30".parse().unwrap(), &[]);
    assert!(!svg.contains("<script"));
    assert!(svg.contains("&lt;/text&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;K&quot;"));
}
