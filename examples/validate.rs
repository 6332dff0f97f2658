//! Checks a data set and prints every problem with its `file:line:column`.
//!
//! ```text
//! cargo run --example validate -- data/hanoi.ron
//! ```
//!
//! Exit status: 0 when the data set is valid, 1 when it has problems, 2 when
//! it cannot be read or the arguments are wrong.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use healthgraph::HealthGraph;

/// Check a healthgraph data set: a RON file or a folder of them.
#[derive(Parser)]
#[command(version)]
struct Args {
    /// The data set to check.
    #[arg(default_value = "data/hanoi.ron")]
    path: PathBuf,
}

fn main() -> ExitCode {
    let args = Args::parse();
    match HealthGraph::load(&args.path) {
        Ok(graph) => {
            println!(
                "{}: valid: {} sources, {} entities, {} relations",
                args.path.display(),
                graph.source_count(),
                graph.entity_count(),
                graph.relation_count()
            );
            ExitCode::SUCCESS
        }
        Err(err) if err.is_io() => {
            eprintln!("error: {err}");
            ExitCode::from(2)
        }
        Err(err) => {
            eprintln!("{err}");
            let n = err.problems().len();
            eprintln!("{n} problem{}", if n == 1 { "" } else { "s" });
            ExitCode::from(1)
        }
    }
}
