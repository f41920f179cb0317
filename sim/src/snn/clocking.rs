//! Stepping a rust-hdl circuit directly (faster than `Simulation`'s
//! testbench threads) and interleaving two clock domains.

use rust_hdl::prelude::*;

/// Propagates changes until the circuit settles; panics on a combinational
/// loop that does not converge (a design error).
pub fn settle<B: Block>(uut: &mut B) {
    assert!(
        simulate(uut, 100),
        "the circuit did not settle within 100 passes"
    );
}

/// One full clock cycle of `clock`: a rising edge, then the falling edge.
pub fn cycle<B: Block>(uut: &mut B, clock: impl Fn(&mut B) -> &mut Signal<In, Clock>) {
    clock(uut).next = Clock { clk: true };
    settle(uut);
    clock(uut).next = Clock { clk: false };
    settle(uut);
}

/// Which clock edge comes next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edge {
    Core,
    Host,
}

/// Rising edges of two free-running clocks: the host clock of period
/// [`HOST_PERIOD`] time units starting at `phase`, the core clock of period
/// `HOST_PERIOD / ratio` (ratio = f_core / f_host) starting at 0. On a tie
/// the core edge comes first.
#[derive(Debug, Clone)]
pub struct DualClock {
    core_period: u64,
    next_core: u64,
    next_host: u64,
}

/// Host clock period in simulation time units (a unit is 1 ps at 100 MHz).
pub const HOST_PERIOD: u64 = 10_000;

impl DualClock {
    /// `phase` is a fraction of the host period in [0, 1).
    pub fn new(ratio: f64, phase: f64) -> Self {
        let core_period = ((HOST_PERIOD as f64) / ratio).round().max(2.0) as u64;
        DualClock {
            core_period,
            next_core: 0,
            next_host: (phase.clamp(0.0, 1.0) * HOST_PERIOD as f64) as u64 % HOST_PERIOD,
        }
    }

    /// The next edge and its time.
    pub fn advance(&mut self) -> (Edge, u64) {
        if self.next_core <= self.next_host {
            let t = self.next_core;
            self.next_core += self.core_period;
            (Edge::Core, t)
        } else {
            let t = self.next_host;
            self.next_host += HOST_PERIOD;
            (Edge::Host, t)
        }
    }

    pub fn core_period(&self) -> u64 {
        self.core_period
    }
}
