//! Bit-accurate fixed-point reference of the selective scan: integer
//! arithmetic only, the exact function the SSM accelerator computes. Formats
//! are tabulated in [`scan`]; the nonlinear units in [`units`].

pub mod qformat;
pub mod scan;
pub mod units;

pub use scan::{
    saturated_inputs, selective_scan, selective_scan_fixed, selective_scan_fixed_resume,
    FixedScanInputs, ScanUnits,
};
