//! The GEMM-mode processing element: one int8 × int8 → int32 MAC with a
//! double-buffered stationary weight (Gemmini's PE, weight-stationary only).
//!
//! ```text
//!                 p_in (int32)    w_in + {valid, first, buf}
//!                      │                 │
//!   a_in ─────────►┌───┴─────────────────┴───┐──────────► a_out
//!   {valid, sel}   │ weight0, weight1 (int8) │            {valid, sel}
//!                  │ psum = p_in + a·w[sel]  │
//!                  └───┬─────────────────┬───┘
//!                      │                 │
//!                 p_out (int32)   w_out + {valid, first, buf}
//! ```
//!
//! Every output is a register: one cycle from PE to PE in both directions
//! (the partial sum for an activation leaves [`DSP_LATENCY`] cycles after
//! the activation, see below).
//!
//! **Control travels with the data.** Nothing is broadcast:
//! - `a_valid`/`a_sel` travel west→east beside the activation. `a_sel` picks
//!   which of the two weight registers multiplies this activation, so the
//!   switch from one fold's weights to the next happens in each PE exactly
//!   when the first activation of the new fold reaches it.
//! - A weight preload travels north→south beside the partial sums as a burst
//!   of R words per column, row 0's word first, each tagged `valid`, `buf`
//!   (the register to write: the one *not* in use by the streaming fold) and
//!   `first`. A PE captures the word tagged `first` into `weight[buf]` and
//!   forwards the rest of the burst south, re-tagging the next word it forwards
//!   as `first`. So PE r captures word r, with no row index anywhere and one
//!   bit of state (`promote`). Word r is captured r cycles after it enters the
//!   column, i.e. `2r` cycles after the burst started.
//!
//! **Arithmetic.** The int8 × int8 product is one [`DspProduct`] (a
//! MULT18X18D between dedicated registers, [`DSP_LATENCY`] cycles): the
//! activation and the weight its select bit picks enter the product's
//! operand registers in the cycle the activation arrives, and the 16-bit
//! signed product comes out [`DSP_LATENCY`] cycles later, when it is
//! sign-extended to 32 bits and added to the incoming partial sum (a
//! register of the PE above) into this PE's partial-sum register. Every PE
//! adds the same latency, so the partial sum of the PE above, which saw the
//! activation one cycle earlier, arrives in exactly that cycle: the partial
//! sums leave each column [`DSP_LATENCY`] cycles later than with a
//! combinational multiplier, and nothing else moves. The int32 accumulation
//! wraps modulo 2^32 (two's complement, like `i32::wrapping_add`). It cannot
//! overflow for int8 operands when K ≤ 2^17 − 1: every product lies in
//! [−16256, 16384], so a K-term sum lies in [−16256·K, 2^14·K] ⊂ int32.
//! (K = 2^17 overflows only in the single case where every pair is −128·−128,
//! summing to exactly 2^31.) The sequencer's 16-bit dimension registers
//! limit K to 65535, so a GEMM run on this array never wraps; the PE wraps
//! when fed such sums directly.
//!
//! A PE only updates its activation register when the incoming activation
//! is valid, and its partial-sum register when the product of a valid
//! activation comes out (clock-enable style, the valid bit delayed beside
//! the product); the valid bits themselves are always registered, so
//! bubbles travel through the array. `p_valid_out` marks the partial sum
//! that a valid activation produced.

use crate::common::delay_line::DelayLine;
use crate::common::dsp::{DspProduct, DSP_LATENCY};
use rust_hdl::prelude::*;

/// One weight-stationary MAC cell with a double-buffered weight.
#[derive(LogicBlock)]
pub struct Pe {
    pub clock: Signal<In, Clock>,
    // West → east: activation and its control.
    pub a_in: Signal<In, Bits<8>>,
    pub a_valid_in: Signal<In, Bit>,
    pub a_sel_in: Signal<In, Bit>,
    pub a_out: Signal<Out, Bits<8>>,
    pub a_valid_out: Signal<Out, Bit>,
    pub a_sel_out: Signal<Out, Bit>,
    // North → south: partial sums.
    pub p_in: Signal<In, Bits<32>>,
    pub p_out: Signal<Out, Bits<32>>,
    /// `p_out` is the sum of a valid activation's product.
    pub p_valid_out: Signal<Out, Bit>,
    // North → south: weight preload burst.
    pub w_in: Signal<In, Bits<8>>,
    pub w_valid_in: Signal<In, Bit>,
    pub w_first_in: Signal<In, Bit>,
    pub w_buf_in: Signal<In, Bit>,
    pub w_out: Signal<Out, Bits<8>>,
    pub w_valid_out: Signal<Out, Bit>,
    pub w_first_out: Signal<Out, Bit>,
    pub w_buf_out: Signal<Out, Bit>,
    /// Debug/observation: the two stationary weights.
    pub weight0_out: Signal<Out, Bits<8>>,
    pub weight1_out: Signal<Out, Bits<8>>,
    // State.
    weight0: DFF<Bits<8>>,
    weight1: DFF<Bits<8>>,
    a: DFF<Bits<8>>,
    a_valid: DFF<Bit>,
    a_sel: DFF<Bit>,
    psum: DFF<Bits<32>>,
    p_valid: DFF<Bit>,
    /// The valid bit beside the product: `a_valid_in` of [`DSP_LATENCY`]
    /// cycles ago.
    prod_valid: DelayLine<Bit>,
    /// a · weight[sel], signed, [`DSP_LATENCY`] cycles after `a_in`.
    pub mul: DspProduct<8, 8, 16, true>,
    w: DFF<Bits<8>>,
    w_valid: DFF<Bit>,
    w_first: DFF<Bit>,
    w_buf: DFF<Bit>,
    promote: DFF<Bit>,
    // Combinational.
    weight: Signal<Local, Bits<8>>,
    product_ext: Signal<Local, Bits<32>>,
}

impl Default for Pe {
    fn default() -> Self {
        Self {
            clock: Default::default(),
            a_in: Default::default(),
            a_valid_in: Default::default(),
            a_sel_in: Default::default(),
            a_out: Default::default(),
            a_valid_out: Default::default(),
            a_sel_out: Default::default(),
            p_in: Default::default(),
            p_out: Default::default(),
            p_valid_out: Default::default(),
            w_in: Default::default(),
            w_valid_in: Default::default(),
            w_first_in: Default::default(),
            w_buf_in: Default::default(),
            w_out: Default::default(),
            w_valid_out: Default::default(),
            w_first_out: Default::default(),
            w_buf_out: Default::default(),
            weight0_out: Default::default(),
            weight1_out: Default::default(),
            weight0: Default::default(),
            weight1: Default::default(),
            a: Default::default(),
            a_valid: Default::default(),
            a_sel: Default::default(),
            psum: Default::default(),
            p_valid: Default::default(),
            prod_valid: DelayLine::new(DSP_LATENCY),
            mul: Default::default(),
            w: Default::default(),
            w_valid: Default::default(),
            w_first: Default::default(),
            w_buf: Default::default(),
            promote: Default::default(),
            weight: Default::default(),
            product_ext: Default::default(),
        }
    }
}

impl Logic for Pe {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(
            self, clock, weight0, weight1, a, a_valid, a_sel, psum, p_valid, w, w_valid, w_first,
            w_buf, promote
        );
        self.mul.clock.next = self.clock.val();
        self.prod_valid.clock.next = self.clock.val();
        // The weight register chosen by the select bit riding with the
        // activation; both enter the product's operand registers.
        self.weight.next = self.weight0.q.val();
        if self.a_sel_in.val() {
            self.weight.next = self.weight1.q.val();
        }
        self.mul.a.next = self.a_in.val();
        self.mul.b.next = self.weight.val();
        // The valid bit travels beside the product.
        self.prod_valid.inp.next = self.a_valid_in.val();
        // The 16-bit signed product, sign-extended to 32 bits.
        self.product_ext.next = bit_cast::<32, 16>(self.mul.p.val());
        if self.mul.p.val().get_bit(15) {
            self.product_ext.next =
                (bit_cast::<32, 16>(self.mul.p.val()) | bits::<32>(0xFFFF_0000_u64));
        }
        // Activation path: valid/sel always registered, data only when valid.
        self.a_valid.d.next = self.a_valid_in.val();
        self.a_sel.d.next = self.a_sel_in.val();
        if self.a_valid_in.val() {
            self.a.d.next = self.a_in.val();
        }
        // Partial sum: only for the product of a valid activation.
        self.p_valid.d.next = self.prod_valid.out.val();
        if self.prod_valid.out.val() {
            self.psum.d.next = (self.p_in.val() + self.product_ext.val());
        }
        // Weight preload: capture the word tagged `first`, forward the others.
        self.w_valid.d.next = false;
        if self.w_valid_in.val() {
            if self.w_first_in.val() {
                if self.w_buf_in.val() {
                    self.weight1.d.next = self.w_in.val();
                } else {
                    self.weight0.d.next = self.w_in.val();
                }
                self.promote.d.next = true;
            } else {
                self.w_valid.d.next = true;
                self.w.d.next = self.w_in.val();
                self.w_buf.d.next = self.w_buf_in.val();
                self.w_first.d.next = self.promote.q.val();
                self.promote.d.next = false;
            }
        }
        // Outputs.
        self.a_out.next = self.a.q.val();
        self.a_valid_out.next = self.a_valid.q.val();
        self.a_sel_out.next = self.a_sel.q.val();
        self.p_out.next = self.psum.q.val();
        self.p_valid_out.next = self.p_valid.q.val();
        self.w_out.next = self.w.q.val();
        self.w_valid_out.next = self.w_valid.q.val();
        self.w_first_out.next = self.w_first.q.val();
        self.w_buf_out.next = self.w_buf.q.val();
        self.weight0_out.next = self.weight0.q.val();
        self.weight1_out.next = self.weight1.q.val();
    }
}
