//! A registered multiplier on one ECP5 MULT18X18D with its input and output
//! registers in use: W-bit operands (W ≤ 16), signed (two's complement) or
//! unsigned, the low 32 bits of the product — exact: a signed product
//! sign-extended to 32 bits — on `p`, for the operands of cycle t in cycle
//! t + 2. The PE multiplies int8 × int8 with it ([`DspMul`]`<8, true>`), the
//! sequencer its useful-MAC count per row (`<16, false>`).
//!
//! Yosys 0.23 maps `*` onto MULT18X18D with every register bypassed, and
//! the routing into and out of a combinational DSP dominates the GEMM
//! array's timing: placed and routed (nextpnr 0.11.1, LFE5U-85F speed 6), a
//! flip-flop → MULT18X18D → flip-flop path takes 8.0–13.5 ns in the 8×8
//! core (3.9 ns in the DSP, up to 4.2 ns of routing on each side), also with
//! registers dedicated to the operands (90 MHz). With the DSP's own
//! registers the fabric paths end and start at the DSP's pins, and the core
//! places and routes above 120 MHz. Since Yosys does not pack registers
//! into the DSP, the block instantiates the cell itself (a [`Wrapper`]),
//! with the parameters that enable the registers: `REG_INPUTA_CLK`,
//! `REG_INPUTB_CLK` and `REG_OUTPUT_CLK` on CLK0, the pipeline register
//! bypassed, CE0 high, RST0 low. Signed operands are sign-extended to the
//! 18-bit ports with SIGNEDA = SIGNEDB = 1 (two's-complement mode, as
//! Lattice's sysDSP guide asks for them), unsigned ones zero-extended with
//! SIGNEDA = SIGNEDB = 0; P[31:0] is the product.
//!
//! For simulators and Verilator, the Verilog carries a behavioural
//! MULT18X18D ([`MULT18X18D_MODEL`]) inside `ifndef SYNTHESIS`: Yosys, which
//! defines SYNTHESIS, maps the instance onto its own MULT18X18D cell. The
//! model implements the cell's register structure for the parameters it
//! declares (input, pipeline and output registers each on CLK0 or
//! bypassed, clock enable CE0, synchronous reset RST0, SIGNEDA/SIGNEDB) and
//! nothing else: an instance that set another parameter would not
//! elaborate. `sim/tests/dsp_mul_cosim.rs` runs this wrapper's Verilog with
//! the model under Icarus against the Rust model below: the PE's form on
//! every int8 pair, the sequencer's on random 16-bit operands.

use rust_hdl::prelude::*;

/// p = the low 32 bits of a · b (W-bit operands, two's complement if
/// SIGNED) of the operands two rising edges earlier.
#[derive(LogicBlock)]
pub struct DspMul<const W: usize, const SIGNED: bool> {
    pub clock: Signal<In, Clock>,
    pub a: Signal<In, Bits<W>>,
    pub b: Signal<In, Bits<W>>,
    /// The product of the `a`, `b` of two cycles ago.
    pub p: Signal<Out, Bits<32>>,
    /// The Rust model of the DSP's input registers.
    _a_q: u64,
    _b_q: u64,
}

impl<const W: usize, const SIGNED: bool> Default for DspMul<W, SIGNED> {
    fn default() -> Self {
        assert!((1..=16).contains(&W), "operands of 1 to 16 bits");
        Self {
            clock: Default::default(),
            a: Default::default(),
            b: Default::default(),
            p: Default::default(),
            _a_q: 0,
            _b_q: 0,
        }
    }
}

/// The low 32 bits of the product of the W-bit operands `a` and `b`, read
/// as two's complement when `signed`.
pub fn product(a: u64, b: u64, w: usize, signed: bool) -> u32 {
    let value = |x: u64| {
        let x = x & ((1 << w) - 1);
        if signed && x >> (w - 1) == 1 {
            x as i64 - (1 << w)
        } else {
            x as i64
        }
    };
    (value(a) * value(b)) as u32
}

impl<const W: usize, const SIGNED: bool> Logic for DspMul<W, SIGNED> {
    fn update(&mut self) {
        if self.clock.pos_edge() {
            self.p.next = (product(self._a_q, self._b_q, W, SIGNED) as u64).into();
            self._a_q = self.a.val().to_u64();
            self._b_q = self.b.val().to_u64();
        }
    }

    fn connect(&mut self) {
        self.p.connect();
    }

    fn hdl(&self) -> Verilog {
        // Operand bit i of an 18-bit port: the operand's, then its sign
        // (signed) or zero.
        let operand = |x: &str, i: usize| match (i < W, SIGNED) {
            (true, _) => format!("{x}[{i}]"),
            (false, true) => format!("{x}[{}]", W - 1),
            (false, false) => "1'b0".to_string(),
        };
        let signed = if SIGNED { "1'b1" } else { "1'b0" };
        let mut pins = Vec::new();
        for i in 0..18 {
            pins.push(format!(".A{i}({})", operand("a", i)));
        }
        for i in 0..18 {
            pins.push(format!(".B{i}({})", operand("b", i)));
        }
        for i in 0..18 {
            pins.push(format!(".C{i}(1'b0)"));
        }
        pins.extend([
            format!(".SIGNEDA({signed})"),
            format!(".SIGNEDB({signed})"),
            ".SOURCEA(1'b0)".to_string(),
            ".SOURCEB(1'b0)".to_string(),
            ".CLK0(clock)".to_string(),
            ".CE0(1'b1)".to_string(),
            ".RST0(1'b0)".to_string(),
        ]);
        for i in 0..36 {
            if i < 32 {
                pins.push(format!(".P{i}(p[{i}])"));
            } else {
                pins.push(format!(".P{i}(p_high[{}])", i - 32));
            }
        }
        Verilog::Wrapper(Wrapper {
            code: format!(
                "wire [3:0] p_high;\n\
MULT18X18D #(.REG_INPUTA_CLK(\"CLK0\"), .REG_INPUTB_CLK(\"CLK0\"), .REG_PIPELINE_CLK(\"NONE\"), \
.REG_OUTPUT_CLK(\"CLK0\")) dsp({});\n",
                pins.join(", ")
            ),
            cores: MULT18X18D_MODEL.to_string(),
        })
    }

    fn timing(&self) -> Vec<TimingInfo> {
        vec![TimingInfo {
            name: "dsp_mul".into(),
            clock: "clock".into(),
            inputs: vec!["a".into(), "b".into()],
            outputs: vec!["p".into()],
        }]
    }
}

/// The behavioural MULT18X18D of the simulators and of Verilator's lint:
/// the ports this project connects (A, B, C, SIGNEDA/B, SOURCEA/B, CLK0,
/// CE0, RST0, P; named as in Yosys' `ecp5/cells_bb.v`) and the cell's
/// register structure, from Lattice's sysDSP usage guide (TN1267): A and B
/// each through an input register or not, the 36-bit product through a
/// pipeline register or not, then an output register or not; every register
/// on CLK0, enabled by CE0, cleared by RST0 (RESETMODE "SYNC"). SIGNEDA and
/// SIGNEDB select two's complement (sign extension of the 18-bit operand)
/// per operand; this project drives them with constants. The C operand and
/// SOURCEA/SOURCEB (cascade inputs) are unused. Include-guarded: rust-hdl
/// emits a wrapper's cores once per instance.
pub const MULT18X18D_MODEL: &str = "\
`ifndef SYNTHESIS
`ifndef SPIKESCAN_MULT18X18D_MODEL
`define SPIKESCAN_MULT18X18D_MODEL
module MULT18X18D(
    input wire A0, A1, A2, A3, A4, A5, A6, A7, A8, A9, A10, A11, A12, A13, A14, A15, A16, A17,
    input wire B0, B1, B2, B3, B4, B5, B6, B7, B8, B9, B10, B11, B12, B13, B14, B15, B16, B17,
    input wire C0, C1, C2, C3, C4, C5, C6, C7, C8, C9, C10, C11, C12, C13, C14, C15, C16, C17,
    input wire SIGNEDA, SIGNEDB, SOURCEA, SOURCEB,
    input wire CLK0, CE0, RST0,
    output wire P0, P1, P2, P3, P4, P5, P6, P7, P8, P9, P10, P11, P12, P13, P14, P15, P16, P17,
    output wire P18, P19, P20, P21, P22, P23, P24, P25, P26, P27, P28, P29, P30, P31, P32, P33, P34, P35
);
    parameter REG_INPUTA_CLK = \"NONE\";
    parameter REG_INPUTB_CLK = \"NONE\";
    parameter REG_PIPELINE_CLK = \"NONE\";
    parameter REG_OUTPUT_CLK = \"NONE\";
    wire [17:0] a = {A17, A16, A15, A14, A13, A12, A11, A10, A9, A8, A7, A6, A5, A4, A3, A2, A1, A0};
    wire [17:0] b = {B17, B16, B15, B14, B13, B12, B11, B10, B9, B8, B7, B6, B5, B4, B3, B2, B1, B0};
    reg [17:0] a_reg = 18'h0;
    reg [17:0] b_reg = 18'h0;
    reg [35:0] pipe_reg = 36'h0;
    reg [35:0] out_reg = 36'h0;
    wire [17:0] a_mul = (REG_INPUTA_CLK == \"CLK0\") ? a_reg : a;
    wire [17:0] b_mul = (REG_INPUTB_CLK == \"CLK0\") ? b_reg : b;
    wire [35:0] a_ext = {(SIGNEDA ? {18{a_mul[17]}} : 18'h0), a_mul};
    wire [35:0] b_ext = {(SIGNEDB ? {18{b_mul[17]}} : 18'h0), b_mul};
    wire [35:0] prod = a_ext * b_ext;
    wire [35:0] piped = (REG_PIPELINE_CLK == \"CLK0\") ? pipe_reg : prod;
    wire [35:0] p = (REG_OUTPUT_CLK == \"CLK0\") ? out_reg : piped;
    always @(posedge CLK0) begin
        if (RST0) begin
            a_reg <= 18'h0;
            b_reg <= 18'h0;
            pipe_reg <= 36'h0;
            out_reg <= 36'h0;
        end else if (CE0) begin
            a_reg <= a;
            b_reg <= b;
            pipe_reg <= prod;
            out_reg <= piped;
        end
    end
    assign {P35, P34, P33, P32, P31, P30, P29, P28, P27, P26, P25, P24, P23, P22, P21, P20, P19, P18,
            P17, P16, P15, P14, P13, P12, P11, P10, P9, P8, P7, P6, P5, P4, P3, P2, P1, P0} = p;
endmodule
`endif
`endif
";
