//! Scan mode of the SSM accelerator, cycle-simulated: bit-exact against
//! `golden::ssm::fixed::selective_scan_fixed` on every output, cycle counts
//! against the closed form, counters, back-pressure, VCD streaming.

use golden::ssm::fixed::{selective_scan_fixed, FixedScanInputs, ScanUnits};
use golden::ssm::workload::scan_workload;
use golden::ssm::ScanInputs;
use rand::Rng;
use rtl::ssm::ScanArray;
use sim::scan::{compare_scan, run_scan, run_scan_with, ScanError, ScanOptions, ScanRun};
use std::path::Path;

fn reference(x: &FixedScanInputs) -> Vec<i64> {
    selective_scan_fixed(x, &ScanUnits::default())
}

/// Run, compare bit for bit, and check the counters against the closed form.
fn run_and_check(x: &FixedScanInputs, array: (usize, usize)) -> ScanRun {
    let run = run_scan(x, array).unwrap();
    if let Err(e) = compare_scan(&run.y, &reference(x), x.d) {
        panic!("L={} D={} N={} on {array:?}: {e}", x.l, x.d, x.n);
    }
    let cfg = ScanArray::new(array.0, array.1);
    assert_eq!(run.cycles, cfg.cycles(x.l, x.d, x.n), "closed-form cycles");
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

fn vectors(name: &str) -> FixedScanInputs {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../golden/vectors")
        .join(name);
    FixedScanInputs::quantize(&ScanInputs::load(&dir).unwrap())
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

/// Fixed-point words drawn over the whole of each format: saturating u, B,
/// C, z, D; Δ from softplus underflow (x ≪ 0) to saturation (x ≥ 4); a2 up
/// to 64 (dA = 0); the state hits its 32-bit limits.
fn full_range(
    seed: u64,
    l: usize,
    d: usize,
    n: usize,
    softplus: bool,
    gate: bool,
) -> FixedScanInputs {
    let mut rng = golden::rng::seeded(seed);
    let mut words =
        |len: usize| -> Vec<i64> { (0..len).map(|_| i64::from(rng.gen::<i16>())).collect() };
    let u = words(l * d);
    let delta = words(l * d);
    let b = words(l * n);
    let c = words(l * n);
    let skip = words(d);
    let delta_bias = words(d);
    let z = gate.then(|| words(l * d));
    let a2 = (0..d * n).map(|_| i64::from(rng.gen::<u16>())).collect();
    FixedScanInputs {
        l,
        d,
        n,
        u,
        delta,
        a2,
        b,
        c,
        skip,
        z,
        delta_bias,
        delta_softplus: softplus,
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
}

#[test]
fn utilization_and_bubbles_follow_the_closed_form() {
    // L < 2R − 1: each fold period is 2R − 1 slots (the state drain), L of
    // them busy.
    let x = full_range(4, 2, 8, 4, true, false);
    let run = run_and_check(&x, (4, 4));
    let folds = 2;
    assert_eq!(ScanArray::new(4, 4).fold_period(2), 7);
    assert_eq!(run.bubble_cycles, (folds - 1) * (7 - 2));
    // L ≫ R: nearly every PE busy every cycle.
    let x = workload(5, 200, 8, 8);
    let run = run_and_check(&x, (4, 4));
    assert!(run.utilization > 0.95, "{}", run.utilization);
}

#[test]
fn unsupported_array_and_bad_shapes_are_errors() {
    let x = vectors("ssm-plain");
    assert_eq!(
        run_scan(&x, (5, 5)).unwrap_err(),
        ScanError::UnsupportedArray { rows: 5, cols: 5 }
    );
    let mut bad = x.clone();
    bad.u.pop();
    assert!(matches!(run_scan(&bad, (4, 4)), Err(ScanError::Shape(_))));
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
/// 32,783 cycles. `make scan-default` runs it in release mode.
#[test]
#[ignore = "long: run with `make scan-default`"]
fn default_workload_on_the_default_array() {
    use golden::ssm::workload::{DEFAULT_D, DEFAULT_L, DEFAULT_N};
    let x = workload(1, DEFAULT_L, DEFAULT_D, DEFAULT_N);
    let run = run_and_check(&x, (4, 4));
    eprintln!(
        "default workload: {} cycles, utilization {:.4}, {:.0} simulated cycles/s",
        run.cycles,
        run.utilization,
        run.sim_speed()
    );
}

#[test]
fn the_host_interface_loads_runs_and_streams_y_back_bit_exactly() {
    use sim::scan_host::run_scan_hosted;
    let sets = [
        (vectors("ssm-small"), (4, 4)),
        (vectors("ssm-plain"), (3, 2)),
        (full_range(31, 5, 7, 5, true, true), (4, 4)),
        (full_range(32, 1, 3, 3, false, false), (3, 2)),
    ];
    for (x, array) in sets {
        let direct = run_and_check(&x, array);
        let hosted = run_scan_hosted(&x, array, 0.6, 9).unwrap();
        compare_scan(&hosted.y, &reference(&x), x.d).unwrap();
        assert_eq!(
            hosted.cycles, direct.cycles,
            "the buffers never stall the core"
        );
        assert_eq!(hosted.busy_pe_cycles, direct.busy_pe_cycles);
    }
}

#[test]
fn zz_quick_state() {
    use golden::ssm::fixed::selective_scan_fixed_resume;
    let x = full_range(100, 7, 5, 6, true, true);
    let mut h = vec![0; x.d * x.n];
    let want = selective_scan_fixed_resume(&x, &ScanUnits::default(), &mut h);
    let run = run_scan(&x, (4, 4)).unwrap();
    compare_scan(&run.y, &want, x.d).unwrap();
    assert_eq!(run.state, h, "state");
    eprintln!("cycles {} expected {}", run.cycles, run.expected_cycles);
    for lc in [1, 2, 3, 7] {
        let run = run_scan_with(&x, (4, 4), ScanOptions { chunk: Some(lc), ..Default::default() }).unwrap();
        compare_scan(&run.y, &want, x.d).unwrap();
        assert_eq!(run.state, h, "state lc {lc}");
        eprintln!("lc {lc} cycles {} expected {}", run.cycles, run.expected_cycles);
    }
}
