//! Writes the neuromorphic core's Verilog (checked by `generate_verilog`),
//! the ECP5 and the iCE40 UP5K builds:
//! `cargo run -p rtl --example snn_verilog -- build/verilog`
//! → `snn_core_ecp5.v`, `snn_core_up5k.v`.

use rtl::snn::core::{SnnCoreEcp5, SnnCoreUp5k};
use rust_hdl::prelude::*;
use std::path::Path;

fn write<B: Block>(dir: &Path, name: &str, mut core: B) {
    core.connect_all();
    let path = dir.join(name);
    std::fs::write(&path, rtl::verilog_tidy::tidy(&generate_verilog(&core)))
        .expect("write the Verilog");
    println!("wrote {}", path.display());
}

fn main() {
    let dir = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "build/verilog".into());
    let dir = Path::new(&dir);
    std::fs::create_dir_all(dir).expect("create the output directory");
    write(dir, "snn_core_ecp5.v", SnnCoreEcp5::new());
    write(dir, "snn_core_up5k.v", SnnCoreUp5k::new());
}
