//! The options every subcommand shares, defined once and flattened into
//! each (clap `#[command(flatten)]`).

use std::mem::ManuallyDrop;
use std::path::{Path, PathBuf};

use clap::Args;
use healthgraph::render::Format;
use healthgraph::{Date, Error, Filter, HealthGraph};

/// Where the data is, and how to print.
#[derive(Args, Debug)]
pub(crate) struct Global {
    /// The data set: a RON file, a folder of RON files, a lossless JSON file, a CSV folder, or a snapshot.
    #[arg(long, global = true, value_name = "PATH", default_value = DEFAULT_DATA)]
    pub(crate) data: PathBuf,
    /// Answer from what had been published by this date (YYYY, YYYY-MM or
    /// YYYY-MM-DD): only the sources out by then, and each relation as they
    /// reported it ("what did we know in March 2025?").
    #[arg(long, global = true, value_name = "DATE")]
    pub(crate) known_by: Option<Date>,
    /// Output: text, json, dot where a picture fits, svg for agreements; for export also csv,
    /// graphml, gexf, turtle, ntriples, neo4j, kuzu, html and snapshot [default: text; dot for export].
    #[arg(long, global = true, value_name = "FORMAT")]
    pub(crate) format: Option<String>,
}

/// The data set used when `--data` is not given: the Hanoi data of the
/// repository, relative to the folder the command runs in.
pub(crate) const DEFAULT_DATA: &str = "data/hanoi.ron";

impl Global {
    /// The output format, or `default` when none is given.
    pub(crate) fn format_or(&self, default: Format) -> Result<Format, Failure> {
        match self.format.as_deref() {
            None => Ok(default),
            Some("snapshot") => Err(Failure::Usage(
                "--format snapshot is for `healthgraph export --format snapshot --output FILE`"
                    .into(),
            )),
            Some(name) if name.eq_ignore_ascii_case("svg") => Err(Failure::Usage(
                "--format svg draws the agreements timeline: `healthgraph agreements --format svg`"
                    .into(),
            )),
            Some(name) => Ok(name.to_ascii_lowercase().parse()?),
        }
    }

    /// The output format, or text when none is given.
    pub(crate) fn format(&self) -> Result<Format, Failure> {
        self.format_or(Format::Text)
    }

    /// Loads the data set. A default path that does not exist says where the
    /// command looked and how to point it at a data set.
    ///
    /// The graph is not freed when the command is done with it: the process
    /// ends right after, and freeing a million entities one allocation at a
    /// time takes a tenth of a whole run.
    pub(crate) fn load(&self) -> Result<ManuallyDrop<HealthGraph>, Failure> {
        if self.data == Path::new(DEFAULT_DATA) && !self.data.exists() {
            let here = std::env::current_dir()
                .map(|d| d.display().to_string())
                .unwrap_or_else(|_| "the current folder".into());
            return Err(Failure::Usage(format!(
                "no data set at `{DEFAULT_DATA}` (looked in {here}): give one with --data PATH \
                 (a RON file, a folder of RON files, a JSON file, or a snapshot), or run from the repository's root"
            )));
        }
        let what = format!("loading {}", self.data.display());
        let graph = progress(&what, || HealthGraph::load(&self.data))?;
        Ok(ManuallyDrop::new(match self.known_by {
            Some(date) => graph.known_by(date),
            None => graph,
        }))
    }
}

/// Which relations and entities a query sees.
#[derive(Args, Debug)]
pub(crate) struct FilterArgs {
    /// Relation kinds or groups (partnership, agreement, structural, all), comma-separated, any case.
    #[arg(long, default_value = "partnership")]
    pub(crate) kinds: String,
    /// Statuses to keep, comma-separated, any case [default: all].
    #[arg(long)]
    pub(crate) status: Option<String>,
    /// Keep relations that may hold on this date (YYYY, YYYY-MM or YYYY-MM-DD).
    #[arg(long)]
    pub(crate) on: Option<Date>,
}

impl FilterArgs {
    /// Whether these options keep every relation and entity.
    pub(crate) fn keeps_everything(&self) -> bool {
        self.kinds.trim().eq_ignore_ascii_case("all") && self.status.is_none() && self.on.is_none()
    }

    /// The filter these options describe.
    pub(crate) fn filter(&self) -> Result<Filter, Error> {
        let mut filter = Filter::new().kinds_by_name(&self.kinds)?;
        if let Some(statuses) = &self.status {
            filter = filter.statuses_by_name(statuses)?;
        }
        if let Some(date) = self.on {
            filter = filter.on(date);
        }
        Ok(filter)
    }
}

/// Why a subcommand did not succeed, and so its exit status.
#[derive(Debug)]
pub(crate) enum Failure {
    /// Bad arguments or data: exit 2.
    Usage(String),
    /// Invalid data or a failed query: exit 2.
    Data(Error),
}

impl From<Error> for Failure {
    fn from(e: Error) -> Failure {
        Failure::Data(e)
    }
}

impl Failure {
    /// Whether the failure is a problem of this rule.
    pub(crate) fn is(&self, rule: healthgraph::Rule) -> bool {
        match self {
            Failure::Usage(_) => false,
            Failure::Data(e) => e.problems().iter().any(|p| p.rule() == rule),
        }
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Usage(message) => f.write_str(message),
            Failure::Data(e) => write!(f, "{e}"),
        }
    }
}

/// Runs `work`; if it takes longer than a second and standard error is a
/// terminal, shows a spinner with `what` and the time taken meanwhile.
/// Nothing is shown when the output goes to a file or a pipe.
pub(crate) fn progress<T>(what: &str, work: impl FnOnce() -> T) -> T {
    use std::io::IsTerminal;
    use std::time::Duration;
    if !std::io::stderr().is_terminal() {
        return work();
    }
    let (done, finished) = std::sync::mpsc::channel::<()>();
    let what = what.to_owned();
    let shower = std::thread::spawn(move || {
        if finished.recv_timeout(Duration::from_secs(1)).is_ok() {
            return;
        }
        let spinner = indicatif::ProgressBar::new_spinner();
        spinner.set_style(
            indicatif::ProgressStyle::with_template("{spinner} {msg} ({elapsed})")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
        );
        spinner.set_message(what);
        spinner.enable_steady_tick(Duration::from_millis(120));
        let _ = finished.recv();
        spinner.finish_and_clear();
    });
    let out = work();
    let _ = done.send(());
    let _ = shower.join();
    out
}
