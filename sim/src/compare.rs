//! Bit-exact comparison of a row-major result matrix against its reference,
//! shared by the GEMM ([`crate::gemm::compare_exact`], C) and scan
//! ([`crate::scan::compare_scan`], y) drivers.

use std::fmt;

/// Where two row-major results differ.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mismatches<T> {
    /// The matrix's name in the report (`C`, `y`).
    pub name: &'static str,
    /// Number of differing elements.
    pub count: usize,
    /// The first few: (row, col, got, want).
    pub first: Vec<(usize, usize, T, T)>,
}

impl<T: fmt::Display> fmt::Display for Mismatches<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} mismatching elements", self.count)?;
        for (r, c, got, want) in &self.first {
            write!(f, "; {}[{r}][{c}] = {got}, expected {want}", self.name)?;
        }
        Ok(())
    }
}

/// Bit-exact comparison of `got` against `want` (both row-major with `cols`
/// columns); `name` names the matrix in the report. A length mismatch counts
/// the difference in length (at least 1) and lists no elements.
pub fn compare_matrix<T: PartialEq + Copy>(
    name: &'static str,
    got: &[T],
    want: &[T],
    cols: usize,
) -> Result<(), Mismatches<T>> {
    if got.len() != want.len() {
        return Err(Mismatches {
            name,
            count: got.len().abs_diff(want.len()).max(1),
            first: vec![],
        });
    }
    let bad: Vec<(usize, usize, T, T)> = got
        .iter()
        .zip(want)
        .enumerate()
        .filter(|(_, (g, w))| g != w)
        .map(|(i, (g, w))| (i / cols, i % cols, *g, *w))
        .collect();
    if bad.is_empty() {
        Ok(())
    } else {
        Err(Mismatches {
            name,
            count: bad.len(),
            first: bad.into_iter().take(8).collect(),
        })
    }
}
