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
//! | [`exp2neg::Exp2NegUnit`] | PE | dA = 2^(−Δ·a2) | 9 | 2 |
//! | [`dbu::DbuUnit`] | PE | round(Δu·B, 10) | 2 | 2 |
//! | [`state_ring::StateRing`] | PE | h ← sat32(round(dA·h, 17) + dBu), 4 states | 4 | 2 |
//! | [`ch_mac::ChMac`] | PE | psum + C·h | 3 | 2 |
//! | [`softplus::SoftplusUnit`] | row head | Δ = softplus(delta + bias) | 9 | 0 |
//! | [`silu::SiluUnit`] | row end | silu(z) | 8 | 0 |
//! | [`row_head_terms::DeltaUUnit`] | row head | round(Δ·u, 6) | 2 | 1 |
//! | [`row_head_terms::SkipTerm`] | row head | (D·u)·2^10 | 1 | 1 |
//! | [`y_finish::YFinish`] | row end | accumulate, round, saturate, gate | 6 | 2 |
//!
//! (The exp2neg unit's small lerp product goes to a MULT18X18D; the
//! correction lerps of softplus and SiLU are shift-and-add.)

pub mod ch_mac;
pub mod correction;
pub mod dbu;
pub mod exp2neg;
pub mod row_head_terms;
pub mod silu;
pub mod softplus;
pub mod state_ring;
pub mod y_finish;
