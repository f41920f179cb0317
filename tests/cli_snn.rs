//! Flow tests of the spiking-layer commands: gen → golden → verify, and bad input.

mod common;
use common::{bad_input, files_in, ok, s};
use golden::formats::{read_events, read_matrix};
use std::fs;
use std::path::Path;

fn gen_small(dir: &Path, recurrent: bool) {
    let mut args = vec![
        "gen",
        "snn",
        "--out",
        s(dir),
        "--inputs",
        "20",
        "--neurons",
        "12",
    ];
    args.extend(["--len", "30", "--activity", "0.2", "--seed", "4"]);
    if recurrent {
        args.push("--recurrent");
    }
    ok(&args);
}

#[test]
fn gen_golden_verify_round_trip_with_trace() {
    let tmp = tempfile::tempdir().unwrap();
    let net = tmp.path().join("net");
    gen_small(&net, true);
    let mut names = files_in(&net);
    names.sort();
    assert_eq!(
        names,
        [
            "neurons.toml",
            "recurrent.csv",
            "spikes_in.csv",
            "weights.csv"
        ]
    );
    for engine in ["float", "fixed"] {
        let out = tmp.path().join(engine);
        ok(&[
            "golden",
            "snn",
            "--net",
            s(&net),
            "--out",
            s(&out),
            "--engine",
            engine,
            "--trace",
        ]);
        let spikes = read_events(&out.join("spikes.csv")).unwrap();
        assert!(spikes.events.iter().all(|e| e.neuron < 12 && e.t < 30));
        assert_eq!(read_matrix(&out.join("v.csv")).unwrap().shape(), (30, 12));
    }
    let table = ok(&["verify", "snn", "--net", s(&net)]);
    assert!(table.contains("lif layer"), "{table}");
    // Regenerating without --recurrent removes the stale recurrent.csv.
    gen_small(&net, false);
    assert!(!net.join("recurrent.csv").exists());
}

fn rejects(corrupt: impl FnOnce(&Path), expected: &[&str]) {
    let tmp = tempfile::tempdir().unwrap();
    let net = tmp.path().join("net");
    gen_small(&net, false);
    corrupt(&net);
    let out = tmp.path().join("out");
    bad_input(
        &["golden", "snn", "--net", s(&net), "--out", s(&out)],
        expected,
    );
    assert!(
        files_in(&out).is_empty(),
        "output written despite the error"
    );
}

fn replace_in(path: &Path, from: &str, to: &str) {
    let text = fs::read_to_string(path).unwrap();
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    let i = lines
        .iter()
        .position(|l| l.starts_with(from))
        .expect("line to replace");
    lines[i] = to.to_string();
    fs::write(path, lines.join("\n") + "\n").unwrap();
}

#[test]
fn out_of_range_parameters_are_rejected_on_their_line() {
    rejects(
        |d| replace_in(&d.join("neurons.toml"), "du =", "du = 4096"),
        &["neurons.toml:", "du"],
    );
    rejects(
        |d| replace_in(&d.join("neurons.toml"), "vth =", "vth = 131072"),
        &["neurons.toml:", "vth"],
    );
    rejects(
        |d| replace_in(&d.join("neurons.toml"), "steps =", "steps = -3"),
        &["neurons.toml:", "steps"],
    );
}

#[test]
fn weights_outside_int8_are_rejected_with_line_and_column() {
    rejects(
        |d| {
            let text = fs::read_to_string(d.join("weights.csv")).unwrap();
            let mut lines: Vec<String> = text.lines().map(String::from).collect();
            lines[2] = format!("128{}", ",0".repeat(11));
            fs::write(d.join("weights.csv"), lines.join("\n") + "\n").unwrap();
        },
        &["weights.csv:3:", "128"],
    );
    rejects(
        |d| fs::write(d.join("weights.csv"), "1.5\n").unwrap(),
        &["weights.csv"],
    );
}

#[test]
fn bad_events_are_rejected_with_their_line() {
    rejects(
        |d| fs::write(d.join("spikes_in.csv"), "t,neuron\n3,1\n2,1\n").unwrap(),
        &["spikes_in.csv:3:", "sorted by t"],
    );
    rejects(
        |d| fs::write(d.join("spikes_in.csv"), "t,neuron\n0,1\n1,20\n").unwrap(),
        &["spikes_in.csv:3:", "below 20"],
    );
    rejects(
        |d| fs::write(d.join("spikes_in.csv"), "t,neuron\n30,0\n").unwrap(),
        &["spikes_in.csv:2:", "below 30"],
    );
}

#[test]
fn missing_files_and_shape_mismatch_are_rejected() {
    rejects(
        |d| fs::remove_file(d.join("neurons.toml")).unwrap(),
        &["neurons.toml"],
    );
    rejects(
        |d| fs::remove_file(d.join("weights.csv")).unwrap(),
        &["weights.csv"],
    );
    rejects(
        |d| fs::write(d.join("recurrent.csv"), "1,2\n3,4\n").unwrap(),
        &["recurrent.csv", "12"],
    );
}

#[test]
fn bad_gen_arguments_are_usage_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("o");
    bad_input(
        &["gen", "snn", "--out", s(&out), "--activity", "1.5"],
        &["--activity"],
    );
    bad_input(
        &["gen", "snn", "--out", s(&out), "--neurons", "0"],
        &["--neurons"],
    );
    assert!(files_in(&out).is_empty());
}
