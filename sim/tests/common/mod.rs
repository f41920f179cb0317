//! Operands shared by the sim crate's test binaries.
// Each test binary compiles this module and uses only some of its helpers.
#![allow(dead_code)]

use golden::ssm::fixed::FixedScanInputs;
use golden::ssm::ScanInputs;
use rand::Rng;
use std::path::Path;

/// `len` random int8 values.
pub fn random_matrix(rng: &mut golden::rng::Rng, len: usize) -> Vec<i8> {
    (0..len).map(|_| rng.gen::<i8>()).collect()
}

/// A committed vector set of `golden/vectors`, quantized.
pub fn vectors(name: &str) -> FixedScanInputs {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../golden/vectors")
        .join(name);
    FixedScanInputs::quantize(&ScanInputs::load(&dir).unwrap())
}

/// Fixed-point words drawn over the whole of each format: saturating u, B,
/// C, z, D; Δ from softplus underflow (x ≪ 0) to saturation (x ≥ 4); a2 up
/// to 64 (dA = 0); the state hits its 32-bit limits.
pub fn full_range(
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
