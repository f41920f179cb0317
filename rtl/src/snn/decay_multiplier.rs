//! The decay multiply of the LIF update, `sgn(x) · ((|x| · f) >> 12)`:
//! a product truncated toward zero, as Lava's `PyLifModelBitAcc` forms it,
//! pipelined over [`DECAY_LATENCY`] registered stages (one operand per
//! cycle, `y` is the product of the `x` presented [`DECAY_LATENCY`] cycles
//! earlier).
//!
//! - `x`: 26-bit two's complement (u or v, sign-extended), any value.
//! - `factor`: 13-bit unsigned, 0 ≤ f ≤ 4096 (`4096 − (du + 1)` or
//!   `4096 − dv`); a configuration value, held while operands are in flight.
//! - `y`: 26-bit two's complement result, |y| ≤ |x|; a register.
//!
//! Stages (each ends in a register):
//!
//! 1. sign and magnitude: `negative = x < 0`, `|x|` (26-bit unsigned);
//! 2. the two partial products, one 16 × 16 multiply each (rust-hdl's `*`
//!    exists only at that size; one DSP block each):
//!    `|x|[15:0] · f` (bits 27…12 kept: the rest is shifted out) and
//!    `|x|[25:16] · f` (≤ 1023 · 4096 < 2^22, 22 bits);
//! 3. `⌊|x| · f / 4096⌋ = (high << 4) + ⌊low / 4096⌋` (exact: the high
//!    product is a multiple of 2^16), 26 bits unsigned;
//! 4. the sign restored: `y = negative ? −t : t`.

use rust_hdl::prelude::*;

/// Cycles from `x` to its `y`.
pub const DECAY_LATENCY: usize = 4;

#[derive(LogicBlock, Default)]
pub struct DecayMultiplier {
    pub clock: Signal<In, Clock>,
    pub x: Signal<In, Bits<26>>,
    pub factor: Signal<In, Bits<13>>,
    pub y: Signal<Out, Bits<26>>,
    /// Stage 1: x < 0, and |x| (26-bit unsigned).
    negative1: DFF<Bit>,
    magnitude: DFF<Bits<26>>,
    /// Stage 2: bits 27…12 of `|x|[15:0] · f`, and `|x|[25:16] · f`.
    negative2: DFF<Bit>,
    low_product: DFF<Bits<16>>,
    high_product: DFF<Bits<22>>,
    /// Stage 3: `⌊|x| · f / 4096⌋`.
    negative3: DFF<Bit>,
    truncated: DFF<Bits<26>>,
    /// Stage 4: the signed result.
    result: DFF<Bits<26>>,
    low_full: Signal<Local, Bits<32>>,
    high_full: Signal<Local, Bits<32>>,
}

impl Logic for DecayMultiplier {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(
            self,
            clock,
            negative1,
            magnitude,
            negative2,
            low_product,
            high_product,
            negative3,
            truncated,
            result
        );
        self.negative1.d.next = self.x.val().get_bit(25);
        self.magnitude.d.next = self.x.val();
        if self.x.val().get_bit(25) {
            self.magnitude.d.next = ((!self.x.val()) + 1);
        }
        self.low_full.next =
            (self.magnitude.q.val().get_bits::<16>(0) * bit_cast::<16, 13>(self.factor.val()));
        self.high_full.next = (bit_cast::<16, 10>(self.magnitude.q.val().get_bits::<10>(16))
            * bit_cast::<16, 13>(self.factor.val()));
        self.negative2.d.next = self.negative1.q.val();
        self.low_product.d.next = self.low_full.val().get_bits::<16>(12);
        self.high_product.d.next = self.high_full.val().get_bits::<22>(0);
        self.negative3.d.next = self.negative2.q.val();
        self.truncated.d.next = ((bit_cast::<26, 22>(self.high_product.q.val()) << 4)
            + bit_cast::<26, 16>(self.low_product.q.val()));
        self.result.d.next = self.truncated.q.val();
        if self.negative3.q.val() {
            self.result.d.next = ((!self.truncated.q.val()) + 1);
        }
        self.y.next = self.result.q.val();
    }
}
