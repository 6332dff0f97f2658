//! Every validation rule against a deliberately broken fixture: the rule, the
//! message and the `file:line:column` of each problem.

use healthgraph::{HealthGraph, Rule};

/// Loads `tests/fixtures/invalid/{name}.ron` and checks that it fails with
/// exactly these problems, given as `line:column: message` and as rules.
fn check(name: &str, expected: &[(Rule, &str)]) {
    expect_problems(&format!("tests/fixtures/invalid/{name}.ron"), ":", expected);
}

/// Loads `path` (a file or a folder) and checks that it fails as invalid
/// data with exactly these problems, in order: each given as its rule and
/// its text after `path` and `joint` (`:` for a file, `/` for a folder's
/// `file:line:column: message`). Shared by the RON, JSON and CSV fixtures.
pub(crate) fn expect_problems(path: &str, joint: &str, expected: &[(Rule, &str)]) {
    let err = match HealthGraph::load(path) {
        Ok(graph) => panic!("{path} loaded, but should not: {graph:?}"),
        Err(err) => err,
    };
    let got: Vec<(Rule, String)> = err
        .problems()
        .iter()
        .map(|p| (p.rule(), p.to_string()))
        .collect();
    let want: Vec<(Rule, String)> = expected
        .iter()
        .map(|(rule, line)| (*rule, format!("{path}{joint}{line}")))
        .collect();
    assert_eq!(got, want);
    assert!(err.is_invalid() && !err.is_io());
}

#[test]
fn syntax_errors_are_located() {
    check(
        "syntax",
        &[(
            Rule::Syntax,
            "15:5: invalid RON: expected comma; the rest of this file is not read",
        )],
    );
}

#[test]
fn unknown_fields_are_rejected() {
    check(
        "unknown-field",
        &[(
            Rule::UnknownField,
            "13:125: unknown field `signed_by` in relation: expected one of id, kind, from, to, start, end, status, basis, renews, amends, supersedes, scope, people, figures, claims, sources, note",
        )],
    );
}

#[test]
fn missing_fields_are_rejected() {
    check(
        "missing-field",
        &[(
            Rule::MissingField,
            "13:10: missing field `status` in relation",
        )],
    );
}

#[test]
fn malformed_ids_are_rejected_wherever_they_appear() {
    check(
        "malformed-id",
        &[
            (
                Rule::MalformedId,
                "13:14: malformed relation id `MOU A`: ids are lowercase ASCII letters and digits joined by single hyphens",
            ),
            (
                Rule::MalformedId,
                "14:59: malformed entity id `Karolinska`: ids are lowercase ASCII letters and digits joined by single hyphens",
            ),
        ],
    );
}

#[test]
fn impossible_and_malformed_dates_are_rejected() {
    check(
        "invalid-date",
        &[
            (
                Rule::InvalidDate,
                "13:132: invalid date `2025-02-30`: no such day in that month",
            ),
            (
                Rule::InvalidDate,
                "14:140: invalid date `2030/12`: expected YYYY, YYYY-MM or YYYY-MM-DD; did you mean 2030-12?",
            ),
        ],
    );
}

#[test]
fn unknown_vocabulary_is_rejected() {
    check(
        "unknown-term",
        &[
            (
                Rule::UnknownTerm,
                "11:25: unknown entity kind `clinic`: expected one of city, hospital, institute, company, agency, ngo, programme",
            ),
            (
                Rule::UnknownTerm,
                "14:29: unknown relation kind `memorandum`: expected one of mou, renewal, visit, training, cooperation, participation, membership, mandate, part-of, located-in",
            ),
            (
                Rule::UnknownTerm,
                "15:76: unknown status `agreed`: expected one of proposed, discussed, planned, signed, ongoing, completed, ended",
            ),
        ],
    );
}

#[test]
fn countries_must_be_iso_codes() {
    check(
        "invalid-country",
        &[(
            Rule::InvalidCountry,
            "11:67: unknown country `UK`: expected an ISO 3166-1 alpha-2 code such as VN",
        )],
    );
}

#[test]
fn duplicate_ids_point_at_the_first_definition() {
    let path = "tests/fixtures/invalid/duplicate-id.ron";
    check(
        "duplicate-id",
        &[
            (
                Rule::DuplicateId,
                &format!("5:14: duplicate source id `s1` (first defined at {path}:4:14)"),
            ),
            (
                Rule::DuplicateId,
                &format!("12:14: duplicate entity id `obgyn` (first defined at {path}:11:14)"),
            ),
            (
                Rule::DuplicateId,
                &format!("16:14: duplicate relation id `mou-a` (first defined at {path}:15:14)"),
            ),
        ],
    );
}

#[test]
fn references_to_unknown_entities_are_rejected() {
    check(
        "unknown-entity",
        &[
            (
                Rule::UnknownEntity,
                "13:59: relation `mou-a` points at unknown entity `kobe-hospital`",
            ),
            (
                Rule::UnknownEntity,
                "14:175: relation `visit-b` names `Tobias Afvén` as acting for unknown entity `karolinska-group`",
            ),
        ],
    );
}

#[test]
fn references_to_unknown_sources_are_rejected() {
    check(
        "unknown-source",
        &[
            (
                Rule::UnknownSource,
                "11:58: entity `x` cites unknown source `a0`",
            ),
            (
                Rule::UnknownSource,
                "14:124: relation `mou-a` cites unknown source `s9`",
            ),
        ],
    );
}

#[test]
fn periods_cannot_end_before_they_start() {
    check(
        "start-after-end",
        &[
            (
                Rule::StartAfterEnd,
                "13:132: relation `renewal-a` starts at 2030 after it ends at 2025",
            ),
            (
                Rule::StartAfterEnd,
                "14:136: relation `visit-b` starts at 2025-05-24 after it ends at 2025-05-23",
            ),
        ],
    );
}

#[test]
fn endpoint_kinds_follow_the_table() {
    check(
        "endpoint-kind",
        &[
            (
                Rule::EndpointKind,
                "13:36: relation `located-in-a` of kind located-in cannot go from hospital `obgyn` to agency `hanoi-doh`",
            ),
            (
                Rule::EndpointKind,
                "14:36: relation `located-in-b` of kind located-in cannot go from city `hanoi` to agency `hanoi-doh`",
            ),
        ],
    );
}

#[test]
fn self_relations_are_rejected() {
    check(
        "self-relation",
        &[(
            Rule::SelfRelation,
            "13:55: relation `mou-a` joins `obgyn` to itself",
        )],
    );
}

#[test]
fn facts_must_cite_a_source() {
    check(
        "missing-source",
        &[
            (Rule::MissingSource, "11:14: entity `x` cites no source"),
            (
                Rule::MissingSource,
                "14:14: relation `mou-a` cites no source",
            ),
        ],
    );
}

#[test]
fn names_cannot_be_empty() {
    check(
        "empty-name",
        &[(Rule::EmptyField, "11:43: entity `x` has an empty name")],
    );
}

#[test]
fn renewals_must_renew_a_known_relation() {
    check(
        "renews-unknown",
        &[(
            Rule::UnknownRelation,
            "13:137: renewal `renewal-a` renews unknown relation `mou-old`",
        )],
    );
}

#[test]
fn renewals_must_renew_an_agreement() {
    check(
        "renews-non-agreement",
        &[(
            Rule::RenewsNonAgreement,
            "14:137: renewal `renewal-b` renews `visit-a`, a visit, which is not an agreement",
        )],
    );
}

#[test]
fn renewals_must_join_the_same_parties() {
    check(
        "renews-other-parties",
        &[(
            Rule::RenewsOtherParties,
            "14:137: renewal `renewal-b` joins `karolinska` and `obgyn` but renews `mou-a`, which joins `karolinska` and `hanoi-doh`",
        )],
    );
}

#[test]
fn renewals_cannot_renew_a_later_agreement() {
    check(
        "renews-later",
        &[(
            Rule::RenewsLater,
            "14:152: renewal `renewal-b` starts at 2025 but renews `mou-a`, which starts later, at 2026",
        )],
    );
}

#[test]
fn renewal_chains_cannot_cycle() {
    check(
        "renewal-cycle",
        &[(
            Rule::RenewalCycle,
            "13:137: renewals form a cycle: `renewal-a` renews `renewal-b` renews `renewal-a`",
        )],
    );
}

#[test]
fn renews_belongs_to_renewals_and_renewals_need_it() {
    check(
        "renews-misused",
        &[
            (
                Rule::RenewsOnNonRenewal,
                "14:129: relation `mou-b` is a mou, not a renewal, but renews `mou-a`",
            ),
            (
                Rule::RenewalWithoutTarget,
                "15:33: renewal `renewal-c` does not say which relation it renews",
            ),
        ],
    );
}

#[test]
fn every_problem_is_reported_at_once_in_file_order() {
    check(
        "many-problems",
        &[
            (
                Rule::InvalidCountry,
                "11:57: unknown country `XX`: expected an ISO 3166-1 alpha-2 code such as VN",
            ),
            (
                Rule::UnknownEntity,
                "14:59: relation `mou-a` points at unknown entity `kobe`",
            ),
            (
                Rule::InvalidDate,
                "15:127: invalid date `2025-13`: months run from 01 to 12",
            ),
            (
                Rule::SelfRelation,
                "16:59: relation `visit-c` joins `obgyn` to itself",
            ),
        ],
    );
}

#[test]
fn a_broken_entity_is_reported_once_not_at_every_reference() {
    check(
        "no-cascade",
        &[(
            Rule::UnknownTerm,
            "11:25: unknown entity kind `clinic`: expected one of city, hospital, institute, company, agency, ngo, programme",
        )],
    );
}

#[test]
fn a_folder_loads_its_ron_files_in_any_order_of_definition() {
    let graph = HealthGraph::load("tests/fixtures/folder-ok").expect("the folder is valid");
    assert_eq!((graph.entity_count(), graph.relation_count()), (2, 2));
    let renewal = graph
        .relation("renewal-b")
        .expect("loaded from the second file");
    assert_eq!(renewal.renews().map(|r| r.as_str()), Some("mou-a"));
}

#[test]
fn ids_are_unique_across_the_files_of_a_folder() {
    let err = HealthGraph::load("tests/fixtures/folder-duplicate").unwrap_err();
    assert_eq!(
        err.to_string(),
        "tests/fixtures/folder-duplicate/2-more.ron:3:14: duplicate entity id `obgyn` (first defined at tests/fixtures/folder-duplicate/1-entities.ron:6:14)"
    );
}

#[test]
fn missing_paths_are_io_errors_that_name_the_path() {
    let err = HealthGraph::load("tests/fixtures/no-such-file.ron").unwrap_err();
    assert!(err.is_io());
    assert_eq!(err.problems()[0].rule(), Rule::Io);
    assert!(
        err.to_string()
            .starts_with("cannot read `tests/fixtures/no-such-file.ron`: "),
        "{err}"
    );
}

#[test]
fn a_folder_without_data_files_is_an_error() {
    let dir = std::env::temp_dir().join(format!("healthgraph-empty-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let err = HealthGraph::load(&dir).unwrap_err();
    assert!(
        err.to_string().contains("the folder holds no .ron file"),
        "{err}"
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn files_that_are_not_utf8_are_located_errors() {
    let path = std::env::temp_dir().join(format!("healthgraph-latin1-{}.ron", std::process::id()));
    std::fs::write(
        &path,
        b"(\n  entities: [(id: \"h\", name: \"Ha N\xf4i\")],\n)",
    )
    .expect("write");
    let err = HealthGraph::load(&path).unwrap_err();
    let location = err.location().expect("located");
    assert_eq!((location.line(), location.column()), (2, 35));
    assert_eq!(err.problems()[0].message(), "the file is not valid UTF-8");
    std::fs::remove_file(&path).ok();
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    let text = format!("(sources: {}{})", "[".repeat(100_000), "]".repeat(100_000));
    let err = HealthGraph::from_ron_str(&text).unwrap_err();
    assert_eq!(err.problems()[0].rule(), Rule::Syntax);
    assert!(err.location().is_some());
}

#[test]
fn a_value_with_escapes_is_located_at_its_record() {
    // Strings with escapes are unescaped into new memory, so their own place in
    // the file is lost; the problem is then located at the key of their field.
    let text =
        "(\n  entities: [(id: \"Bad\\u{41}\", kind: \"city\", name: \"X\", sources: [])],\n)";
    let err = HealthGraph::from_ron_str(text).unwrap_err();
    assert_eq!(err.problems()[0].rule(), Rule::MalformedId);
    let location = err.location().expect("located");
    assert_eq!((location.line(), location.column()), (2, 15));
}

#[test]
fn five_problems_of_one_record_are_reported_by_one_load() {
    check(
        "one-record-five-problems",
        &[
            (
                Rule::UnknownEntity,
                "18:17: relation `mou-a` points at unknown entity `kobe`",
            ),
            (
                Rule::StartAfterEnd,
                "19:20: relation `mou-a` starts at 2030 after it ends at 2025",
            ),
            (
                Rule::UnknownTerm,
                "21:21: unknown status `agreed`: expected one of proposed, discussed, planned, signed, ongoing, completed, ended",
            ),
            (
                Rule::UnknownTerm,
                "22:20: unknown basis `claimed`: expected one of stated, implied",
            ),
            (
                Rule::UnknownSource,
                "23:29: relation `mou-a` cites unknown source `s9`",
            ),
            (
                Rule::InvalidDate,
                "25:79: invalid date `2025-02-30`: no such day in that month",
            ),
        ],
    );
}

#[test]
fn a_malformed_source_date_is_one_problem_not_one_per_citation() {
    check(
        "bad-source-date",
        &[(
            Rule::InvalidDate,
            "6:50: invalid date `2025-5-26`: expected YYYY, YYYY-MM or YYYY-MM-DD; did you mean 2025-05-26?",
        )],
    );
}

#[test]
fn values_with_newlines_are_escaped_so_each_problem_is_one_line() {
    check(
        "newline-in-value",
        &[
            (
                Rule::UnknownTerm,
                "8:19: unknown entity kind `city\\nstate`: expected one of city, hospital, institute, company, agency, ngo, programme",
            ),
            (
                Rule::InvalidCountry,
                "9:57: unknown country `V\\nN`: expected an ISO 3166-1 alpha-2 code such as VN",
            ),
        ],
    );
    let err = HealthGraph::load("tests/fixtures/invalid/newline-in-value.ron").unwrap_err();
    assert_eq!(err.to_string().lines().count(), err.problems().len());
}

#[test]
fn a_record_whose_strings_all_have_escapes_is_located_at_its_keys() {
    check(
        "escapes-everywhere",
        &[
            (
                Rule::MalformedId,
                "10:10: malformed entity id `X`: ids are lowercase ASCII letters and digits joined by single hyphens",
            ),
            (
                Rule::UnknownTerm,
                "10:24: unknown entity kind `clinic`: expected one of city, hospital, institute, company, agency, ngo, programme",
            ),
            (
                Rule::UnknownSource,
                "10:66: entity `X` cites unknown source `s9`",
            ),
        ],
    );
}

#[test]
fn a_list_given_twice_is_a_problem_and_both_are_read() {
    check(
        "two-sources-lists",
        &[(
            Rule::RepeatedField,
            "11:5: the list `sources` appears twice in the data set; the records of both are read",
        )],
    );
}

#[test]
fn unknown_and_repeated_fields_do_not_stop_the_reading() {
    let text = r#"(
        sources: [(id: "s", title: "T", published: "2025", language: "en", title: "U")],
        entities: [(id: "x", kind: "city", name: "X", sources: ["s"], colour: "red", country: "XX")],
        colours: [],
    )"#;
    let err = HealthGraph::from_ron_str(text).unwrap_err();
    let got: Vec<String> = err.problems().iter().map(|p| p.to_string()).collect();
    assert_eq!(
        got,
        [
            "2:76: field `title` appears twice in source; the first is kept",
            "3:71: unknown field `colour` in entity: expected one of id, kind, name, name_en, aliases, former_names, country, wikidata, ror, sources, note",
            "3:95: unknown country `XX`: expected an ISO 3166-1 alpha-2 code such as VN",
            "4:9: unknown field `colours` in the data set: expected one of sources, entities, relations",
        ]
    );
}

#[test]
fn a_syntax_error_ends_its_file_but_not_the_other_files_of_a_folder() {
    let dir =
        std::env::temp_dir().join(format!("healthgraph-folder-syntax-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    std::fs::write(
        dir.join("1-broken.ron"),
        "(sources: [(id: \"s\", title: \"T\", published: \"2025\", language: \"en\")] entities: [])",
    )
    .expect("write");
    std::fs::write(
        dir.join("2-other.ron"),
        "(entities: [(id: \"x\", kind: \"clinic\", name: \"X\", sources: [\"s\"])],\n relations: [(id: \"r\", kind: \"mou\", from: \"x\", to: \"nowhere\", status: \"signed\", basis: \"stated\", sources: [\"s\"])])",
    )
    .expect("write");
    let err = HealthGraph::load(&dir).unwrap_err();
    let rules: Vec<Rule> = err.problems().iter().map(|p| p.rule()).collect();
    // The broken file's syntax error, and the other file's bad kind; the
    // reference to `nowhere` is not reported, since the unread rest of the
    // broken file might define it.
    assert_eq!(rules, [Rule::Syntax, Rule::UnknownTerm], "{err}");
    assert!(
        err.problems()[0]
            .message()
            .ends_with("the rest of this file is not read")
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn paths_that_are_not_files_or_folders_are_refused_at_once() {
    let err = HealthGraph::load("/dev/zero").unwrap_err();
    assert!(err.is_io());
    assert!(
        err.to_string().contains("not a regular file or a folder"),
        "{err}"
    );
}

#[test]
fn amendments_and_supersessions_are_checked_as_renewals_are() {
    check(
        "lifecycle-links",
        &[
            (
                Rule::AmendsOtherParties,
                "13:154: relation `amend-other` joins `hanoi-doh` and `karolinska` but amends `mou-base`, which joins `karolinska` and `obgyn`",
            ),
            (
                Rule::LinksLater,
                "14:152: relation `amend-earlier` starts at 2023 but amends `mou-base`, which starts later, at 2024",
            ),
            (
                Rule::LinkOnNonAgreement,
                "15:166: relation `visit-amends` is a visit, not an agreement, but amends `mou-base`",
            ),
            (
                Rule::LinksNonAgreement,
                "17:171: relation `supersede-visit` supersedes `visit-x`, a visit, which is not an agreement",
            ),
            (
                Rule::UnknownRelation,
                "18:158: relation `supersede-nothing` supersedes unknown relation `no-such-agreement`",
            ),
        ],
    );
}

#[test]
fn lifecycle_links_cannot_cycle() {
    check(
        "link-cycle",
        &[(
            Rule::LinkCycle,
            "12:129: agreements form a cycle: `mou-a` amends `cooperation-c` supersedes `mou-b` supersedes `mou-a`",
        )],
    );
}

#[test]
fn former_names_need_a_name_and_a_period_in_order() {
    check(
        "former-names",
        &[
            (
                Rule::EmptyField,
                "9:20: entity `hospital` has an empty former name",
            ),
            (
                Rule::MissingField,
                "10:14: missing field `name` in former_name",
            ),
            (
                Rule::StartAfterEnd,
                "11:42: former name `Bệnh viện C`: period starts at 2015, after it ends at 2010",
            ),
            (
                Rule::InvalidDate,
                "12:42: invalid date `2015-02-30`: no such day in that month",
            ),
        ],
    );
}

#[test]
fn claims_cite_sources_that_exist_and_at_most_one_is_preferred() {
    check(
        "claims",
        &[
            (
                Rule::SeveralPreferred,
                "14:14: relation `cooperation-a` has more than one preferred claim (claim 2 is the second)",
            ),
            (
                Rule::StartAfterEnd,
                "15:21: a claim: period starts at 2026, after it ends at 2025",
            ),
            (
                Rule::UnknownTerm,
                "16:35: unknown rank `favourite`: expected one of preferred, normal, deprecated",
            ),
            (
                Rule::MissingSource,
                "17:14: claim 5 of relation `cooperation-a` cites no source",
            ),
            (
                Rule::UnknownSource,
                "18:39: claim 6 of relation `cooperation-a` cites unknown source `s9`",
            ),
        ],
    );
}
