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
