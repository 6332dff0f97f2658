//! The integration tests, built as one binary.

mod data;
mod validation;
