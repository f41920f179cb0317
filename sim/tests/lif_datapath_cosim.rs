//! The emitted Verilog of the LIF datapath under Icarus Verilog against
//! `golden::snn::fixed::lif_step`: corner cases and random updates, bit-exact.
//! Needs `iverilog`/`vvp`; run with `make cosim-snn`.

use golden::snn::{lif_step, NeuronParams, NeuronState};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rtl::snn::lif_datapath::LifDatapath;
use rust_hdl::prelude::*;
use std::fmt::Write as _;
use std::process::Command;

const UV: i32 = 1 << 23;

const TESTBENCH: &str = r#"
module tb;
  reg [24:0] u_in; reg [23:0] v_in; reg [17:0] a_in;
  reg [12:0] factor_u; reg [12:0] factor_v; reg [25:0] bias; reg [23:0] vth_scaled;
  wire [24:0] u_out; wire [23:0] v_out; wire spike; wire nonzero;
  top dut(.u_in(u_in), .v_in(v_in), .a_in(a_in), .factor_u(factor_u), .factor_v(factor_v),
          .bias(bias), .vth_scaled(vth_scaled), .u_out(u_out), .v_out(v_out),
          .spike(spike), .nonzero(nonzero));
  integer fin, fout, r;
  initial begin
    fin = $fopen("vectors.txt", "r");
    fout = $fopen("results.txt", "w");
    r = $fscanf(fin, "%h %h %h %h %h %h %h\n", u_in, v_in, a_in, factor_u, factor_v, bias, vth_scaled);
    while (r == 7) begin
      #1;
      $fwrite(fout, "%h %h %b\n", u_out, v_out, spike);
      r = $fscanf(fin, "%h %h %h %h %h %h %h\n", u_in, v_in, a_in, factor_u, factor_v, bias, vth_scaled);
    end
    $fclose(fout);
    $finish;
  end
endmodule
"#;

fn mask(x: i64, bits: u32) -> u64 {
    (x as u64) & ((1u64 << bits) - 1)
}

fn sign_extend(x: u64, bits: u32) -> i32 {
    ((x << (64 - bits)) as i64 >> (64 - bits)) as i32
}

#[test]
#[ignore = "needs iverilog: run with `make cosim-snn`"]
fn verilog_lif_datapath_matches_the_reference() {
    let mut rng = ChaCha8Rng::seed_from_u64(17);
    let mut cases = Vec::new();
    let corner_states = [
        (0, 0),
        (-1, -1),
        (UV, UV - 1),
        (-UV + 1, -(UV - 1)),
        (258_048, 0),
    ];
    let corner_inputs = [0, 1, -1, 1 << 17, -(1 << 17), 127_041];
    for &(u, v) in &corner_states {
        for &a in &corner_inputs {
            for (du, dv) in [(0, 0), (4095, 4095), (0, 4095), (410, 205)] {
                let p = NeuronParams {
                    du,
                    dv,
                    vth: 131_071,
                    bias_mant: 0,
                    bias_exp: 0,
                    steps: 1,
                };
                cases.push((NeuronState { u, v }, a, p));
            }
        }
    }
    for _ in 0..20_000 {
        let p = NeuronParams {
            du: rng.gen_range(0..=4095),
            dv: rng.gen_range(0..=4095),
            vth: rng.gen_range(0..=131_071),
            bias_mant: rng.gen_range(-4096..=4095),
            bias_exp: rng.gen_range(0..=7),
            steps: 1,
        };
        let s = NeuronState {
            u: rng.gen_range(-UV + 1..=UV),
            v: rng.gen_range(-(UV - 1)..=UV - 1),
        };
        cases.push((s, rng.gen_range(-(1 << 17)..=(1 << 17)), p));
    }
    let mut vectors = String::new();
    for (s, a, p) in &cases {
        writeln!(
            vectors,
            "{:x} {:x} {:x} {:x} {:x} {:x} {:x}",
            mask(s.u.into(), 25),
            mask(s.v.into(), 24),
            mask((*a).into(), 18),
            4095 - u64::from(p.du),
            4096 - u64::from(p.dv),
            mask(p.effective_bias().into(), 26),
            u64::from(p.vth) << 6
        )
        .unwrap();
    }
    let dir = tempfile::tempdir().unwrap();
    let mut uut = LifDatapath::default();
    uut.connect_all();
    std::fs::write(
        dir.path().join("dut.v"),
        rtl::verilog_tidy::tidy(&generate_verilog(&uut)),
    )
    .unwrap();
    std::fs::write(dir.path().join("tb.v"), TESTBENCH).unwrap();
    std::fs::write(dir.path().join("vectors.txt"), vectors).unwrap();
    let status = Command::new("iverilog")
        .current_dir(dir.path())
        .args(["-o", "tb.vvp", "tb.v", "dut.v"])
        .status()
        .expect("iverilog runs");
    assert!(status.success(), "iverilog failed");
    let status = Command::new("vvp")
        .current_dir(dir.path())
        .arg("tb.vvp")
        .status()
        .expect("vvp runs");
    assert!(status.success(), "vvp failed");
    let results = std::fs::read_to_string(dir.path().join("results.txt")).unwrap();
    let lines: Vec<&str> = results.lines().collect();
    assert_eq!(lines.len(), cases.len());
    for ((s, a, p), line) in cases.iter().zip(lines) {
        let f: Vec<&str> = line.split_whitespace().collect();
        let got = (
            NeuronState {
                u: sign_extend(u64::from_str_radix(f[0], 16).unwrap(), 25),
                v: sign_extend(u64::from_str_radix(f[1], 16).unwrap(), 24),
            },
            f[2] == "1",
        );
        let mut g = *s;
        let spike = lif_step(&mut g, *a, p);
        assert_eq!(got, (g, spike), "{s:?} a_in={a} {p:?}");
    }
}
