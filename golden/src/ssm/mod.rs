//! The Mamba selective scan (S6): inputs, the f64 golden model, the
//! bit-accurate fixed-point reference and workload generation; and the full
//! Mamba block around it ([`block`]).

pub mod block;
pub mod fixed;
pub mod float;
mod inputs;
pub mod workload;

pub(crate) use inputs::{read_shaped, read_vector};
pub use inputs::{ScanConfig, ScanInputs};
