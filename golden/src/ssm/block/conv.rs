//! Fixed-point causal depthwise conv1d + SiLU: the block's `u`.
//!
//! | quantity            | format  | bits | how it is formed                                  |
//! |---------------------|---------|------|---------------------------------------------------|
//! | x (in_proj's x half)| Q6.10   | 16   | requantized from in_proj's accumulators           |
//! | conv weight         | Q4.12   | 16   | quantized at load (±8; Mamba's init is ±½)        |
//! | conv bias           | Q6.10   | 16   | quantized at load                                 |
//! | accumulator         | Q12.22  | 34   | exact: Σ_k w·x (Q10.22 each) + bias << 12         |
//! | pre-activation      | Q6.10   | 16   | round 12 bits, saturate                           |
//! | silu                | Q6.12   | 18   | the scan's [`Silu`] unit                          |
//! | u                   | Q6.10   | 16   | round 2 bits, saturate                            |
//!
//! Taps beyond the start of the sequence read zeros (causal left padding).

use crate::ssm::fixed::qformat::{quantize, round_shift, saturate};
use crate::ssm::fixed::scan::{IN_BITS, IN_FRAC};
use crate::ssm::fixed::units::Silu;
use crate::Matrix;

/// Fractional bits and width of the conv weights (Q4.12).
pub const CONV_W_FRAC: u32 = 12;
pub const CONV_W_BITS: u32 = 16;

/// The conv's weights as fixed-point words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FixedConv1d {
    /// Channels.
    pub d: usize,
    /// Taps; tap `taps − 1` multiplies the current step.
    pub taps: usize,
    /// d × taps, Q4.12.
    pub weight: Vec<i64>,
    /// d, Q6.10.
    pub bias: Vec<i64>,
}

impl FixedConv1d {
    /// Quantizes a d × taps weight and d biases (round to nearest, saturate).
    pub fn quantize(weight: &Matrix, bias: &[f64]) -> Self {
        FixedConv1d {
            d: weight.rows(),
            taps: weight.cols(),
            weight: weight
                .as_slice()
                .iter()
                .map(|&w| quantize(w, CONV_W_FRAC, CONV_W_BITS))
                .collect(),
            bias: bias
                .iter()
                .map(|&b| quantize(b, IN_FRAC, IN_BITS))
                .collect(),
        }
    }

    /// u = silu(conv(x) + bias) in Q6.10 for x (L×d, Q6.10).
    pub fn forward_silu(&self, x: &[i64], silu: &Silu) -> Vec<i64> {
        let (d, taps) = (self.d, self.taps);
        let l = x.len() / d;
        let mut u = Vec::with_capacity(x.len());
        for t in 0..l {
            for c in 0..d {
                let mut acc = self.bias[c] << CONV_W_FRAC; // Q.22
                for k in 0..taps {
                    if let Some(src) = (t + k + 1).checked_sub(taps) {
                        acc += self.weight[c * taps + k] * x[src * d + c];
                    }
                }
                let pre = saturate(round_shift(acc, CONV_W_FRAC), IN_BITS);
                let act = silu.eval(pre); // Q6.12
                u.push(saturate(
                    round_shift(act, Silu::OUT_FRAC - IN_FRAC),
                    IN_BITS,
                ));
            }
        }
        u
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn impulse_response_is_the_taps_through_silu() {
        let conv =
            FixedConv1d::quantize(&Matrix::from_vec(1, 4, vec![0.5, 0.25, -0.5, 1.0]), &[0.0]);
        assert_eq!(conv.weight, [2048, 1024, -2048, 4096]);
        let mut x = vec![0i64; 6];
        x[1] = 4 << IN_FRAC; // 4.0
        let u = conv.forward_silu(&x, &Silu::new());
        // pre = [0, 4, −2, 1, 2, 0] → silu
        let want: Vec<i64> = [0.0, 4.0, -2.0, 1.0, 2.0, 0.0]
            .iter()
            .map(|&v: &f64| quantize(crate::ssm::float::silu(v), IN_FRAC, IN_BITS))
            .collect();
        for (g, w) in u.iter().zip(&want) {
            assert!((g - w).abs() <= 1, "{u:?} vs {want:?}");
        }
        assert_eq!(u[0], 0);
    }
}
