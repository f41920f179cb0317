//! Building blocks shared by both accelerators.
//!
//! - [`model::Model`]: the native Rust state of a `Wrapper` block's model.
//! - [`delay_line::DelayLine`]: a D-cycle register delay of any width.
//! - [`dsp`]: a multiplier product between registers (on the ECP5 the
//!   MULT18X18D's own).
//! - [`int`]: two's-complement helpers for the models.
//! - [`ram::zeroed_ram`]: a RAM that starts at zero; [`ram::BlockRam`]: a
//!   block RAM without read-during-write logic.
//! - [`wrapper_text`]: helpers that write the Verilog bodies of wrappers.

pub mod delay_line;
pub mod dsp;
pub mod int;
pub mod model;
pub mod ram;
pub mod wrapper_text;
