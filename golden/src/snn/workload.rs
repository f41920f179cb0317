//! Seeded random spiking layers: the default benchmark workload and the random
//! cases of the verification chain.
//!
//! A generated layer is drawn from [`crate::rng::seeded`]`(seed)` in this
//! order, so a seed fixes it on every machine:
//!
//! 1. feed-forward weights, row-major: `round(N(WEIGHT_MEAN, WEIGHT_STD))`
//!    clipped to [−128, 127] — a slight excitatory bias, so neurons are
//!    driven on average and their rates differ through their weight sums;
//! 2. when `recurrent`: recurrent weights, row-major,
//!    `round(N(0, RECURRENT_STD))` clipped, with a zero diagonal (no
//!    self-synapse);
//! 3. input events: one Bernoulli(`activity`) draw per (step, input), steps
//!    outer, inputs inner.
//!
//! Neuron parameters: [`DEFAULT_DU`] (τ_u ≈ 10 steps), [`DEFAULT_DV`]
//! (τ_v ≈ 20 steps), no bias, and a threshold derived from the expected drive
//! ([`threshold_for`]) so layers of any size and input activity fire a
//! moderate amount — a few percent of neuron-steps, neither silent nor
//! saturated.

use super::network::Network;
use super::params::{NeuronParams, VTH_MAX};
use crate::formats::Event;
use crate::rng::{normal, seeded};
use rand::Rng;

/// Default layer: inputs.
pub const DEFAULT_N_IN: usize = 256;
/// Default layer: neurons.
pub const DEFAULT_N: usize = 256;
/// Default run length, time steps.
pub const DEFAULT_STEPS: u32 = 100;
/// Default input activity: probability that an input spikes in a step.
pub const DEFAULT_ACTIVITY: f64 = 0.05;
/// The default layer has no recurrent connections.
pub const DEFAULT_RECURRENT: bool = false;
/// The seed of the default workload.
pub const DEFAULT_SEED: u64 = 1;

/// Current decay: u loses (410 + 1)/4096 ≈ 10 % per step, τ_u ≈ 10 steps.
pub const DEFAULT_DU: u16 = 410;
/// Voltage decay: v loses 205/4096 ≈ 5 % per step, τ_v ≈ 20 steps.
pub const DEFAULT_DV: u16 = 205;

/// Mean of the feed-forward weight distribution, weight units.
pub const WEIGHT_MEAN: f64 = 4.0;
/// Standard deviation of the feed-forward weights.
pub const WEIGHT_STD: f64 = 32.0;
/// Standard deviation of the recurrent weights (zero mean).
pub const RECURRENT_STD: f64 = 16.0;
/// Where the threshold sits relative to the mean drive, in across-neuron
/// standard deviations of the drive (see [`threshold_for`]): half a spread
/// below it, so most neurons fire at rates set by their weight sums and the
/// default layer spikes in about 3 % of its neuron-steps.
pub const THRESHOLD_SIGMAS: f64 = -0.5;

/// The default workload (the constants above) with `seed`.
pub fn default_network(seed: u64) -> Network {
    generate(
        seed,
        DEFAULT_N_IN,
        DEFAULT_N,
        DEFAULT_STEPS,
        DEFAULT_ACTIVITY,
        DEFAULT_RECURRENT,
    )
}

/// The threshold `vth` for a layer of `n_in` inputs at input `activity`.
///
/// Without spikes, neuron j's voltage settles (float units, see
/// [`super::float`]) at `activity · Σ_i w_ij / (du_f · dv_f)`. Over random
/// weights that has mean `m = n_in · activity · WEIGHT_MEAN / (du_f · dv_f)`
/// and standard deviation `s = activity · √n_in · WEIGHT_STD / (du_f · dv_f)`
/// across neurons; `vth = m + THRESHOLD_SIGMAS · s` (at least 1, at most
/// 2^17 − 1). Strongly driven neurons fire regularly, weakly driven ones only
/// on input fluctuations or not at all. For the default layer m ≈ 10 195,
/// s ≈ 5 098 and vth = 7 646.
pub fn threshold_for(n_in: usize, activity: f64, du: u16, dv: u16) -> u32 {
    let du_f = (f64::from(du) + 1.0) / 4096.0;
    let dv_f = f64::from(dv.max(1)) / 4096.0;
    let gain = 1.0 / (du_f * dv_f);
    let k = n_in as f64 * activity;
    let mean = k * WEIGHT_MEAN * gain;
    let spread = activity * (n_in as f64).sqrt() * WEIGHT_STD * gain;
    (mean + THRESHOLD_SIGMAS * spread)
        .round()
        .clamp(1.0, VTH_MAX as f64) as u32
}

/// A random layer of `n_in` inputs and `n` neurons run for `steps` steps,
/// each input spiking with probability `activity` per step (see the module
/// doc for the distributions). Panics unless `activity` is in [0, 1] and
/// `steps ≥ 1`.
pub fn generate(
    seed: u64,
    n_in: usize,
    n: usize,
    steps: u32,
    activity: f64,
    recurrent: bool,
) -> Network {
    assert!((0.0..=1.0).contains(&activity), "activity is a probability");
    assert!(steps >= 1, "at least one step");
    let mut rng = seeded(seed);
    let int8 = |x: f64| x.round().clamp(-128.0, 127.0) as i8;
    let weights = (0..n_in * n)
        .map(|_| int8(WEIGHT_MEAN + WEIGHT_STD * normal(&mut rng)))
        .collect();
    let recurrent = recurrent.then(|| {
        (0..n * n)
            .map(|idx| {
                let w = int8(RECURRENT_STD * normal(&mut rng));
                if idx / n == idx % n {
                    0
                } else {
                    w
                }
            })
            .collect()
    });
    let mut input = Vec::new();
    for t in 0..steps {
        for i in 0..n_in {
            if rng.gen::<f64>() < activity {
                input.push(Event {
                    t,
                    neuron: i as u32,
                });
            }
        }
    }
    let params = NeuronParams {
        du: DEFAULT_DU,
        dv: DEFAULT_DV,
        vth: threshold_for(n_in, activity, DEFAULT_DU, DEFAULT_DV),
        bias_mant: 0,
        bias_exp: 0,
        steps,
    };
    Network {
        weights,
        n_in,
        n,
        recurrent,
        params,
        input,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::snn::fixed;

    #[test]
    fn generation_is_fixed_by_the_seed() {
        let a = generate(5, 16, 8, 20, 0.2, true);
        assert_eq!(a, generate(5, 16, 8, 20, 0.2, true));
        assert_ne!(a, generate(6, 16, 8, 20, 0.2, true));
        a.assert_consistent();
        let r = a.recurrent.as_ref().unwrap();
        assert!((0..8).all(|j| r[j * 8 + j] == 0));
    }

    #[test]
    fn default_workload_has_the_documented_shape_and_statistics() {
        let net = default_network(DEFAULT_SEED);
        assert_eq!((net.n_in, net.n, net.params.steps), (256, 256, 100));
        assert!(net.recurrent.is_none());
        let cells = (DEFAULT_N_IN * DEFAULT_STEPS as usize) as f64;
        let activity = net.input.len() as f64 / cells;
        let mean_w =
            net.weights.iter().map(|&w| f64::from(w)).sum::<f64>() / net.weights.len() as f64;
        eprintln!(
            "default workload: vth = {}, input activity {:.4}, mean weight {:.2}",
            net.params.vth, activity, mean_w
        );
        assert!((activity - DEFAULT_ACTIVITY).abs() < 0.005, "{activity}");
        assert!((mean_w - WEIGHT_MEAN).abs() < 0.5, "{mean_w}");
    }

    #[test]
    fn default_workload_fires_a_healthy_amount() {
        let net = default_network(DEFAULT_SEED);
        let r = fixed::run(&net, false);
        let rate = r.spikes.len() as f64 / (net.n * net.params.steps as usize) as f64;
        let counts = r.spike_counts();
        let silent = counts.iter().filter(|&&c| c == 0).count();
        let max = *counts.iter().max().unwrap();
        eprintln!(
            "default workload: {} spikes, {:.2} % of neuron-steps, {silent} silent neurons, \
             busiest neuron {max}, skippable updates {} of {}",
            r.spikes.len(),
            100.0 * rate,
            r.stats.skippable_updates,
            r.stats.neuron_updates
        );
        assert!((0.01..=0.10).contains(&rate), "{rate}");
        assert!(silent < net.n / 3, "{silent}");
        assert!(max < net.params.steps / 2, "{max}");
    }
}
