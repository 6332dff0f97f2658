//! The HTML page: its data is the lossless JSON of what it shows, no name
//! can break out of it, its time answers are the library's, and a view too
//! large to draw gets a page that says so. (What a browser shows is checked
//! by `tests/browser/page_check.mjs`, which `.ci/run` runs in chromium.)

use healthgraph::export::{self, PAGE_LIMIT};
use healthgraph::{Date, Filter, Force, HealthGraph};
use serde_json::Value;

fn page(graph: &HealthGraph, center: Option<&str>) -> String {
    let view = graph.view(Filter::new());
    let (entities, relations): (Vec<_>, Vec<_>) =
        (view.entities().collect(), view.relations().collect());
    let mut out = Vec::new();
    export::write_html(graph, &entities, &relations, center, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

/// The JSON in the page's data element.
fn data(page: &str) -> Value {
    let open = "<script type=\"application/json\" id=\"healthgraph-data\">";
    let start = page.find(open).unwrap() + open.len();
    let end = start + page[start..].find("</script>").unwrap();
    serde_json::from_str(&page[start..end]).unwrap()
}

fn hanoi() -> HealthGraph {
    HealthGraph::load("data/hanoi.ron").unwrap()
}

#[test]
fn the_pages_data_is_the_lossless_json_of_what_it_shows() {
    let graph = hanoi();
    let view = graph.view(Filter::new());
    let (entities, relations): (Vec<_>, Vec<_>) =
        (view.entities().collect(), view.relations().collect());
    let mut lossless = Vec::new();
    graph
        .write_json_of(&entities, &relations, &mut lossless)
        .unwrap();
    let lossless: Value = serde_json::from_slice(&lossless).unwrap();
    let data = data(&page(&graph, None));
    // Compared as values: a difference would print the whole graph twice.
    assert!(
        data["graph"] == lossless,
        "the page's graph is not the lossless JSON"
    );
    assert_eq!(data["too_many"], false);
    assert_eq!(
        data["folded"]["hanoi-obgyn-hospital"][0],
        "benh vien phu san ha noi"
    );
}

#[test]
fn a_name_cannot_end_the_script_or_add_markup() {
    let nasty = "</script><script>alert(1)</script> \"q\" 'q' <b>b</b> & <!--";
    let mut json = Vec::new();
    hanoi().write_json(&mut json).unwrap();
    let mut doc: Value = serde_json::from_slice(&json).unwrap();
    for e in doc["entities"].as_array_mut().unwrap() {
        if e["id"] == "hanoi-obgyn-hospital" {
            e["name"] = Value::from(nasty);
        }
    }
    let graph = HealthGraph::from_json_str(&doc.to_string()).unwrap();
    let page = page(&graph, Some("hanoi-obgyn-hospital"));
    let clean = self::page(&hanoi(), Some("hanoi-obgyn-hospital"));
    // The page's own elements only: three scripts, each closed once, and
    // no markup the clean page does not have.
    assert_eq!(page.matches("<script").count(), 3);
    assert_eq!(page.matches("</script>").count(), 3);
    for markup in ["<b>", "<!--", "<script>alert"] {
        assert_eq!(
            page.matches(markup).count(),
            clean.matches(markup).count(),
            "{markup}"
        );
    }
    // The title is escaped text, and the data still holds the name as it is.
    assert!(page.contains("&lt;/script&gt;&lt;script&gt;alert(1)"));
    let data = data(&page);
    let names: Vec<&str> = data["graph"]["entities"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["name"].as_str())
        .collect();
    assert!(names.contains(&nasty));
}

/// How the page answers "how does `agreements --on` list this on `day`": the
/// last step that starts on or before the day.
fn looked_up(steps: &Value, day: &str) -> Option<Force> {
    let step = steps
        .as_array()
        .unwrap()
        .iter()
        .rev()
        .find(|s| s[0].as_str().is_none_or(|from| from <= day))
        .unwrap();
    match step[1].as_str() {
        Some("in force") => Some(Force::InForce),
        Some("unknown") => Some(Force::Unknown),
        None => None,
        Some(other) => panic!("unexpected listing {other}"),
    }
}

#[test]
fn the_page_lists_on_every_day_what_agreements_on_lists() {
    let graph = hanoi();
    let data = data(&page(&graph, None));
    let agreements = graph.view(Filter::new().kinds_by_name("agreement").unwrap());
    // Every day of 2016 to 2031, where the Hanoi agreements begin and end.
    let mut day: Date = "2016-01-01".parse().unwrap();
    let mut checked = 0;
    while day.year() < 2032 {
        let on = agreements.in_force(day);
        let text = day.to_string();
        for r in graph.relations().filter(|r| r.kind().is_agreement()) {
            let want = if on.in_force().iter().any(|x| x.id() == r.id()) {
                Some(Force::InForce)
            } else if on.unknown().iter().any(|x| x.id() == r.id()) {
                Some(Force::Unknown)
            } else {
                None
            };
            let steps = &data["time"][r.id().as_str()]["listed"];
            assert_eq!(looked_up(steps, &text), want, "{} on {text}", r.id());
            checked += 1;
        }
        day = next(day);
    }
    assert!(checked > 5000);
}

fn next(d: Date) -> Date {
    let j = jiff::civil::Date::new(d.year(), d.month().unwrap() as i8, d.day().unwrap() as i8)
        .unwrap()
        .tomorrow()
        .unwrap();
    Date::from_ymd(j.year(), j.month() as u8, j.day() as u8).unwrap()
}

#[test]
fn possible_and_sure_days_are_the_periods() {
    let graph = hanoi();
    let data = data(&page(&graph, None));
    let r = "renewal-karolinska-institute-hanoi-obgyn-hospital-2025";
    assert_eq!(
        data["time"][r]["may"],
        serde_json::json!(["2025-01-01", "2030-12-31"])
    );
    assert_eq!(
        data["time"][r]["sure"],
        serde_json::json!(["2025-12-31", "2030-01-01"])
    );
    // No end: it may hold for ever, and is never sure.
    let open = "mou-hanoi-peoples-committee-phi-2017";
    assert_eq!(
        data["time"][open]["may"],
        serde_json::json!(["2017-07-01", null])
    );
    assert_eq!(data["time"][open]["sure"], Value::Null);
}

#[test]
fn a_view_too_large_to_draw_gets_a_page_that_says_so() {
    let mut text = String::from(
        "(sources: [(id: \"s\", title: \"t\", published: \"2025\", language: \"en\")], entities: [",
    );
    for i in 0..=PAGE_LIMIT {
        text.push_str(&format!(
            "(id: \"e{i}\", kind: \"hospital\", name: \"H {i}\", country: \"VN\", sources: [\"s\"]),"
        ));
    }
    text.push_str("], relations: [])");
    let graph = HealthGraph::from_ron_str(&text).unwrap();
    let page = page(&graph, None);
    let data = data(&page);
    assert_eq!(data["too_many"], true);
    assert_eq!(data["graph"], Value::Null);
    assert_eq!(data["counts"]["entities"], PAGE_LIMIT + 1);
    // Small however large the graph: no entity is written.
    assert!(!page.contains("\"e17\""));
}
