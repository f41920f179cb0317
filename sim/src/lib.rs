//! Cycle-accurate drivers and testbenches for the spikescan RTL, and the
//! readout of its performance counters.
//!
//! - [`clock`]: stepping a rust-hdl circuit cycle by cycle (set / settle / rise).
//! - [`gemm`]: GEMM runs on the SSM accelerator's PE array ([`gemm::run_gemm`]),
//!   the integer reference and the bit-exact comparison.
//! - [`scan`]: selective-scan runs on the scan-mode core ([`scan::run_scan`]),
//!   whole or in chunks with the state carried, compared bit for bit with
//!   `golden::ssm::fixed::selective_scan_fixed` (y and the final state);
//!   [`scan_host`] runs them through the scan system's host streams.
//! - [`snn`]: the neuromorphic core driven through its AER handshakes, with
//!   host and core in separate clock domains.
//!
//! `examples/gemm_icarus.rs` co-simulates the emitted Verilog of a small core
//! under Icarus Verilog against the same reference and closed form (a manual
//! check; it needs `iverilog`, which the tests do not).

pub mod clock;
pub mod compare;
pub mod control;
pub mod counters;
pub mod engine;
pub mod gemm;
pub mod gemm_host;
pub mod host;
pub mod icarus;
pub mod ports;
pub mod run_error;
pub mod scan;
pub mod scan_host;
pub mod snn;
pub mod unit_ports;

pub use gemm::{
    compare_exact, run_gemm, run_gemm_with, GemmOptions, GemmRun, Mismatches, SUPPORTED_ARRAYS,
};
pub use rtl::ssm::{GemmConfig, ScanArray, DEFAULT_ARRAY, DEFAULT_SCAN_ARRAY, MAX_DIM};
pub use run_error::{ArrayMode, RunError};
pub use scan::{
    compare_scan, compare_state, run_scan, run_scan_with, ScanMismatches, ScanOptions, ScanRun,
    SUPPORTED_SCAN_ARRAYS,
};

/// `R1xC1, R2xC2, …`: the array shapes of an `UnsupportedArray` message.
fn shape_list(shapes: &[(usize, usize)]) -> String {
    shapes
        .iter()
        .map(|(r, c)| format!("{r}x{c}"))
        .collect::<Vec<_>>()
        .join(", ")
}
