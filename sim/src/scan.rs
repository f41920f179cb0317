//! Cycle-accurate selective-scan runs on [`rtl::ssm::ScanCore`].
//!
//! [`run_scan`] loads the fixed-point inputs ([`FixedScanInputs`], the words
//! the hardware is loaded with) into modelled operand buffers, starts the
//! core, serves its read and write ports cycle by cycle and returns y and the
//! final state with the hardware performance counters. Buffers behave like
//! the scan system's block RAMs: a word comes back
//! [`BUFFER_READ_LATENCY`] cycles after its read, a read in the same cycle
//! as a write to the same word returns the old word; they hold zero-padded
//! tiles (reads past the matrix edges return zero, writes to padded rows
//! are dropped).
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

use crate::control;
use crate::counters::{CounterPorts, Counters};
use crate::engine::rust::RustEngine;
use crate::engine::{self, request, ClockPort, Engine, EngineError, EngineKind, In, Out};
use crate::run_error::{ArrayMode, RunError};
use golden::ssm::fixed::FixedScanInputs;
use rand::Rng as _;
use rtl::ssm::scan_core::BUFFER_READ_LATENCY;
use rtl::ssm::{ScanArray, ScanCore, MAX_DIM};
use std::collections::VecDeque;
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
    /// The engine that ran it (`rust`, `verilator`, `rust+verilator`).
    pub engine: &'static str,
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
            engine: "rust",
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
    /// The simulation engine (a VCD trace needs the rust engine).
    pub engine: EngineKind,
}

/// The scan on the simulated core with the array `(R, C)`.
pub fn run_scan(x: &FixedScanInputs, array: (usize, usize)) -> Result<ScanRun, RunError> {
    run_scan_with(x, array, ScanOptions::default())
}

/// [`run_scan`] with options (back-pressure, VCD trace, chunks, initial state).
pub fn run_scan_with(
    x: &FixedScanInputs,
    array: (usize, usize),
    opts: ScanOptions<'_>,
) -> Result<ScanRun, RunError> {
    // Checked before an engine is built (a Verilator model takes seconds).
    check_job(x, opts.chunk, opts.initial_state.as_deref())?;
    let (kind, vcd) = (opts.engine, opts.vcd);
    let mut e = match array {
        (4, 4) => open_core::<4, 4>(kind, vcd)?,
        (2, 2) => open_core::<2, 2>(kind, vcd)?,
        (2, 3) => open_core::<2, 3>(kind, vcd)?,
        (3, 2) => open_core::<3, 2>(kind, vcd)?,
        (rows, cols) => {
            return Err(RunError::UnsupportedArray {
                mode: ArrayMode::Scan,
                rows,
                cols,
            })
        }
    };
    drive(
        e.as_mut(),
        ScanArray::new(array.0, array.1),
        x,
        opts.chunk,
        opts.initial_state,
        (opts.stall_probability, opts.seed),
    )
}

/// The scan on an engine the caller opened for `array`'s [`ScanCore`] (a
/// recorder, a co-simulation of its own), in chunks of `chunk` steps.
pub fn run_scan_on(
    e: &mut dyn Engine,
    x: &FixedScanInputs,
    array: ScanArray,
    chunk: Option<usize>,
) -> Result<ScanRun, RunError> {
    check_job(x, chunk, None)?;
    drive(e, array, x, chunk, None, (0.0, 1))
}

/// The inputs' shape, the chunk length and the initial state's length.
fn check_job(
    x: &FixedScanInputs,
    chunk: Option<usize>,
    initial_state: Option<&[i64]>,
) -> Result<(), RunError> {
    check_shape(x)?;
    if chunk == Some(0) {
        return Err(RunError::Shape(ArrayMode::Scan, "chunks of 0 steps".into()));
    }
    if let Some(h) = initial_state {
        if h.len() != x.d * x.n {
            return Err(RunError::Shape(
                ArrayMode::Scan,
                format!(
                    "initial state has {} values, expected {}",
                    h.len(),
                    x.d * x.n
                ),
            ));
        }
    }
    Ok(())
}

fn check_shape(x: &FixedScanInputs) -> Result<(), RunError> {
    let (l, d, n) = (x.l, x.d, x.n);
    for (name, v) in [("L", l), ("D", d), ("N", n)] {
        if v == 0 || v > MAX_DIM {
            return Err(RunError::Shape(
                ArrayMode::Scan,
                format!("{name} = {v}, must be in 1..={MAX_DIM}"),
            ));
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
            return Err(RunError::Shape(
                ArrayMode::Scan,
                format!("{name} has {got} values, expected {want}"),
            ));
        }
    }
    Ok(())
}

/// The modelled operand buffers and result memories.
struct Buffers {
    /// y accumulator, Lc×D (64-bit Q.30), indexed by the chunk's own t.
    acc: Vec<i64>,
    /// y, L×D (Q16.16).
    y: Vec<i64>,
    /// The state, D×N (Q12.20): read as h0, written with the final states.
    state: Vec<i64>,
}

impl Buffers {
    /// Element (row, col) of a row-major `rows`×`cols` matrix, zero outside.
    fn at(m: &[i64], cols: usize, rows: usize, row: usize, col: usize) -> i64 {
        if row < rows && col < cols {
            m[row * cols + col]
        } else {
            0
        }
    }
}

/// The [`ScanCore`] ports in one engine's numbering.
struct Ports {
    clock: ClockPort,
    go: In,
    dims: [In; 3],
    softplus: In,
    gate: In,
    resume: In,
    stall: In,
    busy: Out,
    row_rd: (Out, Out, Out),
    u: Vec<In>,
    delta: Vec<In>,
    z: Vec<In>,
    bias: Vec<In>,
    skip: Vec<In>,
    bc_rd: (Out, Out, Out),
    b: Vec<In>,
    c: Vec<In>,
    a2_rd: (Out, Out, Out),
    a2: Vec<In>,
    h0: Vec<In>,
    st_wr: Vec<(Out, Out, Out)>,
    st_wr_data: Vec<Out>,
    acc_rd: Vec<(Out, Out, Out)>,
    acc_rd_data: Vec<In>,
    acc_wr: Vec<(Out, Out, Out)>,
    acc_wr_data: Vec<Out>,
    y_wr: Vec<(Out, Out, Out)>,
    y_wr_data: Vec<Out>,
    counters: CounterPorts,
}

impl Ports {
    fn of(e: &dyn Engine, r: usize, c: usize) -> Result<Self, EngineError> {
        let p = e.ports();
        let req = |x: &str, i: &str, j: &str| -> Result<(Out, Out, Out), EngineError> {
            Ok((p.output(x)?, p.output(i)?, p.output(j)?))
        };
        let reqs =
            |n: usize, x: &str, i: &str, j: &str| -> Result<Vec<(Out, Out, Out)>, EngineError> {
                (0..n)
                    .map(|k| {
                        req(
                            &format!("{x}${k}"),
                            &format!("{i}${k}"),
                            &format!("{j}${k}"),
                        )
                    })
                    .collect()
            };
        Ok(Self {
            clock: ClockPort::of(e)?,
            go: p.input("go")?,
            dims: [p.input("dim_l")?, p.input("dim_d")?, p.input("dim_n")?],
            softplus: p.input("softplus")?,
            gate: p.input("gate")?,
            resume: p.input("resume")?,
            stall: p.input("stall")?,
            busy: p.output("busy")?,
            row_rd: req("rd_en", "rd_t", "rd_d0")?,
            u: p.inputs("u_data", r)?,
            delta: p.inputs("delta_data", r)?,
            z: p.inputs("z_data", r)?,
            bias: p.inputs("bias_data", r)?,
            skip: p.inputs("skip_data", r)?,
            bc_rd: req("bc_rd_en", "bc_rd_t", "bc_rd_n0")?,
            b: p.inputs("b_data", c)?,
            c: p.inputs("c_data", c)?,
            a2_rd: req("a2_rd_en", "a2_rd_d", "a2_rd_n0")?,
            a2: p.inputs("a2_data", c)?,
            h0: p.inputs("h0_data", c)?,
            st_wr: reqs(c, "st_wr_en", "st_wr_d", "st_wr_n0")?,
            st_wr_data: p.outputs("st_wr_data", c)?,
            acc_rd: reqs(r, "acc_rd_en", "acc_rd_t", "acc_rd_d0")?,
            acc_rd_data: p.inputs("acc_rd_data", r)?,
            acc_wr: reqs(r, "acc_wr_en", "acc_wr_t", "acc_wr_d0")?,
            acc_wr_data: p.outputs("acc_wr_data", r)?,
            y_wr: reqs(r, "y_wr_en", "y_wr_t", "y_wr_d0")?,
            y_wr_data: p.outputs("y_wr_data", r)?,
            counters: CounterPorts::of(e)?,
        })
    }
}

/// Two's complement `v` as a port word (the engine masks it to the port's width).
fn word(v: i64) -> u64 {
    v as u64
}

/// Open the engine for `ScanCore<R, C>`, tracing to `vcd` if given (rust engine only).
fn open_core<'a, const R: usize, const C: usize>(
    kind: EngineKind,
    vcd: Option<&'a mut dyn Write>,
) -> Result<Box<dyn Engine + 'a>, RunError> {
    match vcd {
        None => Ok(engine::open::<ScanCore<R, C>>(kind)?),
        Some(_) if kind != EngineKind::Rust => Err(RunError::Sim(
            "VCD traces are written by the rust engine only".into(),
        )),
        Some(w) => {
            let mut e = RustEngine::<ScanCore<R, C>>::new()?;
            e.trace_to(Box::new(w));
            Ok(Box::new(e))
        }
    }
}

/// Serve the core's buffer ports on `e` (an R×C [`ScanCore`]) chunk by chunk.
fn drive(
    e: &mut dyn Engine,
    cfg: ScanArray,
    x: &FixedScanInputs,
    chunk: Option<usize>,
    initial_state: Option<Vec<i64>>,
    (stall_probability, seed): (f64, u64),
) -> Result<ScanRun, RunError> {
    let (l, d, n) = (x.l, x.d, x.n);
    let lc = chunk.unwrap_or(l).min(l);
    let resume_first = initial_state.is_some();
    let mut buf = Buffers {
        acc: vec![0; lc * d],
        y: vec![0; l * d],
        state: initial_state.unwrap_or_else(|| vec![0; d * n]),
    };
    let mut rng = golden::rng::seeded(seed);
    let p_stall = stall_probability.clamp(0.0, 0.99);
    let started = Instant::now();
    let p = Ports::of(e, cfg.rows, cfg.cols)?;
    let expected_total = cfg.chunked_cycles(l, d, n, lc);
    let mut cycles = 0u64;
    let mut hw_total = Counters::default();
    // Words on their way back from the buffers, oldest first: the reads of
    // the last BUFFER_READ_LATENCY − 1 cycles (empty when there were none).
    // A list that has come back is cleared and filled again (`spare`), so
    // the cycle loop does not allocate.
    let mut in_flight: VecDeque<Vec<(In, i64)>> =
        (1..BUFFER_READ_LATENCY).map(|_| Vec::new()).collect();
    let mut spare = Vec::new();
    // One core job per chunk of Lc steps: t0 is the chunk's first step.
    for t0 in (0..l).step_by(lc) {
        let len = lc.min(l - t0);
        for (port, v) in p.dims.iter().zip([len, d, n]) {
            e.set(*port, v as u64);
        }
        e.set(p.softplus, u64::from(x.delta_softplus));
        e.set(p.gate, u64::from(x.z.is_some()));
        e.set(p.resume, u64::from(t0 > 0 || resume_first));
        e.set(p.go, 1);
        e.eval()?;
        p.clock.rise(e)?;
        cycles += 1;
        e.set(p.go, 0);

        let expected = cfg.cycles(len, d, n);
        let limit = cycles + ((expected as f64) / (1.0 - p_stall) * 4.0) as u64 + 1000;
        let mut busy_seen = false;
        loop {
            e.set(p.stall, u64::from(p_stall > 0.0 && rng.gen_bool(p_stall)));
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
            control::cycle_checkpoint(cycles, expected_total, started)
                .map_err(|s| RunError::Stopped { cycles: s.cycles })?;
            // This cycle's reads, of the memories before this cycle's writes.
            let mut words = std::mem::take(&mut spare);
            if let Some((t, d0)) = request(e, p.row_rd) {
                for r in 0..cfg.rows {
                    let ch = d0 + r;
                    let z = x.z.as_ref().map_or(0, |z| Buffers::at(z, d, l, t0 + t, ch));
                    words.extend([
                        (p.u[r], Buffers::at(&x.u, d, l, t0 + t, ch)),
                        (p.delta[r], Buffers::at(&x.delta, d, l, t0 + t, ch)),
                        (p.z[r], z),
                        (p.bias[r], Buffers::at(&x.delta_bias, d, 1, 0, ch)),
                        (p.skip[r], Buffers::at(&x.skip, d, 1, 0, ch)),
                    ]);
                }
            }
            if let Some((t, n0)) = request(e, p.bc_rd) {
                for c in 0..cfg.cols {
                    words.push((p.b[c], Buffers::at(&x.b, n, l, t0 + t, n0 + c)));
                    words.push((p.c[c], Buffers::at(&x.c, n, l, t0 + t, n0 + c)));
                }
            }
            if let Some((ch, n0)) = request(e, p.a2_rd) {
                for c in 0..cfg.cols {
                    words.push((p.a2[c], Buffers::at(&x.a2, n, d, ch, n0 + c)));
                    words.push((p.h0[c], Buffers::at(&buf.state, n, d, ch, n0 + c)));
                }
            }
            for r in 0..cfg.rows {
                if let Some((t, d0)) = request(e, p.acc_rd[r]) {
                    words.push((p.acc_rd_data[r], Buffers::at(&buf.acc, d, len, t, d0 + r)));
                }
            }
            in_flight.push_back(words);
            for r in 0..cfg.rows {
                if let Some((t, d0)) = request(e, p.acc_wr[r]) {
                    if t < len && d0 + r < d {
                        buf.acc[t * d + d0 + r] = e.get(p.acc_wr_data[r]) as i64;
                    }
                }
                if let Some((t, d0)) = request(e, p.y_wr[r]) {
                    if t < len && d0 + r < d {
                        buf.y[(t0 + t) * d + d0 + r] =
                            i64::from(e.get(p.y_wr_data[r]) as u32 as i32);
                    }
                }
            }
            for c in 0..cfg.cols {
                if let Some((ch, n0)) = request(e, p.st_wr[c]) {
                    if ch < d && n0 + c < n {
                        buf.state[ch * n + n0 + c] =
                            i64::from(e.get(p.st_wr_data[c]) as u32 as i32);
                    }
                }
            }
            p.clock.rise(e)?;
            cycles += 1;
            // The words read BUFFER_READ_LATENCY cycles ago.
            let mut back = in_flight.pop_front().expect("a word list per cycle");
            for &(port, v) in &back {
                e.set(port, word(v));
            }
            back.clear();
            spare = back;
        }
        hw_total += p.counters.read(e);
    }
    let sim_seconds = started.elapsed().as_secs_f64();
    let mut run = ScanRun::finish(
        (l, d, n),
        lc,
        cfg,
        (buf.y, buf.state),
        hw_total,
        (sim_seconds, cycles),
    );
    run.engine = e.kind();
    Ok(run)
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
