//! The interpolated correction term shared by the softplus and SiLU units:
//! g(a) = lerp(T[k], T[k+1], f, 4) for a magnitude a in Q.10, k = a >> 4
//! (knots 1/64 apart), f = a mod 16, T a ROM of UQ0.16 pairs that is zero
//! from `end` on (`golden::ssm::fixed::units::CorrectionTable::eval`).
//!
//! | stage | operation                                        | width |
//! |-------|--------------------------------------------------|-------|
//! | c1    | k = min(a >> 4, end), f = a & 15 (ROM address)   | ≤ 11, 4 u |
//! | c2    | (lo, hi) = ROM[k]                                | 18, 18 u |
//! | c3    | (lo, hi) again, in flip-flops (block RAM data is late) | 18, 18 u |
//! | c4    | diff = hi − lo                                   | 12 s  |
//! | c5    | prod = diff·f (four shifted adds, no DSP)         | 16 s  |
//! | c6    | g = lo + ((prod + 8) >> 4)                        | 18 u  |
//!
//! |hi − lo| < 2^11 for both tables (`scan_tables`' tests). The host unit
//! instantiates the stages in its own Verilog ([`lerp_verilog`]) and model
//! ([`Lerp`]) and delays its other operands by [`LERP_LATENCY`].

use crate::common::wrapper_text::regs;
use crate::ssm::scan_tables::rom_verilog;
use std::fmt::Write as _;

/// Cycles from a on the input to g.
pub const LERP_LATENCY: usize = 6;

/// The model of the six stages.
#[derive(Clone, Debug, Default)]
pub struct Lerp {
    rom: Vec<(u64, u64)>,
    end: u64,
    k1: u64,
    f1: u64,
    pair2: (u64, u64),
    f2: u64,
    pair3: (u64, u64),
    f3: u64,
    lo4: u64,
    diff4: i64,
    f4: u64,
    lo5: u64,
    prod5: i64,
    g6: u64,
}

impl Lerp {
    /// ROM `rom` of which word `end` and beyond are zero.
    pub fn new(rom: Vec<(u64, u64)>) -> Self {
        let end = rom.len() as u64 - 1;
        Self {
            rom,
            end,
            ..Default::default()
        }
    }

    /// One clock edge with magnitude `a` (17 bits) on the input.
    pub fn clock(&mut self, a: u64) {
        self.g6 = (self.lo5 as i64 + ((self.prod5 + 8) >> 4)) as u64;
        self.lo5 = self.lo4;
        self.prod5 = self.diff4 * self.f4 as i64;
        self.lo4 = self.pair3.0;
        self.diff4 = self.pair3.1 as i64 - self.pair3.0 as i64;
        self.f4 = self.f3;
        self.pair3 = self.pair2;
        self.f3 = self.f2;
        self.pair2 = self.rom[self.k1 as usize];
        self.f2 = self.f1;
        self.k1 = (a >> 4).min(self.end);
        self.f1 = a & 15;
    }

    /// g of the magnitude that entered [`LERP_LATENCY`] edges ago, UQ0.16.
    pub fn g(&self) -> u64 {
        self.g6
    }

    pub fn rom(&self) -> &[(u64, u64)] {
        &self.rom
    }
}

/// The Verilog of the six stages for the 17-bit magnitude `a` (a wire or
/// register of the host), giving the 18-bit register `g6`. Declares `rom`,
/// `lk1 … g6` and their `always` block.
pub fn lerp_verilog(lerp: &Lerp, a: &str) -> String {
    let end = lerp.end;
    let kbits = 64 - end.leading_zeros() as usize;
    let mut text = rom_verilog("rom", &lerp.rom);
    text.push_str(&regs(&[
        ("lk1", kbits, false),
        ("lf1", 4, false),
        ("lpair2", 36, false),
        ("lf2", 4, false),
        ("lpair3", 36, false),
        ("lf3", 4, false),
        ("llo4", 18, false),
        ("ldiff4", 12, false),
        ("lf4", 4, false),
        ("llo5", 18, false),
        ("lprod5", 16, false),
        ("g6", 18, false),
    ]));
    let _ = write!(
        text,
        "\
wire [17:0] ldiff;
assign ldiff = lpair3[35:18] - lpair3[17:0];
wire [15:0] ld;
assign ld = {{{{4{{ldiff4[11]}}}}, ldiff4}};
wire [15:0] lprod;
assign lprod = (lf4[0] ? ld : 16'd0) + (lf4[1] ? {{ld[14:0], 1'b0}} : 16'd0)
    + (lf4[2] ? {{ld[13:0], 2'd0}} : 16'd0) + (lf4[3] ? {{ld[12:0], 3'd0}} : 16'd0);
wire [15:0] lround;
assign lround = lprod5 + 16'd8;
always @(posedge clock) begin
    lk1 <= ({a}[16:4] >= 13'd{end}) ? {kbits}'d{end} : {a}[{kh}:4];
    lf1 <= {a}[3:0];
    lpair2 <= rom[lk1];
    lf2 <= lf1;
    lpair3 <= lpair2;
    lf3 <= lf2;
    llo4 <= lpair3[17:0];
    ldiff4 <= ldiff[11:0];
    lf4 <= lf3;
    llo5 <= llo4;
    lprod5 <= lprod;
    g6 <= llo5 + {{{{6{{lround[15]}}}}, lround[15:4]}};
end
",
        kh = kbits + 3,
    );
    text
}
