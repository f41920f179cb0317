//! The synapse memory of the core: 2^A words of 32 bits (four int8
//! synapses, layout in [`super::config`]), one read port and one write port
//! on one clock. A read takes [`SYNAPSE_READ_LATENCY`] = 2 cycles:
//! `read_data` shows `mem[read_address]` two rising edges after the address
//! was presented, through a register behind the RAM's own read register, so
//! that no logic follows a RAM output (a DP16KD's clock-to-output without
//! its output register, which Yosys 0.23 never enables, is 5.8 ns).
//!
//! Two Verilog forms, chosen by the const parameter `SPRAM`:
//!
//! - `SPRAM = false` (ECP5 build, simulation): behavioural arrays with a
//!   registered read, which Yosys infers as block RAM (DP16KD on the ECP5,
//!   16 k × 1 each), in banks of 2^[`BANK_ADDR_BITS`] words; each bank's
//!   output has its own register (placed next to its block RAMs), and the
//!   bank selected by the address's high bits (registered alongside) is
//!   muxed out of those registers. One 64 k-word memory would put the
//!   4 : 1 bank mux, and the routing across the chip to it, between the
//!   block RAMs' outputs and the first register. The banks carry Yosys'
//!   `no_rw_check` attribute: the core never reads a word in a cycle that
//!   writes it (synapses are written only through the configuration port,
//!   while the core is idle), so Yosys need not build the read-during-write
//!   bypass (a registered address compare and a mux) that it would
//!   otherwise put between each block RAM and its output register.
//! - `SPRAM = true` (iCE40 UP5K build): a [`Wrapper`] around two
//!   `SB_SPRAM256KA` single-port RAMs (16 k × 16 bits each, 256 kbit) side by
//!   side, bits 15…0 and 31…16 of the word, and a 32-bit register behind
//!   them; A ≤ 14. A single-port RAM has one address: it is `write_address`
//!   in a cycle with `write_enable`, else `read_address`. 64 k int8 synapses
//!   (512 kbit) do not fit the UP5K's 120 kbit of EBR, so they go to two of
//!   its four SPRAMs.
//!
//! The Rust model (what the cycle simulation runs) is one behavioural model
//! for both: at each rising edge `read_data` takes the word read at the
//! previous edge and `mem[read_address]` is read (before the write of the
//! same edge); `mem[write_address]` takes `write_data` when `write_enable`
//! is high. The SPRAM differs in one respect: the read issued in a cycle
//! with a write is undefined (`16'bx` in Yosys' model). The core writes
//! synapses only through the configuration port while idle and uses
//! `read_data` only for the reads of a row, so the difference never reaches
//! it. The Icarus co-simulation in `sim/tests/synapse_memory_cosim.rs` runs
//! both forms against this model (the SPRAM form also on Yosys'
//! SB_SPRAM256KA simulation model).
//!
//! The wrapper's Verilog carries a behavioural SB_SPRAM256KA for simulators
//! and Verilator, inside `ifndef SYNTHESIS`: Yosys (which defines SYNTHESIS)
//! maps the instances onto its own SB_SPRAM256KA cells.

use rust_hdl::prelude::*;
use std::collections::BTreeMap;

/// Cycles from `read_address` to its `read_data`.
pub const SYNAPSE_READ_LATENCY: usize = 2;
/// Address bits of one bank of the block-RAM form (2^14 words: 32 DP16KD
/// of 16 k × 1).
pub const BANK_ADDR_BITS: usize = 14;

#[derive(LogicBlock, Default)]
pub struct SynapseMemory<const A: usize, const SPRAM: bool> {
    pub clock: Signal<In, Clock>,
    pub read_address: Signal<In, Bits<A>>,
    /// `mem[read_address]` of two rising edges before.
    pub read_data: Signal<Out, Bits<32>>,
    pub write_address: Signal<In, Bits<A>>,
    pub write_data: Signal<In, Bits<32>>,
    pub write_enable: Signal<In, Bit>,
    _sim: BTreeMap<u64, Bits<32>>,
    /// The word read at the last rising edge (the RAM's read register).
    _read_stage: Bits<32>,
}

impl<const A: usize, const SPRAM: bool> Logic for SynapseMemory<A, SPRAM> {
    fn update(&mut self) {
        if self.clock.pos_edge() {
            self.read_data.next = self._read_stage;
            self._read_stage = self
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
            Verilog::Custom(bram_verilog(A))
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

/// The block-RAM form for 2^a words: one bank below 2^BANK_ADDR_BITS
/// words, else 2^(a − BANK_ADDR_BITS) banks of 2^BANK_ADDR_BITS, each with
/// its own output register, muxed by the registered bank number.
fn bram_verilog(a: usize) -> String {
    let bank_bits = a.min(BANK_ADDR_BITS);
    let select_bits = a - bank_bits;
    let banks = 1usize << select_bits;
    let last = (1u64 << bank_bits) - 1;
    let mut v = String::new();
    let mut edge = String::new();
    for b in 0..banks {
        v.push_str(&format!(
            "(* no_rw_check *)\nreg[31:0] bank{b}[{last}:0];\nreg[31:0] bank{b}_read;\nreg[31:0] bank{b}_hold;\n"
        ));
        let write = if select_bits == 0 {
            "write_enable".to_string()
        } else {
            format!(
                "write_enable && (write_address[{}:{bank_bits}] == {select_bits}'d{b})",
                a - 1
            )
        };
        edge.push_str(&format!(
            "   bank{b}_read <= bank{b}[read_address[{}:0]];\n   bank{b}_hold <= bank{b}_read;\n\
   if ({write}) begin\n      bank{b}[write_address[{}:0]] <= write_data;\n   end\n",
            bank_bits - 1,
            bank_bits - 1
        ));
    }
    if select_bits == 0 {
        v.push_str(&format!(
            "\nalways @(posedge clock) begin\n{edge}end\n\nalways @(*) read_data = bank0_hold;\n"
        ));
        return v;
    }
    v.push_str(&format!(
        "reg[{s}:0] bank_read;\nreg[{s}:0] bank_hold;\n\nalways @(posedge clock) begin\n{edge}\
   bank_read <= read_address[{}:{bank_bits}];\n   bank_hold <= bank_read;\nend\n\n\
always @(*) begin\n   case (bank_hold)\n",
        a - 1,
        s = select_bits - 1
    ));
    for b in 0..banks {
        let arm = if b + 1 == banks {
            "default".to_string()
        } else {
            format!("{select_bits}'d{b}")
        };
        v.push_str(&format!("      {arm}: read_data = bank{b}_hold;\n"));
    }
    v.push_str("   endcase\nend\n");
    v
}

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
.STANDBY(1'b0), .SLEEP(1'b0), .POWEROFF(1'b1), .DATAOUT(sp_data[{hi}:{lo}]));\n"
        )
    };
    let output = "wire [31:0] sp_data;\nreg [31:0] read_hold;\n\
always @(posedge clock) read_hold <= sp_data;\nassign read_data = read_hold;\n";
    Verilog::Wrapper(Wrapper {
        code: format!(
            "{address}{}{}{output}",
            instance("spram_lo", 15, 0),
            instance("spram_hi", 31, 16)
        ),
        cores: SB_SPRAM256KA_MODEL.to_string(),
    })
}
