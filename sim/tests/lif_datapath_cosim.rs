//! The emitted Verilog of the pipelined LIF datapath under Icarus Verilog
//! against `golden::snn::fixed::lif_step`: corner cases and random updates,
//! streamed one per cycle, bit-exact, each result `LIF_LATENCY` cycles
//! after its inputs with its tag. Needs `iverilog`/`vvp`; run with
//! `make cosim-snn`.

use golden::snn::{lif_step, NeuronParams, NeuronState};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rtl::snn::lif_datapath::{LifDatapath, LIF_LATENCY};
use rust_hdl::prelude::*;
use std::fmt::Write as _;
use std::process::Command;

const UV: i32 = 1 << 23;
const TAGS: usize = 1 << 11;

/// One line of `vectors.txt` per cycle: valid, tag, the update's inputs and
/// the parameters; applied after each falling edge. After each rising edge
/// the testbench writes the cycle number and the outputs of a valid result.
const TESTBENCH: &str = r#"
module tb;
  reg clock = 0;
  reg valid_in; reg [10:0] tag_in;
  reg [24:0] u_in; reg [23:0] v_in; reg [17:0] a_in;
  reg [12:0] factor_u; reg [12:0] factor_v; reg [25:0] bias; reg [23:0] vth_scaled;
  wire [24:0] u_out; wire [23:0] v_out; wire spike; wire nonzero;
  wire valid_out; wire [10:0] tag_out;
  top dut(.clock(clock), .valid_in(valid_in), .tag_in(tag_in), .u_in(u_in), .v_in(v_in),
          .a_in(a_in), .factor_u(factor_u), .factor_v(factor_v), .bias(bias),
          .vth_scaled(vth_scaled), .u_out(u_out), .v_out(v_out), .spike(spike),
          .nonzero(nonzero), .valid_out(valid_out), .tag_out(tag_out));
  integer fin, fout, r, cycle;
  initial begin
    fin = $fopen("vectors.txt", "r");
    fout = $fopen("results.txt", "w");
    cycle = 0;
    r = $fscanf(fin, "%h %h %h %h %h %h %h %h %h\n", valid_in, tag_in, u_in, v_in, a_in,
                factor_u, factor_v, bias, vth_scaled);
    while (r == 9) begin
      #5 clock = 1;
      #1;
      cycle = cycle + 1;
      if (valid_out)
        $fwrite(fout, "%0d %h %h %h %b %b\n", cycle, tag_out, u_out, v_out, spike, nonzero);
      #4 clock = 0;
      r = $fscanf(fin, "%h %h %h %h %h %h %h %h %h\n", valid_in, tag_in, u_in, v_in, a_in,
                  factor_u, factor_v, bias, vth_scaled);
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

/// A batch of updates under one parameter set.
struct Batch {
    params: NeuronParams,
    cases: Vec<(NeuronState, i32)>,
}

/// The Verilog's result of one update: the cycle it came out in (counting
/// rising edges), its tag, the new state, spike and non-zero flag.
#[derive(Debug, Clone, Copy, PartialEq)]
struct UpdateOut {
    cycle: usize,
    tag: u64,
    state: NeuronState,
    spike: bool,
    nonzero: bool,
}

/// The stimulus, one line per cycle: each batch back to back, then
/// `LIF_LATENCY` idle cycles so the parameters change only when no update
/// is in flight. Returns the text and the cycle in which each update's
/// inputs are applied (before rising edge number cycle + 1).
fn stimulus(batches: &[Batch]) -> (String, Vec<usize>) {
    let (mut text, mut applied) = (String::new(), Vec::new());
    let mut cycle = 0;
    for b in batches {
        let p = &b.params;
        let params = format!(
            "{:x} {:x} {:x} {:x}",
            4095 - u64::from(p.du),
            4096 - u64::from(p.dv),
            mask(p.effective_bias().into(), 26),
            u64::from(p.vth) << 6
        );
        for (s, a) in &b.cases {
            let tag = applied.len() % TAGS;
            writeln!(
                text,
                "1 {tag:x} {:x} {:x} {:x} {params}",
                mask(s.u.into(), 25),
                mask(s.v.into(), 24),
                mask((*a).into(), 18),
            )
            .unwrap();
            applied.push(cycle);
            cycle += 1;
        }
        for _ in 0..LIF_LATENCY {
            writeln!(text, "0 0 0 0 0 {params}").unwrap();
            cycle += 1;
        }
    }
    (text, applied)
}

fn parse(results: &str) -> Vec<UpdateOut> {
    results
        .lines()
        .map(|line| {
            let f: Vec<&str> = line.split_whitespace().collect();
            let hex = |s: &str| u64::from_str_radix(s, 16).unwrap();
            UpdateOut {
                cycle: f[0].parse().unwrap(),
                tag: hex(f[1]),
                state: NeuronState {
                    u: sign_extend(hex(f[2]), 25),
                    v: sign_extend(hex(f[3]), 24),
                },
                spike: f[4] == "1",
                nonzero: f[5] == "1",
            }
        })
        .collect()
}

/// The expected result of every update, in order (`applied`: the cycle of
/// each update's inputs).
fn expected(batches: &[Batch], applied: &[usize]) -> Vec<UpdateOut> {
    let updates = batches
        .iter()
        .flat_map(|b| b.cases.iter().map(move |c| (c, &b.params)));
    updates
        .zip(applied)
        .enumerate()
        .map(|(k, ((&(s, a), p), &cycle))| {
            let mut g = s;
            let spike = lif_step(&mut g, a, p);
            UpdateOut {
                cycle: cycle + LIF_LATENCY,
                tag: (k % TAGS) as u64,
                state: g,
                spike,
                nonzero: g.u != 0 || g.v != 0,
            }
        })
        .collect()
}

/// A planted error: the result it changes and how.
type Plant = (usize, fn(&mut UpdateOut));

/// The first update whose result differs (or is missing), with both sides.
fn first_difference(
    got: &[UpdateOut],
    want: &[UpdateOut],
) -> Option<(usize, Option<UpdateOut>, UpdateOut)> {
    want.iter()
        .enumerate()
        .find(|&(k, w)| got.get(k) != Some(w))
        .map(|(k, w)| (k, got.get(k).copied(), *w))
}

fn batches() -> Vec<Batch> {
    let mut rng = ChaCha8Rng::seed_from_u64(17);
    let mut batches = Vec::new();
    let corner_states = [
        (0, 0),
        (-1, -1),
        (UV, UV - 1),
        (-UV + 1, -(UV - 1)),
        (258_048, 0),
    ];
    let corner_inputs = [0, 1, -1, 1 << 17, -(1 << 17), 127_041];
    for (du, dv) in [(0, 0), (4095, 4095), (0, 4095), (410, 205)] {
        let params = NeuronParams {
            du,
            dv,
            vth: 131_071,
            bias_mant: 0,
            bias_exp: 0,
            steps: 1,
        };
        let cases = corner_states
            .iter()
            .flat_map(|&(u, v)| {
                corner_inputs
                    .iter()
                    .map(move |&a| (NeuronState { u, v }, a))
            })
            .collect();
        batches.push(Batch { params, cases });
    }
    for _ in 0..400 {
        let params = NeuronParams {
            du: rng.gen_range(0..=4095),
            dv: rng.gen_range(0..=4095),
            vth: rng.gen_range(0..=131_071),
            bias_mant: rng.gen_range(-4096..=4095),
            bias_exp: rng.gen_range(0..=7),
            steps: 1,
        };
        let cases = (0..50)
            .map(|_| {
                let s = NeuronState {
                    u: rng.gen_range(-UV + 1..=UV),
                    v: rng.gen_range(-(UV - 1)..=UV - 1),
                };
                (s, rng.gen_range(-(1 << 17)..=(1 << 17)))
            })
            .collect();
        batches.push(Batch { params, cases });
    }
    batches
}

#[test]
#[ignore = "needs iverilog: run with `make cosim-snn`"]
fn verilog_lif_datapath_matches_the_reference() {
    let batches = batches();
    let (vectors, applied) = stimulus(&batches);
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
    let got = parse(&std::fs::read_to_string(dir.path().join("results.txt")).unwrap());
    let want = expected(&batches, &applied);
    assert_eq!(want.len(), 20_120);
    assert_eq!(got.len(), want.len(), "one result per update");
    assert_eq!(first_difference(&got, &want), None);

    // The comparison is not vacuous: one LSB of u, of v, a spike, a
    // non-zero flag, a tag or a cycle off in one result is caught there.
    let plants: [Plant; 6] = [
        (3, |r| r.state.u += 1),
        (777, |r| r.state.v ^= 1),
        (5000, |r| r.spike = !r.spike),
        (9001, |r| r.nonzero = !r.nonzero),
        (12_345, |r| r.tag ^= 1),
        (20_000, |r| r.cycle += 1),
    ];
    for (k, plant) in plants {
        let mut off = got.clone();
        plant(&mut off[k]);
        assert_eq!(
            first_difference(&off, &want).map(|d| d.0),
            Some(k),
            "planted error in result {k}"
        );
    }
}
