//! The arithmetic units of the scan array, each a pipelined `Wrapper`
//! block: hand-written Verilog sized for the ECP5's MULT18X18D (every
//! product at most 18 × 18 bits, one multiply or one wide add per stage for
//! 100 MHz) and a Rust model with its pipeline registers as native integers
//! ([`crate::common::model::Model`]). The lockstep co-simulation of the
//! Verilator and rust engines (`sim/tests/scan_units.rs`, and the whole
//! core in `sim/tests/engines.rs`) proves each Verilog equal to its model;
//! the models are checked against `golden::ssm::fixed` there too.
//!
//! | unit | where | computes | latency | MULT18X18D |
//! |------|-------|----------|---------|------------|
//! | [`exp2neg::Exp2NegUnit`] | PE | dA = 2^(−Δ·a2) | 11 | 1 |
//! | [`dbu::DbuUnit`] | PE | round(Δu·B, 10) | 4 | 2 |
//! | [`state_ring::StateRing`] | PE | h ← sat32(round(dA·h, 17) + dBu), 4 states | 4 | 2 |
//! | [`ch_mac::ChMac`] | PE | psum + C·h | 5 | 2 |
//! | [`softplus::SoftplusUnit`] | row head | Δ = softplus(delta + bias) | 9 | 0 |
//! | [`silu::SiluUnit`] | row end | silu(z) | 8 | 0 |
//! | [`row_head_terms::DeltaUUnit`] | row head | round(Δ·u, 6) | 4 | 1 |
//! | [`row_head_terms::SkipTerm`] | row head | (D·u)·2^10 | 4 | 1 |
//! | [`y_finish::YFinish`] | row end | accumulate, round, saturate, gate | 8 | 2 |
//!
//! Every product outside the state ring sits between an operand register
//! and a product register ([`crate::common::dsp`], [`crate::common::dsp::DSP_LATENCY`]
//! = 3 cycles), so the placer can keep each MULT18X18D's nets short. The
//! correction lerps (exp2neg, softplus, SiLU) are shift-and-add in LUTs.

pub mod ch_mac;
pub mod correction;
pub mod dbu;
pub mod exp2neg;
pub mod row_head_terms;
pub mod silu;
pub mod softplus;
pub mod state_ring;
pub mod y_finish;
