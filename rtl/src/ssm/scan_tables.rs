//! ROM contents of the scan's function units, taken from the golden units
//! (`golden::ssm::fixed::units`), so the hardware tables are the spec's.
//!
//! Each unit interpolates between entries k and k + 1, so a ROM word holds
//! the pair: bits 0..18 = entry k (`lo`), bits 18..36 = entry k + 1 (`hi`),
//! both unsigned 18-bit. One 36-bit-wide synchronous ROM per unit is one
//! ECP5 DP16KD in 512 × 36 mode (the 769- and 1025-word tables take two).
//!
//! | ROM      | address                          | words | lo / hi format | max |hi − lo| |
//! |----------|----------------------------------|-------|----------------|---------------|
//! | exp2neg  | k = fraction's top 8 bits        | 256   | UQ1.17         | < 2^9         |
//! | softplus | min(|x| >> 4, 768), x in Q7.10   | 769   | UQ0.16         | < 2^9         |
//! | silu     | min(|z| >> 4, 1024), z in Q6.10  | 1025  | UQ0.16         | < 2^11        |
//!
//! Past the end of a correction table both entries are 0 (the golden
//! `CorrectionTable` takes g = 0 there); past the last exp2neg entry `hi` is
//! 2^−1 = 2^16 in UQ1.17, exactly as `Exp2Neg::eval` does. The last column
//! is the interpolation difference's range, which sizes the lerp multiplier
//! (checked by the tests below).

use crate::common::wrapper_text::hex;
use golden::ssm::fixed::units::{Exp2Neg, Silu, Softplus};
use std::fmt::Write as _;

/// Address of the first all-zero word of the softplus ROM.
pub const SOFTPLUS_END: u64 = 768;
/// Address of the first all-zero word of the silu ROM.
pub const SILU_END: u64 = 1024;

/// Entry pairs (k, k + 1) of `table` for k < `words`, `past_end` beyond it.
fn pairs(table: &[i64], words: usize, past_end: i64) -> Vec<(u64, u64)> {
    let at = |k: usize| table.get(k).copied().unwrap_or(past_end);
    (0..words)
        .map(|k| {
            let (lo, hi) = (at(k), at(k + 1));
            debug_assert!((0..1 << 18).contains(&lo) && (0..1 << 18).contains(&hi));
            (lo as u64, hi as u64)
        })
        .collect()
}

/// exp2neg ROM: 2^(−k/256) and 2^(−(k+1)/256) in UQ1.17.
pub fn exp2neg_pairs() -> Vec<(u64, u64)> {
    pairs(Exp2Neg::new().table(), 256, 1 << (Exp2Neg::OUT_FRAC - 1))
}

/// softplus correction ROM: ln(1 + e^−a) at a = k/64 and (k+1)/64, UQ0.16.
pub fn softplus_pairs() -> Vec<(u64, u64)> {
    pairs(Softplus::new().table(), SOFTPLUS_END as usize + 1, 0)
}

/// silu correction ROM: a·σ(−a) at a = k/64 and (k+1)/64, UQ0.16.
pub fn silu_pairs() -> Vec<(u64, u64)> {
    pairs(Silu::new().table(), SILU_END as usize + 1, 0)
}

/// Verilog of a 36-bit ROM `name` holding `pairs` (lo in bits 0..18, hi in
/// 18..36), initialized in an `initial` block (block RAM contents).
pub fn rom_verilog(name: &str, pairs: &[(u64, u64)]) -> String {
    let mut text = format!(
        "reg [35:0] {name} [0:{}];\ninitial begin\n",
        pairs.len() - 1
    );
    for (k, &(lo, hi)) in pairs.iter().enumerate() {
        let _ = writeln!(text, "    {name}[{k}] = {};", hex(36, lo | (hi << 18)));
    }
    text.push_str("end\n");
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn max_step(p: &[(u64, u64)]) -> i64 {
        p.iter()
            .map(|&(lo, hi)| (hi as i64 - lo as i64).abs())
            .max()
            .unwrap()
    }

    #[test]
    fn interpolation_steps_fit_the_lerp_multipliers() {
        assert!(max_step(&exp2neg_pairs()) < 1 << 9);
        assert!(max_step(&softplus_pairs()) < 1 << 9);
        assert!(max_step(&silu_pairs()) < 1 << 11);
    }

    #[test]
    fn tables_end_as_the_golden_units_do() {
        let e = exp2neg_pairs();
        assert_eq!(e[0].0, 1 << 17);
        assert_eq!(e[255].1, 1 << 16);
        assert_eq!(softplus_pairs()[SOFTPLUS_END as usize], (0, 0));
        assert_eq!(silu_pairs()[SILU_END as usize], (0, 0));
    }

    #[test]
    fn rom_text_has_every_word() {
        let text = rom_verilog("rom", &[(1, 2), (3, 4)]);
        assert!(text.contains("reg [35:0] rom [0:1];"));
        assert!(text.contains("rom[1] = 36'h100003;"));
    }
}
