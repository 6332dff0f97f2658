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
        "cannot open the snapshot: it is in snapshot format version 7, and this build reads version 2: write it again with this build"
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
