//! A delay line: `out` is `inp` of `depth` clock cycles earlier (a chain of
//! `depth` registers, each starting at zero).
//!
//! The depth is a run-time parameter ([`DelayLine::new`]), so per-row and
//! per-column skews of an array take it from a loop index, and lines whose
//! length is a sum of pipeline latencies need no const-generic arithmetic.
//! A `Wrapper` block: the Verilog is the register chain; the Rust model keeps
//! the registers as a ring of native values ([`Model`]), so a long line costs
//! rust-hdl one block and two signals instead of `depth` `DFF`s.

use super::model::Model;
use super::wrapper_text::regs;
use rust_hdl::prelude::*;
use std::fmt::Write as _;

#[derive(LogicBlock)]
pub struct DelayLine<T: Synth> {
    pub clock: Signal<In, Clock>,
    pub inp: Signal<In, T>,
    pub out: Signal<Out, T>,
    line: Model<Ring<T>>,
}

/// The registers, oldest at `next`: the value on `out`.
#[derive(Clone, Debug)]
struct Ring<T> {
    regs: Vec<T>,
    next: usize,
}

impl<T: Synth> DelayLine<T> {
    /// A line of `depth` ≥ 1 registers.
    pub fn new(depth: usize) -> Self {
        assert!(depth >= 1, "a delay line needs at least one register");
        Self {
            clock: Default::default(),
            inp: Default::default(),
            out: Default::default(),
            line: Model(Ring {
                regs: vec![T::default(); depth],
                next: 0,
            }),
        }
    }

    /// Clock cycles from `inp` to `out`.
    pub fn depth(&self) -> usize {
        self.line.0.regs.len()
    }
}

impl<T: Synth> Default for DelayLine<T> {
    fn default() -> Self {
        Self::new(1)
    }
}

impl<T: Synth> Logic for DelayLine<T> {
    fn update(&mut self) {
        if self.clock.pos_edge() {
            let ring = &mut self.line.0;
            ring.regs[ring.next] = self.inp.val();
            ring.next = (ring.next + 1) % ring.regs.len();
            self.out.next = ring.regs[ring.next];
        }
    }

    fn connect(&mut self) {
        self.out.connect();
    }

    fn hdl(&self) -> Verilog {
        let depth = self.depth();
        let names: Vec<String> = (0..depth).map(|i| format!("r{i}")).collect();
        let decl: Vec<(&str, usize, bool)> =
            names.iter().map(|n| (n.as_str(), T::BITS, false)).collect();
        let mut code = regs(&decl);
        code.push_str("always @(posedge clock) begin\n    r0 <= inp;\n");
        for i in 1..depth {
            let _ = writeln!(code, "    r{i} <= r{};", i - 1);
        }
        let _ = writeln!(code, "end\nassign out = r{};", depth - 1);
        Verilog::Wrapper(Wrapper {
            code,
            cores: String::new(),
        })
    }
}
