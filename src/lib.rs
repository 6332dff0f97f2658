//! healthgraph: a knowledge graph of health-sector cooperation.
//!
//! Cities, hospitals, institutes, companies, agencies, NGOs and programmes
//! are entities; memoranda, renewals, visits, training, cooperation and the
//! structural links between them are typed, dated, sourced relations. Data
//! sets are RON files, checked on loading with every problem located by
//! `file:line:column`.
//!
//! ```
//! use healthgraph::{HealthGraph, RelationKind};
//!
//! let graph = HealthGraph::load("data/hanoi.ron")?;
//! let renewal = graph
//!     .relations_of("hanoi-obgyn-hospital")
//!     .find(|r| r.kind() == RelationKind::Renewal)
//!     .expect("Karolinska renewed its MOU with the hospital");
//! assert_eq!(renewal.period().to_string(), "2025..2030");
//! # Ok::<(), healthgraph::Error>(())
//! ```
//!
//! ## Data files
//!
//! A data set is a RON file, or a folder of `.ron` files merged into one graph
//! ([`HealthGraph::load`]); the same records can be read and written as
//! lossless JSON ([`HealthGraph::from_json_str`], [`HealthGraph::write_json`])
//! and a graph as a binary snapshot ([`HealthGraph::save_snapshot`]). A RON
//! data set looks like this (`implicit_some` lets optional fields be written
//! plainly):
//!
//! ```
//! let text = r#"
//! #![enable(implicit_some)]
//! (
//!     sources: [
//!         (id: "a1", title: "Y tế Thủ đô và Viện Karolinska", published: "2025-05-26", language: "vi"),
//!     ],
//!     entities: [
//!         (id: "hanoi", kind: "city", name: "Hà Nội", name_en: "Hanoi", country: "VN", sources: ["a1"]),
//!         (id: "hanoi-doh", kind: "agency", name: "Sở Y tế Hà Nội", country: "VN", sources: ["a1"]),
//!     ],
//!     relations: [
//!         (
//!             id: "located-in-hanoi-doh-hanoi",
//!             kind: "located-in",
//!             from: "hanoi-doh",
//!             to: "hanoi",
//!             status: "ongoing",
//!             basis: "implied",
//!             sources: ["a1"],
//!         ),
//!     ],
//! )
//! "#;
//! let graph = healthgraph::HealthGraph::from_ron_str(text)?;
//! assert_eq!(graph.relation_count(), 1);
//! # Ok::<(), healthgraph::Error>(())
//! ```
//!
//! Fields of a source: `id`, `title`, `published` (a date), `language` (BCP
//! 47), and optionally `publisher`, `author`, `url`, `seed`, `section`, `note`.
//! Fields of an entity: `id`, `kind`, `name`, `sources`, and optionally
//! `name_en`, `aliases`, `former_names` (records of `name`, `start`, `end`:
//! what it was called before, and when), `country`, `wikidata`, `ror`,
//! `note`. Fields of a
//! relation: `id`, `kind`, `from`, `to`, `status`, `basis`, `sources`, and
//! optionally `start`, `end`, `renews` (a renewal's predecessor), `amends`
//! and `supersedes` (for agreements: the agreement it changes, or replaces),
//! `claims` (what other sources say of its period and status: records of
//! `start`, `end`, `status`, `rank` — `preferred`, `normal` or
//! `deprecated` — `sources`, `note`; queries use a preferred claim), `scope`,
//! `people` (records of `name`,
//! `role`, `organisation`), `figures` (records of `value`, `unit`,
//! `qualifier`), `note`. Kinds, statuses and the rest of the vocabulary are
//! strings in kebab-case; dates are `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
//!
//! The vocabularies:
//!
//! - entity `kind`: `city`, `hospital`, `institute`, `company`, `agency`,
//!   `ngo`, `programme`;
//! - relation `kind`: `mou`, `renewal`, `visit`, `training`, `cooperation`,
//!   `participation`, `membership`, `mandate`, `part-of`, `located-in`
//!   (groups for filters: `partnership` = mou, renewal, visit, training,
//!   cooperation; `agreement` = mou, renewal, cooperation; `structural` =
//!   part-of, located-in);
//! - `status`: `proposed`, `discussed`, `planned`, `signed`, `ongoing`,
//!   `completed`, `ended`;
//! - `basis`: `stated`, `implied`;
//! - a figure's `qualifier`: `exact` (the default), `about`, `more-than`,
//!   `nearly`, `at-least`;
//! - `country`: an ISO 3166-1 alpha-2 code (`VN`).
//!
//! Which entity kinds each relation kind may join (the endpoint table; a
//! relation never joins an entity to itself):
//!
//! | relation kind | `from` | `to` |
//! |---|---|---|
//! | `mou` | any kind | any kind |
//! | `renewal` | any kind | any kind |
//! | `visit` | any kind but programme | any kind but programme |
//! | `training` | any kind | any kind |
//! | `cooperation` | any kind | any kind |
//! | `participation` | any kind but programme | any kind but programme |
//! | `membership` | any kind but city | ngo, agency, institute |
//! | `mandate` | any kind but programme | programme, hospital, institute, agency |
//! | `part-of` | any kind but city | any kind but city |
//! | `located-in` | any kind but city | city |
//!
//! Comments in a file are for its maintainers; saving writes none.
//!
//! ## Features
//!
//! - `cli` (default): the `healthgraph` command (and with it clap and
//!   indicatif). A program that embeds the library can leave it out with
//!   `default-features = false`.
//! - `serde`: `serde::Serialize` for the public types and query results
//!   (a `Path`, a `Neighbourhood`, an `Error`…), with the data files' words
//!   for ids, dates, kinds and statuses.
#![deny(missing_docs)]

mod document;
mod error;
pub mod export;
mod graph;
mod index;
mod model;
mod query;
pub mod render;
mod rules;
#[cfg(feature = "serde")]
mod serialize;

pub use error::{Error, Location, Problem, Rule};
pub use graph::{Edits, Entities, HealthGraph, Relations, RelationsOf, Sources};
pub use model::date::{Date, Period, Precision};
pub use model::entity::{Country, Entity, EntityKind, FormerName};
pub use model::id::{EntityId, IntoId, MAX_ID_LEN, RelationId, SourceId};
pub use model::relation::{
    Basis, Claim, Figure, Link, Person, Qualifier, Rank, Relation, RelationBuilder, RelationKind,
    Status,
};
pub use model::source::Source;
pub use query::agreement::{AgreementsOn, Expiring, Force};
pub use query::changes::{Certainty, Change, Changes};
pub use query::filter::{Direction, Filter};
pub use query::path::{Hop, Path, ShortestSimplePaths, SimplePaths, Window};
pub use query::rollup::{Cell, Columns, Matrix, Row};
pub use query::search::{MatchKind, SearchHit};
pub use query::view::{Neighbourhood, OwnedView, Partner, View};

/// The README's examples run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
