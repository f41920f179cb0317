//! The SSM accelerator. This slice: the GEMM mode of its PE array
//! (int8 × int8 → int32, weight-stationary, double-buffered weights).
//!
//! Layering, Gemmini style: [`pe::Pe`] → [`mesh::Mesh`] (R×C PEs) →
//! [`core::GemmCore`] (sequencer, skew/de-skew, accumulator, counters), with
//! the array shape as const generics and as a value in [`GemmConfig`].

pub mod accum;
pub mod config;
pub mod core;
pub mod counters;
pub mod mesh;
pub mod pe;
pub mod sequencer;
pub mod skew;

pub use self::config::{GemmConfig, DEFAULT_ARRAY, MAX_DIM};
pub use self::core::GemmCore;

/// The default array, 8×8 (see [`DEFAULT_ARRAY`]).
pub type GemmCore8x8 = GemmCore<8, 8>;
