//! Error metrics between a reference engine and an engine under test.
//!
//! Real-valued outputs (SSM): max absolute error, relative RMS error and SNR
//! in dB. Spike outputs (SNN): per-neuron spike-count correlation, total spike
//! counts and the first step where the spike trains differ.

use crate::formats::Event;
use serde::Serialize;

/// How far `test` is from `reference`, element by element.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ErrorMetrics {
    /// max |test − reference|, in the outputs' own units.
    pub max_abs: f64,
    /// sqrt(Σ(test − reference)² / Σ reference²); 0 when both are all zero.
    pub rel_rms: f64,
    /// 10·log10(Σ reference² / Σ(test − reference)²), in dB; +∞ when equal.
    pub snr_db: f64,
    /// Number of elements that differ at all.
    pub mismatches: usize,
}

impl ErrorMetrics {
    /// Compares two equally long sequences (panics on a length mismatch: the
    /// engines were given the same inputs, so this is a programming error).
    pub fn compare(reference: &[f64], test: &[f64]) -> Self {
        assert_eq!(
            reference.len(),
            test.len(),
            "compared outputs differ in length"
        );
        let mut max_abs = 0.0f64;
        let mut err_energy = 0.0;
        let mut ref_energy = 0.0;
        let mut mismatches = 0;
        for (&r, &t) in reference.iter().zip(test) {
            let e = t - r;
            max_abs = max_abs.max(e.abs());
            err_energy += e * e;
            ref_energy += r * r;
            mismatches += usize::from(t != r);
        }
        let rel_rms = if err_energy == 0.0 {
            0.0
        } else {
            (err_energy / ref_energy).sqrt()
        };
        let snr_db = 10.0 * (ref_energy / err_energy).log10();
        ErrorMetrics {
            max_abs,
            rel_rms,
            snr_db: if err_energy == 0.0 {
                f64::INFINITY
            } else {
                snr_db
            },
            mismatches,
        }
    }
}

/// How far one spike train is from another.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SpikeMetrics {
    /// Pearson correlation of the per-neuron spike counts. When either count
    /// vector is constant the correlation is undefined; it is then 1 if the
    /// vectors are equal and 0 otherwise.
    pub count_correlation: f64,
    pub reference_spikes: usize,
    pub test_spikes: usize,
    /// |test − reference| / reference total spikes (0 when both are silent).
    pub total_rel_diff: f64,
    /// The first time step at which the two spike sets differ, if any.
    pub first_divergent_step: Option<u32>,
}

impl SpikeMetrics {
    /// Compares two spike trains of a layer of `neurons` neurons. Events must be
    /// sorted by step (as every engine writes them).
    pub fn compare(neurons: usize, reference: &[Event], test: &[Event]) -> Self {
        let counts = |events: &[Event]| {
            let mut c = vec![0.0; neurons];
            for e in events {
                c[e.neuron as usize] += 1.0;
            }
            c
        };
        let (rc, tc) = (counts(reference), counts(test));
        let total_rel_diff = match (reference.len(), test.len()) {
            (0, 0) => 0.0,
            (0, _) => f64::INFINITY,
            (r, t) => (t as f64 - r as f64).abs() / r as f64,
        };
        SpikeMetrics {
            count_correlation: pearson_or_equality(&rc, &tc),
            reference_spikes: reference.len(),
            test_spikes: test.len(),
            total_rel_diff,
            first_divergent_step: first_divergent_step(reference, test),
        }
    }
}

fn pearson_or_equality(a: &[f64], b: &[f64]) -> f64 {
    let n = a.len() as f64;
    let (ma, mb) = (a.iter().sum::<f64>() / n, b.iter().sum::<f64>() / n);
    let (mut cov, mut va, mut vb) = (0.0, 0.0, 0.0);
    for (&x, &y) in a.iter().zip(b) {
        cov += (x - ma) * (y - mb);
        va += (x - ma) * (x - ma);
        vb += (y - mb) * (y - mb);
    }
    if va == 0.0 || vb == 0.0 {
        return if a == b { 1.0 } else { 0.0 };
    }
    cov / (va * vb).sqrt()
}

fn first_divergent_step(reference: &[Event], test: &[Event]) -> Option<u32> {
    let step_set = |events: &[Event], t: u32| {
        let mut s: Vec<u32> = events
            .iter()
            .filter(|e| e.t == t)
            .map(|e| e.neuron)
            .collect();
        s.sort_unstable();
        s
    };
    let mut steps: Vec<u32> = reference.iter().chain(test).map(|e| e.t).collect();
    steps.sort_unstable();
    steps.dedup();
    steps
        .into_iter()
        .find(|&t| step_set(reference, t) != step_set(test, t))
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;

    #[test]
    fn identical_outputs_have_infinite_snr_and_no_mismatch() {
        let m = ErrorMetrics::compare(&[1.0, -2.0], &[1.0, -2.0]);
        assert_eq!(m.mismatches, 0);
        assert_eq!(m.snr_db, f64::INFINITY);
        assert_eq!(m.rel_rms, 0.0);
    }

    #[test]
    fn metrics_of_a_known_error() {
        // reference energy 25, error energy 0.25 → SNR 20 dB, rel RMS 0.1
        let m = ErrorMetrics::compare(&[3.0, 4.0], &[3.5, 4.0]);
        assert_relative_eq!(m.snr_db, 20.0, epsilon = 1e-12);
        assert_relative_eq!(m.rel_rms, 0.1, epsilon = 1e-12);
        assert_relative_eq!(m.max_abs, 0.5);
        assert_eq!(m.mismatches, 1);
    }

    #[test]
    fn spike_metrics_find_the_first_divergent_step() {
        let ev = |t, neuron| Event { t, neuron };
        let a = vec![ev(0, 0), ev(1, 1), ev(3, 2)];
        let same = SpikeMetrics::compare(3, &a, &a);
        assert_eq!(same.first_divergent_step, None);
        assert_eq!(same.count_correlation, 1.0);
        let b = vec![ev(0, 0), ev(1, 1), ev(3, 1)];
        let m = SpikeMetrics::compare(3, &a, &b);
        assert_eq!(m.first_divergent_step, Some(3));
        assert_eq!(m.total_rel_diff, 0.0);
        assert!(m.count_correlation < 0.5);
    }
}
