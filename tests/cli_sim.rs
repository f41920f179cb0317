//! Flow tests of `spikescan sim ssm|gemm`: outputs, reports, and bad input
//! (exit 2, nothing written).

mod common;
use common::{bad_input, files_in, ok, report, s};
use golden::formats::read_matrix;
use std::fs;
use std::path::{Path, PathBuf};

fn vectors(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("golden/vectors")
        .join(name)
}

#[test]
fn sim_ssm_reproduces_the_fixed_golden_vectors_bit_for_bit() {
    let tmp = tempfile::tempdir().unwrap();
    for (name, array) in [
        ("ssm-small", "4x4"),
        ("ssm-plain", "3x2"),
        ("ssm-edge", "2x3"),
    ] {
        let out = tmp.path().join(name);
        let inputs = vectors(name);
        let text = ok(&[
            "sim",
            "ssm",
            "--inputs",
            s(&inputs),
            "--out",
            s(&out),
            "--array",
            array,
        ]);
        assert!(text.contains("PE utilization"), "{text}");
        // y.csv holds the same Q16.16 words as the committed fixed output.
        let got = read_matrix(&out.join("y.csv")).unwrap();
        let want = read_matrix(&inputs.join("y_fixed.csv")).unwrap();
        assert_eq!(got, want, "{name} on {array}");
        let r = report(&out);
        assert_eq!(r["array"], array);
        assert_eq!(r["cycles"], r["expected_cycles"]);
        assert_eq!(r["stall_cycles"], 0);
        let (l, d, n) = (
            got.rows() as u64,
            got.cols() as u64,
            r["n"].as_u64().unwrap(),
        );
        assert_eq!(r["busy_pe_cycles"].as_u64().unwrap(), l * d * n);
        let cycles = r["cycles"].as_f64().unwrap();
        let tokens = r["tokens_per_s"].as_f64().unwrap();
        assert!((tokens - l as f64 * 100e6 / cycles).abs() < 1e-6 * tokens);
    }
}

#[test]
fn sim_ssm_in_chunks_gives_the_same_y() {
    let tmp = tempfile::tempdir().unwrap();
    let inputs = vectors("ssm-small");
    let out = tmp.path().join("chunked");
    ok(&[
        "sim",
        "ssm",
        "--inputs",
        s(&inputs),
        "--out",
        s(&out),
        "--chunk",
        "5",
    ]);
    let got = read_matrix(&out.join("y.csv")).unwrap();
    let want = read_matrix(&inputs.join("y_fixed.csv")).unwrap();
    assert_eq!(got, want);
    let r = report(&out);
    assert_eq!(r["chunk"], 5);
    assert_eq!(r["cycles"], r["expected_cycles"]);
    let bad = tmp.path().join("bad");
    bad_input(
        &[
            "sim",
            "ssm",
            "--inputs",
            s(&inputs),
            "--out",
            s(&bad),
            "--chunk",
            "0",
        ],
        &["--chunk"],
    );
    assert!(!bad.exists());
}

#[test]
fn sim_ssm_streams_a_vcd_on_request() {
    let tmp = tempfile::tempdir().unwrap();
    let (out, vcd) = (tmp.path().join("o"), tmp.path().join("trace.vcd"));
    ok(&[
        "sim",
        "ssm",
        "--inputs",
        s(&vectors("ssm-plain")),
        "--out",
        s(&out),
        "--vcd",
        s(&vcd),
    ]);
    let text = fs::read_to_string(&vcd).unwrap();
    assert!(text.contains("$enddefinitions") && text.contains("y_wr_data"));
}

#[test]
fn sim_ssm_bad_input_exits_2_and_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("o");
    let vcd = tmp.path().join("t.vcd");
    let inputs = vectors("ssm-small");
    bad_input(
        &[
            "sim",
            "ssm",
            "--inputs",
            s(&inputs),
            "--out",
            s(&out),
            "--array",
            "5x5",
            "--vcd",
            s(&vcd),
        ],
        &["--array 5x5", "supported: 4x4"],
    );
    bad_input(
        &[
            "sim",
            "ssm",
            "--inputs",
            s(&inputs),
            "--out",
            s(&out),
            "--array",
            "four",
        ],
        &["expected RxC"],
    );
    let broken = tmp.path().join("in");
    fs::create_dir_all(&broken).unwrap();
    for f in files_in(&inputs) {
        fs::copy(inputs.join(&f), broken.join(&f)).unwrap();
    }
    fs::write(broken.join("B.csv"), "1,2\n").unwrap();
    bad_input(
        &["sim", "ssm", "--inputs", s(&broken), "--out", s(&out)],
        &["B.csv", "expected 16×4 values"],
    );
    assert!(files_in(&out).is_empty());
    assert!(!vcd.exists());
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    fs::write(&p, text).unwrap();
    p
}

#[test]
fn sim_gemm_multiplies_int8_matrices_of_any_shape() {
    let tmp = tempfile::tempdir().unwrap();
    // 3×10 · 10×9 on the default 8×8 array (edge tiles in K and N).
    let a: Vec<Vec<i32>> = (0..3)
        .map(|i| (0..10).map(|k| ((i * 37 + k * 11) % 256) - 128).collect())
        .collect();
    let b: Vec<Vec<i32>> = (0..10)
        .map(|k| (0..9).map(|j| ((k * 53 + j * 7) % 256) - 128).collect())
        .collect();
    let csv = |m: &[Vec<i32>]| {
        m.iter()
            .map(|r| r.iter().map(i32::to_string).collect::<Vec<_>>().join(",") + "\n")
            .collect::<String>()
    };
    let pa = write(tmp.path(), "A.csv", &format!("# A, int8\n{}", csv(&a)));
    let pb = write(tmp.path(), "B.csv", &csv(&b));
    let out = tmp.path().join("o");
    ok(&[
        "sim",
        "gemm",
        "--a",
        s(&pa),
        "--b",
        s(&pb),
        "--out",
        s(&out),
    ]);
    let c = fs::read_to_string(out.join("c.csv")).unwrap();
    let want: String = (0..3)
        .map(|i| {
            (0..9)
                .map(|j| (0..10).map(|k| a[i][k] * b[k][j]).sum::<i32>().to_string())
                .collect::<Vec<_>>()
                .join(",")
                + "\n"
        })
        .collect();
    assert_eq!(c, want);
    let r = report(&out);
    assert_eq!(r["array"], "8x8");
    assert_eq!(r["cycles"], r["expected_cycles"]);
    assert_eq!(r["busy_pe_cycles"], 3 * 10 * 9);
}

#[test]
fn sim_gemm_bad_input_exits_2_and_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let a = write(d, "A.csv", "1,2,3\n4,5,6\n");
    let b = write(d, "B.csv", "1,2\n3,4\n5,6\n");
    let out = d.join("o");
    let run = |a: &Path, b: &Path, extra: &[&str], expected: &[&str]| {
        let mut args = vec!["sim", "gemm", "--a", s(a), "--b", s(b), "--out", s(&out)];
        args.extend_from_slice(extra);
        bad_input(&args, expected);
    };
    // Shape mismatch: K of A is 3, B has 2 rows.
    let b2 = write(d, "B2.csv", "1,2\n3,4\n");
    run(
        &a,
        &b2,
        &[],
        &["B2.csv", "expected K = 3 rows", "found 2×2"],
    );
    // Not int8: a fraction, out of range; named by file, line, column.
    let frac = write(d, "frac.csv", "1,2\n3,4.5\n5,6\n");
    run(&a, &frac, &[], &["frac.csv:2:", "column 2", "int8", "4.5"]);
    let big = write(d, "big.csv", "# comment\n1,2,300\n4,5,6\n");
    run(&big, &b, &[], &["big.csv:2:", "column 3", "300"]);
    let neg = write(d, "neg.csv", "1,-129\n3,4\n5,6\n");
    run(&a, &neg, &[], &["neg.csv:1:", "column 2", "-129"]);
    // An array that is not compiled in.
    run(
        &a,
        &b,
        &["--array", "7x7"],
        &["--array 7x7", "supported: 8x8"],
    );
    assert!(files_in(&out).is_empty());
}
