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
    assert_eq!(run.busy_pe_cycles, (x.l * x.d * x.n) as u64, "busy PE-cycles");
    assert_eq!(run.stall_cycles, 0);
    run
}

fn workload(seed: u64, l: usize, d: usize, n: usize) -> FixedScanInputs {
    FixedScanInputs::quantize(&scan_workload(seed, l, d, n))
}

fn vectors(name: &str) -> FixedScanInputs {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../golden/vectors").join(name);
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

