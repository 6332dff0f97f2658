//! Prints how two entities are connected, hop by hop: the relation crossed at
//! each hop, the window in which the whole path holds, and its sources.
//!
//! ```text
//! cargo run --example path -- hanoi-obgyn-hospital ap-hp
//! cargo run --example path -- "ap-hp" "karolinska" --k 3 --on 2025-05-23
//! ```
//!
//! Exit status: 0 with a path, 1 when there is none, 2 for bad arguments or data.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use healthgraph::render::{self, Format};
use healthgraph::{Date, Error, Filter, HealthGraph};

/// Print how two entities (ids or names) are connected.
#[derive(Parser)]
#[command(version)]
struct Args {
    /// Where the path starts: an id or a name.
    from: String,
    /// Where the path ends: an id or a name.
    to: String,
    /// Relation kinds or groups (partnership, agreement, structural, all), comma-separated.
    #[arg(long, default_value = "partnership")]
    kinds: String,
    /// Statuses to keep, comma-separated [default: all].
    #[arg(long)]
    status: Option<String>,
    /// Keep relations that may hold on this date (YYYY, YYYY-MM or YYYY-MM-DD).
    #[arg(long)]
    on: Option<Date>,
    /// How many shortest paths to show.
    #[arg(long, default_value_t = 1)]
    k: usize,
    /// Show every simple path of at most this many hops instead.
    #[arg(long)]
    max_hops: Option<usize>,
    /// A RON data file, or a folder of them.
    #[arg(long, default_value = "data/hanoi.ron")]
    data: PathBuf,
    /// Output: text, json or dot.
    #[arg(long, default_value = "text")]
    format: Format,
}

fn run(args: &Args) -> Result<bool, Error> {
    let graph = HealthGraph::load(&args.data)?;
    let from = graph.find_entity(&args.from)?;
    let to = graph.find_entity(&args.to)?;
    let mut filter = Filter::new().kinds_by_name(&args.kinds)?;
    if let Some(statuses) = &args.status {
        filter = filter.statuses_by_name(statuses)?;
    }
    if let Some(date) = args.on {
        filter = filter.on(date);
    }
    let view = graph.view(filter);
    let (a, b) = (from.id().as_str(), to.id().as_str());
    let paths = match args.max_hops {
        Some(max) => view.paths(a, b, max)?,
        None => view.shortest_paths(a, b, args.k)?,
    };
    print!("{}", render::paths(from, to, &paths, args.format)?);
    Ok(!paths.is_empty())
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
