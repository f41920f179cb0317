//! Flow tests of `spikescan sim snn` and the RTL row of `verify snn`.

mod common;
use common::{bad_input, files_in, ok, s};
use golden::formats::read_matrix;
use std::fs;
use std::path::Path;

fn gen_small(dir: &Path) {
    ok(&[
        "gen",
        "snn",
        "--out",
        s(dir),
        "--inputs",
        "20",
        "--neurons",
        "40",
        "--len",
        "25",
        "--activity",
        "0.2",
        "--seed",
        "6",
        "--recurrent",
    ]);
}

#[test]
fn sim_snn_matches_golden_fixed_and_reports_counters() {
    let tmp = tempfile::tempdir().unwrap();
    let net = tmp.path().join("net");
    gen_small(&net);
    let golden_out = tmp.path().join("golden");
    ok(&["golden", "snn", "--net", s(&net), "--out", s(&golden_out)]);
    let reference = fs::read_to_string(golden_out.join("spikes.csv")).unwrap();
    for ratio in ["0.25", "1", "4"] {
        let out = tmp.path().join(format!("sim-{ratio}"));
        let vcd = tmp.path().join(format!("core-{ratio}.vcd"));
        ok(&[
            "sim",
            "snn",
            "--net",
            s(&net),
            "--out",
            s(&out),
            "--clock-ratio",
            ratio,
            "--backpressure",
            "0.3",
            "--req-delay",
            "3",
            "--vcd",
            s(&vcd),
        ]);
        assert_eq!(
            fs::read_to_string(out.join("spikes.csv")).unwrap(),
            reference
        );
        assert_eq!(
            read_matrix(&out.join("state.csv")).unwrap().shape(),
            (40, 2)
        );
        let report: serde_json::Value =
            serde_json::from_str(&fs::read_to_string(out.join("report.json")).unwrap()).unwrap();
        assert_eq!(report["counters"]["steps"], 25);
        assert_eq!(report["n_hw"], 64);
        assert!(report["sop_per_accumulate_cycle"].as_f64().unwrap() >= 1.0);
        assert!(fs::read_to_string(&vcd)
            .unwrap()
            .contains("$enddefinitions"));
        let mut names = files_in(&out);
        names.sort();
        assert_eq!(names, ["report.json", "spikes.csv", "state.csv"]);
    }
    let table = ok(&["verify", "snn", "--net", s(&net)]);
    assert!(table.contains("rtl"), "{table}");
    assert!(table.contains("0 spike and 0 state differences"), "{table}");
}

#[test]
fn bad_clock_ratio_and_bad_input_write_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let net = tmp.path().join("net");
    gen_small(&net);
    let out = tmp.path().join("out");
    let vcd = tmp.path().join("w.vcd");
    for ratio in ["0.2", "4.01", "-1"] {
        bad_input(
            &[
                "sim",
                "snn",
                "--net",
                s(&net),
                "--out",
                s(&out),
                "--clock-ratio",
                ratio,
                "--vcd",
                s(&vcd),
            ],
            &["--clock-ratio", "0.25", "4"],
        );
    }
    // a weight outside int8, as `golden snn` rejects it
    let weights = net.join("weights.csv");
    let text = fs::read_to_string(&weights).unwrap();
    let (first, rest) = text.split_once(',').unwrap();
    let _ = first;
    fs::write(&weights, format!("300,{rest}")).unwrap();
    bad_input(
        &[
            "sim",
            "snn",
            "--net",
            s(&net),
            "--out",
            s(&out),
            "--vcd",
            s(&vcd),
        ],
        &["weights.csv"],
    );
    assert!(
        files_in(&out).is_empty(),
        "output written despite the error"
    );
    assert!(!vcd.exists());
    assert!(files_in(tmp.path()).iter().all(|f| !f.contains("vcd")));
}

#[test]
fn layers_beyond_the_core_are_usage_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let net = tmp.path().join("net");
    ok(&[
        "gen",
        "snn",
        "--out",
        s(&net),
        "--inputs",
        "1100",
        "--neurons",
        "8",
        "--len",
        "2",
    ]);
    let out = tmp.path().join("out");
    bad_input(
        &["sim", "snn", "--net", s(&net), "--out", s(&out)],
        &["1024 inputs"],
    );
    assert!(files_in(&out).is_empty());
}
