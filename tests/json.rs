//! The lossless JSON format: it validates against `schema/`, reads back into
//! an equal graph, and a broken file gets every problem with its location.

use healthgraph::{EntityKind, HealthGraph, Qualifier, RelationKind, Rule, Status};
use serde_json::Value;

fn schema() -> Value {
    let text = std::fs::read_to_string("schema/healthgraph.schema.json").expect("the schema");
    serde_json::from_str(&text).expect("the schema is JSON")
}

/// Whether `document` validates against the schema, with the errors.
pub(crate) fn check_schema(document: &Value) -> Result<(), Vec<String>> {
    let validator = jsonschema::validator_for(&schema()).expect("a valid schema");
    let errors: Vec<String> = validator
        .iter_errors(document)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

fn json_of(graph: &HealthGraph) -> String {
    let mut out = Vec::new();
    graph.write_json(&mut out).expect("writes");
    String::from_utf8(out).expect("UTF-8")
}

#[test]
fn the_hanoi_export_validates_and_reads_back_equal() {
    let graph = HealthGraph::load("data/hanoi.ron").unwrap();
    let text = json_of(&graph);
    check_schema(&serde_json::from_str(&text).unwrap()).unwrap();
    let again = HealthGraph::from_json_str(&text).unwrap();
    assert_eq!(again, graph);
    assert_eq!(json_of(&again), text, "the same graph gives the same bytes");
    // Lossless: what the old JSON dropped is there.
    for field in [
        "\"aliases\"",
        "\"wikidata\"",
        "\"renews\"",
        "\"scope\"",
        "\"people\"",
        "\"figures\"",
        "\"note\"",
    ] {
        if field == "\"wikidata\"" && !graph.entities().any(|e| e.wikidata().is_some()) {
            continue;
        }
        assert!(text.contains(field), "{field} missing");
    }
}

#[test]
fn the_schema_knows_the_vocabularies_of_the_code() {
    let schema = schema();
    let names = |path: &str| -> Vec<String> {
        schema
            .pointer(path)
            .and_then(Value::as_array)
            .expect(path)
            .iter()
            .map(|v| v.as_str().unwrap().to_owned())
            .collect()
    };
    let of = |all: Vec<&str>| all.into_iter().map(str::to_owned).collect::<Vec<_>>();
    assert_eq!(
        names("/$defs/entity/properties/kind/enum"),
        of(EntityKind::ALL.iter().map(|k| k.as_str()).collect())
    );
    assert_eq!(
        names("/$defs/relation/properties/kind/enum"),
        of(RelationKind::ALL.iter().map(|k| k.as_str()).collect())
    );
    assert_eq!(
        names("/$defs/relation/properties/status/enum"),
        of(Status::ALL.iter().map(|k| k.as_str()).collect())
    );
    assert_eq!(
        names("/$defs/figure/properties/qualifier/enum"),
        of(Qualifier::ALL.iter().map(|k| k.as_str()).collect())
    );
    assert_eq!(
        names("/$defs/claim/properties/status/enum"),
        of(Status::ALL.iter().map(|k| k.as_str()).collect())
    );
    assert_eq!(
        names("/$defs/claim/properties/rank/enum"),
        of(healthgraph::Rank::ALL.iter().map(|k| k.as_str()).collect())
    );
}

#[test]
fn the_schema_refuses_what_a_data_set_cannot_hold() {
    for bad in [
        r#"{"entities": [{"id": "Bad Id", "kind": "city", "name": "X", "sources": ["s"]}]}"#,
        r#"{"entities": [{"id": "x", "kind": "spaceport", "name": "X", "sources": ["s"]}]}"#,
        r#"{"entities": [{"id": "x", "kind": "city", "name": "X", "sources": []}]}"#,
        r#"{"sources": [{"id": "s", "title": "T", "published": "25/05/2025", "language": "vi"}]}"#,
        r#"{"colours": []}"#,
    ] {
        assert!(
            check_schema(&serde_json::from_str(bad).unwrap()).is_err(),
            "{bad}"
        );
    }
}

/// Loads `tests/fixtures/invalid-json/{name}.json` and checks its problems,
/// given as `line:column: message` with their rules.
fn check(name: &str, expected: &[(Rule, &str)]) {
    crate::validation::expect_problems(
        &format!("tests/fixtures/invalid-json/{name}.json"),
        ":",
        expected,
    );
}

#[test]
fn json_syntax_errors_are_located() {
    check(
        "syntax",
        &[(
            Rule::Syntax,
            "4:3: invalid JSON: trailing comma; the rest of this file is not read",
        )],
    );
    check(
        "wrong-type",
        &[(
            Rule::Syntax,
            "3:28: invalid JSON: invalid type: integer `42`, expected a string; the rest of this file is not read",
        )],
    );
}

#[test]
fn json_unknown_and_missing_fields_are_located() {
    check(
        "fields",
        &[
            (
                Rule::UnknownField,
                "3:78: unknown field `pages` in source: expected one of id, title, publisher, author, published, language, url, seed, section, note",
            ),
            (Rule::MissingField, "6:6: missing field `name` in entity"),
        ],
    );
}

#[test]
fn json_values_and_references_are_checked_in_one_pass() {
    let path = "tests/fixtures/invalid-json/values.json";
    check(
        "values",
        &[
            (
                Rule::InvalidDate,
                "3:52: invalid date `2025-02-30`: no such day in that month",
            ),
            (
                Rule::DuplicateId,
                &format!("8:12: duplicate entity id `hanoi` (first defined at {path}:7:12)"),
            ),
            (
                Rule::UnknownEntity,
                "12:73: relation `located-in-a` points at unknown entity `kobe`",
            ),
            (
                Rule::SelfRelation,
                "13:63: relation `visit-b` joins `hanoi` to itself",
            ),
            (
                Rule::InvalidDate,
                "13:81: invalid date `2025-5-23`: expected YYYY, YYYY-MM or YYYY-MM-DD; did you mean 2025-05-23?",
            ),
            (
                Rule::UnknownTerm,
                "13:104: unknown status `done`: expected one of proposed, discussed, planned, signed, ongoing, completed, ended",
            ),
            (
                Rule::UnknownSource,
                "13:143: relation `visit-b` cites unknown source `s9`",
            ),
        ],
    );
}
