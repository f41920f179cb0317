//! Flow tests of the scan commands: gen → golden → verify, and bad input.

mod common;
use common::{bad_input, files_in, ok, s};
use golden::formats::read_matrix;
use std::fs;
use std::path::Path;

fn gen_small(dir: &Path) {
    ok(&[
        "gen",
        "ssm",
        "--out",
        s(dir),
        "--len",
        "12",
        "--channels",
        "6",
        "--state",
        "4",
        "--seed",
        "3",
    ]);
}

#[test]
fn gen_golden_verify_round_trip() {
    let tmp = tempfile::tempdir().unwrap();
    let inputs = tmp.path().join("in");
    gen_small(&inputs);
    let mut names = files_in(&inputs);
    names.sort();
    assert_eq!(
        names,
        [
            "A.csv",
            "B.csv",
            "C.csv",
            "D.csv",
            "delta.csv",
            "delta_bias.csv",
            "scan.toml",
            "u.csv",
            "z.csv"
        ]
    );
    for engine in ["float", "fixed"] {
        let out = tmp.path().join(engine);
        ok(&[
            "golden",
            "ssm",
            "--inputs",
            s(&inputs),
            "--out",
            s(&out),
            "--engine",
            engine,
        ]);
        let y = read_matrix(&out.join("y.csv")).unwrap();
        assert_eq!(y.shape(), (12, 6));
    }
    let report = tmp.path().join("report.json");
    let table = ok(&[
        "verify",
        "ssm",
        "--inputs",
        s(&inputs),
        "--report",
        s(&report),
    ]);
    assert!(table.contains("scan") && table.contains("pass"), "{table}");
    let json: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&report).unwrap()).unwrap();
    assert_eq!(json[0]["engine"], "fixed");
    assert!(json[0]["metrics"]["snr_db"].as_f64().unwrap() > 40.0);
    // The RTL: within the float bounds, and bit-exact to the fixed reference.
    assert!(table.contains("mismatches 0 of 72"), "{table}");
    let rtl_exact = json
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["engine"] == "rtl" && c["reference"] == "fixed")
        .expect("rtl vs fixed row");
    assert_eq!(rtl_exact["bound"], "bit-exact");
    assert_eq!(rtl_exact["metrics"]["mismatches"], 0);
    assert_eq!(rtl_exact["pass"], true);
}

/// Writes a valid small input set, applies `corrupt` to it, and checks that
/// `golden ssm` exits 2 naming `expected`, writing nothing.
fn rejects(corrupt: impl FnOnce(&Path), expected: &[&str]) {
    let tmp = tempfile::tempdir().unwrap();
    let inputs = tmp.path().join("in");
    gen_small(&inputs);
    corrupt(&inputs);
    let out = tmp.path().join("out");
    bad_input(
        &["golden", "ssm", "--inputs", s(&inputs), "--out", s(&out)],
        expected,
    );
    assert!(
        files_in(&out).is_empty(),
        "output written despite the error"
    );
}

fn edit(path: &Path, f: impl FnOnce(String) -> String) {
    let text = fs::read_to_string(path).unwrap();
    fs::write(path, f(text)).unwrap();
}

/// Replaces the first value of line `line` (1-based) of a CSV file.
fn set_first_value(path: &Path, line: usize, value: &str) {
    edit(path, |t| {
        let mut lines: Vec<String> = t.lines().map(String::from).collect();
        let rest = lines[line - 1]
            .split_once(',')
            .map_or(String::new(), |(_, r)| format!(",{r}"));
        lines[line - 1] = format!("{value}{rest}");
        lines.join("\n") + "\n"
    });
}

#[test]
fn ragged_row_is_rejected_with_file_and_line() {
    rejects(
        |d| {
            edit(&d.join("u.csv"), |t| {
                t.replacen('\n', ",1.0\n", 3).replacen(",1.0\n", "\n", 2)
            })
        },
        &["u.csv:3:", "expected 6 values"],
    );
}

#[test]
fn non_numbers_nan_and_inf_are_rejected() {
    rejects(
        |d| set_first_value(&d.join("B.csv"), 5, "abc"),
        &["B.csv:5:", "expected a number, found 'abc'"],
    );
    rejects(
        |d| set_first_value(&d.join("C.csv"), 2, "nan"),
        &["C.csv:2:", "finite"],
    );
    rejects(
        |d| set_first_value(&d.join("u.csv"), 1, "-inf"),
        &["u.csv:1:", "finite"],
    );
}

#[test]
fn shape_mismatch_between_files_is_rejected() {
    rejects(
        |d| {
            edit(&d.join("delta.csv"), |t| {
                t.lines().skip(1).map(|l| format!("{l}\n")).collect()
            })
        },
        &["delta.csv:", "expected 12×6 values", "found 11×6"],
    );
    rejects(
        |d| fs::write(d.join("D.csv"), "1\n1\n1\n").unwrap(),
        &["D.csv:", "expected 6 values, one per channel"],
    );
}

#[test]
fn missing_file_and_positive_a_are_rejected() {
    rejects(
        |d| fs::remove_file(d.join("C.csv")).unwrap(),
        &["C.csv:", "cannot open"],
    );
    rejects(
        |d| set_first_value(&d.join("A.csv"), 4, "0.5"),
        &["A.csv:4:", "expected A ≤ 0"],
    );
}

#[test]
fn bad_scan_toml_is_rejected_on_its_line() {
    rejects(
        |d| fs::write(d.join("scan.toml"), "# switches\ndelta_softplus = 3\n").unwrap(),
        &["scan.toml:2:", "invalid TOML"],
    );
    rejects(
        |d| fs::write(d.join("scan.toml"), "delta_softplus = true\nspeed = 1\n").unwrap(),
        &["scan.toml:2:", "unknown field"],
    );
}

#[test]
fn bad_sizes_are_usage_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("o");
    bad_input(
        &["gen", "ssm", "--out", s(&out), "--len", "0"],
        &["--len", "from 1"],
    );
    bad_input(
        &["gen", "ssm", "--out", s(&out), "--channels", "-4"],
        &["--channels"],
    );
    assert!(files_in(&out).is_empty());
}
