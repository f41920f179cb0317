//! Why a GEMM or scan run on the SSM array could not be made: one error type
//! for both modes of the array, the mode naming the shapes compiled in and
//! the wording of the message.

use crate::engine::EngineError;
use crate::gemm::SUPPORTED_ARRAYS;
use crate::scan::SUPPORTED_SCAN_ARRAYS;
use std::fmt;

/// The mode of the SSM array a run used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArrayMode {
    /// int8 GEMM (projections), arrays of [`SUPPORTED_ARRAYS`].
    Gemm,
    /// Selective scan, arrays of [`SUPPORTED_SCAN_ARRAYS`].
    Scan,
}

impl ArrayMode {
    /// The array shapes compiled in for this mode.
    pub fn supported(self) -> &'static [(usize, usize)] {
        match self {
            ArrayMode::Gemm => SUPPORTED_ARRAYS,
            ArrayMode::Scan => SUPPORTED_SCAN_ARRAYS,
        }
    }

    fn name(self) -> &'static str {
        match self {
            ArrayMode::Gemm => "GEMM",
            ArrayMode::Scan => "scan",
        }
    }
}

/// Why a run could not be made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RunError {
    /// The array shape is not one of the mode's compiled-in shapes.
    UnsupportedArray {
        mode: ArrayMode,
        rows: usize,
        cols: usize,
    },
    /// Operand lengths or dimensions are wrong (or out of range).
    Shape(ArrayMode, String),
    /// The simulation failed (did not settle, never finished, trace I/O).
    Sim(String),
    /// The engine could not be built, or (co-simulation) its engines disagree.
    Engine(EngineError),
    /// A stop was requested ([`crate::control`]) after this many cycles.
    Stopped { cycles: u64 },
}

impl From<EngineError> for RunError {
    fn from(e: EngineError) -> Self {
        RunError::Engine(e)
    }
}

impl fmt::Display for RunError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RunError::UnsupportedArray { mode, rows, cols } => write!(
                f,
                "{} array {rows}x{cols} is not compiled in; supported: {}",
                mode.name(),
                crate::shape_list(mode.supported())
            ),
            RunError::Shape(mode, s) => write!(f, "bad {} shape: {s}", mode.name()),
            RunError::Sim(s) => write!(f, "simulation failed: {s}"),
            RunError::Engine(e) => write!(f, "{e}"),
            RunError::Stopped { cycles } => write!(f, "stopped after {cycles} cycles"),
        }
    }
}

impl std::error::Error for RunError {}
