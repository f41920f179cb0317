//! Cycle-accurate simulation of the neuromorphic core.

pub mod clocking;
pub mod driver;

pub use driver::{run, run_on, Core, CoreCounters, HostConfig, HwError, HwRun, StepRecord};
