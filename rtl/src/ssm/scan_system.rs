//! The scan-mode core with its host interface: operand, state and result
//! buffers in block RAM (rust-hdl [`RAM`]), a valid/ready write stream that
//! loads them, and a valid/ready read stream that returns y or the state.
//!
//! **Chunks.** Long sequences run as a series of jobs of at most 2^T time
//! steps each (a chunk, Lc tokens): per chunk the host writes the chunk's
//! rows of u, delta, z and of B, C (time step t − t0 of the chunk), pulses
//! `go` with `dim_l` = the chunk's length and `resume` set for every chunk
//! after the first, and reads the chunk's y back. Each fold starts from the
//! state the previous chunk left in the state buffer and writes its final
//! state back there, so the chunks compute bit for bit the scan of the whole
//! sequence. a2, delta_bias and D are loaded once.
//!
//! **Buffers** (2^A words per bank, banked so that the core reads a whole
//! row or column tile per cycle; addresses are bit fields, no products):
//!
//! | id | buffer   | banks | word                 | bank, address of element            |
//! |----|----------|-------|----------------------|--------------------------------------|
//! | 0  | row      | R     | u | delta<<16 | z<<32 | (t, d): d mod R, ⌊d/R⌋·2^T + t        |
//! | 1  | channel  | R     | bias | skip<<16       | d: d mod R, ⌊d/R⌋                     |
//! | 2  | column   | C     | B | C<<16             | (t, n): n mod C, ⌊n/C⌋·2^T + t        |
//! | 3  | a2       | C     | a2                   | (d, n): n mod C, ⌊n/C⌋·2^S + d        |
//! | —  | state    | C     | h, Q12.20, 32 bit    | like a2                               |
//! | —  | y acc.   | R     | 64-bit Q.30          | like row                              |
//! | —  | y        | R     | 32-bit Q16.16        | like row                              |
//!
//! t is the time step within the chunk. Operand words are Q6.10 (a2
//! UQ6.10), 16 bits per field. The host keeps Lc ≤ 2^T, ⌈D/R⌉ and ⌈N/C⌉ ≤
//! 2^(A−T), ⌈D/R⌉·R ≤ 2^S and ⌈N/C⌉ ≤ 2^(A−S), and loads zero-padded
//! tiles: every word of the last tile, padding included (the core
//! multiplies padding as zeros; the state of padded cells stays 0). Only
//! while the core is idle: `wr_ready` is low while it runs. The state
//! buffer is written only by the core (a chunk with `resume` low starts
//! from h = 0 whatever it holds).
//!
//! **Read stream.** `out_start` (idle only) streams y[t, d] of the last
//! chunk for t = 0…Lc−1, d = 0…D−1 (row-major Lc×D), or, with `out_state`
//! high, the state h[d, n] (row-major D×N, Q12.20 in the low 32 bits), one
//! word per handshake (`out_valid` & `out_ready`), `out_last` on the final
//! word. The reader is a small state machine (address, the buffers' read
//! latency, latch, hold): one word per four cycles at most; readout is not
//! on a scan's critical path.
//!
//! **Read latency.** Every block RAM's read data goes through a register
//! beside it before any logic (the core's ports, the resume gate, the
//! reader's bank select), so every buffer reads in
//! [`BUFFER_READ_LATENCY`] = 2 cycles: the DP16KD's own output has no
//! register in Yosys' mapping and comes 5.8 ns after the clock.
//!
//! **Block RAM** (Yosys `synth_ecp5` maps each bank to DP16KD, 18 kbit):
//! the default [`DefaultScanSystem`]`<4, 4>` has A = 11, T = 6, S = 8:
//! chunks of Lc = 64 tokens, D ≤ 128 (⌈D/R⌉ ≤ 32), N ≤ 32. Per bank of
//! 2048 words: row 48 bit = 6 DP16KD, acc 64 bit = 8, y, column, channel,
//! state 32 bit = 4 each, a2 16 bit = 2 — 32 per (row bank, column bank)
//! pair, 128 for the 4 + 4 banks, plus the core's 36. Lc = 64 is the
//! longest power-of-two chunk whose token buffers (Lc·⌈D/R⌉ = 2048 words per
//! bank for the default D = 128) fit in 11 address bits: doubling it doubles
//! the row, column, acc and y buffers (88 → 176 DP16KD), 256 with the rest
//! and the core, over the 208. At 64 a chunk of the default workload is 32
//! folds of 64 tokens in four slots, so the fixed per-job cost (the first
//! preload and the last fold's tail, K·R + job_tail = 71 cycles) is 0.9 %
//! of a chunk's 8,263.
//!
//! Yosys 0.23 `synth_ecp5` of `DefaultScanSystem<4, 4>` in its ECP5 form
//! (`make synth-scan-system`, `SPIKESCAN_ECP5` defined): 12,904 LUT4 +
//! 4,441 CCU2C + 320 TRELLIS_DPR16X4 + 37,611 TRELLIS_FF, 129 MULT18X18D,
//! 164 DP16KD — the block RAM exactly as counted above, the multipliers all
//! the core's. Of the LFE5U-85F: 164 of 208 DP16KD, 129 of 156 MULT18X18D,
//! ~22,000 of 83,640 LUT4 counting a CCU2C as two, 45 % of the flip-flops.
//! Placed and routed (`spikescan synth ssm --target ecp5-85k --design
//! scan-system`, nextpnr 0.11.1 out of context, 100 MHz asked, 46 min on
//! two shared cores): 25,204 of 83,640 TRELLIS_COMB (30 %), 37,611
//! TRELLIS_FF, 129/156 MULT18X18D, 164/208 DP16KD; **Fmax 104.00 MHz**.
//! The critical path is a PE's exp2neg shift (9.61 ns, 6.06 of it routing).
//! What each step bought: the registers beside the block RAMs took the
//! design from 75.98 to 83.12 MHz, per-multiplier sdA registers to 91.03,
//! and the MULT18X18D's own input and output registers for every product
//! (instead of fabric registers around Yosys' unregistered mapping of `*`,
//! which the placer had scattered: a C·h product routed 5.14 ns to its
//! register) to 104.00.
//!
//! The tile index ⌊d0/R⌋ of a tile-aligned d0 is formed as
//! `(d0 · ⌈2^16/R⌉) >> 16` ([`FieldAddr`]); a constant product, a shift for
//! the default power-of-two R and C.

use super::scan_core::{ScanCore, BUFFER_READ_LATENCY};
use super::tile_addr::FieldAddr;
use crate::common::delay_line::DelayLine;
use rust_hdl::prelude::*;

/// Address bits per bank of the default scan system.
pub const SCAN_SYSTEM_ADDR_BITS: usize = 11;
/// Time-step bits of the token buffers' addresses: chunks of up to 64 tokens.
pub const SCAN_CHUNK_BITS: usize = 6;
/// Channel bits of the a2 and state buffers' addresses: D ≤ 256.
pub const SCAN_CHANNEL_BITS: usize = 8;

/// The default buffer configuration (A = 11, T = 6, S = 8).
pub type DefaultScanSystem<const R: usize, const C: usize> =
    ScanSystem<R, C, SCAN_SYSTEM_ADDR_BITS, SCAN_CHUNK_BITS, SCAN_CHANNEL_BITS>;

/// ScanCore + RAM buffers + valid/ready streams. `A`: address bits per bank;
/// `T`: time-step bits of a token-buffer address (chunks ≤ 2^T tokens);
/// `S`: channel bits of an a2/state address (D ≤ 2^S).
#[derive(LogicBlock)]
pub struct ScanSystem<
    const R: usize,
    const C: usize,
    const A: usize,
    const T: usize,
    const S: usize,
> {
    pub clock: Signal<In, Clock>,
    // Write stream: (buffer id, bank, address, data).
    pub wr_valid: Signal<In, Bit>,
    pub wr_ready: Signal<Out, Bit>,
    pub wr_buf: Signal<In, Bits<2>>,
    pub wr_bank: Signal<In, Bits<16>>,
    pub wr_addr: Signal<In, Bits<A>>,
    pub wr_data: Signal<In, Bits<48>>,
    // Job control (as ScanCore): L is the chunk's length.
    pub go: Signal<In, Bit>,
    pub dim_l: Signal<In, Bits<16>>,
    pub dim_d: Signal<In, Bits<16>>,
    pub dim_n: Signal<In, Bits<16>>,
    pub softplus: Signal<In, Bit>,
    pub gate: Signal<In, Bit>,
    pub resume: Signal<In, Bit>,
    // Read stream of y (or of the state, `out_state` with `out_start`).
    pub out_start: Signal<In, Bit>,
    pub out_state: Signal<In, Bit>,
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
    pub state_ram: Vec<RAM<Bits<32>, A>>,
    pub acc_ram: Vec<RAM<Bits<64>, A>>,
    pub y_ram: Vec<RAM<Bits<32>, A>>,
    /// The register beside each block RAM: its read data, one cycle later
    /// (the buffers' read latency is [`BUFFER_READ_LATENCY`]).
    row_rd: Vec<DelayLine<Bits<48>>>,
    chan_rd: Vec<DelayLine<Bits<32>>>,
    col_rd: Vec<DelayLine<Bits<32>>>,
    a2_rd: Vec<DelayLine<Bits<16>>>,
    state_rd: Vec<DelayLine<Bits<32>>>,
    acc_rd: Vec<DelayLine<Bits<64>>>,
    y_rd: Vec<DelayLine<Bits<32>>>,
    pub row_at: FieldAddr,
    pub chan_at: FieldAddr,
    pub col_at: FieldAddr,
    pub a2_at: FieldAddr,
    pub out_at: FieldAddr,
    pub out_st_at: FieldAddr,
    pub acc_rd_at: Vec<FieldAddr>,
    pub acc_wr_at: Vec<FieldAddr>,
    pub y_wr_at: Vec<FieldAddr>,
    pub st_wr_at: Vec<FieldAddr>,
    rows: Constant<Bits<16>>,
    cols: Constant<Bits<16>>,
    /// 0, 1, 2, … : bank and lane numbers.
    lane_id: Vec<Constant<Bits<16>>>,
    l_q: DFF<Bits<16>>,
    d_q: DFF<Bits<16>>,
    n_q: DFF<Bits<16>>,
    // Reader: state 0 idle, 1 address, then the buffers' read latency up to
    // `rd_latch` (the word is taken from the register beside its bank),
    // `rd_hold` (the word on the stream). It walks a rd_rows × rd_cols
    // matrix (y: Lc × D over R banks; state: D × N over C): rd_t the row,
    // rd_d the column = rd_d0 + rd_r, rd_r the bank.
    rd_state: DFF<Bits<3>>,
    rd_latch: Constant<Bits<3>>,
    rd_hold: Constant<Bits<3>>,
    rd_st: DFF<Bit>,
    rd_t: DFF<Bits<16>>,
    rd_d0: DFF<Bits<16>>,
    rd_r: DFF<Bits<16>>,
    rd_d: DFF<Bits<16>>,
    rd_word: DFF<Bits<32>>,
    rd_last: DFF<Bit>,
    idle: Signal<Local, Bit>,
    rd_next_d: Signal<Local, Bits<16>>,
    rd_rows: Signal<Local, Bits<16>>,
    rd_cols: Signal<Local, Bits<16>>,
    rd_banks: Signal<Local, Bits<16>>,
}

impl<const R: usize, const C: usize, const A: usize, const T: usize, const S: usize> Default
    for ScanSystem<R, C, A, T, S>
{
    fn default() -> Self {
        assert!(A <= 16, "bank addresses are at most 16 bits");
        assert!(T < A && S < A, "the tile fields need address bits");
        fn beside_rams<W: Synth>(banks: usize) -> Vec<DelayLine<W>> {
            (0..banks)
                .map(|_| DelayLine::new(BUFFER_READ_LATENCY - 1))
                .collect()
        }
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
            softplus: Default::default(),
            gate: Default::default(),
            resume: Default::default(),
            out_start: Default::default(),
            out_state: Default::default(),
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
            state_ram: (0..C).map(|_| RAM::default()).collect(),
            acc_ram: (0..R).map(|_| RAM::default()).collect(),
            y_ram: (0..R).map(|_| RAM::default()).collect(),
            row_rd: beside_rams(R),
            chan_rd: beside_rams(R),
            col_rd: beside_rams(C),
            a2_rd: beside_rams(C),
            state_rd: beside_rams(C),
            acc_rd: beside_rams(R),
            y_rd: beside_rams(R),
            row_at: FieldAddr::new(R, T),
            chan_at: FieldAddr::new(R, 0),
            col_at: FieldAddr::new(C, T),
            a2_at: FieldAddr::new(C, S),
            out_at: FieldAddr::new(R, T),
            out_st_at: FieldAddr::new(C, S),
            acc_rd_at: (0..R).map(|_| FieldAddr::new(R, T)).collect(),
            acc_wr_at: (0..R).map(|_| FieldAddr::new(R, T)).collect(),
            y_wr_at: (0..R).map(|_| FieldAddr::new(R, T)).collect(),
            st_wr_at: (0..C).map(|_| FieldAddr::new(C, S)).collect(),
            rows: Constant::new((R as u64).into()),
            cols: Constant::new((C as u64).into()),
            lane_id: (0..R.max(C))
                .map(|i| Constant::new((i as u64).into()))
                .collect(),
            l_q: Default::default(),
            d_q: Default::default(),
            n_q: Default::default(),
            rd_state: Default::default(),
            rd_latch: Constant::new(((1 + BUFFER_READ_LATENCY) as u64).into()),
            rd_hold: Constant::new(((2 + BUFFER_READ_LATENCY) as u64).into()),
            rd_st: Default::default(),
            rd_t: Default::default(),
            rd_d0: Default::default(),
            rd_r: Default::default(),
            rd_d: Default::default(),
            rd_word: Default::default(),
            rd_last: Default::default(),
            idle: Default::default(),
            rd_next_d: Default::default(),
            rd_rows: Default::default(),
            rd_cols: Default::default(),
            rd_banks: Default::default(),
        }
    }
}

impl<const R: usize, const C: usize, const A: usize, const T: usize, const S: usize> Logic
    for ScanSystem<R, C, A, T, S>
{
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(
            self, clock, l_q, d_q, n_q, rd_state, rd_st, rd_t, rd_d0, rd_r, rd_d, rd_word, rd_last
        );
        self.core.clock.next = self.clock.val();
        self.idle.next = (!self.core.busy.val() & !self.rd_state.q.val().any());
        self.wr_ready.next = self.idle.val();
        // Job start: hold the dimensions for the reader.
        self.core.go.next = (self.go.val() & self.idle.val());
        if (self.go.val() & self.idle.val()) {
            self.l_q.d.next = self.dim_l.val();
            self.d_q.d.next = self.dim_d.val();
            self.n_q.d.next = self.dim_n.val();
        }
        self.core.dim_l.next = self.dim_l.val();
        self.core.dim_d.next = self.dim_d.val();
        self.core.dim_n.next = self.dim_n.val();
        self.core.softplus.next = self.softplus.val();
        self.core.gate.next = self.gate.val();
        self.core.resume.next = self.resume.val();
        self.core.stall.next = false;
        // Core read addresses → bank addresses.
        self.row_at.row.next = self.core.rd_t.val();
        self.row_at.off.next = self.core.rd_d0.val();
        self.chan_at.row.next = bits::<16>(0);
        self.chan_at.off.next = self.core.rd_d0.val();
        self.col_at.row.next = self.core.bc_rd_t.val();
        self.col_at.off.next = self.core.bc_rd_n0.val();
        self.a2_at.row.next = self.core.a2_rd_d.val();
        self.a2_at.off.next = self.core.a2_rd_n0.val();
        self.out_at.row.next = self.rd_t.q.val();
        self.out_at.off.next = self.rd_d0.q.val();
        self.out_st_at.row.next = self.rd_t.q.val();
        self.out_st_at.off.next = self.rd_d0.q.val();
        for i in 0..R {
            self.row_ram[i].read_clock.next = self.clock.val();
            self.row_ram[i].write_clock.next = self.clock.val();
            self.row_ram[i].read_address.next = self.row_at.addr.val().get_bits::<A>(0);
            self.row_ram[i].write_address.next = self.wr_addr.val();
            self.row_ram[i].write_data.next = self.wr_data.val();
            self.row_ram[i].write_enable.next = (((self.wr_valid.val() & self.idle.val())
                & (self.wr_buf.val() == 0))
                & (self.wr_bank.val() == self.lane_id[i].val()));
            self.row_rd[i].clock.next = self.clock.val();
            self.row_rd[i].inp.next = self.row_ram[i].read_data.val();
            self.core.u_data[i].next = self.row_rd[i].out.val().get_bits::<16>(0);
            self.core.delta_data[i].next = self.row_rd[i].out.val().get_bits::<16>(16);
            self.core.z_data[i].next = self.row_rd[i].out.val().get_bits::<16>(32);
            self.chan_ram[i].read_clock.next = self.clock.val();
            self.chan_ram[i].write_clock.next = self.clock.val();
            self.chan_ram[i].read_address.next = self.chan_at.addr.val().get_bits::<A>(0);
            self.chan_ram[i].write_address.next = self.wr_addr.val();
            self.chan_ram[i].write_data.next = self.wr_data.val().get_bits::<32>(0);
            self.chan_ram[i].write_enable.next = (((self.wr_valid.val() & self.idle.val())
                & (self.wr_buf.val() == 1))
                & (self.wr_bank.val() == self.lane_id[i].val()));
            self.chan_rd[i].clock.next = self.clock.val();
            self.chan_rd[i].inp.next = self.chan_ram[i].read_data.val();
            self.core.bias_data[i].next = self.chan_rd[i].out.val().get_bits::<16>(0);
            self.core.skip_data[i].next = self.chan_rd[i].out.val().get_bits::<16>(16);
            // y accumulator: the row end's own read and write ports.
            self.acc_ram[i].read_clock.next = self.clock.val();
            self.acc_ram[i].write_clock.next = self.clock.val();
            self.acc_rd_at[i].row.next = self.core.acc_rd_t[i].val();
            self.acc_rd_at[i].off.next = self.core.acc_rd_d0[i].val();
            self.acc_wr_at[i].row.next = self.core.acc_wr_t[i].val();
            self.acc_wr_at[i].off.next = self.core.acc_wr_d0[i].val();
            self.acc_ram[i].read_address.next = self.acc_rd_at[i].addr.val().get_bits::<A>(0);
            self.acc_ram[i].write_address.next = self.acc_wr_at[i].addr.val().get_bits::<A>(0);
            self.acc_ram[i].write_data.next = self.core.acc_wr_data[i].val();
            self.acc_ram[i].write_enable.next = self.core.acc_wr_en[i].val();
            self.acc_rd[i].clock.next = self.clock.val();
            self.acc_rd[i].inp.next = self.acc_ram[i].read_data.val();
            self.core.acc_rd_data[i].next = self.acc_rd[i].out.val();
            // y: written by the core, read by the output stream.
            self.y_ram[i].read_clock.next = self.clock.val();
            self.y_ram[i].write_clock.next = self.clock.val();
            self.y_wr_at[i].row.next = self.core.y_wr_t[i].val();
            self.y_wr_at[i].off.next = self.core.y_wr_d0[i].val();
            self.y_ram[i].write_address.next = self.y_wr_at[i].addr.val().get_bits::<A>(0);
            self.y_ram[i].write_data.next = self.core.y_wr_data[i].val();
            self.y_ram[i].write_enable.next = self.core.y_wr_en[i].val();
            self.y_ram[i].read_address.next = self.out_at.addr.val().get_bits::<A>(0);
            self.y_rd[i].clock.next = self.clock.val();
            self.y_rd[i].inp.next = self.y_ram[i].read_data.val();
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
            self.col_rd[j].clock.next = self.clock.val();
            self.col_rd[j].inp.next = self.col_ram[j].read_data.val();
            self.core.b_data[j].next = self.col_rd[j].out.val().get_bits::<16>(0);
            self.core.c_data[j].next = self.col_rd[j].out.val().get_bits::<16>(16);
            self.a2_ram[j].read_clock.next = self.clock.val();
            self.a2_ram[j].write_clock.next = self.clock.val();
            self.a2_ram[j].read_address.next = self.a2_at.addr.val().get_bits::<A>(0);
            self.a2_ram[j].write_address.next = self.wr_addr.val();
            self.a2_ram[j].write_data.next = self.wr_data.val().get_bits::<16>(0);
            self.a2_ram[j].write_enable.next = (((self.wr_valid.val() & self.idle.val())
                & (self.wr_buf.val() == 3))
                & (self.wr_bank.val() == self.lane_id[j].val()));
            self.a2_rd[j].clock.next = self.clock.val();
            self.a2_rd[j].inp.next = self.a2_ram[j].read_data.val();
            self.core.a2_data[j].next = self.a2_rd[j].out.val();
            // State: h0 read beside a2, final states written by the core's
            // drain, read by the output stream while idle.
            self.state_ram[j].read_clock.next = self.clock.val();
            self.state_ram[j].write_clock.next = self.clock.val();
            self.state_ram[j].read_address.next = self.a2_at.addr.val().get_bits::<A>(0);
            if self.rd_state.q.val().any() {
                self.state_ram[j].read_address.next = self.out_st_at.addr.val().get_bits::<A>(0);
            }
            self.st_wr_at[j].row.next = self.core.st_wr_d[j].val();
            self.st_wr_at[j].off.next = self.core.st_wr_n0[j].val();
            self.state_ram[j].write_address.next = self.st_wr_at[j].addr.val().get_bits::<A>(0);
            self.state_ram[j].write_data.next = self.core.st_wr_data[j].val();
            self.state_ram[j].write_enable.next = self.core.st_wr_en[j].val();
            self.state_rd[j].clock.next = self.clock.val();
            self.state_rd[j].inp.next = self.state_ram[j].read_data.val();
            self.core.h0_data[j].next = self.state_rd[j].out.val();
        }
        // Output stream, row-major: (row rd_t, column rd_d = rd_d0 + rd_r).
        self.rd_rows.next = self.l_q.q.val();
        self.rd_cols.next = self.d_q.q.val();
        self.rd_banks.next = self.rows.val();
        if self.rd_st.q.val() {
            self.rd_rows.next = self.d_q.q.val();
            self.rd_cols.next = self.n_q.q.val();
            self.rd_banks.next = self.cols.val();
        }
        self.out_valid.next = (self.rd_state.q.val() == self.rd_hold.val());
        self.out_data.next = self.rd_word.q.val();
        self.out_last.next = self.rd_last.q.val();
        self.rd_next_d.next = (self.rd_d.q.val() + 1);
        if (self.rd_state.q.val().any() & (self.rd_state.q.val() < self.rd_latch.val())) {
            self.rd_state.d.next = (self.rd_state.q.val() + 1);
        }
        if (self.rd_state.q.val() == self.rd_latch.val()) {
            if self.rd_st.q.val() {
                for j in 0..C {
                    if (self.rd_r.q.val() == self.lane_id[j].val()) {
                        self.rd_word.d.next = self.state_rd[j].out.val();
                    }
                }
            } else {
                for i in 0..R {
                    if (self.rd_r.q.val() == self.lane_id[i].val()) {
                        self.rd_word.d.next = self.y_rd[i].out.val();
                    }
                }
            }
            self.rd_last.d.next = ((self.rd_next_d.val() == self.rd_cols.val())
                & ((self.rd_t.q.val() + 1) == self.rd_rows.val()));
            self.rd_state.d.next = self.rd_hold.val();
        }
        if ((self.rd_state.q.val() == self.rd_hold.val()) & self.out_ready.val()) {
            self.rd_state.d.next = bits::<3>(1);
            self.rd_d.d.next = self.rd_next_d.val();
            self.rd_r.d.next = (self.rd_r.q.val() + 1);
            if ((self.rd_r.q.val() + 1) == self.rd_banks.val()) {
                self.rd_r.d.next = bits::<16>(0);
                self.rd_d0.d.next = (self.rd_d0.q.val() + self.rd_banks.val());
            }
            if (self.rd_next_d.val() == self.rd_cols.val()) {
                self.rd_d.d.next = bits::<16>(0);
                self.rd_r.d.next = bits::<16>(0);
                self.rd_d0.d.next = bits::<16>(0);
                self.rd_t.d.next = (self.rd_t.q.val() + 1);
            }
            if self.rd_last.q.val() {
                self.rd_state.d.next = bits::<3>(0);
            }
        }
        if (self.out_start.val() & self.idle.val()) {
            self.rd_state.d.next = bits::<3>(1);
            self.rd_st.d.next = self.out_state.val();
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
