//! The output term of a scan PE: psum_out = psum_in + C·h, the row's partial
//! sum of y (Q.30) gaining this PE's state times C (Q6.10 × Q12.20 =
//! Q18.30, exact).
//!
//! | stage | operation                                          | width |
//! |-------|----------------------------------------------------|-------|
//! | 1     | p_lo = C·h_lo, p_hi = C·h_hi (h = h_hi·2^16 + h_lo) | 33, 32 s (two MULT18X18D) |
//! | 2     | ch = p_hi·2^16 + p_lo                               | 48 s  |
//! | 3     | psum_out = psum_in + ch                             | 64 s  |
//!
//! C and h are taken in the cycle the state leaves the ring; `psum_in` is
//! taken [`CH_PSUM_IN_DELAY`] cycles later, and `psum_out` follows one
//! cycle after that ([`CH_LATENCY`] cycles after C and h). The 64-bit sum
//! cannot wrap: |C·h| ≤ 2^46, so a row of fewer than 2^17 PEs stays within
//! 2^63 (see `ScanRowEnd` for the whole y accumulator's bound).

use crate::common::int::{signed, wrap};
use crate::common::model::Model;
use crate::common::wrapper_text::regs;
use rust_hdl::prelude::*;

/// Cycles from (C, h) on the inputs to psum_out.
pub const CH_LATENCY: usize = 3;
/// Cycles from (C, h) to the cycle psum_in is added.
pub const CH_PSUM_IN_DELAY: usize = 2;

#[derive(LogicBlock, Default)]
pub struct ChMac {
    pub clock: Signal<In, Clock>,
    /// C[t, n], Q6.10.
    pub c: Signal<In, Bits<16>>,
    /// h[d, n] after step t, Q12.20.
    pub h: Signal<In, Bits<32>>,
    /// The partial sum from the west, Q.30 (two's complement).
    pub psum_in: Signal<In, Bits<64>>,
    pub psum_out: Signal<Out, Bits<64>>,
    pipe: Model<Pipe>,
}

#[derive(Clone, Debug, Default)]
struct Pipe {
    plo1: i64,
    phi1: i64,
    ch2: i64,
    psum3: i64,
}

impl Logic for ChMac {
    fn update(&mut self) {
        if self.clock.pos_edge() {
            let p = &mut self.pipe.0;
            p.psum3 = (self.psum_in.val().to_u64() as i64).wrapping_add(p.ch2);
            p.ch2 = (p.phi1 << 16) + p.plo1;
            let (c, h) = (
                signed(self.c.val().to_u64(), 16),
                signed(self.h.val().to_u64(), 32),
            );
            p.plo1 = c * (h & 0xffff);
            p.phi1 = c * (h >> 16);
            self.psum_out.next = wrap(p.psum3, 64).into();
        }
    }

    fn connect(&mut self) {
        self.psum_out.connect();
    }

    fn hdl(&self) -> Verilog {
        let mut code = regs(&[
            ("plo1", 33, false),
            ("phi1", 32, false),
            ("ch2", 48, false),
            ("psum3", 64, false),
        ]);
        code.push_str(
            "\
wire signed [32:0] plo;
assign plo = $signed(c) * $signed({1'b0, h[15:0]});
wire signed [31:0] phi;
assign phi = $signed(c) * $signed(h[31:16]);
always @(posedge clock) begin
    plo1 <= plo;
    phi1 <= phi;
    ch2 <= {phi1, 16'd0} + {{15{plo1[32]}}, plo1};
    psum3 <= psum_in + {{16{ch2[47]}}, ch2};
end
assign psum_out = psum3;
",
        );
        Verilog::Wrapper(Wrapper {
            code,
            cores: String::new(),
        })
    }
}
