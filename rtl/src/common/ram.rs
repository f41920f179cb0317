//! Memories: [`zeroed_ram`], a rust-hdl `RAM` that starts at zero in
//! simulation and in the emitted Verilog (rust-hdl's `RAM::default()` leaves
//! the Verilog memory undefined), and [`BlockRam`], a block RAM without
//! read-during-write logic.

use super::model::Model;
use rust_hdl::prelude::*;

/// A `RAM` of 2^N words of `D`, every word zero (a Verilog `initial`
/// block: FPGA block and LUT RAM are initialized by the bitstream).
pub fn zeroed_ram<D: Synth, const N: usize>() -> RAM<D, N> {
    RAM::new((0..1u64 << N).map(|a| (a.into(), D::default())).collect())
}

/// A simple dual-port block RAM of 2^N words of `D` on one clock: a
/// registered read (`read_data` is the word at `read_address` of the
/// previous cycle, as rust-hdl's `RAM`) and a write port; the memory starts
/// undefined in the Verilog, at zero in the model.
///
/// The Verilog marks the memory `(* no_rw_check *)`: a read of the word
/// written in the same cycle returns undefined data in hardware. rust-hdl's
/// `RAM` promises the old word there, which the ECP5's DP16KD cannot give
/// across its two ports, so Yosys emulates it with a delayed write and a
/// bypass comparator and multiplexer behind every read address and read
/// data. A user that never uses such a word takes this block instead (the
/// model returns the old word).
#[derive(LogicBlock)]
pub struct BlockRam<D: Synth, const N: usize> {
    pub clock: Signal<In, Clock>,
    pub read_address: Signal<In, Bits<N>>,
    pub read_data: Signal<Out, D>,
    pub write_address: Signal<In, Bits<N>>,
    pub write_data: Signal<In, D>,
    pub write_enable: Signal<In, Bit>,
    words: Model<Vec<D>>,
}

impl<D: Synth, const N: usize> Default for BlockRam<D, N> {
    fn default() -> Self {
        assert!(N <= 20, "a block RAM of at most 2^20 words");
        Self {
            clock: Default::default(),
            read_address: Default::default(),
            read_data: Default::default(),
            write_address: Default::default(),
            write_data: Default::default(),
            write_enable: Default::default(),
            words: Model(vec![D::default(); 1 << N]),
        }
    }
}

impl<D: Synth, const N: usize> Logic for BlockRam<D, N> {
    fn update(&mut self) {
        if self.clock.pos_edge() {
            let words = &mut self.words.0;
            self.read_data.next = words[self.read_address.val().index()];
            if self.write_enable.val() {
                words[self.write_address.val().index()] = self.write_data.val();
            }
        }
    }

    fn connect(&mut self) {
        self.read_data.connect();
    }

    fn hdl(&self) -> Verilog {
        Verilog::Custom(format!(
            "(* no_rw_check *)\nreg [{msb}:0] mem[0:{last}];\n\
             always @(posedge clock) begin\n    read_data <= mem[read_address];\n    \
             if (write_enable) begin\n        mem[write_address] <= write_data;\n    end\nend\n",
            msb = D::BITS - 1,
            last = (1usize << N) - 1,
        ))
    }
}
