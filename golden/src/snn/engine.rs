//! Layer stepping shared by the float and the bit-accurate neuron models, so
//! both run the same network the same way and return the same [`SnnRun`]
//! (Lava style: a float model and a bit-accurate model side by side).
//!
//! One algorithmic time step `t` (0-based, `0..steps`):
//!
//! 1. **Accumulate** (barrier): for every neuron j,
//!    `a_in[j] = Σ weights[i][j]` over the inputs i with an event at step t
//!    `+ Σ recurrent[k][j]` over the neurons k that spiked at step t − 1.
//!    All of a step's events are summed before any neuron updates, in 32-bit
//!    integers (a sum of int8 weights), so event order cannot change any
//!    result, in either model.
//! 2. **Update**: every neuron runs its model once with its `a_in`
//!    ([`LifModel::update`]); the spikes of step t are recorded.
//!
//! The recurrent path has a one-step delay: a spike at step t reaches the
//! other neurons at step t + 1 (as a recurrent `Dense` does in Lava, which
//! sends the activation it accumulated in the previous step). External input
//! events at step t act at step t. The layer's spikes of the previous step are
//! kept as a [`BitVec`] bitmap (one bit per neuron).

use super::fixed::NeuronState;
use super::network::Network;
use crate::formats::Event;
use bitvec::prelude::*;
use serde::Serialize;
use std::fmt::{self, Debug};

/// A neuron model the layer can step: the bit-accurate LIF
/// ([`super::fixed::LifBitAcc`]) or its float form ([`super::float::LifFloat`]).
pub trait LifModel {
    /// Per-neuron state; `Default` is the reset state (u = v = 0).
    type State: Clone + Default + PartialEq + Debug;

    /// Advances one neuron by one step with synaptic input `a_in` (the sum of
    /// the int8 weights of the step's spikes); returns whether it spiked.
    fn update(&self, state: &mut Self::State, a_in: i32) -> bool;

    /// Whether [`LifModel::update`] would leave `state` unchanged without a
    /// spike, so event-driven hardware may skip this neuron.
    fn skippable(&self, state: &Self::State, a_in: i32) -> bool;
}

/// Work counters of a run, the expected values of the hardware's counters.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct RunStats {
    /// Synaptic operations: one per (spike, target neuron) pair, i.e.
    /// `n` per input event plus `n` per recurrent spike delivered.
    pub synaptic_ops: u64,
    /// Neuron updates performed by this (non-skipping) model: `steps · n`.
    pub neuron_updates: u64,
    /// Of those, updates that were [`LifModel::skippable`]: the most an
    /// event-driven core may skip without changing any bit.
    pub skippable_updates: u64,
}

/// The result of running a layer. `S` is the model's neuron state
/// ([`NeuronState`] for the bit-accurate model).
#[derive(Debug, Clone, PartialEq)]
pub struct SnnRun<S = NeuronState> {
    /// Output spikes, sorted by step then neuron.
    pub spikes: Vec<Event>,
    /// Every neuron's state after the last step.
    pub final_state: Vec<S>,
    /// When asked for: `trace[t][j]` is neuron j's state after step t
    /// (after the spike reset).
    pub trace: Option<Vec<Vec<S>>>,
    pub stats: RunStats,
}

impl<S> SnnRun<S> {
    /// Spikes per neuron.
    pub fn spike_counts(&self) -> Vec<u32> {
        let mut counts = vec![0; self.final_state.len()];
        for e in &self.spikes {
            counts[e.neuron as usize] += 1;
        }
        counts
    }
}

/// A layer being stepped by one model. [`simulate`] runs it to the end; a
/// testbench can step it itself to look at (or disturb) each step.
pub struct Layer<'a, M: LifModel> {
    net: &'a Network,
    model: M,
    state: Vec<M::State>,
    /// Input neurons with an event, per step.
    inputs: Vec<Vec<u32>>,
    /// The layer's spikes of the previous step: this step's recurrent input.
    prev_spikes: BitVec,
    a_in: Vec<i32>,
    t: u32,
    stats: RunStats,
}

impl<'a, M: LifModel> Layer<'a, M> {
    /// A layer at step 0 with every neuron at the default (zero) state.
    ///
    /// Panics if the network is inconsistent (weight or recurrent matrix of the
    /// wrong size, an input event out of range): networks from
    /// [`Network::load`] are always consistent, so this is a programming error.
    pub fn new(net: &'a Network, model: M) -> Self {
        net.assert_consistent();
        let mut inputs = vec![Vec::new(); net.params.steps as usize];
        for e in &net.input {
            inputs[e.t as usize].push(e.neuron);
        }
        Layer {
            net,
            model,
            state: vec![M::State::default(); net.n],
            inputs,
            prev_spikes: bitvec![0; net.n],
            a_in: vec![0; net.n],
            t: 0,
            stats: RunStats::default(),
        }
    }

    /// The next step to run (= steps already run).
    pub fn t(&self) -> u32 {
        self.t
    }

    /// Whether all `steps` steps have run.
    pub fn finished(&self) -> bool {
        self.t >= self.net.params.steps
    }

    /// Runs step [`Layer::t`]; returns the bitmap of the neurons that spiked.
    /// Panics when already [`Layer::finished`].
    pub fn step(&mut self) -> &BitSlice {
        assert!(!self.finished(), "the layer has run all its steps");
        let n = self.net.n;
        // 1. Accumulate every event of the step before any neuron updates.
        self.a_in.fill(0);
        for &i in &self.inputs[self.t as usize] {
            let row = &self.net.weights[i as usize * n..(i as usize + 1) * n];
            accumulate(&mut self.a_in, row);
            self.stats.synaptic_ops += n as u64;
        }
        if let Some(recurrent) = &self.net.recurrent {
            for k in self.prev_spikes.iter_ones() {
                accumulate(&mut self.a_in, &recurrent[k * n..(k + 1) * n]);
                self.stats.synaptic_ops += n as u64;
            }
        }
        // 2. Update every neuron; this step's spikes become the next step's
        //    recurrent input.
        for (j, (state, &a_in)) in self.state.iter_mut().zip(&self.a_in).enumerate() {
            self.stats.skippable_updates += u64::from(self.model.skippable(state, a_in));
            let spiked = self.model.update(state, a_in);
            self.prev_spikes.set(j, spiked);
        }
        self.stats.neuron_updates += n as u64;
        self.t += 1;
        &self.prev_spikes
    }

    /// Every neuron's state (after the last step run).
    pub fn state(&self) -> &[M::State] {
        &self.state
    }

    /// Mutable state, for testbenches that plant errors.
    pub fn state_mut(&mut self) -> &mut [M::State] {
        &mut self.state
    }

    /// The synaptic input each neuron received in the last step run.
    pub fn a_in(&self) -> &[i32] {
        &self.a_in
    }

    pub fn stats(&self) -> RunStats {
        self.stats
    }

    pub fn model(&self) -> &M {
        &self.model
    }
}

fn accumulate(a_in: &mut [i32], row: &[i8]) {
    for (a, &w) in a_in.iter_mut().zip(row) {
        *a += i32::from(w);
    }
}

/// Runs `net` to the end with `model`, recording the per-step state when
/// `trace` is set.
pub fn simulate<M: LifModel>(net: &Network, model: M, trace: bool) -> SnnRun<M::State> {
    let mut layer = Layer::new(net, model);
    let mut spikes = Vec::new();
    let mut states = trace.then(Vec::new);
    while !layer.finished() {
        let t = layer.t();
        spikes.extend(layer.step().iter_ones().map(|j| Event {
            t,
            neuron: j as u32,
        }));
        if let Some(states) = &mut states {
            states.push(layer.state().to_vec());
        }
    }
    SnnRun {
        spikes,
        stats: layer.stats,
        final_state: layer.state,
        trace: states,
    }
}

/// The first difference between two runs of the same network.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    /// The step at which it shows; `None` for a difference found only in the
    /// final state (runs without traces).
    pub step: Option<u32>,
    pub neuron: u32,
    pub what: String,
}

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.step {
            Some(t) => write!(f, "step {t}, neuron {}: {}", self.neuron, self.what),
            None => write!(f, "final state, neuron {}: {}", self.neuron, self.what),
        }
    }
}

/// Exact comparison: the earliest spike or state difference between
/// `reference` and `test` (spikes, then traces when both have one, then the
/// final states), or `None` when they are identical.
pub fn first_mismatch<S: PartialEq + Debug>(
    reference: &SnnRun<S>,
    test: &SnnRun<S>,
) -> Option<Mismatch> {
    let spike = first_spike_mismatch(&reference.spikes, &test.spikes);
    let state = match (&reference.trace, &test.trace) {
        (Some(r), Some(t)) => first_trace_mismatch(r, t),
        _ => None,
    };
    // The earlier one; at the same step the spike explains the state.
    let earliest = match (spike, state) {
        (Some(s), Some(x)) => Some(if x.step < s.step { x } else { s }),
        (s, x) => s.or(x),
    };
    earliest.or_else(|| {
        let (r, t) = (&reference.final_state, &test.final_state);
        if r.len() != t.len() {
            return Some(Mismatch {
                step: None,
                neuron: r.len().min(t.len()) as u32,
                what: format!("expected {} neurons, found {}", r.len(), t.len()),
            });
        }
        r.iter().zip(t).position(|(a, b)| a != b).map(|j| Mismatch {
            step: None,
            neuron: j as u32,
            what: format!("expected {:?}, found {:?}", r[j], t[j]),
        })
    })
}

fn first_spike_mismatch(reference: &[Event], test: &[Event]) -> Option<Mismatch> {
    let k = reference
        .iter()
        .zip(test)
        .position(|(a, b)| a != b)
        .unwrap_or(reference.len().min(test.len()));
    // Both lists are sorted and agree before k, so the smaller of the two
    // k-th events is in one list only.
    let (event, in_reference) = match (reference.get(k), test.get(k)) {
        (None, None) => return None,
        (Some(&r), None) => (r, true),
        (None, Some(&t)) => (t, false),
        (Some(&r), Some(&t)) => {
            if r < t {
                (r, true)
            } else {
                (t, false)
            }
        }
    };
    Some(Mismatch {
        step: Some(event.t),
        neuron: event.neuron,
        what: if in_reference {
            "reference spikes, test does not".into()
        } else {
            "test spikes, reference does not".into()
        },
    })
}

fn first_trace_mismatch<S: PartialEq + Debug>(
    reference: &[Vec<S>],
    test: &[Vec<S>],
) -> Option<Mismatch> {
    for (t, (r, x)) in reference.iter().zip(test).enumerate() {
        if let Some(j) = r.iter().zip(x).position(|(a, b)| a != b) {
            return Some(Mismatch {
                step: Some(t as u32),
                neuron: j as u32,
                what: format!("expected state {:?}, found {:?}", r[j], x[j]),
            });
        }
    }
    (reference.len() != test.len()).then(|| Mismatch {
        step: Some(reference.len().min(test.len()) as u32),
        neuron: 0,
        what: format!(
            "expected a trace of {} steps, found {}",
            reference.len(),
            test.len()
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::snn::fixed::LifBitAcc;
    use crate::snn::params::NeuronParams;

    fn params(steps: u32) -> NeuronParams {
        NeuronParams {
            du: 4095, // u = a_in << 6 each step
            dv: 4095,
            vth: 10,
            bias_mant: 0,
            bias_exp: 0,
            steps,
        }
    }

    /// Two inputs, two neurons, neuron 0 → neuron 1 recurrent weight 7.
    fn tiny(recurrent: bool) -> Network {
        Network {
            weights: vec![20, 1, -3, 2],
            n_in: 2,
            n: 2,
            recurrent: recurrent.then(|| vec![0, 7, 0, 0]),
            params: params(4),
            input: vec![
                Event { t: 0, neuron: 0 },
                Event { t: 0, neuron: 1 },
                Event { t: 2, neuron: 1 },
            ],
        }
    }

    #[test]
    fn a_in_sums_the_steps_inputs_and_last_steps_recurrent_spikes() {
        let net = tiny(true);
        let mut layer = Layer::new(&net, LifBitAcc::new(net.params));
        // t=0: inputs 0 and 1: a_in = [20-3, 1+2]; neuron 0: 17·64 > 640 spikes
        let spikes = layer.step().to_bitvec();
        assert_eq!(layer.a_in(), &[17, 3]);
        assert_eq!(spikes, bitvec![1, 0]);
        // t=1: no input; neuron 0's spike of t=0 arrives now (one-step delay)
        layer.step();
        assert_eq!(layer.a_in(), &[0, 7]);
        // t=2: input 1 only; no spike at t=1, so no recurrent input
        layer.step();
        assert_eq!(layer.a_in(), &[-3, 2]);
        assert_eq!(layer.stats().synaptic_ops, 2 * 2 + 2 + 2);
        // without the recurrent matrix, t=1 gets nothing
        let net = tiny(false);
        let mut layer = Layer::new(&net, LifBitAcc::new(net.params));
        layer.step();
        layer.step();
        assert_eq!(layer.a_in(), &[0, 0]);
    }

    #[test]
    fn event_order_within_a_step_does_not_matter() {
        let mut net = tiny(true);
        let a = simulate(&net, LifBitAcc::new(net.params), true);
        net.input.swap(0, 1);
        let b = simulate(&net, LifBitAcc::new(net.params), true);
        assert_eq!(a, b);
        assert_eq!(a.spikes, vec![Event { t: 0, neuron: 0 }]);
        assert_eq!(a.trace.as_ref().unwrap().len(), 4);
        assert_eq!(a.stats.neuron_updates, 8);
    }

    #[test]
    fn first_mismatch_finds_the_earliest_difference() {
        let net = tiny(true);
        let a = simulate(&net, LifBitAcc::new(net.params), true);
        assert_eq!(first_mismatch(&a, &a), None);
        let mut b = a.clone();
        b.spikes.push(Event { t: 3, neuron: 1 });
        let m = first_mismatch(&a, &b).unwrap();
        assert_eq!((m.step, m.neuron), (Some(3), 1));
        assert!(m.what.contains("test spikes"), "{m}");
        let mut c = a.clone();
        c.trace.as_mut().unwrap()[1][1].u += 1;
        let m = first_mismatch(&a, &c).unwrap();
        assert_eq!((m.step, m.neuron), (Some(1), 1));
        // the earlier of a spike and a state difference wins
        let mut d = b.clone();
        d.trace.as_mut().unwrap()[2][0].v -= 1;
        assert_eq!(first_mismatch(&a, &d).unwrap().step, Some(2));
        // without traces the final state still counts
        let (mut e, mut f) = (a.clone(), a.clone());
        e.trace = None;
        f.trace = None;
        f.final_state[1].v += 1;
        let m = first_mismatch(&e, &f).unwrap();
        assert_eq!((m.step, m.neuron), (None, 1));
        assert!(m.to_string().starts_with("final state, neuron 1"), "{m}");
    }
}
