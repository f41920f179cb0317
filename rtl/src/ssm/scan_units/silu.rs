//! The SiLU unit of a row end: silu(z) in Q6.12 for z in Q6.10
//! (`golden::ssm::fixed::units::Silu::eval`): silu(z) = max(z, 0) − r(|z|),
//! r(a) = a·σ(−a) interpolated from a ROM ([`super::correction`]) in
//! UQ0.16 and rounded to Q.12.
//!
//! | stage | operation                          | width |
//! |-------|------------------------------------|-------|
//! | 1     | a = |z|, lin = max(z, 0)·2^2       | 17, 18 u |
//! | 2 – 7 | r(a) (correction lerp; lin waits)  | 18 u (UQ0.16) |
//! | 8     | silu = lin − ((r + 8) >> 4)        | 18 s  |
//!
//! silu ∈ [−1141, 131068] fits 18-bit signed (the row end's gate multiplier
//! port).

use super::correction::{lerp_verilog, Lerp, LERP_LATENCY};
use crate::common::int::{signed, wrap};
use crate::common::model::Model;
use crate::common::wrapper_text::regs;
use crate::ssm::scan_tables::silu_pairs;
use rust_hdl::prelude::*;
use std::collections::VecDeque;

/// Cycles from z to silu(z).
pub const SILU_LATENCY: usize = 2 + LERP_LATENCY;

#[derive(LogicBlock)]
pub struct SiluUnit {
    pub clock: Signal<In, Clock>,
    /// z, Q6.10.
    pub z: Signal<In, Bits<16>>,
    /// silu(z), Q6.12 (two's complement).
    pub silu: Signal<Out, Bits<18>>,
    pipe: Model<Pipe>,
}

#[derive(Clone, Debug)]
struct Pipe {
    a1: u64,
    lerp: Lerp,
    /// lin of stages 1 … 1 + LERP_LATENCY, newest last.
    lin: VecDeque<i64>,
    silu_q: i64,
}

impl Default for SiluUnit {
    fn default() -> Self {
        Self {
            clock: Default::default(),
            z: Default::default(),
            silu: Default::default(),
            pipe: Model(Pipe {
                a1: 0,
                lerp: Lerp::new(silu_pairs()),
                lin: vec![0; LERP_LATENCY + 1].into(),
                silu_q: 0,
            }),
        }
    }
}

impl Logic for SiluUnit {
    fn update(&mut self) {
        if self.clock.pos_edge() {
            let p = &mut self.pipe.0;
            let lin = p.lin.pop_front().expect("lin delay");
            p.silu_q = lin - ((p.lerp.g() as i64 + 8) >> 4);
            p.lerp.clock(p.a1);
            let z = signed(self.z.val().to_u64(), 16);
            p.a1 = z.unsigned_abs();
            p.lin.push_back(z.max(0) << 2);
            self.silu.next = wrap(p.silu_q, 18).into();
        }
    }

    fn connect(&mut self) {
        self.silu.connect();
    }

    fn hdl(&self) -> Verilog {
        let last = 1 + LERP_LATENCY;
        let names: Vec<String> = (1..=last).map(|i| format!("lin{i}")).collect();
        let mut decl: Vec<(&str, usize, bool)> = vec![("a1", 17, false), ("silu_q", 18, false)];
        decl.extend(names.iter().map(|n| (n.as_str(), 18, false)));
        let mut code = regs(&decl);
        code.push_str(&lerp_verilog(&self.pipe.0.lerp, "a1"));
        code.push_str(
            "\
wire [17:0] r_rounded;
assign r_rounded = g6 + 18'd8;
always @(posedge clock) begin
    a1 <= z[15] ? (17'd0 - {z[15], z}) : {1'b0, z};
    lin1 <= z[15] ? 18'd0 : {z, 2'd0};
",
        );
        for i in 2..=last {
            code.push_str(&format!("    lin{i} <= lin{};\n", i - 1));
        }
        code.push_str(&format!(
            "    silu_q <= lin{last} - {{4'd0, r_rounded[17:4]}};\nend\nassign silu = silu_q;\n"
        ));
        Verilog::Wrapper(Wrapper {
            code,
            cores: String::new(),
        })
    }
}
