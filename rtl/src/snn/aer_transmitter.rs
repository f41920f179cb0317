//! AER output: a block-RAM event FIFO drained by a 4-phase req/ack
//! transmitter with a two-flop synchronizer on `ack`.
//!
//! Protocol (bundled data): when the FIFO has an event and `ack` (as
//! synchronized) is low, the transmitter loads `data` (the neuron index,
//! 10 bits unsigned) and raises `req` on the same edge; the receiver latches
//! `data` and raises `ack`; the transmitter drops `req` (pulsing `sent`); the
//! receiver drops `ack`, after which the next event may go.
//!
//! The FIFO (`SynchronousFIFO`, 1024 × 10 bits, rust-hdl `RAM`) holds a whole
//! step's spikes of the largest layer (1024 neurons), so the update phase
//! never waits for it; the core's step barrier waits for it to drain.

use rust_hdl::prelude::*;

/// The output event FIFO: 2^10 entries of 10-bit neuron indices.
pub type OutputEventFifo = SynchronousFIFO<Bits<10>, 10, 11, 1>;

#[derive(LogicBlock, Default)]
pub struct AerTransmitter {
    pub clock: Signal<In, Clock>,
    /// Core side: enqueue `push_data`.
    pub push: Signal<In, Bit>,
    pub push_data: Signal<In, Bits<10>>,
    pub req: Signal<Out, Bit>,
    /// Neuron index, bundled with `req`.
    pub data: Signal<Out, Bits<10>>,
    /// Asynchronous acknowledge from the receiver.
    pub ack: Signal<In, Bit>,
    /// One-cycle pulse per event acknowledged by the receiver.
    pub sent: Signal<Out, Bit>,
    ack_sync: BitSynchronizer,
    req_reg: DFF<Bit>,
    data_reg: DFF<Bits<10>>,
    fifo: OutputEventFifo,
}

impl Logic for AerTransmitter {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(self, clock, req_reg, data_reg);
        clock!(self, clock, ack_sync, fifo);
        self.ack_sync.sig_in.next = self.ack.val();
        self.fifo.write.next = self.push.val();
        self.fifo.data_in.next = self.push_data.val();
        self.fifo.read.next = false;
        self.sent.next = false;
        if ((!self.req_reg.q.val()) & (!self.ack_sync.sig_out.val()) & (!self.fifo.empty.val())) {
            self.data_reg.d.next = self.fifo.data_out.val();
            self.fifo.read.next = true;
            self.req_reg.d.next = true;
        }
        if (self.req_reg.q.val() & self.ack_sync.sig_out.val()) {
            self.req_reg.d.next = false;
            self.sent.next = true;
        }
        self.req.next = self.req_reg.q.val();
        self.data.next = self.data_reg.q.val();
    }
}
