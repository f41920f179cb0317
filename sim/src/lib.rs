//! Cycle-accurate drivers and testbenches for the spikescan RTL, and the
//! readout of its performance counters.
//!
//! - [`clock`]: stepping a rust-hdl circuit cycle by cycle (set / settle / rise).
//! - [`gemm`]: GEMM runs on the SSM accelerator's PE array ([`gemm::run_gemm`]),
//!   the integer reference and the bit-exact comparison.
//!
//! `examples/gemm_icarus.rs` co-simulates the emitted Verilog of a small core
//! under Icarus Verilog against the same reference and closed form (a manual
//! check; it needs `iverilog`, which the tests do not).

pub mod clock;
pub mod gemm;

pub use gemm::{
    compare_exact, gemm_reference, run_gemm, run_gemm_with, GemmError, GemmOptions, GemmRun,
    Mismatches, SUPPORTED_ARRAYS,
};
pub use rtl::ssm::{GemmConfig, DEFAULT_ARRAY, MAX_DIM};
