//! The array configuration and the closed-form performance model of its
//! GEMM schedule (Gemmini's config struct, in miniature).

use super::accum::ACCUM_READ_TO_WRITE;
use super::scan_core::job_tail;
use super::scan_pe::SLOTS;
use crate::common::dsp::DSP_LATENCY;

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
/// PE has one int8 × int8 product on one MULT18X18D between registers
/// ([`crate::common::dsp::DspProduct`]: operand registers in the fabric,
/// the product register inside the MULT18X18D, the product's copy in the
/// fabric: 32 FFs) and ~70 flip-flops more (two weights, the activation,
/// the int32 sum, the preload word, the valid bits beside the product); the
/// skew/de-skew triangles add R(R−1)/2·8 + C(C−1)/2·(8 + 32) FFs, the
/// accumulator's read-data and sum registers 2·C·32. Yosys 0.23
/// `synth_ecp5` of `GemmCore<8, 8>` (its ECP5 form, `SPIKESCAN_ECP5`
/// defined): 1,525 LUT4 + 1,266 CCU2C + 8,971 TRELLIS_FF + 65 MULT18X18D
/// (64 PEs + the MAC counter's). Placed and routed (`spikescan synth ssm
/// --target ecp5-85k --design gemm-core`, nextpnr 0.11.1 out of context,
/// 100 MHz asked): 4,407 TRELLIS_COMB, 8,971 TRELLIS_FF, 65 MULT18X18D;
/// Fmax 115.50 MHz, the critical path in the accumulator's k0 counter.
/// Inside its host system, with the buffers in block RAM, 113.62 MHz
/// ([`super::gemm_system`]).
/// Before the registered multipliers and the sequencer's registered
/// compares it was 47.74 MHz (the sequencer's `k_left` compare chain into the
/// 48-bit performance counter). So the multipliers bind first: 12×12 (145 DSPs) is the
/// largest square array with one DSP per PE; 16×16 needs two int8 products
/// per MULT18X18D or LUT multipliers. The final size waits for the scan-mode
/// PE, which multiplies several times per cycle.
pub const DEFAULT_ARRAY: GemmConfig = GemmConfig { rows: 8, cols: 8 };

/// The default scan-mode array: 4×4 ([`super::ScanCore`]`<4, 4>`), four
/// channel slots per PE ([`SLOTS`]), one recurrence step per PE per cycle,
/// every stage sized for 100 MHz on the LFE5U-85F.
///
/// Budget on the LFE5U-85F (83,640 LUT4, 83,640 FF, 156 MULT18X18D, 208
/// DP16KD). A PE has 7 MULT18X18D (Δ·a2 1, Δu·B 2, dA·h 2, C·h 2; the
/// exp2neg lerp is shift-and-add), a row head 2 (Δ·u, D·u) and a row end 2
/// (y·silu): 16·7 + 4·4 = 128, plus the sequencer's R·C for the busy
/// counter. An 8×8 array would need 480, so the array grows in channel
/// slots, not PEs. Block RAM: an exp2neg ROM per PE (256×36, one DP16KD),
/// per row a softplus (769×36, 2) and a SiLU ROM (1025×36, 3): 16 + 4·5 =
/// 36 DP16KD. The pipelines cost flip-flops rather than LUTs.
///
/// Placed and routed inside the scan system (see [`super::scan_system`]):
/// Fmax 104.00 MHz, the critical path a PE's exp2neg shift (its
/// interpolation shifted by the whole part, 9.61 ns). Every product's
/// operand and product registers are the MULT18X18D's own there
/// ([`crate::common::dsp`]); with them in the fabric the placer had routed
/// a C·h product 5.14 ns across the die to its register (91.03 MHz). Out of
/// context on their own, before the multipliers got their registers: the
/// PE 130 MHz, the row head 133, the row end 124, the sequencer 115.
///
/// Default workload L=256, D=128, N=16: 32 folds of 256 tokens × 4 slots,
/// 32,839 cycles, 99.79 % PE utilization ([`ScanArray::cycles`]); in the
/// host system's chunks of 64 tokens (the state saved to block RAM between
/// chunks), 4 jobs of 8,263 cycles, 99.14 % ([`ScanArray::chunked_cycles`]).
pub const DEFAULT_SCAN_ARRAY: ScanArray = ScanArray { rows: 4, cols: 4 };

/// The shape of the scan-mode array and the closed form of its schedule
/// (see [`super::scan_core`] and [`super::scan_sequencer`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ScanArray {
    /// R: PE rows; a fold covers K·R channels (K = [`SLOTS`] per PE).
    pub rows: usize,
    /// C: PE columns = states n per fold.
    pub cols: usize,
}

impl ScanArray {
    pub const fn new(rows: usize, cols: usize) -> Self {
        Self { rows, cols }
    }

    /// Channels per fold: K·R.
    pub fn fold_channels(&self) -> usize {
        SLOTS * self.rows
    }

    /// Folds F = ⌈D/(K·R)⌉·⌈N/C⌉.
    pub fn folds(&self, d: usize, n: usize) -> u64 {
        (d.div_ceil(self.fold_channels()) * n.div_ceil(self.cols)) as u64
    }

    /// Fold period P = K·max(L, R + 1): K·L token slots, but at least
    /// K(R + 1) so that a fold's final states drain out of each column
    /// before the next fold's replace them.
    pub fn fold_period(&self, l: usize) -> u64 {
        (SLOTS * l.max(self.rows + 1)) as u64
    }

    /// Cycles of a scan of L steps, D channels, N states without stalls,
    /// from the cycle after `go` through the last write:
    /// `KR + (F − 1)·P + K·L + job_tail(R, C)` (the preload of the first
    /// fold, the fold periods, the last fold's tokens, then its state drain
    /// or its last y).
    pub fn cycles(&self, l: usize, d: usize, n: usize) -> u64 {
        let kr = self.fold_channels() as u64;
        let tail = job_tail(self.rows, self.cols) as u64;
        kr + (self.folds(d, n) - 1) * self.fold_period(l) + (SLOTS * l) as u64 + tail
    }

    /// Empty token slots of a job: the F − 1 fold periods' slots past their
    /// K·L tokens.
    pub fn bubble_cycles(&self, l: usize, d: usize, n: usize) -> u64 {
        (self.folds(d, n) - 1) * (self.fold_period(l) - (SLOTS * l) as u64)
    }

    /// Core cycles of a sequence of L steps run in chunks of `lc` steps (the
    /// last chunk takes the remainder), each chunk one job resuming from the
    /// state the previous one saved: the sum of [`Self::cycles`] over the
    /// chunks (the host's time between jobs not counted).
    pub fn chunked_cycles(&self, l: usize, d: usize, n: usize, lc: usize) -> u64 {
        assert!(lc > 0, "chunks of at least one step");
        (0..l)
            .step_by(lc)
            .map(|t0| self.cycles(lc.min(l - t0), d, n))
            .sum()
    }

    /// Useful PE steps: L·D·N (one per state element per time step).
    pub fn useful_steps(l: usize, d: usize, n: usize) -> u64 {
        (l * d * n) as u64
    }

    /// busy PE-cycles / (R·C·cycles).
    pub fn utilization(&self, busy: u64, cycles: u64) -> f64 {
        busy as f64 / (self.rows as f64 * self.cols as f64 * cycles as f64)
    }

    /// The utilization the closed form predicts.
    pub fn predicted_utilization(&self, l: usize, d: usize, n: usize) -> f64 {
        self.utilization(Self::useful_steps(l, d, n), self.cycles(l, d, n))
    }
}

/// The largest M, K or N the sequencer's 16-bit registers take.
pub const MAX_DIM: usize = 32767;

/// The GEMM core's pipeline cycles beyond the weight-stationary fold count:
/// one of scratchpad read latency, [`DSP_LATENCY`] of the PEs' registered
/// multipliers, one for the bottom PE's output register to reach the
/// de-skewed row, [`ACCUM_READ_TO_WRITE`] − 1 = 2 for the accumulator's
/// read-modify-write (the sum registered, then written).
pub const GEMM_PIPELINE: u64 = 2 + DSP_LATENCY as u64 + ACCUM_READ_TO_WRITE as u64 - 1;

/// The shortest fold period of the GEMM core on R rows: max(R, 4). R
/// slots load the next fold's weights; the 4 is the accumulator's: it reads
/// a row [`ACCUM_READ_TO_WRITE`] = 3 cycles before it writes it back (see
/// [`super::accum`]), so consecutive folds must visit each row at least
/// four cycles apart. It binds only on arrays of two or three rows.
pub const fn gemm_min_period(rows: usize) -> usize {
    let accum = ACCUM_READ_TO_WRITE + 1;
    if rows > accum {
        rows
    } else {
        accum
    }
}

impl GemmConfig {
    pub const fn new(rows: usize, cols: usize) -> Self {
        Self { rows, cols }
    }

    /// Number of folds F = ⌈K/R⌉·⌈N/C⌉.
    pub fn folds(&self, k: usize, n: usize) -> u64 {
        (k.div_ceil(self.rows) * n.div_ceil(self.cols)) as u64
    }

    /// Issue period of a fold followed by another: P = max(M, R, 4)
    /// ([`gemm_min_period`]).
    pub fn fold_period(&self, m: usize) -> u64 {
        m.max(gemm_min_period(self.rows)) as u64
    }

    /// Cycles of an M×K·K×N GEMM without stalls, from the cycle after `go`
    /// through the last accumulator write:
    /// `(2R + C + M − 2) + (F − 1)·max(M, R, 4) + 7` (the 7 is
    /// [`GEMM_PIPELINE`]). See [`super::sequencer`] for the derivation.
    pub fn cycles(&self, m: usize, k: usize, n: usize) -> u64 {
        let (r, c, m) = (self.rows as u64, self.cols as u64, m as u64);
        let f = self.folds(k, n);
        (2 * r + c + m - 2) + (f - 1) * self.fold_period(m as usize) + GEMM_PIPELINE
    }

    /// The same GEMM without double buffering (each fold preloads, streams
    /// and drains on its own: F·(2R + C + M − 2), plus the 7-cycle
    /// [`GEMM_PIPELINE`] once), for comparison with the naive schedule
    /// DESIGN.md cites.
    pub fn unbuffered_cycles(&self, m: usize, k: usize, n: usize) -> u64 {
        let (r, c, m) = (self.rows as u64, self.cols as u64, m as u64);
        self.folds(k, n) * (2 * r + c + m - 2) + GEMM_PIPELINE
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
        // 2R + C + T − 2 = 16 + 8 + 32 − 2 = 54, + 7 (read, three product
        // registers, output register, the registered sum, its write).
        assert_eq!(GEMM_PIPELINE, 7);
        assert_eq!(g.cycles(32, 8, 8), 61);
        assert_eq!(g.folds(8, 8), 1);
        // Edge tiles count as whole folds.
        assert_eq!(g.folds(9, 17), 2 * 3);
        // A weight-load-bound schedule: M < R, period R.
        assert_eq!(g.cycles(3, 16, 8), (16 + 8 + 3 - 2) + 8 + 7);
        assert_eq!(g.bubble_cycles(3, 16, 8), 5);
        // Two or three rows: periods of at least 4 (the accumulator's
        // read-to-write distance, plus one).
        assert_eq!(gemm_min_period(2), 4);
        assert_eq!(gemm_min_period(3), 4);
        assert_eq!(gemm_min_period(8), 8);
        let two = GemmConfig::new(2, 3);
        assert_eq!(two.fold_period(1), 4);
        assert_eq!(two.fold_period(5), 5);
        assert_eq!(two.cycles(1, 4, 3), (4 + 3 + 1 - 2) + 4 + 7);
    }

    #[test]
    fn scan_cycles_in_one_job_and_in_chunks() {
        let a = ScanArray::new(4, 4);
        // Default workload: 32 folds of 16 channels × 4 states, each 4·256
        // token slots; KR + job_tail = 16 + 55 = 71 cycles more (the tail
        // is the state drain: drain_start + C + KR = 35 + 4 + 16).
        assert_eq!(job_tail(4, 4), 55);
        assert_eq!(a.folds(128, 16), 32);
        assert_eq!(a.cycles(256, 128, 16), 71 + 1024 + 31 * 1024);
        // Four chunks of 64: four jobs of 71 + 256 + 31·256 = 8,263 cycles.
        assert_eq!(a.chunked_cycles(256, 128, 16, 64), 4 * 8263);
        assert!(a.predicted_utilization(256, 128, 16) > 0.997);
        // Short jobs wait K(R + 1) = 20 slots per fold for the state drain.
        assert_eq!(a.fold_period(2), 20);
        assert_eq!(a.bubble_cycles(2, 32, 4), 12);
        assert_eq!(a.cycles(2, 32, 4), 71 + 20 + 8);
        // A remainder chunk: 10 = 4 + 4 + 2.
        assert_eq!(
            a.chunked_cycles(10, 8, 4, 4),
            2 * a.cycles(4, 8, 4) + a.cycles(2, 8, 4)
        );
        assert_eq!(a.chunked_cycles(10, 8, 4, 10), a.cycles(10, 8, 4));
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
