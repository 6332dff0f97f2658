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

/// Runs `a` here and `b` on another thread when `parallel`, and gives
/// both answers; a panic on the other thread goes on here, as it would
/// have on one thread.
pub(crate) fn both<A: Send, B: Send>(
    parallel: bool,
    a: impl FnOnce() -> A + Send,
    b: impl FnOnce() -> B + Send,
) -> (A, B) {
    if !parallel {
        return (a(), b());
    }
    std::thread::scope(|scope| {
        let other = scope.spawn(b);
        let mine = a();
        let theirs = other
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (mine, theirs)
    })
}
