//! The Mamba block's configuration and weights, their Mamba-style random
//! initialisation, and the weight directory format.
//!
//! Every weight matrix is stored as PyTorch stores it, `[out_features ×
//! in_features]` (`nn.Linear.weight`), so `numpy.savetxt` of a trained
//! `mamba_ssm` checkpoint's tensors gives a loadable directory:
//!
//! | file                  | shape                  | tensor (mamba_ssm name)                    |
//! |-----------------------|------------------------|--------------------------------------------|
//! | `block.toml`          |                        | [`MambaBlockConfig`]                       |
//! | `norm_weight.csv`     | d_model                | `norm.weight`                              |
//! | `in_proj_weight.csv`  | 2·d_inner × d_model    | `mixer.in_proj.weight` (rows: x, then z)   |
//! | `conv1d_weight.csv`   | d_inner × d_conv       | `mixer.conv1d.weight` (d_inner × 1 × d_conv squeezed) |
//! | `conv1d_bias.csv`     | d_inner                | `mixer.conv1d.bias`                        |
//! | `x_proj_weight.csv`   | (dt_rank + 2N) × d_inner | `mixer.x_proj.weight` (rows: dt, B, C)   |
//! | `dt_proj_weight.csv`  | d_inner × dt_rank      | `mixer.dt_proj.weight`                     |
//! | `dt_proj_bias.csv`    | d_inner                | `mixer.dt_proj.bias`                       |
//! | `A_log.csv`           | d_inner × N            | `mixer.A_log` (A = −exp(A_log))            |
//! | `D.csv`               | d_inner                | `mixer.D`                                  |
//! | `out_proj_weight.csv` | d_model × d_inner      | `mixer.out_proj.weight`                    |
//!
//! Vectors are a column (as numpy writes a 1-D array) or a single row.

use crate::formats::{write_matrix, InputError, NumberStyle, TomlFile};
use crate::rng::{normal, seeded, Rng};
use crate::ssm::workload::{inverse_softplus, log_uniform_dt};
use crate::ssm::{read_shaped, read_vector};
use crate::Matrix;
use rand::Rng as _;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// `block.toml`: the block's dimensions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MambaBlockConfig {
    /// Width of the residual stream (the block's input and output).
    pub d_model: usize,
    /// Expansion factor: d_inner = expand · d_model channels inside the mixer.
    pub expand: usize,
    /// State size N per channel.
    pub d_state: usize,
    /// Taps of the causal depthwise convolution (Mamba: 4).
    pub d_conv: usize,
    /// Rank of the Δ projection (Mamba: ⌈d_model / 16⌉).
    pub dt_rank: usize,
}

impl MambaBlockConfig {
    /// Mamba's defaults for the other fields: d_conv = 4, dt_rank = ⌈d_model/16⌉.
    pub fn new(d_model: usize, expand: usize, d_state: usize) -> Self {
        MambaBlockConfig {
            d_model,
            expand,
            d_state,
            d_conv: 4,
            dt_rank: d_model.div_ceil(16),
        }
    }

    /// Channels inside the mixer: expand · d_model.
    pub fn d_inner(&self) -> usize {
        self.expand * self.d_model
    }

    /// Columns of x_proj's output: dt_rank + 2N (dt_low, B, C).
    pub fn x_proj_out(&self) -> usize {
        self.dt_rank + 2 * self.d_state
    }
}

/// The weights of one Mamba block (`Block(Mamba)` with RMSNorm, batch 1).
/// Matrices are `[out × in]` as in PyTorch; see the module table.
#[derive(Debug, Clone, PartialEq)]
pub struct MambaBlockWeights {
    pub config: MambaBlockConfig,
    /// RMSNorm weight, d_model values.
    pub norm_weight: Vec<f64>,
    /// 2·d_inner × d_model; rows 0..d_inner make x, rows d_inner.. make z.
    pub in_proj: Matrix,
    /// d_inner × d_conv depthwise taps; tap d_conv−1 multiplies the current step.
    pub conv_weight: Matrix,
    /// d_inner conv biases.
    pub conv_bias: Vec<f64>,
    /// (dt_rank + 2N) × d_inner, no bias; rows: dt_low, then B, then C.
    pub x_proj: Matrix,
    /// d_inner × dt_rank.
    pub dt_proj_weight: Matrix,
    /// d_inner; applied inside the scan as delta_bias (before softplus).
    pub dt_proj_bias: Vec<f64>,
    /// d_inner × N; A = −exp(A_log).
    pub a_log: Matrix,
    /// d_inner skip weights.
    pub d: Vec<f64>,
    /// d_model × d_inner.
    pub out_proj: Matrix,
}

impl MambaBlockWeights {
    /// Random weights initialised as Mamba initialises them:
    /// A = −[1..N] per channel (A_log = ln[1..N]), D = 1, norm weight 1,
    /// dt_proj bias = inverse_softplus(dt) with dt log-uniform in
    /// [1e−3, 1e−1], dt_proj weight uniform ±dt_rank^−½, conv weight and bias
    /// uniform ±1/√d_conv (PyTorch's Conv1d default for a depthwise kernel),
    /// in_proj, x_proj and out_proj normal with std 1/√fan_in.
    ///
    /// Draw order (fixed, so a seed gives the same weights everywhere):
    /// in_proj, conv weight, conv bias, x_proj, dt_proj weight, dt_proj bias,
    /// out_proj; each row-major.
    pub fn init(seed: u64, config: MambaBlockConfig) -> Self {
        let c = config;
        let d_inner = c.d_inner();
        let mut rng = seeded(seed);
        let in_proj = scaled_normal(&mut rng, 2 * d_inner, c.d_model);
        let conv_bound = 1.0 / (c.d_conv as f64).sqrt();
        let conv_weight = Matrix::from_fn(d_inner, c.d_conv, |_, _| uniform(&mut rng, conv_bound));
        let conv_bias = (0..d_inner)
            .map(|_| uniform(&mut rng, conv_bound))
            .collect();
        let x_proj = scaled_normal(&mut rng, c.x_proj_out(), d_inner);
        let dt_bound = 1.0 / (c.dt_rank as f64).sqrt();
        let dt_proj_weight =
            Matrix::from_fn(d_inner, c.dt_rank, |_, _| uniform(&mut rng, dt_bound));
        let dt_proj_bias = (0..d_inner)
            .map(|_| inverse_softplus(log_uniform_dt(&mut rng)))
            .collect();
        let out_proj = scaled_normal(&mut rng, c.d_model, d_inner);
        MambaBlockWeights {
            config,
            norm_weight: vec![1.0; c.d_model],
            in_proj,
            conv_weight,
            conv_bias,
            x_proj,
            dt_proj_weight,
            dt_proj_bias,
            a_log: Matrix::from_fn(d_inner, c.d_state, |_, n| ((n + 1) as f64).ln()),
            d: vec![1.0; d_inner],
            out_proj,
        }
    }

    /// The state matrix A = −exp(A_log), d_inner × N (every entry < 0).
    pub fn a(&self) -> Matrix {
        self.a_log.map(|v| -v.exp())
    }

    /// Writes the weight directory (see the module table); numbers as
    /// numpy's `%.18e`, which round-trips every f64.
    pub fn save(&self, dir: &Path) -> std::io::Result<()> {
        std::fs::create_dir_all(dir)?;
        let f = NumberStyle::Float;
        let column = |v: &[f64]| Matrix::column(v.to_vec());
        write_matrix(&dir.join(files::NORM), &column(&self.norm_weight), f)?;
        write_matrix(&dir.join(files::IN_PROJ), &self.in_proj, f)?;
        write_matrix(&dir.join(files::CONV_WEIGHT), &self.conv_weight, f)?;
        write_matrix(&dir.join(files::CONV_BIAS), &column(&self.conv_bias), f)?;
        write_matrix(&dir.join(files::X_PROJ), &self.x_proj, f)?;
        write_matrix(&dir.join(files::DT_PROJ_WEIGHT), &self.dt_proj_weight, f)?;
        write_matrix(
            &dir.join(files::DT_PROJ_BIAS),
            &column(&self.dt_proj_bias),
            f,
        )?;
        write_matrix(&dir.join(files::A_LOG), &self.a_log, f)?;
        write_matrix(&dir.join(files::D), &column(&self.d), f)?;
        write_matrix(&dir.join(files::OUT_PROJ), &self.out_proj, f)?;
        let toml = toml::to_string(&self.config).expect("MambaBlockConfig serializes");
        std::fs::write(dir.join(files::CONFIG), toml)
    }

    /// Reads a weight directory written by [`MambaBlockWeights::save`] (or by
    /// numpy). Every tensor's shape is checked against `block.toml`; an error
    /// names the file and the expected shape.
    pub fn load(dir: &Path) -> Result<Self, InputError> {
        let toml = TomlFile::read(&dir.join(files::CONFIG))?;
        let config: MambaBlockConfig = toml.parse()?;
        for (key, value) in [
            ("d_model", config.d_model),
            ("expand", config.expand),
            ("d_state", config.d_state),
            ("d_conv", config.d_conv),
            ("dt_rank", config.dt_rank),
        ] {
            if value == 0 {
                return Err(toml.key_error(key, "expected a positive integer, found 0"));
            }
        }
        let c = config;
        let (dm, di, n, r) = (c.d_model, c.d_inner(), c.d_state, c.dt_rank);
        let dims = format!(
            "block.toml: d_model = {dm}, d_inner = {di}, N = {n}, d_conv = {}, dt_rank = {r}",
            c.d_conv
        );
        let matrix = |file: &str, rows: usize, cols: usize, what: &str| {
            read_shaped(
                &dir.join(file),
                Some(rows),
                Some(cols),
                &format!("{what}; {dims}"),
            )
            .map(|(m, _lines)| m)
        };
        let vector = |file: &str, len: usize, what: &str| {
            read_vector(&dir.join(file), len, &format!("{what}; {dims}"))
        };
        Ok(MambaBlockWeights {
            config,
            norm_weight: vector(files::NORM, dm, "d_model")?,
            in_proj: matrix(files::IN_PROJ, 2 * di, dm, "2·d_inner × d_model")?,
            conv_weight: matrix(files::CONV_WEIGHT, di, c.d_conv, "d_inner × d_conv")?,
            conv_bias: vector(files::CONV_BIAS, di, "d_inner")?,
            x_proj: matrix(files::X_PROJ, r + 2 * n, di, "(dt_rank + 2N) × d_inner")?,
            dt_proj_weight: matrix(files::DT_PROJ_WEIGHT, di, r, "d_inner × dt_rank")?,
            dt_proj_bias: vector(files::DT_PROJ_BIAS, di, "d_inner")?,
            a_log: matrix(files::A_LOG, di, n, "d_inner × N")?,
            d: vector(files::D, di, "d_inner")?,
            out_proj: matrix(files::OUT_PROJ, dm, di, "d_model × d_inner")?,
        })
    }
}

/// File names of the weight directory.
pub mod files {
    pub const CONFIG: &str = "block.toml";
    pub const NORM: &str = "norm_weight.csv";
    pub const IN_PROJ: &str = "in_proj_weight.csv";
    pub const CONV_WEIGHT: &str = "conv1d_weight.csv";
    pub const CONV_BIAS: &str = "conv1d_bias.csv";
    pub const X_PROJ: &str = "x_proj_weight.csv";
    pub const DT_PROJ_WEIGHT: &str = "dt_proj_weight.csv";
    pub const DT_PROJ_BIAS: &str = "dt_proj_bias.csv";
    pub const A_LOG: &str = "A_log.csv";
    pub const D: &str = "D.csv";
    pub const OUT_PROJ: &str = "out_proj_weight.csv";
}

/// rows × cols, N(0, 1/cols): a linear layer's weight with fan_in = cols.
fn scaled_normal(rng: &mut Rng, rows: usize, cols: usize) -> Matrix {
    let std = 1.0 / (cols as f64).sqrt();
    Matrix::from_fn(rows, cols, |_, _| std * normal(rng))
}

/// Uniform in [−bound, bound).
fn uniform(rng: &mut Rng, bound: f64) -> f64 {
    (2.0 * rng.gen::<f64>() - 1.0) * bound
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::read_matrix;
    use crate::ssm::float::softplus;

    #[test]
    fn config_defaults_follow_mamba() {
        let c = MambaBlockConfig::new(64, 2, 16);
        assert_eq!(
            (c.d_inner(), c.d_conv, c.dt_rank, c.x_proj_out()),
            (128, 4, 4, 36)
        );
        assert_eq!(MambaBlockConfig::new(65, 2, 16).dt_rank, 5);
    }

    #[test]
    fn init_matches_mamba_initialisation() {
        let c = MambaBlockConfig::new(64, 2, 16);
        let w = MambaBlockWeights::init(3, c);
        assert_eq!(w, MambaBlockWeights::init(3, c), "seeded");
        for (s, &a) in w.a().row(5).iter().enumerate() {
            assert!((a + (s + 1) as f64).abs() < 1e-12, "A[5, {s}] = {a}");
        }
        assert!(w.d.iter().chain(&w.norm_weight).all(|&v| v == 1.0));
        for &b in &w.dt_proj_bias {
            let dt = softplus(b);
            assert!((1e-3 - 1e-12..=1e-1 + 1e-12).contains(&dt), "dt {dt}");
        }
        let bound = |m: &[f64]| m.iter().fold(0.0f64, |a, &v| a.max(v.abs()));
        assert!(bound(w.dt_proj_weight.as_slice()) <= 0.5);
        assert!(bound(w.conv_weight.as_slice()) <= 0.5);
        assert!(bound(&w.conv_bias) <= 0.5);
        let std = |m: &Matrix| {
            (m.as_slice().iter().map(|v| v * v).sum::<f64>() / m.as_slice().len() as f64).sqrt()
        };
        assert!((std(&w.in_proj) * 8.0 - 1.0).abs() < 0.05);
        assert!((std(&w.out_proj) * 128f64.sqrt() - 1.0).abs() < 0.05);
    }

    #[test]
    fn save_then_load_round_trips_every_bit() {
        let dir = tempfile::tempdir().unwrap();
        let w = MambaBlockWeights::init(9, MambaBlockConfig::new(16, 2, 4));
        w.save(dir.path()).unwrap();
        assert_eq!(MambaBlockWeights::load(dir.path()).unwrap(), w);
        // numpy layout: one row per first-axis index.
        let in_proj = read_matrix(&dir.path().join(files::IN_PROJ)).unwrap();
        assert_eq!(in_proj.shape(), (64, 16));
    }

    #[test]
    fn shape_mismatch_names_the_file_and_the_expected_shape() {
        let dir = tempfile::tempdir().unwrap();
        let w = MambaBlockWeights::init(9, MambaBlockConfig::new(16, 2, 4));
        w.save(dir.path()).unwrap();
        let path = dir.path().join(files::X_PROJ);
        write_matrix(&path, &w.x_proj.transpose(), NumberStyle::Float).unwrap();
        let e = MambaBlockWeights::load(dir.path()).unwrap_err();
        assert_eq!(e.file, path);
        assert!(
            e.message
                .starts_with("expected 9×32 values ((dt_rank + 2N) × d_inner;")
                && e.message.ends_with("found 32×9"),
            "{e}"
        );
        w.save(dir.path()).unwrap();
        let path = dir.path().join(files::D);
        std::fs::write(&path, "1\n2\n").unwrap();
        let e = MambaBlockWeights::load(dir.path()).unwrap_err();
        assert_eq!(e.file, path);
        assert!(e.message.contains("expected 32 values"), "{e}");
    }

    #[test]
    fn bad_config_names_the_key_line() {
        let dir = tempfile::tempdir().unwrap();
        let w = MambaBlockWeights::init(9, MambaBlockConfig::new(16, 2, 4));
        w.save(dir.path()).unwrap();
        let path = dir.path().join(files::CONFIG);
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, text.replace("d_state = 4", "d_state = 0")).unwrap();
        let e = MambaBlockWeights::load(dir.path()).unwrap_err();
        assert_eq!((e.file.clone(), e.line), (path.clone(), Some(3)), "{e}");
        std::fs::write(&path, text + "d_head = 3\n").unwrap();
        let e = MambaBlockWeights::load(dir.path()).unwrap_err();
        assert!(e.message.contains("unknown field"), "{e}");
    }
}
