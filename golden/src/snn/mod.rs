//! Spiking layer: see the submodules.
