//! The GEMM-mode core with its host interface: A, B and the int32
//! accumulator in block RAM (rust-hdl [`RAM`]), a valid/ready write stream
//! that loads A and B, and a valid/ready read stream that returns C.
//!
//! **Buffers** (A_BITS address bits each, banked so that the core reads an
//! R-wide A tile, a C-wide B tile and a C-wide accumulator row per cycle;
//! KT = ⌈K/R⌉, NT = ⌈N/C⌉):
//!
//! | id | buffer | banks | word  | bank / address of element             |
//! |----|--------|-------|-------|----------------------------------------|
//! | 0  | A      | R     | int8  | A[m][k]: bank k mod R, m·KT + ⌊k/R⌋   |
//! | 1  | B      | C     | int8  | B[k][n]: bank n mod C, k·NT + ⌊n/C⌋   |
//! | —  | C acc. | C     | int32 | C[m][n]: bank n mod C, m·NT + ⌊n/C⌋   |
//!
//! The host loads zero-padded tiles (A's columns to KT·R, B to KT·R rows and
//! NT·C columns), only while the core is idle (`wr_ready`). `out_start`
//! streams C row-major (M×N), one int32 per handshake, `out_last` on the
//! final word; the reader is the same three-state machine as
//! [`super::scan_system`]'s. Tile indices of tile-aligned offsets use the
//! same exact reciprocal multiply.

use super::core::GemmCore;
use super::tile_addr::TileAddr;
use rust_hdl::prelude::*;

/// GemmCore + RAM buffers + valid/ready streams. `AB`: address bits per bank.
#[derive(LogicBlock)]
pub struct GemmSystem<const R: usize, const C: usize, const AB: usize> {
    pub clock: Signal<In, Clock>,
    pub wr_valid: Signal<In, Bit>,
    pub wr_ready: Signal<Out, Bit>,
    pub wr_buf: Signal<In, Bit>,
    pub wr_bank: Signal<In, Bits<16>>,
    pub wr_addr: Signal<In, Bits<AB>>,
    pub wr_data: Signal<In, Bits<8>>,
    pub go: Signal<In, Bit>,
    pub dim_m: Signal<In, Bits<16>>,
    pub dim_k: Signal<In, Bits<16>>,
    pub dim_n: Signal<In, Bits<16>>,
    pub dim_kt: Signal<In, Bits<16>>,
    pub dim_nt: Signal<In, Bits<16>>,
    pub out_start: Signal<In, Bit>,
    pub out_valid: Signal<Out, Bit>,
    pub out_ready: Signal<In, Bit>,
    pub out_data: Signal<Out, Bits<32>>,
    pub out_last: Signal<Out, Bit>,
    pub busy: Signal<Out, Bit>,
    pub cycles: Signal<Out, Bits<48>>,
    pub busy_pe_cycles: Signal<Out, Bits<48>>,
    pub stall_cycles: Signal<Out, Bits<48>>,
    pub bubble_cycles: Signal<Out, Bits<48>>,
    pub core: GemmCore<R, C>,
    pub a_ram: Vec<RAM<Bits<8>, AB>>,
    pub b_ram: Vec<RAM<Bits<8>, AB>>,
    pub c_ram: Vec<RAM<Bits<32>, AB>>,
    pub a_at: TileAddr,
    pub b_at: TileAddr,
    pub c_rd_at: TileAddr,
    pub c_wr_at: TileAddr,
    pub out_at: TileAddr,
    recip_r: Constant<Bits<16>>,
    recip_c: Constant<Bits<16>>,
    cols: Constant<Bits<16>>,
    lane_id: Vec<Constant<Bits<16>>>,
    kt_q: DFF<Bits<16>>,
    nt_q: DFF<Bits<16>>,
    m_q: DFF<Bits<16>>,
    n_q: DFF<Bits<16>>,
    rd_state: DFF<Bits<2>>,
    rd_m: DFF<Bits<16>>,
    rd_n0: DFF<Bits<16>>,
    rd_c: DFF<Bits<16>>,
    rd_n: DFF<Bits<16>>,
    rd_word: DFF<Bits<32>>,
    rd_last: DFF<Bit>,
    idle: Signal<Local, Bit>,
    rd_next_n: Signal<Local, Bits<16>>,
}

impl<const R: usize, const C: usize, const AB: usize> Default for GemmSystem<R, C, AB> {
    fn default() -> Self {
        assert!(AB <= 16, "bank addresses are at most 16 bits");
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
            dim_m: Default::default(),
            dim_k: Default::default(),
            dim_n: Default::default(),
            dim_kt: Default::default(),
            dim_nt: Default::default(),
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
            a_ram: (0..R).map(|_| RAM::default()).collect(),
            b_ram: (0..C).map(|_| RAM::default()).collect(),
            c_ram: (0..C).map(|_| RAM::default()).collect(),
            a_at: Default::default(),
            b_at: Default::default(),
            c_rd_at: Default::default(),
            c_wr_at: Default::default(),
            out_at: Default::default(),
            recip_r: recip(R),
            recip_c: recip(C),
            cols: Constant::new((C as u64).into()),
            lane_id: (0..R.max(C))
                .map(|i| Constant::new((i as u64).into()))
                .collect(),
            kt_q: Default::default(),
            nt_q: Default::default(),
            m_q: Default::default(),
            n_q: Default::default(),
            rd_state: Default::default(),
            rd_m: Default::default(),
            rd_n0: Default::default(),
            rd_c: Default::default(),
            rd_n: Default::default(),
            rd_word: Default::default(),
            rd_last: Default::default(),
            idle: Default::default(),
            rd_next_n: Default::default(),
        }
    }
}

impl<const R: usize, const C: usize, const AB: usize> Logic for GemmSystem<R, C, AB> {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(
            self, clock, kt_q, nt_q, m_q, n_q, rd_state, rd_m, rd_n0, rd_c, rd_n, rd_word, rd_last
        );
        self.core.clock.next = self.clock.val();
        self.idle.next = (!self.core.busy.val() & !self.rd_state.q.val().any());
        self.wr_ready.next = self.idle.val();
        self.core.go.next = (self.go.val() & self.idle.val());
        if (self.go.val() & self.idle.val()) {
            self.kt_q.d.next = self.dim_kt.val();
            self.nt_q.d.next = self.dim_nt.val();
            self.m_q.d.next = self.dim_m.val();
            self.n_q.d.next = self.dim_n.val();
        }
        self.core.dim_m.next = self.dim_m.val();
        self.core.dim_k.next = self.dim_k.val();
        self.core.dim_n.next = self.dim_n.val();
        self.core.stall.next = false;
        // Core addresses → bank addresses.
        self.a_at.t.next = self.core.a_rd_m.val();
        self.a_at.tiles.next = self.kt_q.q.val();
        self.a_at.off.next = self.core.a_rd_k0.val();
        self.a_at.recip.next = self.recip_r.val();
        self.b_at.t.next = self.core.b_rd_k.val();
        self.b_at.tiles.next = self.nt_q.q.val();
        self.b_at.off.next = self.core.b_rd_n0.val();
        self.b_at.recip.next = self.recip_c.val();
        self.c_rd_at.t.next = self.core.c_rd_m.val();
        self.c_rd_at.tiles.next = self.nt_q.q.val();
        self.c_rd_at.off.next = self.core.c_rd_n0.val();
        self.c_rd_at.recip.next = self.recip_c.val();
        self.c_wr_at.t.next = self.core.c_wr_m.val();
        self.c_wr_at.tiles.next = self.nt_q.q.val();
        self.c_wr_at.off.next = self.core.c_wr_n0.val();
        self.c_wr_at.recip.next = self.recip_c.val();
        self.out_at.t.next = self.rd_m.q.val();
        self.out_at.tiles.next = self.nt_q.q.val();
        self.out_at.off.next = self.rd_n0.q.val();
        self.out_at.recip.next = self.recip_c.val();
        for i in 0..R {
            self.a_ram[i].read_clock.next = self.clock.val();
            self.a_ram[i].write_clock.next = self.clock.val();
            self.a_ram[i].read_address.next = self.a_at.addr.val().get_bits::<AB>(0);
            self.a_ram[i].write_address.next = self.wr_addr.val();
            self.a_ram[i].write_data.next = self.wr_data.val();
            self.a_ram[i].write_enable.next = (((self.wr_valid.val() & self.idle.val())
                & !self.wr_buf.val())
                & (self.wr_bank.val() == self.lane_id[i].val()));
            self.core.a_rd_data[i].next = self.a_ram[i].read_data.val();
        }
        for j in 0..C {
            self.b_ram[j].read_clock.next = self.clock.val();
            self.b_ram[j].write_clock.next = self.clock.val();
            self.b_ram[j].read_address.next = self.b_at.addr.val().get_bits::<AB>(0);
            self.b_ram[j].write_address.next = self.wr_addr.val();
            self.b_ram[j].write_data.next = self.wr_data.val();
            self.b_ram[j].write_enable.next = (((self.wr_valid.val() & self.idle.val())
                & self.wr_buf.val())
                & (self.wr_bank.val() == self.lane_id[j].val()));
            self.core.b_rd_data[j].next = self.b_ram[j].read_data.val();
            self.c_ram[j].read_clock.next = self.clock.val();
            self.c_ram[j].write_clock.next = self.clock.val();
            self.c_ram[j].read_address.next = self.c_rd_at.addr.val().get_bits::<AB>(0);
            if !self.core.busy.val() {
                self.c_ram[j].read_address.next = self.out_at.addr.val().get_bits::<AB>(0);
            }
            self.c_ram[j].write_address.next = self.c_wr_at.addr.val().get_bits::<AB>(0);
            self.c_ram[j].write_data.next = self.core.c_wr_data[j].val();
            self.c_ram[j].write_enable.next = self.core.c_wr_en.val();
            self.core.c_rd_data[j].next = self.c_ram[j].read_data.val();
        }
        // Output stream of C, row-major: (m, n = j·C + c).
        self.out_valid.next = (self.rd_state.q.val() == 3);
        self.out_data.next = self.rd_word.q.val();
        self.out_last.next = self.rd_last.q.val();
        self.rd_next_n.next = (self.rd_n.q.val() + 1);
        if (self.rd_state.q.val() == 1) {
            self.rd_state.d.next = bits::<2>(2);
        }
        if (self.rd_state.q.val() == 2) {
            for j in 0..C {
                if (self.rd_c.q.val() == self.lane_id[j].val()) {
                    self.rd_word.d.next = self.c_ram[j].read_data.val();
                }
            }
            self.rd_last.d.next = ((self.rd_next_n.val() == self.n_q.q.val())
                & ((self.rd_m.q.val() + 1) == self.m_q.q.val()));
            self.rd_state.d.next = bits::<2>(3);
        }
        if ((self.rd_state.q.val() == 3) & self.out_ready.val()) {
            self.rd_state.d.next = bits::<2>(1);
            self.rd_n.d.next = self.rd_next_n.val();
            self.rd_c.d.next = (self.rd_c.q.val() + 1);
            if ((self.rd_c.q.val() + 1) == self.cols.val()) {
                self.rd_c.d.next = bits::<16>(0);
                self.rd_n0.d.next = (self.rd_n0.q.val() + self.cols.val());
            }
            if (self.rd_next_n.val() == self.n_q.q.val()) {
                self.rd_n.d.next = bits::<16>(0);
                self.rd_c.d.next = bits::<16>(0);
                self.rd_n0.d.next = bits::<16>(0);
                self.rd_m.d.next = (self.rd_m.q.val() + 1);
            }
            if self.rd_last.q.val() {
                self.rd_state.d.next = bits::<2>(0);
            }
        }
        if (self.out_start.val() & self.idle.val()) {
            self.rd_state.d.next = bits::<2>(1);
            self.rd_m.d.next = bits::<16>(0);
            self.rd_n0.d.next = bits::<16>(0);
            self.rd_c.d.next = bits::<16>(0);
            self.rd_n.d.next = bits::<16>(0);
        }
        self.busy.next = self.core.busy.val();
        self.cycles.next = self.core.cycles.val();
        self.busy_pe_cycles.next = self.core.busy_pe_cycles.val();
        self.stall_cycles.next = self.core.stall_cycles.val();
        self.bubble_cycles.next = self.core.bubble_cycles.val();
    }
}
