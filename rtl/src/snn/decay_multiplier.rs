//! The decay multiply of the LIF update, `sgn(x) · ((|x| · f) >> 12)`:
//! a product truncated toward zero, as Lava's `PyLifModelBitAcc` forms it.
//!
//! - `x`: 26-bit two's complement (u or v, sign-extended); |x| ≤ 2^24 for
//!   every state the core can hold (u ∈ (−2^23, 2^23], |v| < 2^23).
//! - `factor`: 13-bit unsigned, 0 ≤ f ≤ 4096 (`4096 − (du + 1)` or `4096 − dv`).
//! - `y`: 26-bit two's complement result, |y| ≤ |x|.
//!
//! rust-hdl's `*` exists only for 16 × 16 → 32 bits, so |x| is split into
//! 16-bit halves and the two partial products are added with the high one
//! shifted by 16 (a 26 × 13 product in two DSP-sized multiplies).

use rust_hdl::prelude::*;

#[derive(LogicBlock, Default)]
pub struct DecayMultiplier {
    pub x: Signal<In, Bits<26>>,
    pub factor: Signal<In, Bits<13>>,
    pub y: Signal<Out, Bits<26>>,
    negative: Signal<Local, Bit>,
    magnitude: Signal<Local, Bits<26>>,
    /// |x| zero-extended to 32 bits, so both 16-bit halves are in range.
    magnitude_wide: Signal<Local, Bits<32>>,
    low_product: Signal<Local, Bits<32>>,
    high_product: Signal<Local, Bits<32>>,
    product: Signal<Local, Bits<40>>,
    truncated: Signal<Local, Bits<26>>,
}

impl Logic for DecayMultiplier {
    #[hdl_gen]
    fn update(&mut self) {
        self.negative.next = self.x.val().get_bit(25);
        self.magnitude.next = self.x.val();
        if self.negative.val() {
            self.magnitude.next = ((!self.x.val()) + 1);
        }
        self.magnitude_wide.next = bit_cast::<32, 26>(self.magnitude.val());
        self.low_product.next =
            (self.magnitude_wide.val().get_bits::<16>(0) * bit_cast::<16, 13>(self.factor.val()));
        self.high_product.next =
            (self.magnitude_wide.val().get_bits::<16>(16) * bit_cast::<16, 13>(self.factor.val()));
        self.product.next = ((bit_cast::<40, 32>(self.high_product.val()) << 16)
            + bit_cast::<40, 32>(self.low_product.val()));
        self.truncated.next = self.product.val().get_bits::<26>(12);
        self.y.next = self.truncated.val();
        if self.negative.val() {
            self.y.next = ((!self.truncated.val()) + 1);
        }
    }
}
