//! The exp2neg unit of a scan PE: dA = 2^(−Δ·a2) (`golden::ssm::fixed::
//! units::Exp2Neg::eval` of the exact product Δ·a2), pipelined for the
//! ECP5's 100 MHz: one multiply, one block-RAM read or one short add per
//! stage.
//!
//! | cycle | operation                                                         | width   |
//! |-------|-------------------------------------------------------------------|---------|
//! | 1 – 3 | y = Δ·a2 (UQ2.16 × UQ6.10 = UQ8.26, one MULT18X18D, [`DSP_LATENCY`]) | 34 u  |
//! | 4     | (lo, hi) = ROM[y[25:18]] (2^(−k/256), 2^(−(k+1)/256), UQ1.17);    | 18, 18  |
//! |       | whole = y[33:26], f = y[17:8]                                     | 8, 10   |
//! | 5     | (lo, hi) again, in flip-flops (block RAM data arrives late)      | 18, 18  |
//! | 6     | diff = hi − lo                                                    | 11 s    |
//! | 7     | diff·f, partial sums of the shifted diffs (no DSP)                | 22 s    |
//! | 8     | p = diff·f + 2^9                                                  | 22 s    |
//! | 9     | interp = lo + (p >> 10) (round half up, ≤ 2^17)                   | 18 u    |
//! | 10    | t = whole ≥ 18 ? 0 : whole = 0 ? 2·interp : interp >> (whole − 1) | 19 u    |
//! | 11    | dA = (t + 1) >> 1                                                 | 18 u    |
//!
//! Cycles 10–11 are `round_shift(interp, whole)`: for s ≥ 1,
//! (x + 2^(s−1)) >> s = ((x >> (s−1)) + 1) >> 1, and for s = 0 the doubling
//! makes (2x + 1) >> 1 = x. dA arrives [`EXP2NEG_LATENCY`] cycles after its
//! operands. |hi − lo| < 2^9 (see [`super::super::scan_tables`]) bounds
//! diff; the lerp product is small enough for shifted adds.

use crate::common::dsp::{product_verilog, Operand, Product, DSP_LATENCY};
use crate::common::model::Model;
use crate::common::wrapper_text::regs;
use crate::ssm::scan_tables::{exp2neg_pairs, rom_verilog};
use rust_hdl::prelude::*;

/// Cycles from (Δ, a2) on the inputs to dA on the output.
pub const EXP2NEG_LATENCY: usize = DSP_LATENCY + 8;

#[derive(LogicBlock)]
pub struct Exp2NegUnit {
    pub clock: Signal<In, Clock>,
    /// Δ, UQ2.16.
    pub dlt: Signal<In, Bits<18>>,
    /// a2 = −A·log2(e), UQ6.10.
    pub a2: Signal<In, Bits<16>>,
    /// dA, UQ1.17 (1.0 = 2^17).
    pub da: Signal<Out, Bits<18>>,
    pipe: Model<Pipe>,
}

/// The pipeline registers, named by the cycle they are read in.
#[derive(Clone, Debug, Default)]
struct Pipe {
    rom: Vec<(u64, u64)>,
    y: Product,
    pair4: (u64, u64),
    whole4: u64,
    f4: u64,
    pair5: (u64, u64),
    whole5: u64,
    f5: u64,
    lo6: u64,
    diff6: i64,
    whole6: u64,
    f6: u64,
    lo7: u64,
    prod7: i64,
    whole7: u64,
    lo8: u64,
    p8: i64,
    whole8: u64,
    interp9: u64,
    whole9: u64,
    t10: u64,
    da11: u64,
}

impl Pipe {
    /// One clock edge: every stage takes its predecessor's old value.
    fn clock(&mut self, dlt: u64, a2: u64) {
        self.da11 = (self.t10 + 1) >> 1;
        self.t10 = match self.whole9 {
            0 => self.interp9 << 1,
            w if w >= 18 => 0,
            w => self.interp9 >> (w - 1),
        };
        self.interp9 = (self.lo8 as i64 + (self.p8 >> 10)) as u64;
        self.whole9 = self.whole8;
        (self.lo8, self.p8, self.whole8) = (self.lo7, self.prod7 + 512, self.whole7);
        (self.lo7, self.prod7, self.whole7) = (self.lo6, self.diff6 * self.f6 as i64, self.whole6);
        self.lo6 = self.pair5.0;
        self.diff6 = self.pair5.1 as i64 - self.pair5.0 as i64;
        (self.whole6, self.f6) = (self.whole5, self.f5);
        (self.pair5, self.whole5, self.f5) = (self.pair4, self.whole4, self.f4);
        let y = self.y.value() as u64;
        self.pair4 = self.rom[((y >> 18) & 0xff) as usize];
        self.whole4 = y >> 26;
        self.f4 = (y >> 8) & 0x3ff;
        self.y.clock(dlt as i64, a2 as i64);
    }
}

impl Default for Exp2NegUnit {
    fn default() -> Self {
        Self {
            clock: Default::default(),
            dlt: Default::default(),
            a2: Default::default(),
            da: Default::default(),
            pipe: Model(Pipe {
                rom: exp2neg_pairs(),
                ..Default::default()
            }),
        }
    }
}

impl Logic for Exp2NegUnit {
    fn update(&mut self) {
        if self.clock.pos_edge() {
            let p = &mut self.pipe.0;
            p.clock(self.dlt.val().to_u64(), self.a2.val().to_u64());
            self.da.next = p.da11.into();
        }
    }

    fn connect(&mut self) {
        self.da.connect();
    }

    fn hdl(&self) -> Verilog {
        let mut code = rom_verilog("rom", &self.pipe.0.rom);
        code.push_str(&product_verilog(
            "y",
            Operand {
                expr: "dlt",
                width: 18,
                signed: false,
            },
            Operand {
                expr: "a2",
                width: 16,
                signed: false,
            },
        ));
        code.push_str(&regs(&[
            ("pair4", 36, false),
            ("whole4", 8, false),
            ("f4", 10, false),
            ("pair5", 36, false),
            ("whole5", 8, false),
            ("f5", 10, false),
            ("lo6", 18, false),
            ("diff6", 11, false),
            ("whole6", 8, false),
            ("f6", 10, false),
            ("lo7", 18, false),
            ("q7a", 22, false),
            ("q7b", 22, false),
            ("q7c", 22, false),
            ("q7d", 22, false),
            ("whole7", 8, false),
            ("lo8", 18, false),
            ("p8", 22, false),
            ("whole8", 8, false),
            ("interp9", 18, false),
            ("whole9", 8, false),
            ("t10", 19, false),
            ("da11", 18, false),
        ]));
        code.push_str(
            "\
wire [17:0] diff;
assign diff = pair5[35:18] - pair5[17:0];
wire [21:0] d;
assign d = {{11{diff6[10]}}, diff6};
wire [21:0] pp0, pp1, pp2, pp3, pp4, pp5, pp6, pp7, pp8, pp9;
assign pp0 = f6[0] ? d : 22'd0;
assign pp1 = f6[1] ? {d[20:0], 1'd0} : 22'd0;
assign pp2 = f6[2] ? {d[19:0], 2'd0} : 22'd0;
assign pp3 = f6[3] ? {d[18:0], 3'd0} : 22'd0;
assign pp4 = f6[4] ? {d[17:0], 4'd0} : 22'd0;
assign pp5 = f6[5] ? {d[16:0], 5'd0} : 22'd0;
assign pp6 = f6[6] ? {d[15:0], 6'd0} : 22'd0;
assign pp7 = f6[7] ? {d[14:0], 7'd0} : 22'd0;
assign pp8 = f6[8] ? {d[13:0], 8'd0} : 22'd0;
assign pp9 = f6[9] ? {d[12:0], 9'd0} : 22'd0;
wire [18:0] shifted;
assign shifted = {1'b0, interp9} >> (whole9 - 8'd1);
wire [18:0] t_next;
assign t_next = (whole9 == 8'd0) ? {interp9, 1'b0} : ((whole9 >= 8'd18) ? 19'd0 : shifted);
wire [18:0] t_inc;
assign t_inc = t10 + 19'd1;
always @(posedge clock) begin
    pair4 <= rom[y[25:18]];
    whole4 <= y[33:26];
    f4 <= y[17:8];
    pair5 <= pair4;
    whole5 <= whole4;
    f5 <= f4;
    lo6 <= pair5[17:0];
    diff6 <= diff[10:0];
    whole6 <= whole5;
    f6 <= f5;
    lo7 <= lo6;
    q7a <= pp0 + pp1 + pp2;
    q7b <= pp3 + pp4 + pp5;
    q7c <= pp6 + pp7 + pp8;
    q7d <= pp9 + 22'd512;
    whole7 <= whole6;
    lo8 <= lo7;
    p8 <= (q7a + q7b) + (q7c + q7d);
    whole8 <= whole7;
    interp9 <= lo8 + {{6{p8[21]}}, p8[21:10]};
    whole9 <= whole8;
    t10 <= t_next;
    da11 <= t_inc[18:1];
end
assign da = da11;
",
        );
        Verilog::Wrapper(Wrapper {
            code,
            cores: String::new(),
        })
    }
}
