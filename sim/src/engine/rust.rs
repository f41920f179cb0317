//! The rust engine: a rust-hdl circuit stepped directly through a table of
//! its top-level ports.
//!
//! Each design that testbenches drive implements [`HasPorts`]: the list of
//! its top-level signals by their Verilog names, each with a setter or a
//! getter. The Verilator engine checks that this list is exactly the emitted
//! Verilog's port list (names and widths), so a forgotten or misnamed port is
//! an error, not a silently undriven input.

use super::{Engine, EngineError, In, Out, Port, PortList};
use crate::clock::Clocked;
use rust_hdl::core::vcd_probe::VCDProbe;
use rust_hdl::prelude::*;
use std::io::Write;

/// A value that a top-level port carries, as a zero-extended u64.
pub trait PortValue: Synth {
    fn from_u64(v: u64) -> Self;
    fn to_u64(&self) -> u64;
}

impl PortValue for bool {
    fn from_u64(v: u64) -> Self {
        v & 1 == 1
    }
    fn to_u64(&self) -> u64 {
        u64::from(*self)
    }
}

impl PortValue for Clock {
    fn from_u64(v: u64) -> Self {
        Clock { clk: v & 1 == 1 }
    }
    fn to_u64(&self) -> u64 {
        u64::from(self.clk)
    }
}

impl<const N: usize> PortValue for Bits<N> {
    fn from_u64(v: u64) -> Self {
        let mask = if N >= 64 { u64::MAX } else { (1u64 << N) - 1 };
        (v & mask).into()
    }
    fn to_u64(&self) -> u64 {
        Bits::<N>::to_u64(*self)
    }
}

type Setter<B> = Box<dyn Fn(&mut B, u64)>;
type Getter<B> = Box<dyn Fn(&B) -> u64>;

/// The top-level ports of `B` with their accessors.
pub struct PortTable<B> {
    list: PortList,
    setters: Vec<Setter<B>>,
    getters: Vec<Getter<B>>,
}

impl<B: 'static> Default for PortTable<B> {
    fn default() -> Self {
        Self {
            list: PortList::default(),
            setters: Vec::new(),
            getters: Vec::new(),
        }
    }
}

fn width_of<T: Synth>() -> u32 {
    let w = T::BITS;
    assert!(w <= 64, "ports wider than 64 bits are not supported");
    w as u32
}

impl<B: 'static> PortTable<B> {
    /// An input port.
    pub fn input<T: PortValue + 'static>(
        mut self,
        name: &str,
        signal: fn(&mut B) -> &mut Signal<rust_hdl::prelude::In, T>,
    ) -> Self {
        self.list.inputs.push(Port {
            name: name.into(),
            width: width_of::<T>(),
        });
        self.setters
            .push(Box::new(move |b, v| signal(b).next = T::from_u64(v)));
        self
    }

    /// The `n` inputs `name$0 …` of an array port.
    pub fn inputs<T: PortValue + 'static>(
        mut self,
        name: &str,
        n: usize,
        signal: fn(&mut B, usize) -> &mut Signal<rust_hdl::prelude::In, T>,
    ) -> Self {
        for i in 0..n {
            self.list.inputs.push(Port {
                name: format!("{name}${i}"),
                width: width_of::<T>(),
            });
            self.setters
                .push(Box::new(move |b, v| signal(b, i).next = T::from_u64(v)));
        }
        self
    }

    /// An output port.
    pub fn output<T: PortValue + 'static>(
        mut self,
        name: &str,
        signal: fn(&B) -> &Signal<rust_hdl::prelude::Out, T>,
    ) -> Self {
        self.list.outputs.push(Port {
            name: name.into(),
            width: width_of::<T>(),
        });
        self.getters
            .push(Box::new(move |b| signal(b).val().to_u64()));
        self
    }

    /// The `n` outputs `name$0 …` of an array port.
    pub fn outputs<T: PortValue + 'static>(
        mut self,
        name: &str,
        n: usize,
        signal: fn(&B, usize) -> &Signal<rust_hdl::prelude::Out, T>,
    ) -> Self {
        for i in 0..n {
            self.list.outputs.push(Port {
                name: format!("{name}${i}"),
                width: width_of::<T>(),
            });
            self.getters
                .push(Box::new(move |b| signal(b, i).val().to_u64()));
        }
        self
    }

    pub fn list(&self) -> &PortList {
        &self.list
    }

    /// Drive input `index` (of [`PortTable::list`]) of `b`.
    pub fn set(&self, b: &mut B, index: usize, value: u64) {
        (self.setters[index])(b, value);
    }
}

/// A rust-hdl design that testbenches drive through an [`Engine`].
pub trait HasPorts: Block + Default + 'static {
    /// A short name of the design and its configuration (`gemm-core-8x8`),
    /// used for cache directories and messages.
    fn design_name() -> String;
    /// Every top-level port, by its Verilog name.
    fn port_table() -> PortTable<Self>;
    /// The clock input (for `Clocked`'s checks and settling).
    fn clock(&mut self) -> &mut Signal<rust_hdl::prelude::In, Clock>;
    /// The clock input's level (for rust-hdl `Simulation` testbenches).
    fn clock_high(&self) -> bool;
    /// A new instance in its reset state (the design's constructor where
    /// `default()` leaves memories undefined).
    fn fresh() -> Self {
        Self::default()
    }
}

/// The rust-hdl description of `B`, stepped directly: the reference engine.
/// `'w`: the lifetime of the VCD writer, if any.
pub struct RustEngine<'w, B: HasPorts> {
    bench: Clocked<B>,
    table: PortTable<B>,
    evals: u64,
    vcd: Option<VCDProbe<Box<dyn Write + 'w>>>,
    /// Trace time of the next evaluation, if the testbench keeps time.
    time: Option<u64>,
}

impl<'w, B: HasPorts> RustEngine<'w, B> {
    /// A fresh instance, connected, checked and settled with all inputs 0.
    pub fn new() -> Result<Self, EngineError> {
        let bench = Clocked::new(B::fresh(), B::clock).map_err(EngineError::Rust)?;
        Ok(Self {
            bench,
            table: B::port_table(),
            evals: 0,
            vcd: None,
            time: None,
        })
    }

    /// Stream a VCD trace of every signal to `w` (one timestamp per eval, a
    /// half clock period of 5 ns apart); nothing is kept in memory.
    pub fn trace_to(&mut self, w: Box<dyn Write + 'w>) {
        let probe = write_vcd_header(w, &self.bench.uut);
        self.vcd = Some(write_vcd_dump(probe, &self.bench.uut));
    }

    /// The circuit, for reading internal state in unit tests.
    pub fn uut(&self) -> &B {
        &self.bench.uut
    }

    /// `update_all` passes so far (the cost of the simulation).
    pub fn passes(&self) -> u64 {
        self.bench.passes
    }
}

impl<B: HasPorts> Engine for RustEngine<'_, B> {
    fn kind(&self) -> &'static str {
        "rust"
    }
    fn ports(&self) -> &PortList {
        &self.table.list
    }
    fn set(&mut self, port: In, value: u64) {
        (self.table.setters[port.0])(&mut self.bench.uut, value);
    }
    fn get(&self, port: Out) -> u64 {
        (self.table.getters[port.0])(&self.bench.uut)
    }
    fn eval(&mut self) -> Result<(), EngineError> {
        self.bench
            .settle()
            .map_err(|e| EngineError::Rust(e.to_string()))?;
        self.evals += 1;
        if let Some(mut probe) = self.vcd.take() {
            probe
                .timestamp(self.time.unwrap_or(self.evals * 5_000))
                .map_err(|e| EngineError::Rust(format!("VCD trace: {e}")))?;
            self.vcd = Some(write_vcd_change(probe, &self.bench.uut));
        }
        Ok(())
    }
    fn evals(&self) -> u64 {
        self.evals
    }
    fn set_time(&mut self, time_ps: u64) {
        self.time = Some(time_ps);
    }
}
