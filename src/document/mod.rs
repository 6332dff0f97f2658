//! Data files: the one definition of their records (`records.rs`), the
//! conversion between records and typed values (`convert.rs`), loading with
//! every problem in one pass (`load.rs`), locating (`locate.rs`), the RON
//! format (`ron.rs`), and saving atomically (`save.rs`).
//!
//! This is the only module that knows a file format; the format itself is
//! documented in the crate docs (`lib.rs`, "Data files").

use std::fs;
use std::path::{Path, PathBuf};

use crate::error::{Error, Problem, Rule, path_arc};
use crate::graph::HealthGraph;
use crate::model::entity::Entity;
use crate::model::relation::Relation;
use crate::model::source::Source;

mod convert;
mod csv;
mod json;
mod load;
mod locate;
mod read;
mod records;
mod ron;
pub(crate) mod save;
mod seed;
mod snapshot;

pub(crate) use snapshot::relation_order;

use locate::{Origin, Syntax};

impl HealthGraph {
    /// Loads a data set from RON text, checking every rule.
    ///
    /// # Errors
    ///
    /// Every problem found, each located by line and column: syntax first
    /// (a text that does not parse is not checked further), then ids, dates,
    /// vocabulary, duplicates, references, endpoint kinds and renewals.
    ///
    /// # Example
    ///
    /// ```
    /// use healthgraph::{HealthGraph, Rule};
    ///
    /// let err = HealthGraph::from_ron_str(r#"(
    ///     sources: [(id: "s", title: "T", published: "2025-02-30", language: "vi")],
    ///     entities: [(id: "x", kind: "spaceport", name: "X", sources: ["s"])],
    /// )"#).unwrap_err();
    /// let rules: Vec<Rule> = err.problems().iter().map(|p| p.rule()).collect();
    /// assert_eq!(rules, [Rule::InvalidDate, Rule::UnknownTerm]);
    /// assert_eq!(err.problems()[0].to_string(), "2:48: invalid date `2025-02-30`: no such day in that month");
    /// ```
    pub fn from_ron_str(text: &str) -> Result<HealthGraph, Error> {
        let graph = read::build(&[Origin::new(None, text, Syntax::Ron)])?;
        graph.adjacency();
        Ok(graph)
    }

    /// Loads a data set from its lossless JSON (see
    /// [`HealthGraph::write_json`]: the same records and fields as RON),
    /// checking every rule, every problem located by line and column.
    ///
    /// # Errors
    ///
    /// As [`HealthGraph::from_ron_str`].
    ///
    /// # Example
    ///
    /// ```
    /// use healthgraph::HealthGraph;
    ///
    /// let graph = HealthGraph::from_json_str(r#"{
    ///   "sources": [{"id": "s", "title": "T", "published": "2025", "language": "en"}],
    ///   "entities": [{"id": "hanoi", "kind": "city", "name": "Hà Nội", "sources": ["s"]}]
    /// }"#)?;
    /// assert_eq!(graph.entity_count(), 1);
    /// let err = HealthGraph::from_json_str(r#"{"entities": [{"id": "x", "kind": "clinic"}]}"#).unwrap_err();
    /// let problems: Vec<String> = err.problems().iter().map(|p| p.to_string()).collect();
    /// assert_eq!(problems, [
    ///     "1:16: missing field `name` in entity",
    ///     "1:22: entity `x` cites no source",
    ///     "1:35: unknown entity kind `clinic`: expected one of city, hospital, institute, company, agency, ngo, programme",
    /// ]);
    /// # Ok::<(), healthgraph::Error>(())
    /// ```
    pub fn from_json_str(text: &str) -> Result<HealthGraph, Error> {
        let graph = read::build(&[Origin::new(None, text, Syntax::Json)])?;
        graph.adjacency();
        Ok(graph)
    }

    /// Writes the graph as lossless JSON: every field of every record, the
    /// same names as the RON data files, in id order (equal graphs give
    /// identical text), as a stream. Its schema is
    /// `schema/healthgraph.schema.json` in the repository.
    ///
    /// # Errors
    ///
    /// An I/O error if `out` fails.
    ///
    /// # Example
    ///
    /// ```
    /// use healthgraph::HealthGraph;
    ///
    /// let graph = HealthGraph::load("data/hanoi.ron")?;
    /// let mut json = Vec::new();
    /// graph.write_json(&mut json)?;
    /// let text = String::from_utf8(json).expect("UTF-8");
    /// assert!(text.contains("\"aliases\": [\n        \"Phụ sản Hà Nội\""));
    /// assert_eq!(HealthGraph::from_json_str(&text)?, graph);
    /// # Ok::<(), healthgraph::Error>(())
    /// ```
    pub fn write_json(&self, mut out: impl std::io::Write) -> Result<(), Error> {
        json::write(&convert::document(self), &mut out)
    }

    /// Writes a part of the graph as lossless JSON, as
    /// [`HealthGraph::write_json`] writes the whole: these entities and
    /// relations (a view's, an ego network's), in id order, with every
    /// source they cite. It loads back as a data set when the part is
    /// closed (every relation's ends, renewed agreements and people's
    /// organisations among the entities and relations written).
    ///
    /// # Errors
    ///
    /// An I/O error if `out` fails.
    ///
    /// # Example
    ///
    /// ```
    /// use healthgraph::{Filter, HealthGraph};
    ///
    /// let graph = HealthGraph::load("data/hanoi.ron")?;
    /// let ego = graph.view(Filter::new()).neighbourhood("ajou-university-hospital", 1)?;
    /// let entities: Vec<_> = ego.members().iter().map(|(e, _)| *e).collect();
    /// let mut json = Vec::new();
    /// graph.write_json_of(&entities, ego.relations(), &mut json)?;
    /// let part = HealthGraph::from_json_str(std::str::from_utf8(&json).expect("UTF-8"))?;
    /// assert_eq!((part.entity_count(), part.relation_count(), part.source_count()), (2, 3, 3));
    /// # Ok::<(), healthgraph::Error>(())
    /// ```
    pub fn write_json_of(
        &self,
        entities: &[&Entity],
        relations: &[&Relation],
        mut out: impl std::io::Write,
    ) -> Result<(), Error> {
        json::write(&self.part(entities, relations), &mut out)
    }

    /// Writes the graph as a CSV data set: the tables `sources.csv`,
    /// `entities.csv`, `relations.csv`, `people.csv` and `figures.csv` in
    /// folder `dir` (made if missing), as a spreadsheet keeps them; headers
    /// are the field names, lists are joined by `;`. Each table is saved
    /// atomically. [`HealthGraph::load`] reads the folder back into an equal
    /// graph.
    ///
    /// # Errors
    ///
    /// An I/O error if the folder or a table cannot be written.
    ///
    /// # Example
    ///
    /// ```
    /// use healthgraph::HealthGraph;
    ///
    /// let graph = HealthGraph::load("data/hanoi.ron")?;
    /// let dir = std::env::temp_dir().join(format!("healthgraph-doc-csv-{}", std::process::id()));
    /// graph.write_csv(&dir)?;
    /// assert!(std::fs::read_to_string(dir.join("entities.csv")).expect("written").starts_with("id,kind,name,"));
    /// assert_eq!(HealthGraph::load(&dir)?, graph);
    /// # std::fs::remove_dir_all(&dir).ok();
    /// # Ok::<(), healthgraph::Error>(())
    /// ```
    pub fn write_csv(&self, dir: impl AsRef<Path>) -> Result<(), Error> {
        csv::write(&convert::document(self), dir.as_ref())
    }

    /// Writes a part of the graph as a CSV data set, as
    /// [`HealthGraph::write_json_of`] writes it as JSON.
    ///
    /// # Errors
    ///
    /// An I/O error if the folder or a table cannot be written.
    pub fn write_csv_of(
        &self,
        entities: &[&Entity],
        relations: &[&Relation],
        dir: impl AsRef<Path>,
    ) -> Result<(), Error> {
        csv::write(&self.part(entities, relations), dir.as_ref())
    }

    /// The records of a part of the graph, in id order, with the sources
    /// they cite.
    fn part<'g>(
        &'g self,
        entities: &[&'g Entity],
        relations: &[&'g Relation],
    ) -> convert::Document<
        std::vec::IntoIter<&'g Source>,
        std::vec::IntoIter<&'g Entity>,
        std::vec::IntoIter<&'g Relation>,
    > {
        let mut entities = entities.to_vec();
        entities.sort_by(|a, b| a.id.cmp(&b.id));
        entities.dedup_by(|a, b| a.id == b.id);
        let mut relations = relations.to_vec();
        relations.sort_by(|a, b| a.id.cmp(&b.id));
        relations.dedup_by(|a, b| a.id == b.id);
        let mut cited: Vec<&str> = entities
            .iter()
            .flat_map(|e| e.sources.iter())
            .chain(relations.iter().flat_map(|r| r.sources.iter()))
            .map(|s| s.as_str())
            .collect();
        cited.sort_unstable();
        cited.dedup();
        let sources: Vec<&Source> = cited.into_iter().filter_map(|id| self.source(id)).collect();
        convert::Document {
            sources: sources.into_iter(),
            entities: entities.into_iter(),
            relations: relations.into_iter(),
        }
    }

    /// Loads a data set from a RON file, or from every `.ron` file of a
    /// folder (merged, in file-name order; ids must be unique across files).
    ///
    /// # Errors
    ///
    /// An I/O error if the path cannot be read or a folder holds no `.ron`
    /// file; otherwise every problem of every file, as for
    /// [`HealthGraph::from_ron_str`], with the file in each location.
    ///
    /// # Example
    ///
    /// ```
    /// let graph = healthgraph::HealthGraph::load("data/hanoi.ron")?;
    /// assert_eq!(graph.entity_count(), 35);
    /// # Ok::<(), healthgraph::Error>(())
    /// ```
    pub fn load(path: impl AsRef<Path>) -> Result<HealthGraph, Error> {
        let path = path.as_ref();
        if path.is_dir() && csv::is_csv_folder(path) {
            return load_csv(path);
        }
        let files = data_files(path)?;
        if let [file] = files.as_slice() {
            if is_snapshot(file)? {
                let bytes = snapshot::read_file(file).map_err(|e| Error::io(file, "read", e))?;
                return snapshot::read(&bytes, &format!("`{}`", file.display()));
            }
        }
        let json = match files.as_slice() {
            [file] => starts_with_brace(file)?,
            _ => false,
        };
        let syntax = if json { Syntax::Json } else { Syntax::Ron };
        let mut texts = Vec::with_capacity(files.len());
        for file in &files {
            let bytes = fs::read(file).map_err(|e| Error::io(file, "read", e))?;
            match String::from_utf8(bytes) {
                Ok(text) => texts.push((file, text)),
                Err(e) => {
                    let valid = e.utf8_error().valid_up_to();
                    let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
                    let origin = Origin::new(Some(path_arc(file)), &text, syntax);
                    let location = origin.location_of_offset(valid);
                    return Err(Error::from_problems(vec![
                        Problem::new(Rule::Syntax, "the file is not valid UTF-8")
                            .at(Some(location)),
                    ]));
                }
            }
        }
        let origins: Vec<Origin<'_>> = texts
            .iter()
            .map(|(file, text)| Origin::new(Some(path_arc(file)), text, syntax))
            .collect();
        let graph = read::build(&origins)?;
        // The texts go before the query index is built, so that the two are
        // never in memory together.
        drop(origins);
        drop(texts);
        graph.adjacency();
        Ok(graph)
    }

    /// The graph as RON text: sources, entities and relations in id order,
    /// fields in a fixed order, so equal graphs give identical text.
    ///
    /// # Errors
    ///
    /// Only if the RON serializer fails, which does not happen for the
    /// values a graph can hold.
    ///
    /// # Example
    ///
    /// ```
    /// use healthgraph::HealthGraph;
    ///
    /// let graph = HealthGraph::load("data/hanoi.ron")?;
    /// let text = graph.to_ron_string()?;
    /// assert_eq!(HealthGraph::from_ron_str(&text)?, graph);
    /// # Ok::<(), healthgraph::Error>(())
    /// ```
    pub fn to_ron_string(&self) -> Result<String, Error> {
        ron::write(self)
    }

    /// Saves the graph as RON, atomically: the text goes to a temporary file
    /// beside `path` (created exclusively, under an unpredictable name), is
    /// flushed to disk, takes the permissions of the file it replaces, and
    /// then replaces `path`, so a crash leaves either the old file or the
    /// new one, never half of one. If `path` is a symlink, the link is
    /// replaced, not the file it points at.
    ///
    /// # Errors
    ///
    /// An I/O error if the file cannot be written or renamed; the temporary
    /// file is removed then.
    ///
    /// # Example
    ///
    /// ```
    /// use healthgraph::HealthGraph;
    ///
    /// let graph = HealthGraph::load("data/hanoi.ron")?;
    /// let path = std::env::temp_dir().join(format!("healthgraph-doc-{}.ron", std::process::id()));
    /// graph.save(&path)?;
    /// assert_eq!(HealthGraph::load(&path)?, graph);
    /// # std::fs::remove_file(&path).ok();
    /// # Ok::<(), healthgraph::Error>(())
    /// ```
    pub fn save(&self, path: impl AsRef<Path>) -> Result<(), Error> {
        let text = self.to_ron_string()?;
        save::atomically(path.as_ref(), |out| out.write_all(text.as_bytes()))
    }

    /// Writes the graph as a binary snapshot: each id once, relations with
    /// integer endpoints, a format version and a checksum. Opening one
    /// ([`HealthGraph::load`] recognises it whatever its name, or
    /// [`HealthGraph::from_snapshot`]) is much faster than reading RON. The
    /// same graph always gives the same bytes. It is written as a stream.
    ///
    /// # Errors
    ///
    /// An I/O error if `out` fails.
    ///
    /// # Example
    ///
    /// ```
    /// use healthgraph::HealthGraph;
    ///
    /// let graph = HealthGraph::load("data/hanoi.ron")?;
    /// let mut bytes = Vec::new();
    /// graph.write_snapshot(&mut bytes)?;
    /// assert_eq!(HealthGraph::from_snapshot(&bytes)?, graph);
    /// # Ok::<(), healthgraph::Error>(())
    /// ```
    pub fn write_snapshot(&self, mut out: impl std::io::Write) -> Result<(), Error> {
        snapshot::write(self, &mut out)
            .map_err(|e| Error::io(Path::new("the snapshot"), "write", e))
    }

    /// Saves the graph as a binary snapshot (see
    /// [`HealthGraph::write_snapshot`]), atomically as [`HealthGraph::save`]
    /// saves RON.
    ///
    /// # Errors
    ///
    /// An I/O error if the file cannot be written or renamed.
    ///
    /// # Example
    ///
    /// ```
    /// use healthgraph::HealthGraph;
    ///
    /// let graph = HealthGraph::load("data/hanoi.ron")?;
    /// let path = std::env::temp_dir().join(format!("healthgraph-doc-{}.snapshot", std::process::id()));
    /// graph.save_snapshot(&path)?;
    /// assert_eq!(HealthGraph::load(&path)?, graph);
    /// # std::fs::remove_file(&path).ok();
    /// # Ok::<(), healthgraph::Error>(())
    /// ```
    pub fn save_snapshot(&self, path: impl AsRef<Path>) -> Result<(), Error> {
        save::atomically(path.as_ref(), |out| snapshot::write(self, out))
    }

    /// Opens a snapshot from its bytes.
    ///
    /// # Errors
    ///
    /// [`Rule::Snapshot`](crate::Rule::Snapshot) if the bytes are not a
    /// snapshot, are truncated or corrupted (the checksum does not match), are
    /// of another format version, or hold a graph that breaks a rule. Never
    /// a panic, and never a graph other than the one written.
    ///
    /// # Example
    ///
    /// ```
    /// use healthgraph::{HealthGraph, Rule};
    ///
    /// let graph = HealthGraph::load("data/hanoi.ron")?;
    /// let mut bytes = Vec::new();
    /// graph.write_snapshot(&mut bytes)?;
    /// bytes.truncate(bytes.len() - 1);
    /// let err = HealthGraph::from_snapshot(&bytes).unwrap_err();
    /// assert!(err.has(Rule::Snapshot));
    /// assert!(err.to_string().contains("truncated"), "{err}");
    /// # Ok::<(), healthgraph::Error>(())
    /// ```
    pub fn from_snapshot(bytes: &[u8]) -> Result<HealthGraph, Error> {
        snapshot::read(bytes, "the snapshot")
    }
}

/// The text of `file`, or a located problem if it is not UTF-8.
fn read_text(file: &Path) -> Result<String, Error> {
    let bytes = fs::read(file).map_err(|e| Error::io(file, "read", e))?;
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
        let origin = Origin::new(Some(path_arc(file)), &text, Syntax::Ron);
        let location = origin.location_of_offset(valid);
        Error::from_problems(vec![
            Problem::new(Rule::Syntax, "the file is not valid UTF-8").at(Some(location)),
        ])
    })
}

/// Loads the CSV data set of folder `dir`: its tables, each optional.
fn load_csv(dir: &Path) -> Result<HealthGraph, Error> {
    let has_ron = fs::read_dir(dir)
        .map_err(|e| Error::io(dir, "read folder", e))?
        .filter_map(Result::ok)
        .any(|e| e.path().extension().is_some_and(|x| x == "ron"));
    if has_ron {
        return Err(Error::io(
            dir,
            "load",
            std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                "the folder holds both RON files and CSV tables: keep one kind in a folder, \
                 or give --data one RON file",
            ),
        ));
    }
    let mut texts = Vec::with_capacity(csv::TABLES.len());
    for table in csv::TABLES {
        let file = dir.join(table);
        let text = if file.is_file() {
            read_text(&file)?
        } else {
            String::new()
        };
        texts.push((file, text));
    }
    let origins: Vec<Origin<'_>> = texts
        .iter()
        .map(|(file, text)| Origin::new(Some(path_arc(file)), text, Syntax::Csv))
        .collect();
    let graph = read::build(&origins)?;
    drop(origins);
    drop(texts);
    graph.adjacency();
    Ok(graph)
}

/// The first `n` bytes of `file` (fewer if it is shorter).
fn first_bytes(file: &Path, n: usize) -> Result<Vec<u8>, Error> {
    use std::io::Read;
    let f = fs::File::open(file).map_err(|e| Error::io(file, "read", e))?;
    let mut start = Vec::with_capacity(n);
    f.take(n as u64)
        .read_to_end(&mut start)
        .map_err(|e| Error::io(file, "read", e))?;
    Ok(start)
}

/// Whether `file` starts as a snapshot does, whatever its name.
fn is_snapshot(file: &Path) -> Result<bool, Error> {
    Ok(first_bytes(file, snapshot::MAGIC.len())? == snapshot::MAGIC)
}

/// Whether `file` is JSON, whatever its name: its first character that is
/// not white space (or a byte-order mark) is `{`. RON cannot start so.
fn starts_with_brace(file: &Path) -> Result<bool, Error> {
    let start = first_bytes(file, 4096)?;
    let text = String::from_utf8_lossy(&start);
    Ok(text
        .trim_start_matches('\u{feff}')
        .trim_start()
        .starts_with('{'))
}

/// The data files that `path` names: the file itself, or the `.ron` files
/// of a folder in name order. Anything else (a FIFO, a device) is refused
/// before it is read, so that reading cannot block or run out of memory.
fn data_files(path: &Path) -> Result<Vec<PathBuf>, Error> {
    let meta = fs::metadata(path).map_err(|e| Error::io(path, "read", e))?;
    if meta.is_file() {
        return Ok(vec![path.to_path_buf()]);
    }
    if !meta.is_dir() {
        return Err(Error::io(
            path,
            "read",
            std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                "not a regular file or a folder",
            ),
        ));
    }
    let mut files = Vec::new();
    for entry in fs::read_dir(path).map_err(|e| Error::io(path, "read folder", e))? {
        let entry = entry.map_err(|e| Error::io(path, "read folder", e))?;
        let p = entry.path();
        if p.extension().is_some_and(|x| x == "ron") && p.is_file() {
            files.push(p);
        }
    }
    files.sort();
    if files.is_empty() {
        return Err(Error::io(
            path,
            "load",
            std::io::Error::new(
                std::io::ErrorKind::NotFound,
                "the folder holds no .ron file",
            ),
        ));
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_document_is_an_empty_graph() {
        assert!(HealthGraph::from_ron_str("()").unwrap().is_empty());
    }

    #[test]
    fn saving_keeps_diacritics_readable() {
        let text = r#"(sources: [(id: "a", title: "Bệnh viện Phụ sản Hà Nội", published: "2025", language: "vi")])"#;
        let out = HealthGraph::from_ron_str(text)
            .unwrap()
            .to_ron_string()
            .unwrap();
        assert!(out.contains("Bệnh viện Phụ sản Hà Nội"), "{out}");
    }
}
