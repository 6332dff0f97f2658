//! Exports the whole graph, or the ego network of an entity, as Graphviz DOT
//! or JSON; or the whole graph as a binary snapshot that every `--data`
//! opens much faster than RON.
//!
//! ```text
//! cargo run --example export -- --kinds all | dot -Tsvg > hanoi.svg
//! cargo run --example export -- karolinska-institute --depth 2 --format json
//! cargo run --example export -- --format snapshot --output hanoi.snapshot
//! ```
//!
//! Exit status: 0, 1 when the export would be empty, 2 for bad arguments or data.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use healthgraph::render::{self, Format};
use healthgraph::{Date, Entity, Error, Filter, HealthGraph, Relation};

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
    /// Output: dot, json, or snapshot (the whole graph, binary; needs --output).
    #[arg(long, default_value = "dot")]
    format: String,
    /// Write to this file (atomically) instead of standard output.
    #[arg(long)]
    output: Option<PathBuf>,
}

fn run(args: &Args) -> Result<bool, String> {
    if args.format == "snapshot" {
        return snapshot(args);
    }
    let (text, found) = export(args).map_err(|e| e.to_string())?;
    match &args.output {
        Some(path) => std::fs::write(path, text)
            .map_err(|e| format!("cannot write `{}`: {e}", path.display()))?,
        None => print!("{text}"),
    }
    Ok(found)
}

/// The export's text, and whether it holds any relation.
fn export(args: &Args) -> Result<(String, bool), Error> {
    let format: Format = args.format.parse()?;
    let graph = HealthGraph::load(&args.data)?;
    let mut filter = Filter::new().kinds_by_name(&args.kinds)?;
    if let Some(statuses) = &args.status {
        filter = filter.statuses_by_name(statuses)?;
    }
    if let Some(date) = args.on {
        filter = filter.on(date);
    }
    let view = graph.view(filter);
    let text = match &args.entity {
        Some(text) => {
            let ego = view.neighbourhood(graph.find_entity(text)?.id().as_str(), args.depth)?;
            let mut entities: Vec<&Entity> = ego.members().iter().map(|(e, _)| *e).collect();
            entities.sort_by(|a, b| a.id().cmp(b.id()));
            let center = Some(ego.center().id().as_str());
            render::export(&entities, ego.relations(), center, format)?
        }
        None => {
            let entities: Vec<&Entity> = view.entities().collect();
            let relations: Vec<&Relation> = view.relations().collect();
            render::export(&entities, &relations, None, format)?
        }
    };
    Ok((text, view.relations().next().is_some()))
}

/// The whole graph as a snapshot.
fn snapshot(args: &Args) -> Result<bool, String> {
    let Some(output) = &args.output else {
        return Err("a snapshot is binary: give --output FILE".into());
    };
    if args.entity.is_some() || args.status.is_some() || args.on.is_some() {
        return Err(
            "a snapshot holds the whole graph: leave out the entity, --status and --on".into(),
        );
    }
    let graph = HealthGraph::load(&args.data).map_err(|e| e.to_string())?;
    graph.save_snapshot(output).map_err(|e| e.to_string())?;
    Ok(!graph.is_empty())
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
