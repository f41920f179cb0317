//! One bit-accurate LIF update (`golden::snn::fixed::lif_step`), purely
//! combinational: the core registers its inputs (block-RAM read ports) and its
//! outputs (block-RAM write ports) around it.
//!
//! Widths (two's complement unless marked unsigned):
//!
//! | port          | bits | meaning                                                   |
//! |---------------|------|-----------------------------------------------------------|
//! | `u_in/u_out`  | 25   | current, in (−2^23, 2^23] (2^23 itself needs the 25th bit) |
//! | `v_in/v_out`  | 24   | voltage, in [−(2^23 − 1), 2^23 − 1]                         |
//! | `a_in`        | 18   | synaptic input, |a_in| ≤ 2^17 (fan-in ≤ 1024 int8 synapses) |
//! | `factor_u`    | 13u  | `4096 − (du + 1)`                                          |
//! | `factor_v`    | 13u  | `4096 − dv`                                                |
//! | `bias`        | 26   | `bias_mant << bias_exp`, sign-extended                     |
//! | `vth_scaled`  | 24u  | `vth << 6`                                                 |
//!
//! Internally everything is 26 bits wide: decayed u plus `a_in << 6` is below
//! 2^24 in magnitude, and decayed v + u + bias below 2^25, so no sum wraps.
//! u wraps once (above 2^23: −2^24; at or below −2^23: +2^24), v clips to
//! ±(2^23 − 1), the spike test is strict and a spike resets v (not u).
//! Signed comparisons are done on the sign bit plus an unsigned compare.
//! Constants (26-bit two's complement): 2^23 = 0x80_0000, −2^23 = 0x380_0000,
//! 2^24 = 0x100_0000, 2^23 − 1 = 0x7F_FFFF, −(2^23 − 1) = 0x380_0001.

use super::decay_multiplier::DecayMultiplier;
use rust_hdl::prelude::*;

#[derive(LogicBlock, Default)]
pub struct LifDatapath {
    pub u_in: Signal<In, Bits<25>>,
    pub v_in: Signal<In, Bits<24>>,
    pub a_in: Signal<In, Bits<18>>,
    pub factor_u: Signal<In, Bits<13>>,
    pub factor_v: Signal<In, Bits<13>>,
    pub bias: Signal<In, Bits<26>>,
    pub vth_scaled: Signal<In, Bits<24>>,
    pub u_out: Signal<Out, Bits<25>>,
    pub v_out: Signal<Out, Bits<24>>,
    pub spike: Signal<Out, Bit>,
    /// u_out ≠ 0 or v_out ≠ 0: the neuron must be visited next step.
    pub nonzero: Signal<Out, Bit>,
    decay_u: DecayMultiplier,
    decay_v: DecayMultiplier,
    input_scaled: Signal<Local, Bits<26>>,
    u_sum: Signal<Local, Bits<26>>,
    u_wrapped: Signal<Local, Bits<26>>,
    v_sum: Signal<Local, Bits<26>>,
    v_clipped: Signal<Local, Bits<26>>,
    fires: Signal<Local, Bit>,
}

impl Logic for LifDatapath {
    #[hdl_gen]
    fn update(&mut self) {
        // Sign extension: (zext(x) ^ 2^(w−1)) − 2^(w−1), modulo 2^26.
        self.decay_u.x.next = ((bit_cast::<26, 25>(self.u_in.val()) ^ 0x100_0000) - 0x100_0000);
        self.decay_u.factor.next = self.factor_u.val();
        self.input_scaled.next =
            (((bit_cast::<26, 18>(self.a_in.val()) ^ 0x2_0000) - 0x2_0000) << 6);
        self.u_sum.next = (self.decay_u.y.val() + self.input_scaled.val());
        self.u_wrapped.next = self.u_sum.val();
        if ((!self.u_sum.val().get_bit(25)) & (self.u_sum.val() > 0x80_0000)) {
            self.u_wrapped.next = (self.u_sum.val() - 0x100_0000);
        }
        if (self.u_sum.val().get_bit(25) & (self.u_sum.val() <= 0x380_0000)) {
            self.u_wrapped.next = (self.u_sum.val() + 0x100_0000);
        }
        self.decay_v.x.next = ((bit_cast::<26, 24>(self.v_in.val()) ^ 0x80_0000) - 0x80_0000);
        self.decay_v.factor.next = self.factor_v.val();
        self.v_sum.next = ((self.decay_v.y.val() + self.u_wrapped.val()) + self.bias.val());
        self.v_clipped.next = self.v_sum.val();
        if ((!self.v_sum.val().get_bit(25)) & (self.v_sum.val() > 0x7F_FFFF)) {
            self.v_clipped.next = 0x7F_FFFF.into();
        }
        if (self.v_sum.val().get_bit(25) & (self.v_sum.val() < 0x380_0001)) {
            self.v_clipped.next = 0x380_0001.into();
        }
        self.fires.next = ((!self.v_clipped.val().get_bit(25))
            & (self.v_clipped.val() > bit_cast::<26, 24>(self.vth_scaled.val())));
        self.spike.next = self.fires.val();
        self.u_out.next = self.u_wrapped.val().get_bits::<25>(0);
        self.v_out.next = self.v_clipped.val().get_bits::<24>(0);
        if self.fires.val() {
            self.v_out.next = 0.into();
        }
        self.nonzero.next = (self.u_out.val().any() | self.v_out.val().any());
    }
}
