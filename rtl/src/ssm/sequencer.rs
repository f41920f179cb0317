//! The GEMM sequencer: tiles C = A·B (A: M×K, B: K×N) into folds of the
//! R×C array and issues the scratchpad reads that feed it.
//!
//! # Schedule
//!
//! Folds are visited output-tile-major: for each column tile `n0 = 0, C, 2C…`,
//! for each reduction tile `k0 = 0, R, 2R…`. Fold f holds the weights
//! `B[k0..k0+R][n0..n0+C]` and streams the T = M activation rows
//! `A[m][k0..k0+R]`, m = 0…M−1; the [`super::accum::Accumulator`] adds fold
//! results of the same `n0` together.
//!
//! The issue stream is cut into *periods*, one per fold plus a preload period
//! in front (`F` folds in all); P = max(M, R) here, max(M, R, 4) in the
//! core ([`super::config::gemm_min_period`]: its accumulator needs four
//! cycles between two folds' visits of a row, which binds only when R ≤ 3):
//!
//! ```text
//! period      length                 slots j < M (activations)   last R slots (weights)
//! preload     R                      —                           fold 0 → weight[0]
//! fold f<F−1  P = max(M, R)          rows m = j of fold f, sel   fold f+1 → weight[(f+1)%2]
//! fold F−1    M                      rows m = j of fold F−1      —
//! ```
//!
//! Each slot takes one cycle unless `stall` (the scratchpad is not ready) is
//! asserted, which freezes the issue stream for that cycle; data already in
//! the array keeps moving. The weights of fold f+1 load into the register the
//! streaming fold f is *not* using, "just in time": their last word is
//! captured by PE row R−1 in the cycle before fold f+1's first activation
//! reaches it. They cannot overwrite weights fold f−1 still needs as long as
//! `2P ≥ M + R − 1`, which `P ≥ max(M, R)` guarantees; and one word per
//! column per cycle needs `P ≥ R`. A stall only delays later issues, which
//! only widens both margins, so the schedule stays correct under any stall
//! pattern.
//!
//! # Cycle count (closed form)
//!
//! Counting from the cycle after `go` to the cycle of the last accumulator
//! write, inclusive, with no stalls, F = ⌈K/R⌉·⌈N/C⌉ folds and P = max(M, R, 4):
//!
//! ```text
//! cycles = (2R + C + M − 2) + (F − 1)·P + 7
//! ```
//!
//! `2R + C + T − 2` (T = M) is one weight-stationary fold as DESIGN.md counts
//! it: R cycles of preload, then the last of T skewed rows leaves the last PE
//! `T + R + C − 2` cycles after the first entered. Double buffering hides every
//! later preload, so each further fold costs only its period P. The `+ 7` is
//! the pipeline ([`super::config::GEMM_PIPELINE`]): one cycle of scratchpad
//! read latency, [`DSP_LATENCY`] = 3 for the PEs' registered multipliers
//! (every partial sum leaves its column that much later), one for the
//! bottom PE's output register to reach the de-skewed row, and two for the
//! accumulator's read-modify-write (its sum is registered before the
//! write). Each stall cycle during the issue stream
//! adds exactly one cycle. The `bubble` counter reports the (F − 1)·(P − M)
//! empty activation slots of weight-load-bound schedules (M < max(R, 4)).
//!
//! Dimensions are 16-bit registers; the driver keeps M, K, N ≤ 32767 so that
//! tile offsets plus R or C cannot wrap.

use crate::common::dsp::{DspProduct, DSP_LATENCY};
use rust_hdl::prelude::*;

/// Tiles the GEMM into folds and issues the A (activation) and B (weight)
/// scratchpad reads. Control for the returning data (`act_ctl`, `w_ctl`) is
/// registered so it leaves one cycle after the read request.
///
/// Every read-request output is a register, or one gate (`stall`) from one:
/// the slot state below keeps per-slot flags (does this slot issue an
/// activation, a weight word, the burst's first word; is it the period's
/// last) that are computed one slot ahead, and the per-fold values (is the
/// loading fold the last, its useful rows and columns) are registered from
/// the fold's position in the cycle after it changes, at least one cycle
/// before a period can end (every period is ≥ 2 slots).
#[derive(LogicBlock)]
pub struct Sequencer<const R: usize, const C: usize> {
    pub clock: Signal<In, Clock>,
    /// Start a job (ignored while one is issuing).
    pub go: Signal<In, Bit>,
    pub dim_m: Signal<In, Bits<16>>,
    pub dim_k: Signal<In, Bits<16>>,
    pub dim_n: Signal<In, Bits<16>>,
    /// The scratchpads cannot serve a read this cycle: issue nothing.
    pub stall: Signal<In, Bit>,
    /// A read: row `a_rd_m`, elements `a_rd_k0 .. a_rd_k0 + R` (zero past K).
    pub a_rd_en: Signal<Out, Bit>,
    pub a_rd_m: Signal<Out, Bits<16>>,
    pub a_rd_k0: Signal<Out, Bits<16>>,
    /// B read: row `b_rd_k` (zero past K), elements `b_rd_n0 .. b_rd_n0 + C` (zero past N).
    pub b_rd_en: Signal<Out, Bit>,
    pub b_rd_k: Signal<Out, Bits<16>>,
    pub b_rd_n0: Signal<Out, Bits<16>>,
    /// Control of the activation row requested in the previous cycle: bit 0
    /// valid, bit 1 weight select.
    pub act_ctl: Signal<Out, Bits<2>>,
    /// Control of the weight word requested in the previous cycle: bit 0
    /// valid, bit 1 first, bit 2 buffer.
    pub w_ctl: Signal<Out, Bits<3>>,
    /// The job's dimensions, held for the write-back.
    pub job_m: Signal<Out, Bits<16>>,
    pub job_k: Signal<Out, Bits<16>>,
    pub job_n: Signal<Out, Bits<16>>,
    /// High from the cycle after `go` to the last issue slot.
    pub running: Signal<Out, Bit>,
    /// Counter events, each from a register (the counters' adders take
    /// nothing combinational). `ev_macs`: the useful MACs of the activation
    /// row requested [`DSP_LATENCY`] + 1 cycles earlier (a [`DspProduct`],
    /// then registered once more); `ev_stall`: the previous cycle was
    /// stalled; `ev_bubble`: the previous cycle was an empty activation slot.
    pub ev_macs: Signal<Out, Bits<32>>,
    pub ev_stall: Signal<Out, Bit>,
    pub ev_bubble: Signal<Out, Bit>,
    rows: Constant<Bits<16>>,
    cols: Constant<Bits<16>>,
    rows_m1: Constant<Bits<16>>,
    min_period: Constant<Bits<16>>,
    min_period_m1: Constant<Bits<16>>,
    /// min_period == R: a period of P = R slots is all weight burst.
    min_is_rows: Constant<Bit>,
    run: DFF<Bit>,
    m_q: DFF<Bits<16>>,
    k_q: DFF<Bits<16>>,
    n_q: DFF<Bits<16>>,
    // Job constants, registered from m_q (valid from the second cycle of a job).
    /// M − 1: the last activation slot of a period.
    m_m1: DFF<Bits<16>>,
    /// M == 1.
    m_one: DFF<Bit>,
    /// P − 1 = max(M, min_period) − 1.
    p_m1: DFF<Bits<16>>,
    /// P == R.
    p_is_rows: DFF<Bit>,
    // Slot state: this slot's index, what it issues, and what is left of its period.
    slot: DFF<Bits<16>>,
    /// Slots of the period after this one.
    left: DFF<Bits<16>>,
    /// `left` is zero: the period's last slot.
    last: DFF<Bit>,
    /// This slot issues an activation row (`act_on` and slot < M).
    a_on: DFF<Bit>,
    /// This slot issues a weight word (`w_on` and one of the period's last R slots).
    w_act: DFF<Bit>,
    /// … the first word of the burst.
    w_first: DFF<Bit>,
    /// The weight row it reads: w_k0 + (slot − first weight slot).
    w_row: DFF<Bits<16>>,
    // The streaming fold (activations) and the loading fold (weights).
    act_on: DFF<Bit>,
    act_k0: DFF<Bits<16>>,
    act_sel: DFF<Bit>,
    w_on: DFF<Bit>,
    w_k0: DFF<Bits<16>>,
    w_n0: DFF<Bits<16>>,
    w_buf: DFF<Bit>,
    // The loading fold, registered from (w_k0, w_n0).
    /// w_k0 + R ≥ K: the fold's k tile is the last of its column tile.
    w_kend: DFF<Bit>,
    /// … and w_n0 + C ≥ N: it is the job's last fold.
    w_last: DFF<Bit>,
    /// Its useful rows min(R, K − w_k0) and columns min(C, N − w_n0).
    w_kv: DFF<Bits<16>>,
    w_nv: DFF<Bits<16>>,
    /// The streaming fold's useful rows and columns.
    act_kv: DFF<Bits<16>>,
    act_nv: DFF<Bits<16>>,
    /// MAC event pipeline: `ev_on[i]`, a row was requested i + 1 cycles
    /// ago; act_kv · act_nv of [`DSP_LATENCY`] cycles ago; the event.
    ev_on: [DFF<Bit>; DSP_LATENCY],
    pub ev_mul: DspProduct<16, 16, 32, false>,
    ev_macs_q: DFF<Bits<32>>,
    ev_stall_q: DFF<Bit>,
    ev_bubble_q: DFF<Bit>,
    act_ctl_q: DFF<Bits<2>>,
    w_ctl_q: DFF<Bits<3>>,
    advance: Signal<Local, Bit>,
    a_issue: Signal<Local, Bit>,
    w_issue: Signal<Local, Bit>,
    w_k0_up: Signal<Local, Bits<16>>,
    next_k0: Signal<Local, Bits<16>>,
    next_n0: Signal<Local, Bits<16>>,
    k_left: Signal<Local, Bits<16>>,
    n_left: Signal<Local, Bits<16>>,
}

impl<const R: usize, const C: usize> Sequencer<R, C> {
    /// A sequencer whose fold period is P = max(M, `min_period`), with
    /// `min_period` ≥ R (one preload word per column per slot).
    pub fn with_min_period(min_period: usize) -> Self {
        assert!((2..=256).contains(&R) && (2..=256).contains(&C));
        assert!(
            (R..=512).contains(&min_period),
            "the period must be at least R"
        );
        let c16 = |x: usize| Constant::new((x as u64).into());
        Self {
            clock: Default::default(),
            go: Default::default(),
            dim_m: Default::default(),
            dim_k: Default::default(),
            dim_n: Default::default(),
            stall: Default::default(),
            a_rd_en: Default::default(),
            a_rd_m: Default::default(),
            a_rd_k0: Default::default(),
            b_rd_en: Default::default(),
            b_rd_k: Default::default(),
            b_rd_n0: Default::default(),
            act_ctl: Default::default(),
            w_ctl: Default::default(),
            job_m: Default::default(),
            job_k: Default::default(),
            job_n: Default::default(),
            running: Default::default(),
            ev_macs: Default::default(),
            ev_stall: Default::default(),
            ev_bubble: Default::default(),
            rows: c16(R),
            cols: c16(C),
            rows_m1: c16(R - 1),
            min_period: c16(min_period),
            min_period_m1: c16(min_period - 1),
            min_is_rows: Constant::new(min_period == R),
            run: Default::default(),
            m_q: Default::default(),
            k_q: Default::default(),
            n_q: Default::default(),
            m_m1: Default::default(),
            m_one: Default::default(),
            p_m1: Default::default(),
            p_is_rows: Default::default(),
            slot: Default::default(),
            left: Default::default(),
            last: Default::default(),
            a_on: Default::default(),
            w_act: Default::default(),
            w_first: Default::default(),
            w_row: Default::default(),
            act_on: Default::default(),
            act_k0: Default::default(),
            act_sel: Default::default(),
            w_on: Default::default(),
            w_k0: Default::default(),
            w_n0: Default::default(),
            w_buf: Default::default(),
            w_kend: Default::default(),
            w_last: Default::default(),
            w_kv: Default::default(),
            w_nv: Default::default(),
            act_kv: Default::default(),
            act_nv: Default::default(),
            ev_on: Default::default(),
            ev_mul: Default::default(),
            ev_macs_q: Default::default(),
            ev_stall_q: Default::default(),
            ev_bubble_q: Default::default(),
            act_ctl_q: Default::default(),
            w_ctl_q: Default::default(),
            advance: Default::default(),
            a_issue: Default::default(),
            w_issue: Default::default(),
            w_k0_up: Default::default(),
            next_k0: Default::default(),
            next_n0: Default::default(),
            k_left: Default::default(),
            n_left: Default::default(),
        }
    }
}

impl<const R: usize, const C: usize> Logic for Sequencer<R, C> {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(
            self,
            clock,
            run,
            m_q,
            k_q,
            n_q,
            m_m1,
            m_one,
            p_m1,
            p_is_rows,
            slot,
            left,
            last,
            a_on,
            w_act,
            w_first,
            w_row,
            act_on,
            act_k0,
            act_sel,
            w_on,
            w_k0,
            w_n0,
            w_buf,
            w_kend,
            w_last,
            w_kv,
            w_nv,
            act_kv,
            act_nv,
            ev_macs_q,
            ev_stall_q,
            ev_bubble_q,
            act_ctl_q,
            w_ctl_q
        );
        self.ev_mul.clock.next = self.clock.val();
        for i in 0..DSP_LATENCY {
            self.ev_on[i].clock.next = self.clock.val();
        }
        // Job constants: P = max(M, min_period).
        self.m_m1.d.next = (self.m_q.q.val() - 1);
        self.m_one.d.next = (self.m_q.q.val() == 1);
        self.p_m1.d.next = self.min_period_m1.val();
        self.p_is_rows.d.next = (self.min_is_rows.val() & (self.m_q.q.val() <= self.rows.val()));
        if (self.m_q.q.val() > self.min_period.val()) {
            self.p_m1.d.next = (self.m_q.q.val() - 1);
        }
        // The loading fold: is it the last, where is the next, how much of it is useful.
        self.w_k0_up.next = (self.w_k0.q.val() + self.rows.val());
        self.w_kend.d.next = (self.w_k0_up.val() >= self.k_q.q.val());
        self.w_last.d.next = ((self.w_k0_up.val() >= self.k_q.q.val())
            & ((self.w_n0.q.val() + self.cols.val()) >= self.n_q.q.val()));
        self.next_k0.next = self.w_k0_up.val();
        self.next_n0.next = self.w_n0.q.val();
        if self.w_kend.q.val() {
            self.next_k0.next = bits::<16>(0);
            self.next_n0.next = (self.w_n0.q.val() + self.cols.val());
        }
        self.k_left.next = (self.k_q.q.val() - self.w_k0.q.val());
        self.w_kv.d.next = self.k_left.val();
        if (self.k_left.val() > self.rows.val()) {
            self.w_kv.d.next = self.rows.val();
        }
        self.n_left.next = (self.n_q.q.val() - self.w_n0.q.val());
        self.w_nv.d.next = self.n_left.val();
        if (self.n_left.val() > self.cols.val()) {
            self.w_nv.d.next = self.cols.val();
        }
        // What this slot issues.
        self.advance.next = (self.run.q.val() & !self.stall.val());
        self.a_issue.next = (self.advance.val() & self.a_on.q.val());
        self.w_issue.next = (self.advance.val() & self.w_act.q.val());
        // Scratchpad reads.
        self.a_rd_en.next = self.a_issue.val();
        self.a_rd_m.next = self.slot.q.val();
        self.a_rd_k0.next = self.act_k0.q.val();
        self.b_rd_en.next = self.w_issue.val();
        self.b_rd_k.next = self.w_row.q.val();
        self.b_rd_n0.next = self.w_n0.q.val();
        // Control that leaves with the returning data.
        self.act_ctl_q.d.next = bits::<2>(0);
        if self.a_issue.val() {
            self.act_ctl_q.d.next = bits::<2>(1);
            if self.act_sel.q.val() {
                self.act_ctl_q.d.next = bits::<2>(3);
            }
        }
        self.w_ctl_q.d.next = bits::<3>(0);
        if self.w_issue.val() {
            if self.w_buf.q.val() {
                self.w_ctl_q.d.next = bits::<3>(5);
                if self.w_first.q.val() {
                    self.w_ctl_q.d.next = bits::<3>(7);
                }
            } else {
                self.w_ctl_q.d.next = bits::<3>(1);
                if self.w_first.q.val() {
                    self.w_ctl_q.d.next = bits::<3>(3);
                }
            }
        }
        // Useful MACs per activation row, min(R, K − k0) · min(C, N − n0),
        // three cycles after the row's request.
        self.ev_on[0].d.next = self.a_issue.val();
        for i in 1..DSP_LATENCY {
            self.ev_on[i].d.next = self.ev_on[i - 1].q.val();
        }
        self.ev_mul.a.next = self.act_kv.q.val();
        self.ev_mul.b.next = self.act_nv.q.val();
        self.ev_macs_q.d.next = bits::<32>(0);
        for i in (DSP_LATENCY - 1)..DSP_LATENCY {
            if self.ev_on[i].q.val() {
                self.ev_macs_q.d.next = self.ev_mul.p.val();
            }
        }
        self.ev_macs.next = self.ev_macs_q.q.val();
        self.ev_stall_q.d.next = (self.run.q.val() & self.stall.val());
        self.ev_stall.next = self.ev_stall_q.q.val();
        self.ev_bubble_q.d.next = ((self.advance.val() & self.act_on.q.val()) & !self.a_on.q.val());
        self.ev_bubble.next = self.ev_bubble_q.q.val();
        if self.advance.val() {
            if self.last.q.val() {
                // End of a period: the loaded fold starts streaming and the
                // next one (if any) starts loading.
                self.slot.d.next = bits::<16>(0);
                self.act_on.d.next = self.w_on.q.val();
                self.a_on.d.next = self.w_on.q.val();
                self.act_k0.d.next = self.w_k0.q.val();
                self.act_sel.d.next = self.w_buf.q.val();
                self.act_kv.d.next = self.w_kv.q.val();
                self.act_nv.d.next = self.w_nv.q.val();
                if self.w_on.q.val() {
                    if self.w_last.q.val() {
                        // The last fold streams alone: a period of M slots.
                        self.w_on.d.next = false;
                        self.left.d.next = self.m_m1.q.val();
                        self.last.d.next = self.m_one.q.val();
                        self.w_act.d.next = false;
                        self.w_first.d.next = false;
                    } else {
                        // A period of P slots, the next fold's burst in the last R.
                        self.w_buf.d.next = !self.w_buf.q.val();
                        self.w_k0.d.next = self.next_k0.val();
                        self.w_n0.d.next = self.next_n0.val();
                        self.left.d.next = self.p_m1.q.val();
                        self.last.d.next = false;
                        self.w_act.d.next = self.p_is_rows.q.val();
                        self.w_first.d.next = self.p_is_rows.q.val();
                        self.w_row.d.next = self.next_k0.val();
                    }
                } else {
                    self.run.d.next = false;
                }
            } else {
                self.slot.d.next = (self.slot.q.val() + 1);
                self.left.d.next = (self.left.q.val() - 1);
                self.last.d.next = (self.left.q.val() == 1);
                if (self.slot.q.val() == self.m_m1.q.val()) {
                    self.a_on.d.next = false;
                }
                self.w_first.d.next = false;
                if self.w_act.q.val() {
                    self.w_row.d.next = (self.w_row.q.val() + 1);
                }
                if (self.w_on.q.val() & (self.left.q.val() == self.rows.val())) {
                    // The next slot is the first of the period's last R: the burst starts.
                    self.w_act.d.next = true;
                    self.w_first.d.next = true;
                    self.w_row.d.next = self.w_k0.q.val();
                }
            }
        }
        // Start: a preload period of R slots for fold 0 into weight register 0.
        if (self.go.val() & !self.run.q.val()) {
            self.run.d.next = true;
            self.m_q.d.next = self.dim_m.val();
            self.k_q.d.next = self.dim_k.val();
            self.n_q.d.next = self.dim_n.val();
            self.slot.d.next = bits::<16>(0);
            self.left.d.next = self.rows_m1.val();
            self.last.d.next = false;
            self.act_on.d.next = false;
            self.a_on.d.next = false;
            self.act_sel.d.next = false;
            self.w_on.d.next = true;
            self.w_act.d.next = true;
            self.w_first.d.next = true;
            self.w_row.d.next = bits::<16>(0);
            self.w_k0.d.next = bits::<16>(0);
            self.w_n0.d.next = bits::<16>(0);
            self.w_buf.d.next = false;
        }
        self.act_ctl.next = self.act_ctl_q.q.val();
        self.w_ctl.next = self.w_ctl_q.q.val();
        self.job_m.next = self.m_q.q.val();
        self.job_k.next = self.k_q.q.val();
        self.job_n.next = self.n_q.q.val();
        self.running.next = self.run.q.val();
    }
}
