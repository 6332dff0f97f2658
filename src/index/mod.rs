//! The read-optimised index that queries walk (`adjacency.rs`), and the
//! scratch space they mark (`scratch.rs`). Built from the graph's storage
//! through numbered iterators; never touches petgraph itself.

pub(crate) mod adjacency;
pub(crate) mod scratch;

pub(crate) use adjacency::{Adjacency, country_code};
pub(crate) use scratch::{Scratch, ScratchPool, Side};
