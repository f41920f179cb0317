//! The softplus unit of a row head: Δ = softplus(delta + delta_bias) in
//! UQ2.16, saturating at 4 − 2^−16 (`golden::ssm::fixed::units::Softplus`),
//! or clamp((delta + delta_bias)·2^6, 0, 4 − 2^−16) when softplus is off
//! (`step_size`). softplus(x) = max(x, 0) + g(|x|), g = ln(1 + e^−a)
//! interpolated from a ROM ([`super::correction`]).
//!
//! | stage   | operation                                       | width |
//! |---------|-------------------------------------------------|-------|
//! | 1       | x = delta + delta_bias                          | 17 s (Q7.10) |
//! | 2       | a = |x|, lin = max(x, 0)·2^6                    | 17, 23 u |
//! | 3 – 8   | g(a) (correction lerp; lin and the flag wait)   | 18 u (UQ0.16) |
//! | 9       | Δ = min(lin + (softplus ? g : 0), 2^18 − 1)     | 18 u  |

use super::correction::{lerp_verilog, Lerp, LERP_LATENCY};
use crate::common::int::signed;
use crate::common::model::Model;
use crate::common::wrapper_text::regs;
use crate::ssm::scan_tables::softplus_pairs;
use rust_hdl::prelude::*;
use std::collections::VecDeque;

/// Cycles from (delta, delta_bias) to Δ.
pub const SOFTPLUS_LATENCY: usize = 3 + LERP_LATENCY;

#[derive(LogicBlock)]
pub struct SoftplusUnit {
    pub clock: Signal<In, Clock>,
    /// Apply softplus (else clamp). Held for a job.
    pub en: Signal<In, Bit>,
    /// delta, Q6.10.
    pub delta: Signal<In, Bits<16>>,
    /// delta_bias, Q6.10.
    pub bias: Signal<In, Bits<16>>,
    /// Δ, UQ2.16.
    pub dlt: Signal<Out, Bits<18>>,
    pipe: Model<Pipe>,
}

#[derive(Clone, Debug)]
struct Pipe {
    x1: i64,
    a2: u64,
    lerp: Lerp,
    /// (lin, en) of stages 2 … 2 + LERP_LATENCY, newest last.
    lin: VecDeque<(u64, bool)>,
    dlt_q: u64,
}

impl Default for SoftplusUnit {
    fn default() -> Self {
        Self {
            clock: Default::default(),
            en: Default::default(),
            delta: Default::default(),
            bias: Default::default(),
            dlt: Default::default(),
            pipe: Model(Pipe {
                x1: 0,
                a2: 0,
                lerp: Lerp::new(softplus_pairs()),
                lin: vec![(0, false); LERP_LATENCY + 1].into(),
                dlt_q: 0,
            }),
        }
    }
}

impl Logic for SoftplusUnit {
    fn update(&mut self) {
        if self.clock.pos_edge() {
            let p = &mut self.pipe.0;
            let (lin, en) = p.lin.pop_front().expect("lin delay");
            let g = if en { p.lerp.g() } else { 0 };
            p.dlt_q = (lin + g).min((1 << 18) - 1);
            p.lin.push_back(((p.x1.max(0) << 6) as u64, self.en.val()));
            p.lerp.clock(p.a2);
            p.a2 = p.x1.unsigned_abs();
            p.x1 = signed(self.delta.val().to_u64(), 16) + signed(self.bias.val().to_u64(), 16);
            self.dlt.next = p.dlt_q.into();
        }
    }

    fn connect(&mut self) {
        self.dlt.connect();
    }

    fn hdl(&self) -> Verilog {
        let p = &self.pipe.0;
        let mut code = regs(&[("x1", 17, false), ("a2", 17, false), ("dlt_q", 18, false)]);
        let mut delays: Vec<(String, usize)> = Vec::new();
        for i in 2..=(2 + LERP_LATENCY) {
            delays.push((format!("lin{i}"), 23));
            delays.push((format!("en{i}"), 1));
        }
        let decl: Vec<(&str, usize, bool)> = delays
            .iter()
            .map(|(n, w)| (n.as_str(), *w, false))
            .collect();
        code.push_str(&regs(&decl));
        code.push_str(&lerp_verilog(&p.lerp, "a2"));
        let last = 2 + LERP_LATENCY;
        code.push_str(&format!(
            "\
wire [22:0] total;
assign total = lin{last} + (en{last} ? {{5'd0, g6}} : 23'd0);
always @(posedge clock) begin
    x1 <= {{delta[15], delta}} + {{bias[15], bias}};
    a2 <= x1[16] ? (17'd0 - x1) : x1;
    lin2 <= x1[16] ? 23'd0 : {{x1, 6'd0}};
    en2 <= en;
"
        ));
        for i in 3..=last {
            code.push_str(&format!(
                "    lin{i} <= lin{};\n    en{i} <= en{};\n",
                i - 1,
                i - 1
            ));
        }
        code.push_str(
            "    dlt_q <= (total[22:18] != 5'd0) ? 18'h3ffff : total[17:0];\nend\nassign dlt = dlt_q;\n",
        );
        Verilog::Wrapper(Wrapper {
            code,
            cores: String::new(),
        })
    }
}
