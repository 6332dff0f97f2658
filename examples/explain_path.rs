//! Explains how two organisations are connected: every hop names the
//! relations that make it, and the path says when all of them hold at once
//! and which sources it rests on.
//!
//! ```text
//! cargo run --example explain_path
//! ```

use healthgraph::{Filter, HealthGraph};

fn main() -> Result<(), healthgraph::Error> {
    let graph = HealthGraph::load("data/hanoi.ron")?;
    let view = graph.view(Filter::partnership());
    let Some(path) = view.shortest_path("ap-hp", "karolinska-institute")? else {
        println!("no path");
        return Ok(());
    };
    for hop in path.hops() {
        println!("{} — {}", hop.from().name(), hop.to().name());
        for relation in hop.relations() {
            println!(
                "    {} {} ({})",
                relation.kind(),
                relation.period(),
                relation.id()
            );
        }
    }
    println!("every hop holds in {}", path.window());
    let sources: Vec<&str> = path.sources().iter().map(|s| s.title()).collect();
    println!("sources: {}", sources.join("; "));
    Ok(())
}
