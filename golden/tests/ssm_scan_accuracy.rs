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
