//! The bit-accurate LIF neuron: Intel Lava's `PyLifModelBitAcc`
//! (lava-nc/lava, `src/lava/proc/lif/models.py`, `AbstractPyLifModelFixed`),
//! operation for operation. This is the reference the RTL must match bit for
//! bit, one neuron update at a time ([`lif_step`]).
//!
//! Units and widths (all values are integer LSBs):
//!
//! - `a_in`: synaptic input of the step, the sum of the int8 weights of the
//!   spikes received (Lava's `a_in` port, 32-bit signed).
//! - `u` (current) and `v` (voltage): 24-bit state held in `i32`. `a_in` is
//!   MSB-aligned into u by `<< 6`, so one weight unit is 64 LSBs of u and v.
//! - `du`, `dv`: 12-bit decays, `vth`: 17-bit threshold compared as
//!   `vth << 6`, bias `bias_mant << bias_exp` (see [`NeuronParams`]).
//!
//! One update, exactly as Lava computes it (numpy int64 products, int32
//! arrays):
//!
//! ```text
//! p = (u as i64) · (4096 − (du + 1));   u' = sgn(p)·(|p| >> 12)      truncates toward zero
//! u' = u' + (a_in << 6)                                             int32
//! w  = u' > 2^23  ? u' − 2^24 : u'                                  one wrap only, and
//! u  = w <= −2^23 ? u' + 2^24 : w                                   exactly 2^23 is kept
//! q = (v as i64) · (4096 − dv);         v' = sgn(q)·(|q| >> 12)
//! v  = clip(v' + u + (bias_mant << bias_exp), −(2^23 − 1), 2^23 − 1)
//! spike = v > (vth << 6)  (strict);  if spike { v = 0 }              u is not reset
//! ```
//!
//! So u lies in (−2^23, 2^23] whenever |a_in| < 2^17 (always the case for a
//! Loihi 16-bit activation); for larger inputs Lava's single wrap can leave u
//! outside 24 bits and this model does the same. Lava's int32 additions wrap
//! at 32 bits; so do these (`wrapping_add`), though no neuron with fewer than
//! 2^17 int8 synapses (n_in + n) can get near that.

use super::engine::{simulate, LifModel, SnnRun};
use super::network::Network;
use super::params::NeuronParams;

/// Lava's `max_uv_val`: u wraps into (−2^23, 2^23], v clips to ±(2^23 − 1).
pub const UV_MAX: i32 = 1 << 23;
/// The voltage limit, 2^23 − 1.
pub const V_LIMIT: i32 = UV_MAX - 1;
/// Decays are 12-bit fractions of 4096.
pub const DECAY_SHIFT: u32 = 12;
pub const DECAY_UNITY: i64 = 1 << DECAY_SHIFT;
/// `a_in` is MSB-aligned into u by this shift.
pub const ACT_SHIFT: u32 = 6;
/// `vth` is MSB-aligned to v by this shift.
pub const VTH_SHIFT: u32 = 6;

/// One neuron's state: current `u` and voltage `v`, 24-bit signed LSBs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct NeuronState {
    pub u: i32,
    pub v: i32,
}

/// `x · factor / 4096` with the product in 64 bits and the division
/// truncating toward zero (`sgn(p) · (|p| >> 12)`, not an arithmetic shift).
pub fn decay(x: i32, factor: i64) -> i32 {
    let p = i64::from(x) * factor;
    (p.signum() * (p.abs() >> DECAY_SHIFT)) as i32
}

/// Lava's current wrap, its two `np.where`s verbatim: a value above 2^23
/// loses 2^24, else a value at or below −2^23 gains 2^24; once.
pub fn wrap_u(u: i32) -> i32 {
    let wrapped = if u > UV_MAX { u - 2 * UV_MAX } else { u };
    if wrapped <= -UV_MAX {
        u.wrapping_add(2 * UV_MAX)
    } else {
        wrapped
    }
}

/// Lava's `subthr_dynamics`: decays u and v, adds the input and the bias,
/// wraps u and clips v. No spike test.
pub fn subthreshold(state: &mut NeuronState, a_in: i32, p: &NeuronParams) {
    let decay_u = DECAY_UNITY - (i64::from(p.du) + 1);
    // `<<` on i32 drops the bits shifted out, as numpy's left_shift does.
    state.u = wrap_u(decay(state.u, decay_u).wrapping_add(a_in << ACT_SHIFT));
    let decay_v = DECAY_UNITY - i64::from(p.dv);
    let v = decay(state.v, decay_v)
        .wrapping_add(state.u)
        .wrapping_add(p.effective_bias());
    state.v = v.clamp(-V_LIMIT, V_LIMIT);
}

/// One bit-accurate update of one neuron with synaptic input `a_in`; returns
/// whether it spiked (then v is reset to 0; u is kept).
pub fn lif_step(state: &mut NeuronState, a_in: i32, p: &NeuronParams) -> bool {
    subthreshold(state, a_in, p);
    let spike = state.v > p.effective_vth();
    if spike {
        state.v = 0;
    }
    spike
}

/// A neuron with u = v = 0, no bias and no input stays exactly at zero and
/// does not spike (decay of 0 is 0, and 0 > vth << 6 is false for any
/// vth ≥ 0), so event-driven hardware may skip its update.
pub fn is_skippable(state: &NeuronState, a_in: i32, p: &NeuronParams) -> bool {
    state.u == 0 && state.v == 0 && p.effective_bias() == 0 && a_in == 0
}

/// The bit-accurate model as a [`LifModel`] for the layer engine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LifBitAcc {
    pub params: NeuronParams,
}

impl LifBitAcc {
    /// Panics if a parameter is outside its bit width (see
    /// [`NeuronParams::validate`]): loaded parameters never are.
    pub fn new(params: NeuronParams) -> Self {
        if let Err(e) = params.validate() {
            panic!("invalid neuron parameters: {e}");
        }
        LifBitAcc { params }
    }
}

impl LifModel for LifBitAcc {
    type State = NeuronState;

    fn update(&self, state: &mut NeuronState, a_in: i32) -> bool {
        lif_step(state, a_in, &self.params)
    }

    fn skippable(&self, state: &NeuronState, a_in: i32) -> bool {
        is_skippable(state, a_in, &self.params)
    }
}

/// Runs the layer with the bit-accurate model; `trace` records every
/// neuron's state after every step.
pub fn run(net: &Network, trace: bool) -> SnnRun {
    simulate(net, LifBitAcc::new(net.params), trace)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::snn::engine::{first_mismatch, Layer};
    use crate::snn::workload;

    fn params(du: u16, dv: u16, vth: u32) -> NeuronParams {
        NeuronParams {
            du,
            dv,
            vth,
            bias_mant: 0,
            bias_exp: 0,
            steps: 1,
        }
    }

    fn step(u: i32, v: i32, a_in: i32, p: &NeuronParams) -> (NeuronState, bool) {
        let mut s = NeuronState { u, v };
        let spike = lif_step(&mut s, a_in, p);
        (s, spike)
    }

    #[test]
    fn decay_truncates_toward_zero() {
        // du = 0: factor 4096 − 1 = 4095. u = −1: p = −4095, |p| >> 12 = 0 → 0
        // (an arithmetic shift would give −1).
        let p = params(0, 4095, 100);
        assert_eq!(step(-1, 0, 0, &p).0.u, 0);
        // u = −4097: p = −16_777_215, |p| >> 12 = 4095 → −4095 (floor: −4096)
        assert_eq!(step(-4097, 0, 0, &p).0.u, -4095);
        assert_eq!(step(4097, 0, 0, &p).0.u, 4095);
        // v with dv = 1: factor 4095, same rounding
        let p = params(4095, 1, 100);
        assert_eq!(step(0, -4097, 0, &p).0.v, -4095);
        assert_eq!(step(0, -1, 0, &p).0.v, 0);
        // dv = 0 keeps v exactly
        let p = params(4095, 0, 100);
        assert_eq!(step(0, -4097, 0, &p).0.v, -4097);
    }

    #[test]
    fn du_4095_clears_u() {
        let p = params(4095, 0, 100);
        assert_eq!(step(1_000_000, 0, 0, &p).0.u, 0);
        assert_eq!(step(-8_000_000, 0, 3, &p).0.u, 3 * 64);
    }

    #[test]
    fn u_wraps_once_into_minus_2_23_exclusive_to_2_23_inclusive() {
        let p = params(4095, 4095, 131_071); // u = a_in << 6
                                             // exactly 2^23 is kept: a_in = 2^17
        let (s, _) = step(0, 0, 1 << 17, &p);
        assert_eq!(s.u, 1 << 23);
        // exactly −2^23 wraps to +2^23
        let (s, _) = step(0, 0, -(1 << 17), &p);
        assert_eq!(s.u, 1 << 23);
        // 2^23 + 1 wraps to −2^23 + 1. du = 0 (factor 4095), u = 4096·63 =
        // 258_048 decays to 4095·63 = 257_985; + 127_041·64 = 8_130_624
        // gives 8_388_609 = 2^23 + 1.
        let p0 = params(0, 4095, 131_071);
        let (s, _) = step(258_048, 0, 127_041, &p0);
        assert_eq!(s.u, -(1 << 23) + 1);
        // and the mirror image: −2^23 − 1 → 2^23 − 1
        let (s, _) = step(-258_048, 0, -127_041, &p0);
        assert_eq!(s.u, (1 << 23) - 1);
        // the wrap function on its own, including Lava's single wrap
        assert_eq!(wrap_u(UV_MAX), UV_MAX);
        assert_eq!(wrap_u(UV_MAX + 1), -UV_MAX + 1);
        assert_eq!(wrap_u(-UV_MAX), UV_MAX);
        assert_eq!(wrap_u(-UV_MAX + 1), -UV_MAX + 1);
        assert_eq!(wrap_u(3 * UV_MAX + 5), UV_MAX + 5);
        assert_eq!(wrap_u(-3 * UV_MAX - 5), -UV_MAX - 5);
    }

    #[test]
    fn v_clips_at_plus_minus_2_23_minus_1() {
        // u = 2^23 (kept), v = 0 + 2^23 clips to 2^23 − 1. Observed before
        // the spike test, since vth << 6 ≤ 2^23 − 64 makes a clipped v spike.
        let p = params(4095, 0, 131_071);
        let mut s = NeuronState::default();
        subthreshold(&mut s, 1 << 17, &p);
        assert_eq!(
            s,
            NeuronState {
                u: 1 << 23,
                v: V_LIMIT
            }
        );
        // ... and it spikes: 8_388_607 > 131_071 << 6 = 8_388_544, v reset, u kept
        let (s, spike) = step(0, 0, 1 << 17, &p);
        assert!(spike);
        assert_eq!(s, NeuronState { u: 1 << 23, v: 0 });
        // negative: v = −(2^23 − 1) + (−131_071 << 6) clips to −(2^23 − 1)
        let (s, spike) = step(0, -V_LIMIT, -131_071, &p);
        assert!(!spike);
        assert_eq!(
            s,
            NeuronState {
                u: -8_388_544,
                v: -V_LIMIT
            }
        );
    }

    #[test]
    fn spike_test_is_strict_and_resets_v_only() {
        // u = a_in << 6, v decays to 0 from below 4096 (dv = 4095: factor 1)
        let mut p = params(4095, 4095, 10); // threshold 640
        let (s, spike) = step(0, 0, 10, &p); // v = 640: not above
        assert!(!spike);
        assert_eq!(s, NeuronState { u: 640, v: 640 });
        p.bias_mant = 1; // v = 641
        let (s, spike) = step(0, 0, 10, &p);
        assert!(spike);
        assert_eq!(s, NeuronState { u: 640, v: 0 });
        // vth = 0: any v > 0 spikes, v = 0 does not
        let p = params(4095, 4095, 0);
        assert!(step(0, 0, 1, &p).1);
        assert!(!step(0, 0, 0, &p).1);
    }

    #[test]
    fn bias_alone_makes_a_neuron_fire_periodically() {
        // no decay, bias 100 << 3 = 800 per step, threshold 50 << 6 = 3200:
        // v = 800, 1600, 2400, 3200 (equal: no spike), 4000 → spike; period 5.
        let p = NeuronParams {
            du: 0,
            dv: 0,
            vth: 50,
            bias_mant: 100,
            bias_exp: 3,
            steps: 12,
        };
        let mut s = NeuronState::default();
        let spikes: Vec<usize> = (0..12).filter(|_| lif_step(&mut s, 0, &p)).collect();
        assert_eq!(spikes, vec![4, 9]);
        assert_eq!(s, NeuronState { u: 0, v: 1600 });
        // negative bias never spikes, clips at −(2^23 − 1)
        let p = NeuronParams {
            bias_mant: -4096,
            bias_exp: 7,
            ..p
        };
        let mut s = NeuronState::default();
        assert!((0..20).all(|_| !lif_step(&mut s, 0, &p)));
        assert_eq!(s.v, -V_LIMIT); // 20 · 524_288 > 2^23
    }

    #[test]
    fn skippable_neurons_stay_bit_identical() {
        let mut checked = 0;
        for du in [0, 1, 410, 4095] {
            for dv in [0, 205, 4095] {
                for vth in [0, 1, 131_071] {
                    let p = params(du, dv, vth);
                    let mut s = NeuronState::default();
                    assert!(is_skippable(&s, 0, &p));
                    assert!(!lif_step(&mut s, 0, &p));
                    assert_eq!(s, NeuronState::default());
                    checked += 1;
                }
            }
        }
        assert_eq!(checked, 36);
        // the predicate is not vacuous: each condition matters
        let p = NeuronParams {
            bias_mant: 1,
            ..params(0, 0, 0)
        };
        assert!(!is_skippable(&NeuronState::default(), 0, &p));
        let mut s = NeuronState::default();
        assert!(lif_step(&mut s, 0, &p)); // bias 1 > vth 0 spikes
        let p = params(0, 0, 0);
        assert!(!is_skippable(&NeuronState::default(), 1, &p));
        assert!(!is_skippable(&NeuronState { u: 0, v: 1 }, 0, &p));
        assert!(!is_skippable(&NeuronState { u: -1, v: 0 }, 0, &p));
    }

    #[test]
    fn skippable_updates_in_a_run_leave_neurons_at_zero() {
        // Input only in steps 0..5 of 400: the truncation toward zero brings
        // every neuron back to exactly u = v = 0, after which its updates are
        // skippable. Check each skippable update in the run really changed
        // nothing, and that the engine's count agrees.
        let mut net = workload::generate(9, 32, 32, 400, 0.2, true);
        net.input.retain(|e| e.t < 5);
        let mut layer = Layer::new(&net, LifBitAcc::new(net.params));
        let mut skippable = 0;
        while !layer.finished() {
            let before = layer.state().to_vec();
            let spikes = layer.step().to_bitvec();
            for j in 0..net.n {
                if is_skippable(&before[j], layer.a_in()[j], &net.params) {
                    assert_eq!(layer.state()[j], before[j]);
                    assert!(!spikes[j]);
                    skippable += 1;
                }
            }
        }
        eprintln!("skippable updates: {skippable} of {}", 400 * net.n);
        assert_eq!(layer.stats().skippable_updates, skippable);
        assert!(skippable > 100 * net.n as u64, "{skippable}");
        assert!(layer.state().iter().all(|s| *s == NeuronState::default()));
    }

    #[test]
    fn a_planted_one_lsb_error_is_caught_exactly() {
        let net = workload::default_network(7);
        let clean = run(&net, true);
        assert!(!clean.spikes.is_empty());
        assert_eq!(first_mismatch(&clean, &run(&net, true)), None);

        // v + 1 on one neuron after step 30
        let (t0, j0) = (30u32, 17usize);
        let mut layer = Layer::new(&net, LifBitAcc::new(net.params));
        let mut planted = SnnRun {
            spikes: Vec::new(),
            final_state: Vec::new(),
            trace: Some(Vec::new()),
            stats: Default::default(),
        };
        while !layer.finished() {
            let t = layer.t();
            let spikes: Vec<usize> = layer.step().iter_ones().collect();
            if t == t0 {
                layer.state_mut()[j0].v += 1;
            }
            planted
                .spikes
                .extend(spikes.into_iter().map(|j| crate::formats::Event {
                    t,
                    neuron: j as u32,
                }));
            planted.trace.as_mut().unwrap().push(layer.state().to_vec());
        }
        planted.final_state = layer.state().to_vec();
        let m = first_mismatch(&clean, &planted).expect("a one-LSB error must be caught");
        assert_eq!((m.step, m.neuron), (Some(t0), j0 as u32), "{m}");

        // one weight one LSB off: caught, at the first step that input fires
        let mut net2 = net.clone();
        let e = net.input[net.input.len() / 2];
        let w = &mut net2.weights[e.neuron as usize * net.n + 3];
        *w = if *w == 127 { 126 } else { *w + 1 };
        let m = first_mismatch(&clean, &run(&net2, true)).expect("weight ± 1 caught");
        let first_use = net.input.iter().find(|x| x.neuron == e.neuron).unwrap().t;
        assert_eq!((m.step, m.neuron), (Some(first_use), 3), "{m}");

        // vth + 1 (64 LSBs of v) only shows where some v lands in
        // (vth << 6, (vth + 1) << 6]; in this seeded workload it does.
        let mut net3 = net.clone();
        net3.params.vth += 1;
        let m = first_mismatch(&run(&net, false), &run(&net3, false)).expect("vth + 1 caught");
        eprintln!("fixed, vth + 1: {m}");
        assert!(m.what.contains("reference spikes, test does not"), "{m}");
    }
}
