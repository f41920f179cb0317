//! Cycle-accurate selective-scan runs on [`rtl::ssm::ScanCore`].
//!
//! [`run_scan`] loads the fixed-point inputs ([`FixedScanInputs`], the words
//! the hardware is loaded with) into modelled operand buffers, starts the
//! core, serves its read and write ports cycle by cycle and returns y and the
//! final state with the hardware performance counters. Buffers behave like
//! block RAMs: one-cycle read latency, a read in the same cycle as a write to
//! the same word returns the old word; they hold zero-padded tiles (reads
//! past the matrix edges return zero, writes to padded rows are dropped).
//!
//! A run can be cut into chunks of Lc time steps ([`ScanOptions::chunk`]):
//! one core job per chunk, each after the first with `resume` set, so every
//! fold starts from the state the previous chunk wrote to the modelled state
//! buffer (D×N, Q12.20) — the schedule [`crate::scan_host`] uses to run long
//! sequences in small buffers. [`ScanOptions::initial_state`] resumes the
//! first chunk too.
//!
//! A VCD trace of every signal can be streamed to a writer
//! ([`ScanOptions::vcd`]): rust-hdl's VCD probe writes each change as it
//! happens, nothing is kept in memory.

use crate::clock::{Clocked, NotConverged};
use crate::counters::{Counters, HasCounters as _};
use golden::ssm::fixed::FixedScanInputs;
use rand::Rng as _;
use rtl::ssm::{ScanArray, ScanCore, MAX_DIM};
use rust_hdl::core::vcd_probe::VCDProbe;
use rust_hdl::prelude::*;
use std::fmt;
use std::io::Write;
use std::time::Instant;

/// Scan array shapes (R, C) compiled into `sim` (the first is the default).
pub const SUPPORTED_SCAN_ARRAYS: &[(usize, usize)] = &[(4, 4), (2, 2), (2, 3), (3, 2)];

/// The result of one scan on the simulated core.
#[derive(Clone, Debug, PartialEq)]
pub struct ScanRun {
    pub l: usize,
    pub d: usize,
    pub n: usize,
    pub array: ScanArray,
    /// Time steps per core job (Lc; L when the run is not chunked).
    pub chunk: usize,
    /// y, L×D row-major, Q16.16.
    pub y: Vec<i64>,
    /// The state after the last step, D×N row-major, Q12.20, as the core
    /// wrote it out.
    pub state: Vec<i64>,
    /// Hardware counter: cycles from the cycle after `go` to the last state
    /// write, summed over the chunks' jobs (as are the other counters).
    pub cycles: u64,
    /// Hardware counter: PE recurrence steps on real (d, n) cells.
    pub busy_pe_cycles: u64,
    /// Hardware counter: cycles the issue stream was frozen by back-pressure.
    pub stall_cycles: u64,
    /// Hardware counter: empty token slots while the next fold's a2 loads (L < R).
    pub bubble_cycles: u64,
    /// busy_pe_cycles / (R·C·cycles).
    pub utilization: f64,
    /// The closed-form cycle count without stalls
    /// ([`ScanArray::chunked_cycles`]).
    pub expected_cycles: u64,
    /// Wall-clock seconds of the simulation and clock edges applied.
    pub sim_seconds: f64,
    pub sim_edges: u64,
}

impl ScanRun {
    /// The run of a L×D×N scan (`dims`) in chunks of `chunk` steps on
    /// `array` that returned `y` and `state`, with the counters summed over
    /// its jobs; `sim` is (wall-clock seconds, clock edges).
    pub(crate) fn finish(
        dims: (usize, usize, usize),
        chunk: usize,
        array: ScanArray,
        (y, state): (Vec<i64>, Vec<i64>),
        hw: Counters,
        (sim_seconds, sim_edges): (f64, u64),
    ) -> Self {
        let (l, d, n) = dims;
        Self {
            l,
            d,
            n,
            array,
            chunk,
            y,
            state,
            cycles: hw.cycles,
            busy_pe_cycles: hw.busy_pe_cycles,
            stall_cycles: hw.stall_cycles,
            bubble_cycles: hw.bubble_cycles,
            utilization: array.utilization(hw.busy_pe_cycles, hw.cycles),
            expected_cycles: array.chunked_cycles(l, d, n, chunk),
            sim_seconds,
            sim_edges,
        }
    }

    /// Simulated clock cycles per wall-clock second.
    pub fn sim_speed(&self) -> f64 {
        self.sim_edges as f64 / self.sim_seconds.max(1e-9)
    }
}

/// Options of a run beyond the inputs.
#[derive(Default)]
pub struct ScanOptions<'a> {
    /// Probability that the buffers assert `stall` in a given cycle.
    pub stall_probability: f64,
    /// Seed of the stall pattern.
    pub seed: u64,
    /// Stream a VCD trace of every signal here.
    pub vcd: Option<&'a mut dyn Write>,
    /// Run in chunks of this many time steps, the state carried between
    /// them (None: one job over all L steps).
    pub chunk: Option<usize>,
    /// Start from this state (D×N, Q12.20) instead of h = 0.
    pub initial_state: Option<Vec<i64>>,
}

/// Why a run could not be made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ScanError {
    /// The array shape is not one of [`SUPPORTED_SCAN_ARRAYS`].
    UnsupportedArray { rows: usize, cols: usize },
    /// Dimensions out of range or inconsistent input lengths.
    Shape(String),
    /// The simulation failed (did not settle, never finished, trace I/O).
    Sim(String),
}

impl fmt::Display for ScanError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ScanError::UnsupportedArray { rows, cols } => write!(
                f,
                "scan array {rows}x{cols} is not compiled in; supported: {}",
                crate::shape_list(SUPPORTED_SCAN_ARRAYS)
            ),
            ScanError::Shape(s) => write!(f, "bad scan shape: {s}"),
            ScanError::Sim(s) => write!(f, "simulation failed: {s}"),
        }
    }
}

impl std::error::Error for ScanError {}

/// The scan on the simulated core with the array `(R, C)`.
pub fn run_scan(x: &FixedScanInputs, array: (usize, usize)) -> Result<ScanRun, ScanError> {
    run_scan_with(x, array, ScanOptions::default())
}

/// [`run_scan`] with options (back-pressure, VCD trace, chunks, initial state).
pub fn run_scan_with(
    x: &FixedScanInputs,
    array: (usize, usize),
    opts: ScanOptions<'_>,
) -> Result<ScanRun, ScanError> {
    check_shape(x)?;
    if opts.chunk == Some(0) {
        return Err(ScanError::Shape("chunks of 0 steps".into()));
    }
    if let Some(h) = &opts.initial_state {
        if h.len() != x.d * x.n {
            return Err(ScanError::Shape(format!(
                "initial state has {} values, expected {}",
                h.len(),
                x.d * x.n
            )));
        }
    }
    match array {
        (4, 4) => run::<4, 4>(x, opts),
        (2, 2) => run::<2, 2>(x, opts),
        (2, 3) => run::<2, 3>(x, opts),
        (3, 2) => run::<3, 2>(x, opts),
        (rows, cols) => Err(ScanError::UnsupportedArray { rows, cols }),
    }
}

fn check_shape(x: &FixedScanInputs) -> Result<(), ScanError> {
    let (l, d, n) = (x.l, x.d, x.n);
    for (name, v) in [("L", l), ("D", d), ("N", n)] {
        if v == 0 || v > MAX_DIM {
            return Err(ScanError::Shape(format!(
                "{name} = {v}, must be in 1..={MAX_DIM}"
            )));
        }
    }
    let lens = [
        ("u", x.u.len(), l * d),
        ("delta", x.delta.len(), l * d),
        ("a2", x.a2.len(), d * n),
        ("B", x.b.len(), l * n),
        ("C", x.c.len(), l * n),
        ("D", x.skip.len(), d),
        ("delta_bias", x.delta_bias.len(), d),
        ("z", x.z.as_ref().map_or(l * d, Vec::len), l * d),
    ];
    for (name, got, want) in lens {
        if got != want {
            return Err(ScanError::Shape(format!(
                "{name} has {got} values, expected {want}"
            )));
        }
    }
    Ok(())
}

fn word<const N: usize>(v: i64) -> Bits<N> {
    let mask = if N == 64 { u64::MAX } else { (1u64 << N) - 1 };
    ((v as u64) & mask).into()
}

/// The modelled operand buffers and result memories.
struct Buffers<'a> {
    x: &'a FixedScanInputs,
    /// y accumulator, Lc×D (64-bit Q.30), indexed by the chunk's own t.
    acc: Vec<i64>,
    /// y, L×D (Q16.16).
    y: Vec<i64>,
    /// The state, D×N (Q12.20): read as h0, written with the final states.
    state: Vec<i64>,
}

impl Buffers<'_> {
    /// Element (row, col) of a row-major `rows`×`cols` matrix, zero outside.
    fn at(m: &[i64], cols: usize, rows: usize, row: usize, col: usize) -> i64 {
        if row < rows && col < cols {
            m[row * cols + col]
        } else {
            0
        }
    }
}

fn run<const R: usize, const C: usize>(
    x: &FixedScanInputs,
    opts: ScanOptions<'_>,
) -> Result<ScanRun, ScanError> {
    let (l, d, n) = (x.l, x.d, x.n);
    let lc = opts.chunk.unwrap_or(l).min(l);
    let cfg = ScanArray::new(R, C);
    let resume_first = opts.initial_state.is_some();
    let mut buf = Buffers {
        x,
        acc: vec![0; lc * d],
        y: vec![0; l * d],
        state: opts.initial_state.unwrap_or_else(|| vec![0; d * n]),
    };
    let mut rng = golden::rng::seeded(opts.seed);
    let p = opts.stall_probability.clamp(0.0, 0.99);
    let sim_err = |e: NotConverged| ScanError::Sim(e.to_string());
    let io_err = |e: std::io::Error| ScanError::Sim(format!("VCD trace: {e}"));

    let started = Instant::now();
    let mut bench =
        Clocked::new(ScanCore::<R, C>::default(), |u| &mut u.clock).map_err(ScanError::Sim)?;
    let mut vcd: Option<VCDProbe<&mut dyn Write>> = opts.vcd.map(|w| {
        let probe = write_vcd_header(w, &bench.uut);
        write_vcd_dump(probe, &bench.uut)
    });
    // Half-period steps of a 10 ns clock, in ps like rust-hdl's simulator.
    let mut trace = |bench: &Clocked<ScanCore<R, C>>, half: u64| -> Result<(), ScanError> {
        if let Some(probe) = vcd.take() {
            let mut probe = probe;
            probe.timestamp(half * 5_000).map_err(io_err)?;
            vcd = Some(write_vcd_change(probe, &bench.uut));
        }
        Ok(())
    };
    let mut hw_total = Counters::default();
    // One core job per chunk of Lc steps: t0 is the chunk's first step.
    for t0 in (0..l).step_by(lc) {
        let len = lc.min(l - t0);
        {
            let u = &mut bench.uut;
            u.dim_l.next = word(len as i64);
            u.dim_d.next = word(d as i64);
            u.dim_n.next = word(n as i64);
            u.softplus.next = x.delta_softplus;
            u.gate.next = x.z.is_some();
            u.resume.next = t0 > 0 || resume_first;
            u.go.next = true;
        }
        bench.settle().map_err(sim_err)?;
        bench.rise().map_err(sim_err)?;
        trace(&bench, 2 * bench.edges - 1)?;
        bench.fall();
        bench.uut.go.next = false;

        let expected = cfg.cycles(len, d, n);
        let limit = bench.edges + ((expected as f64) / (1.0 - p) * 4.0) as u64 + 1000;
        let mut busy_seen = false;
        loop {
            bench.uut.stall.next = p > 0.0 && rng.gen_bool(p);
            bench.settle().map_err(sim_err)?;
            trace(&bench, 2 * bench.edges)?;
            let u = &mut bench.uut;
            if !u.busy.val() {
                if busy_seen {
                    break;
                }
                return Err(ScanError::Sim("core did not start".into()));
            }
            busy_seen = true;
            if bench.edges > limit {
                return Err(ScanError::Sim(format!("not finished after {limit} cycles")));
            }
            // This cycle's requests; reads see the memories before this cycle's writes.
            let row_rd = u
                .rd_en
                .val()
                .then(|| (u.rd_t.val().index(), u.rd_d0.val().index()));
            let bc_rd = u
                .bc_rd_en
                .val()
                .then(|| (u.bc_rd_t.val().index(), u.bc_rd_n0.val().index()));
            let a2_rd = u
                .a2_rd_en
                .val()
                .then(|| (u.a2_rd_d.val().index(), u.a2_rd_n0.val().index()));
            let acc_rd: Vec<Option<i64>> = (0..R)
                .map(|r| {
                    u.acc_rd_en[r].val().then(|| {
                        let (t, dd) = (
                            u.acc_rd_t[r].val().index(),
                            u.acc_rd_d0[r].val().index() + r,
                        );
                        Buffers::at(&buf.acc, d, len, t, dd)
                    })
                })
                .collect();
            let h0: Option<Vec<i64>> = a2_rd.map(|(ch, n0)| {
                (0..C)
                    .map(|c| Buffers::at(&buf.state, n, d, ch, n0 + c))
                    .collect()
            });
            for r in 0..R {
                if u.acc_wr_en[r].val() {
                    let (t, dd) = (
                        u.acc_wr_t[r].val().index(),
                        u.acc_wr_d0[r].val().index() + r,
                    );
                    if t < len && dd < d {
                        buf.acc[t * d + dd] = u.acc_wr_data[r].val().to_u64() as i64;
                    }
                }
                if u.y_wr_en[r].val() {
                    let (t, dd) = (u.y_wr_t[r].val().index(), u.y_wr_d0[r].val().index() + r);
                    if t < len && dd < d {
                        let v = u.y_wr_data[r].val().to_u64() as u32 as i32;
                        buf.y[(t0 + t) * d + dd] = i64::from(v);
                    }
                }
            }
            for c in 0..C {
                if u.st_wr_en[c].val() {
                    let (ch, s) = (u.st_wr_d[c].val().index(), u.st_wr_n0[c].val().index() + c);
                    if ch < d && s < n {
                        let v = u.st_wr_data[c].val().to_u64() as u32 as i32;
                        buf.state[ch * n + s] = i64::from(v);
                    }
                }
            }
            bench.rise().map_err(sim_err)?;
            trace(&bench, 2 * bench.edges - 1)?;
            bench.fall();
            // Read data returns in the next cycle.
            let u = &mut bench.uut;
            let x = buf.x;
            if let Some((t, d0)) = row_rd {
                for r in 0..R {
                    let ch = d0 + r;
                    u.u_data[r].next = word(Buffers::at(&x.u, d, l, t0 + t, ch));
                    u.delta_data[r].next = word(Buffers::at(&x.delta, d, l, t0 + t, ch));
                    let z = x.z.as_ref().map_or(0, |z| Buffers::at(z, d, l, t0 + t, ch));
                    u.z_data[r].next = word(z);
                    u.bias_data[r].next = word(Buffers::at(&x.delta_bias, d, 1, 0, ch));
                    u.skip_data[r].next = word(Buffers::at(&x.skip, d, 1, 0, ch));
                }
            }
            if let Some((t, n0)) = bc_rd {
                for c in 0..C {
                    u.b_data[c].next = word(Buffers::at(&x.b, n, l, t0 + t, n0 + c));
                    u.c_data[c].next = word(Buffers::at(&x.c, n, l, t0 + t, n0 + c));
                }
            }
            if let (Some((ch, n0)), Some(h0)) = (a2_rd, h0) {
                for (c, h) in h0.into_iter().enumerate() {
                    u.a2_data[c].next = word(Buffers::at(&x.a2, n, d, ch, n0 + c));
                    u.h0_data[c].next = word(h);
                }
            }
            for (r, v) in acc_rd.into_iter().enumerate() {
                if let Some(v) = v {
                    u.acc_rd_data[r].next = word(v);
                }
            }
        }
        hw_total += bench.uut.counters();
    }
    let sim_seconds = started.elapsed().as_secs_f64();
    Ok(ScanRun::finish(
        (l, d, n),
        lc,
        cfg,
        (buf.y, buf.state),
        hw_total,
        (sim_seconds, bench.edges),
    ))
}

/// Where two L×D results differ (reported as `y[t][d]`).
pub type ScanMismatches = crate::compare::Mismatches<i64>;

/// Bit-exact comparison of `got` against `want` (both L×D, D = `d`).
pub fn compare_scan(got: &[i64], want: &[i64], d: usize) -> Result<(), ScanMismatches> {
    crate::compare::compare_matrix("y", got, want, d)
}

/// Bit-exact comparison of two states (both D×N, N = `n`; reported as `h[d][n]`).
pub fn compare_state(got: &[i64], want: &[i64], n: usize) -> Result<(), ScanMismatches> {
    crate::compare::compare_matrix("h", got, want, n)
}
