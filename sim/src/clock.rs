//! Cycle stepping of a rust-hdl circuit without the threaded `Simulation`.
//!
//! rust-hdl evaluates a circuit by calling `update_all` until no signal
//! changes (`Simulation` does exactly this after every testbench event, see
//! `rust_hdl_core::simulate::Simulation::dispatch`). [`Clocked`] does the same
//! directly: [`Clocked::settle`] propagates combinational changes,
//! [`Clocked::rise`] applies a rising clock edge (every `DFF` samples its `d`)
//! and settles. Same semantics, no thread hand-offs, so it is much faster.
//!
//! A cycle of a testbench reads like this:
//!
//! ```text
//! set inputs (.next = …)      // clock is low
//! settle()                    // combinational outputs now valid: get them
//! rise()                      // posedge: registers load; state of the next cycle
//! fall()                      // clock low again (no logic uses the falling edge)
//! ```
//!
//! [`Clocked::tick`] is `rise` + `fall` + `settle`.

use rust_hdl::prelude::*;

/// Iteration limit per settle, as in rust-hdl's `Simulation`.
const MAX_ITERS: usize = 100;

/// The circuit failed to reach a fixed point (combinational loop / oscillation).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotConverged;

impl std::fmt::Display for NotConverged {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "circuit did not settle in {MAX_ITERS} iterations")
    }
}

impl std::error::Error for NotConverged {}

/// A circuit and the clock input that drives it.
pub struct Clocked<B: Block> {
    pub uut: B,
    clock: fn(&mut B) -> &mut Signal<In, Clock>,
    /// Rising edges applied so far.
    pub edges: u64,
    /// `update_all` passes so far (the cost of the simulation).
    pub passes: u64,
}

impl<B: Block> Clocked<B> {
    /// Connects and checks the circuit (rust-hdl's `check_all`: no open
    /// inputs, no logic loops, no writes to inputs), then settles it with the
    /// clock low.
    pub fn new(mut uut: B, clock: fn(&mut B) -> &mut Signal<In, Clock>) -> Result<Self, String> {
        uut.connect_all();
        check_all(&uut).map_err(|e| format!("rust-hdl check failed: {e:?}"))?;
        clock(&mut uut).next = Clock::from(false);
        let mut me = Self {
            uut,
            clock,
            edges: 0,
            passes: 0,
        };
        me.settle().map_err(|e| e.to_string())?;
        Ok(me)
    }

    /// Propagate combinational changes until nothing changes.
    pub fn settle(&mut self) -> Result<(), NotConverged> {
        for _ in 0..MAX_ITERS {
            self.passes += 1;
            self.uut.update_all();
            if !self.uut.has_changed() {
                return Ok(());
            }
        }
        Err(NotConverged)
    }

    /// Rising edge: registers load, then the circuit settles.
    pub fn rise(&mut self) -> Result<(), NotConverged> {
        (self.clock)(&mut self.uut).next = Clock::from(true);
        self.edges += 1;
        self.settle()
    }

    /// Take the clock low without settling; the next [`Clocked::settle`]
    /// (typically after new inputs are set) propagates it. Nothing in the
    /// designs here uses the falling edge.
    pub fn fall(&mut self) {
        (self.clock)(&mut self.uut).next = Clock::from(false);
    }

    /// One full clock cycle: rise, fall, settle.
    pub fn tick(&mut self) -> Result<(), NotConverged> {
        self.rise()?;
        self.fall();
        self.settle()
    }

    /// `n` cycles.
    pub fn ticks(&mut self, n: usize) -> Result<(), NotConverged> {
        for _ in 0..n {
            self.tick()?;
        }
        Ok(())
    }
}
