//! Fixed-point scan vs the f64 golden model on the default workload.

use golden::bounds::{SCAN_MAX_REL_RMS, SCAN_MIN_SNR_DB};
use golden::metrics::ErrorMetrics;
use golden::ssm::workload::{scan_workload, DEFAULT_D, DEFAULT_L, DEFAULT_N};
use golden::ssm::{fixed, float};

#[test]
fn fixed_scan_meets_snr_and_rms_bounds_on_default_workload() {
    let x = scan_workload(1, DEFAULT_L, DEFAULT_D, DEFAULT_N);
    let reference = float::selective_scan(&x);
    let test = fixed::selective_scan(&x);
    let m = ErrorMetrics::compare(reference.as_slice(), test.as_slice());
    eprintln!("fixed vs float scan: {m:?}");
    assert!(m.snr_db >= SCAN_MIN_SNR_DB, "SNR {} dB", m.snr_db);
    assert!(m.rel_rms <= SCAN_MAX_REL_RMS, "relative RMS {}", m.rel_rms);
}

#[test]
fn exact_comparison_sees_a_one_lsb_change_of_any_input_word() {
    use golden::ssm::fixed::{selective_scan_fixed, FixedScanInputs, ScanUnits};
    let x = FixedScanInputs::quantize(&scan_workload(2, 32, 8, 4));
    let units = ScanUnits::default();
    let y = selective_scan_fixed(&x, &units);
    assert_eq!(
        y,
        selective_scan_fixed(&x, &units),
        "the reference is deterministic"
    );
    let plant = |f: &dyn Fn(&mut FixedScanInputs)| {
        let mut planted = x.clone();
        f(&mut planted);
        selective_scan_fixed(&planted, &units)
    };
    assert_ne!(plant(&|p| p.u[40] += 1), y, "one LSB of u");
    assert_ne!(plant(&|p| p.delta[3] += 1), y, "one LSB of delta");
    assert_ne!(plant(&|p| p.b[9] -= 1), y, "one LSB of B");
    assert_ne!(plant(&|p| p.a2[5] += 1), y, "one LSB of a2");
}

#[test]
fn saturating_inputs_are_counted_per_file() {
    use golden::ssm::fixed::saturated_inputs;
    let mut x = scan_workload(3, 8, 4, 2);
    assert!(saturated_inputs(&x).is_empty());
    x.u.set(0, 0, 40.0);
    x.u.set(1, 2, -32.0); // exactly the lowest Q6.10 value: representable
    x.a.set(3, 1, -50.0); // a2 = 72.1 > UQ6.10's 64
    assert_eq!(saturated_inputs(&x), [("u.csv", 1), ("A.csv", 1)]);
}
