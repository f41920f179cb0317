//! One module per subcommand.

mod gen;
mod golden_run;
mod sim;
mod verify;

use crate::cli::{Cli, Command};
use crate::error::CliError;

pub fn run(cli: Cli) -> Result<(), CliError> {
    match cli.command {
        Command::Gen(cmd) => gen::run(cmd),
        Command::Golden(cmd) => golden_run::run(cmd),
        Command::Verify(cmd) => verify::run(cmd),
        Command::Sim(cmd) => sim::run(cmd),
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
