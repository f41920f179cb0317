//! Accumulation and write-back of the de-skewed output rows.
//!
//! Each valid row leaving the mesh is partial C row `m` of column tile `n0`
//! for reduction tile `k0`. The first reduction tile (`k0 = 0`) is written as
//! is; later ones are added to what the accumulator memory holds (a
//! read-modify-write). The int32 adds wrap (two's complement).
//!
//! The read is issued one cycle before the row arrives (`row_soon`: the
//! mesh's second-to-last column carries the row's valid bit one cycle ahead
//! of the last), its data (back in the arrival cycle) is registered, the
//! sum is registered in the cycle after the arrival and written in the one
//! after that ([`ACCUM_READ_TO_WRITE`] cycles from a row's read to its
//! write). So the memory's read data reaches a register, not the adder (a
//! block RAM's output is slow: 5.8 ns clock-to-out on the ECP5's DP16KD),
//! and the write port takes a register too: each of a bank's block RAMs
//! (8 for an int32 word) has its own register bits on both sides, and the
//! adder's carry chain sits anywhere between them.
//!
//! The row/fold counters follow the sequencer's fold order (n0 outer, k0 inner,
//! m innermost) and advance on the `row_soon` bit that travelled through the
//! array with the data, so no address has to ride along with it. A row's
//! read comes [`ACCUM_READ_TO_WRITE`] cycles before its write; consecutive
//! folds touch the same row `m` at least one period apart, and the core keeps
//! every period above that ([`super::config::gemm_min_period`]), so a read
//! never misses (nor meets in the same cycle) the previous fold's write to
//! the same row.

use rust_hdl::prelude::*;

/// Cycles from a row's accumulator read to its write.
pub const ACCUM_READ_TO_WRITE: usize = 3;

/// Read-modify-write accumulator front end for an array with C columns,
/// R rows (the reduction tile height).
#[derive(LogicBlock)]
pub struct Accumulator<const R: usize, const C: usize> {
    pub clock: Signal<In, Clock>,
    /// Clears the counters at the start of a job.
    pub start: Signal<In, Bit>,
    pub dim_m: Signal<In, Bits<16>>,
    pub dim_k: Signal<In, Bits<16>>,
    pub dim_n: Signal<In, Bits<16>>,
    /// The de-skewed output row, valid in the cycle after `row_soon`.
    pub row_in: [Signal<In, Bits<32>>; C],
    pub row_soon: Signal<In, Bit>,
    /// Accumulator memory read (data back next cycle), issued with `row_soon`.
    pub c_rd_en: Signal<Out, Bit>,
    pub c_rd_m: Signal<Out, Bits<16>>,
    pub c_rd_n0: Signal<Out, Bits<16>>,
    pub c_rd_data: [Signal<In, Bits<32>>; C],
    /// Accumulator memory write (row `c_wr_m`, elements `c_wr_n0 ..`).
    pub c_wr_en: Signal<Out, Bit>,
    pub c_wr_m: Signal<Out, Bits<16>>,
    pub c_wr_n0: Signal<Out, Bits<16>>,
    pub c_wr_data: [Signal<Out, Bits<32>>; C],
    /// High in the cycle the job's last row is written.
    pub done: Signal<Out, Bit>,
    rows: Constant<Bits<16>>,
    cols: Constant<Bits<16>>,
    m: DFF<Bits<16>>,
    k0: DFF<Bits<16>>,
    n0: DFF<Bits<16>>,
    // Stage 0 (the read is out; the row arrives next cycle): its row, tile, flags.
    pre_valid: DFF<Bit>,
    pre_first: DFF<Bit>,
    pre_last: DFF<Bit>,
    pre_m: DFF<Bits<16>>,
    pre_n0: DFF<Bits<16>>,
    // Stage 1 (the row and the read data are registered): written next cycle.
    rd_q: Vec<DFF<Bits<32>>>,
    st_row: Vec<DFF<Bits<32>>>,
    st_valid: DFF<Bit>,
    st_first: DFF<Bit>,
    st_last: DFF<Bit>,
    st_m: DFF<Bits<16>>,
    st_n0: DFF<Bits<16>>,
    // Stage 2 (the sum is registered): written next cycle.
    wr_data: Vec<DFF<Bits<32>>>,
    wr_valid: DFF<Bit>,
    wr_last: DFF<Bit>,
    wr_m: DFF<Bits<16>>,
    wr_n0: DFF<Bits<16>>,
    last_m: Signal<Local, Bit>,
    last_k: Signal<Local, Bit>,
    last_n: Signal<Local, Bit>,
}

impl<const R: usize, const C: usize> Default for Accumulator<R, C> {
    fn default() -> Self {
        Self {
            clock: Default::default(),
            start: Default::default(),
            dim_m: Default::default(),
            dim_k: Default::default(),
            dim_n: Default::default(),
            row_in: std::array::from_fn(|_| Default::default()),
            row_soon: Default::default(),
            c_rd_en: Default::default(),
            c_rd_m: Default::default(),
            c_rd_n0: Default::default(),
            c_rd_data: std::array::from_fn(|_| Default::default()),
            c_wr_en: Default::default(),
            c_wr_m: Default::default(),
            c_wr_n0: Default::default(),
            c_wr_data: std::array::from_fn(|_| Default::default()),
            done: Default::default(),
            rows: Constant::new((R as u64).into()),
            cols: Constant::new((C as u64).into()),
            m: Default::default(),
            k0: Default::default(),
            n0: Default::default(),
            pre_valid: Default::default(),
            pre_first: Default::default(),
            pre_last: Default::default(),
            pre_m: Default::default(),
            pre_n0: Default::default(),
            rd_q: (0..C).map(|_| DFF::default()).collect(),
            st_row: (0..C).map(|_| DFF::default()).collect(),
            st_valid: Default::default(),
            st_first: Default::default(),
            st_last: Default::default(),
            st_m: Default::default(),
            st_n0: Default::default(),
            wr_data: (0..C).map(|_| DFF::default()).collect(),
            wr_valid: Default::default(),
            wr_last: Default::default(),
            wr_m: Default::default(),
            wr_n0: Default::default(),
            last_m: Default::default(),
            last_k: Default::default(),
            last_n: Default::default(),
        }
    }
}

impl<const R: usize, const C: usize> Logic for Accumulator<R, C> {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(
            self, clock, m, k0, n0, pre_valid, pre_first, pre_last, pre_m, pre_n0, st_valid,
            st_first, st_last, st_m, st_n0, wr_valid, wr_last, wr_m, wr_n0
        );
        for j in 0..C {
            self.rd_q[j].clock.next = self.clock.val();
            self.st_row[j].clock.next = self.clock.val();
            self.st_row[j].d.next = self.st_row[j].q.val();
            self.wr_data[j].clock.next = self.clock.val();
        }
        self.last_m.next = ((self.m.q.val() + 1) == self.dim_m.val());
        self.last_k.next = ((self.k0.q.val() + self.rows.val()) >= self.dim_k.val());
        self.last_n.next = ((self.n0.q.val() + self.cols.val()) >= self.dim_n.val());
        // Stage 0: the row is announced; read what the earlier reduction tiles left.
        self.c_rd_en.next = (self.row_soon.val() & (self.k0.q.val().any()));
        self.c_rd_m.next = self.m.q.val();
        self.c_rd_n0.next = self.n0.q.val();
        self.pre_valid.d.next = self.row_soon.val();
        if self.row_soon.val() {
            self.pre_first.d.next = !(self.k0.q.val().any());
            self.pre_last.d.next = ((self.last_m.val() & self.last_k.val()) & self.last_n.val());
            self.pre_m.d.next = self.m.q.val();
            self.pre_n0.d.next = self.n0.q.val();
            self.m.d.next = (self.m.q.val() + 1);
            if self.last_m.val() {
                self.m.d.next = bits::<16>(0);
                if self.last_k.val() {
                    self.k0.d.next = bits::<16>(0);
                    self.n0.d.next = (self.n0.q.val() + self.cols.val());
                } else {
                    self.k0.d.next = (self.k0.q.val() + self.rows.val());
                }
            }
        }
        if self.start.val() {
            self.m.d.next = bits::<16>(0);
            self.k0.d.next = bits::<16>(0);
            self.n0.d.next = bits::<16>(0);
        }
        // Stage 1: the row arrives beside the read data; register both.
        self.st_valid.d.next = self.pre_valid.q.val();
        if self.pre_valid.q.val() {
            for j in 0..C {
                self.st_row[j].d.next = self.row_in[j].val();
            }
            self.st_first.d.next = self.pre_first.q.val();
            self.st_last.d.next = self.pre_last.q.val();
            self.st_m.d.next = self.pre_m.q.val();
            self.st_n0.d.next = self.pre_n0.q.val();
        }
        for j in 0..C {
            self.rd_q[j].d.next = self.c_rd_data[j].val();
        }
        // Stage 2: the (accumulated) row.
        self.wr_valid.d.next = self.st_valid.q.val();
        self.wr_last.d.next = self.st_last.q.val();
        self.wr_m.d.next = self.st_m.q.val();
        self.wr_n0.d.next = self.st_n0.q.val();
        for j in 0..C {
            self.wr_data[j].d.next = (self.st_row[j].q.val() + self.rd_q[j].q.val());
            if self.st_first.q.val() {
                self.wr_data[j].d.next = self.st_row[j].q.val();
            }
        }
        // Stage 3: write it.
        self.c_wr_en.next = self.wr_valid.q.val();
        self.c_wr_m.next = self.wr_m.q.val();
        self.c_wr_n0.next = self.wr_n0.q.val();
        for j in 0..C {
            self.c_wr_data[j].next = self.wr_data[j].q.val();
        }
        self.done.next = (self.wr_valid.q.val() & self.wr_last.q.val());
    }
}
