//! The array configuration and the closed-form performance model of its
//! GEMM schedule (Gemmini's config struct, in miniature).

/// The shape of the PE array. The hardware is generic over `R` and `C`
/// (const generics of [`super::GemmCore`]); this is the same shape as a value,
/// with the schedule's cycle model.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct GemmConfig {
    /// R: PE rows = the reduction (K) tile.
    pub rows: usize,
    /// C: PE columns = the output-column (N) tile.
    pub cols: usize,
}

/// The default array: 8×8.
///
/// Budget on the LFE5U-85F (83,640 LUT4, 156 MULT18X18D, 208 DP16KD). Each
/// PE has one 16×16 multiply (rust-hdl's only `*`), i.e. one MULT18X18D, and
/// ~70 flip-flops (two weights, the activation, the int32 sum, the preload
/// word); the skew/de-skew triangles add R(R−1)/2·8 + C(C−1)/2·(8 + 32) FFs.
/// Yosys 0.23 `synth_ecp5` of `GemmCore<8, 8>` (no place-and-route yet):
/// 1,434 LUT4 + 1,276 CCU2C + 6,110 TRELLIS_FF + 65 MULT18X18D (64 PEs + the
/// MAC counter's). So the multipliers bind first: 12×12 (145 DSPs) is the
/// largest square array with one DSP per PE; 16×16 needs two int8 products
/// per MULT18X18D or LUT multipliers. The final size waits for the scan-mode
/// PE, which multiplies several times per cycle.
pub const DEFAULT_ARRAY: GemmConfig = GemmConfig { rows: 8, cols: 8 };

/// The largest M, K or N the sequencer's 16-bit registers take.
pub const MAX_DIM: usize = 32767;

impl GemmConfig {
    pub const fn new(rows: usize, cols: usize) -> Self {
        Self { rows, cols }
    }

    /// Number of folds F = ⌈K/R⌉·⌈N/C⌉.
    pub fn folds(&self, k: usize, n: usize) -> u64 {
        (k.div_ceil(self.rows) * n.div_ceil(self.cols)) as u64
    }

    /// Issue period of a fold followed by another: P = max(M, R).
    pub fn fold_period(&self, m: usize) -> u64 {
        m.max(self.rows) as u64
    }

    /// Cycles of an M×K·K×N GEMM without stalls, from the cycle after `go`
    /// through the last accumulator write:
    /// `(2R + C + M − 2) + (F − 1)·max(M, R) + 3`.
    /// See [`super::sequencer`] for the derivation.
    pub fn cycles(&self, m: usize, k: usize, n: usize) -> u64 {
        let (r, c, m) = (self.rows as u64, self.cols as u64, m as u64);
        let f = self.folds(k, n);
        (2 * r + c + m - 2) + (f - 1) * self.fold_period(m as usize) + 3
    }

    /// The same GEMM without double buffering (each fold preloads, streams
    /// and drains on its own: F·(2R + C + M − 2), plus the 3-cycle interface
    /// pipeline), for comparison with the naive schedule DESIGN.md cites.
    pub fn unbuffered_cycles(&self, m: usize, k: usize, n: usize) -> u64 {
        let (r, c, m) = (self.rows as u64, self.cols as u64, m as u64);
        self.folds(k, n) * (2 * r + c + m - 2) + 3
    }

    /// Empty activation slots: (F − 1)·(P − M), non-zero only when M < R.
    pub fn bubble_cycles(&self, m: usize, k: usize, n: usize) -> u64 {
        (self.folds(k, n) - 1) * (self.fold_period(m) - m as u64)
    }

    /// Useful MACs of the GEMM: M·K·N.
    pub fn useful_macs(m: usize, k: usize, n: usize) -> u64 {
        (m * k * n) as u64
    }

    /// Utilization = useful MACs / (R·C·cycles) for a given cycle count.
    pub fn utilization(&self, macs: u64, cycles: u64) -> f64 {
        macs as f64 / (self.rows as f64 * self.cols as f64 * cycles as f64)
    }

    /// The utilization the closed form predicts (no stalls).
    pub fn predicted_utilization(&self, m: usize, k: usize, n: usize) -> f64 {
        self.utilization(Self::useful_macs(m, k, n), self.cycles(m, k, n))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_fold_is_the_design_md_fold_plus_the_interface_pipeline() {
        let g = GemmConfig::new(8, 8);
        // 2R + C + T − 2 = 16 + 8 + 32 − 2 = 54, + 3.
        assert_eq!(g.cycles(32, 8, 8), 57);
        assert_eq!(g.folds(8, 8), 1);
        // Edge tiles count as whole folds.
        assert_eq!(g.folds(9, 17), 2 * 3);
        // A weight-load-bound schedule: M < R, period R.
        assert_eq!(g.cycles(3, 16, 8), (16 + 8 + 3 - 2) + 8 + 3);
        assert_eq!(g.bubble_cycles(3, 16, 8), 5);
    }

    #[test]
    fn double_buffering_beats_the_naive_schedule_design_md_cites() {
        // DESIGN.md: a naive weight-stationary schedule reaches ~85 % on a
        // 256×256×64 GEMM on 16×16.
        let g = GemmConfig::new(16, 16);
        let macs = GemmConfig::useful_macs(256, 256, 64);
        let naive = g.utilization(macs, g.unbuffered_cycles(256, 256, 64));
        let ours = g.predicted_utilization(256, 256, 64);
        assert!((0.84..0.88).contains(&naive), "{naive}");
        assert!(ours > 0.99, "{ours}");
    }
}
