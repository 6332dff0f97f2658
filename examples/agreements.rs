//! Prints the agreements in force on a date (and those that cannot be
//! decided), the agreements that end in a window, or a renewal chain.
//!
//! ```text
//! cargo run --example agreements -- --on 2026-01-01
//! cargo run --example agreements -- --expiring 2029..2030
//! cargo run --example agreements -- --lineage mou-karolinska-institute-hanoi-obgyn-hospital
//! ```
//!
//! Exit status: 0 when something is listed, 1 when nothing is, 2 for bad
//! arguments or data.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use healthgraph::render::{self, Format};
use healthgraph::{Date, Error, Filter, HealthGraph, Period};

/// Print agreements in force on a date, expiring ones, or a renewal chain.
#[derive(Parser)]
#[command(version)]
struct Args {
    /// The date to ask about (YYYY, YYYY-MM or YYYY-MM-DD) [default: today].
    #[arg(long, conflicts_with_all = ["expiring", "lineage"])]
    on: Option<Date>,
    /// List agreements whose end falls in FROM..TO (dates as for --on; a side may be empty).
    #[arg(long, value_name = "FROM..TO", conflicts_with = "lineage")]
    expiring: Option<Period>,
    /// Print the renewal chain of this relation id, oldest first.
    #[arg(long, value_name = "RELATION")]
    lineage: Option<String>,
    /// A RON data file, or a folder of them.
    #[arg(long, default_value = "data/hanoi.ron")]
    data: PathBuf,
    /// Output: text or json.
    #[arg(long, default_value = "text")]
    format: Format,
}

fn run(args: &Args) -> Result<bool, Error> {
    let graph = HealthGraph::load(&args.data)?;
    let view = graph.view(Filter::new().kinds_by_name("agreement")?);
    if let Some(id) = &args.lineage {
        let chain = graph.lineage(id)?;
        print!("{}", render::lineage(&graph, &chain, args.format)?);
        return Ok(true);
    }
    if let Some(window) = args.expiring {
        let from = window.start().unwrap_or(Date::MIN);
        let to = window.end().unwrap_or(Date::MAX);
        let list = view.expiring(from, to);
        print!(
            "{}",
            render::expiring(&graph, from, to, &list, args.format)?
        );
        return Ok(!list.is_empty());
    }
    let on = view.in_force(args.on.unwrap_or_else(Date::today));
    print!("{}", render::agreements_on(&graph, &on, args.format)?);
    Ok(!on.in_force().is_empty() || !on.unknown().is_empty())
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
