//! The read-optimised index that queries walk (`adjacency.rs`), the
//! relations by date (`dates.rs`), and the scratch space queries mark
//! (`scratch.rs`). Built from the graph's storage
//! through numbered iterators; never touches petgraph itself.

pub(crate) mod adjacency;
pub(crate) mod dates;
pub(crate) mod scratch;

pub(crate) use adjacency::{Adjacency, Given, country_code};
pub(crate) use dates::DateIndex;
pub(crate) use scratch::{Scratch, ScratchPool, Side};
