//! A spiking layer and its input, as the user gives it: a directory of
//!
//! | file             | content                                                     |
//! |------------------|-------------------------------------------------------------|
//! | `weights.csv`    | N_in × N int8 matrix, row i = synapses of input i           |
//! | `recurrent.csv`  | optional N × N int8 matrix, row j = synapses of neuron j    |
//! | `neurons.toml`   | [`NeuronParams`] (decays, threshold, bias, steps)           |
//! | `spikes_in.csv`  | `t,neuron` input events, neuron < N_in, t < steps           |
//!
//! Matrices are numpy `savetxt` CSV; every weight is an integer in
//! [−128, 127] (signed 8-bit).

use super::params::NeuronParams;
use crate::formats::{
    events_csv, matrix_csv, read_events, read_matrix_lines, Event, InputError, NumberStyle,
};
use crate::matrix::Matrix;
use std::path::Path;

pub const WEIGHTS_FILE: &str = "weights.csv";
pub const RECURRENT_FILE: &str = "recurrent.csv";
pub const NEURONS_FILE: &str = "neurons.toml";
pub const SPIKES_IN_FILE: &str = "spikes_in.csv";

/// A layer of `n` LIF neurons fed by `n_in` inputs, and the input events.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Network {
    /// int8 feed-forward weights, `n_in × n` row-major: `weights[i * n + j]`
    /// is the synapse from input i to neuron j.
    pub weights: Vec<i8>,
    pub n_in: usize,
    pub n: usize,
    /// Optional int8 recurrent weights, `n × n` row-major:
    /// `recurrent[j * n + k]` is the synapse from neuron j to neuron k. A
    /// spike at step t arrives at step t + 1.
    pub recurrent: Option<Vec<i8>>,
    pub params: NeuronParams,
    /// Input events (`neuron` indexes the inputs), sorted by step.
    pub input: Vec<Event>,
}

impl Network {
    /// Reads a layer directory (see the module doc). A missing required file,
    /// a non-int8 weight, a recurrent matrix that is not N × N, a bad
    /// parameter or an input event out of range is an [`InputError`] naming
    /// the file and, where one line is at fault, the line.
    pub fn load(dir: &Path) -> Result<Network, InputError> {
        let weights_path = dir.join(WEIGHTS_FILE);
        require(&weights_path, "the N_in × N int8 weight matrix")?;
        let (m, lines) = read_matrix_lines(&weights_path)?;
        let (n_in, n) = m.shape();
        let weights = to_int8(&weights_path, &m, &lines)?;

        let recurrent_path = dir.join(RECURRENT_FILE);
        let recurrent = if recurrent_path.exists() {
            let (m, lines) = read_matrix_lines(&recurrent_path)?;
            if m.shape() != (n, n) {
                return Err(InputError::file(
                    &recurrent_path,
                    format!(
                        "expected an N × N = {n} × {n} matrix ({n} neurons, the columns \
                         of {WEIGHTS_FILE}), found {} × {}",
                        m.rows(),
                        m.cols()
                    ),
                ));
            }
            Some(to_int8(&recurrent_path, &m, &lines)?)
        } else {
            None
        };

        let params_path = dir.join(NEURONS_FILE);
        require(&params_path, "the neuron parameters (TOML)")?;
        let params = NeuronParams::load(&params_path)?;

        let spikes_path = dir.join(SPIKES_IN_FILE);
        require(&spikes_path, "the input spike events (`t,neuron` CSV)")?;
        let events = read_events(&spikes_path)?;
        events.check_neurons(n_in, &format!("the {n_in} inputs, rows of {WEIGHTS_FILE}"))?;
        events.check_steps(params.steps as usize)?;

        Ok(Network {
            weights,
            n_in,
            n,
            recurrent,
            params,
            input: events.events,
        })
    }

    /// The layer directory's files (name, contents) as [`Network::load`]
    /// reads them; `recurrent.csv` only when there is a recurrent matrix.
    pub fn files(&self) -> Vec<(String, String)> {
        self.assert_consistent();
        let matrix = |rows, data: &[i8]| {
            let m = Matrix::from_vec(rows, self.n, data.iter().map(|&w| f64::from(w)).collect());
            matrix_csv(&m, NumberStyle::Integer)
        };
        let mut files = vec![(WEIGHTS_FILE, matrix(self.n_in, &self.weights))];
        if let Some(r) = &self.recurrent {
            files.push((RECURRENT_FILE, matrix(self.n, r)));
        }
        files.push((NEURONS_FILE, self.params.to_toml()));
        files.push((SPIKES_IN_FILE, events_csv(&self.input)));
        files.into_iter().map(|(n, c)| (n.to_string(), c)).collect()
    }

    /// Writes [`Network::files`] into `dir` (creating it). Without a
    /// recurrent matrix, a `recurrent.csv` left in `dir` is removed so the
    /// directory reads back as this network.
    pub fn save(&self, dir: &Path) -> std::io::Result<()> {
        std::fs::create_dir_all(dir)?;
        let recurrent_path = dir.join(RECURRENT_FILE);
        if self.recurrent.is_none() && recurrent_path.exists() {
            std::fs::remove_file(&recurrent_path)?;
        }
        for (name, contents) in self.files() {
            std::fs::write(dir.join(name), contents)?;
        }
        Ok(())
    }

    /// The synapse from input `i` to neuron `j`.
    pub fn weight(&self, i: usize, j: usize) -> i8 {
        self.weights[i * self.n + j]
    }

    /// Panics unless the matrices have their stated shapes, the parameters
    /// their bit widths, and every input event is in range and sorted by
    /// step: the invariants [`Network::load`] establishes, checked again for
    /// networks built in code.
    pub fn assert_consistent(&self) {
        assert_eq!(self.weights.len(), self.n_in * self.n, "weights: n_in × n");
        if let Some(r) = &self.recurrent {
            assert_eq!(r.len(), self.n * self.n, "recurrent: n × n");
        }
        if let Err(e) = self.params.validate() {
            panic!("invalid neuron parameters: {e}");
        }
        for pair in self.input.windows(2) {
            assert!(pair[0].t <= pair[1].t, "input events sorted by t");
        }
        for e in &self.input {
            assert!(
                (e.neuron as usize) < self.n_in && e.t < self.params.steps,
                "input event {e:?} out of range ({} inputs, {} steps)",
                self.n_in,
                self.params.steps
            );
        }
    }
}

fn require(path: &Path, what: &str) -> Result<(), InputError> {
    if path.exists() {
        Ok(())
    } else {
        Err(InputError::file(
            path,
            format!("missing: expected {what} in this file"),
        ))
    }
}

/// The matrix's values as int8, or an error on the first value that is not
/// an integer in [−128, 127], naming its line and column.
fn to_int8(path: &Path, m: &Matrix, lines: &[usize]) -> Result<Vec<i8>, InputError> {
    let mut out = Vec::with_capacity(m.rows() * m.cols());
    for (r, &line) in lines.iter().enumerate() {
        for (c, &v) in m.row(r).iter().enumerate() {
            if v.fract() != 0.0 || !(-128.0..=127.0).contains(&v) {
                return Err(InputError::at(
                    path,
                    line,
                    format!(
                        "column {}: expected an integer in [-128, 127] (signed 8-bit weight), found {v}",
                        c + 1
                    ),
                ));
            }
            out.push(v as i8);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::snn::workload;
    use std::fs;
    use tempfile::TempDir;

    /// A valid 3-input, 2-neuron layer directory.
    fn layer_dir() -> TempDir {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path();
        fs::write(p.join(WEIGHTS_FILE), "# w\n1,-2\n127,-128\n0,5\n").unwrap();
        fs::write(p.join(RECURRENT_FILE), "0,3\n-4,0\n").unwrap();
        fs::write(
            p.join(NEURONS_FILE),
            "du = 410\ndv = 205\nvth = 10\nsteps = 5\n",
        )
        .unwrap();
        fs::write(p.join(SPIKES_IN_FILE), "t,neuron\n0,2\n4,0\n").unwrap();
        dir
    }

    fn load_with(file: &str, text: &str) -> InputError {
        let dir = layer_dir();
        fs::write(dir.path().join(file), text).unwrap();
        Network::load(dir.path()).unwrap_err()
    }

    #[test]
    fn loads_a_layer_directory() {
        let dir = layer_dir();
        let net = Network::load(dir.path()).unwrap();
        assert_eq!((net.n_in, net.n), (3, 2));
        assert_eq!(net.weights, vec![1, -2, 127, -128, 0, 5]);
        assert_eq!(net.weight(1, 1), -128);
        assert_eq!(net.recurrent, Some(vec![0, 3, -4, 0]));
        assert_eq!(net.params.steps, 5);
        assert_eq!(
            net.input,
            vec![Event { t: 0, neuron: 2 }, Event { t: 4, neuron: 0 }]
        );
        fs::remove_file(dir.path().join(RECURRENT_FILE)).unwrap();
        assert_eq!(Network::load(dir.path()).unwrap().recurrent, None);
    }

    #[test]
    fn non_int8_weights_name_file_line_column_and_value() {
        let e = load_with(WEIGHTS_FILE, "# w\n1,-2\n# c\n1,128\n0,5\n");
        assert!(e.file.ends_with(WEIGHTS_FILE), "{e}");
        assert_eq!(e.line, Some(4), "{e}");
        assert!(
            e.message.contains(
                "column 2: expected an integer in [-128, 127] (signed 8-bit weight), found 128"
            ),
            "{e}"
        );
        let e = load_with(WEIGHTS_FILE, "1,-2\n1.5,3\n0,5\n");
        assert_eq!(e.line, Some(2), "{e}");
        assert!(
            e.message.contains("column 1:") && e.message.contains("found 1.5"),
            "{e}"
        );
        let e = load_with(WEIGHTS_FILE, "1,-129\n");
        assert!(e.message.contains("found -129"), "{e}");
        let e = load_with(RECURRENT_FILE, "0,3\n-4,0.25\n");
        assert!(e.file.ends_with(RECURRENT_FILE), "{e}");
        assert_eq!(e.line, Some(2), "{e}");
        assert!(
            e.message.contains("column 2") && e.message.contains("found 0.25"),
            "{e}"
        );
    }

    #[test]
    fn recurrent_shape_mismatch_names_both_shapes() {
        let e = load_with(RECURRENT_FILE, "0,3,1\n-4,0,1\n");
        assert!(e.file.ends_with(RECURRENT_FILE), "{e}");
        assert_eq!(e.line, None);
        assert!(
            e.message.contains("2 × 2") && e.message.contains("found 2 × 3"),
            "{e}"
        );
        let e = load_with(RECURRENT_FILE, "0\n");
        assert!(e.message.contains("found 1 × 1"), "{e}");
    }

    #[test]
    fn input_events_out_of_range_name_their_line() {
        let e = load_with(SPIKES_IN_FILE, "t,neuron\n0,1\n1,3\n");
        assert!(e.file.ends_with(SPIKES_IN_FILE), "{e}");
        assert_eq!(e.line, Some(3), "{e}");
        assert!(e.message.contains("below 3"), "{e}");
        let e = load_with(SPIKES_IN_FILE, "t,neuron\n0,1\n5,0\n");
        assert_eq!(e.line, Some(3), "{e}");
        assert!(e.message.contains("time step below 5"), "{e}");
    }

    #[test]
    fn bad_parameters_are_reported_on_their_line() {
        let e = load_with(NEURONS_FILE, "dv = 205\ndu = 4096\nvth = 10\nsteps = 5\n");
        assert!(e.file.ends_with(NEURONS_FILE), "{e}");
        assert_eq!(e.line, Some(2), "{e}");
        assert!(
            e.message
                .starts_with("du: expected an integer in [0, 4095]"),
            "{e}"
        );
    }

    #[test]
    fn missing_required_files_are_named() {
        for file in [WEIGHTS_FILE, NEURONS_FILE, SPIKES_IN_FILE] {
            let dir = layer_dir();
            fs::remove_file(dir.path().join(file)).unwrap();
            let e = Network::load(dir.path()).unwrap_err();
            assert!(e.file.ends_with(file), "{e}");
            assert!(e.message.starts_with("missing"), "{e}");
            assert!(e.to_string().contains(file), "{e}");
        }
    }

    #[test]
    fn save_then_load_round_trips() {
        let dir = tempfile::tempdir().unwrap();
        for recurrent in [true, false] {
            let net = workload::generate(11, 20, 12, 30, 0.1, recurrent);
            net.save(dir.path()).unwrap();
            assert_eq!(Network::load(dir.path()).unwrap(), net);
        }
        let text = fs::read_to_string(dir.path().join(WEIGHTS_FILE)).unwrap();
        assert!(
            !text.contains('.') && !text.contains('e'),
            "integers: {text}"
        );
    }
}
