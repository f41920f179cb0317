//! LIF neuron parameters (`neurons.toml`), in the integer units and bit widths
//! of Lava's `PyLifModelBitAcc` (the Loihi convention). One parameter set is
//! shared by every neuron of the layer.
//!
//! ```toml
//! du = 410         # current decay, 12-bit unsigned: u decays by (du + 1)/4096 per step
//! dv = 205         # voltage decay, 12-bit unsigned: v decays by dv/4096 per step
//! vth = 1200       # threshold, 17-bit unsigned; compared with v as vth << 6
//! bias_mant = 0    # bias mantissa, 13-bit signed (optional, default 0)
//! bias_exp = 0     # bias exponent, 3-bit unsigned (optional, default 0)
//! steps = 100      # algorithmic time steps of the run, at least 1
//! ```
//!
//! Values are read into `i64` first, so an out-of-range value gets a message
//! naming the key's line and its legal range rather than a serde overflow.

use crate::formats::{InputError, TomlFile};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// Largest `du` / `dv`: 12-bit unsigned.
pub const DECAY_MAX: i64 = (1 << 12) - 1;
/// Largest `vth`: 17-bit unsigned.
pub const VTH_MAX: i64 = (1 << 17) - 1;
/// `bias_mant` range: 13-bit signed.
pub const BIAS_MANT_MIN: i64 = -(1 << 12);
pub const BIAS_MANT_MAX: i64 = (1 << 12) - 1;
/// Largest `bias_exp`: 3-bit unsigned.
pub const BIAS_EXP_MAX: i64 = 7;

/// The layer's neuron parameters, in Lava bit-accurate units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct NeuronParams {
    /// Current decay, 12-bit unsigned (0..=4095). Each step u is multiplied by
    /// (4096 − (du + 1))/4096, so du = 4095 clears u.
    pub du: u16,
    /// Voltage decay, 12-bit unsigned (0..=4095). Each step v is multiplied by
    /// (4096 − dv)/4096, so dv = 0 keeps v.
    pub dv: u16,
    /// Threshold, 17-bit unsigned (0..2^17). A neuron spikes when v > vth << 6.
    pub vth: u32,
    /// Bias mantissa, 13-bit signed (−4096..=4095).
    pub bias_mant: i16,
    /// Bias exponent, 3-bit unsigned (0..=7): the bias added to v each step is
    /// bias_mant << bias_exp.
    pub bias_exp: u8,
    /// Number of algorithmic time steps of the run (≥ 1).
    pub steps: u32,
}

/// The file's values before range checks, wide enough for any TOML integer.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawParams {
    du: i64,
    dv: i64,
    vth: i64,
    #[serde(default)]
    bias_mant: i64,
    #[serde(default)]
    bias_exp: i64,
    steps: i64,
}

/// The first key of `raw` outside its range, with the expectation.
fn range_violation(raw: &RawParams) -> Option<(&'static str, String)> {
    let checks: [(&'static str, i64, i64, i64, &str); 6] = [
        ("du", raw.du, 0, DECAY_MAX, "12-bit unsigned"),
        ("dv", raw.dv, 0, DECAY_MAX, "12-bit unsigned"),
        ("vth", raw.vth, 0, VTH_MAX, "17-bit unsigned"),
        (
            "bias_mant",
            raw.bias_mant,
            BIAS_MANT_MIN,
            BIAS_MANT_MAX,
            "13-bit signed",
        ),
        ("bias_exp", raw.bias_exp, 0, BIAS_EXP_MAX, "3-bit unsigned"),
        ("steps", raw.steps, 1, u32::MAX as i64, "at least one step"),
    ];
    checks
        .into_iter()
        .find(|&(_, v, lo, hi, _)| v < lo || v > hi)
        .map(|(key, v, lo, hi, what)| {
            (
                key,
                format!("expected an integer in [{lo}, {hi}] ({what}), found {v}"),
            )
        })
}

impl NeuronParams {
    /// Reads and range-checks `neurons.toml`.
    pub fn load(path: &Path) -> Result<Self, InputError> {
        Self::from_toml(&TomlFile::read(path)?)
    }

    /// Parses and range-checks an already read TOML file; a range error is
    /// reported on the offending key's line.
    pub fn from_toml(file: &TomlFile) -> Result<Self, InputError> {
        let raw: RawParams = file.parse()?;
        if let Some((key, message)) = range_violation(&raw) {
            return Err(file.key_error(key, message));
        }
        // In range, so every narrowing below is exact.
        Ok(NeuronParams {
            du: raw.du as u16,
            dv: raw.dv as u16,
            vth: raw.vth as u32,
            bias_mant: raw.bias_mant as i16,
            bias_exp: raw.bias_exp as u8,
            steps: raw.steps as u32,
        })
    }

    /// Checks the ranges the Rust types do not enforce (du, dv ≤ 4095,
    /// vth < 2^17, bias_mant 13-bit, bias_exp ≤ 7, steps ≥ 1). The message
    /// names the key.
    pub fn validate(&self) -> Result<(), String> {
        let raw = RawParams {
            du: self.du.into(),
            dv: self.dv.into(),
            vth: self.vth.into(),
            bias_mant: self.bias_mant.into(),
            bias_exp: self.bias_exp.into(),
            steps: self.steps.into(),
        };
        match range_violation(&raw) {
            Some((key, message)) => Err(format!("{key}: {message}")),
            None => Ok(()),
        }
    }

    /// The bias added to v each step, bias_mant << bias_exp, in v's LSBs
    /// (at most 4095 · 2^7 in magnitude, 20 bits signed).
    pub fn effective_bias(&self) -> i32 {
        i32::from(self.bias_mant) << self.bias_exp
    }

    /// The threshold in v's LSBs, vth << 6 (at most 2^23 − 64).
    pub fn effective_vth(&self) -> i32 {
        (self.vth as i32) << super::fixed::VTH_SHIFT
    }

    /// The TOML text [`NeuronParams::load`] reads back.
    pub fn to_toml(&self) -> String {
        let body = toml::to_string(self).expect("plain integers always serialize to TOML");
        format!("# LIF neuron parameters, Lava PyLifModelBitAcc units\n{body}")
    }

    /// Writes [`NeuronParams::to_toml`] to `path`.
    pub fn save(&self, path: &Path) -> std::io::Result<()> {
        std::fs::write(path, self.to_toml())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str =
        "du = 410\ndv = 205\nvth = 1200\nbias_mant = -3\nbias_exp = 2\nsteps = 100\n";

    fn load_str(text: &str) -> Result<NeuronParams, InputError> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("neurons.toml");
        std::fs::write(&path, text).unwrap();
        NeuronParams::load(&path)
    }

    #[test]
    fn reads_params_and_derived_values() {
        let p = load_str(GOOD).unwrap();
        assert_eq!(
            p,
            NeuronParams {
                du: 410,
                dv: 205,
                vth: 1200,
                bias_mant: -3,
                bias_exp: 2,
                steps: 100
            }
        );
        assert_eq!(p.effective_bias(), -12);
        assert_eq!(p.effective_vth(), 1200 * 64);
        assert!(p.validate().is_ok());
        // bias is optional
        let p = load_str("du = 0\ndv = 0\nvth = 0\nsteps = 1\n").unwrap();
        assert_eq!((p.bias_mant, p.bias_exp), (0, 0));
    }

    #[test]
    fn out_of_range_values_name_the_keys_line() {
        let e = load_str("# p\ndu = 4096\ndv = 0\nvth = 1\nsteps = 1\n").unwrap_err();
        assert_eq!(e.line, Some(2), "{e}");
        assert!(
            e.message
                .contains("du: expected an integer in [0, 4095] (12-bit unsigned), found 4096"),
            "{e}"
        );
        let cases = [
            ("dv = 205", "dv = -1", 2, "dv:"),
            ("vth = 1200", "vth = 131072", 3, "vth:"),
            ("bias_mant = -3", "bias_mant = -4097", 4, "[-4096, 4095]"),
            ("bias_mant = -3", "bias_mant = 4096", 4, "bias_mant:"),
            ("bias_exp = 2", "bias_exp = 8", 5, "bias_exp:"),
            ("steps = 100", "steps = 0", 6, "steps:"),
            // past i16/u32: our message, not a serde overflow
            (
                "bias_mant = -3",
                "bias_mant = 99999999999",
                4,
                "found 99999999999",
            ),
        ];
        for (from, to, line, text) in cases {
            let e = load_str(&GOOD.replace(from, to)).unwrap_err();
            assert_eq!(e.line, Some(line), "{to}: {e}");
            assert!(e.message.contains(text), "{to}: {e}");
        }
        // upper limits themselves are accepted
        let edge =
            "du = 4095\ndv = 4095\nvth = 131071\nbias_mant = -4096\nbias_exp = 7\nsteps = 1\n";
        assert!(load_str(edge).is_ok());
    }

    #[test]
    fn unknown_missing_and_mistyped_keys_are_errors() {
        let e = load_str(&format!("{GOOD}tau = 3\n")).unwrap_err();
        assert_eq!(e.line, Some(7));
        assert!(e.message.contains("unknown field"), "{e}");
        let e = load_str("du = 1\ndv = 1\nsteps = 3\n").unwrap_err();
        assert!(e.message.contains("vth"), "{e}");
        let e = load_str(&GOOD.replace("du = 410", "du = 4.5")).unwrap_err();
        assert_eq!(e.line, Some(1), "{e}");
    }

    #[test]
    fn validate_catches_what_the_types_allow() {
        let mut p = load_str(GOOD).unwrap();
        p.du = 4096;
        assert!(p.validate().unwrap_err().starts_with("du:"));
        p.du = 0;
        p.vth = 1 << 17;
        assert!(p.validate().unwrap_err().starts_with("vth:"));
    }

    #[test]
    fn save_then_load_round_trips() {
        let p = load_str(GOOD).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("neurons.toml");
        p.save(&path).unwrap();
        assert_eq!(NeuronParams::load(&path).unwrap(), p);
    }
}
