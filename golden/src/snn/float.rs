//! The f64 golden LIF: Lava's float form (`PyLifModelFloat`), the real-valued
//! neuron that [`super::fixed`] approximates with integers.
//!
//! ```text
//! u = u·(1 − du_f) + a_in
//! v = v·(1 − dv_f) + u + bias_f
//! spike = v > vth_f (strict);  if spike { v = 0 }
//! ```
//!
//! No wrap and no clip. Integer parameters map to the float neuron so that
//! both describe the same neuron, with the float state in units of one weight
//! (the fixed state divided by 64, because the fixed model adds `a_in << 6`):
//!
//! | float      | from the integer parameters    | why                                            |
//! |------------|--------------------------------|------------------------------------------------|
//! | `du_f`     | `(du + 1) / 4096`              | fixed u is multiplied by `(4096 − (du + 1))/4096` |
//! | `dv_f`     | `dv / 4096`                    | fixed v is multiplied by `(4096 − dv)/4096`     |
//! | `bias_f`   | `bias_mant · 2^bias_exp / 64`  | fixed v gains `bias_mant << bias_exp` LSBs      |
//! | `vth_f`    | `vth`                          | `v_fixed > vth << 6` ⇔ `v_fixed/64 > vth`       |
//! | `u`, `v`   | `u_fixed / 64`, `v_fixed / 64` | `a_in` enters u as `a_in << 6`                  |
//!
//! The two models then differ only by the fixed model's truncation toward zero
//! in each decay (under 1 LSB = 1/64 of a weight unit per step) and by its
//! wrap and clip, which a layer of int8 weights does not reach in practice.
//! `a_in` is the same integer sum in both (accumulated by the shared engine),
//! so the float model is as independent of event order as the fixed one.

use super::engine::{simulate, LifModel, SnnRun};
use super::fixed::{NeuronState, ACT_SHIFT, DECAY_UNITY};
use super::network::Network;
use super::params::NeuronParams;

/// One float neuron's state, in weight units (= fixed LSBs / 64).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct FloatState {
    pub u: f64,
    pub v: f64,
}

impl FloatState {
    /// The float value of a bit-accurate state (LSBs / 64).
    pub fn from_fixed(s: NeuronState) -> Self {
        let scale = f64::from(1u32 << ACT_SHIFT);
        FloatState {
            u: f64::from(s.u) / scale,
            v: f64::from(s.v) / scale,
        }
    }
}

/// The float LIF neuron (the table in the module doc gives each field).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LifFloat {
    /// Fraction of u lost per step.
    pub du: f64,
    /// Fraction of v lost per step.
    pub dv: f64,
    /// Threshold, weight units.
    pub vth: f64,
    /// Added to v each step, weight units.
    pub bias: f64,
}

impl LifFloat {
    /// The float neuron that the bit-accurate neuron with `p` approximates.
    pub fn from_params(p: &NeuronParams) -> Self {
        let unity = DECAY_UNITY as f64;
        LifFloat {
            du: (f64::from(p.du) + 1.0) / unity,
            dv: f64::from(p.dv) / unity,
            vth: f64::from(p.vth),
            bias: f64::from(p.effective_bias()) / f64::from(1u32 << ACT_SHIFT),
        }
    }

    /// One update of one neuron with input `a_in` (weight units); returns
    /// whether it spiked (then v = 0; u is kept).
    pub fn step(&self, state: &mut FloatState, a_in: f64) -> bool {
        state.u = state.u * (1.0 - self.du) + a_in;
        state.v = state.v * (1.0 - self.dv) + state.u + self.bias;
        let spike = state.v > self.vth;
        if spike {
            state.v = 0.0;
        }
        spike
    }
}

impl LifModel for LifFloat {
    type State = FloatState;

    fn update(&self, state: &mut FloatState, a_in: i32) -> bool {
        self.step(state, f64::from(a_in))
    }

    fn skippable(&self, state: &FloatState, a_in: i32) -> bool {
        state.u == 0.0 && state.v == 0.0 && self.bias == 0.0 && a_in == 0
    }
}

/// A run of the float model.
pub type FloatRun = SnnRun<FloatState>;

/// Runs the layer with the float model of `net.params`.
pub fn run(net: &Network, trace: bool) -> FloatRun {
    simulate(net, LifFloat::from_params(&net.params), trace)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::Event;
    use crate::metrics::{ErrorMetrics, SpikeMetrics};
    use crate::snn::engine::{first_mismatch, Layer};
    use crate::snn::fixed::{self, lif_step};
    use crate::snn::workload;

    #[test]
    fn mapping_is_exact_where_the_fixed_model_does_not_round() {
        // du = 4095 (du_f = 1: u = a_in) and dv = 0 (dv_f = 0): no decay
        // rounds, so fixed = 64 · float at every step, spikes included.
        let p = NeuronParams {
            du: 4095,
            dv: 0,
            vth: 40,
            bias_mant: -24,
            bias_exp: 2, // −96 LSBs = −1.5 weight units
            steps: 1,
        };
        let f = LifFloat::from_params(&p);
        assert_eq!((f.du, f.dv, f.vth, f.bias), (1.0, 0.0, 40.0, -1.5));
        let (mut xs, mut fs) = (NeuronState::default(), FloatState::default());
        let inputs = [3, 7, -2, 20, 0, 0, 11, 15, 10, 35];
        let mut spikes = 0;
        for a in inputs {
            let sx = lif_step(&mut xs, a, &p);
            let sf = f.step(&mut fs, f64::from(a));
            assert_eq!(sx, sf, "spike at a_in {a}");
            assert_eq!(FloatState::from_fixed(xs), fs, "state at a_in {a}");
            spikes += usize::from(sx);
        }
        assert_eq!(spikes, 2);
    }

    #[test]
    fn decays_match_the_fixed_model_within_its_truncation_bound() {
        // Each fixed decay truncates by less than 1 LSB (1/64 weight unit)
        // toward zero. The error of u obeys e' = e·(1 − du_f) + δ, |δ| < 1/64,
        // so |e_u| < 1/(64·du_f); likewise |e_v| < (max|e_u| + 1/64)/dv_f.
        // The measured error must stay within these bounds, and be non-zero.
        let p = NeuronParams {
            du: 410,
            dv: 205,
            vth: 131_071,
            bias_mant: 5,
            bias_exp: 1,
            steps: 1,
        };
        let f = LifFloat::from_params(&p);
        let bound_u = 1.0 / (64.0 * f.du);
        let bound_v = (bound_u + 1.0 / 64.0) / f.dv;
        let (mut xs, mut fs) = (NeuronState::default(), FloatState::default());
        let (mut worst_u, mut worst_v, mut peak_v): (f64, f64, f64) = (0.0, 0.0, 0.0);
        for t in 0..400 {
            let a = [12, -5, 30, 0, 7][t % 5];
            lif_step(&mut xs, a, &p);
            f.step(&mut fs, f64::from(a));
            let x = FloatState::from_fixed(xs);
            worst_u = worst_u.max((x.u - fs.u).abs());
            worst_v = worst_v.max((x.v - fs.v).abs());
            peak_v = peak_v.max(fs.v.abs());
        }
        eprintln!(
            "single neuron, 400 steps: max |fixed/64 − float| u {worst_u:.4} (bound {bound_u:.4}), \
             v {worst_v:.4} (bound {bound_v:.4}) of |v| up to {peak_v:.0}"
        );
        assert!(worst_u < bound_u && worst_v < bound_v);
        assert!(worst_v > 0.0, "truncation should show");
    }

    #[test]
    fn float_and_fixed_agree_on_the_default_workload() {
        let net = workload::default_network(workload::DEFAULT_SEED);
        let fx = fixed::run(&net, false);
        let fl = run(&net, false);
        let m = SpikeMetrics::compare(net.n, &fx.spikes, &fl.spikes);
        let rate = fx.spikes.len() as f64 / (net.n as f64 * f64::from(net.params.steps));
        eprintln!(
            "default workload: fixed {} spikes ({:.2} % of neuron-steps), float {}; \
             count correlation {:.4}, total diff {:.2} %, first divergent step {:?}",
            m.reference_spikes,
            100.0 * rate,
            m.test_spikes,
            m.count_correlation,
            100.0 * m.total_rel_diff,
            m.first_divergent_step
        );
        assert!(m.count_correlation >= 0.95, "{m:?}");
        assert!(m.total_rel_diff <= 0.05, "{m:?}");
    }

    #[test]
    fn the_tolerance_bounds_reject_a_mis_mapped_float_neuron() {
        // The same comparison fails for float neurons that are not the fixed
        // neuron: threshold 5 % off either way, decays swapped, and a bias
        // left in fixed LSBs (not divided by 64).
        let mut net = workload::default_network(workload::DEFAULT_SEED);
        net.params.bias_mant = 16; // 16 << 2 = 64 LSBs: one weight unit per step
        net.params.bias_exp = 2;
        let fx = fixed::run(&net, false);
        let good = LifFloat::from_params(&net.params);
        let within = |model: LifFloat| {
            let m = SpikeMetrics::compare(net.n, &fx.spikes, &simulate(&net, model, false).spikes);
            eprintln!(
                "{model:?}: correlation {:.4}, total diff {:.2} %",
                m.count_correlation,
                100.0 * m.total_rel_diff
            );
            m.count_correlation >= 0.95 && m.total_rel_diff <= 0.05
        };
        assert!(within(good));
        for wrong in [
            LifFloat {
                vth: good.vth * 1.05,
                ..good
            },
            LifFloat {
                vth: good.vth * 0.95,
                ..good
            },
            LifFloat {
                du: good.dv,
                dv: good.du,
                ..good
            },
            LifFloat {
                bias: good.bias * 64.0,
                ..good
            },
        ] {
            assert!(!within(wrong), "{wrong:?} passed");
        }
    }

    #[test]
    fn float_and_fixed_agree_with_recurrence_and_bias() {
        for seed in [3, 4] {
            let mut net = workload::generate(seed, 128, 96, 100, 0.05, true);
            net.params.bias_mant = 3;
            net.params.bias_exp = 4;
            let fx = fixed::run(&net, false);
            let fl = run(&net, false);
            let m = SpikeMetrics::compare(net.n, &fx.spikes, &fl.spikes);
            eprintln!(
                "recurrent + bias, seed {seed}: fixed {} spikes, float {}; correlation {:.4}",
                m.reference_spikes, m.test_spikes, m.count_correlation
            );
            assert!(m.reference_spikes > 0);
            assert!(m.count_correlation >= 0.95, "{m:?}");
            assert!(m.total_rel_diff <= 0.05, "{m:?}");
        }
    }

    /// Runs `net` with `model`, adding `dv` to neuron `j`'s v after step `t0`.
    fn run_planted(net: &Network, model: LifFloat, t0: u32, j: usize, dv: f64) -> FloatRun {
        let mut layer = Layer::new(net, model);
        let mut spikes = Vec::new();
        let mut trace = Vec::new();
        while !layer.finished() {
            let t = layer.t();
            let fired: Vec<usize> = layer.step().iter_ones().collect();
            if t == t0 {
                layer.state_mut()[j].v += dv;
            }
            spikes.extend(fired.into_iter().map(|j| Event {
                t,
                neuron: j as u32,
            }));
            trace.push(layer.state().to_vec());
        }
        SnnRun {
            spikes,
            final_state: layer.state().to_vec(),
            trace: Some(trace),
            stats: layer.stats(),
        }
    }

    fn v_trace(r: &FloatRun) -> Vec<f64> {
        r.trace
            .as_ref()
            .unwrap()
            .iter()
            .flatten()
            .map(|s| s.v)
            .collect()
    }

    #[test]
    fn a_planted_1e_3_error_in_the_float_state_is_reported() {
        let net = workload::default_network(workload::DEFAULT_SEED);
        let model = LifFloat::from_params(&net.params);
        let clean = run(&net, true);
        assert_eq!(first_mismatch(&clean, &run(&net, true)), None);

        // 1e-3 added to one neuron's v: the state comparison sees it, at its
        // step and neuron, and the error metrics measure it.
        let planted = run_planted(&net, model, 40, 5, 1e-3);
        let m = first_mismatch(&clean, &planted).expect("1e-3 must be reported");
        assert_eq!((m.step, m.neuron), (Some(40), 5), "{m}");
        let e = ErrorMetrics::compare(&v_trace(&clean), &v_trace(&planted));
        eprintln!("float v + 1e-3 once: {e:?}");
        assert!(e.mismatches > 0 && e.snr_db.is_finite());
        assert!(e.max_abs >= 0.9e-3 && e.max_abs < 1.0, "{e:?}");

        // 1e-3 on the bias of every neuron: every later state differs.
        let biased = LifFloat {
            bias: model.bias + 1e-3,
            ..model
        };
        let r = simulate(&net, biased, true);
        let m = first_mismatch(&clean, &r).expect("bias + 1e-3 must be reported");
        assert_eq!(m.step, Some(0), "{m}");
        let e = ErrorMetrics::compare(&v_trace(&clean), &v_trace(&r));
        let s = SpikeMetrics::compare(net.n, &clean.spikes, &r.spikes);
        eprintln!("float bias + 1e-3: {e:?}; spikes {s:?}");
        assert!(e.mismatches > net.n && e.max_abs >= 1e-3, "{e:?}");
    }

    #[test]
    fn a_1e_3_error_near_threshold_changes_the_spike_train() {
        // One input of weight 38 at step 2; du_f = 1 (u = a_in), dv_f = 0, a
        // bias b = (2 − 5e-4)/3: v = b, 2b, then 3b + 38 = 40 − 5e-4, just
        // under vth = 40. 1e-3 more on v and it spikes at step 2.
        let net = Network {
            weights: vec![38],
            n_in: 1,
            n: 1,
            recurrent: None,
            params: NeuronParams {
                du: 4095,
                dv: 0,
                vth: 40,
                bias_mant: 0,
                bias_exp: 0,
                steps: 3,
            },
            input: vec![Event { t: 2, neuron: 0 }],
        };
        let model = LifFloat {
            bias: (2.0 - 5e-4) / 3.0,
            ..LifFloat::from_params(&net.params)
        };
        let clean = simulate(&net, model, false);
        assert!(clean.spikes.is_empty(), "{:?}", clean.spikes);
        let planted = run_planted(&net, model, 0, 0, 1e-3);
        let s = SpikeMetrics::compare(net.n, &clean.spikes, &planted.spikes);
        eprintln!("near threshold, v + 1e-3: {s:?}");
        assert_eq!(s.first_divergent_step, Some(2));
        assert_eq!((s.reference_spikes, s.test_spikes), (0, 1));
    }
}
