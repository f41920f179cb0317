//! The row head's two products: Δu = round(Δ·u, 6) and the skip term
//! (D·u) << 10, each one MULT18X18D.
//!
//! **Δu** (UQ2.16 × Q6.10 = Q8.26, rounded half up to Q8.20, 28 bits). Δ is
//! unsigned 18-bit, one bit too wide for a signed 18-bit port, so it enters
//! as sΔ = Δ − 2^17 (Δ's bit 17 flipped): Δ·u = sΔ·u + 2^17·u, and since
//! 2^17·u is a multiple of 2^6, round(Δ·u, 6) = round(sΔ·u, 6) + 2^11·u:
//!
//! | cycle | operation                                  | width |
//! |-------|--------------------------------------------|-------|
//! | 1 – 3 | p = sΔ·u ([`DSP_LATENCY`])                  | 34 s  |
//! | 4     | Δu = (p >> 6) + p[5] + 2^11·u              | 28 s  |
//!
//! **Skip term** (Q6.10 × Q6.10 = Q12.20, shifted to the partial sum's
//! Q.30): psum0 = en ? (D·u)·2^10 : 0, one cycle after the product.

use crate::common::dsp::{product_verilog, Operand, Product, DSP_LATENCY};
use crate::common::int::{signed, wrap};
use crate::common::model::Model;
use crate::common::wrapper_text::{delay_chain, regs};
use rust_hdl::prelude::*;
use std::collections::VecDeque;

/// Cycles from (Δ, u) to Δu.
pub const DELTA_U_LATENCY: usize = DSP_LATENCY + 1;
/// Cycles from (D, u) to the skip term.
pub const SKIP_LATENCY: usize = DSP_LATENCY + 1;

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

#[derive(Clone, Debug)]
struct DuPipe {
    p: Product,
    /// u beside its product, newest last.
    u: VecDeque<i64>,
    du4: i64,
}

impl Default for DuPipe {
    fn default() -> Self {
        Self {
            p: Product::default(),
            u: vec![0; DSP_LATENCY].into(),
            du4: 0,
        }
    }
}

impl Logic for DeltaUUnit {
    fn update(&mut self) {
        if self.clock.pos_edge() {
            let p = &mut self.pipe.0;
            let (prod, u_then) = (p.p.value(), p.u.pop_front().expect("u delay"));
            p.du4 = (prod >> 6) + ((prod >> 5) & 1) + (u_then << 11);
            let u = signed(self.u.val().to_u64(), 16);
            p.p.clock(self.dlt.val().to_u64() as i64 - (1 << 17), u);
            p.u.push_back(u);
            self.du.next = wrap(p.du4, 28).into();
        }
    }

    fn connect(&mut self) {
        self.du.connect();
    }

    fn hdl(&self) -> Verilog {
        let mut code = product_verilog(
            "p",
            Operand {
                expr: "dlt ^ 18'h20000",
                width: 18,
                signed: true,
            },
            Operand {
                expr: "u",
                width: 16,
                signed: true,
            },
        );
        let (decl, shift) = delay_chain("u", 16, DSP_LATENCY, "u");
        code.push_str(&decl);
        code.push_str(&regs(&[("du_q", 28, false)]));
        code.push_str(&format!(
            "\
always @(posedge clock) begin
{shift}    du_q <= p[33:6] + {{27'd0, p[5]}} + {{u{n}[15], u{n}, 11'd0}};
end
assign du = du_q;
",
            n = DSP_LATENCY
        ));
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
    pipe: Model<SkipPipe>,
}

#[derive(Clone, Debug)]
struct SkipPipe {
    p: Product,
    /// `en` beside its product, newest last.
    en: VecDeque<bool>,
    term4: i64,
}

impl Default for SkipPipe {
    fn default() -> Self {
        Self {
            p: Product::default(),
            en: vec![false; DSP_LATENCY].into(),
            term4: 0,
        }
    }
}

impl Logic for SkipTerm {
    fn update(&mut self) {
        if self.clock.pos_edge() {
            let p = &mut self.pipe.0;
            let en = p.en.pop_front().expect("en delay");
            p.term4 = if en { p.p.value() << 10 } else { 0 };
            p.p.clock(
                signed(self.skip.val().to_u64(), 16),
                signed(self.u.val().to_u64(), 16),
            );
            p.en.push_back(self.en.val());
            self.psum0.next = wrap(p.term4, 64).into();
        }
    }

    fn connect(&mut self) {
        self.psum0.connect();
    }

    fn hdl(&self) -> Verilog {
        let mut code = product_verilog(
            "p",
            Operand {
                expr: "skip",
                width: 16,
                signed: true,
            },
            Operand {
                expr: "u",
                width: 16,
                signed: true,
            },
        );
        let (decl, shift) = delay_chain("en", 1, DSP_LATENCY, "en");
        code.push_str(&decl);
        code.push_str(&regs(&[("term_q", 64, false)]));
        code.push_str(&format!(
            "\
always @(posedge clock) begin
{shift}    term_q <= en{n} ? {{{{22{{p[31]}}}}, p, 10'd0}} : 64'd0;
end
assign psum0 = term_q;
",
            n = DSP_LATENCY
        ));
        Verilog::Wrapper(Wrapper {
            code,
            cores: String::new(),
        })
    }
}
