//! A signed multiplier of any operand widths up to 64 bits in all: rust-hdl's
//! `*` only multiplies 16 × 16 bits, and the scan PE needs 19 × 17 (Δ·a2),
//! 28 × 16 (Δu·B), 19 × 32 (dA·h), 16 × 32 (C·h) and a few more.
//!
//! The block is a [`Wrapper`]: the emitted Verilog is a plain
//! `$signed(a) * $signed(b)`, which Yosys maps onto MULT18X18D tiles (an
//! A×B product takes ⌈A/18⌉·⌈B/18⌉ of them, or LUT partial products), and the
//! Rust model below is what the cycle simulation runs. The model is exact
//! two's-complement arithmetic: `a` (A bits) and `b` (B bits) are read as
//! signed integers, the product (A + B bits, exact) is sign-extended to the
//! 64-bit output. Unsigned operands are passed zero-extended by one bit.

use rust_hdl::prelude::*;

/// p = sign_extend_64(signed(a) · signed(b)), combinational. Requires
/// A + B ≤ 64 so the product is exact.
#[derive(LogicBlock, Default)]
pub struct SignedMul<const A: usize, const B: usize> {
    pub a: Signal<In, Bits<A>>,
    pub b: Signal<In, Bits<B>>,
    pub p: Signal<Out, Bits<64>>,
}

/// The signed value of the low `width` bits of `x`.
pub fn signed_value(x: u64, width: usize) -> i64 {
    let shift = 64 - width as u32;
    ((x << shift) as i64) >> shift
}

impl<const A: usize, const B: usize> Logic for SignedMul<A, B> {
    fn update(&mut self) {
        const { assert!(A + B <= 64, "product must fit 64 bits") };
        let a = signed_value(self.a.val().to_u64(), A);
        let b = signed_value(self.b.val().to_u64(), B);
        self.p.next = ((a * b) as u64).into();
    }

    fn connect(&mut self) {
        self.p.connect();
    }

    fn hdl(&self) -> Verilog {
        let w = A + B;
        let ext = 64 - w;
        let sign_ext = if ext == 0 {
            "prod".to_string()
        } else {
            format!("{{{{{ext}{{prod[{}]}}}}, prod}}", w - 1)
        };
        Verilog::Wrapper(Wrapper {
            code: format!(
                "wire signed [{}:0] prod;\nassign prod = $signed(a) * $signed(b);\nassign p = {sign_ext};\n",
                w - 1
            ),
            cores: String::new(),
        })
    }
}
