//! The native state of a `Wrapper` block's Rust model.
//!
//! rust-hdl simulates a `Wrapper` block by calling its `update`, which may
//! keep state of its own: pipeline registers as plain integers instead of
//! `DFF`s and `Signal`s. rust-hdl's `#[derive(LogicBlock)]` requires every
//! field to be a [`Block`]; [`Model`] is one that rust-hdl neither settles
//! nor probes, so the state costs nothing per `update_all` pass and does not
//! appear in VCD traces or in the emitted Verilog (the block's hand-written
//! Verilog declares its own registers). The block's outputs are ordinary
//! signals, so settling still sees every change the model makes.

use rust_hdl::prelude::*;

/// Native model state `T` inside a rust-hdl block.
#[derive(Clone, Debug, Default)]
pub struct Model<T>(pub T);

impl<T> Logic for Model<T> {
    fn update(&mut self) {}
}

impl<T> Block for Model<T> {
    fn connect_all(&mut self) {}
    fn update_all(&mut self) {}
    fn has_changed(&self) -> bool {
        false
    }
    fn accept(&self, _name: &str, _probe: &mut dyn Probe) {}
}
