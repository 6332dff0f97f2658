//! The entities and relations by number, beside petgraph's structure.
//!
//! petgraph's `StableGraph` keeps each node's and edge's weight behind an
//! `Option`, next to its links: handing out a reference to a weight reads
//! that `Option`, so a query that returns a thousand members of a
//! neighbourhood, or a report of thirty thousand changes, pays a cache miss
//! for each before its caller has read anything. Here a slot's address
//! follows from its number alone, and whether it is taken is one bit of a
//! set small enough to stay in cache (125 KB at a million entities, 625 KB
//! at five million relations): a reference costs no read of the record, and
//! the caller pays for the records it reads. The nodes and edges in petgraph
//! carry no weight, so its arrays are 12 and 20 bytes an item.

use crate::model::entity::Entity;
use crate::model::relation::Relation;

/// What an unused slot holds: a record of no graph, with nothing on the heap.
pub(crate) trait Vacant {
    fn vacant() -> Self;
}

impl Vacant for Entity {
    fn vacant() -> Entity {
        Entity::vacant()
    }
}

impl Vacant for Relation {
    fn vacant() -> Relation {
        Relation::vacant()
    }
}

/// Records by number: slot `i` holds the record of node (or edge) `i`
/// exactly when petgraph's graph has node (or edge) `i` (the graph keeps
/// the two in step: every `add_node` or `add_edge` is a [`Slots::put`],
/// every removal a [`Slots::take`]).
#[derive(Clone)]
pub(crate) struct Slots<T> {
    /// Slot `i` holds record `i`, or a vacant placeholder.
    items: Vec<T>,
    /// Bit `i % 64` of word `i / 64`: whether slot `i` is taken.
    taken: Vec<u64>,
    /// How many slots are taken.
    len: usize,
}

impl<T> Default for Slots<T> {
    fn default() -> Self {
        Slots {
            items: Vec::new(),
            taken: Vec::new(),
            len: 0,
        }
    }
}

impl<T: Vacant> Slots<T> {
    /// Whether slot `i` is taken: O(1), one read of the small bit set.
    fn is_taken(&self, i: usize) -> bool {
        self.taken
            .get(i / 64)
            .is_some_and(|w| w >> (i % 64) & 1 == 1)
    }

    /// The record in slot `i`, if it is taken. O(1), and reads no record.
    pub(crate) fn get(&self, i: usize) -> Option<&T> {
        if self.is_taken(i) {
            self.items.get(i)
        } else {
            None
        }
    }

    /// The record in slot `i`, if it is taken, to change in place.
    pub(crate) fn get_mut(&mut self, i: usize) -> Option<&mut T> {
        if self.is_taken(i) {
            self.items.get_mut(i)
        } else {
            None
        }
    }

    /// Puts `item` in slot `i`, which petgraph has just given a new node or edge:
    /// the next slot, or one freed by [`Slots::take`].
    pub(crate) fn put(&mut self, i: usize, item: T) {
        match self.items.get_mut(i) {
            Some(slot) => *slot = item,
            None => {
                // petgraph numbers a new node one past its highest, so the
                // slot is the next one; fill any gap with vacant ones.
                self.items.resize_with(i, T::vacant);
                self.items.push(item);
            }
        }
        if !self.is_taken(i) {
            self.len += 1;
        }
        let words = i / 64 + 1;
        if self.taken.len() < words {
            self.taken.resize(words, 0);
        }
        if let Some(w) = self.taken.get_mut(i / 64) {
            *w |= 1 << (i % 64);
        }
    }

    /// Takes the record out of slot `i`, leaving it vacant.
    pub(crate) fn take(&mut self, i: usize) -> Option<T> {
        if !self.is_taken(i) {
            return None;
        }
        if let Some(w) = self.taken.get_mut(i / 64) {
            *w &= !(1 << (i % 64));
        }
        self.len -= 1;
        self.items
            .get_mut(i)
            .map(|slot| std::mem::replace(slot, T::vacant()))
    }

    /// How many slots are taken.
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// Makes room for `more` records.
    pub(crate) fn reserve(&mut self, more: usize) {
        self.items.reserve(more);
        self.taken.reserve(more.div_ceil(64));
    }

    /// Every record with its number, in number order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (usize, &T)> + '_ {
        self.items
            .iter()
            .enumerate()
            .filter(|&(i, _)| self.is_taken(i))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{EntityId, EntityKind};

    fn entity(id: &str) -> Entity {
        Entity::new(
            EntityId::new(id).unwrap(),
            EntityKind::Hospital,
            "A hospital",
        )
    }

    #[test]
    fn slots_follow_puts_and_takes() {
        let mut slots = Slots::default();
        for (i, id) in ["a", "b", "c"].into_iter().enumerate() {
            slots.put(i, entity(id));
        }
        assert_eq!(slots.take(1).map(|e| e.id.to_string()), Some("b".into()));
        assert_eq!(slots.len(), 2);
        assert!(slots.get(1).is_none() && slots.get_mut(1).is_none());
        assert!(slots.take(1).is_none(), "a vacant slot gives nothing back");
        assert!(slots.get(3).is_none() && slots.get(1000).is_none());
        slots.put(1, entity("d"));
        slots.put(70, entity("e"));
        let ids: Vec<(usize, String)> = slots.iter().map(|(i, e)| (i, e.id.to_string())).collect();
        assert_eq!(
            ids,
            [
                (0, "a".into()),
                (1, "d".into()),
                (2, "c".into()),
                (70, "e".into())
            ]
        );
        assert!(slots.get(69).is_none(), "the gap's slots stay vacant");
        assert_eq!(slots.len(), 4);
    }
}
