//! The committed golden vectors (`golden/vectors/`): each set is regenerated
//! from its seed and compared with what is committed — inputs and fixed-point
//! outputs bit-exactly, f64 outputs within 1e−12. With `SPIKESCAN_BLESS=1`
//! (`make vectors`) the sets are rewritten instead.
//!
//! The comparison is also shown to catch a planted one-LSB error in a fixed
//! output and a planted 1e−3 error in a float output.

use golden::formats::{events_csv, matrix_csv, NumberStyle};
use golden::snn::{self, workload::generate};
use golden::ssm::workload::scan_workload;
use golden::ssm::{fixed, float, ScanInputs};
use golden::Matrix;
use std::path::PathBuf;

/// Absolute tolerance for f64 outputs.
const FLOAT_TOLERANCE: f64 = 1e-12;

/// How a file of a vector set is compared.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Check {
    /// Text identical: inputs and fixed-point outputs.
    Exact,
    /// Numbers within `FLOAT_TOLERANCE`: f64 outputs.
    Float,
}

/// One file of a vector set: name, contents, how it is compared.
type VectorFile = (String, String, Check);

fn ssm_set(x: ScanInputs) -> Vec<VectorFile> {
    let mut files: Vec<VectorFile> = x
        .files()
        .into_iter()
        .map(|(n, c)| (n, c, Check::Exact))
        .collect();
    let csv = |m: &Matrix| matrix_csv(m, NumberStyle::Float);
    files.push((
        "y_float.csv".into(),
        csv(&float::selective_scan(&x)),
        Check::Float,
    ));
    files.push((
        "y_fixed.csv".into(),
        csv(&fixed::selective_scan(&x)),
        Check::Exact,
    ));
    files
}

fn snn_set(net: snn::Network) -> Vec<VectorFile> {
    let mut files: Vec<VectorFile> = net
        .files()
        .into_iter()
        .map(|(n, c)| (n, c, Check::Exact))
        .collect();
    let float_run = snn::float::run(&net, false);
    let fixed_run = snn::fixed::run(&net, false);
    files.push((
        "spikes_float.csv".into(),
        events_csv(&float_run.spikes),
        Check::Exact,
    ));
    files.push((
        "spikes_fixed.csv".into(),
        events_csv(&fixed_run.spikes),
        Check::Exact,
    ));
    let state = Matrix::from_fn(net.n, 2, |j, k| {
        let s = fixed_run.final_state[j];
        if k == 0 {
            s.u as f64
        } else {
            s.v as f64
        }
    });
    files.push((
        "state_fixed.csv".into(),
        matrix_csv(&state, NumberStyle::Integer),
        Check::Exact,
    ));
    files
}

/// Scan inputs at the edges of the fixed-point formats: saturating u, B, C
/// and z, Δ at both ends (softplus underflow and saturation), zero rows.
fn ssm_edge() -> ScanInputs {
    let mut x = scan_workload(11, 8, 4, 4);
    for t in 0..8 {
        x.u.set(t, 0, if t % 2 == 0 { 40.0 } else { -40.0 });
        x.b.set(t, 1, 33.0);
        x.c.set(t, 2, -33.0);
        x.delta.set(t, 1, 30.0); // Δ saturates at 4
        x.delta.set(t, 2, -30.0); // Δ underflows to 0
        x.u.set(t, 3, 0.0);
    }
    x.z.as_mut().unwrap().set(0, 0, -40.0);
    x.z.as_mut().unwrap().set(1, 0, 40.0);
    x
}

/// A scan with no gate, no bias and softplus off (Δ used as given).
fn ssm_plain() -> ScanInputs {
    let mut x = scan_workload(5, 12, 5, 3);
    x.z = None;
    x.delta_bias = None;
    x.config.delta_softplus = false;
    x.delta = x.delta.map(|d| d.abs() * 0.1);
    x
}

fn sets() -> Vec<(&'static str, Vec<VectorFile>)> {
    vec![
        ("ssm-small", ssm_set(scan_workload(7, 16, 8, 4))),
        ("ssm-plain", ssm_set(ssm_plain())),
        ("ssm-edge", ssm_set(ssm_edge())),
        ("snn-small", snn_set(generate(7, 16, 8, 20, 0.2, false))),
        (
            "snn-recurrent",
            snn_set(generate(8, 12, 10, 30, 0.15, true)),
        ),
    ]
}

fn vectors_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("vectors")
}

/// Compares a regenerated file with the committed one.
fn compare(name: &str, check: Check, committed: &str, regenerated: &str) -> Result<(), String> {
    match check {
        Check::Exact if committed == regenerated => Ok(()),
        Check::Exact => {
            let line = committed
                .lines()
                .zip(regenerated.lines())
                .position(|(a, b)| a != b)
                .map_or(
                    committed.lines().count().min(regenerated.lines().count()),
                    |i| i,
                );
            Err(format!("{name}: differs from line {}", line + 1))
        }
        Check::Float => {
            let numbers = |t: &str| -> Vec<f64> {
                t.lines()
                    .flat_map(|l| {
                        l.split(',')
                            .map(|v| v.parse::<f64>().unwrap())
                            .collect::<Vec<_>>()
                    })
                    .collect()
            };
            let (a, b) = (numbers(committed), numbers(regenerated));
            if a.len() != b.len() {
                return Err(format!(
                    "{name}: {} values committed, {} regenerated",
                    a.len(),
                    b.len()
                ));
            }
            match a
                .iter()
                .zip(&b)
                .position(|(x, y)| (x - y).abs() > FLOAT_TOLERANCE)
            {
                None => Ok(()),
                Some(i) => Err(format!("{name}: value {i} differs: {} vs {}", a[i], b[i])),
            }
        }
    }
}

#[test]
fn committed_vectors_match_regenerated_ones() {
    let bless = std::env::var_os("SPIKESCAN_BLESS").is_some();
    let mut failures = Vec::new();
    for (set, files) in sets() {
        let dir = vectors_dir().join(set);
        if bless {
            std::fs::create_dir_all(&dir).unwrap();
        }
        for (name, contents, check) in files {
            let path = dir.join(&name);
            if bless {
                std::fs::write(&path, &contents).unwrap();
                continue;
            }
            let committed = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("{}: {e} (run `make vectors`)", path.display()));
            if let Err(e) = compare(&name, check, &committed, &contents) {
                failures.push(format!("{set}/{e}"));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "golden vectors differ:\n{}",
        failures.join("\n")
    );
}

#[test]
fn comparison_catches_one_lsb_in_fixed_and_1e3_in_float() {
    let (_, files) = sets().swap_remove(0);
    let find = |n: &str| files.iter().find(|f| f.0 == n).unwrap().1.clone();
    // One LSB of y's Q16.16 format in the first value of y_fixed.
    let fixed_text = find("y_fixed.csv");
    let first: f64 = fixed_text
        .split([',', '\n'])
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let planted = fixed_text.replacen(
        &matrix_csv(&Matrix::column(vec![first]), NumberStyle::Float)
            .trim_end()
            .to_string(),
        matrix_csv(
            &Matrix::column(vec![first + 1.0 / 65536.0]),
            NumberStyle::Float,
        )
        .trim_end(),
        1,
    );
    assert_ne!(planted, fixed_text);
    assert!(compare("y_fixed.csv", Check::Exact, &fixed_text, &fixed_text).is_ok());
    assert!(compare("y_fixed.csv", Check::Exact, &fixed_text, &planted).is_err());
    // 1e−3 in the last value of y_float.
    let float_text = find("y_float.csv");
    let last_line = float_text.lines().last().unwrap();
    let last: f64 = last_line.rsplit(',').next().unwrap().parse().unwrap();
    let bumped = last_line.rsplit_once(',').unwrap().0.to_string()
        + ","
        + matrix_csv(&Matrix::column(vec![last + 1e-3]), NumberStyle::Float).trim_end();
    let planted = float_text.replace(last_line, &bumped);
    assert!(compare("y_float.csv", Check::Float, &float_text, &float_text).is_ok());
    assert!(compare("y_float.csv", Check::Float, &float_text, &planted).is_err());
    // One spike moved in the fixed spike train.
    let (_, snn_files) = sets().swap_remove(3);
    let spikes = snn_files
        .iter()
        .find(|f| f.0 == "spikes_fixed.csv")
        .unwrap()
        .1
        .clone();
    let mut lines: Vec<&str> = spikes.lines().collect();
    let moved = format!("{},{}", lines[1].split(',').next().unwrap(), 9999);
    lines[1] = &moved;
    let planted = lines.join("\n") + "\n";
    assert!(compare("spikes_fixed.csv", Check::Exact, &spikes, &planted).is_err());
}
