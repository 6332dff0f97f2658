//! Lists the agreements in force on a date, and those the data cannot
//! decide (no stated term, or dates too coarse): the three-valued answer of
//! `View::in_force`.
//!
//! ```text
//! cargo run --example agreements_in_force
//! ```

use healthgraph::{Date, Filter, HealthGraph};

fn main() -> Result<(), healthgraph::Error> {
    let graph = HealthGraph::load("data/hanoi.ron")?;
    let on: Date = "2026-01-01".parse()?;
    let agreements = graph.view(Filter::new()).in_force(on);
    println!("In force on {on}:");
    for r in agreements.in_force() {
        println!("  {} {} — {}, {}", r.kind(), r.from(), r.to(), r.period());
    }
    println!("Cannot be decided on {on}:");
    for r in agreements.unknown() {
        println!("  {} {} — {} ({})", r.kind(), r.from(), r.to(), r.period());
    }
    Ok(())
}
