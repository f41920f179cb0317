//! Co-simulation: two engines of one design on the same stimulus, every
//! output compared after every evaluation. The testbench reads the
//! reference's outputs, so it behaves exactly as on the reference alone; the
//! first disagreement stops the run with its cycle and signal.

use super::{Engine, EngineError, In, Mismatch, Out, PortList};

/// `reference` (usually the rust engine) and `other` (usually Verilator) in lockstep.
pub struct Lockstep {
    reference: Box<dyn Engine>,
    other: Box<dyn Engine>,
    /// `other`'s index of each of the reference's inputs / outputs.
    in_map: Vec<In>,
    out_map: Vec<Out>,
    clock: In,
    clock_level: u64,
    cycles: u64,
    /// Outputs compared so far (ports × evaluations).
    compared: u64,
}

impl Lockstep {
    /// Both engines must have the same ports (names and widths) and a `clock` input.
    pub fn new(reference: Box<dyn Engine>, other: Box<dyn Engine>) -> Result<Self, EngineError> {
        reference.ports().check_same(other.ports())?;
        let (r, o) = (reference.ports(), other.ports());
        let in_map = r
            .inputs
            .iter()
            .map(|p| o.input(&p.name))
            .collect::<Result<_, _>>()?;
        let out_map = r
            .outputs
            .iter()
            .map(|p| o.output(&p.name))
            .collect::<Result<_, _>>()?;
        let clock = r.input("clock")?;
        Ok(Self {
            reference,
            other,
            in_map,
            out_map,
            clock,
            clock_level: 0,
            cycles: 0,
            compared: 0,
        })
    }

    /// Rising clock edges applied so far.
    pub fn cycles(&self) -> u64 {
        self.cycles
    }

    /// Output values compared so far.
    pub fn compared(&self) -> u64 {
        self.compared
    }
}

impl Engine for Lockstep {
    fn kind(&self) -> &'static str {
        "rust+verilator"
    }
    fn ports(&self) -> &PortList {
        self.reference.ports()
    }
    fn set(&mut self, port: In, value: u64) {
        if port == self.clock {
            if value & 1 == 1 && self.clock_level == 0 {
                self.cycles += 1;
            }
            self.clock_level = value & 1;
        }
        self.reference.set(port, value);
        self.other.set(self.in_map[port.0], value);
    }
    fn get(&self, port: Out) -> u64 {
        self.reference.get(port)
    }
    fn eval(&mut self) -> Result<(), EngineError> {
        let eval = self.reference.evals();
        self.reference.eval()?;
        self.other.eval()?;
        for (i, &o) in self.out_map.iter().enumerate() {
            let (a, b) = (self.reference.get(Out(i)), self.other.get(o));
            if a != b {
                return Err(EngineError::Mismatch(Mismatch {
                    cycle: self.cycles,
                    eval,
                    signal: self.reference.ports().outputs[i].name.clone(),
                    reference: a,
                    other: b,
                    engines: (self.reference.kind(), self.other.kind()),
                }));
            }
        }
        self.compared += self.out_map.len() as u64;
        Ok(())
    }
    fn evals(&self) -> u64 {
        self.reference.evals()
    }
    fn set_time(&mut self, time_ps: u64) {
        self.reference.set_time(time_ps);
    }
}
