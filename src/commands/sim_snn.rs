//! `spikescan sim snn`: the neuromorphic core's RTL, cycle by cycle, on one
//! network directory. Writes `spikes.csv` (`t,neuron`), `state.csv` (final
//! u, v per neuron, integer LSBs) and `report.json` (counters and figures);
//! with `--vcd`, streams the waveform to a temporary file renamed into place
//! only when the run succeeds. Nothing is written on error.

use super::choose_engine_traced;
use crate::cli::SimSnn;
use crate::error::CliError;
use crate::output::{write_interrupted, Outputs};
use golden::formats::{events_csv, matrix_csv, NumberStyle};
use golden::snn::Network;
use golden::Matrix;
use serde::Serialize;
use sim::snn::driver::{check_supported, MAX_CLOCK_RATIO, MIN_CLOCK_RATIO};
use sim::snn::{CoreCounters, HostConfig, HwError, HwRun, StepRecord};
use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// The core clock the throughput figures assume: a planning figure for the
/// iCE40 UP5K / ECP5 targets, not a measured Fmax.
pub const ASSUMED_CORE_CLOCK_HZ: f64 = 50e6;

fn usage(m: impl Into<String>) -> CliError {
    CliError::Usage(m.into())
}

/// The host settings of `args`, or a usage error.
pub fn host_config(args: &SimSnn) -> Result<HostConfig, CliError> {
    host_settings(HostConfig {
        clock_ratio: args.clock_ratio,
        phase: args.phase,
        max_req_delay: args.req_delay,
        backpressure: args.backpressure,
        seed: args.seed,
    })
}

/// `host` if its clock ratio, phase and back-pressure are in range, else a
/// usage error naming the option.
pub fn host_settings(host: HostConfig) -> Result<HostConfig, CliError> {
    if !(MIN_CLOCK_RATIO..=MAX_CLOCK_RATIO).contains(&host.clock_ratio) {
        return Err(usage(format!(
            "--clock-ratio: expected a value from {MIN_CLOCK_RATIO} to {MAX_CLOCK_RATIO}, found {}",
            host.clock_ratio
        )));
    }
    if !(0.0..1.0).contains(&host.phase) {
        return Err(usage(format!(
            "--phase: expected a fraction in [0, 1), found {}",
            host.phase
        )));
    }
    if !(0.0..1.0).contains(&host.backpressure) {
        return Err(usage(format!(
            "--backpressure: expected a probability in [0, 1), found {}",
            host.backpressure
        )));
    }
    Ok(host)
}

pub fn run(args: SimSnn) -> Result<(), CliError> {
    let host = host_config(&args)?;
    let net = Network::load(&args.net)?;
    check_supported(&net).map_err(|e| usage(format!("{}: {e}", args.net.display())))?;

    let vcd_partial = args.vcd.as_ref().map(|p| partial_path(p));
    let writer = match &vcd_partial {
        Some(tmp) => Some(BufWriter::new(
            File::create(tmp).map_err(|e| CliError::Write(tmp.clone(), e))?,
        )),
        None => None,
    };
    let engine = choose_engine_traced(args.engine, args.vcd.is_some())?;
    let started = Instant::now();
    let result = match writer {
        Some(w) => sim::snn::run(&net, host, Some(w)),
        None => sim::snn::run_on(engine, &net, host),
    };
    let wall = started.elapsed().as_secs_f64();
    let hw = match result {
        Ok(hw) => hw,
        Err(e) => {
            if let Some(tmp) = &vcd_partial {
                let _ = std::fs::remove_file(tmp);
            }
            return Err(match e {
                HwError::Unsupported(m) | HwError::BadHostConfig(m) => usage(m),
                HwError::Stopped { step } => write_interrupted(
                    &args.out,
                    (u64::from(step), u64::from(net.params.steps), "steps"),
                    &["spikes.csv", "state.csv"],
                )?,
                HwError::Timeout { .. } => CliError::Check(format!("RTL simulation: {e}")),
                HwError::Engine(e) => CliError::Tool(e.to_string()),
            });
        }
    };

    let mut report = SnnReport::new(&net, host, &hw, wall);
    report.engine = engine.name().to_string();
    let mut files = Outputs::new(&args.out);
    files.stage("spikes.csv", events_csv(&hw.run.spikes));
    files.stage("state.csv", state_csv(&hw));
    let json = serde_json::to_string_pretty(&report).expect("report serializes");
    files.stage("report.json", json + "\n");
    let committed = files.commit();
    if let (Some(tmp), Some(path)) = (&vcd_partial, &args.vcd) {
        if committed.is_ok() {
            std::fs::rename(tmp, path).map_err(|e| CliError::Write(path.clone(), e))?;
        } else {
            let _ = std::fs::remove_file(tmp);
        }
    }
    committed?;
    println!(
        "spikescan sim snn ({} engine): {} inputs → {} neurons, {} steps: {} spikes, {} core cycles \
         ({:.2} SOP/cycle accumulating, {:.0} steps/s at {} MHz); wrote {}",
        report.engine,
        net.n_in,
        net.n,
        net.params.steps,
        hw.run.spikes.len(),
        hw.core_cycles,
        report.sop_per_accumulate_cycle,
        report.steps_per_s,
        ASSUMED_CORE_CLOCK_HZ / 1e6,
        args.out.display()
    );
    Ok(())
}

fn partial_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map_or("waveform.vcd".into(), |n| n.to_string_lossy().to_string());
    path.with_file_name(format!(".{name}.partial"))
}

/// `state.csv`: one row per neuron, columns u and v (integer LSBs).
fn state_csv(hw: &HwRun) -> String {
    let s = &hw.run.final_state;
    let m = Matrix::from_fn(s.len(), 2, |j, k| {
        f64::from(if k == 0 { s[j].u } else { s[j].v })
    });
    format!(
        "# final neuron state: u,v (24-bit LSBs), one row per neuron\n{}",
        matrix_csv(&m, NumberStyle::Integer)
    )
}

/// `report.json`.
#[derive(Debug, Serialize)]
pub struct SnnReport {
    pub n_in: usize,
    pub n: usize,
    /// Neurons in hardware (n padded to a multiple of 32).
    pub n_hw: usize,
    pub steps: u32,
    pub input_events: usize,
    pub recurrent: bool,
    pub clock_ratio: f64,
    pub phase: f64,
    pub req_delay: u32,
    pub backpressure: f64,
    pub seed: u64,
    pub spikes: usize,
    pub counters: CoreCounters,
    /// Core cycles of the run (configuration and read-back excluded).
    pub core_cycles: u64,
    pub host_cycles: u64,
    pub config_cycles: u64,
    /// SOPs per cycle spent fetching events and streaming rows.
    pub sop_per_accumulate_cycle: f64,
    /// SOPs per busy cycle (accumulate + update + drain).
    pub sop_per_busy_cycle: f64,
    pub mean_busy_cycles_per_step: f64,
    pub assumed_core_clock_hz: f64,
    /// Steps per second at that clock, handshakes with the host included.
    pub steps_per_s: f64,
    /// Steps per second at that clock if the host were infinitely fast.
    pub steps_per_s_core_bound: f64,
    /// Simulator speed: core cycles per wall-clock second.
    pub simulated_cycles_per_s: f64,
    pub per_step: Vec<StepRecord>,
    /// The simulation engine (`rust` or `verilator`).
    pub engine: String,
    /// Always true here: an interrupted run writes a report marked incomplete.
    pub complete: bool,
}

impl SnnReport {
    pub fn new(net: &Network, host: HostConfig, hw: &HwRun, wall_s: f64) -> Self {
        let c = &hw.counters;
        let ratio = |a: u64, b: u64| if b == 0 { 0.0 } else { a as f64 / b as f64 };
        let steps = f64::from(net.params.steps);
        SnnReport {
            n_in: net.n_in,
            n: net.n,
            n_hw: hw.n_hw,
            steps: net.params.steps,
            input_events: net.input.len(),
            recurrent: net.recurrent.is_some(),
            clock_ratio: host.clock_ratio,
            phase: host.phase,
            req_delay: host.max_req_delay,
            backpressure: host.backpressure,
            seed: host.seed,
            spikes: hw.run.spikes.len(),
            counters: *c,
            core_cycles: hw.core_cycles,
            host_cycles: hw.host_cycles,
            config_cycles: hw.config_cycles,
            sop_per_accumulate_cycle: ratio(c.sops, c.accumulate_cycles),
            sop_per_busy_cycle: ratio(c.sops, c.busy_cycles),
            mean_busy_cycles_per_step: c.busy_cycles as f64 / steps,
            assumed_core_clock_hz: ASSUMED_CORE_CLOCK_HZ,
            steps_per_s: steps * ASSUMED_CORE_CLOCK_HZ / hw.core_cycles.max(1) as f64,
            steps_per_s_core_bound: steps * ASSUMED_CORE_CLOCK_HZ / c.busy_cycles.max(1) as f64,
            simulated_cycles_per_s: hw.core_cycles as f64 / wall_s.max(1e-9),
            per_step: hw.steps.clone(),
            engine: "rust".into(),
            complete: true,
        }
    }
}
