//! Cycle-accurate drivers of the spikescan RTL.
pub mod snn;
