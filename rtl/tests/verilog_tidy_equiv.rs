//! `verilog_tidy` changes no value: Yosys proves the tidied Verilog of whole
//! designs formally equivalent to rust-hdl's original (`equiv_make`,
//! `equiv_struct`, `equiv_simple`, `equiv_induct`, `equiv_status -assert`),
//! and the same check fails on a planted one-LSB change. The Icarus
//! co-simulations of the sim crate run on tidied Verilog as well.
//!
//! Skipped, with the reason printed, when yosys is not installed.

use rtl::snn::aer_receiver::AerReceiver;
use rtl::snn::core::SnnCoreUp5k;
use rtl::ssm::GemmCore;
use rtl::verilog_tidy::tidy;
use rust_hdl::prelude::*;
use std::process::Command;

fn have_yosys() -> bool {
    Command::new("yosys")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success())
}

fn verilog<B: Block>(mut uut: B) -> String {
    uut.connect_all();
    generate_verilog(&uut)
}

const PREPARE: &str =
    "hierarchy -top top; proc; flatten; opt -full; memory -nomap; opt -full; wreduce; opt_clean";

/// Whether Yosys proves `gate` equivalent to `gold` (module `top` each);
/// `tag` names the working directory.
fn equivalent(tag: &str, gold: &str, gate: &str) -> bool {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("tidy-equiv-{tag}"));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("gold.v"), gold).unwrap();
    std::fs::write(dir.join("gate.v"), gate).unwrap();
    let script = format!(
        "read_verilog -DSYNTHESIS gold.v; {PREPARE}; rename top gold; design -stash gold; \
read_verilog -DSYNTHESIS gate.v; {PREPARE}; rename top gate; design -stash gate; \
design -copy-from gold -as gold gold; design -copy-from gate -as gate gate; \
equiv_make gold gate equiv; hierarchy -top equiv; equiv_struct; equiv_simple; equiv_induct; \
equiv_status -assert"
    );
    let out = Command::new("yosys")
        .current_dir(&dir)
        .args(["-q", "-p", &script])
        .output()
        .expect("yosys runs");
    out.status.success()
}

#[test]
fn tidied_designs_are_formally_equivalent_to_rust_hdls_verilog() {
    if !have_yosys() {
        eprintln!("SKIPPED: yosys not installed (make hdl-tools installs it)");
        return;
    }
    for (name, gold) in [
        ("aer-receiver", verilog(AerReceiver::default())),
        ("gemm-core-2x3", verilog(GemmCore::<2, 3>::default())),
        ("snn-core-up5k", verilog(SnnCoreUp5k::new())),
    ] {
        let gate = tidy(&gold);
        assert_ne!(gate, gold, "{name}: nothing tidied");
        assert!(
            equivalent(name, &gold, &gate),
            "{name}: not proven equivalent"
        );
    }
}

/// The scan core's wide signed multipliers make its proof take ~2 min on
/// this machine: `make cosim` runs it.
#[test]
#[ignore = "~2 min of Yosys: make cosim runs it"]
fn tidied_scan_core_is_formally_equivalent() {
    if !have_yosys() {
        eprintln!("SKIPPED: yosys not installed (make hdl-tools installs it)");
        return;
    }
    let gold = verilog(rtl::ssm::ScanCore::<2, 2>::default());
    let gate = tidy(&gold);
    assert_ne!(gate, gold);
    assert!(equivalent("scan-core-2x2", &gold, &gate));
}

#[test]
fn a_planted_one_lsb_change_is_not_equivalent() {
    if !have_yosys() {
        eprintln!("SKIPPED: yosys not installed (make hdl-tools installs it)");
        return;
    }
    let gold = verilog(AerReceiver::default());
    let gate = tidy(&gold);
    // The FIFO's write pointer increment, tidied to its own width.
    let line = gate
        .lines()
        .find(|l| l.trim().starts_with("write_address$d = ") && l.contains("'h1"))
        .expect("a tidied pointer increment")
        .to_string();
    let planted = gate.replacen(&line, &line.replace("'h1", "'h2"), 1);
    assert!(equivalent("aer-tidy", &gold, &gate));
    assert!(
        !equivalent("aer-planted", &gold, &planted),
        "planted change not caught: {line}"
    );
}
