//! Seeded random scan workloads shaped like a trained Mamba layer's scan
//! inputs (Mamba's initialisation: A = −[1..N] per channel, Δ bias so that
//! softplus gives Δ log-uniform in [1e−3, 1e−1]).

use super::{ScanConfig, ScanInputs};
use crate::rng::{normal, seeded, Rng};
use crate::Matrix;
use rand::Rng as _;

/// Default scan workload: sequence length L.
pub const DEFAULT_L: usize = 256;
/// Default scan workload: channels D.
pub const DEFAULT_D: usize = 128;
/// Default scan workload: state size N.
pub const DEFAULT_N: usize = 16;
/// Smallest and largest initial step size Δ (Mamba's dt_min, dt_max).
pub const DT_MIN: f64 = 1e-3;
pub const DT_MAX: f64 = 1e-1;

/// Inverse of softplus: the bias b with softplus(b) = dt.
pub fn inverse_softplus(dt: f64) -> f64 {
    dt + (-(-dt).exp_m1()).ln()
}

/// A step size drawn log-uniformly from [DT_MIN, DT_MAX].
pub fn log_uniform_dt(rng: &mut Rng) -> f64 {
    (rng.gen::<f64>() * (DT_MAX.ln() - DT_MIN.ln()) + DT_MIN.ln()).exp()
}

/// A scan workload of L steps, D channels and state size N: u, B, C, z ~
/// N(0, 1); delta ~ N(0, 0.5²) around a per-channel bias of
/// inverse_softplus(dt); A[d, n] = −(n + 1); D = 1; softplus on.
pub fn scan_workload(seed: u64, l: usize, d: usize, n: usize) -> ScanInputs {
    let mut rng = seeded(seed);
    let mut gaussian =
        |rows, cols, scale: f64| Matrix::from_fn(rows, cols, |_, _| scale * normal(&mut rng));
    let u = gaussian(l, d, 1.0);
    let delta = gaussian(l, d, 0.5);
    let b = gaussian(l, n, 1.0);
    let c = gaussian(l, n, 1.0);
    let z = gaussian(l, d, 1.0);
    let delta_bias = (0..d)
        .map(|_| inverse_softplus(log_uniform_dt(&mut rng)))
        .collect();
    ScanInputs {
        u,
        delta,
        a: Matrix::from_fn(d, n, |_, s| -((s + 1) as f64)),
        b,
        c,
        d: vec![1.0; d],
        z: Some(z),
        delta_bias: Some(delta_bias),
        config: ScanConfig {
            delta_softplus: true,
        },
    }
}
