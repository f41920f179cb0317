//! The registered DSP multiplier's Verilog (`rtl::ssm::dsp_mul`: a
//! MULT18X18D instance with its input and output registers, simulated on
//! the wrapper's behavioural MULT18X18D) under Icarus Verilog against its
//! Rust model, back to back, every cycle equal, the product two cycles after
//! its operands: the PE's form on every int8 × int8 pair, the sequencer's
//! unsigned 16-bit form on random operands. The behavioural cell's register options are
//! checked on their own too (latency 0 to 3, signed and unsigned 18-bit
//! operands), and a flipped bit is caught.
//!
//! Skipped, with the reason printed, when iverilog is not installed.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rtl::ssm::dsp_mul::{product, DspMul, MULT18X18D_MODEL};
use rust_hdl::prelude::*;
use sim::clock::Clocked;
use sim::icarus::compile_and_run;
use std::fmt::Write as _;
use std::process::Command;

/// The testbench of a DspMul with W-bit operands: one operand pair per
/// cycle from vectors.txt, `p` printed after each rising edge.
fn testbench(w: usize) -> String {
    format!(
        r#"
module tb;
  reg clock = 0;
  reg [{msb}:0] a, b;
  wire [31:0] p;
  top dut(.clock(clock), .a(a), .b(b), .p(p));
  integer fin, r;
  initial begin
    fin = $fopen("vectors.txt", "r");
    r = $fscanf(fin, "%h %h\n", a, b);
    while (r == 2) begin
      #1 clock = 1;
      #1 clock = 0;
      $display("%h", p);
      r = $fscanf(fin, "%h %h\n", a, b);
    end
    $finish;
  end
endmodule
"#,
        msb = w - 1
    )
}

fn have_iverilog() -> bool {
    Command::new("iverilog")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success() || !o.stdout.is_empty())
}

/// `p` after each rising edge, from the Rust model.
fn model<const W: usize, const S: bool>(ops: &[(u64, u64)]) -> Vec<u32> {
    let mut c = Clocked::new(DspMul::<W, S>::default(), |m| &mut m.clock).unwrap();
    let mut out = Vec::with_capacity(ops.len());
    for &(a, b) in ops {
        c.uut.a.next = a.into();
        c.uut.b.next = b.into();
        c.settle().unwrap();
        c.rise().unwrap();
        out.push(c.uut.p.val().to_u64() as u32);
        c.fall();
    }
    out
}

/// `p` after each rising edge under Icarus.
fn icarus<const W: usize, const S: bool>(ops: &[(u64, u64)]) -> Vec<u32> {
    let dir = tempfile::tempdir().unwrap();
    let mut vectors = String::new();
    for &(a, b) in ops {
        writeln!(vectors, "{a:x} {b:x}").unwrap();
    }
    let mut uut = DspMul::<W, S>::default();
    uut.connect_all();
    let verilog = rtl::verilog_tidy::tidy(&generate_verilog(&uut));
    assert!(verilog.contains("MULT18X18D #(.REG_INPUTA_CLK(\"CLK0\")"));
    std::fs::write(dir.path().join("vectors.txt"), vectors).unwrap();
    std::fs::write(dir.path().join("tb.v"), testbench(W)).unwrap();
    std::fs::write(dir.path().join("dut.v"), verilog).unwrap();
    let out = compile_and_run(dir.path(), "tb.vvp", &["tb.v", "dut.v"]);
    out.lines()
        .filter(|l| !l.contains("$finish") && !l.trim().is_empty())
        .map(|l| u32::from_str_radix(l.trim(), 16).expect("a defined product"))
        .collect()
}

/// Cycles where `got` and `want` differ.
fn mismatches(got: &[u32], want: &[u32]) -> Vec<usize> {
    assert_eq!(got.len(), want.len(), "one product per cycle");
    (0..got.len()).filter(|&i| got[i] != want[i]).collect()
}

/// The model against the spec (after edge i, the product of the operands
/// set before edge i − 1: two cycles after they were applied), then the
/// Verilog against the model, every cycle.
fn check<const W: usize, const S: bool>(ops: &[(u64, u64)]) {
    let want = model::<W, S>(ops);
    for (i, &p) in want.iter().enumerate().skip(1) {
        let (a, b) = ops[i - 1];
        assert_eq!(p, product(a, b, W, S), "model, cycle {i}");
    }
    let got = icarus::<W, S>(ops);
    let bad = mismatches(&got, &want);
    assert!(
        bad.is_empty(),
        "{} cycles differ, first {:?}",
        bad.len(),
        &bad[..bad.len().min(5)]
    );
    eprintln!("DspMul<{W}, {S}>: {} cycles agree", got.len());
}

#[test]
fn the_pes_multiplier_matches_its_model_on_every_int8_pair() {
    if !have_iverilog() {
        eprintln!("SKIPPED: iverilog not installed (make hdl-tools installs it)");
        return;
    }
    let mut rng = ChaCha8Rng::seed_from_u64(18);
    let mut ops: Vec<(u64, u64)> = (0..256u64)
        .flat_map(|a| (0..256u64).map(move |b| (a, b)))
        .collect();
    for i in (1..ops.len()).rev() {
        ops.swap(i, rng.gen_range(0..=i));
    }
    // The products are the int8 ones, sign-extended.
    assert_eq!(product(0x80, 0x80, 8, true), 16384);
    assert_eq!(product(0x7f, 0x80, 8, true) as i32, -16256);
    check::<8, true>(&ops);
}

#[test]
fn the_sequencers_multiplier_matches_its_model_on_16_bit_operands() {
    if !have_iverilog() {
        eprintln!("SKIPPED: iverilog not installed (make hdl-tools installs it)");
        return;
    }
    let mut rng = ChaCha8Rng::seed_from_u64(16);
    let mut ops: Vec<(u64, u64)> = (0..20_000)
        .map(|_| (rng.gen_range(0..1 << 16), rng.gen_range(0..1 << 16)))
        .collect();
    ops.extend([(0xffff, 0xffff), (0, 0xffff), (256, 256), (0x8000, 2)]);
    assert_eq!(product(0xffff, 0xffff, 16, false), 0xfffe_0001);
    check::<16, false>(&ops);
}

/// The behavioural MULT18X18D's register options, each instance against its
/// expected latency: products of 18-bit operands, signed and unsigned.
#[test]
fn the_behavioural_mult18x18d_has_the_cells_register_structure() {
    if !have_iverilog() {
        eprintln!("SKIPPED: iverilog not installed (make hdl-tools installs it)");
        return;
    }
    // (REG_INPUTA/B, REG_PIPELINE, REG_OUTPUT) and the latency they make.
    let configs = [
        ("NONE", "NONE", "NONE", 0),
        ("NONE", "NONE", "CLK0", 1),
        ("CLK0", "NONE", "CLK0", 2),
        ("CLK0", "CLK0", "CLK0", 3),
    ];
    let mut tb = String::from(MULT18X18D_MODEL);
    tb.push_str("module tb;\n  reg clock = 0; reg [17:0] a, b; reg signa, signb;\n");
    for (k, (inp, pipe, out, _)) in configs.iter().enumerate() {
        let pins: Vec<String> = (0..18)
            .map(|i| format!(".A{i}(a[{i}]), .B{i}(b[{i}]), .C{i}(1'b0)"))
            .chain((0..36).map(|i| format!(".P{i}(p{k}[{i}])")))
            .collect();
        writeln!(
            tb,
            "  wire [35:0] p{k};\n  MULT18X18D #(.REG_INPUTA_CLK(\"{inp}\"), .REG_INPUTB_CLK(\"{inp}\"), \
.REG_PIPELINE_CLK(\"{pipe}\"), .REG_OUTPUT_CLK(\"{out}\")) m{k}({}, .SIGNEDA(signa), .SIGNEDB(signb), \
.SOURCEA(1'b0), .SOURCEB(1'b0), .CLK0(clock), .CE0(1'b1), .RST0(1'b0));",
            pins.join(", ")
        )
        .unwrap();
    }
    let mut rng = ChaCha8Rng::seed_from_u64(36);
    let ops: Vec<(u32, u32, bool)> = (0..400)
        .map(|i| {
            (
                rng.gen_range(0..1 << 18),
                rng.gen_range(0..1 << 18),
                i < 200,
            )
        })
        .collect();
    tb.push_str("  initial begin\n");
    for &(a, b, signed) in &ops {
        let s = u8::from(signed);
        writeln!(
            tb,
            "    a = 18'h{a:x}; b = 18'h{b:x}; signa = {s}; signb = {s}; #1 \
$display(\"%h %h %h %h\", p0, p1, p2, p3); clock = 1; #1 clock = 0;"
        )
        .unwrap();
    }
    tb.push_str("    $finish;\n  end\nendmodule\n");
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("tb.v"), tb).unwrap();
    let out = compile_and_run(dir.path(), "tb.vvp", &["tb.v"]);
    let rows: Vec<Vec<u64>> = out
        .lines()
        .filter(|l| !l.contains("$finish") && !l.trim().is_empty())
        .map(|l| {
            l.split_whitespace()
                .map(|x| u64::from_str_radix(x, 16).expect("defined"))
                .collect()
        })
        .collect();
    assert_eq!(rows.len(), ops.len());
    // Each row shows the outputs before the edge of cycle i: a latency-L
    // instance shows the product of the operands of cycle i − L. The sign
    // mode (constant in the design) switches once, at cycle 200; the cycles
    // whose operands and mode straddle the switch are not compared.
    let want = |i: usize| {
        let (a, b, signed) = ops[i];
        let ext = |x: u32| {
            if signed && x >> 17 == 1 {
                x as i64 - (1 << 18)
            } else {
                x as i64
            }
        };
        (ext(a) * ext(b)) as u64 & ((1 << 36) - 1)
    };
    let mut compared = 0;
    for (i, row) in rows.iter().enumerate().skip(3) {
        if (200..203).contains(&i) {
            continue;
        }
        for (k, &(_, _, _, latency)) in configs.iter().enumerate() {
            assert_eq!(row[k], want(i - latency), "latency {latency}, cycle {i}");
            compared += 1;
        }
    }
    assert!(compared > 1500, "{compared}");
}

/// A check that cannot fail is not a check.
#[test]
fn a_flipped_product_bit_is_caught() {
    let want = vec![0u32, 1, 0x4000];
    let mut got = want.clone();
    assert!(mismatches(&got, &want).is_empty());
    got[2] ^= 1;
    assert_eq!(mismatches(&got, &want), vec![2]);
}
