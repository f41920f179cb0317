//! `make bench-snn`: performance figures of the neuromorphic core, measured
//! by cycle-accurate simulation (every run is also checked bit-exact against
//! `golden::snn::fixed`; a mismatch aborts the benchmark).
//!
//! - SOP/cycle in the accumulate phase (`sops / accumulate_cycles`);
//! - busy cycles per step fitted as `a·events + b·active + c` (least
//!   squares, R²) per layer size, over input activity 0…20 % with input only
//!   in the first 60 % of the steps (so the number of active neurons varies
//!   as activity decays away);
//! - idle-step cost (no input, no bias, every neuron at zero);
//! - simulator speed (core cycles per wall-clock second).
//!
//! Usage: `cargo run --release -p sim --example bench_snn [--quick]`.

// The 3 × 3 normal equations read best as index arithmetic.
#![allow(clippy::needless_range_loop)]

use golden::snn::{first_mismatch, fixed, workload, Network};
use sim::snn::{run, HostConfig, HwRun, StepRecord};
use std::time::Instant;

const STEPS: u32 = 30;
const ACTIVITIES: [f64; 5] = [0.0, 0.02, 0.05, 0.1, 0.2];

fn exact_run(net: &Network) -> (HwRun, f64) {
    let started = Instant::now();
    let hw = run(net, HostConfig::default(), None::<std::io::Sink>).expect("core runs the layer");
    let wall = started.elapsed().as_secs_f64();
    let reference = fixed::run(net, false);
    if let Some(m) = first_mismatch(&reference, &hw.run) {
        panic!("RTL differs from the fixed reference: {m}");
    }
    (hw, wall)
}

/// Least squares of y on (x1, x2, 1): returns (a, b, c, R²).
fn fit(rows: &[StepRecord]) -> (f64, f64, f64, f64) {
    let mut m = [[0.0f64; 4]; 3];
    for r in rows {
        let x = [r.events as f64, r.updates as f64, 1.0];
        let y = r.busy_cycles as f64;
        for i in 0..3 {
            for j in 0..3 {
                m[i][j] += x[i] * x[j];
            }
            m[i][3] += x[i] * y;
        }
    }
    // Gauss-Jordan with partial pivoting; a singular column (e.g. no
    // variation) gets coefficient 0.
    let mut used = [false; 3];
    for col in 0..3 {
        let pivot = (0..3)
            .filter(|&r| !used[r])
            .max_by(|&a, &b| m[a][col].abs().total_cmp(&m[b][col].abs()))
            .unwrap();
        if m[pivot][col].abs() < 1e-9 {
            continue;
        }
        used[pivot] = true;
        let p = m[pivot];
        for r in 0..3 {
            if r != pivot {
                let f = m[r][col] / p[col];
                for k in 0..4 {
                    m[r][k] -= f * p[k];
                }
            }
        }
    }
    let mut coef = [0.0; 3];
    for r in 0..3 {
        if let Some(col) = (0..3).find(|&c| m[r][c].abs() > 1e-9) {
            coef[col] = m[r][3] / m[r][col];
        }
    }
    let mean = rows.iter().map(|r| r.busy_cycles as f64).sum::<f64>() / rows.len() as f64;
    let (mut ss_res, mut ss_tot) = (0.0, 0.0);
    for r in rows {
        let y = r.busy_cycles as f64;
        let p = coef[0] * r.events as f64 + coef[1] * r.updates as f64 + coef[2];
        ss_res += (y - p).powi(2);
        ss_tot += (y - mean).powi(2);
    }
    (coef[0], coef[1], coef[2], 1.0 - ss_res / ss_tot.max(1e-12))
}

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let sizes: &[(usize, usize)] = if quick {
        &[(64, 64), (256, 256)]
    } else {
        &[(64, 64), (128, 128), (256, 256), (512, 512), (256, 1024)]
    };
    println!("spikescan neuromorphic core: cycle-accurate figures (rust-hdl simulation, bit-exact with golden fixed)");
    println!();
    println!("cycles per step = a·events + b·active + c   (events = rows streamed, active = neurons updated)");
    println!(
        "{:>6} {:>6} | {:>8} {:>8} {:>8} {:>7} | {:>10} {:>9} | {:>12}",
        "inputs", "neurons", "a", "b", "c", "R²", "SOP/cycle", "idle step", "sim cycles/s"
    );
    for &(n_in, n) in sizes {
        let (mut total_cycles, mut total_wall) = (0u64, 0f64);
        let mut rows = Vec::new();
        let (mut sops, mut acc_cycles) = (0u64, 0u64);
        for (k, &activity) in ACTIVITIES.iter().enumerate() {
            let mut net = workload::generate(100 + k as u64, n_in, n, STEPS, activity, false);
            net.input.retain(|e| e.t < STEPS * 3 / 5);
            let (hw, wall) = exact_run(&net);
            rows.extend(hw.steps.iter().copied());
            sops += hw.counters.sops;
            acc_cycles += hw.counters.accumulate_cycles;
            total_cycles += hw.core_cycles;
            total_wall += wall;
        }
        let silent = {
            let mut net = workload::generate(7, n_in, n, 10, 0.0, false);
            net.input.clear();
            exact_run(&net).0
        };
        let idle = silent.counters.busy_cycles as f64 / 10.0;
        let (a, b, c, r2) = fit(&rows);
        println!(
            "{:>6} {:>6} | {:>8.3} {:>8.3} {:>8.2} {:>7.4} | {:>10.3} {:>9.1} | {:>12.0}",
            n_in,
            n,
            a,
            b,
            c,
            r2,
            sops as f64 / acc_cycles.max(1) as f64,
            idle,
            total_cycles as f64 / total_wall
        );
    }
    println!();
    println!("a ≈ neurons/4 (one 4-synapse word per cycle; the next event is fetched while a row streams),");
    println!("b ≈ 1 (one neuron per cycle), c ≈ neurons/32 group scans + barrier overhead");
    println!(
        "(an idle step costs neurons/32 + 5; a step with events adds the pipeline fill and drain)."
    );
    println!("SOP/cycle counts the accumulate phase only (sops / accumulate_cycles, 4 lanes).");
    println!(
        "sim cycles/s: core cycles simulated per wall-clock second (release build, this machine)."
    );
}
