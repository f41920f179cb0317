//! The synapse memory's two Verilog forms under Icarus Verilog against its
//! Rust model (`rtl::snn::synapse_memory`), on one random sequence of read
//! and write cycles:
//!
//! - block-RAM form (ECP5, simulation): every cycle agrees;
//! - SPRAM form (iCE40 UP5K: two SB_SPRAM256KA), with the wrapper's own
//!   simulation model of the cell and with Yosys' `ice40/cells_sim.v` model:
//!   every read cycle agrees; after a write cycle the SPRAM's output is
//!   undefined (`x`), which the test checks too (the core never uses it).
//!
//! Skipped, with the reason printed, when iverilog is not installed.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rtl::snn::synapse_memory::SynapseMemory;
use rust_hdl::prelude::*;
use sim::clock::Clocked;
use sim::icarus::compile_and_run;
use std::fmt::Write as _;
use std::process::Command;

/// Address bits of the memory under test (the SPRAM pads them to 14).
const A: usize = 6;

const TESTBENCH: &str = r#"
module tb;
  reg clock = 0;
  reg write_enable;
  reg [5:0] write_address;
  reg [31:0] write_data;
  reg [5:0] read_address;
  wire [31:0] read_data;
  top dut(.clock(clock), .read_address(read_address), .read_data(read_data),
          .write_address(write_address), .write_data(write_data),
          .write_enable(write_enable));
  integer fin, r;
  initial begin
    fin = $fopen("vectors.txt", "r");
    r = $fscanf(fin, "%h %h %h %h\n", write_enable, write_address, write_data, read_address);
    while (r == 4) begin
      #1 clock = 1;
      #1 clock = 0;
      $display("%h", read_data);
      r = $fscanf(fin, "%h %h %h %h\n", write_enable, write_address, write_data, read_address);
    end
    $finish;
  end
endmodule
"#;

/// One cycle: write enable, write address, write data, read address.
type Cycle = (bool, u64, u64, u64);

fn cycles() -> Vec<Cycle> {
    let mut rng = ChaCha8Rng::seed_from_u64(29);
    let words = 1u64 << A;
    let mut out: Vec<Cycle> = (0..words)
        .map(|a| (true, a, rng.gen::<u32>().into(), rng.gen_range(0..words)))
        .collect();
    for _ in 0..1000 {
        out.push((
            rng.gen_bool(0.3),
            rng.gen_range(0..words),
            rng.gen::<u32>().into(),
            rng.gen_range(0..words),
        ));
    }
    // Read right after writing the same word.
    out.push((true, 5, 0xdead_beef, 0));
    out.push((false, 0, 0, 5));
    out
}

/// read_data after each rising edge, from the Rust model.
fn model<const SPRAM: bool>(cycles: &[Cycle]) -> Vec<u64> {
    let mut c = Clocked::new(SynapseMemory::<A, SPRAM>::default(), |m| &mut m.clock).unwrap();
    let mut out = Vec::new();
    for &(we, wa, wd, ra) in cycles {
        c.uut.write_enable.next = we;
        c.uut.write_address.next = wa.into();
        c.uut.write_data.next = wd.into();
        c.uut.read_address.next = ra.into();
        c.settle().unwrap();
        c.rise().unwrap();
        out.push(c.uut.read_data.val().to_u64());
        c.fall();
    }
    out
}

/// read_data after each rising edge under Icarus (hex text, `x` if unknown).
fn icarus(verilog: &str, extra: &[&str], cycles: &[Cycle]) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let mut vectors = String::new();
    for &(we, wa, wd, ra) in cycles {
        writeln!(vectors, "{:x} {wa:x} {wd:x} {ra:x}", u8::from(we)).unwrap();
    }
    std::fs::write(dir.path().join("vectors.txt"), vectors).unwrap();
    std::fs::write(dir.path().join("tb.v"), TESTBENCH).unwrap();
    std::fs::write(dir.path().join("dut.v"), verilog).unwrap();
    let mut sources = vec!["tb.v", "dut.v"];
    sources.extend(extra);
    let out = compile_and_run(dir.path(), "tb.vvp", &sources);
    out.lines()
        .filter(|l| !l.contains("$finish") && !l.trim().is_empty())
        .map(|l| l.trim().to_string())
        .collect()
}

fn verilog<const SPRAM: bool>() -> String {
    let mut uut = SynapseMemory::<A, SPRAM>::default();
    uut.connect_all();
    rtl::verilog_tidy::tidy(&generate_verilog(&uut))
}

fn have_iverilog() -> bool {
    Command::new("iverilog")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success() || !o.stdout.is_empty())
}

/// Whether each cycle reads a word written in an earlier cycle (the model
/// reads 0 from a word never written, the Verilog `x`).
fn written_before(cycles: &[Cycle]) -> Vec<bool> {
    let mut written = std::collections::HashSet::new();
    cycles
        .iter()
        .map(|&(we, wa, _, ra)| {
            let defined = written.contains(&ra);
            if we {
                written.insert(wa);
            }
            defined
        })
        .collect()
}

fn undefined(text: &str) -> bool {
    text.chars().all(|ch| ch == 'x' || ch == 'X')
}

/// Compares Icarus' read data with the model's on the read cycles (all
/// cycles when `every_cycle`) that read a word written before; returns
/// (cycles compared, write cycles whose output was undefined).
fn compare(got: &[String], want: &[u64], cycles: &[Cycle], every_cycle: bool) -> (usize, usize) {
    assert_eq!(got.len(), cycles.len(), "one line per cycle");
    let defined = written_before(cycles);
    let (mut compared, mut after_write) = (0, 0);
    for (i, ((g, w), c)) in got.iter().zip(want).zip(cycles).enumerate() {
        if c.0 && !every_cycle {
            assert!(
                undefined(g),
                "cycle {i}: SPRAM output after a write is {g}, expected undefined"
            );
            after_write += 1;
            continue;
        }
        if !defined[i] {
            assert!(undefined(g), "cycle {i}: a word never written reads {g}");
            continue;
        }
        assert_eq!(
            u64::from_str_radix(g, 16).unwrap_or(u64::MAX),
            *w,
            "cycle {i} {c:?}: Verilog {g}, model {w:x}"
        );
        compared += 1;
    }
    (compared, after_write)
}

#[test]
fn synapse_memory_verilog_matches_its_model() {
    if !have_iverilog() {
        eprintln!("SKIPPED: iverilog not installed (make hdl-tools installs it)");
        return;
    }
    let cycles = cycles();

    let bram = icarus(&verilog::<false>(), &[], &cycles);
    let (n, _) = compare(&bram, &model::<false>(&cycles), &cycles, true);
    assert!(n > 1000, "{n} cycles compared");

    let want = model::<true>(&cycles);
    let spram = verilog::<true>();
    assert_eq!(spram.matches("SB_SPRAM256KA spram_").count(), 2);
    let got = icarus(&spram, &[], &cycles);
    let (n, x) = compare(&got, &want, &cycles, false);
    assert!(n > 600 && x > 300, "{n} read cycles, {x} write cycles");
    eprintln!("wrapper's SB_SPRAM256KA model: {n} read cycles agree, {x} write cycles undefined");

    // The same wrapper on the vendor cell model Yosys ships (SYNTHESIS
    // drops the wrapper's own model, as in synthesis).
    let mut datdirs: Vec<std::path::PathBuf> = Command::new("yosys-config")
        .arg("--datdir")
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().into())
        .into_iter()
        .collect();
    datdirs.extend(["/usr/share/yosys", "/usr/local/share/yosys"].map(Into::into));
    let cells = datdirs
        .into_iter()
        .map(|d| d.join("ice40/cells_sim.v"))
        .find(|p| p.is_file());
    match cells {
        Some(path) => {
            let spram = format!("`define SYNTHESIS\n{spram}");
            let extra = ["-DNO_ICE40_DEFAULT_ASSIGNMENTS", path.to_str().unwrap()];
            let got = icarus(&spram, &extra, &cycles);
            let (n, x) = compare(&got, &want, &cycles, false);
            eprintln!(
                "vendor SB_SPRAM256KA model: {n} read cycles agree, {x} write cycles undefined"
            );
        }
        None => eprintln!("SKIPPED (vendor model): yosys' ice40/cells_sim.v not found"),
    }
}

/// A planted one-bit error in the model's expectation is caught.
#[test]
fn the_comparison_catches_a_flipped_bit() {
    let cycles = [
        (true, 0, 0, 0),
        (true, 1, 0, 0),
        (false, 0, 0, 0),
        (false, 0, 0, 1),
    ];
    let got: Vec<String> = ["x", "0", "00000000", "00000001"]
        .map(String::from)
        .to_vec();
    assert_eq!(compare(&got[..3], &[0, 0, 0], &cycles[..3], true).0, 2);
    let result = std::panic::catch_unwind(|| compare(&got, &[0, 0, 0, 0], &cycles, true));
    assert!(result.is_err());
}
