//! The simulation engines: the Verilator engine runs the same testbench as
//! the rust engine and gives the same results and counters; in lockstep
//! (co-simulation) every output of every evaluation agrees; and the lockstep
//! comparison catches a planted one-LSB difference, naming its cycle and
//! signal. Needs `verilator` (installed by `make test`).

mod common;

use common::random_matrix;
use golden::ssm::block::gemm_i8;
use rtl::ssm::{GemmConfig, GemmCore};
use sim::engine::lockstep::Lockstep;
use sim::engine::rust::RustEngine;
use sim::engine::verilator::VerilatorEngine;
use sim::engine::{Engine, EngineError, EngineKind, In, Out, PortList};
use sim::gemm::{run_gemm_with, GemmOptions};

/// Two runs (GEMM or scan) show the same hardware counters and took the
/// same number of clock cycles.
macro_rules! assert_same_counters {
    ($a:expr, $b:expr) => {
        assert_eq!(
            [
                $a.cycles,
                $a.busy_pe_cycles,
                $a.stall_cycles,
                $a.bubble_cycles,
                $a.sim_edges
            ],
            [
                $b.cycles,
                $b.busy_pe_cycles,
                $b.stall_cycles,
                $b.bubble_cycles,
                $b.sim_edges
            ],
            "counters (cycles, busy, stall, bubble) and clock edges"
        )
    };
}

fn opts(engine: EngineKind, stall_probability: f64) -> GemmOptions {
    GemmOptions {
        stall_probability,
        seed: 7,
        engine,
    }
}

#[test]
fn verilator_runs_the_gemm_testbench_like_the_rust_engine() {
    let mut rng = golden::rng::seeded(11);
    for (m, k, n, p) in [(5, 7, 4, 0.0), (9, 3, 8, 0.3), (1, 1, 1, 0.0)] {
        let a = random_matrix(&mut rng, m * k);
        let b = random_matrix(&mut rng, k * n);
        let rust = run_gemm_with(&a, &b, m, k, n, (2, 3), &opts(EngineKind::Rust, p)).unwrap();
        let fast = run_gemm_with(&a, &b, m, k, n, (2, 3), &opts(EngineKind::Verilator, p)).unwrap();
        assert_eq!(fast.engine, "verilator");
        assert_eq!(fast.c, gemm_i8(&a, &b, m, k, n), "{m}x{k}x{n}");
        assert_eq!(fast.c, rust.c);
        assert_same_counters!(fast, rust);
        if p == 0.0 {
            assert_eq!(fast.cycles, GemmConfig::new(2, 3).cycles(m, k, n));
        }
    }
}

#[test]
fn cosimulation_agrees_on_every_output_of_every_cycle() {
    let mut rng = golden::rng::seeded(12);
    let (m, k, n) = (6, 5, 7);
    let a = random_matrix(&mut rng, m * k);
    let b = random_matrix(&mut rng, k * n);
    let run = run_gemm_with(&a, &b, m, k, n, (3, 2), &opts(EngineKind::Cosim, 0.25)).unwrap();
    assert_eq!(run.engine, "rust+verilator");
    assert_eq!(run.c, gemm_i8(&a, &b, m, k, n));
}

/// An engine that shows one output one LSB off from the first evaluation at
/// which it is non-zero: a planted fault for the comparison to catch.
struct OneLsbOff {
    inner: Box<dyn Engine>,
    port: Out,
    planted_at: Option<u64>,
}

impl Engine for OneLsbOff {
    fn kind(&self) -> &'static str {
        "planted"
    }
    fn ports(&self) -> &PortList {
        self.inner.ports()
    }
    fn set(&mut self, port: In, value: u64) {
        self.inner.set(port, value);
    }
    fn get(&self, port: Out) -> u64 {
        let v = self.inner.get(port);
        match self.planted_at {
            Some(at) if port == self.port && self.inner.evals() == at => v ^ 1,
            _ => v,
        }
    }
    fn eval(&mut self) -> Result<(), EngineError> {
        self.inner.eval()?;
        if self.planted_at.is_none() && self.inner.get(self.port) != 0 {
            self.planted_at = Some(self.inner.evals());
        }
        Ok(())
    }
    fn evals(&self) -> u64 {
        self.inner.evals()
    }
}

#[test]
fn a_planted_one_lsb_error_is_caught_with_its_cycle_and_signal() {
    let verilator = VerilatorEngine::of::<GemmCore<2, 3>>().unwrap();
    let port = verilator.ports().output("c_wr_data$1").unwrap();
    let planted = OneLsbOff {
        inner: Box::new(verilator),
        port,
        planted_at: None,
    };
    let rust = RustEngine::<GemmCore<2, 3>>::new().unwrap();
    let mut lockstep = Lockstep::new(Box::new(rust), Box::new(planted)).unwrap();

    // Drive the lockstep pair through the GEMM testbench by hand: go, then
    // tick with constant non-zero operands until the first result is written.
    let p = lockstep.ports().clone();
    let set = |e: &mut Lockstep, name: &str, v: u64| e.set(p.input(name).unwrap(), v);
    for (name, v) in [("dim_m", 4), ("dim_k", 2), ("dim_n", 3), ("go", 1)] {
        set(&mut lockstep, name, v);
    }
    for i in 0..2 {
        set(&mut lockstep, &format!("a_rd_data${i}"), 3);
    }
    for j in 0..3 {
        set(&mut lockstep, &format!("b_rd_data${j}"), 5);
    }
    let mut caught = None;
    'run: for _ in 0..200 {
        for clock in [0, 1] {
            set(&mut lockstep, "clock", clock);
            if let Err(e) = lockstep.eval() {
                caught = Some(e);
                break 'run;
            }
        }
        set(&mut lockstep, "go", 0);
    }
    let Some(EngineError::Mismatch(m)) = caught else {
        panic!("the planted error was not caught: {caught:?}");
    };
    assert_eq!(m.signal, "c_wr_data$1");
    assert_eq!(m.reference ^ m.other, 1, "{m:?}");
    assert!(m.cycle > 0);
    assert_eq!(m.engines, ("rust", "planted"));
    let text = EngineError::Mismatch(m).to_string();
    assert!(
        text.contains("c_wr_data$1") && text.contains("cycle"),
        "{text}"
    );
}

mod snn {
    use golden::snn::{fixed, workload};
    use sim::engine::EngineKind;
    use sim::snn::{run_on, HostConfig};

    /// The multi-clock testbench (host and core clocks, AER handshakes) on
    /// Verilator gives the rust engine's spikes, states, counters and cycle
    /// counts, at several clock ratios with back-pressure.
    #[test]
    fn the_neuromorphic_core_runs_the_same_on_both_engines() {
        let net = workload::generate(5, 48, 64, 6, 0.3, true);
        let reference = fixed::run(&net, false);
        for (ratio, phase, backpressure) in [(1.0, 0.0, 0.0), (0.5, 0.3, 0.4), (3.0, 0.7, 0.2)] {
            let cfg = HostConfig {
                clock_ratio: ratio,
                phase,
                max_req_delay: 2,
                backpressure,
                seed: 9,
            };
            let rust = run_on(EngineKind::Rust, &net, cfg).unwrap();
            let fast = run_on(EngineKind::Verilator, &net, cfg).unwrap();
            assert_eq!(fast.run.spikes, reference.spikes, "ratio {ratio}");
            assert_eq!(fast.run.final_state, reference.final_state);
            assert_eq!(fast.run.spikes, rust.run.spikes);
            assert_eq!(fast.counters, rust.counters);
            assert_eq!(fast.steps, rust.steps);
            assert_eq!(
                (fast.core_cycles, fast.host_cycles),
                (rust.core_cycles, rust.host_cycles)
            );
        }
    }

    #[test]
    fn the_neuromorphic_core_cosimulates_in_lockstep() {
        let net = workload::generate(6, 40, 32, 4, 0.4, true);
        let cfg = HostConfig {
            clock_ratio: 1.7,
            phase: 0.2,
            max_req_delay: 3,
            backpressure: 0.3,
            seed: 2,
        };
        let run = run_on(EngineKind::Cosim, &net, cfg).unwrap();
        assert_eq!(run.run.spikes, fixed::run(&net, false).spikes);
    }
}

mod scan {
    use super::common::{full_range, vectors};
    use golden::ssm::fixed::{selective_scan_fixed, ScanUnits};
    use sim::engine::EngineKind;
    use sim::scan::{run_scan_with, ScanOptions};

    fn opts(engine: EngineKind, chunk: Option<usize>, stall: f64) -> ScanOptions<'static> {
        ScanOptions {
            engine,
            chunk,
            stall_probability: stall,
            seed: 4,
            ..Default::default()
        }
    }

    /// The scan testbench on Verilator: y, the final state, every counter
    /// and the cycle count equal the rust engine's, on the committed vector
    /// sets and full-range edge cases, chunked and with back-pressure.
    #[test]
    fn the_scan_core_runs_the_same_on_both_engines() {
        let cases = [
            (vectors("ssm-small"), (4, 4), None, 0.0),
            (vectors("ssm-edge"), (3, 2), Some(3), 0.2),
            (full_range(8, 9, 5, 3, true, true), (2, 3), Some(4), 0.3),
            (full_range(9, 1, 3, 5, true, true), (2, 2), None, 0.0),
        ];
        for (x, array, chunk, stall) in cases {
            let want = selective_scan_fixed(&x, &ScanUnits::default());
            let rust = run_scan_with(&x, array, opts(EngineKind::Rust, chunk, stall)).unwrap();
            let fast = run_scan_with(&x, array, opts(EngineKind::Verilator, chunk, stall)).unwrap();
            assert_eq!(fast.engine, "verilator");
            assert_eq!(fast.y, want, "{array:?} L={} D={} N={}", x.l, x.d, x.n);
            assert_eq!((&fast.y, &fast.state), (&rust.y, &rust.state));
            assert_same_counters!(fast, rust);
        }
    }

    #[test]
    fn the_scan_core_cosimulates_in_lockstep() {
        for (x, array, chunk) in [
            (full_range(10, 7, 5, 5, true, true), (2, 3), Some(3)),
            (vectors("ssm-plain"), (4, 4), None),
        ] {
            let run = run_scan_with(&x, array, opts(EngineKind::Cosim, chunk, 0.25)).unwrap();
            assert_eq!(run.engine, "rust+verilator");
            assert_eq!(run.y, selective_scan_fixed(&x, &ScanUnits::default()));
        }
    }
}

mod systems {
    use super::common::full_range;
    use super::common::random_matrix;
    use golden::ssm::block::gemm_i8;
    use golden::ssm::fixed::{selective_scan_fixed, ScanUnits};
    use sim::engine::EngineKind;
    use sim::gemm_host::run_gemm_hosted;
    use sim::scan_host::run_scan_hosted;

    /// The host-interface systems (buffers in block RAM, valid/ready write
    /// and read streams with back-pressure) in lockstep with their Verilog.
    #[test]
    fn the_systems_cosimulate_through_their_host_streams() {
        let mut rng = golden::rng::seeded(21);
        let (m, k, n) = (5, 7, 3);
        let a = random_matrix(&mut rng, m * k);
        let b = random_matrix(&mut rng, k * n);
        let run = run_gemm_hosted(&a, &b, m, k, n, (3, 2), (0.6, 4), EngineKind::Cosim).unwrap();
        assert_eq!(run.engine, "rust+verilator");
        assert_eq!(run.c, gemm_i8(&a, &b, m, k, n));

        let x = full_range(22, 9, 5, 3, true, true);
        let run = run_scan_hosted(&x, (3, 2), Some(4), (0.7, 5), EngineKind::Cosim).unwrap();
        assert_eq!(run.y, selective_scan_fixed(&x, &ScanUnits::default()));
    }
}
