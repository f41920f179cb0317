//! The scan-mode core: the GEMM [`Sequencer`] (reused: a scan fold is a
//! GEMM fold with M = L tokens, K = D channels on the rows, N states on the
//! columns, a2 in place of the weights) → row heads → row skew → the
//! state-stationary [`ScanMesh`] → row ends, plus performance counters.
//!
//! ```text
//!   go, L, D, N ──► Sequencer ── row read (t, d0) ──► operand buffers ──► ScanRowHead ×R ─► Skew ─┐
//!    resume             │    └── a2/h0 read (d, n0), 2 cycles later ──► a2, h0 ─► Skew ─┐         ▼
//!                       └─────── B/C read (t, n0), 2 cycles later ──► B, C ─► Skew ─► ScanMesh R×C
//!                                          state write ports (d, n0 + c) ◄── top row ─┘  │ tag, psum
//!                                                      y / y-accumulator ports ◄── ScanRowEnd ×R
//! ```
//!
//! **Schedule.** Folds are (d0, n0) tiles of R channels × C states, visited
//! n0-major like the GEMM's; each streams the job's L time steps t = 0…L−1
//! as row tokens. A fold starts from the initial state h0[d, n] (Q12.20, 32
//! bit) read beside a2 when the job was started with `resume`, from h = 0
//! otherwise, and its final state (after t = L − 1) is written back out on
//! the per-column state ports, so a long sequence runs as a series of jobs
//! (chunks), each continuing from the state the previous one saved — bit for
//! bit the scan of the whole sequence (`selective_scan_fixed_resume`).
//! Partial y sums of the state folds n0 > 0 add up in a 64-bit y accumulator
//! (L×D words, only used when N > C); the last state fold rounds, gates and
//! writes y. a2 and h0 of the next fold preload during the current one
//! (double buffered), so folds follow each other with no gap when
//! L ≥ 2R − 1: the fold period is P = max(L, 2R − 1), the 2R − 1 being the
//! time a fold's final states take to drain out of a column (see
//! [`super::scan_pe`]).
//!
//! **Timing.** A row read issued in cycle s returns in s + 1; the row head
//! adds two stages, so row r's token enters the mesh at s + 3 + r and
//! reaches PE(r, c) at s + 3 + r + c. The a2 and B/C reads are issued two
//! cycles after the row read of the same slot so that they enter column c at
//! s + 3 + c — the GEMM core's geometry, shifted by two cycles on both sides.
//! The row end writes y of token (t, row r) at s + 4 + r + C. For the last
//! token (t = L − 1), PE(r, c) captures its final state at the end of
//! s + 4 + r + c and the state reaches the top of column c, and its write
//! port, at s + 5 + 2r + c: the state ports write row r of the fold there,
//! every other cycle, the last (r = R − 1, c = C − 1) at s + 2R + C + 2.
//!
//! **Cycle count** (from the cycle after `go` to the last state write, no
//! stalls), F = ⌈D/R⌉·⌈N/C⌉ folds, P = max(L, 2R − 1):
//!
//! ```text
//! cycles = (3R + C + L + 2) + (F − 1)·P
//! ```
//!
//! R preload slots + (F − 1)·P + L issue slots, then 2R + C + 2 cycles until
//! the last row's final state is written. See [`super::ScanArray::cycles`].
//!
//! Buffers are outside the core, with a block RAM's one-cycle read latency,
//! zero past the matrix edges (zero-padded tiles); writes to padded rows or
//! states are dropped by the buffer or land in its padding. Padded states (B = C = a2 = 0, h0 = 0)
//! keep h = 0 and add nothing; the busy-PE counter counts only real (d, n)
//! cells.

use super::counters::PerfCounters;
use super::scan_mesh::ScanMesh;
use super::scan_row_end::ScanRowEnd;
use super::scan_row_head::ScanRowHead;
use super::sequencer::Sequencer;
use super::skew::{DelayChain, Skew};
use rust_hdl::prelude::*;

/// State-stationary selective-scan engine on an R×C PE array.
#[derive(LogicBlock)]
pub struct ScanCore<const R: usize, const C: usize> {
    pub clock: Signal<In, Clock>,
    /// Start pulse (ignored while `busy`); dimensions and modes are sampled with it.
    pub go: Signal<In, Bit>,
    pub dim_l: Signal<In, Bits<16>>,
    pub dim_d: Signal<In, Bits<16>>,
    pub dim_n: Signal<In, Bits<16>>,
    /// Δ = softplus(delta + delta_bias) (else clamp to [0, 4)). Hold for the job.
    pub softplus: Signal<In, Bit>,
    /// y is gated by SiLU(z). Hold for the job.
    pub gate: Signal<In, Bit>,
    /// Sampled with `go`: each fold starts from the state read on `h0_data`
    /// (a chunk continuing a sequence) instead of h = 0.
    pub resume: Signal<In, Bit>,
    /// Buffer back-pressure: no read can be issued this cycle.
    pub stall: Signal<In, Bit>,
    /// Row read: time step `rd_t`, channels `rd_d0 .. rd_d0 + R` of u, delta, z
    /// (L×D) and of delta_bias, D (per channel). Q6.10 words, next cycle.
    pub rd_en: Signal<Out, Bit>,
    pub rd_t: Signal<Out, Bits<16>>,
    pub rd_d0: Signal<Out, Bits<16>>,
    pub u_data: [Signal<In, Bits<16>>; R],
    pub delta_data: [Signal<In, Bits<16>>; R],
    pub z_data: [Signal<In, Bits<16>>; R],
    pub bias_data: [Signal<In, Bits<16>>; R],
    pub skip_data: [Signal<In, Bits<16>>; R],
    /// B/C read: time step `bc_rd_t`, states `bc_rd_n0 .. + C`. Q6.10, next cycle.
    pub bc_rd_en: Signal<Out, Bit>,
    pub bc_rd_t: Signal<Out, Bits<16>>,
    pub bc_rd_n0: Signal<Out, Bits<16>>,
    pub b_data: [Signal<In, Bits<16>>; C],
    pub c_data: [Signal<In, Bits<16>>; C],
    /// a2 and initial-state read: channel `a2_rd_d`, states `a2_rd_n0 .. + C`;
    /// a2 (UQ6.10) and h0 (Q12.20, used only with `resume`) next cycle.
    pub a2_rd_en: Signal<Out, Bit>,
    pub a2_rd_d: Signal<Out, Bits<16>>,
    pub a2_rd_n0: Signal<Out, Bits<16>>,
    pub a2_data: [Signal<In, Bits<16>>; C],
    pub h0_data: [Signal<In, Bits<32>>; C],
    /// Per column c: the final state h[d, n0 + c] (Q12.20) of a fold, one
    /// write per row of the fold (d = d0 … d0 + R − 1, every other cycle).
    pub st_wr_en: [Signal<Out, Bit>; C],
    pub st_wr_d: [Signal<Out, Bits<16>>; C],
    pub st_wr_n0: [Signal<Out, Bits<16>>; C],
    pub st_wr_data: [Signal<Out, Bits<32>>; C],
    /// Per row r: y accumulator (64-bit Q.30) at (t, d0 + r).
    pub acc_rd_en: [Signal<Out, Bit>; R],
    pub acc_rd_t: [Signal<Out, Bits<16>>; R],
    pub acc_rd_d0: [Signal<Out, Bits<16>>; R],
    pub acc_rd_data: [Signal<In, Bits<64>>; R],
    pub acc_wr_en: [Signal<Out, Bit>; R],
    pub acc_wr_t: [Signal<Out, Bits<16>>; R],
    pub acc_wr_d0: [Signal<Out, Bits<16>>; R],
    pub acc_wr_data: [Signal<Out, Bits<64>>; R],
    /// Per row r: y[t, d0 + r], Q16.16.
    pub y_wr_en: [Signal<Out, Bit>; R],
    pub y_wr_t: [Signal<Out, Bits<16>>; R],
    pub y_wr_d0: [Signal<Out, Bits<16>>; R],
    pub y_wr_data: [Signal<Out, Bits<32>>; R],
    /// High from the cycle after `go` through the cycle of the last state write.
    pub busy: Signal<Out, Bit>,
    pub cycles: Signal<Out, Bits<48>>,
    pub busy_pe_cycles: Signal<Out, Bits<48>>,
    pub stall_cycles: Signal<Out, Bits<48>>,
    pub bubble_cycles: Signal<Out, Bits<48>>,
    pub seq: Sequencer<R, C>,
    pub heads: Vec<ScanRowHead>,
    pub sk_valid: Skew<Bit, R>,
    pub sk_first: Skew<Bit, R>,
    pub sk_last: Skew<Bit, R>,
    pub sk_sel: Skew<Bit, R>,
    pub sk_dlt: Skew<Bits<18>, R>,
    pub sk_du: Skew<Bits<28>, R>,
    pub sk_tag: Skew<Bits<64>, R>,
    pub sk_psum: Skew<Bits<64>, R>,
    pub sk_b: Skew<Bits<16>, C>,
    pub sk_c: Skew<Bits<16>, C>,
    pub sk_a2: Skew<Bits<16>, C>,
    pub sk_h0: Skew<Bits<32>, C>,
    pub a2_ctl: DelayChain<Bits<3>, C>,
    /// The last token's issue (fold d0, n0), delayed 4 cycles to the start
    /// of the fold's state drain (`out[4]`).
    pub st_ev_en: DelayChain<Bit, 5>,
    pub st_ev_d0: DelayChain<Bits<16>, 5>,
    pub st_ev_n0: DelayChain<Bits<16>, 5>,
    /// Column 0's state writes, skewed to column c.
    pub st_col_en: DelayChain<Bit, C>,
    pub st_col_d: DelayChain<Bits<16>, C>,
    pub st_col_n0: DelayChain<Bits<16>, C>,
    pub mesh: ScanMesh<R, C>,
    pub ends: Vec<ScanRowEnd>,
    pub perf: PerfCounters,
    cols: Constant<Bits<16>>,
    drain_end: Constant<Bits<16>>,
    st_k_end: Constant<Bits<16>>,
    busy_q: DFF<Bit>,
    drain: DFF<Bits<16>>,
    softplus_q: DFF<Bit>,
    gate_q: DFF<Bit>,
    resume_q: DFF<Bit>,
    st_on: DFF<Bit>,
    st_k: DFF<Bits<16>>,
    st_d0: DFF<Bits<16>>,
    st_n0: DFF<Bits<16>>,
    tk_t: DFF<Bits<16>>,
    tk_d0: DFF<Bits<16>>,
    tk_n0: DFF<Bits<16>>,
    bc1_en: DFF<Bit>,
    bc1_t: DFF<Bits<16>>,
    bc1_n0: DFF<Bits<16>>,
    bc2_en: DFF<Bit>,
    bc2_t: DFF<Bits<16>>,
    bc2_n0: DFF<Bits<16>>,
    a21_en: DFF<Bit>,
    a21_d: DFF<Bits<16>>,
    a21_n0: DFF<Bits<16>>,
    a22_en: DFF<Bit>,
    a22_d: DFF<Bits<16>>,
    a22_n0: DFF<Bits<16>>,
    wc1: DFF<Bits<3>>,
    wc2: DFF<Bits<3>>,
    psum_lag: Vec<DFF<Bits<64>>>,
    start: Signal<Local, Bit>,
    nlast: Signal<Local, Bit>,
    tlast: Signal<Local, Bit>,
}

impl<const R: usize, const C: usize> Default for ScanCore<R, C> {
    fn default() -> Self {
        fn lanes<T: Default, const N: usize>() -> [T; N] {
            std::array::from_fn(|_| T::default())
        }
        Self {
            clock: Default::default(),
            go: Default::default(),
            dim_l: Default::default(),
            dim_d: Default::default(),
            dim_n: Default::default(),
            softplus: Default::default(),
            gate: Default::default(),
            resume: Default::default(),
            stall: Default::default(),
            rd_en: Default::default(),
            rd_t: Default::default(),
            rd_d0: Default::default(),
            u_data: lanes(),
            delta_data: lanes(),
            z_data: lanes(),
            bias_data: lanes(),
            skip_data: lanes(),
            bc_rd_en: Default::default(),
            bc_rd_t: Default::default(),
            bc_rd_n0: Default::default(),
            b_data: lanes(),
            c_data: lanes(),
            a2_rd_en: Default::default(),
            a2_rd_d: Default::default(),
            a2_rd_n0: Default::default(),
            a2_data: lanes(),
            h0_data: lanes(),
            st_wr_en: lanes(),
            st_wr_d: lanes(),
            st_wr_n0: lanes(),
            st_wr_data: lanes(),
            acc_rd_en: lanes(),
            acc_rd_t: lanes(),
            acc_rd_d0: lanes(),
            acc_rd_data: lanes(),
            acc_wr_en: lanes(),
            acc_wr_t: lanes(),
            acc_wr_d0: lanes(),
            acc_wr_data: lanes(),
            y_wr_en: lanes(),
            y_wr_t: lanes(),
            y_wr_d0: lanes(),
            y_wr_data: lanes(),
            busy: Default::default(),
            cycles: Default::default(),
            busy_pe_cycles: Default::default(),
            stall_cycles: Default::default(),
            bubble_cycles: Default::default(),
            seq: Sequencer::with_min_period(2 * R - 1),
            heads: (0..R).map(|_| ScanRowHead::default()).collect(),
            sk_valid: Default::default(),
            sk_first: Default::default(),
            sk_last: Default::default(),
            sk_sel: Default::default(),
            sk_dlt: Default::default(),
            sk_du: Default::default(),
            sk_tag: Default::default(),
            sk_psum: Default::default(),
            sk_b: Default::default(),
            sk_c: Default::default(),
            sk_a2: Default::default(),
            sk_h0: Default::default(),
            a2_ctl: Default::default(),
            st_ev_en: Default::default(),
            st_ev_d0: Default::default(),
            st_ev_n0: Default::default(),
            st_col_en: Default::default(),
            st_col_d: Default::default(),
            st_col_n0: Default::default(),
            mesh: Default::default(),
            ends: (0..R).map(|_| ScanRowEnd::default()).collect(),
            perf: Default::default(),
            cols: Constant::new((C as u64).into()),
            drain_end: Constant::new(((2 * R + C + 1) as u64).into()),
            st_k_end: Constant::new(((2 * R - 2) as u64).into()),
            busy_q: Default::default(),
            drain: Default::default(),
            softplus_q: Default::default(),
            gate_q: Default::default(),
            resume_q: Default::default(),
            st_on: Default::default(),
            st_k: Default::default(),
            st_d0: Default::default(),
            st_n0: Default::default(),
            tk_t: Default::default(),
            tk_d0: Default::default(),
            tk_n0: Default::default(),
            bc1_en: Default::default(),
            bc1_t: Default::default(),
            bc1_n0: Default::default(),
            bc2_en: Default::default(),
            bc2_t: Default::default(),
            bc2_n0: Default::default(),
            a21_en: Default::default(),
            a21_d: Default::default(),
            a21_n0: Default::default(),
            a22_en: Default::default(),
            a22_d: Default::default(),
            a22_n0: Default::default(),
            wc1: Default::default(),
            wc2: Default::default(),
            psum_lag: (0..R).map(|_| DFF::default()).collect(),
            start: Default::default(),
            nlast: Default::default(),
            tlast: Default::default(),
        }
    }
}

impl<const R: usize, const C: usize> Logic for ScanCore<R, C> {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(
            self, clock, busy_q, drain, softplus_q, gate_q, resume_q, st_on, st_k, st_d0, st_n0,
            tk_t, tk_d0, tk_n0, bc1_en, bc1_t, bc1_n0, bc2_en, bc2_t, bc2_n0, a21_en, a21_d,
            a21_n0, a22_en, a22_d, a22_n0, wc1, wc2
        );
        self.seq.clock.next = self.clock.val();
        self.sk_valid.clock.next = self.clock.val();
        self.sk_first.clock.next = self.clock.val();
        self.sk_last.clock.next = self.clock.val();
        self.sk_sel.clock.next = self.clock.val();
        self.sk_dlt.clock.next = self.clock.val();
        self.sk_du.clock.next = self.clock.val();
        self.sk_tag.clock.next = self.clock.val();
        self.sk_psum.clock.next = self.clock.val();
        self.sk_b.clock.next = self.clock.val();
        self.sk_c.clock.next = self.clock.val();
        self.sk_a2.clock.next = self.clock.val();
        self.sk_h0.clock.next = self.clock.val();
        self.a2_ctl.clock.next = self.clock.val();
        self.st_ev_en.clock.next = self.clock.val();
        self.st_ev_d0.clock.next = self.clock.val();
        self.st_ev_n0.clock.next = self.clock.val();
        self.st_col_en.clock.next = self.clock.val();
        self.st_col_d.clock.next = self.clock.val();
        self.st_col_n0.clock.next = self.clock.val();
        self.mesh.clock.next = self.clock.val();
        self.perf.clock.next = self.clock.val();
        for i in 0..R {
            self.heads[i].clock.next = self.clock.val();
            self.ends[i].clock.next = self.clock.val();
            self.psum_lag[i].clock.next = self.clock.val();
        }
        // Job start, modes, busy flag; busy ends 2R + C + 2 cycles after the
        // last issue slot, with the last state write.
        self.start.next = (self.go.val() & !self.busy_q.q.val());
        if self.start.val() {
            self.busy_q.d.next = true;
            self.drain.d.next = bits::<16>(0);
            self.softplus_q.d.next = self.softplus.val();
            self.gate_q.d.next = self.gate.val();
            self.resume_q.d.next = self.resume.val();
        }
        if (self.busy_q.q.val() & !self.seq.running.val()) & !self.start.val() {
            self.drain.d.next = (self.drain.q.val() + 1);
            if (self.drain.q.val() == self.drain_end.val()) {
                self.busy_q.d.next = false;
            }
        }
        self.busy.next = self.busy_q.q.val();
        // Sequencer: M = L tokens, K = D channels (rows), N states (columns).
        self.seq.go.next = self.start.val();
        self.seq.dim_m.next = self.dim_l.val();
        self.seq.dim_k.next = self.dim_d.val();
        self.seq.dim_n.next = self.dim_n.val();
        self.seq.stall.next = self.stall.val();
        self.rd_en.next = self.seq.a_rd_en.val();
        self.rd_t.next = self.seq.a_rd_m.val();
        self.rd_d0.next = self.seq.a_rd_k0.val();
        self.tk_t.d.next = self.seq.a_rd_m.val();
        self.tk_d0.d.next = self.seq.a_rd_k0.val();
        self.tk_n0.d.next = self.seq.a_rd_n0.val();
        // B/C and a2 reads two cycles after the row read of the same slot.
        self.bc1_en.d.next = self.seq.a_rd_en.val();
        self.bc1_t.d.next = self.seq.a_rd_m.val();
        self.bc1_n0.d.next = self.seq.a_rd_n0.val();
        self.bc2_en.d.next = self.bc1_en.q.val();
        self.bc2_t.d.next = self.bc1_t.q.val();
        self.bc2_n0.d.next = self.bc1_n0.q.val();
        self.bc_rd_en.next = self.bc2_en.q.val();
        self.bc_rd_t.next = self.bc2_t.q.val();
        self.bc_rd_n0.next = self.bc2_n0.q.val();
        self.a21_en.d.next = self.seq.b_rd_en.val();
        self.a21_d.d.next = self.seq.b_rd_k.val();
        self.a21_n0.d.next = self.seq.b_rd_n0.val();
        self.a22_en.d.next = self.a21_en.q.val();
        self.a22_d.d.next = self.a21_d.q.val();
        self.a22_n0.d.next = self.a21_n0.q.val();
        self.a2_rd_en.next = self.a22_en.q.val();
        self.a2_rd_d.next = self.a22_d.q.val();
        self.a2_rd_n0.next = self.a22_n0.q.val();
        self.wc1.d.next = self.seq.w_ctl.val();
        self.wc2.d.next = self.wc1.q.val();
        // Row heads: operands of the token issued last cycle.
        self.nlast.next = ((self.tk_n0.q.val() + self.cols.val()) >= self.seq.job_n.val());
        self.tlast.next = ((self.tk_t.q.val() + 1) == self.seq.job_m.val());
        for i in 0..R {
            self.heads[i].softplus.next = self.softplus_q.q.val();
            self.heads[i].valid_in.next = self.seq.act_ctl.val().get_bit(0);
            self.heads[i].sel_in.next = self.seq.act_ctl.val().get_bit(1);
            self.heads[i].first_in.next = !self.tk_t.q.val().any();
            self.heads[i].last_in.next = self.tlast.val();
            self.heads[i].t_in.next = self.tk_t.q.val();
            self.heads[i].d0_in.next = self.tk_d0.q.val();
            self.heads[i].nfirst_in.next = !self.tk_n0.q.val().any();
            self.heads[i].nlast_in.next = self.nlast.val();
            self.heads[i].u.next = self.u_data[i].val();
            self.heads[i].delta.next = self.delta_data[i].val();
            self.heads[i].z.next = self.z_data[i].val();
            self.heads[i].bias.next = self.bias_data[i].val();
            self.heads[i].skip.next = self.skip_data[i].val();
            // Row skew, then the west edge of the mesh (psum one cycle behind).
            self.sk_valid.inp[i].next = self.heads[i].valid_out.val();
            self.sk_first.inp[i].next = self.heads[i].first_out.val();
            self.sk_last.inp[i].next = self.heads[i].last_out.val();
            self.sk_sel.inp[i].next = self.heads[i].sel_out.val();
            self.sk_dlt.inp[i].next = self.heads[i].dlt_out.val();
            self.sk_du.inp[i].next = self.heads[i].du_out.val();
            self.sk_tag.inp[i].next = self.heads[i].tag_out.val();
            self.sk_psum.inp[i].next = self.heads[i].psum_out.val();
            self.mesh.valid_in[i].next = self.sk_valid.out[i].val();
            self.mesh.first_in[i].next = self.sk_first.out[i].val();
            self.mesh.last_in[i].next = self.sk_last.out[i].val();
            self.mesh.sel_in[i].next = self.sk_sel.out[i].val();
            self.mesh.dlt_in[i].next = self.sk_dlt.out[i].val();
            self.mesh.du_in[i].next = self.sk_du.out[i].val();
            self.mesh.tag_in[i].next = self.sk_tag.out[i].val();
            self.psum_lag[i].d.next = self.sk_psum.out[i].val();
            self.mesh.psum_in[i].next = self.psum_lag[i].q.val();
            // Row ends.
            self.ends[i].gate.next = self.gate_q.q.val();
            self.ends[i].valid_in.next = self.mesh.valid_out[i].val();
            self.ends[i].tag_in.next = self.mesh.tag_out[i].val();
            self.ends[i].psum_in.next = self.mesh.psum_out[i].val();
            self.ends[i].acc_rd_data.next = self.acc_rd_data[i].val();
            self.acc_rd_en[i].next = self.ends[i].acc_rd_en.val();
            self.acc_rd_t[i].next = self.ends[i].acc_rd_t.val();
            self.acc_rd_d0[i].next = self.ends[i].acc_rd_d0.val();
            self.acc_wr_en[i].next = self.ends[i].acc_wr_en.val();
            self.acc_wr_t[i].next = self.ends[i].acc_wr_t.val();
            self.acc_wr_d0[i].next = self.ends[i].acc_wr_d0.val();
            self.acc_wr_data[i].next = self.ends[i].acc_wr_data.val();
            self.y_wr_en[i].next = self.ends[i].y_wr_en.val();
            self.y_wr_t[i].next = self.ends[i].y_wr_t.val();
            self.y_wr_d0[i].next = self.ends[i].y_wr_d0.val();
            self.y_wr_data[i].next = self.ends[i].y_wr_data.val();
        }
        // Column side: B, C and the (a2, h0) burst, skewed by column; h0 = 0
        // unless the job resumes.
        self.a2_ctl.inp.next = self.wc2.q.val();
        for j in 0..C {
            self.sk_b.inp[j].next = self.b_data[j].val();
            self.sk_c.inp[j].next = self.c_data[j].val();
            self.sk_a2.inp[j].next = self.a2_data[j].val();
            self.sk_h0.inp[j].next = bits::<32>(0);
            if self.resume_q.q.val() {
                self.sk_h0.inp[j].next = self.h0_data[j].val();
            }
            self.mesh.b_in[j].next = self.sk_b.out[j].val();
            self.mesh.c_in[j].next = self.sk_c.out[j].val();
            self.mesh.w_in[j].next = self.sk_a2.out[j].val();
            self.mesh.wh_in[j].next = self.sk_h0.out[j].val();
            self.mesh.w_valid_in[j].next = self.a2_ctl.out[j].val().get_bit(0);
            self.mesh.w_first_in[j].next = self.a2_ctl.out[j].val().get_bit(1);
            self.mesh.w_buf_in[j].next = self.a2_ctl.out[j].val().get_bit(2);
        }
        // State drain. The last token of fold (d0, n0) issued in cycle s
        // leaves row r's final state on the top of column c in cycle
        // s + 5 + 2r + c (see ScanPe): column 0's writes run from s + 5, one
        // every other cycle, and column c's are those delayed by c.
        self.st_ev_en.inp.next =
            (self.seq.a_rd_en.val() & ((self.seq.a_rd_m.val() + 1) == self.seq.job_m.val()));
        self.st_ev_d0.inp.next = self.seq.a_rd_k0.val();
        self.st_ev_n0.inp.next = self.seq.a_rd_n0.val();
        if self.st_on.q.val() {
            self.st_k.d.next = (self.st_k.q.val() + 1);
            if (self.st_k.q.val() == self.st_k_end.val()) {
                self.st_on.d.next = false;
            }
        }
        if self.st_ev_en.out[4].val() {
            self.st_on.d.next = true;
            self.st_k.d.next = bits::<16>(0);
            self.st_d0.d.next = self.st_ev_d0.out[4].val();
            self.st_n0.d.next = self.st_ev_n0.out[4].val();
        }
        self.st_col_en.inp.next = (self.st_on.q.val() & !self.st_k.q.val().get_bit(0));
        self.st_col_d.inp.next = (self.st_d0.q.val() + (self.st_k.q.val() >> 1));
        self.st_col_n0.inp.next = self.st_n0.q.val();
        for j in 0..C {
            self.st_wr_en[j].next = self.st_col_en.out[j].val();
            self.st_wr_d[j].next = self.st_col_d.out[j].val();
            self.st_wr_n0[j].next = self.st_col_n0.out[j].val();
            self.st_wr_data[j].next = self.mesh.so_out[j].val();
        }
        // Counters.
        self.perf.clear.next = self.start.val();
        self.perf.active.next = self.busy_q.q.val();
        self.perf.macs.next = self.seq.ev_macs.val();
        self.perf.stall.next = self.seq.ev_stall.val();
        self.perf.bubble.next = self.seq.ev_bubble.val();
        self.cycles.next = self.perf.cycles.val();
        self.busy_pe_cycles.next = self.perf.busy_pe_cycles.val();
        self.stall_cycles.next = self.perf.stall_cycles.val();
        self.bubble_cycles.next = self.perf.bubble_cycles.val();
    }
}
