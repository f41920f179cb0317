//! f64 golden model of the selective scan: Mamba's `selective_scan_ref`
//! (batch 1), line for line as DESIGN.md gives it.

use super::ScanInputs;
use crate::Matrix;

/// `softplus(x) = ln(1 + eˣ)`, returning x above 20 as PyTorch's
/// `F.softplus` (threshold 20) does.
pub fn softplus(x: f64) -> f64 {
    if x > 20.0 {
        x
    } else {
        x.exp().ln_1p()
    }
}

/// `silu(x) = x · sigmoid(x)`.
pub fn silu(x: f64) -> f64 {
    x / (1.0 + (-x).exp())
}

/// Runs the scan; returns y (L×D).
pub fn selective_scan(x: &ScanInputs) -> Matrix {
    let (l, d, n) = x.dims();
    let mut h = Matrix::zeros(d, n);
    let mut y = Matrix::zeros(l, d);
    for t in 0..l {
        for ch in 0..d {
            let mut delta = x.delta.get(t, ch) + x.delta_bias.as_ref().map_or(0.0, |b| b[ch]);
            if x.config.delta_softplus {
                delta = softplus(delta);
            }
            let u = x.u.get(t, ch);
            let mut acc = 0.0;
            for s in 0..n {
                let da = (delta * x.a.get(ch, s)).exp();
                let dbu = delta * x.b.get(t, s) * u;
                let state = da * h.get(ch, s) + dbu;
                h.set(ch, s, state);
                acc += x.c.get(t, s) * state;
            }
            let mut out = acc + x.d[ch] * u;
            if let Some(z) = &x.z {
                out *= silu(z.get(t, ch));
            }
            y.set(t, ch, out);
        }
    }
    y
}
