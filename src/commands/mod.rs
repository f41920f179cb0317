//! One module per subcommand.

mod cosim;
mod gen;
mod golden_run;
mod sim_gemm;
mod sim_snn;
mod sim_ssm;
mod synth;
mod verify;
mod verilog;

use crate::cli::{Cli, Command, SimCommand, SimEngine};
use crate::error::CliError;
use sim::engine::{verilator, EngineKind};

pub fn run(cli: Cli) -> Result<(), CliError> {
    if matches!(cli.command, Command::Sim(_)) {
        install_run_control();
    }
    match cli.command {
        Command::Gen(cmd) => gen::run(cmd),
        Command::Golden(cmd) => golden_run::run(cmd),
        Command::Verify(cmd) => verify::run(cmd),
        Command::Sim(SimCommand::Ssm(cmd)) => sim_ssm::run(cmd),
        Command::Sim(SimCommand::Gemm(cmd)) => sim_gemm::run(cmd),
        Command::Sim(SimCommand::Snn(cmd)) => sim_snn::run(cmd),
        Command::Cosim(cmd) => cosim::run(cmd),
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
/// target on the ECP5-85k, not a measured Fmax. nextpnr measured 91.03 MHz
/// for the default scan system, 109.64 MHz for the default GEMM core and
/// 102.97 MHz for the default GEMM system (`make synth`); scale the
/// throughput figures accordingly.
pub const REPORT_CLOCK_MHZ: f64 = 100.0;

/// The engine of a `sim` run: as asked, or Verilator where it is installed
/// and the rust engine (with a note on stderr) where it is not. Asking for
/// Verilator where it is missing is an error that says how to install it.
pub fn choose_engine(asked: Option<SimEngine>) -> Result<EngineKind, CliError> {
    match asked {
        Some(SimEngine::Rust) => Ok(EngineKind::Rust),
        Some(SimEngine::Verilator) => verilator::version()
            .map(|_| EngineKind::Verilator)
            .map_err(CliError::Tool),
        None => {
            let (kind, note) = EngineKind::auto();
            if let Some(note) = note {
                eprintln!("{note}");
            }
            Ok(kind)
        }
    }
}

/// The engine of a run that may stream a VCD: tracing is the rust engine's,
/// so `--vcd` selects it (and refuses an explicit `--engine verilator`).
pub fn choose_engine_traced(asked: Option<SimEngine>, vcd: bool) -> Result<EngineKind, CliError> {
    match (asked, vcd) {
        (Some(SimEngine::Verilator), true) => Err(CliError::Usage(
            "--vcd traces the rust engine: use --engine rust (or leave --engine out)".into(),
        )),
        (_, true) => Ok(EngineKind::Rust),
        (asked, false) => choose_engine(asked),
    }
}

/// Progress on a terminal and a clean Ctrl-C for long simulations: the
/// first Ctrl-C asks the running driver to stop at its next checkpoint (it
/// then writes a report marked incomplete); a second one exits at once.
pub fn install_run_control() {
    use std::io::IsTerminal as _;
    let _ = ctrlc::set_handler(|| {
        if sim::control::stop_requested() {
            std::process::exit(130);
        }
        eprintln!("\nspikescan: stopping at the next checkpoint (Ctrl-C again to abort)");
        sim::control::request_stop();
    });
    if std::io::stderr().is_terminal() {
        sim::control::set_progress(|p| eprint!("\r{}   ", sim::control::bar(p)));
    }
}
