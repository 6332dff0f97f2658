//! Checks a data set and prints every problem with its `file:line:column`.
//!
//! ```text
//! cargo run --example validate -- data/hanoi.ron
//! cargo run --example validate -- data/ --format json
//! ```
//!
//! Exit status: 0 when the data set is valid, 1 when it has problems, 2 when
//! it cannot be read or the arguments are wrong.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use healthgraph::HealthGraph;
use healthgraph::render::{self, Format};

/// Check a data set: a RON file or a folder of them.
#[derive(Parser)]
#[command(version)]
struct Args {
    /// The data set to check [default: the --data value].
    path: Option<PathBuf>,
    /// A RON data file, or a folder of them.
    #[arg(long, default_value = "data/hanoi.ron")]
    data: PathBuf,
    /// Output: text or json.
    #[arg(long, default_value = "text")]
    format: Format,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let path = args.path.as_ref().unwrap_or(&args.data);
    match HealthGraph::load(path) {
        Ok(graph) => {
            print!("{}", render::valid(path, &graph, args.format));
            ExitCode::SUCCESS
        }
        Err(err) if err.is_io() => {
            eprintln!("error: {err}");
            ExitCode::from(2)
        }
        Err(err) => {
            match args.format {
                Format::Json => print!("{}", render::problems(&err, Format::Json)),
                _ => {
                    eprint!("{}", render::problems(&err, Format::Text));
                    let n = err.problems().len();
                    eprintln!("{n} problem{}", if n == 1 { "" } else { "s" });
                }
            }
            ExitCode::from(1)
        }
    }
}
