//! Co-simulation of the emitted Verilog of the GEMM-mode system (core, RAM
//! buffers, valid/ready streams) under Icarus Verilog: A and B go in over the
//! write stream, C comes back over the read stream and is compared word for
//! word with the integer reference, the cycle counter with the closed form.
//! Needs `iverilog` and `vvp`; not part of `cargo test`.
//!
//! ```text
//! cargo run --release -p sim --example gemm_system_icarus [M K N [seed]]
//! ```

use golden::ssm::block::gemm_i8;
use rand::Rng;
use rtl::ssm::gemm_system::GemmSystem;
use rtl::ssm::GemmConfig;
use rust_hdl::prelude::*;
use sim::gemm_host::{buffer_limit, load_beats};
use sim::icarus::{compile_and_run, stream_decls, stream_readback};
use std::fmt::Write as _;

const R: usize = 3;
const C: usize = 2;
const A: usize = 10;
/// Row-field bits: M ≤ 32, K ≤ 30, N ≤ 64.
const F: usize = 5;

fn main() {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .map(|s| s.parse().expect("numbers"))
        .collect();
    let (m, k, n) = match args.as_slice() {
        [m, k, n, ..] => (*m, *k, *n),
        _ => (7, 8, 5),
    };
    let mut rng = golden::rng::seeded(args.get(3).copied().unwrap_or(11) as u64);
    let a: Vec<i8> = (0..m * k).map(|_| rng.gen()).collect();
    let b: Vec<i8> = (0..k * n).map(|_| rng.gen()).collect();
    let want = gemm_i8(&a, &b, m, k, n);
    let cycles = GemmConfig::new(R, C).cycles(m, k, n);
    if let Some(why) = buffer_limit((m, k, n), (R, C), A, F) {
        panic!("{why}");
    }

    let out = std::path::Path::new("build/cosim");
    std::fs::create_dir_all(out).unwrap();
    let mut uut = GemmSystem::<R, C, A, F>::default();
    uut.connect_all();
    std::fs::write(
        out.join("gemm_system.v"),
        rtl::verilog_tidy::tidy(&generate_verilog(&uut)),
    )
    .unwrap();

    let mut t = String::new();
    let w = &mut t;
    writeln!(w, "`timescale 1ns/1ps\nmodule tb;").unwrap();
    writeln!(w, "  reg clock = 0; always #5 clock = ~clock;").unwrap();
    writeln!(w, "  reg wr_valid = 0, wr_buf = 0; reg [15:0] wr_bank = 0; reg [{}:0] wr_addr = 0; reg [7:0] wr_data = 0;", A - 1).unwrap();
    writeln!(w, "  reg go = 0, out_start = 0, out_ready = 0;").unwrap();
    writeln!(w, "  reg [15:0] dim_m = {m}, dim_k = {k}, dim_n = {n};").unwrap();
    stream_decls(w, m * n);
    writeln!(w, "  top dut(.clock(clock), .wr_valid(wr_valid), .wr_ready(wr_ready), .wr_buf(wr_buf), .wr_bank(wr_bank), .wr_addr(wr_addr), .wr_data(wr_data), .go(go), .dim_m(dim_m), .dim_k(dim_k), .dim_n(dim_n), .out_start(out_start), .out_valid(out_valid), .out_ready(out_ready), .out_data(out_data), .out_last(out_last), .busy(busy), .cycles(cycles), .busy_pe_cycles(busy_pe_cycles), .stall_cycles(stall_cycles), .bubble_cycles(bubble_cycles));").unwrap();
    writeln!(w, "  initial begin").unwrap();
    for (i, v) in want.iter().enumerate() {
        writeln!(w, "    WANT[{i}] = 32'h{:08x};", *v as u32).unwrap();
    }
    writeln!(w, "    #1;").unwrap();
    for (is_b, bank, addr, v) in load_beats(&a, &b, (m, k, n), (R, C), F) {
        writeln!(w, "    wr_valid = 1; wr_buf = {}; wr_bank = {bank}; wr_addr = {addr}; wr_data = 8'h{:02x}; @(posedge clock); #1;", u8::from(is_b), v as u8).unwrap();
    }
    stream_readback(w, m * n, "C", cycles, "useful MACs");
    std::fs::write(out.join("gemm_system_tb.v"), t).unwrap();

    let text = compile_and_run(
        out,
        "gemm_system_tb.vvp",
        &["gemm_system_tb.v", "gemm_system.v"],
    );
    for line in text.lines().filter(|l| !l.starts_with("VCD")) {
        println!("{line}");
    }
    assert!(text.contains("PASS"), "Verilog simulation did not pass");
}
