//! ROM contents of the scan's function units, taken from the golden units
//! (`golden::ssm::fixed::units`), so the hardware tables are the spec's.
//!
//! Each unit interpolates between entries k and k + 1, so a ROM word holds
//! the pair: bits 0..18 = entry k (`lo`), bits 18..36 = entry k + 1 (`hi`),
//! both unsigned 18-bit. One 36-bit-wide synchronous ROM per unit is one
//! ECP5 DP16KD in 512 × 36 mode (the 769- and 1025-word tables take two).
//!
//! | ROM      | address                          | words | lo / hi format |
//! |----------|----------------------------------|-------|----------------|
//! | exp2neg  | k = fraction's top 8 bits        | 256   | UQ1.17         |
//! | softplus | min(|x| >> 4, 768), x in Q7.10   | 769   | UQ0.16         |
//! | silu     | min(|z| >> 4, 1024), z in Q6.10  | 1025  | UQ0.16         |
//!
//! Past the end of a correction table both entries are 0 (the golden
//! `CorrectionTable` takes g = 0 there); past the last exp2neg entry `hi` is
//! 2^−1 = 2^16 in UQ1.17, exactly as `Exp2Neg::eval` does.

use golden::ssm::fixed::units::{Exp2Neg, Silu, Softplus};
use rust_hdl::prelude::*;
use std::collections::BTreeMap;

/// Address of the first all-zero word of the softplus ROM.
pub const SOFTPLUS_END: u64 = 768;
/// Address of the first all-zero word of the silu ROM.
pub const SILU_END: u64 = 1024;

fn pair(lo: i64, hi: i64) -> Bits<36> {
    debug_assert!((0..1 << 18).contains(&lo) && (0..1 << 18).contains(&hi));
    ((lo as u64) | ((hi as u64) << 18)).into()
}

fn pairs<const N: usize>(
    table: &[i64],
    words: usize,
    past_end: i64,
) -> BTreeMap<Bits<N>, Bits<36>> {
    let at = |k: usize| table.get(k).copied().unwrap_or(past_end);
    (0..words)
        .map(|k| ((k as u64).into(), pair(at(k), at(k + 1))))
        .collect()
}

/// exp2neg ROM: 2^(−k/256) and 2^(−(k+1)/256) in UQ1.17.
pub fn exp2neg_rom() -> BTreeMap<Bits<8>, Bits<36>> {
    let t = Exp2Neg::new();
    pairs(t.table(), 256, 1 << (Exp2Neg::OUT_FRAC - 1))
}

/// softplus correction ROM: ln(1 + e^−a) at a = k/64 and (k+1)/64, UQ0.16.
pub fn softplus_rom() -> BTreeMap<Bits<10>, Bits<36>> {
    let t = Softplus::new();
    pairs(t.table(), SOFTPLUS_END as usize + 1, 0)
}

/// silu correction ROM: a·σ(−a) at a = k/64 and (k+1)/64, UQ0.16.
pub fn silu_rom() -> BTreeMap<Bits<11>, Bits<36>> {
    let t = Silu::new();
    pairs(t.table(), SILU_END as usize + 1, 0)
}
