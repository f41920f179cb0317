//! Hardware performance counters of a GEMM job (48-bit, cleared at `go`).

use rust_hdl::prelude::*;

/// Counts, while `active`: cycles, useful MACs (busy PE-cycles), stalled
/// cycles and empty activation slots. Cleared by `clear`.
#[derive(LogicBlock, Default)]
pub struct PerfCounters {
    pub clock: Signal<In, Clock>,
    pub clear: Signal<In, Bit>,
    pub active: Signal<In, Bit>,
    /// Useful MACs started this cycle (PEs that will do real work on the issued row).
    pub macs: Signal<In, Bits<32>>,
    pub stall: Signal<In, Bit>,
    pub bubble: Signal<In, Bit>,
    pub cycles: Signal<Out, Bits<48>>,
    pub busy_pe_cycles: Signal<Out, Bits<48>>,
    pub stall_cycles: Signal<Out, Bits<48>>,
    pub bubble_cycles: Signal<Out, Bits<48>>,
    cyc: DFF<Bits<48>>,
    busy: DFF<Bits<48>>,
    stl: DFF<Bits<48>>,
    bub: DFF<Bits<48>>,
}

impl Logic for PerfCounters {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(self, clock, cyc, busy, stl, bub);
        if self.active.val() {
            self.cyc.d.next = (self.cyc.q.val() + 1);
            self.busy.d.next = (self.busy.q.val() + bit_cast::<48, 32>(self.macs.val()));
            if self.stall.val() {
                self.stl.d.next = (self.stl.q.val() + 1);
            }
            if self.bubble.val() {
                self.bub.d.next = (self.bub.q.val() + 1);
            }
        }
        if self.clear.val() {
            self.cyc.d.next = bits::<48>(0);
            self.busy.d.next = bits::<48>(0);
            self.stl.d.next = bits::<48>(0);
            self.bub.d.next = bits::<48>(0);
        }
        self.cycles.next = self.cyc.q.val();
        self.busy_pe_cycles.next = self.busy.q.val();
        self.stall_cycles.next = self.stl.q.val();
        self.bubble_cycles.next = self.bub.q.val();
    }
}
