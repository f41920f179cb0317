//! Helpers shared by the CLI flow tests: run the built `spikescan` binary.
// Each test binary compiles this module and uses only some of its helpers.
#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output};

/// Runs `spikescan args…` and returns its output.
pub fn spikescan(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_spikescan"))
        .args(args)
        .output()
        .expect("spikescan runs")
}

/// Runs `spikescan args…`, asserting success; returns stdout.
pub fn ok(args: &[&str]) -> String {
    let out = spikescan(args);
    assert!(
        out.status.success(),
        "spikescan {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Runs `spikescan args…`, asserting exit code 2 and an error message that
/// contains every one of `expected`; returns stderr.
pub fn bad_input(args: &[&str], expected: &[&str]) -> String {
    let out = spikescan(args);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(2), "spikescan {args:?}: {stderr}");
    for e in expected {
        assert!(stderr.contains(e), "expected {e:?} in: {stderr}");
    }
    stderr
}

/// Path as &str (test paths are UTF-8).
pub fn s(p: &Path) -> &str {
    p.to_str().expect("UTF-8 path")
}

/// Files in `dir` (empty if it does not exist).
pub fn files_in(dir: &Path) -> Vec<String> {
    match std::fs::read_dir(dir) {
        Ok(entries) => entries
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect(),
        Err(_) => Vec::new(),
    }
}

/// The report.json that a command wrote into `dir`.
pub fn report(dir: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(dir.join("report.json")).unwrap()).unwrap()
}
