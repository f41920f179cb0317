//! Co-simulation of the wide signed multiplier ([`rtl::ssm::smul::SignedMul`]):
//! its emitted Verilog (`$signed(a) * $signed(b)`, sign-extended to 64 bits)
//! under Icarus Verilog against its Rust model, for every operand width the
//! scan datapath uses, on corner operands (0, ±1, the extremes) and random
//! ones. Needs `iverilog` and `vvp` on PATH; not part of `cargo test`.
//!
//! ```text
//! cargo run --release -p sim --example smul_icarus
//! ```
//!
//! Files go to `build/cosim/` (not committed).

use rand::Rng;
use rtl::ssm::smul::SignedMul;
use rust_hdl::prelude::*;
use sim::icarus::compile_and_run;
use std::fmt::Write as _;

/// Checks SignedMul<A, B>; returns the number of vectors compared.
fn check<const A: usize, const B: usize>(rng: &mut golden::rng::Rng) -> usize {
    let dir = std::path::Path::new("build/cosim");
    std::fs::create_dir_all(dir).unwrap();
    let mut uut = SignedMul::<A, B>::default();
    uut.a.connect();
    uut.b.connect();
    uut.connect_all();
    std::fs::write(
        dir.join("smul.v"),
        rtl::verilog_tidy::tidy(&generate_verilog(&uut)),
    )
    .unwrap();
    // Operands as raw A-/B-bit words: corners and random.
    let corners = |w: usize| {
        let m = (1u64 << w) - 1;
        vec![0, 1, m, 1 << (w - 1), (1 << (w - 1)) - 1, m - 1]
    };
    let mut pairs = Vec::new();
    for &a in &corners(A) {
        for &b in &corners(B) {
            pairs.push((a, b));
        }
    }
    for _ in 0..2000 {
        pairs.push((
            rng.gen::<u64>() & ((1 << A) - 1),
            rng.gen::<u64>() & ((1 << B) - 1),
        ));
    }
    // The Rust model: what the cycle simulation computes.
    let mut model = SignedMul::<A, B>::default();
    model.a.connect();
    model.b.connect();
    model.connect_all();
    let mut tb = String::new();
    writeln!(
        tb,
        "module tb;\n reg [{}:0] a; reg [{}:0] b; wire [63:0] p; integer errors = 0;",
        A - 1,
        B - 1
    )
    .unwrap();
    writeln!(tb, " top uut(.a(a), .b(b), .p(p));\n initial begin").unwrap();
    for &(a, b) in &pairs {
        model.a.next = a.into();
        model.b.next = b.into();
        while {
            model.update_all();
            model.has_changed()
        } {}
        let p = model.p.val().to_u64();
        writeln!(
            tb,
            "  a = {A}'h{a:x}; b = {B}'h{b:x}; #1 if (p !== 64'h{p:x}) begin errors = errors + 1; $display(\"MISMATCH a=%h b=%h p=%h want {p:x}\", a, b, p); end"
        )
        .unwrap();
    }
    writeln!(
        tb,
        "  $display(\"DONE errors=%0d\", errors); $finish;\n end\nendmodule"
    )
    .unwrap();
    std::fs::write(dir.join("smul_tb.v"), tb).unwrap();
    let text = compile_and_run(dir, "smul.vvp", &["smul_tb.v", "smul.v"]);
    assert!(
        text.contains("DONE errors=0"),
        "SignedMul<{A}, {B}>: Verilog and Rust model disagree:\n{text}"
    );
    println!(
        "SignedMul<{A:2}, {B:2}>: {} vectors, Verilog == Rust model",
        pairs.len()
    );
    pairs.len()
}

fn main() {
    let mut rng = golden::rng::seeded(17);
    let mut total = 0;
    total += check::<19, 17>(&mut rng);
    total += check::<28, 16>(&mut rng);
    total += check::<19, 11>(&mut rng);
    total += check::<19, 32>(&mut rng);
    total += check::<16, 32>(&mut rng);
    total += check::<19, 5>(&mut rng);
    total += check::<19, 16>(&mut rng);
    total += check::<16, 16>(&mut rng);
    total += check::<32, 19>(&mut rng);
    println!("all {total} vectors agree");
}
