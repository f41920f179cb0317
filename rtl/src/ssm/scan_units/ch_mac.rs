//! The output term of a scan PE: psum_out = psum_in + C·h, the row's partial
//! sum of y (Q.30) gaining this PE's state times C (Q6.10 × Q12.20 =
//! Q18.30, exact).
//!
//! | cycle | operation                                          | width |
//! |-------|----------------------------------------------------|-------|
//! | 1 – 3 | p_lo = C·h_lo, p_hi = C·h_hi (h = h_hi·2^16 + h_lo; two MULT18X18D, [`DSP_LATENCY`]) | 33, 32 s |
//! | 4     | ch = p_hi·2^16 + p_lo                               | 48 s  |
//! | 5     | psum_out = psum_in + ch                             | 64 s  |
//!
//! C and h are taken in the cycle the state leaves the ring; `psum_in` is
//! taken [`CH_PSUM_IN_DELAY`] cycles later, and `psum_out` follows one
//! cycle after that ([`CH_LATENCY`] cycles after C and h). The 64-bit sum
//! cannot wrap: |C·h| ≤ 2^46, so a row of fewer than 2^17 PEs stays within
//! 2^63 (see `ScanRowEnd` for the whole y accumulator's bound).

use crate::common::dsp::{product_verilog, Operand, Product, DSP_LATENCY};
use crate::common::int::{signed, wrap};
use crate::common::model::Model;
use crate::common::wrapper_text::regs;
use rust_hdl::prelude::*;

/// Cycles from (C, h) on the inputs to psum_out.
pub const CH_LATENCY: usize = DSP_LATENCY + 2;
/// Cycles from (C, h) to the cycle psum_in is added.
pub const CH_PSUM_IN_DELAY: usize = DSP_LATENCY + 1;

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
    plo: Product,
    phi: Product,
    ch4: i64,
    psum5: i64,
}

impl Logic for ChMac {
    fn update(&mut self) {
        if self.clock.pos_edge() {
            let p = &mut self.pipe.0;
            p.psum5 = (self.psum_in.val().to_u64() as i64).wrapping_add(p.ch4);
            p.ch4 = (p.phi.value() << 16) + p.plo.value();
            let (c, h) = (
                signed(self.c.val().to_u64(), 16),
                signed(self.h.val().to_u64(), 32),
            );
            p.plo.clock(c, h & 0xffff);
            p.phi.clock(c, h >> 16);
            self.psum_out.next = wrap(p.psum5, 64).into();
        }
    }

    fn connect(&mut self) {
        self.psum_out.connect();
    }

    fn hdl(&self) -> Verilog {
        let mut code = product_verilog(
            "plo",
            Operand {
                expr: "c",
                width: 16,
                signed: true,
            },
            Operand {
                expr: "{1'b0, h[15:0]}",
                width: 17,
                signed: true,
            },
        );
        code.push_str(&product_verilog(
            "phi",
            Operand {
                expr: "c",
                width: 16,
                signed: true,
            },
            Operand {
                expr: "h[31:16]",
                width: 16,
                signed: true,
            },
        ));
        code.push_str(&regs(&[("ch4", 48, false), ("psum5", 64, false)]));
        code.push_str(
            "\
always @(posedge clock) begin
    ch4 <= {phi, 16'd0} + {{15{plo[32]}}, plo};
    psum5 <= psum_in + {{16{ch4[47]}}, ch4};
end
assign psum_out = psum5;
",
        );
        Verilog::Wrapper(Wrapper {
            code,
            cores: String::new(),
        })
    }
}
