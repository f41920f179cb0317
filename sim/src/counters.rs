//! The hardware performance counters that every SSM core and system exposes
//! (`cycles`, `busy_pe_cycles`, `stall_cycles`, `bubble_cycles`), read in one go.

use crate::engine::{Engine, EngineError, Out};

/// The four counters, as read at the end of a run (`+=` sums the runs of
/// several jobs).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counters {
    pub cycles: u64,
    pub busy_pe_cycles: u64,
    pub stall_cycles: u64,
    pub bubble_cycles: u64,
}

impl std::ops::AddAssign for Counters {
    fn add_assign(&mut self, job: Counters) {
        self.cycles += job.cycles;
        self.busy_pe_cycles += job.busy_pe_cycles;
        self.stall_cycles += job.stall_cycles;
        self.bubble_cycles += job.bubble_cycles;
    }
}

/// The four counter outputs in one engine's numbering.
#[derive(Clone, Copy, Debug)]
pub struct CounterPorts([Out; 4]);

impl CounterPorts {
    pub fn of(e: &dyn Engine) -> Result<Self, EngineError> {
        let p = e.ports();
        Ok(Self([
            p.output("cycles")?,
            p.output("busy_pe_cycles")?,
            p.output("stall_cycles")?,
            p.output("bubble_cycles")?,
        ]))
    }

    /// The counters as the engine shows them now.
    pub fn read(&self, e: &dyn Engine) -> Counters {
        let [c, b, s, u] = self.0.map(|p| e.get(p));
        Counters {
            cycles: c,
            busy_pe_cycles: b,
            stall_cycles: s,
            bubble_cycles: u,
        }
    }
}
