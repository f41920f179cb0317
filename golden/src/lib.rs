//! Golden models of the spikescan accelerators: f64 models of the Mamba
//! selective scan / block and of a Loihi-style LIF layer, and the bit-accurate
//! fixed-point references that define exactly what the hardware computes.
//!
//! Also the user's file formats ([`formats`]), the error metrics that compare
//! engines ([`metrics`]) and seeded workload generators.

pub mod bounds;
pub mod formats;
pub mod matrix;

pub use matrix::Matrix;
pub mod metrics;
pub mod rng;
pub mod snn;
pub mod ssm;
