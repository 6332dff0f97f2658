//! Writes a synthetic data set of any size, seeded and deterministic: RON for
//! healthgraph, or a TSV edge list for NetworkX and igraph (the benchmarks'
//! peers). The generator lives in `benches/synth.rs`.
//!
//! ```text
//! cargo run --release --example synth -- --entities 100000 --seed 7 > synth.ron
//! cargo run --release --example synth -- --entities 100000 --seed 7 --format tsv > synth.tsv
//! ```

use std::io::{BufWriter, Write};
use std::process::ExitCode;

use clap::{Parser, ValueEnum};

#[path = "../benches/synth.rs"]
mod synth;

#[derive(Clone, Copy, ValueEnum)]
enum Output {
    Ron,
    Tsv,
}

/// Write a synthetic health-cooperation data set.
#[derive(Parser)]
#[command(version)]
struct Args {
    /// How many entities (relations are about five times as many).
    #[arg(long, default_value_t = 10_000)]
    entities: usize,
    /// The seed: the same seed and size give the same data set.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Output: ron or tsv.
    #[arg(long, value_enum, default_value = "ron")]
    format: Output,
}

fn main() -> ExitCode {
    let args = Args::parse();
    if args.entities < 10 {
        eprintln!("error: --entities must be at least 10");
        return ExitCode::from(2);
    }
    let graph = synth::Synth::generate(args.entities, args.seed);
    let mut out = BufWriter::new(std::io::stdout().lock());
    let written = match args.format {
        Output::Ron => graph.write_ron(&mut out),
        Output::Tsv => graph.write_tsv(&mut out),
    };
    match written.and_then(|()| out.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: cannot write: {e}");
            ExitCode::from(2)
        }
    }
}
