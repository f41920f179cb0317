//! One bit-accurate LIF update (`golden::snn::fixed::lif_step`) per cycle,
//! pipelined over [`LIF_LATENCY`] registered stages: the update whose inputs
//! are presented in cycle c shows on the outputs (all registers) in cycle
//! c + [`LIF_LATENCY`], with the `valid` and `tag` that came with it.
//!
//! Widths (two's complement unless marked unsigned):
//!
//! | port              | bits | meaning                                                   |
//! |-------------------|------|-----------------------------------------------------------|
//! | `u_in/u_out`      | 25   | current, in (−2^23, 2^23] (2^23 itself needs the 25th bit) |
//! | `v_in/v_out`      | 24   | voltage, in [−(2^23 − 1), 2^23 − 1]                         |
//! | `a_in`            | 18   | synaptic input, |a_in| ≤ 2^17 (fan-in ≤ 1024 int8 synapses) |
//! | `valid_in/_out`   | 1    | the update is real (carried, not interpreted)              |
//! | `tag_in/tag_out`  | 11u  | carried unchanged alongside the update (the neuron)        |
//! | `factor_u`        | 13u  | `4096 − (du + 1)`                                          |
//! | `factor_v`        | 13u  | `4096 − dv`                                                |
//! | `bias`            | 26   | `bias_mant << bias_exp`, sign-extended                     |
//! | `vth_scaled`      | 24u  | `vth << 6`                                                 |
//!
//! The parameters (`factor_*`, `bias`, `vth_scaled`) are configuration
//! values and must be held while updates are in flight.
//!
//! Stages: 1 registers the inputs; 2–5 are the two [`DecayMultiplier`]s
//! (u and v decay in parallel, `a_in` and v's path wait beside them);
//! 6 adds `a_in << 6` to u and the bias to v; 7 wraps u; 8 forms
//! v + u + bias; 9 clips v, tests the threshold and resets v on a spike.
//!
//! Internally everything is 26 bits wide: decayed u plus `a_in << 6` is below
//! 2^24 in magnitude, and decayed v + u + bias below 2^25, so no sum wraps.
//! u wraps once (above 2^23: −2^24; at or below −2^23: +2^24), v clips to
//! ±(2^23 − 1), the spike test is strict and a spike resets v (not u).
//! Signed comparisons are done on the sign bit plus an unsigned compare.
//! Constants (26-bit two's complement): 2^23 = 0x80_0000, −2^23 = 0x380_0000,
//! 2^24 = 0x100_0000, 2^23 − 1 = 0x7F_FFFF, −(2^23 − 1) = 0x380_0001.
//!
//! The spike test needs no clipped value: `vth_scaled` < 2^23 − 1, so
//! `clip(v) > vth` exactly when `v > vth`; and v is zero after the clip
//! exactly when it was zero before it.

use super::decay_multiplier::{DecayMultiplier, DECAY_LATENCY};
use rust_hdl::prelude::*;

/// Cycles from an update's inputs to its outputs.
pub const LIF_LATENCY: usize = DECAY_LATENCY + 5;

#[derive(LogicBlock, Default)]
pub struct LifDatapath {
    pub clock: Signal<In, Clock>,
    pub u_in: Signal<In, Bits<25>>,
    pub v_in: Signal<In, Bits<24>>,
    pub a_in: Signal<In, Bits<18>>,
    pub valid_in: Signal<In, Bit>,
    pub tag_in: Signal<In, Bits<11>>,
    pub factor_u: Signal<In, Bits<13>>,
    pub factor_v: Signal<In, Bits<13>>,
    pub bias: Signal<In, Bits<26>>,
    pub vth_scaled: Signal<In, Bits<24>>,
    pub u_out: Signal<Out, Bits<25>>,
    pub v_out: Signal<Out, Bits<24>>,
    pub spike: Signal<Out, Bit>,
    /// u_out ≠ 0 or v_out ≠ 0: the neuron must be visited next step.
    pub nonzero: Signal<Out, Bit>,
    pub valid_out: Signal<Out, Bit>,
    pub tag_out: Signal<Out, Bits<11>>,
    decay_u: DecayMultiplier,
    decay_v: DecayMultiplier,
    /// Stage 1: the inputs.
    u_reg: DFF<Bits<25>>,
    v_reg: DFF<Bits<24>>,
    input_reg: DFF<Bits<18>>,
    /// Stages 2–5: `a_in` waiting beside the decay products.
    input_delay2: DFF<Bits<18>>,
    input_delay3: DFF<Bits<18>>,
    input_delay4: DFF<Bits<18>>,
    input_delay5: DFF<Bits<18>>,
    /// Stage 6: decayed u + (a_in << 6); decayed v + bias.
    u_sum: DFF<Bits<26>>,
    v_biased6: DFF<Bits<26>>,
    /// Stage 7: u wrapped into (−2^23, 2^23].
    u_wrapped7: DFF<Bits<26>>,
    v_biased7: DFF<Bits<26>>,
    /// Stage 8: decayed v + u + bias, before the clip.
    u_wrapped8: DFF<Bits<26>>,
    v_sum: DFF<Bits<26>>,
    /// Stage 9: the outputs.
    u_result: DFF<Bits<25>>,
    v_result: DFF<Bits<24>>,
    spike_result: DFF<Bit>,
    nonzero_result: DFF<Bit>,
    /// `valid` and `tag` of the update in each stage (1…9).
    valid1: DFF<Bit>,
    valid2: DFF<Bit>,
    valid3: DFF<Bit>,
    valid4: DFF<Bit>,
    valid5: DFF<Bit>,
    valid6: DFF<Bit>,
    valid7: DFF<Bit>,
    valid8: DFF<Bit>,
    valid9: DFF<Bit>,
    tag1: DFF<Bits<11>>,
    tag2: DFF<Bits<11>>,
    tag3: DFF<Bits<11>>,
    tag4: DFF<Bits<11>>,
    tag5: DFF<Bits<11>>,
    tag6: DFF<Bits<11>>,
    tag7: DFF<Bits<11>>,
    tag8: DFF<Bits<11>>,
    tag9: DFF<Bits<11>>,
    fires: Signal<Local, Bit>,
    v_clipped: Signal<Local, Bits<26>>,
}

impl Logic for LifDatapath {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(
            self,
            clock,
            u_reg,
            v_reg,
            input_reg,
            input_delay2,
            input_delay3,
            input_delay4,
            input_delay5,
            u_sum,
            v_biased6,
            u_wrapped7,
            v_biased7,
            u_wrapped8,
            v_sum,
            u_result,
            v_result,
            spike_result,
            nonzero_result,
            valid1,
            valid2,
            valid3,
            valid4,
            valid5,
            valid6,
            valid7,
            valid8,
            valid9,
            tag1,
            tag2,
            tag3,
            tag4,
            tag5,
            tag6,
            tag7,
            tag8,
            tag9
        );
        clock!(self, clock, decay_u, decay_v);
        // Stage 1.
        self.u_reg.d.next = self.u_in.val();
        self.v_reg.d.next = self.v_in.val();
        self.input_reg.d.next = self.a_in.val();
        self.valid1.d.next = self.valid_in.val();
        self.tag1.d.next = self.tag_in.val();
        // Stages 2–5. Sign extension: (zext(x) ^ 2^(w−1)) − 2^(w−1), modulo 2^26.
        self.decay_u.x.next = ((bit_cast::<26, 25>(self.u_reg.q.val()) ^ 0x100_0000) - 0x100_0000);
        self.decay_u.factor.next = self.factor_u.val();
        self.decay_v.x.next = ((bit_cast::<26, 24>(self.v_reg.q.val()) ^ 0x80_0000) - 0x80_0000);
        self.decay_v.factor.next = self.factor_v.val();
        self.input_delay2.d.next = self.input_reg.q.val();
        self.input_delay3.d.next = self.input_delay2.q.val();
        self.input_delay4.d.next = self.input_delay3.q.val();
        self.input_delay5.d.next = self.input_delay4.q.val();
        // Stage 6.
        self.u_sum.d.next = (self.decay_u.y.val()
            + (((bit_cast::<26, 18>(self.input_delay5.q.val()) ^ 0x2_0000) - 0x2_0000) << 6));
        self.v_biased6.d.next = (self.decay_v.y.val() + self.bias.val());
        // Stage 7: one wrap, keeping 2^23.
        self.u_wrapped7.d.next = self.u_sum.q.val();
        if ((!self.u_sum.q.val().get_bit(25)) & (self.u_sum.q.val() > 0x80_0000)) {
            self.u_wrapped7.d.next = (self.u_sum.q.val() - 0x100_0000);
        }
        if (self.u_sum.q.val().get_bit(25) & (self.u_sum.q.val() <= 0x380_0000)) {
            self.u_wrapped7.d.next = (self.u_sum.q.val() + 0x100_0000);
        }
        self.v_biased7.d.next = self.v_biased6.q.val();
        // Stage 8.
        self.u_wrapped8.d.next = self.u_wrapped7.q.val();
        self.v_sum.d.next = (self.v_biased7.q.val() + self.u_wrapped7.q.val());
        // Stage 9: clip, strict threshold, reset on a spike.
        self.v_clipped.next = self.v_sum.q.val();
        if ((!self.v_sum.q.val().get_bit(25)) & (self.v_sum.q.val() > 0x7F_FFFF)) {
            self.v_clipped.next = 0x7F_FFFF.into();
        }
        if (self.v_sum.q.val().get_bit(25) & (self.v_sum.q.val() < 0x380_0001)) {
            self.v_clipped.next = 0x380_0001.into();
        }
        self.fires.next = ((!self.v_sum.q.val().get_bit(25))
            & (self.v_sum.q.val() > bit_cast::<26, 24>(self.vth_scaled.val())));
        self.u_result.d.next = self.u_wrapped8.q.val().get_bits::<25>(0);
        self.v_result.d.next = self.v_clipped.val().get_bits::<24>(0);
        if self.fires.val() {
            self.v_result.d.next = 0.into();
        }
        self.spike_result.d.next = self.fires.val();
        self.nonzero_result.d.next =
            (self.u_wrapped8.q.val().any() | ((!self.fires.val()) & self.v_sum.q.val().any()));
        // valid and tag beside the data.
        self.valid2.d.next = self.valid1.q.val();
        self.valid3.d.next = self.valid2.q.val();
        self.valid4.d.next = self.valid3.q.val();
        self.valid5.d.next = self.valid4.q.val();
        self.valid6.d.next = self.valid5.q.val();
        self.valid7.d.next = self.valid6.q.val();
        self.valid8.d.next = self.valid7.q.val();
        self.valid9.d.next = self.valid8.q.val();
        self.tag2.d.next = self.tag1.q.val();
        self.tag3.d.next = self.tag2.q.val();
        self.tag4.d.next = self.tag3.q.val();
        self.tag5.d.next = self.tag4.q.val();
        self.tag6.d.next = self.tag5.q.val();
        self.tag7.d.next = self.tag6.q.val();
        self.tag8.d.next = self.tag7.q.val();
        self.tag9.d.next = self.tag8.q.val();
        // Outputs: registers only.
        self.u_out.next = self.u_result.q.val();
        self.v_out.next = self.v_result.q.val();
        self.spike.next = self.spike_result.q.val();
        self.nonzero.next = self.nonzero_result.q.val();
        self.valid_out.next = self.valid9.q.val();
        self.tag_out.next = self.tag9.q.val();
    }
}
