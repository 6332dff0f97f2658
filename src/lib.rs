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
#![deny(missing_docs)]

mod date;
mod document;
mod entity;
mod error;
mod graph;
mod id;
mod relation;
mod source;

pub use date::{Date, Period, Precision};
pub use entity::{Country, Entity, EntityKind};
pub use error::{Error, Location, Problem, Rule};
pub use graph::{Entities, HealthGraph, Relations, RelationsOf, Sources};
pub use id::{EntityId, MAX_ID_LEN, RelationId, SourceId};
pub use relation::{Basis, Figure, Person, Qualifier, Relation, RelationBuilder, RelationKind, Status};
pub use source::Source;
