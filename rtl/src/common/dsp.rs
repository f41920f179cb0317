//! A multiplier product placed for timing: the operands are copied into
//! registers that feed nothing else, the product goes into a register that
//! takes nothing else, and that register is copied once more before any
//! logic reads it. Each MULT18X18D then sits between two flip-flops the
//! placer may put right beside it, and the routes to and from it (long
//! when a design uses most of the chip's multipliers, which sit in fixed
//! columns) get a clock cycle each. [`DSP_LATENCY`] cycles from operands to
//! product.
//!
//! [`product_verilog`] writes the Verilog of one such product inside a
//! `Wrapper` block; [`Product`] is its Rust model. [`DspProduct`] is one
//! product as a block of its own, for `#[hdl_gen]` designs (the GEMM PE).

use super::int::{signed, wrap};
use super::model::Model;
use super::wrapper_text::regs;
use rust_hdl::prelude::*;

/// Cycles from the operands on the inputs to the product register copy.
pub const DSP_LATENCY: usize = 3;

/// One operand of a product: its Verilog expression, width and signedness.
pub struct Operand<'a> {
    pub expr: &'a str,
    pub width: usize,
    pub signed: bool,
}

/// The Verilog of product `name` = a · b: registers `name_a`, `name_b`
/// (operand copies), `name_p` (the product) and `name` (its copy, the one to
/// read), all declared, with their `always` block. Both operands must fit
/// one MULT18X18D port (18 bits signed, or 18 unsigned with the other
/// unsigned too).
pub fn product_verilog(name: &str, a: Operand, b: Operand) -> String {
    assert!(
        a.width <= 18 && b.width <= 18,
        "{name}: operands exceed 18 bits"
    );
    assert_eq!(a.signed, b.signed, "{name}: operands of one signedness");
    let width = a.width + b.width;
    let (na, nb, np) = (
        format!("{name}_a"),
        format!("{name}_b"),
        format!("{name}_p"),
    );
    let mut text = regs(&[
        (&na, a.width, false),
        (&nb, b.width, false),
        (&np, width, false),
        (name, width, false),
    ]);
    let product = if a.signed {
        format!("$signed({na}) * $signed({nb})")
    } else {
        format!("{na} * {nb}")
    };
    text.push_str(&format!(
        "wire [{w}:0] {name}_mul;\nassign {name}_mul = {product};\n\
         always @(posedge clock) begin\n    {na} <= {ea};\n    {nb} <= {eb};\n    \
         {np} <= {name}_mul;\n    {name} <= {np};\nend\n",
        w = width - 1,
        ea = a.expr,
        eb = b.expr,
    ));
    text
}

/// The model of one product: the operand copies, the product, its copy.
#[derive(Clone, Debug, Default)]
pub struct Product {
    a: i64,
    b: i64,
    p: i64,
    out: i64,
}

impl Product {
    /// One clock edge with operands `a`, `b` on the inputs.
    pub fn clock(&mut self, a: i64, b: i64) {
        self.out = self.p;
        self.p = self.a * self.b;
        (self.a, self.b) = (a, b);
    }

    /// The product of the operands of [`DSP_LATENCY`] edges ago.
    pub fn value(&self) -> i64 {
        self.out
    }
}

/// `p` = `a` · `b` (A- and B-bit operands, two's complement when `SIGNED`;
/// P = A + B bits) of the operands [`DSP_LATENCY`] rising edges earlier: one
/// [`product_verilog`] product as a `Wrapper` block, [`Product`] its model.
#[derive(LogicBlock)]
pub struct DspProduct<const A: usize, const B: usize, const P: usize, const SIGNED: bool> {
    pub clock: Signal<In, Clock>,
    pub a: Signal<In, Bits<A>>,
    pub b: Signal<In, Bits<B>>,
    pub p: Signal<Out, Bits<P>>,
    model: Model<Product>,
}

impl<const A: usize, const B: usize, const P: usize, const SIGNED: bool> Default
    for DspProduct<A, B, P, SIGNED>
{
    fn default() -> Self {
        assert_eq!(A + B, P, "the product has A + B bits");
        assert!(A <= 18 && B <= 18, "operands of at most 18 bits");
        Self {
            clock: Default::default(),
            a: Default::default(),
            b: Default::default(),
            p: Default::default(),
            model: Default::default(),
        }
    }
}

impl<const A: usize, const B: usize, const P: usize, const SIGNED: bool> Logic
    for DspProduct<A, B, P, SIGNED>
{
    fn update(&mut self) {
        if self.clock.pos_edge() {
            let operand = |x: u64, width: usize| {
                if SIGNED {
                    signed(x, width)
                } else {
                    x as i64
                }
            };
            let m = &mut self.model.0;
            m.clock(
                operand(self.a.val().to_u64(), A),
                operand(self.b.val().to_u64(), B),
            );
            self.p.next = wrap(m.value(), P).into();
        }
    }

    fn connect(&mut self) {
        self.p.connect();
    }

    fn hdl(&self) -> Verilog {
        let mut code = product_verilog(
            "m",
            Operand {
                expr: "a",
                width: A,
                signed: SIGNED,
            },
            Operand {
                expr: "b",
                width: B,
                signed: SIGNED,
            },
        );
        code.push_str("assign p = m;\n");
        Verilog::Wrapper(Wrapper {
            code,
            cores: String::new(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_product_arrives_after_the_latency() {
        let mut p = Product::default();
        p.clock(3, -4);
        p.clock(0, 0);
        assert_eq!(p.value(), 0);
        p.clock(0, 0);
        assert_eq!(p.value(), -12);
    }

    #[test]
    fn verilog_declares_every_register() {
        let text = product_verilog(
            "m",
            Operand {
                expr: "x",
                width: 18,
                signed: true,
            },
            Operand {
                expr: "y",
                width: 16,
                signed: true,
            },
        );
        for reg in [
            "reg [17:0] m_a;",
            "reg [15:0] m_b;",
            "reg [33:0] m_p;",
            "reg [33:0] m;",
        ] {
            assert!(text.contains(reg), "{reg}");
        }
        assert!(text.contains("$signed(m_a) * $signed(m_b)"));
    }
}
