//! Untrusted input: arbitrary strings and bytes, truncations and one-character
//! mutations of `data/hanoi.ron`, deep nesting and very long strings. Every
//! input gives `Ok` or an error with a location; none makes the loader panic.

use healthgraph::{HealthGraph, Rule};
use proptest::prelude::*;

use crate::properties::config;

fn hanoi_text() -> String {
    std::fs::read_to_string("data/hanoi.ron").unwrap()
}

/// Loads text and checks the outcome: a graph, or located problems.
fn outcome(text: &str) -> Result<(), TestCaseError> {
    match HealthGraph::from_ron_str(text) {
        Ok(_) => Ok(()),
        Err(err) => {
            prop_assert!(!err.problems().is_empty());
            for p in err.problems() {
                prop_assert!(p.location().is_some(), "unlocated problem: {}", p);
                prop_assert!(!p.message().is_empty());
            }
            Ok(())
        }
    }
}

/// Characters that matter to RON, and a few that matter to us.
const ALPHABET: &[char] = &[
    '(', ')', '[', ']', '{', '}', ',', ':', '"', '\\', '#', '!', '/', '*', '-', '.', '0', '9', 'a',
    'z', 'r', 'u', ' ', '\n', '\t', 'đ', 'ộ', '\u{a0}', '\u{feff}', '\0',
];

proptest! {
    #![proptest_config(config())]

    #[test]
    fn arbitrary_strings_give_ok_or_located_errors(text in ".{0,400}") {
        outcome(&text)?;
    }

    #[test]
    fn ron_like_strings_give_ok_or_located_errors(chars in prop::collection::vec(prop::sample::select(ALPHABET), 0..300)) {
        let text: String = chars.into_iter().collect();
        outcome(&text)?;
    }

    #[test]
    fn arbitrary_bytes_in_a_file_give_ok_or_located_errors(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let path = std::env::temp_dir().join(format!("healthgraph-bytes-{}-{:?}.ron", std::process::id(), std::thread::current().id()));
        std::fs::write(&path, &bytes).unwrap();
        let result = HealthGraph::load(&path);
        std::fs::remove_file(&path).ok();
        if let Err(err) = result {
            prop_assert!(!err.is_io(), "{}", err);
            prop_assert!(err.problems().iter().all(|p| p.location().is_some()), "{}", err);
        }
    }

    #[test]
    fn truncations_of_the_hanoi_data_give_located_errors(at in 0usize..100_000) {
        let text = hanoi_text();
        let mut cut = at % (text.len() + 1);
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        outcome(&text[..cut])?;
    }

    #[test]
    fn one_character_mutations_of_the_hanoi_data_give_ok_or_located_errors(
        at in 0usize..100_000,
        how in 0u8..3,
        c in prop::sample::select(ALPHABET),
    ) {
        let mut text = hanoi_text();
        let mut i = at % text.len();
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        match how {
            0 => text.insert(i, c),
            1 => { text.remove(i); }
            _ => { text.remove(i); text.insert(i, c); }
        }
        outcome(&text)?;
    }
}

#[test]
fn deep_nesting_anywhere_is_a_located_error() {
    for text in [
        format!("{}{}", "(".repeat(50_000), ")".repeat(50_000)),
        format!(
            "(entities: [(id: {}\"x\"{})])",
            "[".repeat(50_000),
            "]".repeat(50_000)
        ),
        format!("(relations: [(people: [{}])])", "(".repeat(50_000)),
    ] {
        let err = HealthGraph::from_ron_str(&text).unwrap_err();
        assert!(err.location().is_some(), "{err}");
    }
}

#[test]
fn very_long_strings_give_short_messages() {
    let long = "x".repeat(2_000_000);
    let text = format!(
        "(entities: [(id: \"{long}\", kind: \"{long}\", name: \"{long}\", sources: [\"{long}\"])])"
    );
    let err = HealthGraph::from_ron_str(&text).unwrap_err();
    assert!(err.has(Rule::MalformedId) && err.has(Rule::UnknownTerm));
    assert!(
        err.to_string().len() < 2_000,
        "messages quote at most a short prefix of a value"
    );
    // A long but valid name is kept whole.
    let name = "Bệnh viện ".repeat(10_000);
    let ok = format!(
        "(sources: [(id: \"s\", title: \"t\", published: \"2025\", language: \"vi\")], entities: [(id: \"x\", kind: \"hospital\", name: \"{name}\", sources: [\"s\"])])"
    );
    assert_eq!(
        HealthGraph::from_ron_str(&ok)
            .unwrap()
            .entity("x")
            .unwrap()
            .name(),
        name
    );
}

#[test]
fn a_byte_order_mark_or_nul_bytes_are_located_errors_not_panics() {
    for text in ["\u{feff}()", "(\0)", "(entities: [(id: \"a\0b\")])"] {
        if let Err(err) = HealthGraph::from_ron_str(text) {
            assert!(err.location().is_some(), "{text:?}: {err}");
        }
    }
}
