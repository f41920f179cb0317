//! The GEMM core: sequencer → skew → mesh → de-skew → accumulator, plus
//! performance counters. This is the top that is simulated and emitted.
//!
//! ```text
//!            A scratchpad (R×int8/row)      B scratchpad (C×int8/row)
//!                  │ a_rd_*                       │ b_rd_*
//!  go, dims ──► Sequencer ── act_ctl, w_ctl ──┐   │
//!                  │                          ▼   ▼
//!                  │               Skew (rows)   Skew (columns)
//!                  │                    │             │
//!                  │                    └──►  Mesh R×C ◄┘
//!                  │                              │ p_out, p_valid_out
//!                  │                           Deskew
//!                  └── job dims ──► Accumulator ◄─┘
//!                                     │ c_rd_* / c_wr_*  (accumulator memory, C×int32/row)
//! ```
//!
//! The scratchpads and the accumulator memory are outside this module: ports
//! with a one-cycle read latency (a block RAM's), served by the testbench in
//! `sim`. Reads return zero past the matrix edges (the memories hold
//! zero-padded tiles), so edge folds multiply padding zeros; the counters
//! count only useful MACs.
//!
//! Cycle timing: see [`super::sequencer`] for the schedule and its closed
//! form, [`super::GemmConfig::cycles`] for the same formula in Rust.

use super::accum::Accumulator;
use super::config::gemm_min_period;
use super::counters::PerfCounters;
use super::mesh::Mesh;
use super::sequencer::Sequencer;
use super::skew::{DelayChain, Deskew, Skew};
use rust_hdl::prelude::*;

/// Weight-stationary int8 GEMM engine on an R×C PE array.
#[derive(LogicBlock)]
pub struct GemmCore<const R: usize, const C: usize> {
    pub clock: Signal<In, Clock>,
    /// Start pulse (ignored while `busy`). Dimensions are sampled with it.
    pub go: Signal<In, Bit>,
    pub dim_m: Signal<In, Bits<16>>,
    pub dim_k: Signal<In, Bits<16>>,
    pub dim_n: Signal<In, Bits<16>>,
    /// Scratchpad back-pressure: no read can be issued this cycle.
    pub stall: Signal<In, Bit>,
    pub a_rd_en: Signal<Out, Bit>,
    pub a_rd_m: Signal<Out, Bits<16>>,
    pub a_rd_k0: Signal<Out, Bits<16>>,
    pub a_rd_data: [Signal<In, Bits<8>>; R],
    pub b_rd_en: Signal<Out, Bit>,
    pub b_rd_k: Signal<Out, Bits<16>>,
    pub b_rd_n0: Signal<Out, Bits<16>>,
    pub b_rd_data: [Signal<In, Bits<8>>; C],
    pub c_rd_en: Signal<Out, Bit>,
    pub c_rd_m: Signal<Out, Bits<16>>,
    pub c_rd_n0: Signal<Out, Bits<16>>,
    pub c_rd_data: [Signal<In, Bits<32>>; C],
    pub c_wr_en: Signal<Out, Bit>,
    pub c_wr_m: Signal<Out, Bits<16>>,
    pub c_wr_n0: Signal<Out, Bits<16>>,
    pub c_wr_data: [Signal<Out, Bits<32>>; C],
    /// High from the cycle after `go` through the cycle of the last write.
    pub busy: Signal<Out, Bit>,
    pub cycles: Signal<Out, Bits<48>>,
    pub busy_pe_cycles: Signal<Out, Bits<48>>,
    pub stall_cycles: Signal<Out, Bits<48>>,
    pub bubble_cycles: Signal<Out, Bits<48>>,
    pub seq: Sequencer<R, C>,
    /// Activation data, row i delayed i cycles.
    pub a_skew: Skew<Bits<8>, R>,
    /// Activation control (bit 0 valid, bit 1 weight select), delayed like the data.
    pub a_ctl: DelayChain<Bits<2>, R>,
    /// Weight data, column j delayed j cycles.
    pub w_skew: Skew<Bits<8>, C>,
    /// Weight control (bit 0 valid, bit 1 first, bit 2 buffer), delayed like the data.
    pub w_ctl: DelayChain<Bits<3>, C>,
    pub mesh: Mesh<R, C>,
    pub out_deskew: Deskew<Bits<32>, C>,
    pub acc: Accumulator<R, C>,
    pub perf: PerfCounters,
    busy_q: DFF<Bit>,
    start: Signal<Local, Bit>,
}

impl<const R: usize, const C: usize> Default for GemmCore<R, C> {
    fn default() -> Self {
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
            a_rd_data: std::array::from_fn(|_| Default::default()),
            b_rd_en: Default::default(),
            b_rd_k: Default::default(),
            b_rd_n0: Default::default(),
            b_rd_data: std::array::from_fn(|_| Default::default()),
            c_rd_en: Default::default(),
            c_rd_m: Default::default(),
            c_rd_n0: Default::default(),
            c_rd_data: std::array::from_fn(|_| Default::default()),
            c_wr_en: Default::default(),
            c_wr_m: Default::default(),
            c_wr_n0: Default::default(),
            c_wr_data: std::array::from_fn(|_| Default::default()),
            busy: Default::default(),
            cycles: Default::default(),
            busy_pe_cycles: Default::default(),
            stall_cycles: Default::default(),
            bubble_cycles: Default::default(),
            seq: Sequencer::with_min_period(gemm_min_period(R)),
            a_skew: Default::default(),
            a_ctl: Default::default(),
            w_skew: Default::default(),
            w_ctl: Default::default(),
            mesh: Default::default(),
            out_deskew: Default::default(),
            acc: Default::default(),
            perf: Default::default(),
            busy_q: Default::default(),
            start: Default::default(),
        }
    }
}

impl<const R: usize, const C: usize> Logic for GemmCore<R, C> {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(self, clock, busy_q);
        self.seq.clock.next = self.clock.val();
        self.a_skew.clock.next = self.clock.val();
        self.a_ctl.clock.next = self.clock.val();
        self.w_skew.clock.next = self.clock.val();
        self.w_ctl.clock.next = self.clock.val();
        self.mesh.clock.next = self.clock.val();
        self.out_deskew.clock.next = self.clock.val();
        self.acc.clock.next = self.clock.val();
        self.perf.clock.next = self.clock.val();
        // Job start and busy flag.
        self.start.next = (self.go.val() & !self.busy_q.q.val());
        if self.start.val() {
            self.busy_q.d.next = true;
        }
        if self.acc.done.val() {
            self.busy_q.d.next = false;
        }
        self.busy.next = self.busy_q.q.val();
        // Sequencer and scratchpad reads.
        self.seq.go.next = self.start.val();
        self.seq.dim_m.next = self.dim_m.val();
        self.seq.dim_k.next = self.dim_k.val();
        self.seq.dim_n.next = self.dim_n.val();
        self.seq.stall.next = self.stall.val();
        self.a_rd_en.next = self.seq.a_rd_en.val();
        self.a_rd_m.next = self.seq.a_rd_m.val();
        self.a_rd_k0.next = self.seq.a_rd_k0.val();
        self.b_rd_en.next = self.seq.b_rd_en.val();
        self.b_rd_k.next = self.seq.b_rd_k.val();
        self.b_rd_n0.next = self.seq.b_rd_n0.val();
        // Returning data + its control → skew → west/north edges of the mesh.
        self.a_ctl.inp.next = self.seq.act_ctl.val();
        self.w_ctl.inp.next = self.seq.w_ctl.val();
        for i in 0..R {
            self.a_skew.inp[i].next = self.a_rd_data[i].val();
            self.mesh.a_in[i].next = self.a_skew.out[i].val();
            self.mesh.a_valid_in[i].next = self.a_ctl.out[i].val().get_bit(0);
            self.mesh.a_sel_in[i].next = self.a_ctl.out[i].val().get_bit(1);
        }
        for j in 0..C {
            self.w_skew.inp[j].next = self.b_rd_data[j].val();
            self.mesh.w_in[j].next = self.w_skew.out[j].val();
            self.mesh.w_valid_in[j].next = self.w_ctl.out[j].val().get_bit(0);
            self.mesh.w_first_in[j].next = self.w_ctl.out[j].val().get_bit(1);
            self.mesh.w_buf_in[j].next = self.w_ctl.out[j].val().get_bit(2);
            self.mesh.p_in[j].next = bits::<32>(0);
            // South edge → de-skew → accumulator.
            self.out_deskew.inp[j].next = self.mesh.p_out[j].val();
            self.acc.row_in[j].next = self.out_deskew.out[j].val();
            self.acc.c_rd_data[j].next = self.c_rd_data[j].val();
            self.c_wr_data[j].next = self.acc.c_wr_data[j].val();
        }
        // The last column needs no de-skew delay: its valid bit marks the
        // aligned row, and the column before it carries the same bit one
        // cycle earlier (the accumulator's early read).
        for cc in C..(C + 1) {
            self.acc.row_soon.next = self.mesh.p_valid_out[cc - 2].val();
        }
        self.acc.start.next = self.start.val();
        self.acc.dim_m.next = self.seq.job_m.val();
        self.acc.dim_k.next = self.seq.job_k.val();
        self.acc.dim_n.next = self.seq.job_n.val();
        self.c_rd_en.next = self.acc.c_rd_en.val();
        self.c_rd_m.next = self.acc.c_rd_m.val();
        self.c_rd_n0.next = self.acc.c_rd_n0.val();
        self.c_wr_en.next = self.acc.c_wr_en.val();
        self.c_wr_m.next = self.acc.c_wr_m.val();
        self.c_wr_n0.next = self.acc.c_wr_n0.val();
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
