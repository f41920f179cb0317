//! Bit-accurate Mamba block vs the f64 golden block on the default workload
//! (d_model 64, expand 2, N 16, L 256, x ~ N(0, 1)), and proof that the
//! comparisons catch planted errors.
//!
//! Figures: `cargo test -p golden --test ssm_block_accuracy -- --nocapture`

use golden::bounds::{BLOCK_MIN_SNR_DB as BLOCK_SNR_DB, BLOCK_MIXER_MIN_SNR_DB as MIXER_SNR_DB};
use golden::metrics::ErrorMetrics;
use golden::ssm::block::workload::{block_workload, default_config, DEFAULT_L};
use golden::ssm::block::{float, gemm_i8, FixedBlockTrace, FixedMambaBlock};
use golden::Matrix;

/// Float block output, float mixer output, the fixed block and its trace.
fn default_run() -> (Matrix, Matrix, FixedMambaBlock, FixedBlockTrace) {
    let (w, x) = block_workload(1, default_config(), DEFAULT_L);
    let out = float::forward(&w, &x);
    let mixer = float::mixer(&w, &x);
    let block = FixedMambaBlock::new(&w);
    let trace = block.trace(&FixedMambaBlock::quantize_input(&x));
    (out, mixer, block, trace)
}

#[test]
fn fixed_block_meets_snr_bounds_on_default_workload() {
    let (out, mixer, _, trace) = default_run();
    let block = ErrorMetrics::compare(out.as_slice(), trace.output_real().as_slice());
    let mix = ErrorMetrics::compare(mixer.as_slice(), trace.mixer_real().as_slice());
    let rms = |m: &Matrix| {
        (m.as_slice().iter().map(|v| v * v).sum::<f64>() / m.as_slice().len() as f64).sqrt()
    };
    eprintln!("fixed vs float block output: {block:?}");
    eprintln!("fixed vs float mixer (pre-residual): {mix:?}");
    eprintln!(
        "rms: block output {:.4}, mixer {:.4}",
        rms(&out),
        rms(&mixer)
    );
    assert!(
        block.snr_db >= BLOCK_SNR_DB,
        "block SNR {} dB",
        block.snr_db
    );
    assert!(mix.snr_db >= MIXER_SNR_DB, "mixer SNR {} dB", mix.snr_db);
}

#[test]
fn planted_one_lsb_errors_are_caught_by_exact_comparison() {
    let (_, _, block, trace) = default_run();
    // One LSB of the Q16.16 output.
    let mut planted = trace.clone();
    planted.output[1234] += 1;
    assert_ne!(planted.output, trace.output);
    let m = ErrorMetrics::compare(
        trace.output_real().as_slice(),
        planted.output_real().as_slice(),
    );
    assert_eq!(m.mismatches, 1);
    assert_eq!(m.max_abs, 2f64.powi(-16));
    // One LSB of one int32 accumulator: recomputing the GEMM from the
    // trace's operands reproduces the accumulators exactly, and the planted
    // one differs in exactly one place.
    let (k, n) = block.out_proj.dims();
    let recomputed = gemm_i8(&trace.y_act.q, &block.out_proj.weights.q, DEFAULT_L, k, n);
    assert_eq!(recomputed, trace.out_proj_acc);
    let mut acc = trace.out_proj_acc.clone();
    acc[777] += 1;
    let diffs: Vec<usize> = (0..acc.len())
        .filter(|&i| acc[i] != recomputed[i])
        .collect();
    assert_eq!(diffs, [777]);
}

#[test]
fn planted_float_error_changes_the_metrics() {
    let (out, _, _, _) = default_run();
    let mut planted = out.clone();
    planted.as_mut_slice()[4321] += 1e-3;
    let m = ErrorMetrics::compare(out.as_slice(), planted.as_slice());
    assert!(m.snr_db.is_finite(), "{m:?}");
    assert!(m.mismatches > 0 && m.max_abs > 0.0, "{m:?}");
}
