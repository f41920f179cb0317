//! A multiplier product placed for timing: the operands go into registers
//! that feed nothing else, the product goes into a register that takes
//! nothing else, and that register is copied once more before any logic
//! reads it ([`DSP_LATENCY`] cycles from operands to product). When the
//! Verilog is read with [`ECP5_MACRO`] defined (`spikescan synth` does for
//! the ECP5), the operand and product registers are the MULT18X18D's own
//! input and output registers: the multiplication then starts and ends at a
//! register inside the DSP block, and only routes remain between the
//! fabric and the block (long ones when a design uses most of the chip's
//! multipliers, which sit in fixed rows). Without the macro (simulators,
//! Verilator's lint, other targets) the same registers are fabric
//! registers around an inferred multiplier.
//!
//! [`registered_product_verilog`] writes one product without the copy
//! ([`MULT_LATENCY`] cycles), [`product_verilog`] one with it, both as text
//! for a `Wrapper` block (the `_with` forms keep the operand registers in
//! the fabric on request, [`OperandRegisters`]); [`Product`] is the model of the latter.
//! [`DspProduct`] is one product as a block of its own, for `#[hdl_gen]`
//! designs (the GEMM PE). [`MULT18X18D_MODEL`] is the behavioural model of
//! the DSP cell in the configuration used here, for co-simulating the ECP5
//! form.

use super::int::{signed, wrap};
use super::model::Model;
use super::wrapper_text::{regs, sext, zext};
use rust_hdl::prelude::*;
use std::fmt::Write as _;

/// The Verilog macro that selects the ECP5 MULT18X18D instances.
pub const ECP5_MACRO: &str = "SPIKESCAN_ECP5";
/// Cycles from the operands on the inputs to the registered product (the
/// MULT18X18D's input and output registers).
pub const MULT_LATENCY: usize = 2;
/// Cycles from the operands on the inputs to the product register copy.
pub const DSP_LATENCY: usize = MULT_LATENCY + 1;

/// One operand of a product: its Verilog expression, width and signedness.
pub struct Operand<'a> {
    pub expr: &'a str,
    pub width: usize,
    pub signed: bool,
}

/// Where a product's operand registers are on the ECP5.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OperandRegisters {
    /// The MULT18X18D's input registers: for operands that come from fabric
    /// registers, so that the multiplication starts inside the block.
    InDsp,
    /// Fabric registers feeding the MULT18X18D's combinational inputs: for
    /// operands that come straight from a block RAM, whose slow output
    /// (5.8 ns clock-to-out) must reach a register the placer can put
    /// beside it.
    InFabric,
}

/// The Verilog of product `name` = a · b, [`MULT_LATENCY`] rising edges
/// after the operands, with the operand registers in the MULT18X18D: see
/// [`registered_product_verilog_with`].
pub fn registered_product_verilog(name: &str, a: Operand, b: Operand) -> String {
    registered_product_verilog_with(name, a, b, OperandRegisters::InDsp)
}

/// The Verilog of product `name` = a · b, [`MULT_LATENCY`] rising edges
/// after the operands: the wire `name` (A + B bits, two's complement when
/// signed) and everything behind it, with names starting `name_`; on the
/// ECP5 the product register is the MULT18X18D's output register and the
/// operand registers are where `operands` says. Both operands must fit one
/// MULT18X18D port (18 bits signed, or 18 unsigned with the other unsigned
/// too).
pub fn registered_product_verilog_with(
    name: &str,
    a: Operand,
    b: Operand,
    operands: OperandRegisters,
) -> String {
    assert!(
        a.width <= 18 && b.width <= 18,
        "{name}: operands exceed 18 bits"
    );
    assert_eq!(a.signed, b.signed, "{name}: operands of one signedness");
    let width = a.width + b.width;
    let extend = |x: &str, w: usize| {
        if a.signed {
            sext(x, w, 18)
        } else {
            zext(x, w, 18)
        }
    };
    let (ia, ib, ra, rb, rp) = (
        format!("{name}_ia"),
        format!("{name}_ib"),
        format!("{name}_a"),
        format!("{name}_b"),
        format!("{name}_p"),
    );
    let operand_registers = format!(
        "{}always @(posedge clock) begin\n    {ra} <= {ia};\n    {rb} <= {ib};\nend\n",
        regs(&[(&ra, a.width, false), (&rb, b.width, false)])
    );
    let fabric = operands == OperandRegisters::InFabric;
    let mut text = format!(
        "wire [{wa}:0] {ia};\nassign {ia} = {ea};\nwire [{wb}:0] {ib};\nassign {ib} = {eb};\n\
         wire [{w}:0] {name};\n",
        wa = a.width - 1,
        wb = b.width - 1,
        w = width - 1,
        ea = a.expr,
        eb = b.expr,
    );
    if fabric {
        text.push_str(&operand_registers);
    }
    let (pin_a, pin_b, input_clock) = if fabric {
        (&ra, &rb, "NONE")
    } else {
        (&ia, &ib, "CLK0")
    };
    let sign = if a.signed { "1'b1" } else { "1'b0" };
    let _ = write!(
        text,
        "`ifdef {ECP5_MACRO}\n\
         wire [17:0] {name}_a18;\nassign {name}_a18 = {xa};\n\
         wire [17:0] {name}_b18;\nassign {name}_b18 = {xb};\n\
         wire [35:0] {name}_p36;\n\
         MULT18X18D #(.REG_INPUTA_CLK(\"{input_clock}\"), .REG_INPUTB_CLK(\"{input_clock}\"), \
         .REG_OUTPUT_CLK(\"CLK0\"), .GSR(\"DISABLED\"), .RESETMODE(\"SYNC\")) {name}_mult (\n    ",
        xa = extend(pin_a, a.width),
        xb = extend(pin_b, b.width),
    );
    for port in ["A", "B"] {
        for i in 0..18 {
            let _ = write!(text, ".{port}{i}({name}_{}18[{i}]), ", port.to_lowercase());
        }
        text.push_str("\n    ");
    }
    for i in 0..18 {
        let _ = write!(text, ".C{i}(1'b0), ");
    }
    let _ = write!(
        text,
        "\n    .SIGNEDA({sign}), .SIGNEDB({sign}), .SOURCEA(1'b0), .SOURCEB(1'b0), \
         .CLK0(clock), .CE0(1'b1), .RST0(1'b0),\n    "
    );
    let pins: Vec<String> = (0..36).map(|i| format!(".P{i}({name}_p36[{i}])")).collect();
    let _ = write!(
        text,
        "{}\n);\nassign {name} = {name}_p36[{}:0];\n`else\n",
        pins.join(", "),
        width - 1
    );
    if !fabric {
        text.push_str(&operand_registers);
    }
    text.push_str(&regs(&[(&rp, width, false)]));
    let product = if a.signed {
        format!("$signed({ra}) * $signed({rb})")
    } else {
        format!("{ra} * {rb}")
    };
    let _ = write!(
        text,
        "wire [{w}:0] {name}_mul;\nassign {name}_mul = {product};\n\
         always @(posedge clock) {rp} <= {name}_mul;\nassign {name} = {rp};\n`endif\n",
        w = width - 1,
    );
    text
}

/// The Verilog of product `name` = a · b, [`DSP_LATENCY`] rising edges
/// after the operands: a [`registered_product_verilog`] product `name_p` and
/// its copy, the register `name` (declared, with its `always` block), the
/// one to read.
pub fn product_verilog(name: &str, a: Operand, b: Operand) -> String {
    product_verilog_with(name, a, b, OperandRegisters::InDsp)
}

/// [`product_verilog`] with the operand registers where `operands` says.
pub fn product_verilog_with(
    name: &str,
    a: Operand,
    b: Operand,
    operands: OperandRegisters,
) -> String {
    let width = a.width + b.width;
    let np = format!("{name}_p");
    let mut text = registered_product_verilog_with(&np, a, b, operands);
    text.push_str(&regs(&[(name, width, false)]));
    let _ = writeln!(text, "always @(posedge clock) {name} <= {np};");
    text
}

/// The behavioural MULT18X18D of the ECP5 co-simulations, for the one
/// configurations [`registered_product_verilog_with`] instantiates
/// (Lattice TN1267, sysDSP): A and B registered on CLK0 or not registered,
/// the 36-bit product of the two (signed when SIGNEDA/SIGNEDB are high)
/// registered on CLK0, no pipeline register, CE0 high and RST0 low. Any
/// other parameter value stops the simulation. Yosys ships only a black box
/// of the cell.
pub const MULT18X18D_MODEL: &str = include_str!("mult18x18d_model.v");

/// `verilog` as synthesis for the ECP5 reads it, with the MULT18X18D
/// instances of its products ([`ECP5_MACRO`] defined), and
/// [`MULT18X18D_MODEL`] for simulators.
pub fn ecp5_form(verilog: &str) -> String {
    format!("`define {ECP5_MACRO}\n{verilog}\n{MULT18X18D_MODEL}")
}

/// The model of one [`product_verilog`] product: the operand registers, the
/// product register, its copy.
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
/// [`product_verilog_with`] product as a `Wrapper` block, [`Product`] its
/// model. Its operand registers are in the fabric
/// ([`OperandRegisters::InFabric`]): the GEMM PEs of the first row and
/// column take theirs straight from the block-RAM buffers.
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
        let mut code = product_verilog_with(
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
            OperandRegisters::InFabric,
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
        let (ecp5, fabric) = text.split_once("`else").expect("an ECP5 and a fabric form");
        assert!(ecp5.contains("`ifdef SPIKESCAN_ECP5"));
        for part in [
            "MULT18X18D #(.REG_INPUTA_CLK(\"CLK0\"), .REG_INPUTB_CLK(\"CLK0\"), .REG_OUTPUT_CLK(\"CLK0\")",
            "assign m_p_b18 = {{2{m_p_ib[15]}}, m_p_ib};",
            ".A17(m_p_a18[17])",
            ".P35(m_p_p36[35])",
            ".SIGNEDA(1'b1), .SIGNEDB(1'b1)",
            "assign m_p = m_p_p36[33:0];",
        ] {
            assert!(ecp5.contains(part), "{part}");
        }
        for reg in [
            "reg [17:0] m_p_a;",
            "reg [15:0] m_p_b;",
            "reg [33:0] m_p_p;",
        ] {
            assert!(fabric.contains(reg), "{reg}");
        }
        assert!(fabric.contains("$signed(m_p_a) * $signed(m_p_b)"));
        assert!(text.contains("reg [33:0] m;"));
        assert!(text.contains("always @(posedge clock) m <= m_p;"));
    }
}
