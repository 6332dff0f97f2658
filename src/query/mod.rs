//! Queries on a view of the graph: the filter (`filter.rs`), the view and
//! its traversals (`view.rs`), paths (`path.rs`), agreements in force and
//! renewal chains (`agreement.rs`), search (`search.rs`) and graph measures
//! (`measure.rs`). They walk the query index (`index/`), never petgraph.

pub(crate) mod agreement;
pub(crate) mod changes;
pub(crate) mod claims;
pub(crate) mod filter;
pub(crate) mod measure;
pub(crate) mod path;
pub(crate) mod rollup;
pub(crate) mod search;
pub(crate) mod view;

/// Cuts each list to its first `n` items; whether any was longer. What the
/// bounded results (`Changes`, `AgreementsOn`) do when asked to truncate.
pub(crate) fn truncate_each<'a, T: 'a>(
    lists: impl IntoIterator<Item = &'a mut Vec<T>>,
    n: usize,
) -> bool {
    let mut cut = false;
    for list in lists {
        cut |= list.len() > n;
        list.truncate(n);
    }
    cut
}
