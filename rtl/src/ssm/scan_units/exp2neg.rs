//! The exp2neg unit of a scan PE: dA = 2^(−Δ·a2) (`golden::ssm::fixed::
//! units::Exp2Neg::eval` of the exact product Δ·a2), pipelined for the
//! ECP5's 100 MHz: one multiply, one block-RAM read or one short add per
//! stage.
//!
//! | stage | operation                                                        | width   |
//! |-------|------------------------------------------------------------------|---------|
//! | 1     | y = Δ·a2 (UQ2.16 × UQ6.10 = UQ8.26, one MULT18X18D); split into   | 34 u    |
//! |       | whole = y[33:26], k = y[25:18], f = y[17:8]                       | 8, 8, 10|
//! | 2     | (lo, hi) = ROM[k] (2^(−k/256), 2^(−(k+1)/256), UQ1.17)            | 18, 18  |
//! | 3     | (lo, hi) again, in flip-flops (block RAM data arrives late)       | 18, 18  |
//! | 4     | diff = hi − lo                                                    | 11 s    |
//! | 5     | prod = diff · f                                                   | 22 s    |
//! | 6     | step = (prod + 2^9) >> 10 (round half up)                         | 12 s    |
//! | 7     | interp = lo + step (≤ 2^17)                                       | 18 u    |
//! | 8     | t = whole ≥ 18 ? 0 : whole = 0 ? 2·interp : interp >> (whole − 1) | 19 u    |
//! | 9     | dA = (t + 1) >> 1                                                 | 18 u    |
//!
//! Stages 8–9 are `round_shift(interp, whole)`: for s ≥ 1,
//! (x + 2^(s−1)) >> s = ((x >> (s−1)) + 1) >> 1, and for s = 0 the doubling
//! makes (2x + 1) >> 1 = x. dA arrives [`EXP2NEG_LATENCY`] cycles after its
//! operands; both must come straight from registers (the multiplier is the
//! first thing they meet). |hi − lo| < 2^9 (see [`super::super::scan_tables`])
//! bounds diff.

use crate::common::model::Model;
use crate::common::wrapper_text::regs;
use crate::ssm::scan_tables::{exp2neg_pairs, rom_verilog};
use rust_hdl::prelude::*;

/// Cycles from (Δ, a2) on the inputs to dA on the output.
pub const EXP2NEG_LATENCY: usize = 9;

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

/// The pipeline registers, named by stage.
#[derive(Clone, Debug, Default)]
struct Pipe {
    rom: Vec<(u64, u64)>,
    whole1: u64,
    k1: u64,
    f1: u64,
    whole2: u64,
    f2: u64,
    pair2: (u64, u64),
    whole3: u64,
    f3: u64,
    lo3: u64,
    hi3: u64,
    whole4: u64,
    f4: u64,
    lo4: u64,
    diff4: i64,
    whole5: u64,
    lo5: u64,
    prod5: i64,
    whole6: u64,
    lo6: u64,
    step6: i64,
    whole7: u64,
    interp7: u64,
    t8: u64,
    da9: u64,
}

impl Pipe {
    /// One clock edge: every stage takes its predecessor's old value.
    fn clock(&mut self, dlt: u64, a2: u64) {
        self.da9 = (self.t8 + 1) >> 1;
        self.t8 = match self.whole7 {
            0 => self.interp7 << 1,
            w if w >= 18 => 0,
            w => self.interp7 >> (w - 1),
        };
        self.whole7 = self.whole6;
        self.interp7 = (self.lo6 as i64 + self.step6) as u64;
        self.whole6 = self.whole5;
        self.lo6 = self.lo5;
        self.step6 = (self.prod5 + 512) >> 10;
        self.whole5 = self.whole4;
        self.lo5 = self.lo4;
        self.prod5 = self.diff4 * self.f4 as i64;
        self.whole4 = self.whole3;
        self.f4 = self.f3;
        self.lo4 = self.lo3;
        self.diff4 = self.hi3 as i64 - self.lo3 as i64;
        self.whole3 = self.whole2;
        self.f3 = self.f2;
        (self.lo3, self.hi3) = self.pair2;
        self.pair2 = self.rom[self.k1 as usize];
        self.whole2 = self.whole1;
        self.f2 = self.f1;
        let y = dlt * a2;
        self.whole1 = y >> 26;
        self.k1 = (y >> 18) & 0xff;
        self.f1 = (y >> 8) & 0x3ff;
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
            self.da.next = p.da9.into();
        }
    }

    fn connect(&mut self) {
        self.da.connect();
    }

    fn hdl(&self) -> Verilog {
        let mut code = rom_verilog("rom", &self.pipe.0.rom);
        code.push_str(&regs(&[
            ("whole1", 8, false),
            ("k1", 8, false),
            ("f1", 10, false),
            ("whole2", 8, false),
            ("f2", 10, false),
            ("pair2", 36, false),
            ("whole3", 8, false),
            ("f3", 10, false),
            ("lo3", 18, false),
            ("hi3", 18, false),
            ("whole4", 8, false),
            ("f4", 10, false),
            ("lo4", 18, false),
            ("diff4", 11, false),
            ("whole5", 8, false),
            ("lo5", 18, false),
            ("prod5", 22, false),
            ("whole6", 8, false),
            ("lo6", 18, false),
            ("step6", 12, false),
            ("whole7", 8, false),
            ("interp7", 18, false),
            ("t8", 19, false),
            ("da9", 18, false),
        ]));
        code.push_str(
            "\
wire [33:0] y;
assign y = dlt * a2;
wire [17:0] diff;
assign diff = hi3 - lo3;
wire signed [21:0] prod;
assign prod = $signed(diff4) * $signed({1'b0, f4});
wire [21:0] rounded;
assign rounded = prod5 + 22'd512;
wire [18:0] shifted;
assign shifted = {1'b0, interp7} >> (whole7 - 8'd1);
wire [18:0] t_next;
assign t_next = (whole7 == 8'd0) ? {interp7, 1'b0} : ((whole7 >= 8'd18) ? 19'd0 : shifted);
wire [18:0] t_inc;
assign t_inc = t8 + 19'd1;
always @(posedge clock) begin
    whole1 <= y[33:26];
    k1 <= y[25:18];
    f1 <= y[17:8];
    pair2 <= rom[k1];
    whole2 <= whole1;
    f2 <= f1;
    whole3 <= whole2;
    f3 <= f2;
    lo3 <= pair2[17:0];
    hi3 <= pair2[35:18];
    whole4 <= whole3;
    f4 <= f3;
    lo4 <= lo3;
    diff4 <= diff[10:0];
    whole5 <= whole4;
    lo5 <= lo4;
    prod5 <= prod;
    whole6 <= whole5;
    lo6 <= lo5;
    step6 <= rounded[21:10];
    whole7 <= whole6;
    interp7 <= lo6 + {{6{step6[11]}}, step6};
    t8 <= t_next;
    da9 <= t_inc[18:1];
end
assign da = da9;
",
        );
        Verilog::Wrapper(Wrapper {
            code,
            cores: String::new(),
        })
    }
}
