//! One module per subcommand.

mod gen;
mod golden_run;
mod sim_gemm;
mod sim_snn;
mod sim_ssm;
mod synth;
mod verify;
mod verilog;

use crate::cli::{Cli, Command, SimCommand};
use crate::error::CliError;

pub fn run(cli: Cli) -> Result<(), CliError> {
    match cli.command {
        Command::Gen(cmd) => gen::run(cmd),
        Command::Golden(cmd) => golden_run::run(cmd),
        Command::Verify(cmd) => verify::run(cmd),
        Command::Sim(SimCommand::Ssm(cmd)) => sim_ssm::run(cmd),
        Command::Sim(SimCommand::Gemm(cmd)) => sim_gemm::run(cmd),
        Command::Sim(SimCommand::Snn(cmd)) => sim_snn::run(cmd),
        Command::Verilog(cmd) => verilog::run(cmd),
        Command::Synth(cmd) => synth::run(cmd),
    }
}

/// Fails with a usage error unless `1 ≤ value ≤ max`.
pub fn check_size(name: &str, value: usize, max: usize) -> Result<(), CliError> {
    if value == 0 || value > max {
        return Err(CliError::Usage(format!(
            "--{name}: expected a size from 1 to {max}, found {value}"
        )));
    }
    Ok(())
}

/// Parses `--array RxC` and checks it against the shapes compiled in.
pub fn parse_array(text: &str, supported: &[(usize, usize)]) -> Result<(usize, usize), CliError> {
    let list = supported
        .iter()
        .map(|(r, c)| format!("{r}x{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    let shape = text
        .split_once(['x', 'X'])
        .and_then(|(r, c)| Some((r.trim().parse().ok()?, c.trim().parse().ok()?)));
    match shape {
        Some(shape) if supported.contains(&shape) => Ok(shape),
        Some((r, c)) => Err(CliError::Usage(format!(
            "--array {r}x{c}: not compiled into this build; supported: {list}"
        ))),
        None => Err(CliError::Usage(format!(
            "--array {text:?}: expected RxC (e.g. 4x4); supported: {list}"
        ))),
    }
}

/// The clock at which reports state throughput (MHz): the SSM accelerator's
/// target on the ECP5-85k, not a measured Fmax. nextpnr measured 11.96 MHz
/// for the default scan core and 47.74 MHz for the default GEMM core
/// (`make synth`); scale the throughput figures accordingly.
pub const REPORT_CLOCK_MHZ: f64 = 100.0;
