//! The entities by node number, beside petgraph's structure.
//!
//! petgraph's `StableGraph` keeps each node's weight behind an `Option`, next
//! to the node's links: handing out a reference to a weight reads that
//! `Option`, so a query that returns a thousand members of a neighbourhood
//! pays a thousand cache misses before its caller has read anything. Here a
//! slot's address follows from its number alone, and whether it is taken is
//! one bit of a set small enough to stay in cache (125 KB at a million
//! nodes): a reference costs no read of the entity, and the caller pays for
//! the entities it reads. The nodes in petgraph carry no weight, so its node
//! array is 12 bytes a node, and linking a relation to its ends touches less
//! memory too.

use crate::model::entity::Entity;

/// The entities by node number: slot `i` holds the entity of node `i`
/// exactly when petgraph's graph has node `i` (the graph keeps the two in
/// step: every `add_node` is a [`Slots::put`], every `remove_node` a
/// [`Slots::take`]).
#[derive(Clone, Default)]
pub(crate) struct Slots {
    /// Slot `i` holds node `i`'s entity, or a vacant placeholder.
    entities: Vec<Entity>,
    /// Bit `i % 64` of word `i / 64`: whether slot `i` is taken.
    taken: Vec<u64>,
}

impl Slots {
    /// Whether slot `i` is taken: O(1), one read of the small bit set.
    fn is_taken(&self, i: usize) -> bool {
        self.taken
            .get(i / 64)
            .is_some_and(|w| w >> (i % 64) & 1 == 1)
    }

    /// The entity in slot `i`, if it is taken. O(1), and reads no entity.
    pub(crate) fn get(&self, i: usize) -> Option<&Entity> {
        if self.is_taken(i) {
            self.entities.get(i)
        } else {
            None
        }
    }

    /// The entity in slot `i`, if it is taken, to change in place.
    pub(crate) fn get_mut(&mut self, i: usize) -> Option<&mut Entity> {
        if self.is_taken(i) {
            self.entities.get_mut(i)
        } else {
            None
        }
    }

    /// Puts `entity` in slot `i`, which petgraph has just given a new node:
    /// the next slot, or one freed by [`Slots::take`].
    pub(crate) fn put(&mut self, i: usize, entity: Entity) {
        match self.entities.get_mut(i) {
            Some(slot) => *slot = entity,
            None => {
                // petgraph numbers a new node one past its highest, so the
                // slot is the next one; fill any gap with vacant ones.
                self.entities.resize_with(i, Entity::vacant);
                self.entities.push(entity);
            }
        }
        let words = i / 64 + 1;
        if self.taken.len() < words {
            self.taken.resize(words, 0);
        }
        if let Some(w) = self.taken.get_mut(i / 64) {
            *w |= 1 << (i % 64);
        }
    }

    /// Takes the entity out of slot `i`, leaving it vacant.
    pub(crate) fn take(&mut self, i: usize) -> Option<Entity> {
        if !self.is_taken(i) {
            return None;
        }
        if let Some(w) = self.taken.get_mut(i / 64) {
            *w &= !(1 << (i % 64));
        }
        self.entities
            .get_mut(i)
            .map(|slot| std::mem::replace(slot, Entity::vacant()))
    }

    /// Makes room for `more` entities.
    pub(crate) fn reserve(&mut self, more: usize) {
        self.entities.reserve(more);
        self.taken.reserve(more.div_ceil(64));
    }

    /// Every entity with its node number, in node order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (usize, &Entity)> + '_ {
        self.entities
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
    }
}
