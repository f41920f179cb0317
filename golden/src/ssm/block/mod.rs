//! The full Mamba block (`Block(Mamba)` with RMSNorm, batch 1): weights and
//! their directory format ([`weights`]), the f64 golden model ([`float`]) and
//! the bit-accurate fixed-point reference ([`fixed`]) built from the
//! accelerator's int8 GEMM mode ([`gemm`], [`quant`], [`linear`]), an integer
//! RMSNorm unit ([`rmsnorm`]), a fixed-point causal conv1d ([`conv`]) and the
//! bit-accurate selective scan of [`crate::ssm::fixed`].
//!
//! ```text
//! x (L×d_model) ─┬─ RMSNorm ─ in_proj ─┬─ x ─ conv1d ─ SiLU ─┬─ u ──────────────┐
//!                │                     │                     └─ x_proj ─┬─ dt_low ─ dt_proj ─ Δ
//!                │                     │                                ├─ B, C ─────────────┤
//!                │                     └─ z ─────────────────────────────────────── scan(u, Δ, A, B, C, D, z)
//!                │                                                                   │
//!                └────────────────────────────── + ─────────────── out_proj ─────────┘
//! ```

pub mod conv;
pub mod fixed;
pub mod float;
pub mod gemm;
pub mod linear;
pub mod quant;
pub mod rmsnorm;
pub mod weights;
pub mod workload;

pub use fixed::{FixedBlockTrace, FixedMambaBlock};
pub use gemm::gemm_i8;
pub use weights::{MambaBlockConfig, MambaBlockWeights};

/// Columns `from..from + count` of a row-major `rows × cols` array.
pub(crate) fn columns<T: Copy>(data: &[T], cols: usize, from: usize, count: usize) -> Vec<T> {
    data.chunks_exact(cols)
        .flat_map(|row| row[from..from + count].iter().copied())
        .collect()
}
