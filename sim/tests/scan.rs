//! Scan mode of the SSM accelerator, cycle-simulated: bit-exact against
//! `golden::ssm::fixed::selective_scan_fixed` on every output and on the
//! final state, whole or in chunks with the state carried; cycle counts
//! against the closed form, counters, back-pressure, VCD streaming.

use golden::ssm::fixed::{
    selective_scan_fixed, selective_scan_fixed_resume, FixedScanInputs, ScanUnits,
};
use golden::ssm::workload::scan_workload;
use rand::Rng;
use rtl::ssm::ScanArray;
use sim::scan::{compare_scan, compare_state, run_scan, run_scan_with, ScanOptions, ScanRun};
use sim::{ArrayMode, RunError};

mod common;
use common::{full_range, vectors};

fn reference(x: &FixedScanInputs) -> Vec<i64> {
    selective_scan_fixed(x, &ScanUnits::default())
}

/// y and the final state of the scan from `h0` (D×N; zeros when None).
fn reference_from(x: &FixedScanInputs, h0: Option<&[i64]>) -> (Vec<i64>, Vec<i64>) {
    let mut h = h0.map_or_else(|| vec![0; x.d * x.n], <[i64]>::to_vec);
    let y = selective_scan_fixed_resume(x, &ScanUnits::default(), &mut h);
    (y, h)
}

/// Run, compare y and the final state bit for bit, and check the counters
/// against the closed form.
fn run_and_check(x: &FixedScanInputs, array: (usize, usize)) -> ScanRun {
    run_chunked_and_check(x, array, None)
}

/// [`run_and_check`] in chunks of `chunk` steps (None: one job).
fn run_chunked_and_check(
    x: &FixedScanInputs,
    array: (usize, usize),
    chunk: Option<usize>,
) -> ScanRun {
    let opts = ScanOptions {
        chunk,
        ..Default::default()
    };
    let run = run_scan_with(x, array, opts).unwrap();
    let (want_y, want_h) = reference_from(x, None);
    let at = format!(
        "L={} D={} N={} on {array:?} in chunks of {chunk:?}",
        x.l, x.d, x.n
    );
    if let Err(e) = compare_scan(&run.y, &want_y, x.d) {
        panic!("{at}: {e}");
    }
    if let Err(e) = compare_state(&run.state, &want_h, x.n) {
        panic!("{at}: {e}");
    }
    let cfg = ScanArray::new(array.0, array.1);
    let lc = chunk.unwrap_or(x.l).min(x.l);
    assert_eq!(run.chunk, lc);
    assert_eq!(
        run.cycles,
        cfg.chunked_cycles(x.l, x.d, x.n, lc),
        "closed-form cycles, {at}"
    );
    assert_eq!(
        run.busy_pe_cycles,
        (x.l * x.d * x.n) as u64,
        "busy PE-cycles"
    );
    assert_eq!(run.stall_cycles, 0);
    run
}

fn workload(seed: u64, l: usize, d: usize, n: usize) -> FixedScanInputs {
    FixedScanInputs::quantize(&scan_workload(seed, l, d, n))
}

#[test]
fn bit_exact_on_the_committed_vector_sets() {
    for name in ["ssm-small", "ssm-plain", "ssm-edge"] {
        let x = vectors(name);
        for array in [(4, 4), (3, 2)] {
            run_and_check(&x, array);
        }
    }
}

#[test]
fn bit_exact_on_full_range_words_and_shapes_around_the_tile() {
    // L = 1; D below, at, past a multiple of R; N < C, = C, > C.
    let shapes = [
        (1, 4, 4),
        (1, 5, 7),
        (9, 3, 2),
        (6, 4, 4),
        (7, 9, 5),
        (5, 1, 1),
    ];
    for (i, &(l, d, n)) in shapes.iter().enumerate() {
        for (softplus, gate) in [(true, true), (false, false), (true, false)] {
            let x = full_range(100 + i as u64, l, d, n, softplus, gate);
            run_and_check(&x, (4, 4));
        }
    }
    for array in [(2, 2), (2, 3), (3, 2)] {
        let x = full_range(7, 5, 5, 7, true, true);
        run_and_check(&x, array);
    }
}

#[test]
fn bit_exact_on_realistic_workloads() {
    for (seed, l, d, n) in [(1, 20, 8, 16), (2, 33, 6, 3), (3, 3, 12, 5)] {
        run_and_check(&workload(seed, l, d, n), (4, 4));
    }
}

#[test]
fn delta_at_both_ends_of_its_range() {
    let mut x = full_range(9, 6, 4, 4, true, true);
    // Softplus underflow (x = −64: Δ = 0, dA = 1, dBu = 0) on channel 0;
    // saturation (x ≥ 4: Δ = 4 − 2^−16) on channel 1; x just below 0 on 2.
    for t in 0..x.l {
        x.delta[t * x.d] = -32768;
        x.delta[t * x.d + 1] = 32767;
        x.delta[t * x.d + 2] = -1;
    }
    x.delta_bias[..3].copy_from_slice(&[-32768, 32767, 0]);
    let run = run_and_check(&x, (4, 4));
    assert_eq!(run.y.len(), 24);
}

#[test]
fn a_planted_one_lsb_error_is_caught() {
    let x = vectors("ssm-small");
    let run = run_scan(&x, (4, 4)).unwrap();
    let want = reference(&x);
    assert!(compare_scan(&run.y, &want, x.d).is_ok());
    let mut planted = run.y.clone();
    planted[37] += 1;
    let e = compare_scan(&planted, &want, x.d).unwrap_err();
    assert_eq!(e.count, 1);
    assert_eq!(e.first[0].0, 37 / x.d);
    assert_eq!(e.first[0].1, 37 % x.d);
    // And a one-LSB change of one input word reaches the RTL's output.
    let mut x2 = x.clone();
    x2.b[5] += 1;
    let run2 = run_scan(&x2, (4, 4)).unwrap();
    assert!(compare_scan(&run2.y, &want, x.d).is_err());
}

#[test]
fn back_pressure_delays_but_does_not_change_a_bit() {
    let x = full_range(21, 7, 5, 6, true, true);
    let opts = ScanOptions {
        stall_probability: 0.3,
        seed: 5,
        ..Default::default()
    };
    let run = run_scan_with(&x, (3, 2), opts).unwrap();
    compare_scan(&run.y, &reference(&x), x.d).unwrap();
    let cfg = ScanArray::new(3, 2);
    assert!(run.stall_cycles > 0);
    assert_eq!(run.cycles, cfg.cycles(x.l, x.d, x.n) + run.stall_cycles);
    // In chunks, with the state carried: the drain timing does not depend
    // on the issue stream, so stalls cannot disturb it either.
    let opts = ScanOptions {
        stall_probability: 0.3,
        seed: 6,
        chunk: Some(3),
        ..Default::default()
    };
    let run = run_scan_with(&x, (3, 2), opts).unwrap();
    let (want_y, want_h) = reference_from(&x, None);
    compare_scan(&run.y, &want_y, x.d).unwrap();
    compare_state(&run.state, &want_h, x.n).unwrap();
    assert!(run.stall_cycles > 0);
    assert_eq!(
        run.cycles,
        cfg.chunked_cycles(x.l, x.d, x.n, 3) + run.stall_cycles
    );
}

#[test]
fn utilization_and_bubbles_follow_the_closed_form() {
    // L < R + 1: each fold period is K(R + 1) = 20 slots (the state
    // drain), K·L = 8 of them busy.
    let x = full_range(4, 2, 8, 8, true, false);
    let run = run_and_check(&x, (4, 4));
    let cfg = ScanArray::new(4, 4);
    assert_eq!(cfg.folds(8, 8), 2);
    assert_eq!(cfg.fold_period(2), 20);
    assert_eq!(run.bubble_cycles, 20 - 8);
    assert_eq!(run.bubble_cycles, cfg.bubble_cycles(2, 8, 8));
    // L ≫ R and D a multiple of the fold's K·R = 16 channels: nearly every
    // PE busy every cycle.
    let x = workload(5, 200, 32, 8);
    let run = run_and_check(&x, (4, 4));
    assert!(run.utilization > 0.95, "{}", run.utilization);
}

#[test]
fn unsupported_array_and_bad_shapes_are_errors() {
    let x = vectors("ssm-plain");
    assert_eq!(
        run_scan(&x, (5, 5)).unwrap_err(),
        RunError::UnsupportedArray {
            mode: ArrayMode::Scan,
            rows: 5,
            cols: 5
        }
    );
    let mut bad = x.clone();
    bad.u.pop();
    assert!(matches!(run_scan(&bad, (4, 4)), Err(RunError::Shape(..))));
}

#[test]
fn vcd_trace_streams_every_signal() {
    let x = full_range(3, 2, 2, 2, true, true);
    let mut vcd = Vec::new();
    let opts = ScanOptions {
        vcd: Some(&mut vcd),
        ..Default::default()
    };
    let run = run_scan_with(&x, (2, 2), opts).unwrap();
    compare_scan(&run.y, &reference(&x), x.d).unwrap();
    let text = String::from_utf8(vcd).unwrap();
    assert!(text.contains("$enddefinitions"));
    assert!(text.contains("y_wr_data"));
    // One timestamp per half cycle.
    assert!(text.matches("\n#").count() as u64 >= 2 * run.sim_edges - 2);
}

/// The default workload (L=256, D=128, N=16) on the default 4×4 array:
/// 32,839 cycles in one job, 33,052 in chunks of 64 (the host system's
/// schedule). `make scan-default` runs it in release mode.
#[test]
#[ignore = "long: run with `make scan-default`"]
fn default_workload_on_the_default_array() {
    use golden::ssm::workload::{DEFAULT_D, DEFAULT_L, DEFAULT_N};
    let x = workload(1, DEFAULT_L, DEFAULT_D, DEFAULT_N);
    for chunk in [None, Some(sim::scan_host::HOST_CHUNK)] {
        let run = run_chunked_and_check(&x, (4, 4), chunk);
        eprintln!(
            "default workload in chunks of {}: {} cycles, utilization {:.4}, {:.0} simulated cycles/s",
            run.chunk,
            run.cycles,
            run.utilization,
            run.sim_speed()
        );
    }
}

#[test]
fn the_host_interface_loads_runs_and_streams_y_back_bit_exactly() {
    use sim::engine::EngineKind;
    use sim::scan_host::run_scan_hosted;
    let sets = [
        (vectors("ssm-small"), (4, 4)),
        (vectors("ssm-plain"), (3, 2)),
        (full_range(31, 5, 7, 5, true, true), (4, 4)),
        (full_range(32, 1, 3, 3, false, false), (3, 2)),
    ];
    for (x, array) in sets {
        for chunk in [None, Some(3)] {
            let direct = run_chunked_and_check(&x, array, chunk);
            let hosted = run_scan_hosted(&x, array, chunk, (0.6, 9), EngineKind::Rust).unwrap();
            compare_scan(&hosted.y, &direct.y, x.d).unwrap();
            compare_state(&hosted.state, &direct.state, x.n).unwrap();
            assert_eq!(
                hosted.cycles, direct.cycles,
                "the buffers never stall the core"
            );
            assert_eq!(hosted.busy_pe_cycles, direct.busy_pe_cycles);
        }
    }
    // Chunks longer than the buffers (2^T = 64 tokens), or D past their
    // tiles, are refused before anything runs.
    let x = full_range(33, 70, 2, 2, true, true);
    let long = run_scan_hosted(&x, (4, 4), Some(65), (1.0, 0), EngineKind::Rust);
    assert!(matches!(long, Err(RunError::Shape(..))), "{long:?}");
    let x = full_range(34, 1, 260, 2, true, true);
    let wide = run_scan_hosted(&x, (4, 4), None, (1.0, 0), EngineKind::Rust);
    assert!(matches!(wide, Err(RunError::Shape(..))), "{wide:?}");
}

#[test]
fn chunked_runs_carry_the_state_bit_exactly() {
    // (L, D, N, Lc): L not a multiple of Lc, L = 1, Lc = 1, D below and
    // past a multiple of R, N < C, N > C; full-range (saturating) words.
    let cases = [
        (7, 5, 6, 3),
        (1, 4, 4, 1),
        (5, 3, 2, 1),
        (9, 6, 3, 4),
        (8, 9, 5, 8),
        (10, 4, 7, 6),
    ];
    for (i, &(l, d, n, lc)) in cases.iter().enumerate() {
        let x = full_range(200 + i as u64, l, d, n, i % 2 == 0, i % 3 != 2);
        run_chunked_and_check(&x, (4, 4), Some(lc));
    }
    run_chunked_and_check(&workload(6, 40, 8, 16), (4, 4), Some(16));
    let x = full_range(8, 7, 5, 7, true, true);
    for array in [(2, 2), (2, 3), (3, 2)] {
        run_chunked_and_check(&x, array, Some(2));
    }
}

/// Random 32-bit states, the extremes included.
fn full_range_state(seed: u64, d: usize, n: usize) -> Vec<i64> {
    let mut rng = golden::rng::seeded(seed);
    let mut h: Vec<i64> = (0..d * n).map(|_| i64::from(rng.gen::<i32>())).collect();
    h[0] = i64::from(i32::MAX);
    h[1] = i64::from(i32::MIN);
    h
}

#[test]
fn a_run_resumes_from_any_state() {
    let x = full_range(41, 6, 5, 6, true, true);
    let h0 = full_range_state(42, x.d, x.n);
    let (want_y, want_h) = reference_from(&x, Some(&h0));
    for chunk in [None, Some(4)] {
        let opts = ScanOptions {
            chunk,
            initial_state: Some(h0.clone()),
            ..Default::default()
        };
        let run = run_scan_with(&x, (4, 4), opts).unwrap();
        compare_scan(&run.y, &want_y, x.d).unwrap();
        compare_state(&run.state, &want_h, x.n).unwrap();
    }
    let bad = ScanOptions {
        initial_state: Some(vec![0; 3]),
        ..Default::default()
    };
    assert!(matches!(
        run_scan_with(&x, (4, 4), bad),
        Err(RunError::Shape(..))
    ));
}

#[test]
fn a_planted_one_lsb_error_in_the_carried_state_is_caught() {
    let x = workload(11, 12, 6, 5);
    let (want_y, want_h) = reference_from(&x, None);
    // The first 5 steps on the core, then the rest from the state they left.
    let first = run_scan(&x.steps(0, 5), (4, 4)).unwrap();
    let resume = |h0: Vec<i64>| {
        let opts = ScanOptions {
            initial_state: Some(h0),
            ..Default::default()
        };
        run_scan_with(&x.steps(5, 7), (4, 4), opts).unwrap()
    };
    let rest = resume(first.state.clone());
    let y: Vec<i64> = first.y.iter().chain(&rest.y).copied().collect();
    compare_scan(&y, &want_y, x.d).unwrap();
    compare_state(&rest.state, &want_h, x.n).unwrap();
    // One LSB (2^−20) off in one carried state word: the final state shows it.
    let mut planted = first.state.clone();
    planted[7] += 1;
    let rest = resume(planted);
    let e = compare_state(&rest.state, &want_h, x.n).unwrap_err();
    assert_eq!(e.first[0].0, 7 / x.n);
    assert_eq!(e.first[0].1, 7 % x.n);
    // And the comparison itself sees a one-LSB change of one state word.
    let mut h = rest.state.clone();
    h[3] ^= 1;
    assert_eq!(compare_state(&h, &rest.state, x.n).unwrap_err().count, 1);
}
