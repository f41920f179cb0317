//! The neuromorphic core: an event-driven current-based LIF layer, bit-exact
//! with `golden::snn::fixed`, with asynchronous AER input and output.
//!
//! - [`config`]: sizes, memory layout, configuration address map;
//! - [`decay_multiplier`]: the truncating decay product (two 16 × 16
//!   multiplies), pipelined over 4 stages;
//! - [`lif_datapath`]: one LIF update per cycle, pipelined over 9 stages;
//! - [`aer_receiver`], [`aer_transmitter`]: 4-phase handshakes, 2-flop
//!   synchronizers, block-RAM event FIFOs;
//! - [`synapse_memory`]: the synapse memory, block RAM or iCE40 SPRAM, read
//!   in two cycles;
//! - [`core`]: memories, phases, step barrier, counters (the top).

pub mod aer_receiver;
pub mod aer_transmitter;
pub mod config;
pub mod core;
pub mod decay_multiplier;
pub mod lif_datapath;
pub mod synapse_memory;
