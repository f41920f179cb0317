//! rust-hdl hardware of the spikescan accelerators.
//!
//! - [`ssm`]: the SSM accelerator (this slice: the GEMM mode of its PE array).
//!
//! Room is left for `snn/` (the neuromorphic core) and `common/` (shared
//! widgets) beside it.
// `#[hdl_gen]` only translates index loops (`for i in 0..N { x[i] ... }`) and
// `a = a + b` forms, so these style lints fire on idiomatic HDL code.
#![allow(clippy::needless_range_loop, clippy::assign_op_pattern)]
// Every sub-expression in `#[hdl_gen]` code is parenthesized on purpose:
// rust-hdl prints operators to Verilog without parentheses.
#![allow(unused_parens)]

pub mod designs;
pub mod ssm;
