//! The integration tests, built as one binary.
// A panic is how a test fails.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

#[cfg(feature = "cli")]
mod command;
mod csv;
mod data;
mod html;
mod json;
mod properties;
mod property_graph;
mod queries;
mod rdf;
mod render;
mod robustness;
mod saving;
mod snapshot;
mod strategies;
mod validation;
mod views;
