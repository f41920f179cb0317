//! The scan's nonlinear function units: table lookup plus linear
//! interpolation between neighbouring entries (two reads of a dual-port block
//! RAM, one small multiply). Tables are filled from f64 functions rounded to
//! the entry format; everything after that is integer arithmetic.
//!
//! softplus and SiLU are each split into a piecewise-linear part and an even
//! correction that decays to 0, and only the correction is tabulated:
//! `softplus(x) = max(x, 0) + ln(1 + e^−|x|)` and
//! `silu(x) = max(x, 0) − |x|·sigmoid(−|x|)`. The tables are then small,
//! exact at the far ends, and need no saturation inside.
//!
//! | unit     | input            | output       | table (entries × bits, knots)         | BRAM bits |
//! |----------|------------------|--------------|---------------------------------------|-----------|
//! | softplus | x: Q7.10 (17 b)  | Δ: UQ2.16    | 768 × 16, ln(1+e^−a), a = 0…12 by 1/64 | 12,288    |
//! | exp2neg  | y: UQ8.26 (34 b) | dA: UQ1.17   | 256 × 18, 2^(−k/256)                  | 4,608     |
//! | silu     | z: Q6.10 (16 b)  | Q6.12 (18 b) | 1024 × 16, a·σ(−a), a = 0…16 by 1/64  | 16,384    |
//!
//! Each table fits one ECP5 DP16KD (1024 × 18) or less.

use super::qformat::{quantize, round_shift};
use super::scan::{DELTA_FRAC, DELTA_MAX, IN_FRAC};

/// Linear interpolation between `lo` (at fraction 0) and `hi` (at fraction
/// 2^`frac_bits`), rounding half up: `lo + round((hi − lo) · f / 2^frac_bits)`.
fn lerp(lo: i64, hi: i64, f: i64, frac_bits: u32) -> i64 {
    lo + round_shift((hi - lo) * f, frac_bits)
}

/// An even correction term g(|x|) tabulated at |x| = k/64 for a Q.10 input,
/// in UQ0.16, and taken as 0 from the end of the table on.
#[derive(Debug, Clone)]
pub struct CorrectionTable {
    table: Vec<i64>,
}

impl CorrectionTable {
    /// Fractional bits of the entries (UQ0.16).
    pub const FRAC: u32 = 16;
    /// log2 of the knot spacing in input LSBs: 1/64 = 16 LSBs of Q.10.
    const STEP_BITS: u32 = 4;

    fn new(entries: usize, g: impl Fn(f64) -> f64) -> Self {
        let table = (0..entries)
            .map(|k| quantize(g(k as f64 / 64.0), Self::FRAC, 17))
            .collect();
        CorrectionTable { table }
    }

    /// g(|x|) in UQ0.16 for x in Q.10.
    fn eval(&self, x: i64) -> i64 {
        let a = x.abs();
        let k = (a >> Self::STEP_BITS) as usize;
        let f = a & ((1 << Self::STEP_BITS) - 1);
        let at = |k: usize| self.table.get(k).copied().unwrap_or(0);
        lerp(at(k), at(k + 1), f, Self::STEP_BITS)
    }

    pub fn entries(&self) -> &[i64] {
        &self.table
    }
}

/// softplus(x) = ln(1 + eˣ) for the step size Δ.
///
/// Input x = delta + delta_bias in Q7.10; output Δ in UQ2.16, saturating at
/// `DELTA_MAX` (4 − 2^−16). Δ = max(x, 0) + g(|x|) with g(a) = ln(1 + e^−a)
/// tabulated for a < 12 (g(12) = 6.1e−6 < ½ LSB).
#[derive(Debug, Clone)]
pub struct Softplus {
    correction: CorrectionTable,
}

impl Softplus {
    pub fn new() -> Self {
        Softplus {
            correction: CorrectionTable::new(768, |a| (-a).exp().ln_1p()),
        }
    }

    /// Δ in UQ2.16 for x in Q7.10.
    pub fn eval(&self, x: i64) -> i64 {
        let linear = x.max(0) << (DELTA_FRAC - IN_FRAC);
        (linear + self.correction.eval(x)).min(DELTA_MAX)
    }

    pub fn table(&self) -> &[i64] {
        self.correction.entries()
    }
}

impl Default for Softplus {
    fn default() -> Self {
        Self::new()
    }
}

/// dA = 2^(−y), the discretized decay exp(Δ·A) with A folded into
/// a2 = −A·log2(e) so that y = Δ·a2 ≥ 0.
///
/// Input y in UQ8.26 (the exact product Δ UQ2.16 × a2 UQ6.10). The integer
/// part i = ⌊y⌋ is a right shift; the fraction's top 8 bits index a table of
/// 2^(−k/256) in UQ1.17 and its next 10 bits interpolate (the last 8 bits
/// are dropped). For y ≥ 18 the result is 0 (below ½ LSB of UQ1.17).
/// Output dA in UQ1.17: 1.0 is 2^17, returned for y < 2^−18.
#[derive(Debug, Clone)]
pub struct Exp2Neg {
    table: Vec<i64>,
}

impl Exp2Neg {
    /// Fractional bits of y.
    pub const Y_FRAC: u32 = 26;
    /// Fractional bits of dA.
    pub const OUT_FRAC: u32 = 17;
    const INDEX_BITS: u32 = 8;
    const INTERP_BITS: u32 = 10;
    /// y at or above this many whole units gives dA = 0.
    const Y_ZERO: i64 = 18;

    pub fn new() -> Self {
        let table = (0..1usize << Self::INDEX_BITS)
            .map(|k| quantize((-(k as f64) / 256.0).exp2(), Self::OUT_FRAC, 20))
            .collect();
        Exp2Neg { table }
    }

    /// dA in UQ1.17 for y in UQ8.26 (y ≥ 0).
    pub fn eval(&self, y: i64) -> i64 {
        debug_assert!(y >= 0, "exp2neg input must be non-negative");
        let whole = y >> Self::Y_FRAC;
        if whole >= Self::Y_ZERO {
            return 0;
        }
        let frac = y & ((1 << Self::Y_FRAC) - 1);
        let k = (frac >> (Self::Y_FRAC - Self::INDEX_BITS)) as usize;
        let f = (frac >> (Self::Y_FRAC - Self::INDEX_BITS - Self::INTERP_BITS))
            & ((1 << Self::INTERP_BITS) - 1);
        let lo = self.table[k];
        // 2^(−(k+1)/256); past the last entry that is 2^−1 exactly.
        let hi = self
            .table
            .get(k + 1)
            .copied()
            .unwrap_or(1 << (Self::OUT_FRAC - 1));
        round_shift(lerp(lo, hi, f, Self::INTERP_BITS), whole as u32)
    }

    pub fn table(&self) -> &[i64] {
        &self.table
    }
}

impl Default for Exp2Neg {
    fn default() -> Self {
        Self::new()
    }
}

/// silu(z) = z · sigmoid(z) for the output gate (and the block's conv).
///
/// Input z in Q6.10; output in Q6.12. silu(z) = max(z, 0) − r(|z|) with
/// r(a) = a·sigmoid(−a) tabulated for a < 16 (r(16) = 1.8e−6 < ½ LSB).
#[derive(Debug, Clone)]
pub struct Silu {
    correction: CorrectionTable,
}

impl Silu {
    /// Fractional bits of the output.
    pub const OUT_FRAC: u32 = 12;

    pub fn new() -> Self {
        Silu {
            correction: CorrectionTable::new(1024, |a| a / (1.0 + a.exp())),
        }
    }

    /// silu(z) in Q6.12 for z in Q6.10.
    pub fn eval(&self, z: i64) -> i64 {
        let linear = z.max(0) << (Self::OUT_FRAC - IN_FRAC);
        linear
            - round_shift(
                self.correction.eval(z),
                CorrectionTable::FRAC - Self::OUT_FRAC,
            )
    }

    pub fn table(&self) -> &[i64] {
        self.correction.entries()
    }
}

impl Default for Silu {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ssm::fixed::qformat::to_real;

    /// Largest error of a unit over a dense sweep of its input, in output LSBs.
    fn max_lsb_error(
        inputs: impl Iterator<Item = i64>,
        in_frac: u32,
        out_frac: u32,
        unit: impl Fn(i64) -> i64,
        exact: impl Fn(f64) -> f64,
        out_max: f64,
    ) -> f64 {
        inputs
            .map(|x| {
                let want = exact(to_real(x, in_frac)).min(out_max);
                (to_real(unit(x), out_frac) - want).abs() * (1u64 << out_frac) as f64
            })
            .fold(0.0, f64::max)
    }

    #[test]
    fn softplus_is_within_one_and_a_half_lsb_everywhere() {
        // ½ LSB entry rounding + ½ LSB interpolation rounding + up to ½ LSB of
        // curvature error (g'' ≤ ¼ with knots 1/64 apart).
        let sp = Softplus::new();
        let max = to_real(DELTA_MAX, DELTA_FRAC);
        let err = max_lsb_error(
            -(32 << 10)..(32 << 10),
            IN_FRAC,
            DELTA_FRAC,
            |x| sp.eval(x),
            crate::ssm::float::softplus,
            max,
        );
        assert!(err <= 1.5, "softplus max error {err} LSB");
    }

    #[test]
    fn exp2neg_is_within_one_lsb_and_exact_at_zero() {
        let e = Exp2Neg::new();
        assert_eq!(e.eval(0), 1 << 17);
        let step = 997; // odd stride through y's 26 fractional bits
        let err = max_lsb_error(
            (0..(20i64 << 26)).step_by(step * 1024),
            Exp2Neg::Y_FRAC,
            Exp2Neg::OUT_FRAC,
            |y| e.eval(y),
            |y| (-y).exp2(),
            1.0,
        );
        assert!(err <= 1.0, "exp2neg max error {err} LSB");
    }

    #[test]
    fn silu_is_within_one_lsb_everywhere() {
        let s = Silu::new();
        let err = max_lsb_error(
            -(32 << 10)..(32 << 10),
            IN_FRAC,
            Silu::OUT_FRAC,
            |z| s.eval(z),
            crate::ssm::float::silu,
            f64::INFINITY,
        );
        assert!(err <= 1.0, "silu max error {err} LSB");
    }
}
