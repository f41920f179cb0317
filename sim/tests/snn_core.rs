//! The RTL core against the bit-accurate reference (`golden::snn::fixed`):
//! identical spikes and final states, on the default layer, on edge cases
//! and under any clock ratio, phase, request delay and back-pressure; the
//! counters agree with the work done and no event is lost or duplicated.

use golden::formats::Event;
use golden::snn::{first_mismatch, fixed, workload, Network, NeuronParams};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use sim::engine::EngineKind;
use sim::snn::driver::{configure, padded_neurons};
use sim::snn::{run, Core, HostConfig, HwError, HwRun};

fn hw(net: &Network, cfg: HostConfig) -> HwRun {
    run(net, cfg, None::<std::io::Sink>).expect("the core runs the layer")
}

/// Runs `net` on the core and checks it against the reference: zero
/// mismatches, and counters that account for every event and neuron.
fn assert_exact(net: &Network, cfg: HostConfig) -> HwRun {
    let reference = fixed::run(net, false);
    let h = hw(net, cfg);
    if let Some(m) = first_mismatch(&reference, &h.run) {
        panic!("RTL differs from the fixed reference ({cfg:?}): {m}");
    }
    let c = &h.counters;
    let steps = u64::from(net.params.steps);
    // no event lost or duplicated, in or out
    assert_eq!(h.events_sent_by_host, net.input.len() as u64);
    assert_eq!(c.events_in, net.input.len() as u64);
    assert_eq!(c.events_processed, c.events_in);
    assert_eq!(c.events_out, c.events_sent);
    assert_eq!(h.events_delivered, c.events_sent);
    assert_eq!(c.steps, steps);
    assert!(!c.overrun);
    // every neuron is either updated or skipped, each step
    assert_eq!(c.neuron_updates + c.skipped_neurons, steps * h.n_hw as u64);
    if h.n_hw == net.n {
        assert_eq!(c.sops, reference.stats.synaptic_ops);
        assert!(c.skipped_neurons <= reference.stats.skippable_updates);
    }
    h
}

fn params(du: u16, dv: u16, vth: u32, bias_mant: i16, bias_exp: u8, steps: u32) -> NeuronParams {
    NeuronParams {
        du,
        dv,
        vth,
        bias_mant,
        bias_exp,
        steps,
    }
}

/// A layer with every input firing every step `from..to`.
fn all_inputs(n_in: usize, steps: u32, from: u32, to: u32) -> Vec<Event> {
    (from..to.min(steps))
        .flat_map(|t| (0..n_in as u32).map(move |i| Event { t, neuron: i }))
        .collect()
}

fn layer(weights: Vec<i8>, n_in: usize, n: usize, p: NeuronParams, input: Vec<Event>) -> Network {
    Network {
        weights,
        n_in,
        n,
        recurrent: None,
        params: p,
        input,
    }
}

#[test]
fn default_layer_is_bit_exact() {
    let net = workload::default_network(1);
    let h = assert_exact(&net, HostConfig::default());
    assert!(!h.run.spikes.is_empty());
    eprintln!(
        "default layer: {} spikes, {} core cycles, {:?}",
        h.run.spikes.len(),
        h.core_cycles,
        h.counters
    );
}

#[test]
fn random_layers_are_bit_exact() {
    // sizes that need padding (40 → 64 neurons), odd input counts, recurrence
    for (seed, n_in, n, activity, recurrent) in [
        (11, 7, 40, 0.3, true),
        (12, 64, 32, 0.1, true),
        (13, 100, 96, 0.05, false),
        (14, 33, 64, 0.5, true),
    ] {
        let net = workload::generate(seed, n_in, n, 30, activity, recurrent);
        let h = assert_exact(&net, HostConfig::default());
        assert_eq!(h.n_hw, padded_neurons(n));
    }
}

#[test]
fn silent_input_skips_every_neuron() {
    let net = layer(
        vec![50; 16 * 64],
        16,
        64,
        params(410, 205, 100, 0, 0, 20),
        vec![],
    );
    let h = assert_exact(&net, HostConfig::default());
    assert!(h.run.spikes.is_empty());
    assert_eq!(h.counters.neuron_updates, 0);
    assert_eq!(h.counters.sops, 0);
    // an idle step costs one cycle per group of 32 plus a fixed overhead
    assert!(h.steps.iter().all(|s| s.busy_cycles < 16), "{:?}", h.steps);
}

#[test]
fn activity_dies_out_and_neurons_are_skipped_again() {
    // input in steps 0..5 of 400: truncation toward zero brings every neuron
    // back to u = v = 0, after which the core stops visiting it
    let mut net = workload::generate(21, 32, 64, 400, 0.3, false);
    net.input.retain(|e| e.t < 5);
    let reference = fixed::run(&net, false);
    let h = assert_exact(&net, HostConfig::default());
    assert!(h.counters.skipped_neurons > 100 * 64, "{:?}", h.counters);
    assert!(h.run.final_state.iter().all(|s| s.u == 0 && s.v == 0));
    // the core skips all but the steps with input of what the model may skip
    let with_input_steps = 5 * 64;
    assert!(
        h.counters.skipped_neurons + with_input_steps >= reference.stats.skippable_updates,
        "{:?} vs {:?}",
        h.counters,
        reference.stats
    );
}

#[test]
fn every_input_spiking_every_step() {
    let net = workload::generate(31, 64, 64, 10, 1.0, false);
    assert_eq!(net.input.len(), 640);
    assert_exact(&net, HostConfig::default());
}

#[test]
fn extreme_weights() {
    // ±127 and −128, alternating by neuron and input
    let (n_in, n) = (48, 64);
    let w = (0..n_in * n)
        .map(|k| match (k / n + k % n) % 4 {
            0 | 1 => 127,
            2 => -127,
            _ => -128,
        })
        .collect();
    let input = workload::generate(32, n_in, n, 25, 0.4, false).input;
    let h = assert_exact(
        &layer(w, n_in, n, params(100, 100, 200, 0, 0, 25), input),
        HostConfig::default(),
    );
    assert!(!h.run.spikes.is_empty());
}

#[test]
fn v_saturates_both_ways() {
    // no decays; +127 weights drive v to +(2^23 − 1) (and a spike at the
    // highest threshold), −128 weights to −(2^23 − 1)
    let (n_in, n) = (64, 32);
    let w = (0..n_in * n)
        .map(|k| if k % n < 16 { 127 } else { -128 })
        .collect();
    let p = params(0, 0, 131_071, 0, 0, 12);
    let net = layer(w, n_in, n, p, all_inputs(n_in, 12, 0, 12));
    let reference = fixed::run(&net, true);
    let trace = reference.trace.as_ref().unwrap();
    assert!(
        trace.iter().flatten().any(|s| s.v == -(1 << 23) + 1),
        "negative clip reached"
    );
    assert!(
        reference.spikes.iter().any(|e| e.neuron < 16),
        "positive side spikes"
    );
    assert_exact(&net, HostConfig::default());
}

#[test]
fn u_wraps() {
    // du = 0 (slow decay) and 256 inputs of 127 each step: u grows past 2^23
    // and wraps to negative, both signs
    let (n_in, n) = (256, 32);
    let w = (0..n_in * n)
        .map(|k| if k % n < 16 { 127 } else { -128 })
        .collect();
    let p = params(0, 4095, 131_071, 0, 0, 10);
    let net = layer(w, n_in, n, p, all_inputs(n_in, 10, 0, 10));
    let reference = fixed::run(&net, true);
    let trace = reference.trace.as_ref().unwrap();
    let us: Vec<i32> = trace.iter().map(|s| s[0].u).collect();
    assert!(
        us.windows(2).any(|w| w[0] > 0 && w[1] < 0),
        "u wrapped: {us:?}"
    );
    let us: Vec<i32> = trace.iter().map(|s| s[20].u).collect();
    assert!(
        us.windows(2).any(|w| w[0] < 0 && w[1] > 0),
        "u wrapped: {us:?}"
    );
    assert_exact(&net, HostConfig::default());
}

#[test]
fn bias_alone_fires() {
    // no input at all; positive bias fires periodically, negative bias clips
    let p = params(0, 0, 50, 100, 3, 30);
    let net = layer(vec![0; 4 * 32], 4, 32, p, vec![]);
    let h = assert_exact(&net, HostConfig::default());
    assert_eq!(h.run.spikes.len(), 6 * 32);
    let p = params(0, 0, 50, -4096, 7, 30);
    let h = assert_exact(
        &layer(vec![0; 4 * 32], 4, 32, p, vec![]),
        HostConfig::default(),
    );
    assert!(h.run.final_state.iter().all(|s| s.v == -(1 << 23) + 1));
}

#[test]
fn recurrent_spikes_arrive_one_step_later() {
    let net = workload::generate(41, 32, 64, 40, 0.15, true);
    let h = assert_exact(&net, HostConfig::default());
    // recurrent rows were streamed: more rows than input events
    let rows: u64 = h.steps.iter().map(|s| s.events).sum();
    assert!(rows > net.input.len() as u64, "{rows}");
    // and they matter: without them the reference differs
    let mut feedforward = net.clone();
    feedforward.recurrent = None;
    assert_ne!(fixed::run(&feedforward, false).spikes, h.run.spikes);
}

#[test]
fn same_spikes_under_any_clock_ratio_phase_delay_and_backpressure() {
    let net = workload::generate(51, 24, 64, 12, 0.25, true);
    let reference = fixed::run(&net, false);
    let mut rng = ChaCha8Rng::seed_from_u64(9);
    for (k, &ratio) in [0.25, 0.4, 1.0, 1.7, 4.0].iter().enumerate() {
        for _ in 0..3 {
            let cfg = HostConfig {
                clock_ratio: ratio,
                phase: rng.gen_range(0.0..1.0),
                max_req_delay: rng.gen_range(0..6),
                backpressure: [0.0, 0.3, 0.7][k % 3],
                seed: rng.gen(),
            };
            let h = assert_exact(&net, cfg);
            assert_eq!(h.run.spikes, reference.spikes);
        }
    }
}

#[test]
fn a_planted_one_lsb_error_is_caught() {
    let net = workload::generate(61, 32, 64, 20, 0.2, false);
    let reference = fixed::run(&net, false);
    let clean = hw(&net, HostConfig::default());
    assert_eq!(first_mismatch(&reference, &clean.run), None);
    // one synapse one LSB off in the core's memory (an input that fires)
    let mut planted = net.clone();
    let i = net.input[0].neuron as usize;
    planted.weights[i * net.n + 5] += 1;
    let h = hw(&planted, HostConfig::default());
    let m = first_mismatch(&reference, &h.run).expect("a one-LSB weight error is caught");
    assert_eq!(m.neuron, 5, "{m}");
    // one LSB of one final state
    let mut off = clean.run.clone();
    off.final_state[9].v += 1;
    let m = first_mismatch(&reference, &off).expect("a one-LSB state error is caught");
    assert_eq!((m.step, m.neuron), (None, 9));
}

#[test]
fn a_tick_during_a_step_sets_overrun() {
    let net = workload::generate(71, 64, 256, 2, 1.0, false);
    let mut core = Core::open(EngineKind::Rust).unwrap();
    configure(&mut core, &net).unwrap();
    let cycles = |core: &mut Core, n: usize| {
        for _ in 0..n {
            core.cycle().unwrap();
        }
    };
    // one event, then two ticks in quick succession: the second arrives while
    // the first step is still running
    core.set("aer_in_data", 3).unwrap();
    core.set("aer_in_req", 1).unwrap();
    cycles(&mut core, 6);
    assert_eq!(core.get("aer_in_ack").unwrap(), 1);
    core.set("aer_in_req", 0).unwrap();
    cycles(&mut core, 6);
    core.set("tick", 1).unwrap();
    cycles(&mut core, 8);
    assert_eq!(core.get("overrun").unwrap(), 0);
    core.set("tick", 0).unwrap();
    cycles(&mut core, 2000);
    assert_eq!(core.get("overrun").unwrap(), 1);
    assert_eq!(core.get("steps").unwrap(), 1);
}

#[test]
fn unsupported_layers_and_settings_are_rejected() {
    let net = workload::generate(81, 1025, 32, 2, 0.1, false);
    assert!(matches!(
        run(&net, HostConfig::default(), None::<std::io::Sink>),
        Err(HwError::Unsupported(_))
    ));
    let net = workload::generate(81, 8, 32, 2, 0.1, false);
    for ratio in [0.2, 4.5, f64::NAN] {
        let cfg = HostConfig {
            clock_ratio: ratio,
            ..HostConfig::default()
        };
        assert!(matches!(
            run(&net, cfg, None::<std::io::Sink>),
            Err(HwError::BadHostConfig(_))
        ));
    }
}

#[test]
fn vcd_is_streamed_to_a_file() {
    let net = workload::generate(91, 8, 32, 3, 0.5, false);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("core.vcd");
    let file = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    run(&net, HostConfig::default(), Some(file)).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("$enddefinitions"));
    assert!(text.contains("aer_out_req"));
    assert!(text.lines().filter(|l| l.starts_with('#')).count() > 100);
}

/// `make test-snn-long`: the default layer with recurrence, and the default
/// layer under the extreme clock ratios with delays and back-pressure.
#[test]
#[ignore = "long: run with `make test-snn-long`"]
fn default_size_long_runs_are_bit_exact() {
    let mut net = workload::default_network(2);
    let recurrent = workload::generate(2, net.n_in, net.n, net.params.steps, 0.05, true);
    net.recurrent = recurrent.recurrent;
    assert_exact(&net, HostConfig::default());
    let net = workload::default_network(1);
    for (ratio, phase) in [(0.25, 0.5), (4.0, 0.25)] {
        let cfg = HostConfig {
            clock_ratio: ratio,
            phase,
            max_req_delay: 4,
            backpressure: 0.5,
            seed: 3,
        };
        assert_exact(&net, cfg);
    }
}

#[test]
fn groups_without_synaptic_input_are_skipped() {
    // inputs reach only neurons 0..32 of 96: the other two groups of 32 get
    // no input and stay at zero, so the core never visits them
    let (n_in, n) = (16, 96);
    let w = (0..n_in * n)
        .map(|k| {
            if k % n < 32 {
                ((k % 7) as i8) * 9 - 20
            } else {
                0
            }
        })
        .collect();
    let input = workload::generate(33, n_in, n, 20, 0.3, false).input;
    let net = layer(w, n_in, n, params(410, 205, 300, 0, 0, 20), input);
    let h = assert_exact(&net, HostConfig::default());
    assert!(h.counters.neuron_updates <= 20 * 32, "{:?}", h.counters);
    assert!(h.counters.skipped_neurons >= 20 * 64, "{:?}", h.counters);
}
