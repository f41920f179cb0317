//! Two's-complement helpers for the Rust models of `Wrapper` blocks, whose
//! ports carry raw bit patterns (`Bits::to_u64`).

/// The signed value of the low `width` bits of `x` (1 ≤ width ≤ 64).
pub fn signed(x: u64, width: usize) -> i64 {
    let shift = 64 - width as u32;
    ((x << shift) as i64) >> shift
}

/// The low `width` bits of `x` (two's complement for negative values).
pub fn wrap(x: i64, width: usize) -> u64 {
    if width >= 64 {
        x as u64
    } else {
        (x as u64) & ((1u64 << width) - 1)
    }
}

/// `x` saturated to the range of a `width`-bit signed integer.
pub fn saturate(x: i64, width: usize) -> i64 {
    let max = (1i64 << (width - 1)) - 1;
    x.clamp(-max - 1, max)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_and_values_round_trip() {
        assert_eq!(signed(0x3ff, 10), -1);
        assert_eq!(signed(0x1ff, 10), 511);
        assert_eq!(wrap(-1, 10), 0x3ff);
        assert_eq!(signed(wrap(-12345, 20), 20), -12345);
        assert_eq!(saturate(1 << 40, 32), (1 << 31) - 1);
        assert_eq!(saturate(-(1 << 40), 32), -(1 << 31));
    }
}
