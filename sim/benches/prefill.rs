//! Prefill of one Mamba layer on the simulated accelerator (`make bench`):
//! d_model = 768, d_state = 16, expand = 2 (d_inner = 1536, dt_rank = 48),
//! L = 1024 tokens. The bit-accurate block reference
//! (`golden::ssm::block::FixedMambaBlock::trace`) supplies every GEMM
//! operand and the scan's inputs; each projection runs on the default GEMM
//! core and the selective scan on the default scan core (in chunks of 64
//! steps, the scan system's schedule), on the Verilator engine, each checked
//! bit for bit against the reference's intermediate.
//! Prints every stage's cycles (hardware counters) and wall time, and the
//! layer's total.

use golden::ssm::block::workload::block_workload;
use golden::ssm::block::{FixedMambaBlock, MambaBlockConfig};
use rtl::ssm::{DEFAULT_ARRAY, DEFAULT_SCAN_ARRAY};
use sim::engine::EngineKind;
use sim::gemm::{run_gemm_with, GemmOptions};
use sim::scan::{run_scan_with, ScanOptions};
use std::time::Instant;

const D_MODEL: usize = 768;
const EXPAND: usize = 2;
const D_STATE: usize = 16;
const L: usize = 1024;
/// Time steps per scan job: the scan system's chunk (its buffers hold 64).
const SCAN_CHUNK: usize = 64;

fn main() {
    let config = MambaBlockConfig::new(D_MODEL, EXPAND, D_STATE);
    println!(
        "prefill: Mamba layer d_model={D_MODEL} d_inner={} d_state={D_STATE} dt_rank={} L={L}",
        config.d_inner(),
        config.dt_rank
    );
    let t = Instant::now();
    let (weights, x) = block_workload(1, config, L);
    let block = FixedMambaBlock::new(&weights);
    let trace = block.trace(&FixedMambaBlock::quantize_input(&x));
    println!(
        "  bit-accurate reference (operands of every stage): {:.1} s",
        t.elapsed().as_secs_f64()
    );

    let engine = match EngineKind::auto() {
        (kind, None) => kind,
        (_, Some(note)) => {
            println!("  {note}: a layer prefill needs the Verilator engine; skipped");
            return;
        }
    };
    let array = (DEFAULT_ARRAY.rows, DEFAULT_ARRAY.cols);
    let opts = GemmOptions {
        engine,
        ..GemmOptions::default()
    };
    let gemms = [
        ("in_proj", &trace.norm, &block.in_proj, &trace.in_proj_acc),
        ("x_proj", &trace.u_act, &block.x_proj, &trace.x_proj_acc),
        ("dt_proj", &trace.dt_act, &block.dt_proj, &trace.dt_proj_acc),
    ];
    println!(
        "  {:<9} {:>18} {:>12} {:>7} {:>12} {:>9}",
        "stage", "shape M×K·K×N", "cycles", "util", "cycles/s", "wall s"
    );
    let mut total = Total::default();
    let out_proj = (
        "out_proj",
        &trace.y_act,
        &block.out_proj,
        &trace.out_proj_acc,
    );
    for (i, (name, act, linear, want)) in gemms.into_iter().chain([out_proj]).enumerate() {
        if i == 3 {
            // The selective scan, between x/dt_proj and out_proj.
            let x = &trace.scan;
            let opts = ScanOptions {
                engine,
                chunk: Some(SCAN_CHUNK),
                ..Default::default()
            };
            let scan_array = (DEFAULT_SCAN_ARRAY.rows, DEFAULT_SCAN_ARRAY.cols);
            let run = run_scan_with(x, scan_array, opts).unwrap_or_else(|e| panic!("scan: {e}"));
            assert_eq!(run.y, trace.y, "scan: bit-exact against the reference");
            assert_eq!(run.cycles, run.expected_cycles, "scan: closed form");
            let shape = format!("L{}·D{}·N{}/{SCAN_CHUNK}", x.l, x.d, x.n);
            let figures = (run.cycles, run.utilization, run.sim_seconds);
            total.add("scan", &shape, figures);
        }
        let (m, k, n) = (act.rows, linear.weights.k, linear.weights.n);
        let run = run_gemm_with(&act.q, &linear.weights.q, m, k, n, array, &opts)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(&run.c, want, "{name}: bit-exact against the reference");
        assert_eq!(run.cycles, run.expected_cycles, "{name}: closed form");
        let shape = format!("{m}×{k}·{k}×{n}");
        total.add(name, &shape, (run.cycles, run.utilization, run.sim_seconds));
    }
    println!(
        "  layer (GEMM core {}x{}, scan core {}x{}, {} engine): {} cycles, {:.1} s wall",
        array.0,
        array.1,
        DEFAULT_SCAN_ARRAY.rows,
        DEFAULT_SCAN_ARRAY.cols,
        engine.name(),
        total.cycles,
        total.seconds
    );
}

/// The layer's running totals; [`Total::add`] prints a stage's row.
#[derive(Default)]
struct Total {
    cycles: u64,
    seconds: f64,
}

impl Total {
    /// A stage of `cycles` (hardware counter) at PE `utilization`, simulated in `seconds`.
    fn add(&mut self, stage: &str, shape: &str, (cycles, utilization, seconds): (u64, f64, f64)) {
        println!(
            "  {stage:<9} {shape:>18} {cycles:>12} {:>6.2}% {:>12.0} {seconds:>9.1}",
            utilization * 100.0,
            cycles as f64 / seconds.max(1e-9),
        );
        self.cycles += cycles;
        self.seconds += seconds;
    }
}
