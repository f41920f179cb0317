//! The SSM accelerator: one R×C PE array design per mode.
//!
//! - GEMM mode (int8 × int8 → int32, weight-stationary, double-buffered
//!   weights), Gemmini style: [`pe::Pe`] → [`mesh::Mesh`] (R×C PEs) →
//!   [`core::GemmCore`] (sequencer, skew/de-skew, accumulator, counters).
//! - Scan mode (the selective scan, state-stationary with four channel
//!   slots per PE, bit-exact to `golden::ssm::fixed`): [`scan_pe::ScanPe`] →
//!   [`scan_mesh::ScanMesh`] → [`scan_core::ScanCore`] ([`scan_sequencer`],
//!   [`scan_row_head`] softplus and Δu, [`scan_row_end`] accumulation and
//!   SiLU gate, counters), with the pipelined arithmetic units in
//!   [`scan_units`] and their ROM contents in [`scan_tables`].
//!
//! The array shape is a const generic and a value ([`GemmConfig`],
//! [`ScanArray`]) with each mode's closed-form cycle count.

pub mod accum;
pub mod config;
pub mod core;
pub mod counters;
pub mod gemm_system;
pub mod mesh;
pub mod pe;
pub mod scan_core;
pub mod scan_mesh;
pub mod scan_pe;
pub mod scan_row_end;
pub mod scan_row_head;
pub mod scan_sequencer;
pub mod scan_system;
pub mod scan_tables;
pub mod scan_units;
pub mod sequencer;
pub mod skew;
pub mod tile_addr;

pub use self::config::{GemmConfig, ScanArray, DEFAULT_ARRAY, DEFAULT_SCAN_ARRAY, MAX_DIM};
pub use self::core::GemmCore;
pub use self::scan_core::ScanCore;

/// The default array, 8×8 (see [`DEFAULT_ARRAY`]).
pub type GemmCore8x8 = GemmCore<8, 8>;
/// The default scan-mode array, 4×4 (see [`DEFAULT_SCAN_ARRAY`]).
pub type ScanCore4x4 = ScanCore<4, 4>;
