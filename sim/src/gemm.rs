//! Cycle-accurate GEMM runs on [`rtl::ssm::GemmCore`].
//!
//! [`run_gemm`] loads A and B into modelled scratchpads, starts the core,
//! serves its memory ports cycle by cycle, and returns C with the hardware
//! performance counters. The memories are modelled as block RAMs would be:
//! one-cycle read latency, and a read in the same cycle as a write to the
//! same row returns the old row. They hold zero-padded tiles, so reads past
//! the matrix edges return zeros (as a DMA that pads on move-in would leave
//! them).
//!
//! The array shape is a run-time argument but a compile-time generic of the
//! hardware; [`SUPPORTED_ARRAYS`] lists the shapes compiled in, and any other
//! shape is an [`RunError::UnsupportedArray`].

use crate::control;
use crate::counters::{CounterPorts, Counters};
use crate::engine::{self, request, ClockPort, Engine, EngineError, EngineKind, In, Out};
use crate::run_error::{ArrayMode, RunError};
use rand::Rng as _;
use rtl::ssm::{GemmConfig, GemmCore, MAX_DIM};
use std::time::Instant;

/// Array shapes (R, C) compiled into `sim` (the first is the default).
pub const SUPPORTED_ARRAYS: &[(usize, usize)] = &[(8, 8), (4, 4), (2, 3), (3, 2), (16, 16)];

/// The result of one GEMM on the simulated core.
#[derive(Clone, Debug, PartialEq)]
pub struct GemmRun {
    pub m: usize,
    pub k: usize,
    pub n: usize,
    pub array: GemmConfig,
    /// C = A·B, M×N row-major.
    pub c: Vec<i32>,
    /// Hardware counter: cycles from the cycle after `go` to the last write.
    pub cycles: u64,
    /// Hardware counter: useful MACs (PE-cycles doing real work).
    pub busy_pe_cycles: u64,
    /// Hardware counter: cycles the issue stream was frozen by back-pressure.
    pub stall_cycles: u64,
    /// Hardware counter: empty activation slots while the next fold's weights load.
    pub bubble_cycles: u64,
    /// busy_pe_cycles / (R·C·cycles).
    pub utilization: f64,
    /// The closed-form cycle count for this shape without stalls
    /// ([`GemmConfig::cycles`]).
    pub expected_cycles: u64,
    /// Wall-clock seconds the simulation took, and the clock edges it applied.
    pub sim_seconds: f64,
    pub sim_edges: u64,
    /// The engine that ran it (`rust`, `verilator`, `rust+verilator`).
    pub engine: &'static str,
}

impl GemmRun {
    /// The run of a M×K·K×N GEMM (`dims`) on `array` that returned `c`, with the
    /// counters read at its end.
    pub(crate) fn finish(
        dims: (usize, usize, usize),
        array: GemmConfig,
        c: Vec<i32>,
        hw: Counters,
        sim_seconds: f64,
        sim_edges: u64,
    ) -> Self {
        let (m, k, n) = dims;
        Self {
            m,
            k,
            n,
            array,
            c,
            cycles: hw.cycles,
            busy_pe_cycles: hw.busy_pe_cycles,
            stall_cycles: hw.stall_cycles,
            bubble_cycles: hw.bubble_cycles,
            utilization: array.utilization(hw.busy_pe_cycles, hw.cycles),
            expected_cycles: array.cycles(m, k, n),
            sim_seconds,
            sim_edges,
            engine: "rust",
        }
    }

    /// Simulated clock cycles per wall-clock second.
    pub fn sim_speed(&self) -> f64 {
        self.sim_edges as f64 / self.sim_seconds.max(1e-9)
    }
}

/// Options of a run beyond the operands.
#[derive(Clone, Debug, PartialEq)]
pub struct GemmOptions {
    /// Probability that the scratchpads assert `stall` in a given cycle.
    pub stall_probability: f64,
    /// Seed of the stall pattern.
    pub seed: u64,
    /// The simulation engine.
    pub engine: EngineKind,
}

impl Default for GemmOptions {
    fn default() -> Self {
        Self {
            stall_probability: 0.0,
            seed: 1,
            engine: EngineKind::default(),
        }
    }
}

/// C = A·B on the simulated core with the array `(R, C)`. `a` is M×K and `b`
/// is K×N, both row-major int8; C comes back M×N row-major int32.
pub fn run_gemm(
    a: &[i8],
    b: &[i8],
    m: usize,
    k: usize,
    n: usize,
    array: (usize, usize),
) -> Result<GemmRun, RunError> {
    run_gemm_with(a, b, m, k, n, array, &GemmOptions::default())
}

/// [`run_gemm`] with options (scratchpad back-pressure).
pub fn run_gemm_with(
    a: &[i8],
    b: &[i8],
    m: usize,
    k: usize,
    n: usize,
    array: (usize, usize),
    opts: &GemmOptions,
) -> Result<GemmRun, RunError> {
    // Checked before an engine is built (a Verilator model takes seconds).
    check_shape(a, b, m, k, n)?;
    let kind = opts.engine;
    let mut e = match array {
        (8, 8) => engine::open::<GemmCore<8, 8>>(kind)?,
        (4, 4) => engine::open::<GemmCore<4, 4>>(kind)?,
        (2, 3) => engine::open::<GemmCore<2, 3>>(kind)?,
        (3, 2) => engine::open::<GemmCore<3, 2>>(kind)?,
        (16, 16) => engine::open::<GemmCore<16, 16>>(kind)?,
        (rows, cols) => {
            return Err(RunError::UnsupportedArray {
                mode: ArrayMode::Gemm,
                rows,
                cols,
            })
        }
    };
    let cfg = GemmConfig::new(array.0, array.1);
    run_gemm_on(e.as_mut(), (a, b), (m, k, n), cfg, opts)
}

/// [`run_gemm_with`] on an engine the caller opened (a recorder, a
/// co-simulation of its own) for `array`'s design; `opts.engine` is unused.
pub fn run_gemm_on(
    e: &mut dyn Engine,
    (a, b): (&[i8], &[i8]),
    (m, k, n): (usize, usize, usize),
    array: GemmConfig,
    opts: &GemmOptions,
) -> Result<GemmRun, RunError> {
    check_shape(a, b, m, k, n)?;
    let job = Job {
        a,
        b,
        m,
        k,
        n,
        opts,
    };
    job.run(e, array)
}

fn check_shape(a: &[i8], b: &[i8], m: usize, k: usize, n: usize) -> Result<(), RunError> {
    for (name, d) in [("M", m), ("K", k), ("N", n)] {
        if d == 0 || d > MAX_DIM {
            return Err(RunError::Shape(
                ArrayMode::Gemm,
                format!("{name} = {d}, must be in 1..={MAX_DIM}"),
            ));
        }
    }
    if a.len() != m * k {
        return Err(RunError::Shape(
            ArrayMode::Gemm,
            format!("A has {} elements, M×K = {m}×{k} = {}", a.len(), m * k),
        ));
    }
    if b.len() != k * n {
        return Err(RunError::Shape(
            ArrayMode::Gemm,
            format!("B has {} elements, K×N = {k}×{n} = {}", b.len(), k * n),
        ));
    }
    Ok(())
}

struct Job<'a> {
    a: &'a [i8],
    b: &'a [i8],
    m: usize,
    k: usize,
    n: usize,
    opts: &'a GemmOptions,
}

/// The [`GemmCore`] ports in one engine's numbering.
struct Ports {
    clock: ClockPort,
    go: In,
    dim: [In; 3],
    stall: In,
    a_rd: (Out, Out, Out),
    a_data: Vec<In>,
    b_rd: (Out, Out, Out),
    b_data: Vec<In>,
    c_rd: (Out, Out, Out),
    c_rd_data: Vec<In>,
    c_wr: (Out, Out, Out),
    c_wr_data: Vec<Out>,
    busy: Out,
    counters: CounterPorts,
}

impl Ports {
    fn of(e: &dyn Engine, r: usize, c: usize) -> Result<Self, EngineError> {
        let p = e.ports();
        let rd = |x: &str, i: &str, j: &str| -> Result<(Out, Out, Out), EngineError> {
            Ok((p.output(x)?, p.output(i)?, p.output(j)?))
        };
        Ok(Self {
            clock: ClockPort::of(e)?,
            go: p.input("go")?,
            dim: [p.input("dim_m")?, p.input("dim_k")?, p.input("dim_n")?],
            stall: p.input("stall")?,
            a_rd: rd("a_rd_en", "a_rd_m", "a_rd_k0")?,
            a_data: p.inputs("a_rd_data", r)?,
            b_rd: rd("b_rd_en", "b_rd_k", "b_rd_n0")?,
            b_data: p.inputs("b_rd_data", c)?,
            c_rd: rd("c_rd_en", "c_rd_m", "c_rd_n0")?,
            c_rd_data: p.inputs("c_rd_data", c)?,
            c_wr: rd("c_wr_en", "c_wr_m", "c_wr_n0")?,
            c_wr_data: p.outputs("c_wr_data", c)?,
            busy: p.output("busy")?,
            counters: CounterPorts::of(e)?,
        })
    }
}

impl Job<'_> {
    /// Serve the core's scratchpad ports on `e`, an R×C array, until it is done.
    fn run(&self, e: &mut dyn Engine, cfg: GemmConfig) -> Result<GemmRun, RunError> {
        let (a, b, m, k, n) = (self.a, self.b, self.m, self.k, self.n);
        let (r, c) = (cfg.rows, cfg.cols);
        let n_pad = n.div_ceil(c) * c;
        // The accumulator memory: M rows of the zero-padded N.
        let mut acc = vec![0i32; m * n_pad];
        let a_at = |row: usize, col: usize| if col < k { a[row * k + col] } else { 0 };
        let b_at = |row: usize, col: usize| {
            if row < k && col < n {
                b[row * n + col]
            } else {
                0
            }
        };
        let mut rng = golden::rng::seeded(self.opts.seed);
        let started = Instant::now();
        let p = Ports::of(e, r, c)?;
        // go, with the dimensions.
        for (port, v) in p.dim.iter().zip([m, k, n]) {
            e.set(*port, v as u64);
        }
        e.set(p.go, 1);
        e.eval()?;
        p.clock.rise(e)?;
        e.set(p.go, 0);

        // Generous bound: closed form + every cycle stalled 1/(1−p) times.
        let expected = cfg.cycles(m, k, n);
        let stall_p = self.opts.stall_probability.clamp(0.0, 0.99);
        let limit = ((expected as f64) / (1.0 - stall_p) * 4.0) as u64 + 1000;
        let mut cycles = 1u64;
        let mut busy_seen = false;
        let mut c_rd_data = vec![0i32; c];
        loop {
            e.set(p.stall, u64::from(stall_p > 0.0 && rng.gen_bool(stall_p)));
            e.eval()?;
            if e.get(p.busy) == 0 {
                if busy_seen {
                    break;
                }
                return Err(RunError::Sim("core did not start".into()));
            }
            busy_seen = true;
            if cycles > limit {
                return Err(RunError::Sim(format!("not finished after {limit} cycles")));
            }
            control::cycle_checkpoint(cycles, expected, started)
                .map_err(|s| RunError::Stopped { cycles: s.cycles })?;
            // Sample this cycle's requests (reads see memory before this cycle's write).
            let a_rd = request(e, p.a_rd);
            let b_rd = request(e, p.b_rd);
            let c_rd = request(e, p.c_rd);
            if let Some((row, n0)) = c_rd {
                for (j, v) in c_rd_data.iter_mut().enumerate() {
                    *v = acc.get(row * n_pad + n0 + j).copied().unwrap_or(0);
                }
            }
            if let Some((row, n0)) = request(e, p.c_wr) {
                for (j, port) in p.c_wr_data.iter().enumerate() {
                    if row < m && n0 + j < n_pad {
                        acc[row * n_pad + n0 + j] = e.get(*port) as u32 as i32;
                    }
                }
            }
            p.clock.rise(e)?;
            cycles += 1;
            // Read data returns in the next cycle.
            if let Some((row, k0)) = a_rd {
                for (i, port) in p.a_data.iter().enumerate() {
                    let v = if row < m { a_at(row, k0 + i) } else { 0 };
                    e.set(*port, v as u8 as u64);
                }
            }
            if let Some((row, n0)) = b_rd {
                for (j, port) in p.b_data.iter().enumerate() {
                    e.set(*port, b_at(row, n0 + j) as u8 as u64);
                }
            }
            if c_rd.is_some() {
                for (port, v) in p.c_rd_data.iter().zip(&c_rd_data) {
                    e.set(*port, *v as u32 as u64);
                }
            }
        }
        let sim_seconds = started.elapsed().as_secs_f64();
        let c_out = (0..m)
            .flat_map(|row| (0..n).map(move |col| (row, col)))
            .map(|(row, col)| acc[row * n_pad + col])
            .collect();
        let mut run = GemmRun::finish(
            (m, k, n),
            cfg,
            c_out,
            p.counters.read(e),
            sim_seconds,
            cycles,
        );
        run.engine = e.kind();
        Ok(run)
    }
}

/// Where two M×N int32 results differ (reported as `C[row][col]`).
pub type Mismatches = crate::compare::Mismatches<i32>;

/// Bit-exact comparison of `got` against `want` (both M×N row-major, N = `n`).
pub fn compare_exact(got: &[i32], want: &[i32], n: usize) -> Result<(), Mismatches> {
    crate::compare::compare_matrix("C", got, want, n)
}
