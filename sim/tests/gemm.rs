//! GEMM mode of the SSM accelerator's PE array, cycle-simulated:
//! bit-exact against the integer reference, cycle counts against the closed
//! form, counters, back-pressure, and the utilization figures.

use golden::ssm::block::gemm_i8;
use rand::Rng;
use rtl::ssm::GemmConfig;
mod common;
use common::random_matrix;
use sim::gemm::{compare_exact, run_gemm, run_gemm_with, GemmOptions, GemmRun};
use sim::{ArrayMode, RunError};

/// Run, compare bit for bit, and check every counter against the closed form.
fn run_and_check(
    a: &[i8],
    b: &[i8],
    m: usize,
    k: usize,
    n: usize,
    array: (usize, usize),
) -> GemmRun {
    let run = run_gemm(a, b, m, k, n, array).unwrap();
    let want = gemm_i8(a, b, m, k, n);
    if let Err(e) = compare_exact(&run.c, &want, n) {
        panic!("{m}x{k}x{n} on {array:?}: {e}");
    }
    let cfg = GemmConfig::new(array.0, array.1);
    assert_eq!(
        run.cycles,
        cfg.cycles(m, k, n),
        "cycles, {m}x{k}x{n} on {array:?}"
    );
    assert_eq!(run.cycles, run.expected_cycles);
    assert_eq!(run.busy_pe_cycles, (m * k * n) as u64, "useful MACs");
    assert_eq!(run.stall_cycles, 0);
    assert_eq!(run.bubble_cycles, cfg.bubble_cycles(m, k, n), "bubbles");
    run
}

#[test]
fn bit_exact_on_random_shapes_small_arrays() {
    let mut rng = golden::rng::seeded(0x6e33);
    for array in [(2, 3), (3, 2), (4, 4)] {
        for _ in 0..8 {
            let (m, k, n) = (
                rng.gen_range(1..=13),
                rng.gen_range(1..=13),
                rng.gen_range(1..=13),
            );
            let a = random_matrix(&mut rng, m * k);
            let b = random_matrix(&mut rng, k * n);
            run_and_check(&a, &b, m, k, n, array);
        }
    }
}

/// On two or three PE rows a fold period of max(M, R) would be under 4
/// cycles for M ≤ 3, less than the 4 the accumulator needs between a row's
/// read and the next fold's (it reads a row three cycles before writing it
/// back): the core stretches such periods to 4, and the closed form counts
/// them so.
#[test]
fn two_row_arrays_space_the_folds_of_short_jobs() {
    let mut rng = golden::rng::seeded(0x2e0);
    for array in [(2, 3), (3, 2)] {
        for (m, k, n) in [(1, 7, 5), (2, 9, 4), (2, 2, 7), (3, 5, 3), (4, 6, 3)] {
            let a = random_matrix(&mut rng, m * k);
            let b = random_matrix(&mut rng, k * n);
            let run = run_and_check(&a, &b, m, k, n, array);
            let cfg = GemmConfig::new(array.0, array.1);
            assert_eq!(cfg.fold_period(m), m.max(4) as u64, "{m}x{k}x{n}");
            assert_eq!(
                run.bubble_cycles,
                (cfg.folds(k, n) - 1) * (4 - m.min(4)) as u64
            );
        }
    }
}

#[test]
fn bit_exact_on_random_shapes_default_array() {
    let mut rng = golden::rng::seeded(0x88);
    // Shapes around the 8×8 tile: below, at, and past multiples of R and C.
    let shapes = [(1, 1, 1), (8, 8, 8), (7, 9, 17), (13, 16, 5), (20, 3, 11)];
    for (m, k, n) in shapes {
        let a = random_matrix(&mut rng, m * k);
        let b = random_matrix(&mut rng, k * n);
        run_and_check(&a, &b, m, k, n, (8, 8));
    }
}

#[test]
fn bit_exact_on_the_16x16_array() {
    let mut rng = golden::rng::seeded(16);
    let (m, k, n) = (18, 20, 17);
    let a = random_matrix(&mut rng, m * k);
    let b = random_matrix(&mut rng, k * n);
    run_and_check(&a, &b, m, k, n, (16, 16));
}

#[test]
fn zero_matrices() {
    let (m, k, n) = (9, 11, 10);
    let zeros_a = vec![0i8; m * k];
    let zeros_b = vec![0i8; k * n];
    let mut rng = golden::rng::seeded(3);
    let a = random_matrix(&mut rng, m * k);
    let b = random_matrix(&mut rng, k * n);
    for array in [(8, 8), (3, 2)] {
        assert!(run_and_check(&zeros_a, &b, m, k, n, array)
            .c
            .iter()
            .all(|&x| x == 0));
        assert!(run_and_check(&a, &zeros_b, m, k, n, array)
            .c
            .iter()
            .all(|&x| x == 0));
    }
}

#[test]
fn int8_extremes() {
    // All −128 · −128 over a long reduction: every output is K·2^14.
    let (m, k, n) = (9, 100, 10);
    let a = vec![-128i8; m * k];
    let b = vec![-128i8; k * n];
    let run = run_and_check(&a, &b, m, k, n, (8, 8));
    assert!(run.c.iter().all(|&x| x == 100 * 16384));
    // 127 against −128, and a random mix of only the extremes.
    let a = vec![127i8; m * k];
    let run = run_and_check(&a, &b, m, k, n, (4, 4));
    assert!(run.c.iter().all(|&x| x == -100 * 16256));
    let mut rng = golden::rng::seeded(127);
    let ext = [-128i8, -127, 127, 0, -1, 1];
    let (m, k, n) = (11, 37, 13);
    let a: Vec<i8> = (0..m * k)
        .map(|_| ext[rng.gen_range(0..ext.len())])
        .collect();
    let b: Vec<i8> = (0..k * n)
        .map(|_| ext[rng.gen_range(0..ext.len())])
        .collect();
    run_and_check(&a, &b, m, k, n, (8, 8));
    run_and_check(&a, &b, m, k, n, (2, 3));
}

/// A check that cannot fail is not a check: one flipped LSB is reported,
/// with its position and both values.
#[test]
fn planted_one_lsb_error_is_caught() {
    let mut rng = golden::rng::seeded(42);
    let (m, k, n) = (6, 10, 7);
    let a = random_matrix(&mut rng, m * k);
    let b = random_matrix(&mut rng, k * n);
    let run = run_gemm(&a, &b, m, k, n, (4, 4)).unwrap();
    let want = gemm_i8(&a, &b, m, k, n);
    assert_eq!(compare_exact(&run.c, &want, n), Ok(()));
    let mut planted = run.c.clone();
    let (row, col) = (4, 5);
    planted[row * n + col] ^= 1;
    let err = compare_exact(&planted, &want, n).unwrap_err();
    assert_eq!(err.count, 1);
    assert_eq!(
        err.first,
        vec![(row, col, want[row * n + col] ^ 1, want[row * n + col])]
    );
    eprintln!("planted error reported as: {err}");
    // End to end: the hardware fed one input off by one LSB is caught too,
    // and only in the row that input touches.
    let mut a_planted = a.clone();
    a_planted[0] ^= 1;
    let mut b_nonzero = b.clone();
    for x in b_nonzero.iter_mut().take(n) {
        if *x == 0 {
            *x = 1;
        }
    }
    let want = gemm_i8(&a, &b_nonzero, m, k, n);
    let run = run_gemm(&a_planted, &b_nonzero, m, k, n, (4, 4)).unwrap();
    let err = compare_exact(&run.c, &want, n).unwrap_err();
    assert_eq!(err.count, n, "every element of row 0 moves by ±B[0][j] ≠ 0");
    assert!(err.first.iter().all(|&(row, ..)| row == 0));
}

#[test]
fn cycles_equal_the_closed_form_on_random_shapes() {
    let mut rng = golden::rng::seeded(0xc1c1e5);
    for array in [(2, 3), (3, 2), (4, 4), (8, 8)] {
        let cases = if array == (8, 8) { 4 } else { 6 };
        for _ in 0..cases {
            let (m, k, n) = (
                rng.gen_range(1..=24),
                rng.gen_range(1..=24),
                rng.gen_range(1..=24),
            );
            let a = random_matrix(&mut rng, m * k);
            let b = random_matrix(&mut rng, k * n);
            let run = run_and_check(&a, &b, m, k, n, array);
            let cfg = GemmConfig::new(array.0, array.1);
            let (r, c, f) = (array.0 as u64, array.1 as u64, cfg.folds(k, n));
            // P = max(M, R, 4): the 4 binds on two or three rows only.
            let p = (m as u64).max(r).max(4);
            // + 7: scratchpad read, three product registers, the bottom
            // PE's output register, the registered sum and its write.
            assert_eq!(run.cycles, (2 * r + c + m as u64 - 2) + (f - 1) * p + 7);
        }
    }
}

/// Scratchpad back-pressure freezes only the issue stream: results stay exact
/// and every stalled cycle costs exactly one cycle.
#[test]
fn random_stalls_keep_results_exact() {
    let mut rng = golden::rng::seeded(0x57a11);
    for (array, (m, k, n)) in [
        ((4, 4), (9, 13, 10)),
        ((8, 8), (5, 17, 12)),
        ((3, 2), (2, 7, 5)),
    ] {
        let a = random_matrix(&mut rng, m * k);
        let b = random_matrix(&mut rng, k * n);
        let opts = GemmOptions {
            stall_probability: 0.3,
            seed: rng.gen(),
            ..GemmOptions::default()
        };
        let run = run_gemm_with(&a, &b, m, k, n, array, &opts).unwrap();
        let want = gemm_i8(&a, &b, m, k, n);
        compare_exact(&run.c, &want, n).unwrap();
        assert!(run.stall_cycles > 0, "stalls were injected");
        assert_eq!(run.cycles, run.expected_cycles + run.stall_cycles);
        assert_eq!(run.busy_pe_cycles, (m * k * n) as u64);
    }
}

/// Utilization for M = 4R, 8R on the default 8×8 array, printed as a table.
/// Rerun with: cargo test -p sim --test gemm utilization -- --nocapture
#[test]
fn utilization_for_m_at_least_4r() {
    let (r, c) = (8, 8);
    let cfg = GemmConfig::new(r, c);
    let mut rng = golden::rng::seeded(4);
    eprintln!("array {r}x{c}:       M    K    N  folds  cycles  closed  util   (sim cycles/s)");
    let shapes = [
        (4 * r, r, c),         // one fold: fill and drain dominate
        (4 * r, 4 * r, 2 * c), // 8 folds
        (4 * r, 8 * r, 8 * c), // 64 folds
        (8 * r, 8 * r, 4 * c), // 32 folds
        (4 * r + 3, 61, 45),   // ragged edges: padded tiles do no useful work
    ];
    let mut best_speed: f64 = 0.0;
    for (m, k, n) in shapes {
        let a = random_matrix(&mut rng, m * k);
        let b = random_matrix(&mut rng, k * n);
        let run = run_and_check(&a, &b, m, k, n, (r, c));
        best_speed = best_speed.max(run.sim_speed());
        eprintln!(
            "             {m:5} {k:4} {n:4} {:6} {:7} {:7} {:5.1}%  ({:.0})",
            cfg.folds(k, n),
            run.cycles,
            cfg.cycles(m, k, n),
            100.0 * run.utilization,
            run.sim_speed()
        );
        assert!((run.utilization - cfg.predicted_utilization(m, k, n)).abs() < 1e-12);
        // ≥ 85 % once the fill/drain (2R + C + 1 cycles) is amortized over ≥ 8 folds.
        if m >= 4 * r && k % r == 0 && n % c == 0 && cfg.folds(k, n) >= 8 {
            assert!(run.utilization >= 0.85, "{m}x{k}x{n}: {}", run.utilization);
        }
    }
    eprintln!("simulation speed (8x8, best of the runs above): {best_speed:.0} cycles/s");
    // DESIGN.md's reference point, from the closed form (which the tests above
    // hold the simulation to): 256×256×64 on 16×16.
    let g = GemmConfig::new(16, 16);
    let macs = GemmConfig::useful_macs(256, 256, 64);
    eprintln!(
        "16x16, M=256 K=256 N=64 (closed form): double-buffered {:.1}%, without overlap {:.1}%",
        100.0 * g.predicted_utilization(256, 256, 64),
        100.0 * g.utilization(macs, g.unbuffered_cycles(256, 256, 64))
    );
}

#[test]
fn unsupported_arrays_and_bad_shapes_are_errors() {
    let a = vec![1i8; 4];
    let b = vec![1i8; 4];
    assert_eq!(
        run_gemm(&a, &b, 2, 2, 2, (5, 7)),
        Err(RunError::UnsupportedArray {
            mode: ArrayMode::Gemm,
            rows: 5,
            cols: 7
        })
    );
    assert!(matches!(
        run_gemm(&a, &b, 2, 2, 2, (1, 8)),
        Err(RunError::UnsupportedArray { .. })
    ));
    assert!(matches!(
        run_gemm(&a, &b, 3, 2, 2, (8, 8)),
        Err(RunError::Shape(..))
    ));
    assert!(matches!(
        run_gemm(&a, &b, 2, 2, 3, (8, 8)),
        Err(RunError::Shape(..))
    ));
    assert!(matches!(
        run_gemm(&[], &[], 0, 1, 1, (8, 8)),
        Err(RunError::Shape(..))
    ));
    let big = 40_000;
    let a = vec![0i8; big];
    let b = vec![0i8; big];
    assert!(matches!(
        run_gemm(&a, &b, 1, big, 1, (8, 8)),
        Err(RunError::Shape(..))
    ));
    // The message names the supported shapes.
    let msg = RunError::UnsupportedArray {
        mode: ArrayMode::Gemm,
        rows: 5,
        cols: 7,
    }
    .to_string();
    assert!(msg.contains("8x8") && msg.contains("5x7"), "{msg}");
}

#[test]
fn the_host_interface_loads_runs_and_streams_c_back_bit_exactly() {
    use sim::engine::EngineKind;
    use sim::gemm_host::run_gemm_hosted;
    let mut rng = golden::rng::seeded(0x405);
    for (array, (m, k, n)) in [
        ((8, 8), (9, 13, 17)),
        ((3, 2), (5, 7, 4)),
        ((8, 8), (1, 1, 1)),
    ] {
        let a = random_matrix(&mut rng, m * k);
        let b = random_matrix(&mut rng, k * n);
        let direct = run_and_check(&a, &b, m, k, n, array);
        let hosted = run_gemm_hosted(&a, &b, m, k, n, array, (0.6, 4), EngineKind::Rust).unwrap();
        compare_exact(&hosted.c, &gemm_i8(&a, &b, m, k, n), n).unwrap();
        assert_eq!(
            hosted.cycles, direct.cycles,
            "the buffers never stall the core"
        );
        assert_eq!(hosted.busy_pe_cycles, direct.busy_pe_cycles);
    }
}

/// The system's buffers hold M ≤ 256 rows and 16 tiles of K and of N on
/// 8×8 (2^12 words per bank, an 8-bit row field): the largest job runs, a
/// larger one is an error that names the dimension.
#[test]
fn the_host_interface_takes_the_buffer_limits_and_names_what_exceeds_them() {
    use sim::engine::EngineKind;
    use sim::gemm_host::{buffer_limit, run_gemm_hosted};
    let layout = (12, 8);
    assert_eq!(
        buffer_limit((256, 128, 128), (8, 8), layout.0, layout.1),
        None
    );
    for (shape, names) in [
        ((257, 8, 8), "M = 257 exceeds 256"),
        ((8, 129, 8), "K = 129 needs 17 tiles of 8, more than 16"),
        ((8, 8, 129), "N = 129 needs 17 tiles of 8, more than 16"),
    ] {
        let why = buffer_limit(shape, (8, 8), layout.0, layout.1).unwrap();
        assert!(why.contains(names) && why.contains("8x8"), "{why}");
    }
    // K on 3 rows: 49 pads to 51 ≤ 2^6 rows of B but needs 17 > 2^(10−6)
    // tiles of A; with a 5-bit row field, 34 needs 12 tiles but 36 rows.
    let why = buffer_limit((4, 49, 4), (3, 2), 10, 6).unwrap();
    assert!(
        why.ends_with("K = 49 needs 17 tiles of 3, more than 16"),
        "{why}"
    );
    let why = buffer_limit((4, 34, 4), (3, 2), 10, 5).unwrap();
    assert!(
        why.ends_with("K = 34 pads to 36 rows of B, more than 32"),
        "{why}"
    );
    let (m, k, n) = (257, 2, 2);
    let a = vec![1i8; m * k];
    let b = vec![1i8; k * n];
    let err = run_gemm_hosted(&a, &b, m, k, n, (8, 8), (1.0, 1), EngineKind::Rust).unwrap_err();
    assert!(
        matches!(&err, RunError::Shape(ArrayMode::Gemm, why) if why.contains("M = 257")),
        "{err}"
    );
}
