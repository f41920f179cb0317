//! `spikescan sim gemm`: C = A·B of int8 matrices of any shape on the
//! GEMM-mode RTL, cycle-accurately simulated. Writes c.csv (int32) and
//! report.json.

use super::{choose_engine, parse_array, REPORT_CLOCK_MHZ};
use crate::cli::SimGemm;
use crate::error::CliError;
use crate::output::{write_interrupted, Outputs};
use golden::formats::{matrix_csv, read_matrix_lines, InputError, NumberStyle};
use golden::Matrix;
use serde::Serialize;
use sim::gemm::{run_gemm_with, GemmOptions, GemmRun, SUPPORTED_ARRAYS};
use sim::RunError;
use sim::MAX_DIM;
use std::path::Path;

/// report.json of a GEMM run.
#[derive(Debug, Serialize)]
pub struct GemmReport {
    pub m: usize,
    pub k: usize,
    pub n: usize,
    /// "RxC".
    pub array: String,
    pub cycles: u64,
    pub busy_pe_cycles: u64,
    pub stall_cycles: u64,
    pub bubble_cycles: u64,
    /// Useful MACs / (R·C·cycles).
    pub pe_utilization: f64,
    /// The closed form of the schedule (equals `cycles` without stalls).
    pub expected_cycles: u64,
    pub clock_mhz: f64,
    /// Useful int8 MACs per second at `clock_mhz`.
    pub macs_per_s: f64,
    pub sim_cycles_per_s: f64,
    /// The simulation engine (`rust` or `verilator`).
    pub engine: String,
    /// Always true here: an interrupted run writes a report marked incomplete.
    pub complete: bool,
}

impl GemmReport {
    fn new(run: &GemmRun) -> Self {
        let seconds = run.cycles as f64 / (REPORT_CLOCK_MHZ * 1e6);
        GemmReport {
            m: run.m,
            k: run.k,
            n: run.n,
            array: format!("{}x{}", run.array.rows, run.array.cols),
            cycles: run.cycles,
            busy_pe_cycles: run.busy_pe_cycles,
            stall_cycles: run.stall_cycles,
            bubble_cycles: run.bubble_cycles,
            pe_utilization: run.utilization,
            expected_cycles: run.expected_cycles,
            clock_mhz: REPORT_CLOCK_MHZ,
            macs_per_s: run.busy_pe_cycles as f64 / seconds,
            sim_cycles_per_s: run.sim_speed(),
            engine: run.engine.to_string(),
            complete: true,
        }
    }
}

/// Reads an int8 matrix: every value an integer in −128…127, named by file,
/// line and column otherwise.
fn read_int8(path: &Path) -> Result<(usize, usize, Vec<i8>), InputError> {
    let (m, lines) = read_matrix_lines(path)?;
    let mut out = Vec::with_capacity(m.rows() * m.cols());
    for (r, &line) in lines.iter().enumerate().take(m.rows()) {
        for (c, &v) in m.row(r).iter().enumerate() {
            if v.fract() != 0.0 || !(-128.0..=127.0).contains(&v) {
                return Err(InputError::at(
                    path,
                    line,
                    format!(
                        "column {}: expected an int8 integer (−128…127), found {v}",
                        c + 1
                    ),
                ));
            }
            out.push(v as i8);
        }
    }
    for (what, v) in [("rows", m.rows()), ("columns", m.cols())] {
        if v > MAX_DIM {
            return Err(InputError::file(
                path,
                format!("{v} {what}: at most {MAX_DIM} supported"),
            ));
        }
    }
    Ok((m.rows(), m.cols(), out))
}

pub fn run(cmd: SimGemm) -> Result<(), CliError> {
    let array = parse_array(&cmd.array, SUPPORTED_ARRAYS)?;
    let (m, k, a) = read_int8(&cmd.a)?;
    let (kb, n, b) = read_int8(&cmd.b)?;
    if kb != k {
        return Err(InputError::file(
            &cmd.b,
            format!(
                "expected K = {k} rows to match A = {} (M×K = {m}×{k}), found {kb}×{n}",
                cmd.a.display()
            ),
        )
        .into());
    }
    let opts = GemmOptions {
        engine: choose_engine(cmd.engine)?,
        ..GemmOptions::default()
    };
    let run = match run_gemm_with(&a, &b, m, k, n, array, &opts) {
        Ok(run) => run,
        Err(RunError::Stopped { cycles }) => {
            let total = sim::GemmConfig::new(array.0, array.1).cycles(m, k, n);
            return Err(write_interrupted(
                &cmd.out,
                (cycles, total, "cycles"),
                &["c.csv"],
            )?);
        }
        Err(e) => return Err(CliError::Check(e.to_string())),
    };
    let c = Matrix::from_vec(m, n, run.c.iter().map(|&v| f64::from(v)).collect());
    let report = GemmReport::new(&run);
    let mut files = Outputs::new(&cmd.out);
    files.stage("c.csv", matrix_csv(&c, NumberStyle::Integer));
    let json = serde_json::to_string_pretty(&report).expect("report serializes");
    files.stage("report.json", json + "\n");
    files.commit()?;
    println!(
        "sim gemm ({} engine): {m}×{k} · {k}×{n} on {}: {} cycles (closed form {}), PE utilization {:.2}%",
        report.engine,
        report.array,
        run.cycles,
        run.expected_cycles,
        run.utilization * 100.0
    );
    println!("wrote {} and report.json", cmd.out.join("c.csv").display());
    Ok(())
}
