//! Memories that start at zero, in simulation and in the emitted Verilog
//! (rust-hdl's `RAM::default()` leaves the Verilog memory undefined).

use rust_hdl::prelude::*;

/// A `RAM` of 2^N words of `D`, every word zero (a Verilog `initial`
/// block: FPGA block and LUT RAM are initialized by the bitstream).
pub fn zeroed_ram<D: Synth, const N: usize>() -> RAM<D, N> {
    RAM::new((0..1u64 << N).map(|a| (a.into(), D::default())).collect())
}
