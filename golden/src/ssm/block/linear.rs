//! An int8 linear layer as the accelerator runs it: one GEMM-mode pass
//! ([`gemm_i8`]) of per-token int8 activations against per-channel int8
//! weights, then per-column requantization of the int32 accumulators into
//! each output column's fixed-point format.

use super::gemm::gemm_i8;
use super::quant::{requantize, ActI8, Multiplier, QFormat, QuantWeights};
use crate::Matrix;

/// A bias-free linear layer `y = x · Wᵀ` in int8.
#[derive(Debug, Clone, PartialEq)]
pub struct QLinear {
    pub weights: QuantWeights,
    /// Per output column: weight scale × 2^frac of the column's format.
    pub multiplier: Vec<Multiplier>,
    /// Per output column: the format the column is requantized to.
    pub format: Vec<QFormat>,
}

impl QLinear {
    /// Quantizes a PyTorch-layout `[out × in]` weight; output column j is
    /// delivered in `format[j]`. Scale factors are computed here, once.
    pub fn new(w: &Matrix, format: Vec<QFormat>) -> Self {
        let weights = QuantWeights::quantize(w);
        assert_eq!(format.len(), weights.n, "one output format per column");
        let multiplier = weights
            .scale
            .iter()
            .zip(&format)
            .map(|(&s, f)| Multiplier::from_real(s * 2f64.powi(f.frac as i32)))
            .collect();
        QLinear {
            weights,
            multiplier,
            format,
        }
    }

    /// Inputs k and outputs n.
    pub fn dims(&self) -> (usize, usize) {
        (self.weights.k, self.weights.n)
    }

    /// GEMM mode: the int32 accumulators, rows × n.
    pub fn accumulate(&self, x: &ActI8) -> Vec<i32> {
        assert_eq!(x.cols, self.weights.k, "activation width vs layer inputs");
        gemm_i8(
            &x.q,
            &self.weights.q,
            x.rows,
            self.weights.k,
            self.weights.n,
        )
    }

    /// Requantizes accumulators of `x`'s rows into the columns' formats.
    pub fn requantize(&self, acc: &[i32], x: &ActI8) -> Vec<i64> {
        let n = self.weights.n;
        acc.chunks_exact(n)
            .zip(&x.exp)
            .flat_map(|(row, &exp)| {
                row.iter()
                    .zip(self.multiplier.iter().zip(&self.format))
                    .map(move |(&a, (&m, f))| requantize(a, m, exp, f.bits))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::ErrorMetrics;
    use crate::rng::{normal, seeded};

    #[test]
    fn int8_linear_tracks_f64_within_int8_noise() {
        let mut rng = seeded(4);
        let w = Matrix::from_fn(48, 64, |_, _| normal(&mut rng) / 8.0);
        let x = Matrix::from_fn(32, 64, |_, _| normal(&mut rng));
        let f = QFormat { frac: 16, bits: 32 };
        let layer = QLinear::new(&w, vec![f; 48]);
        let xq: Vec<i64> = x
            .as_slice()
            .iter()
            .map(|&v| (v * 65536.0).round() as i64)
            .collect();
        let act = ActI8::from_rows(&xq, 64, 16);
        let y = layer.requantize(&layer.accumulate(&act), &act);
        let y: Vec<f64> = y.iter().map(|&v| v as f64 / 65536.0).collect();
        let want = x.matmul(&w.transpose());
        let m = ErrorMetrics::compare(want.as_slice(), &y);
        assert!(m.snr_db > 35.0, "{m:?}");
    }
}
