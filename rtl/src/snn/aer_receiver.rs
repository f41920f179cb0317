//! AER input: a 4-phase req/ack receiver with a two-flop synchronizer on
//! `req`, feeding a block-RAM event FIFO in the core clock domain.
//!
//! Protocol (bundled data): the sender drives `data` (the input index,
//! 10 bits unsigned), then raises `req`; the receiver pushes `data` into the
//! FIFO and raises `ack`; the sender drops `req`; the receiver drops `ack`.
//! `data` must be stable from before `req` rises until `ack` is seen; the
//! receiver samples it only after `req` has crossed two flip-flops. While the
//! FIFO is full, `ack` is withheld (back-pressure).
//!
//! The FIFO (`SynchronousFIFO`, 32 × 10 bits) is built on rust-hdl's `RAM`
//! and shows its head on `head` while `empty` is low; `pop` advances it.

use rust_hdl::prelude::*;

/// The input event FIFO: 2^5 entries of 10-bit input indices.
pub type InputEventFifo = SynchronousFIFO<Bits<10>, 5, 6, 1>;

#[derive(LogicBlock, Default)]
pub struct AerReceiver {
    pub clock: Signal<In, Clock>,
    /// Asynchronous request from the sender.
    pub req: Signal<In, Bit>,
    /// Input index, bundled with `req`.
    pub data: Signal<In, Bits<10>>,
    pub ack: Signal<Out, Bit>,
    /// Core side: the oldest event, valid while `empty` is low.
    pub head: Signal<Out, Bits<10>>,
    pub empty: Signal<Out, Bit>,
    /// Core side: consume `head`.
    pub pop: Signal<In, Bit>,
    /// One-cycle pulse per event accepted (pushed into the FIFO).
    pub accepted: Signal<Out, Bit>,
    req_sync: BitSynchronizer,
    ack_reg: DFF<Bit>,
    fifo: InputEventFifo,
}

impl Logic for AerReceiver {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(self, clock, ack_reg);
        clock!(self, clock, req_sync, fifo);
        self.req_sync.sig_in.next = self.req.val();
        self.ack.next = self.ack_reg.q.val();
        self.fifo.data_in.next = self.data.val();
        self.fifo.write.next = false;
        self.accepted.next = false;
        if ((!self.ack_reg.q.val()) & self.req_sync.sig_out.val() & (!self.fifo.full.val())) {
            self.fifo.write.next = true;
            self.accepted.next = true;
            self.ack_reg.d.next = true;
        }
        if (self.ack_reg.q.val() & (!self.req_sync.sig_out.val())) {
            self.ack_reg.d.next = false;
        }
        self.head.next = self.fifo.data_out.val();
        self.empty.next = self.fifo.empty.val();
        self.fifo.read.next = self.pop.val();
    }
}
