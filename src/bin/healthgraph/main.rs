//! `healthgraph`: the command over the library. Each subcommand loads the
//! data set, asks one query and prints it with the library's renderers.
//!
//! Exit status: 0 when something was found, 1 when nothing was (or, for
//! `validate`, when the data set has problems), 2 for bad arguments or data,
//! with one message on standard error.

mod args;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use healthgraph::render::{self, Format, Kept};
use healthgraph::{Date, Entity, Filter, HealthGraph, Period, Relation, Rule};

use args::{Failure, FilterArgs, Global};

/// Health-sector cooperation as a graph: partners, paths, agreements and
/// timelines from a data set of dated, sourced relations.
#[derive(Parser, Debug)]
#[command(name = "healthgraph", version, propagate_version = true)]
struct Cli {
    #[command(flatten)]
    global: Global,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// The partner network of an entity, as a tree: each partner with the
    /// relations that join it.
    Partners {
        /// The entity: an id, a Wikidata item (Q…) or ROR id, or a name to search for (case and diacritics ignored).
        entity: String,
        /// How many hops out to go.
        #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=64))]
        depth: u32,
        #[command(flatten)]
        filter: FilterArgs,
    },
    /// How two entities are connected, hop by hop, with the window in which
    /// the whole path holds and the sources it rests on.
    Path {
        /// Where the path starts: an id, a Wikidata or ROR id, or a name.
        from: String,
        /// Where the path ends: an id, a Wikidata or ROR id, or a name.
        to: String,
        /// How many shortest paths to show.
        #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=1000))]
        k: u32,
        /// Show every simple path of at most this many hops instead.
        #[arg(long, value_parser = clap::value_parser!(u32).range(1..=16), conflicts_with = "k")]
        max_hops: Option<u32>,
        /// With --max-hops: show at most this many paths (shortest first).
        #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u32).range(1..=100_000), requires = "max_hops")]
        limit: u32,
        /// Every hop may hold at some time in the window FROM..TO.
        #[arg(long, value_name = "FROM..TO", conflicts_with_all = ["on", "throughout"])]
        during: Option<Period>,
        /// Every hop surely holds on every day of the window FROM..TO.
        #[arg(long, value_name = "FROM..TO", conflicts_with_all = ["on", "during"])]
        throughout: Option<Period>,
        /// A time-respecting path: each hop's relation starts no earlier
        /// than the previous hop's (a visit, then an MOU, then a training).
        #[arg(long, conflicts_with_all = ["k", "max_hops"])]
        chronological: bool,
        /// With --chronological: at most this many days from one hop's start to the next's.
        #[arg(long, value_name = "DAYS", requires = "chronological")]
        max_gap: Option<u32>,
        #[command(flatten)]
        filter: FilterArgs,
    },
    /// Agreements in force on a date (and those the data cannot decide),
    /// agreements that end in a window, or a lineage; with --format
    /// svg, a timeline of them, one bar per agreement across the years.
    Agreements {
        /// Only the agreements of this entity (an id, a Wikidata or ROR id, or a name).
        entity: Option<String>,
        /// The date to ask about [default: today].
        #[arg(long, conflicts_with_all = ["expiring", "lineage"])]
        on: Option<Date>,
        /// Agreements whose end falls in FROM..TO (a side may be empty).
        #[arg(long, value_name = "FROM..TO", conflicts_with = "lineage")]
        expiring: Option<Period>,
        /// The lineage of this agreement, oldest first: what it renews,
        /// amends or supersedes, and what continues it.
        #[arg(long, value_name = "RELATION")]
        lineage: Option<String>,
        /// Show at most this many agreements in each list (the first in id
        /// order; with --expiring, the earliest ends), or bars in the SVG
        /// timeline.
        #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u32).range(1..))]
        limit: u32,
    },
    /// Relations in date order, of one entity or of all.
    Timeline {
        /// The entity: an id or a name [default: every entity].
        entity: Option<String>,
        /// The window's first date: relations dated on or after it.
        #[arg(long)]
        from: Option<Date>,
        /// The window's last date: relations dated on or before it.
        #[arg(long)]
        to: Option<Date>,
        /// With a window: list what may have held at some time in it,
        /// instead of what is dated within it.
        #[arg(long)]
        overlapping: bool,
        /// Relation kinds or groups, comma-separated, any case.
        #[arg(long, default_value = "partnership")]
        kinds: String,
        /// Statuses to keep, comma-separated, any case [default: all].
        #[arg(long)]
        status: Option<String>,
        /// Show at most this many relations (the earliest).
        #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u32).range(1..))]
        limit: u32,
    },
    /// What changed in a window: what began, ended, was renewed or was
    /// first reported, each surely in the window or only maybe.
    Changes {
        /// The window, FROM..TO (a side may be empty): 2025-01..2025-06.
        #[arg(value_name = "FROM..TO")]
        window: Period,
        /// Show at most this many changes of each kind (the earliest).
        #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u32).range(1..))]
        limit: u32,
        #[command(flatten)]
        filter: FilterArgs,
    },
    /// Who cooperates with whom, counted upward along part-of and
    /// located-in: rows of entities against columns of partner countries
    /// (or partner entities), with counts by relation kind; text, json or csv.
    Matrix {
        /// The rows: the entities directly under this one (part of it or
        /// located in it) [default: every city].
        #[arg(long, value_name = "ENTITY", conflicts_with = "rows")]
        under: Option<String>,
        /// The rows: these entities, comma-separated (ids or names).
        #[arg(long, value_name = "ENTITY,..")]
        rows: Option<String>,
        /// The columns: countries or entities.
        #[arg(long, default_value = "countries", value_parser = ["countries", "entities"])]
        columns: String,
        /// Count what may have held at some time in FROM..TO.
        #[arg(long, value_name = "FROM..TO", conflicts_with = "on")]
        during: Option<Period>,
        /// Show at most this many rows, the first in order (each row counts
        /// every relation of its entity and of all under it).
        #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..=100_000))]
        limit: u32,
        #[command(flatten)]
        filter: FilterArgs,
    },
    /// Measures of the network: connected components, degree, betweenness
    /// (exact, or estimated from --sample K sources), common partners.
    Measure {
        #[command(subcommand)]
        what: Measure,
    },
    /// Entities by name, alias or id, ignoring case and diacritics, ranked.
    Search {
        /// What to look for.
        text: String,
        /// Show at most this many entities (the best matches).
        #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u32).range(1..))]
        limit: u32,
    },
    /// Every problem of a data set, each with its file:line:column, on
    /// standard output; exit status 1 if there is any.
    Validate {
        /// The data set [default: the --data value].
        path: Option<PathBuf>,
    },
    /// The whole graph, a view or an entity's ego network as DOT, as
    /// lossless JSON (every field of every record) or as a CSV folder of
    /// tables (both load back with --data), as GraphML or as GEXF with time,
    /// as RDF, as Neo4j's or Kuzu's import files, as an offline HTML page to
    /// look at in a browser; or the whole graph as a binary snapshot that
    /// every --data opens quickly.
    Export {
        /// Export only the ego network of this entity (an id or a name).
        entity: Option<String>,
        /// With an entity: how many hops out to go.
        #[arg(long, default_value_t = 1, requires = "entity", value_parser = clap::value_parser!(u32).range(1..=64))]
        depth: u32,
        /// Write to this file instead of standard output (needed for a snapshot).
        #[arg(long, value_name = "FILE")]
        output: Option<PathBuf>,
        #[command(flatten)]
        filter: FilterArgs,
    },
}

/// What `healthgraph measure` measures.
#[derive(Subcommand, Debug)]
enum Measure {
    /// Connected components (relations taken both ways), largest first.
    Components {
        /// Show at most this many components.
        #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..=100_000))]
        limit: u32,
        #[command(flatten)]
        filter: FilterArgs,
    },
    /// Entities by degree (relations a traversal may follow), highest first;
    /// or the degree of one entity.
    Degree {
        /// One entity only (an id or a name).
        entity: Option<String>,
        /// Show at most this many entities.
        #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..=100_000))]
        limit: u32,
        #[command(flatten)]
        filter: FilterArgs,
    },
    /// Betweenness centrality (brokers between clusters), highest first:
    /// exact on every core, or estimated from K sources drawn at random.
    Betweenness {
        /// Estimate from this many sources (Brandes and Pich): error within
        /// ε·n·(n−2) for one entity with probability 1 − 2e^(−2Kε²).
        #[arg(long, value_name = "K", value_parser = clap::value_parser!(u32).range(1..))]
        sample: Option<u32>,
        /// The seed of the draw, for repeatable estimates.
        #[arg(long, default_value_t = 1, requires = "sample")]
        seed: u64,
        /// Exact scores even for a view of more than 20,000 entities (a
        /// search from every one of them: minutes at 100,000, hours at a
        /// million); without it such a view asks for --sample.
        #[arg(long, conflicts_with = "sample")]
        exact: bool,
        /// Show at most this many entities.
        #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..=100_000))]
        limit: u32,
        #[command(flatten)]
        filter: FilterArgs,
    },
    /// The partners two entities share.
    Common {
        /// One entity (an id or a name).
        a: String,
        /// The other.
        b: String,
        #[command(flatten)]
        filter: FilterArgs,
    },
}

/// The outcome of a subcommand: what to print, and whether it found anything.
struct Found {
    text: String,
    any: bool,
}

fn run(cli: Cli) -> Result<Found, Failure> {
    let global = &cli.global;
    match cli.command {
        Command::Partners {
            entity,
            depth,
            filter,
        } => {
            let graph = global.load()?;
            let center = graph.find_entity(&entity)?.id().as_str();
            let view = graph.view(filter.filter()?);
            let ego = view.neighbourhood(center, depth as usize)?;
            Ok(Found {
                text: render::partners(&ego, global.format()?),
                any: view.degree(center)? > 0,
            })
        }
        Command::Path {
            from,
            to,
            k,
            max_hops,
            limit,
            during,
            throughout,
            chronological,
            max_gap,
            filter,
        } => {
            let graph = global.load()?;
            let (from, to) = (graph.find_entity(&from)?, graph.find_entity(&to)?);
            let mut keep = filter.filter()?;
            if let Some((f, t)) = during.map(bounds) {
                keep = keep.during(f, t);
            }
            if let Some((f, t)) = throughout.map(bounds) {
                keep = keep.throughout(f, t);
            }
            let view = graph.view(keep);
            let (a, b) = (from.id().as_str(), to.id().as_str());
            let mut paths = match max_hops {
                _ if chronological => view
                    .chronological_path(a, b, max_gap)?
                    .into_iter()
                    .collect(),
                Some(max) => view.paths_limited(a, b, max as usize, limit as usize)?,
                None => view.shortest_paths(a, b, k as usize)?,
            };
            // The verdict of each path in the window asked about.
            let window = filter
                .on
                .map(|d| (d, d))
                .or(during.map(bounds))
                .or(throughout.map(bounds));
            if let (Some((f, t)), false) = (window, chronological) {
                paths = paths.into_iter().map(|p| p.judged_during(f, t)).collect();
            }
            let mut text = render::paths(from, to, &paths, global.format()?)?;
            if max_hops.is_some()
                && paths.len() == limit as usize
                && global.format()? == Format::Text
            {
                text.push_str(&format!(
                    "(the first {limit} paths; --limit N shows more)\n"
                ));
            }
            Ok(Found {
                text,
                any: !paths.is_empty(),
            })
        }
        Command::Agreements {
            entity,
            on,
            expiring,
            lineage,
            limit,
        } => {
            let svg = global
                .format
                .as_deref()
                .is_some_and(|f| f.eq_ignore_ascii_case("svg"));
            let graph = global.load()?;
            let view = graph.view(Filter::new().kinds_by_name("agreement")?);
            let party = match &entity {
                Some(text) => Some(graph.find_entity(text)?.id().as_str()),
                None => None,
            };
            let of_party = |r: &Relation| party.is_none_or(|id| r.from() == id || r.to() == id);
            if let Some(id) = lineage {
                let chain = graph.lineage(&id)?;
                let text = if svg {
                    let marks: Vec<(Date, &str)> = Vec::new();
                    render::agreements_svg(&graph, &chain, Date::today(), &marks)
                } else {
                    render::lineage(&graph, &chain, global.format()?)?
                };
                return Ok(Found { text, any: true });
            }
            if let Some(window) = expiring {
                let (from, to) = bounds(window);
                let mut list = view.expiring(from, to);
                list.retain(|e| of_party(e.relation()));
                let (any, total) = (!list.is_empty(), list.len());
                let cut = total > limit as usize;
                list.truncate(limit as usize);
                let text = if svg {
                    let shown: Vec<&Relation> = list.iter().map(|e| e.relation()).collect();
                    svg_limit_note(cut, limit, total);
                    render::agreements_svg(&graph, &shown, Date::today(), &[])
                } else {
                    render::expiring(&graph, from, to, &list, global.format()?)?
                };
                return Ok(Found {
                    text: with_limit_note(
                        text,
                        cut,
                        global.format()? == Format::Text,
                        &format!("the first {limit} of {total}"),
                    ),
                    any,
                });
            }
            if svg {
                // Every agreement of the data (or of the entity) across the
                // years, with a line at today and at the asked date.
                let mut shown: Vec<&Relation> = view.relations().filter(|r| of_party(r)).collect();
                let total = shown.len();
                shown.truncate(limit as usize);
                svg_limit_note(total > limit as usize, limit, total);
                let label = on.map(|d| format!("on {d}"));
                let marks: Vec<(Date, &str)> = on.iter().copied().zip(label.as_deref()).collect();
                return Ok(Found {
                    text: render::agreements_svg(&graph, &shown, Date::today(), &marks),
                    any: !shown.is_empty(),
                });
            }
            let mut on = view.in_force(on.unwrap_or_else(Date::today));
            if party.is_some() {
                on.retain(of_party);
            }
            let any = !on.in_force().is_empty() || !on.unknown().is_empty();
            let shown = format!(
                "the first {limit} of each list, of {} in force and {} unknown",
                on.in_force().len(),
                on.unknown().len()
            );
            let cut = on.truncate(limit as usize);
            let text = render::agreements_on(&graph, &on, global.format()?)?;
            Ok(Found {
                text: with_limit_note(text, cut, global.format()? == Format::Text, &shown),
                any,
            })
        }
        Command::Timeline {
            entity,
            from,
            to,
            overlapping,
            kinds,
            status,
            limit,
        } => {
            if let (Some(from), Some(to)) = (from, to) {
                if from.first_day() > to.last_day() {
                    return Err(Failure::Usage(format!(
                        "--from {from} is after --to {to}: give the earlier date first"
                    )));
                }
            }
            let graph = global.load()?;
            let mut filter = Filter::new().kinds_by_name(&kinds)?;
            if let Some(statuses) = &status {
                filter = filter.statuses_by_name(statuses)?;
            }
            let kept = if overlapping {
                Kept::MayHold
            } else {
                Kept::DatedWithin
            };
            let window = (from.is_some() || to.is_some())
                .then(|| (from.unwrap_or(Date::MIN), to.unwrap_or(Date::MAX), kept));
            let view = graph.view(filter);
            let mut relations = match &entity {
                Some(text) => view.timeline(graph.find_entity(text)?.id().as_str())?,
                None => view.chronological(),
            };
            if let Some((from, to, kept)) = window {
                // The same two meanings as View::dated_within and View::between.
                let during = Filter::new().during(from, to);
                let probe = graph.view(during);
                relations.retain(|r| match kept {
                    Kept::DatedWithin => r.is_dated_within(from, to),
                    _ => (r.start().is_some() || r.end().is_some()) && probe.contains_relation(r),
                });
            }
            let (any, total) = (!relations.is_empty(), relations.len());
            relations.truncate(limit as usize);
            let text = render::timeline(&graph, &relations, window, global.format()?)?;
            Ok(Found {
                text: with_limit_note(
                    text,
                    total > limit as usize,
                    global.format()? == Format::Text,
                    &format!("the earliest {limit} of {total} relations"),
                ),
                any,
            })
        }
        Command::Changes {
            window,
            limit,
            filter,
        } => {
            let graph = global.load()?;
            let view = graph.view(filter.filter()?);
            let (from, to) = bounds(window);
            let mut changes = view.changes(from, to);
            let any = !changes.is_empty();
            let cut = changes.truncate(limit as usize);
            let text = render::changes(&graph, &changes, global.format()?)?;
            Ok(Found {
                text: with_limit_note(
                    text,
                    cut,
                    global.format()? == Format::Text,
                    &format!("the first {limit} of each kind"),
                ),
                any,
            })
        }
        Command::Matrix {
            under,
            rows,
            columns,
            during,
            limit,
            filter,
        } => {
            let csv = global
                .format
                .as_deref()
                .is_some_and(|f| f.eq_ignore_ascii_case("csv"));
            let format = if csv { Format::Text } else { global.format()? };
            let graph = global.load()?;
            let window = filter.on.map(|d| (d, d)).or(during.map(bounds));
            let mut keep = filter.filter()?;
            if let Some((f, t)) = during.map(bounds) {
                keep = keep.during(f, t);
            }
            let view = graph.view(keep);
            let ids: Vec<&str> = match (&under, &rows) {
                (Some(text), _) => {
                    let parent = graph.find_entity(text)?;
                    graph
                        .children(parent.id().as_str())
                        .iter()
                        .map(|e| e.id().as_str())
                        .collect()
                }
                (None, Some(list)) => list
                    .split(',')
                    .filter(|t| !t.trim().is_empty())
                    .map(|t| graph.find_entity(t.trim()).map(|e| e.id().as_str()))
                    .collect::<Result<_, _>>()?,
                (None, None) => graph
                    .entities()
                    .filter(|e| e.kind() == healthgraph::EntityKind::City)
                    .map(|e| e.id().as_str())
                    .collect(),
            };
            let columns = if columns == "entities" {
                healthgraph::Columns::Entities
            } else {
                healthgraph::Columns::Countries
            };
            // Rows are cut before they are counted: a row of a large
            // structure counts much of the graph.
            let (total, cut) = (ids.len(), ids.len() > limit as usize);
            let ids = ids.get(..ids.len().min(limit as usize)).unwrap_or_default();
            let matrix = args::progress(&format!("counting {} rows", ids.len()), || {
                view.matrix(ids, columns, window)
            })?;
            let any = matrix.rows().iter().any(|r| r.total() > 0);
            let shown = format!("the first {limit} of {total} rows");
            let text = if csv {
                render::matrix_csv(&matrix)
            } else {
                render::matrix(&matrix, window.is_some(), format)?
            };
            let text = with_limit_note(text, cut, !csv && format == Format::Text, &shown);
            Ok(Found { text, any })
        }
        Command::Measure { what } => measure(global, what),
        Command::Search { text, limit } => {
            if !text.chars().any(char::is_alphanumeric) {
                return Err(Failure::Usage(format!(
                    "nothing to search for in `{text}`: give a name, an alias or an id"
                )));
            }
            let graph = global.load()?;
            let mut hits = graph.view(Filter::new()).search(&text);
            let (any, total) = (!hits.is_empty(), hits.len());
            hits.truncate(limit as usize);
            let shown = format!("the best {limit} of {total} matches");
            let found = render::search(&text, &hits, global.format()?)?;
            Ok(Found {
                text: with_limit_note(
                    found,
                    total > limit as usize,
                    global.format()? == Format::Text,
                    &shown,
                ),
                any,
            })
        }
        Command::Validate { path } => {
            let path = path.unwrap_or_else(|| global.data.clone());
            // Not freed at the end, as `Global::load` explains.
            match HealthGraph::load(&path).map(std::mem::ManuallyDrop::new) {
                Ok(graph) => Ok(Found {
                    text: render::valid(&path, &graph, global.format()?),
                    any: true,
                }),
                Err(err) if err.is_io() => Err(Failure::Data(err)),
                Err(err) => {
                    let mut text = render::problems(&err, global.format()?);
                    if global.format()? == Format::Text {
                        let n = err.problems().len();
                        text.push_str(&format!("{n} problem{}\n", if n == 1 { "" } else { "s" }));
                    }
                    // Problems are the answer here: printed, with exit status 1.
                    Ok(Found { text, any: false })
                }
            }
        }
        Command::Export {
            entity,
            depth,
            output,
            filter,
        } => export(global, entity.as_deref(), depth, output, &filter),
    }
}

/// `healthgraph measure`.
fn measure(global: &Global, what: Measure) -> Result<Found, Failure> {
    let format = global.format()?;
    let graph = global.load()?;
    match what {
        Measure::Components { limit, filter } => {
            let components = graph.view(filter.filter()?).components();
            Ok(Found {
                text: render::components(&components, limit as usize, format)?,
                any: !components.is_empty(),
            })
        }
        Measure::Degree {
            entity,
            limit,
            filter,
        } => {
            let view = graph.view(filter.filter()?);
            let mut scores: Vec<(&Entity, f64)> = match &entity {
                Some(text) => {
                    let e = graph.find_entity(text)?;
                    vec![(e, view.degree(e.id().as_str())? as f64)]
                }
                None => view
                    .entities()
                    .filter_map(|e| Some((e, view.degree(e.id().as_str()).ok()? as f64)))
                    .collect(),
            };
            scores.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.id().cmp(b.0.id())));
            Ok(Found {
                text: render::ranking("degree", &scores, limit as usize, format)?,
                any: scores.iter().any(|(_, d)| *d > 0.0),
            })
        }
        Measure::Betweenness {
            sample,
            seed,
            exact,
            limit,
            filter,
        } => {
            let view = graph.view(filter.filter()?);
            let n = view.entities().count();
            if sample.is_none() && !exact && n > EXACT_BETWEENNESS_UP_TO {
                return Err(Failure::Usage(format!(
                    "exact betweenness of {n} entities searches from every one of them, \
                     which takes minutes to hours: estimate it with --sample K (--sample 1000 \
                     takes under a minute at a million entities), or ask for it with --exact"
                )));
            }
            let (scores, name) = match sample {
                Some(k) => (
                    args::progress(&format!("searching from {k} sources of {n}"), || {
                        view.betweenness_sampled(k as usize, seed)
                    }),
                    format!("betweenness estimated from {k} sources (seed {seed})"),
                ),
                None => (
                    args::progress(&format!("searching from each of {n} entities"), || {
                        view.betweenness()
                    }),
                    "betweenness".to_owned(),
                ),
            };
            Ok(Found {
                text: render::ranking(&name, &scores, limit as usize, format)?,
                any: !scores.is_empty(),
            })
        }
        Measure::Common { a, b, filter } => {
            let (a, b) = (graph.find_entity(&a)?, graph.find_entity(&b)?);
            let view = graph.view(filter.filter()?);
            let common = view.common_partners(a.id().as_str(), b.id().as_str())?;
            let title = format!("Partners of both {} and {}", a.id(), b.id());
            Ok(Found {
                text: render::entities(&title, &common, format)?,
                any: !common.is_empty(),
            })
        }
    }
}

/// The largest view whose exact betweenness the command computes without
/// `--exact`: 5.8 s whole process on two cores for the 20,000-entity
/// synthetic data set (0.7 s at 10,000; it grows with entities times
/// relations).
const EXACT_BETWEENNESS_UP_TO: usize = 20_000;

/// A window's first and last dates, an open side as far as dates go.
fn bounds(window: Period) -> (Date, Date) {
    (
        window.start().unwrap_or(Date::MIN),
        window.end().unwrap_or(Date::MAX),
    )
}

/// The formats `export` writes.
const EXPORT_FORMATS: &[&str] = &[
    "dot", "json", "csv", "graphml", "gexf", "turtle", "ntriples", "neo4j", "kuzu", "html",
    "snapshot",
];

/// `healthgraph export`: the whole graph, a view, or an ego network, in one
/// of [`EXPORT_FORMATS`]. Files are saved atomically; the streaming formats
/// go to standard output as they are written.
fn export(
    global: &Global,
    entity: Option<&str>,
    depth: u32,
    output: Option<PathBuf>,
    filter: &FilterArgs,
) -> Result<Found, Failure> {
    let name = global
        .format
        .as_deref()
        .unwrap_or("dot")
        .to_ascii_lowercase();
    if !EXPORT_FORMATS.contains(&name.as_str()) {
        let (last, others) = EXPORT_FORMATS.split_last().unwrap_or((&"dot", &[]));
        return Err(Failure::Usage(format!(
            "unknown export format `{name}`: expected {} or {last}",
            others.join(", ")
        )));
    }
    if name == "snapshot" {
        let Some(output) = output else {
            return Err(Failure::Usage(
                "a snapshot is binary: give --output FILE".into(),
            ));
        };
        if entity.is_some() || filter.status.is_some() || filter.on.is_some() {
            return Err(Failure::Usage(
                "a snapshot holds the whole graph: leave out the entity, --status and --on".into(),
            ));
        }
        let graph = global.load()?;
        args::progress(&format!("writing {}", output.display()), || {
            graph.save_snapshot(&output)
        })?;
        return Ok(Found {
            text: String::new(),
            any: !graph.is_empty(),
        });
    }
    let folder = match name.as_str() {
        "csv" => Some("a CSV data set is a folder of tables"),
        "neo4j" => Some("Neo4j's importer reads a folder of CSV files"),
        "kuzu" => Some("Kuzu reads a folder of CSV files and its schema.cypher"),
        _ => None,
    };
    if let (Some(what), None) = (folder, &output) {
        return Err(Failure::Usage(format!("{what}: give --output FOLDER")));
    }
    let graph = global.load()?;
    let view = graph.view(filter.filter()?);
    let whole = entity.is_none() && filter.keeps_everything();
    let (entities, relations, center): (Vec<&Entity>, Vec<&Relation>, Option<&str>) = match entity {
        Some(text) => {
            let id = graph.find_entity(text)?.id().as_str();
            let ego = view.neighbourhood(id, depth as usize)?;
            let mut entities: Vec<&Entity> = ego.members().iter().map(|(e, _)| *e).collect();
            entities.sort_by(|a, b| a.id().cmp(b.id()));
            (entities, ego.relations().to_vec(), Some(id))
        }
        None => (view.entities().collect(), view.relations().collect(), None),
    };
    let any = !relations.is_empty();
    let write = |out: &mut dyn std::io::Write| -> Result<(), healthgraph::Error> {
        use healthgraph::export::{self, RdfSyntax};
        match name.as_str() {
            "graphml" => export::write_graphml(&entities, &relations, out),
            "html" => export::write_html(&graph, &entities, &relations, center, out),
            "gexf" => export::write_gexf(&entities, &relations, out),
            "turtle" => export::write_rdf(&graph, &entities, &relations, RdfSyntax::Turtle, out),
            "ntriples" => {
                export::write_rdf(&graph, &entities, &relations, RdfSyntax::NTriples, out)
            }
            // JSON is lossless: every field of every record written, the
            // whole graph (with every source) when nothing is left out.
            "json" if whole => graph.write_json(out),
            "json" => graph.write_json_of(&entities, &relations, out),
            _ => {
                let text = render::export(&entities, &relations, center, Format::Dot)?;
                out.write_all(text.as_bytes())
                    .map_err(healthgraph::Error::from)
            }
        }
    };
    match output {
        Some(folder) if name == "csv" => {
            if whole {
                graph.write_csv(&folder)?;
            } else {
                graph.write_csv_of(&entities, &relations, &folder)?;
            }
        }
        Some(folder) if name == "neo4j" => {
            healthgraph::export::write_neo4j(&graph, &entities, &relations, &folder)?;
        }
        Some(folder) if name == "kuzu" => {
            healthgraph::export::write_kuzu(&graph, &entities, &relations, &folder)?;
        }
        Some(path) => healthgraph::export::save(&path, write)?,
        None => {
            let stdout = std::io::stdout();
            let mut out = stdout.lock();
            if let Err(e) = write(&mut out) {
                // A reader that stops early (`| head`) is not an error.
                if !e.is_broken_pipe() {
                    return Err(e.into());
                }
            }
        }
    }
    Ok(Found {
        text: String::new(),
        any,
    })
}

/// Output that a `--limit` cut: a text table (`inline`) ends with a note
/// saying what it shows (`shown`) and how to see more; other output (JSON,
/// CSV, DOT) keeps its shape (JSON says `"truncated"` where its shape has
/// room), and the note goes to standard error.
fn with_limit_note(mut text: String, cut: bool, inline: bool, shown: &str) -> String {
    if cut && inline {
        text.push_str(&format!("\n({shown}; --limit N shows more)\n"));
    } else if cut {
        eprintln!("note: {shown}; --limit N shows more");
    }
    text
}

/// A picture has no room for a note: when `--limit` cut the agreements a
/// timeline draws, standard error says so.
fn svg_limit_note(cut: bool, limit: u32, total: usize) {
    if cut {
        eprintln!(
            "note: the timeline draws the first {limit} of {total} agreements; --limit N draws more"
        );
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let known_by = cli.global.known_by;
    match run(cli) {
        Ok(found) => {
            // A reader that stops early (`| head`) is not an error: stop too.
            use std::io::Write;
            let mut out = std::io::stdout().lock();
            if let Err(e) = out
                .write_all(found.text.as_bytes())
                .and_then(|()| out.flush())
            {
                if e.kind() != std::io::ErrorKind::BrokenPipe {
                    eprintln!("error: cannot write the output: {e}");
                    return ExitCode::from(2);
                }
            }
            if found.any {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            }
        }
        Err(failure) => {
            eprintln!("error: {failure}");
            if let (Some(date), true) = (known_by, failure.is(Rule::UnknownEntity)) {
                // The entity may well be in the data, reported only later.
                eprintln!(
                    "note: with --known-by {date}, only what sources published by then report is known"
                );
            }
            ExitCode::from(2)
        }
    }
}
