//! The lossless JSON format: the same records as RON (`records.rs`), every
//! field of every record, read with serde_json and written by it.
//!
//! ```json
//! {"sources": [{"id": "a1", "title": "…", "published": "2025-05-26", "language": "vi"}],
//!  "entities": [{"id": "hanoi", "kind": "city", "name": "Hà Nội", "sources": ["a1"]}],
//!  "relations": []}
//! ```
//!
//! serde_json lends strings without escapes straight from the text, so
//! problems are located at `line:column` as in RON.

use std::io::Write;

use serde::de::DeserializeSeed;

use super::locate::Origin;
use super::seed::{Batch, DocSeed};
use crate::error::{Error, Location, Problem, Rule};

/// Reads one JSON data file, handing its records to `sink` in batches; a
/// syntax error ends the reading, as a located problem.
pub(crate) fn read<'t>(
    origin: &Origin<'t>,
    sink: impl FnMut(Batch<'t>) -> bool,
) -> Result<(), Problem> {
    let mut de = serde_json::Deserializer::from_str(origin.text);
    DocSeed { sink }
        .deserialize(&mut de)
        .and_then(|()| de.end())
        .map_err(|e| syntax_problem(origin, &e))
}

/// A serde_json error as a located problem that says the rest of the file
/// is not read.
fn syntax_problem(origin: &Origin<'_>, err: &serde_json::Error) -> Problem {
    let location = Location::new(origin.file.clone(), err.line().max(1), err.column().max(1));
    let message = if origin.text.trim().is_empty() {
        "the file is empty: a JSON data set is an object with lists of records: \
         {\"sources\": [...], \"entities\": [...], \"relations\": [...]}"
            .to_owned()
    } else {
        // serde_json's text ends with its own "at line L column C".
        let text = err.to_string();
        let text = text.split(" at line ").next().unwrap_or(&text).to_owned();
        format!("invalid JSON: {text}; the rest of this file is not read")
    };
    Problem::new(Rule::Syntax, message).at(Some(location))
}

/// Writes `document` as indented JSON to `out`, as a stream.
pub(crate) fn write(document: &impl serde::Serialize, out: &mut dyn Write) -> Result<(), Error> {
    let mut out = std::io::BufWriter::new(out);
    // An I/O error stays one (a reader that stops early, `| head`, is then
    // known as a broken pipe); anything else serde says is about the value.
    serde_json::to_writer_pretty(&mut out, document).map_err(|e| {
        if e.is_io() {
            Error::from(std::io::Error::from(e))
        } else {
            Error::new(Rule::Io, format!("cannot write JSON: {e}"))
        }
    })?;
    out.write_all(b"\n")
        .and_then(|()| out.flush())
        .map_err(Error::from)
}
