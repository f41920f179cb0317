//! Fixed-point helpers shared by the bit-accurate SSM reference.
//!
//! Notation: `Qi.f` is a signed two's-complement number of `i + f` bits, of
//! which `i` are integer bits *including the sign* and `f` are fractional;
//! `UQi.f` is unsigned. The stored integer `x` means `x · 2^-f`.

/// Quantizes a real value to a fixed-point integer with `frac` fractional bits,
/// rounding to nearest (ties away from zero) and saturating to `bits` bits,
/// signed. Used only where real inputs enter the fixed-point domain.
pub fn quantize(value: f64, frac: u32, bits: u32) -> i64 {
    saturate((value * (1u64 << frac) as f64).round() as i64, bits)
}

/// Like [`quantize`] but unsigned: negative values become 0.
pub fn quantize_unsigned(value: f64, frac: u32, bits: u32) -> i64 {
    quantize(value, frac, bits + 1).clamp(0, (1 << bits) - 1)
}

/// Real value of a fixed-point integer with `frac` fractional bits.
pub fn to_real(x: i64, frac: u32) -> f64 {
    x as f64 / (1u64 << frac) as f64
}

/// Clamps `x` into the range of a `bits`-bit signed integer.
pub fn saturate(x: i64, bits: u32) -> i64 {
    let max = (1i64 << (bits - 1)) - 1;
    x.clamp(-max - 1, max)
}

/// Drops `shift` fractional bits, rounding to nearest with ties toward +∞
/// (add half an output LSB, then arithmetic shift right): one adder in
/// hardware. `shift == 0` returns `x`.
pub fn round_shift(x: i64, shift: u32) -> i64 {
    if shift == 0 {
        x
    } else {
        (x + (1i64 << (shift - 1))) >> shift
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_shift_rounds_half_up_on_both_signs() {
        assert_eq!(round_shift(5, 1), 3); // 2.5 → 3
        assert_eq!(round_shift(-5, 1), -2); // −2.5 → −2
        assert_eq!(round_shift(-6, 2), -1); // −1.5 → −1
        assert_eq!(round_shift(7, 0), 7);
    }

    #[test]
    fn quantize_saturates_to_width() {
        assert_eq!(quantize(1.0, 10, 16), 1024);
        assert_eq!(quantize(100.0, 10, 16), 32767);
        assert_eq!(quantize(-100.0, 10, 16), -32768);
        assert_eq!(quantize_unsigned(-0.5, 16, 18), 0);
        assert_eq!(quantize_unsigned(9.0, 16, 18), (1 << 18) - 1);
        assert_eq!(to_real(-1536, 10), -1.5);
    }
}
