//! The default block workload: Mamba-initialised weights of a small block and
//! a seeded N(0, 1) input sequence.

use super::weights::{MambaBlockConfig, MambaBlockWeights};
use crate::rng::{normal, seeded};
use crate::Matrix;

/// Default block workload: residual width d_model.
pub const DEFAULT_D_MODEL: usize = 64;
/// Default block workload: expansion (d_inner = 128).
pub const DEFAULT_EXPAND: usize = 2;
/// Default block workload: state size N.
pub const DEFAULT_N: usize = 16;
/// Default block workload: sequence length L.
pub const DEFAULT_L: usize = 256;

/// The default configuration: d_model 64, expand 2, N 16, d_conv 4, dt_rank 4.
pub fn default_config() -> MambaBlockConfig {
    MambaBlockConfig::new(DEFAULT_D_MODEL, DEFAULT_EXPAND, DEFAULT_N)
}

/// An L×d_model input with entries drawn from N(0, 1).
pub fn block_input(seed: u64, l: usize, d_model: usize) -> Matrix {
    let mut rng = seeded(seed);
    Matrix::from_fn(l, d_model, |_, _| normal(&mut rng))
}

/// Weights from `seed` and an input of L steps from `seed + 1`.
pub fn block_workload(
    seed: u64,
    config: MambaBlockConfig,
    l: usize,
) -> (MambaBlockWeights, Matrix) {
    let weights = MambaBlockWeights::init(seed, config);
    let x = block_input(seed.wrapping_add(1), l, config.d_model);
    (weights, x)
}
