//! Integer RMSNorm: sum of squares, 1/√ by leading-zero normalization plus a
//! table, one multiply per element, and the per-token int8 quantizer that
//! feeds in_proj.
//!
//! RMSNorm's weight and its √d_model are folded into in_proj's columns at
//! load time (`in_proj · diag(g) · √d_model`, exact in f64 before the weights
//! are quantized), so the unit computes only
//!
//! ```text
//! x̂[i] = x[i] / √(Σ x² + d_model·ε)          (= RMSNorm(x)[i] / (g[i]·√d_model))
//! ```
//!
//! | quantity                   | format           | bits | how it is formed                                 |
//! |----------------------------|------------------|------|--------------------------------------------------|
//! | x                          | Q16.16           | 32   | the residual stream                              |
//! | ss = Σ x² + E              | UQ.32            | 62 + ⌈log2 d_model⌉ | exact; E = round(d_model·ε·2^32), a load-time constant (≥ 1) |
//! | p, e, j                    | integers         |      | p = ⌊log2 ss⌋ (leading-one detector), e = p >> 1, j = p & 1 |
//! | table index                | 8 bits           |      | j, then the 7 bits below the leading one          |
//! | interpolation fraction     | 10 bits          |      | the next 10 bits (lower bits dropped)             |
//! | r = 1/√m, m ∈ [1, 4)        | UQ1.17           | 18   | table + linear interpolation                      |
//! | x·r                        | Q.(17 + e)       | 49   | exact product: x̂ = x·r · 2^−(17+e)                |
//! | x̂ to in_proj                | int8, 2^exp      | 8    | per-token quantizer                               |
//!
//! With ss = 2^p·(1 + f) = 2^(2e)·m and m = 2^j·(1 + f):
//! 1/√(ss·2^−32) = 2^(16−e)·r, so x̂ = x_raw·2^−16 · 2^(16−e) · r·2^−17.
//! The table holds 1/√m at m = 1 + k/128 (k < 128) and m = 2 + (k−128)/64
//! (k ≥ 128): **256 entries × 18 bits = 4,608 bits** (a quarter of one
//! DP16KD); past the last entry 1/√4 = ½ is a constant.

use super::quant::quantize_row;
use crate::ssm::fixed::qformat::{quantize, round_shift};

/// Fractional bits of the unit's output r (UQ1.17).
pub const RSQRT_FRAC: u32 = 17;
const INDEX_BITS: u32 = 7;
const INTERP_BITS: u32 = 10;

/// 1/√s for a positive integer s, as r · 2^−17 · 2^−e.
#[derive(Debug, Clone)]
pub struct RsqrtUnit {
    table: Vec<i64>,
}

impl RsqrtUnit {
    pub fn new() -> Self {
        let table = (0..256)
            .map(|k| {
                let m = if k < 128 {
                    1.0 + k as f64 / 128.0
                } else {
                    2.0 + (k - 128) as f64 / 64.0
                };
                quantize(1.0 / m.sqrt(), RSQRT_FRAC, 19)
            })
            .collect();
        RsqrtUnit { table }
    }

    /// (r, e) with 1/√s ≈ r · 2^−17 · 2^−e; r in (2^16, 2^17]. s must be > 0.
    pub fn eval(&self, s: u128) -> (i64, u32) {
        assert!(s > 0, "rsqrt of 0");
        let p = 127 - s.leading_zeros();
        let bits = INDEX_BITS + INTERP_BITS;
        // The leading one at bit `bits`, then 17 bits below it.
        let norm = if p >= bits {
            (s >> (p - bits)) as i64
        } else {
            (s << (bits - p)) as i64
        };
        let k = (((p & 1) << INDEX_BITS) as i64 | ((norm >> INTERP_BITS) & 127)) as usize;
        let f = norm & ((1 << INTERP_BITS) - 1);
        let lo = self.table[k];
        let hi = self
            .table
            .get(k + 1)
            .copied()
            .unwrap_or(1 << (RSQRT_FRAC - 1));
        (lo + round_shift((hi - lo) * f, INTERP_BITS), p >> 1)
    }

    pub fn table(&self) -> &[i64] {
        &self.table
    }
}

impl Default for RsqrtUnit {
    fn default() -> Self {
        Self::new()
    }
}

/// E = round(d_model · ε · 2^32): ε in ss's UQ.32 units, times d_model
/// because the mean's 1/d_model is folded into in_proj.
pub fn eps_term(d_model: usize, eps: f64) -> u128 {
    ((d_model as f64 * eps * 2f64.powi(32)).round() as u128).max(1)
}

/// Normalizes one token x (Q16.16) and quantizes it for in_proj: appends
/// d_model int8 values to `out` and returns the token's exponent.
pub fn rms_norm_row(x: &[i64], eps_term: u128, unit: &RsqrtUnit, out: &mut Vec<i8>) -> i32 {
    let ss: u128 = x
        .iter()
        .map(|&v| (v as i128 * v as i128) as u128)
        .sum::<u128>()
        + eps_term;
    let (r, e) = unit.eval(ss);
    let scaled: Vec<i64> = x.iter().map(|&v| v * r).collect();
    quantize_row(&scaled, (RSQRT_FRAC + e) as i32, out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rsqrt_is_within_two_lsb_over_many_octaves() {
        let unit = RsqrtUnit::new();
        assert_eq!(unit.eval(1), (1 << 17, 0));
        assert_eq!(unit.eval(4), (1 << 17, 1));
        assert_eq!(unit.eval(2).0, 92682); // 2^17/√2 = 92681.9
        let mut worst = 0.0f64;
        let mut s: u128 = 1;
        while s < 1u128 << 80 {
            let (r, e) = unit.eval(s);
            let want = 1.0 / (s as f64).sqrt() * 2f64.powi(e as i32 + 17);
            worst = worst.max((r as f64 - want).abs());
            s = s * 1009 / 1000 + 1;
        }
        assert!(worst <= 2.0, "rsqrt max error {worst} LSB");
    }

    #[test]
    fn normalized_row_has_unit_rms_times_one_over_sqrt_d() {
        let unit = RsqrtUnit::new();
        let x: Vec<i64> = (0..64)
            .map(|i| ((i as i64 * 37) % 23 - 11) * 40_000)
            .collect();
        let mut q = Vec::new();
        let exp = rms_norm_row(&x, eps_term(64, 1e-5), &unit, &mut q);
        let xr: Vec<f64> = x.iter().map(|&v| v as f64 / 65536.0).collect();
        let rms = (xr.iter().map(|v| v * v).sum::<f64>() / 64.0 + 1e-5).sqrt();
        for (&qi, &xi) in q.iter().zip(&xr) {
            let got = qi as f64 * 2f64.powi(exp) * 8.0; // × √d_model
            assert!(
                (got - xi / rms).abs() <= 2f64.powi(exp) * 8.0 * 0.51,
                "{got} vs {}",
                xi / rms
            );
        }
        assert!(q.iter().any(|&v| v.unsigned_abs() >= 64));
    }

    #[test]
    fn all_zero_token_normalizes_to_zero() {
        let mut q = Vec::new();
        rms_norm_row(&[0; 8], eps_term(8, 1e-5), &RsqrtUnit::new(), &mut q);
        assert_eq!(q, [0; 8]);
    }
}
