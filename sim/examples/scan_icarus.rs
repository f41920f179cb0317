//! Co-simulation of the emitted Verilog of the scan-mode system (core, RAM
//! buffers, valid/ready streams) under Icarus Verilog: the testbench loads a
//! vector set over the write stream, runs the scan, reads y back over the
//! read stream and compares every word with `selective_scan_fixed`, and the
//! cycle counter with the closed form. Needs `iverilog` and `vvp` on PATH;
//! not part of `cargo test`.
//!
//! ```text
//! cargo run --release -p sim --example scan_icarus [ssm-small|ssm-plain|ssm-edge]
//! ```
//!
//! Files go to `build/cosim/` (not committed).

use golden::ssm::fixed::{selective_scan_fixed, FixedScanInputs, ScanUnits};
use golden::ssm::ScanInputs;
use rtl::ssm::scan_system::ScanSystem;
use rtl::ssm::ScanArray;
use rust_hdl::prelude::*;
use sim::icarus::{compile_and_run, stream_decls, stream_readback};
use sim::scan_host::load_beats;
use std::fmt::Write as _;

const R: usize = 3;
const C: usize = 2;
/// Address bits per bank: enough for the committed vector sets.
const A: usize = 8;

fn main() {
    let set = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "ssm-small".into());
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../golden/vectors")
        .join(&set);
    let x = FixedScanInputs::quantize(&ScanInputs::load(&dir).expect("vector set"));
    let (l, d, n) = (x.l, x.d, x.n);
    assert!(
        l * d.div_ceil(R) <= 1 << A && l * n.div_ceil(C) <= 1 << A,
        "set too large for A"
    );
    let want = selective_scan_fixed(&x, &ScanUnits::default());
    let cycles = ScanArray::new(R, C).cycles(l, d, n);

    let out = std::path::Path::new("build/cosim");
    std::fs::create_dir_all(out).unwrap();
    let mut uut = ScanSystem::<R, C, A>::default();
    uut.connect_all();
    std::fs::write(
        out.join("scan_system.v"),
        rtl::verilog_tidy::tidy(&generate_verilog(&uut)),
    )
    .unwrap();

    let mut t = String::new();
    let w = &mut t;
    writeln!(w, "`timescale 1ns/1ps\nmodule tb;").unwrap();
    writeln!(w, "  reg clock = 0; always #5 clock = ~clock;").unwrap();
    writeln!(w, "  reg wr_valid = 0; reg [1:0] wr_buf = 0; reg [15:0] wr_bank = 0; reg [{}:0] wr_addr = 0; reg [47:0] wr_data = 0;", A - 1).unwrap();
    writeln!(w, "  reg go = 0, out_start = 0, out_ready = 0;").unwrap();
    writeln!(
        w,
        "  reg [15:0] dim_l = {l}, dim_d = {d}, dim_n = {n}, dim_dt = {}, dim_nt = {};",
        d.div_ceil(R),
        n.div_ceil(C)
    )
    .unwrap();
    writeln!(
        w,
        "  reg softplus = {}, gate = {};",
        u8::from(x.delta_softplus),
        u8::from(x.z.is_some())
    )
    .unwrap();
    stream_decls(w, l * d);
    writeln!(w, "  top dut(.clock(clock), .wr_valid(wr_valid), .wr_ready(wr_ready), .wr_buf(wr_buf), .wr_bank(wr_bank), .wr_addr(wr_addr), .wr_data(wr_data), .go(go), .dim_l(dim_l), .dim_d(dim_d), .dim_n(dim_n), .dim_dt(dim_dt), .dim_nt(dim_nt), .softplus(softplus), .gate(gate), .out_start(out_start), .out_valid(out_valid), .out_ready(out_ready), .out_data(out_data), .out_last(out_last), .busy(busy), .cycles(cycles), .busy_pe_cycles(busy_pe_cycles), .stall_cycles(stall_cycles), .bubble_cycles(bubble_cycles));").unwrap();
    writeln!(w, "  initial begin").unwrap();
    for (i, v) in want.iter().enumerate() {
        writeln!(w, "    WANT[{i}] = 32'h{:08x};", *v as i32 as u32).unwrap();
    }
    writeln!(w, "    #1;").unwrap();
    for (buf, bank, addr, data) in load_beats(&x, R, C) {
        writeln!(w, "    wr_valid = 1; wr_buf = {buf}; wr_bank = {bank}; wr_addr = {addr}; wr_data = 48'h{data:x}; @(posedge clock); #1;").unwrap();
    }
    stream_readback(w, l * d, "y", cycles, "busy PE-cycles");
    std::fs::write(out.join("scan_tb.v"), t).unwrap();

    let text = compile_and_run(out, "scan_tb.vvp", &["scan_tb.v", "scan_system.v"]);
    print!(
        "{}",
        text.lines()
            .rev()
            .take(12)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect::<Vec<_>>()
            .join("\n")
    );
    println!();
    assert!(
        text.contains("PASS"),
        "Verilog simulation of {set} did not pass"
    );
}
