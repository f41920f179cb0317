//! GEMM runs through the host interface of [`rtl::ssm::gemm_system::GemmSystem`]:
//! A and B go in over the valid/ready write stream into the block-RAM
//! buffers, the core runs on its own buffers and accumulator, and C comes
//! back over the valid/ready read stream. [`crate::gemm::run_gemm`] serves
//! the core's ports directly; both must agree on C and on the cycle count.

use crate::engine::EngineKind;
use crate::gemm::GemmRun;
use crate::host::System;
use crate::run_error::{ArrayMode, RunError};
use rtl::ssm::gemm_system::{DefaultGemmSystem, GEMM_SYSTEM_ADDR_BITS, GEMM_SYSTEM_ROW_BITS};
use rtl::ssm::GemmConfig;
use std::time::Instant;

/// GEMM array shapes compiled with the host interface.
pub const SUPPORTED_GEMM_HOST_ARRAYS: &[(usize, usize)] = &[(8, 8), (3, 2)];

/// C = A·B through the host interface on the engine `engine`; `ready_p` is
/// the probability the host accepts an output word in a cycle.
#[allow(clippy::too_many_arguments)]
pub fn run_gemm_hosted(
    a: &[i8],
    b: &[i8],
    m: usize,
    k: usize,
    n: usize,
    array: (usize, usize),
    (ready_p, seed): (f64, u64),
    engine: EngineKind,
) -> Result<GemmRun, RunError> {
    let job = (a, b, m, k, n, ready_p, seed, engine);
    match array {
        (8, 8) => hosted::<8, 8>(job),
        (3, 2) => hosted::<3, 2>(job),
        (rows, cols) => Err(RunError::UnsupportedArray {
            mode: ArrayMode::Gemm,
            rows,
            cols,
        }),
    }
}

type Job<'a> = (
    &'a [i8],
    &'a [i8],
    usize,
    usize,
    usize,
    f64,
    u64,
    EngineKind,
);

/// Why an M×K·K×N GEMM does not fit the buffers of an R×C system with
/// `ab` address bits per bank and an `f`-bit row field (the layout of
/// [`rtl::ssm::gemm_system`]: M ≤ 2^f, KT·R ≤ 2^f, KT and NT ≤ 2^(ab−f)),
/// or `None` when it fits.
pub fn buffer_limit(
    (m, k, n): (usize, usize, usize),
    (r, c): (usize, usize),
    ab: usize,
    f: usize,
) -> Option<String> {
    let (kt, nt) = (k.div_ceil(r), n.div_ceil(c));
    let (rows, tiles) = (1usize << f, 1usize << (ab - f));
    let fits = [
        (
            m <= rows,
            format!("M = {m} exceeds {rows} (the 2^{f} rows of A and C)"),
        ),
        (
            kt * r <= rows,
            format!("K = {k} pads to {} rows of B, more than {rows}", kt * r),
        ),
        (
            kt <= tiles,
            format!("K = {k} needs {kt} tiles of {r}, more than {tiles}"),
        ),
        (
            nt <= tiles,
            format!("N = {n} needs {nt} tiles of {c}, more than {tiles}"),
        ),
    ];
    let why: Vec<String> = fits
        .into_iter()
        .filter(|(ok, _)| !ok)
        .map(|(_, why)| why)
        .collect();
    (!why.is_empty()).then(|| {
        format!(
            "{m}×{k}·{k}×{n} does not fit the buffers of the {r}x{c} GEMM system \
             (2^{ab} words per bank, {rows} rows × {tiles} tiles): {}",
            why.join("; ")
        )
    })
}

/// The write stream that loads A and B into the buffers of an R×C system
/// with an `f`-bit row field (zero-padded tiles: A to KT·R columns, B to
/// KT·R rows × NT·C columns; address ⌊column/R or C⌋·2^f + row): (is B,
/// bank, address, value) beats.
pub fn load_beats(
    a: &[i8],
    b: &[i8],
    (m, k, n): (usize, usize, usize),
    (r, c): (usize, usize),
    f: usize,
) -> Vec<(bool, usize, usize, i8)> {
    let (kt, nt) = (k.div_ceil(r), n.div_ceil(c));
    let mut beats = Vec::new();
    for row in 0..m {
        for col in 0..kt * r {
            let v = if col < k { a[row * k + col] } else { 0 };
            beats.push((false, col % r, ((col / r) << f) | row, v));
        }
    }
    for row in 0..kt * r {
        for col in 0..nt * c {
            let v = if row < k && col < n {
                b[row * n + col]
            } else {
                0
            };
            beats.push((true, col % c, ((col / c) << f) | row, v));
        }
    }
    beats
}

fn hosted<const R: usize, const C: usize>(job: Job<'_>) -> Result<GemmRun, RunError> {
    let (a, b, m, k, n, ready_p, seed, engine) = job;
    if a.len() != m * k || b.len() != k * n || m == 0 || k == 0 || n == 0 {
        return Err(RunError::Shape(
            ArrayMode::Gemm,
            format!("A, B are not {m}×{k}, {k}×{n}"),
        ));
    }
    if let Some(why) = buffer_limit(
        (m, k, n),
        (R, C),
        GEMM_SYSTEM_ADDR_BITS,
        GEMM_SYSTEM_ROW_BITS,
    ) {
        return Err(RunError::Shape(ArrayMode::Gemm, why));
    }
    let mut rng = golden::rng::seeded(seed);
    let started = Instant::now();
    let mut sys = System::open::<DefaultGemmSystem<R, C>>(engine)?;
    let beats = load_beats(a, b, (m, k, n), (R, C), GEMM_SYSTEM_ROW_BITS)
        .into_iter()
        .map(|(buf, bank, addr, v)| (u64::from(buf), bank as u64, addr as u64, u64::from(v as u8)));
    sys.write_stream(beats).map_err(RunError::Sim)?;
    for (name, v) in [("dim_m", m), ("dim_k", k), ("dim_n", n)] {
        sys.set(name, v as u64).map_err(RunError::Sim)?;
    }
    let cfg = GemmConfig::new(R, C);
    let expected = cfg.cycles(m, k, n);
    sys.run_to_idle(4 * expected + 1000, "GEMM")
        .map_err(RunError::Sim)?;
    let c = sys
        .read_stream(&mut rng, ready_p, m * n)
        .map_err(RunError::Sim)?
        .into_iter()
        .map(|w| w as i32)
        .collect();
    let mut run = GemmRun::finish(
        (m, k, n),
        cfg,
        c,
        sys.counters(),
        started.elapsed().as_secs_f64(),
        sys.edges,
    );
    run.engine = sys.engine();
    Ok(run)
}
