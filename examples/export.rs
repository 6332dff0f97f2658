//! Exports the whole graph, or the ego network of an entity, as Graphviz DOT
//! or JSON.
//!
//! ```text
//! cargo run --example export -- --kinds all | dot -Tsvg > hanoi.svg
//! cargo run --example export -- karolinska-institute --depth 2 --format json
//! ```
//!
//! Exit status: 0, 1 when the export would be empty, 2 for bad arguments or data.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use healthgraph::render::{self, Format};
use healthgraph::{Date, Error, Filter, HealthGraph};

/// Export the graph, or an entity's ego network, as DOT or JSON.
#[derive(Parser)]
#[command(version)]
struct Args {
    /// Export only the ego network of this entity (an id or a name).
    entity: Option<String>,
    /// With an entity: how many hops out to go.
    #[arg(long, default_value_t = 1, requires = "entity")]
    depth: usize,
    /// Relation kinds or groups (partnership, agreement, structural, all), comma-separated.
    #[arg(long, default_value = "partnership")]
    kinds: String,
    /// Statuses to keep, comma-separated [default: all].
    #[arg(long)]
    status: Option<String>,
    /// Keep relations that may hold on this date (YYYY, YYYY-MM or YYYY-MM-DD).
    #[arg(long)]
    on: Option<Date>,
    /// A RON data file, or a folder of them.
    #[arg(long, default_value = "data/hanoi.ron")]
    data: PathBuf,
    /// Output: dot or json.
    #[arg(long, default_value = "dot")]
    format: Format,
}

fn run(args: &Args) -> Result<bool, Error> {
    let graph = HealthGraph::load(&args.data)?;
    let mut filter = Filter::new().kinds_by_name(&args.kinds)?;
    if let Some(statuses) = &args.status {
        filter = filter.statuses_by_name(statuses)?;
    }
    if let Some(date) = args.on {
        filter = filter.on(date);
    }
    let view = graph.view(filter);
    let ego = match &args.entity {
        Some(text) => Some((graph.find_entity(text)?.id().as_str(), args.depth)),
        None => None,
    };
    print!("{}", render::export(&view, ego, args.format)?);
    Ok(view.relations().next().is_some())
}

fn main() -> ExitCode {
    match run(&Args::parse()) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::from(2)
        }
    }
}
