//! The GEMM-mode core with its host interface: A, B and the int32
//! accumulator in block RAM ([`BlockRam`]), a valid/ready write stream
//! that loads A and B, and a valid/ready read stream that returns C.
//!
//! **Buffers** (2^AB words per bank, banked so that the core reads an
//! R-wide A tile, a C-wide B tile and a C-wide accumulator row per cycle;
//! KT = ⌈K/R⌉, NT = ⌈N/C⌉; addresses are bit fields, no products: the tile
//! index above an F-bit row field, as [`FieldAddr`] forms them):
//!
//! | id | buffer | banks | word  | bank, address of element               |
//! |----|--------|-------|-------|-----------------------------------------|
//! | 0  | A      | R     | int8  | A\[m\]\[k\]: k mod R, ⌊k/R⌋·2^F + m    |
//! | 1  | B      | C     | int8  | B\[k\]\[n\]: n mod C, ⌊n/C⌋·2^F + k    |
//! | —  | C acc. | C     | int32 | C\[m\]\[n\]: n mod C, ⌊n/C⌋·2^F + m    |
//!
//! So the host keeps M ≤ 2^F and KT·R ≤ 2^F (the rows), KT ≤ 2^(AB−F) and
//! NT ≤ 2^(AB−F) (the tiles). It loads zero-padded tiles (A's columns to
//! KT·R, B to KT·R rows and NT·C columns), only while the core is idle
//! (`wr_ready`). `out_start` streams C row-major (M×N), one int32 per
//! handshake, `out_last` on the final word; the reader is a four-state
//! machine (address, block-RAM latency, bank select, hold): one word per
//! four cycles at most; readout is not on a GEMM's critical path. The tile
//! index ⌊off/S⌋ of a tile-aligned offset is `(off · ⌈2^16/S⌉) >> 16`, a
//! shift for the default power-of-two R and C.
//!
//! A host write lands in its block RAM one cycle after its handshake (the
//! address, the data and each bank's write enable are registered), and the
//! core takes `go` and the dimensions from registers one cycle after `go`,
//! so a `go` right after (or with) the last write sees that write; `busy`
//! covers that cycle.
//!
//! **Timing** (ECP5, 100 MHz): every block-RAM write comes from registers,
//! every block-RAM read address comes from a
//! register through wiring only (the accumulator's through the one
//! multiplexer that gives the buffer to the reader while the core is idle),
//! and every block-RAM read data goes straight into a register: the core's
//! scratchpad inputs, the accumulator's read register
//! ([`super::accum`]) and the reader's `c_q`. No read whose data is used
//! meets a write of the same word in the same cycle (the host writes only
//! while the core is idle, the reader reads only then, the accumulator reads
//! a row at least one cycle after its previous write of it), so [`BlockRam`]
//! leaves out the read-during-write bypass.
//!
//! Placed and routed (`spikescan synth ssm --target ecp5-85k --design
//! gemm-system`, nextpnr 0.11.1 out of context, 100 MHz asked): 5,341
//! TRELLIS_COMB, 9,040 TRELLIS_FF, 65/156 MULT18X18D, 96/208 DP16KD; Fmax
//! 113.62 MHz, the critical path a B bank's block-RAM output (5.83 ns
//! clock-to-out) routed to the core's weight skew register. Before the
//! host writes and the accumulator's sum were registered and the products'
//! registers moved into their MULT18X18D it was 102.97 MHz. Along the way:
//! the products alone gave 93.21 (the host's write enable then took 9.36 ns
//! of routing from `busy` to the block RAMs), and with the operand
//! registers inside the MULT18X18D too a PE's operand had to come from its
//! block RAM to the DSP's input register in one cycle (94.54), so the GEMM
//! PE keeps its operand registers in the fabric. With the product-layout
//! addresses (`m·KT + ⌊k0/R⌋`,
//! a run-time multiply into every read address), rust-hdl's `RAM` (Yosys's
//! read-during-write emulation) and the accumulator adding the block RAM's
//! output straight into its write port it was 56.54 MHz.
//!
//! The default [`DefaultGemmSystem`]`<8, 8>` has AB = 12, F = 8: M ≤ 256,
//! K ≤ 128 (KT ≤ 16), N ≤ 128 (NT ≤ 16); Yosys maps a bank of 4096 words to
//! 2 DP16KD (A, B: 8 bits) or 8 (C: 32 bits), 96 in all.

use super::core::GemmCore;
use super::tile_addr::FieldAddr;
use crate::common::ram::BlockRam;
use rust_hdl::prelude::*;

/// Address bits per bank of the default GEMM system.
pub const GEMM_SYSTEM_ADDR_BITS: usize = 12;
/// Row bits of its addresses: M ≤ 256 and B's KT·R rows ≤ 256.
pub const GEMM_SYSTEM_ROW_BITS: usize = 8;

/// The default buffer configuration (AB = 12, F = 8).
pub type DefaultGemmSystem<const R: usize, const C: usize> =
    GemmSystem<R, C, GEMM_SYSTEM_ADDR_BITS, GEMM_SYSTEM_ROW_BITS>;

/// GemmCore + block-RAM buffers + valid/ready streams. `AB`: address bits
/// per bank; `F`: bits of the row field of an address (M and KT·R ≤ 2^F).
#[derive(LogicBlock)]
pub struct GemmSystem<const R: usize, const C: usize, const AB: usize, const F: usize> {
    pub clock: Signal<In, Clock>,
    pub wr_valid: Signal<In, Bit>,
    pub wr_ready: Signal<Out, Bit>,
    /// 0: A, 1: B.
    pub wr_buf: Signal<In, Bit>,
    pub wr_bank: Signal<In, Bits<16>>,
    pub wr_addr: Signal<In, Bits<AB>>,
    pub wr_data: Signal<In, Bits<8>>,
    pub go: Signal<In, Bit>,
    pub dim_m: Signal<In, Bits<16>>,
    pub dim_k: Signal<In, Bits<16>>,
    pub dim_n: Signal<In, Bits<16>>,
    pub out_start: Signal<In, Bit>,
    pub out_valid: Signal<Out, Bit>,
    pub out_ready: Signal<In, Bit>,
    pub out_data: Signal<Out, Bits<32>>,
    pub out_last: Signal<Out, Bit>,
    /// A GEMM is running: from the cycle after `go` is taken until the
    /// core has written its last row.
    pub busy: Signal<Out, Bit>,
    pub cycles: Signal<Out, Bits<48>>,
    pub busy_pe_cycles: Signal<Out, Bits<48>>,
    pub stall_cycles: Signal<Out, Bits<48>>,
    pub bubble_cycles: Signal<Out, Bits<48>>,
    pub core: GemmCore<R, C>,
    pub a_ram: Vec<BlockRam<Bits<8>, AB>>,
    pub b_ram: Vec<BlockRam<Bits<8>, AB>>,
    pub c_ram: Vec<BlockRam<Bits<32>, AB>>,
    pub a_at: FieldAddr,
    pub b_at: FieldAddr,
    pub c_rd_at: FieldAddr,
    pub c_wr_at: FieldAddr,
    pub out_at: FieldAddr,
    cols: Constant<Bits<16>>,
    lane_id: Vec<Constant<Bits<16>>>,
    /// `go` and the dimensions, taken while idle and given to the core in
    /// the next cycle (with the last host write, which lands then too).
    go_q: DFF<Bit>,
    m_q: DFF<Bits<16>>,
    k_q: DFF<Bits<16>>,
    n_q: DFF<Bits<16>>,
    /// The host write of the previous cycle: address, data, and each A and
    /// B bank's write enable (decoded here, so that the block RAMs take it
    /// from a register).
    wr_addr_q: DFF<Bits<AB>>,
    wr_data_q: DFF<Bits<8>>,
    a_we_q: Vec<DFF<Bit>>,
    b_we_q: Vec<DFF<Bit>>,
    /// Reader: 0 idle, 1 address, 2 block-RAM latency, 3 bank select, 4 hold.
    rd_state: DFF<Bits<3>>,
    rd_m: DFF<Bits<16>>,
    rd_n0: DFF<Bits<16>>,
    rd_c: DFF<Bits<16>>,
    rd_n: DFF<Bits<16>>,
    /// Each C bank's read data, registered beside the block RAM.
    c_q: Vec<DFF<Bits<32>>>,
    rd_word: DFF<Bits<32>>,
    rd_last: DFF<Bit>,
    idle: Signal<Local, Bit>,
    rd_next_n: Signal<Local, Bits<16>>,
}

impl<const R: usize, const C: usize, const AB: usize, const F: usize> Default
    for GemmSystem<R, C, AB, F>
{
    fn default() -> Self {
        assert!(AB <= 16, "bank addresses are at most 16 bits");
        assert!(F < AB, "the row field leaves bits for the tile index");
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
            a_ram: (0..R).map(|_| BlockRam::default()).collect(),
            b_ram: (0..C).map(|_| BlockRam::default()).collect(),
            c_ram: (0..C).map(|_| BlockRam::default()).collect(),
            a_at: FieldAddr::new(R, F),
            b_at: FieldAddr::new(C, F),
            c_rd_at: FieldAddr::new(C, F),
            c_wr_at: FieldAddr::new(C, F),
            out_at: FieldAddr::new(C, F),
            cols: Constant::new((C as u64).into()),
            lane_id: (0..R.max(C))
                .map(|i| Constant::new((i as u64).into()))
                .collect(),
            go_q: Default::default(),
            m_q: Default::default(),
            k_q: Default::default(),
            n_q: Default::default(),
            wr_addr_q: Default::default(),
            wr_data_q: Default::default(),
            a_we_q: (0..R).map(|_| DFF::default()).collect(),
            b_we_q: (0..C).map(|_| DFF::default()).collect(),
            rd_state: Default::default(),
            rd_m: Default::default(),
            rd_n0: Default::default(),
            rd_c: Default::default(),
            rd_n: Default::default(),
            c_q: (0..C).map(|_| DFF::default()).collect(),
            rd_word: Default::default(),
            rd_last: Default::default(),
            idle: Default::default(),
            rd_next_n: Default::default(),
        }
    }
}

impl<const R: usize, const C: usize, const AB: usize, const F: usize> Logic
    for GemmSystem<R, C, AB, F>
{
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(
            self, clock, go_q, m_q, k_q, n_q, wr_addr_q, wr_data_q, rd_state, rd_m, rd_n0, rd_c,
            rd_n, rd_word, rd_last
        );
        self.core.clock.next = self.clock.val();
        self.idle.next =
            ((!self.core.busy.val() & !self.go_q.q.val()) & !self.rd_state.q.val().any());
        self.wr_ready.next = self.idle.val();
        self.go_q.d.next = (self.go.val() & self.idle.val());
        if (self.go.val() & self.idle.val()) {
            self.m_q.d.next = self.dim_m.val();
            self.k_q.d.next = self.dim_k.val();
            self.n_q.d.next = self.dim_n.val();
        }
        self.core.go.next = self.go_q.q.val();
        self.core.dim_m.next = self.m_q.q.val();
        self.core.dim_k.next = self.k_q.q.val();
        self.core.dim_n.next = self.n_q.q.val();
        self.wr_addr_q.d.next = self.wr_addr.val();
        self.wr_data_q.d.next = self.wr_data.val();
        self.core.stall.next = false;
        // Core addresses → bank addresses: (tile << F) | row.
        self.a_at.row.next = self.core.a_rd_m.val();
        self.a_at.off.next = self.core.a_rd_k0.val();
        self.b_at.row.next = self.core.b_rd_k.val();
        self.b_at.off.next = self.core.b_rd_n0.val();
        self.c_rd_at.row.next = self.core.c_rd_m.val();
        self.c_rd_at.off.next = self.core.c_rd_n0.val();
        self.c_wr_at.row.next = self.core.c_wr_m.val();
        self.c_wr_at.off.next = self.core.c_wr_n0.val();
        self.out_at.row.next = self.rd_m.q.val();
        self.out_at.off.next = self.rd_n0.q.val();
        for i in 0..R {
            self.a_ram[i].clock.next = self.clock.val();
            self.a_ram[i].read_address.next = self.a_at.addr.val().get_bits::<AB>(0);
            self.a_we_q[i].clock.next = self.clock.val();
            self.a_we_q[i].d.next = (((self.wr_valid.val() & self.idle.val())
                & !self.wr_buf.val())
                & (self.wr_bank.val() == self.lane_id[i].val()));
            self.a_ram[i].write_address.next = self.wr_addr_q.q.val();
            self.a_ram[i].write_data.next = self.wr_data_q.q.val();
            self.a_ram[i].write_enable.next = self.a_we_q[i].q.val();
            self.core.a_rd_data[i].next = self.a_ram[i].read_data.val();
        }
        for j in 0..C {
            self.b_ram[j].clock.next = self.clock.val();
            self.b_ram[j].read_address.next = self.b_at.addr.val().get_bits::<AB>(0);
            self.b_we_q[j].clock.next = self.clock.val();
            self.b_we_q[j].d.next = (((self.wr_valid.val() & self.idle.val()) & self.wr_buf.val())
                & (self.wr_bank.val() == self.lane_id[j].val()));
            self.b_ram[j].write_address.next = self.wr_addr_q.q.val();
            self.b_ram[j].write_data.next = self.wr_data_q.q.val();
            self.b_ram[j].write_enable.next = self.b_we_q[j].q.val();
            self.core.b_rd_data[j].next = self.b_ram[j].read_data.val();
            self.c_ram[j].clock.next = self.clock.val();
            self.c_ram[j].read_address.next = self.c_rd_at.addr.val().get_bits::<AB>(0);
            if !self.core.busy.val() {
                self.c_ram[j].read_address.next = self.out_at.addr.val().get_bits::<AB>(0);
            }
            self.c_ram[j].write_address.next = self.c_wr_at.addr.val().get_bits::<AB>(0);
            self.c_ram[j].write_data.next = self.core.c_wr_data[j].val();
            self.c_ram[j].write_enable.next = self.core.c_wr_en.val();
            self.core.c_rd_data[j].next = self.c_ram[j].read_data.val();
            self.c_q[j].clock.next = self.clock.val();
            self.c_q[j].d.next = self.c_ram[j].read_data.val();
        }
        // Output stream of C, row-major: (m, n = n0 + c), c the bank.
        self.out_valid.next = (self.rd_state.q.val() == 4);
        self.out_data.next = self.rd_word.q.val();
        self.out_last.next = self.rd_last.q.val();
        self.rd_next_n.next = (self.rd_n.q.val() + 1);
        if (self.rd_state.q.val() == 1) {
            self.rd_state.d.next = bits::<3>(2);
        }
        if (self.rd_state.q.val() == 2) {
            self.rd_state.d.next = bits::<3>(3);
        }
        if (self.rd_state.q.val() == 3) {
            for j in 0..C {
                if (self.rd_c.q.val() == self.lane_id[j].val()) {
                    self.rd_word.d.next = self.c_q[j].q.val();
                }
            }
            self.rd_last.d.next = ((self.rd_next_n.val() == self.n_q.q.val())
                & ((self.rd_m.q.val() + 1) == self.m_q.q.val()));
            self.rd_state.d.next = bits::<3>(4);
        }
        if ((self.rd_state.q.val() == 4) & self.out_ready.val()) {
            self.rd_state.d.next = bits::<3>(1);
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
                self.rd_state.d.next = bits::<3>(0);
            }
        }
        if (self.out_start.val() & self.idle.val()) {
            self.rd_state.d.next = bits::<3>(1);
            self.rd_m.d.next = bits::<16>(0);
            self.rd_n0.d.next = bits::<16>(0);
            self.rd_c.d.next = bits::<16>(0);
            self.rd_n.d.next = bits::<16>(0);
        }
        self.busy.next = (self.core.busy.val() | self.go_q.q.val());
        self.cycles.next = self.core.cycles.val();
        self.busy_pe_cycles.next = self.core.busy_pe_cycles.val();
        self.stall_cycles.next = self.core.stall_cycles.val();
        self.bubble_cycles.next = self.core.bubble_cycles.val();
    }
}
