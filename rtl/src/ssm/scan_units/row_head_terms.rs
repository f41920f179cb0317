//! The row head's two products: Δu = round(Δ·u, 6) and the skip term
//! (D·u) << 10, each one MULT18X18D.
//!
//! **Δu** (UQ2.16 × Q6.10 = Q8.26, rounded half up to Q8.20, 28 bits). Δ is
//! unsigned 18-bit, one bit too wide for a signed 18-bit port, so it enters
//! as sΔ = Δ − 2^17 (Δ's bit 17 flipped): Δ·u = sΔ·u + 2^17·u, and since
//! 2^17·u is a multiple of 2^6, round(Δ·u, 6) = round(sΔ·u, 6) + 2^11·u:
//!
//! | stage | operation                                  | width |
//! |-------|--------------------------------------------|-------|
//! | 1     | p = sΔ·u                                   | 34 s  |
//! | 2     | Δu = (p >> 6) + p[5] + 2^11·u              | 28 s  |
//!
//! **Skip term** (Q6.10 × Q6.10 = Q12.20, shifted to the partial sum's
//! Q.30): psum0 = en ? (D·u)·2^10 : 0 in one stage (the product's register).

use crate::common::int::{signed, wrap};
use crate::common::model::Model;
use crate::common::wrapper_text::regs;
use rust_hdl::prelude::*;

/// Cycles from (Δ, u) to Δu.
pub const DELTA_U_LATENCY: usize = 2;
/// Cycles from (D, u) to the skip term.
pub const SKIP_LATENCY: usize = 1;

#[derive(LogicBlock, Default)]
pub struct DeltaUUnit {
    pub clock: Signal<In, Clock>,
    /// Δ, UQ2.16.
    pub dlt: Signal<In, Bits<18>>,
    /// u, Q6.10.
    pub u: Signal<In, Bits<16>>,
    /// Δu, Q8.20.
    pub du: Signal<Out, Bits<28>>,
    pipe: Model<DuPipe>,
}

#[derive(Clone, Debug, Default)]
struct DuPipe {
    p1: i64,
    u1: i64,
    du2: i64,
}

impl Logic for DeltaUUnit {
    fn update(&mut self) {
        if self.clock.pos_edge() {
            let p = &mut self.pipe.0;
            p.du2 = (p.p1 >> 6) + ((p.p1 >> 5) & 1) + (p.u1 << 11);
            let u = signed(self.u.val().to_u64(), 16);
            p.p1 = (self.dlt.val().to_u64() as i64 - (1 << 17)) * u;
            p.u1 = u;
            self.du.next = wrap(p.du2, 28).into();
        }
    }

    fn connect(&mut self) {
        self.du.connect();
    }

    fn hdl(&self) -> Verilog {
        let mut code = regs(&[("p1", 34, false), ("u1", 16, false), ("du2", 28, false)]);
        code.push_str(
            "\
wire signed [33:0] p;
assign p = $signed(dlt ^ 18'h20000) * $signed(u);
always @(posedge clock) begin
    p1 <= p;
    u1 <= u;
    du2 <= p1[33:6] + {27'd0, p1[5]} + {u1[15], u1, 11'd0};
end
assign du = du2;
",
        );
        Verilog::Wrapper(Wrapper {
            code,
            cores: String::new(),
        })
    }
}

#[derive(LogicBlock, Default)]
pub struct SkipTerm {
    pub clock: Signal<In, Clock>,
    /// Add the skip term (the fold's first state tile); else 0.
    pub en: Signal<In, Bit>,
    /// D[d], Q6.10.
    pub skip: Signal<In, Bits<16>>,
    /// u, Q6.10.
    pub u: Signal<In, Bits<16>>,
    /// (D·u)·2^10 or 0, Q.30 (two's complement).
    pub psum0: Signal<Out, Bits<64>>,
}

impl Logic for SkipTerm {
    fn update(&mut self) {
        if self.clock.pos_edge() {
            let term = if self.en.val() {
                (signed(self.skip.val().to_u64(), 16) * signed(self.u.val().to_u64(), 16)) << 10
            } else {
                0
            };
            self.psum0.next = wrap(term, 64).into();
        }
    }

    fn connect(&mut self) {
        self.psum0.connect();
    }

    fn hdl(&self) -> Verilog {
        let mut code = regs(&[("term1", 64, false)]);
        code.push_str(
            "\
wire signed [31:0] p;
assign p = $signed(skip) * $signed(u);
always @(posedge clock) begin
    term1 <= en ? {{22{p[31]}}, p, 10'd0} : 64'd0;
end
assign psum0 = term1;
",
        );
        Verilog::Wrapper(Wrapper {
            code,
            cores: String::new(),
        })
    }
}
