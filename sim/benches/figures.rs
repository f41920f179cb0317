//! Performance figures of the simulated SSM accelerator (`make bench`).
//! Every figure is measured on the cycle-accurate RTL (hardware counters),
//! with the closed form printed beside it; each scan run is also checked
//! bit for bit against `selective_scan_fixed`. Prints, asserts nothing about
//! speed.

use golden::ssm::block::gemm_i8;
use golden::ssm::fixed::{selective_scan_fixed_resume, FixedScanInputs, ScanUnits};
use golden::ssm::workload::{scan_workload, DEFAULT_D, DEFAULT_L, DEFAULT_N};
use rand::Rng;
use rtl::ssm::{GemmConfig, ScanArray, DEFAULT_ARRAY, DEFAULT_SCAN_ARRAY};
use sim::gemm::{run_gemm, GemmRun};
use sim::scan::{compare_scan, compare_state, run_scan_with, ScanOptions, ScanRun};
use sim::scan_host::HOST_CHUNK;

const SCAN: (usize, usize) = (DEFAULT_SCAN_ARRAY.rows, DEFAULT_SCAN_ARRAY.cols);
const GEMM: (usize, usize) = (DEFAULT_ARRAY.rows, DEFAULT_ARRAY.cols);

/// The scan on the default array, in chunks of `chunk` steps (None: one
/// job), checked bit for bit (y and final state) and against the closed form.
fn scan(l: usize, d: usize, n: usize, chunk: Option<usize>) -> ScanRun {
    let x = FixedScanInputs::quantize(&scan_workload(1, l, d, n));
    let opts = ScanOptions {
        chunk,
        ..Default::default()
    };
    let run = run_scan_with(&x, SCAN, opts).expect("scan runs");
    let mut h = vec![0; d * n];
    let want = selective_scan_fixed_resume(&x, &ScanUnits::default(), &mut h);
    compare_scan(&run.y, &want, d).expect("RTL equals the fixed reference");
    compare_state(&run.state, &h, n).expect("final state equals the fixed reference");
    assert_eq!(run.cycles, run.expected_cycles, "closed form");
    run
}

fn gemm(m: usize, k: usize, n: usize) -> GemmRun {
    let mut rng = golden::rng::seeded(3);
    let a: Vec<i8> = (0..m * k).map(|_| rng.gen()).collect();
    let b: Vec<i8> = (0..k * n).map(|_| rng.gen()).collect();
    let run = run_gemm(&a, &b, m, k, n, GEMM).expect("gemm runs");
    assert_eq!(run.c, gemm_i8(&a, &b, m, k, n), "bit-exact");
    run
}

/// Least-squares line y = a + b·x and its R².
fn fit(points: &[(f64, f64)]) -> (f64, f64, f64) {
    let n = points.len() as f64;
    let (sx, sy) = points
        .iter()
        .fold((0.0, 0.0), |(a, b), &(x, y)| (a + x, b + y));
    let (mx, my) = (sx / n, sy / n);
    let sxx: f64 = points.iter().map(|&(x, _)| (x - mx).powi(2)).sum();
    let sxy: f64 = points.iter().map(|&(x, y)| (x - mx) * (y - my)).sum();
    let slope = sxy / sxx;
    let intercept = my - slope * mx;
    let ss_res: f64 = points
        .iter()
        .map(|&(x, y)| (y - intercept - slope * x).powi(2))
        .sum();
    let ss_tot: f64 = points.iter().map(|&(_, y)| (y - my).powi(2)).sum();
    (intercept, slope, 1.0 - ss_res / ss_tot)
}

fn main() {
    println!("spikescan figures (cycle-accurate RTL; hardware counters)");
    println!(
        "scan array {}x{}, GEMM array {}x{}",
        SCAN.0, SCAN.1, GEMM.0, GEMM.1
    );

    println!("\n1. Scan-mode PE utilization, L >= 256, D a multiple of R (target >= 90 %):");
    let arr = ScanArray::new(SCAN.0, SCAN.1);
    for (l, d, n, chunk) in [
        (256, 16, 16, None),
        (512, 8, 16, None),
        (DEFAULT_L, DEFAULT_D, DEFAULT_N, None),
        (DEFAULT_L, DEFAULT_D, DEFAULT_N, Some(HOST_CHUNK)),
    ] {
        let run = scan(l, d, n, chunk);
        let predicted = arr.utilization(
            ScanArray::useful_steps(l, d, n),
            arr.chunked_cycles(l, d, n, run.chunk),
        );
        println!(
            "   L={l:5} D={d:4} N={n:3} in chunks of {:4}: {:6} cycles, utilization {:.2} % \
             (closed form {:.2} %), {:.0} simulated cycles/s",
            run.chunk,
            run.cycles,
            run.utilization * 100.0,
            predicted * 100.0,
            run.sim_speed()
        );
    }

    println!("\n2. GEMM-mode PE utilization, M >= 4R (target >= 85 %):");
    for (m, k, n) in [(32, 64, 64), (64, 64, 64), (128, 128, 32)] {
        let run = gemm(m, k, n);
        println!(
            "   M={m:4} K={k:4} N={n:4}: {:6} cycles (closed form {}), utilization {:.2} % \
             (closed form {:.2} %), {:.0} simulated cycles/s",
            run.cycles,
            run.expected_cycles,
            run.utilization * 100.0,
            GemmConfig::new(GEMM.0, GEMM.1).predicted_utilization(m, k, n) * 100.0,
            run.sim_speed()
        );
    }

    println!("\n3. Cycles vs L, scan D=8 N=8 on the default array, every L simulated:");
    let mut points = Vec::new();
    let mut speed = (0u64, 0.0f64);
    for l in [64, 128, 256, 512, 1024, 2048, 4096] {
        let run = scan(l, 8, 8, None);
        println!("   L={l:5}: {:6} cycles", run.cycles);
        points.push((l as f64, run.cycles as f64));
        speed = (speed.0 + run.sim_edges, speed.1 + run.sim_seconds);
    }
    let (a, b, r2) = fit(&points);
    println!("   fit: cycles = {a:.2} + {b:.4}·L, R² = {r2:.8}");
    println!(
        "   closed form: slope F = ⌈D/R⌉·⌈N/C⌉ = {} for L ≥ 2R − 1; default workload \
         (D={DEFAULT_D}, N={DEFAULT_N}): slope {}",
        arr.folds(8, 8),
        arr.folds(DEFAULT_D, DEFAULT_N)
    );

    println!(
        "\n4. Simulation speed of the default scan array ({}x{}):",
        SCAN.0, SCAN.1
    );
    println!(
        "   {:.0} simulated cycles/s over the cycles-vs-L sweep ({} cycles in {:.1} s)",
        speed.0 as f64 / speed.1,
        speed.0,
        speed.1
    );
}
