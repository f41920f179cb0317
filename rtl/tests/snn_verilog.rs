//! The neuromorphic core's Verilog: `generate_verilog` runs rust-hdl's
//! `check_all` (connectivity, logic loops, writes to inputs) and must succeed
//! for the top and for each design unit.

use rtl::snn::aer_receiver::AerReceiver;
use rtl::snn::aer_transmitter::AerTransmitter;
use rtl::snn::core::{SnnCoreEcp5, SnnCoreUp5k};
use rtl::snn::lif_datapath::LifDatapath;
use rust_hdl::prelude::*;

fn verilog_of<B: Block + Default>() -> String {
    verilog(B::default())
}

fn verilog<B: Block>(mut unit: B) -> String {
    unit.connect_all();
    generate_verilog(&unit)
}

#[test]
fn core_generates_checked_verilog() {
    let v = verilog(SnnCoreEcp5::new());
    // accumulators, state and bitmap start at zero
    assert!(v.contains("initial begin"));
    assert!(v.contains("module top"), "no top module");
    // The memories are arrays (block-RAM inference), not registers.
    // The 64 k synapse words: four banks of 16 k words (each with its own
    // output register, see rtl::snn::synapse_memory).
    for b in 0..4 {
        assert!(
            v.contains(&format!("reg[31:0] bank{b}[16383:0];")),
            "synapse RAM bank {b}"
        );
    }
    assert!(!v.contains("bank4["), "four synapse banks");
    assert!(v.contains("reg[48:0] mem[1023:0]"), "state RAM");
    assert!(
        v.contains("reg[9:0] mem[1023:0]"),
        "event FIFO / spike list RAM"
    );
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"));
    std::fs::write(dir.join("snn_core.v"), &v).unwrap();
}

#[test]
fn up5k_build_generates_checked_verilog_with_the_synapses_in_spram() {
    let v = verilog(SnnCoreUp5k::new());
    // 16 k words x 32 bits: two SB_SPRAM256KA (16 k x 16) side by side.
    assert_eq!(
        v.matches("SB_SPRAM256KA spram_").count(),
        2,
        "two SPRAM instances"
    );
    assert!(v.contains("module SB_SPRAM256KA("), "simulation model");
    assert!(!v.contains("reg[31:0] bank0["), "no inferred synapse RAM");
    assert!(!v.contains("[65535:0]"));
}

#[test]
fn design_units_generate_checked_verilog() {
    for v in [
        verilog_of::<LifDatapath>(),
        verilog_of::<AerReceiver>(),
        verilog_of::<AerTransmitter>(),
    ] {
        assert!(v.contains("module top"));
    }
}
