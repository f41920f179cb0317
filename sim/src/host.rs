//! The host side of the valid/ready streams shared by
//! [`crate::gemm_host`] and [`crate::scan_host`]: loading the buffers over
//! the write stream, waiting for the core, and reading the result back over
//! the read stream, on any [`Engine`]. Errors are the message of the
//! driver's `Sim` error.

use crate::counters::{CounterPorts, Counters};
use crate::engine::rust::HasPorts;
use crate::engine::{self, ClockPort, Engine, EngineError, EngineKind, In, Out};
use rand::Rng;

/// One write-stream beat: (buffer id, bank, address, data).
pub type Beat = (u64, u64, u64, u64);

/// A GEMM or scan `*System` on an engine, with its stream ports resolved.
pub struct System {
    e: Box<dyn Engine>,
    clock: ClockPort,
    go: In,
    busy: Out,
    wr_valid: In,
    wr_ready: Out,
    /// wr_buf, wr_bank, wr_addr, wr_data.
    wr: [In; 4],
    out_start: In,
    out_ready: In,
    out_valid: Out,
    out_data: Out,
    out_last: Out,
    counters: CounterPorts,
    /// Rising clock edges applied so far.
    pub edges: u64,
}

fn text(e: EngineError) -> String {
    e.to_string()
}

impl System {
    /// The system `B` in its reset state on the engine `kind`.
    pub fn open<B: HasPorts>(kind: EngineKind) -> Result<Self, EngineError> {
        let mut e = engine::open::<B>(kind)?;
        let p = e.ports().clone();
        let me = Self {
            clock: ClockPort::of(e.as_ref())?,
            go: p.input("go")?,
            busy: p.output("busy")?,
            wr_valid: p.input("wr_valid")?,
            wr_ready: p.output("wr_ready")?,
            wr: [
                p.input("wr_buf")?,
                p.input("wr_bank")?,
                p.input("wr_addr")?,
                p.input("wr_data")?,
            ],
            out_start: p.input("out_start")?,
            out_ready: p.input("out_ready")?,
            out_valid: p.output("out_valid")?,
            out_data: p.output("out_data")?,
            out_last: p.output("out_last")?,
            counters: CounterPorts::of(e.as_ref())?,
            edges: 0,
            e: {
                e.eval()?;
                e
            },
        };
        Ok(me)
    }

    /// The engine's name.
    pub fn engine(&self) -> &'static str {
        self.e.kind()
    }

    /// Drive the input `name` (dimensions, mode bits).
    pub fn set(&mut self, name: &str, value: u64) -> Result<(), String> {
        let port = self.e.ports().input(name).map_err(text)?;
        self.e.set(port, value);
        Ok(())
    }

    /// The hardware counters as the system shows them now.
    pub fn counters(&self) -> Counters {
        self.counters.read(self.e.as_ref())
    }

    fn settle(&mut self) -> Result<(), String> {
        self.e.eval().map_err(text)
    }

    /// A rising edge, then the clock low again and settled.
    fn tick(&mut self) -> Result<(), String> {
        self.clock.rise(self.e.as_mut()).map_err(text)?;
        self.edges += 1;
        self.settle()
    }

    /// Drive one beat per cycle over the write stream; the system must be
    /// ready, as it is while idle.
    pub fn write_stream(&mut self, beats: impl IntoIterator<Item = Beat>) -> Result<(), String> {
        self.e.set(self.wr_valid, 1);
        for (buf, bank, addr, data) in beats {
            for (port, v) in self.wr.into_iter().zip([buf, bank, addr, data]) {
                self.e.set(port, v);
            }
            self.settle()?;
            if self.e.get(self.wr_ready) == 0 {
                return Err("write stream not ready while idle".into());
            }
            self.tick()?;
        }
        self.e.set(self.wr_valid, 0);
        Ok(())
    }

    /// Pulse `go` (the caller has set the dimensions), then tick until the
    /// core drops `busy`, at most `cycles` more edges; "`what` did not
    /// finish" otherwise.
    pub fn run_to_idle(&mut self, cycles: u64, what: &str) -> Result<(), String> {
        self.e.set(self.go, 1);
        self.settle()?;
        self.tick()?;
        self.e.set(self.go, 0);
        let limit = self.edges + cycles;
        self.settle()?;
        while self.e.get(self.busy) == 1 {
            if self.edges > limit {
                return Err(format!("{what} did not finish"));
            }
            self.tick()?;
        }
        Ok(())
    }

    /// Pulse `out_start` and read the result back over the read stream, the
    /// host accepting a word in a cycle with probability `ready_p` (drawn
    /// from `rng`); exactly `words` words must come, the last one flagged.
    pub fn read_stream(
        &mut self,
        rng: &mut impl Rng,
        ready_p: f64,
        words: usize,
    ) -> Result<Vec<u32>, String> {
        self.e.set(self.out_start, 1);
        self.settle()?;
        self.tick()?;
        self.e.set(self.out_start, 0);
        let mut out = Vec::with_capacity(words);
        let limit = self.edges + words as u64 * 300 + 1000;
        loop {
            let ready = rng.gen_bool(ready_p.clamp(0.01, 1.0));
            self.e.set(self.out_ready, u64::from(ready));
            self.settle()?;
            if ready && self.e.get(self.out_valid) == 1 {
                out.push(self.e.get(self.out_data) as u32);
                if self.e.get(self.out_last) == 1 {
                    self.tick()?;
                    break;
                }
            }
            if self.edges > limit {
                return Err("read stream stalled".into());
            }
            self.tick()?;
        }
        if out.len() != words {
            return Err(format!(
                "read stream returned {} words, expected {words}",
                out.len()
            ));
        }
        Ok(out)
    }
}
