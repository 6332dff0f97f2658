//! Exports for the tools people use with graphs, each a function of the
//! entities and relations to write (a whole graph, a view, an ego network)
//! that streams into any `Write`: GraphML (NetworkX, igraph, yEd,
//! Cytoscape), GEXF 1.3 with time (Gephi), RDF (Turtle, N-Triples) for
//! SPARQL stores, and a self-contained HTML page to look at in a browser. Every writer is
//! deterministic (the same input gives the same bytes) and escapes what its
//! format needs.

mod gexf;
mod graphml;
mod html;
mod property_graph;
mod rdf;
pub(crate) mod xml;

pub use gexf::write_gexf;
pub use graphml::write_graphml;
pub use html::{PAGE_LIMIT, write_html};
pub use property_graph::{write_kuzu, write_neo4j};
pub use rdf::{BASE, RdfSyntax, write_rdf};

use std::io::Write;
use std::path::Path;

use crate::error::Error;

/// Saves what `write` writes (any of this module's writers) to `path`,
/// atomically: to a temporary file beside it, created exclusively, then
/// renamed over `path`, so that a reader sees the old file or the whole new
/// one, and a failed export leaves `path` as it was.
///
/// # Errors
///
/// The error of `write`, or an I/O error saving the file.
///
/// # Example
///
/// ```
/// use healthgraph::{Filter, HealthGraph, export};
///
/// let graph = HealthGraph::load("data/hanoi.ron")?;
/// let view = graph.view(Filter::new());
/// let (entities, relations): (Vec<_>, Vec<_>) = (view.entities().collect(), view.relations().collect());
/// let folder = tempfile::tempdir().expect("a temporary folder");
/// let path = folder.path().join("hanoi.graphml");
/// export::save(&path, |out| export::write_graphml(&entities, &relations, out))?;
/// assert!(std::fs::read_to_string(&path).expect("saved").contains("<graphml"));
/// # Ok::<(), healthgraph::Error>(())
/// ```
pub fn save(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> Result<(), Error>,
) -> Result<(), Error> {
    let mut failed = None;
    let saved = crate::document::save::atomically(path, |out| {
        write(out).map_err(|e| {
            let text = e.to_string();
            failed = Some(e);
            std::io::Error::other(text)
        })
    });
    match failed {
        Some(e) => Err(e),
        None => saved,
    }
}
