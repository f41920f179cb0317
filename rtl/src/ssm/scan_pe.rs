//! The scan-mode processing element: state-stationary and four-way
//! interleaved. PE(r, c) of a fold holds the states h[d_j + r, n0 + c] of
//! four channel slots j = 0…3 (d_j = d0 + j·R) and performs one recurrence
//! step per cycle, the slots taking turns, for each token (t, j):
//!
//! ```text
//!   dA  = exp2neg(Δ · a2[j])                  UQ1.17   (Exp2NegUnit)
//!   dBu = round(Δu · B, 10)                   Q14.20   (DbuUnit)
//!   h_j = sat32(round(dA · h_j, 17) + dBu)    Q12.20   (StateRing; h0[j] on a fold's first token)
//!   psum_out = psum_in + C · h_j              Q.30     (ChMac)
//! ```
//!
//! exactly as `golden::ssm::fixed::selective_scan_fixed` computes them. The
//! state loop takes [`STATE_RING_STAGES`] = 4 cycles at 100 MHz, so the four
//! slots' tokens arrive in turn and each slot's state is back at the ring's
//! input when its next token is (the row streams (t, 0), (t, 1), (t, 2),
//! (t, 3), (t + 1, 0), …; a slot without a token passes its state through).
//!
//! **Dataflow.** The row token (valid, first, last, sel, slot, Δ UQ2.16, Δu
//! Q8.20) enters from the west and leaves east one cycle later; B and C
//! (Q6.10) enter from the north with the token and leave south one cycle
//! later. The partial sum of token arrival a enters at a + [`PSUM_LAG`] and
//! leaves at a + PSUM_LAG + 1, so it meets the east neighbour's addition.
//!
//! **Fold constants.** A column burst of (a2 UQ6.10, h0 Q12.20) words, four
//! sub-bursts of R words (one per slot, each tagged `first` on its first
//! word, with the slot and the buffer to fill): each PE captures the word
//! tagged `first` into a2/h0[buf][slot] and re-tags the next word it
//! forwards (the GEMM PE's scheme), so PE r takes word r of every
//! sub-burst. `sel`, riding with the token, picks the buffer: a fold's
//! constants switch in each PE exactly when its first token arrives, and
//! the next fold's load into the other buffer meanwhile. Both tables are
//! 8-word LUT RAMs.
//!
//! **Final states.** The fold's last token of slot j (t = L − 1) stores the
//! new state into out[j] (a 4-word LUT RAM). The core drains a column after
//! the fold: `drain_rd` with `drain_slot` = j (to every PE of the column at
//! once) loads out[j] into the shift register `hs` of each PE one cycle
//! later, which shifts north one row per cycle, out of the top row.
//!
//! **Timing** (cycles after the token is on the west inputs, a):
//!
//! | a + | what                                                          |
//! |-----|---------------------------------------------------------------|
//! | 0   | a2[sel][slot] read; token, B, C registered                     |
//! | 1   | Exp2NegUnit takes Δ (the forwarded token) and a2               |
//! | 8   | DbuUnit takes the delayed Δu, B                                |
//! | 11  | h0[sel][slot] read                                            |
//! | 12  | StateRing takes (valid, first, h0, dA, dBu)                    |
//! | 16  | new state ([`STATE_READY`]): out[slot] written if last; ChMac takes (C, h) |
//! | 20  | ChMac adds psum_in ([`PSUM_LAG`])                              |
//! | 21  | psum_out                                                      |
//!
//! MULT18X18D: 7 (Exp2Neg 1, Dbu 2, StateRing 2, ChMac 2). Registers: the
//! token, B, C and preload forwarding, the delay lines (3 + 2 + 4 + 16 + 28
//! + 16 bits, 7–13 deep) and the units' pipelines.

use super::scan_units::ch_mac::{ChMac, CH_PSUM_IN_DELAY};
use super::scan_units::dbu::{DbuUnit, DBU_LATENCY};
use super::scan_units::exp2neg::{Exp2NegUnit, EXP2NEG_LATENCY};
use super::scan_units::state_ring::StateRing;
use crate::common::delay_line::DelayLine;
use crate::common::ram::zeroed_ram;
use rust_hdl::prelude::*;

pub use super::scan_units::state_ring::STATE_RING_STAGES;

/// Channel slots per PE (the interleave factor K).
pub const SLOTS: usize = STATE_RING_STAGES;
/// Cycles from the token to the StateRing's inputs.
const RING_START: usize = 1 + EXP2NEG_LATENCY;
/// Cycles from the token to its new state.
pub const STATE_READY: usize = RING_START + STATE_RING_STAGES;
/// Cycles from the token to the partial sum it adds to.
pub const PSUM_LAG: usize = STATE_READY + CH_PSUM_IN_DELAY;

/// One state-stationary, four-slot scan cell.
#[derive(LogicBlock)]
pub struct ScanPe {
    pub clock: Signal<In, Clock>,
    // West → east: the row token.
    pub valid_in: Signal<In, Bit>,
    pub first_in: Signal<In, Bit>,
    /// The fold's last token of this slot (t = L − 1): keep the final state.
    pub last_in: Signal<In, Bit>,
    pub sel_in: Signal<In, Bit>,
    pub slot_in: Signal<In, Bits<2>>,
    /// Δ, UQ2.16.
    pub dlt_in: Signal<In, Bits<18>>,
    /// Δu, Q8.20 (two's complement).
    pub du_in: Signal<In, Bits<28>>,
    /// Partial y of the token that arrived PSUM_LAG cycles ago, Q.30.
    pub psum_in: Signal<In, Bits<64>>,
    pub valid_out: Signal<Out, Bit>,
    pub first_out: Signal<Out, Bit>,
    pub last_out: Signal<Out, Bit>,
    pub sel_out: Signal<Out, Bit>,
    pub slot_out: Signal<Out, Bits<2>>,
    pub dlt_out: Signal<Out, Bits<18>>,
    pub du_out: Signal<Out, Bits<28>>,
    pub psum_out: Signal<Out, Bits<64>>,
    // North → south: B and C of the token (Q6.10) and the preload burst.
    pub b_in: Signal<In, Bits<16>>,
    pub c_in: Signal<In, Bits<16>>,
    pub b_out: Signal<Out, Bits<16>>,
    pub c_out: Signal<Out, Bits<16>>,
    /// a2, UQ6.10.
    pub w_in: Signal<In, Bits<16>>,
    /// h0, Q12.20.
    pub wh_in: Signal<In, Bits<32>>,
    pub w_valid_in: Signal<In, Bit>,
    pub w_first_in: Signal<In, Bit>,
    pub w_buf_in: Signal<In, Bit>,
    pub w_slot_in: Signal<In, Bits<2>>,
    pub w_out: Signal<Out, Bits<16>>,
    pub wh_out: Signal<Out, Bits<32>>,
    pub w_valid_out: Signal<Out, Bit>,
    pub w_first_out: Signal<Out, Bit>,
    pub w_buf_out: Signal<Out, Bit>,
    pub w_slot_out: Signal<Out, Bits<2>>,
    // Final states: the column's drain command, and the chain south → north.
    pub drain_rd: Signal<In, Bit>,
    pub drain_slot: Signal<In, Bits<2>>,
    pub so_in: Signal<In, Bits<32>>,
    pub so_out: Signal<Out, Bits<32>>,
    // Units and memories.
    pub exp2neg: Exp2NegUnit,
    pub dbu_unit: DbuUnit,
    pub ring: StateRing,
    pub ch: ChMac,
    a2_mem: RAM<Bits<16>, 3>,
    h0_mem: RAM<Bits<32>, 3>,
    out_mem: RAM<Bits<32>, 2>,
    // Delay lines from the token's arrival.
    du_line: DelayLine<Bits<28>>,
    b_line: DelayLine<Bits<16>>,
    h0_addr_line: DelayLine<Bits<3>>,
    ring_ctl_line: DelayLine<Bits<2>>,
    keep_line: DelayLine<Bits<4>>,
    c_line: DelayLine<Bits<16>>,
    // Forwarding registers.
    valid: DFF<Bit>,
    first: DFF<Bit>,
    last: DFF<Bit>,
    sel: DFF<Bit>,
    slot: DFF<Bits<2>>,
    dlt: DFF<Bits<18>>,
    du: DFF<Bits<28>>,
    b: DFF<Bits<16>>,
    c: DFF<Bits<16>>,
    w: DFF<Bits<16>>,
    wh: DFF<Bits<32>>,
    w_valid: DFF<Bit>,
    w_first: DFF<Bit>,
    w_buf: DFF<Bit>,
    w_slot: DFF<Bits<2>>,
    promote: DFF<Bit>,
    drain_load: DFF<Bit>,
    hs: DFF<Bits<32>>,
    // Combinational.
    const_addr: Signal<Local, Bits<3>>,
    preload_addr: Signal<Local, Bits<3>>,
    capture: Signal<Local, Bit>,
}

impl Default for ScanPe {
    fn default() -> Self {
        Self {
            clock: Default::default(),
            valid_in: Default::default(),
            first_in: Default::default(),
            last_in: Default::default(),
            sel_in: Default::default(),
            slot_in: Default::default(),
            dlt_in: Default::default(),
            du_in: Default::default(),
            psum_in: Default::default(),
            valid_out: Default::default(),
            first_out: Default::default(),
            last_out: Default::default(),
            sel_out: Default::default(),
            slot_out: Default::default(),
            dlt_out: Default::default(),
            du_out: Default::default(),
            psum_out: Default::default(),
            b_in: Default::default(),
            c_in: Default::default(),
            b_out: Default::default(),
            c_out: Default::default(),
            w_in: Default::default(),
            wh_in: Default::default(),
            w_valid_in: Default::default(),
            w_first_in: Default::default(),
            w_buf_in: Default::default(),
            w_slot_in: Default::default(),
            w_out: Default::default(),
            wh_out: Default::default(),
            w_valid_out: Default::default(),
            w_first_out: Default::default(),
            w_buf_out: Default::default(),
            w_slot_out: Default::default(),
            drain_rd: Default::default(),
            drain_slot: Default::default(),
            so_in: Default::default(),
            so_out: Default::default(),
            exp2neg: Default::default(),
            dbu_unit: Default::default(),
            ring: Default::default(),
            ch: Default::default(),
            a2_mem: zeroed_ram(),
            h0_mem: zeroed_ram(),
            out_mem: zeroed_ram(),
            du_line: DelayLine::new(RING_START - DBU_LATENCY - 1),
            b_line: DelayLine::new(RING_START - DBU_LATENCY - 1),
            h0_addr_line: DelayLine::new(RING_START - 1),
            ring_ctl_line: DelayLine::new(RING_START),
            keep_line: DelayLine::new(STATE_READY),
            c_line: DelayLine::new(STATE_READY - 1),
            valid: Default::default(),
            first: Default::default(),
            last: Default::default(),
            sel: Default::default(),
            slot: Default::default(),
            dlt: Default::default(),
            du: Default::default(),
            b: Default::default(),
            c: Default::default(),
            w: Default::default(),
            wh: Default::default(),
            w_valid: Default::default(),
            w_first: Default::default(),
            w_buf: Default::default(),
            w_slot: Default::default(),
            promote: Default::default(),
            drain_load: Default::default(),
            hs: Default::default(),
            const_addr: Default::default(),
            preload_addr: Default::default(),
            capture: Default::default(),
        }
    }
}

impl Logic for ScanPe {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(
            self, clock, valid, first, last, sel, slot, dlt, du, b, c, w, wh, w_valid, w_first,
            w_buf, w_slot, promote, drain_load, hs
        );
        clock!(self, clock, exp2neg, dbu_unit, ring, ch);
        clock!(
            self,
            clock,
            du_line,
            b_line,
            h0_addr_line,
            ring_ctl_line,
            keep_line,
            c_line
        );
        self.a2_mem.read_clock.next = self.clock.val();
        self.a2_mem.write_clock.next = self.clock.val();
        self.h0_mem.read_clock.next = self.clock.val();
        self.h0_mem.write_clock.next = self.clock.val();
        self.out_mem.read_clock.next = self.clock.val();
        self.out_mem.write_clock.next = self.clock.val();
        // ---- a + 0: forward the token east and B, C south.
        self.valid.d.next = self.valid_in.val();
        self.first.d.next = self.first_in.val();
        self.last.d.next = self.last_in.val();
        self.sel.d.next = self.sel_in.val();
        self.slot.d.next = self.slot_in.val();
        self.dlt.d.next = self.dlt_in.val();
        self.du.d.next = self.du_in.val();
        self.b.d.next = self.b_in.val();
        self.c.d.next = self.c_in.val();
        // The fold constants of the token's slot: address {sel, slot}.
        self.const_addr.next = bit_cast::<3, 2>(self.slot_in.val());
        if self.sel_in.val() {
            self.const_addr.next = (bit_cast::<3, 2>(self.slot_in.val()) | bits::<3>(4));
        }
        self.a2_mem.read_address.next = self.const_addr.val();
        self.h0_addr_line.inp.next = self.const_addr.val();
        self.h0_mem.read_address.next = self.h0_addr_line.out.val();
        // ---- The operands of the units, each in its cycle.
        self.exp2neg.dlt.next = self.dlt.q.val();
        self.exp2neg.a2.next = self.a2_mem.read_data.val();
        self.du_line.inp.next = self.du.q.val();
        self.b_line.inp.next = self.b.q.val();
        self.dbu_unit.du.next = self.du_line.out.val();
        self.dbu_unit.b.next = self.b_line.out.val();
        self.ring_ctl_line.inp.next = bits::<2>(0);
        if self.valid_in.val() {
            self.ring_ctl_line.inp.next = bits::<2>(1);
            if self.first_in.val() {
                self.ring_ctl_line.inp.next = bits::<2>(3);
            }
        }
        self.ring.valid.next = self.ring_ctl_line.out.val().get_bit(0);
        self.ring.first.next = self.ring_ctl_line.out.val().get_bit(1);
        self.ring.h0.next = self.h0_mem.read_data.val();
        self.ring.da.next = self.exp2neg.da.val();
        self.ring.dbu.next = self.dbu_unit.dbu.val();
        self.c_line.inp.next = self.c.q.val();
        self.ch.c.next = self.c_line.out.val();
        self.ch.h.next = self.ring.h.val();
        self.ch.psum_in.next = self.psum_in.val();
        // ---- a + STATE_READY: the slot's final state into out[slot].
        self.keep_line.inp.next = bit_cast::<4, 2>(self.slot_in.val());
        if (self.valid_in.val() & self.last_in.val()) {
            self.keep_line.inp.next = (bit_cast::<4, 2>(self.slot_in.val()) | bits::<4>(4));
        }
        self.capture.next = self.keep_line.out.val().get_bit(2);
        self.out_mem.write_enable.next = self.capture.val();
        self.out_mem.write_address.next = bit_cast::<2, 4>(self.keep_line.out.val());
        self.out_mem.write_data.next = self.ring.h.val();
        // ---- Drain: out[drain_slot] into hs, else shift north.
        self.out_mem.read_address.next = self.drain_slot.val();
        self.drain_load.d.next = self.drain_rd.val();
        self.hs.d.next = self.so_in.val();
        if self.drain_load.q.val() {
            self.hs.d.next = self.out_mem.read_data.val();
        }
        // ---- Preload: capture the word tagged `first`, forward the rest.
        self.preload_addr.next = bit_cast::<3, 2>(self.w_slot_in.val());
        if self.w_buf_in.val() {
            self.preload_addr.next = (bit_cast::<3, 2>(self.w_slot_in.val()) | bits::<3>(4));
        }
        self.a2_mem.write_address.next = self.preload_addr.val();
        self.a2_mem.write_data.next = self.w_in.val();
        self.h0_mem.write_address.next = self.preload_addr.val();
        self.h0_mem.write_data.next = self.wh_in.val();
        self.a2_mem.write_enable.next = false;
        self.h0_mem.write_enable.next = false;
        self.w_valid.d.next = false;
        if self.w_valid_in.val() {
            if self.w_first_in.val() {
                self.a2_mem.write_enable.next = true;
                self.h0_mem.write_enable.next = true;
                self.promote.d.next = true;
            } else {
                self.w_valid.d.next = true;
                self.w.d.next = self.w_in.val();
                self.wh.d.next = self.wh_in.val();
                self.w_buf.d.next = self.w_buf_in.val();
                self.w_slot.d.next = self.w_slot_in.val();
                self.w_first.d.next = self.promote.q.val();
                self.promote.d.next = false;
            }
        }
        // Outputs.
        self.valid_out.next = self.valid.q.val();
        self.first_out.next = self.first.q.val();
        self.last_out.next = self.last.q.val();
        self.sel_out.next = self.sel.q.val();
        self.slot_out.next = self.slot.q.val();
        self.dlt_out.next = self.dlt.q.val();
        self.du_out.next = self.du.q.val();
        self.psum_out.next = self.ch.psum_out.val();
        self.b_out.next = self.b.q.val();
        self.c_out.next = self.c.q.val();
        self.w_out.next = self.w.q.val();
        self.wh_out.next = self.wh.q.val();
        self.w_valid_out.next = self.w_valid.q.val();
        self.w_first_out.next = self.w_first.q.val();
        self.w_buf_out.next = self.w_buf.q.val();
        self.w_slot_out.next = self.w_slot.q.val();
        self.so_out.next = self.hs.q.val();
    }
}
