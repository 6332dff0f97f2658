//! The binary snapshot: what it refuses, and that `load` knows it by its
//! content, whatever its name.

use healthgraph::{HealthGraph, Rule};

fn hanoi() -> HealthGraph {
    HealthGraph::load("data/hanoi.ron").unwrap()
}

fn snapshot() -> Vec<u8> {
    let mut bytes = Vec::new();
    hanoi().write_snapshot(&mut bytes).unwrap();
    bytes
}

/// The error of opening `bytes`, as text.
fn refusal(bytes: &[u8]) -> String {
    let err = HealthGraph::from_snapshot(bytes).unwrap_err();
    assert!(err.has(Rule::Snapshot), "{err}");
    err.to_string()
}

/// The payload's place in the file: after magic and version, before the
/// 16-byte trailer (length, checksum, end mark).
fn payload(bytes: &[u8]) -> std::ops::Range<usize> {
    12..bytes.len() - 16
}

/// Recomputes the checksum after the payload was edited.
fn forge(bytes: &mut [u8]) {
    let range = payload(bytes);
    let crc = crc32fast::hash(&bytes[range.clone()]);
    bytes[range.end + 8..range.end + 12].copy_from_slice(&crc.to_le_bytes());
}

#[test]
fn load_knows_a_snapshot_by_its_content_whatever_its_name() {
    let path = std::env::temp_dir().join(format!("healthgraph-snap-{}.ron", std::process::id()));
    hanoi().save_snapshot(&path).unwrap();
    assert_eq!(HealthGraph::load(&path).unwrap(), hanoi());
    std::fs::remove_file(&path).ok();
}

#[test]
fn a_truncated_snapshot_is_refused_at_every_length() {
    let bytes = snapshot();
    for len in [0, 5, 8, 11, 12, 100, bytes.len() / 2, bytes.len() - 1] {
        let text = refusal(&bytes[..len]);
        assert!(
            text.contains("truncated") || text.contains("not a healthgraph snapshot"),
            "{len}: {text}"
        );
    }
}

#[test]
fn a_corrupted_snapshot_is_refused_by_its_checksum() {
    let mut bytes = snapshot();
    let middle = payload(&bytes).start + 1000;
    bytes[middle] ^= 0x20;
    assert!(refusal(&bytes).contains("checksum does not match"));
}

#[test]
fn a_snapshot_of_another_format_version_says_so() {
    let mut bytes = snapshot();
    bytes[8..12].copy_from_slice(&7u32.to_le_bytes());
    assert_eq!(
        refusal(&bytes),
        "cannot open the snapshot: it is in snapshot format version 7, and this build reads version 3: write it again with this build from the data it was made from, or export it to RON with the build that wrote it"
    );
}

#[test]
fn a_text_file_is_not_a_snapshot() {
    let text = std::fs::read("data/hanoi.ron").unwrap();
    assert!(refusal(&text).contains("not a healthgraph snapshot"));
}

#[test]
fn a_hand_edited_snapshot_with_a_good_checksum_is_still_checked() {
    let original = snapshot();
    let find = |bytes: &[u8], what: &[u8]| {
        bytes
            .windows(what.len())
            .position(|w| w == what)
            .expect("in the snapshot")
    };
    // An id made malformed.
    let mut bytes = original.clone();
    let at = find(&bytes, b"karolinska-institute");
    bytes[at] = b'K';
    forge(&mut bytes);
    assert!(
        refusal(&bytes)
            .contains("holds an invalid graph: malformed entity id `Karolinska-institute`"),
        "{}",
        refusal(&bytes)
    );
    // One entity renamed to another's id (the same length).
    let mut bytes = original.clone();
    let at = find(&bytes, b"\x09hanoi-cdc");
    bytes[at + 1..at + 10].copy_from_slice(b"hanoi-doh");
    forge(&mut bytes);
    assert!(
        refusal(&bytes).contains("duplicate entity id `hanoi-doh`"),
        "{}",
        refusal(&bytes)
    );
    // A date that does not exist: the renewal's start, 2025 (`Some`, then
    // the year as postcard writes an `i16`: zigzag, then a varint), given
    // month 13.
    let mut bytes = original.clone();
    let at = find(
        &bytes,
        b"renewal-karolinska-institute-hanoi-obgyn-hospital-2025",
    );
    let start = at + find(&bytes[at..], &[1, 0xD2, 0x1F]);
    bytes[start + 3] = 13;
    forge(&mut bytes);
    assert!(
        refusal(&bytes).contains("months run from 01 to 12"),
        "{}",
        refusal(&bytes)
    );
    // Bytes after the graph.
    let mut bytes = original.clone();
    let end = payload(&bytes).end;
    bytes.insert(end, 0);
    let len = (payload(&bytes).len() as u64).to_le_bytes();
    let range = payload(&bytes);
    bytes[range.end..range.end + 8].copy_from_slice(&len);
    forge(&mut bytes);
    assert!(
        refusal(&bytes).contains("bytes after the graph"),
        "{}",
        refusal(&bytes)
    );
}

/// Relations are written in id order (those that continue none, then the
/// others), so a snapshot proves its relation ids distinct by their order;
/// a forged one that breaks the order or repeats an id is refused.
#[test]
fn a_hand_edited_snapshot_with_a_repeated_or_misplaced_relation_id_is_refused() {
    let original = snapshot();
    // Rewrites one length-prefixed id (the same length) and forges the checksum.
    let renamed = |from: &str, to: &str| {
        assert_eq!(from.len(), to.len());
        let mut bytes = original.clone();
        let mut what = vec![from.len() as u8];
        what.extend_from_slice(from.as_bytes());
        let at = bytes
            .windows(what.len())
            .position(|w| w == what.as_slice())
            .expect("in the snapshot");
        bytes[at + 1..at + what.len()].copy_from_slice(to.as_bytes());
        forge(&mut bytes);
        refusal(&bytes)
    };
    let (first, second) = (
        "cooperation-hanoi-doh-karolinska-institute-training-research-2025",
        "cooperation-hanoi-oncology-hospital-ajou-university-hospital-2020",
    );
    // The next relation in id order given the id before it.
    let text = renamed(second, first);
    assert!(
        text.contains(&format!("duplicate relation id `{first}`")),
        "{text}"
    );
    // An id moved out of its place in id order.
    let text = renamed(first, &first.replacen("hanoi", "zanoi", 1));
    assert!(text.contains("is out of id order"), "{text}");
    // The renewal (written after every relation that continues none) given
    // the id of one of those.
    let text = renamed(
        "renewal-karolinska-institute-hanoi-obgyn-hospital-2025",
        "cooperation-karolinska-institute-hanoi-doh-events-2025",
    );
    assert!(
        text.contains(
            "duplicate relation id `cooperation-karolinska-institute-hanoi-doh-events-2025`"
        ),
        "{text}"
    );
}

/// A graph opened from a snapshot keeps no map of relations by id until one
/// is needed: looking up, inserting and removing by id still work.
#[test]
fn relations_of_an_opened_snapshot_are_found_and_edited_by_id() {
    let mut graph = HealthGraph::from_snapshot(&snapshot()).unwrap();
    let id = "renewal-karolinska-institute-hanoi-obgyn-hospital-2025";
    let renewal = graph.relation(id).cloned().unwrap();
    assert_eq!(renewal.id().as_str(), id);
    let again = graph.insert_relation(renewal.clone()).unwrap_err();
    assert!(again.has(Rule::DuplicateId), "{again}");
    assert_eq!(graph.remove_relation(id).unwrap(), renewal);
    assert!(graph.relation(id).is_none());
    graph.insert_relation(renewal).unwrap();
    assert_eq!(graph, hanoi());
}
