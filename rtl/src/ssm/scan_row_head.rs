//! The west end of a scan-array row: turns one channel's inputs of a time
//! step into the row token (Δ, Δu and the token's control), and makes the
//! row's initial partial sum, the skip term:
//!
//! ```text
//!   Δ     = softplus(delta + delta_bias)   (or clamp)     UQ2.16   SoftplusUnit
//!   Δu    = round(Δ·u, 6)                                 Q8.20    DeltaUUnit
//!   psum0 = first state tile ? (D·u)·2^10 : 0             Q.30     SkipTerm
//! ```
//!
//! as `golden::ssm::fixed` computes them. The operands (Q6.10 words straight
//! from the block-RAM buffers) are registered first; the token leaves
//! [`HEAD_LATENCY`] cycles after its operands and control arrived, and
//! psum0 `psum_extra` cycles after the token ([`ScanRowHead::new`]), when
//! the row's first PE adds it (the core passes the row skew plus the PE's
//! partial-sum lag). D, u and the tile flag wait for that in delay lines
//! (33 bits) rather than the 64-bit skip term.

use super::scan_units::row_head_terms::{DeltaUUnit, SkipTerm, DELTA_U_LATENCY, SKIP_LATENCY};
use super::scan_units::softplus::{SoftplusUnit, SOFTPLUS_LATENCY};
use crate::common::delay_line::DelayLine;
use rust_hdl::prelude::*;

/// Cycles from a row's operands and control to its token.
pub const HEAD_LATENCY: usize = 1 + SOFTPLUS_LATENCY + DELTA_U_LATENCY;

/// Row head: softplus, Δu and the skip term.
#[derive(LogicBlock)]
pub struct ScanRowHead {
    pub clock: Signal<In, Clock>,
    /// Apply softplus to delta + delta_bias (else clamp). Held for a job.
    pub softplus: Signal<In, Bit>,
    // The token's control and its operands (Q6.10), valid together.
    pub valid_in: Signal<In, Bit>,
    pub first_in: Signal<In, Bit>,
    /// The fold's last time step (its PEs keep their state).
    pub last_in: Signal<In, Bit>,
    pub sel_in: Signal<In, Bit>,
    pub slot_in: Signal<In, Bits<2>>,
    /// The fold's first state tile: the skip term goes into the partial sum.
    pub nfirst_in: Signal<In, Bit>,
    pub u: Signal<In, Bits<16>>,
    pub delta: Signal<In, Bits<16>>,
    pub bias: Signal<In, Bits<16>>,
    pub skip: Signal<In, Bits<16>>,
    // The row token, HEAD_LATENCY cycles later.
    pub valid_out: Signal<Out, Bit>,
    pub first_out: Signal<Out, Bit>,
    pub last_out: Signal<Out, Bit>,
    pub sel_out: Signal<Out, Bit>,
    pub slot_out: Signal<Out, Bits<2>>,
    pub dlt_out: Signal<Out, Bits<18>>,
    pub du_out: Signal<Out, Bits<28>>,
    /// The row's initial partial sum, Q.30, `psum_extra` cycles after the token.
    pub psum_out: Signal<Out, Bits<64>>,
    pub softplus_unit: SoftplusUnit,
    pub delta_u: DeltaUUnit,
    pub skip_term: SkipTerm,
    u_q: DFF<Bits<16>>,
    delta_q: DFF<Bits<16>>,
    bias_q: DFF<Bits<16>>,
    skip_q: DFF<Bits<16>>,
    nfirst_q: DFF<Bit>,
    u_line: DelayLine<Bits<16>>,
    dlt_line: DelayLine<Bits<18>>,
    flags_line: DelayLine<Bits<4>>,
    slot_line: DelayLine<Bits<2>>,
    skip_d_line: DelayLine<Bits<16>>,
    skip_u_line: DelayLine<Bits<16>>,
    skip_en_line: DelayLine<Bit>,
    flag_valid: Signal<Local, Bits<4>>,
    flag_first: Signal<Local, Bits<4>>,
    flag_last: Signal<Local, Bits<4>>,
    flag_sel: Signal<Local, Bits<4>>,
}

impl ScanRowHead {
    /// A head whose psum0 follows its token by `psum_extra` ≥ 1 cycles.
    pub fn new(psum_extra: usize) -> Self {
        let skip_wait = HEAD_LATENCY + psum_extra - 1 - SKIP_LATENCY;
        Self {
            clock: Default::default(),
            softplus: Default::default(),
            valid_in: Default::default(),
            first_in: Default::default(),
            last_in: Default::default(),
            sel_in: Default::default(),
            slot_in: Default::default(),
            nfirst_in: Default::default(),
            u: Default::default(),
            delta: Default::default(),
            bias: Default::default(),
            skip: Default::default(),
            valid_out: Default::default(),
            first_out: Default::default(),
            last_out: Default::default(),
            sel_out: Default::default(),
            slot_out: Default::default(),
            dlt_out: Default::default(),
            du_out: Default::default(),
            psum_out: Default::default(),
            softplus_unit: Default::default(),
            delta_u: Default::default(),
            skip_term: Default::default(),
            u_q: Default::default(),
            delta_q: Default::default(),
            bias_q: Default::default(),
            skip_q: Default::default(),
            nfirst_q: Default::default(),
            u_line: DelayLine::new(SOFTPLUS_LATENCY),
            dlt_line: DelayLine::new(DELTA_U_LATENCY),
            flags_line: DelayLine::new(HEAD_LATENCY),
            slot_line: DelayLine::new(HEAD_LATENCY),
            skip_d_line: DelayLine::new(skip_wait),
            skip_u_line: DelayLine::new(skip_wait),
            skip_en_line: DelayLine::new(skip_wait),
            flag_valid: Default::default(),
            flag_first: Default::default(),
            flag_last: Default::default(),
            flag_sel: Default::default(),
        }
    }
}

impl Default for ScanRowHead {
    fn default() -> Self {
        Self::new(1)
    }
}

impl Logic for ScanRowHead {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(self, clock, u_q, delta_q, bias_q, skip_q, nfirst_q);
        clock!(self, clock, softplus_unit, delta_u, skip_term);
        clock!(self, clock, u_line, dlt_line, flags_line, slot_line);
        clock!(self, clock, skip_d_line, skip_u_line, skip_en_line);
        // Operands from block RAM: registered before any logic.
        self.u_q.d.next = self.u.val();
        self.delta_q.d.next = self.delta.val();
        self.bias_q.d.next = self.bias.val();
        self.skip_q.d.next = self.skip.val();
        self.nfirst_q.d.next = self.nfirst_in.val();
        // Δ, then Δu with the u that waited for it.
        self.softplus_unit.en.next = self.softplus.val();
        self.softplus_unit.delta.next = self.delta_q.q.val();
        self.softplus_unit.bias.next = self.bias_q.q.val();
        self.u_line.inp.next = self.u_q.q.val();
        self.delta_u.dlt.next = self.softplus_unit.dlt.val();
        self.delta_u.u.next = self.u_line.out.val();
        self.dlt_line.inp.next = self.softplus_unit.dlt.val();
        // The control rides along: bit 0 valid, 1 first, 2 last, 3 sel.
        self.flag_valid.next = bits::<4>(0);
        if self.valid_in.val() {
            self.flag_valid.next = bits::<4>(1);
        }
        self.flag_first.next = bits::<4>(0);
        if self.first_in.val() {
            self.flag_first.next = bits::<4>(2);
        }
        self.flag_last.next = bits::<4>(0);
        if self.last_in.val() {
            self.flag_last.next = bits::<4>(4);
        }
        self.flag_sel.next = bits::<4>(0);
        if self.sel_in.val() {
            self.flag_sel.next = bits::<4>(8);
        }
        self.flags_line.inp.next = (((self.flag_valid.val() | self.flag_first.val())
            | self.flag_last.val())
            | self.flag_sel.val());
        self.slot_line.inp.next = self.slot_in.val();
        // The skip term, made when the first PE needs it.
        self.skip_d_line.inp.next = self.skip_q.q.val();
        self.skip_u_line.inp.next = self.u_q.q.val();
        self.skip_en_line.inp.next = self.nfirst_q.q.val();
        self.skip_term.skip.next = self.skip_d_line.out.val();
        self.skip_term.u.next = self.skip_u_line.out.val();
        self.skip_term.en.next = self.skip_en_line.out.val();
        // Outputs.
        self.valid_out.next = self.flags_line.out.val().get_bit(0);
        self.first_out.next = self.flags_line.out.val().get_bit(1);
        self.last_out.next = self.flags_line.out.val().get_bit(2);
        self.sel_out.next = self.flags_line.out.val().get_bit(3);
        self.slot_out.next = self.slot_line.out.val();
        self.dlt_out.next = self.dlt_line.out.val();
        self.du_out.next = self.delta_u.du.val();
        self.psum_out.next = self.skip_term.psum0.val();
    }
}
