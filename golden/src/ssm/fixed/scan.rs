//! The bit-accurate selective scan: the exact integer function the SSM
//! accelerator's scan mode computes. This is the RTL's specification.
//!
//! | quantity                 | format          | bits | how it is formed                                   |
//! |--------------------------|-----------------|------|----------------------------------------------------|
//! | u, z, delta, delta_bias  | Q6.10           | 16   | quantized input (round to nearest, saturate)       |
//! | B, C, D                  | Q6.10           | 16   | quantized input                                    |
//! | a2 = −A·log2(e)          | UQ6.10          | 16   | quantized input (A ≤ 0 folded with log2 e)         |
//! | x = delta + delta_bias   | Q7.10           | 17   | exact sum                                          |
//! | Δ                        | UQ2.16          | 18   | softplus unit, or clamp(x, 0, max) if softplus off |
//! | y_exp = Δ·a2             | UQ8.26          | 34   | exact product                                      |
//! | dA                       | UQ1.17          | 18   | exp2neg unit                                       |
//! | Δu = Δ·u                 | Q8.20           | 28   | exact product Q8.26, round 6 bits                  |
//! | dBu = Δu·B               | Q14.20          | 34   | exact product Q14.30, round 10 bits                |
//! | h (state)                | Q12.20          | 32   | round(dA·h, 17 bits) + dBu, saturate to 32 bits    |
//! | C·h                      | Q18.30          | 48   | exact product                                      |
//! | y accumulator            | Q?.30           | ≥ 56 | exact sum of C·h over n plus D·u << 10             |
//! | y_pre                    | Q16.16          | 32   | round 14 bits, saturate                            |
//! | silu(z)                  | Q6.12           | 18   | silu unit                                          |
//! | y                        | Q16.16          | 32   | round(y_pre · silu(z), 12 bits), saturate          |
//!
//! Rounding is "add half an LSB, shift right" (ties toward +∞) everywhere
//! inside; inputs are rounded to nearest when quantized from real values.
//! The y accumulator never saturates, so the order in which the hardware
//! folds the sum over n does not change a bit.

use super::qformat::{quantize, quantize_unsigned, round_shift, saturate, to_real};
use super::units::{Exp2Neg, Silu, Softplus};
use crate::ssm::ScanInputs;
use crate::Matrix;
use std::f64::consts::LOG2_E;

/// Fractional bits of u, z, delta, delta_bias, B, C, D and a2.
pub const IN_FRAC: u32 = 10;
/// Width of those inputs.
pub const IN_BITS: u32 = 16;
/// Fractional bits of Δ (UQ2.16).
pub const DELTA_FRAC: u32 = 16;
/// Largest Δ: 4 − 2^−16 (UQ2.16 all ones).
pub const DELTA_MAX: i64 = (1 << 18) - 1;
/// Fractional bits of Δu.
pub const DELTA_U_FRAC: u32 = 20;
/// Fractional bits and width of the state h (Q12.20).
pub const STATE_FRAC: u32 = 20;
pub const STATE_BITS: u32 = 32;
/// Fractional bits and width of y (Q16.16).
pub const OUT_FRAC: u32 = 16;
pub const OUT_BITS: u32 = 32;

/// The scan's inputs as the fixed-point words the hardware is loaded with.
/// Row-major like [`Matrix`]; formats as in the module table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FixedScanInputs {
    pub l: usize,
    pub d: usize,
    pub n: usize,
    /// L×D, Q6.10.
    pub u: Vec<i64>,
    /// L×D, Q6.10.
    pub delta: Vec<i64>,
    /// D×N, UQ6.10: −A·log2(e).
    pub a2: Vec<i64>,
    /// L×N, Q6.10.
    pub b: Vec<i64>,
    /// L×N, Q6.10.
    pub c: Vec<i64>,
    /// D, Q6.10.
    pub skip: Vec<i64>,
    /// L×D, Q6.10, when the output is gated.
    pub z: Option<Vec<i64>>,
    /// D, Q6.10 (zeros when absent).
    pub delta_bias: Vec<i64>,
    pub delta_softplus: bool,
}

impl FixedScanInputs {
    /// The `len` time steps from `t0` on (rows of u, delta, z, B, C), with
    /// the per-channel and per-state inputs unchanged: one chunk of a
    /// chunked run.
    pub fn steps(&self, t0: usize, len: usize) -> Self {
        assert!(t0 + len <= self.l, "steps {t0}..{} of {}", t0 + len, self.l);
        let rows = |m: &[i64], w: usize| m[t0 * w..(t0 + len) * w].to_vec();
        FixedScanInputs {
            l: len,
            u: rows(&self.u, self.d),
            delta: rows(&self.delta, self.d),
            b: rows(&self.b, self.n),
            c: rows(&self.c, self.n),
            z: self.z.as_ref().map(|z| rows(z, self.d)),
            ..self.clone()
        }
    }

    /// Quantizes real inputs (round to nearest, saturate to the formats).
    pub fn quantize(x: &ScanInputs) -> Self {
        let (l, d, n) = x.dims();
        let q = |m: &[f64]| m.iter().map(|&v| quantize(v, IN_FRAC, IN_BITS)).collect();
        FixedScanInputs {
            l,
            d,
            n,
            u: q(x.u.as_slice()),
            delta: q(x.delta.as_slice()),
            a2: x
                .a
                .as_slice()
                .iter()
                .map(|&a| quantize_unsigned(-a * LOG2_E, IN_FRAC, IN_BITS))
                .collect(),
            b: q(x.b.as_slice()),
            c: q(x.c.as_slice()),
            skip: q(&x.d),
            z: x.z.as_ref().map(|z| q(z.as_slice())),
            delta_bias: x.delta_bias.as_ref().map_or(vec![0; d], |b| q(b)),
            delta_softplus: x.config.delta_softplus,
        }
    }
}

/// How many values of each real input fall outside its fixed-point format and
/// therefore saturate when quantized: `(file name, count)` for each input
/// with at least one. Saturation is the hardware's defined behaviour; this
/// tells the user it happened.
pub fn saturated_inputs(x: &ScanInputs) -> Vec<(&'static str, usize)> {
    let outside = |values: &[f64], scale: f64, lo: f64, hi: f64| {
        values
            .iter()
            .filter(|&&v| !(lo..=hi).contains(&(v * scale).round()))
            .count()
    };
    let in_range = |values: &[f64]| {
        let max = f64::from((1u32 << (IN_BITS - 1)) - 1);
        outside(values, f64::from(1u32 << IN_FRAC), -max - 1.0, max)
    };
    let a2: Vec<f64> = x.a.as_slice().iter().map(|&a| -a * LOG2_E).collect();
    let mut counts = vec![
        ("u.csv", in_range(x.u.as_slice())),
        ("delta.csv", in_range(x.delta.as_slice())),
        (
            "A.csv",
            outside(
                &a2,
                f64::from(1u32 << IN_FRAC),
                0.0,
                f64::from((1u32 << IN_BITS) - 1),
            ),
        ),
        ("B.csv", in_range(x.b.as_slice())),
        ("C.csv", in_range(x.c.as_slice())),
        ("D.csv", in_range(&x.d)),
    ];
    if let Some(z) = &x.z {
        counts.push(("z.csv", in_range(z.as_slice())));
    }
    if let Some(bias) = &x.delta_bias {
        counts.push(("delta_bias.csv", in_range(bias)));
    }
    counts.retain(|&(_, n)| n > 0);
    counts
}

/// The scan's function units, built once and shared by every step.
#[derive(Debug, Clone, Default)]
pub struct ScanUnits {
    pub softplus: Softplus,
    pub exp2neg: Exp2Neg,
    pub silu: Silu,
}

/// Runs the bit-accurate scan; returns y (L×D, row-major) in Q16.16.
pub fn selective_scan_fixed(x: &FixedScanInputs, units: &ScanUnits) -> Vec<i64> {
    let mut h = vec![0i64; x.d * x.n];
    selective_scan_fixed_resume(x, units, &mut h)
}

/// The bit-accurate scan continued from the state `h` (D×N row-major,
/// Q12.20 words in the 32-bit range) instead of h = 0; `h` is left holding
/// the state after the last of the L steps. Scanning L1 steps and then the
/// next L2 from the state they leave gives bit for bit the y of one scan of
/// L1 + L2 steps (the hardware's chunked runs rely on it).
pub fn selective_scan_fixed_resume(
    x: &FixedScanInputs,
    units: &ScanUnits,
    h: &mut [i64],
) -> Vec<i64> {
    let (l, d, n) = (x.l, x.d, x.n);
    assert_eq!(h.len(), d * n, "state must be D×N");
    let mut y = vec![0i64; l * d];
    for t in 0..l {
        for ch in 0..d {
            let i = t * d + ch;
            let delta = step_size(x.delta[i] + x.delta_bias[ch], x.delta_softplus, units);
            let u = x.u[i];
            let delta_u = round_shift(delta * u, DELTA_FRAC + IN_FRAC - DELTA_U_FRAC);
            let mut acc = 0i64; // Q.30
            for s in 0..n {
                let da = units.exp2neg.eval(delta * x.a2[ch * n + s]);
                let dbu = round_shift(delta_u * x.b[t * n + s], IN_FRAC);
                let state = &mut h[ch * n + s];
                *state = saturate(
                    round_shift(da * *state, Exp2Neg::OUT_FRAC) + dbu,
                    STATE_BITS,
                );
                acc += x.c[t * n + s] * *state;
            }
            acc += (x.skip[ch] * u) << (STATE_FRAC + IN_FRAC - 2 * IN_FRAC);
            let y_pre = saturate(round_shift(acc, IN_FRAC + STATE_FRAC - OUT_FRAC), OUT_BITS);
            y[i] = match &x.z {
                Some(z) => saturate(
                    round_shift(y_pre * units.silu.eval(z[i]), Silu::OUT_FRAC),
                    OUT_BITS,
                ),
                None => y_pre,
            };
        }
    }
    y
}

/// Δ in UQ2.16 from x = delta + delta_bias in Q7.10.
fn step_size(x: i64, softplus: bool, units: &ScanUnits) -> i64 {
    if softplus {
        units.softplus.eval(x)
    } else {
        (x << (DELTA_FRAC - IN_FRAC)).clamp(0, DELTA_MAX)
    }
}

/// Quantizes, scans and converts y back to real units (L×D).
pub fn selective_scan(x: &ScanInputs) -> Matrix {
    let fixed = FixedScanInputs::quantize(x);
    let y = selective_scan_fixed(&fixed, &ScanUnits::default());
    Matrix::from_vec(
        fixed.l,
        fixed.d,
        y.iter().map(|&v| to_real(v, OUT_FRAC)).collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ssm::workload::scan_workload;

    fn inputs(seed: u64, l: usize, d: usize, n: usize) -> FixedScanInputs {
        FixedScanInputs::quantize(&scan_workload(seed, l, d, n))
    }

    #[test]
    fn chunks_with_the_state_carried_equal_one_scan() {
        let units = ScanUnits::default();
        let x = inputs(3, 23, 5, 3);
        let whole = selective_scan_fixed(&x, &units);
        for lc in [1, 4, 7, 23] {
            let mut h = vec![0; x.d * x.n];
            let mut y = Vec::new();
            for t0 in (0..x.l).step_by(lc) {
                let len = lc.min(x.l - t0);
                y.extend(selective_scan_fixed_resume(
                    &x.steps(t0, len),
                    &units,
                    &mut h,
                ));
            }
            assert_eq!(y, whole, "chunks of {lc}");
        }
    }

    #[test]
    fn a_one_lsb_error_in_the_carried_state_shows_in_the_final_state() {
        let units = ScanUnits::default();
        let x = inputs(4, 12, 4, 4);
        let mut want = vec![0; x.d * x.n];
        let whole = selective_scan_fixed_resume(&x, &units, &mut want);
        let mut h = vec![0; x.d * x.n];
        let mut y = selective_scan_fixed_resume(&x.steps(0, 6), &units, &mut h);
        h[5] += 1;
        y.extend(selective_scan_fixed_resume(&x.steps(6, 6), &units, &mut h));
        assert_eq!(y[..6 * x.d], whole[..6 * x.d]);
        // y rounds 14 bits of C·h away, so the state itself is compared.
        assert_ne!(h, want, "a one-LSB state error survives to the final state");
    }

    #[test]
    fn resuming_from_zero_is_the_plain_scan_and_returns_its_state() {
        let units = ScanUnits::default();
        let x = inputs(5, 9, 3, 2);
        let mut h = vec![0; 6];
        assert_eq!(
            selective_scan_fixed_resume(&x, &units, &mut h),
            selective_scan_fixed(&x, &units)
        );
        assert!(h.iter().any(|&v| v != 0));
        assert!(h.iter().all(|&v| (-(1 << 31)..1 << 31).contains(&v)));
    }
}
