//! Runs a `golden::snn::Network` on the RTL core (the ECP5 build,
//! [`rtl::snn::core::SnnCoreEcp5`]),
//! cycle by cycle, with a behavioural host in its own clock domain.
//!
//! 1. **Configure** (core clock): registers and every synapse word through
//!    the configuration port, one write per core cycle. Layers whose neuron
//!    count is not a multiple of 32 are padded with neurons that have no
//!    synapses; their spikes are dropped (they cannot reach a real neuron:
//!    their recurrent rows are zero). Counters include the padding.
//! 2. **Run** (two clocks, [`DualClock`]): per step the host sends the
//!    step's input events over the AER input handshake (a random delay of
//!    0…`max_req_delay` host cycles before each `req`), toggles `tick` once
//!    the last event is acknowledged, and waits for `step_done` to toggle.
//!    Meanwhile it acknowledges output events (withholding `ack` with
//!    probability `backpressure` each host cycle) and labels them with the
//!    current step. Every core output it looks at crosses a two-flop
//!    synchronizer in the host model.
//! 3. **Read back** (core clock): every neuron's state via the debug port,
//!    and the counters.

use super::clocking::{cycle, settle, DualClock, Edge};
use golden::formats::Event;
use golden::snn::{Network, NeuronState, RunStats, SnnRun};
use rand::Rng;
use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rtl::snn::config::*;
use rtl::snn::core::SnnCoreEcp5 as SnnCore;
use rust_hdl::prelude::*;
use serde::Serialize;
use std::collections::VecDeque;
use std::fmt;
use std::io::Write;

/// The host side of a run: clock relation and disturbances.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HostConfig {
    /// f_core / f_host, in [`MIN_CLOCK_RATIO`, `MAX_CLOCK_RATIO`].
    pub clock_ratio: f64,
    /// Host clock phase as a fraction of its period, [0, 1).
    pub phase: f64,
    /// Largest random delay before each input `req`, host cycles.
    pub max_req_delay: u32,
    /// Probability that the host withholds the output `ack` in a cycle.
    pub backpressure: f64,
    /// Seed of the delays and the back-pressure.
    pub seed: u64,
}

pub const MIN_CLOCK_RATIO: f64 = 0.25;
pub const MAX_CLOCK_RATIO: f64 = 4.0;

impl Default for HostConfig {
    fn default() -> Self {
        HostConfig {
            clock_ratio: 1.0,
            phase: 0.0,
            max_req_delay: 0,
            backpressure: 0.0,
            seed: 1,
        }
    }
}

/// The core's counters at the end of a run (see [`rtl::snn::core`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct CoreCounters {
    pub sops: u64,
    pub neuron_updates: u64,
    pub skipped_neurons: u64,
    pub busy_cycles: u64,
    pub stall_cycles: u64,
    pub accumulate_cycles: u64,
    pub steps: u64,
    pub events_in: u64,
    pub events_processed: u64,
    pub events_out: u64,
    pub events_sent: u64,
    pub overrun: bool,
}

/// Work and time of one step, read when the host sees `step_done`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct StepRecord {
    /// Core cycles from leaving idle to `step_done` (the counter
    /// `last_step_cycles`).
    pub busy_cycles: u64,
    /// Rows streamed: input events plus recurrent spikes.
    pub events: u64,
    /// Neurons visited by the update phase.
    pub updates: u64,
}

/// A hardware run: the same shape as a golden run, plus the hardware view.
#[derive(Debug, Clone)]
pub struct HwRun {
    /// Spikes (real neurons only, sorted) and final states; `stats` holds the
    /// hardware's own counts: SOPs (n_hw per row streamed), neurons updated,
    /// neurons skipped (not `steps · n` updates as the golden model counts).
    pub run: SnnRun,
    pub counters: CoreCounters,
    pub steps: Vec<StepRecord>,
    /// Neurons in hardware (n padded to a multiple of 32).
    pub n_hw: usize,
    /// Core cycles of the run phase (configuration and read-back excluded).
    pub core_cycles: u64,
    pub host_cycles: u64,
    /// Core cycles spent loading the configuration.
    pub config_cycles: u64,
    /// Output events the host received (before dropping padded neurons).
    pub events_delivered: u64,
    /// Input events the host sent.
    pub events_sent_by_host: u64,
}

/// Why a network cannot run on the core, or a run did not finish.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HwError {
    /// The layer exceeds a hardware limit ([`rtl::snn::config`]).
    Unsupported(String),
    /// A host setting is out of range.
    BadHostConfig(String),
    /// The core stopped making progress (a design error).
    Timeout { step: u32 },
}

impl fmt::Display for HwError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HwError::Unsupported(m) | HwError::BadHostConfig(m) => write!(f, "{m}"),
            HwError::Timeout { step } => write!(f, "the core made no progress in step {step}"),
        }
    }
}

impl std::error::Error for HwError {}

/// Neurons in hardware for a layer of `n`: the next multiple of 32.
pub fn padded_neurons(n: usize) -> usize {
    n.div_ceil(GROUP).max(1) * GROUP
}

/// Checks `net` against the core's limits.
pub fn check_supported(net: &Network) -> Result<(), HwError> {
    let n_hw = padded_neurons(net.n);
    let rec = net.recurrent.is_some();
    let fan_in = net.n_in + if rec { net.n } else { 0 };
    let words = (net.n_in + if rec { n_hw } else { 0 }) * n_hw / LANES;
    let fail = |m: String| Err(HwError::Unsupported(m));
    if n_hw > MAX_NEURONS {
        return fail(format!(
            "the core holds at most {MAX_NEURONS} neurons, the layer has {}",
            net.n
        ));
    }
    if net.n_in > MAX_INPUTS {
        return fail(format!(
            "the core takes at most {MAX_INPUTS} inputs, the layer has {}",
            net.n_in
        ));
    }
    if fan_in > MAX_FAN_IN {
        return fail(format!(
            "fan-in {fan_in} (inputs{}) exceeds the core's {MAX_FAN_IN} (18-bit accumulator)",
            if rec { " + recurrent neurons" } else { "" }
        ));
    }
    if words > MAX_SYNAPSE_WORDS {
        return fail(format!(
            "{words} synapse words (4 int8 each) exceed the core's {MAX_SYNAPSE_WORDS}"
        ));
    }
    Ok(())
}

/// The configuration writes (address, data) that load `net`.
pub fn config_writes(net: &Network) -> Vec<(u64, u64)> {
    let n_hw = padded_neurons(net.n);
    let words = (n_hw / LANES) as u64;
    let p = &net.params;
    let mut w = vec![
        (REG_WORDS, words),
        (REG_GROUPS, (n_hw / GROUP) as u64),
        (REG_REC_BASE, net.n_in as u64),
        (REG_REC_EN, u64::from(net.recurrent.is_some())),
        (REG_DU, u64::from(p.du)),
        (REG_DV, u64::from(p.dv)),
        (REG_VTH, u64::from(p.vth)),
        (REG_BIAS_MANT, (p.bias_mant as u64) & 0x1FFF),
        (REG_BIAS_EXP, u64::from(p.bias_exp)),
    ];
    let mut rows: Vec<&[i8]> = net.weights.chunks(net.n).collect();
    if let Some(r) = &net.recurrent {
        rows.extend(r.chunks(net.n));
    }
    // Rows of padded neurons are zero; every word of every row is written.
    let zero_row = vec![0i8; net.n];
    if net.recurrent.is_some() {
        rows.extend(std::iter::repeat_n(zero_row.as_slice(), n_hw - net.n));
    }
    for (r, row) in rows.iter().enumerate() {
        for word in 0..n_hw / LANES {
            let mut data = 0u64;
            for lane in 0..LANES {
                let j = word * LANES + lane;
                let weight = if j < net.n { row[j] } else { 0 };
                data |= u64::from(weight as u8) << (8 * lane);
            }
            w.push((CFG_SYNAPSE | (r as u64 * words + word as u64), data));
        }
    }
    w
}

fn sign_extend(x: u64, bits: u32) -> i32 {
    let shift = 64 - bits;
    (((x << shift) as i64) >> shift) as i32
}

/// Decodes a state word of the debug port.
pub fn decode_state(word: u64) -> NeuronState {
    NeuronState {
        u: sign_extend(word >> STATE_U_SHIFT, 25),
        v: sign_extend(word & 0xFF_FFFF, 24),
    }
}

/// One core clock cycle, nothing else moving.
pub fn core_cycle(core: &mut SnnCore) {
    cycle(core, |c| &mut c.clock);
}

/// The counters as the core shows them now.
pub fn read_counters(core: &SnnCore) -> CoreCounters {
    let r = |s: &Signal<Out, Bits<32>>| s.val().to_u64();
    CoreCounters {
        sops: r(&core.sops),
        neuron_updates: r(&core.neuron_updates),
        skipped_neurons: r(&core.skipped_neurons),
        busy_cycles: r(&core.busy_cycles),
        stall_cycles: r(&core.stall_cycles),
        accumulate_cycles: r(&core.accumulate_cycles),
        steps: r(&core.steps),
        events_in: r(&core.events_in),
        events_processed: r(&core.events_processed),
        events_out: r(&core.events_out),
        events_sent: r(&core.events_sent),
        overrun: core.overrun.val(),
    }
}

/// A two-flop synchronizer in the host's clock domain.
#[derive(Default, Clone, Copy)]
struct HostSync([bool; 2]);

impl HostSync {
    fn clock(&mut self, async_in: bool) -> bool {
        self.0 = [async_in, self.0[0]];
        self.0[1]
    }
}

/// The behavioural host: AER sender, tick, AER receiver.
struct Host {
    cfg: HostConfig,
    rng: ChaCha8Rng,
    inputs: Vec<Vec<u32>>,
    t: u32,
    queue: VecDeque<u32>,
    delay: u32,
    req: bool,
    data: u32,
    tick: bool,
    waiting_done: bool,
    done_level: bool,
    out_ack: bool,
    ack_sync: HostSync,
    out_req_sync: HostSync,
    done_sync: HostSync,
    received: Vec<Event>,
    sent: u64,
    steps: Vec<StepRecord>,
    last_counters: CoreCounters,
    /// Synapse words per row.
    words: usize,
}

impl Host {
    fn new(net: &Network, cfg: HostConfig) -> Self {
        let mut inputs = vec![Vec::new(); net.params.steps as usize];
        for e in &net.input {
            inputs[e.t as usize].push(e.neuron);
        }
        let mut host = Host {
            cfg,
            rng: ChaCha8Rng::seed_from_u64(cfg.seed),
            queue: inputs[0].iter().copied().collect(),
            inputs,
            t: 0,
            delay: 0,
            req: false,
            data: 0,
            tick: false,
            waiting_done: false,
            done_level: false,
            out_ack: false,
            ack_sync: HostSync::default(),
            out_req_sync: HostSync::default(),
            done_sync: HostSync::default(),
            received: Vec::new(),
            sent: 0,
            steps: Vec::new(),
            last_counters: CoreCounters::default(),
            words: padded_neurons(net.n) / LANES,
        };
        host.delay = host.draw_delay();
        host
    }

    fn draw_delay(&mut self) -> u32 {
        if self.cfg.max_req_delay == 0 {
            0
        } else {
            self.rng.gen_range(0..=self.cfg.max_req_delay)
        }
    }

    fn finished(&self) -> bool {
        self.t as usize >= self.inputs.len()
    }

    /// One host clock edge: sample the core's outputs through the
    /// synchronizers, advance the state machines, drive the inputs.
    fn clock(&mut self, core: &mut SnnCore) {
        let ack = self.ack_sync.clock(core.aer_in_ack.val());
        let out_req = self.out_req_sync.clock(core.aer_out_req.val());
        let done = self.done_sync.clock(core.step_done.val());
        // AER output receiver.
        if out_req && !self.out_ack && self.rng.gen::<f64>() >= self.cfg.backpressure {
            self.received.push(Event {
                t: self.t,
                neuron: core.aer_out_data.val().to_u64() as u32,
            });
            self.out_ack = true;
        } else if !out_req && self.out_ack {
            self.out_ack = false;
        }
        // AER input sender and the tick.
        if !self.finished() {
            if self.waiting_done {
                if done != self.done_level {
                    self.done_level = done;
                    self.waiting_done = false;
                    self.record_step(core);
                    self.t += 1;
                    if !self.finished() {
                        self.queue = self.inputs[self.t as usize].iter().copied().collect();
                    }
                }
            } else if self.req {
                if ack {
                    self.req = false;
                    self.queue.pop_front();
                    self.sent += 1;
                    self.delay = self.draw_delay();
                }
            } else if !ack {
                if let Some(&i) = self.queue.front() {
                    if self.delay > 0 {
                        self.delay -= 1;
                    } else {
                        self.data = i;
                        self.req = true;
                    }
                } else {
                    self.tick = !self.tick;
                    self.waiting_done = true;
                }
            }
        }
        core.aer_in_req.next = self.req;
        core.aer_in_data.next = u64::from(self.data).into();
        core.tick.next = self.tick;
        core.aer_out_ack.next = self.out_ack;
    }

    /// The step's work from the counter deltas (the core is idle now).
    fn record_step(&mut self, core: &SnnCore) {
        let now = read_counters(core);
        let before = self.last_counters;
        self.steps.push(StepRecord {
            busy_cycles: core.last_step_cycles.val().to_u64(),
            events: (now.sops - before.sops) / (LANES * self.words) as u64,
            updates: now.neuron_updates - before.neuron_updates,
        });
        self.last_counters = now;
    }
}

/// A connected, settled core in its reset state.
pub fn new_core() -> Box<SnnCore> {
    let mut core = Box::new(SnnCore::new());
    core.connect_all();
    settle(core.as_mut());
    core
}

/// Loads `net` through the configuration port (core clock, one write per
/// cycle); returns the cycles taken. `net` must pass [`check_supported`].
pub fn configure(core: &mut SnnCore, net: &Network) -> u64 {
    let writes = config_writes(net);
    for &(addr, data) in &writes {
        core.cfg_write.next = true;
        core.cfg_addr.next = addr.into();
        core.cfg_data.next = data.into();
        core_cycle(core);
    }
    core.cfg_write.next = false;
    core_cycle(core);
    writes.len() as u64 + 1
}

/// Runs `net` on the core. With `vcd`, every signal change is streamed to
/// it (timestamps in simulation units, [`super::clocking::HOST_PERIOD`] per
/// host cycle).
pub fn run<W: Write>(
    net: &Network,
    host_cfg: HostConfig,
    vcd: Option<W>,
) -> Result<HwRun, HwError> {
    if !(MIN_CLOCK_RATIO..=MAX_CLOCK_RATIO).contains(&host_cfg.clock_ratio) {
        return Err(HwError::BadHostConfig(format!(
            "clock ratio: expected a value in [{MIN_CLOCK_RATIO}, {MAX_CLOCK_RATIO}], found {}",
            host_cfg.clock_ratio
        )));
    }
    if !(0.0..1.0).contains(&host_cfg.phase) || !(0.0..1.0).contains(&host_cfg.backpressure) {
        return Err(HwError::BadHostConfig(
            "phase and back-pressure are fractions in [0, 1)".into(),
        ));
    }
    check_supported(net)?;
    net.assert_consistent();
    let n_hw = padded_neurons(net.n);
    let mut core = new_core();
    let mut vcd = vcd.map(|w| {
        let v = write_vcd_header(w, core.as_ref());
        write_vcd_dump(v, core.as_ref())
    });

    // 1. Configuration.
    let config_cycles = configure(&mut core, net);

    // 2. The run, two clock domains.
    let mut host = Host::new(net, host_cfg);
    let mut clocks = DualClock::new(host_cfg.clock_ratio, host_cfg.phase);
    let (mut core_cycles, mut host_cycles) = (0u64, 0u64);
    let per_step_limit = 200_000 + 64 * (net.n_in + n_hw) as u64 * (n_hw as u64 / 4 + 8);
    let mut step_started = 0u64;
    let mut last_t = 0;
    while !host.finished() {
        let (edge, time) = clocks.advance();
        match edge {
            Edge::CoreRise | Edge::CoreFall => {
                core.clock.next = Clock {
                    clk: edge == Edge::CoreRise,
                };
                settle(core.as_mut());
                core_cycles += u64::from(edge == Edge::CoreFall);
            }
            Edge::Host => {
                host.clock(&mut core);
                settle(core.as_mut());
                host_cycles += 1;
            }
        }
        if let Some(v) = vcd.as_mut() {
            v.timestamp(time).ok();
        }
        vcd = vcd.map(|v| write_vcd_change(v, core.as_ref()));
        if host.t != last_t {
            last_t = host.t;
            step_started = core_cycles;
        }
        if core_cycles - step_started > per_step_limit {
            return Err(HwError::Timeout { step: host.t });
        }
    }
    drop(vcd);

    // 3. Read-back.
    let mut final_state = Vec::with_capacity(net.n);
    for j in 0..net.n {
        core.dbg_neuron.next = (j as u64).into();
        core_cycle(&mut core);
        final_state.push(decode_state(core.dbg_state.val().to_u64()));
    }
    let counters = read_counters(&core);
    let mut spikes: Vec<Event> = host
        .received
        .iter()
        .copied()
        .filter(|e| (e.neuron as usize) < net.n)
        .collect();
    spikes.sort();
    Ok(HwRun {
        run: SnnRun {
            spikes,
            final_state,
            trace: None,
            stats: RunStats {
                synaptic_ops: counters.sops,
                neuron_updates: counters.neuron_updates,
                skippable_updates: counters.skipped_neurons,
            },
        },
        counters,
        steps: host.steps,
        n_hw,
        core_cycles,
        host_cycles,
        config_cycles,
        events_delivered: host.received.len() as u64,
        events_sent_by_host: host.sent,
    })
}
