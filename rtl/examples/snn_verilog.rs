//! Writes the neuromorphic core's Verilog (checked by `generate_verilog`):
//! `cargo run -p rtl --example snn_verilog -- build/verilog/snn_core.v`.

use rtl::snn::core::SnnCore;
use rust_hdl::prelude::*;

fn main() {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "build/verilog/snn_core.v".into());
    let mut core = SnnCore::default();
    core.connect_all();
    let verilog = generate_verilog(&core);
    if let Some(dir) = std::path::Path::new(&path).parent() {
        std::fs::create_dir_all(dir).expect("create the output directory");
    }
    std::fs::write(&path, verilog).expect("write the Verilog");
    println!("wrote {path}");
}
