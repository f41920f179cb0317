//! R×C grid of [`ScanPe`]s: row tokens and partial sums west → east,
//! B, C and the (a2, h0) preload burst north → south, final states south →
//! north (out of the top row, `so_out`), and each column's drain command to
//! all of its PEs. PE(i, j) is `pes[j·R + i]`. The west-edge partial sum of
//! a row is taken [`PSUM_LAG`](super::scan_pe::PSUM_LAG) cycles after that
//! row's token; at the east edge it leaves PSUM_LAG + 1 cycles after the
//! token left the last PE's west inputs.

use super::scan_pe::ScanPe;
use rust_hdl::prelude::*;

#[derive(LogicBlock)]
pub struct ScanMesh<const R: usize, const C: usize> {
    pub clock: Signal<In, Clock>,
    // West edge, one lane per row.
    pub valid_in: [Signal<In, Bit>; R],
    pub first_in: [Signal<In, Bit>; R],
    pub last_in: [Signal<In, Bit>; R],
    pub sel_in: [Signal<In, Bit>; R],
    pub slot_in: [Signal<In, Bits<2>>; R],
    pub dlt_in: [Signal<In, Bits<18>>; R],
    pub du_in: [Signal<In, Bits<28>>; R],
    pub psum_in: [Signal<In, Bits<64>>; R],
    // North edge, one lane per column.
    pub b_in: [Signal<In, Bits<16>>; C],
    pub c_in: [Signal<In, Bits<16>>; C],
    /// Preload words: a2 (UQ6.10) and h0 (Q12.20).
    pub w_in: [Signal<In, Bits<16>>; C],
    pub wh_in: [Signal<In, Bits<32>>; C],
    pub w_valid_in: [Signal<In, Bit>; C],
    pub w_first_in: [Signal<In, Bit>; C],
    pub w_buf_in: [Signal<In, Bit>; C],
    pub w_slot_in: [Signal<In, Bits<2>>; C],
    /// Per column: load every PE's final state of `drain_slot` into the chain.
    pub drain_rd: [Signal<In, Bit>; C],
    pub drain_slot: [Signal<In, Bits<2>>; C],
    /// North edge, out: the state draining out of the top row (Q12.20).
    pub so_out: [Signal<Out, Bits<32>>; C],
    // East edge.
    pub psum_out: [Signal<Out, Bits<64>>; R],
    pub pes: Vec<ScanPe>,
}

impl<const R: usize, const C: usize> Default for ScanMesh<R, C> {
    fn default() -> Self {
        fn lanes<T: Default, const N: usize>() -> [T; N] {
            std::array::from_fn(|_| T::default())
        }
        Self {
            clock: Default::default(),
            valid_in: lanes(),
            first_in: lanes(),
            last_in: lanes(),
            sel_in: lanes(),
            slot_in: lanes(),
            dlt_in: lanes(),
            du_in: lanes(),
            psum_in: lanes(),
            b_in: lanes(),
            c_in: lanes(),
            w_in: lanes(),
            wh_in: lanes(),
            w_valid_in: lanes(),
            w_first_in: lanes(),
            w_buf_in: lanes(),
            w_slot_in: lanes(),
            drain_rd: lanes(),
            drain_slot: lanes(),
            so_out: lanes(),
            psum_out: lanes(),
            pes: (0..R * C).map(|_| ScanPe::default()).collect(),
        }
    }
}

impl<const R: usize, const C: usize> Logic for ScanMesh<R, C> {
    #[hdl_gen]
    fn update(&mut self) {
        for rr in R..(R + 1) {
            for j in 0..C {
                for i in 0..R {
                    self.pes[j * rr + i].clock.next = self.clock.val();
                    self.pes[j * rr + i].drain_rd.next = self.drain_rd[j].val();
                    self.pes[j * rr + i].drain_slot.next = self.drain_slot[j].val();
                }
            }
            // West edge feeds column 0.
            for i in 0..R {
                self.pes[i].valid_in.next = self.valid_in[i].val();
                self.pes[i].first_in.next = self.first_in[i].val();
                self.pes[i].last_in.next = self.last_in[i].val();
                self.pes[i].sel_in.next = self.sel_in[i].val();
                self.pes[i].slot_in.next = self.slot_in[i].val();
                self.pes[i].dlt_in.next = self.dlt_in[i].val();
                self.pes[i].du_in.next = self.du_in[i].val();
                self.pes[i].psum_in.next = self.psum_in[i].val();
            }
            // Row links: column j−1 → column j.
            for j in 1..C {
                for i in 0..R {
                    self.pes[j * rr + i].valid_in.next = self.pes[(j - 1) * rr + i].valid_out.val();
                    self.pes[j * rr + i].first_in.next = self.pes[(j - 1) * rr + i].first_out.val();
                    self.pes[j * rr + i].last_in.next = self.pes[(j - 1) * rr + i].last_out.val();
                    self.pes[j * rr + i].sel_in.next = self.pes[(j - 1) * rr + i].sel_out.val();
                    self.pes[j * rr + i].slot_in.next = self.pes[(j - 1) * rr + i].slot_out.val();
                    self.pes[j * rr + i].dlt_in.next = self.pes[(j - 1) * rr + i].dlt_out.val();
                    self.pes[j * rr + i].du_in.next = self.pes[(j - 1) * rr + i].du_out.val();
                    self.pes[j * rr + i].psum_in.next = self.pes[(j - 1) * rr + i].psum_out.val();
                }
            }
            // North edge feeds row 0.
            for j in 0..C {
                self.pes[j * rr].b_in.next = self.b_in[j].val();
                self.pes[j * rr].c_in.next = self.c_in[j].val();
                self.pes[j * rr].w_in.next = self.w_in[j].val();
                self.pes[j * rr].wh_in.next = self.wh_in[j].val();
                self.pes[j * rr].w_valid_in.next = self.w_valid_in[j].val();
                self.pes[j * rr].w_first_in.next = self.w_first_in[j].val();
                self.pes[j * rr].w_buf_in.next = self.w_buf_in[j].val();
                self.pes[j * rr].w_slot_in.next = self.w_slot_in[j].val();
            }
            // Column links: row i−1 → row i.
            for j in 0..C {
                for i in 1..R {
                    self.pes[j * rr + i].b_in.next = self.pes[j * rr + i - 1].b_out.val();
                    self.pes[j * rr + i].c_in.next = self.pes[j * rr + i - 1].c_out.val();
                    self.pes[j * rr + i].w_in.next = self.pes[j * rr + i - 1].w_out.val();
                    self.pes[j * rr + i].wh_in.next = self.pes[j * rr + i - 1].wh_out.val();
                    self.pes[j * rr + i].w_valid_in.next =
                        self.pes[j * rr + i - 1].w_valid_out.val();
                    self.pes[j * rr + i].w_first_in.next =
                        self.pes[j * rr + i - 1].w_first_out.val();
                    self.pes[j * rr + i].w_buf_in.next = self.pes[j * rr + i - 1].w_buf_out.val();
                    self.pes[j * rr + i].w_slot_in.next = self.pes[j * rr + i - 1].w_slot_out.val();
                }
            }
            // State drain: row i+1 → row i, out of row 0; nothing below row R−1.
            for j in 0..C {
                for i in 0..(R - 1) {
                    self.pes[j * rr + i].so_in.next = self.pes[j * rr + i + 1].so_out.val();
                }
                self.pes[j * rr + rr - 1].so_in.next = bits::<32>(0);
                self.so_out[j].next = self.pes[j * rr].so_out.val();
            }
            // East edge: column C−1 of each row.
            for cc in C..(C + 1) {
                for i in 0..R {
                    self.psum_out[i].next = self.pes[(cc - 1) * rr + i].psum_out.val();
                }
            }
        }
    }
}
