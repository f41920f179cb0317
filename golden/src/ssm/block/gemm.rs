//! The accelerator's GEMM mode: int8 × int8 → int32 accumulate. This function
//! is the RTL's specification for GEMM mode.
//!
//! Overflow: each product lies in [−16256, 16384] (16384 = (−128)·(−128)), so
//! a k-term sum cannot leave the int32 range for any int8 operands while
//! k ≤ 131071 = 2^17 − 1 (131071 · 16384 = 2^31 − 16384). The block's
//! quantizers never emit −128 (operands are symmetric, in [−127, 127]), which
//! raises the bound to k ≤ 133144 (⌊(2^31 − 1) / 127²⌋); the block's largest
//! k is d_inner. Past the bound the accumulator **wraps** (two's complement,
//! a plain 32-bit adder, no saturation logic). Wrapping addition is
//! associative, so the result does not depend on the order in which the
//! array folds the k terms — saturating accumulation would.

/// C = A · B with A m×k and B k×n int8, row-major; returns C m×n int32,
/// row-major, each element the wrapping (mod 2^32) sum of its k products.
pub fn gemm_i8(a: &[i8], b: &[i8], m: usize, k: usize, n: usize) -> Vec<i32> {
    assert_eq!(a.len(), m * k, "gemm_i8: A is not m×k");
    assert_eq!(b.len(), k * n, "gemm_i8: B is not k×n");
    let mut c = vec![0i32; m * n];
    for (a_row, c_row) in a.chunks_exact(k.max(1)).zip(c.chunks_exact_mut(n.max(1))) {
        for (&av, b_row) in a_row.iter().zip(b.chunks_exact(n.max(1))) {
            for (acc, &bv) in c_row.iter_mut().zip(b_row) {
                *acc = acc.wrapping_add(i32::from(av) * i32::from(bv));
            }
        }
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::seeded;
    use crate::Matrix;
    use rand::Rng;

    fn random_i8(rng: &mut crate::rng::Rng, len: usize) -> Vec<i8> {
        (0..len).map(|_| rng.gen::<i8>()).collect()
    }

    #[test]
    fn matches_f64_matmul_exactly_on_random_int8() {
        let mut rng = seeded(11);
        for (m, k, n) in [
            (1, 1, 1),
            (17, 300, 23),
            (64, 128, 36),
            (3, 0, 2),
            (5, 7, 1),
        ] {
            let (a, b) = (random_i8(&mut rng, m * k), random_i8(&mut rng, k * n));
            let c = gemm_i8(&a, &b, m, k, n);
            let to_f64 =
                |v: &[i8], r, c| Matrix::from_vec(r, c, v.iter().map(|&x| x as f64).collect());
            let want = to_f64(&a, m, k).matmul(&to_f64(&b, k, n));
            let got: Vec<f64> = c.iter().map(|&x| x as f64).collect();
            assert_eq!(got, want.as_slice(), "{m}×{k}×{n}");
        }
    }

    #[test]
    fn extreme_products_fit_up_to_k_131071_then_wrap() {
        let k = 131_071;
        let a = vec![-128i8; k + 1];
        assert_eq!(gemm_i8(&a[..k], &a[..k], 1, k, 1), [2_147_467_264]);
        assert_eq!(2_147_467_264, i32::MAX - 16383);
        // One more (−128)² term passes 2^31 − 1 and wraps to −2^31.
        assert_eq!(gemm_i8(&a, &a, 1, k + 1, 1), [i32::MIN]);
        // Most negative sum of symmetric operands at k = 133144 still fits.
        let (p, q) = (vec![127i8; 133_144], vec![-127i8; 133_144]);
        assert_eq!(gemm_i8(&p, &q, 1, 133_144, 1), [-2_147_479_576]);
        assert!(-127i64 * 127 * 133_145 < i32::MIN as i64);
    }

    #[test]
    fn wrapping_sum_is_independent_of_accumulation_order() {
        let mut rng = seeded(12);
        let k = 140_000;
        let (a, b) = (random_i8(&mut rng, k), vec![-128i8; k]);
        let forward = gemm_i8(&a, &b, 1, k, 1)[0];
        let (ra, rb): (Vec<i8>, Vec<i8>) = (a.iter().rev().copied().collect(), b.clone());
        assert_eq!(gemm_i8(&ra, &rb, 1, k, 1)[0], forward);
        let exact: i64 = a.iter().zip(&b).map(|(&x, &y)| x as i64 * y as i64).sum();
        assert_eq!(forward, exact as i32, "mod 2^32 of the exact sum");
    }
}
