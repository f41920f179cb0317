//! The synapse memory's two Verilog forms under Icarus Verilog against its
//! Rust model (`rtl::snn::synapse_memory`), on random sequences of read
//! and write cycles, every read [`SYNAPSE_READ_LATENCY`] cycles after its
//! address:
//!
//! - block-RAM form (ECP5, simulation), one bank (64 words) and four banks
//!   (2^16 words, the ECP5 build's size): every read agrees;
//! - SPRAM form (iCE40 UP5K: two SB_SPRAM256KA), with the wrapper's own
//!   simulation model of the cell and with Yosys' `ice40/cells_sim.v` model:
//!   every read in a cycle without a write agrees; a read in a write cycle
//!   is undefined (`x`), which the test checks too (the core never uses it).
//!
//! Skipped, with the reason printed, when iverilog is not installed.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rtl::snn::synapse_memory::{SynapseMemory, BANK_ADDR_BITS, SYNAPSE_READ_LATENCY};
use rust_hdl::prelude::*;
use sim::clock::Clocked;
use sim::icarus::compile_and_run;
use std::fmt::Write as _;
use std::process::Command;

/// Address bits of the small memory under test (the SPRAM pads them to 14).
const A: usize = 6;
/// Address bits of the ECP5 build: four banks.
const A_ECP5: usize = 16;

/// The testbench for `a` address bits: one line of `vectors.txt` per cycle,
/// `read_data` displayed after each rising edge.
fn testbench(a: usize) -> String {
    TESTBENCH.replace("[5:0]", &format!("[{}:0]", a - 1))
}

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

/// Every word of `addresses` written once, then random reads and writes
/// among them and a read right after writing the same word.
fn cycles_on(addresses: &[u64], seed: u64) -> Vec<Cycle> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let pick = |rng: &mut ChaCha8Rng| addresses[rng.gen_range(0..addresses.len())];
    let mut out: Vec<Cycle> = addresses
        .iter()
        .map(|&a| (true, a, rng.gen::<u32>().into(), pick(&mut rng)))
        .collect();
    for _ in 0..1000 {
        let (wa, ra) = (pick(&mut rng), pick(&mut rng));
        out.push((rng.gen_bool(0.3), wa, rng.gen::<u32>().into(), ra));
    }
    let (a, b) = (addresses[5], addresses[0]);
    out.push((true, a, 0xdead_beef, b));
    out.push((false, b, 0, a));
    out.push((false, b, 0, b));
    out
}

/// Every word of the small memory.
fn cycles() -> Vec<Cycle> {
    cycles_on(&(0..1u64 << A).collect::<Vec<_>>(), 29)
}

/// 64 words of each of the four banks of the ECP5 build's memory, and
/// words next to the bank boundaries; the reads of a word not written yet
/// are undefined in Verilog.
fn bank_cycles() -> Vec<Cycle> {
    let mut rng = ChaCha8Rng::seed_from_u64(31);
    let bank = 1u64 << BANK_ADDR_BITS;
    let mut addresses: Vec<u64> = (0..4)
        .flat_map(|b| [b * bank, b * bank + bank - 1])
        .collect();
    addresses.extend((0..256).map(|_| rng.gen_range(0..1u64 << A_ECP5)));
    let mut cycles = cycles_on(&addresses, 37);
    // reads of words never written
    cycles.extend((0..4).map(|b| (false, 0, 0, b * bank + 7)));
    cycles
}

/// read_data after each rising edge, from the Rust model.
fn model<const N: usize, const SPRAM: bool>(cycles: &[Cycle]) -> Vec<u64> {
    let mut c = Clocked::new(SynapseMemory::<N, SPRAM>::default(), |m| &mut m.clock).unwrap();
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
fn icarus(verilog: &str, a: usize, extra: &[&str], cycles: &[Cycle]) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let mut vectors = String::new();
    for &(we, wa, wd, ra) in cycles {
        writeln!(vectors, "{:x} {wa:x} {wd:x} {ra:x}", u8::from(we)).unwrap();
    }
    std::fs::write(dir.path().join("vectors.txt"), vectors).unwrap();
    std::fs::write(dir.path().join("tb.v"), testbench(a)).unwrap();
    std::fs::write(dir.path().join("dut.v"), verilog).unwrap();
    let mut sources = vec!["tb.v", "dut.v"];
    sources.extend(extra);
    let out = compile_and_run(dir.path(), "tb.vvp", &sources);
    out.lines()
        .filter(|l| !l.contains("$finish") && !l.trim().is_empty())
        .map(|l| l.trim().to_string())
        .collect()
}

fn verilog<const N: usize, const SPRAM: bool>() -> String {
    let mut uut = SynapseMemory::<N, SPRAM>::default();
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

/// Compares Icarus' read data with the model's: the output after rising
/// edge i is the read of cycle i + 1 − SYNAPSE_READ_LATENCY; compared are
/// the reads (of all cycles when `every_cycle`, else of the cycles without
/// a write) of a word written before. Returns (reads compared, reads in
/// write cycles, which were undefined).
fn compare(got: &[String], want: &[u64], cycles: &[Cycle], every_cycle: bool) -> (usize, usize) {
    assert_eq!(got.len(), cycles.len(), "one line per cycle");
    let defined = written_before(cycles);
    let lag = SYNAPSE_READ_LATENCY - 1;
    let (mut compared, mut after_write) = (0, 0);
    for (i, (g, w)) in got.iter().zip(want).enumerate().skip(lag) {
        let c = &cycles[i - lag];
        if c.0 && !every_cycle {
            assert!(
                undefined(g),
                "cycle {i}: SPRAM output after a write is {g}, expected undefined"
            );
            after_write += 1;
            continue;
        }
        if !defined[i - lag] {
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

    let bram = icarus(&verilog::<A, false>(), A, &[], &cycles);
    let (n, _) = compare(&bram, &model::<A, false>(&cycles), &cycles, true);
    assert!(n > 1000, "{n} cycles compared");

    let banked = verilog::<A_ECP5, false>();
    assert_eq!(banked.matches("[16383:0];").count(), 4, "four banks");
    let big = bank_cycles();
    let got = icarus(&banked, A_ECP5, &[], &big);
    let (n, _) = compare(&got, &model::<A_ECP5, false>(&big), &big, true);
    assert!(n > 1000, "{n} cycles compared (four banks)");

    let want = model::<A, true>(&cycles);
    let spram = verilog::<A, true>();
    assert_eq!(spram.matches("SB_SPRAM256KA spram_").count(), 2);
    let got = icarus(&spram, A, &[], &cycles);
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
            let got = icarus(&spram, A, &extra, &cycles);
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
    // cycle 0 writes word 0, cycle 1 word 1; cycles 1…3 read words 0, 0, 1,
    // which come out after edges 2…4
    let cycles = [
        (true, 0, 0, 0),
        (true, 1, 1, 0),
        (false, 0, 0, 0),
        (false, 0, 0, 1),
        (false, 0, 0, 0),
    ];
    let got: Vec<String> = ["x", "x", "00000000", "00000000", "00000001"]
        .map(String::from)
        .to_vec();
    assert_eq!(SYNAPSE_READ_LATENCY, 2);
    assert_eq!(compare(&got, &[0, 0, 0, 0, 1], &cycles, true).0, 3);
    let result = std::panic::catch_unwind(|| compare(&got, &[0, 0, 0, 0, 0], &cycles, true));
    assert!(result.is_err());
}
