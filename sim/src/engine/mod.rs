//! Simulation engines behind one port-level interface, so that a testbench
//! (stimulus, memory models, checker) is written once per design and runs on
//! any of them:
//!
//! - [`rust::RustEngine`]: the rust-hdl description itself, stepped directly
//!   (`update_all` until settled, no testbench threads). The reference.
//! - [`verilator::VerilatorEngine`]: the Verilog that rust-hdl emits for the
//!   same design, compiled by Verilator into a shared library (cached by a
//!   hash of the Verilog) and driven through a small C ABI.
//! - [`lockstep::Lockstep`]: both at once on the same stimulus, every output
//!   compared after every evaluation (the co-simulation).
//!
//! **The interface is Verilator's.** A testbench writes input ports
//! ([`Engine::set`]), calls [`Engine::eval`] (combinational logic settles; if
//! a clock input rose since the last eval, the registers of its domain load
//! first) and reads output ports ([`Engine::get`]). A clock cycle is
//!
//! ```text
//! set inputs … ; eval()        // clock low: outputs of this cycle valid → get
//! set clock = 1; eval()        // rising edge: registers load
//! set clock = 0                // (settled by the next eval, with new inputs)
//! ```
//!
//! Ports are values of at most 64 bits ([`u64`], zero-extended). Port names
//! are rust-hdl's Verilog names: a field `x`, an array element `x$3`.

pub mod lockstep;
pub mod replay;
pub mod rust;
pub mod verilator;

use std::fmt;

/// One port of a design's top level.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Port {
    /// The Verilog name (`dim_m`, `a_rd_data$3`).
    pub name: String,
    /// Width in bits, 1…64.
    pub width: u32,
}

/// The input and output ports of a design, in the engine's own order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PortList {
    pub inputs: Vec<Port>,
    pub outputs: Vec<Port>,
}

/// An input port of one engine (an index into its [`PortList::inputs`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct In(pub usize);

/// An output port of one engine (an index into its [`PortList::outputs`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Out(pub usize);

impl PortList {
    /// The input named `name`.
    pub fn input(&self, name: &str) -> Result<In, EngineError> {
        self.inputs
            .iter()
            .position(|p| p.name == name)
            .map(In)
            .ok_or_else(|| EngineError::Ports(format!("no input port `{name}`")))
    }

    /// The output named `name`.
    pub fn output(&self, name: &str) -> Result<Out, EngineError> {
        self.outputs
            .iter()
            .position(|p| p.name == name)
            .map(Out)
            .ok_or_else(|| EngineError::Ports(format!("no output port `{name}`")))
    }

    /// Inputs `name$0 … name$(n−1)` of an array port.
    pub fn inputs(&self, name: &str, n: usize) -> Result<Vec<In>, EngineError> {
        (0..n).map(|i| self.input(&format!("{name}${i}"))).collect()
    }

    /// Outputs `name$0 … name$(n−1)` of an array port.
    pub fn outputs(&self, name: &str, n: usize) -> Result<Vec<Out>, EngineError> {
        (0..n)
            .map(|i| self.output(&format!("{name}${i}")))
            .collect()
    }

    /// The same ports (names and widths, in any order) as `other`; else what differs.
    pub fn check_same(&self, other: &PortList) -> Result<(), EngineError> {
        let sorted = |v: &[Port]| {
            let mut v: Vec<(String, u32)> = v.iter().map(|p| (p.name.clone(), p.width)).collect();
            v.sort();
            v
        };
        for (what, a, b) in [
            ("input", sorted(&self.inputs), sorted(&other.inputs)),
            ("output", sorted(&self.outputs), sorted(&other.outputs)),
        ] {
            if let Some(p) = a.iter().find(|p| !b.contains(p)) {
                return Err(EngineError::Ports(format!(
                    "{what} `{}` ({} bits) is on one side only",
                    p.0, p.1
                )));
            }
            if let Some(p) = b.iter().find(|p| !a.contains(p)) {
                return Err(EngineError::Ports(format!(
                    "{what} `{}` ({} bits) is on one side only",
                    p.0, p.1
                )));
            }
        }
        Ok(())
    }
}

/// A cycle-level simulator of one design instance.
pub trait Engine {
    /// Which engine this is (`rust`, `verilator`, `rust+verilator`).
    fn kind(&self) -> &'static str;
    /// The design's ports in this engine's order.
    fn ports(&self) -> &PortList;
    /// Drive an input (bits above the port's width are ignored). Takes
    /// effect at the next [`Engine::eval`].
    fn set(&mut self, port: In, value: u64);
    /// An output's value as of the last [`Engine::eval`].
    fn get(&self, port: Out) -> u64;
    /// Evaluate: apply clock edges and settle the combinational logic.
    fn eval(&mut self) -> Result<(), EngineError>;
    /// Evaluations so far.
    fn evals(&self) -> u64;
    /// The simulation time (ps) of the next evaluation, for traces of
    /// designs whose testbench keeps its own time (several clocks). Without
    /// it, trace timestamps are 5 ns per evaluation.
    fn set_time(&mut self, _time_ps: u64) {}
}

/// Which engine a run uses (the library default: the reference, rust).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum EngineKind {
    /// The rust-hdl description, stepped directly.
    #[default]
    Rust,
    /// The emitted Verilog compiled by Verilator.
    Verilator,
    /// Both, in lockstep, every output compared every evaluation ([`lockstep::Lockstep`]).
    Cosim,
}

impl EngineKind {
    /// `rust` or `verilator`.
    pub fn name(self) -> &'static str {
        match self {
            EngineKind::Rust => "rust",
            EngineKind::Verilator => "verilator",
            EngineKind::Cosim => "rust+verilator",
        }
    }

    /// Verilator where it is installed, else the rust engine with a note on
    /// how to get the fast one (the note is `Some` only on the fallback).
    pub fn auto() -> (EngineKind, Option<String>) {
        match verilator::version() {
            Ok(_) => (EngineKind::Verilator, None),
            Err(e) => (
                EngineKind::Rust,
                Some(format!("note: {e}; using the rust engine (slower)")),
            ),
        }
    }
}

impl std::str::FromStr for EngineKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "rust" => Ok(EngineKind::Rust),
            "verilator" => Ok(EngineKind::Verilator),
            _ => Err(format!("unknown engine `{s}`: expected rust or verilator")),
        }
    }
}

/// Why an engine could not be built or stepped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EngineError {
    /// The rust-hdl circuit failed its checks or did not settle.
    Rust(String),
    /// Verilator (or the C++ compiler) is missing or failed; the message says which and how to fix it.
    Verilator(String),
    /// A port name or width that the testbench expects is not the design's.
    Ports(String),
    /// The two engines of a co-simulation disagree.
    Mismatch(Mismatch),
}

/// The first output on which two engines disagree.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mismatch {
    /// Rising edges of the clock applied before the disagreement.
    pub cycle: u64,
    /// The evaluation (0-based) after which it was seen.
    pub eval: u64,
    pub signal: String,
    pub reference: u64,
    pub other: u64,
    /// Names of the two engines (reference first).
    pub engines: (&'static str, &'static str),
}

impl fmt::Display for EngineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EngineError::Rust(s) => write!(f, "rust engine: {s}"),
            EngineError::Verilator(s) => write!(f, "verilator engine: {s}"),
            EngineError::Ports(s) => write!(f, "ports: {s}"),
            EngineError::Mismatch(m) => write!(
                f,
                "engines disagree at cycle {} (eval {}): {} = {:#x} ({}) vs {:#x} ({})",
                m.cycle, m.eval, m.signal, m.reference, m.engines.0, m.other, m.engines.1
            ),
        }
    }
}

impl std::error::Error for EngineError {}

/// A memory request port triple `(enable, index, index)`: the two indices
/// if `enable` is high.
pub fn request(e: &dyn Engine, (enable, i, j): (Out, Out, Out)) -> Option<(usize, usize)> {
    (e.get(enable) == 1).then(|| (e.get(i) as usize, e.get(j) as usize))
}

/// A clock input and the helpers of the cycle protocol on it.
#[derive(Clone, Copy, Debug)]
pub struct ClockPort(pub In);

impl ClockPort {
    /// The input named `clock`.
    pub fn of(engine: &dyn Engine) -> Result<Self, EngineError> {
        Ok(Self(engine.ports().input("clock")?))
    }

    /// Rising edge (registers load and the logic settles), then the clock
    /// goes low again; the next [`Engine::eval`] settles the low phase.
    pub fn rise(self, engine: &mut dyn Engine) -> Result<(), EngineError> {
        engine.set(self.0, 1);
        engine.eval()?;
        engine.set(self.0, 0);
        Ok(())
    }

    /// A whole cycle: settle, rise (the clock is low again afterwards).
    pub fn tick(self, engine: &mut dyn Engine) -> Result<(), EngineError> {
        engine.eval()?;
        self.rise(engine)
    }
}

/// Open the engine `kind` on a fresh instance of the rust-hdl design `B`
/// (the Verilator engine compiles `B`'s emitted Verilog, or reuses the
/// cached library of the same Verilog).
pub fn open<B: rust::HasPorts>(kind: EngineKind) -> Result<Box<dyn Engine>, EngineError> {
    match kind {
        EngineKind::Rust => Ok(Box::new(rust::RustEngine::<B>::new()?)),
        EngineKind::Verilator => Ok(Box::new(verilator::VerilatorEngine::of::<B>()?)),
        EngineKind::Cosim => Ok(Box::new(lockstep::Lockstep::new(
            Box::new(rust::RustEngine::<B>::new()?),
            Box::new(verilator::VerilatorEngine::of::<B>()?),
        )?)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(inputs: &[(&str, u32)], outputs: &[(&str, u32)]) -> PortList {
        let ports = |v: &[(&str, u32)]| {
            v.iter()
                .map(|(n, w)| Port {
                    name: n.to_string(),
                    width: *w,
                })
                .collect()
        };
        PortList {
            inputs: ports(inputs),
            outputs: ports(outputs),
        }
    }

    #[test]
    fn ports_resolve_by_name_and_arrays_by_index() {
        let l = list(&[("clock", 1), ("d$0", 8), ("d$1", 8)], &[("q", 16)]);
        assert_eq!(l.input("clock"), Ok(In(0)));
        assert_eq!(l.inputs("d", 2), Ok(vec![In(1), In(2)]));
        assert_eq!(l.output("q"), Ok(Out(0)));
        assert!(matches!(l.input("q"), Err(EngineError::Ports(_))));
        assert!(l.inputs("d", 3).is_err());
    }

    #[test]
    fn port_lists_compare_by_name_and_width_in_any_order() {
        let a = list(&[("a", 1), ("b", 8)], &[("q", 16)]);
        let b = list(&[("b", 8), ("a", 1)], &[("q", 16)]);
        assert_eq!(a.check_same(&b), Ok(()));
        let wider = list(&[("a", 1), ("b", 9)], &[("q", 16)]);
        assert!(a.check_same(&wider).is_err());
        let more = list(&[("a", 1), ("b", 8)], &[("q", 16), ("r", 1)]);
        assert!(a.check_same(&more).is_err());
    }
}
