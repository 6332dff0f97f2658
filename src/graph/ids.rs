//! Ids to numbers: a hash table that holds only the node or relation
//! number of each id, and finds an id by reading it where the graph holds
//! it.
//!
//! A map from id to number would hold every id a second time (16 bytes
//! each, beside a 4-byte number, in 24-byte slots), and looking an id up
//! would read the map's copy and then, nearly always, the graph's record:
//! two cache misses in tables of millions. Here a slot is 8 bytes (the
//! number and 32 bits of the id's hash), the comparison reads the record
//! the caller is about to read anyway, and growing the table rehashes from
//! the stored bits without reading a record.

use std::hash::BuildHasher;

use hashbrown::HashTable;

use super::Hasher;

/// A number and the hash bits of its id.
#[derive(Clone, Copy, Debug)]
struct Slot {
    number: u32,
    hash: u32,
}

/// The full hash of a slot: its 32 bits twice, so that the table's bucket
/// (low bits) and its tag (top seven bits) both come from them.
fn widen(hash: u32) -> u64 {
    (u64::from(hash) << 32) | u64::from(hash)
}

/// Numbers by id, each id read through the function the caller passes (the
/// id held at a number, `None` where nothing is).
#[derive(Clone, Default)]
pub(crate) struct Numbers {
    table: HashTable<Slot>,
    state: Hasher,
}

impl Numbers {
    /// The hash bits of `id`: foldhash, seeded per process (crafted ids
    /// cannot force collisions), folded to 32 bits.
    fn hash(&self, id: &str) -> u32 {
        let h = self.state.hash_one(id);
        (h ^ (h >> 32)) as u32
    }

    /// How many ids the table holds.
    pub(crate) fn len(&self) -> usize {
        self.table.len()
    }

    /// Whether the table holds no id.
    pub(crate) fn is_empty(&self) -> bool {
        self.table.is_empty()
    }

    /// Makes room for `more` ids.
    pub(crate) fn reserve(&mut self, more: usize) {
        self.table.reserve(more, |s| widen(s.hash));
    }

    /// The number of `id`, if the table holds it.
    pub(crate) fn find<'g>(&self, id: &str, id_at: impl Fn(u32) -> Option<&'g str>) -> Option<u32> {
        let hash = self.hash(id);
        self.table
            .find(widen(hash), |s| {
                s.hash == hash && id_at(s.number) == Some(id)
            })
            .map(|s| s.number)
    }

    /// Adds `id` at `number`; the caller has made sure the table does not
    /// hold `id` yet.
    pub(crate) fn insert_new(&mut self, id: &str, number: u32) {
        let hash = self.hash(id);
        self.table
            .insert_unique(widen(hash), Slot { number, hash }, |s| widen(s.hash));
    }

    /// Removes `id`, known to be at `number` (the record there may already
    /// be gone); whether it was there.
    pub(crate) fn remove(&mut self, id: &str, number: u32) -> bool {
        let hash = self.hash(id);
        self.table
            .find_entry(widen(hash), |s| s.number == number)
            .map(|entry| entry.remove())
            .is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The number of `id` in `numbers`, the ids held in `held`.
    fn find(numbers: &Numbers, held: &[Option<String>], id: &str) -> Option<u32> {
        numbers.find(id, |n| held.get(n as usize)?.as_deref())
    }

    #[test]
    fn finds_inserts_and_removes_by_the_ids_held_elsewhere() {
        let mut held: Vec<Option<String>> = (0..2000).map(|i| Some(format!("id-{i}"))).collect();
        let mut numbers = Numbers::default();
        // Room for ten: the rest grows the table, rehashing from stored bits.
        numbers.reserve(10);
        for (i, id) in held.iter().enumerate() {
            numbers.insert_new(id.as_deref().unwrap_or_default(), i as u32);
        }
        assert_eq!(numbers.len(), 2000);
        for i in [0u32, 1, 999, 1999] {
            assert_eq!(find(&numbers, &held, &format!("id-{i}")), Some(i));
        }
        assert_eq!(find(&numbers, &held, "id-2000"), None);
        // The record goes first, then its id: removal needs only the number.
        held[7] = None;
        assert!(numbers.remove("id-7", 7));
        assert!(!numbers.remove("id-7", 7));
        assert_eq!(find(&numbers, &held, "id-7"), None);
        assert_eq!(numbers.len(), 1999);
        // Another id at a reused number is found by its own text.
        held[7] = Some("other".into());
        numbers.insert_new("other", 7);
        assert_eq!(find(&numbers, &held, "other"), Some(7));
        assert_eq!(find(&numbers, &held, "id-8"), Some(8));
        assert!(!numbers.is_empty());
    }
}
