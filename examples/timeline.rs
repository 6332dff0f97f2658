//! Prints relations in date order: of one entity, or of the whole data set,
//! optionally within a window.
//!
//! ```text
//! cargo run --example timeline -- hanoi-doh
//! cargo run --example timeline -- --from 2025-05 --to 2025-05 --kinds visit
//! ```
//!
//! Exit status: 0 when something is listed, 1 when nothing is, 2 for bad
//! arguments or data.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use healthgraph::render::{self, Format};
use healthgraph::{Date, Error, Filter, HealthGraph};

/// Print relations in date order, of one entity (an id or a name) or of all.
#[derive(Parser)]
#[command(version)]
struct Args {
    /// The entity: an id or a name [default: every entity].
    entity: Option<String>,
    /// Only relations that may hold on or after this date.
    #[arg(long)]
    from: Option<Date>,
    /// Only relations that may hold on or before this date.
    #[arg(long)]
    to: Option<Date>,
    /// Relation kinds or groups (partnership, agreement, structural, all), comma-separated.
    #[arg(long, default_value = "partnership")]
    kinds: String,
    /// Statuses to keep, comma-separated [default: all].
    #[arg(long)]
    status: Option<String>,
    /// A RON data file, or a folder of them.
    #[arg(long, default_value = "data/hanoi.ron")]
    data: PathBuf,
    /// Output: text or json.
    #[arg(long, default_value = "text")]
    format: Format,
}

fn run(args: &Args) -> Result<bool, Error> {
    let graph = HealthGraph::load(&args.data)?;
    let mut filter = Filter::new().kinds_by_name(&args.kinds)?;
    if let Some(statuses) = &args.status {
        filter = filter.statuses_by_name(statuses)?;
    }
    let window = (args.from.is_some() || args.to.is_some())
        .then(|| (args.from.unwrap_or(Date::MIN), args.to.unwrap_or(Date::MAX)));
    let relations = match (&args.entity, window) {
        (Some(text), window) => {
            if let Some((from, to)) = window {
                filter = filter.during(from, to);
            }
            let id = graph.find_entity(text)?.id().as_str();
            graph.view(filter).timeline(id)?
        }
        (None, Some((from, to))) => graph.view(filter).between(from, to),
        (None, None) => graph.view(filter).chronological(),
    };
    print!("{}", render::timeline(&graph, &relations, args.format)?);
    Ok(!relations.is_empty())
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
