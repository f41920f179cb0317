//! `--engine` and long-run control from the command line: the Verilator and
//! rust engines write identical results; Ctrl-C (SIGINT) ends a run with
//! exit 130 and a report marked incomplete, never a result file.

mod common;

use common::{ok, report, s};
use rand::Rng;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

fn int8_matrix(dir: &Path, name: &str, rows: usize, cols: usize, seed: u64) -> PathBuf {
    let mut rng = golden::rng::seeded(seed);
    let text: String = (0..rows)
        .map(|_| {
            let row: Vec<String> = (0..cols).map(|_| rng.gen::<i8>().to_string()).collect();
            row.join(",") + "\n"
        })
        .collect();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn both_engines_write_the_same_product_and_counters() {
    let dir = tempfile::tempdir().unwrap();
    let a = int8_matrix(dir.path(), "a.csv", 13, 21, 1);
    let b = int8_matrix(dir.path(), "b.csv", 21, 9, 2);
    let mut outs = Vec::new();
    for engine in ["rust", "verilator"] {
        let out = dir.path().join(engine);
        let stdout = ok(&[
            "sim",
            "gemm",
            "--a",
            s(&a),
            "--b",
            s(&b),
            "--out",
            s(&out),
            "--array",
            "4x4",
            "--engine",
            engine,
        ]);
        assert!(stdout.contains(&format!("({engine} engine)")), "{stdout}");
        let r = report(&out);
        assert_eq!(r["engine"], engine);
        assert_eq!(r["complete"], true);
        outs.push((std::fs::read_to_string(out.join("c.csv")).unwrap(), r));
    }
    assert_eq!(outs[0].0, outs[1].0, "c.csv");
    for key in [
        "cycles",
        "busy_pe_cycles",
        "stall_cycles",
        "expected_cycles",
    ] {
        assert_eq!(outs[0].1[key], outs[1].1[key], "{key}");
    }
}

#[test]
fn ctrl_c_writes_a_report_marked_incomplete_and_no_result() {
    let dir = tempfile::tempdir().unwrap();
    let a = int8_matrix(dir.path(), "a.csv", 256, 256, 3);
    let b = int8_matrix(dir.path(), "b.csv", 256, 256, 4);
    let out = dir.path().join("out");
    // A stale result of an earlier run must not survive as if it were this one's.
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("c.csv"), "1\n").unwrap();
    // The rust engine needs minutes for this product: plenty of time to interrupt.
    let child = Command::new(env!("CARGO_BIN_EXE_spikescan"))
        .args(["sim", "gemm", "--a", s(&a), "--b", s(&b), "--out", s(&out)])
        .args(["--engine", "rust"])
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_secs(3));
    let killed = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let started = Instant::now();
    let output = child.wait_with_output().unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "stopped promptly"
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(130), "{stderr}");
    assert!(stderr.contains("interrupted"), "{stderr}");
    let r = report(&out);
    assert_eq!(r["complete"], false);
    assert_eq!(r["status"], "interrupted");
    assert_eq!(r["unit"], "cycles");
    let done = r["done"].as_u64().unwrap();
    assert!(done > 0 && done < r["total"].as_u64().unwrap(), "{r}");
    assert!(
        !out.join("c.csv").exists(),
        "no result file after an interrupt"
    );
}

#[test]
fn cosim_runs_both_families_in_lockstep() {
    let stdout = ok(&[
        "cosim", "ssm", "--gemm-m", "9", "--gemm-k", "11", "--gemm-n", "7",
    ]);
    assert!(
        stdout.contains("gemm-core-8x8") && stdout.contains("equals gemm_i8"),
        "{stdout}"
    );
    let dir = tempfile::tempdir().unwrap();
    let net = dir.path().join("net");
    ok(&[
        "gen",
        "snn",
        "--out",
        s(&net),
        "--inputs",
        "40",
        "--neurons",
        "32",
        "--len",
        "6",
        "--recurrent",
    ]);
    let stdout = ok(&[
        "cosim",
        "snn",
        "--net",
        s(&net),
        "--clock-ratio",
        "0.5",
        "--backpressure",
        "0.3",
    ]);
    assert!(stdout.contains("rust-hdl == Verilator"), "{stdout}");
}

#[test]
fn engine_options_are_checked() {
    let dir = tempfile::tempdir().unwrap();
    let net = dir.path().join("net");
    ok(&[
        "gen",
        "snn",
        "--out",
        s(&net),
        "--inputs",
        "8",
        "--neurons",
        "8",
        "--len",
        "2",
    ]);
    let out = dir.path().join("out");
    common::bad_input(
        &[
            "sim",
            "snn",
            "--net",
            s(&net),
            "--out",
            s(&out),
            "--engine",
            "verilator",
            "--vcd",
            s(&dir.path().join("w.vcd")),
        ],
        &["--vcd", "--engine rust"],
    );
    common::bad_input(
        &["cosim", "snn", "--net", s(&net), "--clock-ratio", "9"],
        &["--clock-ratio"],
    );
    assert!(common::files_in(&out).is_empty());
}
