//! int8 quantization around the GEMM mode: symmetric per-output-channel
//! weights, symmetric per-token activations with a dynamic power-of-two scale,
//! and requantization of int32 accumulators by a fixed-point multiplier.
//!
//! * **Weights** (at load time, from f64): output channel j gets
//!   `scale[j] = max_i |W[j, i]| / 127` and `q = round(W / scale)` in
//!   [−127, 127]. Per channel because the requantizer already applies one
//!   multiplier per output column, so per-channel scales cost nothing in
//!   hardware, and a trained layer's rows differ in range (one large row
//!   would otherwise coarsen every other row's step).
//! * **Activations** (at run time, integer only): a row (one token) of wide
//!   fixed-point values v with `frac` fractional bits is reduced to its
//!   largest magnitude m, a leading-one detector gives p = ⌊log2 m⌋, and
//!   `s = max(p − 6, 0)` puts m in [64, 128): `q = clamp(round(v / 2^s),
//!   ±127)`, real value `q · 2^(s − frac)`. The token's exponent `s − frac`
//!   travels with its row. A max-reduce, a leading-one detector and a barrel
//!   shifter — no multiplier, no calibration run, and every token uses at
//!   least half of the int8 range whatever its magnitude (an RMSNorm output
//!   and a gated scan output differ in range by orders of magnitude).
//! * **Requantization**: a real factor (weight scale × output format) is a
//!   [`Multiplier`], mantissa in Q0.31 [2^30, 2^31) and a shift, fixed at
//!   load time. `out = saturate(round_half_up(acc · mantissa / 2^(shift −
//!   exp)), bits)` with `exp` the token's exponent; exact 64-bit product, one
//!   rounding (gemmlowp/TFLite's `MultiplyByQuantizedMultiplier`, single
//!   rounding variant).

use super::super::fixed::qformat::{round_shift, saturate};
use crate::Matrix;

/// Largest int8 magnitude used: operands are symmetric, −128 never occurs.
pub const I8_MAX: i64 = 127;

/// A signed fixed-point format Q(bits−frac).frac.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QFormat {
    pub frac: u32,
    pub bits: u32,
}

/// A non-negative real factor as `mantissa · 2^−shift`, mantissa an unsigned
/// Q0.31 fraction in [2^30, 2^31) (i.e. [½, 1)); the factor 0 is mantissa 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Multiplier {
    pub mantissa: i32,
    pub shift: i32,
}

impl Multiplier {
    /// The nearest multiplier to `factor` (≥ 0, finite); relative error
    /// ≤ 2^−31. Computed once at load time.
    pub fn from_real(factor: f64) -> Self {
        assert!(factor.is_finite() && factor >= 0.0, "multiplier {factor}");
        if factor == 0.0 {
            return Multiplier {
                mantissa: 0,
                shift: 0,
            };
        }
        let mut shift = 30 - factor.log2().floor() as i32;
        let scaled = |shift: i32| (factor * 2f64.powi(shift)).round() as i64;
        while scaled(shift) >= 1 << 31 {
            shift -= 1;
        }
        while scaled(shift) < 1 << 30 {
            shift += 1;
        }
        Multiplier {
            mantissa: scaled(shift) as i32,
            shift,
        }
    }

    /// The real factor this multiplier stands for.
    pub fn to_real(self) -> f64 {
        self.mantissa as f64 * 2f64.powi(-self.shift)
    }
}

/// Requantizes an int32 accumulator: `acc · mantissa · 2^(exp − shift)`,
/// rounded half up and saturated to a signed `bits`-bit integer (bits ≤ 63).
///
/// The product acc · mantissa is exact in 64 bits (|·| < 2^62). A net right
/// shift above 63 gives 0; a net left shift (only for huge weight scales)
/// saturates unless the product is 0.
pub fn requantize(acc: i32, m: Multiplier, exp: i32, bits: u32) -> i64 {
    let product = i64::from(acc) * i64::from(m.mantissa);
    let right = m.shift - exp;
    if right >= 0 {
        saturate(round_shift(product, right.min(63) as u32), bits)
    } else {
        let wide = i128::from(product) << (-right).min(64);
        let max = (1i128 << (bits - 1)) - 1;
        wide.clamp(-max - 1, max) as i64
    }
}

/// int8 activations with one power-of-two scale per row (token):
/// `value[r, c] = q[r·cols + c] · 2^exp[r]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActI8 {
    pub rows: usize,
    pub cols: usize,
    /// rows × cols, row-major, in [−127, 127].
    pub q: Vec<i8>,
    /// Per row: the scale's exponent.
    pub exp: Vec<i32>,
}

impl ActI8 {
    /// Quantizes each row of `values` (row-major, `cols` wide, all with
    /// `frac` fractional bits) by [`quantize_row`].
    pub fn from_rows(values: &[i64], cols: usize, frac: i32) -> Self {
        let mut act = ActI8 {
            rows: 0,
            cols,
            q: Vec::with_capacity(values.len()),
            exp: Vec::new(),
        };
        for row in values.chunks_exact(cols) {
            act.push_row(row, frac);
        }
        act
    }

    /// Appends one row quantized by [`quantize_row`].
    pub fn push_row(&mut self, row: &[i64], frac: i32) {
        assert_eq!(row.len(), self.cols, "activation row width");
        let exp = quantize_row(row, frac, &mut self.q);
        self.exp.push(exp);
        self.rows += 1;
    }

    /// The real values (for tests and reports).
    pub fn to_real(&self) -> Matrix {
        Matrix::from_fn(self.rows, self.cols, |r, c| {
            f64::from(self.q[r * self.cols + c]) * 2f64.powi(self.exp[r])
        })
    }
}

/// The per-token dynamic quantizer: appends round(v / 2^s) clamped to
/// [−127, 127] for each v in `row` to `out`, with s = max(⌊log2 max|v|⌋ − 6, 0)
/// (0 for an all-zero row), and returns the row's exponent s − frac.
pub fn quantize_row(row: &[i64], frac: i32, out: &mut Vec<i8>) -> i32 {
    let max = row.iter().map(|v| v.unsigned_abs()).max().unwrap_or(0);
    let lead = 63 - max.leading_zeros() as i32; // −1 for max = 0
    let s = (lead - 6).max(0);
    out.extend(
        row.iter()
            .map(|&v| round_shift(v, s as u32).clamp(-I8_MAX, I8_MAX) as i8),
    );
    s - frac
}

/// A weight matrix quantized to symmetric int8 per output channel, stored
/// transposed (k × n: input × output) as GEMM mode's B operand.
#[derive(Debug, Clone, PartialEq)]
pub struct QuantWeights {
    /// Inputs (rows of B).
    pub k: usize,
    /// Outputs (columns of B).
    pub n: usize,
    /// k × n, row-major, in [−127, 127].
    pub q: Vec<i8>,
    /// Per output channel: `W[j, ·] ≈ q[·, j] · scale[j]`.
    pub scale: Vec<f64>,
}

impl QuantWeights {
    /// Quantizes a PyTorch-layout `[out × in]` weight.
    pub fn quantize(w: &Matrix) -> Self {
        let (n, k) = w.shape();
        let scale: Vec<f64> = (0..n)
            .map(|j| w.row(j).iter().fold(0.0f64, |a, &v| a.max(v.abs())) / I8_MAX as f64)
            .collect();
        let q = (0..k)
            .flat_map(|i| {
                let scale = &scale;
                (0..n).map(move |j| match scale[j] {
                    s if s > 0.0 => (w.get(j, i) / s).round().clamp(-127.0, 127.0) as i8,
                    _ => 0,
                })
            })
            .collect();
        QuantWeights { k, n, q, scale }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multiplier_is_normalized_and_accurate() {
        for f in [1.0, 0.75, 3.0e-7, 12345.678, 2f64.powi(-40), 1.0 - 1e-12] {
            let m = Multiplier::from_real(f);
            assert!(
                (1 << 30..1i64 << 31).contains(&(m.mantissa as i64)),
                "{m:?}"
            );
            assert!((m.to_real() / f - 1.0).abs() <= 2f64.powi(-31), "{f}");
        }
        let one = Multiplier::from_real(1.0);
        assert_eq!((one.mantissa, one.shift), (1 << 30, 30));
        assert_eq!(Multiplier::from_real(0.0).mantissa, 0);
    }

    #[test]
    fn requantize_rounds_half_up_and_saturates() {
        let half = Multiplier::from_real(0.5);
        assert_eq!(requantize(5, half, 0, 16), 3); // 2.5 → 3
        assert_eq!(requantize(-5, half, 0, 16), -2); // −2.5 → −2
        assert_eq!(requantize(-7, half, 0, 16), -3); // −3.5 → −3
        assert_eq!(requantize(5, half, 3, 16), 20); // token exponent +3
        assert_eq!(requantize(1 << 20, half, 0, 16), 32767);
        assert_eq!(requantize(-(1 << 20), half, 0, 16), -32768);
        assert_eq!(requantize(i32::MIN, half, -100, 16), 0);
        assert_eq!(requantize(3, half, 40, 32), i32::MAX as i64); // net left shift
        assert_eq!(requantize(0, half, 40, 32), 0);
    }

    #[test]
    fn rows_get_a_power_of_two_scale_that_uses_half_the_range_or_more() {
        let act = ActI8::from_rows(&[1000, -300, 5, 0, 0, 0, 63, -64, 127], 3, 10);
        // 1000 < 2^10: s = 3, 1000/8 = 125, −300/8 = −37.5 → −37, 5/8 → 1.
        assert_eq!(act.q[..3], [125, -37, 1]);
        assert_eq!(act.exp, [3 - 10, -10, -10]);
        assert_eq!(act.q[3..], [0, 0, 0, 63, -64, 127]);
        // A maximum just under 2^(p+1) rounds to 128 and clips to 127.
        let act = ActI8::from_rows(&[255, -255, 100], 3, 0);
        assert_eq!(
            (act.q.clone(), act.exp.clone()),
            (vec![127, -127, 50], vec![1])
        );
        let r = ActI8::from_rows(&[1000, -300, 5], 3, 10).to_real();
        assert_eq!(r.row(0), &[125.0 / 128.0, -37.0 / 128.0, 1.0 / 128.0]);
    }

    #[test]
    fn weights_are_per_output_channel_symmetric_and_transposed() {
        let w = Matrix::from_vec(2, 3, vec![0.5, -1.0, 0.25, 0.0, 0.0, 0.0]);
        let q = QuantWeights::quantize(&w);
        assert_eq!((q.k, q.n), (3, 2));
        assert_eq!(q.q, [64, 0, -127, 0, 32, 0]);
        assert_eq!(q.scale, [1.0 / 127.0, 0.0]);
    }
}
