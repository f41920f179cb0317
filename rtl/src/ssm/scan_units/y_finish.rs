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
//! | 4 – 6 | p_lo = y_pre_lo·silu, p_hi = y_pre_hi·silu (y_pre = hi·2^17 + lo; two MULT18X18D, [`DSP_LATENCY`]) | 36, 33 s |
//! | 7     | g = p_hi·2^5 + (p_lo >> 12) + p_lo[11]                       | 38 s  |
//! | 8     | y = gate ? sat32(g) : y_pre                                  | 32 s  |
//!
//! Control and psum are taken in the same cycle x, the accumulator word one
//! cycle earlier (its read is issued two cycles before psum arrives); `acc`
//! follows at x + 1 and y at x + [`Y_LATENCY`]. The accumulator never
//! saturates: |C·h| ≤ 2^46 per state, so N < 2^15 states stay below 2^61.

use crate::common::dsp::{product_verilog, Operand, Product, DSP_LATENCY};
use crate::common::int::{saturate, signed, wrap};
use crate::common::model::Model;
use crate::common::wrapper_text::{delay_chain, regs};
use rust_hdl::prelude::*;
use std::collections::VecDeque;

/// Cycles from psum to y.
pub const Y_LATENCY: usize = 5 + DSP_LATENCY;

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

#[derive(Clone, Debug)]
struct Pipe {
    word0: i64,
    acc1: i64,
    pre2: i64,
    ypre3: i64,
    plo: Product,
    phi: Product,
    /// (y_pre, gate) beside the gate products, newest last.
    wait: VecDeque<(i64, bool)>,
    /// (gate, silu) from psum to y_pre, newest last.
    mode: VecDeque<(bool, i64)>,
    g7: i64,
    ypre7: i64,
    gate7: bool,
    y8: i64,
}

impl Default for Pipe {
    fn default() -> Self {
        Self {
            word0: 0,
            acc1: 0,
            pre2: 0,
            ypre3: 0,
            plo: Product::default(),
            phi: Product::default(),
            wait: vec![(0, false); DSP_LATENCY].into(),
            mode: vec![(false, 0); 3].into(),
            g7: 0,
            ypre7: 0,
            gate7: false,
            y8: 0,
        }
    }
}

impl Logic for YFinish {
    fn update(&mut self) {
        if self.clock.pos_edge() {
            let p = &mut self.pipe.0;
            p.y8 = if p.gate7 { saturate(p.g7, 32) } else { p.ypre7 };
            let (plo, phi) = (p.plo.value(), p.phi.value());
            p.g7 = (phi << 5) + (plo >> 12) + ((plo >> 11) & 1);
            (p.ypre7, p.gate7) = p.wait.pop_front().expect("y_pre delay");
            let (gate3, silu3) = p.mode.pop_front().expect("mode delay");
            p.plo.clock(p.ypre3 & 0x1ffff, silu3);
            p.phi.clock(p.ypre3 >> 17, silu3);
            p.wait.push_back((p.ypre3, gate3));
            p.ypre3 = saturate(p.pre2 >> 14, 32);
            p.pre2 = p.acc1.wrapping_add(1 << 13);
            let word = if self.nfirst.val() { 0 } else { p.word0 };
            p.acc1 = (self.psum.val().to_u64() as i64).wrapping_add(word);
            p.mode
                .push_back((self.gate.val(), signed(self.silu.val().to_u64(), 18)));
            p.word0 = self.acc_word.val().to_u64() as i64;
            self.acc.next = wrap(p.acc1, 64).into();
            self.y.next = wrap(p.y8, 32).into();
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
            ("pre2", 64, false),
            ("ypre3", 32, false),
            ("g7", 38, false),
            ("y8", 32, false),
        ]);
        // (gate, silu) from psum to y_pre; (y_pre, gate) beside the products.
        let (gate_decl, gate_shift) = delay_chain("gate", 1, 3 + DSP_LATENCY + 1, "gate");
        let (silu_decl, silu_shift) = delay_chain("silu", 18, 3, "silu");
        let (ypre_decl, ypre_shift) = delay_chain("ypre_w", 32, DSP_LATENCY + 1, "ypre3");
        code.push_str(&gate_decl);
        code.push_str(&silu_decl);
        code.push_str(&ypre_decl);
        code.push_str(&product_verilog(
            "plo",
            Operand {
                expr: "{1'b0, ypre3[16:0]}",
                width: 18,
                signed: true,
            },
            Operand {
                expr: "silu3",
                width: 18,
                signed: true,
            },
        ));
        code.push_str(&product_verilog(
            "phi",
            Operand {
                expr: "ypre3[31:17]",
                width: 15,
                signed: true,
            },
            Operand {
                expr: "silu3",
                width: 18,
                signed: true,
            },
        ));
        let gate_at_y = 3 + DSP_LATENCY + 1;
        let ypre_at_y = DSP_LATENCY + 1;
        code.push_str(&format!(
            "\
wire pre_fits;
assign pre_fits = (pre2[63:45] == 19'd0) | (pre2[63:45] == {{19{{1'b1}}}});
wire g_fits;
assign g_fits = (g7[37:31] == 7'd0) | (g7[37:31] == 7'h7f);
always @(posedge clock) begin
{gate_shift}{silu_shift}{ypre_shift}    word0 <= acc_word;
    acc1 <= psum + (nfirst ? 64'd0 : word0);
    pre2 <= acc1 + 64'd8192;
    ypre3 <= pre_fits ? pre2[45:14] : (pre2[63] ? 32'h80000000 : 32'h7fffffff);
    g7 <= {{phi, 5'd0}} + {{{{14{{plo[35]}}}}, plo[35:12]}} + {{37'd0, plo[11]}};
    y8 <= gate{gate_at_y} ? (g_fits ? g7[31:0] : (g7[37] ? 32'h80000000 : 32'h7fffffff)) : ypre_w{ypre_at_y};
end
assign acc = acc1;
assign y = y8;
"
        ));
        Verilog::Wrapper(Wrapper {
            code,
            cores: String::new(),
        })
    }
}
