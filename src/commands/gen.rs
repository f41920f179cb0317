//! `spikescan gen ssm|snn`: seeded random workloads in the input format.

use super::check_size;
use crate::cli::{GenCommand, GenSnn, GenSsm};
use crate::error::CliError;
use crate::output::Outputs;
use golden::ssm::workload::scan_workload;

/// Largest sequence length / step count accepted.
const MAX_LEN: usize = 1 << 20;
/// Largest channel, state, input or neuron count accepted.
const MAX_WIDTH: usize = 1 << 14;

pub fn run(cmd: GenCommand) -> Result<(), CliError> {
    match cmd {
        GenCommand::Ssm(args) => gen_ssm(args),
        GenCommand::Snn(args) => gen_snn(args),
    }
}

fn gen_ssm(args: GenSsm) -> Result<(), CliError> {
    check_size("len", args.len, MAX_LEN)?;
    check_size("channels", args.channels, MAX_WIDTH)?;
    check_size("state", args.state, MAX_WIDTH)?;
    let x = scan_workload(args.seed, args.len, args.channels, args.state);
    let mut out = Outputs::new(&args.out);
    for (name, contents) in x.files() {
        out.stage(&name, contents);
    }
    out.commit()?;
    println!(
        "wrote scan workload L={} D={} N={} (seed {}) to {}",
        args.len,
        args.channels,
        args.state,
        args.seed,
        args.out.display()
    );
    Ok(())
}

fn gen_snn(args: GenSnn) -> Result<(), CliError> {
    check_size("len", args.len as usize, MAX_LEN)?;
    check_size("inputs", args.inputs, MAX_WIDTH)?;
    check_size("neurons", args.neurons, MAX_WIDTH)?;
    if !(0.0..=1.0).contains(&args.activity) {
        return Err(CliError::Usage(format!(
            "--activity: expected a probability in [0, 1], found {}",
            args.activity
        )));
    }
    let net = golden::snn::workload::generate(
        args.seed,
        args.inputs,
        args.neurons,
        args.len,
        args.activity,
        args.recurrent,
    );
    let mut out = Outputs::new(&args.out);
    for (name, contents) in net.files() {
        out.stage(&name, contents);
    }
    if net.recurrent.is_none() {
        out.remove_stale(golden::snn::network::RECURRENT_FILE);
    }
    out.commit()?;
    println!(
        "wrote spiking layer {}→{} neurons, {} steps, {} input spikes (seed {}) to {}",
        args.inputs,
        args.neurons,
        args.len,
        net.input.len(),
        args.seed,
        args.out.display()
    );
    Ok(())
}
