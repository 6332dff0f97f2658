//! The RON format: reading a data file's records as ron parses them, and
//! writing a graph. ron is the only reader of RON here; the records and
//! their fields are those of `records.rs`.

use super::locate::Origin;
use super::seed::{Batch, DocSeed};
use crate::error::{Error, Location, Problem, Rule};
use crate::graph::HealthGraph;

fn options() -> ron::Options {
    ron::Options::default().with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
}

/// Reads one RON data file, handing its records to `sink` in batches
/// (`sink` answers `false` to stop); a syntax error ends the reading, as a
/// located problem.
pub(crate) fn read<'t>(
    origin: &Origin<'t>,
    sink: impl FnMut(Batch<'t>) -> bool,
) -> Result<(), Problem> {
    options()
        .from_str_seed(origin.text, DocSeed { sink })
        .map_err(|e| syntax_problem(origin, &e))
}

/// Turns a ron error into a located problem that says the file was read
/// only up to there.
fn syntax_problem(origin: &Origin<'_>, err: &ron::error::SpannedError) -> Problem {
    use ron::error::Error as E;
    let location = Location::new(
        origin.file.clone(),
        err.span.start.line.max(1),
        err.span.start.col.max(1),
    );
    // At the very start, ron's words are about its own grammar; say what the
    // person should do instead.
    const SHAPE: &str = "a data set starts with `(` and holds lists of records: \
                         (sources: [...], entities: [...], relations: [...])";
    let at_start = !matches!(err.code, E::Eof)
        && err.span.start.line <= 1
        && origin
            .text
            .get(..err.span.start.col.saturating_sub(1))
            .is_some_and(|before| before.trim().is_empty());
    let message = match &err.code {
        _ if origin.text.trim().is_empty() || only_comments(origin.text) => {
            format!("the file is empty: {SHAPE}")
        }
        E::ExpectedStructLike
        | E::ExpectedNamedStructLike(_)
        | E::ExpectedDifferentStructName { .. }
        | E::ExpectedAttribute
            if at_start || matches!(err.code, E::ExpectedAttribute) =>
        {
            format!("this is not a data file: {SHAPE}")
        }
        other => {
            let text = other.to_string();
            let mut chars = text.chars();
            let lowered: String = chars
                .next()
                .map(|c| c.to_lowercase().chain(chars).collect())
                .unwrap_or_default();
            format!(
                "invalid RON: {}; the rest of this file is not read",
                lowered.trim_end_matches('.')
            )
        }
    };
    Problem::new(Rule::Syntax, message).at(Some(location))
}

/// Whether `text` holds nothing but white space and `//` comments.
fn only_comments(text: &str) -> bool {
    text.lines()
        .map(str::trim)
        .all(|l| l.is_empty() || l.starts_with("//"))
}

/// The graph as RON text.
pub(crate) fn write(graph: &HealthGraph) -> Result<String, Error> {
    let config = ron::ser::PrettyConfig::new()
        .indentor("    ")
        .extensions(ron::extensions::Extensions::IMPLICIT_SOME);
    // Written with the extension named in the text (`#![enable(implicit_some)]`),
    // so that other RON readers read the file as we do.
    ron::Options::default()
        .to_string_pretty(&super::convert::document(graph), config)
        .map(|mut s| {
            s.push('\n');
            s
        })
        .map_err(|e| Error::new(Rule::Syntax, format!("cannot write RON: {e}")))
}
