//! The synapse memory of the core: 2^A words of 32 bits (four int8
//! synapses, layout in [`super::config`]), one synchronous read port and one
//! write port on one clock.
//!
//! Two Verilog forms, chosen by the const parameter `SPRAM`:
//!
//! - `SPRAM = false` (ECP5 build, simulation): a behavioural array
//!   `reg [31:0] mem[2^A-1:0]` with a registered read, which Yosys infers as
//!   block RAM (DP16KD on the ECP5), like rust-hdl's `RAM`.
//! - `SPRAM = true` (iCE40 UP5K build): a [`Wrapper`] around two
//!   `SB_SPRAM256KA` single-port RAMs (16 k × 16 bits each, 256 kbit) side by
//!   side, bits 15…0 and 31…16 of the word; A ≤ 14. A single-port RAM has one
//!   address: it is `write_address` in a cycle with `write_enable`, else
//!   `read_address`. 64 k int8 synapses (512 kbit) do not fit the UP5K's
//!   120 kbit of EBR, so they go to two of its four SPRAMs.
//!
//! The Rust model (what the cycle simulation runs) is one behavioural model
//! for both: `read_data` takes `mem[read_address]` at each rising edge, and
//! `mem[write_address]` takes `write_data` when `write_enable` is high.
//! The SPRAM differs in one respect: in the cycle after a write its
//! `DATAOUT` is undefined (`16'bx` in Yosys' model). The core writes synapses
//! only through the configuration port while idle and uses `read_data` only
//! in the cycle after a row read, so the difference never reaches it. The
//! Icarus co-simulation in `sim/tests/synapse_memory_cosim.rs` runs the
//! wrapper against Yosys' SB_SPRAM256KA simulation model and this model.
//!
//! The wrapper's Verilog carries a behavioural SB_SPRAM256KA for simulators
//! and Verilator, inside `ifndef SYNTHESIS`: Yosys (which defines SYNTHESIS)
//! maps the instances onto its own SB_SPRAM256KA cells.

use rust_hdl::prelude::*;
use std::collections::BTreeMap;

#[derive(LogicBlock, Default)]
pub struct SynapseMemory<const A: usize, const SPRAM: bool> {
    pub clock: Signal<In, Clock>,
    pub read_address: Signal<In, Bits<A>>,
    /// `mem[read_address]` of the previous rising edge.
    pub read_data: Signal<Out, Bits<32>>,
    pub write_address: Signal<In, Bits<A>>,
    pub write_data: Signal<In, Bits<32>>,
    pub write_enable: Signal<In, Bit>,
    _sim: BTreeMap<u64, Bits<32>>,
}

impl<const A: usize, const SPRAM: bool> Logic for SynapseMemory<A, SPRAM> {
    fn update(&mut self) {
        if self.clock.pos_edge() {
            self.read_data.next = self
                ._sim
                .get(&self.read_address.val().to_u64())
                .copied()
                .unwrap_or_default();
            if self.write_enable.val() {
                self._sim
                    .insert(self.write_address.val().to_u64(), self.write_data.val());
            }
        }
    }

    fn connect(&mut self) {
        self.read_data.connect();
    }

    fn hdl(&self) -> Verilog {
        if SPRAM {
            spram_verilog(A)
        } else {
            Verilog::Custom(format!(
                "\
reg[31:0] mem[{last}:0];

always @(posedge clock) begin
   read_data <= mem[read_address];
   if (write_enable) begin
      mem[write_address] <= write_data;
   end
end
",
                last = (1u64 << A) - 1
            ))
        }
    }

    fn timing(&self) -> Vec<TimingInfo> {
        vec![TimingInfo {
            name: "synapse_memory".into(),
            clock: "clock".into(),
            inputs: vec![
                "read_address".into(),
                "write_address".into(),
                "write_data".into(),
                "write_enable".into(),
            ],
            outputs: vec!["read_data".into()],
        }]
    }
}

/// The behavioural SB_SPRAM256KA of the simulators and of Verilator's lint
/// (the ports of the iCE40 UP cell; POWEROFF is active low). Same behaviour
/// as Yosys' `ice40/cells_sim.v` in normal operation (CHIPSELECT high,
/// STANDBY and SLEEP low, POWEROFF high): a read cycle registers
/// `mem[ADDRESS]`, a write cycle writes the nibbles MASKWREN selects and
/// leaves DATAOUT undefined.
pub const SB_SPRAM256KA_MODEL: &str = "\
`ifndef SYNTHESIS
module SB_SPRAM256KA(ADDRESS, DATAIN, MASKWREN, WREN, CHIPSELECT, CLOCK, STANDBY, SLEEP, POWEROFF, DATAOUT);
    input wire [13:0] ADDRESS;
    input wire [15:0] DATAIN;
    input wire [3:0] MASKWREN;
    input wire WREN;
    input wire CHIPSELECT;
    input wire CLOCK;
    input wire STANDBY;
    input wire SLEEP;
    input wire POWEROFF;
    output reg [15:0] DATAOUT;
    reg [15:0] mem[16383:0];
    wire active = CHIPSELECT & ~STANDBY & ~SLEEP & POWEROFF;
    always @(posedge CLOCK) begin
        if (active) begin
            if (WREN) begin
                if (MASKWREN[0]) mem[ADDRESS][3:0] <= DATAIN[3:0];
                if (MASKWREN[1]) mem[ADDRESS][7:4] <= DATAIN[7:4];
                if (MASKWREN[2]) mem[ADDRESS][11:8] <= DATAIN[11:8];
                if (MASKWREN[3]) mem[ADDRESS][15:12] <= DATAIN[15:12];
                DATAOUT <= 16'bx;
            end else begin
                DATAOUT <= mem[ADDRESS];
            end
        end
    end
endmodule
`endif
";

fn spram_verilog(a: usize) -> Verilog {
    assert!(
        a <= 14,
        "SB_SPRAM256KA holds 2^14 words: the SPRAM synapse memory takes A <= 14, not {a}"
    );
    let pad = |x: &str| {
        if a == 14 {
            x.to_string()
        } else {
            format!("{{{}'h0, {x}}}", 14 - a)
        }
    };
    let address = format!(
        "wire [13:0] sp_address;\nassign sp_address = write_enable ? {} : {};\n",
        pad("write_address"),
        pad("read_address")
    );
    let instance = |name: &str, hi: usize, lo: usize| {
        format!(
            "SB_SPRAM256KA {name}(.ADDRESS(sp_address), .DATAIN(write_data[{hi}:{lo}]), \
.MASKWREN(4'hf), .WREN(write_enable), .CHIPSELECT(1'b1), .CLOCK(clock), \
.STANDBY(1'b0), .SLEEP(1'b0), .POWEROFF(1'b1), .DATAOUT(read_data[{hi}:{lo}]));\n"
        )
    };
    Verilog::Wrapper(Wrapper {
        code: format!(
            "{address}{}{}",
            instance("spram_lo", 15, 0),
            instance("spram_hi", 31, 16)
        ),
        cores: SB_SPRAM256KA_MODEL.to_string(),
    })
}
