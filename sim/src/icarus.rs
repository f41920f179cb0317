//! Plumbing of the Icarus Verilog co-simulation examples
//! (`examples/*_icarus.rs`): compiling and running a testbench, and the
//! run-and-read-back tail of the testbenches of the stream systems.

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

/// Compile `sources` in `dir` with `iverilog` into `vvp`, run it with `vvp`
/// and return its standard output. Panics if either tool is missing or the
/// compilation fails.
pub fn compile_and_run(dir: &Path, vvp: &str, sources: &[&str]) -> String {
    let compiled = Command::new("iverilog")
        .args(["-o", vvp])
        .args(sources)
        .current_dir(dir)
        .status()
        .expect("iverilog on PATH");
    assert!(compiled.success(), "iverilog failed");
    let run = Command::new("vvp")
        .arg(vvp)
        .current_dir(dir)
        .output()
        .expect("vvp on PATH");
    String::from_utf8_lossy(&run.stdout).into_owned()
}

/// The declarations every stream-system testbench shares: the system's
/// stream and counter outputs, `WANT[0..words]` for the expected read stream,
/// and the loop variables [`stream_readback`] uses.
pub fn stream_decls(w: &mut String, words: usize) {
    writeln!(
        w,
        "  wire wr_ready, out_valid, out_last, busy; wire [31:0] out_data;"
    )
    .unwrap();
    writeln!(
        w,
        "  wire [47:0] cycles, busy_pe_cycles, stall_cycles, bubble_cycles;"
    )
    .unwrap();
    writeln!(
        w,
        "  reg [31:0] WANT [0:{}]; integer i, bad, waited;",
        words - 1
    )
    .unwrap();
}

/// The end of a stream-system testbench, after the write-stream load: start
/// the core, wait while busy, read `words` words over the read stream
/// comparing each with `WANT[i]` (a mismatch is shown as `matrix[i]`), then
/// report the counters (`busy_pe_cycles` as `busy_label`) and PASS if all
/// words came, none differ and `cycles` is the closed form.
pub fn stream_readback(w: &mut String, words: usize, matrix: &str, cycles: u64, busy_label: &str) {
    writeln!(
        w,
        "    wr_valid = 0; go = 1; @(posedge clock); #1 go = 0; waited = 0;"
    )
    .unwrap();
    writeln!(
        w,
        "    while (busy && waited < 100000) begin @(posedge clock); #1 waited = waited + 1; end"
    )
    .unwrap();
    writeln!(
        w,
        "    out_start = 1; @(posedge clock); #1 out_start = 0; out_ready = 1; i = 0; bad = 0;"
    )
    .unwrap();
    writeln!(w, "    while (i < {words} && waited < 200000) begin").unwrap();
    writeln!(w, "      if (out_valid) begin if (out_data !== WANT[i]) begin bad = bad + 1; $display(\"MISMATCH {matrix}[%0d] = %h, want %h\", i, out_data, WANT[i]); end i = i + 1; end").unwrap();
    writeln!(w, "      @(posedge clock); #1 waited = waited + 1;").unwrap();
    writeln!(w, "    end").unwrap();
    writeln!(w, "    $display(\"verilog: %0d of {words} words read, %0d mismatches, %0d cycles (closed form {cycles}), %0d {busy_label}\", i, bad, cycles, busy_pe_cycles);").unwrap();
    writeln!(w, "    if (bad == 0 && i == {words} && cycles == {cycles}) $display(\"PASS\"); else $display(\"FAIL\");").unwrap();
    writeln!(w, "    $finish;\n  end\nendmodule").unwrap();
}
