//! Spiking layer golden models (DESIGN.md, "Neuromorphic core").
//!
//! A layer of current-based LIF neurons with int8 synapses from N_in inputs
//! (and optionally from its own neurons, one step later), stepped in
//! algorithmic time steps with a barrier: all input events of a step are
//! summed before any neuron updates.
//!
//! Two neuron models share one layer engine and one result type, as Lava puts
//! its float and bit-accurate LIF side by side:
//!
//! - [`fixed`]: bit-exact with Lava's `PyLifModelBitAcc` (24-bit u and v,
//!   12-bit decays, truncation toward zero, u wrap, v clip, strict spike
//!   test). The RTL is checked against it bit for bit, per neuron update
//!   ([`fixed::lif_step`]) and per run ([`engine::first_mismatch`]).
//! - [`float`]: the f64 form of the same neuron; fixed is checked against it
//!   by tolerance ([`crate::metrics::SpikeMetrics`]).
//!
//! Modules:
//! [`params`] (`neurons.toml`), [`network`] (the layer directory and its
//! files), [`engine`] (stepping, results, exact comparison), [`fixed`],
//! [`float`], [`workload`] (seeded random layers, the default benchmark).

pub mod engine;
pub mod fixed;
pub mod float;
pub mod network;
pub mod params;
pub mod workload;

pub use engine::{first_mismatch, simulate, Layer, LifModel, Mismatch, RunStats, SnnRun};
pub use fixed::{is_skippable, lif_step, LifBitAcc, NeuronState};
pub use float::{FloatRun, FloatState, LifFloat};
pub use network::Network;
pub use params::NeuronParams;
