//! The east end of a scan-array row: completes y[t, d] from the row's
//! partial sum ([`YFinish`]: the y accumulator over state tiles, rounding,
//! saturation and the SiLU gate, with silu(z) from a [`SiluUnit`]) and
//! drives the row's accumulator and y ports.
//!
//! The token's side band (valid, first/last state tile, t, the sub-tile's
//! first channel d0, z) arrives [`SIDE_BAND_LEAD`] cycles before the
//! row's partial sum, in time for silu(z); the accumulator read of (t, d0)
//! is issued [`BUFFER_READ_LATENCY`] + 1 cycles before the partial sum (its
//! word is registered one cycle before), the accumulator write follows one
//! cycle after it and the y write [`Y_LATENCY`] cycles after it. Row r's
//! channel is d0 + r (the buffers are banked by row). A read and the write of the same (t, d) by
//! the next state tile are at least one fold period (≥ 20 cycles) apart, so
//! the accumulator needs no forwarding.

use super::scan_core::BUFFER_READ_LATENCY;
use super::scan_units::silu::{SiluUnit, SILU_LATENCY};
use super::scan_units::y_finish::{YFinish, Y_LATENCY};
use crate::common::delay_line::DelayLine;
use rust_hdl::prelude::*;

/// Cycles from the side band to the partial sum.
pub const SIDE_BAND_LEAD: usize = SILU_LATENCY;
/// Cycles from the partial sum back to the accumulator read.
const ACC_READ_LEAD: usize = BUFFER_READ_LATENCY + 1;

/// Row end: y accumulation over state tiles, rounding and the SiLU gate.
#[derive(LogicBlock)]
pub struct ScanRowEnd {
    pub clock: Signal<In, Clock>,
    /// Multiply by SiLU(z) (z given). Held for a job.
    pub gate: Signal<In, Bit>,
    // Side band of the token, SIDE_BAND_LEAD cycles before its psum.
    pub valid_in: Signal<In, Bit>,
    pub nfirst_in: Signal<In, Bit>,
    pub nlast_in: Signal<In, Bit>,
    pub t_in: Signal<In, Bits<16>>,
    pub d0_in: Signal<In, Bits<16>>,
    /// z[t, d0 + r], Q6.10.
    pub z_in: Signal<In, Bits<16>>,
    /// The row's partial sum, Q.30.
    pub psum_in: Signal<In, Bits<64>>,
    /// y accumulator read (data back on `acc_rd_data` [`BUFFER_READ_LATENCY`]
    /// cycles later).
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
    pub silu_unit: SiluUnit,
    pub finish: YFinish,
    /// Side band at the accumulator read (bit 0 valid, 1 first tile, 2 last).
    rd_flags: DelayLine<Bits<3>>,
    rd_t: DelayLine<Bits<16>>,
    rd_d0: DelayLine<Bits<16>>,
    /// The first-tile flag when psum arrives.
    psum_nfirst: DelayLine<Bit>,
    /// Side band at the accumulator write, then at the y write.
    wr_flags: DelayLine<Bits<3>>,
    wr_t: DelayLine<Bits<16>>,
    wr_d0: DelayLine<Bits<16>>,
    y_flags: DelayLine<Bits<3>>,
    y_t: DelayLine<Bits<16>>,
    y_d0: DelayLine<Bits<16>>,
    flag_valid: Signal<Local, Bits<3>>,
    flag_nfirst: Signal<Local, Bits<3>>,
    flag_nlast: Signal<Local, Bits<3>>,
}

impl Default for ScanRowEnd {
    fn default() -> Self {
        let to_read = SIDE_BAND_LEAD - ACC_READ_LEAD;
        let to_write = ACC_READ_LEAD + 1;
        let to_y = Y_LATENCY - 1;
        Self {
            clock: Default::default(),
            gate: Default::default(),
            valid_in: Default::default(),
            nfirst_in: Default::default(),
            nlast_in: Default::default(),
            t_in: Default::default(),
            d0_in: Default::default(),
            z_in: Default::default(),
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
            silu_unit: Default::default(),
            finish: Default::default(),
            rd_flags: DelayLine::new(to_read),
            rd_t: DelayLine::new(to_read),
            rd_d0: DelayLine::new(to_read),
            psum_nfirst: DelayLine::new(ACC_READ_LEAD),
            wr_flags: DelayLine::new(to_write),
            wr_t: DelayLine::new(to_write),
            wr_d0: DelayLine::new(to_write),
            y_flags: DelayLine::new(to_y),
            y_t: DelayLine::new(to_y),
            y_d0: DelayLine::new(to_y),
            flag_valid: Default::default(),
            flag_nfirst: Default::default(),
            flag_nlast: Default::default(),
        }
    }
}

impl Logic for ScanRowEnd {
    #[hdl_gen]
    fn update(&mut self) {
        clock!(
            self,
            clock,
            silu_unit,
            finish,
            rd_flags,
            rd_t,
            rd_d0,
            psum_nfirst
        );
        clock!(self, clock, wr_flags, wr_t, wr_d0, y_flags, y_t, y_d0);
        // silu(z), ready with the partial sum.
        self.silu_unit.z.next = self.z_in.val();
        // The side band, through the read, write and y stages.
        self.flag_valid.next = bits::<3>(0);
        if self.valid_in.val() {
            self.flag_valid.next = bits::<3>(1);
        }
        self.flag_nfirst.next = bits::<3>(0);
        if self.nfirst_in.val() {
            self.flag_nfirst.next = bits::<3>(2);
        }
        self.flag_nlast.next = bits::<3>(0);
        if self.nlast_in.val() {
            self.flag_nlast.next = bits::<3>(4);
        }
        self.rd_flags.inp.next =
            ((self.flag_valid.val() | self.flag_nfirst.val()) | self.flag_nlast.val());
        self.rd_t.inp.next = self.t_in.val();
        self.rd_d0.inp.next = self.d0_in.val();
        self.psum_nfirst.inp.next = self.rd_flags.out.val().get_bit(1);
        self.wr_flags.inp.next = self.rd_flags.out.val();
        self.wr_t.inp.next = self.rd_t.out.val();
        self.wr_d0.inp.next = self.rd_d0.out.val();
        self.y_flags.inp.next = self.wr_flags.out.val();
        self.y_t.inp.next = self.wr_t.out.val();
        self.y_d0.inp.next = self.wr_d0.out.val();
        // Accumulator read: every tile but the first.
        self.acc_rd_en.next =
            (self.rd_flags.out.val().get_bit(0) & (!self.rd_flags.out.val().get_bit(1)));
        self.acc_rd_t.next = self.rd_t.out.val();
        self.acc_rd_d0.next = self.rd_d0.out.val();
        // y accumulation and finishing.
        self.finish.gate.next = self.gate.val();
        self.finish.nfirst.next = self.psum_nfirst.out.val();
        self.finish.psum.next = self.psum_in.val();
        self.finish.acc_word.next = self.acc_rd_data.val();
        self.finish.silu.next = self.silu_unit.silu.val();
        // Accumulator write: every tile but the last; y on the last.
        self.acc_wr_en.next =
            (self.wr_flags.out.val().get_bit(0) & (!self.wr_flags.out.val().get_bit(2)));
        self.acc_wr_t.next = self.wr_t.out.val();
        self.acc_wr_d0.next = self.wr_d0.out.val();
        self.acc_wr_data.next = self.finish.acc.val();
        self.y_wr_en.next = (self.y_flags.out.val().get_bit(0) & self.y_flags.out.val().get_bit(2));
        self.y_wr_t.next = self.y_t.out.val();
        self.y_wr_d0.next = self.y_d0.out.val();
        self.y_wr_data.next = self.finish.y.val();
    }
}
