//! The `healthgraph` command as a person meets it: what each friction a new
//! user met now gives, exit statuses included.

use std::path::Path;
use std::process::Command;

/// Runs the command with `args` from the repository's root: (exit status,
/// standard output, standard error).
fn run_in(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_healthgraph"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the command runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn run(args: &[&str]) -> (i32, String, String) {
    run_in(Path::new(env!("CARGO_MANIFEST_DIR")), args)
}

/// A data set written to a temporary folder (removed when the folder is
/// dropped, even when a test fails), and its path.
fn data_set(text: &str) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("data.ron");
    std::fs::write(&path, text).unwrap();
    (dir, path.to_str().unwrap().to_owned())
}

/// A data set of `n` hospitals, h0 to h(n-1), and a cooperation between
/// each pair given (`r{i}-{j}`), all citing one source.
fn hospitals(n: usize, pairs: impl IntoIterator<Item = (usize, usize)>) -> String {
    let mut text = String::from(
        r#"(sources: [(id: "s", title: "T", published: "2025", language: "en")], entities: ["#,
    );
    for i in 0..n {
        text.push_str(&format!(
            r#"(id: "h{i}", kind: "hospital", name: "H{i}", sources: ["s"]),"#
        ));
    }
    text.push_str("], relations: [");
    for (i, j) in pairs {
        text.push_str(&format!(
            r#"(id: "r{i}-{j}", kind: "cooperation", from: "h{i}", to: "h{j}", status: "ongoing", basis: "stated", sources: ["s"]),"#
        ));
    }
    text.push_str("])");
    text
}

#[test]
fn the_help_lists_every_subcommand() {
    let (status, out, _) = run(&["--help"]);
    assert_eq!(status, 0);
    for sub in [
        "partners",
        "path",
        "agreements",
        "changes",
        "matrix",
        "measure",
        "timeline",
        "search",
        "validate",
        "export",
    ] {
        assert!(
            out.contains(&format!("\n  {sub} ")),
            "{sub} missing:\n{out}"
        );
    }
}

#[test]
fn argument_errors_exit_2_not_nothing_found() {
    for args in [
        &["path", "ap-hp", "hanoi-doh", "--k", "0"][..],
        &["path", "ap-hp", "hanoi-doh", "--max-hops", "0"],
        &["partners", "hanoi-doh", "--depth", "0"],
        &["timeline", "--from", "2025-06", "--to", "2025-05"],
        &["agreements", "--expiring", "2030..2029"],
    ] {
        let (status, _, err) = run(args);
        assert_eq!(status, 2, "{args:?}: {err}");
        assert!(!err.is_empty(), "{args:?}: no message");
    }
    let (_, _, err) = run(&["timeline", "--from", "2025-06", "--to", "2025-05"]);
    assert!(
        err.contains("--from 2025-06 is after --to 2025-05"),
        "{err}"
    );
}

#[test]
fn kind_and_status_names_are_case_insensitive() {
    let (lower, expected, _) = run(&[
        "partners",
        "karolinska-institute",
        "--kinds",
        "mou,renewal",
        "--status",
        "signed",
    ]);
    let (upper, out, err) = run(&[
        "partners",
        "karolinska-institute",
        "--kinds",
        "MOU,Renewal",
        "--status",
        "Signed",
    ]);
    assert_eq!((lower, upper), (0, 0), "{err}");
    assert_eq!(out, expected);
}

#[test]
fn dates_in_other_forms_get_a_suggestion() {
    let (status, _, err) = run(&["partners", "hanoi-doh", "--on", "23/05/2025"]);
    assert_eq!(status, 2);
    assert!(err.contains("did you mean 2025-05-23?"), "{err}");
    let (_, _, err) = run(&["agreements", "--on", "2025-5-23"]);
    assert!(err.contains("did you mean 2025-05-23?"), "{err}");
}

#[test]
fn validate_reports_on_standard_output_with_exit_1() {
    let (status, out, err) = run(&["validate", "tests/fixtures/invalid/many-problems.ron"]);
    assert_eq!(status, 1);
    assert!(out.ends_with("4 problems\n"), "{out}");
    assert!(
        out.contains("many-problems.ron:14:59: relation `mou-a` points at unknown entity `kobe`")
    );
    assert!(err.is_empty(), "{err}");
}

#[test]
fn files_that_are_not_data_sets_are_named_for_what_they_are() {
    let dir = std::env::temp_dir().join(format!("healthgraph-cmd-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for (name, text, says) in [
        (
            "empty.ron",
            "",
            "the file is empty: a data set starts with `(`",
        ),
        (
            "notes.ron",
            "# My notes\n",
            "this is not a data file: a data set starts with `(`",
        ),
        ("list.ron", "[1, 2]", "this is not a data file"),
    ] {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        let (status, out, _) = run(&["validate", path.to_str().unwrap()]);
        assert_eq!(status, 1);
        assert!(out.contains(says), "{name}: {out}");
        assert!(
            !out.contains("struct `dataset`") && !out.contains("#![enable"),
            "{out}"
        );
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_missing_default_data_set_says_where_it_looked() {
    let dir = std::env::temp_dir();
    let (status, _, err) = run_in(&dir, &["partners", "hanoi-doh"]);
    assert_eq!(status, 2);
    assert!(err.contains("no data set at `data/hanoi.ron`"), "{err}");
    assert!(err.contains("--data PATH"), "{err}");
}

#[test]
fn output_has_no_placeholders_and_counts_agree_with_nouns() {
    let (_, out, _) = run(&["agreements", "--expiring", "..2030"]);
    assert!(out.starts_with("Agreements ending by 2030: 2\n"), "{out}");
    assert!(!out.contains("0000"));
    let (_, out, _) = run(&["agreements", "--expiring", "2029.."]);
    assert!(
        out.starts_with("Agreements ending from 2029 on: 2\n"),
        "{out}"
    );
    assert!(!out.contains("9999"));
    let (status, out, _) = run(&["path", "hanoi-doh", "hanoi-doh"]);
    assert_eq!(status, 0);
    assert!(out.contains("Path 1: the two are the same entity"), "{out}");
    assert!(
        !out.contains("0 hops") && !out.contains("sources:"),
        "{out}"
    );
    let (_, out, _) = run(&[
        "agreements",
        "--lineage",
        "cooperation-hanoi-doh-ap-hp-2024-2029",
    ]);
    assert!(
        out.starts_with("Lineage (1 agreement, oldest first"),
        "{out}"
    );
    let (_, out, _) = run(&["validate", "tests/fixtures/folder-ok"]);
    assert!(
        out.contains(": valid: 1 source, 2 entities, 2 relations"),
        "{out}"
    );
}

#[test]
fn search_lists_matches_with_how_they_matched() {
    let (status, out, _) = run(&["search", "phu san"]);
    assert_eq!(status, 0);
    let first = out.lines().nth(1).unwrap_or_default();
    assert!(
        first.contains("hanoi-obgyn-hospital") && first.contains("words"),
        "{out}"
    );
    let (status, _, _) = run(&["search", "no such organisation anywhere"]);
    assert_eq!(status, 1);
}

#[test]
fn a_snapshot_export_opens_with_every_subcommand() {
    let path =
        std::env::temp_dir().join(format!("healthgraph-cmd-{}.snapshot", std::process::id()));
    let p = path.to_str().unwrap();
    let (status, _, err) = run(&["export", "--format", "snapshot", "--output", p]);
    assert_eq!(status, 0, "{err}");
    let (_, from_ron, _) = run(&["partners", "hanoi-obgyn-hospital", "--depth", "2"]);
    let (status, from_snapshot, _) = run(&[
        "--data",
        p,
        "partners",
        "hanoi-obgyn-hospital",
        "--depth",
        "2",
    ]);
    assert_eq!(status, 0);
    assert_eq!(from_snapshot, from_ron);
    std::fs::remove_file(&path).ok();
}

#[test]
fn a_timeline_window_lists_what_happened_in_it_unless_asked_for_overlaps() {
    let (status, out, _) = run(&["timeline", "--from", "2025-05", "--to", "2025-05"]);
    assert_eq!(status, 0);
    assert!(
        out.starts_with("Relations dated within 2025-05..2025-05"),
        "{out}"
    );
    // Neither the 2017 MOU nor the cooperation since 2020 happened in May 2025.
    for not in ["mou-hanoi-peoples-committee-phi-2017", "2020..", "undated"] {
        assert!(!out.contains(not), "{not}:\n{out}");
    }
    assert!(out.contains("visit-ap-hp-hanoi-doh-2025"));
    let (status, out, _) = run(&[
        "timeline",
        "--from",
        "2025-05",
        "--to",
        "2025-05",
        "--overlapping",
    ]);
    assert_eq!(status, 0);
    assert!(
        out.starts_with("Relations that may have held at some time in 2025-05..2025-05"),
        "{out}"
    );
    assert!(out.contains("mou-hanoi-peoples-committee-phi-2017"));
    let (_, json, _) = run(&["timeline", "--from", "2025-05", "--format", "json"]);
    assert!(json.contains("\"kept\": \"dated-within\""), "{json}");
}

#[test]
fn search_ranks_names_above_ids_and_says_why_candidates_tie() {
    // `karolinska` is a word of Karolinska's name, but only of the research
    // group's id: the name match wins, and the command is not ambiguous.
    let (status, out, err) = run(&["partners", "karolinska"]);
    assert_eq!(status, 0, "{err}");
    assert!(
        out.starts_with("Viện Karolinska  (karolinska-institute"),
        "{out}"
    );
    let (_, out, _) = run(&["search", "karolinska"]);
    let ids: Vec<&str> = out
        .lines()
        .skip(1)
        .filter_map(|l| l.split_whitespace().nth(1))
        .collect();
    assert_eq!(
        ids,
        [
            "karolinska-institute",
            "karolinska-global-child-health-sdg-group"
        ]
    );
    // A real tie lists every candidate with what it matched on.
    let (status, _, err) = run(&["partners", "benh vien"]);
    assert_eq!(status, 2);
    assert!(
        err.contains("hanoi-heart-hospital (words match on “Bệnh viện Tim Hà Nội”)"),
        "{err}"
    );
}

#[test]
fn transposed_letters_get_a_suggestion() {
    let (status, _, err) = run(&["partners", "karolinksa"]);
    assert_eq!(status, 2);
    assert!(err.contains("did you mean `karolinska-institute`"), "{err}");
}

#[test]
fn an_entity_given_for_a_relation_says_so_and_lists_its_agreements() {
    let (status, _, err) = run(&["agreements", "--lineage", "hanoi-obgyn-hospital"]);
    assert_eq!(status, 2);
    assert!(
        err.contains("`hanoi-obgyn-hospital` is an entity, not a relation; its agreements: `cooperation-karolinska-institute-hanoi-obgyn-hospital-research`, `mou-karolinska-institute-hanoi-obgyn-hospital`, `renewal-karolinska-institute-hanoi-obgyn-hospital-2025`"),
        "{err}"
    );
}

#[test]
fn the_lossless_json_export_opens_with_every_subcommand() {
    let path = std::env::temp_dir().join(format!("healthgraph-cmd-{}.json", std::process::id()));
    let p = path.to_str().unwrap();
    let (status, _, err) = run(&[
        "export", "--kinds", "all", "--format", "json", "--output", p,
    ]);
    assert_eq!(status, 0, "{err}");
    let (_, from_ron, _) = run(&["agreements", "--on", "2026-01-01"]);
    let (status, from_json, err) = run(&["--data", p, "agreements", "--on", "2026-01-01"]);
    assert_eq!(status, 0, "{err}");
    assert_eq!(from_json, from_ron);
    // An ego network's JSON holds its records whole, and loads too.
    let (status, ego, _) = run(&[
        "export",
        "ajou-university-hospital",
        "--kinds",
        "all",
        "--format",
        "json",
    ]);
    assert_eq!(status, 0);
    std::fs::write(&path, &ego).unwrap();
    let (status, out, err) = run(&["validate", p]);
    assert_eq!(status, 0, "{out}{err}");
    assert!(
        out.contains("valid: 3 sources, 2 entities, 3 relations"),
        "{out}"
    );
    std::fs::remove_file(&path).ok();
}

#[test]
fn the_csv_export_opens_with_every_subcommand() {
    let dir = std::env::temp_dir().join(format!("healthgraph-cmd-csv-{}", std::process::id()));
    let d = dir.to_str().unwrap();
    let (status, _, err) = run(&["export", "--kinds", "all", "--format", "csv", "--output", d]);
    assert_eq!(status, 0, "{err}");
    let (_, from_ron, _) = run(&["timeline", "hanoi-doh", "--kinds", "all"]);
    let (status, from_csv, err) = run(&["--data", d, "timeline", "hanoi-doh", "--kinds", "all"]);
    assert_eq!(status, 0, "{err}");
    assert_eq!(from_csv, from_ron);
    let (status, _, err) = run(&["export", "--format", "csv"]);
    assert_eq!(status, 2);
    assert!(err.contains("give --output FOLDER"), "{err}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn graphml_and_gexf_escape_what_xml_needs() {
    let (_dir, data) = data_set(
        r#"(sources: [(id: "s", title: "T", published: "2025", language: "en")],
            entities: [(id: "a", kind: "city", name: "A & B <x> \"q\" 'y'\nz", sources: ["s"]),
                       (id: "b", kind: "hospital", name: "B", sources: ["s"])],
            relations: [(id: "r", kind: "located-in", from: "b", to: "a", status: "ongoing", basis: "stated", sources: ["s"])])"#,
    );
    for format in ["graphml", "gexf"] {
        let (status, out, err) = run(&[
            "--data", &data, "export", "--kinds", "all", "--format", format,
        ]);
        assert_eq!(status, 0, "{err}");
        assert!(
            out.contains("A &amp; B &lt;x&gt; &quot;q&quot; &apos;y&apos;&#10;z"),
            "{format}: {out}"
        );
        assert!(!out.contains("<x>"), "{format}");
    }
}

#[test]
fn export_names_its_formats_and_writes_rdf() {
    let (status, _, err) = run(&["export", "--format", "rdf"]);
    assert_eq!(status, 2);
    assert!(
        err.contains("unknown export format `rdf`") && err.contains("turtle, ntriples"),
        "{err}"
    );
    let (status, out, err) = run(&["export", "--format", "Turtle"]);
    assert_eq!(status, 0, "{err}");
    assert!(out.starts_with("@prefix"), "{out}");
    assert!(
        out.contains("entity:karolinska-institute hg:renewal entity:hanoi-obgyn-hospital"),
        "{out}"
    );
}

#[test]
fn the_database_exports_need_a_folder_and_write_one() {
    let (status, _, err) = run(&["export", "--format", "neo4j"]);
    assert_eq!(status, 2);
    assert!(err.contains("give --output FOLDER"), "{err}");
    let dir = tempfile::tempdir().unwrap();
    for (format, file) in [("neo4j", "relations.csv"), ("kuzu", "schema.cypher")] {
        let out = dir.path().join(format);
        let (status, _, err) = run(&[
            "export",
            "--format",
            format,
            "--output",
            out.to_str().unwrap(),
        ]);
        assert_eq!(status, 0, "{err}");
        assert!(out.join(file).is_file(), "{format}");
    }
}

#[test]
fn an_entity_is_found_by_its_wikidata_or_ror_id() {
    let (_dir, data) = data_set(
        r#"(sources: [(id: "s", title: "T", published: "2025", language: "en")],
            entities: [(id: "a", kind: "institute", name: "A", wikidata: "Q123456", ror: "0abcdef12", sources: ["s"]),
                       (id: "b", kind: "hospital", name: "B", sources: ["s"])],
            relations: [(id: "r", kind: "mou", from: "a", to: "b", status: "signed", basis: "stated", sources: ["s"])])"#,
    );
    let data = data.as_str();
    for id in ["Q123456", "0abcdef12"] {
        let (status, out, err) = run(&["--data", data, "partners", id, "--format", "json"]);
        assert_eq!(status, 0, "{id}: {err}");
        assert!(out.contains(r#""id": "b""#), "{id}: {out}");
    }
    let (status, _, err) = run(&["--data", data, "partners", "Q999"]);
    assert_eq!(status, 2);
    assert!(err.contains("no entity has Wikidata item `Q999`"), "{err}");
}

#[test]
fn bounded_paths_in_a_clique_stop_at_the_limit() {
    // Twelve hospitals all joined to each other: about 10^8 simple paths of
    // at most 11 hops between two of them. The answer is the first 100 (or
    // --limit), found without finding the rest.
    let pairs = (0..12).flat_map(|i| (i + 1..12).map(move |j| (i, j)));
    let text = hospitals(12, pairs);
    let (_dir, data) = data_set(&text);
    let data = data.as_str();
    let (status, out, err) = run(&[
        "--data",
        data,
        "path",
        "h0",
        "h11",
        "--max-hops",
        "11",
        "--format",
        "json",
    ]);
    assert_eq!(status, 0, "{err}");
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let paths = json["paths"].as_array().unwrap();
    assert_eq!(paths.len(), 100);
    // Shortest first: the direct relation, then the 10 two-hop paths in
    // the order of the ids along them (as text: h1, h10, h2, ...).
    assert_eq!(paths[0]["hops"].as_array().unwrap().len(), 1);
    assert_eq!(paths[1]["hops"][0]["to"], "h1");
    assert_eq!(paths[2]["hops"][0]["to"], "h10");
    assert_eq!(paths[10]["hops"][0]["to"], "h9");
    assert_eq!(paths[11]["hops"].as_array().unwrap().len(), 3);
    let (status, out, _) = run(&[
        "--data",
        data,
        "path",
        "h0",
        "h11",
        "--max-hops",
        "11",
        "--limit",
        "3",
    ]);
    assert_eq!(status, 0);
    assert!(
        out.ends_with("(the first 3 paths; --limit N shows more)\n"),
        "{out}"
    );
}

#[test]
fn agreements_draw_a_timeline_as_svg_of_all_or_of_one_entity() {
    let (status, all, _) = run(&["agreements", "--format", "svg"]);
    assert_eq!(status, 0);
    assert!(all.starts_with("<svg "));
    let (status, one, _) = run(&[
        "agreements",
        "karolinska",
        "--format",
        "SVG",
        "--on",
        "2031-01-01",
    ]);
    assert_eq!(status, 0);
    // Karolinska's agreements only, with the asked date marked.
    assert!(one.matches("<g data-agreement=").count() < all.matches("<g data-agreement=").count());
    assert!(
        one.contains("data-agreement=\"renewal-karolinska-institute-hanoi-obgyn-hospital-2025\"")
    );
    assert!(
        !one.contains("data-agreement=\"mou-hanoi-oncology-hospital-astrazeneca-vietnam-2025\"")
    );
    assert!(one.contains("on 2031-01-01"));
    // One entity's agreements in text too.
    let (status, text, _) = run(&["agreements", "karolinska", "--on", "2026-01-01"]);
    assert_eq!(status, 0);
    assert!(text.contains("In force (1)"), "{text}");
    // Other subcommands say where svg belongs.
    let (status, _, err) = run(&["partners", "hanoi-doh", "--format", "svg"]);
    assert_eq!(status, 2);
    assert!(err.contains("healthgraph agreements --format svg"), "{err}");
}

#[test]
fn export_writes_an_html_page_of_the_graph_or_an_ego_network() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("page.html");
    let page = page.to_str().unwrap();
    let (status, _, err) = run(&[
        "export",
        "karolinska-institute",
        "--format",
        "html",
        "--output",
        page,
    ]);
    assert_eq!(status, 0, "{err}");
    let text = std::fs::read_to_string(page).unwrap();
    assert!(text.starts_with("<!DOCTYPE html>"));
    assert!(text.contains("healthgraph: around Viện Karolinska"));
    assert!(text.contains("\"center\":\"karolinska-institute\""));
}

#[test]
fn changes_lists_what_began_ended_was_renewed_or_reported_in_a_window() {
    let (status, text, _) = run(&["changes", "2025-01..2025-06"]);
    assert_eq!(status, 0);
    assert!(text.starts_with("Changes from 2025-01 to 2025-06"));
    assert!(text.contains("Renewed (1)"), "{text}");
    assert!(text.contains("maybe  2025  renewal"), "{text}");
    let (status, json, _) = run(&["changes", "2025-01..2025-06", "--format", "json"]);
    assert_eq!(status, 0);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["renewed"][0]["certainty"], "maybe");
    assert_eq!(v["began"].as_array().unwrap().len(), 10);
    // Nothing happened in 2019: exit 1. A window backwards: exit 2.
    assert_eq!(run(&["changes", "2019..2019"]).0, 1);
    assert_eq!(run(&["changes", "2025-06..2025-01"]).0, 2);
}

#[test]
fn path_takes_a_time_mode_and_gives_a_verdict() {
    let (status, text, _) = run(&[
        "path",
        "kobe-university-hospital",
        "karolinska-institute",
        "--chronological",
    ]);
    assert_eq!(status, 0);
    assert!(
        text.contains("in time order, starting 2025-01-17, then 2025-05-23; surely"),
        "{text}"
    );
    // Karolinska to Kobe goes back in time.
    let (status, _, _) = run(&[
        "path",
        "karolinska-institute",
        "kobe-university-hospital",
        "--chronological",
    ]);
    assert_eq!(status, 1);
    let (status, json, _) = run(&[
        "path",
        "hanoi-obgyn-hospital",
        "karolinska-institute",
        "--kinds",
        "agreement",
        "--on",
        "2025-03-01",
        "--format",
        "json",
    ]);
    assert_eq!(status, 0);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    // The undated MOU and cooperation may hold on that day; none surely does.
    assert_eq!(v["paths"][0]["certainty"], "maybe");
    let (status, _, _) = run(&[
        "path",
        "hanoi-obgyn-hospital",
        "karolinska-institute",
        "--throughout",
        "2026..2029",
    ]);
    assert_eq!(status, 0);
    let (status, _, _) = run(&[
        "path",
        "hanoi-obgyn-hospital",
        "karolinska-institute",
        "--throughout",
        "2026..2031",
    ]);
    assert_eq!(status, 1);
    // Modes that cannot go together, and a gap without --chronological.
    for args in [
        &[
            "path",
            "ap-hp",
            "hanoi-doh",
            "--on",
            "2025",
            "--during",
            "2025..2026",
        ][..],
        &["path", "ap-hp", "hanoi-doh", "--max-gap", "30"][..],
        &["path", "ap-hp", "hanoi-doh", "--chronological", "--k", "2"][..],
    ] {
        assert_eq!(run(args).0, 2, "{args:?}");
    }
}

/// A path whose every hop has a relation open on both sides holds whenever
/// its dates allow: the text says so without calling it undated when dated
/// relations run beside the open ones.
#[test]
fn a_path_open_on_both_sides_is_called_undated_only_when_it_is() {
    let (status, text, _) = run(&["path", "hanoi-doh", "hanoi-obgyn-hospital"]);
    assert_eq!(status, 0);
    assert!(
        text.contains("2 hops; its dates do not bound when it holds"),
        "{text}"
    );
    assert!(text.contains("visit  2025-05-23"), "{text}");
    let (status, text, _) = run(&["path", "hanoi-doh", "jimca"]);
    assert_eq!(status, 0);
    assert!(text.contains("1 hop; no relation on it is dated"), "{text}");
}

/// Exact betweenness searches from every entity: past 20,000 entities the
/// command asks for an estimate or an explicit --exact instead of running
/// for hours.
#[test]
fn exact_betweenness_of_a_large_view_needs_asking_for() {
    let text = hospitals(20_001, [(0, 1)]);
    let (_dir, data) = data_set(&text);
    let data = data.as_str();
    let (status, out, err) = run(&["--data", data, "measure", "betweenness"]);
    assert_eq!(status, 2, "{out}");
    assert!(
        err.contains("exact betweenness of 20001 entities") && err.contains("--sample K"),
        "{err}"
    );
    for args in [&["--exact"][..], &["--sample", "10"]] {
        let mut all = vec!["--data", data, "measure", "betweenness", "--limit", "1"];
        all.extend_from_slice(args);
        let (status, out, err) = run(&all);
        assert_eq!(status, 0, "{args:?}: {err}");
        assert!(out.contains("20001 entities"), "{args:?}: {out}");
    }
}

/// The matrix's rows are bounded by --limit: a row counts everything under
/// its entity, which in a large structure is much of the graph.
#[test]
fn matrix_rows_stop_at_the_limit() {
    let (status, all, _) = run(&["matrix", "--format", "json"]);
    assert_eq!(status, 0);
    let all: serde_json::Value = serde_json::from_str(&all).unwrap();
    assert_eq!(all["rows"].as_array().unwrap().len(), 3);
    let (status, text, _) = run(&["matrix", "--limit", "2"]);
    assert_eq!(status, 0);
    assert!(
        text.contains("(the first 2 of 3 rows; --limit N shows more)"),
        "{text}"
    );
    assert!(
        text.contains("Hà Nội (hanoi)") && !text.contains("Paris (paris)"),
        "{text}"
    );
    let (status, json, err) = run(&["matrix", "--limit", "2", "--format", "json"]);
    assert_eq!(status, 0);
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(json["rows"].as_array().unwrap().len(), 2);
    assert_eq!(json["rows"][1], all["rows"][1]);
    assert!(err.contains("note: the first 2 of 3 rows"), "{err}");
    // A CSV table stays a table: the note goes to standard error.
    let (status, csv, err) = run(&["matrix", "--limit", "2", "--format", "csv"]);
    assert_eq!(status, 0);
    assert!(csv.starts_with("row,") && !csv.contains("--limit"), "{csv}");
    assert!(err.contains("note: the first 2 of 3 rows"), "{err}");
    assert_eq!(run(&["matrix", "--limit", "0"]).0, 2);
}

/// The timeline of every entity is bounded by --limit: the earliest
/// relations, and a note of how many there were.
#[test]
fn the_timeline_stops_at_the_limit() {
    let (status, all, _) = run(&["timeline", "--format", "json"]);
    assert_eq!(status, 0);
    let all: serde_json::Value = serde_json::from_str(&all).unwrap();
    let total = all["relations"].as_array().unwrap().len();
    assert!(total > 3);
    let (status, text, _) = run(&["timeline", "--limit", "3"]);
    assert_eq!(status, 0);
    assert!(
        text.contains(&format!(
            "(the earliest 3 of {total} relations; --limit N shows more)"
        )),
        "{text}"
    );
    let (status, json, err) = run(&["timeline", "--limit", "3", "--format", "json"]);
    assert_eq!(status, 0);
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        json["relations"].as_array().unwrap()[..],
        all["relations"].as_array().unwrap()[..3]
    );
    assert!(err.contains("note: the earliest 3 of"), "{err}");
    assert_eq!(run(&["timeline", "--limit", "0"]).0, 2);
}

/// What a person may mistype gets a message that says what to do.
#[test]
fn an_empty_search_and_an_entity_not_yet_known_are_explained() {
    for text in ["", "  ", "--"] {
        let (status, out, err) = run(&["search", "--", text]);
        assert_eq!(status, 2, "{text:?}: {out}");
        assert!(
            err.contains("give a name, an alias or an id"),
            "{text:?}: {err}"
        );
    }
    let (status, _, err) = run(&["--known-by", "2000", "partners", "hanoi"]);
    assert_eq!(status, 2);
    assert!(
        err.contains("no entity matches `hanoi`")
            && err.contains(
                "with --known-by 2000, only what sources published by then report is known"
            ),
        "{err}"
    );
    let (status, _, err) = run(&["partners", "nobody"]);
    assert_eq!(status, 2);
    assert!(!err.contains("--known-by"), "{err}");
}

#[test]
fn matrix_counts_upward_in_text_json_and_csv() {
    let (status, text, _) = run(&["matrix"]);
    assert_eq!(status, 0);
    assert!(
        text.lines().any(|l| l.starts_with("Hà Nội (hanoi)")),
        "{text}"
    );
    let (status, json, _) = run(&[
        "matrix",
        "--under",
        "hanoi",
        "--on",
        "2025-06-01",
        "--format",
        "json",
    ]);
    assert_eq!(status, 0);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let doh = v["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["entity"]["id"] == "hanoi-doh")
        .unwrap();
    assert_eq!(doh["cells"]["FR"]["surely"], 1);
    let (status, csv, _) = run(&[
        "matrix",
        "--rows",
        "hanoi-obgyn-hospital,karolinska",
        "--columns",
        "entities",
        "--format",
        "csv",
    ]);
    assert_eq!(status, 0);
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let lines: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert!(lines.iter().any(|l| &l[0] == "hanoi-obgyn-hospital"
        && &l[2] == "karolinska-institute"
        && &l[3] == "renewal"
        && &l[4] == "1"));
    assert_eq!(run(&["matrix", "--under", "no-such-entity"]).0, 2);
    assert_eq!(run(&["matrix", "--columns", "cities"]).0, 2);
}

#[test]
fn search_finds_a_former_name_and_says_so() {
    let (status, out, _) = run(&[
        "search",
        "nhan dan 115",
        "--data",
        "tests/fixtures/former-name/data.ron",
    ]);
    assert_eq!(status, 0);
    assert!(
        out.contains("Bệnh viện Nhân dân 115 (former name, 1989..2010)"),
        "{out}"
    );
    // And a former name leads to the entity everywhere a name does.
    let (status, out, _) = run(&[
        "partners",
        "nhan dan 115",
        "--data",
        "tests/fixtures/former-name/data.ron",
    ]);
    assert_eq!(status, 0, "{out}");
    assert!(out.contains("hanoi-doh"));
    // The CSV folder carries it in a table of its own.
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("tables");
    let folder = folder.to_str().unwrap();
    let (status, _, err) = run(&[
        "export",
        "--kinds",
        "all",
        "--format",
        "csv",
        "--output",
        folder,
        "--data",
        "tests/fixtures/former-name/data.ron",
    ]);
    assert_eq!(status, 0, "{err}");
    let table = std::fs::read_to_string(dir.path().join("tables/former_names.csv")).unwrap();
    assert_eq!(
        table,
        "entity,name,start,end\nhospital-115,Bệnh viện Nhân dân 115,1989,2010\n"
    );
    let (status, out, _) = run(&["search", "nhan dan", "--data", folder]);
    assert_eq!(status, 0);
    assert!(out.contains("former name"), "{out}");
}

#[test]
fn a_contested_agreement_says_so_and_known_by_answers_as_of_then() {
    let data = "tests/fixtures/contested/data.ron";
    let (status, out, _) = run(&["agreements", "--on", "2030-06-01", "--data", data]);
    assert_eq!(status, 0);
    assert!(
        out.contains("2025-01-01..2030-12-31  signed, contested"),
        "{out}"
    );
    // In March 2025 only the first report was out: 2024..2029, not in force in mid-2030.
    let (status, _, _) = run(&[
        "agreements",
        "--on",
        "2030-06-01",
        "--known-by",
        "2025-03",
        "--data",
        data,
    ]);
    assert_eq!(status, 1);
    let (status, out, _) = run(&[
        "agreements",
        "--on",
        "2024-06-01",
        "--known-by",
        "2025-03",
        "--data",
        data,
        "--format",
        "json",
    ]);
    assert_eq!(status, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["in_force"][0]["start"], "2024-01-01");
    assert!(v["in_force"][0].get("contested").is_none());
    // The claim survives every format: JSON and the CSV folder carry it.
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("tables");
    let folder = folder.to_str().unwrap();
    assert_eq!(
        run(&[
            "export", "--kinds", "all", "--format", "csv", "--output", folder, "--data", data
        ])
        .0,
        0
    );
    let claims = std::fs::read_to_string(dir.path().join("tables/claims.csv")).unwrap();
    assert!(
        claims.starts_with("relation,start,end,status,rank,sources,note\n"),
        "{claims}"
    );
    let (status, out, _) = run(&["agreements", "--on", "2030-06-01", "--data", folder]);
    assert_eq!(status, 0);
    assert!(out.contains("contested"), "{out}");
}

#[test]
fn measure_components_degree_betweenness_and_common_partners() {
    let (status, out, _) = run(&["measure", "components", "--limit", "2"]);
    assert_eq!(status, 0);
    assert!(out.contains("(the first 2; --limit N shows more)"), "{out}");
    let (status, out, _) = run(&["measure", "betweenness", "--format", "json", "--limit", "2"]);
    assert_eq!(status, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["entities"][0]["id"], "hanoi-peoples-committee");
    assert_eq!(v["entities"][0]["score"], 15.0);
    assert_eq!(v["entities"].as_array().unwrap().len(), 2);
    // Sampling every entity is exact; the seed makes an estimate repeatable.
    let (_, exact, _) = run(&["measure", "betweenness", "--format", "json", "--limit", "5"]);
    let (_, all, _) = run(&[
        "measure",
        "betweenness",
        "--format",
        "json",
        "--limit",
        "5",
        "--sample",
        "100",
    ]);
    let scores = |text: &str| -> Vec<serde_json::Value> {
        let v: serde_json::Value = serde_json::from_str(text).unwrap();
        v["entities"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["score"].clone())
            .collect()
    };
    assert_eq!(scores(&exact), scores(&all));
    let once = run(&["measure", "betweenness", "--sample", "5", "--seed", "9"]).1;
    assert_eq!(
        once,
        run(&["measure", "betweenness", "--sample", "5", "--seed", "9"]).1
    );
    let (status, out, _) = run(&["measure", "degree", "hanoi", "--kinds", "located-in"]);
    assert_eq!(status, 0);
    assert!(out.contains("10     hanoi"), "{out}");
    let (status, out, _) = run(&[
        "measure",
        "common",
        "hanoi-heart-hospital",
        "hanoi-oncology-hospital",
        "--kinds",
        "participation",
    ]);
    assert_eq!(status, 0);
    assert!(out.contains("ap-hp"), "{out}");
    assert_eq!(run(&["measure", "betweenness", "--sample", "0"]).0, 2);
    assert_eq!(run(&["measure", "betweenness", "--seed", "3"]).0, 2);
}

#[test]
fn a_reader_that_stops_early_ends_the_output_quietly() {
    use std::io::Read;
    for args in [
        &["export", "--kinds", "all", "--format", "json"][..],
        &["export", "--kinds", "all", "--format", "turtle"][..],
        &["export", "--kinds", "all", "--format", "html"][..],
        &["timeline"][..],
    ] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_healthgraph"))
            .args(args)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        // Read a little, then stop, as `| head -c 16` does.
        let mut first = [0u8; 16];
        child.stdout.take().unwrap().read_exact(&mut first).unwrap();
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.is_empty(), "{args:?}: {err}");
        assert!(out.status.success(), "{args:?}: {:?}", out.status);
    }
}

#[test]
fn changes_are_bounded_by_a_limit_and_say_so() {
    let (status, text, _) = run(&["changes", "..", "--limit", "2"]);
    assert_eq!(status, 0);
    assert!(
        text.ends_with("(the first 2 of each kind; --limit N shows more)\n"),
        "{text}"
    );
    assert!(text.contains("Began (2)"), "{text}");
    let (_, json, _) = run(&["changes", "..", "--limit", "2", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["truncated"], true);
    assert_eq!(v["began"].as_array().unwrap().len(), 2);
    let (_, json, _) = run(&["changes", "2025-01..2025-06", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert!(v.get("truncated").is_none());
}

/// Search and agreements are bounded too: text ends with what it shows of
/// how many; JSON of agreements says `"truncated"`; within the limit
/// nothing is added.
#[test]
fn search_and_agreements_are_bounded_by_a_limit_and_say_so() {
    let (status, text, _) = run(&["search", "hospital", "--limit", "2"]);
    assert_eq!(status, 0);
    let (_, all, _) = run(&["search", "hospital"]);
    let total = all.lines().skip(1).filter(|l| !l.is_empty()).count();
    assert!(total > 2, "{all}");
    assert!(
        text.ends_with(&format!(
            "(the best 2 of {total} matches; --limit N shows more)\n"
        )),
        "{text}"
    );
    assert_eq!(
        text.lines().filter(|l| l.contains("hospital  ")).count(),
        2,
        "{text}"
    );
    assert!(!all.contains("--limit"), "{all}");

    let (status, text, _) = run(&["agreements", "--on", "2025-06-01", "--limit", "1"]);
    assert_eq!(status, 0);
    assert!(
        text.contains("In force (1)") && text.contains("Unknown (1)"),
        "{text}"
    );
    assert!(text.ends_with("unknown; --limit N shows more)\n"), "{text}");
    let (_, json, _) = run(&[
        "agreements",
        "--on",
        "2025-06-01",
        "--limit",
        "1",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["truncated"], true);
    assert_eq!(v["unknown"].as_array().unwrap().len(), 1);
    let (_, json, _) = run(&["agreements", "--on", "2025-06-01", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert!(v.get("truncated").is_none());
    assert!(v["unknown"].as_array().unwrap().len() > 1);

    let (_, text, _) = run(&["agreements", "--expiring", "2020..2035", "--limit", "1"]);
    assert!(
        text.ends_with("(the first 1 of 2; --limit N shows more)\n"),
        "{text}"
    );
    let (status, _, err) = run(&["search", "hospital", "--limit", "0"]);
    assert_eq!(status, 2, "{err}");

    // A picture cannot carry the note: standard error does.
    let (status, svg, err) = run(&["agreements", "--format", "svg", "--limit", "2"]);
    assert_eq!(status, 0, "{err}");
    assert_eq!(svg.matches("data-agreement=").count(), 2);
    assert!(
        err.contains("the first 2 of ") && err.contains("--limit N draws more"),
        "{err}"
    );
    let (_, svg, err) = run(&["agreements", "--format", "svg"]);
    assert!(svg.matches("data-agreement=").count() > 2);
    assert!(err.is_empty(), "{err}");
}

/// Every transcript in the README (a block that starts with
/// `$ cargo run -- ARGS`) is what the command prints for those arguments
/// (its first N lines when the block pipes into `head -N`), so the README
/// cannot drift from the command.
#[test]
fn the_readmes_transcripts_are_what_the_command_prints() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let mut checked = 0;
    for block in readme.split("```text\n").skip(1) {
        let Some(block) = block.split("```").next() else {
            continue;
        };
        let Some(rest) = block.strip_prefix("$ cargo run -- ") else {
            continue;
        };
        let (command, shown) = rest.split_once('\n').unwrap();
        let (command, lines) = match command.split_once(" | head -") {
            Some((c, n)) => (c, Some(n.parse::<usize>().unwrap())),
            None => (command, None),
        };
        // Arguments as a shell would split them (double quotes only).
        let mut args: Vec<String> = Vec::new();
        let mut quoted = false;
        let mut word = String::new();
        for c in command.chars() {
            match c {
                '"' => quoted = !quoted,
                ' ' if !quoted => {
                    if !word.is_empty() {
                        args.push(std::mem::take(&mut word));
                    }
                }
                c => word.push(c),
            }
        }
        if !word.is_empty() {
            args.push(word);
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let (_, out, _) = run(&args);
        let out = match lines {
            Some(n) => out.split_inclusive('\n').take(n).collect::<String>(),
            None => out,
        };
        assert_eq!(out, shown, "README transcript of `{command}`");
        checked += 1;
    }
    assert!(checked >= 10, "only {checked} transcripts found");
}
