//! The data model: ids, dates, the vocabularies, and the entity, relation
//! and source values. Each value checks its own grammar when it is made;
//! the rules that join several values live in `rules.rs`. Nothing here
//! knows the graph or a file format.

pub(crate) mod date;
pub(crate) mod entity;
pub(crate) mod id;
pub(crate) mod relation;
pub(crate) mod source;
