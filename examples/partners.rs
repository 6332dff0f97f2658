//! Prints the partner network of an entity: a tree of who is joined to whom,
//! by which relations (kind, dates, status), or the same as JSON or DOT.
//!
//! ```text
//! cargo run --example partners -- hanoi-obgyn-hospital --depth 2
//! cargo run --example partners -- "phu san ha noi" --kinds all --format dot | dot -Tsvg > obgyn.svg
//! ```
//!
//! Exit status: 0 with partners, 1 when the entity has none in this view,
//! 2 for bad arguments or data.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use healthgraph::render::{self, Format};
use healthgraph::{Date, Error, Filter, HealthGraph};

/// Print the partner network of an entity, given by id or by name.
#[derive(Parser)]
#[command(version)]
struct Args {
    /// The entity: an id, or a name to search for (case and diacritics ignored).
    entity: String,
    /// How many hops out to go.
    #[arg(long, default_value_t = 1)]
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
    /// Output: text, json or dot.
    #[arg(long, default_value = "text")]
    format: Format,
}

fn run(args: &Args) -> Result<bool, Error> {
    let graph = HealthGraph::load(&args.data)?;
    let center = graph.find_entity(&args.entity)?.id().as_str();
    let mut filter = Filter::new().kinds_by_name(&args.kinds)?;
    if let Some(statuses) = &args.status {
        filter = filter.statuses_by_name(statuses)?;
    }
    if let Some(date) = args.on {
        filter = filter.on(date);
    }
    let view = graph.view(filter);
    let ego = view.neighbourhood(center, args.depth)?;
    print!("{}", render::partners(&ego, args.format));
    // Exit status 1 when the entity has no relation in this view.
    Ok(view.degree(center)? > 0)
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
