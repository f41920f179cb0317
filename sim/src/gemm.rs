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
//! shape is an [`GemmError::UnsupportedArray`].

use crate::clock::Clocked;
use crate::counters::{Counters, HasCounters as _};
use rand::Rng as _;
use rtl::ssm::{GemmConfig, GemmCore, MAX_DIM};
use rust_hdl::prelude::*;
use std::fmt;
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
}

impl Default for GemmOptions {
    fn default() -> Self {
        Self {
            stall_probability: 0.0,
            seed: 1,
        }
    }
}

/// Why a run could not be made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GemmError {
    /// The array shape is not one of [`SUPPORTED_ARRAYS`].
    UnsupportedArray { rows: usize, cols: usize },
    /// Operand lengths or dimensions are wrong.
    Shape(String),
    /// The simulation failed (did not settle, or never finished).
    Sim(String),
}

impl fmt::Display for GemmError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GemmError::UnsupportedArray { rows, cols } => write!(
                f,
                "array {rows}x{cols} is not compiled in; supported: {}",
                crate::shape_list(SUPPORTED_ARRAYS)
            ),
            GemmError::Shape(s) => write!(f, "bad GEMM shape: {s}"),
            GemmError::Sim(s) => write!(f, "simulation failed: {s}"),
        }
    }
}

impl std::error::Error for GemmError {}

/// C = A·B on the simulated core with the array `(R, C)`. `a` is M×K and `b`
/// is K×N, both row-major int8; C comes back M×N row-major int32.
pub fn run_gemm(
    a: &[i8],
    b: &[i8],
    m: usize,
    k: usize,
    n: usize,
    array: (usize, usize),
) -> Result<GemmRun, GemmError> {
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
) -> Result<GemmRun, GemmError> {
    check_shape(a, b, m, k, n)?;
    let job = Job {
        a,
        b,
        m,
        k,
        n,
        opts,
    };
    match array {
        (8, 8) => job.run::<8, 8>(),
        (4, 4) => job.run::<4, 4>(),
        (2, 3) => job.run::<2, 3>(),
        (3, 2) => job.run::<3, 2>(),
        (16, 16) => job.run::<16, 16>(),
        (rows, cols) => Err(GemmError::UnsupportedArray { rows, cols }),
    }
}

fn check_shape(a: &[i8], b: &[i8], m: usize, k: usize, n: usize) -> Result<(), GemmError> {
    for (name, d) in [("M", m), ("K", k), ("N", n)] {
        if d == 0 || d > MAX_DIM {
            return Err(GemmError::Shape(format!(
                "{name} = {d}, must be in 1..={MAX_DIM}"
            )));
        }
    }
    if a.len() != m * k {
        return Err(GemmError::Shape(format!(
            "A has {} elements, M×K = {m}×{k} = {}",
            a.len(),
            m * k
        )));
    }
    if b.len() != k * n {
        return Err(GemmError::Shape(format!(
            "B has {} elements, K×N = {k}×{n} = {}",
            b.len(),
            k * n
        )));
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

fn bits<const N: usize>(x: u64) -> Bits<N> {
    x.into()
}

impl Job<'_> {
    fn run<const R: usize, const C: usize>(&self) -> Result<GemmRun, GemmError> {
        let (a, b, m, k, n) = (self.a, self.b, self.m, self.k, self.n);
        let cfg = GemmConfig::new(R, C);
        let n_pad = n.div_ceil(C) * C;
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
        let sim_err = |e: crate::clock::NotConverged| GemmError::Sim(e.to_string());

        let started = Instant::now();
        let mut bench =
            Clocked::new(GemmCore::<R, C>::default(), |u| &mut u.clock).map_err(GemmError::Sim)?;
        // go, with the dimensions.
        {
            let u = &mut bench.uut;
            u.dim_m.next = bits(m as u64);
            u.dim_k.next = bits(k as u64);
            u.dim_n.next = bits(n as u64);
            u.go.next = true;
        }
        bench.settle().map_err(sim_err)?;
        bench.rise().map_err(sim_err)?;
        bench.fall();
        bench.uut.go.next = false;

        // Generous bound: closed form + every cycle stalled 1/(1−p) times.
        let expected = cfg.cycles(m, k, n);
        let p = self.opts.stall_probability.clamp(0.0, 0.99);
        let limit = ((expected as f64) / (1.0 - p) * 4.0) as u64 + 1000;
        let mut busy_seen = false;
        loop {
            bench.uut.stall.next = p > 0.0 && rng.gen_bool(p);
            bench.settle().map_err(sim_err)?;
            let u = &mut bench.uut;
            if !u.busy.val() {
                if busy_seen {
                    break;
                }
                return Err(GemmError::Sim("core did not start".into()));
            }
            busy_seen = true;
            if bench.edges > limit {
                return Err(GemmError::Sim(format!("not finished after {limit} cycles")));
            }
            // Sample this cycle's requests (reads see memory before this cycle's write).
            let a_rd = u
                .a_rd_en
                .val()
                .then(|| (u.a_rd_m.val().index(), u.a_rd_k0.val().index()));
            let b_rd = u
                .b_rd_en
                .val()
                .then(|| (u.b_rd_k.val().index(), u.b_rd_n0.val().index()));
            let c_rd = u
                .c_rd_en
                .val()
                .then(|| (u.c_rd_m.val().index(), u.c_rd_n0.val().index()));
            let c_wr = u.c_wr_en.val().then(|| {
                let row = u.c_wr_m.val().index();
                let n0 = u.c_wr_n0.val().index();
                let data: Vec<i32> = (0..C)
                    .map(|j| u.c_wr_data[j].val().to_u32() as i32)
                    .collect();
                (row, n0, data)
            });
            let c_rd_data: Option<Vec<i32>> = c_rd.map(|(row, n0)| {
                (0..C)
                    .map(|j| acc.get(row * n_pad + n0 + j).copied().unwrap_or(0))
                    .collect()
            });
            if let Some((row, n0, data)) = c_wr {
                for (j, v) in data.into_iter().enumerate() {
                    if row < m && n0 + j < n_pad {
                        acc[row * n_pad + n0 + j] = v;
                    }
                }
            }
            bench.rise().map_err(sim_err)?;
            bench.fall();
            // Read data returns in the next cycle.
            let u = &mut bench.uut;
            if let Some((row, k0)) = a_rd {
                for i in 0..R {
                    let v = if row < m { a_at(row, k0 + i) } else { 0 };
                    u.a_rd_data[i].next = bits(v as u8 as u64);
                }
            }
            if let Some((row, n0)) = b_rd {
                for j in 0..C {
                    u.b_rd_data[j].next = bits(b_at(row, n0 + j) as u8 as u64);
                }
            }
            if let Some(data) = c_rd_data {
                for (j, v) in data.into_iter().enumerate() {
                    u.c_rd_data[j].next = bits(v as u32 as u64);
                }
            }
        }
        let sim_seconds = started.elapsed().as_secs_f64();
        let c = (0..m)
            .flat_map(|row| (0..n).map(move |col| (row, col)))
            .map(|(row, col)| acc[row * n_pad + col])
            .collect();
        Ok(GemmRun::finish(
            (m, k, n),
            cfg,
            c,
            bench.uut.counters(),
            sim_seconds,
            bench.edges,
        ))
    }
}

/// Where two M×N int32 results differ (reported as `C[row][col]`).
pub type Mismatches = crate::compare::Mismatches<i32>;

/// Bit-exact comparison of `got` against `want` (both M×N row-major, N = `n`).
pub fn compare_exact(got: &[i32], want: &[i32], n: usize) -> Result<(), Mismatches> {
    crate::compare::compare_matrix("C", got, want, n)
}
