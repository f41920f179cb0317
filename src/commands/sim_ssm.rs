//! `spikescan sim ssm`: the selective scan on the scan-mode RTL,
//! cycle-accurately simulated. Writes y.csv (real values from the Q16.16
//! words, as `golden ssm --engine fixed` writes them) and report.json (the
//! hardware counters and the throughput at [`super::REPORT_CLOCK_MHZ`]).

use super::{choose_engine_traced, parse_array, REPORT_CLOCK_MHZ};
use crate::cli::SimSsm;
use crate::error::CliError;
use crate::output::{write_interrupted, Outputs};
use golden::formats::{matrix_csv, NumberStyle};
use golden::ssm::fixed::{self, scan::OUT_FRAC, FixedScanInputs};
use golden::ssm::ScanInputs;
use golden::Matrix;
use serde::Serialize;
use sim::scan::{run_scan_with, ScanOptions, ScanRun, SUPPORTED_SCAN_ARRAYS};
use sim::RunError;
use std::fs::File;
use std::io::{BufWriter, Write};

/// report.json of a scan run.
#[derive(Debug, Serialize)]
pub struct ScanReport {
    pub l: usize,
    pub d: usize,
    pub n: usize,
    /// "RxC".
    pub array: String,
    /// Time steps per core job (L when not chunked).
    pub chunk: usize,
    /// Hardware counters, summed over the jobs.
    pub cycles: u64,
    pub busy_pe_cycles: u64,
    pub stall_cycles: u64,
    pub bubble_cycles: u64,
    /// busy PE-cycles / (R·C·cycles).
    pub pe_utilization: f64,
    /// The closed form of the schedule (equals `cycles` without stalls).
    pub expected_cycles: u64,
    pub clock_mhz: f64,
    /// Time steps (each all D channels) per second at `clock_mhz`.
    pub tokens_per_s: f64,
    /// Simulated cycles per wall-clock second of this run.
    pub sim_cycles_per_s: f64,
    /// The simulation engine (`rust` or `verilator`).
    pub engine: String,
    /// Always true here: an interrupted run writes a report marked incomplete.
    pub complete: bool,
}

impl ScanReport {
    pub fn new(run: &ScanRun) -> Self {
        let seconds = run.cycles as f64 / (REPORT_CLOCK_MHZ * 1e6);
        ScanReport {
            l: run.l,
            d: run.d,
            n: run.n,
            array: format!("{}x{}", run.array.rows, run.array.cols),
            chunk: run.chunk,
            cycles: run.cycles,
            busy_pe_cycles: run.busy_pe_cycles,
            stall_cycles: run.stall_cycles,
            bubble_cycles: run.bubble_cycles,
            pe_utilization: run.utilization,
            expected_cycles: run.expected_cycles,
            clock_mhz: REPORT_CLOCK_MHZ,
            tokens_per_s: run.l as f64 / seconds,
            sim_cycles_per_s: run.sim_speed(),
            engine: run.engine.to_string(),
            complete: true,
        }
    }
}

/// y in real units (L×D) from the run's Q16.16 words.
pub fn y_real(run: &ScanRun) -> Matrix {
    Matrix::from_vec(
        run.l,
        run.d,
        run.y
            .iter()
            .map(|&v| fixed::qformat::to_real(v, OUT_FRAC))
            .collect(),
    )
}

pub fn run(cmd: SimSsm) -> Result<(), CliError> {
    let array = parse_array(&cmd.array, SUPPORTED_SCAN_ARRAYS)?;
    let x = ScanInputs::load(&cmd.inputs)?;
    for (file, count) in fixed::saturated_inputs(&x) {
        eprintln!(
            "note: {count} value(s) of {file} lie outside the fixed-point input range and \
             saturate (see golden/src/ssm/fixed/scan.rs)"
        );
    }
    let fx = FixedScanInputs::quantize(&x);
    let chunk = cmd.chunk.map(|c| c as usize);
    let engine = choose_engine_traced(cmd.engine, cmd.vcd.is_some())?;
    let run = match &cmd.vcd {
        Some(path) => {
            let file = File::create(path).map_err(|e| CliError::Write(path.clone(), e))?;
            let mut writer = BufWriter::new(file);
            let opts = ScanOptions {
                vcd: Some(&mut writer),
                chunk,
                ..Default::default()
            };
            let run = run_scan_with(&fx, array, opts);
            writer
                .flush()
                .map_err(|e| CliError::Write(path.clone(), e))?;
            run
        }
        None => run_scan_with(
            &fx,
            array,
            ScanOptions {
                chunk,
                engine,
                ..Default::default()
            },
        ),
    };
    let run = match run {
        Ok(run) => run,
        Err(RunError::Stopped { cycles }) => {
            let total = sim::ScanArray::new(array.0, array.1).chunked_cycles(
                fx.l,
                fx.d,
                fx.n,
                chunk.unwrap_or(fx.l).min(fx.l),
            );
            return Err(write_interrupted(
                &cmd.out,
                (cycles, total, "cycles"),
                &["y.csv"],
            )?);
        }
        Err(e) => return Err(CliError::Check(e.to_string())),
    };
    let report = ScanReport::new(&run);
    let mut files = Outputs::new(&cmd.out);
    files.stage("y.csv", matrix_csv(&y_real(&run), NumberStyle::Float));
    let json = serde_json::to_string_pretty(&report).expect("report serializes");
    files.stage("report.json", json + "\n");
    files.commit()?;
    println!(
        "sim ssm ({} engine): L={} D={} N={} on {}: {} cycles, PE utilization {:.2}%, {:.0} tokens/s at a {} MHz target clock (not a measured Fmax)",
        report.engine,
        run.l,
        run.d,
        run.n,
        report.array,
        run.cycles,
        run.utilization * 100.0,
        report.tokens_per_s,
        REPORT_CLOCK_MHZ
    );
    println!("wrote {} and report.json", cmd.out.join("y.csv").display());
    Ok(())
}
