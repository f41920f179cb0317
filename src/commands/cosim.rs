//! `spikescan cosim ssm|snn`: the emitted Verilog under Verilator against
//! the rust-hdl model, in lockstep on the same stimulus: every output port
//! compared after every evaluation (both clock phases of every cycle), so
//! agreement is bit-exact and cycle-exact. The first disagreement stops the
//! run and names its cycle and signal (exit 1).

use super::verify::DEFAULT_SEED;
use crate::cli::{CosimCommand, CosimSnn, CosimSsm};
use crate::error::CliError;
use golden::snn::{self, Network};
use golden::ssm::fixed::{selective_scan_fixed, FixedScanInputs, ScanUnits};
use golden::ssm::workload::scan_workload;
use golden::ssm::ScanInputs;
use rand::Rng as _;
use sim::engine::EngineKind;
use sim::gemm::{run_gemm_with, GemmOptions};
use sim::scan::{run_scan_with, ScanOptions, SUPPORTED_SCAN_ARRAYS};
use sim::snn::HostConfig;
use sim::{DEFAULT_ARRAY, DEFAULT_SCAN_ARRAY, SUPPORTED_ARRAYS};

pub fn run(cmd: CosimCommand) -> Result<(), CliError> {
    sim::engine::verilator::version().map_err(CliError::Tool)?;
    match cmd {
        CosimCommand::Ssm(args) => ssm(args),
        CosimCommand::Snn(args) => snn(args),
    }
}

fn line(design: &str, cycles: u64, what: &str) {
    println!(
        "  {design:<28} rust-hdl == Verilator on every output, both phases of {cycles} cycles; {what}"
    );
}

fn ssm(args: CosimSsm) -> Result<(), CliError> {
    let scan_array = super::parse_array(
        args.scan_array.as_deref().unwrap_or(&format!(
            "{}x{}",
            DEFAULT_SCAN_ARRAY.rows, DEFAULT_SCAN_ARRAY.cols
        )),
        SUPPORTED_SCAN_ARRAYS,
    )?;
    let array = super::parse_array(
        args.gemm_array
            .as_deref()
            .unwrap_or(&format!("{}x{}", DEFAULT_ARRAY.rows, DEFAULT_ARRAY.cols)),
        SUPPORTED_ARRAYS,
    )?;
    println!("spikescan cosim ssm: rust-hdl model vs its Verilog under Verilator, in lockstep");
    let x = match &args.inputs {
        Some(dir) => ScanInputs::load(dir)?,
        None => scan_workload(DEFAULT_SEED, 64, 16, 16),
    };
    let fx = FixedScanInputs::quantize(&x);
    let opts = ScanOptions {
        engine: EngineKind::Cosim,
        chunk: args.chunk.map(|c| c as usize),
        stall_probability: 0.1,
        ..Default::default()
    };
    let run = run_scan_with(&fx, scan_array, opts).map_err(|e| {
        CliError::Check(format!("scan core {}x{}: {e}", scan_array.0, scan_array.1))
    })?;
    if run.y != selective_scan_fixed(&fx, &ScanUnits::default()) {
        return Err(CliError::Check(
            "scan core: y differs from the fixed reference".into(),
        ));
    }
    line(
        &format!("scan-core-{}x{}", scan_array.0, scan_array.1),
        run.sim_edges,
        &format!(
            "y (L={} D={} N={}, chunks of {}, 10 % stalls) equals the fixed reference",
            fx.l, fx.d, fx.n, run.chunk
        ),
    );
    let (m, k, n) = (args.gemm_m, args.gemm_k, args.gemm_n);
    for (name, v) in [("gemm-m", m), ("gemm-k", k), ("gemm-n", n)] {
        super::check_size(name, v, sim::MAX_DIM)?;
    }
    let mut rng = golden::rng::seeded(DEFAULT_SEED);
    let a: Vec<i8> = (0..m * k).map(|_| rng.gen()).collect();
    let b: Vec<i8> = (0..k * n).map(|_| rng.gen()).collect();
    let opts = GemmOptions {
        engine: EngineKind::Cosim,
        stall_probability: 0.2,
        ..GemmOptions::default()
    };
    let run = run_gemm_with(&a, &b, m, k, n, array, &opts)
        .map_err(|e| CliError::Check(format!("GEMM core {}x{}: {e}", array.0, array.1)))?;
    if run.c != golden::ssm::block::gemm_i8(&a, &b, m, k, n) {
        return Err(CliError::Check("GEMM core: C differs from gemm_i8".into()));
    }
    line(
        &format!("gemm-core-{}x{}", array.0, array.1),
        run.sim_edges,
        &format!("C ({m}x{k}x{n}, 20 % stalls) equals gemm_i8"),
    );
    Ok(())
}

fn snn(args: CosimSnn) -> Result<(), CliError> {
    let net = match &args.net {
        Some(dir) => Network::load(dir)?,
        None => snn::workload::default_network(DEFAULT_SEED),
    };
    let host = super::sim_snn::host_settings(HostConfig {
        clock_ratio: args.clock_ratio,
        backpressure: args.backpressure,
        max_req_delay: 2,
        ..HostConfig::default()
    })?;
    println!(
        "spikescan cosim snn: {} inputs → {} neurons, {} steps; rust-hdl model vs its Verilog under Verilator, in lockstep",
        net.n_in, net.n, net.params.steps
    );
    let hw = sim::snn::run_on(EngineKind::Cosim, &net, host).map_err(|e| match e {
        sim::snn::HwError::Unsupported(m) | sim::snn::HwError::BadHostConfig(m) => {
            CliError::Usage(m)
        }
        e => CliError::Check(format!("neuromorphic core: {e}")),
    })?;
    let reference = snn::fixed::run(&net, false);
    if hw.run.spikes != reference.spikes || hw.run.final_state != reference.final_state {
        return Err(CliError::Check(
            "neuromorphic core: spikes or final state differ from the fixed reference".into(),
        ));
    }
    line(
        "snn-core (ECP5 build)",
        hw.core_cycles + hw.config_cycles,
        &format!(
            "{} spikes and every final u, v equal the fixed reference (clock ratio {}, back-pressure {})",
            hw.run.spikes.len(),
            args.clock_ratio,
            args.backpressure
        ),
    );
    Ok(())
}
