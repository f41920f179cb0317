//! Writes the Verilog of a core for synthesis: `cargo run -p rtl --example
//! emit_verilog -- scan|gemm|scan-system|gemm-system OUT.v` (the default
//! arrays: scan 4×4, GEMM 8×8; the systems add the RAM buffers and streams).
//! `make synth-scan` feeds the scan core to Yosys `synth_ecp5`.

use rust_hdl::prelude::*;

fn verilog_of<B: Block>(mut uut: B) -> String {
    uut.connect_all();
    generate_verilog(&uut)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (which, out) = match args.as_slice() {
        [_, which, out] => (which.as_str(), out.as_str()),
        _ => {
            eprintln!("usage: emit_verilog scan|gemm|scan-system|gemm-system OUT.v");
            std::process::exit(2);
        }
    };
    let v = match which {
        "scan" => verilog_of(rtl::ssm::ScanCore4x4::default()),
        "gemm" => verilog_of(rtl::ssm::GemmCore8x8::default()),
        "scan-system" => verilog_of(rtl::ssm::scan_system::DefaultScanSystem::<4, 4>::default()),
        "gemm-system" => verilog_of(rtl::ssm::gemm_system::DefaultGemmSystem::<8, 8>::default()),
        other => {
            eprintln!("unknown core {other:?}: expected scan, gemm, scan-system or gemm-system");
            std::process::exit(2);
        }
    };
    std::fs::write(out, v).expect("write the Verilog");
    println!("wrote {out}");
}
