//! The state recurrence of a scan PE, h ← sat32(round(dA·h, 17) + dBu)
//! (`golden::ssm::fixed::selective_scan_fixed`), as a ring of
//! [`STATE_RING_STAGES`] pipeline stages that holds that many independent
//! states: the token of slot j enters while slot j's previous state leaves,
//! so each state's loop has the whole ring to itself (four cycles at 100 MHz
//! on the ECP5) and the PE still updates one state per cycle.
//!
//! With sdA = dA − 2^17 (dA ≤ 2^17, so sdA ∈ [−2^17, 0] is 18-bit signed:
//! dA's bit 17 flipped) and dA·h = sdA·h + 2^17·h,
//! round(dA·h, 17) = h + round(sdA·h, 17) exactly, and sdA·h is two
//! MULT18X18D products on the halves of h = h_hi·2^16 + h_lo:
//!
//! | stage | operation                                                          | width |
//! |-------|--------------------------------------------------------------------|-------|
//! | 1     | h_in = first ? h0 : (state leaving the ring); sdA; dBu (0 if idle)  | 32, 18, 34 |
//! | 2     | p_lo = sdA·h_lo, p_hi = sdA·h_hi                                    | 35, 34 s |
//! | 3     | m = p_hi + (p_lo >> 16) + 1;  hb = h_in + dBu                       | 35, 35 s |
//! | 4     | h = sat32((m >> 1) + hb)                                            | 32 s  |
//!
//! (p_hi·2^16 + p_lo + 2^16) >> 17 = (p_hi + (p_lo >> 16) + 1) >> 1, because
//! p_lo's low 16 bits cannot carry into bit 17. A slot without a token
//! (`valid` low: a stall or the gap between folds) passes its state through
//! unchanged: sdA = 0 and dBu = 0 give h + 0. `h` is the new state of the
//! token that entered [`STATE_RING_STAGES`] cycles earlier; it is also the
//! state the next token of the same slot starts from. Formats: h, h0 Q12.20;
//! dA UQ1.17; dBu Q14.20. Inputs must come from registers.
//!
//! In the Verilog, stage 1's sdA and h_in halves are also the input
//! registers of the two MULT18X18D and stage 2's products their output
//! registers ([`registered_product_verilog`]), so the products start and
//! end inside the DSP blocks wherever the placer puts them.

use crate::common::dsp::{registered_product_verilog, Operand, MULT_LATENCY};
use crate::common::int::{saturate, signed, wrap};
use crate::common::model::Model;
use crate::common::wrapper_text::regs;
use rust_hdl::prelude::*;

/// Pipeline stages of the ring = states it holds = cycles from a token's
/// operands to its new state.
pub const STATE_RING_STAGES: usize = 4;

// Stages 1 and 2 are the multipliers' input and output registers.
const _: () = assert!(MULT_LATENCY == 2);

#[derive(LogicBlock, Default)]
pub struct StateRing {
    pub clock: Signal<In, Clock>,
    /// A token is on the inputs.
    pub valid: Signal<In, Bit>,
    /// The fold's first token of this slot: start from `h0`, not the ring.
    pub first: Signal<In, Bit>,
    /// Initial state, Q12.20.
    pub h0: Signal<In, Bits<32>>,
    /// dA, UQ1.17 (≤ 2^17).
    pub da: Signal<In, Bits<18>>,
    /// dBu, Q14.20 (two's complement).
    pub dbu: Signal<In, Bits<34>>,
    /// The state after the token of four cycles ago, Q12.20.
    pub h: Signal<Out, Bits<32>>,
    ring: Model<Ring>,
}

#[derive(Clone, Debug, Default)]
struct Ring {
    h1: i64,
    sda1: i64,
    dbu1: i64,
    plo2: i64,
    phi2: i64,
    h2: i64,
    dbu2: i64,
    m3: i64,
    hb3: i64,
    h4: i64,
}

impl Ring {
    fn clock(&mut self, valid: bool, first: bool, h0: i64, da: i64, dbu: i64) {
        let leaving = self.h4;
        self.h4 = saturate((self.m3 >> 1) + self.hb3, 32);
        self.m3 = self.phi2 + (self.plo2 >> 16) + 1;
        self.hb3 = self.h2 + self.dbu2;
        self.plo2 = self.sda1 * (self.h1 & 0xffff);
        self.phi2 = self.sda1 * (self.h1 >> 16);
        self.h2 = self.h1;
        self.dbu2 = self.dbu1;
        self.h1 = if first { h0 } else { leaving };
        self.sda1 = if valid { da - (1 << 17) } else { 0 };
        self.dbu1 = if valid { dbu } else { 0 };
    }
}

impl Logic for StateRing {
    fn update(&mut self) {
        if self.clock.pos_edge() {
            let r = &mut self.ring.0;
            r.clock(
                self.valid.val(),
                self.first.val(),
                signed(self.h0.val().to_u64(), 32),
                self.da.val().to_u64() as i64,
                signed(self.dbu.val().to_u64(), 34),
            );
            self.h.next = wrap(r.h4, 32).into();
        }
    }

    fn connect(&mut self) {
        self.h.connect();
    }

    fn hdl(&self) -> Verilog {
        let sda = "valid ? (da ^ 18'h20000) : 18'd0";
        let mut code = String::from("wire [31:0] h_in;\nassign h_in = first ? h0 : h4;\n");
        code.push_str(&registered_product_verilog(
            "plo2",
            Operand {
                expr: sda,
                width: 18,
                signed: true,
            },
            Operand {
                expr: "{1'b0, h_in[15:0]}",
                width: 17,
                signed: true,
            },
        ));
        code.push_str(&registered_product_verilog(
            "phi2",
            Operand {
                expr: sda,
                width: 18,
                signed: true,
            },
            Operand {
                expr: "h_in[31:16]",
                width: 16,
                signed: true,
            },
        ));
        code.push_str(&regs(&[
            ("h1", 32, false),
            ("dbu1", 34, false),
            ("h2", 32, false),
            ("dbu2", 34, false),
            ("m3", 35, false),
            ("hb3", 35, false),
            ("h4", 32, false),
        ]));
        code.push_str(
            "\
wire [35:0] sum;
assign sum = {{2{m3[34]}}, m3[34:1]} + {hb3[34], hb3};
wire fits;
assign fits = (sum[35:31] == 5'b00000) | (sum[35:31] == 5'b11111);
always @(posedge clock) begin
    h1 <= h_in;
    dbu1 <= valid ? dbu : 34'd0;
    h2 <= h1;
    dbu2 <= dbu1;
    m3 <= {phi2[33], phi2} + {{16{plo2[34]}}, plo2[34:16]} + 35'd1;
    hb3 <= {{3{h2[31]}}, h2} + {dbu2[33], dbu2};
    h4 <= fits ? sum[31:0] : (sum[35] ? 32'h80000000 : 32'h7fffffff);
end
assign h = h4;
",
        );
        Verilog::Wrapper(Wrapper {
            code,
            cores: String::new(),
        })
    }
}
