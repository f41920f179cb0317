//! rust-hdl hardware of the spikescan accelerators.
//!
//! - [`ssm`]: the SSM accelerator: GEMM mode and state-stationary scan mode
//!   of its PE array, with block-RAM buffers and valid/ready host streams.
//! - [`snn`]: the event-driven neuromorphic core (LIF neurons, AER I/O).
// `#[hdl_gen]` only translates index loops (`for i in 0..N { x[i] ... }`) and
// `a = a + b` forms, so these style lints fire on idiomatic HDL code.
#![allow(clippy::needless_range_loop, clippy::assign_op_pattern)]
// `#[hdl_gen]` does not translate match guards, so an `if` inside an arm
// cannot be folded into the pattern.
#![allow(clippy::collapsible_match)]
// Every sub-expression in `#[hdl_gen]` code is parenthesized on purpose:
// rust-hdl prints operators to Verilog without parentheses.
#![allow(unused_parens)]

pub mod common;
pub mod designs;
pub mod snn;
pub mod ssm;
pub mod verilog_tidy;
