//! Manual co-simulation check of the emitted Verilog (needs `iverilog` and
//! `vvp` on PATH; not part of `cargo test`).
//!
//! Emits `GemmCore<2, 3>` and a self-checking Verilog testbench for one GEMM
//! whose expected C (the integer reference) and expected cycle count (the
//! closed form) are baked in, runs it under Icarus Verilog, and compares the
//! cycle count with the rust-hdl simulation of the same GEMM.
//!
//! ```text
//! cargo run --release -p sim --example gemm_icarus [M K N [seed]]
//! ```
//!
//! Files go to `build/cosim/` (not committed).

use golden::ssm::block::gemm_i8;
use rand::Rng;
use rtl::ssm::{GemmConfig, GemmCore};
use rust_hdl::prelude::*;
use sim::gemm::run_gemm;
use sim::icarus::compile_and_run;
use std::fmt::Write as _;

const R: usize = 2;
const C: usize = 3;

fn main() {
    let args: Vec<u64> = std::env::args()
        .skip(1)
        .map(|s| s.parse().expect("numbers"))
        .collect();
    let (m, k, n) = match args.as_slice() {
        [m, k, n, ..] => (*m as usize, *k as usize, *n as usize),
        _ => (5, 7, 4),
    };
    let seed = args.get(3).copied().unwrap_or(7);
    let mut rng = golden::rng::seeded(seed);
    let a: Vec<i8> = (0..m * k).map(|_| rng.gen()).collect();
    let b: Vec<i8> = (0..k * n).map(|_| rng.gen()).collect();
    let want = gemm_i8(&a, &b, m, k, n);
    let cycles = GemmConfig::new(R, C).cycles(m, k, n);
    let rust = run_gemm(&a, &b, m, k, n, (R, C)).expect("rust-hdl run");
    assert_eq!(
        rust.c, want,
        "rust-hdl simulation disagrees with the reference"
    );

    let dir = std::path::Path::new("build/cosim");
    std::fs::create_dir_all(dir).unwrap();
    let mut uut = GemmCore::<R, C>::default();
    uut.connect_all();
    std::fs::write(
        dir.join("gemm_core.v"),
        rtl::verilog_tidy::tidy(&generate_verilog(&uut)),
    )
    .unwrap();
    std::fs::write(dir.join("tb.v"), testbench(&a, &b, &want, m, k, n, cycles)).unwrap();

    let text = compile_and_run(dir, "tb.vvp", &["tb.v", "gemm_core.v"]);
    print!("{text}");
    println!(
        "rust-hdl: {} cycles, {} useful MACs; closed form {cycles}",
        rust.cycles, rust.busy_pe_cycles
    );
    assert!(text.contains("PASS"), "Verilog simulation did not pass");
}

fn testbench(
    a: &[i8],
    b: &[i8],
    want: &[i32],
    m: usize,
    k: usize,
    n: usize,
    cycles: u64,
) -> String {
    let n_pad = n.div_ceil(C) * C;
    let mut t = String::new();
    let w = &mut t;
    writeln!(w, "`timescale 1ns/1ps\nmodule tb;").unwrap();
    writeln!(w, "  reg clock = 0; always #5 clock = ~clock;").unwrap();
    writeln!(
        w,
        "  reg go = 0, stall = 0; reg [15:0] dim_m = {m}, dim_k = {k}, dim_n = {n};"
    )
    .unwrap();
    writeln!(w, "  wire a_rd_en, b_rd_en, c_rd_en, c_wr_en, busy;").unwrap();
    writeln!(
        w,
        "  wire [15:0] a_rd_m, a_rd_k0, b_rd_k, b_rd_n0, c_rd_m, c_rd_n0, c_wr_m, c_wr_n0;"
    )
    .unwrap();
    writeln!(
        w,
        "  wire [47:0] cycles, busy_pe_cycles, stall_cycles, bubble_cycles;"
    )
    .unwrap();
    writeln!(
        w,
        "  reg [7:0] ad [0:{}]; reg [7:0] bd [0:{}]; reg [31:0] cd [0:{}];",
        R - 1,
        C - 1,
        C - 1
    )
    .unwrap();
    writeln!(w, "  wire [31:0] cw [0:{}];", C - 1).unwrap();
    writeln!(
        w,
        "  reg signed [7:0] A [0:{}]; reg signed [7:0] B [0:{}];",
        m * k - 1,
        k * n - 1
    )
    .unwrap();
    writeln!(
        w,
        "  reg [31:0] ACC [0:{}]; reg [31:0] WANT [0:{}];",
        m * n_pad - 1,
        m * n - 1
    )
    .unwrap();
    writeln!(w, "  integer i, j, bad, waited;").unwrap();
    // The DUT, ports by name (rust-hdl's `$` names are legal Verilog identifiers).
    write!(w, "  top dut(.clock(clock), .go(go), .dim_m(dim_m), .dim_k(dim_k), .dim_n(dim_n), .stall(stall),").unwrap();
    write!(w, " .a_rd_en(a_rd_en), .a_rd_m(a_rd_m), .a_rd_k0(a_rd_k0),").unwrap();
    for i in 0..R {
        write!(w, " .a_rd_data${i}(ad[{i}]),").unwrap();
    }
    write!(w, " .b_rd_en(b_rd_en), .b_rd_k(b_rd_k), .b_rd_n0(b_rd_n0),").unwrap();
    for j in 0..C {
        write!(w, " .b_rd_data${j}(bd[{j}]),").unwrap();
    }
    write!(w, " .c_rd_en(c_rd_en), .c_rd_m(c_rd_m), .c_rd_n0(c_rd_n0),").unwrap();
    for j in 0..C {
        write!(w, " .c_rd_data${j}(cd[{j}]),").unwrap();
    }
    write!(w, " .c_wr_en(c_wr_en), .c_wr_m(c_wr_m), .c_wr_n0(c_wr_n0),").unwrap();
    for j in 0..C {
        write!(w, " .c_wr_data${j}(cw[{j}]),").unwrap();
    }
    writeln!(w, " .busy(busy), .cycles(cycles), .busy_pe_cycles(busy_pe_cycles), .stall_cycles(stall_cycles), .bubble_cycles(bubble_cycles));").unwrap();
    // Memories: one-cycle read latency, read-before-write, zero past the edges.
    writeln!(w, "  always @(posedge clock) begin").unwrap();
    writeln!(w, "    if (a_rd_en) for (i = 0; i < {R}; i = i + 1) ad[i] <= (a_rd_k0 + i < {k}) ? A[a_rd_m * {k} + a_rd_k0 + i] : 8'd0;").unwrap();
    writeln!(w, "    if (b_rd_en) for (j = 0; j < {C}; j = j + 1) bd[j] <= (b_rd_k < {k} && b_rd_n0 + j < {n}) ? B[b_rd_k * {n} + b_rd_n0 + j] : 8'd0;").unwrap();
    writeln!(w, "    if (c_rd_en) for (j = 0; j < {C}; j = j + 1) cd[j] <= ACC[c_rd_m * {n_pad} + c_rd_n0 + j];").unwrap();
    writeln!(w, "    if (c_wr_en) for (j = 0; j < {C}; j = j + 1) ACC[c_wr_m * {n_pad} + c_wr_n0 + j] <= cw[j];").unwrap();
    writeln!(w, "  end").unwrap();
    writeln!(w, "  initial begin").unwrap();
    for (i, x) in a.iter().enumerate() {
        writeln!(w, "    A[{i}] = 8'h{:02x};", *x as u8).unwrap();
    }
    for (i, x) in b.iter().enumerate() {
        writeln!(w, "    B[{i}] = 8'h{:02x};", *x as u8).unwrap();
    }
    for (i, x) in want.iter().enumerate() {
        writeln!(w, "    WANT[{i}] = 32'h{:08x};", *x as u32).unwrap();
    }
    writeln!(
        w,
        "    for (i = 0; i < {}; i = i + 1) ACC[i] = 0;",
        m * n_pad
    )
    .unwrap();
    writeln!(w, "    for (i = 0; i < {R}; i = i + 1) ad[i] = 0; for (j = 0; j < {C}; j = j + 1) begin bd[j] = 0; cd[j] = 0; end").unwrap();
    writeln!(w, "    go = 1; @(posedge clock); #1 go = 0; waited = 0;").unwrap();
    writeln!(
        w,
        "    while (busy && waited < 100000) begin @(posedge clock); #1 waited = waited + 1; end"
    )
    .unwrap();
    writeln!(w, "    bad = 0;").unwrap();
    writeln!(
        w,
        "    for (i = 0; i < {m}; i = i + 1) for (j = 0; j < {n}; j = j + 1)"
    )
    .unwrap();
    writeln!(w, "      if (ACC[i * {n_pad} + j] !== WANT[i * {n} + j]) begin bad = bad + 1; $display(\"MISMATCH C[%0d][%0d] = %0d, want %0d\", i, j, $signed(ACC[i * {n_pad} + j]), $signed(WANT[i * {n} + j])); end").unwrap();
    writeln!(w, "    $display(\"verilog: %0d mismatches, %0d cycles (closed form {cycles}), %0d useful MACs\", bad, cycles, busy_pe_cycles);").unwrap();
    writeln!(
        w,
        "    if (bad == 0 && cycles == {cycles}) $display(\"PASS\"); else $display(\"FAIL\");"
    )
    .unwrap();
    writeln!(w, "    $finish;\n  end\nendmodule").unwrap();
    t
}
