//! GEMM runs through the host interface of [`rtl::ssm::gemm_system::GemmSystem`]:
//! A and B go in over the valid/ready write stream into the block-RAM
//! buffers, the core runs on its own buffers and accumulator, and C comes
//! back over the valid/ready read stream. [`crate::gemm::run_gemm`] serves
//! the core's ports directly; both must agree on C and on the cycle count.

use crate::engine::EngineKind;
use crate::gemm::GemmRun;
use crate::host::System;
use crate::run_error::{ArrayMode, RunError};
use rtl::ssm::gemm_system::GemmSystem;
use rtl::ssm::GemmConfig;
use std::time::Instant;

/// Address bits per buffer bank.
pub const GEMM_BANK_ADDR_BITS: usize = 12;

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

/// The write stream that loads A and B into the buffers of an R×C system
/// (zero-padded tiles: A to KT·R columns, B to KT·R rows × NT·C columns):
/// (is B, bank, address, value) beats.
pub fn load_beats(
    a: &[i8],
    b: &[i8],
    m: usize,
    k: usize,
    n: usize,
    r: usize,
    c: usize,
) -> Vec<(bool, usize, usize, i8)> {
    let (kt, nt) = (k.div_ceil(r), n.div_ceil(c));
    let mut beats = Vec::new();
    for row in 0..m {
        for col in 0..kt * r {
            let v = if col < k { a[row * k + col] } else { 0 };
            beats.push((false, col % r, row * kt + col / r, v));
        }
    }
    for row in 0..kt * r {
        for col in 0..nt * c {
            let v = if row < k && col < n {
                b[row * n + col]
            } else {
                0
            };
            beats.push((true, col % c, row * nt + col / c, v));
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
    let (kt, nt) = (k.div_ceil(R), n.div_ceil(C));
    let words = 1usize << GEMM_BANK_ADDR_BITS;
    if m * kt > words || kt * R * nt > words || m * nt > words {
        return Err(RunError::Shape(
            ArrayMode::Gemm,
            format!("{m}×{k}·{k}×{n} needs more than {words} words per buffer bank on {R}x{C}"),
        ));
    }
    let mut rng = golden::rng::seeded(seed);
    let started = Instant::now();
    let mut sys = System::open::<GemmSystem<R, C, GEMM_BANK_ADDR_BITS>>(engine)?;
    let beats = load_beats(a, b, m, k, n, R, C)
        .into_iter()
        .map(|(buf, bank, addr, v)| (u64::from(buf), bank as u64, addr as u64, u64::from(v as u8)));
    sys.write_stream(beats).map_err(RunError::Sim)?;
    for (name, v) in [
        ("dim_m", m),
        ("dim_k", k),
        ("dim_n", n),
        ("dim_kt", kt),
        ("dim_nt", nt),
    ] {
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
