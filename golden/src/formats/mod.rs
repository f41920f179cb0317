//! The user's file formats (DESIGN.md, "File formats"): numeric CSV matrices,
//! `t,neuron` spike-event CSV, and TOML parameter files.
//!
//! Every reader reports problems as an [`InputError`] that names the file, the
//! 1-based line and what was expected, so the CLI can print it and exit 2
//! without having written anything.

mod error;
mod events;
mod matrix;
mod params;

pub use error::InputError;
pub use events::{events_csv, read_events, Event, EventFile};
pub use matrix::{matrix_csv, read_matrix, read_matrix_lines, write_matrix, NumberStyle};
pub use params::TomlFile;
