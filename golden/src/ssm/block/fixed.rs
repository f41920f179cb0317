//! The bit-accurate Mamba block: the exact integer function the SSM
//! accelerator computes for one block (GEMM mode for the four projections,
//! scan mode for the selective scan, and the norm/conv/requantization units
//! around them). This is the RTL's specification.
//!
//! Real numbers enter only at setup: [`FixedMambaBlock::new`] quantizes the
//! weights and computes every scale factor (as integer multipliers) from the
//! weights alone, and [`FixedMambaBlock::quantize_input`] rounds the input to
//! Q16.16. From there on everything is integer arithmetic, and the output is
//! converted back to f64 only for comparison. No calibration data is used:
//! activation scales are found per token at run time (see [`quant`]).
//!
//! | stage              | quantity                        | format                  | bits | how it is formed                                              |
//! |--------------------|---------------------------------|-------------------------|------|---------------------------------------------------------------|
//! | input              | x (residual stream)             | Q16.16                  | 32   | quantized input (round to nearest, saturate)                   |
//! | RMSNorm            | x̂ = x/√(Σx² + d·ε)               | int8 · 2^exp per token  | 8    | [`rmsnorm`]: Σx² exact, 1/√ table (256×18 b), x·r, quantizer   |
//! | in_proj (GEMM)     | weights ·diag(g)·√d_model        | int8 · scale per column | 8    | folded and quantized at load                                   |
//! |                    | accumulators                    | int32                   | 32   | [`gemm_i8`], wrapping (cannot overflow for k ≤ 131071)         |
//! |                    | x half, z half                  | Q6.10                   | 16   | requantize: Q0.31 multiplier, shift, round half up, saturate   |
//! | conv1d + SiLU      | u                               | Q6.10                   | 16   | [`conv`]: Q4.12 taps, Q6.10 bias, exact sum, SiLU unit          |
//! | x_proj (GEMM)      | u                               | int8 · 2^exp per token  | 8    | per-token quantizer                                            |
//! |                    | dt_low                          | Q16.16                  | 32   | requantize                                                     |
//! |                    | B, C                            | Q6.10                   | 16   | requantize                                                     |
//! | dt_proj (GEMM)     | dt_low                          | int8 · 2^exp per token  | 8    | per-token quantizer                                            |
//! |                    | delta (bias not yet added)      | Q6.10                   | 16   | requantize                                                     |
//! | scan               | delta_bias = dt_proj.bias, D    | Q6.10                   | 16   | quantized at load                                              |
//! |                    | a2 = exp(A_log)·log2 e (= −A·log2 e) | UQ6.10             | 16   | quantized at load                                              |
//! |                    | y                               | Q16.16                  | 32   | [`selective_scan_fixed`] (its own table), z gate included      |
//! | out_proj (GEMM)    | y                               | int8 · 2^exp per token  | 8    | per-token quantizer                                            |
//! |                    | mixer output m                  | Q16.16                  | 32   | requantize                                                     |
//! | residual           | out = x + m                     | Q16.16                  | 32   | exact sum, saturate                                            |
//!
//! Rounding inside is "add half an LSB, shift right" (ties toward +∞)
//! everywhere; the int8 quantizers and requantizers saturate (int8 to
//! [−127, 127]). Values are quantized from real numbers by round to nearest.

use super::columns;
use super::conv::FixedConv1d;
use super::float::NORM_EPS;
use super::linear::QLinear;
use super::quant::{ActI8, QFormat};
use super::rmsnorm::{eps_term, rms_norm_row, RsqrtUnit};
use super::weights::{MambaBlockConfig, MambaBlockWeights};
#[cfg(doc)]
use super::{conv, gemm::gemm_i8, quant, rmsnorm};
use crate::ssm::fixed::qformat::{quantize, quantize_unsigned, saturate, to_real};
use crate::ssm::fixed::scan::{
    selective_scan_fixed, FixedScanInputs, ScanUnits, IN_BITS, IN_FRAC, OUT_BITS, OUT_FRAC,
};
use crate::Matrix;
use std::f64::consts::LOG2_E;

/// Fractional bits and width of the residual stream (block input, mixer
/// output, block output): Q16.16, the scan's output format.
pub const X_FRAC: u32 = 16;
pub const X_BITS: u32 = 32;

/// Q6.10: the scan's input format (u, z, delta, B, C).
const SCAN_IN: QFormat = QFormat {
    frac: IN_FRAC,
    bits: IN_BITS,
};
/// Q16.16: wide activations (dt_low, mixer output).
const WIDE: QFormat = QFormat {
    frac: X_FRAC,
    bits: X_BITS,
};

/// A Mamba block's weights as the accelerator holds them, plus the units.
#[derive(Debug, Clone)]
pub struct FixedMambaBlock {
    pub config: MambaBlockConfig,
    /// E = round(d_model·ε·2^32), RMSNorm's ε in Σx²'s units.
    pub eps_term: u128,
    pub rsqrt: RsqrtUnit,
    /// 2·d_inner outputs: x half then z half, both Q6.10. RMSNorm's weight
    /// and √d_model are folded in.
    pub in_proj: QLinear,
    pub conv: FixedConv1d,
    /// dt_rank + 2N outputs: dt_low Q16.16, B Q6.10, C Q6.10.
    pub x_proj: QLinear,
    /// d_inner outputs: delta Q6.10.
    pub dt_proj: QLinear,
    /// d_model outputs: mixer Q16.16.
    pub out_proj: QLinear,
    /// d_inner × N, UQ6.10.
    pub a2: Vec<i64>,
    /// D, d_inner values, Q6.10.
    pub skip: Vec<i64>,
    /// dt_proj bias, d_inner values, Q6.10.
    pub delta_bias: Vec<i64>,
    pub units: ScanUnits,
}

/// Every intermediate of one run, row-major with L rows: what the RTL is
/// compared against stage by stage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FixedBlockTrace {
    pub l: usize,
    pub d_model: usize,
    /// L×d_model input, Q16.16.
    pub x: Vec<i64>,
    /// L×d_model normalized input, in_proj's A operand.
    pub norm: ActI8,
    /// L×2·d_inner.
    pub in_proj_acc: Vec<i32>,
    /// L×2·d_inner, Q6.10: x half then z half.
    pub xz: Vec<i64>,
    /// L×d_inner: u (= `scan.u`) quantized, x_proj's A operand.
    pub u_act: ActI8,
    /// L×(dt_rank + 2N).
    pub x_proj_acc: Vec<i32>,
    /// L×(dt_rank + 2N): dt_low Q16.16, B Q6.10, C Q6.10.
    pub x_dbl: Vec<i64>,
    /// L×dt_rank: dt_low quantized, dt_proj's A operand.
    pub dt_act: ActI8,
    /// L×d_inner.
    pub dt_proj_acc: Vec<i32>,
    /// The scan's inputs (u, delta, z, B, C in Q6.10; a2, D, delta_bias).
    pub scan: FixedScanInputs,
    /// L×d_inner scan output, Q16.16.
    pub y: Vec<i64>,
    /// L×d_inner: y quantized, out_proj's A operand.
    pub y_act: ActI8,
    /// L×d_model.
    pub out_proj_acc: Vec<i32>,
    /// L×d_model mixer output (before the residual), Q16.16.
    pub mixer: Vec<i64>,
    /// L×d_model block output, Q16.16.
    pub output: Vec<i64>,
}

impl FixedBlockTrace {
    /// The block output in real units (L×d_model).
    pub fn output_real(&self) -> Matrix {
        self.real(&self.output)
    }

    /// The mixer output (before the residual) in real units (L×d_model).
    pub fn mixer_real(&self) -> Matrix {
        self.real(&self.mixer)
    }

    fn real(&self, v: &[i64]) -> Matrix {
        Matrix::from_vec(
            self.l,
            self.d_model,
            v.iter().map(|&x| to_real(x, X_FRAC)).collect(),
        )
    }
}

impl FixedMambaBlock {
    /// Quantizes the weights and computes all scale factors (load time).
    pub fn new(w: &MambaBlockWeights) -> Self {
        let c = w.config;
        let (di, n) = (c.d_inner(), c.d_state);
        let fold = (c.d_model as f64).sqrt();
        let in_proj = Matrix::from_fn(2 * di, c.d_model, |j, i| {
            w.in_proj.get(j, i) * w.norm_weight[i] * fold
        });
        let mut x_proj_formats = vec![WIDE; c.dt_rank];
        x_proj_formats.extend([SCAN_IN].repeat(2 * n));
        let q = |v: &[f64]| v.iter().map(|&x| quantize(x, IN_FRAC, IN_BITS)).collect();
        FixedMambaBlock {
            config: c,
            eps_term: eps_term(c.d_model, NORM_EPS),
            rsqrt: RsqrtUnit::new(),
            in_proj: QLinear::new(&in_proj, vec![SCAN_IN; 2 * di]),
            conv: FixedConv1d::quantize(&w.conv_weight, &w.conv_bias),
            x_proj: QLinear::new(&w.x_proj, x_proj_formats),
            dt_proj: QLinear::new(&w.dt_proj_weight, vec![SCAN_IN; di]),
            out_proj: QLinear::new(&w.out_proj, vec![WIDE; c.d_model]),
            a2: w
                .a_log
                .as_slice()
                .iter()
                .map(|&v| quantize_unsigned(v.exp() * LOG2_E, IN_FRAC, IN_BITS))
                .collect(),
            skip: q(&w.d),
            delta_bias: q(&w.dt_proj_bias),
            units: ScanUnits::default(),
        }
    }

    /// The block input x (L×d_model) in Q16.16, rounded to nearest and
    /// saturated.
    pub fn quantize_input(x: &Matrix) -> Vec<i64> {
        x.as_slice()
            .iter()
            .map(|&v| quantize(v, X_FRAC, X_BITS))
            .collect()
    }

    /// Runs the block on x (L×d_model, Q16.16, row-major), keeping every
    /// intermediate.
    pub fn trace(&self, x: &[i64]) -> FixedBlockTrace {
        let c = self.config;
        let (dm, di, n, r) = (c.d_model, c.d_inner(), c.d_state, c.dt_rank);
        assert_eq!(x.len() % dm, 0, "input is not L×d_model");
        let l = x.len() / dm;

        let mut norm = ActI8 {
            rows: l,
            cols: dm,
            q: Vec::with_capacity(x.len()),
            exp: Vec::with_capacity(l),
        };
        for row in x.chunks_exact(dm) {
            let exp = rms_norm_row(row, self.eps_term, &self.rsqrt, &mut norm.q);
            norm.exp.push(exp);
        }
        let in_proj_acc = self.in_proj.accumulate(&norm);
        let xz = self.in_proj.requantize(&in_proj_acc, &norm);

        let u = self
            .conv
            .forward_silu(&columns(&xz, 2 * di, 0, di), &self.units.silu);
        let u_act = ActI8::from_rows(&u, di, IN_FRAC as i32);
        let x_proj_acc = self.x_proj.accumulate(&u_act);
        let x_dbl = self.x_proj.requantize(&x_proj_acc, &u_act);
        let width = r + 2 * n;

        let dt_act = ActI8::from_rows(&columns(&x_dbl, width, 0, r), r, X_FRAC as i32);
        let dt_proj_acc = self.dt_proj.accumulate(&dt_act);
        let delta = self.dt_proj.requantize(&dt_proj_acc, &dt_act);

        let scan = FixedScanInputs {
            l,
            d: di,
            n,
            u,
            delta,
            a2: self.a2.clone(),
            b: columns(&x_dbl, width, r, n),
            c: columns(&x_dbl, width, r + n, n),
            skip: self.skip.clone(),
            z: Some(columns(&xz, 2 * di, di, di)),
            delta_bias: self.delta_bias.clone(),
            delta_softplus: true,
        };
        let y = selective_scan_fixed(&scan, &self.units);
        debug_assert_eq!((OUT_FRAC, OUT_BITS), (X_FRAC, X_BITS));

        let y_act = ActI8::from_rows(&y, di, OUT_FRAC as i32);
        let out_proj_acc = self.out_proj.accumulate(&y_act);
        let mixer = self.out_proj.requantize(&out_proj_acc, &y_act);
        let output = x
            .iter()
            .zip(&mixer)
            .map(|(&a, &b)| saturate(a + b, X_BITS))
            .collect();
        FixedBlockTrace {
            l,
            d_model: dm,
            x: x.to_vec(),
            norm,
            in_proj_acc,
            xz,
            u_act,
            x_proj_acc,
            x_dbl,
            dt_act,
            dt_proj_acc,
            scan,
            y,
            y_act,
            out_proj_acc,
            mixer,
            output,
        }
    }

    /// Quantizes x (L×d_model), runs the block and returns its output in
    /// real units (L×d_model).
    pub fn forward(&self, x: &Matrix) -> Matrix {
        self.trace(&Self::quantize_input(x)).output_real()
    }
}

/// One-shot: quantize `w` and `x`, run, return the block output (L×d_model).
pub fn forward(w: &MambaBlockWeights, x: &Matrix) -> Matrix {
    FixedMambaBlock::new(w).forward(x)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ssm::block::workload::block_workload;

    #[test]
    fn trace_shapes_and_stage_consistency() {
        let cfg = MambaBlockConfig::new(32, 2, 8);
        let (w, x) = block_workload(2, cfg, 10);
        let block = FixedMambaBlock::new(&w);
        let t = block.trace(&FixedMambaBlock::quantize_input(&x));
        assert_eq!(t.in_proj_acc.len(), 10 * 128);
        assert_eq!(t.x_dbl.len(), 10 * (2 + 16));
        assert_eq!(t.scan.u.len(), 10 * 64);
        assert_eq!(t.output.len(), 10 * 32);
        for i in 0..t.output.len() {
            assert_eq!(t.output[i], t.x[i] + t.mixer[i]);
        }
        // All int8 operands are symmetric.
        for act in [&t.norm, &t.u_act, &t.dt_act, &t.y_act] {
            assert!(act.q.iter().all(|&v| v != i8::MIN));
        }
        assert_eq!(block.trace(&t.x), t, "deterministic");
    }

    #[test]
    fn zero_input_gives_zero_output_and_huge_input_saturates() {
        let cfg = MambaBlockConfig::new(16, 2, 4);
        let (w, _) = block_workload(3, cfg, 1);
        let block = FixedMambaBlock::new(&w);
        // z = 0 gates the scan output to exactly 0 (silu(0) = 0).
        let t = block.trace(&[0; 5 * 16]);
        assert!(t.output.iter().all(|&v| v == 0));
        // ±1e6 saturates Q16.16 at the input; nothing overflows inside.
        let x = Matrix::from_fn(5, 16, |t, c| if (t + c) % 3 == 0 { 1e6 } else { -1e6 });
        let t = block.trace(&FixedMambaBlock::quantize_input(&x));
        assert!(t
            .x
            .iter()
            .all(|&v| v == i32::MAX as i64 || v == i32::MIN as i64));
        assert!(t.output.iter().all(|&v| saturate(v, X_BITS) == v));
    }
}
