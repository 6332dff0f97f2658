//! The CSV format: a folder of tables as a spreadsheet keeps them, read into
//! the same records through the same rules, every problem located with its
//! column's header.

use healthgraph::{HealthGraph, Rule};

fn check(folder: &str, expected: &[(Rule, &str)]) {
    crate::validation::expect_problems(
        &format!("tests/fixtures/invalid-csv/{folder}"),
        "/",
        expected,
    );
}

#[test]
fn every_problem_of_every_table_in_one_pass_with_its_column() {
    // sources.csv starts with a byte-order mark and quotes a comma: it reads.
    check(
        "problems",
        &[
            (
                Rule::UnknownField,
                "entities.csv:1:6: unknown column `colour` in entities.csv: expected one of id, kind, name, name_en, aliases, country, wikidata, ror, sources, note",
            ),
            (
                Rule::InvalidCountry,
                "entities.csv:5:4: unknown country `XX`: expected an ISO 3166-1 alpha-2 code such as VN (column `country`)",
            ),
            (
                Rule::Syntax,
                "entities.csv:6:1: this row of entities.csv has 2 cells where the header has 6; the row is not read",
            ),
            (
                Rule::InvalidDate,
                "relations.csv:2:5: invalid date `2025-13`: months run from 01 to 12 (column `start`)",
            ),
            (
                Rule::UnknownEntity,
                "relations.csv:3:4: relation `visit-b` points at unknown entity `kobe` (column `to`)",
            ),
            (
                Rule::UnknownSource,
                "relations.csv:3:9: relation `visit-b` cites unknown source `s9` (column `sources`)",
            ),
            (
                Rule::UnknownRelation,
                "people.csv:3:1: a row of people.csv names relation `mou-z`, which relations.csv does not have (column `relation`)",
            ),
            (
                Rule::Syntax,
                "figures.csv:2:2: `many` is not a whole number (column `value`)",
            ),
        ],
    );
}

#[test]
fn former_names_and_claims_are_located_in_their_own_tables() {
    check(
        "parts",
        &[
            (
                Rule::StartAfterEnd,
                "former_names.csv:2:3: former name `Sở Y tế cũ`: period starts at 2010, after it ends at 2005 (column `start`)",
            ),
            (
                Rule::UnknownEntity,
                "former_names.csv:3:1: a row of former_names.csv names entity `nobody`, which entities.csv does not have (column `entity`)",
            ),
            (
                Rule::UnknownTerm,
                "claims.csv:2:5: unknown rank `favourite`: expected one of preferred, normal, deprecated (column `rank`)",
            ),
            (
                Rule::UnknownSource,
                "claims.csv:3:6: claim 2 of relation `coop-a` cites unknown source `s9` (column `sources`)",
            ),
            (
                Rule::UnknownRelation,
                "claims.csv:4:1: a row of claims.csv names relation `coop-z`, which relations.csv does not have (column `relation`)",
            ),
        ],
    );
}

#[test]
fn a_table_without_a_required_column_is_one_problem() {
    // The entities are not read, so references to them are not reported.
    check(
        "missing-column",
        &[(
            Rule::MissingField,
            "entities.csv:1:1: entities.csv has no column `kind`, which every row needs; the table is not read",
        )],
    );
}

#[test]
fn a_folder_that_mixes_ron_and_csv_is_refused() {
    let err = HealthGraph::load("tests/fixtures/invalid-csv/mixed").unwrap_err();
    assert!(err.is_io());
    assert!(
        err.to_string()
            .contains("holds both RON files and CSV tables"),
        "{err}"
    );
}

#[test]
fn cells_may_hold_commas_quotes_line_breaks_and_escaped_semicolons() {
    let dir = std::env::temp_dir().join(format!("healthgraph-csv-cells-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("sources.csv"),
        "\u{feff}id,title,published,language\ns1,\"A report, \"\"quoted\"\"\",2025,en\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("entities.csv"),
        "id,kind,name,aliases,sources\nobgyn,hospital,\"Bệnh viện\nPhụ sản\",A\\;B;Phụ sản Hà Nội,s1\n",
    )
    .unwrap();
    let graph = HealthGraph::load(&dir).unwrap();
    assert_eq!(graph.source("s1").unwrap().title(), "A report, \"quoted\"");
    let obgyn = graph.entity("obgyn").unwrap();
    assert_eq!(obgyn.name(), "Bệnh viện\nPhụ sản");
    assert_eq!(obgyn.aliases(), ["A;B", "Phụ sản Hà Nội"]);
    // Written back and read again: the same.
    let out = dir.join("again");
    graph.write_csv(&out).unwrap();
    assert_eq!(HealthGraph::load(&out).unwrap(), graph);
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn the_hanoi_data_round_trips_through_csv() {
    let graph = HealthGraph::load("data/hanoi.ron").unwrap();
    let dir = std::env::temp_dir().join(format!("healthgraph-csv-hanoi-{}", std::process::id()));
    graph.write_csv(&dir).unwrap();
    assert_eq!(HealthGraph::load(&dir).unwrap(), graph);
    let header = std::fs::read_to_string(dir.join("relations.csv")).unwrap();
    assert!(header.starts_with(
        "id,kind,from,to,start,end,status,basis,renews,amends,supersedes,scope,sources,note\n"
    ));
    std::fs::remove_dir_all(&dir).ok();
}
