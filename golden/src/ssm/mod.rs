//! The Mamba selective scan (S6): inputs, the f64 golden model, the
//! bit-accurate fixed-point reference and workload generation.

pub mod fixed;
pub mod float;
mod inputs;
pub mod workload;

pub use inputs::{ScanConfig, ScanInputs};
