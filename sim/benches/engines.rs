//! Simulation engines on the same design and the same stimulus (`make bench`).
//! For each default SSM design, its testbench runs through the rust engine
//! and the Verilator engine; its recorded stimulus is then replayed on
//! rust-hdl's threaded `Simulation` written as rust-hdl testbenches are
//! (`add_clock`, wait for clock edges; the baseline), on the rust engine
//! without the testbench, and on a bare Verilator C++ loop. Speeds are
//! simulated clock cycles per wall-clock second; ratios are taken within
//! this one run, each engine's best of alternating rounds (the machine is
//! shared). Prints; asserts only bit-exactness and equal cycle counts.

use golden::ssm::block::gemm_i8;
use golden::ssm::fixed::{selective_scan_fixed, FixedScanInputs, ScanUnits};
use golden::ssm::workload::scan_workload;
use rand::Rng;
use rtl::ssm::{GemmCore, ScanCore, DEFAULT_ARRAY, DEFAULT_SCAN_ARRAY};
use sim::engine::replay::{self, Recorder};
use sim::engine::rust::{HasPorts, RustEngine};
use sim::engine::verilator::{self, VerilatorEngine};
use sim::engine::Engine;
use sim::gemm::{run_gemm_on, GemmOptions};
use sim::scan::run_scan_on;
use std::time::Instant;

/// Alternating measurement rounds; each engine keeps its best.
const ROUNDS: usize = 3;

/// Runs a design's testbench on an engine; returns (cycles, wall seconds).
type Testbench<'a> = &'a dyn Fn(&mut dyn Engine) -> (u64, f64);

/// Cycles per second of each way of simulating design `B` on one stimulus.
fn measure<B: HasPorts + Send>(what: &str, testbench: Testbench) {
    println!("\n{what} ({})", B::design_name());
    let t = Instant::now();
    let lib = verilator::library_for(&verilator::emitted_verilog::<B>(), &B::design_name())
        .expect("Verilator model");
    println!(
        "  Verilator model ready in {:.1} s (built, or taken from the cache {})",
        t.elapsed().as_secs_f64(),
        verilator::cache_root().display()
    );
    let model_dir = lib.parent().expect("model directory");

    // The stimulus, recorded once.
    let mut rec_engine = VerilatorEngine::of::<B>().expect("verilator engine");
    let mut recorder = Recorder::new(&mut rec_engine);
    let (cycles, _) = testbench(&mut recorder);
    let rec = recorder.recording;
    assert_eq!(rec.cycles(), cycles, "the recording has every cycle");
    let evals_per_cycle = rec.evals.len() as f64 / cycles as f64;

    let best = |a: &mut f64, b: f64| *a = a.max(b);
    let (mut verilator_tb, mut bare) = (0f64, 0f64);
    for _ in 0..ROUNDS {
        let mut fast = VerilatorEngine::of::<B>().expect("verilator engine");
        let (c, s) = testbench(&mut fast);
        assert_eq!(c, cycles);
        best(&mut verilator_tb, c as f64 / s);
        let (evals, s) = replay::on_bare_verilator(&rec, model_dir).expect("bare loop");
        best(&mut bare, evals as f64 / evals_per_cycle / s);
    }
    let (mut rust_tb, mut rust_replay, mut simulation) = (0f64, 0f64, 0f64);
    for _ in 0..ROUNDS {
        let mut rust = RustEngine::<B>::new().expect("rust engine");
        let (c, s) = testbench(&mut rust);
        assert_eq!(c, cycles);
        best(&mut rust_tb, c as f64 / s);
        let s = replay::on_rust::<B>(&rec).expect("rust replay");
        best(&mut rust_replay, cycles as f64 / s);
        // The whole stimulus, so every engine simulates the same cycles.
        let (c, s) = replay::on_simulation::<B>(&rec).expect("Simulation replay");
        assert_eq!(c, cycles);
        best(&mut simulation, c as f64 / s);
    }
    println!("  {cycles} cycles, {evals_per_cycle:.2} evaluations per cycle; cycles/s:");
    for (name, speed) in [
        ("rust-hdl Simulation, add_clock testbench", simulation),
        ("rust engine, stimulus replay", rust_replay),
        ("rust engine, testbench", rust_tb),
        ("bare Verilator C++ loop, stimulus replay", bare),
        ("verilator engine, testbench", verilator_tb),
    ] {
        println!("    {name:<58} {speed:>12.0}");
    }
    println!("  ratios (issue 7 targets):");
    println!(
        "    verilator engine / bare Verilator loop  {:>9.3}  (>= 0.75)",
        verilator_tb / bare
    );
    println!(
        "    verilator engine / rust-hdl Simulation  {:>9.0}  (>= 1000)",
        verilator_tb / simulation
    );
    println!(
        "    rust engine / rust-hdl Simulation       {:>9.2}  (>= 3)",
        rust_tb / simulation
    );
    // What no testbench can beat: the bare Verilator loop bounds any driver of
    // this model, and the stimulus replayed straight into `update_all` (no
    // testbench at all) bounds any engine that settles the rust-hdl model.
    println!("  ceilings (the engine with zero testbench cost):");
    println!(
        "    bare Verilator loop / rust-hdl Simulation {:>7.0}",
        bare / simulation
    );
    println!(
        "    rust replay / rust-hdl Simulation       {:>9.2}",
        rust_replay / simulation
    );
    println!(
        "    Simulation's thread hand-offs: {:.0} us per cycle; update_all settling: {:.0} us per cycle",
        (1.0 / simulation - 1.0 / rust_replay) * 1e6,
        1e6 / rust_replay
    );
}

fn main() {
    println!(
        "simulation engines, same design and stimulus ({})",
        verilator::version().unwrap_or_else(|e| e)
    );

    let (m, k, n) = (128, 256, 128);
    let mut rng = golden::rng::seeded(5);
    let a: Vec<i8> = (0..m * k).map(|_| rng.gen()).collect();
    let b: Vec<i8> = (0..k * n).map(|_| rng.gen()).collect();
    let want = gemm_i8(&a, &b, m, k, n);
    let gemm = |e: &mut dyn Engine| {
        let r = run_gemm_on(
            e,
            (&a, &b),
            (m, k, n),
            DEFAULT_ARRAY,
            &GemmOptions::default(),
        )
        .expect("gemm runs");
        assert_eq!(r.c, want, "bit-exact on {}", e.kind());
        (r.sim_edges, r.sim_seconds)
    };
    measure::<GemmCore<{ DEFAULT_ARRAY.rows }, { DEFAULT_ARRAY.cols }>>(
        &format!("GEMM {m}x{k}x{n} on the default GEMM array"),
        &gemm,
    );

    let (l, d, n) = (256, 32, 16);
    let x = FixedScanInputs::quantize(&scan_workload(2, l, d, n));
    let want = selective_scan_fixed(&x, &ScanUnits::default());
    let scan = |e: &mut dyn Engine| {
        let r = run_scan_on(e, &x, DEFAULT_SCAN_ARRAY, None).expect("scan runs");
        assert_eq!(r.y, want, "bit-exact on {}", e.kind());
        (r.sim_edges, r.sim_seconds)
    };
    measure::<ScanCore<{ DEFAULT_SCAN_ARRAY.rows }, { DEFAULT_SCAN_ARRAY.cols }>>(
        &format!("selective scan L={l} D={d} N={n} on the default scan array"),
        &scan,
    );
}
