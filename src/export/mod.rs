//! Exports for the tools people use with graphs, each a function of the
//! entities and relations to write (a whole graph, a view, an ego network)
//! that streams into any `Write`: GraphML (NetworkX, igraph, yEd,
//! Cytoscape) and GEXF 1.3 with time (Gephi). Every writer is
//! deterministic (the same input gives the same bytes) and escapes what its
//! format needs.

mod gexf;
mod graphml;
mod xml;

pub use gexf::write_gexf;
pub use graphml::write_graphml;
