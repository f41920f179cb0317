//! The scan-mode sequencer: tiles a scan of L steps, D channels and N
//! states into folds of the R×C array with four channel slots per PE
//! ([`SLOTS`] = K), and issues the row-token reads and the fold-constant
//! preload reads that feed it.
//!
//! # Schedule
//!
//! A fold is a tile of K·R channels (d0 … d0 + KR − 1) × C states (n0 …
//! n0 + C − 1); folds are visited state-tile-major (for each n0, for each
//! d0), like the GEMM's. Slot j of PE row r holds channel d0 + j·R + r.
//! The issue stream is cut into periods:
//!
//! ```text
//! period   length          token slots (t, j), t-major           preload reads (last KR slots)
//! 0        KR              —                                     fold 0: channels d0 … d0 + KR − 1
//! fold f   P = K·max(L, R+1)  (t, j) for t < L, j < K: K·L slots   fold f + 1 (if any)
//! last     K·L             (t, j)                                —
//! ```
//!
//! A token slot (t, j) reads u, delta, z of time step t and channels
//! d0 + j·R … + R − 1 (one per row) — `tok_*`. A preload slot reads a2 and
//! h0 of one channel d of the next fold and states n0 … n0 + C − 1 —
//! `pre_*`, in channel order, R words per channel slot, the first of each
//! tagged `pre_first`.
//!
//! **Why P = K·max(L, R + 1).** K·L token slots, and at least K(R + 1) so
//! that a fold's KR final states are drained out of each column before the
//! next fold's overwrite them (needs P ≥ KR + 2, see `ScanCore`) and its KR
//! preload words fit; a multiple of K so that every fold starts on the same
//! slot phase.
//!
//! **Back-pressure.** `stall` freezes the whole issue stream for K cycles
//! (the stalled cycle and K − 1 more): each state's four-cycle loop in the PE
//! then meets its next token exactly K cycles later as before, while the
//! tokens already issued run on. Every frozen cycle counts as a stall cycle,
//! so a stalled job takes exactly its closed-form cycles plus its stall
//! cycles.
//!
//! All outputs are registered: they describe the slot issued in the
//! previous cycle.

use super::scan_pe::SLOTS;
use rust_hdl::prelude::*;

#[derive(LogicBlock)]
pub struct ScanSequencer<const R: usize, const C: usize> {
    pub clock: Signal<In, Clock>,
    /// Start a job (ignored while one is issuing).
    pub go: Signal<In, Bit>,
    pub dim_l: Signal<In, Bits<16>>,
    pub dim_d: Signal<In, Bits<16>>,
    pub dim_n: Signal<In, Bits<16>>,
    /// The buffers cannot serve a read this cycle: freeze K cycles.
    pub stall: Signal<In, Bit>,
    /// Token slot: time step `tok_t`, channels `tok_d0 .. + R`, states
    /// `tok_n0 .. + C`, PE slot `tok_slot`; `tok_first`/`tok_last` for
    /// t = 0 / L − 1, `tok_sel` the fold's constant buffer, `tok_nfirst` /
    /// `tok_nlast` for the first / last state tile.
    pub tok_valid: Signal<Out, Bit>,
    pub tok_t: Signal<Out, Bits<16>>,
    pub tok_d0: Signal<Out, Bits<16>>,
    pub tok_n0: Signal<Out, Bits<16>>,
    pub tok_slot: Signal<Out, Bits<2>>,
    pub tok_first: Signal<Out, Bit>,
    pub tok_last: Signal<Out, Bit>,
    pub tok_sel: Signal<Out, Bit>,
    pub tok_nfirst: Signal<Out, Bit>,
    pub tok_nlast: Signal<Out, Bit>,
    /// The token slot is the fold's last (t = L − 1, slot K − 1).
    pub fold_end: Signal<Out, Bit>,
    /// Preload slot: a2/h0 of channel `pre_d`, states `pre_n0 .. + C`,
    /// for PE slot `pre_slot` of buffer `pre_buf`; `pre_first` on the first
    /// of each R words.
    pub pre_valid: Signal<Out, Bit>,
    pub pre_d: Signal<Out, Bits<16>>,
    pub pre_n0: Signal<Out, Bits<16>>,
    pub pre_slot: Signal<Out, Bits<2>>,
    pub pre_first: Signal<Out, Bit>,
    pub pre_buf: Signal<Out, Bit>,
    /// High from the cycle after `go` to the cycle after the last slot.
    pub running: Signal<Out, Bit>,
    /// Counter events: useful PE steps (real (d, n) cells) of a token slot
    /// issued four cycles earlier; a frozen cycle and an empty fold slot of
    /// the previous cycle.
    pub ev_macs: Signal<Out, Bits<16>>,
    pub ev_stall: Signal<Out, Bit>,
    pub ev_bubble: Signal<Out, Bit>,
    rows: Constant<Bits<16>>,
    cols: Constant<Bits<16>>,
    slots: Constant<Bits<16>>,
    fold_rows: Constant<Bits<16>>,
    last_slot: Constant<Bits<2>>,
    // Job.
    run: DFF<Bit>,
    in_preload0: DFF<Bit>,
    l_q: DFF<Bits<16>>,
    d_q: DFF<Bits<16>>,
    n_q: DFF<Bits<16>>,
    l_eff: DFF<Bits<16>>,
    period_len: DFF<Bits<16>>,
    pre_start: DFF<Bits<16>>,
    kl_end: DFF<Bits<16>>,
    freeze: DFF<Bits<2>>,
    // The fold streaming now.
    d0: DFF<Bits<16>>,
    n0: DFF<Bits<16>>,
    sel: DFF<Bit>,
    nfirst: DFF<Bit>,
    nlast: DFF<Bit>,
    cols_real: DFF<Bits<16>>,
    pos: DFF<Bits<16>>,
    period_end: DFF<Bits<16>>,
    tok_on: DFF<Bit>,
    t: DFF<Bits<16>>,
    j: DFF<Bits<2>>,
    dj: DFF<Bits<16>>,
    // The next fold: its tile (computed in the fold's first three slots).
    tmp_d: DFF<Bits<16>>,
    tmp_n: DFF<Bits<16>>,
    wrap_d: DFF<Bit>,
    nd0: DFF<Bits<16>>,
    nn0: DFF<Bits<16>>,
    is_last: DFF<Bit>,
    n_nfirst: DFF<Bit>,
    n_nlast: DFF<Bit>,
    n_cols_real: DFF<Bits<16>>,
    // Preload counters.
    pd: DFF<Bits<16>>,
    pr: DFF<Bits<16>>,
    pj: DFF<Bits<2>>,
    // Registered outputs.
    tok_valid_q: DFF<Bit>,
    tok_t_q: DFF<Bits<16>>,
    tok_d0_q: DFF<Bits<16>>,
    tok_n0_q: DFF<Bits<16>>,
    tok_slot_q: DFF<Bits<2>>,
    tok_first_q: DFF<Bit>,
    tok_last_q: DFF<Bit>,
    tok_sel_q: DFF<Bit>,
    tok_nfirst_q: DFF<Bit>,
    tok_nlast_q: DFF<Bit>,
    fold_end_q: DFF<Bit>,
    pre_valid_q: DFF<Bit>,
    pre_d_q: DFF<Bits<16>>,
    pre_n0_q: DFF<Bits<16>>,
    pre_slot_q: DFF<Bits<2>>,
    pre_first_q: DFF<Bit>,
    pre_buf_q: DFF<Bit>,
    rows_q: DFF<Bits<16>>,
    cols_q: DFF<Bits<16>>,
    rows_m: DFF<Bits<16>>,
    cols_m: DFF<Bits<16>>,
    macs_p: DFF<Bits<16>>,
    macs_q: DFF<Bits<16>>,
    stall_q: DFF<Bit>,
    bubble_q: DFF<Bit>,
    // Combinational.
    start: Signal<Local, Bit>,
    advance: Signal<Local, Bit>,
    tok_issue: Signal<Local, Bit>,
    pre_issue: Signal<Local, Bit>,
    pre_last: Signal<Local, Bit>,
    rows_left: Signal<Local, Bits<16>>,
    macs: Signal<Local, Bits<32>>,
    period_prod: Signal<Local, Bits<32>>,
    kl_prod: Signal<Local, Bits<32>>,
    next_fold: Signal<Local, Bit>,
}

impl<const R: usize, const C: usize> Default for ScanSequencer<R, C> {
    fn default() -> Self {
        Self {
            clock: Default::default(),
            go: Default::default(),
            dim_l: Default::default(),
            dim_d: Default::default(),
            dim_n: Default::default(),
            stall: Default::default(),
            tok_valid: Default::default(),
            tok_t: Default::default(),
            tok_d0: Default::default(),
            tok_n0: Default::default(),
            tok_slot: Default::default(),
            tok_first: Default::default(),
            tok_last: Default::default(),
            tok_sel: Default::default(),
            tok_nfirst: Default::default(),
            tok_nlast: Default::default(),
            fold_end: Default::default(),
            pre_valid: Default::default(),
            pre_d: Default::default(),
            pre_n0: Default::default(),
            pre_slot: Default::default(),
            pre_first: Default::default(),
            pre_buf: Default::default(),
            running: Default::default(),
            ev_macs: Default::default(),
            ev_stall: Default::default(),
            ev_bubble: Default::default(),
            rows: Constant::new((R as u64).into()),
            cols: Constant::new((C as u64).into()),
            slots: Constant::new((SLOTS as u64).into()),
            fold_rows: Constant::new(((SLOTS * R) as u64).into()),
            last_slot: Constant::new(((SLOTS - 1) as u64).into()),
            run: Default::default(),
            in_preload0: Default::default(),
            l_q: Default::default(),
            d_q: Default::default(),
            n_q: Default::default(),
            l_eff: Default::default(),
            period_len: Default::default(),
            pre_start: Default::default(),
            kl_end: Default::default(),
            freeze: Default::default(),
            d0: Default::default(),
            n0: Default::default(),
            sel: Default::default(),
            nfirst: Default::default(),
            nlast: Default::default(),
            cols_real: Default::default(),
            pos: Default::default(),
            period_end: Default::default(),
            tok_on: Default::default(),
            t: Default::default(),
            j: Default::default(),
            dj: Default::default(),
            tmp_d: Default::default(),
            tmp_n: Default::default(),
            wrap_d: Default::default(),
            nd0: Default::default(),
            nn0: Default::default(),
            is_last: Default::default(),
            n_nfirst: Default::default(),
            n_nlast: Default::default(),
            n_cols_real: Default::default(),
            pd: Default::default(),
            pr: Default::default(),
            pj: Default::default(),
            tok_valid_q: Default::default(),
            tok_t_q: Default::default(),
            tok_d0_q: Default::default(),
            tok_n0_q: Default::default(),
            tok_slot_q: Default::default(),
            tok_first_q: Default::default(),
            tok_last_q: Default::default(),
            tok_sel_q: Default::default(),
            tok_nfirst_q: Default::default(),
            tok_nlast_q: Default::default(),
            fold_end_q: Default::default(),
            pre_valid_q: Default::default(),
            pre_d_q: Default::default(),
            pre_n0_q: Default::default(),
            pre_slot_q: Default::default(),
            pre_first_q: Default::default(),
            pre_buf_q: Default::default(),
            rows_q: Default::default(),
            cols_q: Default::default(),
            rows_m: Default::default(),
            cols_m: Default::default(),
            macs_p: Default::default(),
            macs_q: Default::default(),
            stall_q: Default::default(),
            bubble_q: Default::default(),
            start: Default::default(),
            advance: Default::default(),
            tok_issue: Default::default(),
            pre_issue: Default::default(),
            pre_last: Default::default(),
            rows_left: Default::default(),
            macs: Default::default(),
            period_prod: Default::default(),
            kl_prod: Default::default(),
            next_fold: Default::default(),
        }
    }
}

impl<const R: usize, const C: usize> Logic for ScanSequencer<R, C> {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(
            self,
            clock,
            run,
            in_preload0,
            l_q,
            d_q,
            n_q,
            l_eff,
            period_len,
            pre_start,
            kl_end,
            freeze,
            d0,
            n0,
            sel,
            nfirst,
            nlast,
            cols_real,
            pos,
            period_end,
            tok_on,
            t,
            j,
            dj,
            tmp_d,
            tmp_n,
            wrap_d,
            nd0,
            nn0,
            is_last,
            n_nfirst,
            n_nlast,
            n_cols_real,
            pd,
            pr,
            pj,
            tok_valid_q,
            tok_t_q,
            tok_d0_q,
            tok_n0_q,
            tok_slot_q,
            tok_first_q,
            tok_last_q,
            tok_sel_q,
            tok_nfirst_q,
            tok_nlast_q,
            fold_end_q,
            pre_valid_q,
            pre_d_q,
            pre_n0_q,
            pre_slot_q,
            pre_first_q,
            pre_buf_q,
            rows_q,
            cols_q,
            rows_m,
            cols_m,
            macs_p,
            macs_q,
            stall_q,
            bubble_q
        );
        // ---- Job start: the dimensions and fold 0's tile. The fold period
        // follows from L through a register chain (settled within the KR ≥ 4
        // slots of period 0): l_eff = max(L, R + 1), P = K·l_eff, the
        // preload window's start P − KR, the last token slot K·L − 1.
        self.start.next = (self.go.val() & (!self.run.q.val()));
        self.l_eff.d.next = self.l_q.q.val();
        if (self.l_q.q.val() <= self.rows.val()) {
            self.l_eff.d.next = (self.rows.val() + 1);
        }
        self.period_prod.next = (self.l_eff.q.val() * self.slots.val());
        self.period_len.d.next = bit_cast::<16, 32>(self.period_prod.val());
        self.pre_start.d.next = (self.period_len.q.val() - self.fold_rows.val());
        self.kl_prod.next = (self.l_q.q.val() * self.slots.val());
        self.kl_end.d.next = (bit_cast::<16, 32>(self.kl_prod.val()) - 1);
        if self.start.val() {
            self.run.d.next = true;
            self.in_preload0.d.next = true;
            self.l_q.d.next = self.dim_l.val();
            self.d_q.d.next = self.dim_d.val();
            self.n_q.d.next = self.dim_n.val();
            self.freeze.d.next = bits::<2>(0);
            self.d0.d.next = bits::<16>(0);
            self.n0.d.next = bits::<16>(0);
            self.sel.d.next = false;
            self.nfirst.d.next = true;
            self.nlast.d.next = (self.cols.val() >= self.dim_n.val());
            self.cols_real.d.next = self.cols.val();
            if (self.dim_n.val() < self.cols.val()) {
                self.cols_real.d.next = self.dim_n.val();
            }
            self.pd.d.next = bits::<16>(0);
            self.pr.d.next = bits::<16>(0);
            self.pj.d.next = bits::<2>(0);
            self.pos.d.next = bits::<16>(0);
            // Fold 0's end is known from its third slot on.
            self.period_end.d.next = bits::<16>(0xffff);
        }
        // ---- Back-pressure: a stall freezes the stream for K cycles.
        self.advance.next =
            ((self.run.q.val() & (!self.freeze.q.val().any())) & (!self.stall.val()));
        if (self.run.q.val() & self.freeze.q.val().any()) {
            self.freeze.d.next = (self.freeze.q.val() - 1);
        }
        if ((self.run.q.val() & (!self.freeze.q.val().any())) & self.stall.val()) {
            self.freeze.d.next = self.last_slot.val();
        }
        // ---- What this slot issues.
        self.tok_issue.next =
            ((self.advance.val() & (!self.in_preload0.q.val())) & self.tok_on.q.val());
        self.pre_issue.next = (self.advance.val()
            & (self.in_preload0.q.val()
                | ((!self.is_last.q.val()) & (self.pos.q.val() >= self.pre_start.q.val()))));
        self.pre_last.next = ((self.pj.q.val() == self.last_slot.val())
            & (self.pr.q.val() == (self.rows.val() - 1)));
        // ---- The next fold's tile, in the fold's first four slots.
        if (self.pos.q.val() == 0) {
            self.tmp_d.d.next = (self.d0.q.val() + self.fold_rows.val());
            self.tmp_n.d.next = (self.n0.q.val() + self.cols.val());
        }
        if (self.pos.q.val() == 1) {
            self.wrap_d.d.next = (self.tmp_d.q.val() >= self.d_q.q.val());
        }
        if (self.pos.q.val() == 2) {
            self.nd0.d.next = self.tmp_d.q.val();
            self.nn0.d.next = self.n0.q.val();
            if self.wrap_d.q.val() {
                self.nd0.d.next = bits::<16>(0);
                self.nn0.d.next = self.tmp_n.q.val();
            }
            self.is_last.d.next = (self.wrap_d.q.val() & (self.tmp_n.q.val() >= self.n_q.q.val()));
            self.period_end.d.next = (self.period_len.q.val() - 1);
            if (self.wrap_d.q.val() & (self.tmp_n.q.val() >= self.n_q.q.val())) {
                self.period_end.d.next = self.kl_end.q.val();
            }
        }
        if (self.pos.q.val() == 3) {
            self.n_nfirst.d.next = (!self.nn0.q.val().any());
            self.n_nlast.d.next = ((self.nn0.q.val() + self.cols.val()) >= self.n_q.q.val());
            self.n_cols_real.d.next = self.cols.val();
            if ((self.n_q.q.val() - self.nn0.q.val()) < self.cols.val()) {
                self.n_cols_real.d.next = (self.n_q.q.val() - self.nn0.q.val());
            }
            if (!self.in_preload0.q.val()) {
                self.pd.d.next = self.nd0.q.val();
                self.pr.d.next = bits::<16>(0);
                self.pj.d.next = bits::<2>(0);
            }
        }
        // ---- Token slot (t, j): channels dj = d0 + j·R.
        self.tok_valid_q.d.next = self.tok_issue.val();
        self.fold_end_q.d.next = false;
        self.tok_t_q.d.next = self.t.q.val();
        self.tok_d0_q.d.next = self.dj.q.val();
        self.tok_n0_q.d.next = self.n0.q.val();
        self.tok_slot_q.d.next = self.j.q.val();
        self.tok_first_q.d.next = (!self.t.q.val().any());
        self.tok_last_q.d.next = (self.t.q.val() == (self.l_q.q.val() - 1));
        self.tok_sel_q.d.next = self.sel.q.val();
        self.tok_nfirst_q.d.next = self.nfirst.q.val();
        self.tok_nlast_q.d.next = self.nlast.q.val();
        // Useful PE steps of the slot: real rows × real columns.
        self.rows_left.next = bits::<16>(0);
        if (self.dj.q.val() < self.d_q.q.val()) {
            self.rows_left.next = (self.d_q.q.val() - self.dj.q.val());
            if ((self.d_q.q.val() - self.dj.q.val()) > self.rows.val()) {
                self.rows_left.next = self.rows.val();
            }
        }
        // Off the issue path: the slot's rows and columns, their copies beside
        // the multiplier, its product and the product's copy
        // (`crate::common::dsp`'s placement rule).
        self.rows_q.d.next = bits::<16>(0);
        self.cols_q.d.next = self.cols_real.q.val();
        self.rows_m.d.next = self.rows_q.q.val();
        self.cols_m.d.next = self.cols_q.q.val();
        self.macs.next = (self.rows_m.q.val() * self.cols_m.q.val());
        self.macs_p.d.next = bit_cast::<16, 32>(self.macs.val());
        self.macs_q.d.next = self.macs_p.q.val();
        if self.tok_issue.val() {
            self.rows_q.d.next = self.rows_left.val();
            if (self.j.q.val() == self.last_slot.val()) {
                self.j.d.next = bits::<2>(0);
                self.dj.d.next = self.d0.q.val();
                self.t.d.next = (self.t.q.val() + 1);
                if (self.t.q.val() == (self.l_q.q.val() - 1)) {
                    self.tok_on.d.next = false;
                    self.fold_end_q.d.next = true;
                }
            } else {
                self.j.d.next = (self.j.q.val() + 1);
                self.dj.d.next = (self.dj.q.val() + self.rows.val());
            }
        }
        // ---- Preload slot: channel pd of the next fold.
        self.pre_valid_q.d.next = self.pre_issue.val();
        self.pre_d_q.d.next = self.pd.q.val();
        self.pre_n0_q.d.next = self.nn0.q.val();
        self.pre_buf_q.d.next = (!self.sel.q.val());
        if self.in_preload0.q.val() {
            self.pre_n0_q.d.next = self.n0.q.val();
            self.pre_buf_q.d.next = self.sel.q.val();
        }
        self.pre_slot_q.d.next = self.pj.q.val();
        self.pre_first_q.d.next = (!self.pr.q.val().any());
        if self.pre_issue.val() {
            self.pd.d.next = (self.pd.q.val() + 1);
            self.pr.d.next = (self.pr.q.val() + 1);
            if (self.pr.q.val() == (self.rows.val() - 1)) {
                self.pr.d.next = bits::<16>(0);
                self.pj.d.next = (self.pj.q.val() + 1);
            }
        }
        // ---- Period 0 ends with its last preload word: fold 0 starts.
        if ((self.pre_issue.val() & self.in_preload0.q.val()) & self.pre_last.val()) {
            self.in_preload0.d.next = false;
            self.pos.d.next = bits::<16>(0);
            self.t.d.next = bits::<16>(0);
            self.j.d.next = bits::<2>(0);
            self.dj.d.next = self.d0.q.val();
            self.tok_on.d.next = true;
        }
        // ---- Fold slots; at the period's end the next fold starts.
        self.next_fold.next = ((self.advance.val() & (!self.in_preload0.q.val()))
            & (self.pos.q.val() == self.period_end.q.val()));
        if (self.advance.val() & (!self.in_preload0.q.val())) {
            self.pos.d.next = (self.pos.q.val() + 1);
        }
        if self.next_fold.val() {
            if self.is_last.q.val() {
                self.run.d.next = false;
            } else {
                self.d0.d.next = self.nd0.q.val();
                self.n0.d.next = self.nn0.q.val();
                self.sel.d.next = (!self.sel.q.val());
                self.nfirst.d.next = self.n_nfirst.q.val();
                self.nlast.d.next = self.n_nlast.q.val();
                self.cols_real.d.next = self.n_cols_real.q.val();
                self.pos.d.next = bits::<16>(0);
                self.t.d.next = bits::<16>(0);
                self.j.d.next = bits::<2>(0);
                self.dj.d.next = self.nd0.q.val();
                self.tok_on.d.next = true;
            }
        }
        // ---- Counter events.
        self.stall_q.d.next = (self.run.q.val() & (self.freeze.q.val().any() | self.stall.val()));
        self.bubble_q.d.next =
            ((self.advance.val() & (!self.in_preload0.q.val())) & (!self.tok_on.q.val()));
        // ---- Outputs.
        self.tok_valid.next = self.tok_valid_q.q.val();
        self.tok_t.next = self.tok_t_q.q.val();
        self.tok_d0.next = self.tok_d0_q.q.val();
        self.tok_n0.next = self.tok_n0_q.q.val();
        self.tok_slot.next = self.tok_slot_q.q.val();
        self.tok_first.next = self.tok_first_q.q.val();
        self.tok_last.next = self.tok_last_q.q.val();
        self.tok_sel.next = self.tok_sel_q.q.val();
        self.tok_nfirst.next = self.tok_nfirst_q.q.val();
        self.tok_nlast.next = self.tok_nlast_q.q.val();
        self.fold_end.next = self.fold_end_q.q.val();
        self.pre_valid.next = self.pre_valid_q.q.val();
        self.pre_d.next = self.pre_d_q.q.val();
        self.pre_n0.next = self.pre_n0_q.q.val();
        self.pre_slot.next = self.pre_slot_q.q.val();
        self.pre_first.next = self.pre_first_q.q.val();
        self.pre_buf.next = self.pre_buf_q.q.val();
        self.running.next = self.run.q.val();
        self.ev_macs.next = self.macs_q.q.val();
        self.ev_stall.next = self.stall_q.q.val();
        self.ev_bubble.next = self.bubble_q.q.val();
    }
}
