//! Per-query scratch space: generation-stamped marks (visited, distance,
//! parent) for both sides of a search, pooled on the graph so that starting
//! a query costs O(1), not O(n).

/// Which search a mark belongs to: a bidirectional search keeps one side
/// from each end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Side {
    Forward,
    Backward,
}

/// The marks of one search: the generation that reached each node, its
/// distance and its parent.
#[derive(Debug, Default)]
struct Marks(Vec<Mark>);

/// One node's mark on one side: together, so that reaching a node writes
/// one cache line, not three.
#[derive(Debug, Default, Clone, Copy)]
struct Mark {
    generation: u32,
    dist: u32,
    parent: u32,
}

/// Generation-stamped marks: a slot is set when it holds the current
/// generation, so starting a new query is O(1), not O(n).
#[derive(Debug, Default)]
pub(crate) struct Scratch {
    generation: u32,
    forward: Marks,
    backward: Marks,
    /// A byte of flags per node, all clear when a query begins: the
    /// nodes flagged are listed, and cleared by the next `begin`. One byte
    /// a node is small enough to stay in cache where the marks (12 bytes a
    /// node a side) do not, so a search can ask a flag before a mark.
    flags: Vec<u8>,
    flagged: Vec<u32>,
}

impl Scratch {
    /// Starts a query on a graph of `n` nodes: O(1), or O(n) when the
    /// graph has grown since the space was last used.
    pub(crate) fn begin(&mut self, n: usize) {
        for side in [&mut self.forward, &mut self.backward] {
            if side.0.len() < n {
                side.0.resize(n, Mark::default());
            }
        }
        for v in self.flagged.drain(..) {
            if let Some(f) = self.flags.get_mut(v as usize) {
                *f = 0;
            }
        }
        if self.flags.len() < n {
            self.flags.resize(n, 0);
        }
        self.generation = self.generation.wrapping_add(1);
        if self.generation == 0 {
            // After 2^32 queries the stamps wrap: clear once and go on.
            for side in [&mut self.forward, &mut self.backward] {
                side.0.iter_mut().for_each(|m| m.generation = 0);
            }
            self.generation = 1;
        }
    }

    /// `v`'s mark on `side`, if the search on that side has reached it.
    fn mark(&self, side: Side, v: usize) -> Option<&Mark> {
        let marks = match side {
            Side::Forward => &self.forward,
            Side::Backward => &self.backward,
        };
        marks.0.get(v).filter(|m| m.generation == self.generation)
    }

    /// Whether the search on `side` has reached `v`.
    pub(crate) fn seen(&self, side: Side, v: usize) -> bool {
        self.mark(side, v).is_some()
    }

    /// The distance at which the search on `side` reached `v`.
    pub(crate) fn dist(&self, side: Side, v: usize) -> u32 {
        self.mark(side, v).map_or(0, |m| m.dist)
    }

    /// The node from which the search on `side` reached `v`.
    pub(crate) fn parent(&self, side: Side, v: usize) -> Option<u32> {
        self.mark(side, v).map(|m| m.parent)
    }

    /// `v`'s flags (0 when none is set).
    pub(crate) fn flags(&self, v: usize) -> u8 {
        self.flags.get(v).copied().unwrap_or(0)
    }

    /// Sets the flags `bits` of `v`.
    pub(crate) fn flag(&mut self, v: usize, bits: u8) {
        if let Some(f) = self.flags.get_mut(v) {
            if *f == 0 && bits != 0 {
                self.flagged.push(u32::try_from(v).unwrap_or(u32::MAX));
            }
            *f |= bits;
        }
    }

    /// Marks `v` as reached by the search on `side`, at distance `d` from `parent`.
    pub(crate) fn reach(&mut self, side: Side, v: usize, d: u32, parent: u32) {
        let generation = self.generation;
        let marks = match side {
            Side::Forward => &mut self.forward,
            Side::Backward => &mut self.backward,
        };
        if let Some(m) = marks.0.get_mut(v) {
            *m = Mark {
                generation,
                dist: d,
                parent,
            };
        }
    }
}

/// A pool of scratch spaces shared by queries on one graph.
#[derive(Debug, Default)]
pub(crate) struct ScratchPool(pub(crate) std::sync::Mutex<Vec<Scratch>>);

impl Clone for ScratchPool {
    /// A clone starts with an empty pool: scratch space is not graph data.
    fn clone(&self) -> ScratchPool {
        ScratchPool::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Flags set by one query are clear when the next begins, and a
    /// graph that grew gets flags for its new nodes.
    #[test]
    fn flags_are_clear_when_a_query_begins() {
        let mut s = Scratch::default();
        s.begin(4);
        s.flag(1, 0b101);
        s.flag(1, 0b010);
        s.flag(3, 0b001);
        assert_eq!((s.flags(0), s.flags(1), s.flags(3)), (0, 0b111, 0b001));
        s.begin(6);
        assert!((0..6).all(|v| s.flags(v) == 0));
        s.flag(5, 0b100);
        assert_eq!(s.flags(5), 0b100);
        s.begin(6);
        assert_eq!(s.flags(5), 0);
    }
}
