//! [`FieldAddr`]: the multiplier-free bank address of a tiled buffer, the
//! layout the scan and GEMM systems use: `addr = (⌊off / S⌋ << F) | row`,
//! the tile index in the high bits and the row within the tile (a chunk's
//! time step, a channel, a matrix row) in the low F bits, so no address
//! needs a product with a run-time tile count. `off` is tile-aligned (a
//! multiple of the bank count S) and `⌊off / S⌋ = hi16(off · recip)` with
//! `recip = ⌈2^16 / S⌉` (exact for off < 2^15: the error term
//! ⌊off/S⌋·(S·recip − 2^16) stays below 2^16). With `recip` and F
//! constants, `off · recip` is a shift for a power-of-two S (the default
//! arrays) and a constant multiply otherwise.

use rust_hdl::prelude::*;

/// Bank address `(⌊off / S⌋ << F) | row` (see the module comment); the
/// caller keeps `row < 2^F`.
#[derive(LogicBlock)]
pub struct FieldAddr {
    /// Row within the tile: time step of the chunk, channel, or matrix row.
    pub row: Signal<In, Bits<16>>,
    /// Tile-aligned offset (first channel, state or column of the tile).
    pub off: Signal<In, Bits<16>>,
    pub addr: Signal<Out, Bits<16>>,
    /// ⌈2^16 / S⌉.
    recip: Constant<Bits<16>>,
    /// F, the bits of the row field.
    field: Constant<Bits<16>>,
    tile: Signal<Local, Bits<32>>,
}

impl FieldAddr {
    /// Addresses of a buffer with `banks` banks (S) and an F = `field`-bit row field.
    pub fn new(banks: usize, field: usize) -> Self {
        assert!((1..=256).contains(&banks) && field < 16);
        Self {
            row: Default::default(),
            off: Default::default(),
            addr: Default::default(),
            recip: Constant::new(65536u64.div_ceil(banks as u64).into()),
            field: Constant::new((field as u64).into()),
            tile: Default::default(),
        }
    }
}

impl Logic for FieldAddr {
    #[hdl_gen]
    fn update(&mut self) {
        self.tile.next = (self.off.val() * self.recip.val());
        self.addr.next =
            ((self.tile.val().get_bits::<16>(16) << self.field.val()) | self.row.val());
    }
}
