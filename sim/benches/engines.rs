//! Simulation engines on the same design and the same stimulus (`make bench`):
//! the GEMM testbench on the default 8×8 array, run through the rust engine
//! and the Verilator engine, then its recorded stimulus replayed on rust-hdl's
//! threaded `Simulation` (the baseline), on the rust engine without the
//! testbench, and on a bare Verilator C++ loop. Speeds are simulated clock
//! cycles per wall-clock second; ratios are taken within this one run.
//! Prints; asserts only bit-exactness.

use golden::ssm::block::gemm_i8;
use rand::Rng;
use rtl::ssm::{GemmCore, DEFAULT_ARRAY};
use sim::engine::replay::{self, Recorder};
use sim::engine::rust::{HasPorts, RustEngine};
use sim::engine::verilator::{self, VerilatorEngine};
use sim::engine::Engine;
use sim::gemm::{run_gemm_on, GemmOptions, GemmRun};
use std::time::Instant;

type Design = GemmCore<{ DEFAULT_ARRAY.rows }, { DEFAULT_ARRAY.cols }>;

/// Cycles of the `Simulation` baseline (it runs ~10^3 cycles/s).
const SIMULATION_CYCLES: u64 = 3_000;

/// Alternating measurement rounds; each engine keeps its best.
const ROUNDS: usize = 3;

fn main() {
    let cfg = DEFAULT_ARRAY;
    let (m, k, n) = (128, 256, 128);
    let mut rng = golden::rng::seeded(5);
    let a: Vec<i8> = (0..m * k).map(|_| rng.gen()).collect();
    let b: Vec<i8> = (0..k * n).map(|_| rng.gen()).collect();
    let want = gemm_i8(&a, &b, m, k, n);
    let opts = GemmOptions::default();
    let run = |e: &mut dyn Engine| -> GemmRun {
        let r = run_gemm_on(e, (&a, &b), (m, k, n), cfg, &opts).expect("gemm runs");
        assert_eq!(r.c, want, "bit-exact on {}", e.kind());
        r
    };
    println!(
        "simulation engines: GEMM {m}x{k}x{n} on GemmCore<{}, {}> ({})",
        cfg.rows,
        cfg.cols,
        verilator::version().unwrap_or_else(|e| e)
    );

    let t = Instant::now();
    VerilatorEngine::of::<Design>().expect("verilator engine");
    println!(
        "  verilator model ready in {:.1} s (built or taken from {})",
        t.elapsed().as_secs_f64(),
        verilator::cache_root().display()
    );
    // The stimulus, recorded once, replayed without the testbench.
    let mut rec_engine = VerilatorEngine::of::<Design>().expect("verilator engine");
    let mut recorder = Recorder::new(&mut rec_engine);
    let cycles = run(&mut recorder).sim_edges;
    let rec = recorder.recording;
    assert_eq!(rec.cycles(), cycles, "the recording has every cycle");
    let evals_per_cycle = rec.evals.len() as f64 / cycles as f64;
    let lib = verilator::library_for(
        &verilator::emitted_verilog::<Design>(),
        &Design::design_name(),
    )
    .expect("model library");
    let model_dir = lib.parent().expect("model dir");

    // The machine is shared and noisy: the testbench and the bare loop take
    // turns, ROUNDS times, and each keeps its best.
    let (mut v_speed, mut bare_speed) = (0f64, 0f64);
    for _ in 0..ROUNDS {
        let mut fast = VerilatorEngine::of::<Design>().expect("verilator engine");
        let v = run(&mut fast);
        assert_eq!(v.sim_edges, cycles);
        v_speed = v_speed.max(v.sim_speed());
        let (bare_evals, bare_s) = replay::on_bare_verilator(&rec, model_dir).expect("bare loop");
        bare_speed = bare_speed.max(bare_evals as f64 / evals_per_cycle / bare_s);
    }
    let (mut r_speed, mut sim_speed, mut rust_replay_speed) = (0f64, 0f64, 0f64);
    let mut sim_cycles = 0;
    for _ in 0..ROUNDS {
        let mut rust = RustEngine::<Design>::new().expect("rust engine");
        r_speed = r_speed.max(run(&mut rust).sim_speed());
        let s = replay::on_rust::<Design>(&rec).expect("rust replay");
        rust_replay_speed = rust_replay_speed.max(cycles as f64 / s);
        let (c, s) =
            replay::on_simulation::<Design>(&rec, SIMULATION_CYCLES).expect("Simulation replay");
        sim_cycles = c;
        sim_speed = sim_speed.max(c as f64 / s);
    }

    println!(
        "  {cycles} cycles ({:.2} evaluations per cycle)",
        evals_per_cycle
    );
    println!("  cycles/s:");
    println!("    rust-hdl Simulation, add_clock testbench (replay, {sim_cycles} cycles) {sim_speed:12.0}");
    println!("    rust engine, replay without testbench        {rust_replay_speed:12.0}");
    println!("    rust engine, GEMM testbench                  {r_speed:12.0}");
    println!("    bare Verilator C++ loop (replay)              {bare_speed:12.0}");
    println!("    verilator engine, GEMM testbench             {v_speed:12.0}");
    println!("  ratios (targets from issue 7):");
    println!(
        "    verilator engine / bare Verilator loop  {:8.3}  (target >= 0.75)",
        v_speed / bare_speed
    );
    println!(
        "    verilator engine / rust-hdl Simulation  {:8.0}  (target >= 1000)",
        v_speed / sim_speed
    );
    println!(
        "    rust engine / rust-hdl Simulation       {:8.2}  (target >= 3)",
        r_speed / sim_speed
    );
}
