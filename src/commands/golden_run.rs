//! `spikescan golden ssm|snn`: one golden model on one input directory.

use crate::cli::{Engine, GoldenCommand};
use crate::error::CliError;
use crate::output::Outputs;
use golden::formats::{events_csv, matrix_csv, NumberStyle};
use golden::snn::{Network, NeuronState};
use golden::ssm::{fixed, float, ScanInputs};
use golden::Matrix;

pub fn run(cmd: GoldenCommand) -> Result<(), CliError> {
    match cmd {
        GoldenCommand::Ssm {
            inputs,
            out,
            engine,
        } => {
            let x = ScanInputs::load(&inputs)?;
            let y = match engine {
                Engine::Float => float::selective_scan(&x),
                Engine::Fixed => {
                    for (file, count) in fixed::saturated_inputs(&x) {
                        eprintln!(
                            "note: {count} value(s) of {file} lie outside the fixed-point \
                             input range and saturate (see golden/src/ssm/fixed/scan.rs)"
                        );
                    }
                    fixed::selective_scan(&x)
                }
            };
            let mut files = Outputs::new(&out);
            files.stage("y.csv", matrix_csv(&y, NumberStyle::Float));
            files.commit()?;
            println!("wrote {}", out.join("y.csv").display());
            Ok(())
        }
        GoldenCommand::Snn {
            net,
            out,
            engine,
            trace,
        } => {
            let network = Network::load(&net)?;
            let mut files = Outputs::new(&out);
            let spikes = match engine {
                Engine::Float => {
                    let run = golden::snn::float::run(&network, trace);
                    if let Some(states) = &run.trace {
                        stage_trace(&mut files, states, |s| (s.u, s.v), NumberStyle::Float);
                    }
                    run.spikes
                }
                Engine::Fixed => {
                    let run = golden::snn::fixed::run(&network, trace);
                    if let Some(states) = &run.trace {
                        let as_f64 = |s: &NeuronState| (f64::from(s.u), f64::from(s.v));
                        stage_trace(&mut files, states, as_f64, NumberStyle::Integer);
                    }
                    run.spikes
                }
            };
            files.stage("spikes.csv", events_csv(&spikes));
            files.commit()?;
            println!(
                "wrote {} ({} spikes){}",
                out.join("spikes.csv").display(),
                spikes.len(),
                if trace { " and u.csv, v.csv" } else { "" }
            );
            Ok(())
        }
    }
}

/// Stages `u.csv` and `v.csv`: each neuron's state after every step, as
/// steps × N matrices (fixed: integer LSBs; float: weight units).
fn stage_trace<S>(
    files: &mut Outputs,
    states: &[Vec<S>],
    uv: impl Fn(&S) -> (f64, f64),
    style: NumberStyle,
) {
    let n = states.first().map_or(0, Vec::len);
    let u = Matrix::from_fn(states.len(), n, |t, j| uv(&states[t][j]).0);
    let v = Matrix::from_fn(states.len(), n, |t, j| uv(&states[t][j]).1);
    files.stage("u.csv", matrix_csv(&u, style));
    files.stage("v.csv", matrix_csv(&v, style));
}
