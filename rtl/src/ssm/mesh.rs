//! The R×C mesh of [`Pe`]s: activations west→east along rows, partial sums
//! and weight preloads north→south along columns.
//!
//! PE (row i, column j) is `pes[j·R + i]` (column-major). Edge ports are
//! arrays of signals: `a_*[i]` enter row i from the west, `w_*[j]` and `p_in[j]`
//! enter column j from the north, `p_out[j]`/`p_valid_out[j]` leave column j
//! to the south. Inputs must already be skewed (row i one cycle behind row
//! i−1, column j one cycle behind column j−1); see [`super::skew`].
//!
//! rust-hdl note: `#[hdl_gen]` turns `x[expr]` into the Verilog name `x$<n>`
//! by evaluating `expr` over the *loop variables only*, and only for the first
//! index in a name, so a 2-D array of blocks cannot be written directly. The
//! mesh therefore keeps the PEs in one flat `Vec` and brings the row count
//! into scope as a loop variable with a one-iteration loop
//! (`for rr in R..(R + 1)`), so `pes[j * rr + i]` evaluates in both Rust and
//! Verilog generation.

use super::pe::Pe;
use rust_hdl::prelude::*;

/// An R×C weight-stationary PE array (R ≥ 2 rows = reduction, C ≥ 2 columns).
#[derive(LogicBlock)]
pub struct Mesh<const R: usize, const C: usize> {
    pub clock: Signal<In, Clock>,
    // West edge, one per row.
    pub a_in: [Signal<In, Bits<8>>; R],
    pub a_valid_in: [Signal<In, Bit>; R],
    pub a_sel_in: [Signal<In, Bit>; R],
    // North edge, one per column.
    pub p_in: [Signal<In, Bits<32>>; C],
    pub w_in: [Signal<In, Bits<8>>; C],
    pub w_valid_in: [Signal<In, Bit>; C],
    pub w_first_in: [Signal<In, Bit>; C],
    pub w_buf_in: [Signal<In, Bit>; C],
    // South edge, one per column.
    pub p_out: [Signal<Out, Bits<32>>; C],
    pub p_valid_out: [Signal<Out, Bit>; C],
    pub pes: Vec<Pe>,
}

impl<const R: usize, const C: usize> Default for Mesh<R, C> {
    fn default() -> Self {
        assert!(
            R >= 2 && C >= 2,
            "the mesh needs at least 2 rows and 2 columns"
        );
        Self {
            clock: Default::default(),
            a_in: std::array::from_fn(|_| Default::default()),
            a_valid_in: std::array::from_fn(|_| Default::default()),
            a_sel_in: std::array::from_fn(|_| Default::default()),
            p_in: std::array::from_fn(|_| Default::default()),
            w_in: std::array::from_fn(|_| Default::default()),
            w_valid_in: std::array::from_fn(|_| Default::default()),
            w_first_in: std::array::from_fn(|_| Default::default()),
            w_buf_in: std::array::from_fn(|_| Default::default()),
            p_out: std::array::from_fn(|_| Default::default()),
            p_valid_out: std::array::from_fn(|_| Default::default()),
            pes: (0..R * C).map(|_| Pe::default()).collect(),
        }
    }
}

impl<const R: usize, const C: usize> Mesh<R, C> {
    /// The PE at row `i`, column `j`.
    pub fn pe(&self, i: usize, j: usize) -> &Pe {
        &self.pes[j * R + i]
    }
}

impl<const R: usize, const C: usize> Logic for Mesh<R, C> {
    #[hdl_gen]
    fn update(&mut self) {
        for rr in R..(R + 1) {
            for j in 0..C {
                for i in 0..R {
                    self.pes[j * rr + i].clock.next = self.clock.val();
                }
            }
            // West edge feeds column 0.
            for i in 0..R {
                self.pes[i].a_in.next = self.a_in[i].val();
                self.pes[i].a_valid_in.next = self.a_valid_in[i].val();
                self.pes[i].a_sel_in.next = self.a_sel_in[i].val();
            }
            // Row links: column j−1 → column j.
            for j in 1..C {
                for i in 0..R {
                    self.pes[j * rr + i].a_in.next = self.pes[(j - 1) * rr + i].a_out.val();
                    self.pes[j * rr + i].a_valid_in.next =
                        self.pes[(j - 1) * rr + i].a_valid_out.val();
                    self.pes[j * rr + i].a_sel_in.next = self.pes[(j - 1) * rr + i].a_sel_out.val();
                }
            }
            // North edge feeds row 0.
            for j in 0..C {
                self.pes[j * rr].p_in.next = self.p_in[j].val();
                self.pes[j * rr].w_in.next = self.w_in[j].val();
                self.pes[j * rr].w_valid_in.next = self.w_valid_in[j].val();
                self.pes[j * rr].w_first_in.next = self.w_first_in[j].val();
                self.pes[j * rr].w_buf_in.next = self.w_buf_in[j].val();
            }
            // Column links: row i−1 → row i.
            for j in 0..C {
                for i in 1..R {
                    self.pes[j * rr + i].p_in.next = self.pes[j * rr + i - 1].p_out.val();
                    self.pes[j * rr + i].w_in.next = self.pes[j * rr + i - 1].w_out.val();
                    self.pes[j * rr + i].w_valid_in.next =
                        self.pes[j * rr + i - 1].w_valid_out.val();
                    self.pes[j * rr + i].w_first_in.next =
                        self.pes[j * rr + i - 1].w_first_out.val();
                    self.pes[j * rr + i].w_buf_in.next = self.pes[j * rr + i - 1].w_buf_out.val();
                }
            }
            // South edge: row R−1 of each column, with the valid bit that
            // left the PE beside the partial sum.
            for j in 0..C {
                self.p_out[j].next = self.pes[j * rr + rr - 1].p_out.val();
                self.p_valid_out[j].next = self.pes[j * rr + rr - 1].p_valid_out.val();
            }
        }
    }
}
