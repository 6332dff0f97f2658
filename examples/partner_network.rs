//! Prints who a Hanoi hospital works with, and who they work with: the
//! library's partner network (`View::partners`) in a few lines.
//!
//! ```text
//! cargo run --example partner_network
//! ```

use healthgraph::{Filter, HealthGraph};

fn main() -> Result<(), healthgraph::Error> {
    let graph = HealthGraph::load("data/hanoi.ron")?;
    // Partnerships only (MOUs, renewals, visits, training, cooperation).
    let view = graph.view(Filter::partnership());
    let hospital = graph.find_entity("phu san ha noi")?;
    println!("{} ({})", hospital.name(), hospital.id());
    for partner in view.partners(hospital.id().as_str())? {
        let entity = partner.entity();
        let country = entity
            .country()
            .map_or("no country".into(), |c| c.to_string());
        println!("  {} ({}, {country})", entity.name(), entity.kind());
        for relation in partner.relations() {
            println!(
                "    {} {} [{}]",
                relation.kind(),
                relation.period(),
                relation.status()
            );
        }
        // And the partners of that partner, one hop further.
        for further in view.partners(entity.id().as_str())? {
            if further.entity().id() != hospital.id() {
                println!("    → {}", further.entity().name());
            }
        }
    }
    Ok(())
}
