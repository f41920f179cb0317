//! `spikescan golden ssm|snn`: one golden model on one input directory.

use crate::cli::{Engine, GoldenCommand};
use crate::error::CliError;
use crate::output::Outputs;
use golden::formats::{events_csv, matrix_csv, NumberStyle};
use golden::snn::Network;
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
                Engine::Fixed => fixed::selective_scan(&x),
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
            let run = match engine {
                Engine::Float => golden::snn::float::run(&network, trace),
                Engine::Fixed => golden::snn::fixed::run(&network, trace),
            };
            let mut files = Outputs::new(&out);
            files.stage("spikes.csv", events_csv(&run.spikes));
            if let Some(states) = &run.trace {
                let (u, v) = trace_matrices(states);
                files.stage("u.csv", matrix_csv(&u, NumberStyle::Float));
                files.stage("v.csv", matrix_csv(&v, NumberStyle::Float));
            }
            files.commit()?;
            println!(
                "wrote {} ({} spikes){}",
                out.join("spikes.csv").display(),
                run.spikes.len(),
                if trace { " and u.csv, v.csv" } else { "" }
            );
            Ok(())
        }
    }
}

/// Per-step, per-neuron (u, v) states as two steps × N matrices.
fn trace_matrices(states: &[Vec<(f64, f64)>]) -> (Matrix, Matrix) {
    let n = states.first().map_or(0, Vec::len);
    let u = Matrix::from_fn(states.len(), n, |t, j| states[t][j].0);
    let v = Matrix::from_fn(states.len(), n, |t, j| states[t][j].1);
    (u, v)
}
