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
//!
//! The core runs on any [`Engine`]: the host model only sets and reads the
//! core's top-level ports, so the same testbench drives the rust-hdl model,
//! its Verilog under Verilator, or both in lockstep.

use super::clocking::{DualClock, Edge};
use crate::control::{self, Progress, CHECKPOINT_CYCLES};
use crate::engine::rust::RustEngine;
use crate::engine::{self, Engine, EngineError, EngineKind, In, Out};
use golden::formats::Event;
use golden::snn::{Network, NeuronState, RunStats, SnnRun};
use rand::Rng;
use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rtl::snn::config::*;
use rtl::snn::core::SnnCoreEcp5;
use serde::Serialize;
use std::collections::VecDeque;
use std::fmt;
use std::io::Write;
use std::time::Instant;

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
    /// The engine could not be built, or (co-simulation) its engines disagree.
    Engine(EngineError),
    /// A stop was requested ([`crate::control`]) during this step.
    Stopped { step: u32 },
}

impl From<EngineError> for HwError {
    fn from(e: EngineError) -> Self {
        HwError::Engine(e)
    }
}

impl fmt::Display for HwError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HwError::Unsupported(m) | HwError::BadHostConfig(m) => write!(f, "{m}"),
            HwError::Timeout { step } => write!(f, "the core made no progress in step {step}"),
            HwError::Engine(e) => write!(f, "{e}"),
            HwError::Stopped { step } => write!(f, "stopped during step {step}"),
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

/// The core's counter outputs, in [`CoreCounters`] order.
const COUNTER_PORTS: [&str; 11] = [
    "sops",
    "neuron_updates",
    "skipped_neurons",
    "busy_cycles",
    "stall_cycles",
    "accumulate_cycles",
    "steps",
    "events_in",
    "events_processed",
    "events_out",
    "events_sent",
];

/// The core's ports in one engine's numbering.
struct Ports {
    clock: In,
    cfg_write: In,
    cfg_addr: In,
    cfg_data: In,
    dbg_neuron: In,
    dbg_state: Out,
    aer_in_req: In,
    aer_in_data: In,
    aer_in_ack: Out,
    aer_out_req: Out,
    aer_out_data: Out,
    aer_out_ack: In,
    tick: In,
    step_done: Out,
    overrun: Out,
    last_step_cycles: Out,
    counters: [Out; 11],
}

impl Ports {
    fn of(e: &dyn Engine) -> Result<Self, EngineError> {
        let p = e.ports();
        let mut counters = [Out(0); 11];
        for (c, name) in counters.iter_mut().zip(COUNTER_PORTS) {
            *c = p.output(name)?;
        }
        Ok(Self {
            clock: p.input("clock")?,
            cfg_write: p.input("cfg_write")?,
            cfg_addr: p.input("cfg_addr")?,
            cfg_data: p.input("cfg_data")?,
            dbg_neuron: p.input("dbg_neuron")?,
            dbg_state: p.output("dbg_state")?,
            aer_in_req: p.input("aer_in_req")?,
            aer_in_data: p.input("aer_in_data")?,
            aer_in_ack: p.output("aer_in_ack")?,
            aer_out_req: p.output("aer_out_req")?,
            aer_out_data: p.output("aer_out_data")?,
            aer_out_ack: p.input("aer_out_ack")?,
            tick: p.input("tick")?,
            step_done: p.output("step_done")?,
            overrun: p.output("overrun")?,
            last_step_cycles: p.output("last_step_cycles")?,
            counters,
        })
    }
}

/// The neuromorphic core (ECP5 build) on an engine.
pub struct Core {
    e: Box<dyn Engine>,
    p: Ports,
}

impl Core {
    /// A core in its reset state on the engine `kind`.
    pub fn open(kind: EngineKind) -> Result<Self, HwError> {
        Self::on(engine::open::<SnnCoreEcp5>(kind)?)
    }

    /// A core on an engine already opened for [`SnnCoreEcp5`].
    pub fn on(mut e: Box<dyn Engine>) -> Result<Self, HwError> {
        let p = Ports::of(e.as_ref())?;
        e.eval()?;
        Ok(Self { e, p })
    }

    /// The engine's name.
    pub fn engine(&self) -> &'static str {
        self.e.kind()
    }

    /// Drive the input `name` (test access by name; see [`Engine::set`]).
    pub fn set(&mut self, name: &str, value: u64) -> Result<(), HwError> {
        let port = self.e.ports().input(name)?;
        self.e.set(port, value);
        Ok(())
    }

    /// Read the output `name`.
    pub fn get(&self, name: &str) -> Result<u64, HwError> {
        Ok(self.e.get(self.e.ports().output(name)?))
    }

    /// Settle after input changes (no clock edge).
    pub fn settle(&mut self) -> Result<(), HwError> {
        Ok(self.e.eval()?)
    }

    /// The core clock to `high`, settled.
    fn clock_edge(&mut self, high: bool) -> Result<(), HwError> {
        self.e.set(self.p.clock, u64::from(high));
        Ok(self.e.eval()?)
    }

    /// One core clock cycle: rising edge, then falling edge, each settled.
    pub fn cycle(&mut self) -> Result<(), HwError> {
        self.clock_edge(true)?;
        self.clock_edge(false)
    }

    /// The counters as the core shows them now.
    pub fn counters(&self) -> CoreCounters {
        let [sops, neuron_updates, skipped_neurons, busy_cycles, stall_cycles, accumulate_cycles, steps, events_in, events_processed, events_out, events_sent] =
            self.p.counters.map(|c| self.e.get(c));
        CoreCounters {
            sops,
            neuron_updates,
            skipped_neurons,
            busy_cycles,
            stall_cycles,
            accumulate_cycles,
            steps,
            events_in,
            events_processed,
            events_out,
            events_sent,
            overrun: self.e.get(self.p.overrun) == 1,
        }
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
    fn clock(&mut self, core: &mut Core) {
        let (e, p) = (core.e.as_mut(), &core.p);
        let ack = self.ack_sync.clock(e.get(p.aer_in_ack) == 1);
        let out_req = self.out_req_sync.clock(e.get(p.aer_out_req) == 1);
        let done = self.done_sync.clock(e.get(p.step_done) == 1);
        // AER output receiver.
        if out_req && !self.out_ack && self.rng.gen::<f64>() >= self.cfg.backpressure {
            self.received.push(Event {
                t: self.t,
                neuron: e.get(p.aer_out_data) as u32,
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
        let (e, p) = (core.e.as_mut(), &core.p);
        e.set(p.aer_in_req, u64::from(self.req));
        e.set(p.aer_in_data, u64::from(self.data));
        e.set(p.tick, u64::from(self.tick));
        e.set(p.aer_out_ack, u64::from(self.out_ack));
    }

    /// The step's work from the counter deltas (the core is idle now).
    fn record_step(&mut self, core: &Core) {
        let now = core.counters();
        let before = self.last_counters;
        self.steps.push(StepRecord {
            busy_cycles: core.e.get(core.p.last_step_cycles),
            events: (now.sops - before.sops) / (LANES * self.words) as u64,
            updates: now.neuron_updates - before.neuron_updates,
        });
        self.last_counters = now;
    }
}

/// Loads `net` through the configuration port (core clock, one write per
/// cycle); returns the cycles taken. `net` must pass [`check_supported`].
pub fn configure(core: &mut Core, net: &Network) -> Result<u64, HwError> {
    let writes = config_writes(net);
    let p = &core.p;
    let (write, addr_port, data_port) = (p.cfg_write, p.cfg_addr, p.cfg_data);
    for &(addr, data) in &writes {
        core.e.set(write, 1);
        core.e.set(addr_port, addr);
        core.e.set(data_port, data);
        core.cycle()?;
    }
    core.e.set(write, 0);
    core.cycle()?;
    Ok(writes.len() as u64 + 1)
}

/// Runs `net` on the rust engine. With `vcd`, every signal change is
/// streamed to it (timestamps in simulation units,
/// [`super::clocking::HOST_PERIOD`] per host cycle).
pub fn run<W: Write + 'static>(
    net: &Network,
    host_cfg: HostConfig,
    vcd: Option<W>,
) -> Result<HwRun, HwError> {
    check_host_config(&host_cfg)?;
    check_supported(net)?;
    let mut e = RustEngine::<SnnCoreEcp5>::new()?;
    if let Some(w) = vcd {
        e.trace_to(Box::new(w));
    }
    drive(Core::on(Box::new(e))?, net, host_cfg)
}

/// Runs `net` on the engine `kind` (no VCD: [`run`] traces).
pub fn run_on(kind: EngineKind, net: &Network, host_cfg: HostConfig) -> Result<HwRun, HwError> {
    check_host_config(&host_cfg)?;
    check_supported(net)?;
    drive(Core::open(kind)?, net, host_cfg)
}

fn check_host_config(host_cfg: &HostConfig) -> Result<(), HwError> {
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
    Ok(())
}

/// Configure, run and read back `net` on `core` (checked by the callers).
fn drive(mut core: Core, net: &Network, host_cfg: HostConfig) -> Result<HwRun, HwError> {
    net.assert_consistent();
    let n_hw = padded_neurons(net.n);
    let started = Instant::now();

    // 1. Configuration.
    let config_cycles = configure(&mut core, net)?;

    // 2. The run, two clock domains.
    let mut host = Host::new(net, host_cfg);
    let mut clocks = DualClock::new(host_cfg.clock_ratio, host_cfg.phase);
    let (mut core_cycles, mut host_cycles) = (0u64, 0u64);
    let per_step_limit = 200_000 + 64 * (net.n_in + n_hw) as u64 * (n_hw as u64 / 4 + 8);
    // Progress is counted in steps, shown as core cycles at the idle-step rate.
    let steps_total = host.inputs.len() as u64;
    let mut step_started = 0u64;
    let mut last_t = 0;
    while !host.finished() {
        let (edge, time) = clocks.advance();
        core.e.set_time(time);
        match edge {
            Edge::CoreRise | Edge::CoreFall => {
                core.clock_edge(edge == Edge::CoreRise)?;
                core_cycles += u64::from(edge == Edge::CoreFall);
            }
            Edge::Host => {
                host.clock(&mut core);
                core.settle()?;
                host_cycles += 1;
            }
        }
        if host.t != last_t {
            last_t = host.t;
            step_started = core_cycles;
        }
        if core_cycles - step_started > per_step_limit {
            return Err(HwError::Timeout { step: host.t });
        }
        if edge == Edge::CoreFall && core_cycles.is_multiple_of(CHECKPOINT_CYCLES) {
            control::checkpoint(&Progress {
                cycles: u64::from(host.t),
                expected: steps_total,
                unit: "steps",
                started,
            })
            .map_err(|_| HwError::Stopped { step: host.t })?;
        }
    }

    // 3. Read-back.
    let mut final_state = Vec::with_capacity(net.n);
    for j in 0..net.n {
        core.e.set(core.p.dbg_neuron, j as u64);
        core.cycle()?;
        final_state.push(decode_state(core.e.get(core.p.dbg_state)));
    }
    let counters = core.counters();
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
