//! Command-line interface definition (clap derive).

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(
    name = "spikescan",
    version,
    about = "Cycle-accurate SSM and neuromorphic accelerators, verified against golden models"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Write a realistic random workload in the input format.
    #[command(subcommand)]
    Gen(GenCommand),
    /// Run a golden model (f64 or bit-accurate fixed point) on an input directory.
    #[command(subcommand)]
    Golden(GoldenCommand),
    /// Run every engine on the same inputs, compare them and check the bounds.
    #[command(subcommand)]
    Verify(VerifyCommand),
    /// Run the accelerator's RTL, cycle-accurately simulated.
    #[command(subcommand)]
    Sim(SimCommand),
    /// Co-simulate the emitted Verilog (Verilator) against the rust-hdl model, in lockstep.
    #[command(subcommand)]
    Cosim(CosimCommand),
    /// Write the top-level Verilog of a design family (header: its configuration).
    Verilog(VerilogArgs),
    /// Synthesize, place and route a design family for an FPGA; utilization and Fmax.
    Synth(SynthArgs),
}

/// The design families that leave as Verilog.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Family {
    /// The SSM accelerator: scan core/system, GEMM core/system.
    Ssm,
    /// The neuromorphic core: its iCE40 UP5K (SPRAM) and ECP5 builds.
    Snn,
    /// Every family compiled into this build (ssm and snn).
    All,
}

#[derive(Args, Debug)]
pub struct VerilogArgs {
    pub family: Family,
    /// Output directory: one NAME-RxC.v (SSM) or NAME-BUILD.v (SNN) per design.
    #[arg(long)]
    pub out: PathBuf,
    /// PE array RxC (SSM designs); without it each mode at its default (scan 4x4, GEMM 8x8).
    #[arg(long)]
    pub array: Option<String>,
    /// Only these designs (scan-core, scan-system, gemm-core, gemm-system, snn-core; repeatable).
    #[arg(long)]
    pub design: Vec<String>,
}

/// The FPGA a synthesis run targets.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// Lattice LFE5U-85F, CABGA381 (Yosys synth_ecp5 + nextpnr-ecp5).
    #[value(name = "ecp5-85k")]
    Ecp5_85k,
    /// Lattice iCE40 UP5K, SG48 (Yosys synth_ice40 + nextpnr-ice40).
    #[value(name = "ice40-up5k")]
    Ice40Up5k,
}

#[derive(Args, Debug)]
pub struct SynthArgs {
    pub family: Family,
    #[arg(long, value_enum)]
    pub target: Target,
    /// Target clock frequency (MHz) given to nextpnr; default 100 on the
    /// ECP5, 30 on the UP5K.
    #[arg(long)]
    pub freq: Option<f64>,
    /// Output directory: synth.json, synth.csv and each design's tool logs and report.
    #[arg(long)]
    pub out: PathBuf,
    /// PE array RxC (SSM designs); without it each mode at its default (scan 4x4, GEMM 8x8).
    #[arg(long)]
    pub array: Option<String>,
    /// Only these designs (scan-core, scan-system, gemm-core, gemm-system, snn-core; repeatable).
    #[arg(long)]
    pub design: Vec<String>,
    /// Stop after Yosys (cell counts only, no place and route, no Fmax).
    #[arg(long)]
    pub yosys_only: bool,
}

#[derive(Subcommand, Debug)]
pub enum GenCommand {
    /// Selective-scan inputs: u, delta, A, B, C, D, z, delta_bias, scan.toml.
    #[command(allow_negative_numbers = true)]
    Ssm(GenSsm),
    /// A spiking layer: weights.csv, neurons.toml, spikes_in.csv.
    #[command(allow_negative_numbers = true)]
    Snn(GenSnn),
}

#[derive(Args, Debug)]
pub struct GenSsm {
    /// Output directory.
    #[arg(long)]
    pub out: PathBuf,
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Sequence length L.
    #[arg(long, default_value_t = golden::ssm::workload::DEFAULT_L)]
    pub len: usize,
    /// Channels D.
    #[arg(long, default_value_t = golden::ssm::workload::DEFAULT_D)]
    pub channels: usize,
    /// State size N.
    #[arg(long, default_value_t = golden::ssm::workload::DEFAULT_N)]
    pub state: usize,
}

#[derive(Args, Debug)]
pub struct GenSnn {
    /// Output directory.
    #[arg(long)]
    pub out: PathBuf,
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Time steps.
    #[arg(long, default_value_t = golden::snn::workload::DEFAULT_STEPS)]
    pub len: u32,
    /// Input lines N_in.
    #[arg(long, default_value_t = golden::snn::workload::DEFAULT_N_IN)]
    pub inputs: usize,
    /// Neurons N.
    #[arg(long, default_value_t = golden::snn::workload::DEFAULT_N)]
    pub neurons: usize,
    /// Probability that an input spikes in a step.
    #[arg(long, default_value_t = golden::snn::workload::DEFAULT_ACTIVITY)]
    pub activity: f64,
    /// Add random recurrent weights (N×N).
    #[arg(long)]
    pub recurrent: bool,
}

#[derive(Subcommand, Debug)]
pub enum GoldenCommand {
    /// Selective scan → y.csv (L×D).
    Ssm {
        /// Scan input directory (see `gen ssm`).
        #[arg(long)]
        inputs: PathBuf,
        /// Output directory.
        #[arg(long)]
        out: PathBuf,
        #[arg(long, value_enum, default_value_t = Engine::Fixed)]
        engine: Engine,
    },
    /// Spiking layer → spikes.csv (t,neuron).
    Snn {
        /// Network directory (see `gen snn`).
        #[arg(long)]
        net: PathBuf,
        /// Output directory.
        #[arg(long)]
        out: PathBuf,
        #[arg(long, value_enum, default_value_t = Engine::Fixed)]
        engine: Engine,
        /// Also write u.csv and v.csv: each neuron's state after every step (steps × N).
        #[arg(long)]
        trace: bool,
    },
}

/// Which golden model runs.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    /// f64 model.
    Float,
    /// Bit-accurate fixed-point reference (the hardware's specification).
    Fixed,
}

#[derive(Subcommand, Debug)]
pub enum VerifyCommand {
    /// Scan (and, on the built-in workload, the Mamba block).
    Ssm {
        /// Scan input directory; without it the built-in default workload.
        #[arg(long)]
        inputs: Option<PathBuf>,
        /// Also write the table as JSON here.
        #[arg(long)]
        report: Option<PathBuf>,
    },
    /// Spiking layer.
    Snn {
        /// Network directory; without it the built-in default layer.
        #[arg(long)]
        net: Option<PathBuf>,
        /// Also write the table as JSON here.
        #[arg(long)]
        report: Option<PathBuf>,
    },
}

#[derive(Subcommand, Debug)]
pub enum SimCommand {
    /// Selective scan on the scan-mode PE array → y.csv (L×D) and report.json.
    Ssm(SimSsm),
    /// int8 matrix product C = A·B on the GEMM-mode PE array → c.csv (int32) and report.json.
    Gemm(SimGemm),
    /// The neuromorphic core on a spiking layer → spikes.csv, state.csv, report.json.
    #[command(allow_negative_numbers = true)]
    Snn(SimSnn),
}

#[derive(Args, Debug)]
pub struct SimSsm {
    /// Scan input directory (see `gen ssm`).
    #[arg(long)]
    pub inputs: PathBuf,
    /// Output directory.
    #[arg(long)]
    pub out: PathBuf,
    /// PE array RxC (rows = channels, columns = states); one of the compiled shapes.
    #[arg(long, default_value = "4x4")]
    pub array: String,
    /// Run in chunks of this many time steps, one core job each, every fold
    /// resuming from the state the previous chunk saved (the scan system
    /// uses 64); without it one job over all L steps.
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..=32767))]
    pub chunk: Option<u64>,
    /// Stream a VCD trace of every signal to this file (traces the rust engine).
    #[arg(long)]
    pub vcd: Option<PathBuf>,
    /// Simulation engine; default: verilator where installed, else rust.
    #[arg(long, value_enum)]
    pub engine: Option<SimEngine>,
}

#[derive(Args, Debug)]
pub struct SimGemm {
    /// A (M×K), int8 integers.
    #[arg(long)]
    pub a: PathBuf,
    /// B (K×N), int8 integers.
    #[arg(long)]
    pub b: PathBuf,
    /// Output directory.
    #[arg(long)]
    pub out: PathBuf,
    /// PE array RxC (rows = reduction tile, columns = output columns); one of the compiled shapes.
    #[arg(long, default_value = "8x8")]
    pub array: String,
    /// Simulation engine; default: verilator where installed, else rust (with a note).
    #[arg(long, value_enum)]
    pub engine: Option<SimEngine>,
}

/// The cycle simulator behind `sim` (both are cycle-exact: `cosim` proves it).
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum SimEngine {
    /// The rust-hdl description, stepped directly (the reference).
    Rust,
    /// The emitted Verilog compiled by Verilator (cached per design), driven over a C ABI.
    Verilator,
}

#[derive(Args, Debug)]
pub struct SimSnn {
    /// Network directory (see `gen snn`).
    #[arg(long)]
    pub net: PathBuf,
    /// Output directory.
    #[arg(long)]
    pub out: PathBuf,
    /// Core clock frequency / host clock frequency, 0.25 to 4.
    #[arg(long, default_value_t = 1.0)]
    pub clock_ratio: f64,
    /// Host clock phase, a fraction of its period in [0, 1).
    #[arg(long, default_value_t = 0.0)]
    pub phase: f64,
    /// Largest random delay (host cycles) before each input AER request.
    #[arg(long, default_value_t = 0)]
    pub req_delay: u32,
    /// Probability in [0, 1) that the host withholds the output AER ack in a cycle.
    #[arg(long, default_value_t = 0.0)]
    pub backpressure: f64,
    /// Seed of the random delays and back-pressure.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Stream a VCD waveform of the run to this file.
    #[arg(long)]
    pub vcd: Option<PathBuf>,
    /// Simulation engine; default: verilator where installed, else rust.
    /// `--vcd` traces the rust engine.
    #[arg(long, value_enum)]
    pub engine: Option<SimEngine>,
}

#[derive(Subcommand, Debug)]
pub enum CosimCommand {
    /// The SSM accelerator's cores.
    Ssm(CosimSsm),
    /// The neuromorphic core with its host in another clock domain.
    #[command(allow_negative_numbers = true)]
    Snn(CosimSnn),
}

#[derive(Args, Debug)]
pub struct CosimSsm {
    /// Scan input directory (see `gen ssm`); without it a built-in L=64, D=16, N=16 workload.
    #[arg(long)]
    pub inputs: Option<PathBuf>,
    /// Scan core array RxC (default 4x4).
    #[arg(long)]
    pub scan_array: Option<String>,
    /// Scan in chunks of this many steps, the state carried in the modelled state RAM.
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..=32767))]
    pub chunk: Option<u64>,
    /// GEMM core array RxC (default 8x8).
    #[arg(long)]
    pub gemm_array: Option<String>,
    /// GEMM shape M×K·K×N of the random int8 operands.
    #[arg(long, default_value_t = 32)]
    pub gemm_m: usize,
    #[arg(long, default_value_t = 40)]
    pub gemm_k: usize,
    #[arg(long, default_value_t = 24)]
    pub gemm_n: usize,
}

#[derive(Args, Debug)]
pub struct CosimSnn {
    /// Network directory; without it the built-in default layer.
    #[arg(long)]
    pub net: Option<PathBuf>,
    /// Core clock frequency / host clock frequency, 0.25 to 4.
    #[arg(long, default_value_t = 1.0)]
    pub clock_ratio: f64,
    /// Probability that the host withholds the output ack in a host cycle.
    #[arg(long, default_value_t = 0.0)]
    pub backpressure: f64,
}
