//! The scan-mode processing element: state-stationary. PE(r, c) of a fold
//! holds the state h[d0 + r, n0 + c] (Q12.20, 32 bit) for the whole
//! sequence and performs one recurrence step per token:
//!
//! ```text
//!   y_exp = Δ · a2                       UQ2.16 × UQ6.10 → UQ8.26 (exact)
//!   dA    = exp2neg(y_exp)               UQ1.17, ROM pair + lerp + shift
//!   dBu   = round(Δu · B, 10)            Q8.20 × Q6.10 → Q14.20
//!   h     = sat32(round(dA · h, 17) + dBu)   (h taken as h0 on a fold's first token)
//!   psum  = psum_in + C · h              Q18.30, 64-bit partial y of the row
//! ```
//!
//! exactly as `golden::ssm::fixed::selective_scan_fixed` computes them.
//!
//! **Dataflow.** The row token (valid, first, last, sel, Δ, Δu and an opaque
//! 64-bit tag for the row end) enters from the west and leaves east one cycle
//! later; B and C enter from the north and leave south one cycle later. The
//! fold's constants arrive as a column preload burst of (a2, h0) words
//! (a2 UQ6.10 on `w`, the initial state h0 Q12.20 on `wh`; the GEMM PE's
//! scheme: each PE captures the word tagged `first` into the (a2, h0) register
//! pair the streaming fold does not use, and re-tags the next word it
//! forwards). `sel`, riding with the token, picks which pair the token uses,
//! so a fold's a2 switches in each PE exactly when its first token arrives,
//! and its first token's step starts from that pair's h0 instead of h.
//!
//! **State out.** The fold's last token (`last`) copies the new h into the
//! shift-out register `hs`, which otherwise takes the `hs` of the PE below
//! (`so_in`, from the south): the final states drain north, out of the top
//! row. PE(r, c) captures one cycle after PE(r − 1, c) while the chain moves
//! one row per cycle the other way, so row r's state leaves the top 2r
//! cycles after row 0's, none overwriting another, as long as the next
//! fold's last token comes ≥ 2R − 1 cycles later (the core's fold period).
//!
//! **Pipeline.** Stage 0 is the cycle the token is on the inputs: Δ·a2
//! addresses the exp2neg ROM (synchronous, one DP16KD), Δu·B is formed.
//! Stage 1, one cycle later: the ROM pair is interpolated, h updates, and
//! `psum_in + C·h` is registered to `psum_out`. So the partial sum a PE
//! receives from the west belongs to the token it has in stage 1: it arrives
//! one cycle after that token did (the mesh's west edge delays psum by one).
//!
//! Multipliers (all [`SignedMul`]): 19×17, 28×16, 19×11 (lerp), 19×32, 16×32.
//! Registers added by the state save/restore: two h0 (32 bit each), the
//! 32-bit `hs`, and the 32-bit h0 lane of the preload burst.

use super::scan_tables::exp2neg_rom;
use super::smul::SignedMul;
use rust_hdl::prelude::*;

/// One state-stationary scan cell.
#[derive(LogicBlock)]
pub struct ScanPe {
    pub clock: Signal<In, Clock>,
    // West → east: the row token.
    pub valid_in: Signal<In, Bit>,
    pub first_in: Signal<In, Bit>,
    /// The fold's last token (t = L − 1): capture the final state.
    pub last_in: Signal<In, Bit>,
    pub sel_in: Signal<In, Bit>,
    /// Δ, UQ2.16.
    pub dlt_in: Signal<In, Bits<18>>,
    /// Δu, Q8.20 (two's complement).
    pub du_in: Signal<In, Bits<28>>,
    /// Row-end side band (t, d0, z, fold flags), forwarded untouched.
    pub tag_in: Signal<In, Bits<64>>,
    /// Partial y of the token in stage 1, Q.30 (two's complement, 64 bit).
    pub psum_in: Signal<In, Bits<64>>,
    pub valid_out: Signal<Out, Bit>,
    pub first_out: Signal<Out, Bit>,
    pub last_out: Signal<Out, Bit>,
    pub sel_out: Signal<Out, Bit>,
    pub dlt_out: Signal<Out, Bits<18>>,
    pub du_out: Signal<Out, Bits<28>>,
    pub tag_out: Signal<Out, Bits<64>>,
    pub psum_out: Signal<Out, Bits<64>>,
    // North → south: B and C of the token (Q6.10), and the preload burst
    // (a2 UQ6.10 on `w`, h0 Q12.20 on `wh`).
    pub b_in: Signal<In, Bits<16>>,
    pub c_in: Signal<In, Bits<16>>,
    pub b_out: Signal<Out, Bits<16>>,
    pub c_out: Signal<Out, Bits<16>>,
    pub w_in: Signal<In, Bits<16>>,
    pub wh_in: Signal<In, Bits<32>>,
    pub w_valid_in: Signal<In, Bit>,
    pub w_first_in: Signal<In, Bit>,
    pub w_buf_in: Signal<In, Bit>,
    pub w_out: Signal<Out, Bits<16>>,
    pub wh_out: Signal<Out, Bits<32>>,
    pub w_valid_out: Signal<Out, Bit>,
    pub w_first_out: Signal<Out, Bit>,
    pub w_buf_out: Signal<Out, Bit>,
    // South → north: final states (Q12.20) draining to the top row.
    pub so_in: Signal<In, Bits<32>>,
    pub so_out: Signal<Out, Bits<32>>,
    // Units.
    pub exp_rom: SyncROM<Bits<36>, 8>,
    pub mul_y: SignedMul<19, 17>,
    pub mul_dbu: SignedMul<28, 16>,
    pub mul_lerp: SignedMul<19, 11>,
    pub mul_h: SignedMul<19, 32>,
    pub mul_c: SignedMul<16, 32>,
    // Registers.
    a2_0: DFF<Bits<16>>,
    a2_1: DFF<Bits<16>>,
    h0_0: DFF<Bits<32>>,
    h0_1: DFF<Bits<32>>,
    valid: DFF<Bit>,
    first: DFF<Bit>,
    last: DFF<Bit>,
    sel: DFF<Bit>,
    dlt: DFF<Bits<18>>,
    du: DFF<Bits<28>>,
    tag: DFF<Bits<64>>,
    b: DFF<Bits<16>>,
    c: DFF<Bits<16>>,
    w: DFF<Bits<16>>,
    wh: DFF<Bits<32>>,
    w_valid: DFF<Bit>,
    w_first: DFF<Bit>,
    w_buf: DFF<Bit>,
    promote: DFF<Bit>,
    s1_valid: DFF<Bit>,
    s1_first: DFF<Bit>,
    s1_last: DFF<Bit>,
    s1_sel: DFF<Bit>,
    s1_whole: DFF<Bits<8>>,
    s1_frac: DFF<Bits<10>>,
    s1_dbu: DFF<Bits<64>>,
    s1_c: DFF<Bits<16>>,
    h: DFF<Bits<32>>,
    hs: DFF<Bits<32>>,
    psum: DFF<Bits<64>>,
    // Combinational.
    a2: Signal<Local, Bits<16>>,
    yexp: Signal<Local, Bits<64>>,
    dbu_raw: Signal<Local, Bits<64>>,
    dbu: Signal<Local, Bits<64>>,
    lo: Signal<Local, Bits<64>>,
    diff: Signal<Local, Bits<64>>,
    step: Signal<Local, Bits<64>>,
    interp: Signal<Local, Bits<64>>,
    half: Signal<Local, Bits<64>>,
    da: Signal<Local, Bits<64>>,
    h_prev: Signal<Local, Bits<32>>,
    hd_raw: Signal<Local, Bits<64>>,
    hd: Signal<Local, Bits<64>>,
    h_sum: Signal<Local, Bits<64>>,
    h_hi: Signal<Local, Bits<33>>,
    h_new: Signal<Local, Bits<64>>,
}

impl Default for ScanPe {
    fn default() -> Self {
        Self {
            clock: Default::default(),
            valid_in: Default::default(),
            first_in: Default::default(),
            last_in: Default::default(),
            sel_in: Default::default(),
            dlt_in: Default::default(),
            du_in: Default::default(),
            tag_in: Default::default(),
            psum_in: Default::default(),
            valid_out: Default::default(),
            first_out: Default::default(),
            last_out: Default::default(),
            sel_out: Default::default(),
            dlt_out: Default::default(),
            du_out: Default::default(),
            tag_out: Default::default(),
            psum_out: Default::default(),
            b_in: Default::default(),
            c_in: Default::default(),
            b_out: Default::default(),
            c_out: Default::default(),
            w_in: Default::default(),
            wh_in: Default::default(),
            w_valid_in: Default::default(),
            w_first_in: Default::default(),
            w_buf_in: Default::default(),
            w_out: Default::default(),
            wh_out: Default::default(),
            w_valid_out: Default::default(),
            w_first_out: Default::default(),
            w_buf_out: Default::default(),
            so_in: Default::default(),
            so_out: Default::default(),
            exp_rom: SyncROM::new(exp2neg_rom()),
            mul_y: Default::default(),
            mul_dbu: Default::default(),
            mul_lerp: Default::default(),
            mul_h: Default::default(),
            mul_c: Default::default(),
            a2_0: Default::default(),
            a2_1: Default::default(),
            h0_0: Default::default(),
            h0_1: Default::default(),
            valid: Default::default(),
            first: Default::default(),
            last: Default::default(),
            sel: Default::default(),
            dlt: Default::default(),
            du: Default::default(),
            tag: Default::default(),
            b: Default::default(),
            c: Default::default(),
            w: Default::default(),
            wh: Default::default(),
            w_valid: Default::default(),
            w_first: Default::default(),
            w_buf: Default::default(),
            promote: Default::default(),
            s1_valid: Default::default(),
            s1_first: Default::default(),
            s1_last: Default::default(),
            s1_sel: Default::default(),
            s1_whole: Default::default(),
            s1_frac: Default::default(),
            s1_dbu: Default::default(),
            s1_c: Default::default(),
            h: Default::default(),
            hs: Default::default(),
            psum: Default::default(),
            a2: Default::default(),
            yexp: Default::default(),
            dbu_raw: Default::default(),
            dbu: Default::default(),
            lo: Default::default(),
            diff: Default::default(),
            step: Default::default(),
            interp: Default::default(),
            half: Default::default(),
            da: Default::default(),
            h_prev: Default::default(),
            hd_raw: Default::default(),
            hd: Default::default(),
            h_sum: Default::default(),
            h_hi: Default::default(),
            h_new: Default::default(),
        }
    }
}

impl Logic for ScanPe {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(
            self, clock, a2_0, a2_1, h0_0, h0_1, valid, first, last, sel, dlt, du, tag, b, c, w,
            wh, w_valid, w_first, w_buf, promote, s1_valid, s1_first, s1_last, s1_sel, s1_whole,
            s1_frac, s1_dbu, s1_c, h, hs, psum
        );
        self.exp_rom.clock.next = self.clock.val();
        // ---- Stage 0: the token is on the inputs.
        self.a2.next = self.a2_0.q.val();
        if self.sel_in.val() {
            self.a2.next = self.a2_1.q.val();
        }
        // y_exp = Δ·a2, both unsigned (zero-extended by one bit).
        self.mul_y.a.next = bit_cast::<19, 18>(self.dlt_in.val());
        self.mul_y.b.next = bit_cast::<17, 16>(self.a2.val());
        self.yexp.next = self.mul_y.p.val();
        self.exp_rom.address.next = self.yexp.val().get_bits::<8>(18);
        // dBu = round(Δu·B, 10): add half, arithmetic shift right.
        self.mul_dbu.a.next = self.du_in.val();
        self.mul_dbu.b.next = self.b_in.val();
        self.dbu_raw.next = (self.mul_dbu.p.val() + bits::<64>(512));
        self.dbu.next = (self.dbu_raw.val() >> 10);
        if self.dbu_raw.val().get_bit(63) {
            self.dbu.next = ((self.dbu_raw.val() >> 10) | bits::<64>(0xFFC0_0000_0000_0000_u64));
        }
        self.s1_valid.d.next = self.valid_in.val();
        self.s1_first.d.next = self.first_in.val();
        self.s1_last.d.next = self.last_in.val();
        self.s1_sel.d.next = self.sel_in.val();
        self.s1_whole.d.next = self.yexp.val().get_bits::<8>(26);
        self.s1_frac.d.next = self.yexp.val().get_bits::<10>(8);
        self.s1_dbu.d.next = self.dbu.val();
        self.s1_c.d.next = self.c_in.val();
        // Forward the token east and B, C south.
        self.valid.d.next = self.valid_in.val();
        self.first.d.next = self.first_in.val();
        self.last.d.next = self.last_in.val();
        self.sel.d.next = self.sel_in.val();
        self.dlt.d.next = self.dlt_in.val();
        self.du.d.next = self.du_in.val();
        self.tag.d.next = self.tag_in.val();
        self.b.d.next = self.b_in.val();
        self.c.d.next = self.c_in.val();
        // ---- Stage 1: dA = round_shift(lo + round((hi − lo)·f, 10), whole).
        self.lo.next = bit_cast::<64, 18>(self.exp_rom.data.val().get_bits::<18>(0));
        self.diff.next =
            (bit_cast::<64, 18>(self.exp_rom.data.val().get_bits::<18>(18)) - self.lo.val());
        self.mul_lerp.a.next = self.diff.val().get_bits::<19>(0);
        self.mul_lerp.b.next = bit_cast::<11, 10>(self.s1_frac.q.val());
        self.step.next = (self.mul_lerp.p.val() + bits::<64>(512));
        self.interp.next = (self.lo.val() + (self.step.val() >> 10));
        if self.step.val().get_bit(63) {
            self.interp.next =
                (self.lo.val() + ((self.step.val() >> 10) | bits::<64>(0xFFC0_0000_0000_0000_u64)));
        }
        self.half.next = bits::<64>(0);
        if self.s1_whole.q.val().any() {
            self.half.next = (bits::<64>(1) << (self.s1_whole.q.val() - 1));
        }
        self.da.next = ((self.interp.val() + self.half.val()) >> self.s1_whole.q.val());
        if (self.s1_whole.q.val() >= 18) {
            self.da.next = bits::<64>(0);
        }
        // h = sat32(round(dA·h, 17) + dBu); a fold's first token starts from h0.
        self.h_prev.next = self.h.q.val();
        if self.s1_first.q.val() {
            self.h_prev.next = self.h0_0.q.val();
            if self.s1_sel.q.val() {
                self.h_prev.next = self.h0_1.q.val();
            }
        }
        self.mul_h.a.next = self.da.val().get_bits::<19>(0);
        self.mul_h.b.next = self.h_prev.val();
        self.hd_raw.next = (self.mul_h.p.val() + bits::<64>(65536));
        self.hd.next = (self.hd_raw.val() >> 17);
        if self.hd_raw.val().get_bit(63) {
            self.hd.next = ((self.hd_raw.val() >> 17) | bits::<64>(0xFFFF_8000_0000_0000_u64));
        }
        self.h_sum.next = (self.hd.val() + self.s1_dbu.q.val());
        self.h_hi.next = self.h_sum.val().get_bits::<33>(31);
        self.h_new.next = self.h_sum.val();
        if (self.h_hi.val().any() & !self.h_hi.val().all()) {
            if self.h_sum.val().get_bit(63) {
                self.h_new.next = bits::<64>(0xFFFF_FFFF_8000_0000_u64);
            } else {
                self.h_new.next = bits::<64>(0x7FFF_FFFF);
            }
        }
        if self.s1_valid.q.val() {
            self.h.d.next = self.h_new.val().get_bits::<32>(0);
        }
        // State out: the last token's h, else the state of the PE below.
        self.hs.d.next = self.so_in.val();
        if (self.s1_valid.q.val() & self.s1_last.q.val()) {
            self.hs.d.next = self.h_new.val().get_bits::<32>(0);
        }
        // psum_out = psum_in + C·h.
        self.mul_c.a.next = self.s1_c.q.val();
        self.mul_c.b.next = self.h_new.val().get_bits::<32>(0);
        self.psum.d.next = (self.psum_in.val() + self.mul_c.p.val());
        // ---- (a2, h0) preload: capture the word tagged `first`, forward the rest.
        self.w_valid.d.next = false;
        if self.w_valid_in.val() {
            if self.w_first_in.val() {
                if self.w_buf_in.val() {
                    self.a2_1.d.next = self.w_in.val();
                    self.h0_1.d.next = self.wh_in.val();
                } else {
                    self.a2_0.d.next = self.w_in.val();
                    self.h0_0.d.next = self.wh_in.val();
                }
                self.promote.d.next = true;
            } else {
                self.w_valid.d.next = true;
                self.w.d.next = self.w_in.val();
                self.wh.d.next = self.wh_in.val();
                self.w_buf.d.next = self.w_buf_in.val();
                self.w_first.d.next = self.promote.q.val();
                self.promote.d.next = false;
            }
        }
        // Outputs.
        self.valid_out.next = self.valid.q.val();
        self.first_out.next = self.first.q.val();
        self.last_out.next = self.last.q.val();
        self.sel_out.next = self.sel.q.val();
        self.dlt_out.next = self.dlt.q.val();
        self.du_out.next = self.du.q.val();
        self.tag_out.next = self.tag.q.val();
        self.psum_out.next = self.psum.q.val();
        self.b_out.next = self.b.q.val();
        self.c_out.next = self.c.q.val();
        self.w_out.next = self.w.q.val();
        self.wh_out.next = self.wh.q.val();
        self.w_valid_out.next = self.w_valid.q.val();
        self.w_first_out.next = self.w_first.q.val();
        self.w_buf_out.next = self.w_buf.q.val();
        self.so_out.next = self.hs.q.val();
    }
}
