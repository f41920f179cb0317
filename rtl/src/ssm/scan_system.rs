//! The scan-mode core with its host interface: operand and result buffers in
//! block RAM (rust-hdl [`RAM`]), a valid/ready write stream that loads them,
//! and a valid/ready read stream that returns y.
//!
//! **Buffers** (A address bits each, banked so that the core reads a whole
//! row or column tile per cycle; DT = ⌈D/R⌉, NT = ⌈N/C⌉):
//!
//! | id | buffer   | banks | word                 | bank / address of element            |
//! |----|----------|-------|----------------------|---------------------------------------|
//! | 0  | row      | R     | u | delta<<16 | z<<32 | (t, d): bank d mod R, t·DT + ⌊d/R⌋    |
//! | 1  | channel  | R     | bias | skip<<16       | d: bank d mod R, ⌊d/R⌋                |
//! | 2  | column   | C     | B | C<<16             | (t, n): bank n mod C, t·NT + ⌊n/C⌋    |
//! | 3  | a2       | C     | a2                   | (d, n): bank n mod C, d·NT + ⌊n/C⌋    |
//! | —  | y acc.   | R     | 64-bit Q.30          | like row                              |
//! | —  | y        | R     | 32-bit Q16.16        | like row                              |
//!
//! Operand words are Q6.10 (a2 UQ6.10), 16 bits per field. The host loads
//! zero-padded tiles: every word of the last tile, padding included (the
//! core multiplies padding as zeros). Only while the core is idle: `wr_ready`
//! is low while it runs.
//!
//! **Read stream.** `out_start` (idle only) streams y[t, d] for t = 0…L−1,
//! d = 0…D−1 (row-major L×D), one word per handshake (`out_valid` &
//! `out_ready`), `out_last` on the final word. The reader is a simple
//! three-state machine (address, RAM latency, hold): one word per three
//! cycles at most; result readout is not on the critical path of a scan.
//!
//! **Block RAM.** Every bank has the same 2^A words here. For the default
//! workload on 4×4 (A = 13: L·DT = 8192 words per row bank) the buffers
//! alone, each sized to its use in 1024×18 DP16KD tiles, take ~230 (row 96,
//! column 64, y 64, a2 and channel 8), more than the 208 of the LFE5U-85F
//! before the core's 40. Because a fold keeps its state in the PEs for the
//! whole sequence, L cannot simply be streamed in chunks: the default
//! workload on the 85F needs either the y output streamed out as it is
//! written or the state saved between L-chunks (a fold order with t outside
//! the folds). The host interface is simulated, not yet synthesized.
//!
//! The tile index ⌊d0/R⌋ of a tile-aligned d0 is formed as
//! `(d0 · ⌈2^16/R⌉) >> 16`, exact for d0 < 2^15 (the error term
//! ⌊d0/R⌋·(R·⌈2^16/R⌉ − 2^16) stays below 2^16); likewise ⌊n0/C⌋.

use super::scan_core::ScanCore;
use super::tile_addr::TileAddr;
use rust_hdl::prelude::*;

/// ScanCore + RAM buffers + valid/ready streams. `A`: address bits per bank.
#[derive(LogicBlock)]
pub struct ScanSystem<const R: usize, const C: usize, const A: usize> {
    pub clock: Signal<In, Clock>,
    // Write stream: (buffer id, bank, address, data).
    pub wr_valid: Signal<In, Bit>,
    pub wr_ready: Signal<Out, Bit>,
    pub wr_buf: Signal<In, Bits<2>>,
    pub wr_bank: Signal<In, Bits<16>>,
    pub wr_addr: Signal<In, Bits<A>>,
    pub wr_data: Signal<In, Bits<48>>,
    // Job control (as ScanCore), plus the tile counts DT = ⌈D/R⌉, NT = ⌈N/C⌉.
    pub go: Signal<In, Bit>,
    pub dim_l: Signal<In, Bits<16>>,
    pub dim_d: Signal<In, Bits<16>>,
    pub dim_n: Signal<In, Bits<16>>,
    pub dim_dt: Signal<In, Bits<16>>,
    pub dim_nt: Signal<In, Bits<16>>,
    pub softplus: Signal<In, Bit>,
    pub gate: Signal<In, Bit>,
    // Read stream of y.
    pub out_start: Signal<In, Bit>,
    pub out_valid: Signal<Out, Bit>,
    pub out_ready: Signal<In, Bit>,
    pub out_data: Signal<Out, Bits<32>>,
    pub out_last: Signal<Out, Bit>,
    // Status and counters.
    pub busy: Signal<Out, Bit>,
    pub cycles: Signal<Out, Bits<48>>,
    pub busy_pe_cycles: Signal<Out, Bits<48>>,
    pub stall_cycles: Signal<Out, Bits<48>>,
    pub bubble_cycles: Signal<Out, Bits<48>>,
    pub core: ScanCore<R, C>,
    pub row_ram: Vec<RAM<Bits<48>, A>>,
    pub chan_ram: Vec<RAM<Bits<32>, A>>,
    pub col_ram: Vec<RAM<Bits<32>, A>>,
    pub a2_ram: Vec<RAM<Bits<16>, A>>,
    pub acc_ram: Vec<RAM<Bits<64>, A>>,
    pub y_ram: Vec<RAM<Bits<32>, A>>,
    pub row_at: TileAddr,
    pub chan_at: TileAddr,
    pub col_at: TileAddr,
    pub a2_at: TileAddr,
    pub out_at: TileAddr,
    pub acc_rd_at: Vec<TileAddr>,
    pub acc_wr_at: Vec<TileAddr>,
    pub y_wr_at: Vec<TileAddr>,
    recip_r: Constant<Bits<16>>,
    recip_c: Constant<Bits<16>>,
    rows: Constant<Bits<16>>,
    /// 0, 1, 2, … : bank and lane numbers.
    lane_id: Vec<Constant<Bits<16>>>,
    dt_q: DFF<Bits<16>>,
    nt_q: DFF<Bits<16>>,
    l_q: DFF<Bits<16>>,
    d_q: DFF<Bits<16>>,
    // Reader: state 0 idle, 1 address, 2 RAM latency, 3 hold.
    rd_state: DFF<Bits<2>>,
    rd_t: DFF<Bits<16>>,
    rd_d0: DFF<Bits<16>>,
    rd_r: DFF<Bits<16>>,
    rd_d: DFF<Bits<16>>,
    rd_word: DFF<Bits<32>>,
    rd_last: DFF<Bit>,
    idle: Signal<Local, Bit>,
    rd_next_d: Signal<Local, Bits<16>>,
}

impl<const R: usize, const C: usize, const A: usize> Default for ScanSystem<R, C, A> {
    fn default() -> Self {
        assert!(A <= 16, "bank addresses are at most 16 bits");
        let recip = |x: usize| Constant::new((65536u64.div_ceil(x as u64)).into());
        Self {
            clock: Default::default(),
            wr_valid: Default::default(),
            wr_ready: Default::default(),
            wr_buf: Default::default(),
            wr_bank: Default::default(),
            wr_addr: Default::default(),
            wr_data: Default::default(),
            go: Default::default(),
            dim_l: Default::default(),
            dim_d: Default::default(),
            dim_n: Default::default(),
            dim_dt: Default::default(),
            dim_nt: Default::default(),
            softplus: Default::default(),
            gate: Default::default(),
            out_start: Default::default(),
            out_valid: Default::default(),
            out_ready: Default::default(),
            out_data: Default::default(),
            out_last: Default::default(),
            busy: Default::default(),
            cycles: Default::default(),
            busy_pe_cycles: Default::default(),
            stall_cycles: Default::default(),
            bubble_cycles: Default::default(),
            core: Default::default(),
            row_ram: (0..R).map(|_| RAM::default()).collect(),
            chan_ram: (0..R).map(|_| RAM::default()).collect(),
            col_ram: (0..C).map(|_| RAM::default()).collect(),
            a2_ram: (0..C).map(|_| RAM::default()).collect(),
            acc_ram: (0..R).map(|_| RAM::default()).collect(),
            y_ram: (0..R).map(|_| RAM::default()).collect(),
            row_at: Default::default(),
            chan_at: Default::default(),
            col_at: Default::default(),
            a2_at: Default::default(),
            out_at: Default::default(),
            acc_rd_at: (0..R).map(|_| TileAddr::default()).collect(),
            acc_wr_at: (0..R).map(|_| TileAddr::default()).collect(),
            y_wr_at: (0..R).map(|_| TileAddr::default()).collect(),
            recip_r: recip(R),
            recip_c: recip(C),
            rows: Constant::new((R as u64).into()),
            lane_id: (0..R.max(C))
                .map(|i| Constant::new((i as u64).into()))
                .collect(),
            dt_q: Default::default(),
            nt_q: Default::default(),
            l_q: Default::default(),
            d_q: Default::default(),
            rd_state: Default::default(),
            rd_t: Default::default(),
            rd_d0: Default::default(),
            rd_r: Default::default(),
            rd_d: Default::default(),
            rd_word: Default::default(),
            rd_last: Default::default(),
            idle: Default::default(),
            rd_next_d: Default::default(),
        }
    }
}

impl<const R: usize, const C: usize, const A: usize> Logic for ScanSystem<R, C, A> {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(
            self, clock, dt_q, nt_q, l_q, d_q, rd_state, rd_t, rd_d0, rd_r, rd_d, rd_word, rd_last
        );
        self.core.clock.next = self.clock.val();
        self.idle.next = (!self.core.busy.val() & !self.rd_state.q.val().any());
        self.wr_ready.next = self.idle.val();
        // Job start: hold the tile counts for the address generators.
        self.core.go.next = (self.go.val() & self.idle.val());
        if (self.go.val() & self.idle.val()) {
            self.dt_q.d.next = self.dim_dt.val();
            self.nt_q.d.next = self.dim_nt.val();
            self.l_q.d.next = self.dim_l.val();
            self.d_q.d.next = self.dim_d.val();
        }
        self.core.dim_l.next = self.dim_l.val();
        self.core.dim_d.next = self.dim_d.val();
        self.core.dim_n.next = self.dim_n.val();
        self.core.softplus.next = self.softplus.val();
        self.core.gate.next = self.gate.val();
        self.core.stall.next = false;
        // Core read addresses → bank addresses.
        self.row_at.t.next = self.core.rd_t.val();
        self.row_at.tiles.next = self.dt_q.q.val();
        self.row_at.off.next = self.core.rd_d0.val();
        self.row_at.recip.next = self.recip_r.val();
        self.chan_at.t.next = bits::<16>(0);
        self.chan_at.tiles.next = bits::<16>(0);
        self.chan_at.off.next = self.core.rd_d0.val();
        self.chan_at.recip.next = self.recip_r.val();
        self.col_at.t.next = self.core.bc_rd_t.val();
        self.col_at.tiles.next = self.nt_q.q.val();
        self.col_at.off.next = self.core.bc_rd_n0.val();
        self.col_at.recip.next = self.recip_c.val();
        self.a2_at.t.next = self.core.a2_rd_d.val();
        self.a2_at.tiles.next = self.nt_q.q.val();
        self.a2_at.off.next = self.core.a2_rd_n0.val();
        self.a2_at.recip.next = self.recip_c.val();
        self.out_at.t.next = self.rd_t.q.val();
        self.out_at.tiles.next = self.dt_q.q.val();
        self.out_at.off.next = self.rd_d0.q.val();
        self.out_at.recip.next = self.recip_r.val();
        for i in 0..R {
            self.row_ram[i].read_clock.next = self.clock.val();
            self.row_ram[i].write_clock.next = self.clock.val();
            self.row_ram[i].read_address.next = self.row_at.addr.val().get_bits::<A>(0);
            self.row_ram[i].write_address.next = self.wr_addr.val();
            self.row_ram[i].write_data.next = self.wr_data.val();
            self.row_ram[i].write_enable.next = (((self.wr_valid.val() & self.idle.val())
                & (self.wr_buf.val() == 0))
                & (self.wr_bank.val() == self.lane_id[i].val()));
            self.core.u_data[i].next = self.row_ram[i].read_data.val().get_bits::<16>(0);
            self.core.delta_data[i].next = self.row_ram[i].read_data.val().get_bits::<16>(16);
            self.core.z_data[i].next = self.row_ram[i].read_data.val().get_bits::<16>(32);
            self.chan_ram[i].read_clock.next = self.clock.val();
            self.chan_ram[i].write_clock.next = self.clock.val();
            self.chan_ram[i].read_address.next = self.chan_at.addr.val().get_bits::<A>(0);
            self.chan_ram[i].write_address.next = self.wr_addr.val();
            self.chan_ram[i].write_data.next = self.wr_data.val().get_bits::<32>(0);
            self.chan_ram[i].write_enable.next = (((self.wr_valid.val() & self.idle.val())
                & (self.wr_buf.val() == 1))
                & (self.wr_bank.val() == self.lane_id[i].val()));
            self.core.bias_data[i].next = self.chan_ram[i].read_data.val().get_bits::<16>(0);
            self.core.skip_data[i].next = self.chan_ram[i].read_data.val().get_bits::<16>(16);
            // y accumulator: the row end's own read and write ports.
            self.acc_ram[i].read_clock.next = self.clock.val();
            self.acc_ram[i].write_clock.next = self.clock.val();
            self.acc_rd_at[i].t.next = self.core.acc_rd_t[i].val();
            self.acc_rd_at[i].tiles.next = self.dt_q.q.val();
            self.acc_rd_at[i].off.next = self.core.acc_rd_d0[i].val();
            self.acc_rd_at[i].recip.next = self.recip_r.val();
            self.acc_wr_at[i].t.next = self.core.acc_wr_t[i].val();
            self.acc_wr_at[i].tiles.next = self.dt_q.q.val();
            self.acc_wr_at[i].off.next = self.core.acc_wr_d0[i].val();
            self.acc_wr_at[i].recip.next = self.recip_r.val();
            self.acc_ram[i].read_address.next = self.acc_rd_at[i].addr.val().get_bits::<A>(0);
            self.acc_ram[i].write_address.next = self.acc_wr_at[i].addr.val().get_bits::<A>(0);
            self.acc_ram[i].write_data.next = self.core.acc_wr_data[i].val();
            self.acc_ram[i].write_enable.next = self.core.acc_wr_en[i].val();
            self.core.acc_rd_data[i].next = self.acc_ram[i].read_data.val();
            // y: written by the core, read by the output stream.
            self.y_ram[i].read_clock.next = self.clock.val();
            self.y_ram[i].write_clock.next = self.clock.val();
            self.y_wr_at[i].t.next = self.core.y_wr_t[i].val();
            self.y_wr_at[i].tiles.next = self.dt_q.q.val();
            self.y_wr_at[i].off.next = self.core.y_wr_d0[i].val();
            self.y_wr_at[i].recip.next = self.recip_r.val();
            self.y_ram[i].write_address.next = self.y_wr_at[i].addr.val().get_bits::<A>(0);
            self.y_ram[i].write_data.next = self.core.y_wr_data[i].val();
            self.y_ram[i].write_enable.next = self.core.y_wr_en[i].val();
            self.y_ram[i].read_address.next = self.out_at.addr.val().get_bits::<A>(0);
        }
        for j in 0..C {
            self.col_ram[j].read_clock.next = self.clock.val();
            self.col_ram[j].write_clock.next = self.clock.val();
            self.col_ram[j].read_address.next = self.col_at.addr.val().get_bits::<A>(0);
            self.col_ram[j].write_address.next = self.wr_addr.val();
            self.col_ram[j].write_data.next = self.wr_data.val().get_bits::<32>(0);
            self.col_ram[j].write_enable.next = (((self.wr_valid.val() & self.idle.val())
                & (self.wr_buf.val() == 2))
                & (self.wr_bank.val() == self.lane_id[j].val()));
            self.core.b_data[j].next = self.col_ram[j].read_data.val().get_bits::<16>(0);
            self.core.c_data[j].next = self.col_ram[j].read_data.val().get_bits::<16>(16);
            self.a2_ram[j].read_clock.next = self.clock.val();
            self.a2_ram[j].write_clock.next = self.clock.val();
            self.a2_ram[j].read_address.next = self.a2_at.addr.val().get_bits::<A>(0);
            self.a2_ram[j].write_address.next = self.wr_addr.val();
            self.a2_ram[j].write_data.next = self.wr_data.val().get_bits::<16>(0);
            self.a2_ram[j].write_enable.next = (((self.wr_valid.val() & self.idle.val())
                & (self.wr_buf.val() == 3))
                & (self.wr_bank.val() == self.lane_id[j].val()));
            self.core.a2_data[j].next = self.a2_ram[j].read_data.val();
        }
        // Output stream of y, row-major: (t, d = j·R + r).
        self.out_valid.next = (self.rd_state.q.val() == 3);
        self.out_data.next = self.rd_word.q.val();
        self.out_last.next = self.rd_last.q.val();
        self.rd_next_d.next = (self.rd_d.q.val() + 1);
        if (self.rd_state.q.val() == 1) {
            self.rd_state.d.next = bits::<2>(2);
        }
        if (self.rd_state.q.val() == 2) {
            for i in 0..R {
                if (self.rd_r.q.val() == self.lane_id[i].val()) {
                    self.rd_word.d.next = self.y_ram[i].read_data.val();
                }
            }
            self.rd_last.d.next = ((self.rd_next_d.val() == self.d_q.q.val())
                & ((self.rd_t.q.val() + 1) == self.l_q.q.val()));
            self.rd_state.d.next = bits::<2>(3);
        }
        if ((self.rd_state.q.val() == 3) & self.out_ready.val()) {
            self.rd_state.d.next = bits::<2>(1);
            self.rd_d.d.next = self.rd_next_d.val();
            self.rd_r.d.next = (self.rd_r.q.val() + 1);
            if ((self.rd_r.q.val() + 1) == self.rows.val()) {
                self.rd_r.d.next = bits::<16>(0);
                self.rd_d0.d.next = (self.rd_d0.q.val() + self.rows.val());
            }
            if (self.rd_next_d.val() == self.d_q.q.val()) {
                self.rd_d.d.next = bits::<16>(0);
                self.rd_r.d.next = bits::<16>(0);
                self.rd_d0.d.next = bits::<16>(0);
                self.rd_t.d.next = (self.rd_t.q.val() + 1);
            }
            if self.rd_last.q.val() {
                self.rd_state.d.next = bits::<2>(0);
            }
        }
        if (self.out_start.val() & self.idle.val()) {
            self.rd_state.d.next = bits::<2>(1);
            self.rd_t.d.next = bits::<16>(0);
            self.rd_d0.d.next = bits::<16>(0);
            self.rd_r.d.next = bits::<16>(0);
            self.rd_d.d.next = bits::<16>(0);
        }
        // Status and counters.
        self.busy.next = self.core.busy.val();
        self.cycles.next = self.core.cycles.val();
        self.busy_pe_cycles.next = self.core.busy_pe_cycles.val();
        self.stall_cycles.next = self.core.stall_cycles.val();
        self.bubble_cycles.next = self.core.bubble_cycles.val();
    }
}
