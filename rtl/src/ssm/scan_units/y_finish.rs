//! The row end's arithmetic: the y accumulator over state tiles, then y
//! (`golden::ssm::fixed::selective_scan_fixed`):
//!
//! ```text
//! acc   = psum + (first state tile ? 0 : accumulator[t, d])   Q.30, 64 bit
//! y_pre = sat32(round(acc, 14))                               Q16.16
//! y     = gate ? sat32(round(y_pre · silu(z), 12)) : y_pre    Q16.16
//! ```
//!
//! | stage | operation                                                    | width |
//! |-------|--------------------------------------------------------------|-------|
//! | 0     | the accumulator word (block RAM data) is registered          | 64    |
//! | 1     | acc = psum + acc word (or 0) → `acc` output                  | 64 s  |
//! | 2     | acc + 2^13                                                   | 64 s  |
//! | 3     | y_pre = sat32(bits 63..14)                                   | 32 s  |
//! | 4     | p_lo = y_pre_lo·silu, p_hi = y_pre_hi·silu (y_pre = hi·2^17 + lo, two MULT18X18D) | 36, 33 s |
//! | 5     | g = p_hi·2^5 + (p_lo >> 12) + p_lo[11]                       | 38 s  |
//! | 6     | y = gate ? sat32(g) : y_pre                                  | 32 s  |
//!
//! Control and psum are taken in the same cycle x, the accumulator word one
//! cycle earlier (its read is issued two cycles before psum arrives); `acc`
//! follows at x + 1 and y at x + [`Y_LATENCY`]. The accumulator never
//! saturates: |C·h| ≤ 2^46 per state, so N < 2^15 states stay below 2^61.

use crate::common::int::{saturate, signed, wrap};
use crate::common::model::Model;
use crate::common::wrapper_text::regs;
use rust_hdl::prelude::*;

/// Cycles from psum to y.
pub const Y_LATENCY: usize = 6;

#[derive(LogicBlock, Default)]
pub struct YFinish {
    pub clock: Signal<In, Clock>,
    /// The job gates y by SiLU(z).
    pub gate: Signal<In, Bit>,
    /// The first state tile: the accumulator word is not added.
    pub nfirst: Signal<In, Bit>,
    /// The row's partial sum of y, Q.30.
    pub psum: Signal<In, Bits<64>>,
    /// The accumulator word of the same (t, d), one cycle before `psum`.
    pub acc_word: Signal<In, Bits<64>>,
    /// SiLU(z), Q6.12, with `psum`.
    pub silu: Signal<In, Bits<18>>,
    /// psum plus the accumulated tiles, one cycle after `psum`.
    pub acc: Signal<Out, Bits<64>>,
    /// y, Q16.16, [`Y_LATENCY`] cycles after `psum`.
    pub y: Signal<Out, Bits<32>>,
    pipe: Model<Pipe>,
}

#[derive(Clone, Debug, Default)]
struct Pipe {
    word0: i64,
    acc1: i64,
    gate1: bool,
    silu1: i64,
    pre2: i64,
    gate2: bool,
    silu2: i64,
    ypre3: i64,
    gate3: bool,
    silu3: i64,
    plo4: i64,
    phi4: i64,
    ypre4: i64,
    gate4: bool,
    g5: i64,
    ypre5: i64,
    gate5: bool,
    y6: i64,
}

impl Logic for YFinish {
    fn update(&mut self) {
        if self.clock.pos_edge() {
            let p = &mut self.pipe.0;
            p.y6 = if p.gate5 { saturate(p.g5, 32) } else { p.ypre5 };
            p.g5 = (p.phi4 << 5) + (p.plo4 >> 12) + ((p.plo4 >> 11) & 1);
            (p.ypre5, p.gate5) = (p.ypre4, p.gate4);
            p.plo4 = (p.ypre3 & 0x1ffff) * p.silu3;
            p.phi4 = (p.ypre3 >> 17) * p.silu3;
            (p.ypre4, p.gate4) = (p.ypre3, p.gate3);
            p.ypre3 = saturate(p.pre2 >> 14, 32);
            (p.gate3, p.silu3) = (p.gate2, p.silu2);
            p.pre2 = p.acc1.wrapping_add(1 << 13);
            (p.gate2, p.silu2) = (p.gate1, p.silu1);
            let word = if self.nfirst.val() { 0 } else { p.word0 };
            p.acc1 = (self.psum.val().to_u64() as i64).wrapping_add(word);
            p.gate1 = self.gate.val();
            p.silu1 = signed(self.silu.val().to_u64(), 18);
            p.word0 = self.acc_word.val().to_u64() as i64;
            self.acc.next = wrap(p.acc1, 64).into();
            self.y.next = wrap(p.y6, 32).into();
        }
    }

    fn connect(&mut self) {
        self.acc.connect();
        self.y.connect();
    }

    fn hdl(&self) -> Verilog {
        let mut code = regs(&[
            ("word0", 64, false),
            ("acc1", 64, false),
            ("gate1", 1, false),
            ("silu1", 18, false),
            ("pre2", 64, false),
            ("gate2", 1, false),
            ("silu2", 18, false),
            ("ypre3", 32, false),
            ("gate3", 1, false),
            ("silu3", 18, false),
            ("plo4", 36, false),
            ("phi4", 33, false),
            ("ypre4", 32, false),
            ("gate4", 1, false),
            ("g5", 38, false),
            ("ypre5", 32, false),
            ("gate5", 1, false),
            ("y6", 32, false),
        ]);
        code.push_str(
            "\
wire pre_fits;
assign pre_fits = (pre2[63:45] == 19'd0) | (pre2[63:45] == {19{1'b1}});
wire signed [35:0] plo;
assign plo = $signed({1'b0, ypre3[16:0]}) * $signed(silu3);
wire signed [32:0] phi;
assign phi = $signed(ypre3[31:17]) * $signed(silu3);
wire g_fits;
assign g_fits = (g5[37:31] == 7'd0) | (g5[37:31] == 7'h7f);
always @(posedge clock) begin
    word0 <= acc_word;
    acc1 <= psum + (nfirst ? 64'd0 : word0);
    gate1 <= gate;
    silu1 <= silu;
    pre2 <= acc1 + 64'd8192;
    gate2 <= gate1;
    silu2 <= silu1;
    ypre3 <= pre_fits ? pre2[45:14] : (pre2[63] ? 32'h80000000 : 32'h7fffffff);
    gate3 <= gate2;
    silu3 <= silu2;
    plo4 <= plo;
    phi4 <= phi;
    ypre4 <= ypre3;
    gate4 <= gate3;
    g5 <= {phi4, 5'd0} + {{14{plo4[35]}}, plo4[35:12]} + {37'd0, plo4[11]};
    ypre5 <= ypre4;
    gate5 <= gate4;
    y6 <= gate5 ? (g_fits ? g5[31:0] : (g5[37] ? 32'h80000000 : 32'h7fffffff)) : ypre5;
end
assign acc = acc1;
assign y = y6;
",
        );
        Verilog::Wrapper(Wrapper {
            code,
            cores: String::new(),
        })
    }
}
