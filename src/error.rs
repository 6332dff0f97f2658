//! The crate's one public error type, with the located problems it carries.

use std::fmt;
use std::path::Path;
use std::sync::Arc;

/// The rule a [`Problem`] breaks.
///
/// Callers match on it to tell problems apart without parsing messages; the
/// enum grows as the data model grows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Rule {
    /// The file is not valid RON, or a value has the wrong type.
    Syntax,
    /// A record has a field the format does not know.
    UnknownField,
    /// A record lacks a required field.
    MissingField,
    /// A record gives a field twice, or a data file gives a list twice.
    RepeatedField,
    /// An id is not lowercase ASCII kebab-case.
    MalformedId,
    /// A date is malformed or does not exist (`2025-02-30`).
    InvalidDate,
    /// A kind, status, basis or qualifier is not in the vocabulary.
    UnknownTerm,
    /// A country is not an ISO 3166-1 alpha-2 code.
    InvalidCountry,
    /// A Wikidata or ROR id, or a language tag, is malformed.
    InvalidExternalId,
    /// A required text (a name, a title) is empty.
    EmptyField,
    /// Two entities, relations or sources share an id.
    DuplicateId,
    /// A relation or person points at an entity that does not exist, or a
    /// query names one.
    UnknownEntity,
    /// A query names an entity that exists but that the view's filter hides.
    HiddenEntity,
    /// A relation or entity cites a source that does not exist.
    UnknownSource,
    /// A relation renews, amends or supersedes a relation that does not
    /// exist, or a query names one.
    UnknownRelation,
    /// A period starts after it ends.
    StartAfterEnd,
    /// A relation joins kinds of entities its kind does not allow.
    EndpointKind,
    /// A relation joins an entity to itself.
    SelfRelation,
    /// A relation or entity cites no source.
    MissingSource,
    /// A relation that is not a `renewal` names a relation it renews.
    RenewsOnNonRenewal,
    /// A `renewal` does not name the relation it renews.
    RenewalWithoutTarget,
    /// A renewal renews a relation that is not an agreement.
    RenewsNonAgreement,
    /// A renewal renews an agreement between other parties.
    RenewsOtherParties,
    /// A renewal renews an agreement that starts after it.
    RenewsLater,
    /// Renewals renew each other in a cycle.
    RenewalCycle,
    /// A relation that is not an agreement amends or supersedes one.
    LinkOnNonAgreement,
    /// An agreement amends or supersedes a relation that is not an agreement.
    LinksNonAgreement,
    /// An agreement amends one between other parties.
    AmendsOtherParties,
    /// An agreement amends or supersedes one that starts after it.
    LinksLater,
    /// Agreements renew, amend or supersede each other in a cycle.
    LinkCycle,
    /// A relation has more than one preferred claim.
    SeveralPreferred,
    /// A relation or source cannot be removed while something refers to it.
    StillReferenced,
    /// A search text matches several entities equally well.
    AmbiguousEntity,
    /// A snapshot is not one, is truncated or corrupted, is of another
    /// format version, or holds an invalid graph.
    Snapshot,
    /// A file or folder cannot be read or written.
    Io,
}

impl Rule {
    /// The rule's kebab-case name, as printed in JSON output.
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(healthgraph::Rule::StartAfterEnd.as_str(), "start-after-end");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Rule::Syntax => "syntax",
            Rule::UnknownField => "unknown-field",
            Rule::MissingField => "missing-field",
            Rule::RepeatedField => "repeated-field",
            Rule::MalformedId => "malformed-id",
            Rule::InvalidDate => "invalid-date",
            Rule::UnknownTerm => "unknown-term",
            Rule::InvalidCountry => "invalid-country",
            Rule::InvalidExternalId => "invalid-external-id",
            Rule::EmptyField => "empty-field",
            Rule::DuplicateId => "duplicate-id",
            Rule::UnknownEntity => "unknown-entity",
            Rule::HiddenEntity => "hidden-entity",
            Rule::UnknownSource => "unknown-source",
            Rule::UnknownRelation => "unknown-relation",
            Rule::StartAfterEnd => "start-after-end",
            Rule::EndpointKind => "endpoint-kind",
            Rule::SelfRelation => "self-relation",
            Rule::MissingSource => "missing-source",
            Rule::RenewsOnNonRenewal => "renews-on-non-renewal",
            Rule::RenewalWithoutTarget => "renewal-without-target",
            Rule::RenewsNonAgreement => "renews-non-agreement",
            Rule::RenewsOtherParties => "renews-other-parties",
            Rule::RenewsLater => "renews-later",
            Rule::RenewalCycle => "renewal-cycle",
            Rule::LinkOnNonAgreement => "link-on-non-agreement",
            Rule::LinksNonAgreement => "links-non-agreement",
            Rule::AmendsOtherParties => "amends-other-parties",
            Rule::LinksLater => "links-later",
            Rule::LinkCycle => "link-cycle",
            Rule::SeveralPreferred => "several-preferred",
            Rule::StillReferenced => "still-referenced",
            Rule::AmbiguousEntity => "ambiguous-entity",
            Rule::Snapshot => "snapshot",
            Rule::Io => "io",
        }
    }
}

/// A rule shows as its kebab-case name.
///
/// # Example
///
/// ```
/// assert_eq!(healthgraph::Rule::DuplicateId.to_string(), "duplicate-id");
/// ```
impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a problem is: a file (when known), a line and a column, both from 1.
///
/// Columns count characters, not bytes, so they match what an editor shows
/// for lines with Vietnamese diacritics.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Location {
    file: Option<Arc<Path>>,
    line: usize,
    column: usize,
}

impl Location {
    pub(crate) fn new(file: Option<Arc<Path>>, line: usize, column: usize) -> Self {
        Location { file, line, column }
    }

    /// The file, if the input came from one.
    pub fn file(&self) -> Option<&Path> {
        self.file.as_deref()
    }

    /// The line, counted from 1.
    pub fn line(&self) -> usize {
        self.line
    }

    /// The column in characters, counted from 1.
    pub fn column(&self) -> usize {
        self.column
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(file) = &self.file {
            write!(f, "{}:", one_line(file.display().to_string()))?;
        }
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// One problem: the rule it breaks, a message naming the offending value, and
/// where it is when it comes from a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    rule: Rule,
    message: String,
    location: Option<Location>,
    record: Option<Box<str>>,
    field: Option<&'static str>,
}

impl Problem {
    /// A problem with `message`, in which control characters (a value's
    /// newline, say) are escaped, so that every problem prints on one line.
    pub(crate) fn new(rule: Rule, message: impl Into<String>) -> Self {
        Problem {
            rule,
            message: one_line(message.into()),
            location: None,
            record: None,
            field: None,
        }
    }

    /// The problem with its message replaced (the rest kept).
    pub(crate) fn reworded(mut self, message: impl Into<String>) -> Self {
        self.message = one_line(message.into());
        self
    }

    /// The problem, said to be about `field` of the record with id `record`.
    pub(crate) fn about(mut self, record: Option<&str>, field: Option<&'static str>) -> Self {
        self.record = record.map(Box::from);
        self.field = field;
        self
    }

    pub(crate) fn at(mut self, location: Option<Location>) -> Self {
        self.location = location;
        self
    }

    /// The rule the problem breaks.
    pub fn rule(&self) -> Rule {
        self.rule
    }

    /// The message, lowercase and without the location.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// Where the problem is, when it comes from a file.
    pub fn location(&self) -> Option<&Location> {
        self.location.as_ref()
    }

    /// The id of the record the problem is about (as written, also when
    /// malformed), when it is about one.
    ///
    /// # Example
    ///
    /// ```
    /// let err = healthgraph::HealthGraph::from_ron_str(r#"(
    ///     sources: [(id: "s", title: "T", published: "2025", language: "en")],
    ///     entities: [(id: "x", kind: "city", name: "X", country: "XX", sources: ["s"])],
    /// )"#).unwrap_err();
    /// let problem = &err.problems()[0];
    /// assert_eq!((problem.record(), problem.field()), (Some("x"), Some("country")));
    /// ```
    pub fn record(&self) -> Option<&str> {
        self.record.as_deref()
    }

    /// The field of the record the problem is about (`from`, `sources`,
    /// `start`, …), when it is about one.
    pub fn field(&self) -> Option<&str> {
        self.field
    }
}

/// `text` with its control characters escaped as Rust writes them (`\n`,
/// `\t`, `\u{1b}`); unchanged, without copying, when it has none.
fn one_line(text: String) -> String {
    if !text.chars().any(char::is_control) {
        return text;
    }
    text.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.location {
            Some(location) => write!(f, "{location}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

/// The error of every fallible operation in this crate.
///
/// It is opaque: ask it what went wrong through [`Error::problems`],
/// [`Error::location`] and [`Error::is_io`]. Loading a data set reports every
/// problem it finds, not only the first, so that a data file can be fixed in
/// one pass; `Display` prints one problem per line, each prefixed with its
/// `file:line:column`.
///
/// Errors are `Clone`, `Send` and `Sync`, so they can be kept, shared and
/// sent between threads.
///
/// # Example
///
/// ```
/// use healthgraph::{HealthGraph, Rule};
///
/// let err = HealthGraph::from_ron_str("(entities: [(id: \"Bad Id\", kind: \"city\", name: \"X\")])")
///     .unwrap_err();
/// let kept = err.clone();
/// assert_eq!(kept.to_string(), err.to_string());
/// assert_eq!(err.problems()[0].rule(), Rule::MalformedId);
/// assert_eq!(err.location().map(|l| (l.line(), l.column())), Some((1, 18)));
/// ```
#[derive(Debug, Clone, thiserror::Error)]
#[error(transparent)]
pub struct Error(Box<Inner>);

#[derive(Debug, Clone, thiserror::Error)]
enum Inner {
    #[error("{problem}")]
    Io {
        problem: Problem,
        // Shared, so that an error can be cloned (an I/O error cannot).
        #[source]
        source: Arc<std::io::Error>,
    },
    #[error("{}", Lines(problems))]
    Invalid { problems: Vec<Problem> },
}

/// Displays problems one per line.
struct Lines<'a>(&'a [Problem]);

impl fmt::Display for Lines<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, problem) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{problem}")?;
        }
        Ok(())
    }
}

impl Error {
    /// An error made of the given problems; callers pass at least one.
    pub(crate) fn from_problems(problems: Vec<Problem>) -> Self {
        Error(Box::new(Inner::Invalid { problems }))
    }

    pub(crate) fn new(rule: Rule, message: impl Into<String>) -> Self {
        Self::from_problems(vec![Problem::new(rule, message)])
    }

    pub(crate) fn io(path: &Path, action: &str, source: std::io::Error) -> Self {
        let message = format!("cannot {action} `{}`: {source}", path.display());
        Error(Box::new(Inner::Io {
            problem: Problem::new(Rule::Io, message),
            source: Arc::new(source),
        }))
    }

    /// Every problem found, in file order.
    pub fn problems(&self) -> &[Problem] {
        match &*self.0 {
            Inner::Io { problem, .. } => std::slice::from_ref(problem),
            Inner::Invalid { problems } => problems,
        }
    }

    /// The location of the first located problem.
    pub fn location(&self) -> Option<&Location> {
        self.problems().iter().find_map(Problem::location)
    }

    /// Whether reading or writing a file failed (as opposed to invalid data).
    pub fn is_io(&self) -> bool {
        matches!(&*self.0, Inner::Io { .. })
    }

    /// Whether writing failed because the reader went away (a broken pipe,
    /// as when the output is piped to `head`): a program that streams to
    /// standard output stops quietly on it.
    ///
    /// # Example
    ///
    /// ```
    /// let closed = std::io::Error::from(std::io::ErrorKind::BrokenPipe);
    /// assert!(healthgraph::Error::from(closed).is_broken_pipe());
    /// ```
    pub fn is_broken_pipe(&self) -> bool {
        match &*self.0 {
            Inner::Io { source, .. } => source.kind() == std::io::ErrorKind::BrokenPipe,
            Inner::Invalid { .. } => false,
        }
    }

    /// Whether the error is about invalid data or an invalid change to a graph.
    pub fn is_invalid(&self) -> bool {
        !self.is_io()
    }

    /// Whether any problem breaks `rule`.
    pub fn has(&self, rule: Rule) -> bool {
        self.problems().iter().any(|p| p.rule == rule)
    }
}

/// Where a file path comes from, for messages: the path as given.
pub(crate) fn path_arc(path: &Path) -> Arc<Path> {
    Arc::from(path)
}

/// An I/O error from a writer (the output of an export): "cannot write the
/// output: …".
impl From<std::io::Error> for Error {
    fn from(source: std::io::Error) -> Self {
        Error::io(std::path::Path::new("the output"), "write", source)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_one_line() {
        let p = Problem::new(Rule::UnknownTerm, "unknown kind `a\nb\t\u{1b}c`");
        assert_eq!(p.message(), "unknown kind `a\\nb\\t\\u{1b}c`");
        let plain = Problem::new(Rule::UnknownTerm, "Hà Nội");
        assert_eq!(plain.message(), "Hà Nội");
        let file: Arc<Path> = Arc::from(Path::new("a\nb.ron"));
        assert_eq!(Location::new(Some(file), 1, 2).to_string(), "a\\nb.ron:1:2");
    }
}
