//! The east end of a scan-array row: completes y[t, d] from the row's partial
//! sum. Two stages (the SiLU ROM is synchronous); the tag arrives one cycle
//! before the partial sum, as the PE row delivers them.
//!
//! ```text
//!   stage A   (tag)   silu ROM ← min(|z| >> 4, 1024); read the y accumulator
//!                     at (t, d) unless this is the first state fold
//!   stage B   (psum)  acc = psum + (first fold ? 0 : accumulator)     Q.30, 64 bit
//!                     not the last state fold: accumulator[t, d] ← acc
//!                     last: y_pre = sat32(round(acc, 14))             Q16.16
//!                           y = sat32(round(y_pre · silu(z), 12))     (gated)
//! ```
//!
//! `silu(z) = max(z, 0)·4 − round(lerp(ROM, |z| mod 16), 4)` in Q6.12, as
//! `golden::ssm::fixed::units::Silu::eval`. The accumulator is 64 bits and
//! never saturates: |C·h| ≤ 2^15·2^31 = 2^46, so for any N ≤ 32767 (the
//! 16-bit dimension registers) |acc| < 2^61 + 2^41, and the fold order over
//! n cannot change a bit. A read and the write of the same
//! (t, d) by the next state fold are at least one fold period (≥ R ≥ 2
//! cycles) apart, so the accumulator needs no forwarding.
//!
//! The write ports carry t and the fold's first channel d0; the channel is
//! d0 + r for row r (the buffers are banked by row).

use super::scan_tables::{silu_rom, SILU_END};
use super::smul::SignedMul;
use rust_hdl::prelude::*;

/// Row end: y accumulation over state folds, rounding and the SiLU gate.
#[derive(LogicBlock)]
pub struct ScanRowEnd {
    pub clock: Signal<In, Clock>,
    /// Multiply by SiLU(z) (z given).
    pub gate: Signal<In, Bit>,
    pub valid_in: Signal<In, Bit>,
    pub tag_in: Signal<In, Bits<64>>,
    /// The row's partial sum, one cycle after its tag.
    pub psum_in: Signal<In, Bits<64>>,
    /// y accumulator read (data back next cycle on `acc_rd_data`).
    pub acc_rd_en: Signal<Out, Bit>,
    pub acc_rd_t: Signal<Out, Bits<16>>,
    pub acc_rd_d0: Signal<Out, Bits<16>>,
    pub acc_rd_data: Signal<In, Bits<64>>,
    pub acc_wr_en: Signal<Out, Bit>,
    pub acc_wr_t: Signal<Out, Bits<16>>,
    pub acc_wr_d0: Signal<Out, Bits<16>>,
    pub acc_wr_data: Signal<Out, Bits<64>>,
    /// y write, Q16.16.
    pub y_wr_en: Signal<Out, Bit>,
    pub y_wr_t: Signal<Out, Bits<16>>,
    pub y_wr_d0: Signal<Out, Bits<16>>,
    pub y_wr_data: Signal<Out, Bits<32>>,
    pub rom: SyncROM<Bits<36>, 11>,
    pub mul_lerp: SignedMul<19, 5>,
    pub mul_gate: SignedMul<32, 19>,
    a_valid: DFF<Bit>,
    a_tag: DFF<Bits<64>>,
    a_frac: DFF<Bits<4>>,
    a_lin: DFF<Bits<64>>,
    z64: Signal<Local, Bits<64>>,
    absz: Signal<Local, Bits<64>>,
    k: Signal<Local, Bits<64>>,
    acc: Signal<Local, Bits<64>>,
    pre_raw: Signal<Local, Bits<64>>,
    pre: Signal<Local, Bits<64>>,
    pre_hi: Signal<Local, Bits<33>>,
    y_pre: Signal<Local, Bits<64>>,
    lo: Signal<Local, Bits<64>>,
    diff: Signal<Local, Bits<64>>,
    step: Signal<Local, Bits<64>>,
    corr: Signal<Local, Bits<64>>,
    corr_raw: Signal<Local, Bits<64>>,
    silu: Signal<Local, Bits<64>>,
    g_raw: Signal<Local, Bits<64>>,
    g: Signal<Local, Bits<64>>,
    g_hi: Signal<Local, Bits<33>>,
    y: Signal<Local, Bits<64>>,
}

impl Default for ScanRowEnd {
    fn default() -> Self {
        Self {
            clock: Default::default(),
            gate: Default::default(),
            valid_in: Default::default(),
            tag_in: Default::default(),
            psum_in: Default::default(),
            acc_rd_en: Default::default(),
            acc_rd_t: Default::default(),
            acc_rd_d0: Default::default(),
            acc_rd_data: Default::default(),
            acc_wr_en: Default::default(),
            acc_wr_t: Default::default(),
            acc_wr_d0: Default::default(),
            acc_wr_data: Default::default(),
            y_wr_en: Default::default(),
            y_wr_t: Default::default(),
            y_wr_d0: Default::default(),
            y_wr_data: Default::default(),
            rom: SyncROM::new(silu_rom()),
            mul_lerp: Default::default(),
            mul_gate: Default::default(),
            a_valid: Default::default(),
            a_tag: Default::default(),
            a_frac: Default::default(),
            a_lin: Default::default(),
            z64: Default::default(),
            absz: Default::default(),
            k: Default::default(),
            acc: Default::default(),
            pre_raw: Default::default(),
            pre: Default::default(),
            pre_hi: Default::default(),
            y_pre: Default::default(),
            lo: Default::default(),
            diff: Default::default(),
            step: Default::default(),
            corr: Default::default(),
            corr_raw: Default::default(),
            silu: Default::default(),
            g_raw: Default::default(),
            g: Default::default(),
            g_hi: Default::default(),
            y: Default::default(),
        }
    }
}

const _: () = assert!(SILU_END == 1024);

impl Logic for ScanRowEnd {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(self, clock, a_valid, a_tag, a_frac, a_lin);
        self.rom.clock.next = self.clock.val();
        // ---- Stage A: z from the tag, SiLU ROM address, accumulator read.
        self.z64.next = bit_cast::<64, 16>(self.tag_in.val().get_bits::<16>(32));
        if self.tag_in.val().get_bit(47) {
            self.z64.next = (bit_cast::<64, 16>(self.tag_in.val().get_bits::<16>(32))
                | bits::<64>(0xFFFF_FFFF_FFFF_0000_u64));
        }
        self.absz.next = self.z64.val();
        self.a_lin.d.next = (self.z64.val() << 2);
        if self.z64.val().get_bit(63) {
            self.absz.next = (bits::<64>(0) - self.z64.val());
            self.a_lin.d.next = bits::<64>(0);
        }
        self.k.next = (self.absz.val() >> 4);
        self.rom.address.next = self.k.val().get_bits::<11>(0);
        if (self.k.val() >= bits::<64>(1024)) {
            self.rom.address.next = bits::<11>(1024);
        }
        self.a_frac.d.next = self.absz.val().get_bits::<4>(0);
        self.a_valid.d.next = self.valid_in.val();
        self.a_tag.d.next = self.tag_in.val();
        self.acc_rd_en.next = (self.valid_in.val() & !self.tag_in.val().get_bit(48));
        self.acc_rd_t.next = self.tag_in.val().get_bits::<16>(0);
        self.acc_rd_d0.next = self.tag_in.val().get_bits::<16>(16);
        // ---- Stage B: accumulate over state folds.
        self.acc.next = (self.psum_in.val() + self.acc_rd_data.val());
        if self.a_tag.q.val().get_bit(48) {
            self.acc.next = self.psum_in.val();
        }
        self.acc_wr_en.next = (self.a_valid.q.val() & !self.a_tag.q.val().get_bit(49));
        self.acc_wr_t.next = self.a_tag.q.val().get_bits::<16>(0);
        self.acc_wr_d0.next = self.a_tag.q.val().get_bits::<16>(16);
        self.acc_wr_data.next = self.acc.val();
        // y_pre = sat32(round(acc, 14)).
        self.pre_raw.next = (self.acc.val() + bits::<64>(8192));
        self.pre.next = (self.pre_raw.val() >> 14);
        if self.pre_raw.val().get_bit(63) {
            self.pre.next = ((self.pre_raw.val() >> 14) | bits::<64>(0xFFFC_0000_0000_0000_u64));
        }
        self.pre_hi.next = self.pre.val().get_bits::<33>(31);
        self.y_pre.next = self.pre.val();
        if (self.pre_hi.val().any() & !self.pre_hi.val().all()) {
            if self.pre.val().get_bit(63) {
                self.y_pre.next = bits::<64>(0xFFFF_FFFF_8000_0000_u64);
            } else {
                self.y_pre.next = bits::<64>(0x7FFF_FFFF);
            }
        }
        // silu(z) = lin − round(lerp(lo, hi, f, 4), 4), Q6.12.
        self.lo.next = bit_cast::<64, 18>(self.rom.data.val().get_bits::<18>(0));
        self.diff.next =
            (bit_cast::<64, 18>(self.rom.data.val().get_bits::<18>(18)) - self.lo.val());
        self.mul_lerp.a.next = self.diff.val().get_bits::<19>(0);
        self.mul_lerp.b.next = bit_cast::<5, 4>(self.a_frac.q.val());
        self.step.next = (self.mul_lerp.p.val() + bits::<64>(8));
        self.corr.next = (self.lo.val() + (self.step.val() >> 4));
        if self.step.val().get_bit(63) {
            self.corr.next =
                (self.lo.val() + ((self.step.val() >> 4) | bits::<64>(0xF000_0000_0000_0000_u64)));
        }
        self.corr_raw.next = ((self.corr.val() + bits::<64>(8)) >> 4);
        self.silu.next = (self.a_lin.q.val() - self.corr_raw.val());
        // y = sat32(round(y_pre · silu, 12)).
        self.mul_gate.a.next = self.y_pre.val().get_bits::<32>(0);
        self.mul_gate.b.next = self.silu.val().get_bits::<19>(0);
        self.g_raw.next = (self.mul_gate.p.val() + bits::<64>(2048));
        self.g.next = (self.g_raw.val() >> 12);
        if self.g_raw.val().get_bit(63) {
            self.g.next = ((self.g_raw.val() >> 12) | bits::<64>(0xFFF0_0000_0000_0000_u64));
        }
        self.g_hi.next = self.g.val().get_bits::<33>(31);
        self.y.next = self.g.val();
        if (self.g_hi.val().any() & !self.g_hi.val().all()) {
            if self.g.val().get_bit(63) {
                self.y.next = bits::<64>(0xFFFF_FFFF_8000_0000_u64);
            } else {
                self.y.next = bits::<64>(0x7FFF_FFFF);
            }
        }
        if !self.gate.val() {
            self.y.next = self.y_pre.val();
        }
        self.y_wr_en.next = (self.a_valid.q.val() & self.a_tag.q.val().get_bit(49));
        self.y_wr_t.next = self.a_tag.q.val().get_bits::<16>(0);
        self.y_wr_d0.next = self.a_tag.q.val().get_bits::<16>(16);
        self.y_wr_data.next = self.y.val().get_bits::<32>(0);
    }
}
