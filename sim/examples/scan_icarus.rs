//! Co-simulation of the emitted Verilog of the scan-mode system (core, RAM
//! buffers, valid/ready streams) under Icarus Verilog: the testbench loads a
//! vector set over the write stream and runs it in two chunks, as the host
//! runs long sequences (about two thirds of L, then the rest, resuming from
//! the state the first chunk saved in block RAM): per chunk it loads the
//! chunk's rows, runs it, checks the cycle counter against the closed form
//! and reads y back, comparing every word with `selective_scan_fixed`; at the
//! end it reads the final state back and compares it with
//! `selective_scan_fixed_resume`'s. Needs `iverilog` and `vvp` on PATH; not
//! part of `cargo test`.
//!
//! ```text
//! cargo run --release -p sim --example scan_icarus [ssm-small|ssm-plain|ssm-edge]
//! ```
//!
//! Files go to `build/cosim/` (not committed).

use golden::ssm::fixed::{selective_scan_fixed_resume, FixedScanInputs, ScanUnits};
use golden::ssm::ScanInputs;
use rtl::ssm::scan_system::ScanSystem;
use rtl::ssm::ScanArray;
use rust_hdl::prelude::*;
use sim::icarus::{compile_and_run, stream_decls};
use sim::scan_host::{chunk_beats, constant_beats};
use std::fmt::Write as _;

const R: usize = 3;
const C: usize = 2;
/// Address bits per bank: enough for the committed vector sets.
const A: usize = 8;
/// Time-step bits of the token buffers (L ≤ 32) and channel bits of the a2
/// and state buffers (D ≤ 32).
const T: usize = 5;
const S: usize = 5;

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
        l <= 1 << T
            && d.div_ceil(R).max(n.div_ceil(C)) <= 1 << (A - T)
            && d.div_ceil(R) * R <= 1 << S
            && n.div_ceil(C) <= 1 << (A - S),
        "set too large for A, T, S"
    );
    let mut want_h = vec![0; d * n];
    let want = selective_scan_fixed_resume(&x, &ScanUnits::default(), &mut want_h);
    let lc = (2 * l).div_ceil(3);
    let chunks: Vec<(usize, usize)> = (0..l).step_by(lc).map(|t0| (t0, lc.min(l - t0))).collect();

    let out = std::path::Path::new("build/cosim");
    std::fs::create_dir_all(out).unwrap();
    let mut uut = ScanSystem::<R, C, A, T, S>::default();
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
    writeln!(
        w,
        "  reg go = 0, out_start = 0, out_ready = 0, resume = 0, out_state = 0;"
    )
    .unwrap();
    writeln!(w, "  reg [15:0] dim_l = {l}, dim_d = {d}, dim_n = {n};").unwrap();
    writeln!(
        w,
        "  reg softplus = {}, gate = {};",
        u8::from(x.delta_softplus),
        u8::from(x.z.is_some())
    )
    .unwrap();
    stream_decls(w, l * d);
    writeln!(w, "  reg [31:0] WANTH [0:{}]; integer k, badc;", d * n - 1).unwrap();
    writeln!(w, "  top dut(.clock(clock), .wr_valid(wr_valid), .wr_ready(wr_ready), .wr_buf(wr_buf), .wr_bank(wr_bank), .wr_addr(wr_addr), .wr_data(wr_data), .go(go), .dim_l(dim_l), .dim_d(dim_d), .dim_n(dim_n), .softplus(softplus), .gate(gate), .resume(resume), .out_start(out_start), .out_state(out_state), .out_valid(out_valid), .out_ready(out_ready), .out_data(out_data), .out_last(out_last), .busy(busy), .cycles(cycles), .busy_pe_cycles(busy_pe_cycles), .stall_cycles(stall_cycles), .bubble_cycles(bubble_cycles));").unwrap();
    writeln!(w, "  initial begin").unwrap();
    for (i, v) in want.iter().enumerate() {
        writeln!(w, "    WANT[{i}] = 32'h{:08x};", *v as i32 as u32).unwrap();
    }
    for (i, v) in want_h.iter().enumerate() {
        writeln!(w, "    WANTH[{i}] = 32'h{:08x};", *v as i32 as u32).unwrap();
    }
    writeln!(w, "    #1; bad = 0; badc = 0; k = 0; waited = 0;").unwrap();
    let load = |w: &mut String, beats: Vec<(u64, u64, u64, u64)>| {
        for (buf, bank, addr, data) in beats {
            writeln!(w, "    wr_valid = 1; wr_buf = {buf}; wr_bank = {bank}; wr_addr = {addr}; wr_data = 48'h{data:x}; @(posedge clock); #1;").unwrap();
        }
    };
    load(w, constant_beats(&x, R, C, S));
    for &(t0, len) in &chunks {
        let cycles = ScanArray::new(R, C).cycles(len, d, n);
        load(w, chunk_beats(&x, (t0, len), R, C, T));
        writeln!(
            w,
            "    wr_valid = 0; dim_l = {len}; resume = {}; go = 1; @(posedge clock); #1 go = 0;",
            u8::from(t0 > 0)
        )
        .unwrap();
        writeln!(w, "    while (busy && waited < 100000) begin @(posedge clock); #1 waited = waited + 1; end").unwrap();
        writeln!(w, "    if (cycles != {cycles}) begin badc = badc + 1; $display(\"CYCLES chunk at t0={t0}: %0d, closed form {cycles}\", cycles); end").unwrap();
        writeln!(w, "    out_state = 0; out_start = 1; @(posedge clock); #1 out_start = 0; out_ready = 1; i = 0;").unwrap();
        writeln!(w, "    while (i < {} && waited < 200000) begin", len * d).unwrap();
        writeln!(w, "      if (out_valid) begin if (out_data !== WANT[k]) begin bad = bad + 1; $display(\"MISMATCH y[%0d] = %h, want %h\", k, out_data, WANT[k]); end i = i + 1; k = k + 1; end").unwrap();
        writeln!(w, "      @(posedge clock); #1 waited = waited + 1;").unwrap();
        writeln!(w, "    end").unwrap();
    }
    writeln!(
        w,
        "    out_state = 1; out_start = 1; @(posedge clock); #1 out_start = 0; i = 0;"
    )
    .unwrap();
    writeln!(w, "    while (i < {} && waited < 200000) begin", d * n).unwrap();
    writeln!(w, "      if (out_valid) begin if (out_data !== WANTH[i]) begin bad = bad + 1; $display(\"MISMATCH h[%0d] = %h, want %h\", i, out_data, WANTH[i]); end i = i + 1; end").unwrap();
    writeln!(w, "      @(posedge clock); #1 waited = waited + 1;").unwrap();
    writeln!(w, "    end").unwrap();
    writeln!(w, "    $display(\"verilog: {} chunks, %0d of {} y words and %0d of {} state words read, %0d mismatches, %0d job cycle counts off the closed form\", k, i, bad, badc);", chunks.len(), l * d, d * n).unwrap();
    writeln!(w, "    if (bad == 0 && badc == 0 && k == {} && i == {}) $display(\"PASS\"); else $display(\"FAIL\");", l * d, d * n).unwrap();
    writeln!(w, "    $finish;\n  end\nendmodule").unwrap();
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
