//! f64 golden model of the Mamba block, as mamba-minimal writes it (batch 1):
//!
//! ```text
//! out = x + out_proj(mixer(rms_norm(x)))
//! ```
//!
//! Shapes: x and out are L×d_model; inside the mixer every sequence is L rows
//! by d_inner, N or dt_rank columns. The scan is the crate's
//! [`selective_scan`] with Mamba's
//! `delta_bias = dt_proj.bias` and `delta_softplus = true`.

use super::columns as cols_of;
use super::weights::MambaBlockWeights;
use crate::ssm::float::{selective_scan, silu};
use crate::ssm::{ScanConfig, ScanInputs};
use crate::Matrix;

/// RMSNorm's ε (mamba_ssm's default).
pub const NORM_EPS: f64 = 1e-5;

/// The block: `x + mixer(x)`, L×d_model.
pub fn forward(w: &MambaBlockWeights, x: &Matrix) -> Matrix {
    let m = mixer(w, x);
    Matrix::from_fn(x.rows(), x.cols(), |t, c| x.get(t, c) + m.get(t, c))
}

/// The block without its residual: `out_proj(scan(…))(rms_norm(x))`, L×d_model.
pub fn mixer(w: &MambaBlockWeights, x: &Matrix) -> Matrix {
    let c = w.config;
    let (di, r, n) = (c.d_inner(), c.dt_rank, c.d_state);
    let xz = linear(&rms_norm(x, &w.norm_weight), &w.in_proj); // L × 2·d_inner
    let (xs, z) = (columns(&xz, 0, di), columns(&xz, di, di));
    let u = causal_conv1d(&xs, &w.conv_weight, &w.conv_bias).map(silu); // L × d_inner
    let x_dbl = linear(&u, &w.x_proj); // L × (dt_rank + 2N)
    let dt_low = columns(&x_dbl, 0, r);
    let (b, c_mat) = (columns(&x_dbl, r, n), columns(&x_dbl, r + n, n));
    let delta = linear(&dt_low, &w.dt_proj_weight); // L × d_inner, bias added in the scan
    let y = selective_scan(&ScanInputs {
        u,
        delta,
        a: w.a(),
        b,
        c: c_mat,
        d: w.d.clone(),
        z: Some(z),
        delta_bias: Some(w.dt_proj_bias.clone()),
        config: ScanConfig {
            delta_softplus: true,
        },
    });
    linear(&y, &w.out_proj)
}

/// `x · weight / sqrt(mean(x²) + ε)` over each row.
pub fn rms_norm(x: &Matrix, weight: &[f64]) -> Matrix {
    let mut out = x.clone();
    for t in 0..x.rows() {
        let row = x.row(t);
        let ms = row.iter().map(|v| v * v).sum::<f64>() / row.len() as f64;
        let scale = 1.0 / (ms + NORM_EPS).sqrt();
        for (c, &g) in weight.iter().enumerate() {
            out.set(t, c, row[c] * scale * g);
        }
    }
    out
}

/// Causal depthwise conv1d, zero left padding: for channel c,
/// `out[t, c] = bias[c] + Σ_k weight[c, k] · x[t − (K−1) + k, c]` with
/// K = d_conv taps (PyTorch's `Conv1d(groups=d_inner, padding=K−1)[..L]`).
pub fn causal_conv1d(x: &Matrix, weight: &Matrix, bias: &[f64]) -> Matrix {
    let taps = weight.cols();
    Matrix::from_fn(x.rows(), x.cols(), |t, c| {
        let mut acc = bias[c];
        for k in 0..taps {
            if let Some(src) = (t + k + 1).checked_sub(taps) {
                acc += weight.get(c, k) * x.get(src, c);
            }
        }
        acc
    })
}

/// `x · weightᵀ` for a PyTorch-layout `[out × in]` weight (no bias).
fn linear(x: &Matrix, weight: &Matrix) -> Matrix {
    x.matmul(&weight.transpose())
}

fn columns(m: &Matrix, from: usize, count: usize) -> Matrix {
    Matrix::from_vec(
        m.rows(),
        count,
        cols_of(m.as_slice(), m.cols(), from, count),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ssm::block::workload::{block_workload, default_config};

    #[test]
    fn rms_norm_gives_unit_rms_rows() {
        let x = Matrix::from_vec(2, 4, vec![1.0, -2.0, 3.0, 4.0, 0.0, 0.0, 0.0, 0.0]);
        let y = rms_norm(&x, &[1.0; 4]);
        let ms: f64 = y.row(0).iter().map(|v| v * v).sum::<f64>() / 4.0;
        assert!((ms - 1.0).abs() < 1e-5, "{ms}");
        assert_eq!(y.row(1), &[0.0; 4]);
        assert_eq!(rms_norm(&x, &[2.0; 4]).get(0, 0), 2.0 * y.get(0, 0));
    }

    #[test]
    fn conv_is_causal_with_tap_k_minus_1_on_the_current_step() {
        let x = Matrix::from_vec(5, 1, vec![0.0, 1.0, 0.0, 0.0, 0.0]);
        let w = Matrix::from_vec(1, 4, vec![0.1, 0.2, 0.3, 0.4]);
        let y = causal_conv1d(&x, &w, &[10.0]);
        assert_eq!(y.as_slice(), &[10.0, 10.4, 10.3, 10.2, 10.1]);
    }

    #[test]
    fn block_is_residual_plus_mixer_and_causal() {
        let (w, x) = block_workload(5, default_config(), 12);
        let (out, m) = (forward(&w, &x), mixer(&w, &x));
        assert_eq!(out.get(3, 7), x.get(3, 7) + m.get(3, 7));
        // Changing step 8 leaves steps 0..8 unchanged.
        let mut x2 = x.clone();
        x2.set(8, 0, 5.0);
        let out2 = forward(&w, &x2);
        assert_eq!(out.as_slice()[..8 * 64], out2.as_slice()[..8 * 64]);
        assert_ne!(out.row(8), out2.row(8));
    }
}
