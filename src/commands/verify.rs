//! `spikescan verify ssm|snn`: every engine that exists runs on the same
//! inputs; each is compared with the f64 golden model and held to the bounds
//! of `golden::bounds`. One table is printed; a missed bound exits 1.

use crate::cli::VerifyCommand;
use crate::error::CliError;
use crate::output::Outputs;
use crate::table;
use golden::bounds::*;
use golden::metrics::{ErrorMetrics, SpikeMetrics};
use golden::snn::{self, Network};
use golden::ssm::block::{self, workload as block_workload, FixedMambaBlock, MambaBlockConfig};
use golden::ssm::workload::{scan_workload, DEFAULT_D, DEFAULT_L, DEFAULT_N};
use golden::ssm::{fixed, float, ScanInputs};
use golden::Matrix;
use serde::Serialize;
use sim::engine::EngineKind;
use sim::snn::HostConfig;
use sim::DEFAULT_SCAN_ARRAY;
use std::collections::HashSet;
use std::path::PathBuf;

/// Seed of the built-in default workloads.
pub const DEFAULT_SEED: u64 = 1;

/// One engine compared with a reference engine.
#[derive(Debug, Serialize)]
pub struct Comparison {
    /// What was computed: "scan", "block", "lif layer".
    pub subject: String,
    pub engine: String,
    pub reference: String,
    pub metrics: Metrics,
    /// The bound, in words.
    pub bound: String,
    pub pass: bool,
}

#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum Metrics {
    Error(ErrorMetrics),
    Spikes(SpikeMetrics),
    Words(WordMismatches),
    SpikeTrain(SpikeTrainMismatches),
}

/// An exact comparison of two engines' output words.
#[derive(Debug, Serialize)]
pub struct WordMismatches {
    /// Elements compared and how many differ at all.
    pub compared: usize,
    pub mismatches: usize,
}

/// What a scan engine's output is held to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    /// The f64 golden model every other engine is compared with.
    Reference,
    /// The scan's float bounds against the reference.
    Tolerance,
    /// The float bounds, and bit-exact equality with the engine named `spec`
    /// (hardware that implements that specification).
    BitExact { spec: &'static str },
}

/// An exact comparison of two spike trains and final states: differences
/// counted, the first one described (`golden::snn::first_mismatch`).
#[derive(Debug, Serialize)]
pub struct SpikeTrainMismatches {
    /// Spikes in one run and not the other.
    pub spike_differences: usize,
    /// Neurons whose final (u, v) differ.
    pub state_differences: usize,
    pub first_mismatch: Option<String>,
}

impl SpikeTrainMismatches {
    pub fn compare(reference: &snn::SnnRun, test: &snn::SnnRun) -> Self {
        let a: HashSet<_> = reference.spikes.iter().collect();
        let b: HashSet<_> = test.spikes.iter().collect();
        let state_differences = reference
            .final_state
            .iter()
            .zip(&test.final_state)
            .filter(|(x, y)| x != y)
            .count()
            + reference.final_state.len().abs_diff(test.final_state.len());
        SpikeTrainMismatches {
            spike_differences: a.symmetric_difference(&b).count(),
            state_differences,
            first_mismatch: snn::first_mismatch(reference, test).map(|m| m.to_string()),
        }
    }

    pub fn exact(&self) -> bool {
        self.first_mismatch.is_none()
    }
}

/// A scan engine: a function from real inputs to real y (L×D).
struct ScanEngine {
    name: &'static str,
    run: fn(&ScanInputs) -> Result<Matrix, String>,
    role: Role,
}

/// Every scan engine; the first is the f64 reference.
const SCAN_ENGINES: &[ScanEngine] = &[
    ScanEngine {
        name: "float",
        run: |x| Ok(float::selective_scan(x)),
        role: Role::Reference,
    },
    ScanEngine {
        name: "fixed",
        run: |x| Ok(fixed::selective_scan(x)),
        role: Role::Tolerance,
    },
    ScanEngine {
        name: "rtl",
        run: |x| scan_core(x, EngineKind::Rust),
        role: Role::BitExact { spec: "fixed" },
    },
    ScanEngine {
        name: "verilog",
        run: |x| scan_core(x, EngineKind::Verilator),
        role: Role::BitExact { spec: "fixed" },
    },
];

/// The scan core on the default array: the rust-hdl model (`rtl`) or its
/// emitted Verilog under Verilator (`verilog`), cycle-simulated.
fn scan_core(x: &ScanInputs, engine: EngineKind) -> Result<Matrix, String> {
    let fx = fixed::FixedScanInputs::quantize(x);
    let array = (DEFAULT_SCAN_ARRAY.rows, DEFAULT_SCAN_ARRAY.cols);
    let opts = sim::ScanOptions {
        engine,
        ..Default::default()
    };
    let run = sim::run_scan_with(&fx, array, opts)
        .map_err(|e| format!("scan core, {} engine: {e}", engine.name()))?;
    Ok(super::sim_ssm::y_real(&run))
}

/// The scan engines that can run here: `verilog` needs Verilator (a note
/// says so when it is missing).
fn available_scan_engines() -> Vec<&'static ScanEngine> {
    SCAN_ENGINES
        .iter()
        .filter(|e| {
            if e.name != "verilog" {
                return true;
            }
            match sim::engine::verilator::version() {
                Ok(_) => true,
                Err(why) => {
                    println!("  verilog engine not run: {why}");
                    false
                }
            }
        })
        .collect()
}

pub fn run(cmd: VerifyCommand) -> Result<(), CliError> {
    match cmd {
        VerifyCommand::Ssm { inputs, report } => {
            let (title, x) = match &inputs {
                Some(dir) => (
                    format!("scan inputs {}", dir.display()),
                    ScanInputs::load(dir)?,
                ),
                None => (
                    format!("built-in default workload (seed {DEFAULT_SEED})"),
                    scan_workload(DEFAULT_SEED, DEFAULT_L, DEFAULT_D, DEFAULT_N),
                ),
            };
            let (l, d, n) = x.dims();
            println!("spikescan verify ssm: {title}: scan L={l} D={d} N={n}");
            let mut comparisons = verify_scan(&x)?;
            if inputs.is_none() {
                let cfg = block_workload::default_config();
                println!(
                    "  and Mamba block d_model={} expand={} N={} L={}",
                    cfg.d_model,
                    cfg.expand,
                    cfg.d_state,
                    block_workload::DEFAULT_L
                );
                comparisons.extend(verify_block(&cfg));
            }
            finish(comparisons, report)
        }
        VerifyCommand::Snn { net, report } => {
            let (title, network) = match &net {
                Some(dir) => (format!("network {}", dir.display()), Network::load(dir)?),
                None => (
                    format!("built-in default layer (seed {DEFAULT_SEED})"),
                    snn::workload::default_network(DEFAULT_SEED),
                ),
            };
            println!(
                "spikescan verify snn: {title}: {} inputs → {} neurons, {} steps, {} input spikes",
                network.n_in,
                network.n,
                network.params.steps,
                network.input.len()
            );
            finish(verify_snn(&network), report)
        }
    }
}

/// Compares every scan engine with the f64 reference (a tolerance row), and
/// each bit-exact engine with its specification (an exact row).
fn verify_scan(x: &ScanInputs) -> Result<Vec<Comparison>, CliError> {
    let engines = available_scan_engines();
    debug_assert_eq!(engines[0].role, Role::Reference);
    let outputs = engines
        .iter()
        .map(|engine| (engine.run)(x).map(|y| (engine.name, y)))
        .collect::<Result<Vec<_>, String>>()
        .map_err(CliError::Check)?;
    let output = |name: &str| {
        &outputs
            .iter()
            .find(|(n, _)| *n == name)
            .expect("a bit-exact engine names an engine of SCAN_ENGINES")
            .1
    };
    let reference = &outputs[0].1;
    let mut rows = Vec::new();
    for (engine, (_, y)) in engines.iter().zip(&outputs).skip(1) {
        let m = ErrorMetrics::compare(reference.as_slice(), y.as_slice());
        rows.push(Comparison {
            subject: "scan".into(),
            engine: engine.name.into(),
            reference: engines[0].name.into(),
            pass: scan_within_bounds(&m),
            bound: format!(
                "SNR ≥ {SCAN_MIN_SNR_DB} dB, rel RMS ≤ {}%",
                SCAN_MAX_REL_RMS * 100.0
            ),
            metrics: Metrics::Error(m),
        });
        if let Role::BitExact { spec } = engine.role {
            let m = word_mismatches(output(spec).as_slice(), y.as_slice());
            rows.push(Comparison {
                subject: "scan".into(),
                engine: engine.name.into(),
                reference: spec.into(),
                pass: m.mismatches == 0,
                bound: "bit-exact".into(),
                metrics: Metrics::Words(m),
            });
        }
    }
    Ok(rows)
}

/// Element-wise exact comparison (the outputs are the same Q16.16 words
/// converted to f64, so equal words ⇔ equal values).
fn word_mismatches(spec: &[f64], test: &[f64]) -> WordMismatches {
    WordMismatches {
        compared: spec.len().max(test.len()),
        mismatches: spec.iter().zip(test).filter(|(a, b)| a != b).count()
            + spec.len().abs_diff(test.len()),
    }
}

/// The scan's tolerance bound against the f64 reference.
pub fn scan_within_bounds(m: &ErrorMetrics) -> bool {
    m.snr_db >= SCAN_MIN_SNR_DB && m.rel_rms <= SCAN_MAX_REL_RMS
}

/// The Mamba block, fixed against float, on its default workload: the block
/// output and, separately, the mixer output before the residual.
fn verify_block(cfg: &MambaBlockConfig) -> Vec<Comparison> {
    let (weights, x) =
        block_workload::block_workload(DEFAULT_SEED, *cfg, block_workload::DEFAULT_L);
    let fixed = FixedMambaBlock::new(&weights);
    let trace = fixed.trace(&FixedMambaBlock::quantize_input(&x));
    let output = ErrorMetrics::compare(
        block::float::forward(&weights, &x).as_slice(),
        trace.output_real().as_slice(),
    );
    let mixer = ErrorMetrics::compare(
        block::float::mixer(&weights, &x).as_slice(),
        trace.mixer_real().as_slice(),
    );
    [
        ("block", output, BLOCK_MIN_SNR_DB),
        ("block mixer", mixer, BLOCK_MIXER_MIN_SNR_DB),
    ]
    .into_iter()
    .map(|(subject, m, min_snr)| Comparison {
        subject: subject.into(),
        engine: "fixed".into(),
        reference: "float".into(),
        pass: m.snr_db >= min_snr,
        bound: format!("SNR ≥ {min_snr} dB"),
        metrics: Metrics::Error(m),
    })
    .collect()
}

/// The LIF layer: fixed against float (tolerance), and the RTL core against
/// fixed (exact) when the layer fits the core.
fn verify_snn(net: &Network) -> Vec<Comparison> {
    let reference = snn::float::run(net, false);
    let test = snn::fixed::run(net, false);
    let m = SpikeMetrics::compare(net.n, &reference.spikes, &test.spikes);
    let mut rows = vec![Comparison {
        subject: "lif layer".into(),
        engine: "fixed".into(),
        reference: "float".into(),
        pass: snn_within_bounds(&m),
        bound: format!(
            "count corr ≥ {SNN_MIN_COUNT_CORRELATION}, total within {}%",
            SNN_MAX_TOTAL_REL_DIFF * 100.0
        ),
        metrics: Metrics::Spikes(m),
    }];
    // rtl: the rust-hdl model; verilog: its emitted Verilog under Verilator.
    for (name, kind) in [
        ("rtl", EngineKind::Rust),
        ("verilog", EngineKind::Verilator),
    ] {
        if kind == EngineKind::Verilator {
            if let Err(e) = sim::engine::verilator::version() {
                println!("  verilog engine not run: {e}");
                continue;
            }
        }
        match sim::snn::run_on(kind, net, HostConfig::default()) {
            Ok(hw) => {
                let m = SpikeTrainMismatches::compare(&test, &hw.run);
                rows.push(Comparison {
                    subject: "lif layer".into(),
                    engine: name.into(),
                    reference: "fixed".into(),
                    pass: m.exact(),
                    bound: "zero mismatches (spikes, final u and v)".into(),
                    metrics: Metrics::SpikeTrain(m),
                });
            }
            Err(e) => println!("  {name} engine not run: {e}"),
        }
    }
    rows
}

/// The spiking layer's tolerance bound against the float reference.
pub fn snn_within_bounds(m: &SpikeMetrics) -> bool {
    m.count_correlation >= SNN_MIN_COUNT_CORRELATION && m.total_rel_diff <= SNN_MAX_TOTAL_REL_DIFF
}

/// Prints the table, writes the JSON report and turns a failure into exit 1.
fn finish(comparisons: Vec<Comparison>, report: Option<PathBuf>) -> Result<(), CliError> {
    print!("{}", render(&comparisons));
    if let Some(path) = report {
        let json = serde_json::to_string_pretty(&comparisons).expect("report serializes");
        let dir = path.parent().filter(|p| !p.as_os_str().is_empty());
        let mut out = Outputs::new(dir.unwrap_or(std::path::Path::new(".")));
        let name = path
            .file_name()
            .map_or("report.json".into(), |n| n.to_string_lossy().to_string());
        out.stage(&name, json + "\n");
        out.commit()?;
    }
    let failed: Vec<String> = comparisons
        .iter()
        .filter(|c| !c.pass)
        .map(|c| {
            format!(
                "{} {} vs {} ({})",
                c.subject, c.engine, c.reference, c.bound
            )
        })
        .collect();
    match failed.is_empty() {
        true => Ok(()),
        false => Err(CliError::Check(failed.join("; "))),
    }
}

fn render(comparisons: &[Comparison]) -> String {
    let rows: Vec<Vec<String>> = comparisons
        .iter()
        .map(|c| {
            let figures = match &c.metrics {
                Metrics::Error(m) => format!(
                    "max abs err {:.3e}, rel RMS {:.3e}, SNR {:.2} dB",
                    m.max_abs, m.rel_rms, m.snr_db
                ),
                Metrics::Words(m) => format!("mismatches {} of {}", m.mismatches, m.compared),
                Metrics::Spikes(m) => format!(
                    "count corr {:.4}, spikes {} vs {} ({:.2}%), first divergent step {}",
                    m.count_correlation,
                    m.test_spikes,
                    m.reference_spikes,
                    m.total_rel_diff * 100.0,
                    m.first_divergent_step
                        .map_or("none".into(), |t| t.to_string())
                ),
                Metrics::SpikeTrain(m) => format!(
                    "{} spike and {} state differences{}",
                    m.spike_differences,
                    m.state_differences,
                    m.first_mismatch
                        .as_ref()
                        .map_or(String::new(), |f| format!("; first: {f}"))
                ),
            };
            vec![
                c.subject.clone(),
                c.engine.clone(),
                c.reference.clone(),
                figures,
                c.bound.clone(),
                if c.pass { "pass" } else { "FAIL" }.into(),
            ]
        })
        .collect();
    table::render(
        &["check", "engine", "vs", "figures", "bound", "result"],
        &rows,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use golden::formats::Event;

    fn default_scan() -> (Matrix, Matrix) {
        let x = scan_workload(DEFAULT_SEED, 64, 16, DEFAULT_N);
        (float::selective_scan(&x), fixed::selective_scan(&x))
    }

    #[test]
    fn scan_bound_passes_the_fixed_engine_and_fails_a_biased_one() {
        let (reference, test) = default_scan();
        let m = ErrorMetrics::compare(reference.as_slice(), test.as_slice());
        assert!(scan_within_bounds(&m), "{m:?}");
        // A 2 % gain error breaks the 1 % relative-RMS bound.
        let biased = test.map(|v| v * 1.02);
        let m = ErrorMetrics::compare(reference.as_slice(), biased.as_slice());
        assert!(!scan_within_bounds(&m), "{m:?}");
    }

    #[test]
    fn the_rtl_engine_is_held_to_the_fixed_spec_bit_exactly() {
        let x = scan_workload(DEFAULT_SEED, 6, 5, 3);
        let rows = verify_scan(&x).unwrap();
        let exact: Vec<(&str, &str, bool)> = rows
            .iter()
            .filter(|c| c.bound == "bit-exact")
            .map(|c| (c.engine.as_str(), c.reference.as_str(), c.pass))
            .collect();
        // The verilog engine runs where Verilator is installed (`make test` installs it).
        let mut want = vec![("rtl", "fixed", true)];
        if sim::engine::verilator::version().is_ok() {
            want.push(("verilog", "fixed", true));
        }
        assert_eq!(exact, want);
        // rtl also has its tolerance row against float.
        assert!(rows
            .iter()
            .any(|c| c.engine == "rtl" && c.reference == "float" && c.pass));
        // One LSB of one element breaks the exact row.
        let spec = fixed::selective_scan(&x);
        let mut planted = spec.clone();
        planted.as_mut_slice()[4] += 1.0 / 65536.0;
        let m = word_mismatches(spec.as_slice(), planted.as_slice());
        assert_eq!(m.mismatches, 1);
    }

    #[test]
    fn a_planted_1e3_error_shows_in_the_metrics() {
        let (reference, _) = default_scan();
        let mut planted = reference.clone();
        planted.as_mut_slice()[17] += 1e-3;
        let m = ErrorMetrics::compare(reference.as_slice(), planted.as_slice());
        assert_eq!(m.mismatches, 1);
        assert!((m.max_abs - 1e-3).abs() < 1e-9, "{m:?}");
        assert!(m.snr_db.is_finite());
    }

    #[test]
    fn exact_row_counts_a_planted_one_lsb_state_error() {
        let net = snn::workload::generate(3, 16, 32, 10, 0.3, false);
        let reference = snn::fixed::run(&net, false);
        let rows = verify_snn(&net);
        let with_verilator = usize::from(sim::engine::verilator::version().is_ok());
        assert_eq!(rows.len(), 2 + with_verilator);
        assert!(rows.iter().all(|r| r.pass));
        let mut planted = reference.clone();
        planted.final_state[4].u -= 1;
        let m = SpikeTrainMismatches::compare(&reference, &planted);
        assert!(!m.exact());
        assert_eq!((m.spike_differences, m.state_differences), (0, 1));
        assert!(m.first_mismatch.unwrap().contains("neuron 4"));
    }

    #[test]
    fn snn_bound_fails_when_spikes_go_missing() {
        let ev = |t, neuron| Event { t, neuron };
        let reference: Vec<Event> = (0..40).map(|i| ev(i, i % 4)).collect();
        let m = SpikeMetrics::compare(4, &reference, &reference);
        assert!(snn_within_bounds(&m));
        // Drop every spike of neuron 3: 25 % fewer spikes.
        let fewer: Vec<Event> = reference
            .iter()
            .copied()
            .filter(|e| e.neuron != 3)
            .collect();
        let m = SpikeMetrics::compare(4, &reference, &fewer);
        assert!(!snn_within_bounds(&m), "{m:?}");
    }
}
