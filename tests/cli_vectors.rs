//! The CLI reproduces the committed golden vectors: fixed-point outputs
//! bit-exactly, float outputs within 1e−12, from the committed input files.

mod common;
use common::{ok, s};
use golden::formats::read_matrix;
use std::fs;
use std::path::{Path, PathBuf};

fn vectors() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("golden/vectors")
}

#[test]
fn golden_ssm_reproduces_committed_scan_vectors() {
    for set in ["ssm-small", "ssm-plain", "ssm-edge"] {
        let inputs = vectors().join(set);
        let tmp = tempfile::tempdir().unwrap();
        for engine in ["fixed", "float"] {
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
            let committed = inputs.join(format!("y_{engine}.csv"));
            if engine == "fixed" {
                assert_eq!(
                    fs::read_to_string(out.join("y.csv")).unwrap(),
                    fs::read_to_string(&committed).unwrap(),
                    "{set}: fixed y differs"
                );
            } else {
                let (a, b) = (
                    read_matrix(&out.join("y.csv")).unwrap(),
                    read_matrix(&committed).unwrap(),
                );
                let worst = a
                    .as_slice()
                    .iter()
                    .zip(b.as_slice())
                    .map(|(x, y)| (x - y).abs())
                    .fold(0.0, f64::max);
                assert!(worst <= 1e-12, "{set}: float y differs by {worst}");
            }
        }
    }
}

#[test]
fn golden_snn_reproduces_committed_spike_vectors() {
    for set in ["snn-small", "snn-recurrent"] {
        let net = vectors().join(set);
        let tmp = tempfile::tempdir().unwrap();
        for engine in ["fixed", "float"] {
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
            ]);
            assert_eq!(
                fs::read_to_string(out.join("spikes.csv")).unwrap(),
                fs::read_to_string(net.join(format!("spikes_{engine}.csv"))).unwrap(),
                "{set}: {engine} spikes differ"
            );
        }
    }
}
