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

/// The default array: 8×8. Budget on an LFE5U-85F (to be confirmed by
/// synthesis, which decides the final size): one 16×16 multiplier per PE
/// would take 64 of the 156 MULT18X18D blocks (an int8 × int8 product fits one
/// 9×9 half, so packing could halve that); each PE holds ~70 flip-flops
/// (2 weights, the activation, the int32 sum, the preload word), so ~4.5 k
/// FFs plus ~100 LUT4s of adders and muxes per PE: ≈ 7–10 k LUT4s of 83,640.
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
}
