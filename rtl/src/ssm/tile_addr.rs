//! Bank address of a tiled buffer: `addr = lo16(t · tiles) + ⌊off / S⌋`
//! where `off` is tile-aligned (a multiple of the bank count S) and
//! `⌊off / S⌋ = hi16(off · recip)` with `recip = ⌈2^16 / S⌉` (exact for
//! off < 2^15: the error term ⌊off/S⌋·(S·recip − 2^16) stays below 2^16).
//! Two 16×16 multiplies (rust-hdl's `*`) and an adder.

use rust_hdl::prelude::*;

#[derive(LogicBlock, Default)]
pub struct TileAddr {
    /// Row of the buffer (time step, or channel for a2).
    pub t: Signal<In, Bits<16>>,
    /// Words per row: the tile count ⌈width / S⌉.
    pub tiles: Signal<In, Bits<16>>,
    /// Tile-aligned offset within the row.
    pub off: Signal<In, Bits<16>>,
    /// ⌈2^16 / S⌉.
    pub recip: Signal<In, Bits<16>>,
    pub addr: Signal<Out, Bits<16>>,
    row: Signal<Local, Bits<32>>,
    tile: Signal<Local, Bits<32>>,
}

impl Logic for TileAddr {
    #[hdl_gen]
    fn update(&mut self) {
        self.row.next = (self.t.val() * self.tiles.val());
        self.tile.next = (self.off.val() * self.recip.val());
        self.addr.next = (self.row.val().get_bits::<16>(0) + self.tile.val().get_bits::<16>(16));
    }
}
