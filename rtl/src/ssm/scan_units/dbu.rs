//! The input term of a scan PE: dBu = round(Δu·B, 10) (Q8.20 × Q6.10 =
//! Q14.30, rounded half up to Q14.20), `golden::ssm::fixed` exactly.
//!
//! Δu (28 bits) is wider than a MULT18X18D port, so it is split as
//! Δu = Δu_hi·2^17 + Δu_lo (Δu_lo the low 17 bits, unsigned):
//!
//! | cycle | operation                                                     | width |
//! |-------|---------------------------------------------------------------|-------|
//! | 1 – 3 | p_lo = Δu_lo·B, p_hi = Δu_hi·B (two MULT18X18D, [`DSP_LATENCY`]) | 34, 27 s |
//! | 4     | dBu = p_hi·2^7 + (p_lo >> 10) + p_lo[9]                        | 34 s  |
//!
//! since (p_hi·2^17 + p_lo + 2^9) >> 10 = p_hi·2^7 + ((p_lo + 2^9) >> 10)
//! and (x + 2^9) >> 10 = (x >> 10) + bit 9 of x. dBu arrives [`DBU_LATENCY`]
//! cycles after its operands, which must come from registers.

use crate::common::dsp::{product_verilog, Operand, Product, DSP_LATENCY};
use crate::common::int::{signed, wrap};
use crate::common::model::Model;
use crate::common::wrapper_text::regs;
use rust_hdl::prelude::*;

/// Cycles from (Δu, B) to dBu.
pub const DBU_LATENCY: usize = DSP_LATENCY + 1;

#[derive(LogicBlock, Default)]
pub struct DbuUnit {
    pub clock: Signal<In, Clock>,
    /// Δu, Q8.20.
    pub du: Signal<In, Bits<28>>,
    /// B[t, n], Q6.10.
    pub b: Signal<In, Bits<16>>,
    /// dBu, Q14.20.
    pub dbu: Signal<Out, Bits<34>>,
    pipe: Model<Pipe>,
}

#[derive(Clone, Debug, Default)]
struct Pipe {
    plo: Product,
    phi: Product,
    dbu4: i64,
}

impl Logic for DbuUnit {
    fn update(&mut self) {
        if self.clock.pos_edge() {
            let p = &mut self.pipe.0;
            let (plo, phi) = (p.plo.value(), p.phi.value());
            p.dbu4 = (phi << 7) + (plo >> 10) + ((plo >> 9) & 1);
            let (du, b) = (
                signed(self.du.val().to_u64(), 28),
                signed(self.b.val().to_u64(), 16),
            );
            p.plo.clock(du & 0x1ffff, b);
            p.phi.clock(du >> 17, b);
            self.dbu.next = wrap(p.dbu4, 34).into();
        }
    }

    fn connect(&mut self) {
        self.dbu.connect();
    }

    fn hdl(&self) -> Verilog {
        let mut code = product_verilog(
            "plo",
            Operand {
                expr: "{1'b0, du[16:0]}",
                width: 18,
                signed: true,
            },
            Operand {
                expr: "b",
                width: 16,
                signed: true,
            },
        );
        code.push_str(&product_verilog(
            "phi",
            Operand {
                expr: "du[27:17]",
                width: 11,
                signed: true,
            },
            Operand {
                expr: "b",
                width: 16,
                signed: true,
            },
        ));
        code.push_str(&regs(&[("dbu4", 34, false)]));
        code.push_str(
            "\
always @(posedge clock) begin
    dbu4 <= {phi, 7'd0} + {{10{plo[33]}}, plo[33:10]} + {33'd0, plo[9]};
end
assign dbu = dbu4;
",
        );
        Verilog::Wrapper(Wrapper {
            code,
            cores: String::new(),
        })
    }
}
