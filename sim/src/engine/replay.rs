//! Stimulus recording and replay, for measuring engines on exactly the same
//! input sequence: a testbench run is recorded once ([`Recorder`]: every
//! input change and every evaluation), then replayed without the testbench
//! on rust-hdl's threaded `Simulation`, on the rust engine, and on a bare
//! Verilator C++ loop (the same model, inputs assigned and `eval()` called,
//! nothing else). The ratios of those speeds to the full testbench's are
//! what `make bench` prints.

use super::rust::{HasPorts, RustEngine};
use super::{Engine, EngineError, In, Out, PortList};
use rust_hdl::prelude::{Clock, Simulation};
use std::io::Write as _;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

/// Every input change and evaluation of a run, in order.
#[derive(Clone, Debug, Default)]
pub struct Recording {
    /// The recorded engine's ports (the numbering of `changes`).
    pub ports: PortList,
    /// (input index, value), in the order the testbench set them.
    pub changes: Vec<(u32, u64)>,
    /// For each evaluation, the end of its changes in `changes`.
    pub evals: Vec<u32>,
}

impl Recording {
    /// The changes before each evaluation, in order.
    pub fn steps(&self) -> impl Iterator<Item = &[(u32, u64)]> {
        let mut start = 0usize;
        self.evals.iter().map(move |&end| {
            let s = &self.changes[start..end as usize];
            start = end as usize;
            s
        })
    }

    /// Rising edges of the `clock` input.
    pub fn cycles(&self) -> u64 {
        let Ok(clock) = self.ports.input("clock") else {
            return 0;
        };
        let (mut level, mut rises) = (0, 0);
        for &(i, v) in &self.changes {
            if i as usize == clock.0 {
                if v == 1 && level == 0 {
                    rises += 1;
                }
                level = v;
            }
        }
        rises
    }

    /// The same recording numbered by `to`'s inputs (matched by name).
    fn renumbered(&self, to: &PortList) -> Result<Vec<(u32, u64)>, EngineError> {
        let map: Vec<u32> = self
            .ports
            .inputs
            .iter()
            .map(|p| to.input(&p.name).map(|i| i.0 as u32))
            .collect::<Result<_, _>>()?;
        Ok(self
            .changes
            .iter()
            .map(|&(i, v)| (map[i as usize], v))
            .collect())
    }
}

/// An engine that records its stimulus while passing everything through.
pub struct Recorder<'a> {
    inner: &'a mut dyn Engine,
    last: Vec<Option<u64>>,
    pub recording: Recording,
}

impl<'a> Recorder<'a> {
    pub fn new(inner: &'a mut dyn Engine) -> Self {
        let ports = inner.ports().clone();
        Self {
            last: vec![None; ports.inputs.len()],
            recording: Recording {
                ports,
                ..Default::default()
            },
            inner,
        }
    }
}

impl Engine for Recorder<'_> {
    fn kind(&self) -> &'static str {
        self.inner.kind()
    }
    fn ports(&self) -> &PortList {
        self.inner.ports()
    }
    fn set(&mut self, port: In, value: u64) {
        if self.last[port.0] != Some(value) {
            self.last[port.0] = Some(value);
            self.recording.changes.push((port.0 as u32, value));
        }
        self.inner.set(port, value);
    }
    fn get(&self, port: Out) -> u64 {
        self.inner.get(port)
    }
    fn eval(&mut self) -> Result<(), EngineError> {
        self.recording
            .evals
            .push(self.recording.changes.len() as u32);
        self.inner.eval()
    }
    fn evals(&self) -> u64 {
        self.inner.evals()
    }
}

/// Replay on the rust engine; wall-clock seconds.
pub fn on_rust<B: HasPorts>(rec: &Recording) -> Result<f64, EngineError> {
    let mut e = RustEngine::<B>::new()?;
    let changes = rec.renumbered(e.ports())?;
    let started = Instant::now();
    let mut start = 0usize;
    for &end in &rec.evals {
        for &(i, v) in &changes[start..end as usize] {
            e.set(In(i as usize), v);
        }
        start = end as usize;
        e.eval()?;
    }
    Ok(started.elapsed().as_secs_f64())
}

/// Replay the recording on rust-hdl's `Simulation`, written
/// as rust-hdl testbenches are: the clock is a simulator process
/// (`add_clock`, 10 time units per cycle) and a testbench thread applies each
/// cycle's input changes after the falling edge, then waits for the next
/// rising and falling edges (`wait_clock_true!`/`wait_clock_false!`).
/// Recorded clock changes are replaced by that clock. Returns (cycles
/// replayed, wall-clock seconds).
pub fn on_simulation<B: HasPorts + Send>(rec: &Recording) -> Result<(u64, f64), EngineError> {
    let table = B::port_table();
    let changes = rec.renumbered(table.list())?;
    let clock = table.list().input("clock")?.0 as u32;
    drop(table);
    // Per cycle, the non-clock changes made before its rising edge.
    let mut cycles: Vec<Vec<(u32, u64)>> = vec![Vec::new()];
    let mut start = 0usize;
    for &end in &rec.evals {
        for &(i, v) in &changes[start..end as usize] {
            if i == clock {
                if v == 1 {
                    cycles.push(Vec::new());
                }
            } else if let Some(c) = cycles.last_mut() {
                c.push((i, v));
            }
        }
        start = end as usize;
    }
    // Changes after the last rising edge reach no register.
    cycles.truncate(rec.cycles() as usize);
    let n = cycles.len() as u64;
    let mut sim = Simulation::<B>::new();
    sim.add_clock(5, |x: &mut Box<B>| {
        let high = x.clock_high();
        x.clock().next = Clock { clk: !high };
    });
    sim.add_testbench(move |mut ep| {
        let table = B::port_table();
        let mut x = ep.init()?;
        for step in &cycles {
            for &(i, v) in step {
                table.set(&mut x, i as usize, v);
            }
            x = ep.watch(|x: &B| x.clock_high(), x)?;
            x = ep.watch(|x: &B| !x.clock_high(), x)?;
        }
        ep.done(x)
    });
    let started = Instant::now();
    sim.run(Box::new(B::fresh()), u64::MAX)
        .map_err(|e| EngineError::Rust(format!("Simulation: {e:?}")))?;
    Ok((n, started.elapsed().as_secs_f64()))
}

/// Replay on the bare C++ loop of the Verilator model in `model_dir` (a
/// directory of [`super::verilator::library_for`]); the loop times itself
/// after loading the stimulus. Returns (evaluations, seconds).
pub fn on_bare_verilator(rec: &Recording, model_dir: &Path) -> Result<(u64, f64), EngineError> {
    let exe = super::verilator::replay_binary(model_dir)?;
    let lib_ports = super::verilator::ports_of(model_dir)?;
    let changes = rec.renumbered(&lib_ports)?;
    let file = tempfile_path("stimulus");
    let io = |e: std::io::Error| EngineError::Verilator(format!("{}: {e}", file.display()));
    {
        let mut w = std::io::BufWriter::new(std::fs::File::create(&file).map_err(io)?);
        let mut start = 0usize;
        for &end in &rec.evals {
            let step = &changes[start..end as usize];
            start = end as usize;
            w.write_all(&(step.len() as u32).to_le_bytes())
                .map_err(io)?;
            for &(i, v) in step {
                w.write_all(&i.to_le_bytes()).map_err(io)?;
                w.write_all(&v.to_le_bytes()).map_err(io)?;
            }
        }
        w.flush().map_err(io)?;
    }
    let out = Command::new(&exe).arg(&file).output();
    let _ = std::fs::remove_file(&file);
    let out = out.map_err(|e| EngineError::Verilator(format!("{}: {e}", exe.display())))?;
    let text = String::from_utf8_lossy(&out.stdout);
    // "evals <n> seconds <s>"
    let f: Vec<&str> = text.split_whitespace().collect();
    match f.as_slice() {
        ["evals", n, "seconds", s] => match (n.parse(), s.parse()) {
            (Ok(n), Ok(s)) => Ok((n, s)),
            _ => Err(EngineError::Verilator(format!("replay printed `{text}`"))),
        },
        _ => Err(EngineError::Verilator(format!(
            "replay printed `{text}` {}",
            String::from_utf8_lossy(&out.stderr)
        ))),
    }
}

fn tempfile_path(what: &str) -> std::path::PathBuf {
    std::env::temp_dir().join(format!(
        "spikescan-{what}-{}-{:?}.bin",
        std::process::id(),
        std::thread::current().id()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Port;

    #[test]
    fn steps_split_changes_per_evaluation_and_count_rising_edges() {
        let rec = Recording {
            ports: PortList {
                inputs: vec![
                    Port {
                        name: "clock".into(),
                        width: 1,
                    },
                    Port {
                        name: "go".into(),
                        width: 1,
                    },
                ],
                outputs: vec![],
            },
            changes: vec![(1, 1), (0, 1), (0, 0), (1, 0), (0, 1)],
            evals: vec![1, 2, 4, 5],
        };
        let steps: Vec<&[(u32, u64)]> = rec.steps().collect();
        assert_eq!(
            steps,
            [&[(1, 1)][..], &[(0, 1)], &[(0, 0), (1, 0)], &[(0, 1)]]
        );
        assert_eq!(rec.cycles(), 2);
    }
}
