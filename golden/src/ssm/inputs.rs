//! The selective scan's inputs (DESIGN.md shapes, batch 1) and how they are
//! read from a directory: `u.csv delta.csv A.csv B.csv C.csv D.csv`, optional
//! `z.csv delta_bias.csv`, and `scan.toml`.
//!
//! Shapes: u, delta, z: L×D; A: D×N; B, C: L×N; D, delta_bias: D values (a
//! column, as numpy writes a 1-D array, or a single row).

use crate::formats::{
    matrix_csv, read_matrix, read_matrix_lines, InputError, NumberStyle, TomlFile,
};
use crate::Matrix;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// `scan.toml`: switches of the scan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScanConfig {
    /// Apply `delta = softplus(delta + delta_bias)` (Mamba's `delta_softplus`).
    pub delta_softplus: bool,
}

/// Everything `selective_scan` reads, in real units (f64).
#[derive(Debug, Clone, PartialEq)]
pub struct ScanInputs {
    /// L×D input sequence.
    pub u: Matrix,
    /// L×D step sizes Δ, before `delta_bias` and softplus.
    pub delta: Matrix,
    /// D×N state matrix (diagonal per channel); every entry ≤ 0.
    pub a: Matrix,
    /// L×N input projection (selective: one row per step).
    pub b: Matrix,
    /// L×N output projection.
    pub c: Matrix,
    /// D skip weights.
    pub d: Vec<f64>,
    /// L×D gate; when present y is multiplied by SiLU(z).
    pub z: Option<Matrix>,
    /// D biases added to delta before softplus.
    pub delta_bias: Option<Vec<f64>>,
    pub config: ScanConfig,
}

impl ScanInputs {
    /// (L, D, N): sequence length, channels, state size.
    pub fn dims(&self) -> (usize, usize, usize) {
        (self.u.rows(), self.u.cols(), self.a.cols())
    }

    /// Reads and checks a scan input directory.
    pub fn load(dir: &Path) -> Result<Self, InputError> {
        let u = read_matrix(&dir.join("u.csv"))?;
        let (l, d) = u.shape();
        let dims = format!("u.csv is {l}×{d} (L×D)");
        let (delta, _) = read_shaped(&dir.join("delta.csv"), Some(l), Some(d), &dims)?;
        let (a, a_lines) = read_shaped(&dir.join("A.csv"), Some(d), None, &dims)?;
        check_nonpositive(&dir.join("A.csv"), &a, &a_lines)?;
        let n = a.cols();
        let (b, _) = read_shaped(&dir.join("B.csv"), Some(l), Some(n), &dims)?;
        let (c, _) = read_shaped(&dir.join("C.csv"), Some(l), Some(n), &dims)?;
        let skip = read_vector(&dir.join("D.csv"), d, &dims)?;
        let z_path = dir.join("z.csv");
        let z = match z_path.exists() {
            true => Some(read_shaped(&z_path, Some(l), Some(d), &dims)?.0),
            false => None,
        };
        let bias_path = dir.join("delta_bias.csv");
        let delta_bias = match bias_path.exists() {
            true => Some(read_vector(&bias_path, d, &dims)?),
            false => None,
        };
        let config = TomlFile::read(&dir.join("scan.toml"))?.parse()?;
        Ok(ScanInputs {
            u,
            delta,
            a,
            b,
            c,
            d: skip,
            z,
            delta_bias,
            config,
        })
    }

    /// The input directory's files (name, contents), in the format
    /// [`ScanInputs::load`] reads.
    pub fn files(&self) -> Vec<(String, String)> {
        let csv = |m: &Matrix| matrix_csv(m, NumberStyle::Float);
        let mut files = vec![
            ("u.csv", csv(&self.u)),
            ("delta.csv", csv(&self.delta)),
            ("A.csv", csv(&self.a)),
            ("B.csv", csv(&self.b)),
            ("C.csv", csv(&self.c)),
            ("D.csv", csv(&Matrix::column(self.d.clone()))),
        ];
        if let Some(z) = &self.z {
            files.push(("z.csv", csv(z)));
        }
        if let Some(bias) = &self.delta_bias {
            files.push(("delta_bias.csv", csv(&Matrix::column(bias.clone()))));
        }
        let config = toml::to_string(&self.config).expect("ScanConfig serializes");
        files.push(("scan.toml", config));
        files.into_iter().map(|(n, c)| (n.to_string(), c)).collect()
    }

    /// Writes [`ScanInputs::files`] into `dir`.
    pub fn save(&self, dir: &Path) -> std::io::Result<()> {
        std::fs::create_dir_all(dir)?;
        for (name, contents) in self.files() {
            std::fs::write(dir.join(name), contents)?;
        }
        Ok(())
    }
}

/// Reads a matrix whose row and/or column count is fixed by other files;
/// also returns the file line of each row.
pub(crate) fn read_shaped(
    path: &Path,
    rows: Option<usize>,
    cols: Option<usize>,
    because: &str,
) -> Result<(Matrix, Vec<usize>), InputError> {
    let (m, lines) = read_matrix_lines(path)?;
    let show = |n: Option<usize>| n.map_or("any".to_string(), |n| n.to_string());
    if rows.is_some_and(|r| r != m.rows()) || cols.is_some_and(|c| c != m.cols()) {
        return Err(InputError::file(
            path,
            format!(
                "expected {}×{} values ({because}), found {}×{}",
                show(rows),
                show(cols),
                m.rows(),
                m.cols()
            ),
        ));
    }
    Ok((m, lines))
}

/// Reads a per-channel vector of `len` values, as a column or a single row.
pub(crate) fn read_vector(path: &Path, len: usize, because: &str) -> Result<Vec<f64>, InputError> {
    let m = read_matrix(path)?;
    if m.as_slice().len() != len || (m.rows() != 1 && m.cols() != 1) {
        return Err(InputError::file(
            path,
            format!(
                "expected {len} values, one per channel ({because}), found {}×{}",
                m.rows(),
                m.cols()
            ),
        ));
    }
    Ok(m.as_slice().to_vec())
}

/// A with every entry ≤ 0, reported on the line of the first positive one.
fn check_nonpositive(path: &Path, a: &Matrix, lines: &[usize]) -> Result<(), InputError> {
    for (r, &line) in lines.iter().enumerate().take(a.rows()) {
        if let Some(c) = a.row(r).iter().position(|&v| v > 0.0) {
            return Err(InputError::at(
                path,
                line,
                format!(
                    "column {}: expected A ≤ 0 (the state decays), found {}",
                    c + 1,
                    a.get(r, c)
                ),
            ));
        }
    }
    Ok(())
}
