//! Skew and de-skew register triangles at the edges of the mesh.
//!
//! A systolic array wants lane i of a row vector i cycles after lane 0
//! ([`Skew`]), and hands column j's result j cycles after column 0's, which
//! [`Deskew`] re-aligns by delaying lane j by `LANES − 1 − j` cycles.
//!
//! Both keep a rectangular `(LANES − 1) × LANES` register array (stage-major,
//! `regs[s·LANES + i]` = lane i after s + 1 cycles) and tap each lane at its
//! own depth. Only a triangle of it is ever read; synthesis removes the
//! registers whose outputs go nowhere, so the netlist holds the
//! `LANES·(LANES − 1)/2` registers a hand-drawn triangle would. (rust-hdl's
//! loops need constant bounds, so a ragged triangle cannot be written
//! directly; see [`super::mesh`] for the `rr` loop that brings `LANES` into
//! the index expressions.)

use rust_hdl::prelude::*;

/// Lane i of `out` is lane i of `inp` delayed by i cycles (lane 0: wire).
#[derive(LogicBlock)]
pub struct Skew<D: Synth, const LANES: usize> {
    pub clock: Signal<In, Clock>,
    pub inp: [Signal<In, D>; LANES],
    pub out: [Signal<Out, D>; LANES],
    regs: Vec<DFF<D>>,
}

/// Lane i of `out` is lane i of `inp` delayed by `LANES − 1 − i` cycles
/// (the last lane: wire).
#[derive(LogicBlock)]
pub struct Deskew<D: Synth, const LANES: usize> {
    pub clock: Signal<In, Clock>,
    pub inp: [Signal<In, D>; LANES],
    pub out: [Signal<Out, D>; LANES],
    regs: Vec<DFF<D>>,
}

fn regs<D: Synth>(lanes: usize) -> Vec<DFF<D>> {
    assert!(lanes >= 2, "a skew network needs at least 2 lanes");
    (0..(lanes - 1) * lanes).map(|_| DFF::default()).collect()
}

impl<D: Synth, const LANES: usize> Default for Skew<D, LANES> {
    fn default() -> Self {
        Self {
            clock: Default::default(),
            inp: std::array::from_fn(|_| Default::default()),
            out: std::array::from_fn(|_| Default::default()),
            regs: regs(LANES),
        }
    }
}

impl<D: Synth, const LANES: usize> Default for Deskew<D, LANES> {
    fn default() -> Self {
        Self {
            clock: Default::default(),
            inp: std::array::from_fn(|_| Default::default()),
            out: std::array::from_fn(|_| Default::default()),
            regs: regs(LANES),
        }
    }
}

impl<D: Synth, const LANES: usize> Logic for Skew<D, LANES> {
    #[hdl_gen]
    fn update(&mut self) {
        for rr in LANES..(LANES + 1) {
            for s in 0..(LANES - 1) {
                for i in 0..LANES {
                    self.regs[s * rr + i].clock.next = self.clock.val();
                }
            }
            for i in 0..LANES {
                self.regs[i].d.next = self.inp[i].val();
            }
            for s in 1..(LANES - 1) {
                for i in 0..LANES {
                    self.regs[s * rr + i].d.next = self.regs[(s - 1) * rr + i].q.val();
                }
            }
            self.out[0].next = self.inp[0].val();
            for i in 1..LANES {
                self.out[i].next = self.regs[(i - 1) * rr + i].q.val();
            }
        }
    }
}

impl<D: Synth, const LANES: usize> Logic for Deskew<D, LANES> {
    #[hdl_gen]
    fn update(&mut self) {
        for rr in LANES..(LANES + 1) {
            for s in 0..(LANES - 1) {
                for i in 0..LANES {
                    self.regs[s * rr + i].clock.next = self.clock.val();
                }
            }
            for i in 0..LANES {
                self.regs[i].d.next = self.inp[i].val();
            }
            for s in 1..(LANES - 1) {
                for i in 0..LANES {
                    self.regs[s * rr + i].d.next = self.regs[(s - 1) * rr + i].q.val();
                }
            }
            self.out[rr - 1].next = self.inp[rr - 1].val();
            for i in 0..(LANES - 1) {
                self.out[i].next = self.regs[(rr - 2 - i) * rr + i].q.val();
            }
        }
    }
}

/// Lane i of `out` is the single input `inp` delayed by i cycles: the skew
/// of a control word shared by all lanes, as a chain of `LANES − 1`
/// registers instead of a triangle.
#[derive(LogicBlock)]
pub struct DelayChain<D: Synth, const LANES: usize> {
    pub clock: Signal<In, Clock>,
    pub inp: Signal<In, D>,
    pub out: [Signal<Out, D>; LANES],
    regs: Vec<DFF<D>>,
}

impl<D: Synth, const LANES: usize> Default for DelayChain<D, LANES> {
    fn default() -> Self {
        assert!(LANES >= 2, "a delay chain needs at least 2 lanes");
        Self {
            clock: Default::default(),
            inp: Default::default(),
            out: std::array::from_fn(|_| Default::default()),
            regs: (0..LANES - 1).map(|_| DFF::default()).collect(),
        }
    }
}

impl<D: Synth, const LANES: usize> Logic for DelayChain<D, LANES> {
    #[hdl_gen]
    fn update(&mut self) {
        for s in 0..(LANES - 1) {
            self.regs[s].clock.next = self.clock.val();
        }
        self.regs[0].d.next = self.inp.val();
        for s in 1..(LANES - 1) {
            self.regs[s].d.next = self.regs[s - 1].q.val();
        }
        self.out[0].next = self.inp.val();
        for i in 1..LANES {
            self.out[i].next = self.regs[i - 1].q.val();
        }
    }
}
