//! The scan-mode core: the [`ScanSequencer`] → row heads → row skew → the
//! state-stationary [`ScanMesh`] (four channel slots per PE) → row ends,
//! with the column feeds (B, C and the fold-constant preload), the drain of
//! each fold's final states, and performance counters.
//!
//! ```text
//!   go, L, D, N ──► ScanSequencer ── token (t, d0 + jR) ──► operand buffers ──► ScanRowHead ×R ─► row skew ─┐
//!    resume              │      └── preload (d, n0), 11 cycles later ──► a2, h0 ─► column skew ─┐          ▼
//!                        └──────── B/C read (t, n0), 11 cycles later ──► B, C ─► column skew ─► ScanMesh R×C
//!                 state write ports (d, n0 + c) ◄── drain (out of the top row) ─┘         │ psum
//!                                                 y / y-accumulator ports ◄── ScanRowEnd ×R
//! ```
//!
//! **Schedule** (see [`ScanSequencer`]): folds are tiles of K·R channels ×
//! C states (K = [`SLOTS`] = 4 channel slots per PE), visited
//! state-tile-major; a fold streams the job's L time steps as K·L tokens
//! (t, j), t-major, token (t, j) carrying channels d0 + j·R + r to the
//! rows. A fold starts from h0[d, n] (read with a2, Q12.20) when the job
//! was started with `resume`, from h = 0 otherwise, and its final states
//! (after t = L − 1) are written out on the per-column state ports, so a
//! long sequence runs as a series of jobs (chunks), each continuing from the
//! state the previous one saved — bit for bit the scan of the whole
//! sequence (`selective_scan_fixed_resume`). Partial y sums of the state
//! tiles n0 > 0 add up in a 64-bit y accumulator (L×D words, only used when
//! N > C); the last state tile rounds, gates and writes y. The next fold's
//! a2 and h0 preload during the current one (double buffered).
//!
//! **Timing.** The sequencer's registered token outputs drive the row read
//! in cycle s + 1 (slot issued in s); the words return
//! [`BUFFER_READ_LATENCY`] cycles later, in h = s + 1 +
//! BUFFER_READ_LATENCY, and, with the token's control (delayed as much),
//! enter the row heads, whose token leaves [`HEAD_LATENCY`] = 11 cycles
//! later; row r's token is skewed by r + 1 and reaches PE(r, c) at
//! h + 12 + r + c. The B/C read and the preload reads are issued
//! HEAD_LATENCY cycles after their slots, so their words, skewed by c + 1,
//! meet the tokens at row 0. PE(r, c) keeps a
//! slot's final state [`STATE_READY`] cycles after the slot's last token
//! arrived; the drain of a fold starts [`drain_start`] cycles after its
//! last slot was issued, reads the out[j] of a column's PEs every R cycles
//! (slot j = 0…3), and the states leave the top of column c two cycles
//! later, row 0 first, one per cycle: every column writes K·R states per
//! fold, its columns one cycle apart. Row r's partial sum leaves the mesh
//! at h + 27 + r + C; the row end writes y six cycles after that.
//!
//! **Cycle count** (from the cycle after `go` to the last state write, no
//! stalls), F = ⌈D/(KR)⌉·⌈N/C⌉ folds, P = K·max(L, R + 1):
//!
//! ```text
//! cycles = KR + (F − 1)·P + K·L + job_tail(R, C)
//! ```
//!
//! KR preload slots, F − 1 fold periods and the last fold's K·L token
//! slots, then the drain of the last fold or its last y, whichever ends
//! later ([`job_tail`]). See [`super::ScanArray::cycles`].
//!
//! Buffers are outside the core, with a read latency of
//! [`BUFFER_READ_LATENCY`] cycles, zero past the matrix edges (zero-padded
//! tiles); writes to padded rows or states are dropped by the buffer or
//! land in its padding. Padded cells (B = C = a2 = 0, h0 = 0) keep h = 0
//! and add nothing; the busy-PE counter counts only real (d, n) cells. Every input from a buffer meets a
//! register first (a block RAM's data arrives late in the cycle).

use super::counters::PerfCounters;
use super::scan_mesh::ScanMesh;
use super::scan_pe::{PSUM_LAG, SLOTS, STATE_READY};
use super::scan_row_end::{ScanRowEnd, SIDE_BAND_LEAD};
use super::scan_row_head::{ScanRowHead, HEAD_LATENCY};
use super::scan_sequencer::ScanSequencer;
use super::scan_units::y_finish::Y_LATENCY;
use crate::common::delay_line::DelayLine;
use rust_hdl::prelude::*;

/// Cycles from a read address on the core's ports to its word on the data
/// ports, for every buffer: the block RAM's registered read, then a register
/// beside the block RAM ([`super::ScanSystem`]). An ECP5 DP16KD's data come
/// 5.8 ns after the clock; the second register keeps the route from the
/// block RAM to the array, across the die, in a cycle of its own.
pub const BUFFER_READ_LATENCY: usize = 2;

/// Cycles from a slot's issue to its token at PE(0, 0).
const TOKEN_TO_PE: usize = 2 + BUFFER_READ_LATENCY + HEAD_LATENCY;

/// Cycles from a fold's last slot to the first read of its final states in
/// column 0: after the last of them was stored (slot 0 of row R − 1 is the
/// binding one), so that every read sees its fold's state.
pub const fn drain_start(rows: usize) -> usize {
    TOKEN_TO_PE + STATE_READY + 1 + rows - SLOTS
}

/// Cycles from a job's last slot to its last write: the last state write of
/// column C − 1 (the drain: K·R states per column) or the last y write of
/// row R − 1 (its token's partial sum leaves the mesh PSUM_LAG + 1 cycles
/// after reaching PE(R − 1, C − 1), then the row end), whichever is later.
pub const fn job_tail(rows: usize, cols: usize) -> usize {
    let states = drain_start(rows) + cols + SLOTS * rows;
    let y = TOKEN_TO_PE - 1 + rows + cols + PSUM_LAG + Y_LATENCY;
    if states > y {
        states
    } else {
        y
    }
}

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
    /// (L×D) and of delta_bias, D (per channel). Q6.10 words,
    /// [`BUFFER_READ_LATENCY`] cycles later.
    pub rd_en: Signal<Out, Bit>,
    pub rd_t: Signal<Out, Bits<16>>,
    pub rd_d0: Signal<Out, Bits<16>>,
    pub u_data: [Signal<In, Bits<16>>; R],
    pub delta_data: [Signal<In, Bits<16>>; R],
    pub z_data: [Signal<In, Bits<16>>; R],
    pub bias_data: [Signal<In, Bits<16>>; R],
    pub skip_data: [Signal<In, Bits<16>>; R],
    /// B/C read: time step `bc_rd_t`, states `bc_rd_n0 .. + C`. Q6.10,
    /// [`BUFFER_READ_LATENCY`] cycles later.
    pub bc_rd_en: Signal<Out, Bit>,
    pub bc_rd_t: Signal<Out, Bits<16>>,
    pub bc_rd_n0: Signal<Out, Bits<16>>,
    pub b_data: [Signal<In, Bits<16>>; C],
    pub c_data: [Signal<In, Bits<16>>; C],
    /// a2 and initial-state read: channel `a2_rd_d`, states `a2_rd_n0 .. + C`;
    /// a2 (UQ6.10) and h0 (Q12.20, used only with `resume`)
    /// [`BUFFER_READ_LATENCY`] cycles later.
    pub a2_rd_en: Signal<Out, Bit>,
    pub a2_rd_d: Signal<Out, Bits<16>>,
    pub a2_rd_n0: Signal<Out, Bits<16>>,
    pub a2_data: [Signal<In, Bits<16>>; C],
    pub h0_data: [Signal<In, Bits<32>>; C],
    /// Per column c: the final state h[d, n0 + c] (Q12.20) of a fold, one
    /// write per cycle for d = d0 … d0 + KR − 1.
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
    pub seq: ScanSequencer<R, C>,
    pub heads: Vec<ScanRowHead>,
    pub mesh: ScanMesh<R, C>,
    pub ends: Vec<ScanRowEnd>,
    pub perf: PerfCounters,
    // Row side: skew of the tokens, side band to the row ends.
    row_valid: Vec<DelayLine<Bit>>,
    row_first: Vec<DelayLine<Bit>>,
    row_last: Vec<DelayLine<Bit>>,
    row_sel: Vec<DelayLine<Bit>>,
    row_slot: Vec<DelayLine<Bits<2>>>,
    row_dlt: Vec<DelayLine<Bits<18>>>,
    row_du: Vec<DelayLine<Bits<28>>>,
    sb_valid: Vec<DelayLine<Bit>>,
    sb_nfirst: Vec<DelayLine<Bit>>,
    sb_nlast: Vec<DelayLine<Bit>>,
    sb_t: Vec<DelayLine<Bits<16>>>,
    sb_d0: Vec<DelayLine<Bits<16>>>,
    sb_z: Vec<DelayLine<Bits<16>>>,
    // Column side: B/C and preload reads, then the column skew.
    bc_en: DelayLine<Bit>,
    bc_t: DelayLine<Bits<16>>,
    bc_n0: DelayLine<Bits<16>>,
    a2_en: DelayLine<Bit>,
    a2_d: DelayLine<Bits<16>>,
    a2_n0: DelayLine<Bits<16>>,
    /// The preload words' control, delayed to their data.
    pre_valid: DelayLine<Bit>,
    pre_first: DelayLine<Bit>,
    pre_buf: DelayLine<Bit>,
    pre_slot: DelayLine<Bits<2>>,
    col_b: Vec<DelayLine<Bits<16>>>,
    col_c: Vec<DelayLine<Bits<16>>>,
    col_a2: Vec<DelayLine<Bits<16>>>,
    col_h0: Vec<DelayLine<Bits<32>>>,
    col_valid: Vec<DelayLine<Bit>>,
    col_first: Vec<DelayLine<Bit>>,
    col_buf: Vec<DelayLine<Bit>>,
    col_slot: Vec<DelayLine<Bits<2>>>,
    // Drain of a fold's final states.
    dr_go: DelayLine<Bit>,
    dr_go_d0: DelayLine<Bits<16>>,
    dr_go_n0: DelayLine<Bits<16>>,
    /// Column 0's state writes, two cycles after its reads.
    st_en0: DelayLine<Bit>,
    st_d00: DelayLine<Bits<16>>,
    st_n00: DelayLine<Bits<16>>,
    /// Columns 1 … C − 1: column 0's reads and writes, c cycles later.
    col_drain_rd: Vec<DelayLine<Bit>>,
    col_drain_slot: Vec<DelayLine<Bits<2>>>,
    col_st_en: Vec<DelayLine<Bit>>,
    col_st_d: Vec<DelayLine<Bits<16>>>,
    col_st_n0: Vec<DelayLine<Bits<16>>>,
    rows: Constant<Bits<16>>,
    last_slot: Constant<Bits<2>>,
    last_slot_offset: Constant<Bits<16>>,
    drain_words: Constant<Bits<16>>,
    tail_end: Constant<Bits<16>>,
    // The token's control, delayed to the cycle its operands arrive.
    h_valid: DelayLine<Bit>,
    h_first: DelayLine<Bit>,
    h_last: DelayLine<Bit>,
    h_sel: DelayLine<Bit>,
    h_slot: DelayLine<Bits<2>>,
    h_nfirst: DelayLine<Bit>,
    h_nlast: DelayLine<Bit>,
    h_t: DelayLine<Bits<16>>,
    h_d0: DelayLine<Bits<16>>,
    busy_q: DFF<Bit>,
    tail: DFF<Bits<16>>,
    softplus_q: DFF<Bit>,
    gate_q: DFF<Bit>,
    resume_q: DFF<Bit>,
    dr_on: DFF<Bit>,
    dr_k: DFF<Bits<16>>,
    dr_r: DFF<Bits<16>>,
    dr_j: DFF<Bits<2>>,
    dr_d0: DFF<Bits<16>>,
    dr_n0: DFF<Bits<16>>,
    start: Signal<Local, Bit>,
    drain_rd0: Signal<Local, Bit>,
}

impl<const R: usize, const C: usize> Default for ScanCore<R, C> {
    fn default() -> Self {
        fn lanes<T: Default, const N: usize>() -> [T; N] {
            std::array::from_fn(|_| T::default())
        }
        fn lines<T: Synth>(n: usize, depth: impl Fn(usize) -> usize) -> Vec<DelayLine<T>> {
            (0..n).map(|i| DelayLine::new(depth(i))).collect()
        }
        let skew = |r: usize| r + 1;
        // Row r's side band leaves with its operands (h) and reaches the row
        // end SIDE_BAND_LEAD cycles before the row's partial sum.
        let side_band = |r: usize| HEAD_LATENCY + skew(r) + (C - 1) + PSUM_LAG + 1 - SIDE_BAND_LEAD;
        let drain = drain_start(R);
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
            seq: Default::default(),
            heads: (0..R)
                .map(|r| ScanRowHead::new(skew(r) + PSUM_LAG))
                .collect(),
            mesh: Default::default(),
            ends: (0..R).map(|_| ScanRowEnd::default()).collect(),
            perf: Default::default(),
            row_valid: lines(R, skew),
            row_first: lines(R, skew),
            row_last: lines(R, skew),
            row_sel: lines(R, skew),
            row_slot: lines(R, skew),
            row_dlt: lines(R, skew),
            row_du: lines(R, skew),
            // Rows share the token's side band, each one cycle after the row
            // above; z is a row's own.
            sb_valid: lines(R, |r| if r == 0 { side_band(0) } else { 1 }),
            sb_nfirst: lines(R, |r| if r == 0 { side_band(0) } else { 1 }),
            sb_nlast: lines(R, |r| if r == 0 { side_band(0) } else { 1 }),
            sb_t: lines(R, |r| if r == 0 { side_band(0) } else { 1 }),
            sb_d0: lines(R, |r| if r == 0 { side_band(0) } else { 1 }),
            sb_z: lines(R, side_band),
            bc_en: DelayLine::new(HEAD_LATENCY),
            bc_t: DelayLine::new(HEAD_LATENCY),
            bc_n0: DelayLine::new(HEAD_LATENCY),
            a2_en: DelayLine::new(HEAD_LATENCY),
            a2_d: DelayLine::new(HEAD_LATENCY),
            a2_n0: DelayLine::new(HEAD_LATENCY),
            pre_valid: DelayLine::new(HEAD_LATENCY + BUFFER_READ_LATENCY),
            pre_first: DelayLine::new(HEAD_LATENCY + BUFFER_READ_LATENCY),
            pre_buf: DelayLine::new(HEAD_LATENCY + BUFFER_READ_LATENCY),
            pre_slot: DelayLine::new(HEAD_LATENCY + BUFFER_READ_LATENCY),
            col_b: lines(C, skew),
            col_c: lines(C, skew),
            col_a2: lines(C, skew),
            col_h0: lines(C, skew),
            col_valid: lines(C, skew),
            col_first: lines(C, skew),
            col_buf: lines(C, skew),
            col_slot: lines(C, skew),
            dr_go: DelayLine::new(drain - 2),
            dr_go_d0: DelayLine::new(drain - 2),
            dr_go_n0: DelayLine::new(drain - 2),
            st_en0: DelayLine::new(2),
            st_d00: DelayLine::new(2),
            st_n00: DelayLine::new(2),
            col_drain_rd: lines(C - 1, |c| c + 1),
            col_drain_slot: lines(C - 1, |c| c + 1),
            col_st_en: lines(C - 1, |c| c + 1),
            col_st_d: lines(C - 1, |c| c + 1),
            col_st_n0: lines(C - 1, |c| c + 1),
            rows: Constant::new((R as u64).into()),
            last_slot: Constant::new(((SLOTS - 1) as u64).into()),
            last_slot_offset: Constant::new((((SLOTS - 1) * R) as u64).into()),
            drain_words: Constant::new(((SLOTS * R) as u64).into()),
            tail_end: Constant::new(((job_tail(R, C) - 1) as u64).into()),
            h_valid: DelayLine::new(BUFFER_READ_LATENCY),
            h_first: DelayLine::new(BUFFER_READ_LATENCY),
            h_last: DelayLine::new(BUFFER_READ_LATENCY),
            h_sel: DelayLine::new(BUFFER_READ_LATENCY),
            h_slot: DelayLine::new(BUFFER_READ_LATENCY),
            h_nfirst: DelayLine::new(BUFFER_READ_LATENCY),
            h_nlast: DelayLine::new(BUFFER_READ_LATENCY),
            h_t: DelayLine::new(BUFFER_READ_LATENCY),
            h_d0: DelayLine::new(BUFFER_READ_LATENCY),
            busy_q: Default::default(),
            tail: Default::default(),
            softplus_q: Default::default(),
            gate_q: Default::default(),
            resume_q: Default::default(),
            dr_on: Default::default(),
            dr_k: Default::default(),
            dr_r: Default::default(),
            dr_j: Default::default(),
            dr_d0: Default::default(),
            dr_n0: Default::default(),
            start: Default::default(),
            drain_rd0: Default::default(),
        }
    }
}

impl<const R: usize, const C: usize> Logic for ScanCore<R, C> {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(
            self, clock, busy_q, tail, softplus_q, gate_q, resume_q, dr_on, dr_k, dr_r, dr_j,
            dr_d0, dr_n0
        );
        clock!(self, clock, seq, mesh, perf, bc_en, bc_t, bc_n0, a2_en, a2_d, a2_n0);
        clock!(self, clock, pre_valid, pre_first, pre_buf, pre_slot, dr_go, dr_go_d0, dr_go_n0);
        clock!(self, clock, st_en0, st_d00, st_n00);
        clock!(self, clock, h_valid, h_first, h_last, h_sel, h_slot, h_nfirst, h_nlast, h_t, h_d0);
        for i in 0..R {
            self.heads[i].clock.next = self.clock.val();
            self.ends[i].clock.next = self.clock.val();
            self.row_valid[i].clock.next = self.clock.val();
            self.row_first[i].clock.next = self.clock.val();
            self.row_last[i].clock.next = self.clock.val();
            self.row_sel[i].clock.next = self.clock.val();
            self.row_slot[i].clock.next = self.clock.val();
            self.row_dlt[i].clock.next = self.clock.val();
            self.row_du[i].clock.next = self.clock.val();
            self.sb_valid[i].clock.next = self.clock.val();
            self.sb_nfirst[i].clock.next = self.clock.val();
            self.sb_nlast[i].clock.next = self.clock.val();
            self.sb_t[i].clock.next = self.clock.val();
            self.sb_d0[i].clock.next = self.clock.val();
            self.sb_z[i].clock.next = self.clock.val();
        }
        for j in 0..C {
            self.col_b[j].clock.next = self.clock.val();
            self.col_c[j].clock.next = self.clock.val();
            self.col_a2[j].clock.next = self.clock.val();
            self.col_h0[j].clock.next = self.clock.val();
            self.col_valid[j].clock.next = self.clock.val();
            self.col_first[j].clock.next = self.clock.val();
            self.col_buf[j].clock.next = self.clock.val();
            self.col_slot[j].clock.next = self.clock.val();
        }
        for j in 1..C {
            self.col_drain_rd[j - 1].clock.next = self.clock.val();
            self.col_drain_slot[j - 1].clock.next = self.clock.val();
            self.col_st_en[j - 1].clock.next = self.clock.val();
            self.col_st_d[j - 1].clock.next = self.clock.val();
            self.col_st_n0[j - 1].clock.next = self.clock.val();
        }
        // ---- Job start, modes; busy ends with the last state write.
        self.start.next = (self.go.val() & (!self.busy_q.q.val()));
        if self.start.val() {
            self.busy_q.d.next = true;
            self.tail.d.next = bits::<16>(0);
            self.softplus_q.d.next = self.softplus.val();
            self.gate_q.d.next = self.gate.val();
            self.resume_q.d.next = self.resume.val();
        }
        if ((self.busy_q.q.val() & (!self.seq.running.val())) & (!self.start.val())) {
            self.tail.d.next = (self.tail.q.val() + 1);
            if (self.tail.q.val() == self.tail_end.val()) {
                self.busy_q.d.next = false;
            }
        }
        self.busy.next = self.busy_q.q.val();
        self.seq.go.next = self.start.val();
        self.seq.dim_l.next = self.dim_l.val();
        self.seq.dim_d.next = self.dim_d.val();
        self.seq.dim_n.next = self.dim_n.val();
        self.seq.stall.next = self.stall.val();
        // ---- Token slot: the row read now, its control with the words.
        self.rd_en.next = self.seq.tok_valid.val();
        self.rd_t.next = self.seq.tok_t.val();
        self.rd_d0.next = self.seq.tok_d0.val();
        self.h_valid.inp.next = self.seq.tok_valid.val();
        self.h_first.inp.next = self.seq.tok_first.val();
        self.h_last.inp.next = self.seq.tok_last.val();
        self.h_sel.inp.next = self.seq.tok_sel.val();
        self.h_slot.inp.next = self.seq.tok_slot.val();
        self.h_nfirst.inp.next = self.seq.tok_nfirst.val();
        self.h_nlast.inp.next = self.seq.tok_nlast.val();
        self.h_t.inp.next = self.seq.tok_t.val();
        self.h_d0.inp.next = self.seq.tok_d0.val();
        // B/C read and preload read, HEAD_LATENCY cycles after their slots.
        self.bc_en.inp.next = self.seq.tok_valid.val();
        self.bc_t.inp.next = self.seq.tok_t.val();
        self.bc_n0.inp.next = self.seq.tok_n0.val();
        self.bc_rd_en.next = self.bc_en.out.val();
        self.bc_rd_t.next = self.bc_t.out.val();
        self.bc_rd_n0.next = self.bc_n0.out.val();
        self.a2_en.inp.next = self.seq.pre_valid.val();
        self.a2_d.inp.next = self.seq.pre_d.val();
        self.a2_n0.inp.next = self.seq.pre_n0.val();
        self.a2_rd_en.next = self.a2_en.out.val();
        self.a2_rd_d.next = self.a2_d.out.val();
        self.a2_rd_n0.next = self.a2_n0.out.val();
        self.pre_valid.inp.next = self.seq.pre_valid.val();
        self.pre_first.inp.next = self.seq.pre_first.val();
        self.pre_buf.inp.next = self.seq.pre_buf.val();
        self.pre_slot.inp.next = self.seq.pre_slot.val();
        for i in 0..R {
            // Row head: operands from the buffers, the control registered once.
            self.heads[i].softplus.next = self.softplus_q.q.val();
            self.heads[i].valid_in.next = self.h_valid.out.val();
            self.heads[i].first_in.next = self.h_first.out.val();
            self.heads[i].last_in.next = self.h_last.out.val();
            self.heads[i].sel_in.next = self.h_sel.out.val();
            self.heads[i].slot_in.next = self.h_slot.out.val();
            self.heads[i].nfirst_in.next = self.h_nfirst.out.val();
            self.heads[i].u.next = self.u_data[i].val();
            self.heads[i].delta.next = self.delta_data[i].val();
            self.heads[i].bias.next = self.bias_data[i].val();
            self.heads[i].skip.next = self.skip_data[i].val();
            // Row skew, then the west edge of the mesh.
            self.row_valid[i].inp.next = self.heads[i].valid_out.val();
            self.row_first[i].inp.next = self.heads[i].first_out.val();
            self.row_last[i].inp.next = self.heads[i].last_out.val();
            self.row_sel[i].inp.next = self.heads[i].sel_out.val();
            self.row_slot[i].inp.next = self.heads[i].slot_out.val();
            self.row_dlt[i].inp.next = self.heads[i].dlt_out.val();
            self.row_du[i].inp.next = self.heads[i].du_out.val();
            self.mesh.valid_in[i].next = self.row_valid[i].out.val();
            self.mesh.first_in[i].next = self.row_first[i].out.val();
            self.mesh.last_in[i].next = self.row_last[i].out.val();
            self.mesh.sel_in[i].next = self.row_sel[i].out.val();
            self.mesh.slot_in[i].next = self.row_slot[i].out.val();
            self.mesh.dlt_in[i].next = self.row_dlt[i].out.val();
            self.mesh.du_in[i].next = self.row_du[i].out.val();
            self.mesh.psum_in[i].next = self.heads[i].psum_out.val();
            // Side band to the row end.
            self.sb_z[i].inp.next = self.z_data[i].val();
            self.ends[i].gate.next = self.gate_q.q.val();
            self.ends[i].valid_in.next = self.sb_valid[i].out.val();
            self.ends[i].nfirst_in.next = self.sb_nfirst[i].out.val();
            self.ends[i].nlast_in.next = self.sb_nlast[i].out.val();
            self.ends[i].t_in.next = self.sb_t[i].out.val();
            self.ends[i].d0_in.next = self.sb_d0[i].out.val();
            self.ends[i].z_in.next = self.sb_z[i].out.val();
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
        // The token's side band: row 0's from its operands' cycle, row r's
        // one cycle after row r − 1's.
        self.sb_valid[0].inp.next = self.h_valid.out.val();
        self.sb_nfirst[0].inp.next = self.h_nfirst.out.val();
        self.sb_nlast[0].inp.next = self.h_nlast.out.val();
        self.sb_t[0].inp.next = self.h_t.out.val();
        self.sb_d0[0].inp.next = self.h_d0.out.val();
        for i in 1..R {
            self.sb_valid[i].inp.next = self.sb_valid[i - 1].out.val();
            self.sb_nfirst[i].inp.next = self.sb_nfirst[i - 1].out.val();
            self.sb_nlast[i].inp.next = self.sb_nlast[i - 1].out.val();
            self.sb_t[i].inp.next = self.sb_t[i - 1].out.val();
            self.sb_d0[i].inp.next = self.sb_d0[i - 1].out.val();
        }
        // ---- Column side: B, C and the preload burst, skewed by column;
        // h0 = 0 unless the job resumes.
        for j in 0..C {
            self.col_b[j].inp.next = self.b_data[j].val();
            self.col_c[j].inp.next = self.c_data[j].val();
            self.col_a2[j].inp.next = self.a2_data[j].val();
            self.col_h0[j].inp.next = bits::<32>(0);
            if self.resume_q.q.val() {
                self.col_h0[j].inp.next = self.h0_data[j].val();
            }
            self.col_valid[j].inp.next = self.pre_valid.out.val();
            self.col_first[j].inp.next = self.pre_first.out.val();
            self.col_buf[j].inp.next = self.pre_buf.out.val();
            self.col_slot[j].inp.next = self.pre_slot.out.val();
            self.mesh.b_in[j].next = self.col_b[j].out.val();
            self.mesh.c_in[j].next = self.col_c[j].out.val();
            self.mesh.w_in[j].next = self.col_a2[j].out.val();
            self.mesh.wh_in[j].next = self.col_h0[j].out.val();
            self.mesh.w_valid_in[j].next = self.col_valid[j].out.val();
            self.mesh.w_first_in[j].next = self.col_first[j].out.val();
            self.mesh.w_buf_in[j].next = self.col_buf[j].out.val();
            self.mesh.w_slot_in[j].next = self.col_slot[j].out.val();
        }
        // ---- Drain: a fold's final states, drain_start cycles after its
        // last slot; column 0 reads slot j every R cycles, writes each of
        // its K·R states two cycles after the read, columns c cycles apart.
        self.dr_go.inp.next = self.seq.fold_end.val();
        self.dr_go_d0.inp.next = (self.seq.tok_d0.val() - self.last_slot_offset.val());
        self.dr_go_n0.inp.next = self.seq.tok_n0.val();
        if self.dr_on.q.val() {
            self.dr_k.d.next = (self.dr_k.q.val() + 1);
            self.dr_r.d.next = (self.dr_r.q.val() + 1);
            if (self.dr_r.q.val() == (self.rows.val() - 1)) {
                self.dr_r.d.next = bits::<16>(0);
                self.dr_j.d.next = (self.dr_j.q.val() + 1);
            }
            if (self.dr_k.q.val() == (self.drain_words.val() - 1)) {
                self.dr_on.d.next = false;
            }
        }
        if self.dr_go.out.val() {
            self.dr_on.d.next = true;
            self.dr_k.d.next = bits::<16>(0);
            self.dr_r.d.next = bits::<16>(0);
            self.dr_j.d.next = bits::<2>(0);
            self.dr_d0.d.next = self.dr_go_d0.out.val();
            self.dr_n0.d.next = self.dr_go_n0.out.val();
        }
        self.drain_rd0.next = (self.dr_on.q.val() & (!self.dr_r.q.val().any()));
        self.mesh.drain_rd[0].next = self.drain_rd0.val();
        self.mesh.drain_slot[0].next = self.dr_j.q.val();
        self.st_en0.inp.next = self.dr_on.q.val();
        self.st_d00.inp.next = (self.dr_d0.q.val() + self.dr_k.q.val());
        self.st_n00.inp.next = self.dr_n0.q.val();
        self.st_wr_en[0].next = self.st_en0.out.val();
        self.st_wr_d[0].next = self.st_d00.out.val();
        self.st_wr_n0[0].next = self.st_n00.out.val();
        for j in 1..C {
            self.col_drain_rd[j - 1].inp.next = self.drain_rd0.val();
            self.col_drain_slot[j - 1].inp.next = self.dr_j.q.val();
            self.col_st_en[j - 1].inp.next = self.st_en0.out.val();
            self.col_st_d[j - 1].inp.next = self.st_d00.out.val();
            self.col_st_n0[j - 1].inp.next = self.st_n00.out.val();
            self.mesh.drain_rd[j].next = self.col_drain_rd[j - 1].out.val();
            self.mesh.drain_slot[j].next = self.col_drain_slot[j - 1].out.val();
            self.st_wr_en[j].next = self.col_st_en[j - 1].out.val();
            self.st_wr_d[j].next = self.col_st_d[j - 1].out.val();
            self.st_wr_n0[j].next = self.col_st_n0[j - 1].out.val();
        }
        for j in 0..C {
            self.st_wr_data[j].next = self.mesh.so_out[j].val();
        }
        // ---- Counters.
        self.perf.clear.next = self.start.val();
        self.perf.active.next = self.busy_q.q.val();
        self.perf.macs.next = bit_cast::<32, 16>(self.seq.ev_macs.val());
        self.perf.stall.next = self.seq.ev_stall.val();
        self.perf.bubble.next = self.seq.ev_bubble.val();
        self.cycles.next = self.perf.cycles.val();
        self.busy_pe_cycles.next = self.perf.busy_pe_cycles.val();
        self.stall_cycles.next = self.perf.stall_cycles.val();
        self.bubble_cycles.next = self.perf.bubble_cycles.val();
    }
}
