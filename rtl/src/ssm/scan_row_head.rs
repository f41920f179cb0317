//! The west end of a scan-array row: turns one channel's inputs of a time
//! step into the row token. Two pipeline stages (the softplus ROM is
//! synchronous):
//!
//! ```text
//!   stage A   x = delta + delta_bias                 Q7.10 (exact)
//!             softplus ROM ← min(|x| >> 4, 768)
//!   stage B   Δ  = min(max(x,0)·2^6 + lerp(ROM, |x| mod 16), 4 − 2^−16)   UQ2.16
//!                  (or clamp(x·2^6, 0, 4 − 2^−16) with softplus off)
//!             Δu = round(Δ·u, 6)                     Q8.20, 28 bit
//!             psum0 = (D·u) << 10 on the first state fold, else 0   Q.30
//! ```
//!
//! as `golden::ssm::fixed` computes them (`Softplus::eval`, `step_size`).
//! All outputs are registered; the token leaves two cycles after its
//! operands arrived. Inputs are Q6.10 words straight from the operand
//! buffers (sign-extended here). The tag carries what the row end needs:
//! bits 0..16 t, 16..32 d0, 32..48 z, 48 first state fold, 49 last state fold.

use super::scan_tables::{softplus_rom, SOFTPLUS_END};
use super::smul::SignedMul;
use rust_hdl::prelude::*;

/// Row head: softplus, Δu and the skip term.
#[derive(LogicBlock)]
pub struct ScanRowHead {
    pub clock: Signal<In, Clock>,
    /// Apply softplus to delta + delta_bias (else clamp).
    pub softplus: Signal<In, Bit>,
    // The token's control and its operands (Q6.10), valid together.
    pub valid_in: Signal<In, Bit>,
    pub first_in: Signal<In, Bit>,
    /// The fold's last time step (its PEs save their state).
    pub last_in: Signal<In, Bit>,
    pub sel_in: Signal<In, Bit>,
    pub t_in: Signal<In, Bits<16>>,
    pub d0_in: Signal<In, Bits<16>>,
    pub nfirst_in: Signal<In, Bit>,
    pub nlast_in: Signal<In, Bit>,
    pub u: Signal<In, Bits<16>>,
    pub delta: Signal<In, Bits<16>>,
    pub z: Signal<In, Bits<16>>,
    pub bias: Signal<In, Bits<16>>,
    pub skip: Signal<In, Bits<16>>,
    // The row token.
    pub valid_out: Signal<Out, Bit>,
    pub first_out: Signal<Out, Bit>,
    pub last_out: Signal<Out, Bit>,
    pub sel_out: Signal<Out, Bit>,
    pub dlt_out: Signal<Out, Bits<18>>,
    pub du_out: Signal<Out, Bits<28>>,
    pub tag_out: Signal<Out, Bits<64>>,
    pub psum_out: Signal<Out, Bits<64>>,
    pub rom: SyncROM<Bits<36>, 10>,
    pub mul_lerp: SignedMul<19, 5>,
    pub mul_du: SignedMul<19, 16>,
    pub mul_skip: SignedMul<16, 16>,
    // Stage A registers.
    a_valid: DFF<Bit>,
    a_first: DFF<Bit>,
    a_last: DFF<Bit>,
    a_sel: DFF<Bit>,
    a_u: DFF<Bits<16>>,
    a_skip: DFF<Bits<16>>,
    a_tag: DFF<Bits<64>>,
    a_lin: DFF<Bits<64>>,
    a_frac: DFF<Bits<4>>,
    // Stage B (output) registers.
    valid: DFF<Bit>,
    first: DFF<Bit>,
    last: DFF<Bit>,
    sel: DFF<Bit>,
    dlt: DFF<Bits<18>>,
    du: DFF<Bits<28>>,
    tag: DFF<Bits<64>>,
    psum: DFF<Bits<64>>,
    // Combinational.
    tag_base: Signal<Local, Bits<64>>,
    tag_first: Signal<Local, Bits<64>>,
    tag_last: Signal<Local, Bits<64>>,
    delta64: Signal<Local, Bits<64>>,
    bias64: Signal<Local, Bits<64>>,
    x: Signal<Local, Bits<64>>,
    absx: Signal<Local, Bits<64>>,
    k: Signal<Local, Bits<64>>,
    lo: Signal<Local, Bits<64>>,
    diff: Signal<Local, Bits<64>>,
    step: Signal<Local, Bits<64>>,
    corr: Signal<Local, Bits<64>>,
    sp: Signal<Local, Bits<64>>,
    dl: Signal<Local, Bits<64>>,
    du_raw: Signal<Local, Bits<64>>,
    du64: Signal<Local, Bits<64>>,
}

impl Default for ScanRowHead {
    fn default() -> Self {
        Self {
            clock: Default::default(),
            softplus: Default::default(),
            valid_in: Default::default(),
            first_in: Default::default(),
            last_in: Default::default(),
            sel_in: Default::default(),
            t_in: Default::default(),
            d0_in: Default::default(),
            nfirst_in: Default::default(),
            nlast_in: Default::default(),
            u: Default::default(),
            delta: Default::default(),
            z: Default::default(),
            bias: Default::default(),
            skip: Default::default(),
            valid_out: Default::default(),
            first_out: Default::default(),
            last_out: Default::default(),
            sel_out: Default::default(),
            dlt_out: Default::default(),
            du_out: Default::default(),
            tag_out: Default::default(),
            psum_out: Default::default(),
            rom: SyncROM::new(softplus_rom()),
            mul_lerp: Default::default(),
            mul_du: Default::default(),
            mul_skip: Default::default(),
            a_valid: Default::default(),
            a_first: Default::default(),
            a_last: Default::default(),
            a_sel: Default::default(),
            a_u: Default::default(),
            a_skip: Default::default(),
            a_tag: Default::default(),
            a_lin: Default::default(),
            a_frac: Default::default(),
            valid: Default::default(),
            first: Default::default(),
            last: Default::default(),
            sel: Default::default(),
            dlt: Default::default(),
            du: Default::default(),
            tag: Default::default(),
            psum: Default::default(),
            tag_base: Default::default(),
            tag_first: Default::default(),
            tag_last: Default::default(),
            delta64: Default::default(),
            bias64: Default::default(),
            x: Default::default(),
            absx: Default::default(),
            k: Default::default(),
            lo: Default::default(),
            diff: Default::default(),
            step: Default::default(),
            corr: Default::default(),
            sp: Default::default(),
            dl: Default::default(),
            du_raw: Default::default(),
            du64: Default::default(),
        }
    }
}

/// The ROM address past the softplus table (its word is all zeros).
const _: () = assert!(SOFTPLUS_END == 768);

impl Logic for ScanRowHead {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(
            self, clock, a_valid, a_first, a_last, a_sel, a_u, a_skip, a_tag, a_lin, a_frac, valid,
            first, last, sel, dlt, du, tag, psum
        );
        self.rom.clock.next = self.clock.val();
        // ---- Stage A: x = delta + bias (sign-extended), ROM address.
        self.delta64.next = bit_cast::<64, 16>(self.delta.val());
        if self.delta.val().get_bit(15) {
            self.delta64.next =
                (bit_cast::<64, 16>(self.delta.val()) | bits::<64>(0xFFFF_FFFF_FFFF_0000_u64));
        }
        self.bias64.next = bit_cast::<64, 16>(self.bias.val());
        if self.bias.val().get_bit(15) {
            self.bias64.next =
                (bit_cast::<64, 16>(self.bias.val()) | bits::<64>(0xFFFF_FFFF_FFFF_0000_u64));
        }
        self.x.next = (self.delta64.val() + self.bias64.val());
        self.absx.next = self.x.val();
        self.a_lin.d.next = (self.x.val() << 6);
        if self.x.val().get_bit(63) {
            self.absx.next = (bits::<64>(0) - self.x.val());
            self.a_lin.d.next = bits::<64>(0);
        }
        self.k.next = (self.absx.val() >> 4);
        self.rom.address.next = self.k.val().get_bits::<10>(0);
        if (self.k.val() >= bits::<64>(768)) {
            self.rom.address.next = bits::<10>(768);
        }
        self.a_frac.d.next = self.absx.val().get_bits::<4>(0);
        self.a_valid.d.next = self.valid_in.val();
        self.a_first.d.next = self.first_in.val();
        self.a_last.d.next = self.last_in.val();
        self.a_sel.d.next = self.sel_in.val();
        self.a_u.d.next = self.u.val();
        self.a_skip.d.next = self.skip.val();
        self.tag_base.next = ((bit_cast::<64, 16>(self.t_in.val())
            | (bit_cast::<64, 16>(self.d0_in.val()) << 16))
            | (bit_cast::<64, 16>(self.z.val()) << 32));
        self.tag_first.next = bits::<64>(0);
        if self.nfirst_in.val() {
            self.tag_first.next = bits::<64>(0x1_0000_0000_0000_u64);
        }
        self.tag_last.next = bits::<64>(0);
        if self.nlast_in.val() {
            self.tag_last.next = bits::<64>(0x2_0000_0000_0000_u64);
        }
        self.a_tag.d.next = ((self.tag_base.val() | self.tag_first.val()) | self.tag_last.val());
        // ---- Stage B: Δ = min(lin + lerp(lo, hi, f, 4), DELTA_MAX).
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
        self.sp.next = (self.a_lin.q.val() + self.corr.val());
        if !self.softplus.val() {
            self.sp.next = self.a_lin.q.val();
        }
        self.dl.next = self.sp.val();
        if (self.sp.val() > bits::<64>(0x3FFFF)) {
            self.dl.next = bits::<64>(0x3FFFF);
        }
        // Δu = round(Δ·u, 6).
        self.mul_du.a.next = self.dl.val().get_bits::<19>(0);
        self.mul_du.b.next = self.a_u.q.val();
        self.du_raw.next = (self.mul_du.p.val() + bits::<64>(32));
        self.du64.next = (self.du_raw.val() >> 6);
        if self.du_raw.val().get_bit(63) {
            self.du64.next = ((self.du_raw.val() >> 6) | bits::<64>(0xFC00_0000_0000_0000_u64));
        }
        // The skip term D·u (Q.20) in the partial sum's Q.30, on the first state fold only.
        self.mul_skip.a.next = self.a_skip.q.val();
        self.mul_skip.b.next = self.a_u.q.val();
        self.psum.d.next = bits::<64>(0);
        if self.a_tag.q.val().get_bit(48) {
            self.psum.d.next = (self.mul_skip.p.val() << 10);
        }
        self.valid.d.next = self.a_valid.q.val();
        self.first.d.next = self.a_first.q.val();
        self.last.d.next = self.a_last.q.val();
        self.sel.d.next = self.a_sel.q.val();
        self.dlt.d.next = self.dl.val().get_bits::<18>(0);
        self.du.d.next = self.du64.val().get_bits::<28>(0);
        self.tag.d.next = self.a_tag.q.val();
        // Outputs.
        self.valid_out.next = self.valid.q.val();
        self.first_out.next = self.first.q.val();
        self.last_out.next = self.last.q.val();
        self.sel_out.next = self.sel.q.val();
        self.dlt_out.next = self.dlt.q.val();
        self.du_out.next = self.du.q.val();
        self.tag_out.next = self.tag.q.val();
        self.psum_out.next = self.psum.q.val();
    }
}
