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
//! in front (`F` folds in all):
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
//! `2P ≥ M + R − 1`, which `P = max(M, R)` guarantees; and one word per
//! column per cycle needs `P ≥ R`. A stall only delays later issues, which
//! only widens both margins, so the schedule stays correct under any stall
//! pattern.
//!
//! # Cycle count (closed form)
//!
//! Counting from the cycle after `go` to the cycle of the last accumulator
//! write, inclusive, with no stalls, F = ⌈K/R⌉·⌈N/C⌉ folds and P = max(M, R):
//!
//! ```text
//! cycles = (2R + C + M − 2) + (F − 1)·P + 3
//! ```
//!
//! `2R + C + T − 2` (T = M) is one weight-stationary fold as DESIGN.md counts
//! it: R cycles of preload, then the last of T skewed rows leaves the last PE
//! `T + R + C − 2` cycles after the first entered. Double buffering hides every
//! later preload, so each further fold costs only its period P. The `+ 3` is
//! the interface pipeline: one cycle of scratchpad read latency, one for the
//! bottom PE's output register to reach the de-skewed row, and one for the
//! accumulator's read-modify-write. Each stall cycle during the issue stream
//! adds exactly one cycle. The `bubble` counter reports the (F − 1)·(P − M)
//! empty activation slots of weight-load-bound schedules (M < R).
//!
//! Scan mode builds the sequencer with a longer minimum period
//! ([`Sequencer::with_min_period`], 2R − 1: the time its final-state drain
//! needs per fold); the period is then `P = max(M, min_period)` and every
//! formula above holds with that P. GEMM mode uses the default, R.
//!
//! Dimensions are 16-bit registers; the driver keeps M, K, N ≤ 32767 so that
//! tile offsets plus R or C cannot wrap.

use rust_hdl::prelude::*;

/// Tiles the GEMM into folds and issues the A (activation) and B (weight)
/// scratchpad reads. Control for the returning data (`act_ctl`, `w_ctl`) is
/// registered so it leaves together with the read data, one cycle later.
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
    /// The column tile `n0` of the fold that row belongs to (used by scan mode,
    /// whose row tokens also read B and C at `n0 .. n0 + C`).
    pub a_rd_n0: Signal<Out, Bits<16>>,
    /// B read: row `b_rd_k` (zero past K), elements `b_rd_n0 .. b_rd_n0 + C` (zero past N).
    pub b_rd_en: Signal<Out, Bit>,
    pub b_rd_k: Signal<Out, Bits<16>>,
    pub b_rd_n0: Signal<Out, Bits<16>>,
    /// Control of the activation row arriving this cycle: bit 0 valid, bit 1 weight select.
    pub act_ctl: Signal<Out, Bits<2>>,
    /// Control of the weight word arriving this cycle: bit 0 valid, bit 1 first, bit 2 buffer.
    pub w_ctl: Signal<Out, Bits<3>>,
    /// The job's dimensions, held for the write-back.
    pub job_m: Signal<Out, Bits<16>>,
    pub job_k: Signal<Out, Bits<16>>,
    pub job_n: Signal<Out, Bits<16>>,
    /// High from the cycle after `go` to the last issue slot.
    pub running: Signal<Out, Bit>,
    /// Counter events: useful MACs issued this cycle, stalled cycle, empty activation slot.
    pub ev_macs: Signal<Out, Bits<32>>,
    pub ev_stall: Signal<Out, Bit>,
    pub ev_bubble: Signal<Out, Bit>,
    rows: Constant<Bits<16>>,
    cols: Constant<Bits<16>>,
    min_period: Constant<Bits<16>>,
    run: DFF<Bit>,
    m_q: DFF<Bits<16>>,
    k_q: DFF<Bits<16>>,
    n_q: DFF<Bits<16>>,
    slot: DFF<Bits<16>>,
    act_on: DFF<Bit>,
    act_k0: DFF<Bits<16>>,
    act_n0: DFF<Bits<16>>,
    act_sel: DFF<Bit>,
    w_on: DFF<Bit>,
    w_k0: DFF<Bits<16>>,
    w_n0: DFF<Bits<16>>,
    w_buf: DFF<Bit>,
    act_ctl_q: DFF<Bits<2>>,
    w_ctl_q: DFF<Bits<3>>,
    period: Signal<Local, Bits<16>>,
    len: Signal<Local, Bits<16>>,
    wstart: Signal<Local, Bits<16>>,
    advance: Signal<Local, Bit>,
    a_issue: Signal<Local, Bit>,
    w_issue: Signal<Local, Bit>,
    w_first: Signal<Local, Bit>,
    w_last: Signal<Local, Bit>,
    k_left: Signal<Local, Bits<16>>,
    n_left: Signal<Local, Bits<16>>,
    kv: Signal<Local, Bits<16>>,
    nv: Signal<Local, Bits<16>>,
    macs: Signal<Local, Bits<32>>,
}

impl<const R: usize, const C: usize> Default for Sequencer<R, C> {
    /// The GEMM schedule: fold period P = max(M, R).
    fn default() -> Self {
        Self::with_min_period(R)
    }
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
            a_rd_n0: Default::default(),
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
            rows: Constant::new((R as u64).into()),
            cols: Constant::new((C as u64).into()),
            min_period: Constant::new((min_period as u64).into()),
            run: Default::default(),
            m_q: Default::default(),
            k_q: Default::default(),
            n_q: Default::default(),
            slot: Default::default(),
            act_on: Default::default(),
            act_k0: Default::default(),
            act_n0: Default::default(),
            act_sel: Default::default(),
            w_on: Default::default(),
            w_k0: Default::default(),
            w_n0: Default::default(),
            w_buf: Default::default(),
            act_ctl_q: Default::default(),
            w_ctl_q: Default::default(),
            period: Default::default(),
            len: Default::default(),
            wstart: Default::default(),
            advance: Default::default(),
            a_issue: Default::default(),
            w_issue: Default::default(),
            w_first: Default::default(),
            w_last: Default::default(),
            k_left: Default::default(),
            n_left: Default::default(),
            kv: Default::default(),
            nv: Default::default(),
            macs: Default::default(),
        }
    }
}

impl<const R: usize, const C: usize> Logic for Sequencer<R, C> {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(
            self, clock, run, m_q, k_q, n_q, slot, act_on, act_k0, act_n0, act_sel, w_on, w_k0,
            w_n0, w_buf, act_ctl_q, w_ctl_q
        );
        // Period length: R for the preload, P = max(M, min_period) while a
        // next fold loads, M for the last fold.
        self.period.next = self.min_period.val();
        if (self.m_q.q.val() > self.min_period.val()) {
            self.period.next = self.m_q.q.val();
        }
        self.len.next = self.rows.val();
        if self.act_on.q.val() {
            self.len.next = self.m_q.q.val();
            if self.w_on.q.val() {
                self.len.next = self.period.val();
            }
        }
        self.wstart.next = (self.len.val() - self.rows.val());
        // What this slot issues.
        self.advance.next = (self.run.q.val() & !self.stall.val());
        self.a_issue.next =
            ((self.advance.val() & self.act_on.q.val()) & (self.slot.q.val() < self.m_q.q.val()));
        self.w_issue.next =
            ((self.advance.val() & self.w_on.q.val()) & (self.slot.q.val() >= self.wstart.val()));
        self.w_first.next = (self.slot.q.val() == self.wstart.val());
        self.w_last.next = (((self.w_k0.q.val() + self.rows.val()) >= self.k_q.q.val())
            & ((self.w_n0.q.val() + self.cols.val()) >= self.n_q.q.val()));
        // Scratchpad reads.
        self.a_rd_en.next = self.a_issue.val();
        self.a_rd_m.next = self.slot.q.val();
        self.a_rd_k0.next = self.act_k0.q.val();
        self.a_rd_n0.next = self.act_n0.q.val();
        self.b_rd_en.next = self.w_issue.val();
        self.b_rd_k.next = (self.w_k0.q.val() + (self.slot.q.val() - self.wstart.val()));
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
                if self.w_first.val() {
                    self.w_ctl_q.d.next = bits::<3>(7);
                }
            } else {
                self.w_ctl_q.d.next = bits::<3>(1);
                if self.w_first.val() {
                    self.w_ctl_q.d.next = bits::<3>(3);
                }
            }
        }
        // Useful MACs per activation row: min(R, K − k0) · min(C, N − n0).
        self.k_left.next = (self.k_q.q.val() - self.act_k0.q.val());
        self.kv.next = self.k_left.val();
        if (self.k_left.val() > self.rows.val()) {
            self.kv.next = self.rows.val();
        }
        self.n_left.next = (self.n_q.q.val() - self.act_n0.q.val());
        self.nv.next = self.n_left.val();
        if (self.n_left.val() > self.cols.val()) {
            self.nv.next = self.cols.val();
        }
        self.macs.next = (self.kv.val() * self.nv.val());
        self.ev_macs.next = bits::<32>(0);
        if self.a_issue.val() {
            self.ev_macs.next = self.macs.val();
        }
        self.ev_stall.next = (self.run.q.val() & self.stall.val());
        self.ev_bubble.next =
            ((self.advance.val() & self.act_on.q.val()) & (self.slot.q.val() >= self.m_q.q.val()));
        // Advance the slot; at the end of a period the loaded fold starts
        // streaming and the next one starts loading.
        if self.advance.val() {
            self.slot.d.next = (self.slot.q.val() + 1);
            if (self.slot.q.val() == (self.len.val() - 1)) {
                self.slot.d.next = bits::<16>(0);
                self.act_on.d.next = self.w_on.q.val();
                self.act_k0.d.next = self.w_k0.q.val();
                self.act_n0.d.next = self.w_n0.q.val();
                self.act_sel.d.next = self.w_buf.q.val();
                if !self.w_on.q.val() {
                    self.run.d.next = false;
                }
                if self.w_last.val() {
                    self.w_on.d.next = false;
                } else {
                    self.w_buf.d.next = !self.w_buf.q.val();
                    if ((self.w_k0.q.val() + self.rows.val()) >= self.k_q.q.val()) {
                        self.w_k0.d.next = bits::<16>(0);
                        self.w_n0.d.next = (self.w_n0.q.val() + self.cols.val());
                    } else {
                        self.w_k0.d.next = (self.w_k0.q.val() + self.rows.val());
                    }
                }
            }
        }
        // Start: a preload period for fold 0 into weight register 0.
        if (self.go.val() & !self.run.q.val()) {
            self.run.d.next = true;
            self.m_q.d.next = self.dim_m.val();
            self.k_q.d.next = self.dim_k.val();
            self.n_q.d.next = self.dim_n.val();
            self.slot.d.next = bits::<16>(0);
            self.act_on.d.next = false;
            self.act_sel.d.next = false;
            self.w_on.d.next = true;
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
