//! Scan runs through the host interface of [`rtl::ssm::scan_system::ScanSystem`]:
//! every operand word goes in over the valid/ready write stream into the
//! block-RAM buffers, the core runs on its own buffers, and y comes back
//! over the valid/ready read stream — the path a host (DMA, soft CPU) uses.
//! The sequence runs in chunks of Lc tokens (at most 2^T, the buffers' depth):
//! a2, delta_bias and D are loaded once; per chunk the host loads the
//! chunk's u, delta, z, B and C, pulses `go` (with `resume` after the first
//! chunk, so each fold continues from the state the previous chunk saved)
//! and reads the chunk's y back; after the last chunk it reads the final
//! state. [`crate::scan::run_scan`] serves the core's buffer ports directly
//! instead; both must give the same y, state and core cycle count.

use crate::counters::Counters;
use crate::engine::EngineKind;
pub use crate::host::Beat;
use crate::host::System;
use crate::run_error::{ArrayMode, RunError};
use crate::scan::ScanRun;
use golden::ssm::fixed::FixedScanInputs;
use rtl::ssm::scan_system::{
    DefaultScanSystem, SCAN_CHANNEL_BITS, SCAN_CHUNK_BITS, SCAN_SYSTEM_ADDR_BITS,
};
use rtl::ssm::{ScanArray, MAX_DIM};
use std::time::Instant;

/// The longest chunk the default buffers hold: 2^T = 64 tokens.
pub const HOST_CHUNK: usize = 1 << SCAN_CHUNK_BITS;

/// Scan array shapes compiled with the host interface (the default buffer
/// configuration, [`DefaultScanSystem`]).
pub const SUPPORTED_HOST_ARRAYS: &[(usize, usize)] = &[(4, 4), (3, 2)];

/// The beats loaded once per sequence into an R×C system whose a2 and state
/// addresses have `d_bits` channel bits (S): delta_bias | D << 16 (buffer 1)
/// and a2 (buffer 3), zero-padded tiles.
pub fn constant_beats(x: &FixedScanInputs, r: usize, c: usize, d_bits: usize) -> Vec<Beat> {
    let (d, n) = (x.d, x.n);
    let (dt, nt) = (d.div_ceil(r), n.div_ceil(c));
    let w16 = |v: i64| (v as u64) & 0xFFFF;
    let mut beats = Vec::new();
    for ch in 0..dt * r {
        let at = |m: &[i64]| if ch < d { w16(m[ch]) } else { 0 };
        beats.push((
            1,
            (ch % r) as u64,
            (ch / r) as u64,
            at(&x.delta_bias) | (at(&x.skip) << 16),
        ));
        for s in 0..nt * c {
            let a2 = if ch < d && s < n {
                w16(x.a2[ch * n + s])
            } else {
                0
            };
            beats.push((3, (s % c) as u64, (((s / c) << d_bits) + ch) as u64, a2));
        }
    }
    beats
}

/// The beats of the chunk of `len` steps from `t0` into an R×C system whose
/// token-buffer addresses have `t_bits` time-step bits (T): u | delta << 16
/// | z << 32 (buffer 0) and B | C << 16 (buffer 2), zero-padded tiles, at
/// the chunk's own time steps 0 … len − 1.
pub fn chunk_beats(
    x: &FixedScanInputs,
    (t0, len): (usize, usize),
    r: usize,
    c: usize,
    t_bits: usize,
) -> Vec<Beat> {
    let (d, n) = (x.d, x.n);
    let (dt, nt) = (d.div_ceil(r), n.div_ceil(c));
    let w16 = |v: i64| (v as u64) & 0xFFFF;
    let mut beats = Vec::new();
    for t in 0..len {
        let row = t0 + t;
        for ch in 0..dt * r {
            let at = |m: &[i64]| if ch < d { w16(m[row * d + ch]) } else { 0 };
            let z = x.z.as_ref().map_or(0, |z| at(z));
            let word = at(&x.u) | (at(&x.delta) << 16) | (z << 32);
            beats.push((0, (ch % r) as u64, (((ch / r) << t_bits) + t) as u64, word));
        }
        for s in 0..nt * c {
            let at = |m: &[i64]| if s < n { w16(m[row * n + s]) } else { 0 };
            beats.push((
                2,
                (s % c) as u64,
                (((s / c) << t_bits) + t) as u64,
                at(&x.b) | (at(&x.c) << 16),
            ));
        }
    }
    beats
}

/// The scan through the host interface with the array `(R, C)` in chunks of
/// `chunk` steps (None: [`HOST_CHUNK`]). `ready_p` is the probability that
/// the host accepts an output word in a cycle (back-pressure on the read
/// stream); `seed` its pattern.
pub fn run_scan_hosted(
    x: &FixedScanInputs,
    array: (usize, usize),
    chunk: Option<usize>,
    (ready_p, seed): (f64, u64),
    engine: EngineKind,
) -> Result<ScanRun, RunError> {
    match array {
        (4, 4) => hosted::<4, 4>(x, chunk, (ready_p, seed), engine),
        (3, 2) => hosted::<3, 2>(x, chunk, (ready_p, seed), engine),
        (rows, cols) => Err(RunError::UnsupportedArray {
            mode: ArrayMode::Scan,
            rows,
            cols,
        }),
    }
}

fn hosted<const R: usize, const C: usize>(
    x: &FixedScanInputs,
    chunk: Option<usize>,
    (ready_p, seed): (f64, u64),
    engine: EngineKind,
) -> Result<ScanRun, RunError> {
    let (l, d, n) = (x.l, x.d, x.n);
    let (dt, nt) = (d.div_ceil(R), n.div_ceil(C));
    let lc = chunk.unwrap_or(HOST_CHUNK).min(l);
    let tiles = 1usize << (SCAN_SYSTEM_ADDR_BITS - SCAN_CHUNK_BITS);
    let (channels, state_tiles) = (
        1usize << SCAN_CHANNEL_BITS,
        1usize << (SCAN_SYSTEM_ADDR_BITS - SCAN_CHANNEL_BITS),
    );
    let fits = (1..=HOST_CHUNK).contains(&lc)
        && dt <= tiles
        && dt * R <= channels
        && nt <= tiles.min(state_tiles)
        && l <= MAX_DIM;
    if !fits {
        return Err(RunError::Shape(
            ArrayMode::Scan,
            format!(
                "L={l} D={d} N={n} in chunks of {lc} does not fit the buffers of the {R}x{C} \
             system: chunks of 1..={HOST_CHUNK} steps, L <= {MAX_DIM}, ⌈D/R⌉ <= {tiles}, \
             ⌈D/R⌉·R <= {channels}, ⌈N/C⌉ <= {}",
                tiles.min(state_tiles)
            ),
        ));
    }
    let mut rng = golden::rng::seeded(seed);
    let started = Instant::now();
    let mut sys = System::open::<DefaultScanSystem<R, C>>(engine)?;
    // Once: delta_bias, D and a2.
    sys.write_stream(constant_beats(x, R, C, SCAN_CHANNEL_BITS))
        .map_err(RunError::Sim)?;
    let cfg = ScanArray::new(R, C);
    let mut hw = Counters::default();
    let mut y = Vec::with_capacity(l * d);
    for t0 in (0..l).step_by(lc) {
        let len = lc.min(l - t0);
        // Load the chunk's rows, run it from the saved state, read its y.
        sys.write_stream(chunk_beats(x, (t0, len), R, C, SCAN_CHUNK_BITS))
            .map_err(RunError::Sim)?;
        for (name, v) in [
            ("dim_l", len as u64),
            ("dim_d", d as u64),
            ("dim_n", n as u64),
            ("softplus", u64::from(x.delta_softplus)),
            ("gate", u64::from(x.z.is_some())),
            ("resume", u64::from(t0 > 0)),
            ("out_state", 0),
        ] {
            sys.set(name, v).map_err(RunError::Sim)?;
        }
        let expected = cfg.cycles(len, d, n);
        sys.run_to_idle(4 * expected + 1000, "scan")
            .map_err(RunError::Sim)?;
        hw += sys.counters();
        y.extend(
            sys.read_stream(&mut rng, ready_p, len * d)
                .map_err(RunError::Sim)?
                .into_iter()
                .map(|w| i64::from(w as i32)),
        );
    }
    // The final state, D×N.
    sys.set("out_state", 1).map_err(RunError::Sim)?;
    let state = sys
        .read_stream(&mut rng, ready_p, d * n)
        .map_err(RunError::Sim)?
        .into_iter()
        .map(|w| i64::from(w as i32))
        .collect();
    let mut run = ScanRun::finish(
        (l, d, n),
        lc,
        cfg,
        (y, state),
        hw,
        (started.elapsed().as_secs_f64(), sys.edges),
    );
    run.engine = sys.engine();
    Ok(run)
}
