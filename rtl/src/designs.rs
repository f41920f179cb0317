//! The catalogue of designs that leave the repository as Verilog: each
//! family (`ssm`, `snn`) is a list of top-level designs (at the array shapes
//! compiled in, for the SSM accelerator; per FPGA build, for the
//! neuromorphic core), each with the configuration that its header comment
//! records. The Verilog is rust-hdl's, width-tidied by
//! [`crate::verilog_tidy`].

use crate::common::dsp::ECP5_MACRO;
use crate::snn::config as snn_config;
use crate::snn::core::SnnCore;
use crate::ssm::gemm_system::DefaultGemmSystem;
use crate::ssm::scan_system::DefaultScanSystem;
use crate::ssm::{GemmCore, ScanCore, DEFAULT_ARRAY, DEFAULT_SCAN_ARRAY};
use rust_hdl::prelude::*;

/// rust-hdl's version (pinned in the workspace manifest).
pub const RUST_HDL_VERSION: &str = "0.46.0";

/// One top-level design at one array shape.
#[derive(Clone, Copy, Debug)]
pub struct Design {
    /// The family: `ssm` or `snn`.
    pub family: &'static str,
    /// `scan-core`, `scan-system`, `gemm-core`, `gemm-system` or `snn-core`.
    pub name: &'static str,
    /// R×C of the PE array; (0, 0) for a design without one (`snn`).
    pub array: (usize, usize),
    /// The build of a design without an array (`up5k`, `ecp5`, `tiny`):
    /// names its file and its `array` column; empty for the SSM designs.
    pub build: &'static str,
    /// The synthesis targets (`spikescan synth --target`) this build is
    /// made for; empty: any.
    pub targets: &'static [&'static str],
    /// Whether `array` is the family's default for this mode.
    pub default: bool,
    /// The number formats of the ports and state, one line.
    pub formats: &'static str,
    /// Further configuration (buffer depth), one line; empty when none.
    pub params: &'static str,
    emit: fn() -> String,
}

impl Design {
    /// `scan-core-4x4`, `snn-core-up5k`.
    pub fn file_stem(&self) -> String {
        format!("{}-{}", self.name, self.shape())
    }

    /// `4x4` (the array) or `up5k` (the build).
    pub fn shape(&self) -> String {
        if self.build.is_empty() {
            format!("{}x{}", self.array.0, self.array.1)
        } else {
            self.build.to_string()
        }
    }

    /// Whether this design is built for the synthesis target `target`.
    pub fn for_target(&self, target: &str) -> bool {
        self.targets.is_empty() || self.targets.contains(&target)
    }

    /// The configuration lines of the header comment, without `// `.
    pub fn config_lines(&self, generator: &str) -> Vec<String> {
        let mut lines = vec![format!("design:    {} ({})", self.name, self.family)];
        if self.build.is_empty() {
            lines.push(format!(
                "array:     {}x{} (R rows x C columns){}",
                self.array.0,
                self.array.1,
                if self.default { ", the default" } else { "" }
            ));
        } else {
            lines.push(format!(
                "build:     {} (for {}){}",
                self.build,
                self.targets.join(", "),
                if self.default {
                    ", a default build"
                } else {
                    ""
                }
            ));
        }
        lines.push(format!("formats:   {}", self.formats));
        if !self.params.is_empty() {
            lines.push(format!("params:    {}", self.params));
        }
        lines.push(format!(
            "generator: {generator}, rust-hdl {RUST_HDL_VERSION} generate_verilog"
        ));
        lines.push("top:       module top, clock input `clock`".to_string());
        lines
    }

    /// The Verilog text of the design (rust-hdl's `check_all` passes first)
    /// behind a header comment with its configuration, and how to select
    /// the ECP5 DSP instances when the design has products.
    pub fn verilog(&self, generator: &str) -> String {
        let text = (self.emit)();
        let mut lines = self.config_lines(generator);
        if text.contains(&format!("`ifdef {ECP5_MACRO}")) {
            lines.push(format!(
                "ecp5:      define {ECP5_MACRO} (yosys read_verilog -D{ECP5_MACRO}) to put \
                 each product's registers inside its MULT18X18D"
            ));
        }
        let mut out = String::new();
        for line in lines {
            out.push_str("// ");
            out.push_str(&line);
            out.push('\n');
        }
        out.push('\n');
        out.push_str(&text);
        out
    }
}

/// The Verilog of `uut` as it leaves the project: rust-hdl's
/// `generate_verilog` (after its design checks) through
/// [`crate::verilog_tidy::tidy`].
pub fn verilog_of<B: Block>(mut uut: B) -> String {
    uut.connect_all();
    check_all(&uut).expect("rust-hdl design checks");
    crate::verilog_tidy::tidy(&generate_verilog(&uut))
}

fn scan_core<const R: usize, const C: usize>() -> String {
    verilog_of(ScanCore::<R, C>::default())
}
fn scan_system<const R: usize, const C: usize>() -> String {
    verilog_of(DefaultScanSystem::<R, C>::default())
}
fn gemm_core<const R: usize, const C: usize>() -> String {
    verilog_of(GemmCore::<R, C>::default())
}
fn gemm_system<const R: usize, const C: usize>() -> String {
    verilog_of(DefaultGemmSystem::<R, C>::default())
}

const SCAN_FORMATS: &str = "operands Q6.10 (a2 UQ6.10), delta UQ2.16, state h Q12.20, \
partial y Q18.30 (64 bit), y Q16.16 (32 bit); bit-exact to golden::ssm::fixed";
const GEMM_FORMATS: &str = "A, B int8; products and C int32";
const SCAN_PARAMS: &str =
    "buffer banks 2^11 words each (A = 11), chunks of up to 2^6 tokens (T = 6), D <= 2^8 (S = 8)";
const GEMM_PARAMS: &str =
    "buffer banks 2^12 words each (AB = 12), row fields of 2^8 (F = 8): M <= 256, K <= 128, N <= 128";

macro_rules! ssm_shapes {
    ($(($name:literal, $f:ident, $r:literal, $c:literal, $formats:expr, $params:expr, $default:expr)),* $(,)?) => {
        &[$(Design {
            family: "ssm",
            name: $name,
            array: ($r, $c),
            build: "",
            targets: &[],
            default: $default.rows == $r && $default.cols == $c,
            formats: $formats,
            params: $params,
            emit: $f::<$r, $c>,
        }),*]
    };
}

/// The SSM accelerator's designs: the scan-mode and GEMM-mode cores, each
/// alone and inside its host system (RAM buffers and streams), at the shapes
/// `spikescan sim` also compiles (GEMM 16×16 left out: its Verilog alone
/// takes minutes to generate).
pub const SSM: &[Design] = ssm_shapes![
    (
        "scan-core",
        scan_core,
        4,
        4,
        SCAN_FORMATS,
        "",
        DEFAULT_SCAN_ARRAY
    ),
    (
        "scan-core",
        scan_core,
        2,
        2,
        SCAN_FORMATS,
        "",
        DEFAULT_SCAN_ARRAY
    ),
    (
        "scan-core",
        scan_core,
        2,
        3,
        SCAN_FORMATS,
        "",
        DEFAULT_SCAN_ARRAY
    ),
    (
        "scan-core",
        scan_core,
        3,
        2,
        SCAN_FORMATS,
        "",
        DEFAULT_SCAN_ARRAY
    ),
    (
        "scan-system",
        scan_system,
        4,
        4,
        SCAN_FORMATS,
        SCAN_PARAMS,
        DEFAULT_SCAN_ARRAY
    ),
    (
        "scan-system",
        scan_system,
        2,
        2,
        SCAN_FORMATS,
        SCAN_PARAMS,
        DEFAULT_SCAN_ARRAY
    ),
    (
        "scan-system",
        scan_system,
        2,
        3,
        SCAN_FORMATS,
        SCAN_PARAMS,
        DEFAULT_SCAN_ARRAY
    ),
    (
        "scan-system",
        scan_system,
        3,
        2,
        SCAN_FORMATS,
        SCAN_PARAMS,
        DEFAULT_SCAN_ARRAY
    ),
    (
        "gemm-core",
        gemm_core,
        8,
        8,
        GEMM_FORMATS,
        "",
        DEFAULT_ARRAY
    ),
    (
        "gemm-core",
        gemm_core,
        4,
        4,
        GEMM_FORMATS,
        "",
        DEFAULT_ARRAY
    ),
    (
        "gemm-core",
        gemm_core,
        2,
        3,
        GEMM_FORMATS,
        "",
        DEFAULT_ARRAY
    ),
    (
        "gemm-core",
        gemm_core,
        3,
        2,
        GEMM_FORMATS,
        "",
        DEFAULT_ARRAY
    ),
    (
        "gemm-system",
        gemm_system,
        8,
        8,
        GEMM_FORMATS,
        GEMM_PARAMS,
        DEFAULT_ARRAY
    ),
    (
        "gemm-system",
        gemm_system,
        4,
        4,
        GEMM_FORMATS,
        GEMM_PARAMS,
        DEFAULT_ARRAY
    ),
    (
        "gemm-system",
        gemm_system,
        2,
        3,
        GEMM_FORMATS,
        GEMM_PARAMS,
        DEFAULT_ARRAY
    ),
    (
        "gemm-system",
        gemm_system,
        3,
        2,
        GEMM_FORMATS,
        GEMM_PARAMS,
        DEFAULT_ARRAY
    ),
];

fn snn_core<const A: usize, const SPRAM: bool>() -> String {
    verilog_of(SnnCore::<A, SPRAM>::new())
}

const SNN_FORMATS: &str = "current-based LIF (Lava bit-accurate): u, v 24-bit two's complement, \
du, dv 12u, vth 17u, bias mantissa 13 / exponent 3u; synapses int8, 4 per 32-bit word; \
input accumulators 18-bit; AER events 10-bit neuron index, 4-phase req/ack";
const SNN_UP5K_PARAMS: &str = "neurons <= 1024 (the default layer 256 -> 256), \
synapse memory 2^14 words = 64 k int8 synapses (512 kbit) in 2 SB_SPRAM256KA, \
state 1024 x 49 bit, accumulators 4 x 256 x 18 bit, AER FIFOs 32 + 1024 events";
const SNN_ECP5_PARAMS: &str = "neurons <= 1024 (the default layer 256 -> 256), \
synapse memory 2^16 words = 256 k int8 synapses (2 Mbit) in block RAM, \
state 1024 x 49 bit, accumulators 4 x 256 x 18 bit, AER FIFOs 32 + 1024 events";

/// The neuromorphic core's builds: the iCE40 UP5K build (synapses in SPRAM)
/// and the ECP5 build (synapses in block RAM, the build the simulator runs).
/// Sizes in [`crate::snn::config`].
pub const SNN: &[Design] = &[
    Design {
        family: "snn",
        name: "snn-core",
        array: (0, 0),
        build: "up5k",
        targets: &["ice40-up5k"],
        default: true,
        formats: SNN_FORMATS,
        params: SNN_UP5K_PARAMS,
        emit: snn_core::<{ snn_config::UP5K_SYNAPSE_ADDR_BITS }, true>,
    },
    Design {
        family: "snn",
        name: "snn-core",
        array: (0, 0),
        build: "ecp5",
        targets: &["ecp5-85k"],
        default: true,
        formats: SNN_FORMATS,
        params: SNN_ECP5_PARAMS,
        emit: snn_core::<{ snn_config::SYNAPSE_ADDR_BITS }, false>,
    },
];

/// Every family by name.
pub const FAMILIES: &[(&str, &[Design])] = &[("ssm", SSM), ("snn", SNN)];

/// The designs of `family` to emit: with `array`, every design compiled at
/// that shape (an error naming the shapes when there is none); without it,
/// each mode at its default shape. `names`, when not empty, keeps only the
/// designs so named.
pub fn select(
    family: &[Design],
    array: Option<(usize, usize)>,
    names: &[String],
) -> Result<Vec<Design>, String> {
    let chosen: Vec<Design> = family
        .iter()
        .filter(|d| match array {
            Some(a) => d.array == a,
            None => d.default,
        })
        .filter(|d| names.is_empty() || names.iter().any(|n| n == d.name))
        .copied()
        .collect();
    if chosen.is_empty() {
        let mut shapes: Vec<String> = family
            .iter()
            .filter(|d| names.is_empty() || names.iter().any(|n| n == d.name))
            .map(|d| format!("{} {}", d.name, d.shape()))
            .collect();
        shapes.dedup();
        return Err(format!(
            "no design at that shape; compiled: {}",
            shapes.join(", ")
        ));
    }
    Ok(chosen)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_one_design_per_name_at_the_default_arrays() {
        let d = select(SSM, None, &[]).unwrap();
        let names: Vec<String> = d.iter().map(|d| d.file_stem()).collect();
        assert_eq!(
            names,
            [
                "scan-core-4x4",
                "scan-system-4x4",
                "gemm-core-8x8",
                "gemm-system-8x8"
            ]
        );
        let d = select(SSM, Some((2, 2)), &[]).unwrap();
        assert_eq!(d.len(), 2, "only the scan mode has 2x2");
        assert!(select(SSM, Some((5, 5)), &[])
            .unwrap_err()
            .contains("gemm-core 8x8"));
        let d = select(SSM, Some((2, 3)), &["gemm-core".to_string()]).unwrap();
        assert_eq!(d.len(), 1);
    }

    #[test]
    fn snn_builds_are_named_by_build_and_made_for_their_target() {
        let d = select(SNN, None, &[]).unwrap();
        let stems: Vec<String> = d.iter().map(|d| d.file_stem()).collect();
        assert_eq!(stems, ["snn-core-up5k", "snn-core-ecp5"]);
        assert!(d[0].for_target("ice40-up5k") && !d[0].for_target("ecp5-85k"));
        assert!(d[1].for_target("ecp5-85k") && !d[1].for_target("ice40-up5k"));
        assert!(SSM.iter().all(|d| d.for_target("ice40-up5k")));
        let lines = d[0].config_lines("g");
        assert_eq!(
            lines[1],
            "build:     up5k (for ice40-up5k), a default build"
        );
        assert!(select(SNN, Some((4, 4)), &[]).is_err());
    }

    #[test]
    fn header_records_the_configuration() {
        let d = select(SSM, Some((2, 3)), &["gemm-core".to_string()]).unwrap()[0];
        let v = d.verilog("spikescan 0.0.0");
        let head: Vec<&str> = v.lines().take(6).collect();
        assert_eq!(head[0], "// design:    gemm-core (ssm)");
        assert_eq!(head[1], "// array:     2x3 (R rows x C columns)");
        assert!(head[2].contains("int8"));
        assert!(head[3].contains("spikescan 0.0.0") && head[3].contains("rust-hdl 0.46.0"));
        assert!(v.contains("module top("));
        assert!(v.contains("module top$mesh$pes$5(") && !v.contains("module top$mesh$pes$6("));
    }
}
